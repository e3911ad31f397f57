//! The certificate service (CAS 2020-04-07) through real clients, on a server in this process
//! with a SQLite file: the flows of three deploy tools as `clients/` reproduces them call by
//! call — certd (pop-core: upload, then CDN by `CertId` with `CertName` and `CertRegion`),
//! certimate (its Go Tea SDK's stand-in, the Python Tea SDK with V3 signatures: list, match by
//! serial, upload, detail, CDN without `CertName`), Menci's Action (pop-core: find by name over
//! three statuses, delete, upload, CDN) — each run again as a renewal would, with restarts of
//! the server between and after the runs; and the refusals as each SDK raises them (the Python
//! and Node.js Tea SDKs, pop-core). The clients are installed by `clients/install.sh`.
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

use serde_json::{Value, json};

use support::*;

/// The leaf of the standard fixtures ends 2027-01-01T00:00:00Z.
const NOT_AFTER_MS: i64 = 1_798_761_600_000;

/// The end of rcgen's default validity (the generated leaf's).
const G_EXPIRES: &str = "4096-01-01T00:00:00Z";

/// The real clients, and the arguments every driver takes for a server.
struct Clients {
    root: PathBuf,
    python: String,
}

impl Clients {
    fn get() -> Option<Clients> {
        let root = install_clients()?;
        let python = root
            .join("target/clients/venv/bin/python")
            .to_str()
            .unwrap()
            .to_owned();
        Some(Clients { root, python })
    }

    /// Runs a script of `clients/` and parses its JSON lines (one per call, and a flow's
    /// summary last).
    fn lines(&self, program: &str, script: &str, port: u16, args: &[&str]) -> Vec<Value> {
        let output = Command::new(program)
            .arg(self.root.join(script))
            .args([
                "--port",
                &port.to_string(),
                "--ak",
                "test",
                "--secret",
                "test",
            ])
            .args(args)
            .current_dir(&self.root)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{script} {args:?}: {}\n{stdout}\n{stderr}",
            output.status
        );
        let lines: Vec<Value> = stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{script}: {e}: {line}\n{stderr}"))
            })
            .collect();
        assert!(!lines.is_empty(), "{script}: no output\n{stderr}");
        lines
    }

    /// A one-call driver's line.
    fn one(&self, program: &str, script: &str, port: u16, args: &[&str]) -> Value {
        let mut lines = self.lines(program, script, port, args);
        assert_eq!(lines.len(), 1, "{lines:?}");
        lines.remove(0)
    }

    fn tea_python(&self, port: u16, args: &[&str]) -> Value {
        let mut all = vec!["--product", "cas"];
        all.extend_from_slice(args);
        self.one(&self.python, "clients/tea_sdk.py", port, &all)
    }

    fn tea_python_cdn(&self, port: u16, args: &[&str]) -> Value {
        let mut all = vec!["--product", "cdn"];
        all.extend_from_slice(args);
        self.one(&self.python, "clients/tea_sdk.py", port, &all)
    }

    fn tea_node(&self, port: u16, args: &[&str]) -> Value {
        self.one("node", "clients/tea_node.js", port, args)
    }

    fn pop(&self, port: u16, args: &[&str]) -> Value {
        self.one("node", "clients/pop_core.js", port, args)
    }

    fn flow(&self, program: &str, script: &str, port: u16, args: &[&str]) -> Flow {
        let program = if program == "python" {
            self.python.clone()
        } else {
            program.to_owned()
        };
        let mut lines = self.lines(&program, script, port, args);
        let summary = lines.pop().unwrap();
        assert_eq!(summary["summary"], true, "{summary}");
        let flow = Flow { lines, summary };
        assert_eq!(flow.summary["ok"], true, "the flow failed:\n{flow}");
        flow
    }
}

/// A flow's call lines and its summary.
struct Flow {
    lines: Vec<Value>,
    summary: Value,
}

impl std::fmt::Display for Flow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for line in self.lines.iter().chain([&self.summary]) {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

impl Flow {
    /// The actions called, in order.
    fn calls(&self) -> Vec<&str> {
        self.lines
            .iter()
            .map(|l| l["action"].as_str().unwrap())
            .collect()
    }

    /// The only call of `action`.
    fn call(&self, action: &str) -> &Value {
        let found: Vec<&Value> = self
            .lines
            .iter()
            .filter(|l| l["action"] == action)
            .collect();
        assert_eq!(found.len(), 1, "{action} in:\n{self}");
        found[0]
    }

    /// Every call succeeded as a success looks: HTTP 200, a `RequestId`, no `Code` in the body,
    /// and (the Tea SDK) nothing the Go SDK's typed decoding would refuse.
    fn assert_all_ok(&self) {
        for line in &self.lines {
            assert_success(line);
        }
    }

    /// The read-back's one `CertInfo` (the last call, the test's check).
    fn read_back(&self) -> &Value {
        let last = self.lines.last().unwrap();
        assert_eq!(last["action"], "DescribeDomainCertificateInfo", "{self}");
        assert_eq!(last["tool"], false);
        let infos = last["read"].as_array().unwrap();
        assert_eq!(infos.len(), 1, "{last}");
        &infos[0]
    }
}

/// A call line of a success: HTTP 200, a `RequestId` equal to the one reported, no `Code`, and
/// for the Tea SDK no value of another type than the model's.
fn assert_success(line: &Value) {
    assert_eq!(line["ok"], true, "{line}");
    assert_eq!(line["http_status"], 200, "{line}");
    let body = &line["body"];
    let request_id = body["RequestId"].as_str().unwrap_or_default();
    assert_eq!(request_id.len(), 36, "a RequestId: {line}");
    assert_eq!(line["request_id"], request_id, "{line}");
    assert!(body.get("Code").is_none(), "a success has no Code: {line}");
    assert!(
        body.get("Message").is_none(),
        "a success has no Message: {line}"
    );
    if let Some(errors) = line.get("model_type_errors") {
        assert_eq!(errors, &json!([]), "the SDK model's types: {line}");
    }
}

/// The read-back's certificate setting: by `CertId` (as a string, the model's type), under
/// `name`, HTTPS on, the certificate ending at `expires`.
fn assert_set_until(info: &Value, id: i64, name: &str, expires: &str) {
    let fields = [
        "DomainName",
        "CertType",
        "CertId",
        "CertName",
        "CertRegion",
        "ServerCertificateStatus",
        "CertExpireTime",
    ];
    let shown: serde_json::Map<String, Value> = fields
        .iter()
        .map(|f| ((*f).to_owned(), info[*f].clone()))
        .collect();
    assert_eq!(
        Value::Object(shown),
        json!({
            "DomainName": "www.example.com",
            "CertType": "cas",
            "CertId": id.to_string(),
            "CertName": name,
            "CertRegion": "cn-hangzhou",
            "ServerCertificateStatus": "on",
            "CertExpireTime": expires,
        }),
        "{info}"
    );
}

/// [`assert_set_until`] for a leaf of the standard fixtures (ends 2027-01-01).
fn assert_set(info: &Value, id: i64, name: &str) {
    assert_set_until(info, id, name, "2027-01-01T00:00:00Z");
}

/// `ListUserCertificateOrder` (`OrderType=CERT`) through the Python Tea SDK: (CertificateId,
/// Name) newest first.
fn listed(clients: &Clients, port: u16) -> Vec<(i64, String)> {
    let line = clients.tea_python(
        port,
        &[
            "--action",
            "ListUserCertificateOrder",
            "--param",
            "OrderType=CERT",
        ],
    );
    assert_success(&line);
    let list = line["body"]["CertificateOrderList"].as_array().unwrap();
    assert_eq!(line["body"]["TotalCount"], list.len(), "{line}");
    list.iter()
        .map(|o| {
            (
                o["CertificateId"].as_i64().unwrap(),
                o["Name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The domain's setting read back through the Python Tea SDK (CDN's model).
fn domain_setting(clients: &Clients, port: u16) -> Value {
    let line = clients.tea_python_cdn(
        port,
        &[
            "--action",
            "DescribeDomainCertificateInfo",
            "--param",
            "DomainName=www.example.com",
        ],
    );
    assert_success(&line);
    line["body"]["CertInfos"]["CertInfo"][0].clone()
}

/// A leaf for www.example.com whose serial has its first bit set (the service shows it with
/// the DER sign byte, `00…`), self-signed, with its key: files in `dir`.
fn sign_bit_pair(dir: &Path) -> (String, String, String) {
    use rcgen::{CertificateParams, DnType, KeyPair, SerialNumber};
    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(vec!["www.example.com".to_owned(), "example.com".to_owned()])
            .unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "www.example.com");
    let serial = [
        0x80, 0x0d, 0x1e, 0x2f, 0x30, 0x41, 0x52, 0x63, 0x74, 0x85, 0x96, 0xa7, 0xb8, 0xc9, 0xda,
        0xeb,
    ];
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let cert = params.self_signed(&key).unwrap();
    let cert_path = dir.join("sign-bit.pem");
    let key_path = dir.join("sign-bit.key.pem");
    std::fs::write(&cert_path, cert.pem()).unwrap();
    std::fs::write(&key_path, key.serialize_pem()).unwrap();
    let hex: String = serial.iter().map(|b| format!("{b:02x}")).collect();
    (
        cert_path.to_str().unwrap().to_owned(),
        key_path.to_str().unwrap().to_owned(),
        hex,
    )
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn is_certd_name(name: &str) -> bool {
    name.strip_prefix("_www_example_com_")
        .is_some_and(|t| t.len() == 17 && t.bytes().all(|b| b.is_ascii_digit()))
}

#[test]
fn certd_uploads_then_sets_the_cdn_domain_by_cert_id_and_renews_across_restarts() {
    let Some(clients) = Clients::get() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let certd = |port: u16, chain: &str, key: &str| {
        clients.flow(
            "node",
            "clients/flow_certd.js",
            port,
            &[
                "--cert",
                &format!("testdata/{chain}"),
                "--key",
                &format!("testdata/{key}"),
                "--domain",
                "www.example.com",
                "--read-back",
            ],
        )
    };

    // First run: upload under certd's name, then the domain by CertId.
    let server = Server::start_db(dir.path(), |_| {});
    let first = certd(server.port, "p256/fullchain.pem", "p256/key.pkcs8.pem");
    assert_eq!(
        first.calls(),
        [
            "UploadUserCertificate",
            "SetCdnDomainSSLCertificate",
            "DescribeDomainCertificateInfo"
        ],
        "{first}"
    );
    first.assert_all_ok();
    let name1 = first.summary["cert_name"].as_str().unwrap().to_owned();
    assert!(is_certd_name(&name1), "{name1}");
    let upload = first.call("UploadUserCertificate");
    assert_eq!(upload["api_version"], "2020-04-07");
    assert_eq!(upload["params"]["Name"], name1.as_str());
    assert_eq!(upload["params"]["Cert"], fixture("p256/fullchain.pem"));
    assert_eq!(upload["params"]["Key"], "<redacted Key>");
    let id1 = upload["body"]["CertId"].as_i64().unwrap();
    assert!(id1 > 21_000_000, "{upload}");
    assert_eq!(upload["read"], json!({ "CertId": id1 }));
    assert!(
        upload["body"]["ResourceId"]
            .as_str()
            .unwrap()
            .starts_with("cas-upload-"),
        "{upload}"
    );
    let set = first.call("SetCdnDomainSSLCertificate");
    assert_eq!(set["api_version"], "2018-05-10");
    assert_eq!(
        set["params"],
        json!({
            "SSLProtocol": "on", "CertType": "cas", "CertId": id1,
            "DomainName": "www.example.com", "CertName": name1, "CertRegion": "cn-hangzhou",
        })
    );
    assert_eq!(
        set["body"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["RequestId"]
    );
    assert_set(first.read_back(), id1, &name1);

    // A restart, then the renewal: another leaf, a new upload under a new name, the domain
    // moved to it.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    let second = certd(
        server.port,
        "rsa2048/fullchain.pem",
        "rsa2048/key.pkcs1.pem",
    );
    assert_eq!(first.calls(), second.calls(), "{second}");
    second.assert_all_ok();
    let name2 = second.summary["cert_name"].as_str().unwrap().to_owned();
    assert!(is_certd_name(&name2) && name2 != name1, "{name2}");
    let id2 = second.call("UploadUserCertificate")["body"]["CertId"]
        .as_i64()
        .unwrap();
    assert!(id2 > id1, "{second}");
    assert_eq!(
        second.call("SetCdnDomainSSLCertificate")["params"]["CertId"],
        id2
    );
    assert_set(second.read_back(), id2, &name2);

    // Another restart: both uploads are kept (certd deletes nothing), the domain uses the new
    // one, and what certd's getCertInfo reads of the old one is there.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    assert_eq!(
        listed(&clients, server.port),
        [(id2, name2.clone()), (id1, name1.clone())]
    );
    let info = clients.pop(
        server.port,
        &[
            "--action",
            "DescribeDomainCertificateInfo",
            "--param",
            "DomainName=www.example.com",
        ],
    );
    assert_success(&info);
    assert_eq!(
        info["body"]["CertInfos"]["CertInfo"][0]["CertId"],
        id2.to_string()
    );
    let detail = clients.pop(
        server.port,
        &[
            "--action",
            "GetUserCertificateDetail",
            "--param",
            &format!("CertId={id1}"),
        ],
    );
    assert_success(&detail);
    assert_eq!(detail["body"]["Name"], name1.as_str());
    assert_eq!(
        detail["body"]["CertIdentifier"],
        format!("{id1}-cn-hangzhou")
    );
    assert_eq!(detail["body"]["NotAfter"], NOT_AFTER_MS);
    // certd's clean-up reads UsingProductList: the old one is in use by nothing.
    let certificates = clients.tea_python(server.port, &["--action", "ListCertificates"]);
    assert_success(&certificates);
    let rows = certificates["body"]["CertificateList"].as_array().unwrap();
    let using: Vec<(&str, &Value)> = rows
        .iter()
        .map(|r| (r["CertificateId"].as_str().unwrap(), &r["UsingProductList"]))
        .collect();
    assert_eq!(
        using,
        [
            (id2.to_string().as_str(), &json!(["CDN"])),
            (id1.to_string().as_str(), &json!([]))
        ]
    );
    server.stop();
}

#[test]
fn certimate_finds_its_upload_by_serial_and_uploads_only_a_renewal() {
    let Some(clients) = Clients::get() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (g_cert, g_key, g_serial) = sign_bit_pair(dir.path());
    let certimate = |port: u16, chain: &str, key: &str| {
        clients.flow(
            "python",
            "clients/flow_certimate.py",
            port,
            &[
                "--cert",
                chain,
                "--key",
                key,
                "--domain",
                "www.example.com",
                "--read-back",
            ],
        )
    };
    let uploading = [
        "ListUserCertificateOrder",
        "UploadUserCertificate",
        "GetUserCertificateDetail",
        "SetCdnDomainSSLCertificate",
        "DescribeDomainCertificateInfo",
    ];
    let reusing = [
        "ListUserCertificateOrder",
        "GetUserCertificateDetail",
        "SetCdnDomainSSLCertificate",
        "DescribeDomainCertificateInfo",
    ];

    // First run, a leaf whose serial has its first bit set: nothing listed, so an upload, the
    // detail without the PEM, then CDN by the CertId and region of CertIdentifier.
    let server = Server::start_db(dir.path(), |_| {});
    let first = certimate(server.port, &g_cert, &g_key);
    assert_eq!(first.calls(), uploading, "{first}");
    first.assert_all_ok();
    assert_eq!(
        first.call("ListUserCertificateOrder")["params"],
        json!({"CurrentPage": 1, "ShowSize": 50, "OrderType": "CERT"})
    );
    let name1 = first.summary["cert_name"].as_str().unwrap().to_owned();
    assert!(
        name1
            .strip_prefix("certimate_")
            .is_some_and(|ms| ms.len() == 13 && ms.bytes().all(|b| b.is_ascii_digit())),
        "{name1}"
    );
    let upload = first.call("UploadUserCertificate");
    assert_eq!(upload["params"]["Name"], name1.as_str());
    assert_eq!(upload["params"]["Key"], "<redacted Key>");
    let id1 = upload["body"]["CertId"].as_i64().unwrap();
    let detail = first.call("GetUserCertificateDetail");
    assert_eq!(detail["params"], json!({"CertId": id1, "CertFilter": true}));
    assert!(detail["body"].get("Cert").is_none(), "{detail}");
    let identifier = format!("{id1}-cn-hangzhou");
    assert_eq!(
        detail["read"],
        json!({"Id": id1, "InstanceId": upload["body"]["ResourceId"], "CertIdentifier": identifier})
    );
    assert_eq!(first.summary["uploaded"], true);
    assert_eq!(first.summary["cert_identifier"], identifier.as_str());
    let set = first.call("SetCdnDomainSSLCertificate");
    assert_eq!(
        set["params"],
        json!({"DomainName": "www.example.com", "CertType": "cas", "CertId": id1,
               "CertRegion": "cn-hangzhou", "SSLProtocol": "on"}),
        "no CertName"
    );
    // The service keeps the upload's name for the domain when the request gives none.
    assert_set_until(first.read_back(), id1, &name1, G_EXPIRES);

    // Second run, the same pair: found by CommonName and serial (the listed one with its sign
    // byte, leading zeros stripped on both sides) and the PEM of the detail; no upload.
    let second = certimate(server.port, &g_cert, &g_key);
    assert_eq!(second.calls(), reusing, "{second}");
    second.assert_all_ok();
    let listed_item = &second.call("ListUserCertificateOrder")["read"]["CertificateOrderList"][0];
    assert_eq!(listed_item["SerialNo"], format!("00{g_serial}"));
    assert_eq!(listed_item["CertificateId"], id1);
    assert_eq!(
        second.summary["matched_serial"],
        json!({"listed": format!("00{g_serial}"), "local": g_serial})
    );
    let detail = second.call("GetUserCertificateDetail");
    assert_eq!(detail["params"], json!({ "CertId": id1 }));
    assert_eq!(
        detail["body"]["Cert"],
        std::fs::read_to_string(&g_cert).unwrap()
    );
    assert_eq!(second.summary["uploaded"], false);
    assert_eq!(second.summary["cert_id"], id1);
    assert_eq!(second.summary["cert_name"], name1.as_str());
    assert_set_until(second.read_back(), id1, &name1, G_EXPIRES);
    assert_eq!(listed(&clients, server.port), [(id1, name1.clone())]);

    // A restart, then the renewal (another leaf): listed but not matched, so uploaded, and the
    // domain moved to it.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    let chain = repo().join("testdata/p256/fullchain.pem");
    let key = repo().join("testdata/p256/key.pkcs8.pem");
    let (chain, key) = (chain.to_str().unwrap(), key.to_str().unwrap());
    let third = certimate(server.port, chain, key);
    assert_eq!(third.calls(), uploading, "{third}");
    third.assert_all_ok();
    assert_eq!(
        third.call("ListUserCertificateOrder")["read"]["CertificateOrderList"],
        json!([{"CommonName": "www.example.com", "SerialNo": format!("00{g_serial}"),
                "CertificateId": id1, "Name": name1}])
    );
    let name2 = third.summary["cert_name"].as_str().unwrap().to_owned();
    let id2 = third.summary["cert_id"].as_i64().unwrap();
    assert!(id2 > id1 && name2 != name1, "{third}");
    assert_set(third.read_back(), id2, &name2);

    // Another restart: the renewal run again finds it (after the restart), uploads nothing.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    let fourth = certimate(server.port, chain, key);
    assert_eq!(fourth.calls(), reusing, "{fourth}");
    fourth.assert_all_ok();
    assert_eq!(fourth.summary["cert_id"], id2);
    assert_eq!(
        listed(&clients, server.port),
        [(id2, name2.clone()), (id1, name1.clone())]
    );
    assert_set(&domain_setting(&clients, server.port), id2, &name2);
    server.stop();
}

#[test]
fn menci_deletes_the_certificate_of_its_name_then_uploads_again_across_restarts() {
    let Some(clients) = Clients::get() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let name = "menci-www";
    let menci = |port: u16, chain: &str, key: &str| {
        clients.flow(
            "node",
            "clients/flow_menci.js",
            port,
            &[
                "--fullchain",
                &format!("testdata/{chain}"),
                "--key",
                &format!("testdata/{key}"),
                "--name",
                name,
                "--cdn-domains",
                "www.example.com",
                "--read-back",
            ],
        )
    };
    let statuses = |flow: &Flow| -> Vec<Value> {
        flow.lines
            .iter()
            .filter(|l| l["action"] == "ListUserCertificateOrder")
            .map(|l| l["params"].clone())
            .collect()
    };
    let list_params = [
        json!({"Status": "ISSUED", "OrderType": "CERT", "ShowSize": 50, "CurrentPage": 1}),
        json!({"Status": "WILLEXPIRED", "OrderType": "CERT", "ShowSize": 50, "CurrentPage": 1}),
        json!({"Status": "EXPIRED", "OrderType": "CERT", "ShowSize": 50, "CurrentPage": 1}),
    ];

    // First run: nothing of that name, so no delete; the upload; the domain.
    let server = Server::start_db(dir.path(), |_| {});
    let first = menci(server.port, "p256/fullchain.pem", "p256/key.pkcs8.pem");
    assert_eq!(
        first.calls(),
        [
            "ListUserCertificateOrder",
            "ListUserCertificateOrder",
            "ListUserCertificateOrder",
            "UploadUserCertificate",
            "SetCdnDomainSSLCertificate",
            "DescribeDomainCertificateInfo"
        ],
        "{first}"
    );
    first.assert_all_ok();
    assert_eq!(statuses(&first), list_params);
    for line in first.lines.iter().take(3) {
        assert_eq!(
            line["read"],
            json!({"TotalCount": 0, "CertificateOrderList": []})
        );
    }
    assert_eq!(first.summary["found_id"], 0);
    let id1 = first.summary["cert_id"].as_i64().unwrap();
    assert_eq!(first.call("UploadUserCertificate")["params"]["Name"], name);
    assert_eq!(
        first.call("SetCdnDomainSSLCertificate")["params"],
        json!({"DomainName": "www.example.com", "CertName": name, "CertId": id1,
               "CertType": "cas", "SSLProtocol": "on", "CertRegion": "cn-hangzhou"})
    );
    assert_set(first.read_back(), id1, name);

    // A restart, then the renewal: found by name (ISSUED), deleted although in use, uploaded
    // again under the same name, the domain moved to the new CertId.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    let second = menci(
        server.port,
        "rsa2048/fullchain.pem",
        "rsa2048/key.pkcs1.pem",
    );
    assert_eq!(
        second.calls(),
        [
            "ListUserCertificateOrder",
            "ListUserCertificateOrder",
            "ListUserCertificateOrder",
            "DeleteUserCertificate",
            "UploadUserCertificate",
            "SetCdnDomainSSLCertificate",
            "DescribeDomainCertificateInfo"
        ],
        "{second}"
    );
    second.assert_all_ok();
    assert_eq!(statuses(&second), list_params);
    assert_eq!(
        second.lines[0]["read"],
        json!({"TotalCount": 1, "CertificateOrderList": [{"Name": name, "CertificateId": id1}]})
    );
    assert_eq!(second.summary["found_id"], id1);
    let delete = second.call("DeleteUserCertificate");
    assert_eq!(delete["params"], json!({ "CertId": id1 }));
    assert_eq!(
        delete["body"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["RequestId"]
    );
    let id2 = second.summary["cert_id"].as_i64().unwrap();
    assert_ne!(id2, id1);
    assert_set(second.read_back(), id2, name);

    // The old CertId is gone: NotFound, as pop-core raises it (Code + "Error").
    for action in ["GetUserCertificateDetail", "DeleteUserCertificate"] {
        let gone = clients.pop(
            server.port,
            &["--action", action, "--param", &format!("CertId={id1}")],
        );
        assert_eq!(gone["ok"], false, "{gone}");
        assert_eq!(gone["http_status"], 400, "{gone}");
        assert_eq!(gone["code"], "NotFound", "{gone}");
        assert_eq!(gone["error_name"], "NotFoundError", "{gone}");
        assert_eq!(
            gone["message"],
            format!(
                "没有找到必要内容，请检查参数输入。, URL: http://127.0.0.1:{}/",
                server.port
            )
        );
        assert_eq!(gone["body"]["Code"], "NotFound");
    }

    // Another restart: one certificate of that name, the new one, set on the domain.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    assert_eq!(listed(&clients, server.port), [(id2, name.to_owned())]);
    assert_set(&domain_setting(&clients, server.port), id2, name);
    server.stop();
}

/// What the Python Tea SDK raises: `ClientException` with `.code`, `.message` (`code: 400,
/// <Message> request id: <id>`), `.data` (the body plus `statusCode`), the status.
fn assert_tea_python_refusal(line: &Value, code: &str, message: &str) {
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["exception"], "ClientException", "{line}");
    assert_eq!(line["http_status"], 400, "{line}");
    assert_eq!(line["code"], code, "{line}");
    let request_id = line["request_id"].as_str().unwrap();
    assert_eq!(request_id.len(), 36, "{line}");
    assert_eq!(
        line["message"],
        format!("code: 400, {message} request id: {request_id}"),
    );
    let data = &line["error_data"];
    assert_eq!(data["Code"], code, "{line}");
    assert_eq!(data["Message"], message, "{line}");
    assert_eq!(data["RequestId"], request_id, "{line}");
    assert_eq!(data["statusCode"], 400, "{line}");
}

/// What the Node.js Tea SDK raises: `ClientError` with `.code`, `.statusCode`, `.requestId`,
/// `.message` (`<Code>: code: 400, <Message> request id: <id>`) and `.data` (the body).
fn assert_tea_node_refusal(line: &Value, code: &str, message: &str) {
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["exception"], "ClientError", "{line}");
    assert_eq!(line["error_name"], "ClientError", "{line}");
    assert_eq!(line["http_status"], 400, "{line}");
    assert_eq!(line["code"], code, "{line}");
    let request_id = line["request_id"].as_str().unwrap();
    assert_eq!(request_id.len(), 36, "{line}");
    assert_eq!(
        line["message"],
        format!("{code}: code: 400, {message} request id: {request_id}"),
    );
    let data = &line["error_data"];
    assert_eq!(data["Code"], code, "{line}");
    assert_eq!(data["Message"], message, "{line}");
    assert_eq!(data["RequestId"], request_id, "{line}");
}

/// What pop-core raises: an `Error` named `<Code>Error`, `.code`, `.message` (`<Message>, URL:
/// <url>`), `.data` (the body); its entry has the status.
fn assert_pop_refusal(line: &Value, port: u16, code: &str, message: &str) {
    assert_eq!(line["ok"], false, "{line}");
    assert_eq!(line["exception"], "Error", "{line}");
    assert_eq!(line["error_name"], format!("{code}Error"), "{line}");
    assert_eq!(line["http_status"], 400, "{line}");
    assert_eq!(line["code"], code, "{line}");
    assert_eq!(
        line["message"],
        format!("{message}, URL: http://127.0.0.1:{port}/")
    );
    assert_eq!(line["body"]["Code"], code, "{line}");
    assert_eq!(line["body"]["Message"], message, "{line}");
    assert_eq!(line["request_id"], line["body"]["RequestId"], "{line}");
}

#[test]
fn refusals_as_each_sdk_raises_them() {
    let Some(clients) = Clients::get() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_db(dir.path(), |_| {});
    let port = server.port;
    let mismatch = [
        "--action",
        "UploadUserCertificate",
        "--param",
        "Name=mismatch",
        "--param-file",
        "Cert=testdata/rsa2048/fullchain.pem",
        "--param-file",
        "Key=testdata/mismatch/rsa2048-b.key.pkcs1.pem",
    ];
    let upload = |name: &str| -> Vec<String> {
        [
            "--action",
            "UploadUserCertificate",
            "--param",
            &format!("Name={name}"),
            "--param-file",
            "Cert=testdata/p384/fullchain.pem",
            "--param-file",
            "Key=testdata/p384/key.pkcs8.pem",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    let key_mismatch = (
        "Preflight.CertificateKeyMismatch",
        "The private key does not match the certificate.",
    );
    let duplicated = ("Preflight.NameDuplicated", "名称重复，请重新输入。");

    // The Python Tea SDK (V3).
    let line = clients.tea_python(port, &mismatch);
    assert_tea_python_refusal(&line, key_mismatch.0, key_mismatch.1);
    assert!(
        line["error_data"]["PreflightDetail"]
            .as_str()
            .unwrap()
            .contains("modulus"),
        "{line}"
    );
    let args = upload("dup-tea-python");
    let line = clients.tea_python(port, &strs(&args));
    assert_success(&line);
    assert!(line["body"]["CertId"].is_i64(), "{line}");
    let line = clients.tea_python(port, &strs(&args));
    assert_tea_python_refusal(&line, duplicated.0, duplicated.1);

    // The Node.js Tea SDK (V3).
    let line = clients.tea_node(port, &mismatch);
    assert_tea_node_refusal(&line, key_mismatch.0, key_mismatch.1);
    let args = upload("dup-tea-node");
    let line = clients.tea_node(port, &strs(&args));
    assert_success(&line);
    assert!(line["body"]["CertId"].is_i64(), "{line}");
    let line = clients.tea_node(port, &strs(&args));
    assert_tea_node_refusal(&line, duplicated.0, duplicated.1);

    // pop-core (RPC v1 signature, form body).
    let mut pop_mismatch = vec!["--product", "cas"];
    pop_mismatch.extend_from_slice(&mismatch);
    let line = clients.pop(port, &pop_mismatch);
    assert_pop_refusal(&line, port, key_mismatch.0, key_mismatch.1);
    let mut args = vec!["--product".to_owned(), "cas".to_owned()];
    args.extend(upload("dup-pop"));
    let line = clients.pop(port, &strs(&args));
    assert_success(&line);
    let line = clients.pop(port, &strs(&args));
    assert_pop_refusal(&line, port, duplicated.0, duplicated.1);

    // The names taken survive a restart: still refused, through every SDK.
    server.stop();
    let server = Server::start_db(dir.path(), |_| {});
    let port = server.port;
    let line = clients.tea_python(port, &strs(&upload("dup-pop")));
    assert_tea_python_refusal(&line, duplicated.0, duplicated.1);
    let line = clients.tea_node(port, &strs(&upload("dup-tea-python")));
    assert_tea_node_refusal(&line, duplicated.0, duplicated.1);
    let mut args = vec!["--product".to_owned(), "cas".to_owned()];
    args.extend(upload("dup-tea-node"));
    let line = clients.pop(port, &strs(&args));
    assert_pop_refusal(&line, port, duplicated.0, duplicated.1);
    assert_eq!(
        listed(&clients, port)
            .into_iter()
            .map(|(_, name)| name)
            .collect::<Vec<_>>(),
        ["dup-pop", "dup-tea-node", "dup-tea-python"]
    );
    server.stop();
}
