//! The cert-preflight command line (placeholder).
fn main() {}
