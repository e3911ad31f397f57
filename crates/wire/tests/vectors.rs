//! Requests recorded from the real clients (tests/vectors/*.json, made by
//! tests/vectors/capture.py; package versions in tests/vectors/VERSIONS.txt) verify, and every
//! way of spoiling them is refused with the gateway's exact error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_wire::{
    ErrorEnvelope, Format, GatewayError, Identity, NonceCache, Params, SignatureKind, WireRequest,
    acs3_canonical_request, acs3_signature, acs3_string_to_sign, authenticate, percent_encode,
    route, rpc_string_to_sign, success_json,
};
use serde_json::Value;
use time::macros::format_description;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

const TABLE: &[(&str, &str)] = &[
    ("SetDomainServerCertificate", "2018-05-10"),
    ("SetLiveDomainCertificate", "2016-11-01"),
    ("SetCdnDomainSSLCertificate", "2018-05-10"),
    ("SetDcdnDomainSSLCertificate", "2018-01-15"),
    ("SetVodDomainSSLCertificate", "2017-03-21"),
];

const VECTORS: &[(&str, &str, SignatureKind)] = &[
    (
        "legacy_rpc_set_domain_server_certificate",
        include_str!("vectors/legacy_rpc_set_domain_server_certificate.json"),
        SignatureKind::RpcV1,
    ),
    (
        "tea_v3_set_cdn_domain_ssl_certificate",
        include_str!("vectors/tea_v3_set_cdn_domain_ssl_certificate.json"),
        SignatureKind::Acs3HmacSha256,
    ),
    (
        "tea_v2_set_cdn_domain_ssl_certificate",
        include_str!("vectors/tea_v2_set_cdn_domain_ssl_certificate.json"),
        SignatureKind::RpcV1,
    ),
    (
        "acmesh_post_set_cdn_domain_ssl_certificate",
        include_str!("vectors/acmesh_post_set_cdn_domain_ssl_certificate.json"),
        SignatureKind::RpcV1,
    ),
];

/// One recorded request, owned, so that it can be spoiled and re-borrowed.
#[derive(Clone)]
struct Recorded {
    method: String,
    path: String,
    query: Vec<u8>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

struct Vector {
    name: &'static str,
    kind: SignatureKind,
    json: Value,
    request: Recorded,
}

fn vectors() -> Vec<Vector> {
    VECTORS
        .iter()
        .map(|&(name, text, kind)| {
            let json: Value = serde_json::from_str(text).unwrap();
            let target = json["target"].as_str().unwrap();
            let (path, query) = target.split_once('?').unwrap_or((target, ""));
            let headers = json["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_owned(),
                        h[1].as_str().unwrap().as_bytes().to_vec(),
                    )
                })
                .collect();
            let request = Recorded {
                method: json["method"].as_str().unwrap().to_owned(),
                path: path.to_owned(),
                query: query.as_bytes().to_vec(),
                headers,
                body: json["body"].as_str().unwrap().as_bytes().to_vec(),
            };
            Vector {
                name,
                kind,
                json,
                request,
            }
        })
        .collect()
}

impl Recorded {
    /// Authenticates with the key `testid` having secret `secret`, at `now`.
    fn auth(
        &self,
        secret: &str,
        now: OffsetDateTime,
        nonces: &mut NonceCache,
    ) -> Result<Identity, GatewayError> {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        let request = WireRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        };
        let params = request.params()?;
        route(TABLE, &params, &headers)?;
        authenticate(
            &request,
            &params,
            |id| (id == "testid").then_some(secret),
            now,
            nonces,
        )
    }

    fn params(&self) -> Params {
        let headers: Vec<(&str, &[u8])> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_slice()))
            .collect();
        WireRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &headers,
            body: &self.body,
        }
        .params()
        .unwrap()
    }

    /// The time the client stamped on the request.
    fn stamped_at(&self) -> OffsetDateTime {
        let params = self.params();
        let text = match params.get_str("Timestamp") {
            Some(t) => t.to_owned(),
            None => {
                let (_, v) = self
                    .headers
                    .iter()
                    .find(|(n, _)| n == "x-acs-date")
                    .unwrap();
                String::from_utf8(v.clone()).unwrap()
            }
        };
        let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
        PrimitiveDateTime::parse(&text, format)
            .unwrap()
            .assume_utc()
    }
}

#[test]
fn every_vector_verifies_with_the_right_secret() {
    for v in vectors() {
        let mut nonces = NonceCache::default();
        let now = v.request.stamped_at() + Duration::seconds(3);
        let identity = v
            .request
            .auth("testsecret", now, &mut nonces)
            .unwrap_or_else(|e| {
                panic!("{}: {e}", v.name);
            });
        assert_eq!(
            identity,
            Identity {
                access_key_id: "testid".into(),
                kind: v.kind
            },
            "{}",
            v.name
        );
        assert_eq!(nonces.len(), 1);
    }
}

#[test]
fn a_wrong_secret_gives_the_clients_own_string_to_sign() {
    for v in vectors() {
        let now = v.request.stamped_at();
        let err = v
            .request
            .auth("wrongsecret", now, &mut NonceCache::default())
            .unwrap_err();
        let sdk = v.json["sdk_string_to_sign"].as_str().unwrap();
        assert_eq!(
            err,
            GatewayError::SignatureDoesNotMatch {
                string_to_sign: sdk.into()
            },
            "{}",
            v.name
        );
        assert_eq!(err.http_status(), 400);
        // What the legacy SDK does with the message: `message.split(':')[1] == own`.
        let message = err.message();
        assert_eq!(message.split(':').nth(1), Some(sdk), "{}", v.name);
        assert!(message.starts_with(
            "Specified signature is not matched with our calculation. server string to sign is:"
        ));
    }
}

#[test]
fn string_to_sign_and_canonical_request_are_the_sdks() {
    for v in vectors() {
        let params = v.request.params();
        let sdk = v.json["sdk_string_to_sign"].as_str().unwrap();
        match v.kind {
            SignatureKind::RpcV1 => {
                assert_eq!(
                    rpc_string_to_sign(&v.request.method, &params),
                    sdk,
                    "{}",
                    v.name
                );
            }
            SignatureKind::Acs3HmacSha256 => {
                let headers: Vec<(&str, &[u8])> = v
                    .request
                    .headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_slice()))
                    .collect();
                let auth = headers
                    .iter()
                    .find(|(n, _)| *n == "Authorization")
                    .unwrap()
                    .1;
                let auth = cert_preflight_wire::Acs3Authorization::parse(auth).unwrap();
                let canonical = acs3_canonical_request(
                    &v.request.method,
                    &v.request.path,
                    &params,
                    &headers,
                    &auth.signed_headers,
                    &v.request.body,
                );
                let sdk_canonical = v.json["sdk_canonical_request"].as_str().unwrap();
                assert_eq!(String::from_utf8(canonical.clone()).unwrap(), sdk_canonical);
                assert_eq!(acs3_string_to_sign(&canonical), sdk);
            }
            _ => unreachable!(),
        }
    }
}

#[test]
fn a_replayed_nonce_is_refused() {
    for v in vectors() {
        let mut nonces = NonceCache::default();
        let now = v.request.stamped_at();
        v.request.auth("testsecret", now, &mut nonces).unwrap();
        let again = v
            .request
            .auth("testsecret", now + Duration::minutes(10), &mut nonces);
        assert_eq!(again, Err(GatewayError::SignatureNonceUsed), "{}", v.name);
        // A failed request does not burn the nonce.
        let mut fresh = NonceCache::default();
        assert!(v.request.auth("wrongsecret", now, &mut fresh).is_err());
        assert!(fresh.is_empty());
        v.request.auth("testsecret", now, &mut fresh).unwrap();
    }
}

#[test]
fn timestamps_more_than_15_minutes_away_are_expired() {
    for v in vectors() {
        let stamped = v.request.stamped_at();
        for (offset, ok) in [(900, true), (-900, true), (901, false), (-901, false)] {
            let result = v.request.auth(
                "testsecret",
                stamped + Duration::seconds(offset),
                &mut NonceCache::default(),
            );
            if ok {
                assert!(result.is_ok(), "{} {offset}: {result:?}", v.name);
            } else {
                assert_eq!(
                    result,
                    Err(GatewayError::InvalidTimeStampExpired),
                    "{} {offset}",
                    v.name
                );
            }
        }
    }
}

#[test]
fn an_unknown_access_key_is_not_found() {
    for v in vectors() {
        let mut r = v.request.clone();
        for h in &mut r.headers {
            if h.0 == "Authorization" {
                let text = String::from_utf8(h.1.clone()).unwrap();
                h.1 = text
                    .replace("Credential=testid", "Credential=other")
                    .into_bytes();
            }
        }
        let replace = |bytes: &[u8]| {
            String::from_utf8(bytes.to_vec())
                .unwrap()
                .replace("AccessKeyId=testid", "AccessKeyId=other")
        };
        r.query = replace(&r.query).into_bytes();
        r.body = replace(&r.body).into_bytes();
        let err = r
            .auth("testsecret", r.stamped_at(), &mut NonceCache::default())
            .unwrap_err();
        assert_eq!(err, GatewayError::InvalidAccessKeyIdNotFound, "{}", v.name);
        assert_eq!(err.http_status(), 404);
    }
}

/// Prepends `0` to the value of the `n`th `name=value` segment of `input`; `None` past the end.
fn spoil_segment(input: &[u8], n: usize) -> Option<(String, Vec<u8>)> {
    let text = std::str::from_utf8(input).unwrap();
    let segments: Vec<&str> = text.split('&').filter(|s| !s.is_empty()).collect();
    let segment = segments.get(n)?;
    let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
    let spoiled: Vec<String> = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if i == n {
                format!("{name}=0{value}")
            } else {
                (*s).to_owned()
            }
        })
        .collect();
    Some((name.to_owned(), spoiled.join("&").into_bytes()))
}

fn expected_for_spoiled_param(name: &str) -> GatewayError {
    match name {
        "AccessKeyId" => GatewayError::InvalidAccessKeyIdNotFound,
        "Timestamp" => GatewayError::InvalidTimeStampFormat,
        "SignatureMethod" | "SignatureVersion" => GatewayError::IncompleteSignature,
        "Action" => GatewayError::InvalidActionNotFound,
        "Version" => GatewayError::InvalidVersion,
        _ => GatewayError::SignatureDoesNotMatch {
            string_to_sign: String::new(),
        },
    }
}

fn same_kind(a: &GatewayError, b: &GatewayError) -> bool {
    a.code() == b.code()
}

#[test]
fn tampering_with_any_parameter_or_signed_header_fails() {
    for v in vectors() {
        let now = v.request.stamped_at();
        let mut tried = 0;
        for in_body in [false, true] {
            for n in 0.. {
                let source = if in_body {
                    &v.request.body
                } else {
                    &v.request.query
                };
                let Some((name, spoiled)) = spoil_segment(source, n) else {
                    break;
                };
                let mut r = v.request.clone();
                if in_body {
                    r.body = spoiled;
                } else {
                    r.query = spoiled;
                }
                let err = r
                    .auth("testsecret", now, &mut NonceCache::default())
                    .unwrap_err();
                let expected = expected_for_spoiled_param(&name);
                assert!(same_kind(&err, &expected), "{} {name}: {err:?}", v.name);
                tried += 1;
            }
        }
        if v.kind == SignatureKind::Acs3HmacSha256 {
            let auth = &v
                .request
                .headers
                .iter()
                .find(|(n, _)| n == "Authorization")
                .unwrap()
                .1;
            let signed = String::from_utf8(auth.clone()).unwrap();
            for i in 0..v.request.headers.len() {
                let mut r = v.request.clone();
                let (name, value) = &mut r.headers[i];
                let lower = name.to_ascii_lowercase();
                let is_signed = signed.contains(&format!("{lower};"))
                    || signed.contains(&format!("{lower},"))
                    || signed.contains(&format!("={lower};"));
                if lower == "authorization" || !is_signed {
                    continue;
                }
                value.insert(0, b'1');
                let err = r
                    .auth("testsecret", now, &mut NonceCache::default())
                    .unwrap_err();
                let expected = match lower.as_str() {
                    "x-acs-date" => GatewayError::InvalidTimeStampFormat,
                    "x-acs-action" => GatewayError::InvalidActionNotFound,
                    "x-acs-version" => GatewayError::InvalidVersion,
                    _ => GatewayError::SignatureDoesNotMatch {
                        string_to_sign: String::new(),
                    },
                };
                assert!(
                    same_kind(&err, &expected),
                    "{} header {lower}: {err:?}",
                    v.name
                );
                tried += 1;
            }
            // A body the client did not hash.
            let mut r = v.request.clone();
            r.body = b"SSLPri=other".to_vec();
            let err = r
                .auth("testsecret", now, &mut NonceCache::default())
                .unwrap_err();
            assert_eq!(err.code(), "SignatureDoesNotMatch");
        }
        // A parameter the client did not sign, even a duplicate of a signed one.
        for extra in [&b"&CertName=evil"[..], b"&Extra=1", b"&SignatureType="] {
            let mut r = v.request.clone();
            r.query.extend_from_slice(extra);
            let err = r
                .auth("testsecret", now, &mut NonceCache::default())
                .unwrap_err();
            assert_eq!(err.code(), "SignatureDoesNotMatch", "{} {extra:?}", v.name);
        }
        assert!(tried >= 6, "{}: only {tried} spoiled", v.name);
    }
}

#[test]
fn missing_signatures_are_incomplete() {
    for v in vectors() {
        let now = v.request.stamped_at();
        let mut r = v.request.clone();
        r.headers.retain(|(n, _)| n != "Authorization");
        let strip = |bytes: &[u8]| {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            text.split('&')
                .filter(|s| !s.starts_with("Signature="))
                .collect::<Vec<_>>()
                .join("&")
        };
        r.query = strip(&r.query).into_bytes();
        r.body = strip(&r.body).into_bytes();
        let err = r
            .auth("testsecret", now, &mut NonceCache::default())
            .unwrap_err();
        assert_eq!(err, GatewayError::IncompleteSignature, "{}", v.name);
        assert_eq!(
            err.message(),
            "The request signature does not conform to Aliyun standards."
        );
    }
}

#[test]
fn garbage_authorization_headers_are_incomplete() {
    let v = vectors()
        .into_iter()
        .find(|v| v.kind == SignatureKind::Acs3HmacSha256)
        .unwrap();
    let now = v.request.stamped_at();
    for garbage in [
        &b"ACS3-HMAC-SHA256"[..],
        b"ACS3-HMAC-SHA256 Credential=testid",
        b"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=00",
        b"ACS3-HMAC-SM3 Credential=testid,SignedHeaders=x-acs-date;x-acs-signature-nonce,Signature=00",
        b"ACS3-\xff\xfe",
        b"Basic dGVzdDp0ZXN0",
        b"",
    ] {
        let mut r = v.request.clone();
        for h in &mut r.headers {
            if h.0 == "Authorization" {
                h.1 = garbage.to_vec();
            }
        }
        let err = r.auth("testsecret", now, &mut NonceCache::default()).unwrap_err();
        assert_eq!(err, GatewayError::IncompleteSignature, "{}", String::from_utf8_lossy(garbage));
    }
    // Two Authorization headers.
    let mut r = v.request.clone();
    let auth = r
        .headers
        .iter()
        .find(|(n, _)| n == "Authorization")
        .unwrap()
        .clone();
    r.headers.push(auth);
    let err = r
        .auth("testsecret", now, &mut NonceCache::default())
        .unwrap_err();
    assert_eq!(err, GatewayError::IncompleteSignature);
}

#[test]
fn bad_percent_escapes_are_malformed_requests() {
    for v in vectors() {
        for (in_body, junk) in [(false, &b"&A=%zz"[..]), (false, b"&%"), (true, b"&B=%4")] {
            let mut r = v.request.clone();
            if in_body {
                r.body.extend_from_slice(junk);
            } else {
                r.query.extend_from_slice(junk);
            }
            let now = OffsetDateTime::UNIX_EPOCH;
            let err = r
                .auth("testsecret", now, &mut NonceCache::default())
                .unwrap_err();
            assert_eq!(err, GatewayError::MalformedRequest, "{}", v.name);
            assert_eq!(err.http_status(), 400);
        }
    }
}

#[test]
fn an_empty_request_is_refused_without_panicking() {
    let empty = Recorded {
        method: String::new(),
        path: String::new(),
        query: Vec::new(),
        headers: Vec::new(),
        body: Vec::new(),
    };
    let err = empty.auth(
        "testsecret",
        OffsetDateTime::UNIX_EPOCH,
        &mut NonceCache::default(),
    );
    assert_eq!(err, Err(GatewayError::InvalidActionNotFound));
    // Routed, but unsigned.
    let unsigned = Recorded {
        query: b"Action=SetCdnDomainSSLCertificate&Version=2018-05-10".to_vec(),
        ..empty
    };
    let err = unsigned.auth(
        "testsecret",
        OffsetDateTime::UNIX_EPOCH,
        &mut NonceCache::default(),
    );
    assert_eq!(err, Err(GatewayError::IncompleteSignature));
}

#[test]
fn bodies_for_a_refused_vector_are_byte_exact() {
    let v = vectors()
        .into_iter()
        .find(|v| v.name.starts_with("acmesh"))
        .unwrap();
    let err = v.request.auth(
        "wrongsecret",
        v.request.stamped_at(),
        &mut NonceCache::default(),
    );
    let err = err.unwrap_err();
    let message = err.message();
    let format = Format::from_params(&v.request.params());
    assert_eq!(format, Format::Json);
    let body = ErrorEnvelope {
        request_id: "E2D5C53B-0A5B-4B87-9C8E-4B5E3F0D1C2A",
        host_id: "cdn.aliyuncs.com",
        code: err.code(),
        message: &message,
        product: "Cdn",
        detail: None,
    }
    .render(format);
    let sts = v.json["sdk_string_to_sign"].as_str().unwrap();
    assert_eq!(
        body,
        format!(
            "{{\"RequestId\":\"E2D5C53B-0A5B-4B87-9C8E-4B5E3F0D1C2A\",\"HostId\":\"cdn.aliyuncs.com\",\
             \"Code\":\"SignatureDoesNotMatch\",\"Message\":\"Specified signature is not matched \
             with our calculation. server string to sign is:{sts}\",\"Recommend\":\
             \"https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Cdn&\
             requestId=E2D5C53B-0A5B-4B87-9C8E-4B5E3F0D1C2A\"}}"
        )
    );
    // acme.sh's test for an error: grep -o '"Message":"[^"]*"'.
    assert!(body.contains("\"Message\":\"Specified signature"));
    assert_eq!(success_json("x", &[]), r#"{"RequestId":"x"}"#);
}

/// The recorded V3 vector.
fn v3_vector() -> Vector {
    vectors()
        .into_iter()
        .find(|v| v.kind == SignatureKind::Acs3HmacSha256)
        .unwrap()
}

/// The query of `r` with its first `joined` parameters and the name of the next one made into
/// one parameter *named* `n1=enc(v1)&…&nk` (the old canonical query wrote names as decoded, so
/// this forged name reproduced the signed pairs byte for byte), its value the next one's.
fn forge_joined_name(query: &[u8], joined: usize) -> Vec<u8> {
    let params = cert_preflight_wire::decode_form(query).unwrap();
    let pairs: Vec<_> = params.iter().collect();
    let mut name = Vec::new();
    for p in &pairs[..joined] {
        name.extend_from_slice(p.name);
        name.push(b'=');
        name.extend_from_slice(percent_encode(p.value).as_bytes());
        name.push(b'&');
    }
    name.extend_from_slice(pairs[joined].name);
    let mut out = format!(
        "{}={}",
        percent_encode(&name),
        percent_encode(pairs[joined].value)
    );
    for p in &pairs[joined + 1..] {
        out.push_str(&format!(
            "&{}={}",
            percent_encode(p.name),
            percent_encode(p.value)
        ));
    }
    out.into_bytes()
}

#[test]
fn a_parameter_named_like_signed_pairs_is_refused() {
    let v = v3_vector();
    let now = v.request.stamped_at();
    // The untouched vector verifies.
    v.request
        .auth("testsecret", now, &mut NonceCache::default())
        .unwrap();
    for joined in 1..=2 {
        let mut r = v.request.clone();
        r.query = forge_joined_name(&v.request.query, joined);
        let forged = r.params();
        assert!(forged.get("CertName").is_none(), "{joined}");
        assert!(
            forged
                .iter()
                .any(|p| p.name.starts_with(b"CertName=my%20cert") && p.name.contains(&b'&')),
            "{joined}"
        );
        // Same signature, same Authorization header: refused before the signature is checked.
        let err = r
            .auth("testsecret", now, &mut NonceCache::default())
            .unwrap_err();
        assert_eq!(err, GatewayError::IncompleteSignature, "{joined}");
        assert_eq!(err.http_status(), 400);
        // And the canonical request no longer reproduces the signed one.
        assert_ne!(v3_canonical(&r), v3_canonical(&v.request), "{joined}");
    }
    // The same names in a form body are refused too.
    let mut r = v.request.clone();
    r.body = b"CertName%3Dn1%26DomainName=d".to_vec();
    assert_eq!(
        r.auth("testsecret", now, &mut NonceCache::default()),
        Err(GatewayError::IncompleteSignature)
    );
}

/// The canonical request the server computes for `r` (over the headers its Authorization
/// signs).
fn v3_canonical(r: &Recorded) -> String {
    let headers: Vec<(&str, &[u8])> = r
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let auth = headers
        .iter()
        .find(|(n, _)| *n == "Authorization")
        .unwrap()
        .1;
    let auth = cert_preflight_wire::Acs3Authorization::parse(auth).unwrap();
    let canonical = acs3_canonical_request(
        &r.method,
        &r.path,
        &r.params(),
        &headers,
        &auth.signed_headers,
        &r.body,
    );
    String::from_utf8(canonical).unwrap()
}

/// Re-signs `r` correctly with `testsecret`, signing exactly `signed` (lower case, sorted).
fn resign_v3(r: &mut Recorded, signed: &[&str]) {
    let signed: Vec<String> = signed.iter().map(|s| (*s).to_owned()).collect();
    let headers: Vec<(&str, &[u8])> = r
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let canonical =
        acs3_canonical_request(&r.method, &r.path, &r.params(), &headers, &signed, &r.body);
    let signature = acs3_signature("testsecret", &acs3_string_to_sign(&canonical));
    let value = format!(
        "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders={},Signature={signature}",
        signed.join(";")
    );
    for h in &mut r.headers {
        if h.0 == "Authorization" {
            h.1 = value.clone().into_bytes();
        }
    }
}

#[test]
fn unsigned_action_or_version_headers_are_refused() {
    let v = v3_vector();
    let now = v.request.stamped_at();
    let auth = &v
        .request
        .headers
        .iter()
        .find(|(n, _)| n == "Authorization")
        .unwrap()
        .1;
    let auth = cert_preflight_wire::Acs3Authorization::parse(auth).unwrap();
    // The real client signs both.
    assert!(auth.signs("x-acs-action") && auth.signs("x-acs-version"));
    let all: Vec<&str> = auth.signed_headers.iter().map(String::as_str).collect();
    // Re-signing over the same headers verifies: the refusals below are the rule's.
    let mut r = v.request.clone();
    resign_v3(&mut r, &all);
    assert_eq!(r.headers, v.request.headers);
    r.auth("testsecret", now, &mut NonceCache::default())
        .unwrap();
    for left_out in [
        &["x-acs-action"][..],
        &["x-acs-version"],
        &["x-acs-action", "x-acs-version"],
    ] {
        let signed: Vec<&str> = all
            .iter()
            .copied()
            .filter(|h| !left_out.contains(h))
            .collect();
        let mut r = v.request.clone();
        resign_v3(&mut r, &signed);
        let err = r
            .auth("testsecret", now, &mut NonceCache::default())
            .unwrap_err();
        assert_eq!(err, GatewayError::IncompleteSignature, "{left_out:?}");
        assert_eq!(
            err.message(),
            "The request signature does not conform to Aliyun standards."
        );
        // Whatever the header says, even the value the client meant.
        let mut r2 = r.clone();
        for h in &mut r2.headers {
            if h.0 == "x-acs-action" {
                h.1 = b"SetVodDomainSSLCertificate".to_vec();
            }
            if h.0 == "x-acs-version" {
                h.1 = b"2017-03-21".to_vec();
            }
        }
        assert_eq!(
            r2.auth("testsecret", now, &mut NonceCache::default()),
            Err(GatewayError::IncompleteSignature),
            "{left_out:?}"
        );
    }
    // A second, unsigned-looking copy is covered: every value of a signed name is signed.
    let mut r = v.request.clone();
    r.headers.push((
        "X-Acs-Action".to_owned(),
        b"SetVodDomainSSLCertificate".to_vec(),
    ));
    let err = r
        .auth("testsecret", now, &mut NonceCache::default())
        .unwrap_err();
    assert_eq!(err.code(), "SignatureDoesNotMatch");
}
