//! A verdict as the command line shows it: the JSON shape scripts read (one object for
//! `check` and `request`, the same fields in each `scan` line), the text for people, and the
//! exit status. Both write each finding's and each warning's detail (its `Display` text, named
//! by the command's [`Naming`]) beside its stable code, never a `Debug` form.

use std::process::ExitCode;

use cert_preflight::{Naming, Request, Role, Value, Verdict};
use serde::Serialize;

use crate::common::Format;
use crate::error::Error;
use crate::output::write_stdout;

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonFinding {
    code: &'static str,
    message: &'static str,
    http_status: u16,
    detail: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonWarning {
    code: &'static str,
    detail: String,
}

/// `{"Accepted":…,"Code","Message","HttpStatus","Detail","Warnings":[…],"Findings","Skipped"}`:
/// fields may be added, never renamed.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct JsonVerdict {
    accepted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    warnings: Vec<JsonWarning>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<JsonFinding>,
    skipped: Vec<&'static str>,
}

impl JsonVerdict {
    /// The verdict's JSON, its details written with `naming`.
    pub(crate) fn new(verdict: &Verdict, naming: &Naming<'_>) -> JsonVerdict {
        let answer = verdict.answer();
        JsonVerdict {
            accepted: verdict.is_accepted(),
            code: answer.map(|f| f.code()),
            message: answer.map(|f| f.message()),
            http_status: answer.map(|f| f.http_status()),
            detail: answer.map(|f| f.detail_named(naming)),
            warnings: verdict
                .warnings()
                .iter()
                .map(|w| JsonWarning {
                    code: w.code(),
                    detail: w.detail_named(naming),
                })
                .collect(),
            findings: verdict
                .findings()
                .iter()
                .map(|f| JsonFinding {
                    code: f.code(),
                    message: f.message(),
                    http_status: f.http_status(),
                    detail: f.detail_named(naming),
                })
                .collect(),
            skipped: verdict.skipped().iter().map(|s| s.code()).collect(),
        }
    }
}

/// `value` as one line of JSON.
pub(crate) fn json_line(value: &impl Serialize) -> Result<String, Error> {
    let mut line = serde_json::to_string(value).map_err(|e| Error::Usage(e.to_string()))?;
    line.push('\n');
    Ok(line)
}

/// What the service would do with `request`, accepted: take an upload's certificate and key,
/// turn HTTPS off (the switch absent or `off`: nothing else is checked then), or set a
/// certificate it already has (`CertType` `cas` or `free`, with no certificate or key given).
fn accepted(verdict: &Verdict, request: &Request) -> String {
    if verdict.upload().is_some() {
        return "ACCEPTED: the service would take this certificate and key.\n".to_owned();
    }
    let text = |role| request.get(role).and_then(Value::as_str);
    let domain = text(Role::Domain).map_or_else(String::new, |d| format!(" for {d}"));
    let what = match (text(Role::Switch), text(Role::CertType)) {
        (Some("on"), Some("cas")) => "set a certificate from the certificate service",
        // A regional API without a switch (clb), by a certificate-service id.
        (None, None)
            if request.get(Role::CertId).is_some() && request.get(Role::Region).is_some() =>
        {
            "use a certificate from the certificate service"
        }
        (Some("on"), Some("free")) => "set a free certificate of its own",
        (Some("on"), _) => "take this request",
        _ => "turn HTTPS off",
    };
    format!("ACCEPTED: the service would {what}{domain}.\n")
}

fn text(verdict: &Verdict, request: &Request, naming: &Naming<'_>, state_given: bool) -> String {
    let mut out = String::new();
    match verdict.answer() {
        None => out.push_str(&accepted(verdict, request)),
        Some(answer) => {
            out.push_str(&format!(
                "REJECTED: {} (HTTP {})\n  message: {}\n  detail:  {}\n",
                answer.code(),
                answer.http_status(),
                answer.message(),
                answer.detail_named(naming)
            ));
            for finding in verdict.findings().iter().skip(1) {
                out.push_str(&format!(
                    "  also:    {} (HTTP {}): {}\n",
                    finding.code(),
                    finding.http_status(),
                    finding.detail_named(naming)
                ));
            }
        }
    }
    for warning in verdict.warnings() {
        out.push_str(&format!(
            "warning [{}]: {}\n",
            warning.code(),
            warning.detail_named(naming)
        ));
    }
    if !verdict.skipped().is_empty() {
        let names: Vec<&str> = verdict.skipped().iter().map(|s| s.code()).collect();
        // Without --state, nothing the caller knows was given; with it, a part the file leaves
        // out is unknown (or the request names no domain to look up).
        let why = if state_given {
            "what they need is not in --state"
        } else {
            "no --state for them"
        };
        out.push_str(&format!("skipped ({why}): {}\n", names.join(", ")));
    }
    out
}

/// Prints the verdict on `request` (`check`, `request`), its details written with `naming`;
/// `state_given` says whether `--state` was (it words the skipped checks' reason).
pub(crate) fn print(
    verdict: &Verdict,
    request: &Request,
    format: Format,
    naming: &Naming<'_>,
    state_given: bool,
) -> Result<(), Error> {
    let out = match format {
        Format::Json => json_line(&JsonVerdict::new(verdict, naming))?,
        Format::Text => text(verdict, request, naming, state_given),
    };
    write_stdout(out.as_bytes())
}

/// Whether a verdict passes: accepted, and without warnings under `--fail-on-warning`.
pub(crate) fn passes(verdict: &Verdict, fail_on_warning: bool) -> bool {
    verdict.is_accepted() && (!fail_on_warning || verdict.warnings().is_empty())
}

/// Exit status 0 when every verdict passes, 1 otherwise.
pub(crate) fn exit_status<'a>(
    verdicts: impl IntoIterator<Item = &'a Verdict>,
    fail_on_warning: bool,
) -> ExitCode {
    if verdicts
        .into_iter()
        .all(|verdict| passes(verdict, fail_on_warning))
    {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
