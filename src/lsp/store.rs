//! Open documents: the editor's buffers as ropes, each with the version the client gave it.
//!
//! Edits arrive as (line, column) ranges in the negotiated encoding; the column of a position is
//! turned into a byte offset by [`crate::text::line_index::line_offset`], the one conversion the
//! project has. Lines end at `\n`, `\r\n` or a lone `\r`, exactly as
//! [`crate::text::line_index::LineIndex`] counts them (and as the LSP does), so the rope is
//! built with ropey's CR line breaks and without its other Unicode ones. Plain data, no async:
//! the server applies every change under its lock, in the order the client sent them.

use crate::text::line_index::{self, Encoding, LineCol};
use ropey::Rope;
use std::collections::HashMap;
use tower_lsp::lsp_types::Url;

/// One change of a `didChange` notification: replace `range` (or everything) with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    pub range: Option<(LineCol, LineCol)>,
    pub text: String,
}

/// Why an edit could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("line {line} is past the end of the document ({lines} lines)")]
    LineOutOfRange { line: u32, lines: usize },
    #[error("the range ends before it starts")]
    Reversed,
}

/// One open buffer.
#[derive(Debug, Clone)]
pub struct OpenDocument {
    pub version: i32,
    rope: Rope,
    /// `false` once an edit could not be applied: the editor's text is no longer known (the
    /// rope holds the last text that was), until a change sends the whole text again.
    pub in_sync: bool,
}

impl OpenDocument {
    pub fn new(text: &str, version: i32) -> OpenDocument {
        OpenDocument {
            version,
            rope: Rope::from_str(text),
            in_sync: true,
        }
    }

    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// The byte offset of `pos`. A column past its line's end clamps to the end; the line just
    /// past the last one means the end of the text; a later line is an error.
    pub fn offset(&self, pos: LineCol, enc: Encoding) -> Result<usize, EditError> {
        let lines = self.rope.len_lines();
        let line = pos.line as usize;
        if line >= lines {
            return if line == lines {
                Ok(self.rope.len_bytes())
            } else {
                Err(EditError::LineOutOfRange {
                    line: pos.line,
                    lines,
                })
            };
        }
        let start = self.rope.line_to_byte(line);
        let slice: std::borrow::Cow<'_, str> = self.rope.line(line).into();
        let content = slice
            .strip_suffix("\r\n")
            .or_else(|| slice.strip_suffix(['\n', '\r']))
            .unwrap_or(&slice);
        Ok(start + line_index::line_offset(content, pos.col, enc))
    }

    /// Applies one change. On error the buffer is left as it was.
    pub fn apply(&mut self, change: &TextChange, enc: Encoding) -> Result<(), EditError> {
        match change.range {
            None => self.rope = Rope::from_str(&change.text),
            Some((start, end)) => {
                let a = self.offset(start, enc)?;
                let b = self.offset(end, enc)?;
                if b < a {
                    return Err(EditError::Reversed);
                }
                let (ca, cb) = (self.rope.byte_to_char(a), self.rope.byte_to_char(b));
                self.rope.remove(ca..cb);
                self.rope.insert(ca, &change.text);
            }
        }
        Ok(())
    }
}

/// Every open buffer, by URI.
#[derive(Debug, Clone, Default)]
pub struct DocumentStore {
    docs: HashMap<Url, OpenDocument>,
}

impl DocumentStore {
    pub fn open(&mut self, uri: Url, text: &str, version: i32) {
        self.docs.insert(uri, OpenDocument::new(text, version));
    }

    pub fn close(&mut self, uri: &Url) -> Option<OpenDocument> {
        self.docs.remove(uri)
    }

    pub fn get(&self, uri: &Url) -> Option<&OpenDocument> {
        self.docs.get(uri)
    }

    pub fn version(&self, uri: &Url) -> Option<i32> {
        self.docs.get(uri).map(|d| d.version)
    }

    pub fn uris(&self) -> impl Iterator<Item = &Url> {
        self.docs.keys()
    }

    /// Applies the changes of one `didChange` in order and sets the new version, all or
    /// nothing. When a change cannot be applied the document keeps its last known text and is
    /// marked out of step (`in_sync == false`): the editor's text is no longer known, and later
    /// edits are refused ([`ChangeError::OutOfStep`]) until a change that replaces the whole
    /// text, which brings it back in step.
    pub fn change(
        &mut self,
        uri: &Url,
        version: i32,
        changes: &[TextChange],
        enc: Encoding,
    ) -> Result<(), ChangeError> {
        let doc = self
            .docs
            .get_mut(uri)
            .ok_or_else(|| ChangeError::NotOpen(uri.to_string()))?;
        doc.version = version;
        // Out of step, only the changes from the last whole text on can be applied.
        let changes = if doc.in_sync {
            changes
        } else {
            match changes.iter().rposition(|c| c.range.is_none()) {
                Some(full) => &changes[full..],
                None => return Err(ChangeError::OutOfStep),
            }
        };
        let before = doc.rope.clone(); // cheap: ropes share their chunks
        for change in changes {
            if let Err(e) = doc.apply(change, enc) {
                doc.rope = before;
                doc.in_sync = false;
                return Err(e.into());
            }
        }
        doc.in_sync = true;
        Ok(())
    }
}

/// Why a `didChange` could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    #[error("{0} is not open")]
    NotOpen(String),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("an earlier edit could not be applied; waiting for the whole text")]
    OutOfStep,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, col: u32) -> LineCol {
        LineCol { line, col }
    }

    #[test]
    fn utf16_ranges_after_an_emoji_and_curly_quotes_replace_the_right_words() {
        let mut doc = OpenDocument::new("x\n😀 “Hello world,” she said.\r\nend", 1);
        // “Hello world,” : the emoji is 2 UTF-16 units, the space 1, the mark 1 -> H at 4.
        let change = TextChange {
            range: Some((lc(1, 4), lc(1, 9))),
            text: "Goodbye".into(),
        };
        doc.apply(&change, Encoding::Utf16).unwrap();
        assert_eq!(doc.text(), "x\n😀 “Goodbye world,” she said.\r\nend");
        // The same place in UTF-8 bytes: 4 (emoji) + 1 + 3 (mark) = 8.
        let change = TextChange {
            range: Some((lc(1, 8), lc(1, 15))),
            text: "Hi".into(),
        };
        doc.apply(&change, Encoding::Utf8).unwrap();
        assert_eq!(doc.text(), "x\n😀 “Hi world,” she said.\r\nend");
    }

    #[test]
    fn a_column_past_the_line_end_stops_before_the_crlf() {
        let mut doc = OpenDocument::new("ab\r\ncd", 1);
        let change = TextChange {
            range: Some((lc(0, 99), lc(0, 99))),
            text: "!".into(),
        };
        doc.apply(&change, Encoding::Utf16).unwrap();
        assert_eq!(doc.text(), "ab!\r\ncd");
    }

    #[test]
    fn a_line_far_past_the_end_is_refused_and_leaves_the_text() {
        let mut doc = OpenDocument::new("one\ntwo", 1);
        let change = TextChange {
            range: Some((lc(7, 0), lc(7, 0))),
            text: "x".into(),
        };
        assert!(matches!(
            doc.apply(&change, Encoding::Utf16),
            Err(EditError::LineOutOfRange { line: 7, .. })
        ));
        assert_eq!(doc.text(), "one\ntwo");
        // The line just past the last one is the end of the text.
        let change = TextChange {
            range: Some((lc(2, 0), lc(2, 0))),
            text: "!".into(),
        };
        doc.apply(&change, Encoding::Utf16).unwrap();
        assert_eq!(doc.text(), "one\ntwo!");
    }

    #[test]
    fn a_lone_cr_ends_a_line() {
        let mut doc = OpenDocument::new("a\rb\rc", 1);
        let change = TextChange {
            range: Some((lc(2, 0), lc(2, 1))),
            text: "C".into(),
        };
        doc.apply(&change, Encoding::Utf16).unwrap();
        assert_eq!(doc.text(), "a\rb\rC");
        let change = TextChange {
            range: Some((lc(1, 9), lc(2, 0))),
            text: "\r\n".into(),
        };
        doc.apply(&change, Encoding::Utf16).unwrap();
        assert_eq!(doc.text(), "a\rb\r\nC");
    }

    #[test]
    fn an_edit_that_does_not_fit_leaves_the_document_out_of_step_until_a_whole_text() {
        let mut store = DocumentStore::default();
        let uri = Url::parse("untitled:a").unwrap();
        store.open(uri.clone(), "one\ntwo", 1);
        let edit = |line, text: &str| TextChange {
            range: Some((lc(line, 0), lc(line, 0))),
            text: text.into(),
        };
        // The first change fits, the second does not: neither is kept.
        let result = store.change(&uri, 2, &[edit(0, "A"), edit(9, "B")], Encoding::Utf16);
        assert!(matches!(result, Err(ChangeError::Edit(_))));
        let doc = store.get(&uri).unwrap();
        assert_eq!(
            (doc.version, doc.text(), doc.in_sync),
            (2, "one\ntwo".into(), false)
        );
        assert_eq!(
            store.change(&uri, 3, &[edit(0, "C")], Encoding::Utf16),
            Err(ChangeError::OutOfStep)
        );
        let whole = TextChange {
            range: None,
            text: "new".into(),
        };
        store
            .change(
                &uri,
                4,
                &[edit(0, "lost"), whole, edit(0, "a ")],
                Encoding::Utf16,
            )
            .unwrap();
        let doc = store.get(&uri).unwrap();
        assert_eq!(
            (doc.version, doc.text(), doc.in_sync),
            (4, "a new".into(), true)
        );
    }

    #[test]
    fn reversed_ranges_are_refused() {
        let mut doc = OpenDocument::new("abc", 1);
        let change = TextChange {
            range: Some((lc(0, 2), lc(0, 1))),
            text: String::new(),
        };
        assert_eq!(
            doc.apply(&change, Encoding::Utf16),
            Err(EditError::Reversed)
        );
    }
}
