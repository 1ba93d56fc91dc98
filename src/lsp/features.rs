//! What the server shows: findings as diagnostics, the hover table of readings, code actions,
//! references, and document and workspace symbols.
//!
//! Pure functions from a folder's corpus and collation to LSP values. Positions go through
//! [`super::convert`]; nothing here locks, awaits or touches the disk.

use super::convert;
use super::state::Folder;
use crate::collate::Status;
use crate::collate::align::{Edit, diff};
use crate::collate::suppress::suppression_comment;
use crate::collate::utterance::Member;
use crate::corpus::DocId;
use crate::document::{Document, QuoteKind, Span};
use crate::findings::{Code, Finding, Severity};
use crate::text::collapse_whitespace;
use crate::text::line_index::{Encoding, LineIndex};
use crate::text::normalize::{Word, word_texts};
use serde_json::json;
use std::collections::BTreeSet;
use tower_lsp::lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, Hover, HoverContents,
    Location, MarkupContent, MarkupKind, NumberOrString, SymbolInformation, SymbolKind, TextEdit,
    Url, WorkspaceEdit,
};

/// The code-action kind of "Apply canonical wording to all quotes in this file".
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.verbatim")
}

/// The finding's severity (collate has already applied the `[severity]` settings).
fn severity(finding: &Finding) -> DiagnosticSeverity {
    match finding.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
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
    let (doc, lines) = folder.doc(id)?;
    let related: Vec<_> = finding
        .related
        .iter()
        .filter_map(|r| {
            let other = folder.corpus().id_of(&r.path)?;
            let (odoc, olines) = folder.doc(other)?;
            Some(DiagnosticRelatedInformation {
                location: Location::new(
                    folder.uri_of(&r.path)?,
                    convert::range(&odoc.text, &olines, r.span, enc),
                ),
                message: r.message.to_string(),
            })
        })
        .collect();
    let fixes: Vec<_> = finding
        .fixes
        .iter()
        .map(|fix| {
            json!({
                "title": fix.title,
                "range": convert::range(&doc.text, &lines, fix.span, enc),
                "newText": fix.replacement,
                "preferred": fix.preferred,
            })
        })
        .collect();
    Some(Diagnostic {
        range: convert::range(&doc.text, &lines, finding.span, enc),
        severity: Some(severity(finding)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: rule_uri(finding.code).map(|href| CodeDescription { href }),
        source: Some("verbatim".into()),
        message: finding.message.to_string(),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: Some(json!({ "fixes": fixes })),
    })
}

pub fn diagnostics(folder: &Folder, id: DocId, enc: Encoding) -> Vec<Diagnostic> {
    folder
        .analysis()
        .findings(id)
        .iter()
        .filter_map(|f| diagnostic(folder, id, f, enc))
        .collect()
}

/// The whole quote, marks included (to the end of the words when it has no closing mark).
fn quote_extent(doc: &Document, i: usize) -> Span {
    let q = &doc.quotes[i];
    Span::new(q.open().start, q.close().map_or(q.span().end, |c| c.end))
}

fn escape_cell(s: &str) -> String {
    collapse_whitespace(s).replace('|', "\\|")
}

/// A member's quote as written, with the words that differ from the canonical member in bold
/// and the canonical words it lacks struck through (word alignment from `collate::align`).
pub fn mark_differences(
    doc: &Document,
    ours: &Member,
    canonical_doc: &Document,
    canonical: &Member,
) -> String {
    let Some(quote) = doc.quotes.get(ours.quote) else {
        return String::new();
    };
    let span = quote.span();
    // The server's analysis keeps no words (`Analysis::lean`): they come from the texts.
    let (our_words, their_words) = (ours.words(doc), canonical.words(canonical_doc));
    let texts = |words: &[Word]| -> Vec<String> { words.iter().map(|w| w.text.clone()).collect() };
    let our_spans: Vec<Span> = our_words.iter().map(|w| w.span).collect();
    let their_spans: Vec<Span> = their_words.iter().map(|w| w.span).collect();
    let mut bold: Vec<Span> = Vec::new();
    let mut missing: Vec<(usize, String)> = Vec::new();
    for edit in diff(&texts(&our_words), &texts(&their_words)) {
        let Edit::Change { a, b } = edit else {
            continue;
        };
        if a.0 < a.1 {
            bold.push(Span::new(our_spans[a.0].start, our_spans[a.1 - 1].end));
        } else if b.0 < b.1 {
            let at = our_spans.get(a.0).map_or(span.end, |s| s.start);
            let theirs = canonical_doc
                .text
                .get(their_spans[b.0].start..their_spans[b.1 - 1].end)
                .unwrap_or("");
            missing.push((at, theirs.to_string()));
        }
    }
    let mut out = String::new();
    let mut pos = span.start;
    let mut cuts: Vec<(usize, usize, Option<String>)> = bold
        .iter()
        .map(|b| (b.start, b.end, None))
        .chain(missing.into_iter().map(|(at, t)| (at, at, Some(t))))
        .collect();
    cuts.sort_by_key(|c| (c.0, c.1));
    for (start, end, struck) in cuts {
        if start < pos || end > span.end {
            continue;
        }
        out.push_str(&doc.text[pos..start]);
        match struck {
            Some(t) => {
                out.push_str(&format!("~~{}~~", t.trim()));
                if !doc.text[start..].starts_with(char::is_whitespace) && start < span.end {
                    out.push(' ');
                }
            }
            None => out.push_str(&format!("**{}**", &doc.text[start..end])),
        }
        pos = end;
    }
    out.push_str(&doc.text[pos..span.end]);
    escape_cell(&out)
}

/// The hover on quote `qi` of document `id`: speaker, agreement, and every reading with its
/// sources, the canonical one first.
pub fn hover(folder: &Folder, id: DocId, qi: usize, enc: Encoding) -> Option<Hover> {
    let (doc, lines) = folder.doc(id)?;
    let quote = doc.quotes.get(qi)?;
    let mut md = String::new();
    md.push_str(&format!(
        "**{}**",
        escape_cell(quote.speaker().unwrap_or("(unattributed)"))
    ));
    if let Some(a) = &quote.attribution {
        md.push_str(&format!(" — {}", escape_cell(&a.cue)));
    }
    if quote.kind == QuoteKind::Mention {
        md.push_str(" · a mention, not speech");
    }
    md.push_str("\n\n");
    let this_label = |d: DocId| {
        let label = folder
            .corpus()
            .get(d)
            .map_or("?", |x| x.source_label())
            .to_string();
        if d == id {
            format!("{label} (this file)")
        } else {
            label
        }
    };
    match folder.analysis().utterance(id, qi) {
        None => {
            md.push_str("No other version carries this quote.\n\n");
            md.push_str("| | Reading | Sources |\n|---|---|---|\n");
            md.push_str(&format!(
                "| | “{}” | {} |\n",
                escape_cell(quote.span().of(&doc.text)),
                escape_cell(&this_label(id))
            ));
        }
        Some(u) => {
            let total = u.version_count();
            match u.canonical {
                Some(c) if total > 1 => {
                    let agree: BTreeSet<DocId> = u
                        .members
                        .iter()
                        .filter(|m| m.status == Status::Agrees || m.reading == c)
                        .map(|m| m.doc)
                        .collect();
                    md.push_str(&format!(
                        "{} of {total} versions agree with the canonical reading.\n\n",
                        agree.len()
                    ));
                }
                _ if total > 1 => md.push_str(&format!(
                    "{total} versions carry this quote; no reading is better supported than the others.\n\n"
                )),
                _ => md.push_str("No other version carries this quote.\n\n"),
            }
            let mut order: Vec<usize> = (0..u.readings.len()).collect();
            order.sort_by_key(|&r| {
                (
                    Some(r) != u.canonical,
                    std::cmp::Reverse(u.readings[r].support),
                    r,
                )
            });
            let reference = u.canonical.unwrap_or(order[0]);
            let ref_member = u.sample(reference);
            let ref_doc = folder.corpus().get(ref_member.doc)?;
            md.push_str("| | Reading | Sources |\n|---|---|---|\n");
            for r in order {
                let sample = u.sample(r);
                let sdoc = folder.corpus().get(sample.doc)?;
                let shown = if r == reference {
                    escape_cell(sdoc.quote_text(sample.quote))
                } else {
                    mark_differences(sdoc, sample, ref_doc, ref_member)
                };
                let mut sources: Vec<String> = Vec::new();
                for &mi in &u.readings[r].members {
                    let label = this_label(u.members[mi].doc);
                    if !sources.contains(&label) {
                        sources.push(label);
                    }
                }
                let mark = if Some(r) == u.canonical {
                    "canonical"
                } else {
                    ""
                };
                md.push_str(&format!(
                    "| {mark} | “{shown}” | {} |\n",
                    escape_cell(&sources.join(", "))
                ));
            }
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: md,
        }),
        range: Some(convert::range(
            &doc.text,
            &lines,
            quote_extent(doc, qi),
            enc,
        )),
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
    let findings = folder.analysis().findings(id);
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
                        &lines,
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
                .position(|q| overlaps(Span::new(q.open().start, q.span().end), finding.span))
            else {
                continue;
            };
            if ignored.contains(&qi) {
                continue;
            }
            ignored.push(qi);
            let line = lines
                .position(&doc.text, doc.quotes[qi].open().start, enc)
                .line;
            let line_start = lines.line_span(&doc.text, line).map_or(0, |r| r.start);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Ignore this quote".into(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: diag.map(|d| vec![d]),
                edit: Some(edit(vec![text_edit(
                    doc,
                    &lines,
                    Span::new(line_start, line_start),
                    &format!("{}\n", suppression_comment(&doc.path)),
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
            edits.push(text_edit(doc, &lines, fix.span, &fix.replacement, enc));
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

/// The same utterance in every version (this quote included), by path then position.
pub fn references(folder: &Folder, id: DocId, qi: usize, enc: Encoding) -> Vec<Location> {
    let members: Vec<(DocId, usize)> = match folder.analysis().utterance(id, qi) {
        Some(u) => u.members.iter().map(|m| (m.doc, m.quote)).collect(),
        None => vec![(id, qi)],
    };
    let mut out: Vec<(String, usize, Location)> = members
        .into_iter()
        .filter_map(|(d, q)| {
            let (doc, lines) = folder.doc(d)?;
            let uri = folder.uri_of(&doc.path)?;
            let span = doc.quotes.get(q)?.span();
            Some((
                doc.path.clone(),
                span.start,
                Location::new(uri, convert::range(&doc.text, &lines, span, enc)),
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
                        .analysis()
                        .quote_info(id, i)
                        .and_then(|q| q.status)
                        .map(|s| format!("{s:?}").to_lowercase());
                    DocumentSymbol {
                        name: short(doc.quote_text(i)),
                        detail: status,
                        kind: SymbolKind::STRING,
                        tags: None,
                        deprecated: None,
                        range: convert::range(&doc.text, &lines, quote_extent(doc, i), enc),
                        selection_range: convert::range(
                            &doc.text,
                            &lines,
                            doc.quotes[i].span(),
                            enc,
                        ),
                        children: None,
                    }
                })
                .collect();
            let first = quote_extent(doc, quotes[0]);
            let last = quote_extent(doc, quotes[quotes.len() - 1]);
            let range = convert::range(&doc.text, &lines, Span::new(first.start, last.end), enc);
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
    let words = word_texts(query);
    let mut out = Vec::new();
    for folder in folders {
        for (id, doc) in folder.corpus().documents() {
            // Worked out for a document with a symbol to show only.
            let mut lines = None;
            for (i, q) in doc.quotes.iter().enumerate() {
                if q.kind != QuoteKind::Speech {
                    continue;
                }
                let speaker = q.speaker().unwrap_or("");
                let hay = word_texts(&format!("{} {speaker}", doc.quote_text(i)));
                if !words
                    .iter()
                    .all(|w| hay.iter().any(|h| h.starts_with(w.as_str())))
                {
                    continue;
                }
                let Some(uri) = folder.uri_of(&doc.path) else {
                    continue;
                };
                let Some(lines) = lines.get_or_insert_with(|| folder.doc(id).map(|(_, l)| l))
                else {
                    continue;
                };
                out.push(SymbolInformation {
                    name: short(doc.quote_text(i)),
                    kind: SymbolKind::STRING,
                    tags: None,
                    deprecated: None,
                    location: Location::new(uri, convert::range(&doc.text, lines, q.span(), enc)),
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
