//! Linking the quotes of one story into utterances: when two quotes render one remark, and how
//! the links join into utterances without chaining two remarks together. `docs/collation.md`
//! states the rules for users; [`super::utterance`] turns the resulting groups into readings.
//!
//! The work is done on *classes* (the quotes with the same compared words) and *nodes* (the
//! quotes of a class that can be one speaker), so a remark repeated a thousand times costs one
//! comparison, and candidates for a link come from an index of word ids with a budget per
//! class: no comparison of all pairs, whatever the input.
//!
//! Pure: works on [`Candidate`]s, returns unions. Must not depend on `lsp` or `cli`.

use super::align::{
    containment_of, is_elided_part, matched_weight, overlaps, shared_content_words, total_weight,
    word_similarity,
};
use super::utterance::{Candidate, SHORT_QUOTE};
use crate::text::normalize::is_stopword;
// Maps keyed by words or ids, looked up many times per story and never walked (so no order can
// depend on the hash): FNV, not SipHash.
use crate::extract::lexicon::{FnvMap, FnvSet};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Containment needed to join two quotes that name the same speaker.
pub const JOIN_SAME_SPEAKER: f64 = 0.4;
/// Containment needed to join two quotes whose speakers differ or are unknown.
pub const JOIN_OTHER_SPEAKER: f64 = 0.55;
/// Containment at which two quotes of one version are two renderings of one remark (a lede's
/// paraphrase and the body's quote), so they may stand in one utterance.
pub const TWICE_IN_ONE_VERSION: f64 = 0.6;
/// Share of a quote's words that must align with another quote for the other to carry it: then
/// a version that quotes two passages together holds both.
pub const CARRIED: f64 = 0.75;
/// Content words two quotes must share (the same word, or with a plain ending:
/// [`super::align::word_key`]; all of them when the one with fewer has fewer) before their
/// alignment may join them: one shared word ("harbour") is a topic, not a remark, however alike
/// the other words look.
pub const MIN_SHARED_WORDS: usize = 2;
/// Share of the content words of the quote with fewer that must stand in the other (as for
/// [`MIN_SHARED_WORDS`]): a long quote needs more than two.
pub const MIN_SHARED_SHARE: f64 = 0.25;
/// How many posting-list entries one class may walk to find its candidates (rarest words
/// first): bounded work per quote whatever the vocabulary.
pub const CANDIDATE_BUDGET: usize = 4096;

/// A union-find over indices; the smaller root wins, so results do not depend on the order of
/// unions.
pub struct UnionFind(Vec<usize>);

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind((0..n).collect())
    }

    pub fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let next = self.0[y];
            self.0[y] = r;
            y = next;
        }
        r
    }

    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.0[hi] = lo;
        }
    }
}

/// Whether two family-name keys are spellings of one name: equal, or alike enough to be a
/// misspelling or a transliteration (the same first letter and a Damerau-Levenshtein similarity
/// of at least 0.8: Whitcomb/Whitcombe, Zelensky/Zelenskyy, Trump/Trumps).
pub fn same_family(a: &str, b: &str) -> bool {
    !a.is_empty()
        && (a == b
            || (a.chars().next() == b.chars().next()
                && strsim::normalized_damerau_levenshtein(a, b) >= 0.8))
}

/// Whether the short quote `short` stands in `long` word for word, each word the same or a near
/// form of it ("crimes of violence" / "crime of violence", "remove bureaucracy" / "removing
/// bureaucracy"), with at least one content word exactly the same.
pub fn near_part(short: &[String], long: &[String]) -> bool {
    if short.is_empty() || short.len() > long.len() {
        return false;
    }
    long.windows(short.len()).any(|w| {
        w.iter()
            .zip(short)
            .all(|(x, y)| word_similarity(x, y) > 0.0)
            && w.iter().zip(short).any(|(x, y)| x == y && !is_stopword(x))
    })
}

/// Whether two quotes share enough content words to be two renderings of one remark by their
/// alignment (see [`MIN_SHARED_WORDS`] and [`MIN_SHARED_SHARE`]).
pub fn shares_enough_words(a: &[String], b: &[String]) -> bool {
    let (shared, fewest) = shared_content_words(a, b);
    shared >= MIN_SHARED_WORDS.min(fewest) && shared as f64 >= MIN_SHARED_SHARE * fewest as f64
}

/// The quotes with the same compared words and elisions.
struct Class {
    /// Index of the first quote: its words stand for the class.
    first: usize,
    short: bool,
    /// The documents (indices in the story) its quotes are in, sorted.
    docs: Vec<usize>,
}

/// How the words of two classes relate, whoever says them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum TextRel {
    Equal,
    /// One is an exact (or elided) part of the other; `x_in_y` says which.
    Part {
        x_in_y: bool,
    },
    /// Overlapping windows of one text.
    Overlap,
    /// A short quote is a near form of a part of the other.
    Near {
        x_in_y: bool,
    },
    /// The alignment matches `c` of the shorter quote (at least [`JOIN_SAME_SPEAKER`]).
    Fuzzy {
        c: f64,
        x_in_y: bool,
        y_in_x: bool,
    },
}

impl TextRel {
    /// The same relation seen from the other class.
    fn flipped(self) -> TextRel {
        match self {
            TextRel::Part { x_in_y } => TextRel::Part { x_in_y: !x_in_y },
            TextRel::Near { x_in_y } => TextRel::Near { x_in_y: !x_in_y },
            TextRel::Fuzzy { c, x_in_y, y_in_x } => TextRel::Fuzzy {
                c,
                x_in_y: y_in_x,
                y_in_x: x_in_y,
            },
            other => other,
        }
    }

    /// Whether the first class's words are within the second's (see [`CARRIED`]).
    fn x_in_y(self) -> bool {
        match self {
            TextRel::Equal | TextRel::Overlap => true,
            TextRel::Part { x_in_y } | TextRel::Near { x_in_y } => x_in_y,
            TextRel::Fuzzy { x_in_y, .. } => x_in_y,
        }
    }
}

/// How the words of `x` and `y` (two different classes) relate; `None` when they cannot be one
/// remark whoever says them.
fn text_rel(x: &Candidate, y: &Candidate) -> Option<TextRel> {
    let (a, b) = (&x.texts, &y.texts);
    if a == b {
        return Some(TextRel::Equal);
    }
    if a.len() < b.len() && is_elided_part(a, &x.elisions, b) {
        return Some(TextRel::Part { x_in_y: true });
    }
    if b.len() < a.len() && is_elided_part(b, &y.elisions, a) {
        return Some(TextRel::Part { x_in_y: false });
    }
    if overlaps(a, b) {
        return Some(TextRel::Overlap);
    }
    if a.len().min(b.len()) <= SHORT_QUOTE {
        return if a.len() <= b.len() {
            near_part(a, b).then_some(TextRel::Near { x_in_y: true })
        } else {
            near_part(b, a).then_some(TextRel::Near { x_in_y: false })
        };
    }
    if !shares_enough_words(a, b) {
        return None;
    }
    let matched = matched_weight(a, b);
    let c = containment_of(matched, a, b);
    if c < JOIN_SAME_SPEAKER || matched < 2.0 {
        return None;
    }
    let (wa, wb) = (total_weight(a), total_weight(b));
    Some(TextRel::Fuzzy {
        c,
        x_in_y: c >= CARRIED && wa <= wb,
        y_in_x: c >= CARRIED && wb <= wa,
    })
}

/// The quotes of one class that can be one speaker.
struct Node {
    class: usize,
    quotes: Vec<usize>,
    /// The documents (indices in the story) its quotes are in, sorted.
    docs: Vec<usize>,
    /// The family-name keys its quotes are attributed to, one per spelling group.
    families: Vec<String>,
}

impl Node {
    /// Both name someone, and nobody in common.
    fn named_apart(&self, other: &Node) -> bool {
        !self.families.is_empty()
            && !other.families.is_empty()
            && !self
                .families
                .iter()
                .any(|a| other.families.iter().any(|b| same_family(a, b)))
    }

    fn same_speaker(&self, other: &Node) -> bool {
        self.families
            .iter()
            .any(|a| other.families.iter().any(|b| same_family(a, b)))
    }

    /// Whether some quote of one is in another document than some quote of the other.
    fn across_documents(&self, other: &Node) -> bool {
        !(self.docs.len() == 1 && other.docs == self.docs)
    }
}

/// The spelling groups of the speakers of `quotes`: (family key, its quotes); and the quotes
/// that name nobody.
fn by_family(cands: &[Candidate], quotes: &[usize]) -> (Vec<(String, Vec<usize>)>, Vec<usize>) {
    let mut families: Vec<(String, Vec<usize>)> = Vec::new();
    let mut unnamed = Vec::new();
    for &q in quotes {
        match cands[q].key.as_deref().filter(|k| !k.is_empty()) {
            None => unnamed.push(q),
            Some(k) => match families.iter_mut().find(|(f, _)| same_family(f, k)) {
                Some((_, list)) => list.push(q),
                None => families.push((k.to_string(), vec![q])),
            },
        }
    }
    (families, unnamed)
}

fn node(cands: &[Candidate], class: usize, quotes: Vec<usize>) -> Node {
    let mut docs: Vec<usize> = quotes.iter().map(|&q| cands[q].doc_idx).collect();
    docs.sort_unstable();
    docs.dedup();
    let (families, _) = by_family(cands, &quotes);
    Node {
        class,
        quotes,
        docs,
        families: families.into_iter().map(|(f, _)| f).collect(),
    }
}

/// Splits the quotes into classes and nodes. A class of more than [`SHORT_QUOTE`] words is one
/// node (the same long passage is one remark whoever is named); a short class is one node per
/// speaker it names, with the unnamed quotes in a node of their own when it names several
/// (with the one speaker when it names one).
fn classes_and_nodes(cands: &[Candidate]) -> (Vec<Class>, Vec<Node>) {
    // Keys are looked up, never walked: a fixed hash (FNV) instead of SipHash, which was a
    // lookup of every word of every quote.
    let mut by_words: FnvMap<(&[String], &[usize]), usize> = FnvMap::default();
    let mut classes: Vec<Class> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        let k = *by_words
            .entry((&c.texts[..], c.elisions.as_slice()))
            .or_insert_with(|| {
                classes.push(Class {
                    first: i,
                    short: c.texts.len() <= SHORT_QUOTE,
                    docs: Vec::new(),
                });
                members.push(Vec::new());
                classes.len() - 1
            });
        members[k].push(i);
        classes[k].docs.push(c.doc_idx);
    }
    for class in &mut classes {
        class.docs.sort_unstable();
        class.docs.dedup();
    }
    let mut nodes = Vec::new();
    for (k, quotes) in members.into_iter().enumerate() {
        if !classes[k].short {
            nodes.push(node(cands, k, quotes));
            continue;
        }
        let (families, unnamed) = by_family(cands, &quotes);
        if families.len() <= 1 {
            nodes.push(node(cands, k, quotes));
            continue;
        }
        for (_, list) in families {
            nodes.push(node(cands, k, list));
        }
        if !unnamed.is_empty() {
            nodes.push(node(cands, k, unnamed));
        }
    }
    (classes, nodes)
}

/// Pairs of classes that may render one remark: quotes of different documents that share two
/// content words (by their first four letters) (all of them when one has fewer; one word when either is a short quote, whose
/// every word counts), each class
/// walking its rarest words' posting lists within [`CANDIDATE_BUDGET`]. Sorted, each pair once,
/// smaller index first. Two classes found only in one and the same document are no candidates
/// (their relation is worked out when a link needs it, see [`Relations`]).
fn candidate_pairs(cands: &[Candidate], classes: &[Class]) -> Vec<(usize, usize)> {
    let mut ids: FnvMap<&str, u32> = FnvMap::default();
    let mut keys: Vec<Vec<u32>> = Vec::with_capacity(classes.len());
    for class in classes {
        let mut k: Vec<u32> = cands[class.first]
            .texts
            .iter()
            .filter(|w| class.short || !is_stopword(w))
            .map(|w| {
                // Words are indexed by their first four letters, so the forms of one word that
                // a near match accepts (`look`/`looking`, `option`/`options`) meet.
                let stem = w.char_indices().nth(4).map_or(w.as_str(), |(i, _)| &w[..i]);
                let next = ids.len() as u32;
                *ids.entry(stem).or_insert(next)
            })
            .collect();
        k.sort_unstable();
        k.dedup();
        keys.push(k);
    }
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); ids.len()];
    for (ci, k) in keys.iter().enumerate() {
        for &w in k {
            postings[w as usize].push(ci as u32);
        }
    }
    // The one document a class is found in, if one: two classes of one and the same document
    // are no candidates, so they are passed over before they are counted.
    let only_doc: Vec<Option<usize>> = classes
        .iter()
        .map(|c| (c.docs.len() == 1).then(|| c.docs[0]))
        .collect();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    // Shared words per other class, counted in a dense table that is reset after each class.
    let mut shared: Vec<u32> = vec![0; classes.len()];
    let mut touched: Vec<usize> = Vec::new();
    for (ci, k) in keys.iter().enumerate() {
        let mut by_rarity: Vec<u32> = k.clone();
        by_rarity.sort_by_key(|&w| (postings[w as usize].len(), w));
        let mut spent = 0usize;
        for w in by_rarity {
            let list = &postings[w as usize];
            spent += list.len();
            if spent > CANDIDATE_BUDGET {
                break;
            }
            for &other in list {
                let other = other as usize;
                if other == ci || (only_doc[ci].is_some() && only_doc[other] == only_doc[ci]) {
                    continue;
                }
                if shared[other] == 0 {
                    touched.push(other);
                }
                shared[other] += 1;
            }
        }
        for other in touched.drain(..) {
            let n = std::mem::take(&mut shared[other]);
            let (x, y) = (&classes[ci], &classes[other]);
            // Two shared words, or all the words of a quote that has fewer.
            let fewest = keys[ci].len().min(keys[other].len());
            let need = if x.short || y.short {
                1
            } else {
                fewest.clamp(1, 2)
            };
            if n as usize >= need {
                pairs.push((ci.min(other), ci.max(other)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// A class's words and elisions: everything [`text_rel`] reads of it.
type ClassKey = (Arc<[String]>, Vec<usize>);

/// The relations between classes of quotes kept from one collation to the next (a keystroke's
/// story is collated again with most of its quotes unchanged), keyed by the classes' words and
/// elisions: a relation is a function of exactly those, so an edited quote has another key and
/// finds nothing, whatever document it is in. Holds only the classes of the stories collated
/// since [`RelationCache::begin`], once [`RelationCache::end`] is called: one story's worth.
#[derive(Debug, Clone, Default)]
pub struct RelationCache {
    /// Class key -> its id, stable while the key stays in the cache.
    ids: FnvMap<ClassKey, usize>,
    next: usize,
    /// (x, y) -> how x's words stand to y's, by ids.
    known: FnvMap<(usize, usize), Option<TextRel>>,
    /// Ids of the classes met since [`RelationCache::begin`].
    live: FnvSet<usize>,
}

impl RelationCache {
    /// Starts a round of collations: what they do not meet is evicted at [`RelationCache::end`].
    pub fn begin(&mut self) {
        self.live.clear();
    }

    /// Ends a round: keeps only the classes met since [`RelationCache::begin`] and the
    /// relations between two of them.
    pub fn end(&mut self) {
        let live = std::mem::take(&mut self.live);
        self.ids.retain(|_, id| live.contains(id));
        self.known
            .retain(|(x, y), _| live.contains(x) && live.contains(y));
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = RelationCache::default();
    }

    /// How many relations it holds (both directions count).
    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The id of the class whose first quote is `c`, marked as met.
    fn id(&mut self, c: &Candidate) -> usize {
        let next = &mut self.next;
        let id = *self
            .ids
            .entry((c.texts.clone(), c.elisions.clone()))
            .or_insert_with(|| {
                *next += 1;
                *next - 1
            });
        self.live.insert(id);
        id
    }
}

/// The relations between classes, both directions ((x, y) -> how x's words stand to y's):
/// computed for the candidate pairs up front, and for any other pair the first time a link
/// needs it (two quotes of one document). Kept under the classes' ids: their indices, or their
/// ids in a [`RelationCache`] that outlives the collation.
struct Relations<'a> {
    cands: &'a [Candidate],
    classes: &'a [Class],
    ids: Vec<usize>,
    known: &'a mut FnvMap<(usize, usize), Option<TextRel>>,
}

impl Relations<'_> {
    fn get(&mut self, x: usize, y: usize) -> Option<TextRel> {
        if x == y {
            return Some(TextRel::Equal);
        }
        let (ix, iy) = (self.ids[x], self.ids[y]);
        if let Some(&r) = self.known.get(&(ix, iy)) {
            return r;
        }
        let r = text_rel(
            &self.cands[self.classes[x].first],
            &self.cands[self.classes[y].first],
        );
        self.known.insert((ix, iy), r);
        self.known.insert((iy, ix), r.map(TextRel::flipped));
        r
    }

    /// Whether x's words are within y's.
    fn carried(&mut self, x: usize, y: usize) -> bool {
        self.get(x, y).is_some_and(TextRel::x_in_y)
    }

    /// Whether two quotes of one document may stand in one utterance on their own: the same
    /// words, a part, overlapping windows, or two renderings of one remark.
    fn related(&mut self, x: usize, y: usize) -> bool {
        match self.get(x, y) {
            Some(TextRel::Equal | TextRel::Part { .. } | TextRel::Overlap) => true,
            Some(TextRel::Fuzzy { c, .. }) => c >= TWICE_IN_ONE_VERSION,
            _ => false,
        }
    }
}

/// Lines the quotes up into utterances (unions in `uf`, over quote indices): the links between
/// nodes, strongest first, each joining two utterances unless that would put two unrelated
/// quotes of one document together that no quote of another document carries both of (a
/// version that quotes the two passages as one), or the same short phrase from two named
/// people. So a version may quote one remark several times or in excerpts, but two remarks never
/// merge through a phrase they share or a chain of partial matches.
///
/// With a `cache`, the relations between classes come from it when an earlier collation worked
/// them out, and the ones worked out here are kept in it; the result is the same either way.
pub(super) fn cluster(cands: &[Candidate], uf: &mut UnionFind, cache: Option<&mut RelationCache>) {
    let (classes, nodes) = classes_and_nodes(cands);
    let mut nodes_of: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
    for (n, node) in nodes.iter().enumerate() {
        nodes_of[node.class].push(n);
    }
    let mut local = FnvMap::default();
    let (ids, known) = match cache {
        Some(cache) => {
            let ids = classes.iter().map(|c| cache.id(&cands[c.first])).collect();
            (ids, &mut cache.known)
        }
        None => ((0..classes.len()).collect(), &mut local),
    };
    let mut relations = Relations {
        cands,
        classes: &classes,
        ids,
        known,
    };
    let mut class_links: Vec<(usize, usize, TextRel)> = Vec::new();
    for (x, y) in candidate_pairs(cands, &classes) {
        if let Some(r) = relations.get(x, y) {
            class_links.push((x, y, r));
        }
    }

    // Links between nodes, with their strength: the nodes of one class (equal words), then the
    // nodes of related classes.
    let mut links: Vec<(f64, usize, usize)> = Vec::new();
    let mut link = |a: usize, b: usize, r: TextRel| {
        if let Some(score) = link_score(&classes, &nodes[a], &nodes[b], r) {
            links.push((score, a.min(b), a.max(b)));
        }
    };
    for list in &nodes_of {
        for (i, &a) in list.iter().enumerate() {
            for &b in &list[i + 1..] {
                link(a, b, TextRel::Equal);
            }
        }
    }
    for &(x, y, r) in &class_links {
        for &a in &nodes_of[x] {
            for &b in &nodes_of[y] {
                link(a, b, r);
            }
        }
    }
    links.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));

    // Join strongest first, refusing a join that would put unrelated quotes of one document
    // together without a quote of another document that carries both.
    let mut node_uf = UnionFind::new(nodes.len());
    let mut members: BTreeMap<usize, Vec<usize>> = (0..nodes.len()).map(|n| (n, vec![n])).collect();
    for (_, a, b) in links {
        let (ra, rb) = (node_uf.find(a), node_uf.find(b));
        if ra == rb
            || conflict(
                &classes,
                &nodes,
                &mut relations,
                &members[&ra],
                &members[&rb],
            )
        {
            continue;
        }
        let mut merged = members.remove(&ra).unwrap_or_default();
        merged.extend(members.remove(&rb).unwrap_or_default());
        node_uf.union(ra, rb);
        members.insert(node_uf.find(ra), merged);
    }
    for (n, node) in nodes.iter().enumerate() {
        let root = node_uf.find(n);
        let anchor = nodes[root].quotes[0];
        for &q in &node.quotes {
            uf.union(anchor, q);
        }
    }
}

/// How strong a link between two nodes of related classes is; `None` when they must not join:
/// no quotes in two documents, a short phrase from two named people, or an alignment under the
/// threshold for the speakers.
fn link_score(classes: &[Class], na: &Node, nb: &Node, r: TextRel) -> Option<f64> {
    if !na.across_documents(nb) {
        return None;
    }
    let short = classes[na.class].short || classes[nb.class].short;
    if short && na.named_apart(nb) {
        return None;
    }
    let same = na.same_speaker(nb);
    let base = match r {
        TextRel::Equal => 3.0,
        TextRel::Part { .. } => 2.0,
        TextRel::Overlap => 1.8,
        TextRel::Near { .. } => 1.2,
        TextRel::Fuzzy { c, .. } => {
            let need = if same {
                JOIN_SAME_SPEAKER
            } else {
                JOIN_OTHER_SPEAKER
            };
            if c < need {
                return None;
            }
            c
        }
    };
    Some(base + if same { 0.05 } else { 0.0 })
}

/// Whether joining the utterances `a` and `b` (lists of nodes) would put together the same
/// short phrase from two named people, or two quotes of one document that are not related and
/// that no quote of another document in the joined utterance carries both of.
fn conflict(
    classes: &[Class],
    nodes: &[Node],
    relations: &mut Relations,
    a: &[usize],
    b: &[usize],
) -> bool {
    for &x in a {
        for &y in b {
            let (nx, ny) = (&nodes[x], &nodes[y]);
            // A short phrase in two named people's mouths is two remarks, however the chain of
            // links runs.
            if classes[nx.class].short && classes[ny.class].short && nx.named_apart(ny) {
                return true;
            }
            let shared: Vec<usize> = nx
                .docs
                .iter()
                .copied()
                .filter(|d| ny.docs.binary_search(d).is_ok())
                .collect();
            if shared.is_empty() || relations.related(nx.class, ny.class) {
                continue;
            }
            let carrier = a.iter().chain(b).any(|&q| {
                let nq = &nodes[q];
                nq.docs.iter().any(|d| !shared.contains(d))
                    && relations.carried(nx.class, nq.class)
                    && relations.carried(ny.class, nq.class)
            });
            if !carrier {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(doc_idx: usize, text: &str) -> Candidate {
        Candidate {
            doc_idx,
            doc: doc_idx,
            quote: 0,
            texts: text.split(' ').map(str::to_string).collect(),
            elisions: Vec::new(),
            speaker: None,
            key: None,
        }
    }

    /// Which quotes `cluster` puts in one utterance, as the root of each.
    fn groups(cands: &[Candidate], cache: Option<&mut RelationCache>) -> Vec<usize> {
        let mut uf = UnionFind::new(cands.len());
        cluster(cands, &mut uf, cache);
        (0..cands.len()).map(|q| uf.find(q)).collect()
    }

    /// A round of collations with the cache, checked against one without it.
    fn round(cache: &mut RelationCache, cands: &[Candidate]) -> Vec<usize> {
        cache.begin();
        let kept = groups(cands, Some(cache));
        cache.end();
        assert_eq!(kept, groups(cands, None));
        kept
    }

    const SAID: &str = "whoever took the lantern knew exactly which case to open";
    const REWORDED: &str = "whoever took the lantern knew precisely which case to open";
    const OTHER: &str =
        "whoever took the lantern will answer for it in court one day and we will all see it";

    #[test]
    fn an_edited_quote_is_related_anew_though_its_document_and_place_are_the_same() {
        let mut cache = RelationCache::default();
        // Version 0 renders version 1's remark: one utterance.
        let g = round(&mut cache, &[cand(0, REWORDED), cand(1, SAID)]);
        assert_eq!(g[0], g[1]);
        assert!(!cache.is_empty());
        // The same quote of version 0 now shares some words with version 1's, so the two are
        // compared again, but it no longer renders it: a relation kept for version 0's quote
        // (rather than for its words) would join them.
        let g = round(&mut cache, &[cand(0, OTHER), cand(1, SAID)]);
        assert_ne!(g[0], g[1]);
        // Back to the first words.
        let g = round(&mut cache, &[cand(0, REWORDED), cand(1, SAID)]);
        assert_eq!(g[0], g[1]);
    }

    #[test]
    fn the_cache_holds_only_the_classes_of_the_last_round() {
        let mut cache = RelationCache::default();
        round(
            &mut cache,
            &[cand(0, REWORDED), cand(1, SAID), cand(2, OTHER)],
        );
        let full = cache.len();
        assert!(full > 0);
        // Version 2 replaced by a quote that relates to nothing: the relations of its old
        // words go.
        round(
            &mut cache,
            &[
                cand(0, REWORDED),
                cand(1, SAID),
                cand(2, "nothing at all here"),
            ],
        );
        assert!(cache.len() < full, "{} of {full}", cache.len());
        assert!(cache.ids.len() == 3, "{:?}", cache.ids.keys());
        // No story collated in a round: nothing kept.
        cache.begin();
        cache.end();
        assert!(cache.is_empty() && cache.ids.is_empty());
    }
}
