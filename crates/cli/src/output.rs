//! Standard output: every command writes through here, so a closed pipe ends any of them the
//! same way (`Error::StdoutClosed`).

use std::io::{self, Write};

use crate::error::Error;

/// Writes `bytes` to standard output and flushes.
pub(crate) fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    write_lines(std::iter::once(bytes))
}

/// Writes `lines` (each with its line end) to standard output, buffered, and flushes.
pub(crate) fn write_lines<'a>(mut lines: impl Iterator<Item = &'a [u8]>) -> Result<(), Error> {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    lines
        .try_for_each(|line| stdout.write_all(line))
        .and_then(|()| stdout.flush())
        .map_err(|e| Error::stdout(&e))
}
