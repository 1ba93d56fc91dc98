//! Fuzz target `parse`: see `checks::parse` (fuzz/checks.rs) and fuzz/README.md.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parse(data));
