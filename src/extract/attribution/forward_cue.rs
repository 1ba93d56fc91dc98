//! Rule 1, a cue right after the quote: `“Q,” X said`, `“Q,” said X`, `“Q,” X, a <title>,
//! said`, `“Q,” union steward Tomas Riedel said`, and after a full stop a short cue clause of
//! its own (`“Q.” he said.`), and `“Q,” as X said`.
//!
//! Fixtures: `tests/fixtures/attribution/cue_after_quote.txt`, `wire_style.txt`,
//! `roles_lowercase.txt`.

use super::Found;
use super::reader::Reader;
use crate::document::{Attribution, Resolution, Span};
use crate::extract::cues;
use crate::text::collapse_whitespace as one_line;

impl Reader<'_, '_> {
    /// Rule 1: `“Q,” X said`, `“Q,” said X`, `“Q,” X, a <title>, said`.
    pub(super) fn forward_cue(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, qe) = self.quote_range(qi)?;
        let para = w.tokens[qs].paragraph;
        let n = w.tokens.len();
        let mut c = qe;
        let inner_last = self.last_inner(qi);
        let mut attached = matches!(inner_last, "," | "?" | "!" | "—" | "–");
        while c < n && matches!(self.str(c), "," | "—" | "–") {
            attached = true;
            c += 1;
        }
        if c >= n || w.tokens[c].paragraph != para || !self.outside(c) {
            return None;
        }
        // `“…?” Will Estrada said`: a first name that is also a common word ("Will", "May")
        // opens a sentence after a question and is not read as part of the name.
        if attached
            && w.is_capitalised(c)
            && cues::is_common_capitalised(&w.lower(c))
            && self
                .names
                .mention_at(c + 1)
                .is_some_and(|m| m.first_tok == c + 1)
        {
            c += 1;
        }
        // `the race “is a dead heat,” as Ferris said on Monday`: "as" opens the cue clause.
        if attached
            && w.lower(c) == "as"
            && c + 1 < n
            && w.tokens[c + 1].paragraph == para
            && cues::speech_verb(self.str(c + 1)).is_none()
        {
            c += 1;
        }
        // `Lowe responds with, “Why now?” Brandt then writes back, “…”`: after a question or
        // an exclamation, a cue clause that leads into the next quote is that quote's, when
        // this quote has a cue of its own before it.
        if matches!(inner_last, "?" | "!")
            && let Some(k) = (c..(c + 12).min(n))
                .take_while(|&k| w.tokens[k].paragraph == para)
                .find(|&k| !self.outside(k))
            && k > c
            && matches!(self.str(k - 1), "," | ":")
            && self.backward_cue(qi).is_some()
        {
            return None;
        }
        // "a show that Judge Ada Lowe called “distasteful,” Oskar Feld promised …": a quote
        // right after a named speaker's verb is that speaker's, not the next clause's.
        // So is one after "Trump said:" with "…,” the Times reported" after it.
        if let Some(mut v) = qs.checked_sub(1) {
            if v > 0 && matches!(self.str(v), ":" | ",") {
                v -= 1;
            }
            if v > 0 && matches!(&*w.lower(v), "a" | "an" | "the") {
                v -= 1;
            }
            if v > 0
                && w.is_word(v)
                && self.outside(v)
                && cues::inflected_speech_verb(self.str(v)).is_some()
                && self.speaker_ending_at(v - 1).is_some()
            {
                return None;
            }
        }
        let sentence_end = inner_last == ".";
        self.cue_clause(c, attached, attached || !sentence_end)
            .or_else(|| attached.then(|| self.any_verb_cue(c)).flatten())
    }

    /// `“Would it be negotiable?” Hannity pressed.`, `“…,” Hannity started.`: right after a
    /// quote joined by a comma or question mark, a named speaker and a verb in -ed that ends
    /// the clause report the quote, whatever the verb.
    fn any_verb_cue(&self, c: usize) -> Option<Attribution> {
        let w = self.words;
        let (found, v) = self.speaker_phrase_at(c)?;
        if v >= w.tokens.len() {
            return None;
        }
        let verb = self.str(v);
        // The clause ends after the verb, an adverb or a day at most: "Hannity pressed.",
        // "Dahl started again on Monday," (not "questioned Mr. Trump's veracity").
        let mut k = v + 1;
        while k < w.tokens.len()
            && k < v + 4
            && w.is_word(k)
            && (cues::is_calendar_word(self.str(k))
                || cues::is_aux_or_adverb(self.str(k))
                || w.lower(k) == "on")
        {
            k += 1;
        }
        (found.resolution == Resolution::Name
            && self.clause_ends_at(k, w.tokens[v].paragraph)
            && w.is_word(v)
            && !w.is_capitalised(v)
            && verb.len() > 4
            && verb.ends_with("ed")
            && !cues::is_aux_or_adverb(verb)
            && !self.title_case_before(c))
        .then(|| self.attribution(found, self.cue_text(v)))
    }

    /// A cue clause starting at token `c`: a verb then its speaker (`said X`), or a speaker then
    /// its verb (`X said`, `X, a pilot, said`). Unless `verb_first` (resp. `speaker_first`)
    /// allows it anyway, the clause must end right after the verb (`he said.`, `he told the
    /// Herald on Friday.`).
    pub(super) fn cue_clause(
        &self,
        c: usize,
        verb_first: bool,
        speaker_first: bool,
    ) -> Option<Attribution> {
        let w = self.words;
        let n = w.tokens.len();
        // Pattern: verb then speaker.
        if let Some(_base) = cues::speech_verb(self.str(c))
            .filter(|_| w.is_word(c) && !cues::is_participle(self.str(c)))
        {
            // "…, said Kelby State University professor Anton Lind.": the clause may also end
            // right after a speaker phrase longer than a name.
            if let Some(f) = self.speaker_starting_at(c + 1)
                && (verb_first || self.cue_clause_ends(c) || self.ends_after(f.name_span))
            {
                return Some(self.inverted_attribution(f, c));
            }
            return None;
        }
        // Pattern: speaker then verb.
        let (mut found, mut after) = self.speaker_phrase_at(c)?;
        // "“…,” Ada Lowe and Oskar Brandt wrote": both named people speak together.
        if after + 1 < n
            && w.lower(after) == "and"
            && found.resolution == Resolution::Name
            && let Some((other, next)) = self.speaker_phrase_at(after + 1)
            && other.resolution == Resolution::Name
            && other.speaker != found.speaker
            && self.speech_verb_follows(next)
        {
            found = Found::pair(found, other);
            after = next;
        }
        let mut v = after;
        // "the White House spokesman, Josh Earnest, said": the name's closing comma.
        if v + 1 < n && self.str(v) == "," && self.speech_verb_follows(v + 1) {
            v += 1;
        }
        // An apposition: "X, a foreign policy analyst, said", also with commas of its own:
        // "X, 67, a retired nurse in Allentown, Pa., said". It ends at the comma a speech verb
        // follows, else at the next comma.
        if v < n && self.str(v) == "," {
            let sentence = w.tokens[v].sentence;
            let commas: Vec<usize> = (v + 1..(v + 40).min(n))
                .take_while(|&k| w.tokens[k].sentence == sentence && self.outside(k))
                .filter(|&k| self.str(k) == ",")
                .collect();
            if let Some(&k) = commas
                .iter()
                .find(|&&k| self.speech_verb_follows(k + 1))
                .or(commas.first().filter(|&&k| k < v + 25))
            {
                v = k + 1;
                // "X, Director of Kelby County, Harlow Parks Department said": the
                // apposition's last part is a name of its own.
                let mut u = v;
                while u < n
                    && u < v + 8
                    && w.is_word(u)
                    && self.outside(u)
                    && w.tokens[u].sentence == sentence
                    && (w.is_capitalised(u) || cues::is_org_connector(self.str(u)))
                {
                    u += 1;
                }
                if u > v && self.speech_verb_follows(u) {
                    v = u;
                }
            } else if verb_first && !self.title_case_before(c) {
                // "“…,” Nate Silver, the polling guru who founded the site tweeted on
                // Wednesday": an apposition the writer did not close with a comma ends at the
                // first inflected speech verb of the clause.
                if let Some(k) = (v + 2..(v + 16).min(n))
                    .take_while(|&k| w.tokens[k].sentence == sentence && self.outside(k))
                    .find(|&k| {
                        w.is_word(k)
                            && cues::inflected_speech_verb(self.str(k)).is_some()
                            && !cues::is_participle(self.str(k))
                    })
                {
                    v = k;
                }
            }
        }
        while v < n
            && w.is_word(v)
            && cues::is_aux_or_adverb(self.str(v))
            && cues::speech_verb(self.str(v)).is_none()
        {
            // "X did not respond": what someone did not say is no cue.
            let l = w.lower(v);
            if l == "not" || l == "never" || l.ends_with("n't") || l.ends_with("n’t") {
                return None;
            }
            v += 1;
        }
        // "X is quoted as saying": the passive reports the speaker's words.
        if v + 2 < n && w.lower(v) == "quoted" && w.lower(v + 1) == "as" {
            v += 2;
        }
        if v < n
            && w.is_word(v)
            && (cues::speech_verb(self.str(v)).is_some() && (speaker_first || self.cue_clause_ends(v))
                // "“…,” Fallon shot back": a phrasal verb only right after the quote's comma
                // ("“…” Romney fired back in March, attacking …" starts a sentence of its own).
                || self.phrasal_at(v).is_some() && speaker_first)
        {
            return Some(self.attribution(found, self.cue_text(v)));
        }
        None
    }

    /// Whether the quote right before token `c` is in title case (`“New Day,” Sen. Ada Lowe,
    /// …`): more likely a show's or book's name than words someone said.
    fn title_case_before(&self, c: usize) -> bool {
        let w = self.words;
        let Some(q) = c.checked_sub(1).and_then(|k| {
            (k.saturating_sub(3)..=k)
                .rev()
                .find_map(|t| w.tokens[t].quote)
        }) else {
            return false;
        };
        let (qs, qe) = w.quote_tokens[q];
        let inner: Vec<usize> = (qs..qe).filter(|&k| w.is_word(k)).collect();
        !inner.is_empty()
            && inner.len() <= 6
            && inner
                .iter()
                .all(|&k| w.is_capitalised(k) || self.str(k).len() <= 3)
    }

    /// The attribution to a speaker named after the verb at `v` (`said X`, `was asked by X`):
    /// without an affiliation of its own, the apposition after the name is it.
    pub(super) fn inverted_attribution(&self, mut f: Found, v: usize) -> Attribution {
        if f.affiliation.is_none() {
            f.affiliation = self.trailing_apposition(f.name_span);
        }
        self.attribution(f, self.cue_text(v))
    }

    /// "said Rita Dahl, 52, a forklift driver": the apposition after an inverted speaker (ages
    /// skipped).
    pub(super) fn trailing_apposition(&self, name: Span) -> Option<String> {
        let w = self.words;
        let mut k = w.tokens.partition_point(|t| t.span.start < name.end);
        let sentence_end = w.sentences.get(w.tokens.get(k)?.sentence)?.end;
        loop {
            if k >= sentence_end || self.str(k) != "," {
                return None;
            }
            let start = k + 1;
            let mut end = start;
            while end < sentence_end
                && !matches!(self.str(end), "," | "." | ";" | "!" | "?")
                && self.outside(end)
            {
                end += 1;
            }
            if end == start {
                return None;
            }
            let span = Span::new(w.tokens[start].span.start, w.tokens[end - 1].span.end);
            let text = one_line(span.of(w.text));
            if !text.chars().all(|c| c.is_ascii_digit()) {
                let opener = w.lower(start);
                let nominal = matches!(
                    opener.as_ref(),
                    "a" | "an" | "the" | "who" | "its" | "their" | "his" | "her"
                ) || cues::is_occupation(self.str(start));
                return nominal.then_some(text);
            }
            k = end;
        }
    }

    /// Whether the clause ends right after the verb at `v` (a cue clause of its own, as in
    /// `“…” he said.`), allowing an outlet, a platform or a time: `he told the Herald on Friday.`
    pub(super) fn cue_clause_ends(&self, v: usize) -> bool {
        let w = self.words;
        let para = w.tokens[v].paragraph;
        let mut k = v + 1;
        while k < w.tokens.len() && k < v + 8 && w.tokens[k].paragraph == para {
            // "he told her.", not "Brandt said Wednesday she, too, wants …": an object
            // pronoun may end the clause, a subject starts another.
            let skip = self.names.mention_at(k).is_some()
                || (self.names.pronoun_at(k).is_some()
                    && matches!(w.lower(k).as_ref(), "him" | "her" | "them"))
                || (w.is_word(k)
                    && (cues::is_calendar_word(self.str(k))
                        || cues::is_aux_or_adverb(self.str(k))
                        || matches!(
                            w.lower(k).as_ref(),
                            "to" | "the"
                                | "a"
                                | "reporters"
                                | "journalists"
                                | "afterwards"
                                | "statement"
                                | "post"
                                | "interview"
                                | "at"
                                | "of"
                        )));
            if !skip {
                break;
            }
            k += 1;
        }
        self.clause_ends_at(k, para)
    }

    /// Whether a clause ends right after the name at `name`: a full stop, a comma (an
    /// apposition follows) or the paragraph's end.
    fn ends_after(&self, name: Span) -> bool {
        let w = self.words;
        let k = w.tokens.partition_point(|t| t.span.start < name.end);
        self.clause_ends_at(k, w.tokens[k - 1].paragraph)
    }

    /// Whether a clause of paragraph `para` ends at token `k`: a full stop, a comma, a
    /// semicolon, the paragraph's end or the text's.
    fn clause_ends_at(&self, k: usize, para: usize) -> bool {
        let w = self.words;
        k >= w.tokens.len()
            || w.tokens[k].paragraph != para
            || matches!(self.str(k), "." | "!" | "?" | "," | ";")
    }
}
