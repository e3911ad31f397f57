//! Details written with a [`Naming`]: the API's (the default, what the service and `serve`
//! show, byte for byte the `Display` text) or a command line's (its options, and the files it
//! read in the commands a detail suggests).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_testkit::common;

use cert_preflight::{
    CDN, CasStatus, CertKind, InMemoryState, LIVE, Naming, Options, Profile, Request, Role,
    StateView, StoredCertificate, Verdict, Warning, validate, validate_with,
};
use common::{NOW, fixture, valid_upload};

/// The options of a command line like `cert-preflight check`.
const OPTIONS: &[(Role, &str)] = &[
    (Role::Domain, "--domain"),
    (Role::Switch, "--status"),
    (Role::Certificate, "--cert"),
    (Role::PrivateKey, "--key"),
    (Role::CertName, "--cert-name"),
    (Role::CertType, "--cert-type"),
    (Role::ForceSet, "--force-set"),
];

/// The first bytes of a PKCS#12 file (its PFX header, which is what identifies one).
const PFX_HEADER: [u8; 24] = [
    0x30, 0x82, 0x04, 0x8c, 0x02, 0x01, 0x03, 0x30, 0x82, 0x04, 0x42, 0x06, 0x09, 0x2a, 0x86, 0x48,
    0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x82,
];

fn taken(name: &str) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.add_certificate(StoredCertificate {
        name: name.to_owned(),
        id: None,
        product: None,
        kind: CertKind::Upload,
        status: CasStatus::Issued,
        fingerprint: None,
        chain: None,
    });
    state
}

/// Every finding's and warning's detail under `naming`, the answer first.
fn details(verdict: &Verdict, naming: &Naming<'_>) -> Vec<String> {
    let findings = verdict.findings().iter().map(|f| f.detail_named(naming));
    let warnings = verdict.warnings().iter().map(|w| w.detail_named(naming));
    findings.chain(warnings).collect()
}

/// Requests that reach the details that name a parameter or a file.
fn requests() -> Vec<(&'static Profile, Request, Option<InMemoryState>)> {
    let key = fixture("p256/key.pkcs8.pem");
    let pkcs7 = "-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n";
    vec![
        (&LIVE, Request::new().with_switch("on"), None),
        (&CDN, Request::new().with_switch("on"), None),
        (
            &LIVE,
            Request::upload(PFX_HEADER.to_vec(), key.clone()),
            None,
        ),
        (&CDN, Request::upload(pkcs7, key.clone()), None),
        (&CDN, Request::upload(key.clone(), key.clone()), None),
        (&LIVE, valid_upload(), Some(taken("prod-2026"))),
        (&CDN, valid_upload().with_switch("On"), None),
        (
            &CDN,
            Request::upload(fixture("sm2/fullchain.pem"), fixture("sm2/key.pkcs8.pem"))
                .with_domain("www.example.com"),
            None,
        ),
    ]
}

fn verdict(profile: &Profile, request: &Request, state: Option<&InMemoryState>) -> Verdict {
    match state {
        Some(state) => {
            validate_with(profile, request, &Options::at(NOW), &StateView::of(state)).unwrap()
        }
        None => validate(profile, request, &Options::at(NOW)),
    }
}

/// `Naming::API` is what `detail()` and `Display` say, byte for byte (serve and the catalog's
/// tests depend on it).
#[test]
fn the_api_naming_is_the_display_text() {
    for (profile, request, state) in requests() {
        let verdict = verdict(profile, &request, state.as_ref());
        for finding in verdict.findings() {
            assert_eq!(finding.detail_named(&Naming::API), finding.detail());
            assert_eq!(
                finding.failure().detail_named(&Naming::API),
                finding.failure().to_string()
            );
        }
        for warning in verdict.warnings() {
            assert_eq!(warning.detail_named(&Naming::API), warning.to_string());
        }
        assert_eq!(Naming::default(), Naming::API);
    }
}

#[test]
fn a_command_lines_naming_names_its_options_and_files() {
    let naming = Naming::options(OPTIONS)
        .with_certificate_file("/tmp/x/bundle.p12")
        .with_private_key_file("/tmp/x/key.pem");
    let got: Vec<Vec<String>> = requests()
        .iter()
        .map(|(profile, request, state)| {
            details(&verdict(profile, request, state.as_ref()), &naming)
        })
        .collect();
    let inferred = " (the code and message are cert-preflight's inference: no public source \
                    shows this service's answer to this case)";
    let expected: Vec<Vec<String>> = vec![
        vec![
            format!(
                "--domain is absent; the API requires it, so the API gateway refuses the \
                 request{inferred}"
            ),
            "--cert-name is required when --status is \"on\"".to_owned(),
            "--cert is absent; an upload needs the certificate chain (leaf first) in it".to_owned(),
            "--key is absent; an upload needs the private key in it".to_owned(),
        ],
        vec![
            "--domain is absent; the API requires it, so the API gateway refuses the request"
                .to_owned(),
            "--cert is absent; an upload needs the certificate chain (leaf first) in it".to_owned(),
            "--key is absent; an upload needs the private key in it".to_owned(),
        ],
        vec![
            format!(
                "--domain is absent; the API requires it, so the API gateway refuses the \
                 request{inferred}"
            ),
            "--cert-name is required when --status is \"on\"".to_owned(),
            "--cert is a PKCS#12/PFX file (binary), not PEM text: split it with `openssl \
             pkcs12 -in /tmp/x/bundle.p12 -nokeys -out cert.pem` (the certificates) and \
             `openssl pkcs12 -in /tmp/x/bundle.p12 -nocerts -nodes -out key.pem` (the private \
             key), and give those"
                .to_owned(),
        ],
        vec![
            "--domain is absent; the API requires it, so the API gateway refuses the request"
                .to_owned(),
            "--cert: it has no CERTIFICATE block, only PKCS7: it is a PKCS#7 (P7B) certificate \
             bundle, which the service does not read; convert it to PEM certificates with \
             `openssl pkcs7 -print_certs -in /tmp/x/bundle.p12 -out chain.pem` and give those, \
             the leaf first"
                .to_owned(),
        ],
        vec![
            "--domain is absent; the API requires it, so the API gateway refuses the request"
                .to_owned(),
            "--cert: it has no CERTIFICATE block, only PRIVATE KEY: the private key is in the \
             certificate's place"
                .to_owned(),
        ],
        vec![
            "a certificate named \"prod-2026\" is already stored; choose another --cert-name or \
             pass --force-set 1 to overwrite it"
                .to_owned(),
        ],
        vec!["--status is \"On\"; it must be exactly \"on\" or \"off\"".to_owned()],
        vec![
            "the certificate has an SM2 key; Alibaba Cloud deploys SM2 (ShangMi) certificates \
             through the certificate service (--cert-type cas) and SetCdnDomainSMCertificate, \
             and an upload may be refused"
                .to_owned(),
        ],
    ];
    assert_eq!(got, expected);
}

/// A path a shell would split is quoted; a role the naming does not list keeps the API's name.
#[test]
fn files_are_quoted_for_a_shell_and_unlisted_roles_keep_the_apis_names() {
    let request = Request::upload(fixture("p256/fullchain.pem"), PFX_HEADER.to_vec())
        .with_domain("www.example.com");
    let naming = Naming::API.with_private_key_file("/home/o'brien/my key.p12");
    assert_eq!(
        validate(&CDN, &request, &Options::at(NOW))
            .answer()
            .unwrap()
            .detail_named(&naming),
        "PrivateKey is a PKCS#12/PFX file (binary), not PEM text: split it with `openssl pkcs12 \
         -in '/home/o'\\''brien/my key.p12' -nokeys -out cert.pem` (the certificates) and \
         `openssl pkcs12 -in '/home/o'\\''brien/my key.p12' -nocerts -nodes -out key.pem` (the \
         private key), and give those"
    );
    let only_cert = [(Role::Certificate, "--cert")];
    assert_eq!(
        Warning::Sm2Certificate.detail_named(&Naming::options(&only_cert)),
        Warning::Sm2Certificate.to_string()
    );
}
