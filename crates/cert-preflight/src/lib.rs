//! Offline pre-flight checks of a certificate chain and private key before they are uploaded
//! to Alibaba Cloud CDN (`SetDomainServerCertificate`) or ApsaraVideo Live
//! (`SetLiveDomainCertificate`), answering with the exact error code, message and HTTP status
//! the service would return — and with every finding and warning, where the service gives one.
//!
//! ```
//! use cert_preflight::{validate, Options, Request, CDN};
//! use time::macros::datetime;
//!
//! let request = Request::upload("not a certificate", "not a key").with_domain("example.com");
//! let verdict = validate(&CDN, &request, &Options::at(datetime!(2026-06-01 0:00 UTC)));
//! let answer = verdict.answer().unwrap();
//! assert_eq!(answer.code(), "InvalidCertificate");
//! assert_eq!(answer.message(), "The Certificate you provided is malformed!");
//! assert_eq!(answer.http_status(), 400);
//! ```
//!
//! The pipeline, module by module: [`Request`] (typed or parsed from a raw query) →
//! [`Limits`] → PEM framing and base64 → the certificate chain / the private key → the key
//! match → the [`Verdict`]. [`validate`] runs it; a [`Profile`] maps each [`Failure`] to its
//! API's [`CatalogEntry`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod algorithm;
mod base64;
mod catalog;
mod certificate;
mod chain;
mod fixed_base;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod key_match;
mod limbs;
mod limits;
mod pem;
mod private_key;
mod profile;
mod request;
mod state;
mod validate;
mod verdict;

pub use algorithm::{Curve, Unsupported};
pub use catalog::CatalogEntry;
pub use certificate::{DerError, SubjectKey};
pub use key_match::Mismatch;
pub use limits::Limits;
pub use pem::{Base64Error, Field, FormatNote, FramingError, Label, PemError};
pub use private_key::{Inconsistency, KeyFormat, KeyProblem};
pub use profile::{CDN, LIVE, ParamNames, Profile};
pub use request::{Request, RequestError, Value};
pub use state::{
    CasStatus, CertKind, CertificateStore, DomainDirectory, DomainInfo, DomainStatus, FaultFlags,
    Faults, InMemoryState, StateError, StoredCertificate,
};
pub use validate::{Options, validate};
pub use verdict::{BadValue, Failure, Finding, Skipped, TextProblem, Upload, Verdict, Warning};
