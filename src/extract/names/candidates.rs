//! Pass 3 of name finding: each capitalised sequence becomes a candidate name — an
//! organisation, a person with the titles written before the name ("Harbour Commissioner Ines
//! Coyle"), or something else (a place, a thing) — or is dropped ("Iranian" alone, "Prime
//! Minister" alone).

use crate::document::NameKind;
use crate::extract::cues;
use crate::extract::lexicon as lex;
use crate::extract::lexicon::FnvSet;
use crate::extract::words::Words;

/// A capitalised sequence read as a name.
pub(super) struct Candidate {
    /// Its tokens, titles included.
    pub toks: Vec<usize>,
    /// How many of the first tokens are titles (or "The" before an organisation).
    pub title_len: usize,
    pub kind: NameKind,
}

/// The candidate names of the sequences, in text order.
pub(super) fn candidates(words: &Words, seqs: Vec<Vec<usize>>) -> Vec<Candidate> {
    let mut out = Vec::new();
    // Last words of longer names: "Pezeshkian" is a name, not a demonym, once the text has
    // said "Masoud Pezeshkian", and "King" a family name once it has said "Bernice King" (not
    // "President" after "Vice President": a title word is a family name only after a word
    // that is no title).
    let surnames: FnvSet<&str> = seqs
        .iter()
        .filter(|q| q.len() >= 2)
        .filter(|q| {
            let before = words.str(q[q.len() - 2]);
            !words.in_list(q[q.len() - 1], &lex::TITLES)
                || !(cues::is_title_word(before) || cues::is_demonym(before))
        })
        .filter_map(|q| q.last().map(|&t| words.str(t)))
        .collect();
    // Words seen inside names (not first): "Engineer" is a name word only if seen there.
    let inner_words: FnvSet<&str> = seqs
        .iter()
        .flat_map(|q| q.iter().skip(1).map(|&t| words.str(t)))
        .collect();
    for mut seq in seqs {
        // "Martin Luther King Jr.": the suffix stays in the name (Donald Trump Jr. is not Donald
        // Trump) but is set aside while the sequence is read, so "King" before it is no title.
        let mut suffix: Vec<usize> = Vec::new();
        while seq.len() > 2 && cues::is_name_suffix(words.str(seq[seq.len() - 1])) {
            suffix.extend(seq.pop());
        }
        suffix.reverse();
        // "The Millbrook school board": no person's name starts with "The".
        if seq.len() > 1
            && words.str(seq[0]) == "The"
            && !seq.iter().any(|&t| words.in_list(t, &lex::ORG_HEADS))
        {
            seq.remove(0);
        }
        // "Seattle-based Corvane", "Oslo-born Ada Lowe": the place modifies the name; what is
        // based somewhere is an organisation.
        // They stay in the mention as a title, so "said Oslo-born Ada Lowe" reads on.
        let mut based = false;
        let mut lead: Vec<usize> = Vec::new();
        while seq.len() > 1 {
            let first = words.str(seq[0]);
            if !(first.ends_with("-based") || first.ends_with("-born")) {
                break;
            }
            based |= first.ends_with("-based");
            lead.push(seq.remove(0));
        }
        let with_lead = |seq: Vec<usize>| -> Vec<usize> {
            lead.iter()
                .copied()
                .chain(seq)
                .chain(suffix.iter().copied())
                .collect()
        };
        let strs: Vec<&str> = seq.iter().map(|&t| words.str(t)).collect();
        // "Seattle-based Corvane" is a company; "Texas-based Matt Mackowiak" a person.
        let based_company =
            based && strs.len() == 1 && !cues::is_demonym(strs[0]) && !cues::is_party_word(strs[0]);
        let org = based_company
            || strs.iter().any(|s| cues::is_org_head(s))
            || (strs.len() == 1
                && strs[0].len() >= 2
                && strs[0].chars().all(|c| c.is_uppercase() || c == '.')
                && !cues::is_demonym(strs[0]));
        // "House Speaker Paul Ryan", "Harlow Board Chairman Ines Coyle": an organisation, a
        // title, then a person's name (one to three words, none a title or an organisation's).
        let person_after_org_title = org
            .then(|| {
                let h = (0..strs.len() - 1).rev().find(|&h| {
                    cues::is_title_word(strs[h])
                        || cues::is_role_head(strs[h])
                        || cues::is_party_word(strs[h])
                        || cues::title_abbreviation(strs[h]).is_some()
                })?;
                let rest = &strs[h + 1..];
                // A middle initial ("Harry M. Reid") is no fourth name word.
                let is_initial = |i: usize, s: &str| {
                    i > 0 && i + 1 < rest.len() && s.len() == 1 && s.chars().all(char::is_uppercase)
                };
                let initials = rest
                    .iter()
                    .enumerate()
                    .filter(|&(i, s)| is_initial(i, s))
                    .count();
                (rest.len() - initials <= 3
                    && strs[..h].iter().any(|s| cues::is_org_head(s))
                    && rest.iter().enumerate().all(|(i, s)| {
                        is_initial(i, s)
                            || (!cues::is_org_head(s)
                                && !cues::is_title_word(s)
                                && !cues::is_thing_word(s)
                                && !cues::is_demonym(s)
                                && !cues::is_party_word(s)
                                && s.chars().next().is_some_and(char::is_uppercase)
                                && s.chars().any(char::is_lowercase))
                    }))
                .then_some(h + 1)
            })
            .flatten();
        if let Some(title_len) = person_after_org_title {
            out.push(Candidate {
                toks: with_lead(seq),
                title_len: title_len + lead.len(),
                kind: NameKind::Person,
            });
            continue;
        }
        if org {
            let skip = usize::from(strs[0] == "The" && strs.len() > 1);
            out.push(Candidate {
                toks: with_lead(seq),
                title_len: skip + lead.len(),
                kind: NameKind::Organisation,
            });
            continue;
        }
        // "Kelby Sen. Ada Lowe", "Ohio Gov. John Kasich", "Independent Vermont Sen. Ines Kjell":
        // a place before a title is part of it. Only before an abbreviated title: "Travis Head
        // Australia's" is a name and a place.
        let place_before_title = |k: usize| {
            // Two words when both are place words: "New Jersey Gov. Chris Christie".
            (1..=2).any(|n| {
                let t = k + n;
                t + 1 < strs.len()
                    && strs[k..t].iter().all(|s| !cues::is_title_word(s))
                    && (n == 1 || strs[k..t].iter().all(|s| cues::is_place_word(s)))
                    && cues::title_abbreviation(strs[t]).is_some()
                    && words.str(seq[t] + 1) == "."
                    && !cues::is_title_word(strs[t + 1])
            })
        };
        let mut k = 0;
        while k + 1 < seq.len()
            && (cues::is_title_word(strs[k])
                || cues::is_demonym(strs[k])
                || cues::is_party_word(strs[k])
                || (words.tokens[seq[k]].possessive && k == 0)
                || place_before_title(k))
        {
            k += 1;
        }
        // "Hydrologist Lene Marsh" at a sentence start: an occupation, then the name.
        if k == 0
            && seq.len() >= 3
            && (words.is_sentence_initial(seq[0]) || !inner_words.contains(strs[0]))
            && cues::is_occupation(strs[0])
        {
            k = 1;
        }
        // "Harbour Commissioner Ines Coyle": everything up to the last role word.
        if let Some(h) = (0..seq.len() - 1)
            .rev()
            .find(|&h| cues::is_role_head(strs[h]))
        {
            k = k.max(h + 1);
        }
        // "Iranian" alone, "Prime Minister" alone: no name. But a title word can be a family
        // name: "Mr. Prince", or "King" where the text also says "Bernice King".
        let after_honorific = k > 0 && cues::is_honorific(strs[k - 1]);
        let not_name = |s: &str| {
            !surnames.contains(s)
                && !after_honorific
                && (cues::is_title_word(s) || cues::is_demonym(s))
        };
        if k + 1 == seq.len() && not_name(strs[k]) {
            continue;
        }
        let rest = &strs[k..];
        let only_demonyms = k > 0 && strs[..k].iter().all(|s| cues::is_demonym(s));
        let after_the = seq[0] > 0 && words.str(seq[0] - 1) == "the";
        // "New Hampshire", "Vermont" after "Independent": a place, whatever stands before it.
        let place = rest.iter().all(|s| cues::is_place_word(s));
        // "Presumptive Democratic", "the Wisconsin Republican": a description, nobody's name
        // (not after a party word that is also a family name: "Benjamin Green").
        let description = rest.len() >= 2 && rest.last().is_some_and(|s| cues::is_party_member(s));
        let kind = if place || description || rest.iter().any(|s| cues::is_thing_word(s)) {
            NameKind::Other
        } else if (only_demonyms && rest.len() == 1) || (after_the && k == 0 && rest.len() >= 2) {
            // "Brenish Rail", "the Kelby Courier": a company or an outlet, not a person.
            k = 0;
            NameKind::Organisation
        } else if k > 0 || rest.len() >= 2 {
            NameKind::Person
        } else {
            NameKind::Other
        };
        out.push(Candidate {
            toks: with_lead(seq),
            title_len: k + lead.len(),
            kind,
        });
    }
    out
}
