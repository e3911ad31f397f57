//! Public-key algorithms and curves: the OIDs both sides of a pair name, and what to call them
//! in a detail.

use core::fmt;

use der::asn1::ObjectIdentifier;

use crate::oid::{self, Kind};

/// rsaEncryption (RFC 8017 appendix C)
pub(crate) const RSA_ENCRYPTION: ObjectIdentifier = oid::RSA_ENCRYPTION.oid;
/// id-ecPublicKey (RFC 5480 §2.1.1)
pub(crate) const EC_PUBLIC_KEY: ObjectIdentifier = oid::EC_PUBLIC_KEY.oid;
/// id-Ed25519 (RFC 8410 §3)
pub(crate) const ED25519: ObjectIdentifier = oid::ED25519.oid;
/// SM2 curve (GB/T 33560), sometimes also used as the algorithm OID itself.
pub(crate) const SM2_CURVE: ObjectIdentifier = oid::SM2.oid;

/// A curve this crate can check a key on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// NIST P-256 (secp256r1)
    P256,
    /// NIST P-384 (secp384r1)
    P384,
    /// NIST P-521 (secp521r1)
    P521,
    /// SM2 (sm2p256v1)
    Sm2,
}

impl Curve {
    /// The curve's named-curve OID.
    pub(crate) const fn oid(self) -> ObjectIdentifier {
        match self {
            Curve::P256 => oid::P256.oid,
            Curve::P384 => oid::P384.oid,
            Curve::P521 => oid::P521.oid,
            Curve::Sm2 => oid::SM2.oid,
        }
    }

    /// Length of a scalar / field element in bytes.
    pub(crate) const fn scalar_len(self) -> usize {
        match self {
            Curve::P256 | Curve::Sm2 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The supported curve whose named-curve OID has these DER content bytes (a match is a valid
    /// OID: no decoding needed).
    pub(crate) fn from_oid_content(content: &[u8]) -> Option<Curve> {
        [Curve::P256, Curve::P384, Curve::P521, Curve::Sm2]
            .into_iter()
            .find(|c| c.oid().as_bytes() == content)
    }

    /// The supported curve with this named-curve OID, or the name of an unsupported one.
    pub(crate) fn from_oid(oid: &ObjectIdentifier) -> Result<Curve, Unsupported> {
        [Curve::P256, Curve::P384, Curve::P521, Curve::Sm2]
            .into_iter()
            .find(|c| c.oid() == *oid)
            .ok_or_else(|| Unsupported::Curve(curve_name(oid)))
    }
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
            Curve::Sm2 => "SM2",
        })
    }
}

/// Something outside what can be checked; the text names it for the user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unsupported {
    /// A public-key algorithm (DSA, X25519, Ed448, RSASSA-PSS, …).
    Algorithm(String),
    /// A named curve other than P-256, P-384, P-521 and SM2.
    Curve(String),
    /// EC parameters spelled out instead of named (RFC 5480 forbids them).
    ExplicitCurve,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unsupported::Algorithm(name) => write!(f, "{name} keys are not supported"),
            Unsupported::Curve(name) => write!(
                f,
                "EC curve {name} is not supported (use P-256, P-384, P-521 or SM2)"
            ),
            Unsupported::ExplicitCurve => f.write_str(
                "EC keys with explicit curve parameters are not supported (use a named curve)",
            ),
        }
    }
}

/// Names an algorithm OID this crate does not check.
pub(crate) fn algorithm_name(oid: &ObjectIdentifier) -> String {
    oid::lookup(oid, Kind::KeyAlgorithm)
        .map_or_else(|| format!("algorithm {oid}"), |o| o.name.to_owned())
}

fn curve_name(oid: &ObjectIdentifier) -> String {
    oid::lookup(oid, Kind::Curve).map_or_else(|| oid.to_string(), |o| o.name.to_owned())
}

/// Reads the named-curve OID out of DER-encoded EC parameters (RFC 5480 `ECParameters`).
pub(crate) fn curve_from_parameters(parameters: &[u8]) -> Result<Curve, Unsupported> {
    use der::Decode;
    // The common case, a supported named curve: the OID's bytes as they are.
    if let [0x06, len, content @ ..] = parameters
        && usize::from(*len) == content.len()
        && let Some(curve) = Curve::from_oid_content(content)
    {
        return Ok(curve);
    }
    match parameters.first() {
        // SEQUENCE: specifiedCurve; NULL: implicitCurve.
        Some(0x30) | Some(0x05) => Err(Unsupported::ExplicitCurve),
        _ => {
            let oid = ObjectIdentifier::from_der(parameters)
                .map_err(|_| Unsupported::Curve("(unreadable parameters)".to_owned()))?;
            Curve::from_oid(&oid)
        }
    }
}

/// The name of a signature algorithm considered weak in a certificate, by the DER content
/// bytes of its OID (bytes that are not a valid OID match none).
pub(crate) fn weak_signature(content: &[u8]) -> Option<&'static str> {
    oid::by_content(content, Kind::Signature { weak: true }).map(|o| o.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;

    #[test]
    fn curves_round_trip_through_their_oids() {
        for curve in [Curve::P256, Curve::P384, Curve::P521, Curve::Sm2] {
            assert_eq!(Curve::from_oid(&curve.oid()), Ok(curve));
            let der = curve.oid().to_der().unwrap();
            assert_eq!(curve_from_parameters(&der), Ok(curve));
            // A length byte that does not fit the content is not read as the curve.
            let mut bad = der.clone();
            bad[1] += 1;
            assert!(curve_from_parameters(&bad).is_err());
        }
    }

    #[test]
    fn unsupported_curves_and_algorithms_are_named() {
        let k1 = ObjectIdentifier::new_unwrap("1.3.132.0.10");
        assert_eq!(
            Curve::from_oid(&k1),
            Err(Unsupported::Curve("secp256k1".into()))
        );
        assert_eq!(
            curve_from_parameters(&[0x30, 0x00]),
            Err(Unsupported::ExplicitCurve)
        );
        assert_eq!(
            algorithm_name(&ObjectIdentifier::new_unwrap("1.3.101.113")),
            "Ed448"
        );
        assert_eq!(
            algorithm_name(&ObjectIdentifier::new_unwrap("1.2.3.4")),
            "algorithm 1.2.3.4"
        );
        assert_eq!(
            Unsupported::Curve("secp256k1".into()).to_string(),
            "EC curve secp256k1 is not supported (use P-256, P-384, P-521 or SM2)"
        );
    }
}
