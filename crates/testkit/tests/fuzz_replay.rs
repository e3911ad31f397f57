//! Replays every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` through the
//! fuzz targets' own bodies (`cert_preflight_testkit::targets`, which `fuzz/` calls), on
//! stable: every input a campaign kept and every crash ever found stays a test without nightly
//! or cargo-fuzz.
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
