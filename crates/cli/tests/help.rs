//! What `--version` and `--help` say on each command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;

/// The command's standard output; help is wrapped at 100 columns whatever the caller's
/// terminal (clap reads `COLUMNS` when standard output is not a terminal).
fn stdout(args: &[&str]) -> String {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_command_prints_the_version() {
    let version = format!("cert-preflight {}\n", env!("CARGO_PKG_VERSION"));
    for args in [
        &["--version"][..],
        &["check", "--version"],
        &["request", "--version"],
        &["codes", "-V"],
        &["scan", "--version"],
    ] {
        assert_eq!(stdout(args), version, "{args:?}");
    }
}

#[test]
fn check_and_request_help_end_with_the_exit_statuses() {
    for command in ["check", "request"] {
        for help in ["-h", "--help"] {
            assert!(
                stdout(&[command, help]).ends_with(
                    "\n\nExit status:\n  0  accepted\n  1  rejected with a catalog code, or accepted with \
                     warnings under --fail-on-warning\n  \
                     2  usage or I/O error (a bad flag, a file that cannot be read, a malformed \
                     --state file)\nA closed standard output (… | head -1) is not an error: \
                     the output stops there, without a message,\nand the exit status is the one \
                     above.\n"
                ),
                "{command} {help}"
            );
        }
    }
}

#[test]
fn scan_help_describes_json_lines_and_its_exit_statuses() {
    let help = stdout(&["scan", "--help"]);
    assert!(!help.contains("one JSON object"), "{help}");
    assert!(
        help.contains(
            "      --format <FORMAT>\n          Output format: text (a summary table, then one \
             line per rejected pair, per warning and per\n          file not checked) or json \
             (JSON Lines: one line per checked pair and per file not checked,\n          sorted \
             by path)\n          \n          [default: text]\n          [possible values: \
             text, json]\n"
        ),
        "{help}"
    );
    assert!(
        help.ends_with(
            "\n\nExit status:\n  0  every checked pair accepted (unpaired, unreadable and \
             unfollowed files are reported only)\n  1  a pair rejected with a catalog code, or accepted \
             with warnings under --fail-on-warning\n  \
             2  usage or I/O error, or no pair checked (none found, or none readable)\nA closed \
             standard output (… | head -1) is not an error: the output stops there, without a \
             message,\nand the exit status is the one above.\n"
        ),
        "{help}"
    );
    let check = stdout(&["check", "--help"]);
    assert!(
        check.contains(
            "          Output format: text for people, or json: one JSON object on standard output\n"
        ),
        "{check}"
    );
}

#[test]
fn check_help_lists_every_option_it_takes() {
    let help = stdout(&["check", "--help"]);
    // Each option's first line: "  -h, --help", "      --api <API>".
    let options: Vec<&str> = help
        .lines()
        .filter(|line| line.starts_with("  -") || line.starts_with("      --"))
        .map(str::trim)
        .collect();
    assert_eq!(
        options,
        [
            "--api <API>",
            "--at <RFC3339>",
            "--format <FORMAT>",
            "--state <FILE>",
            "--max-cert-bytes <BYTES>",
            "--max-key-bytes <BYTES>",
            "--warn-days <DAYS>",
            "--fail-on-warning",
            "--domain <NAME>",
            "--status <on|off>",
            "--cert <FILE>",
            "--key <FILE>",
            "--cert-name <NAME>",
            "--cert-type <upload|cas|free>",
            "--force-set <VALUE>",
            "--region <REGION>",
            "-h, --help",
            "-V, --version",
        ]
    );
    assert!(
        help.contains(
            "      --max-cert-bytes <BYTES>\n          Reject a certificate parameter (the chain's \
             PEM text) longer than this many bytes, as the\n          service does past its \
             limit\n          \n          [default: 65536]\n\n      --max-key-bytes <BYTES>\n          \
             Reject a private-key parameter (the key's PEM text) longer than this many bytes, as \
             the\n          service does past its limit\n          \n          [default: 16384]\n\n      \
             --warn-days <DAYS>\n          Warn (ExpiresSoon) when the leaf certificate expires \
             within this many days of the check\n          time (--at, or now)\n          \n          \
             [default: 30]\n\n"
        ),
        "{help}"
    );
}
