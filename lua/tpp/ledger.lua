--- tpp.ledger: a shipment ledger checked against the AI Diffusion rule's
-- per-country caps and the LPP allowance.
--
--   local ledger = require "tpp.ledger"
--   local rep = ledger.check("shipments.csv", { as_of = "2026-06-30" })
--   for _, f in ipairs(rep.findings) do print(f.message) end
--
-- A ledger is CSV with a header (chip,count,consignee,country,date and the
-- optional columns authorization, eccn, hq, note), a JSON list of objects
-- with the same keys (or { "shipments": [...] }), or JSON Lines, read by the
-- strict reader tpp.io with M.SCHEMA. Every row is validated; a bad row is
-- reported with its row and line number and never dropped silently.
--
-- The AI Diffusion rule (90 FR 4544) is NOT ENFORCED since BIS's announcement of May 2025 (the date is
-- in its rule file) but its text is still in the eCFR; this check answers "what would the CFR text say".
-- Its quantities are reported or derived figures and are shown as assumptions.
-- Not legal advice.
local util = require "tpp.util"
local spec = require "tpp.spec"
local reader = require "tpp.io"
local schema = require "tpp.io.schema"
local options = require "tpp.io.options"
local dest = require "tpp.dest"

local M = {}

M.RULE_ID = "us-2025-01-diffusion"

-- The figures come from the rule file (lua/tpp/rules/us_2025_01_diffusion.lua), the one place each
-- regulatory number lives; nothing is kept here as a fallback.
M.FALLBACK_FIGURES = {}
do
  local v = require("tpp.rules").get(M.RULE_ID)
  M.CAP_FROM, M.CAP_TO = v.dates.effective, "2027-12-31"
  M.NOT_ENFORCED_FROM = v.dates.not_enforced
end

M.REQUIRED = { "chip", "count", "consignee", "country", "date" }
M.OPTIONAL = { "authorization", "eccn", "hq", "note" }

-- The columns of a ledger: the reader checks presence, types and dates; the
-- meaning (a known chip, a country, a positive whole count) is checked below
-- with messages that say what to do.
M.SCHEMA = schema.new {
  kind = "ledger", title = "shipment ledger", wrapper = "shipments",
  columns = {
    { name = "chip", type = "string", required = true, help = "chip name, alias or database id" },
    { name = "count", type = "number", required = true, thousands = true, max = 1e9, unit = "chips",
      help = "chips shipped, a whole number >= 1 (\"1,000\" accepted)" },
    { name = "consignee", type = "string", required = true, help = "ultimate consignee" },
    { name = "country", type = "string", required = true, help = "destination country (name or ISO code)" },
    { name = "date", type = "date", required = true, help = "shipment date YYYY-MM-DD" },
    { name = "authorization", type = "string", help = "LPP, licence or VEU (UVEU/NVEU); empty = auto" },
    { name = "eccn", type = "string", help = "classification if known (3A090.a, 4A090.a, EAR99, none)" },
    { name = "hq", type = "string", help = "headquarters country of the consignee or its parent" },
    { name = "note", type = "string" },
  },
}

local AUTH = { lpp = "LPP", licence = "licence", license = "licence", veu = "VEU", uveu = "VEU", nveu = "VEU",
  auto = "auto" }

-- ------------------------------------------------------------ figures ----

-- Names of the figures in lua/tpp/rules/us_2025_01_diffusion.lua.
M.RULE_FIGURES = {
  lpp_tpp = "lpp.tpp_per_consignee_year",
  country_cap_tpp = "country_cap.tpp_2025_2027",
  country_cap_g2g_h100e = "country_cap.g2g_h100_equivalents",
  h100_tpp = "h100.tpp",
}

-- The figures of the rule file when the rule engine is installed: by name
-- from v.figures, else by name fragments from v.thresholds.
local function from_rule_file()
  local v = require("tpp.rules").get(M.RULE_ID)
  local figs = v.figures or (type(v.def) == "table" and v.def.figures) or nil
  if type(figs) == "table" and figs[M.RULE_FIGURES.lpp_tpp] then
    local found = {}
    local function rec(key, name)
      local f = figs[name]
      if type(f) == "table" and type(f.value) == "number" then
        found[key] = { value = f.value, tag = f.provenance,
          source = ("rule file %s, figure '%s': %s"):format(M.RULE_ID, name, tostring(f.source or "")) }
      end
    end
    rec("lpp_tpp", M.RULE_FIGURES.lpp_tpp)
    rec("country_cap_tpp", M.RULE_FIGURES.country_cap_tpp)
    -- the doubled allocation: twice the rule file's cap (its H100e figure, 99,802, is the same doubling
    -- counted in H100s; 2 x 790,000,000 keeps the two caps consistent)
    if found.country_cap_tpp then
      local g = figs[M.RULE_FIGURES.country_cap_g2g_h100e]
      found.country_cap_g2g_tpp = { value = 2 * found.country_cap_tpp.value, tag = "derived",
        source = ("twice the rule file's country cap for a country with a government-to-government arrangement " ..
          "(rule file figure '%s': %s H100e) [reported/derived]"):format(M.RULE_FIGURES.country_cap_g2g_h100e,
          type(g) == "table" and util.fmt(g.value) or "?") }
    end
    return found, v
  end
  if type(v.thresholds) ~= "table" then return nil end
  local found = {}
  for name, t in pairs(v.thresholds) do
    local low = name:lower()
    local value = type(t) == "table" and t.value or t
    if type(value) == "number" then
      local rec = { value = value, tag = type(t) == "table" and (t.provenance or t.tag) or nil,
        source = ("rule file %s, threshold '%s'%s"):format(M.RULE_ID, name,
          type(t) == "table" and t.source and (": " .. t.source) or "") }
      if low:find("lpp", 1, true) then
        found.lpp_tpp = rec
      elseif low:find("cap", 1, true) or low:find("allocation", 1, true) then
        if low:find("g2g", 1, true) or low:find("gov", 1, true) or low:find("double", 1, true) then
          found.country_cap_g2g_tpp = rec
        elseif not low:find("veu", 1, true) then
          found.country_cap_tpp = rec
        end
      end
    end
  end
  if not found.lpp_tpp and not found.country_cap_tpp then return nil end
  return found, v
end

--- The figures in use, read from the rule file. Returns figures, description of the source.
function M.figures()
  local found, v = from_rule_file()
  local out = {}
  for k, rec in pairs(found) do out[k] = rec end
  if not out.country_cap_g2g_tpp and out.country_cap_tpp then
    out.country_cap_g2g_tpp = { value = 2 * out.country_cap_tpp.value, tag = "derived",
      source = "twice the rule file's country cap (government-to-government arrangement) [reported]" }
  end
  return out, "rule file " .. M.RULE_ID .. (v.hash and (" (hash " .. tostring(v.hash) .. ")") or "")
end

-- -------------------------------------------------------------- input ----

local function row_error(errs, row, line, field, value, msg)
  errs[#errs + 1] = { row = row, line = line, field = field, value = value, message = msg }
end

local function read_opts(name, format)
  return { schema = M.SCHEMA, collect = true, name = name, format = format }
end

local function raise(err) reader.raise(err, "tpp.ledger") end

--- Read ledger CSV text into the reader's result (records, rows, lines,
-- issues: bad rows are listed, not dropped). Raises on a bad header or
-- quoting ("tpp.ledger: NAME: line N: ...").
function M.parse_csv(text, name)
  local t, err = reader.read({ text = text }, read_opts(name or "ledger", "csv"))
  if not t then raise(err) end
  return t, t.header_line
end

--- Read ledger JSON text: a list of objects, or { "shipments": [...] }.
function M.parse_json(text, name)
  local t, err = reader.read({ text = text }, read_opts(name or "ledger", "json"))
  if not t then raise(err) end
  return t
end

--- Read a ledger file (CSV, JSON or JSON Lines by extension or content;
-- "-" = standard input). Returns the reader's result and its format, or nil
-- and the reader's error object (65 bad data, 66 unreadable).
function M.read(path)
  local t, err = reader.read(path, read_opts(nil, nil))
  if not t then return nil, err end
  return t, t.format
end

-- ------------------------------------------------------- validation ----

local function where(r) return r.line and ("row %d (line %d)"):format(r.row, r.line) or ("row %d"):format(r.row) end

local function as_text(v)
  if type(v) == "string" then return v end
  if type(v) == "number" then return util.num(v) end
  return tostring(v)
end

-- Validate one record (typed by the reader). Returns a shipment or nil
-- (errors appended).
local function validate(r, errs, chip_cache)
  local bad = false
  local function fail(field, value, msg)
    bad = true
    row_error(errs, r.row, r.line, field, value, ("%s: %s: %s"):format(where(r), field, msg))
  end
  local v = r.values
  for _, k in ipairs(M.REQUIRED) do
    if v[k] == nil then fail(k, nil, "missing") end
  end
  local s = { row = r.row, line = r.line }

  -- chip
  if v.chip ~= nil then
    if type(v.chip) ~= "string" then
      fail("chip", v.chip, "chip name (string) expected, got " .. type(v.chip))
    else
      local tpp = require "tpp"
      local id, msg = tpp.resolve(v.chip)
      if not id then
        fail("chip", v.chip, msg)
      else
        local c = chip_cache[id]
        if not c then
          c = tpp.chip(id)
          chip_cache[id] = c
        end
        local m = c:metrics()
        if m.tpp == nil then
          fail("chip", v.chip, ("'%s' (%s) has no known TPP (%s); it cannot be counted against caps"):format(
            v.chip, id, m.unknown.tpp or "unknown"))
        else
          s.chip, s.chip_id, s.chip_name, s.tpp_each = v.chip, id, c.data.name, m.tpp
          s.tpp_provenance = m.provenance.tpp
          s.chip_obj = c
        end
      end
    end
  end
  -- count (a number: the reader parsed it strictly)
  if v.count ~= nil then
    local n = v.count
    if n < 0 then
      fail("count", v.count, ("got %s; a count cannot be negative (record returns as their own " ..
        "entries, not as negative shipments)"):format(util.num(n)))
    elseif n ~= math.floor(n) then
      fail("count", v.count, ("got %s; expected a whole number of chips"):format(util.num(n)))
    elseif n < 1 then
      fail("count", v.count, "got 0; expected a whole number >= 1")
    else
      s.count = n
    end
  end
  -- consignee
  if v.consignee ~= nil then
    if type(v.consignee) ~= "string" or util.trim(v.consignee) == "" then
      fail("consignee", v.consignee, "non-empty name expected")
    else
      s.consignee = util.trim(v.consignee)
    end
  end
  -- country, hq
  for _, key in ipairs({ "country", "hq" }) do
    if v[key] ~= nil then
      local rec, msg = dest.resolve_country(v[key])
      if not rec then fail(key, v[key], msg) else s[key] = rec end
    end
  end
  -- date (a calendar date: the reader checked it)
  s.date = v.date
  -- authorization
  if v.authorization ~= nil then
    local a = type(v.authorization) == "string" and AUTH[util.squash(v.authorization)]
    if not a then
      fail("authorization", v.authorization, ("'%s' not understood; expected LPP, licence, VEU (UVEU/NVEU) " ..
        "or auto"):format(as_text(v.authorization)))
    else
      s.authorization_given = a
    end
  end
  -- eccn
  if v.eccn ~= nil then
    if type(v.eccn) ~= "string" then
      fail("eccn", v.eccn, "string expected")
    else
      local e = util.trim(v.eccn):upper()
      if e:match("^[34]A090%.A") then s.eccn = "3A090.a"
      elseif e:match("^[34]A090%.B") then s.eccn = "3A090.b"
      elseif e:match("^3A090%.C") then s.eccn = "3A090.c"
      elseif e == "EAR99" or e:match("^3A991") or e:match("^4A994") or e == "NONE" or e == "NOT-CONTROLLED" then
        s.eccn = "none"
      else
        fail("eccn", v.eccn, "expected 3A090.a, 3A090.b, 3A090.c, 4A090.a, 4A090.b, EAR99 or none")
      end
    end
  end
  if v.note ~= nil then s.note = as_text(v.note) end
  if bad then return nil end
  return s
end

-- Classification of a shipment's chip for the caps (3A090.a counts).
local function classify(s, engine, cache)
  if s.eccn then return s.eccn, "ledger eccn column" end
  if engine then
    local key = s.chip_id .. "@" .. s.date
    local hit = cache[key]
    if not hit then
      local ok, r = pcall(engine.classify, s.chip_obj, { rules = M.RULE_ID, as_of = s.date })
      if ok and type(r) == "table" then
        local e = r.eccn
        if r.status == "not-controlled" then e = "none" end
        if type(e) == "string" then
          if e:match("^[34]A090%.a") then e = "3A090.a" elseif e:match("^[34]A090%.b") then e = "3A090.b" end
        end
        hit = { e, ("tpp.rules %s: %s"):format(r.rules or M.RULE_ID, r.status or "?") }
      else
        hit = { nil, "tpp.rules failed: " .. tostring(r) }
      end
      cache[key] = hit
    end
    return hit[1], hit[2]
  end
  return "3A090.a", "assumed 3A090.a (rule engine tpp.rules not installed and no eccn column)"
end

local function rule_engine()
  local ok, rules = pcall(require, "tpp.rules")
  if ok and type(rules) == "table" and type(rules.classify) == "function" then return rules end
  return nil
end

-- H100-equivalents on the TPP basis: the one reference of the C core (the H100 SXM's TPP).
local function h100e(tpp_value)
  return tpp_value / spec.H100E_BASES.tpp.reference
end

-- ------------------------------------------------------------- check ----

--- tpp.ledger.check(input, opts) -> report.
-- input: a path ("-" = standard input), the result of parse_csv/parse_json
-- or tpp.io.read, or a list of plain shipment tables {chip=, count=,
-- consignee=, country=, date=}. opts: as_of (default today), g2g (list or
-- set of countries with a government-to-government arrangement: doubled
-- cap), format ("csv", "json", "jsonl" for a path without a telling
-- extension), name (for messages).
local CHECK_OPTIONS = { as_of = "date", g2g = "table", format = "string", name = "string" }

function M.check(input, opts)
  opts = options.check("tpp.ledger.check", opts, CHECK_OPTIONS)
  local as_of = opts.as_of or util.today()
  local t, err
  if type(input) == "string" then
    t, err = reader.read(input, read_opts(opts.name, opts.format))
  elseif type(input) == "table" and input.records then
    t = input
  elseif type(input) == "table" then
    t, err = reader.read(input, read_opts(opts.name or "rows", nil))
  else
    error("tpp.ledger.check: ledger path or list of rows expected, got " .. type(input), 2)
  end
  if not t then raise(err) end
  local raw = {}
  for i, rec in ipairs(t.records) do raw[i] = { row = t.rows[i], line = t.lines[i], values = rec } end
  local fmt, source = t.format, t.name
  if fmt == "records" then fmt = "table" end
  local g2g = {}
  for k, v in pairs(opts.g2g or {}) do
    local rec, m = dest.resolve_country(type(k) == "number" and v or k)
    if not rec then error("tpp.ledger.check: g2g: " .. m, 2) end
    g2g[rec.ear_as or rec.code] = true
  end

  local figures, figures_source = M.figures()
  local LPP = figures.lpp_tpp.value
  local rep = {
    source = source, format = fmt, as_of = as_of, rule = M.RULE_ID,
    rule_status = ("not enforced since %s (BIS); text still in the eCFR; this check applies the CFR text")
      :format(M.NOT_ENFORCED_FROM),
    figures = figures, figures_source = figures_source,
    h100e_basis = spec.H100E_BASES.tpp.label,
    rows_total = t.rows_total or #raw, errors = {}, rows = {}, countries = {}, consignees = {}, findings = {},
    assumptions = {}, notes = {}, disclaimer = dest.DISCLAIMER,
  }

  -- rows the reader refused (wrong type, unknown field, bad quoting), then every row
  for _, is in ipairs(t.issues or {}) do
    row_error(rep.errors, is.row, is.line, is.column, is.value, is.message)
  end
  local ships, chip_cache = {}, {}
  for _, r in ipairs(raw) do
    local s = validate(r, rep.errors, chip_cache)
    if s then ships[#ships + 1] = s end
  end
  rep.rows_rejected = 0
  do
    local seen = {}
    for _, e in ipairs(rep.errors) do
      if not seen[e.row] then seen[e.row] = true; rep.rows_rejected = rep.rows_rejected + 1 end
    end
  end

  -- date order, stable by row number
  table.sort(ships, function(a, b)
    if a.date ~= b.date then return a.date < b.date end
    return a.row < b.row
  end)

  local engine = rule_engine()
  local class_cache = {}
  local by_country, by_consignee = {}, {}
  local country_order, consignee_order = {}, {}
  local after_as_of, auto_rows, assumed_rows, provenance_tags = 0, {}, {}, {}
  local uncounted_before = 0

  for _, s in ipairs(ships) do
    local out = {
      row = s.row, line = s.line, chip = s.chip, chip_id = s.chip_id, chip_name = s.chip_name, count = s.count,
      consignee = s.consignee, country = s.country.code, country_name = s.country.name, date = s.date,
      hq = s.hq and s.hq.code or nil, tpp_each = s.tpp_each, tpp = s.tpp_each * s.count, note = s.note,
    }
    out.h100e = h100e(out.tpp)
    provenance_tags[s.tpp_provenance or "unknown"] = true
    rep.rows[#rep.rows + 1] = out
    if s.date > as_of then
      out.counts_against = "none"
      out.status = "after the as-of date: not counted"
      after_as_of = after_as_of + 1
    else
      local eccn, how = classify(s, engine, class_cache)
      out.eccn, out.classification = eccn, how
      if how:find("^assumed") then assumed_rows[#assumed_rows + 1] = s.row end
      local tier, tinfo = dest.tier(s.country.code, s.date)
      out.tier = tier
      out.tier_verified = tinfo.verified
      local hq_t3 = false
      if s.hq then hq_t3 = (dest.tier(s.hq.code, s.date)) == 3 end
      local auth = s.authorization_given or "auto"
      out.authorization_given = s.authorization_given
      if eccn ~= "3A090.a" then
        out.counts_against = "none"
        out.status = eccn == nil and "classification unknown: not counted (see errors)" or
          ("%s: caps and LPP cover 3A090.a items only"):format(eccn == "none" and "not 3A090" or eccn)
        if eccn == nil then
          row_error(rep.errors, s.row, s.line, "chip", s.chip, ("%s: chip: classification failed (%s); the row " ..
            "is not counted"):format(where(s), how))
        end
      elseif s.date < M.CAP_FROM then
        out.counts_against = "none"
        out.status = ("before the AI Diffusion rule took effect (%s): not counted"):format(M.CAP_FROM)
        uncounted_before = uncounted_before + 1
      elseif tier == 3 or hq_t3 then
        out.counts_against = "none"
        out.status = "Tier 3 (D:5 or Macau" .. (hq_t3 and tier ~= 3 and ", by headquarters" or "") ..
          "): licence required, presumption of denial; no LPP, no allocation"
        rep.findings[#rep.findings + 1] = { kind = "tier3", severity = "problem", row = s.row,
          message = ("%s: %s x %s to %s (%s): Tier 3 destination or buyer; LPP is not available and there " ..
            "is no allocation"):format(where(s), util.fmt(s.count), s.chip, s.country.name, s.date) }
        if auth == "LPP" then out.authorization = "LPP (not available)" end
      elseif tier == 1 then
        out.counts_against = "none"
        out.status = "Tier 1: no cap" .. (tinfo.verified and "" or " (Tier 1 list unverified)")
      else
        -- Tier 2: LPP or country cap
        local year = s.date:sub(1, 4)
        local ckey = s.consignee .. "\0" .. year
        local cons = by_consignee[ckey]
        if not cons then
          cons = { consignee = s.consignee, year = year, countries = {}, lpp_tpp = 0, allowance = LPP, rows = {} }
          by_consignee[ckey] = cons
          consignee_order[#consignee_order + 1] = ckey
        end
        local use_lpp
        if auth == "LPP" then
          use_lpp = true
        elseif auth == "auto" then
          use_lpp = cons.lpp_tpp + out.tpp <= LPP
          auto_rows[#auto_rows + 1] = s.row
        else
          use_lpp = false
        end
        if auth == "VEU" then
          out.counts_against = "none"
          out.authorization = "VEU"
          out.status = "VEU: outside the country cap (VEU shares not checked: they need the VEU's global footprint)"
        elseif use_lpp then
          out.counts_against = "lpp"
          out.authorization = "LPP" .. (auth == "auto" and " (auto)" or "")
          local before = cons.lpp_tpp
          cons.lpp_tpp = cons.lpp_tpp + out.tpp
          cons.countries[s.country.code] = true
          cons.rows[#cons.rows + 1] = s.row
          out.lpp_after = cons.lpp_tpp
          if before <= LPP and cons.lpp_tpp > LPP then cons.crossing_row = s.row end
          out.status = ("LPP: consignee total %s of %s TPP in %s"):format(util.fmt(cons.lpp_tpp), util.fmt(LPP), year)
        else
          out.counts_against = "cap"
          out.authorization = "licence" .. (auth == "auto" and " (auto: LPP allowance would be exceeded)" or "")
          local code = s.country.code
          local cap_value = g2g[code] and figures.country_cap_g2g_tpp.value or figures.country_cap_tpp.value
          local c = by_country[code]
          if not c then
            c = { country = code, name = s.country.name, tier = 2, counted_tpp = 0, cap = cap_value,
              g2g = g2g[code] or false, rows = {} }
            by_country[code] = c
            country_order[#country_order + 1] = code
          end
          if s.date > M.CAP_TO then
            out.counts_against = "none"
            out.status = "after the 2025-2027 allocation period: no cap figure in tpp's reference"
          else
            local before = c.counted_tpp
            c.counted_tpp = c.counted_tpp + out.tpp
            c.rows[#c.rows + 1] = s.row
            out.cap_after = c.counted_tpp
            if before <= c.cap and c.counted_tpp > c.cap then
              c.crossing_row, c.crossing_date = s.row, s.date
            end
            out.status = ("country cap: %s total %s of %s TPP"):format(s.country.name, util.fmt(c.counted_tpp),
              util.fmt(c.cap))
          end
        end
      end
    end
  end

  -- summaries and findings
  for _, code in ipairs(country_order) do
    local c = by_country[code]
    c.remaining = c.cap - c.counted_tpp
    c.counted_h100e = h100e(c.counted_tpp)
    c.cap_h100e = h100e(c.cap)
    if c.counted_tpp > c.cap then
      c.over_tpp = c.counted_tpp - c.cap
      c.over_h100e = h100e(c.over_tpp)
      c.status = "OVER"
      rep.findings[#rep.findings + 1] = { kind = "over-cap", severity = "over", country = code, row = c.crossing_row,
        over_tpp = c.over_tpp, over_h100e = c.over_h100e,
        message = ("%s is over its country cap by %s TPP (%s H100e): %s counted against %s; first exceeded at " ..
          "row %d (%s)"):format(c.name, util.fmt(c.over_tpp), util.fmt(c.over_h100e, 2), util.fmt(c.counted_tpp),
          util.fmt(c.cap), c.crossing_row, c.crossing_date) }
    else
      c.over_tpp = 0
      c.status = "ok"
    end
    rep.countries[#rep.countries + 1] = c
  end
  for _, key in ipairs(consignee_order) do
    local c = by_consignee[key]
    local countries = util.sorted_keys(c.countries)
    c.countries = countries
    c.remaining = c.allowance - c.lpp_tpp
    c.lpp_h100e = h100e(c.lpp_tpp)
    if c.lpp_tpp > c.allowance then
      c.over_tpp = c.lpp_tpp - c.allowance
      c.over_h100e = h100e(c.over_tpp)
      c.status = "OVER"
      rep.findings[#rep.findings + 1] = { kind = "over-lpp", severity = "over", consignee = c.consignee, year = c.year,
        row = c.crossing_row, over_tpp = c.over_tpp, over_h100e = c.over_h100e,
        message = ("consignee '%s' is over the LPP allowance for %s by %s TPP (%s H100e): %s under LPP against %s; " ..
          "first exceeded at row %d"):format(c.consignee, c.year, util.fmt(c.over_tpp), util.fmt(c.over_h100e, 2),
          util.fmt(c.lpp_tpp), util.fmt(c.allowance), c.crossing_row) }
    else
      c.over_tpp = 0
      c.status = "ok"
    end
    if c.lpp_tpp > 0 then rep.consignees[#rep.consignees + 1] = c end
  end
  table.sort(rep.findings, function(a, b)
    if a.kind ~= b.kind then return a.kind < b.kind end
    return (a.row or 0) < (b.row or 0)
  end)
  table.sort(rep.errors, function(a, b)
    if a.row ~= b.row then return a.row < b.row end
    return a.message < b.message
  end)
  table.sort(rep.rows, function(a, b) return a.row < b.row end)
  rep.rows_counted = 0
  for _, r in ipairs(rep.rows) do if r.counts_against ~= "none" then rep.rows_counted = rep.rows_counted + 1 end end

  -- assumptions: every reported or derived figure, and every choice made
  local A = rep.assumptions
  A[#A + 1] = ("LPP allowance %s TPP per ultimate consignee per calendar year [%s]: %s"):format(
    util.fmt(figures.lpp_tpp.value), figures.lpp_tpp.tag or "?", figures.lpp_tpp.source)
  A[#A + 1] = ("Tier 2 country cap %s TPP for %s..%s [%s]: %s"):format(util.fmt(figures.country_cap_tpp.value),
    M.CAP_FROM, M.CAP_TO, figures.country_cap_tpp.tag or "?", figures.country_cap_tpp.source)
  if next(g2g) then
    A[#A + 1] = ("doubled cap %s TPP for %s [%s]: %s"):format(util.fmt(figures.country_cap_g2g_tpp.value),
      table.concat(util.sorted_keys(g2g), ", "), figures.country_cap_g2g_tpp.tag or "?",
      figures.country_cap_g2g_tpp.source)
  end
  A[#A + 1] = "Tier 1 = US + 18 allies: the list is the one expected from the rule (90 FR 4544, supplement no. 5 " ..
    "to part 740), not verified against the rule text; Tier 2 membership depends on it [reported]"
  A[#A + 1] = "Tier 3 = D:5 + Macau on each shipment's date [reported]"
  A[#A + 1] = "H100e basis: " .. rep.h100e_basis .. " [derived]"
  if #auto_rows > 0 then
    A[#A + 1] = ("rows without an authorization (%d) were assigned automatically in date order: LPP while " ..
      "the consignee's calendar-year LPP total stays within the allowance, otherwise a licence counted against " ..
      "the country cap; add an 'authorization' column (LPP, licence, VEU) to state it"):format(#auto_rows)
  end
  table.sort(assumed_rows)
  if #assumed_rows > 0 then
    A[#A + 1] = ("%d row(s) counted as 3A090.a without a classification (rule engine not installed, no eccn " ..
      "column): rows %s"):format(#assumed_rows, table.concat(assumed_rows, ", "))
  end
  for tag in util.spairs(provenance_tags) do
    if tag == "reported" or tag == "derived" then
      A[#A + 1] = ("some chip TPP figures are %s, not datasheet figures ('tpp show CHIP')"):format(tag)
    end
  end
  local N = rep.notes
  N[#N + 1] = "AI Diffusion rule (90 FR 4544): " .. rep.rule_status
  if after_as_of > 0 then
    N[#N + 1] = ("%d row(s) dated after the as-of date %s were not counted"):format(after_as_of, as_of)
  end
  if uncounted_before > 0 then
    N[#N + 1] = ("%d row(s) dated before %s were not counted"):format(uncounted_before, M.CAP_FROM)
  end
  if rep.rows_rejected > 0 then
    N[#N + 1] = ("%d row(s) rejected: totals are lower bounds until they are fixed"):format(rep.rows_rejected)
  end
  N[#N + 1] = "Not checked: UVEU/NVEU shares, consignee certifications, AIA/ACM eligibility, end-use and " ..
    "Entity List controls."
  rep.over = false
  for _, f in ipairs(rep.findings) do if f.severity == "over" or f.severity == "problem" then rep.over = true end end
  for _, r in ipairs(rep.rows) do r.chip_obj = nil end
  -- lists stay JSON arrays when empty
  local json = require "tpp.json"
  for _, k in ipairs({ "errors", "rows", "countries", "consignees", "findings", "assumptions", "notes" }) do
    json.array(rep[k])
  end
  for _, c in ipairs(rep.consignees) do json.array(c.countries) end
  return rep
end

-- ------------------------------------------------------------ format ----

--- Human-readable report.
local function nonneg(v) return v >= 0 and util.fmt(v) or "-" end
local function positive(v) return v > 0 and util.fmt(v) or "-" end

function M.format(rep)
  local report = require "tpp.report"
  local out = {}
  local function push(s) out[#out + 1] = s end
  push(("Shipment ledger %s: %d rows, %d counted, %d rejected; as of %s"):format(rep.source or "", rep.rows_total,
    rep.rows_counted, rep.rows_rejected, rep.as_of))
  push(("Checked against %s (AI Diffusion, 90 FR 4544): %s."):format(rep.rule, rep.rule_status))
  push("Figures from " .. rep.figures_source .. ".")
  push("")
  if #rep.errors > 0 then
    push(("Rejected rows (%d errors):"):format(#rep.errors))
    for _, e in ipairs(rep.errors) do push("  " .. e.message) end
    push("")
  end
  if #rep.findings > 0 then
    push("Findings:")
    for _, f in ipairs(rep.findings) do push("  " .. (f.severity == "over" and "OVER " or "PROBLEM ") .. f.message) end
  else
    push("Findings: nothing over a cap or allowance" ..
      (rep.rows_rejected > 0 and " among the valid rows" or "") .. ".")
  end
  push("")
  if #rep.countries > 0 then
    push(("Country caps (Tier 2, %s..%s):"):format(M.CAP_FROM, M.CAP_TO))
    push(report.table({
      { key = "name", title = "country" },
      { key = "counted_tpp", title = "counted TPP", align = "right", fmt = report.int },
      { key = "cap", title = "cap TPP", align = "right", fmt = report.int },
      { key = "remaining", title = "remaining", align = "right", fmt = nonneg },
      { key = "over_tpp", title = "over TPP", align = "right", fmt = positive },
      { key = "over_h100e", title = "over H100e", align = "right", fmt = report.fixed(2) },
      { key = "status", title = "status" },
    }, rep.countries))
  end
  if #rep.consignees > 0 then
    push(("LPP allowance per ultimate consignee per calendar year (%s TPP):"):format(
      util.fmt(rep.figures.lpp_tpp.value)))
    push(report.table({
      { key = "consignee", title = "consignee", max = 30 },
      { key = "year", title = "year" },
      { key = "countries", title = "country", fmt = function(v) return table.concat(v, ",") end },
      { key = "lpp_tpp", title = "LPP TPP", align = "right", fmt = report.int },
      { key = "remaining", title = "remaining", align = "right", fmt = nonneg },
      { key = "over_tpp", title = "over TPP", align = "right", fmt = positive },
      { key = "over_h100e", title = "over H100e", align = "right", fmt = report.fixed(2) },
      { key = "status", title = "status" },
    }, rep.consignees))
  end
  if #rep.rows > 0 then
    push("Rows:")
    push(report.table({
      { key = "row", title = "row", align = "right" },
      { key = "date", title = "date" },
      { key = "chip", title = "chip", max = 16 },
      { key = "count", title = "count", align = "right", fmt = report.int },
      { key = "country", title = "ctry" },
      { key = "tier", title = "tier", fmt = function(v) return v and tostring(v) or "-" end },
      { key = "consignee", title = "consignee", max = 22 },
      { key = "tpp", title = "TPP", align = "right", fmt = report.int },
      { key = "h100e", title = "H100e", align = "right", fmt = report.fixed(1) },
      { key = "counts_against", title = "counts", fmt = function(v)
        return ({ lpp = "LPP", cap = "cap", none = "-" })[v] or "-" end },
      { key = "status", title = "status", max = 60 },
    }, rep.rows))
  end
  push("Assumptions (reported or derived figures, and choices made):")
  for _, a in ipairs(rep.assumptions) do push("  " .. report.wrap("- " .. a, 98, "    ")) end
  for _, n in ipairs(rep.notes) do push(report.wrap("Note: " .. n, 100, "  ")) end
  push(rep.disclaimer)
  return table.concat(out, "\n") .. "\n"
end

return M
