//! CDN `SetCdnDomainSSLCertificate` (Cdn 2018-05-10), the replacement of
//! `SetDomainServerCertificate`: the error table of its API reference and its OpenAPI metadata
//! (`aliyun/alibabacloud-openapi-meta`, `en-US/cdn/SetCdnDomainSSLCertificate.json`), given
//! with their sources in the repository's `docs/reference/cdn.md`. acme.sh's `ali_cdn` hook, certd,
//! certimate and Terraform upload through it. A `…` in a message is the reference's own
//! abbreviation, kept as given.

use super::{CasBy, CasCodes, Codes, DomainCodes, NameRequired, Profile, Role, Rules, gateway};
use crate::catalog::Evidence;
use crate::catalog::table;
use crate::status::Product;

table! {
    evidence = Evidence::Documented("Alibaba Cloud CDN API reference, SetCdnDomainSSLCertificate, error codes");
    INVALID_SSL_PROTOCOL_VALUE = ("InvalidSSLProtocol.ValueNotSupported", 400, "The specified SSLProtocol is invalid.");
    SSL_PUB_MISSING = ("SSLPub.MissingParameter", 400, "The SSLPub parameter is required.");
    SSL_PRI_MISSING = ("SSLPri.MissingParameter", 400, "The SSLPri parameter is required.");
    INVALID_SSL_PUB = ("InvalidSSLPub", 400, "The specified SSLPub is invalid.");
    INVALID_SSL_PRI = ("InvalidSSLPri", 400, "The specified SSLPri is invalid.");
    MISS_MATCH = ("Certificate.MissMatch", 400, "The SSLPri does not match the certificate.");
    TOO_LONG = ("InvalidCertificate.TooLong", 400, "The maximum length of the certificate is exceeded.");
    CERT_NAME_TOO_LONG = ("InvalidCertName.TooLong", 400, "The length of the certificate name cannot exceed 128 characters.");
    AUTHENTICATION_FAILED = ("AuthenticationFailed", 400, "Error performing verification.");
    PARAMETER_ERROR = ("SetDomainCertificate.ParameterError", 400, "The specified parameters are invalid.");
    STATUS_ERROR = ("Certificate.StatusError", 400, "The status of the certificate is invalid.");
    DELETE_FAILED = ("DeleteFailed", 400, "Error deleting the certificate.");
    NOT_FIND = ("Certificate.NotFind", 400, "The certificate does not exist.");
    DUPLICATED = ("Certificate.Duplicated", 400, "The certificate name already exists.");
    FORMAT_ERROR = ("Certificate.FormatError", 400, "The format of the certificate is invalid.");
    KEY_NULL = ("Certificate.KeyNull", 400, "The private key is required.");
    KEY_MALFORMED = ("Key.Malformed", 400, "The specified Key format is invalid.");
    STORAGE_FAILED = ("CertStorage.failed", 400, "Error saving the certificate.");
    CONTENT_DUPLICATED = ("CertificateContent.Duplicated", 400, "The certificate has been uploaded; do not upload again.");
    EXPIRED = ("Certificate.Expired", 400, "The certificate has expired.");
    DOMAIN_NOT_ONLINE = ("InvalidDomain.notOnline", 400, "The domain is offline. Check the status of the domain and try again later.");
    DECODE_ERROR = ("Decode.Error", 400, "Error decoding the SSLPub or SSLPri certificate.");
    SSL_PUB_ERROR = ("sslPub.Error", 400, "Error encoding SSLPub.");
    SSL_PRI_ERROR = ("sslPri.Error", 400, "Error encoding SSLPri.");
    DOMAIN_IN_SAFE_MODE = ("DomainInSafeMode", 400, "The domain is in safe mode…");
    CREATE_CERTIFICATE_FAILED = ("CreateCertificateFailed", 400, "Create certificate failed,please try again.");
    CERT_REGION_VALUE = ("Abs.CertRegion.ValueNotSupported", 400, "CertRegion is not supported.");
    CERT_NAME_EXISTS = ("CertNameAlreadyExists", 400, "The CertName already exists.");
    INVALID_DOMAIN_OFFLINE = ("InvalidDomain.Offline", 400, "The domain provided is offline.");
    INVALID_ENV = ("InvalidEnv", 400, "The specified Env is invalid.");
    DOMAIN_IN_PROTECTED_MODE = ("DomainInProtectedMode", 403, "The domain is in protection mode…");
    CERT_NAME_MISSING = ("CertName.MissingParameter", 404, "You must specify CertName.");
}

/// CDN `SetCdnDomainSSLCertificate` (its API reference's error table).
pub static CDN_SSL: Profile = Profile {
    name: "cdn-ssl",
    action: "SetCdnDomainSSLCertificate",
    version: "2018-05-10",
    product: Product::Cdn,
    params: &[
        ("DomainName", Role::Domain),
        ("SSLProtocol", Role::Switch),
        ("SSLPub", Role::Certificate),
        ("SSLPri", Role::PrivateKey),
        ("CertName", Role::CertName),
        ("CertType", Role::CertType),
        ("CertId", Role::CertId),
        ("CertRegion", Role::CertRegion),
        ("Env", Role::Env),
    ],
    catalog: TABLE,
    codes: Codes {
        required: &[(Role::Domain, &gateway::MISSING_DOMAIN_NAME_CDN)],
        domain: Some(DomainCodes {
            // The table has no code for a domain that is not yours: the verification of the
            // account against the domain is what fails.
            domain_not_found: &AUTHENTICATION_FAILED,
            domain_forbidden: &AUTHENTICATION_FAILED,
            domain_offline: &INVALID_DOMAIN_OFFLINE,
            // "offline, try again later" is what a domain being configured is.
            domain_configuring: &DOMAIN_NOT_ONLINE,
            domain_suspended: &AUTHENTICATION_FAILED,
            domain_safe_mode: &DOMAIN_IN_SAFE_MODE,
            domain_protected_mode: &DOMAIN_IN_PROTECTED_MODE,
            domain_function_mutex: &AUTHENTICATION_FAILED,
            authentication_failed: &AUTHENTICATION_FAILED,
            switch_value: &INVALID_SSL_PROTOCOL_VALUE,
            not_permitted_off: None,
            delete_failed: &DELETE_FAILED,
            not_effective: None,
        }),
        parameter_error: &PARAMETER_ERROR,
        cert_region: Some(&CERT_REGION_VALUE),
        env: Some(&INVALID_ENV),
        cert_name_too_long: Some(&CERT_NAME_TOO_LONG),
        cert_name_missing: Some(&CERT_NAME_MISSING),
        cas: Some(CasCodes {
            not_found: &NOT_FIND,
            not_usable: &STATUS_ERROR,
            expired: &EXPIRED,
        }),
        certificate_missing: &SSL_PUB_MISSING,
        private_key_missing: &SSL_PRI_MISSING,
        private_key_blank: &KEY_NULL,
        too_long: &TOO_LONG,
        certificate_not_text: &SSL_PUB_ERROR,
        private_key_not_text: &SSL_PRI_ERROR,
        certificate_pem: &INVALID_SSL_PUB,
        certificate_and_key_pem: None,
        certificate_base64: &DECODE_ERROR,
        private_key_base64: &DECODE_ERROR,
        certificate_der: &FORMAT_ERROR,
        private_key_pem: &INVALID_SSL_PRI,
        private_key_malformed: &KEY_MALFORMED,
        private_key_encrypted: None,
        mismatch: &MISS_MATCH,
        leaf_not_first: &MISS_MATCH,
        expired: Some(&EXPIRED),
        name_duplicated: Some(&DUPLICATED),
        name_taken_in_cas: Some(&CERT_NAME_EXISTS),
        content_duplicated: Some(&CONTENT_DUPLICATED),
        storage_failed: Some(&STORAGE_FAILED),
        store_error: Some(&CREATE_CERTIFICATE_FAILED),
        elsewhere: &[],
    },
    rules: Rules {
        cert_types: &["upload", "cas"],
        // certd hit "You must specify CertName" (certd/certd#372); acme.sh uploads without
        // one and the service names the certificate; certimate sets CertType=cas with a CertId
        // and no CertName (since 2025-09, no failure reported): the name is required with
        // cas only when no CertId names the certificate.
        cert_name_required: NameRequired::WithCasWithoutId,
        cas_by: CasBy::Id,
        cert_regions: &["cn-hangzhou", "ap-southeast-1"],
        envs: &["staging"],
        cert_name_max_chars: crate::limits::CERT_NAME_MAX_CHARS,
        ..Rules::new()
    },
};
