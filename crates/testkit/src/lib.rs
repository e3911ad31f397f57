//! The test kit of cert-preflight, shared by the tests, the benchmarks and the fuzz targets of
//! every crate of the workspace (never published):
//! - [`der`]: the one DER writer (and reader), used by the generator and the fuzz targets;
//! - [`pem`]: base64 and PEM writing (and the strict reading the generator needs);
//! - [`fixtures`]: the generator of `testdata/` (fixed dates, deterministic signatures);
//! - [`common`]: the fixed check time and readers of `testdata/`;
//! - [`leak`]: the key-leak check (no output holds key material), for the fuzz targets and the
//!   tests;
//! - [`blocks`]: the PEM blocks of a parameter, as the library frames them under
//!   `cfg(fuzzing)` and as the test kit reads them otherwise;
//! - [`targets`]: the fuzz target bodies (`fuzz/` calls them; `tests/fuzz_replay.rs` replays
//!   their corpora on stable);
//! - [`endpoint`]: raw HTTP and RPC v1 signing for the tests of the local endpoint;
//! - `bench` (feature `bench`): the benchmarks' entry point.
#![forbid(unsafe_code)]
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[cfg(feature = "bench")]
pub mod bench;
pub mod blocks;
pub mod common;
pub mod der;
pub mod endpoint;
pub mod fixtures;
pub mod leak;
pub mod pem;
pub mod targets;
