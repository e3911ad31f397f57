//! The endpoint as a client meets it: a server in this process on a free port, raw HTTP
//! requests signed here (RPC v1, the wire layer's own functions): every profile's refusals,
//! read-back, the gateway's refusals, bad HTTP, a restart, concurrent uploads, the state
//! document and the admin endpoints.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use cert_preflight::{Options, Profile, Request, validate};
use cert_preflight_serve::wire::percent_encode;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use support::*;

#[test]
fn every_profile_refuses_with_its_catalog_entry_and_detail() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
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
    let server = Server::start(dir.path(), |_| {});
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
    let server = Server::start(dir.path(), |c| {
        c.access_keys = vec![("ak1".to_owned(), "s3cret".to_owned())];
    });
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
    // The log: one line per request, with the AccessKeyId, the domain and the code.
    let log = server.stderr();
    assert!(
        log.contains(" ak1 DescribeDomainCertificateInfo www.example.com SignatureDoesNotMatch "),
        "{log}"
    );
    assert!(
        log.contains(" ak1 DescribeDomainCertificateInfo www.example.com OK "),
        "{log}"
    );
    assert!(log.contains("InvalidTimeStamp.Expired"), "{log}");
}

#[test]
fn oversized_and_malformed_requests_get_json_errors() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
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
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc",
        b"GET /?a=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        b"GET /",
    ] {
        json_error(&raw(server.port, garbage), 400, "MalformedRequest");
    }
    // A 1 MiB-ish URL inside the limit is read (and refused for its signature, not its size).
    let url = format!(
        "GET /?Action=SetDomainServerCertificate&Version=2018-05-10&X={} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
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
        b"GET /_preflight/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(health.json()["status"], "ok");
    server.stop();
}

#[test]
fn restart_keeps_certificates_and_nothing_holds_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let server = Server::start_db(dir.path(), |_| {});
    let params = upload(profile("live"), "live.example.com", "kept", &chain, &key);
    let reply = post(server.port, &params, &Signing::new());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let first_stderr = server.stderr();
    server.stop();

    let server = Server::start_db(dir.path(), |_| {});
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
        b"GET /_preflight/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(state.json()["certificates"][0]["name"], "kept");
    let requests = raw(
        server.port,
        b"GET /_preflight/requests?limit=10 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(requests.json()["Requests"].as_array().unwrap().len(), 4);
    let stderr = server.stderr();
    server.stop();

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
    let server = Server::start_db(dir.path(), |_| {});
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
    let server = Server::start_db(dir.path(), |c| c.state = Some(state.clone()));
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
        b"POST /_preflight/reset HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Preflight-Admin: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
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
            "PUT /_preflight/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Preflight-Admin: 1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{document}",
            document.len()
        )
        .as_bytes(),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(put.json()["certificates"][0]["name"], "casc");
    let bad = raw(
        server.port,
        b"PUT /_preflight/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Preflight-Admin: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{[",
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["Code"], "InvalidState");
    server.stop();
}
