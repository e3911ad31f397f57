//! Parameters by what they are for: a profile names each [`Role`] it takes, a request holds
//! values by role, a failure says which role's parameter is wrong.

use crate::pem::Field;

/// What a parameter is for. A profile names each role it takes; a `Request`
/// holds values by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Role {
    /// The domain (`DomainName`).
    Domain,
    /// The HTTPS switch (`ServerCertificateStatus` / `SSLProtocol`); absent means `off`.
    Switch,
    /// The certificate chain (`ServerCertificate` / `SSLPub`).
    Certificate,
    /// The private key (`PrivateKey` / `SSLPri`).
    PrivateKey,
    /// The certificate's name (`CertName`).
    CertName,
    /// The certificate's type (`CertType`); absent means `upload`.
    CertType,
    /// The certificate-service id (`CertId`).
    CertId,
    /// The certificate-service region (`CertRegion`).
    CertRegion,
    /// The environment (`Env`).
    Env,
    /// Overwrite a certificate of the same name (`ForceSet`).
    ForceSet,
    /// The region a regional API keeps the certificate in (`RegionId`).
    Region,
}

impl Role {
    /// Every role, in the order requests list them.
    pub const ALL: [Role; 11] = [
        Role::Domain,
        Role::Switch,
        Role::Certificate,
        Role::PrivateKey,
        Role::CertName,
        Role::CertType,
        Role::CertId,
        Role::CertRegion,
        Role::Env,
        Role::ForceSet,
        Role::Region,
    ];

    /// Its position in [`Role::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The role of a PEM field.
    pub const fn of(field: Field) -> Role {
        match field {
            Field::Certificate => Role::Certificate,
            Field::PrivateKey => Role::PrivateKey,
        }
    }
}
