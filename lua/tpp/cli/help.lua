--- tpp.cli.help: the text of `tpp help` and `tpp CMD --help`, built from the
-- command definitions (the man page and shell completion read the same ones).
-- Everything fits 80 columns, or the terminal when it is narrower.
local report = require "tpp.report"
local util = require "tpp.util"

local M = {}

M.WIDTH = 80

function M.width() return math.min(report.width(), M.WIDTH) end

--- Split a usage string into words, keeping bracketed groups ("[--rules ID]") whole.
function M.usage_tokens(usage)
  local tokens, cur, depth = {}, "", 0
  for ch in usage:gmatch(".") do
    if ch == "[" or ch == "(" then depth = depth + 1 elseif ch == "]" or ch == ")" then depth = depth - 1 end
    if ch == " " and depth <= 0 then
      if cur ~= "" then tokens[#tokens + 1] = cur end
      cur = ""
    else
      cur = cur .. ch
    end
  end
  if cur ~= "" then tokens[#tokens + 1] = cur end
  return tokens
end

--- A usage string wrapped at width; continuation lines line up after the
-- command name ("usage: tpp classify "). A usage of several lines (forms of
-- one command) wraps each line, the later ones under the first.
function M.usage_lines(usage, width, lead)
  lead = lead or "usage: "
  if usage:find("\n", 1, true) then
    local out = {}
    for form in usage:gmatch("[^\n]+") do
      form = form:gsub("^%s+", "")
      out[#out + 1] = M.usage_lines(form, width, #out == 0 and lead or (" "):rep(#lead))
    end
    return table.concat(out, "\n")
  end
  local tokens = M.usage_tokens(usage)
  local head = { tokens[1] }
  local k = 2
  while tokens[k] and tokens[k]:match("^[%l][%w%-]*$") do -- the command words: "tpp", "chart", ...
    head[#head + 1] = tokens[k]
    k = k + 1
  end
  local first = lead .. table.concat(head, " ")
  local indent = (" "):rep(math.min(#first + 1, 24))
  local lines, line = {}, first
  for i = k, #tokens do
    local t = tokens[i]
    if report.len(line) + 1 + report.len(t) > width and line:match("%S") and line ~= indent then
      lines[#lines + 1] = line
      line = indent .. t
    else
      line = line .. " " .. t
    end
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

local function option_left(name, o)
  local left = (o.short and ("-" .. o.short .. ", ") or "    ") .. "--" .. name
  if not o.flag then left = left .. " " .. (o.arg or "VALUE") end
  return "  " .. left
end

local function option_help(o)
  local h = o.help or ""
  if o.deprecated and o.alias then h = h .. (h ~= "" and "; " or "") .. "deprecated: use --" .. o.alias end
  if o.multi then h = h .. " (repeatable)" end
  if o.file then h = h .. ("; '-' reads standard input") end
  return h
end

--- Lines of an option list: "  -o, --output FILE   help text wrapped".
function M.option_block(options, names, width)
  local lefts, col = {}, 0
  for i, name in ipairs(names) do
    lefts[i] = option_left(name, options[name])
    col = math.max(col, report.len(lefts[i]))
  end
  col = math.min(col, 30) + 2
  local out = {}
  for i, name in ipairs(names) do
    local body = report.wrap(option_help(options[name]), width - col, "")
    body = body:gsub("\n", "\n" .. (" "):rep(col))
    if report.len(lefts[i]) + 2 > col then
      out[#out + 1] = lefts[i]
      out[#out + 1] = (" "):rep(col) .. body
    else
      out[#out + 1] = lefts[i] .. (" "):rep(col - report.len(lefts[i])) .. body
    end
  end
  return table.concat(out, "\n")
end

--- Names of a command's own options (sorted) and of the global ones it does not override.
function M.option_names(cli, spec)
  local own = util.sorted_keys(spec.options or {})
  local global = {}
  for _, name in ipairs(cli.GLOBAL_ORDER) do
    if not (spec.options and spec.options[name]) then global[#global + 1] = name end
  end
  return own, global
end

function M.exit_lines(list, width)
  local out = {}
  for _, e in ipairs(list) do
    local body = report.wrap(e[2], width - 8, ""):gsub("\n", "\n" .. (" "):rep(8))
    out[#out + 1] = ("  %-4d  %s"):format(e[1], body)
  end
  return table.concat(out, "\n")
end

--- `tpp CMD --help`.
function M.command(cli, spec, cmdname)
  local width = M.width()
  local lines = { M.usage_lines(spec.usage or ("tpp " .. cmdname), width), "" }
  if spec.summary then lines[#lines + 1] = report.wrap(spec.summary, width) end
  if spec.help then
    lines[#lines + 1] = ""
    lines[#lines + 1] = report.reflow(spec.help, width)
  end
  local options = cli.options_of(spec)
  local own, global = M.option_names(cli, spec)
  if #own > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "options:"
    lines[#lines + 1] = M.option_block(options, own, width)
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "common options:"
  lines[#lines + 1] = M.option_block(options, global, width)
  if spec.exit_status then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "exit status:"
    lines[#lines + 1] = M.exit_lines(spec.exit_status, width)
  end
  return table.concat(lines, "\n") .. "\n"
end

--- `tpp help`: every command with its summary.
function M.overview(cli)
  local width = M.width()
  local lines = {
    "tpp " .. require("tpp.backend")._VERSION .. " - export-control metrics of AI chips",
    "",
    "usage: tpp COMMAND [options]     (no command: an interactive Lua prompt)",
    "",
    "commands:",
  }
  for _, name in ipairs(cli.available()) do
    local mod = cli.command_module(name)
    local body = report.wrap(mod.summary or "", width - 14, ""):gsub("\n", "\n" .. (" "):rep(14))
    lines[#lines + 1] = ("  %-10s  %s"):format(name, body)
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = report.wrap("Every command takes -f/--format table|json|jsonl|csv, -j (--json), " ..
    "-o/--output FILE and -h/--help; 'tpp help COMMAND' explains one, 'man tpp' all of them.", width)
  lines[#lines + 1] = report.wrap("Exit status: 0 not controlled or ok, 1 controlled (licence required), " ..
    "2 undetermined, 64 usage error, 65 bad data, 66 missing input, 70 internal error, 130 interrupted.", width)
  lines[#lines + 1] = "Not legal advice."
  return table.concat(lines, "\n") .. "\n"
end

return M
