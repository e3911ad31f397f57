//! The fuzz targets' bodies. `fuzz/fuzz_targets/*.rs` call them through this crate's library,
//! and `tests/fuzz_replay.rs` includes this very file (`#[path]`), so the stable test suite
//! replays every corpus and regression input through exactly what the fuzzer ran.
//!
//! Every target takes the raw bytes libFuzzer hands it; the structured ones (`key_match`,
//! `validate`) decode them with `arbitrary` the way `fuzz_target!(|input: T| …)` does. Each
//! asserts invariants and panics when one breaks: every rejection is an entry of the checked
//! profile's own catalog, a valid generated pair is accepted, the wrappers below `validate` agree
//! with the pipeline, and nothing printed — `Display` or `Debug` of a verdict, finding, failure,
//! warning or error — holds a 16-character run of the key's base64 or of the hex of its DER.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::missing_panics_doc
)]

use std::collections::HashSet;

use arbitrary::{Arbitrary, Unstructured};
use cert_preflight::fuzzing::{self, DerivedKey};
use cert_preflight::{
    CasStatus, CertKind, Failure, FaultFlags, Field, FramingError, InMemoryState, KeyProblem,
    Label, Limits, Options, Profile, Request, Role, StoredCertificate, SubjectKey, Value, Verdict,
    Warning, validate,
};
use time::OffsetDateTime;
use time::macros::datetime;

/// The fixed check time of the fixtures (testdata/README.md).
pub const NOW: OffsetDateTime = datetime!(2026-06-01 0:00 UTC);

// ---------------------------------------------------------------------------------------------
// Secrets: what must never be printed.

/// Length of the runs searched for.
const WINDOW: usize = 16;

/// Key material that no output may contain, and public text that may hold the same runs.
///
/// Outputs are short and rarely hold a long base64 run, so `check` looks at the output's
/// windows first and searches the sources only for a candidate: cheap enough for a fuzz target.
#[derive(Default, Clone)]
pub struct Secrets {
    /// Key text as given, and the hex (both cases) and base64 (three alignments) of key DER.
    sources: Vec<Vec<u8>>,
    /// Public text: a window found here too is not a leak.
    public: Vec<Vec<u8>>,
    /// Every window of the sources, built at the first candidate.
    index: std::cell::OnceCell<HashSet<u128, BuildFast>>,
}

/// A multiplicative hash for 16-byte windows (no DoS concern in a test).
#[derive(Default, Clone, Copy)]
pub struct BuildFast;

/// The hasher of [`BuildFast`].
#[derive(Default)]
pub struct Fast(u64);

impl std::hash::Hasher for Fast {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u128(&mut self, v: u128) {
        let folded = (v as u64) ^ ((v >> 64) as u64).rotate_left(29);
        self.0 = folded.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

impl std::hash::BuildHasher for BuildFast {
    type Hasher = Fast;
    fn build_hasher(&self) -> Fast {
        Fast(0)
    }
}

fn key(window: &[u8]) -> u128 {
    u128::from_le_bytes(window.try_into().unwrap())
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'='
}

/// A window that could be key material: base64 (or hex) characters only, with a digit, `+` or
/// `/` (so words such as parameter names are not taken for keys), at least 6 distinct (so runs
/// such as `AAAA…` or `0000…` are not either).
fn candidate(window: &[u8]) -> bool {
    if !window.iter().all(|&b| is_base64(b))
        || !window
            .iter()
            .any(|&b| b.is_ascii_digit() || b == b'+' || b == b'/')
    {
        return false;
    }
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &b in window {
        if !seen[usize::from(b)] {
            seen[usize::from(b)] = true;
            distinct += 1;
        }
    }
    distinct >= 6
}

fn holds(haystack: &[u8], window: &[u8]) -> bool {
    haystack.windows(window.len()).any(|w| w == window)
}

impl Secrets {
    /// A key parameter's text as given.
    pub fn add_base64_text(&mut self, text: &[u8]) {
        self.sources.push(text.to_vec());
    }

    /// Key DER: its hex (both cases) and its base64 at the three byte alignments.
    pub fn add_der(&mut self, der: &[u8]) {
        let hex = hex_lower(der);
        self.sources.push(hex.to_ascii_uppercase().into_bytes());
        self.sources.push(hex.into_bytes());
        for skip in 0..3 {
            if let Some(rest) = der.get(skip..) {
                self.sources.push(base64(rest).into_bytes());
            }
        }
    }

    /// Public text (another parameter, a certificate): its runs are not secrets even when the
    /// key parameter holds them too.
    pub fn allow(&mut self, public: &[u8]) {
        self.public.push(public.to_vec());
        // As `Debug` and the details show text: control characters escaped (`\n` puts an
        // `n` next to the base64 of the following line).
        let text = String::from_utf8_lossy(public);
        self.public.push(format!("{text:?}").into_bytes());
        let mut shown = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_control() {
                shown.extend(c.escape_default());
            } else {
                shown.push(c);
            }
        }
        self.public.push(shown.into_bytes());
    }

    /// Public bytes, as hex: [`Secrets::allow`] for their hex in both cases.
    pub fn allow_hex(&mut self, public: &[u8]) {
        let hex = hex_lower(public);
        self.public.push(hex.to_ascii_uppercase().into_bytes());
        self.public.push(hex.into_bytes());
    }

    /// The public parts of a derived key (e is printed in some details).
    pub fn allow_public_key(&mut self, key: &SubjectKey) {
        if let SubjectKey::Rsa { n, e } = key {
            self.allow_hex(n);
            self.allow_hex(e);
        }
    }

    /// Panics when `output` holds a window of key material.
    pub fn check(&self, what: &str, output: &str) {
        if self.sources.is_empty() {
            return;
        }
        for window in output.as_bytes().windows(WINDOW) {
            if !candidate(window) {
                continue;
            }
            let index = self.index.get_or_init(|| {
                let mut all = HashSet::with_hasher(BuildFast);
                for source in &self.sources {
                    all.extend(source.windows(WINDOW).map(key));
                }
                all
            });
            if index.contains(&key(window)) && !self.public.iter().any(|p| holds(p, window)) {
                panic!(
                    "{what} prints key material {:?}: {output}",
                    String::from_utf8_lossy(window)
                );
            }
        }
    }

    /// True when there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

/// Lower-case hex.
pub fn hex_lower(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A PEM block in the published format: 64-character lines, LF, a final newline.
pub fn pem_block(label: &str, der: &[u8]) -> String {
    let body = base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The secrets of a key parameter's value: the windows of its text, and of the DER of its key
/// block when it frames and decodes. Public parts of the key, when it derives, are allowed.
pub fn key_secrets(value: &[u8]) -> Secrets {
    let mut secrets = Secrets::default();
    secrets.add_base64_text(value);
    let Ok(text) = std::str::from_utf8(value) else {
        return secrets;
    };
    let Ok(field) = fuzzing::private_key_field(text) else {
        return secrets;
    };
    if let Ok(der) = &field.key.decoded {
        secrets.add_der(der);
        let parameters = field
            .parameters
            .as_ref()
            .and_then(|p| p.decoded.as_ref().ok());
        if let Ok(key) =
            fuzzing::private_key(&field.key.label, der, parameters.map(|p| p.as_slice()))
        {
            secrets.allow_public_key(&key.public());
        }
    }
    secrets
}

/// Allows a certificate parameter's text and the DER of its blocks (subjects are printed).
pub fn allow_certificate(secrets: &mut Secrets, value: &[u8]) {
    if secrets.is_empty() {
        return;
    }
    secrets.allow(value);
    if let Ok(text) = std::str::from_utf8(value)
        && let Ok(framed) = fuzzing::pem(text, Field::Certificate)
    {
        for block in framed.blocks {
            if let Ok(der) = &block.decoded {
                secrets.allow(der);
                secrets.allow_hex(der);
            }
        }
    }
}

/// Everything a user or a log may see of a verdict.
pub fn renderings(verdict: &Verdict) -> Vec<(&'static str, String)> {
    let mut out = vec![("verdict Debug", format!("{verdict:?}"))];
    for finding in verdict.findings() {
        out.push(("finding Display", finding.to_string()));
        out.push(("finding Debug", format!("{finding:?}")));
        out.push(("finding detail", finding.detail()));
        out.push(("failure Display", finding.failure().to_string()));
        out.push(("failure Debug", format!("{:?}", finding.failure())));
    }
    for warning in verdict.warnings() {
        out.push(("warning Display", warning.to_string()));
        out.push(("warning Debug", format!("{warning:?}")));
    }
    out
}

/// The catalog invariants of one verdict, and its secrecy.
pub fn check_verdict(profile: &Profile, verdict: &Verdict, secrets: &Secrets) {
    assert_eq!(verdict.is_accepted(), verdict.findings().is_empty());
    assert_eq!(verdict.answer(), verdict.findings().first());
    if !verdict.is_accepted() {
        assert!(verdict.upload().is_none());
    }
    for finding in verdict.findings() {
        assert!(
            profile.catalog().contains(finding.entry()),
            "{} answered {:?}, which is not in its catalog",
            profile.name(),
            finding.entry()
        );
        assert_eq!(profile.entry_for(finding.failure()), Some(finding.entry()));
        assert!(!finding.detail().is_empty());
    }
    for warning in verdict.warnings() {
        assert!(!warning.code().is_empty());
    }
    for (what, text) in renderings(verdict) {
        secrets.check(what, &text);
    }
}

/// The profile an input picks: every profile in turn.
fn profile(pick: usize) -> &'static Profile {
    Profile::ALL[pick % Profile::ALL.len()]
}

/// The finding of a `Key.Malformed` answer, if any.
fn key_problem(verdict: &Verdict) -> Option<&KeyProblem> {
    verdict.findings().iter().find_map(|f| match f.failure() {
        Failure::PrivateKey(problem) => Some(problem),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------
// Fixtures, compiled in (paths relative to this file).

macro_rules! fixtures {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!("../../../testdata/", $path)))),*]
    };
}

/// Certificates, keys and broken variants from `testdata/`.
pub const FIXTURES: &[(&str, &[u8])] = fixtures![
    "p256/fullchain.pem",
    "p256/cert-compressed.pem",
    "p256/key.pkcs8.pem",
    "p256/key.sec1.pem",
    "p256/key.sec1-nopub.pem",
    "p256/key.sec1-params.pem",
    "p384/fullchain.pem",
    "p384/key.sec1.pem",
    "p521/fullchain.pem",
    "p521/key.pkcs8.pem",
    "sm2/fullchain.pem",
    "sm2/key.pkcs8.pem",
    "ed25519/fullchain.pem",
    "ed25519/key.pkcs8-v1.pem",
    "ed25519/key.pkcs8v2.pem",
    "rsa2048/fullchain.pem",
    "rsa2048/chain3.pem",
    "rsa2048/key.pkcs1.pem",
    "rsa2048/key.pkcs8.pem",
    "rsa1024/fullchain.pem",
    "rsa1024/key.pkcs1.pem",
    "mismatch/p256-b.key.sec1.pem",
    "mismatch/rsa2048-b.key.pkcs1.pem",
    "mismatch/ed25519-b.key.pkcs8.pem",
    "spliced/ec-p256-pub-a-scalar-b.pem",
    "spliced/rsa-cert-ne-other-dpq.pem",
    "spliced/rsa-e-large.pem",
    "spliced/rsa-e-large.fullchain.pem",
    "spliced/ed25519-v2-pub-of-b.pem",
    "chain/reversed.pem",
    "chain/bad-second.pem",
    "chain/unrelated-intermediate.pem",
    "pem/stray-begin.pem",
    "pem/bag-attributes.pem",
    "pem/bag-attributes.key.pem",
    "pem/cert-and-key.pem",
    "pem/header-in-block.pem",
    "pem/trailing-bytes.pem",
    "pem/public-key.pem",
    "time/expired.pem",
    "weak/sha1.pem",
    "names/wildcard.pem",
    "keys/rsa2048.encrypted-pkcs1.pem",
    "keys/secp256k1.sec1.pem",
    "keys/rsa-3prime.pem",
];

/// Matching (certificate, key) pairs that must be accepted at [`NOW`].
pub const VALID_PAIRS: &[(&str, &str)] = &[
    ("p256/fullchain.pem", "p256/key.pkcs8.pem"),
    ("p256/cert-compressed.pem", "p256/key.sec1-nopub.pem"),
    ("p384/fullchain.pem", "p384/key.sec1.pem"),
    ("p521/fullchain.pem", "p521/key.pkcs8.pem"),
    ("sm2/fullchain.pem", "sm2/key.pkcs8.pem"),
    ("ed25519/fullchain.pem", "ed25519/key.pkcs8v2.pem"),
    ("rsa2048/chain3.pem", "rsa2048/key.pkcs1.pem"),
    ("rsa1024/fullchain.pem", "rsa1024/key.pkcs1.pem"),
    ("pem/bag-attributes.pem", "pem/bag-attributes.key.pem"),
    (
        "spliced/rsa-e-large.fullchain.pem",
        "spliced/rsa-e-large.pem",
    ),
    ("names/wildcard.pem", "rsa2048/key.pkcs8.pem"),
];

/// The bytes of a fixture named in [`FIXTURES`].
pub fn fixture(name: &str) -> &'static [u8] {
    FIXTURES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, bytes)| *bytes)
        .unwrap_or_else(|| panic!("{name} is not in FIXTURES"))
}

/// Words the parameters take, good and bad.
pub const WORDS: &[&str] = &[
    "on",
    "off",
    "ON",
    "",
    " ",
    "upload",
    "cas",
    "free",
    "1",
    "12345",
    "cn-hangzhou",
    "ap-southeast-1",
    "staging",
    "0",
    "www.example.com",
    "example.com",
    "a.b.example.com",
    ".example.com",
    "*.example.com",
    "xn--fsqu00a.xn--0zwm56d",
    "prod-2026",
    "\u{8bc1}\u{4e66}",
    "bad/domain",
];

// ---------------------------------------------------------------------------------------------
// pem: PEM framing and base64 of both fields.

/// What a framing error is, without its labels (they differ by field on purpose).
fn framing_shape(error: &FramingError) -> (u8, usize, usize) {
    match error {
        FramingError::NoBlocks { bare_base64 } => (0, usize::from(*bare_base64), 0),
        FramingError::MalformedBoundary { line } => (1, *line, 0),
        FramingError::StrayBegin {
            open_line, line, ..
        } => (2, *open_line, *line),
        FramingError::EndMismatch {
            begin_line,
            end_line,
            ..
        } => (3, *begin_line, *end_line),
        FramingError::EndWithoutBegin { line } => (4, *line, 0),
        FramingError::Unterminated { begin_line, .. } => (5, *begin_line, 0),
        _ => (255, 0, 0),
    }
}

fn same_label(certificate: &Label, key: &Label) -> bool {
    match (certificate, key) {
        (Label::Other(_), Label::Other(None)) => true,
        (_, Label::Other(Some(_))) => false,
        (c, k) => c == k,
    }
}

/// PEM decoding of both fields: the same framing and the same bytes whichever field a text is
/// in (only labels are hidden in the key field), a canonical re-encoding decodes to the same
/// bytes, the fields' rules hold, and no key-field error or note shows the text.
pub fn pem(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let as_certificate = fuzzing::pem(&text, Field::Certificate);
    let as_key = fuzzing::pem(&text, Field::PrivateKey);
    let mut secrets = Secrets::default();
    secrets.add_base64_text(text.as_bytes());
    match (&as_certificate, &as_key) {
        (Ok(c), Ok(k)) => {
            assert_eq!(c.blocks.len(), k.blocks.len());
            assert_eq!(c.notes, k.notes);
            for (cb, kb) in c.blocks.iter().zip(&k.blocks) {
                assert!(same_label(&cb.label, &kb.label), "{cb:?} / {kb:?}");
                assert_eq!(
                    (cb.begin_line, cb.end_line, cb.headers, cb.encrypted),
                    (kb.begin_line, kb.end_line, kb.headers, kb.encrypted)
                );
                assert!(cb.begin_line < cb.end_line);
                match (&cb.decoded, &kb.decoded) {
                    (Ok(a), Ok(b)) => assert_eq!(a.as_slice(), b.as_slice()),
                    (Err(_), Err(e)) => {
                        if let cert_preflight::Base64Error::InvalidCharacter { character, .. } = e {
                            assert!(character.is_none(), "the key field names a character");
                        }
                    }
                    (a, b) => panic!(
                        "block at line {}: certificate field {:?}, key field {:?}",
                        cb.begin_line,
                        a.as_ref().map(|d| d.len()),
                        b.as_ref().map(|d| d.len())
                    ),
                }
                if let Ok(der) = &kb.decoded {
                    secrets.add_der(der);
                    round_trip(der);
                }
            }
        }
        (Err(c), Err(k)) => assert_eq!(framing_shape(c), framing_shape(k), "{c:?} / {k:?}"),
        (c, k) => panic!("framing differs by field: {c:?} / {k:?}"),
    }
    if let Ok(k) = &as_key {
        secrets.check("key-field PEM Debug", &format!("{k:?}"));
        for note in &k.notes {
            secrets.check("key-field note", &note.to_string());
        }
    }
    if let Err(e) = &as_key {
        secrets.check("key-field framing error", &e.to_string());
        secrets.check("key-field framing error Debug", &format!("{e:?}"));
    }

    match fuzzing::certificate_field(&text) {
        Ok(blocks) => {
            assert!(!blocks.is_empty());
            for block in &blocks {
                assert!(matches!(
                    block.label,
                    Label::Certificate | Label::X509Certificate
                ));
                assert_eq!(block.headers, 0);
            }
            assert_eq!(blocks.len(), as_certificate.as_ref().unwrap().blocks.len());
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
    match fuzzing::private_key_field(&text) {
        Ok(field) => {
            assert!(matches!(
                field.key.label,
                Label::PrivateKey
                    | Label::RsaPrivateKey
                    | Label::EcPrivateKey
                    | Label::EncryptedPrivateKey
                    | Label::DsaPrivateKey
                    | Label::OpensshPrivateKey
                    | Label::PublicKey
                    | Label::RsaPublicKey
            ));
            if let Some(parameters) = &field.parameters {
                assert_eq!(parameters.label, Label::EcParameters);
                assert_eq!(field.key.label, Label::EcPrivateKey);
                assert!(parameters.begin_line < field.key.begin_line);
            }
            secrets.check("key field Debug", &format!("{field:?}"));
            if let Some(refusal) = &field.refusal {
                secrets.check("key refusal", &refusal.to_string());
            }
        }
        Err(e) => {
            secrets.check("key field error", &e.to_string());
            secrets.check("key field error Debug", &format!("{e:?}"));
        }
    }
}

/// Bytes decoded from a block, written back as a canonical block, decode to the same bytes in
/// both fields, with no format note.
fn round_trip(der: &[u8]) {
    if der.is_empty() {
        return;
    }
    let text = pem_block("CERTIFICATE", der);
    for field in [Field::Certificate, Field::PrivateKey] {
        let framed = fuzzing::pem(&text, field).unwrap();
        assert_eq!(framed.blocks.len(), 1);
        assert!(framed.notes.is_empty(), "{:?}", framed.notes);
        assert_eq!(framed.blocks[0].decoded.as_ref().unwrap().as_slice(), der);
    }
}

// ---------------------------------------------------------------------------------------------
// certificate: chain parsing from DER and PEM.

/// The indexes a warning names are indexes of the chain.
fn check_warnings(warnings: &[Warning], len: usize) {
    for warning in warnings {
        let indexes: Vec<usize> = match warning {
            Warning::DuplicateCertificate { index, first } => {
                assert!(first < index);
                vec![*index, *first]
            }
            Warning::IssuerMissing { index, .. }
            | Warning::NotInChain { index, .. }
            | Warning::IntermediateExpired { index, .. }
            | Warning::IntermediateNotYetValid { index, .. }
            | Warning::WeakSignature { index, .. } => vec![*index],
            Warning::ChainOutOfOrder { order } => order.clone(),
            _ => Vec::new(),
        };
        for index in indexes {
            assert!(index < len, "{warning:?} in a chain of {len}");
        }
        assert!(!warning.to_string().is_empty());
    }
}

fn check_chain(ders: &[&[u8]]) {
    let now = NOW.unix_timestamp();
    for leaf in 0..ders.len().min(3) {
        match fuzzing::chain(ders, leaf, now) {
            Ok((infos, warnings)) => {
                assert_eq!(infos.len(), ders.len());
                check_warnings(&warnings, ders.len());
            }
            Err((index, error)) => {
                assert!(index < ders.len());
                assert_eq!(fuzzing::certificate(ders[index]), Err(error));
                for der in &ders[..index] {
                    assert!(fuzzing::certificate(der).is_ok());
                }
            }
        }
    }
}

/// The DER elements laid end to end in `data`, when it is exactly that.
fn der_elements(data: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let len_byte = *rest.get(1)?;
        let (header, len) = if len_byte < 0x80 {
            (2, usize::from(len_byte))
        } else {
            let count = usize::from(len_byte & 0x7f);
            if count == 0 || count > 3 {
                return None;
            }
            let mut len = 0usize;
            for i in 0..count {
                len = (len << 8) | usize::from(*rest.get(2 + i)?);
            }
            (2 + count, len)
        };
        let end = header.checked_add(len)?;
        out.push(rest.get(..end)?);
        rest = &rest[end..];
    }
    Some(out)
}

/// Chain parsing from DER (one certificate, or several end to end) and from the certificate
/// field's PEM: a chain fails exactly at its first certificate that fails alone, and every
/// index a warning names is in the chain.
pub fn certificate(data: &[u8]) {
    if let Ok(info) = fuzzing::certificate(data) {
        let (infos, warnings) = fuzzing::chain(&[data], 0, NOW.unix_timestamp()).unwrap();
        assert_eq!(infos, vec![info.clone()]);
        check_warnings(&warnings, 1);
        assert!(!info.key.to_string().is_empty());
        for name in &info.dns_names {
            let _ = fuzzing::covers(&info.dns_names, name);
        }
    }
    if let Some(elements) = der_elements(data)
        && elements.len() > 1
        && elements.len() <= 8
    {
        check_chain(&elements);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(blocks) = fuzzing::certificate_field(text)
    {
        let ders: Vec<&[u8]> = blocks
            .iter()
            .filter_map(|b| b.decoded.as_ref().ok().map(|d| d.as_slice()))
            .collect();
        if ders.len() == blocks.len() && ders.len() <= 8 {
            check_chain(&ders);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// private_key: every key encoding.

/// A certificate field every key is checked against in `private_key` (an RSA chain).
const RSA_CHAIN: &str = "rsa2048/fullchain.pem";

/// Named-curve OIDs (DER) an `EC PARAMETERS` block may hold.
const CURVE_PARAMETERS: &[&[u8]] = &[
    &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07], // P-256
    &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],                   // P-384
    &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23],                   // P-521
    &[0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d], // SM2
];

fn label_text(label: &Label) -> &'static str {
    match label {
        Label::RsaPrivateKey => "RSA PRIVATE KEY",
        Label::EcPrivateKey => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}

/// Every key encoding: the first byte picks the label (PKCS#1, PKCS#8, SEC1) and an optional
/// `EC PARAMETERS` block, the rest is the DER. A key that derives matches its own public key;
/// a PKCS#1 key derives the same wrapped in PKCS#8; the pipeline, given the same DER as PEM,
/// refuses it for the same reason; nothing printed holds key material.
pub fn private_key(data: &[u8]) {
    let Some((&selector, der)) = data.split_first() else {
        return;
    };
    let label = [Label::RsaPrivateKey, Label::PrivateKey, Label::EcPrivateKey]
        [usize::from(selector % 3)]
    .clone();
    let parameters = match (selector / 3) % 8 {
        n @ 0..=3 => Some(CURVE_PARAMETERS[usize::from(n)]),
        _ => None,
    }
    .filter(|_| label == Label::EcPrivateKey);

    let mut secrets = Secrets::default();
    secrets.add_der(der);
    let result = fuzzing::private_key(&label, der, parameters);
    if let Ok(key) = &result {
        let public = key.public();
        secrets.allow_public_key(&public);
        assert_eq!(fuzzing::key_match(key, &public), Ok(()));
        if label == Label::RsaPrivateKey {
            let wrapped = pkcs8_rsa(der);
            let again = fuzzing::private_key(&Label::PrivateKey, &wrapped, None);
            assert_eq!(again.as_ref().map(DerivedKey::public), Ok(public.clone()));
        }
    }
    secrets.check("derived key", &format!("{result:?}"));
    if let Err(problem) = &result {
        secrets.check("key problem", &problem.to_string());
    }

    // The same DER as the key parameter, through the whole pipeline.
    let mut text = String::new();
    if let Some(parameters) = parameters {
        text.push_str(&pem_block("EC PARAMETERS", parameters));
    }
    text.push_str(&pem_block(label_text(&label), der));
    let chain = fixture(RSA_CHAIN);
    secrets.allow(chain);
    let request = Request::upload(chain, text.as_str()).with_cert_name("fuzz");
    // One profile per input (both check the key the same way): half the cost.
    {
        let profile = profile(der.len());
        let verdict = validate(profile, &request, &Options::at(NOW)).unwrap();
        check_verdict(profile, &verdict, &secrets);
        if text.len() <= Limits::DEFAULT.private_key && !der.is_empty() {
            match &result {
                Ok(_) => assert_eq!(key_problem(&verdict), None),
                Err(problem) => assert_eq!(key_problem(&verdict), Some(problem)),
            }
        }
    }
}

/// PKCS#8 v1 around an `RSAPrivateKey`.
fn pkcs8_rsa(pkcs1: &[u8]) -> Vec<u8> {
    let algorithm = der::seq(&[&der::oid(&[1, 2, 840, 113_549, 1, 1, 1]), &der::null()]);
    der::seq(&[&der::uint(&[0]), &algorithm, &der::octet_string(pkcs1)])
}

// ---------------------------------------------------------------------------------------------
// DER building, for keys and certificates made from structured input.

/// Minimal DER encoders.
pub mod der {
    /// A TLV.
    pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
        out.extend_from_slice(content);
        out
    }

    /// SEQUENCE of the parts.
    pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
        tlv(0x30, &parts.concat())
    }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    pub fn uint(magnitude: &[u8]) -> Vec<u8> {
        let skip = magnitude.iter().take_while(|&&b| b == 0).count();
        let mut content = magnitude[skip..].to_vec();
        if content.first().is_none_or(|&b| b & 0x80 != 0) {
            content.insert(0, 0);
        }
        tlv(0x02, &content)
    }

    /// An OBJECT IDENTIFIER from its arcs.
    pub fn oid(arcs: &[u64]) -> Vec<u8> {
        let mut content = vec![(arcs[0] * 40 + arcs[1]) as u8];
        for &arc in &arcs[2..] {
            let mut groups = vec![(arc & 0x7f) as u8];
            let mut rest = arc >> 7;
            while rest > 0 {
                groups.push(0x80 | (rest & 0x7f) as u8);
                rest >>= 7;
            }
            content.extend(groups.iter().rev());
        }
        tlv(0x06, &content)
    }

    /// NULL.
    pub fn null() -> Vec<u8> {
        vec![0x05, 0x00]
    }

    /// OCTET STRING.
    pub fn octet_string(bytes: &[u8]) -> Vec<u8> {
        tlv(0x04, bytes)
    }

    /// BIT STRING with no unused bits.
    pub fn bit_string(bytes: &[u8]) -> Vec<u8> {
        let mut content = vec![0];
        content.extend_from_slice(bytes);
        tlv(0x03, &content)
    }

    /// `[n]` EXPLICIT.
    pub fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
        tlv(0xa0 | n, content)
    }

    /// UTF8String.
    pub fn utf8(text: &str) -> Vec<u8> {
        tlv(0x0c, text.as_bytes())
    }

    /// UTCTime.
    pub fn utc_time(text: &str) -> Vec<u8> {
        tlv(0x17, text.as_bytes())
    }

    /// Reads one TLV: (tag, content, rest). Short and long lengths up to 3 octets.
    pub fn read(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
        let tag = *data.first()?;
        let first = *data.get(1)?;
        let (header, len) = if first < 0x80 {
            (2, usize::from(first))
        } else {
            let count = usize::from(first & 0x7f);
            if count == 0 || count > 3 {
                return None;
            }
            let mut len = 0;
            for i in 0..count {
                len = (len << 8) | usize::from(*data.get(2 + i)?);
            }
            (2 + count, len)
        };
        let content = data.get(header..header + len)?;
        Some((tag, content, &data[header + len..]))
    }
}

const OID_RSA: &[u64] = &[1, 2, 840, 113_549, 1, 1, 1];
const OID_EC: &[u64] = &[1, 2, 840, 10_045, 2, 1];
const OID_ED25519: &[u64] = &[1, 3, 101, 112];
const OID_ECDSA_SHA256: &[u64] = &[1, 2, 840, 10_045, 4, 3, 2];
const OID_CN: &[u64] = &[2, 5, 4, 3];

/// A self-issued certificate for `www.example.com` (CN only), valid 2026-01-01 → 2027-01-01,
/// holding `spki`. The signature is not a real one: the checks do not verify signatures.
pub fn certificate_for(spki: &[u8]) -> Vec<u8> {
    let name = der::seq(&[&der::tlv(
        0x31,
        &der::seq(&[&der::oid(OID_CN), &der::utf8("www.example.com")]),
    )]);
    let algorithm = der::seq(&[&der::oid(OID_ECDSA_SHA256)]);
    let tbs = der::seq(&[
        &der::explicit(0, &der::uint(&[2])),
        &der::uint(&[0x42, 0x01, 0x02, 0x03]),
        &algorithm,
        &name,
        &der::seq(&[
            &der::utc_time("260101000000Z"),
            &der::utc_time("270101000000Z"),
        ]),
        &name,
        spki,
    ]);
    der::seq(&[&tbs, &algorithm, &der::bit_string(&[0x55; 8])])
}

// ---------------------------------------------------------------------------------------------
// key_match: structured keys and certificates.

/// The committed RSA keys (PKCS#8) a structured input may pick: RSA key generation is too slow
/// for a fuzz target. `rsa-3prime` is refused (multi-prime).
pub const RSA_KEYS: &[(&str, &str)] = &[
    (
        "rsa1024",
        include_str!("../../../testdata/keys/rsa1024.pem"),
    ),
    (
        "rsa2048",
        include_str!("../../../testdata/keys/rsa2048.pem"),
    ),
    (
        "rsa2048-b",
        include_str!("../../../testdata/keys/rsa2048-b.pem"),
    ),
    ("rsa-e3", include_str!("../../../testdata/keys/rsa-e3.pem")),
    (
        "rsa-3prime",
        include_str!("../../../testdata/keys/rsa-3prime.pem"),
    ),
];

/// A curve of the structured input.
#[derive(Arbitrary, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveChoice {
    /// P-256
    P256,
    /// P-384
    P384,
    /// P-521
    P521,
    /// SM2
    Sm2,
}

impl CurveChoice {
    fn len(self) -> usize {
        match self {
            CurveChoice::P256 | CurveChoice::Sm2 => 32,
            CurveChoice::P384 => 48,
            CurveChoice::P521 => 66,
        }
    }

    fn oid(self) -> &'static [u64] {
        match self {
            CurveChoice::P256 => &[1, 2, 840, 10_045, 3, 1, 7],
            CurveChoice::P384 => &[1, 3, 132, 0, 34],
            CurveChoice::P521 => &[1, 3, 132, 0, 35],
            CurveChoice::Sm2 => &[1, 2, 156, 10_197, 1, 301],
        }
    }

    /// The public point of `scalar` (compressed or not), computed with the curve crates
    /// directly; `None` when the scalar is 0 or not below the order.
    fn point(self, scalar: &[u8], compress: bool) -> Option<Vec<u8>> {
        macro_rules! point {
            ($c:ident) => {{
                use $c::elliptic_curve::sec1::ToSec1Point;
                $c::SecretKey::from_slice(scalar)
                    .ok()
                    .map(|k| k.public_key().to_sec1_point(compress).as_bytes().to_vec())
            }};
        }
        match self {
            CurveChoice::P256 => point!(p256),
            CurveChoice::P384 => point!(p384),
            CurveChoice::P521 => point!(p521),
            CurveChoice::Sm2 => point!(sm2),
        }
    }
}

/// A private key of the structured input.
#[derive(Arbitrary, Debug, Clone, PartialEq, Eq)]
pub enum KeyChoice {
    /// One of [`RSA_KEYS`].
    Rsa(u8),
    /// An EC key: the scalar is the curve's width of these bytes (cycled).
    Ec(CurveChoice, [u8; 8], Vec<u8>),
    /// An Ed25519 seed.
    Ed25519([u8; 32]),
}

/// How the key is written.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Encoding {
    /// RSA: PKCS#1. EC: SEC1 with parameters and public key. Ed25519: PKCS#8 v1.
    Native,
    /// PKCS#8 (v1; EC with the public key inside the SEC1).
    Pkcs8,
    /// EC: SEC1 without the public key (`-no_public`); Ed25519: PKCS#8 v2.
    NoPublic,
    /// EC: `EC PARAMETERS` then SEC1 without parameters; Ed25519: PKCS#8 v2.
    WithParametersBlock,
}

/// The certificate's public key.
#[derive(Arbitrary, Debug, Clone)]
pub enum CertificateKey {
    /// The key's own public key.
    Same,
    /// The key's own, an EC point compressed.
    Compressed,
    /// Another key's.
    Other(KeyChoice),
    /// Any SubjectPublicKeyInfo bytes.
    Raw(Vec<u8>),
}

/// A byte of the key's or the certificate's DER changed.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub struct Mutation {
    /// In the key (else in the certificate).
    pub in_key: bool,
    /// Where (modulo the length).
    pub offset: u16,
    /// XORed into the byte (0 truncates there instead).
    pub xor: u8,
}

/// The structured input of `key_match`.
#[derive(Arbitrary, Debug, Clone)]
pub struct KeyMatchInput {
    /// The private key.
    pub key: KeyChoice,
    /// Its encoding.
    pub encoding: Encoding,
    /// The certificate's key.
    pub certificate: CertificateKey,
    /// Put an unrelated certificate first (the key matches certificate 1).
    pub leaf_second: bool,
    /// A damaged byte.
    pub mutation: Option<Mutation>,
    /// The profile to check with (an index into `Profile::ALL`, wrapping).
    pub profile: u8,
}

/// A built key: its label, DER, the DER of an `EC PARAMETERS` block, its SPKI (uncompressed
/// and compressed), and whether it is valid.
struct BuiltKey {
    label: Label,
    der: Vec<u8>,
    parameters: Option<Vec<u8>>,
    spki: Option<(Vec<u8>, Vec<u8>)>,
}

fn ec_spki(curve: CurveChoice, point: &[u8]) -> Vec<u8> {
    let algorithm = der::seq(&[&der::oid(OID_EC), &der::oid(curve.oid())]);
    der::seq(&[&algorithm, &der::bit_string(point)])
}

/// The RSA key's PKCS#8, and its n and e read by hand.
fn rsa_key(index: u8) -> (&'static str, Vec<u8>, Vec<u8>, Vec<u8>) {
    let (name, pem) = RSA_KEYS[usize::from(index) % RSA_KEYS.len()];
    let field = fuzzing::private_key_field(pem).unwrap();
    let pkcs8 = field.key.decoded.unwrap().to_vec();
    let (n, e) = {
        let (_, info, _) = der::read(&pkcs8).unwrap();
        let (_, _version, rest) = der::read(info).unwrap();
        let (_, _algorithm, rest) = der::read(rest).unwrap();
        let (_, pkcs1, _) = der::read(rest).unwrap();
        let (_, fields, _) = der::read(pkcs1).unwrap();
        let (_, _version, rest) = der::read(fields).unwrap();
        let (_, n, rest) = der::read(rest).unwrap();
        let (_, e, _) = der::read(rest).unwrap();
        (n.to_vec(), e.to_vec())
    };
    (name, pkcs8, n, e)
}

fn build_key(choice: &KeyChoice, encoding: Encoding) -> BuiltKey {
    match choice {
        KeyChoice::Rsa(index) => {
            let (name, pkcs8, n, e) = rsa_key(*index);
            let spki_key = der::seq(&[&der::uint(&n), &der::uint(&e)]);
            let algorithm = der::seq(&[&der::oid(OID_RSA), &der::null()]);
            let spki = der::seq(&[&algorithm, &der::bit_string(&spki_key)]);
            let valid = name != "rsa-3prime";
            let (label, der) = match encoding {
                Encoding::Native | Encoding::NoPublic => {
                    let (_, info, _) = der::read(&pkcs8).unwrap();
                    let (_, _, rest) = der::read(info).unwrap();
                    let (_, _, rest) = der::read(rest).unwrap();
                    let (_, pkcs1, _) = der::read(rest).unwrap();
                    (Label::RsaPrivateKey, pkcs1.to_vec())
                }
                _ => (Label::PrivateKey, pkcs8),
            };
            BuiltKey {
                label,
                der,
                parameters: None,
                spki: valid.then(|| (spki.clone(), spki)),
            }
        }
        KeyChoice::Ec(curve, head, tail) => {
            let scalar: Vec<u8> = head
                .iter()
                .chain(tail.iter())
                .copied()
                .cycle()
                .take(curve.len())
                .collect();
            let point = curve.point(&scalar, false);
            let compressed = curve.point(&scalar, true);
            let parameters = der::oid(curve.oid());
            let sec1 = |with_parameters: bool, public: bool| {
                let mut fields = vec![der::uint(&[1]), der::octet_string(&scalar)];
                if with_parameters {
                    fields.push(der::explicit(0, &parameters));
                }
                if public && let Some(point) = &point {
                    fields.push(der::explicit(1, &der::bit_string(point)));
                }
                der::seq(&fields.iter().map(Vec::as_slice).collect::<Vec<_>>())
            };
            let (label, der, parameters_block) = match encoding {
                Encoding::Native => (Label::EcPrivateKey, sec1(true, true), None),
                Encoding::NoPublic => (Label::EcPrivateKey, sec1(true, false), None),
                Encoding::WithParametersBlock => (
                    Label::EcPrivateKey,
                    sec1(false, true),
                    Some(parameters.clone()),
                ),
                Encoding::Pkcs8 => {
                    let algorithm = der::seq(&[&der::oid(OID_EC), &parameters]);
                    let der = der::seq(&[
                        &der::uint(&[0]),
                        &algorithm,
                        &der::octet_string(&sec1(false, true)),
                    ]);
                    (Label::PrivateKey, der, None)
                }
            };
            BuiltKey {
                label,
                der,
                parameters: parameters_block,
                spki: point
                    .zip(compressed)
                    .map(|(p, c)| (ec_spki(*curve, &p), ec_spki(*curve, &c))),
            }
        }
        KeyChoice::Ed25519(seed) => {
            let public = ed25519_dalek::SigningKey::from_bytes(seed)
                .verifying_key()
                .to_bytes();
            let algorithm = der::seq(&[&der::oid(OID_ED25519)]);
            let private = der::octet_string(&der::octet_string(seed));
            let der = match encoding {
                Encoding::Native | Encoding::Pkcs8 => {
                    der::seq(&[&der::uint(&[0]), &algorithm, &private])
                }
                Encoding::NoPublic | Encoding::WithParametersBlock => {
                    let mut bits = vec![0u8];
                    bits.extend_from_slice(&public);
                    der::seq(&[
                        &der::uint(&[1]),
                        &algorithm,
                        &private,
                        &der::tlv(0x81, &bits),
                    ])
                }
            };
            let spki = der::seq(&[&algorithm, &der::bit_string(&public)]);
            BuiltKey {
                label: Label::PrivateKey,
                der,
                parameters: None,
                spki: Some((spki.clone(), spki)),
            }
        }
    }
}

fn mutate(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    let at = usize::from(mutation.offset) % bytes.len();
    if mutation.xor == 0 {
        bytes.truncate(at);
    } else {
        bytes[at] ^= mutation.xor;
    }
}

/// A structured input builds a key (RSA from the committed keys, EC from any scalar on the
/// four curves, Ed25519 from any seed) in any encoding, and a certificate with its own public
/// key (or another's, or any bytes). Unchanged, a valid key matches its own certificate —
/// through the wrappers and through the whole pipeline, which accepts the pair — and does not
/// match another key's; a key that is not valid is `Key.Malformed`; anything damaged gets
/// catalog codes only; nothing printed holds key material.
pub fn key_match(data: &[u8]) {
    let Ok(input) = KeyMatchInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    check_key_match(&input);
}

/// The body of [`key_match`] on a decoded input.
pub fn check_key_match(input: &KeyMatchInput) {
    let mut key = build_key(&input.key, input.encoding);
    let own_spki = key.spki.clone();
    let spki = match (&input.certificate, &own_spki) {
        (CertificateKey::Same, Some((spki, _))) => spki.clone(),
        (CertificateKey::Compressed, Some((_, compressed))) => compressed.clone(),
        (CertificateKey::Other(other), _) => build_key(other, Encoding::Native)
            .spki
            .map_or_else(fixture_spki, |(spki, _)| spki),
        (CertificateKey::Raw(bytes), _) => bytes.clone(),
        (_, None) => fixture_spki(),
    };
    // The key's own public key, however the certificate came by it.
    let same = own_spki
        .as_ref()
        .is_some_and(|(plain, compressed)| spki == *plain || spki == *compressed);
    let mut certificate = certificate_for(&spki);
    let mutated = input.mutation.is_some();
    if let Some(mutation) = &input.mutation {
        if mutation.in_key {
            mutate(&mut key.der, mutation);
        } else {
            mutate(&mut certificate, mutation);
        }
    }
    let valid = key.spki.is_some();

    let mut secrets = Secrets::default();
    secrets.add_der(&key.der);

    // The wrappers: parse and derive, then compare.
    let derived = fuzzing::private_key(&key.label, &key.der, key.parameters.as_deref());
    let parsed = fuzzing::certificate(&certificate);
    if let Ok(derived) = &derived {
        secrets.allow_public_key(&derived.public());
        assert_eq!(fuzzing::key_match(derived, &derived.public()), Ok(()));
    }
    secrets.allow(&certificate);
    secrets.allow_hex(&certificate);
    if !mutated {
        assert_eq!(derived.is_ok(), valid, "{derived:?}");
        let info = parsed.as_ref();
        if let (Ok(derived), Ok(info)) = (&derived, info) {
            let matched = fuzzing::key_match(derived, &info.key);
            assert_eq!(matched.is_ok(), same, "{matched:?}");
            if let Err(mismatch) = &matched {
                secrets.check("mismatch", &mismatch.to_string());
            }
        } else if !matches!(input.certificate, CertificateKey::Raw(_)) {
            assert!(parsed.is_ok(), "{parsed:?}");
        }
    }
    secrets.check("derived key", &format!("{derived:?}"));
    if let Err(problem) = &derived {
        secrets.check("key problem", &problem.to_string());
    }

    // The pipeline, with the certificate as a chain (after an unrelated one if asked).
    let mut chain = String::new();
    if input.leaf_second {
        chain.push_str(&pem_block("CERTIFICATE", &certificate_for(&fixture_spki())));
    }
    chain.push_str(&pem_block("CERTIFICATE", &certificate));
    let mut key_text = String::new();
    if let Some(parameters) = &key.parameters {
        key_text.push_str(&pem_block("EC PARAMETERS", parameters));
    }
    key_text.push_str(&pem_block(label_text(&key.label), &key.der));
    secrets.allow(chain.as_bytes());
    let request = Request::upload(chain.as_str(), key_text.as_str())
        .with_domain("www.example.com")
        .with_cert_name("fuzz");
    let profile = profile(usize::from(input.profile));
    let verdict = validate(profile, &request, &Options::at(NOW)).unwrap();
    check_verdict(profile, &verdict, &secrets);
    if !mutated {
        let codes: Vec<&str> = verdict.findings().iter().map(|f| f.code()).collect();
        if !valid {
            // Row 17; only a certificate of any bytes (row 15) may come first.
            assert!(codes.contains(&"Key.Malformed"), "{verdict:?}");
            if !matches!(input.certificate, CertificateKey::Raw(_)) {
                assert_eq!(codes.first(), Some(&"Key.Malformed"), "{verdict:?}");
            }
        } else if matches!(input.certificate, CertificateKey::Raw(_)) {
            // Any bytes: only the catalog invariants.
        } else if (same && !input.leaf_second)
            || (input.leaf_second && own_spki.is_some_and(|(own, _)| own == fixture_spki()))
        {
            assert!(verdict.is_accepted(), "{verdict:?}");
        } else {
            assert_eq!(codes.first(), Some(&"Certificate.MissMatch"), "{verdict:?}");
        }
    }
}

/// The SPKI of a fixed P-256 key (scalar 0x11…11): the certificate key for inputs whose own key
/// is invalid, and the unrelated certificate put first when `leaf_second` is set.
fn fixture_spki() -> Vec<u8> {
    static SPKI: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SPKI.get_or_init(|| {
        let point = CurveChoice::P256.point(&[0x11; 32], false).unwrap();
        ec_spki(CurveChoice::P256, &point)
    })
    .clone()
}

// ---------------------------------------------------------------------------------------------
// request: raw query strings.

const UNRESERVED: &[u8] = b"-_.~";

/// Percent-encodes every byte but letters, digits and `-_.~`.
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || UNRESERVED.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn fields(request: &Request) -> [(Role, Option<&Value>); Role::ALL.len()] {
    Role::ALL.map(|role| (role, request.get(role)))
}

/// The secrets of a request: its key value's, with every other value allowed.
pub fn request_secrets(request: &Request) -> Secrets {
    let Some(key) = request.get(Role::PrivateKey) else {
        return Secrets::default();
    };
    let mut secrets = key_secrets(key.as_bytes());
    for (role, value) in fields(request) {
        if role == Role::PrivateKey {
            continue;
        }
        if let Some(value) = value {
            if role == Role::Certificate {
                allow_certificate(&mut secrets, value.as_bytes());
            } else {
                secrets.allow(value.as_bytes());
            }
        }
    }
    secrets
}

/// Raw query strings, for both profiles: a parsed request re-encoded parses to the same values;
/// no value is longer than the input; the request's verdict has only catalog codes and no key
/// material.
pub fn request(data: &[u8]) {
    for profile in Profile::ALL {
        let request = match Request::from_query(profile, data) {
            Ok(request) => request,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                continue;
            }
        };
        let mut query = format!("Action={}", profile.action());
        for (role, value) in fields(&request) {
            if let Some(value) = value {
                let name = profile.param(role).unwrap();
                assert!(value.len() <= data.len());
                assert!(value.times() >= 1);
                query.push_str(&format!("&{name}={}", percent_encode(value.as_bytes())));
            }
        }
        let again = Request::from_query(profile, query.as_bytes()).unwrap();
        for ((field, a), (_, b)) in fields(&request).into_iter().zip(fields(&again)) {
            assert_eq!(
                a.map(Value::as_bytes),
                b.map(Value::as_bytes),
                "{field:?} does not survive re-encoding"
            );
            if let Some(b) = b {
                assert_eq!((b.times(), b.bad_escape()), (1, None));
            }
        }
        let secrets = request_secrets(&request);
        let verdict = validate(profile, &request, &Options::at(NOW)).unwrap();
        check_verdict(profile, &verdict, &secrets);
    }
}

// ---------------------------------------------------------------------------------------------
// validate: the whole pipeline through `arbitrary`.

/// A parameter value of the structured input.
#[derive(Arbitrary, Debug, Clone)]
pub enum Param {
    /// One of [`WORDS`].
    Word(u8),
    /// One of [`FIXTURES`].
    Fixture(u8),
    /// A fixture with one byte changed (0 truncates there).
    Mutated {
        /// Which fixture.
        fixture: u8,
        /// Where.
        offset: u16,
        /// XORed in.
        xor: u8,
    },
    /// The head of one fixture and the tail of another.
    Spliced {
        /// The first.
        a: u8,
        /// The second.
        b: u8,
        /// Where to cut the first.
        cut_a: u16,
        /// Where to cut the second.
        cut_b: u16,
    },
    /// Any bytes.
    Bytes(Vec<u8>),
}

impl Param {
    /// The value's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        let pick = |i: u8| FIXTURES[usize::from(i) % FIXTURES.len()].1;
        match self {
            Param::Word(i) => WORDS[usize::from(*i) % WORDS.len()].as_bytes().to_vec(),
            Param::Fixture(i) => pick(*i).to_vec(),
            Param::Mutated {
                fixture,
                offset,
                xor,
            } => {
                let mut bytes = pick(*fixture).to_vec();
                mutate(
                    &mut bytes,
                    &Mutation {
                        in_key: true,
                        offset: *offset,
                        xor: *xor,
                    },
                );
                bytes
            }
            Param::Spliced { a, b, cut_a, cut_b } => {
                let (a, b) = (pick(*a), pick(*b));
                let cut_a = usize::from(*cut_a) % (a.len() + 1);
                let cut_b = usize::from(*cut_b) % (b.len() + 1);
                [&a[..cut_a], &b[cut_b..]].concat()
            }
            Param::Bytes(bytes) => bytes.clone(),
        }
    }
}

/// When to check.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum At {
    /// The fixtures' check time.
    Fixed,
    /// Days from it.
    Days(i16),
    /// Any Unix second `time` can represent.
    Seconds(i64),
}

/// A stored certificate.
#[derive(Arbitrary, Debug, Clone)]
pub struct Stored {
    /// Its name: one of [`WORDS`].
    pub name: u8,
    /// 0 upload, 1 cas, 2 free.
    pub kind: u8,
    /// `issued`, `expired`, `revoked`.
    pub status: u8,
    /// The fingerprint of a fixture's first certificate.
    pub fingerprint_of: Option<u8>,
}

/// The caller's state.
#[derive(Arbitrary, Debug, Clone)]
pub struct StateInput {
    /// The domain `www.example.com`: a status index and the two flags.
    pub domain: Option<(u8, bool, bool)>,
    /// Stored certificates.
    pub stored: Option<Vec<Stored>>,
    /// Faults: authentication, delete, store.
    pub faults: Option<(bool, bool, bool)>,
}

/// The structured input of `validate`.
#[derive(Arbitrary, Debug, Clone)]
pub struct ValidateInput {
    /// The profile to check with (an index into `Profile::ALL`, wrapping).
    pub profile: u8,
    /// `DomainName`.
    pub domain_name: Option<Param>,
    /// The switch.
    pub switch: Option<Param>,
    /// The certificate.
    pub certificate: Option<Param>,
    /// The key.
    pub private_key: Option<Param>,
    /// `CertName`.
    pub cert_name: Option<Param>,
    /// `CertType`.
    pub cert_type: Option<Param>,
    /// `ForceSet`.
    pub force_set: Option<Param>,
    /// `CertId`.
    pub cert_id: Option<Param>,
    /// `CertRegion`.
    pub cert_region: Option<Param>,
    /// `Env`.
    pub env: Option<Param>,
    /// The check time.
    pub at: At,
    /// Smaller byte limits (certificate, key).
    pub limits: Option<(u16, u16)>,
    /// The expiry warning window.
    pub expiry_warning_days: Option<u16>,
    /// State.
    pub state: Option<StateInput>,
    /// Ignore the rest: a valid pair of [`VALID_PAIRS`], which must be accepted.
    pub valid_pair: Option<u8>,
}

fn first_certificate_fingerprint(bytes: &[u8]) -> Option<[u8; 32]> {
    use sha2::Digest;
    let text = std::str::from_utf8(bytes).ok()?;
    let framed = fuzzing::pem(text, Field::Certificate).ok()?;
    let der = framed.blocks.first()?.decoded.as_ref().ok()?.to_vec();
    Some(sha2::Sha256::digest(&der).into())
}

fn state(input: &StateInput) -> InMemoryState {
    let mut state = InMemoryState::default();
    if let Some((status, https_off_forbidden, not_effective)) = input.domain {
        let all = cert_preflight::DomainStatus::ALL;
        let info = cert_preflight::DomainInfo {
            status: all[usize::from(status) % all.len()].0,
            https_off_forbidden,
            not_effective,
        };
        state.set_domain("www.example.com", info);
    }
    if let Some(stored) = &input.stored {
        state.certificates = Some(Vec::new());
        for s in stored.iter().take(8) {
            state.add_certificate(StoredCertificate {
                name: WORDS[usize::from(s.name) % WORDS.len()].to_owned(),
                id: Some(WORDS[usize::from(s.name) % WORDS.len()].to_owned()),
                product: None,
                kind: [CertKind::Upload, CertKind::Cas, CertKind::Free][usize::from(s.kind % 3)],
                status: CasStatus::from_name(
                    ["issued", "expired", "revoked"][usize::from(s.status % 3)],
                ),
                fingerprint: s.fingerprint_of.and_then(|i| {
                    first_certificate_fingerprint(FIXTURES[usize::from(i) % FIXTURES.len()].1)
                }),
            });
        }
    }
    if let Some((authentication, delete, store)) = input.faults {
        state.set_faults(FaultFlags {
            authentication,
            delete,
            store,
        });
    }
    state
}

/// The whole pipeline on a structured request (parameters from words, fixtures, damaged or
/// spliced fixtures and any bytes; any check time, smaller limits, state): catalog codes of the
/// right profile only, no key material printed, and the valid pairs accepted.
pub fn validate_target(data: &[u8]) {
    let Ok(input) = ValidateInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    check_validate(&input);
}

/// The body of [`validate_target`] on a decoded input.
pub fn check_validate(input: &ValidateInput) {
    let profile = profile(usize::from(input.profile));
    if let Some(pair) = input.valid_pair {
        let (certificate, key) = VALID_PAIRS[usize::from(pair) % VALID_PAIRS.len()];
        let request = Request::upload(fixture(certificate), fixture(key))
            .with_domain("www.example.com")
            .with_cert_name("prod-2026");
        let verdict = validate(profile, &request, &Options::at(NOW)).unwrap();
        let mut secrets = key_secrets(fixture(key));
        allow_certificate(&mut secrets, fixture(certificate));
        check_verdict(profile, &verdict, &secrets);
        assert!(
            verdict.is_accepted(),
            "{certificate} with {key}: {verdict:?}"
        );
        return;
    }
    let value = |p: &Option<Param>| p.as_ref().map(|p| Value::from(p.bytes()));
    let mut request = Request::new();
    for (role, param) in [
        (Role::Domain, &input.domain_name),
        (Role::Switch, &input.switch),
        (Role::Certificate, &input.certificate),
        (Role::PrivateKey, &input.private_key),
        (Role::CertName, &input.cert_name),
        (Role::CertType, &input.cert_type),
        (Role::ForceSet, &input.force_set),
        (Role::CertId, &input.cert_id),
        (Role::CertRegion, &input.cert_region),
        (Role::Env, &input.env),
    ] {
        request.set(role, value(param));
    }

    let now = match input.at {
        At::Fixed => NOW,
        At::Days(days) => NOW + time::Duration::days(i64::from(days)),
        At::Seconds(seconds) => {
            OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
        }
    };
    let state = input.state.as_ref().map(state);
    let mut options = Options::at(now);
    if let Some((certificate, private_key)) = input.limits {
        options = options.with_limits(Limits {
            certificate: usize::from(certificate),
            private_key: usize::from(private_key),
        });
    }
    if let Some(days) = input.expiry_warning_days {
        options = options.with_expiry_warning_days(u32::from(days));
    }
    if let Some(state) = &state {
        options = options.with_state(state);
    }
    let mut secrets = request_secrets(&request);
    for word in WORDS {
        secrets.allow(word.as_bytes());
    }
    let verdict = validate(profile, &request, &options).unwrap();
    check_verdict(profile, &verdict, &secrets);
}
