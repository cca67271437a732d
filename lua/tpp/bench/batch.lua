--- tpp bench batch: chip metrics over a large batch in the C core versus the
-- same computation as a plain per-chip Lua loop, on the same data, in one run.
local core = require "tpp.backend"
local progress = require "tpp.progress"
local report = require "tpp.report"
local cli = require "tpp.cli"
local benchlib = require "tpp.benchlib"

local M = {
  summary = "chips/s of the batch TPP+PD path versus a per-chip Lua loop (same data, same run)",
  usage = "tpp bench batch [--n ROWS] [--sample ROWS] [--threads N] [--repeat R] [--json]",
  options = {
    n = { arg = "ROWS", help = "rows in the batch (default 10,000,000)" },
    sample = { arg = "ROWS", help = "rows timed in the Lua loop (default 1,000,000)" },
    threads = { arg = "N", help = "threads for the batch path (default: all cores)" },
    ["repeat"] = { arg = "R", help = "timed repetitions; the best is kept (default 3)" },
    seed = { arg = "S", help = "random seed (default 42)" },
  },
  max_args = 0,
}

-- The columns a realistic fleet has: a few precisions known per chip, some unknown.
local COLUMNS = {
  { "fp32", 10, 200, 0.3 }, { "fp16", 50, 5000, 0.1 }, { "bf16", 50, 5000, 0.2 },
  { "fp8", 100, 10000, 0.4 }, { "int8", 100, 10000, 0.3 }, { "fp4", 200, 20000, 0.8 },
  { "area_mm2", 100, 2500, 0.15 },
}

-- The per-chip Lua baseline: the same TPP/PD arithmetic, one chip at a time.
local BITS = { fp32 = 32, fp16 = 16, bf16 = 16, fp8 = 8, int8 = 8, fp4 = 4 }
local ORDER = { "fp32", "fp16", "bf16", "fp8", "int8", "fp4" }

local function lua_metrics(chip)
  local best, prec
  for k = 1, #ORDER do
    local p = ORDER[k]
    local v = chip[p]
    if v ~= nil then
      local t = v * BITS[p]
      if best == nil or t > best then best, prec = t, p end
    end
  end
  local pd
  if best ~= nil and chip.area_mm2 ~= nil then pd = best / chip.area_mm2 end
  return best, prec, pd
end
M.lua_metrics = lua_metrics

function M.run(args)
  local n = cli.number(args, "n", 10000000, "bench batch")
  local sample = cli.number(args, "sample", 1000000, "bench batch")
  local threads = benchlib.thread_option(args, "bench batch") or 0
  local reps = cli.number(args, "repeat", 3, "bench batch")
  local seed = cli.number(args, "seed", 42, "bench batch")
  if n < 1 or sample < 1 or reps < 1 then error("tpp bench batch: --n, --sample and --repeat must be >= 1", 0) end
  if sample > n then sample = n end

  progress.update("bench batch: generating " .. n .. " chips", 0)
  local b = core.batch_new(n)
  for i, c in ipairs(COLUMNS) do
    b:randomize(c[1], c[2], c[3], seed + i, c[4])
    progress.update("bench batch: generating", i, #COLUMNS)
  end

  -- batch path: C core over the whole batch
  local best_batch = benchlib.best_of(reps, "bench batch: C batch path", function()
    core.spec_eval(b, 0, threads, { "tpp", "pd" })
  end)

  -- Lua loop: the first `sample` rows copied into Lua tables (copy not timed)
  progress.update("bench batch: copying the sample to Lua", 0)
  local chips = {}
  local cols = {}
  for _, c in ipairs(COLUMNS) do cols[c[1]] = b:column(c[1]) end
  for i = 1, sample do
    local chip = {}
    for _, c in ipairs(COLUMNS) do chip[c[1]] = cols[c[1]][i] end
    chips[i] = chip
  end
  local tpp_out, pd_out = {}, {}
  local best_lua = benchlib.best_of(reps, "bench batch: per-chip Lua loop", function()
    -- locals, not upvalues, so the baseline loop is as fast as plain Lua gets
    local list, metrics, t_out, p_out = chips, lua_metrics, tpp_out, pd_out
    for i = 1, sample do
      local t, _, pd = metrics(list[i])
      t_out[i], p_out[i] = t, pd
    end
  end)
  progress.done()

  -- the two paths must agree on the sample, or the timing means nothing
  local mismatches = 0
  for i = 1, sample do
    local ct, cp = b:get("tpp", i), b:get("pd", i)
    if ct ~= tpp_out[i] or cp ~= pd_out[i] then mismatches = mismatches + 1 end
  end
  b:free()

  local batch_rate = n / best_batch
  local lua_rate = sample / best_lua
  local data = {
    benchmark = "batch",
    interpreter = rawget(_G, "jit") and jit.version or _VERSION,
    binding = core.binding,
    threads = threads > 0 and threads or core.threads(),
    batch = { chips = n, seconds = best_batch, chips_per_second = batch_rate },
    lua_loop = { chips = sample, seconds = best_lua, chips_per_second = lua_rate },
    ratio = batch_rate / lua_rate,
    repeats = reps,
    agree = mismatches == 0,
    mismatches = mismatches,
    goal = { ratio = 50, batch_chips_per_second = 1e8 },
  }
  local text = report.table({
    { key = "path", title = "path" },
    { key = "chips", title = "chips", align = "right", fmt = report.int },
    { key = "seconds", title = "best s", align = "right", fmt = report.fixed(4) },
    { key = "rate", title = "chips/s", align = "right", fmt = report.int },
  }, {
    { path = ("C batch (%d threads)"):format(data.threads), chips = n, seconds = best_batch, rate = batch_rate },
    { path = "per-chip Lua loop (" .. data.interpreter .. ")", chips = sample, seconds = best_lua, rate = lua_rate },
  }) .. ("\nratio: %.1fx (goal >= 50x); batch %.1f M chips/s (goal >= 100 M on two cores); " ..
    "results agree on the sample: %s\n"):format(data.ratio, batch_rate / 1e6, data.agree and "yes" or
    ("NO, " .. mismatches .. " rows differ"))
  return data, text
end

return M
