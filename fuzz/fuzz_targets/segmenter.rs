//! Fuzz target: see `stance_fuzz::segmenter` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stance_fuzz::segmenter(data));
