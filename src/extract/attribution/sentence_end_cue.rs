//! Rule 4, a cue at the end of the quote's sentence, after words of the writer's own: `Both
//! boats kept a “standard course” and “standard radio contact” with the tower, Brandt said.`,
//! `“We're extremely happy” about the decision, said Ines Coyle, who chairs the union.` A comma
//! after the quote, then a cue clause that ends the sentence.
//!
//! Fixture: `tests/fixtures/attribution/cue_sentence_end.txt`.

use super::CUE_WINDOW;
use super::reader::Reader;
use crate::document::Attribution;

impl Reader<'_, '_> {
    pub(super) fn sentence_end_cue(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (_, qe) = self.quote_range(qi)?;
        let sentence = w.sentences.get(w.tokens.get(qe)?.sentence)?;
        if w.tokens[qe].sentence != w.tokens[qe - 1].sentence {
            return None;
        }
        // Commas after the quote, before any other quote of the sentence.
        (qe..sentence.end.min(qe + CUE_WINDOW))
            .take_while(|&k| self.outside(k))
            .filter(|&k| self.str(k) == "," && k + 1 < sentence.end)
            .find_map(|k| self.cue_clause(k + 1, false, false))
    }
}
