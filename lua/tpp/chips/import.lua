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
local util = require "tpp.util"

local M = {}

M.TAGS = { V = "vendor", T = "reported", E = "derived", vendor = "vendor", reported = "reported",
           derived = "derived" }
--- Parse CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF).
-- Returns a list of rows, each a list of strings, and a parallel list of the
-- line each row starts on. An unterminated quote raises
-- "<prefix>: <source>: line N: a quoted field is not closed".
function M.parse_csv(text, source, prefix)
  local rows, starts, row, field = {}, {}, {}, {}
  local i, n, line, row_line = 1, #text, 1, 1
  local in_quotes, quote_line = false, 0
  while i <= n do
    local ch = text:sub(i, i)
    if in_quotes then
      if ch == '"' then
        if text:sub(i + 1, i + 1) == '"' then
          field[#field + 1] = '"'
          i = i + 1
        else
          in_quotes = false
        end
      else
        if ch == "\n" then line = line + 1 end
        field[#field + 1] = ch
      end
    elseif ch == '"' then
      in_quotes, quote_line = true, line
    elseif ch == "," then
      row[#row + 1] = table.concat(field)
      field = {}
    elseif ch == "\n" or ch == "\r" then
      if ch == "\r" and text:sub(i + 1, i + 1) == "\n" then i = i + 1 end
      row[#row + 1] = table.concat(field)
      rows[#rows + 1], starts[#rows + 1] = row, row_line
      row, field = {}, {}
      line = line + 1
      row_line = line
    else
      field[#field + 1] = ch
    end
    i = i + 1
  end
  if in_quotes then
    error(("%s: %s: line %d: a quoted field is not closed"):format(prefix or "tpp", source or "csv", quote_line), 0)
  end
  if #field > 0 or #row > 0 then
    row[#row + 1] = table.concat(field)
    rows[#rows + 1], starts[#rows + 1] = row, row_line
  end
  return rows, starts
end

local function number_or_nil(s, where)
  if s == nil or s == "" then return nil end
  local v = tonumber(s)
  if not v then error(("tpp: %s: '%s' is not a number"):format(where, s), 0) end
  return v
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

local KNOWN = {}
for _, c in ipairs(M.NUMBER_COLUMNS) do KNOWN[c[1]] = true; KNOWN[c[1] .. "_src"] = true end
for _, c in ipairs(M.TEXT_COLUMNS) do KNOWN[c] = true end
for c in pairs(M.LEGACY) do KNOWN[c] = true; KNOWN[c .. "_src"] = true end
for c in pairs(M.IGNORED) do KNOWN[c] = true end
KNOWN.fp64_vector_src = true

--- Check a header row: nil, or a message naming the first unknown column.
function M.check_header(header, where)
  for _, name in ipairs(header) do
    if not KNOWN[name] then
      local hint = util.did_you_mean(name, util.keys(KNOWN))
      return ("tpp: %s: column '%s' is not a column of tpp's CSV chip format%s"):format(where, name,
        hint and ("; did you mean '" .. hint .. "'?") or " (docs/chips.md lists them)")
    end
  end
end

local function set_path(t, path, v)
  local head, rest = path:match("^([^%.]+)%.(.+)$")
  if head then
    t[head] = t[head] or {}
    return set_path(t[head], rest, v)
  end
  t[path] = v
end

local function flag(s, where, col)
  if s == nil or s == "" then return nil end
  local l = s:lower()
  if l == "yes" or l == "true" or l == "1" then return true end
  if l == "no" or l == "false" or l == "0" then return false end
  error(("tpp: %s, column %s: '%s' is not yes/no (true/false)"):format(where, col, s), 0)
end

--- Convert one CSV record (a table keyed by column name) to a chip table.
function M.row_to_chip(r, where)
  local prov = {}
  local c = { dense = {}, memory = {} }
  local function tag_of(col)
    local tag = r[col .. "_src"]
    if tag == nil or tag == "" then return "reported" end
    if not M.TAGS[tag] then
      error(("tpp: %s, column %s_src: '%s' is not a provenance tag; expected V, T, E (or vendor, reported, derived)")
        :format(where, col, tag), 0)
    end
    return M.TAGS[tag]
  end
  local function num(col)
    local v = number_or_nil(r[col], where .. ", column " .. col)
    return v, v ~= nil and tag_of(col) or nil
  end
  for _, spec in ipairs(M.NUMBER_COLUMNS) do
    local v, tag = num(spec[1])
    if v ~= nil then set_path(c, spec[2], v); prov[spec[2]] = tag end
  end
  -- older layouts: one FP64 matrix column, one FP16/BF16 column, one 4-bit column
  local v, tag = num("fp64_matrix")
  if v ~= nil and c.dense.fp64 == nil then c.dense.fp64 = v; prov["dense.fp64"] = tag end
  if c.dense.fp64 == nil and c.fp64_vector ~= nil then
    -- no matrix rate: the vector FMA rate is the chip's FP64 MAC rate
    c.dense.fp64, prov["dense.fp64"] = c.fp64_vector, prov.fp64_vector
  end
  v, tag = num("fp16_bf16")
  if v ~= nil then
    c.dense.fp16, c.dense.bf16 = c.dense.fp16 or v, c.dense.bf16 or v
    prov["dense.fp16"], prov["dense.bf16"] = tag, tag
  end
  v, tag = num("fp4_int4")
  if v ~= nil then
    -- one 4-bit column: FP4 where the database's chip of that id runs FP4 (Blackwell,
    -- CDNA4, Ascend 950), INT4 otherwise
    local known = r.id and require("tpp.chips").get(r.id)
    local four = (known and known.dense and known.dense.fp4) and "fp4" or "int4"
    c.dense[four], prov["dense." .. four] = v, tag
  end
  for _, col in ipairs(M.TEXT_COLUMNS) do
    local s = r[col]
    if s ~= nil and s ~= "" and col ~= "mem_type" and col ~= "sources" and col ~= "datacenter" and col ~= "planar" then
      c[col] = s
    end
  end
  c.datacenter = flag(r.datacenter, where, "datacenter")
  c.planar = flag(r.planar, where, "planar")
  for _, d in ipairs({ "announced", "first_shipped" }) do
    if c[d] then prov[d] = tag_of(d) end
  end
  if (r.mem_type or "") ~= "" then
    c.memory.type = r.mem_type
    c.hbm = r.mem_type:find("HBM") ~= nil
  end
  if next(c.memory) == nil then c.memory = nil end
  c.sources = {}
  for src in (r.sources or ""):gmatch("[^;]+") do c.sources[#c.sources + 1] = util.trim(src) end
  if #c.sources == 0 then c.sources = nil end
  c.provenance = prov
  return c
end

--- Read a CSV file in tpp's chip format into a list of chip tables; nil and
-- a message when the file or its header is wrong (a bad value raises).
-- "-" reads standard input.
function M.read_csv(path)
  local text, err = util.read_text(path)
  if not text then return nil, "tpp: " .. err end
  return M.read_csv_text(text, path == "-" and "standard input" or path)
end

--- The same from CSV text; path names it in messages.
function M.read_csv_text(text, path)
  local rows = M.parse_csv(text, path)
  local header = rows[1]
  if not header or header[1] ~= "id" then
    return nil, ("tpp: %s: the first row must be the header, starting with 'id'"):format(path)
  end
  local bad = M.check_header(header, path .. ":1")
  if bad then return nil, bad end
  local out = {}
  for i = 2, #rows do
    local row = rows[i]
    if not (#row == 1 and row[1] == "") then
      if #row ~= #header then
        return nil, ("tpp: %s:%d: %d fields, expected %d as in the header"):format(path, i, #row, #header)
      end
      local rec = {}
      for j, name in ipairs(header) do rec[name] = row[j] end
      out[#out + 1] = M.row_to_chip(rec, ("%s:%d"):format(path, i))
    end
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
