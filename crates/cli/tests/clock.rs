//! Without `--at` the check time is the clock's, shown to the second (no nanoseconds).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cert_preflight_testkit::common;

use assert_cmd::Command;

/// `text` with the first RFC 3339 time at or after `from` replaced by `<now>`, when it is the
/// clock's time to the second (`YYYY-MM-DDTHH:MM:SSZ`, within a minute of the test's clock).
fn clock_replaced(text: &str, from: usize) -> String {
    let start = from + text[from..].find("20").unwrap();
    let time = &text[start..start + 20];
    let parsed = time::OffsetDateTime::parse(time, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{time:?} in {text:?}: {e}"));
    let now = time::OffsetDateTime::now_utc();
    assert!((now - parsed).abs() < time::Duration::minutes(1), "{time}");
    format!("{}<now>{}", &text[..start], &text[start + 20..])
}

#[test]
fn the_scan_summary_shows_the_check_time_to_the_second() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::path("time/expired.pem"), dir.path().join("old.crt")).unwrap();
    std::fs::copy(
        common::path("rsa2048/key.pkcs1.pem"),
        dir.path().join("old.key"),
    )
    .unwrap();
    let root = dir.path().to_str().unwrap();
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["scan", "--api", "live", root])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let summary = clock_replaced(&text, 0);
    assert_eq!(
        clock_replaced(&summary, summary.find("checked at").unwrap()),
        format!(
            "1 pair(s) checked for live at <now>: 0 accepted, 1 rejected; 0 file(s) not checked\n  \
             accepted                       0\n  \
             rejected  Certificate.Expired  1\n\n\
             REJECTED {root}/old.crt + {root}/old.key: Certificate.Expired (HTTP 400): the \
             certificate expired on 2026-01-01T00:00:00Z (checked at <now>)\n"
        )
    );
}

#[test]
fn check_details_show_the_check_time_to_the_second() {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args([
            "check",
            "--api",
            "live",
            "--format",
            "json",
            "--cert-name",
            "n",
            "--domain",
            "www.example.com",
        ])
        .args(["--cert", common::path("time/expired.pem").to_str().unwrap()])
        .args([
            "--key",
            common::path("rsa2048/key.pkcs1.pem").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    let detail = "\"Detail\":\"the certificate expired on 2026-01-01T00:00:00Z (checked at ";
    let at = text.find(detail).unwrap() + detail.len();
    let text = clock_replaced(&text, at);
    let at = text.rfind(detail).unwrap() + detail.len();
    assert_eq!(
        clock_replaced(&text, at),
        "{\"Accepted\":false,\"Code\":\"Certificate.Expired\",\"Message\":\"The certificate is expired.\",\"HttpStatus\":400,\"Detail\":\"the certificate expired on 2026-01-01T00:00:00Z (checked at <now>)\",\"Warnings\":[],\"Findings\":[{\"Code\":\"Certificate.Expired\",\"Message\":\"The certificate is expired.\",\"HttpStatus\":400,\"Detail\":\"the certificate expired on 2026-01-01T00:00:00Z (checked at <now>)\"}],\"Skipped\":[\"DomainState\",\"DuplicateName\",\"DuplicateContent\"]}\n"
    );
}
