//! X.509 certificates of the chain (RFC 5280), parsed by x509-parser, checked a little harder.
//!
//! x509-parser returns trailing bytes instead of rejecting them, may hand out an RSA modulus
//! with its DER sign byte, and does not name Ed25519 keys, so the parts the checks need — the
//! validity as Unix seconds, the subject public key, the names — are read here once.

use core::fmt;

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_parser::asn1_rs::ToDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::FromDer;
use x509_parser::x509::X509Name;

use crate::algorithm::{self, Curve, Unsupported};

/// Why a certificate of the chain is not valid X.509 DER.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DerError {
    /// The parser refused the DER; the text is its reason.
    Invalid(String),
    /// Bytes follow the certificate's DER inside the block.
    TrailingBytes {
        /// How many.
        count: usize,
    },
    /// The subject public key does not parse for its algorithm.
    PublicKey(String),
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DerError::Invalid(reason) => write!(f, "it is not valid X.509 DER ({reason})"),
            DerError::TrailingBytes { count } => write!(
                f,
                "{count} byte(s) follow the end of its DER encoding inside the PEM block"
            ),
            DerError::PublicKey(reason) => write!(f, "its public key is unreadable ({reason})"),
        }
    }
}

/// The public key a certificate carries, normalised for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubjectKey {
    /// RSA: modulus and exponent as unsigned big-endian numbers without leading zero bytes.
    Rsa {
        /// The modulus n.
        n: Vec<u8>,
        /// The public exponent e.
        e: Vec<u8>,
    },
    /// EC on a supported curve: the SEC1 point as encoded (compressed or not).
    Ec {
        /// The named curve.
        curve: Curve,
        /// The encoded point.
        point: Vec<u8>,
    },
    /// Ed25519: the 32-byte public key.
    Ed25519([u8; 32]),
    /// Anything this crate does not check.
    Unsupported(Unsupported),
}

impl SubjectKey {
    /// RSA modulus size in bits.
    pub(crate) fn rsa_bits(&self) -> Option<usize> {
        match self {
            SubjectKey::Rsa { n, .. } => Some(bit_length(n)),
            _ => None,
        }
    }
}

impl fmt::Display for SubjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubjectKey::Rsa { n, .. } => write!(f, "RSA {}-bit", bit_length(n)),
            SubjectKey::Ec { curve, .. } => write!(f, "EC {curve}"),
            SubjectKey::Ed25519(_) => f.write_str("Ed25519"),
            SubjectKey::Unsupported(Unsupported::Algorithm(name)) => f.write_str(name),
            SubjectKey::Unsupported(Unsupported::Curve(name)) => write!(f, "EC {name}"),
            SubjectKey::Unsupported(Unsupported::ExplicitCurve) => {
                f.write_str("EC with explicit curve parameters")
            }
        }
    }
}

/// Bit length of an unsigned big-endian number.
pub(crate) fn bit_length(bytes: &[u8]) -> usize {
    let bytes = strip_leading_zeros(bytes);
    match bytes.first() {
        None => 0,
        Some(top) => (bytes.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
    }
}

/// An unsigned big-endian number without leading zero bytes ("0" is the empty slice).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// One parsed certificate of the chain.
pub(crate) struct Certificate<'a> {
    pub(crate) x509: X509Certificate<'a>,
    pub(crate) der: &'a [u8],
    pub(crate) key: SubjectKey,
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
}

impl fmt::Debug for Certificate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("key", &self.key)
            .field("not_before", &self.not_before)
            .field("not_after", &self.not_after)
            .finish()
    }
}

impl<'a> Certificate<'a> {
    /// Parses one DER certificate; trailing bytes are an error.
    pub(crate) fn parse(der: &'a [u8]) -> Result<Certificate<'a>, DerError> {
        let (rest, x509) =
            X509Certificate::from_der(der).map_err(|e| DerError::Invalid(reason(&e)))?;
        if !rest.is_empty() {
            return Err(DerError::TrailingBytes { count: rest.len() });
        }
        let key = subject_key(&x509)?;
        let validity = x509.validity();
        Ok(Certificate {
            not_before: validity.not_before.timestamp(),
            not_after: validity.not_after.timestamp(),
            x509,
            der,
            key,
        })
    }

    /// The subject as a readable string (RFC 4514 style).
    pub(crate) fn subject(&self) -> String {
        name_to_string(self.x509.subject())
    }

    /// The issuer as a readable string.
    pub(crate) fn issuer(&self) -> String {
        name_to_string(self.x509.issuer())
    }

    /// True when subject and issuer are the same name (a root or a self-signed leaf).
    pub(crate) fn is_self_issued(&self) -> bool {
        self.x509.subject().as_raw() == self.x509.issuer().as_raw()
    }

    /// True when `self` names `other` as its issuer.
    pub(crate) fn is_issued_by(&self, other: &Certificate<'_>) -> bool {
        self.x509.issuer().as_raw() == other.x509.subject().as_raw()
    }

    /// True for a CA certificate: basicConstraints with cA set (RFC 5280 §4.2.1.9).
    pub(crate) fn is_ca(&self) -> bool {
        matches!(self.x509.basic_constraints(), Ok(Some(ext)) if ext.value.ca)
    }

    /// The dNSNames of its subjectAltName extension (empty without one).
    pub(crate) fn san_dns_names(&self) -> Vec<String> {
        match self.x509.subject_alternative_name() {
            Ok(Some(san)) => san
                .value
                .general_names
                .iter()
                .filter_map(|name| match name {
                    GeneralName::DNSName(dns) => Some((*dns).to_owned()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The DNS names the certificate covers: its SAN dNSNames, or its CNs when it has no SAN
    /// extension (RFC 6125 §6.4.4).
    pub(crate) fn dns_names(&self) -> Vec<String> {
        if let Ok(Some(_)) = self.x509.subject_alternative_name() {
            return self.san_dns_names();
        }
        self.x509
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
            .collect()
    }

    /// The name of the signature algorithm when it is a weak one (SHA-1, MD5).
    pub(crate) fn weak_signature(&self) -> Option<&'static str> {
        let oid = ObjectIdentifier::from_bytes(self.x509.signature_algorithm.algorithm.as_bytes())
            .ok()?;
        algorithm::weak_signature(&oid)
    }
}

/// A name exactly as x509-parser prints it ("O=…, CN=…"), but without its OID registry (a
/// hash lookup per attribute) for the attribute types certificates use; a rarer type or a
/// value that is not a plain string is left to x509-parser.
fn name_to_string(name: &X509Name<'_>) -> String {
    let mut out = String::new();
    for (i, rdn) in name.iter_rdn().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, attribute) in rdn.iter().enumerate() {
            let (Some(abbrev), Ok(value)) = (
                abbreviation(attribute.attr_type().as_bytes()),
                attribute.as_str(),
            ) else {
                return name.to_string();
            };
            if j > 0 {
                out.push_str(" + ");
            }
            out.push_str(abbrev);
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

/// x509-parser's abbreviations, by the OID's content bytes.
fn abbreviation(oid: &[u8]) -> Option<&'static str> {
    crate::oid::by_content(oid, crate::oid::Kind::Attribute).map(|o| o.name)
}

/// The parser's reason, without echoing input bytes.
fn reason<E: fmt::Display>(e: &x509_parser::nom::Err<E>) -> String {
    match e {
        x509_parser::nom::Err::Incomplete(_) => "the DER ends too early".to_owned(),
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => e.to_string(),
    }
}

fn subject_key(x509: &X509Certificate<'_>) -> Result<SubjectKey, DerError> {
    let spki = x509.public_key();
    let oid = ObjectIdentifier::from_bytes(spki.algorithm.algorithm.as_bytes())
        .map_err(|e| DerError::PublicKey(format!("bad algorithm identifier: {e}")))?;
    let bits: &[u8] = &spki.subject_public_key.data;
    if oid == algorithm::RSA_ENCRYPTION {
        let key = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(bits)
            .map_err(|e| DerError::PublicKey(format!("RSA: {e}")))?;
        return Ok(SubjectKey::Rsa {
            n: strip_leading_zeros(key.modulus.as_bytes()).to_vec(),
            e: strip_leading_zeros(key.public_exponent.as_bytes()).to_vec(),
        });
    }
    if oid == algorithm::EC_PUBLIC_KEY || oid == algorithm::SM2_CURVE {
        let curve = if oid == algorithm::SM2_CURVE {
            Ok(Curve::Sm2)
        } else {
            let parameters = spki
                .algorithm
                .parameters
                .as_ref()
                .map(|any| any.to_der_vec())
                .transpose()
                .map_err(|e| DerError::PublicKey(format!("EC parameters: {e}")))?
                .unwrap_or_default();
            algorithm::curve_from_parameters(&parameters)
        };
        return Ok(match curve {
            Ok(curve) => SubjectKey::Ec {
                curve,
                point: bits.to_vec(),
            },
            Err(unsupported) => SubjectKey::Unsupported(unsupported),
        });
    }
    if oid == algorithm::ED25519 {
        let key: [u8; 32] = bits.try_into().map_err(|_| {
            DerError::PublicKey(format!(
                "Ed25519 public key of {} bytes, not 32",
                bits.len()
            ))
        })?;
        return Ok(SubjectKey::Ed25519(key));
    }
    Ok(SubjectKey::Unsupported(Unsupported::Algorithm(
        algorithm::algorithm_name(&oid),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_without_leading_zeros() {
        assert_eq!(strip_leading_zeros(&[0, 0, 1, 0]), &[1, 0]);
        assert_eq!(strip_leading_zeros(&[0, 0]), &[] as &[u8]);
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_length(&[0x01]), 1);
        assert_eq!(bit_length(&[]), 0);
    }

    /// The fast name formatter prints what x509-parser prints, for every fixture's names.
    #[test]
    fn names_print_as_x509_parser_prints_them() {
        let mut checked = 0;
        let testdata = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
        // The fixtures live in the repository, not in the published crate.
        if !testdata.is_dir() {
            eprintln!(
                "{} is not here (a downloaded crate): skipped",
                testdata.display()
            );
            return;
        }
        for dir in [
            "ca", "chain", "names", "p256", "rsa2048", "sm2", "time", "weak",
        ] {
            let path = testdata.join(dir);
            for entry in std::fs::read_dir(path).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let Ok(framed) = crate::pem::frame(&text, crate::pem::Field::Certificate) else {
                    continue;
                };
                for block in framed.blocks.iter().filter(|b| b.label.is_certificate()) {
                    let Ok(der) = block.decode(crate::pem::Field::Certificate) else {
                        continue;
                    };
                    let Ok(certificate) = Certificate::parse(&der) else {
                        continue;
                    };
                    assert_eq!(
                        certificate.subject(),
                        certificate.x509.subject().to_string()
                    );
                    assert_eq!(certificate.issuer(), certificate.x509.issuer().to_string());
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "{checked}");
    }

    #[test]
    fn junk_is_invalid_and_names_no_bytes() {
        let err = Certificate::parse(&[0x30, 0x03, 0x02, 0x01, 0x01]).unwrap_err();
        assert!(matches!(err, DerError::Invalid(_)), "{err:?}");
        assert!(matches!(
            Certificate::parse(&[]).unwrap_err(),
            DerError::Invalid(_)
        ));
    }
}
