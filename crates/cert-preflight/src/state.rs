//! What only the caller knows: the domain's state, the certificates already stored, and faults
//! to simulate (contract section 7). Each is a trait; [`InMemoryState`] implements all three,
//! filled from code or (feature `json`) from the contract's JSON document. A check whose
//! state is not given is skipped, never guessed, and the verdict lists it as skipped.

use core::fmt;
use std::collections::HashMap;

/// The state of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomainStatus {
    /// Online: the operation may proceed.
    Online,
    /// The domain does not exist.
    NotFound,
    /// The domain belongs to another account.
    NotOwned,
    /// The account may not operate on the domain.
    Forbidden,
    /// The domain is offline.
    Offline,
    /// The domain is being configured.
    Configuring,
    /// The account's service is suspended (in arrears).
    Suspended,
    /// The domain is in safe mode.
    SafeMode,
    /// The domain is in protected mode.
    ProtectedMode,
    /// A function mutually exclusive with this one is enabled.
    FunctionMutex,
}

impl DomainStatus {
    /// Every state, with the name the JSON document uses.
    pub const ALL: [(DomainStatus, &'static str); 10] = [
        (DomainStatus::Online, "online"),
        (DomainStatus::NotFound, "not_found"),
        (DomainStatus::NotOwned, "not_owned"),
        (DomainStatus::Forbidden, "forbidden"),
        (DomainStatus::Offline, "offline"),
        (DomainStatus::Configuring, "configuring"),
        (DomainStatus::Suspended, "suspended"),
        (DomainStatus::SafeMode, "safe_mode"),
        (DomainStatus::ProtectedMode, "protected_mode"),
        (DomainStatus::FunctionMutex, "function_mutex"),
    ];

    /// The state with this JSON name.
    pub fn from_name(name: &str) -> Option<DomainStatus> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(status, _)| *status)
    }

    /// The JSON name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(status, _)| *status == self)
            .map_or("online", |(_, n)| n)
    }
}

impl fmt::Display for DomainStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DomainStatus::Online => "online",
            DomainStatus::NotFound => "not found (no such domain in this account)",
            DomainStatus::NotOwned => "not yours (it belongs to another account)",
            DomainStatus::Forbidden => "not open to this operation for your account",
            DomainStatus::Offline => "offline; bring it online first",
            DomainStatus::Configuring => "being configured; retry when that finishes",
            DomainStatus::Suspended => "suspended because the service is in arrears",
            DomainStatus::SafeMode => "in safe mode; contact support to change it",
            DomainStatus::ProtectedMode => "in protected mode; contact support to change it",
            DomainStatus::FunctionMutex => {
                "using a function that excludes this one; turn that function off first"
            }
        })
    }
}

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

/// The status of a certificate in the certificate service (`CertType=cas`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CasStatus {
    /// Issued: usable.
    Issued,
    /// Anything else (`expired`, `revoked`, `pending` …), as the caller names it.
    Other(String),
}

impl CasStatus {
    /// The status named `name` (`issued` is [`CasStatus::Issued`]).
    pub fn from_name(name: &str) -> CasStatus {
        if name == "issued" {
            CasStatus::Issued
        } else {
            CasStatus::Other(name.to_owned())
        }
    }
}

impl fmt::Display for CasStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CasStatus::Issued => f.write_str("issued"),
            CasStatus::Other(name) => f.write_str(&crate::pem::shown(name, 32)),
        }
    }
}

/// The domains the caller knows.
pub trait DomainDirectory {
    /// The state of `domain`. A directory answers for every domain: one it does not list is
    /// [`DomainStatus::NotFound`].
    fn domain(&self, domain: &str) -> DomainInfo;
}

/// The certificates already stored.
pub trait CertificateStore {
    /// True when a certificate named `name` is stored (any type).
    fn name_taken(&self, name: &str) -> bool;
    /// The name of a stored certificate whose leaf has this SHA-256 fingerprint.
    fn content_stored(&self, fingerprint: &[u8; 32]) -> Option<String>;
    /// The status of the certificate-service (`cas`) certificate named `name`, if there is one.
    fn cas_certificate(&self, name: &str) -> Option<CasStatus>;
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

/// One stored certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// Its name.
    pub name: String,
    /// How it came to be.
    pub kind: CertKind,
    /// Its status.
    pub status: CasStatus,
    /// SHA-256 of its leaf certificate's DER, when its content is known.
    pub fingerprint: Option<[u8; 32]>,
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

/// All three kinds of state in memory. A part left `None` is unknown, and its checks are
/// skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InMemoryState {
    /// Known domains; a domain not listed is not found.
    pub domains: Option<HashMap<String, DomainInfo>>,
    /// Stored certificates.
    pub certificates: Option<Vec<StoredCertificate>>,
    /// Faults.
    pub faults: Option<FaultFlags>,
}

impl InMemoryState {
    /// Adds (or replaces) a domain, making the domain directory known.
    pub fn set_domain(&mut self, domain: &str, info: DomainInfo) -> &mut Self {
        self.domains
            .get_or_insert_with(HashMap::new)
            .insert(domain.to_ascii_lowercase(), info);
        self
    }

    /// Adds a stored certificate, making the store known. A certificate with the same name is
    /// replaced (what `ForceSet=1` does).
    pub fn add_certificate(&mut self, certificate: StoredCertificate) -> &mut Self {
        let store = self.certificates.get_or_insert_with(Vec::new);
        store.retain(|c| c.name != certificate.name);
        store.push(certificate);
        self
    }

    /// Sets the faults.
    pub fn set_faults(&mut self, faults: FaultFlags) -> &mut Self {
        self.faults = Some(faults);
        self
    }

    /// Records an accepted upload the way the service stores it, so a replay of the same
    /// upload answers `Certificate.Duplicated` / `CertificateContent.Duplicated`. Returns
    /// false (and records nothing) when the verdict is not an accepted upload.
    pub fn record(&mut self, verdict: &crate::Verdict) -> bool {
        let Some(upload) = verdict.upload() else {
            return false;
        };
        self.add_certificate(StoredCertificate {
            name: upload.name(),
            kind: CertKind::Upload,
            status: CasStatus::Issued,
            fingerprint: Some(upload.fingerprint()),
        });
        true
    }
}

impl DomainDirectory for HashMap<String, DomainInfo> {
    fn domain(&self, domain: &str) -> DomainInfo {
        self.get(&domain.to_ascii_lowercase())
            .copied()
            .unwrap_or(DomainInfo {
                status: DomainStatus::NotFound,
                ..DomainInfo::default()
            })
    }
}

impl CertificateStore for Vec<StoredCertificate> {
    fn name_taken(&self, name: &str) -> bool {
        self.iter().any(|c| c.name == name)
    }

    fn content_stored(&self, fingerprint: &[u8; 32]) -> Option<String> {
        self.iter()
            .find(|c| c.fingerprint.as_ref() == Some(fingerprint))
            .map(|c| c.name.clone())
    }

    fn cas_certificate(&self, name: &str) -> Option<CasStatus> {
        self.iter()
            .find(|c| c.kind == CertKind::Cas && c.name == name)
            .map(|c| c.status.clone())
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
    /// A certificate's `pem` has no readable leaf certificate.
    #[error("certificate {name:?}: its pem has no readable CERTIFICATE block ({reason})")]
    BadPem {
        /// The certificate's name.
        name: String,
        /// Why.
        reason: String,
    },
}

/// SHA-256 of the first certificate of a PEM chain.
#[cfg(feature = "json")]
fn leaf_fingerprint(pem: &str) -> Result<[u8; 32], String> {
    use crate::pem::{Field, certificate_blocks, frame};
    use sha2::Digest;
    let framed = frame(pem, Field::Certificate).map_err(|e| e.to_string())?;
    let blocks = certificate_blocks(&framed).map_err(|e| e.to_string())?;
    let leaf = blocks.first().ok_or("no certificate")?;
    let der = leaf.decode(Field::Certificate).map_err(|e| e.to_string())?;
    Ok(sha2::Sha256::digest(der.as_slice()).into())
}

#[cfg(feature = "json")]
mod json {
    use super::*;
    use serde::Deserialize;

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

    impl InMemoryState {
        /// Reads the JSON document of contract section 7.
        pub fn from_json(text: &str) -> Result<InMemoryState, StateError> {
            let document: Document =
                serde_json::from_str(text).map_err(|e| StateError::Syntax {
                    line: e.line(),
                    column: e.column(),
                    message: e.to_string(),
                })?;
            let mut state = InMemoryState::default();
            if let Some(domains) = document.domains {
                let mut map = HashMap::new();
                for (name, domain) in domains {
                    let status = DomainStatus::from_name(&domain.state).ok_or_else(|| {
                        StateError::UnknownDomainState {
                            domain: name.clone(),
                            state: domain.state.clone(),
                        }
                    })?;
                    map.insert(
                        name.to_ascii_lowercase(),
                        DomainInfo {
                            status,
                            https_off_forbidden: domain.https_off_forbidden,
                            not_effective: domain.not_effective,
                        },
                    );
                }
                state.domains = Some(map);
            }
            if let Some(certificates) = document.certificates {
                let mut store = Vec::new();
                for certificate in certificates {
                    let kind = match certificate.kind.as_str() {
                        "upload" => CertKind::Upload,
                        "cas" => CertKind::Cas,
                        "free" => CertKind::Free,
                        other => {
                            return Err(StateError::UnknownCertType {
                                name: certificate.name,
                                kind: other.to_owned(),
                            });
                        }
                    };
                    let fingerprint = certificate
                        .pem
                        .as_deref()
                        .map(leaf_fingerprint)
                        .transpose()
                        .map_err(|reason| StateError::BadPem {
                            name: certificate.name.clone(),
                            reason,
                        })?;
                    store.push(StoredCertificate {
                        name: certificate.name,
                        kind,
                        status: CasStatus::from_name(&certificate.status),
                        fingerprint,
                    });
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
