//! The page at `/`: what the endpoint holds and what it answered, for a person. One
//! server-rendered HTML document, self-contained (no external script, font or style), that works
//! without JavaScript: domains and the certificate each has, the certificates stored, and the
//! last requests (newest first) with a filter by domain and outcome in the query string. A
//! refusal links to its detail (`/?request=ID`). Every value a client sent is escaped.
//!
//! Pure: the server reads its store into a [`Page`] and writes [`render`]'s output.

use core::fmt::Write;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Days before a certificate's end under which it is shown amber.
pub const AMBER_DAYS: i64 = 30;

/// How often the page reloads itself, in seconds (it keeps its query string, so its filter).
pub const REFRESH_SECONDS: u32 = 5;

/// One domain of one product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainRow {
    /// The product (`cdn`, `dcdn`, `live`, `vod`).
    pub product: String,
    /// The domain name.
    pub name: String,
    /// Its state (`online`, `offline`, …).
    pub state: String,
    /// HTTPS is on.
    pub https: bool,
    /// The certificate set on it, if any.
    pub certificate: Option<CertificateRow>,
}

/// One stored certificate (never a key: only what the certificate says).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow {
    /// The product it is stored for (`None`: every product).
    pub product: Option<String>,
    /// Its name.
    pub name: String,
    /// `upload`, `cas` or `free`.
    pub kind: String,
    /// The DNS names the leaf covers.
    pub subject_names: Vec<String>,
    /// The leaf's issuer.
    pub issuer: String,
    /// notBefore, Unix seconds.
    pub not_before: Option<i64>,
    /// notAfter, Unix seconds.
    pub not_after: Option<i64>,
    /// SHA-256 of the leaf's DER, lower-case hex.
    pub fingerprint: Option<String>,
}

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRow {
    /// Its id (the `RequestId` of the answer).
    pub id: String,
    /// When it was answered, Unix seconds.
    pub time: i64,
    /// The AccessKeyId that signed it (empty when it had none).
    pub access_key_id: String,
    /// The Action.
    pub action: String,
    /// The `DomainName` it named (empty when none).
    pub domain: String,
    /// `None` when accepted; else the code, the message and the library's detail.
    pub refusal: Option<Refusal>,
    /// The warnings of the check (code and text).
    pub warnings: Vec<(String, String)>,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The error code.
    pub code: String,
    /// The service's message.
    pub message: String,
    /// The HTTP status.
    pub http_status: u16,
    /// What exactly is wrong, from the library (may be empty).
    pub detail: String,
}

/// Which requests to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only requests for this domain (exact, any case).
    pub domain: Option<String>,
    /// Only accepted (`ok`) or only refused (`refused`) requests.
    pub outcome: Option<Outcome>,
    /// Show this request alone, in full.
    pub request: Option<String>,
    /// Which page of the domains and certificates (1-based; 0 is read as 1).
    pub page: u32,
}

/// A request's outcome, for the filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted.
    Ok,
    /// Refused with a code.
    Refused,
}

impl Filter {
    /// The filter a query string (`domain=…&outcome=ok|refused&request=…`) asks for; unknown
    /// or undecodable parts are ignored.
    pub fn from_query(query: &[u8]) -> Filter {
        let mut filter = Filter::default();
        let Ok(params) = crate::wire::decode_form(query) else {
            return filter;
        };
        let text = |name: &str| {
            params
                .get_str(name)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        filter.domain = text("domain");
        filter.outcome = match text("outcome").as_deref() {
            Some("ok") => Some(Outcome::Ok),
            Some("refused") => Some(Outcome::Refused),
            _ => None,
        };
        filter.request = text("request");
        filter.page = text("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0);
        filter
    }

    fn keeps(&self, row: &RequestRow) -> bool {
        let domain = self
            .domain
            .as_ref()
            .is_none_or(|d| d.eq_ignore_ascii_case(&row.domain));
        let outcome = match self.outcome {
            None => true,
            Some(Outcome::Ok) => row.refusal.is_none(),
            Some(Outcome::Refused) => row.refusal.is_some(),
        };
        domain && outcome
    }
}

/// Everything the page shows.
#[derive(Debug, Clone)]
pub struct Page {
    /// When the page was made (the server's clock).
    pub now: OffsetDateTime,
    /// The time certificate validity is judged at (`--at`, else `now`).
    pub validity_at: OffsetDateTime,
    /// The server's version.
    pub version: String,
    /// Every domain.
    pub domains: Vec<DomainRow>,
    /// Every stored certificate.
    pub certificates: Vec<CertificateRow>,
    /// The last requests, newest first.
    pub requests: Vec<RequestRow>,
    /// What to show of them.
    pub filter: Filter,
    /// How many domains there are in all (the page shows [`Page::page_rows`] of them).
    pub total_domains: u64,
    /// How many certificates there are in all.
    pub total_certificates: u64,
    /// How many domains, and certificates, a page shows.
    pub page_rows: u64,
}

impl Page {
    /// The navigation between pages of domains and certificates, when there is more than one.
    fn pages(&self) -> String {
        let total = self.total_domains.max(self.total_certificates);
        let rows = self.page_rows.max(1);
        let last = total.div_ceil(rows).max(1);
        if last <= 1 {
            return String::new();
        }
        let current = u64::from(self.filter.page.max(1)).min(last);
        let link = |page: u64, text: &str| format!("<a href=\"/?page={page}\">{text}</a>");
        let mut nav = format!(
            "<nav class=\"muted\" aria-label=\"pages\">Page {current} of {last} ({} domains, \
             {} certificates; {rows} of each a page)",
            self.total_domains, self.total_certificates
        );
        if current > 1 {
            nav.push_str(" · ");
            nav.push_str(&link(current - 1, "previous"));
        }
        if current < last {
            nav.push_str(" · ");
            nav.push_str(&link(current + 1, "next"));
        }
        nav.push_str("</nav>");
        nav
    }
}

/// A time as RFC 3339 UTC to the second.
fn seconds(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// `text` escaped for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` percent-encoded for a query string value.
fn query_value(text: &str) -> String {
    crate::wire::percent_encode(text.as_bytes())
}

fn time(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| seconds.to_string())
}

/// The validity cell: the end date, the days left, and the class that colours it.
fn validity(not_after: Option<i64>, at: OffsetDateTime) -> (String, &'static str) {
    let Some(not_after) = not_after else {
        return ("—".to_owned(), "");
    };
    let left = not_after.saturating_sub(at.unix_timestamp());
    if left < 0 {
        let days = (-left).saturating_add(86_399) / 86_400;
        return (
            format!("{} (expired {days} day(s) ago)", time(not_after)),
            "expired",
        );
    }
    let days = left / 86_400;
    let class = if days < AMBER_DAYS { "soon" } else { "" };
    (format!("{} ({days} day(s) left)", time(not_after)), class)
}

const STYLE: &str = "\
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5rem;color:#1a1a1a;background:#fff}\
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}\
table{border-collapse:collapse;width:100%;max-width:100%;font-size:.9rem}\
th,td{border:1px solid #c8c8c8;padding:.3rem .45rem;text-align:left;vertical-align:top}\
#requests-table td,#request-detail td{overflow-wrap:anywhere}\
#requests-table td:nth-child(6),#requests-table td:nth-child(7){min-width:14rem}\
th{background:#eef1f5}\
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;word-break:break-all}\
.soon{background:#fff1c2;color:#5c3b00}\
.expired{background:#fbd5d5;color:#7a0000}\
.ok{color:#0b5d1e;font-weight:600}.refused{color:#8a0000;font-weight:600}\
.muted{color:#4a4a4a}\
form{margin:.5rem 0 1rem}label{margin-right:.3rem}select,input{margin-right:1rem}\
a{color:#0645ad}";

/// The whole page.
pub fn render(page: &Page) -> String {
    let mut html = String::with_capacity(16 * 1024);
    let generated = seconds(page.now);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"{REFRESH_SECONDS}\">\
         <title>cert-preflight serve</title><style>{STYLE}</style></head><body>\
         <h1>cert-preflight serve</h1>\
         <p class=\"muted\" id=\"generated\">Generated at <time datetime=\"{g}\">{g}</time> \
         (reloads every {REFRESH_SECONDS} s, keeping the filter); certificate validity judged at {v}. \
         Version {version}.</p>",
        g = escape(&generated),
        v = escape(&seconds(page.validity_at)),
        version = escape(&page.version),
    );
    if let Some(id) = &page.filter.request {
        request_detail(&mut html, page, id);
    } else {
        html.push_str(&page.pages());
        domains(&mut html, page);
        certificates(&mut html, page);
        requests(&mut html, page);
    }
    html.push_str("</body></html>\n");
    html
}

fn domains(html: &mut String, page: &Page) {
    html.push_str("<h2 id=\"domains\">Domains</h2>");
    if page.domains.is_empty() {
        html.push_str("<p>No domain is known yet: an upload creates its domain.</p>");
        return;
    }
    html.push_str(
        "<table id=\"domains-table\"><caption class=\"muted\">Each product keeps its own \
         domains.</caption><thead><tr><th scope=\"col\">Product</th><th scope=\"col\">Domain</th>\
         <th scope=\"col\">State</th><th scope=\"col\">HTTPS</th><th scope=\"col\">Certificate</th>\
         <th scope=\"col\">Subject names</th><th scope=\"col\">Issuer</th>\
         <th scope=\"col\">Not after</th></tr></thead><tbody>",
    );
    for d in &page.domains {
        let (cert, names, issuer, (until, class)) = match &d.certificate {
            Some(c) => (
                escape(&c.name),
                escape(&c.subject_names.join(", ")),
                escape(&c.issuer),
                validity(c.not_after, page.validity_at),
            ),
            None => (
                "—".to_owned(),
                String::new(),
                String::new(),
                ("—".to_owned(), ""),
            ),
        };
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{cert}</td><td>{names}</td>\
             <td>{issuer}</td><td class=\"{class}\">{until}</td></tr>",
            escape(&d.product),
            escape(&d.name),
            escape(&d.state),
            if d.https { "on" } else { "off" },
        );
    }
    html.push_str("</tbody></table>");
}

fn certificates(html: &mut String, page: &Page) {
    html.push_str("<h2 id=\"certificates\">Certificates stored</h2>");
    if page.certificates.is_empty() {
        html.push_str("<p>No certificate is stored.</p>");
        return;
    }
    html.push_str(
        "<table id=\"certificates-table\"><thead><tr><th scope=\"col\">Name</th>\
         <th scope=\"col\">Product</th><th scope=\"col\">Type</th>\
         <th scope=\"col\">Subject names</th><th scope=\"col\">Not before</th>\
         <th scope=\"col\">Not after</th><th scope=\"col\">SHA-256 fingerprint</th></tr></thead>\
         <tbody>",
    );
    for c in &page.certificates {
        let (until, class) = validity(c.not_after, page.validity_at);
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td class=\"{class}\">{until}</td><td class=\"mono\">{}</td></tr>",
            escape(&c.name),
            escape(c.product.as_deref().unwrap_or("every product")),
            escape(&c.kind),
            escape(&c.subject_names.join(", ")),
            c.not_before.map_or_else(|| "—".to_owned(), time),
            escape(c.fingerprint.as_deref().unwrap_or("—")),
        );
    }
    html.push_str("</tbody></table>");
}

fn requests(html: &mut String, page: &Page) {
    let filter = &page.filter;
    let domain = filter.domain.as_deref().unwrap_or("");
    let selected = |o: Option<Outcome>| {
        if filter.outcome == o { " selected" } else { "" }
    };
    let _ = write!(
        html,
        "<h2 id=\"requests\">Last requests</h2>\
         <form method=\"get\" action=\"/\" role=\"search\">\
         <label for=\"filter-domain\">Domain</label>\
         <input id=\"filter-domain\" name=\"domain\" type=\"text\" value=\"{}\">\
         <label for=\"filter-outcome\">Outcome</label>\
         <select id=\"filter-outcome\" name=\"outcome\">\
         <option value=\"\"{}>all</option><option value=\"ok\"{}>OK</option>\
         <option value=\"refused\"{}>refused</option></select>\
         <button type=\"submit\">Filter</button> <a href=\"/\">Clear</a></form>",
        escape(domain),
        selected(None),
        selected(Some(Outcome::Ok)),
        selected(Some(Outcome::Refused)),
    );
    let shown: Vec<&RequestRow> = page.requests.iter().filter(|r| filter.keeps(r)).collect();
    if shown.is_empty() {
        html.push_str("<p id=\"no-requests\">No request matches.</p>");
        return;
    }
    html.push_str(
        "<table id=\"requests-table\"><thead><tr><th scope=\"col\">Time</th>\
         <th scope=\"col\">AccessKeyId</th><th scope=\"col\">Action</th>\
         <th scope=\"col\">Domain</th><th scope=\"col\">Outcome</th>\
         <th scope=\"col\">Message and detail</th><th scope=\"col\">Warnings</th></tr></thead><tbody>",
    );
    for r in shown {
        let outcome = match &r.refusal {
            None => "<span class=\"ok\">OK</span>".to_owned(),
            Some(refusal) => format!(
                "<a class=\"refused\" href=\"/?request={}\">{}</a> ({})",
                query_value(&r.id),
                escape(&refusal.code),
                refusal.http_status
            ),
        };
        let message = r.refusal.as_ref().map_or_else(String::new, |refusal| {
            format!(
                "{}<br><span class=\"muted\">{}</span>",
                escape(&refusal.message),
                escape(&refusal.detail)
            )
        });
        let warnings: Vec<String> = r
            .warnings
            .iter()
            .map(|(code, text)| format!("<b>{}</b>: {}", escape(code), escape(text)))
            .collect();
        let _ = write!(
            html,
            "<tr data-request=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{outcome}</td>\
             <td>{message}</td><td>{}</td></tr>",
            escape(&r.id),
            time(r.time),
            escape(&r.access_key_id),
            escape(&r.action),
            escape(&r.domain),
            warnings.join("<br>"),
        );
    }
    html.push_str("</tbody></table>");
}

fn request_detail(html: &mut String, page: &Page, id: &str) {
    let _ = write!(
        html,
        "<p><a href=\"/\">All requests</a></p><h2>Request {}</h2>",
        escape(id)
    );
    let Some(r) = page.requests.iter().find(|r| r.id == id) else {
        html.push_str("<p>This request is no longer in the log.</p>");
        return;
    };
    let _ = write!(
        html,
        "<table id=\"request-detail\"><tbody>\
         <tr><th scope=\"row\">Time</th><td>{}</td></tr>\
         <tr><th scope=\"row\">AccessKeyId</th><td>{}</td></tr>\
         <tr><th scope=\"row\">Action</th><td>{}</td></tr>\
         <tr><th scope=\"row\">Domain</th><td>{}</td></tr>",
        time(r.time),
        escape(&r.access_key_id),
        escape(&r.action),
        escape(&r.domain),
    );
    match &r.refusal {
        None => html.push_str("<tr><th scope=\"row\">Outcome</th><td class=\"ok\">OK</td></tr>"),
        Some(refusal) => {
            let _ = write!(
                html,
                "<tr><th scope=\"row\">Outcome</th><td class=\"refused\">{} (HTTP {})</td></tr>\
                 <tr><th scope=\"row\">Message</th><td>{}</td></tr>\
                 <tr><th scope=\"row\">Detail</th><td>{}</td></tr>",
                escape(&refusal.code),
                refusal.http_status,
                escape(&refusal.message),
                escape(&refusal.detail),
            );
        }
    }
    for (code, text) in &r.warnings {
        let _ = write!(
            html,
            "<tr><th scope=\"row\">Warning {}</th><td>{}</td></tr>",
            escape(code),
            escape(text)
        );
    }
    html.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn certificate(name: &str, not_after: i64) -> CertificateRow {
        CertificateRow {
            product: Some("cdn".to_owned()),
            name: name.to_owned(),
            kind: "upload".to_owned(),
            subject_names: vec!["www.example.com".to_owned()],
            issuer: "CN=Test CA".to_owned(),
            not_before: Some(0),
            not_after: Some(not_after),
            fingerprint: Some("ab".repeat(32)),
        }
    }

    fn page(filter: Filter) -> Page {
        let at = datetime!(2026-06-01 0:00 UTC);
        let day = 86_400;
        let t = at.unix_timestamp();
        Page {
            now: at,
            validity_at: at,
            version: "0.1.0".to_owned(),
            domains: vec![DomainRow {
                product: "cdn".to_owned(),
                name: "www.example.com".to_owned(),
                state: "online".to_owned(),
                https: true,
                certificate: Some(certificate("prod", t + 10 * day)),
            }],
            certificates: vec![
                certificate("prod", t + 10 * day),
                certificate("<script>alert(1)</script>", t - 3 * day),
                certificate("far", t + 200 * day),
            ],
            requests: vec![
                RequestRow {
                    id: "r-2".to_owned(),
                    time: t,
                    access_key_id: "test".to_owned(),
                    action: "SetCdnDomainSSLCertificate".to_owned(),
                    domain: "other.example.com".to_owned(),
                    refusal: Some(Refusal {
                        code: "Certificate.MissMatch".to_owned(),
                        message: "The SSLPri does not match the certificate.".to_owned(),
                        http_status: 400,
                        detail: "the key & the <certificate> differ".to_owned(),
                    }),
                    warnings: vec![],
                },
                RequestRow {
                    id: "r-1".to_owned(),
                    time: t - 60,
                    access_key_id: "test".to_owned(),
                    action: "SetCdnDomainSSLCertificate".to_owned(),
                    domain: "www.example.com".to_owned(),
                    refusal: None,
                    warnings: vec![("ExpiresSoon".to_owned(), "renew it".to_owned())],
                },
            ],
            filter,
            total_domains: 1,
            total_certificates: 3,
            page_rows: 100,
        }
    }

    #[test]
    fn everything_a_client_sent_is_escaped() {
        let html = render(&page(Filter::default()));
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("the key &amp; the &lt;certificate&gt; differ"));
        assert_eq!(escape("a\"b'c\u{7}"), "a&quot;b&#39;c\u{fffd}");
    }

    #[test]
    fn validity_is_amber_under_30_days_and_red_when_expired() {
        let html = render(&page(Filter::default()));
        assert!(html.contains("<td class=\"soon\">2026-06-11T00:00:00Z (10 day(s) left)</td>"));
        assert!(
            html.contains("<td class=\"expired\">2026-05-29T00:00:00Z (expired 3 day(s) ago)</td>")
        );
        assert!(html.contains("<td class=\"\">2026-12-18T00:00:00Z (200 day(s) left)</td>"));
    }

    #[test]
    fn the_filter_comes_from_the_query_and_is_kept_in_the_form() {
        let filter = Filter::from_query(b"domain=www.example.com&outcome=ok");
        assert_eq!(filter.domain.as_deref(), Some("www.example.com"));
        assert_eq!(filter.outcome, Some(Outcome::Ok));
        let html = render(&page(filter));
        assert!(html.contains("data-request=\"r-1\""));
        assert!(!html.contains("data-request=\"r-2\""));
        assert!(html.contains("value=\"www.example.com\""));
        assert!(html.contains("<option value=\"ok\" selected>OK</option>"));
        let refused = render(&page(Filter::from_query(b"outcome=refused")));
        assert!(refused.contains("href=\"/?request=r-2\">Certificate.MissMatch</a> (400)"));
        assert!(!refused.contains("data-request=\"r-1\""));
        assert_eq!(Filter::from_query(b"%zz"), Filter::default());
    }

    #[test]
    fn times_to_the_second_and_pages_of_rows() {
        let mut at_noon = page(Filter::default());
        at_noon.validity_at = datetime!(2026-06-01 12:34:56.789 UTC);
        let html = render(&at_noon);
        assert!(
            html.contains("certificate validity judged at 2026-06-01T12:34:56Z."),
            "{html}"
        );
        assert!(
            !html.contains("aria-label=\"pages\""),
            "one page: no navigation"
        );
        let mut many = page(Filter::from_query(b"page=2"));
        many.total_domains = 40_000;
        many.total_certificates = 250;
        let html = render(&many);
        assert!(
            html.contains(
                "Page 2 of 400 (40000 domains, 250 certificates; 100 of each a page) · \
                 <a href=\"/?page=1\">previous</a> · <a href=\"/?page=3\">next</a></nav>"
            ),
            "{html}"
        );
    }

    #[test]
    fn a_refusal_has_a_detail_view() {
        let html = render(&page(Filter::from_query(b"request=r-2")));
        assert!(html.contains("<td class=\"refused\">Certificate.MissMatch (HTTP 400)</td>"));
        assert!(html.contains("<td>the key &amp; the &lt;certificate&gt; differ</td>"));
        let gone = render(&page(Filter::from_query(b"request=nope")));
        assert!(gone.contains("no longer in the log"));
    }

    #[test]
    fn tables_have_headers_and_the_page_needs_nothing_external() {
        let html = render(&page(Filter::default()));
        assert!(html.contains("<th scope=\"col\">Domain</th>"));
        assert!(html.contains("<label for=\"filter-domain\">"));
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"5\">"));
        for external in ["<script src", "<link", "http://", "https://", "@import"] {
            assert!(!html.contains(external), "{external}");
        }
    }
}
