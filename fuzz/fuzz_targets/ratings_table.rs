//! Fuzz target: see `stance_fuzz::ratings_table` for the property checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stance_fuzz::ratings_table(data));
