//! Attribution: who each quoted span is attributed to, and whether it is speech at all.

use super::marks::MarkedSpan;
use super::names::NameTable;
use crate::document::{Quote, QuoteKind};

/// Turns marked spans into quotes with speakers.
pub fn attribute(_text: &str, spans: &[MarkedSpan], _names: &NameTable) -> Vec<Quote> {
    spans
        .iter()
        .map(|m| Quote {
            span: m.span,
            open: m.open,
            close: m.close,
            kind: QuoteKind::Speech,
            attribution: None,
            continues: m.continues,
        })
        .collect()
}
