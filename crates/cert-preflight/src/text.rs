//! Text helpers every layer uses to show values in details: a value made safe to print, hex,
//! and RFC 3339 times. A leaf: it imports no other module of the crate.

/// `text` made safe to show in a detail: control characters escaped, cut to `max` characters
/// (with `…`).
pub(crate) fn shown(text: &str, max: usize) -> String {
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
