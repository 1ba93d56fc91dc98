//! The session: an [`AnalysisHost`] owns one corpus and its [`Analysis`], takes [`Change`]s
//! (a document's text set by path, or its removal) and hands out immutable [`Snapshot`]s.
//!
//! Both front ends drive the engine through it: `verbatim check` reads a folder into a host and
//! takes one snapshot; the language server keeps one host per workspace folder, applies each
//! edit as a change and reads diagnostics, hovers and references from the host. Reading files
//! goes through `workspace` ([`AnalysisHost::read_files`]), the one loading path of both.
//!
//! Changes are cheap: they re-parse the changed document and mark it; the analysis is brought
//! up to date (collate's incremental [`Analysis::update`], the changed stories only) when a
//! snapshot is taken or [`AnalysisHost::refresh`] is called, so a burst of edits is collated
//! once. A snapshot shares the corpus and analysis with the host (`Arc`); a change made while a
//! snapshot is alive copies them first, so a snapshot never changes under its reader. That
//! copy is of the whole corpus and analysis (plain `Clone`, not persistent structures): cheap
//! for `check`, which changes nothing after its snapshot, but a server must not keep a
//! snapshot across an edit: the language server reads its hosts under its state lock instead
//! of through snapshots.
//!
//! A keystroke's bound ([`Config::keystroke_quotes`]): [`AnalysisHost::refresh_bounded`]
//! collates an edited document whose story holds more quotes than the bound against the
//! story's closest versions only (see [`Analysis::update_bounded`]) and reports it; the next
//! [`AnalysisHost::refresh`] (or snapshot) collates the whole story again.
//!
//! Engine code: no LSP types, no async, and no file system but through `workspace`.

use crate::collate::{Analysis, BoundedUpdate};
use crate::config::Config;
use crate::corpus::{Corpus, DocId};
use crate::document::Document;
use crate::findings::Finding;
use crate::workspace::{self, Warning};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One change to the corpus, by document path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A document's whole text: a file opened, edited, added, or read back from disk.
    Set { path: String, text: String },
    /// The document leaves the corpus (deleted, or closed with no file behind it).
    Remove { path: String },
}

/// The engine's session over one corpus: see the module comment.
#[derive(Debug, Clone)]
pub struct AnalysisHost {
    corpus: Arc<Corpus>,
    analysis: Arc<Analysis>,
    /// Documents added, replaced or removed since the analysis was last brought up to date.
    changed: Vec<DocId>,
}

/// An immutable view of a host's corpus and analysis, as of the moment it was taken.
#[derive(Debug, Clone)]
pub struct Snapshot {
    corpus: Arc<Corpus>,
    analysis: Arc<Analysis>,
}

impl AnalysisHost {
    /// An empty session under `config`.
    pub fn new(config: Config) -> AnalysisHost {
        AnalysisHost {
            analysis: Arc::new(Analysis::new(config.stories)),
            corpus: Arc::new(Corpus::new(config)),
            changed: Vec::new(),
        }
    }

    /// An empty session whose analysis keeps only the results (see
    /// [`Analysis::results_only`]): for a run that reads its findings once, as `verbatim check`.
    pub fn results_only(config: Config) -> AnalysisHost {
        AnalysisHost {
            analysis: Arc::new(Analysis::results_only(config.stories)),
            ..AnalysisHost::new(config)
        }
    }

    /// An empty session whose analysis keeps no words in its utterances (see
    /// [`Analysis::lean`]): for a long-lived session over a whole corpus, as the language
    /// server's.
    pub fn lean(config: Config) -> AnalysisHost {
        AnalysisHost {
            analysis: Arc::new(Analysis::lean(config.stories)),
            ..AnalysisHost::new(config)
        }
    }

    pub fn config(&self) -> &Config {
        &self.corpus.config
    }

    /// Applies one change (parsing the new text); returns the document's id, or `None` when a
    /// removed path was not in the corpus.
    pub fn apply_change(&mut self, change: Change) -> Option<DocId> {
        match change {
            Change::Set { path, text } => Some(self.add(Document::parse(path, text))),
            Change::Remove { path } => {
                let id = self.corpus.id_of(&path)?;
                Arc::make_mut(&mut self.corpus).remove(&path);
                self.changed.push(id);
                Some(id)
            }
        }
    }

    /// Adds (or replaces, by path) an already parsed document.
    pub fn add(&mut self, doc: Document) -> DocId {
        let id = Arc::make_mut(&mut self.corpus).upsert(doc);
        self.changed.push(id);
        id
    }

    /// Reads and parses `files` through `workspace` (every core, the bad-input policy) and adds
    /// them; paths are relative to `root` when given (see [`workspace::read_documents`]).
    /// Returns the ids added and the warnings met; `on_read` is called after each file.
    pub fn read_files(
        &mut self,
        files: &[PathBuf],
        root: Option<&Path>,
        on_read: &(dyn Fn() + Sync),
    ) -> (Vec<DocId>, Vec<Warning>) {
        let (docs, warnings) = workspace::read_documents(files, self.config(), root, on_read);
        let ids = docs.into_iter().map(|doc| self.add(doc)).collect();
        (ids, warnings)
    }

    /// Whether the analysis is up to date with every change (and no story waits to be
    /// collated whole after a bounded refresh).
    pub fn is_current(&self) -> bool {
        self.changed.is_empty() && !self.analysis.has_deferred()
    }

    /// Brings the analysis up to date (the stories of the changed documents only); returns the
    /// documents whose quote infos or findings changed, as [`Analysis::update`] does.
    pub fn refresh(&mut self) -> Vec<DocId> {
        if self.changed.is_empty() && !self.analysis.has_deferred() {
            return Vec::new();
        }
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        Arc::make_mut(&mut self.analysis).update(&self.corpus, &changed)
    }

    /// [`AnalysisHost::refresh`] within the configured keystroke bound
    /// ([`Config::keystroke_quotes`]): an edited document of a story larger than the bound is
    /// collated against the story's closest versions only, and listed in the answer with the
    /// story's quote count.
    pub fn refresh_bounded(&mut self) -> BoundedUpdate {
        let max_quotes = self.config().keystroke_quotes;
        let mut changed = std::mem::take(&mut self.changed);
        if changed.is_empty() {
            return BoundedUpdate::default(); // a deferred story waits for a whole refresh
        }
        changed.sort_unstable();
        changed.dedup();
        Arc::make_mut(&mut self.analysis).update_bounded(&self.corpus, &changed, max_quotes)
    }

    /// Whether an oversized story waits to be collated whole after a bounded refresh.
    pub fn has_deferred(&self) -> bool {
        self.analysis.has_deferred()
    }

    /// Brings the analysis up to date and returns a view of it that later changes leave alone.
    pub fn snapshot(&mut self) -> Snapshot {
        self.refresh();
        Snapshot {
            corpus: self.corpus.clone(),
            analysis: self.analysis.clone(),
        }
    }

    /// The corpus with every change applied.
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The analysis as of the last refresh (see [`AnalysisHost::is_current`]).
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }
}

impl Snapshot {
    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// The findings of the document at `path` (none when it is not in the corpus).
    pub fn findings_of(&self, path: &str) -> &[Finding] {
        self.corpus
            .id_of(path)
            .map_or(&[], |id| self.analysis.findings(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(path: &str, words: &str) -> Change {
        Change::Set {
            path: path.into(),
            text: format!(
                "Source: {path}\n\nThe mayor of Fenwick opened the new harbour bridge on \
                 Monday over the estuary. “The bridge will carry ten thousand {words} a day,” \
                 Mayor Rosa Delgado said at the ribbon cutting."
            ),
        }
    }

    #[test]
    fn a_snapshot_keeps_its_view_while_the_host_moves_on() {
        let mut host = AnalysisHost::new(Config::default());
        host.apply_change(set("a.txt", "cars"));
        host.apply_change(set("b.txt", "lorries"));
        let before = host.snapshot();
        assert!(!before.findings_of("b.txt").is_empty(), "b differs from a");

        host.apply_change(set("b.txt", "cars"));
        assert!(!host.is_current());
        let after = host.snapshot();
        assert!(after.findings_of("b.txt").is_empty(), "b now agrees");
        assert!(
            !before.findings_of("b.txt").is_empty(),
            "the old view is unchanged"
        );
        assert!(before.corpus().get(1).unwrap().text.contains("lorries"));

        assert_eq!(
            host.apply_change(Change::Remove {
                path: "b.txt".into()
            }),
            Some(1)
        );
        assert_eq!(
            host.apply_change(Change::Remove {
                path: "b.txt".into()
            }),
            None
        );
        assert!(host.snapshot().findings_of("a.txt").is_empty());
        assert_eq!(after.corpus().len(), 2);
    }

    #[test]
    fn a_lean_session_gives_the_same_results_and_its_members_words_come_from_the_text() {
        let mut full = AnalysisHost::new(Config::default());
        let mut lean = AnalysisHost::lean(Config::default());
        for (path, words) in [("a.txt", "cars"), ("b.txt", "lorries"), ("c.txt", "cars")] {
            full.apply_change(set(path, words));
            lean.apply_change(set(path, words));
        }
        full.refresh();
        lean.refresh();
        let mut members = 0;
        for (id, doc) in full.corpus().documents() {
            assert_eq!(lean.analysis().findings(id), full.analysis().findings(id));
            assert_eq!(
                lean.analysis().quote_infos(id),
                full.analysis().quote_infos(id)
            );
            for q in 0..doc.quotes.len() {
                let (Some(f), Some(l)) = (
                    full.analysis().utterance(id, q),
                    lean.analysis().utterance(id, q),
                ) else {
                    continue;
                };
                assert_eq!(f.members.len(), l.members.len());
                for (fm, lm) in f.members.iter().zip(&l.members) {
                    assert!(lm.texts().is_empty(), "the lean analysis keeps no words");
                    let member_doc = lean.corpus().get(lm.doc).unwrap();
                    let words = lm.words(member_doc);
                    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
                    assert_eq!(texts, fm.texts());
                    assert_eq!(lm.spans(member_doc), fm.spans(member_doc));
                    members += 1;
                }
            }
        }
        assert!(members > 0, "the three versions' quotes form an utterance");
    }

    #[test]
    fn changes_one_by_one_give_what_a_whole_build_gives() {
        let mut host = AnalysisHost::new(Config::default());
        for (path, words) in [("a.txt", "cars"), ("b.txt", "lorries"), ("c.txt", "cars")] {
            host.apply_change(set(path, words));
            host.refresh();
        }
        let whole = Analysis::of(host.corpus());
        let snapshot = host.snapshot();
        for (id, _) in snapshot.corpus().documents() {
            assert_eq!(snapshot.analysis().findings(id), whole.findings(id));
        }
    }

    #[test]
    fn an_edit_in_a_story_over_the_keystroke_bound_is_collated_against_fewer_versions_until_refresh()
     {
        let config = Config {
            keystroke_quotes: 2,
            ..Config::default()
        };
        let mut host = AnalysisHost::new(config);
        for (path, words) in [("a.txt", "cars"), ("b.txt", "cars"), ("c.txt", "cars")] {
            host.apply_change(set(path, words));
        }
        host.refresh();
        let b = host.apply_change(set("b.txt", "lorries")).unwrap();
        let update = host.refresh_bounded();
        // Three quotes in the story, a bound of two: b is collated with one version only.
        assert_eq!(update.bounded, vec![(b, 3)]);
        assert!(update.changed.contains(&b));
        assert!(!host.is_current(), "the whole story waits");
        let whole = Analysis::of(host.corpus());
        assert_ne!(host.analysis().findings(b), whole.findings(b));
        assert_eq!(
            host.refresh_bounded(),
            BoundedUpdate::default(),
            "nothing new"
        );

        host.refresh();
        assert!(host.is_current());
        let whole = Analysis::of(host.corpus());
        let snapshot = host.snapshot();
        for (id, _) in snapshot.corpus().documents() {
            assert_eq!(snapshot.analysis().findings(id), whole.findings(id));
            for q in 0..snapshot.corpus().get(id).map_or(0, |d| d.quotes.len()) {
                assert_eq!(
                    snapshot.analysis().quote_info(id, q),
                    whole.quote_info(id, q)
                );
            }
        }
    }

    #[test]
    fn the_host_names_no_protocol_no_async_and_no_file_system() {
        let source = include_str!("host.rs");
        // Split so that this test does not find itself.
        for word in [
            ["tower", "_lsp"],
            ["tok", "io"],
            ["std::", "fs"],
            ["crate::", "lsp"],
        ] {
            assert!(
                !source.contains(&word.concat()),
                "host.rs names {}",
                word.concat()
            );
        }
    }
}
