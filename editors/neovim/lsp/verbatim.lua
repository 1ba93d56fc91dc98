-- Native LSP config for Neovim 0.11+: put this plugin on 'runtimepath', then `vim.lsp.enable('verbatim')`.
-- Override any field with `vim.lsp.config('verbatim', { ... })`, e.g. `cmd = { '/path/to/verbatim', 'lsp' }`
-- or `init_options = { stories = 'folder' }` (the keys of verbatim.toml; they override the file).
return {
  cmd = { 'verbatim', 'lsp' },
  filetypes = { 'text', 'markdown' },
  -- The corpus root: the folder with verbatim.toml, else the repository, else the file's folder.
  root_dir = function(bufnr, on_dir)
    on_dir(require('verbatim').root_dir(bufnr))
  end,
  init_options = {},
  settings = { verbatim = {} },
}
