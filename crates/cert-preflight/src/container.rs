//! What a value that is not PEM holds: a PKCS#12/PFX file, a certificate's DER or a private
//! key's DER — the files users give instead of PEM — recognised by their structure, binary or
//! as base64 without armour, so that a detail names a command that works on them.

use zeroize::Zeroizing;

use crate::base64;
use crate::certificate::Certificate;
use crate::pem::{Container, Label};
use crate::private_key::{self, KeyProblem};

/// pkcs7-data (1.2.840.113549.1.7.1) and pkcs7-signedData (…7.2), as DER content octets
/// without the last arc.
const PKCS7_ARC: [u8; 8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

/// What binary `bytes` are, if they are one of the containers users confuse with PEM.
pub(crate) fn identify(bytes: &[u8]) -> Option<Container> {
    if is_pkcs12(bytes) {
        return Some(Container::Pkcs12);
    }
    if Certificate::parse(bytes).is_ok() {
        return Some(Container::Certificate);
    }
    [
        (Label::PrivateKey, "PRIVATE KEY"),
        (Label::RsaPrivateKey, "RSA PRIVATE KEY"),
        (Label::EcPrivateKey, "EC PRIVATE KEY"),
    ]
    .into_iter()
    .find(|(label, _)| {
        // A key of an algorithm this crate refuses is still a key of that encoding.
        !matches!(
            private_key::parse(label, bytes, None),
            Err(KeyProblem::Der { .. })
        )
    })
    .map(|(_, label)| Container::PrivateKey { label })
}

/// What base64 text without PEM armour decodes to, if it is one of those containers. Line
/// breaks and blanks are skipped; the bytes are zeroized (it may be a private key).
pub(crate) fn identify_base64(text: &str) -> Option<Container> {
    let compact: Zeroizing<Vec<u8>> =
        Zeroizing::new(text.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
    let data = compact
        .strip_suffix(b"==")
        .or_else(|| compact.strip_suffix(b"="))
        .unwrap_or(&compact);
    let mut der = Zeroizing::new(Vec::with_capacity(base64::decoded_len(data.len())));
    if !compact.len().is_multiple_of(4) || !base64::decode(data, &mut der) {
        return None;
    }
    identify(&der)
}

/// PKCS#12 (RFC 7292 §4): `PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo
/// (SEQUENCE { contentType pkcs7-data or signedData, … }), … }`. Lengths may be indefinite
/// (BER, as some Windows exports are), so only the tags and the fixed fields are read.
fn is_pkcs12(bytes: &[u8]) -> bool {
    /// Skips a tag byte equal to `tag` and its length octets.
    fn header(bytes: &[u8], tag: u8) -> Option<&[u8]> {
        let (&first, rest) = bytes.split_first()?;
        if first != tag {
            return None;
        }
        let (&length, rest) = rest.split_first()?;
        match length {
            0x80 => Some(rest),
            0x81..=0x84 => rest.get(usize::from(length & 0x7f)..),
            0x00..=0x7f => Some(rest),
            _ => None,
        }
    }
    let parsed = (|| {
        let rest = header(bytes, 0x30)?;
        let rest = rest.strip_prefix(&[0x02, 0x01, 0x03])?;
        let rest = header(rest, 0x30)?;
        let rest = rest.strip_prefix(&[0x06, 0x09])?;
        let rest = rest.strip_prefix(&PKCS7_ARC)?;
        matches!(rest.first(), Some(0x01 | 0x02)).then_some(())
    })();
    parsed.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pfx_header_is_recognised_with_definite_and_indefinite_lengths() {
        let tail = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
        ];
        let mut definite = vec![
            0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30, 0x82, 0x00, 0xf0,
        ];
        definite.extend(tail);
        assert!(is_pkcs12(&definite));
        let mut indefinite = vec![0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80];
        indefinite.extend(tail);
        assert!(is_pkcs12(&indefinite));
        let mut version_2 = definite.clone();
        version_2[6] = 0x02;
        assert!(!is_pkcs12(&version_2));
        assert!(!is_pkcs12(&[0x30]));
        assert_eq!(identify(&[0xff, 0xfe, 0x00]), None);
    }
}
