//! `cert-preflight serve` as a client meets it: the real binary on a free port, raw HTTP
//! requests signed here (RPC v1, the wire layer's own functions), then the real clients of
//! `clients/` (legacy Python SDK, Tea SDK v3 and v2, pop-core, acme.sh's request).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod serve_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cert_preflight::{Options, Profile, Request, validate};
use cert_preflight_serve::wire::percent_encode;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use serve_support::*;

#[test]
fn every_profile_refuses_with_its_catalog_entry_and_detail() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let chain = fixture("rsa2048/fullchain.pem");
    let wrong_key = fixture("rsa4096/key.pkcs1.pem");
    let at = OffsetDateTime::parse(AT, &Rfc3339).unwrap();
    for profile in Profile::ALL {
        let params = upload(profile, "www.example.com", "n1", &chain, &wrong_key);
        let reply = post(server.port, &params, &Signing::new());
        // The library's own answer, without state: the server's state is empty (all online).
        let request = Request::from_pairs(
            profile,
            params.iter().map(|(k, v)| (k.as_bytes(), v.as_bytes())),
        );
        let verdict = validate(profile, &request, &Options::at(at));
        let finding = verdict.answer().unwrap();
        assert_refusal(
            &reply,
            finding.http_status(),
            finding.code(),
            finding.message(),
        );
        let body = reply.json();
        assert_eq!(body["PreflightDetail"], finding.detail());
        assert!(reply.header("x-preflight-detail").is_some());
    }
    // One written out: CDN's answer to a key of another certificate.
    let reply = post(
        server.port,
        &upload(profile("cdn"), "www.example.com", "n1", &chain, &wrong_key),
        &Signing::new(),
    );
    assert_eq!(reply.status, 400);
    assert!(
        reply.body.contains(r#""Code":"Certificate.MissMatch""#),
        "{}",
        reply.body
    );
}

#[test]
fn accepted_upload_is_read_back_and_xml_works() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let reply = post(
        server.port,
        &upload(profile("cdn"), "www.example.com", "my cert*~", &chain, &key),
        &Signing::new(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let id = reply.json()["RequestId"].as_str().unwrap().to_owned();
    assert_eq!(reply.body, format!("{{\"RequestId\":\"{id}\"}}"));
    let read = post(
        server.port,
        &[
            ("Action", "DescribeDomainCertificateInfo"),
            ("Version", "2018-05-10"),
            ("DomainName", "www.example.com"),
        ],
        &Signing::new(),
    );
    assert_eq!(read.status, 200, "{}", read.body);
    let info = &read.json()["CertInfos"]["CertInfo"][0];
    assert_eq!(info["DomainName"], "www.example.com");
    assert_eq!(info["CertName"], "my cert*~");
    assert_eq!(info["CertType"], "upload");
    assert_eq!(info["ServerCertificateStatus"], "on");
    assert_eq!(info["CertExpireTime"], "2027-01-01T00:00:00Z");
    assert_eq!(info["CertDomainName"], "www.example.com");
    assert_eq!(info["ServerCertificate"], chain.as_str());
    // Live's read-back of another product: nothing there.
    let live = post(
        server.port,
        &[
            ("Action", "DescribeLiveDomainCertificateInfo"),
            ("Version", "2016-11-01"),
            ("DomainName", "www.example.com"),
        ],
        &Signing::new(),
    );
    assert_eq!(live.json()["CertInfos"]["CertInfo"], serde_json::json!([]));
    // The same upload again: the stored name answers.
    let again = post(
        server.port,
        &upload(profile("cdn"), "www.example.com", "my cert*~", &chain, &key),
        &Signing::new(),
    );
    assert_eq!(
        again.json()["Code"],
        "Certificate.Duplicated",
        "{}",
        again.body
    );
    // Switching off clears it.
    let off = post(
        server.port,
        &[
            ("Action", "SetDomainServerCertificate"),
            ("Version", "2018-05-10"),
            ("DomainName", "www.example.com"),
            ("ServerCertificateStatus", "off"),
        ],
        &Signing::new(),
    );
    assert_eq!(off.status, 200, "{}", off.body);
    let mut params = vec![
        ("Action", "DescribeDomainCertificateInfo"),
        ("Version", "2018-05-10"),
        ("DomainName", "www.example.com"),
    ];
    let read = post(server.port, &params, &Signing::new());
    let info = &read.json()["CertInfos"]["CertInfo"][0];
    assert_eq!(info["ServerCertificateStatus"], "off");
    assert_eq!(info["ServerCertificate"], "");
    // XML.
    params.push(("Format", "XML"));
    let xml = post(server.port, &params, &Signing::new());
    assert_eq!(xml.status, 200, "{}", xml.body);
    assert!(xml.header("content-type").unwrap().starts_with("text/xml"));
    assert!(
        xml.body.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeDomainCertificateInfoResponse>"
        ),
        "{}",
        xml.body
    );
    assert!(xml.body.contains("<CertInfos><CertInfo>"), "{}", xml.body);
}

#[test]
fn gateway_refusals_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--access-key", "ak1:s3cret"]);
    let stderr_start = server.stderr();
    assert!(!stderr_start.contains("accepting AccessKeyId \"test\""));
    let params = [
        ("Action", "DescribeDomainCertificateInfo"),
        ("Version", "2018-05-10"),
        ("DomainName", "www.example.com"),
    ];
    // Wrong secret: the message ends with the server's string to sign, equal to ours.
    let signing = Signing {
        ak: "ak1",
        secret: "wrong",
        timestamp: now_timestamp(),
        nonce: nonce(),
    };
    let (form, string_to_sign) = signed_form("POST", &params, &signing);
    let reply = raw(
        server.port,
        format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            server.port,
            form.len()
        )
        .as_bytes(),
    );
    assert_refusal(
        &reply,
        400,
        "SignatureDoesNotMatch",
        &format!(
            "Specified signature is not matched with our calculation. server string to sign \
             is:{string_to_sign}"
        ),
    );
    // Unknown key.
    let signing = Signing {
        ak: "nobody",
        ..Signing::new()
    };
    assert_refusal(
        &post(server.port, &params, &signing),
        404,
        "InvalidAccessKeyId.NotFound",
        "Specified access key is not found.",
    );
    // Replayed nonce.
    let signing = Signing {
        ak: "ak1",
        secret: "s3cret",
        timestamp: now_timestamp(),
        nonce: nonce(),
    };
    assert_eq!(post(server.port, &params, &signing).status, 200);
    assert_refusal(
        &post(server.port, &params, &signing),
        400,
        "SignatureNonceUsed",
        "Specified signature nonce was used already.",
    );
    // Stale timestamp.
    let signing = Signing {
        ak: "ak1",
        secret: "s3cret",
        timestamp: "2020-01-01T00:00:00Z".to_owned(),
        nonce: nonce(),
    };
    assert_refusal(
        &post(server.port, &params, &signing),
        400,
        "InvalidTimeStamp.Expired",
        "Specified time stamp or date value is expired.",
    );
    // Unknown action, wrong version.
    let signing = Signing {
        ak: "ak1",
        secret: "s3cret",
        ..Signing::new()
    };
    assert_refusal(
        &post(
            server.port,
            &[("Action", "Nope"), ("Version", "2018-05-10")],
            &signing,
        ),
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    );
    assert_refusal(
        &post(
            server.port,
            &[
                ("Action", "DescribeDomainCertificateInfo"),
                ("Version", "2014-11-11"),
            ],
            &signing,
        ),
        400,
        "InvalidVersion",
        "Specified parameter Version is not valid.",
    );
    // The log: one line per request, with the AccessKeyId and the code.
    let log = server.stderr();
    assert!(
        log.contains(" ak1 DescribeDomainCertificateInfo SignatureDoesNotMatch "),
        "{log}"
    );
    assert!(
        log.contains(" ak1 DescribeDomainCertificateInfo OK "),
        "{log}"
    );
    assert!(log.contains("InvalidTimeStamp.Expired"), "{log}");
}

#[test]
fn oversized_and_malformed_requests_get_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let json_error = |reply: &Reply, status: u16, code: &str| {
        assert_eq!(reply.status, status, "{}", reply.body);
        assert_eq!(reply.json()["Code"], code);
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json")
        );
    };
    let long_url = format!(
        "GET /?Action={} HTTP/1.1\r\nHost: h\r\n\r\n",
        "a".repeat(2 << 20)
    );
    json_error(
        &raw(server.port, long_url.as_bytes()),
        414,
        "RequestURITooLong",
    );
    let mut big_body = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2097152\r\n\r\n".to_vec();
    big_body.extend(std::iter::repeat_n(b'a', 2 << 20));
    json_error(&raw(server.port, &big_body), 413, "RequestEntityTooLarge");
    let mut chunked_big =
        b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..3 {
        chunked_big.extend(b"80000\r\n");
        chunked_big.extend(std::iter::repeat_n(b'a', 0x80000));
        chunked_big.extend(b"\r\n");
    }
    json_error(
        &raw(server.port, &chunked_big),
        413,
        "RequestEntityTooLarge",
    );
    let big_headers = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "b".repeat(70 << 10));
    json_error(
        &raw(server.port, big_headers.as_bytes()),
        431,
        "RequestHeaderFieldsTooLarge",
    );
    for garbage in [
        &b"garbage\r\n\r\n"[..],
        b"\x00\xff\xfe\x16\x03\x01\r\n\r\n",
        b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc",
        b"GET /?a=%zz HTTP/1.1\r\nConnection: close\r\n\r\n",
        b"GET /",
    ] {
        json_error(&raw(server.port, garbage), 400, "MalformedRequest");
    }
    // A 1 MiB-ish URL inside the limit is read (and refused for its signature, not its size).
    let url = format!(
        "GET /?Action=SetDomainServerCertificate&Version=2018-05-10&X={} HTTP/1.1\r\nConnection: close\r\n\r\n",
        "a".repeat(900 << 10)
    );
    json_error(
        &raw(server.port, url.as_bytes()),
        400,
        "IncompleteSignature",
    );
    // Still serving.
    let health = raw(
        server.port,
        b"GET /_preflight/health HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(server.stop().code(), Some(0));
}

#[test]
fn restart_keeps_certificates_and_nothing_holds_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let server = Server::start_db(dir.path(), &[]);
    let params = upload(profile("live"), "live.example.com", "kept", &chain, &key);
    let reply = post(server.port, &params, &Signing::new());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let first_stderr = server.stderr();
    assert_eq!(server.stop().code(), Some(0));

    let server = Server::start_db(dir.path(), &[]);
    let again = post(server.port, &params, &Signing::new());
    assert_eq!(
        again.json()["Code"],
        "Certificate.Duplicated",
        "{}",
        again.body
    );
    let read = post(
        server.port,
        &[
            ("Action", "DescribeLiveDomainCertificateInfo"),
            ("Version", "2016-11-01"),
            ("DomainName", "live.example.com"),
        ],
        &Signing::new(),
    );
    let info = &read.json()["CertInfos"]["CertInfo"][0];
    assert_eq!(info["CertName"], "kept");
    assert_eq!(info["SSLProtocol"], "on");
    assert_eq!(info["SSLPub"], chain.as_str());
    // A wrong secret puts the key in the answer (the string to sign), never in the log.
    let signing = Signing {
        secret: "wrong",
        ..Signing::new()
    };
    assert_eq!(
        post(server.port, &params, &signing).json()["Code"],
        "SignatureDoesNotMatch"
    );
    let state = raw(
        server.port,
        b"GET /_preflight/state HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(state.json()["certificates"][0]["name"], "kept");
    let requests = raw(
        server.port,
        b"GET /_preflight/requests?limit=10 HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(requests.json()["requests"].as_array().unwrap().len(), 4);
    let stderr = server.stderr();
    assert_eq!(server.stop().code(), Some(0));

    let mut db = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.to_str().unwrap().contains("db.sqlite") {
            db.extend(std::fs::read(path).unwrap());
        }
    }
    let haystacks = [
        String::from_utf8_lossy(&db).into_owned(),
        first_stderr,
        stderr,
        state.body,
        requests.body,
    ];
    let key_lines: Vec<&str> = key
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 16)
        .collect();
    assert!(!key_lines.is_empty());
    for haystack in &haystacks {
        for line in &key_lines {
            assert!(!haystack.contains(line), "a key line leaked");
            let encoded = percent_encode(line.as_bytes());
            assert!(
                !haystack.contains(&encoded),
                "a key line leaked, percent-encoded"
            );
        }
        assert!(!haystack.contains("PRIVATE KEY"));
    }
}

#[test]
fn of_32_simultaneous_uploads_under_one_new_name_exactly_one_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), &[]);
    let chain = fixture("p256/fullchain.pem");
    let key = fixture("p256/key.sec1.pem");
    let port = server.port;
    let replies: Vec<Reply> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..32)
            .map(|_| {
                let params = upload(profile("cdn-ssl"), "race.example.com", "race", &chain, &key);
                scope.spawn(move || post(port, &params, &Signing::new()))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(accepted, 1);
    for reply in replies.iter().filter(|r| r.status != 200) {
        assert_eq!(
            reply.json()["Code"],
            "Certificate.Duplicated",
            "{}",
            reply.body
        );
    }
}

/// Installs the real clients; `None` (the test is skipped) only when there is no network.
fn install_clients() -> Option<PathBuf> {
    install_clients_with(&[])
}

/// `clients/install.sh` with these arguments (`--browser` adds Debian's chromium).
fn install_clients_with(args: &[&str]) -> Option<PathBuf> {
    let root = repo();
    let output = Command::new("bash")
        .arg(root.join("clients/install.sh"))
        .args(args)
        .current_dir(&root)
        .output()
        .unwrap();
    if output.status.success() {
        return Some(root);
    }
    let log = String::from_utf8_lossy(&output.stderr);
    let offline = [
        "Temporary failure in name resolution",
        "Could not resolve",
        "Network is unreachable",
        "ENOTFOUND",
        "EAI_AGAIN",
        "No matching distribution",
        "connection",
    ]
    .iter()
    .any(|s| log.contains(s));
    if offline {
        eprintln!("SKIPPED: clients/install.sh failed for lack of network:\n{log}");
        return None;
    }
    panic!("clients/install.sh failed:\n{log}");
}

/// Runs a driver of `clients/` and parses its one JSON line.
fn driver(root: &Path, program: &str, script: &str, args: &[&str]) -> Value {
    let mut command = if program.is_empty() {
        Command::new(root.join(script))
    } else {
        let mut c = Command::new(program);
        c.arg(root.join(script));
        c
    };
    let output = command.args(args).current_dir(root).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "{script}: {e}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn real_clients_see_the_services_answers() {
    let Some(root) = install_clients() else {
        return;
    };
    let python = root.join("target/clients/venv/bin/python");
    let python = python.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    let port = server.port.to_string();
    let common = ["--port", port.as_str(), "--ak", "test", "--secret", "test"];
    let rsa = [
        "testdata/rsa2048/fullchain.pem",
        "testdata/rsa2048/key.pkcs1.pem",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        common
            .iter()
            .chain(extra.iter())
            .map(|s| (*s).to_owned())
            .collect()
    };
    let run = |program: &str, script: &str, args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        driver(&root, program, script, &args)
    };
    let pub_file = format!("ServerCertificate={}", rsa[0]);
    let key_file = format!("PrivateKey={}", rsa[1]);

    // Legacy SDK: accepted, then a wrong secret is the SDK's own InvalidAccessKeySecret.
    let legacy = |secret: &str, name: &str| {
        let mut args = with(&[
            "--action",
            "SetDomainServerCertificate",
            "--no-retry",
            "--param",
            "DomainName=www.example.com",
            "--param",
            "ServerCertificateStatus=on",
            "--param",
            "CertType=upload",
            "--param-file",
            &pub_file,
            "--param-file",
            &key_file,
        ]);
        args.push("--param".into());
        args.push(format!("CertName={name}"));
        let at = args.iter().position(|a| a == "--secret").unwrap();
        args[at + 1] = secret.to_owned();
        run(python, "clients/legacy_sdk.py", args)
    };
    let line = legacy("wrong", "legacy");
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["code"], "InvalidAccessKeySecret", "{line}");
    assert_eq!(line["http_status"], 400, "{line}");
    let line = legacy("test", "legacy");
    assert_eq!(line["ok"], true, "{line}");
    assert_eq!(line["http_status"], 200, "{line}");
    let line = legacy("test", "legacy");
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["code"], "Certificate.Duplicated", "{line}");

    // The same SDK with an unknown key, a stale timestamp and a replayed nonce (its own
    // parameter composer, the driver only fixes the values it uses).
    let gateway = |extra: &[&str], name: &str| {
        let mut args = with(&[
            "--action",
            "SetDomainServerCertificate",
            "--no-retry",
            "--param",
            "DomainName=www.example.com",
            "--param",
            "ServerCertificateStatus=off",
        ]);
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        args.push("--param".into());
        args.push(format!("CertName={name}"));
        run(python, "clients/legacy_sdk.py", args)
    };
    let line = gateway(&["--ak", "nobody"], "g1");
    assert_eq!(
        (&line["code"], &line["http_status"]),
        (
            &Value::from("InvalidAccessKeyId.NotFound"),
            &Value::from(404)
        ),
        "{line}"
    );
    let line = gateway(&["--timestamp", "2020-01-01T00:00:00Z"], "g2");
    assert_eq!(
        (&line["code"], &line["message"]),
        (
            &Value::from("InvalidTimeStamp.Expired"),
            &Value::from("Specified time stamp or date value is expired.")
        ),
        "{line}"
    );
    let nonce = format!("replay-{}", std::process::id());
    let line = gateway(&["--nonce", &nonce], "g3");
    assert_eq!(line["ok"], true, "{line}");
    let line = gateway(&["--nonce", &nonce], "g3");
    assert_eq!(
        (&line["code"], &line["message"]),
        (
            &Value::from("SignatureNonceUsed"),
            &Value::from("Specified signature nonce was used already.")
        ),
        "{line}"
    );

    // Tea SDK, V3 and v2, on fresh certificates (CertificateContent.Duplicated otherwise).
    for (algorithm, dir_name, key_name) in [
        ("v3", "p256", "key.sec1.pem"),
        ("v2", "p384", "key.pkcs8.pem"),
    ] {
        let args = with(&[
            "--action",
            "SetCdnDomainSSLCertificate",
            "--signature-algorithm",
            algorithm,
            "--param",
            "DomainName=tea.example.com",
            "--param",
            "SSLProtocol=on",
            "--param",
            "CertType=upload",
            "--param",
            &format!("CertName=tea-{algorithm}"),
            "--param-file",
            &format!("SSLPub=testdata/{dir_name}/fullchain.pem"),
            "--param-file",
            &format!("SSLPri=testdata/{dir_name}/{key_name}"),
        ]);
        let line = run(python, "clients/tea_sdk.py", args);
        assert_eq!(line["ok"], true, "{line}");
        assert_eq!(line["http_status"], 200, "{line}");
    }
    // Tea: a refusal, as ClientException with the body in .data.
    let args = with(&[
        "--action",
        "SetCdnDomainSSLCertificate",
        "--param",
        "DomainName=tea.example.com",
        "--param",
        "SSLProtocol=on",
        "--param",
        "CertType=upload",
        "--param",
        "SSLPub=garbage",
        "--param",
        "SSLPri=garbage",
    ]);
    let line = run(python, "clients/tea_sdk.py", args);
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["http_status"], 400, "{line}");
    assert!(line["code"].is_string(), "{line}");
    assert!(line["error_data"]["PreflightDetail"].is_string(), "{line}");
    // Tea: the read-back, with the model's field names.
    let args = with(&[
        "--action",
        "DescribeDomainCertificateInfo",
        "--param",
        "DomainName=tea.example.com",
    ]);
    let line = run(python, "clients/tea_sdk.py", args);
    assert_eq!(line["ok"], true, "{line}");
    let info = &line["body"]["CertInfos"]["CertInfo"][0];
    assert_eq!(info["CertName"], "tea-v2", "{line}");
    assert_eq!(info["ServerCertificateStatus"], "on", "{line}");

    // pop-core (POST form body), on Live.
    let args = with(&[
        "--action",
        "SetLiveDomainCertificate",
        "--param",
        "DomainName=live.example.com",
        "--param",
        "SSLProtocol=on",
        "--param",
        "CertName=pop",
        "--param-file",
        "SSLPub=testdata/rsa4096/fullchain.pem",
        "--param-file",
        "SSLPri=testdata/rsa4096/key.pkcs8.pem",
    ]);
    let line = run("node", "clients/pop_core.js", args.clone());
    assert_eq!(line["ok"], true, "{line}");
    let line = run("node", "clients/pop_core.js", args);
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["error_name"], "Certificate.DuplicatedError", "{line}");

    // acme.sh's ali_cdn request: a refusal is reported (its grep finds "Message":"), and an
    // acceptance is a deployment.
    let acme = |pub_path: &str, key_path: &str| {
        let args = with(&[
            "--param",
            "DomainName=acme.example.com",
            "--param-file",
            &format!("SSLPub={pub_path}"),
            "--param-file",
            &format!("SSLPri={key_path}"),
        ]);
        run("", "clients/acme_ali_cdn.sh", args)
    };
    let line = acme(
        "testdata/rsa4096/fullchain.pem",
        "testdata/rsa2048/key.pkcs1.pem",
    );
    assert_eq!(line["ok"], false, "{line}");
    assert!(line["acme_message"].as_str().unwrap().len() > 5, "{line}");
    let line = acme(
        "testdata/rsa4096/fullchain.pem",
        "testdata/rsa4096/key.pkcs1.pem",
    );
    assert_eq!(line["ok"], true, "{line}");
    assert_eq!(server.stop().code(), Some(0));
}

#[test]
fn tls_self_signed_serves_https() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tls.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--tls-self-signed",
            "--db",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(
        line.starts_with("listening on https://127.0.0.1:"),
        "{line}"
    );
    let port = line.trim().rsplit(':').next().unwrap().to_owned();
    let ca = dir.path().join("tls.sqlite.ca.pem");
    assert!(
        std::fs::read_to_string(&ca)
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    let out = Command::new("curl")
        .args(["-s", "--cacert"])
        .arg(&ca)
        .arg(format!("https://127.0.0.1:{port}/_preflight/health"))
        .output();
    let _ = child.kill();
    let _ = child.wait();
    if let Ok(out) = out {
        let body = String::from_utf8_lossy(&out.stdout);
        assert!(body.contains(r#""status":"ok""#), "{body}");
    }
}

#[test]
fn state_file_and_admin_endpoints_drive_the_domain_checks() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(
        &state,
        r#"{"domains": {"off.example.com": {"state": "offline"},
                        "live.example.com": {"state": "online", "products": ["live"]}},
            "faults": {"store": false}}"#,
    )
    .unwrap();
    let server = Server::start_db(dir.path(), &["--state", state.to_str().unwrap()]);
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let cdn = profile("cdn");
    let reply = post(
        server.port,
        &upload(cdn, "off.example.com", "a", &chain, &key),
        &Signing::new(),
    );
    assert_eq!(
        reply.json()["Code"],
        "InvalidDomain.Offline",
        "{}",
        reply.body
    );
    // A domain listed for Live only is not a CDN domain; unlisted domains are not found.
    for domain in ["live.example.com", "other.example.com"] {
        let reply = post(
            server.port,
            &upload(cdn, domain, "a", &chain, &key),
            &Signing::new(),
        );
        assert_eq!(
            reply.json()["Code"],
            "InvalidDomain.NotFound",
            "{}",
            reply.body
        );
    }
    // Reset: no domains, every domain online.
    let reset = raw(
        server.port,
        b"POST /_preflight/reset HTTP/1.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    let reply = post(
        server.port,
        &upload(cdn, "other.example.com", "a", &chain, &key),
        &Signing::new(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    // PUT replaces: a cas certificate that is not issued.
    let document = r#"{"certificates": [{"name": "casc", "type": "cas", "status": "expired"}]}"#;
    let put = raw(
        server.port,
        format!(
            "PUT /_preflight/state HTTP/1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{document}",
            document.len()
        )
        .as_bytes(),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.json()["certificates"][0]["name"], "casc");
    let bad = raw(
        server.port,
        b"PUT /_preflight/state HTTP/1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{[",
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["Code"], "InvalidState");
    assert_eq!(server.stop().code(), Some(0));
}

#[test]
fn a_refused_tls_pair_stops_the_start() {
    let dir = repo().join("testdata");
    let output = Command::new(env!("CARGO_BIN_EXE_cert-preflight"))
        .args(["serve", "--listen", "127.0.0.1:0", "--at", AT, "--tls-cert"])
        .arg(dir.join("rsa4096/fullchain.pem"))
        .arg("--tls-key")
        .arg(dir.join("rsa2048/key.pkcs1.pem"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Certificate.MissMatch"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// The page at `/` in a real browser (Debian's Chromium, through playwright-core, JavaScript
/// off): the domains with their certificate, the certificates stored, the requests newest first,
/// a filtered view, the refusal's detail view, a client's `<script>` shown as text, table
/// headers, labelled controls and contrast; screenshots under `target/page/`.
#[test]
fn the_page_shows_what_the_endpoint_holds_in_a_real_browser() {
    let Some(root) = install_clients_with(&["--browser"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), &[]);
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let script = "<script>alert(1)</script>";
    // Accepted on cdn-ssl, and on live under a name that is markup.
    let ok = post(
        server.port,
        &upload(
            profile("cdn-ssl"),
            "www.example.com",
            "prod-2026",
            &chain,
            &key,
        ),
        &Signing::new(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let ok = post(
        server.port,
        &upload(profile("live"), "live.example.com", script, &chain, &key),
        &Signing::new(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Accepted on vod with a certificate that expires in 14 days (amber).
    let soon = fixture("time/expiring-soon.pem");
    let pkcs8 = fixture("rsa2048/key.pkcs8.pem");
    let ok = post(
        server.port,
        &upload(profile("vod"), "soon.example.com", "soon", &soon, &pkcs8),
        &Signing::new(),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Refused: another key.
    let other = fixture("mismatch/rsa2048-b.key.pkcs1.pem");
    let refused = post(
        server.port,
        &upload(profile("cdn-ssl"), "bad.example.com", "bad", &chain, &other),
        &Signing::new(),
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    let refused_id = refused.json()["RequestId"].as_str().unwrap().to_owned();

    let out = root.join("target/page");
    let detail = format!("/?request={refused_id}");
    let paths = [
        "/",
        "/?outcome=refused",
        "/?domain=www.example.com&outcome=ok",
        detail.as_str(),
    ];
    let output = Command::new("node")
        .arg(root.join("clients/page.js"))
        .arg(format!("http://127.0.0.1:{}", server.port))
        .arg(&out)
        .args(paths)
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "clients/page.js: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pages: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(pages.len(), 4);
    let rows = |page: &Value, table: &str| -> Vec<Vec<String>> {
        page["tables"][table]["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("no table {table}: {page}"))
            .iter()
            .map(|row| {
                row.as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect()
            })
            .collect()
    };

    let main = &pages[0];
    assert_eq!(main["status"], 200);
    assert_eq!(main["scripts"], 0, "no script runs, the client's included");
    assert_eq!(main["external"], 0, "nothing is loaded from elsewhere");
    // Domains: product, name, state, HTTPS, certificate, names, issuer, not after.
    let domains = rows(main, "domains-table");
    let www = domains
        .iter()
        .find(|r| r[1] == "www.example.com")
        .unwrap_or_else(|| panic!("{domains:?}"));
    assert_eq!(
        www[..5],
        ["cdn", "www.example.com", "online", "on", "prod-2026"]
    );
    assert!(www[5].contains("www.example.com"), "{www:?}");
    assert_eq!(www[7], "2027-01-01T00:00:00Z (214 day(s) left)");
    let soon_row = domains.iter().find(|r| r[1] == "soon.example.com").unwrap();
    assert_eq!(soon_row[7], "2026-06-15T00:00:00Z (14 day(s) left)");
    let classes = main["tables"]["domains-table"]["cell_classes"]
        .as_array()
        .unwrap();
    assert!(classes.iter().any(|c| c == "soon"), "{classes:?}");
    assert!(
        !domains
            .iter()
            .any(|r| r[1] == "bad.example.com" && r[3] == "on")
    );
    // Certificates: the markup name is text, with its fingerprint.
    let certificates = rows(main, "certificates-table");
    let marked = certificates
        .iter()
        .find(|r| r[0] == script)
        .unwrap_or_else(|| panic!("{certificates:?}"));
    assert_eq!(marked[1], "live");
    assert_eq!(marked[6].len(), 64, "{marked:?}");
    assert!(!main["text"].as_str().unwrap().contains("alert(1)</script>") || main["scripts"] == 0);
    // Requests, newest first: the refusal with its code, then the three uploads.
    let requests = rows(main, "requests-table");
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert_eq!(requests[0][2], "SetCdnDomainSSLCertificate");
    assert_eq!(requests[0][3], "bad.example.com");
    assert_eq!(requests[0][4], "Certificate.MissMatch (400)");
    // The message, then the library's detail (on its own line).
    assert_eq!(
        requests[0][5],
        "The SSLPri does not match the certificate.the key's RSA modulus differs from the \
         certificate's: this key belongs to another certificate"
    );
    assert_eq!(requests[3][4], "OK");
    // Accessibility: header cells with a scope, a label on every control, contrast.
    for table in ["domains-table", "certificates-table", "requests-table"] {
        let scopes = main["tables"][table]["header_scopes"].as_array().unwrap();
        assert!(
            scopes.iter().all(|s| s == "col" || s == "row"),
            "{table}: {scopes:?}"
        );
    }
    for control in main["controls"].as_array().unwrap() {
        assert!(control["label"].is_string(), "{control}");
    }
    for (selector, ratio) in main["contrast"].as_object().unwrap() {
        assert!(ratio.as_f64().unwrap() >= 4.5, "{selector}: {ratio}");
    }

    // The refused outcome only, and the filter kept in the form.
    let refused_only = rows(&pages[1], "requests-table");
    assert_eq!(refused_only.len(), 1);
    assert_eq!(refused_only[0][4], "Certificate.MissMatch (400)");
    let outcome = pages[1]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "filter-outcome")
        .unwrap();
    assert_eq!(outcome["value"], "refused");
    // One domain's accepted requests.
    let www_ok = rows(&pages[2], "requests-table");
    assert_eq!(www_ok.len(), 1);
    assert_eq!(www_ok[0][3], "www.example.com");
    // The refusal's detail.
    let detail = rows(&pages[3], "request-detail");
    assert!(
        detail.contains(&vec![
            "Outcome".to_owned(),
            "Certificate.MissMatch (HTTP 400)".to_owned()
        ]),
        "{detail:?}"
    );
    assert!(
        detail
            .iter()
            .any(|r| r[0] == "Detail" && r[1].contains("modulus")),
        "{detail:?}"
    );
    for page in &pages {
        let shot = PathBuf::from(page["screenshot"].as_str().unwrap());
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "{shot:?}");
    }
}
