//! Roles: a title or occupation as a comparable key ("the Corvanese foreign minister"), the roles
//! the text gives a person (a title before the name, a lower-case role, an apposition), and
//! pass 6 of name finding: role descriptions ("the mayor", "Iran’s foreign minister") bound to
//! the person given that role.

use super::NameTable;
use super::traits::Traits;
use crate::document::NameKind;
use crate::extract::cues;
use crate::extract::lexicon as lex;
use crate::extract::lexicon::FnvSet;
use crate::extract::words::Words;
use std::collections::HashMap;

/// A role as a comparable key: head ("minister", "prime minister"), modifiers ("foreign") and
/// nations ("iran").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Role {
    head: String,
    mods: Vec<String>,
    nations: Vec<String>,
    /// Places the role belongs to that are no nation ("Kelby" in "Kelby Sen."): a description
    /// naming one fits only a person given it.
    places: Vec<String>,
}

/// How many sentences after a role description its holder may be named first.
const FORWARD: usize = 4;

impl Role {
    /// Places the role belongs to that are no nation.
    pub(super) fn places(&self) -> &[String] {
        &self.places
    }
}

impl NameTable {
    /// Role descriptions: "the US president", "Iran’s foreign minister", "the mayor".
    pub(super) fn find_roles(&mut self, words: &Words, headline: &[bool]) {
        let mut bindings: HashMap<Role, usize> = HashMap::new();
        // Occupations the text gives someone as a role ("senior geologist Pål Ekerholt").
        let occupation_heads: FnvSet<String> = self
            .entities
            .iter()
            .flat_map(|e| e.roles.iter())
            .filter(|r| !cues::is_role_head(&r.head))
            .map(|r| r.head.clone())
            .collect();
        let n = words.tokens.len();
        let company_like = self.company_like(words);
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
            if let Some(found) = self.company_reference(words, i, &last_seen, &seen, &company_like)
            {
                self.roles[i] = Some(found);
                continue;
            }
            let head_word = words.in_list(i, &lex::ROLE_HEADS)
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
                // "the Kelby senator": a place right before the role word, after "the".
                if p + 1 == i
                    && p > 0
                    && words.is_capitalised(p)
                    && !words.is_sentence_initial(p)
                    && !cues::is_title_word(s)
                    && words.lower(p - 1) == "the"
                {
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
            let fits = |e: usize| {
                let ent = &self.entities[e];
                ent.roles.iter().any(|r| role_fits(&role, r, &ent.traits))
            };
            let chosen = match bindings.get(&role) {
                Some(&e) if fits(e) => Some(e),
                _ => {
                    let mut best: Option<(bool, usize, usize)> = None;
                    for e in 0..self.entities.len() {
                        if !seen[e] || !fits(e) {
                            continue;
                        }
                        let ent = &self.entities[e];
                        let strong = ent.roles.iter().any(|r| {
                            role_fits(&role, r, &ent.traits)
                                && !role.nations.is_empty()
                                && !r.nations.is_empty()
                        });
                        let cand = (strong, last_seen[e], e);
                        if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                            best = Some(cand);
                        }
                    }
                    // "“…,” the mayor said. … Mayor Ada Lowe told the council": nobody named
                    // before holds the role, so the next holder named soon after does; not
                    // when someone was named just before, whom the role may describe though
                    // the text never said so ("Sanders remarked. … “…,” the senator said").
                    best.map(|b| b.2).or_else(|| {
                        let named_just_before = self.mentions[..next_mention]
                            .iter()
                            .rev()
                            .take_while(|m| {
                                words.tokens[m.last_tok].sentence + FORWARD > tok.sentence
                            })
                            .any(|m| !m.quoted && self.entities[m.entity].kind == NameKind::Person);
                        if named_just_before {
                            return None;
                        }
                        self.mentions[next_mention..]
                            .iter()
                            .take_while(|m| {
                                words.tokens[m.first_tok].sentence <= tok.sentence + FORWARD
                            })
                            .find(|m| {
                                !m.quoted
                                    && self.entities[m.entity].kind == NameKind::Person
                                    && fits(m.entity)
                            })
                            .map(|m| m.entity)
                    })
                }
            };
            if let Some(e) = chosen {
                bindings.insert(role, e);
                self.roles[i] = Some((j, e));
            }
        }
    }
}

impl NameTable {
    /// The entities "the company" may stand for: organisations, and single names (`Amazon`,
    /// `the Pentagon`) written at least once at the start of a clause or with a possessive —
    /// a company does or says something; a place is where things happen (`in Seattle`), and a
    /// name before a noun only modifies it (`its Brixton bakery`).
    fn company_like(&self, words: &Words) -> Vec<bool> {
        let mut like: Vec<bool> = self
            .entities
            .iter()
            .map(|e| e.kind == NameKind::Organisation)
            .collect();
        for m in &self.mentions {
            if !m.quoted
                && self.entities[m.entity].kind == NameKind::Other
                && (m.possessive || opens_clause(words, m.first_tok))
            {
                like[m.entity] = true;
            }
        }
        like
    }

    /// "The company said", "the tech giant added": a company noun after `the` (and at most two
    /// lower-case modifiers) stands for the company-like entity named last, within the last
    /// eight sentences. Returns the first token of the description and the entity.
    fn company_reference(
        &self,
        words: &Words,
        i: usize,
        last_seen: &[usize],
        seen: &[bool],
        company_like: &[bool],
    ) -> Option<(usize, usize)> {
        if words.is_capitalised(i)
            || !words.in_list(i, &lex::COMPANY_NOUNS)
            || self.by_token[i].is_some()
            || self.by_token.get(i + 1).copied().flatten().is_some()
        {
            return None;
        }
        let sentence = words.tokens[i].sentence;
        let mut j = i;
        let first = loop {
            if j == 0 || i - j > 2 {
                return None;
            }
            let p = j - 1;
            if !words.is_word(p)
                || words.tokens[p].sentence != sentence
                || words.tokens[p].quote.is_some()
                || self.by_token[p].is_some()
            {
                return None;
            }
            if words.lower(p) == "the" {
                break p;
            }
            let s = words.str(p);
            if !(is_role_noun(s) || s.contains('-')) || words.tokens[p].possessive {
                return None;
            }
            j = p;
        };
        let e = (0..self.entities.len())
            .filter(|&e| {
                seen[e] && company_like[e] && words.tokens[last_seen[e]].sentence + 8 >= sentence
            })
            .max_by_key(|&e| last_seen[e])?;
        Some((first, e))
    }
}

/// Whether token `t` opens its sentence or a clause (after a comma, a colon or `and`).
fn opens_clause(words: &Words, t: usize) -> bool {
    let sentence = words.tokens[t].sentence;
    let prev = (0..t)
        .rev()
        .find(|&p| words.tokens[p].quote.is_none() || words.is_word(p));
    match prev {
        None => true,
        Some(p) if words.tokens[p].sentence != sentence => true,
        Some(p) => matches!(words.str(p), "," | ";" | ":" | "and" | "but"),
    }
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
pub(super) fn apposition_roles(words: &Words, first: usize, last: usize) -> Vec<usize> {
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

/// Parses title words into a role key. `possessive_first`: the first word is a possessive place.
pub(super) fn role_of(parts: &[&str], possessive_first: bool) -> Option<Role> {
    let mut head: Option<String> = None;
    let mut mods = Vec::new();
    let mut nations = Vec::new();
    let mut places = Vec::new();
    // "Gov." is "governor", "PM" "prime minister".
    let mut expanded: Vec<(usize, &str)> = Vec::new();
    for (k, p) in parts.iter().enumerate() {
        match cues::title_abbreviation(p) {
            Some(full) if !(k == 0 && possessive_first) => {
                expanded.extend(full.split_whitespace().map(|w| (k, w)));
            }
            _ => expanded.push((k, p)),
        }
    }
    for (k, p) in expanded {
        let l = p.to_lowercase();
        if l == "the" || l == "its" || l == "his" || l == "her" || l == "their" {
            continue;
        }
        if (k == 0 && possessive_first) || cues::is_demonym(p) {
            nations.push(cues::nation_key(p));
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
            continue;
        }
        // "Kelby Sen.", "the Kelby senator": a place the role belongs to.
        if p.starts_with(char::is_uppercase) && p.chars().all(|c| c.is_alphabetic() || c == '-') {
            places.push(l);
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
    places.sort();
    Some(Role {
        head,
        mods,
        nations,
        places,
    })
}

/// Whether a described role fits a role given to a person with traits `home` ("the Vermont
/// senator" fits "Sen. Ada Lowe (D-Vt.)"; "the Finnish skipper" does not fit a skipper "of
/// Norway").
fn role_fits(described: &Role, given: &Role, home: &Traits) -> bool {
    let nations = if given.nations.is_empty() {
        &home.nations
    } else {
        &given.nations
    };
    heads_fit(described, given)
        && described.mods.iter().all(|m| given.mods.contains(m))
        && described
            .places
            .iter()
            .all(|p| given.places.contains(p) || home.places.contains(p))
        && (described.nations.is_empty()
            || nations.is_empty()
            || described
                .nations
                .iter()
                .any(|a| nations.iter().any(|b| cues::same_nation(a, b))))
}

/// Whether a described role's head fits a given one: the same, or "leader" of a nation for
/// whoever leads it ("the U.S. leader" for "US President Ada Lowe", `lexicon/leader_roles.txt`).
fn heads_fit(described: &Role, given: &Role) -> bool {
    described.head == given.head
        || (described.head == "leader"
            && !described.nations.is_empty()
            && !given.nations.is_empty()
            && cues::leads_nation(&given.head))
}
