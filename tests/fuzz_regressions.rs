//! Every input the fuzzers ever failed on (`fuzz/regressions/<target>/`), and their seeds
//! (`fuzz/seeds/<target>/`), run through the fuzz targets' own checks (`fuzz/checks.rs`) on
//! stable Rust: a crash found once stays fixed. fuzz/README.md says how an input gets here.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            out.push((
                format!("{dir}/{target}/{name}"),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    out.sort();
    out
}

fn run(target: &str, check: fn(&[u8])) {
    for (name, bytes) in inputs(target) {
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        assert!(outcome.is_ok(), "fuzz input {name} fails again");
    }
}

#[test]
fn parse_inputs() {
    run("parse", checks::parse);
}

#[test]
fn collate_inputs() {
    run("collate", checks::collate);
}

#[test]
fn framing_inputs() {
    run("framing", checks::framing);
    assert!(!inputs("framing").is_empty(), "the framing seeds are read");
}

#[test]
fn config_inputs() {
    run("config", checks::config);
}
