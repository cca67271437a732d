--- tpp.fleet.row: one fleet row checked and normalized.
--
-- Errors name where the row came from, the field, the value and what was
-- expected ("tpp.fleet: row 3 (h20-2024): units_low: got 1.5, expected a
-- whole number >= 0"). Nothing is guessed: a partial triple, a triple out of
-- order or an unknown chip is an error, with a suggestion where one exists.
local bases = require "tpp.fleet.bases"
local chips = require "tpp.fleet.chips"
local dates = require "tpp.fleet.dates"
local schema = require "tpp.fleet.schema"
local util = require "tpp.util"

local M = {}

-- Distribution kinds of the C core (TPP_DIST_*).
M.DIST = { exact = 0, quantiles = 1, bounds = 2 }

local function fail(where, field, msg)
  error(("tpp.fleet: %s: %s: %s"):format(where, field, msg), 0)
end

local function shown(v)
  if type(v) == "string" then return "'" .. v .. "'" end
  if type(v) == "number" then return util.num(v) end
  return tostring(v)
end

local function check_enum(where, field, v, list)
  for _, x in ipairs(list) do if x == v then return v end end
  local hint = type(v) == "string" and util.did_you_mean(v, list) or nil
  fail(where, field, ("got %s, expected one of %s%s"):format(shown(v), table.concat(list, ", "),
    hint and ("; did you mean '" .. hint .. "'?") or ""))
end

local function check_count(where, field, v)
  local col = schema.BY_NAME[field]
  if type(v) ~= "number" then fail(where, field, ("got %s, expected a whole number"):format(shown(v))) end
  if v ~= v or v == math.huge or v == -math.huge then
    fail(where, field, ("got %s, expected a finite number"):format(shown(v)))
  end
  if v ~= math.floor(v) then
    fail(where, field, ("got %s, expected a whole number of units (counts are integers)"):format(shown(v)))
  end
  if v < col.min or v > col.max then
    fail(where, field, ("got %s, expected a whole number from %s to %s"):format(shown(v), util.fmt(col.min),
      util.fmt(col.max)))
  end
  return v
end

--- Parse a chip field: a database chip, a mix "A*0.5+B*0.5" or "h100e:BASIS".
-- Returns { key, label, components = { {id, share, name} } } or { key, label, aggregate = basis }.
function M.parse_chip(text, where)
  if type(text) ~= "string" or text == "" then
    fail(where, "chip", ("got %s, expected a chip name, a mix or h100e:BASIS"):format(shown(text)))
  end
  local basis = text:match("^%s*[Hh]100[Ee]%s*:%s*(%S+)%s*$")
  if basis then
    if not bases.BASES[basis] then
      local hint = util.did_you_mean(basis, bases.ORDER)
      fail(where, "chip", ("'%s': '%s' is not a basis%s; bases: %s"):format(text, basis,
        hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(bases.ORDER, ", ")))
    end
    return { key = "h100e:" .. basis, label = "H100-equivalents (" .. basis .. " basis)", aggregate = basis,
             family = "aggregates in H100e" }
  end
  local parts = {}
  for part in (text .. "+"):gmatch("(.-)%+") do parts[#parts + 1] = part end
  local components, total = {}, 0
  for _, part in ipairs(parts) do
    local name, share = part:match("^%s*(.-)%s*%*%s*([%d%.eE%-]+)%s*$")
    if not name then
      if #parts > 1 then
        fail(where, "chip", ("'%s': each part of a mix is CHIP*SHARE (e.g. A800*0.5+H800*0.5)"):format(text))
      end
      name, share = util.trim(part), "1"
    end
    local s = tonumber(share)
    if not s or s <= 0 or s > 1 then
      fail(where, "chip", ("'%s': share '%s' of %s must be a number in (0, 1]"):format(text, share, name))
    end
    local c, msg = chips.get(name)
    if not c then fail(where, "chip", msg) end
    components[#components + 1] = { id = c.data.id, name = c.data.name, share = s }
    total = total + s
  end
  if math.abs(total - 1) > 1e-9 then
    fail(where, "chip", ("'%s': the shares of a mix must sum to 1, got %s"):format(text, util.num(total)))
  end
  table.sort(components, function(a, b) return a.id < b.id end)
  for i = 2, #components do
    if components[i].id == components[i - 1].id then
      fail(where, "chip", ("'%s': %s appears twice in the mix"):format(text, components[i].id))
    end
  end
  if #components == 1 then
    local c = components[1]
    return { key = c.id, label = c.name, components = components, family = bases.family(c.id) }
  end
  local keys, labels, families = {}, {}, {}
  for i, c in ipairs(components) do
    keys[i] = c.id .. "*" .. util.num(c.share)
    labels[i] = ("%s %s%%"):format(c.name, util.num(c.share * 100))
    families[bases.family(c.id)] = true
  end
  local fams = util.sorted_keys(families)
  return { key = table.concat(keys, "+"), label = "mix: " .. table.concat(labels, " + "), components = components,
           family = #fams == 1 and fams[1] or ("mixed: " .. table.concat(fams, " / ")), mix = true }
end

--- Check and normalize one row. `where` names it in errors ("row 3").
function M.normalize(t, where, scenario)
  where = where or "row"
  if type(t) ~= "table" then fail(where, "row", "a table of fields expected, got " .. type(t)) end
  local label = type(t.id) == "string" and (where .. " (" .. t.id .. ")") or where
  for k in pairs(t) do
    if type(k) ~= "string" or not schema.BY_NAME[k] then
      local hint = type(k) == "string" and util.did_you_mean(k, schema.NAMES) or nil
      fail(label, tostring(k), "unknown column" .. (hint and ("; did you mean '" .. hint .. "'?") or
        ("; columns: " .. table.concat(schema.NAMES, ", "))))
    end
  end
  for _, col in ipairs(schema.COLUMNS) do
    local v = t[col.name]
    if v == "" then v = nil end
    if v == nil and col.required then fail(label, col.name, "missing; " .. col.help) end
    if v ~= nil then
      if col.type == "string" and type(v) ~= "string" then
        fail(label, col.name, ("got %s, expected text"):format(shown(v)))
      elseif col.type == "number" and (type(v) ~= "number" or v ~= v or v < col.min or v > col.max) then
        fail(label, col.name, ("got %s, expected a number from %s to %s"):format(shown(v), util.num(col.min),
          util.num(col.max)))
      end
    end
  end
  local r = {
    id = t.id, holder = t.holder, country = t.country ~= "" and t.country or nil, source = t.source,
    note = t.note ~= "" and t.note or nil, retire_years = t.retire_years, scenario = scenario,
  }
  r.kind = check_enum(label, "kind", t.kind, schema.KINDS)
  r.provenance = check_enum(label, "provenance", t.provenance, schema.PROVENANCE)
  -- units: an exact count, or a triple read as `interval`
  local has_triple = t.units_low ~= nil or t.units_central ~= nil or t.units_high ~= nil
  local interval = t.interval
  if interval ~= nil and interval ~= "" then check_enum(label, "interval", interval, schema.INTERVALS) else interval = nil end
  if t.units ~= nil then
    if has_triple then
      fail(label, "units", "give either units (an exact count) or units_low/units_central/units_high, not both")
    end
    if interval and interval ~= "exact" then
      fail(label, "interval", ("'%s' needs a range: give units_low/units_central/units_high instead of units")
        :format(interval))
    end
    local n = check_count(label, "units", t.units)
    r.units = { low = n, central = n, high = n }
    r.interval = "exact"
  elseif has_triple then
    local missing = {}
    for _, f in ipairs({ "units_low", "units_central", "units_high" }) do
      if t[f] == nil then missing[#missing + 1] = f end
    end
    if #missing > 0 then
      fail(label, missing[1], ("missing; a range needs all of units_low, units_central and units_high (%s " ..
        "missing); tpp does not guess a central value or a bound"):format(table.concat(missing, ", ")))
    end
    local lo = check_count(label, "units_low", t.units_low)
    local c = check_count(label, "units_central", t.units_central)
    local hi = check_count(label, "units_high", t.units_high)
    if lo > c or c > hi then
      fail(label, "units", ("the triple is out of order: expected units_low <= units_central <= units_high, got " ..
        "%s / %s / %s"):format(util.fmt(lo), util.fmt(c), util.fmt(hi)))
    end
    interval = interval or "p90"
    if interval == "exact" and (lo ~= c or c ~= hi) then
      fail(label, "interval", "'exact' needs units_low = units_central = units_high")
    end
    if schema.COVERAGE[interval] and lo == 0 and hi > 0 then
      fail(label, "units_low", ("0 cannot be a percentile of a lognormal (interval %s); give a low > 0, or set " ..
        "interval = bounds to read the range as hard bounds (triangular)"):format(interval))
    end
    r.units = { low = lo, central = c, high = hi }
    r.interval = interval
  else
    fail(label, "units", "missing; give units (an exact count) or units_low/units_central/units_high")
  end
  r.coverage = schema.COVERAGE[r.interval]
  r.dist = (r.interval == "exact" or r.units.low == r.units.high) and M.DIST.exact or
    (r.interval == "bounds" and M.DIST.bounds or M.DIST.quantiles)
  local chip = M.parse_chip(t.chip, label)
  r.chip = t.chip
  r.chip_key, r.chip_label, r.components, r.aggregate, r.family, r.mix = chip.key, chip.label, chip.components,
    chip.aggregate, chip.family, chip.mix
  local p, msg = dates.parse_period(t.period)
  if not p then fail(label, "period", msg) end
  r.period = p
  return r
end

--- A row back as the plain fields of the schema (for --set, JSON and CSV).
function M.fields(r)
  local out = { id = r.id, holder = r.holder, country = r.country, chip = r.chip, period = r.period.text,
                kind = r.kind, source = r.source, provenance = r.provenance, note = r.note,
                retire_years = r.retire_years }
  if r.interval == "exact" and r.units.low == r.units.high then
    out.units = r.units.central
  else
    out.units_low, out.units_central, out.units_high = r.units.low, r.units.central, r.units.high
    out.interval = r.interval
  end
  return out
end

return M
