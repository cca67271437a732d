--- tpp.screen.licence: the licence scope of a rule version (its licence { } and
-- licence_note { } declarations) evaluated for one transaction by the compiled
-- rule engine: is a licence required under 3A090, which License Exceptions are
-- available, and under which review policy. Two views: the enforced policy (the
-- default) and the CFR text, which adds the text of measures BIS does not enforce
-- (the AI Diffusion rule, after BIS's non-enforcement announcement).
--
-- The facts a declaration tests are built here from the destination and
-- headquarters (country groups on the date), the item's 3A090 paragraph under the
-- version, and the chip's figures. Nothing here knows a threshold, a country list
-- or a date of its own: they live in the rule and regime files. Not legal advice.
local core = require "tpp.backend"
local rules = require "tpp.rules"
local metrics = require "tpp.rules.metrics"
local dest = require "tpp.dest"
local util = require "tpp.util"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

-- License Exceptions reported on every answer, in this order (others follow if declared).
M.EXCEPTIONS = { "NAC", "ACA", "LPP", "HBM" }

M.POLICY_TEXT = {
  ["presumption-of-denial"] = "presumption of denial", ["presumption-of-approval"] = "presumption of approval",
  ["case-by-case"] = "case-by-case", ["not-stated"] = "not stated",
}

-- Which input a transaction fact comes from (for "undetermined: missing X").
local INPUT_OF = {
  item_a = "eccn", item_b = "eccn", item_c = "eccn", item_ab = "eccn", hq_d5_macau = "hq",
  exported_from_us = "exported_from_us", us_available = "us_commercially_available", informed = "informed",
  datacenter = "datacenter", tpp = "tpp", mem_bw_gbs = "dram_bw_gbs", mbd = "mbd", as_of = "as_of",
}
for name in pairs(metrics.METRICS) do
  if name:match("^dest_") then INPUT_OF[name] = "country" end
end
M.INPUT_OF = INPUT_OF

local function flag(v) if v == nil then return nil end return v and 1 or 0 end

--- The item facts of a classification result: item = "a" | "b" | "c" | "none" | nil (unknown).
function M.item_of(r)
  if r == nil then return nil end
  if r.status == "not-controlled" then return "none" end
  if r.status ~= "controlled" then return nil end
  local eccn = r.eccn or ""
  local par = eccn:match("^[34]A090%.([abc])")
  if par then return par end
  return "none"
end

--- Transaction facts (metric name -> number or nil) for a destination record, an optional
-- headquarters record, the item paragraph, the chip's metric values and the export's flags.
function M.facts(t)
  local as_of = t.as_of
  local f = { as_of = metrics.date_number(as_of) }
  if t.dest then
    local code = dest.ear_code(t.dest)
    local g = t.dest.region and {} or dest.groups_shared(t.dest.code, as_of)
    f.dest_d1, f.dest_d4, f.dest_d5 = flag(g["D:1"] == true), flag(g["D:4"] == true), flag(g["D:5"] == true)
    f.dest_a5, f.dest_a6 = flag(g["A:5"] == true), flag(g["A:6"] == true)
    f.dest_macau = flag(code == "MO")
    f.dest_china = flag(code == "CN")
    f.dest_china_macau = flag(code == "CN" or code == "MO")
    f.dest_d5_macau = flag(code == "MO" or g["D:5"] == true)
    f.dest_d145_macau = flag(code == "MO" or g["D:1"] == true or g["D:4"] == true or g["D:5"] == true)
    f.dest_uae = flag(code == "AE")
    f.dest_us = flag(code == "US")
  end
  -- no headquarters given: answered as if outside D:5/Macau, and listed as not screened
  if t.hq then
    local hcode = dest.ear_code(t.hq)
    local hg = t.hq.region and {} or dest.groups_shared(t.hq.code, as_of)
    f.hq_d5_macau = flag(hcode == "MO" or hg["D:5"] == true)
  else
    f.hq_d5_macau = 0
  end
  local item = t.item
  if item ~= nil then
    f.item_a, f.item_b, f.item_c = flag(item == "a"), flag(item == "b"), flag(item == "c")
    f.item_ab = flag(item == "a" or item == "b")
  end
  local v = t.values or {}
  f.datacenter = v.datacenter
  f.tpp, f.mem_bw_gbs, f.mbd = v.tpp, v.mem_bw_gbs, v.mbd
  f.exported_from_us = flag(t.exported_from_us)
  f.us_available = flag(t.us_available)
  f.informed = flag(t.informed)
  return f
end

--- Was the chip commercially available in the United States on `date`? true, false or nil (unknown).
-- From the chip's `us_available` (a date YYYY[-MM[-DD]], or "no" for a variant never sold there, as
-- the chip database records it); else a chip designed outside the US is not a US product, and a US
-- design counts from mid-year of its `year` (an assumption).
function M.us_available(data, date)
  local ua = data.us_available
  if ua == "no" then return false end
  if type(ua) == "string" then return ua <= date end
  local origin = data.origin
  if origin == nil and type(data.country) == "string" then
    origin = data.country:match("^US") and "us" or data.country:lower()
  end
  if origin == nil then return nil end
  if origin ~= "us" then return false end
  local from = data.first_marketed or (data.year and ("%d-07-01"):format(data.year))
  if from == nil then return nil end
  return from <= date
end

-- ---------------------------------------------------------------- views ----

local function is_3a090_version(v) return v.track == "3A090" end

-- Versions whose licence text counts in the CFR-text view on a date although BIS does not enforce it.
local function unenforced_texts(v, as_of)
  local out = {}
  for _, id in ipairs(rules.BUILTIN) do
    local other = rules.get(id)
    if other ~= v and is_3a090_version(other) and other:status_at(as_of) == "not enforced" and other.licence then
      out[#out + 1] = other
    end
  end
  return out
end

-- The compiled licence program of a view; in the enforced view, exception clauses that are CFR text
-- only become open questions, and CFR-text requirements, reviews and notes are left out.
local program_memo = setmetatable({}, { __mode = "k" })

local function program_for_uncached(v, as_of, view)
  local lic = v.def.licence or { clauses = {}, notes = {} }
  local clauses, notes = {}, {}
  local names = { view }
  if view == "enforced" then
    for _, c in ipairs(lic.clauses) do
      if c.view ~= "cfr-text" then
        clauses[#clauses + 1] = c
      elseif c.kind == "exception" and c.outcome ~= "open" then
        local open = util.deepcopy(c)
        open.outcome, open.id, open.enforced_open = "open", c.id .. " (CFR text only)", true
        clauses[#clauses + 1] = open
      end
    end
    for _, n in ipairs(lic.notes) do if n.view ~= "cfr-text" then notes[#notes + 1] = n end end
    -- the exceptions of texts BIS does not enforce stay visible, as open questions
    local resolved
    for _, other in ipairs(unenforced_texts(v, as_of)) do
      names[#names + 1] = other.id
      for _, c in ipairs(other.def.licence.clauses) do
        if c.view == "cfr-text" and c.kind == "exception" and c.outcome ~= "open" then
          local open = util.deepcopy(c)
          open.outcome, open.id, open.enforced_open = "open", c.id .. " (CFR text only)", true
          clauses[#clauses + 1] = open
        end
      end
      resolved = resolved or {}
      for k, x in pairs(other:resolve(as_of)) do resolved[k] = x end
    end
    return v:licence_program(as_of, { clauses = clauses, notes = notes, resolved = resolved,
                                       name = table.concat(names, "+") })
  end
  for _, c in ipairs(lic.clauses) do clauses[#clauses + 1] = c end
  for _, n in ipairs(lic.notes) do notes[#notes + 1] = n end
  local resolved
  for _, other in ipairs(unenforced_texts(v, as_of)) do
    names[#names + 1] = other.id
    for _, c in ipairs(other.def.licence.clauses) do
      if c.view == "cfr-text" then clauses[#clauses + 1] = c end
    end
    for _, n in ipairs(other.def.licence.notes) do
      if n.view == "cfr-text" then notes[#notes + 1] = n end
    end
    resolved = resolved or {}
    for k, x in pairs(other:resolve(as_of)) do resolved[k] = x end
  end
  return v:licence_program(as_of, { clauses = clauses, notes = notes, resolved = resolved,
                                     name = table.concat(names, "+") }), names
end

local function json_arrays(r)
  local json = require "tpp.json"
  for _, k in ipairs({ "reasons", "missing", "review_notes", "provenance", "exceptions" }) do json.array(r[k]) end
end

-- Compiled licence programs per version, date and view (the lists above are rebuilt only once).
local function program_for(v, as_of, view)
  local per = program_memo[v]
  if not per then per = {}; program_memo[v] = per end
  local key = as_of .. "|" .. view
  local hit = per[key]
  if not hit then
    hit = program_for_uncached(v, as_of, view)
    per[key] = hit
  end
  return hit
end

local function add(list, s)
  for _, x in ipairs(list) do if x == s then return end end
  list[#list + 1] = s
end

local function provenance_of(list, c)
  local fact = c.text or c.id
  for _, p in ipairs(list) do if p.fact == fact then return end end
  list[#list + 1] = { fact = fact, source = c.source, tag = c.provenance }
end

--- Evaluate one view. Returns { licence_required = true|false|nil, reasons, exceptions, review_policy,
-- review_notes, missing, provenance, clauses = { id -> state } }.
function M.evaluate(v, as_of, facts, view)
  local compiled = program_for(v, as_of, view or "enforced")
  local row = {}
  for i, name in ipairs(compiled.columns) do row[i] = facts[name] end
  local d = core.rule_eval_one(compiled.prog, row)
  local r = { licence_required = nil, reasons = {}, exceptions = {}, review_policy = nil, review_notes = {},
              missing = {}, provenance = {}, clauses = {}, view = view or "enforced" }
  -- what is unknown in the clauses that are unknown
  local function missing_of(ci)
    local owner = compiled.clauses[ci]
    for ti, f in ipairs(compiled.flat) do
      if f.owner == owner and d.tests[ti].state == 2 then
        add(r.missing, INPUT_OF[f.test.metric] or f.test.metric)
      end
    end
  end
  local req_unknown = false
  for ci, c in ipairs(compiled.clauses) do
    local st = d.clauses[ci].state
    r.clauses[c.id] = st
    if c.kind == "requirement" then
      if st == 1 then
        r.licence_required = true
        r.reasons[#r.reasons + 1] = c.text or c.id
        provenance_of(r.provenance, c)
      elseif st == 2 then
        req_unknown = true
        missing_of(ci)
      end
    end
  end
  if r.licence_required == nil and not req_unknown then r.licence_required = false end
  -- exclusions that acted, as reasons (e.g. "destinations also in A:6 are excluded")
  for ni, n in ipairs(compiled.notes) do
    if d.notes[ni].state == 1 then
      for ci, c in ipairs(compiled.clauses) do
        if c.kind == "requirement" and d.clauses[ci].raw == 1 then
          for _, target in ipairs(n.targets) do
            if target == c.id then add(r.reasons, n.text or n.id) end
          end
        end
      end
    end
  end

  -- License Exceptions
  local order, seen = {}, {}
  for _, id in ipairs(M.EXCEPTIONS) do order[#order + 1] = id; seen[id] = true end
  for _, c in ipairs(compiled.clauses) do
    if c.kind == "exception" and not seen[c.exception] then order[#order + 1] = c.exception; seen[c.exception] = true end
  end
  for _, id in ipairs(order) do
    local e = { id = id }
    if r.licence_required == false then
      e.available, e.needed, e.why = false, false, "no licence required, so no exception is needed"
    else
      local declared, any_unknown, open_clause, true_clause = false, false, nil, nil
      local texts = {}
      for ci, c in ipairs(compiled.clauses) do
        if c.kind == "exception" and c.exception == id then
          declared = true
          local st = d.clauses[ci].state
          if c.outcome ~= "open" and c.text then texts[#texts + 1] = c.text end
          if st == 1 then
            if c.outcome == "open" then open_clause = open_clause or c else true_clause = true_clause or c end
          elseif st == 2 then
            any_unknown = true
            missing_of(ci)
          end
        end
      end
      if not declared then
        e.available = false
        e.why = ("License Exception %s is not part of %s on %s"):format(id, v.id, as_of)
      elseif true_clause then
        e.available, e.why = true, true_clause.text or true_clause.id
        provenance_of(r.provenance, true_clause)
      elseif open_clause then
        e.available, e.open_question = nil, true
        e.why = open_clause.enforced_open and ((open_clause.text or id) .. " -- this is text of a measure BIS " ..
          "does not enforce; tpp's sources do not say whether exporters may rely on it") or open_clause.text
      elseif any_unknown then
        e.available = nil
        e.why = "undetermined: " .. table.concat(texts, "; or ")
      else
        e.available = false
        e.why = "not available: it covers only " .. table.concat(texts, "; or ")
      end
    end
    e.state = e.available == nil and "undetermined" or (e.available and "available" or "not available")
    r.exceptions[#r.exceptions + 1] = e
  end

  -- review policy: the first review clause that holds, in rank order
  if r.licence_required then
    for ci, c in ipairs(compiled.clauses) do
      if c.kind == "review" then
        local st = d.clauses[ci].state
        if st == 1 then
          r.review_policy = M.POLICY_TEXT[c.outcome] or c.outcome
          r.review_notes[#r.review_notes + 1] = c.text or c.id
          provenance_of(r.provenance, c)
          for _, q in ipairs(c.requires or {}) do r.review_notes[#r.review_notes + 1] = "condition: " .. q end
          break
        elseif st == 2 then
          r.review_policy = "undetermined"
          missing_of(ci)
          r.review_notes[#r.review_notes + 1] = "undetermined: " .. (c.text or c.id)
          break
        end
      end
    end
    if r.review_policy == nil then
      r.review_notes[#r.review_notes + 1] = "the review policy for this case is not recorded in tpp's sources"
    end
  end
  json_arrays(r)
  return r
end

--- Both views for a transaction. t: as_of, dest, hq, item, values, exported_from_us, us_available,
-- and version (default: the 3A090 version in force on as_of). Returns enforced, cfr_text, version, facts.
function M.views(t)
  local v = t.version or rules.at(t.as_of)
  local facts = M.facts(t)
  local enforced = M.evaluate(v, t.as_of, facts, "enforced")
  local cfr = M.evaluate(v, t.as_of, facts, "cfr-text")
  return enforced, cfr, v, facts
end

--- True when two views give the same answer (licence, review policy, exception availability).
function M.same(a, b)
  if a.licence_required ~= b.licence_required or a.review_policy ~= b.review_policy then return false end
  for i, e in ipairs(a.exceptions) do
    if not b.exceptions[i] or b.exceptions[i].available ~= e.available then return false end
  end
  return true
end

return M
