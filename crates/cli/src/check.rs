//! `check` (parameters from flags and files) and `request` (a raw request): one verdict each.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cert_preflight::{Profile, Request, Value, validate};
use clap::Args;

use crate::common::{Common, profile_named};
use crate::error::Error;
use crate::input::{load_state, read_file};
use crate::verdict;

/// The exit statuses, at the end of `check --help` and `request --help`.
pub(crate) const EXIT_STATUS: &str = "Exit status:
  0  accepted
  1  rejected with a catalog code, or accepted with warnings under --fail-on-warning
  2  usage or I/O error (a bad flag, a file that cannot be read, a malformed --state file)
A closed standard output (… | head -1) ends the command quietly with status 0.";

/// `--format`'s help for the commands that print one verdict.
const FORMAT_HELP: &str = "Output format: text for people, or json: one JSON object on standard \
                           output ({\"Accepted\":…,\"Code\",\"Message\",\"HttpStatus\",\"Detail\",\
                           \"Warnings\":[…],…})";

#[derive(Args)]
#[command(mut_arg("api", |api| api.required(true)), mut_arg("format", |f| f.help(FORMAT_HELP)))]
pub(crate) struct CheckArgs {
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
#[command(mut_arg("format", |f| f.help(FORMAT_HELP)))]
pub(crate) struct RequestArgs {
    #[command(flatten)]
    common: Common,
    /// The request: a URL (http://cdn.aliyuncs.com?Action=…) or a query string; `-` reads it
    /// from standard input. Without --api, its Action names the API.
    #[arg(value_name = "QUERY-OR-URL")]
    query: String,
}

/// Checks `request` with `profile` and prints the verdict.
fn run(common: &Common, profile: &Profile, request: &Request) -> Result<ExitCode, Error> {
    let state = load_state(common.state.as_deref())?;
    let mut options = common.options();
    if let Some(state) = &state {
        options = options.with_state(state);
    }
    let verdict = validate(profile, request, &options);
    verdict::print(&verdict, common.format)?;
    Ok(verdict::exit_status([&verdict], common.fail_on_warning))
}

/// The profile of `--api`, which clap requires where this is called.
fn required_api(common: &Common) -> Result<&'static Profile, Error> {
    common
        .api
        .ok_or_else(|| Error::Usage("--api is required".to_owned()))
}

pub(crate) fn check(args: CheckArgs) -> Result<ExitCode, Error> {
    let profile = required_api(&args.common)?;
    let mut stdin_used = false;
    let mut read = |path: Option<&Path>| {
        path.map(|p| read_file(p, &mut stdin_used))
            .transpose()
            .map_err(Error::Usage)
    };
    let certificate = read(args.cert.as_deref())?;
    let private_key = read(args.key.as_deref())?;
    let mut request = Request::new().with_switch(args.status);
    request.domain_name = args.domain.map(Value::from);
    request.certificate = certificate.map(Value::from);
    request.private_key = private_key.map(Value::from);
    request.cert_name = args.cert_name.map(Value::from);
    request.cert_type = args.cert_type.map(Value::from);
    request.force_set = args.force_set.map(Value::from);
    run(&args.common, profile, &request)
}

pub(crate) fn request(args: RequestArgs) -> Result<ExitCode, Error> {
    let raw = if args.query == "-" {
        read_file(Path::new("-"), &mut false).map_err(Error::Usage)?
    } else {
        args.query.into_bytes()
    };
    let profile = match args.common.api {
        Some(profile) => profile,
        None => profile_of_action(&raw)?,
    };
    let request = Request::from_query(profile, &raw).map_err(|e| Error::Usage(e.to_string()))?;
    run(&args.common, profile, &request)
}

/// The profile a raw request's `Action` names (its Action or short name, in any case), for
/// `request` without `--api`.
fn profile_of_action(raw: &[u8]) -> Result<&'static Profile, Error> {
    let names = || {
        Profile::ALL
            .iter()
            .map(|p| format!("{} ({})", p.action(), p.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(action) = action(raw) else {
        return Err(Error::Usage(format!(
            "the request has no Action parameter; name the API with --api: {}",
            names()
        )));
    };
    let action = String::from_utf8_lossy(&action);
    profile_named(&action).ok_or_else(|| {
        Error::Usage(format!(
            "the request's Action is {action:?}, which is none of {}; or name the API with --api",
            names()
        ))
    })
}

/// The first `Action` parameter of a URL or query string, percent-decoded.
fn action(raw: &[u8]) -> Option<Vec<u8>> {
    let raw = raw.trim_ascii();
    // A URL's query follows its `?` and ends at its `#`; a query string is all query.
    let is_url =
        raw.starts_with(b"http://") || raw.starts_with(b"https://") || raw.starts_with(b"/");
    let query = if is_url || raw.starts_with(b"?") {
        let start = raw.iter().position(|&b| b == b'?')?;
        let query = raw.get(start + 1..)?;
        match query.iter().position(|&b| b == b'#') {
            Some(end) if is_url => query.get(..end)?,
            _ => query,
        }
    } else {
        raw
    };
    query.split(|&b| b == b'&').find_map(|pair| {
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (pair.get(..eq)?, pair.get(eq + 1..)?),
            None => (pair, &b""[..]),
        };
        (percent_decode(name) == b"Action").then(|| percent_decode(value))
    })
}

/// Decodes `+` and `%XX`; a `%` without two hex digits is kept as is.
fn percent_decode(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| {
        char::from(b)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let escaped = match (b, raw.get(i + 1), raw.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match (b, escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (_, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::action;

    #[test]
    fn the_action_of_urls_and_query_strings() {
        for (raw, expected) in [
            (
                &b"http://cdn.aliyuncs.com?Action=SetDomainServerCertificate&A=b"[..],
                Some(&b"SetDomainServerCertificate"[..]),
            ),
            (
                b"https://live.aliyuncs.com/?SSLProtocol=on&Action=SetLiveDomainCertificate#x",
                Some(b"SetLiveDomainCertificate"),
            ),
            (b"  Action=Set%4Cive+X&Action=other\n", Some(b"SetLive X")),
            (b"?%41ction=cdn", Some(b"cdn")),
            (b"Action", Some(b"")),
            (b"SSLProtocol=off", None),
            (b"http://cdn.aliyuncs.com", None),
            (b"http://x/?A=b#&Action=cdn", None),
        ] {
            assert_eq!(
                action(raw).as_deref(),
                expected,
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }
}
