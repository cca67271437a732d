--- tpp.screen.batch: screening for batches of (chip, destination, headquarters,
-- date) rows in the C core. The tables are compiled from the one decision path
-- (tpp.screen.transaction): the dates where any rule, regime or country group
-- changes cut time into segments; within a segment, destinations that every
-- regime treats alike share a class; the decision of every (segment, chip,
-- destination class, headquarters class) is computed once in Lua and the C core
-- looks rows up (csrc/screen.c). The answers are those of tpp.screen by
-- construction, and a spec checks it on a grid holding every date boundary.
--
--   local batch = require "tpp.screen.batch"
--   local c = batch.compile { chips = { "H20", "H100" }, dests = { "CN", "DE" }, hqs = { "CN" } }
--   local b = batch.rows(c, rows)          -- rows: { {chip = 1, dest = 2, hq = nil, date = "2025-07-15"}, ... }
--   batch.run(c, b)                        -- b:get("decision", i) -> 0..3 (batch.DECISIONS)
--
-- Parties and end uses are not batch inputs: a batch answer is the decision for the
-- item to the destination (what tpp screen lists under not_screened stays unscreened).
local core = require "tpp.backend"
local tpp = require "tpp"
local rules = require "tpp.rules"
local metrics = require "tpp.rules.metrics"
local regimes = require "tpp.regimes"
local dest = require "tpp.dest"
local licence = require "tpp.screen.licence"
local screen = require "tpp.screen"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

M.DECISIONS = { [0] = "no-licence-required", [1] = "licence-required", [2] = "prohibited", [3] = "undetermined" }
M.CODE = { ["no-licence-required"] = 0, ["licence-required"] = 1, prohibited = 2, undetermined = 3 }

-- Regime families of the regimes bitmask.
M.FAMILIES = { "embargo", "letter", "3a090-scope", "gp10", "entity-list", "end-use", "other" }
local FAMILY_BIT = {}
for i, f in ipairs(M.FAMILIES) do FAMILY_BIT[f] = i - 1 end

local function family_of(r)
  if r.letter then return "letter" end
  if r.guidance then return "gp10" end
  if r.id:match(":licence$") then return "3a090-scope" end
  if r.id:match("^us%-ear%-746") then return "embargo" end
  if r.id == "us-ear-entity-list" then return "entity-list" end
  if r.id:match("^us%-ear%-744") then return "end-use" end
  return "other"
end

--- Every date on which a rule, regime, group or measure changes (sorted, unique), from the first
-- date tpp's rules cover. Segments run from one to the next.
function M.boundaries()
  local first = screen.first_date()
  local set = { [first] = true }
  local function add(d)
    if type(d) == "string" and regimes.is_date(d) and d >= first then set[d] = true end
  end
  for _, id in ipairs(rules.BUILTIN) do
    local v = rules.get(id)
    for _, d in pairs(v.dates or {}) do add(d) end
    for _, th in pairs(v.def.thresholds) do
      if th.metric and metrics.METRICS[th.metric] and metrics.METRICS[th.metric].kind == "date" and th.value then
        add(metrics.date_string(th.value))
      end
      for _, e in ipairs(th.series or {}) do add(e.from) end
    end
  end
  for _, m in ipairs(regimes.measures()) do
    for _, d in pairs(m.dates or {}) do add(d) end
  end
  for kind in pairs(regimes.SCHEMAS) do
    if kind ~= "measure" then
      for _, r in ipairs(regimes.records(kind)) do
        add(r.from); add(r.to); add(r.added); add(r.footnote_from); add(r.date)
        for _, s in ipairs(r.scope or r.reach or {}) do add(s.from); add(s.to) end
      end
    end
  end
  local out = {}
  for d in pairs(set) do out[#out + 1] = d end
  table.sort(out)
  return out
end

-- Destination codes the regime data name one by one (their treatment can differ from their groups').
local function special_codes()
  local set = {}
  local function add(c) if type(c) == "string" then set[c] = true end end
  for _, e in ipairs(regimes.records("embargo")) do add(e.id) end
  for _, r in ipairs(regimes.records("region")) do add(r.id) end
  for _, ch in ipairs(regimes.records("group_change")) do add(ch.id) end
  for _, e in ipairs(regimes.records("end_use")) do
    for _, s in ipairs(e.scope) do for _, c in ipairs(s.codes or {}) do add(c) end end
  end
  for _, f in ipairs(regimes.records("fdp")) do
    for _, s in ipairs(f.reach) do for _, c in ipairs(s.codes or {}) do add(c) end end
  end
  for _, p in ipairs(regimes.records("prc_measure")) do
    for _, c in ipairs(p.applies.import_into or {}) do add(c) end
  end
  for _, id in ipairs(rules.BUILTIN) do
    local f = rules.get(id).figures
    if f and f.destinations then for _, c in ipairs(f.destinations.value) do add(c) end end
  end
  return set
end

local function signature(rec, as_of, special)
  if rec == nil then return "none" end
  if special[rec.code] or special[dest.ear_code(rec)] then return "code:" .. rec.code end
  local f = licence.facts { as_of = as_of, dest = rec }
  if f.dest_macau == 1 or f.dest_china == 1 or f.dest_uae == 1 or f.dest_us == 1 then return "code:" .. rec.code end
  local g = rec.region and {} or dest.groups_shared(rec.code, as_of)
  return (rec.region and "region:" or "groups:") .. table.concat(dest.group_list(g), ",")
end

local function date_number(s) return metrics.date_number(s) end

--- Compile the tables for a set of chips, destinations and headquarters countries.
-- opts: chips (names or chip objects), dests (names or codes), hqs (optional), threads.
-- Returns { table (the C tables), chips (objects), dests, hqs (records), segments (start dates),
-- reviews (code -> text), families, cells }.
function M.compile(opts)
  if type(opts) ~= "table" then error("tpp.screen.batch.compile: a table of options expected", 2) end
  local chips, dests, hqs = {}, {}, {}
  for i, c in ipairs(opts.chips or {}) do
    local ok, obj = pcall(tpp.chip, c)
    if not ok then error(("tpp.screen.batch: chips[%d]: %s"):format(i, tostring(obj):gsub("^tpp: ", "")), 0) end
    chips[i] = obj
  end
  for i, d in ipairs(opts.dests or {}) do
    local rec, msg = dest.resolve_destination(d)
    if not rec then error(("tpp.screen.batch: dests[%d]: %s"):format(i, msg), 0) end
    dests[i] = rec
  end
  for i, h in ipairs(opts.hqs or {}) do
    local rec, msg = dest.resolve_destination(h)
    if not rec then error(("tpp.screen.batch: hqs[%d]: %s"):format(i, msg), 0) end
    hqs[i] = rec
  end
  if #chips == 0 or #dests == 0 then error("tpp.screen.batch: at least one chip and one destination", 0) end
  local starts = M.boundaries()
  local special = special_codes()
  local C, D, H = #chips, #dests, #hqs
  -- classes per segment
  local dclass, hclass, dreps, hreps = {}, {}, {}, {}
  local max_dc, max_hc = 1, 1
  for s, day in ipairs(starts) do
    local by_sig, reps = {}, {}
    dclass[s] = {}
    for d, rec in ipairs(dests) do
      local sig = signature(rec, day, special)
      if not by_sig[sig] then reps[#reps + 1] = rec; by_sig[sig] = #reps - 1 end
      dclass[s][d] = by_sig[sig]
    end
    dreps[s] = reps
    if #reps > max_dc then max_dc = #reps end
    local hby, hr = { none = 0 }, { false }
    hclass[s] = { 0 }
    for h, rec in ipairs(hqs) do
      local sig = signature(rec, day, special)
      if not hby[sig] then hr[#hr + 1] = rec; hby[sig] = #hr - 1 end
      hclass[s][h + 1] = hby[sig]
    end
    hreps[s] = hr
    if #hr > max_hc then max_hc = #hr end
  end
  -- decisions
  local spec = { n_chips = C, n_dests = D, n_hqs = H, n_dclasses = max_dc, n_hclasses = max_hc,
                 seg_start = {}, dest_class = {}, hq_class = {}, decision = {}, review = {}, regimes = {} }
  local reviews, review_code = {}, {}
  local cells = 0
  for s, day in ipairs(starts) do
    spec.seg_start[s] = date_number(day)
    for d = 1, D do spec.dest_class[#spec.dest_class + 1] = dclass[s][d] end
    for h = 1, H + 1 do spec.hq_class[#spec.hq_class + 1] = hclass[s][h] end
    for _, chip in ipairs(chips) do
      local it = screen.item_facts(chip, day)
      for dc = 1, max_dc do
        for hc = 1, max_hc do
          local drep, hrep = dreps[s][dc], hreps[s][hc]
          local code, rcode, bits = M.CODE.undetermined, -1, 0
          if drep and hrep ~= nil then
            local r = screen.transaction(it, { as_of = day, dest = drep, hq = hrep or nil, basis = "enforced" })
            code = M.CODE[r.decision]
            if r.review_policy then
              if not review_code[r.review_policy] then
                reviews[#reviews + 1] = r.review_policy
                review_code[r.review_policy] = #reviews - 1
              end
              rcode = review_code[r.review_policy]
            end
            for _, g in ipairs(r.regimes) do
              if g.decides and (g.outcome == "licence-required" or g.outcome == "prohibited") then
                local bit = FAMILY_BIT[family_of(g)]
                if math.floor(bits / 2 ^ bit) % 2 == 0 then bits = bits + 2 ^ bit end
              end
            end
            cells = cells + 1
          end
          local k = #spec.decision + 1
          spec.decision[k], spec.review[k], spec.regimes[k] = code, rcode, bits
        end
      end
    end
  end
  if #reviews > 127 then error("tpp.screen.batch: more than 127 review policies", 0) end
  local review_text = {}
  for i, r in ipairs(reviews) do review_text[i - 1] = r end
  return { table = core.screen_table(spec), chips = chips, dests = dests, hqs = hqs, segments = starts,
           reviews = review_text, families = M.FAMILIES, cells = cells, classes = { dest = max_dc, hq = max_hc } }
end

--- A tpp.batch of rows: { chip = index (1-based), dest = index, hq = index or nil, date = "YYYY-MM-DD" }.
function M.rows(_, rows)
  local n = #rows
  local b = tpp.batch(n)
  local chip, dst, hq, date = {}, {}, {}, {}
  for i, r in ipairs(rows) do
    chip[i], dst[i] = r.chip - 1, r.dest - 1
    hq[i] = r.hq and (r.hq - 1) or -1
    date[i] = date_number(r.date)
    if not date[i] then error(("tpp.screen.batch: rows[%d].date: '%s' is not a date"):format(i, tostring(r.date)), 0) end
  end
  local raw = b.raw or b
  raw:set_column("chip", chip)
  raw:set_column("dest", dst)
  raw:set_column("hq", hq)
  raw:set_column("date", date)
  return b
end

--- Screen the rows of batch b (columns chip, dest, hq, date as numbers) in the C core; writes
-- decision (0..3), review (code, -1 none) and regimes (bitmask) columns.
function M.run(compiled, b, threads)
  core.screen_eval(compiled.table, b.raw or b, threads or 0)
end

--- The same row through the Lua decision path (tpp.screen), for baselines and checks.
function M.lua_row(compiled, chip, d, hq, date)
  local r = screen.screen { chip = compiled.chips[chip], to = compiled.dests[d].code,
    hq = hq and compiled.hqs[hq].code or nil, as_of = date }.results[1]
  return M.CODE[r.decision], r.review_policy, r
end

return M
