//! Rule 3's first question, before any verb: an utterance noun with its owner written before
//! the quote (`Trump's claim that Obama “founded ISIS”`, `Clinton's assertion of a “claim of
//! right”`, `Sanders's clarion call for a “revolution”`, `Clinton's campaign slogan is “I'm
//! with her.”`). The quote is the owner's words, whoever the sentence's subject is: in `Fitton
//! called Clinton's assertion of a “claim of right” significant` the words are Clinton's.
//!
//! The nouns are `lexicon/utterance_nouns.txt`.
//!
//! Fixture: `tests/fixtures/attribution/utterance_owner.txt`.

use super::reader::Reader;
use crate::document::{Attribution, NameKind, Span};
use crate::extract::cues;
use crate::text::collapse_whitespace as one_line;

/// How far before the quote the noun may stand, in tokens.
const NOUN_WINDOW: usize = 12;
/// How many lower-case words may stand between the owner and the noun ("most explosive").
const MODIFIERS: usize = 3;

impl Reader<'_, '_> {
    /// The owner of an utterance noun before the quote at token `qs`, in the sentence that
    /// starts at `first`.
    pub(super) fn utterance_owner(&self, qs: usize, first: usize) -> Option<Attribution> {
        let w = self.words;
        let lo = first.max(qs.saturating_sub(NOUN_WINDOW));
        let mut k = qs;
        while k > lo {
            k -= 1;
            if !self.outside(k) {
                return None;
            }
            let s = self.str(k);
            if !w.is_word(k) {
                // A clause ends at a comma or semicolon, except a comma right before the
                // quote after a copula ("Barrett's dictum was, “…”").
                let copula = |j: usize| {
                    matches!(
                        &*w.lower(j),
                        "is" | "was" | "are" | "were" | "remains" | "became"
                    )
                };
                if matches!(s, ";" | "(" | ")")
                    || (s == "," && !(k + 1 == qs && k > lo && copula(k - 1)))
                {
                    return None;
                }
                continue;
            }
            if cues::is_utterance_noun(s) && !w.is_capitalised(k) {
                return self
                    .opens_content(k, qs)
                    .then(|| self.owner_before(k, lo))
                    .flatten();
            }
            // A speech verb nearer the quote reports it.
            if cues::inflected_speech_verb(s).is_some() {
                return None;
            }
        }
        None
    }

    /// Whether what follows the noun at `noun` is its content (`claim that …`, `assertion of
    /// a …`, `pledge to be …`, `call for a …`; `slogan is …` for a saying's name) rather than
    /// a judgement of it (`Brandt's remarks as “hurtful”`, `Brandt's comments are “…”`: the
    /// judge's words).
    fn opens_content(&self, noun: usize, qs: usize) -> bool {
        let w = self.words;
        let next = noun + 1;
        if next >= qs {
            return false;
        }
        let saying = matches!(
            &*w.lower(noun),
            "slogan" | "motto" | "mantra" | "catchphrase" | "refrain" | "dictum"
        );
        // "Rubio's claim that Cruz is … is “simply not true”", "Obama's statement that he
        // opposed the war as “a fairy tale”": a second verb or an "as" after the content
        // judges it.
        let copulas = (next..qs)
            .filter(|&k| matches!(&*w.lower(k), "is" | "was" | "are" | "were"))
            .count();
        let mut before = qs - 1;
        if before > next && matches!(&*w.lower(before), "a" | "an" | "the") {
            before -= 1;
        }
        if copulas > 1 || w.lower(before) == "as" {
            return false;
        }
        // "pledge to be …" (not "comments to the FBI").
        let pledge = matches!(
            &*w.lower(noun),
            "pledge" | "promise" | "vow" | "call" | "demand" | "plea"
        );
        match &*w.lower(next) {
            "that" | "of" | "for" => true,
            "to" => pledge,
            "is" | "was" | ":" | "," => saying,
            _ => false,
        }
    }

    /// A person's possessive name right before the noun at `noun`, past a few lower-case
    /// modifiers.
    fn owner_before(&self, noun: usize, lo: usize) -> Option<Attribution> {
        let w = self.words;
        let mut o = noun;
        while o > lo && noun - o <= MODIFIERS {
            o -= 1;
            if let Some(m) = self.names.mention_at(o).filter(|m| m.last_tok == o) {
                if !m.possessive || m.quoted || self.names.entity(m.entity).kind != NameKind::Person
                {
                    return None;
                }
                let f = self.speaker_ending_at(o)?;
                let span = Span::new(w.tokens[m.first_tok].span.start, w.tokens[noun].span.end);
                return Some(self.attribution(f, one_line(span.of(w.text))));
            }
            // "Grayson's spokeswoman challenged the assertion": a determiner ends the noun
            // phrase.
            if !w.is_word(o)
                || w.is_capitalised(o)
                || matches!(
                    &*w.lower(o),
                    "the" | "a" | "an" | "this" | "that" | "his" | "her" | "its" | "their"
                )
            {
                return None;
            }
        }
        None
    }
}
