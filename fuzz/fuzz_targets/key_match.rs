#![no_main]
//! See `cert_preflight_testkit::targets::key_match`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| cert_preflight_testkit::targets::key_match(data));
