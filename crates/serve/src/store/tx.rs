//! One transaction of the writer: the library's state traits on it (read and write), the
//! HTTPS settings it changes, the request log entries it appends, and the savepoint each
//! request runs under (group commit: one request's changes roll back alone).

use cert_preflight::{
    CasRef, CasStatus, CertKind, CertificateFacts, CertificateStore, CertificateWriter, Chain,
    DomainDirectory, DomainInfo, FaultFlags, Faults, Product, StoreError, StoredCertificate,
};
use rusqlite::{Connection, Transaction, params};
use time::OffsetDateTime;

use super::log::{LogEntry, REQUEST_LOG_CAPACITY, insert_log};
use super::view::{View, view_state};
use super::{Cached, EVERY, db_error, now_text, product_column, status_name, unix_rfc3339};

/// What an accepted request changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// HTTPS on with the certificate of this name.
    On(String),
    /// HTTPS on with the certificate service's certificate of this id (and name).
    OnCas {
        /// Its `CertId`.
        id: String,
        /// Its name.
        name: String,
    },
    /// HTTPS off, certificate cleared.
    Off,
}

/// Stores `certificate`, replacing one of the same name visible to its product (what
/// `ForceSet=1` does and what the in-memory store does).
pub(super) fn insert_certificate(
    tx: &Connection,
    certificate: &StoredCertificate,
) -> rusqlite::Result<()> {
    let chain = certificate.chain.as_ref();
    let leaf = chain.and_then(Chain::leaf);
    let time = |t: Option<i64>| t.map(unix_rfc3339);
    let product = product_column(certificate.product);
    if certificate.product.is_some() {
        tx.cached_execute(
            "DELETE FROM certificates WHERE (product = ?1 OR product = ?2) AND name = ?3",
            params![product, EVERY, certificate.name],
        )?;
    } else {
        // A certificate of every product replaces one of its kind: a certificate-service
        // upload never replaces an upload of the state document of the same name.
        tx.cached_execute(
            "DELETE FROM certificates WHERE product = ?1 AND name = ?2 AND kind = ?3",
            params![EVERY, certificate.name, certificate.kind.name()],
        )?;
    }
    tx.cached_execute(
        "INSERT INTO certificates (product, name, cert_id, kind, status, fingerprint, pem,
         not_before, not_after, subject_names, issuer_org, created)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            product,
            certificate.name,
            certificate.id,
            certificate.kind.name(),
            status_name(&certificate.status),
            certificate.fingerprint.map(|f| f.to_vec()),
            chain.map(Chain::pem),
            time(leaf.map(CertificateFacts::not_before)),
            time(leaf.map(CertificateFacts::not_after)),
            leaf.map(|l| l.names().join(",")),
            leaf.and_then(CertificateFacts::issuer_organization),
            now_text(),
        ],
    )?;
    Ok(())
}

/// One request's transaction: the library's state traits on it.
pub(crate) struct Tx<'c> {
    tx: Transaction<'c>,
    faults: FaultFlags,
    any_domains: bool,
    at: Option<OffsetDateTime>,
    /// The sequence number of the last request logged in this transaction.
    last_log: Option<i64>,
    /// Set when a request's changes could not be undone.
    broken: bool,
}

impl<'c> Tx<'c> {
    /// A request's transaction, begun: the faults and the domains' presence read from it.
    pub(super) fn new(
        tx: Transaction<'c>,
        at: Option<OffsetDateTime>,
    ) -> Result<Tx<'c>, StoreError> {
        let (faults, any_domains) = view_state(&tx)?;
        Ok(Tx {
            tx,
            faults,
            any_domains,
            at,
            last_log: None,
            broken: false,
        })
    }
}

impl Tx<'_> {
    /// The connection, for an action's own statements (the certificate service's).
    pub(crate) fn conn(&self) -> &Connection {
        &self.tx
    }

    /// Runs `sql` as is: for the writer's tests.
    #[cfg(test)]
    pub(crate) fn raw(&self, sql: &str) -> Result<(), StoreError> {
        self.tx.execute_batch(sql).map_err(db_error)
    }

    /// Sets `domain`'s HTTPS setting in `product`.
    pub(crate) fn set_https(
        &mut self,
        product: Product,
        domain: &str,
        change: &Change,
    ) -> Result<(), StoreError> {
        let (https, cert, id) = match change {
            Change::On(name) => (true, Some(name.as_str()), None),
            Change::OnCas { id, name } => (true, Some(name.as_str()), Some(id.as_str())),
            Change::Off => (false, None, None),
        };
        self.tx
            .cached_execute(
                "INSERT OR REPLACE INTO domain_https
                 (product, name, https, cert_name, updated, cert_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    product.name(),
                    domain.to_ascii_lowercase(),
                    https,
                    cert,
                    now_text(),
                    id
                ],
            )
            .map(|_| ())
            .map_err(db_error)
    }

    /// Appends a request to the log (the oldest beyond [`REQUEST_LOG_CAPACITY`] go at commit).
    pub(crate) fn log(&mut self, entry: &LogEntry) -> Result<(), StoreError> {
        self.last_log = Some(insert_log(&self.tx, entry).map_err(db_error)?);
        Ok(())
    }

    /// Marks where [`Tx::rollback_to_mark`] returns to: one request's changes within a
    /// transaction that commits several (group commit).
    pub(crate) fn mark(&mut self) -> Result<(), StoreError> {
        self.tx
            .cached_execute("SAVEPOINT request", [])
            .map(|_| ())
            .map_err(db_error)
    }

    /// Keeps what was done since [`Tx::mark`].
    pub(crate) fn release_mark(&mut self) -> Result<(), StoreError> {
        self.tx
            .cached_execute("RELEASE request", [])
            .map(|_| ())
            .map_err(db_error)
    }

    /// Undoes what was done since [`Tx::mark`]. When that fails, the transaction is
    /// [`Tx::lost`].
    pub(crate) fn rollback_to_mark(&mut self) -> Result<(), StoreError> {
        let undone = self
            .tx
            .execute_batch("ROLLBACK TO request; RELEASE request")
            .map_err(db_error);
        if undone.is_err() {
            self.broken = true;
        }
        undone
    }

    /// Whether the transaction can no longer be trusted to commit only what was kept: SQLite
    /// rolled it back by itself (a full disk, an I/O error, no memory close the transaction
    /// and its savepoints), or a request's changes could not be undone.
    pub(crate) fn lost(&self) -> bool {
        self.broken || self.tx.is_autocommit()
    }

    /// Drops the log's oldest requests beyond [`REQUEST_LOG_CAPACITY`], then commits.
    pub(crate) fn commit(self) -> Result<(), StoreError> {
        if let Some(last) = self.last_log {
            self.tx
                .cached_execute(
                    "DELETE FROM requests WHERE seq <= ?1",
                    params![last.saturating_sub(REQUEST_LOG_CAPACITY)],
                )
                .map_err(db_error)?;
        }
        self.tx.commit().map_err(db_error)
    }
}

impl Tx<'_> {
    /// The state traits on this transaction.
    pub(crate) fn view(&self) -> View<'_> {
        View::new(&self.tx, self.faults, self.any_domains, self.at)
    }
}

impl DomainDirectory for Tx<'_> {
    fn domain(&self, product: Product, domain: &str) -> Result<DomainInfo, StoreError> {
        self.view().domain(product, domain)
    }
}

impl CertificateStore for Tx<'_> {
    fn name_taken(&self, product: Product, name: &str) -> Result<Option<CertKind>, StoreError> {
        self.view().name_taken(product, name)
    }

    fn content_stored(
        &self,
        product: Product,
        fingerprint: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        self.view().content_stored(product, fingerprint)
    }

    fn cas_certificate(
        &self,
        product: Product,
        cas: CasRef<'_>,
    ) -> Result<Option<CasStatus>, StoreError> {
        self.view().cas_certificate(product, cas)
    }
}

impl CertificateWriter for Tx<'_> {
    fn save(
        &mut self,
        _product: Product,
        certificate: StoredCertificate,
    ) -> Result<(), StoreError> {
        insert_certificate(&self.tx, &certificate).map_err(db_error)
    }
}

impl Faults for Tx<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use cert_preflight::DomainStatus;

    pub(crate) const STATE: &str = r#"{
        "domains": {
            "a.example.com": {"state": "offline"},
            "b.example.com": {"state": "online", "products": ["live"]}
        },
        "certificates": [{"name": "old", "type": "cas", "status": "expired", "products": ["cdn"]}],
        "faults": {"store": true}
    }"#;

    #[test]
    fn directory_and_store_on_a_transaction() {
        let mut store = Store::open(None).unwrap();
        {
            let tx = store.begin().unwrap();
            // No domains: every domain is online.
            assert_eq!(
                tx.domain(Product::Cdn, "x.example").unwrap().status,
                DomainStatus::Online
            );
        }
        store.apply_state(STATE).unwrap();
        let mut tx = store.begin().unwrap();
        assert_eq!(
            tx.domain(Product::Cdn, "A.example.com").unwrap().status,
            DomainStatus::Offline
        );
        assert_eq!(
            tx.domain(Product::Cdn, "b.example.com").unwrap().status,
            DomainStatus::NotFound
        );
        assert_eq!(
            tx.domain(Product::Live, "b.example.com").unwrap().status,
            DomainStatus::Online
        );
        assert!(tx.store_fails());
        assert_eq!(
            tx.cas_certificate(Product::Cdn, CasRef::Name("old"))
                .unwrap(),
            Some(CasStatus::Other("expired".into()))
        );
        assert_eq!(
            tx.cas_certificate(Product::Live, CasRef::Name("old"))
                .unwrap(),
            None
        );
        let certificate = StoredCertificate {
            name: "new".into(),
            id: None,
            product: Some(Product::Vod),
            kind: CertKind::Upload,
            status: CasStatus::Issued,
            fingerprint: Some([7; 32]),
            chain: None,
        };
        tx.save(Product::Vod, certificate).unwrap();
        assert_eq!(
            tx.name_taken(Product::Vod, "new").unwrap(),
            Some(CertKind::Upload)
        );
        assert_eq!(tx.name_taken(Product::Cdn, "new").unwrap(), None);
        assert_eq!(
            tx.content_stored(Product::Vod, &[7; 32])
                .unwrap()
                .as_deref(),
            Some("new")
        );
        tx.set_https(Product::Vod, "v.example", &Change::On("new".into()))
            .unwrap();
        tx.commit().unwrap();
        let current = store
            .domain_certificate(Product::Vod, "V.example")
            .unwrap()
            .unwrap();
        assert!(current.https);
        assert_eq!(current.cert_name.as_deref(), Some("new"));
    }
}
