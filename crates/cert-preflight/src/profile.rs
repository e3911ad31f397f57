//! Profiles: one documented API each — its action, its parameters, its error table and its
//! rules — and the one place that maps a failure to the table's entry.
//!
//! A profile is data, one file per API (`profile/*.rs`). The checks never ask which API they
//! serve: they read the profile's [`Rules`] and parameter [`Role`]s, and produce a [`Failure`];
//! [`Profile::entry_for`] answers with the profile's entry, or with `None` when the API does
//! not perform that check (live's `CertName` requirement on cdn, say), in which case the check
//! is not applied. Adding an API adds a file; a profile can also be made outside the crate
//! (every field is public), and the pipeline runs it unchanged.

mod cdn;
mod cdn_ssl;
mod dcdn;
mod live;
mod vod;

pub use cdn::CDN;
pub use cdn_ssl::CDN_SSL;
pub use dcdn::DCDN;
pub use live::LIVE;
pub use vod::VOD;

use crate::catalog::CatalogEntry;
use crate::failure::Failure;
use crate::pem::Field;
use crate::status::{DomainStatus, Product};

/// What a parameter is for. A profile names each role it takes; a `Request`
/// holds values by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Role {
    /// The domain (`DomainName`).
    Domain,
    /// The HTTPS switch (`ServerCertificateStatus` / `SSLProtocol`); absent means `off`.
    Switch,
    /// The certificate chain (`ServerCertificate` / `SSLPub`).
    Certificate,
    /// The private key (`PrivateKey` / `SSLPri`).
    PrivateKey,
    /// The certificate's name (`CertName`).
    CertName,
    /// The certificate's type (`CertType`); absent means `upload`.
    CertType,
    /// The certificate-service id (`CertId`).
    CertId,
    /// The certificate-service region (`CertRegion`).
    CertRegion,
    /// The environment (`Env`).
    Env,
    /// Overwrite a certificate of the same name (`ForceSet`).
    ForceSet,
}

impl Role {
    /// Every role, in the order requests list them.
    pub const ALL: [Role; 10] = [
        Role::Domain,
        Role::Switch,
        Role::Certificate,
        Role::PrivateKey,
        Role::CertName,
        Role::CertType,
        Role::CertId,
        Role::CertRegion,
        Role::Env,
        Role::ForceSet,
    ];

    /// Its position in [`Role::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The role of a PEM field.
    pub const fn of(field: Field) -> Role {
        match field {
            Field::Certificate => Role::Certificate,
            Field::PrivateKey => Role::PrivateKey,
        }
    }
}

/// When an API requires `CertName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NameRequired {
    /// Never: the service names an upload without one.
    Never,
    /// Whenever the switch is `on` (live).
    WhenOn,
    /// With `CertType=cas` (the certificate service's entry is named).
    WithCas,
}

/// How `CertType=cas` finds its certificate in the certificate service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CasBy {
    /// By `CertName`.
    Name,
    /// By `CertId` (required with `cas`).
    Id,
}

/// What an API accepts, beyond its parameter names.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The accepted `CertType` values (`upload` is the default).
    pub cert_types: &'static [&'static str],
    /// When `CertName` is required.
    pub cert_name_required: NameRequired,
    /// How a `cas` certificate is found.
    pub cas_by: CasBy,
    /// The accepted `CertRegion` values (empty when the API has no such parameter).
    pub cert_regions: &'static [&'static str],
    /// The accepted `Env` values (empty when the API has no such parameter).
    pub envs: &'static [&'static str],
}

/// Which entry answers each kind of failure; `None` where the API has no such check.
#[derive(Debug, Clone, Copy)]
pub struct Codes {
    /// Row 1: the domain does not exist or is another account's.
    pub domain_not_found: &'static CatalogEntry,
    /// Row 1: the account may not operate on the domain.
    pub domain_forbidden: &'static CatalogEntry,
    /// Row 1: offline.
    pub domain_offline: &'static CatalogEntry,
    /// Row 1: being configured.
    pub domain_configuring: &'static CatalogEntry,
    /// Row 1: the service is suspended.
    pub domain_suspended: &'static CatalogEntry,
    /// Row 1: safe mode.
    pub domain_safe_mode: &'static CatalogEntry,
    /// Row 1: protected mode.
    pub domain_protected_mode: &'static CatalogEntry,
    /// Row 1: a mutually exclusive function.
    pub domain_function_mutex: &'static CatalogEntry,
    /// Row 1: authentication failed.
    pub authentication_failed: &'static CatalogEntry,
    /// Row 2: the switch's value.
    pub switch_value: &'static CatalogEntry,
    /// Row 3: HTTPS may not be turned off.
    pub not_permitted_off: Option<&'static CatalogEntry>,
    /// Row 3: deleting the stored certificate failed.
    pub delete_failed: &'static CatalogEntry,
    /// Row 4: `CertType` or another parameter has an impossible value.
    pub parameter_error: &'static CatalogEntry,
    /// Row 4: `CertRegion` not accepted; `None`: the parameter error.
    pub cert_region: Option<&'static CatalogEntry>,
    /// Row 4: `Env` not accepted; `None`: the parameter error.
    pub env: Option<&'static CatalogEntry>,
    /// Row 5: `CertName` too long.
    pub cert_name_too_long: &'static CatalogEntry,
    /// Row 6: `CertName` required.
    pub cert_name_missing: Option<&'static CatalogEntry>,
    /// Row 7: no such `cas` certificate.
    pub cas_not_found: &'static CatalogEntry,
    /// Row 7: the `cas` certificate is not usable.
    pub cas_not_usable: &'static CatalogEntry,
    /// Row 7: the `cas` certificate has expired.
    pub cas_expired: &'static CatalogEntry,
    /// Row 8: the certificate parameter is absent.
    pub certificate_missing: &'static CatalogEntry,
    /// Row 9: the key parameter is absent.
    pub private_key_missing: &'static CatalogEntry,
    /// Row 10: the key is empty or white space.
    pub private_key_blank: &'static CatalogEntry,
    /// Row 11: empty certificate or a value over its limit.
    pub too_long: &'static CatalogEntry,
    /// Row 12: the certificate is not text.
    pub certificate_not_text: &'static CatalogEntry,
    /// Row 12: the key is not text.
    pub private_key_not_text: &'static CatalogEntry,
    /// Row 13: no usable certificate block.
    pub certificate_pem: &'static CatalogEntry,
    /// Row 13: neither field has a usable block (live).
    pub certificate_and_key_pem: Option<&'static CatalogEntry>,
    /// Row 14: bad base64 in the certificate.
    pub certificate_base64: &'static CatalogEntry,
    /// Row 14: bad base64 in the key.
    pub private_key_base64: &'static CatalogEntry,
    /// Row 15: a certificate is not valid X.509.
    pub certificate_der: &'static CatalogEntry,
    /// Row 16: no usable private-key block.
    pub private_key_pem: &'static CatalogEntry,
    /// Row 17: not a valid private key.
    pub private_key_malformed: &'static CatalogEntry,
    /// Row 18: the key does not match the leaf.
    pub mismatch: &'static CatalogEntry,
    /// Row 18b: the key matches a later certificate.
    pub leaf_not_first: &'static CatalogEntry,
    /// Row 19: the leaf has expired.
    pub expired: &'static CatalogEntry,
    /// Row 20: an uploaded certificate has this name.
    pub name_duplicated: &'static CatalogEntry,
    /// Row 20: a certificate-service certificate has this name; `None`: `name_duplicated`.
    pub name_taken_in_cas: Option<&'static CatalogEntry>,
    /// Row 21: the same content is stored.
    pub content_duplicated: Option<&'static CatalogEntry>,
    /// Row 22: storing failed (a simulated fault).
    pub storage_failed: Option<&'static CatalogEntry>,
    /// The store could not answer; `None`: an error of the call, not a verdict.
    pub store_error: Option<&'static CatalogEntry>,
    /// Row 22: set but not in effect.
    pub not_effective: Option<&'static CatalogEntry>,
}

/// One documented API: its action, parameters, error table and rules.
#[derive(Debug)]
pub struct Profile {
    /// The short name used on the command line and in JSON (`cdn`, `live`, …).
    pub name: &'static str,
    /// The API's `Action`.
    pub action: &'static str,
    /// The API's `Version`.
    pub version: &'static str,
    /// The product whose state it reads and writes.
    pub product: Product,
    /// Each parameter's name and role.
    pub params: &'static [(&'static str, Role)],
    /// The error table, in the published order.
    pub catalog: &'static [CatalogEntry],
    /// Which entry answers each failure.
    pub codes: Codes,
    /// What it accepts.
    pub rules: Rules,
}

impl Profile {
    /// Every profile: the two seed APIs, then the APIs of contract section 8.
    pub const ALL: &'static [&'static Profile] = &[&CDN, &LIVE, &CDN_SSL, &DCDN, &VOD];

    /// The profile with this short name or `Action`, in any case (`cdn-ssl`,
    /// `SetCdnDomainSSLCertificate`, `setcdndomainsslcertificate`).
    pub fn by_name(name: &str) -> Option<&'static Profile> {
        Self::ALL
            .iter()
            .copied()
            .find(|p| p.name.eq_ignore_ascii_case(name) || p.action.eq_ignore_ascii_case(name))
    }

    /// The profile of this `Action` (exact, as the endpoint routes it).
    pub fn by_action(action: &str) -> Option<&'static Profile> {
        Self::ALL.iter().copied().find(|p| p.action == action)
    }

    /// The short name used on the command line and in JSON (`cdn`, `live`, …).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The API's `Action`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The API's `Version`.
    pub fn version(&self) -> &'static str {
        self.version
    }

    /// The product whose state it reads and writes.
    pub fn product(&self) -> Product {
        self.product
    }

    /// Each parameter's name and role.
    pub fn params(&self) -> &'static [(&'static str, Role)] {
        self.params
    }

    /// The name this API gives `role`, if it takes such a parameter.
    pub fn param(&self, role: Role) -> Option<&'static str> {
        self.params
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(n, _)| *n)
    }

    /// The name of `role`, or the role's usual name when the API has no such parameter (for
    /// details only).
    pub fn param_name(&self, role: Role) -> &'static str {
        self.param(role).unwrap_or(match role {
            Role::Domain => "DomainName",
            Role::Switch => "SSLProtocol",
            Role::Certificate => "SSLPub",
            Role::PrivateKey => "SSLPri",
            Role::CertName => "CertName",
            Role::CertType => "CertType",
            Role::CertId => "CertId",
            Role::CertRegion => "CertRegion",
            Role::Env => "Env",
            Role::ForceSet => "ForceSet",
        })
    }

    /// The role of the parameter named `name` (exact, as the service matches names).
    pub fn role_of(&self, name: &[u8]) -> Option<Role> {
        self.params
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, r)| *r)
    }

    /// The API's error table, in the published order.
    pub fn catalog(&self) -> &'static [CatalogEntry] {
        self.catalog
    }

    /// What the API accepts.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The entry this API answers `failure` with; `None` when the API has no such check.
    pub fn entry_for(&self, failure: &Failure) -> Option<&'static CatalogEntry> {
        let c = &self.codes;
        Some(match failure {
            Failure::Domain { state, .. } => match state {
                DomainStatus::Online => return None,
                DomainStatus::NotFound | DomainStatus::NotOwned => c.domain_not_found,
                DomainStatus::Forbidden => c.domain_forbidden,
                DomainStatus::Offline => c.domain_offline,
                DomainStatus::Configuring => c.domain_configuring,
                DomainStatus::Suspended => c.domain_suspended,
                DomainStatus::SafeMode => c.domain_safe_mode,
                DomainStatus::ProtectedMode => c.domain_protected_mode,
                DomainStatus::FunctionMutex => c.domain_function_mutex,
            },
            Failure::AuthenticationFailed => c.authentication_failed,
            Failure::Switch { .. } => c.switch_value,
            Failure::HttpsOffForbidden { .. } => return c.not_permitted_off,
            Failure::DeleteFailed { .. } => c.delete_failed,
            Failure::CertType { .. } | Failure::Parameter { .. } | Failure::CasIdMissing { .. } => {
                c.parameter_error
            }
            Failure::CertRegion { .. } => c.cert_region.unwrap_or(c.parameter_error),
            Failure::Env { .. } => c.env.unwrap_or(c.parameter_error),
            Failure::CertNameTooLong { .. } => c.cert_name_too_long,
            Failure::CertNameMissing { .. } => return c.cert_name_missing,
            Failure::CasNotFound { .. } => c.cas_not_found,
            Failure::CasNotUsable { .. } => c.cas_not_usable,
            Failure::CasExpired { .. } => c.cas_expired,
            Failure::CertificateMissing { .. } => c.certificate_missing,
            Failure::PrivateKeyMissing { .. } => c.private_key_missing,
            Failure::PrivateKeyBlank { .. } => c.private_key_blank,
            Failure::CertificateEmpty { .. } | Failure::TooLong { .. } => c.too_long,
            Failure::NotText { field, .. } => match field {
                Field::Certificate => c.certificate_not_text,
                Field::PrivateKey => c.private_key_not_text,
            },
            Failure::CertificatePem { .. } => c.certificate_pem,
            Failure::CertificateAndKeyPem { .. } => return c.certificate_and_key_pem,
            Failure::Base64 { field, .. } => match field {
                Field::Certificate => c.certificate_base64,
                Field::PrivateKey => c.private_key_base64,
            },
            Failure::CertificateDer { .. } => c.certificate_der,
            Failure::PrivateKeyPem { .. } => c.private_key_pem,
            Failure::PrivateKey(_) => c.private_key_malformed,
            Failure::Mismatch(_) | Failure::CaCertificate { .. } | Failure::MatchesNone { .. } => {
                c.mismatch
            }
            Failure::LeafNotFirst { .. } => c.leaf_not_first,
            Failure::Expired { .. } => c.expired,
            Failure::NameDuplicated { in_cas, .. } => match (in_cas, c.name_taken_in_cas) {
                (true, Some(entry)) => entry,
                _ => c.name_duplicated,
            },
            Failure::ContentDuplicated { .. } => return c.content_duplicated,
            Failure::StorageFailed => return c.storage_failed,
            Failure::Store(_) => return c.store_error,
            Failure::NotEffective { .. } => return c.not_effective,
        })
    }
}
