//! The one DER writer of the workspace's tests: enough to build odd certificates and keys by
//! hand. It lives in the library, compiled only for its unit tests, so that the published crate's
//! own tests build without the repository's test kit; the test kit includes this same file as
//! its `der` writer (for the fixture generator and the fuzz targets). Every writer returns the
//! full TLV (tag, length, content).

/// Universal tags used by the fixtures.
pub mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
}

/// One TLV with a definite, minimal length.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// SEQUENCE of already encoded parts.
pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag::SEQUENCE, &parts.concat())
}

/// SET of already encoded parts (callers pass them in DER order).
pub fn set(parts: &[&[u8]]) -> Vec<u8> {
    tlv(tag::SET, &parts.concat())
}

/// Constructed context-specific `[n]` (EXPLICIT tagging, or IMPLICIT of a constructed type).
pub fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, content)
}

/// Primitive context-specific `[n]` (IMPLICIT of a primitive type).
pub fn implicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0x80 | n, content)
}

/// INTEGER from an unsigned big-endian magnitude (minimal: leading zeros stripped, a 0x00
/// added when the high bit is set).
pub fn uint(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|b| **b == 0).count();
    let trimmed = &magnitude[skip..];
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    tlv(tag::INTEGER, &content)
}

/// INTEGER from a small non-negative number.
pub fn small_uint(v: u64) -> Vec<u8> {
    uint(&v.to_be_bytes())
}

/// OBJECT IDENTIFIER from dotted form.
pub fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    assert!(arcs.len() >= 2, "OID {dotted}");
    let mut content = Vec::new();
    let mut push_arc = |mut v: u64| {
        let mut bytes = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            bytes.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        bytes.reverse();
        content.extend_from_slice(&bytes);
    };
    push_arc(arcs[0] * 40 + arcs[1]);
    for arc in &arcs[2..] {
        push_arc(*arc);
    }
    tlv(tag::OID, &content)
}

pub fn octet_string(bytes: &[u8]) -> Vec<u8> {
    tlv(tag::OCTET_STRING, bytes)
}

/// BIT STRING with no unused bits.
pub fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = vec![0];
    content.extend_from_slice(bytes);
    tlv(tag::BIT_STRING, &content)
}

/// BIT STRING of named bits (bit 0 is the most significant bit of the first octet), DER:
/// trailing zero bits removed.
pub fn named_bits(bits: &[u8]) -> Vec<u8> {
    let last = bits.iter().copied().max().unwrap_or(0) as usize;
    let mut octets = vec![0u8; last / 8 + 1];
    for bit in bits {
        octets[*bit as usize / 8] |= 0x80 >> (bit % 8);
    }
    let unused = 7 - (last % 8) as u8;
    let mut content = vec![unused];
    content.extend_from_slice(&octets);
    tlv(tag::BIT_STRING, &content)
}

pub fn null() -> Vec<u8> {
    tlv(tag::NULL, &[])
}

pub fn boolean(v: bool) -> Vec<u8> {
    tlv(tag::BOOLEAN, &[if v { 0xff } else { 0 }])
}

pub fn utf8_string(s: &str) -> Vec<u8> {
    tlv(tag::UTF8_STRING, s.as_bytes())
}

/// A moment as X.509 writes it (RFC 5280 4.1.2.5): UTCTime for 1950–2049, GeneralizedTime
/// from 2050 on.
#[derive(Clone, Copy, Debug)]
pub struct Time {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Time {
    /// Midnight UTC of a date.
    pub const fn date(year: u32, month: u32, day: u32) -> Self {
        Self {
            year,
            month,
            day,
            hour: 0,
            minute: 0,
            second: 0,
        }
    }

    pub const fn at(year: u32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Self {
        Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        }
    }

    /// The DER encoding RFC 5280 requires for this moment.
    pub fn der(&self) -> Vec<u8> {
        let Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        } = *self;
        assert!((1950..=9999).contains(&year));
        if year < 2050 {
            let text = format!(
                "{:02}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z",
                year % 100
            );
            tlv(tag::UTC_TIME, text.as_bytes())
        } else {
            let text = format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z");
            tlv(tag::GENERALIZED_TIME, text.as_bytes())
        }
    }
}
