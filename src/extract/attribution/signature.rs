//! Rule 2, a signature: `“Q” — Oskar Feld, council planner`, or a block quote signed on its
//! own line below (`> — Leontine Markham, astronomer`, `- Oskar Feld, Lowmoor.`).
//!
//! Fixture: `tests/fixtures/attribution/signature.txt`.

use super::reader::Reader;
use crate::document::{Attribution, Span};
use crate::extract::names::Via;
use crate::text::collapse_whitespace as one_line;

impl Reader<'_, '_> {
    /// Rule 2, a signature: `“Q” — Oskar Feld, council planner`, or a block quote signed on
    /// its own line below (`> — Leontine Markham, astronomer`). A dash, a name, then nothing but
    /// an affiliation to the paragraph's end.
    pub(super) fn signature(&self, qi: usize) -> Option<Attribution> {
        let w = self.words;
        let (_, qe) = self.quote_range(qi)?;
        let n = w.tokens.len();
        let quote_para = w.tokens[qe - 1].paragraph;
        let is_block_marker = |k: usize| self.str(k) == ">";
        let mut c = qe;
        while c < n && (is_block_marker(c) || matches!(self.str(c), "." | ",")) {
            c += 1;
        }
        if c >= n || !self.outside(c) {
            return None;
        }
        let para = w.tokens[c].paragraph;
        // A hyphen signs only on a line of its own: `- Brandt.` under the quote.
        let opens_line = w.paragraph_tokens.get(para).is_some_and(|p| p.0 == c);
        if !(matches!(self.str(c), "—" | "–" | "―" | "--") || self.str(c) == "-" && opens_line)
        {
            return None;
        }
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
        // `— Oskar Feld.`: a full stop may close the line.
        let closed = after + 1 == para_end && self.str(after) == ".";
        if after < para_end && self.str(after) != "," && !closed {
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
        Some(self.attribution(f, self.str(c).into()))
    }
}
