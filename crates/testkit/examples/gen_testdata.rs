//! Writes the generated test fixtures under `testdata/` and deletes stale ones.
//!
//! Run `cargo run -p cert-preflight-testkit --example gen_testdata` after changing the generator
//! (`src/fixtures.rs`, `src/fixtures/`, `src/der.rs`, `src/pem.rs`) or the committed
//! inputs in `testdata/keys/`. The files are described in `testdata/README.md`;
//! `tests/testdata_fresh.rs` fails until they are regenerated.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_testkit::fixtures;

use std::fs;
use std::time::Instant;

fn main() {
    let start = Instant::now();
    let root = fixtures::testdata_dir();
    let files = fixtures::generate();
    let generated_in = start.elapsed();

    let (mut written, mut unchanged) = (0, 0);
    for (relative, bytes) in &files {
        let path = root.join(relative);
        if fs::read(&path).is_ok_and(|disk| disk == *bytes) {
            unchanged += 1;
            continue;
        }
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        println!("wrote   testdata/{}", relative.display());
        written += 1;
    }

    let mut removed = 0;
    for relative in fixtures::generated_files_on_disk(&root) {
        if !files.contains_key(&relative) && !fixtures::is_protected(&relative) {
            fs::remove_file(root.join(&relative)).unwrap();
            println!("removed testdata/{} (stale)", relative.display());
            removed += 1;
        }
    }
    // Folders left empty by the removals.
    for dir in fixtures::GENERATED_DIRS {
        remove_empty_dirs(&root.join(dir));
    }

    println!(
        "{} files: {written} written, {unchanged} unchanged, {removed} stale removed \
         (generated in {:.1} s)",
        files.len(),
        generated_in.as_secs_f64()
    );
}

/// Removes `dir` and its sub-folders if they hold no file.
fn remove_empty_dirs(dir: &std::path::Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove_empty_dirs(&entry.path());
        }
    }
    if fs::read_dir(dir).is_ok_and(|mut e| e.next().is_none()) {
        fs::remove_dir(dir).unwrap();
    }
}
