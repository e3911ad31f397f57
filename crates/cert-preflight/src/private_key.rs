//! Private keys: PKCS#1 (RFC 8017), PKCS#8 v1 and v2 (RFC 5958) and SEC1 (RFC 5915).
//!
//! A key is parsed in place from its DER (which lives in a buffer that is zeroized on drop),
//! never copied into a longer-lived value, and never printed: the types here have no `Clone`,
//! and their `Debug` shows the algorithm only. Refusals name what is wrong — a password, a
//! public key given as private, an algorithm this crate does not check — never key bytes.

use core::fmt;

use der::asn1::{AnyRef, BitStringRef, ContextSpecific, OctetStringRef, UintRef};
use der::{Decode, DecodeValue, FixedTag, Header, Reader, Tag, TagMode, TagNumber};

use crate::algorithm::{self, Curve, Unsupported};
use zeroize::Zeroizing;

use crate::pem::{self, Block, Field, Label, PemError};

/// The encoding a key block claims by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyFormat {
    /// PKCS#1 `RSA PRIVATE KEY`
    Pkcs1,
    /// PKCS#8 `PRIVATE KEY`
    Pkcs8,
    /// SEC1 `EC PRIVATE KEY`
    Sec1,
    /// `EC PARAMETERS`
    EcParameters,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyFormat::Pkcs1 => "PKCS#1 RSA PRIVATE KEY",
            KeyFormat::Pkcs8 => "PKCS#8 PRIVATE KEY",
            KeyFormat::Sec1 => "SEC1 EC PRIVATE KEY",
            KeyFormat::EcParameters => "EC PARAMETERS",
        })
    }
}

/// A relation between the parts of a private key that does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Inconsistency {
    /// RSA: n ≠ p·q.
    ModulusNotProduct,
    /// RSA: e·d ≢ 1 (mod p−1) or (mod q−1).
    PrivateExponent,
    /// RSA: dP ≠ d mod (p−1) or dQ ≠ d mod (q−1).
    CrtExponent,
    /// RSA: qInv·q ≢ 1 (mod p).
    CrtCoefficient,
    /// EC / Ed25519: the public key stored in the key file is not the one the private key
    /// derives.
    EmbeddedPublicKey,
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Inconsistency::ModulusNotProduct => {
                "its primes p and q do not multiply to its modulus n (p·q ≠ n)"
            }
            Inconsistency::PrivateExponent => {
                "its private exponent d does not invert e (e·d ≢ 1 mod p−1 or q−1)"
            }
            Inconsistency::CrtExponent => {
                "its CRT exponents do not match d (dP ≠ d mod p−1 or dQ ≠ d mod q−1)"
            }
            Inconsistency::CrtCoefficient => {
                "its CRT coefficient does not invert q modulo p (qInv·q ≢ 1 mod p)"
            }
            Inconsistency::EmbeddedPublicKey => {
                "the public key stored in the key file is not the one its private key derives"
            }
        })
    }
}

/// Why the private-key block is not a usable private key (row 17 of the check table).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// Password-protected: `ENCRYPTED PRIVATE KEY`, or a `Proc-Type: 4,ENCRYPTED` header.
    Encrypted {
        /// The way it is protected, in words.
        form: &'static str,
    },
    /// A public key was given where the private key belongs.
    PublicKey {
        /// Its label.
        label: Label,
    },
    /// An algorithm or curve this crate (and the service) does not take.
    Unsupported(Unsupported),
    /// An OpenSSH private key (`OPENSSH PRIVATE KEY`, ssh-keygen's own format).
    OpenSsh {
        /// Its algorithm, read from the public key the file carries in clear (`None` when it
        /// is not one ssh-keygen writes or the file is unreadable).
        algorithm: Option<&'static str>,
        /// Protected by a passphrase.
        encrypted: bool,
    },
    /// A container format that is not PKCS#1, PKCS#8 or SEC1.
    UnsupportedFormat {
        /// Its label.
        label: Label,
    },
    /// The DER does not parse as the format the label names.
    Der {
        /// The format the label names.
        format: KeyFormat,
        /// The decoder's reason (tags and positions, never content).
        reason: String,
    },
    /// An RSA key with more than two primes.
    MultiPrime,
    /// An RSA modulus above the supported size.
    TooLarge {
        /// Its size in bits.
        bits: usize,
    },
    /// An RSA public exponent no RSA key can have.
    BadExponent {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The key's parts do not fit together (a key spliced from two keys, or corrupted).
    Inconsistent(Inconsistency),
    /// An EC private scalar of 0 or not below the group order.
    ScalarOutOfRange {
        /// The curve.
        curve: Curve,
    },
    /// Two places in the key file name different curves.
    CurveConflict {
        /// The curve named by the outer structure.
        outer: Curve,
        /// The curve named by the inner one.
        inner: String,
    },
    /// An encoding the API does not take (CLB takes PKCS#1 only).
    FormatNotTaken {
        /// The key's encoding.
        format: KeyFormat,
        /// The encodings the API takes.
        taken: &'static [KeyFormat],
    },
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyProblem::Encrypted { form } => write!(
                f,
                "the key is password-protected ({form}); password-protected keys are not \
                 supported: remove the password (e.g. `openssl pkey -in key.pem -out plain.pem`)"
            ),
            KeyProblem::PublicKey { label } => write!(
                f,
                "a public key ({label}) was given where the private key belongs: give the \
                 private key the certificate was requested with (its BEGIN line names a PRIVATE \
                 KEY)"
            ),
            KeyProblem::OpenSsh {
                algorithm,
                encrypted,
            } => {
                f.write_str("it is an OpenSSH ")?;
                if let Some(algorithm) = algorithm {
                    write!(f, "{algorithm} ")?;
                }
                f.write_str(
                    "private key (OPENSSH PRIVATE KEY, ssh-keygen's own format), which the \
                     service does not read",
                )?;
                let passphrase = if *encrypted {
                    ", and asks for its passphrase"
                } else {
                    ""
                };
                match algorithm {
                    Some("DSA") => f.write_str("; DSA keys are not supported in any format"),
                    Some("Ed25519") => f.write_str(
                        "; ssh-keygen cannot write an Ed25519 key as PEM, and a certificate's \
                         key is the one its request (CSR) was made with: give that key",
                    ),
                    Some(_) => write!(
                        f,
                        ": convert a copy to PEM with `ssh-keygen -p -m PEM -f KEY` (it rewrites \
                         KEY in place{passphrase})"
                    ),
                    None => write!(
                        f,
                        ": convert a copy to PEM with `ssh-keygen -p -m PEM -f KEY` (RSA and ECDSA \
                         keys; it rewrites KEY in place{passphrase})"
                    ),
                }
            }
            KeyProblem::Unsupported(what) => what.fmt(f),
            KeyProblem::UnsupportedFormat { label } => write!(
                f,
                "{label} is not a supported key format (use PKCS#1, PKCS#8 or SEC1 PEM)"
            ),
            KeyProblem::Der { format, reason } => {
                write!(f, "the block is not a valid {format} ({reason})")
            }
            KeyProblem::MultiPrime => f.write_str("multi-prime RSA keys are not supported"),
            KeyProblem::TooLarge { bits } => write!(
                f,
                "RSA keys of {bits} bits are not supported (the maximum is {MAX_RSA_BITS})"
            ),
            KeyProblem::BadExponent { reason } => {
                write!(f, "the RSA public exponent {reason}")
            }
            KeyProblem::Inconsistent(what) => write!(f, "the key is inconsistent: {what}"),
            KeyProblem::ScalarOutOfRange { curve } => write!(
                f,
                "the {curve} private scalar is 0 or not below the group order"
            ),
            KeyProblem::CurveConflict { outer, inner } => {
                write!(f, "the key file names two curves: {outer} and {inner}")
            }
            KeyProblem::FormatNotTaken { format, taken } => {
                let names: Vec<String> = taken.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "the key is a {format}; this API takes only {}",
                    names.join(" or ")
                )?;
                if *taken == [KeyFormat::Pkcs1] {
                    f.write_str(
                        " (an RSA key: convert it with `openssl rsa -in key.pem -out \
                         key.pkcs1.pem -traditional`; an EC key cannot be converted: the API \
                         takes RSA certificates only)",
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// The encoding a key block's label names, when it is a private-key encoding.
pub(crate) fn format_of(label: &Label) -> Option<KeyFormat> {
    match label {
        Label::RsaPrivateKey => Some(KeyFormat::Pkcs1),
        Label::PrivateKey => Some(KeyFormat::Pkcs8),
        Label::EcPrivateKey => Some(KeyFormat::Sec1),
        _ => None,
    }
}

/// The largest RSA modulus checked; larger keys are refused before any arithmetic.
pub(crate) const MAX_RSA_BITS: usize = 16_384;

/// A private key's DER, as a TLS library loads it: what [`private_key_der`] reads. The buffer
/// is zeroized on drop; `Debug` shows no byte; it cannot be cloned.
pub struct KeyDer {
    format: KeyFormat,
    der: Zeroizing<Vec<u8>>,
}

impl KeyDer {
    /// Its encoding: PKCS#1, PKCS#8 or SEC1.
    pub fn format(&self) -> KeyFormat {
        self.format
    }

    /// The DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }
}

impl fmt::Debug for KeyDer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyDer({}, [secret key elided])", self.format)
    }
}

/// The DER of the private key in `text` (one PKCS#1, PKCS#8 or SEC1 block), read with the
/// checks' own PEM reader: for a program that checked a pair with `validate` and now loads it
/// (a TLS server). It decodes; it does not check the key (the checks do).
pub fn private_key_der(text: &str) -> Result<KeyDer, PemError> {
    let framed = pem::frame(text, Field::PrivateKey).map_err(PemError::Framing)?;
    let blocks = pem::key_blocks(&framed)?;
    let format = match blocks.key.label {
        Label::RsaPrivateKey => KeyFormat::Pkcs1,
        Label::EcPrivateKey => KeyFormat::Sec1,
        Label::PrivateKey => KeyFormat::Pkcs8,
        _ => {
            return Err(PemError::NoPrivateKey {
                found: vec![blocks.key.label.clone()],
            });
        }
    };
    let der = blocks
        .key
        .decode(Field::PrivateKey)
        .map_err(|_| PemError::NoPrivateKey { found: Vec::new() })?;
    Ok(KeyDer { format, der })
}

/// A parsed private key, borrowing the zeroized DER buffer it came from.
pub(crate) enum PrivateKey<'a> {
    /// RSA: all eight integers of RFC 8017 §A.1.2.
    Rsa(pkcs1::RsaPrivateKey<UintRef<'a>>),
    /// EC: the private scalar and, when the file has one, the stored public point.
    Ec {
        curve: Curve,
        scalar: &'a [u8],
        public: Option<&'a [u8]>,
    },
    /// Ed25519: the 32-byte seed and, for PKCS#8 v2, the stored public key.
    Ed25519 {
        seed: &'a [u8],
        public: Option<&'a [u8]>,
    },
}

impl fmt::Debug for PrivateKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrivateKey::Rsa(_) => f.write_str("PrivateKey::Rsa([secret key elided])"),
            PrivateKey::Ec { curve, .. } => {
                write!(f, "PrivateKey::Ec({curve}, [secret key elided])")
            }
            PrivateKey::Ed25519 { .. } => f.write_str("PrivateKey::Ed25519([secret key elided])"),
        }
    }
}

/// Refusals decided by the block's label and headers alone, before its body is decoded.
pub(crate) fn refuse(block: &Block<'_>) -> Option<KeyProblem> {
    if block.encrypted {
        return Some(KeyProblem::Encrypted {
            form: "Proc-Type: 4,ENCRYPTED header",
        });
    }
    match &block.label {
        Label::EncryptedPrivateKey => Some(KeyProblem::Encrypted {
            form: "ENCRYPTED PRIVATE KEY",
        }),
        Label::PublicKey | Label::RsaPublicKey => Some(KeyProblem::PublicKey {
            label: block.label.clone(),
        }),
        Label::DsaPrivateKey => Some(KeyProblem::Unsupported(Unsupported::Algorithm(
            "DSA".to_owned(),
        ))),
        Label::OpensshPrivateKey => {
            let (algorithm, encrypted) = block
                .decode(Field::PrivateKey)
                .ok()
                .and_then(|body| openssh_header(&body))
                .map_or((None, false), |(algorithm, encrypted)| {
                    (algorithm, encrypted)
                });
            Some(KeyProblem::OpenSsh {
                algorithm,
                encrypted,
            })
        }
        _ => None,
    }
}

/// The algorithm and passphrase flag of an OpenSSH private key, read from the parts the format
/// keeps in clear (PROTOCOL.key: magic, cipher name, KDF, key count, then the public key whose
/// first string is its type). Only the names ssh-keygen writes are returned.
fn openssh_header(body: &[u8]) -> Option<(Option<&'static str>, bool)> {
    fn string<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        let (value, tail) = (tail.get(..len)?, tail.get(len..)?);
        *rest = tail;
        Some(value)
    }
    let mut rest = body.strip_prefix(b"openssh-key-v1\0")?;
    let cipher = string(&mut rest)?;
    string(&mut rest)?; // KDF name
    string(&mut rest)?; // KDF options
    let (_, tail) = rest.split_first_chunk::<4>()?; // number of keys
    rest = tail;
    let mut public = string(&mut rest)?;
    let algorithm = match string(&mut public)? {
        b"ssh-rsa" => Some("RSA"),
        b"ssh-ed25519" => Some("Ed25519"),
        b"ecdsa-sha2-nistp256" => Some("ECDSA P-256"),
        b"ecdsa-sha2-nistp384" => Some("ECDSA P-384"),
        b"ecdsa-sha2-nistp521" => Some("ECDSA P-521"),
        b"ssh-dss" => Some("DSA"),
        _ => None,
    };
    Some((algorithm, cipher != b"none"))
}

/// Parses the DER of a key block whose label `refuse` accepted. `parameters` is the DER of a
/// preceding `EC PARAMETERS` block.
pub(crate) fn parse<'a>(
    label: &Label,
    der: &'a [u8],
    parameters: Option<&[u8]>,
) -> Result<PrivateKey<'a>, KeyProblem> {
    let outer = parameters
        .map(|p| {
            algorithm::curve_from_parameters(p).map_err(|e| match e {
                Unsupported::Curve(name) if name == "(unreadable parameters)" => KeyProblem::Der {
                    format: KeyFormat::EcParameters,
                    reason: "not a named-curve OID".to_owned(),
                },
                other => KeyProblem::Unsupported(other),
            })
        })
        .transpose()?;
    match label {
        Label::RsaPrivateKey => parse_pkcs1(der),
        Label::PrivateKey => parse_pkcs8(der),
        Label::EcPrivateKey => parse_sec1(der, outer, KeyFormat::Sec1),
        other => Err(KeyProblem::UnsupportedFormat {
            label: other.clone(),
        }),
    }
}

fn der_problem(format: KeyFormat) -> impl Fn(der::Error) -> KeyProblem {
    move |e| KeyProblem::Der {
        format,
        reason: e.kind().to_string(),
    }
}

fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey<'_>, KeyProblem> {
    let key = pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(der)
        .map_err(der_problem(KeyFormat::Pkcs1))?;
    if key.other_prime_infos.is_some() {
        return Err(KeyProblem::MultiPrime);
    }
    Ok(PrivateKey::Rsa(key))
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey<'_>, KeyProblem> {
    match pkcs8_named_curve(der) {
        Some(key) => Ok(key),
        None => parse_pkcs8_in_full(der),
    }
}

/// One DER TLV of tag `tag` at the start of `input`, its length definite and minimal (the short
/// form, or a long form of one or two bytes that the shorter form could not hold): its
/// content and what follows it.
fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        0..=0x7f => (usize::from(first), rest),
        0x81 => match rest.split_first()? {
            (&len, rest) if len >= 0x80 => (usize::from(len), rest),
            _ => return None,
        },
        0x82 => match rest.split_first_chunk::<2>()? {
            (&len, rest) if len[0] != 0 => (usize::from(u16::from_be_bytes(len)), rest),
            _ => return None,
        },
        _ => return None,
    };
    Some((rest.get(..len)?, rest.get(len..)?))
}

/// The EC key most PKCS#8 files hold, read straight from its bytes: version 0, id-ecPublicKey
/// with a supported named curve, and a SEC1 `ECPrivateKey` (version 1, the scalar, optionally
/// the same curve and a public key), nothing else. `None` for anything else — another
/// algorithm or curve, attributes, a PKCS#8 v2 public key, a length or encoding the strict
/// form does not have, a scalar of the wrong size —, which [`parse_pkcs8_in_full`] then reads
/// and, when it refuses it, explains. What this accepts the full decoder accepts, with the
/// same result (tested on mutations of real keys).
fn pkcs8_named_curve(der: &[u8]) -> Option<PrivateKey<'_>> {
    let (info, rest) = tlv(der, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let rest = info.strip_prefix(&[0x02, 0x01, 0x00])?;
    let (algorithm, rest) = tlv(rest, 0x30)?;
    let (private_key, rest) = tlv(rest, 0x04)?;
    if !rest.is_empty() {
        return None;
    }
    let (oid, rest) = tlv(algorithm, 0x06)?;
    if oid != algorithm::EC_PUBLIC_KEY.as_bytes() {
        return None;
    }
    let (named, rest) = tlv(rest, 0x06)?;
    let curve = Curve::from_oid_content(named).filter(|_| rest.is_empty())?;
    let (sec1, rest) = tlv(private_key, 0x30)?;
    if !rest.is_empty() {
        return None;
    }
    let sec1 = sec1.strip_prefix(&[0x02, 0x01, 0x01])?;
    let (scalar, mut rest) = tlv(sec1, 0x04)?;
    if scalar.is_empty() || scalar.len() > curve.scalar_len() {
        return None;
    }
    if rest.first() == Some(&0xa0) {
        let (parameters, tail) = tlv(rest, 0xa0)?;
        let (named, empty) = tlv(parameters, 0x06)?;
        if Curve::from_oid_content(named) != Some(curve) || !empty.is_empty() {
            return None;
        }
        rest = tail;
    }
    let mut public = None;
    if rest.first() == Some(&0xa1) {
        let (bits, tail) = tlv(rest, 0xa1)?;
        let (bits, empty) = tlv(bits, 0x03)?;
        if !empty.is_empty() {
            return None;
        }
        public = Some(bits.strip_prefix(&[0])?);
        rest = tail;
    }
    if !rest.is_empty() {
        return None;
    }
    Some(PrivateKey::Ec {
        curve,
        scalar,
        public,
    })
}

/// PKCS#8 with the full decoder: every algorithm and form, and the reason for a refusal.
fn parse_pkcs8_in_full(der: &[u8]) -> Result<PrivateKey<'_>, KeyProblem> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(der_problem(KeyFormat::Pkcs8))?;
    let oid = info.algorithm.oid;
    let inner = info.private_key.as_bytes();
    let public = info
        .public_key
        .as_ref()
        .map(|bits| {
            bits.as_bytes().ok_or(KeyProblem::Der {
                format: KeyFormat::Pkcs8,
                reason: "public key BIT STRING with unused bits".to_owned(),
            })
        })
        .transpose()?;
    if oid == algorithm::RSA_ENCRYPTION {
        return parse_pkcs1(inner);
    }
    if oid == algorithm::EC_PUBLIC_KEY || oid == algorithm::SM2_CURVE {
        let curve = if oid == algorithm::SM2_CURVE {
            Curve::Sm2
        } else {
            let parameters = info.algorithm.parameters.ok_or(KeyProblem::Der {
                format: KeyFormat::Pkcs8,
                reason: "EC key without curve parameters".to_owned(),
            })?;
            curve_of(parameters, KeyFormat::Pkcs8)?
        };
        let key = parse_sec1(inner, Some(curve), KeyFormat::Pkcs8)?;
        return Ok(match (key, public) {
            (
                PrivateKey::Ec {
                    curve,
                    scalar,
                    public: None,
                },
                Some(outer_public),
            ) => PrivateKey::Ec {
                curve,
                scalar,
                public: Some(outer_public),
            },
            (key, _) => key,
        });
    }
    if oid == algorithm::ED25519 {
        // RFC 8410 §7: the private key is an OCTET STRING holding the 32-byte seed.
        let seed = <&OctetStringRef>::from_der(inner)
            .map_err(der_problem(KeyFormat::Pkcs8))?
            .as_bytes();
        if seed.len() != 32 {
            return Err(KeyProblem::Der {
                format: KeyFormat::Pkcs8,
                reason: format!("Ed25519 private key of {} bytes, not 32", seed.len()),
            });
        }
        return Ok(PrivateKey::Ed25519 { seed, public });
    }
    Err(KeyProblem::Unsupported(Unsupported::Algorithm(
        algorithm::algorithm_name(&oid),
    )))
}

/// The curve EC parameters name. A supported named curve is read from its OID's bytes as they
/// are; anything else is re-encoded and decoded, to be named or refused.
fn curve_of(parameters: AnyRef<'_>, format: KeyFormat) -> Result<Curve, KeyProblem> {
    if der::Tagged::tag(&parameters) == Tag::ObjectIdentifier
        && let Some(curve) = Curve::from_oid_content(parameters.value())
    {
        return Ok(curve);
    }
    let der = der::Encode::to_der(&parameters).map_err(der_problem(format))?;
    algorithm::curve_from_parameters(&der).map_err(KeyProblem::Unsupported)
}

/// SEC1 `ECPrivateKey`, with its parameters kept as raw DER so explicit curves can be named.
struct Sec1Ref<'a> {
    scalar: &'a [u8],
    parameters: Option<AnyRef<'a>>,
    public: Option<BitStringRef<'a>>,
}

impl FixedTag for Sec1Ref<'_> {
    const TAG: Tag = Tag::Sequence;
}

impl<'a> DecodeValue<'a> for Sec1Ref<'a> {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        if u8::decode(reader)? != 1 {
            return Err(reader.error(Tag::Integer.value_error()));
        }
        let scalar = <&OctetStringRef>::decode(reader)?.as_bytes();
        let parameters = ContextSpecific::<AnyRef<'a>>::decode_explicit(reader, TagNumber(0))?
            .map(|field| field.value);
        let public = reader.context_specific(TagNumber(1), TagMode::Explicit)?;
        Ok(Sec1Ref {
            scalar,
            parameters,
            public,
        })
    }
}

fn parse_sec1(
    der: &[u8],
    outer: Option<Curve>,
    format: KeyFormat,
) -> Result<PrivateKey<'_>, KeyProblem> {
    let key = Sec1Ref::from_der(der).map_err(der_problem(format))?;
    let inner = key.parameters.map(|p| curve_of(p, format)).transpose()?;
    let curve = match (outer, inner) {
        (Some(outer), Some(inner)) if outer != inner => {
            return Err(KeyProblem::CurveConflict {
                outer,
                inner: inner.to_string(),
            });
        }
        (Some(curve), _) | (None, Some(curve)) => curve,
        (None, None) => {
            return Err(KeyProblem::Der {
                format,
                reason: "no curve is named (neither in the key nor in an EC PARAMETERS block)"
                    .to_owned(),
            });
        }
    };
    if key.scalar.is_empty() || key.scalar.len() > curve.scalar_len() {
        return Err(KeyProblem::Der {
            format,
            reason: format!(
                "{curve} private key of {} bytes (expected at most {})",
                key.scalar.len(),
                curve.scalar_len()
            ),
        });
    }
    let public = key
        .public
        .map(|bits| {
            bits.as_bytes().ok_or(KeyProblem::Der {
                format,
                reason: "public key BIT STRING with unused bits".to_owned(),
            })
        })
        .transpose()?;
    Ok(PrivateKey::Ec {
        curve,
        scalar: key.scalar,
        public,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An EC key as the fast path and the full decoder both give it.
    type EcView = (Curve, Vec<u8>, Option<Vec<u8>>);

    fn ec_view(key: &PrivateKey<'_>) -> Option<EcView> {
        match key {
            PrivateKey::Ec {
                curve,
                scalar,
                public,
            } => Some((*curve, scalar.to_vec(), public.map(<[u8]>::to_vec))),
            _ => None,
        }
    }

    /// The strict reading of PKCS#8 EC keys accepts only what the full decoder accepts, with the
    /// same curve, scalar and public key: on every PKCS#8 fixture, on keys of every supported
    /// curve with and without the optional fields, and on every one-byte change, insertion and
    /// truncation of each.
    #[test]
    fn strict_pkcs8_reads_what_the_full_decoder_reads() {
        use crate::test_support::der as w;
        let mut seeds: Vec<Vec<u8>> = Vec::new();
        let testdata = crate::test_support::testdata();
        for path in testdata
            .iter()
            .flat_map(|dir| crate::test_support::files_under(dir))
        {
            if let Ok(text) = std::fs::read_to_string(&path)
                && let Ok(framed) = pem::frame(&text, Field::PrivateKey)
            {
                for block in &framed.blocks {
                    if block.label == Label::PrivateKey
                        && let Ok(der) = block.decode(Field::PrivateKey)
                    {
                        seeds.push(der.to_vec());
                    }
                }
            }
        }
        let curves = [
            ("1.2.840.10045.3.1.7", 32),
            ("1.3.132.0.34", 48),
            ("1.3.132.0.35", 66),
            ("1.2.156.10197.1.301", 32),
        ];
        for (curve, len) in curves {
            let scalar = vec![0x5a; len];
            let point = [&[4u8][..], &vec![7u8; 2 * len]].concat();
            for (parameters, public, scalar) in [
                (false, false, &scalar[..]),
                (true, false, &scalar[..]),
                (false, true, &scalar[..]),
                (true, true, &scalar[1..]),
            ] {
                let mut fields = vec![w::small_uint(1), w::octet_string(scalar)];
                if parameters {
                    fields.push(w::explicit(0, &w::oid(curve)));
                }
                if public {
                    fields.push(w::explicit(1, &w::bit_string(&point)));
                }
                let sec1 = w::seq(&fields.iter().map(Vec::as_slice).collect::<Vec<_>>());
                let algorithm = w::seq(&[&w::oid("1.2.840.10045.2.1"), &w::oid(curve)]);
                let v1 = w::seq(&[&w::small_uint(0), &algorithm, &w::octet_string(&sec1)]);
                seeds.push(v1);
                let v2 = w::seq(&[
                    &w::small_uint(1),
                    &algorithm,
                    &w::octet_string(&sec1),
                    &w::implicit(1, &[&[0u8][..], &point].concat()),
                ]);
                seeds.push(v2);
            }
        }
        // Lengths in a longer form than they need (0x81 0x87 as 0x82 0x00 0x87, 0x20 as 0x81
        // 0x20 comes from the insertions below).
        for seed in seeds.clone() {
            if let [0x30, 0x81, len, rest @ ..] = &seed[..] {
                seeds.push([&[0x30, 0x82, 0x00, *len][..], rest].concat());
            }
        }
        // 32 made here and their longer-length forms; the fixtures add theirs.
        let least = if testdata.is_some() { 40 } else { 32 };
        assert!(seeds.len() > least, "{}", seeds.len());
        let mut fast = 0;
        let mut check = |der: &[u8]| {
            if let Some(key) = pkcs8_named_curve(der) {
                fast += 1;
                let full = parse_pkcs8_in_full(der).map(|key| ec_view(&key));
                assert_eq!(full, Ok(ec_view(&key)), "{der:02x?}");
            }
        };
        for seed in &seeds {
            check(seed);
            for i in 0..seed.len() {
                for value in [
                    0x00, 0x01, 0x02, 0x04, 0x06, 0x30, 0x7f, 0x80, 0x81, 0x82, 0xa0, 0xa1, 0xff,
                ] {
                    let mut changed = seed.clone();
                    changed[i] = value;
                    check(&changed);
                    changed[i] = seed[i].wrapping_add(1);
                    check(&changed);
                    changed[i] = seed[i].wrapping_sub(1);
                    check(&changed);
                }
                for value in [0x00, 0x05, 0x81, 0xa1] {
                    let mut longer = seed.clone();
                    longer.insert(i, value);
                    check(&longer);
                }
                check(&seed[..i]);
            }
        }
        // The real EC keys and the generated v1 ones take the fast path.
        assert!(fast >= 20, "{fast}");
    }

    /// Reading a named curve from its OID's bytes answers what re-encoding and decoding the
    /// parameters answers, for every kind of parameters.
    #[test]
    fn curves_read_from_bytes_as_when_decoded() {
        use crate::test_support::der as w;
        let p256 = w::oid("1.2.840.10045.3.1.7");
        let mut constructed = p256.clone();
        constructed[0] = 0x26;
        let cases = [
            p256.clone(),
            w::oid("1.3.132.0.34"),
            w::oid("1.3.132.0.35"),
            w::oid("1.2.156.10197.1.301"),
            w::oid("1.3.132.0.10"),
            w::tlv(0x06, &[0x2a, 0x86]),
            w::tlv(0x04, &p256[2..]),
            w::tlv(0x86, &p256[2..]),
            constructed,
            w::null(),
            w::seq(&[&w::small_uint(1)]),
        ];
        let mut fast = 0;
        for case in &cases {
            // der refuses some outright (a constructed OID tag): no key gets that far.
            let Ok(any) = AnyRef::from_der(case) else {
                continue;
            };
            let reference = der::Encode::to_der(&any)
                .map_err(der_problem(KeyFormat::Pkcs8))
                .and_then(|der| {
                    algorithm::curve_from_parameters(&der).map_err(KeyProblem::Unsupported)
                });
            assert_eq!(curve_of(any, KeyFormat::Pkcs8), reference, "{case:02x?}");
            fast += usize::from(reference.is_ok());
        }
        assert_eq!(fast, 4);
    }

    #[test]
    fn garbage_is_a_der_problem_naming_the_format() {
        let err = parse(&Label::RsaPrivateKey, &[0x30, 0x00], None).unwrap_err();
        assert!(
            matches!(
                err,
                KeyProblem::Der {
                    format: KeyFormat::Pkcs1,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse(&Label::EcPrivateKey, &[0x04, 0x01, 0x00], None).unwrap_err();
        assert!(
            matches!(
                err,
                KeyProblem::Der {
                    format: KeyFormat::Sec1,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn sec1_with_explicit_parameters_is_named() {
        // ECPrivateKey { 1, OCTET STRING(32 × 0x01), [0] { SEQUENCE {} } }
        let mut der = vec![0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x20];
        der.extend([0x01; 32]);
        der.extend([0xa0, 0x02, 0x30, 0x00]);
        assert_eq!(
            parse(&Label::EcPrivateKey, &der, None).unwrap_err(),
            KeyProblem::Unsupported(Unsupported::ExplicitCurve)
        );
    }

    #[test]
    fn sec1_without_any_curve_is_refused() {
        let mut der = vec![0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20];
        der.extend([0x01; 32]);
        let err = parse(&Label::EcPrivateKey, &der, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the block is not a valid SEC1 EC PRIVATE KEY (no curve is named (neither in the \
             key nor in an EC PARAMETERS block))"
        );
        let p256 = der::Encode::to_der(&Curve::P256.oid()).unwrap();
        let key = parse(&Label::EcPrivateKey, &der, Some(&p256)).unwrap();
        assert_eq!(
            format!("{key:?}"),
            "PrivateKey::Ec(P-256, [secret key elided])"
        );
    }
}
