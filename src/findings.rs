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
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}
