//! Fuzz target `collate`: see `checks::collate` (fuzz/checks.rs) and fuzz/README.md.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::collate(data));
