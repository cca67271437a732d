--- tpp.chips.import: tpp's CSV chip format (docs/chips.md "CSV format"):
-- read a CSV file into chip tables and write chip tables back out.
--
--   local import = require "tpp.chips.import"
--   local chips = assert(import.read_csv("my_chips.csv"))   -- list of chip tables
--   io.write(import.write_csv(tpp.chips()))                  -- the database as CSV
--
-- One row per chip; every figure column may be followed by <column>_src with
-- its provenance tag: V (vendor), T (reported, third party), E (derived), or
-- the words themselves. Unknown columns are an error naming the column.
-- Reading goes through tpp's one strict reader (tpp.io, with the columns of
-- tpp.chips.schema): every value is parsed and range-checked, and a problem
-- names the row, line and column.
local util = require "tpp.util"
local reader = require "tpp.io"
local schema = require "tpp.io.schema"
local chips_schema = require "tpp.chips.schema"

local M = {}

M.TAGS = { V = "vendor", T = "reported", E = "derived", vendor = "vendor", reported = "reported",
           derived = "derived" }
--- Parse CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF)
-- with tpp's reader. Returns a list of rows (the header first), each a list
-- of strings, and a parallel list of the line each row starts on; blank and
-- '#' lines are skipped. A fault raises "<prefix>: <source>: line N: ...",
-- e.g. "a quoted field is not closed".
function M.parse_csv(text, source, prefix)
  local rows, lines = reader.csv_rows({ text = text, name = source or "csv" })
  if not rows then error(("%s: %s"):format(prefix or "tpp", lines.message), 0) end
  return rows, lines
end

-- Column -> chip field path, in the order write_csv uses. Numeric columns
-- take an optional <column>_src tag.
M.NUMBER_COLUMNS = {
  { "year", "year" }, { "fp64", "dense.fp64" }, { "fp64_vector", "fp64_vector" }, { "fp32", "dense.fp32" },
  { "tf32", "dense.tf32" }, { "fp16", "dense.fp16" }, { "bf16", "dense.bf16" }, { "fp8", "dense.fp8" },
  { "int8", "dense.int8" }, { "fp6", "dense.fp6" }, { "fp4", "dense.fp4" }, { "int4", "dense.int4" },
  { "die_area_mm2", "die_area_mm2" }, { "transistors_b", "transistors_b" }, { "tdp_w", "tdp_w" },
  { "mem_gb", "memory.capacity_gb" }, { "mem_bw_gbs", "memory.bandwidth_gbs" },
  { "interconnect_gbs", "interconnect_gbs" }, { "scale_out_gbs", "scale_out_gbs" },
  { "tpp_stated", "stated.tpp" }, { "pd_stated", "stated.pd" },
}
M.TEXT_COLUMNS = { "id", "name", "vendor", "designer", "origin", "country", "family", "variant_of", "form", "process",
  "announced", "first_shipped", "us_available", "datacenter", "datacenter_basis", "planar", "die_note", "mem_type",
  "interconnect_dir", "sources", "notes" }
-- Older column names (the layout of earlier tables) still read.
M.LEGACY = { fp64_matrix = true, fp16_bf16 = true, fp4_int4 = true }
-- Computed columns: tpp recomputes them, so they are ignored on input.
M.IGNORED = { tpp_computed = true, tpp_computed_src = true, tpp_precision = true, pd_computed = true,
  pd_computed_src = true, classification = true }


--- Check a header row: nil, or a message naming the first unknown column.
function M.check_header(header, where)
  for _, name in ipairs(header) do
    if not chips_schema.SCHEMA:lookup(name) then
      local hint = util.did_you_mean(name, chips_schema.SCHEMA.names)
      return ("tpp: %s: column '%s' is not a column of tpp's CSV chip format%s"):format(where, name,
        hint and ("; did you mean '" .. hint .. "'?") or " (docs/chips.md lists them)")
    end
  end
end

--- Convert one CSV record (a table keyed by column name, values as text) to
-- a chip table; a bad value raises "tpp: WHERE, column C: ...".
function M.row_to_chip(r, where)
  local rec = {}
  for k, v in pairs(r) do
    local col = chips_schema.SCHEMA:lookup(k)
    if not col then error(("tpp: %s: column '%s' is not a column of tpp's CSV chip format"):format(where, k), 0) end
    local val, code, text, num = schema.check_value(col, v)
    if code then error(("tpp: %s, column %s: %s"):format(where, col.name, schema.problem(col, code, text, num)), 0) end
    rec[col.name] = val
  end
  return chips_schema.to_chip(rec, { default_tag = "reported" })
end

--- Read a CSV file in tpp's chip format ("-" = standard input) into a list
-- of chip tables; nil and the reader's error object (tostring: the message
-- naming the row, line, column and value; exit_code 65 or 66) otherwise.
function M.read_csv(path)
  local t, err = reader.read(path, { schema = chips_schema.SCHEMA, format = "csv" })
  if not t then return nil, err end
  local out = {}
  for i, rec in ipairs(t.records) do
    out[i] = chips_schema.to_chip(rec, { row = t.rows[i], default_tag = "reported", source = t.name })
  end
  return out
end

-- ---- deterministic Lua serialization of the database ----

local KEY_ORDER = {
  "id", "name", "vendor", "designer", "origin", "country", "family", "variant_of", "form", "process",
  "year", "announced", "first_shipped", "us_available", "datacenter", "datacenter_basis",
  "dense", "fp64_vector", "die_area_mm2", "dies", "planar", "die_note", "transistors_b", "tdp_w", "memory",
  "hbm", "interconnect_gbs", "interconnect_dir", "scale_out_gbs", "scale_out_note", "stated", "reference",
  "cite", "provenance", "derivation", "readings", "evidence", "uncertain", "sources", "notes",
}
local PREC_ORDER = { "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4" }

local function lua_string(s) return ("%q"):format(s):gsub("\\\n", "\\n") end

local function ordered_keys(t, order)
  local keys, seen = {}, {}
  for _, k in ipairs(order or {}) do
    if t[k] ~= nil then keys[#keys + 1] = k; seen[k] = true end
  end
  for _, k in ipairs(util.sorted_keys(t)) do
    if not seen[k] then keys[#keys + 1] = k end
  end
  return keys
end

local function serialize(v, indent, key)
  local t = type(v)
  if t == "string" then return lua_string(v) end
  if t == "number" then return util.num(v) end
  if t == "boolean" then return tostring(v) end
  local pad = ("  "):rep(indent + 1)
  if #v > 0 then
    local parts = {}
    for _, x in ipairs(v) do parts[#parts + 1] = pad .. serialize(x, indent + 1) end
    return "{\n" .. table.concat(parts, ",\n") .. ",\n" .. ("  "):rep(indent) .. "}"
  end
  local order = key == "dense" and PREC_ORDER or ((v.id and v.name) and KEY_ORDER) or nil
  local parts = {}
  for _, k in ipairs(ordered_keys(v, order)) do
    local kk = k:match("^[%a_][%w_]*$") and k or ("[" .. lua_string(k) .. "]")
    parts[#parts + 1] = kk .. " = " .. serialize(v[k], indent + 1, k)
  end
  local one_line = "{ " .. table.concat(parts, ", ") .. " }"
  if #one_line + indent * 2 < 96 and not one_line:find("\n") then return one_line end
  return "{\n" .. pad .. table.concat(parts, ",\n" .. pad) .. ",\n" .. ("  "):rep(indent) .. "}"
end
M.serialize = serialize

-- ---- writing ----

local function csv_field(v)
  if v == nil then return "" end
  local str = type(v) == "number" and util.num(v) or tostring(v)
  if str:find('[,"\r\n]') then str = '"' .. str:gsub('"', '""') .. '"' end
  return str
end

local function get_path(t, path)
  for part in path:gmatch("[^%.]+") do
    if type(t) ~= "table" then return nil end
    t = t[part]
  end
  return t
end

local SHORT = { vendor = "V", reported = "T", derived = "E" }

--- Chip tables or objects as CSV text in tpp's format (header first).
function M.write_csv(chips)
  local header = { "id", "name" }
  for _, col in ipairs(M.TEXT_COLUMNS) do
    if col ~= "id" and col ~= "name" then header[#header + 1] = col end
  end
  for _, spec in ipairs(M.NUMBER_COLUMNS) do
    header[#header + 1] = spec[1]
    header[#header + 1] = spec[1] .. "_src"
  end
  local lines = { table.concat(header, ",") }
  for _, x in ipairs(chips) do
    local d = x.data or x
    local prov = d.provenance or {}
    local row = {}
    for _, col in ipairs(header) do
      local v
      local base = col:match("^(.-)_src$")
      if base then
        for _, spec in ipairs(M.NUMBER_COLUMNS) do
          if spec[1] == base and get_path(d, spec[2]) ~= nil then v = SHORT[prov[spec[2]]] or prov[spec[2]] end
          if spec[1] == base and base == "die_area_mm2" and d.dies and prov.dies then v = SHORT[prov.dies] or prov.dies end
        end
      elseif col == "mem_type" then v = d.memory and d.memory.type
      elseif col == "datacenter" or col == "planar" then
        if d[col] ~= nil then v = d[col] and "yes" or "no" end
      elseif col == "sources" then
        local list = {}
        for _, src in ipairs(d.sources or {}) do list[#list + 1] = type(src) == "table" and src.title or src end
        v = #list > 0 and table.concat(list, "; ") or nil
      else
        local found
        for _, spec in ipairs(M.NUMBER_COLUMNS) do
          if spec[1] == col then found = spec[2] end
        end
        v = found and get_path(d, found) or d[col]
        if col == "die_area_mm2" and v == nil and d.dies then
          -- a die list is written as its applicable area (non-planar logic dies)
          local sum = 0
          for _, die in ipairs(d.dies) do
            if (die.kind == nil or die.kind == "logic") and die.planar ~= true then sum = sum + (die.area_mm2 or 0) end
          end
          v = sum > 0 and sum or nil
        end
        if type(v) == "table" then v = nil end
      end
      row[#row + 1] = csv_field(v)
    end
    lines[#lines + 1] = table.concat(row, ",")
  end
  return table.concat(lines, "\n") .. "\n"
end

return M
