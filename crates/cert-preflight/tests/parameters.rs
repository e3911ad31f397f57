//! The parameter rules, rows 2, 4, 5, 6, 8, 9, 10, 11 and 12 of the check table, for each profile:
//! one table row per rule, each asserting code, message, HTTP status and detail.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use cert_preflight_testkit::common;

use cert_preflight::{
    CDN, LIVE, Limits, Options, Profile, Request, Role, Skipped, Value, validate,
};
use common::{answer, check, codes, fixture, valid_upload};

/// What a profile answers: accepted, or the first finding's code, message, status, detail.
#[derive(Debug)]
enum Expect {
    Accepted,
    Rejected(&'static str, &'static str, u16, &'static str),
}

struct Case {
    rule: &'static str,
    request: fn() -> Request,
    cdn: Expect,
    live: Expect,
}

fn run(cases: &[Case]) {
    for case in cases {
        for (profile, expect) in [(&CDN, &case.cdn), (&LIVE, &case.live)] {
            let mut request = (case.request)();
            // The gateway requires DomainName: a case about another parameter has one.
            if request.get(Role::Domain).is_none() {
                request = request.with_domain("www.example.com");
            }
            let verdict = check(profile, &request);
            let got = answer(&verdict);
            match expect {
                Expect::Accepted => assert!(
                    got.is_none(),
                    "{} / {}: expected acceptance, got {got:?}",
                    case.rule,
                    profile.name()
                ),
                Expect::Rejected(code, message, status, detail) => assert_eq!(
                    got,
                    Some((*code, *message, *status, (*detail).to_owned())),
                    "{} / {}",
                    case.rule,
                    profile.name()
                ),
            }
        }
    }
}

/// A raw request; one without `DomainName` gets one (the gateway requires it; these cases are
/// about the other parameters).
fn query(profile: &Profile, raw: &str) -> Request {
    let raw = if raw.contains("DomainName") {
        raw.to_owned()
    } else {
        format!("DomainName=www.example.com&{raw}")
    };
    Request::from_query(profile, raw.as_bytes()).unwrap()
}

const CDN_SWITCH: (&str, &str, u16) = (
    "InvalidServerCertificateStatus.ValueNotSupported",
    "The specified value of parameter Enable is not supported.",
    400,
);
const LIVE_SWITCH: (&str, &str, u16) = (
    "InvalidSSLProtocol.ValueNotSupported",
    "The specified value of parameter SSLProtocol is not supported.",
    400,
);

#[test]
fn row_2_the_switch_is_exactly_on_or_off() {
    use Expect::{Accepted, Rejected};
    run(&[
        Case {
            rule: "absent means off",
            request: || {
                let mut r = valid_upload();
                r.set(Role::Switch, None);
                r
            },
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "off",
            request: || valid_upload().with_switch("off"),
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "upper case",
            request: || valid_upload().with_switch("ON"),
            cdn: Rejected(
                CDN_SWITCH.0,
                CDN_SWITCH.1,
                CDN_SWITCH.2,
                "ServerCertificateStatus is \"ON\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
            live: Rejected(
                LIVE_SWITCH.0,
                LIVE_SWITCH.1,
                LIVE_SWITCH.2,
                "SSLProtocol is \"ON\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
        },
        Case {
            rule: "empty",
            request: || valid_upload().with_switch(""),
            cdn: Rejected(
                CDN_SWITCH.0,
                CDN_SWITCH.1,
                CDN_SWITCH.2,
                "ServerCertificateStatus is \"\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
            live: Rejected(
                LIVE_SWITCH.0,
                LIVE_SWITCH.1,
                LIVE_SWITCH.2,
                "SSLProtocol is \"\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
        },
        Case {
            rule: "padded with a space",
            request: || valid_upload().with_switch(" on"),
            cdn: Rejected(
                CDN_SWITCH.0,
                CDN_SWITCH.1,
                CDN_SWITCH.2,
                "ServerCertificateStatus is \" on\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
            live: Rejected(
                LIVE_SWITCH.0,
                LIVE_SWITCH.1,
                LIVE_SWITCH.2,
                "SSLProtocol is \" on\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
        },
        Case {
            rule: "control characters are shown escaped",
            request: || valid_upload().with_switch("on\n"),
            cdn: Rejected(
                CDN_SWITCH.0,
                CDN_SWITCH.1,
                CDN_SWITCH.2,
                "ServerCertificateStatus is \"on\\\\n\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
            live: Rejected(
                LIVE_SWITCH.0,
                LIVE_SWITCH.1,
                LIVE_SWITCH.2,
                "SSLProtocol is \"on\\\\n\"; it must be exactly \"on\" or \"off\" (absent means off)",
            ),
        },
    ]);
}

#[test]
fn row_2_a_repeated_or_undecodable_switch() {
    let cdn = query(
        &CDN,
        "ServerCertificateStatus=on&ServerCertificateStatus=on",
    );
    assert_eq!(
        answer(&check(&CDN, &cdn)),
        Some((
            CDN_SWITCH.0,
            CDN_SWITCH.1,
            400,
            "ServerCertificateStatus is given 2 times; it must be exactly \"on\" or \"off\" (absent means off)".to_owned()
        ))
    );
    let live = query(&LIVE, "SSLProtocol=o%6");
    assert_eq!(
        answer(&check(&LIVE, &live)),
        Some((
            LIVE_SWITCH.0,
            LIVE_SWITCH.1,
            400,
            "SSLProtocol has a '%' at byte 2 of its raw value that is not followed by two hex digits; it must be exactly \"on\" or \"off\" (absent means off)".to_owned()
        ))
    );
    let not_text = valid_upload().with_switch(vec![0xff, 0xfe]);
    assert_eq!(
        answer(&check(&LIVE, &not_text)).unwrap().3,
        "SSLProtocol is not UTF-8 text; it must be exactly \"on\" or \"off\" (absent means off)"
    );
}

const CDN_PARAMETER: (&str, &str, u16) = (
    "SetDomainServerCertificate.ParameterError",
    "Parameters have error.",
    400,
);
const LIVE_PARAMETER: (&str, &str, u16) = (
    "SetDomainCertificate.ParameterError",
    "Parameters have error.",
    400,
);

#[test]
fn row_4_cert_type_and_impossible_values() {
    use Expect::{Accepted, Rejected};
    run(&[
        Case {
            rule: "CertType upload",
            request: || valid_upload().with_cert_type("upload"),
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "CertType is case-sensitive",
            request: || valid_upload().with_cert_type("Upload"),
            cdn: Rejected(
                CDN_PARAMETER.0,
                CDN_PARAMETER.1,
                CDN_PARAMETER.2,
                "CertType is \"Upload\"; it must be \"upload\", \"cas\" or \"free\"",
            ),
            live: Rejected(
                LIVE_PARAMETER.0,
                LIVE_PARAMETER.1,
                LIVE_PARAMETER.2,
                "CertType is \"Upload\"; it must be \"upload\", \"cas\" or \"free\"",
            ),
        },
        Case {
            rule: "CertType free needs no certificate",
            request: || {
                Request::new()
                    .with_switch("on")
                    .with_cert_type("free")
                    .with_cert_name("n")
            },
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "CertType cas without a store is looked up nowhere",
            request: || {
                Request::new()
                    .with_switch("on")
                    .with_cert_type("cas")
                    .with_cert_name("n")
            },
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "DomainName with a space",
            request: || valid_upload().with_domain("www.exa mple.com"),
            cdn: Rejected(
                CDN_PARAMETER.0,
                CDN_PARAMETER.1,
                CDN_PARAMETER.2,
                "DomainName contains white space or control characters",
            ),
            live: Rejected(
                LIVE_PARAMETER.0,
                LIVE_PARAMETER.1,
                LIVE_PARAMETER.2,
                "DomainName contains white space or control characters",
            ),
        },
        Case {
            rule: "DomainName empty",
            request: || valid_upload().with_domain(""),
            cdn: Rejected(
                CDN_PARAMETER.0,
                CDN_PARAMETER.1,
                CDN_PARAMETER.2,
                "DomainName is empty",
            ),
            live: Rejected(
                LIVE_PARAMETER.0,
                LIVE_PARAMETER.1,
                LIVE_PARAMETER.2,
                "DomainName is empty",
            ),
        },
        Case {
            rule: "DomainName as a URL",
            request: || valid_upload().with_domain("https://www.example.com/"),
            cdn: Rejected(
                CDN_PARAMETER.0,
                CDN_PARAMETER.1,
                CDN_PARAMETER.2,
                "DomainName is not a bare domain name (it contains '/', '?', '#', '@' or ':')",
            ),
            live: Rejected(
                LIVE_PARAMETER.0,
                LIVE_PARAMETER.1,
                LIVE_PARAMETER.2,
                "DomainName is not a bare domain name (it contains '/', '?', '#', '@' or ':')",
            ),
        },
        Case {
            rule: "CertName not UTF-8",
            request: || valid_upload().with_cert_name(vec![b'a', 0xc3]),
            cdn: Rejected(
                CDN_PARAMETER.0,
                CDN_PARAMETER.1,
                CDN_PARAMETER.2,
                "CertName is not UTF-8 text",
            ),
            live: Rejected(
                LIVE_PARAMETER.0,
                LIVE_PARAMETER.1,
                LIVE_PARAMETER.2,
                "CertName is not UTF-8 text",
            ),
        },
        Case {
            rule: "ForceSet other than 1 is allowed",
            request: || valid_upload().with_force_set("0"),
            cdn: Accepted,
            live: Accepted,
        },
    ]);
}

#[test]
fn row_4_repeated_parameters_and_bad_escapes_in_raw_requests() {
    let cert = "ServerCertificate=a&ServerCertificate=b&ServerCertificateStatus=on";
    assert_eq!(
        answer(&check(&CDN, &query(&CDN, cert))),
        Some((
            CDN_PARAMETER.0,
            CDN_PARAMETER.1,
            400,
            "ServerCertificate is given 2 times".to_owned()
        ))
    );
    let force = "SSLProtocol=off&ForceSet=%zz";
    assert_eq!(
        answer(&check(&LIVE, &query(&LIVE, force))),
        Some((
            LIVE_PARAMETER.0,
            LIVE_PARAMETER.1,
            400,
            "ForceSet has a '%' at byte 1 of its raw value that is not followed by two hex digits"
                .to_owned()
        ))
    );
    let domains = "DomainName=a.com&DomainName=b.com&SSLProtocol=off";
    assert_eq!(
        answer(&check(&LIVE, &query(&LIVE, domains))).unwrap().3,
        "DomainName is given 3 times".replace('3', "2")
    );
}

const NAME_TOO_LONG: (&str, &str, u16) = (
    "InvalidCertName.TooLong",
    "The Certificate name you provided is over the max length 128!",
    400,
);

#[test]
fn row_5_cert_name_length_counts_characters_not_bytes() {
    use Expect::{Accepted, Rejected};
    run(&[
        Case {
            rule: "128 ASCII characters",
            request: || valid_upload().with_cert_name("a".repeat(128)),
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "129 ASCII characters",
            request: || valid_upload().with_cert_name("a".repeat(129)),
            cdn: Rejected(
                NAME_TOO_LONG.0,
                NAME_TOO_LONG.1,
                NAME_TOO_LONG.2,
                "CertName has 129 characters; at most 128 are allowed",
            ),
            live: Rejected(
                NAME_TOO_LONG.0,
                NAME_TOO_LONG.1,
                NAME_TOO_LONG.2,
                "CertName has 129 characters; at most 128 are allowed",
            ),
        },
        Case {
            rule: "128 Chinese characters (384 bytes)",
            request: || valid_upload().with_cert_name("证".repeat(128)),
            cdn: Accepted,
            live: Accepted,
        },
        Case {
            rule: "129 Chinese characters",
            request: || valid_upload().with_cert_name("证".repeat(129)),
            cdn: Rejected(
                NAME_TOO_LONG.0,
                NAME_TOO_LONG.1,
                NAME_TOO_LONG.2,
                "CertName has 129 characters; at most 128 are allowed",
            ),
            live: Rejected(
                NAME_TOO_LONG.0,
                NAME_TOO_LONG.1,
                NAME_TOO_LONG.2,
                "CertName has 129 characters; at most 128 are allowed",
            ),
        },
        Case {
            rule: "checked with the switch off too",
            request: || {
                valid_upload()
                    .with_switch("off")
                    .with_cert_name("é".repeat(200))
            },
            cdn: Rejected(
                NAME_TOO_LONG.0,
                NAME_TOO_LONG.1,
                NAME_TOO_LONG.2,
                "CertName has 200 characters; at most 128 are allowed",
            ),
            live: Rejected(
                NAME_TOO_LONG.0,
                NAME_TOO_LONG.1,
                NAME_TOO_LONG.2,
                "CertName has 200 characters; at most 128 are allowed",
            ),
        },
    ]);
}

#[test]
fn row_6_live_requires_a_cert_name_when_on() {
    use Expect::{Accepted, Rejected};
    let missing = Rejected(
        "CertName.MissingParameter",
        "The CertName parameter is required.",
        404,
        "CertName is required when SSLProtocol is \"on\"",
    );
    run(&[
        Case {
            rule: "absent",
            request: || {
                let mut r = valid_upload();
                r.set(Role::CertName, None);
                r
            },
            cdn: Accepted,
            live: missing,
        },
        Case {
            rule: "blank",
            request: || valid_upload().with_cert_name(" "),
            cdn: Accepted,
            live: Rejected(
                "CertName.MissingParameter",
                "The CertName parameter is required.",
                404,
                "CertName is required when SSLProtocol is \"on\"",
            ),
        },
        Case {
            rule: "not needed when off",
            request: || {
                let mut r = valid_upload().with_switch("off");
                r.set(Role::CertName, None);
                r
            },
            cdn: Accepted,
            live: Accepted,
        },
    ]);
}

#[test]
fn rows_8_and_9_missing_certificate_or_key() {
    use Expect::Rejected;
    run(&[
        Case {
            rule: "certificate absent",
            request: || {
                let mut r = valid_upload();
                r.set(Role::Certificate, None);
                r
            },
            cdn: Rejected(
                "ServerCertificate.MissingParameter",
                "An input parameter ServerCertificate that is mandatory for processing the request is not supplied.",
                400,
                "ServerCertificate is absent; an upload needs the certificate chain (leaf first) in it",
            ),
            live: Rejected(
                "SSLPub.MissingParameter",
                "An input parameter \"SSLPub\" that is mandatory for processing the request is not supplied.",
                400,
                "SSLPub is absent; an upload needs the certificate chain (leaf first) in it",
            ),
        },
        Case {
            rule: "key absent",
            request: || {
                let mut r = valid_upload();
                r.set(Role::PrivateKey, None);
                r
            },
            cdn: Rejected(
                "PrivateKey.MissingParameter",
                "An input parameter PrivateKey that is mandatory for processing the request is not supplied.",
                400,
                "PrivateKey is absent; an upload needs the private key in it",
            ),
            live: Rejected(
                "SSLPri.MissingParameter",
                "An input parameter \"SSLPri\" that is mandatory for processing the request is not supplied.",
                400,
                "SSLPri is absent; an upload needs the private key in it",
            ),
        },
    ]);
    // Both absent: both findings, the certificate's first.
    let mut request = valid_upload();
    request.set(Role::Certificate, None);
    request.set(Role::PrivateKey, None);
    assert_eq!(
        codes(&check(&LIVE, &request)),
        vec!["SSLPub.MissingParameter", "SSLPri.MissingParameter"]
    );
}

#[test]
fn row_10_a_key_that_is_empty_or_white_space() {
    use Expect::Rejected;
    run(&[
        Case {
            rule: "empty",
            request: || valid_upload().with_private_key(""),
            cdn: Rejected(
                "Certificate.KeyNull",
                "The private key is not null.",
                400,
                "PrivateKey is present but empty",
            ),
            live: Rejected(
                "Certificate.KeyNull",
                "The private key is not null.",
                400,
                "SSLPri is present but empty",
            ),
        },
        Case {
            rule: "white space",
            request: || valid_upload().with_private_key(" \r\n\t"),
            cdn: Rejected(
                "Certificate.KeyNull",
                "The private key is not null.",
                400,
                "PrivateKey is present but only white space (4 bytes)",
            ),
            live: Rejected(
                "Certificate.KeyNull",
                "The private key is not null.",
                400,
                "SSLPri is present but only white space (4 bytes)",
            ),
        },
        Case {
            rule: "comes before the length check",
            request: || {
                valid_upload()
                    .with_private_key("")
                    .with_certificate("x".repeat(70_000))
            },
            cdn: Rejected(
                "Certificate.KeyNull",
                "The private key is not null.",
                400,
                "PrivateKey is present but empty",
            ),
            live: Rejected(
                "Certificate.KeyNull",
                "The private key is not null.",
                400,
                "SSLPri is present but empty",
            ),
        },
    ]);
}

const TOO_LONG: (&str, &str, u16) = (
    "InvalidCertificate.TooLong",
    "The Certificate you provided is over the max length!",
    400,
);

#[test]
fn row_11_empty_certificate_and_length_limits() {
    use Expect::Rejected;
    run(&[
        Case {
            rule: "certificate empty",
            request: || valid_upload().with_certificate(""),
            cdn: Rejected(
                TOO_LONG.0,
                TOO_LONG.1,
                TOO_LONG.2,
                "ServerCertificate is present but empty",
            ),
            live: Rejected(
                TOO_LONG.0,
                TOO_LONG.1,
                TOO_LONG.2,
                "SSLPub is present but empty",
            ),
        },
        Case {
            rule: "certificate one byte over",
            request: || valid_upload().with_certificate("x".repeat(65_537)),
            cdn: Rejected(
                TOO_LONG.0,
                TOO_LONG.1,
                TOO_LONG.2,
                "ServerCertificate is 65537 bytes; the certificate limit is 65536 bytes",
            ),
            live: Rejected(
                TOO_LONG.0,
                TOO_LONG.1,
                TOO_LONG.2,
                "SSLPub is 65537 bytes; the certificate limit is 65536 bytes",
            ),
        },
        Case {
            rule: "key one byte over",
            request: || valid_upload().with_private_key("k".repeat(16_385)),
            cdn: Rejected(
                TOO_LONG.0,
                TOO_LONG.1,
                TOO_LONG.2,
                "PrivateKey is 16385 bytes; the private key limit is 16384 bytes",
            ),
            live: Rejected(
                TOO_LONG.0,
                TOO_LONG.1,
                TOO_LONG.2,
                "SSLPri is 16385 bytes; the private key limit is 16384 bytes",
            ),
        },
        Case {
            rule: "certificate at the limit goes on to be parsed",
            request: || valid_upload().with_certificate("x.".repeat(32_768)),
            cdn: Rejected(
                "InvalidCertificate",
                "The Certificate you provided is malformed!",
                400,
                "ServerCertificate: it is not PEM: no -----BEGIN …----- line was found",
            ),
            live: Rejected(
                "InvalidSSLPub",
                "The SSLPub you provided is malformed!",
                400,
                "SSLPub: it is not PEM: no -----BEGIN …----- line was found",
            ),
        },
    ]);
}

#[test]
fn row_11_limits_are_configurable() {
    let limits = Limits {
        certificate: 1_000,
        private_key: 100,
    };
    let verdict = validate(
        &CDN,
        &valid_upload(),
        &Options::at(common::NOW).with_limits(limits),
    );
    let details: Vec<String> = verdict.findings().iter().map(|f| f.detail()).collect();
    assert_eq!(
        details,
        vec![
            format!(
                "ServerCertificate is {} bytes; the certificate limit is 1000 bytes",
                fixture("p256/fullchain.pem").len()
            ),
            format!(
                "PrivateKey is {} bytes; the private key limit is 100 bytes",
                fixture("p256/key.pkcs8.pem").len()
            ),
        ]
    );
}

#[test]
fn row_11_eight_mebibytes_of_junk_is_refused_before_parsing() {
    let junk = vec![b'-'; 8 * 1024 * 1024];
    let verdict = check(&LIVE, &valid_upload().with_certificate(junk));
    assert_eq!(
        answer(&verdict),
        Some((
            TOO_LONG.0,
            TOO_LONG.1,
            400,
            "SSLPub is 8388608 bytes; the certificate limit is 65536 bytes".to_owned()
        ))
    );
    assert_eq!(codes(&verdict), vec!["InvalidCertificate.TooLong"]);
}

#[test]
fn row_12_values_that_are_not_text() {
    use Expect::Rejected;
    run(&[
        Case {
            rule: "bytes that are not UTF-8 and not a file this crate recognises",
            request: || valid_upload().with_certificate(vec![0x30, 0x82, 0x01, 0xff, 0x80]),
            cdn: Rejected(
                "InvalidCertificate",
                "The Certificate you provided is malformed!",
                400,
                "ServerCertificate is not UTF-8 text (byte 2 is not part of a UTF-8 character); the value must be PEM text",
            ),
            live: Rejected(
                "sslPub.Error",
                "The SSLPub encoded failed.",
                400,
                "SSLPub is not UTF-8 text (byte 2 is not part of a UTF-8 character); the value must be PEM text",
            ),
        },
        Case {
            rule: "a NUL in the key",
            request: || valid_upload().with_private_key("-----BEGIN PRIVATE KEY-----\0"),
            cdn: Rejected(
                "InvalidPrivateKey",
                "The Private Key you provided is malformed!",
                400,
                "PrivateKey holds a NUL byte (byte 28); the value must be PEM text",
            ),
            live: Rejected(
                "sslPri.Error",
                "The SSLPri encoded failed.",
                400,
                "SSLPri holds a NUL byte (byte 28); the value must be PEM text",
            ),
        },
    ]);
    let raw = "SSLProtocol=on&CertName=n&SSLPub=%E4%B8&SSLPri=%GG";
    let verdict = check(&LIVE, &query(&LIVE, raw));
    let details: Vec<String> = verdict.findings().iter().map(|f| f.detail()).collect();
    assert_eq!(codes(&verdict), vec!["sslPub.Error", "sslPri.Error"]);
    assert_eq!(
        details,
        vec![
            "SSLPub is not UTF-8 text (byte 1 is not part of a UTF-8 character); the value must be PEM text",
            "SSLPri has a '%' at byte 1 of its raw value that is not followed by two hex digits (the value was not URL-encoded properly)",
        ]
    );
}

#[test]
fn rows_are_answered_in_the_tables_order() {
    // Row 5 (name) before row 10 (empty key) before row 11 (length).
    let request = valid_upload()
        .with_cert_name("n".repeat(129))
        .with_private_key("")
        .with_certificate("x".repeat(70_000));
    assert_eq!(
        codes(&check(&CDN, &request)),
        vec![
            "InvalidCertName.TooLong",
            "Certificate.KeyNull",
            "InvalidCertificate.TooLong"
        ]
    );
    // Row 2 (switch) before row 4 (type) before row 5 (name).
    let request = valid_upload()
        .with_switch("yes")
        .with_cert_type("x")
        .with_cert_name("n".repeat(129));
    assert_eq!(
        codes(&check(&LIVE, &request)),
        vec![
            "InvalidSSLProtocol.ValueNotSupported",
            "SetDomainCertificate.ParameterError",
            "InvalidCertName.TooLong"
        ]
    );
}

#[test]
fn skipped_state_checks_are_listed_on_acceptance() {
    let verdict = check(&CDN, &valid_upload());
    assert!(verdict.is_accepted());
    assert_eq!(
        verdict.skipped(),
        &[
            Skipped::DomainState,
            Skipped::DuplicateName,
            Skipped::Storage
        ]
    );
    let off = check(&LIVE, &valid_upload().with_switch("off"));
    assert_eq!(off.skipped(), &[Skipped::DomainState, Skipped::SwitchOff]);
}

#[test]
fn values_built_from_rust_types_keep_absent_apart_from_empty() {
    let mut request = Request::new()
        .with_domain("www.example.com")
        .with_switch("on")
        .with_cert_name("n");
    request.set(Role::Certificate, Some(Value::from("")));
    assert_eq!(
        codes(&check(&LIVE, &request)),
        vec!["SSLPri.MissingParameter", "InvalidCertificate.TooLong"]
    );
}
