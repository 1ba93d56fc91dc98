//! The reading shared by the attribution rules: the tokens around a quote, who a name, pronoun,
//! role or description stands for, a verb's subject, the words of a cue.
//!
//! No rule lives here; each rule is a file of its own (see [`super::RULES`]).

use super::{CIRCUMSTANCE_WORDS, CUE_WINDOW, Found, SubjectAt};
use crate::document::{Attribution, NameKind, Resolution, Span};
use crate::extract::cues;
use crate::extract::marks::MarkedSpan;
use crate::extract::names::{self, NameTable, Via};
use crate::extract::words::{Words, is_closing_mark};
use crate::text::collapse_whitespace as one_line;

/// The document as the rules read it: its tokens, names and marked spans.
pub(super) struct Reader<'a, 't> {
    pub(super) words: &'a Words<'t>,
    pub(super) names: &'a NameTable,
    pub(super) spans: &'a [MarkedSpan],
}

impl Reader<'_, '_> {
    /// The word tokens of quote `qi` itself (not of a quote nested in it).
    pub(super) fn inner_words(&self, qi: usize) -> Vec<usize> {
        let w = self.words;
        self.quote_range(qi).map_or_else(Vec::new, |(qs, qe)| {
            (qs..qe)
                .filter(|&k| w.is_word(k) && w.tokens[k].quote == Some(qi))
                .collect()
        })
    }

    /// The last token of the quoted words (marks excluded), as text.
    pub(super) fn last_inner(&self, qi: usize) -> &str {
        let Some(m) = self.spans.get(qi) else {
            return "";
        };
        let toks = &self.words.tokens;
        let mut end = toks.partition_point(|t| t.span.start < m.span.end);
        // A nested quote's closing mark: `'… win Loudoun?’"` ends in its question mark.
        while end > 1
            && toks[end - 2].span.start >= m.span.start
            && is_closing_mark(self.str(end - 1))
        {
            end -= 1;
        }
        if end == 0 || toks[end - 1].span.start < m.span.start {
            return "";
        }
        self.str(end - 1)
    }

    pub(super) fn str(&self, i: usize) -> &str {
        self.words.str(i)
    }

    pub(super) fn quote_range(&self, qi: usize) -> Option<(usize, usize)> {
        let r = *self.words.quote_tokens.get(qi)?;
        (r.0 < r.1).then_some(r)
    }

    pub(super) fn sentence_of_quote(&self, qi: usize) -> Option<usize> {
        let (first, _) = self.quote_range(qi)?;
        Some(self.words.tokens[first].sentence)
    }

    pub(super) fn outside(&self, i: usize) -> bool {
        self.words.tokens[i].quote.is_none()
    }

    pub(super) fn found_for_entity(
        &self,
        e: usize,
        span: Span,
        via: Via,
        title: Option<Span>,
    ) -> Found {
        let described = self
            .names
            .mention_at(
                self.words
                    .tokens
                    .partition_point(|t| t.span.start < span.start),
            )
            .filter(|m| m.entity == e && m.title.is_none())
            .and_then(|m| m.described_as);
        let ent = self.names.entity(e);
        let affiliation = title
            .or(described)
            .map(|t| one_line(t.of(self.words.text)))
            .or_else(|| ent.titles.first().cloned());
        Found {
            speaker: ent.name.clone(),
            affiliation,
            name_span: span,
            resolution: match via {
                Via::Name => Resolution::Name,
                Via::Pronoun => Resolution::Pronoun,
                Via::Title => Resolution::Title,
            },
        }
    }

    /// The speaker whose reference ends at token `t` (scanning backward), if any; none past
    /// the last token.
    pub(super) fn speaker_ending_at(&self, t: usize) -> Option<Found> {
        let w = self.words;
        if t >= w.tokens.len() {
            return None;
        }
        let mut t = t;
        // "the Prime Minister’s Office (PMO) announced": step over a parenthesis.
        if self.str(t) == ")" && t >= 2 && self.str(t - 2) == "(" {
            t -= 3;
        }
        // "Ada Lune Jr. said": the name ends with its suffix, before the dot.
        if t >= 1 && self.str(t) == "." && cues::is_name_suffix(self.str(t - 1)) {
            t -= 1;
        }
        if let Some(m) = self.names.mention_at(t)
            && m.last_tok == t
            && !m.quoted
        {
            // "Americans will say", "Democrats argue": a group, nobody named.
            if m.first_tok == t && m.title.is_none() && cues::is_group_plural(self.str(t)) {
                return None;
            }
            let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
            return Some(self.found_for_entity(m.entity, span, Via::Name, m.title));
        }
        // "Feld's answer was blunt: “…”": what a person said is theirs, and so is what they
        // wrote on a named service ("Feld's Chirp post").
        if t > 0
            && w.is_word(t)
            && cues::is_utterance_noun(self.str(t))
            && let owner = if t > 1
                && self
                    .names
                    .mention_at(t - 1)
                    .is_some_and(|m| m.first_tok == t - 1 && !m.possessive)
            {
                t - 2
            } else {
                t - 1
            }
            && let Some(m) = self.names.mention_at(owner)
            && m.possessive
            && m.last_tok == owner
            && !m.quoted
            && self.names.entity(m.entity).kind == NameKind::Person
        {
            let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
            return Some(self.found_for_entity(m.entity, span, Via::Name, m.title));
        }
        // "Netanyahu’s office", "Brenland's foreign ministry": the body speaks for its owner.
        // The body nouns are `lexicon/speaking_bodies.txt`.
        if w.is_word(t) && cues::is_speaking_body(self.str(t)) {
            let mut p = t;
            while p > 0
                && t - p < 3
                && self.names.mention_at(p - 1).is_none()
                && w.is_word(p - 1)
                && !w.is_capitalised(p - 1)
                && !w.tokens[p - 1].possessive
            {
                p -= 1;
            }
            // "the Clinton campaign", "the Harlow Foods board": a name that modifies the body
            // after "the" (as written: the campaign is the Clinton campaign, not a person).
            if p > 0
                && let Some(m) = self.names.mention_at(p - 1)
                && !m.possessive
                && m.last_tok == p - 1
                && !m.quoted
                && m.title.is_none()
                && m.first_tok > 0
                && w.lower(m.first_tok - 1) == "the"
            {
                let body = Span::new(m.span.start, w.tokens[t].span.end);
                return Some(Found {
                    speaker: one_line(body.of(w.text)),
                    affiliation: None,
                    name_span: Span::new(
                        w.tokens[m.first_tok - 1].span.start,
                        w.tokens[t].span.end,
                    ),
                    resolution: Resolution::Name,
                });
            }
            if p > 0
                && let Some(m) = self.names.mention_at(p - 1)
                && m.possessive
                && m.last_tok == p - 1
                && !m.quoted
            {
                let ent = self.names.entity(m.entity);
                let owner_end = w.tokens[p].span.start;
                let suffix = w.text[m.span.end..owner_end].trim();
                let body = Span::new(w.tokens[p].span.start, w.tokens[t].span.end);
                return Some(Found {
                    speaker: format!("{}{} {}", ent.name, suffix, one_line(body.of(w.text))),
                    affiliation: None,
                    name_span: Span::new(w.tokens[m.first_tok].span.start, w.tokens[t].span.end),
                    resolution: Resolution::Name,
                });
            }
        }
        if let Some((first, e)) = self.names.role_at(t) {
            let span = Span::new(w.tokens[first].span.start, w.tokens[t].span.end);
            let mut f = self.found_for_entity(e, span, Via::Title, None);
            f.affiliation = Some(one_line(span.of(w.text)));
            return Some(f);
        }
        if matches!(w.lower(t).as_ref(), "he" | "she" | "they")
            && let Some(e) = self.names.pronoun_at(t)
        {
            return Some(self.found_for_entity(e, w.tokens[t].span, Via::Pronoun, None));
        }
        if w.lower(t) == "it" {
            return self.body_before(t);
        }
        None
    }

    /// What "it" at `t` stands for as a speaker: the nearest body or organisation named before
    /// it in its sentence ("the Trump administration's bid … for what it called …").
    fn body_before(&self, t: usize) -> Option<Found> {
        let w = self.words;
        let first = w.sentences[w.tokens[t].sentence].first;
        (first..t)
            .rev()
            .filter(|&k| self.outside(k))
            .find_map(|k| {
                if w.is_word(k) && cues::is_speaking_body(self.str(k)) {
                    return self.speaker_ending_at(k);
                }
                let m = self.names.mention_at(k)?;
                (m.last_tok == k
                    && !m.quoted
                    && self.names.entity(m.entity).kind == NameKind::Organisation)
                    .then(|| self.speaker_ending_at(k))
                    .flatten()
            })
            .map(|mut f| {
                f.name_span = w.tokens[t].span;
                f.resolution = Resolution::Pronoun;
                f
            })
    }

    /// The speaker whose reference starts at token `t` (after an inverted verb: "said X").
    pub(super) fn speaker_starting_at(&self, t: usize) -> Option<Found> {
        let w = self.words;
        if t >= w.tokens.len() || !self.outside(t) {
            return None;
        }
        if let Some(m) = self.names.mention_at(t)
            && m.first_tok == t
        {
            // "said Falcons coach Marta Lindqvist": a team or body before a person's role.
            if !m.possessive
                && self.names.entity(m.entity).kind != NameKind::Person
                && let Some((found, _)) = self.speaker_phrase_at(t)
                && found.resolution == Resolution::Name
                && found.name_span.start > m.span.start
            {
                return Some(found);
            }
            // "said Smith's lawyer, Jane Doe": the lawyer speaks, not Smith.
            if m.possessive
                && let Some((found, _)) = self.role_then_name(m.last_tok + 1)
            {
                return Some(found);
            }
            if m.possessive
                && let Some(found) = self.speaker_phrase_at(m.last_tok + 1).map(|f| f.0)
            {
                return Some(found);
            }
            if m.possessive
                && let Some(found) = self.speaker_ending_at(m.last_tok + 1)
            {
                return Some(found);
            }
            if m.possessive {
                return None;
            }
            return self.speaker_ending_at(m.last_tok);
        }
        // "said the mayor, Ilse Varga": a role in apposition to the name.
        if let Some((found, _)) = self.role_then_name(t) {
            return Some(found);
        }
        // "said board chair Harriet Quayle"
        if let Some((found, _)) = self.speaker_phrase_at(t) {
            return Some(found);
        }
        // "said the mayor", "said Iran’s foreign minister"
        for k in t..(t + 5).min(w.tokens.len()) {
            if let Some((first, _)) = self.names.role_at(k)
                && first == t
            {
                return self.speaker_ending_at(k);
            }
        }
        if matches!(w.lower(t).as_ref(), "he" | "she" | "they") {
            return self.speaker_ending_at(t);
        }
        self.age_reference(t).map(|f| f.0)
    }

    /// "the mayor, Ilse Varga": lower-case role words, a comma, then a name. The role becomes
    /// the affiliation.
    pub(super) fn role_then_name(&self, t: usize) -> Option<(Found, usize)> {
        let w = self.words;
        let mut k = t;
        // The role's head: its last word, or the word before "of" ("chief of staff").
        let mut head = None;
        // Words that do not count towards the role's length ("at the time").
        let mut extra = 0;
        // Lower-case role words, and capitalised ones that name the body the role belongs to:
        // "the White House press secretary, Josh Earnest", "the Vatican spokesman, Ada Lowe".
        while k < w.tokens.len()
            && k < t + 6 + extra
            && self.outside(k)
            && w.is_word(k)
            && (!w.is_capitalised(k) || self.modifies_role(k))
            && cues::speech_verb(self.str(k)).is_none()
        {
            // "the American ambassador at the time, John Herbst": a time after the role.
            if k > t
                && w.lower(k) == "at"
                && k + 2 < w.tokens.len()
                && w.lower(k + 1) == "the"
                && w.lower(k + 2) == "time"
            {
                head = head.or(Some(k - 1));
                extra += 3;
                k += 3;
                continue;
            }
            // "chief of staff, Joe Kasper": "of" or "for" inside the role, before its noun.
            if cues::is_preposition(self.str(k)) {
                let inside = k > t
                    && matches!(self.str(k), "of" | "for")
                    && k + 1 < w.tokens.len()
                    && self.outside(k + 1)
                    && w.is_word(k + 1)
                    && !w.is_capitalised(k + 1)
                    && head.is_none()
                    && cues::is_occupation(self.str(k - 1));
                if !inside {
                    break;
                }
                head = head.or(Some(k - 1));
            }
            k += 1;
        }
        if k == t
            || k + 1 >= w.tokens.len()
            || self.str(k) != ","
            || !cues::is_occupation(self.str(head.unwrap_or(k - 1)))
        {
            return None;
        }
        let m = self
            .names
            .mention_at(k + 1)
            .filter(|m| m.first_tok == k + 1 && !m.quoted)?;
        let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
        let mut found = self.found_for_entity(m.entity, span, Via::Name, m.title);
        if m.title.is_none() {
            let role = Span::new(w.tokens[t].span.start, w.tokens[k - 1].span.end);
            found.affiliation = Some(one_line(role.of(w.text)));
        }
        Some((found, m.last_tok + 1))
    }

    /// Whether the lower-case word at `k` can describe a person after an inverted speech verb:
    /// a role noun or an adjective in -ed ("undecided", "retired"), no inflected speech verb,
    /// function word or preposition.
    fn descriptor(&self, k: usize) -> bool {
        let s = self.words.lower(k);
        s.len() >= 4
            && s.chars().all(char::is_alphabetic)
            && cues::inflected_speech_verb(&s).is_none()
            && !cues::is_common_capitalised(&s)
            && !cues::is_preposition(&s)
    }

    /// Whether the capitalised token `k` belongs to a role rather than naming its holder: an
    /// organisation ("White House press secretary"), a nationality or party word ("Republican
    /// party boss").
    fn modifies_role(&self, k: usize) -> bool {
        let s = self.str(k);
        cues::is_demonym(s)
            || cues::is_party_word(s)
            || self
                .names
                .mention_at(k)
                .is_some_and(|m| self.names.entity(m.entity).kind != NameKind::Person && !m.quoted)
    }

    /// The sentence subject, when it stands before token `before`.
    pub(super) fn sentence_subject(&self, sentence: usize, before: usize) -> Option<Found> {
        let s = self.names.subject(sentence)?;
        if s.last_tok >= before {
            return None;
        }
        let w = self.words;
        let span = Span::new(
            w.tokens[s.first_tok].span.start,
            w.tokens[s.last_tok].span.end,
        );
        let mut f = self.speaker_ending_at(s.last_tok)?;
        f.name_span = span;
        Some(f)
    }

    /// What stands before the verb at `v` as its subject.
    pub(super) fn subject_of_verb(&self, v: usize) -> SubjectAt {
        let w = self.words;
        let sentence = w.tokens[v].sentence;
        let first = w.sentences[sentence]
            .first
            .max(v.saturating_sub(CUE_WINDOW));
        let verb = self.str(v);
        // "tried to reassure", "took to social media to say": the subject is before the
        // verb phrase.
        let mut u = self.verb_phrase_start(v, first);
        // Skip auxiliaries and adverbs ("has repeatedly", "on Sunday").
        while u > first {
            let p = u - 1;
            if !self.outside(p) {
                break;
            }
            let s = self.str(p);
            // "the crash over Washington that is feared to have …": a relative clause's verb
            // has no named subject before it.
            if matches!(s, "that" | "which") {
                return SubjectAt::Unnamed;
            }
            // "The State Department less than two weeks ago said": a span of time before
            // "ago".
            if w.lower(p) == "ago" {
                let mut k = p;
                while k > first + 1 && w.is_word(k - 1) && cues::is_time_span_word(self.str(k - 1))
                {
                    k -= 1;
                }
                if k < p {
                    u = k;
                    continue;
                }
            }
            if w.is_word(p) && (cues::is_aux_or_adverb(s) || cues::is_calendar_word(s)) {
                // Do not skip a pronoun or a name standing as subject.
                if self.speaker_ending_at(p).is_some() {
                    break;
                }
                u = p;
                continue;
            }
            break;
        }
        if u == first {
            return SubjectAt::Unnamed;
        }
        if !cues::is_participle(verb)
            && let Some(f) = self.subject_before_circumstance(u, first)
        {
            return SubjectAt::Speaker(f);
        }
        let p = u - 1;
        let ps = self.str(p).to_lowercase();
        let participle = cues::is_participle(verb);
        // "…, Mr. Manafort said, adding that …", "said Lowe, adding …": the participle is the
        // cue clause's right before it.
        if participle && ps == "," && p >= first + 2 {
            // Not a noun: "shrugged off Trump's comments, telling reporters".
            if cues::inflected_speech_verb(self.str(p - 1)).is_some()
                && !cues::is_participle(self.str(p - 1))
                && !w.tokens[p - 2].possessive
                && let Some(f) = self.speaker_ending_at(p - 2)
            {
                return SubjectAt::Speaker(f);
            }
            if let Some(m) = self.names.mention_at(p - 1).filter(|m| m.last_tok == p - 1)
                && m.first_tok > first
                && cues::inflected_speech_verb(self.str(m.first_tok - 1)).is_some()
                && let Some(f) = self.speaker_ending_at(p - 1)
            {
                return SubjectAt::Speaker(f);
            }
        }
        // "Mr. Buchanan, who had failed to win the nomination, called for …": the name before
        // a relative clause that ends at the comma before the verb.
        if !participle
            && ps == ","
            && let Some(who) = (p.saturating_sub(25).max(first + 2)..p)
                .rev()
                .find(|&k| w.lower(k) == "who" && self.str(k - 1) == ",")
            && let Some(f) = self.speaker_ending_at(who - 2)
            // The sentence's own subject keeps its apposition as the affiliation.
            && self
                .sentence_subject(w.tokens[v].sentence, p)
                .is_none_or(|s| s.speaker != f.speaker)
        {
            return SubjectAt::Speaker(f);
        }
        if participle
            && (ps == ","
                || matches!(
                    ps.as_str(),
                    "while"
                        | "when"
                        | "after"
                        | "before"
                        | "by"
                        | "as"
                        | "in"
                        | "upon"
                        | "and"
                        | "but"
                        | "—"
                        | "–"
                        | "-"
                        | "also"
                ))
        {
            return SubjectAt::Sentence;
        }
        // "Her campaign manager, Robby Mook, suggested": a role, then the person holding it
        // between commas, speaks (not whoever else the role was bound to).
        if !participle
            && ps == ","
            && p >= first + 3
            && let Some(m) = self.names.mention_at(p - 1)
            && m.last_tok == p - 1
            && !m.quoted
            && self.names.entity(m.entity).kind == NameKind::Person
            && m.first_tok >= first + 2
            && self.str(m.first_tok - 1) == ","
            && w.is_word(m.first_tok - 2)
            && !w.is_capitalised(m.first_tok - 2)
            && cues::is_occupation(self.str(m.first_tok - 2))
            && cues::speech_verb(verb).is_some_and(|b| !cues::is_stance(b))
            && self.role_opens_sentence(m.first_tok - 2, w.sentences[sentence].first)
            && let Some(f) = self.speaker_ending_at(p - 1)
        {
            return SubjectAt::Speaker(f);
        }
        // "Gov. Ada Lowe (R-KL), said", "Sen. Ada Lowe (D-KL) last week said": a party and
        // state trail the name.
        if let Some(f) = self.speaker_before_trailer(if ps == "," { p } else { u }, first) {
            return SubjectAt::Speaker(f);
        }
        // "…, while Mike Huckabee, the former Arkansas governor, proposed …": a person, then
        // an apposition that opens with a determiner, between commas right before the verb.
        if !participle
            && ps == ","
            && let Some(open) = (p.saturating_sub(8).max(first + 1)..p)
                .rev()
                .find(|&k| self.str(k) == "," && self.outside(k))
            && open + 2 < p
            && matches!(&*w.lower(open + 1), "the" | "a" | "an" | "his" | "her")
            && (open + 1..p).all(|k| self.outside(k) && cues::speech_verb(self.str(k)).is_none())
            && let Some(m) = self.names.mention_at(open - 1)
            && m.last_tok == open - 1
            && !m.possessive
            && !m.quoted
            && self.names.entity(m.entity).kind == NameKind::Person
            // The name opens a clause inside the sentence (the sentence's own subject keeps
            // its apposition as the affiliation; "Zeliff and 24-year-old Tom Giancola, a
            // fellow …, explained" has two speakers).
            && m.first_tok > w.sentences[sentence].first
            && matches!(
                &*w.lower(m.first_tok - 1),
                "," | ";" | "while" | "whereas" | "but"
            )
            && let Some(f) = self.speaker_ending_at(open - 1)
        {
            return SubjectAt::Speaker(f);
        }
        if matches!(ps.as_str(), "and" | "but" | "or" | "then" | "," | "—" | "–") {
            return SubjectAt::Sentence;
        }
        if !self.outside(p) {
            // `X, calling it “Q,” acknowledged “R”`: the verb after a quote has the sentence
            // subject (`“Q,” said X` is the forward cue's business).
            return SubjectAt::Sentence;
        }
        if ps == "who"
            && p >= 2
            && self.str(p - 1) == ","
            && let Some(f) = self.speaker_ending_at(p - 2)
        {
            return SubjectAt::Speaker(f);
        }
        // "responded to a question on Chirp writing, “…”": a place or medium a preposition
        // governs is no participle's subject ("with Lowe saying", "of Lowe saying" are).
        if participle
            && let Some(m) = self.names.mention_at(p)
            && m.last_tok == p
            && names::preceded_by_preposition(w, m.first_tok)
            && !(1..=2).any(|d| {
                m.first_tok >= d
                    && matches!(w.lower(m.first_tok - d).as_ref(), "with" | "without" | "of")
            })
        {
            return SubjectAt::Sentence;
        }
        match self.speaker_ending_at(p) {
            Some(f) => SubjectAt::Speaker(self.joint_speakers(p, f)),
            None => SubjectAt::Unnamed,
        }
    }

    /// Whether the role ending at token `head` opens the sentence starting at `first`: a
    /// determiner or possessive and lower-case words only ("Her campaign manager", "The
    /// island's harbour master"), not an apposition inside the sentence.
    fn role_opens_sentence(&self, head: usize, first: usize) -> bool {
        let w = self.words;
        let mut k = head;
        while k > first
            && w.is_word(k - 1)
            && self.outside(k - 1)
            && (!w.is_capitalised(k - 1) || k - 1 == first || w.tokens[k - 1].possessive)
        {
            k -= 1;
        }
        k == first
    }

    /// The speaker whose parenthesised trailer (`(R-OH)`, `(D-Calif.)`) ends right before token
    /// `p`, not before `first`.
    fn speaker_before_trailer(&self, p: usize, first: usize) -> Option<Found> {
        let close = p
            .checked_sub(1)
            .filter(|&k| k > first && self.str(k) == ")")?;
        let open = (close.saturating_sub(10).max(first)..close)
            .rev()
            .find(|&k| self.str(k) == "(")?;
        let m = self.names.mention_at(open.checked_sub(1)?)?;
        // Not a name a preposition governs: "Ada Lowe, the High Commissioner for Harbours
        // (HCH), reacted" is Lowe's.
        (m.last_tok == open - 1
            && !m.quoted
            && !m.possessive
            && !names::preceded_by_preposition(self.words, m.first_tok))
        .then(|| self.speaker_ending_at(open - 1))
        .flatten()
    }

    /// "Lowe in a filmed address on Friday said", "Brandt at a meeting in Lowmoor on Thursday
    /// called": a circumstance (prepositions with their objects, no comma, verb or conjunction)
    /// between a name and its verb phrase starting at `u`; the name before its first
    /// preposition. Not when that name is itself governed by a preposition ("a critic of Lowe in
    /// the council said").
    fn subject_before_circumstance(&self, u: usize, first: usize) -> Option<Found> {
        let w = self.words;
        let lower_word = |k: usize| {
            let l = w.lower(k);
            self.outside(k)
                && w.is_word(k)
                && (!w.is_capitalised(k) || cues::is_calendar_word(self.str(k)))
                && cues::speech_verb(self.str(k)).is_none()
                && !matches!(l.as_ref(), "and" | "or" | "but" | "then" | "who" | "which")
                // "a filmed address" is an adjective; "Cruz knocked Rubio on trade" a verb.
                && (!l.ends_with("ed")
                    || k > 0 && matches!(w.lower(k - 1).as_ref(), "a" | "an" | "the" | "his" | "her" | "its" | "their"))
        };
        let governed = |m: &crate::extract::names::Mention| {
            m.first_tok > 0 && cues::is_preposition(&w.lower(m.first_tok - 1))
        };
        let mut q = u;
        let mut subject = None;
        while q > first && u - q < CIRCUMSTANCE_WORDS {
            let k = q - 1;
            if lower_word(k) {
                q = k;
            } else if let Some(m) = self
                .names
                .mention_at(k)
                .filter(|m| m.last_tok == k && !m.quoted && !m.possessive && governed(m))
            {
                // A place the circumstance names: "in Lowmoor".
                q = m.first_tok;
                continue;
            } else {
                break;
            }
            if u - q >= 2
                && cues::is_preposition(&w.lower(q))
                && !cues::is_subordinator(&w.lower(q))
                && q > first
                && let Some(m) = self.names.mention_at(q - 1)
                && m.last_tok == q - 1
                && !m.quoted
                && !m.possessive
                && !governed(m)
            {
                subject = Some(q - 1);
            }
        }
        self.speaker_ending_at(subject?)
    }

    /// Where the verb phrase of the speech verb at `v` starts: at a catenative verb before
    /// `to` (`tried to reassure`, `went on to say`, `moved swiftly to deny`, `was prompted to
    /// say`) or before an -ing form (`kept asking`) or at `took to …
    /// to` (`took to social media to say`); else at `v`. Not before `first`.
    fn verb_phrase_start(&self, v: usize, first: usize) -> usize {
        let w = self.words;
        let word = |k: usize| k >= first && self.outside(k) && w.is_word(k);
        // "kept asking", "began saying": a catenative right before an -ing form.
        if v > first
            && word(v - 1)
            && w.lower(v).ends_with("ing")
            && cues::is_catenative(self.str(v - 1))
        {
            return v - 1;
        }
        if v < first + 2 || !word(v - 1) || w.lower(v - 1) != "to" {
            return v;
        }
        let mut k = v - 2;
        // "went on to say", "moved swiftly to deny"
        if word(k) && (w.lower(k) == "on" || cues::is_aux_or_adverb(self.str(k))) && k > first {
            k -= 1;
        }
        if word(k) && cues::is_catenative(self.str(k)) {
            return k;
        }
        // "took to social media to say", "took to Twitter to write"
        for gap in 1..=3 {
            let Some(to) = (v - 1).checked_sub(gap + 1) else {
                break;
            };
            if to > first
                && word(to)
                && w.lower(to) == "to"
                && word(to - 1)
                && cues::is_take(self.str(to - 1))
                && (to + 1..v - 1).all(word)
            {
                return to - 1;
            }
        }
        v
    }

    /// "Brandt and Nyman said": both speak. `f` was found ending at token `p`.
    fn joint_speakers(&self, p: usize, f: Found) -> Found {
        let w = self.words;
        let Some(m) = self.names.mention_at(p).filter(|m| m.last_tok == p) else {
            return f;
        };
        let and = m.first_tok;
        if and < 2 || w.lower(and - 1) != "and" {
            return f;
        }
        let Some(other) = self
            .names
            .mention_at(and - 2)
            .filter(|o| o.last_tok == and - 2 && !o.quoted && !o.possessive)
        else {
            return f;
        };
        if self.names.entity(other.entity).name == f.speaker {
            return f;
        }
        let span = Span::new(w.tokens[other.first_tok].span.start, other.span.end);
        let first = self.found_for_entity(other.entity, span, Via::Name, other.title);
        Found::pair(first, f)
    }

    /// The cue words: the verb, with the outlet or platform that follows it.
    pub(super) fn cue_text(&self, v: usize) -> String {
        let w = self.words;
        if let Some(_entry) = self.phrasal_at(v) {
            return format!("{} {}", self.str(v), self.str(v + 1));
        }
        let verb = self.str(v).to_string();
        let base = cues::speech_verb(&verb);
        let mut k = v + 1;
        let article = usize::from(k < w.tokens.len() && w.lower(k) == "the");
        if base == Some("tell")
            && let Some(m) = self
                .names
                .mention_at(k + article)
                .filter(|m| m.first_tok == k + article)
        {
            let outlet = Span::new(w.tokens[k].span.start, m.span.end);
            return format!("{verb} {}", one_line(outlet.of(w.text)));
        }
        // "wrote on X", "said in a post on X"
        while k < w.tokens.len() && k < v + 6 && self.outside(k) && w.is_word(k) {
            let l = w.lower(k);
            if (l == "on" || l == "to") && k + 1 < w.tokens.len() {
                if let Some(m) = self
                    .names
                    .mention_at(k + 1)
                    .filter(|m| m.first_tok == k + 1)
                {
                    return format!("{verb} {l} {}", m.span.of(w.text));
                }
                if k + 1 < w.tokens.len()
                    && w.is_capitalised(k + 1)
                    && self.str(k + 1).len() <= 12
                    && !cues::is_calendar_word(self.str(k + 1))
                {
                    return format!("{verb} {l} {}", self.str(k + 1));
                }
            }
            if !matches!(
                l.as_ref(),
                "in" | "a" | "an" | "the" | "post" | "statement" | "message"
            ) {
                break;
            }
            k += 1;
        }
        verb
    }

    pub(super) fn attribution(&self, f: Found, cue: String) -> Attribution {
        Attribution::new(
            f.speaker,
            f.affiliation.map(Into::into),
            cue,
            Some(f.name_span),
            f.resolution,
        )
    }

    /// A speaker phrase starting at token `c`: the speaker and the token after the phrase.
    pub(super) fn speaker_phrase_at(&self, c: usize) -> Option<(Found, usize)> {
        let (found, after) = self.speaker_phrase_head(c)?;
        Some((found, self.after_trailer(after)))
    }

    /// The token after what may follow a speaker's name before the verb: the dot of `Jr.`, a
    /// party and state in parentheses (`Rep. Jim McDermott (D-Wash.)`), or where they come
    /// from (`Senator John McCain of Arizona`, `Jones of the American Enterprise Institute`).
    fn after_trailer(&self, mut after: usize) -> usize {
        let w = self.words;
        let n = w.tokens.len();
        loop {
            // "Ada Lune Jr. said": the dot of a generational suffix.
            if after < n
                && after > 0
                && self.str(after) == "."
                && cues::is_name_suffix(self.str(after - 1))
            {
                after += 1;
                continue;
            }
            if after < n && self.str(after) == "(" {
                let close = (after + 1..(after + 10).min(n))
                    .take_while(|&k| w.tokens[k].paragraph == w.tokens[after].paragraph)
                    .find(|&k| self.str(k) == ")");
                if let Some(close) = close {
                    after = close + 1;
                    continue;
                }
            }
            if after + 1 < n && w.lower(after) == "of" {
                let at = after + 1 + usize::from(w.lower(after + 1) == "the");
                if let Some(m) = self
                    .names
                    .mention_at(at)
                    .filter(|m| m.first_tok == at && !m.quoted && !m.possessive)
                {
                    after = m.last_tok + 1;
                    continue;
                }
            }
            return after;
        }
    }

    /// A speaker phrase without what trails it: see [`Self::speaker_phrase_at`].
    fn speaker_phrase_head(&self, c: usize) -> Option<(Found, usize)> {
        let w = self.words;
        if c >= w.tokens.len() {
            return None;
        }
        // "an angry Hollande", "a smiling Lowe", "his friend Mahamat Oumar", "the economist Jared
        // Bernstein": a determiner and a few lower-case words before a person's name.
        if matches!(
            w.lower(c).as_ref(),
            "a" | "an" | "the" | "his" | "her" | "their" | "its" | "another" | "one"
        ) && let Some(found) = self.described_name(c)
        {
            return Some(found);
        }
        // "said the mayor, Ilse Varga", "the White House press secretary, Josh Earnest, said".
        if let Some(found) = self.role_then_name(c) {
            return Some(found);
        }
        // "a spokesman for the ministry said", "an official for Harlow Foods said": someone
        // unnamed speaking for a body gives the body.
        if let Some(found) = self.spokesperson_for(c) {
            return Some(found);
        }
        // "said the Rev. Ada Lowe", "the Hon. Tomas Ek said": "the" before a titled name.
        if w.lower(c) == "the"
            && let Some(m) = self.names.mention_at(c + 1)
            && m.first_tok == c + 1
            && m.title.is_some()
            && !m.quoted
            && self.names.entity(m.entity).kind == NameKind::Person
        {
            return self.speaker_phrase_head(c + 1);
        }
        // "the Zionist Union Party's Nachman Shai": the organisation opens the phrase.
        if w.lower(c) == "the"
            && let Some(m) = self.names.mention_at(c + 1)
            && m.first_tok == c + 1
            && m.possessive
            && self.names.entity(m.entity).kind == NameKind::Organisation
        {
            return self.speaker_phrase_head(c + 1);
        }
        // "ferry operator Lukas Brenner said": step over a lower-case role to its name (not over
        // "while opposition leader X": a conjunction starts another clause).
        // "Falcons coach Marta Lindqvist said": a team or organisation name before the role
        // belongs to the role, not to the speaker.
        let role_start = match self.names.mention_at(c) {
            Some(m) if m.first_tok == c && !m.possessive && !m.quoted => m.last_tok + 1,
            _ => c,
        };
        // "said union steward Tomas Riedel": the verb came first.
        let inverted = c > 0
            && w.is_word(c - 1)
            && self.outside(c - 1)
            && cues::speech_verb(self.str(c - 1))
                .is_some_and(|_| !cues::is_participle(self.str(c - 1)));
        let mut k = role_start;
        // "Republican party boss Reince Priebus": a party or nationality may open the role.
        let party = k < w.tokens.len()
            && self.outside(k)
            && w.is_capitalised(k)
            && self.names.mention_at(k).is_none()
            && (cues::is_demonym(self.str(k)) || cues::is_party_word(self.str(k)));
        if party {
            k += 1;
        }
        // After an inverted verb the words before the name can only describe the speaker, so
        // the role may be longer and hold adjectives in -ed ("said undecided voter …").
        let limit = role_start + if inverted { 6 } else { 4 };
        while k < w.tokens.len() && k < limit && self.outside(k) && w.is_word(k) {
            let s = self.str(k);
            let lower = |t: usize| {
                t < w.tokens.len()
                    && self.outside(t)
                    && w.is_word(t)
                    && !w.is_capitalised(t)
                    && self.names.role_at(t).is_none()
                    && self.names.pronoun_at(t).is_none()
            };
            if lower(k) && (names::is_role_noun(s) || inverted && self.descriptor(k)) {
                k += 1;
                continue;
            }
            // "secretary of state", "master of ceremonies": a preposition inside the role, and
            // the noun after it (a noun there even when it could be a verb: "state").
            if k > role_start && matches!(s, "of" | "for") && lower(k + 1) && self.descriptor(k + 1)
            {
                k += 2;
                continue;
            }
            // "undecided Republican voter", "super PAC spokeswoman": a party, nationality or
            // organisation inside the role, a lower-case role word after it.
            if k > role_start && w.is_capitalised(k) && self.modifies_role(k) {
                let after = self.names.mention_at(k).map_or(k + 1, |m| m.last_tok + 1);
                if lower(after) && names::is_role_noun(self.str(after)) {
                    k = after;
                    continue;
                }
            }
            break;
        }
        // A party word alone makes no role.
        if party && k == role_start + 1 {
            k = role_start;
        }
        if k > role_start
            && let Some(m) = self
                .names
                .mention_at(k)
                .filter(|m| m.first_tok == k && !m.quoted)
            // The role must end in an occupation ("ferry operator"), or the name must be the
            // subject of a speech verb right after it ("union steward Tomas Riedel said"):
            // either way the lower-case words describe the speaker.
            && (cues::is_occupation(self.str(k - 1))
                // "harbour experts Ada Lind and Serena Kell-Varga wrote": a plural role
                // before two names.
                || (m.last_tok + 1 < w.tokens.len()
                    && w.lower(m.last_tok + 1) == "and"
                    && self
                        .str(k - 1)
                        .strip_suffix('s')
                        .is_some_and(cues::is_occupation))
                || self.speech_verb_follows(m.last_tok + 1)
                || inverted)
            && (role_start == c || self.speech_verb_follows(m.last_tok + 1) || inverted)
        {
            // The role is the affiliation when the name came without one ("said former
            // secretary of state Ada Lowe").
            let (mut found, after) = self.speaker_phrase_at(k)?;
            if found.affiliation.is_none() {
                let role = Span::new(w.tokens[role_start].span.start, w.tokens[k - 1].span.end);
                found.affiliation = Some(one_line(role.of(w.text)));
            }
            return Some((found, after));
        }
        // "the Trump campaign explained": a body its owner's name modifies.
        if w.lower(c) == "the"
            && let Some(m) = self.names.mention_at(c + 1)
            && m.first_tok == c + 1
            && !m.possessive
            && !m.quoted
            && m.last_tok + 1 < w.tokens.len()
            && cues::is_speaking_body(self.str(m.last_tok + 1))
            && let Some(found) = self.speaker_ending_at(m.last_tok + 1)
        {
            return Some((found, m.last_tok + 2));
        }
        // "the Harlow Institute said", "the ACU said": an organisation's name after "the".
        if w.lower(c) == "the"
            && let Some(m) = self.names.mention_at(c + 1)
            && m.first_tok == c + 1
            && !m.possessive
            && !m.quoted
            && self.names.entity(m.entity).kind == NameKind::Organisation
        {
            return Some((self.speaker_ending_at(m.last_tok)?, m.last_tok + 1));
        }
        if let Some(m) = self.names.mention_at(c).filter(|m| m.first_tok == c) {
            let last = m.last_tok;
            // "Sanders's campaign manager, Jeff Weaver, said": the person named after the role.
            if m.possessive
                && let Some(found) = self.role_then_name(last + 1)
            {
                return Some(found);
            }
            if m.possessive
                && last + 1 < w.tokens.len()
                && cues::is_speaking_body(self.str(last + 1))
            {
                return Some((self.speaker_ending_at(last + 1)?, last + 2));
            }
            // "the KFA's statement said", "Lowe's post read": the words are the owner's.
            if m.possessive
                && last + 1 < w.tokens.len()
                && w.is_word(last + 1)
                && !w.is_capitalised(last + 1)
                && cues::is_utterance_noun(self.str(last + 1))
            {
                return Some((self.speaker_ending_at(last)?, last + 2));
            }
            // "Commentary's Noah Rothman", "Google's chief people officer, Laszlo Bock": the
            // person after an organisation's possessive speaks.
            if m.possessive
                && self.names.entity(m.entity).kind != NameKind::Person
                && let Some(found) = self
                    .role_then_name(last + 1)
                    .or_else(|| self.person_phrase_at(last + 1))
            {
                return Some(found);
            }
            // "Lowe's senior adviser Jason Mellor said": a person's role, then its holder.
            if m.possessive
                && last + 1 < w.tokens.len()
                && w.is_word(last + 1)
                && !w.is_capitalised(last + 1)
                && let Some(found) = self.person_phrase_at(last + 1)
            {
                return Some(found);
            }
            return Some((self.speaker_ending_at(last)?, last + 1));
        }
        for k in c..(c + 5).min(w.tokens.len()) {
            if let Some((first, _)) = self.names.role_at(k)
                && first == c
            {
                return Some((self.speaker_ending_at(k)?, k + 1));
            }
        }
        if matches!(w.lower(c).as_ref(), "he" | "she" | "they") {
            return Some((self.speaker_ending_at(c)?, c + 1));
        }
        self.age_reference(c)
    }

    /// A person's name starting at `t`, possibly after lower-case role words ("chief executive
    /// Jonas Ek"): the speaker and the token after the name.
    fn person_phrase_at(&self, t: usize) -> Option<(Found, usize)> {
        let w = self.words;
        let mut k = t;
        while k < w.tokens.len()
            && k < t + 4
            && self.outside(k)
            && w.is_word(k)
            && !w.is_capitalised(k)
            && names::is_role_noun(self.str(k))
        {
            k += 1;
        }
        let m = self
            .names
            .mention_at(k)
            .filter(|m| m.first_tok == k && !m.quoted && !m.possessive)?;
        if self.names.entity(m.entity).kind != NameKind::Person
            || (k > t && !cues::is_occupation(self.str(k - 1)))
        {
            return None;
        }
        let mut found = self.speaker_ending_at(m.last_tok)?;
        if k > t && m.title.is_none() {
            let role = Span::new(w.tokens[t].span.start, w.tokens[k - 1].span.end);
            found.affiliation = Some(one_line(role.of(w.text)));
        }
        Some((found, m.last_tok + 1))
    }

    /// A determiner at `c`, up to three lower-case words, then a person's name: "an angry
    /// Hollande", "his friend Mahamat Oumar". The words are the affiliation when they end in an
    /// occupation ("the economist Jared Bernstein").
    fn described_name(&self, c: usize) -> Option<(Found, usize)> {
        let w = self.words;
        let mut k = c + 1;
        while k < w.tokens.len()
            && k < c + 4
            && self.outside(k)
            && w.is_word(k)
            && !w.is_capitalised(k)
            && self.names.role_at(k).is_none()
            && cues::speech_verb(self.str(k)).is_none_or(|_| self.str(k).ends_with("ing"))
            && !cues::is_preposition(self.str(k))
        {
            k += 1;
        }
        if k == c + 1 {
            return None;
        }
        let m = self
            .names
            .mention_at(k)
            .filter(|m| m.first_tok == k && !m.quoted && !m.possessive)?;
        if self.names.entity(m.entity).kind == NameKind::Organisation {
            return None;
        }
        let mut found = self.speaker_ending_at(m.last_tok)?;
        if m.title.is_none() && cues::is_occupation(self.str(k - 1)) {
            let role = Span::new(w.tokens[c].span.start, w.tokens[k - 1].span.end);
            found.affiliation = Some(one_line(role.of(w.text)));
        }
        found.name_span = Span::new(w.tokens[c].span.start, found.name_span.end);
        Some((found, m.last_tok + 1))
    }

    /// "a spokesman for the ministry", "a senior official for Harlow Foods" at token `c`: the
    /// body, and the token after the phrase. Not when a name follows ("a spokesman for the
    /// ministry, Ada Lowe, said": that is hers).
    fn spokesperson_for(&self, c: usize) -> Option<(Found, usize)> {
        let w = self.words;
        let n = w.tokens.len();
        if !matches!(w.lower(c).as_ref(), "a" | "an" | "the") {
            return None;
        }
        let plain = |t: usize| t < n && self.outside(t) && w.is_word(t) && !w.is_capitalised(t);
        let mut k = c + 1;
        while k < c + 4 && plain(k) && !cues::is_spokesperson(self.str(k)) {
            k += 1;
        }
        if !(plain(k)
            && cues::is_spokesperson(self.str(k))
            && plain(k + 1)
            && self.str(k + 1) == "for")
        {
            return None;
        }
        let o = k + 2;
        let (found, after) = if let Some(m) = self
            .names
            .mention_at(o)
            .or_else(|| {
                (w.lower(o) == "the")
                    .then(|| self.names.mention_at(o + 1))
                    .flatten()
            })
            .filter(|m| (m.first_tok == o || m.first_tok == o + 1) && !m.quoted)
        {
            if self.names.entity(m.entity).kind != NameKind::Organisation {
                return None;
            }
            (self.speaker_ending_at(m.last_tok)?, m.last_tok + 1)
        } else if w.lower(o) == "the"
            && let Some((first, _)) = self.names.role_at(o + 1)
            && first == o
        {
            (self.speaker_ending_at(o + 1)?, o + 2)
        } else {
            return None;
        };
        // A name after a comma is the spokesperson's own.
        if after + 1 < n && self.str(after) == "," && self.names.mention_at(after + 1).is_some() {
            return None;
        }
        Some((found, after))
    }

    /// "the 52-year-old (fisherman)" at token `c`: the person the age stands for, and the token
    /// after the phrase.
    pub(super) fn age_reference(&self, c: usize) -> Option<(Found, usize)> {
        let w = self.words;
        if c + 1 >= w.tokens.len()
            || w.lower(c) != "the"
            || !names::is_age_word(&w.lower(c + 1))
            || !self.outside(c + 1)
        {
            return None;
        }
        let e = self.names.pronoun_at(c + 1)?;
        let mut after = c + 2;
        if after < w.tokens.len()
            && w.is_word(after)
            && !w.is_capitalised(after)
            && cues::is_occupation(self.str(after))
        {
            after += 1;
        }
        let span = Span::new(w.tokens[c].span.start, w.tokens[after - 1].span.end);
        Some((self.found_for_entity(e, span, Via::Pronoun, None), after))
    }

    /// A phrasal speech verb at token `v` with its particle after it ("fired back"): the
    /// entry ("fire back").
    pub(super) fn phrasal_at(&self, v: usize) -> Option<&'static str> {
        let w = self.words;
        let entry = (v + 1 < w.tokens.len() && w.is_word(v + 1) && self.outside(v + 1))
            .then(|| cues::phrasal_speech_verb(self.str(v), self.str(v + 1)))
            .flatten()?;
        // "Lowe went on, “…”" reports speech; "Lowe went on to win" does not.
        if entry == "go on"
            && !w
                .tokens
                .get(v + 2)
                .is_some_and(|t| t.quote.is_some() || matches!(self.str(v + 2), "," | ":" | "."))
        {
            return None;
        }
        Some(entry)
    }

    /// Whether token `v` is a speech verb, alone or with its particle.
    pub(super) fn speech_verb_at(&self, v: usize) -> bool {
        cues::speech_verb(self.str(v)).is_some() || self.phrasal_at(v).is_some()
    }

    /// Whether a speech verb stands at token `t`, after any auxiliaries or adverbs ("said",
    /// "has said", "later told").
    pub(super) fn speech_verb_follows(&self, t: usize) -> bool {
        let w = self.words;
        let mut v = t;
        while v < w.tokens.len()
            && v < t + 3
            && w.is_word(v)
            && cues::is_aux_or_adverb(self.str(v))
            && cues::speech_verb(self.str(v)).is_none()
        {
            v += 1;
        }
        v < w.tokens.len()
            && w.is_word(v)
            && self.outside(v)
            && self.speech_verb_at(v)
            && !cues::is_participle(self.str(v))
    }
}
