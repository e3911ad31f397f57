#![no_main]
//! See `cert_preflight_testkit::targets::wire`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| cert_preflight_testkit::targets::wire(data));
