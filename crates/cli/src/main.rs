//! The `cert-preflight` command line: `check`, `request`, `codes` and
//! `scan` (whole certificate trees).
//!
//! Exit status: 0 accepted, 1 rejected with a catalog code, 2 usage or I/O error.
//!
//! Modules, top to bottom: the flags every checking command shares (`common`), the files they
//! read (`input`), standard output (`output`), a verdict's JSON and text (`verdict`), the
//! commands (`check`, `codes`, `scan`), and the ways a command fails (`error`).

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

mod common;
mod input;
mod output;
mod verdict;

mod check;
mod codes;
mod scan;
mod serve;

mod generate;

mod error;

use error::Error;

#[derive(Parser)]
#[command(
    name = "cert-preflight",
    version,
    propagate_version = true,
    about = "Check a certificate chain and private key the way Alibaba Cloud checks an HTTPS \
             upload, offline, and answer with the exact error code the service would return.",
    long_about = None,
    after_help = concat!(
        "Exit status: 0 accepted, 1 rejected with a catalog code, 2 usage or I/O error.\n",
        output::closed_stdout_help!()
    )
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a certificate chain and private key given as files.
    #[command(display_name = "cert-preflight", after_help = check::EXIT_STATUS)]
    Check(check::CheckArgs),
    /// Check a raw request: a URL or query string as the SDKs send it (`-` reads standard input).
    #[command(display_name = "cert-preflight", after_help = check::EXIT_STATUS)]
    Request(check::RequestArgs),
    /// Print the error catalog: every code of the APIs' published error tables.
    #[command(display_name = "cert-preflight", after_help = codes::EXIT_STATUS)]
    Codes(codes::CodesArgs),
    /// Find certificate/key pairs in certbot, acme.sh and plain folders and check each one
    /// (exit 0 all accepted, 1 any rejected, 2 usage error or no pair checked).
    #[command(display_name = "cert-preflight", after_help = scan::EXIT_STATUS)]
    Scan(scan::ScanArgs),
    /// Print a shell completion script (e.g. `cert-preflight completions bash >
    /// /etc/bash_completion.d/cert-preflight`).
    #[command(display_name = "cert-preflight")]
    Completions(generate::CompletionsArgs),
    /// Print a manual page in roff (e.g. `cert-preflight man > cert-preflight.1`,
    /// `cert-preflight man check > cert-preflight-check.1`).
    #[command(display_name = "cert-preflight")]
    Man(generate::ManArgs),
    /// Serve the cloud APIs locally: the service's answers and state changes, offline
    /// (a local endpoint for SDKs, acme.sh, certd and Terraform).
    #[command(display_name = "cert-preflight")]
    Serve(serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    exit(match cli.command {
        Command::Check(args) => check::check(args),
        Command::Request(args) => check::request(args),
        Command::Codes(args) => codes::codes(&args),
        Command::Scan(args) => scan::scan(args),
        Command::Completions(args) => return generate::completions(&args, Cli::command()),
        Command::Man(args) => return generate::man(&args, Cli::command()),
        Command::Serve(args) => return serve::serve(args),
    })
}

/// The exit status of a command's result; a usage error is printed first.
fn exit(result: Result<ExitCode, Error>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(Error::Usage(message)) => {
            eprintln!("cert-preflight: {message}");
            ExitCode::from(2)
        }
    }
}
