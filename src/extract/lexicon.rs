//! The word lists attribution and name finding read, as data: one text file per list under
//! `src/extract/lexicon/`, compiled in with `include_str!` and loaded into one type,
//! [`WordSet`].
//!
//! File format: one entry a line, lower case, sorted, no duplicates (a test checks all three);
//! lines starting with `#` are comments. An entry may carry fields after a colon
//! (`say: said` gives the irregular forms of a verb, `april: 4` a month's number). Adding a
//! speech verb or a title means adding a line to a file, nothing else.
//!
//! Pure data and lookups; no knowledge of documents. [`super::cues`] holds the rules that read
//! these lists (inflections, demonym endings).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a: lexicon lookups hash short words many times per document; SipHash's protection
/// against crafted keys buys nothing for a fixed word list.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hash map keyed by short words, hashed with [`Fnv`].
pub type WordMap<V> = HashMap<&'static str, V, BuildHasherDefault<Fnv>>;

/// A set of short words, hashed with [`Fnv`] (sets a document's passes ask of most of its
/// words).
pub type FnvSet<T> = HashSet<T, BuildHasherDefault<Fnv>>;

/// A hash map keyed by short words or small values, hashed with [`Fnv`] (maps built and asked
/// once per document or story, never iterated where the order would show).
pub type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// `word` in lower case, without allocating when it already is.
pub fn lower(word: &str) -> Cow<'_, str> {
    if word.chars().any(char::is_uppercase) {
        Cow::Owned(word.to_lowercase())
    } else {
        Cow::Borrowed(word)
    }
}

/// Calls `f` with `word` in lower case; an ASCII word without capitals is passed as it is,
/// other short ASCII words are lowered on the stack.
pub fn with_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if word.is_ascii() {
        with_ascii_lower(word, f)
    } else {
        f(lower(word).as_ref())
    }
}

/// [`with_lower`] for a word known to be ASCII.
fn with_ascii_lower<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let bytes = word.as_bytes();
    if !bytes.iter().any(u8::is_ascii_uppercase) {
        return f(word);
    }
    let mut buf = [0u8; 32];
    if let Some(lowered) = buf.get_mut(..bytes.len()) {
        for (d, s) in lowered.iter_mut().zip(bytes) {
            *d = s.to_ascii_lowercase();
        }
        // ASCII stays ASCII.
        if let Ok(l) = std::str::from_utf8(lowered) {
            return f(l);
        }
    }
    f(&word.to_ascii_lowercase())
}

/// One word list: its entries and, per entry, the fields after its colon.
pub struct WordSet {
    /// The file's name without `.txt`, for messages.
    pub name: &'static str,
    source: &'static str,
    map: OnceLock<Index>,
}

/// A list's entries by word, with a filter that turns most ASCII words away before they are
/// lowered and hashed: most words looked up in a list are not in it.
struct Index {
    /// The list's bit in [`Memberships`] (its place in [`ALL`]).
    bit: u64,
    map: WordMap<&'static str>,
    /// The entries, for [`WordSet::ends`] (which would otherwise read the file again).
    entries: Vec<&'static str>,
    /// A one-probe Bloom filter of the entries: bit [`Index::slot`] of each entry is set.
    filter: [u64; FILTER_BITS / 64],
}

/// A word's bit in a filter of `bits` bits (a power of two), from its length and its first,
/// second and last bytes, each passed through `case` first.
fn slot_of(bytes: &[u8], case: impl Fn(u8) -> u8, bits: usize) -> usize {
    let at = |i: usize| bytes.get(i).copied().map_or(0, &case);
    let key = (bytes.len() as u32 & 0xff)
        | u32::from(at(0)) << 8
        | u32::from(at(1)) << 16
        | u32::from(at(bytes.len().wrapping_sub(1))) << 24;
    (key.wrapping_mul(0x9e37_79b1) >> (32 - bits.trailing_zeros())) as usize
}

/// The bits of [`Index`]'s filter (512 bytes a list; a list of 300 entries lets about 7% of
/// the words it does not hold through).
const FILTER_BITS: usize = 4096;

impl Index {
    fn new(entries: impl Iterator<Item = (&'static str, &'static str)>, bit: u64) -> Index {
        let map: WordMap<&'static str> = entries.collect();
        let mut filter = [0u64; FILTER_BITS / 64];
        for entry in map.keys() {
            let slot = Index::slot(entry.as_bytes(), |b| b);
            filter[slot / 64] |= 1 << (slot % 64);
        }
        let entries = map.keys().copied().collect();
        Index {
            bit,
            map,
            entries,
            filter,
        }
    }

    /// The filter's bit for a word of these bytes, each passed through `case` first.
    fn slot(bytes: &[u8], case: impl Fn(u8) -> u8) -> usize {
        slot_of(bytes, case, FILTER_BITS)
    }

    fn may_hold(&self, slot: usize) -> bool {
        self.filter[slot / 64] & (1 << (slot % 64)) != 0
    }

    /// The fields of `word`'s entry, `word` lower-cased.
    fn get_lower(&self, word: &str) -> Option<&'static str> {
        // ASCII lower-casing keeps the bytes' places; other words may move them, so they skip
        // the filter.
        if !word.is_ascii() {
            return self.map.get(lower(word).as_ref()).copied();
        }
        if !self.may_hold(Index::slot(word.as_bytes(), |b| b.to_ascii_lowercase())) {
            return None;
        }
        with_ascii_lower(word, |l| self.map.get(l).copied())
    }

    /// The fields of `word`'s entry, `word` as given.
    fn get_exact(&self, word: &str) -> Option<&'static str> {
        if !self.may_hold(Index::slot(word.as_bytes(), |b| b)) {
            return None;
        }
        self.map.get(word).copied()
    }
}

impl WordSet {
    pub const fn new(name: &'static str, source: &'static str) -> WordSet {
        WordSet {
            name,
            source,
            map: OnceLock::new(),
        }
    }

    /// The entry lines of the file (comments and blank lines left out), in file order, each as
    /// (entry, fields after the colon).
    pub fn entries(&self) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.source
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.split_once(':') {
                Some((entry, fields)) if !entry.is_empty() => (entry.trim(), fields.trim()),
                _ => (l, ""),
            })
    }

    fn index(&self) -> &Index {
        self.map.get_or_init(|| {
            let place = ALL.iter().position(|list| std::ptr::eq(*list, self));
            Index::new(self.entries(), place.map_or(0, |p| 1 << p))
        })
    }

    /// This list's bit in what [`memberships`] answers.
    pub fn bit(&self) -> u64 {
        self.index().bit
    }

    /// Whether `word`, lower-cased, is an entry.
    pub fn contains(&self, word: &str) -> bool {
        self.index().get_lower(word).is_some()
    }

    /// Whether `word`, exactly as given, is an entry (lists matched as written: "de" is a name
    /// particle, "De" is not).
    pub fn contains_exact(&self, word: &str) -> bool {
        self.index().get_exact(word).is_some()
    }

    /// The fields after the colon of `word`'s entry (lower-cased), if it is an entry.
    pub fn fields(&self, word: &str) -> Option<&'static str> {
        self.index().get_lower(word)
    }

    /// The entries, in file order.
    pub fn words(&self) -> impl Iterator<Item = &'static str> {
        self.entries().map(|(w, _)| w)
    }

    /// Whether `word` (lower case) ends with one of the entries.
    pub fn ends(&self, word: &str) -> bool {
        self.index().entries.iter().any(|e| word.ends_with(e))
    }
}

/// Every list's entries in one map: for an entry, the bits ([`WordSet::bit`]) of the lists that
/// hold it. A document's passes ask a dozen lists of most of its words; `Words` asks this once
/// per token instead (see [`memberships`]).
struct Memberships {
    map: WordMap<u64>,
    /// A one-probe Bloom filter of every entry, as [`Index`]'s (four times its size: it holds
    /// every list).
    filter: [u64; 4 * FILTER_BITS / 64],
}

/// The bits of the lists (of [`ALL`]) that hold `lower`, a word already in lower case (as
/// `str::to_lowercase` or ASCII lower-casing gives it): `list.contains(word)` is
/// `memberships(lower) & list.bit() != 0` for every list.
pub fn memberships(lower: &str) -> u64 {
    static ALL_LISTS: OnceLock<Memberships> = OnceLock::new();
    let lists = ALL_LISTS.get_or_init(|| {
        let mut map: WordMap<u64> = WordMap::default();
        let mut filter = [0u64; 4 * FILTER_BITS / 64];
        for list in ALL {
            for entry in list.words() {
                *map.entry(entry).or_default() |= list.bit();
                let slot = Memberships::slot(entry.as_bytes());
                filter[slot / 64] |= 1 << (slot % 64);
            }
        }
        Memberships { map, filter }
    });
    let slot = Memberships::slot(lower.as_bytes());
    if lists.filter[slot / 64] & (1 << (slot % 64)) == 0 {
        return 0;
    }
    lists.map.get(lower).copied().unwrap_or(0)
}

impl Memberships {
    fn slot(bytes: &[u8]) -> usize {
        slot_of(bytes, |b| b, 4 * FILTER_BITS)
    }
}

macro_rules! lexicon {
    ($($(#[$doc:meta])* $name:ident = $file:literal;)*) => {
        $(
            $(#[$doc])*
            pub static $name: WordSet =
                WordSet::new($file, include_str!(concat!("lexicon/", $file, ".txt")));
        )*
        /// Every list, for the format test.
        pub const ALL: &[&WordSet] = &[$(&$name),*];
    };
}

lexicon! {
    /// Speech verbs by base form ("say"), with irregular forms as fields.
    SPEECH_VERBS = "speech_verbs";
    /// Speech verbs that need their particle ("fire back"), with irregular forms as fields.
    PHRASAL_SPEECH_VERBS = "phrasal_speech_verbs";
    /// Stance verbs ("believe"), inflected like speech verbs.
    STANCE_VERBS = "stance_verbs";
    /// Nouns that carry a cue ("statement").
    CUE_NOUNS = "cue_nouns";
    /// Nouns for what someone said ("answer").
    UTTERANCE_NOUNS = "utterance_nouns";
    /// Words of a span of time before "ago" ("less than two weeks").
    TIME_SPANS = "time_spans";
    /// Auxiliaries and adverbs between a subject and its verb.
    AUXILIARIES = "auxiliaries";
    /// Title and role words.
    TITLES = "titles";
    /// Abbreviated titles ("gov"), with the title they stand for.
    TITLE_ABBREVIATIONS = "title_abbreviations";
    /// Title words that head a role ("mayor").
    ROLE_HEADS = "role_heads";
    /// Titles that show a man.
    MALE_TITLES = "male_titles";
    /// Titles that show a woman.
    FEMALE_TITLES = "female_titles";
    /// Nouns for a person of one gender that are no titles ("woman: female").
    GENDERED_NOUNS = "gendered_nouns";
    /// Honorifics ("mr"): a gender, not a title.
    HONORIFICS = "honorifics";
    /// Country codes ("us", "u.s"), written in capitals in the text.
    COUNTRY_CODES = "country_codes";
    /// Endings of nationality words.
    DEMONYM_SUFFIXES = "demonym_suffixes";
    /// Nationality words with other endings.
    NATIONALITIES = "nationalities";
    /// Nationality words with the country no shared prefix shows ("norwegian: norway").
    DEMONYM_COUNTRIES = "demonym_countries";
    /// US states as party-and-state tags abbreviate them ("wis: wisconsin").
    STATE_ABBREVIATIONS = "state_abbreviations";
    /// Role heads whose holder leads a country or government ("president").
    LEADER_ROLES = "leader_roles";
    /// Names with a nationality's ending ("Brian").
    NOT_DEMONYMS = "not_demonyms";
    /// Party words that modify a title like a nationality.
    PARTIES = "parties";
    /// Party words that name a member ("Republican"): a name ending in one is a description.
    PARTY_MEMBERS = "party_members";
    /// Words that make a name an organisation.
    ORG_HEADS = "org_heads";
    /// Words that make a name a place, event or thing.
    THING_WORDS = "thing_words";
    /// Words of place names that make a sequence of nothing else a place.
    PLACES = "places";
    /// Generational suffixes after a personal name ("Jr.").
    NAME_SUFFIXES = "name_suffixes";
    /// Particles inside personal names, matched as written.
    NAME_PARTICLES = "name_particles";
    /// Connectors inside organisation names, matched as written.
    ORG_CONNECTORS = "org_connectors";
    /// Capitalised words that start sentences without being names.
    FUNCTION_WORDS = "function_words";
    /// Days of the week.
    DAYS = "days";
    /// Months, with their numbers.
    MONTHS = "months";
    /// Occupations no ending finds.
    OCCUPATIONS = "occupations";
    /// Endings of occupations.
    OCCUPATION_SUFFIXES = "occupation_suffixes";
    /// Words with an occupation's ending that are none.
    NOT_OCCUPATIONS = "not_occupations";
    /// Prepositions.
    PREPOSITIONS = "prepositions";
    /// Participles that name the quoted span after them.
    NAMING_PARTICIPLES = "naming_participles";
    /// Nouns that make the quoted span after them a name.
    MENTION_MARKERS = "mention_markers";
    /// Words for someone who speaks for a body ("spokesman").
    SPOKESPEOPLE = "spokespeople";
    /// A person's office that speaks for them.
    SPEAKING_BODIES = "speaking_bodies";
    /// Words that pair with "and" inside a public service's name ("Fire and Rescue").
    DEPARTMENT_WORDS = "department_words";
    /// Verb forms that take a speech verb after "to" ("tried to reassure").
    CATENATIVES = "catenatives";
    /// Nouns that stand for a company or body named earlier ("the company").
    COMPANY_NOUNS = "company_nouns";
    /// Small words inside title-case titles, matched as written.
    TITLE_CASE_FILLERS = "title_case_fillers";
    /// Abbreviations whose dot ends no sentence.
    ABBREVIATIONS = "abbreviations";
    /// Subordinating conjunctions.
    SUBORDINATORS = "subordinators";
    /// Openers of a leading clause with a forward-referring pronoun.
    CLAUSE_OPENERS = "clause_openers";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_lower_case_sorted_and_free_of_duplicates() {
        for list in ALL {
            let words: Vec<&str> = list.words().collect();
            assert!(!words.is_empty(), "{}: empty", list.name);
            for w in &words {
                assert_eq!(*w, w.to_lowercase(), "{}: {w} is not lower case", list.name);
                assert_eq!(*w, w.trim(), "{}: {w:?} has spaces around it", list.name);
            }
            for pair in words.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{}: {} and {} are out of order or repeated",
                    list.name,
                    pair[0],
                    pair[1]
                );
            }
        }
    }

    #[test]
    fn lookups_fold_case_unless_exact() {
        assert!(TITLES.contains("President"));
        assert!(NAME_PARTICLES.contains_exact("de"));
        assert!(!NAME_PARTICLES.contains_exact("De"));
        assert_eq!(MONTHS.fields("March"), Some("3"));
        assert_eq!(SPEECH_VERBS.fields("write"), Some("wrote written"));
        assert_eq!(SPEECH_VERBS.fields("whisper-shout"), None);
    }

    #[test]
    fn the_filter_lets_every_entry_through() {
        for list in ALL {
            for w in list.words() {
                assert!(list.contains(w), "{}: {w}", list.name);
                assert!(list.contains_exact(w), "{}: {w}", list.name);
                assert!(list.contains(&w.to_uppercase()), "{}: {w}", list.name);
                assert_eq!(
                    list.fields(w),
                    list.entries().find(|e| e.0 == w).map(|e| e.1)
                );
            }
        }
        assert!(
            !TITLES.contains("")
                && !TITLES.contains(
                    "Zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                )
        );
    }

    #[test]
    fn one_lookup_answers_for_every_list() {
        assert!(ALL.len() <= 64, "one bit per list");
        let bits: std::collections::HashSet<u64> = ALL.iter().map(|l| l.bit()).collect();
        assert_eq!(bits.len(), ALL.len(), "a bit of its own per list");
        let mut words: Vec<&str> = ALL.iter().flat_map(|l| l.words()).collect();
        words.extend([
            "",
            "zzz",
            "presidents",
            "éclair",
            "the",
            "mayor",
            "u.s",
            "said",
        ]);
        for w in words {
            for list in ALL {
                assert_eq!(
                    memberships(w) & list.bit() != 0,
                    list.contains(w),
                    "{}: {w}",
                    list.name
                );
            }
        }
    }

    #[test]
    fn every_title_abbreviation_is_a_title_and_stands_for_titles() {
        for (abbreviation, title) in TITLE_ABBREVIATIONS.entries() {
            assert!(TITLES.contains(abbreviation), "{abbreviation} is no title");
            for w in title.split_whitespace() {
                assert!(TITLES.contains(w), "{abbreviation}: {w} is no title");
            }
        }
    }

    #[test]
    fn every_role_head_is_a_title() {
        for w in ROLE_HEADS.words() {
            assert!(TITLES.contains(w), "{w} heads roles but is no title");
        }
    }
}
