//! The server on the seed corpus in `../shared/corpus` (real articles, read at run time only,
//! never copied into the repository): for every version opened in the editor, the published
//! diagnostics are the findings `verbatim check --format json` reports for that file, at the same
//! places. Skipped when the seed corpus is absent.

mod lsp_client;

use lsp_client::{LspClient, capabilities, file_uri, offset};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn seed_stories() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&corpus) else {
        return Vec::new();
    };
    let mut stories: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    stories.sort();
    stories
}

/// The byte offset of a 1-based line and character column (the CLI's JSON positions).
fn cli_offset(text: &str, line: u64, column: u64) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line as usize - 1)
        .map(str::len)
        .sum::<usize>();
    let rest = &text[start..];
    start
        + rest
            .char_indices()
            .nth(column as usize - 1)
            .map_or(rest.len(), |(i, _)| i)
}

#[test]
fn the_server_publishes_what_the_cli_reports_for_each_seed_version() {
    let stories = seed_stories();
    if stories.is_empty() {
        eprintln!("skipped: no seed corpus in ../shared/corpus");
        return;
    }
    for story in stories {
        let output = Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(["check", "--format", "json"])
            .arg(&story)
            .output()
            .expect("run verbatim check");
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
        let files: Vec<String> = report["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter_map(|f| f["path"].as_str().map(String::from))
            .collect();
        assert!(!files.is_empty(), "{}", story.display());

        let mut client = LspClient::start();
        client.initialize(&[&story], capabilities(false, false), Value::Null);
        client.wait_indexed();
        let mut total = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).expect("seed file");
            let expected: BTreeSet<(String, usize, usize)> = report["diagnostics"]
                .as_array()
                .expect("diagnostics")
                .iter()
                .filter(|d| d["path"] == path.as_str())
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_string(),
                        cli_offset(
                            &text,
                            d["line"].as_u64().unwrap(),
                            d["column"].as_u64().unwrap(),
                        ),
                        cli_offset(
                            &text,
                            d["end_line"].as_u64().unwrap(),
                            d["end_column"].as_u64().unwrap(),
                        ),
                    )
                })
                .collect();
            let uri = file_uri(Path::new(path));
            client.open(&uri, &text, 1);
            let published: BTreeSet<(String, usize, usize)> = client
                .diagnostics(&uri, 1)
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_string(),
                        offset(&text, &d["range"]["start"], false),
                        offset(&text, &d["range"]["end"], false),
                    )
                })
                .collect();
            assert_eq!(published, expected, "{path}");
            total += published.len();
        }
        eprintln!("{}: {total} diagnostics agree", story.display());
    }
}
