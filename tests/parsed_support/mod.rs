//! Helpers for tests that run the whole engine on fixture stories of parsed articles
//! (`tests/heldout.rs`, `tests/collation.rs`): loading a story folder, rendering every quote and
//! finding for a snapshot, and finding a quote by its first words.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;
use verbatim::collate::{Analysis, Status};
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::{Document, QuoteKind};
use verbatim::findings::Code;
use verbatim::text::line_index::{Encoding, LineIndex};

/// The articles of `tests/fixtures/<fixtures>/<name>/` (`.txt` and `.md`, README.md left out),
/// parsed with paths `<name>/<file>`, and their analysis with the default configuration.
pub fn story(fixtures: &str, name: &str) -> (Corpus, Analysis) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixtures);
    let mut files: Vec<_> = std::fs::read_dir(root.join(name))
        .expect("story folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .filter(|p| p.file_name().is_some_and(|f| f != "README.md"))
        .collect();
    files.sort();
    let mut corpus = Corpus::new(Config::default());
    for p in files {
        let text = std::fs::read_to_string(&p).expect("fixture is UTF-8");
        let rel = format!("{name}/{}", p.file_name().unwrap().to_string_lossy());
        corpus.upsert(Document::parse(rel, text));
    }
    let analysis = Analysis::of(&corpus);
    (corpus, analysis)
}

/// The text on one line; a no-break space stays visible (a span must not include the spaces
/// French-style guillemets put inside the marks).
fn one_line(s: &str) -> String {
    s.split_ascii_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('\u{a0}', "<nbsp>")
}

/// Every quote (kind, speaker, status, group, text) and every finding of every document.
pub fn render(corpus: &Corpus, a: &Analysis) -> String {
    let mut out = String::new();
    for (id, doc) in corpus.documents() {
        let lines = LineIndex::new(&doc.text);
        writeln!(out, "== {} ({})", doc.path, doc.source_label()).unwrap();
        for (qi, q) in doc.quotes.iter().enumerate() {
            let info = a.quote_info(id, qi);
            let status = info
                .and_then(|i| i.status)
                .map_or("-".to_string(), |s| format!("{s:?}").to_lowercase());
            let group = info.and_then(|i| i.group.clone()).unwrap_or("-".into());
            let kind = match q.kind {
                QuoteKind::Speech => "speech",
                QuoteKind::Mention => "mention",
            };
            writeln!(
                out,
                "  q{qi} {kind} [{}] {status} {group}: “{}”",
                q.speaker().unwrap_or("-"),
                one_line(q.span().of(&doc.text))
            )
            .unwrap();
        }
        for f in a.findings(id) {
            let p = lines.position(&doc.text, f.span.start, Encoding::Chars);
            writeln!(
                out,
                "  {}:{} {}: {}",
                p.line + 1,
                p.col + 1,
                f.code.as_str(),
                f.message
            )
            .unwrap();
            if let Some(fix) = f.fixes.iter().find(|x| x.preferred) {
                writeln!(
                    out,
                    "    fix: {} -> “{}”",
                    fix.title,
                    one_line(&fix.replacement)
                )
                .unwrap();
            }
        }
    }
    out
}

/// The quote of `path` whose text starts with `start`: (index, speaker, status).
pub fn quote(
    corpus: &Corpus,
    a: &Analysis,
    path: &str,
    start: &str,
) -> (usize, Option<String>, Option<Status>) {
    let id = corpus.id_of(path).expect("document");
    let doc = corpus.get(id).unwrap();
    let qi = doc
        .quotes
        .iter()
        .position(|q| {
            let t = q
                .span()
                .of(&doc.text)
                .split_whitespace()
                .collect::<Vec<_>>();
            t.join(" ").starts_with(start)
        })
        .unwrap_or_else(|| panic!("no quote starting {start:?} in {path}"));
    let status = a.quote_info(id, qi).and_then(|i| i.status);
    (qi, doc.quotes[qi].speaker().map(str::to_string), status)
}

pub fn codes_at(corpus: &Corpus, a: &Analysis, path: &str, qi: usize) -> Vec<Code> {
    let id = corpus.id_of(path).unwrap();
    let span = corpus.get(id).unwrap().quotes[qi].span();
    a.findings(id)
        .iter()
        .filter(|f| f.span == span)
        .map(|f| f.code)
        .collect()
}

pub fn all_codes(corpus: &Corpus, a: &Analysis, path: &str) -> Vec<Code> {
    let id = corpus.id_of(path).unwrap();
    a.findings(id).iter().map(|f| f.code).collect()
}
