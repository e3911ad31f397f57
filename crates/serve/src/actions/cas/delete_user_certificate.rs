//! `DeleteUserCertificate`: a certificate deleted by `CertId`; an unknown id is `NotFound`
//! (observed). A certificate in use may be deleted (no source shows a refusal): the domains
//! that use it keep their setting, and their read-back no longer shows its details.

use cert_preflight::{Product, StoreError};
use rusqlite::params;

use super::super::{Action, Call};
use super::{cert_id, refuse};
use crate::request::{Step, success};

/// The delete action of the certificate service.
pub(crate) struct DeleteUserCertificate;

impl Action for DeleteUserCertificate {
    fn action(&self) -> &'static str {
        "DeleteUserCertificate"
    }

    fn version(&self) -> &'static str {
        "2020-04-07"
    }

    fn product(&self) -> &'static str {
        Product::Cas.code()
    }

    fn prepare(&self, call: Call<'_>) -> Step {
        let Call {
            params, to, log, ..
        } = call;
        let id = match cert_id(params) {
            Ok(id) => id,
            Err((code, detail)) => return Step::Answered(refuse(code, &detail, &to, log)),
        };
        Step::Write {
            work: Box::new(move |tx, log, to| {
                let deleted = tx
                    .conn()
                    .execute(
                        "DELETE FROM certificates WHERE kind = 'cas' AND cert_id = ?1",
                        params![id.to_string()],
                    )
                    .map_err(|e| StoreError::new(format!("SQLite: {e}")))?;
                if deleted == 0 {
                    return Ok(refuse(
                        "NotFound",
                        &format!("no certificate with CertId {id} is in the certificate service"),
                        to,
                        log,
                    ));
                }
                log.code = "OK".to_owned();
                Ok(success("DeleteUserCertificate", &to.id, &[], to.format))
            }),
            to,
        }
    }
}
