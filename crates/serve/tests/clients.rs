//! The real clients against a server in this process: the legacy Python SDK, the Tea SDK
//! (V3 and v2 signatures), pop-core and acme.sh's request (`clients/`, installed by
//! `clients/install.sh` from the registries), and the page at `/` in Debian's Chromium.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use support::*;

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
    let server = Server::start(dir.path(), |_| {});
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
    server.stop();
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
    let server = Server::start_db(dir.path(), |_| {});
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
    // At 1,280 px nothing runs off the right edge (the long messages wrap).
    for page in &pages {
        assert_eq!(page["overflow"], false, "{}", page["path"]);
    }
    assert!(
        pages[0]["text"]
            .as_str()
            .unwrap()
            .contains("certificate validity judged at 2026-06-01T00:00:00Z."),
        "{}",
        pages[0]["text"]
    );
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
