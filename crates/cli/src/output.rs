//! Standard output: every command writes through here, so a closed pipe ends any of them the
//! same way.
//!
//! A reader that closes standard output (`… | head -1`) is not an error: the writing stops
//! there, without a message, and the command exits with the status of its answer, as if the
//! output had been read. ripgrep also stops quietly, with status 0; for ripgrep that is the
//! status of the matches it was printing, but here the answer (accepted, rejected, no pair
//! found) is known before the first byte is written, and a script that pipes `check` or `scan`
//! into `head` under `set -o pipefail` must still see a rejection. Status 0 would also depend
//! on a race: whether `head` exited before the write or after it.

use std::io::{self, Write};

use crate::error::Error;

/// What the help of every command says about a closed standard output (see the module).
macro_rules! closed_stdout_help {
    () => {
        "A closed standard output (… | head -1) is not an error: the output stops there, without \
         a message, and the exit status is the one above."
    };
}
pub(crate) use closed_stdout_help;

/// Writes `bytes` to standard output and flushes.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    write_lines(std::iter::once(bytes))
}

/// Writes `lines` (each with its line end) to standard output, buffered, and flushes; a
/// reader that closed it ends the writing without an error.
pub(crate) fn write_lines<'a>(mut lines: impl Iterator<Item = &'a [u8]>) -> Result<(), Error> {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let written = lines
        .try_for_each(|line| stdout.write_all(line))
        .and_then(|()| stdout.flush());
    match written {
        // Rust ignores SIGPIPE, so a closed pipe is this write error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Usage(format!("standard output: {e}"))),
        Ok(()) => Ok(()),
    }
}
