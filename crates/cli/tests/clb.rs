//! `check --api clb` and `request` for Classic Load Balancer's `UploadServerCertificate`, as a
//! user runs them: `--region` for `RegionId`, the SLB common-error list's codes, exit statuses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use assert_cmd::Command;
use serde_json::Value;

const AT: &str = "2026-06-01T00:00:00Z";

fn fixture(relative: &str) -> String {
    common::path(relative).to_str().unwrap().to_owned()
}

/// `check --api clb --format json --at AT` with these arguments: (exit status, JSON, stderr).
fn check(args: &[&str]) -> (i32, Value, String) {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["check", "--api", "clb", "--format", "json", "--at", AT])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        serde_json::from_slice(&output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn pair(cert: &str, key: &str) -> Vec<String> {
    vec![
        "--region".to_owned(),
        "cn-hangzhou".to_owned(),
        "--cert-name".to_owned(),
        "www-2026".to_owned(),
        "--cert".to_owned(),
        fixture(cert),
        "--key".to_owned(),
        fixture(key),
    ]
}

fn run(args: &[String]) -> (i32, Value, String) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    check(&args)
}

#[test]
fn a_pkcs1_rsa_pair_is_accepted() {
    let (status, json, stderr) = run(&pair("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem"));
    assert_eq!((status, stderr.as_str()), (0, ""), "{json}");
    assert_eq!(json["Accepted"], true);
    assert_eq!(json["Warnings"], Value::Array(Vec::new()));
}

#[test]
fn refusals_carry_the_slb_codes() {
    let cases: [(Vec<String>, &str, &str); 5] = [
        (
            pair("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem")[2..].to_vec(),
            "MissingRegionId",
            "RegionId is mandatory for this action.",
        ),
        (
            pair("rsa2048/fullchain.pem", "rsa2048/key.pkcs8.pem"),
            "InvalidParameter",
            "The specified parameter key format is error.",
        ),
        (
            pair("pem/blank-line-between.pem", "rsa2048/key.pkcs1.pem"),
            "KeyFormatError",
            "The specified ServerCertificate is incorrectly formatted.",
        ),
        (
            pair("rsa2048/fullchain.pem", "keys/rsa2048.encrypted-pkcs1.pem"),
            "PrivateKeyEncryption",
            "Key has Encrypted .",
        ),
        (
            pair("rsa2048/fullchain.pem", "mismatch/rsa2048-b.key.pkcs1.pem"),
            "CertificateNotMatchPrivateKey",
            "Certificate and key does not match.",
        ),
    ];
    for (args, code, message) in cases {
        let (status, json, _) = run(&args);
        assert_eq!(status, 1, "{json}");
        assert_eq!(
            (json["Code"].as_str(), json["Message"].as_str()),
            (Some(code), Some(message)),
            "{json}"
        );
        assert_eq!(json["HttpStatus"], 400);
    }
    // A name with a space, and one of 81 characters.
    let mut named = pair("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem");
    named[3] = "www 2026".to_owned();
    assert_eq!(
        run(&named).1["Message"],
        "The specified parameter is not valid."
    );
    named[3] = "n".repeat(81);
    assert_eq!(run(&named).1["Code"], "InvalidParameterLength");
}

#[test]
fn the_text_says_how_to_convert_a_pkcs8_key() {
    let mut args = pair("rsa2048/fullchain.pem", "rsa2048/key.pkcs8.pem");
    args.extend(["--format".to_owned(), "text".to_owned()]);
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["check", "--api", "clb", "--at", AT])
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(
            "REJECTED: InvalidParameter (HTTP 400)\n  message: The specified parameter key \
             format is error.\n  detail:  the key is a PKCS#8 PRIVATE KEY; this API takes only \
             PKCS#1 RSA PRIVATE KEY (an RSA key: convert it with `openssl rsa -in key.pem -out \
             key.pkcs1.pem -traditional`"
        ),
        "{text}"
    );
}

/// A raw request by certificate-service id, as certd sends it: the look-up needs `--state`.
#[test]
fn request_by_certificate_service_id() {
    let query = "Action=UploadServerCertificate&RegionId=cn-hangzhou&AliCloudCertificateId=21000001\
                 &AliCloudCertificateName=certd_2026&AliCloudCertificateRegionId=cn-hangzhou";
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["request", "--at", AT, query])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "ACCEPTED: the service would use a certificate from the certificate service.\n\
         skipped (no --state for them): CasLookup\n"
    );
}

#[test]
fn codes_lists_the_table_with_its_evidence() {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["codes", "--api", "clb", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let rows: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows: Vec<(&str, &str)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["Code"].as_str().unwrap(), r["Evidence"].as_str().unwrap()))
        .collect();
    assert_eq!(rows.len(), 15);
    assert_eq!(rows[0], ("KeyFormatError", "documented"));
    assert_eq!(rows[12], ("MissingRegionId", "inferred"));
    assert!(rows.iter().all(|(_, evidence)| *evidence != "observed"));
}
