//! Extraction: from one document's text to its quotes, their speakers and the names it uses.
//!
//! Pure functions over `&str`; byte offsets into the text everywhere. Must not depend on
//! `corpus`, `collate`, `lsp` or `cli`.
//!
//! Stages, each in its own module:
//! - [`meta`]: front matter, `Source:` lines, dates; where the body starts.
//! - [`marks`]: quote marks and the spans between them (paragraph-aware recovery).
//! - [`words`]: tokens, paragraphs and sentences (quoted tokens flagged).
//! - [`lexicon`]: the word lists, as text files (speech verbs, titles, roles, months, …).
//! - [`cues`]: the rules that read them (verb inflections, demonyms, occupations).
//! - [`names`]: proper names in the document and their fullest forms, titles given to people.
//! - [`attribution`]: cues ("said", "according to", colon lead-ins), pronouns, titles, inheritance,
//!   and the speech/mention decision.

pub mod attribution;
pub mod cues;
pub mod lexicon;
pub mod marks;
pub mod meta;
pub mod names;
pub mod words;

use crate::document::{Document, Meta, NameMention, Quote};

/// Everything extraction finds in one document.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    pub meta: Meta,
    pub quotes: Vec<Quote>,
    pub names: Vec<NameMention>,
}

/// Runs every extraction stage over `text`. `path` only feeds metadata fallbacks (a source or
/// date in the file name).
pub fn extract(path: &str, text: &str) -> Extracted {
    let meta = meta::read(path, text);
    let (spans, paragraphs) = marks::scan_paragraphs(text, meta.body_start);
    let words = words::Words::new(text, &paragraphs, &spans);
    let names = names::NameTable::build(&words);
    let quotes = attribution::attribute(&words, &spans, &names);
    Extracted {
        meta,
        quotes,
        names: names.mentions(),
    }
}

impl Document {
    /// Parses `text` (already decoded) as the article named `path`: every extraction stage of
    /// [`extract`]. Pure: never touches the disk. (Defined here, not in `document`, so the data
    /// types do not depend on the extractor that fills them.)
    pub fn parse(path: impl Into<String>, text: impl Into<String>) -> Document {
        let path = path.into();
        let text = text.into();
        let mut parsed = extract(&path, &text);
        // Documents live as long as the corpus: no spare room in their lists and strings.
        parsed.quotes.shrink_to_fit();
        parsed.names.shrink_to_fit();
        Document {
            path,
            text,
            meta: parsed.meta,
            quotes: parsed.quotes,
            names: parsed.names,
        }
    }
}
