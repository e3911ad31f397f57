//! Entry points for the fuzz targets (`fuzz/`): thin wrappers over the crate-private parsers
//! below [`validate`](crate::validate). Hidden and not part of the API: they follow the parsers
//! and may change with them. Like the rest of the library they return results and never panic,
//! and nothing here prints key material (`Debug` shows lengths, never bytes).
//!
//! Compiled only under `cfg(fuzzing)` — which cargo-fuzz passes to every crate it builds, and
//! which `.ci/run` passes to replay the corpora on stable (`RUSTFLAGS="--cfg fuzzing"`) — and in
//! this crate's unit tests: no feature can turn it on, so no dependent can come to rely on it.
//! Built without it, the test kit's target bodies go through the public API instead
//! (`crates/testkit/src/targets.rs`).

use core::fmt;

use zeroize::Zeroizing;

use crate::certificate::{Certificate, DerError, SubjectKey};
use crate::failure::Warning;
use crate::key_match::{self, KeyPublic, Mismatch};
use crate::pem::{self, Base64Error, Field, FormatNote, FramingError, Label, PemError};
use crate::private_key::{self, KeyProblem};

/// One PEM block: where it is, and its body decoded as `field` decodes it.
pub struct PemBlock {
    /// The label (never the text of an unknown label from the key field).
    pub label: Label,
    /// 1-based line of its BEGIN.
    pub begin_line: usize,
    /// 1-based line of its END.
    pub end_line: usize,
    /// How many RFC 1421 header lines it has.
    pub headers: usize,
    /// It has a `Proc-Type: 4,ENCRYPTED` header.
    pub encrypted: bool,
    /// Its body, base64-decoded (a buffer zeroized on drop).
    pub decoded: Result<Zeroizing<Vec<u8>>, Base64Error>,
}

impl fmt::Debug for PemBlock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PemBlock")
            .field("label", &self.label)
            .field("begin_line", &self.begin_line)
            .field("end_line", &self.end_line)
            .field("headers", &self.headers)
            .field("encrypted", &self.encrypted)
            .field("decoded", &self.decoded.as_ref().map(|der| der.len()))
            .finish()
    }
}

fn block(framed: &pem::Block<'_>, field: Field) -> PemBlock {
    PemBlock {
        label: framed.label.clone(),
        begin_line: framed.begin_line,
        end_line: framed.end_line,
        headers: framed.header_names.len(),
        encrypted: framed.encrypted,
        decoded: framed.decode(field),
    }
}

/// A whole parameter's PEM: its blocks in order and the format notes (warnings).
#[derive(Debug)]
pub struct PemText {
    /// The blocks, in order.
    pub blocks: Vec<PemBlock>,
    /// Deviations from the published format.
    pub notes: Vec<FormatNote>,
}

/// Frames `text` as parameter `field` holds it and decodes every block.
pub fn pem(text: &str, field: Field) -> Result<PemText, FramingError> {
    let framed = pem::frame(text, field)?;
    Ok(PemText {
        blocks: framed.blocks.iter().map(|b| block(b, field)).collect(),
        notes: framed.notes,
    })
}

/// The certificate field's rule (only `CERTIFICATE` blocks, no headers): its blocks, decoded.
pub fn certificate_field(text: &str) -> Result<Vec<PemBlock>, PemError> {
    let framed = pem::frame(text, Field::Certificate).map_err(PemError::Framing)?;
    let blocks = pem::certificate_blocks(&framed)?;
    Ok(blocks
        .into_iter()
        .map(|b| block(b, Field::Certificate))
        .collect())
}

/// The private-key field's blocks, decoded, and the refusal its label or headers call for.
#[derive(Debug)]
pub struct KeyField {
    /// The key block.
    pub key: PemBlock,
    /// The `EC PARAMETERS` block before it, if any.
    pub parameters: Option<PemBlock>,
    /// Refused before decoding (password, public key, DSA, OpenSSH).
    pub refusal: Option<KeyProblem>,
}

/// The private-key field's rule (exactly one key, optionally after `EC PARAMETERS`).
pub fn private_key_field(text: &str) -> Result<KeyField, PemError> {
    let framed = pem::frame(text, Field::PrivateKey).map_err(PemError::Framing)?;
    let blocks = pem::key_blocks(&framed)?;
    Ok(KeyField {
        key: block(blocks.key, Field::PrivateKey),
        parameters: blocks.parameters.map(|p| block(p, Field::PrivateKey)),
        refusal: private_key::refuse(blocks.key),
    })
}

/// The public key derived from a private key that parsed and is consistent.
#[derive(PartialEq, Eq)]
pub struct DerivedKey(KeyPublic);

impl DerivedKey {
    /// The derived public key as a certificate would carry it (EC points uncompressed).
    pub fn public(&self) -> SubjectKey {
        match &self.0 {
            KeyPublic::Rsa { n, e } => SubjectKey::Rsa {
                n: n.clone(),
                e: e.clone(),
            },
            KeyPublic::Ec {
                curve,
                uncompressed,
            } => SubjectKey::Ec {
                curve: *curve,
                point: uncompressed.clone(),
            },
            KeyPublic::Ed25519(key) => SubjectKey::Ed25519(*key),
        }
    }

    /// The RSA public exponent when it is above 2^32 (the `LargeRsaExponent` warning).
    pub fn large_rsa_exponent(&self) -> Option<String> {
        self.0.large_rsa_exponent()
    }
}

impl fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DerivedKey({})", self.0)
    }
}

impl fmt::Display for DerivedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Parses a key block's DER as its `label` says (PKCS#1, PKCS#8 or SEC1, `parameters` the DER
/// of an `EC PARAMETERS` block) and derives its public key, checking consistency.
pub fn private_key(
    label: &Label,
    der: &[u8],
    parameters: Option<&[u8]>,
) -> Result<DerivedKey, KeyProblem> {
    let key = private_key::parse(label, der, parameters)?;
    key_match::derive(&key, None).map(DerivedKey)
}

/// Compares a derived public key with a certificate's.
pub fn key_match(key: &DerivedKey, certificate: &SubjectKey) -> Result<(), Mismatch> {
    key_match::compare(&key.0, certificate)
}

/// What the checks read from one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The subject, RFC 4514 style.
    pub subject: String,
    /// The issuer.
    pub issuer: String,
    /// Its public key.
    pub key: SubjectKey,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// The DNS names it covers.
    pub dns_names: Vec<String>,
    /// Subject and issuer are the same name.
    pub self_issued: bool,
    /// SHA-1 or MD5 signature.
    pub weak_signature: Option<&'static str>,
}

fn info(certificate: &Certificate<'_>) -> CertificateInfo {
    CertificateInfo {
        subject: certificate.subject(),
        issuer: certificate.issuer(),
        key: certificate.key.clone(),
        not_before: certificate.not_before,
        not_after: certificate.not_after,
        dns_names: certificate.dns_names(),
        self_issued: certificate.is_self_issued(),
        weak_signature: certificate.weak_signature(),
    }
}

/// Parses one DER certificate (trailing bytes are an error).
pub fn certificate(der: &[u8]) -> Result<CertificateInfo, DerError> {
    Certificate::parse(der).map(|c| info(&c))
}

/// Parses a chain and gives its warnings with certificate `leaf` as the key's; the error names
/// the index of the first certificate that does not parse.
pub fn chain(
    ders: &[&[u8]],
    leaf: usize,
    now: i64,
) -> Result<(Vec<CertificateInfo>, Vec<Warning>), (usize, DerError)> {
    let mut parsed = Vec::with_capacity(ders.len());
    for (index, der) in ders.iter().enumerate() {
        parsed.push(Certificate::parse(der).map_err(|e| (index, e))?);
    }
    let warnings = crate::chain::warnings(&parsed, Some(leaf), now);
    Ok((parsed.iter().map(info).collect(), warnings))
}

/// True when the DNS `names` cover `domain` (the `DomainNotCovered` warning's rule).
pub fn covers(names: &[String], domain: &str) -> bool {
    crate::chain::covers(names, domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Implemented twice for a `Clone` type, so naming `check` for one does not compile (the
    /// impl to use is ambiguous): a compile-time "is not `Clone`".
    trait AmbiguousIfClone<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfClone<()> for T {}
    struct IsClone;
    impl<T: Clone> AmbiguousIfClone<IsClone> for T {}

    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}

    /// Key holders cannot be copied (no `Clone`), and the buffers and secret values a key
    /// passes through are wiped when dropped: decoded DER and request values are
    /// `Zeroizing`, the curve crates' secret keys zeroize themselves.
    #[test]
    fn key_holders_are_not_clone_and_key_buffers_zeroize_on_drop() {
        <private_key::PrivateKey<'static> as AmbiguousIfClone<_>>::check();
        <crate::request::Value as AmbiguousIfClone<_>>::check();
        <crate::request::Request as AmbiguousIfClone<_>>::check();
        <KeyField as AmbiguousIfClone<_>>::check();
        <PemBlock as AmbiguousIfClone<_>>::check();
        fn decoded(block: &pem::Block<'_>) -> Result<Zeroizing<Vec<u8>>, Base64Error> {
            block.decode(Field::PrivateKey)
        }
        let _ = decoded;
        zeroized_on_drop::<Zeroizing<Vec<u8>>>();
        zeroized_on_drop::<ed25519_dalek::SigningKey>();
        zeroized_on_drop::<p256::SecretKey>();
        zeroized_on_drop::<p384::SecretKey>();
        zeroized_on_drop::<p521::SecretKey>();
        zeroized_on_drop::<sm2::SecretKey>();
    }

    #[test]
    fn debug_of_a_key_field_shows_no_bytes() {
        let text =
            "-----BEGIN PRIVATE KEY-----\nMIIBszCCAVmgAwIBAgIUYQ==\n-----END PRIVATE KEY-----\n";
        let field = private_key_field(text).unwrap();
        let shown = format!("{field:?}");
        assert!(!shown.contains("MIIB"), "{shown}");
        assert!(shown.contains("decoded: Ok(16)"), "{shown}");
    }
}
