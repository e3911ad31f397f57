//! `DescribeServerCertificates`: the server certificates of a region (`RegionId`, or the
//! endpoint's `slb.<region>.aliyuncs.com`; the central endpoint requires `RegionId`, as the
//! API's metadata says), in upload order, filtered by `ServerCertificateId`,
//! `ResourceGroupId` and `Tag.N.Key`/`Tag.N.Value`. An unknown id is an empty list, not an
//! error (Terraform's provider reads it so). Fingerprints and names only: never a PEM or a
//! key.

use cert_preflight::{CLB, Product};
use serde_json::{Value, json};

use super::super::{Action, Call, read};
use super::{in_region, refuse, region, tags};
use crate::request::{Step, success};

/// The list action of Classic Load Balancer.
pub(crate) struct DescribeServerCertificates;

impl Action for DescribeServerCertificates {
    fn action(&self) -> &'static str {
        "DescribeServerCertificates"
    }

    fn version(&self) -> &'static str {
        CLB.version()
    }

    fn product(&self) -> &'static str {
        Product::Slb.code()
    }

    fn prepare(&self, call: Call<'_>) -> Step {
        let Call {
            ctx,
            params,
            to,
            log,
        } = call;
        let region = match region(params, &to.host, true) {
            Ok(region) => region,
            Err((which, detail)) => return Step::Answered(refuse(which, &detail, &to, log)),
        };
        let id = params
            .get_str("ServerCertificateId")
            .filter(|i| !i.is_empty())
            .map(str::to_owned);
        let group = params
            .get_str("ResourceGroupId")
            .filter(|g| !g.is_empty())
            .map(str::to_owned);
        let wanted_tags = tags(params);
        read(ctx, to, log, move |view, to, log| {
            let listed: Vec<Value> = in_region(view.conn(), region.as_deref())?
                .iter()
                .filter(|c| id.as_deref().is_none_or(|id| c.id == id))
                .filter(|c| group.as_deref().is_none_or(|g| c.resource_group_id == g))
                .filter(|c| {
                    wanted_tags.iter().all(|(key, value)| {
                        c.tags
                            .iter()
                            .any(|(k, v)| k == key && (value.is_empty() || v == value))
                    })
                })
                .map(super::ServerCertificate::item)
                .collect();
            log.code = "OK".to_owned();
            Ok(success(
                "DescribeServerCertificates",
                &to.id,
                &[("ServerCertificates", json!({ "ServerCertificate": listed }))],
                to.format,
            ))
        })
    }
}
