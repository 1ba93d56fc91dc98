//! A small JSON-RPC client that drives the real `verbatim lsp --stdio` binary, for the
//! integration tests. It answers the server's own requests (progress tokens, capability
//! registration) with `null`, keeps every message it received, and converts positions with
//! its own UTF-16/UTF-8 arithmetic, independent of the server's.
#![allow(dead_code)] // each test file uses a different part of it

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests not yet taken by `wait_for`.
    pending: Vec<Value>,
    /// Every notification and server request received, in order.
    pub log: Vec<Value>,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl LspClient {
    pub fn start() -> LspClient {
        LspClient::start_with_env(&[])
    }

    /// [`LspClient::start`] with more environment variables for the server (test knobs).
    pub fn start_with_env(vars: &[(&str, &str)]) -> LspClient {
        LspClient::spawn(vars, Stdio::null())
    }

    /// [`LspClient::start_with_env`] with the server's stderr (its log) written to `log`.
    pub fn start_logging_to(vars: &[(&str, &str)], log: &Path) -> LspClient {
        let file = std::fs::File::create(log).expect("a log file");
        LspClient::spawn(vars, Stdio::from(file))
    }

    fn spawn(vars: &[(&str, &str)], stderr: Stdio) -> LspClient {
        let mut child = Command::new(env!("CARGO_BIN_EXE_verbatim"))
            .args(["lsp", "--stdio"])
            .env("VERBATIM_LOG", "warn")
            .env_remove("VERBATIM_DATABASE_URL")
            .envs(vars.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start verbatim lsp");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut reader) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        LspClient {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            pending: Vec::new(),
            log: Vec::new(),
        }
    }

    /// The server's process id (benchmarks read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn send(&mut self, msg: &Value) {
        let body = serde_json::to_vec(msg).expect("json");
        let stdin = self.stdin.as_mut().expect("stdin open");
        write!(stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("write header");
        stdin.write_all(&body).expect("write body");
        stdin.flush().expect("flush");
    }

    /// Writes bytes as they are: for malformed messages.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    /// Waits for the response whose `id` is `id` (`null` for the answers to messages whose
    /// id could not be read).
    pub fn response(&mut self, id: &Value, timeout: Duration) -> Option<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.recv(deadline)?;
            if msg.get("method").is_some() {
                self.pending.push(msg);
                continue;
            }
            if msg["id"] == *id {
                return Some(msg);
            }
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut msg = json!({"jsonrpc": "2.0", "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.send(&msg);
    }

    /// Receives one message; server requests are answered with `null` and logged.
    fn recv(&mut self, deadline: Instant) -> Option<Value> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(msg) => {
                if msg.get("method").is_some() {
                    if let Some(id) = msg.get("id") {
                        let id = id.clone();
                        self.send(&json!({"jsonrpc": "2.0", "id": id, "result": null}));
                    }
                    self.log.push(msg.clone());
                }
                Some(msg)
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Sends a request and waits for its response: `Ok(result)` or `Err(error)`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        let mut msg = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            msg["params"] = params;
        }
        self.request_message(msg)
    }

    /// Sends a request message as given (its `id` must be fresh) and waits for its response.
    pub fn request_message(&mut self, msg: Value) -> Result<Value, Value> {
        let id = msg["id"].clone();
        let method = msg["method"].as_str().unwrap_or("?").to_string();
        self.send(&msg);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self
                .recv(deadline)
                .unwrap_or_else(|| panic!("no response to {method}"));
            if msg.get("method").is_some() {
                self.pending.push(msg);
                continue;
            }
            if msg["id"] == id {
                return match msg.get("error") {
                    Some(e) => Err(e.clone()),
                    None => Ok(msg["result"].clone()),
                };
            }
        }
    }

    /// The next message (kept ones first), or `None` when none comes within `timeout`. The
    /// log of notifications is not kept: for long runs.
    pub fn next_message(&mut self, timeout: Duration) -> Option<Value> {
        self.log.clear();
        if !self.pending.is_empty() {
            return Some(self.pending.remove(0));
        }
        self.recv(Instant::now() + timeout)
    }

    /// The first notification or server request (taken in order) that satisfies `pred`.
    pub fn wait_for(&mut self, timeout: Duration, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.pending.iter().position(&pred) {
            return Some(self.pending.remove(i));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let msg = self.recv(deadline)?;
            if msg.get("method").is_none() {
                continue;
            }
            if pred(&msg) {
                return Some(msg);
            }
            self.pending.push(msg);
        }
    }

    /// The diagnostics published for `uri` at `version` (the latest such publication that
    /// arrives within the timeout is not awaited: the first is returned).
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        self.diagnostics_within(uri, version, TIMEOUT)
    }

    /// [`LspClient::diagnostics`] with a timeout of its own (large corpora).
    pub fn diagnostics_within(&mut self, uri: &str, version: i64, timeout: Duration) -> Vec<Value> {
        let msg = self
            .wait_for(timeout, |m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && m["params"]["version"] == version
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri} v{version}"));
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// A later publication for `uri` (any version), if one comes within `timeout`.
    pub fn next_diagnostics(&mut self, uri: &str, timeout: Duration) -> Option<Value> {
        self.wait_for(timeout, |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })
        .map(|m| m["params"].clone())
    }

    /// `initialize` + `initialized` with the given workspace folders and client capabilities.
    pub fn initialize(&mut self, folders: &[&Path], capabilities: Value, options: Value) -> Value {
        let folders: Vec<Value> = folders
            .iter()
            .map(|p| json!({"uri": file_uri(p), "name": p.file_name().map(|n| n.to_string_lossy().into_owned())}))
            .collect();
        let result = self
            .request(
                "initialize",
                json!({
                    "processId": null,
                    "rootUri": null,
                    "capabilities": capabilities,
                    "workspaceFolders": folders,
                    "initializationOptions": options,
                }),
            )
            .expect("initialize");
        self.notify("initialized", json!({}));
        result
    }

    /// Waits for the end of indexing (needs the `window.workDoneProgress` capability).
    pub fn wait_indexed(&mut self) {
        self.wait_indexed_within(TIMEOUT);
    }

    pub fn wait_indexed_within(&mut self, timeout: Duration) {
        self.wait_for(timeout, |m| {
            m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
        })
        .expect("indexing ends");
    }

    /// Waits for the end of the server's indexing run number `run`: runs are numbered from 1
    /// in the order they start (one at a time), and the progress token is
    /// `verbatim/index/<run>`. Unlike [`LspClient::wait_indexed`], the end of another run does
    /// not count, so a test that changes the folders waits for the run its change started.
    pub fn wait_index_run(&mut self, run: u64) {
        let token = format!("verbatim/index/{run}");
        let end = self.wait_for(TIMEOUT, |m| {
            m["method"] == "$/progress"
                && m["params"]["token"] == token.as_str()
                && m["params"]["value"]["kind"] == "end"
        });
        assert!(
            end.is_some(),
            "indexing run {run} does not end; runs seen: {:?}",
            self.index_runs()
        );
    }

    /// The tokens and kinds of the indexing progress received so far, in order (for failure
    /// messages).
    pub fn index_runs(&self) -> Vec<String> {
        self.log
            .iter()
            .filter(|m| m["method"] == "$/progress")
            .filter(|m| m["params"]["value"]["kind"] != "report")
            .map(|m| {
                format!(
                    "{} {}",
                    m["params"]["token"].as_str().unwrap_or("?"),
                    m["params"]["value"]["kind"].as_str().unwrap_or("?")
                )
            })
            .collect()
    }

    pub fn open(&mut self, uri: &str, text: &str, version: i64) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": version, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: i64, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the process to end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn shutdown_and_exit(&mut self) -> Option<ExitStatus> {
        self.request("shutdown", Value::Null).expect("shutdown");
        self.notify("exit", Value::Null);
        self.wait_exit(TIMEOUT)
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn file_uri(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    tower_lsp::lsp_types::Url::from_file_path(&path)
        .expect("absolute path")
        .to_string()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lsp")
}

/// Copies a fixture folder into a fresh temporary directory (for tests that change files).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = fixtures().join(name);
    for entry in std::fs::read_dir(&from).expect("fixture folder") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

/// Client capabilities: progress, optional UTF-8, optional dynamic file watching.
pub fn capabilities(utf8: bool, dynamic_watch: bool) -> Value {
    let encodings = if utf8 {
        json!(["utf-8", "utf-16"])
    } else {
        json!(["utf-16"])
    };
    json!({
        "general": {"positionEncodings": encodings},
        "window": {"workDoneProgress": true},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": dynamic_watch}, "workspaceFolders": true},
        "textDocument": {"publishDiagnostics": {"relatedInformation": true, "versionSupport": true}},
    })
}

/// The byte offsets where the lines of `text` start: a line ends at `\n`, `\r\n` or a lone
/// `\r`, as the LSP specification counts them.
pub fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    for i in 0..b.len() {
        let ends = b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'));
        if ends {
            starts.push(i + 1);
        }
    }
    starts
}

/// The LSP position of byte `offset` of `text`, columns in UTF-16 units (or bytes when
/// `utf8`): the client's own arithmetic.
pub fn position(text: &str, offset: usize, utf8: bool) -> Value {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let line_start = starts[line];
    let col: usize = if utf8 {
        offset - line_start
    } else {
        text[line_start..offset].chars().map(char::len_utf16).sum()
    };
    json!({"line": line, "character": col})
}

/// The byte offset of an LSP position (the inverse of [`position`]).
pub fn offset(text: &str, pos: &Value, utf8: bool) -> usize {
    let line = pos["line"].as_u64().expect("line") as usize;
    let col = pos["character"].as_u64().expect("character") as usize;
    let starts = line_starts(text);
    let Some(&line_start) = starts.get(line) else {
        return text.len();
    };
    let line_text = &text[line_start..];
    let line_text = &line_text[..line_text.find(['\n', '\r']).unwrap_or(line_text.len())];
    let mut units = 0;
    for (i, c) in line_text.char_indices() {
        if units >= col {
            return line_start + i;
        }
        units += if utf8 { c.len_utf8() } else { c.len_utf16() };
    }
    line_start + line_text.len()
}

/// Applies LSP text edits (one document's) to `text`, as an editor would.
pub fn apply_edits(text: &str, edits: &[Value], utf8: bool) -> String {
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"], utf8),
                offset(text, &e["range"]["end"], utf8),
                e["newText"].as_str().expect("newText").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (a, b, new) in spans {
        out.replace_range(a..b, &new);
    }
    out
}
