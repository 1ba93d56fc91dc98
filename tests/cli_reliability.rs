//! `verbatim check` on hostile input (issue 11): files whose lines end with a lone CR, FIFOs
//! and other non-regular files, symbolic links out of the folder, folders too large to index,
//! file names with terminal escapes or bytes that are not UTF-8, invalid globs. Each case
//! gets a clear warning or the right result, never a hang or a raw escape on the terminal.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

/// One version of a short story, its lines ended by `eol`, with its outlet and the quote's
/// wording given.
fn version(source: &str, quote: &str, eol: &str) -> String {
    [
        &format!("Source: {source}"),
        "",
        "The ferry to Fenwick will run on Sundays from June.",
        "",
        &format!("“{quote},” said harbour master Edda Kowal."),
        "",
    ]
    .join(eol)
}

#[test]
fn lines_ended_by_a_lone_cr_give_the_right_lines_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let same = "We heard the islanders loud and clear";
    write(
        dir.path(),
        "a.txt",
        version("Harbour Gazette", same, "\n").as_bytes(),
    );
    write(
        dir.path(),
        "b.txt",
        version(
            "Fenwick Tribune",
            "We heard the islanders very loud and clear",
            "\n",
        )
        .as_bytes(),
    );
    write(
        dir.path(),
        "mac.txt",
        version("Island Post", same, "\r").as_bytes(),
    );
    let out = run(dir.path(), &["check", "."]);
    let report = text(&out.stdout);
    // The quote of the CR-only version is on line 5, and its outlet comes from its Source line.
    assert!(
        report.contains("= mac.txt:5:2: Island Post: “We heard the islanders loud and clear,”"),
        "{report}"
    );
    assert!(!report.contains("mac.txt:1:"), "{report}");
}
