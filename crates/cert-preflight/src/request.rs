//! Requests: the parameters of one call, as typed values or parsed from a raw query string.
//!
//! A parameter is `None` when absent and `Some` when present, even if empty: the service
//! answers the two differently (`…MissingParameter` against `Certificate.KeyNull`). Raw
//! requests are decoded the way the official SDKs encode them — percent-escapes and `+` for a
//! space — and what cannot be decoded is kept, not dropped: a repeated parameter and a bad
//! percent-escape are recorded on the value and answered by the checks with the code the
//! contract gives them.

use core::fmt;

use zeroize::Zeroizing;

use crate::profile::Profile;

/// One parameter's value: its bytes after percent-decoding. The buffer is zeroized on drop (it
/// may hold a private key) and `Debug` shows only its length.
#[derive(Default, PartialEq, Eq)]
pub struct Value {
    bytes: Zeroizing<Vec<u8>>,
    times: u32,
    bad_escape: Option<usize>,
}

impl Value {
    /// A value given once.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Value {
        Value {
            bytes: Zeroizing::new(bytes.into()),
            times: 1,
            bad_escape: None,
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

    /// Offset of the first `%` in the raw value not followed by two hex digits.
    pub fn bad_escape(&self) -> Option<usize> {
        self.bad_escape
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

/// One call's parameters. Build it from values, or with [`Request::from_query`].
#[derive(Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// `DomainName`.
    pub domain_name: Option<Value>,
    /// The HTTPS switch (`ServerCertificateStatus` / `SSLProtocol`); absent means `off`.
    pub switch: Option<Value>,
    /// The certificate chain (`ServerCertificate` / `SSLPub`).
    pub certificate: Option<Value>,
    /// The private key (`PrivateKey` / `SSLPri`).
    pub private_key: Option<Value>,
    /// `CertName`.
    pub cert_name: Option<Value>,
    /// `CertType`; absent means `upload`.
    pub cert_type: Option<Value>,
    /// `ForceSet`.
    pub force_set: Option<Value>,
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
        Request {
            switch: Some(Value::from("on")),
            certificate: Some(certificate.into()),
            private_key: Some(private_key.into()),
            ..Request::default()
        }
    }

    /// Sets `DomainName`.
    #[must_use]
    pub fn with_domain(mut self, domain: impl Into<Value>) -> Request {
        self.domain_name = Some(domain.into());
        self
    }

    /// Sets the HTTPS switch.
    #[must_use]
    pub fn with_switch(mut self, switch: impl Into<Value>) -> Request {
        self.switch = Some(switch.into());
        self
    }

    /// Sets the certificate chain.
    #[must_use]
    pub fn with_certificate(mut self, certificate: impl Into<Value>) -> Request {
        self.certificate = Some(certificate.into());
        self
    }

    /// Sets the private key.
    #[must_use]
    pub fn with_private_key(mut self, private_key: impl Into<Value>) -> Request {
        self.private_key = Some(private_key.into());
        self
    }

    /// Sets `CertName`.
    #[must_use]
    pub fn with_cert_name(mut self, name: impl Into<Value>) -> Request {
        self.cert_name = Some(name.into());
        self
    }

    /// Sets `CertType`.
    #[must_use]
    pub fn with_cert_type(mut self, cert_type: impl Into<Value>) -> Request {
        self.cert_type = Some(cert_type.into());
        self
    }

    /// Sets `ForceSet`.
    #[must_use]
    pub fn with_force_set(mut self, force_set: impl Into<Value>) -> Request {
        self.force_set = Some(force_set.into());
        self
    }

    /// Parses a raw request — a URL (`http://cdn.aliyuncs.com?Action=…&…`) or its query
    /// string — with `profile`'s parameter names. Parameters of other names (the public
    /// parameters, the signature) are ignored. Linear in the input; the values together are
    /// never longer than the input.
    pub fn from_query(profile: &Profile, raw: &[u8]) -> Result<Request, RequestError> {
        let query = query_part(raw);
        let names = profile.params();
        let mut request = Request::default();
        for pair in query.split(|&b| b == b'&') {
            if pair.is_empty() {
                continue;
            }
            let (raw_name, raw_value) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (
                    pair.get(..eq).unwrap_or_default(),
                    pair.get(eq + 1..).unwrap_or_default(),
                ),
                None => (pair, &b""[..]),
            };
            let (name, _) = percent_decode(raw_name);
            if name.as_slice() == b"Action" {
                let (action, _) = percent_decode(raw_value);
                if action.as_slice() != profile.action().as_bytes() {
                    return Err(RequestError::WrongAction {
                        expected: profile.action(),
                        found: crate::pem::shown(&String::from_utf8_lossy(&action), 64),
                    });
                }
                continue;
            }
            let slot = match name.as_slice() {
                n if n == names.domain_name.as_bytes() => &mut request.domain_name,
                n if n == names.switch.as_bytes() => &mut request.switch,
                n if n == names.certificate.as_bytes() => &mut request.certificate,
                n if n == names.private_key.as_bytes() => &mut request.private_key,
                n if n == names.cert_name.as_bytes() => &mut request.cert_name,
                n if n == names.cert_type.as_bytes() => &mut request.cert_type,
                n if n == names.force_set.as_bytes() => &mut request.force_set,
                _ => continue,
            };
            match slot {
                Some(existing) => existing.times = existing.times.saturating_add(1),
                None => {
                    let (bytes, bad_escape) = percent_decode(raw_value);
                    *slot = Some(Value {
                        bytes,
                        times: 1,
                        bad_escape,
                    });
                }
            }
        }
        Ok(request)
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

/// Decodes `+` and `%XX`; a `%` not followed by two hex digits is kept as is and its offset
/// returned. The output is never longer than the input.
fn percent_decode(raw: &[u8]) -> (Zeroizing<Vec<u8>>, Option<usize>) {
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
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
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
    (out, bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{CDN, LIVE};

    #[test]
    fn parses_the_seed_example_url() {
        let url = "http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&DomainName=example.com&ServerCertificateStatus=on&ServerCertificate=xxx&PrivateKey=yyy&<公共请求参数>";
        let request = Request::from_query(&CDN, url.as_bytes()).unwrap();
        assert_eq!(request.domain_name, Some(Value::from("example.com")));
        assert_eq!(request.switch, Some(Value::from("on")));
        assert_eq!(request.certificate, Some(Value::from("xxx")));
        assert_eq!(request.private_key, Some(Value::from("yyy")));
        assert_eq!(request.cert_name, None);
    }

    #[test]
    fn decodes_like_the_sdks() {
        let raw =
            b"SSLPub=-----BEGIN+CERTIFICATE-----%0AMIIB%2B%2F%3D&CertName=my%20cert%2A~&SSLPri=";
        let request = Request::from_query(&LIVE, raw).unwrap();
        assert_eq!(
            request.certificate.unwrap().as_bytes(),
            b"-----BEGIN CERTIFICATE-----\nMIIB+/="
        );
        assert_eq!(request.cert_name.unwrap().as_bytes(), b"my cert*~");
        let key = request.private_key.unwrap();
        assert!(key.is_empty(), "present but empty is not absent");
    }

    #[test]
    fn records_repeats_and_bad_escapes() {
        let raw = b"?SSLProtocol=on&SSLProtocol=off&SSLPub=ab%zzcd%4";
        let request = Request::from_query(&LIVE, raw).unwrap();
        let switch = request.switch.unwrap();
        assert_eq!((switch.as_bytes(), switch.times()), (&b"on"[..], 2));
        let cert = request.certificate.unwrap();
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
}
