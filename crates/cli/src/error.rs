//! How a command ends without a verdict: a usage or I/O error (exit status 2), or a reader
//! that closed standard output (exit status 0, quietly, as ripgrep does: `… | head -1` is not
//! an error).

use std::io;

/// Why a command stopped before its answer was written.
pub(crate) enum Error {
    /// A usage or I/O error: printed on standard error, exit status 2.
    Usage(String),
    /// Standard output was closed by its reader: stop quietly, exit status 0.
    StdoutClosed,
}

impl Error {
    /// A failed write to standard output: a closed pipe is [`Error::StdoutClosed`].
    pub(crate) fn stdout(error: &io::Error) -> Error {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Error::StdoutClosed
        } else {
            Error::Usage(format!("standard output: {error}"))
        }
    }
}
