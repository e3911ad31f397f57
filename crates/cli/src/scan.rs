//! `scan`: find certificate/key pairs in certbot, acme.sh and plain trees and check each one as
//! an upload, in parallel (issue 7). Everything here is file-system work and reporting; the
//! checks are the library's `validate`. Three parts: `walk` lists the folders, applies the link
//! policy, reads each pair and checks it; `pairing` finds the pairs of one folder's listing
//! (no I/O); `report` prints what became of them. This file drives them and sets the exit status.
//!
//! Layouts, in the order they are tried in each folder:
//! - certbot: `live/<name>/fullchain.pem` + `privkey.pem` (the folder's parent is `live`);
//! - acme.sh: `<domain>[_ecc]/fullchain.cer` + `<domain>.key`;
//! - plain: `X.crt`, `X.pem` or `X.cer` with `X.key` in the same folder.
//!
//! Symbolic links: linked folders are never entered; a linked file of a pair is read only when
//! its target lies inside one of the scanned roots, or, for certbot's files, inside the certbot
//! tree that holds `live/` (certbot links `live/<name>/*.pem` to `archive/<name>/*N.pem`).

use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use cert_preflight::Verdict;
use clap::Args;
use rayon::prelude::*;

use crate::common::{Common, Format};
use crate::error::Error;
use crate::input::load_state;
use crate::verdict;

mod pairing;
mod walk;

mod report;

/// `--format`'s help for `scan`.
const FORMAT_HELP: &str = "Output format: text (a summary table, then one line per rejected pair, \
                           per warning and per file not checked) or json (JSON Lines: one line \
                           per checked pair and per file not checked, sorted by path)";

/// The exit statuses, at the end of `scan --help`.
pub(crate) const EXIT_STATUS: &str = concat!(
    "Exit status:
  0  every checked pair accepted (unpaired, unreadable and unfollowed files are reported only)
  1  a pair rejected with a catalog code, or accepted with warnings under --fail-on-warning
  2  usage or I/O error, or no pair checked (none found, or none readable)
",
    crate::output::closed_stdout_help!()
);

#[derive(Args)]
#[command(mut_arg("api", |api| api.required(true)), mut_arg("format", |f| f.help(FORMAT_HELP)))]
pub(crate) struct ScanArgs {
    /// Folders to search: certbot's folder (e.g. /etc/letsencrypt) or its live/, acme.sh's home
    /// (e.g. ~/.acme.sh), or any folder holding X.crt|X.pem|X.cer + X.key pairs.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
    /// Check this many pairs at once (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<NonZeroUsize>,
}

/// Why a file found by the scan was not checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ProblemKind {
    /// A private key with no certificate next to it.
    UnpairedKey,
    /// A certificate whose layout says a key belongs next to it, and there is none.
    UnpairedCertificate,
    /// A file (or folder) that could not be read.
    Unreadable,
    /// A symbolic link that leads out of the scanned roots, or to a folder.
    NotFollowed,
}

impl ProblemKind {
    fn code(self) -> &'static str {
        match self {
            ProblemKind::UnpairedKey => "UnpairedKey",
            ProblemKind::UnpairedCertificate => "UnpairedCertificate",
            ProblemKind::Unreadable => "Unreadable",
            ProblemKind::NotFollowed => "NotFollowed",
        }
    }
}

/// A file that was not checked, and why.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    file: PathBuf,
    kind: ProblemKind,
    detail: String,
}

impl Problem {
    fn new(file: PathBuf, kind: ProblemKind, detail: impl Into<String>) -> Problem {
        Problem {
            file,
            kind,
            detail: detail.into(),
        }
    }
}

/// A pair that was checked.
struct Checked {
    cert: PathBuf,
    key: PathBuf,
    domain: Option<String>,
    cert_name: String,
    verdict: Verdict,
}

/// What became of one pair or file.
enum Outcome {
    /// A pair, checked.
    Checked(Checked),
    /// A pair that could not be checked: one problem per unusable file.
    NotChecked(Vec<Problem>),
    /// A file or folder that is not part of a pair that could be checked.
    Problem(Problem),
}

pub(crate) fn scan(args: ScanArgs) -> Result<ExitCode, Error> {
    let common = &args.common;
    let profile = common
        .api
        .ok_or_else(|| Error::Usage("--api is required".to_owned()))?;
    let state = load_state(common.state.as_deref())?;
    let roots = walk::canonical_roots(&args.paths)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, NonZeroUsize::get))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the worker threads: {e}")))?;
    let scan = walk::Scan {
        roots: roots.iter().map(|(_, real)| real.clone()).collect(),
        profile,
        options: common.options(),
        state: state.as_ref(),
        bar: walk::progress_bar(),
    };
    let outcomes: Vec<Outcome> = pool.install(|| {
        roots
            .into_par_iter()
            .flat_map_iter(|(given, real)| scan.visit(given, real))
            .collect()
    });
    scan.bar.finish_and_clear();

    let mut found_pairs = 0_usize;
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Checked(pair) => {
                found_pairs += 1;
                checked.push(pair);
            }
            Outcome::NotChecked(mut more) => {
                found_pairs += 1;
                problems.append(&mut more);
            }
            Outcome::Problem(problem) => problems.push(problem),
        }
    }
    checked.sort_by(|a, b| (&a.cert, &a.key).cmp(&(&b.cert, &b.key)));
    problems.sort();
    problems.dedup();

    let report = report::Report {
        profile,
        now: scan.options.now,
        checked,
        problems,
    };
    match common.format {
        Format::Json => report.write_json()?,
        Format::Text => report.write_text()?,
    }
    if report.checked.is_empty() {
        let roots = args
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Error::Usage(if found_pairs == 0 {
            format!("no certificate/key pair found under {roots}")
        } else {
            format!("none of the {found_pairs} pair(s) found under {roots} could be read")
        }));
    }
    Ok(verdict::exit_status(
        report.checked.iter().map(|c| &c.verdict),
        common.fail_on_warning,
    ))
}
