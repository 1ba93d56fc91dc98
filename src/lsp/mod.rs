//! The language server: a thin tower-lsp layer over the engine.
