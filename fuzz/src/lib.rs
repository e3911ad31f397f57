//! The fuzz targets of cert-preflight. Their bodies are in `targets.rs`, which
//! `tests/fuzz_replay.rs` in the main crate includes too, so every corpus and regression file is
//! replayed on stable through the same code.

mod targets;

pub use targets::*;
