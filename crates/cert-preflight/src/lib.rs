#![doc = include_str!("../README.md")]
//!
//! # How it is built
//!
//! The pipeline, module by module (top to bottom, imports go one way): [`Request`] (values by
//! [`Role`], typed or parsed from a raw query) → [`Limits`] → PEM framing and base64 → the
//! certificate chain / the private key → the key match → the [`Verdict`], with the
//! [`Failure`]s and [`Warning`]s at the bottom. [`validate`] runs the checks in the order the service
//! runs them, each a named function; a [`Profile`] (one file of data per API) maps
//! each failure to its API's [`CatalogEntry`]. The state only the caller knows comes in through
//! the [`DomainDirectory`], [`CertificateStore`] and [`Faults`] traits, handed over as a
//! [`StateView`] to [`validate_with`]; an accepted upload's [`Upload`] carries the chain as a
//! store keeps it ([`Chain`]: each certificate's facts and its canonical PEM).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod algorithm;
mod base64;
mod catalog;
mod certificate;
mod chain;
mod container;
mod facts;
mod failure;
mod fixed_base;
// The fuzz targets' entry points: built by cargo-fuzz (`--cfg fuzzing`) and for the unit tests.
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod key_match;
mod limbs;
mod limits;
mod oid;
mod pem;
mod private_key;
mod profile;
mod request;
mod role;
mod state;
mod status;
#[cfg(test)]
mod test_support;
mod text;
mod validate;
mod verdict;

pub use algorithm::{Curve, Unsupported};
pub use catalog::{CatalogEntry, Evidence};
pub use certificate::{DerError, SubjectKey};
pub use facts::{CertificateFacts, Chain, ChainError};
pub use failure::{
    BadValue, Failure, Naming, RequiredWhen, Skipped, StoreError, TextProblem, Warning,
};
pub use key_match::Mismatch;
pub use limits::{CERT_NAME_MAX_CHARS, Limits};
pub use pem::{Base64Error, Container, Field, FormatNote, FramingError, Label, PemError};
pub use private_key::{Inconsistency, KeyDer, KeyFormat, KeyProblem, private_key_der};
pub use profile::{
    CAS, CDN, CDN_SSL, CLB, CasBy, CasCodes, CharClass, Codes, DCDN, DomainCodes, LIVE,
    NamePattern, NameRequired, Profile, Rules, VOD,
};
pub use request::{Request, RequestError, Value};
pub use role::Role;
pub use state::{
    CasRef, CertKind, CertificateStore, CertificateWriter, DomainDirectory, DomainInfo, FaultFlags,
    Faults, InMemoryDomains, InMemoryState, StateError, StateView, StoredCertificate, record,
};
pub use status::{CasStatus, DomainStatus, Product};
pub use text::{looks_like_key_material, withheld};
/// The `time` crate this one takes its times from ([`Options::at`]), so a caller needs no
/// second dependency to name one.
pub use time;
pub use validate::{Options, validate, validate_with};
pub use verdict::{Finding, Upload, Verdict};
