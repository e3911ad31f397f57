//! `key_match`: structured keys and certificates.

use arbitrary::{Arbitrary, Unstructured};
#[cfg(fuzzing)]
use cert_preflight::fuzzing;
use cert_preflight::{Label, Options, Request, validate};

use super::{label_text, profile_taking_every_key};
use crate::common::NOW;
use crate::der::{self, Time};
use crate::fixtures::cert::{CN, ECDSA_WITH_SHA256};
use crate::fixtures::keys::{Curve, EC_PUBLIC_KEY, ED25519, RSA_ENCRYPTION};
use crate::leak::{Secrets, check_verdict};
use crate::pem;

/// The committed RSA keys (PKCS#8) a structured input may pick: RSA key generation is too slow
/// for a fuzz target. `rsa-3prime` is refused (multi-prime).
pub const RSA_KEYS: &[(&str, &str)] = &[
    (
        "rsa1024",
        include_str!("../../../../testdata/keys/rsa1024.pem"),
    ),
    (
        "rsa2048",
        include_str!("../../../../testdata/keys/rsa2048.pem"),
    ),
    (
        "rsa2048-b",
        include_str!("../../../../testdata/keys/rsa2048-b.pem"),
    ),
    (
        "rsa-e3",
        include_str!("../../../../testdata/keys/rsa-e3.pem"),
    ),
    (
        "rsa-3prime",
        include_str!("../../../../testdata/keys/rsa-3prime.pem"),
    ),
];

/// A curve of the structured input.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveChoice {
    /// P-256
    P256,
    /// P-384
    P384,
    /// P-521
    P521,
    /// SM2
    Sm2,
}

impl CurveChoice {
    fn len(self) -> usize {
        match self {
            CurveChoice::P256 | CurveChoice::Sm2 => 32,
            CurveChoice::P384 => 48,
            CurveChoice::P521 => 66,
        }
    }

    fn oid(self) -> &'static str {
        match self {
            CurveChoice::P256 => Curve::P256,
            CurveChoice::P384 => Curve::P384,
            CurveChoice::P521 => Curve::P521,
            CurveChoice::Sm2 => Curve::Sm2,
        }
        .oid()
    }

    /// The public point of `scalar` (compressed or not), computed with the curve crates
    /// directly; `None` when the scalar is 0 or not below the order.
    fn point(self, scalar: &[u8], compress: bool) -> Option<Vec<u8>> {
        macro_rules! point {
            ($c:ident) => {{
                use $c::elliptic_curve::sec1::ToSec1Point;
                $c::SecretKey::from_slice(scalar)
                    .ok()
                    .map(|k| k.public_key().to_sec1_point(compress).as_bytes().to_vec())
            }};
        }
        match self {
            CurveChoice::P256 => point!(p256),
            CurveChoice::P384 => point!(p384),
            CurveChoice::P521 => point!(p521),
            CurveChoice::Sm2 => point!(sm2),
        }
    }
}

/// A private key of the structured input.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum KeyChoice {
    /// One of [`RSA_KEYS`].
    Rsa(u8),
    /// An EC key: the scalar is the curve's width of these bytes (cycled).
    Ec(CurveChoice, [u8; 8], Vec<u8>),
    /// An Ed25519 seed.
    Ed25519([u8; 32]),
}

/// How the key is written.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Encoding {
    /// RSA: PKCS#1. EC: SEC1 with parameters and public key. Ed25519: PKCS#8 v1.
    Native,
    /// PKCS#8 (v1; EC with the public key inside the SEC1).
    Pkcs8,
    /// EC: SEC1 without the public key (`-no_public`); Ed25519: PKCS#8 v2.
    NoPublic,
    /// EC: `EC PARAMETERS` then SEC1 without parameters; Ed25519: PKCS#8 v2.
    WithParametersBlock,
}

/// The certificate's public key.
#[derive(Arbitrary, Debug, Clone)]
pub enum CertificateKey {
    /// The key's own public key.
    Same,
    /// The key's own, an EC point compressed.
    Compressed,
    /// Another key's.
    Other(KeyChoice),
    /// Any SubjectPublicKeyInfo bytes.
    Raw(Vec<u8>),
}

/// A byte of the key's or the certificate's DER changed.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Mutation {
    /// In the key (else in the certificate).
    pub in_key: bool,
    /// Where (modulo the length).
    pub offset: u16,
    /// XORed into the byte (0 truncates there instead).
    pub xor: u8,
}

/// The structured input of `key_match`.
#[derive(Arbitrary, Debug, Clone)]
pub struct KeyMatchInput {
    /// The private key.
    pub key: KeyChoice,
    /// Its encoding.
    pub encoding: Encoding,
    /// The certificate's key.
    pub certificate: CertificateKey,
    /// Put an unrelated certificate first (the key matches certificate 1).
    pub leaf_second: bool,
    /// A damaged byte.
    pub mutation: Option<Mutation>,
    /// The profile to check with (an index into `Profile::ALL`, wrapping).
    pub profile: u8,
}

/// A built key: its label, DER, the DER of an `EC PARAMETERS` block, its SPKI (uncompressed
/// and compressed), and whether it is valid.
struct BuiltKey {
    label: Label,
    der: Vec<u8>,
    parameters: Option<Vec<u8>>,
    spki: Option<(Vec<u8>, Vec<u8>)>,
}

fn ec_spki(curve: CurveChoice, point: &[u8]) -> Vec<u8> {
    let algorithm = der::seq(&[&der::oid(EC_PUBLIC_KEY), &der::oid(curve.oid())]);
    der::seq(&[&algorithm, &der::bit_string(point)])
}

/// The RSA key's PKCS#8, and its n and e read by hand.
fn rsa_key(index: u8) -> (&'static str, Vec<u8>, Vec<u8>, Vec<u8>) {
    let (name, text) = RSA_KEYS[usize::from(index) % RSA_KEYS.len()];
    let pkcs8 = pem::decode_all(text).swap_remove(0).1;
    let (n, e) = {
        let (_, info, _) = der::read(&pkcs8).unwrap();
        let (_, _version, rest) = der::read(info).unwrap();
        let (_, _algorithm, rest) = der::read(rest).unwrap();
        let (_, pkcs1, _) = der::read(rest).unwrap();
        let (_, fields, _) = der::read(pkcs1).unwrap();
        let (_, _version, rest) = der::read(fields).unwrap();
        let (_, n, rest) = der::read(rest).unwrap();
        let (_, e, _) = der::read(rest).unwrap();
        (n.to_vec(), e.to_vec())
    };
    (name, pkcs8, n, e)
}

fn build_key(choice: &KeyChoice, encoding: Encoding) -> BuiltKey {
    match choice {
        KeyChoice::Rsa(index) => {
            let (name, pkcs8, n, e) = rsa_key(*index);
            let spki_key = der::seq(&[&der::uint(&n), &der::uint(&e)]);
            let algorithm = der::seq(&[&der::oid(RSA_ENCRYPTION), &der::null()]);
            let spki = der::seq(&[&algorithm, &der::bit_string(&spki_key)]);
            let valid = name != "rsa-3prime";
            let (label, der) = match encoding {
                Encoding::Native | Encoding::NoPublic => {
                    let (_, info, _) = der::read(&pkcs8).unwrap();
                    let (_, _, rest) = der::read(info).unwrap();
                    let (_, _, rest) = der::read(rest).unwrap();
                    let (_, pkcs1, _) = der::read(rest).unwrap();
                    (Label::RsaPrivateKey, pkcs1.to_vec())
                }
                _ => (Label::PrivateKey, pkcs8),
            };
            BuiltKey {
                label,
                der,
                parameters: None,
                spki: valid.then(|| (spki.clone(), spki)),
            }
        }
        KeyChoice::Ec(curve, head, tail) => {
            let scalar: Vec<u8> = head
                .iter()
                .chain(tail.iter())
                .copied()
                .cycle()
                .take(curve.len())
                .collect();
            let point = curve.point(&scalar, false);
            let compressed = curve.point(&scalar, true);
            let parameters = der::oid(curve.oid());
            let sec1 = |with_parameters: bool, public: bool| {
                let mut fields = vec![der::uint(&[1]), der::octet_string(&scalar)];
                if with_parameters {
                    fields.push(der::explicit(0, &parameters));
                }
                if public && let Some(point) = &point {
                    fields.push(der::explicit(1, &der::bit_string(point)));
                }
                der::seq(&fields.iter().map(Vec::as_slice).collect::<Vec<_>>())
            };
            let (label, der, parameters_block) = match encoding {
                Encoding::Native => (Label::EcPrivateKey, sec1(true, true), None),
                Encoding::NoPublic => (Label::EcPrivateKey, sec1(true, false), None),
                Encoding::WithParametersBlock => (
                    Label::EcPrivateKey,
                    sec1(false, true),
                    Some(parameters.clone()),
                ),
                Encoding::Pkcs8 => {
                    let algorithm = der::seq(&[&der::oid(EC_PUBLIC_KEY), &parameters]);
                    let der = der::seq(&[
                        &der::uint(&[0]),
                        &algorithm,
                        &der::octet_string(&sec1(false, true)),
                    ]);
                    (Label::PrivateKey, der, None)
                }
            };
            BuiltKey {
                label,
                der,
                parameters: parameters_block,
                spki: point
                    .zip(compressed)
                    .map(|(p, c)| (ec_spki(*curve, &p), ec_spki(*curve, &c))),
            }
        }
        KeyChoice::Ed25519(seed) => {
            let public = ed25519_dalek::SigningKey::from_bytes(seed)
                .verifying_key()
                .to_bytes();
            let algorithm = der::seq(&[&der::oid(ED25519)]);
            let private = der::octet_string(&der::octet_string(seed));
            let der = match encoding {
                Encoding::Native | Encoding::Pkcs8 => {
                    der::seq(&[&der::uint(&[0]), &algorithm, &private])
                }
                Encoding::NoPublic | Encoding::WithParametersBlock => {
                    let mut bits = vec![0u8];
                    bits.extend_from_slice(&public);
                    der::seq(&[
                        &der::uint(&[1]),
                        &algorithm,
                        &private,
                        &der::implicit(1, &bits),
                    ])
                }
            };
            let spki = der::seq(&[&algorithm, &der::bit_string(&public)]);
            BuiltKey {
                label: Label::PrivateKey,
                der,
                parameters: None,
                spki: Some((spki.clone(), spki)),
            }
        }
    }
}

pub(super) fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let at = usize::from(mutation.offset) % bytes.len();
    if mutation.xor == 0 {
        bytes.truncate(at);
    } else {
        bytes[at] ^= mutation.xor;
    }
}

/// A structured input builds a key (RSA from the committed keys, EC from any scalar on the
/// four curves, Ed25519 from any seed) in any encoding, and a certificate with its own public
/// key (or another's, or any bytes). Unchanged, a valid key matches its own certificate —
/// through the whole pipeline, which accepts the pair, and with `cfg(fuzzing)` through the
/// hooks too — and does not match another key's; a key that is not valid is `Key.Malformed`;
/// anything damaged gets catalog codes only; nothing printed holds key material.
pub fn key_match(data: &[u8]) {
    let Ok(input) = KeyMatchInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    check_key_match(&input);
}

/// The body of [`key_match`] on a decoded input.
pub fn check_key_match(input: &KeyMatchInput) {
    let mut key = build_key(&input.key, input.encoding);
    let own_spki = key.spki.clone();
    let spki = match (&input.certificate, &own_spki) {
        (CertificateKey::Same, Some((spki, _))) => spki.clone(),
        (CertificateKey::Compressed, Some((_, compressed))) => compressed.clone(),
        (CertificateKey::Other(other), _) => build_key(other, Encoding::Native)
            .spki
            .map_or_else(fixture_spki, |(spki, _)| spki),
        (CertificateKey::Raw(bytes), _) => bytes.clone(),
        (_, None) => fixture_spki(),
    };
    // The key's own public key, however the certificate came by it.
    let same = own_spki
        .as_ref()
        .is_some_and(|(plain, compressed)| spki == *plain || spki == *compressed);
    let mut certificate = certificate_for(&spki);
    let mutated = input.mutation.is_some();
    if let Some(mutation) = &input.mutation {
        if mutation.in_key {
            mutate(&mut key.der, mutation);
        } else {
            mutate(&mut certificate, mutation);
        }
    }
    let valid = key.spki.is_some();

    let mut secrets = Secrets::default();
    secrets.add_der(&key.der);
    secrets.allow(&certificate);
    secrets.allow_hex(&certificate);
    #[cfg(fuzzing)]
    through_hooks(input, &key, &certificate, same, &mut secrets);
    #[cfg(not(fuzzing))]
    secrets.allow_rsa_public(&key.der);

    // The pipeline, with the certificate as a chain (after an unrelated one if asked).
    let mut chain = String::new();
    if input.leaf_second {
        chain.push_str(&pem::block(
            "CERTIFICATE",
            &certificate_for(&fixture_spki()),
        ));
    }
    chain.push_str(&pem::block("CERTIFICATE", &certificate));
    let mut key_text = String::new();
    if let Some(parameters) = &key.parameters {
        key_text.push_str(&pem::block("EC PARAMETERS", parameters));
    }
    key_text.push_str(&pem::block(label_text(&key.label), &key.der));
    secrets.allow(chain.as_bytes());
    let request = Request::upload(chain.as_str(), key_text.as_str())
        .with_domain("www.example.com")
        .with_cert_name("fuzz");
    let profile = profile_taking_every_key(usize::from(input.profile));
    let verdict = validate(profile, &request, &Options::at(NOW));
    check_verdict(profile, &verdict, &secrets);
    if !mutated {
        let codes: Vec<&str> = verdict.findings().iter().map(|f| f.code()).collect();
        // The profile's own codes (vod answers row 17 with SSLPri.Malformed).
        let malformed = profile.codes.private_key_malformed.code();
        if !valid {
            // Row 17; only a certificate of any bytes (row 15) may come first.
            assert!(codes.contains(&malformed), "{verdict:?}");
            if !matches!(input.certificate, CertificateKey::Raw(_)) {
                assert_eq!(codes.first(), Some(&malformed), "{verdict:?}");
            }
        } else if matches!(input.certificate, CertificateKey::Raw(_)) {
            // Any bytes: only the catalog invariants.
        } else if (same && !input.leaf_second)
            || (input.leaf_second && own_spki.is_some_and(|(own, _)| own == fixture_spki()))
        {
            assert!(verdict.is_accepted(), "{verdict:?}");
        } else {
            assert_eq!(
                codes.first(),
                Some(&profile.codes.mismatch.code()),
                "{verdict:?}"
            );
        }
    }
}

/// The key and the certificate through the hooks: parsed and derived, a key that derives
/// matches its own public key; unchanged, a key derives exactly when it is valid and matches the
/// certificate exactly when the certificate holds its own public key; nothing printed holds key
/// material.
#[cfg(fuzzing)]
fn through_hooks(
    input: &KeyMatchInput,
    key: &BuiltKey,
    certificate: &[u8],
    same: bool,
    secrets: &mut Secrets,
) {
    let derived = fuzzing::private_key(&key.label, &key.der, key.parameters.as_deref());
    let parsed = fuzzing::certificate(certificate);
    if let Ok(derived) = &derived {
        secrets.allow_public_key(&derived.public());
        assert_eq!(fuzzing::key_match(derived, &derived.public()), Ok(()));
    }
    if input.mutation.is_none() {
        assert_eq!(derived.is_ok(), key.spki.is_some(), "{derived:?}");
        let info = parsed.as_ref();
        if let (Ok(derived), Ok(info)) = (&derived, info) {
            let matched = fuzzing::key_match(derived, &info.key);
            assert_eq!(matched.is_ok(), same, "{matched:?}");
            if let Err(mismatch) = &matched {
                secrets.check("mismatch", &mismatch.to_string());
            }
        } else if !matches!(input.certificate, CertificateKey::Raw(_)) {
            assert!(parsed.is_ok(), "{parsed:?}");
        }
    }
    secrets.check("derived key", &format!("{derived:?}"));
    if let Err(problem) = &derived {
        secrets.check("key problem", &problem.to_string());
    }
}

/// The SPKI of a fixed P-256 key (scalar 0x11…11): the certificate key for inputs whose own key
/// is invalid, and the unrelated certificate put first when `leaf_second` is set.
fn fixture_spki() -> Vec<u8> {
    static SPKI: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SPKI.get_or_init(|| {
        let point = CurveChoice::P256.point(&[0x11; 32], false).unwrap();
        ec_spki(CurveChoice::P256, &point)
    })
    .clone()
}

/// A self-issued certificate for `www.example.com` (CN only), valid 2026-01-01 → 2027-01-01,
/// holding `spki`. The signature is not a real one: the checks do not verify signatures.
pub fn certificate_for(spki: &[u8]) -> Vec<u8> {
    let name = der::seq(&[&der::set(&[&der::seq(&[
        &der::oid(CN),
        &der::utf8_string("www.example.com"),
    ])])]);
    let algorithm = der::seq(&[&der::oid(ECDSA_WITH_SHA256)]);
    let tbs = der::seq(&[
        &der::explicit(0, &der::uint(&[2])),
        &der::uint(&[0x42, 0x01, 0x02, 0x03]),
        &algorithm,
        &name,
        &der::seq(&[&Time::date(2026, 1, 1).der(), &Time::date(2027, 1, 1).der()]),
        &name,
        spki,
    ]);
    der::seq(&[&tbs, &algorithm, &der::bit_string(&[0x55; 8])])
}
