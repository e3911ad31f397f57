//! Requests: the parameters of one call, as typed values or parsed from a raw query string.
//!
//! A parameter is `None` when absent and `Some` when present, even if empty: the service
//! answers the two differently (`…MissingParameter` against `Certificate.KeyNull`). Raw
//! requests are decoded the way the official SDKs encode them — percent-escapes and `+` for a
//! space — and what cannot be decoded is kept, not dropped: a repeated parameter and a bad
//! percent-escape are recorded on the value and answered by the checks with the API's
//! parameter code.

use core::fmt;

use zeroize::Zeroizing;

use crate::profile::Profile;
use crate::role::Role;
use crate::text::shown;

/// One parameter's value: its bytes after percent-decoding. The buffer is zeroized on drop (it
/// may hold a private key) and `Debug` shows only its length.
#[derive(Default, PartialEq, Eq)]
pub struct Value {
    bytes: Zeroizing<Vec<u8>>,
    times: u32,
    bad_escape: Option<usize>,
    plus_decoded: bool,
}

impl Value {
    /// A value given once.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Value {
        Value {
            bytes: Zeroizing::new(bytes.into()),
            times: 1,
            bad_escape: None,
            plus_decoded: false,
        }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The value as text, when it is UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.bytes).ok()
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// How many times the raw request gave this parameter (the first is kept).
    pub fn times(&self) -> u32 {
        self.times
    }

    /// Offset (0-based) of the first `%` in the raw value not followed by two hex digits.
    pub fn bad_escape(&self) -> Option<usize> {
        self.bad_escape
    }

    /// True when the value came from a raw query ([`Request::from_query`]) in which a `+` was
    /// decoded to a space: inside base64, that `+` was meant literally and should have been
    /// sent as `%2B`.
    pub fn plus_decoded(&self) -> bool {
        self.plus_decoded
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value({} bytes)", self.bytes.len())
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::new(text.as_bytes())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::new(text.into_bytes())
    }
}

impl From<&[u8]> for Value {
    fn from(bytes: &[u8]) -> Value {
        Value::new(bytes)
    }
}

impl From<Vec<u8>> for Value {
    fn from(bytes: Vec<u8>) -> Value {
        Value::new(bytes)
    }
}

/// One call's parameters, held by [`Role`]: the profile names them. Build it from values, or
/// with [`Request::from_query`] / [`Request::from_pairs`].
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Request {
    values: [Option<Value>; Role::ALL.len()],
}

/// A raw request that cannot be checked against the chosen API at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// The request's `Action` names another API.
    #[error("the request's Action is {found:?}, but the chosen API is {expected}")]
    WrongAction {
        /// The profile's action.
        expected: &'static str,
        /// The request's.
        found: String,
    },
}

impl Request {
    /// An empty request: every parameter absent.
    pub fn new() -> Request {
        Request::default()
    }

    /// An upload with the switch `on`: the certificate chain and the private key.
    pub fn upload(certificate: impl Into<Value>, private_key: impl Into<Value>) -> Request {
        Request::new()
            .with(Role::Switch, "on")
            .with(Role::Certificate, certificate)
            .with(Role::PrivateKey, private_key)
    }

    /// The value of `role`, `None` when absent.
    pub fn get(&self, role: Role) -> Option<&Value> {
        self.values.get(role.index()).and_then(Option::as_ref)
    }

    /// Sets (`Some`) or removes (`None`) the value of `role`.
    pub fn set(&mut self, role: Role, value: Option<Value>) {
        if let Some(slot) = self.values.get_mut(role.index()) {
            *slot = value;
        }
    }

    /// Sets the value of `role`.
    #[must_use]
    pub fn with(mut self, role: Role, value: impl Into<Value>) -> Request {
        self.set(role, Some(value.into()));
        self
    }

    /// Removes the value of `role`.
    #[must_use]
    pub fn without(mut self, role: Role) -> Request {
        self.set(role, None);
        self
    }

    /// Sets `DomainName`.
    #[must_use]
    pub fn with_domain(self, domain: impl Into<Value>) -> Request {
        self.with(Role::Domain, domain)
    }

    /// Sets the HTTPS switch.
    #[must_use]
    pub fn with_switch(self, switch: impl Into<Value>) -> Request {
        self.with(Role::Switch, switch)
    }

    /// Sets the certificate chain.
    #[must_use]
    pub fn with_certificate(self, certificate: impl Into<Value>) -> Request {
        self.with(Role::Certificate, certificate)
    }

    /// Sets the private key.
    #[must_use]
    pub fn with_private_key(self, private_key: impl Into<Value>) -> Request {
        self.with(Role::PrivateKey, private_key)
    }

    /// Sets `CertName`.
    #[must_use]
    pub fn with_cert_name(self, name: impl Into<Value>) -> Request {
        self.with(Role::CertName, name)
    }

    /// Sets `CertType`.
    #[must_use]
    pub fn with_cert_type(self, cert_type: impl Into<Value>) -> Request {
        self.with(Role::CertType, cert_type)
    }

    /// Sets `ForceSet`.
    #[must_use]
    pub fn with_force_set(self, force_set: impl Into<Value>) -> Request {
        self.with(Role::ForceSet, force_set)
    }

    /// The `Action` of a raw request (URL or query string), percent-decoded, if it names one.
    pub fn action_in(raw: &[u8]) -> Option<String> {
        query_part(raw)
            .split(|&b| b == b'&')
            .filter_map(|pair| {
                let (name, value) = split_pair(pair);
                (percent_decode(name).0.as_slice() == b"Action")
                    .then(|| String::from_utf8_lossy(&percent_decode(value).0).into_owned())
            })
            .next()
    }

    /// Builds a request from parameters already decoded (an endpoint's query and form body):
    /// names `profile` does not take are ignored, a repeated name counts on the first value.
    pub fn from_pairs<'p>(
        profile: &Profile,
        pairs: impl IntoIterator<Item = (&'p [u8], &'p [u8])>,
    ) -> Request {
        let mut request = Request::default();
        for (name, value) in pairs {
            if let Some(role) = profile.role_of(name) {
                request.add(role, || (Zeroizing::new(value.to_vec()), None, false));
            }
        }
        request
    }

    /// Adds a value for `role` from the raw request: the first is kept, a repeat counted.
    fn add(&mut self, role: Role, decode: impl FnOnce() -> Decoded) {
        let Some(slot) = self.values.get_mut(role.index()) else {
            return;
        };
        match slot {
            Some(existing) => existing.times = existing.times.saturating_add(1),
            None => {
                let (bytes, bad_escape, plus_decoded) = decode();
                *slot = Some(Value {
                    bytes,
                    times: 1,
                    bad_escape,
                    plus_decoded,
                });
            }
        }
    }

    /// Parses a raw request — a URL (`http://cdn.aliyuncs.com?Action=…&…`) or its query
    /// string — with `profile`'s parameter names. Parameters of other names (the public
    /// parameters, the signature) are ignored. Linear in the input; the values together are
    /// never longer than the input.
    pub fn from_query(profile: &Profile, raw: &[u8]) -> Result<Request, RequestError> {
        let query = query_part(raw);
        let mut request = Request::default();
        for pair in query.split(|&b| b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (raw_name, raw_value) = split_pair(pair);
            let (name, _, _) = percent_decode(raw_name);
            if name.as_slice() == b"Action" {
                let (action, _, _) = percent_decode(raw_value);
                if action.as_slice() != profile.action().as_bytes() {
                    return Err(RequestError::WrongAction {
                        expected: profile.action(),
                        found: shown(&String::from_utf8_lossy(&action), 64),
                    });
                }
                continue;
            }
            if let Some(role) = profile.role_of(&name) {
                request.add(role, || percent_decode(raw_value));
            }
        }
        Ok(request)
    }
}

/// A `name=value` pair of a query string (a pair without `=` has an empty value).
fn split_pair(pair: &[u8]) -> (&[u8], &[u8]) {
    match pair.iter().position(|&b| b == b'=') {
        Some(eq) => (
            pair.get(..eq).unwrap_or_default(),
            pair.get(eq + 1..).unwrap_or_default(),
        ),
        None => (pair, &b""[..]),
    }
}

/// The query of a URL, or the input itself when it is already a query string.
fn query_part(raw: &[u8]) -> &[u8] {
    let trimmed = raw.trim_ascii();
    let is_url = trimmed.starts_with(b"http://")
        || trimmed.starts_with(b"https://")
        || trimmed.starts_with(b"/");
    let query = if is_url || trimmed.starts_with(b"?") {
        match trimmed.iter().position(|&b| b == b'?') {
            Some(q) => trimmed.get(q + 1..).unwrap_or_default(),
            None => &[],
        }
    } else {
        trimmed
    };
    if is_url {
        // A URL's fragment is not part of its query.
        match query.iter().position(|&b| b == b'#') {
            Some(hash) => query.get(..hash).unwrap_or_default(),
            None => query,
        }
    } else {
        query
    }
}

/// A decoded value, the offset of its first bad `%`, and whether a `+` became a space.
type Decoded = (Zeroizing<Vec<u8>>, Option<usize>, bool);

/// Decodes `+` and `%XX`; a `%` not followed by two hex digits is kept as is and its offset
/// returned. The output is never longer than the input.
fn percent_decode(raw: &[u8]) -> Decoded {
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let mut out = Zeroizing::new(Vec::with_capacity(raw.len()));
    let mut bad = None;
    let mut plus = false;
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                plus = true;
                i += 1;
            }
            b'%' => {
                let high = raw.get(i + 1).copied().and_then(hex);
                let low = raw.get(i + 2).copied().and_then(hex);
                if let (Some(high), Some(low)) = (high, low) {
                    out.push(high << 4 | low);
                    i += 3;
                } else {
                    bad.get_or_insert(i);
                    out.push(b'%');
                    i += 1;
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    (out, bad, plus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{CDN, LIVE};

    #[test]
    fn parses_the_seed_example_url() {
        let url = "http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&DomainName=example.com&ServerCertificateStatus=on&ServerCertificate=xxx&PrivateKey=yyy&<公共请求参数>";
        let request = Request::from_query(&CDN, url.as_bytes()).unwrap();
        assert_eq!(request.get(Role::Domain), Some(&Value::from("example.com")));
        assert_eq!(request.get(Role::Switch), Some(&Value::from("on")));
        assert_eq!(request.get(Role::Certificate), Some(&Value::from("xxx")));
        assert_eq!(request.get(Role::PrivateKey), Some(&Value::from("yyy")));
        assert_eq!(request.get(Role::CertName), None);
    }

    #[test]
    fn decodes_like_the_sdks() {
        let raw =
            b"SSLPub=-----BEGIN+CERTIFICATE-----%0AMIIB%2B%2F%3D&CertName=my%20cert%2A~&SSLPri=";
        let request = Request::from_query(&LIVE, raw).unwrap();
        assert_eq!(
            request.get(Role::Certificate).unwrap().as_bytes(),
            b"-----BEGIN CERTIFICATE-----\nMIIB+/="
        );
        assert_eq!(
            request.get(Role::CertName).unwrap().as_bytes(),
            b"my cert*~"
        );
        let key = request.get(Role::PrivateKey).unwrap();
        assert!(key.is_empty(), "present but empty is not absent");
    }

    #[test]
    fn records_repeats_and_bad_escapes() {
        let raw = b"?SSLProtocol=on&SSLProtocol=off&SSLPub=ab%zzcd%4";
        let request = Request::from_query(&LIVE, raw).unwrap();
        let switch = request.get(Role::Switch).unwrap();
        assert_eq!((switch.as_bytes(), switch.times()), (&b"on"[..], 2));
        let cert = request.get(Role::Certificate).unwrap();
        assert_eq!(cert.bad_escape(), Some(2));
        assert_eq!(cert.as_bytes(), b"ab%zzcd%4");
    }

    #[test]
    fn a_wrong_action_is_refused() {
        assert_eq!(
            Request::from_query(&CDN, b"Action=SetLiveDomainCertificate"),
            Err(RequestError::WrongAction {
                expected: "SetDomainServerCertificate",
                found: "SetLiveDomainCertificate".into()
            })
        );
    }

    #[test]
    fn debug_shows_no_value() {
        let request = Request::upload("CERT", "SECRET-KEY-BYTES");
        let text = format!("{request:?}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("Value(16 bytes)"), "{text}");
    }

    #[test]
    fn url_fragments_and_paths() {
        assert_eq!(query_part(b"https://h/p?a=1#frag"), b"a=1");
        assert_eq!(query_part(b"/?a=1"), b"a=1");
        assert_eq!(query_part(b"a=1&b=2"), b"a=1&b=2");
        assert_eq!(query_part(b"http://h/p"), b"");
    }

    #[test]
    fn the_action_of_urls_and_query_strings() {
        for (raw, expected) in [
            (
                &b"http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&A=b"[..],
                Some(&b"SetDomainServerCertificate"[..]),
            ),
            (
                b"https://live.aliyuncs.com/?SSLProtocol=on&Action=SetLiveDomainCertificate#x",
                Some(b"SetLiveDomainCertificate"),
            ),
            (b"  Action=Set%4Cive+X&Action=other\n", Some(b"SetLive X")),
            (b"?%41ction=cdn", Some(b"cdn")),
            (b"Action", Some(b"")),
            (b"SSLProtocol=off", None),
            (b"http://cdn.aliyuncs.com", None),
            (b"http://x/?A=b#&Action=cdn", None),
        ] {
            assert_eq!(
                Request::action_in(raw).map(String::into_bytes).as_deref(),
                expected,
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }
}
