//! What the page at `/` shows, read in one go on one connection (a reader's snapshot where
//! the store is a file, so the writer never waits for the page): one page of [`PAGE_ROWS`]
//! domains with their certificate and of certificates, their totals, and the last
//! [`PAGE_REQUESTS`] requests.

use cert_preflight::{Chain, Product};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use rusqlite::{Connection, params};

use super::log::recent_requests;
use super::view::{View, domain_certificate};
use super::{EVERY, Store};

/// How many requests the page at `/` shows.
pub(crate) const PAGE_REQUESTS: i64 = 200;

/// How many domains, and how many certificates, one page shows.
pub(crate) const PAGE_ROWS: i64 = 100;

impl Store {
    /// What the page at `/` shows (in memory: on the writer's connection).
    pub(crate) fn page(
        &self,
        now: OffsetDateTime,
        validity_at: OffsetDateTime,
        filter: crate::page::Filter,
    ) -> rusqlite::Result<crate::page::Page> {
        page(&self.conn, now, validity_at, filter)
    }
}

impl View<'_> {
    /// What the page at `/` shows, on this snapshot.
    pub(crate) fn page(
        &self,
        now: OffsetDateTime,
        validity_at: OffsetDateTime,
        filter: crate::page::Filter,
    ) -> rusqlite::Result<crate::page::Page> {
        page(self.conn, now, validity_at, filter)
    }
}

/// What the page at `/` shows, read on `conn`: the filter's page of domains and certificates,
/// and the last [`PAGE_REQUESTS`] requests.
pub(crate) fn page(
    conn: &Connection,
    now: OffsetDateTime,
    validity_at: OffsetDateTime,
    filter: crate::page::Filter,
) -> rusqlite::Result<crate::page::Page> {
    {
        use crate::page::{CertificateRow, DomainRow, Page, Refusal, RequestRow};
        let unix = |text: Option<String>| {
            text.and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok())
                .map(OffsetDateTime::unix_timestamp)
        };
        let names = |text: Option<String>| -> Vec<String> {
            text.map(|t| {
                t.split(',')
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
        };
        let offset = i64::from(filter.page.saturating_sub(1)).saturating_mul(PAGE_ROWS);
        let mut certificates = Vec::new();
        let total_certificates: i64 = conn.query_row(
            "SELECT (SELECT count(*) FROM certificates)
                  + (SELECT count(*) FROM server_certificates)",
            [],
            |r| r.get(0),
        )?;
        // The stored certificates, then the load balancer's (CLB): their facts come from
        // their chain, their own or the certificate service's they were uploaded by id.
        let mut stmt = conn.prepare(
            "SELECT 0, seq, product, name, kind, subject_names, issuer_org, not_before,
                    not_after, fingerprint, NULL FROM certificates
             UNION ALL
             SELECT 1, s.seq, s.region, s.name,
                    CASE WHEN s.ali_cloud_id IS NULL THEN 'upload' ELSE 'cas' END,
                    NULL, NULL, NULL, NULL, NULL, coalesce(s.pem, c.pem)
               FROM server_certificates s
               LEFT JOIN certificates c ON c.kind = 'cas' AND c.cert_id = s.ali_cloud_id
             ORDER BY 1, 2 LIMIT ?1 OFFSET ?2",
        )?;
        let mut rows = stmt.query(params![PAGE_ROWS, offset])?;
        while let Some(r) = rows.next()? {
            let load_balancer: i64 = r.get(0)?;
            let product: String = r.get(2)?;
            if load_balancer == 1 {
                let pem: Option<String> = r.get(10)?;
                let chain = pem.and_then(|p| Chain::from_pem(&p).ok());
                let leaf = chain.as_ref().and_then(Chain::leaf);
                certificates.push(CertificateRow {
                    product: Some(format!("clb {product}")),
                    name: r.get(3)?,
                    kind: r.get(4)?,
                    subject_names: leaf.map_or_else(Vec::new, |l| {
                        l.names().into_iter().map(str::to_owned).collect()
                    }),
                    issuer: leaf
                        .and_then(|l| l.issuer_organization())
                        .unwrap_or_default()
                        .to_owned(),
                    not_before: leaf.map(|l| l.not_before()),
                    not_after: leaf.map(|l| l.not_after()),
                    fingerprint: leaf
                        .map(|l| l.sha256().iter().map(|b| format!("{b:02x}")).collect()),
                });
                continue;
            }
            let fingerprint: Option<Vec<u8>> = r.get(9)?;
            certificates.push(CertificateRow {
                product: (product != EVERY).then_some(product),
                name: r.get(3)?,
                kind: r.get(4)?,
                subject_names: names(r.get(5)?),
                issuer: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                not_before: unix(r.get(7)?),
                not_after: unix(r.get(8)?),
                fingerprint: fingerprint.map(|f| f.iter().map(|b| format!("{b:02x}")).collect()),
            });
        }
        let mut domains = Vec::new();
        const DOMAINS: &str = "SELECT product, name, state FROM domains
             UNION SELECT product, name, NULL FROM domain_https
                   WHERE (product, name) NOT IN (SELECT product, name FROM domains)";
        let total_domains: i64 =
            conn.query_row(&format!("SELECT count(*) FROM ({DOMAINS})"), [], |r| {
                r.get(0)
            })?;
        let mut stmt = conn.prepare(&format!("{DOMAINS} ORDER BY 2, 1 LIMIT ?1 OFFSET ?2"))?;
        let mut rows = stmt.query(params![PAGE_ROWS, offset])?;
        while let Some(r) = rows.next()? {
            let product: String = r.get(0)?;
            let name: String = r.get(1)?;
            let state: Option<String> = r.get(2)?;
            let setting = Product::from_name(&product)
                .map(|p| domain_certificate(conn, p, &name))
                .transpose()?
                .flatten();
            let certificate = setting.as_ref().and_then(|s| {
                let cert = s.certificate.as_ref()?;
                Some(CertificateRow {
                    product: Some(product.clone()),
                    name: s.cert_name.clone().unwrap_or_default(),
                    kind: cert.kind.clone(),
                    subject_names: names(cert.subject_names.clone()),
                    issuer: cert.issuer_org.clone().unwrap_or_default(),
                    not_before: unix(cert.not_before.clone()),
                    not_after: unix(cert.not_after.clone()),
                    fingerprint: None,
                })
            });
            domains.push(DomainRow {
                product: if product == EVERY {
                    "every product".to_owned()
                } else {
                    product
                },
                name,
                state: state.unwrap_or_else(|| "online".to_owned()),
                https: setting.as_ref().is_some_and(|s| s.https),
                certificate,
            });
        }
        let requests = recent_requests(conn, PAGE_REQUESTS)?
            .into_iter()
            .map(|e| RequestRow {
                id: e.request_id,
                time: unix(Some(e.time)).unwrap_or(0),
                access_key_id: e.access_key_id.unwrap_or_default(),
                action: e.action.unwrap_or_default(),
                domain: e.domain.unwrap_or_default(),
                refusal: (e.code != "OK").then(|| Refusal {
                    code: e.code,
                    message: e.message.unwrap_or_default(),
                    http_status: u16::try_from(e.http_status).unwrap_or(400),
                    detail: e.detail.unwrap_or_default(),
                }),
                warnings: e.warnings,
            })
            .collect();
        Ok(Page {
            now,
            validity_at,
            version: env!("CARGO_PKG_VERSION").to_owned(),
            domains,
            certificates,
            requests,
            filter,
            total_domains: u64::try_from(total_domains).unwrap_or(0),
            total_certificates: u64::try_from(total_certificates).unwrap_or(0),
            page_rows: u64::try_from(PAGE_ROWS).unwrap_or(100),
        })
    }
}
