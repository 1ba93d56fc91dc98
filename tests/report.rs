//! `verbatim report`: the real binary writes the collation page of a folder; the page is parsed
//! as HTML5 (`scraper`) and checked as an editor would read it: self-contained, the findings
//! first and linked, each utterance's alignment table with the planted difference highlighted,
//! every version's source, speaker, path and line, agreeing quotes folded, article text escaped.
//! (tests/e2e/report/test.cjs loads the same page in headless Chromium.)

use scraper::{ElementRef, Html, Selector};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_verbatim");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn page_of(story: &str) -> Html {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("report.html");
    let out = run(
        &crate_root(),
        &[
            "report",
            &format!("examples/{story}"),
            "-o",
            out_path.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "with -o nothing goes to stdout");
    Html::parse_document(&fs::read_to_string(&out_path).unwrap())
}

/// The alignment row of `label` in the utterance whose summary contains `words`.
fn alignment_rows<'a>(page: &'a Html, words: &str) -> Vec<ElementRef<'a>> {
    let utterance = page
        .select(&sel("details.utterance"))
        .find(|d| {
            d.select(&sel("summary"))
                .next()
                .is_some_and(|s| text(s).contains(words))
        })
        .unwrap_or_else(|| panic!("an utterance for {words:?}"));
    utterance.select(&sel("table.align tr")).collect()
}

#[test]
fn the_page_is_self_contained() {
    let page = page_of("harbour-bridge");
    assert_eq!(
        page.select(&sel("script")).count(),
        1,
        "only the page's own script"
    );
    assert_eq!(
        page.select(&sel("script[src], link, img, iframe, object"))
            .count(),
        0
    );
    for a in page.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap();
        assert!(href.starts_with('#'), "no link leaves the page: {href}");
        let id = &href[1..];
        assert!(
            page.select(&sel(&format!("[id=\"{id}\"]")))
                .next()
                .is_some(),
            "the link target #{id} exists"
        );
    }
    let csp = page
        .select(&sel("meta[http-equiv=\"Content-Security-Policy\"]"))
        .next()
        .expect("a CSP");
    assert!(
        csp.value()
            .attr("content")
            .unwrap()
            .starts_with("default-src 'none'")
    );
    let style = text(page.select(&sel("style")).next().unwrap());
    assert!(style.contains("@media print"), "print styles");
    assert!(style.contains(":focus-visible"), "a visible keyboard focus");
}

#[test]
fn the_planted_difference_is_highlighted_in_its_alignment_table() {
    let page = page_of("harbour-bridge");
    let rows = alignment_rows(&page, "The main cables have lost more steel");
    let row = |label: &str| {
        rows.iter()
            .find(|r| {
                r.select(&sel("th"))
                    .next()
                    .is_some_and(|th| text(th) == label)
            })
            .unwrap_or_else(|| panic!("a row {label}"))
    };
    // Versions are A draft, B rewrite, C translation, D wire (path order).
    let marked: Vec<String> = row("C").select(&sel("td.variant mark")).map(text).collect();
    assert_eq!(marked, ["calculations", "predicted"]);
    assert_eq!(
        row("C")
            .select(&sel("td.missing del"))
            .map(text)
            .collect::<Vec<_>>(),
        ["for"]
    );
    for agreeing in ["A", "B", "D"] {
        assert_eq!(
            row(agreeing)
                .select(&sel("td.variant, td.added, td.missing"))
                .count(),
            0,
            "{agreeing} agrees"
        );
    }
    // The canonical row carries the canonical words in the same columns.
    let canonical: Vec<String> = row("Canonical").select(&sel("td")).map(text).collect();
    assert_eq!(&canonical[9..12], ["models", "allowed", "for"]);
    // The draft's excerpt starts at "lost": the words before it are empty cells, not missing.
    assert_eq!(row("A").select(&sel("td.empty")).count(), 4);
}

#[test]
fn each_version_shows_source_speaker_path_and_line_and_the_canonical_support() {
    let page = page_of("harbour-bridge");
    let utterance = page
        .select(&sel("details.utterance"))
        .find(|d| text(*d).contains("Repairs will take at least eleven weeks"))
        .unwrap();
    assert!(utterance.value().attr("open").is_some(), "a finding: open");
    let rows: Vec<Vec<String>> = utterance
        .select(&sel("table.witnesses tbody tr"))
        .map(|r| r.select(&sel("th, td")).map(text).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "A",
            "Port Aldwick Herald",
            "Ilse Varga",
            "examples/harbour-bridge/draft.md:24:50",
            "canonical reading"
        ]
    );
    // The speaker the draft gets wrong is highlighted.
    assert!(
        utterance
            .select(&sel("table.witnesses td.variant"))
            .map(text)
            .eq(["Ilse Varga".to_string()])
    );
    assert_eq!(rows[3][3], "examples/harbour-bridge/wire.md:20:2");
    let canonical = text(utterance.select(&sel("p.canonical")).next().unwrap());
    assert!(
        canonical.starts_with("Canonical reading, support 4 of 4 versions (A, B, C, D):"),
        "{canonical}"
    );
    let finding = text(utterance.select(&sel("ul.findings li")).next().unwrap());
    assert!(finding.contains("speaker-differs"), "{finding}");
    assert!(
        finding.contains("examples/harbour-bridge/draft.md:24:50"),
        "{finding}"
    );
}

#[test]
fn findings_come_first_and_agreeing_quotes_are_folded() {
    let page = page_of("harbour-bridge");
    // The overview lists every finding (warnings and the info) with a link to its place.
    let overview: Vec<String> = page
        .select(&sel("#findings ul.findings li"))
        .map(text)
        .collect();
    assert_eq!(overview.len(), 4, "{overview:?}");
    assert!(overview.iter().any(|l| l.contains("name-differs")));
    let utterances: Vec<ElementRef> = page.select(&sel("details.utterance")).collect();
    let first_agreeing = utterances
        .iter()
        .position(|d| {
            d.value()
                .has_class("agrees", scraper::CaseSensitivity::CaseSensitive)
        })
        .expect("agreeing quotes");
    assert!(first_agreeing > 0);
    for (i, d) in utterances.iter().enumerate() {
        let flagged = i < first_agreeing;
        assert_eq!(d.value().attr("open").is_some(), flagged, "utterance {i}");
        assert_eq!(
            d.value()
                .has_class("differs", scraper::CaseSensitivity::CaseSensitive),
            flagged
        );
    }
    // The quote only one version carries is in a folded list of its own.
    let alone = page
        .select(&sel("details.alone"))
        .next()
        .expect("one-version quotes");
    assert!(alone.value().attr("open").is_none());
}

#[test]
fn article_text_is_escaped_and_the_page_goes_to_stdout_without_o() {
    let dir = tempfile::tempdir().unwrap();
    let version = |source: &str, word: &str| {
        format!(
            "Source: {source}\n\nThe mayor of Fenwick opened the new harbour bridge on Monday \
             over the estuary. “The bridge will carry <b>ten</b> thousand {word} a day & \
             night,” Mayor Rosa Delgado said at the ribbon cutting over the estuary.\n"
        )
    };
    fs::write(
        dir.path().join("a.txt"),
        version("<script>alert('wire')</script>", "cars"),
    )
    .unwrap();
    fs::write(dir.path().join("b.txt"), version("Post & Courier", "cars")).unwrap();
    fs::write(
        dir.path().join("c.txt"),
        version("Herald", "<i>lorries</i>"),
    )
    .unwrap();
    let out = run(dir.path(), &["report"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "findings do not fail the report"
    );
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b>ten"));
    let page = Html::parse_document(&html);
    assert_eq!(page.select(&sel("script")).count(), 1);
    assert_eq!(
        page.select(&sel("b, i")).count(),
        0,
        "no markup from the articles"
    );
    let sources: Vec<String> = page.select(&sel("table.witnesses td")).map(text).collect();
    assert!(sources.contains(&"<script>alert('wire')</script>".to_string()));
    assert!(sources.contains(&"Post & Courier".to_string()));
}

#[test]
fn an_unreadable_file_exits_2_and_the_page_shows_the_others() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.txt"),
        "Source: Wire\n\n“We heard the islanders loud and clear,” said harbour master Edda Kowal.\n",
    )
    .unwrap();
    let out = run(dir.path(), &["report", "a.txt", "missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let page = Html::parse_document(&String::from_utf8(out.stdout).unwrap());
    let warnings: Vec<String> = page.select(&sel(".warnings li")).map(text).collect();
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].starts_with("missing.txt"), "{warnings:?}");
    assert!(
        page.select(&sel("table.witnesses td.path"))
            .any(|td| text(td) == "a.txt")
    );
}
