//! `application/x-www-form-urlencoded` decoding of query strings and form bodies
//! ([WHATWG URL §5.1]), strict about escapes: `+` is a space, `%XX` is a byte, and a `%` not
//! followed by two hex digits is a [`DecodeError`] (browsers keep it literally; the gateway's
//! clients never send one, so it is refused rather than guessed at).
//!
//! Duplicate names: every pair is kept in arrival order (query first, then body). Lookups
//! ([`Params::get`]) answer the first one, as the library's own request parser does;
//! [`Params::count`] and [`Params::first_duplicate`] tell a caller that wants to refuse them.
//! Signatures are computed over every pair, so a duplicate the client did not sign fails.
//!
//! [WHATWG URL §5.1]: https://url.spec.whatwg.org/#urlencoded-parsing

use std::fmt;
use std::ops::Range;

/// Where a parameter came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// The query string of the request target.
    Query,
    /// An `application/x-www-form-urlencoded` body.
    Body,
}

/// A `%` escape that is not `%` followed by two hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Which input held it.
    pub source: Source,
    /// Byte offset of the `%` in that input.
    pub offset: usize,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input = match self.source {
            Source::Query => "query string",
            Source::Body => "form body",
        };
        write!(
            f,
            "malformed percent escape at byte {} of the {input}",
            self.offset
        )
    }
}

impl std::error::Error for DecodeError {}

/// One decoded parameter. Its `Debug` shows the value's length only: values carry private
/// keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Param<'a> {
    /// The decoded name.
    pub name: &'a [u8],
    /// The decoded value (empty for `name` or `name=`).
    pub value: &'a [u8],
    /// Query or body.
    pub source: Source,
}

impl fmt::Debug for Param<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Param")
            .field("name", &String::from_utf8_lossy(self.name))
            .field("value_len", &self.value.len())
            .field("source", &self.source)
            .finish()
    }
}

#[derive(Clone, PartialEq, Eq)]
struct Entry {
    name: Range<usize>,
    value: Range<usize>,
    source: Source,
}

/// Decoded parameters, in arrival order, sharing one buffer: the decoded bytes never take
/// more room than the encoded input, and decoding is one linear pass.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params {
    buf: Vec<u8>,
    entries: Vec<Entry>,
}

/// Decodes one query string or form body (without the leading `?`) into [`Params`] whose
/// source is [`Source::Query`].
pub fn decode_form(input: &[u8]) -> Result<Params, DecodeError> {
    let mut params = Params::default();
    params.append(input, Source::Query)?;
    Ok(params)
}

impl Params {
    /// The parameters of a request: the query string's, then the form body's (`None` when the
    /// body is not a form, see [`content_type_is_form`](super::content_type_is_form)).
    pub fn from_query_and_body(query: &[u8], body: Option<&[u8]>) -> Result<Self, DecodeError> {
        let mut params = Params::default();
        params.append(query, Source::Query)?;
        if let Some(body) = body {
            params.append(body, Source::Body)?;
        }
        Ok(params)
    }

    /// Decodes `input` and appends its pairs. Empty segments (`a=1&&b=2`) are skipped; a
    /// segment without `=` is a name with an empty value.
    fn append(&mut self, input: &[u8], source: Source) -> Result<(), DecodeError> {
        self.buf.reserve(input.len());
        let mut start: usize = 0;
        for segment in input.split(|&b| b == b'&') {
            let segment_start = start;
            start = segment_start
                .saturating_add(segment.len())
                .saturating_add(1);
            if segment.is_empty() {
                continue;
            }
            let (raw_name, raw_value, value_offset) = match segment.iter().position(|&b| b == b'=')
            {
                Some(eq) => (
                    segment.get(..eq).unwrap_or_default(),
                    segment.get(eq.saturating_add(1)..).unwrap_or_default(),
                    segment_start.saturating_add(eq).saturating_add(1),
                ),
                None => (
                    segment,
                    &[][..],
                    segment_start.saturating_add(segment.len()),
                ),
            };
            let name = self.decode_into(raw_name, segment_start, source)?;
            let value = self.decode_into(raw_value, value_offset, source)?;
            self.entries.push(Entry {
                name,
                value,
                source,
            });
        }
        Ok(())
    }

    /// Decodes one name or value into the shared buffer and answers its range there.
    fn decode_into(
        &mut self,
        raw: &[u8],
        offset: usize,
        source: Source,
    ) -> Result<Range<usize>, DecodeError> {
        let begin = self.buf.len();
        let mut i = 0;
        while let Some(&byte) = raw.get(i) {
            match byte {
                b'+' => {
                    self.buf.push(b' ');
                    i += 1;
                }
                // A run of plain bytes is copied at once (a PEM value is mostly one).
                _ if byte != b'%' => {
                    let rest = raw.get(i..).unwrap_or_default();
                    let run = rest
                        .iter()
                        .position(|&b| b == b'+' || b == b'%')
                        .unwrap_or(rest.len());
                    self.buf
                        .extend_from_slice(rest.get(..run).unwrap_or_default());
                    i += run;
                }
                _ => {
                    // `%`: an escape.
                    let high = raw.get(i + 1).and_then(|&b| hex_value(b));
                    let low = raw.get(i + 2).and_then(|&b| hex_value(b));
                    match (high, low) {
                        (Some(high), Some(low)) => self.buf.push((high << 4) | low),
                        _ => {
                            self.buf.truncate(begin);
                            return Err(DecodeError {
                                source,
                                offset: offset.saturating_add(i),
                            });
                        }
                    }
                    i += 3;
                }
            }
        }
        Ok(begin..self.buf.len())
    }

    fn param(&self, entry: &Entry) -> Param<'_> {
        Param {
            name: self.buf.get(entry.name.clone()).unwrap_or_default(),
            value: self.buf.get(entry.value.clone()).unwrap_or_default(),
            source: entry.source,
        }
    }

    /// Every parameter, in arrival order (query first, then body).
    pub fn iter(&self) -> impl Iterator<Item = Param<'_>> + '_ {
        self.entries.iter().map(|entry| self.param(entry))
    }

    /// The number of parameters, duplicates included.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no parameter at all.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of the first parameter called `name` (names are case-sensitive).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|p| p.name == name.as_bytes())
            .map(|p| p.value)
    }

    /// [`Params::get`] as text; `None` when absent or not UTF-8.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name)
            .and_then(|value| std::str::from_utf8(value).ok())
    }

    /// How many parameters are called `name`.
    pub fn count(&self, name: &str) -> usize {
        self.iter().filter(|p| p.name == name.as_bytes()).count()
    }

    /// The first name (in byte order) that occurs more than once, if any.
    pub fn first_duplicate(&self) -> Option<&[u8]> {
        let mut names: Vec<&[u8]> = self.iter().map(|p| p.name).collect();
        names.sort_unstable();
        names.windows(2).find_map(|pair| match pair {
            [a, b] if a == b => Some(*a),
            _ => None,
        })
    }
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(params: &Params) -> Vec<(String, String)> {
        params
            .iter()
            .map(|p| {
                (
                    String::from_utf8(p.name.to_vec()).unwrap(),
                    String::from_utf8(p.value.to_vec()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn decodes_plus_and_escapes() {
        let params = decode_form(b"a=x+y%2Bz&b=%C3%a9&c&d=&=e&&f=1=2").unwrap();
        let expected = [
            ("a", "x y+z"),
            ("b", "é"),
            ("c", ""),
            ("d", ""),
            ("", "e"),
            ("f", "1=2"),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(pairs(&params), expected);
    }

    #[test]
    fn bad_escapes_are_errors_with_offsets() {
        for (input, offset) in [
            (&b"%"[..], 0),
            (b"a=%4", 2),
            (b"a=%zz", 2),
            (b"ok=1&b%g1=2", 6),
            (b"x=%%41", 2),
        ] {
            assert_eq!(
                decode_form(input),
                Err(DecodeError {
                    source: Source::Query,
                    offset
                }),
                "{input:?}"
            );
        }
        let err = Params::from_query_and_body(b"a=1", Some(b"b=%")).unwrap_err();
        assert_eq!(
            err,
            DecodeError {
                source: Source::Body,
                offset: 2
            }
        );
        assert_eq!(
            err.to_string(),
            "malformed percent escape at byte 2 of the form body"
        );
    }

    #[test]
    fn empty_input_has_no_params() {
        assert!(decode_form(b"").unwrap().is_empty());
        assert!(decode_form(b"&&&").unwrap().is_empty());
    }

    #[test]
    fn merges_query_then_body_and_keeps_the_first_duplicate() {
        let params = Params::from_query_and_body(b"Signature=abc&A=1", Some(b"A=2&B=3")).unwrap();
        assert_eq!(params.len(), 4);
        assert_eq!(params.get("A"), Some(&b"1"[..]));
        assert_eq!(params.count("A"), 2);
        assert_eq!(params.first_duplicate(), Some(&b"A"[..]));
        assert_eq!(params.get_str("B"), Some("3"));
        assert_eq!(params.iter().nth(2).unwrap().source, Source::Body);
        assert_eq!(params.get("a"), None);
    }

    #[test]
    fn debug_shows_lengths_not_values() {
        let params = decode_form(b"PrivateKey=SECRETKEYBYTES").unwrap();
        let debug = format!("{params:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("value_len: 14"), "{debug}");
    }

    #[test]
    fn decoded_bytes_never_exceed_the_input() {
        let input = b"a=%41%42%43+&b=ccc&c=%FF";
        let params = decode_form(input).unwrap();
        assert!(params.buf.len() <= input.len());
        assert_eq!(params.get("c"), Some(&[0xff][..]));
    }
}
