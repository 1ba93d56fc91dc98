//! Proper names in a document: people and organisations, their fullest forms ("Trump" ->
//! "Donald Trump"), the titles the document gives them ("Iranian Foreign Minister Abbas
//! Araghchi"), the roles that stand for them ("the US president"), their gender as the text
//! shows it, what each pronoun refers to, and the subject of each sentence.
//!
//! Reads the tokens of [`super::words`]; knows nothing of quotes' speakers (that is
//! [`super::attribution`]). One pass per concern, each linear in the document's length.

use std::collections::{HashMap, HashSet};

use super::cues;
use super::words::Words;
use crate::document::{NameKind, NameMention, Span};
use crate::text::collapse_whitespace;

/// A person, organisation or place the document names, under its fullest form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The fullest form in the document, whitespace normalised.
    pub name: String,
    pub kind: NameKind,
    /// `Some(true)` male, `Some(false)` female, when the text shows it.
    pub gender: Option<bool>,
    /// Titles given to this entity, as written ("Iranian Foreign Minister").
    pub titles: Vec<String>,
    roles: Vec<Role>,
}

/// One occurrence of a name in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name proper, without a leading title.
    pub span: Span,
    /// The title written before the name ("President"), if any.
    pub title: Option<Span>,
    /// First token (title included) and last token (inclusive) of the mention.
    pub first_tok: usize,
    pub last_tok: usize,
    pub entity: usize,
    pub quoted: bool,
    /// The name carries a possessive ("Netanyahu’s").
    pub possessive: bool,
    /// A lower-case role written right before the name ("ferry operator").
    pub described_as: Option<Span>,
}

/// What a sentence's subject is and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    pub entity: usize,
    pub first_tok: usize,
    pub last_tok: usize,
    pub via: Via,
}

/// How a reference in the text reaches its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Name,
    Pronoun,
    Title,
}

/// A role as a comparable key: head ("minister", "prime minister"), modifiers ("foreign") and
/// nations ("iran").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Role {
    head: String,
    mods: Vec<String>,
    nations: Vec<String>,
}

/// The names of one document.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    pub entities: Vec<Entity>,
    pub mentions: Vec<Mention>,
    /// Per token: the mention it belongs to.
    by_token: Vec<Option<usize>>,
    /// Pronoun token -> entity.
    pronouns: Vec<Option<usize>>,
    /// Role description: head token -> (first token, entity).
    roles: Vec<Option<(usize, usize)>>,
    /// Per sentence: its subject, when it names or refers to an entity.
    subjects: Vec<Option<Subject>>,
}

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

impl NameTable {
    /// Finds the names in the tokenised document.
    pub fn build(words: &Words) -> NameTable {
        let mut table = NameTable {
            by_token: vec![None; words.tokens.len()],
            pronouns: vec![None; words.tokens.len()],
            roles: vec![None; words.tokens.len()],
            subjects: vec![None; words.sentences.len()],
            ..NameTable::default()
        };
        let headline = headline_paragraphs(words);
        let seqs = capitalised_sequences(words, &headline);
        table.classify(words, seqs);
        table.find_roles(words, &headline);
        table.resolve_references(words);
        table
    }

    /// Every name mention, in text order.
    pub fn mentions(&self) -> Vec<NameMention> {
        self.mentions
            .iter()
            .filter(|m| {
                matches!(
                    self.entities[m.entity].kind,
                    NameKind::Person | NameKind::Organisation
                )
            })
            .map(|m| NameMention {
                span: m.span,
                kind: self.entities[m.entity].kind,
            })
            .collect()
    }

    pub fn mention_at(&self, tok: usize) -> Option<&Mention> {
        self.by_token
            .get(tok)
            .copied()
            .flatten()
            .map(|i| &self.mentions[i])
    }

    pub fn pronoun_at(&self, tok: usize) -> Option<usize> {
        self.pronouns.get(tok).copied().flatten()
    }

    /// A role description ("the US president") whose head is token `tok`: its first token and
    /// the entity it stands for.
    pub fn role_at(&self, tok: usize) -> Option<(usize, usize)> {
        self.roles.get(tok).copied().flatten()
    }

    pub fn subject(&self, sentence: usize) -> Option<Subject> {
        self.subjects.get(sentence).copied().flatten()
    }

    pub fn entity(&self, e: usize) -> &Entity {
        &self.entities[e]
    }

    fn classify(&mut self, words: &Words, seqs: Vec<Vec<usize>>) {
        // First the full names, so short forms can find them.
        struct Raw {
            toks: Vec<usize>,
            title_len: usize,
            kind: NameKind,
        }
        let mut raws = Vec::new();
        // Last words of longer names: "Pezeshkian" is a name, not a demonym, once the text
        // has said "Masoud Pezeshkian".
        let surnames: HashSet<&str> = seqs
            .iter()
            .filter(|q| q.len() >= 2)
            .filter_map(|q| q.last().map(|&t| words.str(t)))
            .collect();
        // Words seen inside names (not first): "Engineer" is a name word only if seen there.
        let inner_words: HashSet<&str> = seqs
            .iter()
            .flat_map(|q| q.iter().skip(1).map(|&t| words.str(t)))
            .collect();
        for mut seq in seqs {
            // "The Millbrook school board": no person's name starts with "The".
            if seq.len() > 1
                && words.str(seq[0]) == "The"
                && !seq.iter().any(|&t| cues::is_org_head(words.str(t)))
            {
                seq.remove(0);
            }
            let strs: Vec<&str> = seq.iter().map(|&t| words.str(t)).collect();
            let org = strs.iter().any(|s| cues::is_org_head(s))
                || (strs.len() == 1
                    && strs[0].len() >= 2
                    && strs[0].chars().all(|c| c.is_uppercase() || c == '.')
                    && !cues::is_demonym(strs[0]));
            if org {
                let skip = usize::from(strs[0] == "The" && strs.len() > 1);
                raws.push(Raw {
                    toks: seq,
                    title_len: skip,
                    kind: NameKind::Organisation,
                });
                continue;
            }
            let mut k = 0;
            while k + 1 < seq.len()
                && (cues::is_title_word(strs[k])
                    || cues::is_demonym(strs[k])
                    || (words.tokens[seq[k]].possessive && k == 0))
            {
                k += 1;
            }
            // "Hydrologist Lene Marsh" at a sentence start: an occupation, then the name.
            if k == 0
                && seq.len() >= 3
                && (words.is_sentence_initial(seq[0]) || !inner_words.contains(strs[0]))
                && cues::is_occupation(strs[0])
            {
                k = 1;
            }
            // "Harbour Commissioner Ines Coyle": everything up to the last role word.
            if let Some(h) = (0..seq.len() - 1)
                .rev()
                .find(|&h| cues::is_role_head(strs[h]))
            {
                k = k.max(h + 1);
            }
            // "Iranian" alone, "Prime Minister" alone: no name.
            let not_name =
                |s: &str| cues::is_title_word(s) || (cues::is_demonym(s) && !surnames.contains(s));
            if k + 1 == seq.len() && not_name(strs[k]) {
                continue;
            }
            let rest = &strs[k..];
            let only_demonyms = k > 0 && strs[..k].iter().all(|s| cues::is_demonym(s));
            let after_the = seq[0] > 0 && words.str(seq[0] - 1) == "the";
            let kind = if rest.iter().any(|s| cues::is_thing_word(s)) {
                NameKind::Other
            } else if (only_demonyms && rest.len() == 1) || (after_the && k == 0 && rest.len() >= 2)
            {
                // "Brenish Rail", "the Kelby Courier": a company or an outlet, not a person.
                k = 0;
                NameKind::Organisation
            } else if k > 0 || rest.len() >= 2 {
                NameKind::Person
            } else {
                NameKind::Other
            };
            raws.push(Raw {
                toks: seq,
                title_len: k,
                kind,
            });
        }
        // Full person names (two or more tokens), keyed by their words.
        let key_of = |toks: &[usize]| -> Vec<&str> { toks.iter().map(|&t| words.str(t)).collect() };
        let mut full_people: Vec<Vec<&str>> = Vec::new();
        // Where each full name is written (token of its first word, in text order).
        let mut full_at: Vec<Vec<usize>> = Vec::new();
        let mut full_text: Vec<String> = Vec::new();
        let mut full_index: HashMap<Vec<&str>, usize> = HashMap::new();
        // Full names by their last word, so a short form finds its candidates at once.
        let mut by_last: HashMap<&str, Vec<usize>> = HashMap::new();
        for r in &raws {
            let name = key_of(&r.toks[r.title_len..]);
            if r.kind == NameKind::Person && name.len() >= 2 {
                let at = r.toks[r.title_len];
                if let Some(&i) = full_index.get(&name) {
                    full_at[i].push(at);
                    continue;
                }
                if let Some(&last) = name.last() {
                    by_last.entry(last).or_default().push(full_people.len());
                }
                full_index.insert(name.clone(), full_people.len());
                full_people.push(name);
                full_at.push(vec![at]);
                // As written ("Ada J. Moreau", dots and all), without a nickname in quotes.
                let last_tok = r.toks.last().copied().unwrap_or(at);
                let span = Span::new(words.tokens[at].span.start, words.tokens[last_tok].span.end);
                if (at..last_tok).any(|t| words.tokens[t].quote.is_some()) {
                    full_text.push(key_of(&r.toks[r.title_len..]).join(" "));
                } else {
                    full_text.push(collapse_whitespace(span.of(words.text)));
                }
            }
        }
        // Names that only ever follow a preposition or a speech verb are places or outlets.
        let mut free_use: HashSet<Vec<&str>> = HashSet::new();
        for r in &raws {
            let first = r.toks[0];
            let governed = first > 0
                && words.is_word(first - 1)
                && (matches!(words.lower(first - 1).as_ref(), "on" | "told")
                    || cues::speech_verb(words.str(first - 1)).is_some());
            if !governed || r.title_len > 0 {
                free_use.insert(key_of(&r.toks[r.title_len..]));
            }
        }
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut outside: Vec<bool> = Vec::new();
        let mut last_org: Option<(usize, usize)> = None; // (entity, last token)
        for r in raws {
            let name_toks = &r.toks[r.title_len..];
            let key = key_of(name_toks);
            let mut kind = r.kind;
            // Fullest form: the longest full person name ending with these words.
            let fullest = if kind == NameKind::Organisation {
                None
            } else {
                // Two people may share a family name ("Ada Moreau", "Leo Moreau"): the one named
                // most recently before this mention wins, else the first named after it, then
                // the longest.
                let here = r.toks[r.title_len];
                key.last()
                    .and_then(|last| by_last.get(last))
                    .into_iter()
                    .flatten()
                    .filter(|&&i| {
                        full_people[i].len() > key.len() && full_people[i].ends_with(&key)
                    })
                    .max_by_key(|&&i| {
                        let at = &full_at[i];
                        let before = at.partition_point(|&a| a < here);
                        let recency = if before > 0 {
                            (1, at[before - 1], 0)
                        } else {
                            (0, 0, usize::MAX - at.first().copied().unwrap_or(usize::MAX))
                        };
                        (recency, full_people[i].len())
                    })
                    .map(|&i| full_text[i].clone())
            };
            if fullest.is_some() {
                kind = NameKind::Person;
            }
            if kind == NameKind::Person
                && r.title_len == 0
                && fullest.is_none()
                && !free_use.contains(&key)
            {
                kind = NameKind::Other;
            }
            let first_name_tok = name_toks[0];
            let last_tok = *r.toks.last().unwrap_or(&first_name_tok);
            let span = Span::new(
                words.tokens[first_name_tok].span.start,
                words.tokens[last_tok].span.end,
            );
            let mut name = fullest.unwrap_or_else(|| {
                if (first_name_tok..last_tok).any(|t| words.tokens[t].quote.is_some()) {
                    // Without the nickname in quotes ("Jonah “The Wall” Okafor").
                    key.join(" ")
                } else {
                    collapse_whitespace(span.of(words.text))
                }
            });
            // An acronym in parentheses right after an organisation is its short form.
            let mut alias_of = None;
            if kind == NameKind::Organisation
                && name_toks.len() == 1
                && first_name_tok > 0
                && words.str(first_name_tok - 1) == "("
                && let Some((e, lt)) = last_org
                && lt + 2 == first_name_tok
            {
                alias_of = Some(e);
            }
            if let Some(e) = alias_of {
                name = self.entities[e].name.clone();
            }
            let entity = *index.entry(name.clone()).or_insert_with(|| {
                outside.push(false);
                self.entities.push(Entity {
                    name: name.clone(),
                    kind,
                    gender: None,
                    titles: Vec::new(),
                    roles: Vec::new(),
                });
                self.entities.len() - 1
            });
            if kind == NameKind::Person {
                self.entities[entity].kind = NameKind::Person;
            }
            let title = (r.title_len > 0 && kind != NameKind::Organisation).then(|| {
                Span::new(
                    words.tokens[r.toks[0]].span.start,
                    words.tokens[r.toks[r.title_len - 1]].span.end,
                )
            });
            if let Some(t) = title {
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
                    }
                }
            }
            if kind == NameKind::Organisation {
                last_org = Some((entity, last_tok));
            }
            // "Mr", "Ms": gender, not a title.
            let title = title.filter(|t| !cues::is_honorific(t.of(words.text)));
            // "ferry operator Lukas Brenner", "its chief executive Jonas Ek": a role in lower case.
            let mut described_as = None;
            if title.is_none() && kind == NameKind::Person {
                let mut b = r.toks[0];
                let same_sentence =
                    |t: usize| words.tokens[t].sentence == words.tokens[r.toks[0]].sentence;
                if b > 0
                    && same_sentence(b - 1)
                    && words.is_word(b - 1)
                    && words.tokens[b - 1].quote.is_none()
                    && !words.is_capitalised(b - 1)
                    && cues::is_occupation(words.str(b - 1))
                {
                    b -= 1;
                    // "farm union leader": nouns before the role word.
                    while b > 0
                        && same_sentence(b - 1)
                        && r.toks[0] - b < 3
                        && words.is_word(b - 1)
                        && words.tokens[b - 1].quote.is_none()
                        && self.by_token[b - 1].is_none()
                        && (!words.is_capitalised(b - 1) || words.is_sentence_initial(b - 1))
                        && is_role_noun(words.str(b - 1))
                    {
                        b -= 1;
                    }
                }
                if b < r.toks[0] {
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
                    // "fire chief Ben Okoro" makes him "the fire chief" later on.
                    if let Some(role) = role
                        && !ent.roles.contains(&role)
                    {
                        ent.roles.push(role);
                    }
                    described_as = Some(span);
                }
            }
            if kind == NameKind::Person && title.is_none() && described_as.is_none() {
                for h in apposition_roles(words, r.toks[0], last_tok) {
                    if let Some(role) = role_of(&[words.str(h)], false) {
                        let ent = &mut self.entities[entity];
                        if !ent.roles.contains(&role) {
                            ent.roles.push(role);
                        }
                    }
                }
            }
            if words.tokens[r.toks[0]].quote.is_none() {
                outside[entity] = true;
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
        // A name only ever written inside quotes ("Harbour Lights") is nobody the text names.
        for (e, ent) in self.entities.iter_mut().enumerate() {
            if !outside.get(e).copied().unwrap_or(false) {
                ent.kind = NameKind::Other;
            }
        }
    }

    /// Role descriptions: "the US president", "Iran’s foreign minister", "the mayor".
    fn find_roles(&mut self, words: &Words, headline: &[bool]) {
        let mut bindings: HashMap<Role, usize> = HashMap::new();
        // Occupations the text gives someone as a role ("senior geologist Pål Ekerholt").
        let occupation_heads: HashSet<String> = self
            .entities
            .iter()
            .flat_map(|e| e.roles.iter())
            .filter(|r| !cues::is_role_head(&r.head))
            .map(|r| r.head.clone())
            .collect();
        let n = words.tokens.len();
        let mut last_seen: Vec<usize> = vec![0; self.entities.len()];
        let mut seen: Vec<bool> = vec![false; self.entities.len()];
        let mut next_mention = 0;
        for i in 0..n {
            // Track where each entity was last named.
            while next_mention < self.mentions.len() && self.mentions[next_mention].first_tok <= i {
                let m = &self.mentions[next_mention];
                last_seen[m.entity] = m.last_tok;
                seen[m.entity] = true;
                next_mention += 1;
            }
            let tok = words.tokens[i];
            if tok.quote.is_some() || headline[tok.paragraph] || !words.is_word(i) {
                continue;
            }
            let head_word = cues::is_role_head(words.str(i))
                || (!words.is_capitalised(i) && occupation_heads.contains(words.lower(i).as_ref()));
            if !head_word || self.by_token[i].is_some() {
                continue;
            }
            // Not the title of a following name ("President Trump").
            if i + 1 < n && words.is_capitalised(i + 1) && self.by_token[i + 1].is_some() {
                continue;
            }
            // Walk back over modifiers to a determiner, a possessive place, or a demonym.
            let mut j = i;
            let mut anchored = false;
            while j > 0 {
                let p = j - 1;
                if !words.is_word(p) || words.tokens[p].sentence != tok.sentence {
                    break;
                }
                let s = words.str(p);
                let l = s.to_lowercase();
                if l == "the" || l == "its" || l == "his" || l == "her" || l == "their" {
                    anchored = true;
                    j = p;
                    break;
                }
                if words.tokens[p].possessive {
                    anchored = true;
                    j = p;
                    break;
                }
                if cues::is_demonym(s) || cues::is_role_modifier(s) {
                    anchored |= cues::is_demonym(s);
                    j = p;
                    continue;
                }
                // "the fire chief": a plain noun before the role word.
                if i - p <= 2 && !words.is_capitalised(p) && is_role_noun(s) {
                    j = p;
                    continue;
                }
                break;
            }
            if !anchored {
                continue;
            }
            let parts: Vec<&str> = (j..=i).map(|t| words.str(t)).collect();
            let Some(role) = role_of(&parts, words.tokens[j].possessive) else {
                continue;
            };
            let fits = |e: usize| self.entities[e].roles.iter().any(|r| role_fits(&role, r));
            let chosen = match bindings.get(&role) {
                Some(&e) if fits(e) => Some(e),
                _ => {
                    let mut best: Option<(bool, usize, usize)> = None;
                    for e in 0..self.entities.len() {
                        if !seen[e] || !fits(e) {
                            continue;
                        }
                        let strong = self.entities[e].roles.iter().any(|r| {
                            role_fits(&role, r) && !role.nations.is_empty() && !r.nations.is_empty()
                        });
                        let cand = (strong, last_seen[e], e);
                        if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                            best = Some(cand);
                        }
                    }
                    best.map(|b| b.2)
                }
            };
            if let Some(e) = chosen {
                bindings.insert(role, e);
                self.roles[i] = Some((j, e));
            }
        }
    }

    /// Sentence subjects, gender, and pronoun references, in document order.
    fn resolve_references(&mut self, words: &Words) {
        let mut next_mention = 0;
        for si in 0..words.sentences.len() {
            let s = words.sentences[si];
            let mut subject: Option<Subject> = None;
            let mut persons_here: Vec<usize> = Vec::new(); // entities named in this sentence
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
                    if subject.is_none() && self.can_be_subject(words, &m) {
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
                // "the 52-year-old said": an age stands for the person last named, like a
                // pronoun of either gender.
                if i > s.first
                    && words.lower(i - 1) == "the"
                    && is_age_word(&lower)
                    && let Some(e) = self.person_referent(words, si, &persons_here)
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
                if let Some(gender) = pronoun_kind(&lower)
                    && let Some(e) = (if in_lead_clause {
                        self.cataphora(words, si, i, gender)
                    } else {
                        None
                    })
                    .or_else(|| self.pronoun_referent(words, si, gender, &persons_here))
                {
                    if let Some(g) = gender {
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
                }
                i += 1;
            }
            self.subjects[si] = subject;
        }
    }

    /// A pronoun in a leading clause refers forward to the main clause's subject: "Asked
    /// whether he would resign, Beltran said …", "When she arrived, Okafor …".
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
        let leading =
            cues::is_clause_opener(&opener) || (opener.ends_with("ing") && opener != "according");
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
        here: &[usize],
    ) -> Option<usize> {
        self.referent(words, si, here, &|c: &[usize]| self.pick(c, gender))
    }

    /// The person a description of either gender ("the 52-year-old") refers to: found the way
    /// a pronoun's referent is.
    fn person_referent(&self, words: &Words, si: usize, here: &[usize]) -> Option<usize> {
        self.referent(words, si, here, &|c: &[usize]| {
            c.iter()
                .copied()
                .find(|&e| self.entities[e].kind == NameKind::Person)
        })
    }

    /// The referent `pick` chooses among candidates: this sentence's subject and names, then
    /// each earlier sentence's (up to six back).
    fn referent(
        &self,
        words: &Words,
        si: usize,
        here: &[usize],
        pick: &dyn Fn(&[usize]) -> Option<usize>,
    ) -> Option<usize> {
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(s) = self.subjects[si] {
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
            let s = words.sentences[prev];
            candidates.clear();
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
            candidates.extend(refs.into_iter().take(12).map(|r| r.1));
            if let Some(c) = pick(&candidates) {
                return Some(c);
            }
        }
        None
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
        if m.quoted || preceded_by_preposition(words, m.first_tok) {
            return false;
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
}

/// A dateline's place at the start of a paragraph: "WASHINGTON (Reuters) -", "MILLBROOK, May 20".
fn is_dateline(words: &Words, i: usize) -> bool {
    let s = words.str(i);
    let first_in_paragraph = words.paragraph_tokens[words.tokens[i].paragraph].0 == i;
    first_in_paragraph
        && s.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && s.chars().all(|c| !c.is_lowercase())
        && words
            .tokens
            .get(i + 1)
            .is_some_and(|_| matches!(words.str(i + 1), "(" | "," | "-" | "—" | "–"))
}

/// A word that can stand in a lower-case role before a name ("union" in "union leader"):
/// not a function word, preposition, verb form or possessive determiner.
pub(crate) fn is_role_noun(word: &str) -> bool {
    let l = word.to_lowercase();
    l.len() >= 3
        && l.chars().all(|c| c.is_alphabetic() || c == '-')
        && !cues::is_common_capitalised(&l)
        && !cues::is_preposition(&l)
        && cues::speech_verb(&l).is_none()
        && !l.ends_with("ed")
        && !l.ends_with("ing")
        && !matches!(
            l.as_str(),
            "and" | "the" | "its" | "new" | "who" | "whom" | "whose"
        )
}

/// Occupation words set off by commas around a person's name (`first`..=`last` tokens): "the
/// Comets' captain, Lena Ashdown", "Arne Tveit, 71, a retired fisherman", "Pål Ekerholt, a
/// senior geologist with …". "The captain" and "the fisherman" can then refer to them.
fn apposition_roles(words: &Words, first: usize, last: usize) -> Vec<usize> {
    let n = words.tokens.len();
    let sentence = words.tokens[first].sentence;
    let plain = |t: usize| {
        t < n
            && words.tokens[t].sentence == sentence
            && words.tokens[t].quote.is_none()
            && words.is_word(t)
            && !words.is_capitalised(t)
    };
    let occupation = |t: usize| plain(t) && cues::is_occupation(words.str(t));
    let mut heads = Vec::new();
    // Before: "… captain, Lena Ashdown".
    if first >= 2 && words.str(first - 1) == "," && occupation(first - 2) {
        heads.push(first - 2);
    }
    // After: "Arne Tveit, 71, a retired fisherman".
    let mut k = last + 1;
    if k < n && words.tokens[k].sentence == sentence && words.str(k) == "," {
        k += 1;
        if k + 1 < n && words.str(k).chars().all(|c| c.is_ascii_digit()) && words.str(k + 1) == ","
        {
            k += 2;
        }
        if plain(k) && matches!(words.lower(k).as_ref(), "a" | "an" | "the") {
            // The last of a run of occupation-like words ("senior geologist").
            if let Some(h) = (k + 1..(k + 5).min(n))
                .take_while(|&t| plain(t))
                .find(|&t| occupation(t) && !occupation(t + 1))
            {
                heads.push(h);
            }
        }
    }
    heads
}

fn preceded_by_preposition(words: &Words, first: usize) -> bool {
    first > 0 && words.is_word(first - 1) && cues::is_preposition(&words.lower(first - 1))
}

/// Parses title words into a role key. `possessive_first`: the first word is a possessive place.
fn role_of(parts: &[&str], possessive_first: bool) -> Option<Role> {
    let mut head: Option<String> = None;
    let mut mods = Vec::new();
    let mut nations = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        let l = p.to_lowercase();
        if l == "the" || l == "its" || l == "his" || l == "her" || l == "their" {
            continue;
        }
        if (k == 0 && possessive_first) || cues::is_demonym(p) {
            nations.push(cues::nation_key(p));
            continue;
        }
        if l == "pm" {
            head = Some("prime minister".into());
            continue;
        }
        if cues::is_role_head(&l) {
            let compound = head
                .take()
                .filter(|h| h == "prime" || h == "vice" || h == "deputy");
            head = Some(match compound {
                Some(c) => format!("{c} {l}"),
                None => l,
            });
            continue;
        }
        if l == "prime" || l == "vice" || l == "deputy" {
            head = Some(l);
            continue;
        }
        if cues::is_title_word(&l) {
            mods.push(l);
        }
    }
    // "senior geologist Pål Ekerholt": an occupation heads a role the text gives a person, so
    // "the geologist" can refer to them later.
    if head.is_none()
        && let Some(last) = parts.last()
        && cues::is_occupation(last)
        && !cues::is_title_word(last)
        && parts.len() > usize::from(possessive_first)
    {
        head = Some(last.to_lowercase());
    }
    let head = head?;
    if head == "prime" || head == "vice" || head == "deputy" {
        return None;
    }
    mods.sort();
    nations.sort();
    Some(Role {
        head,
        mods,
        nations,
    })
}

/// Whether a described role fits a role given to a person.
fn role_fits(described: &Role, given: &Role) -> bool {
    described.head == given.head
        && described.mods.iter().all(|m| given.mods.contains(m))
        && (described.nations.is_empty()
            || given.nations.is_empty()
            || described
                .nations
                .iter()
                .any(|a| given.nations.iter().any(|b| cues::same_nation(a, b))))
}

/// Paragraphs that read as headlines, bylines or navigation: mostly capitalised words. Names
/// are not collected from them (a headline's capitals would make fake names).
fn headline_paragraphs(words: &Words) -> Vec<bool> {
    words
        .paragraph_tokens
        .iter()
        .map(|&(first, end)| {
            let mut total = 0;
            let mut caps = 0;
            for i in first..end {
                if words.is_word(i)
                    && words
                        .str(i)
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic())
                {
                    total += 1;
                    if words.is_capitalised(i) {
                        caps += 1;
                    }
                }
            }
            let ends_sentence = end > first
                && matches!(
                    words.str(end - 1),
                    "." | "!" | "?" | "”" | "\"" | "’" | "'" | ")" | "»"
                );
            // "— Leontine Markham, astronomer": a signature under a quote, not a headline.
            let signature = (first..end)
                .find(|&i| words.str(i) != ">")
                .is_some_and(|i| matches!(words.str(i), "—" | "–" | "―" | "--"));
            !signature
                && ((total >= 2 && !ends_sentence && caps * 10 >= total * 5)
                    || (total >= 3 && caps * 100 >= total * 85))
        })
        .collect()
}

/// When token `j` opens a short quoted span of capitalised words (a nickname: “The Wall”) that
/// a capitalised word outside it follows directly, the token of that word.
fn nickname_end(
    words: &Words,
    j: usize,
    outer: Option<usize>,
    cap: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let q = words.tokens[j].quote?;
    if outer.is_some() {
        return None;
    }
    let mut k = j;
    let mut count = 0;
    while k < words.tokens.len() && words.tokens[k].quote == Some(q) {
        if words.is_word(k) {
            count += 1;
            if !(cap(k) || words.str(k) == "the") || count > 3 {
                return None;
            }
        } else if !words.str(k).chars().all(|c| "“”\"‘’'«»".contains(c)) {
            return None;
        }
        k += 1;
    }
    if count == 0 {
        return None;
    }
    let para = words.tokens[j].paragraph;
    (k < words.tokens.len()
        && words.tokens[k].quote.is_none()
        && words.tokens[k].paragraph == para
        && cap(k)
        && words.text[words.tokens[k - 1].span.end..words.tokens[k].span.start]
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '”' | '"' | '’' | '\'' | '»')))
    .then_some(k)
}

/// Maximal runs of capitalised words (with name particles and organisation connectors), minus
/// sentence-initial capitals that are not names.
fn capitalised_sequences(words: &Words, headline: &[bool]) -> Vec<Vec<usize>> {
    let n = words.tokens.len();
    let cap = |i: usize| -> bool {
        words.is_capitalised(i)
            && words.str(i) != "I"
            && !cues::is_calendar_word(words.str(i))
            && words.str(i).chars().any(|c| c.is_alphabetic())
    };
    let mut raw: Vec<Vec<usize>> = Vec::new();
    let mut i = 0;
    while i < n {
        let tok = words.tokens[i];
        if headline[tok.paragraph] || !cap(i) || is_dateline(words, i) {
            i += 1;
            continue;
        }
        let mut seq = vec![i];
        // "de Wit said": a lower-case particle opens the name.
        if i > 0
            && words.tokens[i - 1].paragraph == tok.paragraph
            && cues::is_name_particle(words.str(i - 1))
            && (i < 2 || !cap(i - 2))
        {
            seq.insert(0, i - 1);
        }
        let mut j = i + 1;
        while j < n && words.tokens[j].paragraph == tok.paragraph {
            if words.tokens[j].quote != tok.quote {
                // "Jonah “The Wall” Okafor": a nickname in quotes inside a name is skipped.
                match nickname_end(words, j, tok.quote, &cap) {
                    Some(k) if !words.tokens[*seq.last().unwrap_or(&i)].possessive => {
                        j = k;
                        continue;
                    }
                    _ => break,
                }
            }
            let last = *seq.last().unwrap_or(&i);
            let last_poss = words.tokens[last].possessive;
            let has_org = seq.iter().any(|&t| cues::is_org_head(words.str(t)));
            if cap(j) && !last_poss {
                seq.push(j);
                j += 1;
                continue;
            }
            // "Mr. Kessler", "Dr. Ruiz": the abbreviation's dot stays outside the name.
            if words.str(j) == "."
                && j + 1 < n
                && cap(j + 1)
                && words.tokens[j + 1].paragraph == tok.paragraph
                && ((cues::is_title_word(words.str(last)) && words.str(last).len() <= 4)
                    // "Donald J. Trump": a middle initial.
                    || (seq.len() >= 2
                        && words.str(last).chars().count() == 1
                        && words.is_capitalised(last)))
            {
                j += 1;
                continue;
            }
            if cap(j) && last_poss {
                // "Iran’s President …", "Prime Minister’s Office": go on only into titles/orgs.
                let s = words.str(j);
                let mut k = j;
                let mut org_ahead = false;
                while k < n && cap(k) && k < j + 6 {
                    org_ahead |= cues::is_org_head(words.str(k));
                    k += 1;
                }
                if cues::is_title_word(s) || org_ahead {
                    seq.push(j);
                    j += 1;
                    continue;
                }
                break;
            }
            let w = words.str(j);
            let particle =
                cues::is_name_particle(w) || w.starts_with("al-") || w.starts_with("el-");
            if !last_poss && j + 1 < n && cap(j + 1) {
                if particle && w.contains('-') {
                    seq.push(j);
                    j += 1;
                    continue;
                }
                if particle || (has_org && cues::is_org_connector(w)) {
                    seq.push(j);
                    seq.push(j + 1);
                    j += 2;
                    continue;
                }
                if has_org && w == "the" {
                    seq.push(j);
                    j += 1;
                    continue;
                }
            }
            if particle && w.contains('-') && w.len() > 3 && !last_poss {
                // "al-Sudani" ends a name.
                seq.push(j);
                j += 1;
            }
            break;
        }
        i = j;
        raw.push(seq);
    }
    // Words known as names: capitalised away from a sentence start, or inside a longer name.
    let mut known: HashSet<&str> = HashSet::new();
    for seq in &raw {
        for (k, &t) in seq.iter().enumerate() {
            if k > 0 || !words.is_sentence_initial(t) {
                known.insert(words.str(t));
            }
        }
    }
    let mut out = Vec::new();
    for mut seq in raw {
        while let Some(&first) = seq.first() {
            if !words.is_sentence_initial(first) {
                break;
            }
            let s = words.str(first);
            let next_cap = seq.len() > 1;
            // "Vale said …" names a speaker; "Analysts say …", "Officials said …" do not.
            let next_is_verb = words.tokens.get(first + 1).is_some_and(|_| {
                let v = words.str(first + 1);
                cues::speech_verb(v).is_some_and(|b| !cues::is_stance(b))
                    && v.ends_with(['s', 'd'])
                    && !v.ends_with("ss")
                    && (!s.ends_with('s') || !v.ends_with('d'))
            }) && (!s.ends_with('s') || words.str(first + 1).ends_with('s'));
            let keep = !cues::is_common_capitalised(s)
                && !matches!(
                    s,
                    "Everyone" | "Nobody" | "Somebody" | "Everybody" | "Today" | "Yesterday"
                )
                && (known.contains(s)
                    || {
                        // "Brenland's …" (not a plural "Hauliers' …") at a sentence start.
                        let after = &words.text[words.tokens[first].span.end..];
                        after.starts_with("'s") || after.starts_with("\u{2019}s")
                    }
                    || (next_cap
                        && (cues::is_title_word(s) || cues::is_demonym(s) || !s.ends_with("ing")))
                    || next_is_verb);
            if keep {
                break;
            }
            seq.remove(0);
        }
        // Trailing connectors never end a name.
        while seq.last().is_some_and(|&t| !words.is_capitalised(t)) {
            seq.pop();
        }
        if !seq.is_empty() {
            out.push(seq);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::marks::paragraphs;
    use crate::extract::words::Words;

    fn table(text: &str) -> (NameTable, Vec<String>) {
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let t = NameTable::build(&w);
        let names = t
            .mentions
            .iter()
            .map(|m| {
                format!(
                    "{}:{:?}",
                    t.entities[m.entity].name, t.entities[m.entity].kind
                )
            })
            .collect();
        (t, names)
    }

    #[test]
    fn a_nickname_in_quotes_inside_a_name_is_skipped() {
        let text = "Goalkeeper Jonah “The Wall” Okafor saved two penalties. Okafor was mobbed.";
        let paras = paragraphs(text, 0);
        let spans = crate::extract::marks::scan(text, 0);
        let w = Words::new(text, &paras, &spans);
        let t = NameTable::build(&w);
        let names: Vec<&str> = t
            .mentions
            .iter()
            .map(|m| t.entities[m.entity].name.as_str())
            .collect();
        assert_eq!(names, ["Jonah Okafor", "Jonah Okafor"]);
    }

    #[test]
    fn titles_are_stripped_and_short_forms_resolve() {
        let (t, names) = table(
            "Valdorian Foreign Minister Petra Lindqvist met President Oskar Brandt. \
             Later, Lindqvist said the talks went well, and Brandt agreed.",
        );
        assert_eq!(
            names,
            [
                "Petra Lindqvist:Person",
                "Oskar Brandt:Person",
                "Petra Lindqvist:Person",
                "Oskar Brandt:Person"
            ]
        );
        assert_eq!(t.entities[0].titles, ["Valdorian Foreign Minister"]);
    }

    #[test]
    fn organisations_keep_connectors_and_people_do_not() {
        let (_, names) = table(
            "The report was written by Ilse Marr of the Harlow Institute for Coastal Studies, \
             and the Kestrel Prime Minister’s Office (KPMO) welcomed it.",
        );
        assert_eq!(
            names,
            [
                "Ilse Marr:Person",
                "Harlow Institute for Coastal Studies:Organisation",
                "Kestrel Prime Minister’s Office:Organisation",
                "Kestrel Prime Minister’s Office:Organisation"
            ]
        );
    }

    #[test]
    fn sentence_initial_capitals_are_not_names() {
        let (_, names) =
            table("Analysts expect little. Those talks failed. Meanwhile Orla Quinn left.");
        assert_eq!(names, ["Orla Quinn:Person"]);
    }

    #[test]
    fn pronouns_follow_gender() {
        let text = "Mayor Ruth Okafor met Chief Daniel Pike. She said little. His reply was short.";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let t = NameTable::build(&w);
        let she = (0..w.tokens.len()).find(|&i| w.str(i) == "She").unwrap();
        let his = (0..w.tokens.len()).find(|&i| w.str(i) == "His").unwrap();
        assert_eq!(t.entities[t.pronoun_at(she).unwrap()].name, "Ruth Okafor");
        assert_eq!(t.entities[t.pronoun_at(his).unwrap()].name, "Daniel Pike");
    }

    #[test]
    fn roles_resolve_to_the_titled_person() {
        let text = "Brenish President Alma Ruiz met Corvanese President Tomas Egg. \
                    The Corvanese president later left.";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let t = NameTable::build(&w);
        let head = (0..w.tokens.len())
            .rfind(|&i| w.str(i) == "president")
            .unwrap();
        let (_, e) = t.role_at(head).unwrap();
        assert_eq!(t.entities[e].name, "Tomas Egg");
    }
}
