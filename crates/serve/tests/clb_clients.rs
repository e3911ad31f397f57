//! Classic Load Balancer through the real clients, against a server in this process: the
//! legacy SLB SDK (aliyun-python-sdk-slb) and the Tea one (alibabacloud-slb20140515, V3 and v2
//! signatures) upload, describe and delete; certd's flow with pop-core (the certificate
//! service, then CLB by `AliCloudCertificateId`); certimate's uploader (blank lines stripped,
//! its look-up before uploading). The drivers are `clients/slb_flows.py` and
//! `clients/slb_certd.js`, installed by `clients/install.sh` from the registries.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use support::*;

/// Runs a driver and parses its one JSON line; no line of `key` may be in what it printed.
fn driver(root: &Path, program: &Path, script: &str, args: &[&str], key: &str) -> Value {
    let output = Command::new(program)
        .arg(root.join(script))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in key.lines().filter(|l| l.len() == 64) {
        assert!(!stdout.contains(line), "{script} printed key material");
    }
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
        panic!(
            "{script}: {e}: {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// (action, ok, http status, code) of each step.
fn steps(result: &Value) -> Vec<(String, bool, Value, Value)> {
    result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["action"].as_str().unwrap().to_owned(),
                s["ok"].as_bool().unwrap(),
                s["http_status"].clone(),
                s["code"].clone(),
            )
        })
        .collect()
}

fn step(action: &str, ok: bool, status: u16, code: Option<&str>) -> (String, bool, Value, Value) {
    (
        action.to_owned(),
        ok,
        json!(status),
        code.map_or(Value::Null, |c| json!(c)),
    )
}

/// The upload answer's fields for `rsa2048/fullchain.pem`, as the SDK model read them.
fn assert_uploaded(body: &Value, region: &str) {
    assert_eq!(
        body["Fingerprint"],
        "28:56:15:d6:1a:66:6c:a6:98:0c:ff:b2:0a:c2:54:1c:93:0a:9b:b1"
    );
    assert_eq!(body["CommonName"], "www.example.com");
    assert_eq!(
        body["SubjectAlternativeNames"]["SubjectAlternativeName"],
        json!(["www.example.com", "example.com"])
    );
    assert_eq!(body["ExpireTime"], "2027-01-01T00:00:00Z");
    assert_eq!(body["ExpireTimeStamp"], 1_798_761_600_000_i64);
    assert_eq!(body["RegionId"], region);
}

#[test]
fn the_slb_sdks_upload_describe_and_delete() {
    let Some(root) = install_clients() else {
        return;
    };
    let python = root.join("target/clients/venv/bin/python");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let port = server.port.to_string();
    let key = fixture("rsa2048/key.pkcs1.pem");
    let expected = [
        step("UploadServerCertificate", true, 200, None),
        step("DescribeServerCertificates", true, 200, None),
        step("DeleteServerCertificate", true, 200, None),
        step("DescribeServerCertificates", true, 200, None),
        step(
            "UploadServerCertificate",
            false,
            400,
            Some("InvalidParameter"),
        ),
    ];
    for flow in [
        &["legacy"][..],
        &["tea"][..],
        &["tea", "--signature-algorithm", "v2"][..],
    ] {
        let mut args = flow.to_vec();
        args.extend([
            "--port",
            &port,
            "--ak",
            "test",
            "--secret",
            "test",
            "--cert",
            "testdata/rsa2048/fullchain.pem",
            "--key",
            "testdata/rsa2048/key.pkcs1.pem",
        ]);
        let result = driver(&root, &python, "clients/slb_flows.py", &args, &key);
        assert_eq!(steps(&result), expected, "{flow:?}: {result}");
        assert_eq!(result["ok"], true, "{result}");
        let uploaded = &result["steps"][0]["body"];
        assert_uploaded(uploaded, "cn-hangzhou");
        assert_eq!(uploaded["ServerCertificateName"], "www-2026");
        assert_eq!(uploaded["IsAliCloudCertificate"], 0);
        let id = uploaded["ServerCertificateId"].as_str().unwrap();
        assert_eq!(result["found"]["described"], json!([id]), "{result}");
        assert_eq!(result["found"]["after_delete"], json!([]), "{result}");
        let described = &result["steps"][1]["body"]["ServerCertificates"]["ServerCertificate"][0];
        assert_uploaded(described, "cn-hangzhou");
        // The SDK's exception carries the list's message for the PKCS#8 key.
        let refused = &result["steps"][4];
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("The specified parameter key format is error."),
            "{refused}"
        );
    }
    let log = server.stderr();
    assert!(log.contains("UploadServerCertificate - OK"), "{log}");
    assert!(log.contains("DeleteServerCertificate - OK"), "{log}");
}

/// certd: the pair to the certificate service with pop-core, its name read back, then CLB by
/// `AliCloudCertificateId` (the number), `AliCloudCertificateName` and
/// `AliCloudCertificateRegionId`.
#[test]
fn certd_uploads_once_then_makes_a_server_certificate_by_id() {
    let Some(root) = install_clients() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let port = server.port.to_string();
    let key = fixture("rsa2048/key.pkcs1.pem");
    let result = driver(
        &root,
        Path::new("node"),
        "clients/slb_certd.js",
        &[
            "--port",
            &port,
            "--ak",
            "test",
            "--secret",
            "test",
            "--name",
            "certd_www_example_com_20260601",
            "--region",
            "cn-shanghai",
            "--cert",
            "testdata/rsa2048/fullchain.pem",
            "--key",
            "testdata/rsa2048/key.pkcs1.pem",
        ],
        &key,
    );
    assert_eq!(
        steps(&result),
        [
            step("UploadUserCertificate", true, 200, None),
            step("GetUserCertificateDetail", true, 200, None),
            step("UploadServerCertificate", true, 200, None),
            step("DescribeServerCertificates", true, 200, None),
        ],
        "{result}"
    );
    assert_eq!(result["ok"], true);
    let cert_id = result["found"]["cert_id"].as_i64().unwrap();
    assert_eq!(
        result["found"]["cert_name"],
        "certd_www_example_com_20260601"
    );
    let made = &result["steps"][2]["body"];
    assert_uploaded(made, "cn-shanghai");
    assert_eq!(made["IsAliCloudCertificate"], 1);
    assert_eq!(made["AliCloudCertificateId"], cert_id.to_string());
    assert_eq!(
        made["AliCloudCertificateName"],
        "certd_www_example_com_20260601"
    );
    let listed = &result["steps"][3]["body"]["ServerCertificates"]["ServerCertificate"];
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        listed[0]["ServerCertificateId"],
        result["found"]["server_certificate_id"]
    );
}

/// certimate: the PEM with a blank line between the certificates is refused as given
/// (certimate#326), accepted once stripped; its look-up compares the leaf's SHA-256 with
/// `Fingerprint`, which the service gives as SHA-1, so the second run uploads again.
#[test]
fn certimate_strips_blank_lines_and_its_look_up_misses() {
    let Some(root) = install_clients() else {
        return;
    };
    let python = root.join("target/clients/venv/bin/python");
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), |_| {});
    let port = server.port.to_string();
    let key = fixture("rsa2048/key.pkcs1.pem");
    let result = driver(
        &root,
        &python,
        "clients/slb_flows.py",
        &[
            "certimate",
            "--port",
            &port,
            "--ak",
            "test",
            "--secret",
            "test",
            "--region",
            "cn-shenzhen",
            "--cert",
            "testdata/pem/blank-line-between.pem",
            "--key",
            "testdata/rsa2048/key.pkcs1.pem",
        ],
        &key,
    );
    assert_eq!(
        steps(&result),
        [
            step(
                "UploadServerCertificate",
                false,
                400,
                Some("KeyFormatError")
            ),
            step("DescribeServerCertificates", true, 200, None),
            step("UploadServerCertificate", true, 200, None),
            step("DescribeServerCertificates", true, 200, None),
            step("UploadServerCertificate", true, 200, None),
        ],
        "{result}"
    );
    assert_eq!(result["ok"], true);
    let found = &result["found"];
    assert_eq!(found["runs"][0]["reused"], false);
    assert_eq!(found["runs"][1]["reused"], false, "{found}");
    assert_eq!(found["fingerprint_is_sha1"], true, "{found}");
    assert_eq!(found["fingerprint_is_sha256"], false, "{found}");
    let uploaded = &result["steps"][2]["body"];
    assert_uploaded(uploaded, "cn-shenzhen");
    assert!(
        uploaded["ServerCertificateName"]
            .as_str()
            .unwrap()
            .starts_with("certimate_"),
        "{uploaded}"
    );
}
