//! The error catalog's entry type and the macro each profile's table is written with.
//!
//! The rows themselves are data in each profile's file (`profile/*.rs`), in the order the
//! published tables list them, byte for byte: typos are the service's and are kept ("does't",
//! "math", "is not null"). A code published twice with different messages
//! (`Certificate.StatusError`, `Certificate.MissMatch`) is two entries.

use core::fmt;

/// One row of a published error table: the code, the message and the HTTP status the service
/// answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogEntry {
    code: &'static str,
    message: &'static str,
    http_status: u16,
}

impl CatalogEntry {
    /// An entry: code, HTTP status and message, as published.
    pub const fn new(code: &'static str, http_status: u16, message: &'static str) -> CatalogEntry {
        CatalogEntry {
            code,
            message,
            http_status,
        }
    }

    /// The error code, e.g. `InvalidCertificate`.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The error message, exactly as published.
    pub const fn message(&self) -> &'static str {
        self.message
    }

    /// The HTTP status of the error response.
    pub const fn http_status(&self) -> u16 {
        self.http_status
    }
}

impl fmt::Display for CatalogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.http_status, self.message)
    }
}

/// Writes one API's error table: a `const` per entry and `TABLE`, every entry in order.
macro_rules! table {
    ($($name:ident = ($code:literal, $status:literal, $message:literal);)*) => {
        $(
            pub(crate) const $name: $crate::catalog::CatalogEntry =
                $crate::catalog::CatalogEntry::new($code, $status, $message);
        )*
        /// The whole table, in the published order.
        pub(crate) const TABLE: &[$crate::catalog::CatalogEntry] = &[$($name),*];
    };
}
pub(crate) use table;
