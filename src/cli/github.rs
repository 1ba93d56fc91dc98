//! `--format github`: one GitHub Actions workflow command per finding, so a workflow step shows
//! the findings as annotations on the lines of a pull request:
//!
//! ```text
//! ::warning file=story/rewrite.txt,line=3,col=28,endLine=3,endColumn=40,title=quote-differs (Verbatim)::differs from…
//! ```
//!
//! Errors are `::error`, warnings `::warning`, infos (and hints, with `--hints`) `::notice`. The
//! message carries the other versions and the suggested fix on lines of their own. Columns count
//! characters, as the human format does; GitHub only takes columns on a one-line annotation, so a
//! finding over several lines names its lines only. Files that could not be read or were skipped
//! are annotations too (`::error` when unreadable). Values are escaped as the runner expects:
//! `%`, CR and LF everywhere, and `:` and `,` inside properties.

use super::human::{help, related_line};
use super::report::Report;
use crate::findings::Severity;
use std::fmt::Write;

/// Which findings are annotated.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also hint-level findings (`quote-unmatched`).
    pub hints: bool,
}

/// Renders the report as workflow commands, one per line.
pub fn render(report: &Report, opts: Options) -> String {
    let mut out = String::new();
    for w in &report.warnings {
        let command = if w.is_error() { "error" } else { "warning" };
        let mut props = Vec::new();
        if let Some(path) = &w.path {
            props.push(("file", path.clone()));
        }
        props.push(("title", "Verbatim".to_string()));
        line(&mut out, command, &props, &w.message);
    }
    for (file, f) in report.findings() {
        if f.severity == Severity::Hint && !opts.hints {
            continue;
        }
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info | Severity::Hint => "notice",
        };
        let r = file.range(f.span.start, f.span.end);
        let mut props = vec![
            ("file", file.doc.path.clone()),
            ("line", r.line.to_string()),
        ];
        if r.line == r.end_line {
            props.push(("col", r.column.to_string()));
        }
        props.push(("endLine", r.end_line.to_string()));
        if r.line == r.end_line {
            props.push(("endColumn", r.end_column.to_string()));
        }
        props.push(("title", format!("{} (Verbatim)", f.code)));
        let mut message = f.message.to_string();
        for related in f.related.iter() {
            message.push('\n');
            message.push_str(&related_line(report, related));
        }
        if let Some(help) = help(f) {
            let _ = write!(message, "\nhelp: {help}");
        }
        line(&mut out, command, &props, &message);
    }
    out
}

fn line(out: &mut String, command: &str, props: &[(&str, String)], message: &str) {
    out.push_str("::");
    out.push_str(command);
    for (i, (key, value)) in props.iter().enumerate() {
        out.push(if i == 0 { ' ' } else { ',' });
        out.push_str(key);
        out.push('=');
        out.push_str(&escape_property(value));
    }
    out.push_str("::");
    out.push_str(&escape_data(message));
    out.push('\n');
}

/// A command's message: `%`, CR and LF are percent-encoded, so one command stays on one line.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as the message, and `:` and `,` too (they end the value otherwise).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
