//! A reader that closes standard output (`cert-preflight codes | head -1`) is not an error: the
//! command stops writing, prints no "Broken pipe", and exits with the status of its answer, the
//! same as when its output is read; every command's help says so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use std::process::{Command, Stdio};

/// A time at which the testdata leaf is valid and not about to expire.
const VALID: &str = "2026-06-01T00:00:00Z";
/// A time at which it is accepted with `ExpiresSoon` (it expires on 2027-01-01).
const SOON: &str = "2026-12-15T00:00:00Z";

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cert-preflight"));
    command
        .args(args)
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Runs the command line with a standard output whose reader is already gone, so its first
/// write fails with EPIPE; returns (exit status, stderr).
fn closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let output = command(args).stdout(writer).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The same with standard output read to its end; returns (exit status, stderr) too, after
/// checking that something was written.
fn read_stdout(args: &[&str]) -> (Option<i32>, String) {
    let output = command(args).stdout(Stdio::piped()).output().unwrap();
    assert!(!output.stdout.is_empty(), "{args:?}");
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Asserts `args` end with `status` and `stderr` whether their output is read or not.
fn assert_same_status(args: &[&str], status: i32, stderr: &str) {
    let expected = (Some(status), stderr.to_owned());
    assert_eq!(read_stdout(args), expected, "read: {args:?}");
    assert_eq!(closed_stdout(args), expected, "closed: {args:?}");
}

#[test]
fn codes_to_a_closed_pipe_stops_quietly_with_status_0() {
    for format in ["text", "json"] {
        assert_same_status(&["codes", "--format", format], 0, "");
    }
}

#[test]
fn check_and_request_to_a_closed_pipe_exit_with_the_verdicts_status() {
    let p256_key = common::path("p256/key.pkcs8.pem");
    let rsa_key = common::path("rsa2048/key.pkcs8.pem");
    let cert = common::path("p256/fullchain.pem");
    let cert = cert.to_str().unwrap();
    let upload = |key: &std::path::Path, at| {
        let key = key.to_str().unwrap().to_owned();
        move |format| {
            let args = [
                "check",
                "--api",
                "cdn",
                "--domain",
                "www.example.com",
                "--cert",
                cert,
            ];
            let mut args: Vec<String> = args.map(str::to_owned).to_vec();
            args.extend(["--key", &key, "--at", at, "--format", format].map(str::to_owned));
            args
        }
    };
    for format in ["text", "json"] {
        let mut expires_soon = upload(&p256_key, SOON)(format);
        expires_soon.push("--fail-on-warning".to_owned());
        for (args, status) in [
            (upload(&p256_key, VALID)(format), 0),
            (expires_soon, 1),
            // The key is not the certificate's.
            (upload(&rsa_key, VALID)(format), 1),
            // Neither certificate nor key.
            (
                ["check", "--api", "cdn", "--format", format]
                    .map(str::to_owned)
                    .to_vec(),
                1,
            ),
        ] {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            assert_same_status(&args, status, "");
        }
    }
    assert_same_status(
        &[
            "request",
            "http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&DomainName=example.com\
             &ServerCertificateStatus=on&ServerCertificate=xxx&PrivateKey=yyy",
        ],
        1,
        "",
    );
}

#[test]
fn scan_to_a_closed_pipe_exits_with_the_pairs_status() {
    let accepted = tempfile::tempdir().unwrap();
    let rejected = tempfile::tempdir().unwrap();
    let no_pair = tempfile::tempdir().unwrap();
    for (dir, fixture, file) in [
        (&accepted, "p256/fullchain.pem", "a.crt"),
        (&accepted, "p256/key.pkcs8.pem", "a.key"),
        (&rejected, "p256/fullchain.pem", "a.crt"),
        (&rejected, "rsa2048/key.pkcs8.pem", "a.key"),
        (&no_pair, "p256/key.pkcs8.pem", "lonely.key"),
    ] {
        std::fs::copy(common::path(fixture), dir.path().join(file)).unwrap();
    }
    let [accepted, rejected, no_pair] =
        [&accepted, &rejected, &no_pair].map(|dir| dir.path().to_str().unwrap());
    for format in ["text", "json"] {
        let scan = |dir| {
            [
                "scan", "--api", "cdn", "--at", VALID, "--format", format, dir,
            ]
        };
        assert_same_status(&scan(accepted), 0, "");
        assert_same_status(&scan(rejected), 1, "");
        // The unpaired key is reported on standard output; no pair checked is status 2.
        assert_same_status(
            &scan(no_pair),
            2,
            &format!("cert-preflight: no certificate/key pair found under {no_pair}\n"),
        );
    }
}

#[test]
fn every_commands_help_says_what_a_closed_pipe_does() {
    const SAYS: &str = "\nA closed standard output (… | head -1) is not an error: the output \
                        stops there, without a message,\nand the exit status is the one above.\n";
    for args in [
        &["--help"][..],
        &["-h"],
        &["check", "--help"],
        &["request", "--help"],
        &["codes", "--help"],
        &["scan", "--help"],
    ] {
        let output = command(args).stdout(Stdio::piped()).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(help.ends_with(SAYS), "{args:?}: {help}");
    }
}
