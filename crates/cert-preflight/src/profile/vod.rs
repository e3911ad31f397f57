//! ApsaraVideo VOD `SetVodDomainSSLCertificate` (vod 2017-03-21): the error table of the VOD
//! API reference `SetVodDomainCertificate` (2021-02; parameters from the OpenAPI metadata
//! `en-US/vod/SetVodDomainSSLCertificate.json`), given with its sources in the repository's
//! `docs/reference/vod.md`. Rows the reference gives "as above" carry the texts of CDN's
//! `SetCdnDomainSSLCertificate` table; a `…` is the reference's own abbreviation, kept as given.

use super::{CasBy, CasCodes, Codes, DomainCodes, NameRequired, Profile, Role, Rules, gateway};
use crate::catalog::Evidence;
use crate::catalog::table;
use crate::status::Product;

table! {
    evidence = Evidence::Documented("ApsaraVideo VOD API reference, SetVodDomainCertificate (2021-02), error codes");
    INVALID_DOMAIN_NOT_FOUND = ("InvalidDomain.NotFound", 404, "The domain provided does not belong to you.");
    ILLEGAL_OPERATION = ("IllegalOperation", 403, "Illegal domain operate…");
    SERVICE_BUSY = ("ServiceBusy", 403, "The specified Domain is configuring, please retry later.");
    OPERATION_DENIED = ("OperationDenied", 403, "Your CDN service is suspended.");
    INVALID_DOMAIN_OFFLINE = ("InvalidDomain.Offline", 400, "The domain provided is offline.");
    INVALID_SSL_PROTOCOL_VALUE = ("InvalidSSLProtocol.ValueNotSupported", 400, "The specified value of parameter Enable is not supported.");
    SSL_PUB_MISSING = ("SSLPub.MissingParameter", 400, "An input parameter SSLPub that is mandatory for processing the request is not supplied.");
    SSL_PRI_MISSING = ("SSLPri.MissingParameter", 400, "An input parameter SSLPri that is mandatory for processing the request is not supplied.");
    INVALID_CERTIFICATE = ("InvalidCertificate", 400, "The Certificate you provided is malformed!");
    INVALID_SSL_PRI = ("InvalidSSLPri", 400, "The SSLPri you provided is malformed!");
    MISS_MATCH = ("Certificate.MissMatch", 400, "The SSLPri does not math the specified Certificate!");
    TOO_LONG = ("InvalidCertificate.TooLong", 400, "The Certificate you provided is over the max length!");
    CERT_NAME_TOO_LONG = ("InvalidCertName.TooLong", 400, "The Certificate name you provided is over the max length 128!");
    PARAMETER_ERROR = ("SetDomainSSLPub.ParameterError", 400, "Parameters have error.");
    STATUS_ERROR = ("Certificate.StatusError", 400, "The status of the certificate is invalid.");
    DELETE_FAILED = ("DeleteFailed", 400, "Error deleting the certificate.");
    NOT_FIND = ("Certificate.NotFind", 400, "The certificate does not exist.");
    DUPLICATED = ("Certificate.Duplicated", 400, "The certificate name already exists.");
    FORMAT_ERROR = ("Certificate.FormatError", 400, "The format of the certificate is invalid.");
    KEY_NULL = ("Certificate.KeyNull", 400, "The SSLPri is not null.");
    SSL_PRI_MALFORMED = ("SSLPri.Malformed", 400, "The SSLPri format is error.");
    NOT_PERMITTED_OFF = ("Certificate.NotPermittedOff", 400, "Turn off certificate will change domain scheduling…");
    SETTED_NOT_EFFECT = ("Certificate.SettedNotEffect", 400, "…successfully setted but does't take effect…");
}

/// ApsaraVideo VOD `SetVodDomainSSLCertificate` (its API reference's error table).
pub static VOD: Profile = Profile {
    name: "vod",
    action: "SetVodDomainSSLCertificate",
    version: "2017-03-21",
    product: Product::Vod,
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
        required: &[(Role::Domain, &gateway::MISSING_DOMAIN_NAME)],
        domain: Some(DomainCodes {
            domain_not_found: &INVALID_DOMAIN_NOT_FOUND,
            domain_forbidden: &ILLEGAL_OPERATION,
            domain_offline: &INVALID_DOMAIN_OFFLINE,
            domain_configuring: &SERVICE_BUSY,
            domain_suspended: &OPERATION_DENIED,
            // Not in the vod table: the nearest is "no permission for this operation" (as cdn).
            domain_safe_mode: &ILLEGAL_OPERATION,
            domain_protected_mode: &ILLEGAL_OPERATION,
            domain_function_mutex: &ILLEGAL_OPERATION,
            authentication_failed: &ILLEGAL_OPERATION,
            switch_value: &INVALID_SSL_PROTOCOL_VALUE,
            not_permitted_off: Some(&NOT_PERMITTED_OFF),
            delete_failed: &DELETE_FAILED,
            not_effective: Some(&SETTED_NOT_EFFECT),
        }),
        parameter_error: &PARAMETER_ERROR,
        cert_region: None,
        env: None,
        cert_name_too_long: Some(&CERT_NAME_TOO_LONG),
        cert_name_missing: None,
        cas: Some(CasCodes {
            not_found: &NOT_FIND,
            not_usable: &STATUS_ERROR,
            expired: &STATUS_ERROR,
        }),
        certificate_missing: &SSL_PUB_MISSING,
        private_key_missing: &SSL_PRI_MISSING,
        private_key_blank: &KEY_NULL,
        too_long: &TOO_LONG,
        certificate_not_text: &INVALID_CERTIFICATE,
        private_key_not_text: &INVALID_SSL_PRI,
        certificate_pem: &INVALID_CERTIFICATE,
        certificate_and_key_pem: None,
        certificate_base64: &INVALID_CERTIFICATE,
        private_key_base64: &INVALID_SSL_PRI,
        certificate_der: &FORMAT_ERROR,
        private_key_pem: &INVALID_SSL_PRI,
        private_key_malformed: &SSL_PRI_MALFORMED,
        private_key_encrypted: None,
        mismatch: &MISS_MATCH,
        leaf_not_first: &MISS_MATCH,
        expired: Some(&STATUS_ERROR),
        name_duplicated: Some(&DUPLICATED),
        name_taken_in_cas: None,
        content_duplicated: None,
        storage_failed: None,
        store_error: None,
        elsewhere: &[],
    },
    rules: Rules {
        cert_types: &["upload", "cas"],
        cert_name_required: NameRequired::Never,
        cas_by: CasBy::Id,
        cert_regions: &["cn-hangzhou", "ap-southeast-1"],
        envs: &["staging"],
        cert_name_max_chars: crate::limits::CERT_NAME_MAX_CHARS,
        ..Rules::new()
    },
};
