//! A reader that closes standard output (`cert-preflight codes | head -1`) ends the command
//! quietly with exit status 0, as ripgrep does: no "Broken pipe" message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use std::process::{Command, Stdio};

/// Runs the command line with a standard output whose reader is already gone, so its first
/// write fails with EPIPE; returns (exit status, stderr).
fn closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn codes_to_a_closed_pipe_stops_quietly() {
    assert_eq!(closed_stdout(&["codes"]), (Some(0), String::new()));
    assert_eq!(
        closed_stdout(&["codes", "--format", "json"]),
        (Some(0), String::new())
    );
}

#[test]
fn check_and_scan_to_a_closed_pipe_stop_quietly() {
    assert_eq!(
        closed_stdout(&["check", "--api", "cdn"]),
        (Some(0), String::new())
    );
    let dir = tempfile::tempdir().unwrap();
    for (fixture, file) in [
        ("p256/fullchain.pem", "a.crt"),
        ("p256/key.pkcs8.pem", "a.key"),
    ] {
        std::fs::copy(common::path(fixture), dir.path().join(file)).unwrap();
    }
    let root = dir.path().to_str().unwrap();
    for format in ["text", "json"] {
        assert_eq!(
            closed_stdout(&["scan", "--api", "cdn", "--format", format, root]),
            (Some(0), String::new()),
            "{format}"
        );
    }
}
