//! Profiles: one documented API each — its action, its parameters, its error table and its
//! rules — and the one place that maps a failure to the table's entry.
//!
//! A profile is data, one file per API (`profile/*.rs`). The checks never ask which API they
//! serve: they read the profile's [`Rules`] and parameter [`Role`]s, and produce a [`Failure`];
//! [`Profile::entry_for`] answers with the profile's entry, or with `None` when the API does
//! not perform that check (live's `CertName` requirement on cdn, say), in which case the check
//! is not applied. Adding an API adds a file; a profile can also be made outside the crate
//! (every field is public), and the pipeline runs it unchanged.

mod cas;
mod cdn;
mod cdn_ssl;
mod clb;
mod dcdn;
mod gateway;
mod live;
mod vod;

pub use cas::CAS;
pub use cdn::CDN;
pub use cdn_ssl::CDN_SSL;
pub use clb::CLB;
pub use dcdn::DCDN;
pub use live::LIVE;
pub use vod::VOD;

use crate::catalog::CatalogEntry;
use crate::failure::Failure;
use crate::pem::Field;
use crate::private_key::{KeyFormat, KeyProblem};
use crate::role::Role;
use crate::status::{DomainStatus, Product};

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
    /// With `CertType=cas` when no `CertId` names the certificate.
    WithCasWithoutId,
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

/// A kind of character, for a name pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CharClass {
    /// `A`–`Z` and `a`–`z`.
    AsciiLetter,
    /// `0`–`9`.
    AsciiDigit,
    /// A Chinese character: the CJK Unified Ideographs (with their extensions A to H) and the
    /// CJK Compatibility Ideographs.
    Han,
    /// One of these characters.
    AnyOf(&'static str),
}

impl CharClass {
    /// Whether `c` is of this kind.
    pub fn contains(self, c: char) -> bool {
        match self {
            CharClass::AsciiLetter => c.is_ascii_alphabetic(),
            CharClass::AsciiDigit => c.is_ascii_digit(),
            CharClass::Han => matches!(
                u32::from(c),
                0x3400..=0x4DBF
                    | 0x4E00..=0x9FFF
                    | 0xF900..=0xFAFF
                    | 0x2_0000..=0x2_EBEF
                    | 0x2_F800..=0x2_FA1F
                    | 0x3_0000..=0x3_23AF
            ),
            CharClass::AnyOf(chars) => chars.contains(c),
        }
    }
}

/// The characters a `CertName` may hold, where the API states a pattern: the kinds its first
/// character must be of, and those of every other character. An empty name breaks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct NamePattern {
    /// The kinds the first character may be of.
    pub first: &'static [CharClass],
    /// The kinds every other character may be of.
    pub rest: &'static [CharClass],
    /// The pattern in words, for details (`it must be 1 to 80 characters, each …`).
    pub described: &'static str,
}

impl NamePattern {
    /// A pattern: the first character's kinds, the others', and the rule in words.
    pub const fn new(
        first: &'static [CharClass],
        rest: &'static [CharClass],
        described: &'static str,
    ) -> NamePattern {
        NamePattern {
            first,
            rest,
            described,
        }
    }
}

/// What an API accepts, beyond its parameter names. Build one with [`Rules::new`] and set the
/// fields that differ (new fields may be added: a rule the API does not state keeps its
/// default).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Rules {
    /// The accepted `CertType` values (`upload` is the default). An API without a `CertType`
    /// parameter whose list has `cas` takes a request that names a `CertId` as a `cas` one
    /// (CLB's `AliCloudCertificateId`), any other as an upload.
    pub cert_types: &'static [&'static str],
    /// When `CertName` is required.
    pub cert_name_required: NameRequired,
    /// How a `cas` certificate is found.
    pub cas_by: CasBy,
    /// The accepted `CertRegion` values (empty when the API has no such parameter).
    pub cert_regions: &'static [&'static str],
    /// The accepted `Env` values (empty when the API has no such parameter).
    pub envs: &'static [&'static str],
    /// The longest `CertName` the API takes, in characters (Unicode scalar values).
    pub cert_name_max_chars: usize,
    /// The characters a `CertName` may hold; `None`: any.
    pub cert_name_pattern: Option<NamePattern>,
    /// The private-key encodings the API takes; empty: every one the checks read (PKCS#1,
    /// PKCS#8, SEC1).
    pub private_key_formats: &'static [KeyFormat],
    /// A blank line inside the PEM text (between two blocks, or inside a block's base64) is
    /// refused, not only warned about.
    pub pem_blank_lines_refused: bool,
}

impl Rules {
    /// The rules of an API that takes only uploads (`CertType` `upload`), never requires a
    /// name, finds `cas` certificates by id, takes names of up to
    /// [`CERT_NAME_MAX_CHARS`](crate::CERT_NAME_MAX_CHARS) characters of any kind, every key
    /// encoding, and blank lines in the PEM text (a warning says so).
    pub const fn new() -> Rules {
        Rules {
            cert_types: &["upload"],
            cert_name_required: NameRequired::Never,
            cas_by: CasBy::Id,
            cert_regions: &[],
            envs: &[],
            cert_name_max_chars: crate::limits::CERT_NAME_MAX_CHARS,
            cert_name_pattern: None,
            private_key_formats: &[],
            pem_blank_lines_refused: false,
        }
    }
}

impl Default for Rules {
    fn default() -> Self {
        Rules::new()
    }
}

/// The entries of the checks an API with domains makes (rows 1–3 and the last of row 22):
/// the domain's state, the HTTPS switch, turning HTTPS off.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct DomainCodes {
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
    /// Row 22: set but not in effect.
    pub not_effective: Option<&'static CatalogEntry>,
}

impl DomainCodes {
    /// Every domain state (and a failed authentication) answered `domain_not_found`, a bad
    /// switch `switch_value`, a failed delete `delete_failed`; no `NotPermittedOff` or
    /// `SettedNotEffect` check. Set the fields the API answers otherwise.
    pub const fn new(
        domain_not_found: &'static CatalogEntry,
        switch_value: &'static CatalogEntry,
        delete_failed: &'static CatalogEntry,
    ) -> DomainCodes {
        DomainCodes {
            domain_not_found,
            domain_forbidden: domain_not_found,
            domain_offline: domain_not_found,
            domain_configuring: domain_not_found,
            domain_suspended: domain_not_found,
            domain_safe_mode: domain_not_found,
            domain_protected_mode: domain_not_found,
            domain_function_mutex: domain_not_found,
            authentication_failed: domain_not_found,
            switch_value,
            not_permitted_off: None,
            delete_failed,
            not_effective: None,
        }
    }
}

/// The entries of row 7: a `CertType=cas` certificate looked up in the certificate service.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CasCodes {
    /// No such certificate.
    pub not_found: &'static CatalogEntry,
    /// The certificate is not usable.
    pub not_usable: &'static CatalogEntry,
    /// The certificate has expired.
    pub expired: &'static CatalogEntry,
}

impl CasCodes {
    /// `not_found` for an unknown certificate, `not_usable` for one not issued (expired
    /// included; set `expired` where the API answers that otherwise).
    pub const fn new(
        not_found: &'static CatalogEntry,
        not_usable: &'static CatalogEntry,
    ) -> CasCodes {
        CasCodes {
            not_found,
            not_usable,
            expired: not_usable,
        }
    }
}

/// Which entry answers each kind of failure; `None` where the API has no such check. Build
/// one with [`Codes::new`] and set the fields the API answers otherwise: a kind of failure
/// added later answers with one of the constructor's entries, so a profile written against
/// this version keeps compiling.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Codes {
    /// Before row 1, the gateway's: the parameters the API requires, each with its entry
    /// (`Missing<Name>`, 400, `<Name> is mandatory for this action.`).
    pub required: &'static [(Role, &'static CatalogEntry)],
    /// Rows 1–3 and 22 (domain state, switch, HTTPS off); `None` for an API without domains.
    pub domain: Option<DomainCodes>,
    /// Row 4: `CertType` or another parameter has an impossible value.
    pub parameter_error: &'static CatalogEntry,
    /// Row 4: `CertRegion` not accepted; `None`: the parameter error.
    pub cert_region: Option<&'static CatalogEntry>,
    /// Row 4: `Env` not accepted; `None`: the parameter error.
    pub env: Option<&'static CatalogEntry>,
    /// Row 5: `CertName` too long; `None`: the API has no limit it answers.
    pub cert_name_too_long: Option<&'static CatalogEntry>,
    /// Row 6: `CertName` required.
    pub cert_name_missing: Option<&'static CatalogEntry>,
    /// Row 7: the `CertType=cas` look-up; `None` for an API without `CertType=cas`.
    pub cas: Option<CasCodes>,
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
    /// Row 17: a password-protected key; `None`: `private_key_malformed`.
    pub private_key_encrypted: Option<&'static CatalogEntry>,
    /// Row 18: the key does not match the leaf.
    pub mismatch: &'static CatalogEntry,
    /// Row 18b: the key matches a later certificate.
    pub leaf_not_first: &'static CatalogEntry,
    /// Row 19: the leaf has expired; `None`: the API takes it (a warning says so).
    pub expired: Option<&'static CatalogEntry>,
    /// Row 20: a stored certificate has this name; `None`: names need not be unique.
    pub name_duplicated: Option<&'static CatalogEntry>,
    /// Row 20: a certificate-service certificate has this name; `None`: `name_duplicated`.
    pub name_taken_in_cas: Option<&'static CatalogEntry>,
    /// Row 21: the same content is stored.
    pub content_duplicated: Option<&'static CatalogEntry>,
    /// Row 22: storing failed (a simulated fault).
    pub storage_failed: Option<&'static CatalogEntry>,
    /// The store could not answer; `None`: an error of the call, not a verdict.
    pub store_error: Option<&'static CatalogEntry>,
    /// Entries of the API's service that its other actions or the gateway answer (an unknown
    /// id, an unknown action): in the catalog, never a check's answer.
    pub elsewhere: &'static [&'static CatalogEntry],
}

impl Codes {
    /// An API that answers a bad parameter with `parameter_error`, anything wrong with the
    /// certificate with `invalid_certificate`, anything wrong with the key with
    /// `invalid_private_key`, and a key of another certificate with `mismatch`; it has no
    /// domains, no `cas` look-up, no required parameters, no name or content checks, and takes
    /// an expired certificate. Set the fields it answers otherwise.
    pub const fn new(
        parameter_error: &'static CatalogEntry,
        invalid_certificate: &'static CatalogEntry,
        invalid_private_key: &'static CatalogEntry,
        mismatch: &'static CatalogEntry,
    ) -> Codes {
        Codes {
            required: &[],
            domain: None,
            parameter_error,
            cert_region: None,
            env: None,
            cert_name_too_long: None,
            cert_name_missing: None,
            cas: None,
            certificate_missing: invalid_certificate,
            private_key_missing: invalid_private_key,
            private_key_blank: invalid_private_key,
            too_long: invalid_certificate,
            certificate_not_text: invalid_certificate,
            private_key_not_text: invalid_private_key,
            certificate_pem: invalid_certificate,
            certificate_and_key_pem: None,
            certificate_base64: invalid_certificate,
            private_key_base64: invalid_private_key,
            certificate_der: invalid_certificate,
            private_key_pem: invalid_private_key,
            private_key_malformed: invalid_private_key,
            private_key_encrypted: None,
            mismatch,
            leaf_not_first: mismatch,
            expired: None,
            name_duplicated: None,
            name_taken_in_cas: None,
            content_duplicated: None,
            storage_failed: None,
            store_error: None,
            elsewhere: &[],
        }
    }
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
    /// Every profile: CDN's and Live's first APIs, the CDN family's successors, the
    /// certificate service, Classic Load Balancer.
    pub const ALL: &'static [&'static Profile] = &[&CDN, &LIVE, &CDN_SSL, &DCDN, &VOD, &CAS, &CLB];

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
            Role::Region => "RegionId",
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

    /// The first entry of its catalog with this code (the endpoint answers an API's other
    /// actions with these).
    pub fn entry(&self, code: &str) -> Option<&'static CatalogEntry> {
        self.catalog.iter().find(|e| e.code() == code)
    }

    /// Every entry the API may answer with: its error table, then the gateway's entries for
    /// its required parameters that the table does not list.
    pub fn entries(&self) -> impl Iterator<Item = &'static CatalogEntry> + '_ {
        let catalog = self.catalog;
        self.catalog.iter().chain(
            self.codes
                .required
                .iter()
                .map(|(_, entry)| *entry)
                .filter(move |entry| !catalog.contains(entry)),
        )
    }

    /// The entry this API answers `failure` with; `None` when the API has no such check.
    pub fn entry_for(&self, failure: &Failure) -> Option<&'static CatalogEntry> {
        let c = &self.codes;
        Some(match failure {
            Failure::MissingParameter { role, .. } => {
                return c
                    .required
                    .iter()
                    .find(|(r, _)| r == role)
                    .map(|(_, entry)| *entry);
            }
            Failure::Domain { state, .. } => {
                let d = c.domain.as_ref()?;
                match state {
                    DomainStatus::Online => return None,
                    DomainStatus::NotFound | DomainStatus::NotOwned => d.domain_not_found,
                    DomainStatus::Forbidden => d.domain_forbidden,
                    DomainStatus::Offline => d.domain_offline,
                    DomainStatus::Configuring => d.domain_configuring,
                    DomainStatus::Suspended => d.domain_suspended,
                    DomainStatus::SafeMode => d.domain_safe_mode,
                    DomainStatus::ProtectedMode => d.domain_protected_mode,
                    DomainStatus::FunctionMutex => d.domain_function_mutex,
                }
            }
            Failure::AuthenticationFailed => c.domain.as_ref()?.authentication_failed,
            Failure::Switch { .. } => c.domain.as_ref()?.switch_value,
            Failure::HttpsOffForbidden { .. } => return c.domain.as_ref()?.not_permitted_off,
            Failure::DeleteFailed { .. } => c.domain.as_ref()?.delete_failed,
            Failure::NotEffective { .. } => return c.domain.as_ref()?.not_effective,
            Failure::CertType { .. }
            | Failure::Parameter { .. }
            | Failure::CasIdMissing { .. }
            | Failure::CertNameInvalid { .. } => c.parameter_error,
            Failure::CertRegion { .. } => c.cert_region.unwrap_or(c.parameter_error),
            Failure::Env { .. } => c.env.unwrap_or(c.parameter_error),
            Failure::CertNameTooLong { .. } => return c.cert_name_too_long,
            Failure::CertNameMissing { .. } => return c.cert_name_missing,
            Failure::CasNotFound { .. } => c.cas.as_ref()?.not_found,
            Failure::CasNotUsable { .. } => c.cas.as_ref()?.not_usable,
            Failure::CasExpired { .. } => c.cas.as_ref()?.expired,
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
            // A blank line inside a block's body is a fault of the body's encoding (row 14).
            Failure::Base64 { field, .. } | Failure::BlankLine { field, .. } => match field {
                Field::Certificate => c.certificate_base64,
                Field::PrivateKey => c.private_key_base64,
            },
            Failure::CertificateDer { .. } => c.certificate_der,
            Failure::PrivateKeyPem { .. } => c.private_key_pem,
            Failure::PrivateKey(KeyProblem::Encrypted { .. }) => {
                c.private_key_encrypted.unwrap_or(c.private_key_malformed)
            }
            Failure::PrivateKey(_) => c.private_key_malformed,
            Failure::Mismatch(_) | Failure::CaCertificate { .. } | Failure::MatchesNone { .. } => {
                c.mismatch
            }
            Failure::LeafNotFirst { .. } => c.leaf_not_first,
            Failure::Expired { .. } => return c.expired,
            Failure::NameDuplicated { in_cas, .. } => match (in_cas, c.name_taken_in_cas) {
                (true, Some(entry)) => entry,
                _ => return c.name_duplicated,
            },
            Failure::ContentDuplicated { .. } => return c.content_duplicated,
            Failure::StorageFailed => return c.storage_failed,
            Failure::Store(_) => return c.store_error,
        })
    }
}
