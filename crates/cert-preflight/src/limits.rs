//! Byte limits of the certificate and private-key parameters, checked before anything is
//! parsed (row 11 of the check table).

/// The largest certificate and private-key values accepted, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// The certificate parameter's limit (default 65,536 bytes).
    pub certificate: usize,
    /// The private-key parameter's limit (default 16,384 bytes).
    pub private_key: usize,
}

impl Limits {
    /// The defaults: 65,536 bytes of certificate chain, 16,384 bytes of private key.
    pub const DEFAULT: Limits = Limits {
        certificate: 65_536,
        private_key: 16_384,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The longest `CertName` the service takes, in characters (Unicode scalar values, not bytes:
/// 128 Chinese characters pass). Contract row 5.
pub const CERT_NAME_MAX_CHARS: usize = 128;
