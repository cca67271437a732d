--- tpp.fleet: fleets and national compute stocks in H100-equivalents, for
-- training and for inference, with uncertainty.
--
--   local fleet = require "tpp.fleet"          -- or tpp.fleet
--   local f = fleet { "h20-million" }            -- scenarios, rows, or a fleet
--   local r = f:estimate { draws = 100000, seed = 1 }
--   print(r.totals.tpp.p50, r.totals.membw.p50)  -- one million H20: ~150k vs ~1.19M H100e
--   local cmp = fleet.compare("h20-million", "huawei-2025")
--   print(cmp.ratio.membw.p5, cmp.ratio.membw.p50, cmp.ratio.membw.p95)
--
-- A fleet is a list of rows (holder, country, chip, units or a low/central/
-- high triple, period, kind, source, provenance; tpp.fleet.schema). Totals
-- are Monte Carlo sums in the C core: every row drawn independently from the
-- distribution fitted to its triple (tpp.fleet.row / csrc/fleet.c), times
-- H100-equivalents per unit on each basis (tpp.fleet.bases). Every result
-- carries its bases, workload, distributions, draws, seed and the source of
-- every row. Not legal advice.
local core = require "tpp.backend"
local bases = require "tpp.fleet.bases"
local dates = require "tpp.fleet.dates"
local rowmod = require "tpp.fleet.row"
local scenarios = require "tpp.fleet.scenarios"
local json = require "tpp.json"
local util = require "tpp.util"

local M = {}

M.DISCLAIMER = "tpp is not legal advice: fleet totals are estimates from published figures, each with its " ..
  "source; check the sources before relying on a number."
M.DEFAULT_DRAWS = 100000
M.DEFAULT_SEED = 1
M.PROBS = { 0.05, 0.5, 0.95 }
M.GROUP_BY = { "holder", "country", "chip", "family", "kind", "scenario", "row" }
M.GENERATOR = "xorshift64* (the core's generator), 8 streams per row and block of 1,024 draws, seeded by " ..
  "SplitMix64 from (seed, fleet, row, block): the same seed gives the same draws on any thread count"
M.DISTRIBUTIONS = {
  p = "a range read as percentiles (interval p80/p90/p95/p99): a two-piece lognormal with its median at the " ..
    "central value and each half's log-spread fitted so that low and high are the stated percentiles " ..
    "(p90: the 5th and 95th)",
  bounds = "a range read as hard bounds (interval bounds): a triangular distribution on [low, high] with its " ..
    "mode at the central value",
  exact = "a single figure (units, or low = central = high): exact, no uncertainty is added",
  serving = "the serving basis's per-chip H100e ratio (low/central/high, a one-sigma range) is a further " ..
    "two-piece lognormal (p16/p84) drawn once per chip and draw, shared by all rows of that chip",
  method = "rows are drawn independently; each draw is computed in single precision and summed in double " ..
    "precision; quantiles are type 7 (linear between order statistics)",
}

local Fleet = {}
Fleet.__index = Fleet
M.Fleet = Fleet

local function is_fleet(x) return getmetatable(x) == Fleet end
M.is_fleet = is_fleet

local function fail(msg) error("tpp.fleet: " .. msg, 0) end

-- ---- building -----------------------------------------------------------------

local function new_empty(name)
  return setmetatable({ name = name, _rows = {}, _ids = {}, scenarios = {}, assumptions = {}, excluded = {} }, Fleet)
end

local function push_row(f, r, origin)
  if r.id == nil then
    local n = #f._rows + 1
    while f._ids["row" .. n] do n = n + 1 end
    r.id = "row" .. n
  end
  local prev = f._ids[r.id]
  if prev then
    if prev.scenario and prev.scenario == r.scenario then
      -- the same scenario row reached twice (two includes): counted once, said so
      f.assumptions[#f.assumptions + 1] = ("row %s reached twice through scenario %s: counted once"):format(r.id,
        r.scenario)
      return
    end
    fail(("%s: row id '%s' is used twice (first by %s); ids must be unique in a fleet"):format(origin, r.id,
      prev.scenario and ("scenario " .. prev.scenario) or "another row"))
  end
  f._ids[r.id] = r
  f._rows[#f._rows + 1] = r
end

local function add_scenario(f, id)
  local list, assumptions = scenarios.expand(id)
  for _, item in ipairs(list) do
    push_row(f, rowmod.normalize(item.row, ("scenario %s, row %s"):format(item.scenario, tostring(item.row.id)),
      item.scenario), "scenario " .. id)
  end
  for _, a in ipairs(assumptions) do f.assumptions[#f.assumptions + 1] = a end
  f.scenarios[#f.scenarios + 1] = id
end

--- A fleet from: nil (empty), a scenario id, a list of scenario ids, row
-- tables and fleets (mixed), or a fleet (copied).
function M.new(spec, opts)
  opts = opts or {}
  local f = new_empty(opts.name)
  local function add(x, i)
    if x == nil then return end
    if is_fleet(x) then
      for _, r in ipairs(x._rows) do push_row(f, util.deepcopy(r), "fleet " .. tostring(x.name)) end
      for _, s in ipairs(x.scenarios) do f.scenarios[#f.scenarios + 1] = s end
      for _, a in ipairs(x.assumptions) do f.assumptions[#f.assumptions + 1] = a end
      for _, e in ipairs(x.excluded) do f.excluded[#f.excluded + 1] = e end
    elseif type(x) == "string" then
      add_scenario(f, x)
    elseif type(x) == "table" and (x.chip ~= nil or x.holder ~= nil or x.units ~= nil or x.units_central ~= nil) then
      push_row(f, rowmod.normalize(x, ("row %d"):format(i or (#f._rows + 1))), "row " .. tostring(i))
    elseif type(x) == "table" then
      for j, y in ipairs(x) do add(y, j) end
    else
      fail(("a scenario id, a row table or a fleet expected, got %s"):format(type(x)))
    end
  end
  add(spec)
  if not f.name then
    f.name = #f.scenarios > 0 and table.concat(f.scenarios, " + ") or ("%d rows"):format(#f._rows)
  end
  return f
end

--- A fleet from rows that are already normalized (parts or scalings of
-- other fleets' rows); each is copied.
function M.from_normalized(rows, name)
  local f = new_empty(name)
  for _, r in ipairs(rows) do push_row(f, util.deepcopy(r), "parts") end
  return f
end

--- The normalized rows (copies).
function Fleet:rows() return util.deepcopy(self._rows) end
function Fleet:size() return #self._rows end
function Fleet:row(id) return self._ids[id] and util.deepcopy(self._ids[id]) end

function Fleet:__tostring()
  return ("tpp.fleet %s (%d rows)"):format(tostring(self.name), #self._rows)
end

--- Parse "CHIP=COUNT" or "CHIP=LOW:CENTRAL:HIGH" into a row table.
function M.parse_add(s, n)
  if type(s) ~= "string" then fail("CHIP=COUNT or CHIP=LOW:CENTRAL:HIGH expected") end
  local chip, value = s:match("^%s*(.-)%s*=%s*(.-)%s*$")
  if not chip or chip == "" or value == "" then
    fail(("'%s': write CHIP=COUNT or CHIP=LOW:CENTRAL:HIGH (e.g. H20=1000000)"):format(s))
  end
  local row = { id = "add" .. (n or 1), holder = "command line (--add)", chip = chip, period = "undated",
                kind = "stock", provenance = "user", source = "given on the command line: " .. s }
  local parts = {}
  for p in (value .. ":"):gmatch("(.-):") do parts[#parts + 1] = p end
  local function number(p, what)
    local v = tonumber((p:gsub("[_,]", "")))
    if not v then fail(("'%s': %s '%s' is not a number"):format(s, what, p)) end
    return v
  end
  if #parts == 1 then
    row.units = number(parts[1], "count")
  elseif #parts == 3 then
    row.units_low, row.units_central, row.units_high = number(parts[1], "low"), number(parts[2], "central"),
      number(parts[3], "high")
  else
    fail(("'%s': give one count or LOW:CENTRAL:HIGH (three numbers)"):format(s))
  end
  return row
end

--- Add a row (table, or "CHIP=COUNT" / "CHIP=LOW:CENTRAL:HIGH"); returns self.
function Fleet:add(x)
  local n = 1
  while self._ids["add" .. n] do n = n + 1 end
  local t = type(x) == "string" and M.parse_add(x, n) or x
  local where = type(x) == "string" and ("--add " .. x) or ("row " .. (#self._rows + 1))
  push_row(self, rowmod.normalize(t, where), where)
  return self
end

local function find(self, id)
  local r = self._ids[id]
  if not r then
    local ids = {}
    for _, x in ipairs(self._rows) do ids[#ids + 1] = x.id end
    local hint = util.did_you_mean(tostring(id), ids)
    fail(("no row '%s' in the fleet%s"):format(tostring(id), hint and ("; did you mean '" .. hint .. "'?") or
      ("; rows: " .. table.concat(ids, ", "))))
  end
  return r
end

--- Change one field of a row (a string value is converted by the field's
-- type); the row is checked again. Returns self.
function Fleet:set(id, field, value)
  local r = find(self, id)
  local fields = rowmod.fields(r)
  local schema = require "tpp.fleet.schema"
  local col = schema.BY_NAME[field]
  if not col then
    local hint = util.did_you_mean(tostring(field), schema.NAMES)
    fail(("row %s: no field '%s'%s"):format(id, tostring(field), hint and ("; did you mean '" .. hint .. "'?") or
      ("; fields: " .. table.concat(schema.NAMES, ", "))))
  end
  if type(value) == "string" and (col.type == "integer" or col.type == "number") then
    local v = tonumber((value:gsub("[_,]", "")))
    if not v then fail(("row %s: %s: '%s' is not a number"):format(id, field, value)) end
    value = v
  end
  if field:match("^units_") and fields.units ~= nil then
    -- an exact row becoming a range: start the triple from the count
    local u = fields.units
    fields.units, fields.units_low, fields.units_central, fields.units_high = nil, u, u, u
    fields.interval = fields.interval or "p90"
  elseif field == "units" then
    fields.units_low, fields.units_central, fields.units_high, fields.interval = nil, nil, nil, nil
  end
  fields[field] = value
  local nr = rowmod.normalize(fields, "--set " .. id .. "." .. field, r.scenario)
  for i, x in ipairs(self._rows) do
    if x == r then self._rows[i] = nr end
  end
  self._ids[id] = nr
  self.assumptions[#self.assumptions + 1] = ("row %s: %s set to %s by the user"):format(id, field, tostring(value))
  return self
end

--- Remove a row by id (named in the assumptions). Returns self.
function Fleet:drop(id)
  local r = find(self, id)
  for i, x in ipairs(self._rows) do
    if x == r then table.remove(self._rows, i) break end
  end
  self._ids[id] = nil
  self.assumptions[#self.assumptions + 1] = ("row %s dropped by the user"):format(id)
  return self
end

--- A new fleet holding this one's rows and another's.
function Fleet:combine(other)
  return M.new({ self, is_fleet(other) and other or M.new(other) },
    { name = tostring(self.name) .. " + " .. tostring(is_fleet(other) and other.name or other) })
end

--- A new fleet with the rows for which pred(row) is true.
function Fleet:filter(pred, name)
  local f = new_empty(name or self.name)
  for _, r in ipairs(self._rows) do
    if pred(r) then push_row(f, util.deepcopy(r), "filter") end
  end
  f.scenarios = util.deepcopy(self.scenarios)
  f.assumptions = util.deepcopy(self.assumptions)
  f.excluded = util.deepcopy(self.excluded)
  f.as_of, f.retire = self.as_of, self.retire
  return f
end

-- ---- time ------------------------------------------------------------------------

local function retire_years_for(r, retire)
  if r.retire_years then return r.retire_years end
  if type(retire) == "number" then return retire end
  if type(retire) == "table" then
    local best
    for _, c in ipairs(r.components or {}) do
      local y = retire[c.id]
      if y then best = best and math.min(best, y) or y end
    end
    return best or retire.default
  end
  return nil
end

--- The stock held at the end of `as_of` ("YYYY-MM-DD"): flows that have
-- arrived by then (evenly over their periods), stocks observed by then,
-- minus retirements. opts: retire (years, or { [chip_id] = years, default =
-- years }), include_orders. Orders and rows not yet started are listed in
-- the result's `excluded`, never dropped silently.
function Fleet:at(as_of, opts)
  opts = opts or {}
  local day, msg = dates.parse_date(as_of)
  if not day then fail("as_of: " .. msg) end
  local f = new_empty(self.name)
  f.scenarios = util.deepcopy(self.scenarios)
  f.assumptions = util.deepcopy(self.assumptions)
  f.excluded = {}
  f.as_of, f.retire = as_of, opts.retire
  for _, r in ipairs(self._rows) do
    local years = retire_years_for(r, opts.retire)
    local frac, why = dates.held_fraction(r.kind, r.period, day, years, opts.include_orders)
    if not frac then
      f.excluded[#f.excluded + 1] = { row = r.id, chip = r.chip_label, units_central = r.units.central, reason = why }
    elseif frac == 0 then
      local reason
      if r.period.start and r.period.start > day then
        reason = ("not yet: its period starts %s"):format(r.period.first)
      else
        reason = ("retired: older than %s years by %s"):format(util.num(years or 0), as_of)
      end
      f.excluded[#f.excluded + 1] = { row = r.id, chip = r.chip_label, units_central = r.units.central, reason = reason }
    else
      local nr = util.deepcopy(r)
      if frac < 1 then
        nr.units = { low = r.units.low * frac, central = r.units.central * frac, high = r.units.high * frac }
        nr.held_fraction = frac
      end
      push_row(f, nr, "as of " .. as_of)
    end
  end
  f.assumptions[#f.assumptions + 1] = ("stock as of the end of %s: flows (shipments, production, smuggling) " ..
    "arrive evenly over their periods; stock rows count from their dates; orders are not deliveries%s%s")
    :format(as_of, opts.include_orders and " (counted anyway: include_orders)" or " and are left out",
      opts.retire and "; chips retire after the stated age" or "; no retirements")
  return f
end

-- ---- rule versions ---------------------------------------------------------------

--- What a rule version would have allowed: a new fleet without the rows
-- whose chips are controlled under it (a licence needed for China), plus
-- `removed` and `undetermined` lists. opts.as_of: the date the version is
-- read on (default: its effective date). Mix rows are split by component.
function Fleet:allowed_under(rule, opts)
  opts = opts or {}
  local rules = require "tpp.rules"
  local v = rules.get(rule)
  local as_of = opts.as_of or rules.effective_of(v)
  if as_of == "0000-00-00" then as_of = os.date("!%Y-%m-%d") end
  local f = new_empty(self.name)
  f.scenarios = util.deepcopy(self.scenarios)
  f.assumptions = util.deepcopy(self.assumptions)
  f.excluded = util.deepcopy(self.excluded)
  f.as_of, f.retire = self.as_of, self.retire
  f.removed, f.undetermined = {}, {}
  f.rule = { id = v.id, title = v.title, status = v.status, read_on = as_of, citation = v.citation }
  local verdicts = {}
  local function verdict(id)
    if verdicts[id] == nil then
      local r = rules.classify(id, { rules = v, as_of = as_of })
      verdicts[id] = { status = r.status, paragraph = r.governing and r.governing.id or r.eccn }
    end
    return verdicts[id]
  end
  for _, r in ipairs(self._rows) do
    if r.aggregate then
      f.undetermined[#f.undetermined + 1] = { row = r.id, chip = r.chip_label, units_central = r.units.central,
        reason = "an aggregate in H100e: its chips are not known, so the rule cannot be applied" }
    else
      local keep, status = {}, {}
      for _, c in ipairs(r.components) do
        local vd = verdict(c.id)
        status[#status + 1] = vd
        if vd.status == "not-controlled" then keep[#keep + 1] = c end
      end
      for i, c in ipairs(r.components) do
        local vd = status[i]
        if vd.status ~= "not-controlled" then
          local list = vd.status == "controlled" and f.removed or f.undetermined
          list[#list + 1] = { row = r.id, chip = c.id, share = c.share, units_central = r.units.central * c.share,
            reason = vd.status == "controlled" and (("controlled under %s%s"):format(v.id,
              vd.paragraph and (" (" .. tostring(vd.paragraph) .. ")") or "")) or
              ("undetermined under %s: a figure the rule needs is unknown"):format(v.id) }
        end
      end
      if #keep == #r.components then
        push_row(f, util.deepcopy(r), "allowed")
      elseif #keep > 0 then
        -- the allowed part of a mix: units scaled by its share, the mix renormalized
        local share = 0
        for _, c in ipairs(keep) do share = share + c.share end
        local nr = util.deepcopy(r)
        nr.units = { low = r.units.low * share, central = r.units.central * share, high = r.units.high * share }
        nr.components = {}
        local parts = {}
        for _, c in ipairs(keep) do
          nr.components[#nr.components + 1] = { id = c.id, name = c.name, share = c.share / share }
          parts[#parts + 1] = c.id .. "*" .. util.num(c.share / share)
        end
        nr.chip_key = table.concat(parts, "+")
        nr.chip_label = nr.chip_label .. " (allowed part)"
        push_row(f, nr, "allowed")
      end
    end
  end
  f.name = ("%s, allowed under %s"):format(tostring(self.name), v.id)
  f.assumptions[#f.assumptions + 1] = ("allowed under %s (read on %s): chips it controls are removed (they " ..
    "needed a licence for China); chips it leaves undetermined are listed, not counted"):format(v.id, as_of)
  return f
end

-- ---- estimates ---------------------------------------------------------------------

local OPTION_KEYS = { draws = "number", seed = "number", by = "string", bases = "table", workload = "table",
                      threads = "number", probs = "table", stream = "number", threshold = "number" }

local function check_opts(opts)
  opts = opts or {}
  if type(opts) ~= "table" then fail("options table expected, got " .. type(opts)) end
  for k, v in pairs(opts) do
    if not OPTION_KEYS[k] then
      local hint = util.did_you_mean(tostring(k), util.sorted_keys(OPTION_KEYS))
      fail(("option '%s' unknown%s; options: %s"):format(tostring(k), hint and ("; did you mean '" .. hint .. "'?")
        or "", table.concat(util.sorted_keys(OPTION_KEYS), ", ")))
    end
    if type(v) ~= OPTION_KEYS[k] then fail(("option %s: %s expected, got %s"):format(k, OPTION_KEYS[k], type(v))) end
  end
  local o = util.deepcopy(opts)
  o.draws = o.draws or M.DEFAULT_DRAWS
  if o.draws < 1 or o.draws ~= math.floor(o.draws) or o.draws > 1e8 then
    fail(("draws: got %s, expected a whole number from 1 to 100,000,000"):format(util.num(o.draws)))
  end
  o.seed = o.seed or M.DEFAULT_SEED
  if o.seed < 0 or o.seed ~= math.floor(o.seed) or o.seed >= 2 ^ 53 then
    fail(("seed: got %s, expected a whole number from 0 to 2^53"):format(util.num(o.seed)))
  end
  if o.by then
    local ok = false
    for _, g in ipairs(M.GROUP_BY) do if g == o.by then ok = true end end
    if not ok then
      local hint = util.did_you_mean(o.by, M.GROUP_BY)
      fail(("by: '%s' is not a grouping%s; groupings: %s"):format(o.by, hint and ("; did you mean '" .. hint .. "'?")
        or "", table.concat(M.GROUP_BY, ", ")))
    end
  end
  local list = {}
  for i, b in ipairs(o.bases or bases.ORDER) do list[i] = bases.check(b, "bases") end
  o.bases = list
  o.workload = bases.workload(o.workload)
  o.probs = o.probs or M.PROBS
  return o
end
M.check_opts = check_opts

local function group_of(r, by)
  if by == "holder" then return r.holder end
  if by == "country" then return r.country or "(no country)" end
  if by == "chip" then return r.chip_label end
  if by == "family" then return r.family end
  if by == "kind" then return r.kind end
  if by == "scenario" then return r.scenario or "(added)" end
  if by == "row" then return r.id end
  return "fleet"
end

-- H100e per unit of a row's chip on a basis ("units" counts chips):
-- { low, central, high } or nil and the reason it is unknown.
local function row_factor(r, basis, workload)
  if r.aggregate then
    if basis == r.aggregate then return { low = 1, central = 1, high = 1 } end
    if basis == "units" then return nil, "an aggregate in H100e has no chip count" end
    return nil, ("an aggregate in H100e on the %s basis: its chip mix is not published, so it has no %s figure")
      :format(r.aggregate, basis)
  end
  if basis == "units" then return { low = 1, central = 1, high = 1 } end
  local out = { low = 0, central = 0, high = 0 }
  for _, c in ipairs(r.components) do
    local f, why = bases.factor(c.id, basis, workload)
    if not f then return nil, why end
    out.low, out.central, out.high = out.low + c.share * f.low, out.central + c.share * f.central,
      out.high + c.share * f.high
    out.coverage = f.coverage or out.coverage
  end
  return out
end

local function sources_of(rows)
  local out = {}
  for _, r in ipairs(rows) do
    out[#out + 1] = { row = r.id, scenario = r.scenario, holder = r.holder, chip = r.chip_label, kind = r.kind,
                      period = r.period.text, units = util.deepcopy(r.units), interval = r.interval,
                      held_fraction = r.held_fraction, source = r.source, provenance = r.provenance, note = r.note }
  end
  return json.array(out)
end

local function basis_info(basis, workload)
  if basis == "units" then
    return { id = "units", use = "count", label = "chips", unit = "chips", means = "the number of chips" }
  end
  local b = bases.BASES[basis]
  return { id = basis, use = bases.USE_LABEL[b.use], label = b.label, unit = b.unit, means = b.means,
           reference = bases.reference(basis, workload), reference_text = bases.reference_text(basis, workload) }
end

-- Simulate a fleet: the draws object and the bookkeeping to read it.
local function simulate(f, o, stream)
  local cols = { "units" }
  for _, b in ipairs(o.bases) do cols[#cols + 1] = b end
  local chip_index, chip_rows, group_index, group_names = {}, {}, {}, {}
  local rows = { low = {}, central = {}, high = {}, kind = {}, coverage = {}, group = {}, chip = {} }
  for i, r in ipairs(f._rows) do
    local key = r.chip_key
    if not chip_index[key] then
      chip_rows[#chip_rows + 1] = r
      chip_index[key] = #chip_rows
    end
    local g = group_of(r, o.by)
    if not group_index[g] then
      group_names[#group_names + 1] = g
      group_index[g] = #group_names
    end
    rows.low[i], rows.central[i], rows.high[i] = r.units.low, r.units.central, r.units.high
    rows.kind[i], rows.coverage[i] = r.dist, r.coverage or 0.9
    rows.group[i], rows.chip[i] = group_index[g], chip_index[key]
  end
  local n_chips = math.max(#chip_rows, 1)
  local factors = { n_bases = #cols, n_chips = n_chips, low = {}, central = {}, high = {}, coverage = {} }
  local unknown = {} -- [basis] = { [chip_key] = reason }
  local known = {}   -- [basis] = { [chip_key] = H100e per unit, central }
  local notes = {}
  for b, basis in ipairs(cols) do
    unknown[basis], known[basis] = {}, {}
    for h, r in ipairs(chip_rows) do
      local fct, why = row_factor(r, basis, o.workload)
      if fct then known[basis][r.chip_key] = fct.central end
      local k = (b - 1) * n_chips + h
      if fct then
        factors.low[k], factors.central[k], factors.high[k] = fct.low, fct.central, fct.high
        factors.coverage[k] = fct.coverage or 0.9
      else
        unknown[basis][r.chip_key] = why
      end
    end
  end
  if #chip_rows == 0 then
    for b = 1, #cols do factors.low[b], factors.central[b], factors.high[b], factors.coverage[b] = 1, 1, 1, 0.9 end
  end
  local draws = core.fleet_simulate(rows, factors, { draws = o.draws, seed = o.seed, stream = stream or 0,
    groups = math.max(#group_names, 1), threads = o.threads or 0 })
  return { draws = draws, cols = cols, groups = group_names, unknown = unknown, known = known, chip_rows = chip_rows,
           n_groups = math.max(#group_names, 1), notes = notes }
end

-- "p5", "p50", "p95": the key of a probability.
local function pkey(p) return "p" .. util.num(p * 100) end
M.pkey = pkey

local function summarize_series(s, probs)
  local out = { mean = s.mean }
  for i, p in ipairs(probs) do out[pkey(p)] = s.q[i] end
  if s.p_above then out.p_above = s.p_above end
  return out
end

-- The estimate of a fleet and its simulation (the caller frees sim.draws).
local function estimate_with(self, o, stream)
  local sim = simulate(self, o, stream)
  local summary = sim.draws:summary(o.probs)
  local res = {
    fleet = { name = self.name, scenarios = json.array(util.deepcopy(self.scenarios)), rows = #self._rows,
              as_of = self.as_of, retire = self.retire, rule = self.rule },
    draws = o.draws, seed = o.seed, generator = M.GENERATOR, by = o.by,
    distributions = util.deepcopy(M.DISTRIBUTIONS),
    bases = json.array({}), totals = {}, groups = json.array({}), unknown = json.array({}),
    excluded = json.array(util.deepcopy(self.excluded)),
    removed = self.removed and json.array(util.deepcopy(self.removed)) or nil,
    undetermined = self.undetermined and json.array(util.deepcopy(self.undetermined)) or nil,
    workload = util.deepcopy(o.workload), workload_text = bases.workload_text(o.workload),
    assumptions = json.array(util.deepcopy(self.assumptions)), sources = sources_of(self._rows),
    disclaimer = M.DISCLAIMER,
  }
  -- unknown rows per basis, named with their units
  local unknown_rows = {}
  for _, basis in ipairs(sim.cols) do
    local n, units = 0, 0
    for _, r in ipairs(self._rows) do
      local why = sim.unknown[basis][r.chip_key]
      if why then
        n, units = n + 1, units + r.units.central
        local u = unknown_rows[r.id]
        if not u then
          u = { row = r.id, chip = r.chip_label, units_central = r.units.central, bases = json.array({}), reasons = {} }
          unknown_rows[r.id] = u
          res.unknown[#res.unknown + 1] = u
        end
        u.bases[#u.bases + 1] = basis
        u.reasons[basis] = why
      end
    end
    unknown_rows["#" .. basis] = { n = n, units = units }
  end
  for b, basis in ipairs(sim.cols) do
    local info = basis_info(basis, o.workload)
    res.bases[#res.bases + 1] = info
    local t = summarize_series(summary[b][sim.n_groups + 1], o.probs)
    local central = 0
    local per_unit = sim.known[basis]
    for _, r in ipairs(self._rows) do
      local f = per_unit[r.chip_key]
      if f then central = central + r.units.central * f end
    end
    t.central = central
    local u = unknown_rows["#" .. basis]
    t.unknown_rows, t.unknown_units = u.n, u.units
    t.partial = u.n > 0
    res.totals[basis] = t
  end
  if o.by then
    for g, name in ipairs(sim.groups) do
      local entry = { name = name, totals = {} }
      for b, basis in ipairs(sim.cols) do entry.totals[basis] = summarize_series(summary[b][g], o.probs) end
      res.groups[#res.groups + 1] = entry
    end
  end
  if #res.unknown > 0 then
    res.assumptions[#res.assumptions + 1] = "rows with no figure on a basis are left out of that basis's total " ..
      "and listed under 'unknown' (never counted as zero); such totals are marked partial"
  end
  local mixes = {}
  for _, r in ipairs(self._rows) do
    if r.mix and not mixes[r.chip_key] then
      mixes[r.chip_key] = true
      res.assumptions[#res.assumptions + 1] = ("row %s is a mix (%s): its shares are a stated assumption; on " ..
        "the serving basis the mix's efficiency range is the share-weighted range of its chips"):format(r.id,
        r.chip_label)
    end
  end
  for _, b in ipairs(o.bases) do
    if b == "serving" then
      res.assumptions[#res.assumptions + 1] = "serving: each chip's output tokens/s and its one-sigma range " ..
        "come from tpp's calibrated serving model (tpp.serve, docs/serving-model.md) on the stated workload; " ..
        "the H100e ratio's range combines the chip's and the H100's ranges (equal when they share an " ..
        "efficiency entry, independent otherwise) and is drawn as a two-piece lognormal with p16/p84 at its ends"
      for _, r in ipairs(sim.chip_rows) do
        for _, c in ipairs(r.components or {}) do
          local s2 = bases.serving_tokens_per_s(c.id, o.workload)
          if s2 then
            res.assumptions[#res.assumptions + 1] = ("serving: %s: %s tokens/s per chip (%s-%s), %s, plan %s")
              :format(c.id, util.num(math.floor(s2.central * 10 + 0.5) / 10), util.num(math.floor(s2.low + 0.5)),
                util.num(math.floor(s2.high + 0.5)), s2.precision or "-", tostring(s2.plan))
          end
        end
      end
    end
  end
  return res, sim
end

--- Totals of the fleet on every basis, per group and in total, with p5/p50/p95.
-- opts: draws (100,000), seed (1), by (holder|country|chip|family|kind|
-- scenario|row), bases (default all five), workload (serving), threads.
function Fleet:estimate(opts)
  local o = check_opts(opts)
  local res, sim = estimate_with(self, o, o.stream or 0)
  sim.draws:free()
  return res
end

--- A fleet from x (fleet, scenario id, list...).
local function as_fleet(x) return is_fleet(x) and x or M.new(x) end
M.as_fleet = as_fleet

--- Fleet A against fleet B: both totals and the ratio A / B on every basis,
-- draw by draw (p5/p50/p95), plus the share of draws where A / B exceeds
-- opts.threshold when given.
function M.compare(a, b, opts)
  a, b = as_fleet(a), as_fleet(b)
  local o = check_opts(opts)
  local ea, sa = estimate_with(a, o, 0)
  local eb, sb = estimate_with(b, o, 1)
  local out = { a = ea, b = eb, ratio = {}, draws = o.draws, seed = o.seed, threshold = o.threshold,
                disclaimer = M.DISCLAIMER,
                method = "the ratio is taken draw by draw (A's total / B's total in the same draw), so its " ..
                  "quantiles are not ratios of the totals' quantiles; A and B are drawn independently" }
  for bi, basis in ipairs(sa.cols) do
    local ta, tb = ea.totals[basis], eb.totals[basis]
    local entry
    if tb.central == 0 and tb.unknown_rows > 0 then
      entry = { unknown = true, reason = "B has no known figure on this basis" }
    elseif tb.central == 0 then
      entry = { unknown = true, reason = "B's total is zero on this basis" }
    else
      local r = core.fleet_ratio(sa.draws, bi, sa.n_groups + 1, sb.draws, bi, sb.n_groups + 1, o.probs, o.threshold)
      entry = { mean = r.mean, p_above = r.p_above, central = ta.central / tb.central,
                partial = ta.partial or tb.partial }
      for i, p in ipairs(o.probs) do entry[pkey(p)] = r.q[i] end
    end
    out.ratio[basis] = entry
  end
  sa.draws:free()
  sb.draws:free()
  return out
end

--- One estimate per rule version: what each would have allowed of the fleet.
-- opts: rules (list of ids; default the 3A090 versions and the H20 letter),
-- plus estimate options.
M.SWEEP_RULES = { "us-2022-10", "us-2023-10", "us-2024-12", "us-2025-04-h20", "us-2026-01-h200" }
function M.rules_sweep(f, opts)
  f = as_fleet(f)
  opts = util.deepcopy(opts or {})
  local list = opts.rules or M.SWEEP_RULES
  opts.rules = nil
  local out = { fleet = f.name, versions = json.array({}), disclaimer = M.DISCLAIMER }
  out.all = f:estimate(util.deepcopy(opts))
  for _, id in ipairs(list) do
    local g = f:allowed_under(id)
    local e = g:estimate(util.deepcopy(opts))
    out.versions[#out.versions + 1] = { rule = g.rule, totals = e.totals, removed = json.array(g.removed),
                                        undetermined = json.array(g.undetermined) }
  end
  return out
end

--- Stocks at a list of dates (for a timeline or a chart): per date the
-- estimate's totals and per-group means. opts: dates (list), retire,
-- include_orders, and estimate options.
function M.timeline(f, opts)
  f = as_fleet(f)
  opts = util.deepcopy(opts or {})
  local list = opts.dates or fail("timeline: opts.dates (a list of YYYY-MM-DD) is needed")
  local retire, include_orders = opts.retire, opts.include_orders
  opts.dates, opts.retire, opts.include_orders = nil, nil, nil
  local out = { fleet = f.name, points = json.array({}) }
  for _, d in ipairs(list) do
    local s = f:at(d, { retire = retire, include_orders = include_orders })
    local e = s:estimate(util.deepcopy(opts))
    out.points[#out.points + 1] = { date = d, totals = e.totals, groups = e.groups, excluded = e.excluded,
                                    unknown = e.unknown }
    out.last = e
  end
  return out
end

M.scenarios = scenarios
M.bases = bases
M.dates = dates

setmetatable(M, { __call = function(_, ...) return M.new(...) end })

return M
