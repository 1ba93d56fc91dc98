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

/// A folder with more article files than `max_files` is indexed up to the cap, and the user
/// is told (`window/showMessage`) what was left out and how to raise it.
#[test]
fn a_folder_over_max_files_is_capped_and_the_user_is_told() {
    let dir = lsp_client::copy_fixture("harbour");
    let mut client = LspClient::start();
    client.initialize(
        &[dir.path()],
        capabilities(false, false),
        json!({"max_files": 2}),
    );
    client.wait_indexed();
    let shown = client
        .wait_for(TIMEOUT, |m| m["method"] == "window/showMessage")
        .expect("the user is told");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(
        message.contains("max_files") && message.contains('2'),
        "{message}"
    );
    assert_eq!(shown["params"]["type"], 2, "a warning");
    let files: std::collections::BTreeSet<String> = client
        .request("workspace/symbol", json!({"query": ""}))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["location"]["uri"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
}

/// A link to a file outside the workspace folder is not read, and the user is told.
#[test]
fn a_file_link_out_of_the_folder_is_not_indexed() {
    let dir = lsp_client::copy_fixture("harbour");
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("notes.md");
    std::fs::write(&secret, "“Lanterns glow over Pemberly,” Ada Quill said.\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("notes.md")).unwrap();
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    client.wait_indexed();
    let shown = client
        .wait_for(TIMEOUT, |m| m["method"] == "window/showMessage")
        .expect("the user is told");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(message.contains("follow_links_outside"), "{message}");
    let found = client
        .request("workspace/symbol", json!({"query": "lanterns"}))
        .unwrap();
    assert_eq!(found, json!([]), "the linked file was read");
    // A change to the link's target is not read either.
    std::fs::write(&secret, "“Lanterns glow brighter,” Ada Quill said.\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&dir.path().join("notes.md")), "type": 2}]}),
    );
    let found = client
        .request("workspace/symbol", json!({"query": "lanterns"}))
        .unwrap();
    assert_eq!(found, json!([]), "the linked file was read after a change");
}
