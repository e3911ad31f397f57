//! The error catalog: every row of the two published error tables, byte for byte.
//!
//! The rows are data, one table per API, in the order the seed documents list them
//! (`testdata/seed_catalog.tsv` is extracted from the seeds by `testdata/extract_catalog.py`, and
//! a test compares the two). Typos are the service's and are kept: "does't", "math",
//! "is not null". Two codes appear twice with different messages (`Certificate.StatusError` in
//! both tables, `Certificate.MissMatch` in the live table); each message is its own entry.

use core::fmt;

/// One row of a published error table: the code, the message and the HTTP status the service
/// answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CatalogEntry {
    code: &'static str,
    message: &'static str,
    http_status: u16,
}

impl CatalogEntry {
    /// The error code, e.g. `InvalidCertificate`.
    pub const fn code(&self) -> &'static str {
        self.code
    }

    /// The error message, exactly as published.
    pub const fn message(&self) -> &'static str {
        self.message
    }

    /// The HTTP status of the error response.
    pub const fn http_status(&self) -> u16 {
        self.http_status
    }
}

impl fmt::Display for CatalogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.http_status, self.message)
    }
}

macro_rules! catalog {
    ($($table:ident { $($name:ident = ($code:literal, $status:literal, $message:literal);)* })*) => {
        $(
            #[allow(dead_code)]
            pub(crate) mod $table {
                use super::CatalogEntry;
                $(
                    pub(crate) const $name: CatalogEntry = CatalogEntry {
                        code: $code,
                        message: $message,
                        http_status: $status,
                    };
                )*
                /// The whole table, in the seed's order.
                pub(crate) const TABLE: &[CatalogEntry] = &[$($name),*];
            }
        )*
    };
}

catalog! {
    // CDN SetDomainServerCertificate, seed 000_4eed8e43d92823cb.txt, section 错误码.
    cdn {
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
    // ApsaraVideo Live SetLiveDomainCertificate, seed 004_a6b01ed1c165bf09.txt, "Error codes".
    live {
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
}
