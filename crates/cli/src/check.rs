//! `check` (parameters from flags and files) and `request` (a raw request): one verdict each.
//!
//! Their details name what the user gave: `check`'s name its options and files ("--cert is
//! absent…", "pass --force-set 1", "openssl pkcs12 -in bundle.p12 …"), in the text and in the
//! JSON alike (a `Detail` is prose for people; scripts read `Code`); `request`'s name the API's
//! parameters, as the request does (and as `serve` answers).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cert_preflight::{Naming, Profile, Request, Role, StateView, Value, validate_with};
use clap::Args;

use crate::common::Common;
use crate::error::Error;
use crate::input::{load_state, read_file};
use crate::verdict;

/// The exit statuses, at the end of `check --help` and `request --help`.
pub(crate) const EXIT_STATUS: &str = concat!(
    "Exit status:
  0  accepted
  1  rejected with a catalog code, or accepted with warnings under --fail-on-warning
  2  usage or I/O error (a bad flag, a file that cannot be read, a malformed --state file)
",
    crate::output::closed_stdout_help!()
);

/// `--format`'s help for the commands that print one verdict.
macro_rules! format_help {
    () => {
        "Output format: text for people, or json: one JSON object on standard output \
         ({\"Accepted\":…,\"Code\",\"Message\",\"HttpStatus\",\"Detail\",\"Warnings\":[…],…})"
    };
}

/// `--format`'s help for `request`: its details name the API's parameters, as the request does.
const FORMAT_HELP: &str = concat!(
    format_help!(),
    ". Details name the API's parameters (SSLPub, ForceSet=1), as the request does"
);

/// `--format`'s help for `check`: its details name its options and files.
const CHECK_FORMAT_HELP: &str = concat!(
    format_help!(),
    ". Details name check's options and files (\"--cert is absent…\", \"pass --force-set 1\", \
     \"openssl pkcs12 -in FILE …\"), in text and JSON alike; scripts should read Code, not \
     Detail"
);

/// The options of `check` that give the API's parameters: its details name these instead of
/// the parameters (roles without an option, such as `CertId`, keep the API's names).
const CHECK_OPTIONS: &[(Role, &str)] = &[
    (Role::Domain, "--domain"),
    (Role::Switch, "--status"),
    (Role::Certificate, "--cert"),
    (Role::PrivateKey, "--key"),
    (Role::CertName, "--cert-name"),
    (Role::CertType, "--cert-type"),
    (Role::ForceSet, "--force-set"),
    (Role::Region, "--region"),
];

#[derive(Args)]
#[command(
    mut_arg("api", |api| api.required(true)),
    mut_arg("format", |f| f.help(CHECK_FORMAT_HELP))
)]
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
    /// RegionId: the region a regional API (clb) keeps the certificate in.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
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

/// Checks `request` with `profile` and prints the verdict, its details written with `naming`.
fn run(
    common: &Common,
    profile: &Profile,
    request: &Request,
    naming: &Naming<'_>,
) -> Result<ExitCode, Error> {
    let state = load_state(common.state.as_deref())?;
    let view = state.as_ref().map(StateView::of).unwrap_or_default();
    // A store that fails is an error of the call where the API has no code for it (exit 2).
    let verdict = validate_with(profile, request, &common.options(), &view)
        .map_err(|e| Error::Usage(e.to_string()))?;
    verdict::print(
        &verdict,
        request,
        common.format,
        naming,
        common.state.is_some(),
    )?;
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
    request.set(Role::Domain, args.domain.map(Value::from));
    request.set(Role::Certificate, certificate.map(Value::from));
    request.set(Role::PrivateKey, private_key.map(Value::from));
    request.set(Role::CertName, args.cert_name.map(Value::from));
    request.set(Role::CertType, args.cert_type.map(Value::from));
    request.set(Role::ForceSet, args.force_set.map(Value::from));
    request.set(Role::Region, args.region.map(Value::from));
    let mut naming = Naming::options(CHECK_OPTIONS);
    if let Some(path) = shown_file(args.cert.as_deref()) {
        naming = naming.with_certificate_file(path);
    }
    if let Some(path) = shown_file(args.key.as_deref()) {
        naming = naming.with_private_key_file(path);
    }
    run(&args.common, profile, &request, &naming)
}

/// A file as a detail's command names it: the path as given; none for standard input (`-`)
/// or a path that is not UTF-8 (the command then says `F`).
fn shown_file(path: Option<&Path>) -> Option<&str> {
    path.filter(|p| *p != Path::new("-")).and_then(Path::to_str)
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
    run(&args.common, profile, &request, &Naming::API)
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
    let Some(action) = Request::action_in(raw) else {
        return Err(Error::Usage(format!(
            "the request has no Action parameter; name the API with --api: {}",
            names()
        )));
    };
    Profile::by_name(&action).ok_or_else(|| {
        Error::Usage(format!(
            "the request's Action is {action:?}, which is none of {}; or name the API with --api",
            names()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Command;

    /// Every option a detail names is one `check` takes.
    #[test]
    fn the_options_details_name_are_checks() {
        let command = CheckArgs::augment_args(Command::new("check"));
        for (role, option) in CHECK_OPTIONS {
            let long = option.strip_prefix("--").unwrap();
            assert!(
                command.get_arguments().any(|a| a.get_long() == Some(long)),
                "{role:?} {option}"
            );
        }
    }
}
