//! `--format json`: one JSON object whose shape is a contract (the scorer and other tools read
//! it): `{"files": [{"path", "quotes": [...]}], "diagnostics": [...], "warnings": [...]}`.
//! Byte offsets for quotes; 1-based lines and character columns for diagnostics.

use super::report::{Report, range_in};
use crate::collate::Status;
use crate::document::QuoteKind;
use crate::findings::{Code, Severity};
use crate::workspace::Warning;
use serde::Serialize;

/// The report's top level. The files and diagnostics are serialised as they are built, one at a
/// time, so a report is never held whole in memory (on a story of many versions the diagnostics'
/// related locations make it many times the corpus's size).
#[derive(Serialize)]
#[serde(bound(serialize = "Lazy<F>: Serialize, Lazy<D>: Serialize"))]
struct JsonReport<'a, F, D> {
    files: Lazy<F>,
    diagnostics: Lazy<D>,
    warnings: &'a [Warning],
}

/// A sequence serialised from the iterator its function returns.
struct Lazy<F>(F);

impl<F, I> Serialize for Lazy<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    quotes: Vec<JsonQuote<'a>>,
}

#[derive(Serialize)]
struct JsonQuote<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    kind: QuoteKind,
    speaker: Option<&'a str>,
    group: Option<&'a str>,
    status: Option<Status>,
    canonical: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    path: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    severity: Severity,
    code: Code,
    message: &'a str,
    /// The preferred fix's replacement (else the first fix's), or null.
    fix: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    message: &'a str,
}

/// Renders the report as pretty-printed JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    if let Err(e) = write(report, &mut out) {
        // Serialising plain structs of strings and numbers into memory cannot fail; say so if
        // it ever does.
        return format!("{{\"error\": \"cannot serialise the report: {e}\"}}\n");
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes the report to `out` as [`render`] renders it, without building it in memory first.
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let files = || {
        report.files.iter().map(|file| JsonFile {
            path: &file.doc.path,
            quotes: file
                .doc
                .quotes
                .iter()
                .zip(file.quotes.iter())
                .map(|(q, info)| JsonQuote {
                    start: q.span().start,
                    end: q.span().end,
                    text: q.span().of(&file.doc.text),
                    kind: q.kind,
                    speaker: q.speaker(),
                    group: info.group.as_deref(),
                    status: info.status,
                    canonical: info.canonical.as_deref(),
                })
                .collect(),
        })
    };
    let diagnostics = || {
        report.findings().map(|(file, f)| {
            let r = file.range(f.span.start, f.span.end);
            let fix = f
                .fixes
                .iter()
                .find(|x| x.preferred)
                .or(f.fixes.first())
                .map(|x| x.replacement.as_str());
            let related = f
                .related
                .iter()
                .map(|rel| {
                    let r = report
                        .file(&rel.path)
                        .map(|o| range_in(&o.lines, &o.doc.text, rel.span.start, rel.span.end));
                    JsonRelated {
                        path: report.name(&rel.path),
                        line: r.map(|r| r.line),
                        column: r.map(|r| r.column),
                        end_line: r.map(|r| r.end_line),
                        end_column: r.map(|r| r.end_column),
                        message: &rel.message,
                    }
                })
                .collect();
            JsonDiagnostic {
                path: &file.doc.path,
                line: r.line,
                column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
                severity: f.severity,
                code: f.code,
                message: &f.message,
                fix,
                related,
            }
        })
    };
    let report = JsonReport {
        files: Lazy(files),
        diagnostics: Lazy(diagnostics),
        warnings: &report.warnings,
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    out.write_all(b"\n")
}
