-- kojo for Neovim (0.7 or later): `.kojo` files get the filetype `kojo`,
-- and every kojo project (the nearest directory upwards with a kojo.kdl)
-- one `kojo lsp` client: diagnostics, hover (K), go to definition,
-- references, rename, completion (omnifunc or a completion plugin) and
-- formatting come from it.
--
-- Use: put this file in your config (`~/.config/nvim/lua/kojo.lua`) and add
-- `require("kojo")` to init.lua, or `:luafile` it. `vim.g.kojo_command`
-- names another kojo executable than the one on PATH; `vim.g.kojo_language`
-- ("en" or "ja") the language of the `kojo explain` pages hovers show,
-- which is otherwise Japanese when Neovim's `v:lang` is (LANG=ja_JP.UTF-8).

-- An autocommand rather than vim.filetype.add, which Neovim 0.7 reads only
-- with `vim.g.do_filetype_lua` set.
vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, { pattern = "*.kojo", command = "setfiletype kojo" })

local clients = {}

vim.api.nvim_create_autocmd("FileType", {
  pattern = "kojo",
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    local manifest = vim.fn.findfile("kojo.kdl", vim.fn.fnamemodify(file, ":p:h") .. ";")
    if manifest == "" then
      return
    end
    local root = vim.fn.fnamemodify(manifest, ":p:h")
    local config = {
      name = "kojo",
      cmd = { vim.g.kojo_command or "kojo", "lsp" },
      root_dir = root,
      -- Neovim sends no locale: the language goes as an option.
      init_options = { language = vim.g.kojo_language or (vim.v.lang:match("^ja") and "ja" or "en") },
    }
    vim.bo[args.buf].commentstring = "// %s"
    vim.bo[args.buf].omnifunc = "v:lua.vim.lsp.omnifunc"
    -- Neovim maps `K` to hover itself only from 0.10 on.
    vim.keymap.set("n", "K", vim.lsp.buf.hover, { buffer = args.buf, desc = "kojo: hover" })
    if vim.lsp.start then
      vim.lsp.start(config, { bufnr = args.buf })
      return
    end
    -- Neovim 0.7 has no vim.lsp.start: one client per project, attached
    -- to each of its buffers.
    local client = clients[root] and vim.lsp.get_client_by_id(clients[root])
    if not client or client.is_stopped() then
      clients[root] = vim.lsp.start_client(config)
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})
