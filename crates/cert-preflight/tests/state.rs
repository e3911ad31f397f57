//! The checks that need the caller's state: rows 1, 3, 7, 20, 21 and 22 of the check table
//! (`docs/checks.md`), and the state file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_testkit::common;

use cert_preflight::{
    CDN, CasStatus, CertKind, DCDN, DomainInfo, DomainStatus, FaultFlags, InMemoryState, LIVE,
    Options, Product, Profile, Request, Skipped, StateView, StoredCertificate, Verdict, validate,
    validate_with,
};
use common::{NOW, codes, fixture, valid_upload};

fn with_state(profile: &Profile, request: &Request, state: &InMemoryState) -> Verdict {
    validate_with(profile, request, &Options::at(NOW), &StateView::of(state)).unwrap()
}

fn domain(status: DomainStatus) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.set_domain(
        "www.example.com",
        DomainInfo {
            status,
            ..DomainInfo::default()
        },
    );
    state
}

fn first(verdict: &Verdict) -> (&'static str, &'static str, u16, String) {
    let f = verdict.answer().expect("rejected");
    (f.code(), f.message(), f.http_status(), f.detail())
}

#[test]
fn row_1_every_domain_state_for_both_profiles() {
    type Entry = (&'static str, &'static str, u16);
    let cases: &[(DomainStatus, Entry, Entry, &str)] = &[
        (
            DomainStatus::NotFound,
            (
                "InvalidDomain.NotFound",
                "The domain provided does not belong to you.",
                404,
            ),
            (
                "IllegalOperationDomain",
                "You are not authorized to operate the domain.",
                400,
            ),
            "the domain www.example.com is not found (no such domain in this account)",
        ),
        (
            DomainStatus::NotOwned,
            (
                "InvalidDomain.NotFound",
                "The domain provided does not belong to you.",
                404,
            ),
            (
                "IllegalOperationDomain",
                "You are not authorized to operate the domain.",
                400,
            ),
            "the domain www.example.com is not yours (it belongs to another account)",
        ),
        (
            DomainStatus::Forbidden,
            (
                "IllegalOperation",
                "Illegal domain operate is not permitted.",
                403,
            ),
            (
                "IllegalOperation",
                "Illegal domain operate is not permitted.",
                403,
            ),
            "the domain www.example.com is not open to this operation for your account",
        ),
        (
            DomainStatus::Offline,
            (
                "InvalidDomain.Offline",
                "The domain provided is offline.",
                400,
            ),
            (
                "InvalidDomain.notOnline",
                "The domain is not online, please check the domain status and try again later.",
                400,
            ),
            "the domain www.example.com is offline; bring it online first",
        ),
        (
            DomainStatus::Configuring,
            (
                "ServiceBusy",
                "The specified Domain is configuring, please retry later.",
                403,
            ),
            (
                "InvalidDomain.notOnline",
                "The domain is not online, please check the domain status and try again later.",
                400,
            ),
            "the domain www.example.com is being configured; retry when that finishes",
        ),
        (
            DomainStatus::Suspended,
            ("OperationDenied", "Your CDN service is suspended.", 403),
            (
                "IllegalOperation",
                "Illegal domain operate is not permitted.",
                403,
            ),
            "the domain www.example.com is suspended because the service is in arrears",
        ),
        (
            DomainStatus::SafeMode,
            (
                "IllegalOperation",
                "Illegal domain operate is not permitted.",
                403,
            ),
            (
                "DomainInSafeMode",
                "This domain is in the safe mode. if you want to do this operation, please contact us!",
                400,
            ),
            "the domain www.example.com is in safe mode; contact support to change it",
        ),
        (
            DomainStatus::ProtectedMode,
            (
                "IllegalOperation",
                "Illegal domain operate is not permitted.",
                403,
            ),
            (
                "DomainInProtectedMode",
                "This domain is in the protected mode. if you want to do this operation, please contact us!",
                400,
            ),
            "the domain www.example.com is in protected mode; contact support to change it",
        ),
        (
            DomainStatus::FunctionMutex,
            (
                "IllegalOperation",
                "Illegal domain operate is not permitted.",
                403,
            ),
            (
                "FunctionMutex",
                "Function is mutex with other function.",
                400,
            ),
            "the domain www.example.com is using a function that excludes this one; turn that function off first",
        ),
    ];
    for (status, cdn, live, detail) in cases {
        let state = domain(*status);
        for (profile, (code, message, http)) in [(&CDN, cdn), (&LIVE, live)] {
            let verdict = with_state(profile, &valid_upload(), &state);
            assert_eq!(
                first(&verdict),
                (*code, *message, *http, (*detail).to_owned()),
                "{status:?} {}",
                profile.name()
            );
        }
    }
    let online = domain(DomainStatus::Online);
    assert!(with_state(&CDN, &valid_upload(), &online).is_accepted());
    assert!(with_state(&LIVE, &valid_upload(), &online).is_accepted());
}

#[test]
fn row_1_a_domain_missing_from_the_directory_is_not_found() {
    let state = domain(DomainStatus::Online);
    let request = valid_upload().with_domain("other.example.com");
    assert_eq!(
        first(&with_state(&CDN, &request, &state)).0,
        "InvalidDomain.NotFound"
    );
    // Domain names compare case-insensitively.
    let request = valid_upload().with_domain("WWW.EXAMPLE.COM");
    assert!(with_state(&CDN, &request, &state).is_accepted());
}

#[test]
fn row_1_authentication_fails_first() {
    let mut state = domain(DomainStatus::Offline);
    state.set_faults(FaultFlags {
        authentication: true,
        ..FaultFlags::default()
    });
    assert_eq!(
        first(&with_state(&LIVE, &valid_upload(), &state)),
        (
            "AuthenticationFailed",
            "Authentication failed.",
            400,
            "the request failed authentication (the account's credentials were refused)".to_owned()
        )
    );
    assert_eq!(
        codes(&with_state(&LIVE, &valid_upload(), &state)),
        vec!["AuthenticationFailed", "InvalidDomain.notOnline"]
    );
    assert_eq!(
        codes(&with_state(&CDN, &valid_upload(), &state)),
        vec!["IllegalOperation", "InvalidDomain.Offline"]
    );
}

#[test]
fn row_1_comes_before_every_parameter_and_content_check() {
    let state = domain(DomainStatus::Offline);
    let request = valid_upload()
        .with_switch("yes")
        .with_private_key("")
        .with_cert_name("x".repeat(200));
    assert_eq!(
        codes(&with_state(&CDN, &request, &state)),
        vec![
            "InvalidDomain.Offline",
            "InvalidServerCertificateStatus.ValueNotSupported",
            "InvalidCertName.TooLong"
        ]
    );
}

#[test]
fn row_3_switching_off() {
    let mut state = InMemoryState::default();
    state.set_domain(
        "www.example.com",
        DomainInfo {
            https_off_forbidden: true,
            ..DomainInfo::default()
        },
    );
    let off = valid_upload().with_switch("off");
    assert_eq!(
        first(&with_state(&CDN, &off, &state)),
        (
            "Certificate.NotPermittedOff",
            "Turn off certificate will change domain scheduling, please contact customer service.",
            400,
            "turning HTTPS off for www.example.com is not permitted: its scheduling depends on the certificate; ask customer service".to_owned()
        )
    );
    assert_eq!(
        first(&with_state(&LIVE, &off, &state)).1,
        "Turn off certificate will change domain scheduling, please contact customer service"
    );
    state.set_faults(FaultFlags {
        delete: true,
        ..FaultFlags::default()
    });
    assert_eq!(
        codes(&with_state(&LIVE, &off, &state)),
        vec!["Certificate.NotPermittedOff", "DeleteFailed"]
    );
    let mut only_fault = InMemoryState::default();
    only_fault.set_faults(FaultFlags {
        delete: true,
        ..FaultFlags::default()
    });
    let verdict = with_state(&CDN, &off, &only_fault);
    assert_eq!(
        first(&verdict),
        (
            "DeleteFailed",
            "Delete certificate is failed.",
            400,
            "the certificate stored for www.example.com could not be deleted".to_owned()
        )
    );
    // Switching on is not affected by either.
    assert!(with_state(&LIVE, &valid_upload(), &state).is_accepted());
}

fn store(entries: &[(&str, CertKind, &str, Option<&str>)]) -> InMemoryState {
    let mut state = InMemoryState::default();
    for (name, kind, status, pem) in entries {
        let fingerprint = pem.map(|path| {
            let verdict = validate(
                &CDN,
                &Request::upload(fixture(path), fixture("p256/key.pkcs8.pem"))
                    .with_domain("www.example.com"),
                &Options::at(NOW),
            );
            verdict
                .upload()
                .expect("fixture pair accepted")
                .fingerprint()
        });
        state.add_certificate(StoredCertificate {
            name: (*name).to_owned(),
            id: None,
            product: None,
            kind: *kind,
            status: CasStatus::from_name(status),
            fingerprint,
            chain: None,
        });
    }
    state
}

fn cas(name: &str) -> Request {
    Request::new()
        .with_switch("on")
        .with_cert_type("cas")
        .with_cert_name(name)
        .with_domain("www.example.com")
}

#[test]
fn row_7_cas_certificates_found_missing_and_unusable() {
    let state = store(&[
        ("good", CertKind::Cas, "issued", None),
        ("old", CertKind::Cas, "expired", None),
        ("revoked", CertKind::Cas, "revoked", None),
        ("uploaded", CertKind::Upload, "issued", None),
    ]);
    for profile in [&CDN, &LIVE] {
        assert!(with_state(profile, &cas("good"), &state).is_accepted());
        assert_eq!(
            first(&with_state(profile, &cas("missing"), &state)),
            (
                "Certificate.NotFind",
                "Not find the certificate info.",
                400,
                "no certificate named \"missing\" is in the certificate service (CertType=cas)"
                    .to_owned()
            )
        );
        // An uploaded certificate is not a certificate-service one.
        assert_eq!(
            first(&with_state(profile, &cas("uploaded"), &state)).0,
            "Certificate.NotFind"
        );
        assert_eq!(
            first(&with_state(profile, &cas("revoked"), &state)),
            (
                "Certificate.StatusError",
                "Certificate is not exist or its status is error.",
                400,
                "the certificate \"revoked\" in the certificate service is revoked, not issued"
                    .to_owned()
            )
        );
        assert_eq!(
            first(&with_state(profile, &cas("old"), &state)),
            (
                "Certificate.StatusError",
                "The certificate status is error.",
                400,
                "the certificate \"old\" in the certificate service has expired; renew it there"
                    .to_owned()
            )
        );
    }
    // Without a store the lookup is skipped, never guessed.
    let verdict = common::check(&LIVE, &cas("missing"));
    assert!(verdict.is_accepted());
    assert!(verdict.skipped().contains(&Skipped::CasLookup));
}

#[test]
fn row_20_duplicate_names_unless_force_set_is_1() {
    let state = store(&[("prod-2026", CertKind::Upload, "issued", None)]);
    let detail = "a certificate named \"prod-2026\" is already stored; choose another CertName or set ForceSet=1 to overwrite it";
    for profile in [&CDN, &LIVE] {
        assert_eq!(
            first(&with_state(profile, &valid_upload(), &state)),
            (
                "Certificate.Duplicated",
                "The certificate name is duplicated.",
                400,
                detail.to_owned()
            )
        );
        let forced = valid_upload().with_force_set("1");
        assert!(with_state(profile, &forced, &state).is_accepted());
        let not_forced = valid_upload().with_force_set("true");
        assert_eq!(
            first(&with_state(profile, &not_forced, &state)).0,
            "Certificate.Duplicated"
        );
        let other_name = valid_upload().with_cert_name("prod-2027");
        assert!(with_state(profile, &other_name, &state).is_accepted());
    }
}

#[test]
fn row_21_content_duplicates_under_another_name_on_live_only() {
    let state = store(&[(
        "first-upload",
        CertKind::Upload,
        "issued",
        Some("p256/fullchain.pem"),
    )]);
    let verdict = with_state(&LIVE, &valid_upload(), &state);
    let (code, message, http, detail) = first(&verdict);
    assert_eq!(
        (code, message, http),
        (
            "CertificateContent.Duplicated",
            "The certificate is already uploaded, please don't upload again.",
            400
        )
    );
    assert!(
        detail.starts_with("this certificate (SHA-256 ")
            && detail.ends_with(") is already stored as \"first-upload\""),
        "{detail}"
    );
    // cdn documents no such check.
    assert!(with_state(&CDN, &valid_upload(), &state).is_accepted());
    // Another certificate is not a duplicate.
    let other = Request::upload(fixture("p384/fullchain.pem"), fixture("p384/key.pkcs8.pem"))
        .with_domain("www.example.com")
        .with_cert_name("p384");
    assert!(with_state(&LIVE, &other, &state).is_accepted());
}

#[test]
fn row_22_storage_fault_and_not_effective_come_last() {
    let mut state = InMemoryState::default();
    state.set_faults(FaultFlags {
        store: true,
        ..FaultFlags::default()
    });
    assert_eq!(
        first(&with_state(&LIVE, &valid_upload(), &state)),
        (
            "CertStorage.failed",
            "The certificate storage failed.",
            400,
            "the certificate store failed to save the certificate".to_owned()
        )
    );
    // cdn documents no storage failure.
    assert!(with_state(&CDN, &valid_upload(), &state).is_accepted());
    // Only when everything else passed.
    let bad = valid_upload().with_private_key(fixture("mismatch/p256-b.key.pkcs8.pem"));
    assert_eq!(
        codes(&with_state(&LIVE, &bad, &state)),
        vec!["Certificate.MissMatch"]
    );

    let mut state = InMemoryState::default();
    state.set_domain(
        "www.example.com",
        DomainInfo {
            not_effective: true,
            ..DomainInfo::default()
        },
    );
    for profile in [&CDN, &LIVE] {
        let (code, _, http, detail) = first(&with_state(profile, &valid_upload(), &state));
        assert_eq!(
            (code, http, detail.as_str()),
            (
                "Certificate.SettedNotEffect",
                400,
                "the certificate would be set for www.example.com but does not take effect yet"
            )
        );
        assert_eq!(
            codes(&with_state(profile, &bad, &state)),
            vec!["Certificate.MissMatch"]
        );
        // Any type, once switched on.
        assert_eq!(
            first(&with_state(
                profile,
                &cas("n").with_cert_type("free"),
                &state
            ))
            .0,
            "Certificate.SettedNotEffect"
        );
    }
}

#[test]
fn state_checks_sit_between_the_content_checks_in_the_tables_order() {
    let mut state = store(&[("prod-2026", CertKind::Upload, "issued", None)]);
    state.set_domain(
        "www.example.com",
        DomainInfo {
            not_effective: true,
            ..DomainInfo::default()
        },
    );
    // Row 18 (mismatch) and row 19 (expired) before row 20 (duplicate name); row 22 never.
    let request = Request::upload(
        fixture("time/expired.pem"),
        fixture("mismatch/rsa2048-b.key.pkcs8.pem"),
    )
    .with_domain("www.example.com")
    .with_cert_name("prod-2026");
    assert_eq!(
        codes(&with_state(&LIVE, &request, &state)),
        vec![
            "Certificate.MissMatch",
            "Certificate.Expired",
            "Certificate.Duplicated"
        ]
    );
}

#[test]
fn replaying_an_upload_answers_like_the_service_the_second_time() {
    let mut state = InMemoryState::default();
    let first_upload = with_state(&LIVE, &valid_upload(), &state);
    assert!(first_upload.is_accepted());
    assert!(state.record(Product::Live, &first_upload));
    // Each product keeps its own certificates: recorded for live, the upload is new to dcdn.
    assert!(with_state(&DCDN, &valid_upload(), &state).is_accepted());
    assert!(state.record(Product::Cdn, &first_upload));
    // Same name again.
    assert_eq!(
        codes(&with_state(&LIVE, &valid_upload(), &state)),
        vec!["Certificate.Duplicated", "CertificateContent.Duplicated"]
    );
    // Same content, another name.
    let renamed = valid_upload().with_cert_name("prod-2026-b");
    assert_eq!(
        codes(&with_state(&LIVE, &renamed, &state)),
        vec!["CertificateContent.Duplicated"]
    );
    // ForceSet=1 overwrites the name, but live still sees the same content.
    let forced = valid_upload().with_force_set("1");
    assert_eq!(
        codes(&with_state(&LIVE, &forced, &state)),
        vec!["CertificateContent.Duplicated"]
    );
    // cdn: only the name.
    assert_eq!(
        codes(&with_state(&CDN, &valid_upload(), &state)),
        vec!["Certificate.Duplicated"]
    );
    assert!(with_state(&CDN, &renamed, &state).is_accepted());
    // A rejected verdict records nothing.
    let rejected = with_state(&LIVE, &valid_upload(), &state);
    assert!(!state.record(Product::Live, &rejected));
}

#[test]
fn without_state_each_check_is_listed_as_skipped() {
    let verdict = common::check(&LIVE, &valid_upload());
    assert!(verdict.is_accepted());
    assert_eq!(
        verdict.skipped(),
        &[
            Skipped::DomainState,
            Skipped::DuplicateName,
            Skipped::DuplicateContent,
            Skipped::Storage
        ]
    );
    let mut faults_only = InMemoryState::default();
    faults_only.set_faults(FaultFlags::default());
    let verdict = with_state(&LIVE, &valid_upload(), &faults_only);
    assert_eq!(
        verdict.skipped(),
        &[
            Skipped::DomainState,
            Skipped::DuplicateName,
            Skipped::DuplicateContent,
            Skipped::Storage
        ]
    );
    let mut full = InMemoryState {
        certificates: Some(Vec::new()),
        ..InMemoryState::default()
    };
    full.set_domain("www.example.com", DomainInfo::default());
    full.set_faults(FaultFlags::default());
    assert!(
        with_state(&LIVE, &valid_upload(), &full)
            .skipped()
            .is_empty()
    );
}

#[cfg(feature = "json")]
mod json {
    use super::*;
    use cert_preflight::StateError;

    #[test]
    fn the_state_files_document_fills_the_state() {
        let pem = String::from_utf8(fixture("p256/fullchain.pem")).unwrap();
        let document = serde_json::json!({
            "domains": {
                "example.com": {"state": "online", "https_off_forbidden": false, "not_effective": false},
                "www.example.com": {"state": "safe_mode"}
            },
            "certificates": [
                {"name": "prod-2025", "type": "upload", "status": "issued", "pem": pem},
                {"name": "cas-1", "type": "cas", "status": "revoked"}
            ],
            "faults": {"authentication": false, "delete": false, "store": false}
        })
        .to_string();
        let state = InMemoryState::from_json(&document).unwrap();
        assert_eq!(
            state
                .domains
                .as_ref()
                .unwrap()
                .get(Product::Live, "www.example.com")
                .unwrap()
                .status,
            DomainStatus::SafeMode
        );
        assert_eq!(
            first(&with_state(&LIVE, &valid_upload(), &state)).0,
            "DomainInSafeMode"
        );
        let example = valid_upload().with_domain("example.com");
        assert_eq!(
            codes(&with_state(&LIVE, &example, &state)),
            vec!["CertificateContent.Duplicated"]
        );
        assert_eq!(
            first(&with_state(
                &CDN,
                &cas("cas-1").with_domain("example.com"),
                &state
            ))
            .0,
            "Certificate.StatusError"
        );
    }

    #[test]
    fn a_malformed_document_names_line_and_column() {
        let err =
            InMemoryState::from_json("{\n  \"domains\": {\n    \"a.com\": {\"state\": }\n  }\n}")
                .unwrap_err();
        match &err {
            StateError::Syntax { line, column, .. } => assert_eq!((*line, *column), (3, 24)),
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().starts_with("line 3, column 24: "), "{err}");
        let typo = InMemoryState::from_json("{\"domain\": {}}").unwrap_err();
        assert_eq!(
            typo.to_string(),
            "line 1, column 9: unknown field `domain`, expected one of `domains`, `certificates`, `faults`"
        );
    }

    #[test]
    fn unknown_names_are_refused_with_the_allowed_ones() {
        let err =
            InMemoryState::from_json(r#"{"domains": {"a.com": {"state": "paused"}}}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "domain \"a.com\": unknown state \"paused\"; allowed: online, not_found, not_owned, forbidden, offline, configuring, suspended, safe_mode, protected_mode, function_mutex"
        );
        let err = InMemoryState::from_json(r#"{"certificates": [{"name": "x", "type": "byo"}]}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "certificate \"x\": unknown type \"byo\"; allowed: upload, cas, free"
        );
        let err = InMemoryState::from_json(r#"{"certificates": [{"name": "x", "pem": "junk"}]}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "certificate \"x\": its pem has no readable CERTIFICATE block (it is not PEM: no -----BEGIN …----- line was found)"
        );
    }
}

#[test]
fn one_state_serves_many_threads_each_with_its_own_options() {
    fn send_sync<T: Send + Sync>(_: &T) {}
    let mut state = InMemoryState::default();
    state.set_domain("www.example.com", DomainInfo::default());
    send_sync(&state);
    let answers: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let view = StateView::of(&state);
                    validate_with(&LIVE, &valid_upload(), &Options::at(NOW), &view)
                        .unwrap()
                        .is_accepted()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(answers, vec![true; 4]);
}

#[test]
fn an_upload_names_what_its_duplicate_check_looked_at() {
    let checked = |request: &Request, profile: &Profile| {
        validate(profile, request, &Options::at(NOW))
            .upload()
            .unwrap()
            .name_checked()
            .map(str::to_owned)
    };
    assert_eq!(
        checked(&valid_upload(), &LIVE),
        Some("prod-2026".to_owned())
    );
    // ForceSet=1 overwrites where the API takes it; cdn-ssl has no ForceSet.
    let forced = valid_upload().with_force_set("1");
    assert_eq!(checked(&forced, &LIVE), None);
    assert_eq!(
        checked(&forced, &cert_preflight::CDN_SSL),
        Some("prod-2026".to_owned())
    );
    // A blank name is no name.
    assert_eq!(checked(&valid_upload().with_cert_name("  "), &CDN), None);
}
