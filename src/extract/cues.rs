//! The words attribution reads: speech verbs in every tense, stance verbs, titles and roles,
//! demonyms, organisation heads, mention markers, and the function words that end a name.
//!
//! The lists themselves are data ([`super::lexicon`], one text file each); this module holds
//! the rules that read them (inflections, demonym endings, occupation endings). No knowledge of
//! documents.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use super::lexicon::{self as lex, lower, with_lower};

fn inflections(base: &str) -> [String; 4] {
    let s_form = if base.ends_with(['s', 'x', 'z']) || base.ends_with("sh") || base.ends_with("ch")
    {
        format!("{base}es")
    } else if base.ends_with('y') && !base.ends_with("ay") && !base.ends_with("ey") {
        format!("{}ies", &base[..base.len() - 1])
    } else {
        format!("{base}s")
    };
    let past = if base.ends_with('e') {
        format!("{base}d")
    } else if base.ends_with('y') && !base.ends_with("ay") && !base.ends_with("ey") {
        format!("{}ied", &base[..base.len() - 1])
    } else {
        format!("{base}ed")
    };
    let ing = if base.ends_with('e') && !base.ends_with("ee") {
        format!("{}ing", &base[..base.len() - 1])
    } else {
        format!("{base}ing")
    };
    [base.to_string(), s_form, past, ing]
}

/// The base form of a speech (or stance) verb form, e.g. "said" -> "say", "labelled" ->
/// "label", "characterizing" -> "characterize". The verbs are `lexicon/speech_verbs.txt` and
/// `lexicon/stance_verbs.txt`; their irregular forms are listed there too.
pub fn speech_verb(word: &str) -> Option<&'static str> {
    // Every form, built once: this runs for most tokens of every document.
    static FORMS: OnceLock<HashMap<String, &'static str, std::hash::BuildHasherDefault<lex::Fnv>>> =
        OnceLock::new();
    let forms = FORMS.get_or_init(|| {
        let mut m = HashMap::default();
        let lists = [&lex::SPEECH_VERBS, &lex::STANCE_VERBS];
        for (base, _) in lists.iter().flat_map(|l| l.entries()) {
            for f in inflections(base) {
                m.entry(f).or_insert(base);
            }
        }
        for (base, irregular) in lists.iter().flat_map(|l| l.entries()) {
            for f in irregular.split_whitespace() {
                m.insert(f.to_string(), base);
            }
        }
        m
    });
    if word.len() > 16 || !word.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    with_lower(word, |l| forms.get(l).copied())
}

/// A phrasal speech verb at `word` followed by `next` ("fired" "back", "chimed" "in"): its
/// entry in `lexicon/phrasal_speech_verbs.txt` ("fire back").
pub fn phrasal_speech_verb(word: &str, next: &str) -> Option<&'static str> {
    // Every form, with the particles and entries it takes, built once.
    type Forms =
        HashMap<String, Vec<(&'static str, &'static str)>, std::hash::BuildHasherDefault<lex::Fnv>>;
    static FORMS: OnceLock<Forms> = OnceLock::new();
    let forms = FORMS.get_or_init(|| {
        let mut m: Forms = HashMap::default();
        for (entry, irregular) in lex::PHRASAL_SPEECH_VERBS.entries() {
            let Some((base, particle)) = entry.split_once(' ') else {
                continue;
            };
            let regular = inflections(base);
            for f in regular
                .iter()
                .map(String::as_str)
                .chain(irregular.split_whitespace())
            {
                m.entry(f.to_string()).or_default().push((particle, entry));
            }
        }
        m
    });
    if word.len() > 16 || next.len() > 6 || !next.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let pairs = with_lower(word, |w| forms.get(w))?;
    with_lower(next, |n| {
        pairs
            .iter()
            .find(|(particle, _)| *particle == n)
            .map(|&(_, entry)| entry)
    })
}

/// The base form of a speech verb written in an inflected form ("said", "says", "stated"), not
/// its base form: a base form in copy is mostly a noun ("secretary of state", "state
/// director", "senior adviser") or a plural's verb, and none of them opens a new cue.
pub fn inflected_speech_verb(word: &str) -> Option<&'static str> {
    speech_verb(word).filter(|base| !word.eq_ignore_ascii_case(base))
}

/// Whether a verb base reports a position rather than words ("believe", "want").
pub fn is_stance(base: &str) -> bool {
    lex::STANCE_VERBS.contains_exact(base)
}

/// Nouns for what someone said: "Feld's answer was: “…”" gives Feld.
pub fn is_utterance_noun(word: &str) -> bool {
    lex::UTTERANCE_NOUNS.contains(word)
}

/// Nouns that carry a cue like a verb: "X holds a firm belief that … “Q”", "in a statement".
pub fn is_cue_noun(word: &str) -> bool {
    lex::CUE_NOUNS.contains(word)
}

/// Whether a speech-verb form is a present participle ("saying", "calling").
pub fn is_participle(word: &str) -> bool {
    lower(word).ends_with("ing")
}

/// Auxiliaries and adverbs that may stand between a subject and its verb.
pub fn is_aux_or_adverb(word: &str) -> bool {
    let w = lower(word);
    lex::AUXILIARIES.contains_exact(&w) || (w.len() > 4 && w.ends_with("ly"))
}

/// Title and role words: they may precede a name ("President", "Foreign Minister") or stand
/// for a person ("the mayor").
pub fn is_title_word(word: &str) -> bool {
    lex::TITLES.contains(word)
}

/// The title an abbreviation stands for ("Gov." -> "governor", "PM" -> "prime minister").
pub fn title_abbreviation(word: &str) -> Option<&'static str> {
    lex::TITLE_ABBREVIATIONS.fields(word.trim_end_matches('.'))
}

/// Title words that can head a role description ("the mayor", "the foreign minister").
pub fn is_role_head(word: &str) -> bool {
    lex::ROLE_HEADS.contains(word)
}

/// Title words that only modify a head ("Foreign", "Prime", "Deputy"): part of the role.
pub fn is_role_modifier(word: &str) -> bool {
    is_title_word(word) && !is_role_head(word)
}

/// Gender a title shows: `Some(true)` male, `Some(false)` female.
pub fn title_gender(word: &str) -> Option<bool> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if lex::MALE_TITLES.contains_exact(w) {
        Some(true)
    } else if lex::FEMALE_TITLES.contains_exact(w) {
        Some(false)
    } else {
        None
    }
}

/// The gender a word for a person shows, title or not ("wife", "Mrs", "woman", "actor"):
/// `Some(true)` male.
pub fn noun_gender(word: &str) -> Option<bool> {
    title_gender(word).or_else(|| {
        lex::GENDERED_NOUNS
            .fields(word)
            .map(|gender| gender == "male")
    })
}

/// Someone who speaks for a body ("spokesman", "official"): "a spokesman for the ministry
/// said" gives the ministry.
pub fn is_spokesperson(word: &str) -> bool {
    lex::SPOKESPEOPLE.contains(word)
}

/// A party word that modifies a title or role like a nationality ("Republican", "Democratic
/// Sen.", "Labour leader").
pub fn is_party_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && lex::PARTIES.contains(word)
}

/// A party word that names a member of the party, singular or plural ("Republican",
/// "Democrats", `lexicon/party_members.txt`).
pub fn is_party_member(word: &str) -> bool {
    is_party_word(word) && lex::PARTY_MEMBERS.contains(word.strip_suffix('s').unwrap_or(word))
}

/// A group written as a plural demonym or party word ("Americans", "Democrats",
/// "Republicans"): people, but nobody named.
pub fn is_group_plural(word: &str) -> bool {
    word.strip_suffix('s')
        .is_some_and(|stem| is_demonym(stem) || is_party_word(stem))
}

/// Whether a title is an honorific ("Mr", "Ms."): a gender, not a role.
pub fn is_honorific(title: &str) -> bool {
    lex::HONORIFICS.contains(title.trim_end_matches('.'))
}

/// A capitalised word naming a nationality or an all-caps country code ("Iranian", "Israeli",
/// "US", "U.S.", "EU").
pub fn is_demonym(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    if !w.is_empty() && !w.chars().any(char::is_lowercase) && lex::COUNTRY_CODES.contains(w) {
        return true;
    }
    if !w.chars().next().is_some_and(|c| c.is_uppercase()) || w.len() < 5 {
        return false;
    }
    with_lower(w, |l| {
        (lex::DEMONYM_SUFFIXES.ends(l) && !lex::NOT_DEMONYMS.contains_exact(l))
            || lex::NATIONALITIES.contains_exact(l)
    }) && !is_org_head(w)
}

/// The country a nationality word or possessive place points to, normalised for comparison
/// ("Iranian" / "Iran" -> "iran", "US" / "U.S." / "American" -> "us").
pub fn nation_key(word: &str) -> String {
    let l = word.to_lowercase().replace('.', "");
    match l.as_str() {
        "us" | "american" | "america" | "washington" => return "us".into(),
        "uk" | "british" | "britain" => return "uk".into(),
        "israeli" => return "israel".into(),
        _ => {}
    }
    for e in ["ian", "ean", "ese", "ish", "an"] {
        if l.len() > e.len() + 3 && l.ends_with(e) {
            return l[..l.len() - e.len()].to_string();
        }
    }
    l
}

/// Whether two nation keys name the same country ("iran" / "iranian" stem, "syri" / "syria").
pub fn same_nation(a: &str, b: &str) -> bool {
    let n = a.len().min(b.len());
    n >= 2 && (a == b || (n >= 4 && a[..n] == b[..n]))
}

/// A role head whose holder leads a country or government ("president", "prime minister"):
/// "the U.S. leader" can stand for them.
pub fn leads_nation(head: &str) -> bool {
    lex::LEADER_ROLES.contains_exact(head)
}

/// Words that make a capitalised sequence an organisation.
pub fn is_org_head(word: &str) -> bool {
    lex::ORG_HEADS.contains(word)
}

/// Words that make a capitalised sequence a place, event or thing rather than a person.
pub fn is_thing_word(word: &str) -> bool {
    lex::THING_WORDS.contains(word)
}

/// Words of place names ("new", "hampshire", "iowa"): a sequence made only of them is a place.
pub fn is_place_word(word: &str) -> bool {
    lex::PLACES.contains(word)
}

/// Generational suffixes after a personal name ("Jr", "Sr", "III"), without the dot.
pub fn is_name_suffix(word: &str) -> bool {
    lex::NAME_SUFFIXES.contains(word)
}

/// Lowercase particles inside personal names ("bin", "van", "de", "al-").
pub fn is_name_particle(word: &str) -> bool {
    lex::NAME_PARTICLES.contains_exact(word)
}

/// Function words that connect the parts of an organisation's name ("Institute for …").
pub fn is_org_connector(word: &str) -> bool {
    lex::ORG_CONNECTORS.contains_exact(word)
}

/// Capitalised words that start sentences without being names.
/// Function words, pronouns and sentence adverbs (`lexicon/function_words.txt`).
pub fn is_function_word(word: &str) -> bool {
    lex::FUNCTION_WORDS.contains(word)
}

pub fn is_common_capitalised(word: &str) -> bool {
    lex::FUNCTION_WORDS.contains(word) || is_calendar_word(word)
}

/// The days of the week, lower case (`lexicon/days.txt`).
pub static DAYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| lex::DAYS.words().collect());

/// The months, lower case, January first (`lexicon/months.txt`, by their numbers).
pub static MONTHS: LazyLock<[&'static str; 12]> = LazyLock::new(|| {
    let mut months = [""; 12];
    for (month, number) in lex::MONTHS.entries() {
        if let Some(slot) = number
            .parse::<usize>()
            .ok()
            .and_then(|n| months.get_mut(n.wrapping_sub(1)))
        {
            *slot = month;
        }
    }
    months
});

/// A word of a span of time before "ago" ("less than two weeks ago"): digits or
/// `lexicon/time_spans.txt`.
pub fn is_time_span_word(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit()) || lex::TIME_SPANS.contains(word)
}

/// Days and months: capitalised but never names of speakers.
pub fn is_calendar_word(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    lex::DAYS.contains(word) || lex::MONTHS.contains(word)
}

/// [`is_calendar_word`] of token `i` of `words`, from the lookup made when the words were built
/// (a token ending in a dot, an abbreviation, is asked as it is).
pub fn is_calendar_token(words: &crate::extract::words::Words, i: usize) -> bool {
    let s = words.str(i);
    if s.ends_with('.') {
        return is_calendar_word(s);
    }
    words.in_list(i, &lex::DAYS) || words.in_list(i, &lex::MONTHS)
}

/// A word naming an occupation or role: a title word, or a noun like "hydrologist",
/// "operator", "negotiator", "candidate".
pub fn is_occupation(word: &str) -> bool {
    let l = lower(word);
    if is_title_word(&l) || lex::OCCUPATIONS.contains_exact(&l) {
        return true;
    }
    l.len() >= 6
        && l.chars().all(|c| c.is_alphabetic() || c == '-')
        && lex::OCCUPATION_SUFFIXES.ends(&l)
        && !is_common_capitalised(&l)
        && !lex::NOT_OCCUPATIONS.contains_exact(&l)
}

/// Prepositions: a name right after one is not the subject of its clause.
pub fn is_preposition(word: &str) -> bool {
    lex::PREPOSITIONS.contains(word)
}

/// Participles that name something right before a quoted span: "dubbed “…”", "so-called".
pub fn is_naming_participle(word: &str) -> bool {
    lex::NAMING_PARTICIPLES.contains(word)
}

/// Nouns that, after a determiner and right before a quoted span, make it the name of
/// something, not speech ("the show “…”", "the term “…”").
pub fn is_mention_marker(word: &str) -> bool {
    lex::MENTION_MARKERS.contains(word)
}

/// Nouns for a person's office that speaks for them ("Netanyahu’s office said").
pub fn is_speaking_body(word: &str) -> bool {
    lex::SPEAKING_BODIES.contains(word)
}

/// A word that pairs with "and" inside a public service's name: "Fire and Rescue".
pub fn is_department_word(word: &str) -> bool {
    lex::DEPARTMENT_WORDS.contains(word)
}

/// A verb form that takes a speech verb after "to": "tried to reassure", "went on to say".
pub fn is_catenative(word: &str) -> bool {
    lex::CATENATIVES.contains(word)
}

/// A form of "take", as in "took to social media to say".
pub fn is_take(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "take" | "takes" | "took" | "taken" | "taking"
    )
}

/// A noun that stands for a company or body named earlier: "the company said".
pub fn is_company_noun(word: &str) -> bool {
    lex::COMPANY_NOUNS.contains(word)
}

/// Small words that may stay lowercase inside a title-case work title ("Lord of the Rings").
pub fn is_title_case_filler(word: &str) -> bool {
    lex::TITLE_CASE_FILLERS.contains_exact(word)
}

/// Words that open a leading clause whose pronoun refers forward ("Asked whether he …,").
pub fn is_clause_opener(word: &str) -> bool {
    lex::CLAUSE_OPENERS.contains(word)
}

/// Subordinating conjunctions: "while", "if", "because" open a clause that is not the main one.
pub fn is_subordinator(word: &str) -> bool {
    lex::SUBORDINATORS.contains(word)
}

/// Abbreviations whose full stop ends no sentence ("Mr.", "Gen.").
pub fn is_abbreviation(word: &str) -> bool {
    lex::ABBREVIATIONS.contains(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_verbs_in_all_tenses() {
        for (form, base) in [
            ("said", "say"),
            ("says", "say"),
            ("saying", "say"),
            ("labelled", "label"),
            ("labeled", "label"),
            ("characterized", "characterize"),
            ("characterising", "characterise"),
            ("denies", "deny"),
            ("described", "describe"),
            ("tweeted", "tweet"),
            ("urged", "urge"),
            ("told", "tell"),
            ("wrote", "write"),
        ] {
            assert_eq!(speech_verb(form), Some(base), "{form}");
        }
        assert_eq!(speech_verb("talks"), None);
        assert_eq!(speech_verb("travel"), None);
    }

    #[test]
    fn nations_compare_across_forms() {
        assert!(same_nation(&nation_key("Iranian"), &nation_key("Iran")));
        assert!(same_nation(&nation_key("U.S."), &nation_key("US")));
        assert!(!same_nation(&nation_key("Iran"), &nation_key("US")));
        assert!(same_nation(&nation_key("Israeli"), &nation_key("Israel")));
    }
}
