--- tpp.screen.parties: match a party's name against tpp's Entity List extract
-- (lua/tpp/regimes/entity_list.lua). Names and aliases match case- and
-- punctuation-insensitively ("HUAWEI TECHNOLOGIES CO LTD" is "Huawei
-- Technologies Co., Ltd."); a name that contains an entry's distinctive word
-- ("Huawei Cloud Singapore") is a possible match to confirm; a near miss gets
-- "did you mean". A name not found is "not found in tpp's extract": the extract
-- is not the Entity List, so it never clears a party. Not legal advice.
local regimes = require "tpp.regimes"
local util = require "tpp.util"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

-- Corporate suffixes that do not distinguish a party.
local SUFFIXES = { "coltd", "colimited", "corporationlimited", "corporation", "corp", "limited", "ltd", "inc",
  "company", "co", "group", "holdings", "llc", "gmbh", "pteltd", "plc", "sa" }

local function core_name(s)
  local k = util.squash(s)
  local changed = true
  while changed do
    changed = false
    for _, suf in ipairs(SUFFIXES) do
      if #k > #suf + 2 and k:sub(-#suf) == suf then k = k:sub(1, -#suf - 1); changed = true end
    end
  end
  return k
end
M.core_name = core_name

local index
local function build()
  if index then return index end
  index = { exact = {}, core = {}, keys = {}, names = {} }
  for _, e in ipairs(regimes.records("party")) do
    local function add_name(n)
      index.exact[util.squash(n)] = index.exact[util.squash(n)] or e
      index.core[core_name(n)] = index.core[core_name(n)] or e
      index.names[#index.names + 1] = { name = n, entry = e }
    end
    add_name(e.id)
    for _, a in ipairs(e.aliases or {}) do add_name(a) end
    for _, k in ipairs(e.keys or {}) do index.keys[#index.keys + 1] = { key = k, entry = e } end
  end
  return index
end

--- Match a name on a date. Returns { name, entry, listed (true: listed on the date), later (listed after
-- the date), possible (a distinctive word matched: confirm), how, hint (did-you-mean when not found) }.
function M.match(name, as_of)
  local ix = build()
  local out = { name = name }
  local key = util.squash(name)
  local e = ix.exact[key]
  if e then
    out.how = "exact name or alias"
  else
    e = ix.core[core_name(name)]
    if e then out.how = "same name without the corporate suffix" end
  end
  if e then
    out.entry = e
    if as_of >= e.added then out.listed = true else out.later = true end
    return out
  end
  for _, k in ipairs(ix.keys) do
    if key:find(k.key, 1, true) then
      out.entry, out.how = k.entry, ("the name contains '%s', a word of the entry's names"):format(k.key)
      if as_of >= k.entry.added then out.possible = true else out.later = true end
      return out
    end
  end
  local cands = {}
  for i, n in ipairs(ix.names) do cands[i] = core_name(n.name) end
  local hint = util.did_you_mean(core_name(name), cands, math.max(2, math.floor(#core_name(name) / 4)))
  if hint then
    for _, n in ipairs(ix.names) do
      if core_name(n.name) == hint then out.hint = n.name break end
    end
  end
  return out
end

return M
