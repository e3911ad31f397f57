//! A profile is data: a sixth API, made up here (its own table, parameter names and rules, as a
//! user of the crate would write one), runs through the unchanged pipeline and is answered with
//! its own entries — nothing outside this file changes for it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight::{
    CasBy, CasCodes, CatalogEntry, Codes, DomainCodes, DomainInfo, DomainStatus, InMemoryState,
    NameRequired, Options, Product, Profile, Request, Role, Rules, StateView, validate_with,
};
use cert_preflight_testkit::common::{NOW, fixture};

const NOT_FOUND: CatalogEntry = CatalogEntry::new("Scdn.Domain.NotFound", 404, "No such domain.");
const OFFLINE: CatalogEntry = CatalogEntry::new("Scdn.Domain.Offline", 400, "Domain offline.");
const SWITCH: CatalogEntry =
    CatalogEntry::new("Scdn.Https.Invalid", 400, "Https must be on or off.");
const PARAMETER: CatalogEntry = CatalogEntry::new("Scdn.Parameter", 400, "Bad parameter.");
const NAME_LONG: CatalogEntry = CatalogEntry::new("Scdn.Name.TooLong", 400, "Name too long.");
const NAME_MISSING: CatalogEntry = CatalogEntry::new("Scdn.Name.Missing", 404, "Name required.");
const CAS: CatalogEntry = CatalogEntry::new("Scdn.Cas", 400, "Certificate service says no.");
const CERT_MISSING: CatalogEntry = CatalogEntry::new("Scdn.Cert.Missing", 400, "Cert required.");
const KEY_MISSING: CatalogEntry = CatalogEntry::new("Scdn.Key.Missing", 400, "Key required.");
const KEY_EMPTY: CatalogEntry = CatalogEntry::new("Scdn.Key.Empty", 400, "Key empty.");
const TOO_LONG: CatalogEntry = CatalogEntry::new("Scdn.TooLong", 400, "Too long.");
const CERT_BAD: CatalogEntry = CatalogEntry::new("Scdn.Cert.Bad", 400, "Cert bad.");
const KEY_BAD: CatalogEntry = CatalogEntry::new("Scdn.Key.Bad", 400, "Key bad.");
const MISMATCH: CatalogEntry = CatalogEntry::new("Scdn.Mismatch", 400, "Key and cert differ.");
const EXPIRED: CatalogEntry = CatalogEntry::new("Scdn.Expired", 400, "Cert expired.");
const DUPLICATE: CatalogEntry = CatalogEntry::new("Scdn.Duplicate", 400, "Name taken.");
const OFF: CatalogEntry = CatalogEntry::new("Scdn.Off.Failed", 400, "Cannot turn off.");

/// Its codes, as a user writes them: the constructor's four entries, then what differs. A
/// kind of failure added to the crate later answers with one of the four: this keeps
/// compiling.
const SCDN_CODES: Codes = {
    let mut codes = Codes::new(&PARAMETER, &CERT_BAD, &KEY_BAD, &MISMATCH);
    let mut domain = DomainCodes::new(&NOT_FOUND, &SWITCH, &OFF);
    domain.domain_offline = &OFFLINE;
    domain.domain_configuring = &OFFLINE;
    codes.domain = Some(domain);
    codes.cert_name_too_long = Some(&NAME_LONG);
    codes.cert_name_missing = Some(&NAME_MISSING);
    codes.cas = Some(CasCodes::new(&CAS, &CAS));
    codes.certificate_missing = &CERT_MISSING;
    codes.private_key_missing = &KEY_MISSING;
    codes.private_key_blank = &KEY_EMPTY;
    codes.too_long = &TOO_LONG;
    codes.expired = Some(&EXPIRED);
    codes.name_duplicated = Some(&DUPLICATE);
    codes
};

/// Its rules: the defaults, then what differs.
const SCDN_RULES: Rules = {
    let mut rules = Rules::new();
    rules.cert_types = &["upload", "cas"];
    rules.cert_name_required = NameRequired::WhenOn;
    rules.cas_by = CasBy::Name;
    rules.cert_regions = &["eu-central-1"];
    rules
};

static SCDN: Profile = Profile {
    name: "scdn",
    action: "SetScdnDomainCertificate",
    version: "2017-11-15",
    product: Product::Cdn,
    params: &[
        ("Domain", Role::Domain),
        ("Https", Role::Switch),
        ("Cert", Role::Certificate),
        ("Key", Role::PrivateKey),
        ("Name", Role::CertName),
        ("Kind", Role::CertType),
        ("Region", Role::CertRegion),
    ],
    catalog: &[
        NOT_FOUND,
        OFFLINE,
        SWITCH,
        PARAMETER,
        NAME_LONG,
        NAME_MISSING,
        CAS,
        CERT_MISSING,
        KEY_MISSING,
        KEY_EMPTY,
        TOO_LONG,
        CERT_BAD,
        KEY_BAD,
        MISMATCH,
        EXPIRED,
        DUPLICATE,
        OFF,
    ],
    codes: SCDN_CODES,
    rules: SCDN_RULES,
};

fn upload(cert: &str, key: &str) -> Request {
    Request::upload(fixture(cert), fixture(key))
        .with_domain("www.example.com")
        .with_cert_name("prod")
}

/// The answer's code and detail.
fn answer(request: &Request, state: Option<&InMemoryState>) -> (Option<&'static str>, String) {
    let view = state.map(StateView::of).unwrap_or_default();
    let verdict = validate_with(&SCDN, request, &Options::at(NOW), &view).unwrap();
    for finding in verdict.findings() {
        assert!(SCDN.catalog().contains(finding.entry()), "{finding}");
    }
    (
        verdict.answer().map(|f| f.code()),
        verdict.answer().map(|f| f.detail()).unwrap_or_default(),
    )
}

#[test]
fn a_profile_made_outside_the_crate_runs_through_the_same_checks() {
    let valid = upload("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem");
    assert_eq!(answer(&valid, None).0, None);
    assert_eq!(
        Profile::by_name("scdn").map(Profile::name),
        None,
        "not in Profile::ALL"
    );

    // Its parameter names come from its data, in raw requests and in details.
    let raw = "Action=SetScdnDomainCertificate&Domain=www.example.com&Https=maybe&Name=n";
    let request = Request::from_query(&SCDN, raw.as_bytes()).unwrap();
    assert_eq!(
        answer(&request, None),
        (
            Some("Scdn.Https.Invalid"),
            "Https is \"maybe\"; it must be exactly \"on\" or \"off\" (absent means off)"
                .to_owned()
        )
    );
    let cases: [(&str, Request, &str); 7] = [
        (
            "key empty",
            valid_with(Role::PrivateKey, ""),
            "Scdn.Key.Empty",
        ),
        (
            "no name while on (its rule)",
            upload("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem").without(Role::CertName),
            "Scdn.Name.Missing",
        ),
        (
            "a region it does not take: its parameter error (no region code of its own)",
            valid_with(Role::CertRegion, "cn-hangzhou"),
            "Scdn.Parameter",
        ),
        (
            "a type it does not take",
            valid_with(Role::CertType, "free"),
            "Scdn.Parameter",
        ),
        (
            "another key",
            upload("rsa2048/fullchain.pem", "mismatch/rsa2048-b.key.pkcs1.pem"),
            "Scdn.Mismatch",
        ),
        (
            "expired",
            upload("time/expired.pem", "rsa2048/key.pkcs8.pem"),
            "Scdn.Expired",
        ),
        (
            "not PEM",
            valid_with(Role::Certificate, "junk"),
            "Scdn.Cert.Bad",
        ),
    ];
    for (name, request, code) in cases {
        assert_eq!(answer(&request, None).0, Some(code), "{name}");
    }
    assert_eq!(
        answer(&valid_with(Role::CertType, "free"), None).1,
        "Kind is \"free\"; it must be \"upload\" or \"cas\""
    );
    // A parameter it does not name is not read: `ForceSet` is not one of its parameters.
    let raw = "Https=on&Cert=x&Key=y&ForceSet=maybe";
    let request = Request::from_query(&SCDN, raw.as_bytes()).unwrap();
    assert!(request.get(Role::ForceSet).is_none());

    // State: its domain codes and its duplicate name.
    let mut state = InMemoryState::default();
    state.set_domain(
        "www.example.com",
        DomainInfo {
            status: DomainStatus::Offline,
            ..DomainInfo::default()
        },
    );
    assert_eq!(answer(&valid, Some(&state)).0, Some("Scdn.Domain.Offline"));
    let mut state = InMemoryState::default();
    state.set_domain("www.example.com", DomainInfo::default());
    let accepted = validate_with(&SCDN, &valid, &Options::at(NOW), &StateView::of(&state)).unwrap();
    assert!(state.record(SCDN.product(), &accepted));
    assert_eq!(
        answer(&valid, Some(&state)),
        (
            Some("Scdn.Duplicate"),
            "a certificate named \"prod\" is already stored; choose another Name".to_owned()
        )
    );
    // By name in the certificate service (its rule), none stored.
    let cas = Request::new()
        .with(Role::Switch, "on")
        .with(Role::CertType, "cas")
        .with(Role::CertName, "in-cas")
        .with(Role::Domain, "www.example.com");
    assert_eq!(answer(&cas, Some(&state)).0, Some("Scdn.Cas"));
}

fn valid_with(role: Role, value: &str) -> Request {
    upload("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem").with(role, value)
}
