--- tpp bench infer: serving-model configurations per second, a sweep of
-- chips x models x plans x batches through the C core (tpp_serve_sweep, all
-- threads) against a per-configuration Lua loop calling the same core one
-- configuration at a time (core.serve_eval), in the same run; the sampled
-- configurations of the loop are checked equal to the sweep's.
local core = require "tpp.backend"
local tpp = require "tpp"
local serve = require "tpp.serve"
local benchlib = require "tpp.benchlib"
local progress = require "tpp.progress"
local report = require "tpp.report"

local M = {
  summary = "serving-model configurations/s: a C sweep (chips x models x plans x batches) vs a Lua loop",
  usage = "tpp bench infer [--n CONFIGS] [--sample CONFIGS] [--threads N] [--repeat R] [--json]",
  options = {
    n = { arg = "CONFIGS", help = "configurations in the sweep (default 1,000,000)" },
    sample = { arg = "CONFIGS", help = "configurations timed in the Lua loop (default 20,000)" },
    threads = { arg = "N", help = "threads for the sweep (default: all cores)" },
    ["repeat"] = { arg = "R", help = "timed repetitions; the best is kept (default 5)" },
  },
  max_args = 0,
}

M.PLANS = {}
for _, tp in ipairs({ 1, 2, 4, 8 }) do
  for _, pp in ipairs({ 1, 2, 4 }) do M.PLANS[#M.PLANS + 1] = { tp = tp, pp = pp, ep = 1 } end
end

--- The sweep's inputs: every database chip the model can run, every preset
-- at fp8 weights and a bf16 KV cache, the plans above, and enough batches
-- (1, 2, ...) to reach n configurations.
function M.inputs(n)
  local chips, ids = {}, {}
  for _, c in ipairs(tpp.chips()) do
    local hw = serve.hardware(c, "fp8", "bf16")
    if hw then
      local lk = serve.links.of(c)
      chips[#chips + 1] = { gemm_tflops = hw.gemm_tflops, attn_tflops = hw.attn_tflops, mem_bw_gbs = hw.mem_bw_gbs,
                            mem_gb = hw.mem_gb, scaleup_gbs = lk.scaleup_gbs or 0, scaleout_gbs = lk.scaleout_gbs or 0,
                            scaleup_us = lk.scaleup_us, scaleout_us = lk.scaleout_us, scaleup_size = lk.size }
      ids[#ids + 1] = c.data.id
    end
  end
  local models = {}
  for _, k in ipairs(serve.models.names()) do
    models[#models + 1] = (serve.models.shape(serve.models.get(k), "fp8", "bf16"))
  end
  local per_batch = #chips * #models * #M.PLANS
  local nb = math.max(1, math.ceil(n / per_batch))
  local batches = {}
  for b = 1, nb do batches[b] = b end
  local tbl = serve.efficiency.default()
  local base = { work = { input_tokens = 1024, output_tokens = 256 },
                 eff = { mem = 0.6, compute = 0.5, roofline_p = tbl:roofline_p(), step_us = 100 } }
  return { chips = chips, ids = ids, models = models, plans = M.PLANS, batches = batches, base = base,
           n = #chips * #models * #M.PLANS * nb }
end

-- Configuration i (1-based) of the sweep's order: chip, model, plan, batch.
local function config_of(inp, i)
  local nb, np, nm = #inp.batches, #inp.plans, #inp.models
  local k = i - 1
  local b = k % nb; k = (k - b) / nb
  local p = k % np; k = (k - p) / np
  local m = k % nm
  local c = (k - m) / nm
  return {
    chip = inp.chips[c + 1], model = inp.models[m + 1], plan = inp.plans[p + 1],
    work = { batch = inp.batches[b + 1], input_tokens = 1024, output_tokens = 256 }, eff = inp.base.eff,
  }
end

function M.run(args)
  local threads = benchlib.threads(args, "infer")
  local cli = require "tpp.cli"
  local n = cli.number(args, "n", 1000000, "bench infer")
  local sample = cli.number(args, "sample", 20000, "bench infer")
  local reps = cli.number(args, "repeat", 5, "bench infer")
  if n < 1 or sample < 1 or reps < 1 then error("tpp bench infer: --n, --sample and --repeat must be >= 1", 0) end
  local inp = M.inputs(n)
  local summary
  -- one untimed sweep first: the first calls of a process run markedly slower
  core.serve_sweep(inp.base, inp.chips, inp.models, inp.plans, inp.batches, threads)
  local t_sweep = benchlib.best_of(reps, "infer: C sweep", function()
    summary = core.serve_sweep(inp.base, inp.chips, inp.models, inp.plans, inp.batches, threads)
  end)
  -- the per-configuration loop over an evenly spread sample
  local stride = math.max(1, math.floor(inp.n / sample))
  local picks = {}
  for i = 1, inp.n, stride do picks[#picks + 1] = i end
  local results = {}
  local t_loop = benchlib.best_of(reps, "infer: Lua loop", function()
    local eval = core.serve_eval
    for j = 1, #picks do
      local cfg = config_of(inp, picks[j])
      local ok, r = pcall(eval, cfg)
      results[j] = ok and r.per_chip_output_tokens_per_s or false
    end
  end)
  progress.done()
  -- the sampled cells of the sweep, collected once more, must equal the loop's
  local check = core.serve_sweep(inp.base, inp.chips, inp.models, inp.plans, inp.batches, threads, true)
  local agree = 0
  for j, i in ipairs(picks) do
    local a, b = results[j], check.tokens_per_s[i]
    if (a == false or a == nil) and b == nil then agree = agree + 1
    elseif a and b and a == b then agree = agree + 1 end
  end
  local sweep_rate, loop_rate = inp.n / t_sweep, #picks / t_loop
  local data = {
    host = benchlib.host_info(), threads = core.threads(), configurations = inp.n, chips = #inp.chips,
    models = #inp.models, plans = #inp.plans, batches = #inp.batches, feasible = summary.feasible,
    sweep_seconds = t_sweep, sweep_configs_per_s = sweep_rate, loop_sample = #picks, loop_seconds = t_loop,
    loop_configs_per_s = loop_rate, speedup = sweep_rate / loop_rate, sample_agrees = agree == #picks,
    best_tokens_per_s = summary.best_tokens_per_s, goal_configs_per_s = 1e6,
  }
  local rows = {
    { what = "C sweep (tpp_serve_sweep)", n = inp.n, seconds = t_sweep, rate = sweep_rate },
    { what = "Lua loop (core.serve_eval each)", n = #picks, seconds = t_loop, rate = loop_rate },
  }
  local text = benchlib.header("tpp bench infer: serving-model configurations per second", data.host) ..
    ("%d chips x %d models x %d plans x %d batches = %s configurations (%s feasible), %d threads\n\n"):format(
      #inp.chips, #inp.models, #inp.plans, #inp.batches, report.int(inp.n), report.int(summary.feasible),
      core.threads()) ..
    report.table({
      { key = "what", title = "path" },
      { key = "n", title = "configurations", align = "right", fmt = report.int },
      { key = "seconds", title = "seconds", align = "right", fmt = function(v) return ("%.3f"):format(v) end },
      { key = "rate", title = "configs/s", align = "right", fmt = report.int },
    }, rows) ..
    ("\nC sweep / Lua loop: %.1fx; goal >= 1,000,000 configurations/s: %s; sampled cells agree: %s\n"):format(
      data.speedup, sweep_rate >= 1e6 and "met" or "not met", data.sample_agrees and "yes" or "NO") ..
    "Best of the repetitions; on a shared machine the neighbours' load lowers both figures.\n"
  return data, text
end

return M
