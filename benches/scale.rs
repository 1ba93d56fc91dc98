//! Cold `verbatim check --format json` on real text and on hostile input: wall time and peak
//! resident memory of the release binary, run as a user runs it (issue 10, "Scale").
//!
//! Real-text corpora are built at run time from `../shared/polnear/data/train/text/*.txt`
//! (read-only; never copied into the repository): each real article becomes a story of K
//! versions, one folder per story, varied like real copy (a paragraph dropped, one quote reworded
//! by swapping two of its words, the quote marks switched between “…” and "…", two paragraphs
//! reordered). The adversarial cases are the ones the issue lists. Every case is written to a
//! temporary folder, then `verbatim check --format json <folder>` runs in a fresh process
//! (stdout to a file, which is then read to count the quotes and findings), under
//! `ulimit -v` (8 GiB by default) and a timeout, while this harness reads `VmHWM` from
//! `/proc/<pid>/status` every 5 ms.
//!
//! `cargo bench --bench scale` runs every case; `cargo bench --bench scale -- adversarial` only
//! the cases whose name contains `adversarial` (any number of such filters); `-- --quick` (or
//! `VERBATIM_BENCH_QUICK=1`) shrinks every size for a smoke run. Environment:
//! `VERBATIM_BENCH_TEXT` (the folder of real articles), `VERBATIM_BENCH_DIR` (write each corpus
//! in a folder there, named after the case, and keep it), `VERBATIM_BENCH_RUNS` (runs per case,
//! default 1; the table shows the median time and the highest peak), `VERBATIM_BENCH_TIMEOUT`
//! (seconds per run, default 120), `VERBATIM_BENCH_LIMIT_MIB` (address-space limit, default
//! 8192). A CSV of the results is written to `target/tmp/scale.csv` for `benches/plot_scale.py`.
//! Figures are in benches/README.md.

#[allow(dead_code)]
mod generator;

use generator::{Rng, Zipf, versions, zipf_article};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

/// The bound for every adversarial case.
const BOUND_SECONDS: f64 = 2.0;
const BOUND_MIB: u64 = 500;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One case: a name, what it is, and the files to write (path relative to the case's folder).
struct Case {
    name: String,
    group: &'static str,
    /// The x value of the plot: files for the size series, versions for the versions series.
    x: usize,
    files: Vec<(PathBuf, String)>,
    /// Written as the case's `verbatim.toml` when set.
    config: Option<&'static str>,
}

/// What one run of the binary did.
struct Run {
    wall: Duration,
    /// CPU time of all threads, sampled every 5 ms (so up to 5 ms short).
    cpu_ticks: u64,
    peak_kib: u64,
    outcome: String,
    quotes: usize,
    diagnostics: usize,
    warnings: usize,
}

// ---------------------------------------------------------------------------------------------
// Real text

fn real_articles(quick: bool) -> Vec<String> {
    let dir = std::env::var_os("VERBATIM_BENCH_TEXT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/polnear/data/train/text"),
        PathBuf::from,
    );
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    if quick {
        paths.truncate(40);
    }
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|t| t.split("\n\n").filter(|p| !p.trim().is_empty()).count() >= 3)
        .collect()
}

fn real_case(articles: &[String], stories: usize, k: usize, group: &'static str, x: usize) -> Case {
    let mut rng = Rng::new(0x5ca1e + k as u64);
    let mut files = Vec::with_capacity(stories * k);
    for (s, article) in articles.iter().take(stories).enumerate() {
        for (v, text) in versions(article, k, &mut rng).into_iter().enumerate() {
            files.push((PathBuf::from(format!("s{s:04}/v{v:02}.txt")), text));
        }
    }
    Case {
        name: format!("real/{group}/{stories}x{k}"),
        group,
        x,
        files,
        config: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Generated text over a Zipf vocabulary

/// The generated vocabulary's size (function words first, then made-up words by rank).
const ZIPF_WORDS: usize = 50_000;

fn zipf_name(stories: usize, k: usize, quotes: Option<usize>, group: &str) -> String {
    match group {
        "story" => format!("zipf/story/{k}x{}", quotes.unwrap_or(0)),
        "versions" => format!("zipf/versions/{stories}x{k}"),
        _ => format!("zipf/{group}/{}", stories * k),
    }
}

/// `stories` stories of `k` versions of an article of 800–1,500 words over a Zipf vocabulary,
/// one folder per story, varied as the real-text versions are. Each article has `quotes`
/// quotes, or four to eight when `None`.
fn zipf_case(
    stories: usize,
    k: usize,
    quotes: Option<usize>,
    group: &'static str,
    x: usize,
) -> Case {
    let mut rng = Rng::new(0x21bf_2026 + k as u64);
    let zipf = Zipf::new(&mut rng, ZIPF_WORDS);
    let mut files = Vec::with_capacity(stories * k);
    for s in 0..stories {
        let words = 800 + rng.below(701);
        let q = quotes.unwrap_or_else(|| 4 + rng.below(5));
        let article = zipf_article(&mut rng, &zipf, words, q);
        for (v, text) in versions(&article, k, &mut rng).into_iter().enumerate() {
            files.push((PathBuf::from(format!("s{s:05}/v{v:03}.txt")), text));
        }
    }
    Case {
        name: zipf_name(stories, k, quotes, group),
        group,
        x,
        files,
        // More files than `max_files` (20,000) by default: the walk would stop there.
        config: (stories * k > 20_000).then_some("max_files = 1000000\n"),
    }
}

// ---------------------------------------------------------------------------------------------
// Adversarial input

/// The n-th made-up word: distinct for every n, so two quotes share only the words chosen.
fn coined(n: usize) -> String {
    const PARTS: [&str; 24] = [
        "ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu",
        "va", "we", "xi", "yo", "zu", "bra", "cle", "dri", "fro",
    ];
    let mut word = String::new();
    let mut rest = n;
    loop {
        word.push_str(PARTS[rest % PARTS.len()]);
        rest /= PARTS.len();
        if rest == 0 {
            break;
        }
    }
    word.push_str("nt");
    word
}

fn adversarial_cases(scale: usize) -> Vec<Case> {
    let one_story = Some("stories = \"folder\"\n");
    let mut cases = Vec::new();

    // 16 files x 1,000 identical short quotes.
    let quotes = 1000 / scale;
    let body: String = (0..quotes)
        .map(|_| "“We will not back down,” she said.\n\n")
        .collect();
    cases.push(Case {
        name: format!("adversarial/identical-quotes/16x{quotes}"),
        group: "adversarial",
        x: 16,
        files: (0..16)
            .map(|f| {
                (
                    PathBuf::from(format!("story/v{f:02}.md")),
                    format!("# Harbour strike\n\n{body}"),
                )
            })
            .collect(),
        config: one_story,
    });

    // 100 articles x 40 quotes, every quote sharing one word, all in one story.
    let articles = 100 / scale;
    let mut next = 0;
    let files = (0..articles)
        .map(|a| {
            let mut text = String::from("# Harbour inquiry\n\n");
            for _ in 0..40 {
                let words: Vec<String> = (0..6).map(|i| coined(next * 6 + i)).collect();
                next += 1;
                let _ = writeln!(
                    text,
                    "“The harbour {},” said {}.\n",
                    words[..5].join(" "),
                    capitalised(&words[5])
                );
            }
            (PathBuf::from(format!("story/v{a:03}.md")), text)
        })
        .collect();
    cases.push(Case {
        name: format!("adversarial/shared-word/{articles}x40"),
        group: "adversarial",
        x: articles,
        files,
        config: one_story,
    });

    // One document with 50,000 quotes.
    let quotes = 50_000 / scale;
    let mut text = String::from("# Transcript\n\n");
    for q in 0..quotes {
        let words: Vec<String> = (0..5).map(|i| coined(q * 5 + i)).collect();
        let _ = writeln!(text, "“{},” Mara Velt said.\n", words.join(" "));
    }
    cases.push(Case {
        name: format!("adversarial/many-quotes/1x{quotes}"),
        group: "adversarial",
        x: 1,
        files: vec![(PathBuf::from("story/transcript.md"), text)],
        config: one_story,
    });

    // A 40,000-word quote in two versions, the second with every 500th word changed.
    let words = 40_000 / scale;
    let quote: Vec<String> = (0..words).map(|i| coined(i % 5000)).collect();
    let mut changed = quote.clone();
    for (i, w) in changed.iter_mut().enumerate() {
        if i % 500 == 250 {
            *w = coined(100_000 + i);
        }
    }
    let version = |q: &[String]| format!("# Speech\n\nMara Velt said: “{}.”\n", q.join(" "));
    cases.push(Case {
        name: format!("adversarial/long-quote/2x{words}"),
        group: "adversarial",
        x: 2,
        files: vec![
            (PathBuf::from("story/v1.md"), version(&quote)),
            (PathBuf::from("story/v2.md"), version(&changed)),
        ],
        config: one_story,
    });
    cases
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

// ---------------------------------------------------------------------------------------------
// Running

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// User + system CPU time of a process and all its threads so far, in clock ticks (fields 14
/// and 15 of `/proc/<pid>/stat`, after the command name in parentheses).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Clock ticks per second (`getconf CLK_TCK`; 100 on Linux almost everywhere).
fn ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(100.0)
}

fn peak_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse().ok())
}

/// Runs `verbatim check --format json` on `dir` once, in a fresh process.
fn run_check(dir: &Path, output: &Path, timeout: Duration, limit_kib: u64) -> Run {
    let out = std::fs::File::create(output).expect("create the output file");
    // `exec` keeps the pid, so the pid polled is the checker's own.
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {limit_kib} && exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(["check", "--format", "json"])
        .arg(dir)
        .stdout(out)
        .stderr(Stdio::null())
        .spawn()
        .expect("start verbatim");
    let pid = child.id();
    let mut peak = 0;
    let mut cpu = 0;
    let status = loop {
        if let Some(kib) = peak_kib(pid) {
            peak = peak.max(kib);
        }
        if let Some(ticks) = cpu_ticks(pid) {
            cpu = cpu.max(ticks);
        }
        match child.try_wait().expect("wait for verbatim") {
            Some(status) => break Some(status),
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    let wall = started.elapsed();
    let mut run = Run {
        wall,
        cpu_ticks: cpu,
        peak_kib: peak,
        outcome: String::new(),
        quotes: 0,
        diagnostics: 0,
        warnings: 0,
    };
    run.outcome = match status.and_then(|s| s.code()) {
        // 0: no findings, 1: findings.
        Some(0 | 1) => {
            let json: serde_json::Value = std::fs::read(output)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default();
            let count = |key: &str| json[key].as_array().map_or(0, Vec::len);
            run.quotes = json["files"].as_array().map_or(0, |files| {
                files
                    .iter()
                    .map(|f| f["quotes"].as_array().map_or(0, Vec::len))
                    .sum()
            });
            run.diagnostics = count("diagnostics");
            run.warnings = count("warnings");
            "ok".into()
        }
        Some(code) => format!("exit {code}"),
        None if status.is_some() => format!(
            "killed by a signal (address space over {} MiB?)",
            limit_kib / 1024
        ),
        None => format!("timeout after {} s, killed", timeout.as_secs()),
    };
    run
}

fn write_case(root: &Path, case: &Case) -> u64 {
    let mut bytes = 0;
    for (path, text) in &case.files {
        let path = root.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a story folder");
        }
        std::fs::write(&path, text).expect("write an article");
        bytes += text.len() as u64;
    }
    if let Some(config) = case.config {
        std::fs::write(root.join("verbatim.toml"), config).expect("write verbatim.toml");
    }
    bytes
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick =
        args.iter().any(|a| a == "--quick") || std::env::var_os("VERBATIM_BENCH_QUICK").is_some();
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let runs = env_number("VERBATIM_BENCH_RUNS", 1).max(1) as usize;
    let timeout = Duration::from_secs(env_number("VERBATIM_BENCH_TIMEOUT", 120));
    let limit_kib = env_number("VERBATIM_BENCH_LIMIT_MIB", 8192) * 1024;
    let keep = std::env::var_os("VERBATIM_BENCH_DIR").map(PathBuf::from);
    let tick = ticks_per_second();
    let selected =
        |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));

    let (sizes, fixed, per_story): (&[usize], usize, &[usize]) = if quick {
        (&[240], 20, &[3, 12])
    } else {
        (&[1_000, 10_000], 100, &[3, 12, 48])
    };
    // Real-text corpora: (stories, versions per story, series, x), K = 12 for the size series.
    let mut real: Vec<(usize, usize, &'static str, usize)> = Vec::new();
    real.extend(sizes.iter().map(|&n| (n.div_ceil(12), 12, "size", n)));
    real.extend(per_story.iter().map(|&k| (fixed, k, "versions", k)));
    real.retain(|&(_, _, group, _)| selected(&format!("real/{group}/")));
    let articles = if real.is_empty() {
        Vec::new()
    } else {
        real_articles(quick)
    };
    // Each article is one story: no corpus repeats an article (810 usable ones here, so the
    // "10,000-file" corpus is 810 x 12 = 9,720 files).
    for r in &mut real {
        r.0 = r.0.min(articles.len());
    }
    // Each corpus is built just before it is measured, so only one is in memory at a time.
    let mut plans: Vec<Box<dyn Fn() -> Vec<Case> + '_>> = Vec::new();
    for &(stories, k, group, x) in &real {
        let articles = &articles;
        plans.push(Box::new(move || {
            vec![real_case(articles, stories, k, group, x)]
        }));
    }
    // Generated text over a Zipf vocabulary: (stories, versions, quotes per article, series, x).
    let zipf: Vec<(usize, usize, Option<usize>, &'static str, usize)> = if quick {
        vec![
            (48, 5, None, "size", 240),
            (10, 3, None, "versions", 3),
            (1, 10, Some(20), "story", 10),
        ]
    } else {
        let mut z: Vec<_> = [1_000, 10_000, 100_000]
            .iter()
            .map(|&n| (n / 5, 5, None, "size", n))
            .collect();
        z.extend(
            [3, 12, 48, 100]
                .iter()
                .map(|&k| (100, k, None, "versions", k)),
        );
        z.push((1, 100, Some(20), "story", 100));
        z
    };
    for (stories, k, quotes, group, x) in zipf {
        if selected(&zipf_name(stories, k, quotes, group)) {
            plans.push(Box::new(move || {
                vec![zipf_case(stories, k, quotes, group, x)]
            }));
        }
    }
    let scale = if quick { 10 } else { 1 };
    plans.push(Box::new(move || adversarial_cases(scale)));

    let mut table = String::new();
    let mut csv = String::from("case,group,x,files,bytes,seconds,cpu_seconds,peak_mib,outcome\n");
    println!(
        "verbatim check --format json, {} run(s) per case, timeout {} s, address space {} MiB{}",
        runs,
        timeout.as_secs(),
        limit_kib / 1024,
        if quick { ", quick sizes" } else { "" }
    );
    for plan in &plans {
        for case in plan() {
            if !selected(&case.name) {
                continue;
            }
            let dir = tempfile::tempdir().expect("tempdir");
            let root = match &keep {
                Some(keep) => keep.join(case.name.replace('/', "-")),
                None => dir.path().join("corpus"),
            };
            let bytes = write_case(&root, &case);
            let output = dir.path().join("check.json");
            let load_before = load_average();
            let mut results: Vec<Run> = (0..runs)
                .map(|_| run_check(&root, &output, timeout, limit_kib))
                .collect();
            let load_after = load_average();
            for r in &results {
                println!(
                    "{:<40} {:>6} files {:>7.1} MB  {:>8.2} s  CPU {:>7.2} s  peak {:>6} MiB  {}  ({} quotes, {} diagnostics, {} warnings)",
                    case.name,
                    case.files.len(),
                    bytes as f64 / 1e6,
                    r.wall.as_secs_f64(),
                    r.cpu_ticks as f64 / tick,
                    r.peak_kib / 1024,
                    r.outcome,
                    r.quotes,
                    r.diagnostics,
                    r.warnings
                );
            }
            let peak = results.iter().map(|r| r.peak_kib).max().unwrap_or(0) / 1024;
            results.sort_by_key(|r| r.wall);
            let median = &results[results.len() / 2];
            let seconds = median.wall.as_secs_f64();
            let bound = if case.group == "adversarial" {
                if seconds <= BOUND_SECONDS && peak <= BOUND_MIB && median.outcome == "ok" {
                    " | met"
                } else {
                    " | **not met**"
                }
            } else {
                " | "
            };
            let _ = writeln!(
                table,
                "| `{}` | {} | {:.1} MB | {:.2} s | {:.2} s | {} MiB | {:.1}× | {} → {} | {} ({} quotes, {} diagnostics){} |",
                case.name,
                case.files.len(),
                bytes as f64 / 1e6,
                seconds,
                median.cpu_ticks as f64 / tick,
                peak,
                (peak * 1024 * 1024) as f64 / bytes as f64,
                load_before,
                load_after,
                median.outcome,
                median.quotes,
                median.diagnostics,
                bound
            );
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{:.3},{:.2},{},{}",
                case.name,
                case.group,
                case.x,
                case.files.len(),
                bytes,
                seconds,
                median.cpu_ticks as f64 / tick,
                peak,
                median.outcome.replace(',', ";")
            );
        }
    }
    println!(
        "\n| case | files | bytes | time (median) | CPU | peak RSS | RSS / bytes | load average | outcome | bound (≤ {BOUND_SECONDS} s, ≤ {BOUND_MIB} MB) |\n|---|---|---|---|---|---|---|---|---|---|\n{table}"
    );
    let csv_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale.csv");
    match std::fs::write(&csv_path, csv) {
        Ok(()) => println!("results: {}", csv_path.display()),
        Err(e) => eprintln!("could not write {}: {e}", csv_path.display()),
    }
}
