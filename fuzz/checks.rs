//! The checks behind the fuzz targets, one function per target, each taking the fuzzer's
//! bytes and panicking on a finding. Shared by the targets (`fuzz_targets/*.rs`, one line
//! each) and by `tests/fuzz_regressions.rs`, which runs every input in `fuzz/regressions/`
//! and `fuzz/seeds/` through them on stable Rust, so every crash found stays fixed.
#![allow(dead_code)] // each user takes the check it needs

use verbatim::collate::Analysis;
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::{Document, Span};
use verbatim::findings::{Code, Severity};
use verbatim::lsp::framing::{Deframer, Frame};
use verbatim::text::line_index::{Encoding, LineIndex};
use verbatim::workspace::ArticleFilter;

fn check_span(text: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what} {s:?} out of bounds"
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what} {s:?} not on char boundaries"
    );
}

/// Document parsing from arbitrary bytes: decoded as `check` decodes a file (lossy UTF-8), then
/// parsed. Nothing may panic, and every span the extractor reports lies in the text, on char
/// boundaries, in order and without overlap; line positions round-trip.
pub fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let doc = Document::parse("fuzz.md", text.clone());
    assert_eq!(doc.text, text);
    assert!(doc.meta.body_start <= text.len());
    let mut last = 0;
    for q in &doc.quotes {
        check_span(&text, q.open(), "open mark");
        check_span(&text, q.span(), "quote");
        assert!(
            q.open().end <= q.span().start && q.open().start >= last,
            "quotes out of order"
        );
        last = q.span().end;
        if let Some(close) = q.close() {
            check_span(&text, close, "close mark");
            assert!(close.start >= q.span().end);
            last = close.end;
        }
        if let Some(name) = q.attribution.as_ref().and_then(|a| a.name_span()) {
            check_span(&text, name, "speaker name");
        }
    }
    for n in &doc.names {
        check_span(&text, n.span(), "name");
    }
    let lines = LineIndex::new(&text);
    for q in &doc.quotes {
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            let pos = lines.position(&text, q.span().start, enc);
            assert_eq!(
                lines.offset(&text, pos, enc),
                Some(q.span().start),
                "{enc:?}"
            );
        }
    }
}

const TOKENS: &[&str] = &[
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    "'",
    "«",
    "»",
    ",",
    ".",
    " said ",
    " told reporters",
    " according to ",
    "Mayor Ingrid Solvang",
    "Solvang",
    "she",
    "Tomas Brandt",
    "Brandt",
    "he",
    "the harbour",
    "the harbor",
    "bridge",
    "will",
    "not",
    "never",
    "again",
    "café",
    "cafe\u{301}",
    "don’t",
    "do not",
    "cables",
    "steel",
    "lost",
    "models",
    "allowed",
    "for",
    "council",
    "Source: Coastal Press\n",
    "---\nsource: Post\n---\n",
    "<!-- verbatim: ignore -->\n",
    "# ",
    "> ",
    "— ",
    "…",
];

/// Collation of small arbitrary corpora: the input picks up to five documents, each a sequence
/// of tokens from a vocabulary made to form quotes, speakers, names and line breaks (so that
/// documents share quotes and stories), with raw bytes mixed in. Nothing may panic, every
/// finding's span lies in its document, and building the analysis document by document with
/// `Analysis::update` gives the findings `Analysis::of` gives.
pub fn collate(data: &[u8]) {
    let mut docs: Vec<String> = vec![String::new()];
    let mut bytes = data.iter();
    while let Some(&b) = bytes.next() {
        match b {
            0xFF if docs.len() < 5 => docs.push(String::new()),
            0xFE => {
                if let Some(&raw) = bytes.next() {
                    docs.last_mut().unwrap().push(char::from(raw));
                }
            }
            _ => docs
                .last_mut()
                .unwrap()
                .push_str(TOKENS[usize::from(b) % TOKENS.len()]),
        }
    }
    let mut corpus = Corpus::new(Config::default());
    for (i, text) in docs.iter().enumerate() {
        corpus.upsert(Document::parse(format!("v{i}.md"), text.clone()));
    }
    let whole = Analysis::of(&corpus);
    let mut step = Corpus::new(Config::default());
    let mut incremental = Analysis::new(Config::default().stories);
    for (i, text) in docs.iter().enumerate() {
        let id = step.upsert(Document::parse(format!("v{i}.md"), text.clone()));
        incremental.update(&step, &[id]);
    }
    for (id, doc) in corpus.documents() {
        for f in whole.findings(id) {
            assert!(f.span.end <= doc.text.len() && f.span.start <= f.span.end);
            assert!(
                doc.text.is_char_boundary(f.span.start) && doc.text.is_char_boundary(f.span.end)
            );
        }
        let other = step.id_of(&doc.path).expect("same paths");
        assert_eq!(
            whole.findings(id),
            incremental.findings(other),
            "{}",
            doc.path
        );
    }
}

fn frames_of(chunks: &[&[u8]]) -> (Vec<Frame>, bool) {
    let mut d = Deframer::default();
    let mut frames = Vec::new();
    for chunk in chunks {
        d.push(chunk);
        while let Some(f) = d.next_frame() {
            frames.push(f);
        }
    }
    (frames, d.finish().is_ok())
}

/// The language server's message stream: arbitrary bytes, cut into chunks at arbitrary places,
/// through the framing layer. Nothing may panic; every message handed on to tower-lsp is JSON;
/// every rejection is a JSON-RPC error with a code of -32700 or -32600; and the frames do not
/// depend on where the stream was cut (the same bytes whole and in chunks give the same frames
/// and the same end).
pub fn framing(data: &[u8]) {
    let Some((&cut, bytes)) = data.split_first() else {
        return;
    };
    let whole = frames_of(&[bytes]);
    let step = usize::from(cut).max(1);
    let pieces: Vec<&[u8]> = bytes.chunks(step).collect();
    let chunked = frames_of(&pieces);
    assert_eq!(whole, chunked, "frames depend on how the stream is cut");
    for frame in &whole.0 {
        match frame {
            Frame::Message { body, .. } => {
                serde_json::from_str::<serde_json::Value>(body)
                    .expect("a message handed on is JSON");
            }
            Frame::Rejected(r) => {
                assert!(r.code == -32700 || r.code == -32600, "{r:?}");
                let response = r.response();
                assert_eq!(response["error"]["code"], r.code);
            }
        }
    }
}

/// Configuration parsing: any text given as `verbatim.toml` either parses (unknown keys and
/// values as warnings) or fails with an error that has a position inside the text; globs that
/// parsed compile or fail without panicking; severities resolve for every code.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::parse(text) {
        Ok(parsed) => {
            if let Ok(filter) = ArticleFilter::new(&parsed.config) {
                filter.matches(std::path::Path::new("a/b.md"));
            }
            for code in Code::ALL {
                parsed.config.severity_of(code, Severity::Warning);
            }
        }
        Err(e) => {
            // Lines as an editor counts them (`\n`, `\r\n` or a lone `\r`), the way the
            // error's position is computed; a lone `\r` is not a TOML line break, but the
            // position is shown in an editor, so it must count there.
            let lines = verbatim::text::line_index::LineIndex::new(text).line_count() as u32;
            if let Some(line) = e.line {
                assert!(line >= 1 && line <= lines + 1, "line {line} of {lines}");
            }
            assert!(!e.message.is_empty());
        }
    }
}
