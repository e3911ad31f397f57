//! The V3 signature `ACS3-HMAC-SHA256`, exactly as `alibabacloud-tea-openapi`'s
//! `Utils.get_authorization` computes it:
//!
//! ```text
//! canonical request = METHOD \n path \n canonical query \n canonical headers \n
//!                     signed headers \n hex(sha256(body))
//! string to sign    = "ACS3-HMAC-SHA256\n" + hex(sha256(canonical request))
//! signature         = hex(HMAC-SHA256(secret, string to sign))
//! ```
//!
//! - canonical query: the query string's parameters only (a form body is covered by the
//!   payload hash), sorted by decoded name, `name=value` joined with `&`, name and value each
//!   [percent-encoded](super::percent_encode) (so a `+` on the wire is a space, signed as
//!   `%20`), as the V3 specification's own sample signer and `@alicloud/gateway-pop` do
//!   (`percentEncode(key)`). The Tea clients (`alibabacloud-tea-openapi` 0.4.6's
//!   `get_canonical_query_string`, `@alicloud/openapi-util` 0.3.3's
//!   `getAuthorizationQueryString`) write the name unencoded; every API's parameter names
//!   are RFC 3986 unreserved characters (`Tag.1.Key`), which both leave alone. Encoding the
//!   name is what keeps a parameter *named* `CertName=n1&DomainName` from signing as two
//!   pairs; [`check_parameter_names`] refuses such names outright;
//! - canonical headers: for each signed header, lower-cased, `name:values\n` where the values
//!   of all headers of that name are trimmed (Python's `str.strip`), sorted and joined with
//!   `,`;
//! - the payload line is this server's hash of the body it received, so a body that does not
//!   match the client's `x-acs-content-sha256` fails as a signature mismatch.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::GatewayError;
use crate::form::{Params, Source};
use crate::percent::{hex_lower, percent_encode_into};

/// The algorithm name, first word of the `Authorization` header.
pub(crate) const ACS3_HMAC_SHA256: &str = "ACS3-HMAC-SHA256";

/// A parsed `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`.
#[derive(Clone, PartialEq, Eq)]
pub struct Acs3Authorization<'a> {
    /// The AccessKeyId (`Credential=`).
    pub credential: &'a str,
    /// The signed header names, lower-cased, sorted, without duplicates.
    pub signed_headers: Vec<String>,
    /// The hex signature (`Signature=`).
    pub signature: &'a str,
}

impl std::fmt::Debug for Acs3Authorization<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acs3Authorization")
            .field("credential", &self.credential)
            .field("signed_headers", &self.signed_headers)
            .field("signature_len", &self.signature.len())
            .finish()
    }
}

impl<'a> Acs3Authorization<'a> {
    /// Parses the header's value; anything else than the three parts, each once and
    /// non-empty, after `ACS3-HMAC-SHA256 ` is [`GatewayError::IncompleteSignature`].
    pub fn parse(value: &'a [u8]) -> Result<Self, GatewayError> {
        let text = std::str::from_utf8(value).map_err(|_| GatewayError::IncompleteSignature)?;
        let rest = text
            .trim()
            .strip_prefix(ACS3_HMAC_SHA256)
            .filter(|rest| rest.starts_with(' '))
            .ok_or(GatewayError::IncompleteSignature)?;
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for part in rest.split(',') {
            let (key, val) = part
                .trim()
                .split_once('=')
                .ok_or(GatewayError::IncompleteSignature)?;
            let slot = match key {
                "Credential" => &mut credential,
                "SignedHeaders" => &mut signed,
                "Signature" => &mut signature,
                _ => return Err(GatewayError::IncompleteSignature),
            };
            if slot.is_some() || val.is_empty() {
                return Err(GatewayError::IncompleteSignature);
            }
            *slot = Some(val);
        }
        let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature)
        else {
            return Err(GatewayError::IncompleteSignature);
        };
        let mut signed_headers = Vec::new();
        for name in signed.split(';') {
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                return Err(GatewayError::IncompleteSignature);
            }
            signed_headers.push(name.to_ascii_lowercase());
        }
        signed_headers.sort();
        signed_headers.dedup();
        Ok(Acs3Authorization {
            credential,
            signed_headers,
            signature,
        })
    }

    /// Whether `name` (lower case) is among the signed headers.
    pub fn signs(&self, name: &str) -> bool {
        self.signed_headers.iter().any(|h| h == name)
    }
}

/// An HTTP header-name character ([RFC 9110 §5.6.2] `tchar`).
///
/// [RFC 9110 §5.6.2]: https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Python's `str.strip()` on ASCII: space, `\t`, `\n`, `\v`, `\f`, `\r` and `\x1c`–`\x1f`.
fn strip(value: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t'..=b'\r' | 0x1c..=0x1f);
    let start = value.iter().position(|b| !ws(b)).unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !ws(b))
        .map_or(start, |i| i.saturating_add(1));
    value.get(start..end).unwrap_or_default()
}

/// The canonical request of a V3-signed request (see the module documentation).
///
/// `params` are the request's parameters (only those from the query string are used),
/// `headers` every header received, `body` the raw body.
pub fn acs3_canonical_request(
    method: &str,
    path: &str,
    params: &Params,
    headers: &[(&str, &[u8])],
    signed_headers: &[String],
    body: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(method.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(if path.is_empty() { "/" } else { path }.as_bytes());
    out.push(b'\n');
    let mut query: Vec<_> = params
        .iter()
        .filter(|p| p.source == Source::Query)
        .collect();
    query.sort_by(|a, b| a.name.cmp(b.name));
    let mut encoded = String::new();
    for (i, pair) in query.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        encoded.clear();
        percent_encode_into(&mut encoded, pair.name);
        encoded.push('=');
        percent_encode_into(&mut encoded, pair.value);
        out.extend_from_slice(encoded.as_bytes());
    }
    out.push(b'\n');
    for name in signed_headers {
        let mut values: Vec<&[u8]> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| strip(v))
            .collect();
        values.sort();
        out.extend_from_slice(name.as_bytes());
        out.push(b':');
        out.extend_from_slice(&values.join(&b','));
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(signed_headers.join(";").as_bytes());
    out.push(b'\n');
    out.extend_from_slice(hex_lower(&Sha256::digest(body)).as_bytes());
    out
}

/// Refuses a V3 request one of whose parameter names, decoded, holds `=` or `&`, with
/// [`GatewayError::IncompleteSignature`] (400 "The request signature does not conform to
/// Aliyun standards.").
///
/// In the Tea clients' canonical query, names unencoded, such a name reads as pairs it is
/// not, so a signature over it does not tell which parameters were signed; no API has such
/// a name either. `IncompleteSignature` is the gateway's refusal of a request
/// whose signature cannot conform, checked with the signature's other parts before any key
/// lookup; `MalformedRequest` (this emulator's code, whose message names a bad percent
/// escape) would misdescribe a name that decoded well. Form-body names are held to the same
/// rule: they are not in the canonical query, but the same parameters are read from both.
pub(crate) fn check_parameter_names(params: &Params) -> Result<(), GatewayError> {
    if params
        .iter()
        .any(|p| p.name.iter().any(|&b| b == b'=' || b == b'&'))
    {
        Err(GatewayError::IncompleteSignature)
    } else {
        Ok(())
    }
}

/// `"ACS3-HMAC-SHA256\n" + hex(sha256(canonical_request))`.
pub fn acs3_string_to_sign(canonical_request: &[u8]) -> String {
    format!(
        "{ACS3_HMAC_SHA256}\n{}",
        hex_lower(&Sha256::digest(canonical_request))
    )
}

/// hex(HMAC-SHA256(`secret`, `string_to_sign`)): the `Signature=` part.
pub fn acs3_signature(secret: &str, string_to_sign: &str) -> String {
    // HMAC takes keys of any length: `new_from_slice` cannot fail here.
    match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(string_to_sign.as_bytes());
            hex_lower(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Checks the signature of a V3 request in constant time.
pub(crate) fn verify_acs3(
    auth: &Acs3Authorization<'_>,
    canonical_request: &[u8],
    secret: &str,
) -> Result<(), GatewayError> {
    let string_to_sign = acs3_string_to_sign(canonical_request);
    let expected = acs3_signature(secret, &string_to_sign);
    if !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(())
    } else {
        Err(GatewayError::SignatureDoesNotMatch { string_to_sign })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_tea_header() {
        let auth = Acs3Authorization::parse(
            b"ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;X-Acs-Date;host,\
              Signature=00ff",
        )
        .unwrap();
        assert_eq!(auth.credential, "testid");
        assert_eq!(auth.signed_headers, ["host", "x-acs-date"]);
        assert_eq!(auth.signature, "00ff");
        assert!(auth.signs("x-acs-date"));
        assert!(!format!("{auth:?}").contains("00ff"));
    }

    #[test]
    fn garbage_headers_are_incomplete() {
        for bad in [
            &b""[..],
            b"ACS3-HMAC-SHA256",
            b"ACS3-HMAC-SHA256 ",
            b"ACS3-HMAC-SHA256Credential=a,SignedHeaders=h,Signature=s",
            b"ACS3-HMAC-SM3 Credential=a,SignedHeaders=h,Signature=s",
            b"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h",
            b"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature=",
            b"ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=h,Signature=s",
            b"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h;;x,Signature=s",
            b"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature=s,Extra=1",
            b"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h,Signature",
            b"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=h o,Signature=s",
            b"\xff\xfe",
            b"acs testid:signature",
        ] {
            assert_eq!(
                Acs3Authorization::parse(bad),
                Err(GatewayError::IncompleteSignature),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    /// The canonical query line of `query` sent as the query string.
    fn canonical_query(query: &[u8]) -> String {
        let params = crate::decode_form(query).unwrap();
        let canonical = acs3_canonical_request("GET", "/", &params, &[], &[], b"");
        let text = String::from_utf8(canonical).unwrap();
        text.split('\n').nth(2).unwrap().to_owned()
    }

    #[test]
    fn names_are_percent_encoded_like_values() {
        // As the specification's sample signs it: percent_code(quote_plus(k)), sorted by k.
        assert_eq!(
            canonical_query(b"b%20c=1&a%2A=x+y&Tag.1.Key=k~&d%C3%A9="),
            "Tag.1.Key=k~&a%2A=x%20y&b%20c=1&d%C3%A9="
        );
        // Unreserved names (every API's) are as the Tea clients write them.
        assert_eq!(
            canonical_query(b"DomainName=cdn.example.com&CertName=my+cert"),
            "CertName=my%20cert&DomainName=cdn.example.com"
        );
    }

    #[test]
    fn a_name_cannot_sign_as_two_pairs() {
        let signed = canonical_query(b"CertName=n1&DomainName=d");
        assert_eq!(signed, "CertName=n1&DomainName=d");
        // One parameter named `CertName=n1&DomainName`, valued `d`.
        let forged = canonical_query(b"CertName%3Dn1%26DomainName=d");
        assert_eq!(forged, "CertName%3Dn1%26DomainName=d");
        assert_ne!(forged, signed);
    }

    #[test]
    fn names_holding_equals_or_ampersand_are_refused() {
        for bad in [
            &b"CertName%3Dn1%26DomainName=d"[..],
            b"a%3D",
            b"a%26b=1",
            b"Action=X&%3D=1",
            b"%26",
        ] {
            let params = crate::decode_form(bad).unwrap();
            assert_eq!(
                check_parameter_names(&params),
                Err(GatewayError::IncompleteSignature),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let body = Params::from_query_and_body(b"A=1", Some(b"x%3Dy=1")).unwrap();
        assert_eq!(
            check_parameter_names(&body),
            Err(GatewayError::IncompleteSignature)
        );
        for good in [
            &b""[..],
            b"CertName=n1%3D%26&DomainName=a=b&c",
            b"a%20b*%2F%3F=1",
            b"Tag.1.Key=k",
        ] {
            let params = crate::decode_form(good).unwrap();
            assert_eq!(check_parameter_names(&params), Ok(()));
        }
    }

    #[test]
    fn strip_is_pythons() {
        assert_eq!(strip(b" \t a b \x0b\x0c\r\n\x1f"), b"a b");
        assert_eq!(strip(b"   "), b"");
    }
}
