//! Soak test of text sync and publication (ignored by default: it takes minutes). Three
//! versions of one story are open in the real server over stdio and take 100,000 random
//! incremental edits (UTF-16 positions over text with curly quotes, accents, combining marks,
//! emoji and every kind of line break), one to three changes per `didChange`; toward the end
//! of every 2,000 edits each document is set back to its original text and edited gently, so
//! the story has findings to compare. Every 2,000 edits and at the end, the server's copy of each document must equal the client's, and the
//! diagnostics last published for each must be those of the current text: for its current
//! version, and equal to what the engine computes afresh from the client's texts.
//!
//! `cargo test --release --test lsp_soak -- --ignored --nocapture` (the result of a run is in
//! benches/README.md). `VERBATIM_SOAK_EDITS` changes the number of edits.

mod lsp_client;

use lsp_client::{LspClient, TIMEOUT, capabilities, copy_fixture, file_uri, position};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use verbatim::collate::Analysis;
use verbatim::corpus::Corpus;
use verbatim::document::Document;
use verbatim::text::line_index::{Encoding, LineIndex};

/// Pieces of inserted text: words the story uses (so quotes keep matching and differing),
/// quote marks, and the characters that are hard on positions.
const PIECES: &[&str] = &[
    " ",
    " ",
    "the ",
    "harbour ",
    "storm ",
    "we ",
    "will ",
    "not ",
    "decide ",
    "future",
    "Lindqvist said",
    " she said.",
    "“",
    "”",
    "‘",
    "’",
    "\"",
    ",",
    ".",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "é",
    "e\u{301}",
    "😀",
    "日本",
    "ß",
    "Okafor",
    "« ",
    " »",
];

/// xorshift64*: a small deterministic generator (the run is reproducible from its seed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Offsets where an editor can put a cursor: char boundaries, never inside a CRLF.
fn cursor(text: &str, rng: &mut Rng) -> usize {
    loop {
        let at = rng.below(text.len() + 1);
        let b = text.as_bytes();
        if text.is_char_boundary(at) && !(at > 0 && b[at - 1] == b'\r' && b.get(at) == Some(&b'\n'))
        {
            return at;
        }
    }
}

struct Doc {
    path: String,
    uri: String,
    text: String,
    original: String,
    version: i64,
}

/// Edits between checkpoints. Toward the end of each cycle every document is set back to its
/// original text (by a ranged edit over all of it) and edited gently, so that at each
/// checkpoint the story has quotes that agree and quotes that differ: findings worth comparing.
const CYCLE: usize = 2000;
const GENTLE_FROM: usize = 1850;

/// One random change to `doc`, applied to the client's copy; the LSP change to send. A
/// `gentle` change deletes at most a few characters and inserts at most a piece.
fn random_change(doc: &mut Doc, rng: &mut Rng, gentle: bool) -> Value {
    let a = cursor(&doc.text, rng);
    // Longer texts lean to deletions, so documents neither vanish nor grow without bound.
    let delete_more = doc.text.len() > 3000;
    let span = match (delete_more, gentle) {
        (true, _) => 200,
        (false, true) => 4,
        (false, false) => 24,
    };
    let mut b = a;
    for _ in 0..rng.below(span) {
        b = (b + 1).min(doc.text.len());
        while !doc.text.is_char_boundary(b) {
            b += 1;
        }
    }
    if b > 0
        && b < doc.text.len()
        && doc.text.as_bytes()[b - 1] == b'\r'
        && doc.text.as_bytes()[b] == b'\n'
    {
        b += 1;
    }
    let insert: String = if delete_more && rng.below(3) > 0 {
        String::new()
    } else {
        let pieces = if gentle { 2 } else { 4 };
        (0..rng.below(pieces))
            .map(|_| PIECES[rng.below(PIECES.len())])
            .collect()
    };
    let range =
        json!({"start": position(&doc.text, a, false), "end": position(&doc.text, b, false)});
    doc.text.replace_range(a..b, &insert);
    json!({"range": range, "text": insert})
}

/// The diagnostics the engine gives the client's texts: per path, (code, range, message).
fn expected(docs: &[Doc], config: &verbatim::config::Config) -> BTreeMap<String, Vec<Value>> {
    let mut corpus = Corpus::new(config.clone());
    for d in docs {
        corpus.upsert(Document::parse(d.path.clone(), d.text.clone()));
    }
    let analysis = Analysis::of(&corpus);
    let mut out = BTreeMap::new();
    for (id, doc) in corpus.documents() {
        let lines = LineIndex::new(&doc.text);
        let pos = |o: usize| {
            let p = lines.position(&doc.text, o, Encoding::Utf16);
            json!({"line": p.line, "character": p.col})
        };
        let mut found: Vec<Value> = analysis
            .findings(id)
            .iter()
            .filter(|f| config.severity_of(f.code, f.severity).is_some())
            .map(|f| {
                json!([f.code.as_str(), {"start": pos(f.span.start), "end": pos(f.span.end)}, f.message])
            })
            .collect();
        found.sort_by_key(|v| v.to_string());
        out.insert(doc.path.clone(), found);
    }
    out
}

fn published(params: &Value) -> Vec<Value> {
    let mut found: Vec<Value> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| json!([d["code"], d["range"], d["message"]]))
        .collect();
    found.sort_by_key(|v| v.to_string());
    found
}

/// Reads messages until every document's last publication is for its current version and
/// nothing more comes for a while; returns the last publication per URI.
fn settle(client: &mut LspClient, docs: &[Doc], last: &mut BTreeMap<String, Value>) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let current = docs
            .iter()
            .all(|d| last.get(&d.uri).is_some_and(|p| p["version"] == d.version));
        let wait = if current {
            Duration::from_millis(400)
        } else {
            Duration::from_secs(2)
        };
        match client.next_message(wait) {
            Some(msg) if msg["method"] == "textDocument/publishDiagnostics" => {
                let uri = msg["params"]["uri"].as_str().unwrap().to_string();
                last.insert(uri, msg["params"].clone());
            }
            Some(_) => {}
            None if current => return,
            None => assert!(
                Instant::now() < deadline,
                "no diagnostics for the current versions"
            ),
        }
    }
}

#[test]
#[ignore = "a soak run of minutes: cargo test --release --test lsp_soak -- --ignored"]
fn a_hundred_thousand_random_edits_keep_text_and_diagnostics_in_step() {
    let edits: usize = std::env::var("VERBATIM_SOAK_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = copy_fixture("harbour");
    let config = verbatim::workspace::load_config(dir.path()).unwrap().config;
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    client.wait_indexed();
    let mut docs: Vec<Doc> = ["draft.md", "rewrite.md", "wire.md"]
        .iter()
        .map(|name| Doc {
            path: name.to_string(),
            uri: file_uri(&dir.path().join(name)),
            text: std::fs::read_to_string(dir.path().join(name)).unwrap(),
            original: std::fs::read_to_string(dir.path().join(name)).unwrap(),
            version: 1,
        })
        .collect();
    for d in &docs {
        client.open(&d.uri, &d.text, d.version);
    }
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut last: BTreeMap<String, Value> = BTreeMap::new();
    let started = Instant::now();
    let mut done = 0;
    let mut checkpoints = 0;
    let mut findings = 0;
    let mut reset_in_cycle = usize::MAX;
    while done < edits {
        let cycle = done / CYCLE;
        let gentle = done % CYCLE >= GENTLE_FROM;
        if gentle && reset_in_cycle != cycle {
            reset_in_cycle = cycle;
            for doc in &mut docs {
                let end = position(&doc.text, doc.text.len(), false);
                let whole = json!({"start": {"line": 0, "character": 0}, "end": end});
                doc.text = doc.original.clone();
                doc.version += 1;
                let change = json!([{"range": whole, "text": doc.text}]);
                client.change(&doc.uri, doc.version, change);
                done += 1;
            }
        }
        let d = rng.below(docs.len());
        let n = 1 + rng.below(3);
        let changes: Vec<Value> = (0..n)
            .map(|_| random_change(&mut docs[d], &mut rng, gentle))
            .collect();
        docs[d].version += 1;
        client.change(&docs[d].uri, docs[d].version, Value::Array(changes));
        done += n;
        // Keep the server's output flowing.
        while let Some(msg) = client.next_message(Duration::ZERO) {
            if msg["method"] == "textDocument/publishDiagnostics" {
                let uri = msg["params"]["uri"].as_str().unwrap().to_string();
                last.insert(uri, msg["params"].clone());
            }
        }
        if done / CYCLE != (done - n) / CYCLE || done >= edits {
            checkpoints += 1;
            settle(&mut client, &docs, &mut last);
            let want = expected(&docs, &config);
            for doc in &docs {
                let server = client
                    .request("verbatim/documentText", json!({"uri": doc.uri}))
                    .unwrap();
                assert_eq!(
                    server["version"], doc.version,
                    "{} after {done} edits",
                    doc.path
                );
                assert!(
                    server["text"] == doc.text.as_str(),
                    "{}: text drifted after {done} edits",
                    doc.path
                );
                let got = published(&last[&doc.uri]);
                findings += got.len();
                assert_eq!(
                    got, want[&doc.path],
                    "{}: stale diagnostics after {done} edits",
                    doc.path
                );
            }
        }
    }
    println!(
        "{done} edits in {:.1} s over {} documents, {checkpoints} checkpoints: texts equal, \
         diagnostics current ({findings} diagnostics compared)",
        started.elapsed().as_secs_f64(),
        docs.len()
    );
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}
