--- tpp.rules.input: what the rule commands share: chips from files (CSV,
-- literal-ok-comments: interval examples in comments use 3A090 numbers.
-- JSON or JSON Lines; tpp.chips.schema), dates,
-- NAME=VALUE settings, and JSON-safe copies of results (no infinities).
local json = require "tpp.json"
local util = require "tpp.util"

local M = {}

--- Chips from FILE ("-" = standard input): CSV rows, JSON (a list, or
-- { "chips": [...] }) or JSON Lines, rows or nested chip tables (see
-- tpp.chips.schema). Returns a list of chip objects, and true when limit
-- was given and the input has more rows (they are not read); raises a
-- tpp.io error ("cmd: FILE: row N (line L), column: ...", exit 65 or 66).
function M.read_chips(path, cmd, format, limit)
  local reader = require "tpp.io"
  local chips_schema = require "tpp.chips.schema"
  local s, err = reader.open(path, { schema = chips_schema.SCHEMA, format = format,
                                     objects = chips_schema.object_hook })
  if not s then reader.raise(err, cmd) end
  local tpp = require "tpp"
  local list, more = {}, false
  while true do
    local chunk, cerr = s:next()
    if cerr then
      s:close()
      reader.raise(cerr, cmd)
    end
    if not chunk then break end
    for i, rec in ipairs(chunk.records) do
      if limit and #list >= limit then more = true; break end
      local c = rec._chip
      if c and c.id == nil and c.name == nil then
        c = util.deepcopy(c)
        c.id = ("row%d"):format(chunk.rows[i])
      end
      c = c or chips_schema.to_chip(rec, { row = chunk.rows[i], source = s.name })
      local ok, chip = pcall(tpp.chip, c)
      if not ok then
        s:close()
        local is = reader.issue(chunk.rows[i], chunk.lines[i], nil, nil, ("chip %s: %s"):format(
          tostring(c.id or c.name), tostring(chip):gsub("^tpp: ", "")))
        reader.raise(reader.data_error(s.name, { is }), cmd)
      end
      list[#list + 1] = chip
    end
    if more then break end
  end
  s:close()
  return list, more
end

--- Chips named on the command line, or from --input, or the database.
-- limit: read at most that many chips from --input (the second result says
-- whether there were more).
function M.chips(args, cmd, first, limit)
  local tpp = require "tpp"
  local list = {}
  for i = first or 1, #args do
    local ok, c = pcall(tpp.chip, args[i])
    if not ok then error(("%s: %s"):format(cmd, tostring(c):gsub("^tpp: ", "")), 0) end
    list[#list + 1] = c
  end
  local more = false
  if args.input then
    local from_file
    from_file, more = M.read_chips(args.input, cmd, args["input-format"], limit)
    for _, c in ipairs(from_file) do list[#list + 1] = c end
  end
  if #list == 0 then list = tpp.chips() end
  return list, more
end

--- A YYYY-MM-DD calendar-date option (nil stays nil).
function M.date(args, name, cmd)
  local s = args[name]
  if s == nil then return nil end
  local ok, msg = util.check_date(s)
  if not ok then error(("%s: --%s: %s"):format(cmd, name, msg), 0) end
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
    -- a plain decimal (1,000 or 1_000 grouping allowed; no 0x10, inf, nan) or a calendar date
    local n = require("tpp.io.schema").parse_number((value:gsub("_", ",")), true)
    if not n then
      if value:match("^%d%d%d%d%-%d%d%-%d%d$") then
        local ok, msg = util.check_date(value)
        if not ok then error(("%s: --set %s: %s"):format(cmd, name, msg), 0) end
      else
        error(("%s: --set %s: '%s' is not a number"):format(cmd, name, value), 0)
      end
    elseif n < 0 then
      error(("%s: --set %s: %s; a threshold cannot be negative"):format(cmd, name, value), 0)
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
