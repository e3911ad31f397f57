//! The files a command reads: parameter files (`-` is standard input) and the state file.

use std::io::{self, Read};
use std::path::Path;

use cert_preflight::InMemoryState;

use crate::error::Error;

/// The largest file read for a parameter. Larger files are an I/O error; anything between the
/// service's limit and this is read and answered with `InvalidCertificate.TooLong`.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a parameter file (`-` is standard input, once), refusing files above
/// `MAX_FILE_BYTES`. The error is `<path>: <reason>`.
pub(crate) fn read_file(path: &Path, stdin_used: &mut bool) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        if *stdin_used {
            return Err("standard input (-) can be read for one parameter only".to_owned());
        }
        *stdin_used = true;
        io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // The length is only a hint (the cap still holds): it lets a small file be read in
            // one call instead of in doubling chunks, which `scan` does 20,000 times.
            let hint = f.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
            bytes.reserve(usize::try_from(hint).unwrap_or(0).saturating_add(1));
            f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
        })
    };
    read.map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{}: larger than {MAX_FILE_BYTES} bytes; not a certificate or key file",
            path.display()
        ));
    }
    Ok(bytes)
}

/// Reads the state file of `--state` (docs/state-file.md), if one was given.
pub(crate) fn load_state(path: Option<&Path>) -> Result<Option<InMemoryState>, Error> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    InMemoryState::from_json(&text)
        .map(Some)
        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))
}
