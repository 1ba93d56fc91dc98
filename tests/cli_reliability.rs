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

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", text(&out.stdout)))
}

fn checked_paths(report: &serde_json::Value) -> Vec<String> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

fn warning_kinds(report: &serde_json::Value) -> Vec<String> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `check` with a deadline: a FIFO must never make it wait for a writer.
fn run_with_deadline(dir: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("verbatim {args:?} blocked");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_folder_with_more_files_than_max_files_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c", "d", "e"] {
        write(
            dir.path(),
            &format!("{name}.txt"),
            version("Gazette", "We heard you", "\n").as_bytes(),
        );
    }
    write(dir.path(), "verbatim.toml", b"max_files = 3\n");
    let out = run(dir.path(), &["check", "--format", "json", "."]);
    let report = json(&out);
    assert_eq!(checked_paths(&report), ["a.txt", "b.txt", "c.txt"]);
    assert_eq!(warning_kinds(&report), ["too-many-files"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("max_files") && stderr.contains("3"),
        "says how to raise the cap: {stderr}"
    );
}

#[test]
fn a_fifo_named_on_the_command_line_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        version("Gazette", "We heard you", "\n").as_bytes(),
    );
    let made = Command::new("mkfifo")
        .arg(dir.path().join("pipe.txt"))
        .status()
        .unwrap();
    assert!(made.success());
    let out = run_with_deadline(
        dir.path(),
        &["check", "--format", "json", "pipe.txt", "a.txt"],
    );
    let report = json(&out);
    assert_eq!(checked_paths(&report), ["a.txt"]);
    assert_eq!(warning_kinds(&report), ["not-a-file"]);
    assert!(
        text(&out.stderr).contains("pipe.txt: not a regular file"),
        "{}",
        text(&out.stderr)
    );
    assert_ne!(out.status.code(), Some(2), "a skipped FIFO is no I/O error");
    // Inside a folder it is skipped too (without a warning: it is no article).
    let out = run_with_deadline(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(checked_paths(&json(&out)), ["a.txt"]);
}

#[test]
fn file_links_out_of_the_folder_are_not_followed_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    let story = dir.path().join("story");
    write(
        &story,
        "a.txt",
        version("Gazette", "We heard you", "\n").as_bytes(),
    );
    write(
        &story,
        "sub/b.txt",
        version("Tribune", "We heard you", "\n").as_bytes(),
    );
    let secret = write(
        dir.path(),
        "private/notes.txt",
        b"\xe2\x80\x9cSecret,\xe2\x80\x9d she said.\n",
    );
    std::os::unix::fs::symlink(&secret, story.join("outside.txt")).unwrap();
    std::os::unix::fs::symlink(story.join("sub/b.txt"), story.join("inside.txt")).unwrap();
    let out = run(&story, &["check", "--format", "json", "."]);
    let report = json(&out);
    // The link inside the folder is followed (the file it names is one document).
    assert_eq!(checked_paths(&report), ["a.txt", "inside.txt"]);
    assert_eq!(warning_kinds(&report), ["link-outside"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("outside.txt") && stderr.contains("follow_links_outside"),
        "{stderr}"
    );
    write(&story, "verbatim.toml", b"follow_links_outside = true\n");
    let report = json(&run(&story, &["check", "--format", "json", "."]));
    assert_eq!(
        checked_paths(&report),
        ["a.txt", "inside.txt", "outside.txt"]
    );
}

#[test]
fn control_characters_in_file_names_are_escaped_in_the_human_format() {
    let dir = tempfile::tempdir().unwrap();
    let same = "We heard the islanders loud and clear";
    write(
        dir.path(),
        "a.txt",
        version("Gazette", same, "\n").as_bytes(),
    );
    write(
        dir.path(),
        "evil\u{1b}[2J\nname.txt",
        version(
            "Tribune",
            "We heard the islanders very loud and clear",
            "\n",
        )
        .as_bytes(),
    );
    let out = run(dir.path(), &["check", "."]);
    let report = text(&out.stdout);
    assert!(
        !report.contains('\u{1b}'),
        "a raw escape reaches the terminal: {report:?}"
    );
    assert!(
        report.contains("evil\\u{1b}[2J\\nname.txt:5:2:"),
        "{report}"
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_checked_with_a_warning_about_json_paths() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    fs::write(
        dir.path().join(name),
        version("Gazette", "We heard you", "\n"),
    )
    .unwrap();
    let out = run(dir.path(), &["check", "--format", "json", "."]);
    let report = json(&out);
    assert_eq!(checked_paths(&report), ["caf\u{fffd}.txt"]);
    assert_eq!(warning_kinds(&report), ["non-utf8-path"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("not valid UTF-8") && stderr.contains("JSON"),
        "{stderr}"
    );
}

#[test]
fn an_invalid_glob_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.txt",
        version("Gazette", "We heard you", "\n").as_bytes(),
    );
    write(
        dir.path(),
        "verbatim.toml",
        b"# globs\nexclude = [\"drafts/**\",\n  \"notes/[a-\"]\n",
    );
    let out = run(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("verbatim.toml:3:"), "{stderr}");
    assert!(stderr.contains("notes/[a-"), "{stderr}");
}
