--- tpp.dest: destinations, country groups, AI Diffusion tiers and licence
-- decisions for advanced-computing items (3A090 / 4A090) by destination.
--
--   local dest = require "tpp.dest"
--   dest.country "Hong Kong"              --> { code = "HK", ear_as = "CN", ... }
--   dest.groups("KH", "2026-01-01")       --> { ["D:1"] = true, ["D:5"] = true }
--   dest.decide { eccn = "3A090.a", datacenter = true, country = "CN",
--                 as_of = "2024-06-01" }  --> licence_required = true, ...
--
-- Facts come from the team's reference (RULES.md §4.4-§4.8, §5, §7, §10) and
-- carry their provenance tag: primary, secondary, reported or derived. Group
-- lists are the eCFR of 2026-07-23 with the dated changes that reference
-- records; earlier list changes it does not record are not modelled.
-- Not legal advice.
local util = require "tpp.util"

local M = {}

M.DISCLAIMER = "tpp is not legal advice: it computes metrics from published figures " ..
  "and reads public rule texts; a licensing decision needs counsel and the official text."

-- ---------------------------------------------------------------- dates ----

local DAYS_IN_MONTH = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end

--- Check a "YYYY-MM-DD" calendar date. Returns the date, or nil and a message
-- saying what was expected.
function M.check_date(s)
  if type(s) ~= "string" then
    return nil, ("date 'YYYY-MM-DD' expected, got %s"):format(type(s))
  end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return nil, ("'%s' is not a date; expected YYYY-MM-DD"):format(s) end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m < 1 or m > 12 then return nil, ("'%s': month %d is not 01-12"):format(s, m) end
  local dim = DAYS_IN_MONTH[m] + ((m == 2 and leap(y)) and 1 or 0)
  if d < 1 or d > dim then return nil, ("'%s': day %d does not exist in that month"):format(s, d) end
  return s
end

--- Today (UTC) as YYYY-MM-DD.
function M.today() return os.date("!%Y-%m-%d") end

local function want_date(s, field, who)
  if s == nil then return M.today() end
  local ok, msg = M.check_date(s)
  if not ok then error(("%s: %s: %s"):format(who, field, msg), 0) end
  return s
end

-- ------------------------------------------------------------ countries ----

local COUNTRIES, BY_CODE, BY_KEY, NAMES = {}, {}, {}, {}

-- Names that could mean two countries: refuse with both choices.
local AMBIGUOUS = { korea = { "KR", "KP" }, congo = { "CG", "CD" } }

-- EAR treatment that differs from the ISO entry.
local EAR_AS = {
  HK = { as = "CN", note = "Hong Kong is treated as part of China (PRC) under the EAR " ..
    "(eCFR alias table; 2020 executive order on Hong Kong normalization) [secondary / interpretation]" },
}

local function load_countries()
  if #COUNTRIES > 0 then return end
  for line in require("tpp.countries"):gmatch("[^\n]+") do
    local code, name, aliases = line:match("^(%u%u)|([^|]+)|(.*)$")
    if code then
      local rec = { code = code, name = name, aliases = {} }
      for a in aliases:gmatch("[^;]+") do rec.aliases[#rec.aliases + 1] = a end
      if EAR_AS[code] then rec.ear_as, rec.ear_note = EAR_AS[code].as, EAR_AS[code].note end
      COUNTRIES[#COUNTRIES + 1] = rec
      BY_CODE[code] = rec
      BY_KEY[util.squash(name)] = code
      NAMES[#NAMES + 1] = name
      for _, a in ipairs(rec.aliases) do
        BY_KEY[util.squash(a)] = code
        NAMES[#NAMES + 1] = a
      end
    end
  end
  table.sort(NAMES)
end

local function copy_country(rec)
  local out = util.deepcopy(rec)
  return out
end

--- Resolve a country name, alias or ISO alpha-2 code without raising.
-- Returns a fresh record {code, name, aliases, ear_as?, ear_note?} or nil and
-- a message with a did-you-mean suggestion.
function M.resolve_country(x)
  load_countries()
  if type(x) == "table" and type(x.code) == "string" then x = x.code end
  if type(x) ~= "string" then
    return nil, ("country name or ISO code (string) expected, got %s"):format(type(x))
  end
  local s = util.trim(x)
  if #s == 2 and BY_CODE[s:upper()] then return copy_country(BY_CODE[s:upper()]) end
  local key = util.squash(s)
  if key == "" then return nil, "country is empty" end
  if AMBIGUOUS[key] then
    local a, b = BY_CODE[AMBIGUOUS[key][1]], BY_CODE[AMBIGUOUS[key][2]]
    return nil, ("country '%s' is ambiguous: '%s' (%s) or '%s' (%s)?"):format(s, a.name, a.code, b.name, b.code)
  end
  local code = BY_KEY[key]
  if code then return copy_country(BY_CODE[code]) end
  local squashed = {}
  for i, n in ipairs(NAMES) do squashed[i] = util.squash(n) end
  local hint = util.did_you_mean(key, squashed)
  local msg = ("unknown country '%s'"):format(s)
  if hint then
    local c = BY_CODE[BY_KEY[hint]]
    msg = msg .. ("; did you mean '%s' (%s)?"):format(c.name, c.code)
  else
    msg = msg .. "; give an English name or an ISO 3166 alpha-2 code (e.g. 'CN', 'Malaysia')"
  end
  return nil, msg
end

--- tpp.dest.country(name_or_code) -> record; raises on an unknown name.
function M.country(x)
  local rec, msg = M.resolve_country(x)
  if not rec then error("tpp.dest: " .. msg, 2) end
  return rec
end

--- Every country record, sorted by code.
function M.countries()
  load_countries()
  local out = {}
  for i, r in ipairs(COUNTRIES) do out[i] = copy_country(r) end
  return out
end

-- ------------------------------------------------------- country groups ----

local ECFR = "eCFR 2026-07-23, supp. no. 1 to 15 CFR part 740 (via the eCFR-extraction repository)"

-- Members as listed in the eCFR of 2026-07-23 (RULES.md §4.6) [secondary].
M.GROUP_LISTS = {
  ["A:5"] = { "AR", "AU", "AT", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
    "IS", "IN", "IE", "IT", "JP", "KR", "LV", "LT", "LU", "NL", "NZ", "NO", "PL", "PT", "RO", "SK", "SI",
    "ES", "SE", "CH", "TR", "AE", "GB" },
  ["A:6"] = { "AL", "CY", "IL", "MT", "MX", "SG", "ZA", "TW" },
  ["D:1"] = { "AM", "AZ", "BY", "MM", "KH", "CN", "GE", "IQ", "KZ", "KP", "KG", "LA", "LY", "MO", "MD",
    "MN", "NI", "RU", "TJ", "TM", "UZ", "VE", "VN", "YE" },
  ["D:4"] = { "BH", "BY", "CN", "EG", "IR", "IQ", "IL", "JO", "KP", "KW", "LB", "LY", "MO", "OM", "PK",
    "QA", "RU", "SA", "SY", "VE", "YE" },
  ["D:5"] = { "AF", "BY", "MM", "CF", "CN", "CD", "CU", "ER", "HT", "IR", "IQ", "KP", "LB", "LY", "NI",
    "RU", "SO", "SS", "SD", "SY", "VE", "ZW" },
}
M.GROUP_NAMES = { "A:5", "A:6", "D:1", "D:4", "D:5" }

-- Dated changes (RULES.md §1.1, §4.6). The lists above are the state after
-- every change; membership on an earlier date undoes the later changes.
M.GROUP_CHANGES = {
  { code = "KH", group = "D:5", change = "removed", date = "2026-02-04",
    source = "91 FR 5091 (2026-02-04)", tag = "secondary" },
  { code = "AE", group = "D:4", change = "removed", date = "2026-07-10",
    source = "91 FR 43034 (published 2026-07-14, effective 2026-07-10)", tag = "primary" },
  { code = "AE", group = "D:3", change = "removed", date = "2026-07-10", modelled = false,
    source = "91 FR 43034 (published 2026-07-14, effective 2026-07-10)", tag = "primary" },
  { code = "AE", group = "A:5", change = "added", date = "2026-07-10",
    source = "91 FR 43034 (published 2026-07-14, effective 2026-07-10)", tag = "primary" },
}

local MEMBERS -- group -> set of codes (final state)
local function members()
  if MEMBERS then return MEMBERS end
  MEMBERS = {}
  for g, list in pairs(M.GROUP_LISTS) do
    MEMBERS[g] = {}
    for _, c in ipairs(list) do MEMBERS[g][c] = true end
  end
  return MEMBERS
end

-- The EAR code used for group membership (Hong Kong -> China).
local function ear_code(rec) return rec.ear_as or rec.code end

local function country_arg(x, who)
  local rec, msg = M.resolve_country(x)
  if not rec then error(who .. ": " .. msg, 3) end
  return rec
end

--- tpp.dest.groups(country, as_of) -> set of country groups on that date
-- (only A:5, A:6, D:1, D:4, D:5 are modelled), and an info table with the
-- provenance of every membership and the notes that apply.
function M.groups(country, as_of)
  local rec = country_arg(country, "tpp.dest.groups")
  as_of = want_date(as_of, "as_of", "tpp.dest.groups")
  local code = ear_code(rec)
  local set = {}
  local info = { country = rec.code, ear_code = code, as_of = as_of, provenance = {}, notes = {} }
  if rec.ear_note then info.notes[#info.notes + 1] = rec.ear_note end
  local mem = members()
  for _, g in ipairs(M.GROUP_NAMES) do
    if mem[g][code] then set[g] = true end
  end
  for _, ch in ipairs(M.GROUP_CHANGES) do
    if ch.code == code and ch.modelled ~= false and as_of < ch.date then
      -- before the change: undo it
      if ch.change == "removed" then set[ch.group] = true else set[ch.group] = nil end
    end
    if ch.code == code then
      info.provenance[#info.provenance + 1] = {
        fact = ("%s %s %s on %s"):format(ch.code, ch.change == "removed" and "removed from" or "added to",
          ch.group, ch.date),
        source = ch.source, tag = ch.tag,
      }
    end
  end
  for _, g in ipairs(M.GROUP_NAMES) do
    if set[g] then
      info.provenance[#info.provenance + 1] = { fact = ("%s in %s on %s"):format(code, g, as_of),
        source = ECFR, tag = "secondary" }
    end
  end
  if code == "MO" then
    info.notes[#info.notes + 1] = "Macau is not in D:5: the EAR writes 'Macau or a destination specified " ..
      "in Country Group D:5', so tpp treats Macau explicitly wherever D:5 matters."
  end
  if as_of < "2026-07-23" then
    info.notes[#info.notes + 1] = "Group lists are the eCFR of 2026-07-23 with the dated changes tpp's " ..
      "reference records (Cambodia 2026-02-04, UAE 2026-07-10); earlier list changes are not modelled."
  end
  return set, info
end

--- Sorted list form of a group set.
function M.group_list(set)
  local out = {}
  for _, g in ipairs(M.GROUP_NAMES) do if set[g] then out[#out + 1] = g end end
  return out
end

local function in_d5_or_macau(code, as_of)
  if code == "MO" then return true, "Macau" end
  local g = M.groups(code, as_of)
  if g["D:5"] then return true, "D:5" end
  return false
end

-- ----------------------------------------------------- AI Diffusion tiers ----

-- Supp. no. 5 to part 740 para (a): the US plus 18 allies. The 18 names are
-- the list expected from the rule, NOT verified against the rule text
-- (RULES.md §5.2, §12 item 1).
M.TIER1 = { "US", "AU", "BE", "CA", "DK", "FI", "FR", "DE", "IE", "IT", "JP", "NL", "NZ", "NO", "KR", "ES",
  "SE", "TW", "GB" }
local TIER1_SET, TIER1_SOURCE

-- The Tier 1 list: the rule file's figure 'tier1.countries' when the rule
-- engine is installed (one source of truth), else M.TIER1 above.
local function tier1()
  if TIER1_SET then return TIER1_SET, TIER1_SOURCE end
  local list, source = M.TIER1, "tpp.dest.TIER1"
  local ok, rules = pcall(require, "tpp.rules")
  if ok and type(rules) == "table" and type(rules.get) == "function" then
    local okv, v = pcall(rules.get, "us-2025-01-diffusion")
    local figs = okv and type(v) == "table" and (v.figures or (type(v.def) == "table" and v.def.figures)) or nil
    local f = type(figs) == "table" and figs["tier1.countries"] or nil
    if type(f) == "table" and type(f.value) == "table" and #f.value > 0 then
      list, source = f.value, "rule file us-2025-01-diffusion, figure 'tier1.countries'"
    end
  end
  TIER1_SET, TIER1_SOURCE = {}, source
  for _, c in ipairs(list) do TIER1_SET[c] = true end
  return TIER1_SET, TIER1_SOURCE
end

--- tpp.dest.tier(country, as_of) -> 1 | 2 | 3 and an info table
-- {tier, basis, verified, tag, note}. Tier 3 = D:5 (on that date) + Macau;
-- Tier 1 = US + 18 (unverified list); Tier 2 = the rest.
function M.tier(country, as_of)
  local rec = country_arg(country, "tpp.dest.tier")
  as_of = want_date(as_of, "as_of", "tpp.dest.tier")
  local code = ear_code(rec)
  local info = { country = rec.code, as_of = as_of,
    rule = "us-2025-01-diffusion (90 FR 4544): not enforced since 2025-05-13; text still in the eCFR" }
  local d5, why = in_d5_or_macau(code, as_of)
  if d5 then
    info.tier, info.verified, info.tag = 3, true, "reported"
    info.basis = ("Tier 3 = D:5 + Macau (%s) [reported: SemiAnalysis, The Legal Wire]"):format(why)
  elseif tier1()[code] then
    info.tier, info.verified, info.tag = 1, false, "reported"
    info.basis = "Tier 1 = US + 18 allies; the 18-country list is the one expected from the rule, " ..
      "not verified against the rule text (RULES.md §5.2, §12 item 1)"
    info.list_source = select(2, tier1())
  else
    info.tier, info.verified, info.tag = 2, true, "reported"
    info.basis = "Tier 2 = every country not in Tier 1 or Tier 3 [reported]"
    info.note = "Tier 2 membership depends on the unverified Tier 1 list"
    info.verified = false
  end
  if rec.ear_note then info.note = rec.ear_note end
  return info.tier, info
end

-- ------------------------------------------------------- rule versions ----

-- What each rule version means for destinations. Features accumulate along
-- the chain; rules not listed here fall back to the version in force on the
-- date (with a note).
local F = { scope2022 = "scope2022", scope2023 = "scope2023", hbm = "hbm", diffusion = "diffusion",
  letter = "letter", h200 = "h200", proposal = "proposal" }

M.VERSIONS = {
  { id = "us-2022-10", status = "superseded", effective = "2022-10-07", superseded = "2023-11-17",
    citation = "87 FR 62186", features = { F.scope2022 } },
  { id = "us-2023-10", status = "in force", effective = "2023-11-17", citation = "88 FR 73458",
    features = { F.scope2023 } },
  { id = "us-2024-04", status = "in force", effective = "2024-04-04", citation = "89 FR 23876",
    features = { F.scope2023 } },
  { id = "us-2024-12", status = "in force", effective = "2024-12-02", citation = "89 FR 96790",
    features = { F.scope2023, F.hbm } },
  { id = "us-2025-01-diffusion", status = "not enforced", effective = "2025-01-13", compliance = "2025-05-15",
    not_enforced_from = "2025-05-13", citation = "90 FR 4544",
    features = { F.scope2023, F.hbm, F.diffusion } },
  { id = "us-2025-01-foundry", status = "in force", effective = "2025-01-16", citation = "90 FR 5298",
    features = { F.scope2023, F.hbm, F.diffusion } },
  { id = "us-2025-04-h20", status = "reported-only", effective = "2025-04-09",
    citation = "'is informed' letters to NVIDIA (H20) and AMD (MI308), NVIDIA 8-K 2025-04-15",
    features = { F.scope2023, F.hbm, F.diffusion, F.letter } },
  { id = "us-2026-01-h200", status = "in force", effective = "2026-01-15", citation = "91 FR 1684",
    features = { F.scope2023, F.hbm, F.diffusion, F.h200 } },
  { id = "us-2026-02-cambodia", status = "in force", effective = "2026-02-04", citation = "91 FR 5091",
    group_change = true, features = { F.scope2023, F.hbm, F.diffusion, F.h200 } },
  { id = "us-2026-07-uae", status = "in force", effective = "2026-07-10", citation = "91 FR 43034",
    group_change = true, features = { F.scope2023, F.hbm, F.diffusion, F.h200 } },
}
local VERSION_BY_ID = {}
for _, v in ipairs(M.VERSIONS) do
  v.has = {}
  for _, f in ipairs(v.features) do v.has[f] = true end
  VERSION_BY_ID[v.id] = v
end

-- AI OVERWATCH Act (H.R. 6875 / S. 4456) countries of concern [primary: bill text].
local OVERWATCH_CONCERN = { CN = true, MO = true, CU = true, IR = true, KP = true, RU = true, VE = true }

local function proposal_version(id)
  local low = id:lower()
  if low:find("overwatch", 1, true) or low:find("4456", 1, true) or low:find("gain", 1, true) then
    return { id = id, status = "proposal", effective = nil, citation = "bill text (not law)",
      features = { F.proposal }, has = { proposal = true },
      gain = low:find("gain", 1, true) ~= nil }
  end
  return nil
end

--- The version in force on a date for destination purposes (in force or
-- not-enforced versions; reported-only versions, proposals and the
-- group-change rules, whose effect is in the dated group lists, are never picked).
function M.version_in_force(as_of)
  local best
  for _, v in ipairs(M.VERSIONS) do
    if v.effective <= as_of and v.status ~= "reported-only" and not v.group_change then
      if not best or v.effective >= best.effective then best = v end
    end
  end
  return best
end

local function known_engine_ids()
  local ok, rules = pcall(require, "tpp.rules")
  if not ok or type(rules) ~= "table" or type(rules.list) ~= "function" then return nil end
  local ok2, list = pcall(rules.list)
  if not ok2 or type(list) ~= "table" then return nil end
  local ids = {}
  for _, r in ipairs(list) do if type(r) == "table" and r.id then ids[r.id] = r end end
  return ids
end

-- Pick the destination semantics for (rules, as_of). Returns version, notes.
local function pick_version(rules, as_of, who)
  local notes = {}
  if rules == nil then
    -- the rule engine's CFR-text choice for the date when it is installed (a
    -- version whose text holds both views, which decide() answers separately),
    -- so that classify and decide agree; else the latest version here
    local okr, engine = pcall(require, "tpp.rules")
    if okr and type(engine) == "table" and type(engine.at) == "function" then
      local oka, v = pcall(engine.at, as_of, { basis = "cfr-text" })
      if oka and v and VERSION_BY_ID[v.id] then return VERSION_BY_ID[v.id], notes end
    end
    return M.version_in_force(as_of), notes
  end
  if type(rules) ~= "string" then error(who .. ": rules: rule id (string) expected, got " .. type(rules), 3) end
  local v = VERSION_BY_ID[rules] or proposal_version(rules)
  if v then
    if v.effective and as_of < v.effective then
      notes[#notes + 1] = ("%s took effect on %s, after the as-of date %s; answered as if it applied " ..
        "(what-if)"):format(v.id, v.effective, as_of)
    end
    return v, notes
  end
  local engine = known_engine_ids()
  if engine and engine[rules] then
    local fallback = M.version_in_force(as_of)
    notes[#notes + 1] = ("rule version %s has no destination semantics of its own in tpp.dest; the " ..
      "destination answer uses %s, the version in force on %s"):format(rules,
      fallback and fallback.id or "none", as_of)
    return fallback, notes
  end
  local ids = {}
  for _, x in ipairs(M.VERSIONS) do ids[#ids + 1] = x.id end
  if engine then for id in pairs(engine) do ids[#ids + 1] = id end end
  local hint = util.did_you_mean(rules, ids)
  error(("%s: rules: unknown rule version '%s'%s"):format(who, rules,
    hint and ("; did you mean '" .. hint .. "'?") or ("; known: " .. table.concat(ids, ", "))), 3)
end

-- -------------------------------------------------------------- decide ----

local DECIDE_KEYS = {
  eccn = "string", status = "string", datacenter = "boolean", tpp = "number", dram_bw_gbs = "number",
  interconnect_gbs = "number", mbd = "number", country = "string|table", hq = "string|table",
  as_of = "string", rules = "string", exported_from_us = "boolean", basis = "string", chip = "any",
}

local SRC = {
  scope2023 = { "D:1/D:4/D:5 excluding A:5/A:6, plus Macau (88 FR 73458; §742.6(a)(6)(iii))", "secondary" },
  scope2022 = { "China (incl. Hong Kong) from 2022-10-07 (87 FR 62186); Macau from 2023-01-18 (88 FR 2821)",
    "secondary" },
  hq = { "entity headquartered in (or ultimate parent in) D:5 or Macau: licence wherever located " ..
    "(§744.23(a)(3) from 2023-11-17; §742.6(a)(6)(iii)(A); BIS guidance 2026-05-31)", "secondary" },
  uae_b = { "3A090.b RS scope names the UAE explicitly (§742.6(a)(6)(iii)(B), eCFR 2026-07-23)", "secondary" },
  c_scope = { "3A090.c: RS to or within Macau or D:5 (§742.6(a)(6)(i)(B), 89 FR 96790)", "secondary" },
  diffusion = { "3A090.a: RS 'to or within any destination worldwide' (§742.6(a)(6)(iii)(A), 90 FR 4544); " ..
    "BIS said on 2025-05-13 it would not enforce the AI Diffusion rule", "secondary" },
  nac = { "§740.8 NAC/ACA: not for items designed or marketed for datacenters and meeting 3A090.a; " ..
    "not for 3A090.c; split into NAC and ACA by 89 FR 23876 (2024-04-04)", "reported" },
  lpp = { "§740.29 LPP: up to 26,900,000 TPP per ultimate consignee per calendar year; not for D:5 or Macau",
    "reported" },
  hbm = { "§740.25 HBM: 3A090.c with memory bandwidth density < 3.3 GB/s/mm2, with purchase/shipping conditions",
    "secondary" },
  review2023 = { "2023 review policy: presumption of denial for D:5 and Macau, presumption of approval for " ..
    "other D:1/D:4 (s-w-kelly tracker summarising 88 FR 73458; not confirmed against the FR text)", "reported" },
  h200 = { "91 FR 1684 (2026-01-15): case-by-case for exports from the US to China/Macau if TPP < 21,000 and " ..
    "total DRAM bandwidth < 6,500 GB/s; reexports and D:5/Macau-headquartered entities elsewhere stay " ..
    "presumption of denial", "primary" },
  letter = { "April-2025 'is informed' letters (H20, MI308): licence to China incl. Hong Kong/Macau, D:5 and " ..
    "entities headquartered there for ICs reaching the H20's memory or interconnect bandwidth; numeric " ..
    "criteria (DRAM >= 1,400 GB/s, interconnect >= 1,100 GB/s, or sum >= 1,700 GB/s) only in bills",
    "reported" },
  groups = { ECFR, "secondary" },
}

local function prov(list, key, extra)
  local s = SRC[key]
  for _, p in ipairs(list) do if p.fact == s[1] then return end end
  list[#list + 1] = { fact = s[1], tag = s[2], source = extra }
end

local function add(list, s)
  for _, x in ipairs(list) do if x == s then return end end
  list[#list + 1] = s
end

local function check_inputs(q, who)
  if type(q) ~= "table" then error(who .. ": table of inputs expected, got " .. type(q), 3) end
  for k, v in pairs(q) do
    local want = DECIDE_KEYS[k]
    if not want then
      local hint = type(k) == "string" and util.did_you_mean(k, util.keys(DECIDE_KEYS)) or nil
      error(("%s: unknown input '%s'%s"):format(who, tostring(k),
        hint and ("; did you mean '" .. hint .. "'?") or
          ("; expected " .. table.concat(util.sorted_keys(DECIDE_KEYS), ", "))), 3)
    end
    if want ~= "any" and not want:find(type(v), 1, true) then
      error(("%s: %s: %s expected, got %s"):format(who, k, want:gsub("|", " or "), type(v)), 3)
    end
    if type(v) == "number" and (v ~= v or v < 0 or v == math.huge) then
      error(("%s: %s: got %s, expected a finite number >= 0"):format(who, k, util.num(v)), 3)
    end
  end
  if q.basis ~= nil and q.basis ~= "enforced" and q.basis ~= "cfr-text" then
    error(("%s: basis: got '%s', expected 'enforced' (default) or 'cfr-text'"):format(who, q.basis), 3)
  end
  if q.status ~= nil and q.status ~= "controlled" and q.status ~= "not-controlled" and
     q.status ~= "undetermined" then
    error(("%s: status: got '%s', expected 'controlled', 'not-controlled' or 'undetermined'")
      :format(who, q.status), 3)
  end
end

-- "3A090.a.2" -> "a"; "4A090.b" -> "b"; "3A090" -> "a" (2022 text had one paragraph).
local function item_of(eccn, who)
  local s = util.trim(eccn)
  local base, par = s:match("^([34][Aa]090)%.?([abcABC]?)")
  if not base then
    if s:upper() == "EAR99" or s:upper():match("^3A991") or s:upper():match("^4A994") or
       s:lower() == "none" or s:lower() == "not-3a090" then
      return "none", s
    end
    error(("%s: eccn: '%s' not understood; expected 3A090.a, 3A090.b, 3A090.c, 4A090.a, 4A090.b " ..
      "(or EAR99 / 3A991.p for items outside 3A090)"):format(who, s), 3)
  end
  par = par:lower()
  if base:sub(1, 1) == "4" and par == "c" then
    error(("%s: eccn: '%s': 4A090 has no paragraph c"):format(who, s), 3)
  end
  if par == "" then return "", base:upper() end
  return par, base:upper() .. "." .. par
end

-- Fill chip-derived inputs (tpp, bandwidths, datacenter, mbd, eccn) from
-- q.chip; explicit inputs win. Returns a shallow copy.
local function with_chip(q, notes, rules, as_of)
  local out = {}
  for k, v in pairs(q) do out[k] = v end
  if q.chip == nil then return out end
  local tpp = require "tpp"
  local c = tpp.chip(q.chip)
  local m = c:metrics()
  out.chip = c.data.id or c.data.name
  if out.tpp == nil then out.tpp = m.tpp end
  if out.dram_bw_gbs == nil then out.dram_bw_gbs = m.mem_bw_gbs end
  if out.interconnect_gbs == nil then out.interconnect_gbs = m.interconnect_gbs end
  if out.mbd == nil then out.mbd = m.mbd end
  if out.datacenter == nil then out.datacenter = c.data.datacenter end
  if out.eccn == nil and out.status == nil then
    local ok, rulesmod = pcall(require, "tpp.rules")
    if ok and type(rulesmod) == "table" and type(rulesmod.classify) == "function" then
      local r = rulesmod.classify(c, { rules = rules, as_of = as_of })
      out.eccn, out.status = r.eccn, r.status
      notes[#notes + 1] = ("classification from tpp.rules (%s): %s%s"):format(r.rules or "?", r.status,
        r.eccn and (" " .. r.eccn) or "")
    else
      notes[#notes + 1] = "chip given without eccn and the rule engine (tpp.rules) is not installed: " ..
        "the classification is unknown"
    end
  end
  return out
end

local function exception(id, available, why, extra)
  local e = { id = id, available = available, why = why }
  if extra then for k, v in pairs(extra) do e[k] = v end end
  return e
end

-- One view (enforced policy or CFR text) of the decision. Pure function of
-- the normalized query.
local function evaluate(ctx, cfr)
  local v, q, as_of = ctx.version, ctx.q, ctx.as_of
  local code, hqcode = ctx.code, ctx.hqcode
  local item = ctx.item
  local r = { licence_required = nil, reasons = {}, exceptions = {}, review_policy = nil,
    review_notes = {}, missing = {}, checklist = {}, provenance = {} }
  local missing, reasons = r.missing, r.reasons

  if not v then
    r.reasons[1] = "no US 3A090 control was in force on " .. as_of .. " (ECCN 3A090 was created by 87 FR " ..
      "62186, effective 2022-10-07); tpp has no rule for that date"
    add(missing, "rule version in force")
    return r
  end
  if code == nil then add(missing, "country") end
  if item == nil then add(missing, "eccn") end

  local dest_groups = code and M.groups(code, as_of) or {}
  local dest_d5 = code == "MO" or dest_groups["D:5"] == true
  local hq_d5 = false
  if hqcode then hq_d5 = hqcode == "MO" or (M.groups(hqcode, as_of))["D:5"] == true end
  local hits = {}

  if code == "US" then
    r.licence_required = false
    reasons[#reasons + 1] = "the destination is the United States: no export licence question under 3A090"
    return r
  end

  -- 3A090 destination scope
  if v.has.scope2022 and item then
    if item == "b" or item == "c" then
      reasons[#reasons + 1] = ("3A090.%s does not exist in the October-2022 text (us-2022-10)"):format(item)
      add(missing, "eccn")
      return r
    end
    if item == "a" and code then
      if code == "CN" then
        hits[#hits + 1] = "destination China" .. (ctx.country.code == "HK" and " (Hong Kong is treated as China)" or "")
      elseif code == "MO" and as_of >= "2023-01-18" then
        hits[#hits + 1] = "destination Macau (added to the scope on 2023-01-18, 88 FR 2821)"
      end
      prov(r.provenance, "scope2022")
    end
  elseif v.has.scope2023 and (item == "a" or item == "b" or item == "c") then
    if item == "c" then
      if not v.has.hbm then
        reasons[#reasons + 1] = ("3A090.c does not exist in %s (added by 89 FR 96790, effective 2024-12-02)")
          :format(v.id)
        add(missing, "eccn")
        return r
      end
      if code and dest_d5 then
        hits[#hits + 1] = code == "MO" and "3A090.c to Macau" or "3A090.c to a D:5 destination"
      end
      prov(r.provenance, "c_scope")
    else
      if code then
        local d = dest_groups["D:1"] or dest_groups["D:4"] or dest_groups["D:5"]
        local a = dest_groups["A:5"] or dest_groups["A:6"]
        if code == "MO" then
          hits[#hits + 1] = "destination Macau (named in the scope)"
        elseif d and not a then
          hits[#hits + 1] = ("destination in %s and not in A:5/A:6"):format(
            table.concat((function()
              local l = {}
              for _, g in ipairs({ "D:1", "D:4", "D:5" }) do if dest_groups[g] then l[#l + 1] = g end end
              return l
            end)(), "/"))
        elseif item == "b" and code == "AE" and as_of >= "2026-07-10" then
          hits[#hits + 1] = "3A090.b to the UAE (named explicitly after the UAE moved to A:5)"
          prov(r.provenance, "uae_b")
        elseif d and a then
          reasons[#reasons + 1] = ("destination is in %s but also in %s, so the 2023 scope excludes it")
            :format(dest_groups["D:4"] and "D:4" or "D:1", dest_groups["A:6"] and "A:6" or "A:5")
        end
        prov(r.provenance, "scope2023")
      end
      -- headquarters rule: worldwide
      if q.hq == nil then
        add(r.checklist, "buyer's headquarters (and ultimate parent's): if in D:5 or Macau, a licence is " ..
          "required wherever the buyer is located (pass hq = COUNTRY)")
      elseif hq_d5 then
        hits[#hits + 1] = ("buyer headquartered in %s (%s): licence required worldwide"):format(
          ctx.hq.name, hqcode == "MO" and "Macau" or "D:5")
        prov(r.provenance, "hq")
      end
      -- AI Diffusion CFR text: .a worldwide (compliance date 2025-05-15)
      if cfr and v.has.diffusion and item == "a" and as_of >= "2025-05-15" then
        hits[#hits + 1] = "CFR text: 3A090.a to or within any destination worldwide (AI Diffusion rule)"
        prov(r.provenance, "diffusion")
      end
    end
  elseif v.has.proposal and item then
    if item ~= "none" and code and (OVERWATCH_CONCERN[code] or (hqcode and OVERWATCH_CONCERN[hqcode])) then
      hits[#hits + 1] = "bill text: country of concern (PRC incl. Hong Kong/Macau, Cuba, Iran, North Korea, " ..
        "Russia, Venezuela) or entity headquartered there"
    end
    reasons[#reasons + 1] = ("%s is a proposal, not law"):format(v.id)
  end

  -- April-2025 letters (reported-only), only when that version is asked for
  if v.has.letter then
    local in_scope = (code and (code == "CN" or code == "MO" or dest_groups["D:5"])) or hq_d5
    local dram, ic = q.dram_bw_gbs, q.interconnect_gbs
    local meets, unknown
    if (dram and dram >= 1400) or (ic and ic >= 1100) or (dram and ic and dram + ic >= 1700) then
      meets = true
    elseif dram and ic then
      meets = false
    else
      unknown = {}
      if not dram then unknown[#unknown + 1] = "dram_bw_gbs" end
      if not ic then unknown[#unknown + 1] = "interconnect_gbs" end
    end
    prov(r.provenance, "letter")
    if in_scope then
      if meets then
        hits[#hits + 1] = ("per the April-2025 letter (reported-only): bandwidth criteria met (DRAM %s GB/s, " ..
          "interconnect %s GB/s)"):format(dram and util.fmt(dram) or "?", ic and util.fmt(ic) or "?")
        ctx.letter_hit = true
      elseif unknown then
        for _, u in ipairs(unknown) do add(missing, u) end
        ctx.letter_unknown = true
      else
        reasons[#reasons + 1] = "below the reported letter criteria (DRAM < 1,400, interconnect < 1,100 and " ..
          "sum < 1,700 GB/s)"
      end
    end
  end

  -- verdict
  if #hits > 0 then
    r.licence_required = true
    for _, h in ipairs(hits) do reasons[#reasons + 1] = h end
  elseif item == nil or code == nil or ctx.letter_unknown then
    r.licence_required = nil
  else
    r.licence_required = false
    local why -- unless a specific reason was already given
    if #reasons > 0 then why = nil
    elseif item == "none" then
      why = "item outside 3A090/4A090: no licence under the advanced-computing destination scope"
    elseif item == "covered" then
      why = ("controlled by a test of %s outside 3A090 whose destination scope does not reach %s"):format(v.id,
        ctx.country.name)
    elseif v.has.scope2022 then
      why = "destination outside the October-2022 scope (China, and Macau from 2023-01-18)"
    else
      why = ("destination %s outside the %s scope"):format(ctx.country.name,
        item == "c" and "3A090.c (Macau or D:5)" or "D:1/D:4/D:5-minus-A:5/A:6-plus-Macau")
    end
    if why then reasons[#reasons + 1] = why end
  end
  if r.licence_required == nil and item == nil and #reasons == 0 then
    reasons[#reasons + 1] = "the item's classification is unknown: pass eccn (or status = 'not-controlled')"
  end

  -- exceptions
  local needed = r.licence_required
  local not_needed = "no licence required, so no exception is needed"
  local nac_exists = v.has.scope2023 and as_of >= "2023-11-17"
  local split = as_of >= "2024-04-04"
  local ab = item == "a" or item == "b"
  local nac, aca
  if needed == false then
    nac = exception("NAC", false, not_needed, { needed = false })
    aca = exception("ACA", false, not_needed, { needed = false })
  elseif not nac_exists then
    nac = exception("NAC", false, "License Exception NAC did not exist (created by 88 FR 73458, 2023-11-17)")
    aca = exception("ACA", false, "License Exception ACA did not exist (split from NAC on 2024-04-04)")
  elseif item == "c" then
    nac = exception("NAC", false, "3A090.c is never NAC/ACA-eligible")
    aca = exception("ACA", false, "3A090.c is never NAC/ACA-eligible")
  elseif item == "none" or item == "covered" then
    nac = exception("NAC", false, "NAC/ACA cover 3A090/4A090 items, not a letter or bill requirement")
    aca = exception("ACA", false, "NAC/ACA cover 3A090/4A090 items, not a letter or bill requirement")
  elseif not ab then
    nac = exception("NAC", nil, "needs the item's classification")
    aca = exception("ACA", nil, "needs the item's classification")
  else
    local dc_block -- true/false/nil: datacenter + 3A090.a blocks NAC/ACA
    if item == "b" then dc_block = false
    elseif q.datacenter == nil then
      dc_block = nil
      add(missing, "datacenter")
    else dc_block = q.datacenter end
    local dc_why = "items designed or marketed for use in datacenters and meeting 3A090.a are excluded"
    local cfr_only = cfr and v.has.diffusion and item == "a" and code and
      not (dest_groups["D:1"] or dest_groups["D:4"] or dest_groups["D:5"] or code == "MO") and not hq_d5
    if dc_block == true then
      nac = exception("NAC", false, dc_why)
      aca = exception("ACA", false, dc_why)
    elseif cfr_only then
      nac = exception("NAC", nil, "destination outside D:1/D:4/D:5/Macau; the AI Diffusion rule expanded " ..
        "ACA's scope but tpp's reference does not record how")
      aca = exception("ACA", nil, nac.why)
    elseif dc_block == nil then
      nac = exception("NAC", nil, "undetermined: 3A090.a items designed or marketed for datacenters are " ..
        "excluded; the datacenter flag is not given")
      aca = exception("ACA", nil, nac.why)
    elseif not split then
      nac = exception("NAC", true, (item == "b" and "3A090.b" or "3A090.a not designed or marketed for " ..
        "datacenters") .. "; NAC before the 2024-04-04 split; notification to BIS (25-day review)")
      aca = exception("ACA", false, "ACA did not exist before 2024-04-04 (split from NAC by 89 FR 23876)")
    else
      local nac_dest = dest_d5 or hq_d5
      local why = item == "b" and "3A090.b" or "3A090.a not designed or marketed for datacenters"
      if nac_dest then
        nac = exception("NAC", true, why .. "; destination or buyer in Macau/D:5: NAC with prior " ..
          "notification to BIS (25-day review; BIS may still require a licence)")
        aca = exception("ACA", false, "ACA covers D:1/D:4 destinations other than Macau/D:5")
      else
        nac = exception("NAC", false, "NAC (with notification) is for Macau/D:5 destinations or " ..
          "Macau/D:5-headquartered buyers")
        aca = exception("ACA", true, why .. "; D:1/D:4 destination outside Macau/D:5: ACA, no notification")
      end
    end
  end
  if needed ~= false then prov(r.provenance, "nac") end
  r.exceptions[1], r.exceptions[2] = nac, aca

  -- LPP (AI Diffusion text)
  local lpp
  if not v.has.diffusion or as_of < "2025-01-13" then
    lpp = exception("LPP", false, "License Exception LPP exists only in the AI Diffusion text (from 2025-01-13)")
  elseif needed == false then
    lpp = exception("LPP", false, not_needed, { needed = false })
  elseif item ~= "a" then
    lpp = exception("LPP", item == nil and nil or false, "LPP covers 3A090.a items only")
  elseif dest_d5 or hq_d5 then
    lpp = exception("LPP", false, "LPP is not available for D:5 or Macau (destination or headquarters)")
  elseif cfr then
    lpp = exception("LPP", true, "up to 26,900,000 TPP per ultimate consignee per calendar year; needs the " ..
      "consignee's certification; shipments under LPP do not count against country caps (check with " ..
      "'tpp ledger')", { allowance_tpp = 26900000, tag = "reported" })
    prov(r.provenance, "lpp")
  else
    lpp = exception("LPP", nil, "LPP is AI Diffusion text, which BIS does not enforce; tpp's reference does " ..
      "not say whether exporters may rely on it for the pre-Diffusion requirement", { open_question = true })
    prov(r.provenance, "lpp")
  end
  r.exceptions[3] = lpp

  -- HBM
  local hbm
  if not v.has.hbm or as_of < "2024-12-02" then
    hbm = exception("HBM", false, "License Exception HBM did not exist (89 FR 96790, effective 2024-12-02)")
  elseif item ~= "c" then
    hbm = exception("HBM", item == nil and nil or false, "License Exception HBM covers 3A090.c only")
  elseif needed == false then
    hbm = exception("HBM", false, not_needed, { needed = false })
  elseif q.mbd == nil then
    hbm = exception("HBM", nil, "needs the memory bandwidth density (mbd, GB/s/mm2): available only below 3.3")
    add(missing, "mbd")
  elseif q.mbd < 3.3 then
    hbm = exception("HBM", true, ("memory bandwidth density %s < 3.3 GB/s/mm2; for Macau/D:5 the designer of " ..
      "the co-packaged commodity must buy directly and items ship directly to the packaging site")
      :format(util.num(q.mbd)))
    prov(r.provenance, "hbm")
  else
    hbm = exception("HBM", false, ("memory bandwidth density %s >= 3.3 GB/s/mm2"):format(util.num(q.mbd)))
    prov(r.provenance, "hbm")
  end
  r.exceptions[4] = hbm

  -- review policy
  if needed then
    local rn = r.review_notes
    if v.has.scope2022 then
      rn[#rn + 1] = "the October-2022 licence review policy is not recorded in tpp's reference"
    elseif v.has.proposal then
      rn[#rn + 1] = "proposal: no review policy in force"
    elseif ctx.letter_hit and not (item == "a" or item == "b" or item == "c") then
      rn[#rn + 1] = "letter requirement (reported-only): licences were reportedly promised from 2025-07-14/15 " ..
        "with a 15 % revenue share that no regulation codifies"
    elseif item == "c" then
      rn[#rn + 1] = "the review policy for 3A090.c is not recorded in tpp's reference"
    elseif cfr and not (dest_groups["D:1"] or dest_groups["D:4"] or dest_groups["D:5"] or code == "MO" or
        hq_d5 or (item == "b" and code == "AE")) then
      rn[#rn + 1] = "the AI Diffusion review policy for this destination is not recorded in tpp's reference"
    else
      local china = code == "CN" or code == "MO"
      if v.has.h200 and china and ab then
        prov(r.provenance, "h200")
        if q.exported_from_us == nil then
          add(missing, "exported_from_us")
          rn[#rn + 1] = "91 FR 1684 depends on whether the export is from the United States (exported_from_us)"
        elseif q.exported_from_us == false then
          r.review_policy = "presumption of denial"
          rn[#rn + 1] = "reexports, exports from abroad and in-country transfers to/within China/Macau stay " ..
            "presumption of denial (91 FR 1684) [reported]"
        elseif q.tpp == nil or q.dram_bw_gbs == nil then
          if q.tpp == nil then add(missing, "tpp") end
          if q.dram_bw_gbs == nil then add(missing, "dram_bw_gbs") end
          rn[#rn + 1] = "91 FR 1684 needs TPP and total DRAM bandwidth"
        elseif q.tpp < 21000 and q.dram_bw_gbs < 6500 then
          r.review_policy = "case-by-case"
          rn[#rn + 1] = ("TPP %s < 21,000 and DRAM bandwidth %s GB/s < 6,500: case-by-case (91 FR 1684)")
            :format(util.fmt(q.tpp), util.fmt(q.dram_bw_gbs))
          add(r.checklist, "91 FR 1684 conditions: commercially available in the US; sufficient US supply; " ..
            "China/Macau volume <= 50 % of US volume [reported]; independent third-party testing in the US; " ..
            "KYC and no unauthorized remote access")
        else
          r.review_policy = "presumption of denial"
          rn[#rn + 1] = ("TPP %s %s 21,000 or DRAM bandwidth %s GB/s %s 6,500: presumption of denial " ..
            "(91 FR 1684)"):format(util.fmt(q.tpp), q.tpp < 21000 and "<" or ">=",
            util.fmt(q.dram_bw_gbs), q.dram_bw_gbs < 6500 and "<" or ">=")
        end
      elseif dest_d5 or hq_d5 then
        r.review_policy = "presumption of denial"
        rn[#rn + 1] = (hq_d5 and not dest_d5) and "buyer headquartered in D:5/Macau: presumption of denial " ..
          "[reported]" or "D:5 or Macau destination: presumption of denial (2023 scheme) [reported]"
        prov(r.provenance, "review2023")
      else
        r.review_policy = "presumption of approval"
        rn[#rn + 1] = "D:1/D:4 destination outside D:5/Macau: presumption of approval (2023 scheme) [reported]"
        prov(r.provenance, "review2023")
      end
    end
  end
  if code then prov(r.provenance, "groups") end
  return r
end

local function outcome_text(r)
  if r.licence_required == nil then
    return "undetermined (missing: " .. table.concat(r.missing, ", ") .. ")"
  end
  if r.licence_required == false then return "no licence required" end
  local avail, open = {}, {}
  for _, e in ipairs(r.exceptions) do
    if e.available == true then avail[#avail + 1] = e.id
    elseif e.available == nil and not e.open_question then open[#open + 1] = e.id end
  end
  local s = "licence required"
  if #avail > 0 then s = s .. "; licence exception available: " .. table.concat(avail, ", ") end
  if #open > 0 and #r.missing > 0 then
    s = s .. "; undetermined whether " .. table.concat(open, "/") .. " apply (missing: " ..
      table.concat(r.missing, ", ") .. ")"
  end
  return s
end

local function same_view(a, b)
  if a.licence_required ~= b.licence_required or a.review_policy ~= b.review_policy then return false end
  for i, e in ipairs(a.exceptions) do
    if b.exceptions[i].available ~= e.available then return false end
  end
  return true
end

--- tpp.dest.decide{...}: licence decision for an advanced-computing item.
-- Inputs (all optional; missing ones make the answer undetermined where
-- they matter): eccn ("3A090.a" | "3A090.b" | "3A090.c" | "4A090.a" | ...),
-- status (classification status from tpp.rules: "not-controlled" with eccn
-- nil = outside 3A090; "controlled" with eccn nil = a letter or bill test, not
-- an ECCN paragraph; "undetermined"), datacenter, tpp, dram_bw_gbs, interconnect_gbs, mbd (GB/s/mm2),
-- country, hq, as_of (default today), rules (version id; default the one in
-- force on as_of), exported_from_us, basis ("enforced" default | "cfr-text"),
-- chip (a database name or chip: fills the chip figures, and eccn through
-- tpp.rules when installed).
-- Returns { licence_required = true|false|nil, outcome, reasons, reason_for_control,
--   exceptions = { {id, available, why}, ... NAC, ACA, LPP, HBM }, review_policy,
--   review_notes, missing, checklist, notes, provenance, answered_by,
--   views = { enforced = ..., cfr_text = ... }, cfr_text_differs, rules,
--   rules_status, as_of, country, hq, groups, tier, disclaimer }.
function M.decide(q)
  local who = "tpp.dest.decide"
  check_inputs(q, who)
  local notes = {}
  local as_of = want_date(q.as_of, "as_of", who)
  q = with_chip(q, notes, q.rules, as_of)
  local version, vnotes = pick_version(q.rules, as_of, who)
  for _, n in ipairs(vnotes) do notes[#notes + 1] = n end

  local ctx = { version = version, q = q, as_of = as_of }
  if q.country ~= nil then
    ctx.country = country_arg(q.country, who)
    ctx.code = ear_code(ctx.country)
    if ctx.country.ear_note then notes[#notes + 1] = ctx.country.ear_note end
  end
  if q.hq ~= nil then
    ctx.hq = country_arg(q.hq, who)
    ctx.hqcode = ear_code(ctx.hq)
  end
  if q.eccn ~= nil then
    local item, eccn = item_of(q.eccn, who)
    if item == "" then
      if not (version and version.has.scope2022) then
        error(("%s: eccn: '%s' has no paragraph; give %s.a, %s.b%s"):format(who, q.eccn, eccn, eccn,
          eccn:sub(1, 1) == "3" and (" or " .. eccn .. ".c") or ""), 2)
      end
      item, eccn = "a", eccn .. ".a"
    end
    ctx.item, ctx.eccn = item, eccn
    if q.status == "not-controlled" and item ~= "none" then
      error(("%s: eccn '%s' given with status 'not-controlled'; give one or the other"):format(who, q.eccn), 2)
    end
  elseif q.status == "not-controlled" then
    ctx.item = "none"
  elseif q.status == "controlled" then
    -- controlled with no ECCN paragraph: a letter or bill test (tpp.rules passes these so)
    ctx.item = "covered"
  end

  local enforced = evaluate(ctx, false)
  local cfr_view = enforced
  if version and version.has.diffusion then
    ctx.letter_hit, ctx.letter_unknown = nil, nil
    cfr_view = evaluate(ctx, true)
  end
  local differs = not same_view(enforced, cfr_view)
  local basis = q.basis or "enforced"
  local main = basis == "cfr-text" and cfr_view or enforced

  local res = {
    licence_required = main.licence_required,
    reasons = main.reasons, exceptions = main.exceptions, review_policy = main.review_policy,
    review_notes = main.review_notes, missing = main.missing, checklist = main.checklist,
    provenance = main.provenance, notes = notes,
    answered_by = basis == "cfr-text" and "CFR text" or "enforced policy",
    cfr_text_differs = differs,
    views = { enforced = enforced, cfr_text = cfr_view },
    rules = version and version.id or nil, rules_status = version and version.status or nil,
    as_of = as_of, eccn = ctx.eccn, chip = q.chip,
    disclaimer = M.DISCLAIMER,
  }
  res.outcome = outcome_text(main)
  res.licence = main.licence_required == nil and "undetermined" or
    (main.licence_required and "required" or "not required")
  for _, view in pairs(res.views) do
    for _, e in ipairs(view.exceptions) do
      e.state = e.available == nil and "undetermined" or (e.available and "available" or "not available")
    end
  end
  if main.licence_required ~= nil and (ctx.item == "a" or ctx.item == "b" or ctx.item == "c") then
    res.reason_for_control = "RS, AT"
  elseif ctx.letter_hit then
    res.reason_for_control = "'is informed' letter under §744.23 (supercomputer end-use risk) [reported]"
  elseif version and version.has.proposal and main.licence_required then
    res.reason_for_control = "bill text (proposal, not law)"
  end
  if ctx.country then
    res.country = { code = ctx.country.code, name = ctx.country.name, ear_as = ctx.country.ear_as }
    local g = M.groups(ctx.country.code, as_of)
    res.groups = M.group_list(g)
    local t, tinfo = M.tier(ctx.country.code, as_of)
    res.tier = { tier = t, verified = tinfo.verified, basis = tinfo.basis }
  end
  if ctx.hq then res.hq = { code = ctx.hq.code, name = ctx.hq.name, ear_as = ctx.hq.ear_as } end

  -- explain which view answered
  if version and version.has.diffusion then
    if differs then
      notes[#notes + 1] = ("answered by the %s; the CFR text (AI Diffusion rule, still in the eCFR) %s: %s")
        :format(res.answered_by, basis == "cfr-text" and "is shown; enforced policy" or "differs",
          outcome_text(basis == "cfr-text" and enforced or cfr_view))
    else
      notes[#notes + 1] = "CFR text (with the unenforced AI Diffusion rule) and enforced policy agree"
    end
  end
  if version and version.status == "reported-only" then
    notes[#notes + 1] = version.id .. " is reported-only: company-specific letters, not an FR rule; " ..
      "numeric criteria unconfirmed (RULES.md §12 item 3)"
  end
  if version and version.status == "proposal" then
    notes[#notes + 1] = version.id .. " is a proposal (a bill), not law"
  end
  if as_of >= "2023-10-23" and as_of < "2023-11-17" then
    notes[#notes + 1] = "USG told NVIDIA on 2023-10-23 that the licence requirement for datacenter items with " ..
      "TPP >= 4,800 applied immediately, before the 2023 rule's effective date [secondary: 8-K]"
  end
  if ctx.item == "c" and as_of >= "2024-12-02" and as_of < "2024-12-31" then
    notes[#notes + 1] = "3A090.c compliance date was 2024-12-31"
  end
  -- the reported-only H20 letter, when not asked for
  if version and not version.has.letter and as_of >= "2025-04-09" and ctx.code and
     (ctx.code == "CN" or ctx.code == "MO" or (M.groups(ctx.code, as_of))["D:5"]) then
    local dram, ic = q.dram_bw_gbs, q.interconnect_gbs
    if (dram and dram >= 1400) or (ic and ic >= 1100) or (dram and ic and dram + ic >= 1700) then
      notes[#notes + 1] = "reported-only: this chip meets the bandwidth criteria attributed to the April-2025 " ..
        "'is informed' letters (company-specific); ask with rules = 'us-2025-04-h20' for the answer per the letter"
    end
  end
  notes[#notes + 1] = "Not modelled: Entity List and other part 744 end-user/end-use controls, part 746 " ..
    "embargoes, and the foreign direct product rules."
  -- lists stay JSON arrays when empty
  local json = require "tpp.json"
  for _, view in pairs(res.views) do
    for _, k in ipairs({ "reasons", "missing", "checklist", "review_notes", "provenance", "exceptions" }) do
      json.array(view[k])
    end
  end
  json.array(res.notes)
  if res.groups then json.array(res.groups) end
  return res
end

--- A short text block for people (used by CLI commands).
function M.format(res)
  local lines = {}
  local function push(s) lines[#lines + 1] = s end
  push(("Licence: %s%s"):format(res.outcome, res.answered_by and (" [" .. res.answered_by .. "]") or ""))
  if res.country then
    push(("Destination: %s (%s)%s; groups %s; AI Diffusion tier %d%s"):format(res.country.name, res.country.code,
      res.country.ear_as and (", treated as " .. res.country.ear_as) or "",
      #res.groups > 0 and table.concat(res.groups, ", ") or "none modelled", res.tier.tier,
      res.tier.verified and "" or " (unverified list)"))
  end
  if res.hq then push(("Headquarters: %s (%s)"):format(res.hq.name, res.hq.code)) end
  push(("Rules: %s (%s), as of %s"):format(res.rules or "none", res.rules_status or "-", res.as_of))
  if res.reason_for_control then push("Reason for control: " .. res.reason_for_control) end
  for _, r in ipairs(res.reasons) do push("  - " .. r) end
  push("Licence exceptions:")
  for _, e in ipairs(res.exceptions) do
    local a = e.available == true and "yes" or (e.available == false and "no" or "undetermined")
    push(("  %-4s %-12s %s"):format(e.id, a, e.why))
  end
  push("Review policy: " .. (res.review_policy or "-"))
  for _, n in ipairs(res.review_notes) do push("  - " .. n) end
  for _, c in ipairs(res.checklist) do push("Check: " .. c) end
  for _, n in ipairs(res.notes) do push("Note: " .. n) end
  push(res.disclaimer)
  return table.concat(lines, "\n") .. "\n"
end

return M
