//! What the index stores of one article, computed from the parsed [`Document`] without any
//! database: its hash, metadata, quotes with their comparison words, and its story print.
//! Pure, so it is tested with strings.

use crate::corpus::story::Print;
use crate::document::{Document, QuoteKind};
use crate::text::normalize::words_in;
use sha2::{Digest, Sha256};

/// SHA-256 of an article's text as read: equal hashes mean the stored rows are still right.
pub fn content_hash(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// A file as `stat` saw it just before `verbatim index` read it: when both are still the same,
/// the file is taken as unchanged without being read (see [`FileStamp::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// The size in bytes, before decoding.
    pub size: i64,
    /// The modification time, in nanoseconds since 1970-01-01 UTC.
    pub mtime_ns: i64,
}

/// How close to the start of the run that reads a file its modification time may be for the
/// stamp to be trusted by later runs: within this, the file may have changed again after it
/// was read without its size or time changing (a clock tick is coarse on some file systems),
/// so it is stored without a stamp and read again next time (git's "racy" files).
pub const RACY_WINDOW: std::time::Duration = std::time::Duration::from_secs(2);

impl FileStamp {
    /// The stamp of a file whose metadata is `meta`, read by a run that started at `run`; `None`
    /// when it cannot be trusted: a modification time not older than [`RACY_WINDOW`] before
    /// `run` (or after it), or one the platform does not give.
    pub fn of(meta: &std::fs::Metadata, run: std::time::SystemTime) -> Option<FileStamp> {
        let modified = meta.modified().ok()?;
        if modified.checked_add(RACY_WINDOW).is_none_or(|m| m > run) {
            return None;
        }
        let mtime_ns = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(FileStamp {
            size: i64::try_from(meta.len()).ok()?,
            mtime_ns: i64::try_from(mtime_ns.as_nanos()).ok()?,
        })
    }
}

/// One stored quote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRecord {
    /// Its index among the document's quotes.
    pub ordinal: i32,
    pub start: i32,
    pub end: i32,
    pub kind: &'static str,
    pub speaker: Option<String>,
    pub text: String,
    /// The quote's words in the comparison form.
    pub words: Vec<String>,
}

/// One stored document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRecord {
    pub path: String,
    pub hash: Vec<u8>,
    pub source: Option<String>,
    pub date: Option<String>,
    pub day: Option<i32>,
    pub body: String,
    pub words: Vec<i64>,
    pub shingles: Vec<i64>,
    pub speakers: Vec<i64>,
    pub quotes: Vec<QuoteRecord>,
    /// The file's size and modification time, when they can be trusted.
    pub stamp: Option<FileStamp>,
}

/// A 64-bit hash as PostgreSQL's `bigint` (the same bits).
pub fn as_bigint(h: u64) -> i64 {
    h as i64
}

/// A stored `bigint` back to the engine's hash.
pub fn as_hash(b: i64) -> u64 {
    b as u64
}

fn bigints(hashes: &[u64]) -> Vec<i64> {
    hashes.iter().copied().map(as_bigint).collect()
}

impl DocumentRecord {
    pub fn of(doc: &Document) -> DocumentRecord {
        let print = Print::of(doc);
        let quotes = doc
            .quotes
            .iter()
            .zip(0..)
            .map(|(q, ordinal)| QuoteRecord {
                ordinal,
                start: offset(q.span().start),
                end: offset(q.span().end),
                kind: match q.kind {
                    QuoteKind::Speech => "speech",
                    QuoteKind::Mention => "mention",
                },
                speaker: q.speaker().map(str::to_string),
                text: q.span().of(&doc.text).to_string(),
                words: words_in(&doc.text, q.span())
                    .into_iter()
                    .map(|w| w.text)
                    .collect(),
            })
            .collect();
        DocumentRecord {
            path: doc.path.clone(),
            hash: content_hash(&doc.text),
            source: doc.meta.source.clone(),
            date: doc.meta.date.clone(),
            day: print.day.and_then(|d| i32::try_from(d).ok()),
            body: doc.text.clone(),
            words: bigints(&print.words),
            shingles: bigints(&print.quotes),
            speakers: bigints(&print.speakers),
            quotes,
            stamp: None,
        }
    }

    /// The record with its file's stamp (none: the file is read again by the next run).
    pub fn stamped(self, stamp: Option<FileStamp>) -> DocumentRecord {
        DocumentRecord { stamp, ..self }
    }
}

/// A byte offset as `integer` (articles are far below 2 GiB: `max_file_size` is 5 MB).
fn offset(at: usize) -> i32 {
    i32::try_from(at).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_modified_close_to_the_run_has_no_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "twelve bytes").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        let run = std::time::SystemTime::now();
        let stamp_at = |modified| {
            file.set_modified(modified).unwrap();
            FileStamp::of(&std::fs::metadata(&path).unwrap(), run)
        };
        let old = run - std::time::Duration::from_secs(3);
        let since_1970 = old.duration_since(std::time::UNIX_EPOCH).unwrap();
        assert_eq!(
            stamp_at(old),
            Some(FileStamp {
                size: 12,
                mtime_ns: since_1970.as_nanos() as i64
            })
        );
        // Within RACY_WINDOW of the run's start, or after it: read again next time.
        assert_eq!(stamp_at(run - std::time::Duration::from_secs(1)), None);
        assert_eq!(stamp_at(run + std::time::Duration::from_secs(1)), None);
    }

    #[test]
    fn a_record_keeps_quotes_speakers_and_the_print() {
        let text = "Source: Coastal Press Agency\nDate: 2026-03-04\n\n\
                    \u{201c}The cables have lost more steel than we thought,\u{201d} said Tomas Brandt.\n";
        let doc = Document::parse("wire.md", text.to_string());
        let r = DocumentRecord::of(&doc);
        assert_eq!(r.path, "wire.md");
        assert_eq!(r.hash, content_hash(text));
        assert_eq!(r.source.as_deref(), Some("Coastal Press Agency"));
        assert_eq!(r.day, Some(20516));
        assert_eq!(r.quotes.len(), 1);
        let q = &r.quotes[0];
        assert_eq!(&text[q.start as usize..q.end as usize], q.text);
        assert_eq!(q.speaker.as_deref(), Some("Tomas Brandt"));
        assert_eq!(q.words[..3], ["the", "cables", "have"]);
        assert!(!r.shingles.is_empty() && !r.words.is_empty());
        let print = Print::of(&doc);
        let back: Vec<u64> = r.words.iter().copied().map(as_hash).collect();
        assert_eq!(back, print.words);
    }
}
