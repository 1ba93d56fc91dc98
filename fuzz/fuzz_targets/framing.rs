//! Fuzz target `framing`: see `checks::framing` (fuzz/checks.rs) and fuzz/README.md.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::framing(data));
