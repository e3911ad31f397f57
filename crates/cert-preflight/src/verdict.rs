//! The answer: every finding (the first is the service's answer), warnings the service would
//! not give, and the state checks that were skipped for want of state.

use core::fmt;

use crate::catalog::CatalogEntry;
use crate::facts::{CertificateFacts, Chain};
use crate::failure::{Failure, Naming, Skipped, Warning};
use crate::text::hex;

/// One finding: a failure and the catalog entry the profile answers it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    entry: &'static CatalogEntry,
    failure: Failure,
}

impl Finding {
    pub(crate) fn new(entry: &'static CatalogEntry, failure: Failure) -> Self {
        Finding { entry, failure }
    }

    /// The catalog entry: code, message and HTTP status, as the service would answer.
    pub fn entry(&self) -> &'static CatalogEntry {
        self.entry
    }

    /// The error code, e.g. `Certificate.MissMatch`.
    pub fn code(&self) -> &'static str {
        self.entry.code()
    }

    /// The service's message.
    pub fn message(&self) -> &'static str {
        self.entry.message()
    }

    /// The HTTP status.
    pub fn http_status(&self) -> u16 {
        self.entry.http_status()
    }

    /// The failure behind it, with its structured detail.
    pub fn failure(&self) -> &Failure {
        &self.failure
    }

    /// The detail: what exactly is wrong and what to do, in words, naming the API's
    /// parameters ([`Naming::API`]). Where the entry is this project's inference rather than
    /// the service's known answer, the detail says so.
    pub fn detail(&self) -> String {
        self.detail_named(&Naming::API)
    }

    /// The detail, naming the parameters and files as `naming` says: a command line's
    /// options (`--cert is absent…`, `pass --force-set 1`) and the files it read.
    pub fn detail_named(&self, naming: &Naming<'_>) -> String {
        let mut detail = self.failure.detail_named(naming);
        if self.entry.evidence().is_inferred() {
            detail.push_str(INFERRED);
        }
        detail
    }
}

/// What a detail of an inferred entry ends with.
const INFERRED: &str = " (the code and message are cert-preflight's inference: no public \
                        source shows this service's answer to this case)";

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code(),
            self.http_status(),
            self.detail()
        )
    }
}

/// An accepted upload, as the service would store it: the name, and the chain exactly as it
/// was checked (its facts and its canonical PEM; never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    cert_name: Option<String>,
    overwrites: bool,
    chain: Chain,
}

impl Upload {
    pub(crate) fn new(cert_name: Option<String>, overwrites: bool, chain: Chain) -> Upload {
        Upload {
            cert_name,
            overwrites,
            chain,
        }
    }

    /// The name a stored certificate must not already have for the upload to be accepted
    /// (row 20): `CertName`, unless it is blank or the request overwrites (`ForceSet=1` where the
    /// API takes it). A store that commits concurrently re-checks exactly this.
    pub fn name_checked(&self) -> Option<&str> {
        self.cert_name.as_deref().filter(|_| !self.overwrites)
    }

    /// The name the request gave (`CertName`), when it is not blank.
    pub fn cert_name(&self) -> Option<&str> {
        self.cert_name.as_deref()
    }

    /// The name it is stored under: `CertName`, or the leaf's fingerprint (hex) when the
    /// request names none.
    pub fn name(&self) -> String {
        match &self.cert_name {
            Some(name) => name.clone(),
            None => hex(&self.fingerprint()),
        }
    }

    /// SHA-256 of the leaf certificate's DER (computed when asked, not on every check).
    pub fn fingerprint(&self) -> [u8; 32] {
        self.leaf()
            .map(CertificateFacts::sha256)
            .unwrap_or_default()
    }

    /// The leaf certificate's DER.
    pub fn leaf_der(&self) -> &[u8] {
        self.leaf().map(CertificateFacts::der).unwrap_or_default()
    }

    /// The leaf certificate's facts.
    pub fn leaf(&self) -> Option<&CertificateFacts> {
        self.chain.leaf()
    }

    /// The chain that was checked, leaf first: its facts and canonical PEM.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }
}

/// The outcome of a check (only the checks make one: it has no `Default`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub(crate) findings: Vec<Finding>,
    pub(crate) warnings: Vec<Warning>,
    pub(crate) skipped: Vec<Skipped>,
    pub(crate) upload: Option<Upload>,
}

impl Verdict {
    /// A verdict with nothing found yet (the checks fill it).
    pub(crate) fn empty() -> Verdict {
        Verdict {
            findings: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            upload: None,
        }
    }

    /// True when the service would accept the request.
    pub fn is_accepted(&self) -> bool {
        self.findings.is_empty()
    }

    /// The service's answer: the first finding, or `None` when accepted.
    pub fn answer(&self) -> Option<&Finding> {
        self.findings.first()
    }

    /// Every finding, the service's answer first.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Warnings the service would not give.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// State checks not run because the caller gave no state for them.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// The upload the service would store, when the request is an accepted upload.
    pub fn upload(&self) -> Option<&Upload> {
        if self.is_accepted() {
            self.upload.as_ref()
        } else {
            None
        }
    }
}
