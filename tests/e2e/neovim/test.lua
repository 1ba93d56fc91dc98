-- End-to-end test of the Verbatim Neovim plugin in real Neovim (0.11+), headless:
--
--   VERBATIM_BIN=/path/to/verbatim nvim --headless --clean -l tests/e2e/neovim/test.lua
--
-- Opens the ferry fixture's draft, waits for the server's diagnostics, checks their codes and positions,
-- the hover (and :VerbatimVersions, :checkhealth verbatim), applies the preferred code action and checks
-- the buffer text and the diagnostics after. Exits non-zero on failure.

local TIMEOUT = tonumber(os.getenv('E2E_TIMEOUT_MS') or '') or 60000
local BAD = 'We will not put one passenger on a boat we cannot trust'
local GOOD = 'We will not put a single passenger on a boat that we cannot trust'

local function log(msg)
  io.stdout:write('[neovim-e2e] ' .. msg .. '\n')
  io.stdout:flush()
end

local function fail(msg)
  log('FAIL: ' .. msg)
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
  os.exit(1)
end

local function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

local function wait(what, cond)
  local ok = vim.wait(TIMEOUT, cond, 50)
  check(ok, ('timed out after %d ms waiting for %s'):format(TIMEOUT, what))
end

local bin = os.getenv('VERBATIM_BIN')
check(bin and bin ~= '', 'VERBATIM_BIN is not set')
bin = vim.fn.fnamemodify(bin, ':p')
check(vim.fn.executable(bin) == 1, 'VERBATIM_BIN is not executable: ' .. bin)

local script = debug.getinfo(1, 'S').source:sub(2)
local repo = vim.fn.fnamemodify(script, ':p:h:h:h:h')
local plugin = repo .. '/editors/neovim'
check(vim.fn.has('nvim-0.11') == 1, 'this test needs Neovim 0.11+ (vim.lsp.config)')

-- A fresh copy of the fixture corpus, so nothing in the repo is touched.
local corpus = vim.fn.tempname() .. '-ferry'
vim.fn.mkdir(corpus, 'p')
for _, name in ipairs({ 'wire.md', 'gazette.md', 'draft.md' }) do
  vim.fn.writefile(vim.fn.readfile(repo .. '/tests/e2e/fixtures/ferry/' .. name, 'b'), corpus .. '/' .. name, 'b')
end

-- -l leaves filetype detection off.
vim.cmd('filetype on')
vim.opt.runtimepath:prepend(plugin)
vim.cmd.runtime('plugin/verbatim.lua')
local log_file = os.getenv('ARTIFACTS') and (os.getenv('ARTIFACTS') .. '/neovim-lsp.log') or nil
if log_file then
  vim.lsp.set_log_level('info')
end

require('verbatim').setup({ cmd = { bin, 'lsp' } })

vim.cmd.edit(vim.fn.fnameescape(corpus .. '/draft.md'))
local bufnr = vim.api.nvim_get_current_buf()
check(vim.bo[bufnr].filetype == 'markdown', 'draft.md has filetype ' .. vim.bo[bufnr].filetype)

local client
wait('the verbatim client to attach', function()
  client = require('verbatim').client(bufnr)
  return client ~= nil and client.initialized
end)
log(('attached: %s %s, root %s, encoding %s'):format(
  (client.server_info or {}).name or '?',
  (client.server_info or {}).version or '',
  client.root_dir or client.config.root_dir or '?',
  client.offset_encoding
))
check((client.root_dir or client.config.root_dir) == corpus, 'corpus root is not the fixture folder: ' .. tostring(client.root_dir))

-- Where the differing quote is, from the buffer text (0-based line, byte column).
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
local bad_line, bad_col
for i, l in ipairs(lines) do
  local c = l:find(BAD, 1, true)
  if c then
    bad_line, bad_col = i - 1, c - 1
  end
end
check(bad_line ~= nil, 'the fixture lacks the differing quote')
local agreeing_line
for i, l in ipairs(lines) do
  if l:find('The ferry is our only road', 1, true) then
    agreeing_line = i - 1
  end
end

local function verbatim_diagnostics()
  local ns = vim.lsp.diagnostic.get_namespace(client.id)
  return vim.diagnostic.get(bufnr, { namespace = ns })
end
local function differs()
  local out = {}
  for _, d in ipairs(verbatim_diagnostics()) do
    if d.code == 'quote-differs' then
      table.insert(out, d)
    end
  end
  return out
end

wait('a quote-differs diagnostic', function()
  return #differs() > 0
end)
local diags = differs()
for _, d in ipairs(verbatim_diagnostics()) do
  log(('diagnostic %s %d:%d-%d:%d %s'):format(tostring(d.code), d.lnum, d.col, d.end_lnum, d.end_col, d.message:gsub('\n', ' ')))
end
check(#diags == 1, ('expected one quote-differs in the draft, got %d'):format(#diags))
local d = diags[1]
check(d.lnum == bad_line and d.col == bad_col,
  ('quote-differs starts at %d:%d, the quote\'s words at %d:%d'):format(d.lnum, d.col, bad_line, bad_col))
local quote_end = bad_col + #BAD
check(d.end_lnum == bad_line and d.end_col >= quote_end and d.end_col <= quote_end + 1,
  ('quote-differs ends at %d:%d, the quote\'s words end at %d:%d'):format(d.end_lnum, d.end_col, bad_line, quote_end))
check(d.severity == vim.diagnostic.severity.WARN, 'quote-differs is not a warning: ' .. tostring(d.severity))
check(d.message:find('single', 1, true) ~= nil, 'the message does not show the canonical words: ' .. d.message)
for _, other in ipairs(verbatim_diagnostics()) do
  check(other.lnum ~= agreeing_line or other.code ~= 'quote-differs', 'the agreeing quote got a quote-differs diagnostic')
end

-- Hover on the quote: the readings as a Markdown table.
vim.api.nvim_win_set_cursor(0, { bad_line + 1, bad_col + 5 })
local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
local hover = client:request_sync('textDocument/hover', params, TIMEOUT, bufnr)
check(hover and not hover.err and hover.result, 'no hover on the quote: ' .. vim.inspect(hover))
local hover_text = table.concat(vim.lsp.util.convert_input_to_markdown_lines(hover.result.contents), '\n')
log('hover: ' .. hover_text:gsub('\n', ' | '):sub(1, 400))
-- Differences may be marked up (**one**): compare the words without emphasis marks.
hover_text = hover_text:gsub('[*_]', '')
check(hover_text:find('|', 1, true) ~= nil, 'the hover has no table: ' .. hover_text)
check(hover_text:find('a single passenger', 1, true) ~= nil, 'the hover lacks the canonical reading')
check(hover_text:find('one passenger', 1, true) ~= nil, 'the hover lacks this version\'s reading')

-- :VerbatimVersions shows the same in a float.
vim.cmd('VerbatimVersions')
local float_text
wait('the :VerbatimVersions float', function()
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      float_text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), '\n')
      return float_text:gsub('[*_]', ''):find('single passenger', 1, true) ~= nil
    end
  end
  return false
end)
for _, w in ipairs(vim.api.nvim_list_wins()) do
  if vim.api.nvim_win_get_config(w).relative ~= '' then
    vim.api.nvim_win_close(w, true)
  end
end
log(':VerbatimVersions float shows the readings')

-- :checkhealth verbatim finds the binary.
vim.cmd('checkhealth verbatim')
local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
check(health:find('server binary: ' .. bin, 1, true) ~= nil, ':checkhealth verbatim does not report the binary:\n' .. health)
check(health:find('corpus root for the current buffer', 1, true) ~= nil, ':checkhealth verbatim does not report the corpus root')
if health:find('ERROR', 1, true) then
  log(':checkhealth verbatim reports an error:\n' .. health)
end
vim.cmd('tabclose')
check(vim.api.nvim_get_current_buf() == bufnr, 'lost the draft buffer after :checkhealth')
log(':checkhealth verbatim ok')

-- The preferred code action fixes the wording.
local lsp_diag = d.user_data and d.user_data.lsp
check(lsp_diag ~= nil, 'the diagnostic does not carry the LSP original')
local actions = client:request_sync('textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = lsp_diag.range,
  context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
}, TIMEOUT, bufnr)
check(actions and not actions.err and actions.result, 'codeAction failed: ' .. vim.inspect(actions))
local preferred
for _, a in ipairs(actions.result) do
  log('code action: ' .. a.title .. (a.isPreferred and ' (preferred)' or ''))
  if a.isPreferred then
    check(preferred == nil, 'more than one preferred code action')
    preferred = a
  end
end
check(preferred ~= nil, 'no preferred code action')
check(preferred.title == 'Use canonical wording', 'the preferred action is "' .. preferred.title .. '"')
if not preferred.edit and not preferred.command then
  local resolved = client:request_sync('codeAction/resolve', preferred, TIMEOUT, bufnr)
  check(resolved and resolved.result, 'codeAction/resolve failed: ' .. vim.inspect(resolved))
  preferred = resolved.result
end
local version_before = vim.lsp.util.buf_versions[bufnr]
if preferred.edit then
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
end
if preferred.command then
  local cmd = type(preferred.command) == 'table' and preferred.command or preferred
  client:exec_cmd(cmd, { bufnr = bufnr })
end

local text
wait('the canonical wording in the buffer', function()
  text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  return text:find(GOOD, 1, true) ~= nil
end)
check(text:find(BAD, 1, true) == nil, 'the old wording is still in the buffer')
local fixed_line = vim.api.nvim_buf_get_lines(bufnr, bad_line, bad_line + 1, false)[1]
check(fixed_line == lines[bad_line + 1]:gsub(vim.pesc(BAD), GOOD), 'the fix changed more than the quote: ' .. fixed_line)
log('buffer after the fix: ' .. fixed_line)

-- The server re-checks the edited buffer: the finding goes away.
wait('quote-differs to disappear after the fix', function()
  return vim.lsp.util.buf_versions[bufnr] ~= version_before and #differs() == 0
end)
-- And it stays away (not just a cleared list before the re-check).
vim.wait(1000, function()
  return false
end)
check(#differs() == 0, 'quote-differs came back after the fix')
log('diagnostics after the fix: ' .. #verbatim_diagnostics() .. ' (no quote-differs)')

-- A `verbatim-index://` URI (a version only a shared index holds) opens read-only through the server;
-- one it does not have (no index here) is an empty buffer and the server's reason.
local notified = {}
local notify = vim.notify
vim.notify = function(msg)
  table.insert(notified, msg)
end
vim.cmd.edit('verbatim-index://127.0.0.1:5432/archive/ferry/wire.md')
vim.notify = notify
local view = vim.api.nvim_get_current_buf()
check(vim.bo[view].readonly and not vim.bo[view].modifiable, 'an index version opens read-only')
local said = table.concat(notified, '\n')
check(said:find('is not a version this server has', 1, true) ~= nil, 'the server says why: ' .. said)
check(#vim.lsp.get_clients({ bufnr = view, name = 'verbatim' }) == 0 or vim.bo[view].filetype == '',
  'an index version is not a document of the workspace')
log('index version view: read-only, the reason given')
vim.cmd.buffer(bufnr)

if log_file then
  vim.fn.writefile(vim.fn.readfile(vim.lsp.get_log_path()), log_file)
end
client:stop()
vim.wait(3000, function()
  return client:is_stopped()
end)
vim.fn.delete(corpus, 'rf')
log('PASS')
os.exit(0)
