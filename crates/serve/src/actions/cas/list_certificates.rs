//! `ListCertificates`: the uploaded certificates with their status (`issued`, `willExpire`,
//! `expired`) and the products whose domains use each (`UsingProductList`); filters
//! `CertificateSource` (`UPLOAD`: all of them; `BUY`, `TEST`: none), `CertificateStatus`,
//! `Keyword`, `InstanceId`. `ShowSize` defaults to 10, at most 100.

use cert_preflight::Product;
use serde_json::{Value, json};

use super::super::{Action, Call, read};
use super::{all, in_group, matches_keyword, page, paging, refuse, status, using_products};
use crate::request::{Step, success};

/// The certificate list of the certificate service.
pub(crate) struct ListCertificates;

impl Action for ListCertificates {
    fn action(&self) -> &'static str {
        "ListCertificates"
    }

    fn version(&self) -> &'static str {
        "2020-04-07"
    }

    fn product(&self) -> &'static str {
        Product::Cas.code()
    }

    fn prepare(&self, call: Call<'_>) -> Step {
        let Call {
            ctx,
            params,
            to,
            log,
        } = call;
        let (current_page, show_size) = match paging(params, 10, 100) {
            Ok(paging) => paging,
            Err((code, detail)) => return Step::Answered(refuse(code, &detail, &to, log)),
        };
        let source = params
            .get_str("CertificateSource")
            .filter(|s| !s.is_empty())
            .map(str::to_ascii_uppercase);
        let wanted = params
            .get_str("CertificateStatus")
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        let keyword = params.get_str("Keyword").map(str::to_owned);
        let group = params
            .get_str("ResourceGroupId")
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        let instance = params
            .get_str("InstanceId")
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        read(ctx, to, log, move |view, to, log| {
            let now = view.now();
            let certificates = match source.as_deref() {
                None | Some("UPLOAD") => all(view.conn())?,
                Some(_) => Vec::new(),
            };
            let mut listed: Vec<Value> = Vec::new();
            for certificate in &certificates {
                let Some(leaf) = certificate.leaf() else {
                    continue;
                };
                let shown_status = match status(leaf, now) {
                    "EXPIRED" => "expired",
                    "WILLEXPIRED" => "willExpire",
                    _ => "issued",
                };
                if wanted.as_deref().is_some_and(|w| w != shown_status)
                    || instance
                        .as_deref()
                        .is_some_and(|i| certificate.instance_id.as_deref() != Some(i))
                    || !matches_keyword(certificate, keyword.as_deref())
                    || !in_group(certificate, group.as_deref())
                {
                    continue;
                }
                let using = using_products(view.conn(), certificate)?;
                listed.push(certificate.listed(now, using));
            }
            let total = listed.len();
            log.code = "OK".to_owned();
            Ok(success(
                "ListCertificates",
                &to.id,
                &[
                    ("TotalCount", json!(total)),
                    ("CurrentPage", json!(current_page)),
                    ("ShowSize", json!(show_size)),
                    (
                        "CertificateList",
                        Value::Array(page(listed, current_page, show_size)),
                    ),
                ],
                to.format,
            ))
        })
    }
}
