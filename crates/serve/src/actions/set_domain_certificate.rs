//! `Set*DomainCertificate` / `Set*DomainSSLCertificate` of every domain API (one per library
//! profile: CDN, Live, CDN's successor, DCDN, VOD): the library's checks, then, accepted, the
//! certificate stored and set on the domain with HTTPS on (or HTTPS off).

use cert_preflight::{CasBy, Profile, Request, Role, StoreError, record};

use super::{Action, Call, Checked, cas};
use crate::request::{Addressee, Response, Step, accepted};
use crate::store::{Change, LogEntry, Tx};

/// The upload action of a domain API.
pub(crate) struct SetDomainCertificate(pub(crate) &'static Profile);

impl Action for SetDomainCertificate {
    fn action(&self) -> &'static str {
        self.0.action()
    }

    fn version(&self) -> &'static str {
        self.0.version()
    }

    fn product(&self) -> &'static str {
        self.0.product().code()
    }

    fn prepare(&self, mut call: Call<'_>) -> Step {
        let profile = self.0;
        let pairs = call.params.iter().map(|p| (p.name, p.value));
        let request = Request::from_pairs(profile, pairs);
        let checked = match Checked::run(&mut call, profile, request) {
            Ok(checked) => checked,
            Err(answered) => return answered,
        };
        let action = self.action();
        let work = move |tx: &mut Tx<'_>,
                         log: &mut LogEntry,
                         to: &Addressee|
              -> Result<Response, StoreError> {
            let (verdict, request) = checked.confirm(tx, log)?;
            if let Some(finding) = verdict.answer() {
                return Ok(super::refused(finding, to, log));
            }
            let product = profile.product();
            let value = |role: Role| text(&request, role);
            let domain = value(Role::Domain).unwrap_or_default();
            let change = if value(Role::Switch).as_deref() == Some("on") {
                match verdict.upload() {
                    Some(upload) => {
                        record(product, &verdict, tx)?;
                        Change::On(upload.name())
                    }
                    None => cas_change(tx, profile, &request)?,
                }
            } else {
                Change::Off
            };
            tx.set_https(product, &domain, &change)?;
            log.code = "OK".to_owned();
            Ok(accepted(action, to, &[], &log.warnings))
        };
        Step::Write {
            work: Box::new(work),
            to: call.to,
        }
    }
}

/// The setting of an accepted `CertType=cas` (or `free`) request: the certificate service's
/// certificate it names, by `CertId` or by `CertName` as the API finds it, where this store
/// has it; else the name (or id) the request gave.
fn cas_change(tx: &Tx<'_>, profile: &Profile, request: &Request) -> Result<Change, StoreError> {
    let value = |role: Role| text(request, role);
    let cas = value(Role::CertType).as_deref() == Some("cas");
    let found = match (cas, profile.rules().cas_by) {
        (false, _) => None,
        (true, CasBy::Id) => match value(Role::CertId).and_then(|id| id.parse::<i64>().ok()) {
            Some(id) => cas::by_id(tx.conn(), id)?,
            None => None,
        },
        (true, _) => match value(Role::CertName) {
            Some(name) => cas::by_name(tx.conn(), &name)?,
            None => None,
        },
    };
    Ok(match found {
        Some(certificate) => Change::OnCas {
            id: certificate.id.to_string(),
            name: value(Role::CertName).unwrap_or(certificate.name),
        },
        None => Change::On(
            value(Role::CertName)
                .or_else(|| value(Role::CertId))
                .unwrap_or_default(),
        ),
    })
}

/// A parameter's value as text (invalid UTF-8 replaced).
fn text(request: &Request, role: Role) -> Option<String> {
    request
        .get(role)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}
