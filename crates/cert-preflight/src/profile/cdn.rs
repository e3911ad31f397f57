//! CDN `SetDomainServerCertificate` (Cdn 2018-05-10; deprecated, the current SDK no longer has
//! it): the error table of its API reference (Chinese edition, section 错误码), byte for byte;
//! the repository's `docs/reference/cdn.md` gives it with its sources.

use super::{CasBy, CasCodes, Codes, DomainCodes, NameRequired, Profile, Role, Rules, gateway};
use crate::catalog::Evidence;
use crate::catalog::table;
use crate::status::Product;

table! {
    evidence = Evidence::Documented("Alibaba Cloud CDN API reference, SetDomainServerCertificate (Chinese edition), 错误码");
    INVALID_DOMAIN_NOT_FOUND = ("InvalidDomain.NotFound", 404, "The domain provided does not belong to you.");
    ILLEGAL_OPERATION = ("IllegalOperation", 403, "Illegal domain operate is not permitted.");
    SERVICE_BUSY = ("ServiceBusy", 403, "The specified Domain is configuring, please retry later.");
    INVALID_DOMAIN_OFFLINE = ("InvalidDomain.Offline", 400, "The domain provided is offline.");
    OPERATION_DENIED = ("OperationDenied", 403, "Your CDN service is suspended.");
    INVALID_STATUS_VALUE = ("InvalidServerCertificateStatus.ValueNotSupported", 400, "The specified value of parameter Enable is not supported.");
    CERTIFICATE_MISSING = ("ServerCertificate.MissingParameter", 400, "An input parameter ServerCertificate that is mandatory for processing the request is not supplied.");
    PRIVATE_KEY_MISSING = ("PrivateKey.MissingParameter", 400, "An input parameter PrivateKey that is mandatory for processing the request is not supplied.");
    INVALID_CERTIFICATE = ("InvalidCertificate", 400, "The Certificate you provided is malformed!");
    INVALID_PRIVATE_KEY = ("InvalidPrivateKey", 400, "The Private Key you provided is malformed!");
    MISS_MATCH = ("Certificate.MissMatch", 400, "The Private Key does not math the specified Certificate!");
    TOO_LONG = ("InvalidCertificate.TooLong", 400, "The Certificate you provided is over the max length!");
    CERT_NAME_TOO_LONG = ("InvalidCertName.TooLong", 400, "The Certificate name you provided is over the max length 128!");
    PARAMETER_ERROR = ("SetDomainServerCertificate.ParameterError", 400, "Parameters have error.");
    STATUS_ERROR_NOT_EXIST = ("Certificate.StatusError", 400, "Certificate is not exist or its status is error.");
    DELETE_FAILED = ("DeleteFailed", 400, "Delete certificate is failed.");
    NOT_FIND = ("Certificate.NotFind", 400, "Not find the certificate info.");
    DUPLICATED = ("Certificate.Duplicated", 400, "The certificate name is duplicated.");
    FORMAT_ERROR = ("Certificate.FormatError", 400, "The certificate format is error.");
    STATUS_ERROR = ("Certificate.StatusError", 400, "The certificate status is error.");
    KEY_NULL = ("Certificate.KeyNull", 400, "The private key is not null.");
    KEY_MALFORMED = ("Key.Malformed", 400, "The private key format is error.");
    NOT_PERMITTED_OFF = ("Certificate.NotPermittedOff", 400, "Turn off certificate will change domain scheduling, please contact customer service.");
    SETTED_NOT_EFFECT = ("Certificate.SettedNotEffect", 400, "Certificate was successfully setted but does't take effect for protecting current service, please contact customer service.");
}

/// CDN `SetDomainServerCertificate` (its API reference's error table).
pub static CDN: Profile = Profile {
    name: "cdn",
    action: "SetDomainServerCertificate",
    version: "2018-05-10",
    product: Product::Cdn,
    params: &[
        ("DomainName", Role::Domain),
        ("ServerCertificateStatus", Role::Switch),
        ("ServerCertificate", Role::Certificate),
        ("PrivateKey", Role::PrivateKey),
        ("CertName", Role::CertName),
        ("CertType", Role::CertType),
        ("ForceSet", Role::ForceSet),
    ],
    catalog: TABLE,
    codes: Codes {
        required: &[(Role::Domain, &gateway::MISSING_DOMAIN_NAME_CDN)],
        domain: Some(DomainCodes {
            domain_not_found: &INVALID_DOMAIN_NOT_FOUND,
            domain_forbidden: &ILLEGAL_OPERATION,
            domain_offline: &INVALID_DOMAIN_OFFLINE,
            domain_configuring: &SERVICE_BUSY,
            domain_suspended: &OPERATION_DENIED,
            // Not in the cdn table: the nearest is "no permission for this operation".
            domain_safe_mode: &ILLEGAL_OPERATION,
            domain_protected_mode: &ILLEGAL_OPERATION,
            domain_function_mutex: &ILLEGAL_OPERATION,
            authentication_failed: &ILLEGAL_OPERATION,
            switch_value: &INVALID_STATUS_VALUE,
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
            not_usable: &STATUS_ERROR_NOT_EXIST,
            expired: &STATUS_ERROR,
        }),
        certificate_missing: &CERTIFICATE_MISSING,
        private_key_missing: &PRIVATE_KEY_MISSING,
        private_key_blank: &KEY_NULL,
        too_long: &TOO_LONG,
        certificate_not_text: &INVALID_CERTIFICATE,
        private_key_not_text: &INVALID_PRIVATE_KEY,
        certificate_pem: &INVALID_CERTIFICATE,
        certificate_and_key_pem: None,
        certificate_base64: &INVALID_CERTIFICATE,
        private_key_base64: &INVALID_PRIVATE_KEY,
        certificate_der: &FORMAT_ERROR,
        private_key_pem: &INVALID_PRIVATE_KEY,
        private_key_malformed: &KEY_MALFORMED,
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
        cert_types: &["upload", "cas", "free"],
        cert_name_required: NameRequired::Never,
        cas_by: CasBy::Name,
        cert_regions: &[],
        envs: &[],
        cert_name_max_chars: crate::limits::CERT_NAME_MAX_CHARS,
        ..Rules::new()
    },
};
