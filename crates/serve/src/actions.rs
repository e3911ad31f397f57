//! The cloud APIs `serve` answers, one module per action, and the one registry of them.
//!
//! An action is a small [`Action`]: the `(Action, Version)` pair it is routed by, the product
//! its `Recommend` links name, and [`Action::prepare`], which turns a decoded, authenticated
//! request into a [`Step`] for the writer — answered already (a refusal, a read), or a
//! [`Work`](crate::request::Work) to run in the writer's next transaction. Adding an API adds
//! its module and one line in [`ACTIONS`]; nothing else routes or matches on actions.
//!
//! What several actions share is here too: [`Checked`], the library's checks of an upload run
//! on a read snapshot and confirmed under the write lock.

mod cas;
mod clb;
mod describe_domain_certificate;
mod set_domain_certificate;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use cert_preflight::{
    CDN, CDN_SSL, CatalogEntry, DCDN, Finding, LIVE, Options, Profile, Request, StateView,
    StoreError, VOD, Verdict, validate_with,
};

use crate::context::Context;
use crate::request::{Addressee, Response, Step, internal_error, refusal};
use crate::store::{LogEntry, Tx, View};
use crate::wire::Params;

use cas::delete_user_certificate::DeleteUserCertificate;
use cas::get_user_certificate_detail::GetUserCertificateDetail;
use cas::list_certificates::ListCertificates;
use cas::list_user_certificate_order::ListUserCertificateOrder;
use cas::upload_user_certificate::UploadUserCertificate;
use clb::delete_server_certificate::DeleteServerCertificate;
use clb::describe_server_certificates::DescribeServerCertificates;
use clb::upload_server_certificate::UploadServerCertificate;
use describe_domain_certificate::{DescribeDomainCertificate, Shape};
use set_domain_certificate::SetDomainCertificate;

/// One action of one API.
pub(crate) trait Action: Sync {
    /// The `Action` it is routed by.
    fn action(&self) -> &'static str;
    /// The `Version` it is routed by.
    fn version(&self) -> &'static str;
    /// The product code of its `Recommend` links (`Cdn`, `live`, `cas`, …).
    fn product(&self) -> &'static str;
    /// Turns an authenticated request into the writer's step.
    fn prepare(&self, call: Call<'_>) -> Step;
}

/// An authenticated request, as an action gets it.
pub(crate) struct Call<'a> {
    /// The shared context (store, readers, time, state version).
    pub(crate) ctx: &'a Context,
    /// The parameters: the query merged with a form body.
    pub(crate) params: &'a Params,
    /// Whom the answer is for.
    pub(crate) to: Addressee,
    /// The request's log entry.
    pub(crate) log: &'a mut LogEntry,
}

/// Every action served, in routing order.
pub(crate) static ACTIONS: &[&dyn Action] = &[
    &SetDomainCertificate(&CDN),
    &SetDomainCertificate(&LIVE),
    &SetDomainCertificate(&CDN_SSL),
    &SetDomainCertificate(&DCDN),
    &SetDomainCertificate(&VOD),
    &DescribeDomainCertificate::of(&CDN, "DescribeDomainCertificateInfo", Shape::Cdn),
    &DescribeDomainCertificate::of(&LIVE, "DescribeLiveDomainCertificateInfo", Shape::Live),
    &DescribeDomainCertificate::of(&DCDN, "DescribeDcdnDomainCertificateInfo", Shape::Dcdn),
    &DescribeDomainCertificate::of(&VOD, "DescribeVodDomainCertificateInfo", Shape::Cdn),
    &UploadUserCertificate,
    &GetUserCertificateDetail,
    &DeleteUserCertificate,
    &ListUserCertificateOrder,
    &ListCertificates,
    &UploadServerCertificate,
    &DescribeServerCertificates,
    &DeleteServerCertificate,
];

/// The product code a gateway error's `Recommend` names when the request was not routed: the
/// first action of the requested version's, else CDN's.
pub(crate) fn product_of_version(version: Option<&[u8]>) -> &'static str {
    ACTIONS
        .iter()
        .find(|a| Some(a.version().as_bytes()) == version)
        .map_or("Cdn", |a| a.product())
}

/// An upload checked by the library on a read snapshot, beside the other requests (the checks
/// are where the time goes: PEM, X.509, the key match): refused there, it is answered at once;
/// accepted, it is confirmed by [`Checked::confirm`] in the writer's transaction.
pub(crate) struct Checked {
    profile: &'static Profile,
    request: Request,
    options: Options,
    /// The verdict on the snapshot; `None` where there is no snapshot (an in-memory store).
    snapshot: Option<Verdict>,
    /// The state version the snapshot was read at, and the counter it is compared with.
    version: u64,
    state_version: Arc<AtomicU64>,
}

impl Checked {
    /// Checks `request` on a read snapshot; a refusal there is the answer (logged).
    pub(crate) fn run(
        call: &mut Call<'_>,
        profile: &'static Profile,
        request: Request,
    ) -> Result<Checked, Step> {
        let ctx = call.ctx;
        let options = Options::at(ctx.validity_time());
        let version = ctx.state_version.load(Ordering::SeqCst);
        let snapshot = ctx.readers.as_ref().and_then(|readers| {
            readers
                .with(|view| {
                    validate_with(
                        profile,
                        &request,
                        &options,
                        &StateView::none().with_all(view),
                    )
                })
                .ok()
                .and_then(Result::ok)
        });
        if let Some(verdict) = &snapshot
            && let Some(finding) = verdict.answer()
        {
            call.log.warnings = warnings(verdict);
            return Err(Step::Answered(refused(finding, &call.to, call.log)));
        }
        Ok(Checked {
            profile,
            request,
            options,
            snapshot,
            version,
            state_version: ctx.state_version.clone(),
        })
    }

    /// In the writer's transaction: the verdict of the snapshot when nothing it depends on can
    /// have changed since (only the name and the content now stored are looked at again, and
    /// whether the admin endpoints changed the state), else the full check on the
    /// transaction. The warnings go in the log.
    pub(crate) fn confirm(
        self,
        tx: &Tx<'_>,
        log: &mut LogEntry,
    ) -> Result<(Verdict, Request), StoreError> {
        let unchanged = self.state_version.load(Ordering::SeqCst) == self.version;
        let verdict = match self.snapshot {
            Some(verdict) if unchanged && still_clear(tx, self.profile, &verdict)? => verdict,
            _ => validate_with(
                self.profile,
                &self.request,
                &self.options,
                &StateView::none().with_all(tx),
            )?,
        };
        log.warnings = warnings(&verdict);
        Ok((verdict, self.request))
    }
}

/// A read: on a snapshot of a read connection, beside the writer; on an in-memory store (no
/// readers), in the writer's next transaction.
pub(crate) fn read<F>(ctx: &Context, to: Addressee, log: &mut LogEntry, read: F) -> Step
where
    F: FnOnce(&View<'_>, &Addressee, &mut LogEntry) -> Result<Response, StoreError>
        + Send
        + 'static,
{
    match &ctx.readers {
        Some(readers) => {
            let answer = readers
                .with(|view| read(view, &to, log))
                .and_then(|answer| answer);
            Step::Answered(answer.unwrap_or_else(|e| internal_error(&e, &to, log)))
        }
        None => Step::Write {
            work: Box::new(move |tx, log, to| read(&tx.view(), to, log)),
            to,
        },
    }
}

/// Whether an upload accepted on a snapshot is still free to store: the name its check looked
/// at is not taken and, where the API checks content, its leaf is not stored — the only
/// answers another upload committed since can have changed.
fn still_clear(tx: &Tx<'_>, profile: &Profile, verdict: &Verdict) -> Result<bool, StoreError> {
    use cert_preflight::CertificateStore;
    let Some(upload) = verdict.upload() else {
        return Ok(true);
    };
    let product = profile.product();
    if let Some(name) = upload.name_checked()
        && tx.name_taken(product, name)?.is_some()
    {
        return Ok(false);
    }
    if profile.codes.content_duplicated.is_some()
        && tx.content_stored(product, &upload.fingerprint())?.is_some()
    {
        return Ok(false);
    }
    Ok(true)
}

/// The check's warnings as (code, text), for the log.
fn warnings(verdict: &Verdict) -> Vec<(String, String)> {
    verdict
        .warnings()
        .iter()
        .map(|w| (w.code().to_owned(), w.to_string()))
        .collect()
}

/// The answer to a refused upload, logged: the catalog entry, the library's detail.
pub(crate) fn refused(finding: &Finding, to: &Addressee, log: &mut LogEntry) -> Response {
    let detail = finding.detail();
    log.code = finding.code().to_owned();
    log.detail = Some(detail.clone());
    log.message = Some(finding.message().to_owned());
    refusal(
        finding.http_status(),
        finding.code(),
        finding.message(),
        Some(&detail),
        to,
    )
}

/// A refusal with `entry`, one of the service's catalog entries, logged; the detail is ours.
/// No entry (`which` names one the catalog lacks) is an internal error.
pub(crate) fn refuse_with(
    entry: Option<&'static CatalogEntry>,
    which: &dyn std::fmt::Debug,
    detail: &str,
    to: &Addressee,
    log: &mut LogEntry,
) -> Response {
    let Some(entry) = entry else {
        return internal_error(
            &StoreError::new(format!("no catalog entry {which:?}")),
            to,
            log,
        );
    };
    log.code = entry.code().to_owned();
    log.message = Some(entry.message().to_owned());
    log.detail = Some(detail.to_owned());
    refusal(
        entry.http_status(),
        entry.code(),
        entry.message(),
        Some(detail),
        to,
    )
}
