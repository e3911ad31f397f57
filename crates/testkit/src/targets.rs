//! The fuzz targets' bodies, one module per target. `fuzz/fuzz_targets/*.rs` call them through
//! this crate's library, and this crate's `tests/fuzz_replay.rs` calls the same functions, so
//! the test suite replays every corpus and regression input through them.
//!
//! Every target takes the raw bytes libFuzzer hands it; the structured ones (`key_match`,
//! `validate`) decode them with `arbitrary` the way `fuzz_target!(|input: T| …)` does. Each
//! asserts invariants and panics when one breaks: every rejection is an entry of the checked
//! profile's own catalog, a valid generated pair is accepted, the wrappers below `validate` agree
//! with the pipeline, and nothing printed — `Display` or `Debug` of a verdict, finding, failure,
//! warning or error — holds a 16-character run of the key's base64 or of the hex of its DER
//! ([`crate::leak`]).
//!
//! Two builds, one corpus:
//! - with `cfg(fuzzing)` — cargo-fuzz sets it, and `.ci/run` replays the corpora on stable with
//!   `RUSTFLAGS="--cfg fuzzing"` — a body is exactly what the fuzzer runs: `pem`,
//!   `certificate`, `private_key` and `key_match` call the parsers below `validate` directly,
//!   through the library's hidden `cert_preflight::fuzzing` hooks;
//! - without it (`cargo test` as it comes, where the hooks do not exist), those four parts go
//!   through the public API instead: the same input as the certificate or key parameter of
//!   [`validate`](cert_preflight::validate), held to the catalog and key-leak invariants (and,
//!   for `key_match`, to acceptance and mismatch). `request`, `validate` and `wire` use only
//!   the public API and run the same in both builds.
//!
//! The hooks stay out of the library's API this way (no feature a dependent could turn on),
//! and a plain `cargo test` still runs every input through the pipeline it would reach.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::missing_panics_doc
)]

mod certificate;
mod key_match;
mod pem;
mod private_key;
mod request;
mod validate;
mod wire;

pub use certificate::certificate;
pub use key_match::{
    CertificateKey, CurveChoice, Encoding, KeyChoice, KeyMatchInput, Mutation, RSA_KEYS,
    certificate_for, check_key_match, key_match,
};
pub use pem::pem;
pub use private_key::private_key;
pub use request::{percent_encode, request};
pub use validate::{At, Param, StateInput, Stored, ValidateInput, check_validate, validate_target};
pub use wire::wire;

#[cfg(fuzzing)]
use cert_preflight::{Failure, KeyProblem, Verdict};
use cert_preflight::{Label, Profile};

/// A matching chain and key (P-256: cheap to check) that the public-API bodies put beside an
/// input in the other parameter.
#[cfg(not(fuzzing))]
const P256_PAIR: (&str, &str) = ("p256/fullchain.pem", "p256/key.pkcs8.pem");

/// The profile an input picks: every profile in turn.
fn profile(pick: usize) -> &'static Profile {
    Profile::ALL[pick % Profile::ALL.len()]
}

/// The profile an input picks among those that take every key encoding the checks read (all
/// but CLB, which takes PKCS#1 only): where a generated key of any encoding must be accepted.
fn profile_taking_every_key(pick: usize) -> &'static Profile {
    let taking: Vec<&'static Profile> = Profile::ALL
        .iter()
        .copied()
        .filter(|profile| profile.rules().private_key_formats.is_empty())
        .collect();
    taking[pick % taking.len()]
}

/// The finding of a `Key.Malformed` answer, if any.
#[cfg(fuzzing)]
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

/// Matching (certificate, key) pairs that must be accepted at [`NOW`](crate::common::NOW).
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

/// The PEM label a key of `label` is written under (a `PRIVATE KEY` for anything else).
fn label_text(label: &Label) -> &'static str {
    match label {
        Label::RsaPrivateKey => "RSA PRIVATE KEY",
        Label::EcPrivateKey => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}
