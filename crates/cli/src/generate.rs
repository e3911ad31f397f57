//! `completions` and `man`: a shell's completion script and the manual page, generated from the
//! clap definition and printed on standard output.

use std::process::ExitCode;

use clap::Args;
use clap_complete::Shell;

use crate::error::Error;
use crate::output::write_stdout;

#[derive(Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

/// Prints the completion script of `args.shell` for `command`.
pub(crate) fn completions(args: &CompletionsArgs, mut command: clap::Command) -> ExitCode {
    let name = command.get_name().to_owned();
    let script = match args.shell {
        Shell::Bash => bash_completions(&mut command, &name),
        shell => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, name, &mut out);
            out
        }
    };
    finish(write_stdout(&script))
}

/// clap_complete's bash script for `command`, registered for `name`.
///
/// The generator is given `name` without its hyphens: for a name with one it spells the state
/// of each subcommand two ways (`cmd="cert__preflight__subcmd__check"` where the matching
/// `case` label is `cert__subcmd__preflight__subcmd__check)`), so no subcommand's options were
/// ever offered (clap-rs/clap#6421). A name without hyphens is spelled one way throughout;
/// only the `complete` lines that register the function name the command, and they get `name`
/// back.
fn bash_completions(command: &mut clap::Command, name: &str) -> Vec<u8> {
    let stand_in = name.replace('-', "_");
    let mut out = Vec::new();
    clap_complete::generate(Shell::Bash, command, &stand_in, &mut out);
    String::from_utf8_lossy(&out)
        .replace(
            &format!(" -o default {stand_in}\n"),
            &format!(" -o default {name}\n"),
        )
        .into_bytes()
}

#[derive(Args)]
pub(crate) struct ManArgs {
    /// The subcommand whose page to print (cert-preflight-check(1) …); without it, the page of
    /// cert-preflight(1), which lists them.
    #[arg(value_name = "SUBCOMMAND")]
    subcommand: Option<String>,
}

/// Prints the manual page (roff) of `command` or of one of its subcommands.
pub(crate) fn man(args: &ManArgs, mut command: clap::Command) -> ExitCode {
    // Built, the subcommands have the version and `--version` they are given at run time.
    command.build();
    let page = match &args.subcommand {
        None => Ok(command),
        Some(name) => command
            .find_subcommand(name)
            .map(|sub| {
                sub.clone()
                    .display_name(format!("{}-{name}", command.get_name()))
                    .bin_name(format!("{} {name}", command.get_name()))
            })
            .ok_or_else(|| {
                let names: Vec<&str> = command
                    .get_subcommands()
                    .map(clap::Command::get_name)
                    .collect();
                Error::Usage(format!(
                    "no subcommand {name:?}; one of: {}",
                    names.join(", ")
                ))
            }),
    };
    let mut out = Vec::new();
    let rendered = page.and_then(|page| {
        clap_mangen::Man::new(page)
            .source(format!("cert-preflight {}", env!("CARGO_PKG_VERSION")))
            .render(&mut out)
            .map_err(|e| Error::Usage(format!("cannot render the manual page: {e}")))
    });
    finish(rendered.and_then(|()| write_stdout(&out)))
}

fn finish(result: Result<(), Error>) -> ExitCode {
    crate::exit(result.map(|()| ExitCode::SUCCESS))
}
