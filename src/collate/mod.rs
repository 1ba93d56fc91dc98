//! Collation: lines up the quotes of a story's documents into utterances, picks each utterance's
//! canonical reading, and says for each quote whether it agrees, differs or stands alone; then
//! builds each document's findings.
//!
//! [`Analysis`] is the engine's result over a [`Corpus`]. It is built whole with
//! [`Analysis::of`] (the CLI) or kept up to date with [`Analysis::update`] (the language server,
//! once per edit): an update re-links only the changed documents into stories (see
//! `corpus::story`) and re-collates only the stories that changed, so its cost grows with the
//! size of the edited story, not the corpus. Both give identical results.
//!
//! ```
//! use verbatim::{collate::{Analysis, Status}, config::Config, corpus::Corpus, document::Document};
//!
//! let mut corpus = Corpus::new(Config::default());
//! let a = corpus.upsert(Document::parse("a.txt", "Source: Wire\n\nThe mayor of Fenwick opened \
//!     the new harbour bridge on Monday. “The bridge will carry ten thousand cars a day,” \
//!     Mayor Rosa Delgado said at the ribbon cutting over the estuary."));
//! let b = corpus.upsert(Document::parse("b.txt", "Source: Post\n\nFenwick's new harbour bridge \
//!     opened on Monday over the estuary. “The bridge will carry ten thousand lorries a day,” \
//!     Mayor Rosa Delgado said at the ribbon cutting."));
//! let mut analysis = Analysis::of(&corpus);
//! assert_eq!(analysis.quote_info(b, 0).and_then(|i| i.status), Some(Status::Differs));
//!
//! // An edit: b now agrees with a. Only b's story is collated again, and both documents'
//! // results changed.
//! corpus.upsert(Document::parse("b.txt", "Source: Post\n\nFenwick's new harbour bridge \
//!     opened on Monday over the estuary. “The bridge will carry ten thousand cars a day,” \
//!     Mayor Rosa Delgado said at the ribbon cutting."));
//! let changed = analysis.update(&corpus, &[b]);
//! assert_eq!(changed, vec![a, b]);
//! assert!(analysis.findings(a).is_empty() && analysis.findings(b).is_empty());
//! ```
//!
//! Modules: [`align`] (word alignment and diff), [`utterance`] (grouping, readings, canonical
//! choice), [`link`] (links between quotes), [`place`] (place anchoring), [`report`]
//! (findings), [`suppress`] (inline comments and ignore patterns).
//!
//! Pure: works on a [`Corpus`] and returns owned data. Never sees LSP types.

pub mod align;
pub mod link;
pub mod place;
pub mod report;
pub mod suppress;
pub mod utterance;

use crate::config::StoryMode;
use crate::corpus::story::{StoryId, StoryIndex};
use crate::corpus::{Corpus, DocId};
use crate::findings::Finding;
use link::RelationCache;
use report::{StoryDocs, story_findings};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use utterance::{DocWords, DocWordsCache, StoryCollation, Utterance, collate_story_with};

/// How a quote stands against the other versions of its utterance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Equals the canonical reading, or is an exact part of it.
    Agrees,
    /// Other words than the canonical reading (or, without one, than another version).
    Differs,
    /// No other version carries it.
    Unmatched,
}

/// What collation says of one quote. The texts are shared by every quote of the utterance.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteInfo {
    /// The utterance the quote belongs to (stable within one run).
    pub group: Option<Arc<str>>,
    pub status: Option<Status>,
    /// The canonical reading's text, as one version wrote it.
    pub canonical: Option<Arc<str>>,
}

/// Per-document results of one story's collation.
#[derive(Debug, Clone, Default, PartialEq)]
struct DocResult {
    quotes: Vec<QuoteInfo>,
    findings: Vec<Finding>,
}

/// Collation of a whole corpus: per document, per quote info and the findings.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    stories: StoryIndex,
    collations: HashMap<StoryId, StoryCollation>,
    results: HashMap<DocId, DocResult>,
    /// Documents edited under a bound ([`Analysis::update_bounded`]) whose whole story is yet
    /// to be collated again.
    deferred: BTreeSet<DocId>,
    /// The body shingles and quotes' comparison words of the documents of the stories the last
    /// small update collated (a keystroke's story): the next edit there reads only the edited
    /// document again.
    doc_words: DocWordsCache,
    /// The relations between the quote classes of the stories the last small update collated
    /// (a keystroke's story), keyed by the classes' words: the next edit there works out only
    /// the relations of the quotes it changed.
    relations: RelationCache,
    /// Built for one reading of its results (see [`Analysis::results_only`]).
    results_only: bool,
    /// Keeps no words in its utterances (see [`Analysis::lean`]).
    lean: bool,
}

/// What a story's collation keeps besides its documents' results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kept {
    Utterances,
    /// Utterances emptied by [`StoryCollation::forget_words`].
    UtterancesWithoutWords,
    /// The story's documents only.
    Documents,
}

/// An update collating at most this many stories keeps their documents' [`DocWords`] for the
/// next one; a larger one (a whole build) keeps none, so the cache stays one story's size.
const DOC_WORDS_STORIES: usize = 8;

/// What [`Analysis::update_bounded`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoundedUpdate {
    /// The documents whose quote infos or findings changed, sorted.
    pub changed: Vec<DocId>,
    /// Edited documents whose story held more quotes than the bound, with the story's quote
    /// count: each was collated against the closest versions only.
    pub bounded: Vec<(DocId, usize)>,
}

impl Analysis {
    /// An empty analysis that splits stories the way `mode` says.
    pub fn new(mode: StoryMode) -> Analysis {
        Analysis {
            stories: StoryIndex::new(mode),
            ..Analysis::default()
        }
    }

    /// An empty analysis that keeps only what [`Analysis::quote_info`], [`Analysis::findings`]
    /// and [`Analysis::story`] answer (the command line's `check`): neither the story index's
    /// linking data nor the utterances, which hold most of a collation's memory. Its results
    /// equal [`Analysis::new`]'s; [`Analysis::utterance`] finds nothing, and an update after
    /// the first one builds it again whole.
    pub fn results_only(mode: StoryMode) -> Analysis {
        Analysis {
            results_only: true,
            ..Analysis::new(mode)
        }
    }

    /// An empty analysis whose utterances keep no words ([`StoryCollation::forget_words`]:
    /// [`Member::texts`](utterance::Member::texts) and
    /// [`Reading::words`](utterance::Reading::words) are empty, [`utterance::Member::words`]
    /// works them out from the document): for a reader that holds a whole corpus and shows few
    /// utterances, as the language server does. Everything else equals [`Analysis::new`]'s.
    pub fn lean(mode: StoryMode) -> Analysis {
        Analysis {
            lean: true,
            ..Analysis::new(mode)
        }
    }

    fn kept(&self) -> Kept {
        match (self.results_only, self.lean) {
            (true, _) => Kept::Documents,
            (false, true) => Kept::UtterancesWithoutWords,
            (false, false) => Kept::Utterances,
        }
    }

    /// Analyses every document of `corpus`.
    pub fn of(corpus: &Corpus) -> Analysis {
        Analysis::new(corpus.config.stories).with_all(corpus)
    }

    /// [`Analysis::of`] into an [`Analysis::results_only`].
    pub fn results_of(corpus: &Corpus) -> Analysis {
        Analysis::results_only(corpus.config.stories).with_all(corpus)
    }

    fn with_all(mut self, corpus: &Corpus) -> Analysis {
        let all: Vec<DocId> = corpus.documents().map(|(id, _)| id).collect();
        self.update(corpus, &all);
        self
    }

    /// Brings the analysis up to date after the documents `changed` were added, replaced or
    /// removed in `corpus` (a removed document is one `corpus.get` no longer finds). Returns
    /// the documents whose quote infos or findings changed (including removed ones), sorted.
    ///
    /// Re-collates only the stories that contain, or contained, a changed document. The
    /// corpus's configuration must be the one this analysis was built with; after a
    /// configuration change, rebuild with [`Analysis::of`].
    pub fn update(&mut self, corpus: &Corpus, changed: &[DocId]) -> Vec<DocId> {
        self.update_bounded(corpus, changed, usize::MAX).changed
    }

    /// [`Analysis::update`] with a bound on the work per edited story, for a keystroke: a story
    /// that holds an edited document and more than `max_quotes` quotes is not collated whole.
    /// Each edited document of it is collated against the story's other versions closest to
    /// it (by their content words) while their quotes stay within the bound, and only the
    /// edited document's results change; the other versions keep theirs, and hover and
    /// references within the story see only the versions collated. The next update collates
    /// such a story whole again (an unbounded [`Analysis::update`] always does), so the
    /// result equals [`Analysis::of`] again then.
    pub fn update_bounded(
        &mut self,
        corpus: &Corpus,
        changed: &[DocId],
        max_quotes: usize,
    ) -> BoundedUpdate {
        if self.results_only && !self.collations.is_empty() {
            return self.rebuild(corpus, changed);
        }
        let mut edited: BTreeSet<DocId> = changed.iter().copied().collect();
        if max_quotes == usize::MAX {
            // A whole update also collates the stories earlier bounded updates left partial
            // (a bounded one leaves them be: its cost must follow the edit).
            edited.append(&mut self.deferred);
        }
        let changed: Vec<DocId> = edited.iter().copied().collect();
        let changes = self.stories.update(corpus, &changed);
        if self.results_only {
            self.stories.forget_links();
            // Linking's memory was freed on this thread's arena; collation allocates on the
            // pool's (see `crate::memory`).
            crate::memory::release_freed();
        }
        let mut touched: BTreeSet<DocId> = changed.iter().copied().collect();
        for sid in &changes.removed {
            if let Some(old) = self.collations.remove(sid) {
                touched.extend(old.docs);
            }
        }
        let mut new_results: HashMap<DocId, DocResult> = HashMap::new();
        let mut jobs: Vec<(StoryId, Vec<DocId>)> = Vec::new();
        // Per job, the documents whose results it decides (all, unless bounded).
        let mut keep: Vec<Option<Vec<DocId>>> = Vec::new();
        let mut bounded = Vec::new();
        for &sid in &changes.added {
            let members = self.stories.members(sid).to_vec();
            let quotes: usize = members
                .iter()
                .filter_map(|&m| corpus.get(m))
                .map(|d| d.quotes.len())
                .sum();
            let mine: Vec<DocId> = members
                .iter()
                .copied()
                .filter(|m| edited.contains(m))
                .collect();
            if quotes <= max_quotes || mine.is_empty() {
                for m in &members {
                    self.deferred.remove(m); // collated whole now
                }
                touched.extend(members.iter().copied());
                jobs.push((sid, members));
                keep.push(None);
                continue;
            }
            let chosen = self.closest(corpus, &mine, &members, max_quotes);
            bounded.extend(mine.iter().map(|&d| (d, quotes)));
            self.deferred.extend(mine.iter().copied());
            touched.extend(mine.iter().copied());
            jobs.push((sid, chosen));
            keep.push(Some(mine));
        }
        for id in &edited {
            self.doc_words.remove(id); // its text changed
        }
        if jobs.len() <= DOC_WORDS_STORIES {
            let docs: BTreeSet<DocId> = jobs.iter().flat_map(|(_, m)| m.iter().copied()).collect();
            self.doc_words.retain(|id, _| docs.contains(id));
            for id in docs {
                if let (false, Some(doc)) = (self.doc_words.contains_key(&id), corpus.get(id)) {
                    self.doc_words.insert(id, DocWords::of(doc));
                }
            }
        } else {
            self.doc_words.clear();
        }
        let kept = self.kept();
        let collated = if jobs.len() <= DOC_WORDS_STORIES && !self.results_only {
            // A few stories: on this thread anyway (see `crate::parallel`), with the cache.
            self.relations.begin();
            let collated = jobs
                .iter()
                .map(|(sid, m)| {
                    let relations = Some(&mut self.relations);
                    collate_one(corpus, *sid, m, &self.doc_words, relations, kept)
                })
                .collect();
            self.relations.end();
            collated
        } else {
            self.relations.clear();
            collate_stories(corpus, &jobs, &self.doc_words, kept)
        };
        for ((sid, collation, results), keep) in collated.into_iter().zip(keep) {
            new_results.extend(
                results
                    .into_iter()
                    .filter(|(id, _)| keep.as_ref().is_none_or(|k| k.contains(id))),
            );
            self.collations.insert(sid, collation);
        }
        let mut differ = Vec::new();
        for id in touched {
            let old = match new_results.remove(&id) {
                Some(n) => self.results.insert(id, n),
                // A document still in the corpus that no job decided (a version left out of
                // a bounded collation) keeps its results.
                None if corpus.get(id).is_some() => continue,
                None => self.results.remove(&id),
            };
            if old.as_ref() != self.results.get(&id) || edited.contains(&id) {
                differ.push(id);
            }
        }
        bounded.sort_unstable();
        BoundedUpdate {
            changed: differ,
            bounded,
        }
    }

    /// An update of an [`Analysis::results_only`] already built: it kept nothing to update
    /// from, so it is built again whole.
    fn rebuild(&mut self, corpus: &Corpus, changed: &[DocId]) -> BoundedUpdate {
        let old = std::mem::take(&mut self.results);
        *self = Analysis::results_of(corpus);
        let mut differ: Vec<DocId> = old
            .keys()
            .chain(self.results.keys())
            .chain(changed)
            .copied()
            .filter(|id| changed.contains(id) || old.get(id) != self.results.get(id))
            .collect();
        differ.sort_unstable();
        differ.dedup();
        BoundedUpdate {
            changed: differ,
            bounded: Vec::new(),
        }
    }

    /// The edited documents `mine` of a story and the story's other `members` closest to them
    /// (the weighted agreement of their content words, then path order) while the quotes
    /// chosen stay within `max_quotes`.
    fn closest(
        &self,
        corpus: &Corpus,
        mine: &[DocId],
        members: &[DocId],
        max_quotes: usize,
    ) -> Vec<DocId> {
        let quotes = |d: DocId| corpus.get(d).map_or(0, |doc| doc.quotes.len());
        let mut chosen: Vec<DocId> = mine.to_vec();
        let mut budget = max_quotes.saturating_sub(mine.iter().map(|&d| quotes(d)).sum());
        let mut others: Vec<(f64, DocId)> = members
            .iter()
            .copied()
            .filter(|m| !mine.contains(m))
            .map(|m| {
                let closeness = mine
                    .iter()
                    .map(|&e| self.stories.similarity(e, m))
                    .fold(0.0, f64::max);
                (closeness, m)
            })
            .collect();
        others.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, m) in others {
            let q = quotes(m);
            if q <= budget {
                budget -= q;
                chosen.push(m);
            }
        }
        chosen
    }

    /// Whether a story was collated under a bound and waits to be collated whole (by the next
    /// update).
    pub fn has_deferred(&self) -> bool {
        !self.deferred.is_empty()
    }

    pub fn quote_info(&self, doc: DocId, quote: usize) -> Option<&QuoteInfo> {
        self.results.get(&doc).and_then(|r| r.quotes.get(quote))
    }

    /// What collation says of each quote of `doc`, in its order (empty when `doc` was not
    /// collated).
    pub fn quote_infos(&self, doc: DocId) -> &[QuoteInfo] {
        self.results
            .get(&doc)
            .map(|r| r.quotes.as_slice())
            .unwrap_or(&[])
    }

    pub fn findings(&self, doc: DocId) -> &[Finding] {
        self.results
            .get(&doc)
            .map(|r| r.findings.as_slice())
            .unwrap_or(&[])
    }

    /// The documents of `doc`'s story (itself included), ordered by path.
    pub fn story(&self, doc: DocId) -> &[DocId] {
        self.stories
            .story_of(doc)
            .and_then(|s| self.collations.get(&s))
            .map(|c| c.docs.as_slice())
            .unwrap_or(&[])
    }

    /// The utterance a quote belongs to, with every version's reading (hover, references).
    pub fn utterance(&self, doc: DocId, quote: usize) -> Option<&Utterance> {
        let c = self.collations.get(&self.stories.story_of(doc)?)?;
        let &(u, _) = c.by_quote.get(&(doc, quote))?;
        c.utterances.get(u)
    }

    /// Every utterance of the corpus (workspace symbols), story by story.
    pub fn utterances(&self) -> impl Iterator<Item = &Utterance> {
        let mut ids: Vec<&StoryId> = self.collations.keys().collect();
        ids.sort_unstable();
        ids.into_iter()
            .flat_map(|id| self.collations[id].utterances.iter())
    }
}

type StoryResult = (StoryId, StoryCollation, Vec<(DocId, DocResult)>);

/// Collates each story and builds its documents' results; on every core for a large batch (see
/// [`crate::parallel`]). The result is in the order of `jobs` whatever the threads do.
fn collate_stories(
    corpus: &Corpus,
    jobs: &[(StoryId, Vec<DocId>)],
    doc_words: &DocWordsCache,
    kept: Kept,
) -> Vec<StoryResult> {
    crate::parallel::map(jobs, |(sid, m)| {
        collate_one(corpus, *sid, m, doc_words, None, kept)
    })
}

fn collate_one(
    corpus: &Corpus,
    sid: StoryId,
    members: &[DocId],
    doc_words: &DocWordsCache,
    relations: Option<&mut RelationCache>,
    kept: Kept,
) -> StoryResult {
    let docs: Vec<_> = members
        .iter()
        .filter_map(|&id| corpus.get(id).map(|d| (id, d)))
        .collect();
    let collation = collate_story_with(&docs, &corpus.config, doc_words, relations);
    let story_docs = StoryDocs {
        docs: docs.iter().copied().collect(),
    };
    let mut findings = story_findings(&collation, &story_docs, &corpus.config);
    // Each utterance's id and canonical text once, shared by its quotes' infos.
    let shared: Vec<(Arc<str>, Option<Arc<str>>)> = collation
        .utterances
        .iter()
        .map(|u| {
            (
                Arc::from(u.id.as_str()),
                u.canonical_text.as_deref().map(Arc::from),
            )
        })
        .collect();
    let results = docs
        .iter()
        .map(|&(id, doc)| {
            let quotes = (0..doc.quotes.len())
                .map(|qi| quote_info(&collation, &shared, id, qi))
                .collect();
            let findings = findings.remove(&id).unwrap_or_default();
            (id, DocResult { quotes, findings })
        })
        .collect();
    match kept {
        Kept::Utterances => (sid, collation, results),
        Kept::UtterancesWithoutWords => {
            let mut collation = collation;
            collation.forget_words();
            (sid, collation, results)
        }
        Kept::Documents => {
            let docs = StoryCollation {
                docs: collation.docs,
                ..StoryCollation::default()
            };
            (sid, docs, results)
        }
    }
}

fn quote_info(
    c: &StoryCollation,
    shared: &[(Arc<str>, Option<Arc<str>>)],
    doc: DocId,
    quote: usize,
) -> QuoteInfo {
    let Some(&(u, m)) = c.by_quote.get(&(doc, quote)) else {
        return QuoteInfo::default();
    };
    let (id, canonical) = &shared[u];
    QuoteInfo {
        group: Some(id.clone()),
        status: Some(c.utterances[u].members[m].status),
        canonical: canonical.clone(),
    }
}
