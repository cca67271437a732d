--- tpp.rules.input: what the rule commands share: chips from files (a JSON
-- literal-ok-comments: interval examples in comments use 3A090 numbers.
-- list of chip tables as tpp.chip takes them, or a CSV with a header row as
-- tpp.chips.import reads it; "-" is standard input), dates, NAME=VALUE
-- settings, and JSON-safe copies of results (no infinities).
local json = require "tpp.json"
local util = require "tpp.util"
local errors = require "tpp.errors"

local M = {}

local function strip_null(v)
  if v == json.null then return nil end
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = strip_null(x) end
  return out
end

--- Chips from FILE: .json (a list, or { "chips": [...] }) or .csv. Returns a
-- list of chip tables; raises "cmd: FILE: ..." naming the row that is wrong.
function M.read_chips(path, cmd)
  local text, err = util.read_text(path)
  if not text then error(errors.input(("%s: %s"):format(cmd, err)), 0) end
  local list
  -- a .csv file, or CSV on standard input (which does not start like JSON)
  if path:lower():match("%.csv$") or (path == "-" and not text:match("^%s*[%[{]")) then
    local import = require "tpp.chips.import"
    local ok, rows, msg = pcall(import.read_csv_text, text, path == "-" and "standard input" or path)
    if not ok then error(("%s: %s"):format(cmd, tostring(rows):gsub("^tpp: ", "")), 0) end
    if not rows then error(("%s: %s"):format(cmd, tostring(msg):gsub("^tpp: ", "")), 0) end
    list = rows
  else
    local ok, data = pcall(json.decode, text, path)
    if not ok then error(("%s: %s"):format(cmd, tostring(data):gsub("^tpp[%.%w]*: ", "")), 0) end
    data = strip_null(data)
    if type(data) == "table" and data.chips then data = data.chips end
    if type(data) ~= "table" or (next(data) ~= nil and data[1] == nil) then
      error(("%s: %s: expected a JSON list of chips (or { \"chips\": [...] })"):format(cmd, path), 0)
    end
    list = data
  end
  local tpp = require "tpp"
  for i, c in ipairs(list) do
    if type(c) ~= "table" then
      error(("%s: %s: chip %d: an object expected, got %s"):format(cmd, path, i, type(c)), 0)
    end
    local ok, msg = pcall(tpp.chip, c)
    if not ok then
      error(("%s: %s: chip %d (%s): %s"):format(cmd, path, i, tostring(c.id or c.name or "no id"),
        tostring(msg):gsub("^tpp: ", "")), 0)
    end
    if not c.id and not c.name then c.id = ("row%d"):format(i) end
  end
  return list
end

--- Chips named on the command line, or from --input, or the database.
function M.chips(args, cmd, first)
  local tpp = require "tpp"
  local list = {}
  for i = first or 1, #args do
    local ok, c = pcall(tpp.chip, args[i])
    if not ok then error(("%s: %s"):format(cmd, tostring(c):gsub("^tpp: ", "")), 0) end
    list[#list + 1] = c
  end
  if args.input then
    for _, c in ipairs(M.read_chips(args.input, cmd)) do list[#list + 1] = c end
  end
  if #list == 0 then list = tpp.chips() end
  return list
end

--- A YYYY-MM-DD date option (nil stays nil).
function M.date(args, name, cmd)
  local s = args[name]
  if s == nil then return nil end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  local dim = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  if not y or tonumber(m) < 1 or tonumber(m) > 12 or tonumber(d) < 1 or tonumber(d) > dim[tonumber(m)] then
    error(("%s: --%s: '%s' is not a date; expected YYYY-MM-DD"):format(cmd, name, s), 0)
  end
  return s
end

--- --set NAME=VALUE ... -> { NAME = number }.
function M.settings(list, cmd)
  local out = {}
  for _, s in ipairs(list or {}) do
    local name, value = s:match("^([^=]+)=(.+)$")
    if not name then error(("%s: --set '%s': expected NAME=VALUE, e.g. 3A090.a.1.tpp=4000"):format(cmd, s), 0) end
    name = util.trim(name)
    value = util.trim(value)
    local n = tonumber((value:gsub("_", ""):gsub(",", "")))
    if not n and not value:match("^%d%d%d%d%-%d%d%-%d%d$") then
      error(("%s: --set %s: '%s' is not a number"):format(cmd, name, value), 0)
    end
    out[name] = n or value
  end
  return out
end

--- A copy safe for tpp.json: infinities become null, functions dropped.
function M.json_safe(v)
  if type(v) == "number" then
    if v == math.huge or v == -math.huge or v ~= v then return json.null end
    return v
  end
  if type(v) == "function" then return nil end
  if type(v) ~= "table" or v == json.null then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = M.json_safe(x) end
  return setmetatable(out, getmetatable(v) == json.array_mt and json.array_mt or nil)
end

--- Versions named by --rules (ids, files or "all"); nil when none given.
function M.versions(list, cmd)
  if not list then return nil end
  local rules = require "tpp.rules"
  local out = {}
  for _, x in ipairs(list) do
    if x == "all" then
      for _, id in ipairs(rules.BUILTIN) do out[#out + 1] = rules.get(id) end
    else
      local ok, v = pcall(rules.get, x)
      if not ok then error(("%s: --rules %s: %s"):format(cmd, x, tostring(v):gsub("^tpp[%.%w]*: ", "")), 0) end
      out[#out + 1] = v
    end
  end
  return out
end

--- An interval as text: [2400, 4800), (-inf, 5.92), ...
function M.interval_text(i, fmt)
  fmt = fmt or util.num
  local lo = i.lo == -math.huge and "-inf" or fmt(i.lo)
  local hi = i.hi == math.huge and "inf" or fmt(i.hi)
  return (i.lo_incl and "[" or "(") .. lo .. ", " .. hi .. (i.hi_incl and "]" or ")")
end

return M
