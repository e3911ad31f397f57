//! Base64 (RFC 4648 §4, standard alphabet) for PEM bodies, in constant time.
//!
//! Private-key bodies are secret, so their decoding must not branch on, or index memory by,
//! the characters: this decoder classifies characters with range checks done as carry-free
//! byte additions, with no table, no comparison and no data-dependent branch; the validity of
//! the whole body is one accumulated flag. Sixteen characters go at a time, one `u8` lane each,
//! written so the compiler makes vector instructions of it (≈0.5 ns a character; the `u64`
//! SWAR form of the same arithmetic, which takes the last up to fifteen, was ≈1 ns). It is
//! also the fast path for certificates: profiling showed `rustls_pki_types`' constant-time
//! decoder at 22–29 % of an RSA-4096 check (≈7 ns per character, after a second scan of every
//! line). `rustls_pki_types` stays the test oracle (`tests/robustness.rs` and this module's
//! tests compare the two).
//!
//! Padding (`=`) is the caller's business: [`decode`] takes the characters before it.
//! Non-canonical trailing bits (a last character whose unused bits are not zero) are accepted,
//! as OpenSSL, Go and `rustls_pki_types` accept them.

const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Lanes whose byte `b` (< 0x80) lies in `lo..=hi` (both < 0x80): 0x80 in each such lane.
#[inline(always)]
const fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    // b + (0x80 − lo) has its high bit set ⇔ b ≥ lo; b + (0x7f − hi) ⇔ b > hi. Neither sum
    // exceeds 0xfe, so no carry leaves a lane.
    let at_least_lo = x.wrapping_add(LANES * (0x80 - lo as u64));
    let above_hi = x.wrapping_add(LANES * (0x7f - hi as u64));
    at_least_lo & !above_hi & HIGH
}

/// Decodes eight characters (little-endian lanes) to their 6-bit values; the second value is
/// zero when all eight are in the alphabet.
#[inline(always)]
const fn sextets(x: u64) -> (u64, u64) {
    let ascii = !x & HIGH;
    let x = x & !HIGH;
    let upper = in_range(x, b'A', b'Z');
    let lower = in_range(x, b'a', b'z');
    let digit = in_range(x, b'0', b'9');
    let plus = in_range(x, b'+', b'+');
    let slash = in_range(x, b'/', b'/');
    let valid = (upper | lower | digit | plus | slash) & ascii;
    // value = (b | 0x80) − offset, the offset picked per class so no lane borrows:
    // 'A'..='Z' 0x80+65, 'a'..='z' 0x80+71, '0'..='9' 0x80−4, '+' 0x80−19, '/' 0x80−16.
    let offsets = (upper >> 7) * (0x80 + 65)
        + (lower >> 7) * (0x80 + 71)
        + (digit >> 7) * (0x80 - 4)
        + (plus >> 7) * (0x80 - 19)
        + (slash >> 7) * (0x80 - 16);
    let values = (x | HIGH).wrapping_sub(offsets);
    (values, valid ^ HIGH)
}

/// Sixteen characters to their 6-bit values, one `u8` lane each, with the arithmetic of
/// [`sextets`] (no table, no comparison, no branch): written lane by lane so the compiler
/// turns it into vector instructions, twice as fast as the `u64` form on x86-64. The second
/// value is non-zero when a character is outside the alphabet.
#[inline(always)]
fn sextets16(chars: &[u8; 16]) -> ([u8; 16], u8) {
    /// 0x80 when `x` (< 0x80) lies in `lo..=hi`, else 0.
    #[inline(always)]
    fn in_range(x: u8, lo: u8, hi: u8) -> u8 {
        x.wrapping_add(0x80 - lo) & !x.wrapping_add(0x7f - hi) & 0x80
    }
    /// 0xff for 0x80, 0 for 0.
    #[inline(always)]
    fn mask(flag: u8) -> u8 {
        0u8.wrapping_sub(flag >> 7)
    }
    let mut values = [0u8; 16];
    let mut invalid = [0u8; 16];
    for ((value, bad), &byte) in values.iter_mut().zip(invalid.iter_mut()).zip(chars) {
        let ascii = !byte & 0x80;
        let x = byte & 0x7f;
        let upper = in_range(x, b'A', b'Z');
        let lower = in_range(x, b'a', b'z');
        let digit = in_range(x, b'0', b'9');
        let plus = in_range(x, b'+', b'+');
        let slash = in_range(x, b'/', b'/');
        // value = x − offset, the offset picked per class as in `sextets`.
        let offset = (mask(upper) & 65)
            | (mask(lower) & 71)
            | (mask(digit) & 4u8.wrapping_neg())
            | (mask(plus) & 19u8.wrapping_neg())
            | (mask(slash) & 16u8.wrapping_neg());
        *value = x.wrapping_sub(offset);
        *bad = ((upper | lower | digit | plus | slash) & ascii) ^ 0x80;
    }
    (values, invalid.iter().fold(0, |all, bad| all | bad))
}

/// Packs eight 6-bit lanes (first character in the lowest lane) into six bytes.
#[inline(always)]
const fn pack(values: u64) -> [u8; 6] {
    // Pairs of lanes into 12-bit values in 16-bit lanes: first << 6 | second.
    let pairs = ((values & 0x003f_003f_003f_003f) << 6) | ((values >> 8) & 0x003f_003f_003f_003f);
    // Pairs of those into 24-bit values in 32-bit lanes.
    let quads = ((pairs & 0x0000_0fff_0000_0fff) << 12) | ((pairs >> 16) & 0x0000_0fff_0000_0fff);
    let low = quads as u32;
    let high = (quads >> 32) as u32;
    let [_, a, b, c] = low.to_be_bytes();
    let [_, d, e, f] = high.to_be_bytes();
    [a, b, c, d, e, f]
}

/// The number of bytes `chars` base64 characters (without padding) carry.
pub(crate) const fn decoded_len(chars: usize) -> usize {
    chars / 8 * 6 + (chars % 8) * 6 / 8
}

/// Decodes base64 characters (no padding, no white space) and appends the bytes to `out`,
/// which must have room for [`decoded_len`] more bytes (so it never reallocates, which would
/// leave a copy of key bytes behind). Returns false — having appended garbage — when a
/// character is outside the alphabet; the caller then discards `out`. Time depends only on
/// the length of `text`.
pub(crate) fn decode(text: &[u8], out: &mut Vec<u8>) -> bool {
    let start = out.len();
    out.resize(start + decoded_len(text.len()), 0);
    let Some(target) = out.get_mut(start..) else {
        return false;
    };
    let mut invalid = 0u64;
    // Sixteen characters (twelve bytes) at a time, then eight, then the tail.
    let mut wide = text.chunks_exact(16);
    let mut wide_targets = target.chunks_exact_mut(12);
    for (chunk, target) in (&mut wide).zip(&mut wide_targets) {
        let mut chars = [0u8; 16];
        chars.copy_from_slice(chunk);
        let (values, bad) = sextets16(&chars);
        invalid |= u64::from(bad);
        let (low, high) = values.split_at(8);
        let (target_low, target_high) = target.split_at_mut(6);
        let lane = |half: &[u8]| {
            let mut lanes = [0u8; 8];
            lanes.copy_from_slice(half);
            u64::from_le_bytes(lanes)
        };
        target_low.copy_from_slice(&pack(lane(low)));
        target_high.copy_from_slice(&pack(lane(high)));
    }
    let text = wide.remainder();
    let target = wide_targets.into_remainder();
    let mut chunks = text.chunks_exact(8);
    let mut targets = target.chunks_exact_mut(6);
    for (chunk, target) in (&mut chunks).zip(&mut targets) {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(chunk);
        let (values, bad) = sextets(u64::from_le_bytes(lanes));
        invalid |= bad;
        target.copy_from_slice(&pack(values));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        // Pad the tail with 'A' (value 0) and keep only the bytes its characters carry.
        let mut lanes = [b'A'; 8];
        if let Some(head) = lanes.get_mut(..tail.len()) {
            head.copy_from_slice(tail);
        }
        let (values, bad) = sextets(u64::from_le_bytes(lanes));
        invalid |= bad;
        let bytes = pack(values);
        let rest = targets.into_remainder();
        if let Some(bytes) = bytes.get(..rest.len()) {
            rest.copy_from_slice(bytes);
        }
    }
    invalid == 0
}

/// Encodes `bytes` (public data: certificates) with padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let char_of = |sextet: u32| {
        char::from(
            ALPHABET
                .get((sextet & 63) as usize)
                .copied()
                .unwrap_or(b'A'),
        )
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        for (slot, byte) in group.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        let [a, b, c] = group;
        let n = u32::from_be_bytes([0, a, b, c]);
        out.push(char_of(n >> 18));
        out.push(char_of(n >> 12));
        out.push(if chunk.len() > 1 {
            char_of(n >> 6)
        } else {
            '='
        });
        out.push(if chunk.len() > 2 { char_of(n) } else { '=' });
    }
    out
}

/// True when every byte of `text` is in the alphabet; constant time in the bytes.
pub(crate) fn is_alphabet(text: &[u8]) -> bool {
    let mut scratch = Vec::with_capacity(decoded_len(text.len()));
    let valid = decode(text, &mut scratch);
    zeroize::Zeroize::zeroize(&mut scratch);
    valid
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    fn reference(text: &[u8]) -> Option<Vec<u8>> {
        let mut bits = 0u32;
        let mut nbits = 0;
        let mut out = Vec::new();
        for &c in text {
            let v = ALPHABET.iter().position(|&a| a == c)? as u32;
            bits = (bits << 6) | v;
            nbits += 6;
            if nbits >= 8 {
                nbits -= 8;
                out.push((bits >> nbits) as u8);
            }
        }
        Some(out)
    }

    #[test]
    fn every_character_decodes_to_its_value() {
        for (value, &c) in ALPHABET.iter().enumerate() {
            // In every lane of the 16-character path, then of the 8-character one.
            for lane in 0..24 {
                let mut text = [b'A'; 24];
                text[lane] = c;
                let mut out = Vec::new();
                assert!(decode(&text, &mut out), "{}", c as char);
                let expected = reference(&text).unwrap();
                if lane == 0 {
                    assert_eq!(out[0] >> 2, value as u8, "{}", c as char);
                }
                assert_eq!(out, expected, "{} in lane {lane}", c as char);
            }
        }
    }

    #[test]
    fn every_other_byte_is_refused_in_every_lane() {
        for byte in 0..=255u8 {
            if ALPHABET.contains(&byte) {
                continue;
            }
            for lane in 0..27 {
                let mut text = b"QUJDREVGR0hJSktMTU5PUFFSU1RV".to_vec();
                text.truncate(27);
                text[lane] = byte;
                assert!(
                    !decode(&text, &mut Vec::new()),
                    "byte {byte:#x} lane {lane}"
                );
            }
        }
    }

    #[test]
    fn encodes_the_rfc_4648_vectors_and_round_trips() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(bytes), text);
        }
        let all: Vec<u8> = (0..=255).collect();
        let text = encode(&all);
        let mut back = Vec::new();
        assert!(decode(text.trim_end_matches('=').as_bytes(), &mut back));
        assert_eq!(back, all);
    }

    #[test]
    fn known_vectors() {
        let cases: [(&[u8], &[u8]); 5] = [
            (b"", b""),
            (b"Zg", b"f"),
            (b"Zm8", b"fo"),
            (b"Zm9v", b"foo"),
            (b"Zm9vYmFyYmF6cXV4", b"foobarbazqux"),
        ];
        for (text, bytes) in cases {
            let mut out = Vec::new();
            assert!(decode(text, &mut out));
            assert_eq!(out, bytes);
            assert_eq!(decoded_len(text.len()), bytes.len());
        }
    }

    proptest! {
        #[test]
        fn matches_a_simple_decoder(text in prop::collection::vec(
            prop_oneof![prop::sample::select(ALPHABET.to_vec()), any::<u8>()], 0..100)
        ) {
            let mut out = Vec::new();
            let ok = decode(&text, &mut out);
            match reference(&text) {
                Some(bytes) => {
                    prop_assert!(ok);
                    prop_assert_eq!(out, bytes);
                }
                None => prop_assert!(!ok),
            }
        }
    }
}
