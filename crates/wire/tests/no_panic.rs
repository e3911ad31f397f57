//! No input panics the decoder, the signature checks or the body writers, and every refusal
//! is one of the gateway's codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_wire::{
    Acs3Authorization, ErrorEnvelope, Format, GatewayError, NonceCache, Params, WireRequest,
    authenticate, decode_form, route,
};
use proptest::prelude::*;
use time::OffsetDateTime;

const TABLE: &[(&str, &str)] = &[("SetCdnDomainSSLCertificate", "2018-05-10")];

/// Bytes biased towards the characters that matter to the parsers.
fn wire_bytes() -> impl Strategy<Value = Vec<u8>> {
    let interesting =
        prop::sample::select(b"%&=+;,: \t\r\nAZaz09-_.~/*\xff\xc3\xa9SignatureACS3".to_vec());
    prop::collection::vec(prop_oneof![any::<u8>(), interesting], 0..200)
}

fn header_name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Authorization",
        "authorization",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-action",
        "x-acs-version",
        "Content-Type",
        "host",
    ])
    .prop_map(str::to_owned)
}

fn check(
    method: &str,
    query: &[u8],
    headers: &[(String, Vec<u8>)],
    body: &[u8],
    nonces: &mut NonceCache,
) {
    let headers: Vec<(&str, &[u8])> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let request = WireRequest {
        method,
        path: "/",
        query,
        headers: &headers,
        body,
    };
    let _ = format!("{request:?}");
    let params = match request.params() {
        Ok(params) => params,
        Err(e) => {
            assert_eq!(GatewayError::from(e), GatewayError::MalformedRequest);
            return;
        }
    };
    let _ = format!("{params:?}");
    let _ = route(TABLE, &params, &headers);
    let now = OffsetDateTime::UNIX_EPOCH;
    if let Err(e) = authenticate(&request, &params, |_| Some("secret"), now, nonces) {
        assert!(
            GatewayError::ALL
                .iter()
                .any(|known| known.code() == e.code())
        );
        let message = e.message();
        for format in [Format::Json, Format::Xml] {
            let body = ErrorEnvelope {
                request_id: "id",
                host_id: "h",
                code: e.code(),
                message: &message,
                product: "Cdn",
                detail: Some(&message),
            }
            .render(format);
            if format == Format::Json {
                serde_json::from_str::<serde_json::Value>(&body).unwrap();
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn decoding_never_panics_and_never_grows(input in wire_bytes()) {
        if let Ok(params) = decode_form(&input) {
            let decoded: usize = params.iter().map(|p| p.name.len() + p.value.len()).sum();
            prop_assert!(decoded <= input.len());
        }
        let _ = Params::from_query_and_body(&input, Some(&input));
        let _ = Acs3Authorization::parse(&input);
    }

    #[test]
    fn authenticating_never_panics(
        method in prop::sample::select(vec!["GET", "POST", "", "\u{e9}"]),
        query in wire_bytes(),
        headers in prop::collection::vec((header_name(), wire_bytes()), 0..6),
        body in wire_bytes(),
    ) {
        check(method, &query, &headers, &body, &mut NonceCache::new(4));
    }

    #[test]
    fn near_valid_requests_never_panic(
        ts in prop::sample::select(vec![
            "1970-01-01T00:00:00Z", "1970-01-01T00:15:01Z", "9999-12-31T23:59:59Z", "x",
        ]),
        nonce in wire_bytes(),
        signature in wire_bytes(),
        signed in prop::sample::select(vec![
            "x-acs-date;x-acs-signature-nonce", "host", "x-acs-date;;", "",
            "x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version",
            "x-acs-action;x-acs-date;x-acs-signature-nonce",
        ]),
        v3_query in prop::sample::select(vec![
            "", "CertName=n1&DomainName=d", "CertName%3Dn1%26DomainName=d", "a%26b", "%3D=",
        ]),
    ) {
        let mut nonces = NonceCache::new(2);
        let nonce_text = String::from_utf8_lossy(&nonce).into_owned();
        let query = format!(
            "Action=SetCdnDomainSSLCertificate&Version=2018-05-10&AccessKeyId=ak\
             &SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&Timestamp={ts}\
             &SignatureNonce={}&Signature={}",
            cert_preflight_wire::percent_encode(nonce_text.as_bytes()),
            cert_preflight_wire::percent_encode(&signature),
        );
        check("POST", query.as_bytes(), &[], b"", &mut nonces);
        let auth = format!(
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders={signed},Signature={}",
            String::from_utf8_lossy(&signature)
        );
        let headers = vec![
            ("Authorization".to_owned(), auth.into_bytes()),
            ("x-acs-date".to_owned(), ts.as_bytes().to_vec()),
            ("x-acs-signature-nonce".to_owned(), nonce),
            ("x-acs-action".to_owned(), b"SetCdnDomainSSLCertificate".to_vec()),
            ("x-acs-version".to_owned(), b"2018-05-10".to_vec()),
        ];
        check("POST", v3_query.as_bytes(), &headers, &signature, &mut nonces);
    }
}
