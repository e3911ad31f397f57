//! The walk: lists folders in parallel, applies the link policy to each pair's files, reads
//! them and checks the pair as soon as its folder is listed.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::{self, FileType};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use cert_preflight::{InMemoryState, Options, Profile, Request, StateView, validate_with};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use zeroize::Zeroizing;

use super::pairing::{Found, Member, Pair};
use super::{Checked, Outcome, Problem, ProblemKind};
use crate::error::Error;
use crate::input::read_file;

/// What every folder's visit needs: the roots (for the link policy) and the check's settings.
pub(super) struct Scan<'a> {
    pub(super) roots: Vec<PathBuf>,
    pub(super) profile: &'static Profile,
    /// The time, limits and warning window (plain values the threads share).
    pub(super) options: Options,
    pub(super) state: Option<&'a InMemoryState>,
    pub(super) bar: ProgressBar,
}

impl Scan<'_> {
    /// The state of one check: the shared state's parts that are known (`StateView` borrows
    /// trait objects without a `Sync` bound, so each thread makes its own).
    fn state(&self) -> StateView<'_> {
        self.state.map(StateView::of).unwrap_or_default()
    }

    /// Lists `dir`, checks its pairs and visits its subfolders, in parallel: pairs are checked
    /// as soon as their folder is listed, so the walk is not a sequential phase.
    pub(super) fn visit(&self, given: PathBuf, real: PathBuf) -> Vec<Outcome> {
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
            let outcome = check_pair(
                pair,
                &self.roots,
                self.profile,
                &self.options,
                &self.state(),
            );
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

/// Each root as given and as its real path; a root inside another one is dropped (its pairs
/// are found from the outer root), so no pair is checked twice.
pub(super) fn canonical_roots(paths: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let mut roots: Vec<(PathBuf, PathBuf)> = Vec::new();
    for path in paths {
        let real =
            fs::canonicalize(path).map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        if !real.is_dir() {
            return Err(Error::Usage(format!(
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

/// A folder's entries by name, with their types as listed (links not followed).
fn list(dir: &Path) -> io::Result<BTreeMap<OsString, FileType>> {
    let mut entries = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        entries.insert(entry.file_name(), entry.file_type()?);
    }
    Ok(entries)
}

/// A progress bar on standard error when it is a terminal; its length grows as folders are
/// listed.
pub(super) fn progress_bar() -> ProgressBar {
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
        .map_err(|message| {
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
    options: &Options,
    state: &StateView<'_>,
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
    // A pair is not a request: where no domain is known from its folder or file name, the
    // gateway's DomainName requirement is not applied (and the domain's checks are skipped).
    let without_domain;
    let profile = if pair.domain.is_none() && !profile.codes.required.is_empty() {
        let mut codes = profile.codes;
        codes.required = &[];
        without_domain = Profile { codes, ..*profile };
        &without_domain
    } else {
        profile
    };
    let verdict = match validate_with(profile, &request, options, state) {
        Ok(verdict) => verdict,
        // The in-memory state cannot fail; were a store to, the pair would not be checked.
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
