//! Every catalog entry of every profile is produced by a real input: this walks the whole
//! catalog and fails naming any entry no scenario reaches.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use std::collections::HashSet;

use cert_preflight::{
    CasRef, CasStatus, CatalogEntry, CertKind, CertificateStore, DomainInfo, DomainStatus,
    FaultFlags, InMemoryState, Options, Product, Profile, Request, Role, StateView, StoreError,
    StoredCertificate, validate, validate_with,
};
use common::{NOW, fixture, valid_upload};

fn upload(cert: &str, key: &str) -> Request {
    Request::upload(fixture(cert), fixture(key))
        .with_domain("www.example.com")
        .with_cert_name("prod-2026")
}

fn domain(status: DomainStatus, https_off_forbidden: bool, not_effective: bool) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.set_domain(
        "www.example.com",
        DomainInfo {
            status,
            https_off_forbidden,
            not_effective,
        },
    );
    state
}

fn faults(authentication: bool, delete: bool, store: bool) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.set_faults(FaultFlags {
        authentication,
        delete,
        store,
    });
    state
}

fn stored(
    name: &str,
    kind: CertKind,
    status: &str,
    fingerprint: Option<[u8; 32]>,
) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.add_certificate(StoredCertificate {
        name: name.to_owned(),
        id: None,
        product: None,
        kind,
        status: CasStatus::from_name(status),
        fingerprint,
        chain: None,
    });
    state
}

fn stored_cas_id(id: &str, status: &str) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.add_certificate(StoredCertificate {
        name: "in-cas".to_owned(),
        id: Some(id.to_owned()),
        product: None,
        kind: CertKind::Cas,
        status: CasStatus::from_name(status),
        fingerprint: None,
        chain: None,
    });
    state
}

/// A `cas` request by `CertId` (`SetCdnDomainSSLCertificate` and its siblings).
fn cas_id(id: &str) -> Request {
    cas("in-cas").with(Role::CertId, id)
}

/// A store that cannot answer, as a database that is down.
struct FailingStore;

impl CertificateStore for FailingStore {
    fn name_taken(&self, _: Product, _: &str) -> Result<Option<CertKind>, StoreError> {
        Err(StoreError::new("the database is locked"))
    }
    fn content_stored(&self, _: Product, _: &[u8; 32]) -> Result<Option<String>, StoreError> {
        Err(StoreError::new("the database is locked"))
    }
    fn cas_certificate(&self, _: Product, _: CasRef<'_>) -> Result<Option<CasStatus>, StoreError> {
        Err(StoreError::new("the database is locked"))
    }
}

fn cas(name: &str) -> Request {
    Request::new()
        .with_switch("on")
        .with_cert_type("cas")
        .with_cert_name(name)
        .with_domain("www.example.com")
}

/// Every scenario: a request and the state it is checked against.
fn scenarios() -> Vec<(&'static str, Request, InMemoryState)> {
    let none = InMemoryState::default;
    let leaf = validate(&cert_preflight::LIVE, &valid_upload(), &Options::at(NOW))
        .upload()
        .unwrap()
        .fingerprint();
    let mut no_name = valid_upload();
    no_name.set(Role::CertName, None);
    let mut no_cert = valid_upload();
    no_cert.set(Role::Certificate, None);
    let mut no_key = valid_upload();
    no_key.set(Role::PrivateKey, None);
    let mut no_domain = valid_upload();
    no_domain.set(Role::Domain, None);
    vec![
        ("no DomainName (the gateway)", no_domain, none()),
        (
            "a name that is not text",
            valid_upload().with(Role::CertName, vec![0xff_u8]),
            none(),
        ),
        (
            "domain not found",
            valid_upload(),
            domain(DomainStatus::NotFound, false, false),
        ),
        (
            "domain forbidden",
            valid_upload(),
            domain(DomainStatus::Forbidden, false, false),
        ),
        (
            "domain configuring",
            valid_upload(),
            domain(DomainStatus::Configuring, false, false),
        ),
        (
            "domain offline",
            valid_upload(),
            domain(DomainStatus::Offline, false, false),
        ),
        (
            "domain suspended",
            valid_upload(),
            domain(DomainStatus::Suspended, false, false),
        ),
        (
            "domain safe mode",
            valid_upload(),
            domain(DomainStatus::SafeMode, false, false),
        ),
        (
            "domain protected",
            valid_upload(),
            domain(DomainStatus::ProtectedMode, false, false),
        ),
        (
            "function mutex",
            valid_upload(),
            domain(DomainStatus::FunctionMutex, false, false),
        ),
        ("authentication", valid_upload(), faults(true, false, false)),
        ("switch ON", valid_upload().with_switch("ON"), none()),
        (
            "off forbidden",
            valid_upload().with_switch("off"),
            domain(DomainStatus::Online, true, false),
        ),
        (
            "delete fails",
            valid_upload().with_switch("off"),
            faults(false, true, false),
        ),
        ("cert type", valid_upload().with_cert_type("byo"), none()),
        (
            "name too long",
            valid_upload().with_cert_name("n".repeat(129)),
            none(),
        ),
        ("no cert name", no_name, none()),
        (
            "cas missing",
            cas("x"),
            stored("y", CertKind::Cas, "issued", None),
        ),
        (
            "cas revoked",
            cas("x"),
            stored("x", CertKind::Cas, "revoked", None),
        ),
        (
            "cas expired",
            cas("x"),
            stored("x", CertKind::Cas, "expired", None),
        ),
        ("no certificate", no_cert, none()),
        ("no key", no_key, none()),
        ("empty key", valid_upload().with_private_key(""), none()),
        (
            "empty certificate",
            valid_upload().with_certificate(""),
            none(),
        ),
        (
            "certificate not text",
            valid_upload().with_certificate(vec![0xff]),
            none(),
        ),
        (
            "key not text",
            valid_upload().with_private_key(vec![0xff]),
            none(),
        ),
        (
            "certificate not PEM",
            upload("p256/key.pkcs8.pem", "p256/key.pkcs8.pem"),
            none(),
        ),
        (
            "key not PEM",
            upload("p256/fullchain.pem", "p256/cert.pem"),
            none(),
        ),
        (
            "both not PEM",
            upload("p256/key.pkcs8.pem", "p256/cert.pem"),
            none(),
        ),
        (
            "bad base64",
            upload("pem/bang-in-base64.pem", "rsa2048/key.pkcs8.pem"),
            none(),
        ),
        (
            "bad DER",
            upload("chain/bad-second.pem", "rsa2048/key.pkcs8.pem"),
            none(),
        ),
        (
            "encrypted key",
            upload("rsa2048/fullchain.pem", "keys/rsa2048.encrypted-pkcs8.pem"),
            none(),
        ),
        (
            "mismatch",
            upload("p256/fullchain.pem", "mismatch/p256-b.key.pkcs8.pem"),
            none(),
        ),
        (
            "mismatch, PKCS#1 (CLB takes no other encoding)",
            upload("rsa2048/fullchain.pem", "mismatch/rsa2048-b.key.pkcs1.pem"),
            none(),
        ),
        (
            "leaf not first",
            upload("chain/leaf-not-first.pem", "rsa2048/key.pkcs8.pem"),
            none(),
        ),
        (
            "expired",
            upload("time/expired.pem", "rsa2048/key.pkcs8.pem"),
            none(),
        ),
        (
            "duplicate name",
            valid_upload(),
            stored("prod-2026", CertKind::Upload, "issued", None),
        ),
        (
            "duplicate content",
            valid_upload().with_cert_name("other"),
            stored("prod-2026", CertKind::Upload, "issued", Some(leaf)),
        ),
        ("storage fails", valid_upload(), faults(false, false, true)),
        (
            "cas id missing",
            cas("in-cas"),
            stored_cas_id("12345", "issued"),
        ),
        (
            "cas id not a number",
            cas_id("12a"),
            stored_cas_id("12345", "issued"),
        ),
        (
            "cas id not found",
            cas_id("999"),
            stored_cas_id("12345", "issued"),
        ),
        (
            "cas id revoked",
            cas_id("12345"),
            stored_cas_id("12345", "revoked"),
        ),
        (
            "cas id expired",
            cas_id("12345"),
            stored_cas_id("12345", "expired"),
        ),
        (
            "cas with neither a name nor an id",
            cas("in-cas").without(Role::CertName),
            stored_cas_id("12345", "issued"),
        ),
        (
            "cas id without a name",
            cas_id("12345").without(Role::CertName),
            stored_cas_id("12345", "issued"),
        ),
        (
            "name of a cas certificate",
            valid_upload(),
            stored("prod-2026", CertKind::Cas, "issued", None),
        ),
        (
            "region",
            valid_upload().with(Role::CertRegion, "eu-central-1"),
            none(),
        ),
        ("env", valid_upload().with(Role::Env, "production"), none()),
        (
            "not effective",
            valid_upload(),
            domain(DomainStatus::Online, false, true),
        ),
    ]
}

#[test]
fn every_catalog_entry_is_reachable_for_every_profile() {
    for profile in Profile::ALL {
        let mut reached: HashSet<CatalogEntry> = HashSet::new();
        for (_, request, state) in scenarios() {
            let verdict =
                validate_with(profile, &request, &Options::at(NOW), &StateView::of(&state))
                    .unwrap();
            reached.extend(verdict.findings().iter().map(|f| *f.entry()));
        }
        // A store that fails: the API's storage code where it has one, else an error.
        let failing = StateView::none().with_store(&FailingStore);
        match validate_with(profile, &valid_upload(), &Options::at(NOW), &failing) {
            Ok(verdict) => {
                let answer = verdict.answer().unwrap();
                assert_eq!(Some(answer.entry()), profile.codes.store_error);
                reached.insert(*answer.entry());
            }
            Err(error) => {
                assert!(profile.codes.store_error.is_none(), "{}", profile.name());
                assert_eq!(
                    error.to_string(),
                    "the state store failed: the database is locked"
                );
            }
        }
        // What the service's other actions answer (an unknown id, an unknown action) is
        // reached through the endpoint (crates/serve/tests), not a check.
        let missing: Vec<String> = profile
            .entries()
            .filter(|entry| !reached.contains(entry))
            .filter(|entry| !profile.codes.elsewhere.contains(entry))
            .map(ToString::to_string)
            .collect();
        assert!(
            missing.is_empty(),
            "{}: no input reaches {missing:#?}",
            profile.name()
        );
        assert!(reached.iter().all(|e| profile.entries().any(|x| x == e)));
    }
}

#[test]
fn each_scenario_is_answered_by_the_entry_it_is_named_for() {
    // The answer (first finding) of a few scenarios, per profile, to keep the walk honest.
    let expected = [
        (
            "cas expired",
            "Certificate.StatusError",
            "The certificate status is error.",
        ),
        (
            "leaf not first",
            "Certificate.MissMatch",
            "The certificate is not match the private key.",
        ),
        (
            "both not PEM",
            "InvalidSSLPubOrInvalidSSLPri",
            "The SSLPri or SSLPub you provided is malformed!",
        ),
        (
            "not effective",
            "Certificate.SettedNotEffect",
            "Certificate was successfully setted but does't take effect for protecting current service, please contact customer service",
        ),
    ];
    let scenarios = scenarios();
    for (name, code, message) in expected {
        let (_, request, state) = scenarios.iter().find(|(n, _, _)| *n == name).unwrap();
        let verdict = validate_with(
            &cert_preflight::LIVE,
            request,
            &Options::at(NOW),
            &StateView::of(state),
        )
        .unwrap();
        let answer = verdict.answer().unwrap();
        assert_eq!((answer.code(), answer.message()), (code, message), "{name}");
    }
}
