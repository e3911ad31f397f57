//! What can be wrong, independent of the API: a [`Failure`] for each check of the check
//! table (the profile maps it to its catalog entry), a [`Warning`] for what the service accepts
//! but a user wants to know, and the checks [`Skipped`] for want of state; and the [`Naming`]
//! their details are written with (the API's parameters, or a command line's options and
//! files). The bottom of the pipeline: it names the parsers' errors and the states, and
//! nothing above it.

use core::fmt;

use crate::certificate::DerError;
use crate::key_match::Mismatch;
use crate::pem::{Base64Error, Container, Field, FormatNote, Hints, PemError};
use crate::private_key::KeyProblem;
use crate::role::Role;
use crate::status::{CasStatus, DomainStatus};
use crate::text::{one_of, rfc3339, rfc3339_time};
use time::OffsetDateTime;

/// A store that could not answer (a database error, say). Its text never holds a key byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the state store failed: {reason}")]
pub struct StoreError {
    reason: String,
}

impl StoreError {
    /// A failure, described for the operator.
    pub fn new(reason: impl Into<String>) -> StoreError {
        StoreError {
            reason: reason.into(),
        }
    }

    /// What failed.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// What is wrong with a parameter's value, for details.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BadValue {
    /// The value, made safe to show (control characters escaped, cut to 64 characters).
    Text(String),
    /// The parameter appears more than once in the request.
    Repeated {
        /// How many times.
        times: u32,
    },
    /// The value is not UTF-8 text.
    NotText,
    /// A `%` not followed by two hex digits in the raw request.
    BadEscape {
        /// 0-based offset of the `%` in the raw value (details show it 1-based, as "byte N").
        offset: usize,
    },
    /// The value cannot be right for this reason.
    Impossible(&'static str),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Text(text) => write!(f, "is {text:?}"),
            BadValue::Repeated { times } => write!(f, "is given {times} times"),
            BadValue::NotText => f.write_str("is not UTF-8 text"),
            BadValue::BadEscape { offset } => write!(
                f,
                "has a '%' at byte {} of its raw value that is not followed by two hex digits",
                byte(*offset)
            ),
            BadValue::Impossible(why) => f.write_str(why),
        }
    }
}

/// A 0-based offset as a person counts bytes: from 1.
fn byte(offset: usize) -> usize {
    offset.saturating_add(1)
}

/// A 0-based position in the chain as a person counts certificates: from 1 (the leaf is
/// certificate 1).
fn position(index: usize) -> usize {
    index.saturating_add(1)
}

/// Why a certificate or key value is not text (row 12 of the check table). Offsets are 0-based; details
/// show them 1-based, as "byte N".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextProblem {
    /// Invalid UTF-8 that is not a file this crate recognises.
    InvalidUtf8 {
        /// 0-based offset of the first bad byte.
        offset: usize,
    },
    /// A NUL byte.
    Nul {
        /// Its 0-based offset.
        offset: usize,
    },
    /// A bad percent-escape in the raw request.
    BadEscape {
        /// 0-based offset of the `%` in the raw value.
        offset: usize,
    },
    /// Binary bytes that are a known file: a PKCS#12/PFX file, a DER certificate or key.
    Binary {
        /// What the bytes are.
        container: Container,
        /// The field they were given in.
        field: Field,
    },
}

impl fmt::Display for TextProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &Hints::default())
    }
}

impl TextProblem {
    /// The text, with the file and the parameters' names of `hints` in its advice.
    fn write(&self, f: &mut fmt::Formatter<'_>, hints: &Hints<'_>) -> fmt::Result {
        match self {
            TextProblem::InvalidUtf8 { offset } => write!(
                f,
                "is not UTF-8 text (byte {} is not part of a UTF-8 character); the value must \
                 be PEM text",
                byte(*offset)
            ),
            TextProblem::Nul { offset } => write!(
                f,
                "holds a NUL byte (byte {}); the value must be PEM text",
                byte(*offset)
            ),
            TextProblem::BadEscape { offset } => write!(
                f,
                "has a '%' at byte {} of its raw value that is not followed by two hex digits \
                 (the value was not URL-encoded properly)",
                byte(*offset)
            ),
            TextProblem::Binary { container, field } => container.binary_advice(*field, f, hints),
        }
    }
}

/// How a detail names what the user gave: each parameter, and the files the certificate and
/// the key were read from.
///
/// [`Naming::API`] (the default; what `Display` and `Finding::detail` use) names the API's
/// parameters (`SSLPub is absent…`, `set ForceSet=1`) and writes `F` for the file in a
/// suggested command, as the service's answers and a local endpoint's do. A command line
/// names its options and its files instead:
///
/// ```
/// use cert_preflight::time::macros::datetime;
/// use cert_preflight::{CDN, Naming, Options, Request, Role, validate};
///
/// const OPTIONS: &[(Role, &str)] = &[(Role::Certificate, "--cert"), (Role::PrivateKey, "--key")];
/// let request = Request::new().with_switch("on").with_domain("example.com");
/// let verdict = validate(&CDN, &request, &Options::at(datetime!(2026-06-01 0:00 UTC)));
/// let answer = verdict.answer().expect("refused");
/// assert_eq!(
///     answer.detail(),
///     "ServerCertificate is absent; an upload needs the certificate chain (leaf first) in it"
/// );
/// let naming = Naming::options(OPTIONS).with_certificate_file("/tmp/x/bundle.p12");
/// assert_eq!(
///     answer.detail_named(&naming),
///     "--cert is absent; an upload needs the certificate chain (leaf first) in it"
/// );
/// ```
///
/// Likewise `pass --force-set 1 to overwrite it` for `set ForceSet=1`, and
/// `openssl pkcs12 -in /tmp/x/bundle.p12 …` for `openssl pkcs12 -in F …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Naming<'a> {
    options: &'a [(Role, &'a str)],
    certificate_file: Option<&'a str>,
    private_key_file: Option<&'a str>,
}

impl<'a> Naming<'a> {
    /// The API's parameter names, and `F` for a file in a suggested command.
    pub const API: Naming<'static> = Naming {
        options: &[],
        certificate_file: None,
        private_key_file: None,
    };

    /// A command line's naming: each role listed is named by its option (`(Role::Certificate,
    /// "--cert")`), which takes a value as `--option value` (`pass --force-set 1`); a role not
    /// listed keeps the API's parameter name.
    pub const fn options(options: &'a [(Role, &'a str)]) -> Naming<'a> {
        Naming {
            options,
            certificate_file: None,
            private_key_file: None,
        }
    }

    /// Names `path`, the file the certificate was read from, in the commands a detail
    /// suggests (`openssl pkcs12 -in PATH …`, quoted for a POSIX shell where it needs it),
    /// in place of `F`.
    #[must_use]
    pub const fn with_certificate_file(self, path: &'a str) -> Naming<'a> {
        Naming {
            certificate_file: Some(path),
            ..self
        }
    }

    /// Names `path`, the file the private key was read from, in the commands a detail
    /// suggests, in place of `F`. Only the path is shown, never the file's content.
    #[must_use]
    pub const fn with_private_key_file(self, path: &'a str) -> Naming<'a> {
        Naming {
            private_key_file: Some(path),
            ..self
        }
    }

    /// The option that names `role`, if this naming has one.
    fn option(&self, role: Role) -> Option<&'a str> {
        self.options
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, option)| *option)
    }

    /// The name to show for `role`, whose parameter the API names `api`.
    fn param<'s>(&'s self, role: Role, api: &'s str) -> &'s str {
        self.option(role).unwrap_or(api)
    }

    /// `role` with `value`, as the user writes it: `CertType=cas`, or `--cert-type cas`.
    fn value(&self, role: Role, api: &str, value: &str) -> String {
        match self.option(role) {
            Some(option) => format!("{option} {value}"),
            None => format!("{api}={value}"),
        }
    }

    /// What to do to give `role` the value: `set ForceSet=1`, or `pass --force-set 1`.
    fn set(&self, role: Role, api: &str, value: &str) -> String {
        let verb = if self.option(role).is_some() {
            "pass"
        } else {
            "set"
        };
        format!("{verb} {}", self.value(role, api, value))
    }

    /// What a detail about `field` names: its file, and the certificate's and key's options.
    fn hints(&self, field: Field) -> Hints<'a> {
        Hints {
            file: match field {
                Field::Certificate => self.certificate_file,
                Field::PrivateKey => self.private_key_file,
            },
            certificate: self.option(Role::Certificate),
            private_key: self.option(Role::PrivateKey),
        }
    }
}

impl Default for Naming<'_> {
    fn default() -> Self {
        Naming::API
    }
}

/// When an API requires `CertName`, for [`Failure::CertNameMissing`] (with the API's names of
/// the parameters the condition is on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequiredWhen {
    /// When the HTTPS switch is `on` (`when SSLProtocol is "on"`).
    SwitchOn {
        /// The switch parameter's name.
        switch: &'static str,
    },
    /// With `CertType=cas`.
    Cas {
        /// The type parameter's name.
        cert_type: &'static str,
    },
    /// With `CertType=cas` when no `CertId` names the certificate.
    CasWithoutId {
        /// The type parameter's name.
        cert_type: &'static str,
        /// The id parameter's name.
        cert_id: &'static str,
    },
}

impl RequiredWhen {
    fn write(&self, f: &mut fmt::Formatter<'_>, n: &Naming<'_>) -> fmt::Result {
        match self {
            RequiredWhen::SwitchOn { switch } => {
                write!(f, "when {} is \"on\"", n.param(Role::Switch, switch))
            }
            RequiredWhen::Cas { cert_type } => {
                write!(f, "with {}", n.value(Role::CertType, cert_type, "cas"))
            }
            RequiredWhen::CasWithoutId { cert_type, cert_id } => write!(
                f,
                "with {} when no {} names the certificate",
                n.value(Role::CertType, cert_type, "cas"),
                n.param(Role::CertId, cert_id)
            ),
        }
    }
}

impl fmt::Display for RequiredWhen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &Naming::API)
    }
}

/// One failed check, independent of the API: the profile maps it to a catalog entry.
///
/// Its text (`Display`, and [`Failure::detail_named`] with another [`Naming`]) is written by
/// one `match` below the enum, an arm per variant in this order; the parameter names a variant
/// holds are the API's, which a naming may replace.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Before row 1, the gateway's: a parameter the API requires is absent.
    MissingParameter {
        /// What the parameter is for.
        role: Role,
        /// Its name.
        param: &'static str,
    },
    /// Row 1: the domain's state forbids the operation.
    Domain {
        /// The domain name.
        domain: String,
        /// Its state.
        state: DomainStatus,
    },
    /// Row 1: the request failed authentication.
    AuthenticationFailed,
    /// Row 2: the switch is not exactly `on` or `off`.
    Switch {
        /// The switch parameter's name.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
    },
    /// Row 3: HTTPS may not be turned off for this domain.
    HttpsOffForbidden {
        /// The domain.
        domain: String,
    },
    /// Row 3: the stored certificate could not be deleted.
    DeleteFailed {
        /// The domain.
        domain: String,
    },
    /// Row 4: `CertType` is not one of the API's types.
    CertType {
        /// The type parameter (`CertType`).
        param: &'static str,
        /// What is wrong.
        value: BadValue,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// Row 4: another parameter has an impossible value.
    Parameter {
        /// What the parameter is for.
        role: Role,
        /// Its name.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
    },
    /// Row 4: `CertRegion` is not a region the API accepts.
    CertRegion {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// Row 4: `Env` is not an environment the API accepts.
    Env {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// Row 4: `CertType=cas` without the `CertId` that finds the certificate.
    CasIdMissing {
        /// The id parameter's name.
        param: &'static str,
    },
    /// Row 5: `CertName` is longer than the API takes.
    CertNameTooLong {
        /// The name parameter (`CertName`).
        param: &'static str,
        /// Its length in Unicode scalar values.
        chars: usize,
        /// The most the API takes.
        max: usize,
    },
    /// Row 5: `CertName` breaks the API's name pattern.
    CertNameInvalid {
        /// The name parameter.
        param: &'static str,
        /// What is wrong, in words (the name shown safely).
        problem: String,
    },
    /// Row 6: `CertName` is required.
    CertNameMissing {
        /// The name parameter (`CertName`).
        param: &'static str,
        /// When the API requires it (`when SSLProtocol is "on"`).
        when: RequiredWhen,
    },
    /// Row 7: the certificate is not in the certificate service.
    CasNotFound {
        /// The parameter that names it (`CertName` or `CertId`).
        param: &'static str,
        /// It is found by id (`CertId`), not by name.
        by_id: bool,
        /// Its name or id.
        name: String,
    },
    /// Row 7: the named certificate cannot be used.
    CasNotUsable {
        /// The name.
        name: String,
        /// Its status.
        status: CasStatus,
    },
    /// Row 7: the named certificate has expired in the certificate service.
    CasExpired {
        /// The name.
        name: String,
    },
    /// Row 8: the certificate parameter is absent.
    CertificateMissing {
        /// The parameter.
        param: &'static str,
    },
    /// Row 9: the key parameter is absent.
    PrivateKeyMissing {
        /// The parameter.
        param: &'static str,
    },
    /// Row 10: the key is empty or white space.
    PrivateKeyBlank {
        /// The parameter.
        param: &'static str,
        /// Its length in bytes.
        len: usize,
    },
    /// Row 11: the certificate is empty.
    CertificateEmpty {
        /// The parameter.
        param: &'static str,
    },
    /// Row 11: a value is longer than its limit.
    TooLong {
        /// The parameter.
        param: &'static str,
        /// Which field.
        field: Field,
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// Row 12: a value is not text.
    NotText {
        /// The parameter.
        param: &'static str,
        /// Which field.
        field: Field,
        /// What is wrong.
        problem: TextProblem,
    },
    /// Row 13: the certificate parameter has no usable `CERTIFICATE` block.
    CertificatePem {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        error: PemError,
    },
    /// Row 13 (live): neither parameter has a usable block.
    CertificateAndKeyPem {
        /// The certificate parameter.
        certificate_param: &'static str,
        /// What is wrong with it.
        certificate: PemError,
        /// The key parameter.
        key_param: &'static str,
        /// What is wrong with it.
        private_key: PemError,
        /// Each holds what the other should.
        swapped: bool,
    },
    /// Row 14: a block's body is not valid base64.
    Base64 {
        /// The parameter.
        param: &'static str,
        /// Which field.
        field: Field,
        /// The block's label, as text.
        label: String,
        /// Line of the block's BEGIN.
        line: usize,
        /// What is wrong.
        error: Base64Error,
    },
    /// Row 14: a blank line inside the PEM text, where the API refuses one.
    BlankLine {
        /// The parameter.
        param: &'static str,
        /// Which field.
        field: Field,
        /// 1-based line number.
        line: usize,
    },
    /// Row 15: a certificate of the chain is not valid X.509.
    CertificateDer {
        /// 0-based position in the chain (0 is the leaf); details show it 1-based.
        index: usize,
        /// Line of its BEGIN.
        line: usize,
        /// What is wrong.
        error: DerError,
    },
    /// Row 16: the key parameter has no usable private-key block.
    PrivateKeyPem {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        error: PemError,
    },
    /// Row 17: the key block is not a valid private key.
    PrivateKey(KeyProblem),
    /// Row 18: the key does not match the leaf.
    Mismatch(Mismatch),
    /// Row 18: every certificate given is a CA certificate (basicConstraints cA), so no
    /// server's key can match: the CA file was given instead of the full chain.
    CaCertificate {
        /// The first certificate's subject.
        subject: String,
        /// How many certificates were given.
        count: usize,
    },
    /// Row 18: the key matches no certificate of a chain whose first certificate is a CA; it
    /// is compared with the first one that is not.
    MatchesNone {
        /// How many certificates were given.
        count: usize,
        /// The first certificate that is not a CA: 0-based; details show it 1-based.
        index: usize,
        /// Its subject.
        subject: String,
        /// How the key differs from it.
        mismatch: Mismatch,
    },
    /// Row 18b: the key matches a later certificate of the chain.
    LeafNotFirst {
        /// The certificate the key matches: 0-based; details show it 1-based.
        index: usize,
        /// Its subject.
        subject: String,
    },
    /// Row 19: the leaf has expired.
    Expired {
        /// The leaf's notAfter, Unix seconds.
        not_after: i64,
        /// The check time, Unix seconds.
        now: i64,
    },
    /// Row 20: a certificate with this name exists.
    NameDuplicated {
        /// The name parameter (`CertName`).
        param: &'static str,
        /// The name.
        name: String,
        /// The name is a certificate-service (`cas`) certificate's.
        in_cas: bool,
        /// The parameter that would overwrite it (`ForceSet`), if the API has one.
        force: Option<&'static str>,
    },
    /// Row 21: the same certificate is already stored.
    ContentDuplicated {
        /// The stored certificate's name.
        existing: String,
        /// The leaf's SHA-256 fingerprint, hex.
        fingerprint: String,
    },
    /// Row 22: storing the certificate failed.
    StorageFailed,
    /// The state store could not answer: the API's storage code where it has one.
    Store(StoreError),
    /// Row 22: the certificate was set but does not take effect.
    NotEffective {
        /// The domain.
        domain: String,
    },
}

impl Failure {
    /// The detail in words, naming the parameters and files as `naming` says. `Display` is
    /// this with [`Naming::API`].
    pub fn detail_named(&self, naming: &Naming<'_>) -> String {
        Named(self, naming).to_string()
    }

    /// What is wrong and what to do. The API's parameter names come from the variant; `n`
    /// may name them otherwise.
    fn write(&self, f: &mut fmt::Formatter<'_>, n: &Naming<'_>) -> fmt::Result {
        match self {
            Failure::MissingParameter { role, param } => write!(
                f,
                "{} is absent; the API requires it, so the API gateway refuses the request",
                n.param(*role, param)
            ),
            Failure::Domain { domain, state } => write!(f, "the domain {domain} is {state}"),
            Failure::AuthenticationFailed => f.write_str(
                "the request failed authentication (the account's credentials were refused)",
            ),
            Failure::Switch { param, value } => {
                write!(
                    f,
                    "{} {value}; it must be exactly \"on\" or \"off\"",
                    n.param(Role::Switch, param)
                )?;
                // The API's default; a command line's option has its own.
                match n.option(Role::Switch) {
                    None => f.write_str(" (absent means off)"),
                    Some(_) => Ok(()),
                }
            }
            Failure::HttpsOffForbidden { domain } => write!(
                f,
                "turning HTTPS off for {domain} is not permitted: its scheduling depends on the \
                 certificate; ask customer service"
            ),
            Failure::DeleteFailed { domain } => write!(
                f,
                "the certificate stored for {domain} could not be deleted"
            ),
            Failure::CertType {
                param,
                value,
                allowed,
            } => write!(
                f,
                "{} {value}; it must be {}",
                n.param(Role::CertType, param),
                one_of(allowed)
            ),
            Failure::Parameter { role, param, value } => {
                write!(f, "{} {value}", n.param(*role, param))
            }
            Failure::CertRegion {
                param,
                value,
                allowed,
            } => write!(
                f,
                "{} {value}; it must be {}",
                n.param(Role::CertRegion, param),
                one_of(allowed)
            ),
            Failure::Env {
                param,
                value,
                allowed,
            } => write!(
                f,
                "{} {value}; it must be {} (absent means production)",
                n.param(Role::Env, param),
                one_of(allowed)
            ),
            Failure::CasIdMissing { param } => write!(
                f,
                "{} is required with {}: it is the certificate's id in the certificate service",
                n.param(Role::CertId, param),
                n.value(Role::CertType, "CertType", "cas")
            ),
            Failure::CertNameTooLong { param, chars, max } => write!(
                f,
                "{} has {chars} characters; at most {max} are allowed",
                n.param(Role::CertName, param)
            ),
            Failure::CertNameInvalid { param, problem } => {
                write!(f, "{} {problem}", n.param(Role::CertName, param))
            }
            Failure::BlankLine { param, field, line } => write!(
                f,
                "{}: blank line at line {line}; this API refuses blank lines in the PEM text \
                 (remove them)",
                n.param(Role::of(*field), param)
            ),
            Failure::CertNameMissing { param, when } => {
                write!(f, "{} is required ", n.param(Role::CertName, param))?;
                when.write(f, n)
            }
            Failure::CasNotFound { param, by_id, name } => {
                f.write_str("no certificate ")?;
                if *by_id {
                    write!(f, "with {}", n.param(Role::CertId, param))?;
                } else {
                    f.write_str("named")?;
                }
                write!(
                    f,
                    " {name:?} is in the certificate service ({})",
                    n.value(Role::CertType, "CertType", "cas")
                )
            }
            Failure::CasNotUsable { name, status } => write!(
                f,
                "the certificate {name:?} in the certificate service is {status}, not issued"
            ),
            Failure::CasExpired { name } => write!(
                f,
                "the certificate {name:?} in the certificate service has expired; renew it there"
            ),
            Failure::CertificateMissing { param } => write!(
                f,
                "{} is absent; an upload needs the certificate chain (leaf first) in it",
                n.param(Role::Certificate, param)
            ),
            Failure::PrivateKeyMissing { param } => write!(
                f,
                "{} is absent; an upload needs the private key in it",
                n.param(Role::PrivateKey, param)
            ),
            Failure::PrivateKeyBlank { param, len } => {
                write!(f, "{} is present but ", n.param(Role::PrivateKey, param))?;
                if *len == 0 {
                    f.write_str("empty")
                } else {
                    write!(f, "only white space ({len} bytes)")
                }
            }
            Failure::CertificateEmpty { param } => write!(
                f,
                "{} is present but empty",
                n.param(Role::Certificate, param)
            ),
            Failure::TooLong {
                param,
                field,
                len,
                limit,
            } => write!(
                f,
                "{} is {len} bytes; the {field} limit is {limit} bytes",
                n.param(Role::of(*field), param)
            ),
            Failure::NotText {
                param,
                field,
                problem,
            } => {
                write!(f, "{} ", n.param(Role::of(*field), param))?;
                problem.write(f, &n.hints(*field))
            }
            Failure::CertificatePem { param, error } => {
                write!(f, "{}: ", n.param(Role::Certificate, param))?;
                error.write(f, &n.hints(Field::Certificate))
            }
            Failure::CertificateAndKeyPem {
                certificate_param,
                certificate,
                key_param,
                private_key,
                swapped,
            } => {
                write!(f, "{}: ", n.param(Role::Certificate, certificate_param))?;
                certificate.write(f, &n.hints(Field::Certificate))?;
                write!(f, "; {}: ", n.param(Role::PrivateKey, key_param))?;
                private_key.write(f, &n.hints(Field::PrivateKey))?;
                if *swapped {
                    f.write_str(" (the certificate and the private key are swapped)")?;
                }
                Ok(())
            }
            Failure::Base64 {
                param,
                field,
                label,
                line,
                error,
            } => write!(
                f,
                "{}: the {label} block at line {line}: {error}",
                n.param(Role::of(*field), param)
            ),
            Failure::CertificateDer { index, line, error } => write!(
                f,
                "certificate {} of the chain (block at line {line}): {error}",
                position(*index)
            ),
            Failure::PrivateKeyPem { param, error } => {
                write!(f, "{}: ", n.param(Role::PrivateKey, param))?;
                error.write(f, &n.hints(Field::PrivateKey))
            }
            Failure::PrivateKey(problem) => write!(f, "{problem}"),
            Failure::Mismatch(mismatch) => write!(f, "{mismatch}"),
            Failure::CaCertificate { subject, count } => {
                if *count == 1 {
                    write!(
                        f,
                        "the certificate given ({subject}) is a CA certificate (basicConstraints \
                         cA=TRUE)"
                    )?;
                } else {
                    write!(
                        f,
                        "the {count} certificates given are all CA certificates (basicConstraints \
                         cA=TRUE; the first: {subject})"
                    )?;
                }
                f.write_str(
                    ", not the certificate of your domain, so the key matches nothing: give the \
                     file with your domain's certificate first and its chain after it (certbot: \
                     fullchain.pem, not chain.pem; acme.sh: fullchain.cer, not ca.cer)",
                )
            }
            Failure::MatchesNone {
                count,
                index,
                subject,
                mismatch,
            } => write!(
                f,
                "the key matches none of the {count} certificates given: the first is a CA \
                 certificate, and compared with certificate {} ({subject}), the first that is \
                 not a CA: {mismatch}",
                position(*index)
            ),
            Failure::LeafNotFirst { index, subject } => write!(
                f,
                "the key belongs to certificate {} of the chain ({subject}), not to the first: \
                 put the leaf certificate first, then its issuers",
                position(*index)
            ),
            Failure::Expired { not_after, now } => write!(
                f,
                "the certificate expired on {} (checked at {})",
                rfc3339(*not_after),
                rfc3339(*now)
            ),
            Failure::NameDuplicated {
                param,
                name,
                in_cas,
                force,
            } => {
                let kind = if *in_cas {
                    "certificate-service certificate"
                } else {
                    "certificate"
                };
                write!(
                    f,
                    "a {kind} named {name:?} is already stored; choose another {}",
                    n.param(Role::CertName, param)
                )?;
                if let Some(force) = force {
                    write!(
                        f,
                        " or {} to overwrite it",
                        n.set(Role::ForceSet, force, "1")
                    )?;
                }
                Ok(())
            }
            Failure::ContentDuplicated {
                existing,
                fingerprint,
            } => write!(
                f,
                "this certificate (SHA-256 {fingerprint}) is already stored as {existing:?}"
            ),
            Failure::StorageFailed => {
                f.write_str("the certificate store failed to save the certificate")
            }
            Failure::Store(error) => write!(f, "{error}"),
            Failure::NotEffective { domain } => write!(
                f,
                "the certificate would be set for {domain} but does not take effect yet"
            ),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, &Naming::API)
    }
}

impl std::error::Error for Failure {}

/// A failure written with a naming.
struct Named<'f>(&'f Failure, &'f Naming<'f>);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, self.1)
    }
}

/// Something the service would accept but a user wants to know before uploading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Warning {
    /// The leaf has expired, and the API stores it anyway (it does not refuse expired
    /// certificates).
    #[error(
        "the certificate expired on {} (checked at {}); the service stores it, but clients \
         will refuse it: upload a renewed certificate",
        rfc3339(*not_after),
        rfc3339(*now)
    )]
    Expired {
        /// The leaf's notAfter.
        not_after: i64,
        /// The check time.
        now: i64,
    },
    /// The leaf is not valid yet.
    #[error("the certificate is not valid until {} (checked at {})", rfc3339(*not_before), rfc3339(*now))]
    NotYetValid {
        /// The leaf's notBefore.
        not_before: i64,
        /// The check time.
        now: i64,
    },
    /// The leaf expires soon.
    #[error("the certificate expires on {}, in {}; renew it", rfc3339_time(*not_after), days_left(*days))]
    ExpiresSoon {
        /// The leaf's notAfter.
        not_after: OffsetDateTime,
        /// Whole days left, rounded down: 0 is less than a day (shown "less than a day"), 1
        /// is one to two days ("1 day"). Rounding down never promises more time than there
        /// is.
        days: i64,
    },
    /// The leaf does not cover `DomainName`.
    #[error("the certificate does not cover {domain} (it covers: {})", if names.is_empty() { "no DNS name".to_owned() } else { names.join(", ") })]
    DomainNotCovered {
        /// The domain as given.
        domain: String,
        /// The names the leaf covers.
        names: Vec<String>,
    },
    /// Only the leaf is given and it is not self-issued.
    #[error(
        "only the leaf certificate was given; append the intermediate certificate(s) issued by {issuer} (use the full chain file)"
    )]
    ChainIncomplete {
        /// The leaf's issuer.
        issuer: String,
    },
    /// The issuer of a certificate in the chain is missing.
    #[error(
        "the issuer of certificate {} ({issuer}) is not in the chain; add it after certificate {}",
        position(*index),
        position(*index)
    )]
    IssuerMissing {
        /// The certificate whose issuer is missing: 0-based; details show it 1-based.
        index: usize,
        /// The issuer's name.
        issuer: String,
    },
    /// The chain is not in issuing order.
    #[error("the chain is out of order; put the certificates in this order: {}", order.iter().map(|index| position(*index).to_string()).collect::<Vec<_>>().join(", "))]
    ChainOutOfOrder {
        /// The indexes in the right order: 0-based; details show them 1-based.
        order: Vec<usize>,
    },
    /// A certificate that is not on the leaf's issuing path.
    #[error("certificate {} ({subject}) does not belong to the leaf's chain; remove it", position(*index))]
    NotInChain {
        /// Its index: 0-based; details show it 1-based.
        index: usize,
        /// Its subject.
        subject: String,
    },
    /// The same certificate twice.
    #[error("certificate {} repeats certificate {}; remove the copy", position(*index), position(*first))]
    DuplicateCertificate {
        /// The repeat: 0-based; details show it 1-based.
        index: usize,
        /// The first occurrence: 0-based; details show it 1-based.
        first: usize,
    },
    /// An intermediate has expired.
    #[error("certificate {} of the chain ({subject}) expired on {}; clients will reject the chain", position(*index), rfc3339(*not_after))]
    IntermediateExpired {
        /// Its index: 0-based; details show it 1-based.
        index: usize,
        /// Its subject.
        subject: String,
        /// Its notAfter.
        not_after: i64,
    },
    /// An intermediate is not valid yet.
    #[error("certificate {} of the chain ({subject}) is not valid until {}", position(*index), rfc3339(*not_before))]
    IntermediateNotYetValid {
        /// Its index: 0-based; details show it 1-based.
        index: usize,
        /// Its subject.
        subject: String,
        /// Its notBefore.
        not_before: i64,
    },
    /// The leaf's RSA key is below 2048 bits.
    #[error("the RSA key has {bits} bits; below 2048 bits is weak and refused by current clients")]
    WeakRsaKey {
        /// Its size.
        bits: usize,
    },
    /// A certificate is signed with SHA-1 or MD5.
    #[error("certificate {} is signed with {algorithm}, which browsers reject", position(*index))]
    WeakSignature {
        /// Its index: 0-based; details show it 1-based.
        index: usize,
        /// The algorithm.
        algorithm: &'static str,
    },
    /// An RSA public exponent above 2^32.
    #[error(
        "the RSA public exponent {e} is above 2^32; some TLS clients (Windows CryptoAPI, Go) refuse such keys"
    )]
    LargeRsaExponent {
        /// The exponent.
        e: String,
    },
    /// The leaf is self-signed.
    #[error("the certificate is self-signed; browsers will not trust it")]
    SelfSigned,
    /// The leaf's key is SM2, which Alibaba Cloud deploys through its certificate service.
    #[error("{}", sm2_advice(&Naming::API))]
    Sm2Certificate,
    /// The leaf's key is Ed25519 (RFC 8410), which the service stores but no browser accepts
    /// in a TLS server certificate.
    #[error(
        "the certificate has an Ed25519 key; no browser supports Ed25519 certificates in TLS \
         today, so browsers will fail to connect: use a certificate with an ECDSA P-256 key or \
         an RSA key of 2048 bits or more"
    )]
    Ed25519Certificate,
    /// The PEM text deviates from the service's published format.
    #[error("{field}: {note}")]
    PemFormat {
        /// Which field.
        field: Field,
        /// How.
        note: FormatNote,
    },
}

impl Warning {
    /// The text in words, naming the parameters as `naming` says (only
    /// [`Warning::Sm2Certificate`] names one). `Display` is this with [`Naming::API`].
    pub fn detail_named(&self, naming: &Naming<'_>) -> String {
        match self {
            Warning::Sm2Certificate => sm2_advice(naming),
            other => other.to_string(),
        }
    }

    /// A stable name for scripts, e.g. `ExpiresSoon`.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::Expired { .. } => "Expired",
            Warning::NotYetValid { .. } => "NotYetValid",
            Warning::ExpiresSoon { .. } => "ExpiresSoon",
            Warning::DomainNotCovered { .. } => "DomainNotCovered",
            Warning::ChainIncomplete { .. } => "ChainIncomplete",
            Warning::IssuerMissing { .. } => "IssuerMissing",
            Warning::ChainOutOfOrder { .. } => "ChainOutOfOrder",
            Warning::NotInChain { .. } => "NotInChain",
            Warning::DuplicateCertificate { .. } => "DuplicateCertificate",
            Warning::IntermediateExpired { .. } => "IntermediateExpired",
            Warning::IntermediateNotYetValid { .. } => "IntermediateNotYetValid",
            Warning::WeakRsaKey { .. } => "WeakRsaKey",
            Warning::WeakSignature { .. } => "WeakSignature",
            Warning::LargeRsaExponent { .. } => "LargeRsaExponent",
            Warning::SelfSigned => "SelfSigned",
            Warning::Sm2Certificate => "Sm2Certificate",
            Warning::Ed25519Certificate => "Ed25519Certificate",
            Warning::PemFormat { .. } => "PemFormat",
        }
    }
}

/// What [`Warning::Sm2Certificate`] says.
fn sm2_advice(n: &Naming<'_>) -> String {
    format!(
        "the certificate has an SM2 key; Alibaba Cloud deploys SM2 (ShangMi) certificates through \
         the certificate service ({}) and SetCdnDomainSMCertificate, and an upload may be refused",
        n.value(Role::CertType, "CertType", "cas")
    )
}

/// Days left in words: "less than a day", "1 day", "14 days".
fn days_left(days: i64) -> String {
    match days {
        ..=0 => "less than a day".to_owned(),
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

/// A check that needs the caller's state and was not run because no state was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Skipped {
    /// Row 1: the domain's state and the authentication fault.
    DomainState,
    /// Row 3: whether HTTPS may be turned off / the stored certificate deleted.
    SwitchOff,
    /// Row 7: the `cas` certificate lookup.
    CasLookup,
    /// Row 20: the duplicate-name check.
    DuplicateName,
    /// Row 21: the duplicate-content check.
    DuplicateContent,
    /// Row 22: storing, and whether the certificate takes effect.
    Storage,
}

impl Skipped {
    /// A stable name for scripts.
    pub fn code(self) -> &'static str {
        match self {
            Skipped::DomainState => "DomainState",
            Skipped::SwitchOff => "SwitchOff",
            Skipped::CasLookup => "CasLookup",
            Skipped::DuplicateName => "DuplicateName",
            Skipped::DuplicateContent => "DuplicateContent",
            Skipped::Storage => "Storage",
        }
    }
}
