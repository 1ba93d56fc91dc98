//! Findings: protocol-neutral diagnostics about one document, built from its story's collation.
//!
//! A finding knows its code, severity, byte range, message, related locations in other
//! documents and the replacements that would fix it. It knows nothing of LSP or terminals; the
//! `cli` and `lsp` modules render it.

use crate::document::Span;
use serde::Serialize;
use std::sync::Arc;

/// The stable code of a finding kind, as shown to users and accepted in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    QuoteDiffers,
    SpeakerDiffers,
    UnattributedQuote,
    NameDiffers,
    QuoteUnmatched,
}

impl Code {
    pub const ALL: [Code; 5] = [
        Code::QuoteDiffers,
        Code::SpeakerDiffers,
        Code::UnattributedQuote,
        Code::NameDiffers,
        Code::QuoteUnmatched,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::QuoteDiffers => "quote-differs",
            Code::SpeakerDiffers => "speaker-differs",
            Code::UnattributedQuote => "unattributed-quote",
            Code::NameDiffers => "name-differs",
            Code::QuoteUnmatched => "quote-unmatched",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::QuoteDiffers | Code::SpeakerDiffers | Code::NameDiffers => Severity::Warning,
            Code::UnattributedQuote => Severity::Info,
            Code::QuoteUnmatched => Severity::Hint,
        }
    }

    /// A user-readable explanation (`verbatim explain CODE`).
    pub fn explanation(self) -> &'static str {
        match self {
            Code::QuoteDiffers => include_str!("../docs/rules/quote-differs.md"),
            Code::SpeakerDiffers => include_str!("../docs/rules/speaker-differs.md"),
            Code::UnattributedQuote => include_str!("../docs/rules/unattributed-quote.md"),
            Code::NameDiffers => include_str!("../docs/rules/name-differs.md"),
            Code::QuoteUnmatched => include_str!("../docs/rules/quote-unmatched.md"),
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A location in another document that bears on a finding (the other versions of a quote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub path: Arc<str>,
    pub span: Span,
    /// Shared: the other versions of an utterance are listed, with the same messages, by the
    /// finding of each of its quotes.
    pub message: Arc<str>,
}

/// A finding's related locations, in order. The findings of one utterance's quotes share one
/// list of its members' locations and each keeps only which of them it lists: on a story of many
/// versions every member's finding lists nearly every other member, so a list per finding made
/// the findings quadratic in the versions (issue 10: three quarters of the related locations
/// of a cold `check` on real text were such repeats).
#[derive(Debug, Clone, Default)]
pub struct RelatedList {
    all: Arc<[Related]>,
    picks: Picks,
}

/// Which entries of [`RelatedList::all`] a finding lists, in their order.
#[derive(Debug, Clone, Default)]
enum Picks {
    #[default]
    All,
    AllBut(u32),
    These(Box<[u32]>),
}

impl RelatedList {
    /// The entries `picks` (indices, in the order listed) of a list shared with other findings.
    pub fn shared(all: Arc<[Related]>, picks: &[usize]) -> RelatedList {
        let n = all.len();
        let in_order = picks.windows(2).all(|w| w[0] < w[1]);
        let picks = if in_order && picks.len() == n {
            Picks::All
        } else if let Some(skip) = (in_order && picks.len() + 1 == n)
            .then(|| (0..n).find(|&i| picks.get(i) != Some(&i)))
            .flatten()
        {
            Picks::AllBut(skip as u32)
        } else {
            Picks::These(picks.iter().map(|&i| i as u32).collect())
        };
        RelatedList { all, picks }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Related> + '_ {
        let (every, skip, these): (usize, Option<usize>, &[u32]) = match &self.picks {
            Picks::All => (self.all.len(), None, &[]),
            Picks::AllBut(k) => (self.all.len(), Some(*k as usize), &[]),
            Picks::These(these) => (0, None, these),
        };
        (0..every)
            .filter(move |&i| Some(i) != skip)
            .chain(these.iter().map(|&i| i as usize))
            .filter_map(|i| self.all.get(i))
    }

    pub fn len(&self) -> usize {
        match &self.picks {
            Picks::All => self.all.len(),
            Picks::AllBut(_) => self.all.len() - 1,
            Picks::These(these) => these.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl From<Vec<Related>> for RelatedList {
    fn from(list: Vec<Related>) -> RelatedList {
        RelatedList {
            all: list.into(),
            picks: Picks::All,
        }
    }
}

impl PartialEq for RelatedList {
    fn eq(&self, other: &RelatedList) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for RelatedList {}

impl Serialize for RelatedList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A suggested edit: replace `span` of the finding's document with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub span: Span,
    pub replacement: String,
    /// The fix an editor should offer first ("Use canonical wording").
    pub preferred: bool,
}

/// One diagnostic about one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub span: Span,
    /// Shared by the findings of a story that say the same thing.
    pub message: Arc<str>,
    pub related: RelatedList,
    pub fixes: Vec<Fix>,
}
