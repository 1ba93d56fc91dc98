//! Rule 6, `according to X` anywhere in the quote's sentence, and its possessive forms: `in
//! X's view`, `in X's words`.
//!
//! Fixture: `tests/fixtures/attribution/cue_according_to.txt`.

use super::CUE_WINDOW;
use super::reader::Reader;
use crate::document::{Attribution, Span};
use crate::text::collapse_whitespace as one_line;

impl Reader<'_, '_> {
    /// Rule 6: "according to X" anywhere in the quote's sentence.
    pub(super) fn according_to(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        let s = w.sentences[w.tokens[qs].sentence];
        let from = s.first.max(qs.saturating_sub(CUE_WINDOW));
        let to = s.end.saturating_sub(2).min(qs + CUE_WINDOW);
        for k in from..to {
            if self.outside(k)
                && w.lower(k) == "according"
                && w.lower(k + 1) == "to"
                && let Some((f, _)) = self.speaker_phrase_at(k + 2).or_else(|| {
                    // "according to the Israeli Prime Minister’s Office"
                    (w.lower(k + 2) == "the")
                        .then(|| self.speaker_phrase_at(k + 3))
                        .flatten()
                })
            {
                return Some(self.attribution(f, "according to".into()));
            }
            // "in Bolton's view", "in Forbes' words", "in Lowe's opinion".
            if self.outside(k)
                && w.lower(k) == "in"
                && let Some(m) = self.names.mention_at(k + 1)
                && m.first_tok == k + 1
                && m.possessive
                && !m.quoted
                && m.last_tok + 1 < to + 2
                && matches!(
                    w.lower(m.last_tok + 1).as_ref(),
                    "view" | "words" | "opinion" | "estimation" | "assessment" | "telling"
                )
                && let Some(f) = self.speaker_ending_at(m.last_tok)
            {
                let span = Span::new(w.tokens[k].span.start, w.tokens[m.last_tok + 1].span.end);
                return Some(self.attribution(f, one_line(span.of(w.text))));
            }
        }
        None
    }
}
