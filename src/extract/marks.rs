//! Quote marks: finds the spans of directly quoted words, and the paragraphs they lie in.
//!
//! Knows typographic pairs (“…” ‘…’ «…» »…« „…“ „…” ‚…‘ ‹…›), straight marks, mixed pairs,
//! doubled apostrophes used as marks, and HTML-entity marks (`&quot;`, `&#39;`, `&ldquo;`, …);
//! tells apostrophes (don’t, students’, ’90s, rock ’n’ roll) from marks; keeps nested quotes
//! inside the outer one; splits multi-paragraph quotes into one span per paragraph; recovers
//! from an unbalanced mark at the paragraph end. HTML comments are not article text.
//!
//! The rules a user can rely on are written down in `docs/quotes.md`; keep the two in step.
//!
//! Pure and linear in the text length: it runs on every keystroke in the language server.
//! Depends on nothing but [`crate::document::Span`] and the one definition of a line break
//! ([`crate::text::line_index::line_end`]: `\n`, `\r\n` or a lone `\r`).

use std::borrow::Cow;

use crate::document::Span;
use crate::text::line_index::line_end;
use unicode_normalization::char::is_combining_mark;

/// One quoted span as the marks delimit it, before attribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedSpan {
    /// The words between the marks, exactly: nothing inside is trimmed.
    pub span: Span,
    /// The opening mark (`“`, `"`, `''`, `&quot;`, …).
    pub open: Span,
    /// `None` when the span was closed by the paragraph end rather than a mark (a part of a
    /// multi-paragraph quote that is not its last, or a lone unbalanced opening mark).
    pub close: Option<Span>,
    /// The paragraph the span lies in. A span never crosses a paragraph boundary.
    pub paragraph: Span,
    /// For the second and later parts of a multi-paragraph quote: index (into the returned list)
    /// of the quote's first part.
    pub continues: Option<usize>,
}

/// Lines longer than this (in chars) are never hard-wrapped prose: a block holding one is
/// read as one paragraph per line.
const MAX_WRAP_WIDTH: usize = 100;

/// Scans `text` from `body_start` for quoted spans, in text order, non-overlapping (marks
/// included). Only outermost quotes are returned; a quote inside a quote is part of it.
pub fn scan(text: &str, body_start: usize) -> Vec<MarkedSpan> {
    scan_paragraphs(text, body_start).0
}

/// [`scan`] and [`paragraphs`] at once: the text is masked and split into paragraphs once.
pub fn scan_paragraphs(text: &str, body_start: usize) -> (Vec<MarkedSpan>, Vec<Span>) {
    let masked = mask_comments(text);
    let start = char_floor(text, body_start);
    let paras = paragraphs_of(&masked, start);
    let mut out: Vec<MarkedSpan> = Vec::new();
    // The first part of a multi-paragraph quote the previous paragraph left open.
    let mut chain: Option<usize> = None;
    for (i, &para) in paras.iter().enumerate() {
        let next = paras.get(i + 1).copied();
        let found = scan_paragraph(&masked, para, next);
        let carried = chain.take();
        for (k, part) in found.iter().enumerate() {
            let continues = match carried {
                Some(first) if k == 0 && part.open.start == para.start => Some(first),
                _ => None,
            };
            let index = out.len();
            out.push(MarkedSpan {
                span: part.span,
                open: part.open,
                close: part.close,
                paragraph: para,
                continues,
            });
            if k + 1 == found.len() && part.carries_on {
                chain = Some(continues.unwrap_or(index));
            }
        }
    }
    (out, paras)
}

/// The paragraphs of the article body, in order: blank lines separate paragraphs; inside a
/// block, hard-wrapped lines join into one paragraph while a block of long lines (one paragraph
/// per line, as scraped copy often has) gives one paragraph per line; Markdown headings and list
/// items are paragraphs of their own. HTML comments are not text. Each span starts at the
/// paragraph's first non-blank character and ends after its last one.
pub fn paragraphs(text: &str, body_start: usize) -> Vec<Span> {
    let masked = mask_comments(text);
    paragraphs_of(&masked, char_floor(text, body_start))
}

/// `offset` clamped into the text and moved forward to a char boundary.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// The text with every closed HTML comment (`<!-- … -->`) blanked out: each byte becomes a
/// space except line breaks, so offsets stay the same and a comment on a line of its own reads
/// as a blank line. An unclosed `<!--` is left as text (it must not hide the rest of a draft).
fn mask_comments(text: &str) -> Cow<'_, str> {
    if !text.contains("<!--") {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut from = 0;
    while let Some(rel) = text[from..].find("<!--") {
        let open = from + rel;
        let Some(rel_end) = text[open + 4..].find("-->") else {
            break;
        };
        let end = open + 4 + rel_end + 3;
        for b in &mut bytes[open..end] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
        from = end;
    }
    // Only whole comments were blanked, and every byte of them became ASCII.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
}

/// One line of a block: its byte range without the line break, and its width in chars.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    end: usize,
    width: usize,
}

fn paragraphs_of(text: &str, start: usize) -> Vec<Span> {
    let mut paras = Vec::new();
    let mut block: Vec<Line> = Vec::new();
    let mut pos = start;
    while pos < text.len() {
        let (line_end, next) = line_end(text, pos);
        let line = &text[pos..line_end];
        let trimmed = line.trim_end();
        let lead = trimmed.len() - trimmed.trim_start().len();
        if trimmed.trim_start().is_empty() {
            split_block(text, &block, &mut paras);
            block.clear();
        } else {
            let start = pos + lead;
            let end = pos + trimmed.len();
            block.push(Line {
                start,
                end,
                width: text[start..end].chars().count(),
            });
        }
        pos = next;
    }
    split_block(text, &block, &mut paras);
    paras
}

/// Whether a line is a Markdown structure that starts a paragraph of its own: a heading, a list
/// item, a block quote line, a thematic break.
fn starts_paragraph(line: &str) -> bool {
    let b = line.as_bytes();
    match b.first() {
        Some(b'#') => {
            let hashes = b.iter().take_while(|&&c| c == b'#').count();
            hashes <= 6 && b.get(hashes).is_none_or(|c| c.is_ascii_whitespace())
        }
        Some(b'-' | b'*' | b'+') => {
            b.get(1).is_some_and(|c| c.is_ascii_whitespace())
                || b.iter().all(|&c| c == b[0] || c == b' ')
        }
        Some(b'>') => true,
        Some(c) if c.is_ascii_digit() => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            digits <= 9
                && matches!(b.get(digits), Some(b'.' | b')'))
                && b.get(digits + 1).is_none_or(|c| c.is_ascii_whitespace())
        }
        _ => line.starts_with('•'),
    }
}

fn is_heading(line: &str) -> bool {
    line.starts_with('#') && starts_paragraph(line)
}

/// Splits one block (lines with no blank line between them) into paragraphs.
///
/// A line break inside a block is a soft wrap when the block looks hard-wrapped: no line is
/// wider than [`MAX_WRAP_WIDTH`], and the first word of the next line would not have fitted on
/// this line within the block's widest line (the greedy wrapping every editor does). A line
/// that ends a sentence needs to be full; one that does not gets some slack. Any other break
/// (a block of long lines, a short line whose successor would have fitted) ends a paragraph.
fn split_block(text: &str, block: &[Line], paras: &mut Vec<Span>) {
    let Some(first) = block.first() else {
        return;
    };
    let widest = block.iter().map(|l| l.width).max().unwrap_or(0);
    let wrapped = widest <= MAX_WRAP_WIDTH;
    let mut para_start = first.start;
    for pair in block.windows(2) {
        let (this, next) = (pair[0], pair[1]);
        let this_text = &text[this.start..this.end];
        let next_text = &text[next.start..next.end];
        let continues_block_quote = next_text.starts_with('>') && this_text.starts_with('>');
        let soft = wrapped
            && !is_heading(this_text)
            && (!starts_paragraph(next_text) || continues_block_quote)
            && {
                let next_word = next_text
                    .split_whitespace()
                    .next()
                    .map_or(0, |w| w.chars().count());
                let slack = if ends_sentence(this_text) {
                    0
                } else {
                    widest / 8
                };
                this.width + 1 + next_word + slack > widest
            };
        if !soft {
            paras.push(Span::new(para_start, this.end));
            para_start = next.start;
        }
    }
    if let Some(last) = block.last() {
        paras.push(Span::new(para_start, last.end));
    }
}

fn ends_sentence(line: &str) -> bool {
    let mut chars = line.chars().rev();
    let mut last = chars.next();
    while let Some(c) = last {
        if matches!(c, '"' | '\'' | '”' | '’' | '»' | ')') {
            last = chars.next();
        } else {
            break;
        }
    }
    matches!(last, Some('.' | '!' | '?' | ':' | '…'))
}

/// Which kind of mark: a quote opened with one family is closed with the same family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
    SingleGuillemet,
}

/// The shape of a mark inside its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Glyph {
    /// `"` `'`
    Straight,
    /// `“` `‘` `«` `‹`
    Left,
    /// `”` `’` `»` `›`
    Right,
    /// `„` `‚`
    Low,
}

/// What is on one side of a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Whitespace or the paragraph edge.
    Space,
    Punct,
    Word,
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    span: Span,
    family: Family,
    glyph: Glyph,
    prev: Side,
    next: Side,
    /// Never a quote mark: an apostrophe inside or at the edge of a word.
    apostrophe: bool,
    /// A single mark between the end of a word and the next word (`the students’ union`,
    /// `goin’ home`): an apostrophe when a later mark closes the open single quote, else the
    /// closing mark (`called them ‘hostages’ and left`).
    word_final: bool,
}

impl Mark {
    /// Could open by its neighbours (CommonMark's left-flanking).
    fn left(&self) -> bool {
        self.next != Side::Space && (self.next != Side::Punct || self.prev != Side::Word)
    }
    /// Could close by its neighbours (CommonMark's right-flanking).
    fn right(&self) -> bool {
        self.prev != Side::Space && (self.prev != Side::Punct || self.next != Side::Word)
    }
}

fn glyph_of(c: char) -> Option<(Family, Glyph)> {
    use Family::*;
    use Glyph::*;
    Some(match c {
        '"' => (Double, Straight),
        '“' | '‟' => (Double, Left),
        '”' => (Double, Right),
        '„' => (Double, Low),
        '\'' => (Single, Straight),
        '‘' | '‛' => (Single, Left),
        '’' => (Single, Right),
        '‚' => (Single, Low),
        '«' => (Guillemet, Left),
        '»' => (Guillemet, Right),
        '‹' => (SingleGuillemet, Left),
        '›' => (SingleGuillemet, Right),
        _ => return None,
    })
}

/// The mark an HTML character reference at the start of `s` stands for, and its length.
fn entity_at(s: &str) -> Option<(char, usize)> {
    let semi = s.as_bytes().iter().take(10).position(|&b| b == b';')?;
    let name = &s[1..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name.to_ascii_lowercase().as_str() {
            "quot" => '"',
            "apos" => '\'',
            "ldquo" => '“',
            "rdquo" => '”',
            "bdquo" => '„',
            "lsquo" => '‘',
            "rsquo" => '’',
            "sbquo" => '‚',
            "laquo" => '«',
            "raquo" => '»',
            "lsaquo" => '‹',
            "rsaquo" => '›',
            _ => return None,
        }
    };
    Some((c, semi + 1))
}

fn side_of(c: Option<char>) -> Side {
    match c {
        None => Side::Space,
        Some(c) if c.is_whitespace() => Side::Space,
        // A combining mark is part of the letter it follows (`Jose` + U+0301 `’s`).
        Some(c) if c.is_alphanumeric() || is_combining_mark(c) => Side::Word,
        Some(_) => Side::Punct,
    }
}

/// Short words spelled with a leading apostrophe (’em, ’til, rock ’n’ roll).
const ELISIONS: &[&str] = &[
    "n", "em", "til", "tis", "twas", "cause", "bout", "cos", "nuff",
];

/// Every mark in `para`, with its neighbours and apostrophe flags.
fn marks_in(text: &str, para: Span) -> Vec<Mark> {
    let body = &text[para.start..para.end];
    let bytes = body.as_bytes();
    let mut raw: Vec<(Span, Family, Glyph)> = Vec::new();
    // Every mark starts with one of five bytes (`"`, `'`, `&`, and the UTF-8 leads of U+00AB/BB
    // and U+2018..203A): the next of each group, found with memchr's vector search and asked
    // again only once passed, so a paragraph is read about once whatever its marks.
    let next_of = |from: usize, group: bool| {
        let rest = &bytes[from..];
        let found = if group {
            memchr::memchr3(b'"', b'\'', 0xE2, rest)
        } else {
            memchr::memchr2(b'&', 0xC2, rest)
        };
        found.map_or(bytes.len(), |k| from + k)
    };
    let (mut next_quote, mut next_other) = (next_of(0, true), next_of(0, false));
    let mut i = 0;
    loop {
        if next_quote < i {
            next_quote = next_of(i, true);
        }
        if next_other < i {
            next_other = next_of(i, false);
        }
        i = next_quote.min(next_other);
        if i >= bytes.len() {
            break;
        }
        let b = bytes[i];
        let rest = &body[i..];
        let (c, len) = if b == b'&' {
            match entity_at(rest) {
                Some(found) => found,
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            match rest.chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        if let Some((family, glyph)) = glyph_of(c)
            && !(family == Family::Double && feet_and_inches_before(&body[..i]))
        {
            let span = Span::new(para.start + i, para.start + i + len);
            // Two single marks of one shape in a row are one double mark: ''…''.
            match raw.last_mut() {
                Some(last)
                    if family == Family::Single
                        && last.1 == Family::Single
                        && last.0.end == span.start
                        && last.2 == glyph
                        && glyph != Glyph::Low =>
                {
                    last.0.end = span.end;
                    last.1 = Family::Double;
                }
                // `''… 'old-school,''' said`: three after a word close a nested single quote,
                // then the double one (before a word, three open the double, then the single).
                Some(last)
                    if family == Family::Single
                        && last.1 == Family::Double
                        && last.0.end == span.start
                        && last.0.end - last.0.start == 2 * len
                        && last.2 == glyph
                        && glyph != Glyph::Low
                        && text[..last.0.start]
                            .chars()
                            .next_back()
                            .is_some_and(|c| !c.is_whitespace()) =>
                {
                    let single_end = last.0.start + len;
                    last.0.end = single_end;
                    last.1 = Family::Single;
                    raw.push((Span::new(single_end, span.end), Family::Double, glyph));
                }
                _ => raw.push((span, family, glyph)),
            }
        }
        i += len;
    }

    let mut marks: Vec<Mark> = raw
        .iter()
        .map(|&(span, family, glyph)| Mark {
            span,
            family,
            glyph,
            prev: side_of(text[para.start..span.start].chars().next_back()),
            next: side_of(text[span.end..para.end].chars().next()),
            apostrophe: false,
            word_final: false,
        })
        .collect();

    for k in 0..marks.len() {
        let m = marks[k];
        if m.family != Family::Single || m.glyph == Glyph::Low {
            continue;
        }
        if m.prev == Side::Word && m.next == Side::Word {
            marks[k].apostrophe = true;
            continue;
        }
        let after = &text[m.span.end..para.end];
        if m.prev != Side::Word
            && m.next == Side::Word
            && let Some(partner_end) = elision(after, m.glyph)
        {
            marks[k].apostrophe = true;
            // rock ’n’ roll: the mark after the n is an apostrophe too.
            if let Some(partner) = partner_end {
                let at = m.span.end + partner;
                if let Some(p) = marks.iter_mut().skip(k + 1).find(|p| p.span.start == at) {
                    p.apostrophe = true;
                }
            }
            continue;
        }
        if m.next == Side::Space
            && m.prev == Side::Word
            && m.glyph != Glyph::Left
            && after
                .trim_start()
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
        {
            marks[k].word_final = true;
        }
    }
    marks
}

/// Where a quote left open at `from` ends when a parenthesis opened before it closes later in
/// the paragraph: at the first mark before that closing parenthesis, or at the parenthesis.
fn end_in_parenthesis(text: &str, para: Span, from: usize, marks: &[Mark]) -> Option<usize> {
    let before = &text[para.start..from];
    if before.matches('(').count() <= before.matches(')').count() {
        return None;
    }
    let rest = &text[from..para.end];
    let mut depth = 0usize;
    let close = rest.char_indices().find_map(|(i, c)| match c {
        '(' => {
            depth += 1;
            None
        }
        ')' if depth == 0 => Some(from + i),
        ')' => {
            depth -= 1;
            None
        }
        _ => None,
    })?;
    let mark = marks
        .iter()
        .find(|m| m.span.start >= from && m.span.start < close && !m.apostrophe)
        .map(|m| m.span.start);
    Some(mark.unwrap_or(close))
}

/// Whether `before` ends with feet and inches up to the inch mark (`6’2` of `6’2”`): the
/// double mark after it measures a height and closes no quote.
fn feet_and_inches_before(before: &str) -> bool {
    let mut chars = before.chars().rev();
    let mut inches = 0;
    let mut c = chars.next();
    while c.is_some_and(|c| c.is_ascii_digit()) {
        inches += 1;
        c = chars.next();
    }
    (1..=2).contains(&inches)
        && matches!(c, Some('’' | '\''))
        && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether a single mark followed by `after` is an elision apostrophe (’90s, ’em, ’n’).
/// `Some(Some(offset))` gives the offset (from the mark's end) of a partner apostrophe to skip.
fn elision(after: &str, glyph: Glyph) -> Option<Option<usize>> {
    let b = after.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit() {
        let tail = &after[2..];
        let next = tail.chars().next();
        if next.is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        let plural = tail.starts_with('s') || tail.starts_with("’s") || tail.starts_with("'s");
        if plural || (glyph == Glyph::Right && !next.is_some_and(char::is_alphanumeric)) {
            return Some(None);
        }
        return None;
    }
    let word_len = after
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(after.len(), |(i, _)| i);
    let word = &after[..word_len];
    if !ELISIONS.iter().any(|e| word.eq_ignore_ascii_case(e)) {
        return None;
    }
    let tail = &after[word_len..];
    if word.eq_ignore_ascii_case("n") && (tail.starts_with('’') || tail.starts_with('\'')) {
        let partner_tail = &tail[tail.chars().next().map_or(0, char::len_utf8)..];
        if !partner_tail
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
        {
            return Some(Some(word_len));
        }
    }
    if tail.chars().next().is_some_and(char::is_alphanumeric) {
        return None;
    }
    Some(None)
}

/// A quote found in one paragraph, before it is numbered.
struct Part {
    span: Span,
    open: Span,
    close: Option<Span>,
    /// Runs to the paragraph end and the next paragraph reopens it.
    carries_on: bool,
}

/// An opening mark waiting for its closing one.
#[derive(Clone, Copy)]
struct Pending {
    mark: Mark,
    /// The next opener of the same family further out, by index in the stack.
    below: Option<usize>,
}

/// The openers waiting for their closing marks, innermost last, and for each family its
/// innermost opener, so that no mark walks the stack: deep nesting stays linear.
#[derive(Default)]
struct Openers {
    stack: Vec<Pending>,
    top: [Option<usize>; 4],
}

impl Openers {
    fn slot(family: Family) -> usize {
        match family {
            Family::Double => 0,
            Family::Single => 1,
            Family::Guillemet => 2,
            Family::SingleGuillemet => 3,
        }
    }

    /// The innermost opener of `family` still waiting.
    fn innermost(&self, family: Family) -> Option<&Mark> {
        self.top[Self::slot(family)].map(|i| &self.stack[i].mark)
    }

    /// Opens a quote. A quote opened inside another of its own family with no other quote
    /// between them (`“absurd. Later he said “we will see”`) means the first was never closed:
    /// it is abandoned. Inside a quote of another family it nests (`“… ‘… “…” …’ …”`).
    fn open(&mut self, mark: Mark) {
        let slot = Self::slot(mark.family);
        if let Some(at) = self.top[slot]
            && at + 1 == self.stack.len()
        {
            self.truncate(at);
        }
        self.stack.push(Pending {
            mark,
            below: self.top[slot],
        });
        self.top[slot] = Some(self.stack.len() - 1);
    }

    /// Closes the innermost quote of `family` (and drops the unclosed openers inside it);
    /// returns its opening mark.
    fn close(&mut self, family: Family) -> Option<Mark> {
        let at = self.top[Self::slot(family)]?;
        let mark = self.stack[at].mark;
        self.truncate(at);
        Some(mark)
    }

    /// Drops the openers from index `at` on.
    fn truncate(&mut self, at: usize) {
        for slot in 0..self.top.len() {
            let mut top = self.top[slot];
            while let Some(i) = top.filter(|&i| i >= at) {
                top = self.stack[i].below;
            }
            self.top[slot] = top;
        }
        self.stack.truncate(at);
    }
}

enum Action {
    Open,
    Close,
    Ignore,
}

/// Decides what one mark does, given the innermost opener of its family still waiting.
fn decide(m: &Mark, pending: Option<&Mark>, marks: &[Mark], next_single: Option<usize>) -> Action {
    let (left, right) = (m.left(), m.right());
    match m.family {
        Family::Double => match m.glyph {
            Glyph::Low => Action::Open,
            Glyph::Right => {
                if pending.is_some() {
                    Action::Close
                } else if left && !right {
                    Action::Open
                } else {
                    Action::Ignore
                }
            }
            Glyph::Left => match pending {
                Some(p) if right && (!left || p.glyph == Glyph::Low) => Action::Close,
                _ if left => Action::Open,
                _ => Action::Ignore,
            },
            Glyph::Straight => match pending {
                // `␣"Word` while a quote is open: that quote was never closed; start afresh.
                Some(_) if left && !right && m.prev == Side::Space => Action::Open,
                Some(_) => Action::Close,
                // Not inside a word: `5"10` is a measurement, not a quote.
                None if left && m.prev != Side::Word => Action::Open,
                None => Action::Ignore,
            },
        },
        Family::Single => {
            if m.apostrophe {
                return Action::Ignore;
            }
            match m.glyph {
                Glyph::Low => Action::Open,
                Glyph::Left => match pending {
                    Some(_) if right && !left => Action::Close,
                    _ if left => Action::Open,
                    _ => Action::Ignore,
                },
                Glyph::Right | Glyph::Straight => match pending {
                    Some(_) if right => {
                        // `the students’ union` inside ‘…’: an apostrophe when the next mark
                        // that is not itself word-final closes the quote instead.
                        let later_closer = next_single.is_some_and(|j| {
                            let n = &marks[j];
                            !n.apostrophe && n.right() && !(n.glyph == Glyph::Left && n.left())
                        });
                        if m.word_final && later_closer {
                            Action::Ignore
                        } else {
                            Action::Close
                        }
                    }
                    Some(_) if m.glyph == Glyph::Straight && left => Action::Open,
                    Some(_) => Action::Ignore,
                    None if left && !right => Action::Open,
                    None => Action::Ignore,
                },
            }
        }
        Family::Guillemet | Family::SingleGuillemet => match (pending, m.glyph) {
            // «…» closes with », the reversed »…« with «.
            (Some(p), g) if p.glyph != g => Action::Close,
            (Some(_), _) => Action::Open,
            (None, Glyph::Left) if left || !right => Action::Open,
            (None, Glyph::Right) if left && !right => Action::Open,
            _ => Action::Ignore,
        },
    }
}

/// Whether an unclosed opener of `family` is picked up by the paragraph `next`: it starts with
/// an opening mark of the same family.
fn reopens(text: &str, next: Option<Span>, family: Family) -> bool {
    let Some(next) = next else {
        return false;
    };
    // Only the first mark matters: look at the paragraph's first few characters.
    let head_end = char_floor(text, next.end.min(next.start + 16));
    let marks = marks_in(text, Span::new(next.start, head_end));
    marks.first().is_some_and(|m| {
        m.span.start == next.start
            && m.family == family
            && !m.apostrophe
            && matches!(decide(m, None, &marks, None), Action::Open)
    })
}

fn scan_paragraph(text: &str, para: Span, next: Option<Span>) -> Vec<Part> {
    let marks = marks_in(text, para);
    // For each mark, the index of the next single-family mark after it that is neither an
    // apostrophe nor word-final.
    let mut next_single = vec![None; marks.len()];
    let mut following = None;
    for k in (0..marks.len()).rev() {
        next_single[k] = following;
        let m = &marks[k];
        if m.family == Family::Single && !m.apostrophe && !m.word_final {
            following = Some(k);
        }
    }

    let mut openers = Openers::default();
    let mut parts: Vec<Part> = Vec::new();
    for (k, m) in marks.iter().enumerate() {
        match decide(m, openers.innermost(m.family), &marks, next_single[k]) {
            Action::Ignore => {}
            Action::Close => {
                if let Some(open) = openers.close(m.family) {
                    parts.push(Part {
                        span: Span::new(open.span.end, m.span.start),
                        open: open.span,
                        close: Some(m.span),
                        carries_on: false,
                    });
                }
            }
            Action::Open => openers.open(*m),
        }
    }

    // Recovery at the paragraph end: the outermost opener still waiting gives a span to the
    // paragraph end if the next paragraph reopens the quote (a multi-paragraph quote), or if it
    // is a double mark or a guillemet (a forgotten closing mark). A lone single mark gives
    // nothing: it is too often an apostrophe.
    for p in &openers.stack {
        // "(Forbes says it tracks 500 ''family fortunes.'.')": a quote opened inside a
        // parenthesis ends before the parenthesis closes, at the first mark there, and does
        // not run on into the next paragraph.
        if let Some(end) = end_in_parenthesis(text, para, p.mark.span.end, &marks) {
            parts.push(Part {
                span: Span::new(p.mark.span.end, end),
                open: p.mark.span,
                close: None,
                carries_on: false,
            });
            break;
        }
        let carries_on = reopens(text, next, p.mark.family);
        if carries_on || matches!(p.mark.family, Family::Double | Family::Guillemet) {
            parts.push(Part {
                span: Span::new(p.mark.span.end, para.end),
                open: p.mark.span,
                close: None,
                carries_on,
            });
            break;
        }
    }

    // Keep the outermost quotes: inner ones are part of them.
    parts.sort_by_key(|p| (p.open.start, std::cmp::Reverse(p.span.end)));
    let mut outer: Vec<Part> = Vec::new();
    for part in parts {
        let inside = outer
            .last()
            .is_some_and(|o| part.open.start < o.close.map_or(o.span.end, |c| c.end));
        if !inside {
            outer.push(part);
        }
    }
    outer.retain(|p| !p.span.of(text).trim().is_empty());
    // The words between the marks, without the spaces some styles put inside them
    // (French-style « … » with no-break spaces): the spaces count with their mark.
    for p in &mut outer {
        let inner = p.span.of(text);
        let lead = inner.len() - inner.trim_start().len();
        let trail = inner.len() - inner.trim_end().len();
        p.span = Span::new(p.span.start + lead, p.span.end - trail);
        p.open = Span::new(p.open.start, p.span.start);
        if let Some(c) = p.close.as_mut() {
            *c = Span::new(p.span.end, c.end);
        }
    }
    outer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<&str> {
        scan(text, 0).iter().map(|m| m.span.of(text)).collect()
    }

    #[test]
    fn curly_and_straight_pairs() {
        assert_eq!(
            quotes("He said “yes.” She said \"no.\""),
            vec!["yes.", "no."]
        );
    }

    #[test]
    fn a_quote_left_open_in_a_parenthesis_ends_there() {
        let text = "(Forbes says it tracks 500 ''family fortunes.'.')\n\n''The lists cost money,'' \
                    Mr. Friedman said.";
        assert_eq!(quotes(text), ["family fortunes.", "The lists cost money,"]);
    }

    #[test]
    fn inch_marks_close_no_quote() {
        assert_eq!(
            quotes("“He is like 6’2”,” Lowe said. “It is 12'6\" high,” he added."),
            ["He is like 6’2”,", "It is 12'6\" high,"]
        );
    }

    #[test]
    fn apostrophes_are_not_marks() {
        assert_eq!(
            quotes("‘The students’ union won’t budge,’ she said of the ’90s."),
            vec!["The students’ union won’t budge,"]
        );
        assert!(quotes("Rock ’n’ roll at five o'clock, don't you think").is_empty());
    }

    #[test]
    fn reopening_paragraph_of_wide_characters() {
        let text = "“abc\n\n“日本日本日本日本日本”";
        assert_eq!(quotes(text), vec!["abc", "日本日本日本日本日本"]);
        assert_eq!(scan(text, 0)[1].continues, Some(0));
    }

    #[test]
    fn recovery_rules() {
        assert_eq!(
            quotes("Officials called them ‘hostages’ and left."),
            vec!["hostages"]
        );
        assert!(quotes("A 12\" pipe burst.").is_empty());
        assert!(quotes("He is 5\"10 tall.").is_empty());
        assert_eq!(
            quotes("‘The students’ union backs the teachers’ strike,’ she said."),
            vec!["The students’ union backs the teachers’ strike,"]
        );
        assert_eq!(quotes("'Yes' he said of the boys' efforts."), vec!["Yes"]);
        assert_eq!(
            quotes("‘Yes’ he said, and ‘no’ she said."),
            vec!["Yes", "no"]
        );
        assert_eq!(
            quotes("‘I’m goin’ home,’ he said."),
            vec!["I’m goin’ home,"]
        );
        assert_eq!(
            quotes("He called it \"absurd. Later he said \"we will see\" and left."),
            vec!["we will see"]
        );
        assert!(quotes("A note read 'back soon.").is_empty());
        assert_eq!(
            quotes("It was “under control.\n\nNext."),
            vec!["under control."]
        );
    }

    #[test]
    fn a_quote_inside_a_quote_inside_a_quote_keeps_the_outer_one() {
        let inner = "He told me, ‘She said “never again” to the council,’ and then he left,";
        assert_eq!(quotes(&format!("“{inner}” Bob Smith said.")), [inner]);
        let straight = "He told me, 'She said \"never again\" to the council,' and then he left,";
        assert_eq!(
            quotes(&format!("\"{straight}\" Bob Smith said.")),
            [straight]
        );
        // Without another family between them, a second opener still abandons the first.
        assert_eq!(
            quotes("He called it “absurd. Later he said “we will see” and left."),
            ["we will see"]
        );
    }

    #[test]
    fn a_thousand_levels_of_nesting_keep_the_outer_quote() {
        let depth = 1000;
        let mut text = String::new();
        for level in 0..depth {
            text.push_str(if level % 2 == 0 { "“w " } else { "‘w " });
        }
        text.push_str("core");
        for level in (0..depth).rev() {
            text.push_str(if level % 2 == 0 { "” w" } else { "’ w" });
        }
        text.push_str(" Bob Smith said.");
        let found = quotes(&text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("w ‘w “w") && found[0].ends_with("’ w"),
            "{}",
            &found[0][..40]
        );
    }

    #[test]
    fn spaces_inside_the_marks_are_not_part_of_the_quote() {
        assert_eq!(
            quotes("«\u{a0}Nous partons\u{a0}», dit-elle. « Demain\u{202f}»"),
            ["Nous partons", "Demain"]
        );
    }

    #[test]
    fn swedish_and_reversed_marks() {
        assert_eq!(quotes("Hon sa ”vi kommer” i går."), vec!["vi kommer"]);
        assert_eq!(quotes("Er sagte »bald« heute."), vec!["bald"]);
    }

    #[test]
    fn block_quote_lines_wrap() {
        let text = "> The harbour was quiet that morning and\n> nobody expected the storm.\n";
        assert_eq!(paragraphs(text, 0).len(), 1);
        let text = "> First remark.\n> Second remark, which is a good deal longer.\n";
        assert_eq!(paragraphs(text, 0).len(), 2);
    }

    #[test]
    fn windows_line_endings() {
        let text = "“One part\r\n\r\n“two parts,” she said.\r\n";
        let found = scan(text, 0);
        assert_eq!(quotes(text), vec!["One part", "two parts,"]);
        assert_eq!(found[1].continues, Some(0));
        let wrapped = "He said \"this line is wrapped\r\nright here\" and left the room.\r\n";
        assert_eq!(quotes(wrapped), vec!["this line is wrapped\r\nright here"]);
    }

    #[test]
    fn a_lone_cr_separates_lines_and_paragraphs() {
        let text = "Title line\r\r“First remark,” he said.\r\r“Second remark,” she said.\r";
        assert_eq!(paragraphs(text, 0).len(), 3);
        assert_eq!(quotes(text), vec!["First remark,", "Second remark,"]);
        let lines = "Short line.\rAnother line that is much longer than the first one.\r";
        assert_eq!(paragraphs(lines, 0).len(), 2);
    }

    #[test]
    fn paragraph_split_by_width() {
        let wrapped = "One line of text that is wrapped at a\nfixed width by an editor.\n";
        assert_eq!(paragraphs(wrapped, 0).len(), 1);
        let lines = "Short line.\nAnother line that is much longer than the first one.\n";
        assert_eq!(paragraphs(lines, 0).len(), 2);
    }
}
