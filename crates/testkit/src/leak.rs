//! The key-leak check: no output may hold key material.
//!
//! "Key material" is a 16-character run of a key parameter's text, of the base64 of its DER (any
//! alignment) or of the hex of its DER (either case). [`Secrets`] holds it and panics when an
//! output holds a run of it, unless the same run is in a public input (another parameter, the
//! certificate's text or DER, an RSA public part). [`check_verdict`] applies it to everything a
//! user or a log may see of a verdict, with the catalog's invariants. The fuzz targets
//! (`targets`) and the library's robustness tests use it.
#![allow(clippy::missing_panics_doc)]

use std::collections::HashSet;

use cert_preflight::{Profile, Request, Role, SubjectKey, Value, Verdict};

use crate::blocks;
use crate::pem::base64;

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

    /// The public part of an RSA key's DER, read by hand ([`blocks::rsa_public`]): what
    /// [`Secrets::allow_public_key`] allows when the library's hooks are not built.
    pub fn allow_rsa_public(&mut self, der: &[u8]) {
        if let Some((n, e)) = blocks::rsa_public(der) {
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

/// The secrets of a key parameter's value: the windows of its text, and of the DER of its key
/// block when it frames and decodes ([`blocks::key_block`]). Public parts of the key, when it
/// derives, are allowed.
pub fn key_secrets(value: &[u8]) -> Secrets {
    let mut secrets = Secrets::default();
    secrets.add_base64_text(value);
    if let Ok(text) = std::str::from_utf8(value)
        && let Some(key) = blocks::key_block(text)
    {
        secrets.add_der(&key.der);
        if let Some((n, e)) = &key.rsa_public {
            secrets.allow_hex(n);
            secrets.allow_hex(e);
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
    if let Ok(text) = std::str::from_utf8(value) {
        for der in blocks::certificate_blocks(text).into_iter().flatten() {
            secrets.allow(&der);
            secrets.allow_hex(&der);
        }
    }
}

/// The secrets of an upload: the key's ([`key_secrets`]), with the certificate allowed
/// ([`allow_certificate`]).
pub fn upload_secrets(certificate: &[u8], key: &[u8]) -> Secrets {
    let mut secrets = key_secrets(key);
    allow_certificate(&mut secrets, certificate);
    secrets
}

/// Every parameter of a request, by role.
pub fn fields(request: &Request) -> [(Role, Option<&Value>); Role::ALL.len()] {
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
            profile.entries().any(|e| e == finding.entry()),
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
