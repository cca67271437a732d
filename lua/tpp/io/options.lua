--- tpp.io.options: the check every public Lua function runs on its options
-- table, so a misspelled option is an error instead of a silent default.
--
--   local options = require "tpp.io.options"
--   function M.classify(chip, opts)
--     opts = options.check("tpp.rules.classify", opts, {
--       rules = "string|table", as_of = "date", near = "number", dest = "string",
--     })
--     ...
--
-- A spec maps each known key to a type: "string", "number", "integer",
-- "boolean", "table", "function", "any", "date" (a YYYY-MM-DD calendar date,
-- checked by tpp.util.check_date), "positive" (a number > 0), "nonnegative"
-- (a number >= 0), or several joined by "|" ("string|table"). A function
-- spec check(value) returns true, or nil and what was expected.
-- Unknown keys raise "<fname>: unknown option 'asof'; did you mean 'as_of'?";
-- a wrong type raises "<fname>: option as_of: ...". nil options give {}.
local util = require "tpp.util"

local M = {}

local function finite(v) return v == v and v ~= math.huge and v ~= -math.huge end

local CHECKS = {
  string = function(v) return type(v) == "string" end,
  number = function(v) return type(v) == "number" and finite(v) end,
  integer = function(v) return type(v) == "number" and finite(v) and v == math.floor(v) end,
  positive = function(v) return type(v) == "number" and finite(v) and v > 0 end,
  nonnegative = function(v) return type(v) == "number" and finite(v) and v >= 0 end,
  boolean = function(v) return type(v) == "boolean" end,
  table = function(v) return type(v) == "table" end,
  ["function"] = function(v) return type(v) == "function" end,
  any = function() return true end,
  date = function(v) return util.check_date(v) ~= nil end,
}

local WORDS = {
  string = "a string", number = "a finite number", integer = "a whole number", positive = "a number > 0",
  nonnegative = "a number >= 0", boolean = "true or false", table = "a table", ["function"] = "a function",
  any = "any value", date = "a date YYYY-MM-DD",
}

local function shown(v)
  if type(v) == "string" then return ("'%s'"):format(#v > 40 and (v:sub(1, 40) .. "...") or v) end
  if type(v) == "number" then return util.num(v) end
  return type(v)
end

local function check_one(fname, key, value, spec)
  if type(spec) == "function" then
    local ok, expected = spec(value)
    if not ok then
      error(("%s: option %s: got %s; expected %s"):format(fname, key, shown(value), expected or "another value"), 4)
    end
    return
  end
  local words = {}
  for t in spec:gmatch("[^|]+") do
    local c = CHECKS[t]
    if not c then error(("tpp.io.options: %s: unknown type '%s' in the spec of %s"):format(fname, t, key), 4) end
    if c(value) then return end
    words[#words + 1] = WORDS[t]
  end
  local detail = ""
  if spec:find("date", 1, true) and type(value) == "string" then
    local _, msg = util.check_date(value)
    detail = msg and ("; " .. msg) or ""
  end
  error(("%s: option %s: got %s; expected %s%s"):format(fname, key, shown(value), table.concat(words, " or "),
    detail), 4)
end

--- Check opts against spec; returns opts (or {} when nil). Raises on an
-- unknown key (with a suggestion) or a value of the wrong type.
function M.check(fname, opts, spec)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(("%s: options table expected, got %s"):format(fname, type(opts)), 3)
  end
  for key, value in pairs(opts) do
    local s = type(key) == "string" and spec[key] or nil
    if s == nil then
      local known = util.sorted_keys(spec)
      local hint = type(key) == "string" and util.did_you_mean(key:sub(1, 64), known) or nil
      error(("%s: unknown option %s%s"):format(fname, type(key) == "string" and ("'" .. key:sub(1, 64) .. "'")
        or ("[" .. tostring(key) .. "]"), hint and ("; did you mean '" .. hint .. "'?")
        or ("; options: " .. table.concat(known, ", "))), 3)
    end
    check_one(fname, key, value, s)
  end
  return opts
end

--- The union of option specs (a function that forwards its options to another).
function M.merge(...)
  local out = {}
  for i = 1, select("#", ...) do
    for k, v in pairs(select(i, ...)) do out[k] = v end
  end
  return out
end

return M
