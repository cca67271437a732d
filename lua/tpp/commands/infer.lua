--- tpp infer: how fast chips serve an LLM, from the calibrated serving model
-- (tpp.serve): scenarios, parallelism plans, MoE expert parallelism,
-- disaggregated pools, ranges from the efficiency table, validation against
-- published measurements, and the host as a calibration point.
local serve = require "tpp.serve"
local report = require "tpp.report"
local util = require "tpp.util"
local tpp = require "tpp"

local M = {
  summary = "LLM serving speed per chip and per deployment: tokens/s, TTFT, TPOT, with ranges and sources",
  usage = "tpp infer [CHIP ...|host] [--model NAME | --model-config FILE] [--scenario offline|server|latency|batch] " ..
    "[--chips N] [--batch B] [--tp N] [--pp N] [--ep N] [--input-tokens N] [--output-tokens N] " ..
    "[--ttft-ms X] [--tpot-ms Y] [--precision P] [--kv P] [--sweep batch] [--validate] [--models] [--json]",
  help = "Defaults: H100 and H20, llama-3.1-8b, offline, 1,024 input + 256 output tokens, the chip's 8-bit\n" ..
    "format (fp8, else int8, else 16-bit: the same rule as 'tpp compare'), bf16 KV cache.\n" ..
    "Scenarios: offline = the batch with the highest throughput that fits; server = the highest throughput\n" ..
    "meeting --ttft-ms/--tpot-ms; latency = batch 1 (the plan with the lowest TPOT in one scale-up domain);\n" ..
    "batch = a fixed --batch of concurrent sequences per replica.\n" ..
    "Every figure has a low-high range from the efficiency table (fitted to published measurements;\n" ..
    "'tpp calibrate' shows it and refits it from your own file); plans are searched over tensor, pipeline\n" ..
    "and expert parallelism unless --tp/--pp/--ep/--plan fix them. --prefill-chips P --decode-chips D\n" ..
    "model a disaggregated deployment; --pool decode|prefill one pool of it.\n" ..
    "'tpp infer host' measures this machine's peaks, decode and prefill and compares them with the model.\n" ..
    "--validate lists every calibration measurement: predicted, measured, error, fit or held out.",
  options = {
    model = { arg = "NAME", help = "model preset (see --models; default llama-3.1-8b)" },
    ["model-config"] = { arg = "FILE", help = "a Hugging Face config.json or a tpp JSON/Lua model table" },
    scenario = { arg = "S", help = "offline, server, latency or batch (default offline; batch when --batch)" },
    chips = { arg = "N", help = "chips in the deployment (default: one replica of the best plan)" },
    batch = { arg = "B", help = "concurrent sequences per replica (scenario batch or latency)" },
    tp = { arg = "N", help = "tensor-parallel degree (default: searched)" },
    pp = { arg = "N", help = "pipeline stages (default: searched)" },
    ep = { arg = "N", help = "chips the experts of a MoE model spread over (default: searched)" },
    plan = { arg = "PLAN", help = "the whole plan, e.g. tp=2,ep=8 (degrees left out are 1)" },
    ["input-tokens"] = { arg = "N", help = "prompt tokens (default 1024)" },
    ["output-tokens"] = { arg = "N", help = "generated tokens (default 256)" },
    ["ttft-ms"] = { arg = "X", help = "server: time-to-first-token target, ms" },
    ["tpot-ms"] = { arg = "Y", help = "server: time-per-output-token target, ms" },
    precision = { arg = "P", help = "weights: fp4, int4, fp8, int8, bf16, fp16, fp32 (default: the chip's 8-bit format)" },
    kv = { arg = "P", help = "KV cache: bf16, fp16, fp8, int8, fp32 (default bf16)" },
    stack = { arg = "ID", help = "serving software (default by vendor; see 'tpp calibrate --stacks')" },
    system = { arg = "ID", help = "scale-up domain: hgx8, nvl72, cloudmatrix384, ... (default by chip)" },
    ["eff-mem"] = { arg = "F", help = "override the decode bandwidth efficiency, (0, 1]" },
    ["eff-compute"] = { arg = "F", help = "override the compute efficiency, (0, 1]" },
    ["prefix-hit"] = { arg = "F", help = "share of prompt tokens served from a prefix cache, [0, 1)" },
    ["spec-tokens"] = { arg = "N", help = "draft tokens verified per step (speculative / MTP decoding)" },
    ["spec-accept"] = { arg = "F", help = "mean draft tokens accepted per step" },
    pool = { arg = "P", help = "one pool of a disaggregated deployment: decode or prefill" },
    ["prefill-chips"] = { arg = "N", help = "disaggregated: chips in the prefill pool" },
    ["decode-chips"] = { arg = "N", help = "disaggregated: chips in the decode pool" },
    ["prefill-plan"] = { arg = "PLAN", help = "disaggregated: the prefill pool's plan" },
    ["decode-plan"] = { arg = "PLAN", help = "disaggregated: the decode pool's plan" },
    ["max-batch"] = { arg = "B", help = "engine limit on sequences per replica" },
    efficiency = { arg = "FILE", help = "an efficiency table written by 'tpp calibrate --write'" },
    sweep = { arg = "batch", help = "the throughput-latency curve: one row per batch" },
    validate = { flag = true, help = "predicted vs measured on tpp's measurements (fit and held out)" },
    measurements = { arg = "FILE", help = "--validate on your measurements CSV instead of tpp's" },
    models = { flag = true, help = "list the model presets" },
    quick = { flag = true, help = "host: small sizes, a smoke test" },
  },
  args = "chip",
  rows = function(data) return data.results or data.models or data.anchors end,
}

local NUMERIC = {
  batch = "batch", chips = "chips", tp = "tp", pp = "pp", ep = "ep", ["input-tokens"] = "input_tokens",
  ["output-tokens"] = "output_tokens", ["ttft-ms"] = "ttft_ms", ["tpot-ms"] = "tpot_ms", ["eff-mem"] = "eff_mem",
  ["eff-compute"] = "eff_compute", ["prefix-hit"] = "prefix_hit", ["spec-tokens"] = "spec_tokens",
  ["spec-accept"] = "spec_accept", ["prefill-chips"] = "prefill_chips", ["decode-chips"] = "decode_chips",
  ["max-batch"] = "max_batch",
}

local function usage(fmt, ...) error(("tpp infer: " .. fmt):format(...), 0) end

local function width() return tonumber(os.getenv("COLUMNS") or "") or 100 end

-- Options of tpp.serve.evaluate from the flags; errors name the flag, value and range.
function M.serve_options(args)
  local o = {}
  for flag, name in pairs(NUMERIC) do
    local v = args[flag]
    if v ~= nil then
      local n = tonumber(v)
      if not n then usage("--%s: got '%s', expected a number", flag, tostring(v)) end
      local ok, err = pcall(serve.check_option, name, n, "--" .. flag)
      if not ok then usage("%s", (tostring(err):gsub("^tpp%.serve: ", ""))) end
      o[name] = n
    end
  end
  if args.scenario ~= nil and not serve.SCENARIOS[args.scenario] then
    usage("--scenario: got '%s', expected offline, server, latency or batch", args.scenario)
  end
  o.scenario = args.scenario
  if args.kv ~= nil and not serve.KV_PRECISIONS[args.kv] then
    usage("--kv: got '%s', expected bf16, fp16, fp8, int8 or fp32 (the KV cache is kept at 8 bits or more)", args.kv)
  end
  o.kv_precision = args.kv
  if args.precision ~= nil and not serve.models.BYTES[args.precision] then
    usage("--precision: got '%s', expected one of %s", args.precision,
      table.concat(util.sorted_keys(serve.models.BYTES), ", "))
  end
  o.precision = args.precision
  if args.pool ~= nil and args.pool ~= "decode" and args.pool ~= "prefill" then
    usage("--pool: got '%s', expected decode or prefill", args.pool)
  end
  o.pool = args.pool
  if args.stack then
    local ok, err = pcall(serve.stacks.get, args.stack)
    if not ok then usage("--stack: %s", (tostring(err):gsub("^tpp%.serve: ", ""))) end
    o.stack = args.stack
  end
  if args.system and not serve.links.SYSTEMS[args.system] then
    usage("--system: got '%s', expected one of %s", args.system, table.concat(util.sorted_keys(serve.links.SYSTEMS), ", "))
  end
  o.system = args.system
  for _, k in ipairs({ "plan", "prefill-plan", "decode-plan" }) do
    if args[k] then
      local ok, p = pcall(serve.parse_plan, args[k], "--" .. k)
      if not ok then usage("%s", (tostring(p):gsub("^tpp%.serve: ", ""))) end
      o[(k:gsub("%-", "_"))] = p
    end
  end
  if o.scenario == "server" and not (o.ttft_ms or o.tpot_ms) then
    usage("--scenario server needs a target: --ttft-ms X and/or --tpot-ms Y")
  end
  if (o.ttft_ms or o.tpot_ms) and o.scenario == nil then o.scenario = "server" end
  if o.scenario == "batch" and not o.batch then usage("--scenario batch needs --batch B") end
  if (o.prefill_chips == nil) ~= (o.decode_chips == nil) then
    usage("a disaggregated deployment needs both --prefill-chips and --decode-chips")
  end
  if args.efficiency then
    local f, ferr = io.open(args.efficiency, "rb")
    if not f then usage("cannot read '%s': %s", args.efficiency, tostring(ferr)) end
    local text = f:read("*a")
    f:close()
    local chunk, lerr = (loadstring or load)(text, "@" .. args.efficiency)
    if not chunk then usage("%s: not a Lua table (%s)", args.efficiency, tostring(lerr)) end
    if setfenv then setfenv(chunk, {}) end
    local ok, data = pcall(chunk)
    if not ok or type(data) ~= "table" or type(data.entries) ~= "table" then
      usage("%s: not an efficiency table written by 'tpp calibrate --write'", args.efficiency)
    end
    o.efficiency = serve.efficiency.new(data)
  end
  return o
end

local function model_arg(args)
  if args["model-config"] then
    local a, err = serve.models.load(args["model-config"])
    if not a then error(err, 0) end
    return a
  end
  local name = args.model or "llama-3.1-8b"
  local a, msg = serve.models.find(name)
  if not a then usage("--model: %s", msg) end
  return a
end

local function f0(v) return v and util.fmt(v, 0) or "-" end
local function fsig(v)
  if v == nil then return "-" end
  if v >= 100 then return util.fmt(v, 0) end
  if v >= 10 then return ("%.1f"):format(v) end
  return ("%.2f"):format(v)
end
local function range(lo, hi, fmt)
  if lo == nil or hi == nil then return "-" end
  return (fmt or f0)(lo) .. "-" .. (fmt or f0)(hi)
end

-- ---- one evaluation per chip ----

local function scenario_text(o, r)
  local s = o.scenario or r.scenario
  if s == "server" then
    local t = {}
    if o.ttft_ms then t[#t + 1] = "TTFT <= " .. o.ttft_ms .. " ms" end
    if o.tpot_ms then t[#t + 1] = "TPOT <= " .. o.tpot_ms .. " ms" end
    return "server (" .. table.concat(t, ", ") .. ")"
  elseif s == "batch" then return ("batch %d per replica"):format(o.batch)
  elseif s == "latency" then return "latency (batch " .. (o.batch or 1) .. ")" end
  return "offline (the batch with the highest throughput that fits)"
end

local function run_chips(chips, arch, o)
  local results, rows = {}, {}
  for _, name in ipairs(chips) do
    local opts = {}
    for k, v in pairs(o) do opts[k] = v end
    opts.chip, opts.model = name, arch
    local r = serve.evaluate(opts)
    results[#results + 1] = r
    local row = { chip = r.chip, status = r.status }
    if r.status == "ok" then
      row.tok = r.per_chip_output_tokens_per_s
      row.tok_range = range(r.per_chip_output_tokens_per_s_low, r.per_chip_output_tokens_per_s_high)
      row.system = r.system_output_tokens_per_s
      row.chips = r.chips
      row.ttft, row.tpot, row.user = r.ttft_ms, r.tpot_ms, r.user_tokens_per_s
      row.plan = r.parallelism.text or ("P " .. r.parallelism.prefill.text .. " / D " .. r.parallelism.decode.text)
      row.batch = r.batch
      row.bound = r.bound.decode
    end
    rows[#rows + 1] = row
  end
  local first = results[1]
  local head = ("%s; %s; %d input + %d output tokens; weights %s, KV %s\n\n"):format(first.model_name or first.model,
    scenario_text(o, first), first.workload.input_tokens, first.workload.output_tokens,
    o.precision or "the chip's 8-bit format", first.kv_precision)
  local text = head .. report.table({
    { key = "chip", title = "chip" },
    { key = "tok", title = "tok/s per chip", align = "right", fmt = f0 },
    { key = "tok_range", title = "range" , align = "right" },
    { key = "ttft", title = "TTFT ms", align = "right", fmt = fsig },
    { key = "tpot", title = "TPOT ms", align = "right", fmt = fsig },
    { key = "user", title = "tok/s per user", align = "right", fmt = fsig },
    { key = "chips", title = "chips", align = "right", fmt = f0 },
    { key = "system", title = "tok/s system", align = "right", fmt = f0 },
    { key = "plan", title = "plan" },
    { key = "batch", title = "batch", align = "right", fmt = f0 },
    { key = "status", title = "status" },
  }, rows)
  local lines, seen = {}, {}
  local w = width()
  for _, r in ipairs(results) do
    local tag = r.chip .. ": "
    if r.status ~= "ok" then
      lines[#lines + 1] = report.wrap(tag .. r.status .. ": " .. (r.reason or "?") ..
        (r.nearest and r.nearest.text and ("; nearest feasible: " .. r.nearest.text) or ""), w, "    ")
    end
    if r.efficiency then
      lines[#lines + 1] = report.wrap(tag .. ("precision %s (math at %s); efficiency %s: decode %.3g (%.3g-%.3g) %s; " ..
        "compute %.3g (%.3g-%.3g) %s"):format(r.precision, r.hardware and r.hardware.gemm_precision or "?",
        r.efficiency.stack, r.efficiency.decode.value, r.efficiency.decode.low, r.efficiency.decode.high,
        r.efficiency.decode.basis, r.efficiency.prefill.value, r.efficiency.prefill.low, r.efficiency.prefill.high,
        r.efficiency.prefill.basis), w, "    ")
    end
  end
  for _, r in ipairs(results) do
    for _, a in ipairs(r.assumptions or {}) do
      if not seen[a] and not a:match("^efficiency %(") then
        seen[a] = true
        lines[#lines + 1] = report.wrap("- " .. a, w, "  ")
      end
    end
  end
  text = text .. "\n" .. table.concat(lines, "\n") .. "\n" ..
    report.wrap("An analytic model calibrated on published measurements ('tpp infer --validate' shows its error), " ..
      "not a measurement. " .. tpp.DISCLAIMER, w) .. "\n"
  local status = 0
  for _, r in ipairs(results) do if r.status == "undetermined" then status = 2 end end
  return { results = results, disclaimer = tpp.DISCLAIMER }, text, status
end

-- ---- the batch sweep ----

local function run_sweep(chips, arch, o)
  local curves, text = {}, {}
  for _, name in ipairs(chips) do
    local opts = {}
    for k, v in pairs(o) do opts[k] = v end
    opts.chip, opts.model = name, arch
    opts.scenario = nil
    local s = serve.sweep(opts)
    local id = s.result and s.result.chip or name
    curves[#curves + 1] = { chip = id, status = s.status, reason = s.reason, missing = s.missing, points = s.points }
    text[#text + 1] = ("%s, %s on %d chips: tokens/s per chip against tokens/s per user (the frontier over " ..
      "plans and batches)\n"):format(id, arch.name or arch.key, s.chips or 0)
    if #s.points > 0 then
      text[#text + 1] = report.table({
        { key = "batch", title = "batch", align = "right", fmt = f0 },
        { key = "per_chip_output_tokens_per_s", title = "tok/s per chip", align = "right", fmt = f0 },
        { key = "lo_hi", title = "range", align = "right" },
        { key = "user_tokens_per_s", title = "tok/s per user", align = "right", fmt = fsig },
        { key = "tpot_ms", title = "TPOT ms", align = "right", fmt = fsig },
        { key = "ttft_ms", title = "TTFT ms", align = "right", fmt = fsig },
        { key = "parallelism", title = "plan" },
      }, (function()
        for _, p in ipairs(s.points) do
          p.lo_hi = range(p.per_chip_output_tokens_per_s_low, p.per_chip_output_tokens_per_s_high)
        end
        return s.points
      end)())
    else
      text[#text + 1] = "  " .. (s.status or "infeasible") .. ": " .. tostring(s.reason or "") .. "\n"
    end
    text[#text + 1] = "\n"
  end
  return { curves = curves, disclaimer = tpp.DISCLAIMER },
    table.concat(text) .. "Each row is on the frontier: no other plan and batch gives more tokens per chip at " ..
      "that speed per user. " .. tpp.DISCLAIMER .. "\n"
end

-- ---- validation ----

local function pct(v) return v and ("%+.0f%%"):format(v * 100) or "-" end

function M.validate_report(path)
  local cal = require "tpp.serve.calibrate"
  local rows, err = cal.read(path)
  if not rows then error(err, 0) end
  local rep = cal.validate(rows, serve.efficiency.default())
  local w = width()
  local lines = {}
  for _, use in ipairs({ "holdout", "fit" }) do
    local list = {}
    for _, e in ipairs(rep.rows) do if e.use == use then list[#list + 1] = e end end
    lines[#lines + 1] = (use == "holdout" and "Held out (not used in the fit):" or "Fitted on:") .. "\n"
    lines[#lines + 1] = report.table({
      { key = "id", title = "measurement" },
      { key = "chip", title = "chip" },
      { key = "metric", title = "metric" },
      { key = "predicted", title = "predicted", align = "right", fmt = fsig },
      { key = "measured", title = "measured", align = "right", fmt = fsig },
      { key = "error", title = "error", align = "right", fmt = pct },
      { key = "in_range", title = "in range", fmt = function(v) return v and "yes" or "no" end },
    }, list)
    local s = rep[use]
    lines[#lines + 1] = ("%d of %d within +-30%% (%.0f%%); median |error| %s; largest %s\n\n"):format(s.within_30, s.n,
      (s.share_within_30 or 0) * 100, s.median_abs_error and ("%.0f%%"):format(s.median_abs_error * 100) or "-",
      s.max_abs_error and ("%.0f%%"):format(s.max_abs_error * 100) or "-")
  end
  lines[#lines + 1] = "Order of chips (per chip, same workload):\n"
  lines[#lines + 1] = report.table({
    { key = "what", title = "pair" },
    { key = "measured_ratio", title = "measured", align = "right", fmt = function(v) return ("%.2f"):format(v) end },
    { key = "predicted_ratio", title = "predicted", align = "right", fmt = function(v) return ("%.2f"):format(v) end },
    { key = "right_order", title = "order", fmt = function(v, r) return (v and "right" or "WRONG") ..
      (r.tie and " (tie)" or "") end },
  }, rep.orders)
  local claim = cal.claim_910c(serve.efficiency.default())
  rep.claim = claim
  lines[#lines + 1] = ("\nThe claim '%s' (%s), tested: 910C / H100 per workload\n"):format(claim.claim, claim.source)
  lines[#lines + 1] = report.table({
    { key = "what", title = "workload" },
    { key = "ratio", title = "910C/H100", align = "right", fmt = function(v) return v and ("%.2f"):format(v) or "-" end },
    { key = "range", title = "range", align = "right" },
  }, (function()
    for _, r in ipairs(claim.rows) do r.range = r.low and ("%.2f-%.2f"):format(r.low, r.high) or "-" end
    return claim.rows
  end)())
  lines[#lines + 1] = "The 910C's efficiencies are fitted on Huawei's CloudMatrix384 paper only (DeepSeek on 384 NPUs);\n" ..
    "on small dense deployments they are an extrapolation, and the ranges say how far.\n"
  lines[#lines + 1] = "\nSources:\n"
  for _, e in ipairs(rep.rows) do
    lines[#lines + 1] = report.wrap(("  %s (%s, %s): %s"):format(e.id, e.date or "?", e.provenance or "?", e.source),
      w, "      ") .. "\n"
  end
  return rep, table.concat(lines)
end

local function run_validate(args)
  local rep, text = M.validate_report(args.measurements)
  return { measurements = rep.rows, fit = rep.fit, holdout = rep.holdout, orders = rep.orders,
           claim_910c = rep.claim, efficiency_date = serve.efficiency.default().data.date }, text
end

-- ---- presets ----

local function run_models()
  local rows = {}
  for _, k in ipairs(serve.models.names()) do
    local a = serve.models.get(k)
    local p = serve.models.params(a)
    local att = serve.models.attention(a, 2)
    rows[#rows + 1] = { key = k, name = a.name, params_b = p.total / 1e9, active_b = p.active / 1e9,
                        layers = a.n_layers, kv_kib = att.kv_bytes_per_token / 1024,
                        attention = a.mla and "MLA" or (a.n_kv_heads < a.n_heads and "GQA" or "MHA"),
                        experts = a.moe and (a.moe.experts_per_token .. " of " .. a.moe.n_experts) or nil,
                        source = a.source }
  end
  return { models = rows }, report.table({
    { key = "key", title = "model" },
    { key = "params_b", title = "params B", align = "right", fmt = function(v) return ("%.2f"):format(v) end },
    { key = "active_b", title = "active B", align = "right", fmt = function(v) return ("%.2f"):format(v) end },
    { key = "layers", title = "layers", align = "right" },
    { key = "attention", title = "attention" },
    { key = "kv_kib", title = "KV KiB/token (16-bit)", align = "right", fmt = function(v) return ("%.1f"):format(v) end },
    { key = "experts", title = "experts" },
  }, rows) .. "\nArchitectures from each model's published config.json; --model-config FILE reads another.\n"
end

-- ---- the host ----

local function run_host(args)
  local model = args.model
  local ok, cmp = pcall(require("tpp.serve.host").compare, { model = model and model:lower(), quick = args.quick })
  if not ok then error(cmp, 0) end
  local text = ("this host: %s model (%s weights), tpp's kernels vs the serving model at the measured peaks\n" ..
    "(int8 %.0f GOP/s, fp32 %.0f GFLOP/s, memory %.1f GB/s)\n\n"):format(cmp.model, cmp.weights,
    cmp.peaks.int8_gops, cmp.peaks.fp32_gflops, cmp.peaks.membw_gbs) ..
    report.table({
      { key = "phase", title = "phase" },
      { key = "predicted", title = "predicted tok/s", align = "right", fmt = fsig },
      { key = "measured", title = "measured tok/s", align = "right", fmt = fsig },
      { key = "efficiency", title = "measured/predicted", align = "right",
        fmt = function(v) return v and ("%.2f"):format(v) or "-" end },
      { key = "bound", title = "bound" },
    }, cmp.rows) ..
    "\nmeasured/predicted is this host's efficiency against its own measured peaks: the quantity the\n" ..
    "efficiency table holds for accelerators. " .. (cmp.note and (cmp.note .. ".") or "") .. "\n"
  return { host = cmp.peaks, model = cmp.model, weights = cmp.weights, rows = cmp.rows }, text
end

function M.run(args)
  if args.models then return run_models() end
  if args.validate then return run_validate(args) end
  if args.measurements then usage("--measurements goes with --validate") end
  if args[1] == "host" then
    if #args > 1 then usage("'host' takes no other chip") end
    return run_host(args)
  end
  local o = M.serve_options(args)
  local arch = model_arg(args)
  local chips = #args > 0 and args or { "H100", "H20" }
  for _, c in ipairs(chips) do
    if not tpp.resolve(c) then
      local _, msg = tpp.resolve(c)
      usage("%s", msg)
    end
  end
  if args.sweep then
    if args.sweep ~= "batch" then usage("--sweep: got '%s', expected batch", args.sweep) end
    return run_sweep(chips, arch, o)
  end
  return run_chips(chips, arch, o)
end

return M
