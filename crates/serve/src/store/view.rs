//! A read snapshot: the library's state traits on a read connection (or on the writer's
//! transaction), what a domain's read-back shows, and the pool of read connections that lets
//! checks run beside the writer (WAL readers see one consistent snapshot and never wait).

use cert_preflight::{
    CasRef, CasStatus, CertKind, CertificateStore, DomainDirectory, DomainInfo, DomainStatus,
    FaultFlags, Faults, Product, StoreError,
};
use rusqlite::{Connection, OptionalExtension, params};

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
            "SELECT https, cert_name, updated FROM domain_https WHERE product = ?1 AND name = ?2",
            params![product.name(), domain.to_ascii_lowercase()],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;
    let Some((https, cert_name, updated)) = https else {
        return Ok(None);
    };
    let certificate = match &cert_name {
        None => None,
        Some(name) => conn.cached_row(
            // The product's own row before one of every product (see `View::domain`).
            "SELECT kind, pem, not_before, not_after, subject_names, issuer_org, cert_id,
                        min(product = ?2)
                 FROM certificates WHERE product IN (?1, ?2) AND name = ?3",
            params![product.name(), EVERY, name],
            |r| {
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
                        })
                    })
                    .transpose()
            },
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
    conn: &'c Connection,
    faults: FaultFlags,
    any_domains: bool,
}

impl<'c> View<'c> {
    /// A view on `conn`, with the faults and the domains' presence read from it.
    pub(super) fn new(conn: &'c Connection, faults: FaultFlags, any_domains: bool) -> View<'c> {
        View {
            conn,
            faults,
            any_domains,
        }
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
}

impl Readers {
    /// A pool of readers of the database file at `path`, empty until used.
    pub(super) fn new(path: std::path::PathBuf) -> Readers {
        Readers {
            path,
            idle: std::sync::Mutex::new(Vec::new()),
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
        let answer = state.map(|(faults, any_domains)| f(&View::new(&conn, faults, any_domains)));
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
        let kind: Option<String> = self
            .conn
            .cached_row(
                "SELECT kind, min(seq) FROM certificates WHERE product IN (?1, ?2) AND name = ?3",
                params![product.name(), EVERY, name],
                |r| r.get(0),
            )
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
        let (column, value) = match cas {
            CasRef::Name(name) => ("name", name),
            CasRef::Id(id) => ("cert_id", id),
            #[allow(unreachable_patterns)]
            _ => return Ok(None),
        };
        let status: Option<String> = self
            .conn
            .cached_row(
                &format!(
                    "SELECT status, min(seq) FROM certificates WHERE kind = 'cas'
                     AND product IN (?1, ?2) AND {column} = ?3"
                ),
                params![product.name(), EVERY, value],
                |r| r.get(0),
            )
            .map_err(db_error)?;
        Ok(status.map(|s| CasStatus::from_name(&s)))
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
