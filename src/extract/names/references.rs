//! Pass 7 of name finding: sentence subjects, gender, and what each pronoun (or an age used as
//! a noun, "the 52-year-old") refers to, in document order.

use super::{Mention, NameTable, Subject, Via};
use crate::document::NameKind;
use crate::extract::cues;
use crate::extract::lexicon as lex;
use crate::extract::words::Words;

/// "52-year-old": an age used as a noun for a person.
pub(crate) fn is_age_word(word: &str) -> bool {
    word.strip_suffix("-year-old")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn pronoun_kind(word: &str) -> Option<Option<bool>> {
    match word {
        "he" | "him" | "his" | "himself" => Some(Some(true)),
        "she" | "her" | "hers" | "herself" => Some(Some(false)),
        "they" | "them" | "their" | "theirs" => Some(None),
        _ => None,
    }
}

/// What an earlier sentence offers a referent search: the person it says was asked something
/// ([`NameTable::person_asked`]) and its candidates, subject first, then its names and resolved
/// pronouns, latest first. Worked out once per sentence: references are resolved in document
/// order, so by the time a later sentence asks, that sentence's subject, names and pronouns are
/// final (the genders `pick` reads are not, so the choice itself is made afresh each time).
#[derive(Debug, Clone)]
struct EarlierSentence {
    asked: Option<usize>,
    candidates: Vec<usize>,
}

/// [`EarlierSentence`]s by sentence, filled as they are first asked for.
type Earlier = std::cell::RefCell<Vec<Option<EarlierSentence>>>;

impl NameTable {
    /// Sentence subjects, gender, and pronoun references, in document order.
    pub(super) fn resolve_references(&mut self, words: &Words) {
        let earlier: Earlier = std::cell::RefCell::new(vec![None; words.sentences.len()]);
        let mut next_mention = 0;
        for si in 0..words.sentences.len() {
            let s = words.sentences[si];
            let mut subject: Option<Subject> = None;
            let mut persons_here: Vec<usize> = Vec::new(); // entities named in this sentence
            let mut pronouns_here: Vec<usize> = Vec::new(); // and those its pronouns stand for
            let mut i = s.first;
            while i < s.end {
                while next_mention < self.mentions.len() && self.mentions[next_mention].last_tok < i
                {
                    next_mention += 1;
                }
                let tok = words.tokens[i];
                if tok.quote.is_some() || !words.is_word(i) {
                    i += 1;
                    continue;
                }
                if let Some(mi) = self.by_token[i] {
                    let m = self.mentions[mi].clone();
                    if subject.is_none()
                        && self.can_be_subject(words, &m)
                        && !self.in_leading_subordinate_clause(words, m.first_tok)
                    {
                        subject = Some(Subject {
                            entity: m.entity,
                            first_tok: m.first_tok,
                            // "Nyberg's office": the subject ends with the office.
                            last_tok: m.last_tok + usize::from(m.possessive),
                            via: Via::Name,
                        });
                    }
                    persons_here.push(m.entity);
                    i = m.last_tok + 1;
                    continue;
                }
                if let Some((first, e)) = self.roles[i] {
                    if subject.is_none() && (first == 0 || !preceded_by_preposition(words, first)) {
                        subject = Some(Subject {
                            entity: e,
                            first_tok: first,
                            last_tok: i,
                            via: Via::Title,
                        });
                    }
                    persons_here.push(e);
                    i += 1;
                    continue;
                }
                let lower = words.lower(i);
                // The subject found so far is this sentence's for the referent search.
                self.subjects[si] = subject;
                // "the 52-year-old said": an age stands for the person last named, like a
                // pronoun of either gender.
                if i > s.first
                    && words.lower(i - 1) == "the"
                    && is_age_word(&lower)
                    && let Some(e) = self.person_referent(words, si, &persons_here, &earlier)
                {
                    self.pronouns[i] = Some(e);
                    if subject.is_none() && !preceded_by_preposition(words, i - 1) {
                        subject = Some(Subject {
                            entity: e,
                            first_tok: i - 1,
                            last_tok: i,
                            via: Via::Pronoun,
                        });
                    }
                    persons_here.push(e);
                    i += 1;
                    continue;
                }
                let in_lead_clause = persons_here.is_empty() && subject.is_none();
                // "Cross said he is left with two options": the pronoun right after its
                // sentence subject's speech verb (and "that") is that subject, unless the
                // subject's gender is unknown and a pronoun of the sentence already stands for
                // someone of that gender ("Her lawyer, Anton Berg, said she would appeal").
                let reported = |k: usize| {
                    k > s.first
                        && words.is_word(k - 1)
                        && cues::inflected_speech_verb(words.str(k - 1)).is_some()
                };
                // Only asked for a pronoun (a speech-verb lookup per word otherwise).
                let after_own_verb = || {
                    reported(i) || (i > s.first && words.lower(i - 1) == "that" && reported(i - 1))
                };
                if let Some(gender) = pronoun_kind(&lower)
                    && let Some(e) = (if in_lead_clause
                        && matches!(lower.as_ref(), "he" | "she")
                        && i + 1 < s.end
                        && words.is_word(i + 1)
                        && cues::inflected_speech_verb(words.str(i + 1)).is_some()
                        && let Some(e) = self.last_speaker(words, si, gender)
                    {
                        Some(e)
                    } else if in_lead_clause {
                        self.cataphora(words, si, i, gender)
                    } else if after_own_verb()
                        && matches!(lower.as_ref(), "he" | "she")
                        && let Some(sub) = subject
                        && self.compatible(sub.entity, gender)
                        && (self.entities[sub.entity].gender.is_some()
                            || !pronouns_here.iter().any(|&e| {
                                e != sub.entity
                                    && gender.is_some()
                                    && self.entities[e].gender == gender
                            }))
                    {
                        Some(sub.entity)
                    } else {
                        None
                    })
                    .or_else(|| {
                        // "Lowe kept asking him why …": an object pronoun is not its own
                        // clause's subject.
                        // "calling her “…”", "told her that": "her" before no noun is an
                        // object too.
                        let object_her = lower == "her"
                            && words.tokens.get(i + 1).is_none_or(|t| {
                                t.quote.is_some()
                                    || !words.is_word(i + 1)
                                    || cues::is_preposition(&words.lower(i + 1))
                                    || matches!(
                                        words.lower(i + 1).as_ref(),
                                        "that"
                                            | "a"
                                            | "an"
                                            | "the"
                                            | "this"
                                            | "if"
                                            | "why"
                                            | "how"
                                            | "what"
                                            | "when"
                                            | "whether"
                                    )
                            });
                        // "Donald Trump's wife is breaking her silence": the sentence opens
                        // with someone the named person has, and a pronoun that cannot be the
                        // owner (or that has the gender of the noun) stands for that unnamed
                        // person, not for someone named earlier.
                        if let Some(owner) = self.by_token[s.first].map(|mi| &self.mentions[mi])
                            && owner.possessive
                            && subject.is_none()
                            && let n = owner.last_tok + 1
                            && n < words.tokens.len()
                            && words.is_word(n)
                            && !words.is_capitalised(n)
                            && let noun_gender = cues::title_gender(words.str(n))
                            // A person: "wife", "lawyer", "spokeswoman" (not "support").
                            && (noun_gender.is_some()
                                || words.in_list(n, &lex::TITLES)
                                || cues::is_occupation(words.str(n)))
                            && (!self.compatible(owner.entity, gender)
                                || (gender.is_some() && noun_gender == gender))
                        {
                            return None;
                        }
                        let not = (matches!(lower.as_ref(), "him" | "them") || object_her)
                            .then_some(subject.map(|s| s.entity))
                            .flatten();
                        self.pronoun_referent(words, si, gender, not, &persons_here, &earlier)
                    })
                    .or_else(|| self.mistaken_pronoun(words, si, i))
                {
                    if let Some(g) = gender
                        && self.compatible(e, gender)
                    {
                        self.entities[e].gender.get_or_insert(g);
                    }
                    self.pronouns[i] = Some(e);
                    if subject.is_none()
                        && matches!(lower.as_ref(), "he" | "she" | "they")
                        && !preceded_by_preposition(words, i)
                    {
                        subject = Some(Subject {
                            entity: e,
                            first_tok: i,
                            last_tok: i,
                            via: Via::Pronoun,
                        });
                    }
                    persons_here.push(e);
                    pronouns_here.push(e);
                }
                i += 1;
            }
            self.subjects[si] = subject;
        }
    }

    /// "Mr. Tobias Brandt crossed the line first. “…,” she said.": a copy whose pronoun has the
    /// wrong gender (a translation, a slip). A `he` or `she` opening a speech cue ("“…,” she
    /// said", "She said") that fits nobody in reach stands for the person named last, when that
    /// person's gender comes from the person (a title, an honorific) and not from a pronoun;
    /// unless someone unnamed of the pronoun's gender is in reach ("his wife", "a woman"), or
    /// another pronoun there already stands for someone of that gender. The person's gender
    /// stays as it was.
    fn mistaken_pronoun(&self, words: &Words, si: usize, at: usize) -> Option<usize> {
        let gender = pronoun_kind(&words.lower(at)).flatten();
        let g = gender?;
        let s = words.sentences[si];
        let opens = (s.first..at).all(|k| words.tokens[k].quote.is_some() || !words.is_word(k));
        let cue = matches!(words.lower(at).as_ref(), "he" | "she")
            && opens
            && at + 1 < words.tokens.len()
            && words.is_word(at + 1)
            && cues::inflected_speech_verb(words.str(at + 1)).is_some();
        if !cue {
            return None;
        }
        // The last person or body named before the pronoun (places pass), at most six
        // sentences back.
        let before = self.mentions.partition_point(|m| m.first_tok < at);
        let last = self.mentions[..before]
            .iter()
            .rev()
            .take_while(|m| words.tokens[m.last_tok].sentence + 6 >= si)
            .find(|m| {
                m.last_tok < at && !m.quoted && self.entities[m.entity].kind != NameKind::Other
            })?;
        let e = last.entity;
        let ent = &self.entities[e];
        let reach = words.sentences[si.saturating_sub(6)]
            .first
            .max(last.last_tok);
        if ent.kind != NameKind::Person || !ent.gender_from_title || ent.gender == gender {
            return None;
        }
        let someone_else = (reach..at).any(|k| {
            words.tokens[k].quote.is_none()
                && words.is_word(k)
                && ((!words.is_capitalised(k) && cues::noun_gender(words.str(k)) == Some(g))
                    || self.pronouns[k].is_some_and(|p| self.entities[p].gender == Some(g)))
        });
        (!someone_else).then_some(e)
    }

    /// `Smith said the absence complicated Australia's plans.` then `“…,” he said.`: a pronoun
    /// in a cue stands for the speaker of the sentence before (its subject, right before an
    /// inflected speech verb), when that person fits, whatever else the sentence names.
    fn last_speaker(&self, words: &Words, si: usize, gender: Option<bool>) -> Option<usize> {
        // The sentence before, past those wholly inside the quote ("… three. So Trav …").
        let prev = (si.saturating_sub(6)..si).rev().find(|&p| {
            let ps = words.sentences[p];
            (ps.first..ps.end).any(|k| words.is_word(k) && words.tokens[k].quote.is_none())
        })?;
        let sub = self.subjects[prev]?;
        let verb = sub.last_tok + 1;
        (verb < words.sentences[prev].end
            && words.is_word(verb)
            && cues::inflected_speech_verb(words.str(verb)).is_some()
            && self.entities[sub.entity].kind == NameKind::Person
            && self.compatible(sub.entity, gender))
        .then_some(sub.entity)
    }

    /// A pronoun in a leading clause refers forward to the main clause's subject: "Asked
    /// whether he would resign, Beltran said …", "When she arrived, Okafor …", "In his
    /// address, Lowe warned …".
    fn cataphora(
        &self,
        words: &Words,
        si: usize,
        at: usize,
        gender: Option<bool>,
    ) -> Option<usize> {
        let s = words.sentences[si];
        let first = (s.first..at).find(|&k| words.is_word(k) && words.tokens[k].quote.is_none())?;
        let opener = words.lower(first);
        // "In his ten-minute address in Kelby, Lowe warned …": a possessive right after an
        // opening preposition is the main clause subject's too.
        let possessive_phrase = cues::is_preposition(&opener)
            && at <= first + 2
            && matches!(words.lower(at).as_ref(), "his" | "her" | "their");
        let leading = cues::is_clause_opener(&opener)
            || (opener.ends_with("ing") && opener != "according")
            || possessive_phrase;
        if !leading {
            return None;
        }
        // The comma that ends the leading clause, after the pronoun.
        let comma =
            (at..s.end).find(|&k| words.str(k) == "," && words.tokens[k].quote.is_none())?;
        let m = self.mention_at_tok(comma + 1)?;
        (m.first_tok == comma + 1 && !m.quoted && self.compatible(m.entity, gender))
            .then_some(m.entity)
    }

    fn mention_at_tok(&self, tok: usize) -> Option<&Mention> {
        self.by_token
            .get(tok)
            .copied()
            .flatten()
            .map(|i| &self.mentions[i])
    }

    fn compatible(&self, e: usize, gender: Option<bool>) -> bool {
        let ent = &self.entities[e];
        match gender {
            Some(g) => ent.kind == NameKind::Person && ent.gender.is_none_or(|eg| eg == g),
            None => ent.kind == NameKind::Organisation,
        }
    }

    /// The referent of a pronoun in sentence `si`: this sentence's subject, then the people it
    /// named before the pronoun (latest first), then each earlier sentence's subject and names,
    /// never more than a few sentences back. Within one sentence, someone already known to fit
    /// the pronoun's gender wins over someone whose gender is unknown.
    fn pronoun_referent(
        &self,
        words: &Words,
        si: usize,
        gender: Option<bool>,
        not: Option<usize>,
        here: &[usize],
        earlier: &Earlier,
    ) -> Option<usize> {
        let here: Vec<usize> = here.iter().copied().filter(|&e| Some(e) != not).collect();
        self.referent(words, si, &here, not, earlier, &|c: &[usize]| {
            self.pick(c, gender)
        })
    }

    /// The person a description of either gender ("the 52-year-old") refers to: found the way
    /// a pronoun's referent is.
    fn person_referent(
        &self,
        words: &Words,
        si: usize,
        here: &[usize],
        earlier: &Earlier,
    ) -> Option<usize> {
        self.referent(words, si, here, None, earlier, &|c: &[usize]| {
            c.iter()
                .copied()
                .find(|&e| self.entities[e].kind == NameKind::Person)
        })
    }

    /// The referent `pick` chooses among candidates: this sentence's subject and names, then
    /// each earlier sentence's (up to six back). `not_subject`: this sentence's subject, which
    /// an object pronoun never stands for.
    fn referent(
        &self,
        words: &Words,
        si: usize,
        here: &[usize],
        not_subject: Option<usize>,
        earlier: &Earlier,
        pick: &dyn Fn(&[usize]) -> Option<usize>,
    ) -> Option<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(s) = self.subjects[si]
            && Some(s.entity) != not_subject
        {
            candidates.push(s.entity);
        }
        if let Some(&first) = here.first() {
            candidates.push(first);
        }
        candidates.extend(here.iter().rev().take(12).copied());
        if let Some(c) = pick(&candidates) {
            return Some(c);
        }
        let floor = si.saturating_sub(6);
        for prev in (floor..si).rev() {
            let mut known = earlier.borrow_mut();
            let sentence = known[prev].get_or_insert_with(|| self.earlier_sentence(words, prev));
            // "…, with Smith non-committal when asked about it." The person asked answers:
            // the next sentence's pronoun is theirs before the sentence's subject.
            // Asked first, alone: a name known to fit later in the sentence must not win.
            if let Some(asked) = sentence.asked
                && let Some(c) = pick(&[asked])
            {
                return Some(c);
            }
            if let Some(c) = pick(&sentence.candidates) {
                return Some(c);
            }
        }
        None
    }

    /// What sentence `prev` offers the referent searches of later sentences.
    fn earlier_sentence(&self, words: &Words, prev: usize) -> EarlierSentence {
        let s = words.sentences[prev];
        let mut candidates = Vec::new();
        if let Some(sub) = self.subjects[prev] {
            candidates.push(sub.entity);
        }
        // Names and resolved pronouns of that sentence, latest first.
        let mut refs: Vec<(usize, usize)> = Vec::new();
        // The sentence's last stretch only: run-on text stays linear.
        let tail = s.first.max(s.end.saturating_sub(200));
        let from = self.mentions.partition_point(|m| m.first_tok < tail);
        for m in self.mentions[from..]
            .iter()
            .take_while(|m| m.last_tok < s.end)
        {
            if !m.quoted {
                refs.push((m.first_tok, m.entity));
            }
        }
        for t in tail..s.end {
            if let Some(e) = self.pronouns[t] {
                refs.push((t, e));
            }
        }
        refs.sort_by_key(|r| std::cmp::Reverse(r.0));
        let asked = self.person_asked(words, tail, s.end, &refs);
        candidates.extend(refs.into_iter().take(12).map(|r| r.1));
        EarlierSentence { asked, candidates }
    }

    /// The person a sentence says was asked something ("when asked", "was asked"), from the
    /// sentence's names and pronouns `refs` (latest first): the one named last before `asked`,
    /// at most six tokens before it.
    fn person_asked(
        &self,
        words: &Words,
        from: usize,
        end: usize,
        refs: &[(usize, usize)],
    ) -> Option<usize> {
        let asked = (from + 1..end).find(|&k| {
            words.tokens[k].quote.is_none()
                && words.lower(k) == "asked"
                && matches!(
                    words.lower(k - 1).as_ref(),
                    "when" | "was" | "were" | "being" | "been" | "if"
                )
        })?;
        refs.iter()
            .find(|&&(t, e)| {
                t < asked && asked - t <= 6 && self.entities[e].kind == NameKind::Person
            })
            .map(|&(_, e)| e)
    }

    /// The first candidate known to fit, else the first that may fit.
    fn pick(&self, candidates: &[usize], gender: Option<bool>) -> Option<usize> {
        let known = candidates.iter().copied().find(|&c| {
            self.compatible(c, gender) && (gender.is_none() || self.entities[c].gender.is_some())
        });
        known.or_else(|| {
            candidates
                .iter()
                .copied()
                .find(|&c| self.compatible(c, gender))
        })
    }

    fn can_be_subject(&self, words: &Words, m: &Mention) -> bool {
        // "when asked about Republican presidential nominee Donald Trump, …": the role written
        // before the name is governed with it.
        let mut start = m.first_tok;
        if let Some(d) = m.described_as {
            start = start.min(words.tokens.partition_point(|t| t.span.start < d.start));
        }
        while start > 0
            && words.is_word(start - 1)
            && (cues::is_party_word(words.str(start - 1)) || cues::is_demonym(words.str(start - 1)))
        {
            start -= 1;
        }
        if m.quoted
            || preceded_by_preposition(words, m.first_tok)
            || (start < m.first_tok && preceded_by_preposition(words, start))
            || self.place_apposition(words, m)
        {
            return false;
        }
        // "following the state's Republican primary, Cruz said": a one-word name after a
        // possessive and before a lower-case noun modifies that noun ("The Blaze's Matt Walsh
        // provided" is a person).
        // So does "a Brandt supporter retorted".
        let before = m.first_tok.checked_sub(1);
        if before.is_some_and(|b| {
            words.tokens[b].possessive || matches!(words.lower(b).as_ref(), "a" | "an")
        }) && !m.possessive
            && m.first_tok == m.last_tok
        {
            let next = m.last_tok + 1;
            if next < words.tokens.len()
                && words.is_word(next)
                && !words.is_capitalised(next)
                // "Bush's Facebook post": a base form after the name is a noun.
                && cues::inflected_speech_verb(words.str(next)).is_none()
                && !cues::is_aux_or_adverb(words.str(next))
            {
                return false;
            }
        }
        // "Rovers manager Hanna Lund": the name modifies a role; the person is the subject.
        let mut k = m.last_tok + 1;
        while k < words.tokens.len()
            && k <= m.last_tok + 3
            && words.is_word(k)
            && !words.is_capitalised(k)
            && cues::is_occupation(words.str(k))
        {
            k += 1;
        }
        if k > m.last_tok + 1 && self.by_token.get(k).copied().flatten().is_some() {
            return false;
        }
        if m.first_tok > 0 && words.lower(m.first_tok - 1) == "the" && m.title.is_none() {
            // "the Oman talks": a modifier, unless the name is an organisation.
            return self.entities[m.entity].kind == NameKind::Organisation;
        }
        if m.possessive {
            // "Netanyahu’s office said" speaks; "Iran’s missile programme" does not, nor does
            // "Kelby's spokesman Tom Reiss" (Reiss does).
            let body = m.last_tok + 1;
            return body < words.tokens.len()
                && cues::is_speaking_body(words.str(body))
                && self.by_token.get(body + 1).copied().flatten().is_none();
        }
        true
    }

    /// "When Wallace died in 1998, President Clinton released …": a name in a clause that a
    /// subordinator opens at the start of the sentence is not the sentence's subject. The
    /// clause ends at the first comma before a pronoun or a name that is no possessive ("When
    /// Mook, Clinton's campaign manager, was asked …, he laughed"). A clause with a quote in
    /// it keeps its subject: in "When Trump defended calling the government ''strong'',
    /// Kasich differed" the quote is Trump's.
    fn in_leading_subordinate_clause(&self, words: &Words, tok: usize) -> bool {
        let s = words.sentences[words.tokens[tok].sentence];
        if tok <= s.first
            || !words.is_word(s.first)
            || !cues::is_subordinator(&words.lower(s.first))
        {
            return false;
        }
        let opens_main_clause = |k: usize| {
            words.is_word(k)
                && (matches!(words.lower(k).as_ref(), "he" | "she" | "they")
                    || self.by_token[k].is_some_and(|mi| {
                        !self.mentions[mi].possessive && !self.mentions[mi].quoted
                    }))
        };
        let Some(comma) = (tok + 1..s.end.saturating_sub(1)).find(|&k| {
            words.str(k) == "," && words.tokens[k].quote.is_none() && opens_main_clause(k + 1)
        }) else {
            return false;
        };
        (s.first..comma).all(|k| words.tokens[k].quote.is_none())
    }

    /// "in Ames, Iowa, on Sunday", "in Carson, Calif., the crowd": a name between commas right
    /// after a name a preposition governs is that place's state or country, governed too.
    fn place_apposition(&self, words: &Words, m: &Mention) -> bool {
        let f = m.first_tok;
        let mut after = m.last_tok + 1;
        // "in Hudson, New Hampshire Monday, the …"
        while after < words.tokens.len()
            && words.is_word(after)
            && cues::is_calendar_token(words, after)
        {
            after += 1;
        }
        // "Of Carson, Levine, who …, said": a person is no place.
        words
            .tokens
            .get(after + 1)
            .is_none_or(|_| words.lower(after + 1) != "who")
            && f >= 2
            && words.str(f - 1) == ","
            && after < words.tokens.len()
            && (words.str(after) == ","
                || words.str(after) == "."
                    && words
                        .tokens
                        .get(after + 1)
                        .is_some_and(|_| words.str(after + 1) == ","))
            && match self.by_token[f - 2] {
                Some(pm) => {
                    let pm = &self.mentions[pm];
                    // A place: "of the Anti-Defamation League, Jonathan Greenblatt," is an
                    // organisation and its leader.
                    pm.last_tok == f - 2
                        && !pm.possessive
                        && self.entities[pm.entity].kind == NameKind::Other
                        && preceded_by_preposition(words, pm.first_tok)
                }
                // "in Salem, New Hampshire, Trump …": a place the table does not know.
                None => {
                    let last = f - 2;
                    let cap = |k: usize| words.is_word(k) && words.is_capitalised(k);
                    let mut start = last;
                    while start > 0 && last - start < 3 && cap(start - 1) {
                        start -= 1;
                    }
                    cap(last)
                        && !words.tokens[last].possessive
                        && preceded_by_preposition(words, start)
                }
            }
    }
}

/// Whether a preposition governs the word at `first`, right before it or before a determiner
/// or a one-word possessive ("in Lowmoor", "in an AP interview", "at the White House", "to
/// Kelby Radio's Morning Tide").
pub(crate) fn preceded_by_preposition(words: &Words, first: usize) -> bool {
    let prep = |k: usize| words.is_word(k) && cues::is_preposition(&words.lower(k));
    first > 0
        && (prep(first - 1)
            || first > 1
                && words.is_word(first - 1)
                && (matches!(
                    words.lower(first - 1).as_ref(),
                    "a" | "an" | "the" | "his" | "her" | "its" | "their"
                ) || words.tokens[first - 1].possessive)
                && prep(first - 2))
}
