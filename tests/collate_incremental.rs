//! `Analysis::update` must give exactly what `Analysis::of` gives on the same corpus, whatever
//! the sequence of edits, and must report every document whose results changed; so must
//! `Analysis::results_of` (what `verbatim check` builds), first and after each edit. Property
//! test: random edits (reword a quote, change or drop a speaker, delete a document, add a copy of a
//! document under a new path, paste a paragraph of another story) over the fixture corpus.

mod collate_support;

use collate_support::hand_corpus;
use proptest::prelude::*;
use verbatim::collate::{Analysis, QuoteInfo};
use verbatim::config::{Config, StoryMode};
use verbatim::corpus::{Corpus, DocId};
use verbatim::document::{Document, NameMention, Quote, Span};
use verbatim::findings::Finding;

const WORDS: [&str; 6] = [
    "harbour", "never", "quietly", "Tuesday", "council", "lantern",
];

/// Replaces `range` of the document's text, moving every span behind it.
fn splice(doc: &mut Document, range: Span, new: &str) {
    let delta = new.len() as isize - range.len() as isize;
    let shift = |off: usize| -> usize {
        if off >= range.end {
            (off as isize + delta) as usize
        } else if off > range.start {
            range.start
        } else {
            off
        }
    };
    let shift_span = |s: Span| -> Span {
        if s.start <= range.start && s.end >= range.end {
            Span::new(s.start, (s.end as isize + delta) as usize)
        } else {
            Span::new(shift(s.start), shift(s.end))
        }
    };
    doc.text.replace_range(range.start..range.end, new);
    if doc.meta.body_start >= range.end {
        doc.meta.body_start = shift(doc.meta.body_start);
    }
    for q in &mut doc.quotes {
        let mut attribution = q.attribution.take();
        if let Some(a) = &mut attribution {
            a.set_name_span(a.name_span().map(shift_span));
        }
        *q = Quote::new(
            shift_span(q.span()),
            shift_span(q.open()),
            q.close().map(shift_span),
            q.kind,
            attribution,
            q.continues(),
        )
        .unwrap();
    }
    for n in &mut doc.names {
        *n = NameMention::new(shift_span(n.span()), n.kind).unwrap();
    }
}

/// The ids of the documents present, in path order.
fn ids(corpus: &Corpus) -> Vec<DocId> {
    corpus.documents().map(|(id, _)| id).collect()
}

fn apply(corpus: &mut Corpus, op: u8, a: u16, b: u16, step: usize) -> Vec<DocId> {
    let present = ids(corpus);
    if present.is_empty() {
        return Vec::new();
    }
    let id = present[a as usize % present.len()];
    let Some(mut doc) = corpus.get(id).cloned() else {
        return Vec::new();
    };
    match op % 5 {
        0 => {
            // Reword: replace one word inside a quote.
            if doc.quotes.is_empty() {
                return Vec::new();
            }
            let q = doc.quotes[b as usize % doc.quotes.len()].span();
            let text = q.of(&doc.text);
            let Some(sp) = text.find(' ') else {
                return Vec::new();
            };
            let word = WORDS[b as usize % WORDS.len()];
            splice(&mut doc, Span::new(q.start, q.start + sp), word);
            vec![corpus.upsert(doc)]
        }
        1 => {
            // Change or drop a speaker.
            if doc.quotes.is_empty() {
                return Vec::new();
            }
            let i = b as usize % doc.quotes.len();
            match &mut doc.quotes[i].attribution {
                Some(att) if b.is_multiple_of(2) => att.speaker = "Gregor Hale".into(),
                att => *att = None,
            }
            vec![corpus.upsert(doc)]
        }
        2 => {
            // Delete a document.
            corpus.remove(&doc.path);
            vec![id]
        }
        3 => {
            // A copy of the document under a new path (a syndicated duplicate).
            doc.path = format!("copies/{step}-{}", doc.path.replace('/', "-"));
            vec![corpus.upsert(doc)]
        }
        _ => {
            // Paste the body of another document (it may join that story).
            let other = present[b as usize % present.len()];
            let Some(o) = corpus.get(other) else {
                return Vec::new();
            };
            let body = o.text[o.meta.body_start..].to_string();
            let end = doc.text.len();
            splice(&mut doc, Span::new(end, end), &format!("\n\n{body}"));
            vec![corpus.upsert(doc)]
        }
    }
}

type Results = (Vec<QuoteInfo>, Vec<Finding>);
type Snapshot = Vec<(String, Vec<QuoteInfo>, Vec<Finding>)>;

fn snapshot(corpus: &Corpus, a: &Analysis) -> Snapshot {
    corpus
        .documents()
        .map(|(id, doc)| {
            let infos = (0..doc.quotes.len())
                .map(|q| a.quote_info(id, q).cloned().unwrap_or_default())
                .collect();
            (doc.path.clone(), infos, a.findings(id).to_vec())
        })
        .collect()
}

fn results_of(a: &Analysis, corpus: &Corpus, id: DocId) -> Results {
    let n = corpus.get(id).map_or(0, |d| d.quotes.len());
    (
        (0..n)
            .map(|q| a.quote_info(id, q).cloned().unwrap_or_default())
            .collect(),
        a.findings(id).to_vec(),
    )
}

fn check_edits(config: Config, ops: Vec<(u8, u16, u16)>) -> Result<(), TestCaseError> {
    let mut corpus = all_stories_corpus(config);
    let mut live = Analysis::of(&corpus);
    // The command line's analysis, which keeps only results (and is built again on an update).
    let mut lean = Analysis::results_of(&corpus);
    prop_assert_eq!(snapshot(&corpus, &lean), snapshot(&corpus, &live));
    for (step, (op, a, b)) in ops.into_iter().enumerate() {
        let before: Vec<(DocId, Results)> = ids(&corpus)
            .into_iter()
            .map(|id| (id, results_of(&live, &corpus, id)))
            .collect();
        let changed = apply(&mut corpus, op, a, b, step);
        let reported = live.update(&corpus, &changed);
        let lean_reported = lean.update(&corpus, &changed);
        let fresh = Analysis::of(&corpus);
        prop_assert_eq!(snapshot(&corpus, &live), snapshot(&corpus, &fresh));
        prop_assert_eq!(snapshot(&corpus, &lean), snapshot(&corpus, &fresh));
        // Every document whose results changed is reported.
        for (id, old) in before {
            if corpus.get(id).is_some() && results_of(&live, &corpus, id) != old {
                prop_assert!(
                    reported.contains(&id) && lean_reported.contains(&id),
                    "doc {} changed but was not reported",
                    id
                );
            }
        }
    }
    Ok(())
}

/// Edits applied with the keystroke bound (`update_bounded`, a few quotes: most stories are
/// over it), then one whole update: the same as a fresh analysis.
fn check_bounded_edits(ops: Vec<(u8, u16, u16)>, bound: usize) -> Result<(), TestCaseError> {
    let mut corpus = all_stories_corpus(Config::default());
    let mut live = Analysis::of(&corpus);
    for (step, (op, a, b)) in ops.into_iter().enumerate() {
        let changed = apply(&mut corpus, op, a, b, step);
        live.update_bounded(&corpus, &changed, bound);
    }
    live.update(&corpus, &[]);
    prop_assert!(!live.has_deferred());
    prop_assert_eq!(
        snapshot(&corpus, &live),
        snapshot(&corpus, &Analysis::of(&corpus))
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn bounded_updates_then_a_whole_one_equal_a_fresh_analysis(ops in prop::collection::vec((0u8..5, any::<u16>(), any::<u16>()), 1..10), bound in 0usize..12) {
        check_bounded_edits(ops, bound)?;
    }

    #[test]
    fn update_equals_a_fresh_analysis(ops in prop::collection::vec((0u8..5, any::<u16>(), any::<u16>()), 1..10)) {
        check_edits(Config::default(), ops)?;
    }

    #[test]
    fn update_equals_a_fresh_analysis_with_folder_stories(ops in prop::collection::vec((0u8..5, any::<u16>(), any::<u16>()), 1..10)) {
        let config = Config { stories: StoryMode::Folder, ..Config::default() };
        check_edits(config, ops)?;
    }
}

#[test]
fn an_edit_in_one_version_changes_the_findings_of_another() {
    let mut corpus = hand_corpus(&["museum-theft"], Config::default());
    let mut live = Analysis::of(&corpus);
    let city = corpus.id_of("museum-theft/city-wire.md").unwrap();
    let harbour = corpus.id_of("museum-theft/harbour-times.md").unwrap();
    let star = corpus.id_of("museum-theft/evening-star.md").unwrap();
    assert!(!live.findings(star).is_empty());
    // Two versions now say Hale too: the Evening Star is no longer the odd one out, but the
    // Harbour Times is.
    let mut doc = corpus.get(city).unwrap().clone();
    doc.quotes[0].attribution.as_mut().unwrap().speaker = "Gregor Hale".into();
    corpus.upsert(doc);
    let changed = live.update(&corpus, &[city]);
    assert!(changed.contains(&star), "{changed:?}");
    assert!(changed.contains(&harbour), "{changed:?}");
    assert!(live.findings(star).is_empty(), "{:#?}", live.findings(star));
    assert!(
        live.findings(harbour)
            .iter()
            .any(|f| f.message.contains("to Gregor Hale in 2 other versions"))
    );
}

#[test]
fn an_edit_leaves_other_stories_alone() {
    let mut corpus = all_stories_corpus(Config::default());
    let mut live = Analysis::of(&corpus);
    let id = corpus.id_of("seawall/alder-gazette.txt").unwrap();
    let mut doc = corpus.get(id).unwrap().clone();
    let q = doc.quotes[0].span();
    splice(&mut doc, Span::new(q.start, q.start + 2), "Unless");
    corpus.upsert(doc);
    let changed = live.update(&corpus, &[id]);
    for c in &changed {
        assert!(
            corpus.get(*c).unwrap().path.starts_with("seawall/"),
            "{changed:?}"
        );
    }
}

/// Every fixture story in one corpus under `config`.
fn all_stories_corpus(config: Config) -> Corpus {
    let names = collate_support::fixture_stories();
    let all: Vec<&str> = names.iter().map(String::as_str).collect();
    hand_corpus(&all, config)
}

/// Replaces the first `old` inside the first quote of `path` with `new`; returns the document.
fn reword_first_quote(corpus: &mut Corpus, path: &str, old: &str, new: &str) -> DocId {
    let id = corpus.id_of(path).unwrap();
    let mut doc = corpus.get(id).unwrap().clone();
    let q = doc.quotes[0].span();
    let at = q.start + q.of(&doc.text).find(old).unwrap();
    splice(&mut doc, Span::new(at, at + old.len()), new);
    corpus.upsert(doc);
    id
}

/// The relations between quote classes kept from one keystroke to the next must not outlive
/// the quotes they were worked out for: an edit in version A that changes a quote (the document
/// and the quote's place unchanged, so only its words tell it apart) must give A–B relations
/// worked out anew, each step as a fresh analysis gives, and an edit back the first results.
#[test]
fn kept_relations_follow_an_edited_quote_of_an_unchanged_looking_version() {
    let mut corpus = hand_corpus(&["museum-theft"], Config::default());
    let mut live = Analysis::of(&corpus);
    let first = snapshot(&corpus, &live);
    let path = "museum-theft/city-wire.md";
    // Warm the kept relations with a small update of the story, as a keystroke does.
    let city = corpus.id_of(path).unwrap();
    live.update(&corpus, &[city]);
    assert_eq!(snapshot(&corpus, &live), first);
    // Each step keeps the quote where it was, and the second gives it words that still share
    // some of the other versions' (so they are compared again) without rendering them. (Here
    // the quote's place in the article also joins it to theirs; `link`'s unit tests catch a
    // cache keyed by the quote's place on quotes with nothing else to join them.)
    let steps = [
        ("exactly which case", "precisely which case"),
        (
            "Whoever took the lantern knew precisely which case to open",
            "Whoever took the lantern will answer for it in court one day, and we will all see it",
        ),
        (
            "Whoever took the lantern will answer for it in court one day, and we will all see it",
            "Whoever took the lantern knew which case exactly to open",
        ),
        ("which case exactly", "exactly which case"),
    ];
    for (step, (old, new)) in steps.into_iter().enumerate() {
        let before = results_of(&live, &corpus, city);
        let id = reword_first_quote(&mut corpus, path, old, new);
        live.update(&corpus, &[id]);
        let fresh = Analysis::of(&corpus);
        assert_eq!(
            snapshot(&corpus, &live),
            snapshot(&corpus, &fresh),
            "step {step}: {old} -> {new}"
        );
        assert_ne!(
            results_of(&live, &corpus, city),
            before,
            "step {step}: the edit must change the edited version's results"
        );
    }
    assert_eq!(snapshot(&corpus, &live), first);
}
