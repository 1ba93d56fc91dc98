//! Text utilities shared by every layer: position conversion and line breaks, the one
//! tokenizer, comparison normalisation, white space, and what a terminal may be shown.

pub mod line_index;
pub mod normalize;
pub mod terminal;
pub mod tokens;

/// `s` with every run of white space (line breaks included) made one space, and none at either
/// end: how names, roles and quotes are shown on one line and how `ignore` patterns compare.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether `longer` is the name `stem` with an `s` added ("Trumps" for "Trump"), a misspelling
/// rather than another name when the stem has four letters or more and does not end in `s`
/// itself. Shared by the extractor (one document) and `name-differs` (across versions).
pub fn is_added_s(longer: &str, stem: &str) -> bool {
    longer.strip_suffix('s') == Some(stem) && stem.chars().count() >= 4 && !stem.ends_with('s')
}

#[cfg(test)]
mod tests {
    #[test]
    fn white_space_collapses_to_single_spaces() {
        assert_eq!(
            super::collapse_whitespace("  Ada\n  Lowe\t said "),
            "Ada Lowe said"
        );
        assert_eq!(super::collapse_whitespace(" \n "), "");
    }
}
