//! What every benchmark shares: reading `testdata/` and the entry point.

use criterion::Criterion;

/// The bytes of `testdata/<relative>`.
pub fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(crate::fixtures::testdata_dir().join(relative)).unwrap()
}

/// Runs `benches` and criterion's summary, only under `cargo bench` (which passes `--bench`):
/// `cargo test` also builds and starts every bench target marked `test = true`, so it never
/// rots, and then it returns at once.
pub fn main(benches: fn()) {
    if !std::env::args().any(|arg| arg == "--bench") {
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
