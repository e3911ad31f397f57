//! The local Alibaba Cloud endpoint of cert-preflight (`cert-preflight serve`).
//!
//! This crate holds, for now, only the pure wire-format part of the server: [`wire`] decodes
//! query strings and form bodies, verifies the RPC v1 (HMAC-SHA1) and V3
//! (`ACS3-HMAC-SHA256`) signatures exactly as the real clients compute them, remembers
//! nonces, routes `Action`/`Version` pairs and writes the service's JSON and XML bodies. No
//! sockets, files or clocks: time comes in as an argument.

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

pub mod page;
pub mod wire;
