//! Zed extension: starts the Verbatim language server (`verbatim lsp`) found on PATH for
//! Markdown and plain-text files. All features come from the server over LSP.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Verbatim;

impl zed::Extension for Verbatim {
    fn new() -> Self {
        Verbatim
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let path = worktree
            .which("verbatim")
            .ok_or("verbatim not found on PATH: install it with `cargo install --path .`")?;
        Ok(zed::Command {
            command: path,
            args: vec!["lsp".into()],
            env: Vec::new(),
        })
    }

    /// `"lsp": { "verbatim": { "initialization_options": { ... } } }` in Zed's settings: the keys of
    /// verbatim.toml, which override the corpus's file.
    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)?.initialization_options)
    }

    /// `"lsp": { "verbatim": { "settings": { ... } } }`, sent as the `verbatim` section.
    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        let settings = LspSettings::for_worktree(id.as_ref(), worktree)?.settings;
        Ok(settings.map(|s| zed::serde_json::json!({ "verbatim": s })))
    }
}

zed::register_extension!(Verbatim);
