//! The progress bar of `check` and `report`: nothing on stderr when the output is piped (as
//! here, and in CI), whatever the format; on a terminal (a pseudo-terminal from util-linux's
//! `script`, when it is installed) the bar shows for the human report and the page, never for
//! JSON, SARIF or GitHub output, and is cleared before the report. The corpus is the benchmark's
//! generator's (benches/generator), written to a temporary folder; the bar's delay is set to 0 so
//! that the result does not depend on the machine's speed.

#[path = "../benches/generator/mod.rs"]
#[allow(dead_code)]
mod generator;

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for article in generator::generate(11, 200) {
        let path = dir.path().join(&article.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, article.text).unwrap();
    }
    dir
}

fn verbatim(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("VERBATIM_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap()
}

/// The bar's step while it reads (the report itself says "canonical reading").
const READING: &str = "reading    [";

/// Signs of a progress bar: its step names, a carriage return, an escape sequence.
fn has_progress(s: &str) -> bool {
    s.contains(READING) || s.contains("collating") || s.contains('\r') || s.contains('\x1b')
}

#[test]
fn nothing_on_stderr_when_piped() {
    let dir = corpus();
    for args in [
        &["check"][..],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["check", "--format", "github"],
        &["report", "-o", "page.html"],
    ] {
        let out = verbatim(dir.path(), args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr:?}");
    }
}

/// Runs `verbatim ARGS` in `dir` on a pseudo-terminal (stdout and stderr both on it); `None`
/// when `script` is not installed.
fn on_a_terminal(dir: &Path, args: &str) -> Option<String> {
    let out = Command::new("script")
        .args(["-qec", &format!("{BIN} {args}"), "/dev/null"])
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("VERBATIM_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_bar_on_a_terminal_for_people_never_for_tools() {
    let dir = corpus();
    let Some(human) = on_a_terminal(dir.path(), "check") else {
        eprintln!("SKIPPED: no `script` (util-linux) to run on a pseudo-terminal");
        return;
    };
    assert!(
        human.contains(READING),
        "{}",
        &human[..human.len().min(2000)]
    );
    assert!(human.contains("collating 200 articles"));
    // Cleared before the report: nothing of the bar after the report's first line.
    let report_start = human.find("warning[").expect("the report");
    assert!(!human[report_start..].contains(READING));
    assert!(!human[report_start..].contains("collating"));
    let page = on_a_terminal(dir.path(), "report -o page.html").unwrap();
    assert!(page.contains("collating 200 articles"));
    for format in ["json", "sarif", "github"] {
        let out = on_a_terminal(dir.path(), &format!("check --format {format}")).unwrap();
        assert!(
            !has_progress(&out.replace("\r\n", "\n")),
            "--format {format}: {}",
            &out[..out.len().min(500)]
        );
    }
}
