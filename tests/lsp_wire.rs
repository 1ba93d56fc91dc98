//! The wire under the language server, over the real binary's stdio: every message that cannot
//! be decoded (bad JSON, a bad or missing `Content-Length`, a batch, an id that is an object)
//! is answered with a JSON-RPC error and the server goes on serving; a lone surrogate in a
//! document's text is repaired; only a stream that cannot be read on (it ends inside a
//! message) ends the server, with a non-zero status and the reason on stderr and in the
//! editor's log.

mod lsp_client;

use lsp_client::{LspClient, TIMEOUT, capabilities};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::process::{Command, Stdio};

fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fn initialize_request(id: i64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "initialize",
           "params": {"processId": null, "rootUri": null, "capabilities": {}}})
    .to_string()
}

/// The issue's case: `{not json}` with a correct length, then `initialize`.
#[test]
fn initialize_after_a_malformed_message_is_answered() {
    let mut client = LspClient::start();
    client.send_raw(b"Content-Length: 10\r\n\r\n{not json}");
    let error = client
        .response(&Value::Null, TIMEOUT)
        .expect("an answer to the malformed message");
    assert_eq!(error["error"]["code"], -32700, "{error}");
    client.send_raw(&framed(&initialize_request(1)));
    let answer = client
        .response(&json!(1), TIMEOUT)
        .expect("initialize answered after the malformed message");
    assert!(answer["result"]["capabilities"].is_object(), "{answer}");
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// Each bad message gets its error (id `null` when it cannot be read), and a request sent
/// after it is still answered.
#[test]
fn every_undecodable_message_is_answered_and_the_server_keeps_serving() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let batch = json!([{"jsonrpc": "2.0", "id": 50, "method": "workspace/symbol", "params": {"query": ""}}]);
    let object_id = json!({"jsonrpc": "2.0", "id": {"a": 1}, "method": "workspace/symbol", "params": {"query": ""}});
    let cases: Vec<(&str, Vec<u8>, i64)> = vec![
        ("malformed JSON", framed("{\"jsonrpc\": \"2.0\", "), -32700),
        (
            "a negative length",
            b"Content-Length: -1\r\n\r\n{}".to_vec(),
            -32700,
        ),
        (
            "a length that is no number",
            b"Content-Length: abc\r\n\r\n{}".to_vec(),
            -32700,
        ),
        (
            "no length at all",
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}".to_vec(),
            -32700,
        ),
        ("a batch array", framed(&batch.to_string()), -32600),
        (
            "an id that is an object",
            framed(&object_id.to_string()),
            -32600,
        ),
        ("a number for a message", framed("42"), -32600),
        (
            "an empty body",
            b"Content-Length: 0\r\n\r\n".to_vec(),
            -32700,
        ),
        (
            "bytes that are not UTF-8",
            b"Content-Length: 3\r\n\r\n\xff\xfe\x01".to_vec(),
            -32700,
        ),
    ];
    let mut id = 100;
    for (what, bytes, code) in cases {
        client.send_raw(&bytes);
        let error = client
            .response(&Value::Null, TIMEOUT)
            .unwrap_or_else(|| panic!("no answer to {what}"));
        assert_eq!(error["error"]["code"], code, "{what}: {error}");
        id += 1;
        let alive = client.request_message(json!({"jsonrpc": "2.0", "id": id, "method": "workspace/symbol", "params": {"query": ""}}));
        assert_eq!(alive, Ok(json!([])), "after {what}");
    }
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// An invalid request whose id can be read is answered with that id.
#[test]
fn an_invalid_request_with_a_readable_id_is_answered_with_that_id() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let bad =
        json!({"jsonrpc": "1.0", "id": 7, "method": "workspace/symbol", "params": {"query": ""}});
    client.send_raw(&framed(&bad.to_string()));
    let error = client.response(&json!(7), TIMEOUT).expect("answer");
    assert_eq!(error["error"]["code"], -32600, "{error}");
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// Headers ended by `\n` alone (some hand-written clients do it) are read.
#[test]
fn headers_with_bare_line_feeds_are_read() {
    let mut client = LspClient::start();
    let body = initialize_request(3);
    client.send_raw(format!("Content-Length: {}\n\n{body}", body.len()).as_bytes());
    let answer = client.response(&json!(3), TIMEOUT).expect("answer");
    assert!(answer["result"]["capabilities"].is_object(), "{answer}");
    // Garbage between messages is skipped up to the next header.
    client.send_raw(b"garbage without a header ");
    client.send_raw(&framed(
        &json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}).to_string(),
    ));
    let error = client
        .response(&Value::Null, TIMEOUT)
        .expect("garbage answered");
    assert_eq!(error["error"]["code"], -32700);
    assert_eq!(
        client.response(&json!(4), TIMEOUT).expect("shutdown")["result"],
        Value::Null
    );
}

/// A lone surrogate escape in a document's text (invalid in JSON's UTF-8 strings) is read as
/// U+FFFD, one UTF-16 unit like the surrogate, so later edits still land where the editor
/// meant them.
#[test]
fn a_lone_surrogate_in_a_document_is_replaced_and_edits_stay_in_step() {
    let mut client = LspClient::start();
    client.initialize(&[], capabilities(false, false), Value::Null);
    let uri = "untitled:lone-surrogate";
    let open = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:lone-surrogate","languageId":"markdown","version":1,"text":"a\ud800b \\ud800 \ud83d\ude00"}}}"#;
    client.send_raw(&framed(open));
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": 3}}, "text": "B"}]),
    );
    let text = client
        .request("verbatim/documentText", json!({"uri": uri}))
        .expect("document text");
    assert_eq!(text["version"], 2);
    assert_eq!(text["text"], "a\u{fffd}B \\ud800 😀");
    assert!(client.shutdown_and_exit().is_some_and(|s| s.success()));
}

/// A stream that ends inside a message cannot be read on: the server says why (stderr and
/// `window/logMessage`) and exits with a failure.
#[test]
fn a_stream_that_ends_inside_a_message_ends_the_server_with_a_reason() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["lsp", "--stdio"])
        .env("VERBATIM_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start verbatim lsp");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(&framed(&initialize_request(1))).unwrap();
    stdin
        .write_all(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"")
        .unwrap();
    drop(stdin);
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "{status:?}");
    assert!(stderr.contains("ended inside a message"), "{stderr}");
    assert!(stdout.contains("window/logMessage"), "{stdout}");
    assert!(stdout.contains("ended inside a message"), "{stdout}");
}
