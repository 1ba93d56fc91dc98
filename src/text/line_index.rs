//! The one place where byte offsets become line/column positions and back.
//!
//! The engine speaks byte offsets into UTF-8 text. Editors speak (line, column) where the
//! column counts UTF-16 code units (the LSP default), UTF-8 bytes (when negotiated), or, for
//! people reading terminal output, characters. Every such conversion goes through [`LineIndex`].
//! A line ends at `\n`, `\r\n` or a lone `\r` (as the LSP counts them, and as old Mac files
//! end their lines); the ending is not part of the line. [`line_end`] and [`lines`] are the
//! one definition of a line break for every module that walks lines.

/// The unit a column is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 code units (bytes).
    Utf8,
    /// UTF-16 code units: the LSP default.
    Utf16,
    /// Unicode scalar values: what a person counts, used by the CLI.
    Chars,
}

/// A zero-based line and column, the column counted in some [`Encoding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of one text, for converting positions in O(log lines + line length).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of every line; the first is 0.
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![0];
        let mut at = 0;
        loop {
            let (end, next) = line_end(text, at);
            if end == text.len() {
                break;
            }
            line_starts.push(next);
            at = next;
        }
        // A report holds one per file for its whole run: no spare room.
        line_starts.shrink_to_fit();
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte range of line `line` without its line ending, or `None` past the last line.
    pub fn line_span(&self, text: &str, line: u32) -> Option<std::ops::Range<usize>> {
        let line = line as usize;
        let start = *self.line_starts.get(line)?;
        Some(start..line_end(text, start).0)
    }

    /// The position of byte `offset` (clamped to the text, and down to a char boundary).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = column_width(&text[start..offset], enc);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The byte offset of a position. A column past the end of its line clamps to the line end
    /// (as LSP asks); a column inside a character clamps to the character's start. A line past
    /// the last one gives `None`.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> Option<usize> {
        let span = self.line_span(text, pos.line)?;
        Some(span.start + line_offset(&text[span], pos.col, enc))
    }
}

/// The line that starts at byte `from` of `text`: where its text ends (before the line
/// break) and where the next line starts (after it). Without a line break both are the end of
/// the text. A line break is `\n`, `\r\n` or a lone `\r`.
pub fn line_end(text: &str, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let Some(rel) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
    else {
        return (text.len(), text.len());
    };
    let end = from + rel;
    let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
        end + 2
    } else {
        end + 1
    };
    (end, next)
}

/// The lines of `text` from byte `from` on, each as the byte range of its text without the
/// line break. A text ending with a line break has no empty line after it.
pub fn lines(text: &str, from: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut at = from.min(text.len());
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let (end, next) = line_end(text, at);
        let line = at..end;
        at = next;
        Some(line)
    })
}

/// The byte offset where the line holding `offset` starts.
pub fn line_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = offset.min(text.len());
    // Between the `\r` and the `\n` of a CRLF is still the line the CRLF ends.
    if at > 0 && at < bytes.len() && bytes[at - 1] == b'\r' && bytes[at] == b'\n' {
        at -= 1;
    }
    bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// The byte offset inside `line` (one line's text, without its line ending) of column `col`
/// counted in `enc`. Clamps like [`LineIndex::offset`]: past the end to the end, inside a
/// character to its start. For callers that hold lines of their own (the server's ropes).
pub fn line_offset(line: &str, col: u32, enc: Encoding) -> usize {
    let want = col as usize;
    let mut units = 0;
    for (i, c) in line.char_indices() {
        let w = char_width(c, enc);
        if units + w > want {
            return i;
        }
        units += w;
    }
    line.len()
}

/// How many units of `enc` the text `s` spans (a column width).
pub fn width(s: &str, enc: Encoding) -> u32 {
    column_width(s, enc) as u32
}

fn char_width(c: char, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => c.len_utf8(),
        Encoding::Utf16 => c.len_utf16(),
        Encoding::Chars => 1,
    }
}

fn column_width(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        Encoding::Utf16 => s.chars().map(char::len_utf16).sum(),
        Encoding::Chars => s.chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "ab\n😀 “Q” é\r\nlast";

    #[test]
    fn positions_count_units_of_the_encoding() {
        let idx = LineIndex::new(TEXT);
        let q = TEXT.find('Q').unwrap();
        assert_eq!(
            idx.position(TEXT, q, Encoding::Utf16),
            LineCol { line: 1, col: 4 }
        );
        assert_eq!(
            idx.position(TEXT, q, Encoding::Utf8),
            LineCol { line: 1, col: 8 }
        );
        assert_eq!(
            idx.position(TEXT, q, Encoding::Chars),
            LineCol { line: 1, col: 3 }
        );
    }

    #[test]
    fn offsets_round_trip_at_every_char_boundary() {
        let idx = LineIndex::new(TEXT);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for (i, _) in TEXT
                .char_indices()
                .filter(|&(i, _)| TEXT.as_bytes()[i] != b'\n')
            {
                if TEXT.as_bytes()[i] == b'\r' {
                    continue;
                }
                let pos = idx.position(TEXT, i, enc);
                assert_eq!(idx.offset(TEXT, pos, enc), Some(i), "{enc:?} at {i}");
            }
        }
    }

    #[test]
    fn a_lone_cr_ends_a_line_like_lf_and_crlf() {
        let text = "a\rb\r\nc\nd\r";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 5);
        let shown: Vec<&str> = (0..5)
            .map(|l| &text[idx.line_span(text, l).unwrap()])
            .collect();
        assert_eq!(shown, ["a", "b", "c", "d", ""]);
        let d = text.find('d').unwrap();
        assert_eq!(
            idx.position(text, d, Encoding::Chars),
            LineCol { line: 3, col: 0 }
        );
        let walked: Vec<&str> = lines(text, 0).map(|r| &text[r]).collect();
        assert_eq!(walked, ["a", "b", "c", "d"]);
        assert_eq!(line_start(text, d), d);
        assert_eq!(
            line_start(text, text.find('c').unwrap() - 1),
            2,
            "inside a CRLF"
        );
        assert_eq!(line_start(text, 1), 0);
    }

    #[test]
    fn out_of_range_positions_clamp_or_fail() {
        let idx = LineIndex::new(TEXT);
        // Past the end of line 1 clamps before the \r\n.
        let end1 = TEXT.find('\r').unwrap();
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 1, col: 99 }, Encoding::Utf16),
            Some(end1)
        );
        // Inside the emoji's surrogate pair clamps to its start.
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 1, col: 1 }, Encoding::Utf16),
            Some(emoji)
        );
        assert_eq!(
            idx.offset(TEXT, LineCol { line: 9, col: 0 }, Encoding::Utf16),
            None
        );
        assert_eq!(
            idx.position(TEXT, 10_000, Encoding::Utf8),
            LineCol { line: 2, col: 4 }
        );
    }
}
