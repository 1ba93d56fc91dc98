//! Passes 1 and 2 of name finding: which paragraphs are headlines (no names are collected from
//! them), and the maximal runs of capitalised words that may be names, with name particles,
//! organisation connectors and nicknames in quotes, minus sentence-initial capitals that are
//! not names.

use crate::extract::cues;
use crate::extract::lexicon as lex;
use crate::extract::lexicon::FnvSet;
use crate::extract::words::Words;

/// Paragraphs that read as headlines, bylines or navigation: mostly capitalised words. Names
/// are not collected from them (a headline's capitals would make fake names).
pub(super) fn headline_paragraphs(words: &Words) -> Vec<bool> {
    words
        .paragraph_tokens
        .iter()
        .map(|&(first, end)| {
            let mut total = 0;
            let mut caps = 0;
            for i in first..end {
                if words.is_word(i)
                    && words
                        .str(i)
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic())
                {
                    total += 1;
                    if words.is_capitalised(i) {
                        caps += 1;
                    }
                }
            }
            // A colon ends a lead-in ("Vossberg added:" above a quote paragraph), which is
            // prose, not a headline.
            let ends_sentence = end > first
                && matches!(
                    words.str(end - 1),
                    "." | "!" | "?" | "”" | "\"" | "’" | "'" | ")" | "»" | ":"
                );
            // "— Leontine Markham, astronomer": a signature under a quote, not a headline.
            let signature = (first..end)
                .find(|&i| words.str(i) != ">")
                .is_some_and(|i| matches!(words.str(i), "—" | "–" | "―" | "--" | "-"));
            !signature
                && ((total >= 2 && !ends_sentence && caps * 10 >= total * 5)
                    || (total >= 3 && caps * 100 >= total * 85))
        })
        .collect()
}

/// A dateline's place at the start of a paragraph: "WASHINGTON (Reuters) -", "MILLBROOK, May 20".
fn is_dateline(words: &Words, i: usize) -> bool {
    let s = words.str(i);
    let first_in_paragraph = words.paragraph_tokens[words.tokens[i].paragraph].0 == i;
    first_in_paragraph
        && s.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && s.chars().all(|c| !c.is_lowercase())
        && words
            .tokens
            .get(i + 1)
            .is_some_and(|_| matches!(words.str(i + 1), "(" | "," | "-" | "—" | "–"))
}

/// When token `j` opens a short quoted span of capitalised words (a nickname: “The Wall”) that
/// a capitalised word outside it follows directly, the token of that word.
fn nickname_end(
    words: &Words,
    j: usize,
    outer: Option<usize>,
    cap: &dyn Fn(usize) -> bool,
) -> Option<usize> {
    let q = words.tokens[j].quote?;
    if outer.is_some() {
        return None;
    }
    let mut k = j;
    let mut count = 0;
    while k < words.tokens.len() && words.tokens[k].quote == Some(q) {
        if words.is_word(k) {
            count += 1;
            if !(cap(k) || words.str(k) == "the") || count > 3 {
                return None;
            }
        } else if !words.str(k).chars().all(|c| "“”\"‘’'«»".contains(c)) {
            return None;
        }
        k += 1;
    }
    if count == 0 {
        return None;
    }
    let para = words.tokens[j].paragraph;
    (k < words.tokens.len()
        && words.tokens[k].quote.is_none()
        && words.tokens[k].paragraph == para
        && cap(k)
        && words.text[words.tokens[k - 1].span.end..words.tokens[k].span.start]
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, '”' | '"' | '’' | '\'' | '»')))
    .then_some(k)
}

/// Maximal runs of capitalised words (with name particles and organisation connectors), minus
/// sentence-initial capitals that are not names.
pub(super) fn capitalised_sequences(words: &Words, headline: &[bool]) -> Vec<Vec<usize>> {
    let raw = capitalised_runs(words, headline);
    without_initial_capitals(words, raw)
}

/// Maximal runs of capitalised words (with name particles, organisation connectors and
/// nicknames in quotes) outside headlines and datelines.
fn capitalised_runs(words: &Words, headline: &[bool]) -> Vec<Vec<usize>> {
    let n = words.tokens.len();
    let cap = |i: usize| -> bool {
        words.is_capitalised(i)
            && words.str(i) != "I"
            && !cues::is_calendar_token(words, i)
            && words.str(i).chars().any(|c| c.is_alphabetic())
    };
    let mut raw: Vec<Vec<usize>> = Vec::new();
    let mut i = 0;
    while i < n {
        let tok = words.tokens[i];
        if headline[tok.paragraph] || !cap(i) || is_dateline(words, i) {
            i += 1;
            continue;
        }
        let mut seq = vec![i];
        // "de Wit said": a lower-case particle opens the name.
        if i > 0
            && words.tokens[i - 1].paragraph == tok.paragraph
            && cues::is_name_particle(words.str(i - 1))
            && (i < 2 || !cap(i - 2))
        {
            seq.insert(0, i - 1);
        }
        let mut j = i + 1;
        while j < n && words.tokens[j].paragraph == tok.paragraph {
            if words.tokens[j].quote != tok.quote {
                // "Jonah “The Wall” Okafor": a nickname in quotes inside a name is skipped.
                match nickname_end(words, j, tok.quote, &cap) {
                    Some(k) if !words.tokens[*seq.last().unwrap_or(&i)].possessive => {
                        j = k;
                        continue;
                    }
                    _ => break,
                }
            }
            let last = *seq.last().unwrap_or(&i);
            let last_poss = words.tokens[last].possessive;
            let has_org = seq.iter().any(|&t| words.in_list(t, &lex::ORG_HEADS));
            // "the U.S. While Lowe …": after an abbreviation's dot, a function word opens a
            // sentence.
            if cap(j)
                && !last_poss
                && !(words.str(last).ends_with('.') && words.in_list(j, &lex::FUNCTION_WORDS))
            {
                seq.push(j);
                j += 1;
                continue;
            }
            // "Mr. Kessler", "Dr. Ruiz": the abbreviation's dot stays outside the name.
            if words.str(j) == "."
                && j + 1 < n
                && cap(j + 1)
                && words.tokens[j + 1].paragraph == tok.paragraph
                // "the U.S. While Lowe …": a function word after the dot opens a sentence.
                && !words.in_list(j + 1, &lex::FUNCTION_WORDS)
                && ((words.in_list(last, &lex::TITLES) && words.str(last).len() <= 4)
                    // "Ryker Bros. Inc.", "Harlow Co. Ltd.": a company's abbreviated endings.
                    || (words.in_list(last, &lex::ORG_HEADS)
                        && words.in_list(j + 1, &lex::ORG_HEADS))
                    // "Donald J. Trump": a middle initial.
                    || (seq.len() >= 2
                        && words.str(last).chars().count() == 1
                        && words.is_capitalised(last))
                    // "J. J. Price": two initials open the name.
                    || (seq.len() == 1
                        && words.str(last).chars().count() == 1
                        && words.str(j + 1).chars().count() == 1
                        && j + 2 < n
                        && words.str(j + 2) == ".")
                    // "J. Gerald Hebbard": an initial before a first and family name.
                    || (seq.len() == 1
                        && words.str(last).chars().count() == 1
                        && words.is_capitalised(last)
                        && j + 2 < n
                        && cap(j + 2)
                        && words.tokens[j + 2].paragraph == tok.paragraph
                        && !(words.in_list(j + 1, &lex::FUNCTION_WORDS) || cues::is_calendar_token(words, j + 1))))
            {
                j += 1;
                continue;
            }
            if cap(j) && last_poss {
                // "Iran’s President …", "Prime Minister’s Office": go on only into titles/orgs.
                let s = words.str(j);
                let mut k = j;
                let mut org_ahead = false;
                while k < n && cap(k) && k < j + 6 {
                    org_ahead |= words.in_list(k, &lex::ORG_HEADS);
                    k += 1;
                }
                if cues::is_title_word(s) || org_ahead {
                    seq.push(j);
                    j += 1;
                    continue;
                }
                break;
            }
            let w = words.str(j);
            let particle =
                cues::is_name_particle(w) || w.starts_with("al-") || w.starts_with("el-");
            if !last_poss && j + 1 < n && cap(j + 1) {
                if particle && w.contains('-') {
                    seq.push(j);
                    j += 1;
                    continue;
                }
                // "Harlow Fire and Rescue", "Parks and Recreation": one service's name.
                let service_and = matches!(w, "and" | "&")
                    && (cues::is_department_word(words.str(last))
                        || cues::is_department_word(words.str(j + 1)));
                if particle || (has_org && cues::is_org_connector(w)) || service_and {
                    seq.push(j);
                    seq.push(j + 1);
                    j += 2;
                    continue;
                }
                if has_org && w == "the" {
                    seq.push(j);
                    j += 1;
                    continue;
                }
            }
            if particle && w.contains('-') && w.len() > 3 && !last_poss {
                // "al-Sudani" ends a name.
                seq.push(j);
                j += 1;
            }
            break;
        }
        i = j;
        raw.push(seq);
    }
    raw
}

/// Whether lower-case role words ending in an occupation, then a capitalised word, start at
/// token `k`: after "Newly confirmed" in "Newly confirmed harbour master Tilde Brenn called …"
/// the participle describes the name that follows ("Newly" is no speaker of "confirmed").
fn describes_a_name(words: &Words, k: usize) -> bool {
    let n = words.tokens.len();
    let mut e = k;
    while e < n && e < k + 4 && words.is_word(e) && !words.is_capitalised(e) {
        e += 1;
    }
    e > k
        && e < n
        && words.is_capitalised(e)
        && words.tokens[e].quote.is_none()
        && cues::is_occupation(words.str(e - 1))
}

/// The runs without the sentence-initial capitals that are no names ("Analysts say", "Those
/// talks"): a word at a sentence start stays only if the document writes it as a name elsewhere,
/// it begins a longer name, or a speech verb follows it ("Vale said").
fn without_initial_capitals(words: &Words, raw: Vec<Vec<usize>>) -> Vec<Vec<usize>> {
    // Words known as names: capitalised away from a sentence start, or inside a longer name.
    let mut known: FnvSet<&str> = FnvSet::default();
    for seq in &raw {
        for (k, &t) in seq.iter().enumerate() {
            if k > 0 || !words.is_sentence_initial(t) {
                known.insert(words.str(t));
            }
        }
    }
    let mut out = Vec::new();
    for mut seq in raw {
        // "U.S. While Clinton", "… If Obama": a subordinator or conjunction opens no name.
        while seq.first().is_some_and(|&t| {
            let l = words.lower(t);
            cues::is_subordinator(&l) || matches!(l.as_ref(), "and" | "but" | "or")
        }) {
            seq.remove(0);
        }
        while let Some(&first) = seq.first() {
            if !words.is_sentence_initial(first) {
                break;
            }
            let s = words.str(first);
            let next_cap = seq.len() > 1;
            // "Vale said …" names a speaker; "Analysts say …", "Officials said …" do not.
            let next_is_verb = words.tokens.get(first + 1).is_some_and(|_| {
                let v = words.str(first + 1);
                cues::speech_verb(v).is_some_and(|b| !cues::is_stance(b))
                    && v.ends_with(['s', 'd'])
                    && !v.ends_with("ss")
                    && (!s.ends_with('s') || !v.ends_with('d'))
            }) && (!s.ends_with('s') || words.str(first + 1).ends_with('s'))
                && !describes_a_name(words, first + 2);
            // "Said Dora Poynter, who …, “…”": an inverted cue opens the sentence (unless the
            // document writes "Said" as a name elsewhere).
            let inverted_cue =
                next_cap && cues::inflected_speech_verb(s).is_some() && !known.contains(s);
            let keep = !inverted_cue
                && !cues::is_common_capitalised(s)
                && !matches!(
                    s,
                    "Everyone" | "Nobody" | "Somebody" | "Everybody" | "Today" | "Yesterday"
                )
                && (known.contains(s)
                    || {
                        // "Brenland's …" (not a plural "Hauliers' …") at a sentence start.
                        let after = &words.text[words.tokens[first].span.end..];
                        after.starts_with("'s") || after.starts_with("\u{2019}s")
                    }
                    || (next_cap
                        && (cues::is_title_word(s) || cues::is_demonym(s) || !s.ends_with("ing")))
                    || next_is_verb);
            if keep {
                break;
            }
            seq.remove(0);
        }
        // Trailing connectors never end a name.
        while seq.last().is_some_and(|&t| !words.is_capitalised(t)) {
            seq.pop();
        }
        if !seq.is_empty() {
            out.push(seq);
        }
    }
    out
}
