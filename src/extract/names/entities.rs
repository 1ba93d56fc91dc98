//! Passes 4 and 5 of name finding: each candidate becomes a mention of an entity under the
//! fullest form of its name ("Brandt" -> "Oskar Brandt"), with the titles and roles the text
//! gives it; then entities only ever named inside quotes are set aside.

use super::candidates::Candidate;
use super::roles::{apposition_roles, is_role_noun, role_of};
use super::{Entity, Mention, NameTable};
use crate::document::{NameKind, Span};
use crate::extract::cues;
use crate::extract::lexicon as lex;
use crate::extract::lexicon::{FnvMap, FnvSet};
use crate::extract::words::Words;
use crate::text::collapse_whitespace;

/// The words of a name, as a key.
fn key_of<'t>(words: &Words<'t>, toks: &[usize]) -> Vec<&'t str> {
    toks.iter().map(|&t| words.str(t)).collect()
}

/// Full person names (two or more words), keyed by their words.
struct FullNames<'t> {
    people: Vec<Vec<&'t str>>,
    /// Where each full name is written (token of its first word, in text order).
    at: Vec<Vec<usize>>,
    /// Each as written ("Ada J. Moreau", dots and all), without a nickname in quotes.
    text: Vec<String>,
    /// Full names by their last word, so a short form finds its candidates at once.
    by_last: FnvMap<&'t str, Vec<usize>>,
}

impl<'t> FullNames<'t> {
    fn index(words: &Words<'t>, candidates: &[Candidate]) -> FullNames<'t> {
        let mut full = FullNames {
            people: Vec::new(),
            at: Vec::new(),
            text: Vec::new(),
            by_last: FnvMap::default(),
        };
        let mut index: FnvMap<Vec<&str>, usize> = FnvMap::default();
        for r in candidates {
            let name = key_of(words, &r.toks[r.title_len..]);
            if r.kind != NameKind::Person || name.len() < 2 {
                continue;
            }
            let at = r.toks[r.title_len];
            if let Some(&i) = index.get(&name) {
                full.at[i].push(at);
                continue;
            }
            if let Some(&last) = name.last() {
                full.by_last
                    .entry(last)
                    .or_default()
                    .push(full.people.len());
            }
            index.insert(name.clone(), full.people.len());
            full.people.push(name);
            full.at.push(vec![at]);
            let last_tok = r.toks.last().copied().unwrap_or(at);
            let span = Span::new(words.tokens[at].span.start, words.tokens[last_tok].span.end);
            if (at..last_tok).any(|t| words.tokens[t].quote.is_some()) {
                full.text
                    .push(key_of(words, &r.toks[r.title_len..]).join(" "));
            } else {
                full.text.push(collapse_whitespace(span.of(words.text)));
            }
        }
        full
    }

    /// The fullest form of the name `key` written at token `here`: the longest full person name
    /// ending with these words. Two people may share a family name ("Ada Moreau", "Leo
    /// Moreau"): the one named most recently before this mention wins, else the first named
    /// after it, then the longest.
    fn fullest(&self, key: &[&str], here: usize) -> Option<String> {
        key.last()
            .and_then(|last| self.by_last.get(last))
            .into_iter()
            .flatten()
            .filter(|&&i| self.people[i].len() > key.len() && self.people[i].ends_with(key))
            .max_by_key(|&&i| {
                let at = &self.at[i];
                let before = at.partition_point(|&a| a < here);
                let recency = if before > 0 {
                    (1, at[before - 1], 0)
                } else {
                    (0, 0, usize::MAX - at.first().copied().unwrap_or(usize::MAX))
                };
                (recency, self.people[i].len())
            })
            .map(|&i| self.text[i].clone())
    }
}

/// "Ada said" where the text has named "Ada Lowe" before: a single word without a title that
/// is the first name of exactly one full person name written earlier is that person.
fn lone_first_name(r: &Candidate, key: &[&str], full: &FullNames) -> Option<String> {
    let [word] = key else { return None };
    if r.title_len > 0 {
        return None;
    }
    let here = r.toks[0];
    let mut holders = (0..full.people.len()).filter(|&i| full.people[i][0] == *word);
    let i = holders.next()?;
    (holders.next().is_none() && full.at[i][0] < here).then(|| full.text[i].clone())
}

/// "Trumps said" where the text elsewhere says "Donald Trump": a single name that is a
/// person's family name with an `s` added, not after "the" (where "the Trumps" is the family),
/// is that person misspelled (reported across versions as `name-differs`).
fn misspelled_plural(
    words: &Words,
    r: &Candidate,
    key: &[&str],
    full: &FullNames,
) -> Option<String> {
    let [word] = key else { return None };
    let stem = word.strip_suffix('s')?;
    let first = r.toks[0];
    let after_the = first > 0 && words.lower(first - 1) == "the";
    if r.title_len > 0 || after_the || !crate::text::is_added_s(word, stem) {
        return None;
    }
    full.fullest(&[stem], r.toks[0])
}

/// Names used at least once other than right after "on", "told" or a speech verb (without a
/// title): names that only ever stand there are places or outlets.
fn free_use<'t>(words: &Words<'t>, candidates: &[Candidate]) -> FnvSet<Vec<&'t str>> {
    let mut free = FnvSet::default();
    for r in candidates {
        let first = r.toks[0];
        // "said Sara Walker, 44, …": a full name after an inverted speech verb is a person
        // (not "told Fox News": an outlet is what someone is told).
        let inverted_speaker = r.toks.len() - r.title_len >= 2
            && first > 0
            && cues::inflected_speech_verb(words.str(first - 1)).is_some_and(|b| b != "tell");
        let governed = first > 0
            && words.is_word(first - 1)
            && !inverted_speaker
            && (matches!(words.lower(first - 1).as_ref(), "on" | "told")
                // "state" in "secretary of state Ada Lowe" is a noun.
                || cues::inflected_speech_verb(words.str(first - 1)).is_some());
        if !governed || r.title_len > 0 {
            free.insert(key_of(words, &r.toks[r.title_len..]));
        }
    }
    free
}

/// One-word names the text has speak of themselves as "he" or "she" ("Bob said he …", "Bob
/// acknowledged that she …"; not "Amazon said it …") or describes with "who" ("Bamberg, who
/// is 28, said"), not governed by a preposition or a determiner. A pseudonym or a first name
/// used alone is a person, and a pronoun may stand for it.
fn speaking_words<'t>(words: &Words<'t>, candidates: &[Candidate]) -> FnvSet<&'t str> {
    let mut out = FnvSet::default();
    for r in candidates {
        let [t] = r.toks[..] else { continue };
        let next = t + 1;
        if r.kind != NameKind::Other
            || words.tokens[t].quote.is_some()
            || words.tokens[t].possessive
            || super::preceded_by_preposition(words, t)
            || (t > 0 && words.is_word(t - 1) && !words.is_capitalised(t - 1) && {
                let l = words.lower(t - 1);
                matches!(l.as_ref(), "the" | "a" | "an")
            })
            || next >= words.tokens.len()
        {
            continue;
        }
        // "Bamberg, who is 28, said …": "who" stands for a person.
        if words.str(next) == ","
            && words.tokens.get(next + 1).is_some_and(|_| {
                words.is_word(next + 1) && matches!(words.str(next + 1), "who" | "whose")
            })
        {
            out.insert(words.str(t));
            continue;
        }
        if !words.is_word(next) {
            continue;
        }
        let v = words.str(next);
        let personal = |k: usize| {
            k < words.tokens.len() && words.is_word(k) && matches!(words.str(k), "he" | "she")
        };
        if cues::inflected_speech_verb(v).is_some_and(|b| !cues::is_stance(b))
            && v.ends_with(['s', 'd'])
            && !v.ends_with("ss")
            && (personal(next + 1)
                || (next + 1 < words.tokens.len()
                    && words.lower(next + 1) == "that"
                    && personal(next + 2)))
        {
            out.insert(words.str(t));
        }
    }
    out
}

impl NameTable {
    /// Pass 4: every candidate, in text order, becomes a mention of an entity under its
    /// fullest form, with the titles and roles written with it. Pass 5: an entity never named
    /// outside quotes ("Harbour Lights") is nobody the text names.
    pub(super) fn add_mentions(&mut self, words: &Words, candidates: Vec<Candidate>) {
        let full = FullNames::index(words, &candidates);
        let free = free_use(words, &candidates);
        let speaking = speaking_words(words, &candidates);
        let mut index: FnvMap<String, usize> = FnvMap::default();
        let mut outside: Vec<bool> = Vec::new();
        let mut last_org: Option<(usize, usize)> = None; // (entity, last token)
        for r in &candidates {
            let name_toks = &r.toks[r.title_len..];
            let key = key_of(words, name_toks);
            let mut kind = r.kind;
            let fullest = if kind == NameKind::Organisation {
                None
            } else {
                full.fullest(&key, r.toks[r.title_len])
                    .or_else(|| misspelled_plural(words, r, &key, &full))
                    .or_else(|| lone_first_name(r, &key, &full))
            };
            if fullest.is_some()
                || (kind == NameKind::Other
                    && key.len() == 1
                    && r.title_len == 0
                    && speaking.contains(key[0]))
            {
                kind = NameKind::Person;
            }
            if kind == NameKind::Person
                && r.title_len == 0
                && fullest.is_none()
                && !free.contains(&key)
            {
                kind = NameKind::Other;
            }
            let first_name_tok = name_toks[0];
            let last_tok = *r.toks.last().unwrap_or(&first_name_tok);
            let mut span = Span::new(
                words.tokens[first_name_tok].span.start,
                words.tokens[last_tok].span.end,
            );
            // "Ryker Bros. Inc.": a company's abbreviated ending keeps its dot.
            if kind == NameKind::Organisation
                && words.in_list(last_tok, &lex::ORG_HEADS)
                && cues::is_abbreviation(words.str(last_tok))
                && words.text[span.end..].starts_with('.')
            {
                span.end += 1;
            }
            let mut name = fullest.unwrap_or_else(|| {
                if (first_name_tok..last_tok).any(|t| words.tokens[t].quote.is_some()) {
                    // Without the nickname in quotes ("Jonah “The Wall” Okafor").
                    key.join(" ")
                } else {
                    collapse_whitespace(span.of(words.text))
                }
            });
            // An acronym in parentheses right after an organisation is its short form.
            if kind == NameKind::Organisation
                && name_toks.len() == 1
                && first_name_tok > 0
                && words.str(first_name_tok - 1) == "("
                && let Some((e, lt)) = last_org
                && lt + 2 == first_name_tok
            {
                name = self.entities[e].name.clone();
            }
            let entity = *index.entry(name.clone()).or_insert_with(|| {
                outside.push(false);
                self.entities.push(Entity {
                    name,
                    kind,
                    gender: None,
                    gender_from_title: false,
                    titles: Vec::new(),
                    roles: Vec::new(),
                    traits: Default::default(),
                });
                self.entities.len() - 1
            });
            if kind == NameKind::Person {
                self.entities[entity].kind = NameKind::Person;
            }
            let title = (r.title_len > 0 && kind != NameKind::Organisation)
                .then(|| self.record_title(words, entity, r));
            if kind == NameKind::Organisation {
                last_org = Some((entity, last_tok));
            }
            // "Mr", "Ms": gender, not a title.
            let title = title.filter(|t| !cues::is_honorific(t.of(words.text)));
            let mut described_as = None;
            if title.is_none() && kind == NameKind::Person {
                described_as = self.record_lower_case_role(words, entity, r);
                if described_as.is_none() {
                    self.record_apposition_roles(words, entity, r.toks[0], last_tok);
                }
            }
            if words.tokens[r.toks[0]].quote.is_none() {
                outside[entity] = true;
                if kind == NameKind::Person {
                    self.record_traits(words, entity, r.toks[0], first_name_tok, last_tok);
                }
            }
            let mi = self.mentions.len();
            for &t in &r.toks {
                self.by_token[t] = Some(mi);
            }
            self.mentions.push(Mention {
                span,
                title,
                first_tok: r.toks[0],
                last_tok,
                entity,
                quoted: words.tokens[r.toks[0]].quote.is_some(),
                possessive: words.tokens[last_tok].possessive,
                described_as,
            });
        }
        for (e, ent) in self.entities.iter_mut().enumerate() {
            if !outside.get(e).copied().unwrap_or(false) {
                ent.kind = NameKind::Other;
            }
        }
    }

    /// The titles written before a name ("Valdorian Foreign Minister"): kept as the entity's
    /// title (honorifics excepted), its role and the gender it shows. Returns their span.
    fn record_title(&mut self, words: &Words, entity: usize, r: &Candidate) -> Span {
        let mut end = words.tokens[r.toks[r.title_len - 1]].span.end;
        // "Gov." keeps its dot.
        if words.text[end..].starts_with('.') {
            end += 1;
        }
        let t = Span::new(words.tokens[r.toks[0]].span.start, end);
        let text = collapse_whitespace(t.of(words.text));
        let role = role_of(
            &r.toks[..r.title_len]
                .iter()
                .map(|&i| words.str(i))
                .collect::<Vec<_>>(),
            words.tokens[r.toks[0]].possessive,
        );
        let ent = &mut self.entities[entity];
        let honorific = cues::is_honorific(&text)
            || matches!(
                text.trim_end_matches('.').to_lowercase().as_str(),
                "sir" | "dame"
            );
        if !honorific && !ent.titles.contains(&text) {
            ent.titles.push(text);
        }
        if let Some(role) = role
            && !ent.roles.contains(&role)
        {
            ent.roles.push(role);
        }
        for &tt in &r.toks[..r.title_len] {
            if let Some(g) = cues::title_gender(words.str(tt)) {
                ent.gender.get_or_insert(g);
                ent.gender_from_title = true;
            }
        }
        t
    }

    /// A role in lower case right before the name ("ferry operator Lukas Brenner", "its chief
    /// executive Jonas Ek"): kept as a title and a role ("fire chief Ben Okoro" makes him "the
    /// fire chief" later on). Returns its span.
    fn record_lower_case_role(
        &mut self,
        words: &Words,
        entity: usize,
        r: &Candidate,
    ) -> Option<Span> {
        let mut b = r.toks[0];
        let same_sentence = |t: usize| words.tokens[t].sentence == words.tokens[r.toks[0]].sentence;
        if b > 0
            && same_sentence(b - 1)
            && words.is_word(b - 1)
            && words.tokens[b - 1].quote.is_none()
            && !words.is_capitalised(b - 1)
            && cues::is_occupation(words.str(b - 1))
        {
            b -= 1;
            let noun = |t: usize| {
                same_sentence(t)
                    && words.is_word(t)
                    && words.tokens[t].quote.is_none()
                    && self.by_token[t].is_none()
                    && (!words.is_capitalised(t) || words.is_sentence_initial(t))
                    && is_role_noun(words.str(t))
            };
            // "farm union leader": nouns before the role word; "secretary of state", "master of
            // ceremonies": a role with its preposition.
            let mut limit = 3;
            loop {
                if b >= 2
                    && limit == 3
                    && same_sentence(b - 1)
                    && matches!(words.str(b - 1), "of" | "for")
                    && noun(b - 2)
                {
                    b -= 2;
                    limit = 5;
                    continue;
                }
                if b > 0 && r.toks[0] - b < limit && noun(b - 1) {
                    b -= 1;
                    continue;
                }
                break;
            }
        }
        if b == r.toks[0] {
            return None;
        }
        let span = Span::new(
            words.tokens[b].span.start,
            words.tokens[r.toks[0] - 1].span.end,
        );
        let text = collapse_whitespace(span.of(words.text));
        let parts: Vec<&str> = (b..r.toks[0]).map(|t| words.str(t)).collect();
        let role = role_of(&parts, false);
        let ent = &mut self.entities[entity];
        if !ent.titles.contains(&text) {
            ent.titles.push(text);
        }
        // "race spokeswoman Ada Lowe", "his brother Nils Lowe": the role shows the gender
        // ("spokesman", "chairman" are said of women too).
        if let Some(g) = parts
            .iter()
            .filter(|p| !p.to_lowercase().ends_with("man"))
            .find_map(|p| cues::title_gender(p))
        {
            ent.gender.get_or_insert(g);
            ent.gender_from_title = true;
        }
        if let Some(role) = role
            && !ent.roles.contains(&role)
        {
            ent.roles.push(role);
        }
        Some(span)
    }

    /// Occupations in apposition to the name (`first`..=`last` tokens): "the Comets' captain,
    /// Lena Ashdown", "Arne Tveit, 71, a retired fisherman" make them "the captain", "the
    /// fisherman".
    fn record_apposition_roles(&mut self, words: &Words, entity: usize, first: usize, last: usize) {
        for h in apposition_roles(words, first, last) {
            if let Some(role) = role_of(&[words.str(h)], false) {
                let ent = &mut self.entities[entity];
                if !ent.roles.contains(&role) {
                    ent.roles.push(role);
                }
            }
        }
    }
}
