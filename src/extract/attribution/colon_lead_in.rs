//! Rule 5, a colon lead-in right before the opening mark: `Araghchi: “Q”`, `he issued a
//! warning: “Q”`, `Feld's answer was blunt: “Q”`; or a transcript's turn (`Lind: Well, …
//! ‘Q’`).
//!
//! Fixture: `tests/fixtures/attribution/cue_colon.txt`.

use super::reader::Reader;
use crate::document::{Attribution, NameKind};

impl Reader<'_, '_> {
    /// Rule 5: a colon right before the opening mark.
    pub(super) fn colon_lead_in(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        if qs == 0 || self.str(qs - 1) != ":" || !self.outside(qs - 1) {
            return self.transcript_turn(qs);
        }
        if w.tokens[qs - 1].paragraph != w.tokens[qs].paragraph {
            return None;
        }
        // "a blunt message to Governor Brask: “…”": a name after "to" is addressed, not speaking.
        let addressed = qs >= 2
            && self.names.mention_at(qs - 2).is_some_and(|m| {
                m.first_tok > 0
                    && matches!(
                        &*w.lower(m.first_tok - 1),
                        "to" | "at"
                            | "for"
                            | "against"
                            | "toward"
                            | "towards"
                            | "about"
                            | "on"
                            | "into"
                            | "over"
                    )
            });
        if qs >= 2
            && !addressed
            && let Some(f) = self.speaker_ending_at(qs - 2)
        {
            return Some(self.attribution(f, ":".into()));
        }
        if let Some(f) = self.sentence_subject(w.tokens[qs].sentence, qs - 1) {
            return Some(self.attribution(f, ":".into()));
        }
        // "Feld's answer was blunt: “…”": the clause opens with what a person said; so does
        // "From Feld's statement: “…”" or "In Feld's words: “…”".
        let mut first = w.sentences[w.tokens[qs].sentence].first;
        if matches!(&*w.lower(first), "from" | "in") {
            first += 1;
        }
        let m = self
            .names
            .mention_at(first)
            .filter(|m| m.first_tok == first && m.possessive && m.last_tok + 1 < qs - 1)?;
        let mut noun = m.last_tok + 1;
        if self
            .names
            .mention_at(noun)
            .is_some_and(|n| n.last_tok == noun)
        {
            noun += 1;
        }
        let f = self.speaker_ending_at(noun)?;
        Some(self.attribution(f, ":".into()))
    }

    /// A transcript's turn: a paragraph that opens with a person's name and a colon (`Lind:
    /// Well, no one is like, ‘My pension is speculation.’`) is that person's words, and so is a
    /// quote inside it.
    fn transcript_turn(&self, qs: usize) -> Option<Attribution> {
        let w = self.words;
        let para = w.tokens[qs].paragraph;
        // A headline's colon is rule 7's ("Warren: Trump Is a ‘Proven Failure’").
        if para == 0 || self.names.headline.get(para).copied().unwrap_or(true) {
            return None;
        }
        let (pf, _) = *w.paragraph_tokens.get(para)?;
        let m = self
            .names
            .mention_at(pf)
            .filter(|m| m.first_tok == pf && !m.quoted && !m.possessive)?;
        let colon = m.last_tok + 1;
        if colon + 1 >= qs
            || self.str(colon) != ":"
            || self.names.entity(m.entity).kind != NameKind::Person
        {
            return None;
        }
        let f = self.speaker_ending_at(m.last_tok)?;
        Some(self.attribution(f, ":".into()))
    }
}
