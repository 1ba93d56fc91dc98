//! The language server: a thin tower-lsp layer over the engine (`verbatim lsp`).
//!
//! - [`store`]: open buffers (ropes with versions) and incremental edits.
//! - `state`: one engine session (`host::AnalysisHost`) per workspace folder, open buffers
//!   laid over the files, what was published.
//! - `settings`: `verbatim.toml` plus the client's settings.
//! - `database`: the other versions of the open documents from the shared quote index
//!   (`database`), asked off the handlers' path, with fallback to the folder and retries.
//! - `features`: diagnostics, hover, code actions, references, symbols (pure).
//! - `server`: the protocol handlers, indexing with progress, file watching, the publisher.
//! - `convert`: byte spans to LSP positions via the one `LineIndex`.
//! - [`framing`]: the client's bytes cut into messages and checked before tower-lsp reads
//!   them; the bad ones are answered there, so no input ends the server.
//! - `stdio`: stdin and stdout polled by the runtime when they are pipes or sockets (no
//!   blocking-pool thread on a keystroke's path).
//!
//! The engine below knows nothing of this module. The server writes only the protocol to
//! stdout (logs go to stderr) and never writes files.

mod convert;
mod database;
mod features;
pub mod framing;
mod server;
mod settings;
mod state;
mod stdio;
pub mod store;

use framing::Frame;
use serde_json::json;
use server::{Backend, Shared};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{Notify, mpsc};
use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::{LspService, Server};

/// A log filter directive: tower-lsp logs every message in and out at `trace`, and the
/// client's settings among them may hold a database password (`database`), so that target
/// never logs at `trace`, whatever `VERBATIM_LOG` or `RUST_LOG` say (the command line's
/// logger, `cli::logging`, adds it too). The editors' own protocol trace shows the wire.
pub const WIRE_UNLOGGED: &str = "tower_lsp::codec=debug";

/// Serves LSP over stdin/stdout until the client sends `exit` or closes stdin.
pub fn serve_stdio() -> anyhow::Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VERBATIM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
                .add_directive(WIRE_UNLOGGED.parse()?),
        )
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(async { serve(stdio::input(), stdio::output()).await });
    // stdin may be read on a blocking thread that never returns (a terminal): do not wait.
    runtime.shutdown_background();
    outcome
}

/// Serves LSP over any byte streams until `exit` or the end of the input.
///
/// The client's bytes go through [`framing`] first: tower-lsp reads only messages it can
/// decode, over an in-process pipe, and the bad ones are answered here. Its output comes back
/// through a second pipe and is written out whole message by whole message, between the
/// answers given here. The result is an error after `exit` without `shutdown`, and when the
/// input cannot be read on (it ends inside a message, or reading fails): the reason then also
/// goes to stderr and to the editor's log (`window/logMessage`).
pub async fn serve<I, O>(input: I, output: O) -> anyhow::Result<()>
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite + Unpin,
{
    let exited = Arc::new(Notify::new());
    let builder = LspService::build(Backend::new)
        .custom_method("verbatim/documentText", Backend::document_text)
        .custom_method("verbatim/indexDocument", Backend::index_document);
    #[cfg(test)]
    let builder = builder.custom_method("verbatim/testPanic", Backend::test_panic);
    let (service, socket) = builder.finish();
    let shared: Arc<Shared> = service.inner().shared.clone();
    let service = ExitWatch {
        inner: service,
        exited: exited.clone(),
    };
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (frames, frames_rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let relay = relay_output(from_server, frames.clone());
    let writer = write_frames(output, frames_rx);
    let main = async move {
        let server = Server::new(server_in, server_out, socket).serve(service);
        let reader = read_input(input, to_server, frames.clone());
        tokio::pin!(server, reader);
        let mut reading = true;
        let mut stream_error = None;
        let mut exit_seen = false;
        loop {
            tokio::select! {
                _ = &mut server => break,
                _ = exited.notified() => {
                    exit_seen = true;
                    break;
                }
                read = &mut reader, if reading => {
                    reading = false;
                    // tower-lsp has seen the end of its input and finishes what it started.
                    if let Err(why) = read {
                        tracing::error!("{why}; the server stops");
                        let _ = frames.send(encode(&json!({
                            "jsonrpc": "2.0",
                            "method": "window/logMessage",
                            "params": {"type": 1, "message": format!("verbatim: {why}; the server stops")},
                        })));
                        stream_error = Some(why);
                    }
                }
            }
        }
        if let Some(why) = stream_error {
            anyhow::bail!("{why}");
        }
        if exit_seen && !shared.shutdown_requested.load(Ordering::SeqCst) {
            anyhow::bail!("exit without shutdown");
        }
        Ok(())
    };
    let (outcome, (), ()) = tokio::join!(main, relay, writer);
    outcome
}

/// A message with its header, as it goes on the wire.
fn encode(message: &serde_json::Value) -> Vec<u8> {
    let body = message.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Reads the client's bytes, hands every good message to tower-lsp and answers the bad ones.
/// `Ok` at the end of the input between messages; `Err(why)` when the input cannot be read on.
async fn read_input<I>(
    mut input: I,
    mut server: tokio::io::DuplexStream,
    frames: mpsc::UnboundedSender<Vec<u8>>,
) -> Result<(), String>
where
    I: tokio::io::AsyncRead + Unpin,
{
    let mut deframer = framing::Deframer::default();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("cannot read the input: {e}")),
        };
        if n == 0 {
            return deframer.finish().map_err(|e| e.to_string());
        }
        deframer.push(&chunk[..n]);
        while let Some(frame) = deframer.next_frame() {
            match frame {
                Frame::Message { body, repaired } => {
                    if let Some(what) = repaired {
                        tracing::warn!("{what}");
                    }
                    let header = format!("Content-Length: {}\r\n\r\n", body.len());
                    let sent = async {
                        server.write_all(header.as_bytes()).await?;
                        server.write_all(body.as_bytes()).await
                    };
                    if sent.await.is_err() {
                        return Ok(()); // tower-lsp stopped reading: it is ending
                    }
                }
                Frame::Rejected(rejection) => {
                    tracing::warn!("message answered with an error: {}", rejection.message);
                    let _ = frames.send(encode(&rejection.response()));
                }
            }
        }
    }
}

/// Cuts tower-lsp's output into whole messages (it writes well-formed ones) for the writer.
async fn relay_output(
    from_server: tokio::io::DuplexStream,
    frames: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut reader = BufReader::new(from_server);
    loop {
        let mut message = Vec::new();
        let mut length = None;
        loop {
            let start = message.len();
            match reader.read_until(b'\n', &mut message).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&message[start..]);
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse::<usize>().ok();
            }
        }
        let Some(length) = length else { return };
        let start = message.len();
        message.resize(start + length, 0);
        if reader.read_exact(&mut message[start..]).await.is_err() || frames.send(message).is_err()
        {
            return;
        }
    }
}

/// Writes whole messages to the client, in the order they come.
async fn write_frames<O>(mut output: O, mut frames: mpsc::UnboundedReceiver<Vec<u8>>)
where
    O: tokio::io::AsyncWrite + Unpin,
{
    while let Some(frame) = frames.recv().await {
        if output.write_all(&frame).await.is_err() {
            return;
        }
        while let Ok(frame) = frames.try_recv() {
            if output.write_all(&frame).await.is_err() {
                return;
            }
        }
        if output.flush().await.is_err() {
            return;
        }
    }
}

/// Passes requests through and signals when `exit` arrives: tower-lsp stops answering after
/// `exit` but keeps reading its input, and the process must end.
struct ExitWatch<S> {
    inner: S,
    exited: Arc<Notify>,
}

impl<S> tower_service::Service<Request> for ExitWatch<S>
where
    S: tower_service::Service<Request, Response = Option<Response>>,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let exit = request.method() == "exit";
        let future = self.inner.call(without_null_params(request));
        if exit {
            self.exited.notify_one();
        }
        future
    }
}

/// `shutdown` and `exit` take no parameters, and JSON-RPC lets a client say so with
/// `"params": null` (Emacs 28's Eglot does). tower-lsp rejects that form with "Unexpected params",
/// which leaves the editor unable to stop the server; drop the null before it sees the request.
fn without_null_params(request: Request) -> Request {
    let parameterless = matches!(request.method(), "shutdown" | "exit");
    if !(parameterless && request.params().is_some_and(|p| p.is_null())) {
        return request;
    }
    let (method, id, _) = request.into_parts();
    let build = Request::build(method);
    match id {
        Some(id) => build.id(id).finish(),
        None => build.finish(),
    }
}

#[cfg(test)]
mod tests {
    //! In-process: the server over an in-memory duplex stream.
    use super::serve;
    use serde_json::{Value, json};
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

    async fn send(w: &mut (impl AsyncWriteExt + Unpin), msg: Value) {
        let body = serde_json::to_vec(&msg).unwrap();
        w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
            .await
            .unwrap();
        w.write_all(&body).await.unwrap();
    }

    async fn response(r: &mut (impl AsyncBufReadExt + Unpin), id: i64) -> Value {
        loop {
            let mut length = 0;
            loop {
                let mut line = String::new();
                r.read_line(&mut line).await.unwrap();
                let line = line.trim();
                if line.is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("Content-Length:") {
                    length = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            r.read_exact(&mut body).await.unwrap();
            let msg: Value = serde_json::from_slice(&body).unwrap();
            if msg["id"] == json!(id) {
                return msg;
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_panic_inside_a_request_answers_it_with_an_error_and_the_server_lives_on() {
        let (client_out, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, client_in) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(async move { serve(server_in, server_out).await });
        let (mut w, mut r) = (client_out, BufReader::new(client_in));
        send(&mut w, json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})).await;
        assert!(response(&mut r, 1).await["result"]["capabilities"].is_object());
        send(
            &mut w,
            json!({"jsonrpc": "2.0", "id": 2, "method": "verbatim/testPanic", "params": {}}),
        )
        .await;
        let failed = response(&mut r, 2).await;
        assert_eq!(failed["error"]["code"], -32603, "{failed}");
        assert!(
            failed["error"]["message"]
                .as_str()
                .unwrap()
                .contains("deliberate test panic")
        );
        send(&mut w, json!({"jsonrpc": "2.0", "id": 3, "method": "workspace/symbol", "params": {"query": ""}})).await;
        assert_eq!(response(&mut r, 3).await["result"], json!([]));
        send(
            &mut w,
            json!({"jsonrpc": "2.0", "id": 4, "method": "shutdown"}),
        )
        .await;
        response(&mut r, 4).await;
        send(&mut w, json!({"jsonrpc": "2.0", "method": "exit"})).await;
        assert!(server.await.unwrap().is_ok());
    }
}
