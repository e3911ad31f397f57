//! ApsaraVideo Live `SetLiveDomainCertificate` (live 2016-11-01): the "Error codes" table of
//! its API reference, byte for byte; the repository's `docs/reference/live.md` gives it with
//! its sources.

use super::{CasBy, CasCodes, Codes, DomainCodes, NameRequired, Profile, Role, Rules, gateway};
use crate::catalog::Evidence;
use crate::catalog::table;
use crate::status::Product;

table! {
    evidence = Evidence::Documented("ApsaraVideo Live API reference, SetLiveDomainCertificate, error codes");
    INVALID_SSL_PROTOCOL_VALUE = ("InvalidSSLProtocol.ValueNotSupported", 400, "The specified value of parameter SSLProtocol is not supported.");
    SSL_PUB_MISSING = ("SSLPub.MissingParameter", 400, "An input parameter \"SSLPub\" that is mandatory for processing the request is not supplied.");
    SSL_PRI_MISSING = ("SSLPri.MissingParameter", 400, "An input parameter \"SSLPri\" that is mandatory for processing the request is not supplied.");
    INVALID_SSL_PUB = ("InvalidSSLPub", 400, "The SSLPub you provided is malformed!");
    INVALID_SSL_PRI = ("InvalidSSLPri", 400, "The SSLPri you provided is malformed!");
    MISS_MATCH = ("Certificate.MissMatch", 400, "The SSLPri does not math the specified Certificate!");
    TOO_LONG = ("InvalidCertificate.TooLong", 400, "The Certificate you provided is over the max length!");
    CERT_NAME_TOO_LONG = ("InvalidCertName.TooLong", 400, "The Certificate name you provided is over the max length 128!");
    ILLEGAL_OPERATION_DOMAIN = ("IllegalOperationDomain", 400, "You are not authorized to operate the domain.");
    NOT_PERMITTED_OFF = ("Certificate.NotPermittedOff", 400, "Turn off certificate will change domain scheduling, please contact customer service");
    SETTED_NOT_EFFECT = ("Certificate.SettedNotEffect", 400, "Certificate was successfully setted but does't take effect for protecting current service, please contact customer service");
    NOT_FIND = ("Certificate.NotFind", 400, "Not find the certificate info.");
    AUTHENTICATION_FAILED = ("AuthenticationFailed", 400, "Authentication failed.");
    PARAMETER_ERROR = ("SetDomainCertificate.ParameterError", 400, "Parameters have error.");
    INVALID_SSL_PUB_OR_PRI = ("InvalidSSLPubOrInvalidSSLPri", 400, "The SSLPri or SSLPub you provided is malformed!");
    MISS_MATCH_ORDER = ("Certificate.MissMatch", 400, "The certificate is not match the private key.");
    STATUS_ERROR_NOT_EXIST = ("Certificate.StatusError", 400, "Certificate is not exist or its status is error.");
    DELETE_FAILED = ("DeleteFailed", 400, "Delete certificate is failed.");
    DUPLICATED = ("Certificate.Duplicated", 400, "The certificate name is duplicated.");
    FORMAT_ERROR = ("Certificate.FormatError", 400, "The certificate format is error.");
    STATUS_ERROR = ("Certificate.StatusError", 400, "The certificate status is error.");
    KEY_NULL = ("Certificate.KeyNull", 400, "The private key is not null.");
    KEY_MALFORMED = ("Key.Malformed", 400, "The private key format is error.");
    STORAGE_FAILED = ("CertStorage.failed", 400, "The certificate storage failed.");
    CONTENT_DUPLICATED = ("CertificateContent.Duplicated", 400, "The certificate is already uploaded, please don't upload again.");
    EXPIRED = ("Certificate.Expired", 400, "The certificate is expired.");
    DOMAIN_NOT_ONLINE = ("InvalidDomain.notOnline", 400, "The domain is not online, please check the domain status and try again later.");
    DECODE_ERROR = ("Decode.Error", 400, "The certificate sslpub or sslpri decode error.");
    SSL_PUB_ERROR = ("sslPub.Error", 400, "The SSLPub encoded failed.");
    SSL_PRI_ERROR = ("sslPri.Error", 400, "The SSLPri encoded failed.");
    DOMAIN_IN_SAFE_MODE = ("DomainInSafeMode", 400, "This domain is in the safe mode. if you want to do this operation, please contact us!");
    DOMAIN_IN_PROTECTED_MODE = ("DomainInProtectedMode", 400, "This domain is in the protected mode. if you want to do this operation, please contact us!");
    FUNCTION_MUTEX = ("FunctionMutex", 400, "Function is mutex with other function.");
    ILLEGAL_OPERATION = ("IllegalOperation", 403, "Illegal domain operate is not permitted.");
    CERT_NAME_MISSING = ("CertName.MissingParameter", 404, "The CertName parameter is required.");
}

/// ApsaraVideo Live `SetLiveDomainCertificate` (its API reference's error table).
pub static LIVE: Profile = Profile {
    name: "live",
    action: "SetLiveDomainCertificate",
    version: "2016-11-01",
    product: Product::Live,
    params: &[
        ("DomainName", Role::Domain),
        ("SSLProtocol", Role::Switch),
        ("SSLPub", Role::Certificate),
        ("SSLPri", Role::PrivateKey),
        ("CertName", Role::CertName),
        ("CertType", Role::CertType),
        ("ForceSet", Role::ForceSet),
    ],
    catalog: TABLE,
    codes: Codes {
        required: &[(Role::Domain, &gateway::MISSING_DOMAIN_NAME)],
        domain: Some(DomainCodes {
            domain_not_found: &ILLEGAL_OPERATION_DOMAIN,
            domain_forbidden: &ILLEGAL_OPERATION,
            domain_offline: &DOMAIN_NOT_ONLINE,
            // Not in the live table: "not online, try again later" is what a configuring
            // domain is; a suspended account may not operate ("Illegal domain operate").
            domain_configuring: &DOMAIN_NOT_ONLINE,
            domain_suspended: &ILLEGAL_OPERATION,
            domain_safe_mode: &DOMAIN_IN_SAFE_MODE,
            domain_protected_mode: &DOMAIN_IN_PROTECTED_MODE,
            domain_function_mutex: &FUNCTION_MUTEX,
            authentication_failed: &AUTHENTICATION_FAILED,
            switch_value: &INVALID_SSL_PROTOCOL_VALUE,
            not_permitted_off: Some(&NOT_PERMITTED_OFF),
            delete_failed: &DELETE_FAILED,
            not_effective: Some(&SETTED_NOT_EFFECT),
        }),
        parameter_error: &PARAMETER_ERROR,
        cert_region: None,
        env: None,
        cert_name_too_long: Some(&CERT_NAME_TOO_LONG),
        cert_name_missing: Some(&CERT_NAME_MISSING),
        cas: Some(CasCodes {
            not_found: &NOT_FIND,
            not_usable: &STATUS_ERROR_NOT_EXIST,
            expired: &STATUS_ERROR,
        }),
        certificate_missing: &SSL_PUB_MISSING,
        private_key_missing: &SSL_PRI_MISSING,
        private_key_blank: &KEY_NULL,
        too_long: &TOO_LONG,
        certificate_not_text: &SSL_PUB_ERROR,
        private_key_not_text: &SSL_PRI_ERROR,
        certificate_pem: &INVALID_SSL_PUB,
        certificate_and_key_pem: Some(&INVALID_SSL_PUB_OR_PRI),
        certificate_base64: &DECODE_ERROR,
        private_key_base64: &DECODE_ERROR,
        certificate_der: &FORMAT_ERROR,
        private_key_pem: &INVALID_SSL_PRI,
        private_key_malformed: &KEY_MALFORMED,
        private_key_encrypted: None,
        mismatch: &MISS_MATCH,
        leaf_not_first: &MISS_MATCH_ORDER,
        expired: Some(&EXPIRED),
        name_duplicated: Some(&DUPLICATED),
        name_taken_in_cas: None,
        content_duplicated: Some(&CONTENT_DUPLICATED),
        storage_failed: Some(&STORAGE_FAILED),
        store_error: Some(&STORAGE_FAILED),
        elsewhere: &[],
    },
    rules: Rules {
        cert_types: &["upload", "cas", "free"],
        cert_name_required: NameRequired::WhenOn,
        cas_by: CasBy::Name,
        cert_regions: &[],
        envs: &[],
        cert_name_max_chars: crate::limits::CERT_NAME_MAX_CHARS,
        ..Rules::new()
    },
};
