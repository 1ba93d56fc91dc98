//! The command line: `verbatim check` and its renderers. A thin view over the engine.
//!
//! (Provisional: a minimal `check --format json` so the engine can be scored while the full
//! command line is built.)

use crate::collate::Analysis;
use crate::config::Config;
use crate::corpus::Corpus;
use crate::document::Document;
use serde_json::json;

/// Runs the command line with the process arguments; returns the exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `verbatim lsp [--stdio]` (minimal dispatch until the full command line lands).
    if args.first().map(String::as_str) == Some("lsp") {
        return match crate::lsp::serve_stdio() {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e:#}");
                1
            }
        };
    }
    if args.first().map(String::as_str) != Some("check") {
        eprintln!("usage: verbatim check [PATH...] --format json");
        return 2;
    }
    let paths: Vec<&String> = args[1..]
        .iter()
        .filter(|a| !a.starts_with("--") && a.as_str() != "json")
        .collect();
    let mut corpus = Corpus::new(Config::default());
    for p in paths {
        let mut files = Vec::new();
        let path = std::path::Path::new(p);
        if path.is_dir() {
            let Ok(entries) = std::fs::read_dir(path) else {
                eprintln!("error: cannot read {p}");
                return 2;
            };
            for e in entries.flatten() {
                let f = e.path();
                if matches!(f.extension().and_then(|x| x.to_str()), Some("txt" | "md")) {
                    files.push(f);
                }
            }
        } else {
            files.push(path.to_path_buf());
        }
        files.sort();
        for f in files {
            match std::fs::read(&f) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    corpus.upsert(Document::parse(f.display().to_string(), text));
                }
                Err(e) => {
                    eprintln!("error: {}: {e}", f.display());
                    return 2;
                }
            }
        }
    }
    let analysis = Analysis::of(&corpus);
    let files: Vec<_> = corpus
        .documents()
        .map(|(id, doc)| {
            let quotes: Vec<_> = doc
                .quotes
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    let info = analysis.quote_info(id, i).cloned().unwrap_or_default();
                    json!({
                        "start": q.span.start, "end": q.span.end, "text": q.span.of(&doc.text),
                        "kind": q.kind, "speaker": q.speaker(),
                        "group": info.group, "status": info.status, "canonical": info.canonical,
                    })
                })
                .collect();
            json!({"path": doc.path, "quotes": quotes})
        })
        .collect();
    println!("{}", json!({"files": files, "diagnostics": []}));
    0
}
