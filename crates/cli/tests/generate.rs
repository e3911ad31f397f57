//! `completions <SHELL>` and `man [SUBCOMMAND]`: generated from the clap definition, printed on
//! standard output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use assert_cmd::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn completions_name_every_subcommand_and_the_apis() {
    let (status, bash, stderr) = run(&["completions", "bash"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert!(bash.starts_with("_cert_preflight() {\n"), "{bash}");
    // The function is registered for the command's real name (tests/completions.rs runs it).
    assert!(
        bash.ends_with(
            "    complete -F _cert_preflight -o nosort -o bashdefault -o default cert-preflight\n\
             else\n    complete -F _cert_preflight -o bashdefault -o default cert-preflight\nfi\n"
        ),
        "{bash}"
    );
    assert!(!bash.contains("__subcmd__preflight"), "{bash}");
    assert!(
        bash.contains(
            "            opts=\"-h -V --help --version check request codes scan completions man serve help\"\n"
        ),
        "{bash}"
    );
    assert!(
        bash.contains("                    COMPREPLY=($(compgen -W \"cdn live cdn-ssl dcdn vod cas clb\" -- \"${cur}\"))\n"),
        "{bash}"
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (status, script, _) = run(&["completions", shell]);
        assert_eq!(status, 0, "{shell}");
        for subcommand in ["check", "request", "codes", "scan"] {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).0, 2);
}

#[test]
fn man_pages_for_the_command_and_each_subcommand() {
    let version = env!("CARGO_PKG_VERSION");
    let (status, page, stderr) = run(&["man"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert!(
        page.contains(&format!(
            ".TH cert-preflight 1  \"cert-preflight {version}\" \n.SH NAME\n"
        )),
        "{page}"
    );
    for (subcommand, about) in [
        (
            "check",
            "Check a certificate chain and private key given as files",
        ),
        (
            "request",
            "Check a raw request: a URL or query string as the SDKs send it (`\\-` reads standard input)",
        ),
        (
            "codes",
            "Print the error catalog: every code of the APIs\\*(Aq published error tables",
        ),
        (
            "scan",
            "Find certificate/key pairs in certbot, acme.sh and plain folders and check each one (exit 0 all accepted, 1 any rejected, 2 usage error or no pair checked)",
        ),
    ] {
        assert!(
            page.contains(&format!(
                ".TP\ncert\\-preflight\\-{subcommand}(1)\n{about}\n"
            )),
            "{page} lacks {subcommand}"
        );
        let (status, sub_page, _) = run(&["man", subcommand]);
        assert_eq!(status, 0);
        assert!(
            sub_page.contains(&format!(
                ".TH cert-preflight-{subcommand} 1  \"cert-preflight {version}\" \n.SH NAME\ncert\\-preflight\\-{subcommand} \\- {about}\n.SH SYNOPSIS\n\\fBcert\\-preflight {subcommand}\\fR "
            )),
            "{sub_page}"
        );
    }
    assert_eq!(
        run(&["man", "nope"]),
        (
            2,
            String::new(),
            "cert-preflight: no subcommand \"nope\"; one of: check, request, codes, scan, completions, man, serve, help\n"
                .to_owned()
        )
    );
}
