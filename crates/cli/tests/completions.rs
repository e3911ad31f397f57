//! `completions <SHELL>` as a user's shell runs it: the script is loaded into a real bash, fish
//! or zsh, a command line is completed as a TAB would, and the words offered are compared with
//! what the command takes. fish and zsh tests print a note and pass when the shell is not
//! installed; bash is required.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// What every shell offers: (the command line up to the cursor, the words offered, sorted).
const EVERY_SHELL: &[(&str, &[&str])] = &[
    ("cert-preflight ch", &["check"]),
    ("cert-preflight check --fo", &["--force-set", "--format"]),
    ("cert-preflight check --format ", &["json", "text"]),
    (
        "cert-preflight check --api c",
        &["cas", "cdn", "cdn-ssl", "clb"],
    ),
    ("cert-preflight request --st", &["--state"]),
    (
        "cert-preflight scan --",
        &[
            "--api",
            "--at",
            "--deny-warnings",
            "--fail-on-warning",
            "--format",
            "--help",
            "--jobs",
            "--max-cert-bytes",
            "--max-key-bytes",
            "--state",
            "--version",
            "--warn-days",
        ],
    ),
    ("cert-preflight serve --li", &["--listen"]),
];

/// The completion script of `shell`, written to a file in `dir`.
fn script(shell: &str, dir: &TempDir) -> PathBuf {
    let output = assert_cmd::Command::cargo_bin("cert-preflight")
        .unwrap()
        .args(["completions", shell])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{shell}");
    let path = dir.path().join(format!("cert-preflight.{shell}"));
    std::fs::write(&path, output.stdout).unwrap();
    path
}

/// A shell with a home of its own (no rc file, history or universal variable of the user's is
/// read or written), or `None` with a note when it is not installed.
fn shell(name: &str, home: &Path) -> Option<Command> {
    if Command::new(name).arg("--version").output().is_err() {
        // .ci/run installs both shells and asks for them: there, a missing shell fails.
        assert!(
            std::env::var_os("CERT_PREFLIGHT_REQUIRE_SHELLS").is_none(),
            "{name} is not installed and CERT_PREFLIGHT_REQUIRE_SHELLS is set"
        );
        eprintln!("note: {name} is not installed; its completion script was not exercised");
        return None;
    }
    let mut command = Command::new(name);
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_DATA_HOME", home)
        .env("XDG_CACHE_HOME", home)
        .env_remove("ZDOTDIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    Some(command)
}

/// Runs `command` to its end; a shell that waits for input it never gets is killed after a
/// minute and the test fails.
fn output(mut command: Command) -> Output {
    let mut child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut late = false;
    while child.try_wait().unwrap().is_none() {
        late = Instant::now() > deadline;
        if late {
            child.kill().unwrap();
        }
        sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(!late, "{command:?} did not end within a minute");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn sorted(mut words: Vec<String>) -> Vec<String> {
    words.sort();
    words.dedup();
    words
}

/// bash: the function that `complete -p cert-preflight` names is called as bash calls it
/// (command, current word, previous word; `COMP_WORDS`, `COMP_CWORD`), and `COMPREPLY` read.
const BASH_COMPLETE: &str = r#"
source "$1" || exit 3
spec=$(complete -p cert-preflight) || exit 4
fn=${spec#*-F }
fn=${fn%% *}
read -ra COMP_WORDS <<< "$2"
[[ $2 == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
"$fn" cert-preflight "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;

#[test]
fn bash_completes_subcommands_their_options_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = script("bash", &dir);
    let bash_only: &[(&str, &[&str])] = &[
        // Right after a subcommand, bash offers its options with its positional values.
        (
            "cert-preflight completions ",
            &[
                "--help",
                "--version",
                "-V",
                "-h",
                "bash",
                "elvish",
                "fish",
                "powershell",
                "zsh",
            ],
        ),
        ("cert-preflight help s", &["scan", "serve"]),
    ];
    for &(line, expected) in EVERY_SHELL.iter().chain(bash_only) {
        let mut bash = shell("bash", dir.path()).expect("bash is required");
        bash.args(["--norc", "--noprofile", "-c", BASH_COMPLETE, "bash"])
            .arg(&script)
            .arg(line);
        let offered = String::from_utf8(output(bash).stdout).unwrap();
        let offered = sorted(offered.lines().map(str::to_owned).collect());
        assert_eq!(offered, expected, "bash: {line:?}");
    }
}

#[test]
fn fish_completes_subcommands_their_options_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = script("fish", &dir);
    // clap_complete's fish script completes options only: no positional values (`completions
    // <TAB>` offers files) and no `help <TAB>`; those lines are not in the list.
    for &(line, expected) in EVERY_SHELL {
        let Some(mut fish) = shell("fish", dir.path()) else {
            return;
        };
        fish.args([
            "--no-config",
            "-c",
            "source $argv[1]; and complete --do-complete $argv[2]",
        ])
        .arg(&script)
        .arg(line);
        let offered = String::from_utf8(output(fish).stdout).unwrap();
        // Each line is the word, then a tab and its description.
        let offered = sorted(
            offered
                .lines()
                .map(|l| l.split('\t').next().unwrap().to_owned())
                .collect(),
        );
        assert_eq!(offered, expected, "fish: {line:?}");
    }
}

/// zsh completes only inside its line editor, so an interactive `zsh -f` runs on a
/// pseudo-terminal (zpty): it loads compinit and the script, `compadd` also prints each word it
/// is given between two `<hit/>` marks, TAB is bound to a widget that completes and then prints
/// `<done/>`, and each line is typed (on an emptied line) with a TAB; what the terminal showed
/// for each is printed after a `<line/>` mark. The inner marks are written in pieces so the
/// terminal's echo of the commands never contains them.
const ZSH_COMPLETE: &str = r#"
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z 'PROMPT= RPROMPT= ; unsetopt beep; bindkey -e; autoload -U compinit && compinit -u -D'
zpty -w z "source ${(q)1}"
zpty -w z 'compadd() { local -a hits; local m="<hit""/>"; builtin compadd -A hits "$@"; builtin compadd "$@"; print -rl -- "$m"${^hits}"$m" }'
zpty -w z 'tab-then-done() { zle complete-word; print -r -- "<done""/>" }; zle -N tab-then-done; bindkey "^I" tab-then-done'
zpty -w z 'print -r -- "<ready""/>"'
local out line
zpty -r -m z out '*<ready/>*' || exit 5
for line in "${@[2,-1]}"; do
    zpty -w -n z $'\C-u'"$line"$'\t'
    zpty -r -m z out '*<done/>*' || exit 5
    print -r -- "<line/>$out"
done
zpty -d z
"#;

#[test]
fn zsh_completes_subcommands_their_options_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let script = script("zsh", &dir);
    let zsh_only: &[(&str, &[&str])] = &[
        (
            "cert-preflight completions ",
            &["bash", "elvish", "fish", "powershell", "zsh"],
        ),
        ("cert-preflight help s", &["scan", "serve"]),
    ];
    let cases: Vec<_> = EVERY_SHELL.iter().chain(zsh_only).collect();
    let Some(mut zsh) = shell("zsh", dir.path()) else {
        return;
    };
    zsh.args(["-f", "-c", ZSH_COMPLETE, "zsh"])
        .arg(&script)
        .args(cases.iter().map(|(line, _)| line));
    let screen = String::from_utf8_lossy(&output(zsh).stdout).into_owned();
    let screens: Vec<&str> = screen.split("<line/>").skip(1).collect();
    assert_eq!(screens.len(), cases.len(), "{screen:?}");
    for (&&(line, expected), screen) in cases.iter().zip(screens) {
        // Between the marks: "…<hit/>--format<hit/>\r\n"; `compadd` may see a word twice.
        let offered = sorted(
            screen
                .split("<hit/>")
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect(),
        );
        assert_eq!(offered, expected, "zsh: {line:?}: {screen:?}");
    }
}
