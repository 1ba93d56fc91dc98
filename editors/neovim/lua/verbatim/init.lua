-- Verbatim for Neovim: starts `verbatim lsp` for text and Markdown buffers and adds :VerbatimVersions.
--
--   require('verbatim').setup {
--     cmd = { 'verbatim', 'lsp' },          -- the server; default `verbatim` on PATH
--     filetypes = { 'text', 'markdown' },
--     settings = { stories = 'folder' },    -- verbatim.toml keys; they override the corpus's file
--     capabilities = nil,                   -- passed to the client as is (e.g. from a completion plugin)
--     on_attach = nil,                      -- function(client, bufnr)
--   }
--
-- On Neovim 0.11+ this uses vim.lsp.config/vim.lsp.enable (and lsp/verbatim.lua); on 0.10 it starts the
-- client itself with vim.lsp.start from a FileType autocommand.
local M = {}

M.defaults = {
  cmd = { 'verbatim', 'lsp' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'verbatim.toml', '.git' },
  settings = {},
}

M.options = vim.deepcopy(M.defaults)

--- The corpus root of a buffer: the nearest folder up with a root marker, else the file's own folder.
function M.root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr or 0)
  if name == '' then
    return vim.fn.getcwd()
  end
  local found = vim.fs.find(M.options.root_markers, { path = vim.fs.dirname(name), upward = true })[1]
  if found then
    return vim.fs.dirname(found)
  end
  return vim.fs.dirname(name)
end

--- The running verbatim client attached to a buffer, if any.
function M.client(bufnr)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  return get({ bufnr = bufnr or 0, name = 'verbatim' })[1]
end

local function start_0_10(args)
  local bufnr = args.buf
  if vim.bo[bufnr].buftype ~= '' then
    return
  end
  vim.lsp.start({
    name = 'verbatim',
    cmd = M.options.cmd,
    root_dir = M.root_dir(bufnr),
    init_options = M.options.settings,
    settings = { verbatim = M.options.settings },
    capabilities = M.options.capabilities,
    on_attach = M.options.on_attach,
  }, { bufnr = bufnr })
end

--- Shows every version of the quote under the cursor (the server's hover: speaker, agreement and a table
--- of readings with their sources) in a floating window.
function M.show_versions()
  local bufnr = vim.api.nvim_get_current_buf()
  local client = M.client(bufnr)
  if not client then
    vim.notify('verbatim: the language server is not attached to this buffer', vim.log.levels.WARN)
    return
  end
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  local request = vim.fn.has('nvim-0.11') == 1 and function(...)
    return client:request(...)
  end or client.request
  request('textDocument/hover', params, function(err, result)
    if err then
      vim.notify('verbatim: ' .. (err.message or tostring(err)), vim.log.levels.ERROR)
      return
    end
    if not result or not result.contents then
      vim.notify('verbatim: no quote under the cursor', vim.log.levels.INFO)
      return
    end
    local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
    if vim.tbl_isempty(lines) then
      vim.notify('verbatim: no quote under the cursor', vim.log.levels.INFO)
      return
    end
    vim.lsp.util.open_floating_preview(lines, 'markdown', { border = 'rounded', focus_id = 'verbatim_versions' })
  end, bufnr)
end

--- Fills buffer `bufnr`, named by a `verbatim-index://` URI (a version only the shared index holds, as a
--- finding's related location names it), with the text the server has from the index, read-only.
function M.read_index_document(bufnr, uri)
  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local client = get({ name = 'verbatim' })[1]
  local lines, problem
  if not client then
    problem = 'the language server is not running: the versions from the shared index come from it'
  else
    local on = vim.lsp.get_buffers_by_client_id(client.id)[1] or bufnr
    local params = { uri = uri }
    local answer, err
    if vim.fn.has('nvim-0.11') == 1 then
      answer, err = client:request_sync('verbatim/indexDocument', params, 5000, on)
    else
      answer, err = client.request_sync('verbatim/indexDocument', params, 5000, on)
    end
    if not answer then
      problem = err or 'no answer from the language server'
    elseif answer.err then
      problem = answer.err.message or tostring(answer.err)
    else
      lines = vim.split(answer.result.text, '\n', { plain = true })
      if lines[#lines] == '' then
        table.remove(lines)
      end
    end
  end
  vim.bo[bufnr].buftype = 'nofile'
  vim.bo[bufnr].swapfile = false
  vim.bo[bufnr].modifiable = true
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines or {})
  vim.bo[bufnr].modifiable = false
  vim.bo[bufnr].readonly = true
  vim.bo[bufnr].modified = false
  if problem then
    vim.notify('verbatim: ' .. uri .. ': ' .. problem, vim.log.levels.WARN)
  end
end

function M.setup(opts)
  M.options = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})

  if vim.lsp.config and vim.lsp.enable then
    -- Neovim 0.11+: lsp/verbatim.lua supplies the base config; this layer adds the user's options.
    vim.lsp.config('verbatim', {
      cmd = M.options.cmd,
      filetypes = M.options.filetypes,
      init_options = M.options.settings,
      settings = { verbatim = M.options.settings },
      capabilities = M.options.capabilities,
      on_attach = M.options.on_attach,
    })
    vim.lsp.enable('verbatim')
  else
    local group = vim.api.nvim_create_augroup('verbatim_lsp', { clear = true })
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = M.options.filetypes,
      callback = start_0_10,
    })
    -- Buffers that are already open.
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(M.options.filetypes, vim.bo[buf].filetype) then
        start_0_10({ buf = buf })
      end
    end
  end
end

return M
