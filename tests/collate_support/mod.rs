//! Test support for collation: builds documents by hand from fixture articles and their
//! `.quotes` sidecars, so collation is tested independently of extraction, and renders an
//! analysis readably for snapshots.
//!
//! Sidecar format (one line each, `#` comments):
//! - `Speaker Name [@surface] | quoted text` — the next occurrence of the quoted text (after the
//!   previous quote) is a speech quote by that speaker; `@surface` names the nearest occurrence
//!   of those words as the attribution's name span; `-` as speaker means nobody is named.
//! - `mention | text` — a mention (title, nickname), not speech.
//! - `person: Name` / `org: Name` — every occurrence is a name mention.
#![allow(dead_code)]

use std::path::Path;
use verbatim::collate::Analysis;
use verbatim::config::Config;
use verbatim::corpus::Corpus;
use verbatim::document::{
    Attribution, Document, Meta, NameKind, NameMention, Quote, QuoteKind, Resolution, Span,
};
use verbatim::text::line_index::{Encoding, LineIndex};

/// Every fixture story (a folder under tests/fixtures/stories/), in name order.
pub fn fixture_stories() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stories");
    let mut names: Vec<String> = std::fs::read_dir(root)
        .expect("tests/fixtures/stories")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn fixture_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stories")
        .join(name)
}

/// Metadata the way the fixtures write it: YAML front matter or a `Source:` line.
fn meta(text: &str) -> Meta {
    let mut m = Meta::default();
    if let Some(rest) = text.strip_prefix("---\n")
        && let Some(end) = rest.find("\n---\n")
    {
        for line in rest[..end].lines() {
            if let Some(v) = line.strip_prefix("source:") {
                m.source = Some(v.trim().to_string());
            }
            if let Some(v) = line.strip_prefix("published:") {
                m.date = Some(v.trim().to_string());
            }
        }
        m.body_start = 4 + end + 5;
    } else if let Some(line) = text.lines().find(|l| l.starts_with("Source:")) {
        m.source = Some(line["Source:".len()..].trim().to_string());
    }
    m
}

fn mark_span(text: &str, at: usize, before: bool) -> Option<Span> {
    let c = if before {
        text[..at].chars().next_back()?
    } else {
        text[at..].chars().next()?
    };
    matches!(c, '“' | '”' | '"' | '‘' | '’' | '\'' | '«' | '»').then(|| {
        if before {
            Span::new(at - c.len_utf8(), at)
        } else {
            Span::new(at, at + c.len_utf8())
        }
    })
}

/// Finds `needle` in `text` from `from`, where a space in the needle matches any run of white
/// space (hard-wrapped articles). Returns the byte range.
fn find_flexible(text: &str, from: usize, needle: &str) -> Option<(usize, usize)> {
    let first = needle.chars().next()?;
    for (i, c) in text[from..].char_indices() {
        if c != first {
            continue;
        }
        let start = from + i;
        let mut t = text[start..].chars().peekable();
        let mut len = 0;
        let mut ok = true;
        for n in needle.chars() {
            if n == ' ' {
                let mut any = false;
                while let Some(&w) = t.peek() {
                    if !w.is_whitespace() {
                        break;
                    }
                    any = true;
                    len += w.len_utf8();
                    t.next();
                }
                if !any {
                    ok = false;
                    break;
                }
            } else if t.next() == Some(n) {
                len += n.len_utf8();
            } else {
                ok = false;
                break;
            }
        }
        if ok {
            return Some((start, start + len));
        }
    }
    None
}

/// Builds the document at `path` (relative name `rel`) from its text and sidecar.
pub fn hand_document(path: &Path, rel: &str) -> Document {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let meta = meta(&text);
    let sidecar = std::fs::read_to_string(format!("{}.quotes", path.display())).unwrap_or_default();
    let mut quotes = Vec::new();
    let mut names = Vec::new();
    let mut cursor = meta.body_start;
    for line in sidecar.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        for (prefix, kind) in [
            ("person:", NameKind::Person),
            ("org:", NameKind::Organisation),
        ] {
            if let Some(name) = line.strip_prefix(prefix) {
                let name = name.trim();
                let mut from = meta.body_start;
                while let Some((start, end)) = find_flexible(&text, from, name) {
                    names.extend(NameMention::new(Span::new(start, end), kind));
                    from = end;
                }
            }
        }
        let Some((who, quoted)) = line.split_once(" | ") else {
            continue;
        };
        let (start, end) = find_flexible(&text, cursor, quoted)
            .unwrap_or_else(|| panic!("{rel}: quote not found: {quoted}"));
        cursor = end;
        let (speaker, surface) = match who.split_once(" @") {
            Some((s, f)) => (s.trim(), Some(f.trim())),
            None => (who.trim(), None),
        };
        let kind = if speaker == "mention" {
            QuoteKind::Mention
        } else {
            QuoteKind::Speech
        };
        let attribution = (kind == QuoteKind::Speech && speaker != "-").then(|| {
            let name_span = surface.and_then(|f| {
                let mut best: Option<Span> = None;
                let mut from = meta.body_start;
                while let Some(i) = text[from..].find(f) {
                    let s = from + i;
                    let cand = Span::new(s, s + f.len());
                    let dist = |sp: Span| sp.start.abs_diff(start).min(sp.end.abs_diff(end));
                    if best.is_none_or(|b| dist(cand) < dist(b)) {
                        best = Some(cand);
                    }
                    from = s + f.len();
                }
                best
            });
            Attribution::new(speaker, None, "said", name_span, Resolution::Name)
        });
        quotes.push(
            Quote::new(
                Span::new(start, end),
                mark_span(&text, start, true).unwrap_or(Span::new(start, start)),
                mark_span(&text, end, false),
                kind,
                attribution,
                None,
            )
            .unwrap(),
        );
    }
    names.sort_by_key(|n| n.span());
    Document {
        path: rel.to_string(),
        text,
        meta,
        quotes,
        names,
    }
}

/// The configuration of a fixture folder (its `verbatim.toml`, else the default).
pub fn fixture_config(dir: &Path) -> Config {
    std::fs::read_to_string(dir.join("verbatim.toml"))
        .ok()
        .map(|s| toml::from_str(&s).expect("fixture verbatim.toml parses"))
        .unwrap_or_default()
}

/// Every article of the fixture folders `names`, built by hand, in one corpus.
pub fn hand_corpus(names: &[&str], config: Config) -> Corpus {
    let mut corpus = Corpus::new(config);
    for name in names {
        let dir = fixture_dir(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("fixture dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("md" | "txt")))
            .collect();
        files.sort();
        for f in files {
            let rel = format!("{name}/{}", f.file_name().unwrap().to_string_lossy());
            corpus.upsert(hand_document(&f, &rel));
        }
    }
    corpus
}

fn pos(text: &str, idx: &LineIndex, offset: usize) -> String {
    let p = idx.position(text, offset, Encoding::Chars);
    format!("{}:{}", p.line + 1, p.col + 1)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every quote's collation and every finding, readably, document by document.
pub fn render(corpus: &Corpus, analysis: &Analysis) -> String {
    let mut out = String::new();
    for (id, doc) in corpus.documents() {
        let idx = LineIndex::new(&doc.text);
        out.push_str(&format!("== {} ({})\n", doc.path, doc.source_label()));
        for (qi, q) in doc.quotes.iter().enumerate() {
            let info = analysis.quote_info(id, qi).cloned().unwrap_or_default();
            out.push_str(&format!(
                "  quote {} “{}” by {}: {} {}\n",
                pos(&doc.text, &idx, q.span().start),
                one_line(q.span().of(&doc.text)),
                q.speaker().unwrap_or("nobody"),
                info.status
                    .map_or("-".to_string(), |s| format!("{s:?}").to_lowercase()),
                info.group.as_deref().unwrap_or("-"),
            ));
            if let Some(c) = &info.canonical {
                out.push_str(&format!("      canonical “{}”\n", one_line(c)));
            }
        }
        for f in analysis.findings(id) {
            out.push_str(&format!(
                "  {} {} {} “{}”\n      {}\n",
                pos(&doc.text, &idx, f.span.start),
                f.severity.as_str(),
                f.code,
                one_line(f.span.of(&doc.text)),
                f.message
            ));
            for r in f.related.iter() {
                let rdoc = corpus.id_of(&r.path).and_then(|rid| corpus.get(rid));
                let rpos = rdoc
                    .map(|d| pos(&d.text, &LineIndex::new(&d.text), r.span.start))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "      related {}:{} {}\n",
                    r.path, rpos, r.message
                ));
            }
            for fix in &f.fixes {
                out.push_str(&format!(
                    "      fix{} {}: “{}” -> “{}”\n",
                    if fix.preferred { "*" } else { "" },
                    fix.title,
                    one_line(fix.span.of(&doc.text)),
                    one_line(&fix.replacement)
                ));
            }
        }
    }
    out
}
