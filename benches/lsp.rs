//! didChange -> publishDiagnostics latency of the real `verbatim lsp` over stdio.
//!
//! Generates a corpus of fictional stories (default 2,500 stories x 4 versions = 10,000
//! articles of about 1,500 words) in a temporary folder, starts the release binary on it and
//! opens one article right after `initialize`, as an editor does: prints the time from the
//! `didOpen` to its first diagnostics (published before the folder is indexed) and whether the
//! end of indexing republished them. Then it sends single-word edits to one of the article's
//! quotes, timing each from the moment the `didChange` is written to the moment the diagnostics
//! for that version arrive, and prints p50/p90/p99/max and the server's resident memory.
//!
//! `cargo bench --bench lsp` (env `VERBATIM_BENCH_ARTICLES`, `VERBATIM_BENCH_EDITS` to change the
//! sizes; `VERBATIM_BENCH_DIR` to write the corpus there and keep it; `VERBATIM_BENCH_STORIES=folder`
//! for one story per folder instead of clustering by content). Results are recorded in benches/README.md.

#[path = "../tests/lsp_client/mod.rs"]
mod lsp_client;

use lsp_client::{LspClient, capabilities, file_uri, position};
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift), so every run writes the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "for", "on", "with", "as", "was", "by", "at",
    "from", "it", "their", "which", "after", "over",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ren", "tor", "va", "sel", "dun", "bri", "ost", "ela", "mar", "quin", "fa",
    "ho", "zet", "ul", "pra", "nes", "gor",
];

fn word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

fn name(rng: &mut Rng) -> String {
    let syllables = 2 + rng.below(2);
    let mut w = word(rng, syllables);
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    w
}

/// Writes `stories` stories of `versions` versions each under `root`; returns the path of the
/// first story's second version (the one the benchmark edits) and its text.
fn generate(root: &Path, stories: usize, versions: usize) -> (std::path::PathBuf, String) {
    let mut rng = Rng(0x5eed_cafe_f00d_u64);
    // A shared vocabulary of common words, and per story a set of its own words.
    let common: Vec<String> = (0..3000)
        .map(|_| {
            let syllables = 1 + rng.below(3);
            word(&mut rng, syllables)
        })
        .collect();
    let outlets = [
        "Coastline Wire",
        "Evening Post",
        "Harbour Weekly",
        "Valley Courier",
    ];
    let mut edited = None;
    for s in 0..stories {
        let place = name(&mut rng);
        let speakers: Vec<String> = (0..3)
            .map(|_| format!("{} {}", name(&mut rng), name(&mut rng)))
            .collect();
        let own: Vec<String> = (0..300)
            .map(|_| {
                let syllables = 3 + rng.below(2);
                word(&mut rng, syllables)
            })
            .collect();
        let quotes: Vec<Vec<String>> = (0..6)
            .map(|_| {
                (0..12 + rng.below(10))
                    .map(|_| {
                        if rng.below(3) == 0 {
                            own[rng.below(own.len())].clone()
                        } else {
                            common[rng.below(common.len())].clone()
                        }
                    })
                    .collect()
            })
            .collect();
        let dir = root.join(format!("story-{s:05}"));
        std::fs::create_dir_all(&dir).expect("story folder");
        for v in 0..versions {
            let mut text = format!(
                "---\nsource: {}\npublished: 2031-04-{:02}\n---\n# {place} news\n\n",
                outlets[v % outlets.len()],
                1 + s % 28
            );
            let mut words = 0;
            let mut q = 0;
            while words < 1500 {
                // A paragraph of filler, then (while there are some) a quote. Like real
                // reporting, most content words belong to the story, some are common, and the
                // rest are function words.
                let n = 40 + rng.below(40);
                let mut para: Vec<String> = Vec::with_capacity(n);
                for _ in 0..n {
                    para.push(match rng.below(10) {
                        0..=3 => FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())].to_string(),
                        4..=8 => own[rng.below(own.len())].clone(),
                        _ => common[rng.below(common.len())].clone(),
                    });
                }
                words += n;
                let _ = write!(text, "In {place}, {}.\n\n", para.join(" "));
                if q < quotes.len() {
                    let mut quote = quotes[q].clone();
                    // Each version rewords one quote of its own.
                    if q == v % quotes.len() && v > 0 {
                        quote[2] = common[rng.below(common.len())].clone();
                    }
                    let speaker = &speakers[q % speakers.len()];
                    let _ = write!(text, "“{},” {speaker} said.\n\n", quote.join(" "));
                    words += quote.len() + 3;
                    q += 1;
                }
            }
            let file = dir.join(format!("version-{v}.md"));
            std::fs::write(&file, &text).expect("write article");
            if s == 0 && v == 1 {
                edited = Some((file, text));
            }
        }
    }
    edited.expect("at least one story with two versions")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let articles: usize = std::env::var("VERBATIM_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let edits: usize = std::env::var("VERBATIM_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let versions = 4;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = std::env::var_os("VERBATIM_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let started = Instant::now();
    let (file, text) = generate(&root, articles.div_ceil(versions), versions);
    // `VERBATIM_BENCH_STORIES=folder`: one story per folder instead of clustering by content.
    if let Ok(mode) = std::env::var("VERBATIM_BENCH_STORIES") {
        std::fs::write(
            root.join("verbatim.toml"),
            format!("stories = \"{mode}\"\n"),
        )
        .expect("write verbatim.toml");
    }
    eprintln!(
        "generated {articles} articles ({} words in the edited one) in {:.1?}",
        text.split_whitespace().count(),
        started.elapsed()
    );

    let mut client = LspClient::start();
    let started = Instant::now();
    client.initialize(&[&root], capabilities(false, false), Value::Null);
    // As an editor does: the file is opened at once, while the folder is being indexed.
    let uri = file_uri(&file);
    client.open(&uri, &text, 1);
    let opened = Instant::now();
    let first = client.diagnostics_within(&uri, 1, Duration::from_secs(1800));
    let first_after = opened.elapsed();
    client.wait_indexed_within(Duration::from_secs(1800));
    let indexed_after = started.elapsed();
    // Indexing the rest republishes the document only if its findings changed.
    let again = client.next_diagnostics(&uri, Duration::from_secs(2));
    println!(
        "didOpen -> first publishDiagnostics, {articles} articles: {first_after:.2?} ({} \
         diagnostics); indexing ended {indexed_after:.1?} after initialize; {}",
        first.len(),
        match again {
            Some(p) => format!(
                "republished after indexing with {} diagnostics",
                p["diagnostics"].as_array().map_or(0, Vec::len)
            ),
            None => "not republished (the first diagnostics stood)".into(),
        }
    );
    // Toggle one word of the first quote: the document's findings change on every edit.
    let quote = text.find('“').expect("a quote") + '“'.len_utf8();
    let word_end = quote + text[quote..].find(' ').expect("a word");
    let original = text[quote..word_end].to_string();
    let start = position(&text, quote, false);
    let mut current = original.clone();
    let mut samples = Vec::with_capacity(edits);
    let warmup = 20;
    for i in 0..warmup + edits {
        let version = 2 + i as i64;
        let next = if current == original {
            "zzzq".to_string()
        } else {
            original.clone()
        };
        let end = json!({"line": start["line"], "character": start["character"].as_u64().unwrap_or(0) + current.encode_utf16().count() as u64});
        let t0 = Instant::now();
        client.change(
            &uri,
            version,
            json!([{"range": {"start": start, "end": end}, "text": next}]),
        );
        client.diagnostics(&uri, version);
        let elapsed = t0.elapsed();
        if i >= warmup {
            samples.push(elapsed);
        }
        current = next;
    }
    samples.sort();
    println!(
        "didChange -> publishDiagnostics, {} edits, {articles} articles: p50 {:.2?}  p90 {:.2?}  p99 {:.2?}  max {:.2?}",
        samples.len(),
        percentile(&samples, 0.50),
        percentile(&samples, 0.90),
        percentile(&samples, 0.99),
        samples.last().copied().unwrap_or_default(),
    );
    println!("server memory after the edits: {}", memory(client.pid()));
    client.shutdown_and_exit();
}

/// The resident and peak resident memory of a process, from `/proc` (Linux).
fn memory(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .map_or("?".to_string(), |kb| format!("{} MiB", kb / 1024))
    };
    format!("RSS {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}
