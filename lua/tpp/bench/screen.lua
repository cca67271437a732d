--- tpp bench screen: screened transactions per second for (chip, destination, headquarters,
-- date) rows through the compiled C path (tables compiled from the regime data, csrc/screen.c)
-- against the per-transaction Lua decision path (tpp.screen) in the same run; both must agree
-- on the sample.
local core = require "tpp.backend"
local progress = require "tpp.progress"
local report = require "tpp.report"
local cli = require "tpp.cli"
local benchlib = require "tpp.benchlib"

local M = {
  summary = "screened transactions/s: compiled C tables vs the per-transaction Lua decision path",
  usage = "tpp bench screen [--n ROWS] [--sample ROWS] [--threads N] [--repeat R] [--seed S] [--json]",
  options = {
    n = { arg = "ROWS", help = "rows in the batch (default 1,000,000)" },
    sample = { arg = "ROWS", help = "rows screened one by one through the Lua path (default 2,000)" },
    threads = { arg = "N", help = "threads for the C path (default: all cores)" },
    ["repeat"] = { arg = "R", help = "timed repetitions; the best is kept (default 5)" },
    seed = { arg = "S", help = "random seed (default 42)" },
  },
  max_args = 0,
}

M.CHIPS = { "H20", "H100", "H200", "B200", "A800", "RTX 4090", "RTX 4090D", "MI308X", "Ascend 910B", "L20" }
M.DESTS = { "China", "Hong Kong", "Macau", "Vietnam", "Saudi Arabia", "UAE", "Israel", "Germany", "Taiwan",
  "Malaysia", "India", "Russia", "Iran", "Cuba", "Crimea", "United States" }
M.HQS = { "China", "United States", "Macau" }

-- xorshift-like LCG for reproducible rows (not statistics)
local function rng(seed)
  local s = seed % 2147483647
  if s <= 0 then s = s + 2147483646 end
  return function(n)
    s = (s * 48271) % 2147483647
    return s % n
  end
end

function M.run(args)
  local batch = require "tpp.screen.batch"
  local n = cli.number(args, "n", 1000000, "bench screen")
  local sample = cli.number(args, "sample", 2000, "bench screen")
  local threads = cli.number(args, "threads", 0, "bench screen")
  local reps = cli.number(args, "repeat", 5, "bench screen")
  local seed = cli.number(args, "seed", 42, "bench screen")
  if n < 1 or sample < 1 or reps < 1 or n ~= math.floor(n) then
    error(require("tpp.errors").usage("tpp bench screen: --n, --sample and --repeat must be integers >= 1"), 0)
  end
  if sample > n then sample = n end

  progress.update("bench screen: compiling the tables from the regime data", 0)
  local t0 = core.now()
  local compiled = batch.compile { chips = M.CHIPS, dests = M.DESTS, hqs = M.HQS }
  local compile_s = core.now() - t0

  -- rows: every date from the first rule to the last boundary, uniformly
  progress.update("bench screen: generating " .. n .. " rows", 0)
  local days = {}
  do
    local metrics = require "tpp.rules.metrics"
    local first, last = compiled.segments[1], compiled.segments[#compiled.segments]
    local y, m, d = first:match("^(%d+)-(%d+)-(%d+)$")
    local t = os.time { year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 }
    while true do
      local s = os.date("%Y-%m-%d", t)
      days[#days + 1] = s
      if s >= last then break end
      t = t + 86400
    end
    for i, s in ipairs(days) do days[i] = { s, metrics.date_number(s) } end
  end
  local r = rng(seed)
  local nc, nd, nh, nday = #M.CHIPS, #M.DESTS, #M.HQS, #days
  local chip, dst, hq, date, date_s = {}, {}, {}, {}, {}
  for i = 1, n do
    chip[i], dst[i] = r(nc), r(nd)
    local h = r(nh + 1)
    hq[i] = h == nh and -1 or h
    local dd = days[r(nday) + 1]
    date[i] = dd[2]
    if i <= sample then date_s[i] = dd[1] end
  end
  local b = core.batch_new(n)
  b:set_column("chip", chip)
  b:set_column("dest", dst)
  b:set_column("hq", hq)
  b:set_column("date", date)

  local best_c = benchlib.best_of(reps, "bench screen: compiled C path", function()
    batch.run(compiled, b, threads)
  end)
  local best_c1 = benchlib.best_of(reps, "bench screen: compiled C path, 1 thread", function()
    batch.run(compiled, b, 1)
  end)

  -- the per-transaction Lua decision path on the first `sample` rows
  local lua_code, lua_review = {}, {}
  local best_lua = benchlib.best_of(math.min(reps, 2), "bench screen: per-transaction Lua path", function()
    local lua_row = batch.lua_row
    for i = 1, sample do
      lua_code[i], lua_review[i] = lua_row(compiled, chip[i] + 1, dst[i] + 1, hq[i] >= 0 and (hq[i] + 1) or nil,
        date_s[i])
    end
  end)
  progress.done()

  local mismatches, counts = 0, { [0] = 0, 0, 0, 0 }
  for i = 1, sample do
    local code = b:get("decision", i)
    local rc = b:get("review", i)
    local rev = rc and compiled.reviews[rc] or nil
    if code ~= lua_code[i] or rev ~= lua_review[i] then mismatches = mismatches + 1 end
    counts[lua_code[i]] = counts[lua_code[i]] + 1
  end
  b:free()

  local c_rate, c1_rate, lua_rate = n / best_c, n / best_c1, sample / best_lua
  local used = threads > 0 and threads or core.threads()
  local data = {
    benchmark = "screen", interpreter = rawget(_G, "jit") and jit.version or _VERSION, binding = core.binding,
    threads = used, cores = core.cpu_count(),
    tables = { segments = #compiled.segments, chips = nc, destinations = nd, headquarters = nh,
               decisions_computed = compiled.cells, compile_seconds = compile_s },
    compiled = { rows = n, seconds = best_c, transactions_per_second = c_rate, threads = used },
    compiled_one_thread = { rows = n, seconds = best_c1, transactions_per_second = c1_rate },
    lua_path = { rows = sample, seconds = best_lua, transactions_per_second = lua_rate },
    ratio = c_rate / lua_rate, ratio_one_thread = c1_rate / lua_rate,
    repeats = reps, agree = mismatches == 0, mismatches = mismatches, sample = sample,
    sample_decisions = { no_licence_required = counts[0], licence_required = counts[1], prohibited = counts[2],
                         undetermined = counts[3] },
    goal = { transactions_per_second = 1e6, ratio = 50, cores = 2 },
  }
  local text = report.table({
    { key = "path", title = "path" },
    { key = "rows", title = "rows", align = "right", fmt = report.int },
    { key = "seconds", title = "best s", align = "right", fmt = report.fixed(4) },
    { key = "rate", title = "transactions/s", align = "right", fmt = report.int },
    { key = "ratio", title = "vs Lua", align = "right", fmt = function(x) return ("%.1fx"):format(x) end },
  }, {
    { path = ("compiled C tables (%d threads)"):format(used), rows = n, seconds = best_c, rate = c_rate,
      ratio = data.ratio },
    { path = "compiled C tables (1 thread)", rows = n, seconds = best_c1, rate = c1_rate, ratio = data.ratio_one_thread },
    { path = "per-transaction Lua path (" .. data.interpreter .. ")", rows = sample, seconds = best_lua,
      rate = lua_rate, ratio = 1 },
  }) .. ("\n%d rows: %.1f M transactions/s on %d threads (goal >= 1 M on two cores), %.0fx the Lua path " ..
    "(goal >= 50x); tables: %d date segments, %d decisions computed in %.1f s; both paths agree on the %d-row " ..
    "sample: %s\n"):format(n, c_rate / 1e6, used, data.ratio, #compiled.segments, compiled.cells, compile_s,
    sample, data.agree and "yes" or ("NO, " .. mismatches .. " rows differ"))
  return data, text
end

return M
