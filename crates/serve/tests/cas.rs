//! The certificate service (CAS 2020-04-07) on a server in this process, over raw signed HTTP:
//! upload once, then detail, lists, use by `CertId` from CDN (with `CertRegion`), delete, the
//! observed and inferred refusals, a restart, and no key byte kept unless asked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use serde_json::Value;

use support::*;

const CAS: (&str, &str) = ("Action", "UploadUserCertificate");
const VERSION: (&str, &str) = ("Version", "2020-04-07");

fn call(port: u16, action: &str, params: &[(&str, &str)]) -> Reply {
    let mut all = vec![("Action", action), VERSION];
    all.extend_from_slice(params);
    post(port, &all, &Signing::new())
}

fn upload_cas(port: u16, name: &str, chain: &str, key: &str) -> Reply {
    post(
        port,
        &[CAS, VERSION, ("Name", name), ("Cert", chain), ("Key", key)],
        &Signing::new(),
    )
}

fn ok(reply: &Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    assert!(
        body.get("Code").is_none(),
        "a success has no Code: {}",
        reply.body
    );
    body
}

#[test]
fn upload_once_then_read_list_use_and_delete_by_cert_id() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), |_| {});
    let chain = fixture("p256/fullchain.pem");
    let key = fixture("p256/key.pkcs8.pem");

    let uploaded = ok(&upload_cas(server.port, "site-2026", &chain, &key));
    let id = uploaded["CertId"].as_i64().unwrap();
    assert!(id > 21_000_000, "{uploaded}");
    let instance = uploaded["ResourceId"].as_str().unwrap().to_owned();
    assert!(
        instance.starts_with("cas-upload-") && instance.len() == 17,
        "{instance}"
    );
    let id_text = id.to_string();

    // The detail, with the SDK model's fields; no Key: none is kept.
    let detail = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id_text)],
    ));
    assert_eq!(detail["Id"], id);
    assert_eq!(detail["Name"], "site-2026");
    assert_eq!(detail["Common"], "www.example.com");
    assert_eq!(detail["Sans"], "www.example.com,example.com");
    assert_eq!(detail["StartDate"], "2026-01-01");
    assert_eq!(detail["EndDate"], "2027-01-01");
    assert_eq!(detail["NotAfter"], 1_798_761_600_000_i64);
    assert_eq!(detail["Expired"], false);
    assert_eq!(
        detail["Fingerprint"],
        "5761AC35A360176A9682D37833BE8175EB976719"
    );
    assert_eq!(
        detail["Sha2"],
        "ECE0429832D731EC64B5399840D06ACDBBC13A6C3F3C82663ED22AEB920439CE"
    );
    assert_eq!(detail["SerialNo"], "516a82fa4a32fcdf4d2ff12064010c39");
    assert_eq!(detail["Issuer"], "Cert Preflight Tests");
    assert_eq!(detail["Algorithm"], "ECC");
    assert_eq!(detail["CertIdentifier"], format!("{id}-cn-hangzhou"));
    assert_eq!(detail["InstanceId"], instance);
    assert_eq!(detail["Cert"], chain);
    assert!(detail.get("Key").is_none(), "{detail}");
    assert_eq!(detail["CertChain"].as_array().unwrap().len(), 2);
    assert_eq!(
        detail["CertChain"][1]["CommonName"],
        "Preflight Test ECC Intermediate"
    );
    let filtered = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id_text), ("CertFilter", "true")],
    ));
    assert!(filtered.get("Cert").is_none(), "{filtered}");

    // The name is the account's: a second upload under it is refused with the observed message.
    let again = upload_cas(server.port, "site-2026", &chain, &key);
    assert_refusal(
        &again,
        400,
        "Preflight.NameDuplicated",
        "名称重复，请重新输入。",
    );
    assert!(
        again.json()["PreflightDetail"]
            .as_str()
            .unwrap()
            .contains("cert-preflight's inference"),
        "{}",
        again.body
    );

    // Lists: ListUserCertificateOrder (CERT) and ListCertificates.
    let orders = ok(&call(
        server.port,
        "ListUserCertificateOrder",
        &[("OrderType", "CERT")],
    ));
    assert_eq!(orders["TotalCount"], 1);
    assert_eq!(orders["ShowSize"], 50);
    let order = &orders["CertificateOrderList"][0];
    assert_eq!(order["CertificateId"], id);
    assert_eq!(order["Name"], "site-2026");
    assert_eq!(order["Status"], "ISSUED");
    assert_eq!(order["Upload"], true);
    // The default OrderType is CPACK: no uploaded certificate.
    let packs = ok(&call(server.port, "ListUserCertificateOrder", &[]));
    assert_eq!(packs["TotalCount"], 0);

    // Used by CDN's successor by CertId (no CertName, as certimate sends it).
    let set = post(
        server.port,
        &[
            ("Action", "SetCdnDomainSSLCertificate"),
            ("Version", "2018-05-10"),
            ("DomainName", "www.example.com"),
            ("SSLProtocol", "on"),
            ("CertType", "cas"),
            ("CertId", &id_text),
            ("CertRegion", "cn-hangzhou"),
        ],
        &Signing::new(),
    );
    ok(&set);
    // In the other site it is not found.
    let elsewhere = post(
        server.port,
        &[
            ("Action", "SetCdnDomainSSLCertificate"),
            ("Version", "2018-05-10"),
            ("DomainName", "www.example.com"),
            ("SSLProtocol", "on"),
            ("CertType", "cas"),
            ("CertId", &id_text),
            ("CertRegion", "ap-southeast-1"),
        ],
        &Signing::new(),
    );
    assert_refusal(
        &elsewhere,
        400,
        "Certificate.NotFind",
        "The certificate does not exist.",
    );
    let info = ok(&post(
        server.port,
        &[
            ("Action", "DescribeDomainCertificateInfo"),
            ("Version", "2018-05-10"),
            ("DomainName", "www.example.com"),
        ],
        &Signing::new(),
    ));
    let cert_info = &info["CertInfos"]["CertInfo"][0];
    assert_eq!(cert_info["CertType"], "cas");
    assert_eq!(cert_info["CertId"], id_text);
    assert_eq!(cert_info["CertRegion"], "cn-hangzhou");
    assert_eq!(cert_info["ServerCertificate"], chain);
    let listed = ok(&call(server.port, "ListCertificates", &[]));
    assert_eq!(listed["ShowSize"], 10);
    let row = &listed["CertificateList"][0];
    assert_eq!(row["CertificateId"], id_text);
    assert_eq!(row["UsingProductList"], serde_json::json!(["CDN"]));
    assert_eq!(row["CertificateStatus"], "issued");
    assert_eq!(
        row["SubjectAlternativeNames"],
        serde_json::json!(["www.example.com", "example.com"])
    );

    // A restart keeps it.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    let detail = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id_text)],
    ));
    assert_eq!(detail["Name"], "site-2026");

    // Deleted (in use: allowed), then unknown: NotFound, as observed.
    ok(&call(
        server.port,
        "DeleteUserCertificate",
        &[("CertId", &id_text)],
    ));
    for action in ["DeleteUserCertificate", "GetUserCertificateDetail"] {
        let gone = call(server.port, action, &[("CertId", &id_text)]);
        assert_refusal(&gone, 400, "NotFound", "没有找到必要内容，请检查参数输入。");
    }
    // The gateway's required parameters.
    let missing = call(server.port, "GetUserCertificateDetail", &[]);
    assert_refusal(
        &missing,
        400,
        "MissingCertId",
        "CertId is mandatory for this action.",
    );
    let missing = post(
        server.port,
        &[CAS, VERSION, ("Cert", &chain), ("Key", &key)],
        &Signing::new(),
    );
    assert_refusal(
        &missing,
        400,
        "MissingName",
        "Name is mandatory for this action.",
    );
    let no_domain = post(
        server.port,
        &[
            ("Action", "SetCdnDomainSSLCertificate"),
            ("Version", "2018-05-10"),
            ("SSLProtocol", "on"),
            ("SSLPub", &chain),
            ("SSLPri", &key),
        ],
        &Signing::new(),
    );
    assert_refusal(
        &no_domain,
        400,
        "MissingDomainName",
        "DomainName is mandatory for this action.",
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
fn the_status_filter_and_the_site_follow_the_clock_and_the_host() {
    let dir = tempfile::tempdir().unwrap();
    // Judged at 2026-12-15: the P-256 leaf (ends 2027-01-01) will expire.
    let server = Server::start(dir.path(), |c| {
        c.at = Some(time::macros::datetime!(2026-12-15 0:00 UTC));
    });
    let will = ok(&upload_cas(
        server.port,
        "soon",
        &fixture("p256/fullchain.pem"),
        &fixture("p256/key.pkcs8.pem"),
    ));
    // The expired leaf is taken (no source shows a refusal), with a warning in the log.
    let expired = ok(&upload_cas(
        server.port,
        "old",
        &fixture("time/expired.pem"),
        &fixture("rsa2048/key.pkcs8.pem"),
    ));
    let orders = |status: &str| {
        let mut params = vec![("OrderType", "UPLOAD")];
        if !status.is_empty() {
            params.push(("Status", status));
        }
        let reply = ok(&call(server.port, "ListUserCertificateOrder", &params));
        reply["CertificateOrderList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["Name"].as_str().unwrap().to_owned(),
                    o["Status"].as_str().unwrap().to_owned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(orders(""), [("soon".to_owned(), "WILLEXPIRED".to_owned())]);
    assert_eq!(
        orders("EXPIRED"),
        [("old".to_owned(), "EXPIRED".to_owned())]
    );
    assert!(orders("ISSUED").is_empty());
    let listed = ok(&call(
        server.port,
        "ListCertificates",
        &[("CertificateStatus", "expired")],
    ));
    assert_eq!(listed["TotalCount"], 1);
    assert_eq!(
        listed["CertificateList"][0]["CertificateId"],
        expired["CertId"].to_string()
    );
    assert!(
        server
            .stderr()
            .contains(" test UploadUserCertificate - OK "),
        "{}",
        server.stderr()
    );

    // A request to the international site's host: its identifier says so.
    let (form, _) = signed_form(
        "POST",
        &[
            CAS,
            VERSION,
            ("Name", "intl"),
            ("Cert", &fixture("rsa2048/fullchain.pem")),
            ("Key", &fixture("rsa2048/key.pkcs1.pem")),
        ],
        &Signing::new(),
    );
    let reply = raw(
        server.port,
        format!(
            "POST / HTTP/1.1\r\nHost: cas.ap-southeast-1.aliyuncs.com\r\nContent-Type: \
             application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    );
    let id = ok(&reply)["CertId"].as_i64().unwrap().to_string();
    let detail = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id)],
    ));
    assert_eq!(detail["CertIdentifier"], format!("{id}-ap-southeast-1"));
    let _ = will;
}

#[test]
fn keys_are_kept_only_when_asked_and_never_leave_through_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), |c| c.keep_keys = true);
    let key = fixture("rsa2048/key.pkcs1.pem");
    let id = ok(&upload_cas(
        server.port,
        "kept",
        &fixture("rsa2048/fullchain.pem"),
        &key,
    ))["CertId"]
        .as_i64()
        .unwrap()
        .to_string();
    let detail = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id)],
    ));
    assert_eq!(detail["Key"], key);
    let filtered = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id), ("CertFilter", "true")],
    ));
    assert!(filtered.get("Key").is_none());
    let state = raw(
        server.port,
        b"GET /_preflight/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(state.status, 200);
    assert!(!state.body.contains("PRIVATE KEY"), "{}", state.body);
    let certificate = &state.json()["certificates"][0];
    assert_eq!(certificate["type"], "cas");
    assert_eq!(certificate["id"], id);
    assert_eq!(certificate["name"], "kept");
}

/// A serial whose first bit is set is kept with its DER sign byte, as the service shows it
/// (tools strip a leading zero before they compare).
#[test]
fn serial_numbers_keep_the_sign_byte() {
    use rcgen::{CertificateParams, KeyPair, SerialNumber};
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |c| c.at = None);
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["signed.example.com".to_owned()]).unwrap();
    params.serial_number = Some(SerialNumber::from_slice(&[0x80, 0x01, 0x02, 0x03]));
    let cert = params.self_signed(&key).unwrap();
    let id = ok(&upload_cas(
        server.port,
        "sign",
        &cert.pem(),
        &key.serialize_pem(),
    ))["CertId"]
        .as_i64()
        .unwrap()
        .to_string();
    let detail = ok(&call(
        server.port,
        "GetUserCertificateDetail",
        &[("CertId", &id)],
    ));
    assert_eq!(detail["SerialNo"], "0080010203");
    let orders = ok(&call(
        server.port,
        "ListUserCertificateOrder",
        &[("OrderType", "CERT")],
    ));
    assert_eq!(orders["CertificateOrderList"][0]["SerialNo"], "0080010203");
}

/// `ResourceGroupId` given at upload is kept, shown, and narrows both lists.
#[test]
fn resource_groups_narrow_the_lists() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let chain = fixture("p256/fullchain.pem");
    let key = fixture("p256/key.pkcs8.pem");
    for (name, group) in [("in-group", Some("rg-aek2")), ("outside", None)] {
        let mut params = vec![
            CAS,
            VERSION,
            ("Name", name),
            ("Cert", &chain),
            ("Key", &key),
        ];
        if let Some(group) = group {
            params.push(("ResourceGroupId", group));
        }
        ok(&post(server.port, &params, &Signing::new()));
    }
    let names = |action: &str, list: &str, field: &str, params: &[(&str, &str)]| {
        ok(&call(server.port, action, params))[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[field].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(
            "ListUserCertificateOrder",
            "CertificateOrderList",
            "Name",
            &[("OrderType", "CERT"), ("ResourceGroupId", "rg-aek2")]
        ),
        ["in-group"]
    );
    assert_eq!(
        names(
            "ListCertificates",
            "CertificateList",
            "CertificateName",
            &[("ResourceGroupId", "rg-aek2")]
        ),
        ["in-group"]
    );
    assert_eq!(
        names(
            "ListCertificates",
            "CertificateList",
            "CertificateName",
            &[]
        ),
        ["outside", "in-group"]
    );
}
