-- Run by tests/editors.rs in headless Neovim: loads editors/neovim/kojo.lua
-- as a user's config would, opens a file of a kojo project, and writes what
-- Neovim's own LSP client got from `kojo lsp` (diagnostics, a hover, a
-- completion) to $KOJO_OUT, one line each. Exits non-zero when a step
-- times out.

local out = {}
local function finish(ok)
  local file = io.open(os.getenv("KOJO_OUT"), "w")
  file:write(table.concat(out, "\n") .. "\n")
  file:close()
  vim.cmd(ok and "qall!" or "cquit!")
end

local function at(var)
  local line, character = os.getenv(var):match("(%d+):(%d+)")
  return { line = tonumber(line), character = tonumber(character) }
end

vim.g.kojo_command = os.getenv("KOJO")
vim.g.kojo_language = os.getenv("KOJO_LANGUAGE")
dofile(os.getenv("KOJO_CONFIG"))
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("KOJO_FILE")))
local buf = vim.api.nvim_get_current_buf()
table.insert(out, "filetype " .. vim.bo[buf].filetype)

if not vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  table.insert(out, "no diagnostics")
  return finish(false)
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ""
  table.insert(out, "diagnostic " .. code .. " " .. d.message:gsub("\n", " "))
end

local function request(method, position)
  local params = { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = position }
  local answers = vim.lsp.buf_request_sync(buf, method, params, 30000) or {}
  for _, answer in pairs(answers) do
    if answer.result then
      return answer.result
    end
  end
end

-- The config maps `K` to the server's hover in kojo buffers.
local mapped = vim.fn.maparg("K", "n", false, true)
table.insert(out, "K " .. ((mapped.buffer == 1 and mapped.callback) and "hover" or "unmapped"))

-- The hover at the position in `var`, as one line tagged `tag`.
local function hover(var, tag)
  local answer = request("textDocument/hover", at(var))
  if not answer then
    table.insert(out, "no " .. tag)
    return false
  end
  table.insert(out, tag .. " " .. (answer.contents.value or ""):gsub("\n", " "))
  return true
end

-- A zone's hover, and a rule's `kojo explain` page in the language the
-- config asked for.
if not (hover("KOJO_HOVER", "hover") and hover("KOJO_HOVER_RULE", "rule")) then
  return finish(false)
end

local completion = request("textDocument/completion", at("KOJO_COMPLETE"))
if not completion then
  table.insert(out, "no completion")
  return finish(false)
end
for _, item in ipairs(completion.items or completion) do
  table.insert(out, "completion " .. item.label)
end
finish(true)
