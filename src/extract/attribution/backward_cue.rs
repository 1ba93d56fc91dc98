//! Rule 3, the nearest speech verb before the quote in its sentence, with its subject:
//! `X said that … “Q”`, `X described it as “Q”`, `Missile capabilities, he has said, are “Q”`;
//! participle clauses (`…, calling it a “Q”`) take the sentence subject; an inverted cue
//! opens the sentence (`Said Dora Poynter, “Q”`); a cue noun (`in a
//! statement`, `holds a firm belief that`) gives way to a verb further back.
//!
//! Fixtures: `tests/fixtures/attribution/cue_before_quote.txt`, `cue_verbs.txt`,
//! `cue_inserted.txt`, `participle.txt`.

use super::reader::Reader;
use super::{CUE_WINDOW, Found, SubjectAt};
use crate::document::{Attribution, Span};
use crate::extract::cues;
use crate::text::collapse_whitespace as one_line;

impl Reader<'_, '_> {
    /// Rule 3: the nearest speech verb before the quote in its sentence, with its subject.
    pub(super) fn backward_cue(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        let sentence = w.tokens[qs].sentence;
        // Cues stand near their quote: a bounded window keeps run-on text linear.
        let first = w.sentences[sentence]
            .first
            .max(qs.saturating_sub(CUE_WINDOW));
        if let Some(a) = self.utterance_owner(qs, first) {
            return Some(a);
        }
        let mut noun_cue = None;
        let mut v = qs;
        while v > first {
            v -= 1;
            if !self.outside(v) || !w.is_word(v) {
                continue;
            }
            let word = self.str(v);
            // "Brandt will continue to be “…”", "was said to be “…”": no report of speech (but
            // "pledged to be “…”" is one).
            let to_be = v + 2 < qs
                && w.lower(v + 1) == "to"
                && w.lower(v + 2) == "be"
                && (cues::speech_verb(word) == Some("continue")
                    || (v > first
                        && matches!(
                            w.lower(v - 1).as_ref(),
                            "is" | "was" | "are" | "were" | "been" | "being"
                        )));
            let verb = self.speech_verb_at(v) && !to_be;
            // "warning" is a verb in "…, warning that" and a noun in "a stark warning:".
            let verb_position = v > first
                && (self.speaker_ending_at(v - 1).is_some()
                    || matches!(
                        w.lower(v - 1).as_ref(),
                        "," | "while" | "and" | "but" | "after" | "before" | "by" | "when" | "also"
                    ));
            let noun = cues::is_cue_noun(word) && !(verb && verb_position);
            if !verb && !noun {
                continue;
            }
            // Not a noun use: "a post", "the state", "his call".
            if v > first && w.is_word(v - 1) {
                let prev = w.lower(v - 1);
                let determiner = matches!(
                    prev.as_ref(),
                    "a" | "an"
                        | "the"
                        | "this"
                        | "his"
                        | "her"
                        | "its"
                        | "their"
                        | "our"
                        | "my"
                        | "your"
                ) || w.tokens[v - 1].possessive
                    // "From Bush's Facebook post:": a base form after a name that a
                    // possessive governs is a noun.
                    || (v >= first + 2
                        && w.tokens[v - 2].possessive
                        && w.is_capitalised(v - 1)
                        && cues::inflected_speech_verb(word).is_none());
                // "in many Asian states, and it has used “…”": a plural noun after a
                // quantifier or a nationality.
                let plural_noun = word.ends_with('s')
                    && ((cues::is_demonym(self.str(v - 1))
                        // "the Utah Republican asks": a party member speaks.
                        && !cues::is_party_word(self.str(v - 1)))
                        || matches!(
                            prev.as_ref(),
                            "many"
                                | "several"
                                | "some"
                                | "all"
                                | "both"
                                | "few"
                                | "other"
                                | "these"
                                | "those"
                                | "member"
                        ));
                if verb && !noun && (determiner || plural_noun) {
                    continue;
                }
                // "Olin's remarks": someone else's words, not a cue.
                if noun && w.tokens[v - 1].possessive {
                    continue;
                }
            }
            if noun {
                // "X holds a firm belief that": the subject before the noun phrase, unless a
                // verb further back carries the cue ("X said in a statement that").
                if noun_cue.is_none()
                    && let Some(f) = self.sentence_subject(sentence, v)
                {
                    noun_cue = Some(self.attribution(f, word.to_string()));
                }
                continue;
            }
            // "Sanders was asked by host Bill Maher, …, “…”": a passive speech verb's agent
            // speaks.
            if v > first
                && matches!(
                    w.lower(v - 1).as_ref(),
                    "was" | "were" | "been" | "being" | "is"
                )
                && cues::inflected_speech_verb(word).is_some()
                && word.ends_with("ed")
                && v + 2 < qs
                && w.lower(v + 1) == "by"
                && let Some((f, _)) = self.speaker_phrase_at(v + 2)
            {
                return Some(self.inverted_attribution(f, v));
            }
            // "Said Dora Poynter, who grew up near the pier, “…”": an inverted cue opens the
            // sentence.
            if v == w.sentences[sentence].first
                && w.is_capitalised(v)
                && cues::inflected_speech_verb(word).is_some()
                && let Some(f) = self.speaker_starting_at(v + 1)
            {
                return Some(self.inverted_attribution(f, v));
            }
            // "The paradox of the harbour, says Carl Anton, historian at …, is that it was
            // “…”": an inverted cue set off by commas.
            if v > first
                && self.str(v - 1) == ","
                && cues::inflected_speech_verb(word).is_some_and(|b| b != "tell")
                && !cues::is_participle(word)
                && let Some(f) = self.speaker_starting_at(v + 1)
                && self.inserted_after(f.name_span, qs)
            {
                return Some(self.inverted_attribution(f, v));
            }
            match self.subject_of_verb(v) {
                // "while Iran responds to respect with respect, it “…”": the verb of a
                // subordinate clause that closes before the quote is not the quote's cue.
                SubjectAt::Speaker(f) if self.closed_subordinate_clause(&f, v, qs) => {}
                SubjectAt::Speaker(f) => {
                    // "Rep. Gregory Meeks said Clinton reassured them that Democrats “…”": the
                    // words are the reporting speaker's.
                    if let Some(outer) = self.reporting_speaker(&f, first) {
                        return Some(outer);
                    }
                    return Some(self.attribution(f, self.cue_text(v)));
                }
                SubjectAt::Sentence => {
                    if let Some(f) = self.sentence_subject(sentence, v) {
                        if let Some(outer) = self.reporting_speaker(&f, first) {
                            return Some(outer);
                        }
                        let mut a = self.attribution(f, self.cue_text(v));
                        if let Some(aff) = self.apposition(sentence, v) {
                            a.affiliation = Some(aff.into());
                        }
                        return Some(a);
                    }
                }
                SubjectAt::Unnamed => {}
            }
        }
        noun_cue.or_else(|| self.characterised_as(qs, first))
    }

    /// `Trump defended his campaign manager as a “very decent man”`, `an incident Trump
    /// brought up as “very fishy”`: whatever the verb, a quote right after `as` (and an
    /// article) characterises its object in the words of the verb's named subject. Not after
    /// `such as`, `known as`, `as well as` and the like.
    fn characterised_as(&self, qs: usize, first: usize) -> Option<Attribution> {
        let w = self.words;
        let mut a = qs.checked_sub(1)?;
        if a > first && matches!(w.lower(a).as_ref(), "a" | "an" | "the") {
            a -= 1;
        }
        if a <= first + 1 || w.lower(a) != "as" || !self.outside(a - 1) {
            return None;
        }
        let before = w.lower(a - 1);
        // "such as", "as well as", and a role rather than words: "acting as", "served as",
        // "qualified as", "a role as".
        let role = |l: &str| {
            [
                "act", "serv", "qualif", "work", "emerg", "role", "job", "position", "stint",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        };
        if !w.is_word(a - 1)
            || matches!(
                before.as_ref(),
                "such" | "known" | "well" | "same" | "so" | "just" | "much" | "long" | "soon"
            )
            || role(&before)
        {
            return None;
        }
        let window = a.saturating_sub(10).max(first + 1)..a;
        // "dubbing GOP candidates as “…”": a name, not words (rule 8).
        if window
            .clone()
            .any(|k| w.is_word(k) && cues::is_naming_participle(&w.lower(k)))
        {
            return None;
        }
        // The verb: the nearest lower-case word before "as" whose subject is named, with no
        // preposition between its object and "as" ("referred to X as" has its own).
        window
            .rev()
            .take_while(|&v| {
                // Within the clause: "… of Muslim communities and alleging that police used
                // … as “…”" is not the communities' characterisation.
                self.outside(v)
                    && !matches!(
                        w.lower(v).as_ref(),
                        "." | ";" | ":" | "," | "that" | "and" | "but" | "or" | "which" | "who"
                    )
            })
            .filter(|&v| w.is_word(v) && !w.is_capitalised(v) && !cues::is_preposition(self.str(v)))
            .filter(|&v| {
                let l = w.lower(v);
                // A verb's form ("defended", "refers", "brought"), not a noun ("Muslim
                // identity", "Trump's statements").
                let verb_form = (l.len() > 3 && (l.ends_with("ed") || l.ends_with('s')))
                    // "started to portray … as"
                    || w.lower(v - 1) == "to"
                    || matches!(
                        l.as_ref(),
                        "has" | "had" | "was" | "is" | "brought" | "made" | "saw" | "took"
                            | "gave" | "put" | "set" | "cast" | "wrote" | "spoke" | "thought"
                            | "held"
                    );
                verb_form
                    && !w.tokens[v - 1].possessive
                    && !(v + 2..a).any(|k| w.is_word(k) && cues::is_preposition(self.str(k)))
                    && !role(&l)
            })
            .find_map(|v| match self.subject_of_verb(v) {
                // "Mexican immigrants as": a nationality alone is nobody.
                SubjectAt::Speaker(f)
                    if !cues::is_demonym(&f.speaker) && !cues::is_party_word(&f.speaker) =>
                {
                    Some(self.attribution(f, self.cue_text(v)))
                }
                _ => None,
            })
    }

    /// `X said [that] Y told them “…”`, `Y, X said, called it “…”`: when the subject `f` of
    /// the quote's verb is itself in the clause another named speaker reports, that speaker
    /// (whom the writer heard) is the quote's.
    fn reporting_speaker(&self, f: &Found, first: usize) -> Option<Attribution> {
        let w = self.words;
        let start = w
            .tokens
            .partition_point(|t| t.span.start < f.name_span.start);
        let end = w.tokens.partition_point(|t| t.span.start < f.name_span.end);
        let reports = |v: usize| {
            w.is_word(v)
                && self.outside(v)
                && cues::inflected_speech_verb(self.str(v)).is_some_and(|b| !cues::is_stance(b))
                && !cues::is_participle(self.str(v))
        };
        // "X said that Y …"
        let mut k = start.checked_sub(1)?;
        if k > first && w.lower(k) == "that" {
            k -= 1;
        }
        if k > first
            && reports(k)
            && let SubjectAt::Speaker(outer) = self.subject_of_verb(k)
            && outer.speaker != f.speaker
        {
            return Some(self.attribution(outer, self.cue_text(k)));
        }
        // "Y, X said, …"
        if end + 2 < w.tokens.len()
            && self.str(end) == ","
            && let Some((outer, after)) = self.speaker_phrase_at(end + 1)
            && after + 1 < w.tokens.len()
            && reports(after)
            && self.str(after + 1) == ","
            && outer.speaker != f.speaker
        {
            return Some(self.attribution(outer, self.cue_text(after)));
        }
        None
    }

    /// Whether the verb at `v`, whose subject is `f`, stands in a subordinate clause ("while X
    /// responds …", "if X says …") that a comma closes before the quote at `qs`.
    fn closed_subordinate_clause(&self, f: &Found, v: usize, qs: usize) -> bool {
        let w = self.words;
        let first = w
            .tokens
            .partition_point(|t| t.span.start < f.name_span.start);
        first > 0
            && w.is_word(first - 1)
            && cues::is_subordinator(self.str(first - 1))
            && (v + 1..qs).any(|k| self.outside(k) && self.str(k) == ",")
    }

    /// Whether the speaker named at `name` closes a cue inserted in the sentence before the
    /// quote at `qs`: a comma right after the name (or after its apposition), then the
    /// sentence goes on before the quote (`…, says Carl Anton, historian, is that it was
    /// “…”`) or the quote follows (`…, explained Rosenberg, “…”`).
    fn inserted_after(&self, name: Span, qs: usize) -> bool {
        let w = self.words;
        let after = w.tokens.partition_point(|t| t.span.start < name.end);
        if after >= qs || self.str(after) != "," {
            return false;
        }
        // The apposition, if any, ends at the next comma before the quote.
        let close = (after + 1..qs)
            .find(|&k| self.outside(k) && self.str(k) == ",")
            .unwrap_or(after);
        // Or the cue closes right before the quote: "…, explained Rosenberg, “…”".
        close + 1 == qs || (close + 1..qs).any(|k| w.is_word(k) && self.outside(k))
    }

    /// The apposition between a sentence-initial subject and its verb: "X, co-founder of Y, said".
    fn apposition(&self, sentence: usize, v: usize) -> Option<String> {
        let w = self.words;
        let s = self.names.subject(sentence)?;
        let open = s.last_tok + 1;
        if open >= v || self.str(open) != "," {
            return None;
        }
        let mut close = v;
        while close > open && self.str(close - 1) != "," {
            close -= 1;
        }
        // Nothing between the commas ("X, , said"): no apposition.
        if close <= open + 2 {
            return None;
        }
        let span = Span::new(w.tokens[open + 1].span.start, w.tokens[close - 2].span.end);
        let text = one_line(span.of(w.text));
        // "X, in a post to Y, said": a circumstance, not an affiliation; "X, 54, said": an age.
        let circumstance = cues::is_preposition(self.str(open + 1))
            || text.chars().all(|c| c.is_ascii_digit())
            || matches!(
                w.lower(open + 1).as_ref(),
                "while" | "when" | "after" | "speaking" | "whose" | "which" | "whom"
            );
        (!text.is_empty() && !circumstance && !text.contains('“') && !text.contains('"'))
            .then_some(text)
    }
}
