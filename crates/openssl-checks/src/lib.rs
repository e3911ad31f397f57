//! Nothing but tests and benchmarks: see `tests/` and `benches/`.
#![forbid(unsafe_code)]
