//! What the text says of a person besides titles and roles — age, nationality, party and home
//! place — and pass 6b of name finding: descriptions made of those ("the 52-year-old
//! Norwegian", "the Wisconsin Republican", "the 52-year-old") bound to the one person they fit.
//!
//! A trait is only ever read next to the name: before it ("Norwegian skipper Tobias Brandt",
//! "52-year-old Ada Lowe", "Republican Sen. Mark Ellery") or right after it ("Tobias Brandt,
//! 52, of Bergen, Norway,", "Mark Ellery, a Wisconsin Republican,", "Sen. Ron Vale (R-Wis.)").
//! A description fits a person only when the text gave them every trait it names; among those,
//! the person named last is chosen.

use super::{Entity, NameTable};
use crate::document::NameKind;
use crate::extract::cues;
use crate::extract::lexicon as lex;
use crate::extract::words::Words;

/// Traits of one person, as the text gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Traits {
    pub age: Option<u32>,
    /// Nation keys ([`cues::nation_key`]).
    pub nations: Vec<String>,
    /// Party keys ([`party_key`]).
    pub parties: Vec<String>,
    /// Words of the places the person is from or represents, lower case.
    pub places: Vec<String>,
}

impl Traits {
    fn add_nation(&mut self, word: &str) {
        let key = nation_of(word);
        if !self.nations.contains(&key) {
            self.nations.push(key);
        }
    }

    fn add_party(&mut self, word: &str) {
        let key = party_key(word);
        if !self.parties.contains(&key) {
            self.parties.push(key);
        }
    }

    fn add_place(&mut self, place: &str) {
        for w in place.split_whitespace() {
            let w = w.to_lowercase();
            if !self.places.contains(&w) {
                self.places.push(w);
            }
        }
    }
}

/// The nation a nationality word or country name points to, with the nationalities whose
/// country no shared prefix shows ("Norwegian" -> "norway", `lexicon/demonym_countries.txt`).
pub(super) fn nation_of(word: &str) -> String {
    let w = word.trim_end_matches('.');
    match lex::DEMONYM_COUNTRIES.fields(w) {
        Some(country) => cues::nation_key(country),
        None => cues::nation_key(w),
    }
}

/// A nationality word, adjective or noun ("Norwegian", "Dane", "U.S.").
fn is_nationality(word: &str) -> bool {
    cues::is_demonym(word)
        || (word.starts_with(char::is_uppercase) && lex::DEMONYM_COUNTRIES.contains(word))
}

/// A party word as a comparable key: "Democratic" and "Democrats" are "democrat".
fn party_key(word: &str) -> String {
    let l = word.to_lowercase();
    let l = l.strip_suffix('s').unwrap_or(&l);
    match l {
        "democratic" => "democrat".into(),
        other => other.into(),
    }
}

/// The age a bare number states ("52" in "Tobias Brandt, 52,"), if plausible.
fn age_of(digits: &str) -> Option<u32> {
    if digits.is_empty() || digits.len() > 3 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&a| (1..=120).contains(&a))
}

/// The age an age word states ("52-year-old"), if plausible.
fn age_word(word: &str) -> Option<u32> {
    word.strip_suffix("-year-old").and_then(age_of)
}

/// A party-and-state tag ("R-Wis.", "D-NY"): the party and the state's words.
fn party_state_tag(word: &str) -> Option<(&'static str, &'static str)> {
    let (party, state) = word.trim_end_matches('.').split_once('-')?;
    let party = match party {
        "R" => "republican",
        "D" => "democrat",
        "I" => "independent",
        _ => return None,
    };
    Some((party, lex::STATE_ABBREVIATIONS.fields(state)?))
}

impl NameTable {
    /// The traits written next to a person's mention: `first` is its first token (title
    /// included), `name` the first token of the name proper, `last` its last token.
    pub(super) fn record_traits(
        &mut self,
        words: &Words,
        entity: usize,
        first: usize,
        name: usize,
        last: usize,
    ) {
        let mut traits = std::mem::take(&mut self.entities[entity].traits);
        traits_before(words, first, name, &mut traits);
        traits_after(words, last, &mut traits);
        self.entities[entity].traits = traits;
    }
}

/// Whether token `t` is a word outside quotes in sentence `sentence`.
fn plain(words: &Words, t: usize, sentence: usize) -> bool {
    t < words.tokens.len()
        && words.tokens[t].sentence == sentence
        && words.tokens[t].quote.is_none()
        && words.is_word(t)
}

/// "Norwegian skipper Tobias Brandt", "52-year-old Ada Lowe", "Wisconsin Republican Sen. Mark
/// Ellery": the words before the name, back to the first that is none of an age, a
/// nationality, a party, a role word or a place before a party or nationality.
fn traits_before(words: &Words, first: usize, name: usize, traits: &mut Traits) {
    let sentence = words.tokens[name].sentence;
    let mut t = name;
    // "The Danish skipper, Lars Holm": a role set off by a comma before the name.
    if first == name
        && name >= 2
        && words.str(name - 1) == ","
        && plain(words, name - 2, sentence)
        && !words.is_capitalised(name - 2)
        && cues::is_occupation(words.str(name - 2))
    {
        t = name - 1;
    }
    let mut steps = 0;
    while t > 0 && steps < 6 {
        let p = t - 1;
        if !plain(words, p, sentence) {
            break;
        }
        let s = words.str(p);
        let in_title = p >= first;
        if let Some(age) = age_word(s) {
            traits.age = Some(age);
        } else if cues::is_party_word(s) {
            traits.add_party(s);
        } else if is_nationality(s) {
            traits.add_nation(s);
        } else if words.is_capitalised(p)
            && !words.is_sentence_initial(p)
            && p + 1 < name
            && (cues::is_party_word(words.str(p + 1)) || is_nationality(words.str(p + 1)))
        {
            traits.add_place(s);
        } else if !(in_title || !words.is_capitalised(p) && cues::is_occupation(s)) {
            break;
        }
        t = p;
        steps += 1;
    }
}

/// "Tobias Brandt, 52, of Bergen, Norway,", "Mark Ellery, a Wisconsin Republican,", "Ron Vale
/// (R-Wis.)", "Ada Lowe (52)": the words right after the name.
fn traits_after(words: &Words, last: usize, traits: &mut Traits) {
    let sentence = words.tokens[last].sentence;
    let n = words.tokens.len();
    let same = |t: usize| t < n && words.tokens[t].sentence == sentence;
    let mut k = last + 1;
    // "Ada Lowe (left), 52": a place in a picture is no trait.
    if same(k + 2)
        && words.str(k) == "("
        && plain(words, k + 1, sentence)
        && !words.is_capitalised(k + 1)
        && words.str(k + 2) == ")"
    {
        k += 3;
    }
    // "(R-Wis.)", "(52)".
    if same(k) && words.str(k) == "(" && plain(words, k + 1, sentence) {
        let inner = words.str(k + 1);
        if let Some((party, state)) = party_state_tag(inner) {
            traits.add_party(party);
            traits.add_place(state);
        } else if let Some(age) = age_of(inner).or_else(|| age_word(inner)) {
            traits.age = Some(age);
        }
        return;
    }
    if !(same(k) && words.str(k) == ",") {
        return;
    }
    k += 1;
    // ", 52,".
    if plain(words, k, sentence)
        && let Some(age) = age_of(words.str(k)).or_else(|| age_word(words.str(k)))
        && same(k + 1)
        && matches!(words.str(k + 1), "," | "." | ";")
    {
        traits.age = Some(age);
        k += 2;
    }
    // ", of Bergen, Norway,": every capitalised word a place; the last may be a country.
    if plain(words, k, sentence) && words.lower(k) == "of" {
        let mut t = k + 1;
        let mut last_place = None;
        while plain(words, t, sentence) && words.is_capitalised(t) {
            traits.add_place(words.str(t));
            last_place = Some(t);
            t += 1;
            if same(t) && words.str(t) == "," && plain(words, t + 1, sentence) {
                if !words.is_capitalised(t + 1) {
                    break;
                }
                t += 1;
            }
        }
        if let Some(p) = last_place {
            traits.add_nation(words.str(p));
        }
        return;
    }
    // ", a Wisconsin Republican", ", a 52-year-old Norwegian sailor".
    if !(plain(words, k, sentence) && matches!(words.lower(k).as_ref(), "a" | "an" | "the")) {
        return;
    }
    let mut places: Vec<&str> = Vec::new();
    for t in k + 1..(k + 6).min(n) {
        if !plain(words, t, sentence) {
            break;
        }
        let s = words.str(t);
        if let Some(age) = age_word(s) {
            traits.age = Some(age);
        } else if cues::is_party_word(s) {
            traits.add_party(s);
            places.drain(..).for_each(|p| traits.add_place(p));
        } else if is_nationality(s) {
            traits.add_nation(s);
            places.drain(..).for_each(|p| traits.add_place(p));
        } else if words.is_capitalised(t) {
            places.push(s);
        } else if s == "from" && plain(words, t + 1, sentence) && words.is_capitalised(t + 1) {
            traits.add_place(words.str(t + 1));
            break;
        } else if !cues::is_occupation(s) && !super::is_role_noun(s) {
            break;
        }
    }
}

/// A description of traits at token `i` ("the"): its head token and the traits it names.
fn description_at(words: &Words, i: usize) -> Option<(usize, Traits)> {
    let sentence = words.tokens[i].sentence;
    let mut d = Traits::default();
    let mut t = i + 1;
    let mut head = None;
    if plain(words, t, sentence)
        && let Some(age) = age_word(words.str(t))
    {
        d.age = Some(age);
        head = Some(t);
        t += 1;
    }
    let mut places: Vec<&str> = Vec::new();
    while plain(words, t, sentence) && words.is_capitalised(t) && places.len() < 3 {
        let s = words.str(t);
        // "the Wisconsin Republican", not "the Republicans".
        if cues::is_party_word(s) {
            if !cues::is_party_member(s) || s.ends_with('s') {
                return None;
            }
            d.add_party(s);
            head = Some(t);
            t += 1;
            break;
        }
        if is_nationality(s) {
            d.add_nation(s);
            head = Some(t);
            t += 1;
            break;
        }
        places.push(s);
        t += 1;
    }
    let mut head = head?;
    if !places.is_empty() && d.nations.is_empty() && d.parties.is_empty() {
        return None;
    }
    places.iter().for_each(|p| d.add_place(p));
    if plain(words, t, sentence) && !words.is_capitalised(t) && cues::is_occupation(words.str(t)) {
        // "the 52-year-old skipper": the age describes the holder of the role.
        // "the Norwegian skipper", "the U.S. leader": a role, which pass 6 binds.
        if !(d.nations.is_empty() && d.parties.is_empty()) {
            return None;
        }
        head = t;
        t += 1;
    }
    // The description is the subject of what follows ("the Norwegian said", "the Wisconsin
    // Republican, who …"), not a modifier of a noun ("the Democratic debate") or a title of the
    // name after it ("the Norwegian Tobias Brandt").
    if t < words.tokens.len() && words.tokens[t].sentence == sentence && words.is_word(t) {
        let s = words.str(t);
        let verb_like = !words.is_capitalised(t)
            && (cues::speech_verb(s).is_some()
                || cues::is_aux_or_adverb(s)
                || s.ends_with("ed")
                || s == "who");
        if !verb_like {
            return None;
        }
    }
    Some((head, d))
}

/// Whether a person fits a description naming `described`: the text gave them every trait
/// it names (a place may come with one of their roles: "Kelby Sen. Ada Lowe").
fn fits(described: &Traits, person: &Entity) -> bool {
    let given = &person.traits;
    person.kind == NameKind::Person
        && described.age.is_none_or(|a| given.age == Some(a))
        && described
            .nations
            .iter()
            .all(|a| given.nations.iter().any(|b| cues::same_nation(a, b)))
        && described.parties.iter().all(|p| given.parties.contains(p))
        && described.places.iter().all(|p| {
            given.places.contains(p) || person.roles.iter().any(|r| r.places().contains(p))
        })
}

impl NameTable {
    /// Pass 6b: descriptions by age, nationality, party and place ("the 52-year-old
    /// Norwegian", "the Wisconsin Republican") bound to the person named last whom the text
    /// gave every trait the description names. Tokens pass 6 bound stay as they are.
    pub(super) fn find_descriptions(&mut self, words: &Words, headline: &[bool]) {
        let mut last_seen: Vec<Option<usize>> = vec![None; self.entities.len()];
        let mut next_mention = 0;
        for i in 0..words.tokens.len() {
            while next_mention < self.mentions.len() && self.mentions[next_mention].first_tok <= i {
                let m = &self.mentions[next_mention];
                last_seen[m.entity] = Some(m.last_tok);
                next_mention += 1;
            }
            let tok = words.tokens[i];
            if tok.quote.is_some()
                || headline[tok.paragraph]
                || !words.is_word(i)
                || words.lower(i) != "the"
            {
                continue;
            }
            let Some((head, described)) = description_at(words, i) else {
                continue;
            };
            // A place may be named ("the Wisconsin Republican"); a person or body may not.
            let named = |t: usize| {
                self.by_token[t].is_some_and(|m| {
                    let kind = self.entities[self.mentions[m].entity].kind;
                    matches!(kind, NameKind::Person | NameKind::Organisation)
                })
            };
            if (i..=head).any(|t| self.roles[t].is_some() || named(t)) {
                continue;
            }
            let chosen = (0..self.entities.len())
                .filter(|&e| last_seen[e].is_some() && fits(&described, &self.entities[e]))
                .max_by_key(|&e| last_seen[e]);
            if let Some(e) = chosen {
                self.roles[head] = Some((i, e));
                // "Wisconsin Republican" is then a description, no name of a place or thing.
                for t in i..=head {
                    self.by_token[t] = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nationalities_reach_their_country() {
        assert_eq!(nation_of("Norwegian"), nation_of("Norway"));
        assert!(cues::same_nation(
            &nation_of("German"),
            &nation_of("Germany")
        ));
        assert!(!cues::same_nation(
            &nation_of("Danish"),
            &nation_of("Norway")
        ));
    }

    #[test]
    fn party_state_tags_read_both_styles() {
        assert_eq!(party_state_tag("R-Wis."), Some(("republican", "wisconsin")));
        assert_eq!(party_state_tag("D-NY"), Some(("democrat", "new york")));
        assert_eq!(party_state_tag("X-Wis."), None);
        assert_eq!(party_state_tag("R-Zz"), None);
    }

    #[test]
    fn ages_are_plausible_numbers() {
        assert_eq!(age_word("52-year-old"), Some(52));
        assert_eq!(age_word("52"), None);
        assert_eq!(age_of("52"), Some(52));
        assert_eq!(age_of("2026"), None);
        assert_eq!(age_of("0"), None);
    }
}
