-- The Neovim 0.10 way, on whatever Neovim runs this: with vim.lsp.config/vim.lsp.enable hidden,
-- require('verbatim').setup{} must start the server itself (vim.lsp.start from a FileType autocommand)
-- and the server must publish Verbatim diagnostics for the draft.
--
--   VERBATIM_BIN=/path/to/verbatim nvim --headless --clean -l tests/e2e/neovim/test_start.lua

local TIMEOUT = tonumber(os.getenv('E2E_TIMEOUT_MS') or '') or 60000
local function log(msg)
  io.stdout:write('[neovim-e2e:0.10-path] ' .. msg .. '\n')
  io.stdout:flush()
end
local function check(cond, msg)
  if not cond then
    log('FAIL: ' .. msg)
    os.exit(1)
  end
end

local bin = vim.fn.fnamemodify(os.getenv('VERBATIM_BIN') or '', ':p')
check(vim.fn.executable(bin) == 1, 'VERBATIM_BIN is not executable: ' .. bin)
local repo = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h:h:h:h')
local corpus = vim.fn.tempname() .. '-ferry'
vim.fn.mkdir(corpus, 'p')
for _, name in ipairs({ 'wire.md', 'gazette.md', 'draft.md' }) do
  vim.fn.writefile(vim.fn.readfile(repo .. '/tests/e2e/fixtures/ferry/' .. name, 'b'), corpus .. '/' .. name, 'b')
end

vim.cmd('filetype on')
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
-- Hide the 0.11 API so setup() takes the vim.lsp.start path.
vim.lsp.config = nil
vim.lsp.enable = nil
-- Settings from setup{} reach the server (as init_options): quote-differs raised to an error. And a
-- client that offers only UTF-16 positions (as Neovim 0.10 and most editors do) gets UTF-16 ranges.
local capabilities = vim.lsp.protocol.make_client_capabilities()
capabilities.general = capabilities.general or {}
capabilities.general.positionEncodings = { 'utf-16' }
local attached = false
require('verbatim').setup({
  cmd = { bin, 'lsp' },
  settings = { severity = { ['quote-differs'] = 'error' } },
  capabilities = capabilities,
  on_attach = function()
    attached = true
  end,
})

vim.cmd.edit(vim.fn.fnameescape(corpus .. '/draft.md'))
local bufnr = vim.api.nvim_get_current_buf()
local client
check(vim.wait(TIMEOUT, function()
  client = require('verbatim').client(bufnr)
  return client ~= nil and client.initialized
end, 50), 'the server did not start through vim.lsp.start')
check(client.config.root_dir == corpus, 'root_dir is ' .. tostring(client.config.root_dir))
log('started through vim.lsp.start, root ' .. client.config.root_dir)
check(attached, 'on_attach from setup{} was not called')
check(client.offset_encoding == 'utf-16', 'offered only UTF-16, negotiated ' .. tostring(client.offset_encoding))

local ns = vim.lsp.diagnostic.get_namespace(client.id)
check(vim.wait(TIMEOUT, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = ns })) do
    if d.code == 'quote-differs' then
      check(d.severity == vim.diagnostic.severity.ERROR, 'settings from setup{} were not applied: quote-differs has severity ' .. d.severity)
      -- Neovim converts the UTF-16 range to bytes: the curly opening mark is 3 bytes, 1 UTF-16 unit.
      local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1]
      check(line:sub(d.col + 1, d.col + 14) == 'We will not pu', ('UTF-16 range lands at byte %d: %q'):format(d.col, line:sub(d.col + 1, d.col + 14)))
      return true
    end
  end
  return false
end, 50), 'no quote-differs diagnostic')
log('quote-differs published as an error, as setup{ settings } asked')

-- A second article of the same corpus reuses the client.
vim.cmd.edit(vim.fn.fnameescape(corpus .. '/wire.md'))
check(vim.wait(TIMEOUT, function()
  return require('verbatim').client(0) ~= nil
end, 50), 'wire.md did not attach')
check(require('verbatim').client(0).id == client.id, 'a second client was started for the same corpus')
client:stop()
vim.wait(3000, function()
  return client:is_stopped()
end)

-- :checkhealth verbatim with a server that is not there says so and how to install it.
-- (Set on the options directly: setup() would also try to start it for the open buffer.)
require('verbatim').options.cmd = { corpus .. '/no-such-verbatim', 'lsp' }
vim.cmd('checkhealth verbatim')
local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
check(health:find('not found or not executable', 1, true) ~= nil, ':checkhealth does not report the missing binary:\n' .. health)
check(health:find('cargo install --path .', 1, true) ~= nil, ':checkhealth does not say how to install the server')
log(':checkhealth verbatim reports a missing binary with the install command')

vim.fn.delete(corpus, 'rf')
log('PASS')
os.exit(0)
