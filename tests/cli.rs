//! The command line as a user meets it: the real `verbatim` binary, run on folders built in each
//! test (and on the example stories), checked for exit codes, stdout/stderr and the JSON contract.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use verbatim::findings::Code;

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

/// A short fictional article with one attributed quote.
const ARTICLE: &str = "Source: Fenwick Tribune\n\nThe ferry will run on Sundays from June.\n\n\
“We heard the islanders loud and clear,” said harbour master Edda Kowal.\n";

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(out)))
}

fn paths(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .expect("files array")
        .iter()
        .map(|f| f["path"].as_str().expect("path string").to_string())
        .collect()
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path
}

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------- exit codes

#[test]
fn a_single_version_has_nothing_to_differ_from_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "only.txt", ARTICLE.as_bytes());
    let out = run(dir.path(), &["check", "only.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("No findings"), "{}", stdout(&out));
}

#[test]
fn the_exit_code_says_whether_a_warning_was_found() {
    // Holds before and after collation lands: 1 exactly when the report has a finding at
    // warning level or above.
    for story in ["examples/harbour-bridge", "examples/school-board"] {
        let out = run(&crate_root(), &["check", "--format", "json", story]);
        let report = json(&out);
        let warns = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| matches!(d["severity"].as_str(), Some("error" | "warning")));
        assert_eq!(
            out.status.code(),
            Some(if warns { 1 } else { 0 }),
            "{story}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["check", "--bogus"][..],
        &["check", "--format", "yaml"],
        &["check", "--max-file-size", "lots"],
        &["frobnicate"],
        &[],
    ] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: usage goes to stderr");
    }
    let out = run(dir.path(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("check"));
}

#[test]
fn a_missing_path_is_reported_exits_2_and_the_other_files_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "here.txt", ARTICLE.as_bytes());
    let out = run(
        dir.path(),
        &["check", "--format", "json", "here.txt", "gone.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("gone.txt"), "{}", stderr(&out));
    assert!(stderr(&out).contains("error"), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(paths(&report), ["here.txt"]);
    let warnings = report["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w["path"] == "gone.txt"));
}

#[test]
fn an_unreadable_file_is_reported_and_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.txt", ARTICLE.as_bytes());
    let locked = write(dir.path(), "locked.txt", ARTICLE.as_bytes());
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_err() {
        let out = run(dir.path(), &["check", "--format", "json"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("locked.txt"), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("permission denied"),
            "{}",
            stderr(&out)
        );
        assert_eq!(paths(&json(&out)), ["ok.txt"]);
    }
    // Root reads a mode-000 file; nobody reads /proc/self/mem from its start (EIO).
    let mem = Path::new("/proc/self/mem");
    if mem.exists() {
        let out = run(
            dir.path(),
            &["check", "--format", "json", "ok.txt", "/proc/self/mem"],
        );
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("error: /proc/self/mem: cannot read"),
            "{}",
            stderr(&out)
        );
        assert_eq!(paths(&json(&out)), ["ok.txt"]);
    }
}

// ---------------------------------------------------------------- the JSON contract

#[test]
fn json_has_the_contract_shape_and_offsets_index_the_file() {
    let out = run(
        &crate_root(),
        &["check", "--format", "json", "examples/harbour-bridge"],
    );
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        paths(&report),
        [
            "examples/harbour-bridge/draft.md",
            "examples/harbour-bridge/rewrite.txt",
            "examples/harbour-bridge/translation.txt",
            "examples/harbour-bridge/wire.md",
        ]
    );
    for file in report["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let bytes = fs::read(crate_root().join(path)).unwrap();
        for q in file["quotes"].as_array().expect("quotes array") {
            let (start, end) = (
                q["start"].as_u64().unwrap() as usize,
                q["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &bytes[start..end],
                q["text"].as_str().unwrap().as_bytes(),
                "{path} {start}..{end}"
            );
            assert!(matches!(q["kind"].as_str(), Some("speech" | "mention")));
            for key in ["speaker", "group", "status", "canonical"] {
                assert!(
                    q[key].is_null() || q[key].is_string(),
                    "{path}: {key} = {}",
                    q[key]
                );
            }
        }
    }
    for d in report["diagnostics"].as_array().expect("diagnostics array") {
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key}: {d}");
        }
        assert!(Code::parse(d["code"].as_str().unwrap()).is_some(), "{d}");
        assert!(d["fix"].is_null() || d["fix"].is_string());
        assert!(d["message"].is_string() && d["severity"].is_string());
    }
    assert!(report["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn json_stdout_is_only_the_report() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", b"ok \xff\n");
    let out = run(dir.path(), &["check", "--format", "json"]);
    // Warnings went to stderr; stdout parses as one JSON object.
    assert!(stderr(&out).contains("warning"));
    assert!(json(&out).is_object());
}

// ---------------------------------------------------------------- the CI formats

/// `--format github` on an example story: stdout is only workflow commands, one a line, at the
/// lines the human report names, with the same exit code; warnings of unreadable input are
/// annotations too.
#[test]
fn github_annotations_on_an_example_story() {
    let out = run(
        &crate_root(),
        &["check", "--format", "github", "examples/harbour-bridge"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.lines().all(|l| l.starts_with("::warning ")
        || l.starts_with("::notice ")
        || l.starts_with("::error ")));
    // The translation's misquote spans two lines: lines only. The name is on one: columns too.
    assert!(text.contains(
        "::warning file=examples/harbour-bridge/translation.txt,line=15,endLine=16,title=quote-differs (Verbatim)::differs from 3 of 4 versions: "
    ), "{text}");
    assert!(text.contains(
        "::warning file=examples/harbour-bridge/translation.txt,line=14,col=50,endLine=14,endColumn=75,title=name-differs (Verbatim)::"
    ), "{text}");
    // The unattributed quote is an info: a notice. Hints need --hints.
    assert!(text.contains("::notice file=examples/harbour-bridge/rewrite.txt,line=24,"));
    assert!(!text.contains("quote-unmatched"));

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let out = run(
        dir.path(),
        &["check", "--format", "github", "a.txt", "missing.txt"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stdout(&out).starts_with("::error file=missing.txt,title=Verbatim::"),
        "{}",
        stdout(&out)
    );
}

/// `--format sarif` is one SARIF log on stdout whatever else happens (warnings on stderr).
#[test]
fn sarif_stdout_is_only_the_log() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.txt", b"ok \xff\n");
    let out = run(dir.path(), &["check", "--format", "sarif"]);
    assert!(stderr(&out).contains("warning"));
    let log = json(&out);
    assert_eq!(log["version"], "2.1.0");
    let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert_eq!(notes[0]["descriptor"]["id"], "invalid-utf8", "{log}");
}

// ---------------------------------------------------------------- walking

#[test]
fn walking_honours_gitignore_globs_and_sorts_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "b.txt", ARTICLE.as_bytes());
    write(root, "a.md", ARTICLE.as_bytes());
    write(root, "gold.json", b"{\"not\": \"an article\"}");
    write(root, "notes.rst", ARTICLE.as_bytes());
    write(root, "sub/c.txt", ARTICLE.as_bytes());
    write(root, "old/ignored.txt", ARTICLE.as_bytes());
    write(root, ".cache/hidden.txt", ARTICLE.as_bytes());
    write(root, ".gitignore", b"old/\n");
    // No PATH: the current directory.
    let out = run(root, &["check", "--format", "json"]);
    assert_eq!(
        paths(&json(&out)),
        ["a.md", "b.txt", "sub/c.txt"],
        "{}",
        stderr(&out)
    );
    // A folder given: paths as given, relative to the current directory.
    let out = run(root, &["check", "--format", "json", "sub"]);
    assert_eq!(paths(&json(&out)), ["sub/c.txt"]);
    // A file reached twice, by two spellings, is one document.
    let out = run(
        root,
        &["check", "--format", "json", "sub", "./sub/c.txt", "b.txt"],
    );
    assert_eq!(paths(&json(&out)), ["b.txt", "sub/c.txt"]);
    // A file given explicitly is checked even when the globs would not pick it.
    let out = run(root, &["check", "--format", "json", "notes.rst"]);
    assert_eq!(paths(&json(&out)), ["notes.rst"]);
}

#[test]
fn a_folder_without_articles_is_warned_about_but_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data/gold.json", b"{}");
    let out = run(dir.path(), &["check", "data"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning: no article files in data"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("(0 files checked)"));
}

#[test]
fn include_and_exclude_globs_come_from_verbatim_toml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "verbatim.toml",
        b"include = [\"**/*.txt\", \"**/*.rst\"]\nexclude = [\"drafts/**\"]\n",
    );
    write(root, "a.md", ARTICLE.as_bytes());
    write(root, "b.rst", ARTICLE.as_bytes());
    write(root, "c.txt", ARTICLE.as_bytes());
    write(root, "drafts/d.txt", ARTICLE.as_bytes());
    let out = run(root, &["check", "--format", "json", "."]);
    assert_eq!(paths(&json(&out)), ["b.rst", "c.txt"], "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn the_nearest_ancestor_config_applies_and_config_flag_overrides_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "verbatim.toml", b"max_file_size = 10\n");
    write(root, "story/a.txt", ARTICLE.as_bytes());
    write(root, "other.toml", b"max_file_size = 100000\n");
    let out = run(root, &["check", "--format", "json", "story"]);
    assert!(
        paths(&json(&out)).is_empty(),
        "the ancestor's limit skips a.txt"
    );
    assert!(stderr(&out).contains("story/a.txt"), "{}", stderr(&out));
    let out = run(
        root,
        &[
            "check",
            "--format",
            "json",
            "--config",
            "other.toml",
            "story",
        ],
    );
    assert_eq!(paths(&json(&out)), ["story/a.txt"], "{}", stderr(&out));
}

// ---------------------------------------------------------------- bad input

#[test]
fn invalid_utf8_is_decoded_lossily_with_a_warning_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = ARTICLE.as_bytes().to_vec();
    bytes.extend_from_slice(b"\nCaf\xe9 owners agreed.\n");
    write(dir.path(), "latin1.txt", &bytes);
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "a repaired file is no error");
    let err = stderr(&out);
    assert!(
        err.contains("warning: latin1.txt: invalid UTF-8"),
        "stderr: {err}"
    );
    let report = json(&out);
    assert_eq!(paths(&report), ["latin1.txt"], "the file is still checked");
    assert_eq!(report["warnings"][0]["kind"], "invalid-utf8");
}

#[test]
fn a_file_with_nul_bytes_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.txt", ARTICLE.as_bytes());
    write(dir.path(), "binary.txt", b"PK\x03\x04\0\0\0junk");
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("warning: binary.txt: contains a NUL byte"),
        "{}",
        stderr(&out)
    );
    assert_eq!(paths(&json(&out)), ["good.txt"]);
}

#[test]
fn files_over_the_size_limit_are_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "small.txt", b"A short note.\n");
    write(dir.path(), "long.txt", ARTICLE.as_bytes());
    let limit = ARTICLE.len() - 1;
    let out = run(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            &limit.to_string(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("long.txt") && stderr(&out).contains("size limit"),
        "{}",
        stderr(&out)
    );
    assert_eq!(paths(&json(&out)), ["small.txt"]);
    // The default (5 MB) keeps both.
    let out = run(dir.path(), &["check", "--format", "json"]);
    assert_eq!(paths(&json(&out)), ["long.txt", "small.txt"]);
}

#[test]
fn unknown_config_keys_are_warned_about_not_ignored() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "verbatim.toml",
        b"max_filesize = 10\n[severity]\nquote-differs = \"error\"\n",
    );
    write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(err.contains("verbatim.toml"), "{err}");
    assert!(err.contains("unknown key `max_filesize`"), "{err}");
}

#[test]
fn a_malformed_config_is_an_error_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "verbatim.toml",
        b"include = [\"**/*.txt\"]\nstories = folder\n",
    );
    write(dir.path(), "a.txt", ARTICLE.as_bytes());
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("verbatim.toml"), "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(out.stdout.is_empty());

    write(dir.path(), "verbatim.toml", b"max_file_size = \"big\"\n");
    let out = run(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- human format

#[test]
fn the_human_report_is_plain_when_piped_and_ends_with_a_summary() {
    let out = run(&crate_root(), &["check", "examples/school-board"]);
    let text = stdout(&out);
    assert!(
        !text.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let summary = text.lines().last().unwrap_or_default();
    assert!(summary.contains("(3 files checked)"), "{text}");
    assert!(
        summary.starts_with("No findings") || summary.contains("finding"),
        "{summary}"
    );
}

// ---------------------------------------------------------------- explain, lsp

#[test]
fn explain_prints_every_codes_explanation() {
    let dir = tempfile::tempdir().unwrap();
    for code in Code::ALL {
        let out = run(dir.path(), &["explain", code.as_str()]);
        assert_eq!(out.status.code(), Some(0), "{code}");
        assert_eq!(stdout(&out).trim_end(), code.explanation().trim_end());
    }
    let out = run(dir.path(), &["explain"]);
    assert_eq!(out.status.code(), Some(0));
    for code in Code::ALL {
        assert!(stdout(&out).contains(code.as_str()));
    }
}

#[test]
fn explaining_an_unknown_code_lists_the_known_ones_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["explain", "quote-different"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown code `quote-different`"), "{err}");
    for code in Code::ALL {
        assert!(err.contains(code.as_str()), "{err}");
    }
}

#[test]
fn the_lsp_subcommand_accepts_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["lsp", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("--stdio"));
}

// ---------------------------------------------------------------- the example stories

/// The human report on each example story, as a reader sees it: every planted difference
/// (examples/README.md) is reported once, each other version's reading names its source once.
#[test]
fn human_report_on_the_example_stories() {
    for story in ["harbour-bridge", "school-board"] {
        let out = run(
            &crate_root(),
            &["check", "--no-color", &format!("examples/{story}")],
        );
        assert_eq!(out.status.code(), Some(1), "{story}: {}", stderr(&out));
        let text = stdout(&out);
        for line in text
            .lines()
            .filter(|l| l.trim_start().starts_with("= examples/"))
        {
            let (location, detail) = line.split_once(": ").expect("location: detail");
            if let Some(source) = location
                .split_once(" (")
                .map(|(_, s)| s.trim_end_matches(')'))
            {
                assert!(!detail.starts_with(source), "source named twice: {line}");
            }
        }
        insta::assert_snapshot!(story, text);
    }
}

/// Three versions of a fictional story; two give the skipper's full name, one only a misspelled
/// family name ("“…,” Brantd said"). That is one person spelled two ways: a `name-differs`
/// finding on "Brantd" (counting the versions that name him in full), not a `speaker-differs`.
#[test]
fn a_family_name_misspelled_alone_is_the_person_spelled_two_ways() {
    let dir = tempfile::tempdir().unwrap();
    let body = |name: &str| {
        format!(
            "Harlow race ends after eleven days\n\n\
             HARLOW — The first boat reached the harbour wall on Sunday after eleven days at \
             sea, with the town out on the quay.\n\n\
             “The last night was the hardest I have sailed,” {name} said on the dock.\n\n\
             The organisers will hold the prize-giving on Tuesday.\n"
        )
    };
    write(dir.path(), "wire.txt", body("Tobias Brandt").as_bytes());
    write(dir.path(), "rewrite.txt", body("Tobias Brandt").as_bytes());
    write(dir.path(), "draft.txt", body("Brantd").as_bytes());
    let out = run(dir.path(), &["check", "--format", "json", "."]);
    let report = json(&out);
    let codes: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(codes[0].0.ends_with("draft.txt"), "{codes:?}");
    assert_eq!(codes[0].1, "name-differs", "{codes:?}");
    let d = &report["diagnostics"][0];
    assert_eq!(
        d["message"].as_str().unwrap(),
        "“Brantd” is spelled “Brandt” in 2 other versions"
    );
}

/// Three versions of a fictional story; one writes the mayor's name with an `s` added ("Brandts
/// said"). The speaker is still the mayor, and the spelling is a `name-differs` finding there
/// only; "the Brandts" (the family) elsewhere would be no misspelling.
#[test]
fn a_surname_with_an_s_added_is_the_person_misspelled() {
    let dir = tempfile::tempdir().unwrap();
    let body = |name: &str| {
        format!(
            "Harwick keeps its night ferry\n\n\
             HARWICK — Mayor Tobias Brandt said on Tuesday the night ferry would keep running \
             through the winter despite the cost of fuel.\n\n\
             “We have had a lot of deadlines, but if things are working well you extend them,” \
             {name} said in an interview with the Harwick Courier.\n\n\
             The council will vote on the timetable next month, after a public hearing.\n"
        )
    };
    write(dir.path(), "courier.txt", body("Brandt").as_bytes());
    write(dir.path(), "wire.txt", body("Brandt").as_bytes());
    write(dir.path(), "digest.txt", body("Brandts").as_bytes());
    let out = run(dir.path(), &["check", "--format", "json", "."]);
    let report = json(&out);
    let digest = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("digest.txt"))
        })
        .expect("digest.txt is reported");
    let speakers: Vec<&str> = digest["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["speaker"].as_str())
        .collect();
    assert_eq!(speakers, ["Tobias Brandt"], "{digest}");
    let names: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "name-differs")
        .collect();
    assert_eq!(names.len(), 1, "{names:#?}");
    assert!(names[0]["path"].as_str().unwrap().ends_with("digest.txt"));
    assert!(
        names[0]["message"].as_str().unwrap().contains("“Brandt”"),
        "{names:#?}"
    );
}
