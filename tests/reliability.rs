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
        assert!(quote.span().of(text).starts_with("He told me"), "{text}");
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
    assert!(doc.quotes[0].span().of(&doc.text).starts_with("we ‘we “we"));
    assert_eq!(doc.quotes[0].speaker(), Some("Ingrid Solvang"));
}

/// A short story whose one quote is `quote`.
fn story(quote: &str) -> String {
    format!(
        "Mayor Ingrid Solvang opened the new harbour market on Monday.\n\n\
         “{quote},” Solvang said at the opening.\n"
    )
}

fn corpus_of(versions: &[(&str, &str)]) -> (Corpus, Analysis) {
    let mut corpus = Corpus::new(Config::default());
    for (path, quote) in versions {
        corpus.upsert(Document::parse(*path, story(quote)));
    }
    let analysis = Analysis::of(&corpus);
    (corpus, analysis)
}

#[test]
fn precomposed_and_decomposed_accents_are_no_difference() {
    let (corpus, analysis) = corpus_of(&[
        (
            "nfc.txt",
            "We will meet at the café near the quay every Friday",
        ),
        (
            "nfd.txt",
            "We will meet at the cafe\u{301} near the quay every Friday",
        ),
        (
            "third.txt",
            "We will meet at the café near the quay every Friday",
        ),
    ]);
    for (id, doc) in corpus.documents() {
        assert_eq!(doc.quotes.len(), 1, "{}", doc.path);
        assert!(
            analysis
                .findings(id)
                .iter()
                .all(|f| f.code.as_str() != "quote-differs"),
            "{}: {:?}",
            doc.path,
            analysis.findings(id)
        );
    }
}

#[test]
fn a_diff_never_splits_a_combining_mark_off_its_word() {
    // The NFD version is the odd one out: its diff shows the whole decomposed word.
    let (corpus, analysis) = corpus_of(&[
        (
            "a.txt",
            "We will meet at the bistro near the quay every Friday",
        ),
        (
            "b.txt",
            "We will meet at the bistro near the quay every Friday",
        ),
        (
            "nfd.txt",
            "We will meet at the cafe\u{301} near the quay every Friday",
        ),
    ]);
    let id = corpus.id_of("nfd.txt").unwrap();
    let differs: Vec<_> = analysis
        .findings(id)
        .iter()
        .filter(|f| f.code.as_str() == "quote-differs")
        .collect();
    assert_eq!(differs.len(), 1, "{:?}", analysis.findings(id));
    let message = &differs[0].message;
    assert!(message.contains("[cafe\u{301}→bistro]"), "{message}");
}

#[test]
fn decomposed_accents_keep_names_and_apostrophes_whole() {
    let nfc = "The council praised José’s crew.\n\n‘We won,’ said José Álvarez.\n";
    let nfd =
        "The council praised Jose\u{301}’s crew.\n\n‘We won,’ said Jose\u{301} A\u{301}lvarez.\n";
    let (a, b) = (
        Document::parse("nfc.txt", nfc),
        Document::parse("nfd.txt", nfd),
    );
    let texts = |d: &Document| -> Vec<String> {
        d.quotes
            .iter()
            .map(|q| q.span().of(&d.text).to_string())
            .collect()
    };
    assert_eq!(texts(&a), ["We won,"]);
    assert_eq!(texts(&b), ["We won,"]);
    assert_eq!(a.quotes[0].speaker(), Some("José Álvarez"));
    assert_eq!(b.quotes[0].speaker(), Some("Jose\u{301} A\u{301}lvarez"));
}

/// Found by the `parse` fuzz target: two commas with nothing between them after a subject
/// made the apposition reader build a span that ends before it starts, and `check` panicked.
#[test]
fn an_empty_apposition_between_two_commas_is_no_apposition() {
    for text in [
        "Ingrid Solvang, , said “We will stay.”",
        "Mayor Ingrid Solvang, , calling it “a bad bet.”",
    ] {
        let doc = Document::parse("a.txt", text);
        assert_eq!(doc.quotes.len(), 1, "{text}");
        assert_eq!(doc.quotes[0].speaker(), Some("Ingrid Solvang"), "{text}");
    }
}
