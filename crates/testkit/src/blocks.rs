//! The PEM blocks of a parameter's text, for the key-leak check and the fuzz targets: as the
//! library frames them when built with `cfg(fuzzing)` (its hidden `fuzzing` hooks, exact on
//! any input the fuzzer makes), else as the test kit's own reader does
//! ([`crate::pem::try_decode_all`], which agrees with the library on well-formed PEM and finds
//! nothing in the rest).

use zeroize::Zeroizing;

/// A key parameter's key block.
pub struct KeyBlock {
    /// Its DER.
    pub der: Zeroizing<Vec<u8>>,
    /// An RSA key's public modulus and exponent, which outputs may show.
    pub rsa_public: Option<(Vec<u8>, Vec<u8>)>,
}

/// Every block of `text` framed as the certificate parameter, decoded (`None` for a block whose
/// base64 does not decode); empty when the text does not frame.
#[cfg(fuzzing)]
pub fn certificate_blocks(text: &str) -> Vec<Option<Vec<u8>>> {
    use cert_preflight::{Field, fuzzing};
    fuzzing::pem(text, Field::Certificate).map_or_else(
        |_| Vec::new(),
        |framed| {
            let decoded = framed.blocks.into_iter().map(|b| b.decoded.ok());
            decoded.map(|der| der.map(|d| d.to_vec())).collect()
        },
    )
}

/// Every block of `text` framed as the certificate parameter, decoded; empty when the test
/// kit's reader refuses the text.
#[cfg(not(fuzzing))]
pub fn certificate_blocks(text: &str) -> Vec<Option<Vec<u8>>> {
    let blocks = crate::pem::try_decode_all(text).unwrap_or_default();
    blocks.into_iter().map(|(_, der)| Some(der)).collect()
}

/// The key block of a key parameter's text, when the key field's rule frames it and its base64
/// decodes; the public part when the library derives an RSA key from it.
#[cfg(fuzzing)]
pub fn key_block(text: &str) -> Option<KeyBlock> {
    use cert_preflight::{SubjectKey, fuzzing};
    let field = fuzzing::private_key_field(text).ok()?;
    let der = field.key.decoded.ok()?;
    let parameters = field.parameters.and_then(|p| p.decoded.ok());
    let derived = fuzzing::private_key(
        &field.key.label,
        &der,
        parameters.as_deref().map(|p| &p[..]),
    );
    let rsa_public = match derived.map(|key| key.public()) {
        Ok(SubjectKey::Rsa { n, e }) => Some((n, e)),
        _ => None,
    };
    Some(KeyBlock { der, rsa_public })
}

/// The first block of a key parameter's text that the key field takes for its key (`… PRIVATE
/// KEY` or `… PUBLIC KEY`, refused later), when the test kit's reader reads the text; an RSA
/// key's public part read from its DER (PKCS#1, or PKCS#8 around it).
#[cfg(not(fuzzing))]
pub fn key_block(text: &str) -> Option<KeyBlock> {
    let blocks = crate::pem::try_decode_all(text)?;
    let (_, der) = blocks.into_iter().find(|(label, _)| is_key_label(label))?;
    let rsa_public = rsa_public(&der).map(|(n, e)| (n.to_vec(), e.to_vec()));
    Some(KeyBlock {
        der: Zeroizing::new(der),
        rsa_public,
    })
}

/// A label the key field takes for its key block.
pub fn is_key_label(label: &str) -> bool {
    label.ends_with("PRIVATE KEY") || label.ends_with("PUBLIC KEY")
}

/// n and e of an RSA private key's DER, PKCS#1 or PKCS#8 around it, read by hand (no check
/// that the key is consistent, or even RSA: any `SEQUENCE { INTEGER, INTEGER, INTEGER, … }`).
pub fn rsa_public(der: &[u8]) -> Option<(&[u8], &[u8])> {
    use crate::der::read;
    const INTEGER: u8 = 0x02;
    const SEQUENCE: u8 = 0x30;
    const OCTET_STRING: u8 = 0x04;
    let (SEQUENCE, fields, _) = read(der)? else {
        return None;
    };
    let (INTEGER, _version, rest) = read(fields)? else {
        return None;
    };
    match read(rest)? {
        (SEQUENCE, _algorithm, rest) => match read(rest)? {
            (OCTET_STRING, inner, _) => rsa_public(inner),
            _ => None,
        },
        (INTEGER, n, rest) => match read(rest)? {
            (INTEGER, e, _) => {
                let skip = n.iter().take_while(|b| **b == 0).count();
                Some((n.get(skip..)?, e))
            }
            _ => None,
        },
        _ => None,
    }
}
