//! The catalog is the published error tables, byte for byte: the seeds' (contract section 2)
//! and the reference's tables 1a, 1e and 1f (section 8), each extracted by a script from the
//! document itself (`testdata/extract_catalog.py`, `testdata/extract_reference.py`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use std::collections::HashSet;

use cert_preflight::{CDN, CDN_SSL, DCDN, LIVE, Profile, Role, VOD};

#[test]
fn catalog_equals_the_tables_extracted_from_the_seeds_and_the_reference() {
    let seeds = common::published_catalog();
    let ours: Vec<(String, String, u16, String)> = Profile::ALL
        .iter()
        .flat_map(|profile| {
            profile.catalog().iter().map(|entry| {
                (
                    profile.name().to_owned(),
                    entry.code().to_owned(),
                    entry.http_status(),
                    entry.message().to_owned(),
                )
            })
        })
        .collect();
    assert_eq!(ours.len(), seeds.len());
    for (i, (ours, seed)) in ours.iter().zip(&seeds).enumerate() {
        assert_eq!(ours, seed, "row {i} differs from the seed");
    }
}

#[test]
fn table_sizes_match_the_seeds() {
    assert_eq!(CDN.catalog().len(), 24);
    assert_eq!(LIVE.catalog().len(), 35);
    assert_eq!(CDN_SSL.catalog().len(), 32);
    assert_eq!(DCDN.catalog().len(), 27);
    assert_eq!(VOD.catalog().len(), 23);
}

#[test]
fn each_entry_is_unique_within_its_profile() {
    for profile in Profile::ALL {
        let mut seen = HashSet::new();
        for entry in profile.catalog() {
            assert!(
                seen.insert((entry.code(), entry.message())),
                "{} repeats {}",
                profile.name(),
                entry.code()
            );
        }
    }
}

#[test]
fn codes_published_twice_keep_both_messages() {
    let messages = |profile: &Profile, code: &str| -> Vec<&str> {
        profile
            .catalog()
            .iter()
            .filter(|e| e.code() == code)
            .map(|e| e.message())
            .collect()
    };
    assert_eq!(
        messages(&CDN, "Certificate.StatusError"),
        vec![
            "Certificate is not exist or its status is error.",
            "The certificate status is error."
        ]
    );
    assert_eq!(
        messages(&LIVE, "Certificate.StatusError"),
        vec![
            "Certificate is not exist or its status is error.",
            "The certificate status is error."
        ]
    );
    assert_eq!(
        messages(&LIVE, "Certificate.MissMatch"),
        vec![
            "The SSLPri does not math the specified Certificate!",
            "The certificate is not match the private key."
        ]
    );
}

#[test]
fn the_services_typos_are_kept() {
    let all: Vec<&str> = Profile::ALL
        .iter()
        .flat_map(|p| p.catalog().iter().map(|e| e.message()))
        .collect();
    assert!(all.iter().any(|m| m.contains("does't take effect")));
    assert!(all.iter().any(|m| m.contains("does not math")));
    assert!(all.contains(&"The private key is not null."));
}

#[test]
fn profiles_are_found_by_name_and_name_their_parameters() {
    assert_eq!(
        Profile::by_name("cdn").unwrap().action(),
        "SetDomainServerCertificate"
    );
    assert_eq!(
        Profile::by_name("live").unwrap().action(),
        "SetLiveDomainCertificate"
    );
    assert!(Profile::by_name("scdn").is_none());
    let names = |p: &Profile| {
        [Role::Switch, Role::Certificate, Role::PrivateKey].map(|role| p.param(role).unwrap())
    };
    assert_eq!(
        names(&CDN),
        ["ServerCertificateStatus", "ServerCertificate", "PrivateKey"]
    );
    assert_eq!(names(&LIVE), ["SSLProtocol", "SSLPub", "SSLPri"]);
}
