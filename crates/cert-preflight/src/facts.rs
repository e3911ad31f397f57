//! What a store keeps of an accepted chain, read from the parse the checks already made: each
//! certificate's public facts (names, issuer, serial, validity, key) and the chain as canonical
//! PEM — exactly the certificate blocks that were checked, re-encoded with 64-column base64 and
//! `\n` line ends, whatever framing the upload had (a BOM, indentation, CR line ends, the
//! legacy `X509 CERTIFICATE` label, text between blocks). A store never parses a certificate
//! itself: it keeps and answers from these.

use core::fmt;

use sha2::Digest;

use crate::base64;
use crate::certificate::{Certificate, DerError, SubjectKey};
use crate::pem::{self, Base64Error, Field, PemError};

/// The public facts of one certificate of an accepted chain.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CertificateFacts {
    der: Vec<u8>,
    subject: String,
    issuer: String,
    common_name: Option<String>,
    organization: Option<String>,
    country: Option<String>,
    province: Option<String>,
    locality: Option<String>,
    issuer_common_name: Option<String>,
    issuer_organization: Option<String>,
    dns_names: Vec<String>,
    serial: Vec<u8>,
    not_before: i64,
    not_after: i64,
    key: SubjectKey,
    is_ca: bool,
}

impl fmt::Debug for CertificateFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateFacts")
            .field("subject", &self.subject)
            .field("issuer", &self.issuer)
            .field("dns_names", &self.dns_names)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .field("key", &format_args!("{}", self.key))
            .finish_non_exhaustive()
    }
}

impl CertificateFacts {
    pub(crate) fn of(certificate: &Certificate<'_>) -> CertificateFacts {
        let x509 = &certificate.x509;
        let subject = x509.subject();
        let issuer = x509.issuer();
        CertificateFacts {
            der: certificate.der.to_vec(),
            subject: certificate.subject(),
            issuer: certificate.issuer(),
            common_name: first(subject.iter_common_name()),
            organization: first(subject.iter_organization()),
            country: first(subject.iter_country()),
            province: first(subject.iter_state_or_province()),
            locality: first(subject.iter_locality()),
            issuer_common_name: first(issuer.iter_common_name()),
            issuer_organization: first(issuer.iter_organization()),
            dns_names: certificate.san_dns_names(),
            serial: x509.raw_serial().to_vec(),
            not_before: certificate.not_before,
            not_after: certificate.not_after,
            key: certificate.key.clone(),
            is_ca: certificate.is_ca(),
        }
    }

    /// The certificate's DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The subject, RFC 4514 style (`CN=www.example.com, O=Example`).
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The issuer, RFC 4514 style.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The subject's first common name (CN).
    pub fn common_name(&self) -> Option<&str> {
        self.common_name.as_deref()
    }

    /// The subject's organization (O).
    pub fn organization(&self) -> Option<&str> {
        self.organization.as_deref()
    }

    /// The subject's country (C).
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// The subject's state or province (ST).
    pub fn province(&self) -> Option<&str> {
        self.province.as_deref()
    }

    /// The subject's locality (L).
    pub fn locality(&self) -> Option<&str> {
        self.locality.as_deref()
    }

    /// The issuer's first common name (CN).
    pub fn issuer_common_name(&self) -> Option<&str> {
        self.issuer_common_name.as_deref()
    }

    /// The issuer's organization (O).
    pub fn issuer_organization(&self) -> Option<&str> {
        self.issuer_organization.as_deref()
    }

    /// The DNS names of its subjectAltName extension, in order (empty without one).
    pub fn dns_names(&self) -> &[String] {
        &self.dns_names
    }

    /// The common name, then every DNS name not equal to it: the names a certificate is
    /// listed under.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.common_name.as_deref().into_iter().collect();
        for name in &self.dns_names {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        names
    }

    /// The serial number's bytes as the DER INTEGER holds them: a leading `00` is kept when the
    /// first byte of the number has its high bit set (the sign byte).
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    /// notBefore, Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// notAfter, Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// Its public key.
    pub fn key(&self) -> &SubjectKey {
        &self.key
    }

    /// True for a CA certificate (basicConstraints cA).
    pub fn is_ca(&self) -> bool {
        self.is_ca
    }

    /// SHA-256 of its DER.
    pub fn sha256(&self) -> [u8; 32] {
        sha2::Sha256::digest(&self.der).into()
    }

    /// SHA-1 of its DER (the fingerprint most consoles show).
    pub fn sha1(&self) -> [u8; 20] {
        sha1::Sha1::digest(&self.der).into()
    }
}

/// The first value of a name's attributes of one type that is a string.
fn first<'a, 'b: 'a>(
    mut values: impl Iterator<Item = &'a x509_parser::x509::AttributeTypeAndValue<'b>>,
) -> Option<String> {
    values.find_map(|a| a.as_str().ok()).map(str::to_owned)
}

/// A certificate chain as a store keeps it: each certificate's facts, leaf first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    certificates: Vec<CertificateFacts>,
}

/// Why a text is not a chain a store can keep.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainError {
    /// No usable `CERTIFICATE` block.
    #[error("{0}")]
    Pem(PemError),
    /// A block's body is not base64.
    #[error("certificate {} of the chain: {error}", index + 1)]
    Base64 {
        /// 0-based position in the chain.
        index: usize,
        /// What is wrong.
        error: Base64Error,
    },
    /// A certificate is not X.509 DER.
    #[error("certificate {} of the chain: {error}", index + 1)]
    Der {
        /// 0-based position in the chain.
        index: usize,
        /// What is wrong.
        error: DerError,
    },
}

impl Chain {
    pub(crate) fn of(chain: &[Certificate<'_>]) -> Chain {
        Chain {
            certificates: chain.iter().map(CertificateFacts::of).collect(),
        }
    }

    /// Reads a PEM chain (no key) with the checks' own PEM and X.509 readers: what a stored
    /// certificate of a state document is.
    pub fn from_pem(text: &str) -> Result<Chain, ChainError> {
        let framed = pem::frame(text, Field::Certificate)
            .map_err(|e| ChainError::Pem(PemError::Framing(e)))?;
        let blocks = pem::certificate_blocks(&framed).map_err(ChainError::Pem)?;
        let mut certificates = Vec::with_capacity(blocks.len());
        for (index, block) in blocks.iter().enumerate() {
            let der = block
                .decode(Field::Certificate)
                .map_err(|error| ChainError::Base64 { index, error })?;
            let certificate =
                Certificate::parse(&der).map_err(|error| ChainError::Der { index, error })?;
            certificates.push(CertificateFacts::of(&certificate));
        }
        Ok(Chain { certificates })
    }

    /// Each certificate's facts, leaf first.
    pub fn certificates(&self) -> &[CertificateFacts] {
        &self.certificates
    }

    /// The leaf (the first certificate).
    pub fn leaf(&self) -> Option<&CertificateFacts> {
        self.certificates.first()
    }

    /// The chain as canonical PEM: a `CERTIFICATE` block per certificate, in order, 64-column
    /// base64, `\n` line ends, nothing else.
    pub fn pem(&self) -> String {
        let mut out = String::new();
        for certificate in &self.certificates {
            out.push_str("-----BEGIN CERTIFICATE-----\n");
            let text = base64::encode(&certificate.der);
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let (line, tail) = rest.split_at(rest.len().min(64));
                out.push_str(line);
                out.push('\n');
                rest = tail;
            }
            out.push_str("-----END CERTIFICATE-----\n");
        }
        out
    }
}
