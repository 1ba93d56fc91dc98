//! The parsed form of one article file: one version ("witness") of a story.
//!
//! A [`Document`] owns its text and everything the extractor found in it: quotes with their byte
//! spans, the attribution of each quote, and the proper names it mentions. It is plain data: no
//! LSP types, no file system, no async. Byte offsets always index into [`Document::text`].
//!
//! This module only defines the data; it depends on nothing else in the crate. Building a
//! document from text is extraction's job: `Document::parse` is defined in [`crate::extract`].

use std::num::NonZeroU32;

use serde::Serialize;

/// A half-open byte range `start..end` into a document's UTF-8 text. Both ends lie on char
/// boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    /// The text this span covers.
    pub fn of<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// Whether a quoted span is someone's words or only a name for something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Words the text says somebody said or wrote (including attributed scare quotes).
    Speech,
    /// A title of a work, a nickname or a term nobody is said to have said ("Squawk Box").
    /// Mentions stay in the inventory but never produce findings.
    Mention,
}

/// How the speaker of a quote was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resolution {
    /// A name stands in the attribution cue itself ("Trump said").
    Name,
    /// A pronoun in the cue resolved to the last compatible named person ("he said").
    Pronoun,
    /// A title or role resolved to the person given that title in the document ("the mayor said").
    Title,
    /// No cue of its own: it continues the previous quote of the same speaker.
    Inherited,
}

/// A span kept in 32 bits (a corpus holds hundreds of thousands of quotes): 8 bytes instead of
/// 16. Only the types of this module store it; they hand out [`Span`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Packed {
    start: u32,
    end: u32,
}

impl Packed {
    /// No span: its start lies past its end, which no span's does.
    const NONE: Packed = Packed {
        start: u32::MAX,
        end: 0,
    };

    /// `span` in 32 bits, or `None` when it ends past `u32::MAX`.
    fn new(span: Span) -> Option<Packed> {
        Some(Packed {
            start: u32::try_from(span.start).ok()?,
            end: u32::try_from(span.end).ok()?,
        })
    }

    fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }
}

/// Who a document attributes a quote to, and the words that say so. Its strings are boxed
/// (16 bytes, no spare capacity) and its name span kept in 32 bits: every attributed quote of a
/// corpus holds one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The speaker's fullest form in the document ("Mara Velling" for "Trump").
    pub speaker: Box<str>,
    /// The title or affiliation named with the speaker ("Iranian Foreign Minister",
    /// "co-founder of the Quincy Institute"), when there is one.
    pub affiliation: Option<Box<str>>,
    /// The cue that carries the attribution: the speech verb ("said", "told Al Jazeera",
    /// "wrote on X"), "according to", or ":" for a colon lead-in.
    pub cue: Box<str>,
    /// See [`Attribution::name_span`].
    name_span: Option<Packed>,
    pub resolution: Resolution,
}

impl Attribution {
    /// An attribution to `speaker`; a `name_span` past 4 GiB is dropped (kept as `None`).
    pub fn new(
        speaker: impl Into<Box<str>>,
        affiliation: Option<Box<str>>,
        cue: impl Into<Box<str>>,
        name_span: Option<Span>,
        resolution: Resolution,
    ) -> Attribution {
        Attribution {
            speaker: speaker.into(),
            affiliation,
            cue: cue.into(),
            name_span: name_span.and_then(Packed::new),
            resolution,
        }
    }

    /// Where the speaker is named (or referred to) for this quote, when it is in the text.
    pub fn name_span(&self) -> Option<Span> {
        self.name_span.map(Packed::span)
    }

    /// Sets [`Attribution::name_span`]; a span past 4 GiB is dropped (kept as `None`).
    pub fn set_name_span(&mut self, span: Option<Span>) {
        self.name_span = span.and_then(Packed::new);
    }
}

impl Serialize for Attribution {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Attribution", 5)?;
        st.serialize_field("speaker", &self.speaker)?;
        st.serialize_field("affiliation", &self.affiliation)?;
        st.serialize_field("cue", &self.cue)?;
        st.serialize_field("name_span", &self.name_span())?;
        st.serialize_field("resolution", &self.resolution)?;
        st.end()
    }
}

/// A speaker's comparison key: the family name, lower case ("Mara Velling" and "Trump" agree).
pub fn speaker_key(speaker: &str) -> String {
    speaker
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .rfind(|t| !t.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

/// One span of directly quoted words. Its spans are kept in 32 bits and read through
/// accessors (a corpus holds hundreds of thousands of quotes: 96 bytes each instead of 184);
/// [`Quote::new`] refuses a quote past 4 GiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    span: Packed,
    open: Packed,
    /// [`Packed::NONE`] for no closing mark.
    close: Packed,
    /// One more than the index of the quote's first part, for a continuation.
    continues: Option<NonZeroU32>,
    pub kind: QuoteKind,
    pub attribution: Option<Attribution>,
}

impl Quote {
    /// A quote of the words `span` between the marks `open` and `close` (see [`Quote::close`]),
    /// continuing the quote at index `continues` (see [`Quote::continues`]); `None` when it ends
    /// past `u32::MAX`.
    pub fn new(
        span: Span,
        open: Span,
        close: Option<Span>,
        kind: QuoteKind,
        attribution: Option<Attribution>,
        continues: Option<usize>,
    ) -> Option<Quote> {
        let close = match close {
            Some(c) => Packed::new(c)?,
            None => Packed::NONE,
        };
        let continues = match continues {
            Some(i) => Some(NonZeroU32::new(u32::try_from(i).ok()?.checked_add(1)?)?),
            None => None,
        };
        Some(Quote {
            span: Packed::new(span)?,
            open: Packed::new(open)?,
            close,
            continues,
            kind,
            attribution,
        })
    }

    /// The words between the marks.
    pub fn span(&self) -> Span {
        self.span.span()
    }

    /// The opening mark (one or more bytes, e.g. `“`, `&quot;`, `''`).
    pub fn open(&self) -> Span {
        self.open.span()
    }

    /// The closing mark; `None` when the quote runs to the paragraph end without one
    /// (a multi-paragraph quote, or an unbalanced mark recovered at the paragraph end).
    pub fn close(&self) -> Option<Span> {
        (self.close != Packed::NONE).then(|| self.close.span())
    }

    /// For the second and later paragraphs of a multi-paragraph quote: index (into
    /// [`Document::quotes`]) of the quote's first part.
    pub fn continues(&self) -> Option<usize> {
        self.continues.map(|c| c.get() as usize - 1)
    }

    pub fn speaker(&self) -> Option<&str> {
        self.attribution.as_ref().map(|a| &*a.speaker)
    }
}

impl Serialize for Quote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Quote", 6)?;
        st.serialize_field("span", &self.span())?;
        st.serialize_field("open", &self.open())?;
        st.serialize_field("close", &self.close())?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("attribution", &self.attribution)?;
        st.serialize_field("continues", &self.continues())?;
        st.end()
    }
}

/// A proper name (person or organisation) as spelled in the document; the raw material of the
/// `name-differs` finding. Its offsets are kept in 32 bits (a corpus holds hundreds of
/// thousands of mentions: 12 bytes each instead of 24); [`NameMention::new`] refuses a span
/// past 4 GiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMention {
    at: Packed,
    /// What kind of name, when the extractor can tell.
    pub kind: NameKind,
}

impl NameMention {
    /// A mention of `span`, or `None` when the span ends past `u32::MAX`.
    pub fn new(span: Span, kind: NameKind) -> Option<NameMention> {
        Some(NameMention {
            at: Packed::new(span)?,
            kind,
        })
    }

    pub fn span(&self) -> Span {
        self.at.span()
    }
}

impl Serialize for NameMention {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("NameMention", 2)?;
        st.serialize_field("span", &self.span())?;
        st.serialize_field("kind", &self.kind)?;
        st.end()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    Person,
    Organisation,
    Other,
}

/// Metadata read from the document itself (front matter, a `Source:` line) or its file name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    /// The outlet ("Reuters"), when the document names it.
    pub source: Option<String>,
    /// Publication date as written (ISO `YYYY-MM-DD` where it could be parsed).
    pub date: Option<String>,
    /// Where the article body starts (after YAML front matter), in bytes.
    pub body_start: usize,
}

/// One parsed article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// How the document is named to the user: a path relative to the corpus root, or a URI.
    pub path: String,
    pub text: String,
    pub meta: Meta,
    /// Quotes in text order, non-overlapping.
    pub quotes: Vec<Quote>,
    pub names: Vec<NameMention>,
}

impl Document {
    /// The display name of the document's source: its outlet when known, else its path.
    pub fn source_label(&self) -> &str {
        self.meta.source.as_deref().unwrap_or(&self.path)
    }

    pub fn quote_text(&self, index: usize) -> &str {
        self.quotes[index].span().of(&self.text)
    }
}

// Tests of the types themselves stand outside `mod tests`, whose import of this module would
// trip its own check.
/// A corpus holds a quote per few hundred bytes of text: a quote that grows back towards its
/// old 184 bytes costs a 10,000-file corpus megabytes of memory.
#[cfg(test)]
#[test]
fn quotes_stay_small() {
    assert!(std::mem::size_of::<Attribution>() <= 64);
    assert!(std::mem::size_of::<Quote>() <= 96);
}

#[cfg(test)]
#[test]
fn quotes_give_back_their_spans() {
    let a = Attribution::new(
        "Mara Velling",
        None,
        "said",
        Some(Span::new(0, 5)),
        Resolution::Name,
    );
    let q = Quote::new(
        Span::new(10, 20),
        Span::new(7, 10),
        None,
        QuoteKind::Speech,
        Some(a),
        Some(3),
    )
    .unwrap();
    assert_eq!(
        (q.span(), q.open(), q.close()),
        (Span::new(10, 20), Span::new(7, 10), None)
    );
    assert_eq!(q.continues(), Some(3));
    assert_eq!(
        q.attribution.as_ref().unwrap().name_span(),
        Some(Span::new(0, 5))
    );
    let q = Quote::new(
        Span::new(1, 2),
        Span::new(0, 1),
        Some(Span::new(2, 3)),
        QuoteKind::Mention,
        None,
        Some(0),
    )
    .unwrap();
    assert_eq!((q.close(), q.continues()), (Some(Span::new(2, 3)), Some(0)));
    let far = u32::MAX as usize + 1;
    assert!(
        Quote::new(
            Span::new(far, far + 1),
            Span::new(1, far),
            None,
            QuoteKind::Speech,
            None,
            None
        )
        .is_none()
    );
}

#[cfg(test)]
mod tests {
    /// The data types depend on no other module of the crate (extraction builds documents,
    /// collation reads them), so there is no import cycle through them.
    #[test]
    fn documents_depend_on_no_other_module() {
        let code: Vec<&str> = include_str!("document.rs")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        let (own, parent) = (concat!("crate", "::"), concat!("super", "::"));
        assert!(
            code.iter().all(|l| !l.contains(own) && !l.contains(parent)),
            "document.rs uses another module of the crate"
        );
    }
}
