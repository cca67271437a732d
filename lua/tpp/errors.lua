--- tpp.errors: errors that carry a kind, so the command line can exit with
-- the right status (sysexits.h numbers) whatever module raised them.
--
--   local errors = require "tpp.errors"
--   error(errors.usage("tpp chips: --sort 'x' unknown; expected tpp, pd, name, year or id"))
--   error(errors.data("tpp ledger: row 3: count: got -1, expected an integer >= 0"))
--   error(errors.input("tpp ledger: cannot read 'x.csv': No such file or directory"))
--
-- An error value is a table { kind = "usage", message = "..." } whose
-- tostring is the message, so code that prints or concatenates it keeps
-- working. To add a prefix and keep the kind: error(errors.wrap(err, "tpp x: ")).
-- This module depends on nothing, so any layer may raise these errors.
local M = {}

--- Kinds and their exit statuses (0/1/2 are decisions, not errors).
M.CODES = { usage = 64, data = 65, input = 66, internal = 70, interrupted = 130 }

local Error = {}
Error.__index = Error
Error.__tostring = function(e) return e.message end
Error.__concat = function(a, b) return tostring(a) .. tostring(b) end
M.Error = Error

local function make(kind)
  return function(message)
    return setmetatable({ kind = kind, message = tostring(message) }, Error)
  end
end

--- Constructors: a bad flag or argument; bad input data; an input file
-- missing or unreadable; a bug.
M.usage = make("usage")
M.data = make("data")
M.input = make("input")
M.internal = make("internal")

--- An error of the kind that exits with status code (65 -> data, ...); internal otherwise.
function M.from_status(code, message)
  for kind, c in pairs(M.CODES) do
    if c == code then return setmetatable({ kind = kind, message = message }, Error) end
  end
  return setmetatable({ kind = "internal", message = message }, Error)
end

function M.is_error(e) return getmetatable(e) == Error end

--- The same error with prefix in front of its message (a kindless string
-- stays a string). A leading "tpp...: " of the message is dropped first, so
-- "tpp: no chip named 'x'" wrapped with "tpp show: " reads once.
function M.wrap(e, prefix)
  local msg = tostring(e):gsub("^tpp[%w%._ %-]-: ", "")
  if M.is_error(e) then return setmetatable({ kind = e.kind, message = prefix .. msg }, Error) end
  return prefix .. msg
end

-- Messages without a kind: what they usually mean. A missing file or a
-- permission problem -> input; a position in a file -> data; the Lua
-- interpreter's SIGINT message -> interrupted; another "tpp..." message ->
-- usage (the arguments given were wrong); anything else is a bug.
local INPUT_PATTERNS = { "cannot read", "cannot open", "No such file", "Permission denied", "Is a directory" }
local DATA_PATTERNS = { ": row %d", ": line %d", ":%d+:%d+: ", "%.%a+:%d+: ", ": chip %d", "^tpp%.json",
                        "expected a JSON", "rows? rejected" }

--- kind, exit status of an error value or message.
local KIND_OF_CODE = {}
for kind, code in pairs(M.CODES) do KIND_OF_CODE[code] = kind end

function M.classify(e)
  if M.is_error(e) then return e.kind, M.CODES[e.kind] or 70 end
  -- tpp.io's error objects carry their exit status (65 bad data, 66 unreadable)
  if type(e) == "table" and KIND_OF_CODE[tonumber(e.exit_code or e.exit)] then
    local code = tonumber(e.exit_code or e.exit)
    return KIND_OF_CODE[code], code
  end
  local msg = tostring(e)
  if msg:find("interrupted!", 1, true) then return "interrupted", 130 end
  if not msg:match("^tpp") then return "internal", 70 end
  for _, p in ipairs(INPUT_PATTERNS) do
    if msg:find(p, 1, true) then return "input", 66 end
  end
  for _, p in ipairs(DATA_PATTERNS) do
    if msg:find(p) then return "data", 65 end
  end
  return "usage", 64
end

return M
