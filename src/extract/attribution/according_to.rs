//! Rule 6, `according to X` anywhere in the quote's sentence.
//!
//! Fixture: `tests/fixtures/attribution/cue_according_to.txt`.

use super::CUE_WINDOW;
use super::reader::Reader;
use crate::document::Attribution;

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
        }
        None
    }
}
