//! Alibaba Cloud's percent-encoding (the POP "percentEncode"): RFC 3986 unreserved characters
//! (`A-Z a-z 0-9 - _ . ~`, [RFC 3986 §2.3]) stay, every other byte becomes `%XX` with
//! upper-case hex, so a space is `%20` (never `+`) and `*` is `%2A`.
//!
//! [RFC 3986 §2.3]: https://www.rfc-editor.org/rfc/rfc3986#section-2.3

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `byte` is an RFC 3986 unreserved character, kept as is by the encoding.
pub(crate) fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Percent-encodes `bytes` the Alibaba way (RFC 3986 unreserved kept, the rest `%XX`).
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    percent_encode_into(&mut out, bytes);
    out
}

/// Appends the Alibaba percent-encoding of `bytes` to `out`: runs of unreserved bytes are
/// copied whole (a signature's string to sign is mostly base64 text).
pub(crate) fn percent_encode_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        let run = rest
            .iter()
            .position(|&b| !is_unreserved(b))
            .unwrap_or(rest.len());
        let (kept, tail) = rest.split_at(run);
        // Unreserved bytes are ASCII: this never fails.
        out.push_str(std::str::from_utf8(kept).unwrap_or_default());
        let Some((&byte, tail)) = tail.split_first() else {
            break;
        };
        out.push('%');
        out.push(hex_digit(byte >> 4));
        out.push(hex_digit(byte & 0x0f));
        rest = tail;
    }
}

/// Appends the percent-encoding of the percent-encoding of `bytes` (what the RPC v1 string to
/// sign holds of every parameter): an unreserved byte stays, any other is `%25XY`.
pub(crate) fn percent_encode_twice_into(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        // A run of unreserved bytes is copied at once, then one byte is escaped.
        let run = rest
            .iter()
            .position(|&b| !is_unreserved(b))
            .unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..run).unwrap_or_default());
        let Some((&byte, tail)) = rest.get(run..).and_then(<[u8]>::split_first) else {
            break;
        };
        out.extend_from_slice(&[
            b'%',
            b'2',
            b'5',
            hex_digit(byte >> 4) as u8,
            hex_digit(byte & 0x0f) as u8,
        ]);
        rest = tail;
    }
}

/// The upper-case hex digit of a nibble (`0..=15`).
fn hex_digit(nibble: u8) -> char {
    HEX_UPPER
        .get(usize::from(nibble & 0x0f))
        .map_or('0', |&d| char::from(d))
}

/// Lower-case hex of `bytes` (digests in the V3 signature).
pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        for nibble in [byte >> 4, byte & 0x0f] {
            out.push(
                HEX_LOWER
                    .get(usize::from(nibble))
                    .map_or('0', |&d| char::from(d)),
            );
        }
    }
    out
}

/// Standard base64 with padding ([RFC 4648 §4]), for the RPC v1 signature.
///
/// [RFC 4648 §4]: https://www.rfc-editor.org/rfc/rfc4648#section-4
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let sextet = |value: u32| -> char {
        ALPHABET
            .get((value & 0x3f) as usize)
            .map_or('A', |&c| char::from(c))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().map_or(0, u32::from);
        let b1 = chunk.get(1).copied().map_or(0, u32::from);
        let b2 = chunk.get(2).copied().map_or(0, u32::from);
        let triple = (b0 << 16) | (b1 << 8) | b2;
        out.push(sextet(triple >> 18));
        out.push(sextet(triple >> 12));
        out.push(if chunk.len() > 1 {
            sextet(triple >> 6)
        } else {
            '='
        });
        out.push(if chunk.len() > 2 { sextet(triple) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_twice_in_one_pass_is_encoding_twice() {
        let every: Vec<u8> = (0..=255).collect();
        let mut once = String::new();
        percent_encode_into(&mut once, &every);
        let mut twice = Vec::new();
        percent_encode_twice_into(&mut twice, &every);
        assert_eq!(
            String::from_utf8(twice).unwrap(),
            percent_encode(once.as_bytes())
        );
    }

    #[test]
    fn encodes_the_alibaba_way() {
        assert_eq!(
            percent_encode(b"a b*c~d+e/f=g&h"),
            "a%20b%2Ac~d%2Be%2Ff%3Dg%26h"
        );
        assert_eq!(percent_encode("é\n".as_bytes()), "%C3%A9%0A");
        assert_eq!(percent_encode(b"AZaz09-_.~"), "AZaz09-_.~");
        assert_eq!(percent_encode(b""), "");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), output);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn hex_is_lower_case() {
        assert_eq!(hex_lower(&[0x00, 0xab, 0xff]), "00abff");
    }
}
