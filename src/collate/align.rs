//! Word alignment of two quotes: how much of one is in the other, in order, and the word-level
//! difference between them.
//!
//! Works on normalised word strings (see `text::normalize`). Two words *match* when equal, and
//! *nearly match* when they are forms of one word ("limit"/"limitations", "build"/"building") or
//! a likely misspelling (Damerau-Levenshtein similarity from `strsim`). Function words weigh
//! half as much as content words. Pure; knows nothing of documents.

use crate::text::normalize::is_stopword;

/// Credit for a near match (relative to an exact one).
const NEAR_CREDIT: f64 = 0.7;

/// A word with what the similarity test needs, computed once.
struct Prepared<'a> {
    text: &'a str,
    len: usize,
    first: Option<char>,
    last: Option<char>,
    weight: f64,
}

fn prepare(w: &str) -> Prepared<'_> {
    Prepared {
        text: w,
        len: w.chars().count(),
        first: w.chars().next(),
        last: w.chars().next_back(),
        weight: word_weight(w),
    }
}

/// How alike two normalised words are: 1 equal, [`NEAR_CREDIT`] near, 0 otherwise.
pub fn word_similarity(a: &str, b: &str) -> f64 {
    similarity(&prepare(a), &prepare(b))
}

fn similarity(a: &Prepared, b: &Prepared) -> f64 {
    if a.text == b.text {
        return 1.0;
    }
    let shorter = a.len.min(b.len);
    if shorter < 4 {
        return 0.0;
    }
    let prefix = a
        .text
        .chars()
        .zip(b.text.chars())
        .take_while(|(x, y)| x == y)
        .count();
    if prefix >= 4 && prefix * 5 >= shorter * 3 {
        return NEAR_CREDIT;
    }
    // A similarity of 0.8 allows edits on a fifth of the longer word at most, so the lengths
    // cannot differ by more (checked first: the edit distance is the costly part); a likely
    // misspelling keeps its first or its last letter.
    let longer = a.len.max(b.len);
    if shorter >= 5
        && (a.first == b.first || a.last == b.last)
        && (longer - shorter) * 5 <= longer
        && strsim::normalized_levenshtein(a.text, b.text) >= 0.8
    {
        return NEAR_CREDIT;
    }
    0.0
}

/// The evidence a word carries.
pub fn word_weight(w: &str) -> f64 {
    if is_stopword(w) { 0.5 } else { 1.0 }
}

/// The total weight of a word sequence.
pub fn total_weight(words: &[String]) -> f64 {
    words.iter().map(|w| word_weight(w)).sum()
}

/// Quotes whose word counts multiply to more than this are aligned through a linear-space
/// difference (Myers's algorithm) instead of a table of every pair of words: a 40,000-word
/// quote costs what its differences cost, not gigabytes.
pub const TABLE_CELLS: usize = 250_000;

/// The best in-order alignment of `a` and `b` (a weighted longest common subsequence where a near
/// match earns partial credit). Returns the matched weight. Above [`TABLE_CELLS`], the exact
/// matches of a minimal difference, plus near-match credit for the words a changed run replaces
/// one for one.
pub fn matched_weight(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len().saturating_mul(b.len()) > TABLE_CELLS {
        return diff(a, b)
            .iter()
            .map(|e| match *e {
                Edit::Same { a: i, len, .. } => total_weight(&a[i..i + len]),
                Edit::Change {
                    a: (a0, a1),
                    b: (b0, b1),
                } => a[a0..a1]
                    .iter()
                    .zip(&b[b0..b1])
                    .map(|(x, y)| word_similarity(x, y) * word_weight(x).min(word_weight(y)))
                    .sum(),
            })
            .sum();
    }
    let pa: Vec<Prepared> = a.iter().map(|w| prepare(w)).collect();
    let pb: Vec<Prepared> = b.iter().map(|w| prepare(w)).collect();
    let m = b.len() + 1;
    let mut prev = vec![0.0f64; m];
    let mut cur = vec![0.0f64; m];
    for x in &pa {
        for (j, y) in pb.iter().enumerate() {
            let sim = similarity(x, y);
            let diag = if sim > 0.0 {
                prev[j] + sim * x.weight.min(y.weight)
            } else {
                0.0
            };
            cur[j + 1] = diag.max(prev[j + 1]).max(cur[j]);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The evidence two quotes give of one remark, word for word: how many content words of the
/// quote with fewer of them stand in the other as the same word (or the same word with a plain
/// ending, see [`word_key`]; each occurrence used once), and how many content words that quote
/// has. Near matches by shape (a shared beginning, a likely misspelling) are not counted: they
/// add to an alignment, they cannot make one alone (`workers`/`worked`, `generous`/`generally`,
/// or two made-up or foreign words of one shape, "nearly match" each other).
pub fn shared_content_words(a: &[String], b: &[String]) -> (usize, usize) {
    fn keys(w: &[String]) -> Vec<&str> {
        let mut v: Vec<&str> = w
            .iter()
            .filter(|w| !is_stopword(w))
            .map(|w| word_key(w))
            .collect();
        v.sort_unstable();
        v
    }
    let (ka, kb) = (keys(a), keys(b));
    // Both sorted: a merge counts the common words with their multiplicity.
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < ka.len() && j < kb.len() {
        match ka[i].cmp(kb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (shared, ka.len().min(kb.len()))
}

/// A normalised word without a plain ending (a possessive `'s`, `-ing`, `-ed`, `-es`, `-ly`,
/// `-s`, then a final `e`), as long as three letters are left: `look`/`looking`,
/// `option`/`options`, `house`/`houses`, `come`/`coming`, `public`/`public's` have one key;
/// `worker`/`worked` and `generous`/`generally` do not.
pub fn word_key(w: &str) -> &str {
    const ENDINGS: [&str; 6] = ["'s", "ing", "ed", "es", "ly", "s"];
    let long_enough = |k: &str| k.chars().count() >= 3;
    let mut key = ENDINGS
        .iter()
        .filter_map(|e| w.strip_suffix(e))
        .find(|k| long_enough(k))
        .unwrap_or(w);
    if let Some(k) = key.strip_suffix('e')
        && long_enough(k)
    {
        key = k;
    }
    key
}

/// Share of the shorter quote's weight that the alignment matches (0..1).
pub fn containment(a: &[String], b: &[String]) -> f64 {
    containment_of(matched_weight(a, b), a, b)
}

/// [`containment`] from an already computed [`matched_weight`].
pub fn containment_of(matched: f64, a: &[String], b: &[String]) -> f64 {
    let shorter = total_weight(a).min(total_weight(b));
    if shorter <= 0.0 {
        return 0.0;
    }
    (matched / shorter).min(1.0)
}

/// Whether `part` occurs in `whole` as a contiguous run of words (an exact part).
pub fn is_part(part: &[String], whole: &[String]) -> bool {
    !part.is_empty() && part.len() <= whole.len() && whole.windows(part.len()).any(|w| w == part)
}

/// Whether `a` and `b` are two overlapping windows of one longer text: the end of one is, word
/// for word, the start of the other, over at least [`MIN_OVERLAP`] words and half the shorter
/// (“We are not people who run. But when the mountain speaks, you listen.” and “But when the
/// mountain speaks, you listen. I have packed one bag.”). Neither says anything the other
/// contradicts.
pub fn overlaps(a: &[String], b: &[String]) -> bool {
    let shorter = a.len().min(b.len());
    let need = MIN_OVERLAP.max(shorter.div_ceil(2));
    // Fewer words than the shorter quote: each window goes on where the other stops (a quote
    // that is all at the start of the other is a part of it, not an overlap).
    let tail_head = |x: &[String], y: &[String]| {
        (need..x.len().min(y.len())).any(|k| x[x.len() - k..] == y[..k])
    };
    shorter >= need && (tail_head(a, b) || tail_head(b, a))
}

/// Fewest words two overlapping quotes must share, end to start.
pub const MIN_OVERLAP: usize = 5;

/// Whether `part`, cut by ellipses before the word indices in `elisions` (“We have never seen
/// it … Every family has been told”), is an exact part of `whole` with words left out: each
/// piece occurs in `whole`, in order. Without elisions this is [`is_part`].
pub fn is_elided_part(part: &[String], elisions: &[usize], whole: &[String]) -> bool {
    if elisions.is_empty() {
        return is_part(part, whole);
    }
    if part.is_empty() || part.len() > whole.len() {
        return false;
    }
    let mut from = 0;
    let mut start = 0;
    for end in elisions.iter().copied().chain(std::iter::once(part.len())) {
        let piece = part.get(start..end).unwrap_or(&[]);
        start = end;
        if piece.is_empty() {
            continue;
        }
        let Some(at) = whole
            .get(from..)
            .unwrap_or(&[])
            .windows(piece.len())
            .position(|w| w == piece)
        else {
            return false;
        };
        from += at + piece.len();
    }
    true
}

/// One step of a word-level difference, in index ranges of the two sequences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// `a[i..i+n]` equals `b[j..j+n]`.
    Same { a: usize, b: usize, len: usize },
    /// `a[a0..a1]` stands where `b[b0..b1]` stands (either side may be empty).
    Change {
        a: (usize, usize),
        b: (usize, usize),
    },
}

/// The word-level difference from `a` to `b`: runs of equal words (a longest common
/// subsequence of exact matches) and the changes between them. Above [`TABLE_CELLS`], a
/// minimal difference by Myers's algorithm in linear space.
pub fn diff(a: &[String], b: &[String]) -> Vec<Edit> {
    if a.len().saturating_mul(b.len()) > TABLE_CELLS {
        return myers(a, b);
    }
    let (n, m) = (a.len(), b.len());
    // lcs[i][j] = LCS length of a[i..], b[j..]
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut edits: Vec<Edit> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let (mut ci, mut cj) = (0, 0); // start of a pending change
    let flush = |edits: &mut Vec<Edit>, ci: usize, i: usize, cj: usize, j: usize| {
        if ci < i || cj < j {
            edits.push(Edit::Change {
                a: (ci, i),
                b: (cj, j),
            });
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] && lcs[i][j] == lcs[i + 1][j + 1] + 1 {
            flush(&mut edits, ci, i, cj, j);
            match edits.last_mut() {
                Some(Edit::Same { a: sa, len, .. }) if *sa + *len == i => *len += 1,
                _ => edits.push(Edit::Same { a: i, b: j, len: 1 }),
            }
            i += 1;
            j += 1;
            ci = i;
            cj = j;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            j += 1;
        } else {
            i += 1;
        }
    }
    flush(&mut edits, ci, i, cj, j);
    edits
}

/// [`diff`] for long quotes: `similar`'s Myers difference, its operations merged into runs of
/// equal words and the changes between them.
fn myers(a: &[String], b: &[String]) -> Vec<Edit> {
    /// A pending change: its ranges in `a` and in `b`.
    type Pending = Option<((usize, usize), (usize, usize))>;
    let mut edits: Vec<Edit> = Vec::new();
    let mut change: Pending = None;
    let flush = |edits: &mut Vec<Edit>, change: &mut Pending| {
        if let Some((a, b)) = change.take() {
            edits.push(Edit::Change { a, b });
        }
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, a, b) {
        match op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                flush(&mut edits, &mut change);
                edits.push(Edit::Same {
                    a: old_index,
                    b: new_index,
                    len,
                });
            }
            other => {
                let (ar, br) = (other.old_range(), other.new_range());
                change = Some(match change {
                    Some((a0, b0)) => ((a0.0, ar.end), (b0.0, br.end)),
                    None => ((ar.start, ar.end), (br.start, br.end)),
                });
            }
        }
    }
    flush(&mut edits, &mut change);
    edits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_windows_of_one_text() {
        let w = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
        let a = w("we are not people who run but when the mountain speaks you listen");
        let b = w("but when the mountain speaks you listen i have packed one bag");
        assert!(overlaps(&a, &b));
        assert!(overlaps(&b, &a));
        // A shared phrase in the middle, or a short shared edge, is no overlap.
        assert!(!overlaps(
            &w("when the mountain speaks you listen and run"),
            &w("i know when the mountain speaks you listen now")
        ));
        assert!(!overlaps(
            &w("a b c d e f g h x y"),
            &w("x y z z z z z z z z")
        ));
        // A quote that is the start of the other is a part of it, not an overlapping window.
        let head = w("we are not people who run");
        assert!(!overlaps(&head, &a) && !overlaps(&a, &head));
    }

    #[test]
    fn an_elided_quote_is_a_part_with_words_left_out() {
        let w = |t: &str| t.split(' ').map(str::to_string).collect::<Vec<_>>();
        let full = w("we have never seen it and we will not wait every family must leave");
        let elided = w("we have never seen it every family must leave");
        assert!(is_elided_part(&elided, &[5], &full));
        assert!(!is_part(&elided, &full));
        // Pieces out of order, or a changed word, are no part.
        assert!(!is_elided_part(
            &w("every family must leave we have"),
            &[4],
            &full
        ));
        assert!(!is_elided_part(
            &w("we have never seen it every family may leave"),
            &[5],
            &full
        ));
    }
    use crate::text::normalize::word_texts;

    #[test]
    fn near_word_forms() {
        assert_eq!(word_similarity("limit", "limitations"), NEAR_CREDIT);
        assert_eq!(word_similarity("build", "building"), NEAR_CREDIT);
        assert_eq!(word_similarity("steep", "serious"), 0.0);
        assert_eq!(word_similarity("has", "had"), 0.0);
    }

    #[test]
    fn shared_content_words_are_the_same_words_counted_once() {
        let a = word_texts("The ferry workers deserve generous contracts");
        let b = word_texts("The ferry worked generally contrary to its timetable");
        // "ferry" only: words of one shape and function words are no evidence.
        assert_eq!(shared_content_words(&a, &b), (1, 5));
        let c = word_texts("Ferry workers, ferry workers deserve fair contracts");
        assert_eq!(shared_content_words(&a, &c), (4, 5));
        // A plain ending keeps the word: "look"/"looking", "option"/"options".
        let d = word_texts("We look at all options before the vote.");
        let e = word_texts("We are looking at every option before the vote.");
        assert_eq!(shared_content_words(&d, &e), (3, 3));
        assert_eq!(word_key("houses"), word_key("house"));
        assert_eq!(word_key("coming"), word_key("come"));
        assert_ne!(word_key("workers"), word_key("worked"));
        assert_ne!(word_key("generous"), word_key("generally"));
        assert_eq!(word_key("uses"), "use");
        assert_eq!(word_key("public's"), word_key("public"));
    }

    #[test]
    fn an_excerpt_is_contained_in_the_full_quote() {
        let full = word_texts(
            "The city has always answered patience with patience, but cannot accept threats.",
        );
        let part = word_texts("cannot accept threats.");
        assert!(containment(&part, &full) > 0.99);
        assert!(is_part(&part, &full));
    }

    #[test]
    fn a_paraphrase_scores_high_and_another_remark_low() {
        let a = word_texts("If they don’t fix the roof, the damage will be very steep.");
        let b = word_texts("If we don't fix the roof, the damage will be very serious");
        let c = word_texts("The library opens again on Monday with longer hours.");
        assert!(containment(&a, &b) > 0.75);
        assert!(containment(&a, &c) < 0.3);
    }

    #[test]
    fn diff_marks_changed_words() {
        let a = word_texts("if we get a deal soon");
        let b = word_texts("if they make a deal");
        let d = diff(&a, &b);
        assert_eq!(
            d,
            vec![
                Edit::Same { a: 0, b: 0, len: 1 },
                Edit::Change {
                    a: (1, 3),
                    b: (1, 3)
                },
                Edit::Same { a: 3, b: 3, len: 2 },
                Edit::Change {
                    a: (5, 6),
                    b: (5, 5)
                },
            ]
        );
    }
}
