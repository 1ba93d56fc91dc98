//! The language server on hostile input (issue 11), over the real binary's stdio: lines ended
//! by a lone CR, an edit whose range does not fit the document (the server must not drift
//! from the editor silently), a workspace folder too large to index, symbolic links out of
//! the folder.

mod lsp_client;

use lsp_client::{LspClient, capabilities};
use serde_json::{Value, json};

fn range(a: (u32, u32), b: (u32, u32)) -> Value {
    json!({"start": {"line": a.0, "character": a.1}, "end": {"line": b.0, "character": b.1}})
}

#[test]
fn an_edit_on_a_line_after_a_lone_cr_lands_there() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let uri = "untitled:cr";
    client.open(uri, "a\rb\rc", 1);
    client.change(
        uri,
        2,
        json!([{"range": range((2, 0), (2, 1)), "text": "C"}]),
    );
    let text = client
        .request("verbatim/documentText", json!({"uri": uri}))
        .expect("document text");
    assert_eq!(text, json!({"version": 2, "text": "a\rb\rC"}));
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}
