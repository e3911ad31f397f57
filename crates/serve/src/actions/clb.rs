//! Classic Load Balancer (SLB 2014-05-15): the account's server certificates, each in one
//! region, shared by its actions — upload, describe, delete. This module is the service's
//! model (what a server certificate is, how it is stored, found and shown); each action is a
//! module of its own below it. Checks are the library's profile `clb`.
//!
//! A certificate is a row of the `server_certificates` table: its chain as the library checked
//! it (the canonical PEM, public), or the certificate-service certificate it was made from
//! (`IsAliCloudCertificate` 1, `AliCloudCertificateId`/`Name`/`RegionId`, and that
//! certificate's chain at the time). No private key is ever kept: an upload's key is checked
//! and dropped. Names need not be unique.
//!
//! Identifiers and fields, as the API reference's examples show them (Chinese reference of
//! `UploadServerCertificate` and `DescribeServerCertificates`, AlibabaCloudDocs/slb):
//! `ServerCertificateId` `<account>_<creation time in ms, hex>_<10 digits>_<9 digits>`
//! (`1231579085529123_166f8204689_1714763408_709981430`, whose hex part is its
//! `CreateTimeStamp`), `Fingerprint` the leaf's SHA-1 in lower-case colon-separated hex (20
//! bytes in every example), `ExpireTime` `2019-05-18T06:34:24Z` with `ExpireTimeStamp` in
//! milliseconds, a certificate not from the certificate service shown with
//! `AliCloudCertificateId` `"0"` and an empty `AliCloudCertificateName`; the field names and
//! types are the SDK models' (`alibabacloud_slb20140515` 3.3.31,
//! `_describe_server_certificates_response_body.py`): `SubjectAlternativeNames` as
//! `{"SubjectAlternativeName":[…]}`, `Tags` as `{"Tag":[{"TagKey","TagValue"}]}`.
//! Inferred: an upload without `ServerCertificateName` is named after the leaf's common name
//! (the reference's examples show certificates named as their common name, `*.example1.com`;
//! what the service names one without a name is not shown); one without `ResourceGroupId` is
//! in the account's default group (the examples' `rg-acfmxazb4ph6aiy`).

pub(super) mod delete_server_certificate;
pub(super) mod describe_server_certificates;
pub(super) mod upload_server_certificate;

use cert_preflight::{CLB, CatalogEntry, Chain, StoreError};
use rusqlite::{Connection, params};
use serde_json::{Value, json};

use crate::request::{Addressee, Response};
use crate::store::{LogEntry, unix_rfc3339};
use crate::wire::Params;

/// The account every `serve` is: the first part of each `ServerCertificateId` (the
/// reference's example account).
const ACCOUNT: &str = "1231579085529123";

/// The resource group of a certificate uploaded without `ResourceGroupId` (the reference's
/// example value).
const DEFAULT_RESOURCE_GROUP: &str = "rg-acfmxazb4ph6aiy";

/// The most `Tag.N` pairs a request carries (the SDK model: N from 1 to 20).
const MAX_TAGS: usize = 20;

/// The entries of the catalog the actions answer with, by code and message (several share
/// the code `InvalidParameter`).
pub(crate) mod entries {
    /// An impossible value.
    pub(crate) const NOT_VALID: (&str, &str) =
        ("InvalidParameter", "The specified parameter is not valid.");
    /// `ServerCertificateId` present but empty.
    pub(crate) const ID_EMPTY: (&str, &str) = (
        "InvalidParameter",
        "The specified parameter ServerCertificateId is empty.",
    );
    /// `ServerCertificateId` not of the service's form.
    pub(crate) const ID_NOT_SUPPORTED: (&str, &str) = (
        "InvalidParameter",
        "The specified parameter ServerCertificateId is not Support.",
    );
    /// No such certificate.
    pub(crate) const NOT_FOUND: (&str, &str) = (
        "ServerCertificateId.NotFound",
        "The specified ServerCertificateId does not exist.",
    );
    /// The gateway's: `ServerCertificateId` absent.
    pub(crate) const MISSING_ID: (&str, &str) = (
        "MissingServerCertificateId",
        "ServerCertificateId is mandatory for this action.",
    );
    /// The gateway's: `RegionId` absent.
    pub(crate) const MISSING_REGION: (&str, &str) =
        ("MissingRegionId", "RegionId is mandatory for this action.");
}

/// A certificate-service certificate a server certificate was made from.
pub(crate) struct AliCloud {
    /// `AliCloudCertificateId`.
    pub(crate) id: String,
    /// `AliCloudCertificateName`.
    pub(crate) name: String,
    /// `AliCloudCertificateRegionId`: the certificate service's site.
    pub(crate) region: String,
}

/// One server certificate, as stored.
pub(crate) struct ServerCertificate {
    /// `ServerCertificateId`.
    pub(crate) id: String,
    /// `RegionId`.
    pub(crate) region: String,
    /// `ServerCertificateName`.
    pub(crate) name: String,
    /// The chain (canonical PEM) and its facts; `None` for a certificate-service certificate
    /// whose content this server does not have (one of a state document without `pem`).
    pub(crate) chain: Option<Chain>,
    /// The certificate-service certificate it was made from.
    pub(crate) ali_cloud: Option<AliCloud>,
    /// `ResourceGroupId`.
    pub(crate) resource_group_id: String,
    /// `Tag.N.Key` / `Tag.N.Value`, in order.
    pub(crate) tags: Vec<(String, String)>,
    /// `CreateTimeStamp`: Unix milliseconds.
    pub(crate) created_ms: i64,
}

/// The columns a certificate is read from, in [`row`]'s order.
const COLUMNS: &str = "id, region, name, pem, ali_cloud_id, ali_cloud_name, ali_cloud_region, \
                       resource_group_id, tags, created_ms";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ServerCertificate> {
    let pem: Option<String> = r.get(3)?;
    let ali_cloud_id: Option<String> = r.get(4)?;
    let tags: String = r.get(8)?;
    let ali_cloud = match ali_cloud_id {
        Some(id) => Some(AliCloud {
            id,
            name: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            region: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(ServerCertificate {
        id: r.get(0)?,
        region: r.get(1)?,
        name: r.get(2)?,
        chain: pem.and_then(|pem| Chain::from_pem(&pem).ok()),
        ali_cloud,
        resource_group_id: r.get(7)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        created_ms: r.get(9)?,
    })
}

fn db_error(e: rusqlite::Error) -> StoreError {
    StoreError::new(format!("SQLite: {e}"))
}

/// Stores `certificate`.
pub(crate) fn insert(conn: &Connection, certificate: &ServerCertificate) -> Result<(), StoreError> {
    let tags = serde_json::to_string(&certificate.tags).unwrap_or_else(|_| "[]".to_owned());
    let ali_cloud = certificate.ali_cloud.as_ref();
    conn.prepare_cached(
        "INSERT INTO server_certificates (id, region, name, pem, ali_cloud_id, ali_cloud_name,
         ali_cloud_region, resource_group_id, tags, created_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .and_then(|mut stmt| {
        stmt.execute(params![
            certificate.id,
            certificate.region,
            certificate.name,
            certificate.chain.as_ref().map(Chain::pem),
            ali_cloud.map(|a| a.id.as_str()),
            ali_cloud.map(|a| a.name.as_str()),
            ali_cloud.map(|a| a.region.as_str()),
            certificate.resource_group_id,
            tags,
            certificate.created_ms,
        ])
    })
    .map(|_| ())
    .map_err(db_error)
}

/// The certificates of `region` (every region's when `None`), in upload order.
pub(crate) fn in_region(
    conn: &Connection,
    region: Option<&str>,
) -> Result<Vec<ServerCertificate>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM server_certificates WHERE ?1 IS NULL OR region = ?1
             ORDER BY seq"
        ))
        .map_err(db_error)?;
    let rows = stmt.query_map(params![region], row).map_err(db_error)?;
    rows.map(|r| r.map_err(db_error)).collect()
}

/// Deletes the certificate `id` (in `region`, when given); false when there is none.
pub(crate) fn delete(
    conn: &Connection,
    id: &str,
    region: Option<&str>,
) -> Result<bool, StoreError> {
    conn.prepare_cached(
        "DELETE FROM server_certificates WHERE id = ?1 AND (?2 IS NULL OR region = ?2)",
    )
    .and_then(|mut stmt| stmt.execute(params![id, region]))
    .map(|deleted| deleted > 0)
    .map_err(db_error)
}

/// A new `ServerCertificateId` for a certificate created at `created_ms`.
pub(crate) fn new_id(created_ms: i64) -> String {
    let random = uuid::Uuid::new_v4();
    let bytes = random.as_bytes();
    let word = |at: usize| {
        bytes
            .get(at..at.saturating_add(4))
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes)
    };
    format!(
        "{ACCOUNT}_{created_ms:x}_{}_{}",
        1_000_000_000 + word(0) % 1_000_000_000,
        100_000_000 + word(4) % 900_000_000
    )
}

/// Whether `id` has the service's form: letters, digits, `_` and `-`, the account first.
pub(crate) fn well_formed_id(id: &str) -> bool {
    id.len() <= 128
        && id.starts_with(&format!("{ACCOUNT}_"))
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The region a request to `host` reaches: `slb.<region>.aliyuncs.com`'s; `None` for the
/// central endpoint `slb.aliyuncs.com` and any other host.
pub(crate) fn host_region(host: &str) -> Option<String> {
    let host = host
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let region = host.strip_prefix("slb.")?.strip_suffix(".aliyuncs.com")?;
    well_formed_region(region).then(|| region.to_owned())
}

/// Whether `region` is shaped like a region id (`cn-hangzhou`), as the library's check reads
/// `RegionId`.
pub(crate) fn well_formed_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region.contains('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The `Tag.N.Key` / `Tag.N.Value` pairs of a request (N from 1 to 20; a pair without a key
/// is skipped).
pub(crate) fn tags(params: &Params) -> Vec<(String, String)> {
    (1..=MAX_TAGS)
        .filter_map(|n| {
            let key = params.get_str(&format!("Tag.{n}.Key"))?;
            let value = params
                .get_str(&format!("Tag.{n}.Value"))
                .unwrap_or_default();
            Some((key.to_owned(), value.to_owned()))
        })
        .collect()
}

/// The default resource group, or the given one.
pub(crate) fn resource_group(params: &Params) -> String {
    params
        .get_str("ResourceGroupId")
        .filter(|g| !g.is_empty())
        .unwrap_or(DEFAULT_RESOURCE_GROUP)
        .to_owned()
}

/// Lower-case hex, bytes separated by colons.
fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

impl ServerCertificate {
    /// The fields of `UploadServerCertificate`'s answer and of a `DescribeServerCertificates`
    /// item (the SDK models' names and types; `Tags` only where the model has them).
    pub(crate) fn fields(&self, with_tags: bool) -> Vec<(&'static str, Value)> {
        let leaf = self.chain.as_ref().and_then(Chain::leaf);
        let not_after = leaf.map(cert_preflight::CertificateFacts::not_after);
        let created = self.created_ms.div_euclid(1000);
        let (ali_id, ali_name) = match &self.ali_cloud {
            Some(a) => (a.id.clone(), a.name.clone()),
            None => ("0".to_owned(), String::new()),
        };
        let mut fields = vec![
            ("ServerCertificateId", json!(self.id)),
            ("ServerCertificateName", json!(self.name)),
            ("RegionId", json!(self.region)),
            ("RegionIdAlias", json!(self.region)),
            (
                "Fingerprint",
                json!(leaf.map(|l| colon_hex(&l.sha1())).unwrap_or_default()),
            ),
            (
                "CommonName",
                json!(leaf.and_then(|l| l.common_name()).unwrap_or_default()),
            ),
            (
                "SubjectAlternativeNames",
                json!({ "SubjectAlternativeName": leaf.map(|l| l.dns_names().to_vec()).unwrap_or_default() }),
            ),
            (
                "ExpireTime",
                json!(not_after.map(unix_rfc3339).unwrap_or_default()),
            ),
            (
                "ExpireTimeStamp",
                json!(not_after.map_or(0, |t| t.saturating_mul(1000))),
            ),
            ("CreateTime", json!(unix_rfc3339(created))),
            ("CreateTimeStamp", json!(self.created_ms)),
            (
                "IsAliCloudCertificate",
                json!(i32::from(self.ali_cloud.is_some())),
            ),
            ("AliCloudCertificateId", json!(ali_id)),
            ("AliCloudCertificateName", json!(ali_name)),
            ("ResourceGroupId", json!(self.resource_group_id)),
        ];
        if with_tags {
            let tags: Vec<Value> = self
                .tags
                .iter()
                .map(|(k, v)| json!({ "TagKey": k, "TagValue": v }))
                .collect();
            fields.push(("Tags", json!({ "Tag": tags })));
        }
        fields
    }

    /// `fields` as one JSON object (a list item).
    pub(crate) fn item(&self) -> Value {
        Value::Object(
            self.fields(true)
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
}

/// The catalog entry `(code, message)` of profile `clb`.
fn entry((code, message): (&str, &str)) -> Option<&'static CatalogEntry> {
    CLB.entries()
        .find(|e| e.code() == code && e.message() == message)
}

/// A refusal with one of the service's catalog entries, logged; the detail is ours.
pub(crate) fn refuse(
    which: (&str, &str),
    detail: &str,
    to: &Addressee,
    log: &mut LogEntry,
) -> Response {
    super::refuse_with(entry(which), &which, detail, to, log)
}

/// The region of a describe or delete: `RegionId`, else the endpoint's (`slb.<region>.…`);
/// `Ok(None)` where neither names one and `required` is false. A malformed `RegionId` is the
/// parameter error; an absent one where the region is required, the gateway's `MissingRegionId`
/// (inferred, as on the upload).
pub(crate) fn region(
    params: &Params,
    host: &str,
    required: bool,
) -> Result<Option<String>, ((&'static str, &'static str), String)> {
    match params.get_str("RegionId") {
        Some(region) if well_formed_region(region) => Ok(Some(region.to_owned())),
        Some(region) => Err((
            entries::NOT_VALID,
            format!(
                "RegionId is {:?}; it is not a region id (lower-case letters, digits and '-', \
                 like cn-hangzhou)",
                crate::request::shown(region.as_bytes(), 64)
            ),
        )),
        None => match host_region(host) {
            Some(region) => Ok(Some(region)),
            None if required => Err((
                entries::MISSING_REGION,
                "RegionId is absent and the endpoint names no region (slb.<region>.aliyuncs.com); \
                 the API gateway refuses the request"
                    .to_owned(),
            )),
            None => Ok(None),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_have_the_services_form() {
        let id = new_id(0x0166_f820_4689);
        let parts: Vec<&str> = id.split('_').collect();
        assert_eq!(parts.len(), 4, "{id}");
        assert_eq!(parts[..2], ["1231579085529123", "166f8204689"]);
        assert_eq!((parts[2].len(), parts[3].len()), (10, 9), "{id}");
        assert!(well_formed_id(&id));
        assert!(!well_formed_id("abc"));
        assert!(!well_formed_id("1231579085529123_1/2"));
        assert_eq!(colon_hex(&[0x68, 0x08, 0x1a]), "68:08:1a");
        assert_eq!(
            host_region("slb.cn-beijing.aliyuncs.com:443").as_deref(),
            Some("cn-beijing")
        );
        assert_eq!(host_region("slb.aliyuncs.com"), None);
        assert_eq!(host_region("127.0.0.1:18911"), None);
    }
}
