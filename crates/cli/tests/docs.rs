//! The documents that restate the code stay equal to it:
//!
//! - `docs/catalog.md` is exactly what `cert-preflight codes --format markdown` prints. When the
//!   catalog changes (a profile, an entry, a source), regenerate it from the repository's root
//!   with `cargo run -q -- codes --format markdown > docs/catalog.md` and commit the result.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_catalog_document_is_the_codes_commands_output() {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["codes", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).unwrap();
    let file = read("docs/catalog.md");
    if file != printed {
        let line = file
            .lines()
            .zip(printed.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || file.lines().count().min(printed.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "docs/catalog.md differs from `cert-preflight codes --format markdown` (first at line \
             {line}). Regenerate it from the repository's root:\n\n    cargo run -q -- codes \
             --format markdown > docs/catalog.md\n"
        );
    }
}
