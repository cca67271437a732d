--- tpp completion bash|zsh: the shell completion script, generated from the
-- command definitions; --list chips|rules prints the names it completes.
local M = {
  summary = "print the shell completion script for bash or zsh",
  usage = "tpp completion bash|zsh [--list chips|rules]",
  help = "Install for bash:\n" ..
    "  tpp completion bash > ~/.local/share/bash-completion/completions/tpp\n" ..
    "and for zsh, into a folder on $fpath (before compinit runs):\n" ..
    "  tpp completion zsh > ~/.zfunc/_tpp\n" ..
    "'make install' installs both. --list prints the chip ids and names or the rule version ids that " ..
    "the scripts complete.",
  options = {
    list = { arg = "WHAT", choices = { "chips", "rules" }, help = "print the names completed for chips or rules" },
  },
  max_args = 1,
  raw_text = true,
  rows = function(data) return data.names end,
}

function M.list() return { "bash", "zsh" } end

function M.run(args)
  local cli = require "tpp.cli"
  if args.list then
    local names, seen = {}, {}
    local function add(s)
      if s and not seen[s] and not s:find("%s") then
        seen[s] = true
        names[#names + 1] = s
      end
    end
    if args.list == "chips" then
      local db = require "tpp.chips"
      for _, r in ipairs(db.rows()) do
        add(r.id)
        for _, a in ipairs(db.aliases_of(r.id)) do add(a) end
      end
    else
      for _, r in ipairs(require("tpp.rules").list()) do add(r.id) end
    end
    return { names = names }, table.concat(names, "\n") .. "\n"
  end
  local shell = args[1]
  if shell ~= "bash" and shell ~= "zsh" then
    error(require("tpp.errors").usage(("tpp completion: '%s': expected bash or zsh"):format(tostring(shell))), 0)
  end
  local text = require("tpp.cli.completion")[shell](cli)
  return { shell = shell, script = text }, text
end

return M
