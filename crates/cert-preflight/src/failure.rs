//! What can be wrong, independent of the API: a [`Failure`] for each check of the contract's
//! table (the profile maps it to its catalog entry), a [`Warning`] for what the service accepts
//! but a user wants to know, and the checks [`Skipped`] for want of state. The bottom of the
//! pipeline: it names the parsers' errors and the states, and nothing above it.

use core::fmt;

use crate::certificate::DerError;
use crate::key_match::Mismatch;
use crate::pem::{Base64Error, Container, Field, FormatNote, PemError};
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

/// Why a certificate or key value is not text (contract row 12). Offsets are 0-based; details
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
            TextProblem::Binary { container, field } => container.binary_advice(*field, f),
        }
    }
}

/// One failed check, independent of the API: the profile maps it to a catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// Before row 1, the gateway's: a parameter the API requires is absent.
    #[error("{param} is absent; the API requires it, so the API gateway refuses the request")]
    MissingParameter {
        /// What the parameter is for.
        role: Role,
        /// Its name.
        param: &'static str,
    },
    /// Row 1: the domain's state forbids the operation.
    #[error("the domain {domain} is {state}")]
    Domain {
        /// The domain name.
        domain: String,
        /// Its state.
        state: DomainStatus,
    },
    /// Row 1: the request failed authentication.
    #[error("the request failed authentication (the account's credentials were refused)")]
    AuthenticationFailed,
    /// Row 2: the switch is not exactly `on` or `off`.
    #[error("{param} {value}; it must be exactly \"on\" or \"off\" (absent means off)")]
    Switch {
        /// The switch parameter's name.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
    },
    /// Row 3: HTTPS may not be turned off for this domain.
    #[error(
        "turning HTTPS off for {domain} is not permitted: its scheduling depends on the \
         certificate; ask customer service"
    )]
    HttpsOffForbidden {
        /// The domain.
        domain: String,
    },
    /// Row 3: the stored certificate could not be deleted.
    #[error("the certificate stored for {domain} could not be deleted")]
    DeleteFailed {
        /// The domain.
        domain: String,
    },
    /// Row 4: `CertType` is not one of the API's types.
    #[error("{param} {value}; it must be {}", one_of(allowed))]
    CertType {
        /// The type parameter (`CertType`).
        param: &'static str,
        /// What is wrong.
        value: BadValue,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// Row 4: another parameter has an impossible value.
    #[error("{param} {value}")]
    Parameter {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
    },
    /// Row 4: `CertRegion` is not a region the API accepts.
    #[error("{param} {value}; it must be {}", one_of(allowed))]
    CertRegion {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// Row 4: `Env` is not an environment the API accepts.
    #[error(
        "{param} {value}; it must be {} (absent means production)",
        one_of(allowed)
    )]
    Env {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        value: BadValue,
        /// The accepted values.
        allowed: &'static [&'static str],
    },
    /// Row 4: `CertType=cas` without the `CertId` that finds the certificate.
    #[error(
        "{param} is required with CertType=cas: it is the certificate's id in the certificate service"
    )]
    CasIdMissing {
        /// The id parameter's name.
        param: &'static str,
    },
    /// Row 5: `CertName` is longer than the API takes.
    #[error("{param} has {chars} characters; at most {max} are allowed")]
    CertNameTooLong {
        /// The name parameter (`CertName`).
        param: &'static str,
        /// Its length in Unicode scalar values.
        chars: usize,
        /// The most the API takes.
        max: usize,
    },
    /// Row 5: `CertName` breaks the API's name pattern.
    #[error("{param} {problem}")]
    CertNameInvalid {
        /// The name parameter.
        param: &'static str,
        /// What is wrong, in words (the name shown safely).
        problem: String,
    },
    /// Row 6: `CertName` is required.
    #[error("{param} is required {when}")]
    CertNameMissing {
        /// The name parameter (`CertName`).
        param: &'static str,
        /// When the API requires it, in words (`when SSLProtocol is "on"`).
        when: String,
    },
    /// Row 7: the certificate is not in the certificate service.
    #[error(
        "no certificate {} {name:?} is in the certificate service (CertType=cas)",
        if *by_id { format!("with {param}") } else { "named".to_owned() }
    )]
    CasNotFound {
        /// The parameter that names it (`CertName` or `CertId`).
        param: &'static str,
        /// It is found by id (`CertId`), not by name.
        by_id: bool,
        /// Its name or id.
        name: String,
    },
    /// Row 7: the named certificate cannot be used.
    #[error("the certificate {name:?} in the certificate service is {status}, not issued")]
    CasNotUsable {
        /// The name.
        name: String,
        /// Its status.
        status: CasStatus,
    },
    /// Row 7: the named certificate has expired in the certificate service.
    #[error("the certificate {name:?} in the certificate service has expired; renew it there")]
    CasExpired {
        /// The name.
        name: String,
    },
    /// Row 8: the certificate parameter is absent.
    #[error("{param} is absent; an upload needs the certificate chain (leaf first) in it")]
    CertificateMissing {
        /// The parameter.
        param: &'static str,
    },
    /// Row 9: the key parameter is absent.
    #[error("{param} is absent; an upload needs the private key in it")]
    PrivateKeyMissing {
        /// The parameter.
        param: &'static str,
    },
    /// Row 10: the key is empty or white space.
    #[error("{param} is present but {}", if *len == 0 { "empty".to_owned() } else { format!("only white space ({len} bytes)") })]
    PrivateKeyBlank {
        /// The parameter.
        param: &'static str,
        /// Its length in bytes.
        len: usize,
    },
    /// Row 11: the certificate is empty.
    #[error("{param} is present but empty")]
    CertificateEmpty {
        /// The parameter.
        param: &'static str,
    },
    /// Row 11: a value is longer than its limit.
    #[error("{param} is {len} bytes; the {field} limit is {limit} bytes")]
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
    #[error("{param} {problem}")]
    NotText {
        /// The parameter.
        param: &'static str,
        /// Which field.
        field: Field,
        /// What is wrong.
        problem: TextProblem,
    },
    /// Row 13: the certificate parameter has no usable `CERTIFICATE` block.
    #[error("{param}: {error}")]
    CertificatePem {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        error: PemError,
    },
    /// Row 13 (live): neither parameter has a usable block.
    #[error("{certificate_param}: {certificate}; {key_param}: {private_key}{}", if *swapped { " (the certificate and the private key are swapped)" } else { "" })]
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
    #[error("{param}: the {label} block at line {line}: {error}")]
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
    #[error(
        "{param}: blank line at line {line}; this API refuses blank lines in the PEM text (remove them)"
    )]
    BlankLine {
        /// The parameter.
        param: &'static str,
        /// Which field.
        field: Field,
        /// 1-based line number.
        line: usize,
    },
    /// Row 15: a certificate of the chain is not valid X.509.
    #[error("certificate {index} of the chain (block at line {line}): {error}")]
    CertificateDer {
        /// 0-based position in the chain (0 is the leaf).
        index: usize,
        /// Line of its BEGIN.
        line: usize,
        /// What is wrong.
        error: DerError,
    },
    /// Row 16: the key parameter has no usable private-key block.
    #[error("{param}: {error}")]
    PrivateKeyPem {
        /// The parameter.
        param: &'static str,
        /// What is wrong.
        error: PemError,
    },
    /// Row 17: the key block is not a valid private key.
    #[error("{0}")]
    PrivateKey(KeyProblem),
    /// Row 18: the key does not match the leaf.
    #[error("{0}")]
    Mismatch(Mismatch),
    /// Row 18: every certificate given is a CA certificate (basicConstraints cA), so no
    /// server's key can match: the CA file was given instead of the full chain.
    #[error(
        "{}, not the certificate of your domain, so the key matches nothing: give the file \
         with your domain's certificate first and its chain after it (certbot: fullchain.pem, \
         not chain.pem; acme.sh: fullchain.cer, not ca.cer)",
        if *count == 1 {
            format!("the certificate given ({subject}) is a CA certificate (basicConstraints cA=TRUE)")
        } else {
            format!("the {count} certificates given are all CA certificates (basicConstraints cA=TRUE; the first: {subject})")
        }
    )]
    CaCertificate {
        /// The first certificate's subject.
        subject: String,
        /// How many certificates were given.
        count: usize,
    },
    /// Row 18: the key matches no certificate of a chain whose first certificate is a CA; it
    /// is compared with the first one that is not.
    #[error(
        "the key matches none of the {count} certificates given: the first is a CA \
         certificate, and compared with certificate {index} ({subject}), the first that is not \
         a CA: {mismatch}"
    )]
    MatchesNone {
        /// How many certificates were given.
        count: usize,
        /// The first certificate that is not a CA.
        index: usize,
        /// Its subject.
        subject: String,
        /// How the key differs from it.
        mismatch: Mismatch,
    },
    /// Row 18b: the key matches a later certificate of the chain.
    #[error(
        "the key belongs to certificate {index} of the chain ({subject}), not to the first: \
         put the leaf certificate first, then its issuers"
    )]
    LeafNotFirst {
        /// The certificate the key matches.
        index: usize,
        /// Its subject.
        subject: String,
    },
    /// Row 19: the leaf has expired.
    #[error("the certificate expired on {} (checked at {})", rfc3339(*not_after), rfc3339(*now))]
    Expired {
        /// The leaf's notAfter, Unix seconds.
        not_after: i64,
        /// The check time, Unix seconds.
        now: i64,
    },
    /// Row 20: a certificate with this name exists.
    #[error(
        "a {} named {name:?} is already stored; choose another {param}{}",
        if *in_cas { "certificate-service certificate" } else { "certificate" },
        match force { Some(force) => format!(" or set {force}=1 to overwrite it"), None => String::new() }
    )]
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
    #[error("this certificate (SHA-256 {fingerprint}) is already stored as {existing:?}")]
    ContentDuplicated {
        /// The stored certificate's name.
        existing: String,
        /// The leaf's SHA-256 fingerprint, hex.
        fingerprint: String,
    },
    /// Row 22: storing the certificate failed.
    #[error("the certificate store failed to save the certificate")]
    StorageFailed,
    /// The state store could not answer: the API's storage code where it has one.
    #[error("{0}")]
    Store(StoreError),
    /// Row 22: the certificate was set but does not take effect.
    #[error("the certificate would be set for {domain} but does not take effect yet")]
    NotEffective {
        /// The domain.
        domain: String,
    },
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
        "the issuer of certificate {index} ({issuer}) is not in the chain; add it after certificate {index}"
    )]
    IssuerMissing {
        /// The certificate whose issuer is missing.
        index: usize,
        /// The issuer's name.
        issuer: String,
    },
    /// The chain is not in issuing order.
    #[error("the chain is out of order; put the certificates in this order: {}", order.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))]
    ChainOutOfOrder {
        /// The indexes in the right order.
        order: Vec<usize>,
    },
    /// A certificate that is not on the leaf's issuing path.
    #[error("certificate {index} ({subject}) does not belong to the leaf's chain; remove it")]
    NotInChain {
        /// Its index.
        index: usize,
        /// Its subject.
        subject: String,
    },
    /// The same certificate twice.
    #[error("certificate {index} repeats certificate {first}; remove the copy")]
    DuplicateCertificate {
        /// The repeat.
        index: usize,
        /// The first occurrence.
        first: usize,
    },
    /// An intermediate has expired.
    #[error("certificate {index} of the chain ({subject}) expired on {}; clients will reject the chain", rfc3339(*not_after))]
    IntermediateExpired {
        /// Its index.
        index: usize,
        /// Its subject.
        subject: String,
        /// Its notAfter.
        not_after: i64,
    },
    /// An intermediate is not valid yet.
    #[error("certificate {index} of the chain ({subject}) is not valid until {}", rfc3339(*not_before))]
    IntermediateNotYetValid {
        /// Its index.
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
    #[error("certificate {index} is signed with {algorithm}, which browsers reject")]
    WeakSignature {
        /// Its index.
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
    #[error(
        "the certificate has an SM2 key; Alibaba Cloud deploys SM2 (ShangMi) certificates through the certificate service (CertType=cas) and SetCdnDomainSMCertificate, and an upload may be refused"
    )]
    Sm2Certificate,
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
            Warning::PemFormat { .. } => "PemFormat",
        }
    }
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
