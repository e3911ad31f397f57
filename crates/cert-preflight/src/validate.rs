//! The pipeline: every check of contract section 3, in its order. The first finding is the
//! service's answer; the checks go on as far as the inputs allow, so a rejection carries every
//! finding, and an acceptance carries the warnings of section 5.

use sha2::Digest;
use time::OffsetDateTime;

use crate::certificate::Certificate;
use crate::chain;
use crate::key_match::{self, KeyPublic};
use crate::limits::Limits;
use crate::pem::{self, Block, Field, Framed, Label, PemError};
use crate::private_key;
use crate::profile::{ParamNames, Profile};
use crate::request::{Request, Value};
use crate::state::{
    CasStatus, CertificateStore, DomainDirectory, DomainInfo, DomainStatus, Faults,
};
use crate::verdict::{BadValue, Failure, Finding, Skipped, TextProblem, Upload, Verdict, Warning};

/// What a check needs besides the request: the time, the limits and the caller's state.
///
/// `Options` is `Send + Sync`, so one value serves checks on many threads; the state it points
/// to must be `Sync` for that (a store with interior mutability needs a lock).
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct Options<'a> {
    /// The time to check validity at. The library never reads the clock.
    pub now: OffsetDateTime,
    /// Byte limits of the certificate and key parameters.
    pub limits: Limits,
    /// Warn when the leaf expires within this many days (default 30).
    pub expiry_warning_days: u32,
    /// The domains' state; `None` skips the domain checks.
    pub domains: Option<&'a (dyn DomainDirectory + Sync)>,
    /// The stored certificates; `None` skips the lookups and duplicate checks.
    pub store: Option<&'a (dyn CertificateStore + Sync)>,
    /// Faults to simulate; `None` skips them.
    pub faults: Option<&'a (dyn Faults + Sync)>,
}

impl core::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Options")
            .field("now", &self.now)
            .field("limits", &self.limits)
            .field("expiry_warning_days", &self.expiry_warning_days)
            .field("domains", &self.domains.is_some())
            .field("store", &self.store.is_some())
            .field("faults", &self.faults.is_some())
            .finish()
    }
}

impl<'a> Options<'a> {
    /// Checks at `now`, with default limits and no state.
    pub fn at(now: OffsetDateTime) -> Options<'a> {
        Options {
            now,
            limits: Limits::DEFAULT,
            expiry_warning_days: 30,
            domains: None,
            store: None,
            faults: None,
        }
    }

    /// Uses these limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Options<'a> {
        self.limits = limits;
        self
    }

    /// Warns when the leaf expires within `days` days.
    #[must_use]
    pub fn with_expiry_warning_days(mut self, days: u32) -> Options<'a> {
        self.expiry_warning_days = days;
        self
    }

    /// Uses the parts of `state` that are known (a part left `None` stays skipped).
    #[must_use]
    pub fn with_state(mut self, state: &'a crate::InMemoryState) -> Options<'a> {
        self.domains = state
            .domains
            .as_ref()
            .map(|d| d as &(dyn DomainDirectory + Sync));
        self.store = state
            .certificates
            .as_ref()
            .map(|c| c as &(dyn CertificateStore + Sync));
        self.faults = state.faults.as_ref().map(|f| f as &(dyn Faults + Sync));
        self
    }

    /// Uses this domain directory.
    #[must_use]
    pub fn with_domains(mut self, domains: &'a (dyn DomainDirectory + Sync)) -> Options<'a> {
        self.domains = Some(domains);
        self
    }

    /// Uses this certificate store.
    #[must_use]
    pub fn with_store(mut self, store: &'a (dyn CertificateStore + Sync)) -> Options<'a> {
        self.store = Some(store);
        self
    }

    /// Simulates these faults.
    #[must_use]
    pub fn with_faults(mut self, faults: &'a (dyn Faults + Sync)) -> Options<'a> {
        self.faults = Some(faults);
        self
    }
}

/// Checks `request` the way the API of `profile` would.
pub fn validate(profile: &Profile, request: &Request, options: &Options<'_>) -> Verdict {
    let mut run = Run {
        profile,
        names: profile.params(),
        options,
        verdict: Verdict::default(),
    };
    run.all(request);
    run.verdict
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
    names: &'r ParamNames,
    options: &'r Options<'r>,
    verdict: Verdict,
}

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
    if domain.is_empty() {
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

impl Run<'_> {
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

    fn all(&mut self, request: &Request) {
        let domain = request
            .domain_name
            .as_ref()
            .and_then(|v| text_value(v).ok())
            .filter(|d| domain_problem(d).is_none());

        // Row 1: the domain's state and the authentication fault.
        if let Some(faults) = self.options.faults
            && faults.authentication_fails()
        {
            self.fail(Failure::AuthenticationFailed);
        }
        let info = match (self.options.domains, domain) {
            (Some(directory), Some(domain)) => {
                let info = directory.domain(domain);
                if info.status != DomainStatus::Online {
                    self.fail(Failure::Domain {
                        domain: domain.to_owned(),
                        state: info.status,
                    });
                }
                Some(info)
            }
            _ => {
                self.skip(Skipped::DomainState);
                None
            }
        };

        // Row 2: the switch.
        let switch = match request.switch.as_ref().map(text_value) {
            None => Switch::Off,
            Some(Ok("on")) => Switch::On,
            Some(Ok("off")) => Switch::Off,
            Some(Ok(other)) => {
                self.fail(Failure::Switch {
                    param: self.names.switch,
                    value: BadValue::Text(pem::shown(other, 64)),
                });
                Switch::Invalid
            }
            Some(Err(value)) => {
                self.fail(Failure::Switch {
                    param: self.names.switch,
                    value,
                });
                Switch::Invalid
            }
        };

        // Row 3: switching off.
        if switch == Switch::Off {
            self.switch_off(domain, info);
        }

        // Row 4: CertType and other impossible values.
        let cert_type = self.parameters(request);

        // Row 5: the name's length, in Unicode scalar values.
        let cert_name = request.cert_name.as_ref().and_then(|v| text_value(v).ok());
        if let Some(name) = cert_name {
            let chars = name.chars().count();
            if chars > 128 {
                self.fail(Failure::CertNameTooLong { chars });
            }
        }

        if switch != Switch::On {
            return;
        }

        // Row 6: live needs a CertName.
        let name_missing = match &request.cert_name {
            None => true,
            Some(v) => v.as_bytes().trim_ascii().is_empty(),
        };
        if name_missing {
            self.fail(Failure::CertNameMissing {
                switch: self.names.switch,
            });
        }

        // Row 7: a certificate from the certificate service.
        if cert_type == CertType::Cas {
            self.cas_lookup(cert_name.unwrap_or_default());
        }

        let content = cert_type == CertType::Upload
            || (cert_type == CertType::Invalid
                && (request.certificate.is_some() || request.private_key.is_some()));
        let leaf = if content {
            self.content(request, domain)
        } else {
            None
        };

        if cert_type == CertType::Upload {
            self.duplicates(request, cert_name, leaf.as_ref());
        }
        self.storage(cert_type, domain, info);
        if let Some(leaf_der) = leaf
            && cert_type == CertType::Upload
        {
            let name = cert_name
                .filter(|n| !n.trim().is_empty())
                .map(str::to_owned);
            self.verdict.upload = Some(Upload::new(name, leaf_der));
        }
    }

    /// Row 3: HTTPS off may be forbidden, and deleting the stored certificate may fail.
    fn switch_off(&mut self, domain: Option<&str>, info: Option<DomainInfo>) {
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
        match self.options.faults {
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

    /// Row 4: `CertType`, and parameters with impossible values.
    fn parameters(&mut self, request: &Request) -> CertType {
        let cert_type = match request.cert_type.as_ref().map(text_value) {
            None | Some(Ok("upload")) => CertType::Upload,
            Some(Ok("cas")) => CertType::Cas,
            Some(Ok("free")) => CertType::Free,
            Some(Ok(other)) => {
                self.fail(Failure::CertType {
                    value: BadValue::Text(pem::shown(other, 64)),
                });
                CertType::Invalid
            }
            Some(Err(value)) => {
                self.fail(Failure::CertType { value });
                CertType::Invalid
            }
        };
        let names = self.names;
        let textual = [
            (names.domain_name, &request.domain_name),
            (names.cert_name, &request.cert_name),
            (names.force_set, &request.force_set),
        ];
        for (param, value) in textual {
            let Some(value) = value else { continue };
            let problem = match text_value(value) {
                Err(problem) => Some(problem),
                Ok(domain) if param == names.domain_name => {
                    domain_problem(domain).map(BadValue::Impossible)
                }
                Ok(_) => None,
            };
            if let Some(value) = problem {
                self.fail(Failure::Parameter { param, value });
            }
        }
        for (param, value) in [
            (names.certificate, &request.certificate),
            (names.private_key, &request.private_key),
        ] {
            if let Some(value) = value
                && value.times() > 1
            {
                self.fail(Failure::Parameter {
                    param,
                    value: BadValue::Repeated {
                        times: value.times(),
                    },
                });
            }
        }
        cert_type
    }

    /// Row 7: look the `cas` certificate up by name.
    fn cas_lookup(&mut self, name: &str) {
        let Some(store) = self.options.store else {
            self.skip(Skipped::CasLookup);
            return;
        };
        let failure = match store.cas_certificate(name) {
            None => Failure::CasNotFound {
                name: name.to_owned(),
            },
            Some(CasStatus::Issued) => return,
            Some(CasStatus::Other(status)) if status == "expired" => Failure::CasExpired {
                name: name.to_owned(),
            },
            Some(status) => Failure::CasNotUsable {
                name: name.to_owned(),
                status,
            },
        };
        self.fail(failure);
    }

    /// Rows 20 and 21: a certificate of the same name, or the same content, is stored.
    fn duplicates(&mut self, request: &Request, name: Option<&str>, leaf: Option<&Vec<u8>>) {
        let force = request
            .force_set
            .as_ref()
            .is_some_and(|v| v.as_bytes() == b"1");
        let Some(store) = self.options.store else {
            self.skip(Skipped::DuplicateName);
            if self.performs(&Failure::StorageFailed) {
                self.skip(Skipped::DuplicateContent);
            }
            return;
        };
        if let Some(name) = name.filter(|n| !n.trim().is_empty())
            && !force
            && store.name_taken(name)
        {
            self.fail(Failure::NameDuplicated {
                name: name.to_owned(),
            });
        }
        if let Some(leaf) = leaf {
            let fingerprint: [u8; 32] = sha2::Sha256::digest(leaf).into();
            if let Some(existing) = store.content_stored(&fingerprint) {
                self.fail(Failure::ContentDuplicated {
                    existing,
                    fingerprint: hex(&fingerprint),
                });
            }
        }
    }

    /// Row 22: storing fails, or the certificate would not take effect; only when every
    /// other check passed.
    fn storage(&mut self, cert_type: CertType, domain: Option<&str>, info: Option<DomainInfo>) {
        if !self.verdict.findings.is_empty() {
            return;
        }
        if cert_type == CertType::Upload && self.performs(&Failure::StorageFailed) {
            match self.options.faults {
                Some(faults) if faults.store_fails() => {
                    self.fail(Failure::StorageFailed);
                    return;
                }
                Some(_) => {}
                None => self.skip(Skipped::Storage),
            }
        }
        match (info, domain) {
            (Some(info), Some(domain)) if info.not_effective => {
                self.fail(Failure::NotEffective {
                    domain: domain.to_owned(),
                });
            }
            (Some(_), Some(_)) => {}
            _ => self.skip(Skipped::Storage),
        }
    }

    /// Rows 8–19 and the warnings of section 5. Returns the leaf's DER when it parsed.
    fn content(&mut self, request: &Request, domain: Option<&str>) -> Option<Vec<u8>> {
        let names = self.names;
        let limits = self.options.limits;
        // Rows 8 and 9: absent.
        if request.certificate.is_none() {
            self.fail(Failure::CertificateMissing {
                param: names.certificate,
            });
        }
        if request.private_key.is_none() {
            self.fail(Failure::PrivateKeyMissing {
                param: names.private_key,
            });
        }
        let mut cert = request.certificate.as_ref();
        let mut key = request.private_key.as_ref();
        // Row 10: a key of white space only.
        if let Some(value) = key
            && value.as_bytes().trim_ascii().is_empty()
        {
            self.fail(Failure::PrivateKeyBlank {
                param: names.private_key,
                len: value.len(),
            });
            key = None;
        }
        // Row 11: empty certificate, values over their limit.
        if let Some(value) = cert {
            if value.is_empty() {
                self.fail(Failure::CertificateEmpty {
                    param: names.certificate,
                });
                cert = None;
            } else if value.len() > limits.certificate {
                self.fail(Failure::TooLong {
                    param: names.certificate,
                    field: Field::Certificate,
                    len: value.len(),
                    limit: limits.certificate,
                });
                cert = None;
            }
        }
        if let Some(value) = key
            && value.len() > limits.private_key
        {
            self.fail(Failure::TooLong {
                param: names.private_key,
                field: Field::PrivateKey,
                len: value.len(),
                limit: limits.private_key,
            });
            key = None;
        }
        // Row 12: not text.
        let cert_text = cert.and_then(|value| self.text(value, Field::Certificate));
        let key_text = key.and_then(|value| self.text(value, Field::PrivateKey));

        // Rows 13–19: the PEM, the chain, the key and the match.
        let cert_framed = cert_text.map(|t| pem::frame(t, Field::Certificate));
        let key_framed = key_text.map(|t| pem::frame(t, Field::PrivateKey));
        self.pem_and_beyond(cert_framed.as_ref(), key_framed.as_ref(), domain)
    }

    /// Row 12: the value as text, or a finding.
    fn text<'v>(&mut self, value: &'v Value, field: Field) -> Option<&'v str> {
        match text_problem(value) {
            Ok(text) => Some(text),
            Err(problem) => {
                self.fail(Failure::NotText {
                    param: self.names.of(field),
                    field,
                    problem,
                });
                None
            }
        }
    }

    #[allow(clippy::too_many_lines)]
    fn pem_and_beyond(
        &mut self,
        cert_framed: Option<&Result<Framed<'_>, pem::FramingError>>,
        key_framed: Option<&Result<Framed<'_>, pem::FramingError>>,
        domain: Option<&str>,
    ) -> Option<Vec<u8>> {
        let names = self.names;
        let cert_blocks = cert_framed.map(|f| framing(f).and_then(pem::certificate_blocks));
        let key_blocks = key_framed.map(|f| framing(f).and_then(pem::key_blocks));

        // Row 13: no usable CERTIFICATE block (live: both fields at once).
        let mut key_pem_reported = false;
        if let Some(Err(cert_error)) = &cert_blocks {
            let combined = match &key_blocks {
                Some(Err(key_error)) => Some(Failure::CertificateAndKeyPem {
                    certificate_param: names.certificate,
                    certificate: cert_error.clone(),
                    key_param: names.private_key,
                    private_key: key_error.clone(),
                    swapped: swapped(cert_error, key_error),
                }),
                _ => None,
            };
            key_pem_reported = combined.is_some_and(|f| self.fail(f));
            if !key_pem_reported {
                self.fail(Failure::CertificatePem {
                    param: names.certificate,
                    error: cert_error.clone(),
                });
            }
        }

        // Row 14: base64 of every certificate block, then of the key block.
        let mut cert_ders: Option<Vec<(usize, zeroize::Zeroizing<Vec<u8>>)>> = None;
        if let Some(Ok(blocks)) = &cert_blocks {
            let mut ders = Vec::with_capacity(blocks.len());
            for block in blocks {
                match block.decode(Field::Certificate) {
                    Ok(der) => ders.push((block.begin_line, der)),
                    Err(error) => {
                        self.fail(base64_failure(names, Field::Certificate, block, error));
                        break;
                    }
                }
            }
            if ders.len() == blocks.len() {
                cert_ders = Some(ders);
            }
        }
        let mut key_refusal = None;
        let mut key_ders = None;
        if let Some(Ok(blocks)) = &key_blocks {
            key_refusal = private_key::refuse(blocks.key);
            if key_refusal.is_none() {
                let decoded = blocks.key.decode(Field::PrivateKey).and_then(|key| {
                    let parameters = blocks
                        .parameters
                        .map(|p| p.decode(Field::PrivateKey))
                        .transpose()?;
                    Ok((key, parameters))
                });
                match decoded {
                    Ok(ders) => key_ders = Some((blocks.key.label.clone(), ders)),
                    Err(error) => {
                        let block = blocks.key;
                        self.fail(base64_failure(names, Field::PrivateKey, block, error));
                    }
                }
            }
        }

        // Row 15: every certificate must be valid X.509 DER.
        let mut chain: Vec<Certificate<'_>> = Vec::new();
        let mut chain_complete = false;
        if let Some(ders) = &cert_ders {
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
            chain_complete = all;
        }

        // Row 16: no usable private-key block.
        if let Some(Err(error)) = &key_blocks
            && !key_pem_reported
        {
            self.fail(Failure::PrivateKeyPem {
                param: names.private_key,
                error: error.clone(),
            });
        }

        // Row 17: the key block must be a valid, consistent private key.
        let mut derived: Option<KeyPublic> = None;
        if let Some(problem) = key_refusal {
            self.fail(Failure::PrivateKey(problem));
        } else if let Some((label, (key_der, parameters_der))) = &key_ders {
            let result =
                private_key::parse(label, key_der, parameters_der.as_deref().map(|d| &d[..]))
                    .and_then(|key| key_match::derive(&key, chain.first().map(|leaf| &leaf.key)));
            match result {
                Ok(public) => derived = Some(public),
                Err(problem) => {
                    self.fail(Failure::PrivateKey(problem));
                }
            }
        }

        // Row 18: the key must match the leaf (or it matches a later certificate).
        let now = self.options.now.unix_timestamp();
        let mut leaf_index = 0;
        if let (Some(public), Some(leaf)) = (&derived, chain.first())
            && let Err(mismatch) = key_match::compare(public, &leaf.key)
        {
            let later = chain
                .iter()
                .enumerate()
                .skip(1)
                .find(|(_, c)| key_match::compare(public, &c.key).is_ok());
            match later {
                Some((index, certificate)) => {
                    leaf_index = index;
                    self.fail(Failure::LeafNotFirst {
                        index,
                        subject: certificate.subject(),
                    });
                }
                None => {
                    self.fail(Failure::Mismatch(mismatch));
                }
            }
        }

        // Row 19: the leaf must not have expired (RFC 5280 §4.1.2.5: bounds inclusive).
        if let Some(leaf) = chain.first()
            && now > leaf.not_after
        {
            self.fail(Failure::Expired {
                not_after: leaf.not_after,
                now,
            });
        }

        // Section 5: warnings.
        if let Some(Ok(framed)) = cert_framed {
            for note in &framed.notes {
                self.warn(Warning::PemFormat {
                    field: Field::Certificate,
                    note: note.clone(),
                });
            }
        }
        if let Some(Ok(framed)) = key_framed {
            for note in &framed.notes {
                self.warn(Warning::PemFormat {
                    field: Field::PrivateKey,
                    note: note.clone(),
                });
            }
        }
        if let Some(leaf) = chain.get(leaf_index) {
            self.leaf_warnings(leaf, now, domain);
        }
        if let Some(e) = derived.as_ref().and_then(KeyPublic::large_rsa_exponent) {
            self.warn(Warning::LargeRsaExponent { e });
        }
        if chain_complete {
            for warning in chain::warnings(&chain, leaf_index, now) {
                self.warn(warning);
            }
        }
        chain.first().map(|leaf| leaf.der.to_vec())
    }

    fn leaf_warnings(&mut self, leaf: &Certificate<'_>, now: i64, domain: Option<&str>) {
        if now < leaf.not_before {
            self.warn(Warning::NotYetValid {
                not_before: leaf.not_before,
                now,
            });
        }
        let window = i64::from(self.options.expiry_warning_days).saturating_mul(86_400);
        let left = leaf.not_after.saturating_sub(now);
        if now <= leaf.not_after && left < window {
            self.warn(Warning::ExpiresSoon {
                not_after: leaf.not_after,
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
    }
}

/// A framing result as a [`PemError`].
fn framing<'f, 'a>(
    framed: &'f Result<Framed<'a>, pem::FramingError>,
) -> Result<&'f Framed<'a>, PemError> {
    framed.as_ref().map_err(|e| PemError::Framing(e.clone()))
}

/// Each field holds what the other should: keys in the certificate's place and the reverse.
fn swapped(cert_error: &PemError, key_error: &PemError) -> bool {
    matches!(
        (cert_error, key_error),
        (PemError::NoCertificate { found: c }, PemError::NoPrivateKey { found: k })
            if c.iter().any(Label::is_private_key) && k.iter().any(Label::is_certificate)
    )
}

fn base64_failure(
    names: &ParamNames,
    field: Field,
    block: &Block<'_>,
    error: pem::Base64Error,
) -> Failure {
    Failure::Base64 {
        param: names.of(field),
        field,
        label: block.label.to_string(),
        line: block.begin_line,
        error,
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(text, "{b:02x}");
    }
    text
}
