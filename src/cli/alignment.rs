//! The words of an utterance's versions lined up in columns, in the manner of CollateX's
//! alignment table: one row per version, one column per aligned word. The reference row is the
//! canonical reading (or, when no reading is better supported, the first reading); each version
//! is aligned to it with the engine's word diff (`collate::align::diff`), and words a version
//! adds get columns of their own between the reference's words, shared by every version that
//! adds words at that place.
//!
//! Reads the engine's `Utterance` and documents; changes nothing. Words are compared in their
//! normalised form (case, punctuation, contractions, spellings do not count), and shown as the
//! version wrote them.

use crate::collate::align::{Edit, diff};
use crate::collate::utterance::Utterance;
use crate::corpus::Corpus;
use crate::document::{Document, Span};

/// How a version's cell stands against the reference reading in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// The same word as the reference.
    Same,
    /// Another word where the reference has one.
    Variant,
    /// A word the reference does not have.
    Added,
    /// A reference word this version leaves out, inside the part of the remark it quotes.
    Missing,
    /// Reference words this version leaves out with an ellipsis.
    Elided,
    /// Nothing: a column of words another version added, or the part of the remark an excerpt
    /// does not quote.
    Empty,
}

impl CellKind {
    /// Whether the cell shows a difference from the reference.
    pub fn differs(self) -> bool {
        matches!(
            self,
            CellKind::Variant | CellKind::Added | CellKind::Missing
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CellKind::Same => "same",
            CellKind::Variant => "variant",
            CellKind::Added => "added",
            CellKind::Missing => "missing",
            CellKind::Elided => "elided",
            CellKind::Empty => "empty",
        }
    }
}

/// One cell: what it shows (the version's word, or for a missing word the reference's) and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub kind: CellKind,
}

/// The aligned table of one utterance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The reference reading's index in `Utterance::readings`.
    pub reference: usize,
    /// The reference row.
    pub reference_cells: Vec<Cell>,
    /// One row per member of the utterance, in the utterance's order.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn columns(&self) -> usize {
        self.reference_cells.len()
    }
}

/// The reading the others are shown against: the canonical one, else the best supported, then
/// the longest, then the first.
pub fn reference_reading(u: &Utterance) -> usize {
    u.canonical.unwrap_or_else(|| {
        (0..u.readings.len())
            .max_by_key(|&r| {
                (
                    u.readings[r].support,
                    u.readings[r].words.len(),
                    std::cmp::Reverse(r),
                )
            })
            .unwrap_or(0)
    })
}

/// Where one member's words go, against the reference's `n` words.
struct Placement {
    /// Per reference word: the member's word there and how it compares, or `None`.
    at: Vec<Option<(usize, CellKind)>>,
    /// Per gap before reference word `k` (`k == n`: after the last): the member's added words.
    added: Vec<Vec<usize>>,
    /// Per reference word the member leaves out: how it shows.
    left_out: Vec<Option<CellKind>>,
}

fn place(reference: &[String], words: &[String], elisions: &[usize]) -> Placement {
    let n = reference.len();
    let len = words.len();
    let mut p = Placement {
        at: vec![None; n],
        added: vec![Vec::new(); n + 1],
        left_out: vec![None; n],
    };
    for edit in diff(reference, words) {
        match edit {
            Edit::Same { a, b, len } => {
                for i in 0..len {
                    p.at[a + i] = Some((b + i, CellKind::Same));
                }
            }
            Edit::Change {
                a: (a0, a1),
                b: (b0, b1),
            } => {
                let common = (a1 - a0).min(b1 - b0);
                for i in 0..common {
                    p.at[a0 + i] = Some((b0 + i, CellKind::Variant));
                }
                p.added[a1].extend(b0 + common..b1);
                // Reference words before the member's first word or after its last are the
                // part an excerpt does not quote; words left out in between are missing, or
                // elided where the member has an ellipsis.
                let kind = if b0 == b1 && (b0 == 0 || b1 == len) {
                    CellKind::Empty
                } else if b0 == b1 && elisions.contains(&b1) {
                    CellKind::Elided
                } else {
                    CellKind::Missing
                };
                for k in a0 + common..a1 {
                    p.left_out[k] = Some(kind);
                }
            }
        }
    }
    p
}

/// The words of a member as shown: the original token for the first word of a token, nothing
/// for the further words of an expanded contraction (`don’t` = `do not`).
fn shown(doc: &Document, spans: &[Span], i: usize) -> String {
    if i > 0 && spans[i - 1] == spans[i] {
        return String::new();
    }
    spans[i].of(&doc.text).to_string()
}

/// Aligns every member of `u` against its reference reading. Members whose document is not in
/// `corpus` get empty rows.
pub fn align(u: &Utterance, corpus: &Corpus) -> Table {
    let reference = reference_reading(u);
    let ref_words = &u.readings[reference].words;
    let n = ref_words.len();
    let placements: Vec<Placement> = u
        .members
        .iter()
        .map(|m| {
            let reading = &u.readings[m.reading];
            place(ref_words, m.texts(), &reading.elisions)
        })
        .collect();
    // Width of each gap: the most words any member adds there.
    let widths: Vec<usize> = (0..=n)
        .map(|k| {
            placements
                .iter()
                .map(|p| p.added[k].len())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let empty = || Cell {
        text: String::new(),
        kind: CellKind::Empty,
    };

    let sample = u.sample(reference);
    let sample_doc = corpus.get(sample.doc).map(|d| (d, sample.spans(d)));
    let mut reference_cells = Vec::new();
    for k in 0..=n {
        reference_cells.extend((0..widths[k]).map(|_| empty()));
        if k < n {
            let text = sample_doc
                .as_ref()
                .map(|(d, spans)| shown(d, spans, k))
                .unwrap_or_else(|| ref_words[k].clone());
            reference_cells.push(Cell {
                text,
                kind: CellKind::Same,
            });
        }
    }

    let rows = u
        .members
        .iter()
        .zip(&placements)
        .map(|(m, p)| {
            let Some(doc) = corpus.get(m.doc) else {
                return vec![empty(); reference_cells.len()];
            };
            let spans = m.spans(doc);
            let mut cells = Vec::with_capacity(reference_cells.len());
            for (k, &width) in widths.iter().enumerate() {
                for j in 0..width {
                    cells.push(match p.added[k].get(j) {
                        Some(&w) => Cell {
                            text: shown(doc, &spans, w),
                            kind: CellKind::Added,
                        },
                        None => empty(),
                    });
                }
                if k == n {
                    break;
                }
                cells.push(match (p.at[k], p.left_out[k]) {
                    (Some((w, kind)), _) => Cell {
                        text: shown(doc, &spans, w),
                        kind,
                    },
                    (None, Some(CellKind::Elided)) => Cell {
                        // One ellipsis for a run of words left out.
                        text: match cells.last() {
                            Some(Cell {
                                kind: CellKind::Elided,
                                ..
                            }) => String::new(),
                            _ => "…".into(),
                        },
                        kind: CellKind::Elided,
                    },
                    (None, Some(CellKind::Missing)) => Cell {
                        text: reference_cells[cells.len()].text.clone(),
                        kind: CellKind::Missing,
                    },
                    _ => empty(),
                });
            }
            cells
        })
        .collect();
    Table {
        reference,
        reference_cells,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::Analysis;
    use crate::config::Config;

    /// Four fictional versions of one remark: two agree, one changes and adds words, one is an
    /// excerpt.
    fn corpus() -> Corpus {
        let story = |source: &str, quote: &str| {
            format!(
                "Source: {source}\n\nThe mayor of Fenwick opened the new harbour bridge on \
                 Monday over the estuary. “{quote},” Mayor Rosa Delgado said at the ribbon \
                 cutting over the estuary.\n"
            )
        };
        let mut corpus = Corpus::new(Config::default());
        for (path, source, quote) in [
            (
                "a.txt",
                "Wire",
                "The bridge will carry ten thousand cars a day",
            ),
            (
                "b.txt",
                "Post",
                "The bridge will carry ten thousand cars a day",
            ),
            (
                "c.txt",
                "Herald",
                "The bridge will surely carry ten thousand lorries a day",
            ),
            ("d.txt", "Gazette", "carry ten thousand cars"),
        ] {
            corpus.upsert(Document::parse(path, story(source, quote)));
        }
        corpus
    }

    fn row(table: &Table, i: usize) -> Vec<(String, CellKind)> {
        table.rows[i]
            .iter()
            .map(|c| (c.text.clone(), c.kind))
            .collect()
    }

    #[test]
    fn versions_line_up_word_by_word_with_the_differences_marked() {
        let corpus = corpus();
        let analysis = Analysis::of(&corpus);
        let u = analysis
            .utterances()
            .find(|u| u.version_count() == 4)
            .expect("one utterance of four versions");
        let table = align(u, &corpus);
        let reference: Vec<&str> = table
            .reference_cells
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        // The word only C has gets a column of its own, empty in the reference.
        assert_eq!(
            reference,
            [
                "The", "bridge", "will", "", "carry", "ten", "thousand", "cars", "a", "day"
            ]
        );
        use CellKind::*;
        let e = || (String::new(), Empty);
        let same = |w: &str| (w.to_string(), Same);
        // Members are in path order: a, b, c, d.
        assert!(
            row(&table, 0)
                .iter()
                .all(|(_, k)| matches!(k, Same | Empty))
        );
        let c = row(&table, 2);
        assert_eq!(c[3], ("surely".to_string(), Added));
        assert_eq!(c[7], ("lorries".to_string(), Variant));
        assert_eq!(c[9], same("day"));
        // The excerpt leaves the rest of the remark empty, not missing.
        let d = row(&table, 3);
        assert_eq!(
            d,
            [
                e(),
                e(),
                e(),
                e(),
                same("carry"),
                same("ten"),
                same("thousand"),
                same("cars"),
                e(),
                e()
            ]
        );
    }

    #[test]
    fn a_replacement_shorter_than_the_reference_leaves_words_missing() {
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let p = place(&words("a b c d e"), &words("a x e"), &[]);
        assert_eq!(p.at[1], Some((1, CellKind::Variant)));
        assert_eq!(p.left_out[2], Some(CellKind::Missing));
        assert_eq!(p.left_out[3], Some(CellKind::Missing));
        // An ellipsis where words are left out: elided.
        let p = place(&words("a b c d e"), &words("a b e"), &[2]);
        assert_eq!(p.left_out[2], Some(CellKind::Elided));
        // Words cut at the edges of an excerpt are not part of it.
        let p = place(&words("a b c d e"), &words("b c"), &[]);
        assert_eq!(p.left_out[0], Some(CellKind::Empty));
        assert_eq!(p.left_out[4], Some(CellKind::Empty));
    }
}
