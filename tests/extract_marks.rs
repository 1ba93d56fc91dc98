//! Snapshot tests of the quote-mark scanner: one fixture article per trap under
//! `tests/fixtures/marks/`, each rendered as its metadata, its paragraphs and the quoted spans
//! found (text, byte range, closed or not, multi-paragraph link).

use std::fmt::Write as _;
use std::path::Path;

use verbatim::document::Document;
use verbatim::extract::{marks, meta};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/marks");

fn excerpt(s: &str, max: usize) -> String {
    let one_line = s.replace('\n', "⏎");
    if one_line.chars().count() <= max {
        one_line
    } else {
        one_line.chars().take(max).collect::<String>() + "…"
    }
}

/// Renders what the scanner finds in `name`, checking the invariants every result keeps.
fn render(name: &str) -> String {
    let path = Path::new(FIXTURES).join(name);
    let text = std::fs::read_to_string(&path).expect("fixture is readable");
    let meta = meta::read(name, &text);
    let paras = marks::paragraphs(&text, meta.body_start);
    let spans = marks::scan(&text, meta.body_start);

    let mut out = String::new();
    writeln!(
        out,
        "source: {:?}, date: {:?}, body_start: {}",
        meta.source, meta.date, meta.body_start
    )
    .unwrap();
    writeln!(out, "paragraphs:").unwrap();
    for (i, p) in paras.iter().enumerate() {
        writeln!(
            out,
            "  ¶{i} {}..{} {}",
            p.start,
            p.end,
            excerpt(p.of(&text), 48)
        )
        .unwrap();
    }
    writeln!(out, "quotes:").unwrap();
    for (i, m) in spans.iter().enumerate() {
        let para = paras
            .iter()
            .position(|p| *p == m.paragraph)
            .expect("a quote's paragraph is one of the paragraphs");
        assert!(m.paragraph.start <= m.open.start && m.span.end <= m.paragraph.end);
        assert_eq!(m.open.end, m.span.start);
        if let Some(close) = m.close {
            assert_eq!(close.start, m.span.end);
        }
        let closing = match m.close {
            Some(c) => format!("closed by {}", c.of(&text)),
            None => "unclosed".to_owned(),
        };
        let continues = m
            .continues
            .map(|first| format!(", continues #{first}"))
            .unwrap_or_default();
        writeln!(
            out,
            "  #{i} ¶{para} {}..{} opened by {}, {closing}{continues}: {}",
            m.span.start,
            m.span.end,
            m.open.of(&text),
            excerpt(m.span.of(&text), 200)
        )
        .unwrap();
    }
    // The same spans come out of a full parse, whatever attribution makes of them.
    let doc = Document::parse(name, text.clone());
    let parsed: Vec<_> = doc.quotes.iter().map(|q| q.span()).collect();
    let scanned: Vec<_> = spans.iter().map(|m| m.span).collect();
    assert_eq!(parsed, scanned, "Document::parse keeps the scanner's spans");
    out
}

macro_rules! fixture {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(stringify!($test), render($file));
        }
    };
}

fixture!(curly_double, "curly_double.txt");
fixture!(straight_double, "straight_double.txt");
fixture!(curly_single, "curly_single.txt");
fixture!(straight_single, "straight_single.txt");
fixture!(guillemets, "guillemets.txt");
fixture!(low_nine, "low_nine.txt");
fixture!(mixed_pairs, "mixed_pairs.txt");
fixture!(doubled_apostrophes, "doubled_apostrophes.txt");
fixture!(html_entities, "html_entities.txt");
fixture!(apostrophes, "apostrophes.txt");
fixture!(nested, "nested.txt");
fixture!(multi_paragraph, "multi_paragraph.txt");
fixture!(multi_paragraph_lines, "multi_paragraph_lines.txt");
fixture!(unbalanced, "unbalanced.txt");
fixture!(hard_wrapped, "hard_wrapped.md");
fixture!(one_paragraph_per_line, "one_paragraph_per_line.txt");
fixture!(front_matter, "front_matter.md");
fixture!(html_comment, "html_comment.md");
fixture!(markdown_structure, "markdown_structure.md");
fixture!(empty_quotes, "empty_quotes.txt");

/// Every fixture has a snapshot test above: a new trap cannot be added and forgotten.
#[test]
fn every_fixture_is_tested() {
    let source = include_str!("extract_marks.rs");
    for entry in std::fs::read_dir(FIXTURES).expect("fixtures folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            source.contains(&format!("\"{name}\")")),
            "fixture {name} has no test"
        );
    }
}
