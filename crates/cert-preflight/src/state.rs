//! What only the caller knows: the domain's state, the certificates already stored, and faults
//! to simulate. Each is a trait a store implements — in memory
//! ([`InMemoryState`], filled from code or, with feature `json`, from the state file's
//! JSON document) or on a database (the endpoint's SQLite store). A check whose state is not given
//! is skipped, never guessed, and the verdict lists it as skipped.
//!
//! Domains and certificates are scoped by [`Product`]: CDN, DCDN, Live and VOD keep separate
//! state for one name. Reads can fail ([`StoreError`]): a failing store is answered with the
//! API's storage code where its table has one (`CertStorage.failed`), and is otherwise an error
//! of the call, not a verdict (`validate_with` returns it). The checks only read
//! ([`CertificateStore`]); the write path for an accepted upload is a separate trait,
//! [`CertificateWriter`], through [`record`]. [`StateView`] hands a check the parts of the state
//! the caller has.

use std::collections::HashMap;

use crate::facts::Chain;
use crate::failure::StoreError;
use crate::status::{CasStatus, DomainStatus, Product};
use crate::verdict::Verdict;

/// What the caller knows of one domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainInfo {
    /// Its state.
    pub status: DomainStatus,
    /// Turning HTTPS off is forbidden (`Certificate.NotPermittedOff`).
    pub https_off_forbidden: bool,
    /// A certificate set now would not take effect (`Certificate.SettedNotEffect`).
    pub not_effective: bool,
}

impl Default for DomainInfo {
    fn default() -> Self {
        DomainInfo {
            status: DomainStatus::Online,
            https_off_forbidden: false,
            not_effective: false,
        }
    }
}

/// The domains the caller knows.
pub trait DomainDirectory {
    /// The state of `domain` in `product`. A directory answers for every domain: one it does
    /// not list is [`DomainStatus::NotFound`].
    fn domain(&self, product: Product, domain: &str) -> Result<DomainInfo, StoreError>;
}

/// How a `CertType=cas` request names its certificate in the certificate service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CasRef<'a> {
    /// By `CertName` (`SetDomainServerCertificate`, `SetLiveDomainCertificate`).
    Name(&'a str),
    /// By `CertId` (`SetCdnDomainSSLCertificate` and its siblings, CLB).
    Id(&'a str),
    /// By `CertId`, in the certificate service of one site (`CertRegion`: `cn-hangzhou`,
    /// `ap-southeast-1`). The in-memory store knows no sites: it finds the id in any.
    IdInRegion {
        /// The id.
        id: &'a str,
        /// The site.
        region: &'a str,
    },
}

/// The certificates already stored.
pub trait CertificateStore {
    /// The kind of the certificate named `name` stored for `product`, if there is one.
    fn name_taken(&self, product: Product, name: &str) -> Result<Option<CertKind>, StoreError>;
    /// The name of a certificate stored for `product` whose leaf has this SHA-256 fingerprint.
    fn content_stored(
        &self,
        product: Product,
        fingerprint: &[u8; 32],
    ) -> Result<Option<String>, StoreError>;
    /// The status of the certificate-service (`cas`) certificate `cas` names, if there is one.
    fn cas_certificate(
        &self,
        product: Product,
        cas: CasRef<'_>,
    ) -> Result<Option<CasStatus>, StoreError>;
}

/// The write side of a certificate store: what an accepted upload does.
pub trait CertificateWriter {
    /// Stores `certificate` for `product`, replacing one of the same name (what an accepted
    /// upload does; `ForceSet=1` overwrites).
    fn save(&mut self, product: Product, certificate: StoredCertificate) -> Result<(), StoreError>;
}

/// The parts of the caller's state a check reads; a part left `None` is unknown and its
/// checks are skipped. It borrows trait objects without a `Sync` bound, so a store may be one
/// database transaction; it is cheap to copy.
#[derive(Clone, Copy, Default)]
#[non_exhaustive]
pub struct StateView<'a> {
    /// The domains' state; `None` skips the domain checks.
    pub domains: Option<&'a dyn DomainDirectory>,
    /// The stored certificates; `None` skips the look-ups and duplicate checks.
    pub store: Option<&'a dyn CertificateStore>,
    /// Faults to simulate; `None` skips them.
    pub faults: Option<&'a dyn Faults>,
}

impl core::fmt::Debug for StateView<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("StateView")
            .field("domains", &self.domains.is_some())
            .field("store", &self.store.is_some())
            .field("faults", &self.faults.is_some())
            .finish()
    }
}

impl<'a> StateView<'a> {
    /// No state: every state check is skipped.
    pub fn none() -> StateView<'a> {
        StateView::default()
    }

    /// The parts of `state` that are known (a part left `None` stays skipped).
    pub fn of(state: &'a InMemoryState) -> StateView<'a> {
        StateView {
            domains: state.domains.as_ref().map(|d| d as &dyn DomainDirectory),
            store: state
                .certificates
                .as_ref()
                .map(|c| c as &dyn CertificateStore),
            faults: state.faults.as_ref().map(|f| f as &dyn Faults),
        }
    }

    /// Uses this domain directory.
    #[must_use]
    pub fn with_domains(mut self, domains: &'a dyn DomainDirectory) -> StateView<'a> {
        self.domains = Some(domains);
        self
    }

    /// Uses this certificate store.
    #[must_use]
    pub fn with_store(mut self, store: &'a dyn CertificateStore) -> StateView<'a> {
        self.store = Some(store);
        self
    }

    /// Simulates these faults.
    #[must_use]
    pub fn with_faults(mut self, faults: &'a dyn Faults) -> StateView<'a> {
        self.faults = Some(faults);
        self
    }

    /// Uses one object that is all three (a database transaction, say).
    #[must_use]
    pub fn with_all<T>(self, all: &'a T) -> StateView<'a>
    where
        T: DomainDirectory + CertificateStore + Faults,
    {
        self.with_domains(all).with_store(all).with_faults(all)
    }
}

/// Faults to simulate.
pub trait Faults {
    /// The request fails authentication.
    fn authentication_fails(&self) -> bool;
    /// Deleting the stored certificate (switching off) fails.
    fn delete_fails(&self) -> bool;
    /// Storing the certificate fails.
    fn store_fails(&self) -> bool;
}

/// How a stored certificate came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CertKind {
    /// Uploaded (`CertType=upload`).
    Upload,
    /// From the certificate service (`CertType=cas`).
    Cas,
    /// A free certificate (`CertType=free`).
    Free,
}

impl CertKind {
    /// Every kind, with the name the state file uses.
    pub const ALL: [(CertKind, &'static str); 3] = [
        (CertKind::Upload, "upload"),
        (CertKind::Cas, "cas"),
        (CertKind::Free, "free"),
    ];

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<CertKind> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("upload", |(_, n)| n)
    }
}

/// One stored certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// Its name.
    pub name: String,
    /// Its id in the certificate service (`CertId`), for `cas` certificates.
    pub id: Option<String>,
    /// The product it is stored for; `None`: every product (a certificate-service entry).
    pub product: Option<Product>,
    /// How it came to be.
    pub kind: CertKind,
    /// Its status.
    pub status: CasStatus,
    /// SHA-256 of its leaf certificate's DER, when its content is known.
    pub fingerprint: Option<[u8; 32]>,
    /// The chain, when its content is known: what a store keeps and answers read-backs from.
    pub chain: Option<Chain>,
}

impl StoredCertificate {
    /// True when it is visible to `product`: a certificate of every product is visible to
    /// each, but the certificate service sees only its own (`cas`) certificates.
    pub fn serves(&self, product: Product) -> bool {
        match product {
            Product::Cas => self.kind == CertKind::Cas,
            product => self.product.is_none_or(|p| p == product),
        }
    }
}

/// Stores the upload an accepted verdict describes, through any store's write path. Returns
/// false (and stores nothing) when the verdict is not an accepted upload.
pub fn record(
    product: Product,
    verdict: &Verdict,
    store: &mut dyn CertificateWriter,
) -> Result<bool, StoreError> {
    let Some(upload) = verdict.upload() else {
        return Ok(false);
    };
    // The certificate service's certificates are the account's, for every product.
    let (kind, scope) = match product {
        Product::Cas => (CertKind::Cas, None),
        product => (CertKind::Upload, Some(product)),
    };
    store.save(
        product,
        StoredCertificate {
            name: upload.name(),
            id: None,
            product: scope,
            kind,
            status: CasStatus::Issued,
            fingerprint: Some(upload.fingerprint()),
            chain: Some(upload.chain().clone()),
        },
    )?;
    Ok(true)
}

/// The simulated faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FaultFlags {
    /// Authentication fails.
    pub authentication: bool,
    /// Deleting fails.
    pub delete: bool,
    /// Storing fails.
    pub store: bool,
}

/// Domains in memory, each for every product or for one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InMemoryDomains {
    every: HashMap<String, DomainInfo>,
    scoped: HashMap<(Product, String), DomainInfo>,
}

impl InMemoryDomains {
    /// Sets `domain` (any case) for every product.
    pub fn insert(&mut self, domain: &str, info: DomainInfo) {
        self.every.insert(domain.to_ascii_lowercase(), info);
    }

    /// Sets `domain` (any case) for one product; it takes precedence over an entry for every
    /// product.
    pub fn insert_for(&mut self, product: Product, domain: &str, info: DomainInfo) {
        self.scoped
            .insert((product, domain.to_ascii_lowercase()), info);
    }

    /// What is known of `domain` in `product`, if it is listed.
    pub fn get(&self, product: Product, domain: &str) -> Option<DomainInfo> {
        let domain = domain.to_ascii_lowercase();
        self.scoped
            .get(&(product, domain.clone()))
            .or_else(|| self.every.get(&domain))
            .copied()
    }

    /// Every entry: the product (`None` for every product), the domain and its state.
    pub fn iter(&self) -> impl Iterator<Item = (Option<Product>, &str, DomainInfo)> {
        self.every
            .iter()
            .map(|(d, i)| (None, d.as_str(), *i))
            .chain(
                self.scoped
                    .iter()
                    .map(|((p, d), i)| (Some(*p), d.as_str(), *i)),
            )
    }
}

impl DomainDirectory for InMemoryDomains {
    fn domain(&self, product: Product, domain: &str) -> Result<DomainInfo, StoreError> {
        Ok(self.get(product, domain).unwrap_or(DomainInfo {
            status: DomainStatus::NotFound,
            ..DomainInfo::default()
        }))
    }
}

impl CertificateStore for Vec<StoredCertificate> {
    fn name_taken(&self, product: Product, name: &str) -> Result<Option<CertKind>, StoreError> {
        Ok(self
            .iter()
            .find(|c| c.serves(product) && c.name == name)
            .map(|c| c.kind))
    }

    fn content_stored(
        &self,
        product: Product,
        fingerprint: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .iter()
            .find(|c| c.serves(product) && c.fingerprint.as_ref() == Some(fingerprint))
            .map(|c| c.name.clone()))
    }

    fn cas_certificate(
        &self,
        product: Product,
        cas: CasRef<'_>,
    ) -> Result<Option<CasStatus>, StoreError> {
        Ok(self
            .iter()
            .filter(|c| c.kind == CertKind::Cas && c.serves(product))
            .find(|c| match cas {
                CasRef::Name(name) => c.name == name,
                CasRef::Id(id) | CasRef::IdInRegion { id, .. } => c.id.as_deref() == Some(id),
            })
            .map(|c| c.status.clone()))
    }
}

impl CertificateWriter for Vec<StoredCertificate> {
    fn save(&mut self, product: Product, certificate: StoredCertificate) -> Result<(), StoreError> {
        self.retain(|c| !(c.serves(product) && c.name == certificate.name));
        self.push(certificate);
        Ok(())
    }
}

impl Faults for FaultFlags {
    fn authentication_fails(&self) -> bool {
        self.authentication
    }

    fn delete_fails(&self) -> bool {
        self.delete
    }

    fn store_fails(&self) -> bool {
        self.store
    }
}

/// All three kinds of state in memory. A part left `None` is unknown, and its checks are
/// skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InMemoryState {
    /// Known domains; a domain not listed is not found.
    pub domains: Option<InMemoryDomains>,
    /// Stored certificates.
    pub certificates: Option<Vec<StoredCertificate>>,
    /// Faults.
    pub faults: Option<FaultFlags>,
}

impl InMemoryState {
    /// Adds (or replaces) a domain of every product, making the domain directory known.
    pub fn set_domain(&mut self, domain: &str, info: DomainInfo) -> &mut Self {
        self.domains
            .get_or_insert_with(InMemoryDomains::default)
            .insert(domain, info);
        self
    }

    /// Adds (or replaces) a domain of one product, making the domain directory known.
    pub fn set_product_domain(
        &mut self,
        product: Product,
        domain: &str,
        info: DomainInfo,
    ) -> &mut Self {
        self.domains
            .get_or_insert_with(InMemoryDomains::default)
            .insert_for(product, domain, info);
        self
    }

    /// Adds a stored certificate, making the store known. A certificate with the same name (in
    /// the same products) is replaced (what `ForceSet=1` does).
    pub fn add_certificate(&mut self, certificate: StoredCertificate) -> &mut Self {
        let store = self.certificates.get_or_insert_with(Vec::new);
        store.retain(|c| !(c.name == certificate.name && c.product == certificate.product));
        store.push(certificate);
        self
    }

    /// Sets the faults.
    pub fn set_faults(&mut self, faults: FaultFlags) -> &mut Self {
        self.faults = Some(faults);
        self
    }

    /// Records an accepted upload for `product` the way the service stores it, so a replay of
    /// the same upload answers `Certificate.Duplicated` / `CertificateContent.Duplicated`.
    /// Returns false (and records nothing) when the verdict is not an accepted upload.
    pub fn record(&mut self, product: Product, verdict: &Verdict) -> bool {
        let store = self.certificates.get_or_insert_with(Vec::new);
        // The in-memory store cannot fail.
        record(product, verdict, store).unwrap_or(false)
    }
}

/// A state document that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The JSON is malformed or does not have the documented shape.
    #[error("line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A domain's `state` is not one of the documented names.
    #[error("domain {domain:?}: unknown state {state:?}; allowed: {}", DomainStatus::ALL.iter().map(|(_, n)| *n).collect::<Vec<_>>().join(", "))]
    UnknownDomainState {
        /// The domain.
        domain: String,
        /// The state given.
        state: String,
    },
    /// A certificate's `type` is not `upload`, `cas` or `free`.
    #[error("certificate {name:?}: unknown type {kind:?}; allowed: upload, cas, free")]
    UnknownCertType {
        /// The certificate's name.
        name: String,
        /// The type given.
        kind: String,
    },
    /// A `products` entry is not a product's name.
    #[error("{owner}: unknown product {product:?}; allowed: cdn, dcdn, live, vod")]
    UnknownProduct {
        /// The domain or certificate that names it.
        owner: String,
        /// The name given.
        product: String,
    },
    /// A certificate's `pem` has no readable leaf certificate.
    #[error("certificate {name:?}: its pem has no readable CERTIFICATE block ({reason})")]
    BadPem {
        /// The certificate's name.
        name: String,
        /// Why.
        reason: String,
    },
}

#[cfg(feature = "json")]
mod json {
    use super::*;
    use serde::Deserialize;
    use std::collections::HashMap;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Document {
        domains: Option<HashMap<String, Domain>>,
        certificates: Option<Vec<Certificate>>,
        faults: Option<Fault>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Domain {
        #[serde(default = "online")]
        state: String,
        #[serde(default)]
        https_off_forbidden: bool,
        #[serde(default)]
        not_effective: bool,
        products: Option<Vec<String>>,
    }

    fn online() -> String {
        "online".to_owned()
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Certificate {
        name: String,
        #[serde(rename = "type", default = "upload")]
        kind: String,
        #[serde(default = "issued")]
        status: String,
        pem: Option<String>,
        id: Option<String>,
        products: Option<Vec<String>>,
    }

    fn upload() -> String {
        "upload".to_owned()
    }

    fn issued() -> String {
        "issued".to_owned()
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Fault {
        #[serde(default)]
        authentication: bool,
        #[serde(default)]
        delete: bool,
        #[serde(default)]
        store: bool,
    }

    /// A `products` list, as products; `None` when absent (every product).
    fn products(
        owner: &str,
        names: Option<Vec<String>>,
    ) -> Result<Option<Vec<Product>>, StateError> {
        names
            .map(|names| {
                names
                    .iter()
                    .map(|name| {
                        Product::from_name(name).ok_or_else(|| StateError::UnknownProduct {
                            owner: owner.to_owned(),
                            product: name.clone(),
                        })
                    })
                    .collect()
            })
            .transpose()
    }

    impl InMemoryState {
        /// Reads the state file's JSON document (`domains`, `certificates`, `faults`; the
        /// repository's `docs/state-file.md` describes it).
        pub fn from_json(text: &str) -> Result<InMemoryState, StateError> {
            let document: Document =
                serde_json::from_str(text).map_err(|e| StateError::Syntax {
                    line: e.line(),
                    column: e.column(),
                    // serde_json ends its text with the position, which the error shows once.
                    message: e
                        .to_string()
                        .trim_end_matches(&format!(" at line {} column {}", e.line(), e.column()))
                        .to_owned(),
                })?;
            let mut state = InMemoryState::default();
            if let Some(domains) = document.domains {
                let mut directory = InMemoryDomains::default();
                for (name, domain) in domains {
                    let status = DomainStatus::from_name(&domain.state).ok_or_else(|| {
                        StateError::UnknownDomainState {
                            domain: name.clone(),
                            state: domain.state.clone(),
                        }
                    })?;
                    let info = DomainInfo {
                        status,
                        https_off_forbidden: domain.https_off_forbidden,
                        not_effective: domain.not_effective,
                    };
                    match products(&format!("domain {name:?}"), domain.products)? {
                        None => directory.insert(&name, info),
                        Some(products) => {
                            for product in products {
                                directory.insert_for(product, &name, info);
                            }
                        }
                    }
                }
                state.domains = Some(directory);
            }
            if let Some(certificates) = document.certificates {
                let mut store = Vec::new();
                for certificate in certificates {
                    let Some(kind) = CertKind::from_name(&certificate.kind) else {
                        return Err(StateError::UnknownCertType {
                            name: certificate.name,
                            kind: certificate.kind,
                        });
                    };
                    let chain = certificate
                        .pem
                        .as_deref()
                        .map(Chain::from_pem)
                        .transpose()
                        .map_err(|e| StateError::BadPem {
                            name: certificate.name.clone(),
                            reason: e.to_string(),
                        })?;
                    let fingerprint = chain
                        .as_ref()
                        .and_then(Chain::leaf)
                        .map(crate::facts::CertificateFacts::sha256);
                    let owner = format!("certificate {:?}", certificate.name);
                    let scope = products(&owner, certificate.products)?;
                    let stored = StoredCertificate {
                        name: certificate.name,
                        id: certificate.id,
                        product: None,
                        kind,
                        status: CasStatus::from_name(&certificate.status),
                        fingerprint,
                        chain,
                    };
                    match scope {
                        None => store.push(stored),
                        Some(products) => {
                            store.extend(products.into_iter().map(|p| StoredCertificate {
                                product: Some(p),
                                ..stored.clone()
                            }))
                        }
                    }
                }
                state.certificates = Some(store);
            }
            state.faults = document.faults.map(|f| FaultFlags {
                authentication: f.authentication,
                delete: f.delete,
                store: f.store,
            });
            Ok(state)
        }
    }
}
