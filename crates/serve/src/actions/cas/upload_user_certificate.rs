//! `UploadUserCertificate`: the library's checks of profile `cas` (a `Name` the gateway
//! requires and the account keeps unique, the pair), then the certificate stored for every
//! product with a new `CertId`. The key is kept only when the server keeps keys.

use cert_preflight::{CAS, Product, Request, Role, StoreError, record};
use rusqlite::params;
use serde_json::json;

use super::super::{Action, Call, Checked, refused};
use super::{ID_BASE, instance_id, site};
use crate::request::{Addressee, Response, Step, accepted};
use crate::store::{LogEntry, Tx};

/// The upload action of the certificate service.
pub(crate) struct UploadUserCertificate;

impl Action for UploadUserCertificate {
    fn action(&self) -> &'static str {
        CAS.action()
    }

    fn version(&self) -> &'static str {
        CAS.version()
    }

    fn product(&self) -> &'static str {
        Product::Cas.code()
    }

    fn prepare(&self, mut call: Call<'_>) -> Step {
        let pairs = call.params.iter().map(|p| (p.name, p.value));
        let request = Request::from_pairs(&CAS, pairs);
        let keep_key = call.ctx.keep_keys;
        let region = site(&call.to.host);
        let resource_group = call.params.get_str("ResourceGroupId").map(str::to_owned);
        let checked = match Checked::run(&mut call, &CAS, request) {
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
            record(Product::Cas, &verdict, tx)?;
            let seq = tx.conn().last_insert_rowid();
            let id = ID_BASE.saturating_add(seq);
            let instance = instance_id();
            // The key only where the server keeps keys (`--keep-keys`), as it was sent.
            let key = keep_key
                .then(|| request.get(Role::PrivateKey))
                .flatten()
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            tx.conn()
                .execute(
                    "UPDATE certificates SET cert_id = ?1, instance_id = ?2, region = ?3,
                     resource_group_id = ?4, private_key = ?5 WHERE seq = ?6",
                    params![id.to_string(), instance, region, resource_group, key, seq],
                )
                .map_err(|e| StoreError::new(format!("SQLite: {e}")))?;
            log.code = "OK".to_owned();
            Ok(accepted(
                CAS.action(),
                to,
                &[("CertId", json!(id)), ("ResourceId", json!(instance))],
                &log.warnings,
            ))
        };
        Step::Write {
            work: Box::new(work),
            to: call.to,
        }
    }
}
