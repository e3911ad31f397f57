//! The certificate service (CAS 2020-04-07): one store of certificates per `serve` (one
//! account: every access key sees the same certificates), shared by its actions — upload,
//! detail, delete, and the two lists. This module is the service's model (what a stored
//! certificate is, how it is found and shown); each action is a module of its own below it.
//!
//! A certificate's rows are the store's `certificates` rows of kind `cas` for every product
//! (so `CertType=cas` on CDN, DCDN, Live and VOD finds it). Its facts are the library's reading
//! of its stored canonical chain (`Chain::from_pem`); nothing here parses a certificate.
//!
//! Identifiers, as the service writes them: `CertId` a 64-bit number the size real ones have
//! ([`ID_BASE`] + the row's sequence), `CertIdentifier` `<CertId>-<site>` (`cn-hangzhou` on the
//! China site, `ap-southeast-1` on the international one), `InstanceId`
//! `cas-upload-<6 lower-case letters or digits>`, `SerialNo` lower-case hex with the DER sign
//! byte kept (a leading `00` where the number's first bit is set: tools strip it).

pub(super) mod delete_user_certificate;
pub(super) mod get_user_certificate_detail;
pub(super) mod list_certificates;
pub(super) mod list_user_certificate_order;
pub(super) mod upload_user_certificate;

use cert_preflight::{CAS, CertificateFacts, Chain, StoreError, SubjectKey};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::request::{Addressee, Response};
use crate::store::LogEntry;
use crate::wire::Params;

/// The first `CertId` is above this (real ids are eight-digit numbers).
pub(crate) const ID_BASE: i64 = 21_000_000;

/// Days before its end under which a certificate is `WILLEXPIRED`.
const WILL_EXPIRE_DAYS: i64 = 30;

/// One certificate of the service, as stored.
pub(crate) struct CasCertificate {
    /// `CertId`.
    pub(crate) id: i64,
    /// `Name`.
    pub(crate) name: String,
    /// The site it was uploaded to; `None` for one of the state document (the China site).
    pub(crate) region: Option<String>,
    /// `InstanceId` (`None` for one of the state document).
    pub(crate) instance_id: Option<String>,
    /// `ResourceGroupId` as uploaded.
    pub(crate) resource_group_id: Option<String>,
    /// The key, only where the server keeps keys.
    pub(crate) private_key: Option<String>,
    /// The chain (canonical PEM) and its facts.
    pub(crate) chain: Chain,
}

/// The columns a certificate is read from, in [`row`]'s order.
const COLUMNS: &str = "cert_id, name, region, instance_id, resource_group_id, private_key, pem";

/// A certificate from a row of [`COLUMNS`]; `None` when it has no readable chain or id (a
/// state document's entry without `pem`).
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<CasCertificate>> {
    let id: Option<String> = r.get(0)?;
    let pem: Option<String> = r.get(6)?;
    let (Some(id), Some(pem)) = (id.and_then(|i| i.parse::<i64>().ok()), pem) else {
        return Ok(None);
    };
    let Ok(chain) = Chain::from_pem(&pem) else {
        return Ok(None);
    };
    Ok(Some(CasCertificate {
        id,
        name: r.get(1)?,
        region: r.get(2)?,
        instance_id: r.get(3)?,
        resource_group_id: r.get(4)?,
        private_key: r.get(5)?,
        chain,
    }))
}

fn db_error(e: rusqlite::Error) -> StoreError {
    StoreError::new(format!("SQLite: {e}"))
}

/// The certificate with this `CertId`.
pub(crate) fn by_id(conn: &Connection, id: i64) -> Result<Option<CasCertificate>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM certificates WHERE kind = 'cas' AND cert_id = ?1"
    ))
    .and_then(|mut stmt| stmt.query_row(params![id.to_string()], row).optional())
    .map(Option::flatten)
    .map_err(db_error)
}

/// The certificate named `name`.
pub(crate) fn by_name(conn: &Connection, name: &str) -> Result<Option<CasCertificate>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS}, min(seq) FROM certificates WHERE kind = 'cas' AND product = '*'
         AND name = ?1"
    ))
    .and_then(|mut stmt| stmt.query_row(params![name], row))
    .map_err(db_error)
}

/// Every certificate, newest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<CasCertificate>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM certificates WHERE kind = 'cas' AND product = '*'
             ORDER BY seq DESC"
        ))
        .map_err(db_error)?;
    let rows = stmt.query_map([], row).map_err(db_error)?;
    let mut out = Vec::new();
    for certificate in rows {
        if let Some(certificate) = certificate.map_err(db_error)? {
            out.push(certificate);
        }
    }
    Ok(out)
}

/// The products whose domains use the certificate (HTTPS on, set by its id or its name), as
/// the service names them (`CDN`, `DCDN`, `LIVE`, `VOD`).
pub(crate) fn using_products(
    conn: &Connection,
    certificate: &CasCertificate,
) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT DISTINCT product FROM domain_https WHERE https = 1
             AND (cert_id = ?1 OR (cert_id IS NULL AND cert_name = ?2)) ORDER BY product",
        )
        .map_err(db_error)?;
    let rows = stmt
        .query_map(params![certificate.id.to_string(), certificate.name], |r| {
            r.get::<_, String>(0)
        })
        .map_err(db_error)?;
    rows.map(|p| p.map(|p| p.to_ascii_uppercase()).map_err(db_error))
        .collect()
}

/// The site a request to `host` reaches: `cas.aliyuncs.com` (and `cas.cn-hangzhou.…`) is the
/// China site, any other `cas.<region>.aliyuncs.com` the international one.
pub(crate) fn site(host: &str) -> &'static str {
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match host.strip_prefix("cas.") {
        Some("aliyuncs.com" | "cn-hangzhou.aliyuncs.com") | None => "cn-hangzhou",
        Some(rest) if rest.ends_with(".aliyuncs.com") => "ap-southeast-1",
        Some(_) => "cn-hangzhou",
    }
}

/// A new `InstanceId`: `cas-upload-` and six lower-case letters or digits.
pub(crate) fn instance_id() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let random = uuid::Uuid::new_v4();
    let tail: String = random
        .as_bytes()
        .iter()
        .take(6)
        .map(|b| {
            char::from(
                ALPHABET
                    .get(usize::from(*b) % ALPHABET.len())
                    .copied()
                    .unwrap_or(b'a'),
            )
        })
        .collect();
    format!("cas-upload-{tail}")
}

/// The status at `now`: `ISSUED`, `WILLEXPIRED` (within 30 days of its end) or `EXPIRED`.
pub(crate) fn status(leaf: &CertificateFacts, now: OffsetDateTime) -> &'static str {
    let left = leaf.not_after().saturating_sub(now.unix_timestamp());
    if left < 0 {
        "EXPIRED"
    } else if left < WILL_EXPIRE_DAYS * 86_400 {
        "WILLEXPIRED"
    } else {
        "ISSUED"
    }
}

/// Upper-case hex.
fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Lower-case hex.
fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Unix seconds as the service's milliseconds.
fn millis(seconds: i64) -> i64 {
    seconds.saturating_mul(1000)
}

/// Unix seconds as `YYYY-MM-DD`.
fn date(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()))
        .unwrap_or_default()
}

/// `RSA`, `ECC` or `SM2` (the service's names), and the key's size in bits.
fn algorithm(key: &SubjectKey) -> (&'static str, i64) {
    use cert_preflight::Curve;
    match key {
        SubjectKey::Rsa { n, .. } => {
            let top = n.first().map_or(0, |b| b.leading_zeros() as usize);
            let bits = n.len().saturating_mul(8).saturating_sub(top);
            ("RSA", i64::try_from(bits).unwrap_or(0))
        }
        SubjectKey::Ec {
            curve: Curve::Sm2, ..
        } => ("SM2", 256),
        SubjectKey::Ec { curve, .. } => ("ECC", curve_bits(*curve)),
        SubjectKey::Ed25519(_) => ("Ed25519", 256),
        _ => ("", 0),
    }
}

fn curve_bits(curve: cert_preflight::Curve) -> i64 {
    use cert_preflight::Curve;
    match curve {
        Curve::P384 => 384,
        Curve::P521 => 521,
        _ => 256,
    }
}

impl CasCertificate {
    /// The leaf's facts (a stored chain always has a leaf).
    pub(crate) fn leaf(&self) -> Option<&CertificateFacts> {
        self.chain.leaf()
    }

    /// `CertIdentifier`: `<CertId>-<site>`.
    pub(crate) fn identifier(&self) -> String {
        format!(
            "{}-{}",
            self.id,
            self.region.as_deref().unwrap_or("cn-hangzhou")
        )
    }

    /// The issuer as the service shows it: its organization, else its common name.
    fn issuer(leaf: &CertificateFacts) -> String {
        leaf.issuer_organization()
            .or(leaf.issuer_common_name())
            .unwrap_or_default()
            .to_owned()
    }

    /// `GetUserCertificateDetail`'s fields (the SDK model's names and types); without `Cert`
    /// and `Key` when `filtered` (`CertFilter=true`), and without `Key` unless kept.
    pub(crate) fn detail(&self, filtered: bool, now: OffsetDateTime) -> Vec<(&'static str, Value)> {
        let Some(leaf) = self.leaf() else {
            return Vec::new();
        };
        let (algorithm, _) = algorithm(leaf.key());
        let sha2 = upper_hex(&leaf.sha256());
        let chain: Vec<Value> = self
            .chain
            .certificates()
            .iter()
            .map(|c| {
                json!({
                    "CommonName": c.common_name().unwrap_or_default(),
                    "IssuerCommonName": c.issuer_common_name().unwrap_or_default(),
                    "NotBefore": millis(c.not_before()),
                    "NotAfter": millis(c.not_after()),
                    "RemainDay": c.not_after().saturating_sub(now.unix_timestamp()).max(0) / 86_400,
                })
            })
            .collect();
        let mut fields: Vec<(&'static str, Value)> = vec![
            ("Id", json!(self.id)),
            ("Name", json!(self.name)),
            ("Common", json!(leaf.common_name().unwrap_or_default())),
            ("Sans", json!(leaf.dns_names().join(","))),
            ("StartDate", json!(date(leaf.not_before()))),
            ("EndDate", json!(date(leaf.not_after()))),
            ("NotBefore", json!(millis(leaf.not_before()))),
            ("NotAfter", json!(millis(leaf.not_after()))),
            ("Expired", json!(leaf.not_after() < now.unix_timestamp())),
            ("Fingerprint", json!(upper_hex(&leaf.sha1()))),
            ("Sha2", json!(sha2)),
            ("CertSha2", json!(sha2)),
            ("SerialNo", json!(lower_hex(leaf.serial()))),
            ("Issuer", json!(Self::issuer(leaf))),
            ("Algorithm", json!(algorithm)),
            ("CertIdentifier", json!(self.identifier())),
            (
                "InstanceId",
                json!(self.instance_id.clone().unwrap_or_default()),
            ),
            ("BuyInAliyun", json!(false)),
            ("OrgName", json!(leaf.organization().unwrap_or_default())),
            ("Country", json!(leaf.country().unwrap_or_default())),
            ("Province", json!(leaf.province().unwrap_or_default())),
            ("City", json!(leaf.locality().unwrap_or_default())),
            ("OrderId", json!(0)),
            (
                "ResourceGroupId",
                json!(self.resource_group_id.clone().unwrap_or_default()),
            ),
            ("Tags", json!([])),
            ("CertChain", Value::Array(chain)),
        ];
        if !filtered {
            fields.push(("Cert", json!(self.chain.pem())));
            if let Some(key) = &self.private_key {
                fields.push(("Key", json!(key)));
            }
        }
        fields
    }

    /// One `CertificateOrderList` item of `ListUserCertificateOrder` (`OrderType` `CERT` or
    /// `UPLOAD`).
    pub(crate) fn order(&self, now: OffsetDateTime) -> Value {
        let Some(leaf) = self.leaf() else {
            return Value::Null;
        };
        json!({
            "CertificateId": self.id,
            "Name": self.name,
            "CommonName": leaf.common_name().unwrap_or_default(),
            "Sans": leaf.dns_names().join(","),
            "SerialNo": lower_hex(leaf.serial()),
            "Fingerprint": upper_hex(&leaf.sha1()),
            "Sha2": upper_hex(&leaf.sha256()),
            "Issuer": Self::issuer(leaf),
            "StartDate": date(leaf.not_before()),
            "EndDate": date(leaf.not_after()),
            "CertStartTime": millis(leaf.not_before()),
            "CertEndTime": millis(leaf.not_after()),
            "Expired": leaf.not_after() < now.unix_timestamp(),
            "Upload": true,
            "InstanceId": self.instance_id.clone().unwrap_or_default(),
            "ResourceGroupId": self.resource_group_id.clone().unwrap_or_default(),
            "OrgName": leaf.organization().unwrap_or_default(),
            "Country": leaf.country().unwrap_or_default(),
            "Province": leaf.province().unwrap_or_default(),
            "City": leaf.locality().unwrap_or_default(),
            "Status": status(leaf, now),
        })
    }

    /// One `CertificateList` item of `ListCertificates`.
    pub(crate) fn listed(&self, now: OffsetDateTime, using: Vec<String>) -> Value {
        let Some(leaf) = self.leaf() else {
            return Value::Null;
        };
        let (algorithm, key_size) = algorithm(leaf.key());
        let certificate_status = match status(leaf, now) {
            "EXPIRED" => "expired",
            "WILLEXPIRED" => "willExpire",
            _ => "issued",
        };
        json!({
            "CertificateId": self.id.to_string(),
            "CertificateName": self.name,
            "CertIdentifier": self.identifier(),
            "CommonName": leaf.common_name().unwrap_or_default(),
            "Domain": leaf.names().join(","),
            "SubjectAlternativeNames": leaf.dns_names(),
            "NotBefore": millis(leaf.not_before()),
            "NotAfter": millis(leaf.not_after()),
            "Algorithm": algorithm,
            "KeySize": key_size,
            "Serial": lower_hex(leaf.serial()),
            "FingerPrint": upper_hex(&leaf.sha1()),
            "Issuer": Self::issuer(leaf),
            "ExistPrivateKey": true,
            "CertificateStatus": certificate_status,
            "CertificateSource": "UPLOAD",
            "InstanceId": self.instance_id.clone().unwrap_or_default(),
            "UsingProductList": using,
            "DeploymentDesc": "",
        })
    }
}

/// A refusal with one of the service's catalog entries (by code), logged; the detail is ours.
pub(crate) fn refuse(code: &str, detail: &str, to: &Addressee, log: &mut LogEntry) -> Response {
    super::refuse_with(CAS.entry(code), &code, detail, to, log)
}

/// The `CertId` parameter of a get or delete: absent is the gateway's `MissingCertId`, a value
/// that is not a whole number the service's parameter error.
pub(crate) fn cert_id(params: &Params) -> Result<i64, (&'static str, String)> {
    let Some(text) = params.get_str("CertId") else {
        return Err((
            "MissingCertId",
            "CertId is absent; the API requires it, so the API gateway refuses the request"
                .to_owned(),
        ));
    };
    text.trim().parse::<i64>().map_err(|_| {
        (
            "Preflight.InvalidParameter",
            format!(
                "CertId is {:?}; it must be a whole number (the certificate's id)",
                crate::request::shown(text.as_bytes(), 64)
            ),
        )
    })
}

/// A whole-number parameter with a default (`CurrentPage`, `ShowSize`): a value that is not
/// one is the service's parameter error.
pub(crate) fn number(
    params: &Params,
    name: &str,
    default: i64,
) -> Result<i64, (&'static str, String)> {
    match params.get_str(name).map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text.parse::<i64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            (
                "Preflight.InvalidParameter",
                format!(
                    "{name} is {:?}; it must be a whole number of at least 1",
                    crate::request::shown(text.as_bytes(), 64)
                ),
            )
        }),
    }
}

/// One page of `items`: the `CurrentPage`-th run of `ShowSize`.
/// A list's `CurrentPage` (default 1) and `ShowSize` (default `default_size`, at most
/// `max_size`), or the refusal of either.
pub(crate) fn paging(
    params: &Params,
    default_size: i64,
    max_size: i64,
) -> Result<(i64, i64), (&'static str, String)> {
    let current_page = number(params, "CurrentPage", 1)?;
    let show_size = number(params, "ShowSize", default_size)?;
    Ok((current_page, show_size.min(max_size)))
}

pub(crate) fn page<T>(items: Vec<T>, current_page: i64, show_size: i64) -> Vec<T> {
    let size = usize::try_from(show_size).unwrap_or(usize::MAX);
    let skip = usize::try_from(current_page.saturating_sub(1))
        .unwrap_or(usize::MAX)
        .saturating_mul(size);
    items.into_iter().skip(skip).take(size).collect()
}

/// Whether a certificate is in the `ResourceGroupId` a list asks for (none asked: all).
pub(crate) fn in_group(certificate: &CasCertificate, group: Option<&str>) -> bool {
    group.is_none_or(|g| certificate.resource_group_id.as_deref() == Some(g))
}

/// Whether a certificate matches a `Keyword`: a part of one of its names, its name or its
/// instance id (case-insensitive).
pub(crate) fn matches_keyword(certificate: &CasCertificate, keyword: Option<&str>) -> bool {
    let Some(keyword) = keyword.map(str::trim).filter(|k| !k.is_empty()) else {
        return true;
    };
    let keyword = keyword.to_ascii_lowercase();
    let hit = |text: &str| text.to_ascii_lowercase().contains(&keyword);
    hit(&certificate.name)
        || certificate.instance_id.as_deref().is_some_and(hit)
        || certificate
            .leaf()
            .is_some_and(|leaf| leaf.names().into_iter().any(hit))
}
