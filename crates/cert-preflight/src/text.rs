//! Text helpers every layer uses to show values in details: a value made safe to print, hex,
//! and RFC 3339 times. A leaf: it imports no other module of the crate.

/// How many base64 characters in a row make a value look like key material: more than a DNS
/// label (63) or an access key id holds.
const BASE64_RUN: usize = 64;

/// True when `bytes` look like key material — PEM armour (`-----BEGIN`, `-----END`), or a run
/// of 64 or more base64 characters (a key's body without its armour) — and must never be
/// echoed, logged or stored: what a value in the wrong parameter is replaced with.
pub fn looks_like_key_material(bytes: &[u8]) -> bool {
    if memchr::memmem::find(bytes, b"-----BEGIN").is_some()
        || memchr::memmem::find(bytes, b"-----END").is_some()
    {
        return true;
    }
    let mut run = 0;
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' {
            run += 1;
            if run >= BASE64_RUN {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// What is shown instead of a value of `len` bytes that looks like key material.
pub fn withheld(len: usize) -> String {
    format!("[{len} bytes withheld: they look like key material]")
}

/// `text` made safe to show in a detail: control characters escaped, cut to `max` characters
/// (with `…`); a value that looks like key material is withheld whole.
pub(crate) fn shown(text: &str, max: usize) -> String {
    if looks_like_key_material(text.as_bytes()) {
        return withheld(text.len());
    }
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(text, "{b:02x}");
    }
    text
}

/// Formats Unix seconds as RFC 3339 UTC (`2026-06-01T00:00:00Z`).
pub(crate) fn rfc3339(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{seconds} seconds after 1970"))
}

/// Formats a time as RFC 3339 UTC (`2026-06-01T00:00:00Z`).
pub(crate) fn rfc3339_time(time: time::OffsetDateTime) -> String {
    rfc3339(time.unix_timestamp())
}

/// Quoted alternatives in words: `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
pub(crate) fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    match quoted.split_last() {
        None => "nothing".to_owned(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}
