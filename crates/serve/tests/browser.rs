//! What a web page in the user's browser can do to a local `serve`, sent as a browser sends
//! it (raw requests with the browser's headers): nothing. And what is kept of a key sent in the
//! wrong parameter: nothing. Then what an accepted upload with warnings says, the request log's
//! shape, and a partial state document.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use cert_preflight_testkit::leak::key_secrets;
use serde_json::Value;

use support::*;

/// An admin or page request with these headers (each `Name: value`), `Connection: close`.
fn request(port: u16, line: &str, headers: &[&str], body: &str) -> Reply {
    let mut text = format!("{line} HTTP/1.1\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    raw(port, text.as_bytes())
}

fn stored_names(port: u16) -> Vec<String> {
    let state = request(port, "GET /_preflight/state", &["Host: 127.0.0.1"], "");
    state.json()["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_forbidden(reply: &Reply, code: &str) {
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert_eq!(reply.json()["Code"], code, "{}", reply.body);
}

#[test]
fn a_web_page_in_the_browser_cannot_drive_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |c| c.allow_hosts = vec!["dev.box".to_owned()]);
    let port = server.port;
    let chain = fixture("p256/fullchain.pem");
    let key = fixture("p256/key.pkcs8.pem");
    let reply = post(
        port,
        &upload(profile("cdn-ssl"), "www.example.com", "kept", &chain, &key),
        &Signing::new(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);

    // A cross-site form post to the reset (text/plain: no CORS preflight), as Chromium sends it.
    let host = format!("Host: 127.0.0.1:{port}");
    let form = [
        host.as_str(),
        "Origin: https://evil.example",
        "Sec-Fetch-Site: cross-site",
        "Sec-Fetch-Mode: navigate",
        "Content-Type: text/plain",
    ];
    assert_forbidden(
        &request(port, "POST /_preflight/reset", &form, "x=1"),
        "CrossSiteRequest",
    );
    // A page that strips the Origin (a `no-referrer` form): still no custom header.
    assert_forbidden(
        &request(
            port,
            "POST /_preflight/reset",
            &[
                host.as_str(),
                "Content-Type: application/x-www-form-urlencoded",
            ],
            "x=1",
        ),
        "AdminHeaderMissing",
    );
    assert_eq!(stored_names(port), ["kept"], "nothing was reset");

    // JavaScript on another site signing with the public test:test pair.
    let (body, _) = signed_form(
        "POST",
        &upload(profile("cdn-ssl"), "www.example.com", "off", &chain, &key),
        &Signing::new(),
    );
    let fetch = [
        host.as_str(),
        "Origin: https://evil.example",
        "Sec-Fetch-Site: cross-site",
        "Content-Type: application/x-www-form-urlencoded",
    ];
    assert_forbidden(&request(port, "POST /", &fetch, &body), "CrossSiteRequest");
    assert_eq!(stored_names(port), ["kept"], "nothing was stored");

    // DNS rebinding: the page's own name resolved to 127.0.0.1.
    let rebound = format!("Host: evil.example:{port}");
    for line in ["GET /", "GET /_preflight/state", "GET /_preflight/requests"] {
        assert_forbidden(&request(port, line, &[&rebound], ""), "HostNotAllowed");
    }
    assert_forbidden(
        &request(
            port,
            "PUT /_preflight/state",
            &[&rebound, "X-Preflight-Admin: 1"],
            r#"{"faults": {"store": true}}"#,
        ),
        "HostNotAllowed",
    );
    // The names it does answer: its own, localhost, *.aliyuncs.com, --allow-host.
    for name in [
        format!("127.0.0.1:{port}"),
        "localhost".to_owned(),
        "cdn.aliyuncs.com".to_owned(),
        format!("dev.box:{port}"),
    ] {
        let health = request(
            port,
            "GET /_preflight/health",
            &[&format!("Host: {name}")],
            "",
        );
        assert_eq!(health.status, 200, "{name}: {}", health.body);
    }
    // An admin change with the header, from a tool.
    let reset = request(
        port,
        "POST /_preflight/reset",
        &[host.as_str(), "X-Preflight-Admin: 1"],
        "",
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert!(stored_names(port).is_empty());

    // The page: never framed, nothing loaded or run, never sniffed.
    let page = request(port, "GET /", &[host.as_str()], "");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-security-policy"),
        Some(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'"
        )
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    let log = server.stderr();
    for code in ["CrossSiteRequest", "AdminHeaderMissing", "HostNotAllowed"] {
        assert!(log.contains(&format!(" {code} ")), "{code}: {log}");
    }
}

#[test]
fn a_key_in_the_wrong_parameter_is_never_kept_or_shown() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), |_| {});
    let port = server.port;
    let key = fixture("p256/key.sec1.pem");
    let chain = fixture("p256/fullchain.pem");
    let good = fixture("p256/key.pkcs8.pem");
    let cdn = profile("cdn-ssl");
    // As DomainName, as SSLProtocol, as CertName, as the Action, and as the AccessKeyId.
    let mut as_domain = upload(cdn, &key, "n1", &chain, &good);
    as_domain.retain(|(k, _)| *k != "CertType");
    let as_switch: Vec<(&str, &str)> = upload(cdn, "www.example.com", "n2", &chain, &good)
        .into_iter()
        .map(|(k, v)| {
            if k == "SSLProtocol" {
                (k, key.as_str())
            } else {
                (k, v)
            }
        })
        .collect();
    let as_name = upload(cdn, "www.example.com", &key, &chain, &good);
    for params in [&as_domain, &as_switch, &as_name] {
        let reply = post(port, params, &Signing::new());
        assert_eq!(reply.status, 400, "{}", reply.body);
    }
    let as_action = post(
        port,
        &[("Action", key.as_str()), ("Version", "2018-05-10")],
        &Signing::new(),
    );
    assert_eq!(as_action.json()["Code"], "InvalidAction.NotFound");
    let signing = Signing {
        ak: &key,
        ..Signing::new()
    };
    let as_id = post(
        port,
        &[
            ("Action", "DescribeDomainCertificateInfo"),
            ("Version", "2018-05-10"),
        ],
        &signing,
    );
    assert_eq!(as_id.json()["Code"], "InvalidAccessKeyId.NotFound");

    // Nothing of the key in the request log, the page, the log lines, the database.
    let secrets = key_secrets(key.as_bytes());
    let requests = request(port, "GET /_preflight/requests", &["Host: 127.0.0.1"], "");
    assert_eq!(requests.status, 200);
    secrets.check("/_preflight/requests", &requests.body);
    assert!(
        requests
            .body
            .contains("bytes withheld: they look like key material"),
        "{}",
        requests.body
    );
    let page = request(port, "GET /", &["Host: 127.0.0.1"], "");
    secrets.check("the page", &page.body);
    secrets.check("the log", &server.stderr());
    server.stop();
    for file in ["db.sqlite", "db.sqlite-wal"] {
        if let Ok(bytes) = std::fs::read(dir.path().join(file)) {
            secrets.check(file, &String::from_utf8_lossy(&bytes));
        }
    }
}

#[test]
fn warnings_of_an_accepted_upload_the_log_and_a_partial_state() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let port = server.port;
    // Accepted, with a warning: the leaf does not cover the domain.
    let reply = post(
        port,
        &upload(
            profile("cdn-ssl"),
            "other.example.org",
            "w",
            &fixture("p256/fullchain.pem"),
            &fixture("p256/key.pkcs8.pem"),
        ),
        &Signing::new(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.header("x-preflight-warnings"),
        Some("DomainNotCovered")
    );
    let body = reply.json();
    assert!(body.get("Code").is_none());
    assert_eq!(
        body["PreflightWarnings"],
        serde_json::json!([{
            "Code": "DomainNotCovered",
            "Detail": "the certificate does not cover other.example.org (it covers: www.example.com, example.com)"
        }])
    );
    // A refusal: its detail in the log line.
    let refused = post(
        port,
        &upload(
            profile("cdn-ssl"),
            "www.example.com",
            "x",
            &fixture("rsa2048/fullchain.pem"),
            &fixture("p256/key.pkcs8.pem"),
        ),
        &Signing::new(),
    );
    assert_eq!(refused.status, 400);
    let detail = refused.json()["PreflightDetail"]
        .as_str()
        .unwrap()
        .to_owned();
    let log = server.stderr();
    assert!(
        log.contains(" test SetCdnDomainSSLCertificate www.example.com Certificate.MissMatch ")
            && log.contains(&format!(": {detail}\n")),
        "{log}"
    );
    // The request log: the command line's key names, warnings as {Code, Detail}.
    let requests = request(
        port,
        "GET /_preflight/requests?limit=2",
        &["Host: localhost"],
        "",
    );
    let entries = requests.json()["Requests"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 2);
    let accepted: &Value = &entries[1];
    let mut keys: Vec<&String> = accepted.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "AccessKeyId",
            "Action",
            "Code",
            "Detail",
            "Domain",
            "HttpStatus",
            "Message",
            "Millis",
            "RequestId",
            "Time",
            "Warnings"
        ]
    );
    assert_eq!(accepted["Code"], "OK");
    assert_eq!(accepted["Warnings"][0]["Code"], "DomainNotCovered");
    assert_eq!(entries[0]["Detail"], detail.as_str());
    for limit in ["abc", "-1", "1.5"] {
        let bad = request(
            port,
            &format!("GET /_preflight/requests?limit={limit}"),
            &["Host: localhost"],
            "",
        );
        assert_eq!(bad.status, 400, "{limit}: {}", bad.body);
        assert_eq!(bad.json()["Code"], "InvalidParameter");
    }
    // A state document with only domains keeps the certificates; an empty list empties them.
    let put = |document: &str| {
        request(
            port,
            "PUT /_preflight/state",
            &["Host: localhost", "X-Preflight-Admin: 1"],
            document,
        )
    };
    let only_domains = put(r#"{"domains": {"www.example.com": {"state": "online"}}}"#);
    assert_eq!(only_domains.status, 200, "{}", only_domains.body);
    assert_eq!(only_domains.json()["certificates"][0]["name"], "w");
    assert_eq!(
        only_domains.json()["domains"]["www.example.com"]["state"],
        "online"
    );
    let emptied = put(r#"{"certificates": []}"#);
    assert_eq!(emptied.json()["certificates"], serde_json::json!([]));
    assert_eq!(
        emptied.json()["domains"]["www.example.com"]["state"],
        "online"
    );
}
