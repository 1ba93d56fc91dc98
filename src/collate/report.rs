//! Findings of one story: what each document says differently from the other versions.
//!
//! Builds [`Finding`]s from a [`StoryCollation`]: `quote-differs`, `speaker-differs`,
//! `unattributed-quote`, `quote-unmatched` per quote, and `name-differs` per name mention; then
//! applies the configured severities and suppressions (see `suppress`). Pure; no LSP types.

use super::Status;
use super::align::{Edit, diff, matched_weight};
use super::suppress::Suppressions;
use super::utterance::{Member, Reading, StoryCollation, Utterance, speaker_key};
use crate::config::Config;
use crate::corpus::DocId;
use crate::document::{Document, NameKind, Resolution, Span};
use crate::findings::{Code, Finding, Fix, Related, RelatedList};
use crate::text::collapse_whitespace as one_line;
use crate::text::normalize::word_texts;
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

/// How a version is named in a message: its outlet, else its file name.
pub fn short_label(doc: &Document) -> &str {
    doc.meta.source.as_deref().unwrap_or_else(|| {
        doc.path
            .rsplit(['/', '\\'])
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or(&doc.path)
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The original text of words `range` of a member.
fn words_text<'a>(text: &'a str, spans: &[Span], range: (usize, usize)) -> &'a str {
    if range.0 >= range.1 || range.1 > spans.len() {
        return "";
    }
    text.get(spans[range.0].start..spans[range.1 - 1].end)
        .unwrap_or("")
}

/// Edits from `ours` to `theirs`, without leading or trailing words that only `theirs` has (an
/// excerpt is compared with the part of the reading it covers). When our first word stands more
/// than once in `theirs` ("We are not against it. We are looking at …"), the excerpt is lined up
/// where it differs least.
/// How many places of our first word in a longer reading [`trimmed_diff`] tries.
const MAX_DIFF_STARTS: usize = 16;

fn trimmed_diff(ours: &[String], theirs: &[String]) -> Vec<Edit> {
    let mut best = trim_edges(diff(ours, theirs), ours.len(), theirs.len());
    let Some(first) = ours.first().filter(|_| ours.len() < theirs.len()) else {
        return best;
    };
    let mut best_cost = changed_words(&best);
    // Where our first word stands in theirs, the places where most of our words follow first:
    // a handful is enough, and a common first word in a long reading stays cheap.
    let mut starts: Vec<(usize, usize)> = (1..theirs.len())
        .filter(|&s| &theirs[s] == first)
        .map(|s| {
            let run = ours
                .iter()
                .zip(&theirs[s..])
                .take_while(|(x, y)| x == y)
                .count();
            (run, s)
        })
        .collect();
    starts.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    starts.truncate(MAX_DIFF_STARTS);
    starts.sort_unstable_by_key(|&(_, s)| s);
    for s in starts.into_iter().map(|(_, s)| s) {
        let mut edits = vec![Edit::Change {
            a: (0, 0),
            b: (0, s),
        }];
        for e in diff(ours, &theirs[s..]) {
            match e {
                Edit::Same { a, b, len } => edits.push(Edit::Same { a, b: b + s, len }),
                Edit::Change { a, b } => edits.push(Edit::Change {
                    a,
                    b: (b.0 + s, b.1 + s),
                }),
            }
        }
        let edits = trim_edges(edits, ours.len(), theirs.len());
        let cost = changed_words(&edits);
        if cost < best_cost {
            best = edits;
            best_cost = cost;
        }
    }
    best
}

/// Words changed on either side.
fn changed_words(edits: &[Edit]) -> usize {
    edits
        .iter()
        .map(|e| match e {
            Edit::Change { a, b } => (a.1 - a.0) + (b.1 - b.0),
            Edit::Same { .. } => 0,
        })
        .sum()
}

/// Drops words only `theirs` has at either edge: always for a run of three words or more (the
/// bounds of an excerpt), and for shorter runs when ours is an excerpt (well under the reading's
/// length). A dropped word or two in a near-full quote stays visible.
fn trim_edges(mut edits: Vec<Edit>, ours_len: usize, theirs_len: usize) -> Vec<Edit> {
    let excerpt = ours_len * 5 < theirs_len * 3;
    let edge = |e: &Edit| match e {
        Edit::Change { a, b } if a.0 == a.1 => excerpt || b.1 - b.0 >= 3,
        _ => false,
    };
    if edits.len() > 1 && edits.first().is_some_and(edge) {
        edits.remove(0);
    }
    if edits.len() > 1 && edits.last().is_some_and(edge) {
        edits.pop();
    }
    edits
}

/// The range of `theirs` the edits cover.
fn covered_b(edits: &[Edit], theirs_len: usize) -> (usize, usize) {
    let start = match edits.first() {
        Some(Edit::Same { b, .. }) => *b,
        Some(Edit::Change { b, .. }) => b.0,
        None => 0,
    };
    let end = match edits.last() {
        Some(Edit::Same { b, len, .. }) => b + len,
        Some(Edit::Change { b, .. }) => b.1,
        None => theirs_len,
    };
    (start, end)
}

/// `If [we→they] don’t [get→make] a deal`: our original text with each changed run shown as
/// `[ours→theirs]`.
pub fn render_diff(
    our_text: &str,
    ours: &[Span],
    their_text: &str,
    theirs: &[Span],
    edits: &[Edit],
) -> String {
    let mut out = String::new();
    let mut last_end: Option<usize> = None;
    let gap = |out: &mut String, last_end: Option<usize>, start: usize| {
        if let Some(le) = last_end
            && le <= start
        {
            out.push_str(our_text.get(le..start).unwrap_or(" "));
        } else if last_end.is_none() && !out.is_empty() {
            // After words only theirs has, before our first word: "[→Frankly,] we".
            out.push(' ');
        }
    };
    for e in edits {
        match *e {
            Edit::Same { a, len, .. } => {
                // Words of a token already shown (the "not" of "don't") are not shown twice.
                let Some(k) = (a..a + len).find(|&k| ours[k].start >= last_end.unwrap_or(0)) else {
                    continue;
                };
                gap(&mut out, last_end, ours[k].start);
                out.push_str(words_text(our_text, ours, (k, a + len)));
                last_end = Some(ours[a + len - 1].end);
            }
            Edit::Change { a, b } => {
                let theirs_s = words_text(their_text, theirs, b);
                let a = match (a.0..a.1).find(|&k| ours[k].start >= last_end.unwrap_or(0)) {
                    Some(k) => (k, a.1),
                    None => (a.1, a.1),
                };
                if a.0 < a.1 {
                    gap(&mut out, last_end, ours[a.0].start);
                    out.push('[');
                    out.push_str(words_text(our_text, ours, a));
                    out.push('→');
                    out.push_str(theirs_s);
                    out.push(']');
                    last_end = Some(ours[a.1 - 1].end);
                } else {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str("[→");
                    out.push_str(theirs_s);
                    out.push(']');
                }
            }
        }
    }
    one_line(&out)
}

/// What a reading's replacement for our quote would be: the span of our words and the
/// reading's text over the part our quote covers.
fn replacement(
    our: &Member,
    our_spans: &[Span],
    their: &Member,
    their_doc: &Document,
    facts: &UtteranceFacts,
) -> Option<(Span, String)> {
    let first = our_spans.first()?;
    let last = our_spans.last()?;
    let edits = facts.diff(our.reading, their.reading);
    let their_spans = their.spans(their_doc);
    let range = covered_b(&edits, their_spans.len());
    let text = words_text(&their_doc.text, &their_spans, range);
    (!text.is_empty()).then(|| (Span::new(first.start, last.end), text.to_string()))
}

/// Everything the report needs about the story's documents.
pub struct StoryDocs<'a> {
    pub docs: HashMap<DocId, &'a Document>,
}

impl<'a> StoryDocs<'a> {
    fn get(&self, id: DocId) -> Option<&'a Document> {
        self.docs.get(&id).copied()
    }
}

/// The most other versions' quotes a finding points to.
const MAX_RELATED: usize = 100;

fn quote_related(
    u: &Utterance,
    me: usize,
    facts: &UtteranceFacts,
    docs: &StoryDocs,
) -> RelatedList {
    let (all, at) = facts.related.get_or_init(|| member_locations(u, docs));
    let mut chosen = Vec::new();
    // One location per document and reading, at most MAX_RELATED: a remark a feed repeats a
    // thousand times is not listed a thousand times.
    let mut seen: BTreeSet<(DocId, usize)> = BTreeSet::new();
    for (i, m) in u.members.iter().enumerate() {
        if i == me || !seen.insert((m.doc, m.reading)) {
            continue;
        }
        if chosen.len() == MAX_RELATED {
            break;
        }
        if let Some(location) = at[i] {
            chosen.push(location);
        }
    }
    RelatedList::shared(Arc::clone(all), &chosen)
}

/// An utterance's related locations, and each member's place among them.
type MemberLocations = (Arc<[Related]>, Vec<Option<usize>>);

/// The members of the utterance that are found as related locations, and for each member its
/// place in that list (`None` when its quote is not found): built once per utterance, shared
/// by every finding of the utterance.
fn member_locations(u: &Utterance, docs: &StoryDocs) -> MemberLocations {
    let mut all = Vec::new();
    let at = u
        .members
        .iter()
        .map(|m| {
            let doc = docs.get(m.doc)?;
            let q = doc.quotes.get(m.quote)?;
            let role = if u.canonical == Some(m.reading) {
                "canonical reading"
            } else {
                match m.status {
                    Status::Agrees => "agrees",
                    Status::Differs => "differs",
                    Status::Unmatched => "unmatched",
                }
            };
            all.push(Related {
                path: doc.path.as_str().into(),
                span: q.span(),
                message: format!(
                    "{}: “{}” ({role})",
                    short_label(doc),
                    one_line(q.span().of(&doc.text))
                )
                .into(),
            });
            Some(all.len() - 1)
        })
        .collect();
    (all.into(), at)
}

/// For each document of the utterance, in path order, the speaker it gives (its first named
/// member), computed once per utterance.
fn speakers_by_doc<'u>(
    u: &'u Utterance,
    names: &SpeakerNames,
    docs: &StoryDocs,
) -> Vec<(DocId, Option<Said<'u>>)> {
    let mut by_doc: BTreeMap<DocId, Option<Said>> = BTreeMap::new();
    for (mi, m) in u.members.iter().enumerate() {
        let e = by_doc.entry(m.doc).or_insert(None);
        if let (None, Some(name)) = (&e, names.of_member[mi]) {
            *e = Some((m, name));
        }
    }
    // In path order, as everything else: which version's spelling a fix takes must not depend
    // on the order the documents came in (a server's buffers, the index's copies).
    let mut out: Vec<(DocId, Option<Said>)> = by_doc.into_iter().collect();
    let path = |id: DocId| docs.get(id).map(|d| d.path.as_str());
    out.sort_by(|a, b| path(a.0).cmp(&path(b.0)).then(a.0.cmp(&b.0)));
    out
}

/// A member that names a speaker, with the speaker's number in [`SpeakerNames`].
type Said<'u> = (&'u Member, u32);

/// The speakers the other documents give.
fn other_speakers<'m>(
    by_doc: &[(DocId, Option<Said<'m>>)],
    me: &Member,
) -> Vec<(DocId, Option<Said<'m>>)> {
    by_doc
        .iter()
        .copied()
        .filter(|(d, _)| *d != me.doc)
        .collect()
}

/// Whether two speakers are one person: the same family name, or one name spelled two ways
/// ("Dana Whitcomb" / "Dana Whitcombe", "Brantd" / "Tobias Brandt"), which `name-differs`
/// reports on the name itself.
fn same_speaker(a: &str, b: &str) -> bool {
    let (ka, kb) = (speaker_key(a), speaker_key(b));
    if ka == kb {
        return true;
    }
    let (wa, wb) = (word_texts(a), word_texts(b));
    name_variants(&wa, &wb, false)
        || ((wa.len() == 1 || wb.len() == 1) && name_variants(&[ka], &[kb], false))
}

/// The most common speaker among other versions but `except` (our speaker or a spelling of
/// it): (key, display name, versions, a member).
fn majority_speaker<'m>(
    facts: &UtteranceFacts,
    others: &[(DocId, Option<Said<'m>>)],
    except: Option<u32>,
) -> Option<(String, String, usize, &'m Member)> {
    let names = &facts.names;
    // Key -> (versions, the display name's number, a member).
    let mut counts: BTreeMap<&str, (usize, u32, &Member)> = BTreeMap::new();
    for (_, said) in others {
        let Some((m, name)) = *said else { continue };
        let key = names.key(name);
        if except.is_some_and(|ours| names.same(ours, name)) || key.is_empty() {
            continue;
        }
        // Spellings of one name count together.
        let key = counts
            .iter()
            .find(|(_, (_, shown, _))| names.same(*shown, name))
            .map_or(key, |(k, _)| *k);
        let e = counts.entry(key).or_insert((0, name, m));
        e.0 += 1;
        if names.name(name).len() > names.name(e.1).len() {
            e.1 = name;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
        .map(|(k, (n, name, m))| (k.to_string(), names.name(name).to_string(), n, m))
}

/// The distinct speaker names of one utterance's members, numbered, each with its
/// [`speaker_key`], and [`same_speaker`] of two of them computed once: each member compares its
/// speaker with every other version's, so in a story of many versions the same few names meet
/// many thousand times.
struct SpeakerNames<'u> {
    names: Vec<&'u str>,
    keys: Vec<String>,
    /// Per member of the utterance: its speaker's number.
    of_member: Vec<Option<u32>>,
    same: RefCell<Answers>,
}

/// [`same_speaker`] answers by pair of numbers: a table when the names are few (as they are),
/// a map otherwise.
enum Answers {
    /// `k × k` cells: 0 not asked yet, 1 no, 2 yes.
    Table(Vec<u8>),
    Map(HashMap<(u32, u32), bool>),
}

/// Names up to this many get an [`Answers::Table`].
const ANSWER_TABLE_NAMES: usize = 64;

impl<'u> SpeakerNames<'u> {
    fn of(u: &'u Utterance) -> SpeakerNames<'u> {
        let mut numbers: HashMap<&str, u32> = HashMap::new();
        let mut names = Vec::new();
        let of_member = u
            .members
            .iter()
            .map(|m| {
                let name = m.speaker.as_deref()?;
                Some(*numbers.entry(name).or_insert_with(|| {
                    names.push(name);
                    (names.len() - 1) as u32
                }))
            })
            .collect();
        let same = if names.len() <= ANSWER_TABLE_NAMES {
            Answers::Table(vec![0; names.len() * names.len()])
        } else {
            Answers::Map(HashMap::new())
        };
        SpeakerNames {
            keys: names.iter().map(|n| speaker_key(n)).collect(),
            names,
            of_member,
            same: RefCell::new(same),
        }
    }

    fn name(&self, n: u32) -> &'u str {
        self.names[n as usize]
    }

    fn key(&self, n: u32) -> &str {
        &self.keys[n as usize]
    }

    fn same(&self, a: u32, b: u32) -> bool {
        let ask = || same_speaker(self.name(a), self.name(b));
        match &mut *self.same.borrow_mut() {
            Answers::Table(cells) => {
                let cell = &mut cells[a as usize * self.names.len() + b as usize];
                if *cell == 0 {
                    *cell = if ask() { 2 } else { 1 };
                }
                *cell == 2
            }
            Answers::Map(map) => *map.entry((a, b)).or_insert_with(ask),
        }
    }
}

/// A value per pair of readings of one utterance, (ours, theirs), computed when first needed.
type ByReadings<T> = RefCell<HashMap<(usize, usize), T>>;

/// What the findings of one utterance's quotes share, computed once per utterance.
struct UtteranceFacts<'u> {
    /// How many documents carry the utterance.
    versions: usize,
    speakers: Vec<(DocId, Option<Said<'u>>)>,
    names: SpeakerNames<'u>,
    /// Its members as related locations, built when a finding first needs them.
    related: OnceCell<MemberLocations>,
    readings: &'u [Reading],
    /// [`trimmed_diff`] and [`matched_weight`] between two readings, by (ours, theirs): the
    /// same for every member of a reading, so computed once per utterance (a story of many
    /// versions has many members per reading).
    diffs: ByReadings<Rc<[Edit]>>,
    fits: ByReadings<f64>,
}

impl UtteranceFacts<'_> {
    fn diff(&self, ours: usize, theirs: usize) -> Rc<[Edit]> {
        let mut diffs = self.diffs.borrow_mut();
        Rc::clone(diffs.entry((ours, theirs)).or_insert_with(|| {
            trimmed_diff(&self.readings[ours].words, &self.readings[theirs].words).into()
        }))
    }

    fn fit(&self, ours: usize, theirs: usize) -> f64 {
        *self
            .fits
            .borrow_mut()
            .entry((ours, theirs))
            .or_insert_with(|| {
                matched_weight(&self.readings[ours].words, &self.readings[theirs].words)
            })
    }
}

fn quote_findings(
    u: &Utterance,
    facts: &UtteranceFacts,
    me_idx: usize,
    doc: &Document,
    docs: &StoryDocs,
    story_versions: usize,
    out: &mut Vec<Finding>,
) {
    let me = &u.members[me_idx];
    let Some(quote) = doc.quotes.get(me.quote) else {
        return;
    };
    if me.status == Status::Unmatched {
        if story_versions > 1 {
            out.push(Finding {
                code: Code::QuoteUnmatched,
                severity: Code::QuoteUnmatched.default_severity(),
                span: quote.span(),
                message: format!(
                    "no other version of this story carries this quote ({} in the story)",
                    plural(story_versions, "version", "versions")
                )
                .into(),
                related: RelatedList::default(),
                fixes: Vec::new(),
            });
        }
        return;
    }
    if me.status == Status::Differs {
        out.push(differs_finding(u, facts, me_idx, doc, docs));
    }
    let others = other_speakers(&facts.speakers, me);
    match (&me.speaker, facts.names.of_member[me_idx]) {
        (Some(s), Some(mine)) => {
            let agree = others
                .iter()
                .filter(|(_, said)| said.is_some_and(|(_, o)| facts.names.same(mine, o)))
                .count();
            if let Some((_, name, n, sample)) = majority_speaker(facts, &others, Some(mine))
                && n > agree
            {
                let mut fixes = Vec::new();
                let name_span = quote.attribution.as_ref().and_then(|a| a.name_span());
                if let Some(span) = name_span {
                    let surface = docs
                        .get(sample.doc)
                        .and_then(|d| {
                            d.quotes
                                .get(sample.quote)
                                .and_then(|q| q.attribution.as_ref())
                                .and_then(|a| a.name_span())
                                .and_then(|ns| d.text.get(ns.start..ns.end))
                        })
                        .filter(|t| !t.is_empty() && speaker_key(t) == speaker_key(&name))
                        .map_or(name.clone(), str::to_string);
                    fixes.push(Fix {
                        title: format!("Attribute to {name}"),
                        span,
                        replacement: surface,
                        preferred: true,
                    });
                }
                out.push(Finding {
                    code: Code::SpeakerDiffers,
                    severity: Code::SpeakerDiffers.default_severity(),
                    span: quote.span(),
                    message: format!(
                        "attributed to {s} here, to {name} in {}",
                        plural(n, "other version", "other versions")
                    )
                    .into(),
                    related: quote_related(u, me_idx, facts, docs),
                    fixes,
                });
            }
        }
        _ => {
            if let Some((_, name, n, _)) = majority_speaker(facts, &others, None) {
                out.push(Finding {
                    code: Code::UnattributedQuote,
                    severity: Code::UnattributedQuote.default_severity(),
                    span: quote.span(),
                    message: format!(
                        "nobody is named as the speaker here; {} attribute{} it to {name}",
                        plural(n, "other version", "other versions"),
                        if n == 1 { "s" } else { "" }
                    )
                    .into(),
                    related: quote_related(u, me_idx, facts, docs),
                    fixes: Vec::new(),
                });
            }
        }
    }
}

fn differs_finding(
    u: &Utterance,
    facts: &UtteranceFacts,
    me_idx: usize,
    doc: &Document,
    docs: &StoryDocs,
) -> Finding {
    let versions = facts.versions;
    let me = &u.members[me_idx];
    let own_reading = &u.readings[me.reading];
    let own = &own_reading.words;
    let related_reading = |r: usize| {
        let other = &u.readings[r];
        &other.words == own
            || super::align::is_elided_part(&other.words, &other.elisions, own)
            || super::align::is_elided_part(own, &own_reading.elisions, &other.words)
            || super::align::overlaps(own, &other.words)
    };
    let differing_versions: BTreeSet<DocId> = u
        .members
        .iter()
        .filter(|m| m.doc != me.doc && !related_reading(m.reading))
        .map(|m| m.doc)
        .collect();
    let span = doc
        .quotes
        .get(me.quote)
        .map_or(Span::default(), |q| q.span());
    let my_spans = me.spans(doc);
    // The reading to compare with: the canonical one, else the best supported other unrelated
    // reading, the one that lines up best with ours among those (a full rewording rather than an
    // excerpt of it). Never our own document's other part of the remark.
    let target = u.canonical.or_else(|| {
        (0..u.readings.len())
            .filter(|&r| {
                !related_reading(r)
                    && u.readings[r]
                        .members
                        .iter()
                        .any(|&m| u.members[m].doc != me.doc)
            })
            .map(|r| {
                let fit = facts.fit(me.reading, r);
                (u.readings[r].support, fit, std::cmp::Reverse(r))
            })
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)))
            .map(|(_, _, std::cmp::Reverse(r))| r)
    });
    let mut message = format!(
        "differs from {} of {}",
        differing_versions.len(),
        plural(versions, "version", "versions")
    );
    let mut fixes = Vec::new();
    if let Some(t) = target {
        let sample = u.sample(t);
        if let Some(their_doc) = docs.get(sample.doc) {
            let edits = facts.diff(me.reading, sample.reading);
            let shown = render_diff(
                &doc.text,
                &my_spans,
                &their_doc.text,
                &sample.spans(their_doc),
                &edits,
            );
            if u.canonical.is_some() {
                message.push_str(": ");
            } else {
                message.push_str(&format!(
                    " and no reading is best supported; against {}: ",
                    short_label(their_doc)
                ));
            }
            message.push_str(&shown);
        }
    }
    if u.canonical.is_none() {
        let alternatives: Vec<String> = (0..u.readings.len())
            .filter_map(|r| {
                let s = u.sample(r);
                let d = docs.get(s.doc)?;
                let q = d.quotes.get(s.quote)?;
                Some(format!(
                    "“{}” ({})",
                    one_line(q.span().of(&d.text)),
                    short_label(d)
                ))
            })
            .collect();
        message.push_str(&format!(" (readings: {})", alternatives.join(", ")));
    }
    if let Some(c) = u.canonical {
        let sample = u.sample(c);
        if let Some(their_doc) = docs.get(sample.doc)
            && let Some((span, text)) = replacement(me, &my_spans, sample, their_doc, facts)
        {
            fixes.push(Fix {
                title: "Use canonical wording".into(),
                span,
                replacement: text,
                preferred: true,
            });
        }
    }
    for r in 0..u.readings.len() {
        if Some(r) == u.canonical || r == me.reading {
            continue;
        }
        // A reading that is only a part of the canonical one agrees with it: no alternative.
        if let Some(c) = u.canonical
            && super::align::is_elided_part(
                &u.readings[r].words,
                &u.readings[r].elisions,
                &u.readings[c].words,
            )
        {
            continue;
        }
        let sample = u.sample(r);
        if sample.doc == me.doc {
            continue;
        }
        if let Some(their_doc) = docs.get(sample.doc)
            && let Some((span, text)) = replacement(me, &my_spans, sample, their_doc, facts)
            && !fixes.iter().any(|f: &Fix| f.replacement == text)
        {
            fixes.push(Fix {
                title: format!("Use {}'s wording", short_label(their_doc)),
                span,
                replacement: text,
                preferred: false,
            });
        }
    }
    Finding {
        code: Code::QuoteDiffers,
        severity: Code::QuoteDiffers.default_severity(),
        span,
        message: message.into(),
        related: quote_related(u, me_idx, facts, docs),
        fixes,
    }
}

/// Whether two spellings of a name are variants of one name rather than two names or a
/// shorter form: same number of words, exactly one word differs, and the two forms of that word
/// look alike (a shared stem or a small edit distance), while neither is merely the other with
/// an ending ("Israel"/"Israeli") when the name is a single word. An organisation's name of
/// four words or more that differs in one word after the first, both forms with the same
/// initial, is a variant ("... for Coastal Studies" / "... for Coastal Science", but not
/// "Ministry of Foreign Affairs" / "Ministry of Home Affairs").
pub fn name_variants(a: &[String], b: &[String], organisation: bool) -> bool {
    if a.len() != b.len() || a.is_empty() || a == b {
        return false;
    }
    // "Pal Ekerholt" for "Pål Ekerholt", "Jose Ibanez" for "José Ibáñez": lost diacritics
    // (two different spellings in plain ASCII cannot be).
    let ascii = |words: &[String]| words.iter().all(|w| w.is_ascii());
    if !(ascii(a) && ascii(b))
        && a.iter()
            .map(|w| without_diacritics(w))
            .eq(b.iter().map(|w| without_diacritics(w)))
    {
        return true;
    }
    // Exactly one word differs (this runs for every pair of a story's names: no allocation).
    let mut diffs = (0..a.len()).filter(|&i| a[i] != b[i]);
    let (Some(i), None) = (diffs.next(), diffs.next()) else {
        return false;
    };
    let same_initial = a[i].chars().next() == b[i].chars().next();
    if organisation && a.len() >= 4 && i > 0 && same_initial {
        return true;
    }
    let (x, y) = (&a[i], &b[i]);
    let (lx, ly) = (x.chars().count(), y.chars().count());
    if lx.min(ly) < 4 {
        return false;
    }
    let prefix = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
    // The edit distance is at least the difference in length: when that alone keeps the
    // normalised similarity under 0.75, the distance need not be computed.
    let near = || {
        let longer = lx.max(ly) as f64;
        1.0 - lx.abs_diff(ly) as f64 / longer >= 0.75
            && strsim::normalized_damerau_levenshtein(x, y) >= 0.75
    };
    if a.len() == 1 {
        let affix = x.starts_with(y.as_str()) || y.starts_with(x.as_str());
        return !affix && lx.min(ly) >= 5 && prefix >= 1 && near();
    }
    prefix >= 4 || near()
}

/// A word with its accents and other diacritics removed ("ibáñez" -> "ibanez", "pål" -> "pal",
/// "sølvang" -> "solvang").
fn without_diacritics(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    let mut out = String::with_capacity(word.len());
    for c in word.nfd().filter(|&c| !is_combining_mark(c)) {
        match c {
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            _ => out.push(c),
        }
    }
    out
}

struct NameUse<'a> {
    doc: DocId,
    span: Span,
    text: &'a str,
}

fn name_findings(docs: &StoryDocs, order: &[DocId], out: &mut HashMap<DocId, Vec<Finding>>) {
    // Spelling (normalised words) -> its uses.
    let mut spellings: BTreeMap<Vec<String>, Vec<NameUse>> = BTreeMap::new();
    // The family names of full names of people, as one-word spellings: "Brantd" alone in one
    // version is compared with the "Brandt" of "Tobias Brandt" in the others.
    let mut surnames: BTreeMap<Vec<String>, Vec<NameUse>> = BTreeMap::new();
    let mut organisations: BTreeSet<Vec<String>> = BTreeSet::new();
    for &id in order {
        let Some(doc) = docs.get(id) else { continue };
        for n in &doc.names {
            if n.kind == NameKind::Other {
                continue;
            }
            let span = n.span();
            let Some(text) = doc.text.get(span.start..span.end) else {
                continue;
            };
            let words = word_texts(text);
            if words.is_empty() {
                continue;
            }
            if n.kind == NameKind::Organisation {
                organisations.insert(words.clone());
            }
            if n.kind == NameKind::Person
                && words.len() >= 2
                && let Some(surname) = surname_use(id, span, text)
            {
                let key = word_texts(surname.text);
                surnames.entry(key).or_default().push(surname);
            }
            spellings.entry(words).or_default().push(NameUse {
                doc: id,
                span,
                text,
            });
        }
        for span in lone_speaker_names(doc) {
            let text = &doc.text[span.start..span.end];
            spellings
                .entry(word_texts(text))
                .or_default()
                .push(NameUse {
                    doc: id,
                    span,
                    text,
                });
        }
    }
    // A one-word spelling's uses, with the family names of full names spelled so.
    let all_uses = |key: &Vec<String>| -> Vec<&NameUse> {
        let own = spellings.get(key).into_iter().flatten();
        let family = surnames.get(key).into_iter().flatten();
        own.chain(family).collect()
    };
    let keys: Vec<&Vec<String>> = spellings
        .keys()
        .chain(surnames.keys().filter(|k| !spellings.contains_key(*k)))
        .collect();
    let empty: Vec<NameUse> = Vec::new();
    // Every pair of spellings is looked at (thousands of names in a big story): what each key
    // needs is looked up once, and the uses only for a pair that may be one name.
    let is_org: Vec<bool> = keys.iter().map(|k| organisations.contains(*k)).collect();
    for (i, a) in keys.iter().enumerate() {
        for (j, b) in keys.iter().enumerate().skip(i + 1) {
            let variants = name_variants(a, b, is_org[i] && is_org[j]);
            if !variants && !maybe_plural(a, b) {
                continue;
            }
            let (own_a, own_b) = (
                spellings.get(*a).unwrap_or(&empty),
                spellings.get(*b).unwrap_or(&empty),
            );
            if !variants && !plural_misspelling(a, own_a, b, own_b, docs) {
                continue;
            }
            let (uses_a, uses_b) = (all_uses(a), all_uses(b));
            let doc_set = |uses: &[&NameUse]| uses.iter().map(|u| u.doc).collect::<BTreeSet<_>>();
            let (da, db) = (doc_set(&uses_a), doc_set(&uses_b));
            // A version that writes two family names alike ("Jonas", "Kate Jones") names two
            // people ("Trumps" beside "Trump" is the one, `plural_misspelling`).
            let by_family = uses_a.len() > own_a.len() || uses_b.len() > own_b.len();
            if by_family && variants && !da.is_disjoint(&db) {
                continue;
            }
            let (minor, major_uses, n) = match da.len().cmp(&db.len()) {
                std::cmp::Ordering::Less => (*a, uses_b, db.len()),
                std::cmp::Ordering::Greater => (*b, uses_a, da.len()),
                std::cmp::Ordering::Equal => continue,
            };
            let Some(minor_uses) = spellings.get(minor) else {
                continue;
            };
            let Some(sample) = major_uses.first() else {
                continue;
            };
            let majority_text = one_line(sample.text);
            let mut seen_docs = BTreeSet::new();
            let related: RelatedList = major_uses
                .iter()
                .filter(|u| seen_docs.insert(u.doc))
                .filter_map(|u| {
                    let d = docs.get(u.doc)?;
                    Some(Related {
                        path: d.path.as_str().into(),
                        span: u.span,
                        message: format!("{}: “{}”", short_label(d), one_line(u.text)).into(),
                    })
                })
                .collect::<Vec<Related>>()
                .into();
            for use_ in minor_uses {
                out.entry(use_.doc).or_default().push(Finding {
                    code: Code::NameDiffers,
                    severity: Code::NameDiffers.default_severity(),
                    span: use_.span,
                    message: format!(
                        "“{}” is spelled “{majority_text}” in {}",
                        one_line(use_.text),
                        plural(n, "other version", "other versions")
                    )
                    .into(),
                    related: related.clone(),
                    fixes: vec![Fix {
                        title: format!("Use “{majority_text}”"),
                        span: use_.span,
                        replacement: sample.text.to_string(),
                        preferred: true,
                    }],
                });
            }
        }
    }
}

/// The family name of a person's full name ("Brandt" of "Tobias Brandt"), as a use of its own.
fn surname_use(doc: DocId, span: Span, text: &str) -> Option<NameUse<'_>> {
    let (at, space) = text.char_indices().rfind(|(_, c)| c.is_whitespace())?;
    let start = at + space.len_utf8();
    let last = text[start..].trim_end_matches(|c: char| !c.is_alphanumeric());
    (last.chars().count() >= 2 && last.starts_with(char::is_uppercase)).then(|| NameUse {
        doc,
        span: Span::new(span.start + start, span.start + start + last.len()),
        text: last,
    })
}

/// One-word names the document gives as a quote's speaker but not as a name ("“…,” Brantd
/// said": on its own a person or an outlet): across versions they may be a name misspelled.
fn lone_speaker_names(doc: &Document) -> Vec<Span> {
    let named = |span: Span| {
        doc.names
            .iter()
            .any(|n| n.span().start < span.end && span.start < n.span().end)
    };
    let mut spans: Vec<Span> = doc
        .quotes
        .iter()
        .filter_map(|q| q.attribution.as_ref())
        .filter(|a| a.resolution == Resolution::Name)
        .filter_map(|a| a.name_span())
        .filter(|&span| {
            doc.text
                .get(span.start..span.end)
                .is_some_and(|t| t.starts_with(char::is_uppercase) && word_texts(t).len() == 1)
                && !named(span)
        })
        .collect();
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    spans
}

/// "Trumps said" in one version, "Trump" in others: a single name written with an `s` added,
/// never after "the" (where "the Trumps" is the family). The extractor reads it as the person
/// already (`names/entities.rs`); here it is reported.
/// Whether two spellings are one word and the same word with an added "s", the first test of
/// [`plural_misspelling`] (cheap: no uses looked at).
fn maybe_plural(a: &[String], b: &[String]) -> bool {
    let ([x], [y]) = (a, b) else { return false };
    let (longer, stem) = if x.len() > y.len() { (x, y) } else { (y, x) };
    crate::text::is_added_s(longer, stem)
}

fn plural_misspelling(
    a: &[String],
    a_uses: &[NameUse],
    b: &[String],
    b_uses: &[NameUse],
    docs: &StoryDocs,
) -> bool {
    let ([x], [y]) = (a, b) else { return false };
    let (longer, stem, uses) = if x.len() > y.len() {
        (x, y, a_uses)
    } else {
        (y, x, b_uses)
    };
    crate::text::is_added_s(longer, stem)
        && uses.iter().all(|u| {
            docs.get(u.doc).is_some_and(|d| {
                let before = d.text[..u.span.start].trim_end();
                let word = before
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                !word.eq_ignore_ascii_case("the")
            })
        })
}

/// The findings of every document of a story, after severities and suppressions.
pub fn story_findings(
    collation: &StoryCollation,
    docs: &StoryDocs,
    config: &Config,
) -> HashMap<DocId, Vec<Finding>> {
    let mut out: HashMap<DocId, Vec<Finding>> = HashMap::new();
    let story_versions = collation.docs.len();
    for u in &collation.utterances {
        let names = SpeakerNames::of(u);
        let facts = UtteranceFacts {
            versions: u.version_count(),
            speakers: speakers_by_doc(u, &names, docs),
            names,
            related: OnceCell::new(),
            readings: &u.readings,
            diffs: RefCell::default(),
            fits: RefCell::default(),
        };
        for (mi, m) in u.members.iter().enumerate() {
            let Some(doc) = docs.get(m.doc) else { continue };
            let list = out.entry(m.doc).or_default();
            quote_findings(u, &facts, mi, doc, docs, story_versions, list);
        }
    }
    if story_versions > 1 {
        name_findings(docs, &collation.docs, &mut out);
    }
    for (id, list) in out.iter_mut() {
        let Some(doc) = docs.get(*id) else { continue };
        let suppress = Suppressions::of(doc, config);
        list.retain_mut(|f| {
            if suppress.suppresses(doc, f) {
                return false;
            }
            match config.severity_of(f.code, f.severity) {
                Some(sev) => {
                    f.severity = sev;
                    true
                }
                None => false,
            }
        });
        list.sort_by(|a, b| a.span.cmp(&b.span).then(a.code.cmp(&b.code)));
        list.shrink_to_fit(); // kept for the analysis's life
    }
    // The findings of one reading say the same thing to each of its members: one message each.
    let mut messages: HashSet<Arc<str>> = HashSet::new();
    for f in out.values_mut().flatten() {
        match messages.get(&f.message) {
            Some(m) => f.message = Arc::clone(m),
            None => {
                messages.insert(Arc::clone(&f.message));
            }
        }
    }
    out.retain(|_, l| !l.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::normalize::Word;

    fn w(s: &str) -> Vec<String> {
        word_texts(s)
    }

    fn spans(words: &[Word]) -> Vec<Span> {
        words.iter().map(|x| x.span).collect()
    }

    #[test]
    fn numbered_speaker_names_answer_as_the_names_do_few_or_many() {
        for count in [6, ANSWER_TABLE_NAMES + 10] {
            let mut speakers: Vec<Option<String>> = (0..count)
                .map(|i| Some(format!("Officer {} Halvorsen{}", i, "x".repeat(i % 5))))
                .collect();
            speakers[1] = Some("Dana Whitcomb".into());
            speakers[2] = Some("Dana Whitcombe".into());
            speakers[3] = None;
            speakers[4] = Some("Dana Whitcomb".into());
            let members: Vec<Member> = speakers
                .iter()
                .enumerate()
                .map(|(i, speaker)| Member {
                    doc: i,
                    quote: 0,
                    reading: 0,
                    status: Status::Agrees,
                    texts: Arc::new([]),
                    speaker: speaker.clone(),
                })
                .collect();
            let u = Utterance {
                id: "u".into(),
                members,
                readings: Vec::new(),
                canonical: None,
                canonical_text: None,
            };
            let names = SpeakerNames::of(&u);
            assert_eq!(
                names.of_member[1], names.of_member[4],
                "one name, one number"
            );
            assert_eq!(names.of_member[3], None);
            for a in 0..names.names.len() as u32 {
                for b in 0..names.names.len() as u32 {
                    let want = same_speaker(names.name(a), names.name(b));
                    assert_eq!(names.same(a, b), want, "{a} {b}");
                    assert_eq!(names.same(a, b), want, "asked again: {a} {b}");
                }
            }
            let (whitcomb, whitcombe) = (names.of_member[1].unwrap(), names.of_member[2].unwrap());
            assert!(names.same(whitcomb, whitcombe));
        }
    }

    #[test]
    fn an_excerpt_is_compared_with_the_part_it_renders() {
        let show = |ours_text: &str, theirs_text: &str| {
            let ours = crate::text::normalize::words(ours_text);
            let theirs = crate::text::normalize::words(theirs_text);
            let texts = |v: &[Word]| v.iter().map(|x| x.text.clone()).collect::<Vec<_>>();
            let edits = trimmed_diff(&texts(&ours), &texts(&theirs));
            render_diff(
                ours_text,
                &spans(&ours),
                theirs_text,
                &spans(&theirs),
                &edits,
            )
        };
        // Lined up with the second sentence, where its first word stands again.
        assert_eq!(
            show(
                "We look at all options before the vote.",
                "We are not against the observatory. We are looking at every option before the vote."
            ),
            "We [look→are looking] at [all options→every option] before the vote"
        );
        // The second half of a remark split around its cue: the first half is no difference.
        assert_eq!(
            show(
                "If these lamps come as planned, we lose half of the stars.",
                "The sky is one of the darkest in the land. If these lamps go up as planned, we will lose half the stars."
            ),
            "If these lamps [come→go up] as planned, we [→will] lose half [of→] the stars"
        );
        // A word or two dropped from a near-full quote stays visible.
        assert_eq!(
            show(
                "we don't fund the repairs",
                "Frankly, we don't fund the repairs now"
            ),
            "[→Frankly] we don't fund the repairs [→now]"
        );
    }

    #[test]
    fn a_name_without_its_diacritics_is_a_variant() {
        assert!(name_variants(&w("pål ekerholt"), &w("pal ekerholt"), false));
        assert!(name_variants(&w("josé ibáñez"), &w("jose ibanez"), false));
        assert!(name_variants(
            &w("ingrid sølvang"),
            &w("ingrid solvang"),
            false
        ));
        assert!(!name_variants(
            &w("pål ekerholt"),
            &w("per ekerholt"),
            false
        ));
    }

    #[test]
    fn the_family_name_of_a_full_name_is_its_last_word() {
        let text = "Tobias\u{a0}Brandt";
        let u = surname_use(0, Span::new(10, 10 + text.len()), text).unwrap();
        assert_eq!(u.text, "Brandt");
        assert_eq!((u.span.start, u.span.end), (18, 24));
        assert!(surname_use(0, Span::new(0, 6), "Brandt").is_none());
    }

    #[test]
    fn a_speaker_spelled_two_ways_is_one_speaker() {
        // name-differs reports the spelling; speaker-differs must not report it again.
        assert!(same_speaker("Dana Whitcomb", "Dana Whitcombe"));
        assert!(same_speaker("Whitcombe", "Dana Whitcombe"));
        assert!(same_speaker("Leontine Markam", "Leontine Markham"));
        assert!(same_speaker("Brantd", "Tobias Brandt"));
        assert!(!same_speaker("Dana Brantd", "Tobias Brandt"));
        assert!(!same_speaker("Dana Whitcombe", "Jonah Okafor"));
        assert!(!same_speaker("Ingrid Solvang", "Arne Tveit"));
    }

    #[test]
    fn name_variants_are_one_name_spelled_two_ways() {
        let org = |a: &str, b: &str| name_variants(&w(a), &w(b), true);
        let person = |a: &str, b: &str| name_variants(&w(a), &w(b), false);
        assert!(org(
            "Quincy Institute for Responsible Statecraft",
            "Quincy Institute for Responsible States"
        ));
        assert!(org(
            "Halvorsen Institute for Coastal Studies",
            "Halvorsen Institute for Coastal Science"
        ));
        assert!(!org(
            "Ministry of Foreign Affairs",
            "Ministry of Home Affairs"
        ));
        assert!(person("Mattias Lund", "Matias Lund"));
        assert!(person("Benjamin Netanyahu", "Binyamin Netanyahu"));
        assert!(!person("President Trump", "President Putin"));
        assert!(!person("Abbas Araghchi", "Araghchi"));
        assert!(!person("Israel", "Israeli"));
        assert!(!person("Iran", "Iraq"));
    }

    #[test]
    fn diff_shows_changed_words_in_the_original_text() {
        let ours_text = "If we don’t get a deal, the consequences are very serious,";
        let theirs_text = "If they don't make a deal, the consequences are very steep.";
        let ours = crate::text::normalize::words(ours_text);
        let theirs = crate::text::normalize::words(theirs_text);
        let texts = |v: &[Word]| v.iter().map(|x| x.text.clone()).collect::<Vec<_>>();
        let edits = trimmed_diff(&texts(&ours), &texts(&theirs));
        assert_eq!(
            render_diff(
                ours_text,
                &spans(&ours),
                theirs_text,
                &spans(&theirs),
                &edits
            ),
            "If [we→they] don’t [get→make] a deal, the consequences are very [serious→steep]"
        );
    }
}
