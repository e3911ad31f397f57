//! The states the checks answer for: the product a domain belongs to, a domain's state and a
//! certificate-service certificate's status. Plain values, used by the failures above them and
//! by the state traits.

use core::fmt;

/// The product an API belongs to. Each keeps its own domains and certificates: one domain name
/// can be a CDN domain and a Live domain with different states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Product {
    /// Alibaba Cloud CDN.
    Cdn,
    /// Dynamic Route for CDN (DCDN).
    Dcdn,
    /// ApsaraVideo Live.
    Live,
    /// ApsaraVideo VOD.
    Vod,
    /// The SSL Certificates Service (CAS): one store of certificates per account, which the
    /// other products use by id (`CertType=cas`).
    Cas,
    /// Classic Load Balancer (SLB 2014-05-15): server certificates kept per region, without
    /// domains.
    Slb,
}

impl Product {
    /// Every product, with the name the state file and the endpoint use.
    pub const ALL: [(Product, &'static str); 6] = [
        (Product::Cdn, "cdn"),
        (Product::Dcdn, "dcdn"),
        (Product::Live, "live"),
        (Product::Vod, "vod"),
        (Product::Cas, "cas"),
        (Product::Slb, "slb"),
    ];

    /// The products with domains (a domain of a state document without `products` is one of
    /// each).
    pub const WITH_DOMAINS: [Product; 4] =
        [Product::Cdn, Product::Dcdn, Product::Live, Product::Vod];

    /// The product named `name` (`cdn`, `dcdn`, `live`, `vod`).
    pub fn from_name(name: &str) -> Option<Product> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(product, _)| *product)
    }

    /// Its name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(product, _)| *product == self)
            .map_or("cdn", |(_, n)| n)
    }

    /// The product code the service's `Recommend` links use (`Cdn`, `dcdn`, `live`, `vod`,
    /// `cas`, `Slb`).
    pub fn code(self) -> &'static str {
        match self {
            Product::Cdn => "Cdn",
            Product::Dcdn => "dcdn",
            Product::Live => "live",
            Product::Vod => "vod",
            Product::Cas => "cas",
            Product::Slb => "Slb",
        }
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The state of a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DomainStatus {
    /// Online: the operation may proceed.
    Online,
    /// The domain does not exist.
    NotFound,
    /// The domain belongs to another account.
    NotOwned,
    /// The account may not operate on the domain.
    Forbidden,
    /// The domain is offline.
    Offline,
    /// The domain is being configured.
    Configuring,
    /// The account's service is suspended (in arrears).
    Suspended,
    /// The domain is in safe mode.
    SafeMode,
    /// The domain is in protected mode.
    ProtectedMode,
    /// A function mutually exclusive with this one is enabled.
    FunctionMutex,
}

impl DomainStatus {
    /// Every state, with the name the JSON document uses.
    pub const ALL: [(DomainStatus, &'static str); 10] = [
        (DomainStatus::Online, "online"),
        (DomainStatus::NotFound, "not_found"),
        (DomainStatus::NotOwned, "not_owned"),
        (DomainStatus::Forbidden, "forbidden"),
        (DomainStatus::Offline, "offline"),
        (DomainStatus::Configuring, "configuring"),
        (DomainStatus::Suspended, "suspended"),
        (DomainStatus::SafeMode, "safe_mode"),
        (DomainStatus::ProtectedMode, "protected_mode"),
        (DomainStatus::FunctionMutex, "function_mutex"),
    ];

    /// The state with this JSON name.
    pub fn from_name(name: &str) -> Option<DomainStatus> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(status, _)| *status)
    }

    /// The JSON name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(status, _)| *status == self)
            .map_or("online", |(_, n)| n)
    }
}

impl fmt::Display for DomainStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DomainStatus::Online => "online",
            DomainStatus::NotFound => "not found (no such domain in this account)",
            DomainStatus::NotOwned => "not yours (it belongs to another account)",
            DomainStatus::Forbidden => "not open to this operation for your account",
            DomainStatus::Offline => "offline; bring it online first",
            DomainStatus::Configuring => "being configured; retry when that finishes",
            DomainStatus::Suspended => "suspended because the service is in arrears",
            DomainStatus::SafeMode => "in safe mode; contact support to change it",
            DomainStatus::ProtectedMode => "in protected mode; contact support to change it",
            DomainStatus::FunctionMutex => {
                "using a function that excludes this one; turn that function off first"
            }
        })
    }
}

/// The status of a certificate in the certificate service (`CertType=cas`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CasStatus {
    /// Issued: usable.
    Issued,
    /// Anything else (`expired`, `revoked`, `pending` …), as the caller names it.
    Other(String),
}

impl CasStatus {
    /// The status named `name` (`issued` is [`CasStatus::Issued`]).
    pub fn from_name(name: &str) -> CasStatus {
        if name == "issued" {
            CasStatus::Issued
        } else {
            CasStatus::Other(name.to_owned())
        }
    }
}

impl fmt::Display for CasStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CasStatus::Issued => f.write_str("issued"),
            CasStatus::Other(name) => f.write_str(&crate::text::shown(name, 32)),
        }
    }
}
