//! The corpus: every document of a folder (or workspace), by id, and the stories they form
//! ([`story`]); [`probe`] guesses a document's story from raw texts before they are parsed;
//! `sort` sorts the hash and id lists linking keeps in linear time.
//!
//! Incremental: replacing one document re-parses that document only. Must not depend on `lsp` or
//! `cli`, and never touches the file system (callers hand it text).

pub mod probe;
mod sort;
pub mod story;

use crate::config::Config;
use crate::document::Document;
use std::collections::BTreeMap;

/// A stable handle on a document for as long as it is in the corpus.
pub type DocId = usize;

#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub config: Config,
    docs: Vec<Option<Document>>,
    by_path: BTreeMap<String, DocId>,
}

impl Corpus {
    pub fn new(config: Config) -> Corpus {
        Corpus {
            config,
            ..Corpus::default()
        }
    }

    /// Adds a document, or replaces the one with the same path. Returns its id.
    pub fn upsert(&mut self, doc: Document) -> DocId {
        if let Some(&id) = self.by_path.get(&doc.path) {
            self.docs[id] = Some(doc);
            id
        } else {
            let id = self.docs.len();
            self.by_path.insert(doc.path.clone(), id);
            self.docs.push(Some(doc));
            id
        }
    }

    /// Removes the document with this path, if any.
    pub fn remove(&mut self, path: &str) -> Option<Document> {
        let id = self.by_path.remove(path)?;
        self.docs[id].take()
    }

    pub fn get(&self, id: DocId) -> Option<&Document> {
        self.docs.get(id).and_then(Option::as_ref)
    }

    pub fn id_of(&self, path: &str) -> Option<DocId> {
        self.by_path.get(path).copied()
    }

    /// Every document, ordered by path (the order of all output).
    pub fn documents(&self) -> impl Iterator<Item = (DocId, &Document)> {
        self.by_path
            .values()
            .filter_map(|&id| self.get(id).map(|d| (id, d)))
    }

    pub fn len(&self) -> usize {
        self.by_path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}
