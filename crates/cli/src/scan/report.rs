//! The report: one JSON line per checked pair and per file not checked, or a summary table and
//! one text line per rejection, warning and file not checked; sorted by path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cert_preflight::{Naming, Profile};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Checked, Problem};
use crate::error::Error;
use crate::output::write_lines;
use crate::verdict::{JsonVerdict, json_line};

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
pub(super) struct Report {
    pub(super) profile: &'static Profile,
    pub(super) now: OffsetDateTime,
    pub(super) checked: Vec<Checked>,
    pub(super) problems: Vec<Problem>,
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// How a pair's details are written: the API's parameter names (a scan gives no options), and
/// the pair's files in the commands they suggest (`openssl pkcs12 -in FILE …`).
fn naming(pair: &Checked) -> Naming<'_> {
    let mut naming = Naming::API;
    if let Some(cert) = pair.cert.to_str() {
        naming = naming.with_certificate_file(cert);
    }
    if let Some(key) = pair.key.to_str() {
        naming = naming.with_private_key_file(key);
    }
    naming
}

impl Report {
    /// One line per pair and per problem, sorted by path (a pair by its certificate's).
    pub(super) fn write_json(&self) -> Result<(), Error> {
        let mut lines: Vec<(&Path, u8, String)> = Vec::new();
        for pair in &self.checked {
            let line = json_line(&JsonPair {
                cert: shown(&pair.cert),
                key: shown(&pair.key),
                domain_name: pair.domain.as_deref(),
                cert_name: &pair.cert_name,
                verdict: JsonVerdict::new(&pair.verdict, &naming(pair)),
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
        write_lines(lines.iter().map(|(_, _, line)| line.as_bytes()))
    }

    /// A summary table, then one line per rejected pair, per warning and per file not checked.
    pub(super) fn write_text(&self) -> Result<(), Error> {
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
                    answer.detail_named(&naming(pair))
                ));
            }
        }
        for pair in &self.checked {
            for warning in pair.verdict.warnings() {
                details.push(format!(
                    "WARNING  {}: [{}] {}\n",
                    pair.cert.display(),
                    warning.code(),
                    warning.detail_named(&naming(pair))
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
        write_lines(out.iter().map(String::as_bytes))
    }
}
