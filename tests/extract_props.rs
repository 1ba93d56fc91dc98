//! Property tests: the extractor takes any text without panicking, and every span it reports is
//! in bounds, on char boundaries, sorted and non-overlapping (the marks included).

use proptest::prelude::*;
use verbatim::document::{Document, Span};
use verbatim::extract::marks;

/// Pieces that exercise the scanner: every mark, apostrophes in and around words, entity
/// fragments (whole and broken), line breaks and blank lines, Markdown, comments, front matter.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zé ]{1,8}".prop_map(String::from),
        3 => prop::sample::select(vec![
            "\"", "'", "“", "”", "‘", "’", "„", "‚", "«", "»", "‹", "›", "''", "‟", "‛",
        ])
        .prop_map(String::from),
        2 => prop::sample::select(vec![
            "&quot;", "&#34;", "&#39;", "&apos;", "&ldquo;", "&rdquo;", "&lsquo;", "&rsquo;",
            "&#8220;", "&#8221;", "&laquo;", "&raquo;", "&#x201C;", "&#", "&quo", "&;", "&#99999999;",
            "&#xD800;",
        ])
        .prop_map(String::from),
        2 => prop::sample::select(vec!["\n", "\n\n", "\r\n", " \n", "\t"]).prop_map(String::from),
        1 => prop::sample::select(vec![
            "don’t", "students’ ", "’90s", " ’n’ ", "o'clock", "s' ", "'98",
        ])
        .prop_map(String::from),
        1 => prop::sample::select(vec![
            "<!--", "-->", "# ", "- ", "1. ", "---\n", "source: x\n", ". ", ", ", "é", "日本", "🙂",
        ])
        .prop_map(String::from),
    ]
}

fn biased_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|p| p.concat())
}

fn check_spans(text: &str, spans: &[(Span, Span, Option<Span>)]) -> Result<(), TestCaseError> {
    let mut last_end = 0;
    for &(span, open, close) in spans {
        let mut pieces = vec![open, span];
        pieces.extend(close);
        for s in pieces {
            prop_assert!(
                s.start <= s.end && s.end <= text.len(),
                "{s:?} out of bounds"
            );
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            prop_assert!(s.start >= last_end, "{s:?} overlaps or is out of order");
            last_end = s.end;
        }
        prop_assert_eq!(open.end, span.start);
        prop_assert!(!span.of(text).trim().is_empty(), "blank quote {span:?}");
    }
    Ok(())
}

fn check_scan(text: &str, body_start: usize) -> Result<(), TestCaseError> {
    let found = marks::scan(text, body_start);
    let paras = marks::paragraphs(text, body_start);
    let spans: Vec<_> = found.iter().map(|m| (m.span, m.open, m.close)).collect();
    check_spans(text, &spans)?;
    for (i, m) in found.iter().enumerate() {
        prop_assert!(
            paras.contains(&m.paragraph),
            "quote outside every paragraph"
        );
        prop_assert!(m.paragraph.start <= m.open.start);
        prop_assert!(m.close.map_or(m.span.end, |c| c.end) <= m.paragraph.end);
        if let Some(first) = m.continues {
            prop_assert!(first < i && found[first].continues.is_none());
        }
    }
    let mut last = 0;
    for p in &paras {
        prop_assert!(p.start >= last && p.start < p.end && p.end <= text.len());
        prop_assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
        last = p.end;
    }
    Ok(())
}

fn check_parse(text: &str) -> Result<(), TestCaseError> {
    let doc = Document::parse("prop.md", text);
    prop_assert!(doc.meta.body_start <= text.len());
    prop_assert!(text.is_char_boundary(doc.meta.body_start));
    let spans: Vec<_> = doc
        .quotes
        .iter()
        .map(|q| (q.span(), q.open(), q.close()))
        .collect();
    check_spans(text, &spans)?;
    prop_assert!(
        doc.quotes
            .iter()
            .all(|q| q.open().start >= doc.meta.body_start)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in any::<String>(), start in any::<usize>()) {
        check_scan(&text, start % (text.len() + 2))?;
        check_parse(&text)?;
    }

    #[test]
    fn text_full_of_marks(text in biased_text(), start in 0usize..40) {
        check_scan(&text, start)?;
        check_parse(&text)?;
    }
}
