#![no_main]
//! See `cert_preflight_testkit::targets::certificate`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| cert_preflight_testkit::targets::certificate(data));
