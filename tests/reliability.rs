//! The engine on hostile but plausible text: quotes nested three and a thousand deep,
//! precomposed and decomposed accents, line breaks that are a lone CR. Each case once gave a
//! wrong answer (issue 11); each asserts what a user would see instead.

use verbatim::collate::Analysis;
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::Document;

#[test]
fn triple_nesting_keeps_the_outer_quote_and_its_speaker() {
    for text in [
        "“He told me, ‘She said “never again” to the council,’ and then he left,” Bob Smith said.",
        "\"He told me, 'She said \"never again\" to the council,' and then he left,\" Bob Smith said.",
    ] {
        let doc = Document::parse("a.txt", text);
        assert_eq!(doc.quotes.len(), 1, "{text}");
        let quote = &doc.quotes[0];
        assert!(quote.span.of(text).starts_with("He told me"), "{text}");
        assert_eq!(quote.speaker(), Some("Bob Smith"), "{text}");
    }
}

#[test]
fn a_thousand_levels_of_nesting_parse_with_the_outer_quote() {
    // Run on a small stack (a debug build's main thread has 8 MiB): no recursion may follow
    // the depth of nesting.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(|| {
            let mut text = String::from("Ferries stopped on Monday.\n\n");
            for level in 0..1000 {
                text.push_str(if level % 2 == 0 { "“we " } else { "‘we " });
            }
            text.push_str("wait");
            for level in (0..1000).rev() {
                text.push_str(if level % 2 == 0 { ",” " } else { ",’ " });
            }
            text.push_str("Mayor Ingrid Solvang said.");
            let doc = Document::parse("deep.txt", text.clone());
            let mut corpus = Corpus::new(Config::default());
            corpus.upsert(doc.clone());
            corpus.upsert(Document::parse("copy.txt", text));
            Analysis::of(&corpus);
            doc
        })
        .unwrap();
    let doc = handle.join().expect("no stack overflow");
    assert_eq!(doc.quotes.len(), 1);
    assert!(doc.quotes[0].span.of(&doc.text).starts_with("we ‘we “we"));
    assert_eq!(doc.quotes[0].speaker(), Some("Ingrid Solvang"));
}
