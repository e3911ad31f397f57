//! cert-preflight (skeleton).
#![forbid(unsafe_code)]
