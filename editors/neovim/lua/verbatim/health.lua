-- :checkhealth verbatim — is the server there, which version, which corpus root, is it attached.
local M = {}

local health = vim.health

function M.check()
  local verbatim = require('verbatim')
  health.start('verbatim')

  local nvim = vim.version()
  local v = string.format('%d.%d.%d', nvim.major, nvim.minor, nvim.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok('Neovim ' .. v .. ': native vim.lsp.config / vim.lsp.enable')
  elseif vim.fn.has('nvim-0.10') == 1 then
    health.ok('Neovim ' .. v .. ': vim.lsp.start (call require("verbatim").setup{})')
  else
    health.error('Neovim ' .. v .. ' is too old: Verbatim needs 0.10 or newer')
  end

  local cmd = verbatim.options.cmd
  if vim.lsp.config and vim.lsp.config.verbatim and vim.lsp.config.verbatim.cmd then
    cmd = vim.lsp.config.verbatim.cmd
  end
  local bin = type(cmd) == 'table' and cmd[1] or nil
  if not bin then
    health.warn('the server command is a function; cannot check the binary')
  elseif vim.fn.executable(bin) == 1 then
    local path = vim.fn.exepath(bin)
    health.ok('server binary: ' .. path)
    local ok, res = pcall(function()
      return vim.system({ bin, '--version' }, { text = true }):wait(5000)
    end)
    if ok and res and res.code == 0 then
      health.ok('server version: ' .. vim.trim(res.stdout or ''))
    else
      health.warn('`' .. bin .. ' --version` failed: ' .. vim.trim((res and res.stderr) or ''))
    end
  else
    health.error('server binary `' .. bin .. '` not found or not executable', {
      'Install it with `cargo install --path .` from a checkout of the verbatim repository',
      'or point the plugin at it: require("verbatim").setup{ cmd = { "/path/to/verbatim", "lsp" } }',
    })
  end

  local bufnr = vim.api.nvim_get_current_buf()
  local root = verbatim.root_dir(bufnr)
  health.info('corpus root for the current buffer: ' .. root)
  if vim.uv.fs_stat(root .. '/verbatim.toml') then
    health.ok('verbatim.toml found in the corpus root')
  else
    health.info('no verbatim.toml in the corpus root: defaults apply')
  end

  local client = verbatim.client(bufnr)
  if client then
    local info = client.server_info or {}
    health.ok(string.format('attached to this buffer: %s %s (client id %d)', info.name or 'verbatim', info.version or '', client.id))
  else
    health.info('not attached to the current buffer (open a text or Markdown article)')
  end
end

return M
