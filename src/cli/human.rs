//! The default report, in the manner of rustc and ruff: for each finding
//! `path:line:col: severity[code]: message`, the source line(s) with the quote underlined, the
//! other versions' readings with their sources, and the suggested wording; then a summary.
//! Nothing from a file reaches the terminal raw: control characters in paths and messages are
//! escaped (`text::terminal`), and in source lines replaced.

use super::report::{FileReport, Report};
use crate::findings::{Finding, Related, Severity};
// Text on one line: line breaks of hard-wrapped copy become one space.
use crate::text::collapse_whitespace as one_line;
use crate::text::terminal::{escape, escape_keeping_lines};
use std::fmt::Write;

/// How to render: colours (only for a terminal) and whether hints are shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub color: bool,
    /// Show hint-level findings (`quote-unmatched`); otherwise they are only counted.
    pub hints: bool,
}

/// Lines of a quote shown under a finding; longer quotes end with `...`.
const MAX_SOURCE_LINES: usize = 4;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{style}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity_style(severity: Severity) -> &'static str {
        match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;34",
            Severity::Hint => "1;36",
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn gutter(&self, s: &str) -> String {
        self.wrap("1;34", s)
    }
    fn severity(&self, severity: Severity, s: &str) -> String {
        self.wrap(Self::severity_style(severity), s)
    }
}

/// Renders the report for a person reading a terminal.
pub fn render(report: &Report, options: Options) -> String {
    let paint = Paint { on: options.color };
    let mut out = String::new();
    let mut hidden_hints = 0;
    let mut counts = [0usize; 4];
    let mut files_with_findings = 0;
    for file in &report.files {
        let mut shown_here = false;
        for finding in file.findings.iter() {
            if finding.severity == Severity::Hint && !options.hints {
                hidden_hints += 1;
                continue;
            }
            shown_here = true;
            counts[finding.severity as usize] += 1;
            render_finding(&mut out, report, file, finding, &paint);
        }
        files_with_findings += usize::from(shown_here);
    }
    let quotes: usize = report.files.iter().map(|f| f.doc.quotes.len()).sum();
    let quoted_files = report
        .files
        .iter()
        .filter(|f| !f.doc.quotes.is_empty())
        .count();
    let total: usize = counts.iter().sum();
    let mut summary = if total == 0 {
        "No findings".to_string()
    } else {
        let parts: Vec<String> = [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ]
        .into_iter()
        .filter(|&s| counts[s as usize] > 0)
        .map(|s| plural(counts[s as usize], severity_noun(s)))
        .collect();
        format!(
            "{} ({}) in {}",
            plural(total, "finding"),
            parts.join(", "),
            plural(files_with_findings, "file")
        )
    };
    let _ = write!(
        summary,
        "; {} in {} ({} checked)",
        plural(quotes, "quote"),
        plural(quoted_files, "file"),
        plural(report.files.len(), "file")
    );
    if hidden_hints > 0 {
        let _ = write!(
            summary,
            "; {} not shown (use --hints)",
            plural(hidden_hints, "hint")
        );
    }
    summary.push('.');
    out.push_str(&paint.bold(&summary));
    out.push('\n');
    out
}

fn severity_noun(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
        Severity::Hint => "hint",
    }
}

fn plural(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) | (_, "info") => format!("{n} {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

fn render_finding(out: &mut String, report: &Report, file: &FileReport, f: &Finding, p: &Paint) {
    let doc = file.doc;
    let r = file.range(f.span.start, f.span.end);
    let label = format!("{}[{}]", f.severity.as_str(), f.code);
    let _ = writeln!(
        out,
        "{}: {}: {}",
        p.bold(&format!("{}:{}:{}", escape(&doc.path), r.line, r.column)),
        p.severity(f.severity, &label),
        escape_keeping_lines(&f.message)
    );
    let last_line = r.end_line.min(r.line + MAX_SOURCE_LINES as u32 - 1);
    let width = last_line.to_string().len();
    let pad = " ".repeat(width);
    let _ = writeln!(out, "{pad} {}", p.gutter("|"));
    for line in r.line..=last_line {
        let Some(span) = file.lines.line_span(&doc.text, line - 1) else {
            break;
        };
        // A span that ends at the very start of a line does not touch that line.
        if line > r.line && line == r.end_line && r.end_column == 1 {
            break;
        }
        // A tab is one column; other control characters (an escape sequence in the file)
        // would act on the terminal: one replacement character each keeps the columns.
        let source: String = doc.text[span.clone()]
            .chars()
            .map(|c| match c {
                '\t' => ' ',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect();
        // Columns count characters; the underline counts terminal cells.
        let cells =
            |chars: u32| -> usize { source.chars().take(chars as usize).map(cell_width).sum() };
        let len = source.chars().count() as u32;
        let from = cells(if line == r.line { r.column - 1 } else { 0 });
        let to = cells(if line == r.end_line {
            r.end_column - 1
        } else {
            len
        });
        let _ = writeln!(
            out,
            "{} {} {}",
            p.gutter(&format!("{line:>width$}")),
            p.gutter("|"),
            source.trim_end()
        );
        let carets = "^".repeat(to.saturating_sub(from).max(1));
        let _ = writeln!(
            out,
            "{pad} {} {}{}",
            p.gutter("|"),
            " ".repeat(from),
            p.severity(f.severity, &carets)
        );
    }
    if r.end_line > last_line {
        let _ = writeln!(out, "{pad} {} ...", p.gutter("|"));
    }
    for related in f.related.iter() {
        let _ = writeln!(
            out,
            "{pad} {} {}",
            p.gutter("="),
            related_line(report, related)
        );
    }
    if let Some(help) = help(f) {
        let _ = writeln!(out, "{pad} {} {}: {help}", p.gutter("="), p.bold("help"));
    }
    out.push('\n');
}

/// One other version of a finding's quote, as `path:line:column (source): “reading” — message`.
pub(super) fn related_line(report: &Report, related: &Related) -> String {
    let (location, reading) = match report.file(&related.path) {
        Some(other) => {
            let rr = other.range(related.span.start, related.span.end);
            let text = other
                .doc
                .text
                .get(related.span.start..related.span.end)
                .map(one_line);
            // The engine's related message usually names the source already (the server
            // shows it as is); name it here only when it does not.
            let source = match other.doc.meta.source.as_deref() {
                Some(s) if !related.message.starts_with(s) => format!(" ({s})"),
                _ => String::new(),
            };
            (
                format!(
                    "{}:{}:{}{source}",
                    escape(report.name(&related.path)),
                    rr.line,
                    rr.column
                ),
                text,
            )
        }
        None => (escape(report.name(&related.path)).into_owned(), None),
    };
    let detail = match reading {
        Some(text) if !text.is_empty() && !related.message.contains(&text) => {
            if related.message.is_empty() {
                format!("“{text}”")
            } else {
                format!("“{text}” — {}", related.message)
            }
        }
        _ => related.message.to_string(),
    };
    format!("{location}: {}", escape_keeping_lines(&detail))
}

/// The suggested fix (the preferred one, else the first) in words: `Use canonical wording: “…”`.
pub(super) fn help(f: &Finding) -> Option<String> {
    let fix = f.fixes.iter().find(|x| x.preferred).or(f.fixes.first())?;
    let replacement = one_line(&fix.replacement);
    // "Use “X”" already shows its replacement; other titles get it after a colon.
    let help = if fix.title.is_empty() {
        format!("“{replacement}”")
    } else if fix.title.contains(&replacement) {
        fix.title.clone()
    } else {
        format!("{}: “{replacement}”", fix.title)
    };
    Some(escape_keeping_lines(&help).into_owned())
}

/// Terminal cells a character takes: 0 for combining marks and zero-width characters, 2 for
/// East Asian wide characters and emoji, else 1. An approximation good enough to underline.
fn cell_width(c: char) -> usize {
    match u32::from(c) {
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}
