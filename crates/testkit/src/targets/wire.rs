//! `wire`: one raw HTTP request as the endpoint's socket layer hands it to the pure wire layer
//! (`cert_preflight_wire`): parameter decoding, routing to a profile, both signature
//! schemes with timestamp and nonce. Never a panic, bounded work and output, a gateway code of
//! the table for every refusal, and a request signed with the known secret verifies.
//!
//! The input is `METHOD-BYTE QUERY \0 BODY \0 HEADERS`, headers one `name:value` per line
//! (`fuzz/seed_wire.py` writes the real clients' requests in this shape). The clock is the
//! request's own `Timestamp` / `x-acs-date` when it has one, so the signature checks are
//! reached instead of every input stopping at the time window.

use cert_preflight::Profile;
use cert_preflight_wire::{
    GatewayError, NonceCache, Params, WireRequest, authenticate, percent_encode, route,
    rpc_signature, rpc_string_to_sign,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The one credential the fuzzer's requests may know.
const ACCESS_KEY: (&str, &str) = ("testid", "testsecret");

/// The headers of an input, owned (names are made text).
type Headers = Vec<(String, Vec<u8>)>;

/// Splits the input into the request's parts; `None` when it is too short to be one.
fn split(data: &[u8]) -> Option<(&'static str, &[u8], &[u8], Headers)> {
    let (&method, rest) = data.split_first()?;
    let method = if method == b'G' { "GET" } else { "POST" };
    let mut parts = rest.splitn(3, |&b| b == 0);
    let query = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let headers = parts
        .next()
        .unwrap_or_default()
        .split(|&b| b == b'\n')
        .filter_map(|line| {
            let colon = line.iter().position(|&b| b == b':')?;
            let name = String::from_utf8_lossy(&line[..colon]).into_owned();
            Some((name, line[colon + 1..].to_vec()))
        })
        .take(64)
        .collect();
    Some((method, query, body, headers))
}

/// The request's own time, else a fixed one.
fn clock(params: &Params, headers: &[(&str, &[u8])]) -> OffsetDateTime {
    let header = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("x-acs-date"))
        .map(|(_, value)| *value);
    params
        .get("Timestamp")
        .or(header)
        .and_then(|value| std::str::from_utf8(value).ok())
        .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
        .unwrap_or(crate::common::NOW)
}

/// The body of the `wire` target.
pub fn wire(data: &[u8]) {
    let Some((method, query, body, owned)) = split(data) else {
        return;
    };
    let headers: Vec<(&str, &[u8])> = owned.iter().map(|(n, v)| (n.as_str(), &v[..])).collect();
    let request = WireRequest {
        method,
        path: "/",
        query,
        headers: &headers,
        body,
    };
    // Never more decoded than sent.
    let params = match request.params() {
        Ok(params) => params,
        Err(error) => {
            let refusal = GatewayError::from(error);
            assert!(GatewayError::ALL.iter().any(|e| e.code() == refusal.code()));
            return;
        }
    };
    let decoded: usize = params.iter().map(|p| p.name.len() + p.value.len()).sum();
    assert!(
        decoded <= query.len() + body.len(),
        "{decoded} bytes from {data:?}"
    );
    assert!(!format!("{request:?}{params:?}").is_empty());

    // Routing: a row of the table, or a gateway refusal.
    let table: Vec<(&str, &str)> = Profile::ALL
        .iter()
        .map(|p| (p.action(), p.version()))
        .collect();
    match route(&table, &params, &headers) {
        Ok(routed) => assert_eq!(table[routed.index], (routed.action, routed.version)),
        Err(refusal) => assert!(matches!(
            refusal,
            GatewayError::InvalidActionNotFound | GatewayError::InvalidVersion
        )),
    }

    // Authentication: an identity, or a refusal with a code of the table.
    let now = clock(&params, &headers);
    let mut nonces = NonceCache::new(16);
    let lookup = |id: &str| (id == ACCESS_KEY.0).then_some(ACCESS_KEY.1);
    match authenticate(&request, &params, lookup, now, &mut nonces) {
        Ok(identity) => {
            assert_eq!(identity.access_key_id, ACCESS_KEY.0);
            // The same request again is a replay.
            let again = authenticate(&request, &params, lookup, now, &mut nonces);
            assert_eq!(again.err(), Some(GatewayError::SignatureNonceUsed));
        }
        Err(refusal) => {
            assert!(GatewayError::ALL.iter().any(|e| e.code() == refusal.code()));
            assert!(!refusal.message().is_empty());
            assert!((400..600).contains(&refusal.http_status()));
        }
    }

    // Signing what was sent (as RPC v1, in the URL) makes it verify, unless something other
    // than the signature refuses it (a V3 `Authorization` header takes precedence).
    let v3 = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("authorization") && value.starts_with(b"ACS3-")
    });
    if !v3 && params.get("Signature").is_none() && query.len() + body.len() < 4096 {
        let string_to_sign = rpc_string_to_sign(method, &params);
        let signature = rpc_signature(ACCESS_KEY.1, &string_to_sign);
        let mut signed = query.to_vec();
        if !signed.is_empty() {
            signed.push(b'&');
        }
        signed.extend_from_slice(
            format!("Signature={}", percent_encode(signature.as_bytes())).as_bytes(),
        );
        let request = WireRequest {
            query: &signed,
            ..request
        };
        if let Ok(params) = request.params() {
            assert_eq!(rpc_string_to_sign(method, &params), string_to_sign);
            let answer = authenticate(&request, &params, lookup, now, &mut NonceCache::new(16));
            assert!(
                !matches!(answer, Err(GatewayError::SignatureDoesNotMatch { .. })),
                "a request signed with the right secret does not verify: {answer:?}"
            );
        }
    }
}
