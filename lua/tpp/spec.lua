--- tpp.spec: the chip object.
-- Validates a chip table (the shape the README shows under "In Lua"), hands it to
-- the C core for the metrics, and keeps provenance and assumptions beside
-- every number. Unknown is nil, never zero.
local core = require "tpp.backend"
local util = require "tpp.util"
local json = require "tpp.json"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

M.PRECISIONS = { "fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4" }
local PREC_SET = {}
for _, p in ipairs(M.PRECISIONS) do PREC_SET[p] = true end

M.BITS = { fp64 = 64, fp32 = 32, tf32 = nil, fp16 = 16, bf16 = 16, fp8 = 8, int8 = 8, fp6 = 6, fp4 = 4, int4 = 4 }

-- The H100-equivalent bases. The references live in the C core (csrc/spec.c:
-- the H100 SXM5 entry's dense figures and its TPP); labels print them.
M.H100E_BASES = {}
M.H100E_ORDER = { "tpp", "8bit", "fp16" }
local BASIS_LABELS = {
  tpp = "TPP / %s (the H100 SXM's TPP)",
  ["8bit"] = "dense 8-bit OP/s / %s TOPS (H100 SXM)",
  fp16 = "dense FP16 FLOP/s / %s TFLOPS (H100 SXM)",
}
for _, b in ipairs(core.h100e_bases()) do
  M.H100E_BASES[b.name] = { reference = b.reference, label = BASIS_LABELS[b.name]:format(util.fmt(b.reference, 1)) }
end

-- Provenance tags, strongest first; a computed figure takes its weakest input's tag.
M.PROVENANCE_RANK = { vendor = 1, primary = 1, secondary = 2, reported = 3, user = 3, derived = 4 }

local TOP_KEYS = {
  id = "string", name = "string", vendor = "string", country = "string", form = "string",
  process = "string", year = "number", datacenter = "boolean", datacenter_basis = "string",
  dense = "table", sparse = "table", halve_sparse = "boolean", units = "table",
  die_area_mm2 = "number", die_note = "string", dies = "table", memory = "table", interconnect_gbs = "number",
  interconnect_dir = "string", tdp_w = "number", transistors_b = "number", hbm = "boolean",
  stated = "table", reference = "table", provenance = "table", sources = "table",
  notes = "string", uncertain = "table", aliases = "table", fp64_vector = "number",
  market = "string", designer_hq = "string", first_marketed = "string", gpu = "boolean",
  -- family and dates (docs/chips.md): variants are rows of their own linked to a family
  family = "string", variant_of = "string", designer = "string", origin = "string",
  announced = "string", first_shipped = "string", us_available = "string",
  scale_out_gbs = "number", scale_out_note = "string", planar = "boolean",
  -- which source backs each figure, readings that change answers, third-party values
  cite = "table", readings = "table", evidence = "table", derivation = "table",
  -- screening: whether a foreign-produced item was made with US technology, software or equipment
  -- (the foreign-direct-product rules); unknown when left out
  us_tech = "boolean",
}
local MEMORY_KEYS = { capacity_gb = "number", bandwidth_gbs = "number", type = "string",
                      package_area_mm2 = "number" }
local DIE_KEYS = { area_mm2 = "number", kind = "string", planar = "boolean", note = "string",
                   process = "string", name = "string" }
local SOURCE_KEYS = { key = "string", title = "string", url = "string", date = "string", note = "string",
                      via = "string" }
local READING_KEYS = { name = "string", text = "string", figures = "table", tf32_bits = "number" }

-- Dates as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date).
local DAYS = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
function M.check_date(s)
  if type(s) ~= "string" then return false end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then y, m = s:match("^(%d%d%d%d)%-(%d%d)$") end
  if not y then y = s:match("^(%d%d%d%d)$") end
  if not y then return false end
  m, d = tonumber(m), tonumber(d)
  if m and (m < 1 or m > 12) then return false end
  if d then
    local leap = (tonumber(y) % 4 == 0 and tonumber(y) % 100 ~= 0) or tonumber(y) % 400 == 0
    if d < 1 or d > DAYS[m] or (m == 2 and d == 29 and not leap) then return false end
  end
  return true
end

local function where_of(chip_id, field)
  return (chip_id and ("chip '" .. chip_id .. "', ") or "") .. field
end

local function bad(chip_id, field, msg)
  error("tpp: " .. where_of(chip_id, field) .. ": " .. msg, 0)
end

-- Plausible ranges of a chip's figures (inclusive). A value outside is a typo
-- or a unit mistake, and a huge one would overflow a derived metric (1e308
-- TFLOPS gives TPP = inf; a 1e-300 mm2 die gives PD = inf), so it is refused.
-- The bounds are wide: a wafer-scale engine (about 46,000 mm2, 4,000 billion
-- transistors, 21 PB/s of on-chip memory bandwidth, 23 kW) fits.
M.PLAUSIBLE = {
  dense = { min = 0, max = 1e7, unit = "TFLOPS/TOPS" },
  area_mm2 = { min = 1, max = 1e5, unit = "mm2" },
  bandwidth_gbs = { min = 0, max = 1e8, unit = "GB/s" },
  capacity_gb = { min = 0, max = 1e6, unit = "GB" },
  interconnect_gbs = { min = 0, max = 1e8, unit = "GB/s" },
  tdp_w = { min = 0, max = 1e6, unit = "W" },
  transistors_b = { min = 0, max = 1e5, unit = "billion" },
  year = { min = 1950, max = 2100, unit = "" },
}

-- A known figure must be a finite number >= 0 (> 0 for areas) inside its
-- plausible range; nil is unknown.
local function check_number(chip_id, field, v, positive, range)
  if v == nil then return nil end
  if type(v) ~= "number" then
    bad(chip_id, field, ("number expected, got %s"):format(type(v)))
  end
  if v ~= v then
    bad(chip_id, field, "got NaN; leave the field out (nil) if the figure is unknown")
  end
  if v == math.huge or v == -math.huge then
    bad(chip_id, field, ("got %s, expected a finite number"):format(tostring(v)))
  end
  if positive and v <= 0 then
    bad(chip_id, field, ("got %s, expected a number > 0"):format(util.num(v)))
  elseif v < 0 then
    bad(chip_id, field, ("got %s, expected a number >= 0"):format(util.num(v)))
  end
  if range and (v < range.min or v > range.max) then
    bad(chip_id, field, ("got %s, outside the plausible range %s to %s%s (a typo or a unit mistake?)"):format(
      util.num(v), util.fmt(range.min), util.fmt(range.max), range.unit ~= "" and (" " .. range.unit) or ""))
  end
  return v
end

local function check_keys(chip_id, prefix, t, allowed)
  for k, v in pairs(t) do
    if type(k) ~= "string" or not allowed[k] then
      local hint = type(k) == "string" and util.did_you_mean(k, util.keys(allowed)) or nil
      bad(chip_id, prefix .. tostring(k), "unknown field" .. (hint and ("; did you mean '" .. hint .. "'?") or
        ("; expected one of: " .. table.concat(util.sorted_keys(allowed), ", "))))
    end
    if type(v) ~= allowed[k] then
      bad(chip_id, prefix .. k, ("%s expected, got %s"):format(allowed[k], type(v)))
    end
  end
end

local function check_precisions(chip_id, prefix, t)
  local out = {}
  for k, v in pairs(t) do
    if not PREC_SET[k] then
      local hint
      if k == "fp16_bf16" then hint = "give fp16 and/or bf16"
      elseif k == "fp4_int4" then hint = "give fp4 or int4"
      else
        local s = type(k) == "string" and util.did_you_mean(k, M.PRECISIONS)
        hint = s and ("did you mean '" .. s .. "'?") or ("expected one of " .. table.concat(M.PRECISIONS, ", "))
      end
      bad(chip_id, prefix .. tostring(k), "not a precision tpp knows; " .. hint)
    end
    out[k] = check_number(chip_id, prefix .. k, v, false, M.PLAUSIBLE.dense)
  end
  return out
end

--- Validate and normalize a chip table. Returns a fresh table (the input is not
-- modified) with `assumptions` listing every choice made on the user's behalf.
function M.normalize(t)
  if type(t) ~= "table" then
    error("tpp: chip table expected, got " .. type(t), 0)
  end
  local id = type(t.id) == "string" and t.id or nil
  check_keys(id, "", t, TOP_KEYS)
  local c = util.deepcopy(t)
  c.assumptions = json.array {}
  c.provenance = c.provenance or {}
  local prov = c.provenance

  if c.dense ~= nil then c.dense = check_precisions(id, "dense.", c.dense) end
  local sparse = c.sparse ~= nil and check_precisions(id, "sparse.", c.sparse) or {}
  if c.units ~= nil then
    if c.dense ~= nil then bad(id, "units", "give either 'dense' or 'units', not both") end
    for i, u in ipairs(c.units) do
      if type(u) ~= "table" or type(u.dense) ~= "table" then
        bad(id, ("units[%d]"):format(i), "expected { name = ..., dense = { fp8 = ..., ... } }")
      end
      u.dense = check_precisions(id, ("units[%d].dense."):format(i), u.dense)
    end
    if #c.units == 0 then bad(id, "units", "list at least one processing unit") end
  else
    c.dense = c.dense or {}
  end
  -- Sparse figures: refused unless the user asks for them to be halved.
  for p, v in util.spairs(sparse) do
    local have_dense = c.dense and c.dense[p] ~= nil
    if not have_dense then
      if not c.halve_sparse then
        bad(id, "sparse." .. p, ("only a sparse figure (%s) is given; TPP counts dense figures only " ..
          "(3A090 Technical Note). Give dense.%s, or set halve_sparse = true to use %s / 2")
          :format(util.num(v), p, util.num(v)))
      end
      c.dense = c.dense or {}
      c.dense[p] = v / 2
      prov["dense." .. p] = "derived"
      c.assumptions[#c.assumptions + 1] = ("dense.%s = %s, half the sparse figure %s (halve_sparse = true)")
        :format(p, util.num(v / 2), util.num(v))
    end
  end

  if c.memory ~= nil then
    check_keys(id, "memory.", c.memory, MEMORY_KEYS)
    check_number(id, "memory.bandwidth_gbs", c.memory.bandwidth_gbs, false, M.PLAUSIBLE.bandwidth_gbs)
    check_number(id, "memory.capacity_gb", c.memory.capacity_gb, false, M.PLAUSIBLE.capacity_gb)
    check_number(id, "memory.package_area_mm2", c.memory.package_area_mm2, true, M.PLAUSIBLE.area_mm2)
  else
    c.memory = {}
  end
  check_number(id, "interconnect_gbs", c.interconnect_gbs, false, M.PLAUSIBLE.interconnect_gbs)
  check_number(id, "tdp_w", c.tdp_w, false, M.PLAUSIBLE.tdp_w)
  check_number(id, "transistors_b", c.transistors_b, false, M.PLAUSIBLE.transistors_b)
  check_number(id, "fp64_vector", c.fp64_vector, false, M.PLAUSIBLE.dense)
  check_number(id, "year", c.year, false, M.PLAUSIBLE.year)
  check_number(id, "die_area_mm2", c.die_area_mm2, true, M.PLAUSIBLE.area_mm2)

  if c.dies ~= nil then
    if c.die_area_mm2 ~= nil then bad(id, "dies", "give either 'die_area_mm2' or 'dies', not both") end
    for i, d in ipairs(c.dies) do
      local f = ("dies[%d]"):format(i)
      if type(d) ~= "table" then bad(id, f, "table expected, got " .. type(d)) end
      check_keys(id, f .. ".", d, DIE_KEYS)
      check_number(id, f .. ".area_mm2", d.area_mm2, true, M.PLAUSIBLE.area_mm2)
      if d.kind ~= nil and d.kind ~= "logic" and d.kind ~= "memory" and d.kind ~= "other" then
        bad(id, f .. ".kind", ("got '%s', expected 'logic', 'memory' or 'other'"):format(d.kind))
      end
      if (d.kind == nil or d.kind == "logic") and d.planar == nil then
        c.assumptions[#c.assumptions + 1] = ("dies[%d]: transistor type not stated; its area is counted " ..
          "toward the applicable die area (as non-planar), and the rules check whether a planar die would " ..
          "change the answer (dies[%d].planar)"):format(i, i)
      end
    end
  end
  if c.first_marketed ~= nil then
    local okd, msg = util.check_date(c.first_marketed)
    if not okd then bad(id, "first_marketed", msg) end
  end
  if c.datacenter == nil then
    c.assumptions[#c.assumptions + 1] = "datacenter: not stated; rules that depend on datacenter " ..
      "design or marketing will ask for it"
  end
  M.check_record_fields(id, c)
  return c
end

--- The descriptive fields: dates, origin, sources and which source backs
-- each figure, readings and third-party evidence (shapes in docs/chips.md).
function M.check_record_fields(id, c)
  for _, f in ipairs({ "announced", "first_shipped", "first_marketed" }) do
    if c[f] ~= nil and not M.check_date(c[f]) then
      bad(id, f, ("got '%s', expected a date YYYY-MM-DD (or YYYY-MM, YYYY when the source is no finer)")
        :format(c[f]))
    end
  end
  if c.us_available ~= nil and c.us_available ~= "no" and not M.check_date(c.us_available) then
    bad(id, "us_available", ("got '%s', expected a date (YYYY[-MM[-DD]]) or 'no'"):format(c.us_available))
  end
  if c.origin ~= nil and not c.origin:match("^%l%l%l?$") then
    bad(id, "origin", ("got '%s', expected a lower-case country code such as 'us' or 'prc'"):format(c.origin))
  end
  check_number(id, "scale_out_gbs", c.scale_out_gbs)
  local keys = {}
  for i, s in ipairs(c.sources or {}) do
    if type(s) == "table" then
      check_keys(id, ("sources[%d]."):format(i), s, SOURCE_KEYS)
      if not s.key or not s.title then bad(id, ("sources[%d]"):format(i), "a source needs a key and a title") end
      if keys[s.key] then bad(id, ("sources[%d].key"):format(i), ("'%s' is used twice"):format(s.key)) end
      if s.date ~= nil and not M.check_date(s.date) then
        bad(id, ("sources[%d].date"):format(i), ("got '%s', expected YYYY[-MM[-DD]]"):format(s.date))
      end
      keys[s.key] = true
    elseif type(s) ~= "string" then
      bad(id, ("sources[%d]"):format(i), "a string or { key = ..., title = ... } expected, got " .. type(s))
    end
  end
  -- cite keys name the chip's own source records, or (database rows) the
  -- registry of tpp.chips.sources, which `tpp chips --check` verifies
  local own = next(keys) ~= nil
  for field, key in pairs(c.cite or {}) do
    if type(key) ~= "string" or (own and not keys[key]) then
      bad(id, "cite." .. tostring(field), ("'%s' names no source; sources have keys: %s"):format(tostring(key),
        table.concat(util.sorted_keys(keys), ", ")))
    end
  end
  for i, r in ipairs(c.readings or {}) do
    local f = ("readings[%d]"):format(i)
    if type(r) ~= "table" then bad(id, f, "table expected, got " .. type(r)) end
    check_keys(id, f .. ".", r, READING_KEYS)
    if not r.name or not r.text then bad(id, f, "a reading needs a name and a text") end
    if not r.figures and not r.tf32_bits then bad(id, f, "a reading changes figures or tf32_bits") end
    for path, v in pairs(r.figures or {}) do
      if v ~= false and type(v) ~= "number" then
        bad(id, f .. ".figures." .. tostring(path), "a number, or false to leave the figure out")
      end
    end
  end
  for i, e in ipairs(c.evidence or {}) do
    local f = ("evidence[%d]"):format(i)
    if type(e) ~= "table" or type(e.by) ~= "string" then
      bad(id, f, "expected { by = 'who and when', tpp = ..., pd = ..., reason = ..., note = ... }")
    end
    check_number(id, f .. ".tpp", e.tpp, true)
    check_number(id, f .. ".pd", e.pd, true)
    check_number(id, f .. ".die_area_mm2", e.die_area_mm2, true)
  end
end

-- The normalized record the core binding takes.
local function core_input(c, opts)
  local units = {}
  if c.units then
    for i, u in ipairs(c.units) do units[i] = u.dense end
  else
    units[1] = c.dense
  end
  return {
    units = units,
    dies = c.dies,
    area_mm2 = c.die_area_mm2,
    mem_bw_gbs = c.memory.bandwidth_gbs,
    mem_area_mm2 = c.memory.package_area_mm2,
    interconnect_gbs = c.interconnect_gbs,
    tf32_bits = opts.tf32_bits,
    unit_mode = opts.unit_mode,
  }
end

local function weakest(...)
  local worst, rank = nil, 0
  for i = 1, select("#", ...) do
    local tag = select(i, ...)
    local r = M.PROVENANCE_RANK[tag or "user"] or 3
    if r > rank then worst, rank = tag or "user", r end
  end
  return worst
end

-- ---- the chip object ----

local Chip = {}
Chip.__index = Chip
M.Chip = Chip

local OPTION_KEYS = { tf32_bits = "integer", unit_mode = "string" }
M.OPTION_KEYS = OPTION_KEYS

local function check_opts(opts)
  if opts == nil then return { tf32_bits = 0, unit_mode = "max_of_sums" } end
  require("tpp.io.options").check("tpp.chip:metrics", opts, OPTION_KEYS)
  local tf = opts.tf32_bits or 0
  if tf ~= 0 and tf ~= 19 and tf ~= 32 then
    error(("tpp: option tf32_bits: got %s, expected 0 (TF32 excluded), 19 or 32"):format(util.num(tf)), 0)
  end
  local um = opts.unit_mode or "max_of_sums"
  if um ~= "max_of_sums" and um ~= "sum_of_maxes" then
    error(("tpp: option unit_mode: got '%s', expected 'max_of_sums' or 'sum_of_maxes'"):format(um), 0)
  end
  return { tf32_bits = tf, unit_mode = um }
end

function M.new(t)
  local c = M.normalize(t)
  return setmetatable({ data = c, _cache = {} }, Chip)
end

function M.is_chip(x) return getmetatable(x) == Chip end

--- All metrics, with provenance, unknowns and assumptions.
function Chip:metrics(opts)
  local o = check_opts(opts)
  local key = o.tf32_bits .. "/" .. o.unit_mode
  local cached = self._cache[key]
  if cached then return cached end
  local c = self.data
  local r = core.chip_metrics(core_input(c, o))
  local prov = c.provenance
  local m = {
    tpp = r.tpp, tpp_precision = r.tpp_precision, area_mm2 = r.area_mm2, pd = r.pd,
    pp = r.pp, mbd = r.mbd,
    h100e = { tpp = r.h100e_tpp, ["8bit"] = r.h100e_8bit, fp16 = r.h100e_fp16 },
    mem_bw_gbs = c.memory.bandwidth_gbs, mem_gb = c.memory.capacity_gb,
    interconnect_gbs = c.interconnect_gbs, transistors_b = c.transistors_b,
    tf32_bits = o.tf32_bits, unit_mode = o.unit_mode,
    provenance = {}, unknown = {}, assumptions = json.array {},
  }
  for i, a in ipairs(c.assumptions) do m.assumptions[i] = a end
  if o.tf32_bits == 0 then
    local has_tf32 = (c.dense and c.dense.tf32) or false
    if c.units then for _, u in ipairs(c.units) do has_tf32 = has_tf32 or u.dense.tf32 end end
    if has_tf32 then
      m.assumptions[#m.assumptions + 1] = "TF32 left out of the TPP maximum (its bit length is " ..
        "ambiguous: 19 significant bits in a 32-bit container); pass tf32_bits = 19 or 32 to count it"
    end
  end
  -- precisions tying at the maximum
  if r.tpp and not c.units then
    local ties = {}
    for _, p in ipairs(M.PRECISIONS) do
      local bits = p == "tf32" and o.tf32_bits or M.BITS[p]
      local v = c.dense[p]
      if v and bits and bits > 0 and v * bits == r.tpp then ties[#ties + 1] = p end
    end
    if #ties > 1 then m.tpp_ties = ties end
  end
  if r.tpp then
    m.provenance.tpp = weakest(prov["dense." .. r.tpp_precision])
  else
    m.unknown.tpp = "no dense throughput figure is known for any precision"
  end
  local area_tag = prov.die_area_mm2 or (c.dies and prov.dies) or nil
  if r.pd then
    m.provenance.pd = weakest(m.provenance.tpp, area_tag)
  else
    if not r.tpp then
      m.unknown.pd = "TPP is unknown"
    elseif r.missing_die then
      m.unknown.pd = ("die %d has no area, so the applicable die area is unknown"):format(r.missing_die)
    elseif c.dies and #c.dies > 0 and (function()
        local logic, planar = 0, 0
        for _, d in ipairs(c.dies) do
          if d.kind == nil or d.kind == "logic" then
            logic = logic + 1
            if d.planar == true then planar = planar + 1 end
          end
        end
        return logic > 0 and logic == planar
      end)() then
      m.unknown.pd = "every logic die is planar, so the applicable die area of the 3A090 technical note (non-planar " ..
        "logic dies only) is zero and performance density is not defined; whether a planar-only IC can meet the " ..
        "PD tests is a question the note does not answer"
    else
      m.unknown.pd = "no applicable die area is known (die_area_mm2 or dies with area_mm2)"
    end
  end
  if not r.mbd then
    m.unknown.mbd = "memory bandwidth density needs memory.bandwidth_gbs and memory.package_area_mm2"
  end
  if m.mem_bw_gbs == nil then m.unknown.mem_bw_gbs = "memory bandwidth not given" end
  if m.interconnect_gbs == nil then m.unknown.interconnect_gbs = "interconnect bandwidth not given" end
  m.provenance.mem_bw_gbs = prov["memory.bandwidth_gbs"]
  m.provenance.interconnect_gbs = prov.interconnect_gbs
  m.provenance.area_mm2 = area_tag
  self._cache[key] = m
  return m
end

function Chip:tpp(opts)
  local m = self:metrics(opts)
  return m.tpp, m.tpp_precision
end

--- PD, or nil and the reason it is unknown.
function Chip:pd(opts)
  local m = self:metrics(opts)
  if m.pd then return m.pd end
  return nil, m.unknown.pd
end

--- H100-equivalents on a declared basis; returns value, basis label.
function Chip:h100e(basis, opts)
  basis = basis or "tpp"
  local b = M.H100E_BASES[basis]
  if not b then
    error(("tpp: H100e basis '%s' unknown; expected 'tpp', '8bit' or 'fp16'"):format(tostring(basis)), 2)
  end
  return self:metrics(opts).h100e[basis], b.label
end

function Chip:provenance(field) return self.data.provenance[field] end

function Chip:__index(k)
  local method = Chip[k]
  if method ~= nil then return method end
  return rawget(self, "data")[k]
end

function Chip:__tostring()
  local d = self.data
  local tpp = self:metrics().tpp
  local shown = tpp and (tpp >= 100 and util.fmt(tpp, 0) or ("%.3g"):format(tpp)) or "unknown"
  return ("tpp.chip %s (%s): TPP %s"):format(d.id or "?", d.name or "unnamed", shown)
end

return M
