//! What a store keeps of an accepted chain: each certificate's facts, and the chain as canonical
//! PEM — exactly the blocks that were checked, whatever framing the upload had; the key's DER
//! for a program that loads a checked pair.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight::time::macros::datetime;
use cert_preflight::{
    CDN, Chain, ChainError, KeyFormat, Options, Request, SubjectKey, private_key_der, validate,
};
use cert_preflight_testkit::common::fixture;
use cert_preflight_testkit::pem;

fn text(path: &str) -> String {
    String::from_utf8(fixture(path)).unwrap()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_facts_of_a_chain_are_its_certificates_own() {
    let chain = Chain::from_pem(&text("p256/fullchain.pem")).unwrap();
    assert_eq!(chain.certificates().len(), 2);
    let leaf = chain.leaf().unwrap();
    assert_eq!(leaf.common_name(), Some("www.example.com"));
    assert_eq!(leaf.subject(), "CN=www.example.com");
    assert_eq!(leaf.dns_names(), ["www.example.com", "example.com"]);
    assert_eq!(leaf.names(), ["www.example.com", "example.com"]);
    assert_eq!(
        leaf.issuer(),
        "O=Cert Preflight Tests, CN=Preflight Test ECC Intermediate"
    );
    assert_eq!(
        leaf.issuer_common_name(),
        Some("Preflight Test ECC Intermediate")
    );
    assert_eq!(leaf.issuer_organization(), Some("Cert Preflight Tests"));
    assert_eq!(leaf.organization(), None);
    // What `openssl x509 -serial -dates` prints of it.
    assert_eq!(hex(leaf.serial()), "516a82fa4a32fcdf4d2ff12064010c39");
    assert_eq!(
        leaf.not_before(),
        datetime!(2026-01-01 0:00 UTC).unix_timestamp()
    );
    assert_eq!(
        leaf.not_after(),
        datetime!(2027-01-01 0:00 UTC).unix_timestamp()
    );
    assert!(matches!(leaf.key(), SubjectKey::Ec { .. }));
    assert!(!leaf.is_ca());
    assert!(chain.certificates()[1].is_ca());
    // `sha256sum`/`sha1sum` of the DER.
    assert_eq!(
        hex(&leaf.sha256()),
        "ece0429832d731ec64b5399840d06acdbbc13a6c3f3c82663ed22aeb920439ce"
    );
    assert_eq!(
        hex(&leaf.sha1()),
        "5761ac35a360176a9682d37833be8175eb976719"
    );
    // The fixture is canonical already: the chain reads back as it was written.
    assert_eq!(chain.pem(), text("p256/fullchain.pem"));
}

/// Every framing the checks accept gives the same stored chain: no BOM, no indentation, no
/// CR, the `CERTIFICATE` label, no text between or after the blocks.
#[test]
fn every_accepted_framing_is_stored_as_the_canonical_chain() {
    let canonical = text("p256/fullchain.pem");
    let key = text("p256/key.pkcs8.pem");
    let variants: Vec<(&str, String)> = vec![
        ("a byte-order mark", format!("\u{feff}{canonical}")),
        ("CRLF line ends", canonical.replace('\n', "\r\n")),
        ("CR line ends", canonical.replace('\n', "\r")),
        (
            "indented lines",
            canonical
                .lines()
                .map(|l| format!("   {l}\n"))
                .collect::<String>(),
        ),
        (
            "the legacy X509 CERTIFICATE label",
            canonical.replace(" CERTIFICATE-----", " X509 CERTIFICATE-----"),
        ),
        (
            "a blank line between the blocks and text after them",
            canonical.replacen(
                "-----END CERTIFICATE-----\n",
                "-----END CERTIFICATE-----\n\n",
                1,
            ) + "issuer=something openssl printed\n",
        ),
        (
            "lines of 76 characters",
            Chain::from_pem(&canonical)
                .unwrap()
                .certificates()
                .iter()
                .map(|c| pem::block_with("CERTIFICATE", c.der(), 76))
                .collect(),
        ),
    ];
    let now = datetime!(2026-06-01 0:00 UTC);
    for (what, chain) in variants {
        assert_eq!(
            Chain::from_pem(&chain).unwrap().pem(),
            canonical,
            "Chain::from_pem with {what}"
        );
        let request = Request::upload(chain.as_str(), key.as_str()).with_domain("www.example.com");
        let verdict = validate(&CDN, &request, &Options::at(now));
        let upload = verdict
            .upload()
            .unwrap_or_else(|| panic!("{what}: {verdict:?}"));
        assert_eq!(upload.chain().pem(), canonical, "the upload with {what}");
        assert_eq!(upload.leaf_der(), upload.chain().certificates()[0].der());
    }
}

#[test]
fn a_text_that_is_not_a_chain_says_why() {
    let err = Chain::from_pem("not PEM").unwrap_err();
    assert!(matches!(err, ChainError::Pem(_)), "{err:?}");
    let mut bad = text("p256/fullchain.pem");
    // Break the second certificate's DER (its first body line) but keep base64.
    let second = bad.rfind("-----BEGIN CERTIFICATE-----\n").unwrap() + 28;
    bad.replace_range(second..second + 4, "AAAA");
    let err = Chain::from_pem(&bad).unwrap_err();
    assert!(matches!(err, ChainError::Der { index: 1, .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("certificate 2 of the chain: "),
        "{err}"
    );
}

#[test]
fn a_checked_key_is_read_for_a_tls_library_without_showing_it() {
    for (path, format) in [
        ("rsa2048/key.pkcs1.pem", KeyFormat::Pkcs1),
        ("rsa2048/key.pkcs8.pem", KeyFormat::Pkcs8),
        ("p256/key.sec1.pem", KeyFormat::Sec1),
        ("p256/key.sec1-params.pem", KeyFormat::Sec1),
    ] {
        let key = private_key_der(&text(path)).unwrap();
        assert_eq!(key.format(), format, "{path}");
        assert_eq!(key.der().first(), Some(&0x30), "{path}");
        let shown = format!("{key:?}");
        assert!(shown.ends_with("[secret key elided])"), "{shown}");
        assert!(!shown.contains("0x"), "{shown}");
    }
    assert!(private_key_der(&text("p256/cert.pem")).is_err());
}
