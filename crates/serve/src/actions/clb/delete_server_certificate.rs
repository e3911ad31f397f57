//! `DeleteServerCertificate`: a server certificate deleted by `ServerCertificateId` (in
//! `RegionId`'s region when given, else wherever it is). Absent, the id is the gateway's
//! `MissingServerCertificateId`; empty, the list's "…ServerCertificateId is empty."; not of the
//! service's form, "…is not Support."; unknown, `ServerCertificateId.NotFound` (the code
//! Terraform's provider treats as already deleted). No listener uses a certificate here, so
//! `CertificateAndPrivateKeyIsRefered` is never the answer.

use cert_preflight::{CLB, Product};

use super::super::{Action, Call};
use super::{delete, entries, refuse, region, well_formed_id};
use crate::request::{Step, shown, success};

/// The delete action of Classic Load Balancer.
pub(crate) struct DeleteServerCertificate;

impl Action for DeleteServerCertificate {
    fn action(&self) -> &'static str {
        "DeleteServerCertificate"
    }

    fn version(&self) -> &'static str {
        CLB.version()
    }

    fn product(&self) -> &'static str {
        Product::Slb.code()
    }

    fn prepare(&self, call: Call<'_>) -> Step {
        let Call {
            params, to, log, ..
        } = call;
        let host = to.host.clone();
        let refused = |which, detail: &str, log| Step::Answered(refuse(which, detail, &to, log));
        let id = match params.get_str("ServerCertificateId") {
            None => {
                return refused(
                    entries::MISSING_ID,
                    "ServerCertificateId is absent; the API requires it, so the API gateway \
                     refuses the request",
                    log,
                );
            }
            Some("") => {
                return refused(entries::ID_EMPTY, "ServerCertificateId is empty", log);
            }
            Some(id) if !well_formed_id(id) => {
                let detail = format!(
                    "ServerCertificateId is {:?}, which is not a server certificate id (as \
                     UploadServerCertificate answers them: 1231579085529123_…)",
                    shown(id.as_bytes(), 64)
                );
                return refused(entries::ID_NOT_SUPPORTED, &detail, log);
            }
            Some(id) => id.to_owned(),
        };
        let region = match region(params, &host, false) {
            Ok(region) => region,
            Err((which, detail)) => return refused(which, &detail, log),
        };
        Step::Write {
            work: Box::new(move |tx, log, to| {
                if !delete(tx.conn(), &id, region.as_deref())? {
                    let place = region
                        .as_deref()
                        .map_or_else(String::new, |r| format!(" in {r}"));
                    return Ok(refuse(
                        entries::NOT_FOUND,
                        &format!("no server certificate {id}{place}"),
                        to,
                        log,
                    ));
                }
                log.code = "OK".to_owned();
                Ok(success("DeleteServerCertificate", &to.id, &[], to.format))
            }),
            to,
        }
    }
}
