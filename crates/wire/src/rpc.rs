//! The RPC v1 signature (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`), as the legacy
//! Python SDK's `rpc_signature_composer`, the Tea client's `get_rpcsignature` and acme.sh's
//! `_ali_rest` compute it:
//!
//! 1. every parameter (query and form body) but `Signature`, empty values included;
//! 2. sorted by name, byte order (stable: duplicates keep their arrival order);
//! 3. each name and value [percent-encoded](super::percent_encode), joined `k=v` with `&`;
//! 4. string to sign = `METHOD&%2F&` + percent-encoding of that;
//! 5. signature = base64(HMAC-SHA1(key = secret + `&`, string to sign)).

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use subtle::ConstantTimeEq;

use crate::error::GatewayError;
use crate::form::Params;
use crate::percent::{base64, percent_encode_twice_into};

/// The name of the parameter that carries the signature (and selects RPC v1).
pub(crate) const SIGNATURE: &str = "Signature";

/// The RPC v1 string to sign of a request: `METHOD&%2F&` + percentEncode(canonicalized
/// query), over every parameter of `params` except `Signature`.
pub fn rpc_string_to_sign(method: &str, params: &Params) -> String {
    let mut pairs: Vec<_> = params
        .iter()
        .filter(|p| p.name != SIGNATURE.as_bytes())
        .collect();
    pairs.sort_by(|a, b| a.name.cmp(b.name));
    // One pass over the parameters: the canonical query's own encoding is folded in (an
    // unreserved byte stays, `%XY` becomes `%25XY`, `=` is `%3D`, `&` is `%26`).
    let size: usize = pairs
        .iter()
        .map(|p| p.name.len().saturating_add(p.value.len()).saturating_add(6))
        .sum();
    let mut out = Vec::with_capacity(method.len().saturating_add(5).saturating_add(size * 2));
    out.extend_from_slice(method.as_bytes());
    out.extend_from_slice(b"&%2F&");
    for (i, pair) in pairs.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b"%26");
        }
        percent_encode_twice_into(&mut out, pair.name);
        out.extend_from_slice(b"%3D");
        percent_encode_twice_into(&mut out, pair.value);
    }
    // Only ASCII was written.
    String::from_utf8(out).unwrap_or_default()
}

/// base64(HMAC-SHA1(`secret` + `&`, `string_to_sign`)): the `Signature` parameter's value.
pub fn rpc_signature(secret: &str, string_to_sign: &str) -> String {
    let mut key = Vec::with_capacity(secret.len() + 1);
    key.extend_from_slice(secret.as_bytes());
    key.push(b'&');
    // HMAC takes keys of any length: `new_from_slice` cannot fail here.
    match Hmac::<Sha1>::new_from_slice(&key) {
        Ok(mut mac) => {
            mac.update(string_to_sign.as_bytes());
            base64(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// Checks `provided` (the decoded `Signature` parameter) in constant time.
pub(crate) fn verify_rpc(
    method: &str,
    params: &Params,
    secret: &str,
    provided: &[u8],
) -> Result<(), GatewayError> {
    let string_to_sign = rpc_string_to_sign(method, params);
    let expected = rpc_signature(secret, &string_to_sign);
    if !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(provided)) {
        Ok(())
    } else {
        Err(GatewayError::SignatureDoesNotMatch { string_to_sign })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode_form;

    /// The example of Alibaba Cloud's RPC signature documentation (DescribeRegions).
    #[test]
    fn documented_example() {
        let params = decode_form(
            b"AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1\
              &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
              &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26",
        )
        .unwrap();
        let sts = rpc_string_to_sign("GET", &params);
        assert_eq!(
            sts,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
             %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
             %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z\
             %26Version%3D2014-05-26"
        );
        assert_eq!(
            rpc_signature("testsecret", &sts),
            "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
        );
    }

    #[test]
    fn signature_parameter_is_left_out_and_empty_values_kept() {
        let params = decode_form(b"b=&Signature=zzz&a=1").unwrap();
        assert_eq!(rpc_string_to_sign("POST", &params), "POST&%2F&a%3D1%26b%3D");
    }
}
