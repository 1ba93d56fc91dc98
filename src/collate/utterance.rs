//! Utterances of one story: which quotes of its documents render the same remark, their
//! distinct readings, the canonical reading, and each quote's status.
//!
//! Rules (docs/collation.md states them for users; docs/rules/*.md explains each finding):
//! - Only speech is collated; mentions (titles, nicknames) never join.
//! - Candidates are pairs of quotes in different documents that share a content word (an
//!   inverted index inside the story), not all pairs.
//! - Two quotes render one remark ([`relate`]) when their words are equal, one is an exact (or
//!   elided) part of the other, or they are overlapping windows of one text; else when the
//!   in-order word alignment's *containment* (matched weight / the shorter quote's weight)
//!   reaches [`JOIN_SAME_SPEAKER`] when both name the same speaker, [`JOIN_OTHER_SPEAKER`]
//!   otherwise: a speaker mismatch does not block a match, it becomes a finding. The alignment
//!   counts only when the quotes share content words (the same, or with a plain ending)
//!   ([`MIN_SHARED_WORDS`](super::link::MIN_SHARED_WORDS), and
//!   [`MIN_SHARED_SHARE`](super::link::MIN_SHARED_SHARE) of the one with fewer): words
//!   that only look alike make no remark.
//! - By its words alone, a quote of one to three words joins only its own words, an exact part
//!   of a longer quote, or a near form of it ("crimes of violence" / "crime of violence"), and
//!   only when the speakers can be one person (the same family name or a spelling of it, or
//!   nobody named on one side): a short phrase in two named people's mouths is two remarks.
//! - Links join utterances strongest first ([`cluster`]); a version may put several of its
//!   quotes into one utterance (a headline and the body, excerpts, a lede's paraphrase), but two
//!   unrelated quotes of one version meet only when another version quotes both together: no
//!   chain of partial matches, no phrase two answers share, merges two remarks.
//! - Neighbour anchoring: a short rendering with no word in common joins through its place in
//!   the sentence, next to a quote the versions share (see [`join_by_neighbours`]).
//! - Place anchoring: a quote still alone joins a quote of another version in the same gap
//!   between two remarks both versions share, with a compatible speaker and some content words
//!   aligned (see [`super::place`]).
//! - Near-identical documents (syndicated copies, [`COPY_THRESHOLD`]) are one unit of evidence.
//!   Where the copies of one unit disagree on a quote, the unit backs only the readings most of
//!   its copies back.
//! - An ellipsis (`…`, `...`) inside a quote marks words left out, and words in square
//!   brackets are the editor's, not the speaker's (they are not compared and mark words left
//!   out): a quote whose pieces are exact parts of a reading, in order, is a part of it.
//! - Two excerpts that overlap end to start (the versions cut the remark at different places)
//!   agree with each other.
//! - The support of a reading is the number of units whose quote equals it or is an exact part
//!   of it. The best supported reading is canonical; a longer reading wins a tie with its own
//!   part; then source weights break the tie; otherwise there is no canonical reading.
//! - Status: with a canonical reading, a quote agrees when it is the canonical reading, an
//!   exact part of it or an overlapping window of it, and differs otherwise. Without one, a quote
//!   agrees when it is an exact part (or an overlapping window) of another version's reading,
//!   and differs otherwise. A quote no other version carries is unmatched.
//!
//! Pure: takes documents, returns owned data. Must not depend on `lsp` or `cli`.

use super::Status;
use super::align::{is_elided_part, is_part, overlaps};
use super::link::{RelationCache, UnionFind, cluster, same_family};
use super::place::join_by_place;
use crate::config::Config;
use crate::corpus::DocId;
use crate::corpus::story::{dice, dice_counts, fnv1a, shingles};
use crate::document::{Document, QuoteKind, Span};
use crate::text::normalize::{Word, words_in};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Quotes of at most this many words join only on an exact match or exact part.
pub const SHORT_QUOTE: usize = 3;
/// Dice coefficient of body shingles above which two documents are copies of one another.
pub const COPY_THRESHOLD: f64 = 0.85;

/// One quote of an utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub doc: DocId,
    /// Index into the document's quotes.
    pub quote: usize,
    /// Index into [`Utterance::readings`].
    pub reading: usize,
    pub status: Status,
    /// Its normalised words: its reading's, shared by every member of that reading (a story of
    /// many versions keeps one copy per wording, not one per quote).
    pub texts: Arc<[String]>,
    /// The speaker as the document gives it.
    pub speaker: Option<String>,
}

impl Member {
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Its words as collated ([`Member::texts`]), each with its byte span in `doc`'s text (the
    /// member's document, whose text it was collated from; an expanded contraction gives
    /// several words the same span). Worked out again from the text when asked, not kept: a
    /// server holds every utterance of its corpus, and few are ever shown. Unlike
    /// [`Member::texts`], never emptied by [`StoryCollation::forget_words`].
    pub fn words(&self, doc: &Document) -> Vec<Word> {
        doc.quotes
            .get(self.quote)
            .map_or_else(Vec::new, |q| quote_words(&doc.text, q.span()).0)
    }

    /// The spans of [`Member::words`].
    pub fn spans(&self, doc: &Document) -> Vec<Span> {
        self.words(doc).into_iter().map(|w| w.span).collect()
    }
}

/// The compared words of the quote at `span` of `text` and where words were left out (see
/// [`speaker_words`]).
fn quote_words(text: &str, span: Span) -> (Vec<Word>, Vec<usize>) {
    speaker_words(text, span, words_in(text, span))
}

/// One distinct wording of an utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The normalised words, shared with the members that have this wording
    /// ([`Member::texts`]): one copy per wording.
    pub words: Arc<[String]>,
    /// Word indices an ellipsis stands before (“… like this … Every family …”): the reading
    /// leaves words out there.
    pub elisions: Vec<usize>,
    /// Members (indices into [`Utterance::members`]) that have exactly this wording.
    pub members: Vec<usize>,
    /// Units of evidence (documents, copies counted once) whose quote equals this reading or is
    /// an exact part of it.
    pub support: usize,
    /// Supporting units whose quotes, together, carry every word of this reading (a version
    /// that splits the remark around its cue, `“Q1,” X said. “Q2.”`, carries all of `Q1 Q2`).
    pub full_support: usize,
    /// Sum of the supporting units' source weights.
    pub weight: f64,
}

/// The same remark as rendered by the versions of a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Utterance {
    /// Stable, unique id: speaker, first words, and a hash of the story and the position.
    pub id: String,
    /// Members ordered by document path, then by position.
    pub members: Vec<Member>,
    pub readings: Vec<Reading>,
    /// Index into `readings`, when one reading is best supported.
    pub canonical: Option<usize>,
    /// The canonical reading as one version wrote it (the whole quote between the marks).
    pub canonical_text: Option<String>,
}

impl Utterance {
    /// How many distinct documents carry the utterance.
    pub fn version_count(&self) -> usize {
        self.members
            .iter()
            .map(|m| m.doc)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// A member that has reading `r`, preferring one from a heavier source: the text shown for
    /// that reading.
    pub fn sample(&self, r: usize) -> &Member {
        &self.members[self.readings[r].members[0]]
    }
}

/// The collation of one story.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryCollation {
    /// The story's documents ordered by path.
    pub docs: Vec<DocId>,
    pub utterances: Vec<Utterance>,
    /// (document, quote index) -> (utterance, member).
    pub by_quote: HashMap<(DocId, usize), (usize, usize)>,
    /// Document -> unit of evidence (copies share one).
    pub unit: HashMap<DocId, usize>,
}

impl StoryCollation {
    /// Empties every reading's words and every member's [`Member::texts`] (one copy per
    /// wording, a `String` per word: most of a collation's memory), keeping everything else:
    /// for an analysis whose readers ask the words of a member's document
    /// ([`Member::words`]) instead, as the language server does.
    pub fn forget_words(&mut self) {
        let none: Arc<[String]> = Arc::new([]);
        for u in &mut self.utterances {
            for r in &mut u.readings {
                r.words = none.clone();
            }
            for m in &mut u.members {
                m.texts = none.clone();
            }
        }
    }
}

pub use crate::document::speaker_key;

/// Weight of a document's source from `[sources]` (case-insensitive), default 1.
pub fn source_weight(config: &Config, doc: &Document) -> f64 {
    let label = doc.source_label();
    config
        .sources
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(label))
        .map_or(1.0, |(_, &w)| w)
}

/// One speech quote of the story, in the comparison form.
pub(super) struct Candidate {
    /// The document's index in the story (documents ordered by path).
    pub(super) doc_idx: usize,
    pub(super) doc: DocId,
    pub(super) quote: usize,
    pub(super) texts: Arc<[String]>,
    /// Word indices an ellipsis stands before.
    pub(super) elisions: Vec<usize>,
    pub(super) speaker: Option<String>,
    /// [`speaker_key`] of the speaker.
    pub(super) key: Option<String>,
}

/// The speaker's words of a quote and the places words were left out. An ellipsis (`…`,
/// `...`) leaves words out; words in square brackets are the editor's (“until [the agency]
/// says”): they are dropped from the comparison and leave words out where they stand. Returns
/// the kept words and the indices (into them) an elision stands before.
fn speaker_words(text: &str, quote: Span, words: Vec<Word>) -> (Vec<Word>, Vec<usize>) {
    let inner = quote.of(text);
    // Byte ranges of bracketed runs inside the quote, and of Markdown link targets: in
    // `[the report](https://…)` the words are the speaker's and the address is nobody's.
    let mut brackets: Vec<(usize, usize)> = Vec::new();
    let mut links: Vec<(usize, usize)> = Vec::new();
    let mut open = None;
    for (i, c) in inner.char_indices() {
        match c {
            '[' => open = Some(quote.start + i),
            ']' => {
                let Some(o) = open.take() else { continue };
                let after = &inner[i + 1..];
                if after.starts_with('(')
                    && let Some(close) = after.find(')')
                {
                    let target = quote.start + i + 1;
                    links.push((target, target + close + 1));
                } else {
                    brackets.push((o, quote.start + i));
                }
            }
            _ => {}
        }
    }
    let inside =
        |ranges: &[(usize, usize)], at: usize| ranges.iter().any(|&(a, b)| at > a && at < b);
    let mut kept: Vec<Word> = Vec::with_capacity(words.len());
    let mut elisions: Vec<usize> = Vec::new();
    let mut cut = false;
    let mut last_end: Option<usize> = None;
    for w in words {
        if inside(&links, w.span.start) {
            continue;
        }
        if inside(&brackets, w.span.start) {
            cut = true;
            continue;
        }
        let ellipsis = last_end
            .and_then(|e| text.get(e..w.span.start))
            .is_some_and(|gap| gap.contains('…') || gap.contains("..."));
        if (cut || ellipsis) && !kept.is_empty() && elisions.last() != Some(&kept.len()) {
            elisions.push(kept.len());
        }
        cut = false;
        last_end = Some(w.span.end);
        kept.push(w);
    }
    (kept, elisions)
}

/// What collation reads of one document's text: its body shingles ([`shingles`]) and the
/// comparison words of its speech quotes.
#[derive(Debug, Clone, Default)]
pub struct DocWords {
    shingles: Vec<u64>,
    /// Per speech quote with words: its index, its words and where words were left out.
    quotes: Vec<SpeechWords>,
}

/// A speech quote's index in its document, its comparison words and its elisions.
type SpeechWords = (usize, Arc<[String]>, Vec<usize>);

impl DocWords {
    pub fn of(doc: &Document) -> DocWords {
        DocWords {
            shingles: shingles(doc),
            quotes: speech_words(doc),
        }
    }
}

/// The comparison words of each speech quote of `doc` that has any.
fn speech_words(doc: &Document) -> Vec<SpeechWords> {
    let mut out = Vec::new();
    for (qi, q) in doc.quotes.iter().enumerate() {
        if q.kind != QuoteKind::Speech {
            continue;
        }
        let (words, elisions) = quote_words(&doc.text, q.span());
        if !words.is_empty() {
            out.push((qi, words.into_iter().map(|w| w.text).collect(), elisions));
        }
    }
    out
}

/// [`DocWords`] of documents whose text has not changed, kept by the caller between
/// collations of a story (see `Analysis`), so a keystroke reads only the edited document again.
pub type DocWordsCache = HashMap<DocId, DocWords>;

/// Collates one story. `members` are the story's documents (any order).
pub fn collate_story(docs: &[(DocId, &Document)], config: &Config) -> StoryCollation {
    collate_story_cached(docs, config, &DocWordsCache::new())
}

/// [`collate_story`], taking each document's [`DocWords`] from `cache` when it has them.
pub fn collate_story_cached(
    docs: &[(DocId, &Document)],
    config: &Config,
    cache: &DocWordsCache,
) -> StoryCollation {
    collate_story_with(docs, config, cache, None)
}

/// [`collate_story_cached`], also taking the relations between quote classes from `relations`
/// when an earlier collation worked them out (and keeping the new ones there). The result is
/// the same with or without it.
pub fn collate_story_with(
    docs: &[(DocId, &Document)],
    config: &Config,
    cache: &DocWordsCache,
    relations: Option<&mut RelationCache>,
) -> StoryCollation {
    let mut docs: Vec<(DocId, &Document)> = docs.to_vec();
    docs.sort_by(|a, b| a.1.path.cmp(&b.1.path).then(a.0.cmp(&b.0)));

    // Quotes to collate.
    let mut cands: Vec<Candidate> = Vec::new();
    for (doc_idx, &(id, doc)) in docs.iter().enumerate() {
        let quotes = match cache.get(&id) {
            Some(kept) => Cow::Borrowed(kept.quotes.as_slice()),
            None => Cow::Owned(speech_words(doc)),
        };
        for (qi, texts, elisions) in quotes.iter() {
            let Some(q) = doc.quotes.get(*qi) else {
                continue;
            };
            let speaker = q.speaker().map(str::to_string);
            let key = speaker.as_deref().map(speaker_key);
            cands.push(Candidate {
                doc_idx,
                doc: id,
                quote: *qi,
                texts: Arc::clone(texts),
                elisions: elisions.clone(),
                speaker,
                key,
            });
        }
    }

    let mut uf = UnionFind::new(cands.len());
    cluster(&cands, &mut uf, relations);
    join_by_neighbours(&cands, &docs, &mut uf);
    join_by_place(&cands, &mut uf);

    // Units of evidence: near-identical documents count once.
    let mut unit_uf = UnionFind::new(docs.len());
    if docs.len() > 1 {
        let sh: Vec<Cow<[u64]>> = docs
            .iter()
            .map(|(id, d)| match cache.get(id) {
                Some(kept) => Cow::Borrowed(kept.shingles.as_slice()),
                None => Cow::Owned(shingles(d)),
            })
            .collect();
        for a in 0..docs.len() {
            for b in a + 1..docs.len() {
                // Already one unit (copies join transitively), or too different in size for
                // a Dice coefficient at the threshold: nothing to compare.
                let (na, nb) = (sh[a].len(), sh[b].len());
                if unit_uf.find(a) == unit_uf.find(b)
                    || dice_counts(na, nb, na.min(nb)) < COPY_THRESHOLD
                {
                    continue;
                }
                if dice(&sh[a], &sh[b]) >= COPY_THRESHOLD {
                    unit_uf.union(a, b);
                }
            }
        }
    }
    let unit_of_idx: Vec<usize> = (0..docs.len()).map(|i| unit_uf.find(i)).collect();
    let mut unit_weight: HashMap<usize, f64> = HashMap::new();
    for (i, (_, d)) in docs.iter().enumerate() {
        let w = source_weight(config, d);
        let e = unit_weight.entry(unit_of_idx[i]).or_insert(w);
        *e = e.max(w);
    }

    // Groups, in order of their first quote.
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..cands.len() {
        groups.entry(uf.find(i)).or_default().push(i);
    }
    let story_hash = docs.first().map_or(0, |(_, d)| fnv1a(d.path.as_bytes()));
    let mut used_ids: BTreeSet<String> = BTreeSet::new();
    let mut utterances = Vec::new();
    let mut by_quote = HashMap::new();
    for members in groups.into_values() {
        let mut u = build_utterance(
            &members,
            &cands,
            &unit_of_idx,
            &unit_weight,
            story_hash,
            &mut used_ids,
        );
        u.canonical_text = u.canonical.and_then(|r| {
            let s = u.sample(r);
            let (_, d) = docs.iter().find(|(id, _)| *id == s.doc)?;
            Some(d.quotes.get(s.quote)?.span().of(&d.text).to_string())
        });
        for (mi, m) in u.members.iter().enumerate() {
            by_quote.insert((m.doc, m.quote), (utterances.len(), mi));
        }
        utterances.push(u);
    }
    StoryCollation {
        unit: docs
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (*id, unit_of_idx[i]))
            .collect(),
        docs: docs.iter().map(|(id, _)| *id).collect(),
        utterances,
        by_quote,
    }
}

fn build_utterance(
    group: &[usize],
    cands: &[Candidate],
    unit_of_idx: &[usize],
    unit_weight: &HashMap<usize, f64>,
    story_hash: u64,
    used_ids: &mut BTreeSet<String>,
) -> Utterance {
    // Readings in order of first appearance, each one's words shared by its members.
    let mut readings: Vec<Reading> = Vec::new();
    let mut members: Vec<Member> = Vec::new();
    for &ci in group {
        let c = &cands[ci];
        let r = match readings.iter().position(|r| *r.words == c.texts[..]) {
            Some(r) => r,
            None => {
                readings.push(Reading {
                    words: Arc::clone(&c.texts),
                    elisions: c.elisions.clone(),
                    members: Vec::new(),
                    support: 0,
                    full_support: 0,
                    weight: 0.0,
                });
                readings.len() - 1
            }
        };
        readings[r].members.push(members.len());
        members.push(Member {
            doc: c.doc,
            quote: c.quote,
            reading: r,
            status: Status::Unmatched,
            texts: Arc::clone(&readings[r].words),
            speaker: c.speaker.clone(),
        });
    }
    // Reading -> unit -> (the unit's documents whose quote is the reading or an exact part of
    // it, which words of the reading their quotes carry).
    type Backers = BTreeMap<usize, (BTreeSet<usize>, Vec<bool>)>;
    let mut backing: Vec<Backers> = vec![BTreeMap::new(); readings.len()];
    for (reading, backers) in readings.iter().zip(backing.iter_mut()) {
        for &ci in group {
            let c = &cands[ci];
            if c.texts[..] == *reading.words
                || is_elided_part(&c.texts, &c.elisions, &reading.words)
            {
                let (docs, marks) = backers
                    .entry(unit_of_idx[c.doc_idx])
                    .or_insert_with(|| (BTreeSet::new(), vec![false; reading.words.len()]));
                docs.insert(c.doc_idx);
                let n = c.texts.len();
                for start in 0..=reading.words.len() - n {
                    if reading.words[start..start + n] == c.texts[..] {
                        marks[start..start + n].iter_mut().for_each(|m| *m = true);
                    }
                }
            }
        }
    }
    // A unit whose copies disagree backs only the readings most of its copies back: a copy
    // that altered the quote does not outvote the dozens that kept it.
    let mut unit_most: BTreeMap<usize, usize> = BTreeMap::new();
    for backers in &backing {
        for (&unit, (docs, _)) in backers {
            let most = unit_most.entry(unit).or_insert(0);
            *most = (*most).max(docs.len());
        }
    }
    for (reading, backers) in readings.iter_mut().zip(&backing) {
        let units: Vec<(usize, &Vec<bool>)> = backers
            .iter()
            .filter(|(unit, (docs, _))| docs.len() == unit_most[unit])
            .map(|(&unit, (_, marks))| (unit, marks))
            .collect();
        reading.support = units.len();
        reading.full_support = units
            .iter()
            .filter(|(_, marks)| marks.iter().all(|&m| m))
            .count();
        reading.weight = units
            .iter()
            .map(|(u, _)| unit_weight.get(u).copied().unwrap_or(1.0))
            .sum();
    }
    let canonical = choose_canonical(&readings);
    let versions: BTreeSet<usize> = group.iter().map(|&ci| cands[ci].doc_idx).collect();
    for i in 0..members.len() {
        let own_reading = &readings[members[i].reading];
        let own = &own_reading.words;
        members[i].status = if versions.len() < 2 {
            Status::Unmatched
        } else if let Some(c) = canonical {
            let canon = &readings[c].words;
            // An excerpt that overlaps the canonical reading where the two windows meet (a
            // version that split the remark differently) agrees too.
            if own == canon
                || is_elided_part(own, &own_reading.elisions, canon)
                || overlaps(own, canon)
            {
                Status::Agrees
            } else {
                Status::Differs
            }
        } else {
            // No reading is best supported: a quote agrees when its words are an exact part
            // of another version's reading (or the two are overlapping windows of one text);
            // the others differ.
            let doc = members[i].doc;
            let within_another = readings.iter().enumerate().any(|(r, other)| {
                r != members[i].reading
                    && other.members.iter().any(|&m| members[m].doc != doc)
                    && (is_elided_part(own, &own_reading.elisions, &other.words)
                        || overlaps(own, &other.words))
            });
            if within_another {
                Status::Agrees
            } else {
                Status::Differs
            }
        };
    }
    let id = utterance_id(&members, &readings, canonical, story_hash, used_ids);
    Utterance {
        id,
        members,
        readings,
        canonical,
        canonical_text: None,
    }
}

/// Whether the quotes `a` and then `b` of one document stand in one sentence: `a` does not end
/// a sentence, and the text between them is short, holds no sentence end and no paragraph break.
fn same_sentence(doc: &Document, a: &Candidate, b: &Candidate) -> bool {
    let (Some(qa), Some(qb)) = (doc.quotes.get(a.quote), doc.quotes.get(b.quote)) else {
        return false;
    };
    let own = qa.span().of(&doc.text).trim_end();
    let Some(gap) = doc.text.get(qa.span().end..qb.span().start) else {
        return false;
    };
    !own.ends_with(['.', '!', '?'])
        && gap.len() < 160
        && !gap.contains(['.', '!', '?'])
        && !gap.contains("\n\n")
}

/// Neighbour anchoring: a quote still alone joins a quote of another version when both name the
/// same speaker and stand in one sentence with a neighbouring quote that the two versions
/// already share ("described the talks as “very good” and said Iran “looks like …”" /
/// "said the talks “went very well” and that Iran “looks like …”"). Word overlap cannot line up
/// such short renderings; their place in the sentence can.
fn join_by_neighbours(cands: &[Candidate], docs: &[(DocId, &Document)], uf: &mut UnionFind) {
    let n = cands.len();
    // Utterance root -> its quotes (kept up to date as quotes join).
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        groups.entry(uf.find(i)).or_default().push(i);
    }
    let alone: Vec<usize> = (0..n).filter(|&i| groups[&uf.find(i)].len() == 1).collect();
    for qa in alone {
        if uf.find(qa) != qa || cands[qa].key.is_none() {
            continue;
        }
        let da = cands[qa].doc_idx;
        let doc_a = docs[da].1;
        // (neighbour in A, whether the neighbour follows)
        let mut neighbours = Vec::new();
        if qa + 1 < n
            && cands[qa + 1].doc_idx == da
            && same_sentence(doc_a, &cands[qa], &cands[qa + 1])
        {
            neighbours.push((qa + 1, true));
        }
        if qa > 0 && cands[qa - 1].doc_idx == da && same_sentence(doc_a, &cands[qa - 1], &cands[qa])
        {
            neighbours.push((qa - 1, false));
        }
        'search: for (na, follows) in neighbours {
            let root = uf.find(na);
            let shared: Vec<usize> = groups.get(&root).cloned().unwrap_or_default();
            for nb in shared.into_iter().filter(|&j| cands[j].doc_idx != da) {
                let db = cands[nb].doc_idx;
                let qb = if follows {
                    nb.checked_sub(1)
                } else {
                    Some(nb + 1)
                };
                let Some(qb) = qb.filter(|&q| q < n && cands[q].doc_idx == db) else {
                    continue;
                };
                let doc_b = docs[db].1;
                let sentence = if follows {
                    same_sentence(doc_b, &cands[qb], &cands[nb])
                } else {
                    same_sentence(doc_b, &cands[nb], &cands[qb])
                };
                let qb_root = uf.find(qb);
                let same = matches!((&cands[qa].key, &cands[qb].key), (Some(x), Some(y)) if same_family(x, y));
                if !sentence || !same || qb_root == root {
                    continue;
                }
                // The utterance must not hold a quote of this document already.
                let a_already = groups
                    .get(&qb_root)
                    .is_some_and(|g| g.iter().any(|&k| cands[k].doc_idx == da));
                if !a_already {
                    uf.union(qa, qb);
                    let new_root = uf.find(qa);
                    let mut merged = groups.remove(&qb_root).unwrap_or_default();
                    merged.extend(groups.remove(&qa).unwrap_or_default());
                    groups.insert(new_root, merged);
                    break 'search;
                }
            }
        }
    }
}

/// The best-supported reading; a longer reading wins a tie with its own part; source weights
/// break remaining ties; otherwise none.
pub fn choose_canonical(readings: &[Reading]) -> Option<usize> {
    let best = readings.iter().map(|r| r.support).max()?;
    // Among the best supported, the readings more versions carry in full: a version that
    // splits a remark in two supports the whole remark, not a rewording of half of it.
    let fullest = (0..readings.len())
        .filter(|&r| readings[r].support == best)
        .map(|r| readings[r].full_support)
        .max()?;
    let top: Vec<usize> = (0..readings.len())
        .filter(|&r| readings[r].support == best && readings[r].full_support == fullest)
        .collect();
    let top: Vec<usize> = top
        .iter()
        .copied()
        .filter(|&r| {
            !top.iter()
                .any(|&o| o != r && is_part(&readings[r].words, &readings[o].words))
        })
        .collect();
    if top.len() == 1 {
        return Some(top[0]);
    }
    let heaviest = top
        .iter()
        .map(|&r| readings[r].weight)
        .fold(f64::NEG_INFINITY, f64::max);
    let heavy: Vec<usize> = top
        .into_iter()
        .filter(|&r| (readings[r].weight - heaviest).abs() < 1e-9)
        .collect();
    (heavy.len() == 1).then(|| heavy[0])
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn utterance_id(
    members: &[Member],
    readings: &[Reading],
    canonical: Option<usize>,
    story_hash: u64,
    used: &mut BTreeSet<String>,
) -> String {
    // Family name -> how often each spelling of it is used; spellings of one name
    // ("whitcomb" / "whitcombe") count together and the commonest names the utterance.
    let mut groups: Vec<BTreeMap<String, usize>> = Vec::new();
    for m in members {
        if let Some(s) = &m.speaker {
            let key = speaker_key(s);
            let alike = |k: &String| same_family(k, &key);
            match groups.iter_mut().find(|g| g.keys().any(alike)) {
                Some(g) => *g.entry(key).or_default() += 1,
                None => groups.push(BTreeMap::from([(key, 1)])),
            }
        }
    }
    let best_spelling = |g: &BTreeMap<String, usize>| -> (usize, String) {
        g.iter()
            .max_by(|a, b| {
                a.1.cmp(b.1)
                    .then(a.0.len().cmp(&b.0.len()))
                    .then(b.0.cmp(a.0))
            })
            .map(|(k, &n)| (n, k.clone()))
            .unwrap_or_default()
    };
    let speaker = groups
        .iter()
        .map(|g| (g.values().sum::<usize>(), best_spelling(g).1))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, k)| slug(&k))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unattributed".to_string());
    let reading = &readings[canonical.unwrap_or(0)].words;
    let first: Vec<String> = reading.iter().take(4).map(|w| slug(w)).collect();
    let base = format!(
        "{speaker}-{}-{:06x}",
        first.join("-"),
        story_hash & 0xff_ffff
    );
    let mut id = base.clone();
    let mut n = 2;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(text: &str, support: usize, weight: f64) -> Reading {
        Reading {
            words: text.split(' ').map(str::to_string).collect(),
            members: vec![0],
            elisions: Vec::new(),
            support,
            full_support: support,
            weight,
        }
    }

    #[test]
    fn a_version_split_around_its_cue_supports_the_whole_remark() {
        // Sports: "A B. C D"; Ledger: "A B" and "C D" (split by the cue); Radio: "A X. C D".
        // Ledger carries all of the sports reading and only half of the radio's.
        let mut whole = reading("a b c d", 2, 2.0);
        whole.full_support = 2;
        let mut reworded = reading("a x c d", 2, 2.0);
        reworded.full_support = 1;
        let r = [
            reading("a b", 1, 1.0),
            reading("c d", 1, 1.0),
            whole,
            reworded,
        ];
        assert_eq!(choose_canonical(&r), Some(2));
    }

    #[test]
    fn best_supported_reading_is_canonical() {
        let r = [reading("a b c", 2, 2.0), reading("a x c", 1, 1.0)];
        assert_eq!(choose_canonical(&r), Some(0));
    }

    #[test]
    fn a_longer_reading_wins_a_tie_with_its_own_part() {
        let r = [reading("b c", 2, 2.0), reading("a b c d", 2, 2.0)];
        assert_eq!(choose_canonical(&r), Some(1));
    }

    #[test]
    fn unrelated_readings_tie_unless_a_source_weighs_more() {
        let r = [reading("a b c", 1, 1.0), reading("a x c", 1, 1.0)];
        assert_eq!(choose_canonical(&r), None);
        let r = [reading("a b c", 1, 1.0), reading("a x c", 1, 2.0)];
        assert_eq!(choose_canonical(&r), Some(1));
    }

    #[test]
    fn speaker_keys_compare_family_names() {
        assert_eq!(speaker_key("Donald Trump"), speaker_key("Trump"));
        assert_eq!(speaker_key("President Donald Trump"), "trump");
        assert_ne!(speaker_key("Abbas Araghchi"), speaker_key("Donald Trump"));
    }

    fn doc(path: &str, text: &str, quotes: &[(&str, Option<&str>)]) -> Document {
        use crate::document::{Attribution, Quote, Resolution, Span};
        let quotes = quotes
            .iter()
            .map(|(q, who)| {
                let start = text.find(q).expect("quote in text");
                Quote::new(
                    Span::new(start, start + q.len()),
                    Span::new(start, start),
                    None,
                    QuoteKind::Speech,
                    who.map(|w| Attribution::new(w, None, "said", None, Resolution::Name)),
                    None,
                )
                .unwrap()
            })
            .collect();
        Document {
            path: path.into(),
            text: text.into(),
            meta: Default::default(),
            quotes,
            names: Vec::new(),
        }
    }

    #[test]
    fn a_short_quote_joins_its_own_words_or_a_near_form_of_a_compatible_speaker() {
        let a = doc(
            "a",
            "Ann Lee called it a “red line” today.",
            &[("red line", Some("Ann Lee"))],
        );
        let b = doc(
            "b",
            "Bo Park called it a “red line” too.",
            &[("red line", Some("Bo Park"))],
        );
        let c = doc(
            "c",
            "Lee spoke of a “red line” again.",
            &[("red line", Some("Lee"))],
        );
        let d = doc(
            "d",
            "Lee spoke of “red lines” again.",
            &[("red lines", Some("Lee"))],
        );
        let e = doc(
            "e",
            "The minister spoke of a “red line”.",
            &[("red line", None)],
        );
        let f = doc(
            "f",
            "Lee spoke of a “blue line” again.",
            &[("blue line", Some("Lee"))],
        );
        let docs = [(0, &a), (1, &b), (2, &c), (3, &d), (4, &e), (5, &f)];
        let col = collate_story(&docs, &Config::default());
        let group = |id: DocId| col.by_quote[&(id, 0)].0;
        let status = |id: DocId| {
            let (u, m) = col.by_quote[&(id, 0)];
            col.utterances[u].members[m].status
        };
        // The same words of the same speaker, or of a speaker not named, join.
        assert_eq!(group(0), group(2));
        assert_eq!(group(0), group(4));
        // A common phrase in another person's mouth is another remark.
        assert_ne!(group(0), group(1));
        // A near form of the words (a plural) is the same remark misquoted...
        assert_eq!(group(0), group(3));
        assert_eq!(status(3), Status::Differs);
        assert_eq!(status(2), Status::Agrees);
        // ... another word is not.
        assert_ne!(group(0), group(5));
    }

    #[test]
    fn mentions_never_join() {
        let mut a = doc(
            "a",
            "The show “Morning Tide” aired.",
            &[("Morning Tide", None)],
        );
        let mut b = doc(
            "b",
            "The show “Morning Tide” ended.",
            &[("Morning Tide", None)],
        );
        a.quotes[0].kind = QuoteKind::Mention;
        b.quotes[0].kind = QuoteKind::Mention;
        let col = collate_story(&[(0, &a), (1, &b)], &Config::default());
        assert!(col.utterances.is_empty());
    }
}

#[cfg(test)]
mod elision_tests {
    use crate::collate::{Analysis, Status};
    use crate::config::Config;
    use crate::corpus::Corpus;
    use crate::document::Document;

    #[test]
    fn a_quote_with_an_ellipsis_agrees_with_the_full_quote() {
        let full = "We have never seen the mountain move like this, and we will not wait for it \
                    to fall. Every family has been told to be ready to leave within an hour";
        let elided = "We have never seen the mountain move like this … Every family has been told \
                      to be ready to leave within an hour";
        let changed = "We have never seen the mountain move like this... Every family has been \
                       told to be ready to leave at once";
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(Document::parse(
            "a.txt",
            format!(
                "The harbour at Keldhaven was evacuated on Monday after the slope moved again \
                 overnight.\n\n“{full},” Mayor Ingrid Solvang said.\n\nFerries stand by."
            ),
        ));
        let b = corpus.upsert(Document::parse(
            "b.txt",
            format!(
                "Keldhaven's harbour was emptied on Monday once the slope above the village \
                 moved.\n\n“{elided},” Mayor Ingrid Solvang said at the town hall."
            ),
        ));
        let c = corpus.upsert(Document::parse(
            "c.txt",
            format!(
                "Families left the harbour at Keldhaven as the mountainside slid again.\n\n\
                 “{changed},” said Mayor Ingrid Solvang."
            ),
        ));
        let analysis = Analysis::of(&corpus);
        let status = |d| analysis.quote_info(d, 0).and_then(|i| i.status);
        assert_eq!(status(a), Some(Status::Agrees));
        assert_eq!(status(b), Some(Status::Agrees));
        // An ellipsis excuses the words left out, not a changed word.
        assert_eq!(status(c), Some(Status::Differs));
    }

    #[test]
    fn words_in_brackets_are_the_editors() {
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(Document::parse(
            "a.txt",
            "The ferry strike at Keldhaven entered its third week as talks stalled again.\n\n\
             “The ferry will stay in the harbour until the agency says the slope is safe again,” \
             said harbourmaster Odd Rime.",
        ));
        let b = corpus.upsert(Document::parse(
            "b.txt",
            "Keldhaven ferry workers began a third week of strike action after talks stalled.\n\n\
             “The ferry will stay in the harbour until [the monitoring agency] says the slope is \
             safe again,” harbourmaster Odd Rime said.",
        ));
        let c = corpus.upsert(Document::parse(
            "c.txt",
            "Talks to end the Keldhaven ferry strike stalled again, three weeks in.\n\n\
             “[It] will stay in the harbour until the agency says the slope is safe again,” \
             said harbourmaster Odd Rime.",
        ));
        let analysis = Analysis::of(&corpus);
        let status = |d| analysis.quote_info(d, 0).and_then(|i| i.status);
        assert_eq!(status(a), Some(Status::Agrees));
        assert_eq!(status(b), Some(Status::Agrees));
        assert_eq!(status(c), Some(Status::Agrees));
    }

    #[test]
    fn an_excerpt_across_another_versions_split_agrees_with_both_parts() {
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(Document::parse(
            "a.txt",
            "Arne Tveit, 71, stood on the quay as families loaded their cars at Keldhaven.\n\n\
             “My grandfather fished from this harbor,” Tveit said. “We are not people who run.\n\n\
             “But when the mountain speaks, you listen. I have packed one bag, and my boat is \
             ready.”",
        ));
        let b = corpus.upsert(Document::parse(
            "b.txt",
            "Keldhaven's residents were told to be ready to leave their homes within an hour.\n\n\
             Arne Tveit said: “We are not people who run. But when the mountain speaks, you \
             listen. I have packed one bag.”",
        ));
        let analysis = Analysis::of(&corpus);
        let status = |d, q| analysis.quote_info(d, q).and_then(|i| i.status);
        assert_eq!(status(a, 1), Some(Status::Agrees));
        assert_eq!(status(a, 2), Some(Status::Agrees));
        assert_eq!(status(b, 0), Some(Status::Agrees));
        let differs = |d| {
            analysis
                .findings(d)
                .iter()
                .any(|f| f.code == crate::findings::Code::QuoteDiffers)
        };
        assert!(!differs(a) && !differs(b));
    }

    #[test]
    fn a_markdown_link_inside_a_quote_is_its_words() {
        let mut corpus = Corpus::new(Config::default());
        let a = corpus.upsert(Document::parse(
            "a.md",
            "The ferry strike at Keldhaven entered its third week as talks stalled again.\n\n\
             “We have read [the agency report](https://example.org/report.pdf) twice and it \
             changes nothing,” said union steward Tomas Riedel.",
        ));
        let b = corpus.upsert(Document::parse(
            "b.txt",
            "Keldhaven ferry workers began a third week of strike action after talks stalled.\n\n\
             “We have read the agency report twice and it changes nothing,” said Tomas Riedel.",
        ));
        let analysis = Analysis::of(&corpus);
        let status = |d| analysis.quote_info(d, 0).and_then(|i| i.status);
        assert_eq!(status(a), Some(Status::Agrees));
        assert_eq!(status(b), Some(Status::Agrees));
    }
}
