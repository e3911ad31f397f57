//! Classic Load Balancer's `UploadServerCertificate` (profile `clb`): a regional API without
//! domains — `RegionId` required by the gateway, the PEM pair or a certificate-service id, an
//! unencrypted PKCS#1 RSA key, no blank line in the PEM text, names of 1 to 80 characters of
//! the current reference's set — answered with the SLB common-error list's entries, byte for
//! byte.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use cert_preflight::{
    CDN_SSL, CLB, CasStatus, CertKind, InMemoryState, Options, Product, Profile, Request, Role,
    StateView, StoredCertificate, validate_with,
};
use cert_preflight_testkit::common::{NOW, answer, check, fixture, warning_codes};

const INFERRED: &str = " (the code and message are cert-preflight's inference: no public source \
                        shows this service's answer to this case)";

fn text(relative: &str) -> String {
    String::from_utf8(fixture(relative)).unwrap()
}

/// An upload into `cn-hangzhou` under a good name.
fn upload(cert: &str, key: &str) -> Request {
    Request::new()
        .with(Role::Region, "cn-hangzhou")
        .with(Role::CertName, "www-2026")
        .with_certificate(fixture(cert))
        .with_private_key(fixture(key))
}

fn good() -> Request {
    upload("rsa2048/fullchain.pem", "rsa2048/key.pkcs1.pem")
}

/// The code and message of the answer.
fn code(request: &Request) -> Option<(&'static str, &'static str)> {
    answer(&check(&CLB, request)).map(|(code, message, status, _)| {
        assert_eq!(status, 400, "{code}");
        (code, message)
    })
}

/// `text` with a blank line after its `n`-th line.
fn blank_after(text: &str, n: usize) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(n, "");
    lines.join("\n") + "\n"
}

const EMPTY: (&str, &str) = (
    "InvalidParameter",
    "The specified parameter ServerCertificate or Key is empty.",
);
const CERT_FORMAT: (&str, &str) = (
    "InvalidParameter",
    "The specified parameter ServerCertificate format is error.",
);
const KEY_FORMAT: (&str, &str) = (
    "InvalidParameter",
    "The specified parameter key format is error.",
);
const KEY_FORMAT_ERROR: (&str, &str) = (
    "KeyFormatError",
    "The specified ServerCertificate is incorrectly formatted.",
);
const NOT_VALID: (&str, &str) = ("InvalidParameter", "The specified parameter is not valid.");
const LENGTH: (&str, &str) = (
    "InvalidParameterLength",
    "The specified parameter length is not valid.",
);
const MISMATCH: (&str, &str) = (
    "CertificateNotMatchPrivateKey",
    "Certificate and key does not match.",
);
const ENCRYPTED: (&str, &str) = ("PrivateKeyEncryption", "Key has Encrypted .");

#[test]
fn a_pkcs1_rsa_pair_is_accepted_into_its_region() {
    let verdict = check(&CLB, &good());
    assert_eq!(answer(&verdict), None);
    let accepted = verdict.upload().unwrap();
    assert_eq!(accepted.name(), "www-2026");
    assert_eq!(accepted.chain().certificates().len(), 2);
    assert_eq!(CLB.product(), Product::Slb);
    assert_eq!(
        (CLB.action(), CLB.version()),
        ("UploadServerCertificate", "2014-05-15")
    );
    assert_eq!(Profile::by_name("clb").unwrap().name(), "clb");
    assert_eq!(
        Profile::by_name("uploadservercertificate").unwrap().name(),
        "clb"
    );
}

#[test]
fn region_id_is_required_by_the_gateway() {
    let request = good().without(Role::Region);
    assert_eq!(
        answer(&check(&CLB, &request)),
        Some((
            "MissingRegionId",
            "RegionId is mandatory for this action.",
            400,
            format!(
                "RegionId is absent; the API requires it, so the API gateway refuses the request{INFERRED}"
            )
        ))
    );
    for region in ["", "Hangzhou", "cn hangzhou", "cnhangzhou", "cn-hangzhou/x"] {
        assert_eq!(
            code(&good().with(Role::Region, region)),
            Some(NOT_VALID),
            "{region:?}"
        );
    }
    assert_eq!(code(&good().with(Role::Region, "ap-southeast-1")), None);
}

/// Each documented code, reached by a fixture.
#[test]
fn each_documented_code_is_reached() {
    let pkcs1 = text("rsa2048/key.pkcs1.pem");
    let chain = text("rsa2048/fullchain.pem");
    let cases: Vec<(&str, Request, (&str, &str))> = vec![
        ("no certificate", good().without(Role::Certificate), EMPTY),
        ("no key", good().without(Role::PrivateKey), EMPTY),
        ("a blank key", good().with_private_key("  \n"), EMPTY),
        ("not PEM", good().with_certificate("junk"), CERT_FORMAT),
        (
            "a key in the certificate's place",
            upload("rsa2048/key.pkcs1.pem", "rsa2048/key.pkcs1.pem"),
            CERT_FORMAT,
        ),
        ("an empty certificate", good().with_certificate(""), LENGTH),
        (
            "bad base64",
            upload("pem/bang-in-base64.pem", "rsa2048/key.pkcs1.pem"),
            KEY_FORMAT_ERROR,
        ),
        (
            "bad DER",
            upload("chain/bad-second.pem", "rsa2048/key.pkcs1.pem"),
            KEY_FORMAT_ERROR,
        ),
        (
            "a blank line between the certificates",
            upload("pem/blank-line-between.pem", "rsa2048/key.pkcs1.pem"),
            KEY_FORMAT_ERROR,
        ),
        (
            "a blank line inside a certificate's base64",
            good().with_certificate(blank_after(&chain, 5)),
            KEY_FORMAT_ERROR,
        ),
        (
            "a blank line inside the key's base64",
            good().with_private_key(blank_after(&pkcs1, 5)),
            KEY_FORMAT,
        ),
        (
            "a PKCS#8 RSA key",
            upload("rsa2048/fullchain.pem", "rsa2048/key.pkcs8.pem"),
            KEY_FORMAT,
        ),
        (
            "a SEC1 EC key",
            upload("p256/fullchain.pem", "p256/key.sec1.pem"),
            KEY_FORMAT,
        ),
        (
            "a PKCS#8 EC key",
            upload("p256/fullchain.pem", "p256/key.pkcs8.pem"),
            KEY_FORMAT,
        ),
        (
            "a certificate in the key's place",
            upload("rsa2048/fullchain.pem", "rsa2048/cert.pem"),
            KEY_FORMAT,
        ),
        (
            "an encrypted PKCS#1 key",
            upload("rsa2048/fullchain.pem", "keys/rsa2048.encrypted-pkcs1.pem"),
            ENCRYPTED,
        ),
        (
            "an encrypted PKCS#8 key",
            upload("rsa2048/fullchain.pem", "keys/rsa2048.encrypted-pkcs8.pem"),
            ENCRYPTED,
        ),
        (
            "another RSA key",
            upload("rsa2048/fullchain.pem", "mismatch/rsa2048-b.key.pkcs1.pem"),
            MISMATCH,
        ),
        (
            "an EC certificate with an RSA key",
            upload("p256/fullchain.pem", "rsa2048/key.pkcs1.pem"),
            MISMATCH,
        ),
        (
            "the leaf not first",
            upload("chain/leaf-not-first.pem", "rsa2048/key.pkcs1.pem"),
            MISMATCH,
        ),
        (
            "a name of 81 characters",
            good().with(Role::CertName, "n".repeat(81)),
            LENGTH,
        ),
        (
            "a name with a space",
            good().with(Role::CertName, "www 2026"),
            NOT_VALID,
        ),
        (
            "a certificate-service id that is not a number",
            good().with(Role::CertId, "abc"),
            NOT_VALID,
        ),
        (
            "a certificate-service site that is not one",
            good()
                .with(Role::CertId, "12345")
                .with(Role::CertRegion, "eu-central-1"),
            NOT_VALID,
        ),
    ];
    for (what, request, expected) in cases {
        assert_eq!(code(&request), Some(expected), "{what}");
    }
}

#[test]
fn the_details_say_what_to_do() {
    let detail = |request: &Request| answer(&check(&CLB, request)).unwrap().3;
    let pkcs8 = detail(&upload("rsa2048/fullchain.pem", "rsa2048/key.pkcs8.pem"));
    assert!(
        pkcs8.starts_with(
            "the key is a PKCS#8 PRIVATE KEY; this API takes only PKCS#1 RSA PRIVATE KEY (an \
             RSA key: convert it with `openssl rsa -in key.pem -out key.pkcs1.pem -traditional`"
        ),
        "{pkcs8}"
    );
    let between = detail(&upload(
        "pem/blank-line-between.pem",
        "rsa2048/key.pkcs1.pem",
    ));
    assert_eq!(
        between,
        "ServerCertificate: blank line at line 23; this API refuses blank lines in the PEM text \
         (remove them)"
    );
    let name = detail(&good().with(Role::CertName, "www example"));
    assert_eq!(
        name,
        "ServerCertificateName \"www example\" holds ' ' (character 4); it must be 1 to 80 \
         characters, each a Chinese character, a letter, a digit, '-', '/', '.', '_' or '*'"
    );
    let empty = detail(&good().with(Role::CertName, ""));
    assert!(
        empty.starts_with("ServerCertificateName is empty; "),
        "{empty}"
    );
}

/// 1 to 80 characters (Unicode scalar values), each a Chinese character, a letter, a digit,
/// '-', '/', '.', '_' or '*' (the current Chinese API reference), the first one included.
#[test]
fn names_at_their_bounds() {
    let name = |n: &str| code(&good().with(Role::CertName, n));
    assert_eq!(name(""), Some(NOT_VALID));
    assert_eq!(name("a"), None);
    assert_eq!(name("证"), None);
    assert_eq!(name(&"b".repeat(80)), None);
    assert_eq!(name(&"证".repeat(80)), None);
    assert_eq!(name(&"b".repeat(81)), Some(LENGTH));
    assert_eq!(name(&"证".repeat(81)), Some(LENGTH));
    for good_name in [
        "certimate_1767225600000",
        "www.example.com_2026-06",
        "*.example.com",
        "9-lives",
        "_a",
        "-a",
        "a/b",
        "证书-2026",
    ] {
        assert_eq!(name(good_name), None, "{good_name:?}");
    }
    for bad in ["a b", " a", "a:b", "a@b", "é", "aé", "a\u{3000}b", "a+b"] {
        assert_eq!(name(bad), Some(NOT_VALID), "{bad:?}");
    }
    // Absent, the service names the certificate itself.
    assert_eq!(code(&good().without(Role::CertName)), None);
}

/// A trailing blank line after the last block is not refused; other profiles keep taking
/// blank lines and PKCS#8 keys, with a warning for the blank line.
#[test]
fn what_other_apis_take_is_unchanged() {
    let trailing = text("rsa2048/fullchain.pem") + "\n\n";
    assert_eq!(code(&good().with_certificate(trailing)), None);
    let cdn = Request::upload(
        fixture("pem/blank-line-between.pem"),
        fixture("rsa2048/key.pkcs8.pem"),
    )
    .with_domain("www.example.com");
    let verdict = check(&CDN_SSL, &cdn);
    assert_eq!(answer(&verdict), None);
    assert!(warning_codes(&verdict).contains(&"PemFormat"));
}

/// No source shows an expired certificate refused: taken, with a warning.
#[test]
fn an_expired_certificate_is_taken_with_a_warning() {
    let verdict = check(&CLB, &upload("time/expired.pem", "rsa2048/key.pkcs1.pem"));
    assert_eq!(answer(&verdict), None);
    assert!(warning_codes(&verdict).contains(&"Expired"));
}

fn with_cas(id: &str, status: &str) -> InMemoryState {
    let mut state = InMemoryState::default();
    state.add_certificate(StoredCertificate {
        name: "cas-cert".to_owned(),
        id: Some(id.to_owned()),
        product: None,
        kind: CertKind::Cas,
        status: CasStatus::from_name(status),
        fingerprint: None,
        chain: None,
    });
    state
}

/// `AliCloudCertificateId` makes the request a certificate-service one: the PEM parameters are
/// not read, the certificate is looked up (skipped without state).
#[test]
fn by_certificate_service_id() {
    let id = || {
        Request::new()
            .with(Role::Region, "cn-hangzhou")
            .with(Role::CertId, "21000001")
    };
    let by_id = id();
    let run = |request: &Request, state: &InMemoryState| {
        validate_with(&CLB, request, &Options::at(NOW), &StateView::of(state)).unwrap()
    };
    let verdict = run(&by_id, &with_cas("21000001", "issued"));
    assert_eq!(answer(&verdict), None);
    assert!(verdict.upload().is_none());
    // The PEM parameters are not read: a broken pair does not matter.
    let with_junk = id().with_certificate("junk").with_private_key("junk");
    assert_eq!(
        answer(&run(&with_junk, &with_cas("21000001", "issued"))),
        None
    );
    let site = id().with(Role::CertRegion, "ap-southeast-1");
    assert_eq!(answer(&run(&site, &with_cas("21000001", "issued"))), None);
    let unknown = answer(&run(&by_id, &with_cas("21000002", "issued"))).unwrap();
    assert_eq!(
        (unknown.0, unknown.1, unknown.3.as_str()),
        (
            "InvalidParameter",
            "The specified resource does not exist.",
            "no certificate with AliCloudCertificateId \"21000001\" is in the certificate \
             service (CertType=cas)"
        )
    );
    for status in ["expired", "revoked"] {
        let refused = answer(&run(&by_id, &with_cas("21000001", status))).unwrap();
        assert_eq!(
            (refused.0, refused.1),
            ("InvalidParameter", "The resource status is invalid."),
            "{status}"
        );
    }
    // Without state, the look-up is skipped, not guessed.
    assert_eq!(code(&by_id), None);
    // Without an id, the request is an upload.
    assert_eq!(
        code(&Request::new().with(Role::Region, "cn-hangzhou")),
        Some(EMPTY)
    );
}

/// The catalog: the SLB common-error list's entries, documented, and the three the project
/// infers (the gateway's two, the delete's unknown id), each saying why.
#[test]
fn every_entry_states_its_evidence() {
    let catalog: Vec<(&str, u16, &str, &str)> = CLB
        .catalog()
        .iter()
        .map(|e| (e.code(), e.http_status(), e.message(), e.evidence().kind()))
        .collect();
    let documented = "documented";
    assert_eq!(
        catalog,
        [
            (
                "KeyFormatError",
                400,
                "The specified ServerCertificate is incorrectly formatted.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified resource does not exist.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The resource status is invalid.",
                documented
            ),
            (
                "PrivateKeyEncryption",
                400,
                "Key has Encrypted .",
                documented
            ),
            (
                "CertificateNotMatchPrivateKey",
                400,
                "Certificate and key does not match.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified parameter ServerCertificate format is error.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified parameter ServerCertificateId is empty.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified parameter ServerCertificateId is not Support.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified parameter ServerCertificate or Key is empty.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified parameter key format is error.",
                documented
            ),
            (
                "InvalidParameter",
                400,
                "The specified parameter is not valid.",
                documented
            ),
            (
                "InvalidParameterLength",
                400,
                "The specified parameter length is not valid.",
                documented
            ),
            (
                "MissingRegionId",
                400,
                "RegionId is mandatory for this action.",
                "inferred"
            ),
            (
                "MissingServerCertificateId",
                400,
                "ServerCertificateId is mandatory for this action.",
                "inferred"
            ),
            (
                "ServerCertificateId.NotFound",
                404,
                "The specified ServerCertificateId does not exist.",
                "inferred"
            ),
        ]
    );
    for entry in CLB.catalog() {
        let source = entry.evidence().source();
        if entry.evidence().is_inferred() {
            assert!(!source.is_empty());
        } else {
            assert!(source.contains("公共错误码.md"), "{source}");
        }
    }
    // A documented entry's detail does not call itself inferred; an inferred one's does.
    let documented = answer(&check(&CLB, &good().with_certificate("junk"))).unwrap();
    assert!(!documented.3.ends_with(INFERRED));
}
