//! The SSL Certificates Service (CAS 2020-04-07) `UploadUserCertificate`: a certificate and its
//! key uploaded once, under a `Name` unique in the account, and used by the other products by
//! its `CertId` (`CertType=cas`).
//!
//! The service publishes no error table for this API (its reference sends readers to the error
//! center), so each entry says how it is known. Observed: the answer to an unknown `CertId`
//! (`NotFound`, on `DeleteUserCertificate`), an unknown action, and two messages whose codes
//! were never shown — a name already used (`名称重复，请重新输入。`, netcccyun/dnsmgr#165 and
//! #234) and a malformed certificate (`证书格式异常，请检查输入内容。`, aliyun/aliyun-cli#1232).
//! Those two keep the observed message under a code of this project's (`Preflight.…`). A
//! missing `Name` gets the gateway's `MissingName`, by the pattern it follows for every
//! product. Inferred, with codes of this project's: a key that does not match, an encrypted
//! key, a key that is not one, a name longer than the documented 64 characters. Not refused,
//! for no source shows a refusal: an expired certificate (a warning says so), the same content
//! uploaded twice, a length limit (beyond the safety limits every check has).

use super::{CasBy, Codes, NameRequired, Profile, Role, Rules};
use crate::catalog::{Evidence, table};
use crate::status::Product;

/// Why an entry with a code of this project's is inferred.
const OURS: &str = "no public source shows the certificate service's answer to this case; the \
                    code and message are cert-preflight's";

table! {
    evidence = Evidence::Inferred(OURS);
    MISSING_NAME = ("MissingName", 400, "Name is mandatory for this action.") @ Evidence::Inferred(
        "the API gateway's answer to a missing required parameter (documented for CDN as \
         MissingDomainName, observed on this service as MissingStatus); Name is required by the \
         API's metadata, and the exact answer has not been seen");
    NAME_DUPLICATED = ("Preflight.NameDuplicated", 400, "名称重复，请重新输入。") @ Evidence::Inferred(
        "the message is observed (netcccyun/dnsmgr#165, #234: \"上传证书失败：名称重复，请重新输入。\"); \
         the code and HTTP status were never shown, the code is cert-preflight's");
    CERTIFICATE_FORMAT = ("Preflight.CertificateFormat", 400, "证书格式异常，请检查输入内容。") @ Evidence::Inferred(
        "the message is observed (aliyun/aliyun-cli#1232, a PEM the command line had mangled); \
         the code and HTTP status were never shown, the code is cert-preflight's");
    PRIVATE_KEY_INVALID = ("Preflight.PrivateKeyInvalid", 400, "The private key is not a valid PEM private key.");
    PRIVATE_KEY_ENCRYPTED = ("Preflight.PrivateKeyEncrypted", 400, "The private key is encrypted; upload it without a password.");
    KEY_MISMATCH = ("Preflight.CertificateKeyMismatch", 400, "The private key does not match the certificate.");
    NAME_TOO_LONG = ("Preflight.NameTooLong", 400, "The Name is longer than 64 characters.");
    PARAMETER_INVALID = ("Preflight.InvalidParameter", 400, "A parameter has a value the API cannot take.");
    MISSING_CERT_ID = ("MissingCertId", 400, "CertId is mandatory for this action.") @ Evidence::Inferred(
        "the API gateway's answer to a missing required parameter, as MissingName; CertId is \
         required by GetUserCertificateDetail and DeleteUserCertificate");
    NOT_FOUND = ("NotFound", 400, "没有找到必要内容，请检查参数输入。") @ Evidence::Observed(
        "DeleteUserCertificate with an unknown CertId: a failure body pasted in a public acme.sh \
         hook script (HTTP status not shown; 400 assumed). GetUserCertificateDetail answers the \
         same by inference (certimate and Terraform treat a NotFound code as gone)");
    INVALID_ACTION = ("InvalidAction.NotFound", 404, "Specified api is not found, please check your url and method.") @ Evidence::Observed(
        "a public PHP helper of the certificate service quotes this answer; the status is the \
         gateway's for every product");
}

/// CAS `UploadUserCertificate` (2020-04-07).
pub static CAS: Profile = Profile {
    name: "cas",
    action: "UploadUserCertificate",
    version: "2020-04-07",
    product: Product::Cas,
    params: &[
        ("Name", Role::CertName),
        ("Cert", Role::Certificate),
        ("Key", Role::PrivateKey),
    ],
    catalog: TABLE,
    codes: CODES,
    rules: RULES,
};

const CODES: Codes = {
    let mut codes = Codes::new(
        &PARAMETER_INVALID,
        &CERTIFICATE_FORMAT,
        &PRIVATE_KEY_INVALID,
        &KEY_MISMATCH,
    );
    codes.required = &[(Role::CertName, &MISSING_NAME)];
    codes.cert_name_too_long = Some(&NAME_TOO_LONG);
    codes.private_key_encrypted = Some(&PRIVATE_KEY_ENCRYPTED);
    codes.name_duplicated = Some(&NAME_DUPLICATED);
    codes.elsewhere = &[&MISSING_CERT_ID, &NOT_FOUND, &INVALID_ACTION];
    codes
};

const RULES: Rules = {
    let mut rules = Rules::new();
    // The API reference and its metadata say at most 64 characters (the SDK's comment 63; an
    // older page 128). Tools use letters, digits, '.', '_' and '-'; no refusal of other
    // characters has been seen.
    rules.cert_name_max_chars = 64;
    rules.cert_name_required = NameRequired::Never;
    rules.cas_by = CasBy::Id;
    rules
};
