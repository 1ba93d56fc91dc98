//! The one tokenizer of the crate: words and punctuation with byte spans, for extraction (cues,
//! names), for the comparison form of quotes ([`super::normalize`]) and for story fingerprints.
//!
//! A word is a run of letters and digits. An apostrophe between two letters or digits stays
//! inside it (`don’t`, `observatory&#39;s`): the characters `'` `’` `‘` `ʼ` `` ` `` `´` and the
//! entities `&#39;` `&rsquo;` `&apos;` `&#8217;`. In the [`PROSE`] style a hyphen between two
//! letters (`rock-solid`) and the dots of a one-letter abbreviation (`U.S.`, `U.N.`) stay inside
//! too; in the [`COMPARISON`] style they separate words (`non-negotiable` is `non`,
//! `negotiable`). Everything else that is not white space is a punctuation token of one
//! character, or of one HTML entity (`&quot;`).
//!
//! Pure functions over `&str`; depends on nothing else in the crate.

use unicode_normalization::char::is_combining_mark;

/// Characters that count as an apostrophe inside a word.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`' | '´')
}

/// HTML entities that count as an apostrophe inside a word.
pub const APOSTROPHE_ENTITIES: [&str; 4] = ["&#39;", "&rsquo;", "&apos;", "&#8217;"];

/// The byte length of the apostrophe (a character or an entity) at the start of `s`.
pub fn apostrophe_len(s: &str) -> Option<usize> {
    // Most words end before a space or an ASCII mark that is no apostrophe.
    match s.as_bytes().first()? {
        b'\'' | b'`' => return Some(1),
        b'&' => {}
        b if b.is_ascii() => return None,
        _ => {}
    }
    let c = s.chars().next()?;
    if is_apostrophe(c) {
        return Some(c.len_utf8());
    }
    if c == '&' {
        return APOSTROPHE_ENTITIES
            .iter()
            .find(|e| s.starts_with(**e))
            .map(|e| e.len());
    }
    None
}

/// The byte length of a possessive ending (`'s`, `’s`, `&#39;s`, any case) of `word`, when the
/// word has more than the ending.
pub fn possessive_len(word: &str) -> Option<usize> {
    let stem = word.strip_suffix(['s', 'S'])?;
    // Every apostrophe ends in `'`, `` ` ``, `;` (an entity) or a continuation byte.
    if !stem
        .as_bytes()
        .last()
        .is_some_and(|&b| matches!(b, b'\'' | b'`' | b';') || !b.is_ascii())
    {
        return None;
    }
    let apostrophe = stem
        .char_indices()
        .rev()
        .take(8)
        .find_map(|(i, _)| apostrophe_len(&stem[i..]).filter(|&l| i + l == stem.len()))?;
    (stem.len() > apostrophe).then_some(apostrophe + 1)
}

/// What may join the letters of one word besides apostrophes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// `rock-solid` is one word.
    pub hyphens: bool,
    /// `U.S.` is one word (one-letter parts only, the final dot kept).
    pub abbreviations: bool,
}

/// Prose as extraction reads it: hyphenated words and abbreviations stay whole.
pub const PROSE: Style = Style {
    hyphens: true,
    abbreviations: true,
};

/// Words as quotes are compared: only apostrophes join.
pub const COMPARISON: Style = Style {
    hyphens: false,
    abbreviations: false,
};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Punct,
}

/// One token: a byte range of the text tokenized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

/// The tokens of `s`, in order.
pub fn tokens(s: &str, style: Style) -> Tokens<'_> {
    Tokens { s, at: 0, style }
}

/// The byte ranges of the words of `s` in the [`COMPARISON`] style: what story fingerprints and
/// the comparison form count as words.
pub fn words(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    tokens(s, COMPARISON)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| (t.start, t.end))
}

/// Iterator over the tokens of a text.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    s: &'a str,
    at: usize,
    style: Style,
}

/// ASCII letters and digits, by byte.
static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

fn char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..)?.chars().next()
}

impl Tokens<'_> {
    /// The end of the word starting at `start` (a letter or digit).
    fn word_end(&self, start: usize) -> usize {
        let s = self.s;
        let mut j = start;
        // The current part (after the last joiner): its start, and whether a dot joined it.
        let mut part_start = start;
        let mut after_dot = false;
        let bytes = s.as_bytes();
        loop {
            // ASCII letters and digits a byte at a time, without decoding a char.
            j += bytes[j..]
                .iter()
                .position(|&b| !ASCII_ALNUM[usize::from(b)])
                .unwrap_or(bytes.len() - j);
            // Most words end at an ASCII byte that joins nothing (a space, a comma).
            match bytes.get(j) {
                None => break,
                Some(b'\'' | b'`' | b'&' | b'-' | b'.') => {}
                Some(b) if b.is_ascii() => break,
                Some(_) => {}
            }
            match char_at(s, j) {
                // A combining mark belongs to the letter before it (`cafe` + U+0301 is `café`);
                // none is ASCII.
                Some(c) if c.is_alphanumeric() || (!c.is_ascii() && is_combining_mark(c)) => {
                    j += c.len_utf8();
                    continue;
                }
                Some(c) => {
                    let joiner = if let Some(l) = apostrophe_len(&s[j..]) {
                        Some(l)
                    } else if (c == '-' && self.style.hyphens)
                        || (c == '.' && self.style.abbreviations)
                    {
                        Some(1)
                    } else {
                        None
                    };
                    if let Some(l) = joiner
                        && let Some(next) = char_at(s, j + l).filter(|n| n.is_alphanumeric())
                    {
                        // Only one-letter abbreviation parts: U.S., U.N.
                        if c == '.' && s[part_start..j].chars().count() != 1 {
                            break;
                        }
                        after_dot = c == '.';
                        j += l + next.len_utf8();
                        part_start = j - next.len_utf8();
                        continue;
                    }
                    break;
                }
                None => break,
            }
        }
        // A trailing abbreviation dot: U.S.
        if self.style.abbreviations
            && after_dot
            && char_at(s, j) == Some('.')
            && s[part_start..j].chars().count() == 1
            && s[start..j].chars().count() <= 5
        {
            j += 1;
        }
        j
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let s = self.s;
        let bytes = s.as_bytes();
        loop {
            let i = self.at;
            // ASCII white space and word starts without decoding a char.
            match *bytes.get(i)? {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                    self.at += 1;
                    continue;
                }
                b if b.is_ascii_alphanumeric() => {
                    let end = self.word_end(i);
                    self.at = end;
                    return Some(Token {
                        start: i,
                        end,
                        kind: TokenKind::Word,
                    });
                }
                _ => {}
            }
            let c = char_at(s, i)?;
            if c.is_whitespace() {
                self.at += c.len_utf8();
                continue;
            }
            let (end, kind) = if c.is_alphanumeric() {
                (self.word_end(i), TokenKind::Word)
            } else if c == '&'
                && let Some(semi) = s[i..].find(';').filter(|&p| p <= 7)
            {
                // An HTML entity is one punctuation token.
                (i + semi + 1, TokenKind::Punct)
            } else {
                (i + c.len_utf8(), TokenKind::Punct)
            };
            self.at = end;
            return Some(Token {
                start: i,
                end,
                kind,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(s: &str, style: Style) -> Vec<&str> {
        tokens(s, style).map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn prose_keeps_hyphens_abbreviations_and_apostrophes() {
        assert_eq!(
            strs("Iran’s U.S. envoy rock-solid don't. U.N.", PROSE),
            [
                "Iran’s",
                "U.S.",
                "envoy",
                "rock-solid",
                "don't",
                ".",
                "U.N."
            ]
        );
        assert_eq!(strs("Mr. Vale", PROSE), ["Mr", ".", "Vale"]);
        assert_eq!(
            strs("the observatory&#39;s dome", PROSE)[1],
            "observatory&#39;s"
        );
        assert_eq!(strs("&quot;Hi&quot;", PROSE), ["&quot;", "Hi", "&quot;"]);
    }

    #[test]
    fn every_white_space_separates_words() {
        let text = "a\u{b}b\u{c}c\td\r\ne\u{a0}f\u{2003}g h";
        assert_eq!(strs(text, PROSE), ["a", "b", "c", "d", "e", "f", "g", "h"]);
        // Control characters that are no white space are punctuation.
        assert_eq!(strs("a\u{1c}b", PROSE), ["a", "\u{1c}", "b"]);
    }

    #[test]
    fn comparison_splits_at_hyphens_and_dots() {
        assert_eq!(
            strs("non-negotiable U.S. don‘t", COMPARISON),
            ["non", "-", "negotiable", "U", ".", "S", ".", "don‘t"]
        );
        let text = "We’re  here";
        let w: Vec<&str> = words(text).map(|(a, b)| &text[a..b]).collect();
        assert_eq!(w, ["We’re", "here"]);
    }

    #[test]
    fn possessive_endings() {
        assert_eq!(possessive_len("Iran’s"), Some("’s".len()));
        assert_eq!(possessive_len("observatory&#39;s"), Some("&#39;s".len()));
        assert_eq!(possessive_len("IRAN'S"), Some(2));
        assert_eq!(possessive_len("'s"), None);
        assert_eq!(possessive_len("Vales"), None);
        // Every apostrophe the tokenizer joins on ends a possessive.
        for apostrophe in ["`", "´", "ʼ", "‘", "&rsquo;", "&apos;", "&#8217;"] {
            let word = format!("Iran{apostrophe}s");
            assert_eq!(possessive_len(&word), Some(apostrophe.len() + 1), "{word}");
        }
        assert_eq!(possessive_len("Iran;s"), None);
        assert_eq!(possessive_len("Irané"), None);
    }
}
