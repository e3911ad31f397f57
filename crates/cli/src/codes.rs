//! `codes`: the error catalog of every profile, or of one.

use std::process::ExitCode;

use cert_preflight::Profile;
use clap::Args;
use serde::Serialize;

use crate::common::{ApiParser, Format};
use crate::error::Error;
use crate::output::write_stdout;
use crate::verdict::json_line;

/// The exit statuses, at the end of `codes --help`.
pub(crate) const EXIT_STATUS: &str = concat!(
    "Exit status: 0, or 2 on a usage or I/O error.\n",
    crate::output::closed_stdout_help!()
);

#[derive(Args)]
pub(crate) struct CodesArgs {
    /// Only this API's codes (its short name or its Action, in any case).
    #[arg(long, value_name = "API", value_parser = ApiParser)]
    api: Option<&'static Profile>,
    /// Output format: text (one line per code) or json (one array of
    /// {"Api","Code","Message","HttpStatus"} objects).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct JsonCode {
    api: &'static str,
    code: &'static str,
    message: &'static str,
    http_status: u16,
}

pub(crate) fn codes(args: &CodesArgs) -> Result<ExitCode, Error> {
    let profiles: Vec<&Profile> = match args.api {
        Some(profile) => vec![profile],
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
    let out = match args.format {
        Format::Json => json_line(&rows)?,
        Format::Text => {
            let api_width = rows.iter().map(|r| r.api.len()).fold(4, usize::max);
            let width = rows.iter().map(|r| r.code.len()).max().unwrap_or(0);
            let mut out = String::new();
            for row in &rows {
                out.push_str(&format!(
                    "{:<api_width$}  {}  {:<width$}  {}\n",
                    row.api, row.http_status, row.code, row.message
                ));
            }
            out
        }
    };
    write_stdout(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
