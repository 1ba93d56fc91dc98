//! Normalisation for comparing quotes: case, curly/straight marks, dashes, NFKC, contractions,
//! punctuation. The user always sees the original text; only comparisons use this form.
//!
//! The comparison form of a text is a sequence of [`Word`]s. Each word keeps the byte range of
//! the token it came from in the original text, so messages and diffs can show what the user
//! wrote. Rules:
//! - a token is a run of letters and digits, with apostrophes (`'`, `’`, `‘`, `ʼ`, `&#39;`,
//!   `&rsquo;`) inside it; everything else (punctuation, dashes, marks, spaces) separates tokens
//!   and is ignored, so a comma where another version has a full stop is no difference, and
//!   "non-negotiable" is the two words `non negotiable`;
//! - a combining mark belongs to the letter before it: `café` written with U+00E9 (NFC) and
//!   with `e` + U+0301 (NFD) is one word, the same word, and a diff never splits the mark off;
//! - each token is NFKC-normalised and lower-cased, and its apostrophes are unified to `'`;
//! - contractions are expanded the same way everywhere: `don’t` = `don't` = `do not`, `can't` =
//!   `cannot` = `can not`, `won't` = `will not`, `we're` = `we are`, `it's` = `it is` (only after
//!   pronouns and `there`/`here`/`that`/`what`/`let`; a possessive `Iran's` stays one word).
//!
//! - British and American spellings compare equal (`harbour` = `harbor`, `centimetres` =
//!   `centimeters`, `organised` = `organized`, `travelled` = `traveled`).
//!
//! Words come from the crate's one tokenizer ([`super::tokens`], comparison style). Pure
//! functions over `&str`; depends on nothing else in the crate but [`Span`].

use super::tokens::{self, APOSTROPHE_ENTITIES, is_apostrophe};
use crate::document::Span;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// One word of the comparison form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The normalised word (lower case, NFKC, apostrophes unified, contractions expanded).
    pub text: String,
    /// Byte range of the original token this word came from. An expanded contraction gives
    /// several words with the same span.
    pub span: Span,
}

/// The comparison words of `text[span]`, with spans into `text`. An out-of-range or non-char
/// boundary span yields no words.
pub fn words_in(text: &str, span: Span) -> Vec<Word> {
    let mut out = Vec::with_capacity(span.end.saturating_sub(span.start) / 5);
    for_each_word_in(text, span, |w, span| {
        out.push(Word {
            text: w.to_string(),
            span,
        })
    });
    out
}

/// Calls `emit` with each comparison word of `text[span]` and the span of the token it came
/// from, in order: [`words_in`] without a string per word (for callers that only hash them).
pub fn for_each_word_in(text: &str, span: Span, mut emit: impl FnMut(&str, Span)) {
    let Some(slice) = text.get(span.start..span.end) else {
        return;
    };
    let mut lowered = String::new();
    for (start, end) in tokens::words(slice) {
        let token = Span::new(span.start + start, span.start + end);
        emit_token(&slice[start..end], token, &mut lowered, &mut emit);
    }
}

/// The comparison words of a whole text.
pub fn words(text: &str) -> Vec<Word> {
    words_in(text, Span::new(0, text.len()))
}

/// Only the normalised word strings of `text`.
pub fn word_texts(text: &str) -> Vec<String> {
    words(text).into_iter().map(|w| w.text).collect()
}

/// Pronouns and words after which `'s` means "is".
const S_IS: [&str; 12] = [
    "it", "he", "she", "that", "there", "here", "what", "who", "where", "how", "this", "let",
];

/// Emits the comparison words of one token, `raw`, lowered into `lowered` (a buffer kept
/// between tokens).
fn emit_token(raw: &str, span: Span, lowered: &mut String, emit: &mut impl FnMut(&str, Span)) {
    lowered.clear();
    if raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        // NFKC leaves ASCII letters and digits alone.
        lowered.push_str(raw);
        lowered.make_ascii_lowercase();
    } else {
        let mut t = raw.to_string();
        for e in APOSTROPHE_ENTITIES {
            if t.contains(e) {
                t = t.replace(e, "'");
            }
        }
        lowered.extend(
            t.nfkc()
                .flat_map(char::to_lowercase)
                .map(|c| if is_apostrophe(c) { '\'' } else { c }),
        );
    }
    let t = lowered.as_str();
    let mut push = |w: &str| emit(w, span);
    // Most words have no apostrophe, so no contraction but `cannot`: straight to the spelling.
    if !t.contains('\'') {
        if t == "cannot" {
            push("can");
            push("not");
        } else {
            push(&house_spelling(t));
        }
        return;
    }
    // Irregular contractions first.
    let irregular: &[&str] = match t {
        "can't" => &["can", "not"],
        "won't" => &["will", "not"],
        "shan't" => &["shall", "not"],
        "ain't" => &["is", "not"],
        "let's" => &["let", "us"],
        _ => &[],
    };
    if !irregular.is_empty() {
        irregular.iter().for_each(|w| push(w));
        return;
    }
    if let Some(stem) = t.strip_suffix("n't")
        && !stem.is_empty()
    {
        push(stem);
        push("not");
        return;
    }
    for (suffix, full) in [
        ("'re", "are"),
        ("'ve", "have"),
        ("'ll", "will"),
        ("'m", "am"),
        ("'d", "would"),
    ] {
        if let Some(stem) = t.strip_suffix(suffix)
            && !stem.is_empty()
        {
            push(stem);
            push(full);
            return;
        }
    }
    if let Some(stem) = t.strip_suffix("'s")
        && S_IS.contains(&stem)
    {
        push(stem);
        push("is");
        return;
    }
    // The common case: the word as it is, or in its house spelling.
    push(&house_spelling(t));
}

/// British and American spellings of one word compare equal: a rewrite that puts a quote into
/// its house style (`harbour`/`harbor`, `centimetres`/`centimeters`, `organised`/`organized`,
/// `travelled`/`traveled`, `defence`/`defense`) has not changed the speaker's words. The
/// comparison form takes the American spelling. Rules apply to stems long enough that no two
/// different words meet (`four` and `hour` stay).
fn house_spelling(t: &str) -> Cow<'_, str> {
    // Whole words first (`grey` is shorter than the stems the rules below read).
    if t == "grey" {
        return Cow::Borrowed("gray");
    }
    if t.len() < 5 || !t.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(t);
    }
    match t {
        "defence" | "offence" | "licence" | "pretence" => {
            return Cow::Owned(t.replace("ence", "ense"));
        }
        "defences" | "offences" | "licences" => return Cow::Owned(t.replace("ences", "enses")),
        "programme" | "programmes" => return Cow::Owned(t.replace("programme", "program")),
        "catalogue" | "dialogue" | "analogue" | "catalogues" | "dialogues" => {
            return Cow::Owned(t.replace("gue", "g"));
        }
        "aluminium" => return Cow::Borrowed("aluminum"),
        _ => {}
    }
    // Every rule below needs one of these letter pairs (`our`, `is`/`ys`, `ll`) or ends in
    // `re`/`res`: most words have none and are answered in one pass over their bytes, and a
    // word that has some is tried only by the rules that need them.
    let bytes = t.as_bytes();
    let (mut our, mut is, mut ll) = (false, false, false);
    for (i, p) in bytes.windows(2).enumerate() {
        match p {
            b"ou" => our |= bytes.get(i + 2) == Some(&b'r'),
            b"is" | b"ys" => is = true,
            b"ll" => ll = true,
            _ => {}
        }
    }
    let re = t.ends_with("re") || t.ends_with("res");
    if !(our || is || ll || re) {
        return Cow::Borrowed(t);
    }
    if our {
        // colour, harbours, honoured, favourite, neighbourhood
        for suffix in [
            "", "s", "ed", "ing", "ite", "ites", "able", "ably", "hood", "hoods", "er", "ers",
            "ful", "less", "ly",
        ] {
            if let Some(stem) = t
                .strip_suffix(suffix)
                .and_then(|w| w.strip_suffix("our"))
                .filter(|stem| stem.len() >= 3)
            {
                return Cow::Owned(format!("{stem}or{suffix}"));
            }
        }
    }
    if re {
        // centre, metres, fibre, theatres
        for (british, american) in [
            ("tre", "ter"),
            ("tres", "ters"),
            ("bre", "ber"),
            ("bres", "bers"),
        ] {
            if let Some(stem) = t.strip_suffix(british).filter(|s| s.len() >= 2) {
                return Cow::Owned(format!("{stem}{american}"));
            }
        }
    }
    if is {
        // organise, realised, analysing
        for suffix in ["e", "es", "ed", "ing", "ation", "ations"] {
            for (british, american) in [("is", "iz"), ("ys", "yz")] {
                if let Some(stem) = t
                    .strip_suffix(suffix)
                    .and_then(|w| w.strip_suffix(british))
                    .filter(|stem| stem.len() >= 3)
                {
                    return Cow::Owned(format!("{stem}{american}{suffix}"));
                }
            }
        }
    }
    if ll {
        // travelled, cancelling, modellers
        for suffix in ["ed", "ing", "er", "ers"] {
            if let Some(stem) = t
                .strip_suffix(suffix)
                .and_then(|w| w.strip_suffix("ll"))
                .filter(|stem| stem.len() >= 3 && stem.ends_with(['a', 'e', 'i', 'o', 'u']))
            {
                return Cow::Owned(format!("{stem}l{suffix}"));
            }
        }
    }
    Cow::Borrowed(t)
}

/// Common English function words: they carry little evidence when lining up quotes or stories.
pub fn is_stopword(w: &str) -> bool {
    // Most content words are longer than every function word: answered without a search (this
    // runs in collation's inner loops).
    w.len() <= MAX_STOPWORD_LEN && STOPWORDS.binary_search(&w).is_ok()
}

/// The length in bytes of the longest word of [`STOPWORDS`].
const MAX_STOPWORD_LEN: usize = 7;

/// Common English function words, sorted, so [`is_stopword`] can search it.
pub const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by", "can",
    "could", "did", "do", "does", "each", "few", "for", "from", "had", "has", "have", "he", "her",
    "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "let", "may",
    "me", "might", "more", "most", "must", "my", "no", "nor", "not", "now", "of", "on", "one",
    "only", "or", "our", "out", "over", "own", "said", "same", "say", "says", "shall", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "told", "too", "under", "until", "up", "us",
    "very", "was", "way", "we", "were", "what", "when", "where", "which", "while", "who", "why",
    "will", "with", "would", "you", "your", "yours",
];

#[cfg(test)]
mod tests {

    #[test]
    fn no_stopword_is_longer_than_the_bound_is_stopword_checks_first() {
        assert!(
            super::STOPWORDS
                .iter()
                .all(|w| w.len() <= super::MAX_STOPWORD_LEN)
        );
        assert!(super::STOPWORDS.iter().all(|w| super::is_stopword(w)));
        assert!(!super::is_stopword("harbour") && !super::is_stopword("stopwords"));
    }

    #[test]
    fn british_and_american_spellings_compare_equal() {
        let same = |a: &str, b: &str| assert_eq!(word_texts(a), word_texts(b), "{a} / {b}");
        same(
            "We will not leave the harbour until the colour changes",
            "We will not leave the harbor until the color changes",
        );
        same(
            "four centimetres from the centre",
            "four centimeters from the center",
        );
        same(
            "the organised labour movement travelled",
            "the organized labor movement traveled",
        );
        same(
            "our neighbours' defence programme",
            "our neighbors' defense program",
        );
        same("a grey dawn", "a gray dawn");
        // Different words stay different.
        assert_ne!(word_texts("four hours"), word_texts("for hors"));
        assert_eq!(word_texts("your four tours"), ["your", "four", "tours"]);
        // Each rule on words that carry another rule's letters too.
        same(
            "honourable neighbourhoods realisations modellers fibres analysing",
            "honorable neighborhoods realizations modelers fibers analyzing",
        );
        assert_eq!(
            word_texts("crisis thousand wellbeing polished tourism colouring"),
            [
                "crisis",
                "thousand",
                "wellbeing",
                "polished",
                "tourism",
                "coloring"
            ]
        );
    }

    use super::*;

    fn w(s: &str) -> String {
        word_texts(s).join(" ")
    }

    #[test]
    fn stopwords_are_sorted() {
        let mut sorted = STOPWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOPWORDS);
    }

    #[test]
    fn case_punctuation_and_marks_are_no_difference() {
        assert_eq!(
            w("If they don’t make a deal, the consequences are very steep."),
            w("if they don't make a deal the consequences are very steep,")
        );
        assert_eq!(w("non-negotiable."), "non negotiable");
        assert_eq!(w("a good start — really"), w("A good start -- really!"));
    }

    #[test]
    fn contractions_expand_consistently() {
        assert_eq!(w("don’t"), "do not");
        assert_eq!(w("do not"), "do not");
        assert_eq!(w("can't"), w("cannot"));
        assert_eq!(w("can't"), "can not");
        assert_eq!(w("It’s a long road"), "it is a long road");
        assert_eq!(w("we're"), "we are");
        assert_eq!(w("Iran’s missiles"), "iran's missiles");
        assert_eq!(w("students’ union"), "students union");
        assert_eq!(w("don&#39;t"), "do not");
        assert_eq!(w("n't 'd"), "n't d");
    }

    #[test]
    fn precomposed_and_decomposed_accents_are_one_word() {
        // U+00E9 against e + U+0301 (combining acute), and a name with two marks.
        assert_eq!(w("au café, près"), w("au cafe\u{301}, pre\u{300}s"));
        assert_eq!(w("Ngô Bảo Châu"), w("Ngo\u{302} Ba\u{309}o Cha\u{302}u"));
        let text = "the cafe\u{301} opens";
        let shown: Vec<&str> = words(text).iter().map(|x| x.span.of(text)).collect();
        assert_eq!(
            shown,
            ["the", "cafe\u{301}", "opens"],
            "the mark stays with its word"
        );
        // A mark with no letter before it is no word.
        assert_eq!(w("\u{301} a"), "a");
    }

    #[test]
    fn nfkc_and_fullwidth() {
        assert_eq!(w("ＡＢＣ ﬁne"), "abc fine");
    }

    #[test]
    fn spans_point_at_original_tokens() {
        let text = "He said: “Don’t go, friends.”";
        let ws = words(text);
        let shown: Vec<&str> = ws.iter().map(|x| x.span.of(text)).collect();
        assert_eq!(shown, ["He", "said", "Don’t", "Don’t", "go", "friends"]);
        assert_eq!(ws[2].text, "do");
        assert_eq!(ws[3].text, "not");
    }

    #[test]
    fn the_visitor_sees_exactly_the_words_in_a_span() {
        let text = "Intro. “We can't honour the COLOUR programme — it's Café’s, don’t let's…” end";
        let span = Span::new(7, text.len() - 4);
        let mut seen: Vec<Word> = Vec::new();
        for_each_word_in(text, span, |w, span| {
            seen.push(Word {
                text: w.to_string(),
                span,
            })
        });
        assert_eq!(seen, words_in(text, span));
        let texts: Vec<&str> = seen.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "we", "can", "not", "honor", "the", "color", "program", "it", "is", "café's", "do",
                "not", "let", "us"
            ]
        );
    }

    #[test]
    fn words_in_a_span_are_absolute() {
        let text = "xx “hello world” yy";
        let start = text.find("hello").unwrap();
        let ws = words_in(text, Span::new(start, start + 11));
        assert_eq!(ws.len(), 2);
        assert_eq!(ws[1].span.of(text), "world");
        assert!(words_in(text, Span::new(4, 5)).is_empty()); // inside a multibyte mark
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_words_with_valid_spans(text in "\\PC{0,80}", a in 0usize..100, b in 0usize..100) {
            let span = Span::new(a.min(b), a.max(b));
            for w in words_in(&text, span) {
                proptest::prop_assert!(w.span.start >= span.start && w.span.end <= span.end);
                proptest::prop_assert!(text.get(w.span.start..w.span.end).is_some());
                proptest::prop_assert!(!w.text.is_empty());
            }
        }
    }
}
