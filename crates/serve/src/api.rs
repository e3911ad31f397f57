//! One cloud-API request to `/`, from what the socket layer read to the writer's step: decode,
//! route (the registry of [`crate::actions`]), authenticate, then the action's own
//! [`prepare`](crate::actions::Action::prepare); and the page at `/` for a person. No sockets
//! here; the clock is read once per request for the signature window.

use std::sync::LazyLock;
use std::time::Instant;

use cert_preflight::StoreError;
use time::OffsetDateTime;

use crate::actions::{ACTIONS, Call, product_of_version};
use crate::context::Context;
use crate::request::{
    Addressee, Handled, Incoming, Prepared, Response, Step, gateway_response, request_id, shown,
};
use crate::store::LogEntry;
use crate::wire::{Format, GatewayError, WireRequest, authenticate, requested_action, route};

/// The page's headers: never cached, never framed, and nothing loaded or run but its own
/// inline style (it has no script) and its filter form (`form-action 'self'`). Every answer
/// also says `X-Content-Type-Options: nosniff`.
pub(crate) const PAGE_HEADERS: [(&str, &str); 3] = [
    ("cache-control", "no-store"),
    (
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-frame-options", "DENY"),
];

/// The routing table: each action's `(Action, Version)`, in the registry's order.
static ROUTES: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| ACTIONS.iter().map(|a| (a.action(), a.version())).collect());

/// True when a request to `/` is a person's (a GET with no `Action`): it gets the page.
pub(crate) fn wants_page(incoming: &Incoming) -> bool {
    incoming.method == "GET"
        && incoming.path == "/"
        && !incoming
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-acs-action"))
        && crate::wire::decode_form(&incoming.query)
            .is_ok_and(|params| params.get("Action").is_none())
}

/// The page at `/` (`crate::page`), read from the store.
pub(crate) fn page(ctx: &Context, incoming: &Incoming) -> Response {
    let now = OffsetDateTime::now_utc();
    let filter = crate::page::Filter::from_query(&incoming.query);
    let validity_at = ctx.validity_time();
    // On a reader's snapshot where the store is a file: the writer never waits for the page.
    let read = match &ctx.readers {
        Some(readers) => readers
            .with(|view| view.page(now, validity_at, filter.clone()))
            .and_then(|page| page.map_err(|e| StoreError::new(format!("SQLite: {e}")))),
        None => ctx
            .lock_store()
            .page(now, validity_at, filter)
            .map_err(|e| StoreError::new(format!("SQLite: {e}"))),
    };
    match read {
        Ok(page) => Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            headers: PAGE_HEADERS
                .iter()
                .map(|(name, value)| (*name, (*value).to_owned()))
                .collect(),
            body: crate::page::render(&page).into_bytes(),
        },
        Err(e) => {
            let id = request_id();
            Response::json(
                500,
                format!(
                    "{{\"RequestId\":\"{id}\",\"Code\":\"InternalError\",\"Message\":\"{}\"}}",
                    crate::page::escape(&format!("the store cannot be read: {e}"))
                ),
            )
        }
    }
}

/// Answers one request to `/`: [`prepare`] here, the rest in the writer's next transaction.
pub(crate) async fn handle(ctx: &Context, incoming: &Incoming) -> Handled {
    // A check that panics (a bug) is answered InternalError rather than dropping the
    // connection without a word.
    let prepared =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(ctx, incoming)));
    match prepared {
        Ok(prepared) => ctx.writer.submit(prepared).await,
        Err(_) => {
            let error = StoreError::new("the request's check panicked");
            let handled = Handled::lost(request_id(), &error);
            ctx.log
                .note(&format!("{error} (request {})", handled.log.request_id));
            handled
        }
    }
}

/// Decodes, routes and authenticates one request to `/`, and checks an upload on a snapshot
/// (where the store is a file): what is left is the writer's.
pub(crate) fn prepare(ctx: &Context, incoming: &Incoming) -> Prepared {
    let started = Instant::now();
    let id = request_id();
    let host = incoming.host();
    let headers: Vec<(&str, &[u8])> = incoming
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let wire = WireRequest {
        method: &incoming.method,
        path: &incoming.path,
        query: &incoming.query,
        headers: &headers,
        body: &incoming.body,
    };
    let mut log = LogEntry::new(id.clone());
    let gateway = |error: GatewayError, product: &str, format: Format, log: &mut LogEntry| {
        log.code = error.code().to_owned();
        // The log never holds the string to sign: it carries the request's parameters.
        log.message = Some(match &error {
            GatewayError::SignatureDoesNotMatch { .. } => {
                "Specified signature is not matched with our calculation.".to_owned()
            }
            other => other.message().into_owned(),
        });
        Step::Answered(gateway_response(&error, &id, &host, product, format))
    };
    let step = 'answer: {
        let params = match wire.params() {
            Ok(params) => params,
            Err(e) => {
                log.detail = Some(format!("{e}"));
                break 'answer gateway(
                    GatewayError::MalformedRequest,
                    "Cdn",
                    Format::Json,
                    &mut log,
                );
            }
        };
        let format = Format::from_params(&params);
        log.action = requested_action(&params, &headers).map(|a| shown(a, 64));
        log.domain = params.get("DomainName").map(|d| shown(d, 255));
        let version = crate::wire::requested_version(&params, &headers);
        let routed = match route(&ROUTES, &params, &headers) {
            Ok(routed) => routed,
            Err(error) => {
                break 'answer gateway(error, product_of_version(version), format, &mut log);
            }
        };
        let Some(action) = ACTIONS.get(routed.index) else {
            break 'answer gateway(GatewayError::InvalidActionNotFound, "Cdn", format, &mut log);
        };
        let product = action.product();
        let identity = {
            let mut nonces = match ctx.nonces.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            authenticate(
                &wire,
                &params,
                |k| ctx.secret(k),
                OffsetDateTime::now_utc(),
                &mut nonces,
            )
        };
        match identity {
            Ok(identity) => log.access_key_id = Some(identity.access_key_id),
            Err(error) => {
                // The claimed id, for the log only (never the signature or its string).
                log.access_key_id = params.get("AccessKeyId").map(|a| shown(a, 64));
                break 'answer gateway(error, product, format, &mut log);
            }
        }
        let to = Addressee {
            id: id.clone(),
            host: host.clone(),
            product,
            format,
        };
        action.prepare(Call {
            ctx,
            params: &params,
            to,
            log: &mut log,
        })
    };
    Prepared::new(started, log, step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn unsigned_request_is_incomplete_signature() {
        let ctx = Context::new(
            vec![("test".into(), "test".into())],
            None,
            Store::open(None).unwrap(),
            crate::log::Log::stderr(),
        );
        let incoming = Incoming {
            method: "GET".into(),
            path: "/".into(),
            query: b"Action=SetDomainServerCertificate&Version=2018-05-10".to_vec(),
            headers: vec![("Host".into(), b"h".to_vec())],
            body: Vec::new(),
        };
        let handled = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(handle(&ctx, &incoming));
        assert_eq!(handled.response.status, 400);
        let body = String::from_utf8(handled.response.body).unwrap();
        assert!(body.contains(r#""Code":"IncompleteSignature""#), "{body}");
        assert!(body.contains(r#""HostId":"h""#), "{body}");
        assert!(body.contains("product=Cdn"), "{body}");
    }

    #[test]
    fn every_action_is_routed_once() {
        let mut seen = std::collections::HashSet::new();
        for action in ACTIONS {
            assert!(
                seen.insert((action.action(), action.version())),
                "{} {} is registered twice",
                action.action(),
                action.version()
            );
        }
    }
}
