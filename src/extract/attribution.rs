//! Attribution: who each quoted span is attributed to, and whether it is speech at all.
//!
//! For every quote, in text order, the first rule that applies decides (docs/attribution.md
//! states them for users):
//! 1. a cue right after the closing mark: `“Q,” X said`, `“Q,” said X`; or a signature, a dash
//!    and a name with nothing but an affiliation after it (`“Q” — X, council planner`, also on
//!    the line under a block quote);
//! 2. the nearest speech verb before the quote in its sentence, with its subject: `X said that
//!    … “Q”`, `X described it as “Q”`, `Missile capabilities, he has said, are “Q”`, participle
//!    clauses (`…, calling it a “Q”`) take the sentence subject;
//! 3. a colon lead-in: `Araghchi: “Q”`, `he issued a warning: “Q”`;
//! 4. `according to X` in the sentence;
//! 5. another quote of the same sentence that has a speaker;
//! 6. inheritance: the previous quote of the same paragraph, or — for a paragraph that is only a
//!    quote — the previous paragraph's last quote or its colon lead-in; never a bare name from
//!    another paragraph;
//! 7. multi-paragraph parts share the speaker of the whole.
//!
//! Between rules 4 and 5 the mention rule runs: a span after a naming word ("dubbed",
//! "so-called", "the show"), a short title-case span not joined to its cue by punctuation, or a
//! short span with no cue inside a sentence is a mention, has no speaker and passes none on.
//!
//! Cues are looked for within a bounded window of the quote, so the cost stays linear in the
//! document's length even for run-on text (it runs on every keystroke in the server).
//!
//! Depends on [`super::words`] and [`super::names`]; no file system, no LSP types.

use super::cues;
use super::marks::MarkedSpan;
use super::names::{NameTable, Via};
use super::words::Words;
use crate::document::{Attribution, NameKind, Quote, QuoteKind, Resolution, Span};

/// Turns marked spans into quotes with speakers.
pub fn attribute(words: &Words, spans: &[MarkedSpan], names: &NameTable) -> Vec<Quote> {
    let mut quotes: Vec<Quote> = spans
        .iter()
        .map(|m| Quote {
            span: m.span,
            open: m.open,
            close: m.close,
            kind: QuoteKind::Speech,
            attribution: None,
            continues: m.continues,
        })
        .collect();
    let reader = Reader {
        words,
        names,
        spans,
    };
    // How each attribution was found: cues attached to the quote keep a title-case span speech.
    let mut attached = vec![false; quotes.len()];
    for qi in 0..quotes.len() {
        if let Some(a) = reader.forward_cue(qi) {
            attached[qi] = true;
            quotes[qi].attribution = Some(a);
        } else if let Some(a) = reader.signature(qi) {
            attached[qi] = true;
            quotes[qi].attribution = Some(a);
        } else if let Some(a) = reader.backward_cue(qi) {
            quotes[qi].attribution = Some(a);
        } else if let Some(a) = reader.colon_lead_in(qi) {
            attached[qi] = true;
            quotes[qi].attribution = Some(a);
        } else if let Some(a) = reader.according_to(qi) {
            quotes[qi].attribution = Some(a);
        }
    }
    // Mentions before inheritance: a title or nickname passes no speaker on.
    for (qi, q) in quotes.iter_mut().enumerate() {
        if q.continues.is_none() && reader.is_mention(qi, q.attribution.is_some(), attached[qi]) {
            q.kind = QuoteKind::Mention;
            q.attribution = None;
        }
    }
    // Quotes of one sentence share a speaker.
    for qi in 0..quotes.len() {
        if quotes[qi].attribution.is_some() || quotes[qi].kind == QuoteKind::Mention {
            continue;
        }
        let Some(s) = reader.sentence_of_quote(qi) else {
            continue;
        };
        // Quotes are in text order: look at the neighbours in the same sentence only.
        let before = (0..qi)
            .rev()
            .take(8)
            .take_while(|&o| reader.sentence_of_quote(o) == Some(s));
        let after = (qi + 1..quotes.len())
            .take(8)
            .take_while(|&o| reader.sentence_of_quote(o) == Some(s));
        let donor = before
            .chain(after)
            .filter(|&o| quotes[o].kind == QuoteKind::Speech)
            .find_map(|o| quotes[o].attribution.clone());
        quotes[qi].attribution = donor;
    }
    // Inheritance and multi-paragraph parts, in text order.
    for qi in 0..quotes.len() {
        if let Some(first) = quotes[qi].continues {
            // The whole quote's speaker wins over a part's own cue.
            if let Some(a) = quotes.get(first).and_then(|q| q.attribution.clone()) {
                quotes[qi].attribution = Some(inherited(a));
            }
            quotes[qi].kind = QuoteKind::Speech;
            continue;
        }
        if quotes[qi].attribution.is_some() || quotes[qi].kind == QuoteKind::Mention {
            continue;
        }
        quotes[qi].attribution = reader.inherit(qi, &quotes);
    }
    // A later part's cue reaches back to a multi-paragraph quote's first part.
    for qi in 0..quotes.len() {
        if let Some(first) = quotes[qi].continues
            && quotes.get(first).is_some_and(|q| q.attribution.is_none())
            && let Some(a) = quotes[qi].attribution.clone()
        {
            // The parts follow their first part directly.
            for (k, q) in quotes
                .iter_mut()
                .enumerate()
                .skip(first + 1)
                .take_while(|(_, q)| q.continues == Some(first))
            {
                if k != qi {
                    q.attribution = Some(inherited(a.clone()));
                }
            }
            quotes[first].attribution = Some(inherited(a));
        }
    }
    quotes
}

/// How far (in tokens) from a quote a cue is looked for.
const CUE_WINDOW: usize = 80;

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn inherited(mut a: Attribution) -> Attribution {
    a.resolution = Resolution::Inherited;
    a.name_span = None;
    a
}

/// A speaker found at a place in the text, before it becomes an [`Attribution`].
struct Found {
    speaker: String,
    affiliation: Option<String>,
    name_span: Span,
    resolution: Resolution,
}

/// What stands before a verb: a speaker, a common noun (no named speaker), or nothing usable.
enum SubjectAt {
    Speaker(Found),
    Sentence,
    Unnamed,
}

struct Reader<'a, 't> {
    words: &'a Words<'t>,
    names: &'a NameTable,
    spans: &'a [MarkedSpan],
}

impl Reader<'_, '_> {
    /// The last token of the quoted words (marks excluded), as text.
    fn last_inner(&self, qi: usize) -> &str {
        let Some(m) = self.spans.get(qi) else {
            return "";
        };
        let toks = &self.words.tokens;
        let end = toks.partition_point(|t| t.span.start < m.span.end);
        if end == 0 || toks[end - 1].span.start < m.span.start {
            return "";
        }
        self.str(end - 1)
    }

    fn str(&self, i: usize) -> &str {
        self.words.str(i)
    }

    fn quote_range(&self, qi: usize) -> Option<(usize, usize)> {
        let r = *self.words.quote_tokens.get(qi)?;
        (r.0 < r.1).then_some(r)
    }

    fn sentence_of_quote(&self, qi: usize) -> Option<usize> {
        let (first, _) = self.quote_range(qi)?;
        Some(self.words.tokens[first].sentence)
    }

    fn outside(&self, i: usize) -> bool {
        self.words.tokens[i].quote.is_none()
    }

    fn found_for_entity(&self, e: usize, span: Span, via: Via, title: Option<Span>) -> Found {
        let described = self
            .names
            .mention_at(
                self.words
                    .tokens
                    .partition_point(|t| t.span.start < span.start),
            )
            .filter(|m| m.entity == e && m.title.is_none())
            .and_then(|m| m.described_as);
        let ent = self.names.entity(e);
        let affiliation = title
            .or(described)
            .map(|t| {
                t.of(self.words.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .or_else(|| ent.titles.first().cloned());
        Found {
            speaker: ent.name.clone(),
            affiliation,
            name_span: span,
            resolution: match via {
                Via::Name => Resolution::Name,
                Via::Pronoun => Resolution::Pronoun,
                Via::Title => Resolution::Title,
            },
        }
    }

    /// The speaker whose reference ends at token `t` (scanning backward), if any.
    fn speaker_ending_at(&self, t: usize) -> Option<Found> {
        let w = self.words;
        let mut t = t;
        // "the Prime Minister’s Office (PMO) announced": step over a parenthesis.
        if self.str(t) == ")" && t >= 2 && self.str(t - 2) == "(" {
            t -= 3;
        }
        if let Some(m) = self.names.mention_at(t)
            && m.last_tok == t
            && !m.quoted
        {
            let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
            return Some(self.found_for_entity(m.entity, span, Via::Name, m.title));
        }
        // "Feld's answer was blunt: “…”": what a person said is theirs.
        if t > 0
            && w.is_word(t)
            && cues::is_utterance_noun(self.str(t))
            && let Some(m) = self.names.mention_at(t - 1)
            && m.possessive
            && m.last_tok == t - 1
            && !m.quoted
            && self.names.entity(m.entity).kind == NameKind::Person
        {
            let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
            return Some(self.found_for_entity(m.entity, span, Via::Name, m.title));
        }
        // "Netanyahu’s office", "Brenland's foreign ministry": the body speaks for its owner.
        if w.is_word(t) && cues::is_speaking_body(self.str(t)) {
            let mut p = t;
            while p > 0
                && t - p < 3
                && self.names.mention_at(p - 1).is_none()
                && w.is_word(p - 1)
                && !w.is_capitalised(p - 1)
                && !w.tokens[p - 1].possessive
            {
                p -= 1;
            }
            if p > 0
                && let Some(m) = self.names.mention_at(p - 1)
                && m.possessive
                && m.last_tok == p - 1
                && !m.quoted
            {
                let ent = self.names.entity(m.entity);
                let owner_end = w.tokens[p].span.start;
                let suffix = w.text[m.span.end..owner_end].trim();
                let body = Span::new(w.tokens[p].span.start, w.tokens[t].span.end);
                return Some(Found {
                    speaker: format!("{}{} {}", ent.name, suffix, one_line(body.of(w.text))),
                    affiliation: None,
                    name_span: Span::new(w.tokens[m.first_tok].span.start, w.tokens[t].span.end),
                    resolution: Resolution::Name,
                });
            }
        }
        if let Some((first, e)) = self.names.role_at(t) {
            let span = Span::new(w.tokens[first].span.start, w.tokens[t].span.end);
            let mut f = self.found_for_entity(e, span, Via::Title, None);
            f.affiliation = Some(
                span.of(w.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            return Some(f);
        }
        if matches!(w.lower(t).as_ref(), "he" | "she" | "they")
            && let Some(e) = self.names.pronoun_at(t)
        {
            return Some(self.found_for_entity(e, w.tokens[t].span, Via::Pronoun, None));
        }
        None
    }

    /// The speaker whose reference starts at token `t` (after an inverted verb: "said X").
    fn speaker_starting_at(&self, t: usize) -> Option<Found> {
        let w = self.words;
        if t >= w.tokens.len() || !self.outside(t) {
            return None;
        }
        if let Some(m) = self.names.mention_at(t)
            && m.first_tok == t
        {
            // "said Smith's lawyer, Jane Doe": the lawyer speaks, not Smith.
            if m.possessive
                && let Some(found) = self.role_then_name(m.last_tok + 1)
            {
                return Some(found);
            }
            if m.possessive
                && let Some(found) = self.speaker_phrase_at(m.last_tok + 1).map(|f| f.0)
            {
                return Some(found);
            }
            if let Some(found) = self.speaker_ending_at(m.last_tok + 1)
                && m.possessive
            {
                return Some(found);
            }
            if m.possessive {
                return None;
            }
            return self.speaker_ending_at(m.last_tok);
        }
        // "said the mayor, Ilse Varga": a role in apposition to the name.
        if let Some(found) = self.role_then_name(t) {
            return Some(found);
        }
        // "said board chair Harriet Quayle"
        if let Some((found, _)) = self.speaker_phrase_at(t) {
            return Some(found);
        }
        // "said the mayor", "said Iran’s foreign minister"
        for k in t..(t + 5).min(w.tokens.len()) {
            if let Some((first, _)) = self.names.role_at(k)
                && first == t
            {
                return self.speaker_ending_at(k);
            }
        }
        if matches!(w.lower(t).as_ref(), "he" | "she" | "they") {
            return self.speaker_ending_at(t);
        }
        self.age_reference(t).map(|f| f.0)
    }

    /// "the mayor, Ilse Varga": lower-case role words, a comma, then a name. The role becomes
    /// the affiliation.
    fn role_then_name(&self, t: usize) -> Option<Found> {
        let w = self.words;
        let mut k = t;
        while k < w.tokens.len()
            && k < t + 5
            && self.outside(k)
            && w.is_word(k)
            && !w.is_capitalised(k)
            && cues::speech_verb(self.str(k)).is_none()
            && !cues::is_preposition(self.str(k))
        {
            k += 1;
        }
        if k == t
            || k + 1 >= w.tokens.len()
            || self.str(k) != ","
            || !cues::is_occupation(self.str(k - 1))
        {
            return None;
        }
        let m = self
            .names
            .mention_at(k + 1)
            .filter(|m| m.first_tok == k + 1 && !m.quoted)?;
        let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
        let mut found = self.found_for_entity(m.entity, span, Via::Name, m.title);
        if m.title.is_none() {
            let role = Span::new(w.tokens[t].span.start, w.tokens[k - 1].span.end);
            found.affiliation = Some(
                role.of(w.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        Some(found)
    }

    /// The sentence subject, when it stands before token `before`.
    fn sentence_subject(&self, sentence: usize, before: usize) -> Option<Found> {
        let s = self.names.subject(sentence)?;
        if s.last_tok >= before {
            return None;
        }
        let w = self.words;
        let span = Span::new(
            w.tokens[s.first_tok].span.start,
            w.tokens[s.last_tok].span.end,
        );
        let mut f = self.speaker_ending_at(s.last_tok)?;
        f.name_span = span;
        Some(f)
    }

    /// What stands before the verb at `v` as its subject.
    fn subject_of_verb(&self, v: usize) -> SubjectAt {
        let w = self.words;
        let sentence = w.tokens[v].sentence;
        let first = w.sentences[sentence]
            .first
            .max(v.saturating_sub(CUE_WINDOW));
        let verb = self.str(v);
        let mut u = v;
        // Skip auxiliaries and adverbs ("has repeatedly", "on Sunday").
        while u > first {
            let p = u - 1;
            if !self.outside(p) {
                break;
            }
            let s = self.str(p);
            if w.is_word(p) && (cues::is_aux_or_adverb(s) || cues::is_calendar_word(s)) {
                // Do not skip a pronoun or a name standing as subject.
                if self.speaker_ending_at(p).is_some() {
                    break;
                }
                u = p;
                continue;
            }
            break;
        }
        if u == first {
            return SubjectAt::Unnamed;
        }
        let p = u - 1;
        let ps = self.str(p).to_lowercase();
        let participle = cues::is_participle(verb);
        if participle
            && (ps == ","
                || matches!(
                    ps.as_str(),
                    "while"
                        | "when"
                        | "after"
                        | "before"
                        | "by"
                        | "as"
                        | "in"
                        | "and"
                        | "but"
                        | "—"
                        | "–"
                        | "-"
                        | "also"
                ))
        {
            return SubjectAt::Sentence;
        }
        if matches!(ps.as_str(), "and" | "but" | "or" | "then" | "," | "—" | "–") {
            return SubjectAt::Sentence;
        }
        if !self.outside(p) {
            // `X, calling it “Q,” acknowledged “R”`: the verb after a quote has the sentence
            // subject (`“Q,” said X` is the forward cue's business).
            return SubjectAt::Sentence;
        }
        if ps == "who"
            && p >= 2
            && self.str(p - 1) == ","
            && let Some(f) = self.speaker_ending_at(p - 2)
        {
            return SubjectAt::Speaker(f);
        }
        match self.speaker_ending_at(p) {
            Some(f) => SubjectAt::Speaker(self.joint_speakers(p, f)),
            None => SubjectAt::Unnamed,
        }
    }

    /// "Brandt and Nyman said": both speak. `f` was found ending at token `p`.
    fn joint_speakers(&self, p: usize, f: Found) -> Found {
        let w = self.words;
        let Some(m) = self.names.mention_at(p).filter(|m| m.last_tok == p) else {
            return f;
        };
        let and = m.first_tok;
        if and < 2 || w.lower(and - 1) != "and" {
            return f;
        }
        let Some(other) = self
            .names
            .mention_at(and - 2)
            .filter(|o| o.last_tok == and - 2 && !o.quoted && !o.possessive)
        else {
            return f;
        };
        let first = self.names.entity(other.entity).name.clone();
        if first == f.speaker {
            return f;
        }
        Found {
            speaker: format!("{first} and {}", f.speaker),
            affiliation: None,
            name_span: Span::new(w.tokens[other.first_tok].span.start, f.name_span.end),
            resolution: f.resolution,
        }
    }

    /// The cue words: the verb, with the outlet or platform that follows it.
    fn cue_text(&self, v: usize) -> String {
        let w = self.words;
        let verb = self.str(v).to_string();
        let base = cues::speech_verb(&verb);
        let mut k = v + 1;
        let article = usize::from(k < w.tokens.len() && w.lower(k) == "the");
        if base == Some("tell")
            && let Some(m) = self
                .names
                .mention_at(k + article)
                .filter(|m| m.first_tok == k + article)
        {
            let outlet = Span::new(w.tokens[k].span.start, m.span.end);
            return format!(
                "{verb} {}",
                outlet
                    .of(w.text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
        // "wrote on X", "said in a post on X"
        while k < w.tokens.len() && k < v + 6 && self.outside(k) && w.is_word(k) {
            let l = w.lower(k);
            if (l == "on" || l == "to") && k + 1 < w.tokens.len() {
                if let Some(m) = self
                    .names
                    .mention_at(k + 1)
                    .filter(|m| m.first_tok == k + 1)
                {
                    return format!("{verb} {l} {}", m.span.of(w.text));
                }
                if k + 1 < w.tokens.len()
                    && w.is_capitalised(k + 1)
                    && self.str(k + 1).len() <= 12
                    && !cues::is_calendar_word(self.str(k + 1))
                {
                    return format!("{verb} {l} {}", self.str(k + 1));
                }
            }
            if !matches!(
                l.as_ref(),
                "in" | "a" | "an" | "the" | "post" | "statement" | "message"
            ) {
                break;
            }
            k += 1;
        }
        verb
    }

    fn attribution(&self, f: Found, cue: String) -> Attribution {
        Attribution {
            speaker: f.speaker,
            affiliation: f.affiliation,
            cue,
            name_span: Some(f.name_span),
            resolution: f.resolution,
        }
    }

    /// Rule 1: `“Q,” X said`, `“Q,” said X`, `“Q,” X, a <title>, said`.
    fn forward_cue(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, qe) = self.quote_range(qi)?;
        let para = w.tokens[qs].paragraph;
        let n = w.tokens.len();
        let mut c = qe;
        let inner_last = self.last_inner(qi);
        let mut attached = matches!(inner_last, "," | "?" | "!" | "—" | "–");
        while c < n && matches!(self.str(c), "," | "—" | "–") {
            attached = true;
            c += 1;
        }
        if c >= n || w.tokens[c].paragraph != para || !self.outside(c) {
            return None;
        }
        let sentence_end = inner_last == ".";
        // Pattern: verb then speaker.
        if let Some(_base) = cues::speech_verb(self.str(c))
            .filter(|_| w.is_word(c) && !cues::is_participle(self.str(c)))
        {
            if let Some(mut f) = self.speaker_starting_at(c + 1)
                && (attached || self.cue_clause_ends(c))
            {
                if f.affiliation.is_none() {
                    f.affiliation = self.trailing_apposition(f.name_span);
                }
                return Some(self.attribution(f, self.cue_text(c)));
            }
            return None;
        }
        // Pattern: speaker then verb.
        let (found, after) = self.speaker_phrase_at(c)?;
        let mut v = after;
        // An apposition: "X, a foreign policy analyst, said".
        if v < n && self.str(v) == "," {
            let mut k = v + 1;
            while k < n && k < v + 25 && self.str(k) != "," && w.tokens[k].paragraph == para {
                k += 1;
            }
            if k < n && self.str(k) == "," {
                v = k + 1;
            }
        }
        while v < n
            && w.is_word(v)
            && cues::is_aux_or_adverb(self.str(v))
            && cues::speech_verb(self.str(v)).is_none()
        {
            v += 1;
        }
        if v < n
            && w.is_word(v)
            && cues::speech_verb(self.str(v)).is_some()
            && (attached || !sentence_end || self.cue_clause_ends(v))
        {
            return Some(self.attribution(found, self.cue_text(v)));
        }
        None
    }

    /// Rule 1b, a signature: `“Q” — Oskar Feld, council planner`, or a block quote signed on
    /// its own line below (`> — Leontine Markham, astronomer`). A dash, a name, then nothing but
    /// an affiliation to the paragraph's end.
    fn signature(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (_, qe) = self.quote_range(qi)?;
        let n = w.tokens.len();
        let quote_para = w.tokens[qe - 1].paragraph;
        let is_block_marker = |k: usize| self.str(k) == ">";
        let mut c = qe;
        while c < n && (is_block_marker(c) || matches!(self.str(c), "." | ",")) {
            c += 1;
        }
        if c >= n || !matches!(self.str(c), "—" | "–" | "―" | "--") || !self.outside(c) {
            return None;
        }
        let para = w.tokens[c].paragraph;
        // On the quote's line, or opening a paragraph right after the quote (a block quote's
        // blank `>` line may stand between).
        if para > quote_para + 2 {
            return None;
        }
        let m = self
            .names
            .mention_at(c + 1)
            .filter(|m| m.first_tok == c + 1 && !m.quoted)?;
        let para_end = w.paragraph_tokens.get(para).map_or(n, |p| p.1);
        let after = m.last_tok + 1;
        if after < para_end && self.str(after) != "," {
            return None;
        }
        let span = Span::new(w.tokens[m.first_tok].span.start, m.span.end);
        let mut f = self.found_for_entity(m.entity, span, Via::Name, m.title);
        if after + 1 < para_end {
            let role = Span::new(
                w.tokens[after + 1].span.start,
                w.tokens[para_end - 1].span.end,
            );
            let text = one_line(role.of(w.text));
            let text = text.trim_end_matches(['.', ' ']);
            if !text.is_empty() {
                f.affiliation = Some(text.to_string());
            }
        }
        Some(self.attribution(f, "—".into()))
    }

    /// "said Rita Dahl, 52, a forklift driver": the apposition after an inverted speaker (ages
    /// skipped).
    fn trailing_apposition(&self, name: Span) -> Option<String> {
        let w = self.words;
        let mut k = w.tokens.partition_point(|t| t.span.start < name.end);
        let sentence_end = w.sentences.get(w.tokens.get(k)?.sentence)?.end;
        loop {
            if k >= sentence_end || self.str(k) != "," {
                return None;
            }
            let start = k + 1;
            let mut end = start;
            while end < sentence_end
                && !matches!(self.str(end), "," | "." | ";" | "!" | "?")
                && self.outside(end)
            {
                end += 1;
            }
            if end == start {
                return None;
            }
            let span = Span::new(w.tokens[start].span.start, w.tokens[end - 1].span.end);
            let text = one_line(span.of(w.text));
            if !text.chars().all(|c| c.is_ascii_digit()) {
                let opener = w.lower(start);
                let nominal = matches!(
                    opener.as_ref(),
                    "a" | "an" | "the" | "who" | "its" | "their" | "his" | "her"
                ) || cues::is_occupation(self.str(start));
                return nominal.then_some(text);
            }
            k = end;
        }
    }

    /// A speaker phrase starting at token `c`: the speaker and the token after the phrase.
    fn speaker_phrase_at(&self, c: usize) -> Option<(Found, usize)> {
        let w = self.words;
        // "ferry operator Lukas Brenner said": step over a lower-case role to its name (not over
        // "while opposition leader X": a conjunction starts another clause).
        // "Falcons coach Marta Lindqvist said": a team or organisation name before the role
        // belongs to the role, not to the speaker.
        let role_start = match self.names.mention_at(c) {
            Some(m) if m.first_tok == c && !m.possessive && !m.quoted => m.last_tok + 1,
            _ => c,
        };
        // "said union steward Tomas Riedel": the verb came first.
        let inverted = c > 0
            && w.is_word(c - 1)
            && self.outside(c - 1)
            && cues::speech_verb(self.str(c - 1))
                .is_some_and(|_| !cues::is_participle(self.str(c - 1)));
        let mut k = role_start;
        while k < w.tokens.len()
            && k < role_start + 4
            && self.outside(k)
            && w.is_word(k)
            && !w.is_capitalised(k)
            && self.names.role_at(k).is_none()
            && self.names.pronoun_at(k).is_none()
            && super::names::is_role_noun(self.str(k))
        {
            k += 1;
        }
        if k > role_start
            && let Some(m) = self
                .names
                .mention_at(k)
                .filter(|m| m.first_tok == k && !m.quoted)
            // The role must end in an occupation ("ferry operator"), or the name must be the
            // subject of a speech verb right after it ("union steward Tomas Riedel said"):
            // either way the lower-case words describe the speaker.
            && (cues::is_occupation(self.str(k - 1))
                || self.speech_verb_follows(m.last_tok + 1)
                || inverted)
            && (role_start == c || self.speech_verb_follows(m.last_tok + 1) || inverted)
        {
            return self.speaker_phrase_at(k);
        }
        if let Some(m) = self.names.mention_at(c).filter(|m| m.first_tok == c) {
            let last = m.last_tok;
            if m.possessive
                && last + 1 < w.tokens.len()
                && cues::is_speaking_body(self.str(last + 1))
            {
                return Some((self.speaker_ending_at(last + 1)?, last + 2));
            }
            return Some((self.speaker_ending_at(last)?, last + 1));
        }
        for k in c..(c + 5).min(w.tokens.len()) {
            if let Some((first, _)) = self.names.role_at(k)
                && first == c
            {
                return Some((self.speaker_ending_at(k)?, k + 1));
            }
        }
        if matches!(w.lower(c).as_ref(), "he" | "she" | "they") {
            return Some((self.speaker_ending_at(c)?, c + 1));
        }
        self.age_reference(c)
    }

    /// "the 52-year-old (fisherman)" at token `c`: the person the age stands for, and the token
    /// after the phrase.
    fn age_reference(&self, c: usize) -> Option<(Found, usize)> {
        let w = self.words;
        if c + 1 >= w.tokens.len()
            || w.lower(c) != "the"
            || !super::names::is_age_word(&w.lower(c + 1))
            || !self.outside(c + 1)
        {
            return None;
        }
        let e = self.names.pronoun_at(c + 1)?;
        let mut after = c + 2;
        if after < w.tokens.len()
            && w.is_word(after)
            && !w.is_capitalised(after)
            && cues::is_occupation(self.str(after))
        {
            after += 1;
        }
        let span = Span::new(w.tokens[c].span.start, w.tokens[after - 1].span.end);
        Some((self.found_for_entity(e, span, Via::Pronoun, None), after))
    }

    /// Whether a speech verb stands at token `t`, after any auxiliaries or adverbs ("said",
    /// "has said", "later told").
    fn speech_verb_follows(&self, t: usize) -> bool {
        let w = self.words;
        let mut v = t;
        while v < w.tokens.len()
            && v < t + 3
            && w.is_word(v)
            && cues::is_aux_or_adverb(self.str(v))
            && cues::speech_verb(self.str(v)).is_none()
        {
            v += 1;
        }
        v < w.tokens.len()
            && w.is_word(v)
            && self.outside(v)
            && cues::speech_verb(self.str(v)).is_some()
            && !cues::is_participle(self.str(v))
    }

    /// Whether the clause ends right after the verb at `v` (a cue clause of its own, as in
    /// `“…” he said.`), allowing an outlet, a platform or a time: `he told the Herald on Friday.`
    fn cue_clause_ends(&self, v: usize) -> bool {
        let w = self.words;
        let para = w.tokens[v].paragraph;
        let mut k = v + 1;
        while k < w.tokens.len() && k < v + 8 && w.tokens[k].paragraph == para {
            let skip = self.names.mention_at(k).is_some()
                || self.names.pronoun_at(k).is_some()
                || (w.is_word(k)
                    && (cues::is_calendar_word(self.str(k))
                        || cues::is_aux_or_adverb(self.str(k))
                        || matches!(
                            w.lower(k).as_ref(),
                            "to" | "the"
                                | "a"
                                | "reporters"
                                | "journalists"
                                | "afterwards"
                                | "statement"
                                | "post"
                                | "interview"
                                | "at"
                                | "of"
                        )));
            if !skip {
                break;
            }
            k += 1;
        }
        k >= w.tokens.len()
            || w.tokens[k].paragraph != para
            || matches!(self.str(k), "." | "!" | "?" | "," | ";")
    }

    /// Rule 2: the nearest speech verb before the quote in its sentence, with its subject.
    fn backward_cue(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        let sentence = w.tokens[qs].sentence;
        // Cues stand near their quote: a bounded window keeps run-on text linear.
        let first = w.sentences[sentence]
            .first
            .max(qs.saturating_sub(CUE_WINDOW));
        let mut noun_cue = None;
        let mut v = qs;
        while v > first {
            v -= 1;
            if !self.outside(v) || !w.is_word(v) {
                continue;
            }
            let word = self.str(v);
            // "as Lund put it, “…”"
            let put_it = w.lower(v) == "put" && v + 1 < qs && w.lower(v + 1) == "it";
            let verb = cues::speech_verb(word).is_some() || put_it;
            // "warning" is a verb in "…, warning that" and a noun in "a stark warning:".
            let verb_position = v > first
                && (self.speaker_ending_at(v - 1).is_some()
                    || matches!(
                        w.lower(v - 1).as_ref(),
                        "," | "while" | "and" | "but" | "after" | "before" | "by" | "when" | "also"
                    ));
            let noun = cues::is_cue_noun(word) && !(verb && verb_position);
            if !verb && !noun {
                continue;
            }
            // Not a noun use: "a post", "the state", "his call".
            if v > first && w.is_word(v - 1) {
                let prev = w.lower(v - 1);
                let determiner = matches!(
                    prev.as_ref(),
                    "a" | "an"
                        | "the"
                        | "this"
                        | "his"
                        | "her"
                        | "its"
                        | "their"
                        | "our"
                        | "my"
                        | "your"
                ) || w.tokens[v - 1].possessive;
                if verb && !noun && determiner {
                    continue;
                }
                // "Olin's remarks": someone else's words, not a cue.
                if noun && w.tokens[v - 1].possessive {
                    continue;
                }
            }
            if noun {
                // "X holds a firm belief that": the subject before the noun phrase, unless a
                // verb further back carries the cue ("X said in a statement that").
                if noun_cue.is_none()
                    && let Some(f) = self.sentence_subject(sentence, v)
                {
                    noun_cue = Some(self.attribution(f, word.to_string()));
                }
                continue;
            }
            match self.subject_of_verb(v) {
                SubjectAt::Speaker(f) => return Some(self.attribution(f, self.cue_text(v))),
                SubjectAt::Sentence => {
                    if let Some(f) = self.sentence_subject(sentence, v) {
                        let mut a = self.attribution(f, self.cue_text(v));
                        if let Some(aff) = self.apposition(sentence, v) {
                            a.affiliation = Some(aff);
                        }
                        return Some(a);
                    }
                }
                SubjectAt::Unnamed => {}
            }
        }
        noun_cue
    }

    /// The apposition between a sentence-initial subject and its verb: "X, co-founder of Y, said".
    fn apposition(&self, sentence: usize, v: usize) -> Option<String> {
        let w = self.words;
        let s = self.names.subject(sentence)?;
        let open = s.last_tok + 1;
        if open >= v || self.str(open) != "," {
            return None;
        }
        let mut close = v;
        while close > open && self.str(close - 1) != "," {
            close -= 1;
        }
        // Nothing between the commas ("X, , said"): no apposition.
        if close <= open + 2 {
            return None;
        }
        let span = Span::new(w.tokens[open + 1].span.start, w.tokens[close - 2].span.end);
        let text = span
            .of(w.text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        // "X, in a post to Y, said": a circumstance, not an affiliation; "X, 54, said": an age.
        let circumstance = cues::is_preposition(self.str(open + 1))
            || text.chars().all(|c| c.is_ascii_digit())
            || matches!(
                w.lower(open + 1).as_ref(),
                "while" | "when" | "after" | "speaking" | "whose" | "which" | "whom"
            );
        (!text.is_empty() && !circumstance && !text.contains('“') && !text.contains('"'))
            .then_some(text)
    }

    /// Rule 3: a colon right before the opening mark.
    fn colon_lead_in(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        if qs == 0 || self.str(qs - 1) != ":" || !self.outside(qs - 1) {
            return None;
        }
        if w.tokens[qs - 1].paragraph != w.tokens[qs].paragraph {
            return None;
        }
        if qs >= 2
            && let Some(f) = self.speaker_ending_at(qs - 2)
        {
            return Some(self.attribution(f, ":".into()));
        }
        if let Some(f) = self.sentence_subject(w.tokens[qs].sentence, qs - 1) {
            return Some(self.attribution(f, ":".into()));
        }
        // "Feld's answer was blunt: “…”": the clause opens with what a person said.
        let first = w.sentences[w.tokens[qs].sentence].first;
        let m = self
            .names
            .mention_at(first)
            .filter(|m| m.first_tok == first && m.possessive && m.last_tok + 1 < qs - 1)?;
        let f = self.speaker_ending_at(m.last_tok + 1)?;
        Some(self.attribution(f, ":".into()))
    }

    /// Rule 4: "according to X" anywhere in the quote's sentence.
    fn according_to(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (qs, _) = self.quote_range(qi)?;
        let s = w.sentences[w.tokens[qs].sentence];
        let from = s.first.max(qs.saturating_sub(CUE_WINDOW));
        let to = s.end.saturating_sub(2).min(qs + CUE_WINDOW);
        for k in from..to {
            if self.outside(k)
                && w.lower(k) == "according"
                && w.lower(k + 1) == "to"
                && let Some((f, _)) = self.speaker_phrase_at(k + 2).or_else(|| {
                    // "according to the Israeli Prime Minister’s Office"
                    (w.lower(k + 2) == "the")
                        .then(|| self.speaker_phrase_at(k + 3))
                        .flatten()
                })
            {
                return Some(self.attribution(f, "according to".into()));
            }
        }
        None
    }

    /// Rule 6: the previous quote of the same paragraph, or the paragraph before a quote-only
    /// paragraph.
    fn inherit(&self, qi: usize, quotes: &[Quote]) -> Option<Attribution> {
        let w = self.words;
        let (qs, qe) = self.quote_range(qi)?;
        let para = w.tokens[qs].paragraph;
        // Same paragraph: the previous speech quote, with no other entity named in between.
        if qi > 0
            && let Some((ps, pe)) = self.quote_range(qi - 1)
            && w.tokens[ps].paragraph == para
            && quotes[qi - 1].kind == QuoteKind::Speech
        {
            let prev = quotes[qi - 1].attribution.clone()?;
            // The previous quote's own cue ("Falcons coach Dana Whitcombe said") names nobody
            // else: its words up to the speaker's name do not count.
            let cue_end = prev
                .name_span
                .filter(|s| s.start >= w.tokens[pe - 1].span.end)
                .map_or(0, |s| s.end);
            let others = (pe..qs).any(|k| {
                self.outside(k)
                    && w.tokens[k].span.start >= cue_end
                    && (self.names.mention_at(k).is_some_and(|m| {
                        let e = self.names.entity(m.entity);
                        e.name != prev.speaker && e.kind == NameKind::Person
                    }) || self
                        .names
                        .pronoun_at(k)
                        .is_some_and(|e| self.names.entity(e).name != prev.speaker))
            });
            if others {
                return None;
            }
            return Some(inherited(prev));
        }
        // A paragraph that is only this quote.
        let (pf, pend) = w.paragraph_tokens[para];
        let only_quote = (pf..pend).all(|k| {
            k >= qs && k < qe
                || (w.tokens[k].kind != crate::extract::words::TokKind::Word && self.outside(k))
        });
        if !only_quote || para == 0 {
            return None;
        }
        let (ppf, ppend) = w.paragraph_tokens[para - 1];
        if ppf == ppend {
            return None;
        }
        // The previous paragraph's last quote.
        if let Some(last) = (0..qi).rev().find(|&o| {
            self.quote_range(o)
                .is_some_and(|(os, _)| w.tokens[os].paragraph == para - 1)
        }) && quotes[last].kind == QuoteKind::Speech
        {
            return quotes[last].attribution.clone().map(inherited);
        }
        // A colon lead-in paragraph: "…, while adding:".
        if self.str(ppend - 1) == ":" {
            let s = w.tokens[ppend - 1].sentence;
            let first = w.sentences[s].first.max(ppend.saturating_sub(CUE_WINDOW));
            let mut v = ppend - 1;
            while v > first {
                v -= 1;
                if !self.outside(v) || !w.is_word(v) || cues::speech_verb(self.str(v)).is_none() {
                    continue;
                }
                match self.subject_of_verb(v) {
                    SubjectAt::Speaker(f) => {
                        return Some(inherited(self.attribution(f, self.cue_text(v))));
                    }
                    SubjectAt::Sentence => {
                        if let Some(f) = self.sentence_subject(s, v) {
                            return Some(inherited(self.attribution(f, self.cue_text(v))));
                        }
                    }
                    SubjectAt::Unnamed => {}
                }
            }
            if let Some(f) = self.sentence_subject(s, ppend - 1) {
                return Some(inherited(self.attribution(f, ":".into())));
            }
        }
        None
    }

    /// Whether a speech verb (in a verb use) stands before token `qs` in its sentence.
    fn cue_verb_before(&self, qs: usize) -> bool {
        let w = self.words;
        let first = w.sentences[w.tokens[qs].sentence]
            .first
            .max(qs.saturating_sub(CUE_WINDOW));
        (first..qs).any(|v| {
            self.outside(v)
                && w.is_word(v)
                && cues::speech_verb(self.str(v)).is_some_and(|b| b != "dub")
                && !(v > first
                    && (matches!(
                        w.lower(v - 1).as_ref(),
                        "a" | "an" | "the" | "his" | "her" | "its" | "their"
                    ) || w.tokens[v - 1].possessive))
        })
    }

    /// The mention rule.
    fn is_mention(&self, qi: usize, attributed: bool, found_attached: bool) -> bool {
        let w = self.words;
        let Some((qs, qe)) = self.quote_range(qi) else {
            return false;
        };
        let inner: Vec<usize> = (qs..qe)
            .filter(|&k| w.is_word(k) && w.tokens[k].quote == Some(qi))
            .collect();
        if inner.is_empty() {
            return false;
        }
        let terminal = matches!(self.last_inner(qi), "." | "!" | "?");
        // Joined to its cue by punctuation: `“…,” X said`, `X: “…”`.
        let next =
            (qe < w.tokens.len() && w.tokens[qe].paragraph == w.tokens[qs].paragraph).then_some(qe);
        let attached = found_attached
            && (matches!(self.last_inner(qi), "," | "?" | "!" | "—" | "–")
                || next.is_some_and(|k| matches!(self.str(k), "," | "—" | "–"))
                || (qs > 0 && self.str(qs - 1) == ":"));
        // `“Squawk Box” host Joe Kern said`: the span modifies the word after it.
        let modifies_next = next.is_some_and(|k| w.is_word(k) && self.outside(k));
        // A naming word right before the opening mark.
        if qs > 0 && self.outside(qs - 1) && w.is_word(qs - 1) {
            let before = w.lower(qs - 1);
            if cues::is_naming_participle(&before) && !attached {
                return true;
            }
            // "dubbed her last interview the “iron hour”": a naming verb a few words back.
            let floor = w.sentences[w.tokens[qs].sentence]
                .first
                .max(qs.saturating_sub(7));
            for k in (floor..qs - 1).rev() {
                if !self.outside(k)
                    || (w.is_word(k) && cues::speech_verb(self.str(k)).is_some_and(|b| b != "dub"))
                {
                    break;
                }
                if w.is_word(k) && cues::is_naming_participle(self.str(k)) && !attached {
                    return true;
                }
            }
            // "the show “…”", "a book “…”": a naming noun right after a determiner.
            if cues::is_mention_marker(&before) && !attached && qs >= 2 && self.outside(qs - 2) {
                let det = qs - 2;
                let l = w.lower(det);
                if matches!(
                    l.as_ref(),
                    "the" | "a" | "an" | "his" | "her" | "its" | "their" | "our" | "this" | "that"
                ) || w.tokens[det].possessive
                {
                    return true;
                }
            }
            if before == "as"
                && qs >= 2
                && matches!(w.lower(qs - 2).as_ref(), "known" | "referred" | "billed")
            {
                return true;
            }
            if before == "called" && qs >= 2 && self.outside(qs - 2) {
                let p = qs - 2;
                let thing = w.is_word(p)
                    && !w.is_capitalised(p)
                    && self.names.pronoun_at(p).is_none()
                    && self.names.role_at(p).is_none()
                    && !matches!(
                        w.lower(p).as_ref(),
                        "he" | "she" | "they" | "also" | "has" | "have" | "had" | "was" | "once"
                    );
                if thing || self.str(p) == "," {
                    return true;
                }
            }
        }
        let mid_sentence = qs > w.sentences[w.tokens[qs].sentence].first
            && self.outside(qs - 1)
            && self.str(qs - 1) != ":";
        // A short title-case span inside a sentence: a work's title or a nickname.
        let title_case = inner.len() <= 6
            && inner.iter().all(|&k| {
                let s = self.str(k);
                w.is_capitalised(k)
                    || cues::is_title_case_filler(s)
                    || s.chars().all(|c| c.is_ascii_digit())
            })
            // "which locals call “the Grey Giant”": an article may open the name.
            && (w.is_capitalised(inner[0])
                || (inner.len() >= 2
                    && matches!(w.lower(inner[0]).as_ref(), "the" | "a" | "an")
                    && w.is_capitalised(inner[1])))
            && self.str(inner[0]) != "I";
        if title_case && !terminal && !attached && (mid_sentence || modifies_next) {
            return true;
        }
        // A short span nobody is said to have said ("Analysts described it as “fragile”" has a
        // cue, only no named speaker: speech).
        !attributed && inner.len() <= 4 && !terminal && mid_sentence && !self.cue_verb_before(qs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::marks::paragraphs;

    fn run(text: &str) -> Vec<(String, Option<String>, String)> {
        let paras = paragraphs(text, 0);
        let spans = crate::extract::marks::scan(text, 0);
        let w = Words::new(text, &paras, &spans);
        let names = NameTable::build(&w);
        attribute(&w, &spans, &names)
            .into_iter()
            .map(|q| {
                (
                    q.span.of(text).to_string(),
                    q.speaker().map(str::to_string),
                    format!("{:?}", q.kind),
                )
            })
            .collect()
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
    fn titles_of_works_are_mentions() {
        let r = run("Lind told the radio show “Morning Tide” that she was pleased.");
        assert_eq!(r[0].2, "Mention");
    }
}
