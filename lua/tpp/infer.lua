--- tpp.infer: the first inference API, kept working on top of its successor
-- tpp.serve (the calibrated serving model). New code should call tpp.serve:
--
--   tpp.serve.evaluate{ chip = "H20", model = "llama-3.1-8b", scenario = "latency" }
--   tpp.serve.throughput{ chip = "H100", model = "llama-3.1-70b", scenario = "offline", chips = 8 }
--
-- Here, estimate(chip, model, opts) evaluates one replica of opts.tp chips
-- at a fixed batch and returns the fields this module always returned
-- (prefill_ms, decode_ms, user_tokens_per_s, decode_tokens_per_s per
-- replica, fits, max_batch, ...), now from the calibrated efficiency table
-- unless eff_mem / eff_compute are given.
local serve = require "tpp.serve"
local util = require "tpp.util"

local M = {}

M.MODELS = serve.models.PRESETS
M.BYTES = serve.models.BYTES
M.DEFAULTS = { batch = 1, prompt_tokens = 1024, output_tokens = 256, tp = 1, precision = nil,
               kv_precision = "bf16", eff_compute = nil, eff_mem = nil }

--- Per-token quantities of a model at a precision (the old shape fields).
function M.model_shape(key_or_model, precision, kv_precision)
  local a = serve.model(key_or_model)
  precision, kv_precision = precision or "fp16", kv_precision or "fp16"
  local s, p = serve.models.shape(a, precision, kv_precision)
  return {
    key = a.key, name = a.name, source = a.source, params = p.total, active_params = p.active,
    weight_bytes = p.total * s.weight_bytes, dense_weight_bytes = (p.total - p.routed) * s.weight_bytes,
    expert_bytes = p.expert * s.weight_bytes, kv_bytes_per_token = s.kv_bytes_per_token,
    attn_flops_per_ctx = s.attn_flops_per_ctx, hidden_bytes = a.hidden * 2, n_layers = a.n_layers,
    n_experts = s.n_experts, experts_per_token = s.experts_per_token, moe_layers = s.moe_layers,
    precision = precision, kv_precision = kv_precision,
  }
end

local OPTIONS = { batch = "batch", prompt_tokens = "input_tokens", output_tokens = "output_tokens", tp = "tp",
                  precision = "precision", kv_precision = "kv_precision", eff_mem = "eff_mem",
                  eff_compute = "eff_compute" }

--- Estimate one replica (opts.tp chips) at a fixed batch; see the module comment.
function M.estimate(chip, model, opts)
  -- a decode pool: decode_ms is the pure decode step, as before
  local o = { chip = chip, model = model, scenario = "batch", batch = 1, tp = 1, pp = 1, ep = 1, pool = "decode" }
  for k, v in pairs(opts or {}) do
    local name = OPTIONS[k]
    if not name then
      local hint = util.did_you_mean(tostring(k), util.sorted_keys(OPTIONS))
      error(("tpp.infer: option '%s' unknown%s (tpp.serve.evaluate takes more)"):format(tostring(k),
        hint and ("; did you mean '" .. hint .. "'?") or ""), 0)
    end
    if (k == "batch" or k == "prompt_tokens" or k == "output_tokens" or k == "tp") and
       (type(v) ~= "number" or v ~= math.floor(v) or v < 1) then
      error(("tpp.infer: %s: got %s, expected a whole number >= 1"):format(k, tostring(v)), 0)
    end
    o[name] = v
  end
  o.chips = o.tp
  local r = serve.evaluate(o)
  local out = { chip = r.chip, chip_name = r.chip_name, model = r.model, model_name = r.model_name,
                assumptions = r.assumptions, missing = r.missing, reason = r.reason,
                scenario = { batch = o.batch, prompt_tokens = o.input_tokens or serve.DEFAULTS.input_tokens,
                             output_tokens = o.output_tokens or serve.DEFAULTS.output_tokens, tp = o.tp,
                             precision = r.precision, kv_precision = r.kv_precision },
                params_b = r.params_b, active_params_b = r.active_params_b, kv_bytes_per_token = r.kv_bytes_per_token,
                efficiency = r.efficiency, hardware = r.hardware }
  if r.status == "undetermined" then
    out.status = "undetermined"
    return out
  end
  if r.status ~= "ok" then
    out.status = "estimated"
    out.fits = false
    out.max_batch = 0
    -- a batch too large still reports what fits
    local nearest = r.nearest
    if nearest and nearest.batch and nearest.batch > 0 then out.max_batch = nearest.batch end
    return out
  end
  local d, n = r.detail, o.tp
  out.status = "estimated"
  out.fits = true
  out.max_batch = r.memory.max_batch
  out.weights_gb, out.kv_gb = r.memory.weights_gb, r.memory.kv_gb
  out.prefill_ms = d.prefill_ms
  out.decode_ms = r.tpot_ms
  out.user_tokens_per_s = r.user_tokens_per_s
  out.decode_tokens_per_s = r.per_chip_output_tokens_per_s * n
  out.prefill_tokens_per_s = out.scenario.prompt_tokens / d.prefill_ms * 1e3
  out.decode_bytes = d.decode_weight_bytes + d.decode_kv_bytes
  out.decode_flops = d.decode_flops
  out.comm_ms = d.comm_ms
  out.decode_bound, out.prefill_bound = r.bound.decode, r.bound.prefill
  out.serve = r
  return out
end

--- Predicted vs measured on tpp's shipped measurements (tpp.serve.calibrate).
function M.validate()
  local cal = require "tpp.serve.calibrate"
  local rows = assert(cal.read())
  local rep = cal.validate(rows, serve.efficiency.default())
  local out = {}
  for _, e in ipairs(rep.rows) do
    out[#out + 1] = { id = e.id, what = e.metric, predicted = e.predicted, measured = e.measured, error = e.error,
                      source = e.source, use = e.use }
  end
  return out
end

return M
