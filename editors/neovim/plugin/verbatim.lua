-- Commands of the Verbatim plugin (the LSP client itself starts with require('verbatim').setup{} or
-- vim.lsp.enable('verbatim')).
if vim.g.loaded_verbatim then
  return
end
vim.g.loaded_verbatim = true

vim.api.nvim_create_user_command('VerbatimVersions', function()
  require('verbatim').show_versions()
end, { desc = 'Verbatim: show all versions of the quote under the cursor' })

-- A version only the shared index holds is named `verbatim-index://HOST:PORT/DB/PATH`: opening it (a
-- finding's related location) shows, read-only, the text the server has from the index.
vim.api.nvim_create_autocmd('BufReadCmd', {
  group = vim.api.nvim_create_augroup('verbatim_index_documents', { clear = true }),
  pattern = 'verbatim-index://*',
  callback = function(args)
    require('verbatim').read_index_document(args.buf, args.match)
  end,
  desc = 'Verbatim: show a version from the shared index',
})
