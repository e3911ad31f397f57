//! What the unit tests share: the repository's fixtures, where they are, and a DER writer.
//! Compiled only for this crate's own tests, and packaged with it, so that a downloaded crate's
//! tests build and run (those that need the fixtures say they are skipped).

use std::path::{Path, PathBuf};

// Public and in part unused here: the test kit includes this same file and uses all of it.
#[allow(dead_code, unreachable_pub)]
pub(crate) mod der;

/// The repository's `testdata/`, or `None` (said on stderr) in a downloaded crate, which has no
/// fixtures.
pub(crate) fn testdata() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "{} is not here (a downloaded crate): skipped",
            dir.display()
        );
        None
    }
}

/// Every file under `dir`, in no particular order.
pub(crate) fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files
}
