//! `--format sarif`: the findings as a SARIF 2.1.0 log, the format code-scanning services read
//! (GitHub code scanning, Azure DevOps, the SARIF viewers of editors).
//!
//! One run, whose `tool.driver.rules` are every finding code with its `docs/rules` text as help;
//! one result per finding (hints only with `--hints`, as in the human format) with its rule,
//! level, message, location, the other versions of the quote as `relatedLocations` and its fixes
//! (the canonical wording first). Columns count UTF-16 code units, SARIF's default, and the run
//! says so in `columnKind`. Files that could not be read or were skipped are the invocation's
//! `toolExecutionNotifications`. The log is a function of the corpus: no times, no absolute paths
//! unless the user gave them.
//!
//! The types are `serde-sarif`'s, generated from the SARIF schema.

use super::report::{FileReport, Range1, Report, range_with, what_it_means};
use crate::corpus::story::fnv1a;
use crate::findings::{Code, Finding, Severity};
use crate::text::line_index::Encoding;
use crate::workspace::Warning;
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Invocation, Location, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, ReportingDescriptorReference, Result, ResultKind,
    ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

/// The schema address code-scanning services and the SARIF validator expect in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The base every relative artifact URI is resolved against: the folder `check` ran in.
pub const SRCROOT: &str = "%SRCROOT%";

/// Which findings go into the log.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Also hint-level findings (`quote-unmatched`).
    pub hints: bool,
}

/// Renders the report as a pretty-printed SARIF 2.1.0 log, with a trailing newline.
pub fn render(report: &Report, opts: Options) -> String {
    let results: Vec<Result> = report
        .findings()
        .filter(|(_, f)| opts.hints || f.severity != Severity::Hint)
        .map(|(file, f)| result(report, file, f))
        .collect();
    let run = Run::builder()
        .tool(Tool::from(driver()))
        .column_kind(serde_json::json!("utf16CodeUnits"))
        .invocations(vec![invocation(&report.warnings)])
        .results(results)
        .build();
    let log = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build();
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|e| {
        // Serialising plain structs of strings and numbers cannot fail; say so if it ever does.
        format!("{{\"error\": \"cannot serialise the SARIF log: {e}\"}}")
    });
    text.push('\n');
    text
}

/// The tool: Verbatim and every finding code as a rule, in `Code::ALL` order (a result's
/// `ruleIndex` is its code's position there).
fn driver() -> ToolComponent {
    let rules: Vec<ReportingDescriptor> = Code::ALL.iter().map(|&code| rule(code)).collect();
    ToolComponent::builder()
        .name("Verbatim")
        .full_name(format!("Verbatim {}", env!("CARGO_PKG_VERSION")))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .short_description(text(
            "Catches misquotes across the versions of a news story.",
        ))
        .rules(rules)
        .build()
}

fn rule(code: Code) -> ReportingDescriptor {
    let explanation = code.explanation();
    let meaning = what_it_means(code);
    ReportingDescriptor::builder()
        .id(code.as_str())
        .name(pascal_case(code.as_str()))
        .short_description(text(first_sentence(&meaning)))
        .full_description(text(meaning.clone()))
        .help(
            MultiformatMessageString::builder()
                .text(explanation)
                .markdown(explanation)
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(level(code.default_severity())))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec!["quotation".to_string(), "editorial".to_string()])
                .build(),
        )
        .build()
}

/// Up to and including the first full stop that ends a sentence.
fn first_sentence(paragraph: &str) -> String {
    match paragraph.find(". ") {
        Some(i) => paragraph[..=i].to_string(),
        None => paragraph.to_string(),
    }
}

/// `quote-differs` → `QuoteDiffers` (SARIF's `name` is an identifier-like form of the rule).
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|part| {
            let mut cs = part.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// SARIF has no info or hint level: both are notes.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn result_level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info | Severity::Hint => ResultLevel::Note,
    }
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

fn message(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

fn result(report: &Report, file: &FileReport, f: &Finding) -> Result {
    let rule_index = Code::ALL.iter().position(|&c| c == f.code).unwrap_or(0);
    let here = physical(
        &file.doc.path,
        Some(region(file, f.span.start, f.span.end, true)),
    );
    let related: Vec<Location> = f
        .related
        .iter()
        .enumerate()
        .map(|(i, rel)| {
            let region = report
                .file(&rel.path)
                .map(|other| region(other, rel.span.start, rel.span.end, true));
            let mut loc = Location::builder()
                .id(i as i64 + 1)
                .physical_location(physical(report.name(&rel.path), region))
                .build();
            if !rel.message.is_empty() {
                loc.message = Some(message(rel.message.to_string()));
            }
            loc
        })
        .collect();
    let mut fixes: Vec<&crate::findings::Fix> = f.fixes.iter().collect();
    fixes.sort_by_key(|x| !x.preferred);
    let fixes: Vec<Fix> = fixes
        .into_iter()
        .map(|x| {
            Fix::builder()
                .description(message(x.title.clone()))
                .artifact_changes(vec![
                    ArtifactChange::builder()
                        .artifact_location(artifact(&file.doc.path))
                        .replacements(vec![
                            Replacement::builder()
                                .deleted_region(region(file, x.span.start, x.span.end, false))
                                .inserted_content(
                                    ArtifactContent::builder()
                                        .text(x.replacement.clone())
                                        .build(),
                                )
                                .build(),
                        ])
                        .build(),
                ])
                .build()
        })
        .collect();
    // Stable across runs and line moves: the code, the file and the words flagged.
    let key = format!(
        "{}\u{0}{}\u{0}{}",
        f.code,
        file.doc.path,
        f.span.of(&file.doc.text)
    );
    let fingerprints = BTreeMap::from([(
        "verbatimFinding/v1".to_string(),
        format!("{:016x}", fnv1a(key.as_bytes())),
    )]);
    let mut result = Result::builder()
        .rule_id(f.code.as_str())
        .rule_index(rule_index as i64)
        .kind(ResultKind::Fail)
        .level(result_level(f.severity))
        .message(message(f.message.to_string()))
        .locations(vec![Location::builder().physical_location(here).build()])
        .partial_fingerprints(fingerprints)
        .build();
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if !fixes.is_empty() {
        result.fixes = Some(fixes);
    }
    result
}

/// The region of the byte span `start..end` of a file: 1-based lines, UTF-16 columns, the end
/// column one past the last character; with the words themselves as `snippet` when asked.
fn region(file: &FileReport, start: usize, end: usize, snippet: bool) -> Region {
    let Range1 {
        line,
        column,
        end_line,
        end_column,
    } = range_with(&file.lines, &file.doc.text, start, end, Encoding::Utf16);
    let mut region = Region::builder()
        .start_line(i64::from(line))
        .start_column(i64::from(column))
        .end_line(i64::from(end_line))
        .end_column(i64::from(end_column))
        .build();
    if snippet {
        let words = file.doc.text.get(start..end).unwrap_or_default();
        region.snippet = Some(ArtifactContent::builder().text(words).build());
    }
    region
}

fn physical(path: &str, region: Option<Region>) -> PhysicalLocation {
    let mut loc = PhysicalLocation::builder()
        .artifact_location(artifact(path))
        .build();
    loc.region = region;
    loc
}

/// A file as SARIF names it: a relative path inside the folder the check ran in becomes a
/// relative URI against `%SRCROOT%` (that folder, which code-scanning services take for the
/// repository's root); any other path (absolute, or reaching out with `..`) an absolute `file:`
/// URI without dot segments. A version only the shared index holds keeps its
/// `verbatim-index://` URI, absolute.
fn artifact(path: &str) -> ArtifactLocation {
    if path
        .strip_prefix(crate::db::url::INDEX_SCHEME)
        .is_some_and(|rest| rest.starts_with("://"))
    {
        return ArtifactLocation::builder().uri(path).build();
    }
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/') || is_drive_path(&path);
    let dotted = path.split('/').any(|seg| seg == "." || seg == "..");
    if !absolute && !dotted {
        return ArtifactLocation::builder()
            .uri(percent_encode(&path))
            .uri_base_id(SRCROOT)
            .build();
    }
    let full = if absolute {
        path
    } else {
        let cwd = std::env::current_dir()
            .map(|d| d.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        format!("{}/{path}", cwd.trim_end_matches('/'))
    };
    let full = without_dot_segments(&full);
    let prefix = if is_drive_path(&full) {
        "file:///"
    } else {
        "file://"
    };
    ArtifactLocation::builder()
        .uri(format!("{prefix}{}", percent_encode(&full)))
        .build()
}

/// `C:/stories/wire.md`.
fn is_drive_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// `/a/./b/../c` → `/a/c` (RFC 3986's remove_dot_segments on a path; `..` never climbs above
/// the root).
fn without_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
            }
            _ => out.push(seg),
        }
    }
    out.join("/")
}

/// Percent-encodes every byte of `path` that may not stand in a URI path as it is (RFC 3986:
/// unreserved characters, sub-delimiters, `@` and `/` stay; a `:` is encoded so that a relative
/// path never reads as a scheme, except a drive letter's).
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&b)
            || (b == b':' && i == 1 && path.as_bytes()[0].is_ascii_alphabetic());
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The run's invocation: successful unless a file could not be read; every file skipped,
/// repaired or unreadable as a notification.
fn invocation(warnings: &[Warning]) -> Invocation {
    let notifications: Vec<Notification> = warnings
        .iter()
        .map(|w| {
            let kind = serde_json::to_value(w.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let mut n = Notification::builder()
                .message(message(w.to_string()))
                .level(serde_json::json!(if w.is_error() {
                    "error"
                } else {
                    "warning"
                }))
                .descriptor(ReportingDescriptorReference::builder().id(kind).build())
                .build();
            if let Some(path) = &w.path {
                n.locations = Some(vec![
                    Location::builder()
                        .physical_location(physical(path, None))
                        .build(),
                ]);
            }
            n
        })
        .collect();
    let mut inv = Invocation::builder()
        .execution_successful(!warnings.iter().any(Warning::is_error))
        .build();
    if !notifications.is_empty() {
        inv.tool_execution_notifications = Some(notifications);
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        let uri = |p: &str| {
            let a = artifact(p);
            (a.uri.unwrap(), a.uri_base_id)
        };
        assert_eq!(
            uri("story/wire.md"),
            ("story/wire.md".into(), Some(SRCROOT.into()))
        );
        // A space, a non-ASCII letter and a colon (which would read as a scheme) are encoded.
        assert_eq!(uri("my story/café:1.md").0, "my%20story/caf%C3%A9%3A1.md");
        assert_eq!(
            uri("/srv/news/a b.md"),
            ("file:///srv/news/a%20b.md".into(), None)
        );
        assert_eq!(uri("C:\\news\\a.md"), ("file:///C:/news/a.md".into(), None));
        // Dot segments are resolved: SARIF URIs may not carry them.
        assert_eq!(uri("/srv/news/../wire/./a.md").0, "file:///srv/wire/a.md");
        let cwd = std::env::current_dir().unwrap();
        let parent = cwd.parent().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            uri("../other/a.md").0,
            format!("file://{}/other/a.md", percent_encode(&parent))
        );
    }

    #[test]
    fn rule_descriptions_come_from_the_docs() {
        let meaning = what_it_means(Code::UnattributedQuote);
        assert!(meaning.starts_with("Nobody is named as the speaker of this quote"));
        assert!(!meaning.contains('\n'));
        assert_eq!(first_sentence("One. Two."), "One.");
        assert_eq!(pascal_case("unattributed-quote"), "UnattributedQuote");
    }
}
