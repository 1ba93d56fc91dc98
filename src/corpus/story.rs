//! Stories: which documents report the same event, so quotes are only compared inside a story.
//!
//! Each document gets a *print*: the set of its body's content words (lower case, three letters
//! or more, function words left out) as 64-bit hashes, the four-word shingles of its quotes, and
//! its publication day when it has one. Two documents are *linked* when they are [`close in
//! time`](MAX_DAYS_APART) and either
//! - their content words agree: a Dice coefficient, each word weighted by how rare it is in the
//!   corpus ([`word_weight`]), of at least [`LINK_THRESHOLD`] — or of [`OCCASION_THRESHOLD`]
//!   when both quote one person and share none of the quoted words (the same speaker on
//!   another occasion); or
//! - they quote the same words (at least [`QUOTE_SHINGLES`] shared quote shingles, a run of six
//!   words) and their content words agree at least [`QUOTE_LINK_THRESHOLD`]: a rewrite, an
//!   excerpt or a summary shares little running text with the wire copy but carries its quotes;
//!   or
//! - a short document (a draft, a brief) has most of its words in the other.
//! - they are copies: the plain Dice coefficient of all their content words, common or not, is
//!   at least [`COPY_THRESHOLD`] (what links the versions of a story of more than
//!   [`COMMON_WORD_LIMIT`] versions, every word of which is common).
//!
//! A story is a connected component of the links. With `stories = "folder"` a story is simply
//! the documents of one directory.
//!
//! The index keeps each print in a compact form ([`Kept`]): content words as 32-bit ids
//! interned in its own vocabulary, quote shingles folded to 32 bits, no per-word weights (a
//! word's bucket is its posting list's length's). [`Print`] itself, with 64-bit hashes, is what
//! the database stores.
//!
//! The weight of a word depends on its *document frequency* only through a bucket
//! ([`df_bucket`]: 1, 2, 3–4, 5–8, …, 33–64, more): rare words (a surname, a place, a figure)
//! say which event a document reports, and a word in more than [`COMMON_WORD_LIMIT`] documents
//! says nothing. Weights depend on no corpus size, so a folder of one story's six versions and a
//! newsroom archive of ten thousand articles judge a pair alike.
//!
//! Candidates for a link come from an inverted index, with bounded work per document: each
//! document *selects* its rarest words (document frequency 2 to [`COMMON_WORD_LIMIT`], in rising
//! order, while the sum of their frequencies stays within [`CANDIDATE_BUDGET`]); two documents
//! are candidates when one of them selected at least [`MIN_SHARED_DISTINCTIVE`] words of the
//! other. The index is incremental: [`StoryIndex::update`] re-links the changed documents and
//! the documents holding a word whose frequency bucket changed (the only way another document's
//! weights or selection can change), and recomputes only the components around them. The result
//! is a pure function of the corpus: updating gives the same stories as building from scratch.
//!
//! Must not depend on `collate`, `lsp` or `cli`; never touches the file system.

use super::sort::sort_spread;
use super::{Corpus, DocId};
use crate::config::StoryMode;
use crate::document::{Document, QuoteKind, speaker_key};
use crate::text::normalize::for_each_word_in;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher of the index's maps, keyed by document ids and word hashes: a multiply and a
/// rotate per key, in the manner of rustc's FxHash (written here; the maps were 3% of a cold
/// check with SipHash). The keys come from the corpus, not from an adversary who could aim at
/// collisions: word hashes are FNV already, and ids are small integers.
#[derive(Default)]
struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// A hash map keyed by document ids or word hashes, hashed with [`IntHasher`].
type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// Weighted Dice coefficient of two documents' content words at or above which they are
/// versions of one story. Versions of one event (rewrites, excerpts of about 2,000 characters)
/// reach 0.2 to 0.8; reports of different events, even about the same people in the same weeks,
/// stay under 0.13 (measured on real multi-version stories against 840 political news articles;
/// see docs/stories.md).
pub const LINK_THRESHOLD: f64 = 0.18;

/// The weighted Dice coefficient needed when both documents quote one person and share none
/// of the quoted words (the person most likely spoke on two occasions: a coach after two games,
/// a minister on two dates).
pub const OCCASION_THRESHOLD: f64 = 0.3;

/// The weighted Dice coefficient that is enough when the two documents also quote the same
/// words.
pub const QUOTE_LINK_THRESHOLD: f64 = 0.1;

/// Shared quote shingles (four words each: three in a row are a run of six quoted words) that
/// make two documents quote the same remark.
pub const QUOTE_SHINGLES: usize = 3;

/// Words per quote shingle.
const QUOTE_SHINGLE_WORDS: usize = 4;

/// A word in more documents than this says nothing about which story a document belongs to:
/// it weighs nothing and is never used to find candidates.
pub const COMMON_WORD_LIMIT: usize = 64;

/// Two documents whose content words (all of them, common or not, unweighted) have a Dice
/// coefficient of at least this are copies of one article: versions of one story whatever the
/// words' weights. This is what links the versions of a story of more than
/// [`COMMON_WORD_LIMIT`] versions, every word of which is then common and weighs nothing;
/// distinct reports share far fewer of their words (0.1–0.3 between articles on one subject).
pub const COPY_THRESHOLD: f64 = 0.8;

/// A document without two words of frequency 2 to [`COMMON_WORD_LIMIT`] selects words of
/// frequency up to this for its candidates (see `StoryIndex::select`): copies of a story of up
/// to about 500 versions are found, within the same budget.
pub const COPY_WORD_LIMIT: usize = 1024;

/// Two documents are candidates for a link when one selected at least this many of the other's
/// words.
pub const MIN_SHARED_DISTINCTIVE: usize = 2;

/// How much posting-list walking one document may cause when its candidates are looked for:
/// the sum of the document frequencies (by bucket) of the words it selects.
pub const CANDIDATE_BUDGET: usize = 1024;

/// Versions of one story appear within days of each other: two documents whose publication
/// dates are both known and further apart than this are never linked (a coach's two games a
/// week apart are two stories however alike the reports).
pub const MAX_DAYS_APART: i64 = 3;

/// Whether two documents' publication days, when both are known, are at most
/// [`MAX_DAYS_APART`] apart.
fn close_in_time(a: &Kept, b: &Kept) -> bool {
    match (a.day, b.day) {
        (Some(x), Some(y)) => (x - y).abs() <= MAX_DAYS_APART,
        _ => true,
    }
}

/// The words a document looks for candidates by ([`StoryIndex::select`]).
#[derive(Debug, Clone, Default)]
struct Selection {
    /// Sorted.
    words: Vec<WordId>,
    /// The document had fewer than [`MIN_SHARED_DISTINCTIVE`] words of frequency 2 to
    /// [`COMMON_WORD_LIMIT`] and chose commoner ones: what they find is linked only as a copy
    /// ([`COPY_THRESHOLD`]), since common words find documents on any subject.
    copies_only: bool,
}

/// The frequency bucket of a word in `df` documents: 0 for 1, 1 for 2, 2 for 3–4, 3 for 5–8, …,
/// 6 for 33–64 and [`COMMON_BUCKET`] above [`COMMON_WORD_LIMIT`].
pub fn df_bucket(df: usize) -> u8 {
    selection_bucket(df).min(COMMON_BUCKET)
}

/// The bucket by which a document's candidate words are chosen: [`df_bucket`] below
/// [`COMMON_WORD_LIMIT`], and above it on to [`COPY_WORD_LIMIT`] (7 for 65–128, …, 10 for
/// 513–1,024, 11 beyond). A change of it is a change of what its holders select.
fn selection_bucket(df: usize) -> u8 {
    if df <= 1 {
        return 0;
    }
    let b = (usize::BITS - (df - 1).leading_zeros()) as u8;
    b.min(COPY_BUCKET)
}

/// [`selection_bucket`] of words in more than [`COPY_WORD_LIMIT`] documents.
const COPY_BUCKET: u8 = 11;

/// The bucket of words in more than [`COMMON_WORD_LIMIT`] documents.
pub const COMMON_BUCKET: u8 = 7;

/// The evidence a shared word of frequency bucket `b` carries: `ln(1 + 64 / df)` at the top of
/// the bucket (a word of one document 4.2, of two 3.5, of 33–64 documents 0.7), nothing for a
/// common word.
pub fn word_weight(b: u8) -> f64 {
    if b >= COMMON_BUCKET {
        0.0
    } else {
        (1.0 + COMMON_WORD_LIMIT as f64 / f64::from(1u32 << b)).ln()
    }
}

/// The day number (days since 1970-01-01) of an ISO date `YYYY-MM-DD` (anything after the day
/// is ignored); `None` when the text does not start with one.
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.get(..10)?.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Count from March, so the leap day ends the year.
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let era_days = 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400);
    let month_days = (153 * (m - 3) + 2) / 5;
    Some(era_days + month_days + d - 719_469)
}

/// A story's id: the smallest [`DocId`] among its documents.
pub type StoryId = DocId;

/// FNV-1a's starting value.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte more into an FNV-1a hash.
fn fnv1a_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// One character more into an FNV-1a hash, lower-cased (the bytes of its lower-case form).
fn fnv1a_lower_char(h: u64, c: char) -> u64 {
    if c.is_ascii() {
        return fnv1a_byte(h, c.to_ascii_lowercase() as u8);
    }
    let mut buf = [0u8; 4];
    c.to_lowercase().fold(h, |h, l| {
        l.encode_utf8(&mut buf).bytes().fold(h, fnv1a_byte)
    })
}

/// Calls `word(hash, chars)` for every word of `text` in order: a word is a run of alphanumeric
/// characters, its hash FNV-1a over its lower-cased bytes (computed as it is read, no copy of
/// the word), `chars` its length in characters. ASCII text is read a byte at a time; only
/// other characters are decoded.
fn for_each_word_hash(text: &str, mut word: impl FnMut(u64, usize)) {
    // Per ASCII byte: its lower-case form when alphanumeric, else 0.
    const ASCII_WORD: [u8; 128] = {
        let mut t = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            let c = b as u8;
            if c.is_ascii_alphanumeric() {
                t[b] = c.to_ascii_lowercase();
            }
            b += 1;
        }
        t
    };
    let bytes = text.as_bytes();
    let mut h = FNV_OFFSET;
    let mut chars = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 128 {
            i += 1;
            let lower = ASCII_WORD[usize::from(b)];
            if lower != 0 {
                h = fnv1a_byte(h, lower);
                chars += 1;
                continue;
            }
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            i += c.len_utf8();
            if c.is_alphanumeric() {
                h = fnv1a_lower_char(h, c);
                chars += 1;
                continue;
            }
        }
        if chars > 0 {
            word(h, chars);
            h = FNV_OFFSET;
            chars = 0;
        }
    }
    if chars > 0 {
        word(h, chars);
    }
}

/// FNV-1a, 64 bit: a fixed hash, so fingerprints do not depend on the process.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| fnv1a_byte(h, b))
}

/// The sorted, deduplicated content-word hashes of a document's body.
pub fn fingerprint(doc: &Document) -> Vec<u64> {
    let body = doc.text.get(doc.meta.body_start..).unwrap_or(&doc.text);
    let stop = Stopwords::get();
    let mut out = Vec::with_capacity(body.len() / 8);
    for_each_word_hash(body, |h, chars| {
        if chars >= 3 && !stop.contains(h) {
            out.push(h);
        }
    });
    sort_spread(&mut out);
    out.dedup();
    // Kept for the corpus's life: without the room the repeated words took.
    out.shrink_to_fit();
    out
}

/// The hashes of the function words, sorted (fingerprints leave them out), and a filter of
/// 4,096 bits on each hash's low bits that turns most other words away without a search.
struct Stopwords {
    hashes: Vec<u64>,
    filter: [u64; 64],
}

impl Stopwords {
    fn get() -> &'static Stopwords {
        static STOP: std::sync::OnceLock<Stopwords> = std::sync::OnceLock::new();
        STOP.get_or_init(|| {
            let mut hashes: Vec<u64> = crate::text::normalize::STOPWORDS
                .iter()
                .map(|w| fnv1a(w.as_bytes()))
                .collect();
            hashes.sort_unstable();
            let mut filter = [0u64; 64];
            for &h in &hashes {
                filter[(h as usize >> 6) & 63] |= 1 << (h & 63);
            }
            Stopwords { hashes, filter }
        })
    }

    fn contains(&self, h: u64) -> bool {
        self.filter[(h as usize >> 6) & 63] & (1 << (h & 63)) != 0
            && self.hashes.binary_search(&h).is_ok()
    }
}

/// The sorted, deduplicated hashes of a document body's three-word shingles (every word, in
/// order): near-identical copies share almost all of them, rewrites few.
pub fn shingles(doc: &Document) -> Vec<u64> {
    let body = doc.text.get(doc.meta.body_start..).unwrap_or(&doc.text);
    // Each word's hash, lower-cased on the fly (no allocation per word).
    let mut words: Vec<u64> = Vec::with_capacity(body.len() / 5);
    for_each_word_hash(body, |h, _| words.push(h));
    let mut out: Vec<u64> = words
        .windows(3)
        .map(|w| w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42))
        .collect();
    if out.is_empty() {
        out.extend(words.first());
    }
    sort_spread(&mut out);
    out.dedup();
    out
}

/// What story linking reads of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Print {
    /// [`fingerprint`]: content-word hashes, sorted.
    pub words: Vec<u64>,
    /// [`quote_shingles`]: sorted.
    pub quotes: Vec<u64>,
    /// Hashes of the speakers its quotes are attributed to ([`speaker_key`]), sorted.
    pub speakers: Vec<u64>,
    /// Publication day, when the document gives a date.
    pub day: Option<i64>,
}

impl Print {
    pub fn of(doc: &Document) -> Print {
        Print {
            words: fingerprint(doc),
            quotes: quote_shingles(doc),
            speakers: speakers(doc),
            day: doc.meta.date.as_deref().and_then(day_number),
        }
    }
}

/// The index's content words as dense 32-bit ids: a print's 64-bit word hashes are interned
/// once, so the prints the index keeps and its posting lists are arrays of ids (half the
/// memory of the hashes, and no hash map per word). An id is never reused, so a word keeps its
/// id for the index's life; the hash stays available for an order that must not depend on when
/// a word was first seen.
#[derive(Debug, Clone, Default)]
struct Vocab {
    ids: IntMap<u64, u32>,
    hashes: Vec<u64>,
}

/// A word's id in [`Vocab`].
type WordId = u32;

impl Vocab {
    fn intern(&mut self, hash: u64) -> WordId {
        let next = WordId::try_from(self.hashes.len()).expect("fewer than 2^32 distinct words");
        let id = *self.ids.entry(hash).or_insert(next);
        if id == next {
            self.hashes.push(hash);
        }
        id
    }

    /// Replaces each word hash of `print` by its id (still a `u64`: no allocation here, so that
    /// a whole build interns on one thread and converts on all, see [`Kept::of`]).
    fn intern_print(&mut self, print: &mut Print) {
        for w in &mut print.words {
            *w = u64::from(self.intern(*w));
        }
    }

    fn hash(&self, id: WordId) -> u64 {
        self.hashes[id as usize]
    }
}

/// A [`Print`] as the index keeps it: the content words as [`Vocab`] ids, sorted by id, and the
/// quote shingles folded to 32 bits, sorted (they are only counted between the two documents of
/// a candidate pair: with a few hundred shingles each, two unrelated ones share a folded value
/// about once in 10^5 pairs, and a link asks for [`QUOTE_SHINGLES`] of them besides agreeing
/// words).
#[derive(Debug, Clone, Default)]
struct Kept {
    words: Vec<WordId>,
    quotes: Vec<u32>,
    speakers: Vec<u64>,
    day: Option<i64>,
}

impl Kept {
    /// The kept form of a print whose words [`Vocab::intern_print`] replaced by their ids.
    fn of(print: Print) -> Kept {
        let mut words: Vec<WordId> = print.words.iter().map(|&w| w as WordId).collect();
        sort_spread(&mut words);
        let mut quotes: Vec<u32> = print
            .quotes
            .iter()
            .map(|&h| (h ^ (h >> 32)) as u32)
            .collect();
        sort_spread(&mut quotes);
        quotes.dedup();
        Kept {
            words,
            quotes,
            speakers: print.speakers,
            day: print.day,
        }
    }
}

/// The sorted, deduplicated hashes of every run of [`QUOTE_SHINGLE_WORDS`] words inside one
/// speech quote of the document (in the comparison form, so quote style and case do not count).
pub fn quote_shingles(doc: &Document) -> Vec<u64> {
    let mut out = Vec::new();
    let mut hashes: Vec<u64> = Vec::new();
    for q in doc.quotes.iter().filter(|q| q.kind == QuoteKind::Speech) {
        hashes.clear();
        for_each_word_in(&doc.text, q.span(), |w, _| hashes.push(fnv1a(w.as_bytes())));
        out.extend(
            hashes
                .windows(QUOTE_SHINGLE_WORDS)
                .map(|w| w[0] ^ w[1].rotate_left(16) ^ w[2].rotate_left(32) ^ w[3].rotate_left(48)),
        );
    }
    sort_spread(&mut out);
    out.dedup();
    out.shrink_to_fit();
    out
}

/// The sorted, deduplicated hashes of the family names of the speakers a document quotes.
pub fn speakers(doc: &Document) -> Vec<u64> {
    let mut out: Vec<u64> = doc
        .quotes
        .iter()
        .filter(|q| q.kind == QuoteKind::Speech)
        .filter_map(|q| q.speaker())
        .map(|s| fnv1a(speaker_key(s).as_bytes()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Documents printed at a time by [`StoryIndex::update_auto`]: a print's hashes live only until
/// its batch is interned, so a whole build never holds every document's hashes at once.
const PRINT_BATCH: usize = 512;

/// The kept prints of the documents `ids` still in the corpus, their words interned in
/// `vocab`; printed on several threads when there are many (building a whole corpus), in
/// batches of [`PRINT_BATCH`].
fn prints(corpus: &Corpus, ids: &BTreeSet<DocId>, vocab: &mut Vocab) -> IntMap<DocId, Kept> {
    let docs: Vec<(DocId, &Document)> = ids
        .iter()
        .filter_map(|&id| corpus.get(id).map(|d| (id, d)))
        .collect();
    let mut kept = IntMap::default();
    for batch in docs.chunks(PRINT_BATCH) {
        let mut printed = crate::parallel::map(batch, |&(id, d)| (id, Print::of(d)));
        for (_, p) in &mut printed {
            vocab.intern_print(p);
        }
        kept.extend(crate::parallel::map_owned(printed, |(id, p)| {
            (id, Kept::of(p))
        }));
    }
    kept
}

/// The words of `ranked` (bucket, hash, id) taken in that order while the sum of their costs
/// (`1 << bucket`) stays within [`CANDIDATE_BUDGET`], in no particular order: every word of the
/// buckets the budget covers whole, then, of the bucket where it runs out, as many as it still
/// pays for, smallest hashes first. Found by counting, not by sorting every ranked word.
fn within_budget(ranked: &[(u8, u64, WordId)]) -> Vec<WordId> {
    let mut counts = [0usize; COPY_BUCKET as usize + 1];
    for &(b, _, _) in ranked {
        counts[usize::from(b)] += 1;
    }
    let mut spent = 0usize;
    let mut cut: Option<(u8, usize)> = None; // the bucket the budget ends in, words taken
    for (b, &n) in counts.iter().enumerate() {
        let cost = 1usize << b;
        if spent + n * cost > CANDIDATE_BUDGET {
            cut = Some((b as u8, (CANDIDATE_BUDGET - spent) / cost));
            break;
        }
        spent += n * cost;
    }
    match cut {
        None => ranked.iter().map(|&(_, _, w)| w).collect(),
        Some((last, take)) => {
            let mut edge: Vec<(u64, WordId)> = ranked
                .iter()
                .filter(|&&(b, _, _)| b == last)
                .map(|&(_, h, w)| (h, w))
                .collect();
            if take < edge.len() {
                if take > 0 {
                    edge.select_nth_unstable(take - 1);
                }
                edge.truncate(take);
            }
            ranked
                .iter()
                .filter(|&&(b, _, _)| b < last)
                .map(|&(_, _, w)| w)
                .chain(edge.into_iter().map(|(_, w)| w))
                .collect()
        }
    }
}

/// A sorted list of documents, as 32-bit ids: every (word, document) pair of the corpus has an
/// entry in the posting lists, so they hold as many entries as the prints do.
type Posting = Vec<u32>;

fn posting_id(id: DocId) -> u32 {
    u32::try_from(id).expect("fewer than 2^32 documents")
}

/// Puts `id` into the sorted list `p` unless it is there; at the end without a search when it
/// is the largest (a whole corpus is added in id order).
fn insert_sorted(p: &mut Posting, id: DocId) {
    let id = posting_id(id);
    if p.last().is_none_or(|&l| l < id) {
        p.push(id);
    } else if let Err(i) = p.binary_search(&id) {
        p.insert(i, id);
    }
}

/// Makes room in `lists` (one posting list per word id) for one more document per word of
/// each of `words`, so that a whole build grows each list once: on one thread, a list grown an
/// id at a time costs a reallocation per doubling, a tenth of a build's serial work.
fn reserve_postings<'w>(
    lists: &mut Vec<Posting>,
    words: impl Iterator<Item = &'w [WordId]>,
    vocab: usize,
) {
    let mut holders: Vec<u32> = vec![0; vocab];
    for list in words {
        for &w in list {
            holders[w as usize] += 1;
        }
    }
    let used = holders
        .iter()
        .rposition(|&n| n > 0)
        .map_or(0, |last| last + 1);
    if lists.len() < used {
        lists.resize_with(used, Posting::new);
    }
    for (list, &n) in lists.iter_mut().zip(&holders) {
        list.reserve_exact(n as usize);
    }
}

/// The posting list of `word` in `lists` (one list per word id), made when missing.
fn posting_mut(lists: &mut Vec<Posting>, word: WordId) -> &mut Posting {
    let i = word as usize;
    if lists.len() <= i {
        lists.resize_with(i + 1, Posting::new);
    }
    &mut lists[i]
}

/// Removes `id` from the posting list of `word`, and frees the list once empty.
fn remove_posting(lists: &mut [Posting], word: WordId, id: DocId) {
    if let Some(p) = lists.get_mut(word as usize) {
        if let Ok(i) = p.binary_search(&posting_id(id)) {
            p.remove(i);
        }
        if p.is_empty() {
            *p = Posting::new();
        }
    }
}

/// The posting list of `word`, empty when it has none.
fn posting(lists: &[Posting], word: WordId) -> &[u32] {
    lists.get(word as usize).map_or(&[], Vec::as_slice)
}

/// A short document joins a story when this share of its content words is in a version.
pub const SHORT_OVERLAP: f64 = 0.65;
/// ... and it has at least this many content words.
pub const SHORT_MIN_WORDS: usize = 12;
/// ... and at most this many (a longer document that agrees this much is linked by its
/// weighted Dice anyway).
pub const SHORT_MAX_WORDS: usize = 150;

/// Whether a short document (a draft, a brief) of [`SHORT_MIN_WORDS`] to [`SHORT_MAX_WORDS`]
/// content words has most of its words ([`SHORT_OVERLAP`] of the smaller set) in the other, which a Dice
/// coefficient would miss because of the size difference.
pub fn contained<T: Ord + Copy>(a: &[T], b: &[T]) -> bool {
    let smaller = a.len().min(b.len());
    is_short(smaller) && contained_counts(smaller, shared_count(a, b))
}

fn is_short(words: usize) -> bool {
    (SHORT_MIN_WORDS..=SHORT_MAX_WORDS).contains(&words)
}

/// [`contained`] of two sets, the smaller of `smaller` elements, that share `shared`.
fn contained_counts(smaller: usize, shared: usize) -> bool {
    is_short(smaller) && shared as f64 >= SHORT_OVERLAP * smaller as f64
}

/// How many elements two sorted sets share.
fn shared_count<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    // A merge walk without branches on the comparison: the values are hashes in no order that
    // a branch predictor could learn, and this runs on every pair of versions.
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Dice coefficient of two sorted sets.
pub fn dice<T: Ord + Copy>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    dice_counts(a.len(), b.len(), shared_count(a, b))
}

/// [`dice`] of two sets of `a` and `b` elements that share `shared`.
pub fn dice_counts(a: usize, b: usize, shared: usize) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    2.0 * shared as f64 / (a + b) as f64
}

/// [`word_weight`] of each bucket, as stored (`f32`).
fn bucket_weights() -> &'static [f32; COMMON_BUCKET as usize + 1] {
    static WEIGHTS: std::sync::OnceLock<[f32; COMMON_BUCKET as usize + 1]> =
        std::sync::OnceLock::new();
    WEIGHTS.get_or_init(|| std::array::from_fn(|b| word_weight(b as u8) as f32))
}

/// The sum of the weights of words counted by bucket (`counts[b]` words of bucket `b`), added
/// bucket by bucket: the same sum whatever order the words came in.
fn weighted_sum(counts: &[u32; COMMON_BUCKET as usize]) -> f64 {
    let weights = bucket_weights();
    counts
        .iter()
        .zip(weights)
        .map(|(&n, &w)| f64::from(n) * f64::from(w))
        .sum()
}

/// What an update did to the stories.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoryChanges {
    /// Stories that no longer exist in their old form.
    pub removed: Vec<StoryId>,
    /// Stories (re)built by this update; their members are in [`StoryIndex::members`].
    pub added: Vec<StoryId>,
}

/// The corpus split into stories, kept up to date document by document.
#[derive(Debug, Clone, Default)]
pub struct StoryIndex {
    mode: StoryMode,
    vocab: Vocab,
    prints: IntMap<DocId, Kept>,
    /// Word id -> the documents holding it, sorted (the word's document frequency is its length).
    postings: Vec<Posting>,
    /// Document -> the words it looks for candidates by (see [`CANDIDATE_BUDGET`]), sorted.
    selected: IntMap<DocId, Selection>,
    /// Word id -> the documents that selected it, sorted (those whose selection is not
    /// [`Selection::copies_only`]).
    chosen_by: Vec<Posting>,
    /// Word id -> the documents that selected it for their copies only, sorted.
    copied_by: Vec<Posting>,
    /// Document -> the sum of the weights of its words ([`word_weight`] of their frequency
    /// buckets), kept up to date with the buckets. A word's bucket is not kept: it is its
    /// posting list's length's.
    mass: IntMap<DocId, f64>,
    links: IntMap<DocId, BTreeSet<DocId>>,
    folder_of: IntMap<DocId, String>,
    folder_members: BTreeMap<String, BTreeSet<DocId>>,
    story_of: IntMap<DocId, StoryId>,
    stories: BTreeMap<StoryId, Vec<DocId>>,
    /// One more than the largest id ever printed: the size of the dense per-document arrays
    /// of linking, known without a walk over every print (an edit must not cost the corpus).
    id_bound: usize,
    /// The counts of a small re-link (an edit), kept from one to the next: zeroed as they are
    /// read, so a keystroke does not allocate and clear an array the size of the corpus.
    counter: Counter,
}

/// The directory part of a document's path (`""` for none): its story with `stories = "folder"`.
pub fn folder(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or("", |i| &path[..i])
}

impl StoryIndex {
    pub fn new(mode: StoryMode) -> StoryIndex {
        StoryIndex {
            mode,
            ..StoryIndex::default()
        }
    }

    /// The story a document belongs to.
    pub fn story_of(&self, doc: DocId) -> Option<StoryId> {
        self.story_of.get(&doc).copied()
    }

    /// The documents of a story, by id.
    pub fn members(&self, story: StoryId) -> &[DocId] {
        self.stories.get(&story).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every story with its documents.
    pub fn stories(&self) -> impl Iterator<Item = (StoryId, &[DocId])> {
        self.stories.iter().map(|(&id, m)| (id, m.as_slice()))
    }

    /// Drops what linking needs (prints, postings, weights, links) and keeps the stories: for
    /// an index built once and never updated (see `collate::Analysis::results_of`). A later
    /// [`StoryIndex::update`] would link against nothing, so such an index must not get one.
    pub fn forget_links(&mut self) {
        *self = StoryIndex {
            mode: self.mode,
            story_of: std::mem::take(&mut self.story_of),
            stories: std::mem::take(&mut self.stories),
            ..StoryIndex::default()
        };
    }

    /// The documents linked to `doc` (versions of its story with enough shared content).
    pub fn links(&self, doc: DocId) -> impl Iterator<Item = DocId> + '_ {
        self.links.get(&doc).into_iter().flatten().copied()
    }

    /// How many documents hold the word.
    fn df(&self, word: WordId) -> usize {
        posting(&self.postings, word).len()
    }

    /// The words a document looks for candidates by: its rarest words of frequency 2 to
    /// [`COMMON_WORD_LIMIT`], by bucket then hash (not id: ids follow the order words were
    /// first seen), while the sum of their bucket frequencies stays within
    /// [`CANDIDATE_BUDGET`]. Sorted.
    ///
    /// A document with fewer than [`MIN_SHARED_DISTINCTIVE`] such words (every word of a story
    /// of more than 64 versions is in more than 64 documents) selects its rarest words of
    /// frequency up to [`COPY_WORD_LIMIT`] instead, within the same budget, so that its copies
    /// are still found ([`COPY_THRESHOLD`]).
    fn select(&self, words: &[WordId]) -> Selection {
        let rank = |limit: usize| -> Vec<(u8, u64, WordId)> {
            words
                .iter()
                .filter_map(|&w| {
                    let df = self.df(w);
                    (2..=limit)
                        .contains(&df)
                        .then(|| (selection_bucket(df), self.vocab.hash(w), w))
                })
                .collect()
        };
        let mut ranked = rank(COMMON_WORD_LIMIT);
        let copies_only = ranked.len() < MIN_SHARED_DISTINCTIVE;
        if copies_only {
            ranked = rank(COPY_WORD_LIMIT);
        }
        let mut out = within_budget(&ranked);
        out.sort_unstable();
        out.shrink_to_fit(); // kept for the index's life
        Selection {
            words: out,
            copies_only,
        }
    }

    /// The weighted Dice coefficient of two documents' content words.
    pub fn similarity(&self, a: DocId, b: DocId) -> f64 {
        match (self.prints.get(&a), self.prints.get(&b)) {
            (Some(pa), Some(pb)) => self.overlap(a, b, pa, pb).0,
            _ => 0.0,
        }
    }

    /// One walk over two documents' content words: their weighted Dice coefficient
    /// ([`StoryIndex::similarity`]) and how many words they share.
    fn overlap(&self, a: DocId, b: DocId, pa: &Kept, pb: &Kept) -> (f64, usize) {
        let (x, y) = (&pa.words, &pb.words);
        let (mut i, mut j) = (0, 0);
        let mut shared = [0u32; COMMON_BUCKET as usize];
        let mut plain = 0;
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let b = df_bucket(self.df(x[i]));
                    if b < COMMON_BUCKET {
                        shared[usize::from(b)] += 1;
                    }
                    plain += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        let weighted = match (self.mass.get(&a), self.mass.get(&b)) {
            (Some(ma), Some(mb)) if ma + mb > 0.0 => 2.0 * weighted_sum(&shared) / (ma + mb),
            _ => 0.0,
        };
        (weighted, plain)
    }

    /// Whether two documents are versions of one story (see the module's documentation).
    fn linked(&self, a: DocId, b: DocId) -> bool {
        let (Some(pa), Some(pb)) = (self.prints.get(&a), self.prints.get(&b)) else {
            return false;
        };
        if !close_in_time(pa, pb) {
            return false;
        }
        let (dice, shared) = self.overlap(a, b, pa, pb);
        let shared_quotes = shared_count(&pa.quotes, &pb.quotes);
        // Both quote one person and share none of the quoted words: that person most likely
        // spoke on two occasions, and only words agreeing closely make it one story.
        let another_occasion = shared_quotes == 0 && shared_count(&pa.speakers, &pb.speakers) > 0;
        let threshold = if another_occasion {
            OCCASION_THRESHOLD
        } else {
            LINK_THRESHOLD
        };
        let (na, nb) = (pa.words.len(), pb.words.len());
        dice >= threshold
            || (dice >= QUOTE_LINK_THRESHOLD && shared_quotes >= QUOTE_SHINGLES)
            || contained_counts(na.min(nb), shared)
            || dice_counts(na, nb, shared) >= COPY_THRESHOLD
    }

    /// Brings the stories up to date after the documents in `changed` were added, replaced or
    /// removed from `corpus`.
    pub fn update(&mut self, corpus: &Corpus, changed: &[DocId]) -> StoryChanges {
        match self.mode {
            StoryMode::Folder => self.update_folders(corpus, changed),
            StoryMode::Auto => self.update_auto(corpus, changed),
        }
    }

    fn update_folders(&mut self, corpus: &Corpus, changed: &[DocId]) -> StoryChanges {
        let mut touched: BTreeSet<String> = BTreeSet::new();
        for &id in changed {
            if let Some(old) = self.folder_of.remove(&id) {
                if let Some(m) = self.folder_members.get_mut(&old) {
                    m.remove(&id);
                    if m.is_empty() {
                        self.folder_members.remove(&old);
                    }
                }
                touched.insert(old);
            }
            if let Some(doc) = corpus.get(id) {
                let f = folder(&doc.path).to_string();
                touched.insert(f.clone());
                self.folder_members.entry(f.clone()).or_default().insert(id);
                self.folder_of.insert(id, f);
            }
        }
        let mut changes = StoryChanges::default();
        let mut affected: BTreeSet<DocId> = changed.iter().copied().collect();
        for f in &touched {
            if let Some(members) = self.folder_members.get(f) {
                affected.extend(members.iter().copied());
            }
        }
        for &id in &affected {
            if let Some(s) = self.story_of.remove(&id)
                && self.stories.remove(&s).is_some()
            {
                changes.removed.push(s);
            }
        }
        let mut by_folder: BTreeMap<&str, Vec<DocId>> = BTreeMap::new();
        for &id in &affected {
            if let Some(f) = self.folder_of.get(&id) {
                by_folder.entry(f.as_str()).or_default().push(id);
            }
        }
        for members in by_folder.into_values() {
            let sid = members[0];
            for &m in &members {
                self.story_of.insert(m, sid);
            }
            self.stories.insert(sid, members);
            changes.added.push(sid);
        }
        changes.removed.sort_unstable();
        changes.added.sort_unstable();
        changes
    }

    /// The documents `id` links to among its candidates: those that selected at least
    /// [`MIN_SHARED_DISTINCTIVE`] of its words, or hold that many of the words it selected. A
    /// pair of dirty documents is looked at once, from its larger id.
    fn links_of(&self, id: DocId, is_dirty: &[bool], counter: &mut Counter) -> Vec<DocId> {
        let (Some(print), Some(selected)) = (self.prints.get(&id), self.selected.get(&id)) else {
            return Vec::new();
        };
        let skip = |c: DocId| c == id || (c < id && is_dirty.get(c).copied().unwrap_or(false));
        let mut count = |list: &[u32], which: usize| {
            for &c in list {
                let c = c as DocId;
                if !skip(c) {
                    counter.add(c, which);
                }
            }
        };
        for &w in &print.words {
            count(posting(&self.chosen_by, w), 0);
            count(posting(&self.copied_by, w), 2);
        }
        let mine = if selected.copies_only { 3 } else { 1 };
        for &w in &selected.words {
            count(posting(&self.postings, w), mine);
        }
        let mut candidates = counter.drain(MIN_SHARED_DISTINCTIVE as u32);
        candidates.sort_unstable();
        candidates.retain(|&(c, copies_only)| {
            if copies_only {
                self.copies(id, c)
            } else {
                self.linked(id, c)
            }
        });
        candidates.into_iter().map(|(c, _)| c).collect()
    }

    /// Whether two documents close in time are copies of one article ([`COPY_THRESHOLD`]).
    fn copies(&self, a: DocId, b: DocId) -> bool {
        let (Some(pa), Some(pb)) = (self.prints.get(&a), self.prints.get(&b)) else {
            return false;
        };
        close_in_time(pa, pb) && dice(&pa.words, &pb.words) >= COPY_THRESHOLD
    }

    fn update_auto(&mut self, corpus: &Corpus, changed: &[DocId]) -> StoryChanges {
        let changed: BTreeSet<DocId> = changed.iter().copied().collect();
        // 1. New prints; posting lists follow the words each changed document lost or gained,
        //    noting each touched word's frequency before the update.
        let mut fresh = prints(corpus, &changed, &mut self.vocab);
        //    When every document is new or changed (a whole build), every document is dirty
        //    anyway: no frequencies are noted (a map of every word of the corpus).
        let everything = self.prints.keys().all(|id| changed.contains(id));
        if everything {
            self.prints.reserve(fresh.len()); // one table, not a doubling trail
            reserve_postings(
                &mut self.postings,
                fresh.values().map(|p| p.words.as_slice()),
                self.vocab.hashes.len(),
            );
        }
        let mut df_before: IntMap<WordId, usize> = IntMap::default();
        for &id in &changed {
            let old = self.prints.remove(&id).map(|p| p.words).unwrap_or_default();
            let new = fresh.remove(&id);
            let new_words = new.as_ref().map_or(&[][..], |p| p.words.as_slice());
            for &w in difference(&old, new_words).iter() {
                if !everything {
                    df_before.entry(w).or_insert_with(|| self.df(w));
                }
                remove_posting(&mut self.postings, w, id);
            }
            for &w in difference(new_words, &old).iter() {
                if !everything {
                    df_before.entry(w).or_insert_with(|| self.df(w));
                }
                insert_sorted(posting_mut(&mut self.postings, w), id);
            }
            if let Some(p) = new {
                self.prints.insert(id, p);
                self.id_bound = self.id_bound.max(id + 1);
            }
        }
        drop(fresh); // emptied, but its table would stay allocated to the end of linking
        if everything {
            // Built whole, in id order: no spare room in lists kept for the index's life.
            self.postings.iter_mut().for_each(Vec::shrink_to_fit);
            self.postings.shrink_to_fit();
        }
        // 2. Documents whose weights or selection may have changed: the changed ones and the
        //    holders of every word whose frequency bucket changed.
        let mut dirty: BTreeSet<DocId> = changed.clone();
        for (&w, &before) in &df_before {
            if selection_bucket(before) != selection_bucket(self.df(w)) {
                dirty.extend(posting(&self.postings, w).iter().map(|&d| d as DocId));
            }
        }
        for &id in &dirty {
            if let Some(old) = self.selected.remove(&id) {
                let lists = if old.copies_only {
                    &mut self.copied_by
                } else {
                    &mut self.chosen_by
                };
                for w in old.words {
                    remove_posting(lists, w, id);
                }
            }
            self.mass.remove(&id);
        }
        // Each dirty document's selection and mass (on several threads for a large batch; they
        // read only the frequencies), then recorded in the order of the documents.
        let dirty_list: Vec<DocId> = dirty.iter().copied().collect();
        let chosen = crate::parallel::map(&dirty_list, |&id| {
            let print = self.prints.get(&id)?;
            let mut counts = [0u32; COMMON_BUCKET as usize];
            for &w in &print.words {
                let b = df_bucket(self.df(w));
                if b < COMMON_BUCKET {
                    counts[usize::from(b)] += 1;
                }
            }
            Some((id, self.select(&print.words), weighted_sum(&counts)))
        });
        if everything {
            let vocab = self.vocab.hashes.len();
            for (lists, copies_only) in [(&mut self.chosen_by, false), (&mut self.copied_by, true)]
            {
                let words = chosen
                    .iter()
                    .flatten()
                    .filter(|(_, selected, _)| selected.copies_only == copies_only)
                    .map(|(_, selected, _)| selected.words.as_slice());
                reserve_postings(lists, words, vocab);
            }
        }
        for (id, selected, mass) in chosen.into_iter().flatten() {
            let lists = if selected.copies_only {
                &mut self.copied_by
            } else {
                &mut self.chosen_by
            };
            for &w in &selected.words {
                insert_sorted(posting_mut(lists, w), id);
            }
            self.selected.insert(id, selected);
            self.mass.insert(id, mass);
        }
        if everything {
            for lists in [&mut self.chosen_by, &mut self.copied_by] {
                lists.iter_mut().for_each(Vec::shrink_to_fit);
                lists.shrink_to_fit();
            }
        }
        // 3. Re-link the dirty documents.
        let mut affected: BTreeSet<DocId> = dirty.clone();
        for &id in &dirty {
            if let Some(old) = self.links.remove(&id) {
                for n in old {
                    affected.insert(n);
                    if let Some(l) = self.links.get_mut(&n) {
                        l.remove(&id);
                    }
                }
            }
        }
        // Each dirty document's links (on several threads for a large batch), then recorded in
        // the order of the documents.
        let size = self.id_bound;
        let mut is_dirty = vec![false; size];
        for &id in &dirty_list {
            if id < size {
                is_dirty[id] = true;
            }
        }
        let found = if dirty_list.len() < crate::parallel::MIN_PARALLEL {
            // An edit: on this thread, with the kept counter.
            let mut counter = std::mem::take(&mut self.counter);
            counter.fit(size);
            let found: Vec<(DocId, Vec<DocId>)> = dirty_list
                .iter()
                .map(|&id| (id, self.links_of(id, &is_dirty, &mut counter)))
                .collect();
            self.counter = counter;
            found
        } else {
            crate::parallel::map_init(
                &dirty_list,
                || Counter::new(size),
                |counter, &id| (id, self.links_of(id, &is_dirty, counter)),
            )
        };
        for (id, linked) in found {
            for &c in &linked {
                affected.insert(c);
                self.links.entry(c).or_default().insert(id);
            }
            self.links.entry(id).or_default().extend(linked);
        }
        // 4. Dissolve the stories of every affected document and rebuild components.
        let mut changes = StoryChanges::default();
        let mut seeds: BTreeSet<DocId> = affected.clone();
        for &id in &affected {
            if let Some(s) = self.story_of.get(&id).copied()
                && let Some(members) = self.stories.remove(&s)
            {
                changes.removed.push(s);
                seeds.extend(members);
            }
        }
        for &id in &seeds {
            self.story_of.remove(&id);
        }
        for &start in &seeds {
            if self.story_of.contains_key(&start) || !self.prints.contains_key(&start) {
                continue;
            }
            let mut members = vec![start];
            let mut seen: BTreeSet<DocId> = BTreeSet::from([start]);
            let mut i = 0;
            while i < members.len() {
                let cur = members[i];
                i += 1;
                for n in self.links.get(&cur).into_iter().flatten() {
                    if seen.insert(*n) {
                        members.push(*n);
                    }
                }
            }
            members.sort_unstable();
            let sid = members[0];
            for &m in &members {
                self.story_of.insert(m, sid);
            }
            self.stories.insert(sid, members);
            changes.added.push(sid);
        }
        for &id in &changed {
            if corpus.get(id).is_none() {
                self.links.remove(&id);
            }
        }
        changes.removed.sort_unstable();
        changes.removed.dedup();
        changes.added.sort_unstable();
        changes
    }
}

/// Four counts per document (dense by id): the words it selected that the document looked at
/// holds and the words that document selected that it holds, each for ordinary selections and
/// for [`Selection::copies_only`] ones; and the documents counted, for reuse from one document
/// to the next.
#[derive(Debug, Clone, Default)]
struct Counter {
    counts: Vec<[u32; 4]>,
    touched: Vec<DocId>,
}

impl Counter {
    fn new(size: usize) -> Counter {
        Counter {
            counts: vec![[0; 4]; size],
            touched: Vec::new(),
        }
    }

    /// Room for documents up to `size` (all counts zero, as [`Counter::drain`] leaves them).
    fn fit(&mut self, size: usize) {
        if self.counts.len() < size {
            self.counts.resize(size, [0; 4]);
        }
    }

    fn add(&mut self, doc: DocId, which: usize) {
        let Some(c) = self.counts.get_mut(doc) else {
            return;
        };
        if *c == [0; 4] {
            self.touched.push(doc);
        }
        c[which] += 1;
    }

    /// The documents with any count at least `min`, each with whether only the counts of
    /// copies-only selections reached it; every count back to zero.
    fn drain(&mut self, min: u32) -> Vec<(DocId, bool)> {
        let mut out = Vec::new();
        for doc in self.touched.drain(..) {
            let c = &mut self.counts[doc];
            if c[0] >= min || c[1] >= min {
                out.push((doc, false));
            } else if c[2] >= min || c[3] >= min {
                out.push((doc, true));
            }
            *c = [0; 4];
        }
        out
    }
}

/// The elements of sorted `a` that are not in sorted `b`.
fn difference(a: &[WordId], b: &[WordId]) -> Vec<WordId> {
    a.iter()
        .copied()
        .filter(|w| b.binary_search(w).is_err())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn a_selection_takes_the_rarest_words_by_hash_while_the_budget_lasts() {
        // What the selection means: sort by (bucket, hash, id), take while the budget lasts.
        fn by_sorting(ranked: &[(u8, u64, WordId)]) -> Vec<WordId> {
            let mut sorted = ranked.to_vec();
            sorted.sort_unstable();
            let mut spent = 0usize;
            let mut out = Vec::new();
            for (b, _, w) in sorted {
                spent += 1usize << b;
                if spent > CANDIDATE_BUDGET {
                    break;
                }
                out.push(w);
            }
            out.sort_unstable();
            out
        }
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        // Short and long lists, narrow and wide spreads of buckets, hashes that tie.
        for (len, buckets, hashes) in [(0, 1, 1), (5, 2, 100), (300, 7, 1 << 40), (2_000, 12, 50)] {
            for _ in 0..20 {
                let ranked: Vec<(u8, u64, WordId)> = (0..len)
                    .map(|w| {
                        let b = (next() % buckets) as u8;
                        (b, next() % hashes, w as WordId)
                    })
                    .collect();
                let mut got = within_budget(&ranked);
                got.sort_unstable();
                assert_eq!(got, by_sorting(&ranked), "{len} words in {buckets} buckets");
            }
        }
    }

    #[test]
    fn posting_lists_are_sized_once_for_the_documents_that_name_their_words() {
        let mut lists: Vec<Posting> = vec![vec![7]];
        let prints: [&[WordId]; 3] = [&[0, 2], &[2, 3], &[2]];
        reserve_postings(&mut lists, prints.into_iter(), 10);
        // Lists up to the last word named, none for the vocabulary's unused tail.
        assert_eq!(lists.len(), 4);
        let capacity: Vec<usize> = lists.iter().map(|l| l.capacity() - l.len()).collect();
        assert!(capacity[0] >= 1 && capacity[2] >= 3 && capacity[3] >= 1);
        let (before, filled) = (lists[2].as_ptr(), {
            for id in 0..3 {
                insert_sorted(&mut lists[2], id);
            }
            lists[2].as_ptr()
        });
        assert_eq!(before, filled, "the list grew in place");
        assert_eq!(lists[0], [7]);
    }

    fn doc(path: &str, text: &str) -> Document {
        Document {
            path: path.into(),
            text: text.into(),
            meta: Default::default(),
            quotes: Vec::new(),
            names: Vec::new(),
        }
    }

    #[test]
    fn word_hashes_read_bytes_as_the_chars_they_encode() {
        // The per-char reading the byte-wise scanner must agree with.
        fn by_chars(text: &str) -> Vec<(u64, usize)> {
            let mut out = Vec::new();
            let (mut h, mut n) = (FNV_OFFSET, 0);
            for c in text.chars() {
                if c.is_alphanumeric() {
                    h = fnv1a_lower_char(h, c);
                    n += 1;
                } else if n > 0 {
                    out.push((h, n));
                    (h, n) = (FNV_OFFSET, 0);
                }
            }
            if n > 0 {
                out.push((h, n));
            }
            out
        }
        for text in [
            "",
            "Plain ASCII, with 42 digits; and--dashes.",
            "Ærø’s İstanbul café: naïve ΣΊΣΥΦΟΣ über-Straße",
            "ends on a letter é",
            "日本語のテキスト and Ünïcödé\u{301} marks",
        ] {
            let mut got = Vec::new();
            for_each_word_hash(text, |h, n| got.push((h, n)));
            assert_eq!(got, by_chars(text), "{text}");
        }
        // Function words are left out of fingerprints, whatever their case.
        let d = doc("a.txt", "The Harbour and THE harbour of the Sound");
        assert_eq!(fingerprint(&d).len(), 2);
    }

    #[test]
    fn frequency_buckets_double_and_stop_at_their_limits() {
        // (documents, df_bucket, selection_bucket)
        #[rustfmt::skip]
        let cases = [
            (0, 0, 0), (1, 0, 0), (2, 1, 1), (3, 2, 2), (4, 2, 2), (5, 3, 3), (8, 3, 3),
            (33, 6, 6), (64, 6, 6), (65, 7, 7), (128, 7, 7), (129, 7, 8), (513, 7, 10),
            (1024, 7, 10), (1025, 7, 11), (1 << 20, 7, 11),
        ];
        for (df, bucket, selection) in cases {
            assert_eq!(df_bucket(df), bucket, "df_bucket({df})");
            assert_eq!(selection_bucket(df), selection, "selection_bucket({df})");
        }
    }

    #[test]
    fn dice_of_sets() {
        assert_eq!(dice(&[1, 2, 3], &[2, 3, 4]), 2.0 * 2.0 / 6.0);
        assert_eq!(dice(&[], &[1]), 0.0);
        // The merge count against a set intersection, on sets of every overlap.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..200 {
            let range = 1 + round % 40;
            let mut set = |n: u64| -> Vec<u64> {
                let s: BTreeSet<u64> = (0..n).map(|_| next() % range).collect();
                s.into_iter().collect()
            };
            let (a, b) = (set(round % 13), set(round % 7 + 1));
            let both = a.iter().filter(|x| b.contains(x)).count();
            assert_eq!(shared_count(&a, &b), both, "{a:?} {b:?}");
            assert_eq!(shared_count(&b, &a), both, "{b:?} {a:?}");
        }
    }

    #[test]
    fn fingerprint_skips_function_words_and_case() {
        let a = fingerprint(&doc("a", "The Mayor said the BRIDGE will open."));
        let b = fingerprint(&doc("b", "bridge mayor open"));
        assert_eq!(a, b);
    }

    #[test]
    fn folder_mode_groups_by_directory() {
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(doc("x/a.txt", "alpha"));
        let b = corpus.upsert(doc("x/b.txt", "beta"));
        let c = corpus.upsert(doc("y/c.txt", "alpha"));
        let mut idx = StoryIndex::new(StoryMode::Folder);
        idx.update(&corpus, &[a, b, c]);
        assert_eq!(idx.story_of(a), idx.story_of(b));
        assert_ne!(idx.story_of(a), idx.story_of(c));
        corpus.remove("x/a.txt");
        idx.update(&corpus, &[a]);
        assert_eq!(idx.story_of(a), None);
        assert_eq!(idx.members(idx.story_of(b).unwrap()), &[b]);
    }

    fn stories(idx: &StoryIndex) -> Vec<Vec<DocId>> {
        idx.stories().map(|(_, m)| m.to_vec()).collect()
    }

    #[test]
    fn words_crossing_the_common_limit_relink_their_documents() {
        let mut corpus = Corpus::new(Config::default());
        let mut ids = Vec::new();
        for i in 0..COMMON_WORD_LIMIT + 3 {
            let d = doc(
                &format!("f{i:04}"),
                &format!("alpha beta gamma delta epsilon w{i}x w{i}y w{i}z"),
            );
            ids.push(corpus.upsert(d));
        }
        let mut live = StoryIndex::new(StoryMode::Auto);
        live.update(&corpus, &ids);
        // Every shared word is common: nobody is linked.
        assert!(stories(&live).iter().all(|s| s.len() == 1));
        for (n, &id) in ids.iter().enumerate().take(4) {
            corpus.remove(&format!("f{n:04}"));
            live.update(&corpus, &[id]);
            let mut fresh = StoryIndex::new(StoryMode::Auto);
            let present: Vec<DocId> = corpus.documents().map(|(i, _)| i).collect();
            fresh.update(&corpus, &present);
            assert_eq!(stories(&live), stories(&fresh), "after removing {n}");
        }
        // The words are distinctive again: one story.
        assert_eq!(stories(&live).len(), 1);
        // And adding documents back makes them common again.
        let mut added = Vec::new();
        for n in 0..4 {
            let text = format!("alpha beta gamma delta epsilon v{n}x v{n}y v{n}z");
            added.push(corpus.upsert(doc(&format!("f{n:04}"), &text)));
        }
        live.update(&corpus, &added);
        let mut fresh = StoryIndex::new(StoryMode::Auto);
        let present: Vec<DocId> = corpus.documents().map(|(i, _)| i).collect();
        fresh.update(&corpus, &present);
        assert_eq!(stories(&live), stories(&fresh));
        assert!(stories(&live).iter().all(|s| s.len() == 1));
    }

    /// A story of more than 64 versions: every word of it is then common and weighs nothing,
    /// but copies still link, and updating one version at a time gives what a whole build does
    /// as its words cross 64, 128 and 256 documents.
    #[test]
    fn a_story_of_hundreds_of_versions_is_one_story() {
        let body: Vec<String> = (0..40).map(|i| format!("harbour{i}word")).collect();
        let version = |v: usize| {
            // Each version leaves out one of the forty words and adds one of its own.
            let mut words: Vec<&str> = body.iter().map(String::as_str).collect();
            words.remove(v % 40);
            format!("{} version{v}only", words.join(" "))
        };
        let mut corpus = Corpus::new(Config::default());
        let ids: Vec<DocId> = (0..300)
            .map(|v| corpus.upsert(doc(&format!("v{v:03}"), &version(v))))
            .collect();
        let mut whole = StoryIndex::new(StoryMode::Auto);
        whole.update(&corpus, &ids);
        assert_eq!(stories(&whole), vec![ids.clone()]);
        let mut live = StoryIndex::new(StoryMode::Auto);
        for (n, &id) in ids.iter().enumerate() {
            live.update(&corpus, &[id]);
            if [1, 64, 65, 129, 257, 299].contains(&n) {
                let mut fresh = StoryIndex::new(StoryMode::Auto);
                fresh.update(&corpus, &ids[..=n]);
                assert_eq!(stories(&live), stories(&fresh), "after {} versions", n + 1);
            }
        }
        assert_eq!(stories(&live), vec![ids]);
    }

    #[test]
    fn a_short_draft_joins_the_story_it_copies_from() {
        let long = "The council voted to delay repairs to the eroded north seawall, leaving the \
            harbour district and its fish market exposed through the spring storm season. The \
            mayor criticised the vote and accused the contractor of pressing the town for an \
            inflated settlement; councillor Marsh promised a new tender in the autumn. Brannock \
            Marine built the wall in 1998 from granite blocks quarried near Kessel, and engineers \
            warned last winter that two sections had cracked after a week of gales. Residents \
            collected four hundred signatures demanding emergency works before Easter, while \
            shopkeepers on Quay Street fear flooding could close their businesses for months.";
        let draft = "Draft: seawall repairs delayed; mayor criticised the council vote; harbour \
            district and fish market exposed to spring storm season; contractor settlement.";
        let other = "The library will open on Sundays from October, funded by a bequest from a \
            former teacher, and fines for overdue books will be scrapped, the librarian said.";
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(doc("a", long));
        let b = corpus.upsert(doc("b", draft));
        let c = corpus.upsert(doc("c", other));
        let mut idx = StoryIndex::new(StoryMode::Auto);
        idx.update(&corpus, &[a, b, c]);
        // Most of the draft's words are in the long version, though it has few of them.
        let (fa, fb) = (
            fingerprint(corpus.get(a).unwrap()),
            fingerprint(corpus.get(b).unwrap()),
        );
        assert!(dice(&fa, &fb) < 0.4 && contained(&fa, &fb));
        assert_eq!(idx.story_of(a), idx.story_of(b));
        assert_ne!(idx.story_of(a), idx.story_of(c));
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("1970-03-01"), Some(59));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2026-02-09T10:00"), Some(20_493));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(day_number("February 9"), None);
        assert_eq!(day_number("2026-13-01"), None);
    }

    #[test]
    fn versions_far_apart_in_time_are_two_stories() {
        let text = "Falcons coach Lindqvist praised the defence after the derby at Millbrook Park";
        let dated = |path: &str, date: Option<&str>| {
            let mut d = doc(path, text);
            d.meta.date = date.map(str::to_string);
            d
        };
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(dated("a", Some("2026-10-04")));
        let b = corpus.upsert(dated("b", Some("2026-10-05")));
        let c = corpus.upsert(dated("c", Some("2026-10-14")));
        let mut idx = StoryIndex::new(StoryMode::Auto);
        idx.update(&corpus, &[a, b, c]);
        assert_eq!(idx.story_of(a), idx.story_of(b));
        assert_ne!(idx.story_of(a), idx.story_of(c));
        // Without a date, content decides.
        corpus.upsert(dated("c", None));
        idx.update(&corpus, &[c]);
        assert_eq!(idx.story_of(a), idx.story_of(c));
    }
}
