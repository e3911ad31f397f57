//! A read snapshot: the library's state traits on a read connection (or on the writer's
//! transaction), what a domain's read-back shows, and the pool of read connections that lets
//! checks run beside the writer (WAL readers see one consistent snapshot and never wait).

use cert_preflight::{
    CasRef, CasStatus, CertKind, CertificateStore, DomainDirectory, DomainInfo, DomainStatus,
    FaultFlags, Faults, Product, StoreError,
};
use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::schema::connect;
use super::{Cached, EVERY, db_error};

/// The HTTPS setting of `domain` in `product` with its certificate, if the domain has one.
pub(crate) fn domain_certificate(
    conn: &Connection,
    product: Product,
    domain: &str,
) -> rusqlite::Result<Option<DomainCertificate>> {
    let https = conn
        .cached_row(
            "SELECT https, cert_name, updated, cert_id FROM domain_https
             WHERE product = ?1 AND name = ?2",
            params![product.name(), domain.to_ascii_lowercase()],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?;
    let Some((https, cert_name, updated, cert_id)) = https else {
        return Ok(None);
    };
    let row = |r: &rusqlite::Row<'_>| {
        r.get::<_, Option<String>>(0)?
            .map(|kind| -> rusqlite::Result<CertRow> {
                Ok(CertRow {
                    kind,
                    pem: r.get(1)?,
                    not_before: r.get(2)?,
                    not_after: r.get(3)?,
                    subject_names: r.get(4)?,
                    issuer_org: r.get(5)?,
                    id: r.get(6)?,
                    region: r.get(7)?,
                })
            })
            .transpose()
    };
    let certificate = match (&cert_id, &cert_name) {
        // Set by the certificate service's id: that certificate (deleted since: none).
        (Some(id), _) => conn.cached_row(
            "SELECT kind, pem, not_before, not_after, subject_names, issuer_org, cert_id, region,
                    min(seq)
             FROM certificates WHERE kind = 'cas' AND cert_id = ?1",
            params![id],
            row,
        )?,
        (None, None) => None,
        (None, Some(name)) => conn.cached_row(
            // The product's own row before one of every product (see `View::domain`).
            "SELECT kind, pem, not_before, not_after, subject_names, issuer_org, cert_id, region,
                        min(product = ?2)
                 FROM certificates WHERE product IN (?1, ?2) AND name = ?3",
            params![product.name(), EVERY, name],
            row,
        )?,
    };
    Ok(Some(DomainCertificate {
        https,
        cert_name,
        updated,
        certificate,
    }))
}

/// A stored certificate, as the read-back APIs show it.
#[derive(Debug, Clone)]
pub(crate) struct CertRow {
    pub(crate) kind: String,
    pub(crate) pem: Option<String>,
    pub(crate) not_before: Option<String>,
    pub(crate) not_after: Option<String>,
    pub(crate) subject_names: Option<String>,
    pub(crate) issuer_org: Option<String>,
    pub(crate) id: Option<String>,
    /// The certificate service's site of a `cas` certificate (`None`: not known).
    pub(crate) region: Option<String>,
}

/// A domain's HTTPS setting.
#[derive(Debug, Clone)]
pub(crate) struct DomainCertificate {
    pub(crate) https: bool,
    pub(crate) cert_name: Option<String>,
    pub(crate) updated: String,
    pub(crate) certificate: Option<CertRow>,
}

/// The library's state traits on a connection (a write transaction's, or a reader's).
pub(crate) struct View<'c> {
    pub(super) conn: &'c Connection,
    faults: FaultFlags,
    any_domains: bool,
    at: Option<OffsetDateTime>,
}

impl<'c> View<'c> {
    /// A view on `conn`, with the faults and the domains' presence read from it.
    pub(super) fn new(
        conn: &'c Connection,
        faults: FaultFlags,
        any_domains: bool,
        at: Option<OffsetDateTime>,
    ) -> View<'c> {
        View {
            conn,
            faults,
            any_domains,
            at,
        }
    }

    /// The time statuses are judged at: `--at`, or the clock.
    pub(crate) fn now(&self) -> OffsetDateTime {
        self.at.unwrap_or_else(OffsetDateTime::now_utc)
    }

    /// The connection, for an action's own queries.
    pub(crate) fn conn(&self) -> &'c Connection {
        self.conn
    }
}

/// The faults and whether any domain is listed, as a view answers them.
pub(super) fn view_state(conn: &Connection) -> Result<(FaultFlags, bool), StoreError> {
    let faults = conn
        .prepare_cached("SELECT authentication, delete_fails, store_fails FROM faults WHERE id = 1")
        .and_then(|mut stmt| {
            stmt.query_row([], |r| {
                Ok(FaultFlags {
                    authentication: r.get(0)?,
                    delete: r.get(1)?,
                    store: r.get(2)?,
                })
            })
            .optional()
        })
        .map_err(db_error)?
        .unwrap_or_default();
    let any_domains = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM domains)")
        .and_then(|mut stmt| stmt.query_row([], |r| r.get(0)))
        .map_err(db_error)?;
    Ok((faults, any_domains))
}

/// A pool of read connections to the database file.
pub(crate) struct Readers {
    path: std::path::PathBuf,
    idle: std::sync::Mutex<Vec<Connection>>,
    at: Option<OffsetDateTime>,
}

impl Readers {
    /// A pool of readers of the database file at `path`, empty until used.
    pub(super) fn new(path: std::path::PathBuf, at: Option<OffsetDateTime>) -> Readers {
        Readers {
            path,
            idle: std::sync::Mutex::new(Vec::new()),
            at,
        }
    }

    /// Runs `f` on a view of one consistent snapshot (a read transaction), on a pooled
    /// connection.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&View<'_>) -> T) -> Result<T, StoreError> {
        let pooled = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let conn = match pooled {
            Some(conn) => conn,
            None => {
                let conn = connect(&self.path)?;
                conn.pragma_update(None, "query_only", true)
                    .map_err(db_error)?;
                conn
            }
        };
        conn.cached_execute("BEGIN", []).map_err(db_error)?;
        // The snapshot begins at the first read: the faults and the domains' presence are read
        // from it, as the checks' other look-ups are (a copy kept across snapshots could pair
        // an admin change's faults with another state's tables).
        let state = view_state(&conn);
        let answer =
            state.map(|(faults, any_domains)| f(&View::new(&conn, faults, any_domains, self.at)));
        let ended = conn.cached_execute("COMMIT", []);
        if ended.is_ok() {
            self.idle
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(conn);
        }
        answer
    }
}

impl super::Store {
    /// The HTTPS setting of `domain` in `product` with its certificate, if the domain has one.
    #[cfg(test)]
    pub(crate) fn domain_certificate(
        &self,
        product: Product,
        domain: &str,
    ) -> rusqlite::Result<Option<DomainCertificate>> {
        domain_certificate(&self.conn, product, domain)
    }
}

impl View<'_> {
    /// The HTTPS setting of `domain` in `product` with its certificate, if the domain has one.
    pub(crate) fn domain_certificate(
        &self,
        product: Product,
        domain: &str,
    ) -> rusqlite::Result<Option<DomainCertificate>> {
        domain_certificate(self.conn, product, domain)
    }
}

impl DomainDirectory for View<'_> {
    fn domain(&self, product: Product, domain: &str) -> Result<DomainInfo, StoreError> {
        if !self.any_domains {
            return Ok(DomainInfo::default());
        }
        let row = self
            .conn
            .cached_row(
                // Point lookups in the primary key; the product's own row wins over the row of
                // every product (the bare columns of `min()` come from its row); no row gives
                // one row of NULLs.
                "SELECT state, https_off_forbidden, not_effective, min(product = ?2) FROM domains
                 WHERE product IN (?1, ?2) AND name = ?3",
                params![product.name(), EVERY, domain.to_ascii_lowercase()],
                |r| {
                    Ok(match r.get::<_, Option<String>>(0)? {
                        None => None,
                        Some(state) => Some((state, r.get::<_, bool>(1)?, r.get::<_, bool>(2)?)),
                    })
                },
            )
            .map_err(db_error)?;
        Ok(match row {
            None => DomainInfo {
                status: DomainStatus::NotFound,
                ..DomainInfo::default()
            },
            Some((state, https_off_forbidden, not_effective)) => DomainInfo {
                status: DomainStatus::from_name(&state).ok_or_else(|| {
                    StoreError::new(format!("unknown domain state {state:?} in the database"))
                })?,
                https_off_forbidden,
                not_effective,
            },
        })
    }
}

impl CertificateStore for View<'_> {
    fn name_taken(&self, product: Product, name: &str) -> Result<Option<CertKind>, StoreError> {
        // Two point lookups in the (product, name) index; `kind` is the first stored's (the
        // bare column of a `min()` aggregate comes from the row with the minimum), without
        // sorting the rows as `ORDER BY seq` does; no row gives one row of NULLs.
        let kind: Option<String> = if product == Product::Cas {
            // The certificate service sees its own certificates only.
            self.conn.cached_row(
                "SELECT kind, min(seq) FROM certificates WHERE product = ?1 AND name = ?2
                 AND kind = 'cas'",
                params![EVERY, name],
                |r| r.get(0),
            )
        } else {
            self.conn.cached_row(
                "SELECT kind, min(seq) FROM certificates WHERE product IN (?1, ?2) AND name = ?3",
                params![product.name(), EVERY, name],
                |r| r.get(0),
            )
        }
        .map_err(db_error)?;
        Ok(kind.map(|k| CertKind::from_name(&k).unwrap_or(CertKind::Upload)))
    }

    fn content_stored(
        &self,
        product: Product,
        fingerprint: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        self.conn
            .cached_row(
                "SELECT name FROM certificates WHERE (product = ?1 OR product = ?2)
                 AND fingerprint = ?3 ORDER BY seq LIMIT 1",
                params![product.name(), EVERY, fingerprint.to_vec()],
                |r| r.get(0),
            )
            .optional()
            .map_err(db_error)
    }

    fn cas_certificate(
        &self,
        product: Product,
        cas: CasRef<'_>,
    ) -> Result<Option<CasStatus>, StoreError> {
        // A certificate of the state document has no site (NULL): it is found from any.
        let (column, value, region) = match cas {
            CasRef::Name(name) => ("name", name, None),
            CasRef::Id(id) => ("cert_id", id, None),
            CasRef::IdInRegion { id, region } => ("cert_id", id, Some(region)),
            #[allow(unreachable_patterns)]
            _ => return Ok(None),
        };
        let row: Option<(String, Option<String>)> = self
            .conn
            .cached_row(
                &format!(
                    "SELECT status, not_after, min(seq) FROM certificates WHERE kind = 'cas'
                     AND product IN (?1, ?2) AND {column} = ?3
                     AND (?4 IS NULL OR region IS NULL OR region = ?4)"
                ),
                params![product.name(), EVERY, value, region],
                |r| {
                    Ok(r.get::<_, Option<String>>(0)?
                        .map(|status| (status, r.get::<_, Option<String>>(1).ok().flatten())))
                },
            )
            .map_err(db_error)?;
        // An issued certificate past its end is expired, at the time statuses are judged at.
        Ok(row.map(|(status, not_after)| {
            let ended = not_after
                .and_then(|t| OffsetDateTime::parse(&t, &Rfc3339).ok())
                .is_some_and(|end| end < self.now());
            if status == "issued" && ended {
                CasStatus::from_name("expired")
            } else {
                CasStatus::from_name(&status)
            }
        }))
    }
}

impl Faults for View<'_> {
    fn authentication_fails(&self) -> bool {
        self.faults.authentication
    }

    fn delete_fails(&self) -> bool {
        self.faults.delete
    }

    fn store_fails(&self) -> bool {
        self.faults.store
    }
}
