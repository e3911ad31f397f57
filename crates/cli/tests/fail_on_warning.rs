//! `--fail-on-warning` (alias `--deny-warnings`): an accepted certificate with warnings exits 1,
//! for cron jobs; the output is the same as without it. The testdata leaf expires on
//! 2027-01-01T00:00:00Z, so at 2026-12-15 it is accepted with `ExpiresSoon`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use assert_cmd::Command;

const SOON: &str = "2026-12-15T00:00:00Z";

fn run(args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

fn check(extra: &[&str]) -> (i32, String) {
    let cert = common::path("p256/fullchain.pem");
    let key = common::path("p256/key.pkcs8.pem");
    let mut args = vec![
        "check",
        "--api",
        "cdn",
        "--domain",
        "www.example.com",
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

const EXPIRES_SOON: &str = "ACCEPTED: the service would take this certificate and key.\n\
    warning [ExpiresSoon]: the certificate expires on 2027-01-01T00:00:00Z, in 17 days; renew it\n\
    skipped (no --state for them): DomainState, DuplicateName, Storage\n";

#[test]
fn check_exits_1_on_an_accepted_certificate_with_warnings() {
    assert_eq!(check(&["--at", SOON]), (0, EXPIRES_SOON.to_owned()));
    assert_eq!(
        check(&["--at", SOON, "--fail-on-warning"]),
        (1, EXPIRES_SOON.to_owned())
    );
    assert_eq!(
        check(&["--at", SOON, "--deny-warnings", "--format", "json"]),
        (
            1,
            "{\"Accepted\":true,\"Warnings\":[{\"Code\":\"ExpiresSoon\",\"Detail\":\"the certificate \
             expires on 2027-01-01T00:00:00Z, in 17 days; renew it\"}],\"Skipped\":[\"DomainState\",\
             \"DuplicateName\",\"Storage\"]}\n"
                .to_owned()
        )
    );
    // Without warnings it passes; a rejection stays 1.
    assert_eq!(
        check(&["--at", "2026-06-01T00:00:00Z", "--fail-on-warning"]),
        (
            0,
            "ACCEPTED: the service would take this certificate and key.\n\
             skipped (no --state for them): DomainState, DuplicateName, Storage\n"
                .to_owned()
        )
    );
    assert_eq!(
        check(&["--at", "2027-01-01T00:00:01Z", "--fail-on-warning"]).0,
        1
    );
}

#[test]
fn request_exits_1_on_an_accepted_certificate_with_warnings() {
    let encode = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|&b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    let query = format!(
        "Action=SetDomainServerCertificate&DomainName=www.example.com&ServerCertificateStatus=on&ServerCertificate={}&PrivateKey={}",
        encode(&common::fixture("p256/fullchain.pem")),
        encode(&common::fixture("p256/key.pkcs8.pem")),
    );
    assert_eq!(
        run(&["request", "--at", SOON, &query]),
        (0, EXPIRES_SOON.to_owned())
    );
    assert_eq!(
        run(&["request", "--at", SOON, "--fail-on-warning", &query]),
        (1, EXPIRES_SOON.to_owned())
    );
}

#[test]
fn scan_exits_1_when_any_accepted_pair_has_warnings() {
    let dir = tempfile::tempdir().unwrap();
    for (fixture, file) in [
        ("p256/fullchain.pem", "www.example.com.crt"),
        ("p256/key.pkcs8.pem", "www.example.com.key"),
    ] {
        std::fs::copy(common::path(fixture), dir.path().join(file)).unwrap();
    }
    let root = dir.path().to_str().unwrap();
    let expected = format!(
        "1 pair(s) checked for cdn at {SOON}: 1 accepted, 0 rejected; 0 file(s) not checked\n  \
         accepted               1\n  \
         warning   ExpiresSoon  1\n\n\
         WARNING  {root}/www.example.com.crt: [ExpiresSoon] the certificate expires on \
         2027-01-01T00:00:00Z, in 17 days; renew it\n"
    );
    assert_eq!(
        run(&["scan", "--api", "cdn", "--at", SOON, root]),
        (0, expected.clone())
    );
    assert_eq!(
        run(&[
            "scan",
            "--api",
            "cdn",
            "--at",
            SOON,
            "--fail-on-warning",
            root
        ]),
        (1, expected)
    );
}
