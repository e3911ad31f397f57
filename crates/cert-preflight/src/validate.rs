//! The pipeline: every check of the check table (`docs/checks.md` in the repository), each a
//! named function (`check_switch`, `check_cert_name`, `check_pem`, `check_key_match`,
//! `check_expiry`, …) whose doc names its row; [`validate`] runs them in the table's order. The
//! first finding is the service's answer; the checks go on as far as the inputs allow, so a
//! rejection carries every finding, and an acceptance carries the warnings.

use sha2::Digest;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::certificate::Certificate;
use crate::chain;
use crate::container;
use crate::facts::Chain;
use crate::failure::{BadValue, Failure, RequiredWhen, Skipped, StoreError, TextProblem, Warning};
use crate::key_match::{self, KeyPublic};
use crate::limits::Limits;
use crate::pem::{
    self, Block, Field, FormatNote, Framed, FramingError, KeyBlocks, Label, PemError,
};
use crate::private_key::{self, KeyProblem};
use crate::profile::{CasBy, NamePattern, NameRequired, Profile};
use crate::request::{Request, Value};
use crate::role::Role;
use crate::state::{CasRef, CertKind, DomainInfo, StateView};
use crate::status::{CasStatus, DomainStatus};
use crate::text::{hex, shown};
use crate::verdict::{Finding, Upload, Verdict};

/// The settings of a check: the time, the limits, the warning window. Plain values (`Copy`,
/// `Sync`); the caller's state, when there is any, comes separately as a [`StateView`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// The time to check validity at. The library never reads the clock.
    pub now: OffsetDateTime,
    /// Byte limits of the certificate and key parameters.
    pub limits: Limits,
    /// Warn when the leaf expires within this many days (default 30).
    pub expiry_warning_days: u32,
}

impl Options {
    /// Checks at `now`, with default limits.
    pub fn at(now: OffsetDateTime) -> Options {
        Options {
            now,
            limits: Limits::DEFAULT,
            expiry_warning_days: 30,
        }
    }

    /// Uses these limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Options {
        self.limits = limits;
        self
    }

    /// Warns when the leaf expires within `days` days.
    #[must_use]
    pub fn with_expiry_warning_days(mut self, days: u32) -> Options {
        self.expiry_warning_days = days;
        self
    }
}

/// Checks `request` the way the API of `profile` would, without the caller's state: the
/// checks that need it are skipped (and listed in [`Verdict::skipped`]).
pub fn validate(profile: &Profile, request: &Request, options: &Options) -> Verdict {
    let mut run = Run {
        profile,
        request,
        options,
        state: StateView::none(),
        verdict: Verdict::empty(),
        store_error: None,
    };
    run.all();
    run.verdict
}

/// Checks `request` the way the API of `profile` would, with the parts of the caller's state
/// that `state` has.
///
/// A store that fails ([`StoreError`]) is answered with the API's storage code where its table
/// has one; otherwise the check cannot be answered and the error is returned.
pub fn validate_with(
    profile: &Profile,
    request: &Request,
    options: &Options,
    state: &StateView<'_>,
) -> Result<Verdict, StoreError> {
    let mut run = Run {
        profile,
        request,
        options,
        state: *state,
        verdict: Verdict::empty(),
        store_error: None,
    };
    run.all();
    match run.store_error {
        Some(error) => Err(error),
        None => Ok(run.verdict),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    On,
    Off,
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CertType {
    Upload,
    Cas,
    Free,
    Invalid,
}

struct Run<'r> {
    profile: &'r Profile,
    request: &'r Request,
    options: &'r Options,
    state: StateView<'r>,
    verdict: Verdict,
    store_error: Option<StoreError>,
}

/// A framed PEM parameter, or why it could not be framed.
type FramedField<'t> = Result<Framed<'t>, FramingError>;

/// The certificate field's blocks, or why it has none usable.
type CertificateBlocks<'f, 'a> = Result<Vec<&'f Block<'a>>, PemError>;

/// The DER of each certificate block, with the line of its BEGIN.
type CertificateDers = Vec<(usize, Zeroizing<Vec<u8>>)>;

/// The key block's label, and its DER with the DER of a parameters block before it.
type KeyDers = (Label, (Zeroizing<Vec<u8>>, Option<Zeroizing<Vec<u8>>>));

/// The value as text, or what keeps it from being a usable parameter value (row 4).
fn text_value(value: &Value) -> Result<&str, BadValue> {
    if value.times() > 1 {
        return Err(BadValue::Repeated {
            times: value.times(),
        });
    }
    if let Some(offset) = value.bad_escape() {
        return Err(BadValue::BadEscape { offset });
    }
    match value.as_str() {
        Some(text) if text.contains('\0') => Err(BadValue::NotText),
        Some(text) => Ok(text),
        None => Err(BadValue::NotText),
    }
}

/// Row 12: a certificate or key value that is not text.
fn text_problem(value: &Value) -> Result<&str, TextProblem> {
    if let Some(offset) = value.bad_escape() {
        return Err(TextProblem::BadEscape { offset });
    }
    let text = core::str::from_utf8(value.as_bytes()).map_err(|e| TextProblem::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    match text.find('\0') {
        Some(offset) => Err(TextProblem::Nul { offset }),
        None => Ok(text),
    }
}

/// Why a `DomainName` cannot be a domain name.
fn domain_problem(domain: &str) -> Option<&'static str> {
    if crate::text::looks_like_key_material(domain.as_bytes()) {
        Some("looks like key material (PEM armour or a long base64 run), not a domain name")
    } else if domain.is_empty() {
        Some("is empty")
    } else if domain.len() > 253 {
        Some("is longer than 253 bytes")
    } else if domain.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("contains white space or control characters")
    } else if domain.contains(['/', '?', '#', '@', ':']) {
        Some("is not a bare domain name (it contains '/', '?', '#', '@' or ':')")
    } else {
        None
    }
}

/// Why a `RegionId` cannot be a region id (`cn-hangzhou`, `ap-southeast-1`).
fn region_problem(region: &str) -> Option<&'static str> {
    let shaped = !region.is_empty()
        && region.len() <= 64
        && region.contains('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (!shaped).then_some("is not a region id (lower-case letters, digits and '-', like cn-hangzhou)")
}

/// How `name` breaks `pattern`, if it does.
fn name_problem(name: &str, pattern: &NamePattern) -> Option<String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some(format!("is empty; {}", pattern.described));
    };
    let of = |classes: &[crate::profile::CharClass], c: char| classes.iter().any(|k| k.contains(c));
    if !of(pattern.first, first) {
        return Some(format!(
            "{:?} starts with {first:?}; {}",
            shown(name, 64),
            pattern.described
        ));
    }
    let (index, bad) = chars.enumerate().find(|(_, c)| !of(pattern.rest, *c))?;
    Some(format!(
        "{:?} holds {bad:?} (character {}); {}",
        shown(name, 64),
        index.saturating_add(2),
        pattern.described
    ))
}

impl<'r> Run<'r> {
    /// The rows of the check table, in order.
    fn all(&mut self) {
        self.check_required();
        let domain = self.domain_name();
        // Rows 1–3 are an API's with domains; without them an upload is always "on".
        let (info, switch) = if self.profile.codes.domain.is_some() {
            let info = self.check_domain_state(domain);
            let switch = self.check_switch();
            if switch == Switch::Off {
                self.check_switch_off(domain, info);
            }
            (info, switch)
        } else {
            (None, Switch::On)
        };
        let cert_type = self.check_parameters();
        let cert_name = self.check_cert_name();
        if switch != Switch::On {
            return;
        }
        self.check_cert_name_required(cert_type);
        if cert_type == CertType::Cas {
            self.check_cas(cert_name);
        }
        let content = cert_type == CertType::Upload
            || (cert_type == CertType::Invalid
                && (self.get(Role::Certificate).is_some() || self.get(Role::PrivateKey).is_some()));
        let (leaf, chain) = if content {
            self.check_content(domain, cert_type == CertType::Upload)
        } else {
            (None, None)
        };
        if cert_type == CertType::Upload {
            self.check_duplicate_name(cert_name);
            self.check_duplicate_content(leaf.as_deref());
        }
        self.check_storage(cert_type, domain, info);
        if let Some(chain) = chain
            && cert_type == CertType::Upload
            && self.verdict.findings.is_empty()
        {
            let name = cert_name
                .filter(|n| !n.trim().is_empty())
                .map(str::to_owned);
            let overwrites = self.overwrites();
            self.verdict.upload = Some(Upload::new(name, overwrites, chain));
        }
    }

    /// Before row 1, the gateway's check: every parameter the API requires is present.
    fn check_required(&mut self) {
        for &(role, _) in self.profile.codes.required {
            if self.get(role).is_none() {
                let param = self.param(role);
                self.fail(Failure::MissingParameter { role, param });
            }
        }
    }

    /// Rows 8–19 and the warnings, on the certificate and key parameters.
    /// Returns the leaf's DER when it parsed, and, when `keep` is set and nothing was found
    /// wrong, the chain's facts for the store.
    fn check_content(
        &mut self,
        domain: Option<&str>,
        keep: bool,
    ) -> (Option<Vec<u8>>, Option<Chain>) {
        self.check_presence();
        let key = self.check_key_blank();
        let (cert, key) = self.check_length(key);
        let cert_text = cert.and_then(|value| self.check_text(value, Field::Certificate));
        let key_text = key.and_then(|value| self.check_text(value, Field::PrivateKey));
        let cert_framed = cert_text.map(|t| pem::frame(t, Field::Certificate));
        let key_framed = key_text.map(|t| pem::frame(t, Field::PrivateKey));
        let cert_blocks = cert_text
            .zip(cert_framed.as_ref())
            .map(|(t, f)| framing(t, f, Field::Certificate).and_then(pem::certificate_blocks));
        let key_blocks = key_text
            .zip(key_framed.as_ref())
            .map(|(t, f)| framing(t, f, Field::PrivateKey).and_then(pem::key_blocks));
        let key_pem_reported = self.check_pem(cert_blocks.as_ref(), key_blocks.as_ref());
        self.check_blank_lines(cert_framed.as_ref(), key_framed.as_ref());
        let cert_ders = self.check_certificate_base64(cert_blocks.as_ref());
        let (key_refusal, key_ders) = self.check_key_base64(key_blocks.as_ref());
        let (chain, chain_complete) = self.check_certificate_der(cert_ders.as_ref());
        if !key_pem_reported {
            self.check_key_pem(key_blocks.as_ref());
        }
        let derived = self.check_private_key(key_refusal, key_ders.as_ref(), chain.first());
        let leaf_index = self.check_key_match(derived.as_ref(), &chain);
        self.check_expiry(chain.first());
        self.format_warnings(cert_framed.as_ref(), key_framed.as_ref());
        // When the key matches no certificate, which one is the leaf is unknown: no warning
        // about the leaf, the chain's order or its members (they could tell the user to
        // remove the real leaf).
        if let Some(leaf) = leaf_index.and_then(|index| chain.get(index)) {
            self.leaf_warnings(leaf, domain);
        }
        if let Some(e) = derived.as_ref().and_then(KeyPublic::large_rsa_exponent) {
            self.warn(Warning::LargeRsaExponent { e });
        }
        if chain_complete {
            for warning in chain::warnings(&chain, leaf_index, self.now()) {
                self.warn(warning);
            }
        }
        let kept =
            (keep && chain_complete && self.verdict.findings.is_empty()).then(|| Chain::of(&chain));
        (chain.first().map(|leaf| leaf.der.to_vec()), kept)
    }

    /// The value of `role`, when the API takes such a parameter (a request built in code may
    /// hold roles the API does not name: they are not read).
    fn get(&self, role: Role) -> Option<&'r Value> {
        self.profile.param(role)?;
        self.request.get(role)
    }

    fn param(&self, role: Role) -> &'static str {
        self.profile.param_name(role)
    }

    fn now(&self) -> i64 {
        self.options.now.unix_timestamp()
    }

    /// Records a failure with the profile's entry; false when the API has no such check.
    fn fail(&mut self, failure: Failure) -> bool {
        match self.profile.entry_for(&failure) {
            Some(entry) => {
                self.verdict.findings.push(Finding::new(entry, failure));
                true
            }
            None => false,
        }
    }

    fn warn(&mut self, warning: Warning) {
        self.verdict.warnings.push(warning);
    }

    fn skip(&mut self, skipped: Skipped) {
        if !self.verdict.skipped.contains(&skipped) {
            self.verdict.skipped.push(skipped);
        }
    }

    fn performs(&self, failure: &Failure) -> bool {
        self.profile.entry_for(failure).is_some()
    }

    /// A store's answer, or `None` when it failed: the failure is the API's storage code where
    /// it has one, else the error of the whole call.
    fn stored<T>(&mut self, answer: Result<T, StoreError>) -> Option<T> {
        match answer {
            Ok(value) => Some(value),
            Err(error) => {
                let failure = Failure::Store(error.clone());
                if !self.fail(failure) && self.store_error.is_none() {
                    self.store_error = Some(error);
                }
                None
            }
        }
    }

    /// `DomainName`, when it is a usable domain name.
    fn domain_name(&self) -> Option<&'r str> {
        self.get(Role::Domain)
            .and_then(|v| text_value(v).ok())
            .filter(|d| domain_problem(d).is_none())
    }

    /// Row 1: the domain's state and the authentication fault.
    fn check_domain_state(&mut self, domain: Option<&str>) -> Option<DomainInfo> {
        if let Some(faults) = self.state.faults
            && faults.authentication_fails()
        {
            self.fail(Failure::AuthenticationFailed);
        }
        let (Some(directory), Some(domain)) = (self.state.domains, domain) else {
            self.skip(Skipped::DomainState);
            return None;
        };
        let info = self.stored(directory.domain(self.profile.product(), domain))?;
        if info.status != DomainStatus::Online {
            self.fail(Failure::Domain {
                domain: domain.to_owned(),
                state: info.status,
            });
        }
        Some(info)
    }

    /// Row 2: the switch is exactly `on` or `off` (absent means `off`).
    fn check_switch(&mut self) -> Switch {
        let param = self.param(Role::Switch);
        let value = match self.get(Role::Switch).map(text_value) {
            None | Some(Ok("off")) => return Switch::Off,
            Some(Ok("on")) => return Switch::On,
            Some(Ok(other)) => BadValue::Text(shown(other, 64)),
            Some(Err(value)) => value,
        };
        self.fail(Failure::Switch { param, value });
        Switch::Invalid
    }

    /// Row 3: HTTPS off may be forbidden, and deleting the stored certificate may fail.
    fn check_switch_off(&mut self, domain: Option<&str>, info: Option<DomainInfo>) {
        match (info, domain) {
            (Some(info), Some(domain)) => {
                if info.https_off_forbidden {
                    self.fail(Failure::HttpsOffForbidden {
                        domain: domain.to_owned(),
                    });
                }
            }
            _ => self.skip(Skipped::SwitchOff),
        }
        match self.state.faults {
            Some(faults) => {
                if faults.delete_fails() {
                    self.fail(Failure::DeleteFailed {
                        domain: domain.unwrap_or("the domain").to_owned(),
                    });
                }
            }
            None => self.skip(Skipped::SwitchOff),
        }
    }

    /// Row 4: `CertType`, and parameters with impossible values (`DomainName`, `CertName`,
    /// `ForceSet`, `CertId`, `CertRegion`, `Env`, a repeated certificate or key).
    fn check_parameters(&mut self) -> CertType {
        let cert_type = self.check_cert_type();
        for role in [Role::Domain, Role::CertName, Role::ForceSet, Role::Region] {
            let Some(value) = self.get(role) else {
                continue;
            };
            let problem = match text_value(value) {
                Err(problem) => Some(problem),
                Ok(domain) if role == Role::Domain => {
                    domain_problem(domain).map(BadValue::Impossible)
                }
                Ok(region) if role == Role::Region => {
                    region_problem(region).map(BadValue::Impossible)
                }
                // A name the gateway requires (the certificate service's `Name`): present but
                // blank is an impossible value (absent is the gateway's Missing<Name>).
                Ok(name)
                    if role == Role::CertName
                        && name.trim().is_empty()
                        && self.profile.codes.required.iter().any(|&(r, _)| r == role) =>
                {
                    Some(BadValue::Impossible("is empty"))
                }
                Ok(_) => None,
            };
            if let Some(value) = problem {
                let param = self.param(role);
                self.fail(Failure::Parameter { role, param, value });
            }
        }
        self.check_cert_id();
        self.check_choice(Role::CertRegion);
        self.check_choice(Role::Env);
        for role in [Role::Certificate, Role::PrivateKey] {
            if let Some(value) = self.get(role)
                && value.times() > 1
            {
                let param = self.param(role);
                self.fail(Failure::Parameter {
                    role,
                    param,
                    value: BadValue::Repeated {
                        times: value.times(),
                    },
                });
            }
        }
        cert_type
    }

    /// Row 4: `CertType` is one of the API's types (absent means `upload`; where the API has
    /// no `CertType` but takes `cas` certificates, a request naming a `CertId` is `cas`).
    fn check_cert_type(&mut self) -> CertType {
        let allowed = self.profile.rules().cert_types;
        let value = match self.get(Role::CertType).map(text_value) {
            None if self.cas_implied() => return CertType::Cas,
            None => return CertType::Upload,
            Some(Ok(text)) if allowed.contains(&text) => match text {
                "upload" => return CertType::Upload,
                "cas" => return CertType::Cas,
                "free" => return CertType::Free,
                other => BadValue::Text(shown(other, 64)),
            },
            Some(Ok(other)) => BadValue::Text(shown(other, 64)),
            Some(Err(value)) => value,
        };
        let param = self.param(Role::CertType);
        self.fail(Failure::CertType {
            param,
            value,
            allowed,
        });
        CertType::Invalid
    }

    /// An API without a `CertType` parameter that takes `cas` certificates, asked with a
    /// `CertId` (CLB's `AliCloudCertificateId`).
    fn cas_implied(&self) -> bool {
        self.profile.param(Role::CertType).is_none()
            && self.profile.rules().cert_types.contains(&"cas")
            && self.get(Role::CertId).is_some()
    }

    /// Row 4: `CertId` is the certificate service's numeric id.
    fn check_cert_id(&mut self) {
        let Some(value) = self.get(Role::CertId) else {
            return;
        };
        let problem = match text_value(value) {
            Err(problem) => Some(problem),
            Ok(id) if id.is_empty() || id.len() > 19 || !id.bytes().all(|b| b.is_ascii_digit()) => {
                Some(BadValue::Impossible(
                    "is not a whole number (the certificate service's numeric certificate id)",
                ))
            }
            Ok(_) => None,
        };
        if let Some(value) = problem {
            let param = self.param(Role::CertId);
            self.fail(Failure::Parameter {
                role: Role::CertId,
                param,
                value,
            });
        }
    }

    /// Row 4: `CertRegion` and `Env` take one of the API's values.
    fn check_choice(&mut self, role: Role) {
        let Some(value) = self.get(role) else {
            return;
        };
        let rules = self.profile.rules();
        let allowed = if role == Role::Env {
            rules.envs
        } else {
            rules.cert_regions
        };
        let value = match text_value(value) {
            Ok(text) if allowed.contains(&text) => return,
            Ok(text) => BadValue::Text(shown(text, 64)),
            Err(value) => value,
        };
        let param = self.param(role);
        self.fail(if role == Role::Env {
            Failure::Env {
                param,
                value,
                allowed,
            }
        } else {
            Failure::CertRegion {
                param,
                value,
                allowed,
            }
        });
    }

    /// Row 5: `CertName` is at most as long as the API takes, in characters (Unicode scalar
    /// values; 128 for the CDN family), and follows the API's name pattern where it has one.
    fn check_cert_name(&mut self) -> Option<&'r str> {
        let name = self.get(Role::CertName).and_then(|v| text_value(v).ok());
        if let Some(name) = name {
            let chars = name.chars().count();
            let max = self.profile.rules().cert_name_max_chars;
            if chars > max {
                let param = self.param(Role::CertName);
                self.fail(Failure::CertNameTooLong { param, chars, max });
            }
            if let Some(problem) = self
                .profile
                .rules()
                .cert_name_pattern
                .and_then(|pattern| name_problem(name, &pattern))
            {
                let param = self.param(Role::CertName);
                self.fail(Failure::CertNameInvalid { param, problem });
            }
        }
        name
    }

    /// Row 6: `CertName` is given where the API requires it.
    fn check_cert_name_required(&mut self, cert_type: CertType) {
        let missing = self
            .get(Role::CertName)
            .is_none_or(|v| v.as_bytes().trim_ascii().is_empty());
        let when = match self.profile.rules().cert_name_required {
            NameRequired::Never => return,
            NameRequired::WhenOn => RequiredWhen::SwitchOn {
                switch: self.param(Role::Switch),
            },
            NameRequired::WithCas if cert_type == CertType::Cas => RequiredWhen::Cas {
                cert_type: self.param(Role::CertType),
            },
            NameRequired::WithCasWithoutId
                if cert_type == CertType::Cas && self.get(Role::CertId).is_none() =>
            {
                RequiredWhen::CasWithoutId {
                    cert_type: self.param(Role::CertType),
                    cert_id: self.param(Role::CertId),
                }
            }
            NameRequired::WithCas | NameRequired::WithCasWithoutId => return,
        };
        if missing {
            let param = self.param(Role::CertName);
            self.fail(Failure::CertNameMissing { param, when });
        }
    }

    /// Row 7: the certificate-service certificate exists and is usable.
    fn check_cas(&mut self, cert_name: Option<&str>) {
        let (param, reference) = match self.profile.rules().cas_by {
            CasBy::Name => (
                self.param(Role::CertName),
                CasRef::Name(cert_name.unwrap_or_default()),
            ),
            CasBy::Id => {
                let param = self.param(Role::CertId);
                let region = self.cas_region();
                match self.get(Role::CertId).and_then(|v| text_value(v).ok()) {
                    Some(id) => match region {
                        Some(region) => (param, CasRef::IdInRegion { id, region }),
                        None => (param, CasRef::Id(id)),
                    },
                    None => {
                        if self.get(Role::CertId).is_none() {
                            self.fail(Failure::CasIdMissing { param });
                        }
                        return;
                    }
                }
            }
        };
        let Some(store) = self.state.store else {
            self.skip(Skipped::CasLookup);
            return;
        };
        let name = match reference {
            CasRef::Name(name) | CasRef::Id(name) | CasRef::IdInRegion { id: name, .. } => {
                shown(name, 256)
            }
        };
        let Some(found) = self.stored(store.cas_certificate(self.profile.product(), reference))
        else {
            return;
        };
        let failure = match found {
            None => Failure::CasNotFound {
                param,
                by_id: !matches!(reference, CasRef::Name(_)),
                name,
            },
            Some(CasStatus::Issued) => return,
            Some(CasStatus::Other(status)) if status == "expired" => Failure::CasExpired { name },
            Some(status) => Failure::CasNotUsable { name, status },
        };
        self.fail(failure);
    }

    /// The certificate service's site a `cas` certificate is looked up in: `CertRegion`, or
    /// `cn-hangzhou` where the API takes the parameter and it is absent; `None` where the API
    /// has no such parameter (or its value was refused in row 4).
    fn cas_region(&self) -> Option<&'r str> {
        self.profile.param(Role::CertRegion)?;
        match self.get(Role::CertRegion) {
            None => Some("cn-hangzhou"),
            Some(value) => text_value(value)
                .ok()
                .filter(|r| self.profile.rules().cert_regions.contains(r)),
        }
    }

    /// Rows 8 and 9: the certificate and the key parameters are present.
    fn check_presence(&mut self) {
        if self.get(Role::Certificate).is_none() {
            let param = self.param(Role::Certificate);
            self.fail(Failure::CertificateMissing { param });
        }
        if self.get(Role::PrivateKey).is_none() {
            let param = self.param(Role::PrivateKey);
            self.fail(Failure::PrivateKeyMissing { param });
        }
    }

    /// Row 10: the key is not empty or only white space. Returns the key to go on with.
    fn check_key_blank(&mut self) -> Option<&'r Value> {
        let key = self.get(Role::PrivateKey)?;
        if key.as_bytes().trim_ascii().is_empty() {
            let param = self.param(Role::PrivateKey);
            self.fail(Failure::PrivateKeyBlank {
                param,
                len: key.len(),
            });
            return None;
        }
        Some(key)
    }

    /// Row 11: the certificate is not empty, and neither value is over its limit (checked
    /// before anything is parsed). Returns the values to go on with.
    fn check_length(&mut self, key: Option<&'r Value>) -> (Option<&'r Value>, Option<&'r Value>) {
        let limits = self.options.limits;
        let mut cert = self.get(Role::Certificate);
        if let Some(value) = cert {
            let param = self.param(Role::Certificate);
            if value.is_empty() {
                self.fail(Failure::CertificateEmpty { param });
                cert = None;
            } else if value.len() > limits.certificate {
                self.fail(Failure::TooLong {
                    param,
                    field: Field::Certificate,
                    len: value.len(),
                    limit: limits.certificate,
                });
                cert = None;
            }
        }
        let mut key = key;
        if let Some(value) = key
            && value.len() > limits.private_key
        {
            let param = self.param(Role::PrivateKey);
            self.fail(Failure::TooLong {
                param,
                field: Field::PrivateKey,
                len: value.len(),
                limit: limits.private_key,
            });
            key = None;
        }
        (cert, key)
    }

    /// Row 12: the value is text (UTF-8, no NUL, well percent-encoded). Binary bytes that are
    /// a PKCS#12 file, a DER certificate or a DER key are named as such.
    fn check_text(&mut self, value: &'r Value, field: Field) -> Option<&'r str> {
        match text_problem(value) {
            Ok(text) => Some(text),
            Err(problem) => {
                let problem = match problem {
                    TextProblem::InvalidUtf8 { .. } | TextProblem::Nul { .. } => {
                        container::identify(value.as_bytes()).map_or(problem, |container| {
                            TextProblem::Binary { container, field }
                        })
                    }
                    other => other,
                };
                let param = self.param(Role::of(field));
                self.fail(Failure::NotText {
                    param,
                    field,
                    problem,
                });
                None
            }
        }
    }

    /// Row 13: the certificate has a usable `CERTIFICATE` block (live: both fields at once).
    /// Returns true when the key's framing was reported with it.
    fn check_pem(
        &mut self,
        cert_blocks: Option<&CertificateBlocks<'_, '_>>,
        key_blocks: Option<&Result<KeyBlocks<'_, '_>, PemError>>,
    ) -> bool {
        let Some(Err(cert_error)) = cert_blocks else {
            return false;
        };
        let combined = match key_blocks {
            Some(Err(key_error)) => Some(Failure::CertificateAndKeyPem {
                certificate_param: self.param(Role::Certificate),
                certificate: cert_error.clone(),
                key_param: self.param(Role::PrivateKey),
                private_key: key_error.clone(),
                swapped: swapped(cert_error, key_error),
            }),
            _ => None,
        };
        let key_pem_reported = combined.is_some_and(|f| self.fail(f));
        if !key_pem_reported {
            let param = self.param(Role::Certificate);
            self.fail(Failure::CertificatePem {
                param,
                error: cert_error.clone(),
            });
        }
        key_pem_reported
    }

    /// Row 14: no blank line inside the PEM text (between blocks or in a body), where the API
    /// refuses them (CLB; elsewhere a warning says so).
    fn check_blank_lines(
        &mut self,
        cert_framed: Option<&FramedField<'_>>,
        key_framed: Option<&FramedField<'_>>,
    ) {
        if !self.profile.rules().pem_blank_lines_refused {
            return;
        }
        for (field, framed) in [
            (Field::Certificate, cert_framed),
            (Field::PrivateKey, key_framed),
        ] {
            let Some(Ok(framed)) = framed else {
                continue;
            };
            let blank = framed.notes.iter().find_map(|note| match note {
                FormatNote::BlankLineBetweenBlocks { line }
                | FormatNote::BlankLineInBody { line } => Some(*line),
                _ => None,
            });
            if let Some(line) = blank {
                let param = self.param(Role::of(field));
                self.fail(Failure::BlankLine { param, field, line });
            }
        }
    }

    /// Row 14: every certificate block's body is valid base64.
    fn check_certificate_base64(
        &mut self,
        cert_blocks: Option<&CertificateBlocks<'_, '_>>,
    ) -> Option<CertificateDers> {
        let Some(Ok(blocks)) = cert_blocks else {
            return None;
        };
        let mut ders = Vec::with_capacity(blocks.len());
        for block in blocks {
            match block.decode(Field::Certificate) {
                Ok(der) => ders.push((block.begin_line, der)),
                Err(error) => {
                    let failure = self.base64_failure(Field::Certificate, block, error);
                    self.fail(failure);
                    return None;
                }
            }
        }
        Some(ders)
    }

    /// Row 14: the key block's body (and a parameters block before it) is valid base64.
    /// Returns the key's refusal (row 17, an envelope the service does not take) or its DER.
    fn check_key_base64(
        &mut self,
        key_blocks: Option<&Result<KeyBlocks<'_, '_>, PemError>>,
    ) -> (Option<KeyProblem>, Option<KeyDers>) {
        let Some(Ok(blocks)) = key_blocks else {
            return (None, None);
        };
        if let Some(refusal) = private_key::refuse(blocks.key) {
            return (Some(refusal), None);
        }
        let decoded = blocks.key.decode(Field::PrivateKey).and_then(|key| {
            let parameters = blocks
                .parameters
                .map(|p| p.decode(Field::PrivateKey))
                .transpose()?;
            Ok((key, parameters))
        });
        match decoded {
            Ok(ders) => (None, Some((blocks.key.label.clone(), ders))),
            Err(error) => {
                let failure = self.base64_failure(Field::PrivateKey, blocks.key, error);
                self.fail(failure);
                (None, None)
            }
        }
    }

    /// Row 15: every certificate of the chain is valid X.509 DER (trailing bytes included);
    /// the detail names its index. Returns the chain up to the first bad certificate, and
    /// whether it is whole.
    fn check_certificate_der<'d>(
        &mut self,
        ders: Option<&'d CertificateDers>,
    ) -> (Vec<Certificate<'d>>, bool) {
        let mut chain = Vec::new();
        let Some(ders) = ders else {
            return (chain, false);
        };
        let mut all = true;
        for (index, (line, der)) in ders.iter().enumerate() {
            match Certificate::parse(der) {
                Ok(certificate) if all => chain.push(certificate),
                Ok(_) => {}
                Err(error) => {
                    all = false;
                    self.fail(Failure::CertificateDer {
                        index,
                        line: *line,
                        error,
                    });
                }
            }
        }
        (chain, all)
    }

    /// Row 16: the key has a usable private-key block.
    fn check_key_pem(&mut self, key_blocks: Option<&Result<KeyBlocks<'_, '_>, PemError>>) {
        if let Some(Err(error)) = key_blocks {
            let param = self.param(Role::PrivateKey);
            self.fail(Failure::PrivateKeyPem {
                param,
                error: error.clone(),
            });
        }
    }

    /// Row 17: the key block is a valid, consistent private key of an algorithm the service
    /// takes. Returns the public key derived from it.
    fn check_private_key(
        &mut self,
        refusal: Option<KeyProblem>,
        key_ders: Option<&KeyDers>,
        leaf: Option<&Certificate<'_>>,
    ) -> Option<KeyPublic> {
        if let Some(problem) = refusal {
            self.fail(Failure::PrivateKey(problem));
            return None;
        }
        let (label, (key_der, parameters_der)) = key_ders?;
        if let Some(problem) = self.key_format_refused(label) {
            self.fail(Failure::PrivateKey(problem));
            return None;
        }
        let result = private_key::parse(label, key_der, parameters_der.as_deref().map(|d| &d[..]))
            .and_then(|key| key_match::derive(&key, leaf.map(|leaf| &leaf.key)));
        match result {
            Ok(public) => Some(public),
            Err(problem) => {
                self.fail(Failure::PrivateKey(problem));
                None
            }
        }
    }

    /// Row 17: the key's encoding is one the API takes (CLB: PKCS#1 only).
    fn key_format_refused(&self, label: &Label) -> Option<KeyProblem> {
        let taken = self.profile.rules().private_key_formats;
        let format = private_key::format_of(label)?;
        (!taken.is_empty() && !taken.contains(&format))
            .then_some(KeyProblem::FormatNotTaken { format, taken })
    }

    /// Rows 18 and 18b: the key matches the leaf, or it matches a later certificate (the leaf
    /// is not first). Returns the index of the certificate the key belongs to: 0 when there is
    /// no key to compare (the first is taken for the leaf), `None` when it matches none.
    ///
    /// A key that matches none is answered by what the chain shows: only CA certificates (the
    /// CA file given instead of the full chain), a CA first and a server certificate later
    /// (compared with that one), or else the difference from the first certificate.
    fn check_key_match(
        &mut self,
        derived: Option<&KeyPublic>,
        chain: &[Certificate<'_>],
    ) -> Option<usize> {
        let (Some(public), Some(leaf)) = (derived, chain.first()) else {
            return Some(0);
        };
        let Err(mismatch) = key_match::compare(public, &leaf.key) else {
            return Some(0);
        };
        let later = chain
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, c)| key_match::compare(public, &c.key).is_ok());
        if let Some((index, certificate)) = later {
            self.fail(Failure::LeafNotFirst {
                index,
                subject: certificate.subject(),
            });
            return Some(index);
        }
        let server = chain.iter().enumerate().find(|(_, c)| !c.is_ca());
        let failure = match server {
            None => Failure::CaCertificate {
                subject: leaf.subject(),
                count: chain.len(),
            },
            Some((index, certificate)) if index > 0 => Failure::MatchesNone {
                count: chain.len(),
                index,
                subject: certificate.subject(),
                mismatch: key_match::compare(public, &certificate.key)
                    .err()
                    .unwrap_or(mismatch),
            },
            Some(_) => Failure::Mismatch(mismatch),
        };
        self.fail(failure);
        None
    }

    /// Row 19: the leaf has not expired (RFC 5280 §4.1.2.5: the bounds are inclusive).
    fn check_expiry(&mut self, leaf: Option<&Certificate<'_>>) {
        let now = self.now();
        if let Some(leaf) = leaf
            && now > leaf.not_after
        {
            let not_after = leaf.not_after;
            if !self.fail(Failure::Expired { not_after, now }) {
                self.warn(Warning::Expired { not_after, now });
            }
        }
    }

    /// Row 20: no certificate of this name is stored, unless `ForceSet=1` overwrites it.
    /// `ForceSet=1`, where the API takes it: a certificate of the same name is overwritten.
    fn overwrites(&self) -> bool {
        self.profile.param(Role::ForceSet).is_some()
            && self
                .get(Role::ForceSet)
                .is_some_and(|v| v.as_bytes() == b"1")
    }

    fn check_duplicate_name(&mut self, name: Option<&str>) {
        let force_param = self.profile.param(Role::ForceSet);
        let force = self.overwrites();
        if self.profile.codes.name_duplicated.is_none()
            && self.profile.codes.name_taken_in_cas.is_none()
        {
            return;
        }
        let Some(store) = self.state.store else {
            self.skip(Skipped::DuplicateName);
            return;
        };
        let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
            return;
        };
        if force {
            return;
        }
        if let Some(Some(kind)) = self.stored(store.name_taken(self.profile.product(), name)) {
            let param = self.param(Role::CertName);
            self.fail(Failure::NameDuplicated {
                param,
                name: shown(name, 256),
                in_cas: kind == CertKind::Cas,
                force: force_param,
            });
        }
    }

    /// Row 21: the same certificate (by the leaf's content) is not stored already.
    fn check_duplicate_content(&mut self, leaf: Option<&[u8]>) {
        let Some(store) = self.state.store else {
            if self.performs(&Failure::StorageFailed) {
                self.skip(Skipped::DuplicateContent);
            }
            return;
        };
        let Some(leaf) = leaf else {
            return;
        };
        let fingerprint: [u8; 32] = sha2::Sha256::digest(leaf).into();
        if let Some(Some(existing)) =
            self.stored(store.content_stored(self.profile.product(), &fingerprint))
        {
            self.fail(Failure::ContentDuplicated {
                existing,
                fingerprint: hex(&fingerprint),
            });
        }
    }

    /// Row 22: storing fails, or the certificate would not take effect; only when every
    /// other check passed.
    fn check_storage(
        &mut self,
        cert_type: CertType,
        domain: Option<&str>,
        info: Option<DomainInfo>,
    ) {
        if !self.verdict.findings.is_empty() || self.store_error.is_some() {
            return;
        }
        if cert_type == CertType::Upload && self.performs(&Failure::StorageFailed) {
            match self.state.faults {
                Some(faults) if faults.store_fails() => {
                    self.fail(Failure::StorageFailed);
                    return;
                }
                Some(_) => {}
                None => self.skip(Skipped::Storage),
            }
        }
        let not_effective = |domain: &str| Failure::NotEffective {
            domain: domain.to_owned(),
        };
        if !self.performs(&not_effective("")) {
            return;
        }
        match (info, domain) {
            (Some(info), Some(domain)) if info.not_effective => {
                self.fail(not_effective(domain));
            }
            (Some(_), Some(_)) => {}
            _ => self.skip(Skipped::Storage),
        }
    }

    /// Section 5: where the PEM text deviates from the service's published format.
    fn format_warnings(
        &mut self,
        cert_framed: Option<&FramedField<'_>>,
        key_framed: Option<&FramedField<'_>>,
    ) {
        for (field, framed) in [
            (Field::Certificate, cert_framed),
            (Field::PrivateKey, key_framed),
        ] {
            if let Some(Ok(framed)) = framed {
                for note in &framed.notes {
                    self.warn(Warning::PemFormat {
                        field,
                        note: note.clone(),
                    });
                }
            }
        }
    }

    /// Section 5: the leaf's validity window, its names, its key size and algorithm (SM2 and
    /// Ed25519 keys, which browsers do not take).
    fn leaf_warnings(&mut self, leaf: &Certificate<'_>, domain: Option<&str>) {
        let now = self.now();
        if now < leaf.not_before {
            self.warn(Warning::NotYetValid {
                not_before: leaf.not_before,
                now,
            });
        }
        let window = i64::from(self.options.expiry_warning_days).saturating_mul(86_400);
        let left = leaf.not_after.saturating_sub(now);
        if now <= leaf.not_after
            && left < window
            && let Ok(not_after) = OffsetDateTime::from_unix_timestamp(leaf.not_after)
        {
            self.warn(Warning::ExpiresSoon {
                not_after,
                days: left / 86_400,
            });
        }
        if let Some(domain) = domain {
            let names = leaf.dns_names();
            if !chain::covers(&names, domain) {
                self.warn(Warning::DomainNotCovered {
                    domain: domain.to_owned(),
                    names,
                });
            }
        }
        if let Some(bits) = leaf.key.rsa_bits().filter(|&bits| bits < 2048) {
            self.warn(Warning::WeakRsaKey { bits });
        }
        if matches!(
            leaf.key,
            crate::SubjectKey::Ec {
                curve: crate::Curve::Sm2,
                ..
            }
        ) {
            self.warn(Warning::Sm2Certificate);
        }
        if matches!(leaf.key, crate::SubjectKey::Ed25519(_)) {
            self.warn(Warning::Ed25519Certificate);
        }
    }

    fn base64_failure(&self, field: Field, block: &Block<'_>, error: pem::Base64Error) -> Failure {
        let from_query = self.get(Role::of(field)).is_some_and(Value::plus_decoded);
        let error = match error {
            pem::Base64Error::SpaceInLine { line, .. } => {
                pem::Base64Error::SpaceInLine { line, from_query }
            }
            other => other,
        };
        Failure::Base64 {
            param: self.param(Role::of(field)),
            field,
            label: block.label.to_string(),
            line: block.begin_line,
            error,
        }
    }
}

/// A framing result as a [`PemError`]; base64 without armour that decodes to a known
/// container (a PKCS#12 file, a certificate, a key) is named as such.
fn framing<'f, 'a>(
    text: &str,
    framed: &'f FramedField<'a>,
    field: Field,
) -> Result<&'f Framed<'a>, PemError> {
    framed.as_ref().map_err(|e| match e {
        FramingError::NoBlocks { bare_base64: true } => match container::identify_base64(text) {
            Some(container) => PemError::Unarmoured { container, field },
            None => PemError::Framing(e.clone()),
        },
        e => PemError::Framing(e.clone()),
    })
}

/// Each field holds what the other should: keys in the certificate's place and the reverse.
fn swapped(cert_error: &PemError, key_error: &PemError) -> bool {
    matches!(
        (cert_error, key_error),
        (PemError::NoCertificate { found: c }, PemError::NoPrivateKey { found: k })
            if c.iter().any(Label::is_private_key) && k.iter().any(Label::is_certificate)
    )
}
