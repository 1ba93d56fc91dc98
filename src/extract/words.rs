//! Words, paragraphs and sentences of one document, as the name finder and the attribution
//! stage see them.
//!
//! A single linear pass over the body turns text into word and punctuation tokens with byte
//! spans, marks which tokens lie inside a quoted span (so cues are never read from quoted
//! words), and splits each paragraph into sentences. Pure: depends only on `document::Span` and
//! the marked spans; no knowledge of names or speakers.

use super::lexicon::{self, WordSet};
use super::marks::MarkedSpan;
use crate::document::Span;
use crate::text::tokens;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters and digits, with inner apostrophes, hyphens and abbreviation dots.
    Word,
    /// One punctuation character (or a quote mark).
    Punct,
}

/// One token of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The token without a possessive `'s` / `’s` ending.
    pub span: Span,
    pub kind: TokKind,
    /// The word ended in a possessive `'s` / `’s` (or a bare `’` after an s).
    pub possessive: bool,
    /// A word whose first character is upper case (asked of most tokens by several passes).
    pub capitalised: bool,
    /// Index of the marked span (quote) this token lies in, marks included.
    pub quote: Option<usize>,
    /// Index of the paragraph the token lies in.
    pub paragraph: usize,
    /// Index of the sentence the token lies in (over the whole document).
    pub sentence: usize,
}

/// Whether a token is a mark that can close a quote nested in another (`'`, `’`, `"`, `”`,
/// `»`): what stands between a nested quote's last word and its outer quote's closing mark.
pub(crate) fn is_closing_mark(token: &str) -> bool {
    matches!(token, "'" | "’" | "\"" | "”" | "»")
}

/// One sentence: a token range inside one paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub first: usize,
    /// Exclusive.
    pub end: usize,
    pub paragraph: usize,
}

/// The tokenised body of a document.
#[derive(Debug, Clone, Default)]
pub struct Words<'t> {
    pub text: &'t str,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub paragraphs: Vec<Span>,
    /// For each quote: the token range `[first, end)` of its marks and words.
    pub quote_tokens: Vec<(usize, usize)>,
    /// Per paragraph: the token range `[first, end)`.
    pub paragraph_tokens: Vec<(usize, usize)>,
    /// Per token: the first word of its sentence (outside quotes) or of its quote.
    pub initial: Vec<bool>,
    /// The lower-case form of every token, one after another (see [`Words::lower`], which is
    /// asked many times per token).
    lowered: String,
    /// Token `i`'s lower-case form is `lowered[lowered_at[i]..lowered_at[i + 1]]`.
    lowered_at: Vec<u32>,
    /// Per token: the word lists that hold its lower-case form ([`lexicon::memberships`]),
    /// looked up once for every pass that asks (see [`Words::in_list`]).
    lists: Vec<u64>,
}

impl<'t> Words<'t> {
    /// Tokenises `text` paragraph by paragraph. `paragraphs` are in text order and do not
    /// overlap; `spans` are the quoted spans in text order.
    pub fn new(text: &'t str, paragraphs: &[Span], spans: &[MarkedSpan]) -> Words<'t> {
        let mut words = Words {
            text,
            paragraphs: paragraphs.to_vec(),
            ..Words::default()
        };
        // Quote extents (marks included) in text order.
        let extents: Vec<Span> = spans
            .iter()
            .map(|m| Span::new(m.open.start, m.close.map_or(m.span.end, |c| c.end)))
            .collect();
        // Room for a token per four bytes of prose (words average five or more): one
        // allocation, not a doubling trail.
        let prose: usize = paragraphs
            .iter()
            .map(|p| p.end.saturating_sub(p.start))
            .sum();
        words.tokens.reserve(prose / 4);
        words.quote_tokens = vec![(0, 0); spans.len()];
        let mut next_quote = 0usize;
        for (pi, para) in paragraphs.iter().enumerate() {
            let first = words.tokens.len();
            tokenize(text, *para, pi, &mut words.tokens);
            words.paragraph_tokens.push((first, words.tokens.len()));
        }
        // Assign quotes to tokens (both lists sorted by offset).
        let mut starts = vec![usize::MAX; spans.len()];
        let mut ends = vec![0usize; spans.len()];
        for (ti, tok) in words.tokens.iter_mut().enumerate() {
            while next_quote < extents.len() && extents[next_quote].end <= tok.span.start {
                next_quote += 1;
            }
            if next_quote < extents.len()
                && extents[next_quote].start <= tok.span.start
                && tok.span.start < extents[next_quote].end
            {
                tok.quote = Some(next_quote);
                starts[next_quote] = starts[next_quote].min(ti);
                ends[next_quote] = ends[next_quote].max(ti + 1);
            }
        }
        for (qi, qt) in words.quote_tokens.iter_mut().enumerate() {
            if starts[qi] != usize::MAX {
                *qt = (starts[qi], ends[qi]);
            }
        }
        words.split_sentences();
        words.mark_initials();
        words.lower_all();
        words
    }

    /// Lower-cases each token once, for [`Words::lower`] (tokens without capitals are copied
    /// as they are), and looks the lower-case form up in the word lists, for
    /// [`Words::in_list`].
    fn lower_all(&mut self) {
        let mut lowered = String::with_capacity(self.text.len());
        let mut lists = Vec::with_capacity(self.tokens.len());
        let mut lowered_at = Vec::with_capacity(self.tokens.len() + 1);
        lowered_at.push(0);
        for tok in &self.tokens {
            let s = tok.span.of(self.text);
            if s.is_ascii() {
                let start = lowered.len();
                lowered.push_str(s);
                lowered[start..].make_ascii_lowercase();
            } else if s.chars().any(char::is_uppercase) {
                lowered.push_str(&s.to_lowercase());
            } else {
                lowered.push_str(s);
            }
            let start = lowered_at.last().copied().unwrap_or(0) as usize;
            lists.push(lexicon::memberships(&lowered[start..]));
            lowered_at.push(u32::try_from(lowered.len()).unwrap_or(u32::MAX));
        }
        lowered.shrink_to_fit();
        self.lowered = lowered;
        self.lowered_at = lowered_at;
        self.lists = lists;
    }

    fn mark_initials(&mut self) {
        self.initial = vec![false; self.tokens.len()];
        for s in &self.sentences {
            let mut outside_seen = false;
            let mut quote_seen: Option<usize> = None;
            for i in s.first..s.end {
                let t = self.tokens[i];
                if t.kind != TokKind::Word {
                    continue;
                }
                if t.quote.is_some() {
                    // A word after a quote does not start the sentence.
                    outside_seen = true;
                }
                match t.quote {
                    None if !outside_seen => {
                        outside_seen = true;
                        self.initial[i] = true;
                    }
                    Some(q) if quote_seen != Some(q) => {
                        quote_seen = Some(q);
                        self.initial[i] = true;
                    }
                    _ => {}
                }
            }
        }
    }

    fn split_sentences(&mut self) {
        for (pi, &(first, end)) in self.paragraph_tokens.iter().enumerate() {
            let mut start = first;
            let mut i = first;
            let dateline = self.dateline_end(first, end);
            while i < end {
                if Some(i) == dateline || self.ends_sentence(i, end) {
                    self.sentences.push(Sentence {
                        first: start,
                        end: i + 1,
                        paragraph: pi,
                    });
                    start = i + 1;
                }
                i += 1;
            }
            if start < end {
                self.sentences.push(Sentence {
                    first: start,
                    end,
                    paragraph: pi,
                });
            }
        }
        for (si, s) in self.sentences.iter().enumerate() {
            for t in &mut self.tokens[s.first..s.end] {
                t.sentence = si;
            }
        }
    }

    /// The dash that ends a dateline opening the paragraph `first..end`: `WASHINGTON —`,
    /// `PHILADELPHIA, July 25 (UPI) —`, `Washington (AFP) –`. Before it, within ten tokens, no
    /// word in lower case, and a word in capitals or the agency's closing parenthesis right
    /// before the dash. The dateline is a sentence of its own, so the report's first words
    /// open a sentence.
    fn dateline_end(&self, first: usize, end: usize) -> Option<usize> {
        let word = |k: usize| self.tokens[k].kind == TokKind::Word;
        if first >= end || !word(first) || !self.starts_sentence_like(first) {
            return None;
        }
        let dash = (first + 1..end.min(first + 11))
            .take_while(|&k| !word(k) || !self.str(k).starts_with(char::is_lowercase))
            .find(|&k| matches!(self.str(k), "—" | "–" | "―" | "-" | "--"))?;
        if dash + 1 >= end || self.tokens[dash].quote.is_some() {
            return None;
        }
        let capitals = |k: usize| {
            let s = self.str(k);
            word(k)
                && s.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !s.chars().any(char::is_lowercase)
        };
        (self.str(dash - 1) == ")" || capitals(dash - 1) || capitals(first)).then_some(dash)
    }

    /// Whether token `i` closes a sentence: terminal punctuation outside quotes followed by a
    /// capital or an opening mark, or a closing mark right after terminal punctuation followed
    /// by a capital.
    fn ends_sentence(&self, i: usize, para_end: usize) -> bool {
        let tok = self.tokens[i];
        if i + 1 >= para_end {
            return false;
        }
        let next = self.tokens[i + 1];
        // Asked only of tokens that may end a sentence (most do not).
        let next_starts = || self.starts_sentence_like(i + 1);
        // "… from entering the U.S. While Clinton …": an abbreviation that keeps its dot ends
        // a sentence before a capitalised function word.
        let function_word_next = || {
            next_starts()
                && next.span.of(self.text) != "I"
                && super::cues::is_function_word(next.span.of(self.text))
        };
        if tok.kind == TokKind::Word {
            return tok.quote.is_none()
                && tok.span.of(self.text).ends_with('.')
                && function_word_next();
        }
        if tok.kind != TokKind::Punct {
            return false;
        }
        match tok.quote {
            None => {
                let s = tok.span.of(self.text);
                if !matches!(s, "." | "!" | "?") {
                    return false;
                }
                if s == "." && i > 0 {
                    let prev = self.tokens[i - 1];
                    // "from entering the U.S. While Clinton …": an abbreviation ends a
                    // sentence before a capitalised function word.
                    if prev.kind == TokKind::Word
                        && prev.span.end == tok.span.start
                        && super::cues::is_abbreviation(prev.span.of(self.text))
                        && !function_word_next()
                    {
                        return false;
                    }
                    if prev.kind == TokKind::Word
                        && prev.span.end == tok.span.start
                        && self.is_initial(i - 1)
                    {
                        return false;
                    }
                }
                next_starts() || (next.quote.is_some() && next.quote != tok.quote)
            }
            Some(q) => {
                // The last token of a quote (its closing mark) after terminal punctuation.
                let (_, qend) = self.quote_tokens[q];
                if i + 1 != qend || i == 0 || next.quote == Some(q) {
                    return false;
                }
                // A nested quote may close first: `… 'boats bad.''' But …`.
                let mut b = i - 1;
                while b > 0
                    && self.tokens[b].quote == Some(q)
                    && is_closing_mark(self.tokens[b].span.of(self.text))
                {
                    b -= 1;
                }
                let before = self.tokens[b];
                before.quote == Some(q)
                    && matches!(before.span.of(self.text), "." | "!" | "?")
                    && (next_starts() || next.quote.is_some())
            }
        }
    }

    /// Whether the word at `i`, followed by a full stop, is a name's initial: one capital letter
    /// after a capitalised word ("George W. Bush"), before another initial ("J. K. Berg") or
    /// before a first and family name ("J. Gerald Hebbard").
    fn is_initial(&self, i: usize) -> bool {
        let letter = |k: usize| {
            let s = self.tokens[k].span.of(self.text);
            self.tokens[k].capitalised && s.chars().nth(1).is_none() && s != "I"
        };
        if !letter(i) {
            return false;
        }
        let capitalised_before = i > 0
            && self.tokens[i - 1].capitalised
            && self.tokens[i - 1].paragraph == self.tokens[i].paragraph;
        let initial_after = i + 2 < self.tokens.len()
            && letter(i + 2)
            && self.tokens[i + 3..]
                .first()
                .is_some_and(|t| t.span.of(self.text) == ".");
        // "said J. Gerald Hebbard": before a first name and a family name (two capitalised
        // words, the first no function word: "plan B. Then Lowe" ends a sentence).
        let capitalised = |k: usize| {
            self.tokens
                .get(k)
                .is_some_and(|t| t.capitalised && t.paragraph == self.tokens[i].paragraph)
        };
        let before_a_name = capitalised(i + 2)
            && capitalised(i + 3)
            && !letter(i + 2)
            && !super::cues::is_common_capitalised(self.tokens[i + 2].span.of(self.text));
        capitalised_before || initial_after || before_a_name
    }

    fn starts_sentence_like(&self, i: usize) -> bool {
        let tok = self.tokens[i];
        tok.kind == TokKind::Word
            && tok.quote.is_none()
            && (tok.capitalised
                || tok
                    .span
                    .of(self.text)
                    .starts_with(|c: char| c.is_ascii_digit()))
    }

    #[inline]
    pub fn str(&self, i: usize) -> &'t str {
        self.tokens[i].span.of(self.text)
    }

    /// Lowercased text of token `i` (borrowed: lowered once when the words were built).
    #[inline]
    pub fn lower(&self, i: usize) -> std::borrow::Cow<'_, str> {
        let (start, end) = (self.lowered_at[i], self.lowered_at[i + 1]);
        std::borrow::Cow::Borrowed(&self.lowered[start as usize..end as usize])
    }

    /// Whether word list `list` holds token `i` (case folded): `list.contains(self.str(i))`,
    /// answered from the lookup made when the words were built.
    #[inline]
    pub fn in_list(&self, i: usize, list: &WordSet) -> bool {
        self.lists[i] & list.bit() != 0
    }

    #[inline]
    pub fn is_word(&self, i: usize) -> bool {
        self.tokens[i].kind == TokKind::Word
    }

    #[inline]
    pub fn is_capitalised(&self, i: usize) -> bool {
        self.tokens[i].capitalised
    }

    /// Whether token `i` is the first word of its sentence, or the first word inside a quote.
    pub fn is_sentence_initial(&self, i: usize) -> bool {
        self.initial[i]
    }

    pub fn sentence_of(&self, i: usize) -> Sentence {
        self.sentences[self.tokens[i].sentence]
    }
}

/// Splits one paragraph into tokens (the crate's one tokenizer, [`text::tokens`], in its prose
/// style), with possessive endings taken off the words.
fn tokenize(text: &str, para: Span, paragraph: usize, out: &mut Vec<Token>) {
    let body = &text[para.start..para.end];
    let mut raw = tokens::tokens(body, tokens::PROSE).peekable();
    while let Some(t) = raw.next() {
        let kind = match t.kind {
            tokens::TokenKind::Word => TokKind::Word,
            tokens::TokenKind::Punct => TokKind::Punct,
        };
        let word = &body[t.start..t.end];
        let mut end = t.end;
        let mut possessive = false;
        if kind == TokKind::Word {
            if let Some(l) = tokens::possessive_len(word) {
                possessive = true;
                end -= l;
            } else if word.ends_with(['s', 'S'])
                && let Some(l) = tokens::apostrophe_len(&body[t.end..])
                && !body[t.end + l..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                // Plural possessive: students’ — only when the apostrophe is not a closing mark
                // of a quote that opened with ‘ (left to the quote assignment).
                possessive = true;
                raw.next_if(|n| n.start == t.end);
            }
        }
        out.push(Token {
            span: Span::new(para.start + t.start, para.start + end),
            kind,
            possessive,
            capitalised: kind == TokKind::Word
                && word.chars().next().is_some_and(char::is_uppercase),
            quote: None,
            paragraph,
            sentence: 0,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::marks::paragraphs;

    #[test]
    fn tokens_keep_possessives_and_abbreviations() {
        let text = "Iran’s U.S. envoy’s rock-solid don't.";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let strs: Vec<&str> = (0..w.tokens.len()).map(|i| w.str(i)).collect();
        assert_eq!(strs, ["Iran", "U.S.", "envoy", "rock-solid", "don't", "."]);
        assert!(w.tokens[0].possessive);
        assert!(w.tokens[2].possessive);
    }

    #[test]
    fn every_token_has_its_lower_case_form_and_knows_its_capital() {
        let text = "ÉCOLE Élan’s café, NATO‘s «Ǆ» don't.";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        let lower: Vec<String> = (0..w.tokens.len())
            .map(|i| w.lower(i).into_owned())
            .collect();
        assert_eq!(
            lower,
            [
                "école", "élan", "café", ",", "nato", "«", "ǆ", "»", "don't", "."
            ]
        );
        let capitalised: Vec<bool> = (0..w.tokens.len()).map(|i| w.is_capitalised(i)).collect();
        assert_eq!(
            capitalised,
            [
                true, true, false, false, true, false, true, false, false, false
            ]
        );
    }

    #[test]
    fn sentences_split_at_terminal_punctuation_but_not_abbreviations() {
        let text = "Mr. Vale spoke. Then he left! Did he?";
        let paras = paragraphs(text, 0);
        let w = Words::new(text, &paras, &[]);
        assert_eq!(w.sentences.len(), 3);
    }
}
