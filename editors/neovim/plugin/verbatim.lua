-- Commands of the Verbatim plugin (the LSP client itself starts with require('verbatim').setup{} or
-- vim.lsp.enable('verbatim')).
if vim.g.loaded_verbatim then
  return
end
vim.g.loaded_verbatim = true

vim.api.nvim_create_user_command('VerbatimVersions', function()
  require('verbatim').show_versions()
end, { desc = 'Verbatim: show all versions of the quote under the cursor' })
