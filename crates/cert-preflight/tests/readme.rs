//! The crate's README is its rustdoc front page (its examples run as doctests); these tests keep
//! what it says about the crate true: the sample pair it checks is accepted as it implies, the
//! profile table names every profile, and the workspace README shows the same example.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use cert_preflight::time::macros::datetime;
use cert_preflight::{LIVE, Options, Profile, Request, validate};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

/// The sample pair is a clean upload for www.example.com (valid until December 2036).
#[test]
fn the_sample_pair_is_accepted_without_warnings() {
    let request = Request::upload(read("sample/fullchain.pem"), read("sample/privkey.pem"))
        .with_domain("www.example.com")
        .with_cert_name("prod-2026");
    for at in [
        datetime!(2027-01-01 0:00 UTC),
        datetime!(2036-06-01 0:00 UTC),
    ] {
        let verdict = validate(&LIVE, &request, &Options::at(at));
        assert!(verdict.is_accepted(), "{:?}", verdict.answer());
        assert!(verdict.warnings().is_empty(), "{:?}", verdict.warnings());
    }
}

/// Each profile is in the README's table, as `NAME` with its Action.
#[test]
fn the_profile_table_names_every_profile() {
    let readme = read("README.md");
    for profile in Profile::ALL {
        let constant = profile.name().to_uppercase().replace('-', "_");
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{constant}` |")))
            .unwrap_or_else(|| panic!("no README row for {constant}"));
        assert!(row.contains(profile.action()), "{row}");
    }
}

/// The workspace README's library section shows this README's `[dependencies]` line and example.
#[test]
fn the_workspace_readme_shows_the_same_example() {
    let ours = read("README.md");
    let theirs = read("../../README.md");
    for fence in ["```toml\n", "```rust\n"] {
        let block = |text: &str| {
            text.split(fence)
                .nth(1)
                .and_then(|rest| rest.split("```\n").next())
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("no {fence:?} block"))
        };
        assert_eq!(block(&theirs), block(&ours), "README.md's {fence:?} block");
    }
}
