//! How a command ends without a verdict: a usage or I/O error, exit status 2. (A reader that
//! closed standard output is not one: `output` says why.)

/// Why a command stopped before its answer was written.
pub(crate) enum Error {
    /// A usage or I/O error: printed on standard error, exit status 2.
    Usage(String),
}
