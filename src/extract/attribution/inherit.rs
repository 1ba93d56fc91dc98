//! Rule 10, inheritance, in text order: a part of a multi-paragraph quote takes the speaker of
//! its first part; a quote with no speaker takes the previous quote's of the same paragraph
//! (unless someone else is named between them, an apposition to that speaker aside), else the
//! speaker of a cue sentence right before it in the paragraph (`X said in a statement. “…”`),
//! or, for a paragraph that is only a quote, the previous paragraph's last quote, its colon
//! lead-in, or the speaker whose words its last sentence reports (`X said that …`). Never a
//! bare name from another paragraph, and never for a quote whose own cue describes an unnamed
//! speaker (`…, according to a senior official`).
//!
//! Fixtures: `tests/fixtures/attribution/inherit_paragraph.txt`,
//! `inherit_quote_paragraph.txt`, `inherit_cue_sentence.txt`, `no_inherit.txt`,
//! `unnamed_speakers.txt`, `inherit_cue_remainder.txt`, `inherit_reported_paragraph.txt`.

use super::reader::Reader;
use super::{Attributing, CUE_WINDOW, SubjectAt, inherited};
use crate::document::{Attribution, NameKind, Quote, QuoteKind};
use crate::extract::cues;

impl Reader<'_, '_> {
    /// Rule 10 for one quote: the previous quote of the same paragraph, the cue sentence right
    /// before it, or the paragraph before a quote-only paragraph.
    fn inherit(&self, qi: usize, quotes: &[Quote]) -> Option<Attribution> {
        let w = self.words;
        let (qs, qe) = self.quote_range(qi)?;
        let para = w.tokens[qs].paragraph;
        // Same paragraph: the previous speech quote (a title or a nickname in quotes between
        // them aside), with no other entity named in between.
        let prev_speech = (0..qi)
            .rev()
            .take_while(|&o| {
                self.quote_range(o)
                    .is_some_and(|(os, _)| w.tokens[os].paragraph == para)
            })
            .find(|&o| quotes[o].kind == QuoteKind::Speech);
        if let Some(p) = prev_speech
            && let Some((_, pe)) = self.quote_range(p)
        {
            let prev = quotes[p].attribution.clone()?;
            if !self.someone_else_between(&prev, pe, qs) {
                return Some(inherited(prev));
            }
        }
        // "Weaver said in a statement. “…”": the sentence before names the speaker.
        if let Some(a) = self.cue_sentence_before(qs) {
            return Some(inherited(a));
        }
        // A paragraph that is only this quote.
        let (pf, pend) = w.paragraph_tokens[para];
        let only_quote = (pf..pend).all(|k| {
            k >= qs && k < qe
                || (w.tokens[k].kind != crate::extract::words::TokKind::Word && self.outside(k))
        });
        if !only_quote || para == 0 {
            return None;
        }
        let (ppf, ppend) = w.paragraph_tokens[para - 1];
        if ppf == ppend {
            return None;
        }
        // The quotes of the previous paragraph, last first (quotes are in text order: the walk
        // stops at the paragraph before it, so it stays linear in the document).
        let previous = || {
            (0..qi)
                .rev()
                .take_while(|&o| {
                    self.quote_range(o)
                        .is_none_or(|(os, _)| w.tokens[os].paragraph + 1 >= para)
                })
                .filter(|&o| {
                    self.quote_range(o)
                        .is_some_and(|(os, _)| w.tokens[os].paragraph + 1 == para)
                })
        };
        // The previous paragraph's last speech quote (a title in quotes after it aside: `“…,”
        // said Jon Peberdy, the author of “Tides and Power.”`).
        if let Some(last) = previous().find(|&o| quotes[o].kind == QuoteKind::Speech) {
            return quotes[last].attribution.clone().map(inherited);
        }
        // A colon lead-in paragraph: "…, while adding:".
        if self.str(ppend - 1) == ":" {
            let s = w.tokens[ppend - 1].sentence;
            if let Some(a) = self.sentence_cue(s, ppend - 1, false) {
                return Some(inherited(a));
            }
            if let Some(f) = self.sentence_subject(s, ppend - 1) {
                return Some(inherited(self.attribution(f, ":".into())));
            }
            return None;
        }
        // "Carter said that the critics were wrong." then a quote-only paragraph: the last
        // sentence before it reports what a named speaker said, and the quote goes on in their
        // words (not after a paragraph that quotes someone: that one's last quote decided).
        let quotes_before = previous().any(|o| quotes[o].kind == QuoteKind::Speech);
        // Not for a subhead in capitals ("“DIVISIVE, STUPID AND WRONG”").
        let inner = self.inner_words(qi);
        let subhead = inner.len() >= 2
            && inner
                .iter()
                .all(|&k| !self.str(k).chars().any(char::is_lowercase));
        if !quotes_before && !subhead {
            // A person's words: after "The Slope Agency said its instruments showed …" the
            // quote is someone's the copy does not name.
            let s = w.tokens[ppend - 1].sentence;
            if let Some(a) = self.sentence_cue(s, ppend, true)
                && self
                    .names
                    .entities
                    .iter()
                    .any(|e| e.name == *a.speaker && e.kind == NameKind::Person)
            {
                return Some(inherited(a));
            }
        }
        None
    }

    /// `After all, “That's not our plan. But…” is not a phrase anyone wants to hear.`: a quote
    /// of at least three words that repeats words an earlier quote of the document gave a
    /// speaker (the latest of the last 50) is that speaker's.
    fn echo(&self, qi: usize, quotes: &[Quote]) -> Option<Attribution> {
        let words = self.inner_words(qi);
        if words.len() < 3 || words.len() > 60 {
            return None;
        }
        let same = |a: usize, b: usize| self.str(a).eq_ignore_ascii_case(self.str(b));
        (qi.saturating_sub(50)..qi).rev().find_map(|o| {
            let a = quotes[o].attribution.as_ref()?;
            if quotes[o].kind != QuoteKind::Speech {
                return None;
            }
            let earlier = self.inner_words(o);
            earlier
                .windows(words.len())
                .any(|win| win.iter().zip(&words).all(|(&x, &y)| same(x, y)))
                .then(|| inherited(a.clone()))
        })
    }

    /// Whether someone other than `prev`'s speaker is named (or referred to) between the
    /// previous quote (ending at token `pe`) and this one (starting at `qs`). The previous
    /// quote's own cue ("Falcons coach Dana Whitcombe said") names nobody else, and neither
    /// does the rest of its sentence unless someone else speaks there: in `“…,” said Ada Lowe,
    /// a senior aide to Governor Brandt. “…”` and `“…,” Lowe said after Brandt spoke. “…”`
    /// the second quote is Lowe's too.
    fn someone_else_between(&self, prev: &Attribution, pe: usize, qs: usize) -> bool {
        let w = self.words;
        let cue = prev
            .name_span()
            .filter(|s| s.start >= w.tokens[pe - 1].span.end);
        let mut from = cue.map_or(pe, |s| w.tokens.partition_point(|t| t.span.start < s.end));
        // Or the speaker was named earlier in the previous quote's own sentence: `…,” said Ada
        // Lowe, before a “No-Frills” supper hosted by Governor Brandt. “…”`.
        let named_in_its_sentence = prev.name_span().is_some_and(|s| {
            let t = w.tokens.partition_point(|t| t.span.start < s.start);
            t < pe && w.tokens[t].sentence == w.tokens[pe - 1].sentence
        });
        if (cue.is_some() || named_in_its_sentence) && from < qs && from > 0 {
            // The rest of the cue's sentence (an apposition, "said after Brandt spoke", "told
            // Brandt in March") names no other speaker, unless someone else speaks there:
            // "…, Lowe said, and Brandt agreed."
            let s = w.tokens[from - 1].sentence;
            let end = w.sentences[s].end;
            if w.tokens[from].sentence == s && end <= qs && !self.other_speaks(prev, from, end) {
                from = end;
            }
        }
        (from.max(pe)..qs).any(|k| {
            self.outside(k)
                && (self.names.mention_at(k).is_some_and(|m| {
                    let e = self.names.entity(m.entity);
                    e.name != *prev.speaker && e.kind == NameKind::Person
                }) || self.names.pronoun_at(k).is_some_and(|e| {
                    // As for names, only a person: "They" for the party or the towns is
                    // talked about, not speaking.
                    let e = self.names.entity(e);
                    e.name != *prev.speaker && e.kind == NameKind::Person
                }))
                && !self.about_the_speaker(prev, k, pe, qs)
        })
    }

    /// Whether token `k` stands in a sentence between the two quotes (the previous ending at
    /// `pe`, this one starting at `qs`) whose subject is `prev`'s speaker and in which nobody
    /// else speaks: in `“…,” says Melia Rolsted. Rolsted supports Mayor Brandt. “…”` the mayor
    /// is only talked about.
    fn about_the_speaker(&self, prev: &Attribution, k: usize, pe: usize, qs: usize) -> bool {
        let w = self.words;
        let s = w.tokens[k].sentence;
        let sentence = w.sentences[s];
        sentence.first >= pe
            && sentence.end <= qs
            && self.names.subject(s).is_some_and(|sub| {
                (k < sub.first_tok || k > sub.last_tok)
                    && self.names.entity(sub.entity).name == *prev.speaker
            })
            && !self.other_speaks(prev, sentence.first, sentence.end)
    }

    /// Whether a speech verb between tokens `from` and `to` has a subject other than `prev`'s
    /// speaker, outside a subordinate or relative clause ("after Brandt spoke", ", who has
    /// since called …" are no new turn). Only inflected forms count: a base form there is
    /// mostly a noun ("state director", "senior adviser").
    fn other_speaks(&self, prev: &Attribution, from: usize, to: usize) -> bool {
        (from..to).any(|v| {
            self.outside(v)
                && self.words.is_word(v)
                // "state" in "Clinton's Colorado state director" is a noun.
                && cues::inflected_speech_verb(self.str(v)).is_some()
                && !self.in_subordinate_clause(from, v)
                && matches!(self.subject_of_verb(v), SubjectAt::Speaker(f) if f.speaker != *prev.speaker)
        })
    }

    /// Whether a subordinator or relative pronoun opens the clause of token `v` (the words
    /// since the last comma, not before `from`).
    fn in_subordinate_clause(&self, from: usize, v: usize) -> bool {
        (from..v)
            .rev()
            .take_while(|&k| self.str(k) != ",")
            .any(|k| {
                let s = self.words.lower(k);
                cues::is_subordinator(&s) || matches!(s.as_ref(), "who" | "which" | "as")
            })
    }

    /// A quote that opens its sentence right after a sentence of the same paragraph whose cue
    /// names a speaker and that quotes nothing itself: `Weaver said in a statement. “…”`,
    /// `Boyle asked Trump. “…”`.
    fn cue_sentence_before(&self, qs: usize) -> Option<Attribution> {
        let w = self.words;
        let s = w.tokens[qs].sentence;
        if w.sentences[s].first != qs || s == 0 {
            return None;
        }
        let before = w.sentences[s - 1];
        if before.paragraph != w.tokens[qs].paragraph
            || (before.first..before.end).any(|k| !self.outside(k))
        {
            return None;
        }
        self.sentence_cue(s - 1, before.end, false)
            .or_else(|| self.paragraph_subject(s - 1))
    }

    /// `Feld was diplomatic about it, but the message was clear. “…”`: the sentence opening
    /// the paragraph, right before a quote that opens its own sentence, is about a named person
    /// (its subject, not a run-in head in capitals) and names nobody else. The quote is theirs.
    fn paragraph_subject(&self, s: usize) -> Option<Attribution> {
        let w = self.words;
        let sentence = w.sentences[s];
        if w.paragraph_tokens[sentence.paragraph].0 != sentence.first {
            return None;
        }
        let sub = self.names.subject(s)?;
        let e = self.names.entity(sub.entity);
        let capitals = !self.str(sub.last_tok).chars().any(char::is_lowercase);
        if e.kind != NameKind::Person || capitals {
            return None;
        }
        let someone_else = (sentence.first..sentence.end).any(|k| {
            self.names
                .mention_at(k)
                .is_some_and(|m| m.entity != sub.entity)
                || self.names.pronoun_at(k).is_some_and(|p| p != sub.entity)
        });
        if someone_else {
            return None;
        }
        let f = self.sentence_subject(s, sentence.end)?;
        let cue = if sub.last_tok + 1 < sentence.end {
            self.str(sub.last_tok + 1).to_string()
        } else {
            String::new()
        };
        Some(self.attribution(f, cue))
    }

    /// The speaker of the last speech verb of sentence `s` before token `end`, with its
    /// subject; with `inflected`, only a verb in an inflected form that reports words counts
    /// ("said", "praised"; not "state" in "a Democratic state", nor "spoke").
    fn sentence_cue(&self, s: usize, end: usize, inflected: bool) -> Option<Attribution> {
        let w = self.words;
        let first = w.sentences[s].first.max(end.saturating_sub(CUE_WINDOW));
        let mut v = end;
        while v > first {
            v -= 1;
            let found = if inflected {
                cues::inflected_speech_verb(self.str(v))
            } else {
                cues::speech_verb(self.str(v))
            };
            // With `inflected`, the verb must report words: "spoke about the harbour" says
            // that someone spoke, not what.
            let Some(base) = found else { continue };
            if !self.outside(v) || !w.is_word(v) || inflected && matches!(base, "speak" | "talk") {
                continue;
            }
            match self.subject_of_verb(v) {
                SubjectAt::Speaker(f) => return Some(self.attribution(f, self.cue_text(v))),
                SubjectAt::Sentence => {
                    if let Some(f) = self.sentence_subject(s, v) {
                        return Some(self.attribution(f, self.cue_text(v)));
                    }
                }
                SubjectAt::Unnamed => {}
            }
        }
        None
    }
}

/// Inheritance and multi-paragraph parts, in text order.
pub(super) fn pass(r: &Reader<'_, '_>, state: &mut Attributing) {
    let quotes = &mut state.quotes;
    for qi in 0..quotes.len() {
        if let Some(first) = quotes[qi].continues() {
            // The whole quote's speaker wins over a part's own cue.
            if let Some(a) = quotes.get(first).and_then(|q| q.attribution.clone()) {
                quotes[qi].attribution = Some(inherited(a));
            }
            quotes[qi].kind = QuoteKind::Speech;
            continue;
        }
        if quotes[qi].attribution.is_some()
            || quotes[qi].kind == QuoteKind::Mention
            || r.unnamed_cue(qi)
        {
            continue;
        }
        quotes[qi].attribution = r.inherit(qi, quotes).or_else(|| r.echo(qi, quotes));
    }
}
