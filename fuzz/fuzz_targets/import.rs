#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tablewright_fuzz::import_any(data));
