--- tpp.chips.schema: the columns of a chip file (CSV header, JSON Lines keys)
-- and how a row becomes a chip table.
--
-- One row is one chip: its dense peak throughput per precision (TFLOPS or
-- TOPS, not sparse), die area, memory, interconnect, whether it is designed
-- or marketed for datacenters, and optional provenance columns <figure>_src
-- (V = vendor datasheet, T = reported by a third party, E = derived estimate).
-- This is tpp's CSV chip format (docs/chips.md "CSV format"); the older
-- layouts (fp64_matrix, fp16_bf16, fp4_int4, computed columns) still read.
-- docs/input-formats.md documents every column.
--
--   local chips_schema = require "tpp.chips.schema"
--   local t = assert(require("tpp.io").read("chips.csv", { schema = chips_schema.SCHEMA }))
--   local chip_table = chips_schema.to_chip(t.records[1], { row = t.rows[1] })
local schema = require "tpp.io.schema"
local spec = require "tpp.spec"
local util = require "tpp.util"

local M = {}

M.TAGS = { V = "vendor", T = "reported", E = "derived" }
local TAG_VALUES = { "V", "T", "E", "vendor", "reported", "derived" }

local P = spec.PLAUSIBLE
local function figure(name, range, help, extra)
  local c = { name = name, type = "number", min = range.min, max = range.max, unit = range.unit, help = help }
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

-- A date as precise as its source: YYYY, YYYY-MM or YYYY-MM-DD (a calendar
-- date); with allow_no, also "no" (never available).
local function partial_date(allow_no)
  return function(v)
    if allow_no and v == "no" then return true end
    if spec.check_date(v) then return true end
    return nil, "a date YYYY-MM-DD (or YYYY-MM, YYYY when the source is no finer)" ..
      (allow_no and ", or 'no'" or "")
  end
end

local columns = {
  { name = "id", type = "string", help = "identifier (default: row<N>)" },
  { name = "name", type = "string", help = "product name" },
  { name = "vendor", type = "string" },
  { name = "designer", type = "string" },
  { name = "origin", type = "string" },
  { name = "country", type = "string", help = "designer's country" },
  { name = "family", type = "string" },
  { name = "variant_of", type = "string", help = "the chip this one is a variant of" },
  { name = "form", type = "string", help = "form factor (SXM, PCIe, OAM, 'HBM stack' for a memory device)" },
  { name = "process", type = "string" },
  { name = "market", type = "string" },
  { name = "designer_hq", type = "string" },
  figure("year", P.year, "year first marketed", { type = "integer" }),
  { name = "announced", type = "string", check = partial_date(false), help = "YYYY[-MM[-DD]]" },
  { name = "first_shipped", type = "string", check = partial_date(false), help = "YYYY[-MM[-DD]]" },
  { name = "us_available", type = "string", check = partial_date(true), help = "YYYY[-MM[-DD]] or 'no'" },
  { name = "first_marketed", type = "date", help = "date first marketed (rules that date a chip read it)" },
  { name = "datacenter", type = "boolean",
    help = "designed or marketed for datacenters (yes/no); empty = unknown" },
  { name = "datacenter_basis", type = "string", help = "why the datacenter flag is what it is" },
  { name = "planar", type = "boolean", help = "planar transistors (yes/no)" },
  { name = "hbm", type = "boolean", help = "high-bandwidth memory in the package (default: mem_type names HBM)" },
}
for _, p in ipairs(spec.PRECISIONS) do
  local extra = { aliases = { "dense." .. p } }
  if p == "fp64" then extra.aliases[2] = "fp64_matrix" end
  columns[#columns + 1] = figure(p, P.dense, "dense peak " .. p:upper(), extra)
end
local more = {
  figure("fp64_vector", P.dense, "FP64 vector (non-matrix) rate; used for fp64 when no matrix rate is given",
    { fills = { "fp64_vector" } }),
  figure("fp16_bf16", P.dense, "one figure for both FP16 and BF16 (older layout)", { fills = { "fp16", "bf16" } }),
  figure("fp4_int4", P.dense, "one 4-bit figure (older layout): FP4 where the database's chip of that id " ..
    "runs FP4, INT4 otherwise", { fills = { "fp4", "int4" } }),
  figure("die_area_mm2", P.area_mm2, "applicable die area (non-planar logic dies; memory stacks excluded)",
    { aliases = { "area_mm2" } }),
  { name = "die_note", type = "string" },
  figure("transistors_b", P.transistors_b, "transistor count, billions"),
  figure("tdp_w", P.tdp_w, "thermal design power"),
  figure("mem_gb", P.capacity_gb, "memory capacity", { aliases = { "memory.capacity_gb", "capacity_gb" } }),
  figure("mem_bw_gbs", P.bandwidth_gbs, "memory bandwidth",
    { aliases = { "memory.bandwidth_gbs", "bandwidth_gbs" } }),
  { name = "mem_type", type = "string", aliases = { "memory.type" }, help = "HBM3, GDDR6, ..." },
  figure("mem_area_mm2", P.area_mm2, "memory package or stack area (for memory bandwidth density)",
    { aliases = { "memory.package_area_mm2", "package_area_mm2" } }),
  figure("interconnect_gbs", P.interconnect_gbs, "aggregate bidirectional chip-to-chip I/O bandwidth"),
  { name = "interconnect_dir", type = "string", help = "how the interconnect figure is counted" },
  figure("scale_out_gbs", P.interconnect_gbs, "scale-out (network) bandwidth"),
  figure("tpp_stated", { min = 0, max = 1e10, unit = "" }, "TPP published by a source"),
  figure("pd_stated", { min = 0, max = 1e7, unit = "" }, "performance density published by a source"),
  { name = "sources", type = "string", help = "sources, separated by ';'" },
  { name = "notes", type = "string" },
  -- computed columns of older tables: tpp recomputes them, so they are read and ignored
  figure("tpp_computed", { min = 0, max = 1e10, unit = "" }, "ignored (tpp computes TPP)"),
  figure("pd_computed", { min = 0, max = 1e7, unit = "" }, "ignored (tpp computes PD)"),
  { name = "tpp_precision", type = "string", help = "ignored" },
  { name = "classification", type = "string", help = "ignored (tpp classifies)" },
}
for _, c in ipairs(more) do columns[#columns + 1] = c end
-- a provenance column for every figure and for the announced and shipped dates
local n_figures = #columns
for i = 1, n_figures do
  local c = columns[i]
  if c.type == "number" or c.type == "integer" or c.name == "announced" or c.name == "first_shipped" then
    local aliases = {}
    for _, a in ipairs(c.aliases or {}) do aliases[#aliases + 1] = a .. "_src" end
    columns[#columns + 1] = { name = c.name .. "_src", type = "enum", values = TAG_VALUES, aliases = aliases,
                              help = "provenance of " .. c.name .. ": V vendor, T reported, E derived" }
  end
end

M.SCHEMA = schema.new { kind = "chip", title = "chips", wrapper = "chips", columns = columns }

local function tag_of(v)
  if v == nil then return nil end
  return M.TAGS[v] or v
end

--- A chip table (the shape tpp.chip takes) from a record of M.SCHEMA.
-- opts.row names the row (id "row<N>" when the file has none);
-- opts.default_tag: provenance of figures without a _src column (default
-- "reported", as docs/chips.md says).
function M.to_chip(r, opts)
  opts = opts or {}
  local default_tag = opts.default_tag or "reported"
  local prov = {}
  local function num(col, path)
    local v = r[col]
    if v ~= nil then prov[path] = tag_of(r[col .. "_src"]) or default_tag end
    return v
  end
  local id = r.id or (opts.row and ("row%d"):format(opts.row)) or nil
  local c = { id = id }
  for _, k in ipairs({ "name", "vendor", "designer", "origin", "country", "family", "variant_of", "form",
                       "process", "market", "designer_hq", "announced", "first_shipped", "us_available",
                       "first_marketed", "planar", "die_note", "interconnect_dir", "notes" }) do
    c[k] = r[k]
  end
  for _, d in ipairs({ "announced", "first_shipped" }) do
    if c[d] then prov[d] = tag_of(r[d .. "_src"]) or default_tag end
  end
  c.year = num("year", "year")
  c.dense = {}
  for _, p in ipairs(spec.PRECISIONS) do c.dense[p] = num(p, "dense." .. p) end
  local fp64v = num("fp64_vector", "fp64_vector")
  if c.dense.fp64 == nil and fp64v ~= nil then
    -- no matrix rate: the vector FMA rate is the chip's FP64 MAC rate
    c.dense.fp64 = fp64v
    prov["dense.fp64"] = prov.fp64_vector
  end
  c.fp64_vector = fp64v
  local f16 = num("fp16_bf16", "dense.fp16")
  if f16 ~= nil then
    c.dense.fp16, c.dense.bf16 = f16, f16
    prov["dense.bf16"] = prov["dense.fp16"]
  end
  if r.fp4_int4 ~= nil then
    -- one 4-bit column: FP4 where the database's chip of that id runs FP4
    -- (Blackwell, CDNA4, Ascend 950), INT4 otherwise; TPP is the same (4 bits)
    local known = id and require("tpp.chips").get(id)
    local four = (known and known.dense and known.dense.fp4) and "fp4" or "int4"
    c.dense[four] = num("fp4_int4", "dense." .. four)
  end
  c.die_area_mm2 = num("die_area_mm2", "die_area_mm2")
  c.transistors_b = num("transistors_b", "transistors_b")
  c.tdp_w = num("tdp_w", "tdp_w")
  c.memory = {
    capacity_gb = num("mem_gb", "memory.capacity_gb"),
    bandwidth_gbs = num("mem_bw_gbs", "memory.bandwidth_gbs"),
    package_area_mm2 = num("mem_area_mm2", "memory.package_area_mm2"),
    type = r.mem_type,
  }
  if next(c.memory) == nil then c.memory = nil end
  c.interconnect_gbs = num("interconnect_gbs", "interconnect_gbs")
  c.scale_out_gbs = num("scale_out_gbs", "scale_out_gbs")
  if r.hbm ~= nil then
    c.hbm = r.hbm
  elseif r.mem_type ~= nil then
    c.hbm = r.mem_type:lower():find("hbm", 1, true) ~= nil
  end
  if r.datacenter ~= nil then
    c.datacenter = r.datacenter
    c.datacenter_basis = r.datacenter_basis or ("stated in the input" .. (opts.source and (" " .. opts.source) or ""))
  end
  local st_tpp, st_pd = num("tpp_stated", "stated.tpp"), num("pd_stated", "stated.pd")
  if st_tpp or st_pd then c.stated = { tpp = st_tpp, pd = st_pd } end
  if r.sources then
    local list = {}
    for s in r.sources:gmatch("[^;]+") do
      local t = util.trim(s)
      if t ~= "" then list[#list + 1] = t end
    end
    if #list > 0 then c.sources = list end
  end
  c.provenance = prov
  return c
end

-- A JSON object in the nested chip-table shape (dense = {...}, memory = {...}).
local NESTED = { dense = true, sparse = true, memory = true, dies = true, units = true, provenance = true,
                 stated = true, reference = true, halve_sparse = true, aliases = true, uncertain = true }

local function nested(obj)
  if type(obj) ~= "table" then return false end
  for k, v in pairs(obj) do
    if NESTED[k] or (type(v) == "table" and k ~= "sources") then return true end
  end
  return false
end

--- Read chips from a file ("-" = standard input, or { text = ..., name = ... }):
-- CSV rows of M.SCHEMA, or JSON / JSON Lines objects that are either rows
-- (the same columns as keys) or chip tables in the nested shape tpp.chip
-- takes. opts as tpp.io.read (schema is set here). Returns
-- { chips = { chip tables }, rows, lines, format, name } or nil, err.
local function strip_null(v, null)
  if v == null then return nil end
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = strip_null(x, null) end
  return out
end

--- The tpp.io `objects` hook for chip files: a nested chip table is checked
-- by tpp.chip's rules and kept as { _chip = table }; a flat object goes to
-- the schema's columns.
function M.object_hook(obj)
  if not nested(obj) then return nil end
  obj = strip_null(obj, require("tpp.json").null)
  local ok, err = pcall(spec.normalize, obj)
  if not ok then return false, (tostring(err):gsub("^tpp: ", "")) end
  return { _chip = obj }
end

function M.read(source, opts)
  local o = {}
  for k, v in pairs(opts or {}) do o[k] = v end
  o.schema = M.SCHEMA
  o.objects = M.object_hook
  local reader = require "tpp.io"
  local t, err = reader.read(source, o)
  if not t then return nil, err end
  local chips = {}
  for i, rec in ipairs(t.records) do
    local c = rec._chip
    if c then
      if c.id == nil and c.name == nil then
        c = util.deepcopy(c)
        c.id = ("row%d"):format(t.rows[i])
      end
    else
      c = M.to_chip(rec, { row = t.rows[i], source = t.name })
    end
    chips[i] = c
  end
  t.chips = chips
  return t
end

return M
