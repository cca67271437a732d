--- tpp.screen: may this shipment go? One decision path for a transaction (chip,
-- destination, date, parties, end use) under every regime tpp encodes, US and
-- Chinese. `tpp screen`, `tpp classify --dest` and `tpp explain --dest` all call it.
--
--   local screen = require "tpp.screen"
--   local r = screen.screen { chip = "H20", to = "China", as_of = "2025-07-15" }
--   r.results[1].decision        --> "licence-required"
--   r.results[1].regimes         --> every regime consulted: id, status, outcome, why, source
--
-- The order (each regime's own answer travels with it):
--   1 is the item subject to the EAR (origin, foreign-direct-product rules)
--   2 the BIS GP10 guidance on PRC chips
--   3 embargoes and sanctions (15 CFR part 746)
--   4 the item's classification (3A090 under the version in force, 3A991.p, EAR99)
--   5 company letters and notices ('is informed')
--   6 3A090 licence scope: country groups and the headquarters rule (rule data)
--   7 the Entity List, with its foreign-direct-product footnotes
--   8 end-use controls (15 CFR part 744)
--   9 the review policy of the version (91 FR 1684's conditions for China/Macau)
--  10 License Exceptions and Validated End Users
--  11 the Affiliates rule, and bills (never decide: "would require a licence if enacted")
-- then the PRC measures that bear on the transaction and the conflicts of laws.
--
-- The decision is the strictest outcome of the regimes that decide (prohibited >
-- licence-required > undetermined > no-licence-required); an unknown input that
-- could make it stricter gives "undetermined" and is named; inputs not given
-- (end user, end use, headquarters) are listed under not_screened, so a "no licence
-- required" for the item never hides an unscreened party. Not legal advice.
local tpp = require "tpp"
local rules = require "tpp.rules"
local metrics = require "tpp.rules.metrics"
local regimes = require "tpp.regimes"
local dest = require "tpp.dest"
local licence = require "tpp.screen.licence"
local parties = require "tpp.screen.parties"
local util = require "tpp.util"
local json = require "tpp.json"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

M.DISCLAIMER = "tpp is not legal advice: it screens a transaction against the public rule texts and the " ..
  "regime data it encodes, from published chip figures; a licensing decision needs counsel, the official " ..
  "text and a full restricted-party screening."

M.DECISIONS = { "no-licence-required", "undetermined", "licence-required", "prohibited" }
local RANK = { ["no-licence-required"] = 0, undetermined = 1, ["licence-required"] = 2, prohibited = 3 }
M.RANK = RANK

-- Statuses under which a regime's outcome decides.
local DECIDING = { ["in force"] = true, guidance = true }

local function who_error(field, fmt, ...)
  error(("tpp.screen: %s: " .. fmt):format(field, ...), 0)
end

-- ----------------------------------------------------------------- inputs ----

local KEYS = {
  chip = "any", chips = "table", to = "string|table", as_of = "string", end_user = "string", end_use = "string",
  hq = "string", origin = "string", from = "string", us_tech = "boolean", veu = "boolean", basis = "string",
  informed = "boolean", rules = "any",
}

--- The first date tpp's rules cover (the first 3A090 version's effective date).
function M.first_date()
  local first
  for _, id in ipairs(rules.BUILTIN) do
    local v = rules.get(id)
    if v.track == "3A090" then
      local e = rules.effective_of(v)
      if not first or e < first then first = e end
    end
  end
  return first
end

local function check_as_of(s)
  if s == nil then return dest.today() end
  local ok, msg = dest.check_date(s)
  if not ok then who_error("as_of", "%s", msg) end
  local first = M.first_date()
  if s < first then
    who_error("as_of", "'%s' is before %s, the first date tpp's rules cover (ECCN 3A090, 87 FR 62186); " ..
      "expected a date from %s on", s, first, first)
  end
  return s
end

local function resolve_place(x, field)
  local rec, msg = dest.resolve_destination(x)
  if not rec then
    msg = msg:gsub("^unknown country", "unknown destination")
    if not msg:find("did you mean", 1, true) and not msg:find("ambiguous", 1, true) then
      local hint = util.did_you_mean(util.squash(x), (function()
        local sq = {}
        for i, n in ipairs(dest.destination_names()) do sq[i] = util.squash(n) end
        return sq
      end)())
      if hint then msg = msg .. "; did you mean '" .. hint .. "'?" end
    end
    msg = msg:gsub("; give an English name or an ISO 3166 alpha%-2 code %(e%.g%. 'CN', 'Malaysia'%)", "")
    who_error(field, "%s; expected a country name, an ISO 3166 alpha-2 code (e.g. 'CN', 'Malaysia') or a region " ..
      "such as 'Crimea'", msg)
  end
  return rec
end

local END_USES, END_USE_KEYS
local function end_use_index()
  if END_USES then return END_USES, END_USE_KEYS end
  END_USES, END_USE_KEYS = {}, {}
  for _, e in ipairs(regimes.records("end_use")) do
    END_USES[e.id] = e
    END_USE_KEYS[util.squash(e.id)] = e.id
    for _, a in ipairs(e.aliases or {}) do END_USE_KEYS[util.squash(a)] = e.id end
  end
  return END_USES, END_USE_KEYS
end

--- The end uses tpp screens (ids), for help texts.
function M.end_uses()
  local list = {}
  for _, e in ipairs(regimes.records("end_use")) do list[#list + 1] = e.id end
  return list
end

local function check_end_use(s)
  if s == nil then return nil end
  local uses, keys = end_use_index()
  local id = keys[util.squash(s)]
  if id then return uses[id] end
  local hint = util.did_you_mean(s, M.end_uses())
  who_error("end_use", "unknown end use '%s'%s; expected one of: %s", s,
    hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(M.end_uses(), ", "))
end

local function normalize(q)
  if type(q) ~= "table" then error("tpp.screen: a table of inputs expected, got " .. type(q), 0) end
  for k, v in pairs(q) do
    local want = KEYS[k]
    if not want then
      local hint = type(k) == "string" and util.did_you_mean(k, util.keys(KEYS)) or nil
      who_error(tostring(k), "unknown input%s; expected %s", hint and ("; did you mean '" .. hint .. "'?") or "",
        table.concat(util.sorted_keys(KEYS), ", "))
    end
    if want ~= "any" and not want:find(type(v), 1, true) then
      who_error(k, "%s expected, got %s", want:gsub("|", " or "), type(v))
    end
  end
  local n = {}
  n.as_of = check_as_of(q.as_of)
  -- chips
  local list = {}
  if q.chip ~= nil then list[#list + 1] = q.chip end
  for _, c in ipairs(q.chips or {}) do list[#list + 1] = c end
  if #list == 0 then who_error("chip", "no chip given; expected a database name (e.g. 'H20') or a chip table") end
  n.chips = {}
  for i, c in ipairs(list) do
    local ok, obj = pcall(tpp.chip, c)
    if not ok then who_error(#list > 1 and ("chips[" .. i .. "]") or "chip", "%s", tostring(obj):gsub("^tpp: ", "")) end
    n.chips[i] = obj
  end
  -- destinations
  local to = q.to
  if to == nil then who_error("to", "no destination given; expected a country (e.g. 'China') or a region") end
  if type(to) == "string" then to = { to } end
  if #to == 0 then who_error("to", "an empty list; give at least one destination") end
  n.to = {}
  for i, t in ipairs(to) do
    if type(t) ~= "string" then who_error("to", "destination %d: a string expected, got %s", i, type(t)) end
    n.to[i] = resolve_place(t, "to")
  end
  if q.hq ~= nil then
    n.hq = resolve_place(q.hq, "hq")
    if n.hq.region then
      who_error("hq", "'%s' is a region, not a country where a company can be headquartered", q.hq)
    end
  end
  if q.from ~= nil then
    n.from = resolve_place(q.from, "from")
  end
  if q.origin ~= nil and q.origin ~= "us" and q.origin ~= "foreign" then
    who_error("origin", "got '%s', expected 'us' (US-origin item, or one in the US) or 'foreign' (foreign-produced)",
      q.origin)
  end
  n.origin = q.origin
  if q.origin == "us" and q.us_tech == false then
    who_error("us_tech", "false contradicts origin 'us': a US-origin item is subject to the EAR whatever it " ..
      "was made with; give one or the other")
  end
  n.us_tech = q.us_tech
  if q.end_user ~= nil then
    local s = util.trim(q.end_user)
    if s == "" then who_error("end_user", "is empty; give the buyer's or end user's name") end
    n.end_user = s
  end
  n.end_use = check_end_use(q.end_use)
  n.veu = q.veu
  n.informed = q.informed
  if q.basis ~= nil and q.basis ~= "enforced" and q.basis ~= "cfr-text" then
    who_error("basis", "got '%s', expected 'enforced' (default) or 'cfr-text'", q.basis)
  end
  n.basis = q.basis or "enforced"
  if q.rules ~= nil then
    local ok, v = pcall(rules.get, q.rules)
    if not ok then who_error("rules", "%s", tostring(v):gsub("^tpp[%.%w]*: ", "")) end
    if v.track ~= "3A090" then
      who_error("rules", "'%s' is a %s measure; screening picks letters and bills by date itself; give a 3A090 " ..
        "version", v.id, v.track)
    end
    n.version = v
  end
  return n
end
M.normalize = normalize

-- ------------------------------------------------------------- the item ----

local item_memo = setmetatable({}, { __mode = "k" })

-- The designer's country: the chip database's `origin` ("us", "prc", ...), else its `country`.
local function designer_country(d)
  if type(d.origin) == "string" then
    if d.origin == "us" then return "US" end
    if d.origin == "prc" or d.origin == "cn" then return "CN" end
    return d.origin:upper()
  end
  if type(d.country) ~= "string" then return nil end
  if d.country:match("^US") then return "US" end
  if d.country == "China" then return "CN" end
  return d.country
end

-- The item's own facts on a date: classifications under the version in force, 3A991.p, the
-- letters and bills, origin, US technology, GP10. Memoized per chip object and date.
local function item_facts(chip, as_of, version)
  local per_chip = item_memo[chip]
  if not per_chip then per_chip = {}; item_memo[chip] = per_chip end
  local key = as_of .. "|" .. (version and version.id or "-")
  if per_chip[key] then return per_chip[key] end
  local d = chip.data
  local it = { chip = chip, id = d.id or d.name or "chip", name = d.name or d.id, vendor = d.vendor,
    as_of = as_of }
  it.values = metrics.of_chip(chip)
  it.version = version or rules.at(as_of)
  it.classification = rules.classify(chip, { rules = it.version, as_of = as_of })
  it.par = licence.item_of(it.classification)
  -- 3A991.p below 3A090
  local ok991, v991 = pcall(rules.at, as_of, { track = "3A991" })
  if ok991 then
    it.v991 = v991
    it.c991 = rules.classify(chip, { rules = v991, as_of = as_of })
  end
  if it.par == "a" or it.par == "b" or it.par == "c" then
    it.family, it.eccn = "3A090", it.classification.eccn
  elseif it.par == "none" then
    if it.c991 and it.c991.status == "controlled" then
      it.family, it.eccn = "3A991", "3A991.p"
    elseif it.c991 and it.c991.status == "not-controlled" then
      it.family, it.eccn = "EAR99", "EAR99"
    elseif it.c991 then
      it.family = nil
      it.family_why = "3A991.p is undetermined (" .. table.concat(it.c991.missing, ", ") .. ")"
    else
      it.family = nil
      it.family_why = ("below 3A090; how such an IC was classified before %s (3A991.p) is not encoded"):format(
        rules.effective_of(rules.get("us-2023-11-3a991")))
    end
  else
    it.family = nil
    it.family_why = "the 3A090 classification is undetermined (" .. table.concat(it.classification.missing, ", ") .. ")"
  end
  -- letters and notices in force on the date
  it.letters = {}
  for _, id in ipairs(rules.BUILTIN) do
    local v = rules.get(id)
    if v.track == "letter" and v:status_at(as_of) == "in force" then
      it.letters[#it.letters + 1] = { version = v, result = rules.classify(chip, { rules = v, as_of = as_of }) }
    end
  end
  -- bills introduced by the date
  it.proposals = {}
  for _, id in ipairs(rules.BUILTIN) do
    local v = rules.get(id)
    if v.track == "proposal" and v:status_at(as_of) == "proposal" then
      local okp, r = pcall(rules.classify, chip, { rules = v, as_of = as_of })
      it.proposals[#it.proposals + 1] = { version = v, result = okp and r or nil, error = not okp and r or nil }
    end
  end
  -- origin and the production chain
  it.designer = designer_country(d)
  if it.designer == "US" then
    it.origin, it.origin_basis = "us", "designed in the US: a US-origin item when exported from the US, and the " ..
      "direct product of US technology when made abroad (assumption from the designer's country)"
  elseif it.designer then
    it.origin, it.origin_basis = "foreign", ("designed in %s: a foreign-produced item (assumption from the " ..
      "designer's country)"):format(d.country or it.designer)
  end
  if d.us_tech ~= nil then
    it.us_tech, it.us_tech_basis = d.us_tech, "the chip data (us_tech)"
  elseif type(d.process) == "string" and d.process:find("TSMC", 1, true) then
    it.us_tech, it.us_tech_basis = true, ("made by TSMC (%s): assumed made with US-origin technology, software " ..
      "and equipment (every advanced foundry uses them)"):format(d.process)
  end
  it.us_available = licence.us_available(d, it.version.dates.published or rules.effective_of(it.version))
  -- BIS GP10 guidance
  for _, g in ipairs(regimes.records("guidance")) do
    local m = regimes.measure(g.measure)
    if regimes.status_at(m, as_of) ~= "not yet in force" then
      local hit = false
      for _, cid in ipairs(g.applies.chips or {}) do if cid == d.id then hit = true end end
      for _, nm in ipairs(g.applies.names or {}) do
        if d.name and util.squash(d.name):find(util.squash(nm), 1, true) then hit = true end
      end
      -- a PRC-designed IC that meets 3A090, or may (its classification is undetermined)
      if not hit and g.applies.designer_country and g.applies.designer_country == it.designer and
         (g.applies.eccn == it.family or (it.family == nil and it.classification.status == "undetermined")) then
        hit = true
      end
      if hit and not it.gp10 then it.gp10 = g end
    end
  end
  per_chip[key] = it
  return it
end
M.item_facts = item_facts

-- ----------------------------------------------------------- regimes ----

local function reg(list, t)
  t.source = t.source or "-"
  t.provenance = t.provenance or "secondary"
  list[#list + 1] = t
  return t
end

local function version_source(v)
  return v.citation or v.id
end

local function add_unique(list, item, key)
  for _, x in ipairs(list) do
    if (key and x[key] == item[key]) or x == item then return end
  end
  list[#list + 1] = item
end

local function in_scope(entry, code, groups, date, ctx)
  if entry.from and date < entry.from then return false end
  if entry.to and date >= entry.to then return false end
  if entry.anywhere then return true end
  for _, c in ipairs(entry.codes or {}) do if c == code then return true end end
  for _, g in ipairs(entry.groups or {}) do if groups[g] then return true end end
  if entry.hq and ctx and ctx.hq_d5 then return true end
  return false
end

local function family_matches(items, family)
  for _, it in ipairs(items) do
    if it == "all" then return true end
    if it == "ccl" and (family == "3A090" or family == "3A991") then return true end
    if it == family then return true end
    if it == "3A090" and family == "3A090" then return true end
  end
  return false
end

-- Is the item subject to the EAR? returns outcome ("yes" | "no" | "unknown"), why, basis list, missing
local function subject_to_ear(it, t, ctx)
  if t.from and dest.ear_code(t.from) == "US" then
    return "yes", "the item is in the United States: subject to the EAR (15 CFR 734.3(a)(1))", {}
  end
  local origin = t.origin or it.origin
  if origin == "us" then
    local why = "a US-origin item, wherever located, is subject to the EAR (15 CFR 734.3(a)(2))"
    if not t.origin and it.origin_basis then why = why .. "; " .. it.origin_basis end
    return "yes", why, {}
  end
  if origin == nil then
    return "unknown", "the item's origin is not known (pass origin = 'us' or 'foreign')", {}, { "origin" }
  end
  -- foreign-produced: which FDP rules reach this transaction?
  local hits = {}
  for _, f in ipairs(regimes.records("fdp")) do
    if family_matches(f.items, it.family) or (f.items[1] == "all") then
      for _, r in ipairs(f.reach) do
        local ok = in_scope(r, ctx.code, ctx.groups, t.as_of, ctx)
        if r.footnote then ok = (not r.from or t.as_of >= r.from) and ctx.party_footnote == r.footnote end
        if r.end_use then ok = ok and t.end_use ~= nil and t.end_use.id == r.end_use end
        if ok then hits[#hits + 1] = f; break end
      end
    end
  end
  if #hits == 0 then
    return "no", "a foreign-produced item that no foreign-direct-product rule tpp encodes reaches here (15 CFR " ..
      "734.9); de minimis US content (734.4) is not computed", {}
  end
  local names = {}
  for _, f in ipairs(hits) do names[#names + 1] = f.paragraph end
  local us_tech = t.us_tech
  local basis = "input us_tech"
  if us_tech == nil then us_tech, basis = it.us_tech, it.us_tech_basis end
  if us_tech == true then
    return "yes", ("a foreign-produced direct product of US technology, software or equipment (%s), reached by " ..
      "%s"):format(basis, table.concat(names, ", ")), hits
  elseif us_tech == false then
    return "no", ("foreign-produced without US technology, software or equipment (%s): %s does not reach it"):format(
      basis, table.concat(names, ", ")), hits
  end
  return "unknown", ("foreign-produced; %s would reach it if it was made with US technology, software or " ..
    "production equipment, which tpp cannot see (pass us_tech = true or false)"):format(table.concat(names, ", ")),
    hits, { "us_tech" }
end

-- Destination facts shared by the stages.
local function dest_context(t)
  local d = t.dest
  local ctx = { code = dest.ear_code(d), region = d.region }
  ctx.groups = d.region and {} or dest.groups_shared(d.code, t.as_of)
  if t.hq then
    local hcode = dest.ear_code(t.hq)
    local hg = dest.groups_shared(t.hq.code, t.as_of)
    ctx.hq_code, ctx.hq_groups = hcode, hg
    ctx.hq_d5 = hcode == "MO" or hg["D:5"] == true
  end
  return ctx
end

local function letter_informed(v, it, t)
  if t.informed ~= nil then return t.informed end
  if not it.vendor then return nil end
  for _, name in ipairs(v.informed or {}) do
    if it.vendor:lower():find(name:lower(), 1, true) then return true end
  end
  return false
end

local function outcome_of_licence(res)
  if res.licence_required == true then return "licence-required" end
  if res.licence_required == false then return "no-licence-required" end
  return "undetermined"
end

local function listed(v, code)
  local f = v.figures and v.figures.destinations
  if not f or code == nil then return nil end
  for _, c in ipairs(f.value) do if c == code then return true end end
  return false
end

--- Screen one transaction: an item (from item_facts) to one destination. t: as_of, dest, hq, from,
-- origin, us_tech, end_user, end_use, veu, informed, basis.
function M.transaction(it, t)
  local as_of = t.as_of
  local ctx = dest_context(t)
  local res = {
    chip = it.id, chip_name = it.name, as_of = as_of,
    destination = { code = t.dest.code, name = t.dest.name, region = t.dest.region or nil,
                    treated_as = t.dest.ear_as },
    rules = { id = it.version.id, status = it.version:status_at(as_of), citation = it.version.citation,
              title = it.version.title },
    regimes = {}, not_screened = {}, missing = {}, warnings = {}, notes = {}, prc = {}, conflicts = {},
    licence_exceptions = {}, authorizations = {},
    disclaimer = M.DISCLAIMER,
  }
  if t.hq then res.hq = { code = t.hq.code, name = t.hq.name } end
  local R = res.regimes
  local function miss(name) add_unique(res.missing, name) end
  local function not_screened(input, what, why)
    add_unique(res.not_screened, { input = input, what = what, why = why }, "what")
  end

  -- a shipment that stays in the United States is not an export
  local exported_from_us
  if t.from then exported_from_us = dest.ear_code(t.from) == "US"
  else exported_from_us = (t.origin or it.origin) == "us" end
  if ctx.code == "US" and exported_from_us then
    reg(R, { id = "not-an-export", title = "destination in the United States", jurisdiction = "US",
      status = "in force", outcome = "no-licence-required", decides = true,
      why = "the item stays in the United States: no export, reexport or transfer abroad (15 CFR 734.13)",
      source = "15 CFR 734.13", provenance = "secondary" })
  end

  -- 1 subject to the EAR
  local party = t.party
  ctx.party_footnote = party and party.entry and party.listed and party.entry.footnote or nil
  if party and party.entry and party.entry.footnote and party.entry.footnote_from and as_of < party.entry.footnote_from then
    ctx.party_footnote = nil
  end
  local subj, subj_why, subj_hits, subj_missing = subject_to_ear(it, t, ctx)
  reg(R, { id = "subject-to-ear", title = "Is the item subject to the EAR? (15 CFR 734.3, 734.9)",
    jurisdiction = "US", status = "in force", decides = false,
    outcome = subj == "yes" and "subject" or (subj == "no" and "not-subject" or "undetermined"),
    why = subj_why, source = "15 CFR 734.3; 15 CFR 734.9" .. (#subj_hits > 0 and (" (" .. subj_hits[1].source .. ")") or ""),
    provenance = "secondary" })
  for _, m in ipairs(subj_missing or {}) do miss(m) end
  local us_applies = subj ~= "no"
  -- a US regime that would require a licence when subjection is unknown is undetermined
  local function us_outcome(o)
    if subj == "unknown" and (o == "licence-required" or o == "prohibited") then return "undetermined" end
    if not us_applies and o ~= "not-applicable" then return "not-applicable" end
    return o
  end

  -- 2 GP10 guidance on PRC chips
  if it.gp10 then
    local g = it.gp10
    local m = regimes.measure(g.measure)
    local st = regimes.status_at(m, as_of)
    reg(R, { id = m.id, title = m.title, jurisdiction = "US", status = st, decides = DECIDING[st] or false,
      outcome = g.outcome, why = g.text .. (g.outcome == "licence-required" and
        "; safe harbour: acquisition solely for technical analysis or evaluation (e.g. destructive testing)" or ""),
      source = regimes.source_line(g), provenance = g.provenance, guidance = true })
    if g.outcome == "undetermined" then miss("us_tech") end
  elseif it.designer and it.designer ~= "US" then
    local gm = regimes.measure("bis-2025-05-gp10")
    reg(R, { id = gm.id, title = gm.title, jurisdiction = "US", status = regimes.status_at(gm, as_of), decides = false,
      outcome = "not-applicable",
      why = it.family == "3A090" and "not yet issued on this date" or
        "the guidance concerns PRC ICs meeting 3A090; this item does not meet 3A090 on this date",
      source = regimes.source_line(regimes.measure("bis-2025-05-gp10")), provenance = "secondary" })
  end

  -- 3 embargoes and sanctions
  local embargo_hit = false
  for _, e in ipairs(regimes.records("embargo")) do
    if e.id == t.dest.code or (e.id == ctx.code and not t.dest.region) then
      local m = regimes.measure(e.measure)
      if regimes.covers(e, as_of) then
        embargo_hit = true
        local o = e.outcome
        if it.family == "EAR99" and e.ear99 then o = e.ear99 end
        if e.items == "ccl" and it.family == "EAR99" and not e.ear99 then o = "no-licence-required" end
        if it.family == nil and e.items ~= "all" then
          o = "undetermined"
          miss("eccn")
        end
        if o == "undetermined" and it.family == "EAR99" then miss("hts_code") end
        reg(R, { id = m.id, title = m.title, jurisdiction = "US", status = regimes.status_at(m, as_of),
          decides = true, outcome = us_outcome(o), why = e.text, review_policy = e.review,
          source = regimes.source_line(e), provenance = e.provenance })
      end
    end
  end
  if not embargo_hit then
    reg(R, { id = "us-ear-part-746", title = "Embargoes and sanctions (15 CFR part 746)", jurisdiction = "US",
      status = "in force", decides = false, outcome = "not-applicable",
      why = ("no part 746 embargo covers %s on %s"):format(t.dest.name, as_of),
      source = "15 CFR part 746; 15 CFR part 740 supp. no. 1 (E:1, E:2)", provenance = "secondary" })
  end

  -- 4 classification
  local c = it.classification
  local class_text
  if it.family == "3A090" then class_text = it.eccn
  elseif it.family then class_text = it.eccn .. " (outside 3A090)"
  else class_text = "undetermined: " .. (it.family_why or "?") end
  reg(R, { id = it.version.id, title = "Classification: " .. (it.version.title or it.version.id), jurisdiction = "US",
    status = it.version:status_at(as_of), decides = false,
    outcome = "classified", eccn = it.eccn, classification = c.status,
    why = ("%s under %s%s"):format(class_text, it.version.id,
      c.governing and (" (" .. c.governing .. ")") or ""),
    source = version_source(it.version), provenance = it.version.provenance })
  if it.c991 then
    reg(R, { id = it.v991.id, title = "Classification below 3A090: ECCN 3A991.p (AT only)", jurisdiction = "US",
      status = it.v991:status_at(as_of), decides = false, outcome = "classified",
      eccn = it.c991.status == "controlled" and "3A991.p" or (it.c991.status == "not-controlled" and "EAR99" or nil),
      why = it.c991.status == "controlled" and ("meets 3A991.p (%s); AT column 1: a licence only where part 746 " ..
        "or part 744 reaches the transaction"):format(it.c991.governing or "") or
        (it.c991.status == "not-controlled" and "below 3A991.p: EAR99 unless another entry applies" or
         "undetermined: " .. table.concat(it.c991.missing, ", ")),
      source = version_source(it.v991), provenance = it.v991.provenance })
  end
  if it.family == nil and it.classification.status == "undetermined" then
    for _, m in ipairs(it.classification.missing) do miss(m) end
  end
  for _, w in ipairs(c.warnings or {}) do add_unique(res.warnings, w) end

  -- 5 letters and notices
  for _, L in ipairs(it.letters) do
    local v, r = L.version, L.result
    local lpar = r.status == "controlled" and "a" or (r.status == "not-controlled" and "none" or nil)
    local informed = letter_informed(v, it, t)
    local f = licence.facts { as_of = as_of, dest = t.dest, hq = t.hq, item = lpar, values = it.values,
      exported_from_us = exported_from_us, us_available = it.us_available, informed = informed }
    local lres = licence.evaluate(v, as_of, f, "enforced")
    local o = outcome_of_licence(lres)
    local why
    if r.status == "not-controlled" then
      why = "the item does not meet the letter's criteria (" .. (v.subject or v.id) .. ")"
    elseif r.status == "undetermined" then
      why = "whether the item meets the letter's criteria is undetermined: " .. table.concat(r.missing, ", ")
      for _, m in ipairs(r.missing) do miss(m) end
    elseif informed == false then
      -- criteria met but the exporter was not the company informed
      local in_scope_anyway = licence.evaluate(v, as_of, licence.facts { as_of = as_of, dest = t.dest, hq = t.hq,
        item = "a", values = it.values, informed = true }, "enforced")
      o = "not-applicable"
      why = ("the item meets the letter's criteria (%s) but the letter binds only %s; tpp has no public record " ..
        "of a letter to %s"):format(r.governing or "", table.concat(v.informed or {}, ", "), it.vendor or "this exporter")
      if in_scope_anyway.licence_required then
        not_screened("informed", "company-specific 'is informed' letters to the exporter (" .. v.id .. ")",
          "letters are not published; the item meets the criteria of letters sent to " ..
          table.concat(v.informed or {}, ", "))
      end
    elseif lres.licence_required then
      why = table.concat(lres.reasons, "; ") .. (r.governing and (" (criteria: " .. r.governing .. ")") or "")
    else
      why = ("meets the letter's criteria, but %s is outside its destinations"):format(t.dest.name)
    end
    for _, m in ipairs(lres.missing) do if m ~= "informed" then miss(m) end end
    if informed == nil and r.status == "controlled" then miss("informed") end
    reg(R, { id = v.id, title = v.title, jurisdiction = "US", status = v:status_at(as_of),
      decides = true, outcome = us_outcome(o), why = why, review_policy = lres.review_policy,
      review_notes = lres.review_notes, letter = true,
      source = version_source(v) .. (v.status_note and ("; " .. v.status_note) or ""), provenance = v.provenance })
  end

  -- 6 3A090 licence scope (country groups, headquarters rule), both views
  local lfacts = licence.facts { as_of = as_of, dest = t.dest, hq = t.hq, item = it.par, values = it.values,
    exported_from_us = exported_from_us, us_available = it.us_available }
  local enforced = licence.evaluate(it.version, as_of, lfacts, "enforced")
  local cfr = licence.evaluate(it.version, as_of, lfacts, "cfr-text")
  local main = t.basis == "cfr-text" and cfr or enforced
  local scope_why
  if main.licence_required == true then scope_why = table.concat(main.reasons, "; ")
  elseif main.licence_required == false then
    if it.par == "none" then scope_why = "the item is outside 3A090: no licence under the advanced-computing scope"
    else
      scope_why = (#main.reasons > 0 and (table.concat(main.reasons, "; ") .. "; ") or "") ..
        ("%s is outside the %s licence scope"):format(t.dest.name, it.version.id)
    end
  else
    scope_why = "undetermined: missing " .. table.concat(main.missing, ", ")
    for _, m in ipairs(main.missing) do miss(m) end
  end
  local scope = reg(R, { id = it.version.id .. ":licence", title = "3A090 licence scope: country groups and " ..
    "the headquarters rule (" .. it.version.id .. ")", jurisdiction = "US",
    status = it.version:status_at(as_of), decides = true, outcome = us_outcome(outcome_of_licence(main)),
    why = scope_why, review_policy = main.review_policy, review_notes = main.review_notes,
    exceptions = main.exceptions, source = version_source(it.version), provenance = it.version.provenance,
    view = t.basis == "cfr-text" and "CFR text" or "enforced policy" })
  res.views = { enforced = { licence = outcome_of_licence(enforced), review_policy = enforced.review_policy },
                cfr_text = { licence = outcome_of_licence(cfr), review_policy = cfr.review_policy } }
  res.cfr_text_differs = not licence.same(enforced, cfr)
  if res.cfr_text_differs then
    local other = t.basis == "cfr-text" and enforced or cfr
    add_unique(res.notes, ("the %s differs: %s%s (the AI Diffusion rule, 90 FR 4544, is still in the eCFR; BIS " ..
      "does not enforce it since %s)"):format(t.basis == "cfr-text" and "enforced policy" or "CFR text",
      (outcome_of_licence(other):gsub("%-", " ")), other.review_policy and (", " .. other.review_policy) or "",
      rules.get("us-2025-01-diffusion").dates.not_enforced))
  end
  if not t.hq then
    not_screened("hq", "headquarters rule: a licence for 3A090 items to entities headquartered (or with an " ..
      "ultimate parent) in D:5 or Macau, wherever located (15 CFR 744.23(a)(3), 742.6(a)(6)(iii)(A))",
      "no headquarters given (hq)")
  end

  -- 7 Entity List
  if party then
    local e = party.entry
    if party.listed then
      local o = "licence-required"
      reg(R, { id = "us-ear-entity-list", title = "Entity List (15 CFR 744.11)", jurisdiction = "US",
        status = "in force", decides = true, outcome = us_outcome(o),
        why = ("'%s' matches the entry '%s' (%s%s), added %s: licence for %s; no License Exceptions"):format(
          t.end_user, e.id, e.citation, e.footnote and (", footnote " .. e.footnote) or "", e.added, e.licence),
        review_policy = e.review, entry = e.id, footnote = e.footnote, match = party.how,
        source = regimes.source_line(e), provenance = e.provenance })
    elseif party.possible then
      reg(R, { id = "us-ear-entity-list", title = "Entity List (15 CFR 744.11)", jurisdiction = "US",
        status = "in force", decides = true, outcome = us_outcome("undetermined"),
        why = ("'%s' may be the listed '%s' or one of its affiliates (%s): confirm the party"):format(
          t.end_user, e.id, party.how), entry = e.id, footnote = e.footnote,
        source = regimes.source_line(e), provenance = e.provenance })
      miss("end_user")
    elseif party.later then
      reg(R, { id = "us-ear-entity-list", title = "Entity List (15 CFR 744.11)", jurisdiction = "US",
        status = "in force", decides = false, outcome = "not-applicable",
        why = ("'%s' matches '%s', listed on %s, after %s"):format(t.end_user, e.id, e.added, as_of),
        entry = e.id, source = regimes.source_line(e), provenance = e.provenance })
    else
      reg(R, { id = "us-ear-entity-list", title = "Entity List (15 CFR 744.11)", jurisdiction = "US",
        status = "in force", decides = false, outcome = "not-found",
        why = ("'%s' was not found in tpp's extract of the Entity List%s; this is not a clearance"):format(
          t.end_user, party.hint and ("; did you mean '" .. party.hint .. "'?") or ""),
        source = "tpp's extract of supp. no. 4 to part 744 (AI-chip-relevant Chinese parties only)",
        provenance = "secondary" })
      not_screened("end_user", "the full Entity List, Military End-User List, SDN List and Unverified List " ..
        "(tpp holds an extract)", ("'%s' is not in tpp's extract"):format(t.end_user))
    end
  else
    not_screened("end_user", "restricted-party screening of the purchaser, consignees and end user (Entity " ..
      "List, MEU List, SDN List, Unverified List)", "no end user given (end_user)")
  end
  -- Affiliates rule
  local aff = regimes.measure("us-2025-09-affiliates")
  local aff_status = regimes.status_at(aff, as_of)
  if aff_status == "in force" then
    not_screened("ownership", "the Affiliates rule: owners of 50 % or more on the Entity List, MEU List or " ..
      "SDN List (90 FR 47201)", "ownership is not an input tpp can see")
  end
  reg(R, { id = aff.id, title = aff.title, jurisdiction = "US", status = aff_status, decides = false,
    outcome = aff_status == "in force" and "not-screened" or "not-applicable",
    why = aff_status == "suspended" and ("suspended from %s until %s (90 FR 50857)"):format(aff.dates.suspended,
      aff.dates.resumed) or
      (aff_status == "in force" and ("in force on %s%s; ownership is not screened"):format(as_of,
        (aff.dates.resumed and as_of >= aff.dates.resumed) and
          " (by its own terms after the suspension; reinstatement not confirmed)" or "")
      or "not yet in force on this date"),
    source = aff.source, provenance = aff.provenance })

  -- 8 end-use controls
  local eu = t.end_use
  if eu then
    local m = regimes.measure(eu.measure)
    local o, why
    local hits = {}
    for _, s in ipairs(eu.scope) do
      if in_scope(s, ctx.code, ctx.groups, as_of, ctx) or in_scope(s, t.dest.code, ctx.groups, as_of, ctx) then
        hits[#hits + 1] = s
      end
    end
    if eu.id == "civil" then
      o, why = "no-licence-required", eu.text
    elseif #hits == 0 then
      o, why = "no-licence-required", ("%s: the paragraph does not reach %s on %s"):format(eu.title, t.dest.name, as_of)
    elseif it.family == nil and eu.items[1] ~= "all" then
      o, why = "undetermined", ("%s: the paragraph reaches %s items; the item's ECCN is undetermined (%s)"):format(
        eu.title, table.concat(eu.items, ", "), it.family_why or "?")
      miss("eccn")
    elseif not family_matches(eu.items, it.family) then
      o, why = "no-licence-required", ("%s: the paragraph does not reach %s items"):format(eu.title, it.family)
    else
      o = hits[1].outcome or eu.outcome
      why = eu.text .. (hits[1].note and ("; " .. hits[1].note) or "")
      if eu.id == "ai-training" then
        if t.hq and not ctx.hq_d5 then
          o, why = "no-licence-required", "the model owner is not headquartered in D:5 or Macau: the BIS " ..
            "guidance does not reach it"
        elseif not t.hq then
          miss("hq")
        end
      end
      if o == "undetermined" and eu.id == "military" then miss("eccn in supp. no. 2 to part 744") end
    end
    reg(R, { id = m.id, title = "End use: " .. eu.title, jurisdiction = "US", status = regimes.status_at(m, as_of),
      decides = true, outcome = us_outcome(o), why = why, review_policy = o ~= "no-licence-required" and eu.review or nil,
      source = regimes.source_line(eu), provenance = eu.provenance })
  else
    not_screened("end_use", "end-use controls: supercomputer, advanced-node IC and SME production (744.23), " ..
      "military (744.21), military-intelligence (744.22), weapons (744.2-744.4)", "no end use given (end_use)")
  end

  -- 10 VEU
  local veu = regimes.measure("us-ear-dc-veu")
  local veu_status = regimes.status_at(veu, as_of)
  if t.veu and veu_status == "in force" then
    res.authorizations[#res.authorizations + 1] = "Data Center VEU (89 FR 80080): the consignee holds one " ..
      "(given as an input); it may authorize what an individual licence would"
  end
  reg(R, { id = veu.id, title = veu.title, jurisdiction = "US", status = veu_status, decides = false,
    outcome = (t.veu and veu_status == "in force") and "authorization-available" or "not-applicable",
    why = veu_status ~= "in force" and "not yet in force on this date" or
      (t.veu and "the consignee is a Data Center VEU (input): the VEU authorization may stand in for a licence" or
        "no public list of Data Center VEUs exists; tpp assumes none unless veu = true"),
    source = veu.source, provenance = veu.provenance })

  -- 11 bills: what they would require if enacted (never decide)
  for _, P in ipairs(it.proposals) do
    local v, r = P.version, P.result
    local o, why
    if not r then
      o, why = "undetermined", "could not be evaluated: " .. tostring(P.error)
    elseif r.status ~= "controlled" then
      o = r.status == "not-controlled" and "would-not-require-licence-if-enacted" or "undetermined"
      why = r.status == "not-controlled" and "the item would not be covered" or
        ("undetermined: " .. table.concat(r.missing, ", "))
    else
      local has_scope = v.licence and #v.licence.clauses > 0
      if not has_scope then
        o, why = "would-be-covered-if-enacted", ("the item would be covered (%s); the proposal sets no destination " ..
          "scope"):format(r.classification or r.governing or "")
      else
        local f = licence.facts { as_of = as_of, dest = t.dest, hq = t.hq, item = "a", values = it.values }
        f.dest_listed = listed(v, ctx.code) and 1 or 0
        f.hq_listed = t.hq and (listed(v, ctx.hq_code) and 1 or 0) or 0
        local pres = licence.evaluate(v, as_of, f, "enforced")
        if pres.licence_required then
          o, why = "would-require-licence-if-enacted", table.concat(pres.reasons, "; ")
        else
          o, why = "would-not-require-licence-if-enacted", ("the item would be covered, but %s is outside the " ..
            "bill's destinations"):format(t.dest.name)
        end
      end
    end
    reg(R, { id = v.id, title = v.title, jurisdiction = "US", status = "proposal", decides = false, outcome = o,
      why = why, source = version_source(v), provenance = v.provenance, proposal = true })
  end

  -- the decision: the strictest outcome of the regimes that decide
  local decision = "no-licence-required"
  for _, r in ipairs(R) do
    if r.decides and RANK[r.outcome] and RANK[r.outcome] > RANK[decision] then decision = r.outcome end
  end
  if decision == "no-licence-required" and (subj == "no") then
    add_unique(res.notes, "the item is not subject to the EAR on this analysis, so no US licence question arises " ..
      "(PRC measures below still apply)")
  end
  res.decision = decision
  -- an unknown could only make the answer stricter where it is not already the strictest it can be
  if decision ~= "undetermined" then
    local relevant = {}
    for _, m in ipairs(res.missing) do relevant[#relevant + 1] = m end
    if decision == "no-licence-required" and #relevant > 0 then
      -- a missing input that fed an undetermined regime would have raised the decision already;
      -- here only inputs of non-deciding regimes remain: keep them as notes
      for _, m in ipairs(relevant) do
        add_unique(res.notes, ("input '%s' is unknown; it does not change this answer"):format(m))
      end
    end
  end
  -- review policy: the strictest of the regimes that give the decision
  local best
  for _, r in ipairs(R) do
    if r.decides and r.outcome == decision and r.review_policy then
      local k = M.review_rank(r.review_policy)
      if not best or k > best then
        best, res.review_policy, res.review_regime = k, r.review_policy, r.id
      end
    end
  end
  if decision == "licence-required" and not res.review_policy then
    -- a regime that would require a licence if an unknown resolved that way (e.g. the item is subject to
    -- the EAR) may still say how an application would be reviewed
    for _, r in ipairs(R) do
      if r.decides and r.outcome == "undetermined" and r.review_policy and r.review_policy ~= "undetermined" then
        res.review_policy = ("%s (under %s, if it applies)"):format(r.review_policy, r.id)
        res.review_regime = r.id
        break
      end
    end
  end
  if decision == "licence-required" and not res.review_policy then
    res.review_policy = "not recorded in tpp's sources"
  end
  -- License Exceptions: only where the 3A090 scope is the only requirement
  local others_require = false
  for _, r in ipairs(R) do
    if r.decides and r ~= scope and (r.outcome == "licence-required" or r.outcome == "prohibited") then
      others_require = true
    end
  end
  for _, e in ipairs(scope.exceptions or {}) do
    if e.available == true and not others_require then
      res.licence_exceptions[#res.licence_exceptions + 1] = e.id
    elseif e.available == nil and e.open_question ~= true and decision == "licence-required" and not others_require then
      add_unique(res.notes, ("License Exception %s is undetermined: %s"):format(e.id, e.why))
    end
  end
  if others_require and #(scope.exceptions or {}) > 0 then
    for _, e in ipairs(scope.exceptions) do
      if e.available == true then
        add_unique(res.notes, ("License Exception %s would cover the 3A090 requirement only; another regime " ..
          "requires authorization"):format(e.id))
      end
    end
  end

  -- PRC measures and conflicts
  M.prc_side(res, it, t, ctx, decision)

  for _, k in ipairs({ "regimes", "not_screened", "missing", "warnings", "notes", "prc", "conflicts",
                       "licence_exceptions", "authorizations" }) do
    json.array(res[k])
  end
  return res
end

-- The PRC measures bearing on a transaction, and the conflicts of laws.
function M.prc_side(res, it, t, ctx, decision)
  local as_of = t.as_of
  local chinese_party = ctx.code == "CN" or ctx.code == "MO" or ctx.hq_code == "CN" or ctx.hq_code == "MO" or
    (t.party and t.party.entry and t.party.entry.country == "CN" and (t.party.listed or t.party.possible))
  local foreign_chip = it.designer ~= "CN"
  for _, p in ipairs(regimes.records("prc_measure")) do
    local m = regimes.measure(p.measure)
    local st = regimes.status_at(m, as_of)
    if st ~= "not yet in force" then
      local a, hit = p.applies, true
      if a.import_into then
        local inside = false
        for _, c in ipairs(a.import_into) do if c == t.dest.code then inside = true end end
        hit = hit and inside
      end
      if a.chips then
        local any = false
        for _, c in ipairs(a.chips) do if c == it.chip.data.id then any = true end end
        hit = hit and any
      end
      if a.foreign_chips then hit = hit and foreign_chip end
      if a.vendor then hit = hit and it.vendor ~= nil and it.vendor:find(a.vendor, 1, true) ~= nil end
      if a.chinese_party then hit = hit and chinese_party end
      if a.chinese_origin then hit = hit and it.designer == "CN" end
      if hit then
        res.prc[#res.prc + 1] = { id = m.id, title = m.title, status = st, legal_basis = m.legal_basis,
          citation = m.citation, measure = p.id, text = p.text, status_note = m.status_note,
          source = m.source, provenance = m.provenance }
      end
    end
  end
  local restricts = decision == "licence-required" or decision == "prohibited"
  for _, c in ipairs(regimes.records("conflict")) do
    local m = regimes.measure(c.measure)
    local st = regimes.status_at(m, as_of)
    if st ~= "not yet in force" then
      local w, hit = c.when, false
      if w.gp10 and it.gp10 and regimes.status_at(regimes.measure(it.gp10.measure), as_of) ~= "not yet in force" then
        hit = true
      end
      if w.us_restricts_chinese_party and restricts and chinese_party then hit = true end
      if w.entity_match and t.party and t.party.listed and t.party.entry.country == "CN" then hit = true end
      if hit then
        res.conflicts[#res.conflicts + 1] = { id = c.id, measure = m.id, title = m.title, status = st,
          text = c.text, source = c.source, provenance = c.provenance }
      end
    end
  end
end

--- How strict a review policy is (for choosing among regimes): denial 4, undetermined 3, not stated 2,
-- case-by-case 1, approval 0.
function M.review_rank(p)
  p = tostring(p):lower()
  if p:find("denial", 1, true) or p:find("ofac", 1, true) then return 4 end
  if p:find("undetermined", 1, true) then return 3 end
  if p:find("case", 1, true) then return 1 end
  if p:find("approval", 1, true) then return 0 end
  return 2
end

-- ------------------------------------------------------------ the front ----

--- Screen chips to destinations. q: chip | chips, to (string or list), as_of, end_user, end_use, hq,
-- origin ("us" | "foreign"), from (the country the item ships from), us_tech, veu, informed, basis,
-- rules (a 3A090 version to use instead of the one in force). Returns { as_of, results = { one per
-- chip x destination }, disclaimer }.
function M.screen(q)
  local n = normalize(q)
  local out = { as_of = n.as_of, results = {}, disclaimer = M.DISCLAIMER }
  local party = n.end_user and parties.match(n.end_user, n.as_of) or nil
  for _, chip in ipairs(n.chips) do
    local it = item_facts(chip, n.as_of, n.version)
    for _, d in ipairs(n.to) do
      out.results[#out.results + 1] = M.transaction(it, {
        as_of = n.as_of, dest = d, hq = n.hq, from = n.from, origin = n.origin, us_tech = n.us_tech,
        end_user = n.end_user, end_use = n.end_use, veu = n.veu, informed = n.informed, basis = n.basis,
        party = party,
      })
    end
  end
  out.rules = out.results[1] and out.results[1].rules or nil
  json.array(out.results)
  return out
end

--- One transaction (the first result of screen()).
function M.one(q)
  return M.screen(q).results[1]
end

--- The exit status of a screening: 0 no licence required, 1 licence required or prohibited, 2 undetermined.
function M.exit_code(results)
  local worst = 0
  for _, r in ipairs(results) do
    local c = (r.decision == "licence-required" or r.decision == "prohibited") and 1 or
      (r.decision == "undetermined" and 2 or 0)
    if c == 1 or (c == 2 and worst == 0) then worst = c end
  end
  return worst
end

return M
