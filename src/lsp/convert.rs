//! Byte spans of the engine to LSP positions and ranges, and back, in the negotiated encoding.
//!
//! A thin adapter over [`LineIndex`], the project's one line/column conversion; nothing here
//! counts columns itself.

use crate::document::Span;
use crate::text::line_index::{Encoding, LineCol, LineIndex};
use tower_lsp::lsp_types::{Position, PositionEncodingKind, Range};

/// The LSP name of an encoding.
pub fn encoding_kind(enc: Encoding) -> PositionEncodingKind {
    match enc {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 | Encoding::Chars => PositionEncodingKind::UTF16,
    }
}

/// UTF-8 when the client offers it (it is cheapest for a byte-offset engine), else UTF-16,
/// which every client must understand.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

pub fn line_col(pos: Position) -> LineCol {
    LineCol {
        line: pos.line,
        col: pos.character,
    }
}

pub fn position(text: &str, lines: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let lc = lines.position(text, offset, enc);
    Position::new(lc.line, lc.col)
}

pub fn range(text: &str, lines: &LineIndex, span: Span, enc: Encoding) -> Range {
    Range::new(
        position(text, lines, span.start, enc),
        position(text, lines, span.end, enc),
    )
}

/// The byte offset of a position, or `None` when its line is past the end of the text.
pub fn offset(text: &str, lines: &LineIndex, pos: Position, enc: Encoding) -> Option<usize> {
    lines.offset(text, line_col(pos), enc)
}
