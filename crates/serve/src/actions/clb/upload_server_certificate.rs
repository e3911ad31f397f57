//! `UploadServerCertificate`: the library's checks of profile `clb` (`RegionId` the gateway
//! requires; the PEM pair, or `AliCloudCertificateId` of a certificate-service certificate),
//! then the server certificate stored in its region with a new `ServerCertificateId`. The key
//! is checked and dropped, never stored.

use cert_preflight::{CLB, Chain, Product, Request, Role, StoreError};
use time::OffsetDateTime;

use super::super::{Action, Call, Checked, cas, refused};
use super::{AliCloud, ServerCertificate, insert, new_id, resource_group, tags};
use crate::request::{Addressee, Response, Step, success};
use crate::store::{LogEntry, Tx};

/// The upload action of Classic Load Balancer.
pub(crate) struct UploadServerCertificate;

/// A parameter's value as text (invalid UTF-8 replaced), when given and not blank.
fn text(request: &Request, role: Role) -> Option<String> {
    request
        .get(role)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
        .filter(|v| !v.is_empty())
}

impl Action for UploadServerCertificate {
    fn action(&self) -> &'static str {
        CLB.action()
    }

    fn version(&self) -> &'static str {
        CLB.version()
    }

    fn product(&self) -> &'static str {
        Product::Slb.code()
    }

    fn prepare(&self, mut call: Call<'_>) -> Step {
        let pairs = call.params.iter().map(|p| (p.name, p.value));
        let request = Request::from_pairs(&CLB, pairs);
        let resource_group_id = resource_group(call.params);
        let tags = tags(call.params);
        let cas_name = call
            .params
            .get_str("AliCloudCertificateName")
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        let checked = match Checked::run(&mut call, &CLB, request) {
            Ok(checked) => checked,
            Err(answered) => return answered,
        };
        let work = move |tx: &mut Tx<'_>,
                         log: &mut LogEntry,
                         to: &Addressee|
              -> Result<Response, StoreError> {
            let (verdict, request) = checked.confirm(tx, log)?;
            if let Some(finding) = verdict.answer() {
                return Ok(refused(finding, to, log));
            }
            let (chain, ali_cloud) = match verdict.upload() {
                Some(upload) => (Some(upload.chain().clone()), None),
                // By certificate-service id: the library found it (issued, in that site).
                None => {
                    let id = text(&request, Role::CertId).unwrap_or_default();
                    let found = match id.parse::<i64>() {
                        Ok(number) => cas::by_id(tx.conn(), number)?,
                        Err(_) => None,
                    };
                    let name = cas_name
                        .or_else(|| found.as_ref().map(|c| c.name.clone()))
                        .unwrap_or_default();
                    let ali_cloud = AliCloud {
                        id,
                        name,
                        region: text(&request, Role::CertRegion)
                            .unwrap_or_else(|| "cn-hangzhou".to_owned()),
                    };
                    (found.map(|c| c.chain), Some(ali_cloud))
                }
            };
            let now = OffsetDateTime::now_utc();
            let created_ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
            let id = new_id(created_ms);
            // Without a name, the service names it after the leaf's common name.
            let name = text(&request, Role::CertName)
                .or_else(|| {
                    chain
                        .as_ref()
                        .and_then(Chain::leaf)
                        .and_then(|leaf| leaf.common_name().map(str::to_owned))
                })
                .unwrap_or_else(|| id.clone());
            let certificate = ServerCertificate {
                id,
                region: text(&request, Role::Region).unwrap_or_default(),
                name,
                chain,
                ali_cloud,
                resource_group_id,
                tags,
                created_ms,
            };
            insert(tx.conn(), &certificate)?;
            log.code = "OK".to_owned();
            Ok(success(
                CLB.action(),
                &to.id,
                &certificate.fields(false),
                to.format,
            ))
        };
        Step::Write {
            work: Box::new(work),
            to: call.to,
        }
    }
}
