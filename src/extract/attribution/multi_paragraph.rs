//! Rule 11, multi-paragraph quotes: every paragraph's part shares the speaker of the whole, and
//! a cue on a later part (`“Now they are full,” Aalto said.`) reaches back to the first part and
//! the other parts. (Parts take their first part's speaker in rule 10, in text order.)
//!
//! Fixture: `tests/fixtures/attribution/multi_paragraph.txt`.

use super::reader::Reader;
use super::{Attributing, inherited};

/// A later part's cue reaches back to a multi-paragraph quote's first part.
pub(super) fn pass(_: &Reader<'_, '_>, state: &mut Attributing) {
    let quotes = &mut state.quotes;
    for qi in 0..quotes.len() {
        if let Some(first) = quotes[qi].continues()
            && quotes.get(first).is_some_and(|q| q.attribution.is_none())
            && let Some(a) = quotes[qi].attribution.clone()
        {
            // The parts follow their first part directly.
            for (k, q) in quotes
                .iter_mut()
                .enumerate()
                .skip(first + 1)
                .take_while(|(_, q)| q.continues() == Some(first))
            {
                if k != qi {
                    q.attribution = Some(inherited(a.clone()));
                }
            }
            quotes[first].attribution = Some(inherited(a));
        }
    }
}
