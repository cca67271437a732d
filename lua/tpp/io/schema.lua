--- tpp.io.schema: what an input kind's columns are, declared once and used
-- for every format (CSV header, JSON keys, JSON Lines keys).
--
--   local schema = require "tpp.io.schema"
--   local FLEET = schema.new {
--     kind = "fleet",                       -- named in messages
--     wrapper = "fleet",                    -- JSON may also be { "fleet": [ ... ] }
--     columns = {
--       { name = "chip", type = "string", required = true, help = "chip name or id" },
--       { name = "count", type = "integer", min = 1, max = 1e9, unit = "chips", thousands = true },
--       { name = "country", type = "string", aliases = { "ctry" } },
--       { name = "since", type = "date" },
--       { name = "owner", type = "enum", values = { "cloud", "lab", "state" } },
--       { name = "datacenter", type = "boolean" },
--     },
--   }
--
-- Column fields:
--   name      canonical name (records use it); lower case, [a-z0-9_]
--   type      "string" | "number" | "integer" | "boolean" | "date" | "enum"
--   required  true: the header must have the column and no value may be empty
--   min, max  plausible range of a number (inclusive; min_exclusive = true for > min);
--             a value outside is refused, so no derived metric overflows
--   unit      shown in messages ("GB/s", "TFLOPS/TOPS")
--   values    enum: the accepted values (any case; records hold the spelling given here)
--   aliases   other header names/keys for the column (matched like names)
--   thousands number: accept "1,234" (CSV: the field must be quoted)
--   fills     names of the fields the column provides (default { name }); two
--             columns that fill the same field may not both appear, unless one is
--             declared fallback = true (used only where the other is empty)
--   check     string columns: function(value) -> true, or nil and what was expected
--   help      one line for the documentation
-- Header names and JSON keys match a name or alias ignoring case, surrounding
-- spaces, and '-' or ' ' for '_'. Unknown columns are refused with a "did you
-- mean"; a column given twice (also through an alias) is refused.
local util = require "tpp.util"

local M = {}

local Schema = {}
Schema.__index = Schema
M.Schema = Schema

local TYPES = { string = true, number = true, integer = true, boolean = true, date = true, enum = true }

--- Normalized header name / key.
function M.key(s)
  return (util.trim(s):lower():gsub("[%s%-]+", "_"))
end

local function fail(msg) error("tpp.io.schema: " .. msg, 3) end

--- Declare a schema (checked: a mistake here is a programming error).
function M.new(def)
  if type(def) ~= "table" then fail("definition table expected") end
  if type(def.kind) ~= "string" then fail("kind (a name for messages) expected") end
  if type(def.columns) ~= "table" or #def.columns == 0 then fail(def.kind .. ": columns expected") end
  local s = setmetatable({ kind = def.kind, title = def.title or def.kind, wrapper = def.wrapper,
                           columns = {}, by_key = {}, names = {}, required = {}, fills = {} }, Schema)
  for i, c in ipairs(def.columns) do
    if type(c) ~= "table" or type(c.name) ~= "string" or not c.name:match("^[a-z][a-z0-9_]*$") then
      fail(("%s: columns[%d]: name [a-z][a-z0-9_]* expected"):format(def.kind, i))
    end
    if not TYPES[c.type] then
      fail(("%s: column %s: type '%s' unknown"):format(def.kind, c.name, tostring(c.type)))
    end
    if c.type == "enum" then
      if type(c.values) ~= "table" or #c.values == 0 then fail(("%s: column %s: values expected"):format(def.kind, c.name)) end
      for _, v in ipairs(c.values) do
        if type(v) ~= "string" or v:find("|", 1, true) then
          fail(("%s: column %s: enum values are strings without '|'"):format(def.kind, c.name))
        end
      end
    end
    local col = util.deepcopy(c)
    col.index = i
    col.fills = col.fills or { col.name }
    s.columns[i] = col
    s.names[#s.names + 1] = col.name
    local keys = { col.name }
    for _, a in ipairs(col.aliases or {}) do keys[#keys + 1] = a end
    for _, k in ipairs(keys) do
      local key = M.key(k)
      if s.by_key[key] then fail(("%s: '%s' names two columns"):format(def.kind, k)) end
      s.by_key[key] = col
    end
    if col.required then s.required[#s.required + 1] = col.name end
  end
  return s
end

--- The column a header name or key stands for, or nil and a message with a
-- suggestion.
function Schema:lookup(name)
  local col = self.by_key[M.key(name)]
  if col then return col end
  local shown = #name > 64 and (name:sub(1, 64) .. "...") or name
  local candidates = {}
  for k in pairs(self.by_key) do candidates[#candidates + 1] = k end
  table.sort(candidates)
  local hint = util.did_you_mean(M.key(name):sub(1, 64), candidates)
  return nil, ("unknown column '%s'%s"):format(shown, hint and ("; did you mean '" .. hint .. "'?") or
    ("; the %s columns are: %s"):format(self.kind, table.concat(self.names, ", ")))
end

--- Resolve a header (list of names): the column of each field, or nil and a
-- message (unknown, duplicate, conflicting or missing columns).
function Schema:resolve(names)
  local cols, seen, filled = {}, {}, {}
  for i, raw in ipairs(names) do
    local col, msg = self:lookup(raw)
    if not col then return nil, msg end
    if seen[col.name] then
      local first = names[seen[col.name]]
      return nil, ("column '%s' appears twice%s (fields %d and %d); keep one"):format(col.name,
        M.key(first) ~= M.key(raw) and (" (as '" .. first .. "' and '" .. raw .. "')") or "", seen[col.name], i)
    end
    seen[col.name] = i
    cols[i] = col
  end
  for i, col in ipairs(cols) do
    if not col.fallback then
      for _, f in ipairs(col.fills) do
        if filled[f] then
          return nil, ("columns '%s' and '%s' both give %s; keep one"):format(names[filled[f]], names[i], f)
        end
        filled[f] = i
      end
    end
  end
  for _, r in ipairs(self.required) do
    if not seen[r] then
      return nil, ("the header has no '%s' column; expected %s"):format(r, table.concat(self.required, ","))
    end
  end
  return cols
end

-- ---- values ----

local function big(v)
  if v == math.floor(v) and math.abs(v) >= 1e4 and math.abs(v) < 1e15 then return util.fmt(v) end
  return util.num(v)
end

local function range_text(col)
  local unit = col.unit and col.unit ~= "" and (" " .. col.unit) or ""
  local lo, hi = col.min, col.max
  if lo and hi then
    return ("%s%s to %s%s"):format(col.min_exclusive and "above " or "", big(lo), big(hi), unit)
  elseif lo then
    return ("%s %s%s"):format(col.min_exclusive and ">" or ">=", big(lo), unit)
  elseif hi then
    return ("<= %s%s"):format(big(hi), unit)
  end
  return unit ~= "" and ("in" .. unit) or nil
end

--- What a column expects, in words.
function M.expected(col)
  if col.type == "number" or col.type == "integer" then
    local r = range_text(col)
    return (col.type == "integer" and "a whole number" or "a decimal number") .. (r and (", " .. r) or "")
  elseif col.type == "boolean" then
    return "true or false (yes/no, 1/0)"
  elseif col.type == "date" then
    return "a date YYYY-MM-DD"
  elseif col.type == "enum" then
    return "one of " .. table.concat(col.values, ", ")
  elseif col.check then
    local _, expected = col.check("")
    return expected or "text"
  end
  return "text"
end

local function quote(v)
  local s = tostring(v)
  if #s > 60 then s = s:sub(1, 60) .. "..." end
  return "'" .. s .. "'"
end

--- The message of a value problem (code as the CSV reader names them).
function M.problem(col, code, text, value)
  if code == "required" then return "missing" end
  if code == "number" then
    return ("%s is not a plain decimal number (no hex, inf or nan%s); expected %s"):format(quote(text),
      col.thousands and "" or ", no thousands separators", M.expected(col))
  end
  if code == "range" then
    local shown = value and value == value and math.abs(value) ~= math.huge and util.num(value) or text
    return ("%s is outside the plausible range; expected %s"):format(shown, M.expected(col))
  end
  if code == "integer" then return ("%s is not a whole number; expected %s"):format(text, M.expected(col)) end
  if code == "flag" then return ("%s is not true or false (yes/no, 1/0)"):format(quote(text)) end
  if code == "date" then
    local _, msg = util.check_date(text)
    return msg or (quote(text) .. " is not a date; expected YYYY-MM-DD")
  end
  if code == "enum" then return ("%s is not %s"):format(quote(text), M.expected(col)) end
  if code == "utf8" then return "not valid UTF-8 text (or holds a NUL byte); save the file as UTF-8" end
  if code == "type" then return ("%s; expected %s"):format(text, M.expected(col)) end
  if code == "check" then return ("%s is not %s"):format(quote(text), tostring(value or "valid")) end
  return ("%s: %s"):format(code, quote(text))
end

local parse_number -- the C core's strict parser, loaded on first use

local function number_of(s, thousands)
  if not parse_number then parse_number = require("tpp.backend").parse_number end
  return parse_number(util.trim(s), thousands)
end
M.parse_number = number_of

local function to_integer(v)
  if math.tointeger and v == math.floor(v) and math.abs(v) < 2 ^ 53 then return math.tointeger(v) end
  return v
end

--- Check one value from JSON (or a Lua table) against its column. Returns
-- the value to keep (nil when empty), or nil, code, text, value.
function M.check_value(col, v)
  local t = col.type
  if v == nil or (type(v) == "string" and util.trim(v) == "") then
    if col.required then return nil, "required", "" end
    return nil
  end
  if t == "string" then
    if type(v) ~= "string" then return nil, "type", "got " .. type(v) end
    if col.check then
      local ok, expected = col.check(v)
      if not ok then return nil, "check", v, expected end
    end
    return v
  elseif t == "number" or t == "integer" then
    local n, why
    if type(v) == "number" then
      n = v
      if n ~= n then return nil, "number", "nan" end
      if n == math.huge or n == -math.huge then return nil, "range", tostring(n), n end
    elseif type(v) == "string" then
      n, why = number_of(v, col.thousands)
      if not n then return nil, why == "range" and "range" or "number", v, why == "range" and math.huge or nil end
    else
      return nil, "type", "got " .. type(v)
    end
    if t == "integer" and n ~= math.floor(n) then return nil, "integer", util.num(n), n end
    if (col.min and (col.min_exclusive and n <= col.min or n < col.min)) or (col.max and n > col.max) then
      return nil, "range", util.num(n), n
    end
    if n == 0 then n = 0 end -- no -0
    return t == "integer" and to_integer(n) or n
  elseif t == "boolean" then
    if type(v) == "boolean" then return v end
    if type(v) == "number" and (v == 0 or v == 1) then return v == 1 end
    if type(v) == "string" then
      local w = util.trim(v):lower()
      if w == "true" or w == "yes" or w == "1" then return true end
      if w == "false" or w == "no" or w == "0" then return false end
      return nil, "flag", v
    end
    return nil, "type", "got " .. type(v)
  elseif t == "date" then
    if type(v) ~= "string" then return nil, "type", "got " .. type(v) end
    if not util.check_date(util.trim(v)) then return nil, "date", v end
    return util.trim(v)
  else -- enum
    if type(v) ~= "string" then return nil, "type", "got " .. type(v) end
    local w = util.trim(v):lower()
    for _, x in ipairs(col.values) do
      if x:lower() == w then return x end
    end
    return nil, "enum", v
  end
end

--- The CSV reader's plan entry for a column (csrc/csv.c).
function M.plan_entry(col)
  local t = col.type
  local e = { required = col.required or nil }
  if t == "number" or t == "integer" then
    e.kind = "number"
    e.integer = t == "integer" or nil
    e.min, e.max, e.min_exclusive, e.thousands = col.min, col.max, col.min_exclusive or nil, col.thousands or nil
  elseif t == "boolean" then
    e.kind = "flag"
  elseif t == "date" then
    e.kind = "date"
  elseif t == "enum" then
    e.kind = "enum"
    e.choices = table.concat(col.values, "|")
  else
    e.kind = "text"
  end
  return e
end

--- A Lua value from the CSV reader's output for a column: numbers stay
-- numbers, flags become booleans, dates "YYYY-MM-DD", enums their value.
function M.from_column(col, x)
  if x == nil then return nil end
  local t = col.type
  if t == "boolean" then return x == 1 end
  if t == "date" then return ("%04d-%02d-%02d"):format(math.floor(x / 10000), math.floor(x / 100) % 100, x % 100) end
  if t == "enum" then
    if type(x) == "number" then return col.values[x + 1] end
    local w = x:lower()
    for _, v in ipairs(col.values) do if v:lower() == w then return v end end
    return x
  end
  if t == "integer" or t == "number" then return to_integer(x) end
  return x
end

--- Lines of documentation: one per column.
function Schema:describe()
  local out = {}
  for _, c in ipairs(self.columns) do
    out[#out + 1] = { name = c.name, type = c.type, required = c.required or false, unit = c.unit,
                      expected = M.expected(c), aliases = c.aliases, help = c.help }
  end
  return out
end

return M
