//! What `check`, `request` and `scan` share: one set of flags (flattened into each command),
//! the `--api` parser over `Profile::ALL`, the output formats and the check time.

use std::ffi::OsStr;
use std::path::PathBuf;

use cert_preflight::{Limits, Options, Profile};
use clap::Args;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The flags every checking command takes.
#[derive(Args)]
pub(crate) struct Common {
    /// The API whose checks and error codes to use: its short name or its Action, in any case.
    // Required on `check` and `scan` (`mut_arg` there); `request` reads it from the Action.
    #[arg(long, value_name = "API", value_parser = ApiParser)]
    pub(crate) api: Option<&'static Profile>,
    /// Check at this time (RFC 3339, e.g. 2026-06-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    pub(crate) at: Option<OffsetDateTime>,
    /// Output format (each command says what it prints).
    #[arg(long, value_enum, default_value = "text")]
    pub(crate) format: Format,
    /// JSON file with the domains' state, the stored certificates and faults (format:
    /// docs/state-file.md); without it the checks that need state are skipped.
    #[arg(long, value_name = "FILE")]
    pub(crate) state: Option<PathBuf>,
    /// Reject a certificate parameter (the chain's PEM text) longer than this many bytes, as
    /// the service does past its limit.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.certificate)]
    pub(crate) max_cert_bytes: usize,
    /// Reject a private-key parameter (the key's PEM text) longer than this many bytes, as the
    /// service does past its limit.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.private_key)]
    pub(crate) max_key_bytes: usize,
    /// Warn (ExpiresSoon) when the leaf certificate expires within this many days of the check
    /// time (--at, or now).
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub(crate) warn_days: u32,
    /// Exit with status 1 when a certificate is accepted but has warnings (e.g. ExpiresSoon),
    /// as when it is rejected: for cron jobs. The output is unchanged.
    #[arg(long, visible_alias = "deny-warnings")]
    pub(crate) fail_on_warning: bool,
}

impl Common {
    /// The check's settings (the state, when there is one, comes beside them).
    pub(crate) fn options(&self) -> Options {
        Options::at(self.at.unwrap_or_else(now))
            .with_limits(Limits {
                certificate: self.max_cert_bytes,
                private_key: self.max_key_bytes,
            })
            .with_expiry_warning_days(self.warn_days)
    }
}

/// Output formats. What each prints depends on the command; its `--format` help says.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
}

/// The clock, to the second: the check time is shown in details and in the scan summary, and
/// certificates' times have no fraction either (RFC 5280 4.1.2.5).
pub(crate) fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

pub(crate) fn parse_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("not an RFC 3339 time ({e}); e.g. 2026-06-01T00:00:00Z"))
}

/// `--api`: any profile of `Profile::ALL`, by short name or Action, in any case. The short
/// names are the possible values shown in help and offered by shell completions.
#[derive(Clone, Copy)]
pub(crate) struct ApiParser;

impl TypedValueParser for ApiParser {
    type Value = &'static Profile;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<&'static Profile, clap::Error> {
        if let Some(profile) = value.to_str().and_then(Profile::by_name) {
            return Ok(profile);
        }
        let mut error = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        if let Some(arg) = arg {
            error.insert(
                ContextKind::InvalidArg,
                ContextValue::String(arg.to_string()),
            );
        }
        error.insert(
            ContextKind::InvalidValue,
            ContextValue::String(value.to_string_lossy().into_owned()),
        );
        error.insert(
            ContextKind::ValidValue,
            ContextValue::Strings(Profile::ALL.iter().map(|p| p.name().to_owned()).collect()),
        );
        Err(error)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            Profile::ALL
                .iter()
                .map(|p| PossibleValue::new(p.name()).help(p.action())),
        ))
    }
}
