//! The committed fixtures under `testdata/` are exactly what `src/fixtures.rs` generates: no
//! file differs, none is missing, none is stale, and the manifest (`testdata/README.md`) names
//! every one of them. Fix a failure with
//! `cargo run -p cert-preflight-testkit --example gen_testdata`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_testkit::fixtures;

use std::fs;

const REGENERATE: &str = "run `cargo run --example gen_testdata` to regenerate testdata/";

#[test]
fn testdata_is_fresh() {
    let root = fixtures::testdata_dir();
    let files = fixtures::generate();
    let mut problems = Vec::new();
    for (relative, bytes) in &files {
        match fs::read(root.join(relative)) {
            Ok(disk) if disk == *bytes => {}
            Ok(_) => problems.push(format!(
                "testdata/{}: differs from what the generator makes",
                relative.display()
            )),
            Err(e) => problems.push(format!("testdata/{}: missing ({e})", relative.display())),
        }
    }
    for relative in fixtures::generated_files_on_disk(&root) {
        if !files.contains_key(&relative) && !fixtures::is_protected(&relative) {
            problems.push(format!(
                "testdata/{}: stale, the generator no longer makes it",
                relative.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}\n{REGENERATE}", problems.join("\n"));
}

#[test]
fn generation_is_deterministic() {
    assert!(
        fixtures::generate() == fixtures::generate(),
        "two runs of generate() differ"
    );
}

#[test]
fn manifest_names_every_file() {
    let root = fixtures::testdata_dir();
    let manifest = fs::read_to_string(root.join("README.md")).unwrap();
    let mut missing: Vec<String> = fixtures::generate()
        .keys()
        .map(|p| p.display().to_string())
        .filter(|p| !manifest.contains(&format!("`{p}`")))
        .collect();
    for entry in fs::read_dir(root.join("keys")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !manifest.contains(&format!("`keys/{name}`")) {
            missing.push(format!("keys/{name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "testdata/README.md does not list: {}",
        missing.join(", ")
    );
}
