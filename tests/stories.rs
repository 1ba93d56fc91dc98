//! Story clustering on parsed fixture articles (`tests/fixtures/clustering/`, `stories = "auto"`,
//! no dates in the texts): versions that share little running text (an aggregator's bulleted
//! brief, a synonym-spun rewrite) join the wire copy's story; the same official on another
//! occasion, and an unrelated story in the same folder, stay apart.

use std::collections::BTreeMap;
use verbatim::collate::Analysis;
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::Document;

fn fixture_corpus() -> Corpus {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clustering");
    let mut corpus = Corpus::new(Config::default());
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).expect("fixture text");
        corpus.upsert(Document::parse(name, text));
    }
    corpus
}

/// Every story as the sorted file names of its documents.
fn stories(corpus: &Corpus, analysis: &Analysis) -> Vec<Vec<String>> {
    let mut by_story: BTreeMap<Vec<String>, ()> = BTreeMap::new();
    for (id, _) in corpus.documents() {
        let mut names: Vec<String> = analysis
            .story(id)
            .iter()
            .map(|&d| corpus.get(d).unwrap().path.clone())
            .collect();
        names.sort();
        by_story.insert(names, ());
    }
    by_story.into_keys().collect()
}

#[test]
fn versions_that_share_little_text_form_one_story_and_other_occasions_stay_apart() {
    let corpus = fixture_corpus();
    let analysis = Analysis::of(&corpus);
    assert_eq!(
        stories(&corpus, &analysis),
        vec![
            vec![
                "brief-aggregator.md".to_string(),
                "excerpt-page-two.txt".to_string(),
                "rewrite-spun.txt".to_string(),
                "wire-dam-spill.txt".to_string(),
            ],
            vec!["mortensen-festival.txt".to_string()],
            vec!["unrelated-ferry.txt".to_string()],
        ]
    );
}

#[test]
fn the_brief_quote_is_compared_with_the_wire_copy() {
    let corpus = fixture_corpus();
    let analysis = Analysis::of(&corpus);
    let brief = corpus.id_of("brief-aggregator.md").unwrap();
    let wire = corpus.id_of("wire-dam-spill.txt").unwrap();
    let group = |d, q| analysis.quote_info(d, q).and_then(|i| i.group.clone());
    // The brief's one quote is the end of the engineer's remark in the wire copy.
    assert!(group(brief, 0).is_some());
    assert_eq!(group(brief, 0), group(wire, 1));
}
