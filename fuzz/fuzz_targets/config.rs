//! Fuzz target `config`: see `checks::config` (fuzz/checks.rs) and fuzz/README.md.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::config(data));
