//! Rule 7, a headline's cue. A headline quotes in a grammar of its own: `Lowe: Harbour Plan Is
//! A ‘Proven Failure’`, `Ada Lowe Says Ferry Cuts ‘Make You Want To Retch’`, `‘Ferry Truther’
//! Brandt Is A Lawyer’s Dumbest Client, Lowe Says`, `Lowe ‘glad to finish’ fight with Brandt`.
//! No names are collected from a headline (its capitals would make fake names), so the words
//! there are matched against the people and organisations the body names: `Lowe` is the body's
//! `Ada Lowe`, and a name the body never uses gives no speaker. A quote attributed here is
//! speech even when it is in title case, as everything in a headline is.
//!
//! Fixtures: `tests/fixtures/attribution/headline_*.txt`.

use super::reader::Reader;
use crate::document::{Attribution, NameKind, Resolution, Span};
use crate::extract::cues;

/// At most this many words make a headline that the body's first paragraph may be.
const HEADLINE_WORDS: usize = 25;

/// At most this many words stand before a headline's colon that names the speaker, not counting
/// a topic after `on`, `to` or `about` (`Lowe on Brandt Releasing The Harbour Accounts: ‘…’`).
const COLON_LEAD_WORDS: usize = 6;

/// At most this many words stand before a headline's colon in all, a topic included.
const COLON_LEAD_WORDS_WITH_TOPIC: usize = 14;

impl Reader<'_, '_> {
    /// Rule 7: the speaker a headline gives its quote, in this order: the name before a
    /// speech verb (`Lowe Says`, `…, Ada Lowe Says.`); the name before a colon (`Lowe: …`,
    /// `Harbour Chief Ada Lowe: …`, or the subject in `Lowe Blasts Brandt: …`); the name that
    /// opens the headline (`Lowe ‘glad to finish’ fight`).
    pub(super) fn headline_cue(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        let para = w.tokens[qs].paragraph;
        if !self.is_headline(para) {
            return None;
        }
        // `the “Iron Harp”`, `dubbed ‘Harbour First’`: a name, whatever the headline says (but
        // `Is A ‘Proven Failure’` is a speaker's words).
        if qs > 0 && self.outside(qs - 1) && w.is_word(qs - 1) {
            let before = w.lower(qs - 1);
            if before == "the"
                || cues::is_naming_participle(&before)
                || cues::is_mention_marker(&before)
            {
                return None;
            }
        }
        let (pf, pend) = w.paragraph_tokens[para];
        // The headline's own words, outside its quotes.
        let words: Vec<usize> = (pf..pend)
            .filter(|&k| self.outside(k) && w.is_word(k))
            .collect();
        // A name, then a speech verb in an inflected form ("Says", "Calls", "Tells").
        for (i, &v) in words.iter().enumerate().skip(1) {
            let verb = w.lower(v);
            if cues::inflected_speech_verb(&verb).is_some()
                && let Some(a) = self.headline_name(words[i - 1], &verb)
            {
                return Some(a);
            }
        }
        // A colon before the quote: the words before it name the speaker.
        // A colon between words ("9:38") is none.
        let spaced =
            |k: usize| self.words.text[w.tokens[k].span.end..].starts_with(char::is_whitespace);
        if let Some(colon) = (pf..qs).find(|&k| self.outside(k) && self.str(k) == ":" && spaced(k))
            && let before_colon = words.partition_point(|&k| k < colon)
            && before_colon <= COLON_LEAD_WORDS_WITH_TOPIC
            && let lead = words[..before_colon]
                .iter()
                .copied()
                .take_while(|&k| !matches!(w.lower(k).as_ref(), "on" | "to" | "about"))
                .collect::<Vec<usize>>()
            && lead.len() <= COLON_LEAD_WORDS
        {
            let named: Vec<usize> = lead
                .iter()
                .copied()
                .filter(|&k| self.headline_entity(k).is_some())
                .collect();
            // "Lowe Blasts Brandt:" has a verb after its first name (a headline verb ends in
            // -s): the subject speaks. "Harbour Chief Ada Lowe:" is a title and a name.
            let subject = named.first().copied().filter(|&first| {
                lead.iter().any(|&k| {
                    k > first
                        && !w.tokens[k].possessive
                        && self.headline_entity(k).is_none()
                        && w.lower(k).ends_with('s')
                })
            });
            if let Some(k) = subject.or(named.last().copied())
                && let Some(a) = self.headline_name(k, ":")
            {
                return Some(a);
            }
        }
        // The headline opens with a name, its subject, and the quote is words of its own,
        // not a title-case name or a single term (`Brandt Backs ‘Harbour First’`, `Lowe's
        // 'plan'`).
        let opening = words.iter().copied().take(2).take_while(|&k| k < qs);
        let subject = opening
            .filter(|&k| !w.tokens[k].possessive)
            .find(|&k| self.headline_entity(k).is_some())
            .filter(|&k| {
                words.first() == Some(&k)
                    || words.get(1) == Some(&k) && cues::is_title_word(self.str(words[0]))
            })?;
        self.quote_in_own_words(qi)
            .then(|| self.headline_name(subject, "headline"))
            .flatten()
    }

    /// Whether quote `qi` reads as words of its own: two words or more, one of them a lower-case
    /// word that is no function word.
    fn quote_in_own_words(&self, qi: usize) -> bool {
        let w = self.words;
        let inner = self.inner_words(qi);
        inner.len() >= 2
            && inner
                .iter()
                .any(|&k| !w.is_capitalised(k) && !cues::is_common_capitalised(&w.lower(k)))
    }

    /// Whether paragraph `para` is a headline: it reads as one (mostly capitalised), or it is
    /// the body's first paragraph and a short single sentence.
    fn is_headline(&self, para: usize) -> bool {
        let w = self.words;
        if self.names.headline.get(para).copied().unwrap_or(false) {
            return true;
        }
        if para != 0 {
            return false;
        }
        let (pf, pend) = w.paragraph_tokens[para];
        let sentences = w.tokens.get(pf).map_or(0, |t| {
            w.tokens
                .get(pend - 1)
                .map_or(0, |l| l.sentence + 1 - t.sentence)
        });
        sentences == 1 && (pf..pend).filter(|&k| w.is_word(k)).count() <= HEADLINE_WORDS
    }

    /// The person or organisation of the body that the headline word at `k` names: the last
    /// word of its name ("Lowe" for "Ada Lowe"; the word before must then not be another first
    /// name), or the first word of one person's name ("Ada").
    fn headline_entity(&self, k: usize) -> Option<usize> {
        let w = self.words;
        let word = self.str(k);
        if !w.is_capitalised(k) || cues::is_title_word(word) {
            return None;
        }
        let before = (k > 0 && w.is_word(k - 1) && self.outside(k - 1)).then(|| self.str(k - 1));
        let words_of = |e: &str| e.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let by_last: Vec<usize> = (0..self.names.entities.len())
            .filter(|&e| {
                let ent = self.names.entity(e);
                let ws = words_of(&ent.name);
                ws.last().is_some_and(|l| l == word)
                    && match ent.kind {
                        NameKind::Person => true,
                        // "Court" alone is no "U.S. District Court": an organisation in full.
                        NameKind::Organisation => {
                            k + 1 >= ws.len()
                                && ws
                                    .iter()
                                    .rev()
                                    .enumerate()
                                    .all(|(i, x)| self.str(k - i) == x)
                        }
                        // A surname the body uses alone, so that the names table could not
                        // tell it a person, after a first name in the headline (`Ada Lowe:` and
                        // `said Lowe`).
                        NameKind::Other => {
                            ws.len() == 1
                                && before.is_some_and(|b| {
                                    w.is_capitalised(k - 1)
                                        && !cues::is_title_word(b)
                                        && !cues::is_common_capitalised(b)
                                })
                        }
                    }
            })
            .collect();
        if let Some(&first) = by_last.first() {
            // Two "Trump"s: the one whose first name stands before, else the first named.
            return Some(
                by_last
                    .iter()
                    .copied()
                    .find(|&e| {
                        before.is_some_and(|b| {
                            words_of(&self.names.entity(e).name)
                                .first()
                                .is_some_and(|f| f == b)
                        })
                    })
                    .unwrap_or(first),
            );
        }
        let people: Vec<usize> = (0..self.names.entities.len())
            .filter(|&e| {
                let ent = self.names.entity(e);
                let ws = words_of(&ent.name);
                ent.kind == NameKind::Person && ws.len() >= 2 && ws[0] == word
            })
            .collect();
        match people.as_slice() {
            [e] => Some(*e),
            _ => None,
        }
    }

    /// The attribution to the entity the headline word at `k` names, with cue `cue`.
    fn headline_name(&self, k: usize, cue: &str) -> Option<Attribution> {
        let e = self.headline_entity(k)?;
        let ent = self.names.entity(e);
        Some(Attribution::new(
            ent.name.as_str(),
            ent.titles.first().map(|t| t.as_str().into()),
            cue,
            Some(Span::new(
                self.words.tokens[k].span.start,
                self.words.tokens[k].span.end,
            )),
            Resolution::Name,
        ))
    }
}
