//! Robustness (issue 6): properties over generated keys and damaged inputs, bounded cost on
//! hostile inputs, secret hygiene of everything printed, and regressions found by fuzzing.
//! The fuzz targets themselves are replayed by the test kit's `tests/fuzz_replay.rs`; the key
//! and certificate builders used here are the fuzz targets' own
//! (`cert_preflight_testkit::targets`), the secret check is the test kit's `leak` module.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_testkit::common;

use cert_preflight_testkit::targets;

use std::time::{Duration, Instant};

use cert_preflight::{CDN, LIVE, Limits, Options, Profile, Request, validate};
// The library's hooks exist only with `--cfg fuzzing` (.ci/run runs these tests with it too).
#[cfg(fuzzing)]
use cert_preflight::{Field, fuzzing};
use cert_preflight_testkit::{blocks, der, leak, pem};
use common::{NOW, check, codes, fixture};
use proptest::prelude::*;
use targets::{CertificateKey, CurveChoice, Encoding, KeyChoice, KeyMatchInput};

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
    let request = Request::upload(fixture("rsa2048/fullchain.pem"), damaged)
        .with_domain("www.example.com")
        .with_cert_name("prod-2026");
    assert_eq!(codes(&check(&CDN, &request)), vec!["InvalidPrivateKey"]);
    let live = check(&LIVE, &request);
    assert_eq!(codes(&live), vec!["Decode.Error"]);
    assert_eq!(
        live.answer().unwrap().detail(),
        "SSLPri: the PRIVATE KEY block at line 1: line 3 holds a character that is not base64 there"
    );
}

// ---- properties ----

/// A key of every type from a chosen seed: EC scalars of the curve's width (P-521's top byte
/// kept to its one bit, so nearly every scalar is below the order), Ed25519 seeds, and the
/// committed RSA keys (generating RSA keys is too slow for a property).
fn key_choice() -> impl Strategy<Value = KeyChoice> {
    let curve = prop_oneof![
        Just(CurveChoice::P256),
        Just(CurveChoice::P384),
        Just(CurveChoice::P521),
        Just(CurveChoice::Sm2),
    ];
    prop_oneof![
        (0u8..4).prop_map(KeyChoice::Rsa),
        (curve, prop::collection::vec(any::<u8>(), 66)).prop_map(|(curve, mut bytes)| {
            let len = match curve {
                CurveChoice::P256 | CurveChoice::Sm2 => 32,
                CurveChoice::P384 => 48,
                CurveChoice::P521 => 66,
            };
            bytes.truncate(len);
            if curve == CurveChoice::P521 {
                bytes[0] &= 1;
            }
            let head: [u8; 8] = bytes[..8].try_into().unwrap();
            KeyChoice::Ec(curve, head, bytes[8..].to_vec())
        }),
        any::<[u8; 32]>().prop_map(KeyChoice::Ed25519),
    ]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Native),
        Just(Encoding::Pkcs8),
        Just(Encoding::NoPublic),
        Just(Encoding::WithParametersBlock),
    ]
}

/// The valid pairs the mutation property damages: one per key type and encoding family.
const PAIRS: &[(&str, &str)] = &[
    ("p256/fullchain.pem", "p256/key.pkcs8.pem"),
    ("p384/cert.pem", "p384/key.sec1.pem"),
    ("p521/cert.pem", "p521/key.sec1-params.pem"),
    ("sm2/cert.pem", "sm2/key.sec1-nopub.pem"),
    ("ed25519/fullchain.pem", "ed25519/key.pkcs8v2.pem"),
    ("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem"),
    ("rsa1024/cert.pem", "rsa1024/key.pkcs8.pem"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any generated key of every type, in every encoding, with a certificate holding its
    /// public key (EC points compressed or not) is accepted by every profile; the check of
    /// `targets::check_key_match` asserts it, and that nothing printed holds key material.
    #[test]
    fn generated_matching_pairs_of_every_key_type_are_accepted(
        key in key_choice(),
        encoding in encoding(),
        compressed in any::<bool>(),
        profile in any::<u8>(),
    ) {
        let input = KeyMatchInput {
            key,
            encoding,
            certificate: if compressed { CertificateKey::Compressed } else { CertificateKey::Same },
            leaf_second: false,
            mutation: None,
            profile,
        };
        targets::check_key_match(&input);
    }

    /// And a key with another generated key's certificate is a mismatch (or accepted when the
    /// two public keys are the same).
    #[test]
    fn generated_pairs_of_different_keys_do_not_match(
        key in key_choice(),
        other in key_choice(),
        encoding in encoding(),
    ) {
        let input = KeyMatchInput {
            key,
            encoding,
            certificate: CertificateKey::Other(other),
            leaf_second: false,
            mutation: None,
            profile: 0,
        };
        targets::check_key_match(&input);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any single byte of a valid upload changed, in the certificate or the key, never panics:
    /// both profiles answer with catalog codes of their own, and print no key material.
    #[test]
    fn any_single_byte_mutation_yields_catalog_codes(
        pair in prop::sample::select(PAIRS),
        in_key in any::<bool>(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let (certificate, key) = (fixture(pair.0), fixture(pair.1));
        let (mut cert, mut private) = (certificate.clone(), key.clone());
        let target = if in_key { &mut private } else { &mut cert };
        let at = at.index(target.len());
        target[at] = byte;
        let request = Request::upload(cert.clone(), private)
            .with_domain("www.example.com")
            .with_cert_name("prod-2026");
        // The unchanged key's runs are the secrets; the certificate's are public.
        let secrets = leak::upload_secrets(&cert, &key);
        for profile in Profile::ALL {
            let verdict = validate(profile, &request, &Options::at(NOW));
            leak::check_verdict(profile, &verdict, &secrets);
            if in_key && !verdict.is_accepted() {
                prop_assert!(verdict.findings().iter().all(|f| !f.code().is_empty()));
            }
        }
    }

    /// PEM encode → decode round-trips any bytes, in both fields, with the published format
    /// (no note), with other line widths (a line-length note only) and with CRLF line ends.
    #[cfg(fuzzing)]
    #[test]
    fn pem_encode_decode_round_trips(
        bytes in prop::collection::vec(any::<u8>(), 1..3000),
        width in prop::sample::select(vec![4usize, 64, 76, 1000]),
        crlf in any::<bool>(),
    ) {
        let canonical = pem::block("CERTIFICATE", &bytes);
        let body = pem::base64(&bytes);
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("-----BEGIN CERTIFICATE-----{eol}");
        for line in body.as_bytes().chunks(width) {
            text.push_str(std::str::from_utf8(line).unwrap());
            text.push_str(eol);
        }
        text.push_str(&format!("-----END CERTIFICATE-----{eol}"));
        for field in [Field::Certificate, Field::PrivateKey] {
            let framed = fuzzing::pem(&canonical, field).unwrap();
            prop_assert!(framed.notes.is_empty());
            prop_assert_eq!(framed.blocks.len(), 1);
            prop_assert_eq!(framed.blocks[0].decoded.as_deref().unwrap(), &bytes[..]);

            let framed = fuzzing::pem(&text, field).unwrap();
            prop_assert_eq!(framed.blocks[0].decoded.as_deref().unwrap(), &bytes[..]);
            let expect_note = width != 64 && body.len() > width.min(64);
            prop_assert_eq!(!framed.notes.is_empty(), expect_note, "{:?}", framed.notes);
        }
        let blocks = fuzzing::certificate_field(&text).unwrap();
        prop_assert_eq!(blocks[0].decoded.as_deref().unwrap(), &bytes[..]);
    }
}

// ---- bounded cost (pitfall 22; the rest is in tests/checks.rs and tests/parameters.rs) ----

/// Runs `f` and returns its result and how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// Generous bounds: debug builds on a shared machine. The release figures are in
/// fuzz/README.md (`cargo test --release --test robustness cost -- --nocapture`).
const BUDGET: Duration = Duration::from_secs(20);

/// `depth` SEQUENCEs inside each other around `inner`, with definite lengths (built from the
/// inside out in linear time).
fn nested(depth: usize, inner: &[u8]) -> Vec<u8> {
    let mut headers = Vec::with_capacity(depth);
    let mut len = inner.len();
    for _ in 0..depth {
        let mut header = vec![0x30];
        if len < 0x80 {
            header.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            header.push(0x80 | (bytes.len() - skip) as u8);
            header.extend_from_slice(&bytes[skip..]);
        }
        len += header.len();
        headers.push(header);
    }
    let mut der = Vec::with_capacity(len);
    for header in headers.iter().rev() {
        der.extend_from_slice(header);
    }
    der.extend_from_slice(inner);
    der
}

/// `depth` SEQUENCEs with BER indefinite lengths (`30 80 … 00 00`), which DER forbids.
fn nested_indefinite(depth: usize) -> Vec<u8> {
    let mut der = [0x30, 0x80].repeat(depth);
    der.extend(vec![0x00; 2 * depth]);
    der
}

/// Deeply nested DER in the certificate field and in the key field — as the whole structure,
/// with indefinite lengths, and inside an algorithm's parameters (which the checks re-encode)
/// — is refused with the row's code, at once, without deep recursion.
#[test]
fn cost_deeply_nested_der_in_both_fields() {
    let key = fixture("p256/key.pkcs8.pem");
    let chain = fixture("p256/fullchain.pem");
    let big = Limits {
        certificate: 1 << 20,
        private_key: 1 << 20,
    };
    let check_cert = |der: &[u8], expected: &str| {
        let request = Request::upload(pem::block("CERTIFICATE", der), key.clone())
            .with_domain("www.example.com");
        let (verdict, took) =
            timed(|| validate(&CDN, &request, &Options::at(NOW).with_limits(big)));
        println!("certificate, {} bytes of nested DER: {took:?}", der.len());
        assert_eq!(codes(&verdict).first(), Some(&expected), "{verdict:?}");
        assert!(took < BUDGET, "{took:?}");
    };
    // 100,000 levels (about 400 KiB, over the default limit: a raised one lets it through).
    check_cert(&nested(100_000, &[0x05, 0x00]), "Certificate.FormatError");
    check_cert(&nested_indefinite(100_000), "Certificate.FormatError");
    // Within the default limit, in the subject key's algorithm parameters of a certificate
    // that is otherwise well formed: its key is unreadable, so no key can match it.
    let point = [0x04; 65];
    let algorithm = der::seq(&[
        &der::oid("1.2.840.10045.2.1"),
        &nested(10_000, &[0x05, 0x00]),
    ]);
    let spki = der::seq(&[&algorithm, &der::bit_string(&point)]);
    let certificate = targets::certificate_for(&spki);
    assert!(pem::block("CERTIFICATE", &certificate).len() <= Limits::DEFAULT.certificate);
    let request = Request::upload(pem::block("CERTIFICATE", &certificate), key.clone())
        .with_domain("www.example.com");
    let (verdict, took) = timed(|| check(&CDN, &request));
    println!("certificate with 10,000 levels in its key's parameters: {took:?}");
    assert!(took < BUDGET, "{took:?}");
    assert!(!verdict.is_accepted());
    for finding in verdict.findings() {
        assert!(CDN.entries().any(|e| e == finding.entry()));
    }

    let check_key = |label: &str, der: &[u8], expected: &str| {
        let request = Request::upload(chain.clone(), pem::block(label, der))
            .with_domain("www.example.com")
            .with_cert_name("n");
        let (verdict, took) =
            timed(|| validate(&LIVE, &request, &Options::at(NOW).with_limits(big)));
        println!("{label}, {} bytes of nested DER: {took:?}", der.len());
        assert_eq!(codes(&verdict).first(), Some(&expected), "{verdict:?}");
        assert!(took < BUDGET, "{took:?}");
    };
    for label in ["PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"] {
        check_key(label, &nested(100_000, &[0x05, 0x00]), "Key.Malformed");
        check_key(label, &nested_indefinite(100_000), "Key.Malformed");
    }
    // PKCS#8 whose EC parameters are 2,000 levels deep (within the 16 KiB key limit).
    let scalar = [0x11; 32];
    let sec1 = der::seq(&[&der::uint(&[1]), &der::octet_string(&scalar)]);
    let algorithm = der::seq(&[
        &der::oid("1.2.840.10045.2.1"),
        &nested(2_000, &[0x05, 0x00]),
    ]);
    let pkcs8 = der::seq(&[&der::uint(&[0]), &algorithm, &der::octet_string(&sec1)]);
    assert!(pem::block("PRIVATE KEY", &pkcs8).len() <= Limits::DEFAULT.private_key);
    let request = Request::upload(chain.clone(), pem::block("PRIVATE KEY", &pkcs8))
        .with_domain("www.example.com")
        .with_cert_name("n");
    let (verdict, took) = timed(|| check(&LIVE, &request));
    println!("PKCS#8 with 2,000 levels in its parameters: {took:?}");
    assert_eq!(codes(&verdict), vec!["Key.Malformed"]);
    assert!(took < BUDGET, "{took:?}");
}

/// A 16,384-bit RSA key (the largest accepted) is checked in bounded time, and a larger
/// modulus is refused before any arithmetic.
#[test]
fn cost_rsa_16384_is_bounded_and_larger_is_refused_first() {
    let request = Request::upload(
        fixture("rsa16384/fullchain.pem"),
        fixture("rsa16384/key.pkcs8.pem"),
    )
    .with_domain("www.example.com");
    let (verdict, took) = timed(|| check(&CDN, &request));
    println!("RSA 16,384-bit pair: {took:?}");
    assert!(verdict.is_accepted(), "{verdict:?}");
    assert!(took < BUDGET, "{took:?}");

    // RSAPrivateKey with a 16,392-bit modulus and small other parts: refused by size.
    let mut n = vec![0xff; 2049];
    n[0] = 0x01;
    let fields: Vec<Vec<u8>> = std::iter::once(der::uint(&[0]))
        .chain(std::iter::once(der::uint(&n)))
        .chain((0..7).map(|i| der::uint(&[3 + i])))
        .collect();
    let pkcs1 = der::seq(&fields.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let request = Request::upload(
        fixture("rsa2048/fullchain.pem"),
        pem::block("RSA PRIVATE KEY", &pkcs1),
    )
    .with_domain("www.example.com");
    let (verdict, took) = timed(|| check(&CDN, &request));
    assert_eq!(
        verdict.answer().unwrap().detail(),
        "RSA keys of 16385 bits are not supported (the maximum is 16384)"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");
}

/// Junk grows the time linearly: 4 MiB take about eight times as long as 512 KiB (with a
/// generous margin), for text that is one line, many lines, BEGIN lines only, one
/// unterminated block, or many small blocks.
#[test]
fn cost_is_linear_in_the_input() {
    let big = Limits {
        certificate: 64 << 20,
        private_key: 64 << 20,
    };
    let options = Options::at(NOW).with_limits(big);
    let key = fixture("p256/key.pkcs8.pem");
    type Make = fn(usize) -> String;
    let shapes: [(&str, Make); 5] = [
        ("one line", |n| "A".repeat(n)),
        ("short lines", |n| "QUFB\n".repeat(n / 5)),
        ("BEGIN lines", |n| {
            "-----BEGIN CERTIFICATE-----\n".repeat(n / 28)
        }),
        ("an unterminated block", |n| {
            format!("-----BEGIN CERTIFICATE-----\n{}", "QUFB\n".repeat(n / 5))
        }),
        ("BEGIN and END lines", |n| {
            "-----BEGIN CERTIFICATE-----\nQUFB\n-----END CERTIFICATE-----\n".repeat(n / 61)
        }),
    ];
    for (name, make) in shapes {
        let small = Request::upload(make(1 << 19), key.clone()).with_domain("www.example.com");
        let large = Request::upload(make(4 << 20), key.clone()).with_domain("www.example.com");
        // The faster of two runs each: the machine is shared.
        let best = |request: &Request| {
            let (verdict, first) = timed(|| validate(&CDN, request, &options));
            let (_, second) = timed(|| validate(&CDN, request, &options));
            (verdict, first.min(second))
        };
        let (_, t_small) = best(&small);
        let (verdict, t_large) = best(&large);
        println!("{name}: 512 KiB {t_small:?}, 4 MiB {t_large:?}");
        assert!(!verdict.is_accepted());
        assert!(t_large < BUDGET, "{name}: {t_large:?}");
        assert!(
            t_large < t_small * 24 + Duration::from_millis(200),
            "{name}: 512 KiB {t_small:?}, 4 MiB {t_large:?}: not linear"
        );
    }
}

// ---- secret hygiene ----

/// Every file of `testdata/` that holds a private key.
fn key_files() -> Vec<String> {
    let mut found = Vec::new();
    let root = common::path("");
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "pem") {
                let text = std::fs::read(&path).unwrap();
                if text.windows(11).any(|w| w == b"PRIVATE KEY") {
                    found.push(
                        path.strip_prefix(&root)
                            .unwrap()
                            .to_str()
                            .unwrap()
                            .to_owned(),
                    );
                }
            }
        }
    }
    found.sort();
    found
}

/// Damaged forms of a key file: a byte of its base64 changed, a line dropped, cut in half,
/// its DER under the other key labels, the DER truncated, and a stray header.
fn damaged(key: &[u8]) -> Vec<Vec<u8>> {
    let text = String::from_utf8(key.to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut flipped = key.to_vec();
    if let Some(at) = text.find("-----\n").map(|i| i + 20)
        && at < flipped.len()
    {
        flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
        out.push(flipped);
    }
    if lines.len() > 4 {
        let mut dropped = lines.clone();
        dropped.remove(2);
        out.push((dropped.join("\n") + "\n").into_bytes());
    }
    out.push(key[..key.len() / 2].to_vec());
    out.push(
        text.replacen("\n", "\nProc-Type: 4,ENCRYPTED\nDEK-Info: x\n\n", 1)
            .into_bytes(),
    );
    if let Some(key) = blocks::key_block(&text) {
        let der = &key.der;
        for label in [
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "PUBLIC KEY",
        ] {
            out.push(pem::block(label, der).into_bytes());
        }
        out.push(pem::block("PRIVATE KEY", &der[..der.len() * 2 / 3]).into_bytes());
    }
    out
}

/// Everything produced from key inputs — every key file of `testdata/` (and damaged forms of
/// each) against several certificates and against the key's own chain, by both profiles,
/// and with the fields swapped — printed with `Display` and `Debug` (verdict, findings,
/// failures, warnings, the key's parse result) holds no 16-character run of the key's base64
/// text nor of the hex of its DER.
#[test]
fn no_key_material_in_any_output() {
    let certificates = [
        "rsa2048/fullchain.pem",
        "p256/fullchain.pem",
        "ed25519/cert.pem",
        "chain/reversed.pem",
    ];
    let mut checked = 0usize;
    for key_file in key_files() {
        let key = fixture(&key_file);
        let slow = key_file.contains("8192") || key_file.contains("16384");
        let own_chain = key_file
            .rsplit_once('/')
            .map(|(dir, _)| format!("{dir}/fullchain.pem"))
            .filter(|chain| common::path(chain).exists());
        let mut inputs: Vec<(Vec<u8>, &str)> = vec![(key.clone(), "as given")];
        if !slow {
            inputs.extend(damaged(&key).into_iter().map(|d| (d, "damaged")));
        }
        for (input, how) in &inputs {
            let secrets = leak::key_secrets(input);
            // The key's own parse result and errors.
            #[cfg(fuzzing)]
            if let Ok(text) = std::str::from_utf8(input) {
                let field = fuzzing::private_key_field(text);
                secrets.check("key field", &format!("{field:?}"));
                if let Err(e) = &field {
                    secrets.check("key field error", &e.to_string());
                }
                if let Ok(field) = &field
                    && let Ok(der) = &field.key.decoded
                {
                    let parsed = fuzzing::private_key(&field.key.label, der, None);
                    secrets.check("parsed key", &format!("{parsed:?}"));
                    if let Err(e) = &parsed {
                        secrets.check("key problem", &e.to_string());
                    }
                }
            }
            let chains: Vec<String> = if slow {
                own_chain.iter().cloned().collect()
            } else {
                certificates
                    .iter()
                    .map(|c| (*c).to_owned())
                    .chain(own_chain.iter().cloned())
                    .collect()
            };
            for chain in &chains {
                let cert = fixture(chain);
                let mut secrets = secrets.clone();
                leak::allow_certificate(&mut secrets, &cert);
                secrets.allow(b"www.example.com");
                let request = Request::upload(cert, input.clone())
                    .with_domain("www.example.com")
                    .with_cert_name("prod-2026");
                for profile in Profile::ALL {
                    let verdict = validate(profile, &request, &Options::at(NOW));
                    leak::check_verdict(profile, &verdict, &secrets);
                    checked += 1;
                }
            }
            // Swapped: the key in the certificate's place (and a certificate in the key's).
            let request = Request::upload(input.clone(), fixture("rsa2048/cert.pem"))
                .with_domain("www.example.com");
            for profile in Profile::ALL {
                let verdict = validate(profile, &request, &Options::at(NOW));
                leak::check_verdict(profile, &verdict, &secrets);
                assert!(!verdict.is_accepted(), "{key_file} {how}");
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} verdicts checked");
}

/// The check itself finds key material: a detail that quoted the key would fail it.
#[test]
fn the_secret_check_catches_a_leak() {
    let key = fixture("p256/key.pkcs8.pem");
    let secrets = leak::key_secrets(&key);
    let text = String::from_utf8(key.clone()).unwrap();
    let line = text.lines().nth(1).unwrap();
    let leaked = format!("detail: {}", &line[10..30]);
    assert!(
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(
            || secrets.check("detail", &leaked)
        ))
        .is_err()
    );
    let der = blocks::key_block(&text).unwrap().der;
    let hex = leak::hex_lower(&der[20..32]);
    assert!(
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(
            || secrets.check("detail", &hex)
        ))
        .is_err()
    );
    secrets.check(
        "detail",
        "the key is EC P-256 but the certificate's public key is RSA 2048-bit",
    );
}

/// Key types print no key material in `Debug`: the request, its values and the parsed key.
#[test]
fn debug_of_key_holders_shows_no_key() {
    for key_file in [
        "rsa2048/key.pkcs1.pem",
        "p256/key.sec1.pem",
        "ed25519/key.pkcs8v2.pem",
    ] {
        let key = fixture(key_file);
        let secrets = leak::key_secrets(&key);
        let request = Request::upload(fixture("p256/fullchain.pem"), key.clone())
            .with_domain("www.example.com");
        secrets.check("Request Debug", &format!("{request:?}"));
        #[cfg(fuzzing)]
        {
            let text = String::from_utf8(key).unwrap();
            let field = fuzzing::private_key_field(&text).unwrap();
            secrets.check("KeyField Debug", &format!("{field:?}"));
            let der = field.key.decoded.as_ref().unwrap();
            let parsed = fuzzing::private_key(&field.key.label, der, None).unwrap();
            secrets.check("DerivedKey Debug", &format!("{parsed:?}"));
        }
    }
}
