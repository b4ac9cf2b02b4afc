#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tablewright_fuzz::export_roundtrip(data));
