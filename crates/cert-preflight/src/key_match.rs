//! Whether the key matches: the public key is derived from the private key — never taken from
//! the key file — and compared with a certificate's SubjectPublicKeyInfo.
//!
//! - RSA: n and e are compared as numbers, and the private parts must fit together:
//!   n = p·q, e·d ≡ 1 (mod p−1) and (mod q−1), dP = d mod (p−1), dQ = d mod (q−1),
//!   qInv·q ≡ 1 (mod p). No primality test (that is what makes OpenSSL's `EVP_PKEY_check`
//!   cost 30–200 ms). d, p and q are secret, so the arithmetic ([`crate::limbs`]) takes time
//!   that depends on the numbers' lengths only (p and q are half the public modulus), never on
//!   their values; only the verdict of each relation leaves this module.
//! - EC (P-256, P-384, P-521, SM2): the scalar must be in [1, n−1]; the point it derives must
//!   equal the certificate's point (compressed points are decompressed first) and the point
//!   stored in the key file, if any. Scalar multiplication is the curve crates' constant-time
//!   fixed-base one.
//! - Ed25519: the public key derived from the seed must equal the certificate's and the one a
//!   PKCS#8 v2 file stores.

use core::fmt;

use zeroize::Zeroizing;

use crate::algorithm::Curve;
use crate::certificate::{SubjectKey, bit_length, strip_leading_zeros};
use std::borrow::Cow;
use std::sync::OnceLock;

use crate::fixed_base::Table;
use crate::limbs;
use crate::private_key::{Inconsistency, KeyProblem, MAX_RSA_BITS, PrivateKey};

/// The public key derived from a private key.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum KeyPublic {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: Curve, uncompressed: Vec<u8> },
    Ed25519([u8; 32]),
}

impl fmt::Debug for KeyPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPublic({self})")
    }
}

impl fmt::Display for KeyPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyPublic::Rsa { n, .. } => write!(f, "RSA {}-bit", bit_length(n)),
            KeyPublic::Ec { curve, .. } => write!(f, "EC {curve}"),
            KeyPublic::Ed25519(_) => f.write_str("Ed25519"),
        }
    }
}

impl KeyPublic {
    /// The RSA public exponent, when it is above 2^32 (some TLS stacks refuse those).
    pub(crate) fn large_rsa_exponent(&self) -> Option<String> {
        match self {
            KeyPublic::Rsa { e, .. } if bit_length(e) > 32 => Some(number(e)),
            _ => None,
        }
    }
}

/// Why a key does not match a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch {
    /// Different algorithms (or curves).
    Algorithm {
        /// The key's, e.g. "EC P-384".
        key: String,
        /// The certificate's, e.g. "EC P-256".
        certificate: String,
    },
    /// Same algorithm, different RSA modulus.
    Modulus,
    /// Same modulus, different public exponent.
    Exponent {
        /// The key's e.
        key: String,
        /// The certificate's e.
        certificate: String,
    },
    /// Same curve, different point.
    Point {
        /// The curve.
        curve: Curve,
    },
    /// Different Ed25519 public key.
    Ed25519,
    /// The certificate's own public key cannot be used.
    CertificateKey {
        /// Why.
        reason: String,
    },
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mismatch::Algorithm { key, certificate } => write!(
                f,
                "the key is {key} but the certificate's public key is {certificate}"
            ),
            Mismatch::Modulus => f.write_str(
                "the key's RSA modulus differs from the certificate's: this key belongs to \
                 another certificate",
            ),
            Mismatch::Exponent { key, certificate } => write!(
                f,
                "the RSA modulus is the same but the public exponent differs (key e = {key}, \
                 certificate e = {certificate})"
            ),
            Mismatch::Point { curve } => write!(
                f,
                "the {curve} public point derived from the key differs from the certificate's: \
                 this key belongs to another certificate"
            ),
            Mismatch::Ed25519 => f.write_str(
                "the Ed25519 public key derived from the key differs from the certificate's",
            ),
            Mismatch::CertificateKey { reason } => {
                write!(
                    f,
                    "the certificate's public key cannot match any key: {reason}"
                )
            }
        }
    }
}

/// A public exponent, in decimal when it fits 64 bits.
fn number(bytes: &[u8]) -> String {
    let bytes = strip_leading_zeros(bytes);
    if bytes.len() <= 8 {
        let mut value = 0u64;
        for &b in bytes {
            value = (value << 8) | u64::from(b);
        }
        value.to_string()
    } else {
        let mut hex = String::from("0x");
        for b in bytes {
            hex.push_str(&format!("{b:02x}"));
        }
        hex
    }
}

/// Derives the public key, checking that the private key is consistent. `hint` is the leaf
/// certificate's key: for P-256 it is the point the scalar is checked against first (ring's
/// check is the fast path); it is never trusted.
pub(crate) fn derive(
    key: &PrivateKey<'_>,
    hint: Option<&SubjectKey>,
) -> Result<KeyPublic, KeyProblem> {
    match key {
        PrivateKey::Rsa(rsa) => derive_rsa(rsa),
        PrivateKey::Ec {
            curve,
            scalar,
            public,
        } => {
            let hint = match hint {
                Some(SubjectKey::Ec { curve: c, point }) if c == curve => Some(point.as_slice()),
                _ => None,
            };
            derive_ec(*curve, scalar, *public, hint)
        }
        PrivateKey::Ed25519 { seed, public } => derive_ed25519(seed, *public),
    }
}

fn derive_rsa(key: &pkcs1::RsaPrivateKey<der::asn1::UintRef<'_>>) -> Result<KeyPublic, KeyProblem> {
    let n_bytes = strip_leading_zeros(key.modulus.as_bytes());
    let e_bytes = strip_leading_zeros(key.public_exponent.as_bytes());
    let bits = bit_length(n_bytes);
    if bits > MAX_RSA_BITS {
        return Err(KeyProblem::TooLarge { bits });
    }
    match e_bytes {
        [] => return Err(KeyProblem::BadExponent { reason: "is 0" }),
        [1] => {
            return Err(KeyProblem::BadExponent {
                reason: "is 1, which does not encrypt",
            });
        }
        [.., last] if last % 2 == 0 => {
            return Err(KeyProblem::BadExponent {
                reason: "is even, so no private exponent can exist",
            });
        }
        _ => {}
    }
    let inconsistent = |what| Err(KeyProblem::Inconsistent(what));
    let number = |value: &der::asn1::UintRef<'_>| limbs::from_be_bytes(value.as_bytes());
    let (n, e, d) = (
        limbs::from_be_bytes(n_bytes),
        limbs::from_be_bytes(e_bytes),
        number(&key.private_exponent),
    );
    let (p, q) = (number(&key.prime1), number(&key.prime2));
    let (dp, dq, qinv) = (
        number(&key.exponent1),
        number(&key.exponent2),
        number(&key.coefficient),
    );
    // p and q must exceed 1 for p−1 and q−1 to be moduli.
    if !limbs::lt(&[1], &p) || !limbs::lt(&[1], &q) || !limbs::eq(&limbs::mul(&p, &q), &n) {
        return inconsistent(Inconsistency::ModulusNotProduct);
    }
    let (p_minus_1, q_minus_1) = (limbs::sub_one(&p), limbs::sub_one(&q));
    let divides = |m: &[u64], x: Option<limbs::Limbs>| -> Result<bool, KeyProblem> {
        match x {
            None => Ok(false),
            Some(x) => limbs::divisible(&x, m)
                .ok_or(KeyProblem::Inconsistent(Inconsistency::ModulusNotProduct)),
        }
    };
    // Per prime r: (a) e·dR ≡ 1 (mod r−1) — a small reduction — and (b) dR is d reduced mod
    // r−1: r−1 divides d − dR (and dR < r−1, checked apart). With (a), e is invertible mod r−1, so
    // e·d ≡ 1 (mod r−1) ⇔ d ≡ dR: (a) and (b) together are e·d ≡ 1 and a consistent dR, and
    // when one fails the other tells which part is wrong.
    let mut exponent_wrong = false;
    let mut crt_wrong = false;
    for (r_minus_1, d_r) in [(&p_minus_1, &dp), (&q_minus_1, &dq)] {
        let a = divides(r_minus_1, limbs::checked_sub(&limbs::mul(&e, d_r), &[1]))?;
        let b = divides(r_minus_1, limbs::checked_sub(&d, d_r))?;
        if !limbs::lt(d_r, r_minus_1) {
            // dR not reduced modulo r−1: a CRT parameter out of range, whatever d is.
            crt_wrong = true;
            continue;
        }
        // (a) without (b): d is off. (b) without (a): d and dR are off together. Neither:
        // dR does not match d (d itself may be right).
        exponent_wrong |= a != b;
        crt_wrong |= !a & !b;
    }
    if exponent_wrong {
        return inconsistent(Inconsistency::PrivateExponent);
    }
    if crt_wrong {
        return inconsistent(Inconsistency::CrtExponent);
    }
    // qInv < p and p divides qInv·q − 1 (p odd: n = p·q is checked and RSA moduli are odd; an
    // even p goes through the division path inside `divisible`).
    if !limbs::lt(&qinv, &p) || !divides(&p, limbs::checked_sub(&limbs::mul(&qinv, &q), &[1]))? {
        return inconsistent(Inconsistency::CrtCoefficient);
    }
    Ok(KeyPublic::Rsa {
        n: n_bytes.to_vec(),
        e: e_bytes.to_vec(),
    })
}

/// The private scalar of curve `$c`, left-padded to the field length (not yet checked).
macro_rules! ec_padded {
    ($c:ident, $curve:expr, $scalar:expr) => {{
        let mut bytes = Zeroizing::new($c::FieldBytes::default());
        let offset = bytes.len().saturating_sub($scalar.len());
        bytes
            .get_mut(offset..)
            .filter(|tail| tail.len() == $scalar.len())
            .ok_or(KeyProblem::ScalarOutOfRange { curve: $curve })?
            .copy_from_slice($scalar);
        bytes
    }};
}

/// Checks a padded scalar of curve `$c` to be in [1, n−1] (in constant time, by the curve
/// crate).
macro_rules! ec_in_range {
    ($c:ident, $curve:expr, $bytes:expr) => {{
        $c::SecretKey::from_bytes($bytes)
            .map_err(|_| KeyProblem::ScalarOutOfRange { curve: $curve })?;
    }};
}

/// The private scalar of curve `$c`, left-padded to the field length and checked to be in
/// [1, n−1].
macro_rules! ec_scalar {
    ($c:ident, $curve:expr, $scalar:expr) => {{
        let bytes = ec_padded!($c, $curve, $scalar);
        ec_in_range!($c, $curve, &bytes);
        bytes
    }};
}

/// k·G on curve `$c` with the fixed-base comb of [`crate::fixed_base`], uncompressed. The
/// comb's result is projective; turning it affine costs a field inversion, so it is first
/// compared (by cross-multiplication) with `$reference` — an uncompressed encoding, the key
/// file's point else the certificate's — and when they are the same point those bytes are the
/// answer. Only a mismatch pays for the inversion.
macro_rules! ec_comb {
    ($c:ident :: $ty:ident, $width:expr, $words:expr, $bits:expr, $scalar:expr, $reference:expr) => {{
        static TABLE: OnceLock<Table<$c::$ty, $width, $words>> = OnceLock::new();
        let table = TABLE.get_or_init(|| Table::new($bits));
        let derived = table.mul($scalar);
        match $reference {
            Some(point) if crate::fixed_base::is_point::<$c::$ty>(&derived, point) => {
                point.to_vec()
            }
            _ => derived.to_uncompressed(),
        }
    }};
}

/// Decodes a certificate's SEC1 point (compressed or not) with the curve crate `$c` and
/// returns it uncompressed; `None` when it is not a point of the curve.
macro_rules! ec_uncompress {
    ($c:ident, $point:expr) => {{
        use $c::elliptic_curve::sec1::ToSec1Point;
        $c::PublicKey::from_sec1_bytes($point)
            .ok()
            .map(|p| p.as_affine().to_sec1_point(false).as_bytes().to_vec())
    }};
}

fn derive_ec(
    curve: Curve,
    scalar: &[u8],
    stored: Option<&[u8]>,
    hint: Option<&[u8]>,
) -> Result<KeyPublic, KeyProblem> {
    // The key file's point, and the point the derived one is compared with (the key file's,
    // else the certificate's), each uncompressed and decoded at most once.
    let stored = stored.map(|point| uncompressed_form(curve, point));
    let reference = match &stored {
        Some(point) => point.clone(),
        None => hint.and_then(|point| uncompressed_form(curve, point)),
    };
    let reference = reference.as_deref();
    let uncompressed = match curve {
        Curve::P256 => {
            let scalar = ec_padded!(p256, curve, scalar);
            // ring's P-256 key-pair check derives the point from the scalar and compares it
            // with a given one, in constant time, 4× faster than deriving it here. Given the
            // reference point, a "yes" is the derived point (and proves the scalar in [1, n−1]:
            // ring refuses any other); a "no" falls back to checking the scalar and deriving the
            // point, to say what is wrong.
            match reference {
                Some(point) if ring_p256_matches(&scalar, point) => point.to_vec(),
                _ => {
                    ec_in_range!(p256, curve, &scalar);
                    ec_comb!(p256::NistP256, 6, 4, 256, &scalar, reference)
                }
            }
        }
        // Comb widths (the second argument): 7 for P-384 and P-521 was the fastest of widths
        // 5–8 when chosen (c2d5962); a wider table takes longer to build on first use and to
        // scan (the lookup reads every entry, for constant time). To revisit, change the
        // width and compare `cargo bench --bench key_match -- 'p384|p521'`.
        Curve::P384 => ec_comb!(
            p384::NistP384,
            7,
            6,
            384,
            &ec_scalar!(p384, curve, scalar),
            reference
        ),
        Curve::P521 => ec_comb!(
            p521::NistP521,
            7,
            9,
            521,
            &ec_scalar!(p521, curve, scalar),
            reference
        ),
        Curve::Sm2 => ec_comb!(
            sm2::Sm2,
            6,
            4,
            256,
            &ec_scalar!(sm2, curve, scalar),
            reference
        ),
    };
    if let Some(stored) = &stored
        && stored.as_deref() != Some(uncompressed.as_slice())
    {
        return Err(KeyProblem::Inconsistent(Inconsistency::EmbeddedPublicKey));
    }
    Ok(KeyPublic::Ec {
        curve,
        uncompressed,
    })
}

/// True when `scalar` (32 bytes, in range) derives the uncompressed P-256 `point`, by ring.
/// ring's key-pair constructor also asks the operating system for 32 random bytes (it prepares
/// signing nonces); that is this crate's only contact with the OS.
fn ring_p256_matches(scalar: &[u8], point: &[u8]) -> bool {
    ring::signature::EcdsaKeyPair::from_private_key_and_public_key(
        &ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING,
        scalar,
        point,
        &ring::rand::SystemRandom::new(),
    )
    .is_ok()
}

/// `point` (SEC1) in the uncompressed form: as given when it has that form (0x04 and two
/// coordinates), else decoded (`None` when it is not a point of the curve). Bytes taken as given
/// are not yet known to be on the curve; they only ever become an answer by being equal to a
/// point derived from the scalar, which proves them one.
fn uncompressed_form(curve: Curve, point: &[u8]) -> Option<Cow<'_, [u8]>> {
    if point.len() == 1 + 2 * curve.scalar_len() && point.first() == Some(&0x04) {
        Some(Cow::Borrowed(point))
    } else {
        uncompress(curve, point).map(Cow::Owned)
    }
}

fn uncompress(curve: Curve, point: &[u8]) -> Option<Vec<u8>> {
    match curve {
        Curve::P256 => ec_uncompress!(p256, point),
        Curve::P384 => ec_uncompress!(p384, point),
        Curve::P521 => ec_uncompress!(p521, point),
        Curve::Sm2 => ec_uncompress!(sm2, point),
    }
}

fn derive_ed25519(seed: &[u8], stored: Option<&[u8]>) -> Result<KeyPublic, KeyProblem> {
    let seed: &[u8; 32] = seed.try_into().map_err(|_| KeyProblem::Der {
        format: crate::private_key::KeyFormat::Pkcs8,
        reason: "Ed25519 private key is not 32 bytes".to_owned(),
    })?;
    let derived = ed25519_dalek::SigningKey::from_bytes(seed)
        .verifying_key()
        .to_bytes();
    if stored.is_some_and(|stored| stored != derived) {
        return Err(KeyProblem::Inconsistent(Inconsistency::EmbeddedPublicKey));
    }
    Ok(KeyPublic::Ed25519(derived))
}

/// Compares a derived public key with a certificate's.
pub(crate) fn compare(key: &KeyPublic, certificate: &SubjectKey) -> Result<(), Mismatch> {
    let algorithms = || Mismatch::Algorithm {
        key: key.to_string(),
        certificate: certificate.to_string(),
    };
    match (key, certificate) {
        (
            KeyPublic::Rsa { n, e },
            SubjectKey::Rsa {
                n: cert_n,
                e: cert_e,
            },
        ) => {
            if n != cert_n {
                Err(Mismatch::Modulus)
            } else if e != cert_e {
                Err(Mismatch::Exponent {
                    key: number(e),
                    certificate: number(cert_e),
                })
            } else {
                Ok(())
            }
        }
        (
            KeyPublic::Ec {
                curve,
                uncompressed,
            },
            SubjectKey::Ec {
                curve: cert_curve,
                point,
            },
        ) => {
            if curve != cert_curve {
                return Err(algorithms());
            }
            // The derived point's own bytes need no decoding.
            if point.first() == Some(&0x04) && *point == *uncompressed {
                return Ok(());
            }
            match uncompress(*curve, point) {
                None => Err(Mismatch::CertificateKey {
                    reason: format!("its {curve} point is not on the curve"),
                }),
                Some(cert_point) if cert_point == *uncompressed => Ok(()),
                Some(_) => Err(Mismatch::Point { curve: *curve }),
            }
        }
        (KeyPublic::Ed25519(derived), SubjectKey::Ed25519(cert)) => {
            if derived == cert {
                Ok(())
            } else {
                Err(Mismatch::Ed25519)
            }
        }
        (_, SubjectKey::Unsupported(what)) => Err(Mismatch::CertificateKey {
            reason: what.to_string(),
        }),
        _ => Err(algorithms()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each single fault in an RSA key is blamed on the part that is wrong.
    #[test]
    fn rsa_faults_are_blamed_on_the_right_part() {
        use der::Decode;
        use der::asn1::UintRef;
        use num_bigint::BigUint;
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../testdata/rsa2048/key.pkcs1.pem"
        );
        // The fixtures live in the repository, not in the published crate.
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("{path} is not here (a downloaded crate): skipped");
            return;
        };
        let framed = crate::pem::frame(&text, crate::pem::Field::PrivateKey).unwrap();
        let der = framed.blocks[0]
            .decode(crate::pem::Field::PrivateKey)
            .unwrap();
        let key = pkcs1::RsaPrivateKey::<UintRef<'_>>::from_der(&der).unwrap();
        let big = |u: &UintRef<'_>| BigUint::from_bytes_be(u.as_bytes());
        let (p, q, d) = (
            big(&key.prime1),
            big(&key.prime2),
            big(&key.private_exponent),
        );
        let (dp, dq, qinv) = (
            big(&key.exponent1),
            big(&key.exponent2),
            big(&key.coefficient),
        );
        let one = BigUint::from(1u8);
        let check = |d: &BigUint, dp: &BigUint, dq: &BigUint, qinv: &BigUint| {
            let bytes: Vec<Vec<u8>> = [d, dp, dq, qinv].iter().map(|v| v.to_bytes_be()).collect();
            let variant = pkcs1::RsaPrivateKey {
                modulus: key.modulus,
                public_exponent: key.public_exponent,
                private_exponent: UintRef::new(&bytes[0]).unwrap(),
                prime1: key.prime1,
                prime2: key.prime2,
                exponent1: UintRef::new(&bytes[1]).unwrap(),
                exponent2: UintRef::new(&bytes[2]).unwrap(),
                coefficient: UintRef::new(&bytes[3]).unwrap(),
                other_prime_infos: None,
            };
            derive_rsa(&variant)
                .map(|_| ())
                .map_err(|problem| match problem {
                    KeyProblem::Inconsistent(what) => what,
                    other => panic!("{other:?}"),
                })
        };
        assert_eq!(check(&d, &dp, &dq, &qinv), Ok(()));
        // d off by φ(n) is still a working key: accepted.
        let phi = (&p - &one) * (&q - &one);
        assert_eq!(check(&(&d + &phi), &dp, &dq, &qinv), Ok(()));
        let two = BigUint::from(2u8);
        assert_eq!(
            check(&(&d + &two), &dp, &dq, &qinv),
            Err(Inconsistency::PrivateExponent)
        );
        assert_eq!(
            check(&d, &(&dp + &two), &dq, &qinv),
            Err(Inconsistency::CrtExponent)
        );
        assert_eq!(
            check(&d, &dp, &(&dq + &two), &qinv),
            Err(Inconsistency::CrtExponent)
        );
        // dP congruent to d but not reduced: the CRT parameter is at fault, not d.
        assert_eq!(
            check(&d, &(&dp + &p - &one), &dq, &qinv),
            Err(Inconsistency::CrtExponent)
        );
        // d and dP off together (and consistent with each other).
        assert_eq!(
            check(&(&d + &two), &(&dp + &two), &dq, &qinv),
            Err(Inconsistency::PrivateExponent)
        );
        assert_eq!(
            check(&d, &dp, &dq, &(&qinv + &one)),
            Err(Inconsistency::CrtCoefficient)
        );
        assert_eq!(
            check(&d, &dp, &dq, &(&qinv + &p)),
            Err(Inconsistency::CrtCoefficient)
        );
    }

    #[test]
    fn exponents_print_in_decimal_or_hex() {
        assert_eq!(number(&[0x01, 0x00, 0x01]), "65537");
        assert_eq!(number(&[0x00, 0x03]), "3");
        assert_eq!(number(&[1, 0, 0, 0, 0, 0, 0, 0, 1]), "0x010000000000000001");
    }

    #[test]
    fn rsa_compares_numbers() {
        let key = KeyPublic::Rsa {
            n: vec![0xc5, 0x01],
            e: vec![0x01, 0x00, 0x01],
        };
        let cert = |n: Vec<u8>, e: Vec<u8>| SubjectKey::Rsa { n, e };
        assert_eq!(
            compare(&key, &cert(vec![0xc5, 0x01], vec![1, 0, 1])),
            Ok(())
        );
        assert_eq!(
            compare(&key, &cert(vec![0xc5, 0x03], vec![1, 0, 1])),
            Err(Mismatch::Modulus)
        );
        assert_eq!(
            compare(&key, &cert(vec![0xc5, 0x01], vec![3])),
            Err(Mismatch::Exponent {
                key: "65537".into(),
                certificate: "3".into()
            })
        );
        assert_eq!(
            compare(&key, &SubjectKey::Ed25519([0; 32])),
            Err(Mismatch::Algorithm {
                key: "RSA 16-bit".into(),
                certificate: "Ed25519".into()
            })
        );
    }

    /// k·G on P-256 (derived without hints) and its uncompressed encoding.
    fn p256_point(k: u8) -> (KeyPublic, Vec<u8>) {
        let derived = derive_ec(Curve::P256, &[k], None, None).unwrap();
        let KeyPublic::Ec { uncompressed, .. } = &derived else {
            panic!("not EC")
        };
        let point = uncompressed.clone();
        (derived, point)
    }

    #[test]
    fn ec_scalar_range_and_stored_point() {
        assert_eq!(
            derive_ec(Curve::P256, &[0u8; 32], None, None),
            Err(KeyProblem::ScalarOutOfRange { curve: Curve::P256 })
        );
        assert_eq!(
            derive_ec(Curve::P256, &[0xffu8; 32], None, None),
            Err(KeyProblem::ScalarOutOfRange { curve: Curve::P256 })
        );
        assert_eq!(
            derive_ec(Curve::P256, &[1u8; 33], None, None),
            Err(KeyProblem::ScalarOutOfRange { curve: Curve::P256 })
        );
        let one = derive_ec(Curve::P256, &[1], None, None).unwrap();
        let KeyPublic::Ec { uncompressed, .. } = &one else {
            panic!("not EC")
        };
        // 1·G is the generator.
        assert_eq!(uncompressed[..3], [0x04, 0x6b, 0x17]);
        assert_eq!(
            derive_ec(Curve::P256, &[1], Some(uncompressed), None),
            Ok(one.clone())
        );
        let (two, two_point) = p256_point(2);
        assert_eq!(
            derive_ec(Curve::P256, &[1], Some(&two_point), None),
            Err(KeyProblem::Inconsistent(Inconsistency::EmbeddedPublicKey))
        );
        // Compressed certificate points compare as points.
        let mut compressed = vec![0x02 | (uncompressed[64] & 1)];
        compressed.extend_from_slice(&uncompressed[1..33]);
        let cert = SubjectKey::Ec {
            curve: Curve::P256,
            point: compressed,
        };
        assert_eq!(compare(&one, &cert), Ok(()));
        assert_eq!(
            compare(&two, &cert),
            Err(Mismatch::Point { curve: Curve::P256 })
        );
    }

    #[test]
    fn p256_through_ring_and_through_the_comb_agree() {
        let (two, two_point) = p256_point(2);
        let two_point = &two_point;
        // The right hint: ring says yes and the hint is the answer.
        assert_eq!(
            derive_ec(Curve::P256, &[2], None, Some(two_point)),
            Ok(two.clone())
        );
        // A wrong hint: ring says no, the comb derives the real point.
        let three = derive_ec(Curve::P256, &[3], None, None).unwrap();
        assert_eq!(
            derive_ec(Curve::P256, &[3], None, Some(two_point)),
            Ok(three)
        );
        // A wrong stored point is still an inconsistent key, whatever the hint.
        assert_eq!(
            derive_ec(Curve::P256, &[3], Some(two_point), Some(two_point)),
            Err(KeyProblem::Inconsistent(Inconsistency::EmbeddedPublicKey))
        );
        // Out of range with a reference point: ring refuses and the range check names it, even
        // for n + 1, whose point is the generator's.
        let (_, generator) = p256_point(1);
        let mut n_plus_1: [u8; 32] = [
            0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2,
            0xfc, 0x63, 0x25, 0x51,
        ];
        n_plus_1[31] += 1;
        for (scalar, point) in [
            (&[0u8; 32][..], &generator),
            (&[0xffu8; 32][..], two_point),
            (&n_plus_1[..], &generator),
        ] {
            assert!(!ring_p256_matches(scalar, point));
            for (stored, hint) in [(None, Some(&point[..])), (Some(&point[..]), None)] {
                assert_eq!(
                    derive_ec(Curve::P256, scalar, stored, hint),
                    Err(KeyProblem::ScalarOutOfRange { curve: Curve::P256 })
                );
            }
        }
        assert!(ring_p256_matches(
            &[&[0u8; 31][..], &[2]].concat(),
            two_point
        ));
        assert!(!ring_p256_matches(
            &[&[0u8; 31][..], &[3]].concat(),
            two_point
        ));
    }

    #[test]
    fn ed25519_derives_from_the_seed() {
        // RFC 8032 §7.1, test 1.
        let seed: [u8; 32] = [
            0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec,
            0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03,
            0x1c, 0xae, 0x7f, 0x60,
        ];
        let public: [u8; 32] = [
            0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64,
            0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a, 0x68,
            0xf7, 0x07, 0x51, 0x1a,
        ];
        assert_eq!(
            derive_ed25519(&seed, Some(&public)),
            Ok(KeyPublic::Ed25519(public))
        );
        assert_eq!(
            derive_ed25519(&seed, Some(&[0u8; 32])),
            Err(KeyProblem::Inconsistent(Inconsistency::EmbeddedPublicKey))
        );
    }
}
