//! Document metadata: YAML front matter (`source:`, `published:` or `date:`), a `Source: X` line
//! and a publication date line near the top, or the file name (`reuters_2026-02-09.txt`). Front
//! matter is metadata, not article text: the body starts after it.
//!
//! Each field comes from the first place that has it, in that order. Dates are normalised to ISO
//! `YYYY-MM-DD` when they can be read; a front-matter date that cannot is kept as written.
//! Lines end at `\n`, `\r\n` or a lone `\r` ([`crate::text::line_index::line_end`]).
//! Pure: the path is only looked at as a string. Depends on nothing but [`crate::document::Meta`]
//! and that definition of a line.

use crate::document::Meta;
use crate::text::line_index::{line_end, lines};

/// How many non-blank body lines count as "near the top" for `Source:` and date lines.
const TOP_LINES: usize = 12;

/// Reads the metadata of the document named `path`.
pub fn read(path: &str, text: &str) -> Meta {
    let mut meta = Meta::default();
    if let Some((fields, body_start)) = front_matter(text) {
        meta.body_start = body_start;
        for (key, value) in fields {
            match key.to_ascii_lowercase().as_str() {
                "source" | "outlet" | "publisher" if meta.source.is_none() && !value.is_empty() => {
                    meta.source = Some(value.to_owned());
                }
                "published" | "date" if meta.date.is_none() && !value.is_empty() => {
                    meta.date = Some(parse_date(value).unwrap_or_else(|| value.to_owned()));
                }
                _ => {}
            }
        }
    }
    top_lines(text, &mut meta);
    if meta.source.is_none() || meta.date.is_none() {
        let (source, date) = from_file_name(path);
        meta.source = meta.source.or(source);
        meta.date = meta.date.or(date);
    }
    meta
}

/// The `key: value` pairs of a leading `---` … `---` (or `...`) block, and where the body starts.
/// No closing line: no front matter.
fn front_matter(text: &str) -> Option<(Vec<(&str, &str)>, usize)> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let (first_end, mut pos) = line_end(text, text_start);
    if first_end == text.len() || text[text_start..first_end].trim_end() != "---" {
        return None;
    }
    let mut fields = Vec::new();
    while pos < text.len() {
        let (end, next) = line_end(text, pos);
        let line = text[pos..end].trim_end();
        if line == "---" || line == "..." {
            return Some((fields, next));
        }
        if let Some((key, value)) = line.split_once(':')
            && !key.starts_with([' ', '\t', '-', '#'])
        {
            fields.push((key.trim(), unquote(value.trim())));
        }
        pos = next;
    }
    None
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner.trim();
        }
    }
    value
}

/// Fills source and date from `Source: X` and date lines among the first body lines.
fn top_lines(text: &str, meta: &mut Meta) {
    let lines = lines(text, meta.body_start)
        .map(|range| {
            text[range]
                .trim()
                .trim_start_matches(['•', '·', '*', '-', '|'])
                .trim()
        })
        .filter(|l| !l.is_empty())
        .take(TOP_LINES);
    for line in lines {
        if meta.source.is_none()
            && let Some(source) = strip_label(line, &["source"], true)
            && !source.is_empty()
            && source.chars().count() <= 60
        {
            meta.source = Some(source.to_owned());
            continue;
        }
        if meta.date.is_none() {
            let candidate = strip_label(line, &["published", "updated", "posted", "date"], false)
                .unwrap_or(line)
                .trim_start_matches(['-', '—', '–', ' '])
                .trim_start_matches("on ");
            if let Some(date) = parse_date_prefix(candidate) {
                meta.date = Some(date);
            }
        }
    }
}

/// The rest of `line` after one of `labels` (case-insensitive) and a colon (or a space, unless
/// `colon` is required).
fn strip_label<'a>(line: &'a str, labels: &[&str], colon: bool) -> Option<&'a str> {
    for label in labels {
        let Some(head) = line.get(..label.len()) else {
            continue;
        };
        if head.eq_ignore_ascii_case(label) {
            let rest = &line[label.len()..];
            if let Some(after) = rest.strip_prefix(':') {
                return Some(after.trim());
            }
            if !colon && rest.starts_with(' ') {
                return Some(rest.trim());
            }
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A month's number from its name or abbreviation, any case (compared without a lower-cased
/// copy: the lists are lower case).
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    (0..12)
        .find(|&i| {
            w.eq_ignore_ascii_case(MONTHS[i])
                || w.eq_ignore_ascii_case(super::cues::MONTHS[i])
                || (i == 8 && w.eq_ignore_ascii_case("sept"))
        })
        .map(|i| i as u32 + 1)
}

fn iso(year: u32, month: u32, day: u32) -> Option<String> {
    let valid =
        (1900..=2999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    valid.then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A whole value that is a date (front matter): ISO, optionally with a time after it, or one of
/// the written forms [`parse_date_prefix`] knows.
fn parse_date(value: &str) -> Option<String> {
    parse_date_prefix(value)
}

/// A date at the start of `s`: `2026-02-09` (a time may follow), `February 9, 2026`,
/// `Feb. 9, 2026`, `9 February 2026`; an optional weekday first (`Monday, February 9, 2026`).
pub(crate) fn parse_date_prefix(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(date) = iso_prefix(s) {
        return Some(date);
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(5)
        .collect();
    let words = match words.first() {
        Some(w) if is_weekday(w) => &words[1..],
        _ => &words[..],
    };
    let number = |w: &str| -> Option<u32> {
        let digits = w.trim_end_matches(['.', ',']);
        let digits = ["st", "nd", "rd", "th"]
            .iter()
            .find_map(|suffix| digits.strip_suffix(suffix))
            .unwrap_or(digits);
        digits.parse().ok()
    };
    match words {
        [m, d, y, ..] if month_number(m).is_some() => iso(number(y)?, month_number(m)?, number(d)?),
        [d, m, y, ..] if month_number(m).is_some() => iso(number(y)?, month_number(m)?, number(d)?),
        _ => None,
    }
}

/// A weekday, any case, whole or in its first three letters (`Monday`, `mon.`). The word lists
/// are lower case: compared without a lower-cased copy.
fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.']);
    super::cues::DAYS.iter().any(|day| {
        w.eq_ignore_ascii_case(day)
            || (w.len() == 3 && day.get(..3).is_some_and(|d| d.eq_ignore_ascii_case(w)))
    })
}

/// `YYYY-MM-DD` at the start of `s`, not followed by another digit.
fn iso_prefix(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 10 || b.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    iso(digits(0..4)?, digits(5..7)?, digits(8..10)?)
}

/// Source and date from a file name shaped `<outlet>_<date>` or `<date>-<outlet>` (separators
/// `_`, `-`, `.` or space; the outlet a single word of letters). Anything else gives no source;
/// an ISO date anywhere in the name still gives the date.
fn from_file_name(path: &str) -> (Option<String>, Option<String>) {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let Some(at) = (0..stem.len()).find(|&i| stem.is_char_boundary(i) && iso_at(stem, i)) else {
        return (None, None);
    };
    let date = iso_prefix(&stem[at..]);
    let before = stem[..at].trim_end_matches(['_', '-', '.', ' ']);
    let after = stem[at + 10..].trim_start_matches(['_', '-', '.', ' ']);
    let word = match (before.is_empty(), after.is_empty()) {
        (false, true) => before,
        (true, false) => after,
        _ => "",
    };
    let source = (word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| outlet_name(word));
    (source, date)
}

fn iso_at(s: &str, i: usize) -> bool {
    (i == 0 || !s.as_bytes()[i - 1].is_ascii_digit()) && iso_prefix(&s[i..]).is_some()
}

/// How an outlet named in a file name is shown: a short all-lowercase word is an acronym
/// (`ap` -> `AP`, `bbc` -> `BBC`), a longer one is capitalised (`reuters` -> `Reuters`); a word
/// with capitals is kept.
fn outlet_name(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_uppercase()) {
        word.to_owned()
    } else if word.len() <= 3 {
        word.to_ascii_uppercase()
    } else {
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_metadata() {
        let text = "---\ntitle: \"A “quoted” title\"\nsource: Northgate Gazette\npublished: 2025-03-04T08:00:00Z\n---\nBody “text”.\n";
        let meta = read("story.md", text);
        assert_eq!(meta.source.as_deref(), Some("Northgate Gazette"));
        assert_eq!(meta.date.as_deref(), Some("2025-03-04"));
        assert_eq!(&text[meta.body_start..], "Body “text”.\n");
    }

    #[test]
    fn date_key_and_quoted_values() {
        let text = "---\nsource: 'Harbour Post'\ndate: March 4, 2025\n---\n";
        let meta = read("x.md", text);
        assert_eq!(meta.source.as_deref(), Some("Harbour Post"));
        assert_eq!(meta.date.as_deref(), Some("2025-03-04"));
        assert_eq!(meta.body_start, text.len());
    }

    #[test]
    fn unclosed_front_matter_is_text() {
        let text = "---\ntitle: Nobody\nStill the body.\n";
        let meta = read("x.txt", text);
        assert_eq!(meta.body_start, 0);
    }

    #[test]
    fn source_and_published_lines_near_the_top() {
        let text = "Mayor opens bridge\n\nSource: Valley Courier\n  • Published March 4, 2025\n\nThe mayor said “hello.”\n";
        let meta = read("x.txt", text);
        assert_eq!(meta.source.as_deref(), Some("Valley Courier"));
        assert_eq!(meta.date.as_deref(), Some("2025-03-04"));
        assert_eq!(meta.body_start, 0);
    }

    #[test]
    fn lines_ended_by_a_lone_cr_carry_metadata() {
        let m = read(
            "x.txt",
            "Source: Harbour Gazette\r12 March 2026\rTitle\r\rBody.",
        );
        assert_eq!(m.source.as_deref(), Some("Harbour Gazette"));
        assert_eq!(m.date.as_deref(), Some("2026-03-12"));
        let text = "---\rsource: Post\rdate: 2026-01-02\r---\rBody.";
        let m = read("x.md", text);
        assert_eq!(m.source.as_deref(), Some("Post"));
        assert_eq!(&text[m.body_start..], "Body.");
    }

    #[test]
    fn bare_date_lines() {
        for (line, want) in [
            ("Mar 4, 2025", "2025-03-04"),
            ("Sept. 14, 2024", "2024-09-14"),
            ("4 March 2025", "2025-03-04"),
            ("Tuesday, March 4, 2025", "2025-03-04"),
            ("2025-03-04 10:15", "2025-03-04"),
            ("Published: 2025-03-04", "2025-03-04"),
            // Any case, abbreviated weekdays and months.
            ("TUE., MAR. 4, 2025", "2025-03-04"),
            ("wednesday 4 SEPT 2025", "2025-09-04"),
            ("Thu, 4 dEcEmBeR 2025", "2025-12-04"),
        ] {
            let text = format!("Headline\n{line}\nBody.\n");
            assert_eq!(read("x.txt", &text).date.as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn no_date_from_prose() {
        let text = "The council met in March and may vote on 12 items in 2025.\n";
        assert_eq!(read("x.txt", text).date, None);
    }

    #[test]
    fn file_name_fallback() {
        let m = read("stories/reuters_2026-02-09.txt", "Body.");
        assert_eq!(m.source.as_deref(), Some("Reuters"));
        assert_eq!(m.date.as_deref(), Some("2026-02-09"));
        let m = read("2026-02-09-ap.md", "Body.");
        assert_eq!(m.source.as_deref(), Some("AP"));
        assert_eq!(m.date.as_deref(), Some("2026-02-09"));
        let m = read("draft-2-2026-02-09-final.md", "Body.");
        assert_eq!(m.source, None);
        assert_eq!(m.date.as_deref(), Some("2026-02-09"));
        let m = read("000_5ddb825f119583fb.txt", "Body.");
        assert_eq!((m.source, m.date), (None, None));
    }

    #[test]
    fn text_wins_over_file_name() {
        let m = read("ap_2026-02-09.txt", "Source: Valley Courier\nBody.\n");
        assert_eq!(m.source.as_deref(), Some("Valley Courier"));
        assert_eq!(m.date.as_deref(), Some("2026-02-09"));
    }
}
