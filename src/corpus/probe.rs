//! A quick first guess at a document's story before its folder is read: which raw article texts
//! hold runs of the document's quoted words.
//!
//! The language server uses it when a document is opened in a folder it has not indexed yet:
//! rather than parse every article before the first diagnostics, it scans the folder's texts
//! for the opened document's [`Probe`], parses only the few that score, and collates those
//! first. The guess only decides what is read early; the stories themselves still come from
//! [`super::story`] over what was read, and the whole folder follows.
//!
//! A probe is a set of three-word runs taken from the document's quotes (at most
//! [`MAX_PATTERNS`], spread over the quotes, each at least [`MIN_PATTERN_LEN`] bytes), matched
//! as written in one pass over a text's bytes (Aho–Corasick, leftmost-first). Versions of one
//! story quote the same words, so they share many runs; a reworded word costs a version three
//! runs, not all. A run that another starts inside is not counted when both are found
//! side by side: the score is a lower bound, and a fast one.
//! Pure: works on text; never reads files.

use crate::document::{Document, QuoteKind};
use aho_corasick::{AhoCorasick, MatchKind};

/// At most this many runs per probe.
pub const MAX_PATTERNS: usize = 24;
/// A run shorter than this (in bytes, spaces included) is too common to tell stories apart.
pub const MIN_PATTERN_LEN: usize = 14;

/// The quoted runs of one document, ready to be looked for in other texts.
#[derive(Debug, Clone)]
pub struct Probe {
    matcher: Option<AhoCorasick>,
    patterns: usize,
}

/// A quote's words as written, trimmed of punctuation at their ends; a word with other
/// characters inside (a dash, an apostrophe of another style) breaks the run.
fn words(quote: &str) -> Vec<Option<&str>> {
    quote
        .split_whitespace()
        .map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            (!w.is_empty() && w.chars().all(|c| c.is_alphanumeric() || c == '\'')).then_some(w)
        })
        .collect()
}

impl Probe {
    /// The probe of `doc`'s speech quotes.
    pub fn of(doc: &Document) -> Probe {
        let per_quote: Vec<Vec<String>> = doc
            .quotes
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind == QuoteKind::Speech)
            .map(|(i, _)| {
                words(doc.quote_text(i))
                    .windows(3)
                    .filter_map(|w| Some(format!("{} {} {}", w[0]?, w[1]?, w[2]?)))
                    .filter(|run| run.len() >= MIN_PATTERN_LEN)
                    .collect()
            })
            .collect();
        // Round robin over the quotes, so one long quote does not take every slot.
        let mut patterns: Vec<String> = Vec::new();
        let longest = per_quote.iter().map(Vec::len).max().unwrap_or(0);
        'fill: for k in 0..longest {
            for runs in &per_quote {
                if let Some(run) = runs.get(k)
                    && !patterns.contains(run)
                {
                    patterns.push(run.clone());
                    if patterns.len() == MAX_PATTERNS {
                        break 'fill;
                    }
                }
            }
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .ok()
            .filter(|_| !patterns.is_empty());
        Probe {
            patterns: if matcher.is_some() { patterns.len() } else { 0 },
            matcher,
        }
    }

    /// How many runs the probe looks for (0 for a document without quotes).
    pub fn patterns(&self) -> usize {
        self.patterns
    }

    /// How many of the probe's runs `text` holds (each counted once).
    pub fn score(&self, text: &[u8]) -> usize {
        let Some(matcher) = &self.matcher else {
            return 0;
        };
        let mut seen = vec![false; self.patterns];
        let mut found = 0;
        for m in matcher.find_iter(text) {
            let p = m.pattern().as_usize();
            if !seen[p] {
                seen[p] = true;
                found += 1;
                if found == self.patterns {
                    break;
                }
            }
        }
        found
    }

    /// Whether a text that scored `score` is worth reading first: two runs or more (one when
    /// the probe has only one).
    pub fn is_related(&self, score: usize) -> bool {
        score >= self.patterns.min(2) && score > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_that_quote_the_same_words_score_and_other_stories_do_not() {
        let doc = Document::parse(
            "a.txt",
            "Source: Wire\n\n“The bridge will carry ten thousand cars a day,” Mayor Rosa \
             Delgado said. “We waited forty years for this crossing,” she added.",
        );
        let probe = Probe::of(&doc);
        assert!(probe.patterns() >= 4, "{probe:?}");
        let reworded = b"Delgado said \"the bridge will carry ten thousand LORRIES a day\" and \
                         that they had waited forty years for this crossing.";
        assert!(probe.is_related(probe.score(reworded)));
        let other = "The council voted on the budget. “We will carry on,” the leader said.";
        assert_eq!(probe.score(other.as_bytes()), 0);
        assert!(!probe.is_related(0));
        let quiet = Document::parse("b.txt", "No quotes here at all.");
        assert_eq!(Probe::of(&quiet).patterns(), 0);
        assert_eq!(Probe::of(&quiet).score(b"anything"), 0);
    }
}
