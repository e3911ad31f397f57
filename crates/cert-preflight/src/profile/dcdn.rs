//! DCDN `SetDcdnDomainSSLCertificate` (dcdn 2018-01-15): the error table of the DCDN API
//! reference `SetDcdnDomainCertificate` (parameters from the OpenAPI metadata
//! `en-US/dcdn/SetDcdnDomainSSLCertificate.json`), given with its sources in the repository's
//! `docs/reference/dcdn.md`. acme.sh's `ali_dcdn` hook and certd upload through it. The rows
//! the reference gives as the same texts as CDN's `SetCdnDomainSSLCertificate` carry those
//! texts; its `Certificate.StatusError (x2)` has one text there, so it is one entry.

use super::{CasBy, CasCodes, Codes, DomainCodes, NameRequired, Profile, Role, Rules, gateway};
use crate::catalog::Evidence;
use crate::catalog::table;
use crate::status::Product;

table! {
    evidence = Evidence::Documented("DCDN API reference, SetDcdnDomainCertificate and SetDcdnDomainSSLCertificate, error codes");
    INVALID_SSL_PROTOCOL_VALUE = ("InvalidSSLProtocol.ValueNotSupported", 400, "The specified SSLProtocol is invalid.");
    SSL_PUB_MISSING = ("SSLPub.MissingParameter", 400, "The SSLPub parameter is required.");
    SSL_PRI_MISSING = ("SSLPri.MissingParameter", 400, "The SSLPri parameter is required.");
    INVALID_SSL_PUB = ("InvalidSSLPub", 400, "The specified SSLPub is invalid.");
    INVALID_SSL_PRI = ("InvalidSSLPri", 400, "The specified SSLPri is invalid.");
    MISS_MATCH = ("Certificate.MissMatch", 400, "The SSLPri does not match the certificate.");
    TOO_LONG = ("InvalidCertificate.TooLong", 400, "The maximum length of the certificate is exceeded.");
    CERT_NAME_TOO_LONG = ("InvalidCertName.TooLong", 400, "The length of the certificate name cannot exceed 128 characters.");
    ILLEGAL_OPERATION_DOMAIN = ("IllegalOperationDomain", 400, "You are not authorized to operate the domain.");
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
    DOMAIN_IN_PROTECTED_MODE = ("DomainInProtectedMode", 403, "The domain is in protection mode…");
}

/// DCDN `SetDcdnDomainSSLCertificate` (its API reference's error table).
pub static DCDN: Profile = Profile {
    name: "dcdn",
    action: "SetDcdnDomainSSLCertificate",
    version: "2018-01-15",
    product: Product::Dcdn,
    params: &[
        ("DomainName", Role::Domain),
        ("SSLProtocol", Role::Switch),
        ("SSLPub", Role::Certificate),
        ("SSLPri", Role::PrivateKey),
        ("CertName", Role::CertName),
        ("CertType", Role::CertType),
        ("CertId", Role::CertId),
        ("CertRegion", Role::CertRegion),
    ],
    catalog: TABLE,
    codes: Codes {
        required: &[(Role::Domain, &gateway::MISSING_DOMAIN_NAME)],
        domain: Some(DomainCodes {
            domain_not_found: &ILLEGAL_OPERATION_DOMAIN,
            domain_forbidden: &ILLEGAL_OPERATION_DOMAIN,
            domain_offline: &DOMAIN_NOT_ONLINE,
            domain_configuring: &DOMAIN_NOT_ONLINE,
            domain_suspended: &ILLEGAL_OPERATION_DOMAIN,
            domain_safe_mode: &DOMAIN_IN_SAFE_MODE,
            domain_protected_mode: &DOMAIN_IN_PROTECTED_MODE,
            domain_function_mutex: &ILLEGAL_OPERATION_DOMAIN,
            authentication_failed: &AUTHENTICATION_FAILED,
            switch_value: &INVALID_SSL_PROTOCOL_VALUE,
            not_permitted_off: None,
            delete_failed: &DELETE_FAILED,
            not_effective: None,
        }),
        parameter_error: &PARAMETER_ERROR,
        cert_region: None,
        env: None,
        cert_name_too_long: Some(&CERT_NAME_TOO_LONG),
        cert_name_missing: None,
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
        name_taken_in_cas: None,
        content_duplicated: Some(&CONTENT_DUPLICATED),
        storage_failed: Some(&STORAGE_FAILED),
        store_error: Some(&STORAGE_FAILED),
        elsewhere: &[],
    },
    rules: Rules {
        cert_types: &["upload", "cas"],
        cert_name_required: NameRequired::Never,
        cas_by: CasBy::Id,
        cert_regions: &["cn-hangzhou", "ap-southeast-1"],
        envs: &[],
        cert_name_max_chars: crate::limits::CERT_NAME_MAX_CHARS,
        ..Rules::new()
    },
};
