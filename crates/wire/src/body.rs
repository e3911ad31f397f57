//! Response bodies, byte for byte as the service writes them: compact JSON (no spaces:
//! acme.sh finds an error by grepping `"Message":"`) or XML.

use std::fmt::Write as _;

use serde_json::Value;

use crate::form::Params;
use crate::percent::percent_encode;

/// The response format a request asked for with `Format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Format {
    /// `Format=JSON` (any case), absent, or any other value: the service's default.
    #[default]
    Json,
    /// `Format=XML` (any case).
    Xml,
}

impl Format {
    /// The format of a `Format` value: XML when it is `xml` in any case, JSON otherwise.
    pub fn from_value(value: Option<&[u8]>) -> Format {
        match value {
            Some(v) if v.eq_ignore_ascii_case(b"xml") => Format::Xml,
            _ => Format::Json,
        }
    }

    /// The format requested by the first `Format` parameter.
    pub fn from_params(params: &Params) -> Format {
        Format::from_value(params.get("Format"))
    }

    /// The `Content-Type` of a body in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json;charset=utf-8",
            Format::Xml => "text/xml;charset=utf-8",
        }
    }
}

/// `https://api.aliyun.com/troubleshoot?q=<Code>&product=<Product>&requestId=<RequestId>`,
/// each value percent-encoded (a no-op for the codes, products and UUIDs it is used with).
pub fn recommend_url(code: &str, product: &str, request_id: &str) -> String {
    format!(
        "https://api.aliyun.com/troubleshoot?q={}&product={}&requestId={}",
        percent_encode(code.as_bytes()),
        percent_encode(product.as_bytes()),
        percent_encode(request_id.as_bytes())
    )
}

/// The body of a refusal (a [`GatewayError`](super::GatewayError) or a profile's catalog
/// entry): `{"RequestId","HostId","Code","Message","Recommend"}` plus `PreflightDetail`
/// when there is a detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorEnvelope<'a> {
    /// The request's id (a UUID).
    pub request_id: &'a str,
    /// The `Host` header the request was sent to.
    pub host_id: &'a str,
    /// The error code.
    pub code: &'a str,
    /// The error message.
    pub message: &'a str,
    /// The product name for `Recommend` (e.g. `Cdn`, `live`).
    pub product: &'a str,
    /// cert-preflight's explanation, if any (`PreflightDetail`).
    pub detail: Option<&'a str>,
}

impl ErrorEnvelope<'_> {
    /// The `Recommend` URL of this error.
    pub fn recommend(&self) -> String {
        recommend_url(self.code, self.product, self.request_id)
    }

    /// The body in `format`.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Json => self.to_json(),
            Format::Xml => self.to_xml(),
        }
    }

    /// Compact JSON: `{"RequestId":…,"HostId":…,"Code":…,"Message":…,"Recommend":…}`.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        let recommend = self.recommend();
        let fields = [
            ("RequestId", Some(self.request_id)),
            ("HostId", Some(self.host_id)),
            ("Code", Some(self.code)),
            ("Message", Some(self.message)),
            ("Recommend", Some(recommend.as_str())),
            ("PreflightDetail", self.detail),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                if out.len() > 1 {
                    out.push(',');
                }
                json_string(&mut out, name);
                out.push(':');
                json_string(&mut out, value);
            }
        }
        out.push('}');
        out
    }

    /// `<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>…</RequestId>…</Error>`.
    pub fn to_xml(&self) -> String {
        let mut out = String::from(XML_DECLARATION);
        out.push_str("<Error>");
        let recommend = self.recommend();
        let fields = [
            ("RequestId", Some(self.request_id)),
            ("HostId", Some(self.host_id)),
            ("Code", Some(self.code)),
            ("Message", Some(self.message)),
            ("Recommend", Some(recommend.as_str())),
            ("PreflightDetail", self.detail),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                xml_element(&mut out, name, |out| xml_text(out, value));
            }
        }
        out.push_str("</Error>");
        out
    }
}

const XML_DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// A success body in JSON: `{"RequestId":"…"}` followed by `fields` in the order given
/// (objects inside a value are written with their keys sorted).
pub fn success_json(request_id: &str, fields: &[(&str, Value)]) -> String {
    let mut out = String::from("{");
    json_string(&mut out, "RequestId");
    out.push(':');
    json_string(&mut out, request_id);
    for (name, value) in fields {
        out.push(',');
        json_string(&mut out, name);
        out.push(':');
        out.push_str(&value.to_string());
    }
    out.push('}');
    out
}

/// A success body in XML: `<?xml …?><{Action}Response><RequestId>…</RequestId>…` with
/// `fields` as elements: an object's members as child elements, an array as its items each
/// in an element of the array's name (the service's list shape, `"Certs":{"Cert":[…]}` ↔
/// `<Certs><Cert>…</Cert><Cert>…</Cert></Certs>`), `null` as an empty element.
pub fn success_xml(action: &str, request_id: &str, fields: &[(&str, Value)]) -> String {
    let mut out = String::from(XML_DECLARATION);
    let root = format!("{action}Response");
    xml_element(&mut out, &root, |out| {
        xml_element(out, "RequestId", |out| xml_text(out, request_id));
        for (name, value) in fields {
            xml_value(out, name, value);
        }
    });
    out
}

fn xml_value(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                xml_value(out, name, item);
            }
        }
        Value::Object(members) => xml_element(out, name, |out| {
            for (child, value) in members {
                xml_value(out, child, value);
            }
        }),
        Value::Null => xml_element(out, name, |_| {}),
        Value::String(text) => xml_element(out, name, |out| xml_text(out, text)),
        Value::Bool(_) | Value::Number(_) => {
            let text = value.to_string();
            xml_element(out, name, |out| xml_text(out, &text));
        }
    }
}

/// `<name>` + content + `</name>`; characters not allowed in an XML name become `_`.
fn xml_element(out: &mut String, name: &str, content: impl FnOnce(&mut String)) {
    let name: String = if name.is_empty() {
        "_".to_owned()
    } else {
        name.chars()
            .enumerate()
            .map(|(i, c)| {
                let ok = c.is_ascii_alphabetic()
                    || c == '_'
                    || (i > 0 && (c.is_ascii_digit() || c == '-' || c == '.'));
                if ok { c } else { '_' }
            })
            .collect()
    };
    let _ = write!(out, "<{name}>");
    content(out);
    let _ = write!(out, "</{name}>");
}

/// XML character data: `&`, `<`, `>`, `"`, `'` escaped; characters XML 1.0 cannot carry
/// (controls other than tab, newline and carriage return, U+FFFE, U+FFFF) become U+FFFD.
fn xml_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// A JSON string literal, escaped as serde_json does (`"`, `\`, control characters).
fn json_string(out: &mut String, text: &str) {
    out.push_str(&Value::from(text).to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn envelope(detail: Option<&'static str>) -> ErrorEnvelope<'static> {
        ErrorEnvelope {
            request_id: "5A5C-1",
            host_id: "cdn.aliyuncs.com",
            code: "InvalidAccessKeyId.NotFound",
            message: "Specified access key is not found.",
            product: "Cdn",
            detail,
        }
    }

    #[test]
    fn error_json_is_compact_and_exact() {
        assert_eq!(
            envelope(None).to_json(),
            r#"{"RequestId":"5A5C-1","HostId":"cdn.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&product=Cdn&requestId=5A5C-1"}"#
        );
        assert_eq!(
            envelope(Some("line1\n\"quoted\" \\ <tag> é\u{1}")).to_json(),
            r#"{"RequestId":"5A5C-1","HostId":"cdn.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound&product=Cdn&requestId=5A5C-1","PreflightDetail":"line1\n\"quoted\" \\ <tag> é\u0001"}"#
        );
    }

    #[test]
    fn error_xml_is_exact_and_escaped() {
        assert_eq!(
            envelope(Some("a<b & 'c' \"d\"\u{1}")).render(Format::Xml),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>5A5C-1</RequestId>"#,
                "<HostId>cdn.aliyuncs.com</HostId><Code>InvalidAccessKeyId.NotFound</Code>",
                "<Message>Specified access key is not found.</Message>",
                "<Recommend>https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound",
                "&amp;product=Cdn&amp;requestId=5A5C-1</Recommend>",
                "<PreflightDetail>a&lt;b &amp; &apos;c&apos; &quot;d&quot;\u{fffd}",
                "</PreflightDetail></Error>"
            )
        );
    }

    #[test]
    fn success_bodies() {
        assert_eq!(success_json("abc", &[]), r#"{"RequestId":"abc"}"#);
        let fields = [
            ("TotalCount", json!(2)),
            (
                "CertInfos",
                json!({"CertInfo": [{"DomainName": "a.example", "CertName": "x&y"}, {"DomainName": "b"}]}),
            ),
            ("Note", json!(null)),
        ];
        assert_eq!(
            success_json("abc", &fields),
            r#"{"RequestId":"abc","TotalCount":2,"CertInfos":{"CertInfo":[{"CertName":"x&y","DomainName":"a.example"},{"DomainName":"b"}]},"Note":null}"#
        );
        assert_eq!(
            success_xml("SetCdnDomainSSLCertificate", "abc", &[]),
            r#"<?xml version="1.0" encoding="UTF-8"?><SetCdnDomainSSLCertificateResponse><RequestId>abc</RequestId></SetCdnDomainSSLCertificateResponse>"#
        );
        assert_eq!(
            success_xml("DescribeDomainCertificateInfo", "abc", &fields),
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?><DescribeDomainCertificateInfoResponse>"#,
                "<RequestId>abc</RequestId><TotalCount>2</TotalCount><CertInfos>",
                "<CertInfo><CertName>x&amp;y</CertName><DomainName>a.example</DomainName></CertInfo>",
                "<CertInfo><DomainName>b</DomainName></CertInfo></CertInfos><Note></Note>",
                "</DescribeDomainCertificateInfoResponse>"
            )
        );
    }

    #[test]
    fn format_parameter() {
        assert_eq!(Format::from_value(None), Format::Json);
        for v in ["JSON", "json", "Json", "yaml", ""] {
            assert_eq!(Format::from_value(Some(v.as_bytes())), Format::Json, "{v}");
        }
        for v in ["XML", "xml", "xMl"] {
            assert_eq!(Format::from_value(Some(v.as_bytes())), Format::Xml, "{v}");
        }
    }
}
