#![no_main]
//! See `cert_preflight_fuzz::private_key`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| cert_preflight_fuzz::private_key(data));
