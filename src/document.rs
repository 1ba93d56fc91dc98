//! The parsed form of one article file: one version ("witness") of a story.
//!
//! A [`Document`] owns its text and everything the extractor found in it: quotes with their byte
//! spans, the attribution of each quote, and the proper names it mentions. It is plain data: no
//! LSP types, no file system, no async. Byte offsets always index into [`Document::text`].
//!
//! This module only defines the data; it depends on nothing else in the crate. Building a
//! document from text is extraction's job: `Document::parse` is defined in [`crate::extract`].

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

/// Who a document attributes a quote to, and the words that say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    /// The speaker's fullest form in the document ("Donald Trump" for "Trump").
    pub speaker: String,
    /// The title or affiliation named with the speaker ("Iranian Foreign Minister",
    /// "co-founder of the Quincy Institute"), when there is one.
    pub affiliation: Option<String>,
    /// The cue that carries the attribution: the speech verb ("said", "told Al Jazeera",
    /// "wrote on X"), "according to", or ":" for a colon lead-in.
    pub cue: String,
    /// Where the speaker is named (or referred to) for this quote, when it is in the text.
    pub name_span: Option<Span>,
    pub resolution: Resolution,
}

/// A speaker's comparison key: the family name, lower case ("Donald Trump" and "Trump" agree).
pub fn speaker_key(speaker: &str) -> String {
    speaker
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .rfind(|t| !t.is_empty())
        .unwrap_or("")
        .to_lowercase()
}

/// One span of directly quoted words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// The words between the marks.
    pub span: Span,
    /// The opening mark (one or more bytes, e.g. `“`, `&quot;`, `''`).
    pub open: Span,
    /// The closing mark; `None` when the quote runs to the paragraph end without one
    /// (a multi-paragraph quote, or an unbalanced mark recovered at the paragraph end).
    pub close: Option<Span>,
    pub kind: QuoteKind,
    pub attribution: Option<Attribution>,
    /// For the second and later paragraphs of a multi-paragraph quote: index (into
    /// [`Document::quotes`]) of the quote's first part.
    pub continues: Option<usize>,
}

impl Quote {
    pub fn speaker(&self) -> Option<&str> {
        self.attribution.as_ref().map(|a| a.speaker.as_str())
    }
}

/// A proper name (person or organisation) as spelled in the document; the raw material of the
/// `name-differs` finding. Its offsets are kept in 32 bits (a corpus holds hundreds of
/// thousands of mentions: 12 bytes each instead of 24); [`NameMention::new`] refuses a span
/// past 4 GiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMention {
    start: u32,
    end: u32,
    /// What kind of name, when the extractor can tell.
    pub kind: NameKind,
}

impl NameMention {
    /// A mention of `span`, or `None` when the span ends past `u32::MAX`.
    pub fn new(span: Span, kind: NameKind) -> Option<NameMention> {
        Some(NameMention {
            start: u32::try_from(span.start).ok()?,
            end: u32::try_from(span.end).ok()?,
            kind,
        })
    }

    pub fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
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
        self.quotes[index].span.of(&self.text)
    }
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
