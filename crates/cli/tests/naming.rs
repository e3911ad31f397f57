//! What a newcomer reads: `check`'s details name its options and the files it was given
//! (`--cert is absent…`, `pass --force-set 1`, `openssl pkcs12 -in bundle.p12 …`), in the text
//! and in the JSON; `request`'s name the API's parameters, as the request does. Warnings are
//! shown by code and text, never in a `Debug` form, and chain positions count from 1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use assert_cmd::Command;
use serde_json::{Value, json};

const AT: &str = "2026-06-01T00:00:00Z";

/// The first bytes of a PKCS#12 file that `openssl pkcs12 -export` wrote (its PFX header:
/// `SEQUENCE { INTEGER 3, SEQUENCE { pkcs7-data … } … }`, which is what identifies one).
const PFX_HEADER: [u8; 24] = [
    0x30, 0x82, 0x04, 0x8c, 0x02, 0x01, 0x03, 0x30, 0x82, 0x04, 0x42, 0x06, 0x09, 0x2a, 0x86, 0x48,
    0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x82,
];

fn fixture(name: &str) -> String {
    common::path(name).to_str().unwrap().to_owned()
}

/// Runs `cert-preflight args…` and returns (exit status, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "", "{args:?}");
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn check_without_cert_says_the_cert_option_is_absent() {
    let key = fixture("p256/key.pkcs8.pem");
    let (status, text) = run(&[
        "check",
        "--api",
        "live",
        "--domain",
        "www.example.com",
        "--cert-name",
        "n",
        "--key",
        &key,
        "--at",
        AT,
    ]);
    assert_eq!(status, 1);
    assert_eq!(
        text,
        "REJECTED: SSLPub.MissingParameter (HTTP 400)\n  \
         message: An input parameter \"SSLPub\" that is mandatory for processing the request is \
         not supplied.\n  \
         detail:  --cert is absent; an upload needs the certificate chain (leaf first) in it\n\
         skipped (no --state for them): DomainState, DuplicateName, DuplicateContent\n"
    );
    // The message is the service's (its parameter's name); the detail names the option.
    let (_, out) = run(&[
        "check",
        "--api",
        "cdn",
        "--domain",
        "d.example",
        "--format",
        "json",
    ]);
    let verdict: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        verdict["Detail"],
        "--cert is absent; an upload needs the certificate chain (leaf first) in it"
    );
    assert_eq!(
        verdict["Findings"][1]["Detail"],
        "--key is absent; an upload needs the private key in it"
    );
}

/// A state file where `prod-2026` is taken.
fn taken_name() -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(
        &mut file,
        br#"{"certificates": [{"name": "prod-2026", "type": "upload"}]}"#,
    )
    .unwrap();
    file
}

#[test]
fn a_name_clash_says_pass_force_set_1_in_check_and_force_set_in_request() {
    let state = taken_name();
    let state = state.path().to_str().unwrap();
    let (cert, key) = (fixture("p256/fullchain.pem"), fixture("p256/key.pkcs8.pem"));
    let check = [
        "check",
        "--api",
        "live",
        "--domain",
        "www.example.com",
        "--cert-name",
        "prod-2026",
        "--cert",
        &cert,
        "--key",
        &key,
        "--state",
        state,
        "--at",
        AT,
    ];
    let detail = "a certificate named \"prod-2026\" is already stored; choose another --cert-name \
                  or pass --force-set 1 to overwrite it";
    let (status, text) = run(&check);
    assert_eq!(status, 1);
    assert_eq!(
        text,
        format!(
            "REJECTED: Certificate.Duplicated (HTTP 400)\n  \
             message: The certificate name is duplicated.\n  \
             detail:  {detail}\n\
             skipped (what they need is not in --state): DomainState\n"
        )
    );
    let (_, out) = run(&[&check[..], &["--format", "json"]].concat());
    let verdict: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["Detail"], detail);
    assert_eq!(verdict["Findings"][0]["Detail"], detail);
    // --force-set 1 does what the detail says.
    let (status, _) = run(&[&check[..], &["--force-set", "1"]].concat());
    assert_eq!(status, 0);

    // A raw request names the API's parameters.
    let encode = |bytes: &[u8]| -> String {
        bytes
            .iter()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    char::from(*b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let query = format!(
        "Action=SetLiveDomainCertificate&DomainName=www.example.com&SSLProtocol=on\
         &CertName=prod-2026&SSLPub={}&SSLPri={}",
        encode(&common::fixture("p256/fullchain.pem")),
        encode(&common::fixture("p256/key.pkcs8.pem")),
    );
    let (status, out) = run(&[
        "request", &query, "--state", state, "--at", AT, "--format", "json",
    ]);
    assert_eq!(status, 1);
    let verdict: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        verdict["Detail"],
        "a certificate named \"prod-2026\" is already stored; choose another CertName or set \
         ForceSet=1 to overwrite it"
    );
}

#[test]
fn a_pkcs12_file_given_as_cert_is_named_in_the_openssl_commands() {
    let dir = tempfile::tempdir().unwrap();
    let key = fixture("p256/key.pkcs8.pem");
    let advice = |file: &str| {
        format!(
            "--cert is a PKCS#12/PFX file (binary), not PEM text: split it with `openssl pkcs12 \
             -in {file} -nokeys -out cert.pem` (the certificates) and `openssl pkcs12 -in {file} \
             -nocerts -nodes -out key.pem` (the private key), and give those"
        )
    };
    for name in ["bundle.p12", "my certs/o'brien.p12"] {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, PFX_HEADER).unwrap();
        let path = path.to_str().unwrap();
        let (status, text) = run(&[
            "check",
            "--api",
            "cdn",
            "--domain",
            "www.example.com",
            "--cert",
            path,
            "--key",
            &key,
            "--at",
            AT,
        ]);
        assert_eq!(status, 1);
        let shown = if name == "bundle.p12" {
            path.to_owned()
        } else {
            // Quoted for a shell, as the user would paste it.
            format!("'{}'", path.replace('\'', r"'\''"))
        };
        assert_eq!(
            text.lines().nth(2).unwrap(),
            format!("  detail:  {}", advice(&shown)),
            "{name}"
        );
    }
    // Read from standard input, the file has no name: the command says F.
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["check", "--api", "cdn", "--domain", "www.example.com"])
        .args(["--cert", "-", "--key", &key, "--at", AT, "--format", "json"])
        .write_stdin(PFX_HEADER.to_vec())
        .output()
        .unwrap();
    let verdict: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(verdict["Detail"], advice("F"));
}

/// Item 5 of the newcomer's report: each warning is its code and its text, in the text output
/// and in the JSON, never a `Debug` form; chain positions count from 1.
#[test]
fn warnings_are_shown_by_code_and_text() {
    let sm2 = "the certificate has an SM2 key; Alibaba Cloud deploys SM2 (ShangMi) certificates \
               through the certificate service (--cert-type cas) and SetCdnDomainSMCertificate, \
               and an upload may be refused";
    let cases = [
        (
            "sm2/fullchain.pem",
            "sm2/key.pkcs8.pem",
            "Sm2Certificate",
            sm2.to_owned(),
        ),
        (
            "chain/leaf-repeated.pem",
            "rsa2048/key.pkcs8.pem",
            "DuplicateCertificate",
            "certificate 3 repeats certificate 1; remove the copy".to_owned(),
        ),
        (
            "ed25519/fullchain.pem",
            "ed25519/key.pkcs8.pem",
            "Ed25519Certificate",
            "the certificate has an Ed25519 key; no browser supports Ed25519 certificates in TLS \
             today, so browsers will fail to connect: use a certificate with an ECDSA P-256 key \
             or an RSA key of 2048 bits or more"
                .to_owned(),
        ),
    ];
    for (cert, key, code, detail) in cases {
        let (cert, key) = (fixture(cert), fixture(key));
        let args = [
            "check",
            "--api",
            "cdn",
            "--domain",
            "www.example.com",
            "--cert",
            &cert,
            "--key",
            &key,
            "--at",
            AT,
        ];
        let (status, text) = run(&args);
        assert_eq!(status, 0);
        assert_eq!(
            text,
            format!(
                "ACCEPTED: the service would take this certificate and key.\n\
                 warning [{code}]: {detail}\n\
                 skipped (no --state for them): DomainState, DuplicateName, Storage\n"
            )
        );
        let (_, out) = run(&[&args[..], &["--format", "json"]].concat());
        let verdict: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            verdict["Warnings"],
            json!([{"Code": code, "Detail": detail}])
        );
    }
    // A rejection's warnings too: the chain's order, 1-based.
    let (cert, key) = (
        fixture("chain/leaf-not-first.pem"),
        fixture("rsa2048/key.pkcs8.pem"),
    );
    let (_, text) = run(&[
        "check",
        "--api",
        "live",
        "--domain",
        "www.example.com",
        "--cert-name",
        "n",
        "--cert",
        &cert,
        "--key",
        &key,
        "--at",
        AT,
    ]);
    assert_eq!(
        text,
        "REJECTED: Certificate.MissMatch (HTTP 400)\n  \
         message: The certificate is not match the private key.\n  \
         detail:  the key belongs to certificate 2 of the chain (CN=www.example.com), not to the \
         first: put the leaf certificate first, then its issuers\n\
         warning [ChainOutOfOrder]: the chain is out of order; put the certificates in this \
         order: 2, 1\n\
         skipped (no --state for them): DomainState, DuplicateName, DuplicateContent\n"
    );
}

/// `check --help` says how its details name things, and `request --help` that its name the
/// API's parameters.
#[test]
fn the_help_says_what_details_name() {
    let help = |command: &str| {
        let output = Command::cargo_bin("cert-preflight")
            .unwrap()
            .env("COLUMNS", "100")
            .args([command, "--help"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let check = help("check");
    assert!(
        check.contains(
            "Details name\n          check's options and files (\"--cert is absent…\", \"pass \
             --force-set 1\", \"openssl pkcs12 -in\n          FILE …\"), in text and JSON alike; \
             scripts should read Code, not Detail\n"
        ),
        "{check}"
    );
    let request = help("request");
    assert!(
        request.contains(
            "Details name the\n          API's parameters (SSLPub, ForceSet=1), as the request \
             does\n"
        ),
        "{request}"
    );
}

/// `scan` gives no options, so its details name the API's parameters; the files of the pair
/// are named in the commands they suggest.
#[test]
fn scan_names_the_pairs_files_in_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let (cert, key) = (root.join("site.crt"), root.join("site.key"));
    std::fs::write(&cert, PFX_HEADER).unwrap();
    std::fs::write(&key, common::fixture("p256/key.pkcs8.pem")).unwrap();
    let (cert, key, root) = (
        cert.to_str().unwrap(),
        key.to_str().unwrap(),
        root.to_str().unwrap(),
    );
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["scan", root, "--api", "cdn", "--at", AT, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["Cert"], cert);
    assert_eq!(line["Key"], key);
    assert_eq!(
        line["Detail"],
        format!(
            "ServerCertificate is a PKCS#12/PFX file (binary), not PEM text: split it with \
             `openssl pkcs12 -in {cert} -nokeys -out cert.pem` (the certificates) and `openssl \
             pkcs12 -in {cert} -nocerts -nodes -out key.pem` (the private key), and give those"
        )
    );
}
