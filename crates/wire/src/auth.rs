//! Authentication of one request, as a pure function of the request, the accepted keys, the
//! clock and the nonce memory.
//!
//! Which signature: an `Authorization` header starting with `ACS3-` is V3; otherwise a
//! `Signature` parameter (query or form body) is RPC v1 (another `Authorization` scheme, e.g.
//! a proxy's `Basic`, is ignored then); otherwise the request is unsigned,
//! [`GatewayError::IncompleteSignature`] (this emulator has no anonymous APIs).
//!
//! The checks, in order, each with its refusal:
//! 1. the signature's parts are all there and well formed, else `IncompleteSignature`: RPC
//!    needs `AccessKeyId`, `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`,
//!    `SignatureNonce` and `Timestamp`; V3 needs one well-formed `Authorization` header that
//!    signs `x-acs-date` and `x-acs-signature-nonce`, both present, signs `x-acs-action` and
//!    `x-acs-version` if they are present ([`ROUTING_HEADERS`]), and has no parameter name
//!    holding `=` or `&` (see `check_parameter_names` in `v3`);
//! 2. the timestamp parses as `YYYY-MM-DDThh:mm:ssZ`, else `InvalidTimeStamp.Format`;
//! 3. the AccessKeyId is known, else `InvalidAccessKeyId.NotFound`;
//! 4. the timestamp is at most 15 minutes (900 s, inclusive) from `now`, else
//!    `InvalidTimeStamp.Expired`;
//! 5. the signature matches, else `SignatureDoesNotMatch` with the server's string to sign;
//! 6. the nonce was not seen, else `SignatureNonceUsed` (recorded only now, so requests that
//!    fail earlier cannot fill the memory or burn a client's nonce).

use std::fmt;

use time::OffsetDateTime;
use time::PrimitiveDateTime;
use time::macros::format_description;

use crate::error::GatewayError;
use crate::form::{DecodeError, Params};
use crate::nonce::{NonceCache, TIMESTAMP_WINDOW_SECS};
use crate::rpc::{SIGNATURE, verify_rpc};
use crate::v3::{Acs3Authorization, acs3_canonical_request, check_parameter_names, verify_acs3};

/// What the socket layer read of one request; nothing here is trusted.
#[derive(Clone, Copy)]
pub struct WireRequest<'a> {
    /// The method, as sent (`GET`, `POST`).
    pub method: &'a str,
    /// The path of the request target, without the query (`/`).
    pub path: &'a str,
    /// The raw query string, without the `?`.
    pub query: &'a [u8],
    /// Every header, in order, names as sent (matched case-insensitively).
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The raw body.
    pub body: &'a [u8],
}

impl WireRequest<'_> {
    /// The request's parameters: the query's, then the body's when it is a form
    /// ([`content_type_is_form`]).
    pub fn params(&self) -> Result<Params, DecodeError> {
        let body = content_type_is_form(self.headers).then_some(self.body);
        Params::from_query_and_body(self.query, body)
    }
}

impl fmt::Debug for WireRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        f.debug_struct("WireRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query_len", &self.query.len())
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The values of every header called `name` (case-insensitive), in order.
pub fn header_values<'h, 'v>(
    headers: &'h [(&str, &'v [u8])],
    name: &'h str,
) -> impl Iterator<Item = &'v [u8]> + 'h {
    headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| *v)
}

/// Whether the body is a form to merge with the query: its `Content-Type` is
/// `application/x-www-form-urlencoded` (any case, parameters ignored) or there is no
/// `Content-Type` at all (curl's and wget's default for posted data).
pub fn content_type_is_form(headers: &[(&str, &[u8])]) -> bool {
    match header_values(headers, "content-type").next() {
        None => true,
        Some(value) => {
            let media = value.split(|&b| b == b';').next().unwrap_or_default();
            media
                .trim_ascii()
                .eq_ignore_ascii_case(b"application/x-www-form-urlencoded")
        }
    }
}

/// The signature scheme a request was verified with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureKind {
    /// RPC v1: HMAC-SHA1, `SignatureVersion=1.0`, the `Signature` parameter.
    RpcV1,
    /// V3: `Authorization: ACS3-HMAC-SHA256 …`.
    Acs3HmacSha256,
}

/// The headers `route` routes a V3 request by: when one is present it
/// must be among `SignedHeaders`, else [`GatewayError::IncompleteSignature`] (400 "The request
/// signature does not conform to Aliyun standards."), so that a signed request cannot be sent
/// to another action or version.
///
/// The V3 specification asks every common request header present, `Authorization` aside, to
/// be signed, and the real clients do: `alibabacloud-tea-openapi` 0.4.6 sets `x-acs-action`
/// and `x-acs-version` among the request's headers and `get_canonicalized_headers` signs them
/// all (the recorded vector's `SignedHeaders` holds both). `IncompleteSignature` is the
/// gateway's code for a signature that misses a part the standard requires, as for an
/// unsigned `x-acs-date`; `SignatureDoesNotMatch` would hand back a string to sign that the
/// client's own matches.
pub(crate) const ROUTING_HEADERS: [&str; 2] = ["x-acs-action", "x-acs-version"];

/// Who sent an authenticated request, and how it was signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The AccessKeyId that signed it.
    pub access_key_id: String,
    /// The signature scheme.
    pub kind: SignatureKind,
}

/// Authenticates `request` (see the module documentation for the order of the checks).
///
/// `params` must be [`WireRequest::params`] of the same request; `lookup` answers the secret
/// of an AccessKeyId, `None` for an unknown one; `now` is the server's clock. On success the
/// nonce is recorded in `nonces`.
pub fn authenticate<'s>(
    request: &WireRequest<'_>,
    params: &Params,
    lookup: impl FnOnce(&str) -> Option<&'s str>,
    now: OffsetDateTime,
    nonces: &mut NonceCache,
) -> Result<Identity, GatewayError> {
    let authorization = header_values(request.headers, "authorization").next();
    if authorization.is_some_and(|v| v.starts_with(b"ACS3-")) {
        authenticate_acs3(request, params, lookup, now, nonces)
    } else if params.get(SIGNATURE).is_some() {
        authenticate_rpc(request, params, lookup, now, nonces)
    } else {
        Err(GatewayError::IncompleteSignature)
    }
}

fn authenticate_rpc<'s>(
    request: &WireRequest<'_>,
    params: &Params,
    lookup: impl FnOnce(&str) -> Option<&'s str>,
    now: OffsetDateTime,
    nonces: &mut NonceCache,
) -> Result<Identity, GatewayError> {
    let required = |name: &str| {
        params
            .get(name)
            .filter(|v| !v.is_empty())
            .ok_or(GatewayError::IncompleteSignature)
    };
    let signature = required(SIGNATURE)?;
    let access_key_id = std::str::from_utf8(required("AccessKeyId")?)
        .map_err(|_| GatewayError::InvalidAccessKeyIdNotFound)?;
    if required("SignatureMethod")? != b"HMAC-SHA1" || required("SignatureVersion")? != b"1.0" {
        return Err(GatewayError::IncompleteSignature);
    }
    let nonce = required("SignatureNonce")?;
    let timestamp = parse_timestamp(required("Timestamp")?)?;
    let secret = lookup(access_key_id).ok_or(GatewayError::InvalidAccessKeyIdNotFound)?;
    check_window(timestamp, now)?;
    verify_rpc(request.method, params, secret, signature)?;
    nonces.check_and_insert(access_key_id, nonce, now)?;
    Ok(Identity {
        access_key_id: access_key_id.to_owned(),
        kind: SignatureKind::RpcV1,
    })
}

fn authenticate_acs3<'s>(
    request: &WireRequest<'_>,
    params: &Params,
    lookup: impl FnOnce(&str) -> Option<&'s str>,
    now: OffsetDateTime,
    nonces: &mut NonceCache,
) -> Result<Identity, GatewayError> {
    let mut values = header_values(request.headers, "authorization");
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(GatewayError::IncompleteSignature);
    };
    let auth = Acs3Authorization::parse(value)?;
    let signed_header = |name: &'static str| {
        header_values(request.headers, name)
            .next()
            .filter(|v| !v.is_empty() && auth.signs(name))
            .ok_or(GatewayError::IncompleteSignature)
    };
    let date = signed_header("x-acs-date")?;
    let nonce = signed_header("x-acs-signature-nonce")?;
    for name in ROUTING_HEADERS {
        if header_values(request.headers, name).next().is_some() && !auth.signs(name) {
            return Err(GatewayError::IncompleteSignature);
        }
    }
    check_parameter_names(params)?;
    let timestamp = parse_timestamp(date)?;
    let secret = lookup(auth.credential).ok_or(GatewayError::InvalidAccessKeyIdNotFound)?;
    check_window(timestamp, now)?;
    let canonical = acs3_canonical_request(
        request.method,
        request.path,
        params,
        request.headers,
        &auth.signed_headers,
        request.body,
    );
    verify_acs3(&auth, &canonical, secret)?;
    nonces.check_and_insert(auth.credential, nonce, now)?;
    Ok(Identity {
        access_key_id: auth.credential.to_owned(),
        kind: SignatureKind::Acs3HmacSha256,
    })
}

/// Parses `YYYY-MM-DDThh:mm:ssZ` (UTC), the format every client sends.
fn parse_timestamp(value: &[u8]) -> Result<OffsetDateTime, GatewayError> {
    let text = std::str::from_utf8(value).map_err(|_| GatewayError::InvalidTimeStampFormat)?;
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    PrimitiveDateTime::parse(text, format)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|_| GatewayError::InvalidTimeStampFormat)
}

/// At most 15 minutes either side of `now`, boundaries included.
fn check_window(timestamp: OffsetDateTime, now: OffsetDateTime) -> Result<(), GatewayError> {
    let skew = timestamp.unix_timestamp().abs_diff(now.unix_timestamp());
    if skew <= TIMESTAMP_WINDOW_SECS.unsigned_abs() {
        Ok(())
    } else {
        Err(GatewayError::InvalidTimeStampExpired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps() {
        assert_eq!(
            parse_timestamp(b"2026-11-23T16:28:33Z"),
            Ok(datetime!(2026-11-23 16:28:33 UTC))
        );
        for bad in [
            &b""[..],
            b"2026-11-23T16:28:33",
            b"2026-11-23 16:28:33Z",
            b"2026-11-23T16:28:33.123Z",
            b"2026-11-23T16:28:33+08:00",
            b"2026-13-23T16:28:33Z",
            b"2026-11-23T16%3A28%3A33Z",
            b"\xff",
        ] {
            assert_eq!(
                parse_timestamp(bad),
                Err(GatewayError::InvalidTimeStampFormat),
                "{bad:?}"
            );
        }
        let now = datetime!(2026-11-23 16:28:33 UTC);
        let secs = |s: i64| now + time::Duration::seconds(s);
        assert_eq!(check_window(secs(900), now), Ok(()));
        assert_eq!(check_window(secs(-900), now), Ok(()));
        assert_eq!(
            check_window(secs(901), now),
            Err(GatewayError::InvalidTimeStampExpired)
        );
        assert_eq!(
            check_window(secs(-901), now),
            Err(GatewayError::InvalidTimeStampExpired)
        );
    }

    #[test]
    fn form_content_types() {
        let form: &[(&str, &[u8])] = &[(
            "Content-Type",
            b"Application/X-WWW-Form-Urlencoded; charset=UTF-8",
        )];
        assert!(content_type_is_form(form));
        assert!(content_type_is_form(&[]));
        assert!(!content_type_is_form(&[(
            "content-type",
            b"application/json"
        )]));
    }

    /// Authenticates a V3 `GET /?{query}` with `headers`, rightly signed by `ak` over `signed`.
    fn v3(
        query: &[u8],
        headers: &[(&str, &[u8])],
        signed: &[&str],
    ) -> Result<Identity, GatewayError> {
        let now = datetime!(2026-11-23 16:28:33 UTC);
        let mut all: Vec<(&str, &[u8])> = vec![
            ("x-acs-date", b"2026-11-23T16:28:33Z"),
            ("x-acs-signature-nonce", b"n1"),
        ];
        all.extend_from_slice(headers);
        let params = Params::from_query_and_body(query, None).unwrap();
        let signed: Vec<String> = signed.iter().map(|s| (*s).to_owned()).collect();
        let canonical = acs3_canonical_request("GET", "/", &params, &all, &signed, b"");
        let signature = crate::acs3_signature("secret", &crate::acs3_string_to_sign(&canonical));
        let authorization = format!(
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders={},Signature={signature}",
            signed.join(";")
        );
        all.push(("Authorization", authorization.as_bytes()));
        let request = WireRequest {
            method: "GET",
            path: "/",
            query,
            headers: &all,
            body: b"",
        };
        authenticate(
            &request,
            &params,
            |_| Some("secret"),
            now,
            &mut NonceCache::default(),
        )
    }

    #[test]
    fn routing_headers_must_be_signed_when_present() {
        let base = ["x-acs-date", "x-acs-signature-nonce"];
        let action: (&str, &[u8]) = ("x-acs-action", b"SetCdnDomainSSLCertificate");
        let version: (&str, &[u8]) = ("X-Acs-Version", b"2018-05-10");
        let both = [
            "x-acs-action",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version",
        ];
        assert!(v3(b"", &[action, version], &both).is_ok());
        // Absent, they need not be signed (the action may come from the query).
        assert!(
            v3(
                b"Action=SetCdnDomainSSLCertificate&Version=2018-05-10",
                &[],
                &base
            )
            .is_ok()
        );
        for (headers, signed) in [
            (
                &[action, version][..],
                &["x-acs-date", "x-acs-signature-nonce", "x-acs-version"][..],
            ),
            (
                &[action, version],
                &["x-acs-action", "x-acs-date", "x-acs-signature-nonce"],
            ),
            (&[action], &base),
            (&[version], &base),
            (&[("X-ACS-ACTION", &b""[..])], &base),
        ] {
            assert_eq!(
                v3(b"", headers, signed),
                Err(GatewayError::IncompleteSignature),
                "{signed:?}"
            );
        }
    }

    #[test]
    fn debug_hides_the_query_and_body() {
        let request = WireRequest {
            method: "POST",
            path: "/",
            query: b"PrivateKey=SECRET",
            headers: &[("Host", b"x")],
            body: b"SSLPri=SECRET",
        };
        assert!(!format!("{request:?}").contains("SECRET"));
    }
}
