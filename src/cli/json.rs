//! `--format json`: one JSON object whose shape is a contract (the scorer and other tools read
//! it): `{"files": [{"path", "quotes": [...]}], "diagnostics": [...], "warnings": [...]}`.
//! Byte offsets for quotes; 1-based lines and character columns for diagnostics.

use super::report::{FileReport, Report, range_in};
use crate::collate::Status;
use crate::document::QuoteKind;
use crate::findings::{Code, Finding, Severity};
use serde::Serialize;

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

/// How many files' or diagnostics' JSON one parallel batch renders before it is written: the
/// report is streamed, never held whole in memory (on a story of many versions the
/// diagnostics' related locations make it many times the corpus's size).
const BATCH: usize = 512;

/// Writes the report to `out` as [`render`] renders it, without building it in memory first.
///
/// The layout is serde_json's pretty one, two spaces an indent. The top level is written here;
/// each element of `files` and `diagnostics` is rendered on its own (in batches, on every
/// core) and indented to its depth: pretty JSON breaks lines only between tokens (a string's
/// line breaks are escaped), so indenting every line gives the same bytes as rendering the
/// whole report at once.
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    fn file_json<'r>(file: &'r FileReport<'_>) -> JsonFile<'r> {
        JsonFile {
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
        }
    }
    fn diagnostic_json<'r>(
        report: &'r Report,
        file: &'r FileReport<'_>,
        f: &'r Finding,
    ) -> JsonDiagnostic<'r> {
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
    }
    out.write_all(b"{\n  \"files\": ")?;
    let files: Vec<&FileReport> = report.files.iter().collect();
    write_array(out, &files, |file| file_json(file))?;
    out.write_all(b",\n  \"diagnostics\": ")?;
    let findings: Vec<(&FileReport, &Finding)> = report.findings().collect();
    write_array(out, &findings, |&(file, f)| {
        diagnostic_json(report, file, f)
    })?;
    out.write_all(b",\n  \"warnings\": ")?;
    write_array(out, &report.warnings.iter().collect::<Vec<_>>(), |w| *w)?;
    out.write_all(b"\n}\n")
}

/// Writes `items` as a pretty JSON array one level below the top, each element rendered by
/// `json` (batches of [`BATCH`], rendered on every core, written in order).
fn write_array<T: Sync, J: Serialize>(
    out: &mut impl std::io::Write,
    items: &[T],
    json: impl Fn(&T) -> J + Sync + Send,
) -> std::io::Result<()> {
    if items.is_empty() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    let mut first = true;
    for batch in items.chunks(BATCH) {
        let rendered = crate::parallel::map(batch, |item| {
            serde_json::to_vec_pretty(&json(item)).map_err(std::io::Error::other)
        });
        for element in rendered {
            out.write_all(if first { b"\n    " } else { b",\n    " })?;
            first = false;
            write_indented(out, &element?)?;
        }
    }
    out.write_all(b"\n  ]")
}

/// Writes pretty JSON rendered at the top level as an element of a top-level array: every line
/// after the first indented by four spaces.
fn write_indented(out: &mut impl std::io::Write, json: &[u8]) -> std::io::Result<()> {
    let mut lines = json.split(|&b| b == b'\n');
    if let Some(first) = lines.next() {
        out.write_all(first)?;
    }
    for line in lines {
        out.write_all(b"\n    ")?;
        out.write_all(line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn arrays_rendered_in_parallel_batches_are_the_bytes_of_one_pretty_rendering() {
        // More elements than a batch, nested objects and arrays, empty ones, and strings with
        // escaped line breaks and indentation-like content.
        let items: Vec<Value> = (0..BATCH * 2 + 7)
            .map(|i| {
                json!({
                    "path": format!("story/{i}.txt"),
                    "quotes": (0..i % 3).map(|q| json!({"start": q, "text": "a\n    b"})).collect::<Vec<_>>(),
                    "related": [],
                    "fix": null,
                })
            })
            .collect();
        for (files, warnings) in [(items.clone(), vec![json!("w")]), (vec![], vec![])] {
            // The fields in the report's order (a `json!` object sorts its keys).
            #[derive(Serialize)]
            struct Whole<'v> {
                files: &'v [Value],
                diagnostics: &'v [Value],
                warnings: &'v [Value],
            }
            let expected = serde_json::to_vec_pretty(&Whole {
                files: &files,
                diagnostics: &[],
                warnings: &warnings,
            })
            .unwrap();
            let mut got: Vec<u8> = Vec::new();
            got.extend_from_slice(b"{\n  \"files\": ");
            write_array(&mut got, &files, Value::clone).unwrap();
            got.extend_from_slice(b",\n  \"diagnostics\": ");
            write_array(&mut got, &Vec::<Value>::new(), Value::clone).unwrap();
            got.extend_from_slice(b",\n  \"warnings\": ");
            write_array(&mut got, &warnings, Value::clone).unwrap();
            got.extend_from_slice(b"\n}");
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
    }
}
