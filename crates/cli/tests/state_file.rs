//! A malformed `--state` file is a usage error that names the file, line and column once.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;

fn check_with_state(text: &str) -> (i32, String) {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["check", "--api", "cdn", "--state"])
        .arg(file.path())
        .output()
        .unwrap();
    assert_eq!(output.stdout, b"");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let prefix = format!("cert-preflight: {}: ", file.path().display());
    (
        output.status.code().unwrap(),
        stderr.strip_prefix(&prefix).unwrap().to_owned(),
    )
}

#[test]
fn line_and_column_are_named_once() {
    for (text, message) in [
        (
            "{\n  \"domains\": {\n    \"a.com\": {\"state\": }\n  }\n}\n",
            "line 3, column 24: expected value\n",
        ),
        (
            r#"{"domains": {"a.com": {"stat": "online"}}}"#,
            "line 1, column 29: unknown field `stat`, expected one of `state`, \
             `https_off_forbidden`, `not_effective`\n",
        ),
        (
            "{\"domains\": ",
            "line 1, column 12: EOF while parsing a value\n",
        ),
        (
            r#"{"faults": {"store": "yes"}}"#,
            "line 1, column 26: invalid type: string \"yes\", expected a boolean\n",
        ),
    ] {
        assert_eq!(check_with_state(text), (2, message.to_owned()), "{text}");
    }
}
