//! Renderer tests over a hand-built corpus and hand-built findings (collation is built
//! elsewhere): what a user sees for each kind of finding, in both formats.

use super::report::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, Report};
use super::{human, json};
use crate::collate::{QuoteInfo, Status};
use crate::config::Config;
use crate::corpus::{Corpus, DocId};
use crate::document::{Attribution, Document, Meta, Quote, QuoteKind, Resolution, Span};
use crate::findings::{Code, Finding, Fix, Related, Severity};
use crate::workspace::{Warning, WarningKind};

const WIRE: &str = "---\nsource: Harbour Gazette\n---\nThe bridge will reopen in May.\n\n“We will open the bridge by spring,” Mayor Ilse Varga said.\n";
const REWRITE: &str = "Source: Coastline Daily\n\n\tMayor Ilse Varga 🌉 said: “We will open the bridge\nin the spring, whatever it costs,” to applause.\n\n“Not one more delay,” said engineer Tomas Brandt.\n";

fn quote(text: &str, words: &str, speaker: Option<&str>) -> Quote {
    let start = text.find(words).expect("fixture words");
    Quote {
        span: Span::new(start, start + words.len()),
        open: Span::new(start - "“".len(), start),
        close: Some(Span::new(
            start + words.len(),
            start + words.len() + "”".len(),
        )),
        kind: QuoteKind::Speech,
        attribution: speaker.map(|s| Attribution {
            speaker: s.to_string(),
            affiliation: None,
            cue: "said".into(),
            name_span: None,
            resolution: Resolution::Name,
        }),
        continues: None,
    }
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
            span: doc.quotes[1].span,
            message: "no other version has this quote".into(),
            related: Vec::new(),
            fixes: Vec::new(),
        },
        Finding {
            code: Code::QuoteDiffers,
            severity: Severity::Warning,
            span: doc.quotes[0].span,
            message: "differs from 1 of 2 versions: We will open the bridge [by→in the] spring, [+whatever it costs,]".into(),
            related: vec![Related {
                path: wire.path.clone(),
                span: wire.quotes[0].span,
                message: String::new(),
            }],
            fixes: vec![Fix {
                title: "Use canonical wording".into(),
                span: doc.quotes[0].span,
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
        group: Some(format!("u{}", i + 1)),
        status: Some(status),
        canonical: (i == 0).then(|| "We will open the bridge by spring,".to_string()),
    }
}

fn report(corpus: &Corpus) -> Report<'_> {
    Report::from_parts(
        corpus,
        |id, i| info(corpus, id, i),
        |id| findings(corpus, id),
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
