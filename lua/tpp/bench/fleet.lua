--- tpp bench fleet: the fleet Monte Carlo in the C core (tpp.fleet, csrc/fleet.c)
-- against the same simulation as a plain Lua loop, on the same 10,000-row
-- fleet, in one run. The Lua loop runs a fraction of the draws and is scaled
-- to the full count (it says so); both must agree on the total's median.
local core = require "tpp.backend"
local fleet = require "tpp.fleet"
local bases = require "tpp.fleet.bases"
local progress = require "tpp.progress"
local report = require "tpp.report"
local cli = require "tpp.cli"
local benchlib = require "tpp.benchlib"
local util = require "tpp.util"

local M = {
  summary = "fleet Monte Carlo: row-draws/s in the C core vs a plain Lua loop (same fleet, same run)",
  usage = "tpp bench fleet [--rows N] [--draws D] [--lua-draws D] [--groups G] [--threads N] [--repeat R] " ..
    "[--seed S] [--json]",
  options = {
    rows = { arg = "N", help = "rows in the fleet (default 10,000)" },
    draws = { arg = "D", help = "Monte Carlo draws in the C core (default 100,000)" },
    ["lua-draws"] = { arg = "D", help = "draws run by the Lua loop, scaled to --draws (default 200)" },
    groups = { arg = "G", help = "holders (groups) in the fleet (default 20)" },
    threads = { arg = "N", help = "threads for the C core (default: all cores)" },
    ["repeat"] = { arg = "R", help = "timed repetitions of the C path; the best is kept (default 3)" },
    seed = { arg = "S", help = "seed of the fleet and the draws (default 42)" },
  },
  max_args = 0,
}

-- Chips the synthetic fleet draws from: known on every basis.
M.CHIPS = { "nv_h20", "nv_h100_sxm", "nv_h800_sxm", "nv_a800_sxm", "nv_a100_sxm80", "nv_h200_sxm", "nv_b200",
            "hw_910b", "hw_910c", "camb_mlu590", "amd_mi300x", "nv_l20", "intel_gaudi2", "goog_tpuv5p" }

-- A deterministic generator for the synthetic fleet (the same rows in every
-- interpreter): a 31-bit linear congruential sequence.
local function lcg(seed)
  local s = seed % 2147483647
  if s <= 0 then s = s + 2147483646 end
  return function()
    s = (s * 16807) % 2147483647
    return s / 2147483647
  end
end

--- The synthetic fleet: `n` rows over `groups` holders, a quarter of them
-- hard bounds, a tenth exact, the rest p5/p95 ranges.
function M.make_fleet(n, groups, seed)
  local rnd = lcg(seed)
  local rows = {}
  for i = 1, n do
    local c = math.floor(1000 + rnd() * 99000)
    local kind = rnd()
    local r = { id = "r" .. i, holder = "holder " .. (1 + (i - 1) % groups), country = "CN",
                chip = M.CHIPS[1 + math.floor(rnd() * #M.CHIPS)], period = "2025", kind = "shipment",
                provenance = "user", source = "tpp bench fleet (synthetic)" }
    if kind < 0.1 then
      r.units = c
    else
      r.units_low = math.floor(c * (0.4 + 0.5 * rnd()))
      r.units_central = c
      r.units_high = math.floor(c * (1.1 + 1.5 * rnd()))
      r.interval = kind < 0.35 and "bounds" or "p90"
    end
    rows[i] = r
  end
  return fleet.new(rows, { name = ("synthetic fleet of %d rows"):format(n) })
end

-- ---- the plain Lua loop -----------------------------------------------------------

-- The inverse of the standard normal CDF (Acklam's rational approximation,
-- relative error < 1.2e-9), in plain Lua.
local A = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00 }
local B = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01 }
local C = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00 }
local D = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 }
local function normal_quantile(p)
  local sqrt, log = math.sqrt, math.log
  if p < 0.02425 then
    local q = sqrt(-2 * log(p))
    return (((((C[1] * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) * q + C[6]) /
      ((((D[1] * q + D[2]) * q + D[3]) * q + D[4]) * q + 1)
  elseif p > 1 - 0.02425 then
    local q = sqrt(-2 * log(1 - p))
    return -(((((C[1] * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) * q + C[6]) /
      ((((D[1] * q + D[2]) * q + D[3]) * q + D[4]) * q + 1)
  end
  local q = p - 0.5
  local r = q * q
  return (((((A[1] * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * r + A[6]) * q /
    (((((B[1] * r + B[2]) * r + B[3]) * r + B[4]) * r + B[5]) * r + 1)
end
M.normal_quantile = normal_quantile

--- The same simulation as plain Lua: per draw, the serving factor of each
-- chip, then every row's units times each basis's factor into its group.
-- Returns the fleet totals of every draw on `basis_index` (1 = units).
function M.lua_simulate(rows, factors, n_groups, draws, seed, basis_index)
  local rnd = lcg(seed)
  local exp, sqrt = math.exp, math.sqrt
  local n_bases, n_chips = factors.n_bases, factors.n_chips
  local out = {}
  local fdraw = {}
  local totals = {}
  for d = 1, draws do
    for k = 1, n_bases * n_chips do
      local lo, c, hi = factors.low[k], factors.central[k], factors.high[k]
      if lo == hi then
        fdraw[k] = c
      else
        local z = normal_quantile(rnd())
        local zc = normal_quantile(0.5 + 0.5 * factors.coverage[k])
        fdraw[k] = c * exp(z * (z < 0 and math.log(c / lo) or math.log(hi / c)) / zc)
      end
    end
    for k = 1, n_bases * n_groups do totals[k] = 0 end
    for i = 1, #rows.low do
      local lo, c, hi, kind = rows.low[i], rows.central[i], rows.high[i], rows.kind[i]
      local x
      if kind == 0 then
        x = c
      elseif kind == 1 then
        local z = normal_quantile(rnd())
        local zc = normal_quantile(0.5 + 0.5 * rows.coverage[i])
        x = c * exp(z * (z < 0 and math.log(c / lo) or math.log(hi / c)) / zc)
      else
        local u = rnd()
        local m = (c - lo) / (hi - lo)
        x = u < m and lo + sqrt(u * (hi - lo) * (c - lo)) or hi - sqrt((1 - u) * (hi - lo) * (hi - c))
      end
      local g, h = rows.group[i], rows.chip[i]
      for b = 1, n_bases do
        local f = fdraw[(b - 1) * n_chips + h]
        if f then
          local k = (b - 1) * n_groups + g
          totals[k] = totals[k] + x * f
        end
      end
    end
    local t = 0
    for g = 1, n_groups do t = t + totals[(basis_index - 1) * n_groups + g] end
    out[d] = t
  end
  return out
end

local function median(list)
  local t = {}
  for i, v in ipairs(list) do t[i] = v end
  table.sort(t)
  local n = #t
  local h = (n - 1) * 0.5
  local lo = math.floor(h)
  return t[lo + 1] + (h - lo) * ((t[lo + 2] or t[lo + 1]) - t[lo + 1])
end

-- The columns the C core takes, built once from the fleet (as tpp.fleet does).
local function columns(f, workload)
  local cols = { "units" }
  for _, b in ipairs(bases.ORDER) do cols[#cols + 1] = b end
  local chip_index, chip_ids, group_index, n_groups = {}, {}, {}, 0
  local rows = { low = {}, central = {}, high = {}, kind = {}, coverage = {}, group = {}, chip = {} }
  for i, r in ipairs(f:rows()) do
    if not chip_index[r.chip_key] then
      chip_ids[#chip_ids + 1] = r.chip_key
      chip_index[r.chip_key] = #chip_ids
    end
    if not group_index[r.holder] then
      n_groups = n_groups + 1
      group_index[r.holder] = n_groups
    end
    rows.low[i], rows.central[i], rows.high[i] = r.units.low, r.units.central, r.units.high
    rows.kind[i], rows.coverage[i] = r.dist, r.coverage or 0.9
    rows.group[i], rows.chip[i] = group_index[r.holder], chip_index[r.chip_key]
  end
  local factors = { n_bases = #cols, n_chips = #chip_ids, low = {}, central = {}, high = {}, coverage = {} }
  for b, basis in ipairs(cols) do
    for h, id in ipairs(chip_ids) do
      local k = (b - 1) * #chip_ids + h
      factors.coverage[k] = 0.9
      if basis == "units" then
        factors.low[k], factors.central[k], factors.high[k] = 1, 1, 1
      else
        local fct = bases.factor(id, basis, workload)
        factors.low[k], factors.central[k], factors.high[k] = fct.low, fct.central, fct.high
        factors.coverage[k] = fct.coverage or 0.9
      end
    end
  end
  return rows, factors, n_groups
end

function M.run(args)
  local n = cli.number(args, "rows", 10000, "bench fleet")
  local draws = cli.number(args, "draws", 100000, "bench fleet")
  local lua_draws = cli.number(args, "lua-draws", 200, "bench fleet")
  local groups = cli.number(args, "groups", 20, "bench fleet")
  local reps = cli.number(args, "repeat", 3, "bench fleet")
  local seed = cli.number(args, "seed", 42, "bench fleet")
  local threads = benchlib.threads(args, "fleet")
  for _, v in ipairs({ { "rows", n }, { "draws", draws }, { "lua-draws", lua_draws }, { "groups", groups },
                       { "repeat", reps } }) do
    if v[2] < 1 or v[2] ~= math.floor(v[2]) then
      error(("tpp bench fleet: --%s: a whole number >= 1 expected"):format(v[1]), 0)
    end
  end
  if lua_draws > draws then lua_draws = draws end
  progress.update("bench fleet: building the fleet", 0)
  local f = M.make_fleet(n, groups, seed)
  local workload = bases.workload()
  local rows, factors, n_groups = columns(f, workload)

  -- the C core: the simulation alone, and the whole estimate (with its summaries)
  local sim_best = benchlib.best_of(reps, "bench fleet: C core simulation", function()
    local d = core.fleet_simulate(rows, factors, { draws = draws, seed = seed, groups = n_groups })
    d:free()
  end)
  local est
  local est_best = benchlib.best_of(reps, "bench fleet: tpp.fleet estimate", function()
    est = f:estimate({ draws = draws, seed = seed, by = "holder" })
  end)

  -- the Lua loop on a fraction of the draws
  progress.update("bench fleet: plain Lua loop", 0)
  local t0 = core.now()
  local lua_totals = M.lua_simulate(rows, factors, n_groups, lua_draws, seed, 2)
  local lua_seconds = core.now() - t0
  progress.done()

  local c_p50 = est.totals.tpp.p50
  local lua_p50 = median(lua_totals)
  local diff = math.abs(lua_p50 - c_p50) / c_p50
  local row_draws = n * draws
  local c_rate = row_draws / sim_best
  local lua_rate = n * lua_draws / lua_seconds
  local data = {
    benchmark = "fleet",
    interpreter = rawget(_G, "jit") and jit.version or _VERSION,
    binding = core.binding, threads = threads, rows = n, groups = n_groups, bases = factors.n_bases,
    draws = draws,
    c = { seconds = sim_best, row_draws_per_second = c_rate },
    estimate = { seconds = est_best, note = "the whole tpp.fleet estimate: columns, simulation, summaries" },
    lua_loop = { draws = lua_draws, seconds = lua_seconds, row_draws_per_second = lua_rate,
                 scaled_seconds = lua_seconds * draws / lua_draws,
                 note = ("the Lua loop ran %d of the %d draws; its time is scaled by %s"):format(lua_draws, draws,
                   util.num(draws / lua_draws)) },
    ratio = c_rate / lua_rate,
    p50 = { c = c_p50, lua = lua_p50, relative_difference = diff },
    agree = diff < 0.01,
    repeats = reps,
    goal = { seconds = 1, ratio = 50 },
  }
  local text = report.table({
    { key = "path", title = "path" },
    { key = "draws", title = "draws", align = "right", fmt = report.int },
    { key = "seconds", title = "best s", align = "right", fmt = report.fixed(3) },
    { key = "rate", title = "row-draws/s", align = "right", fmt = function(v) return ("%.3g"):format(v) end },
  }, {
    { path = ("C core simulation (%d threads)"):format(threads), draws = draws, seconds = sim_best, rate = c_rate },
    { path = "tpp.fleet estimate (simulation + summaries)", draws = draws, seconds = est_best, rate = row_draws / est_best },
    { path = "plain Lua loop (" .. data.interpreter .. ")", draws = lua_draws, seconds = lua_seconds, rate = lua_rate },
  }) .. ("\n%s rows x %s draws, %d holders, %d bases. Ratio: %.0fx (goal >= 50x); C simulation %.2f s, whole " ..
    "estimate %.2f s (goal under 1 s on two cores).\n%s.\nTotal's median on the TPP basis: C %s, Lua %s " ..
    "(%.2f%% apart; agree within 1%%: %s).\n"):format(util.fmt(n), util.fmt(draws), n_groups, factors.n_bases,
    data.ratio, sim_best, est_best, data.lua_loop.note, util.fmt(c_p50), util.fmt(lua_p50), diff * 100,
    data.agree and "yes" or "NO")
  return data, text
end

return M
