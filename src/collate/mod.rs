//! Collation: lines up the quotes of a story's documents into utterances, picks each utterance's
//! canonical reading, and says for each quote whether it agrees, differs or stands alone.
//!
//! Pure: works on a [`Corpus`] and returns owned data. Never sees LSP types.

use crate::corpus::{Corpus, DocId};
use crate::findings::Finding;
use serde::Serialize;
use std::collections::HashMap;

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

/// What collation says of one quote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteInfo {
    /// The utterance the quote belongs to (stable within one run).
    pub group: Option<String>,
    pub status: Option<Status>,
    /// The canonical reading's text, as one version wrote it.
    pub canonical: Option<String>,
}

/// Collation of a whole corpus: per document, per quote info and the findings.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    quotes: HashMap<DocId, Vec<QuoteInfo>>,
    findings: HashMap<DocId, Vec<Finding>>,
}

impl Analysis {
    pub fn of(corpus: &Corpus) -> Analysis {
        let mut analysis = Analysis::default();
        for (id, doc) in corpus.documents() {
            analysis
                .quotes
                .insert(id, vec![QuoteInfo::default(); doc.quotes.len()]);
        }
        analysis
    }

    pub fn quote_info(&self, doc: DocId, quote: usize) -> Option<&QuoteInfo> {
        self.quotes.get(&doc).and_then(|q| q.get(quote))
    }

    pub fn findings(&self, doc: DocId) -> &[Finding] {
        self.findings.get(&doc).map(Vec::as_slice).unwrap_or(&[])
    }
}
