//! Every object identifier the crate names, in one typed table: what it is (a key algorithm, a
//! curve, a signature algorithm, a name attribute) and what a detail calls it. The other
//! modules look OIDs up here instead of spelling them (as strings, bytes or constants) again.

use der::asn1::ObjectIdentifier;

/// What an OID identifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A public-key algorithm (SubjectPublicKeyInfo, PKCS#8).
    KeyAlgorithm,
    /// A named elliptic curve.
    Curve,
    /// A certificate signature algorithm; `weak` ones are warned about.
    Signature {
        /// Browsers reject it (SHA-1, MD5, MD2).
        weak: bool,
    },
    /// A distinguished-name attribute type, with its short name (`CN`).
    Attribute,
}

/// One known OID.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Oid {
    /// The identifier.
    pub(crate) oid: ObjectIdentifier,
    /// What a detail calls it.
    pub(crate) name: &'static str,
    /// What it identifies.
    pub(crate) kind: Kind,
}

macro_rules! oids {
    ($($const:ident = ($dotted:literal, $name:literal, $kind:expr);)*) => {
        $(
            pub(crate) const $const: Oid = Oid {
                oid: ObjectIdentifier::new_unwrap($dotted),
                name: $name,
                kind: $kind,
            };
        )*
        /// The whole table.
        const TABLE: &[Oid] = &[$($const),*];
    };
}

oids! {
    // Name attributes, with x509-parser's abbreviations. First: every name of every
    // certificate is printed by looking its attributes up here, one entry after another.
    COMMON_NAME = ("2.5.4.3", "CN", Kind::Attribute);
    COUNTRY = ("2.5.4.6", "C", Kind::Attribute);
    LOCALITY = ("2.5.4.7", "L", Kind::Attribute);
    STATE = ("2.5.4.8", "ST", Kind::Attribute);
    ORGANIZATION = ("2.5.4.10", "O", Kind::Attribute);
    ORGANIZATIONAL_UNIT = ("2.5.4.11", "OU", Kind::Attribute);
    DOMAIN_COMPONENT = ("0.9.2342.19200300.100.1.25", "DC", Kind::Attribute);
    EMAIL = ("1.2.840.113549.1.9.1", "Email", Kind::Attribute);
    // Key algorithms the crate checks (RFC 8017 appendix C, RFC 5480 §2.1.1, RFC 8410 §3).
    RSA_ENCRYPTION = ("1.2.840.113549.1.1.1", "RSA", Kind::KeyAlgorithm);
    EC_PUBLIC_KEY = ("1.2.840.10045.2.1", "EC", Kind::KeyAlgorithm);
    ED25519 = ("1.3.101.112", "Ed25519", Kind::KeyAlgorithm);
    // Key algorithms it names but does not take.
    DSA = ("1.2.840.10040.4.1", "DSA", Kind::KeyAlgorithm);
    X25519 = ("1.3.101.110", "X25519", Kind::KeyAlgorithm);
    X448 = ("1.3.101.111", "X448", Kind::KeyAlgorithm);
    ED448 = ("1.3.101.113", "Ed448", Kind::KeyAlgorithm);
    RSASSA_PSS = ("1.2.840.113549.1.1.10", "RSASSA-PSS", Kind::KeyAlgorithm);
    DH_X942 = ("1.2.840.10046.2.1", "Diffie-Hellman (X9.42)", Kind::KeyAlgorithm);
    DH_PKCS3 = ("1.2.840.113549.1.3.1", "Diffie-Hellman (PKCS#3)", Kind::KeyAlgorithm);
    GOST_2012_256 = ("1.2.643.7.1.1.1.1", "GOST R 34.10", Kind::KeyAlgorithm);
    GOST_2012_512 = ("1.2.643.7.1.1.1.2", "GOST R 34.10", Kind::KeyAlgorithm);
    GOST_2001 = ("1.2.643.2.2.19", "GOST R 34.10", Kind::KeyAlgorithm);
    // Curves it checks; SM2's OID is sometimes the algorithm itself (GB/T 33560).
    P256 = ("1.2.840.10045.3.1.7", "P-256", Kind::Curve);
    P384 = ("1.3.132.0.34", "P-384", Kind::Curve);
    P521 = ("1.3.132.0.35", "P-521", Kind::Curve);
    SM2 = ("1.2.156.10197.1.301", "SM2", Kind::Curve);
    // Curves it names but does not take.
    SECP256K1 = ("1.3.132.0.10", "secp256k1", Kind::Curve);
    P192 = ("1.2.840.10045.3.1.1", "P-192", Kind::Curve);
    P224 = ("1.3.132.0.33", "P-224", Kind::Curve);
    BRAINPOOL_P256 = ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", Kind::Curve);
    BRAINPOOL_P384 = ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", Kind::Curve);
    BRAINPOOL_P512 = ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", Kind::Curve);
    // Signature algorithms browsers reject.
    SHA1_RSA = ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", Kind::Signature { weak: true });
    SHA1_ECDSA = ("1.2.840.10045.4.1", "ecdsa-with-SHA1", Kind::Signature { weak: true });
    SHA1_DSA = ("1.2.840.10040.4.3", "dsa-with-SHA1", Kind::Signature { weak: true });
    MD5_RSA = ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", Kind::Signature { weak: true });
    MD2_RSA = ("1.2.840.113549.1.1.2", "md2WithRSAEncryption", Kind::Signature { weak: true });
}

/// The known OID of this kind, if there is one.
pub(crate) fn lookup(oid: &ObjectIdentifier, kind: Kind) -> Option<&'static Oid> {
    TABLE.iter().find(|o| o.kind == kind && o.oid == *oid)
}

/// The known OID of this kind whose DER content bytes are `bytes`.
pub(crate) fn by_content(bytes: &[u8], kind: Kind) -> Option<&'static Oid> {
    TABLE
        .iter()
        .find(|o| o.kind == kind && o.oid.as_bytes() == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_oid_is_listed_once_per_kind() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in TABLE.iter().skip(i + 1) {
                assert!(a.oid != b.oid || a.kind != b.kind, "{} twice", a.oid);
            }
        }
    }

    #[test]
    fn lookups_by_oid_and_by_content_agree() {
        for entry in TABLE {
            let found = lookup(&entry.oid, entry.kind).unwrap();
            assert_eq!(found.name, entry.name);
            let found = by_content(entry.oid.as_bytes(), entry.kind).unwrap();
            assert_eq!(found.oid, entry.oid);
        }
        assert_eq!(
            by_content(&[0x55, 0x04, 0x03], Kind::Attribute)
                .unwrap()
                .name,
            "CN"
        );
        assert!(lookup(&COMMON_NAME.oid, Kind::Curve).is_none());
    }
}
