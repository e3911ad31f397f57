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
             `https_off_forbidden`, `not_effective`, `products`\n",
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

/// docs/state-file.md documents the format; `--state`'s help points to it.
#[test]
fn the_state_file_format_is_documented_and_the_help_points_to_it() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/state-file.md"
    ))
    .unwrap();
    // The names the state file accepts are the ones an unknown state's error lists.
    let (_, error) = check_with_state(r#"{"domains": {"a.com": {"state": "asleep"}}}"#);
    let allowed = error
        .strip_prefix("domain \"a.com\": unknown state \"asleep\"; allowed: ")
        .unwrap()
        .trim_end();
    for state in allowed.split(", ") {
        assert!(doc.contains(&format!("\n| `{state}` | ")), "{state}");
    }
    for field in [
        "`https_off_forbidden`",
        "`not_effective`",
        "`products`",
        "`id`",
        "`type`",
        "`status`",
        "`pem`",
        "`authentication`",
        "`delete`",
        "`store`",
    ] {
        assert!(doc.contains(&format!("\n| {field} | ")), "{field}");
    }
    for command in ["check", "request", "scan"] {
        let output = Command::cargo_bin("cert-preflight")
            .unwrap()
            .env("COLUMNS", "100")
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8(output.stdout).unwrap();
        assert!(
            help.contains(
                "      --state <FILE>\n          JSON file with the domains' state, the stored \
                 certificates and faults (format:\n          docs/state-file.md); without it the \
                 checks that need state are skipped\n"
            ),
            "{command}: {help}"
        );
    }
}
