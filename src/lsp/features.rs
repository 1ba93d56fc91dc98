//! What the server shows: findings as diagnostics, the hover table of readings, code actions,
//! references, and document and workspace symbols.
//!
//! Pure functions from a folder's corpus and collation to LSP values. Positions go through
//! [`super::convert`]; nothing here locks, awaits or touches the disk.

use super::convert;
use super::state::Folder;
use crate::corpus::DocId;
use crate::document::{Document, QuoteKind, Span};
use crate::findings::{Code, Finding, Severity};
use crate::text::line_index::{Encoding, LineIndex};
use serde_json::json;
use std::collections::HashMap;
use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, Hover, HoverContents,
    Location, MarkupContent, MarkupKind, NumberOrString, SymbolInformation, SymbolKind, TextEdit,
    Url, WorkspaceEdit,
};

/// The comment line that tells the engine to leave the quote below it alone.
pub const IGNORE_COMMENT: &str = "<!-- verbatim: ignore -->";

/// The code-action kind of "Apply canonical wording to all quotes in this file".
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.verbatim")
}

fn severity(finding: &Finding, folder: &Folder) -> Option<DiagnosticSeverity> {
    let configured = folder.config.severity.get(finding.code.as_str());
    let severity = match configured.map(String::as_str) {
        Some("off") => return None,
        Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some("info") => Severity::Info,
        Some("hint") => Severity::Hint,
        _ => finding.severity,
    };
    Some(match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    })
}

/// Where the explanation of a code lives (`verbatim explain CODE` prints the same text).
pub fn rule_uri(code: Code) -> Option<Url> {
    Url::parse(&format!("verbatim://rules/{}", code.as_str())).ok()
}

/// One finding as an LSP diagnostic: related information points at the other versions, `data`
/// carries the fixes (ranges in the negotiated encoding).
pub fn diagnostic(
    folder: &Folder,
    id: DocId,
    finding: &Finding,
    enc: Encoding,
) -> Option<Diagnostic> {
    let severity = severity(finding, folder)?;
    let (doc, lines) = folder.doc(id)?;
    let related: Vec<_> = finding
        .related
        .iter()
        .filter_map(|r| {
            let other = folder.corpus.id_of(&r.path)?;
            let (odoc, olines) = folder.doc(other)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(
                    folder.uri_of(&r.path)?,
                    convert::range(&odoc.text, olines, r.span, enc),
                ),
                message: r.message.clone(),
            })
        })
        .collect();
    let fixes: Vec<_> = finding
        .fixes
        .iter()
        .map(|fix| {
            json!({
                "title": fix.title,
                "range": convert::range(&doc.text, lines, fix.span, enc),
                "newText": fix.replacement,
                "preferred": fix.preferred,
            })
        })
        .collect();
    Some(Diagnostic {
        range: convert::range(&doc.text, lines, finding.span, enc),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: rule_uri(finding.code).map(|href| CodeDescription { href }),
        source: Some("verbatim".into()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({ "fixes": fixes })),
    })
}

pub fn diagnostics(folder: &Folder, id: DocId, enc: Encoding) -> Vec<Diagnostic> {
    folder
        .analysis
        .findings(id)
        .iter()
        .filter_map(|f| diagnostic(folder, id, f, enc))
        .collect()
}

/// The whole quote, marks included (to the end of the words when it has no closing mark).
fn quote_extent(doc: &Document, i: usize) -> Span {
    let q = &doc.quotes[i];
    Span::new(q.open.start, q.close.map_or(q.span.end, |c| c.end))
}

/// What two readings are compared on: case, marks, dashes and spacing do not count.
fn reading_key(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn word_key(word: &str) -> String {
    reading_key(word)
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string()
}

/// `text` with the words that are not in `canonical` (by a longest common subsequence of
/// words) in bold. Markdown table cells: pipes are escaped.
pub fn mark_differences(text: &str, canonical: &str) -> String {
    let a: Vec<&str> = text.split_whitespace().collect();
    let b: Vec<String> = canonical.split_whitespace().map(word_key).collect();
    let ak: Vec<String> = a.iter().map(|w| word_key(w)).collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if ak[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut keep = vec![false; n];
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if ak[i] == b[j] {
            keep[i] = true;
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    let words: Vec<String> = a
        .iter()
        .zip(keep)
        .map(|(w, same)| {
            let w = escape_cell(w);
            if same { w } else { format!("**{w}**") }
        })
        .collect();
    let mut out = words.join(" ");
    if m > lcs[0][0] as usize && n == lcs[0][0] as usize {
        // Only words left out: say so, or the reading would look identical.
        out.push_str(" *(words left out)*");
    }
    out
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The hover on quote `qi` of document `id`: speaker, agreement, and every reading.
pub fn hover(folder: &Folder, id: DocId, qi: usize, enc: Encoding) -> Option<Hover> {
    let (doc, lines) = folder.doc(id)?;
    let quote = doc.quotes.get(qi)?;
    let info = folder
        .analysis
        .quote_info(id, qi)
        .cloned()
        .unwrap_or_default();
    let mut md = String::new();
    let speaker = quote.speaker().unwrap_or("(unattributed)");
    md.push_str(&format!("**{}**", escape_cell(speaker)));
    if let Some(cue) = quote.attribution.as_ref().map(|a| a.cue.as_str()) {
        md.push_str(&format!(" — {}", escape_cell(cue)));
    }
    if quote.kind == QuoteKind::Mention {
        md.push_str(" · a mention, not speech");
    }
    md.push_str("\n\n");

    let members: Vec<(DocId, usize)> = info
        .group
        .as_ref()
        .and_then(|g| folder.groups.get(g))
        .cloned()
        .unwrap_or_else(|| vec![(id, qi)]);
    // Readings by comparison key, in order of first appearance; sources per reading.
    let mut readings: Vec<(String, String, Vec<String>, bool)> = Vec::new();
    let mut versions: HashMap<DocId, String> = HashMap::new();
    for &(d, q) in &members {
        let Some(mdoc) = folder.corpus.get(d) else {
            continue;
        };
        let text = mdoc.quote_text(q).to_string();
        let key = reading_key(&text);
        let mut label = mdoc.source_label().to_string();
        if d == id {
            label.push_str(" (this file)");
        }
        versions.entry(d).or_insert_with(|| key.clone());
        match readings.iter_mut().find(|r| r.0 == key) {
            Some(r) => {
                if !r.2.contains(&label) {
                    r.2.push(label);
                }
                r.3 |= d == id;
            }
            None => readings.push((key, text, vec![label], d == id)),
        }
    }
    let canonical_key = info.canonical.as_deref().map(reading_key);
    if let Some(ck) = &canonical_key {
        readings.sort_by_key(|r| r.0 != *ck);
    }
    let total = versions.len();
    match &canonical_key {
        Some(ck) if total > 1 => {
            let agree = versions.values().filter(|k| *k == ck).count();
            md.push_str(&format!(
                "{agree} of {total} versions agree with the canonical reading.\n\n"
            ));
        }
        _ if total > 1 => md.push_str(&format!("{total} versions carry this quote.\n\n")),
        _ => md.push_str("No other version carries this quote.\n\n"),
    }
    let canonical_text = info
        .canonical
        .clone()
        .unwrap_or_else(|| readings.first().map(|r| r.1.clone()).unwrap_or_default());
    md.push_str("| | Reading | Sources |\n|---|---|---|\n");
    for (key, text, sources, _) in &readings {
        let is_canonical = canonical_key.as_ref() == Some(key);
        let mark = if is_canonical { "canonical" } else { "" };
        let shown = if is_canonical {
            escape_cell(text)
        } else {
            mark_differences(text, &canonical_text)
        };
        md.push_str(&format!(
            "| {mark} | “{shown}” | {} |\n",
            escape_cell(&sources.join(", "))
        ));
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(convert::range(&doc.text, lines, quote_extent(doc, qi), enc)),
    })
}

fn text_edit(doc: &Document, lines: &LineIndex, span: Span, new: &str, enc: Encoding) -> TextEdit {
    TextEdit::new(convert::range(&doc.text, lines, span, enc), new.to_string())
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The code actions for the byte range `at` of a document: every fix of the findings there,
/// "Ignore this quote", and the file-wide source action. `only` filters by kind prefix.
pub fn code_actions(
    folder: &Folder,
    id: DocId,
    uri: &Url,
    at: Span,
    only: Option<&[CodeActionKind]>,
    enc: Encoding,
) -> Vec<CodeActionOrCommand> {
    let Some((doc, lines)) = folder.doc(id) else {
        return Vec::new();
    };
    let wanted = |kind: &CodeActionKind| {
        only.is_none_or(|only| {
            only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
        })
    };
    let edit = |edits: Vec<TextEdit>| WorkspaceEdit {
        changes: Some([(uri.clone(), edits)].into_iter().collect()),
        ..WorkspaceEdit::default()
    };
    let mut actions = Vec::new();
    let findings = folder.analysis.findings(id);
    if wanted(&CodeActionKind::QUICKFIX) {
        let mut ignored = Vec::new();
        for finding in findings.iter().filter(|f| overlaps(f.span, at)) {
            let diag = diagnostic(folder, id, finding, enc);
            for fix in &finding.fixes {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diag.clone().map(|d| vec![d]),
                    edit: Some(edit(vec![text_edit(
                        doc,
                        lines,
                        fix.span,
                        &fix.replacement,
                        enc,
                    )])),
                    is_preferred: Some(fix.preferred),
                    ..CodeAction::default()
                }));
            }
            // "Ignore this quote" once per quote that carries a finding.
            let Some(qi) = doc
                .quotes
                .iter()
                .position(|q| overlaps(Span::new(q.open.start, q.span.end), finding.span))
            else {
                continue;
            };
            if ignored.contains(&qi) {
                continue;
            }
            ignored.push(qi);
            let line = lines
                .position(&doc.text, doc.quotes[qi].open.start, enc)
                .line;
            let line_start = lines.line_span(&doc.text, line).map_or(0, |r| r.start);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Ignore this quote".into(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diag.map(|d| vec![d]),
                edit: Some(edit(vec![text_edit(
                    doc,
                    lines,
                    Span::new(line_start, line_start),
                    &format!("{IGNORE_COMMENT}\n"),
                    enc,
                )])),
                is_preferred: Some(false),
                ..CodeAction::default()
            }));
        }
    }
    if wanted(&fix_all_kind()) {
        let mut fixes: Vec<_> = findings
            .iter()
            .filter(|f| f.code == Code::QuoteDiffers)
            .filter_map(|f| f.fixes.iter().find(|x| x.preferred))
            .collect();
        fixes.sort_by_key(|f| (f.span.start, f.span.end));
        let mut edits = Vec::new();
        let mut last_end = 0;
        for fix in fixes {
            if fix.span.start < last_end {
                continue;
            }
            last_end = fix.span.end;
            edits.push(text_edit(doc, lines, fix.span, &fix.replacement, enc));
        }
        if !edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Apply canonical wording to all quotes in this file".into(),
                kind: Some(fix_all_kind()),
                edit: Some(edit(edits)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

/// The same utterance in every version (this quote included).
pub fn references(folder: &Folder, id: DocId, qi: usize, enc: Encoding) -> Vec<Location> {
    let members = folder
        .analysis
        .quote_info(id, qi)
        .and_then(|i| i.group.as_ref())
        .and_then(|g| folder.groups.get(g))
        .cloned()
        .unwrap_or_else(|| vec![(id, qi)]);
    let mut out: Vec<(String, usize, Location)> = members
        .into_iter()
        .filter_map(|(d, q)| {
            let (doc, lines) = folder.doc(d)?;
            let uri = folder.uri_of(&doc.path)?;
            let span = doc.quotes.get(q)?.span;
            Some((
                doc.path.clone(),
                span.start,
                Location::new(uri, convert::range(&doc.text, lines, span, enc)),
            ))
        })
        .collect();
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    out.into_iter().map(|o| o.2).collect()
}

fn short(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut s = words.iter().take(12).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 12 {
        s.push('…');
    }
    format!("“{s}”")
}

/// Quotes grouped by speaker, speakers in order of their first quote.
#[allow(deprecated)] // DocumentSymbol::deprecated must be written out
pub fn document_symbols(folder: &Folder, id: DocId, enc: Encoding) -> Vec<DocumentSymbol> {
    let Some((doc, lines)) = folder.doc(id) else {
        return Vec::new();
    };
    let mut by_speaker: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, q) in doc.quotes.iter().enumerate() {
        if q.kind != QuoteKind::Speech {
            continue;
        }
        let speaker = q.speaker().unwrap_or("(unattributed)").to_string();
        match by_speaker.iter_mut().find(|s| s.0 == speaker) {
            Some(s) => s.1.push(i),
            None => by_speaker.push((speaker, vec![i])),
        }
    }
    by_speaker
        .into_iter()
        .map(|(speaker, quotes)| {
            let children: Vec<DocumentSymbol> = quotes
                .iter()
                .map(|&i| {
                    let status = folder
                        .analysis
                        .quote_info(id, i)
                        .and_then(|q| q.status)
                        .map(|s| format!("{s:?}").to_lowercase());
                    DocumentSymbol {
                        name: short(doc.quote_text(i)),
                        detail: status,
                        kind: SymbolKind::STRING,
                        tags: None,
                        deprecated: None,
                        range: convert::range(&doc.text, lines, quote_extent(doc, i), enc),
                        selection_range: convert::range(&doc.text, lines, doc.quotes[i].span, enc),
                        children: None,
                    }
                })
                .collect();
            let first = quote_extent(doc, quotes[0]);
            let last = quote_extent(doc, quotes[quotes.len() - 1]);
            let range = convert::range(&doc.text, lines, Span::new(first.start, last.end), enc);
            DocumentSymbol {
                name: speaker,
                detail: Some(format!("{} quotes", children.len())),
                kind: SymbolKind::NAMESPACE,
                tags: None,
                deprecated: None,
                range,
                selection_range: children[0].selection_range,
                children: Some(children),
            }
        })
        .collect()
}

/// Utterances whose words or speaker contain every word of `query` (case-insensitive), in
/// corpus order, at most `limit`.
#[allow(deprecated)] // SymbolInformation::deprecated must be written out
pub fn workspace_symbols(
    folders: &[Folder],
    query: &str,
    limit: usize,
    enc: Encoding,
) -> Vec<SymbolInformation> {
    let words: Vec<String> = reading_key(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let mut out = Vec::new();
    for folder in folders {
        for (id, doc) in folder.corpus.documents() {
            let Some(lines) = folder.lines.get(&id) else {
                continue;
            };
            for (i, q) in doc.quotes.iter().enumerate() {
                if q.kind != QuoteKind::Speech {
                    continue;
                }
                let speaker = q.speaker().unwrap_or("");
                let hay = reading_key(&format!("{} {speaker}", doc.quote_text(i)));
                if !words.iter().all(|w| hay.contains(w.as_str())) {
                    continue;
                }
                let Some(uri) = folder.uri_of(&doc.path) else {
                    continue;
                };
                out.push(SymbolInformation {
                    name: short(doc.quote_text(i)),
                    kind: SymbolKind::STRING,
                    tags: None,
                    deprecated: None,
                    location: Location::new(uri, convert::range(&doc.text, lines, q.span, enc)),
                    container_name: Some(if speaker.is_empty() {
                        "(unattributed)".into()
                    } else {
                        speaker.into()
                    }),
                });
                if out.len() >= limit {
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_marked_word_by_word() {
        assert_eq!(
            mark_differences("We will never sign this deal", "We will not sign this deal"),
            "We will **never** sign this deal"
        );
        assert_eq!(
            mark_differences("We will sign", "We will not sign"),
            "We will sign *(words left out)*"
        );
        // Case and curly marks are not differences.
        assert_eq!(mark_differences("It’s over", "it's over"), "It’s over");
    }
}
