//! `Describe*DomainCertificateInfo` of the domain APIs: every listed domain with an HTTPS
//! setting and its certificate, with the SDK models' field names (the shapes differ: CDN and
//! VOD, Live, DCDN).

use cert_preflight::{Product, Profile, StoreError};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::{Action, Call};
use crate::request::{Addressee, Step, refusal, success};
use crate::store::{DomainCertificate, LogEntry, View};

/// The shape of a read-back answer: the SDK models differ in field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// CDN and VOD: `ServerCertificate`, `ServerCertificateStatus`, `CertStartTime`, ….
    Cdn,
    /// Live: `SSLPub`, `SSLProtocol`.
    Live,
    /// DCDN: Live's fields plus `CertId` and `CertRegion`.
    Dcdn,
}

/// The read-back action of a domain API.
pub(crate) struct DescribeDomainCertificate {
    action: &'static str,
    version: &'static str,
    product: Product,
    shape: Shape,
}

impl DescribeDomainCertificate {
    /// The read-back of `profile`'s domains: `action`, in `profile`'s version, in `shape`.
    pub(crate) const fn of(
        profile: &'static Profile,
        action: &'static str,
        shape: Shape,
    ) -> DescribeDomainCertificate {
        DescribeDomainCertificate {
            action,
            version: profile.version,
            product: profile.product,
            shape,
        }
    }
}

impl Action for DescribeDomainCertificate {
    fn action(&self) -> &'static str {
        self.action
    }

    fn version(&self) -> &'static str {
        self.version
    }

    fn product(&self) -> &'static str {
        self.product.code()
    }

    fn prepare(&self, call: Call<'_>) -> Step {
        let domains = call
            .params
            .get_str("DomainName")
            .unwrap_or_default()
            .to_owned();
        describe(call, self.product, self.shape, domains, self.action)
    }
}

/// Whole months from `start` to `end` (RFC 3339 texts), as `"N months"`.
fn cert_life(start: Option<&str>, end: Option<&str>) -> String {
    use time::format_description::well_known::Rfc3339;
    let parse = |t: Option<&str>| t.and_then(|t| OffsetDateTime::parse(t, &Rfc3339).ok());
    match (parse(start), parse(end)) {
        (Some(s), Some(e)) if e > s => {
            let days = (e - s).whole_days();
            let months = (days + 15) / 30;
            if months == 1 {
                "1 month".to_owned()
            } else {
                format!("{months} months")
            }
        }
        _ => String::new(),
    }
}

/// One `CertInfo` of a read-back answer.
fn cert_info(shape: Shape, domain: &str, current: Option<&DomainCertificate>) -> Value {
    let cert = current.and_then(|c| c.certificate.as_ref());
    let text = |v: Option<&String>| Value::String(v.cloned().unwrap_or_default());
    let on = current.is_some_and(|c| c.https);
    let switch = Value::String(if on { "on" } else { "off" }.to_owned());
    let pem = text(cert.and_then(|c| c.pem.as_ref()));
    let cert_domain = cert
        .and_then(|c| c.subject_names.as_deref())
        .and_then(|n| n.split(',').next())
        .unwrap_or_default();
    let mut info = Map::new();
    info.insert("DomainName".into(), Value::String(domain.to_owned()));
    info.insert(
        "CertName".into(),
        text(current.and_then(|c| c.cert_name.as_ref())),
    );
    info.insert("CertType".into(), text(cert.map(|c| &c.kind)));
    info.insert(
        "CertDomainName".into(),
        Value::String(cert_domain.to_owned()),
    );
    info.insert(
        "CertExpireTime".into(),
        text(cert.and_then(|c| c.not_after.as_ref())),
    );
    info.insert(
        "CertLife".into(),
        Value::String(cert_life(
            cert.and_then(|c| c.not_before.as_deref()),
            cert.and_then(|c| c.not_after.as_deref()),
        )),
    );
    info.insert(
        "CertOrg".into(),
        text(cert.and_then(|c| c.issuer_org.as_ref())),
    );
    info.insert(
        "Status".into(),
        Value::String(if on { "success" } else { "" }.to_owned()),
    );
    // A certificate-service certificate's site (one of the state document has none: the
    // China site).
    let region = match cert {
        Some(c) if c.kind == "cas" => c.region.as_deref().unwrap_or("cn-hangzhou"),
        _ => "",
    };
    match shape {
        Shape::Cdn => {
            info.insert("ServerCertificateStatus".into(), switch);
            info.insert("ServerCertificate".into(), pem);
            info.insert("CertId".into(), text(cert.and_then(|c| c.id.as_ref())));
            info.insert("CertRegion".into(), Value::String(region.to_owned()));
            info.insert(
                "CertStartTime".into(),
                text(cert.and_then(|c| c.not_before.as_ref())),
            );
            info.insert("CertUpdateTime".into(), text(current.map(|c| &c.updated)));
            info.insert("DomainCnameStatus".into(), Value::String("ok".to_owned()));
        }
        Shape::Live | Shape::Dcdn => {
            info.insert("SSLProtocol".into(), switch);
            info.insert("SSLPub".into(), pem);
            if shape == Shape::Dcdn {
                info.insert("CertId".into(), text(cert.and_then(|c| c.id.as_ref())));
                info.insert("CertRegion".into(), Value::String(region.to_owned()));
            }
        }
    }
    Value::Object(info)
}

/// A `Describe*DomainCertificateInfo` action: every listed domain with an HTTPS setting, read
/// on a snapshot (or, on an in-memory store, in the writer's transaction).
fn describe(
    call: Call<'_>,
    product: Product,
    shape: Shape,
    domains: String,
    action: &'static str,
) -> Step {
    let Call { ctx, to, log, .. } = call;
    if domains.trim().is_empty() {
        const MISSING: &str = "The input parameter DomainName that is mandatory for processing \
                               this request is not supplied.";
        log.code = "MissingParameter".to_owned();
        log.message = Some(MISSING.to_owned());
        return Step::Answered(refusal(400, "MissingParameter", MISSING, None, &to));
    }
    let read = move |view: &View<'_>, to: &Addressee, log: &mut LogEntry| {
        let mut infos = Vec::new();
        // Each name once: a list repeating one domain would otherwise repeat its chain in
        // the answer as often as the request names it.
        let mut seen = std::collections::HashSet::new();
        for domain in domains
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty() && seen.insert(d.to_ascii_lowercase()))
        {
            let current = view
                .domain_certificate(product, domain)
                .map_err(|e| StoreError::new(format!("SQLite: {e}")))?;
            if let Some(current) = current {
                infos.push(cert_info(shape, domain, Some(&current)));
            }
        }
        log.code = "OK".to_owned();
        Ok(success(
            action,
            &to.id,
            &[("CertInfos", json!({ "CertInfo": infos }))],
            to.format,
        ))
    };
    super::read(ctx, to, log, read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cert_life_in_months() {
        assert_eq!(
            cert_life(Some("2026-01-01T00:00:00Z"), Some("2026-04-01T00:00:00Z")),
            "3 months"
        );
        assert_eq!(cert_life(None, Some("2026-04-01T00:00:00Z")), "");
    }
}
