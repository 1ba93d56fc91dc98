//! The language server: a thin tower-lsp layer over the engine (`verbatim lsp`).
//!
//! - [`store`]: open buffers (ropes with versions) and incremental edits.
//! - `state`: one corpus per workspace folder, open buffers laid over the files, what was
//!   published.
//! - `settings`: `verbatim.toml` plus the client's settings.
//! - `features`: diagnostics, hover, code actions, references, symbols (pure).
//! - `server`: the protocol handlers, indexing with progress, file watching, the publisher.
//! - `convert`: byte spans to LSP positions via the one `LineIndex`.
//!
//! The engine below knows nothing of this module. The server writes only the protocol to
//! stdout (logs go to stderr) and never writes files.

mod convert;
mod features;
mod server;
mod settings;
mod state;
pub mod store;

use server::{Backend, Shared};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use tokio::sync::Notify;
use tower_lsp::jsonrpc::{Request, Response};
use tower_lsp::{LspService, Server};

/// Serves LSP over stdin/stdout until the client sends `exit` or closes stdin.
pub fn serve_stdio() -> anyhow::Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VERBATIM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    // stdin is read on a blocking thread that may never return: do not wait for it.
    runtime.shutdown_background();
    outcome
}

/// Serves LSP over any byte streams until `exit` or the end of the input.
pub async fn serve<I, O>(input: I, output: O) -> anyhow::Result<()>
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let exited = Arc::new(Notify::new());
    let builder = LspService::build(Backend::new)
        .custom_method("verbatim/documentText", Backend::document_text);
    #[cfg(test)]
    let builder = builder.custom_method("verbatim/testPanic", Backend::test_panic);
    let (service, socket) = builder.finish();
    let shared: Arc<Shared> = service.inner().shared.clone();
    let service = ExitWatch {
        inner: service,
        exited: exited.clone(),
    };
    let mut exit_seen = false;
    tokio::select! {
        _ = Server::new(input, output, socket).serve(service) => {}
        _ = exited.notified() => exit_seen = true,
    }
    if exit_seen && !shared.shutdown_requested.load(Ordering::SeqCst) {
        anyhow::bail!("exit without shutdown");
    }
    Ok(())
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
