//! Rule 8, mention or speech: a span after a naming word (`dubbed`, `so-called`, `the show`),
//! a short title-case span not joined to its cue by punctuation, or a short span with no cue
//! inside a sentence names something: it is a mention, has no speaker and passes none on.
//!
//! Fixtures: `tests/fixtures/attribution/mentions.txt`, `mentions_front_matter.md`.

use super::reader::Reader;
use super::{Attach, Attributing, CUE_WINDOW};
use crate::document::{NameKind, QuoteKind};
use crate::extract::cues;

impl Reader<'_, '_> {
    /// The mention rule.
    fn is_mention(&self, qi: usize, attributed: bool, found_attached: Attach) -> bool {
        let w = self.words;
        let Some((qs, qe)) = self.quote_range(qi) else {
            return false;
        };
        let inner = self.inner_words(qi);
        if inner.is_empty() {
            return false;
        }
        let terminal = matches!(self.last_inner(qi), "." | "!" | "?");
        // Joined to its cue by punctuation: `“…,” X said`, `X: “…”`.
        let next =
            (qe < w.tokens.len() && w.tokens[qe].paragraph == w.tokens[qs].paragraph).then_some(qe);
        let attached = found_attached == Attach::Always
            || found_attached == Attach::Punctuated
                && (matches!(self.last_inner(qi), "," | "?" | "!" | "—" | "–")
                    || next.is_some_and(|k| matches!(self.str(k), "," | "—" | "–"))
                    || (qs > 0 && self.str(qs - 1) == ":"));
        // `“Squawk Box” host Joe Kern said`: the span modifies the word after it.
        let modifies_next = next.is_some_and(|k| w.is_word(k) && self.outside(k));
        // A naming word right before the opening mark.
        if qs > 0 && self.outside(qs - 1) && w.is_word(qs - 1) {
            let before = w.lower(qs - 1);
            if cues::is_naming_participle(&before) && !attached {
                return true;
            }
            // "dubbed her last interview the “iron hour”": a naming verb a few words back.
            let floor = w.sentences[w.tokens[qs].sentence]
                .first
                .max(qs.saturating_sub(7));
            for k in (floor..qs - 1).rev() {
                // Not across a clause: in `the so-called establishment, but is now “…”` the
                // participle names the establishment, not the quote.
                if !self.outside(k)
                    || (w.is_word(k) && cues::speech_verb(self.str(k)).is_some_and(|b| b != "dub"))
                    || matches!(self.str(k), "," | ";" | "but" | "and")
                {
                    break;
                }
                if w.is_word(k) && cues::is_naming_participle(self.str(k)) && !attached {
                    return true;
                }
            }
            // "the show “…”", "a book “…”": a naming noun right after a determiner.
            if cues::is_mention_marker(&before) && !attached && qs >= 2 && self.outside(qs - 2) {
                let det = qs - 2;
                let l = w.lower(det);
                if matches!(
                    l.as_ref(),
                    "the" | "a" | "an" | "his" | "her" | "its" | "their" | "our" | "this" | "that"
                ) || w.tokens[det].possessive
                {
                    return true;
                }
            }
            if before == "as"
                && qs >= 2
                && matches!(w.lower(qs - 2).as_ref(), "known" | "referred" | "billed")
            {
                return true;
            }
            if before == "called" && qs >= 2 && self.outside(qs - 2) {
                let p = qs - 2;
                let thing = w.is_word(p)
                    && !w.is_capitalised(p)
                    && self.names.pronoun_at(p).is_none()
                    && self.names.role_at(p).is_none()
                    && !matches!(
                        w.lower(p).as_ref(),
                        "he" | "she" | "they" | "also" | "has" | "have" | "had" | "was" | "once"
                    );
                if thing || self.str(p) == "," {
                    return true;
                }
            }
        }
        let mid_sentence = qs > w.sentences[w.tokens[qs].sentence].first
            && self.outside(qs - 1)
            && self.str(qs - 1) != ":";
        // A short title-case span inside a sentence: a work's title or a nickname.
        let title_case = inner.len() <= 6
            && inner.iter().all(|&k| {
                let s = self.str(k);
                w.is_capitalised(k)
                    || cues::is_title_case_filler(s)
                    || s.chars().all(|c| c.is_ascii_digit())
            })
            // "which locals call “the Grey Giant”": an article may open the name.
            && (w.is_capitalised(inner[0])
                || (inner.len() >= 2
                    && matches!(w.lower(inner[0]).as_ref(), "the" | "a" | "an")
                    && w.is_capitalised(inner[1])))
            && self.str(inner[0]) != "I";
        if title_case && !terminal && !attached && (mid_sentence || modifies_next) {
            return true;
        }
        // A short span nobody is said to have said ("Analysts described it as “fragile”" has a
        // cue, only no named speaker: speech).
        !attributed
            && inner.len() <= 4
            && !terminal
            && mid_sentence
            && !self.cue_verb_before(qs)
            && !self.cue_after(qi, qe)
            && !self.according_to_in_sentence(qs)
    }

    /// Whether a speech verb (in a verb use) stands before token `qs` in its sentence.
    /// Whether the sentence goes on after the quote `qi` (ending at token `qe`) to a cue clause
    /// that ends it, named or not: `“…,” a coastguard spokesman said.`, `…, a senior official
    /// said.`
    fn cue_after(&self, qi: usize, qe: usize) -> bool {
        self.cue_after_at(qi, qe).is_some()
    }

    /// The cue clause after the quote `qi` (see [`Self::cue_after`]): where it starts and its
    /// speech verb.
    fn cue_after_at(&self, qi: usize, qe: usize) -> Option<(usize, usize)> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        let after = w.tokens.get(qe)?;
        // A cue stands in the quote's paragraph and sentence.
        if after.paragraph != w.tokens[qs].paragraph
            || qe == 0
            || after.sentence != w.tokens[qe - 1].sentence
        {
            return None;
        }
        let sentence = w.sentences[after.sentence];
        let joined = matches!(self.last_inner(qi), "," | "?" | "!").then_some(qe);
        let commas = (qe..sentence.end.min(qe + CUE_WINDOW))
            .filter(|&k| self.outside(k) && self.str(k) == ",")
            .map(|k| k + 1);
        joined.into_iter().chain(commas).find_map(|c| {
            (c..(c + 5).min(sentence.end))
                .find(|&v| {
                    w.is_word(v)
                        && self.outside(v)
                        && cues::speech_verb(self.str(v)).is_some_and(|b| b != "dub")
                        && !cues::is_participle(self.str(v))
                        && self.cue_clause_ends(v)
                })
                .map(|v| (c, v))
        })
    }

    /// Whether a cue right after quote `qi` names its speaker only by a description no rule
    /// could resolve: `“…,” the Florida senator said`, `“…,” said a senior official`. No cue
    /// further away (`Nothing the president said “…,” the Florida senator said.`) speaks for
    /// such a quote.
    pub(super) fn described_cue_right_after(&self, qi: usize) -> bool {
        let w = self.words;
        let Some((_, qe)) = self.quote_range(qi) else {
            return false;
        };
        let Some((c, v)) = self.cue_after_at(qi, qe) else {
            return false;
        };
        if (qe..c).any(|k| w.is_word(k)) || c > qe + 2 {
            return false;
        }
        let determiner = |k: usize| {
            k < w.tokens.len()
                && self.outside(k)
                && matches!(w.lower(k).as_ref(), "a" | "an" | "the" | "one" | "another")
        };
        // No pronoun, and no person or organisation named (`“…,” the Times reported` passes a
        // speaker's words on).
        let no_pronoun = |from: usize, to: usize| {
            (from..to.min(w.tokens.len())).all(|k| {
                self.names.pronoun_at(k).is_none()
                    && self
                        .names
                        .mention_at(k)
                        .is_none_or(|m| self.names.entity(m.entity).kind == NameKind::Other)
            })
        };
        if (c..v).any(|k| w.is_word(k)) {
            determiner(c) && no_pronoun(c, v)
        } else {
            determiner(v + 1) && no_pronoun(v + 1, v + 6)
        }
    }

    /// Whether the sentence of quote `qi` says who speaks only by description: `…, according
    /// to a senior defense official.`, `“…,” a coastguard spokesman said.` Such a quote takes
    /// no one's speaker from the quotes before it. A pronoun or a name in the cue is no
    /// description (an unresolved `he said` may still inherit).
    pub(super) fn unnamed_cue(&self, qi: usize) -> bool {
        let w = self.words;
        let Some((qs, qe)) = self.quote_range(qi) else {
            return false;
        };
        let described = |from: usize, to: usize| {
            (from..to).any(|k| w.is_word(k))
                && (from..to).all(|k| {
                    self.outside(k)
                        && self.names.mention_at(k).is_none()
                        && self.names.pronoun_at(k).is_none()
                        && !matches!(
                            w.lower(k).as_ref(),
                            "he" | "she" | "they" | "him" | "her" | "them" | "i" | "we" | "it"
                        )
                })
        };
        let s = w.sentences[w.tokens[qs].sentence];
        let according = (s.first.max(qs.saturating_sub(CUE_WINDOW))..s.end.min(qe + CUE_WINDOW))
            .find(|&k| {
                k + 2 < s.end
                    && self.outside(k)
                    && w.lower(k) == "according"
                    && w.lower(k + 1) == "to"
            });
        if let Some(k) = according {
            return described(k + 2, (k + 5).min(s.end));
        }
        match self.cue_after_at(qi, qe) {
            // "…, said a senior official."
            Some((c, v)) if !(c..v).any(|k| w.is_word(k)) => described(v + 1, (v + 4).min(s.end)),
            Some((c, v)) => described(c, v),
            None => false,
        }
    }

    /// Whether "according to" stands in the sentence of the quote starting at `qs`.
    fn according_to_in_sentence(&self, qs: usize) -> bool {
        let w = self.words;
        let s = w.sentences[w.tokens[qs].sentence];
        (s.first.max(qs.saturating_sub(CUE_WINDOW))..s.end.min(qs + CUE_WINDOW)).any(|k| {
            k + 1 < s.end && self.outside(k) && w.lower(k) == "according" && w.lower(k + 1) == "to"
        })
    }

    fn cue_verb_before(&self, qs: usize) -> bool {
        let w = self.words;
        let first = w.sentences[w.tokens[qs].sentence]
            .first
            .max(qs.saturating_sub(CUE_WINDOW));
        (first..qs).any(|v| {
            self.outside(v)
                && w.is_word(v)
                && cues::speech_verb(self.str(v)).is_some_and(|b| b != "dub")
                && !(v > first
                    && (matches!(
                        w.lower(v - 1).as_ref(),
                        "a" | "an" | "the" | "his" | "her" | "its" | "their"
                    ) || w.tokens[v - 1].possessive))
        })
    }
}

/// Mentions before inheritance: a title or nickname passes no speaker on.
pub(super) fn pass(r: &Reader<'_, '_>, state: &mut Attributing) {
    for (qi, q) in state.quotes.iter_mut().enumerate() {
        if q.continues().is_none() && r.is_mention(qi, q.attribution.is_some(), state.attached[qi])
        {
            q.kind = QuoteKind::Mention;
            q.attribution = None;
        }
    }
}
