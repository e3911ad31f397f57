//! The API gateway's answers, common to every API: a request that lacks a parameter the API's
//! metadata marks required is refused before the API sees it, with `Missing<Name>`, HTTP 400
//! and `<Name> is mandatory for this action.`
//!
//! The pattern is documented for CDN itself: the sample error answer in the CDN API reference
//! of `SetDomainGreenManagerConfig` is
//! `{"Code":"MissingDomainName","Message":"DomainName is mandatory for this action.",
//! "HostId":"cdn.aliyuncs.com","Recommend":"…?Keyword=MissingDomainName&source=PopGw",…}`
//! (`source=PopGw`: the gateway). It is observed on other products too (the certificate
//! service's `MissingStatus`, Edge Security Acceleration's `MissingHostnameId`, STS's
//! `MissingSecurityToken`). Where the exact code has not been seen for an API, its entry is
//! inferred from that pattern and says so.

use crate::catalog::{CatalogEntry, Evidence};

/// Why the gateway's entries of APIs other than CDN are inferred.
const PATTERN: &str = "the API gateway's answer to a missing required parameter: documented for \
CDN (MissingDomainName, the sample answer of SetDomainGreenManagerConfig in the CDN API \
reference) and observed on the certificate service (MissingStatus); not seen for this API";

/// `DomainName` absent, on a CDN API: documented.
pub(crate) const MISSING_DOMAIN_NAME_CDN: CatalogEntry = CatalogEntry::new(
    "MissingDomainName",
    400,
    "DomainName is mandatory for this action.",
)
.with_evidence(Evidence::Documented(
    "CDN API reference, SetDomainGreenManagerConfig: sample error answer of the API \
             gateway (source=PopGw)",
));

/// `DomainName` absent, on an API of another product: inferred from the gateway's pattern.
pub(crate) const MISSING_DOMAIN_NAME: CatalogEntry = CatalogEntry::new(
    "MissingDomainName",
    400,
    "DomainName is mandatory for this action.",
)
.with_evidence(Evidence::Inferred(PATTERN));
