--- tpp.serve.host: this machine as a calibration point of the serving model.
--
-- The model's inputs are peaks; on the host they are measured (tpp.host:
-- int8 matmul with tpp's kernel, fp32 sgemm, memory read bandwidth). The
-- serving model then predicts decode and prefill of a llama2.c model at
-- those measured peaks with efficiency 1 (a measured peak already includes
-- what the hardware delivers), and tpp's own kernels run the same model: the
-- measured/predicted ratio is this host's efficiency, the same quantity the
-- efficiency table holds for accelerators.
local serve = require "tpp.serve"

local M = {}

-- llama2.c shapes tpp's kernels can run, by serving-model preset.
M.SHAPES = { stories260k = "stories260K", stories15m = "stories15M", stories110m = "stories110M" }
M.PROMPT = 8       -- decode bench prompt (bench/decode.lua)
M.PREFILL = 128    -- prefill bench tokens

--- Memory capacity of this machine, GB (nil when /proc/meminfo is absent).
function M.mem_gb()
  local f = io.open("/proc/meminfo", "r")
  if not f then return nil end
  local text = f:read("*a")
  f:close()
  local kb = tonumber(text:match("MemTotal:%s*(%d+)"))
  return kb and kb * 1024 / 1e9 or nil
end

--- The host as a chip table for the serving model, from tpp.host measurements.
function M.chip_table(peaks)
  local t = require("tpp.host").chip_table(peaks)
  t.memory.capacity_gb = M.mem_gb() or 1
  t.provenance["memory.capacity_gb"] = "measured"
  return t
end

--- Predict decode (batch 1) and prefill tokens/s of a preset on the host.
-- weights: "q8" (tpp's int8 kernels) or "f32".
function M.predict(peaks, model, weights, steps)
  local chip = M.chip_table(peaks)
  local precision = weights == "f32" and "fp32" or "int8"
  local common = { chip = chip, model = model, precision = precision, kv_precision = "fp32", stack = "tpp",
                   eff_mem = 1, eff_compute = 1, chips = 1, tp = 1, pp = 1, ep = 1 }
  local d = {}
  for k, v in pairs(common) do d[k] = v end
  d.scenario, d.batch, d.pool = "batch", 1, "decode"
  d.input_tokens, d.output_tokens = M.PROMPT, steps
  local dec = serve.evaluate(d)
  local p = {}
  for k, v in pairs(common) do p[k] = v end
  p.scenario, p.batch = "latency", 1
  p.input_tokens, p.output_tokens = M.PREFILL, 1
  local pre = serve.evaluate(p)
  return {
    decode_tok_s = dec.user_tokens_per_s, decode_bound = dec.bound and dec.bound.decode,
    prefill_tok_s = pre.detail and M.PREFILL / pre.detail.prefill_ms * 1e3,
    prefill_bound = pre.bound and pre.bound.prefill, decode = dec, prefill = pre,
    note = precision == "int8" and "q8 weights modelled at 1 byte each (tpp's q8 adds one fp32 scale per 64: 6%)"
      or nil,
  }
end

--- Measure the host's peaks, decode and prefill, and predict both.
-- opts: model (preset, default stories110m; quick: stories15m), weights
-- ("q8"), steps, seconds, quick.
function M.compare(opts)
  opts = opts or {}
  local model = opts.model or (opts.quick and "stories260k" or "stories110m")
  local shape = M.SHAPES[model]
  if not shape then
    error(("tpp infer host: --model: '%s' has no llama2.c checkpoint shape; expected stories260k, stories15m " ..
      "or stories110m")
      :format(tostring(model)), 0)
  end
  local weights = opts.weights or "q8"
  local steps = opts.steps or (opts.quick and 16 or 48)
  local peaks = require("tpp.host").measure { seconds = opts.seconds or (opts.quick and 0.2 or 0.5),
                                              quick = opts.quick, fresh = opts.fresh }
  local lib = require "tpp.benchlib"
  local dec = require("tpp.bench.decode").measure(shape, weights, steps)
  local pre = require("tpp.bench.prefill").measure(shape, weights, math.min(M.PREFILL,
    require("tpp.model").SHAPES[shape].seq_len))
  lib.cleanup()
  local pred = M.predict(peaks, model, weights, steps)
  return {
    model = model, weights = weights, peaks = peaks,
    rows = {
      { phase = "decode (batch 1)", predicted = pred.decode_tok_s, measured = dec.tok_s,
        efficiency = pred.decode_tok_s and dec.tok_s / pred.decode_tok_s, bound = pred.decode_bound },
      { phase = ("prefill (%d tokens)"):format(M.PREFILL), predicted = pred.prefill_tok_s, measured = pre.tok_s,
        efficiency = pred.prefill_tok_s and pre.tok_s / pred.prefill_tok_s, bound = pred.prefill_bound },
    },
    note = pred.note, prediction = pred,
  }
end

return M
