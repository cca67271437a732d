--- tpp.fleet.load: fleet files (CSV with the header of tpp.fleet.schema, JSON,
-- JSON Lines, "-" for standard input) through tpp's one strict reader,
-- tpp.io, then every row through tpp.fleet.row.
local fleet = require "tpp.fleet"
local rowmod = require "tpp.fleet.row"
local schema = require "tpp.fleet.schema"

local M = {}

local compiled

--- The fleet schema as the reader's schema object.
function M.schema()
  if not compiled then compiled = require("tpp.io.schema").new(schema.DECLARATION) end
  return compiled
end

--- A fleet from a file; errors name the file, the row (and line) and the field.
function M.file(path, opts)
  opts = opts or {}
  local reader = require "tpp.io"
  local t, err = reader.read(path, { schema = M.schema(), name = opts.name })
  if not t then reader.raise(err, "tpp.fleet") end
  local name = t.name or path
  local rows = {}
  for i, rec in ipairs(t.records) do
    local where = ("%s: row %d%s"):format(name, t.rows[i], t.lines and t.lines[i] and
      (" (line " .. t.lines[i] .. ")") or "")
    rows[#rows + 1] = rowmod.normalize(rec, where, name)
  end
  local f = fleet.from_normalized(rows, name)
  return f
end

return M
