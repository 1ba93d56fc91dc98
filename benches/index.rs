//! The shared quote index (issue 13) on a throwaway PostgreSQL cluster: the ingest rate of
//! `verbatim index` (the release binary, run as a user runs it) on generated articles, the
//! database's size, a second run over the unchanged folder, the candidate lookup of
//! `check --db` (`db::Database::candidates`, called in-process) for documents of the corpus:
//! p50, p99 and the largest of the lookups; then a load into the non-empty index: a further
//! batch of new stories (the same generator's next articles) written into the folder and
//! `verbatim index` run over it again (only the new files are read and loaded: the others are
//! known unchanged by their size and modification time), its rate (articles added per second),
//! the database's size after it, and the lookups again.
//!
//! `cargo bench --bench index` (100,000 articles); `VERBATIM_BENCH_ARTICLES=N` sets the size,
//! `VERBATIM_BENCH_LOOKUPS=N` the number of lookups (default 500),
//! `VERBATIM_BENCH_ADDED=N` the size of the added batch (default a tenth of the articles; 0
//! leaves that phase out);
//! `VERBATIM_BENCH_KEEP=1` keeps the cluster running afterwards (for `EXPLAIN`) until stopped. Needs PostgreSQL's server
//! binaries (`.ci/postgres`). Figures are in benches/README.md.

#[allow(dead_code)]
mod generator;
#[allow(dead_code)]
#[path = "../tests/pg_support/mod.rs"]
mod pg_support;

use std::process::Command;
use std::time::{Duration, Instant};
use verbatim::corpus::story::Print;
use verbatim::db::{Database, Probe};
use verbatim::document::Document;

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn index(dir: &std::path::Path, url: &str) -> (Duration, String) {
    let start = Instant::now();
    let out = Command::new(BIN)
        .args(["index", "--db", url, "articles"])
        .current_dir(dir)
        .env_remove("VERBATIM_DATABASE_URL")
        .output()
        .expect("verbatim runs");
    let took = start.elapsed();
    // What the indexer logged (with `RUST_LOG=verbatim=debug`, the time of each step).
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        took,
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    )
}

/// `index` of a folder that holds `count` articles not indexed yet: its summary (which must
/// start with `expected`), time and rate, in `unit`, printed after `what`.
fn load(dir: &std::path::Path, url: &str, what: &str, count: usize, expected: &str, unit: &str) {
    let (took, summary) = index(dir, url);
    println!("{what}: {summary}");
    assert!(
        summary.starts_with(expected),
        "not every new article was indexed"
    );
    println!(
        "  {:.1} s, {:.0} {unit}",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64()
    );
}

/// The size of the database and of its three largest tables, as a line of the report.
fn sizes(cluster: &pg_support::Cluster) -> String {
    let size: f64 = cluster
        .psql("bench", "SELECT pg_database_size('bench')")
        .parse()
        .unwrap();
    let tables = cluster.psql(
        "bench",
        "SELECT string_agg(relname || ' ' || pg_size_pretty(pg_total_relation_size(oid)), ', ' \
         ORDER BY relname) FROM pg_class WHERE relname IN ('documents', 'quotes', 'document_words')",
    );
    format!("database size {:.0} MB ({tables})", size / 1e6)
}

/// Writes `articles` under `dir/articles`; their bytes of text.
fn write(dir: &std::path::Path, articles: &[generator::Article]) -> usize {
    let mut bytes = 0;
    for a in articles {
        let path = dir.join("articles").join(&a.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &a.text).unwrap();
        bytes += a.text.len();
    }
    bytes
}

/// The candidate lookup of each of `probes` (a document's path and print), as `check --db`
/// makes it, on the index at `url`: p50, p99, max and the versions found, printed after `what`.
fn lookup(rt: &tokio::runtime::Runtime, url: &str, probes: &[(String, Probe)], what: &str) {
    let (mut times, found) = rt.block_on(async {
        let db = Database::connect(url).await.unwrap();
        let mut times = Vec::new();
        let mut found = 0;
        for (path, probe) in probes {
            let start = Instant::now();
            let docs = db
                .candidates(std::slice::from_ref(probe), std::slice::from_ref(path))
                .await
                .unwrap();
            times.push(start.elapsed());
            found += docs.len();
        }
        (times, found)
    });
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "{what}, {} documents: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.1} versions found per document",
        times.len(),
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        found as f64 / times.len() as f64
    );
}

fn main() {
    let articles = env_number("VERBATIM_BENCH_ARTICLES", 100_000);
    let lookups = env_number("VERBATIM_BENCH_LOOKUPS", 500);
    // `VERBATIM_BENCH_URL`: the lookups only, on an index loaded before (by a run kept with
    // `VERBATIM_BENCH_KEEP` with the same number of articles).
    let loaded = std::env::var("VERBATIM_BENCH_URL").ok();
    let added = match loaded {
        Some(_) => 0,
        None => env_number("VERBATIM_BENCH_ADDED", articles / 10),
    };
    let cluster = match loaded {
        Some(_) => None,
        None => match pg_support::Cluster::start() {
            Some(cluster) => Some(cluster),
            None => return,
        },
    };
    let url = match (&loaded, &cluster) {
        (Some(url), _) => url.clone(),
        (None, Some(cluster)) => cluster.database("bench"),
        (None, None) => unreachable!(),
    };

    let dir = tempfile::tempdir().unwrap();
    // The first `articles` are the same whatever the count asked for (the generator stops
    // within a story, before drawing from its random numbers); the added batch is the
    // generator's next articles, new stories only: the versions of the story cut off at
    // `articles` (at most 5 of 3–6) are left out.
    let mut generated =
        generator::generate(20260209, articles + added + 6 * usize::from(added > 0));
    let more = generated.split_off(articles.min(generated.len()));
    let story = |a: &generator::Article| a.path.split('/').next().unwrap_or("").to_string();
    let cut = generated.last().map(story);
    let more: Vec<generator::Article> = more
        .into_iter()
        .skip_while(|a| Some(story(a)) == cut)
        .take(added)
        .collect();
    assert_eq!(
        more.len(),
        added,
        "the generator made too few added articles"
    );
    if let Some(cluster) = &cluster {
        let bytes = write(dir.path(), &generated);
        // The walk stops at max_files (20,000 by default): the whole corpus is the point here.
        std::fs::write(
            dir.path().join("verbatim.toml"),
            format!("max_files = {}\n", articles + added + 1),
        )
        .unwrap();
        println!(
            "{articles} generated articles, {:.1} MB of text",
            bytes as f64 / 1e6
        );

        load(
            dir.path(),
            &url,
            "first index",
            articles,
            &format!("indexed {articles} new"),
            "articles/s",
        );
        println!("  {}", sizes(cluster));

        let (took, summary) = index(dir.path(), &url);
        println!("second index, nothing changed: {summary}");
        println!("  {:.1} s", took.as_secs_f64());
    }

    // Candidate lookups for every (articles / lookups)-th document, as `check --db` makes them.
    let step = (articles / lookups.max(1)).max(1);
    let probes: Vec<(String, Probe)> = generated
        .iter()
        .step_by(step)
        .take(lookups)
        .map(|a| {
            let path = format!("articles/{}", a.path);
            let doc = Document::parse(path.clone(), a.text.clone());
            let print = Print::of(&doc);
            let probe = Probe {
                words: print.words,
                shingles: print.quotes,
                day: print.day,
            };
            (path, probe)
        })
        .collect();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    lookup(&rt, &url, &probes, "candidate lookup");

    // A load into the non-empty index: the indexes and foreign keys are kept row by row.
    if let (Some(cluster), true) = (&cluster, added > 0) {
        let bytes = write(dir.path(), &more);
        println!(
            "{added} articles of new stories added, {:.1} MB of text",
            bytes as f64 / 1e6
        );
        load(
            dir.path(),
            &url,
            "third index, into the non-empty index",
            added,
            &format!("indexed {added} new and 0 changed"),
            "articles added/s",
        );
        println!("  {}", sizes(cluster));
        lookup(&rt, &url, &probes, "candidate lookup after the added batch");
    }

    // For reading query plans on the loaded index: the cluster and the articles stay until
    // the process is stopped.
    if std::env::var_os("VERBATIM_BENCH_KEEP").is_some() {
        println!("kept: {url} (articles in {})", dir.path().display());
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
}
