//! The language server on hostile input (issue 11), over the real binary's stdio: lines ended
//! by a lone CR, an edit whose range does not fit the document (the server must not drift
//! from the editor silently), a workspace folder too large to index, symbolic links out of
//! the folder.

mod lsp_client;

use lsp_client::{LspClient, TIMEOUT, capabilities, file_uri, fixtures};
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
    assert_eq!(
        text,
        json!({"version": 2, "text": "a\rb\rC", "inSync": true})
    );
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// An edit that cannot be applied: the server says so in the editor's log, clears the
/// document's diagnostics rather than leave stale ones, refuses position requests on it, and
/// is back in step as soon as the editor sends the whole text.
#[test]
fn an_edit_that_does_not_fit_is_reported_and_nothing_stale_is_published() {
    let mut client = LspClient::start();
    let harbour = fixtures().join("harbour");
    client.initialize(&[&harbour], capabilities(false, false), Value::Null);
    client.wait_indexed();
    let uri = file_uri(&harbour.join("rewrite.md"));
    let text = std::fs::read_to_string(harbour.join("rewrite.md")).unwrap();
    client.open(&uri, &text, 1);
    assert!(
        !client.diagnostics(&uri, 1).is_empty(),
        "the fixture has findings"
    );

    client.change(
        &uri,
        2,
        json!([{"range": range((999, 0), (999, 0)), "text": "x"}]),
    );
    let log = client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|s| s.contains("rewrite.md") && s.contains("out of step"))
        })
        .expect("the lost edit is reported in the editor's log");
    assert_eq!(log["params"]["type"], 1, "an error: {log}");
    assert_eq!(client.diagnostics(&uri, 2), Vec::<Value>::new());
    // More edits cannot be placed either; position requests are refused with a reason.
    client.change(
        &uri,
        3,
        json!([{"range": range((0, 0), (0, 0)), "text": "y"}]),
    );
    let error = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
        )
        .expect_err("no hover on a document out of step");
    assert!(
        error["message"].as_str().unwrap().contains("out of step"),
        "{error}"
    );
    let state = client
        .request("verbatim/documentText", json!({"uri": uri}))
        .unwrap();
    assert_eq!(state["inSync"], false);

    // The whole text brings it back.
    client.change(&uri, 4, json!([{"text": text}]));
    assert!(!client.diagnostics(&uri, 4).is_empty());
    let state = client
        .request("verbatim/documentText", json!({"uri": uri}))
        .unwrap();
    assert_eq!(state, json!({"version": 4, "text": text, "inSync": true}));
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// Reading `verbatim.toml` while indexing is no change to it: the server's own file watcher
/// (used when the client does not watch files) must not start indexing again and again.
#[test]
fn indexing_does_not_retrigger_itself_through_the_file_watcher() {
    let dir = lsp_client::copy_fixture("harbour");
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    client.wait_indexed();
    // A second run reads verbatim.toml while the watcher is on.
    client
        .request(
            "workspace/executeCommand",
            json!({"command": "verbatim.server.reindex"}),
        )
        .expect("reindex");
    client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "$/progress"
                && m["params"]["token"] == "verbatim/index/2"
                && m["params"]["value"]["kind"] == "end"
        })
        .expect("the second run ends");
    let again = client.wait_for(std::time::Duration::from_millis(1500), |m| {
        m["method"] == "$/progress"
            && m["params"]["value"]["kind"] == "begin"
            && m["params"]["token"] == "verbatim/index/3"
    });
    assert!(
        again.is_none(),
        "indexing started again with nothing changed: {again:?}"
    );
}
