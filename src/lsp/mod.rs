//! The language server: a thin tower-lsp layer over the engine.

/// Serves LSP over stdin/stdout until the client exits. (Provisional stub.)
pub fn serve_stdio() -> anyhow::Result<()> {
    anyhow::bail!("the language server is not built yet")
}
