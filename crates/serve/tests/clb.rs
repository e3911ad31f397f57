//! Classic Load Balancer (SLB 2014-05-15) on a server in this process, over raw signed HTTP:
//! upload (PEM, or by certificate-service id), describe per region with its filters, delete;
//! the SDK models' fields; the SLB list's refusals; names not unique; no key byte kept.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use serde_json::{Value, json};

use support::*;

const VERSION: (&str, &str) = ("Version", "2014-05-15");

fn call(port: u16, action: &str, params: &[(&str, &str)]) -> Reply {
    let mut all = vec![("Action", action), VERSION];
    all.extend_from_slice(params);
    post(port, &all, &Signing::new())
}

fn upload(port: u16, params: &[(&str, &str)]) -> Reply {
    call(port, "UploadServerCertificate", params)
}

fn ok(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    assert!(body.get("Code").is_none(), "{}", reply.body);
    body
}

fn describe(port: u16, params: &[(&str, &str)]) -> Vec<Value> {
    let body = ok(&call(port, "DescribeServerCertificates", params));
    body["ServerCertificates"]["ServerCertificate"]
        .as_array()
        .unwrap()
        .clone()
}

/// The fields every answer of the certificate `rsa2048/fullchain.pem` has.
fn assert_rsa2048(certificate: &Value) {
    assert_eq!(
        certificate["Fingerprint"],
        "28:56:15:d6:1a:66:6c:a6:98:0c:ff:b2:0a:c2:54:1c:93:0a:9b:b1"
    );
    assert_eq!(certificate["CommonName"], "www.example.com");
    assert_eq!(
        certificate["SubjectAlternativeNames"],
        json!({"SubjectAlternativeName": ["www.example.com", "example.com"]})
    );
    assert_eq!(certificate["ExpireTime"], "2027-01-01T00:00:00Z");
    assert_eq!(certificate["ExpireTimeStamp"], 1_798_761_600_000_i64);
}

#[test]
fn upload_describe_and_delete_by_region() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), |_| {});
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let pem = |region: &'static str, name: &'static str| {
        vec![
            ("RegionId", region),
            ("ServerCertificateName", name),
            ("Tag.1.Key", "env"),
            ("Tag.1.Value", "prod"),
        ]
    };
    let mut first = pem("cn-hangzhou", "www-2026");
    first.extend([
        ("ServerCertificate", chain.as_str()),
        ("PrivateKey", key.as_str()),
    ]);
    let uploaded = ok(&upload(server.port, &first));
    let id = uploaded["ServerCertificateId"].as_str().unwrap().to_owned();
    let parts: Vec<&str> = id.split('_').collect();
    assert_eq!(parts.len(), 4, "{id}");
    assert_eq!(parts[0], "1231579085529123");
    let created = i64::from_str_radix(parts[1], 16).unwrap();
    assert_eq!(uploaded["CreateTimeStamp"], created);
    assert_rsa2048(&uploaded);
    assert_eq!(uploaded["ServerCertificateName"], "www-2026");
    assert_eq!(uploaded["RegionId"], "cn-hangzhou");
    assert_eq!(uploaded["IsAliCloudCertificate"], 0);
    assert_eq!(uploaded["AliCloudCertificateId"], "0");
    assert_eq!(uploaded["AliCloudCertificateName"], "");
    assert_eq!(uploaded["ResourceGroupId"], "rg-acfmxazb4ph6aiy");
    // Names need not be unique: the same name and content again is a second certificate.
    let again = ok(&upload(server.port, &first));
    let again_id = again["ServerCertificateId"].as_str().unwrap().to_owned();
    assert_ne!(again_id, id);
    // Without a name, the leaf's common name; another region, another group.
    let elsewhere = ok(&upload(
        server.port,
        &[
            ("RegionId", "cn-beijing"),
            ("ResourceGroupId", "rg-other"),
            ("ServerCertificate", &chain),
            ("PrivateKey", &key),
        ],
    ));
    assert_eq!(elsewhere["ServerCertificateName"], "www.example.com");
    assert_eq!(elsewhere["ResourceGroupId"], "rg-other");

    // Describe: per region, in upload order, filtered; an unknown id is an empty list.
    let hangzhou = describe(server.port, &[("RegionId", "cn-hangzhou")]);
    let ids: Vec<&str> = hangzhou
        .iter()
        .map(|c| c["ServerCertificateId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str(), again_id.as_str()]);
    assert_rsa2048(&hangzhou[0]);
    assert_eq!(
        hangzhou[0]["Tags"],
        json!({"Tag": [{"TagKey": "env", "TagValue": "prod"}]})
    );
    assert!(hangzhou[0].get("ServerCertificate").is_none());
    assert_eq!(
        describe(
            server.port,
            &[("RegionId", "cn-hangzhou"), ("ServerCertificateId", &id)]
        )
        .len(),
        1
    );
    assert!(
        describe(
            server.port,
            &[
                ("RegionId", "cn-hangzhou"),
                ("ServerCertificateId", "1231579085529123_1")
            ]
        )
        .is_empty()
    );
    assert!(
        describe(
            server.port,
            &[("RegionId", "cn-beijing"), ("ServerCertificateId", &id)]
        )
        .is_empty()
    );
    assert_eq!(
        describe(
            server.port,
            &[("RegionId", "cn-beijing"), ("ResourceGroupId", "rg-other")]
        )
        .len(),
        1
    );
    assert_eq!(
        describe(
            server.port,
            &[
                ("RegionId", "cn-hangzhou"),
                ("Tag.1.Key", "env"),
                ("Tag.1.Value", "prod")
            ]
        )
        .len(),
        2
    );
    assert!(
        describe(
            server.port,
            &[("RegionId", "cn-hangzhou"), ("Tag.1.Key", "team")]
        )
        .is_empty()
    );
    // The central endpoint (or this one) needs RegionId; a regional endpoint names it.
    assert_refusal(
        &call(server.port, "DescribeServerCertificates", &[]),
        400,
        "MissingRegionId",
        "RegionId is mandatory for this action.",
    );
    assert_refusal(
        &call(
            server.port,
            "DescribeServerCertificates",
            &[("RegionId", "Hangzhou")],
        ),
        400,
        "InvalidParameter",
        "The specified parameter is not valid.",
    );
    let (form, _) = signed_form(
        "POST",
        &[("Action", "DescribeServerCertificates"), VERSION],
        &Signing::new(),
    );
    let regional = raw(
        server.port,
        format!(
            "POST / HTTP/1.1\r\nHost: slb.cn-beijing.aliyuncs.com\r\nContent-Type: \
             application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    );
    let listed = ok(&regional)["ServerCertificates"]["ServerCertificate"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["RegionId"], "cn-beijing");
    // XML, in the service's list shape.
    let xml = call(
        server.port,
        "DescribeServerCertificates",
        &[("RegionId", "cn-beijing"), ("Format", "XML")],
    );
    assert_eq!(xml.status, 200);
    assert!(
        xml.body
            .contains("<ServerCertificates><ServerCertificate><AliCloudCertificateId>0<"),
        "{}",
        xml.body
    );
    assert!(
        xml.body.contains("<SubjectAlternativeNames><SubjectAlternativeName>www.example.com</SubjectAlternativeName><SubjectAlternativeName>example.com</SubjectAlternativeName></SubjectAlternativeNames>"),
        "{}",
        xml.body
    );

    // A restart keeps them.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    assert_eq!(
        describe(server.port, &[("RegionId", "cn-hangzhou")]).len(),
        2
    );

    // Delete: in another region it is not found; then deleted; then gone.
    let delete = |params: &[(&str, &str)]| call(server.port, "DeleteServerCertificate", params);
    let not_found = (
        "ServerCertificateId.NotFound",
        "The specified ServerCertificateId does not exist.",
    );
    let wrong_region = delete(&[("RegionId", "cn-beijing"), ("ServerCertificateId", &id)]);
    assert_refusal(&wrong_region, 404, not_found.0, not_found.1);
    ok(&delete(&[
        ("RegionId", "cn-hangzhou"),
        ("ServerCertificateId", &id),
    ]));
    assert_refusal(
        &delete(&[("RegionId", "cn-hangzhou"), ("ServerCertificateId", &id)]),
        404,
        not_found.0,
        not_found.1,
    );
    // Without RegionId, wherever it is.
    ok(&delete(&[("ServerCertificateId", &again_id)]));
    assert!(describe(server.port, &[("RegionId", "cn-hangzhou")]).is_empty());
    assert_refusal(
        &delete(&[("RegionId", "cn-hangzhou")]),
        400,
        "MissingServerCertificateId",
        "ServerCertificateId is mandatory for this action.",
    );
    assert_refusal(
        &delete(&[("ServerCertificateId", "")]),
        400,
        "InvalidParameter",
        "The specified parameter ServerCertificateId is empty.",
    );
    assert_refusal(
        &delete(&[("ServerCertificateId", "abc")]),
        400,
        "InvalidParameter",
        "The specified parameter ServerCertificateId is not Support.",
    );

    // Nothing of the key is in the database.
    server.stop();
    let db = std::fs::read(dir.path().join("db.sqlite")).unwrap();
    let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
    assert!(
        !db.windows(32)
            .any(|w| body.as_bytes().windows(32).any(|k| k == w)),
        "a piece of the key is in the database"
    );
}

#[test]
fn refusals_carry_the_slb_codes() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let chain = fixture("rsa2048/fullchain.pem");
    let pkcs1 = fixture("rsa2048/key.pkcs1.pem");
    /// The parameters of an upload, and the code and message it is refused with.
    type Case<'a> = (Vec<(&'a str, String)>, &'a str, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![
                ("ServerCertificate", chain.clone()),
                ("PrivateKey", pkcs1.clone()),
            ],
            "MissingRegionId",
            "RegionId is mandatory for this action.",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificate", chain.clone()),
                ("PrivateKey", fixture("rsa2048/key.pkcs8.pem")),
            ],
            "InvalidParameter",
            "The specified parameter key format is error.",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificate", fixture("pem/blank-line-between.pem")),
                ("PrivateKey", pkcs1.clone()),
            ],
            "KeyFormatError",
            "The specified ServerCertificate is incorrectly formatted.",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificate", chain.clone()),
                ("PrivateKey", fixture("keys/rsa2048.encrypted-pkcs1.pem")),
            ],
            "PrivateKeyEncryption",
            "Key has Encrypted .",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificate", chain.clone()),
                ("PrivateKey", fixture("mismatch/rsa2048-b.key.pkcs1.pem")),
            ],
            "CertificateNotMatchPrivateKey",
            "Certificate and key does not match.",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificate", chain.clone()),
            ],
            "InvalidParameter",
            "The specified parameter ServerCertificate or Key is empty.",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificateName", "www 2026".to_owned()),
                ("ServerCertificate", chain.clone()),
                ("PrivateKey", pkcs1.clone()),
            ],
            "InvalidParameter",
            "The specified parameter is not valid.",
        ),
        (
            vec![
                ("RegionId", "cn-hangzhou".to_owned()),
                ("ServerCertificateName", "n".repeat(81)),
                ("ServerCertificate", chain.clone()),
                ("PrivateKey", pkcs1.clone()),
            ],
            "InvalidParameterLength",
            "The specified parameter length is not valid.",
        ),
    ];
    // Every base64 line of every key sent: none may come back.
    let key_lines: Vec<String> = [
        "rsa2048/key.pkcs1.pem",
        "rsa2048/key.pkcs8.pem",
        "keys/rsa2048.encrypted-pkcs1.pem",
        "mismatch/rsa2048-b.key.pkcs1.pem",
    ]
    .iter()
    .flat_map(|path| {
        fixture(path)
            .lines()
            .filter(|l| l.len() == 64)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    })
    .collect();
    for (params, code, message) in cases {
        let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = upload(server.port, &params);
        assert_refusal(&reply, 400, code, message);
        let body = reply.json();
        assert!(
            body["Recommend"]
                .as_str()
                .unwrap()
                .contains("&product=Slb&"),
            "{}",
            reply.body
        );
        assert!(
            key_lines.iter().all(|line| !reply.body.contains(line)),
            "{}",
            reply.body
        );
    }
    assert!(describe(server.port, &[("RegionId", "cn-hangzhou")]).is_empty());
    // No key byte in the log either.
    let log = server.stderr();
    assert!(
        log.contains("UploadServerCertificate - MissingRegionId"),
        "{log}"
    );
    assert!(key_lines.iter().all(|line| !log.contains(line)), "{log}");
}

/// The certd shape: the pair uploaded once to the certificate service, then CLB by its id.
#[test]
fn by_certificate_service_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    let cas = ok(&post(
        server.port,
        &[
            ("Action", "UploadUserCertificate"),
            ("Version", "2020-04-07"),
            ("Name", "certd_2026"),
            ("Cert", &chain),
            ("Key", &key),
        ],
        &Signing::new(),
    ));
    let cas_id = cas["CertId"].as_i64().unwrap().to_string();
    let by_id = |site: &str| {
        upload(
            server.port,
            &[
                ("RegionId", "cn-shanghai"),
                ("AliCloudCertificateId", &cas_id),
                ("AliCloudCertificateName", "certd_2026"),
                ("AliCloudCertificateRegionId", site),
            ],
        )
    };
    let made = ok(&by_id("cn-hangzhou"));
    assert_eq!(made["IsAliCloudCertificate"], 1);
    assert_eq!(made["AliCloudCertificateId"], cas_id);
    assert_eq!(made["AliCloudCertificateName"], "certd_2026");
    assert_eq!(made["RegionId"], "cn-shanghai");
    assert_eq!(made["ServerCertificateName"], "www.example.com");
    assert_rsa2048(&made);
    let listed = describe(server.port, &[("RegionId", "cn-shanghai")]);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["IsAliCloudCertificate"], 1);
    assert_rsa2048(&listed[0]);
    // In the other site, or an id the service does not have: the list's "does not exist".
    assert_refusal(
        &by_id("ap-southeast-1"),
        400,
        "InvalidParameter",
        "The specified resource does not exist.",
    );
    let unknown = upload(
        server.port,
        &[
            ("RegionId", "cn-shanghai"),
            ("AliCloudCertificateId", "999"),
        ],
    );
    assert_refusal(
        &unknown,
        400,
        "InvalidParameter",
        "The specified resource does not exist.",
    );
    assert_refusal(
        &by_id("eu-central-1"),
        400,
        "InvalidParameter",
        "The specified parameter is not valid.",
    );
    assert_eq!(
        describe(server.port, &[("RegionId", "cn-shanghai")]).len(),
        1
    );
}

/// The page at `/` lists the load balancer's certificates beside the stored ones: its own
/// PEM's facts, or those of the certificate-service certificate it was uploaded by.
#[test]
fn the_page_lists_the_load_balancers_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let chain = fixture("rsa2048/fullchain.pem");
    let key = fixture("rsa2048/key.pkcs1.pem");
    ok(&upload(
        server.port,
        &[
            ("RegionId", "cn-hangzhou"),
            ("ServerCertificateName", "www-2026"),
            ("ServerCertificate", &chain),
            ("PrivateKey", &key),
        ],
    ));
    let cas = ok(&post(
        server.port,
        &[
            ("Action", "UploadUserCertificate"),
            ("Version", "2020-04-07"),
            ("Name", "certd_2026"),
            ("Cert", &chain),
            ("Key", &key),
        ],
        &Signing::new(),
    ));
    let cas_id = cas["CertId"].as_i64().unwrap().to_string();
    ok(&upload(
        server.port,
        &[
            ("RegionId", "cn-shanghai"),
            ("ServerCertificateName", "by-id"),
            ("AliCloudCertificateId", &cas_id),
        ],
    ));
    let page = raw(
        server.port,
        b"GET / HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let fingerprint = "<td class=\"mono\">";
    for (name, product, kind) in [
        ("certd_2026", "every product", "cas"),
        ("www-2026", "clb cn-hangzhou", "upload"),
        ("by-id", "clb cn-shanghai", "cas"),
    ] {
        let row = format!(
            "<tr><td>{name}</td><td>{product}</td><td>{kind}</td>\
             <td>www.example.com, example.com</td><td>2026-01-01T00:00:00Z</td>"
        );
        let at = page
            .body
            .find(&row)
            .unwrap_or_else(|| panic!("no row {row} in {}", page.body));
        let rest = &page.body[at..];
        let sha = rest.split(fingerprint).nth(1).unwrap();
        assert_eq!(sha.find('<'), Some(64), "{rest}");
    }
    assert!(!page.body.contains("PRIVATE KEY"));
}
