//! Robustness (issue 6): properties over generated keys and damaged inputs, bounded cost on
//! hostile inputs, secret hygiene of everything printed, and regressions found by fuzzing.
//! The fuzz targets themselves are replayed by `tests/fuzz_replay.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use cert_preflight::{CDN, LIVE, Request};
use common::{check, codes, fixture};

// ---- regressions found by fuzzing (fuzz/regressions/) ----

/// `fuzz/regressions/pem/key-base64-vertical-tabs`: the key field let pki-types skip vertical
/// tabs (and form feeds) inside base64, so a key the certificate field's rule refuses was
/// decoded and accepted. Both fields now refuse any character outside base64 (row 14).
#[test]
fn fuzz_regression_key_base64_with_vertical_tabs_is_refused() {
    let key = String::from_utf8(fixture("rsa2048/key.pkcs8.pem")).unwrap();
    let mut lines: Vec<String> = key.lines().map(str::to_owned).collect();
    lines[2].insert_str(8, "\u{b}\u{b}\u{b}\u{b}");
    let damaged = lines.join("\n") + "\n";
    let request =
        Request::upload(fixture("rsa2048/fullchain.pem"), damaged).with_cert_name("prod-2026");
    assert_eq!(codes(&check(&CDN, &request)), vec!["InvalidPrivateKey"]);
    let live = check(&LIVE, &request);
    assert_eq!(codes(&live), vec!["Decode.Error"]);
    assert_eq!(
        live.answer().unwrap().detail(),
        "SSLPri: the PRIVATE KEY block at line 1: line 3 holds a character that is not base64 there"
    );
}
