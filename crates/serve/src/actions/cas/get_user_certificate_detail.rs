//! `GetUserCertificateDetail`: one certificate by `CertId` (`CertFilter=true` leaves out the
//! PEM); an unknown id is `NotFound`.

use cert_preflight::Product;

use super::super::{Action, Call, read};
use super::{by_id, cert_id, refuse};
use crate::request::{Step, success};

/// The detail action of the certificate service.
pub(crate) struct GetUserCertificateDetail;

impl Action for GetUserCertificateDetail {
    fn action(&self) -> &'static str {
        "GetUserCertificateDetail"
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
        let id = match cert_id(params) {
            Ok(id) => id,
            Err((code, detail)) => return Step::Answered(refuse(code, &detail, &to, log)),
        };
        let filtered = params
            .get_str("CertFilter")
            .is_some_and(|f| f.eq_ignore_ascii_case("true"));
        read(ctx, to, log, move |view, to, log| {
            let Some(certificate) = by_id(view.conn(), id)? else {
                return Ok(refuse(
                    "NotFound",
                    &format!("no certificate with CertId {id} is in the certificate service"),
                    to,
                    log,
                ));
            };
            log.code = "OK".to_owned();
            Ok(success(
                "GetUserCertificateDetail",
                &to.id,
                &certificate.detail(filtered, view.now()),
                to.format,
            ))
        })
    }
}
