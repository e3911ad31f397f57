//! The local Alibaba Cloud endpoint of cert-preflight (`cert-preflight serve`).
//!
//! The pure parts are [`wire`] (its own crate) and [`page`]. [`wire`] decodes query strings and form bodies,
//! verifies the RPC v1 (HMAC-SHA1) and V3 (`ACS3-HMAC-SHA256`) signatures exactly as the real
//! clients compute them, remembers nonces, routes `Action`/`Version` pairs and writes the
//! service's JSON and XML bodies, with no sockets, files or clocks; [`page`] renders the HTML
//! page at `/`. Around them, at the edge: `api` answers one request (the library's `validate`
//! on a read snapshot, then the writer's part), `writer` commits the requests' changes and log
//! entries in batches (group commit) and checkpoints, `store` is the SQLite state, `admin` the `/_preflight/`
//! endpoints, `http` the HTTP/1.1 framing with the service's limits, and `server` the command
//! line ([`ServeArgs`], [`run`]), TLS and signals.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Unit tests may unwrap and index; the library itself is checked without `cfg(test)`.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )
)]

mod admin;
mod api;
mod http;
pub mod page;
mod server;
mod store;
mod writer;
/// The wire format (the `cert-preflight-wire` crate: pure, no I/O).
pub use cert_preflight_wire as wire;

pub use server::{ServeArgs, run};
