#![no_main]
//! See `cert_preflight_testkit::targets::private_key`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| cert_preflight_testkit::targets::private_key(data));
