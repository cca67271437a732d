--- tpp.dest: destinations, dated country groups and AI Diffusion tiers.
--
--   local dest = require "tpp.dest"
--   dest.country "Hong Kong"              --> { code = "HK", ear_as = "CN", ... }
--   dest.destination "Crimea"             --> { code = "UA-CRIMEA", region = true, ... }
--   dest.groups("KH", "2026-01-01")       --> { ["D:1"] = true, ["D:5"] = true }
--   dest.tier("DE", "2025-03-01")         --> 1 (AI Diffusion rule tiers; the rule is not enforced)
--
-- The group lists and their dated changes are data (lua/tpp/regimes/country_groups.lua);
-- the licence decision is tpp.screen's. Not legal advice.
local util = require "tpp.util"
local regimes = require "tpp.regimes"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

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
    "since 85 FR 83788 (effective 2020-12-23); the Country Chart has no Hong Kong row [secondary]" },
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

M.GROUP_NAMES = { "A:5", "A:6", "D:1", "D:4", "D:5", "E:1", "E:2" }

local MEMBERS, GROUP_SOURCE -- group -> set of codes (state of the lists), group -> source
local function members()
  if MEMBERS then return MEMBERS, GROUP_SOURCE end
  MEMBERS, GROUP_SOURCE = {}, {}
  for _, g in ipairs(regimes.records("group")) do
    MEMBERS[g.id] = {}
    for _, c in ipairs(g.members) do MEMBERS[g.id][c] = true end
    GROUP_SOURCE[g.id] = g
  end
  return MEMBERS, GROUP_SOURCE
end

--- Group members as listed (the latest state), by group name: list of codes.
function M.group_members(name)
  local mem = members()
  if not mem[name] then error(("tpp.dest: no country group '%s'; groups: %s"):format(tostring(name),
    table.concat(M.GROUP_NAMES, ", ")), 2) end
  local out = {}
  for c in pairs(mem[name]) do out[#out + 1] = c end
  table.sort(out)
  return out
end

-- The EAR code used for group membership (Hong Kong -> China).
local function ear_code(rec) return rec.ear_as or rec.code end
M.ear_code = ear_code

local function country_arg(x, who)
  local rec, msg = M.resolve_destination(x)
  if not rec then error(who .. ": " .. msg, 3) end
  return rec
end

-- Memo of groups by (code, date): screening asks the same pairs many times.
local group_memo = {}

--- tpp.dest.groups(country, as_of) -> set of country groups on that date
-- (A:5, A:6, D:1, D:4, D:5, E:1, E:2), and an info table with the provenance
-- of every membership and the notes that apply.
function M.groups(country, as_of)
  local rec = country_arg(country, "tpp.dest.groups")
  as_of = want_date(as_of, "as_of", "tpp.dest.groups")
  local code = ear_code(rec)
  local memo_key = rec.code .. "|" .. as_of
  local hit = group_memo[memo_key]
  if hit then return util.deepcopy(hit[1]), util.deepcopy(hit[2]) end
  local mem, src = members()
  local set = {}
  local info = { country = rec.code, ear_code = code, as_of = as_of, provenance = {}, notes = {} }
  if rec.ear_note then info.notes[#info.notes + 1] = rec.ear_note end
  for _, g in ipairs(M.GROUP_NAMES) do
    if mem[g] and mem[g][code] then set[g] = true end
  end
  for _, ch in ipairs(regimes.records("group_change")) do
    if ch.id == code and ch.modelled ~= false and as_of < ch.date then
      -- before the change: undo it
      if ch.change == "removed" then set[ch.group] = true else set[ch.group] = nil end
    end
    if ch.id == code then
      info.provenance[#info.provenance + 1] = {
        fact = ("%s %s %s on %s"):format(ch.id, ch.change == "removed" and "removed from" or "added to",
          ch.group, ch.date),
        source = ch.source, tag = ch.provenance,
      }
    end
  end
  for _, g in ipairs(M.GROUP_NAMES) do
    if set[g] then
      info.provenance[#info.provenance + 1] = { fact = ("%s in %s on %s"):format(code, g, as_of),
        source = src[g].source, tag = src[g].provenance }
    end
  end
  if code == "MO" then
    info.notes[#info.notes + 1] = "Macau is not in D:5: the EAR writes 'Macau or a destination specified " ..
      "in Country Group D:5', so tpp treats Macau explicitly wherever D:5 matters."
  end
  if as_of < "2026-07-23" then
    local changes = {}
    for _, ch in ipairs(regimes.records("group_change")) do
      changes[#changes + 1] = ("%s %s %s on %s"):format(ch.id, ch.change, ch.group, ch.date)
    end
    info.notes[#info.notes + 1] = "Group lists are the eCFR of 2026-07-23 with the dated changes tpp records (" ..
      table.concat(changes, "; ") .. "); earlier list changes are not modelled."
  end
  group_memo[memo_key] = { set, info }
  return util.deepcopy(set), util.deepcopy(info)
end

--- The group set of a destination code on a date, shared (read it, never modify it): for code that
-- asks the same pairs many times (screening batches).
function M.groups_shared(code, as_of)
  local hit = group_memo[code .. "|" .. as_of]
  if hit then return hit[1] end
  M.groups(code, as_of)
  return group_memo[code .. "|" .. as_of][1]
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

-- Tier 1 is the rule file's figure 'tier1.countries' (the United States and 18 partners; the list is
-- the one expected from supp. no. 5 to part 740 and is not verified against the rule text).
local function tier1()
  local v = require("tpp.rules").get("us-2025-01-diffusion")
  local f = v.figures["tier1.countries"]
  local set = {}
  for _, c in ipairs(f.value) do set[c] = true end
  return set, "rule file us-2025-01-diffusion, figure 'tier1.countries'", f.value
end

--- The Tier 1 list (codes), read from the AI Diffusion rule file.
function M.tier1_list()
  local _, _, list = tier1()
  return util.deepcopy(list)
end

--- tpp.dest.tier(country, as_of) -> 1 | 2 | 3 and an info table
-- {tier, basis, verified, tag, note}. Tier 3 = D:5 (on that date) + Macau;
-- Tier 1 = US + 18 (unverified list); Tier 2 = the rest.
function M.tier(country, as_of)
  local rec = country_arg(country, "tpp.dest.tier")
  as_of = want_date(as_of, "as_of", "tpp.dest.tier")
  local code = ear_code(rec)
  local info = { country = rec.code, as_of = as_of,
    rule = ("us-2025-01-diffusion (90 FR 4544): not enforced since %s; text still in the eCFR"):format(
      require("tpp.rules").get("us-2025-01-diffusion").dates.not_enforced) }
  local d5, why = in_d5_or_macau(code, as_of)
  local set, source = tier1()
  if d5 then
    info.tier, info.verified, info.tag = 3, true, "reported"
    info.basis = ("Tier 3 = D:5 + Macau (%s) [reported: SemiAnalysis, The Legal Wire]"):format(why)
  elseif set[code] then
    info.tier, info.verified, info.tag = 1, false, "reported"
    info.basis = "Tier 1 = US + 18 allies; the 18-country list is the one expected from supp. no. 5 to " ..
      "part 740, not verified against the rule text (90 FR 4544)"
    info.list_source = source
  else
    info.tier, info.verified, info.tag = 2, true, "reported"
    info.basis = "Tier 2 = every country not in Tier 1 or Tier 3 [reported]"
    info.note = "Tier 2 membership depends on the unverified Tier 1 list"
    info.verified = false
  end
  if rec.ear_note then info.note = rec.ear_note end
  return info.tier, info
end

-- -------------------------------------------------------------- regions ----

local REGIONS, REGION_KEYS
local function load_regions()
  if REGIONS then return end
  REGIONS, REGION_KEYS = {}, {}
  for _, r in ipairs(regimes.records("region")) do
    local rec = { code = r.id, name = r.name, aliases = util.deepcopy(r.aliases or {}), region = true,
                  country = r.country, note = r.note }
    REGIONS[r.id] = rec
    REGION_KEYS[util.squash(r.id)] = r.id
    REGION_KEYS[util.squash(r.name)] = r.id
    for _, a in ipairs(r.aliases or {}) do REGION_KEYS[util.squash(a)] = r.id end
  end
end

--- Resolve a destination: a region screened on its own (Crimea, the so-called DNR/LNR), or a
-- country. Returns a fresh record or nil and a message with a did-you-mean suggestion.
function M.resolve_destination(x)
  load_regions()
  if type(x) == "table" and type(x.code) == "string" then x = x.code end
  if type(x) == "string" then
    local id = REGION_KEYS[util.squash(x)]
    if id then return util.deepcopy(REGIONS[id]) end
  end
  return M.resolve_country(x)
end

--- tpp.dest.destination(name_or_code) -> record; raises on an unknown name.
function M.destination(x)
  local rec, msg = M.resolve_destination(x)
  if not rec then error("tpp.dest: " .. msg, 2) end
  return rec
end

--- Every destination name and alias tpp knows (for suggestions).
function M.destination_names()
  load_countries()
  load_regions()
  local out = {}
  for _, n in ipairs(NAMES) do out[#out + 1] = n end
  for _, r in pairs(REGIONS) do
    out[#out + 1] = r.name
    for _, a in ipairs(r.aliases) do out[#out + 1] = a end
  end
  table.sort(out)
  return out
end

return M
