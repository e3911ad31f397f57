//! `scan`: find certificate/key pairs in certbot, acme.sh and plain trees and check each one as
//! an upload, in parallel (issue 7). Everything here is file-system work and reporting; the
//! checks are the library's `validate`.
//!
//! Layouts, in the order they are tried in each folder:
//! - certbot: `live/<name>/fullchain.pem` + `privkey.pem` (the folder's parent is `live`);
//! - acme.sh: `<domain>[_ecc]/fullchain.cer` + `<domain>.key`;
//! - plain: `X.crt`, `X.pem` or `X.cer` with `X.key` in the same folder.
//!
//! Symbolic links: linked folders are never entered; a linked file of a pair is read only when
//! its target lies inside one of the scanned roots, or, for certbot's files, inside the certbot
//! tree that holds `live/` (certbot links `live/<name>/*.pem` to `archive/<name>/*N.pem`).

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::fs::{self, FileType};
use std::io::{self, IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cert_preflight::{Options, Profile, Request, Verdict, validate};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use super::{Api, Format, JsonVerdict, UsageError, json_verdict, parse_time, read_file};

/// The longest `CertName` the service takes, in Unicode scalar values (contract row 5).
const MAX_CERT_NAME_CHARS: usize = 128;

/// ACME account keys that acme.sh keeps next to its certificates; never a certificate's key.
const ACCOUNT_KEY: &str = "account.key";

#[derive(Args)]
pub(super) struct ScanArgs {
    /// Folders to search: certbot's folder (e.g. /etc/letsencrypt) or its live/, acme.sh's home
    /// (e.g. ~/.acme.sh), or any folder holding X.crt|X.pem|X.cer + X.key pairs.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// The API whose checks and error codes to use.
    #[arg(long, value_enum)]
    api: Api,
    /// Check at this time (RFC 3339, e.g. 2026-06-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    at: Option<OffsetDateTime>,
    /// Output format: a summary and one line per rejected pair, or one JSON object per line.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Check this many pairs at once (default: one per core).
    #[arg(long, value_name = "N")]
    jobs: Option<NonZeroUsize>,
    /// Warn when a certificate expires within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    warn_days: u32,
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

/// A certificate and a key found together, with the request parameters guessed for them.
struct Pair {
    cert: Member,
    key: Member,
    /// Where a symbolic link of this pair may lead besides the roots: certbot's tree.
    link_scope: Option<PathBuf>,
    domain: Option<String>,
    cert_name: String,
}

/// One file of a pair: its path as given (the root as typed, then the names found) and its type
/// as listed (a link is not followed by the listing).
struct Member {
    path: PathBuf,
    kind: FileType,
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

/// What every folder's visit needs: the roots (for the link policy) and the check's settings.
struct Scan {
    roots: Vec<PathBuf>,
    profile: &'static Profile,
    now: OffsetDateTime,
    warn_days: u32,
    bar: ProgressBar,
}

impl Scan {
    /// Lists `dir`, checks its pairs and visits its subfolders, in parallel: pairs are checked
    /// as soon as their folder is listed, so the walk is not a sequential phase.
    fn visit(&self, given: PathBuf, real: PathBuf) -> Vec<Outcome> {
        let entries = match list(&given) {
            Ok(entries) => entries,
            Err(e) => {
                return vec![Outcome::Problem(Problem::new(
                    given,
                    ProblemKind::Unreadable,
                    format!("the folder cannot be listed: {e}"),
                ))];
            }
        };
        let mut found = Found::default();
        found.find_pairs(&given, &real, &entries);
        let mut subfolders = Vec::new();
        for (name, kind) in &entries {
            if kind.is_dir() {
                subfolders.push((given.join(name), real.join(name)));
            } else if kind.is_symlink() {
                let path = given.join(name);
                if fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                    let target = fs::canonicalize(&path)
                        .map(|t| t.display().to_string())
                        .unwrap_or_default();
                    found.problems.push(Problem::new(
                        path,
                        ProblemKind::NotFollowed,
                        format!(
                            "a symbolic link to the folder {target}; linked folders are not entered"
                        ),
                    ));
                }
            }
        }
        self.bar
            .inc_length(u64::try_from(found.pairs.len()).unwrap_or(0));
        let mut outcomes: Vec<Outcome> = found.problems.into_iter().map(Outcome::Problem).collect();
        outcomes.par_extend(found.pairs.par_iter().map(|pair| {
            let outcome = check_pair(pair, &self.roots, self.profile, self.now, self.warn_days);
            self.bar.inc(1);
            outcome
        }));
        outcomes.par_extend(
            subfolders
                .into_par_iter()
                .flat_map_iter(|(given, real)| self.visit(given, real)),
        );
        outcomes
    }
}

pub(super) fn scan(args: ScanArgs) -> Result<ExitCode, UsageError> {
    let roots = canonical_roots(&args.paths)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, NonZeroUsize::get))
        .build()
        .map_err(|e| UsageError(format!("cannot start the worker threads: {e}")))?;
    let scan = Scan {
        roots: roots.iter().map(|(_, real)| real.clone()).collect(),
        profile: args.api.profile(),
        now: args.at.unwrap_or_else(OffsetDateTime::now_utc),
        warn_days: args.warn_days,
        bar: progress_bar(),
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

    let report = Report {
        profile: scan.profile,
        now: scan.now,
        checked,
        problems,
    };
    match args.format {
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
        return Err(UsageError(if found_pairs == 0 {
            format!("no certificate/key pair found under {roots}")
        } else {
            format!("none of the {found_pairs} pair(s) found under {roots} could be read")
        }));
    }
    Ok(if report.checked.iter().all(|c| c.verdict.is_accepted()) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Each root as given and as its real path; a root inside another one is dropped (its pairs
/// are found from the outer root), so no pair is checked twice.
fn canonical_roots(paths: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>, UsageError> {
    let mut roots: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in paths {
        let real =
            fs::canonicalize(path).map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
        if !real.is_dir() {
            return Err(UsageError(format!(
                "{}: not a folder; scan takes folders (use `check` for one pair)",
                path.display()
            )));
        }
        roots.push((path.clone(), real));
    }
    let all: Vec<PathBuf> = roots.iter().map(|(_, real)| real.clone()).collect();
    let mut kept: Vec<(PathBuf, PathBuf)> = Vec::new();
    for (index, (given, real)) in roots.into_iter().enumerate() {
        let inside_another = all.iter().enumerate().any(|(other, outer)| {
            other != index && real.starts_with(outer) && (real != *outer || other < index)
        });
        if !inside_another {
            kept.push((given, real));
        }
    }
    Ok(kept)
}

/// What the walk found: pairs to check and files that cannot be.
#[derive(Default)]
struct Found {
    pairs: Vec<Pair>,
    problems: Vec<Problem>,
}

impl Found {
    /// Finds the pairs of one folder: certbot, then acme.sh, then plain pairs among the files
    /// the first two did not take.
    fn find_pairs(&mut self, dir: &Path, real: &Path, entries: &BTreeMap<OsString, FileType>) {
        let name = real.file_name().and_then(OsStr::to_str).unwrap_or_default();
        let parent_name = real.parent().and_then(Path::file_name);
        let mut taken: BTreeSet<OsString> = BTreeSet::new();
        let member = |file: &OsStr| {
            entries.get(file).map(|&kind| Member {
                path: dir.join(file),
                kind,
            })
        };

        if parent_name == Some(OsStr::new("live")) {
            let cert = member(OsStr::new("fullchain.pem"));
            let key = member(OsStr::new("privkey.pem"));
            let tree = real.parent().and_then(Path::parent).map(Path::to_path_buf);
            let files = ("fullchain.pem", "privkey.pem");
            self.pair_or_unpaired((cert, key), "certbot", files, |cert, key| Pair {
                cert,
                key,
                link_scope: tree,
                domain: guess_domain(strip_certbot_suffix(name)),
                cert_name: cert_name(name, "fullchain.pem"),
            });
            taken.extend(["fullchain.pem", "privkey.pem"].map(OsString::from));
        }

        // acme.sh names its folders after domains: a name that is empty (the root `/`) or not
        // UTF-8 is not one.
        if !name.is_empty() && entries.contains_key(OsStr::new("fullchain.cer")) {
            let domain = name.strip_suffix("_ecc").unwrap_or(name);
            let key_name = format!("{domain}.key");
            let acme_files = [
                "fullchain.cer".to_owned(),
                key_name.clone(),
                format!("{domain}.cer"),
                format!("{domain}.conf"),
                "ca.cer".to_owned(),
            ];
            let is_acme = acme_files
                .iter()
                .skip(1)
                .take(3)
                .any(|f| entries.contains_key(OsStr::new(f)));
            if is_acme {
                let cert = member(OsStr::new("fullchain.cer"));
                let key = member(OsStr::new(&key_name));
                let files = ("fullchain.cer", key_name.as_str());
                self.pair_or_unpaired((cert, key), "acme.sh", files, |cert, key| Pair {
                    cert,
                    key,
                    link_scope: None,
                    domain: guess_domain(domain),
                    cert_name: cert_name(name, "fullchain.cer"),
                });
                taken.extend(acme_files.map(OsString::from));
            }
        }

        for file in entries.keys() {
            let path = Path::new(file);
            if path.extension() != Some(OsStr::new("key")) || taken.contains(file) {
                continue;
            }
            let Some(stem) = path.file_stem() else {
                continue;
            };
            let mut paired = false;
            for extension in ["crt", "pem", "cer"] {
                let mut cert_file = stem.to_os_string();
                cert_file.push(".");
                cert_file.push(extension);
                if taken.contains(&cert_file) {
                    continue;
                }
                let (Some(cert), Some(key)) = (member(&cert_file), member(file)) else {
                    continue;
                };
                let stem_text = stem.to_string_lossy();
                self.pairs.push(Pair {
                    cert,
                    key,
                    link_scope: None,
                    domain: guess_domain(&stem_text),
                    cert_name: cert_name(&stem_text, &cert_file.to_string_lossy()),
                });
                paired = true;
            }
            if !paired && file != ACCOUNT_KEY {
                let stem = stem.to_string_lossy();
                self.problems.push(Problem::new(
                    dir.join(file),
                    ProblemKind::UnpairedKey,
                    format!("a private key without a certificate: no {stem}.crt, {stem}.pem or {stem}.cer next to it"),
                ));
            }
        }
    }

    /// Records a layout's pair, or the half that is there as unpaired.
    fn pair_or_unpaired(
        &mut self,
        (cert, key): (Option<Member>, Option<Member>),
        layout: &str,
        (cert_file, key_file): (&str, &str),
        pair: impl FnOnce(Member, Member) -> Pair,
    ) {
        match (cert, key) {
            (Some(cert), Some(key)) => self.pairs.push(pair(cert, key)),
            (Some(cert), None) => self.problems.push(Problem::new(
                cert.path,
                ProblemKind::UnpairedCertificate,
                format!("a certificate without its private key: no {key_file} next to it ({layout} layout)"),
            )),
            (None, Some(key)) => self.problems.push(Problem::new(
                key.path,
                ProblemKind::UnpairedKey,
                format!("a private key without a certificate: no {cert_file} next to it ({layout} layout)"),
            )),
            (None, None) => {}
        }
    }
}

/// A folder's entries by name, with their types as listed (links not followed).
fn list(dir: &Path) -> io::Result<BTreeMap<OsString, FileType>> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.insert(entry.file_name(), entry.file_type()?);
    }
    Ok(entries)
}

/// Certbot names a second lineage for the same name `<name>-0001`: the domain is `<name>`.
fn strip_certbot_suffix(name: &str) -> &str {
    match name.rsplit_once('-') {
        Some((base, suffix)) if suffix.len() == 4 && suffix.bytes().all(|b| b.is_ascii_digit()) => {
            base
        }
        _ => name,
    }
}

/// `DomainName` guessed from a folder name or file stem, when it looks like a domain name: two
/// labels or more of letters, digits, `-` and `_`, the last starting with a letter and without
/// `_`, at most 253 bytes as sent. A wildcard (`*.example.com`) is written as the service writes
/// it, `.example.com`. Anything else gives no `DomainName`, so a guess never turns into a
/// parameter error.
fn guess_domain(name: &str) -> Option<String> {
    let (wildcard, base) = match name.strip_prefix("*.").or_else(|| name.strip_prefix('.')) {
        Some(base) => (true, base),
        None => (false, name),
    };
    let labels: Vec<&str> = base.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    let tld_ok = labels.last().is_some_and(|tld| {
        tld.chars().next().is_some_and(char::is_alphabetic) && !tld.contains('_')
    });
    let domain = if wildcard {
        format!(".{base}")
    } else {
        base.to_owned()
    };
    (labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok && domain.len() <= 253)
        .then_some(domain)
}

/// `CertName` from a folder name or file stem, cut to the service's 128 characters; a name of
/// white space only (which live would answer as a missing `CertName`) is replaced by `fallback`,
/// the certificate's file name.
fn cert_name(name: &str, fallback: &str) -> String {
    let name = if name.trim().is_empty() {
        fallback
    } else {
        name
    };
    name.chars().take(MAX_CERT_NAME_CHARS).collect()
}

/// A progress bar on standard error when it is a terminal; its length grows as folders are
/// listed.
fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} pairs, {per_sec}, {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

/// Why a file of a pair cannot be used.
type Unusable = (ProblemKind, String);

/// The path to open for a member: the file itself, or a link's target when it stays inside the
/// roots (or `scope`, certbot's tree). Only regular files are opened: a FIFO would block.
fn usable(member: &Member, roots: &[PathBuf], scope: Option<&Path>) -> Result<PathBuf, Unusable> {
    if member.kind.is_file() {
        return Ok(member.path.clone());
    }
    if member.kind.is_dir() {
        return Err((ProblemKind::Unreadable, "a folder, not a file".to_owned()));
    }
    if !member.kind.is_symlink() {
        return Err((
            ProblemKind::Unreadable,
            "not a regular file (a FIFO, socket or device); not opened".to_owned(),
        ));
    }
    let link = fs::read_link(&member.path)
        .map(|t| t.display().to_string())
        .unwrap_or_default();
    let target = fs::canonicalize(&member.path).map_err(|e| {
        (
            ProblemKind::Unreadable,
            format!("a symbolic link to {link}, which cannot be resolved: {e}"),
        )
    })?;
    let inside = roots.iter().any(|root| target.starts_with(root))
        || scope.is_some_and(|tree| target.starts_with(tree));
    if !inside {
        let allowed = if scope.is_some() {
            "the scanned folders and the certbot tree"
        } else {
            "the scanned folders"
        };
        return Err((
            ProblemKind::NotFollowed,
            format!(
                "a symbolic link to {}, outside {allowed}; not followed",
                target.display()
            ),
        ));
    }
    match fs::metadata(&target) {
        Ok(meta) if meta.is_file() => Ok(target),
        Ok(meta) if meta.is_dir() => Err((
            ProblemKind::Unreadable,
            format!(
                "a symbolic link to the folder {}, not a file",
                target.display()
            ),
        )),
        Ok(_) => Err((
            ProblemKind::Unreadable,
            format!(
                "a symbolic link to {}, which is not a regular file; not opened",
                target.display()
            ),
        )),
        Err(e) => Err((
            ProblemKind::Unreadable,
            format!("{}: {e}", target.display()),
        )),
    }
}

/// Reads a file with `check`'s 64 MiB cap; the key's bytes are wiped when dropped.
fn read(path: &Path) -> Result<Zeroizing<Vec<u8>>, Unusable> {
    // Scan never reads standard input: a path `-` is an error, not stdin.
    let mut stdin_used = true;
    read_file(path, &mut stdin_used)
        .map(Zeroizing::new)
        .map_err(|UsageError(message)| {
            let prefix = format!("{}: ", path.display());
            let reason = message.strip_prefix(&prefix).unwrap_or(&message);
            (ProblemKind::Unreadable, format!("cannot be read: {reason}"))
        })
}

/// The problems of a pair that was not checked: one per unusable file, naming the other file.
fn not_checked(pair: &Pair, cert: Option<Unusable>, key: Option<Unusable>) -> Outcome {
    let mut problems = Vec::new();
    for (unusable, file, other) in [(cert, &pair.cert, &pair.key), (key, &pair.key, &pair.cert)] {
        if let Some((kind, reason)) = unusable {
            problems.push(Problem::new(
                file.path.clone(),
                kind,
                format!(
                    "{reason}; the pair with {} was not checked",
                    other.path.display()
                ),
            ));
        }
    }
    Outcome::NotChecked(problems)
}

/// Checks one pair as an upload with the switch on.
fn check_pair(
    pair: &Pair,
    roots: &[PathBuf],
    profile: &Profile,
    now: OffsetDateTime,
    warn_days: u32,
) -> Outcome {
    let scope = pair.link_scope.as_deref();
    let (cert_path, key_path) = match (
        usable(&pair.cert, roots, scope),
        usable(&pair.key, roots, scope),
    ) {
        (Ok(cert), Ok(key)) => (cert, key),
        (cert, key) => return not_checked(pair, cert.err(), key.err()),
    };
    let (mut cert, mut key) = match (read(&cert_path), read(&key_path)) {
        (Ok(cert), Ok(key)) => (cert, key),
        (cert, key) => return not_checked(pair, cert.err(), key.err()),
    };
    let mut request = Request::upload(std::mem::take(&mut *cert), std::mem::take(&mut *key))
        .with_cert_name(pair.cert_name.as_str());
    if let Some(domain) = &pair.domain {
        request = request.with_domain(domain.as_str());
    }
    let options = Options::at(now).with_expiry_warning_days(warn_days);
    let verdict = match validate(profile, &request, &options) {
        Ok(verdict) => verdict,
        // Scan gives no state, so no store can fail; answer like an unreadable pair if one did.
        Err(error) => {
            return Outcome::NotChecked(vec![Problem::new(
                pair.cert.path.clone(),
                ProblemKind::Unreadable,
                error.to_string(),
            )]);
        }
    };
    Outcome::Checked(Checked {
        cert: pair.cert.path.clone(),
        key: pair.key.path.clone(),
        domain: pair.domain.clone(),
        cert_name: pair.cert_name.clone(),
        verdict,
    })
}

/// One JSON line per checked pair: where the files are, what was sent for them, and the
/// verdict in `check --format json`'s shape.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonPair<'a> {
    cert: String,
    key: String,
    domain_name: Option<&'a str>,
    cert_name: &'a str,
    #[serde(flatten)]
    verdict: JsonVerdict,
}

/// One JSON line per file that was not checked.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonProblem<'a> {
    file: String,
    problem: &'static str,
    detail: &'a str,
}

/// Everything a scan found, sorted by path.
struct Report {
    profile: &'static Profile,
    now: OffsetDateTime,
    checked: Vec<Checked>,
    problems: Vec<Problem>,
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn json_line(value: &impl Serialize) -> Result<String, UsageError> {
    let mut line = serde_json::to_string(value).map_err(|e| UsageError(e.to_string()))?;
    line.push('\n');
    Ok(line)
}

impl Report {
    /// One line per pair and per problem, sorted by path (a pair by its certificate's).
    fn write_json(&self) -> Result<(), UsageError> {
        let mut lines: Vec<(&Path, u8, String)> = Vec::new();
        for pair in &self.checked {
            let line = json_line(&JsonPair {
                cert: shown(&pair.cert),
                key: shown(&pair.key),
                domain_name: pair.domain.as_deref(),
                cert_name: &pair.cert_name,
                verdict: json_verdict(&pair.verdict),
            })?;
            lines.push((&pair.cert, 0, line));
        }
        for problem in &self.problems {
            let line = json_line(&JsonProblem {
                file: shown(&problem.file),
                problem: problem.kind.code(),
                detail: &problem.detail,
            })?;
            lines.push((&problem.file, 1, line));
        }
        // Stable: pairs with the same certificate keep their key order.
        lines.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        write_lines(lines.iter().map(|(_, _, line)| line.as_str()))
    }

    /// A summary table, then one line per rejected pair, per warning and per file not checked.
    fn write_text(&self) -> Result<(), UsageError> {
        let accepted = self
            .checked
            .iter()
            .filter(|c| c.verdict.is_accepted())
            .count();
        let rejected = self.checked.len() - accepted;
        let mut table: BTreeMap<(u8, &str), usize> = BTreeMap::new();
        for pair in &self.checked {
            if let Some(answer) = pair.verdict.answer() {
                *table.entry((0, answer.code())).or_default() += 1;
            }
            let codes: BTreeSet<&str> = pair.verdict.warnings().iter().map(|w| w.code()).collect();
            for code in codes {
                *table.entry((1, code)).or_default() += 1;
            }
        }
        for problem in &self.problems {
            *table.entry((2, problem.kind.code())).or_default() += 1;
        }
        let mut out = vec![format!(
            "{} pair(s) checked for {} at {}: {accepted} accepted, {rejected} rejected; {} file(s) not checked\n",
            self.checked.len(),
            self.profile.name(),
            self.now.format(&Rfc3339).unwrap_or_default(),
            self.problems.len(),
        )];
        let width = table.keys().map(|(_, code)| code.len()).max().unwrap_or(0);
        out.push(format!("  {:<8}  {:<width$}  {accepted}\n", "accepted", ""));
        for ((group, code), count) in &table {
            let group = ["rejected", "warning", "skipped"]
                .get(usize::from(*group))
                .copied()
                .unwrap_or_default();
            out.push(format!("  {group:<8}  {code:<width$}  {count}\n"));
        }
        let mut details = Vec::new();
        for pair in &self.checked {
            if let Some(answer) = pair.verdict.answer() {
                details.push(format!(
                    "REJECTED {} + {}: {} (HTTP {}): {}\n",
                    pair.cert.display(),
                    pair.key.display(),
                    answer.code(),
                    answer.http_status(),
                    answer.detail()
                ));
            }
        }
        for pair in &self.checked {
            for warning in pair.verdict.warnings() {
                details.push(format!(
                    "WARNING  {}: [{}] {warning}\n",
                    pair.cert.display(),
                    warning.code()
                ));
            }
        }
        for problem in &self.problems {
            details.push(format!(
                "SKIPPED  {}: [{}] {}\n",
                problem.file.display(),
                problem.kind.code(),
                problem.detail
            ));
        }
        if !details.is_empty() {
            out.push("\n".to_owned());
            out.append(&mut details);
        }
        write_lines(out.iter().map(String::as_str))
    }
}

fn write_lines<'a>(mut lines: impl Iterator<Item = &'a str>) -> Result<(), UsageError> {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    lines
        .try_for_each(|line| stdout.write_all(line.as_bytes()))
        .and_then(|()| stdout.flush())
        .map_err(|e| UsageError(format!("standard output: {e}")))
}

#[cfg(test)]
mod tests {
    use super::{cert_name, guess_domain, strip_certbot_suffix};

    #[test]
    fn domain_guesses() {
        for (name, guess) in [
            ("example.com", Some("example.com")),
            ("www.example.com", Some("www.example.com")),
            ("*.example.com", Some(".example.com")),
            (".example.com", Some(".example.com")),
            ("_.example.com", Some("_.example.com")),
            ("xn--fsqu00a.xn--0zwm56d", Some("xn--fsqu00a.xn--0zwm56d")),
            ("例子.测试", Some("例子.测试")),
            ("server", None),
            ("cert.2024", None),
            ("a..b", None),
            ("example.com.", None),
            ("my site.com", None),
            ("*.", None),
            ("", None),
            ("*.example.com_ecc", None),
        ] {
            assert_eq!(guess_domain(name).as_deref(), guess, "{name:?}");
        }
        let long = format!("{}.com", vec!["a".repeat(63); 4].join("."));
        assert_eq!(long.len(), 259);
        assert_eq!(guess_domain(&long), None);
        let a63 = "a".repeat(63);
        let max = format!("{a63}.{a63}.{a63}.{}.com", "a".repeat(57));
        assert_eq!(guess_domain(&max).map(|d| d.len()), Some(253));
        assert_eq!(
            guess_domain(&format!("*.{max}")),
            None,
            "254 bytes with the dot"
        );
    }

    #[test]
    fn certbot_suffix_and_cert_names() {
        assert_eq!(strip_certbot_suffix("example.com-0001"), "example.com");
        assert_eq!(strip_certbot_suffix("example.com-001"), "example.com-001");
        assert_eq!(strip_certbot_suffix("my-site.com"), "my-site.com");
        assert_eq!(cert_name("  ", "fullchain.pem"), "fullchain.pem");
        assert_eq!(cert_name(&"名".repeat(200), "x").chars().count(), 128);
        assert_eq!(cert_name("prod", "x"), "prod");
    }
}
