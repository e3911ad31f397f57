//! X.509 certificates of the chain (RFC 5280), parsed by x509-parser, checked a little harder.
//!
//! x509-parser returns trailing bytes instead of rejecting them, may hand out an RSA modulus
//! with its DER sign byte, and does not name Ed25519 keys, so the parts the checks need — the
//! validity as Unix seconds, the subject public key, the names — are read here once.

use core::fmt;

use der::Decode;
use der::asn1::ObjectIdentifier;
use x509_parser::asn1_rs::{Class, Tag, ToDer};
use x509_parser::certificate::{X509Certificate, X509CertificateParser};
use x509_parser::extensions::{BasicConstraints, GeneralName, SubjectAlternativeName};
use x509_parser::nom::Parser;
use x509_parser::oid_registry::{OID_X509_EXT_BASIC_CONSTRAINTS, OID_X509_EXT_SUBJECT_ALT_NAME};
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
    ///
    /// Extensions are read as x509-parser's envelope (OID, critical, value) without its deep
    /// parse of each value: that parse never rejects a certificate (a value that does not parse
    /// becomes `ParsedExtension::ParseError`), it only looks every extension up in a hash map and
    /// decodes it, and the checks read two extensions, on demand: basicConstraints
    /// ([`Certificate::is_ca`]) and subjectAltName ([`Certificate::san_dns_names`]).
    pub(crate) fn parse(der: &'a [u8]) -> Result<Certificate<'a>, DerError> {
        let (rest, x509) = X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(der)
            .map_err(|e| DerError::Invalid(reason(&e)))?;
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

    /// True for a CA certificate: basicConstraints with cA set (RFC 5280 §4.2.1.9). As
    /// x509-parser's `basic_constraints()` answers: a repeated or unreadable extension is no CA.
    pub(crate) fn is_ca(&self) -> bool {
        match self
            .x509
            .get_extension_unique(&OID_X509_EXT_BASIC_CONSTRAINTS)
        {
            Ok(Some(ext)) => plain_basic_constraints(ext.value).unwrap_or_else(|| {
                BasicConstraints::from_der(ext.value).is_ok_and(|(_, bc)| bc.ca)
            }),
            _ => false,
        }
    }

    /// The dNSNames of its subjectAltName, as x509-parser's `subject_alternative_name()`
    /// answers: `Ok(None)` without one, an error when it is repeated or does not parse.
    fn subject_alternative_name(&self) -> Result<Option<Vec<String>>, ()> {
        match self
            .x509
            .get_extension_unique(&OID_X509_EXT_SUBJECT_ALT_NAME)
        {
            Ok(Some(ext)) => match plain_dns_names(ext.value) {
                Some(names) => Ok(Some(names)),
                None => SubjectAlternativeName::from_der(ext.value)
                    .map(|(_, san)| Some(dns_names_of(&san)))
                    .map_err(|_| ()),
            },
            Ok(None) => Ok(None),
            Err(_) => Err(()),
        }
    }

    /// The dNSNames of its subjectAltName extension (empty without one).
    pub(crate) fn san_dns_names(&self) -> Vec<String> {
        self.subject_alternative_name()
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// The DNS names the certificate covers: its SAN dNSNames, or its CNs when it has no SAN
    /// extension (RFC 6125 §6.4.4).
    pub(crate) fn dns_names(&self) -> Vec<String> {
        if let Ok(Some(names)) = self.subject_alternative_name() {
            return names;
        }
        self.x509
            .subject()
            .iter_common_name()
            .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
            .collect()
    }

    /// The name of the signature algorithm when it is a weak one (SHA-1, MD5).
    pub(crate) fn weak_signature(&self) -> Option<&'static str> {
        algorithm::weak_signature(self.x509.signature_algorithm.algorithm.as_bytes())
    }
}

/// The cA flag of the basicConstraints values CAs and leaves are issued with — `{}`,
/// `{ cA TRUE }`, `{ cA TRUE, pathLen n }` —, read from their bytes, which x509-parser reads
/// the same way; `None` for any other value, which x509-parser then reads.
fn plain_basic_constraints(value: &[u8]) -> Option<bool> {
    match value {
        [0x30, 0x00] => Some(false),
        [0x30, 0x03, 0x01, 0x01, 0xff] => Some(true),
        [0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, len] if *len < 0x80 => Some(true),
        _ => None,
    }
}

/// The dNSNames of a subjectAltName value that holds dNSNames only, each UTF-8 with a
/// short-form length (what server certificates carry), read from the bytes as x509-parser
/// reads them; `None` for any other value (other name types, other encodings, bytes after the
/// SEQUENCE), which x509-parser then reads.
fn plain_dns_names(value: &[u8]) -> Option<Vec<String>> {
    let (len, mut rest) = match value {
        [0x30, len, rest @ ..] if *len < 0x80 => (usize::from(*len), rest),
        [0x30, 0x81, len, rest @ ..] if *len >= 0x80 => (usize::from(*len), rest),
        _ => return None,
    };
    if rest.len() != len {
        return None;
    }
    let mut names = Vec::new();
    while let [0x82, len, tail @ ..] = rest {
        let len = usize::from(*len);
        let name = tail.get(..len).filter(|_| len < 0x80)?;
        // x509-parser takes a dNSName that is UTF-8 (and skips one that is not).
        names.push(core::str::from_utf8(name).ok()?.to_owned());
        rest = tail.get(len..)?;
    }
    rest.is_empty().then_some(names)
}

/// The dNSNames of a subjectAltName, in order.
fn dns_names_of(san: &SubjectAlternativeName<'_>) -> Vec<String> {
    san.general_names
        .iter()
        .filter_map(|name| match name {
            GeneralName::DNSName(dns) => Some((*dns).to_owned()),
            _ => None,
        })
        .collect()
}

/// A name exactly as x509-parser prints it ("O=…, CN=…"), but without its OID registry (a
/// hash lookup per attribute) for the attribute types certificates use; a rarer type or a
/// value that is not a plain string is left to x509-parser.
fn name_to_string(name: &X509Name<'_>) -> String {
    // The DER of each attribute (SET, SEQUENCE and OID headers, an OID of at least three bytes,
    // the string's header) is longer than its `, XX=` in the text: one allocation holds it.
    let mut out = String::with_capacity(name.as_raw().len());
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
    // The algorithms checked, by their OID's content bytes (equal bytes are a valid OID); any
    // other is decoded, to be named or refused.
    let algorithm = spki.algorithm.algorithm.as_bytes();
    let bits: &[u8] = &spki.subject_public_key.data;
    if algorithm == algorithm::RSA_ENCRYPTION.as_bytes() {
        let key = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(bits)
            .map_err(|e| DerError::PublicKey(format!("RSA: {e}")))?;
        return Ok(SubjectKey::Rsa {
            n: strip_leading_zeros(key.modulus.as_bytes()).to_vec(),
            e: strip_leading_zeros(key.public_exponent.as_bytes()).to_vec(),
        });
    }
    let sm2 = algorithm == algorithm::SM2_CURVE.as_bytes();
    if sm2 || algorithm == algorithm::EC_PUBLIC_KEY.as_bytes() {
        // A named curve, the usual parameters: its OID's bytes as they are.
        let named = spki
            .algorithm
            .parameters
            .as_ref()
            .filter(|any| {
                any.class() == Class::Universal
                    && !any.header.is_constructed()
                    && any.tag() == Tag::Oid
            })
            .and_then(|any| Curve::from_oid_content(any.data));
        let curve = match named {
            _ if sm2 => Ok(Curve::Sm2),
            Some(curve) => Ok(curve),
            None => {
                let parameters = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .map(|any| any.to_der_vec())
                    .transpose()
                    .map_err(|e| DerError::PublicKey(format!("EC parameters: {e}")))?
                    .unwrap_or_default();
                algorithm::curve_from_parameters(&parameters)
            }
        };
        return Ok(match curve {
            Ok(curve) => SubjectKey::Ec {
                curve,
                point: bits.to_vec(),
            },
            Err(unsupported) => SubjectKey::Unsupported(unsupported),
        });
    }
    if algorithm == algorithm::ED25519.as_bytes() {
        let key: [u8; 32] = bits.try_into().map_err(|_| {
            DerError::PublicKey(format!(
                "Ed25519 public key of {} bytes, not 32",
                bits.len()
            ))
        })?;
        return Ok(SubjectKey::Ed25519(key));
    }
    let oid = ObjectIdentifier::from_bytes(algorithm)
        .map_err(|e| DerError::PublicKey(format!("bad algorithm identifier: {e}")))?;
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
        let Some(testdata) = crate::test_support::testdata() else {
            return;
        };
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

    /// What the checks read of a certificate: its key, CA flag, SAN dNSNames, covered names and
    /// weak signature algorithm.
    type Read = (
        SubjectKey,
        bool,
        Vec<String>,
        Vec<String>,
        Option<&'static str>,
    );

    /// What the checks read of a certificate, computed the way this module did before it
    /// stopped deep-parsing extensions and decoding known OIDs: x509-parser's own accessors on a
    /// deep parse, and every OID decoded.
    fn reference(der: &[u8]) -> Option<Read> {
        let (rest, x509) = X509Certificate::from_der(der).ok()?;
        if !rest.is_empty() {
            return None;
        }
        let spki = x509.public_key();
        let oid = ObjectIdentifier::from_bytes(spki.algorithm.algorithm.as_bytes()).ok()?;
        let bits: &[u8] = &spki.subject_public_key.data;
        let key = if oid == algorithm::RSA_ENCRYPTION {
            let key = pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(bits).ok()?;
            SubjectKey::Rsa {
                n: strip_leading_zeros(key.modulus.as_bytes()).to_vec(),
                e: strip_leading_zeros(key.public_exponent.as_bytes()).to_vec(),
            }
        } else if oid == algorithm::EC_PUBLIC_KEY || oid == algorithm::SM2_CURVE {
            let curve = if oid == algorithm::SM2_CURVE {
                Ok(Curve::Sm2)
            } else {
                let parameters = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .map(|any| any.to_der_vec().unwrap())
                    .unwrap_or_default();
                algorithm::curve_from_parameters(&parameters)
            };
            match curve {
                Ok(curve) => SubjectKey::Ec {
                    curve,
                    point: bits.to_vec(),
                },
                Err(unsupported) => SubjectKey::Unsupported(unsupported),
            }
        } else if oid == algorithm::ED25519 {
            SubjectKey::Ed25519(bits.try_into().ok()?)
        } else {
            SubjectKey::Unsupported(Unsupported::Algorithm(algorithm::algorithm_name(&oid)))
        };
        let is_ca = matches!(x509.basic_constraints(), Ok(Some(ext)) if ext.value.ca);
        let san = match x509.subject_alternative_name() {
            Ok(Some(san)) => dns_names_of(san.value),
            _ => Vec::new(),
        };
        let names = match x509.subject_alternative_name() {
            Ok(Some(_)) => san.clone(),
            _ => x509
                .subject()
                .iter_common_name()
                .filter_map(|cn| cn.as_str().ok().map(str::to_owned))
                .collect(),
        };
        let weak = ObjectIdentifier::from_bytes(x509.signature_algorithm.algorithm.as_bytes())
            .ok()
            .and_then(|oid| {
                crate::oid::lookup(&oid, crate::oid::Kind::Signature { weak: true }).map(|o| o.name)
            });
        Some((key, is_ca, san, names, weak))
    }

    /// Checks `der` against [`reference`]: the same key, CA flag, names and weak signature,
    /// and a refusal exactly where the reference cannot read it.
    fn agrees_with_reference(der: &[u8]) {
        let ours = Certificate::parse(der).ok().map(|c| {
            (
                c.key.clone(),
                c.is_ca(),
                c.san_dns_names(),
                c.dns_names(),
                c.weak_signature(),
            )
        });
        assert_eq!(ours, reference(der));
    }

    /// An (unsigned) certificate with this key, these extensions and this signature algorithm.
    fn synthetic(spki: &[u8], extensions: &[Vec<u8>], signature_oid: &str) -> Vec<u8> {
        use crate::test_support::der as w;
        let algorithm = w::seq(&[&w::oid(signature_oid)]);
        let name = w::seq(&[&w::set(&[&w::seq(&[
            &w::oid("2.5.4.3"),
            &w::utf8_string("www.example.com"),
        ])])]);
        let time = |t: &str| w::tlv(w::tag::UTC_TIME, t.as_bytes());
        let mut tbs = vec![
            w::explicit(0, &w::small_uint(2)),
            w::small_uint(7),
            algorithm.clone(),
            name.clone(),
            w::seq(&[&time("260101000000Z"), &time("270101000000Z")]),
            name,
            spki.to_vec(),
        ];
        if !extensions.is_empty() {
            let list: Vec<&[u8]> = extensions.iter().map(Vec::as_slice).collect();
            tbs.push(w::explicit(3, &w::seq(&list)));
        }
        let tbs: Vec<&[u8]> = tbs.iter().map(Vec::as_slice).collect();
        w::seq(&[&w::seq(&tbs), &algorithm, &w::bit_string(&[1, 2, 3])])
    }

    /// Reading two extensions on demand, and known OIDs by their bytes, answers what x509-parser's
    /// deep parse and decoded OIDs answered, on every fixture certificate and on certificates
    /// made to hit the corners: repeated, unreadable and trailing-byte extensions, and key
    /// algorithms and curve parameters of every kind.
    #[test]
    fn reads_what_the_deep_parse_read() {
        use crate::test_support::der as w;
        if let Some(testdata) = crate::test_support::testdata() {
            let mut checked = 0;
            for path in crate::test_support::files_under(&testdata) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let Ok(framed) = crate::pem::frame(&text, crate::pem::Field::Certificate) else {
                    continue;
                };
                for block in framed.blocks.iter().filter(|b| b.label.is_certificate()) {
                    if let Ok(der) = block.decode(crate::pem::Field::Certificate) {
                        agrees_with_reference(&der);
                        checked += 1;
                    }
                }
            }
            assert!(checked > 50, "{checked}");
        }

        let extension = |oid: &str, value: &[u8]| w::seq(&[&w::oid(oid), &w::octet_string(value)]);
        let bc = |value: &[u8]| extension("2.5.29.19", value);
        let san = |value: &[u8]| extension("2.5.29.17", value);
        let dns = |names: &[&str]| {
            let names: Vec<Vec<u8>> = names.iter().map(|n| w::implicit(2, n.as_bytes())).collect();
            w::seq(&names.iter().map(Vec::as_slice).collect::<Vec<_>>())
        };
        let ca_true = w::seq(&[&w::boolean(true)]);
        let mut with_trailing = dns(&["a.example"]);
        with_trailing.extend_from_slice(&[0x05, 0x00]);
        let extension_sets: Vec<Vec<Vec<u8>>> = vec![
            vec![],
            vec![bc(&ca_true)],
            vec![bc(&w::seq(&[]))],
            vec![bc(&w::seq(&[&w::small_uint(3)]))],
            vec![bc(&w::seq(&[&w::boolean(true), &w::small_uint(1)]))],
            vec![bc(&ca_true), bc(&ca_true)],
            vec![bc(&[0x02, 0x01, 0x01])],
            vec![bc(&[0x30, 0x05])],
            vec![bc(&[&ca_true[..], &[0x05, 0x00]].concat())],
            vec![san(&dns(&["www.example.com", "example.com"]))],
            vec![san(&dns(&["a.example"])), san(&dns(&["b.example"]))],
            vec![san(&dns(&[]))],
            vec![san(&[0x30, 0x03, 0x82, 0x05, 0x61])],
            vec![san(&w::seq(&[
                &w::tlv(0x87, &[127, 0, 0, 1]),
                &w::implicit(2, b"c.example"),
            ]))],
            vec![san(&with_trailing)],
            vec![san(&w::seq(&[&w::tlv(0x99, b"x")]))],
            vec![
                bc(&ca_true),
                san(&dns(&["d.example"])),
                extension("1.2.3.4", b"junk"),
            ],
            vec![extension("2.5.29.15", &[0x03, 0x02, 0x05, 0xa0])],
            vec![bc(&w::seq(&[&w::boolean(false)]))],
            vec![bc(&w::seq(&[&w::boolean(true), &w::uint(&[0x80])]))],
            vec![bc(&w::seq(&[&w::tlv(0x01, &[0x01])]))],
            vec![bc(&[0x30, 0x81, 0x03, 0x01, 0x01, 0xff])],
            vec![san(&dns(&["", "with space.example", "*.example.com"]))],
            vec![san(&dns(&["caf\u{e9}.example"]))],
            vec![san(&w::seq(&[&w::implicit(2, &[0x61, 0xff, 0x62])]))],
            vec![san(&w::seq(&[&w::implicit(2, &[0x61, 0x00, 0x62])]))],
            vec![san(&w::seq(&[&w::implicit(2, &[0x61, 0x7f])]))],
            vec![san(&dns(&[&"a".repeat(130)]))],
            vec![san(&dns(&[&"b".repeat(60), &"c".repeat(60), "d.example"]))],
            vec![san(&[0x30, 0x81, 0x03, 0x82, 0x01, 0x61])],
            vec![san(&w::seq(&[&w::tlv(0xa2, &w::implicit(2, b"x"))]))],
            vec![san(&w::seq(&[
                &w::implicit(2, b"e.example"),
                &w::implicit(1, b"a@b.example"),
            ]))],
            vec![san(&[0x30, 0x04, 0x82, 0x05, 0x61, 0x62])],
            vec![san(
                &[&dns(&["f.example"])[..], &[0x82, 0x01, 0x7a]].concat()
            )],
            vec![bc(&[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x80])],
        ];
        let ec = |parameters: Option<&[u8]>, algorithm: &str| {
            let algorithm = match parameters {
                Some(parameters) => w::seq(&[&w::oid(algorithm), parameters]),
                None => w::seq(&[&w::oid(algorithm)]),
            };
            let mut point = vec![4u8];
            point.extend_from_slice(&[7u8; 64]);
            w::seq(&[&algorithm, &w::bit_string(&point)])
        };
        let p256 = w::oid("1.2.840.10045.3.1.7");
        let mut constructed_oid = p256.clone();
        constructed_oid[0] = 0x26;
        let rsa = w::seq(&[
            &w::seq(&[&w::oid("1.2.840.113549.1.1.1"), &w::null()]),
            &w::bit_string(&w::seq(&[&w::uint(&[0, 0xc5, 1]), &w::uint(&[1, 0, 1])])),
        ]);
        let keys = vec![
            ec(Some(&p256), "1.2.840.10045.2.1"),
            ec(Some(&w::oid("1.3.132.0.34")), "1.2.840.10045.2.1"),
            ec(Some(&w::oid("1.3.132.0.35")), "1.2.840.10045.2.1"),
            ec(Some(&w::oid("1.2.156.10197.1.301")), "1.2.840.10045.2.1"),
            ec(Some(&w::oid("1.3.132.0.10")), "1.2.840.10045.2.1"),
            ec(Some(&w::null()), "1.2.840.10045.2.1"),
            ec(Some(&w::seq(&[&w::small_uint(1)])), "1.2.840.10045.2.1"),
            ec(Some(&constructed_oid), "1.2.840.10045.2.1"),
            ec(Some(&w::tlv(0x86, &p256[2..])), "1.2.840.10045.2.1"),
            ec(Some(&w::tlv(0x04, &p256[2..])), "1.2.840.10045.2.1"),
            ec(Some(&w::tlv(0x06, &[0x2a, 0x86])), "1.2.840.10045.2.1"),
            ec(None, "1.2.840.10045.2.1"),
            ec(None, "1.2.156.10197.1.301"),
            ec(Some(&p256), "1.2.156.10197.1.301"),
            ec(None, "1.3.101.112"),
            w::seq(&[
                &w::seq(&[&w::oid("1.3.101.112")]),
                &w::bit_string(&[9u8; 32]),
            ]),
            w::seq(&[
                &w::seq(&[&w::oid("1.3.101.113")]),
                &w::bit_string(&[9u8; 57]),
            ]),
            w::seq(&[
                &w::seq(&[&w::tlv(0x06, &[0x2a, 0x86])]),
                &w::bit_string(&[1]),
            ]),
            rsa,
        ];
        for spki in &keys {
            for signature in [
                "1.2.840.10045.4.3.2",
                "1.2.840.113549.1.1.5",
                "1.2.840.10045.4.1",
            ] {
                agrees_with_reference(&synthetic(spki, &[], signature));
            }
            for extensions in &extension_sets {
                agrees_with_reference(&synthetic(spki, extensions, "1.2.840.10045.4.3.2"));
            }
        }
        // The corners did reach the paths they aim at.
        let first = &keys[0];
        let parse = |extensions: &[Vec<u8>]| {
            let der = synthetic(first, extensions, "1.2.840.10045.4.3.2");
            let certificate = Certificate::parse(&der).unwrap();
            (certificate.is_ca(), certificate.dns_names())
        };
        assert_eq!(
            parse(&extension_sets[1]),
            (true, vec!["www.example.com".to_owned()])
        );
        assert_eq!(
            parse(&extension_sets[5]),
            (false, vec!["www.example.com".to_owned()])
        );
        assert_eq!(
            parse(&extension_sets[10]).1,
            vec!["www.example.com".to_owned()]
        );
        assert_eq!(parse(&extension_sets[14]).1, vec!["a.example".to_owned()]);
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
