//! Text bound for a terminal. A file name (or a file's text) may hold characters a terminal
//! acts on instead of showing: escape sequences that recolour or clear the screen, line breaks
//! and carriage returns that forge report lines, bidirectional overrides that reorder what is
//! shown. [`escape`] writes each as a visible escape (`\u{1b}`, `\n`), so what is printed is
//! what the name holds. Pure; nothing else in the crate decides what a terminal may receive.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1) and bidirectional override written as an
/// escape: `\n`, `\r`, `\t`, else `\u{…}` in hex.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_if(text, |_| true)
}

/// [`escape`], but line breaks and tabs pass as they are: for messages that may span lines.
pub fn escape_keeping_lines(text: &str) -> Cow<'_, str> {
    escape_if(text, |c| !matches!(c, '\n' | '\t'))
}

fn escape_if(text: &str, wanted: impl Fn(char) -> bool) -> Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
            && wanted(c)
    };
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            _ if !acts(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_overrides_become_visible_escapes() {
        assert_eq!(escape("plain/é.txt"), "plain/é.txt");
        assert_eq!(
            escape("a\u{1b}[2J\nb\r\u{7f}\u{9b}"),
            "a\\u{1b}[2J\\nb\\r\\u{7f}\\u{9b}"
        );
        assert_eq!(escape("x\u{202e}txt.exe"), "x\\u{202e}txt.exe");
        assert_eq!(escape_keeping_lines("a\n\tb\u{1b}"), "a\n\tb\\u{1b}");
    }
}
