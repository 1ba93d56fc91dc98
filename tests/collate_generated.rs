//! Collation on a generated corpus (the benchmark's generator, benches/generator): stories are
//! recovered from content alone, and one-document updates equal a fresh analysis.

#[allow(dead_code)]
#[path = "../benches/generator/mod.rs"]
mod generator;

use verbatim::collate::Analysis;
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::Document;

fn folder(path: &str) -> &str {
    path.split('/').next().unwrap_or("")
}

#[test]
fn generated_stories_are_recovered_and_updates_stay_exact() {
    let articles = generator::generate(7, 200);
    let mut corpus = Corpus::new(Config::default());
    for a in &articles {
        corpus.upsert(Document::parse(a.path.clone(), a.text.clone()));
    }
    let mut live = Analysis::of(&corpus);
    let mut wrong = 0;
    for (id, doc) in corpus.documents() {
        let story = live.story(id);
        let expected = corpus
            .documents()
            .filter(|(_, d)| folder(&d.path) == folder(&doc.path))
            .count();
        let same = story
            .iter()
            .all(|&s| folder(&corpus.get(s).unwrap().path) == folder(&doc.path));
        if !same || story.len() != expected {
            wrong += 1;
        }
    }
    assert_eq!(wrong, 0, "documents in the wrong story");
    let differs: usize = corpus
        .documents()
        .map(|(id, _)| live.findings(id).len())
        .sum();
    assert!(
        differs > 0,
        "the generator rewords quotes: there must be findings"
    );

    // A few edits, each checked against a fresh analysis.
    let mut rng = generator::Rng::new(3);
    for _ in 0..5 {
        let a = &articles[rng.below(articles.len())];
        let text = a.text.replacen("“", "“Suddenly ", 1 + rng.below(2));
        let id = corpus.upsert(Document::parse(a.path.clone(), text));
        live.update(&corpus, &[id]);
        let fresh = Analysis::of(&corpus);
        for (d, doc) in corpus.documents() {
            assert_eq!(live.findings(d), fresh.findings(d), "{}", doc.path);
            for q in 0..doc.quotes.len() {
                assert_eq!(
                    live.quote_info(d, q),
                    fresh.quote_info(d, q),
                    "{}",
                    doc.path
                );
            }
        }
    }
}
