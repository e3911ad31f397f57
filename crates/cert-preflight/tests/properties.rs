//! Properties over arbitrary requests: no panic, and every finding is an entry of the checked
//! profile's own catalog.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use cert_preflight::{CDN, LIVE, Profile, Request, Role, Value, Verdict};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "on",
    "off",
    "ON",
    "upload",
    "cas",
    "free",
    "1",
    "0",
    "www.example.com",
    ".example.com",
    "prod-2026",
    " ",
    "\u{8bc1}",
];

const PEM_FILES: &[&str] = &[
    "p256/fullchain.pem",
    "p256/key.pkcs8.pem",
    "rsa2048/key.pkcs1.pem",
    "ed25519/key.pkcs8v2.pem",
    "pem/stray-begin.pem",
];

/// Absent, empty, a meaningful word, random bytes, or a slice of a real PEM file.
fn param() -> impl Strategy<Value = Option<Vec<u8>>> {
    prop_oneof![
        Just(None),
        Just(Some(Vec::new())),
        prop::sample::select(WORDS).prop_map(|w| Some(w.as_bytes().to_vec())),
        prop::collection::vec(any::<u8>(), 0..80).prop_map(Some),
        (
            prop::sample::select(PEM_FILES),
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>()
        )
            .prop_map(|(file, a, b)| {
                let bytes = common::fixture(file);
                let (a, b) = (a.index(bytes.len()), b.index(bytes.len()));
                Some(bytes[a.min(b)..a.max(b)].to_vec())
            }),
        prop::sample::select(PEM_FILES).prop_map(|file| Some(common::fixture(file))),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    (
        param(),
        param(),
        param(),
        param(),
        param(),
        param(),
        param(),
    )
        .prop_map(|(domain, switch, cert, key, name, kind, force)| {
            let mut request = Request::new();
            request.set(Role::Domain, domain.map(Value::from));
            request.set(Role::Switch, switch.map(Value::from));
            request.set(Role::Certificate, cert.map(Value::from));
            request.set(Role::PrivateKey, key.map(Value::from));
            request.set(Role::CertName, name.map(Value::from));
            request.set(Role::CertType, kind.map(Value::from));
            request.set(Role::ForceSet, force.map(Value::from));
            request
        })
}

fn assert_own_catalog(profile: &Profile, verdict: &Verdict) {
    assert_eq!(verdict.is_accepted(), verdict.findings().is_empty());
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
}

proptest! {
    #[test]
    fn any_request_gets_an_acceptance_or_its_own_profiles_codes(request in request()) {
        for profile in Profile::ALL {
            let verdict = common::check(profile, &request);
            assert_own_catalog(profile, &verdict);
        }
    }

    #[test]
    fn any_raw_query_is_parsed_and_checked_without_panic(
        raw in prop::collection::vec(
            prop_oneof![
                any::<u8>(),
                prop::sample::select(b"&=%+?#".to_vec()),
            ],
            0..200,
        ),
        prefix in prop::sample::select(vec![
            "", "SSLProtocol=on&CertName=n&SSLPub=", "ServerCertificateStatus=on&PrivateKey=",
            "http://cdn.aliyuncs.com?",
        ]),
    ) {
        let mut bytes = prefix.as_bytes().to_vec();
        bytes.extend_from_slice(&raw);
        for profile in [&CDN, &LIVE] {
            if let Ok(request) = Request::from_query(profile, &bytes) {
                let verdict = common::check(profile, &request);
                assert_own_catalog(profile, &verdict);
            }
        }
    }
}
