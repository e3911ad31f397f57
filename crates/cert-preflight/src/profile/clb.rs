//! Classic Load Balancer (SLB 2014-05-15) `UploadServerCertificate`: a regional API without
//! domains. A server certificate is uploaded into one region (`RegionId`, required) either as
//! a PEM pair or by the id of a certificate-service certificate (`AliCloudCertificateId`, with
//! `AliCloudCertificateName` and `AliCloudCertificateRegionId`), as certd, certimate and dnsmgr
//! do (the repository's `docs/reference/clb.md` gives the sources).
//!
//! **Codes.** The action's reference sends readers to the product's error center; its entries
//! are the SLB common-error list (AlibabaCloudDocs/slb `cn.zh-CN/API参考/公共错误码.md`, "Slb
//! 2014-05-15"), byte for byte (the service's "Key has Encrypted ." included). Which check
//! answers with which of them is this project's reading of their messages, since the list says
//! nothing of the conditions: the certificate's framing (no `CERTIFICATE` block, not text) is
//! `InvalidParameter` "…ServerCertificate format is error.", its content (bad base64, bad DER,
//! a blank line) `KeyFormatError` ("The specified ServerCertificate is incorrectly
//! formatted."); everything wrong with the key (not PEM, bad DER, an algorithm or encoding not
//! taken) `InvalidParameter` "…key format is error."; an absent or blank certificate or key
//! "…ServerCertificate or Key is empty."; a name over 80 characters and a value over the
//! length limit `InvalidParameterLength` (an empty certificate too: its length, 0, is not
//! valid); any other impossible value (a name breaking the pattern, a malformed `RegionId` or
//! `AliCloudCertificateId`, an `AliCloudCertificateRegionId` that is not a certificate-service
//! site) "The specified parameter is not valid."; an unknown certificate-service id "The
//! specified resource does not exist.", one not issued (expired included) "The resource
//! status is invalid.". A missing `RegionId` is the gateway's `MissingRegionId` (required by
//! the API's metadata, `aliyun-openapi-meta` `en-US/slb/UploadServerCertificate.json`; the code
//! inferred from the gateway's pattern, `docs/reference/gateway.md`).
//!
//! **Key types.** RSA only, PKCS#1 only: the current "Certificate requirements and format
//! conversion" page (alibabacloud.com, Jan 2026; the Traditional Chinese edition of Feb 2025
//! and the Indonesian one of Nov 2025 agree) says "CLB supports RSA certificates only. ECDSA
//! (Elliptic Curve) certificates are not supported", RSA 1024/2048/4096, and "CLB requires
//! unencrypted PKCS#1 format private keys. If your private key is encrypted or in PKCS#8
//! format, convert it first" (`-----BEGIN RSA PRIVATE KEY-----`); the "FAQ about CLB
//! certificates" (Apr 2026) lists "Private key is an RSA key in PKCS#1 format" among the
//! requirements. A claim that CLB takes ECDSA P-256/384/521 keys names no page, and none of
//! the CLB pages read says it. So a PKCS#8 or SEC1 key is refused (row 17, the key
//! format entry: the list's "…key format is error." is the documented code whose message fits;
//! which one the service really sends is not shown anywhere), and an EC key with it; an EC
//! certificate with an RSA key is a mismatch. Encrypted keys (`ENCRYPTED PRIVATE KEY`,
//! `Proc-Type: 4,ENCRYPTED`) are `PrivateKeyEncryption`, checked before the encoding.
//!
//! **Format.** No blank line inside the PEM text: the requirements page says "No spaces or
//! blank lines" / "No blank lines between certificates" and, for the key, "No blank lines";
//! CLB refused one in practice (certimate-go/certimate#326; certimate strips
//! `(?m)^\s*$\n?` before uploading since). A blank line between blocks or inside a base64 body
//! is refused; one after the last block is not (no source shows it refused).
//!
//! **Names.** `ServerCertificateName`: 1 to 80 characters, each a Chinese character, a
//! letter, a digit, `-`, `/`, `.`, `_` or `*`, with no rule for the first one — the current
//! Chinese API reference (help.aliyun.com, api-slb-2014-05-15-uploadservercertificate:
//! "长度限制为1~80个字符，允许包含中文、字母、数字、短划线（-）、正斜线（/）、
//! 半角句号（.）、下划线（_）和星号（*）"), which the reference's own examples agree with (a
//! certificate named `*.example1.com`).
//! Older editions, the SDK models and the metadata say the name starts with a letter (or a
//! Chinese character) and holds only letters, digits, `.`, `_` and `-`; a checker must not
//! refuse what the service takes now, so the wider, current rule is the one applied. The
//! current reference also marks the name "required for a certificate not issued by Alibaba
//! Cloud"; the metadata and the SDK models say optional and no refusal has been seen, so an
//! upload without one is taken (serve names it after the leaf's common name). Names need not
//! be unique: nothing documents a duplicate-name code, and the reference says nothing of
//! uniqueness.
//!
//! **By certificate-service id.** A request with `AliCloudCertificateId` uses that
//! certificate and its PEM parameters are not read (inferred: the metadata documents no
//! refusal of both). The id is the service's numeric `CertId` (the reference's example
//! `1501739`, the metadata's `7750000`); `AliCloudCertificateRegionId` is the
//! certificate-service site, `cn-hangzhou` (default) or `ap-southeast-1`, as `CertRegion` on
//! the CDN family. The current reference marks `AliCloudCertificateName` and
//! `AliCloudCertificateRegionId` "required with an Alibaba Cloud certificate"; they are not
//! enforced, since a user was told to leave `AliCloudCertificateRegionId` out to get past an
//! error (below) and the metadata marks both optional. The observed answer naming a missing
//! "AliCouldCertificateId" when `AliCloudCertificateRegionId` was sent
//! (aliyun/alibabacloud-go-sdk#75, 2024) is not reproduced: certd sends all three parameters
//! in production.
//!
//! **Not refused**, for no source shows a refusal: an expired certificate (a warning says so),
//! the same content or name uploaded twice.

use super::{CasBy, CasCodes, CharClass, Codes, NamePattern, NameRequired, Profile, Role, Rules};
use crate::catalog::{Evidence, table};
use crate::private_key::KeyFormat;
use crate::status::Product;

/// Where the documented entries come from.
const LIST: &str = "SLB 2014-05-15 common error list (AlibabaCloudDocs/slb, \
                    cn.zh-CN/API参考/公共错误码.md); the API reference sends readers there";

table! {
    evidence = Evidence::Documented(LIST);
    KEY_FORMAT_ERROR = ("KeyFormatError", 400, "The specified ServerCertificate is incorrectly formatted.");
    RESOURCE_NOT_EXIST = ("InvalidParameter", 400, "The specified resource does not exist.");
    RESOURCE_STATUS = ("InvalidParameter", 400, "The resource status is invalid.");
    PRIVATE_KEY_ENCRYPTION = ("PrivateKeyEncryption", 400, "Key has Encrypted .");
    CERTIFICATE_NOT_MATCH = ("CertificateNotMatchPrivateKey", 400, "Certificate and key does not match.");
    CERTIFICATE_FORMAT = ("InvalidParameter", 400, "The specified parameter ServerCertificate format is error.");
    ID_EMPTY = ("InvalidParameter", 400, "The specified parameter ServerCertificateId is empty.");
    ID_NOT_SUPPORTED = ("InvalidParameter", 400, "The specified parameter ServerCertificateId is not Support.");
    CERTIFICATE_OR_KEY_EMPTY = ("InvalidParameter", 400, "The specified parameter ServerCertificate or Key is empty.");
    KEY_FORMAT = ("InvalidParameter", 400, "The specified parameter key format is error.");
    PARAMETER_NOT_VALID = ("InvalidParameter", 400, "The specified parameter is not valid.");
    PARAMETER_LENGTH = ("InvalidParameterLength", 400, "The specified parameter length is not valid.");
    MISSING_REGION_ID = ("MissingRegionId", 400, "RegionId is mandatory for this action.") @ Evidence::Inferred(
        "the API gateway's answer to a missing required parameter (documented for CDN as \
         MissingDomainName, observed on the certificate service as MissingStatus); RegionId is \
         required by the API's metadata (aliyun-openapi-meta en-US/slb/UploadServerCertificate.json), \
         and the exact answer has not been seen");
    MISSING_SERVER_CERTIFICATE_ID = ("MissingServerCertificateId", 400, "ServerCertificateId is mandatory for this action.") @ Evidence::Inferred(
        "the API gateway's answer to a missing required parameter, as MissingRegionId; \
         ServerCertificateId is required by DeleteServerCertificate's metadata");
    NOT_FOUND = ("ServerCertificateId.NotFound", 404, "The specified ServerCertificateId does not exist.") @ Evidence::Inferred(
        "DeleteServerCertificate with an unknown id: the code is the one Terraform's alicloud \
         provider treats as already deleted (resource_alicloud_slb_server_certificate.go); its \
         message was never shown, and the status is that of the list's other .NotFound codes \
         (InvalidRegionId.NotFound, InvalidRuleId.NotFound: 404)");
}

/// CLB `UploadServerCertificate` (SLB 2014-05-15).
pub static CLB: Profile = Profile {
    name: "clb",
    action: "UploadServerCertificate",
    version: "2014-05-15",
    product: Product::Slb,
    params: &[
        ("RegionId", Role::Region),
        ("ServerCertificate", Role::Certificate),
        ("PrivateKey", Role::PrivateKey),
        ("ServerCertificateName", Role::CertName),
        ("AliCloudCertificateId", Role::CertId),
        ("AliCloudCertificateRegionId", Role::CertRegion),
    ],
    catalog: TABLE,
    codes: CODES,
    rules: RULES,
};

const CODES: Codes = {
    let mut codes = Codes::new(
        &PARAMETER_NOT_VALID,
        &CERTIFICATE_FORMAT,
        &KEY_FORMAT,
        &CERTIFICATE_NOT_MATCH,
    );
    codes.required = &[(Role::Region, &MISSING_REGION_ID)];
    codes.cert_name_too_long = Some(&PARAMETER_LENGTH);
    let mut cas = CasCodes::new(&RESOURCE_NOT_EXIST, &RESOURCE_STATUS);
    cas.expired = &RESOURCE_STATUS;
    codes.cas = Some(cas);
    codes.certificate_missing = &CERTIFICATE_OR_KEY_EMPTY;
    codes.private_key_missing = &CERTIFICATE_OR_KEY_EMPTY;
    codes.private_key_blank = &CERTIFICATE_OR_KEY_EMPTY;
    codes.too_long = &PARAMETER_LENGTH;
    codes.certificate_base64 = &KEY_FORMAT_ERROR;
    codes.certificate_der = &KEY_FORMAT_ERROR;
    codes.private_key_encrypted = Some(&PRIVATE_KEY_ENCRYPTION);
    codes.elsewhere = &[
        &ID_EMPTY,
        &ID_NOT_SUPPORTED,
        &MISSING_SERVER_CERTIFICATE_ID,
        &NOT_FOUND,
    ];
    codes
};

/// `ServerCertificateName`'s characters (the length is `cert_name_max_chars`).
const NAME: NamePattern = NamePattern::new(CHARACTERS, CHARACTERS, DESCRIBED);

/// What a name may hold, first character included.
const CHARACTERS: &[CharClass] = &[
    CharClass::Han,
    CharClass::AsciiLetter,
    CharClass::AsciiDigit,
    CharClass::AnyOf("-/._*"),
];

/// The rule in words.
const DESCRIBED: &str = "it must be 1 to 80 characters, each a Chinese character, a letter, a \
                         digit, '-', '/', '.', '_' or '*'";

const RULES: Rules = {
    let mut rules = Rules::new();
    // No CertType: AliCloudCertificateId makes a request a certificate-service one.
    rules.cert_types = &["upload", "cas"];
    rules.cert_name_required = NameRequired::Never;
    rules.cas_by = CasBy::Id;
    rules.cert_regions = &["cn-hangzhou", "ap-southeast-1"];
    rules.cert_name_max_chars = 80;
    rules.cert_name_pattern = Some(NAME);
    rules.private_key_formats = &[KeyFormat::Pkcs1];
    rules.pem_blank_lines_refused = true;
    rules
};
