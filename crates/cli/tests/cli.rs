//! The command line as scripts use it: output, JSON shapes, exit status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use assert_cmd::Command;
use serde_json::Value;

fn cmd() -> Command {
    Command::cargo_bin("cert-preflight").unwrap()
}

fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output).unwrap()
}

const SEED_URL: &str = "http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&DomainName=example.com&ServerCertificateStatus=on&ServerCertificate=xxx&PrivateKey=yyy&<公共请求参数>";

#[test]
fn codes_json_prints_every_profiles_table_in_the_published_order() {
    let output = cmd().args(["codes", "--format", "json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let rows = json(&output.stdout);
    let rows = rows.as_array().unwrap();
    for row in rows {
        let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["Api", "Code", "Evidence", "HttpStatus", "Message", "Source"],
            "{row}"
        );
    }
    // The published tables, in order and byte for byte; after each, the gateway's entry for
    // its required DomainName; then the certificate service's entries.
    let published: Vec<&Value> = rows
        .iter()
        .filter(|r| r["Api"] != "cas" && r["Api"] != "clb" && r["Code"] != "MissingDomainName")
        .collect();
    let tables = common::published_catalog();
    assert_eq!(published.len(), 59 + 82);
    assert_eq!(published.len(), tables.len());
    for (row, (api, code, status, message)) in published.iter().zip(&tables) {
        assert_eq!(row["Api"], api.as_str());
        assert_eq!(row["Code"], code.as_str());
        assert_eq!(row["Message"], message.as_str());
        assert_eq!(row["HttpStatus"], *status);
        assert_eq!(row["Evidence"], "documented", "{row}");
    }
    let gateway: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["Code"] == "MissingDomainName")
        .map(|r| (r["Api"].as_str().unwrap(), r["Evidence"].as_str().unwrap()))
        .collect();
    assert_eq!(
        gateway,
        [
            ("cdn", "documented"),
            ("live", "inferred"),
            ("cdn-ssl", "documented"),
            ("dcdn", "inferred"),
            ("vod", "inferred"),
        ]
    );
    assert_eq!(rows.iter().filter(|r| r["Api"] == "cas").count(), 11);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with(
        "[{\"Api\":\"cdn\",\"Code\":\"InvalidDomain.NotFound\",\"Message\":\"The domain provided does not belong to you.\",\"HttpStatus\":404,\"Evidence\":\"documented\",\"Source\":\"Alibaba Cloud CDN API reference, SetDomainServerCertificate (Chinese edition), 错误码\"},"
    ));
    assert!(text.contains(
        "{\"Api\":\"cas\",\"Code\":\"InvalidAction.NotFound\",\"Message\":\"Specified api is not found, please check your url and method.\",\"HttpStatus\":404,\"Evidence\":\"observed\",\"Source\":\"a public PHP helper of the certificate service quotes this answer; the status is the gateway's for every product\"},{\"Api\":\"clb\",\"Code\":\"KeyFormatError\","
    ));
    // Then CLB's (tests/clb.rs).
    assert_eq!(rows.iter().filter(|r| r["Api"] == "clb").count(), 15);
    assert_eq!(rows.last().unwrap()["Code"], "ServerCertificateId.NotFound");
}

#[test]
fn codes_for_one_api_and_as_text() {
    let output = cmd()
        .args(["codes", "--api", "live", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json(&output.stdout).as_array().unwrap().len(), 35 + 1);
    let output = cmd().args(["codes", "--api", "cdn"]).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().count(), 24 + 1);
    assert_eq!(
        text.lines().last().unwrap(),
        "cdn   400  MissingDomainName                                 DomainName is mandatory for this action."
    );
    assert_eq!(
        text.lines().next().unwrap(),
        "cdn   404  InvalidDomain.NotFound                            The domain provided does not belong to you."
    );
}

#[test]
fn the_seed_example_url_is_an_invalid_certificate() {
    let output = cmd()
        .args(["request", "--api", "cdn", "--format", "json", SEED_URL])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdict = json(&output.stdout);
    assert_eq!(verdict["Accepted"], false);
    assert_eq!(verdict["Code"], "InvalidCertificate");
    assert_eq!(
        verdict["Message"],
        "The Certificate you provided is malformed!"
    );
    assert_eq!(verdict["HttpStatus"], 400);
    assert_eq!(
        verdict["Detail"],
        "ServerCertificate: it is not PEM: no -----BEGIN …----- line was found"
    );
    assert_eq!(verdict["Findings"][1]["Code"], "InvalidPrivateKey");
}

#[test]
fn a_request_for_another_api_is_a_usage_error() {
    let output = cmd()
        .args(["request", "--api", "live", SEED_URL])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "cert-preflight: the request's Action is \"SetDomainServerCertificate\", but the chosen API is SetLiveDomainCertificate\n"
    );
}

#[test]
fn check_accepts_a_real_chain_exit_0() {
    let output = cmd()
        .args(["check", "--api", "live", "--format", "json"])
        .args([
            "--cert",
            common::path("p256/fullchain.pem").to_str().unwrap(),
        ])
        .args([
            "--key",
            common::path("p256/key.pkcs8.pem").to_str().unwrap(),
        ])
        .args(["--domain", "www.example.com", "--cert-name", "prod-2026"])
        .args(["--at", "2026-06-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "{\"Accepted\":true,\"Warnings\":[],\"Skipped\":[\"DomainState\",\"DuplicateName\",\"DuplicateContent\",\"Storage\"]}\n"
    );
}

#[test]
fn check_rejects_with_every_finding_exit_1() {
    let output = cmd()
        .args(["check", "--api", "cdn", "--format", "json"])
        .args(["--domain", "www.example.com"])
        .args(["--cert", common::path("time/expired.pem").to_str().unwrap()])
        .args([
            "--key",
            common::path("mismatch/rsa2048-b.key.pkcs1.pem")
                .to_str()
                .unwrap(),
        ])
        .args(["--at", "2026-06-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdict = json(&output.stdout);
    assert_eq!(verdict["Code"], "Certificate.MissMatch");
    assert_eq!(
        verdict["Message"],
        "The Private Key does not math the specified Certificate!"
    );
    assert_eq!(
        verdict["Detail"],
        "the key's RSA modulus differs from the certificate's: this key belongs to another certificate"
    );
    let findings: Vec<&str> = verdict["Findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Code"].as_str().unwrap())
        .collect();
    assert_eq!(
        findings,
        vec!["Certificate.MissMatch", "Certificate.StatusError"]
    );
    assert_eq!(
        verdict["Findings"][1]["Detail"],
        "the certificate expired on 2026-01-01T00:00:00Z (checked at 2026-06-01T00:00:00Z)"
    );
}

#[test]
fn check_text_output_explains_the_rejection() {
    let output = cmd()
        .args(["check", "--api", "live", "--cert-name", "n"])
        .args(["--domain", "www.example.com"])
        .args([
            "--cert",
            common::path("p256/key.pkcs8.pem").to_str().unwrap(),
        ])
        .args([
            "--key",
            common::path("p256/fullchain.pem").to_str().unwrap(),
        ])
        .args(["--at", "2026-06-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "REJECTED: InvalidSSLPubOrInvalidSSLPri (HTTP 400)\n  \
         message: The SSLPri or SSLPub you provided is malformed!\n  \
         detail:  --cert: it has no CERTIFICATE block, only PRIVATE KEY: the private key is in the certificate's place; \
         --key: it has no private-key block, only CERTIFICATE, CERTIFICATE: a certificate is in the private key's place \
         (the certificate and the private key are swapped)\n\
         skipped (no --state for them): DomainState, DuplicateName, DuplicateContent\n"
    );
}

#[test]
fn absent_flags_are_absent_parameters() {
    let output = cmd()
        .args(["check", "--api", "cdn", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdict = json(&output.stdout);
    // No --domain: no DomainName, which the API gateway requires.
    assert_eq!(verdict["Code"], "MissingDomainName");
    assert_eq!(
        verdict["Findings"][1]["Code"],
        "ServerCertificate.MissingParameter"
    );
    assert_eq!(
        verdict["Findings"][2]["Code"],
        "PrivateKey.MissingParameter"
    );
}

#[test]
fn status_and_cert_type_are_sent_as_given() {
    let output = cmd()
        .args([
            "check",
            "--api",
            "cdn",
            "--status",
            "On",
            "--format",
            "json",
            "--domain",
            "d.example",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        json(&output.stdout)["Code"],
        "InvalidServerCertificateStatus.ValueNotSupported"
    );
    let output = cmd()
        .args([
            "check",
            "--api",
            "cdn",
            "--status",
            "off",
            "--format",
            "json",
            "--domain",
            "d.example",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_accepted_verdict_says_what_the_service_would_do() {
    let cert = common::path("p256/fullchain.pem");
    let key = common::path("p256/key.pkcs8.pem");
    let files = [
        "--cert",
        cert.to_str().unwrap(),
        "--key",
        key.to_str().unwrap(),
    ];
    let domain = ["--domain", "www.example.com"];
    let off = ["--status", "off"];
    for (api, args, stdout) in [
        (
            "cdn",
            [&domain[..], &files].concat(),
            "ACCEPTED: the service would take this certificate and key.\n\
             skipped (no --state for them): DomainState, DuplicateName, Storage\n",
        ),
        (
            "cdn",
            [&domain[..], &off].concat(),
            "ACCEPTED: the service would turn HTTPS off for www.example.com.\n\
             skipped (no --state for them): DomainState, SwitchOff\n",
        ),
        // With HTTPS off nothing else is checked, the files given or not.
        (
            "cdn",
            [&domain[..], &off, &files].concat(),
            "ACCEPTED: the service would turn HTTPS off for www.example.com.\n\
             skipped (no --state for them): DomainState, SwitchOff\n",
        ),
        (
            "vod",
            [&domain[..], &off].concat(),
            "ACCEPTED: the service would turn HTTPS off for www.example.com.\n\
             skipped (no --state for them): DomainState, SwitchOff\n",
        ),
        (
            "cdn",
            [
                &domain[..],
                &["--cert-type", "cas", "--cert-name", "prod-2026"],
            ]
            .concat(),
            "ACCEPTED: the service would set a certificate from the certificate service for \
             www.example.com.\nskipped (no --state for them): DomainState, CasLookup, Storage\n",
        ),
        (
            "cdn",
            [&domain[..], &["--cert-type", "free"]].concat(),
            "ACCEPTED: the service would set a free certificate of its own for www.example.com.\n\
             skipped (no --state for them): DomainState, Storage\n",
        ),
    ] {
        let output = cmd()
            .args(["check", "--api", api, "--at", "2026-06-01T00:00:00Z"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            stdout,
            "{args:?}"
        );
    }
    // A raw request without the switch turns HTTPS off too.
    let output = cmd()
        .args([
            "request",
            "Action=SetLiveDomainCertificate&DomainName=live.example.com",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "ACCEPTED: the service would turn HTTPS off for live.example.com.\n\
         skipped (no --state for them): DomainState, SwitchOff\n"
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let output = cmd()
        .args(["check", "--api", "cdn", "--format", "json", "--cert", "-"])
        .args(["--domain", "www.example.com"])
        .args([
            "--key",
            common::path("p256/key.pkcs8.pem").to_str().unwrap(),
        ])
        .args(["--at", "2026-06-01T00:00:00Z"])
        .write_stdin(common::fixture("p256/fullchain.pem"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let output = cmd()
        .args(["request", "--api", "live", "--format", "json", "-"])
        .write_stdin("DomainName=live.example.com&SSLProtocol=off")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing_api = cmd().args(["check"]).output().unwrap();
    assert_eq!(missing_api.status.code(), Some(2));
    let bad_time = cmd()
        .args(["check", "--api", "cdn", "--at", "yesterday"])
        .output()
        .unwrap();
    assert_eq!(bad_time.status.code(), Some(2));
    let stderr = String::from_utf8(bad_time.stderr).unwrap();
    assert!(stderr.contains("not an RFC 3339 time"), "{stderr}");
    let no_file = cmd()
        .args(["check", "--api", "cdn", "--cert", "/nonexistent/cert.pem"])
        .output()
        .unwrap();
    assert_eq!(no_file.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(no_file.stderr).unwrap(),
        "cert-preflight: /nonexistent/cert.pem: No such file or directory (os error 2)\n"
    );
    let both_stdin = cmd()
        .args(["check", "--api", "cdn", "--cert", "-", "--key", "-"])
        .write_stdin("x")
        .output()
        .unwrap();
    assert_eq!(both_stdin.status.code(), Some(2));
}

#[test]
fn help_explains_each_flag() {
    let output = cmd().args(["check", "--help"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--api",
        "--domain",
        "--status",
        "--cert ",
        "--key ",
        "--cert-name",
        "--cert-type",
        "--force-set",
        "--at",
        "--format",
        "--state",
    ] {
        assert!(help.contains(flag), "check --help lacks {flag}");
    }
}

fn state_file(text: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
    file
}

#[test]
fn state_file_drives_the_state_checks() {
    let state = state_file(
        r#"{"domains": {"www.example.com": {"state": "protected_mode"}}, "faults": {"store": true}}"#,
    );
    let output = cmd()
        .args([
            "check",
            "--api",
            "live",
            "--format",
            "json",
            "--cert-name",
            "n",
        ])
        .args(["--domain", "www.example.com"])
        .args([
            "--cert",
            common::path("p256/fullchain.pem").to_str().unwrap(),
        ])
        .args([
            "--key",
            common::path("p256/key.pkcs8.pem").to_str().unwrap(),
        ])
        .args(["--at", "2026-06-01T00:00:00Z"])
        .args(["--state", state.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let verdict = json(&output.stdout);
    assert_eq!(verdict["Code"], "DomainInProtectedMode");
    assert_eq!(verdict["HttpStatus"], 400);
    assert_eq!(
        verdict["Skipped"],
        serde_json::json!(["DuplicateName", "DuplicateContent"])
    );
    // The same through a raw request.
    let raw = "SSLProtocol=off&DomainName=www.example.com";
    let output = cmd()
        .args(["request", "--api", "live", "--format", "json", raw])
        .args(["--state", state.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(json(&output.stdout)["Code"], "DomainInProtectedMode");
}

/// With `--state`, a check is skipped because the file leaves its part out, not because no
/// state was given: the text says which.
#[test]
fn skipped_checks_say_what_state_file_lacks() {
    let state = state_file(r#"{"domains": {"www.example.com": {"state": "online"}}}"#);
    let output = cmd()
        .args(["check", "--api", "live", "--cert-name", "n"])
        .args(["--domain", "www.example.com"])
        .args([
            "--cert",
            common::path("p256/fullchain.pem").to_str().unwrap(),
        ])
        .args([
            "--key",
            common::path("p256/key.pkcs8.pem").to_str().unwrap(),
        ])
        .args(["--at", "2026-06-01T00:00:00Z"])
        .args(["--state", state.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "ACCEPTED: the service would take this certificate and key.\n\
         skipped (what they need is not in --state): DuplicateName, DuplicateContent, Storage\n"
    );
}

#[test]
fn a_malformed_state_file_is_exit_2_with_line_and_column() {
    let state = state_file("{\n  \"domains\": {\n    \"a.com\": {\"state\": }\n  }\n}\n");
    let output = cmd()
        .args([
            "check",
            "--api",
            "cdn",
            "--state",
            state.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "cert-preflight: {}: line 3, column 24: ",
            state.path().display()
        )),
        "{stderr}"
    );
    let unknown = state_file(r#"{"domains": {"a.com": {"state": "asleep"}}}"#);
    let output = cmd()
        .args([
            "check",
            "--api",
            "cdn",
            "--state",
            unknown.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "cert-preflight: {}: domain \"a.com\": unknown state \"asleep\"; allowed: online, not_found, not_owned, forbidden, offline, configuring, suspended, safe_mode, protected_mode, function_mutex\n",
            unknown.path().display()
        )
    );
}
