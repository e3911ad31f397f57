//! The certificate service's `UploadUserCertificate` (profile `cas`): no domain, no switch, a
//! `Name` the gateway requires and the account keeps unique; what was observed of its answers
//! kept byte for byte, what is inferred marked so in the detail; and the gateway's
//! `Missing<Name>` on every API.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight::{
    CAS, CDN, CDN_SSL, CertKind, DCDN, InMemoryState, LIVE, Options, Product, Profile, Request,
    Role, StateView, VOD, validate_with,
};
use cert_preflight_testkit::common::{NOW, answer, check, fixture, warning_codes};

const INFERRED: &str = " (the code and message are cert-preflight's inference: no public source \
                        shows this service's answer to this case)";

fn upload(cert: &str, key: &str) -> Request {
    Request::new()
        .with(Role::CertName, "cert-2026")
        .with_certificate(fixture(cert))
        .with_private_key(fixture(key))
}

#[test]
fn a_good_pair_is_accepted_and_stored_as_the_services_own() {
    let verdict = check(&CAS, &upload("p256/fullchain.pem", "p256/key.pkcs8.pem"));
    assert_eq!(answer(&verdict), None);
    let accepted = verdict.upload().unwrap();
    assert_eq!(accepted.name(), "cert-2026");
    assert_eq!(accepted.chain().certificates().len(), 2);
    // Recorded, it is a certificate-service certificate, for every product.
    let mut state = InMemoryState::default();
    assert!(state.record(Product::Cas, &verdict));
    let stored = &state.certificates.as_ref().unwrap()[0];
    assert_eq!((stored.kind, stored.product), (CertKind::Cas, None));
    // Its name is taken in the service, and for the CDN's successor it is a cas name.
    let again = validate_with(
        &CAS,
        &upload("p256/fullchain.pem", "p256/key.pkcs8.pem"),
        &Options::at(NOW),
        &StateView::of(&state),
    )
    .unwrap();
    assert_eq!(
        answer(&again),
        Some((
            "Preflight.NameDuplicated",
            "名称重复，请重新输入。",
            400,
            format!(
                "a certificate-service certificate named \"cert-2026\" is already stored; choose another Name{INFERRED}"
            )
        ))
    );
    let cdn = Request::upload(
        fixture("rsa2048/fullchain.pem"),
        fixture("rsa2048/key.pkcs1.pem"),
    )
    .with_domain("www.example.com")
    .with_cert_name("cert-2026");
    let cdn = validate_with(&CDN_SSL, &cdn, &Options::at(NOW), &StateView::of(&state)).unwrap();
    assert_eq!(answer(&cdn).unwrap().0, "CertNameAlreadyExists");
}

#[test]
fn what_the_service_was_seen_to_answer_and_what_is_inferred() {
    let cases: [(&str, Request, &str, &str, String); 7] = [
        (
            "no Name (the gateway)",
            upload("p256/fullchain.pem", "p256/key.pkcs8.pem").without(Role::CertName),
            "MissingName",
            "Name is mandatory for this action.",
            format!(
                "Name is absent; the API requires it, so the API gateway refuses the request{INFERRED}"
            ),
        ),
        (
            "a blank Name (present, so past the gateway)",
            upload("p256/fullchain.pem", "p256/key.pkcs8.pem").with_cert_name(" "),
            "Preflight.InvalidParameter",
            "A parameter has a value the API cannot take.",
            format!("Name is empty{INFERRED}"),
        ),
        (
            "not a certificate",
            upload("p256/fullchain.pem", "p256/key.pkcs8.pem").with_certificate("junk"),
            "Preflight.CertificateFormat",
            "证书格式异常，请检查输入内容。",
            format!("Cert: it is not PEM: no -----BEGIN …----- line was found{INFERRED}"),
        ),
        (
            "a key of another certificate",
            upload("rsa2048/fullchain.pem", "keys/rsa2048-b.pem"),
            "Preflight.CertificateKeyMismatch",
            "The private key does not match the certificate.",
            String::new(),
        ),
        (
            "an encrypted key",
            upload("rsa2048/fullchain.pem", "keys/rsa2048.encrypted-pkcs8.pem"),
            "Preflight.PrivateKeyEncrypted",
            "The private key is encrypted; upload it without a password.",
            String::new(),
        ),
        (
            "a name of 65 characters",
            upload("p256/fullchain.pem", "p256/key.pkcs8.pem").with(Role::CertName, "n".repeat(65)),
            "Preflight.NameTooLong",
            "The Name is longer than 64 characters.",
            format!("Name has 65 characters; at most 64 are allowed{INFERRED}"),
        ),
        (
            "a key that is a certificate",
            upload("p256/fullchain.pem", "p256/cert.pem"),
            "Preflight.PrivateKeyInvalid",
            "The private key is not a valid PEM private key.",
            String::new(),
        ),
    ];
    for (what, request, code, message, detail) in cases {
        let (got_code, got_message, status, got_detail) =
            answer(&check(&CAS, &request)).unwrap_or_else(|| panic!("{what}: accepted"));
        assert_eq!(
            (got_code, got_message, status),
            (code, message, 400),
            "{what}"
        );
        assert!(got_detail.ends_with(INFERRED), "{what}: {got_detail}");
        if !detail.is_empty() {
            assert_eq!(got_detail, detail, "{what}");
        }
    }
    // 64 characters pass.
    let at_limit =
        upload("p256/fullchain.pem", "p256/key.pkcs8.pem").with(Role::CertName, "n".repeat(64));
    assert_eq!(answer(&check(&CAS, &at_limit)), None);
}

/// No source shows the service refusing an expired certificate: it is accepted, with a
/// warning that says clients will refuse it.
#[test]
fn an_expired_certificate_is_taken_with_a_warning() {
    let verdict = check(&CAS, &upload("time/expired.pem", "rsa2048/key.pkcs8.pem"));
    assert_eq!(answer(&verdict), None);
    assert!(warning_codes(&verdict).contains(&"Expired"), "{verdict:?}");
    let text = verdict.warnings()[0].to_string();
    assert!(
        text.contains("the service stores it, but clients will refuse it"),
        "{text}"
    );
}

/// A parameter the API does not take is not read, even when a request built in code holds it.
#[test]
fn the_certificate_service_reads_no_domain_or_switch() {
    let request = upload("p256/fullchain.pem", "p256/key.pkcs8.pem")
        .with_domain("not a domain/at all")
        .with_switch("maybe");
    assert_eq!(answer(&check(&CAS, &request)), None);
}

/// Before row 1, on every domain API: a request without `DomainName` is refused by the gateway
/// (`MissingDomainName`, 400) — documented for CDN, inferred from that pattern for the others.
#[test]
fn every_domain_api_requires_domain_name() {
    let request = Request::upload(fixture("p256/fullchain.pem"), fixture("p256/key.pkcs8.pem"))
        .with_cert_name("n");
    let profiles: [(&Profile, bool); 5] = [
        (&CDN, false),
        (&CDN_SSL, false),
        (&LIVE, true),
        (&DCDN, true),
        (&VOD, true),
    ];
    for (profile, inferred) in profiles {
        let detail = format!(
            "DomainName is absent; the API requires it, so the API gateway refuses the request{}",
            if inferred { INFERRED } else { "" }
        );
        assert_eq!(
            answer(&check(profile, &request)),
            Some((
                "MissingDomainName",
                "DomainName is mandatory for this action.",
                400,
                detail
            )),
            "{}",
            profile.name()
        );
        // An empty DomainName is present: row 4 answers it.
        let empty = check(profile, &Request::new().with_domain("").with_switch("off"));
        assert_ne!(answer(&empty).unwrap().0, "MissingDomainName");
    }
}
