#![no_main]
//! See `cert_preflight_fuzz::key_match`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| cert_preflight_fuzz::key_match(data));
