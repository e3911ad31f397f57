//! Who may talk to the endpoint. `serve` listens on loopback, but a web page in the user's
//! browser can reach loopback too; a browser must not be able to drive it. Every request is
//! checked here before anything else (the API, the admin endpoints, the page):
//!
//! - **Host.** The `Host` must be the listen address, `localhost`, a loopback address, an
//!   `*.aliyuncs.com` name (what the SDKs and acme.sh send when pointed at the endpoint by a
//!   hosts entry) or a name given with `--allow-host` (`name` or `*.suffix`). Anything else is
//!   a name a web page made resolve to loopback (DNS rebinding): `403 HostNotAllowed`. An
//!   HTTP/1.0 request without `Host` is not a browser's.
//! - **Another site's page.** A request with an `Origin` whose host is not one of those, or
//!   `Sec-Fetch-Site: cross-site` (what browsers send with a form or `fetch` from another
//!   site; no SDK sends either), is `403 CrossSiteRequest` — whatever its credentials, so the
//!   public `test`:`test` pair cannot be used from a page.
//! - **Admin changes.** `PUT /_preflight/state` and `POST /_preflight/reset` need the header
//!   `X-Preflight-Admin` (any value): a header no HTML form can send, and one `fetch` can send
//!   only after a CORS preflight this server never approves. Without it: `403
//!   AdminHeaderMissing`.
//!
//! Pure: the decision is a function of the request's method, path and headers.

use crate::request::Incoming;
use crate::wire::GatewayError;

/// The hosts the endpoint answers, besides the built-in ones.
#[derive(Debug, Clone, Default)]
pub(crate) struct Guard {
    /// The listen address's host (an IP literal).
    listen: String,
    /// `--allow-host` values, lower-case: exact names, or `*.suffix`.
    allowed: Vec<String>,
}

/// The name part of a `Host` value (`name:port`, `[v6]:port`), lower-case.
fn host_name(value: &str) -> String {
    let value = value.trim();
    let name = if let Some(rest) = value.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        match value.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => value,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The host of an `Origin` value (`scheme://host[:port]`); `None` for `null` or garbage.
fn origin_host(origin: &str) -> Option<String> {
    let rest = origin.trim().split_once("://")?.1;
    let authority = rest.split('/').next().unwrap_or_default();
    Some(host_name(authority))
}

impl Guard {
    /// A guard for a server listening on `listen`, with these `--allow-host` values.
    pub(crate) fn new(listen: std::net::SocketAddr, allowed: &[String]) -> Guard {
        Guard {
            listen: listen.ip().to_string(),
            allowed: allowed
                .iter()
                .map(|a| a.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether the endpoint answers requests addressed to `name`.
    pub(crate) fn allows(&self, name: &str) -> bool {
        let builtin = name == "localhost"
            || name == "127.0.0.1"
            || name == "::1"
            || name == self.listen
            || name == "aliyuncs.com"
            || name.ends_with(".aliyuncs.com");
        builtin
            || self
                .allowed
                .iter()
                .any(|allowed| match allowed.strip_prefix("*.") {
                    Some(suffix) => name
                        .strip_suffix(suffix)
                        .is_some_and(|head| head.ends_with('.') && head.len() > 1),
                    None => name == allowed,
                })
    }

    /// The refusal a request gets before anything else runs, if any.
    pub(crate) fn check(&self, incoming: &Incoming) -> Result<(), GatewayError> {
        let header = |name: &str| {
            incoming
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        };
        if let Some(host) = header("host").filter(|h| !h.trim().is_empty())
            && !self.allows(&host_name(&host))
        {
            return Err(GatewayError::HostNotAllowed);
        }
        let cross_origin = header("origin")
            .is_some_and(|origin| origin_host(&origin).is_none_or(|host| !self.allows(&host)));
        let cross_site = header("sec-fetch-site")
            .is_some_and(|site| site.trim().eq_ignore_ascii_case("cross-site"));
        if cross_origin || cross_site {
            return Err(GatewayError::CrossSiteRequest);
        }
        let admin_change = incoming.path.starts_with("/_preflight/")
            && !matches!(incoming.method.as_str(), "GET" | "HEAD");
        if admin_change && header("x-preflight-admin").is_none() {
            return Err(GatewayError::AdminHeaderMissing);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> Incoming {
        Incoming {
            method: method.to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body: Vec::new(),
        }
    }

    fn guard() -> Guard {
        Guard::new(
            "127.0.0.1:18911".parse().unwrap(),
            &["Dev.Box".to_owned(), "*.test.internal".to_owned()],
        )
    }

    #[test]
    fn hosts() {
        let guard = guard();
        for host in [
            "127.0.0.1:18911",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8",
            "cdn.aliyuncs.com",
            "cas.ap-southeast-1.aliyuncs.com:443",
            "dev.box",
            "a.test.internal",
            "cdn.aliyuncs.com.",
        ] {
            assert_eq!(
                guard.check(&request("GET", "/", &[("Host", host)])),
                Ok(()),
                "{host}"
            );
        }
        for host in [
            "evil.example",
            "127.0.0.1.evil.example",
            "aliyuncs.com.evil.example",
            "test.internal",
            "x.dev.box",
            "192.168.1.9:18911",
        ] {
            assert_eq!(
                guard.check(&request("POST", "/", &[("Host", host)])),
                Err(GatewayError::HostNotAllowed),
                "{host}"
            );
        }
        // No Host (HTTP/1.0): not a browser's.
        assert_eq!(guard.check(&request("GET", "/", &[])), Ok(()));
    }

    #[test]
    fn another_sites_page() {
        let guard = guard();
        let host = ("Host", "127.0.0.1:18911");
        for headers in [
            vec![host, ("Origin", "https://evil.example")],
            vec![host, ("Origin", "null")],
            vec![host, ("Sec-Fetch-Site", "cross-site")],
        ] {
            assert_eq!(
                guard.check(&request("POST", "/", &headers)),
                Err(GatewayError::CrossSiteRequest),
                "{headers:?}"
            );
        }
        // The page's own origin, and a same-site fetch.
        assert_eq!(
            guard.check(&request(
                "GET",
                "/",
                &[
                    host,
                    ("Origin", "http://127.0.0.1:18911"),
                    ("Sec-Fetch-Site", "same-origin")
                ]
            )),
            Ok(())
        );
    }

    #[test]
    fn admin_changes_need_the_header() {
        let guard = guard();
        let host = ("Host", "localhost");
        for (method, path) in [("POST", "/_preflight/reset"), ("PUT", "/_preflight/state")] {
            assert_eq!(
                guard.check(&request(method, path, &[host])),
                Err(GatewayError::AdminHeaderMissing)
            );
            assert_eq!(
                guard.check(&request(method, path, &[host, ("X-Preflight-Admin", "1")])),
                Ok(())
            );
        }
        assert_eq!(
            guard.check(&request("GET", "/_preflight/state", &[host])),
            Ok(())
        );
    }
}
