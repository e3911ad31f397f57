//! The gateway's refusals: one enum, one `match` per property, no `_` arm, so a new refusal
//! cannot compile without its code, message and HTTP status.

use std::borrow::Cow;
use std::fmt;

/// A refusal of the API gateway, common to every API (before any profile's checks run).
///
/// The first seven are the gateway's own codes and messages (the repository's
/// `docs/reference/gateway.md` gives them with their sources); the rest
/// are this emulator's choices for cases the real gateway answers with something a client
/// cannot parse (an HTML page from its front proxy) or that it never has to face.
///
/// `Debug` and `Display` never show the string to sign: it holds the request's parameters,
/// private keys included. Only the response body ([`GatewayError::message`]) carries it, back
/// to the client that sent it.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayError {
    /// 404 `InvalidAccessKeyId.NotFound`: the AccessKeyId is not one of the accepted ones.
    InvalidAccessKeyIdNotFound,
    /// 400 `SignatureDoesNotMatch`, with the server's string to sign in the message (the
    /// legacy Python SDK compares it with its own to tell a wrong secret from a bad format).
    SignatureDoesNotMatch {
        /// The string to sign as this server computed it.
        string_to_sign: String,
    },
    /// 400 `IncompleteSignature`: a signature part is missing or malformed (no signature at
    /// all, a garbage `Authorization` header, no AccessKeyId, Timestamp or nonce, an
    /// unsupported signature method or version, a V3 `x-acs-action`/`x-acs-version` header
    /// left out of `SignedHeaders`), or a V3 request cannot carry a conforming signature (a
    /// parameter name holding `=` or `&`).
    IncompleteSignature,
    /// 400 `InvalidTimeStamp.Expired`: `Timestamp`/`x-acs-date` more than 15 minutes away
    /// from the server's clock.
    InvalidTimeStampExpired,
    /// 400 `InvalidTimeStamp.Format`: the timestamp is not `YYYY-MM-DDThh:mm:ssZ`.
    InvalidTimeStampFormat,
    /// 400 `SignatureNonceUsed`: the nonce was seen within the replay window.
    SignatureNonceUsed,
    /// 404 `InvalidAction.NotFound`: no API of that name (or no `Action` at all).
    InvalidActionNotFound,
    /// 400 `InvalidVersion`: a known action with another (or no) `Version`.
    InvalidVersion,
    /// 503 `ServiceUnavailable`: the nonce memory is full of nonces still inside the replay
    /// window; the request is refused rather than forgetting one (clients retry on 503).
    ServiceUnavailable,
    /// 400 `MalformedRequest` (emulator's code): a bad percent escape, or a request whose
    /// HTTP framing the server refuses (no `Host`, a bad chunk, conflicting lengths, …).
    MalformedRequest,
    /// 414 `RequestURITooLong` (emulator's code): the request target is over the limit.
    UriTooLong,
    /// 413 `RequestEntityTooLarge` (emulator's code): the body is over the limit.
    BodyTooLarge,
    /// 431 `RequestHeaderFieldsTooLarge` (emulator's code): the headers are over the limit.
    HeadersTooLarge,
    /// 408 `RequestTimeout`: the request's body did not arrive within the body timeout.
    RequestTimeout,
    /// 417 `ExpectationFailed` (emulator's code): an `Expect` header asks for something
    /// other than `100-continue` (RFC 9110 §10.1.1).
    ExpectationFailed,
    /// 501 `NotImplemented` (emulator's code): the body has a transfer coding other than
    /// `chunked` (RFC 9112 §6.1).
    NotImplemented,
    /// 403 `HostNotAllowed` (emulator's code): the `Host` is not one the local endpoint
    /// answers (DNS rebinding: a web page's own name resolved to loopback).
    HostNotAllowed,
    /// 403 `CrossSiteRequest` (emulator's code): the request comes from another site's web
    /// page (`Origin` of another host, `Sec-Fetch-Site: cross-site`).
    CrossSiteRequest,
    /// 403 `AdminHeaderMissing` (emulator's code): a change through `/_preflight/` without
    /// the `X-Preflight-Admin` header, which no browser form can send.
    AdminHeaderMissing,
}

const MSG_SIGNATURE: &str = "Specified signature is not matched with our calculation. \
                             server string to sign is:";

impl GatewayError {
    /// Every kind, with an empty string to sign (for catalog tests and documentation).
    pub const ALL: [GatewayError; 19] = [
        GatewayError::InvalidAccessKeyIdNotFound,
        GatewayError::SignatureDoesNotMatch {
            string_to_sign: String::new(),
        },
        GatewayError::IncompleteSignature,
        GatewayError::InvalidTimeStampExpired,
        GatewayError::InvalidTimeStampFormat,
        GatewayError::SignatureNonceUsed,
        GatewayError::InvalidActionNotFound,
        GatewayError::InvalidVersion,
        GatewayError::ServiceUnavailable,
        GatewayError::MalformedRequest,
        GatewayError::UriTooLong,
        GatewayError::BodyTooLarge,
        GatewayError::HeadersTooLarge,
        GatewayError::RequestTimeout,
        GatewayError::ExpectationFailed,
        GatewayError::NotImplemented,
        GatewayError::HostNotAllowed,
        GatewayError::CrossSiteRequest,
        GatewayError::AdminHeaderMissing,
    ];

    /// The `Code` field.
    pub fn code(&self) -> &'static str {
        match self {
            GatewayError::InvalidAccessKeyIdNotFound => "InvalidAccessKeyId.NotFound",
            GatewayError::SignatureDoesNotMatch { .. } => "SignatureDoesNotMatch",
            GatewayError::IncompleteSignature => "IncompleteSignature",
            GatewayError::InvalidTimeStampExpired => "InvalidTimeStamp.Expired",
            GatewayError::InvalidTimeStampFormat => "InvalidTimeStamp.Format",
            GatewayError::SignatureNonceUsed => "SignatureNonceUsed",
            GatewayError::InvalidActionNotFound => "InvalidAction.NotFound",
            GatewayError::InvalidVersion => "InvalidVersion",
            GatewayError::ServiceUnavailable => "ServiceUnavailable",
            GatewayError::MalformedRequest => "MalformedRequest",
            GatewayError::UriTooLong => "RequestURITooLong",
            GatewayError::BodyTooLarge => "RequestEntityTooLarge",
            GatewayError::HeadersTooLarge => "RequestHeaderFieldsTooLarge",
            GatewayError::RequestTimeout => "RequestTimeout",
            GatewayError::ExpectationFailed => "ExpectationFailed",
            GatewayError::NotImplemented => "NotImplemented",
            GatewayError::HostNotAllowed => "HostNotAllowed",
            GatewayError::CrossSiteRequest => "CrossSiteRequest",
            GatewayError::AdminHeaderMissing => "AdminHeaderMissing",
        }
    }

    /// The HTTP status of the response.
    pub fn http_status(&self) -> u16 {
        match self {
            GatewayError::InvalidAccessKeyIdNotFound | GatewayError::InvalidActionNotFound => 404,
            GatewayError::SignatureDoesNotMatch { .. }
            | GatewayError::IncompleteSignature
            | GatewayError::InvalidTimeStampExpired
            | GatewayError::InvalidTimeStampFormat
            | GatewayError::SignatureNonceUsed
            | GatewayError::InvalidVersion
            | GatewayError::MalformedRequest => 400,
            GatewayError::ServiceUnavailable => 503,
            GatewayError::UriTooLong => 414,
            GatewayError::BodyTooLarge => 413,
            GatewayError::HeadersTooLarge => 431,
            GatewayError::RequestTimeout => 408,
            GatewayError::ExpectationFailed => 417,
            GatewayError::NotImplemented => 501,
            GatewayError::HostNotAllowed
            | GatewayError::CrossSiteRequest
            | GatewayError::AdminHeaderMissing => 403,
        }
    }

    /// The `Message` field, byte for byte the service's (the string to sign included).
    pub fn message(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            GatewayError::InvalidAccessKeyIdNotFound => "Specified access key is not found.",
            GatewayError::SignatureDoesNotMatch { string_to_sign } => {
                return Cow::Owned(format!("{MSG_SIGNATURE}{string_to_sign}"));
            }
            GatewayError::IncompleteSignature => {
                "The request signature does not conform to Aliyun standards."
            }
            GatewayError::InvalidTimeStampExpired => {
                "Specified time stamp or date value is expired."
            }
            GatewayError::InvalidTimeStampFormat => {
                "Specified time stamp or date value is not well formatted."
            }
            GatewayError::SignatureNonceUsed => "Specified signature nonce was used already.",
            GatewayError::InvalidActionNotFound => {
                "Specified api is not found, please check your url and method."
            }
            GatewayError::InvalidVersion => "Specified parameter Version is not valid.",
            GatewayError::ServiceUnavailable => {
                "The request has failed due to a temporary failure of the server."
            }
            GatewayError::MalformedRequest => {
                "The request is malformed: an invalid percent escape, or HTTP framing this \
                 server does not accept."
            }
            GatewayError::UriTooLong => "The request URL is longer than this server accepts.",
            GatewayError::BodyTooLarge => "The request body is larger than this server accepts.",
            GatewayError::HeadersTooLarge => {
                "The request headers are larger than this server accepts."
            }
            GatewayError::RequestTimeout => {
                "The request body did not arrive within the time this server waits for it."
            }
            GatewayError::ExpectationFailed => {
                "The request's Expect header asks for something other than 100-continue."
            }
            GatewayError::NotImplemented => {
                "The request body's transfer coding is not supported: only chunked is."
            }
            GatewayError::HostNotAllowed => {
                "The request's Host is not one this local endpoint answers: the listen \
                 address, localhost, *.aliyuncs.com, or a name given with --allow-host."
            }
            GatewayError::CrossSiteRequest => {
                "Requests from another site's web page are refused: this is a local test \
                 endpoint."
            }
            GatewayError::AdminHeaderMissing => {
                "A change through /_preflight/ needs the header X-Preflight-Admin (which no \
                 browser form can send)."
            }
        })
    }
}

impl fmt::Debug for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatewayError::SignatureDoesNotMatch { string_to_sign } => f
                .debug_struct("SignatureDoesNotMatch")
                .field("string_to_sign_len", &string_to_sign.len())
                .finish(),
            other => f.write_str(other.code()),
        }
    }
}

impl fmt::Display for GatewayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GatewayError::SignatureDoesNotMatch { string_to_sign } => write!(
                f,
                "{} ({}): signature does not match (server string to sign: {} bytes)",
                self.code(),
                self.http_status(),
                string_to_sign.len()
            ),
            other => write!(
                f,
                "{} ({}): {}",
                other.code(),
                other.http_status(),
                other.message()
            ),
        }
    }
}

impl std::error::Error for GatewayError {}

impl From<super::DecodeError> for GatewayError {
    fn from(_: super::DecodeError) -> Self {
        GatewayError::MalformedRequest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_the_table_is_exact() {
        let codes: HashSet<_> = GatewayError::ALL.iter().map(GatewayError::code).collect();
        assert_eq!(codes.len(), GatewayError::ALL.len());
        let table = [
            (
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.",
            ),
            (
                400,
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards.",
            ),
            (
                400,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.",
            ),
            (
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ),
            (
                404,
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method.",
            ),
            (
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.",
            ),
        ];
        for (status, code) in [(417, "ExpectationFailed"), (501, "NotImplemented")] {
            let all = GatewayError::ALL;
            let e = all.iter().find(|e| e.code() == code).unwrap();
            assert_eq!(e.http_status(), status);
        }
        for (status, code, message) in table {
            let all = GatewayError::ALL;
            let e = all.iter().find(|e| e.code() == code).unwrap();
            assert_eq!((e.http_status(), e.message().as_ref()), (status, message));
        }
        let e = GatewayError::SignatureDoesNotMatch {
            string_to_sign: "GET&%2F&A".into(),
        };
        assert_eq!(e.http_status(), 400);
        assert_eq!(
            e.message(),
            "Specified signature is not matched with our calculation. server string to sign \
             is:GET&%2F&A"
        );
    }

    #[test]
    fn debug_and_display_hide_the_string_to_sign() {
        let e = GatewayError::SignatureDoesNotMatch {
            string_to_sign: "PrivateKey%3DSECRET".into(),
        };
        for text in [format!("{e:?}"), e.to_string()] {
            assert!(!text.contains("SECRET"), "{text}");
        }
        assert_eq!(
            format!("{:?}", GatewayError::InvalidVersion),
            "InvalidVersion"
        );
    }
}
