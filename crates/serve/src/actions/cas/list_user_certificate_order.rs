//! `ListUserCertificateOrder`: the uploaded certificates as orders. `OrderType` defaults to
//! `CPACK` (resource packages: none here); with `CERT` or `UPLOAD` and no `Status`, only
//! `ISSUED` and `WILLEXPIRED` certificates are listed, as the service does (tools loop over
//! `EXPIRED` explicitly). `Keyword` matches a part of a name; `ShowSize` defaults to 50.

use cert_preflight::Product;
use serde_json::{Value, json};

use super::super::{Action, Call, read};
use super::{all, in_group, matches_keyword, page, paging, refuse, status};
use crate::request::{Step, success};

/// The order list of the certificate service.
pub(crate) struct ListUserCertificateOrder;

impl Action for ListUserCertificateOrder {
    fn action(&self) -> &'static str {
        "ListUserCertificateOrder"
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
        let (current_page, show_size) = match paging(params, 50, i64::MAX) {
            Ok(paging) => paging,
            Err((code, detail)) => return Step::Answered(refuse(code, &detail, &to, log)),
        };
        let order_type = params
            .get_str("OrderType")
            .filter(|t| !t.is_empty())
            .unwrap_or("CPACK")
            .to_ascii_uppercase();
        let wanted: Vec<String> = match params.get_str("Status").filter(|s| !s.is_empty()) {
            Some(status) => vec![status.to_ascii_uppercase()],
            None => vec!["ISSUED".to_owned(), "WILLEXPIRED".to_owned()],
        };
        let keyword = params.get_str("Keyword").map(str::to_owned);
        let group = params
            .get_str("ResourceGroupId")
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        read(ctx, to, log, move |view, to, log| {
            let now = view.now();
            let certificates = if matches!(order_type.as_str(), "CERT" | "UPLOAD") {
                all(view.conn())?
            } else {
                Vec::new()
            };
            let orders: Vec<Value> = certificates
                .iter()
                .filter(|c| matches_keyword(c, keyword.as_deref()))
                .filter(|c| in_group(c, group.as_deref()))
                .filter(|c| {
                    c.leaf()
                        .is_some_and(|leaf| wanted.iter().any(|w| w == status(leaf, now)))
                })
                .map(|c| c.order(now))
                .collect();
            let total = orders.len();
            log.code = "OK".to_owned();
            Ok(success(
                "ListUserCertificateOrder",
                &to.id,
                &[
                    ("TotalCount", json!(total)),
                    ("CurrentPage", json!(current_page)),
                    ("ShowSize", json!(show_size)),
                    (
                        "CertificateOrderList",
                        Value::Array(page(orders, current_page, show_size)),
                    ),
                ],
                to.format,
            ))
        })
    }
}
