//! `cargo bench --bench collate`: the engine end to end on a generated corpus of 10,000
//! articles (parse + stories + collation + findings), collation alone, and one document's
//! update (the language server's per-keystroke path). See benches/README.md for figures.

mod generator;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use verbatim::collate::Analysis;
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::Document;

const ARTICLES: usize = 10_000;
const SEED: u64 = 20_260_209;

/// Parses every article on all cores (parsing is per document), then builds the corpus in
/// order, as the command line does.
fn parse_all(articles: &[generator::Article]) -> Corpus {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = articles.len().div_ceil(threads);
    let docs: Vec<Document> = std::thread::scope(|scope| {
        let handles: Vec<_> = articles
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|a| Document::parse(a.path.clone(), a.text.clone()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("parser thread"))
            .collect()
    });
    let mut corpus = Corpus::new(Config::default());
    for d in docs {
        corpus.upsert(d);
    }
    corpus
}

fn bench(c: &mut Criterion) {
    let articles = generator::generate(SEED, ARTICLES);
    let mut g = c.benchmark_group("collate");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));

    g.bench_function("check_10k_articles", |b| {
        b.iter(|| {
            let corpus = parse_all(&articles);
            let analysis = Analysis::of(&corpus);
            let findings: usize = corpus
                .documents()
                .map(|(id, _)| analysis.findings(id).len())
                .sum();
            black_box(findings)
        })
    });

    let corpus = parse_all(&articles);
    g.bench_function("collate_10k_articles", |b| {
        b.iter(|| black_box(Analysis::of(&corpus)))
    });

    // One edit: a word of a quote changes in one version; re-parse it and update. The same
    // edit of the same article in a corpus half the size shows that the cost follows the
    // story, not the corpus.
    let small = parse_all(&articles[..ARTICLES / 2]);
    for (name, mut corpus, target) in [
        (
            "update_one_document_in_10k",
            corpus,
            &articles[ARTICLES / 4],
        ),
        ("update_one_document_in_5k", small, &articles[ARTICLES / 4]),
    ] {
        let mut analysis = Analysis::of(&corpus);
        let edited = target.text.replacen("“", "“Quietly ", 1);
        let texts = [edited, target.text.clone()];
        let mut turn = 0;
        g.bench_function(name, |b| {
            b.iter(|| {
                turn ^= 1;
                let doc = Document::parse(target.path.clone(), texts[turn].clone());
                let id = corpus.upsert(doc);
                black_box(analysis.update(&corpus, &[id]))
            })
        });
    }

    // Issue 10: one story of 100 versions of an article with 20 quotes (800–1,500 words over a
    // Zipf vocabulary, versions varied as in `benches/scale.rs`), collated whole.
    let mut rng = generator::Rng::new(SEED);
    let zipf = generator::Zipf::new(&mut rng, 50_000);
    let article = generator::zipf_article(&mut rng, &zipf, 1_100, 20);
    let story: Vec<generator::Article> = generator::versions(&article, 100, &mut rng)
        .into_iter()
        .enumerate()
        .map(|(v, text)| generator::Article {
            path: format!("story/v{v:03}.txt"),
            text,
        })
        .collect();
    let corpus = parse_all(&story);
    let first = corpus
        .documents()
        .next()
        .map(|(id, _)| id)
        .expect("a version");
    assert_eq!(Analysis::of(&corpus).story(first).len(), 100, "one story");
    g.bench_function("collate_story_100_versions_20_quotes", |b| {
        b.iter(|| black_box(Analysis::of(&corpus)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
