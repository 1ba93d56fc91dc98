//! Renderer tests over a hand-built corpus and hand-built findings (collation is built
//! elsewhere): what a user sees for each kind of finding, in both formats.

use super::report::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Report};
use super::{github, human, json, sarif};
use crate::collate::{QuoteInfo, Status};
use crate::config::Config;
use crate::corpus::{Corpus, DocId};
use crate::document::{Attribution, Document, Meta, Quote, QuoteKind, Resolution, Span};
use crate::findings::{Code, Finding, Fix, Related, Severity};
use crate::workspace::{Warning, WarningKind};
use std::borrow::Cow;

const WIRE: &str = "---\nsource: Harbour Gazette\n---\nThe bridge will reopen in May.\n\n“We will open the bridge by spring,” Mayor Ilse Varga said.\n";
const REWRITE: &str = "Source: Coastline Daily\n\n\tMayor Ilse Varga 🌉 said: “We will open the bridge\nin the spring, whatever it costs,” to applause.\n\n“Not one more delay,” said engineer Tomas Brandt.\n";

fn quote(text: &str, words: &str, speaker: Option<&str>) -> Quote {
    let start = text.find(words).expect("fixture words");
    Quote::new(
        Span::new(start, start + words.len()),
        Span::new(start - "“".len(), start),
        Some(Span::new(
            start + words.len(),
            start + words.len() + "”".len(),
        )),
        QuoteKind::Speech,
        speaker.map(|s| Attribution::new(s, None, "said", None, Resolution::Name)),
        None,
    )
    .unwrap()
}

fn doc(path: &str, text: &str, source: &str, quotes: Vec<Quote>) -> Document {
    Document {
        path: path.into(),
        text: text.into(),
        meta: Meta {
            source: Some(source.into()),
            date: None,
            body_start: 0,
        },
        quotes,
        names: Vec::new(),
    }
}

fn corpus(config: Config) -> Corpus {
    let mut corpus = Corpus::new(config);
    corpus.upsert(doc(
        "story/wire.md",
        WIRE,
        "Harbour Gazette",
        vec![quote(
            WIRE,
            "We will open the bridge by spring,",
            Some("Ilse Varga"),
        )],
    ));
    corpus.upsert(doc(
        "story/rewrite.txt",
        REWRITE,
        "Coastline Daily",
        vec![
            quote(
                REWRITE,
                "We will open the bridge\nin the spring, whatever it costs,",
                Some("Ilse Varga"),
            ),
            quote(REWRITE, "Not one more delay,", Some("Tomas Brandt")),
        ],
    ));
    corpus
}

fn findings(corpus: &Corpus, id: DocId) -> Vec<Finding> {
    let doc = corpus.get(id).unwrap();
    if doc.path != "story/rewrite.txt" {
        return Vec::new();
    }
    let wire = corpus.get(corpus.id_of("story/wire.md").unwrap()).unwrap();
    vec![
        Finding {
            code: Code::QuoteUnmatched,
            severity: Severity::Hint,
            span: doc.quotes[1].span(),
            message: "no other version has this quote".into(),
            related: Default::default(),
            fixes: Vec::new(),
        },
        Finding {
            code: Code::QuoteDiffers,
            severity: Severity::Warning,
            span: doc.quotes[0].span(),
            message: "differs from 1 of 2 versions: We will open the bridge [by→in the] spring, [+whatever it costs,]".into(),
            related: vec![Related {
                path: wire.path.as_str().into(),
                span: wire.quotes[0].span(),
                message: "".into(),
            }]
            .into(),
            fixes: vec![Fix {
                title: "Use canonical wording".into(),
                span: doc.quotes[0].span(),
                replacement: "We will open the bridge by spring,".into(),
                preferred: true,
            }],
        },
    ]
}

fn info(corpus: &Corpus, id: DocId, i: usize) -> QuoteInfo {
    let doc = corpus.get(id).unwrap();
    let status = match (doc.path.as_str(), i) {
        ("story/wire.md", _) => Status::Agrees,
        (_, 0) => Status::Differs,
        _ => Status::Unmatched,
    };
    QuoteInfo {
        group: Some(format!("u{}", i + 1).into()),
        status: Some(status),
        canonical: (i == 0).then(|| "We will open the bridge by spring,".into()),
    }
}

fn report(corpus: &Corpus) -> Report<'_> {
    Report::from_parts(
        corpus,
        |id| {
            let n = corpus.get(id).map_or(0, |d| d.quotes.len());
            Cow::Owned((0..n).map(|i| info(corpus, id, i)).collect())
        },
        |id| Cow::Owned(findings(corpus, id)),
        vec![Warning {
            path: Some("story/broken.txt".into()),
            kind: WarningKind::NulBytes,
            message: "contains a NUL byte at offset 3 (binary file?); skipped".into(),
        }],
    )
}

#[test]
fn human_report_underlines_the_quote_and_lists_other_versions() {
    let corpus = corpus(Config::default());
    let report = report(&corpus);
    let text = human::render(&report, human::Options::default());
    insta::assert_snapshot!(text);
    assert!(!text.contains('\x1b'), "no colour unless asked");
    assert!(
        !text.contains("quote-unmatched"),
        "hints are hidden by default"
    );
    assert_eq!(report.exit_code(), EXIT_FINDINGS);
}

#[test]
fn human_report_shows_hints_when_asked_and_colours_when_asked() {
    let corpus = corpus(Config::default());
    let report = report(&corpus);
    let text = human::render(
        &report,
        human::Options {
            color: true,
            hints: true,
        },
    );
    assert!(text.contains("quote-unmatched"));
    assert!(text.contains("\x1b[1;33mwarning[quote-differs]\x1b[0m"));
}

#[test]
fn json_report_follows_the_contract() {
    let corpus = corpus(Config::default());
    let text = json::render(&report(&corpus));
    insta::assert_snapshot!(text);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let d = &value["diagnostics"][0];
    assert_eq!(d["code"], "quote-differs");
    // Columns count characters: the tab and the emoji are one column each.
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(28))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(4), Some(34))
    );
}

#[test]
fn configured_severities_change_findings_and_the_exit_code() {
    let mut config = Config::default();
    config
        .severity
        .insert("quote-differs".into(), "info".into());
    config
        .severity
        .insert("quote-unmatched".into(), "off".into());
    let corpus = corpus(config);
    let report = report(&corpus);
    let found: Vec<_> = report
        .findings()
        .map(|(_, f)| (f.code, f.severity))
        .collect();
    assert_eq!(found, [(Code::QuoteDiffers, Severity::Info)]);
    assert_eq!(report.exit_code(), EXIT_CLEAN);
}

#[test]
fn an_unreadable_file_makes_the_exit_code_2() {
    let corpus = corpus(Config::default());
    let mut report = report(&corpus);
    report.warnings.push(Warning {
        path: Some("story/gone.txt".into()),
        kind: WarningKind::Unreadable,
        message: "cannot read: permission denied".into(),
    });
    assert_eq!(report.exit_code(), EXIT_ERROR);
}

#[test]
fn sarif_log_has_rules_results_related_locations_and_fixes() {
    let corpus = corpus(Config::default());
    let report = report(&corpus);
    let text = sarif::render(&report, sarif::Options::default());
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The rules carry the whole of docs/rules; the snapshot holds what depends on the findings.
    insta::assert_snapshot!(serde_json::to_string_pretty(&log["runs"][0]["results"]).unwrap());
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    // Every code is a rule, with its documentation as help.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, Code::ALL.map(Code::as_str));
    assert_eq!(
        rules[0]["help"]["markdown"].as_str(),
        Some(Code::QuoteDiffers.explanation())
    );
    assert!(
        rules[0]["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .starts_with("This quote renders the same remark")
    );
    // The hint is left out without --hints; the warning is there.
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "quote-differs");
    assert_eq!(r["ruleIndex"], 0);
    assert_eq!(r["level"], "warning");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    // UTF-16 columns: the emoji before the quote on line 3 is two code units (a character and
    // the human format count it as one: column 28 there).
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(3), Some(29))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(4), Some(34))
    );
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "story/rewrite.txt"
    );
    let related = &r["relatedLocations"][0]["physicalLocation"];
    assert_eq!(related["artifactLocation"]["uri"], "story/wire.md");
    assert_eq!(related["region"]["startLine"], 6);
    let change = &r["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "We will open the bridge by spring,"
    );
    // The skipped file is a notification of the invocation.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], true);
    assert_eq!(
        inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "story/broken.txt"
    );
    let with_hints = sarif::render(&report, sarif::Options { hints: true });
    assert!(with_hints.contains("\"ruleId\": \"quote-unmatched\""));
}

#[test]
fn github_annotations_name_the_lines_and_escape_their_values() {
    let corpus = corpus(Config::default());
    let report = report(&corpus);
    let text = github::render(&report, github::Options::default());
    insta::assert_snapshot!(text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "the skipped file and the warning: {text}");
    assert!(
        lines[0].starts_with("::warning file=story/broken.txt,title=Verbatim::contains a NUL byte"),
        "{}",
        lines[0]
    );
    // A finding over two lines names its lines only (GitHub takes columns on one line only).
    assert!(
        lines[1].starts_with(
            "::warning file=story/rewrite.txt,line=3,endLine=4,title=quote-differs (Verbatim)::differs from 1 of 2 versions: "
        ),
        "{}",
        lines[1]
    );
    // The other version and the fix are lines of the message, encoded.
    assert!(lines[1].contains("%0Astory/wire.md:6:2"), "{}", lines[1]);
    assert!(
        lines[1].ends_with("%0Ahelp: Use canonical wording: “We will open the bridge by spring,”"),
        "{}",
        lines[1]
    );
    let with_hints = github::render(&report, github::Options { hints: true });
    assert!(with_hints.contains(
        "::notice file=story/rewrite.txt,line=6,col=2,endLine=6,endColumn=21,title=quote-unmatched (Verbatim)::"
    ));
}

#[test]
fn github_escaping_keeps_one_command_on_one_line() {
    assert_eq!(
        github::escape_data("50% off\r\nnow: a, b"),
        "50%25 off%0D%0Anow: a, b"
    );
    assert_eq!(
        github::escape_property("dir,with:odd%\nname.md"),
        "dir%2Cwith%3Aodd%25%0Aname.md"
    );
}
