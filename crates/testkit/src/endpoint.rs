//! What the endpoint's tests share (crates/serve/tests, and the command line's tests of
//! `cert-preflight serve`): raw HTTP (`raw`), RPC v1 signing (`Signing`, `signed_form`,
//! `post`), the uploads of every profile (`upload`), the refusal envelope (`assert_refusal`)
//! and the test data (`fixture`, `AT`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use cert_preflight::Profile;
use cert_preflight_wire::{decode_form, percent_encode, rpc_signature, rpc_string_to_sign};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub const AT: &str = "2026-06-01T00:00:00Z";

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(path: &str) -> String {
    std::fs::read_to_string(repo().join("testdata").join(path)).unwrap()
}

/// A response: status, headers (lower-case names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends raw bytes, reads one response (the request should ask `Connection: close` or be
/// refused).
pub fn raw(port: u16, bytes: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    // A refused request may be answered before all is sent.
    let _ = stream.write_all(bytes);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let mut data = Vec::new();
    let _ = stream.read_to_end(&mut data);
    parse_reply(&data)
}

/// Parses one response (head and the rest as body).
pub fn parse_reply(data: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(data).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {text:?}"));
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

pub fn now_timestamp() -> String {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    now.format(&Rfc3339).unwrap()
}

pub fn nonce() -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}-{}",
        std::process::id(),
        OffsetDateTime::now_utc().unix_timestamp_nanos(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// What a signed request carries beside the API parameters.
pub struct Signing<'a> {
    pub ak: &'a str,
    pub secret: &'a str,
    pub timestamp: String,
    pub nonce: String,
}

impl Signing<'_> {
    pub fn new() -> Signing<'static> {
        Signing {
            ak: "test",
            secret: "test",
            timestamp: now_timestamp(),
            nonce: nonce(),
        }
    }
}

/// The form `k=v&…&Signature=…` of an RPC v1 request, and the server's expected string to
/// sign.
pub fn signed_form(
    method: &str,
    params: &[(&str, &str)],
    signing: &Signing<'_>,
) -> (String, String) {
    let mut all: Vec<(&str, &str)> = params.to_vec();
    if !params.iter().any(|(k, _)| *k == "Format") {
        all.push(("Format", "JSON"));
    }
    all.extend([
        ("AccessKeyId", signing.ak),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", signing.nonce.as_str()),
        ("Timestamp", signing.timestamp.as_str()),
    ]);
    let mut form = all
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encode(k.as_bytes()),
                percent_encode(v.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let string_to_sign = rpc_string_to_sign(method, &decode_form(form.as_bytes()).unwrap());
    let signature = rpc_signature(signing.secret, &string_to_sign);
    form.push_str("&Signature=");
    form.push_str(&percent_encode(signature.as_bytes()));
    (form, string_to_sign)
}

/// The bytes of a POST of a signed form body (`Connection: close`).
pub fn post_bytes(port: u16, params: &[(&str, &str)], signing: &Signing<'_>) -> Vec<u8> {
    let (form, _) = signed_form("POST", params, signing);
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: \
         application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    )
    .into_bytes()
}

/// POSTs a signed form body.
pub fn post(port: u16, params: &[(&str, &str)], signing: &Signing<'_>) -> Reply {
    raw(port, &post_bytes(port, params, signing))
}

pub fn profile(name: &str) -> &'static Profile {
    Profile::by_name(name).unwrap()
}

/// The parameters of an upload to `profile`.
pub fn upload<'a>(
    profile: &'a Profile,
    domain: &'a str,
    name: &'a str,
    chain: &'a str,
    key: &'a str,
) -> Vec<(&'a str, &'a str)> {
    use cert_preflight::Role;
    let mut params = vec![("Action", profile.action()), ("Version", profile.version())];
    // The domain and the switch where the API has them (the certificate service and CLB have
    // neither).
    if let Some(domain_name) = profile.param(Role::Domain) {
        params.push((domain_name, domain));
    }
    if let Some(switch) = profile.param(Role::Switch) {
        params.push((switch, "on"));
    }
    // The region where the API is regional (CLB).
    if let Some(region) = profile.param(Role::Region) {
        params.push((region, "cn-hangzhou"));
    }
    params.push((profile.param(Role::Certificate).unwrap(), chain));
    params.push((profile.param(Role::PrivateKey).unwrap(), key));
    if let Some(cert_name) = profile.param(Role::CertName) {
        params.push((cert_name, name));
    }
    if let Some(cert_type) = profile.param(Role::CertType) {
        params.push((cert_type, "upload"));
    }
    params
}

pub fn assert_refusal(reply: &Reply, status: u16, code: &str, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let body = reply.json();
    assert_eq!(body["Code"], code, "{}", reply.body);
    assert_eq!(body["Message"], message, "{}", reply.body);
    let id = body["RequestId"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert!(body["HostId"].as_str().unwrap().starts_with("127.0.0.1:"));
    assert!(body["Recommend"].as_str().unwrap().starts_with(&format!(
        "https://api.aliyun.com/troubleshoot?q={code}&product="
    )));
    assert!(
        !reply.body.contains("\": "),
        "compact JSON expected: {}",
        reply.body
    );
}
