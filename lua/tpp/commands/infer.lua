--- tpp infer: how fast chips could serve an LLM (analytic roofline model).
local infer = require "tpp.infer"
local report = require "tpp.report"
local util = require "tpp.util"
local cli = require "tpp.cli"
local tpp = require "tpp"

local M = {
  summary = "estimate LLM serving speed per chip: time to first token, decode speed, memory fit",
  usage = "tpp infer [CHIP ...] [--model NAME] [--batch B] [--prompt N] [--output N] [--tp N] " ..
    "[--precision fp16|fp8|fp4|int8|int4] [--kv fp16|fp8] [--eff-mem F] [--eff-compute F] [--validate] [--models] [--json]",
  help = "Defaults: H100 and H20, llama-3.1-8b, batch 1, 1,024-token prompt, 256 output tokens, fp16.\n" ..
    "Decode is bound by memory bandwidth, prefill by compute: compare the two columns across chips.\n" ..
    "--validate compares the model with published measurements; --models lists the models.",
  options = {
    model = { arg = "NAME", help = "model preset (see --models)" },
    batch = { arg = "B", help = "concurrent sequences (default 1)" },
    prompt = { arg = "N", help = "prompt tokens (default 1024)" },
    output = { arg = "N", help = "generated tokens (default 256)" },
    tp = { arg = "N", help = "tensor-parallel chips per replica (default 1)" },
    precision = { arg = "P", help = "weight precision: fp16, bf16, fp8, int8, fp4, int4 (default fp16)" },
    kv = { arg = "P", help = "KV-cache precision (default fp16)" },
    ["eff-mem"] = { arg = "F", help = "achieved fraction of peak bandwidth (default 0.7)" },
    ["eff-compute"] = { arg = "F", help = "achieved fraction of peak FLOPS (default 0.6)" },
    validate = { flag = true, help = "predicted vs measured on published anchors" },
    models = { flag = true, help = "list the model presets" },
  },
  args = "chip",
  rows = function(data) return data.results or data.models or data.anchors end,
}

local function run_models()
  local rows = {}
  for _, k in ipairs(util.sorted_keys(infer.MODELS)) do
    local s = infer.model_shape(k)
    rows[#rows + 1] = { key = k, name = s.name, params_b = s.params / 1e9, active_b = s.active_params / 1e9,
                        layers = s.n_layers, kv_kb = s.kv_bytes_per_token / 1024, source = infer.MODELS[k].source }
  end
  return { models = rows }, report.table({
    { key = "key", title = "model" }, { key = "name", title = "name" },
    { key = "params_b", title = "params B", align = "right", fmt = report.fixed(2) },
    { key = "active_b", title = "active B", align = "right", fmt = report.fixed(2) },
    { key = "layers", title = "layers", align = "right" },
    { key = "kv_kb", title = "KV KiB/token (16-bit)", align = "right", fmt = report.fixed(1) },
  }, rows)
end

local function run_validate()
  local rows = infer.validate()
  local text = report.table({
    { key = "id", title = "anchor" }, { key = "what", title = "quantity" },
    { key = "predicted", title = "predicted", align = "right", fmt = report.fixed(1) },
    { key = "measured", title = "measured", align = "right", fmt = report.fixed(1) },
    { key = "error", title = "error", align = "right", fmt = function(v) return v and ("%+.0f%%"):format(v * 100) or "-" end },
  }, rows)
  local srcs = {}
  for _, r in ipairs(rows) do srcs[#srcs + 1] = "  " .. r.id .. ": " .. r.source end
  return { anchors = rows, defaults = infer.DEFAULTS },
    text .. "\nDefault efficiencies; errors show how far a constant-efficiency roofline is from real engines.\n" ..
    table.concat(srcs, "\n") .. "\n"
end

function M.run(args)
  if args.models then return run_models() end
  if args.validate then return run_validate() end
  local chips = #args > 0 and args or { "H100", "H20" }
  local opts = {
    batch = cli.number(args, "batch", nil, "infer"), prompt_tokens = cli.number(args, "prompt", nil, "infer"),
    output_tokens = cli.number(args, "output", nil, "infer"), tp = cli.number(args, "tp", nil, "infer"),
    precision = args.precision, kv_precision = args.kv,
    eff_mem = cli.number(args, "eff-mem", nil, "infer"), eff_compute = cli.number(args, "eff-compute", nil, "infer"),
  }
  local model = args.model or "llama-3.1-8b"
  local results, rows = {}, {}
  local base
  for _, name in ipairs(chips) do
    local r = infer.estimate(name, model, opts)
    results[#results + 1] = r
    local m = tpp.chip(name):metrics()
    local row = { chip = r.chip, tpp = m.tpp, bw = r.hardware and r.hardware.mem_bw_gbs, status = r.status }
    if r.status == "estimated" then
      base = base or r
      row.ttft = r.prefill_ms
      row.tpot = r.decode_ms
      row.user = r.user_tokens_per_s
      row.total = r.decode_tokens_per_s
      row.bound = r.decode_bound .. " / " .. r.prefill_bound
      row.fit = r.fits and "yes" or (r.max_batch > 0 and ("max " .. r.max_batch) or "no")
      row.rel_decode = base.decode_ms / r.decode_ms
      row.rel_prefill = base.prefill_ms / r.prefill_ms
    else
      row.bound = "undetermined: missing " .. table.concat(r.missing, ", ")
    end
    rows[#rows + 1] = row
  end
  local first = results[1]
  local o = first.scenario
  local text = ("%s, %s weights, %s KV, batch %d, %d prompt + %d output tokens, tp %d\n\n"):format(
    first.model_name, o.precision, o.kv_precision, o.batch, o.prompt_tokens, o.output_tokens, o.tp) ..
    report.table({
      { key = "chip", title = "chip" },
      { key = "tpp", title = "TPP", align = "right", fmt = report.int },
      { key = "bw", title = "mem GB/s", align = "right", fmt = report.int },
      { key = "ttft", title = "TTFT ms", align = "right", fmt = report.fixed(1) },
      { key = "tpot", title = "ms/token", align = "right", fmt = report.fixed(2) },
      { key = "user", title = "tok/s/user", align = "right", fmt = report.fixed(1) },
      { key = "total", title = "tok/s", align = "right", fmt = report.fixed(0) },
      { key = "rel_prefill", title = "prefill x", align = "right", fmt = report.fixed(2) },
      { key = "rel_decode", title = "decode x", align = "right", fmt = report.fixed(2) },
      { key = "fit", title = "fits" },
      { key = "bound", title = "bound (decode / prefill)" },
    }, rows) ..
    "\n'x' columns: speed relative to the first chip. Assumptions:\n"
  local seen = {}
  for _, r in ipairs(results) do
    for _, a in ipairs(r.assumptions) do
      if not seen[a] then seen[a] = true; text = text .. report.wrap("  - " .. a, 100, "    ") .. "\n" end
    end
  end
  text = text .. "An analytic estimate (roofline), not a measurement. " .. tpp.DISCLAIMER .. "\n"
  return { results = results, disclaimer = tpp.DISCLAIMER }, text
end

return M
