//! `request`: raw query strings.

use cert_preflight::{Options, Profile, Request, Value, validate};

use crate::common::NOW;
use crate::leak::{check_verdict, fields, request_secrets};

const UNRESERVED: &[u8] = b"-_.~";

/// Percent-encodes every byte but letters, digits and `-_.~`.
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || UNRESERVED.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Raw query strings, for every profile: a parsed request re-encoded parses to the same values;
/// no value is longer than the input; the request's verdict has only catalog codes and no key
/// material.
pub fn request(data: &[u8]) {
    for profile in Profile::ALL {
        let request = match Request::from_query(profile, data) {
            Ok(request) => request,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                continue;
            }
        };
        let mut query = format!("Action={}", profile.action());
        for (role, value) in fields(&request) {
            if let Some(value) = value {
                let name = profile.param(role).unwrap();
                assert!(value.len() <= data.len());
                assert!(value.times() >= 1);
                query.push_str(&format!("&{name}={}", percent_encode(value.as_bytes())));
            }
        }
        let again = Request::from_query(profile, query.as_bytes()).unwrap();
        for ((field, a), (_, b)) in fields(&request).into_iter().zip(fields(&again)) {
            assert_eq!(
                a.map(Value::as_bytes),
                b.map(Value::as_bytes),
                "{field:?} does not survive re-encoding"
            );
            if let Some(b) = b {
                assert_eq!((b.times(), b.bad_escape()), (1, None));
            }
        }
        let secrets = request_secrets(&request);
        let verdict = validate(profile, &request, &Options::at(NOW));
        check_verdict(profile, &verdict, &secrets);
    }
}
