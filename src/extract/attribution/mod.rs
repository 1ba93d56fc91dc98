//! Attribution: who each quoted span is attributed to, and whether it is speech at all.
//!
//! The rules are an ordered registry, [`RULES`], one file each, numbered as in
//! `docs/attribution.md` (a test keeps the two in step). Rules 1–7 are cues: each quote that has
//! no speaker yet takes the first cue found, in the registry's order. Rules 8–11 are passes over
//! all the quotes, in text order: the mention decision, the quotes of one sentence, inheritance,
//! and multi-paragraph quotes.
//!
//! | rule | file | what |
//! |---|---|---|
//! | 1 | [`forward_cue`] | a cue right after the quote: `“Q,” X said` |
//! | 2 | [`signature`] | `“Q” — X, council planner` |
//! | 3 | [`backward_cue`] | a speech verb before the quote in its sentence: `X said … “Q”`; first, [`utterance_owner`]: `X's claim that … “Q”` |
//! | 4 | [`sentence_end_cue`] | a cue ending the sentence: `“Q” about it, X said.` |
//! | 5 | [`colon_lead_in`] | `X: “Q”` |
//! | 6 | [`according_to`] | `according to X` in the sentence |
//! | 7 | [`headline`] | a headline's cue: `Lowe: … ‘Q’`, `Lowe Says …`, `Lowe ‘Q’ …` |
//! | 8 | [`mention`] | titles and nicknames are mentions, not speech |
//! | 9 | [`same_sentence`] | another quote of the sentence gives its speaker |
//! | 10 | [`inherit`] | the quote before, the cue sentence before, or a multi-paragraph quote's first part |
//! | 11 | [`multi_paragraph`] | a later part's cue reaches back to the first part |
//!
//! The reading every rule shares (who a name, pronoun or role stands for, a verb's subject) is
//! [`reader`]. Cues are looked for within a bounded window of the quote, so the cost stays
//! linear in the document's length even for run-on text (it runs on every keystroke in the
//! server).
//!
//! Depends on [`super::words`] and [`super::names`]; no file system, no LSP types.

mod according_to;
mod backward_cue;
mod colon_lead_in;
mod forward_cue;
mod headline;
mod inherit;
mod mention;
mod multi_paragraph;
mod reader;
mod same_sentence;
mod sentence_end_cue;
mod signature;
mod utterance_owner;

use super::marks::MarkedSpan;
use super::names::NameTable;
use super::words::Words;
use crate::document::{Attribution, Quote, QuoteKind, Resolution, Span};
use reader::Reader;

/// One attribution rule: its number and name in `docs/attribution.md`, and how it runs.
pub struct Rule {
    pub number: u8,
    pub name: &'static str,
    run: Run,
}

enum Run {
    /// For every quote without a speaker yet: a speaker from a cue, if the rule finds one.
    /// `attached`: how the cue is joined to the quote (a title-case span it gives may stay
    /// speech, see [`Attach`]).
    Cue {
        attached: Attach,
        find: fn(&Reader<'_, '_>, usize) -> Option<Attribution>,
    },
    /// A pass over every quote, in text order.
    Pass(fn(&Reader<'_, '_>, &mut Attributing)),
}

/// The rules, in the order they run.
pub const RULES: &[Rule] = &[
    Rule {
        number: 1,
        name: "a cue right after the quote",
        run: Run::Cue {
            attached: Attach::Punctuated,
            find: |r, qi| r.forward_cue(qi),
        },
    },
    Rule {
        number: 2,
        name: "a signature",
        run: Run::Cue {
            attached: Attach::Punctuated,
            find: |r, qi| r.signature(qi),
        },
    },
    Rule {
        number: 3,
        name: "the nearest speech verb before the quote",
        run: Run::Cue {
            attached: Attach::No,
            find: |r, qi| r.backward_cue(qi),
        },
    },
    Rule {
        number: 4,
        name: "a cue at the end of the sentence",
        run: Run::Cue {
            attached: Attach::No,
            find: |r, qi| r.sentence_end_cue(qi),
        },
    },
    Rule {
        number: 5,
        name: "a colon lead-in",
        run: Run::Cue {
            attached: Attach::Punctuated,
            find: |r, qi| r.colon_lead_in(qi),
        },
    },
    Rule {
        number: 6,
        name: "according to",
        run: Run::Cue {
            attached: Attach::No,
            find: |r, qi| r.according_to(qi),
        },
    },
    Rule {
        number: 7,
        name: "a headline's cue",
        run: Run::Cue {
            attached: Attach::Always,
            find: |r, qi| r.headline_cue(qi),
        },
    },
    Rule {
        number: 8,
        name: "mention or speech",
        run: Run::Pass(mention::pass),
    },
    Rule {
        number: 9,
        name: "another quote of the same sentence",
        run: Run::Pass(same_sentence::pass),
    },
    Rule {
        number: 10,
        name: "inheritance",
        run: Run::Pass(inherit::pass),
    },
    Rule {
        number: 11,
        name: "multi-paragraph quotes",
        run: Run::Pass(multi_paragraph::pass),
    },
];

/// How a cue rule's cue is joined to its quote, for the mention rule: a title-case span whose
/// cue is joined to it stays speech.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attach {
    /// Not joined: the cue stands elsewhere in the sentence.
    No,
    /// Joined when punctuation ties the two (`“…,” X said`, `X: “…”`).
    Punctuated,
    /// Always joined: a headline's quote is its speaker's words, title case and all.
    Always,
}

/// The quotes of a document while the rules run.
struct Attributing {
    quotes: Vec<Quote>,
    /// Per quote: how its cue is joined to it (by rules 1, 2, 5 and 7).
    attached: Vec<Attach>,
}

/// Turns marked spans into quotes with speakers: every rule of [`RULES`], in order.
/// Spans that end past 4 GiB (which a [`Quote`] cannot hold) are left out, as the names there are.
pub fn attribute(words: &Words, spans: &[MarkedSpan], names: &NameTable) -> Vec<Quote> {
    // Spans come in text order: the ones that fit are a prefix, and each continues an earlier one.
    let quotes: Vec<Quote> = spans
        .iter()
        .map_while(|m| {
            Quote::new(
                m.span,
                m.open,
                m.close,
                QuoteKind::Speech,
                None,
                m.continues,
            )
        })
        .collect();
    let spans = &spans[..quotes.len()];
    let reader = Reader {
        words,
        names,
        spans,
    };
    let mut state = Attributing {
        attached: vec![Attach::No; quotes.len()],
        quotes,
    };
    // Quotes whose own cue (`“…,” the Florida senator said`) describes a speaker rules 1 and 2
    // could not name: no cue further away is theirs.
    let mut described: Option<Vec<bool>> = None;
    for rule in RULES {
        match rule.run {
            Run::Cue { attached, find } => {
                if rule.number > 2 && described.is_none() {
                    described = Some(
                        (0..state.quotes.len())
                            .map(|qi| {
                                state.quotes[qi].attribution.is_none()
                                    && reader.described_cue_right_after(qi)
                            })
                            .collect(),
                    );
                }
                for qi in 0..state.quotes.len() {
                    if state.quotes[qi].attribution.is_none()
                        && !described.as_ref().is_some_and(|d| d[qi])
                        && let Some(a) = find(&reader, qi)
                    {
                        state.quotes[qi].attribution = Some(a);
                        state.attached[qi] = attached;
                    }
                }
            }
            Run::Pass(pass) => pass(&reader, &mut state),
        }
    }
    state.quotes
}

/// How far (in tokens) from a quote a cue is looked for.
const CUE_WINDOW: usize = 80;

/// At most this many words stand in a circumstance between a subject and its verb ("Lowe in a
/// filmed public address on Friday said").
const CIRCUMSTANCE_WORDS: usize = 10;

/// An attribution passed on to another quote: resolution `inherited`, no name span there.
fn inherited(mut a: Attribution) -> Attribution {
    a.resolution = Resolution::Inherited;
    a.set_name_span(None);
    a
}

/// A speaker found at a place in the text, before it becomes an [`Attribution`].
struct Found {
    speaker: String,
    affiliation: Option<String>,
    name_span: Span,
    resolution: Resolution,
}

impl Found {
    /// Two people who speak together ("Brandt and Nyman said"), named from `first.start` to
    /// `second.end`; `first` speaks first.
    fn pair(first: Found, second: Found) -> Found {
        Found {
            speaker: format!("{} and {}", first.speaker, second.speaker),
            affiliation: None,
            name_span: Span::new(first.name_span.start, second.name_span.end),
            resolution: second.resolution,
        }
    }
}

/// What stands before a verb: a speaker, a common noun (no named speaker), or nothing usable.
enum SubjectAt {
    Speaker(Found),
    Sentence,
    Unnamed,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::marks::paragraphs;
    use crate::extract::names::NameTable;
    use crate::extract::words::Words;

    fn run(text: &str) -> Vec<(String, Option<String>, String)> {
        let paras = paragraphs(text, 0);
        let spans = crate::extract::marks::scan(text, 0);
        let w = Words::new(text, &paras, &spans);
        let names = NameTable::build(&w);
        attribute(&w, &spans, &names)
            .into_iter()
            .map(|q| {
                (
                    q.span().of(text).to_string(),
                    q.speaker().map(str::to_string),
                    format!("{:?}", q.kind),
                )
            })
            .collect()
    }

    /// Found by the `parse` fuzz target: a name as the last word of the text, after an
    /// inverted cue ("said Oskar Brandt" with nothing after it), made the reader look one token
    /// past the end.
    #[test]
    fn a_name_that_ends_the_text_after_said() {
        let text = "Oskar Brandt chairs the boat owners.\n\n\
            \u{201c}The fleet cannot wait another season,\u{201d} said Oskar Brandt";
        let found = run(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.as_deref(), Some("Oskar Brandt"));
    }

    /// The numbered rules of docs/attribution.md are the registry's, in its order.
    #[test]
    fn the_registry_is_numbered_like_the_docs() {
        let doc = include_str!("../../../docs/attribution.md").to_lowercase();
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(usize::from(rule.number), i + 1, "{}", rule.name);
            let heading = format!("{}. **{}", rule.number, rule.name);
            assert!(
                doc.contains(&heading),
                "docs/attribution.md lacks {heading:?}"
            );
        }
    }

    fn speakers(text: &str) -> Vec<Option<String>> {
        run(text).into_iter().map(|r| r.1).collect()
    }

    #[test]
    fn lower_case_role_before_an_inverted_name() {
        let text = "Dock workers walked out on Monday.\n\n\
            “We will not load another ship,” union steward Tomas Riedel said.\n\n\
            “Nobody wanted this,” union steward Tomas Riedel told reporters at the terminal.\n\n\
            “We will not leave the harbor,” said union steward Tomas Riedel.\n\n\
            “We played with heart,” Comets coach Marta Lindqvist said. “They listened.”\n\n\
            The vote came while “nobody was watching,” union steward Tomas Riedel said later.";
        assert_eq!(
            speakers(text),
            [
                Some("Tomas Riedel".to_string()),
                Some("Tomas Riedel".to_string()),
                Some("Tomas Riedel".to_string()),
                Some("Marta Lindqvist".to_string()),
                Some("Marta Lindqvist".to_string()),
                Some("Tomas Riedel".to_string()),
            ]
        );
    }

    #[test]
    fn the_cue_before_a_quote_names_nobody_else() {
        let text = "The Harrowgate Comets won the cup.\n\n\
            “I told them at half-time,” Comets coach Dana Whitcombe said. “They listened.”";
        assert_eq!(
            speakers(text),
            [
                Some("Dana Whitcombe".to_string()),
                Some("Dana Whitcombe".to_string()),
            ]
        );
    }

    #[test]
    fn a_title_case_name_opened_by_an_article_is_a_mention() {
        let r = run(
            "Sensors on the slope, which locals call “the Grey Giant,” show a crack. \
             Fans know the stadium as “the Old Lady” too.",
        );
        assert_eq!(r[0].2, "Mention");
        assert_eq!(r[1].2, "Mention");
        // Words someone said stay speech.
        let r = run("The mayor said the plan was “the best we could do,” and left.");
        assert_eq!(r[0].2, "Speech");
    }

    #[test]
    fn an_occupation_given_as_a_role_refers_back() {
        let text = "“The slope is unstable,” senior geologist Pål Ekerholt said.\n\n\
            The county sent boats.\n\n\
            “Nobody can say when,” the geologist added.\n\n\
            “We wait,” the plumber said.";
        assert_eq!(
            speakers(text),
            [
                Some("Pål Ekerholt".to_string()),
                Some("Pål Ekerholt".to_string()),
                None
            ]
        );
    }

    #[test]
    fn a_signature_after_a_dash_names_the_speaker() {
        let text = "The council wants new lamps.\n\n\
            > “The sky over Ostervik is one of the darkest in the country.”\n\
            >\n\
            > — Leontine Markham, astronomer\n\n\
            “We are not against the observatory.” — Oskar Feld, council planner\n\n\
            “Lamps are cheap.” — and that was all.";
        assert_eq!(
            speakers(text),
            [
                Some("Leontine Markham".to_string()),
                Some("Oskar Feld".to_string()),
                None
            ]
        );
    }

    #[test]
    fn a_role_in_apposition_refers_back() {
        let text = "The Comets' captain, Lena Ashdown, was happy. “We played for each other,” \
            the captain said.\n\n\
            Arne Tveit, 71, a retired fisherman, stood on the quay.\n\n\
            “We are not people who run,” the fisherman said.";
        assert_eq!(
            speakers(text),
            [
                Some("Lena Ashdown".to_string()),
                Some("Arne Tveit".to_string())
            ]
        );
    }

    #[test]
    fn an_age_stands_for_the_person_last_named() {
        let text = "Pål Ekerholt has studied the slope since 2015. “It moves faster in spring,” \
            the 52-year-old said.\n\n\
            Arne Tveit stood on the quay. “We stay,” said the 71-year-old fisherman.";
        assert_eq!(
            speakers(text),
            [
                Some("Pål Ekerholt".to_string()),
                Some("Arne Tveit".to_string())
            ]
        );
    }

    #[test]
    fn a_persons_answer_is_theirs() {
        let text = "Council planner Oskar Feld defended the scheme.\n\n\
            Feld's answer was blunt: “Safety has to come first.”\n\n\
            The council's reply was short: “No comment.”";
        assert_eq!(speakers(text), [Some("Oskar Feld".to_string()), None]);
    }

    #[test]
    fn said_after_the_quote() {
        assert_eq!(
            speakers("“We will rebuild the pier,” Harbour Commissioner Ines Coyle said."),
            [Some("Ines Coyle".to_string())]
        );
        assert_eq!(
            speakers("“We will rebuild the pier,” said Ines Coyle."),
            [Some("Ines Coyle".to_string())]
        );
    }

    #[test]
    fn said_iran_is_not_a_speaker() {
        let text = "Mayor Tova Lind praised the plan and said Brenland “looks ready to sign.”";
        assert_eq!(speakers(text), [Some("Tova Lind".to_string())]);
    }

    #[test]
    fn quote_only_paragraph_after_a_paragraph_without_quote_has_no_speaker() {
        let text = "Mayor Tova Lind spoke on Friday about the harbour.\n\n“Nobody saw it coming.”";
        assert_eq!(speakers(text), [None]);
    }

    #[test]
    fn a_speaker_phrase_at_the_end_of_the_text_is_read_safely() {
        // A name that is no person's as the text's last word, after a cue: nothing to read
        // past it.
        assert_eq!(speakers("“We won,” the coach told Kelby Falcons"), [None]);
        assert_eq!(speakers("“We won,” said Kelby Falcons"), [None]);
    }

    #[test]
    fn titles_of_works_are_mentions() {
        let r = run("Lind told the radio show “Morning Tide” that she was pleased.");
        assert_eq!(r[0].2, "Mention");
    }
}
