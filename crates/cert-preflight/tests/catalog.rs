//! The catalog is the published error tables, byte for byte: those of the API references of
//! `SetDomainServerCertificate` and `SetLiveDomainCertificate` (`testdata/seed_catalog.tsv`)
//! and of `SetCdnDomainSSLCertificate`, `SetDcdnDomainSSLCertificate` and
//! `SetVodDomainSSLCertificate` (`testdata/reference_catalog.tsv`), each extracted by a script
//! from the pages' text (`testdata/extract_catalog.py`, `testdata/extract_reference.py`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use std::collections::HashSet;

use cert_preflight::{CAS, CDN, CDN_SSL, DCDN, LIVE, Profile, Role, VOD};

#[test]
fn catalog_equals_the_published_tables() {
    let tables = common::published_catalog();
    // The certificate service publishes no table: its catalog is tested below. CLB's is the
    // SLB common-error list, not in these documents: tested in tests/clb.rs.
    let ours: Vec<(String, String, u16, String)> = Profile::ALL
        .iter()
        .filter(|profile| !["cas", "clb"].contains(&profile.name()))
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
    assert_eq!(ours.len(), tables.len());
    for (i, (ours, table)) in ours.iter().zip(&tables).enumerate() {
        assert_eq!(ours, table, "row {i} differs from the published table");
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

/// Every entry says where it comes from: the published tables are documented with their
/// source, the gateway's required parameters are documented (CDN) or inferred, and the
/// certificate service's entries are observed or inferred — never documented.
#[test]
fn every_entry_states_its_evidence() {
    for profile in Profile::ALL {
        for entry in profile.entries() {
            assert!(
                !entry.evidence().source().is_empty(),
                "{} {} has no source",
                profile.name(),
                entry.code()
            );
        }
    }
    let cas: Vec<(&str, u16, &str, &str)> = CAS
        .catalog()
        .iter()
        .map(|e| (e.code(), e.http_status(), e.message(), e.evidence().kind()))
        .collect();
    assert_eq!(
        cas,
        [
            (
                "MissingName",
                400,
                "Name is mandatory for this action.",
                "inferred"
            ),
            (
                "Preflight.NameDuplicated",
                400,
                "名称重复，请重新输入。",
                "inferred"
            ),
            (
                "Preflight.CertificateFormat",
                400,
                "证书格式异常，请检查输入内容。",
                "inferred"
            ),
            (
                "Preflight.PrivateKeyInvalid",
                400,
                "The private key is not a valid PEM private key.",
                "inferred"
            ),
            (
                "Preflight.PrivateKeyEncrypted",
                400,
                "The private key is encrypted; upload it without a password.",
                "inferred"
            ),
            (
                "Preflight.CertificateKeyMismatch",
                400,
                "The private key does not match the certificate.",
                "inferred"
            ),
            (
                "Preflight.NameTooLong",
                400,
                "The Name is longer than 64 characters.",
                "inferred"
            ),
            (
                "Preflight.InvalidParameter",
                400,
                "A parameter has a value the API cannot take.",
                "inferred"
            ),
            (
                "MissingCertId",
                400,
                "CertId is mandatory for this action.",
                "inferred"
            ),
            (
                "NotFound",
                400,
                "没有找到必要内容，请检查参数输入。",
                "observed"
            ),
            (
                "InvalidAction.NotFound",
                404,
                "Specified api is not found, please check your url and method.",
                "observed"
            ),
        ]
    );
    // A code of the project's own is marked as such in its code, never passed off as the
    // service's.
    for entry in CAS.catalog() {
        if entry.code().starts_with("Preflight.") {
            assert!(entry.evidence().is_inferred(), "{}", entry.code());
        }
    }
    let gateway = |profile: &Profile| {
        profile
            .entries()
            .filter(|e| e.code() == "MissingDomainName")
            .map(|e| (e.message(), e.evidence().kind()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        gateway(&CDN),
        [("DomainName is mandatory for this action.", "documented")]
    );
    assert_eq!(
        gateway(&CDN_SSL),
        [("DomainName is mandatory for this action.", "documented")]
    );
    for profile in [&LIVE, &DCDN, &VOD] {
        assert_eq!(
            gateway(profile),
            [("DomainName is mandatory for this action.", "inferred")],
            "{}",
            profile.name()
        );
    }
}
