//! Place anchoring: a reworded quote that word alignment left alone joins the quote of another
//! version that stands in the same place in the story — between the same two remarks that both
//! versions share — when the speakers can be one person and some content words line up. A
//! re-translation or a synonym-spun copy keeps the order of the story's quotes even when it
//! keeps few of their words. `docs/collation.md` states the rule for users.
//!
//! The work follows the gap structure: for each pair of versions, one pass over each version's
//! quotes finds the remarks they share and the gaps between them, and only the lone quotes of
//! one gap are aligned with each other (at most [`GAP_LIMIT`] a side).
//!
//! Pure: works on [`Candidate`]s, returns unions. Must not depend on `lsp` or `cli`.

use super::align::{containment_of, matched_weight};
use super::link::{UnionFind, same_family};
use super::utterance::Candidate;
use crate::text::normalize::is_stopword;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Containment (matched weight over the shorter quote's weight) two quotes in one place need to
/// join: lower than rule 2's, because their place vouches for them.
pub const JOIN_BY_PLACE: f64 = 0.25;
/// How much more containment the best-aligned quote of a gap needs than the runner-up: a place
/// with two likely renderings gives no answer.
pub const CLEARLY_BEST: f64 = 0.1;
/// A gap holding more lone quotes than this in either version is no particular place.
pub const GAP_LIMIT: usize = 6;

/// Where a quote stands with respect to another version: the utterances (union-find roots) of
/// the nearest quotes before and after it that the two versions share; `None` is the start or
/// the end of the version's quotes.
type Gap = (Option<usize>, Option<usize>);

/// Utterance root -> the documents (indices in the story) its quotes are in, kept up to date as
/// quotes join.
type Groups = HashMap<usize, BTreeSet<usize>>;

/// Place anchoring ("sandwich"): a quote that no other version carries yet joins a quote of
/// another version when, between the two versions, both stand in the same gap — after the same
/// shared utterance and before the same shared utterance, one of which may be the start or the
/// end of both versions' quotes, never both — and
/// - the speakers can be one person: the same family name (or a spelling of it), or nobody
///   named on one side;
/// - their content words line up (function words line up between any two remarks): at least
///   one content word's weight, and [`JOIN_BY_PLACE`] of the shorter quote's content words;
/// - it is the best-aligned choice of the gap on both sides, by [`CLEARLY_BEST`].
///
/// The other quote's utterance must hold no quote of the first version, so two quotes of one
/// version never meet this way. Runs after [`super::link::cluster`] and neighbour anchoring.
pub(super) fn join_by_place(cands: &[Candidate], uf: &mut UnionFind) {
    let mut by_doc: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut groups: Groups = HashMap::new();
    for (i, c) in cands.iter().enumerate() {
        by_doc.entry(c.doc_idx).or_default().push(i);
        groups.entry(uf.find(i)).or_default().insert(c.doc_idx);
    }
    let docs: Vec<Vec<usize>> = by_doc.into_values().collect();
    // Versions with a quote nobody else carries: a pair of versions without one has nothing to
    // join (copies of one wire cost one pass over their quotes each, no alignment).
    let lone: Vec<bool> = docs
        .iter()
        .map(|quotes| quotes.iter().any(|&q| alone(cands, &groups, uf, q)))
        .collect();
    for (i, a) in docs.iter().enumerate() {
        for (j, b) in docs.iter().enumerate().skip(i + 1) {
            if lone[i] || lone[j] {
                join_pair(cands, a, b, uf, &mut groups);
            }
        }
    }
}

/// Whether the utterance `root` holds a quote of document `doc`.
fn holds(groups: &Groups, root: usize, doc: usize) -> bool {
    groups.get(&root).is_some_and(|g| g.contains(&doc))
}

/// Whether no other version carries quote `q` (its utterance holds only its own document).
fn alone(cands: &[Candidate], groups: &Groups, uf: &mut UnionFind, q: usize) -> bool {
    let doc = cands[q].doc_idx;
    groups
        .get(&uf.find(q))
        .is_some_and(|g| g.iter().all(|&d| d == doc))
}

/// The quotes of one version (in order) that the other version `other` does not carry, each with
/// its gap.
fn gaps(quotes: &[usize], other: usize, uf: &mut UnionFind, groups: &Groups) -> Vec<(usize, Gap)> {
    let roots: Vec<(usize, Option<usize>)> = quotes
        .iter()
        .map(|&q| {
            let r = uf.find(q);
            (q, holds(groups, r, other).then_some(r))
        })
        .collect();
    let mut after = vec![None; roots.len()];
    let mut next = None;
    for (i, &(_, shared)) in roots.iter().enumerate().rev() {
        after[i] = next;
        if shared.is_some() {
            next = shared;
        }
    }
    let mut before = None;
    let mut out = Vec::new();
    for (i, &(q, shared)) in roots.iter().enumerate() {
        match shared {
            Some(r) => before = Some(r),
            None => out.push((q, (before, after[i]))),
        }
    }
    out
}

/// Lines up the lone quotes of versions `a` and `b` (their quotes, in order) gap by gap.
fn join_pair(
    cands: &[Candidate],
    a: &[usize],
    b: &[usize],
    uf: &mut UnionFind,
    groups: &mut Groups,
) {
    let (da, db) = (cands[a[0]].doc_idx, cands[b[0]].doc_idx);
    let mut places: BTreeMap<Gap, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (q, gap) in gaps(a, db, uf, groups) {
        places.entry(gap).or_default().0.push(q);
    }
    for (q, gap) in gaps(b, da, uf, groups) {
        places.entry(gap).or_default().1.push(q);
    }
    for (gap, (xs, ys)) in places {
        if gap == (None, None)
            || xs.is_empty()
            || ys.is_empty()
            || xs.len() > GAP_LIMIT
            || ys.len() > GAP_LIMIT
        {
            continue;
        }
        let score: Vec<Vec<Option<f64>>> = xs
            .iter()
            .map(|&x| {
                ys.iter()
                    .map(|&y| place_score(cands, groups, uf, x, y))
                    .collect()
            })
            .collect();
        for (i, &x) in xs.iter().enumerate() {
            let Some(j) = clear_best(&score[i]) else {
                continue;
            };
            let column: Vec<Option<f64>> = score.iter().map(|r| r[j]).collect();
            if clear_best(&column) != Some(i) {
                continue;
            }
            let y = ys[j];
            let (rx, ry) = (uf.find(x), uf.find(y));
            uf.union(x, y);
            let mut merged = groups.remove(&rx).unwrap_or_default();
            merged.extend(groups.remove(&ry).unwrap_or_default());
            groups.insert(uf.find(x), merged);
        }
    }
}

/// The index of the best score, when it stands [`CLEARLY_BEST`] above every other.
fn clear_best(scores: &[Option<f64>]) -> Option<usize> {
    let (best, top) = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .max_by(|p, q| p.1.total_cmp(&q.1).then(q.0.cmp(&p.0)))?;
    let clear = scores
        .iter()
        .enumerate()
        .all(|(i, s)| i == best || s.is_none_or(|s| top - s >= CLEARLY_BEST));
    clear.then_some(best)
}

/// The containment of `x` and `y` when they may join by their place (see [`join_by_place`]).
fn place_score(
    cands: &[Candidate],
    groups: &Groups,
    uf: &mut UnionFind,
    x: usize,
    y: usize,
) -> Option<f64> {
    let (cx, cy) = (&cands[x], &cands[y]);
    // One side must be a quote no other version carries yet.
    if !alone(cands, groups, uf, x) && !alone(cands, groups, uf, y) {
        return None;
    }
    if !speakers_fit(cx, cy) {
        return None;
    }
    let (wx, wy) = (content_words(&cx.texts), content_words(&cy.texts));
    let matched = matched_weight(&wx, &wy);
    let c = containment_of(matched, &wx, &wy);
    (matched >= 1.0 && c >= JOIN_BY_PLACE).then_some(c)
}

/// Whether the speakers of `x` and `y` can be one person: the same family name (or a spelling
/// of it), or nobody named on one side.
fn speakers_fit(x: &Candidate, y: &Candidate) -> bool {
    fn named(c: &Candidate) -> Option<&str> {
        c.key.as_deref().filter(|k| !k.is_empty())
    }
    match (named(x), named(y)) {
        (Some(kx), Some(ky)) => same_family(kx, ky),
        _ => true,
    }
}

/// The content words of a quote: function words line up between any two remarks.
fn content_words(words: &[String]) -> Vec<String> {
    words.iter().filter(|w| !is_stopword(w)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::clear_best;

    #[test]
    fn a_place_with_two_likely_renderings_gives_no_answer() {
        assert_eq!(clear_best(&[Some(0.3), None, Some(0.6)]), Some(2));
        assert_eq!(clear_best(&[Some(0.5), Some(0.45)]), None);
        assert_eq!(clear_best(&[None, None]), None);
    }
}
