--- tpp.cli.completion: bash and zsh completion scripts, generated from the
-- command definitions of tpp.cli (the same ones --help and the man page use).
--
--   tpp completion bash > ~/.local/share/bash-completion/completions/tpp
--   tpp completion zsh > ~/.zfunc/_tpp        (a folder on $fpath)
--
-- Commands, options, option values with `choices`, files for options with
-- `file = true` or an arg of FILE/PATH, and chip names or rule ids for
-- commands whose positionals are chips or rules (asked of `tpp completion
-- --list chips|rules` when completing, so a user's database stays current).
local M = {}

local function sorted(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

local function takes_file(o)
  return o.file or (o.arg and (o.arg:match("FILE") or o.arg:match("PATH") or o.arg == "DIR")) and true or false
end

-- The commands with their options, in help order: { name, spec, options, positional, targets }.
local function commands(cli)
  local out = {}
  for _, name in ipairs(cli.available()) do
    local mod = cli.command_module(name)
    out[#out + 1] = { name = name, spec = mod, options = cli.options_of(mod),
                      positional = mod.args or (mod.list and "kind") or nil,
                      targets = mod.list and mod.list() or nil }
  end
  return out
end

local function shell_words(list)
  local out = {}
  for i, w in ipairs(list) do out[i] = w:gsub("[^%w%._%-/:=]", "") end
  return table.concat(out, " ")
end

--- The bash completion script.
function M.bash(cli)
  local cmds = commands(cli)
  local names = {}
  for i, c in ipairs(cmds) do names[i] = c.name end
  names[#names + 1] = "help"
  local L = {
    "# bash completion for tpp " .. require("tpp.backend")._VERSION ..
      ", generated from its command definitions ('tpp completion bash').",
    "_tpp_list() { tpp completion --list \"$1\" 2>/dev/null; }",
    "_tpp() {",
    "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"",
    "  local cmd=\"${COMP_WORDS[1]}\"",
    "  COMPREPLY=()",
    "  if [ \"$COMP_CWORD\" -eq 1 ]; then",
    "    COMPREPLY=( $(compgen -W \"" .. shell_words(names) .. "\" -- \"$cur\") )",
    "    return 0",
    "  fi",
    "  case \"$cmd\" in",
    "    help) COMPREPLY=( $(compgen -W \"" .. shell_words(names) .. "\" -- \"$cur\") ); return 0 ;;",
  }
  for _, c in ipairs(cmds) do
    L[#L + 1] = "    " .. c.name .. ")"
    L[#L + 1] = "      case \"$prev\" in"
    local words = {}
    for _, oname in ipairs(sorted(c.options)) do
      local o = c.options[oname]
      local forms = "--" .. oname .. (o.short and ("|-" .. o.short) or "")
      words[#words + 1] = "--" .. oname
      if o.short then words[#words + 1] = "-" .. o.short end
      if not o.flag then
        if o.choices then
          L[#L + 1] = ("        %s) COMPREPLY=( $(compgen -W \"%s\" -- \"$cur\") ); return 0 ;;"):format(forms,
            shell_words(o.choices))
        elseif takes_file(o) then
          L[#L + 1] = ("        %s) COMPREPLY=( $(compgen -f -- \"$cur\") ); return 0 ;;"):format(forms)
        else
          L[#L + 1] = ("        %s) return 0 ;;"):format(forms)
        end
      end
    end
    L[#L + 1] = "      esac"
    L[#L + 1] = "      if [[ \"$cur\" == -* ]]; then"
    L[#L + 1] = "        COMPREPLY=( $(compgen -W \"" .. shell_words(words) .. "\" -- \"$cur\") ); return 0"
    L[#L + 1] = "      fi"
    if c.positional == "chip" then
      L[#L + 1] = "      COMPREPLY=( $(compgen -W \"$(_tpp_list chips)\" -- \"$cur\") )"
    elseif c.positional == "rules" then
      L[#L + 1] = "      COMPREPLY=( $(compgen -W \"$(_tpp_list rules)\" -- \"$cur\") )"
    elseif c.positional == "kind" and c.targets then
      L[#L + 1] = "      [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=( $(compgen -W \"" .. shell_words(c.targets) ..
        "\" -- \"$cur\") )"
    elseif c.positional == "file" then
      L[#L + 1] = "      COMPREPLY=( $(compgen -f -- \"$cur\") )"
    end
    L[#L + 1] = "      ;;"
  end
  L[#L + 1] = "  esac"
  L[#L + 1] = "  return 0"
  L[#L + 1] = "}"
  L[#L + 1] = "complete -F _tpp tpp"
  return table.concat(L, "\n") .. "\n"
end

-- Text safe inside a zsh _arguments description [...] within single quotes.
local function zdesc(s)
  s = tostring(s or ""):gsub("[%[%]]", { ["["] = "(", ["]"] = ")" }):gsub(":", " -"):gsub("'", "'\\''")
  return s
end

--- The zsh completion script (a #compdef function file named _tpp).
function M.zsh(cli)
  local cmds = commands(cli)
  local L = {
    "#compdef tpp",
    "# zsh completion for tpp " .. require("tpp.backend")._VERSION ..
      ", generated from its command definitions ('tpp completion zsh').",
    "_tpp_chips() { local -a ids; ids=(${(f)\"$(tpp completion --list chips 2>/dev/null)\"}); " ..
      "compadd -a ids; }",
    "_tpp_rules() { local -a ids; ids=(${(f)\"$(tpp completion --list rules 2>/dev/null)\"}); " ..
      "compadd -a ids; }",
    "_tpp() {",
    "  local -a commands",
    "  commands=(",
  }
  for _, c in ipairs(cmds) do
    L[#L + 1] = ("    '%s:%s'"):format(c.name, zdesc(c.spec.summary))
  end
  L[#L + 1] = "    'help:explain a command'"
  L[#L + 1] = "  )"
  L[#L + 1] = "  if (( CURRENT == 2 )); then _describe -t commands 'tpp command' commands; return; fi"
  L[#L + 1] = "  local cmd=$words[2]"
  L[#L + 1] = "  shift words; (( CURRENT-- ))"
  L[#L + 1] = "  case $cmd in"
  L[#L + 1] = "    help) _describe -t commands 'tpp command' commands ;;"
  for _, c in ipairs(cmds) do
    local specs = {}
    for _, oname in ipairs(sorted(c.options)) do
      local o = c.options[oname]
      local action = ""
      if not o.flag then
        local what = zdesc(o.arg or "VALUE")
        if o.choices then action = (":%s:(%s)"):format(what, table.concat(o.choices, " "))
        elseif takes_file(o) then action = (":%s:_files"):format(what)
        else action = (":%s: "):format(what) end
      end
      local desc = "[" .. zdesc(o.help) .. "]"
      local star = o.multi and "*" or ""
      if o.short then
        specs[#specs + 1] = ("'%s(-%s --%s)'{-%s,--%s}'%s%s'"):format(star, o.short, oname, o.short, oname, desc,
          action)
      else
        specs[#specs + 1] = ("'%s--%s%s%s'"):format(star, oname, desc, action)
      end
    end
    if c.positional == "chip" then specs[#specs + 1] = "'*:chip:_tpp_chips'"
    elseif c.positional == "rules" then specs[#specs + 1] = "'*:rule version:_tpp_rules'"
    elseif c.positional == "kind" and c.targets then
      specs[#specs + 1] = ("'1:%s:(%s)'"):format(c.name == "bench" and "target" or "kind",
        table.concat(c.targets, " "))
    elseif c.positional == "file" then specs[#specs + 1] = "'*:file:_files'" end
    L[#L + 1] = "    " .. c.name .. ")"
    L[#L + 1] = "      _arguments -s \\"
    for i, s in ipairs(specs) do L[#L + 1] = "        " .. s .. (i < #specs and " \\" or "") end
    L[#L + 1] = "      ;;"
  end
  L[#L + 1] = "  esac"
  L[#L + 1] = "}"
  L[#L + 1] = "_tpp \"$@\""
  return table.concat(L, "\n") .. "\n"
end

return M
