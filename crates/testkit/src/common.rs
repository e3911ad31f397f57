//! Helpers shared by the integration tests.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use cert_preflight::{Options, Profile, Request, Verdict, validate};
use time::OffsetDateTime;
use time::macros::datetime;

/// The fixed check time of the fixtures (testdata/README.md).
pub const NOW: OffsetDateTime = datetime!(2026-06-01 0:00 UTC);

/// A path under `testdata/`.
pub fn path(relative: &str) -> PathBuf {
    crate::fixtures::testdata_dir().join(relative)
}

/// The bytes of a fixture under `testdata/`.
pub fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(path(relative)).unwrap_or_else(|e| panic!("testdata/{relative}: {e}"))
}

/// Every key type's folder under `testdata/` and the files of its key in each encoding
/// (testdata/README.md).
pub const KEY_FIXTURES: &[(&str, &[&str])] = &[
    ("rsa1024", &["key.pkcs1.pem", "key.pkcs8.pem"]),
    ("rsa2048", &["key.pkcs1.pem", "key.pkcs8.pem"]),
    ("rsa4096", &["key.pkcs1.pem", "key.pkcs8.pem"]),
    ("rsa8192", &["key.pkcs1.pem", "key.pkcs8.pem"]),
    ("rsa16384", &["key.pkcs1.pem", "key.pkcs8.pem"]),
    ("rsa-e3", &["key.pkcs1.pem", "key.pkcs8.pem"]),
    ("p256", EC_KEYS),
    ("p384", EC_KEYS),
    ("p521", EC_KEYS),
    ("sm2", EC_KEYS),
    (
        "ed25519",
        &["key.pkcs8.pem", "key.pkcs8-v1.pem", "key.pkcs8v2.pem"],
    ),
];

const EC_KEYS: &[&str] = &[
    "key.pkcs8.pem",
    "key.sec1.pem",
    "key.sec1-nopub.pem",
    "key.sec1-params.pem",
];

/// A valid upload: the P-256 chain and key, for `www.example.com`, named `prod-2026`.
pub fn valid_upload() -> Request {
    Request::upload(fixture("p256/fullchain.pem"), fixture("p256/key.pkcs8.pem"))
        .with_domain("www.example.com")
        .with_cert_name("prod-2026")
}

/// Checks at the fixed time, without state.
pub fn check(profile: &Profile, request: &Request) -> Verdict {
    validate(profile, request, &Options::at(NOW))
}

/// The answer as (code, message, HTTP status, detail); `None` when accepted.
pub fn answer(verdict: &Verdict) -> Option<(&'static str, &'static str, u16, String)> {
    verdict
        .answer()
        .map(|f| (f.code(), f.message(), f.http_status(), f.detail()))
}

/// The codes of every finding, in order.
pub fn codes(verdict: &Verdict) -> Vec<&'static str> {
    verdict.findings().iter().map(|f| f.code()).collect()
}

/// The codes of every warning, in order.
pub fn warning_codes(verdict: &Verdict) -> Vec<&'static str> {
    verdict.warnings().iter().map(|w| w.code()).collect()
}

/// Every row of `testdata/seed_catalog.tsv` (the API references of `cdn` and `live`): (api,
/// code, status, message).
pub fn seed_catalog() -> Vec<(String, String, u16, String)> {
    catalog_file("seed_catalog.tsv")
}

/// Every row of `testdata/reference_catalog.tsv` (the API references of `cdn-ssl`, `dcdn`,
/// `vod`).
pub fn reference_catalog() -> Vec<(String, String, u16, String)> {
    catalog_file("reference_catalog.tsv")
}

/// `cdn` and `live`'s rows, then the others': every published table in `Profile::ALL`'s order.
pub fn published_catalog() -> Vec<(String, String, u16, String)> {
    let mut rows = seed_catalog();
    rows.extend(reference_catalog());
    rows
}

fn catalog_file(name: &str) -> Vec<(String, String, u16, String)> {
    let text = String::from_utf8(fixture(name)).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 4, "{line}");
            (
                cells[0].to_owned(),
                cells[1].to_owned(),
                cells[2].parse().unwrap(),
                cells[3].to_owned(),
            )
        })
        .collect()
}
