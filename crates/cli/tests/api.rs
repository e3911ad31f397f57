//! `--api` over every profile (short name or Action, any case), `request` reading the API from
//! the request's Action, and the shared flags on `scan`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use cert_preflight_testkit::common;

use assert_cmd::Command;

fn cmd() -> Command {
    Command::cargo_bin("cert-preflight").unwrap()
}

/// Runs the command line and returns (exit status, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let output = cmd().args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// `check` without `--cert` and `--key`: the details name the options (the codes and messages
/// are the service's, with its parameter names).
const MISSING_CDN: &str = "{\"Accepted\":false,\"Code\":\"ServerCertificate.MissingParameter\",\"Message\":\"An input parameter ServerCertificate that is mandatory for processing the request is not supplied.\",\"HttpStatus\":400,\"Detail\":\"--cert is absent; an upload needs the certificate chain (leaf first) in it\",\"Warnings\":[],\"Findings\":[{\"Code\":\"ServerCertificate.MissingParameter\",\"Message\":\"An input parameter ServerCertificate that is mandatory for processing the request is not supplied.\",\"HttpStatus\":400,\"Detail\":\"--cert is absent; an upload needs the certificate chain (leaf first) in it\"},{\"Code\":\"PrivateKey.MissingParameter\",\"Message\":\"An input parameter PrivateKey that is mandatory for processing the request is not supplied.\",\"HttpStatus\":400,\"Detail\":\"--key is absent; an upload needs the private key in it\"}],\"Skipped\":[\"DomainState\",\"DuplicateName\"]}\n";

#[test]
fn api_takes_the_short_name_or_the_action_in_any_case() {
    for api in [
        "cdn",
        "CDN",
        "SetDomainServerCertificate",
        "setdomainservercertificate",
    ] {
        assert_eq!(
            run(&[
                "check",
                "--api",
                api,
                "--format",
                "json",
                "--domain",
                "d.example"
            ]),
            (1, MISSING_CDN.to_owned(), String::new()),
            "{api}"
        );
    }
    let (status, stdout, _) = run(&["codes", "--api", "SETLIVEDOMAINCERTIFICATE"]);
    assert_eq!(status, 0);
    assert_eq!(stdout.lines().count(), 35 + 1);
    assert!(stdout.lines().all(|line| line.starts_with("live  ")));
}

#[test]
fn an_unknown_api_lists_the_names() {
    assert_eq!(
        run(&["check", "--api", "oss"]),
        (
            2,
            String::new(),
            "error: invalid value 'oss' for '--api <API>'\n  [possible values: cdn, live, cdn-ssl, dcdn, vod, cas, clb]\n\n\
             For more information, try '--help'.\n"
                .to_owned()
        )
    );
    let (_, help, _) = run(&["check", "--help"]);
    assert!(
        help.contains(
            "          Possible values:\n          - cdn:     SetDomainServerCertificate\n          - live:    SetLiveDomainCertificate\n          - cdn-ssl: SetCdnDomainSSLCertificate\n          - dcdn:    SetDcdnDomainSSLCertificate\n          - vod:     SetVodDomainSSLCertificate\n          - cas:     UploadUserCertificate\n          - clb:     UploadServerCertificate\n"
        ),
        "{help}"
    );
}

#[test]
fn request_without_api_uses_the_action() {
    let seed_url = "http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&DomainName=example.com&ServerCertificateStatus=on&ServerCertificate=xxx&PrivateKey=yyy";
    let (status, stdout, stderr) = run(&["request", "--format", "json", seed_url]);
    assert_eq!((status, stderr.as_str()), (1, ""));
    assert!(
        stdout.starts_with("{\"Accepted\":false,\"Code\":\"InvalidCertificate\","),
        "{stdout}"
    );
    assert_eq!(
        run(&[
            "request",
            "Action=SetLiveDomainCertificate&DomainName=live.example.com&SSLProtocol=off"
        ]),
        (
            0,
            "ACCEPTED: the service would turn HTTPS off for live.example.com.\n\
             skipped (no --state for them): DomainState, SwitchOff\n"
                .to_owned(),
            String::new()
        )
    );
    assert_eq!(
        run(&["request", "SSLProtocol=off"]),
        (
            2,
            String::new(),
            "cert-preflight: the request has no Action parameter; name the API with --api: \
             SetDomainServerCertificate (cdn), SetLiveDomainCertificate (live), SetCdnDomainSSLCertificate (cdn-ssl), SetDcdnDomainSSLCertificate (dcdn), SetVodDomainSSLCertificate (vod), UploadUserCertificate (cas), UploadServerCertificate (clb)\n"
                .to_owned()
        )
    );
    assert_eq!(
        run(&["request", "Action=DescribeCdnService"]),
        (
            2,
            String::new(),
            "cert-preflight: the request's Action is \"DescribeCdnService\", which is none of \
             SetDomainServerCertificate (cdn), SetLiveDomainCertificate (live), \
             SetCdnDomainSSLCertificate (cdn-ssl), SetDcdnDomainSSLCertificate (dcdn), \
             SetVodDomainSSLCertificate (vod), UploadUserCertificate (cas), \
             UploadServerCertificate (clb); or name the API with --api\n"
                .to_owned()
        )
    );
    // --api wins over the Action, which the library then refuses.
    assert_eq!(
        run(&[
            "request",
            "--api",
            "live",
            "Action=SetDomainServerCertificate"
        ])
        .2,
        "cert-preflight: the request's Action is \"SetDomainServerCertificate\", but the chosen API is SetLiveDomainCertificate\n"
    );
}

#[test]
fn scan_takes_the_shared_state_and_limit_flags() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    std::fs::copy(
        common::path("p256/fullchain.pem"),
        dir.path().join("www.example.com.crt"),
    )
    .unwrap();
    std::fs::copy(
        common::path("p256/key.pkcs8.pem"),
        dir.path().join("www.example.com.key"),
    )
    .unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(
        &state,
        r#"{"domains": {"www.example.com": {"state": "offline"}}}"#,
    )
    .unwrap();
    let at = "2026-06-01T00:00:00Z";
    let (status, stdout, _) = run(&[
        "scan",
        "--api",
        "cdn",
        "--at",
        at,
        "--format",
        "json",
        "--state",
        state.to_str().unwrap(),
        root,
    ]);
    assert_eq!(status, 1);
    assert_eq!(
        stdout,
        format!(
            "{{\"Cert\":\"{root}/www.example.com.crt\",\"Key\":\"{root}/www.example.com.key\",\
             \"DomainName\":\"www.example.com\",\"CertName\":\"www.example.com\",\
             \"Accepted\":false,\"Code\":\"InvalidDomain.Offline\",\
             \"Message\":\"The domain provided is offline.\",\"HttpStatus\":400,\
             \"Detail\":\"the domain www.example.com is offline; bring it online first\",\
             \"Warnings\":[],\"Findings\":[{{\"Code\":\"InvalidDomain.Offline\",\
             \"Message\":\"The domain provided is offline.\",\"HttpStatus\":400,\
             \"Detail\":\"the domain www.example.com is offline; bring it online first\"}}],\
             \"Skipped\":[\"DuplicateName\"]}}\n"
        )
    );
    let (status, stdout, _) = run(&[
        "scan",
        "--api",
        "cdn",
        "--at",
        at,
        "--max-cert-bytes",
        "100",
        root,
    ]);
    assert_eq!(status, 1);
    assert_eq!(
        stdout,
        format!(
            "1 pair(s) checked for cdn at {at}: 0 accepted, 1 rejected; 0 file(s) not checked\n  \
             accepted                              0\n  \
             rejected  InvalidCertificate.TooLong  1\n\n\
             REJECTED {root}/www.example.com.crt + {root}/www.example.com.key: \
             InvalidCertificate.TooLong (HTTP 400): ServerCertificate is 1531 bytes; the \
             certificate limit is 100 bytes\n"
        )
    );
}
