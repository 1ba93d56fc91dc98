//! Suppression of findings: inline `verbatim: ignore` comments and `ignore` patterns from
//! `verbatim.toml`.
//!
//! Inline: a line that holds only a suppression comment, directly above the line where a quote
//! opens (or where a name stands), silences that quote's findings:
//! - Markdown and any file: `<!-- verbatim: ignore -->`
//! - plain text: `// verbatim: ignore` or `# verbatim: ignore`
//!
//! Codes may follow to silence only those: `<!-- verbatim: ignore quote-differs, speaker-differs -->`.
//! A suppressed quote still counts as evidence for the other versions.
//!
//! `ignore` patterns in `verbatim.toml` are globs (`*` any run of characters, `?` one
//! character), matched case-insensitively against the whole quoted text (or name) with white
//! space collapsed: `ignore = ["*off the record*"]`.
//!
//! Pure; no file system.

use crate::config::Config;
use crate::document::Document;
use crate::findings::{Code, Finding};
use crate::text::line_index::{line_end, line_start};

/// The suppression rules that apply to one document.
pub struct Suppressions {
    patterns: Vec<Vec<char>>,
}

/// What a suppression comment line says: `None` if the line is no suppression comment,
/// `Some(empty)` for every code, or the codes it names.
pub fn parse_comment(line: &str) -> Option<Vec<Code>> {
    let t = line.trim();
    let inner = if let Some(rest) = t.strip_prefix("<!--") {
        rest.strip_suffix("-->")?
    } else if let Some(rest) = t.strip_prefix("//") {
        rest
    } else {
        t.strip_prefix('#')?
    };
    let rest = inner.trim().strip_prefix("verbatim:")?.trim_start();
    let rest = rest.strip_prefix("ignore")?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t', ','])) {
        return None;
    }
    let codes: Vec<&str> = rest
        .split([' ', '\t', ','])
        .filter(|c| !c.is_empty())
        .collect();
    let parsed: Vec<Code> = codes.iter().filter_map(|c| Code::parse(c)).collect();
    if !codes.is_empty() && parsed.is_empty() {
        // Only unknown codes: suppress nothing rather than everything.
        return None;
    }
    Some(parsed)
}

/// The comment line that silences a quote in the file at `path` ("Ignore this quote"): the HTML
/// comment in Markdown, a `#` line in plain text. Insert it, with the line's indentation, above
/// the line where the quote opens.
pub fn suppression_comment(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    if [".md", ".markdown", ".mdx", ".html", ".htm"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        "<!-- verbatim: ignore -->"
    } else {
        "# verbatim: ignore"
    }
}

/// Case-insensitive glob match of the whole `text`.
fn glob_match(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    while p < pattern.len() && pattern[p] == '*' {
        p += 1;
    }
    p == pattern.len()
}

fn fold(s: &str) -> Vec<char> {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .flat_map(char::to_lowercase)
        .collect()
}

impl Suppressions {
    pub fn of(_doc: &Document, config: &Config) -> Suppressions {
        Suppressions {
            patterns: config.ignore.iter().map(|p| fold(p)).collect(),
        }
    }

    /// Whether `finding` (about `doc`) is suppressed.
    pub fn suppresses(&self, doc: &Document, finding: &Finding) -> bool {
        // The quote the finding is about, if any: its opening mark anchors the comment.
        let quote = doc.quotes.iter().find(|q| q.span == finding.span);
        let anchor = quote.map_or(finding.span.start, |q| q.open.start.min(q.span.start));
        if let Some(codes) = comment_above(&doc.text, anchor)
            && (codes.is_empty() || codes.contains(&finding.code))
        {
            return true;
        }
        if self.patterns.is_empty() {
            return false;
        }
        let Some(text) = doc.text.get(finding.span.start..finding.span.end) else {
            return false;
        };
        let text = fold(text);
        self.patterns.iter().any(|p| glob_match(p, &text))
    }
}

/// The suppression comment on the line directly above the line holding `offset`.
/// Lines end at `\n`, `\r\n` or a lone `\r`.
fn comment_above(text: &str, offset: usize) -> Option<Vec<Code>> {
    let start = line_start(text, offset);
    if start == 0 {
        return None;
    }
    let above = line_start(text, start - 1);
    parse_comment(&text[above..line_end(text, above).0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_forms() {
        assert_eq!(parse_comment("<!-- verbatim: ignore -->"), Some(vec![]));
        assert_eq!(parse_comment("  // verbatim: ignore"), Some(vec![]));
        assert_eq!(parse_comment("# verbatim: ignore"), Some(vec![]));
        assert_eq!(
            parse_comment("<!-- verbatim: ignore quote-differs, speaker-differs -->"),
            Some(vec![Code::QuoteDiffers, Code::SpeakerDiffers])
        );
        assert_eq!(parse_comment("# verbatim: ignore nonsense-code"), None);
        assert_eq!(parse_comment("# verbatim: ignored"), None);
        assert_eq!(parse_comment("The mayor said “ignore it”."), None);
    }

    #[test]
    fn the_inserted_comment_is_understood() {
        for path in ["a/story.md", "b/story.txt", "C/STORY.MD"] {
            assert_eq!(parse_comment(suppression_comment(path)), Some(vec![]));
        }
        assert!(suppression_comment("x.md").starts_with("<!--"));
        assert!(suppression_comment("x.txt").starts_with('#'));
    }

    #[test]
    fn comment_must_be_directly_above() {
        let text = "intro\n<!-- verbatim: ignore -->\nShe said “hi”.\n\nHe said “no”.";
        let q1 = text.find("hi").unwrap();
        let q2 = text.find("no”").unwrap();
        assert!(comment_above(text, q1).is_some());
        assert!(comment_above(text, q2).is_none());
        assert!(comment_above("“first line”", 1).is_none());
        for eol in ["\r", "\r\n"] {
            let text = format!("intro{eol}# verbatim: ignore{eol}She said “hi”.");
            assert!(
                comment_above(&text, text.find("hi").unwrap()).is_some(),
                "{eol:?}"
            );
        }
    }

    #[test]
    fn globs() {
        let m = |p: &str, t: &str| glob_match(&fold(p), &fold(t));
        assert!(m("*off the record*", "This is OFF the record, OK"));
        assert!(m("no comment", "No   comment"));
        assert!(!m("no comment", "no comment at all"));
        assert!(m("n? comment*", "no comment at all"));
    }
}
