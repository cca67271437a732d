--- tpp.cli.man: the tpp(1) man page in troff, generated from the command
-- definitions of tpp.cli (the same ones --help prints). bin/gen-man.lua
-- writes it; `make install` installs it.
local help = require "tpp.cli.help"
local util = require "tpp.util"

local M = {}

-- Text for troff: backslashes escaped, a leading . or ' made literal.
local function esc(s)
  s = tostring(s or ""):gsub("\\", "\\e")
  s = s:gsub("\n([.'])", "\n\\&%1")
  if s:match("^[.']") then s = "\\&" .. s end
  return s
end

-- An option name or flag: hyphens are minus signs.
local function opt(s) return (esc(s):gsub("%-", "\\-")) end

-- A help text: paragraphs reflowed by man; lines starting with a space kept as they are.
local function body(text)
  local out, in_block = {}, false
  for line in (tostring(text) .. "\n"):gmatch("(.-)\n") do
    if line:match("^%s+%S") then
      if not in_block then
        out[#out + 1] = ".RS\n.nf"
        in_block = true
      end
      out[#out + 1] = esc(line:gsub("^%s+", ""))
    else
      if in_block then
        out[#out + 1] = ".fi\n.RE"
        in_block = false
      end
      if line:match("^%s*$") then out[#out + 1] = ".PP" else out[#out + 1] = esc(line) end
    end
  end
  if in_block then out[#out + 1] = ".fi\n.RE" end
  return table.concat(out, "\n")
end

local function option_items(options, names)
  local out = {}
  for _, name in ipairs(names) do
    local o = options[name]
    local head = (o.short and ("\\fB\\-" .. esc(o.short) .. "\\fR, ") or "") .. "\\fB" .. opt("--" .. name) .. "\\fR"
    if not o.flag then head = head .. " \\fI" .. esc(o.arg or "VALUE") .. "\\fR" end
    local h = o.help or ""
    if o.deprecated and o.alias then h = h .. "; deprecated: use --" .. o.alias end
    local listed = true
    for _, c in ipairs(o.choices or {}) do listed = listed and h:find(c, 1, true) ~= nil end
    if not listed then h = h .. " (one of: " .. table.concat(o.choices, ", ") .. ")" end
    if o.multi then h = h .. " (repeatable)" end
    if o.file then h = h .. "; '-' reads standard input" end
    out[#out + 1] = ".TP\n" .. head .. "\n" .. esc(h)
  end
  return table.concat(out, "\n")
end

--- The man page. opts.date: the date printed in the footer (YYYY-MM-DD).
function M.page(cli, opts)
  opts = opts or {}
  local version = require("tpp.backend")._VERSION
  local L = {
    ('.TH TPP 1 "%s" "tpp %s" "User Commands"'):format(opts.date or "", version),
    ".SH NAME",
    "tpp \\- export-control metrics of AI chips: TPP, performance density, rule versions, inference",
    ".SH SYNOPSIS",
    ".B tpp",
    ".I command",
    '.RI [ options "] [" arguments ]',
    ".br",
    ".B tpp",
    ".br",
    ".B tpp help",
    ".RI [ command ]",
    ".SH DESCRIPTION",
    "tpp computes the regulatory metrics of AI accelerators (Total Processing Performance, performance " ..
      "density, memory and interconnect bandwidth, H100-equivalents) from datasheet figures with the " ..
      "provenance of every number, classifies chips under every version of the US export rules with a " ..
      "readable explanation, and models LLM inference. Without a command it opens an interactive Lua " ..
      "prompt with the tpp module loaded.",
    ".PP",
    "Tables are written for people and fit the width of the terminal (see ENVIRONMENT); " ..
      "\\fB\\-\\-format json\\fR, \\fBjsonl\\fR and \\fBcsv\\fR give every field for scripts " ..
      "(JSON keys sorted, numbers with up to 17 significant digits).",
    ".PP",
    "\\fBtpp is not legal advice.\\fR It computes metrics from published figures and reads public rule " ..
      "texts; a licensing decision needs counsel and the official text of the regulation.",
    ".SH COMMANDS",
  }
  for _, name in ipairs(cli.available()) do
    local mod = cli.command_module(name)
    L[#L + 1] = ('.SS "%s"'):format(esc(name))
    L[#L + 1] = ".nf"
    L[#L + 1] = "\\fB" .. esc(help.usage_lines(mod.usage or ("tpp " .. name), 78, "")) .. "\\fR"
    L[#L + 1] = ".fi"
    L[#L + 1] = ".PP"
    L[#L + 1] = esc((mod.summary or ""):gsub("^%l", string.upper)) .. "."
    if mod.help then
      L[#L + 1] = ".PP"
      L[#L + 1] = body(mod.help)
    end
    if mod.list and mod.subcommands then
      L[#L + 1] = ".PP"
      L[#L + 1] = "Targets: " .. esc(table.concat(mod.list(), ", ")) .. "."
    end
    local own = util.sorted_keys(mod.options or {})
    if #own > 0 then
      L[#L + 1] = ".PP"
      L[#L + 1] = "Options:"
      L[#L + 1] = ".RS"
      L[#L + 1] = option_items(cli.options_of(mod), own)
      L[#L + 1] = ".RE"
    end
    if mod.exit_status then
      L[#L + 1] = ".PP"
      L[#L + 1] = "Exit status:"
      L[#L + 1] = ".RS"
      for _, e in ipairs(mod.exit_status) do L[#L + 1] = ".TP\n.B " .. e[1] .. "\n" .. esc(e[2]) end
      L[#L + 1] = ".RE"
    end
  end
  L[#L + 1] = ".SH COMMON OPTIONS"
  L[#L + 1] = "Every command takes these (a command may give --output its own meaning of a file to write). " ..
    "Short options bundle (\\fB\\-jh\\fR); \\fB\\-\\-\\fR ends the options; a FILE of \\fB\\-\\fR is " ..
    "standard input where the option says so."
  L[#L + 1] = option_items(cli.GLOBAL_OPTIONS, cli.GLOBAL_ORDER)
  L[#L + 1] = ".SH EXIT STATUS"
  L[#L + 1] = "The same numbers in every command; decisions first, then errors (as in sysexits.h):"
  for _, e in ipairs(cli.EXIT_STATUS) do L[#L + 1] = ".TP\n.B " .. e[1] .. "\n" .. esc(e[2]) end
  L[#L + 1] = ".SH ENVIRONMENT"
  for _, e in ipairs({
    { "COLUMNS", "the width tables and text fit; else the terminal's width when standard output is a " ..
      "terminal, else 80 (so piped output is stable)" },
    { "TPP_LUA", "the Lua interpreter bin/tpp runs under (default: lua5.4, else luajit, lua5.1, lua)" },
    { "TPP_BINDING", "ffi to use LuaJIT's FFI binding of the C core instead of the Lua C API module" },
    { "TPP_NO_READLINE", "set: the interactive prompt reads plain lines (no lua-readline)" },
    { "TPP_NO_PROGRESS", "set: no progress lines on standard error" },
    { "TPP_DEBUG", "set: an internal error prints its Lua traceback" },
  }) do
    L[#L + 1] = ".TP\n.B " .. e[1] .. "\n" .. esc(e[2])
  end
  L[#L + 1] = ".SH FILES"
  L[#L + 1] = ".TP\n.I ~/.tpp_history\nthe interactive prompt's history (with lua-readline), saved after every line"
  L[#L + 1] = ".SH EXAMPLES"
  L[#L + 1] = ".nf"
  for _, ex in ipairs({
    "tpp chips --sort tpp", "tpp show \"Ascend 910C\"", "tpp classify H20 B200 --as-of 2026-03-01",
    "tpp classify -i fleet.csv -f csv > results.csv", "tpp explain \"RTX 4090D\" --rules us-2023-10",
    "tpp chart map --highlight H20 --png -o map.png", "tpp completion bash > ~/.local/share/bash-completion/completions/tpp",
  }) do
    L[#L + 1] = esc(ex)
  end
  L[#L + 1] = ".fi"
  L[#L + 1] = ".SH SEE ALSO"
  L[#L + 1] = "The README of tpp, and \\fBtpp help\\fR \\fIcommand\\fR."
  return table.concat(L, "\n") .. "\n"
end

return M
