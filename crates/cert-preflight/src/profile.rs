//! Profiles: one documented API each — its action, its parameter names and its error table —
//! and the one place that maps a failure to the table's entry.
//!
//! A profile is data. The checks never ask which API they serve; they produce a [`Failure`],
//! and [`Profile::entry_for`] answers with the profile's entry, or with `None` when the API does
//! not perform that check (live's `CertName` requirement on cdn, say), in which case the check
//! is not applied. Adding a third API (see `aliyun-apis.md`) is one more table and one more
//! `Profile` value.

use crate::catalog::{CatalogEntry, cdn, live};
use crate::pem::Field;
use crate::state::DomainStatus;
use crate::verdict::Failure;

/// The names an API gives its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamNames {
    /// The domain (`DomainName`).
    pub domain_name: &'static str,
    /// The HTTPS switch (`ServerCertificateStatus` / `SSLProtocol`).
    pub switch: &'static str,
    /// The certificate chain (`ServerCertificate` / `SSLPub`).
    pub certificate: &'static str,
    /// The private key (`PrivateKey` / `SSLPri`).
    pub private_key: &'static str,
    /// The certificate's name (`CertName`).
    pub cert_name: &'static str,
    /// The certificate's type (`CertType`).
    pub cert_type: &'static str,
    /// Skip the duplicate-name check (`ForceSet`).
    pub force_set: &'static str,
}

impl ParamNames {
    /// The parameter name of a field.
    pub const fn of(&self, field: Field) -> &'static str {
        match field {
            Field::Certificate => self.certificate,
            Field::PrivateKey => self.private_key,
        }
    }
}

/// Which entry answers each kind of failure; `None` where the API has no such check.
#[derive(Debug)]
struct Codes {
    domain_not_found: &'static CatalogEntry,
    domain_forbidden: &'static CatalogEntry,
    domain_offline: &'static CatalogEntry,
    domain_configuring: &'static CatalogEntry,
    domain_suspended: &'static CatalogEntry,
    domain_safe_mode: &'static CatalogEntry,
    domain_protected_mode: &'static CatalogEntry,
    domain_function_mutex: &'static CatalogEntry,
    authentication_failed: &'static CatalogEntry,
    switch_value: &'static CatalogEntry,
    not_permitted_off: &'static CatalogEntry,
    delete_failed: &'static CatalogEntry,
    parameter_error: &'static CatalogEntry,
    cert_name_too_long: &'static CatalogEntry,
    cert_name_missing: Option<&'static CatalogEntry>,
    cas_not_found: &'static CatalogEntry,
    cas_not_usable: &'static CatalogEntry,
    cas_expired: &'static CatalogEntry,
    certificate_missing: &'static CatalogEntry,
    private_key_missing: &'static CatalogEntry,
    private_key_blank: &'static CatalogEntry,
    too_long: &'static CatalogEntry,
    certificate_not_text: &'static CatalogEntry,
    private_key_not_text: &'static CatalogEntry,
    certificate_pem: &'static CatalogEntry,
    certificate_and_key_pem: Option<&'static CatalogEntry>,
    certificate_base64: &'static CatalogEntry,
    private_key_base64: &'static CatalogEntry,
    certificate_der: &'static CatalogEntry,
    private_key_pem: &'static CatalogEntry,
    private_key_malformed: &'static CatalogEntry,
    mismatch: &'static CatalogEntry,
    leaf_not_first: &'static CatalogEntry,
    expired: &'static CatalogEntry,
    name_duplicated: &'static CatalogEntry,
    content_duplicated: Option<&'static CatalogEntry>,
    storage_failed: Option<&'static CatalogEntry>,
    not_effective: &'static CatalogEntry,
}

/// One documented API: its action, parameter names and error table.
#[derive(Debug)]
pub struct Profile {
    name: &'static str,
    action: &'static str,
    params: ParamNames,
    catalog: &'static [CatalogEntry],
    codes: Codes,
}

const COMMON_PARAMS: ParamNames = ParamNames {
    domain_name: "DomainName",
    switch: "",
    certificate: "",
    private_key: "",
    cert_name: "CertName",
    cert_type: "CertType",
    force_set: "ForceSet",
};

/// CDN `SetDomainServerCertificate` (seed `000_4eed8e43d92823cb.txt`).
pub static CDN: Profile = Profile {
    name: "cdn",
    action: "SetDomainServerCertificate",
    params: ParamNames {
        switch: "ServerCertificateStatus",
        certificate: "ServerCertificate",
        private_key: "PrivateKey",
        ..COMMON_PARAMS
    },
    catalog: cdn::TABLE,
    codes: Codes {
        domain_not_found: &cdn::INVALID_DOMAIN_NOT_FOUND,
        domain_forbidden: &cdn::ILLEGAL_OPERATION,
        domain_offline: &cdn::INVALID_DOMAIN_OFFLINE,
        domain_configuring: &cdn::SERVICE_BUSY,
        domain_suspended: &cdn::OPERATION_DENIED,
        // Not in the cdn table: the nearest is "no permission for this operation".
        domain_safe_mode: &cdn::ILLEGAL_OPERATION,
        domain_protected_mode: &cdn::ILLEGAL_OPERATION,
        domain_function_mutex: &cdn::ILLEGAL_OPERATION,
        authentication_failed: &cdn::ILLEGAL_OPERATION,
        switch_value: &cdn::INVALID_STATUS_VALUE,
        not_permitted_off: &cdn::NOT_PERMITTED_OFF,
        delete_failed: &cdn::DELETE_FAILED,
        parameter_error: &cdn::PARAMETER_ERROR,
        cert_name_too_long: &cdn::CERT_NAME_TOO_LONG,
        cert_name_missing: None,
        cas_not_found: &cdn::NOT_FIND,
        cas_not_usable: &cdn::STATUS_ERROR_NOT_EXIST,
        cas_expired: &cdn::STATUS_ERROR,
        certificate_missing: &cdn::CERTIFICATE_MISSING,
        private_key_missing: &cdn::PRIVATE_KEY_MISSING,
        private_key_blank: &cdn::KEY_NULL,
        too_long: &cdn::TOO_LONG,
        certificate_not_text: &cdn::INVALID_CERTIFICATE,
        private_key_not_text: &cdn::INVALID_PRIVATE_KEY,
        certificate_pem: &cdn::INVALID_CERTIFICATE,
        certificate_and_key_pem: None,
        certificate_base64: &cdn::INVALID_CERTIFICATE,
        private_key_base64: &cdn::INVALID_PRIVATE_KEY,
        certificate_der: &cdn::FORMAT_ERROR,
        private_key_pem: &cdn::INVALID_PRIVATE_KEY,
        private_key_malformed: &cdn::KEY_MALFORMED,
        mismatch: &cdn::MISS_MATCH,
        leaf_not_first: &cdn::MISS_MATCH,
        expired: &cdn::STATUS_ERROR,
        name_duplicated: &cdn::DUPLICATED,
        content_duplicated: None,
        storage_failed: None,
        not_effective: &cdn::SETTED_NOT_EFFECT,
    },
};

/// ApsaraVideo Live `SetLiveDomainCertificate` (seed `004_a6b01ed1c165bf09.txt`).
pub static LIVE: Profile = Profile {
    name: "live",
    action: "SetLiveDomainCertificate",
    params: ParamNames {
        switch: "SSLProtocol",
        certificate: "SSLPub",
        private_key: "SSLPri",
        ..COMMON_PARAMS
    },
    catalog: live::TABLE,
    codes: Codes {
        domain_not_found: &live::ILLEGAL_OPERATION_DOMAIN,
        domain_forbidden: &live::ILLEGAL_OPERATION,
        domain_offline: &live::DOMAIN_NOT_ONLINE,
        // Not in the live table: "not online, try again later" is what a configuring
        // domain is; a suspended account may not operate ("Illegal domain operate").
        domain_configuring: &live::DOMAIN_NOT_ONLINE,
        domain_suspended: &live::ILLEGAL_OPERATION,
        domain_safe_mode: &live::DOMAIN_IN_SAFE_MODE,
        domain_protected_mode: &live::DOMAIN_IN_PROTECTED_MODE,
        domain_function_mutex: &live::FUNCTION_MUTEX,
        authentication_failed: &live::AUTHENTICATION_FAILED,
        switch_value: &live::INVALID_SSL_PROTOCOL_VALUE,
        not_permitted_off: &live::NOT_PERMITTED_OFF,
        delete_failed: &live::DELETE_FAILED,
        parameter_error: &live::PARAMETER_ERROR,
        cert_name_too_long: &live::CERT_NAME_TOO_LONG,
        cert_name_missing: Some(&live::CERT_NAME_MISSING),
        cas_not_found: &live::NOT_FIND,
        cas_not_usable: &live::STATUS_ERROR_NOT_EXIST,
        cas_expired: &live::STATUS_ERROR,
        certificate_missing: &live::SSL_PUB_MISSING,
        private_key_missing: &live::SSL_PRI_MISSING,
        private_key_blank: &live::KEY_NULL,
        too_long: &live::TOO_LONG,
        certificate_not_text: &live::SSL_PUB_ERROR,
        private_key_not_text: &live::SSL_PRI_ERROR,
        certificate_pem: &live::INVALID_SSL_PUB,
        certificate_and_key_pem: Some(&live::INVALID_SSL_PUB_OR_PRI),
        certificate_base64: &live::DECODE_ERROR,
        private_key_base64: &live::DECODE_ERROR,
        certificate_der: &live::FORMAT_ERROR,
        private_key_pem: &live::INVALID_SSL_PRI,
        private_key_malformed: &live::KEY_MALFORMED,
        mismatch: &live::MISS_MATCH,
        leaf_not_first: &live::MISS_MATCH_ORDER,
        expired: &live::EXPIRED,
        name_duplicated: &live::DUPLICATED,
        content_duplicated: Some(&live::CONTENT_DUPLICATED),
        storage_failed: Some(&live::STORAGE_FAILED),
        not_effective: &live::SETTED_NOT_EFFECT,
    },
};

impl Profile {
    /// Every profile, in the order of their seeds.
    pub const ALL: [&'static Profile; 2] = [&CDN, &LIVE];

    /// The profile named `name` (`cdn` or `live`).
    pub fn by_name(name: &str) -> Option<&'static Profile> {
        Self::ALL.into_iter().find(|p| p.name == name)
    }

    /// The short name used on the command line and in JSON (`cdn`, `live`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The API's `Action`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The API's parameter names.
    pub fn params(&self) -> &ParamNames {
        &self.params
    }

    /// The API's error table, in the seed's order.
    pub fn catalog(&self) -> &'static [CatalogEntry] {
        self.catalog
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
            Failure::HttpsOffForbidden { .. } => c.not_permitted_off,
            Failure::DeleteFailed { .. } => c.delete_failed,
            Failure::CertType { .. } | Failure::Parameter { .. } => c.parameter_error,
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
            Failure::Mismatch(_) => c.mismatch,
            Failure::LeafNotFirst { .. } => c.leaf_not_first,
            Failure::Expired { .. } => c.expired,
            Failure::NameDuplicated { .. } => c.name_duplicated,
            Failure::ContentDuplicated { .. } => return c.content_duplicated,
            Failure::StorageFailed => return c.storage_failed,
            Failure::NotEffective { .. } => c.not_effective,
        })
    }
}
