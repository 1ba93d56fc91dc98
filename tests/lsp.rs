//! The language server's protocol over the real binary's stdio: initialization, encoding
//! negotiation, progress, text sync, versioned publication, configuration, file watching
//! registration, robustness and clean exits. These do not need findings from the engine.

mod lsp_client;

use lsp_client::{LspClient, TIMEOUT, capabilities, copy_fixture, file_uri, fixtures};
use serde_json::{Value, json};
use std::time::Duration;

#[test]
fn initialize_answers_with_version_capabilities_and_utf16_by_default() {
    let mut client = LspClient::start();
    let harbour = fixtures().join("harbour");
    let result = client.initialize(&[&harbour], capabilities(false, false), Value::Null);
    assert_eq!(result["serverInfo"]["name"], "verbatim");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["documentSymbolProvider"], true);
    assert_eq!(caps["workspaceSymbolProvider"], true);
    assert_eq!(caps["workspace"]["workspaceFolders"]["supported"], true);
    let kinds = caps["codeActionProvider"]["codeActionKinds"]
        .as_array()
        .expect("code action kinds");
    assert!(kinds.contains(&json!("quickfix")));
    assert!(
        kinds
            .iter()
            .any(|k| k.as_str().is_some_and(|k| k.starts_with("source")))
    );
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

#[test]
fn utf8_is_chosen_when_the_client_offers_it_and_edits_then_count_bytes() {
    let mut client = LspClient::start();
    let result = client.initialize(&[], capabilities(true, false), Value::Null);
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    let uri = "untitled:utf8-note";
    client.open(uri, "😀 “Hi” x", 1);
    // “ starts at byte 5 (emoji 4 + space 1); in UTF-8 the H is at column 8.
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 10}}, "text": "Hello"}]),
    );
    let text = client
        .request("verbatim/documentText", json!({"uri": uri}))
        .expect("documentText");
    assert_eq!(text["text"], "😀 “Hello” x");
    assert_eq!(text["version"], 2);
}

#[test]
fn indexing_reports_progress_from_begin_through_percentages_to_end() {
    let mut client = LspClient::start();
    let harbour = fixtures().join("harbour");
    client.initialize(&[&harbour], capabilities(false, false), Value::Null);
    client.wait_indexed();
    let create = client
        .log
        .iter()
        .position(|m| m["method"] == "window/workDoneProgress/create")
        .expect("a progress token is created");
    let token = client.log[create]["params"]["token"].clone();
    let progress: Vec<&Value> = client
        .log
        .iter()
        .filter(|m| m["method"] == "$/progress" && m["params"]["token"] == token)
        .map(|m| &m["params"]["value"])
        .collect();
    assert_eq!(progress.first().map(|v| &v["kind"]), Some(&json!("begin")));
    assert_eq!(progress.last().map(|v| &v["kind"]), Some(&json!("end")));
    let percentages: Vec<u64> = progress
        .iter()
        .filter(|v| v["kind"] == "report")
        .filter_map(|v| v["percentage"].as_u64())
        .collect();
    assert!(!percentages.is_empty(), "{progress:?}");
    assert!(percentages.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(percentages.last(), Some(&100));
    // The end message counts the three articles (verbatim.toml is not one).
    assert_eq!(
        progress.last().map(|v| &v["message"]),
        Some(&json!("3 files"))
    );
}

#[test]
fn diagnostics_are_published_for_each_version_of_an_open_document() {
    let mut client = LspClient::start();
    let harbour = fixtures().join("harbour");
    client.initialize(&[&harbour], capabilities(false, false), Value::Null);
    client.wait_indexed();
    let uri = file_uri(&harbour.join("rewrite.md"));
    let text = std::fs::read_to_string(harbour.join("rewrite.md")).unwrap();
    client.open(&uri, &text, 1);
    client.diagnostics(&uri, 1);
    client.change(&uri, 2, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}]));
    client.diagnostics(&uri, 2);
    // Closing clears the document's diagnostics (no version).
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"].is_null()
        })
        .expect("diagnostics cleared on close");
    assert_eq!(cleared["params"]["diagnostics"], json!([]));
}

#[test]
fn a_burst_of_edits_never_publishes_an_older_version_after_a_newer_one() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let uri = "untitled:burst";
    client.open(uri, "", 1);
    for v in 2..=60 {
        client.change(uri, v, json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "“a” "}]));
    }
    client.diagnostics(uri, 60);
    let versions: Vec<i64> = client
        .log
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .filter_map(|m| m["params"]["version"].as_i64())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
    let text = client
        .request("verbatim/documentText", json!({"uri": uri}))
        .unwrap();
    assert_eq!(text["text"], "“a” ".repeat(59));
}

#[test]
fn a_bad_position_is_answered_with_an_error_and_the_server_keeps_serving() {
    let mut client = LspClient::start();
    let harbour = fixtures().join("harbour");
    client.initialize(&[&harbour], capabilities(false, false), Value::Null);
    client.wait_indexed();
    let uri = file_uri(&harbour.join("wire.md"));
    let text = std::fs::read_to_string(harbour.join("wire.md")).unwrap();
    client.open(&uri, &text, 1);
    let error = client
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 9999, "character": 0}}),
        )
        .expect_err("a position past the end is an error");
    assert_eq!(error["code"], -32602);
    assert!(error["message"].as_str().unwrap_or("").contains("9999"));
    let error = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 500, "character": 0}}, "context": {"diagnostics": []}}),
        )
        .expect_err("a range past the end is an error");
    assert_eq!(error["code"], -32602);
    // Still alive: other requests are answered.
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        )
        .expect("document symbols after an error");
    assert!(symbols.is_array());
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

#[test]
fn shutdown_then_exit_ends_the_process_with_success() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let status = client.shutdown_and_exit().expect("process ends after exit");
    assert!(status.success());
}

#[test]
fn shutdown_and_exit_with_null_params_as_eglot_sends_them_end_cleanly() {
    // Emacs 28's Eglot sends `"params": null` on shutdown and exit; JSON-RPC allows it.
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let answer = client.request_message(
        json!({"jsonrpc": "2.0", "id": 999, "method": "shutdown", "params": null}),
    );
    assert_eq!(answer, Ok(Value::Null));
    client.send(&json!({"jsonrpc": "2.0", "method": "exit", "params": null}));
    let status = client.wait_exit(TIMEOUT).expect("process ends after exit");
    assert!(status.success(), "{status:?}");
}

#[test]
fn exit_without_shutdown_ends_the_process_with_failure() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    client.notify("exit", Value::Null);
    let status = client.wait_exit(TIMEOUT).expect("process ends after exit");
    assert!(!status.success(), "{status:?}");
}

#[test]
fn the_end_of_stdin_ends_the_process_cleanly() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    client.close_stdin();
    let status = client.wait_exit(TIMEOUT).expect("process ends at EOF");
    assert!(status.success());
}

#[test]
fn unknown_configuration_keys_are_reported_in_the_log() {
    let dir = copy_fixture("harbour");
    std::fs::write(
        dir.path().join("verbatim.toml"),
        "stories = \"folder\"\ncolour = \"red\"\n",
    )
    .unwrap();
    let mut client = LspClient::start();
    client.initialize(
        &[dir.path()],
        capabilities(false, false),
        json!({"verbatim": {"severty": {}}}),
    );
    for key in ["colour", "severty"] {
        let logged = client
            .wait_for(TIMEOUT, |m| {
                m["method"] == "window/logMessage"
                    && m["params"]["message"]
                        .as_str()
                        .is_some_and(|s| s.contains(&format!("`{key}`")))
            })
            .unwrap_or_else(|| panic!("unknown key {key} reported"));
        assert_eq!(logged["params"]["type"], 2, "as a warning");
    }
}

#[test]
fn a_configuration_change_re_indexes_without_a_restart() {
    let dir = copy_fixture("harbour");
    let mut client = LspClient::start();
    client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    client.wait_indexed();
    // Leave the draft out: the next indexing run counts two files.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"verbatim": {"exclude": ["draft.md"]}}}),
    );
    let end = client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        })
        .expect("re-indexing ends");
    assert_eq!(end["params"]["value"]["message"], "2 files");
}

#[test]
fn the_reindex_command_re_reads_the_folders_from_disk() {
    let dir = copy_fixture("harbour");
    let mut client = LspClient::start();
    let init = client.initialize(&[dir.path()], capabilities(false, false), Value::Null);
    let command = init["capabilities"]["executeCommandProvider"]["commands"][0]
        .as_str()
        .expect("a command is advertised")
        .to_string();
    assert!(command.contains("reindex"), "{command}");
    client.wait_indexed();
    // A file the server was not told about (no watcher event): only re-indexing finds it.
    std::fs::write(
        dir.path().join("late.txt"),
        "A late version of the story.\n",
    )
    .unwrap();
    let answer = client.request(
        "workspace/executeCommand",
        json!({"command": command, "arguments": []}),
    );
    assert_eq!(answer, Ok(Value::Null));
    let end = client
        .wait_for(TIMEOUT, |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        })
        .expect("re-indexing ends");
    assert_eq!(end["params"]["value"]["message"], "4 files");
    let unknown = client.request(
        "workspace/executeCommand",
        json!({"command": "verbatim.nonsense", "arguments": []}),
    );
    assert_eq!(unknown.unwrap_err()["code"], -32602);
}

#[test]
fn file_watching_is_registered_dynamically_when_the_client_supports_it() {
    let mut client = LspClient::start();
    let harbour = fixtures().join("harbour");
    client.initialize(&[&harbour], capabilities(false, true), Value::Null);
    let registration = client
        .wait_for(TIMEOUT, |m| m["method"] == "client/registerCapability")
        .expect("registration request");
    let reg = &registration["params"]["registrations"][0];
    assert_eq!(reg["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = reg["registerOptions"]["watchers"]
        .as_array()
        .expect("watchers")
        .iter()
        .filter_map(|w| w["globPattern"].as_str())
        .collect();
    assert!(globs.contains(&"**/*.md"), "{globs:?}");
    assert!(globs.contains(&"**/verbatim.toml"), "{globs:?}");
}

#[test]
fn nothing_is_published_for_a_document_that_did_not_change_after_an_unrelated_edit() {
    // Two loose buffers: editing one republishes it, the other's (unchanged) diagnostics are
    // not sent again.
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    client.open("untitled:a", "plain text", 1);
    client.open("untitled:b", "other text", 1);
    client.diagnostics("untitled:a", 1);
    client.diagnostics("untitled:b", 1);
    client.change("untitled:a", 2, json!([{"text": "plain text, edited"}]));
    client.diagnostics("untitled:a", 2);
    assert!(
        client
            .next_diagnostics("untitled:b", Duration::from_millis(300))
            .is_none()
    );
}
