#![doc = include_str!("../README.md")]
//!
//! # How it is built
//!
//! The pure parts are [`wire`] (its own crate: query and form decoding, the RPC v1 and V3
//! signatures exactly as the real clients compute them, nonces, routing, the JSON and XML
//! bodies) and [`page`] (the HTML page at `/`). Around them, at the edge, one job per module:
//! `server` (listener, TLS, signals), `http` (HTTP/1.1 framing with the service's limits),
//! `api` (decode, route, authenticate one request), `actions` (one module per cloud API action
//! and their registry), `request` (a request's life: prepared, run, handled), `context` (what
//! the connections share), `writer` (group commit of the requests' changes and log entries),
//! `store` (the SQLite state) and `admin` (the `/_preflight/` endpoints).

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

mod actions;
mod admin;
mod api;
mod config;
mod context;
mod guard;
mod http;
mod log;
pub mod page;
mod request;
mod server;
mod store;
mod writer;
/// The wire format (the `cert-preflight-wire` crate: pure, no I/O).
pub use cert_preflight_wire as wire;

pub use config::{Config, Tls};
pub use server::{Server, StartError, Stopper};
