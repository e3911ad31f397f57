//! How a command ends without a verdict: a usage or I/O error (exit status 2).

use std::io;

/// Why a command stopped before its answer was written.
pub(crate) enum Error {
    /// A usage or I/O error: printed on standard error, exit status 2.
    Usage(String),
}

impl Error {
    /// A failed write to standard output.
    pub(crate) fn stdout(error: &io::Error) -> Error {
        Error::Usage(format!("standard output: {error}"))
    }
}
