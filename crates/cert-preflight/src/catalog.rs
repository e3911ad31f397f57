//! The error catalog's entry type and the macro each profile's table is written with.
//!
//! The rows themselves are data in each profile's file (`profile/*.rs`), in the order the
//! published tables list them, byte for byte: typos are the service's and are kept ("does't",
//! "math", "is not null"). A code published twice with different messages
//! (`Certificate.StatusError`, `Certificate.MissMatch`) is two entries.

use core::fmt;

/// Where a catalog entry's code, message and status come from, and how sure they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Evidence {
    /// A published error table or API reference of the service: the source named.
    Documented(&'static str),
    /// A real answer of the service quoted in public code, an issue or a log: the source named.
    Observed(&'static str),
    /// Chosen by this project where no public source shows the service's answer: why it was
    /// chosen. A finding of such an entry says so in its detail; never take it for the
    /// service's own code.
    Inferred(&'static str),
}

impl Evidence {
    /// `documented`, `observed` or `inferred`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Evidence::Documented(_) => "documented",
            Evidence::Observed(_) => "observed",
            Evidence::Inferred(_) => "inferred",
        }
    }

    /// The source (documented, observed) or the reason (inferred).
    pub const fn source(&self) -> &'static str {
        match self {
            Evidence::Documented(source)
            | Evidence::Observed(source)
            | Evidence::Inferred(source) => source,
        }
    }

    /// True when the code and message are this project's choice, not the service's.
    pub const fn is_inferred(&self) -> bool {
        matches!(self, Evidence::Inferred(_))
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.source())
    }
}

/// One row of a published error table: the code, the message and the HTTP status the service
/// answers with, and where that is known from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogEntry {
    code: &'static str,
    message: &'static str,
    http_status: u16,
    evidence: Evidence,
}

impl CatalogEntry {
    /// An entry of a published table: code, HTTP status and message, as published (the
    /// evidence is [`Evidence::Documented`] without a source; see [`CatalogEntry::with_evidence`]).
    pub const fn new(code: &'static str, http_status: u16, message: &'static str) -> CatalogEntry {
        CatalogEntry {
            code,
            message,
            http_status,
            evidence: Evidence::Documented(""),
        }
    }

    /// The same entry, with this evidence.
    #[must_use]
    pub const fn with_evidence(mut self, evidence: Evidence) -> CatalogEntry {
        self.evidence = evidence;
        self
    }

    /// Where the entry comes from.
    pub const fn evidence(&self) -> &Evidence {
        &self.evidence
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

/// Writes one API's error table: a `const` per entry and `TABLE`, every entry in order. The
/// table's evidence applies to each row unless the row names its own after `@`.
macro_rules! table {
    (
        evidence = $evidence:expr;
        $($name:ident = ($code:literal, $status:literal, $message:literal) $(@ $own:expr)?;)*
    ) => {
        $(
            pub(crate) const $name: $crate::catalog::CatalogEntry =
                $crate::catalog::CatalogEntry::new($code, $status, $message)
                    .with_evidence(table!(@evidence $evidence $(, $own)?));
        )*
        /// The whole table, in the published order.
        pub(crate) const TABLE: &[$crate::catalog::CatalogEntry] = &[$($name),*];
    };
    (@evidence $evidence:expr) => { $evidence };
    (@evidence $evidence:expr, $own:expr) => { $own };
}
pub(crate) use table;
