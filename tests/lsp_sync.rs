//! Text sync under random incremental edits: positions in UTF-16 (and UTF-8) over text with
//! curly quotes, accents, emoji and LF, CRLF and lone CR line ends. The client's copy (edited with the test's
//! own position arithmetic) must equal the server's, both for the store type in process and
//! for the real binary over stdio.

mod lsp_client;

use lsp_client::{LspClient, capabilities, position};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use std::cell::RefCell;
use verbatim::lsp::store::{OpenDocument, TextChange};
use verbatim::text::line_index::{Encoding, LineCol};

const TOKENS: &[&str] = &[
    "a", "b", " ", "\n", "\r\n", "\r", "“", "”", "é", "😀", "ß", "said", "\u{2019}",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

/// An edit as fractions of the text, so it can be placed on any text.
#[derive(Debug, Clone)]
struct Edit {
    start: f64,
    len: f64,
    insert: String,
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        (0.0..=1.0f64, 0.0..=0.3f64, text()).prop_map(|(start, len, insert)| Edit {
            start,
            len,
            insert,
        }),
        1..12,
    )
}

/// Offsets an editor can put a cursor at: char boundaries, never between `\r` and `\n`.
fn cursor_offsets(text: &str) -> Vec<usize> {
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .filter(|&i| {
            !(i > 0 && text.as_bytes()[i - 1] == b'\r' && text.as_bytes().get(i) == Some(&b'\n'))
        })
        .collect()
}

/// Places an edit on `text`: the byte range it replaces.
fn place(text: &str, edit: &Edit) -> (usize, usize) {
    let offsets = cursor_offsets(text);
    let last = offsets.len() - 1;
    let a = ((edit.start * last as f64) as usize).min(last);
    let b = (a + (edit.len * last as f64) as usize).min(last);
    (offsets[a], offsets[b])
}

fn line_col(v: &Value) -> LineCol {
    LineCol {
        line: v["line"].as_u64().unwrap_or(0) as u32,
        col: v["character"].as_u64().unwrap_or(0) as u32,
    }
}

proptest! {
    #[test]
    fn the_store_follows_random_incremental_edits(initial in text(), edits in edits(), utf8 in any::<bool>()) {
        let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
        let mut model = initial.clone();
        let mut doc = OpenDocument::new(&initial, 1);
        for edit in &edits {
            let (a, b) = place(&model, edit);
            let change = TextChange {
                range: Some((line_col(&position(&model, a, utf8)), line_col(&position(&model, b, utf8)))),
                text: edit.insert.clone(),
            };
            doc.apply(&change, enc).expect("edit applies");
            model.replace_range(a..b, &edit.insert);
            prop_assert_eq!(doc.text(), model.clone());
        }
    }
}

#[test]
fn the_server_follows_random_incremental_edits_over_stdio() {
    for utf8 in [false, true] {
        let client = RefCell::new(LspClient::start());
        let result = client
            .borrow_mut()
            .initialize(&[], capabilities(utf8, false), Value::Null);
        let expected = if utf8 { "utf-8" } else { "utf-16" };
        assert_eq!(result["capabilities"]["positionEncoding"], expected);
        let case = RefCell::new(0);
        let mut runner = TestRunner::new(Config {
            cases: 24,
            ..Config::default()
        });
        runner
            .run(&(text(), edits()), |(initial, edits)| {
                let mut client = client.borrow_mut();
                *case.borrow_mut() += 1;
                let uri = format!("untitled:case-{}", case.borrow());
                client.open(&uri, &initial, 1);
                // All edits in one didChange: each range is relative to the text after the
                // changes before it, as the protocol says.
                let mut model = initial.clone();
                let mut changes = Vec::new();
                for edit in &edits {
                    let (a, b) = place(&model, edit);
                    changes.push(json!({
                        "range": {"start": position(&model, a, utf8), "end": position(&model, b, utf8)},
                        "text": edit.insert,
                    }));
                    model.replace_range(a..b, &edit.insert);
                }
                client.change(&uri, 2, Value::Array(changes));
                let server = client
                    .request("verbatim/documentText", json!({"uri": uri}))
                    .expect("documentText");
                prop_assert_eq!(server["version"].as_i64(), Some(2));
                prop_assert_eq!(server["text"].as_str(), Some(model.as_str()));
                Ok(())
            })
            .expect("server text equals client text");
    }
}
