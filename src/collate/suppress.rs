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
//! character, everything else literal), matched case-insensitively against the whole quoted
//! text (or name) with white space collapsed: `ignore = ["*off the record*"]`. They are
//! compiled once per document into one `globset` set, the glob crate `include`/`exclude`
//! already use.
//!
//! Pure; no file system.

use crate::config::Config;
use crate::document::Document;
use crate::findings::{Code, Finding};
use crate::text::collapse_whitespace;
use crate::text::line_index::{line_end, line_start};
use globset::{GlobSet, GlobSetBuilder};

/// The suppression rules that apply to one document.
pub struct Suppressions {
    patterns: GlobSet,
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

/// The form `ignore` patterns and texts are compared in: white space collapsed, lower case,
/// and each character spelled as `g` and six hex digits. globset matches bytes and folds ASCII
/// case only; in this spelling a pattern's `?` (seven `?`s) is exactly one character of any
/// script, a `*` can only stop between characters (a `g` starts each one), and case folds for
/// every script.
fn spelled(text: &str, wildcards: bool) -> String {
    let mut out = String::new();
    for c in collapse_whitespace(text)
        .chars()
        .flat_map(char::to_lowercase)
    {
        match c {
            '*' if wildcards => out.push('*'),
            '?' if wildcards => out.push_str("???????"),
            c => out.push_str(&format!("g{:06x}", u32::from(c))),
        }
    }
    out
}

/// A glob matching what `pattern` says: `*` any run of characters, `?` one character, every
/// other character itself, case-insensitively, white space collapsed.
fn ignore_glob(pattern: &str) -> Option<globset::Glob> {
    globset::GlobBuilder::new(&spelled(pattern, true))
        .literal_separator(false)
        .build()
        .ok()
}

impl Suppressions {
    pub fn of(_doc: &Document, config: &Config) -> Suppressions {
        let mut set = GlobSetBuilder::new();
        for glob in config.ignore.iter().filter_map(|p| ignore_glob(p)) {
            set.add(glob);
        }
        Suppressions {
            patterns: set.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    /// Whether `finding` (about `doc`) is suppressed.
    pub fn suppresses(&self, doc: &Document, finding: &Finding) -> bool {
        // The quote the finding is about, if any: its opening mark anchors the comment.
        // Quotes are in text order and do not overlap: a binary search finds it.
        let quote = doc
            .quotes
            .binary_search_by_key(&finding.span.start, |q| q.span().start)
            .ok()
            .map(|i| &doc.quotes[i])
            .filter(|q| q.span() == finding.span);
        let anchor = quote.map_or(finding.span.start, |q| q.open().start.min(q.span().start));
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
        self.patterns.is_match(spelled(text, false))
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
        let m = |p: &str, t: &str| {
            ignore_glob(p).is_some_and(|g| g.compile_matcher().is_match(spelled(t, false)))
        };
        assert!(m("*off the record*", "This is OFF the record, OK"));
        assert!(m("no comment", "No   comment"));
        assert!(!m("no comment", "no comment at all"));
        assert!(m("n? comment*", "no comment at all"));
        assert!(m("*and/or*", "this and/or that"));
        assert!(m("ÉTÉ ?", "été à"));
        assert!(!m("caf?", "cafés"));
        assert!(m("caf? *", "Café Ørsted is closed"));
        assert!(m("[sic]*", "[SIC] the rest"));
        assert!(!m("[sic]*", "s the rest"));
        assert!(m("**", "anything\nat all"));
        assert!(m("{a,b}", "{A,B}"));
    }
}
