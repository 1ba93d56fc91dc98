//! Rule 9, another quote of the same sentence that has a speaker gives it: in `Araghchi said
//! the talks were a “good start” but “there is a long way to go”`, both quotes are Araghchi's.
//!
//! Fixture: `tests/fixtures/attribution/same_sentence.txt`.

use super::Attributing;
use super::reader::Reader;
use crate::document::QuoteKind;

/// Quotes of one sentence share a speaker.
pub(super) fn pass(r: &Reader<'_, '_>, state: &mut Attributing) {
    let quotes = &mut state.quotes;
    for qi in 0..quotes.len() {
        if quotes[qi].attribution.is_some() || quotes[qi].kind == QuoteKind::Mention {
            continue;
        }
        let Some(s) = r.sentence_of_quote(qi) else {
            continue;
        };
        // Quotes are in text order: look at the neighbours in the same sentence only.
        let before = (0..qi)
            .rev()
            .take(8)
            .take_while(|&o| r.sentence_of_quote(o) == Some(s));
        let after = (qi + 1..quotes.len())
            .take(8)
            .take_while(|&o| r.sentence_of_quote(o) == Some(s));
        let donor = before
            .chain(after)
            .filter(|&o| quotes[o].kind == QuoteKind::Speech)
            .find_map(|o| quotes[o].attribution.clone());
        quotes[qi].attribution = donor;
    }
}
