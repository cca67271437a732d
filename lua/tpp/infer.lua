--- tpp.infer: how fast a chip could serve an LLM (an analytic roofline model).
--
--   local infer = require "tpp.infer"          -- or tpp.infer
--   local r = infer.estimate("H20", "llama-3.1-8b", { batch = 1, precision = "fp8" })
--   print(r.decode_ms, r.user_tokens_per_s, r.decode_bound)
--
-- Decode is bound by memory bandwidth, prefill by compute: this is the gap the
-- export rules do not measure (an H20 decodes about as fast as an H100 yet
-- prefills far slower). Every efficiency is an assumption, reported with the
-- result; `infer.validate()` compares predictions with published measurements.
local core = require "tpp.backend"
local tpp = require "tpp"
local util = require "tpp.util"

local M = {}

-- Architectures (public model configs). Counts are exact from the configs;
-- params_b is the published total used as a cross-check.
M.MODELS = {
  ["stories110m"] = { name = "stories110M (llama2.c)", n_layers = 12, d_model = 768, n_heads = 12, n_kv_heads = 12,
    head_dim = 64, ffn_dim = 2048, vocab = 32000, tied = true, params_b = 0.110,
    source = "karpathy/llama2.c tinyllamas (INFERENCE.md §3.1)" },
  ["llama-2-7b"] = { name = "Llama 2 7B", n_layers = 32, d_model = 4096, n_heads = 32, n_kv_heads = 32,
    head_dim = 128, ffn_dim = 11008, vocab = 32000, params_b = 6.74, source = "Meta Llama 2 config" },
  ["llama-2-13b"] = { name = "Llama 2 13B", n_layers = 40, d_model = 5120, n_heads = 40, n_kv_heads = 40,
    head_dim = 128, ffn_dim = 13824, vocab = 32000, params_b = 13.0, source = "Meta Llama 2 config" },
  ["llama-2-70b"] = { name = "Llama 2 70B", n_layers = 80, d_model = 8192, n_heads = 64, n_kv_heads = 8,
    head_dim = 128, ffn_dim = 28672, vocab = 32000, params_b = 69.0, source = "Meta Llama 2 config" },
  ["llama-3.1-8b"] = { name = "Llama 3.1 8B", n_layers = 32, d_model = 4096, n_heads = 32, n_kv_heads = 8,
    head_dim = 128, ffn_dim = 14336, vocab = 128256, params_b = 8.03, source = "Meta Llama 3.1 config" },
  ["llama-3.3-70b"] = { name = "Llama 3.3 70B", n_layers = 80, d_model = 8192, n_heads = 64, n_kv_heads = 8,
    head_dim = 128, ffn_dim = 28672, vocab = 128256, params_b = 70.6, source = "Meta Llama 3.3 config" },
  ["llama-3.1-405b"] = { name = "Llama 3.1 405B", n_layers = 126, d_model = 16384, n_heads = 128, n_kv_heads = 8,
    head_dim = 128, ffn_dim = 53248, vocab = 128256, params_b = 405, source = "Meta Llama 3.1 config" },
  ["deepseek-v3"] = { name = "DeepSeek-V3 (MoE, MLA)", n_layers = 61, d_model = 7168, n_heads = 128,
    params_b = 671, active_b = 37, vocab = 129280,
    moe = { n_experts = 256, experts_per_token = 8, expert_ffn_dim = 2048, moe_layers = 58 },
    -- MLA caches a 512-d latent + 64-d rope key per layer (576 values); absorbed attention
    -- scores against 576 dims and mixes 512 per head
    kv_values_per_layer = 576, attn_dims = { score = 576, value = 512 },
    source = "DeepSeek-V3 technical report / config (INFERENCE.md §2.5: 70,272 KV bytes/token at 16 bits)" },
  ["qwen3-235b-a22b"] = { name = "Qwen3-235B-A22B (MoE)", n_layers = 94, d_model = 4096, n_heads = 64,
    n_kv_heads = 4, head_dim = 128, vocab = 151936, params_b = 235, active_b = 22,
    moe = { n_experts = 128, experts_per_token = 8, expert_ffn_dim = 1536, moe_layers = 94 },
    source = "Qwen3 config" },
}

-- Bytes per weight or cache value. 4-bit formats carry per-block scales
-- (NVFP4 / Q4-style: 4.5 bits per weight); an assumption, reported.
M.BYTES = { fp32 = 4, fp16 = 2, bf16 = 2, fp8 = 1, int8 = 1, fp4 = 4.5 / 8, int4 = 4.5 / 8 }

-- Defaults, each a stated assumption (INFERENCE.md §0, §2): mature engines reach
-- ~0.5-0.8 of peak bandwidth in decode and ~0.3-0.7 of peak FLOPS in prefill;
-- a small all-reduce costs ~8 us (llm-analysis floor; NCCL LL ~7 us).
M.DEFAULTS = { batch = 1, prompt_tokens = 1024, output_tokens = 256, tp = 1, precision = "fp16",
               kv_precision = "fp16", eff_compute = 0.6, eff_mem = 0.7, allreduce_us = 8,
               step_overhead_us = 0, mem_reserve = 0.1 }

--- Derived per-token quantities of a model at a precision.
function M.model_shape(key_or_model, precision, kv_precision)
  local a = type(key_or_model) == "table" and key_or_model or M.MODELS[key_or_model]
  if not a then
    local hint = util.did_you_mean(tostring(key_or_model), util.sorted_keys(M.MODELS))
    error(("tpp.infer: no model '%s'%s"):format(tostring(key_or_model),
      hint and ("; did you mean '" .. hint .. "'?") or ("; models: " .. table.concat(util.sorted_keys(M.MODELS), ", "))), 0)
  end
  local wb = M.BYTES[precision or "fp16"]
  local kb = M.BYTES[kv_precision or "fp16"]
  if not wb then error(("tpp.infer: precision '%s' unknown; expected one of %s"):format(tostring(precision),
    table.concat(util.sorted_keys(M.BYTES), ", ")), 0) end
  if not kb then error(("tpp.infer: kv_precision '%s' unknown"):format(tostring(kv_precision)), 0) end
  local d, L = a.d_model, a.n_layers
  local params, active, dense_params, expert_params
  local embed = a.vocab * d * (a.tied and 1 or 2)
  if a.moe then
    expert_params = 3 * d * a.moe.expert_ffn_dim
    local routed = a.moe.moe_layers * a.moe.n_experts * expert_params
    params = a.params_b * 1e9
    dense_params = params - routed
    active = dense_params + a.moe.moe_layers * a.moe.experts_per_token * expert_params
  else
    local q, kv = a.n_heads * a.head_dim, a.n_kv_heads * a.head_dim
    local per_layer = d * q + 2 * d * kv + q * d + 3 * d * a.ffn_dim + 2 * d
    params = L * per_layer + embed + d
    active, dense_params, expert_params = params, params, 0
  end
  local kv_values = a.kv_values_per_layer or (2 * a.n_kv_heads * a.head_dim)
  local attn = a.attn_dims and (2 * a.n_heads * (a.attn_dims.score + a.attn_dims.value))
    or (4 * a.n_heads * a.head_dim)
  return {
    key = type(key_or_model) == "string" and key_or_model or a.name, name = a.name, source = a.source,
    params = params, active_params = active,
    weight_bytes = params * wb, dense_weight_bytes = dense_params * wb, expert_bytes = expert_params * wb,
    kv_bytes_per_token = L * kv_values * kb,
    attn_flops_per_ctx = L * attn, hidden_bytes = d * 2, n_layers = L,
    n_experts = a.moe and a.moe.n_experts or 0, experts_per_token = a.moe and a.moe.experts_per_token or 0,
    moe_layers = a.moe and a.moe.moe_layers or 0,
    precision = precision or "fp16", kv_precision = kv_precision or "fp16",
  }
end

-- Compute precision used for a weight precision: the chip's own rate at that
-- width when it has one, else 16-bit (weight-only quantization).
local COMPUTE = { fp32 = { "fp32" }, fp16 = { "fp16", "bf16" }, bf16 = { "bf16", "fp16" },
                  fp8 = { "fp8" }, int8 = { "int8" }, fp4 = { "fp4", "fp8" }, int4 = { "int4", "int8" } }

--- The hardware figures the model needs, from a chip; nil and the missing
-- inputs when the chip lacks them (unknown is not zero).
function M.hardware(chip, precision)
  local c = tpp.chip(chip)
  local d = c.data
  local notes, missing = {}, {}
  local peak, used
  for i, p in ipairs(COMPUTE[precision] or {}) do
    if d.dense[p] then
      peak, used = d.dense[p], p
      if i > 1 then
        notes[#notes + 1] = ("%s has no %s rate: math at %s"):format(d.name or d.id or "chip", precision, p)
      end
      break
    end
  end
  if not peak then
    for _, p in ipairs({ "bf16", "fp16" }) do
      if d.dense[p] then peak, used = d.dense[p], p; break end
    end
    if peak then
      notes[#notes + 1] = ("%s has no %s rate: weights stored at %s, math at %s (weight-only quantization)")
        :format(d.name or d.id or "chip", precision, precision, used)
    end
  end
  if not peak then missing[#missing + 1] = "dense throughput at " .. precision .. " or 16 bits" end
  local bw, cap = d.memory.bandwidth_gbs, d.memory.capacity_gb
  if not bw then missing[#missing + 1] = "memory.bandwidth_gbs" end
  if not cap then missing[#missing + 1] = "memory.capacity_gb" end
  if #missing > 0 then return nil, missing end
  local link = d.interconnect_gbs and d.interconnect_gbs / 2 or nil
  if link then notes[#notes + 1] = ("link %s GB/s per direction = half the stated aggregate %s GB/s")
    :format(util.num(link), util.num(d.interconnect_gbs)) end
  return { peak_tflops = peak, compute_precision = used, mem_bw_gbs = bw, mem_gb = cap, link_gbs = link,
           provenance = { peak = d.provenance["dense." .. used], mem_bw = d.provenance["memory.bandwidth_gbs"] },
           notes = notes }
end

local SCENARIO_INT = { batch = true, prompt_tokens = true, output_tokens = true, tp = true }

--- Estimate serving speed. opts: batch, prompt_tokens, output_tokens, tp,
-- precision (weights), kv_precision, eff_compute, eff_mem, allreduce_us,
-- step_overhead_us, mem_reserve. Returns a result table; status
-- "undetermined" (with `missing`) when the chip lacks an input.
function M.estimate(chip, model, opts)
  opts = opts or {}
  local o = {}
  for k, v in pairs(M.DEFAULTS) do o[k] = v end
  for k, v in pairs(opts) do
    if M.DEFAULTS[k] == nil then
      local hint = util.did_you_mean(tostring(k), util.sorted_keys(M.DEFAULTS))
      error(("tpp.infer: option '%s' unknown%s"):format(tostring(k), hint and ("; did you mean '" .. hint .. "'?") or ""), 0)
    end
    if SCENARIO_INT[k] and (type(v) ~= "number" or v ~= math.floor(v) or v < 1) then
      error(("tpp.infer: %s: got %s, expected a whole number >= 1"):format(k, tostring(v)), 0)
    end
    o[k] = v
  end
  local c = tpp.chip(chip)
  local shape = M.model_shape(model, o.precision, o.kv_precision)
  local res = { chip = c.data.id or c.data.name, chip_name = c.data.name, model = shape.key, model_name = shape.name,
                scenario = o, assumptions = {
                  ("efficiencies: %s of peak bandwidth, %s of peak FLOPS (defaults from published engine " ..
                   "measurements; override with eff_mem / eff_compute)"):format(util.num(o.eff_mem), util.num(o.eff_compute)),
                  ("decode at the mean context: prompt + half the output (%d tokens)")
                    :format(o.prompt_tokens + math.floor(o.output_tokens / 2)),
                } }
  if (o.precision == "fp4" or o.precision == "int4") then
    res.assumptions[#res.assumptions + 1] = "4-bit weights at 4.5 bits each (block scales included)"
  end
  local hw, missing = M.hardware(c, o.precision)
  if not hw then
    res.status, res.missing = "undetermined", missing
    return res
  end
  for _, n in ipairs(hw.notes) do res.assumptions[#res.assumptions + 1] = n end
  if o.tp > 1 and not hw.link_gbs then
    res.status, res.missing = "undetermined", { "interconnect_gbs (needed for tensor parallelism)" }
    return res
  end
  if o.tp > 1 then
    res.assumptions[#res.assumptions + 1] = ("tensor parallel over %d chips: 2 ring all-reduces per layer, " ..
      "%s us each plus bytes / link"):format(o.tp, util.num(o.allreduce_us))
  end
  local r = core.infer_eval(hw, shape, o)
  for k, v in pairs(r) do res[k] = v end
  res.status = "estimated"
  res.hardware = { peak_tflops = hw.peak_tflops, compute_precision = hw.compute_precision, mem_bw_gbs = hw.mem_bw_gbs,
                   mem_gb = hw.mem_gb, link_gbs = hw.link_gbs, provenance = hw.provenance }
  res.params_b = shape.params / 1e9
  res.active_params_b = shape.active_params / 1e9
  res.kv_bytes_per_token = shape.kv_bytes_per_token
  if not r.fits then
    res.assumptions[#res.assumptions + 1] = r.max_batch > 0 and
      ("does not fit: batch %d needs %.1f GB per chip; at most %d sequences fit"):format(o.batch,
        r.weights_gb + r.kv_gb, r.max_batch) or
      ("does not fit: the weights alone need %.1f GB per chip of %s GB; raise tp"):format(r.weights_gb, util.num(hw.mem_gb))
  end
  return res
end

--- Published measurements to check the model against (INFERENCE.md §2).
M.ANCHORS = {
  { id = "kipply-13b-decode", what = "decode ms/token", chip = { name = "A100 40GB", dense = { fp16 = 312 },
      memory = { bandwidth_gbs = 1555, capacity_gb = 40 } },
    model = "llama-2-13b", opts = { precision = "fp16", batch = 1, prompt_tokens = 512, output_tokens = 10 },
    field = "decode_ms", measured = 22.0, source = "kipply / FasterTransformer 13B, A100-40GB, TP1 (INFERENCE.md §2.3)" },
  { id = "kipply-13b-prefill", what = "prefill ms (512 tokens)", chip = { name = "A100 40GB", dense = { fp16 = 312 },
      memory = { bandwidth_gbs = 1555, capacity_gb = 40 } },
    model = "llama-2-13b", opts = { precision = "fp16", batch = 1, prompt_tokens = 512, output_tokens = 10 },
    field = "prefill_ms", measured = 63.17, source = "kipply / FasterTransformer 13B, A100-40GB, TP1 (INFERENCE.md §2.3)" },
  { id = "nim-70b-itl", what = "decode ms/token", chip = "nv_h100_sxm", model = "llama-3.3-70b",
    opts = { precision = "fp8", batch = 1, prompt_tokens = 5000, output_tokens = 500, tp = 2 },
    field = "decode_ms", measured = 18.6,
    source = "NVIDIA NIM 1.8.0, Llama-3.3-70B FP8, 2x H100, concurrency 1 (INFERENCE.md §2.2)" },
  { id = "trt-7b-ttft-2048", what = "prefill ms (2,048 tokens)", chip = "nv_h100_sxm", model = "llama-2-7b",
    opts = { precision = "fp8", batch = 1, prompt_tokens = 2048, output_tokens = 1 },
    field = "prefill_ms", measured = 36, source = "TensorRT-LLM v0.5/0.6 H100 FP8 LLaMA-7B batch-1 TTFT (INFERENCE.md §2.1)" },
  { id = "vllm-8b-step", what = "decode ms/step (batch 8)", chip = "nv_h200_sxm", model = "llama-3.1-8b",
    opts = { precision = "bf16", batch = 8, prompt_tokens = 32, output_tokens = 128 },
    field = "decode_ms", measured = 6.5,
    source = "vLLM CI latency test, H200 bf16, in 32 / out 128 / batch 8 (INFERENCE.md §2.2)" },
}

--- Predicted vs measured for every anchor, with the relative error.
function M.validate(anchors)
  local out = {}
  for _, a in ipairs(anchors or M.ANCHORS) do
    local r = M.estimate(a.chip, a.model, a.opts)
    local pred = r[a.field]
    out[#out + 1] = { id = a.id, what = a.what, predicted = pred, measured = a.measured,
                      error = pred and (pred - a.measured) / a.measured, source = a.source }
  end
  return out
end

return M
