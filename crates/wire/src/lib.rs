#![doc = include_str!("../README.md")]
//!
//! # How it is built
//!
//! Wire formats of the Alibaba Cloud OpenAPI gateway, as pure functions (the `wire` part of
//! `cert-preflight serve`, a crate of its own so that nothing here can reach a socket, a file
//! or the clock).
//!
//! The pipeline, top to bottom: a [`WireRequest`] (what the socket layer read) → [`Params`]
//! (query merged with a form body) → [`route`] (`Action`/`Version` to a table row) →
//! [`authenticate`] (RPC v1 or V3 signature, timestamp, [`NonceCache`]) → a body written by
//! [`success_json`]/[`success_xml`] or an [`ErrorEnvelope`]; every refusal of this layer is a
//! [`GatewayError`], the one place that holds codes, messages and HTTP statuses.

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

mod auth;
mod body;
mod error;
mod form;
mod nonce;
mod percent;
mod route;
mod rpc;
mod v3;

pub use auth::{
    Identity, SignatureKind, WireRequest, authenticate, content_type_is_form, header_values,
};
pub use body::{ErrorEnvelope, Format, recommend_url, success_json, success_xml};
pub use error::GatewayError;
pub use form::{DecodeError, Param, Params, Source, decode_form};
pub use nonce::NonceCache;
pub use percent::percent_encode;
pub use route::{Routed, requested_action, requested_version, route};
pub use rpc::{rpc_signature, rpc_string_to_sign};
pub use v3::{Acs3Authorization, acs3_canonical_request, acs3_signature, acs3_string_to_sign};
