//! Replays every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` through the
//! fuzz targets' own bodies (`cert_preflight_testkit::targets`, which `fuzz/` calls), on
//! stable: every input a campaign kept and every crash ever found stays a test without nightly
//! or cargo-fuzz. As `cargo test` builds it, the bodies that need the library's hidden hooks go
//! through its public API instead; with `RUSTFLAGS="--cfg fuzzing"` (`.ci/run` does it, in
//! `target/fuzz-replay`) they are exactly what the fuzzer runs (`src/targets.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cert_preflight_testkit::targets;

use std::path::{Path, PathBuf};

/// A target's body: runs one input, panics when an invariant breaks.
type Target = fn(&[u8]);

/// Each target folder and the function that runs one input.
const TARGETS: &[(&str, Target)] = &[
    ("pem", targets::pem),
    ("certificate", targets::certificate),
    ("private_key", targets::private_key),
    ("key_match", targets::key_match),
    ("request", targets::request),
    ("validate", targets::validate_target),
    ("wire", targets::wire),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `fuzz/<kind>/<target>/`, sorted; fails on a folder no target owns.
fn inputs(kind: &str) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    let Ok(folders) = std::fs::read_dir(fuzz_dir().join(kind)) else {
        return found;
    };
    for folder in folders {
        let folder = folder.unwrap().path();
        let name = folder.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(
            TARGETS.iter().any(|(t, _)| *t == name),
            "fuzz/{kind}/{name}: no fuzz target of that name"
        );
        for file in std::fs::read_dir(&folder).unwrap() {
            found.push((name.clone(), file.unwrap().path()));
        }
    }
    found.sort();
    found
}

fn replay(kind: &str) -> usize {
    let all = inputs(kind);
    for (target, path) in &all {
        let run = TARGETS.iter().find(|(t, _)| t == target).unwrap().1;
        let data = std::fs::read(path).unwrap();
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(
            result.is_ok(),
            "{} fails; reproduce with `cargo +nightly fuzz run {target} {}` (in fuzz/)",
            path.display(),
            path.display()
        );
    }
    all.len()
}

#[test]
fn every_regression_input_passes() {
    replay("regressions");
}

#[test]
fn every_corpus_input_passes() {
    let count = replay("corpus");
    assert!(count > 0, "fuzz/corpus is empty");
}

#[test]
fn every_target_has_a_corpus() {
    for (target, _) in TARGETS {
        let folder = fuzz_dir().join("corpus").join(target);
        let files = std::fs::read_dir(&folder).map_or(0, Iterator::count);
        assert!(files > 0, "{} is empty", folder.display());
    }
}

/// With the hooks: where the library frames a PEM file of `testdata/`, the test kit's reader —
/// what the key-leak check reads parameters with when the hooks are not built — finds the same
/// certificate blocks and the same key block, so that check is as strict in a plain `cargo test`.
#[cfg(fuzzing)]
#[test]
fn the_test_kit_reads_testdata_pem_as_the_library_does() {
    use cert_preflight_testkit::{blocks, common, pem};
    let mut stack = vec![common::path("")];
    let mut compared = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if path.extension().is_none_or(|e| e != "pem") {
                continue;
            }
            let read = pem::try_decode_all(&text);
            let framed = blocks::certificate_blocks(&text);
            if !framed.is_empty() && framed.iter().all(Option::is_some) {
                let ders: Vec<Vec<u8>> = framed.into_iter().flatten().collect();
                let own: Option<Vec<Vec<u8>>> = read
                    .as_ref()
                    .map(|b| b.iter().map(|(_, der)| der.clone()).collect());
                assert_eq!(
                    own.as_ref(),
                    Some(&ders),
                    "{}: certificate blocks",
                    path.display()
                );
                compared += 1;
            }
            if let Some(key) = blocks::key_block(&text) {
                let own = read
                    .iter()
                    .flatten()
                    .find(|(label, _)| blocks::is_key_label(label))
                    .map(|(_, der)| der.as_slice());
                assert_eq!(
                    own,
                    Some(key.der.as_slice()),
                    "{}: key block",
                    path.display()
                );
                let rsa = blocks::rsa_public(&key.der).map(|(n, e)| (n.to_vec(), e.to_vec()));
                if key.rsa_public.is_some() {
                    assert_eq!(rsa, key.rsa_public, "{}: RSA public part", path.display());
                }
            }
        }
    }
    assert!(compared > 50, "only {compared} files compared");
}
