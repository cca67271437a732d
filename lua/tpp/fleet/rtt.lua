--- tpp.fleet.rtt: the proposed rolling technical threshold read against fleets.
--
-- The proposal (us-prop-2025-08-rtt) allows exports to China of chips at most
-- marginally better than the best Chinese chip "produced domestically at
-- commercially relevant scale", and caps China's aggregate AI compute at a
-- share of the US's. The rule file alone can only take the best Chinese chip in
-- the database by TPP, whatever its volume. With production rows, scale
-- becomes a volume threshold (a named, settable assumption): a chip qualifies
-- when its median production in the window before the date reaches the
-- volume. The cap is checked as China's stock / the US's stock, draw by draw,
-- on a declared basis. The margin and the cap share are read by name from the
-- rule file. A proposal decides nothing; tpp is not legal advice.
local chips = require "tpp.fleet.chips"
local dates = require "tpp.fleet.dates"
local fleet = require "tpp.fleet"
local util = require "tpp.util"
local json = require "tpp.json"

local M = {}

M.RULE = "us-prop-2025-08-rtt"
M.DEFAULT_VOLUME = 100000
M.DEFAULT_WINDOW_YEARS = 1
M.DEFAULT_PRODUCTION = "china-production"
M.DEFAULT_CHINA = "china-stock-2026-04-epoch"
M.DEFAULT_US = "us-stock-2026-04-epoch"
M.DEFAULT_CAP_BASIS = "fp16"

local function rule()
  return require("tpp.rules").get(M.RULE)
end

local function today() return os.date("!%Y-%m-%d") end

--- The line from production data. opts: production (fleet or scenario ids;
-- default china-production), as_of (default today), volume (units in the
-- window; default 100,000), window_years (default 1), draws, seed.
function M.line(opts)
  opts = opts or {}
  local as_of = opts.as_of or today()
  local day, msg = dates.parse_date(as_of)
  if not day then error("tpp.fleet.rtt: as_of: " .. msg, 0) end
  local volume = opts.volume or M.DEFAULT_VOLUME
  if type(volume) ~= "number" or volume < 0 or volume ~= volume then
    error("tpp.fleet.rtt: volume: a number of units >= 0 expected, got " .. tostring(volume), 0)
  end
  local window = opts.window_years or M.DEFAULT_WINDOW_YEARS
  if type(window) ~= "number" or window ~= window or window <= 0 then
    error("tpp.fleet.rtt: window_years: a number > 0 expected, got " .. tostring(window), 0)
  end
  local v = rule()
  local resolved = v:resolve(as_of)
  local margin = resolved["rtt.margin"].value
  local prod = fleet.as_fleet(opts.production or M.DEFAULT_PRODUCTION)
  local w1 = day + 1
  local w0 = w1 - window * dates.DAYS_PER_YEAR
  -- the part of each Chinese chip's production inside the window, one row per chip
  local rows, skipped, by_chip = {}, json.array({}), {}
  for _, r in ipairs(prod:rows()) do
    if r.kind ~= "production" then
      skipped[#skipped + 1] = { row = r.id, reason = "not a production row (" .. r.kind .. ")" }
    elseif r.aggregate then
      skipped[#skipped + 1] = { row = r.id, reason = "an aggregate in H100e: no chip" }
    elseif not r.period.start then
      skipped[#skipped + 1] = { row = r.id, reason = "undated: no volume in a window" }
    else
      local overlap = math.min(r.period.finish, w1) - math.max(r.period.start, w0)
      local frac = overlap > 0 and overlap / (r.period.finish - r.period.start) or 0
      for _, c in ipairs(r.components) do
        local chip = chips.must(c.id)
        if chip.data.country ~= "China" then
          skipped[#skipped + 1] = { row = r.id, chip = c.id, reason = "not a Chinese chip" }
        elseif frac > 0 then
          local s = c.share * frac
          local part = util.deepcopy(r)
          part.id = r.id .. ":" .. c.id
          part.components = { { id = c.id, name = c.name, share = 1 } }
          part.chip_key, part.chip_label, part.mix = c.id, c.id, nil
          part.units = { low = r.units.low * s, central = r.units.central * s, high = r.units.high * s }
          rows[#rows + 1] = part
          by_chip[c.id] = by_chip[c.id] or { rows = json.array({}) }
          table.insert(by_chip[c.id].rows, { row = r.id, share = c.share, in_window = frac })
        end
      end
    end
  end
  local out = {
    rule = M.RULE, status = v.status, as_of = as_of, volume = volume, window_years = window, margin = margin,
    window = { from = dates.date_of(math.ceil(w0)), to = as_of },
    qualification = "a chip qualifies when its median production in the window reaches the volume",
    database_line = { tpp = resolved["rtt.tpp"].value, derivation = resolved["rtt.tpp"].derivation },
    chips = json.array({}), skipped = skipped, disclaimer = fleet.DISCLAIMER,
  }
  if #rows > 0 then
    local f = fleet.from_normalized(rows, "production in the window")
    local e = f:estimate({ by = "chip", bases = {}, draws = opts.draws, seed = opts.seed })
    local best
    for _, g in ipairs(e.groups) do
      local id = g.name
      local c = chips.must(id)
      local u = g.totals.units
      local entry = { chip = id, name = c.data.name, tpp = c:metrics().tpp, p5 = u.p5, p50 = u.p50, p95 = u.p95,
                      rows = by_chip[id].rows }
      entry.qualifies = u.p50 >= volume
      out.chips[#out.chips + 1] = entry
      if entry.qualifies and entry.tpp and (not best or entry.tpp > best.tpp) then best = entry end
    end
    table.sort(out.chips, function(a, b) return (a.tpp or 0) > (b.tpp or 0) end)
    if best then
      out.reference_chip = best.chip
      out.line_tpp = best.tpp * margin
      out.derivation = ("%s (%s): TPP %s x margin %s; median production %s in the window (volume %s)"):format(
        best.name, best.chip, util.num(best.tpp), util.num(margin), util.fmt(best.p50), util.fmt(volume))
    end
  end
  if not out.line_tpp then
    out.derivation = ("no Chinese chip reached a median of %s units in the window %s..%s: the production data " ..
      "give no line (undetermined), and the database-only line stands as the rule file computes it"):format(
      util.fmt(volume), out.window.from, as_of)
  end
  out.assumptions = json.array({
    ("volume threshold: %s units in the %s year(s) before %s (a named assumption: --rtt-volume)"):format(
      util.fmt(volume), util.num(window), as_of),
    "production rows spread evenly over their periods; a mix row's units are split by its shares",
    ("margin %s read from %s (rtt.margin)"):format(util.num(margin), M.RULE),
  })
  return out
end

--- Database chips the fleet-based line would allow (TPP at most the line),
-- through the rule file's own test on a what-if version.
function M.allowed_chips(line_tpp, as_of)
  local rules = require "tpp.rules"
  local w = rules.whatif(M.RULE, { ["rtt.tpp"] = line_tpp })
  local out = json.array({})
  for _, r in ipairs(require("tpp.chips").rows()) do
    if r.country ~= "China" and r.datacenter then
      local res = rules.classify(r.id, { rules = w, as_of = as_of })
      if res.status == "not-controlled" then
        local c = chips.must(r.id)
        out[#out + 1] = { chip = r.id, name = r.name, tpp = c:metrics().tpp }
      end
    end
  end
  table.sort(out, function(a, b) return (a.tpp or 0) > (b.tpp or 0) end)
  return out
end

--- The cap: China's stock / the US's stock on a declared basis, draw by draw,
-- against the proposal's share. opts: china, us (fleets or scenario ids),
-- basis (default fp16, the basis of the shipped national aggregates), as_of
-- (a stock date: the fleets are read as of it), draws, seed.
function M.cap(opts)
  opts = opts or {}
  local v = rule()
  local share = v.figures["rtt.china_compute_cap_share"].value
  local basis = opts.basis or M.DEFAULT_CAP_BASIS
  local cn = fleet.as_fleet(opts.china or M.DEFAULT_CHINA)
  local us = fleet.as_fleet(opts.us or M.DEFAULT_US)
  if opts.as_of then
    cn, us = cn:at(opts.as_of, { retire = opts.retire }), us:at(opts.as_of, { retire = opts.retire })
  end
  local cmp = fleet.compare(cn, us, { bases = { basis }, draws = opts.draws, seed = opts.seed, threshold = share,
                                      workload = opts.workload })
  local r = cmp.ratio[basis]
  local out = { rule = M.RULE, status_of_rule = v.status, basis = basis, cap_share = share,
                china = { name = cn.name, total = cmp.a.totals[basis] },
                us = { name = us.name, total = cmp.b.totals[basis] },
                ratio = r, draws = cmp.draws, seed = cmp.seed, sources = { china = cmp.a.sources, us = cmp.b.sources },
                assumptions = json.array({}), disclaimer = fleet.DISCLAIMER }
  for _, a in ipairs(cmp.a.assumptions) do out.assumptions[#out.assumptions + 1] = "China: " .. a end
  for _, a in ipairs(cmp.b.assumptions) do out.assumptions[#out.assumptions + 1] = "US: " .. a end
  if r.unknown then
    out.verdict = "undetermined"
    out.reason = r.reason
  else
    out.p_over = r.p_above
    if r.p50 > share then
      out.verdict = "over"
    elseif r.p95 > share then
      out.verdict = "possibly over"
    else
      out.verdict = "under"
    end
    out.reason = ("China / US on the %s basis: median %s%% (p5 %s%%, p95 %s%%) against the cap of %s%%; %s%% " ..
      "of draws are over"):format(basis, ("%.1f"):format(r.p50 * 100), ("%.1f"):format(r.p5 * 100),
      ("%.1f"):format(r.p95 * 100), util.num(share * 100), ("%.1f"):format((r.p_above or 0) * 100))
    if r.partial then
      out.verdict = out.verdict .. " (partial: some rows have no figure on this basis)"
    end
  end
  out.assumptions[#out.assumptions + 1] = ("verdict: 'over' when the median ratio exceeds the cap share %s " ..
    "(read from %s, rtt.china_compute_cap_share), 'possibly over' when only the 95th percentile does"):format(
    util.num(share), M.RULE)
  return out
end

return M
