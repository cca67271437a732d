--- tpp.chips.check: the database against itself and against every value
-- stated about it. For each chip, TPP and PD are recomputed from the figures
-- and compared with the values a vendor or a third party published (the
-- chip's `stated` and `evidence` records). A difference over 1 % must have a
-- reason: a convention (TF32 bit length, FP6 counting, sparsity, per die vs per
-- package, another die-area estimate), which the check reproduces by
-- recomputing under it, or a declared reason (another SKU or clock, a known
-- error in the other table) with a note. Anything else is unexplained.
--
-- It also checks the records: every figure cites a source of the registry,
-- the tag fits the source (a "vendor" figure cites a vendor document), a
-- derived figure says how it was derived, variants point at a known family
-- member, origin and designer are given.
--
--   local check = require "tpp.chips.check"
--   local rep = check.run(tpp.chips())   -- rep.ok, rep.chips[i].rows, rep.problems
local readings = require "tpp.chips.readings"
local sources = require "tpp.chips.sources"
local spec = require "tpp.spec"
local util = require "tpp.util"

local M = {}

M.TOLERANCE = 0.01   -- relative difference still read as rounding

-- Reasons a record may declare for a difference the check cannot reproduce.
M.DECLARED = {
  sku = "describes another SKU, clock or memory configuration",
  error = "an error in the other table",
  ["die-area"] = "uses another die-area estimate (give die_area_mm2)",
  rounding = "the other source rounds its figure coarsely",
}

-- Which convention a reading name stands for, in the words of the report.
local function convention(name)
  if name:find("^tf32") then return "TF32 bit length (" .. name .. ")" end
  if name:find("fp6") then return "FP6 counting (" .. name .. ")" end
  if name:find("die") and name:find("per") then return "per die vs per package (" .. name .. ")" end
  if name:find("area") then return "die-area estimate (" .. name .. ")" end
  return "reading " .. name
end

local function rel(a, b)
  if a == nil or b == nil then return nil end
  if b == 0 then return a == 0 and 0 or math.huge end
  return math.abs(a - b) / math.abs(b)
end

-- TPP and PD of the chip under each of its readings, and doubled (sparse).
local function alternatives(chip)
  local out = {}
  for _, r in ipairs(readings.of(chip.data)) do
    local alt, opts = readings.apply(chip.data, r)
    local ok, c = pcall(spec.new, alt)
    if ok then
      local m = c:metrics(opts)
      out[#out + 1] = { reason = convention(r.name), reading = r.name, tpp = m.tpp, pd = m.pd, area = m.area_mm2 }
    end
  end
  local m = chip:metrics()
  if m.tpp then
    out[#out + 1] = { reason = "sparsity (a sparse figure read as dense: twice the dense TPP)",
                      reading = "sparse", tpp = 2 * m.tpp, pd = m.pd and 2 * m.pd }
  end
  return out
end

-- Compare one stated value with the recomputed one; returns a row.
local function compare(what, stated, computed, rec, alts, chip)
  local row = { what = what, stated = stated, computed = computed, by = rec.by, note = rec.note,
                declared = rec.reason }
  if computed == nil then
    row.verdict, row.reason = "not comparable", ("tpp's %s is unknown (figures missing)"):format(what)
    return row
  end
  local d = rel(stated, computed)
  row.diff_pct = (stated - computed) / computed * 100
  if d <= M.TOLERANCE then
    row.verdict = "agrees"
    row.reason = d > 0 and "rounding (within 1 %)" or nil
    return row
  end
  for _, a in ipairs(alts) do
    local v = a[what]
    if v and rel(stated, v) <= M.TOLERANCE then
      row.verdict, row.reason, row.reproduced = "explained", a.reason, v
      if rec.reason and not (M.DECLARED[rec.reason] or a.reading:find(rec.reason, 1, true)) then
        row.verdict = "unexplained"
        row.reason = ("reproduced by %s, but the record declares '%s'"):format(a.reason, rec.reason)
      end
      return row
    end
  end
  if what == "pd" then
    -- the other table's PD may follow from its own die area or its own TPP
    local area = rec.die_area_mm2
    local m = chip:metrics()
    if area and m.tpp and rel(stated, m.tpp / area) <= M.TOLERANCE then
      row.verdict, row.reproduced = "explained", m.tpp / area
      row.reason = ("die-area estimate: %s mm2 against tpp's %s"):format(util.num(area),
        m.area_mm2 and util.num(m.area_mm2) or "unknown")
      return row
    end
    if rec.tpp and m.area_mm2 and rel(stated, rec.tpp / m.area_mm2) <= M.TOLERANCE then
      row.verdict, row.reproduced = "explained", rec.tpp / m.area_mm2
      row.reason = "follows from the stated TPP over the same die area"
      return row
    end
    if rec.tpp and area and rel(stated, rec.tpp / area) <= M.TOLERANCE then
      row.verdict, row.reproduced = "explained", rec.tpp / area
      row.reason = ("follows from the stated TPP over %s mm2"):format(util.num(area))
      return row
    end
  end
  if rec.reason and M.DECLARED[rec.reason] and rec.note then
    row.verdict = "explained"
    row.reason = ("%s: %s"):format(rec.reason, M.DECLARED[rec.reason])
    return row
  end
  row.verdict = "unexplained"
  row.reason = rec.reason and ("declared '%s' does not reproduce the value%s"):format(rec.reason,
    rec.note and "" or " and no note says why") or "no convention reproduces it and no reason is recorded"
  return row
end

--- One stated value (what = "tpp" or "pd") against the chip's recomputed
-- metric, with the same conventions and declared reasons as M.values.
function M.compare_value(chip, what, stated, rec)
  local m = chip:metrics()
  return compare(what, stated, m[what], rec, alternatives(chip), chip)
end

--- Every stated value of one chip object against the recomputed metrics.
function M.values(chip)
  local d, m = chip.data, chip:metrics()
  local alts = alternatives(chip)
  local rows = {}
  local st = d.stated or {}
  if st.tpp or st.pd then
    local by = (d.cite and d.cite["stated.tpp"]) or (d.provenance and d.provenance["stated.tpp"]) or "stated"
    local rec = { by = by, tpp = st.tpp, reason = st.reason, note = st.note }
    if st.tpp then rows[#rows + 1] = compare("tpp", st.tpp, m.tpp, rec, alts, chip) end
    if st.pd then
      rec.by = (d.cite and d.cite["stated.pd"]) or by
      rows[#rows + 1] = compare("pd", st.pd, m.pd, rec, alts, chip)
    end
  end
  for _, e in ipairs(d.evidence or {}) do
    if e.tpp then rows[#rows + 1] = compare("tpp", e.tpp, m.tpp, e, alts, chip) end
    if e.pd then rows[#rows + 1] = compare("pd", e.pd, m.pd, e, alts, chip) end
  end
  return rows
end

-- Figure paths that carry a provenance tag but are not figures in the record
-- (nothing to cite) are none: every tagged path must cite a source.
local VENDOR_KINDS = { vendor = true }

--- Problems with one chip's record (list of strings).
function M.record(data, known_ids)
  local p = {}
  local id = data.id or "?"
  local function add(fmt, ...) p[#p + 1] = id .. ": " .. fmt:format(...) end
  local prov, cite = data.provenance or {}, data.cite or {}
  for path, tag in util.spairs(prov) do
    local key = cite[path]
    if not key then
      add("%s (%s) cites no source", path, tag)
    else
      local s = sources.get(key)
      if not s then
        add("%s cites '%s', which is not in the source registry", path, key)
      elseif tag == "vendor" and not VENDOR_KINDS[s.kind] then
        add("%s is tagged vendor but cites a %s source (%s)", path, s.kind, key)
      elseif tag == "reported" and VENDOR_KINDS[s.kind] then
        add("%s is tagged reported but cites a vendor source (%s); tag it vendor", path, key)
      end
    end
    if tag == "derived" and not ((data.derivation or {})[path] or (path == "die_area_mm2" and data.die_note)) then
      add("%s is derived but no derivation says how", path)
    end
  end
  for path in util.spairs(cite) do
    if not prov[path] then add("cite.%s has no provenance tag", path) end
  end
  for _, path in ipairs(require("tpp.chips").FIGURE_PATHS) do
    if require("tpp.chips").get_path(data, path) ~= nil and not prov[path] then
      add("%s is given without a provenance tag or a source", path)
    end
  end
  if data.variant_of then
    local parent = known_ids and known_ids[data.variant_of]
    if not parent then
      add("variant_of '%s' is not a chip of the database", data.variant_of)
    elseif parent.family ~= data.family then
      add("variant_of '%s' is in family '%s', not '%s'", data.variant_of, tostring(parent.family),
        tostring(data.family))
    end
  end
  for _, f in ipairs({ "family", "designer", "origin", "datacenter_basis" }) do
    if data[f] == nil then add("%s is not given", f) end
  end
  return p
end

--- How many of a chip's figures cite a document that was checked against a
-- copy (a source record with `read`), against all its cited figures. A
-- source without `read` is cited as published, so its figures count as not
-- checked here: the count keeps the state of verification visible.
function M.citations(data)
  local checked, total = 0, 0
  local chips_db = require("tpp.chips")
  for _, path in ipairs(chips_db.FIGURE_PATHS) do
    local key = (data.cite or {})[path]
    if key and chips_db.get_path(data, path) ~= nil then
      total = total + 1
      local s = sources.get(key)
      if s and s.read then checked = checked + 1 end
    end
  end
  return checked, total
end

--- Check a list of chip objects. Returns
-- { ok, chips = { { id, name, rows } }, problems, counts }; counts.citations
-- and counts.checked_citations tell how many figure citations point at a
-- document read from a copy.
function M.run(chips)
  local known = {}
  for _, c in ipairs(chips) do known[c.data.id] = c.data end
  local rep = { chips = {}, problems = {}, counts = { agrees = 0, explained = 0, unexplained = 0,
    ["not comparable"] = 0, values = 0, chips = #chips, citations = 0, checked_citations = 0 } }
  for _, c in ipairs(chips) do
    local checked, total = M.citations(c.data)
    rep.counts.checked_citations = rep.counts.checked_citations + checked
    rep.counts.citations = rep.counts.citations + total
    local rows = M.values(c)
    for _, r in ipairs(rows) do
      rep.counts[r.verdict] = rep.counts[r.verdict] + 1
      rep.counts.values = rep.counts.values + 1
    end
    if #rows > 0 then rep.chips[#rep.chips + 1] = { id = c.data.id, name = c.data.name, rows = rows } end
    for _, msg in ipairs(M.record(c.data, known)) do rep.problems[#rep.problems + 1] = msg end
  end
  rep.ok = rep.counts.unexplained == 0 and #rep.problems == 0
  return rep
end

return M
