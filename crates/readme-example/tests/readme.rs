//! The README's library example is this crate's `src/main.rs`, character for character, so the
//! example a user copies is the one that builds here against `default-features = false`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn the_readme_library_example_is_this_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).unwrap();
    let section = readme
        .split("\n## Library\n")
        .nth(1)
        .expect("the README has a Library section");
    let block = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```\n").next())
        .expect("the Library section opens with a rust block");
    let main = std::fs::read_to_string(root.join("src/main.rs")).unwrap();
    assert_eq!(
        block, main,
        "README.md's library example differs from src/main.rs"
    );
}

#[test]
fn the_example_runs_from_the_repository_root() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_cert-preflight-readme-example"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let stdout = String::from_utf8(status.stdout).unwrap();
    // Accepted, or (once the 2026 test certificate has expired) the service's answer.
    assert!(
        stdout.starts_with("accepted; warnings: ")
            || stdout.starts_with("Certificate.Expired (400): The certificate is expired."),
        "{stdout}"
    );
}
