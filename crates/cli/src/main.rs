//! The `cert-preflight` command line: `check`, `request`, `codes` (contract section 6) and
//! `scan` (whole certificate trees, `cli/scan.rs`).
//!
//! Exit status: 0 accepted, 1 rejected with a catalog code, 2 usage or I/O error.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cert_preflight::{
    InMemoryState, Limits, Options, Profile, Request, Role, Value, Verdict, validate,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

mod scan;

/// The largest file read for a parameter. Larger files are an I/O error; anything between the
/// service's limit and this is read and answered with `InvalidCertificate.TooLong`.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "cert-preflight",
    version,
    about = "Check a certificate chain and private key the way Alibaba Cloud checks an HTTPS \
             upload, offline, and answer with the exact error code the service would return.",
    long_about = None,
    after_help = "Exit status: 0 accepted, 1 rejected with a catalog code, 2 usage or I/O error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a certificate chain and private key given as files.
    Check(CheckArgs),
    /// Check a raw request: a URL or query string as the SDKs send it (`-` reads standard input).
    Request(RequestArgs),
    /// Print the error catalog: every code of the APIs' published error tables.
    Codes(CodesArgs),
    /// Find certificate/key pairs in certbot, acme.sh and plain folders and check each one
    /// (exit 0 all accepted, 1 any rejected, 2 usage error or no pair checked).
    Scan(scan::ScanArgs),
    /// Serve the cloud APIs locally: the service's answers and state changes, offline.
    Serve(cert_preflight_serve::ServeArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Api {
    /// CDN SetDomainServerCertificate.
    Cdn,
    /// ApsaraVideo Live SetLiveDomainCertificate.
    Live,
}

impl Api {
    fn profile(self) -> &'static Profile {
        match self {
            Api::Cdn => &cert_preflight::CDN,
            Api::Live => &cert_preflight::LIVE,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    /// For people: the code, the message, the detail and what to do.
    Text,
    /// One JSON object (for `codes`: one array) on standard output.
    Json,
}

#[derive(Args)]
struct Common {
    /// The API whose checks and error codes to use.
    #[arg(long, value_enum)]
    api: Api,
    /// Check at this time (RFC 3339, e.g. 2026-06-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    at: Option<OffsetDateTime>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// JSON file with the domain's state, the stored certificates and faults (contract §7);
    /// without it the checks that need state are skipped.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Limit of the certificate parameter in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.certificate)]
    max_cert_bytes: usize,
    /// Limit of the private-key parameter in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.private_key)]
    max_key_bytes: usize,
    /// Warn when the certificate expires within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    warn_days: u32,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// DomainName: the domain the certificate is for (absent if not given).
    #[arg(long, value_name = "NAME")]
    domain: Option<String>,
    /// The HTTPS switch (ServerCertificateStatus / SSLProtocol), sent as given.
    #[arg(long, value_name = "on|off", default_value = "on")]
    status: String,
    /// File with the certificate chain in PEM, leaf first (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// File with the private key in PEM (`-` for standard input).
    #[arg(long, value_name = "FILE")]
    key: Option<PathBuf>,
    /// CertName: the name the certificate is stored under.
    #[arg(long, value_name = "NAME")]
    cert_name: Option<String>,
    /// CertType, sent as given: upload (the default), cas or free.
    #[arg(long, value_name = "upload|cas|free")]
    cert_type: Option<String>,
    /// ForceSet: 1 overwrites a certificate of the same name.
    #[arg(long, value_name = "VALUE")]
    force_set: Option<String>,
}

#[derive(Args)]
struct RequestArgs {
    #[command(flatten)]
    common: Common,
    /// The request: a URL (http://cdn.aliyuncs.com?Action=…) or a query string; `-` reads it
    /// from standard input.
    #[arg(value_name = "QUERY-OR-URL")]
    query: String,
}

#[derive(Args)]
struct CodesArgs {
    /// Only this API's codes.
    #[arg(long, value_enum)]
    api: Option<Api>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("not an RFC 3339 time ({e}); e.g. 2026-06-01T00:00:00Z"))
}

/// A usage or I/O error: printed on standard error, exit status 2.
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Request(args) => request(args),
        Command::Codes(args) => codes(&args),
        Command::Scan(args) => scan::scan(args),
        Command::Serve(args) => Ok(cert_preflight_serve::run(args)),
    };
    match result {
        Ok(code) => code,
        Err(UsageError(message)) => {
            eprintln!("cert-preflight: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads a parameter file (`-` is standard input), refusing files above `MAX_FILE_BYTES`.
fn read_file(path: &Path, stdin_used: &mut bool) -> Result<Vec<u8>, UsageError> {
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        if *stdin_used {
            return Err(UsageError(
                "standard input (-) can be read for one parameter only".to_owned(),
            ));
        }
        *stdin_used = true;
        io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| {
            // The length is only a hint (the cap still holds): it lets a small file be read in
            // one call instead of in doubling chunks, which `scan` does 20,000 times.
            let hint = f.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
            bytes.reserve(usize::try_from(hint).unwrap_or(0).saturating_add(1));
            f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)
        })
    };
    read.map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(UsageError(format!(
            "{}: larger than {MAX_FILE_BYTES} bytes; not a certificate or key file",
            path.display()
        )));
    }
    Ok(bytes)
}

fn load_state(path: Option<&Path>) -> Result<Option<InMemoryState>, UsageError> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
    InMemoryState::from_json(&text)
        .map(Some)
        .map_err(|e| UsageError(format!("{}: {e}", path.display())))
}

fn run(common: &Common, request: &Request) -> Result<ExitCode, UsageError> {
    let state = load_state(common.state.as_deref())?;
    let now = common.at.unwrap_or_else(OffsetDateTime::now_utc);
    let mut options = Options::at(now)
        .with_limits(Limits {
            certificate: common.max_cert_bytes,
            private_key: common.max_key_bytes,
        })
        .with_expiry_warning_days(common.warn_days);
    if let Some(state) = &state {
        options = options.with_state(state);
    }
    // A store that fails is an error of the call where the API has no code for it (exit 2).
    let verdict =
        validate(common.api.profile(), request, &options).map_err(|e| UsageError(e.to_string()))?;
    print_verdict(&verdict, common.format)?;
    Ok(if verdict.is_accepted() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check(args: CheckArgs) -> Result<ExitCode, UsageError> {
    let mut stdin_used = false;
    let certificate = args
        .cert
        .as_deref()
        .map(|p| read_file(p, &mut stdin_used))
        .transpose()?;
    let private_key = args
        .key
        .as_deref()
        .map(|p| read_file(p, &mut stdin_used))
        .transpose()?;
    let mut request = Request::new().with_switch(args.status);
    request.set(Role::Domain, args.domain.map(Value::from));
    request.set(Role::Certificate, certificate.map(Value::from));
    request.set(Role::PrivateKey, private_key.map(Value::from));
    request.set(Role::CertName, args.cert_name.map(Value::from));
    request.set(Role::CertType, args.cert_type.map(Value::from));
    request.set(Role::ForceSet, args.force_set.map(Value::from));
    run(&args.common, &request)
}

fn request(args: RequestArgs) -> Result<ExitCode, UsageError> {
    let raw = if args.query == "-" {
        let mut stdin_used = false;
        read_file(Path::new("-"), &mut stdin_used)?
    } else {
        args.query.into_bytes()
    };
    let request = Request::from_query(args.common.api.profile(), &raw)
        .map_err(|e| UsageError(e.to_string()))?;
    run(&args.common, &request)
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonCode {
    api: &'static str,
    code: &'static str,
    message: &'static str,
    http_status: u16,
}

fn codes(args: &CodesArgs) -> Result<ExitCode, UsageError> {
    let profiles: Vec<&Profile> = match args.api {
        Some(api) => vec![api.profile()],
        None => Profile::ALL.to_vec(),
    };
    let rows: Vec<JsonCode> = profiles
        .iter()
        .flat_map(|profile| {
            profile.catalog().iter().map(|entry| JsonCode {
                api: profile.name(),
                code: entry.code(),
                message: entry.message(),
                http_status: entry.http_status(),
            })
        })
        .collect();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            out = serde_json::to_string(&rows).map_err(|e| UsageError(e.to_string()))?;
            out.push('\n');
        }
        Format::Text => {
            let width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
            for row in &rows {
                out.push_str(&format!(
                    "{:<4}  {}  {:<width$}  {}\n",
                    row.api, row.http_status, row.code, row.message
                ));
            }
        }
    }
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

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

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonVerdict {
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

fn json_verdict(verdict: &Verdict) -> JsonVerdict {
    let answer = verdict.answer();
    JsonVerdict {
        accepted: verdict.is_accepted(),
        code: answer.map(|f| f.code()),
        message: answer.map(|f| f.message()),
        http_status: answer.map(|f| f.http_status()),
        detail: answer.map(|f| f.detail()),
        warnings: verdict
            .warnings()
            .iter()
            .map(|w| JsonWarning {
                code: w.code(),
                detail: w.to_string(),
            })
            .collect(),
        findings: verdict
            .findings()
            .iter()
            .map(|f| JsonFinding {
                code: f.code(),
                message: f.message(),
                http_status: f.http_status(),
                detail: f.detail(),
            })
            .collect(),
        skipped: verdict.skipped().iter().map(|s| s.code()).collect(),
    }
}

fn text_verdict(verdict: &Verdict) -> String {
    let mut out = String::new();
    match verdict.answer() {
        None => out.push_str("ACCEPTED: the service would take this certificate and key.\n"),
        Some(answer) => {
            out.push_str(&format!(
                "REJECTED: {} (HTTP {})\n  message: {}\n  detail:  {}\n",
                answer.code(),
                answer.http_status(),
                answer.message(),
                answer.detail()
            ));
            for finding in verdict.findings().iter().skip(1) {
                out.push_str(&format!(
                    "  also:    {} (HTTP {}): {}\n",
                    finding.code(),
                    finding.http_status(),
                    finding.detail()
                ));
            }
        }
    }
    for warning in verdict.warnings() {
        out.push_str(&format!("warning [{}]: {warning}\n", warning.code()));
    }
    if !verdict.skipped().is_empty() {
        let names: Vec<&str> = verdict.skipped().iter().map(|s| s.code()).collect();
        out.push_str(&format!(
            "skipped (no --state for them): {}\n",
            names.join(", ")
        ));
    }
    out
}

fn print_verdict(verdict: &Verdict, format: Format) -> Result<(), UsageError> {
    let out = match format {
        Format::Json => {
            let mut text = serde_json::to_string(&json_verdict(verdict))
                .map_err(|e| UsageError(e.to_string()))?;
            text.push('\n');
            text
        }
        Format::Text => text_verdict(verdict),
    };
    write_stdout(&out)
}

fn write_stdout(text: &str) -> Result<(), UsageError> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| UsageError(format!("standard output: {e}")))
}
