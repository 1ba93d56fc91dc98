//! `verbatim report`: one self-contained HTML page (no network, no external assets: styles and
//! the one small script are inline, and a Content-Security-Policy forbids anything else) that
//! shows how the versions of each story compare, for an editor who does not open a code editor.
//!
//! Per story: its versions (a sigil per version, in the manner of CollateX's witnesses, with path,
//! source and date); then per utterance an alignment table — the versions as rows, the words
//! aligned in columns ([`super::alignment`]), the words that differ from the canonical reading
//! highlighted — with each version's speaker, source, path and line, the canonical reading and
//! its support, and the findings. Utterances with findings come first and open; agreeing ones
//! are folded (`<details>`), and so are quotes only one version carries. The page opens with
//! every finding, linked to its utterance, and ends with what each finding code means.
//!
//! Keyboard: every control is a link, a button or a `<summary>`; wide tables scroll in a
//! focusable region. Print: everything unfolds, colours print, highlights also show as bold,
//! underline or strike-through. All text from the articles is HTML-escaped. The page is a
//! function of the corpus (no times).

use super::alignment::{self, CellKind, Table};
use super::report::{FileReport, Report, what_it_means};
use crate::collate::utterance::Utterance;
use crate::collate::{Analysis, Status};
use crate::corpus::DocId;
use crate::findings::{Code, Finding, Severity};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;

/// Aligned word columns per table block: a long quote wraps into several blocks, each with the
/// row labels, so that it reads on a screen and on paper without scrolling sideways.
const BLOCK: usize = 12;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text on one line (hard-wrapped copy joined), escaped.
fn one_line(s: &str) -> String {
    escape(&crate::text::collapse_whitespace(s))
}

/// A sigil per version of a story: A, B, …, Z, AA, AB, …
fn sigil(i: usize) -> String {
    let mut n = i + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// An id safe in a URL fragment and as an HTML id.
fn anchor(prefix: &str, s: &str) -> String {
    let mut out = String::from(prefix);
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push('-');
        }
    }
    out
}

/// One story of the page.
struct Story<'r, 'a> {
    number: usize,
    files: Vec<&'r FileReport<'a>>,
    sigla: HashMap<DocId, String>,
    utterances: Vec<&'r Utterance>,
}

/// Everything the page needs, indexed.
struct Page<'r, 'a> {
    report: &'r Report<'a>,
    by_id: HashMap<DocId, &'r FileReport<'a>>,
    /// Findings about a quote, by (document, quote index).
    quote_findings: HashMap<(DocId, usize), Vec<&'r Finding>>,
    /// Findings not about a quote (names), by document.
    other_findings: HashMap<DocId, Vec<&'r Finding>>,
    /// The anchor a finding links to, by (document, span start, code).
    targets: HashMap<(DocId, usize, Code), String>,
}

impl<'r, 'a> Page<'r, 'a> {
    fn new(report: &'r Report<'a>) -> Page<'r, 'a> {
        let by_id: HashMap<DocId, &FileReport> = report.files.iter().map(|f| (f.id, f)).collect();
        let mut quote_findings: HashMap<(DocId, usize), Vec<&Finding>> = HashMap::new();
        let mut other_findings: HashMap<DocId, Vec<&Finding>> = HashMap::new();
        for file in &report.files {
            for f in file.findings.iter() {
                if f.severity == Severity::Hint {
                    continue; // quote-unmatched: the folded list of one-version quotes says it
                }
                let quote = (f.code != Code::NameDiffers)
                    .then(|| {
                        file.doc.quotes.iter().position(|q| {
                            q.span().start < f.span.end.max(f.span.start + 1)
                                && f.span.start < q.span().end.max(q.span().start + 1)
                        })
                    })
                    .flatten();
                match quote {
                    Some(q) => quote_findings.entry((file.id, q)).or_default().push(f),
                    None => other_findings.entry(file.id).or_default().push(f),
                }
            }
        }
        Page {
            report,
            by_id,
            quote_findings,
            other_findings,
            targets: HashMap::new(),
        }
    }

    fn location(&self, doc: DocId, start: usize, end: usize) -> String {
        match self.by_id.get(&doc) {
            Some(file) => {
                let r = file.range(start, end);
                format!("{}:{}:{}", file.doc.path, r.line, r.column)
            }
            None => String::new(),
        }
    }

    fn member_findings(&self, u: &Utterance) -> Vec<(DocId, &'r Finding)> {
        u.members
            .iter()
            .flat_map(|m| {
                self.quote_findings
                    .get(&(m.doc, m.quote))
                    .into_iter()
                    .flatten()
                    .map(move |f| (m.doc, *f))
            })
            .collect()
    }
}

/// The stories of the report: the documents of each, in path order, with their utterances.
fn stories<'r, 'a>(report: &'r Report<'a>, analysis: &'r Analysis) -> Vec<Story<'r, 'a>> {
    let by_id: HashMap<DocId, &FileReport> = report.files.iter().map(|f| (f.id, f)).collect();
    let mut seen: HashSet<DocId> = HashSet::new();
    let mut groups: Vec<Vec<DocId>> = Vec::new();
    let mut story_of: HashMap<DocId, usize> = HashMap::new();
    for file in &report.files {
        if seen.contains(&file.id) {
            continue;
        }
        let mut docs: Vec<DocId> = analysis
            .story(file.id)
            .iter()
            .copied()
            .filter(|d| by_id.contains_key(d))
            .collect();
        if !docs.contains(&file.id) {
            docs = vec![file.id];
        }
        docs.sort_by(|a, b| by_id[a].doc.path.cmp(&by_id[b].doc.path));
        for &d in &docs {
            seen.insert(d);
            story_of.insert(d, groups.len());
        }
        groups.push(docs);
    }
    let mut utterances: Vec<Vec<&Utterance>> = vec![Vec::new(); groups.len()];
    for u in analysis.utterances() {
        if let Some(&s) = u.members.first().and_then(|m| story_of.get(&m.doc)) {
            utterances[s].push(u);
        }
    }
    groups
        .into_iter()
        .zip(utterances)
        .enumerate()
        .map(|(i, (docs, utterances))| Story {
            number: i + 1,
            sigla: docs
                .iter()
                .enumerate()
                .map(|(j, &d)| (d, sigil(j)))
                .collect(),
            files: docs.iter().map(|d| by_id[d]).collect(),
            utterances,
        })
        .collect()
}

/// A story's title: the first Markdown heading of its versions, else the first line of the
/// first version's body that is not an HTML comment (a headline, usually); at most 120
/// characters.
fn headline(files: &[&FileReport]) -> String {
    fn body<'d>(file: &'d FileReport) -> Vec<&'d str> {
        file.doc
            .text
            .get(file.doc.meta.body_start..)
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("<!--"))
            .collect()
    }
    let heading = files.iter().find_map(|f| {
        body(f)
            .into_iter()
            .find(|l| l.starts_with("# "))
            .map(|l| l.trim_start_matches('#').trim().to_string())
    });
    let line = heading
        .or_else(|| {
            files
                .first()
                .and_then(|f| body(f).first().map(|l| l.to_string()))
        })
        .unwrap_or_default();
    let mut out: String = line.chars().take(120).collect();
    if line.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// The speaker most members name (ties: the first named), if any.
fn speaker_of(u: &Utterance) -> Option<&str> {
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (i, m) in u.members.iter().enumerate() {
        if let Some(s) = m.speaker.as_deref() {
            let e = counts.entry(s).or_insert((0, i));
            e.0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, (n, first))| (*n, std::cmp::Reverse(*first)))
        .map(|(s, _)| s)
}

/// Renders the whole page.
pub fn render(report: &Report, analysis: &Analysis) -> String {
    let mut page = Page::new(report);
    let mut stories = stories(report, analysis);
    // Stories with findings first; path order otherwise.
    let has_findings = |s: &Story| {
        s.files
            .iter()
            .any(|f| f.findings.iter().any(|x| x.severity != Severity::Hint))
    };
    stories.sort_by_key(|s| !has_findings(s));
    for (i, s) in stories.iter_mut().enumerate() {
        s.number = i + 1;
    }
    // Where each finding's link goes: its utterance, or the story's names.
    for s in &stories {
        for u in &s.utterances {
            let id = anchor("u-", &format!("{}-{}", s.number, u.id));
            for (doc, f) in page.member_findings(u) {
                page.targets.insert((doc, f.span.start, f.code), id.clone());
            }
        }
        for file in &s.files {
            for f in page.other_findings.get(&file.id).into_iter().flatten() {
                page.targets.insert(
                    (file.id, f.span.start, f.code),
                    format!("story-{}-names", s.number),
                );
            }
        }
    }

    let mut out = String::new();
    head(&mut out, report, &stories);
    overview(&mut out, &page, &stories);
    for s in &stories {
        story(&mut out, &page, s);
    }
    glossary(&mut out);
    out.push_str("</main>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</body>\n</html>\n");
    out
}

fn severity_counts<'f>(findings: impl Iterator<Item = &'f Finding>) -> String {
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(f.severity).or_default() += 1;
    }
    if counts.is_empty() {
        return "no findings".into();
    }
    counts
        .iter()
        .map(|(s, n)| {
            let noun = match s {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
                Severity::Hint => "hint",
            };
            format!(
                "{n} {noun}{}",
                if *n == 1 || noun == "info" { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn head(out: &mut String, report: &Report, stories: &[Story]) {
    let versions = report.files.len();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"Verbatim {}\">\n\
         <title>Verbatim report: {} {}, {} {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n<header>\n\
         <h1>How the versions compare</h1>\n",
        env!("CARGO_PKG_VERSION"),
        stories.len(),
        plural(stories.len(), "story", "stories"),
        versions,
        plural(versions, "version", "versions"),
    );
    let findings = report
        .findings()
        .map(|(_, f)| f)
        .filter(|f| f.severity != Severity::Hint);
    let _ = writeln!(
        out,
        "<p class=\"summary\">{} {} in {} {}; {}.</p>",
        stories.len(),
        plural(stories.len(), "story", "stories"),
        versions,
        plural(versions, "file", "files"),
        severity_counts(findings),
    );
    out.push_str(
        "<p class=\"legend\">In the tables each row is a version, each column a word of the \
         remark. <mark>Highlighted</mark>: another word than the canonical reading; \
         <ins>underlined</ins>: a word the canonical reading does not have; \
         <del>struck through</del>: a word of the canonical reading this version leaves out; \
         …: words left out with an ellipsis; an empty cell: not part of this excerpt.</p>\n\
         <p class=\"controls\"><button type=\"button\" data-action=\"expand\">Unfold all</button> \
         <button type=\"button\" data-action=\"collapse\">Fold all</button></p>\n",
    );
    if !report.warnings.is_empty() {
        out.push_str(
            "<section class=\"warnings\" aria-label=\"Files not read\">\n<h2>Files skipped \
             or not read</h2>\n<ul>\n",
        );
        for w in &report.warnings {
            let _ = writeln!(out, "<li>{}</li>", escape(&w.to_string()));
        }
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</header>\n<main>\n");
}

fn overview(out: &mut String, page: &Page, stories: &[Story]) {
    out.push_str("<section id=\"findings\" aria-labelledby=\"findings-h\">\n");
    out.push_str("<h2 id=\"findings-h\">Findings</h2>\n");
    let mut any = false;
    for s in stories {
        let mut items = Vec::new();
        for file in &s.files {
            for f in file.findings.iter() {
                let Some(target) = page.targets.get(&(file.id, f.span.start, f.code)) else {
                    continue;
                };
                let loc = escape(&page.location(file.id, f.span.start, f.span.end));
                items.push(finding_item(
                    f,
                    s.sigla.get(&file.id).map_or("", String::as_str),
                    &format!("<a href=\"#{target}\">{loc}</a>"),
                    false,
                ));
            }
        }
        if items.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(
            out,
            "<h3><a href=\"#story-{n}\">Story {n}: {title}</a></h3>\n<ul class=\"findings\">\n{}</ul>",
            items.concat(),
            n = s.number,
            title = escape(&headline(&s.files)),
        );
    }
    if !any {
        out.push_str("<p>No findings: every version agrees with the others.</p>\n");
    }
    out.push_str("</section>\n");
}

fn story(out: &mut String, page: &Page, s: &Story) {
    let n = s.number;
    let title = headline(&s.files);
    let _ = writeln!(
        out,
        "<section class=\"story\" id=\"story-{n}\" aria-labelledby=\"story-{n}-h\">\n\
         <h2 id=\"story-{n}-h\">Story {n}: {}</h2>",
        escape(&title)
    );
    // The versions.
    let _ = writeln!(
        out,
        "<table class=\"witnesses\">\n<caption>Versions of story {n}</caption>\n<thead><tr>\
         <th scope=\"col\">Version</th><th scope=\"col\">File</th><th scope=\"col\">Source</th>\
         <th scope=\"col\">Date</th><th scope=\"col\">Quotes</th><th scope=\"col\">Findings</th>\
         </tr></thead>\n<tbody>"
    );
    for file in &s.files {
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"path\">{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&s.sigla[&file.id]),
            escape(&file.doc.path),
            escape(file.doc.meta.source.as_deref().unwrap_or("—")),
            escape(file.doc.meta.date.as_deref().unwrap_or("—")),
            file.doc.quotes.len(),
            severity_counts(
                file.findings
                    .iter()
                    .filter(|f| f.severity != Severity::Hint)
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n");

    let (mut flagged, mut agreeing, mut alone) = (Vec::new(), Vec::new(), Vec::new());
    for u in &s.utterances {
        if !page.member_findings(u).is_empty() {
            flagged.push(*u);
        } else if u.version_count() > 1 {
            agreeing.push(*u);
        } else {
            alone.push(*u);
        }
    }
    if !flagged.is_empty() {
        let _ = writeln!(out, "<h3>Quotes with findings ({})</h3>", flagged.len());
        for u in flagged {
            utterance(out, page, s, u, true);
        }
    }
    let names: Vec<(&FileReport, &Finding)> = s
        .files
        .iter()
        .flat_map(|file| {
            page.other_findings
                .get(&file.id)
                .into_iter()
                .flatten()
                .map(move |f| (*file, *f))
        })
        .collect();
    if !names.is_empty() {
        let _ = writeln!(
            out,
            "<h3 id=\"story-{n}-names\">Names spelled differently ({})</h3>\n<ul class=\"findings\">",
            names.len()
        );
        for (file, f) in names {
            let loc = escape(&page.location(file.id, f.span.start, f.span.end));
            out.push_str(&finding_item(f, &s.sigla[&file.id], &loc, true));
        }
        out.push_str("</ul>\n");
    }
    if !agreeing.is_empty() {
        let _ = writeln!(
            out,
            "<h3>Quotes the versions agree on ({})</h3>",
            agreeing.len()
        );
        for u in agreeing {
            utterance(out, page, s, u, false);
        }
    }
    if !alone.is_empty() {
        let _ = writeln!(
            out,
            "<details class=\"alone\">\n<summary><h3>Quotes only one version carries ({})</h3></summary>\n\
             <table class=\"witnesses\">\n<thead><tr><th scope=\"col\">Version</th>\
             <th scope=\"col\">Speaker</th><th scope=\"col\">Location</th><th scope=\"col\">Quote</th>\
             </tr></thead>\n<tbody>",
            alone.len()
        );
        for u in alone {
            for m in &u.members {
                let Some(file) = page.by_id.get(&m.doc) else {
                    continue;
                };
                let q = &file.doc.quotes[m.quote];
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"path\">{}</td><td>“{}”</td></tr>",
                    escape(&s.sigla[&m.doc]),
                    speaker_cell(m.speaker.as_deref()),
                    escape(&page.location(m.doc, q.span().start, q.span().end)),
                    one_line(q.span().of(&file.doc.text)),
                );
            }
        }
        out.push_str("</tbody>\n</table>\n</details>\n");
    }
    out.push_str("</section>\n");
}

fn speaker_cell(speaker: Option<&str>) -> String {
    match speaker {
        Some(s) => escape(s),
        None => "<span class=\"none\">nobody named</span>".into(),
    }
}

/// One finding as a list item: severity, code (linked to its meaning), the version's sigil, the
/// location (HTML, escaped by the caller), the message and, when asked, the suggested fix.
fn finding_item(f: &Finding, sigil: &str, location: &str, with_fix: bool) -> String {
    let fix = match super::human::help(f).filter(|_| with_fix) {
        Some(help) => format!(" <span class=\"fix\">({})</span>", escape(&help)),
        None => String::new(),
    };
    format!(
        "<li class=\"{sev}\"><span class=\"sev\">{sev}</span> \
         <a class=\"code\" href=\"#rule-{code}\">{code}</a> <span class=\"sigil\">{sigil}</span> \
         {location}: {msg}{fix}</li>\n",
        sev = f.severity.as_str(),
        code = f.code,
        sigil = escape(sigil),
        msg = escape(&f.message),
    )
}

fn plural<'w>(n: usize, one: &'w str, many: &'w str) -> &'w str {
    if n == 1 { one } else { many }
}

fn utterance(out: &mut String, page: &Page, s: &Story, u: &Utterance, open: bool) {
    let id = anchor("u-", &format!("{}-{}", s.number, u.id));
    let table = alignment::align(u, page.report.corpus);
    let findings = page.member_findings(u);
    let speaker = speaker_of(u);
    let reference = u.sample(table.reference);
    let ref_text = page
        .by_id
        .get(&reference.doc)
        .map(|f| f.doc.quote_text(reference.quote).to_string())
        .unwrap_or_default();
    let total = u.version_count();
    let agreeing: Vec<String> = {
        let mut seen = Vec::new();
        for m in &u.members {
            let agrees = m.status == Status::Agrees || m.reading == table.reference;
            let sig = s.sigla.get(&m.doc).cloned().unwrap_or_default();
            if agrees && !seen.contains(&sig) {
                seen.push(sig);
            }
        }
        seen
    };
    let mut codes: Vec<Code> = findings.iter().map(|(_, f)| f.code).collect();
    codes.sort();
    codes.dedup();
    let status = if !findings.is_empty() {
        "differs"
    } else {
        "agrees"
    };
    let words: Vec<&str> = ref_text.split_whitespace().collect();
    let mut gist = words.iter().take(14).copied().collect::<Vec<_>>().join(" ");
    if words.len() > 14 {
        gist.push_str(" …");
    }
    let _ = writeln!(
        out,
        "<details class=\"utterance {status}\" id=\"{id}\"{}>\n<summary><span class=\"who\">{}</span>: \
         “{}” <span class=\"meta\">{} {}{}</span></summary>",
        if open { " open" } else { "" },
        speaker_cell(speaker),
        escape(&gist),
        total,
        plural(total, "version", "versions"),
        codes
            .iter()
            .map(|c| format!(" <span class=\"code\">{c}</span>"))
            .collect::<String>(),
    );
    // The canonical reading and its support.
    match u.canonical {
        Some(c) => {
            let _ = writeln!(
                out,
                "<p class=\"canonical\">Canonical reading, support {} of {total} {} ({}): “{}”</p>",
                u.readings[c].support,
                plural(total, "version", "versions"),
                escape(&agreeing.join(", ")),
                one_line(u.canonical_text.as_deref().unwrap_or(&ref_text)),
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<p class=\"canonical none\">No canonical reading: no wording is better supported \
                 than the others. The table compares the versions with {}'s: “{}”</p>",
                escape(s.sigla.get(&reference.doc).map_or("", String::as_str)),
                one_line(&ref_text),
            );
        }
    }
    if !findings.is_empty() {
        out.push_str("<ul class=\"findings\">\n");
        for (doc, f) in &findings {
            let loc = escape(&page.location(*doc, f.span.start, f.span.end));
            let sigil = s.sigla.get(doc).map_or("", String::as_str);
            out.push_str(&finding_item(f, sigil, &loc, true));
        }
        out.push_str("</ul>\n");
    }
    // Each version: sigil, source, speaker, location, standing.
    let majority = speaker.map(crate::collate::utterance::speaker_key);
    let _ = writeln!(
        out,
        "<table class=\"witnesses\">\n<caption class=\"sr\">Versions of this quote</caption>\n<thead><tr>\
         <th scope=\"col\">Version</th><th scope=\"col\">Source</th><th scope=\"col\">Speaker</th>\
         <th scope=\"col\">Location</th><th scope=\"col\">Reading</th></tr></thead>\n<tbody>"
    );
    let labels = row_labels(s, u);
    for (i, m) in u.members.iter().enumerate() {
        let Some(file) = page.by_id.get(&m.doc) else {
            continue;
        };
        let q = &file.doc.quotes[m.quote];
        let other_speaker = match (&majority, m.speaker.as_deref()) {
            (Some(k), Some(sp)) => crate::collate::utterance::speaker_key(sp) != *k,
            (Some(_), None) => true,
            _ => false,
        };
        let standing = match m.status {
            _ if m.reading == table.reference && u.canonical.is_some() => "canonical reading",
            Status::Agrees => "agrees",
            Status::Differs => "differs",
            Status::Unmatched => "only this version",
        };
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td{}>{}</td><td class=\"path\">{}</td><td>{}</td></tr>",
            escape(&labels[i]),
            escape(file.doc.source_label()),
            if other_speaker {
                " class=\"variant\""
            } else {
                ""
            },
            speaker_cell(m.speaker.as_deref()),
            escape(&page.location(m.doc, q.span().start, q.span().end)),
            standing,
        );
    }
    out.push_str("</tbody>\n</table>\n");
    alignment_tables(out, &table, &labels, u.canonical.is_some());
    out.push_str("</details>\n");
}

/// Row labels: the version's sigil, numbered when a version carries the remark more than once.
fn row_labels(s: &Story, u: &Utterance) -> Vec<String> {
    let mut count: HashMap<DocId, usize> = HashMap::new();
    for m in &u.members {
        *count.entry(m.doc).or_default() += 1;
    }
    let mut nth: HashMap<DocId, usize> = HashMap::new();
    u.members
        .iter()
        .map(|m| {
            let base = s.sigla.get(&m.doc).cloned().unwrap_or_default();
            if count[&m.doc] > 1 {
                let k = nth.entry(m.doc).or_default();
                *k += 1;
                format!("{base}{k}")
            } else {
                base
            }
        })
        .collect()
}

fn alignment_tables(out: &mut String, table: &Table, labels: &[String], canonical: bool) {
    let columns = table.columns();
    let blocks = columns.div_ceil(BLOCK).max(1);
    out.push_str("<div class=\"alignment\">\n");
    for b in 0..blocks {
        let from = b * BLOCK;
        let to = (from + BLOCK).min(columns);
        let _ = writeln!(
            out,
            "<table class=\"align\">\n<caption class=\"sr\">Words aligned{}</caption>\n<tbody>",
            if blocks > 1 {
                format!(", part {} of {blocks}", b + 1)
            } else {
                String::new()
            }
        );
        let _ = write!(
            out,
            "<tr class=\"reference\"><th scope=\"row\">{}</th>",
            if canonical { "Canonical" } else { "Reference" }
        );
        for cell in &table.reference_cells[from..to] {
            let _ = write!(out, "<td>{}</td>", escape(&cell.text));
        }
        out.push_str("</tr>\n");
        for (row, label) in table.rows.iter().zip(labels) {
            let differs = row.iter().any(|c| c.kind.differs());
            let _ = write!(
                out,
                "<tr{}><th scope=\"row\">{}</th>",
                if differs { " class=\"differs\"" } else { "" },
                escape(label)
            );
            for cell in &row[from..to] {
                let text = escape(&cell.text);
                let _ = match cell.kind {
                    CellKind::Same => write!(out, "<td>{text}</td>"),
                    CellKind::Variant => {
                        write!(out, "<td class=\"variant\"><mark>{text}</mark></td>")
                    }
                    CellKind::Added => write!(out, "<td class=\"added\"><ins>{text}</ins></td>"),
                    CellKind::Missing => {
                        write!(out, "<td class=\"missing\"><del>{text}</del></td>")
                    }
                    CellKind::Elided => write!(out, "<td class=\"elided\">{text}</td>"),
                    CellKind::Empty => write!(out, "<td class=\"empty\"></td>"),
                };
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</div>\n");
}

fn glossary(out: &mut String) {
    out.push_str(
        "<section id=\"codes\" aria-labelledby=\"codes-h\">\n<h2 id=\"codes-h\">What the \
         findings mean</h2>\n<dl>\n",
    );
    for code in Code::ALL {
        let _ = writeln!(
            out,
            "<dt id=\"rule-{code}\"><code>{code}</code> ({})</dt><dd>{}</dd>",
            code.default_severity().as_str(),
            escape(&what_it_means(code)),
        );
    }
    out.push_str("</dl>\n<p>More: <code>verbatim explain CODE</code>.</p>\n</section>\n");
}

const STYLE: &str = r#":root { color-scheme: light; --ink: #1b1b1b; --muted: #5b5b5b; --rule: #c9c9c9;
  --variant: #ffe08a; --added: #c9ecd0; --missing: #f7c6c6; --focus: #1f5fbf; }
* { box-sizing: border-box; }
body { font: 16px/1.45 Georgia, "Times New Roman", serif; color: var(--ink); margin: 0 auto;
  max-width: 72rem; padding: 1rem 1.25rem 3rem; background: #fff; }
h1, h2, h3, summary, table, .summary, .legend, .controls, button { font-family: system-ui,
  -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
a { color: #0b4ea2; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem .6rem; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.summary { font-size: 1.05rem; }
.legend { color: var(--muted); font-size: .9rem; }
button { font-size: .9rem; padding: .25rem .7rem; border: 1px solid var(--muted); border-radius: 4px;
  background: #f4f4f4; cursor: pointer; }
ul.findings { list-style: none; padding-left: 0; margin: .4rem 0; }
ul.findings li { padding: .25rem .5rem; border-left: 4px solid var(--rule); margin: .2rem 0; }
li.error { border-left-color: #b3261e !important; }
li.warning { border-left-color: #c77700 !important; }
li.info, li.hint { border-left-color: #2a6fbb !important; }
.sev { font: 600 .75rem system-ui, sans-serif; text-transform: uppercase; letter-spacing: .03em; }
.code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: .85rem; }
.sigil { font: 700 .8rem system-ui, sans-serif; border: 1px solid var(--muted); border-radius: 3px;
  padding: 0 .3rem; }
.fix { color: var(--muted); }
.path { font-family: ui-monospace, Menlo, monospace; font-size: .85rem; word-break: break-all; }
.none { color: var(--muted); font-style: italic; }
details.utterance { border: 1px solid var(--rule); border-radius: 6px; margin: .6rem 0; padding: 0 .8rem; }
details.utterance.differs { border-left: 5px solid #c77700; }
details.utterance[open] { padding-bottom: .8rem; }
summary { cursor: pointer; padding: .5rem 0; }
summary h3 { display: inline; }
summary .meta { color: var(--muted); font-size: .85rem; }
summary .who { font-weight: 600; }
.canonical { margin: .3rem 0 .6rem; }
table { border-collapse: collapse; margin: .4rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .2rem 0; }
th, td { border: 1px solid var(--rule); padding: .2rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #f1f1f1; }
table.witnesses td.variant { background: var(--variant); font-weight: 600; }
.alignment table.align { font-family: Georgia, serif; font-size: .95rem; }
.alignment th { font-family: system-ui, sans-serif; background: #f6f6f6; white-space: nowrap; }
.alignment tr.reference td { background: #f3f6fb; font-weight: 600; }
.alignment td { white-space: nowrap; }
.alignment td.empty { background: repeating-linear-gradient(135deg, #fff 0 4px, #f3f3f3 4px 8px); }
mark { background: var(--variant); color: inherit; font-weight: 700; padding: 0 .1rem; }
td.variant { background: var(--variant); }
ins { background: var(--added); text-decoration: underline 2px; font-weight: 700; }
td.added { background: var(--added); }
del { background: var(--missing); text-decoration: line-through 2px; }
td.missing { background: var(--missing); }
td.elided { color: var(--muted); text-align: center; }
dl dt { margin-top: .6rem; font-weight: 600; }
dl dd { margin-left: 1.2rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .controls, .skip { display: none; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: contents; }
  details.utterance, section.story { break-inside: auto; }
  table.align { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
"#;

const SCRIPT: &str = r#"(function () {
  'use strict';
  function all(open) {
    document.querySelectorAll('details').forEach(function (d) { d.open = open; });
  }
  document.querySelectorAll('button[data-action]').forEach(function (b) {
    b.addEventListener('click', function () { all(b.dataset.action === 'expand'); });
  });
  // Print everything: unfold for printing, fold back what was folded afterwards.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) {
      d.dataset.folded = '1';
      d.open = true;
    });
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-folded]').forEach(function (d) {
      d.open = false;
      delete d.dataset.folded;
    });
  });
  // A link to a folded quote unfolds it.
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === 'DETAILS') { el.open = true; }
  }
  window.addEventListener('hashchange', reveal);
  reveal();
})();
"#;
