--- tpp.fleet.bases: the yardsticks of a fleet, each in H100-equivalents.
--
-- An H100-equivalent (H100e) on a basis is a chip's figure on that basis
-- divided by the figure of the H100 SXM entry of tpp's chip database
-- (nv_h100_sxm), through one function, reference(), so 1,000 H100s are
-- exactly 1,000 H100e on every basis. (The TPP reference is therefore
-- 15,831.2 = 8 x 1,978.9 dense 8-bit TOPS, not the rounded 15,832 some
-- publications use: 1,000,000 H20s are 1,000,000 x 2,368 / 15,831.2 =
-- 149,578 H100e by TPP.)
--
--   tpp      TPP (the 3A090 metric)                            compute (training)
--   8bit     dense 8-bit OP/s (the larger of INT8 and FP8)     compute (training)
--   fp16     dense FP16/BF16 FLOP/s                            compute (training)
--   membw    memory bandwidth, GB/s                            inference (decode)
--   serving  output tokens/s on a declared model and workload  inference
--
-- A chip without a figure on a basis is "unknown" there (named by the
-- caller), never zero. The serving basis comes from one adapter,
-- serving_tokens_per_s(), over today's roofline model (tpp.infer).
local infer = require "tpp.infer"
local chips = require "tpp.fleet.chips"
local util = require "tpp.util"

local M = {}

M.ORDER = { "tpp", "8bit", "fp16", "membw", "serving" }
M.REFERENCE_CHIP = "nv_h100_sxm"

M.BASES = {
  tpp = { use = "compute", label = "TPP", unit = "TPP",
          means = "TPP = 2 x dense MacTOPS x bit length, the 3A090 metric" },
  ["8bit"] = { use = "compute", label = "dense 8-bit", unit = "TOPS",
               means = "dense 8-bit tensor OP/s, the larger of INT8 and FP8" },
  fp16 = { use = "compute", label = "dense FP16", unit = "TFLOPS",
           means = "dense FP16/BF16 tensor FLOP/s, the larger of the two" },
  membw = { use = "inference", label = "memory bandwidth", unit = "GB/s",
            means = "memory (HBM/DRAM) bandwidth, which bounds LLM decode speed" },
  serving = { use = "inference", label = "serving", unit = "tokens/s",
              means = "output tokens per second per chip on the declared workload (roofline model)" },
}
M.USE_LABEL = { compute = "compute (training)", inference = "inference" }

--- Is `name` a basis? With a suggestion when not.
function M.check(name, where)
  if M.BASES[name] then return name end
  local hint = util.did_you_mean(tostring(name), M.ORDER)
  error(("tpp: %s'%s' is not a basis%s; bases: %s"):format(where and (where .. ": ") or "", tostring(name),
    hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(M.ORDER, ", ")), 0)
end

local function max_of(a, b)
  if a and b then return math.max(a, b) end
  return a or b
end

-- ---- serving ---------------------------------------------------------------

--- The workload of the serving basis. Every field is stated in the output.
M.DEFAULT_WORKLOAD = {
  model = "llama-3.3-70b", precision = "fp16", kv_precision = "fp16", batch = 64,
  prompt_tokens = 1024, output_tokens = 256, tp = 8,
}
local WORKLOAD_KEYS = { model = "string", precision = "string", kv_precision = "string", batch = "number",
                        prompt_tokens = "number", output_tokens = "number", tp = "number",
                        eff_mem = "number", eff_compute = "number" }

--- A complete workload from a partial one (unknown keys are errors).
function M.workload(w)
  local out = util.deepcopy(M.DEFAULT_WORKLOAD)
  for k, v in pairs(w or {}) do
    if not WORKLOAD_KEYS[k] then
      local hint = util.did_you_mean(tostring(k), util.sorted_keys(WORKLOAD_KEYS))
      error(("tpp.fleet: workload.%s unknown%s; keys: %s"):format(tostring(k),
        hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(util.sorted_keys(WORKLOAD_KEYS), ", ")), 0)
    end
    if type(v) ~= WORKLOAD_KEYS[k] then
      error(("tpp.fleet: workload.%s: %s expected, got %s"):format(k, WORKLOAD_KEYS[k], type(v)), 0)
    end
    out[k] = v
  end
  infer.model_shape(out.model, out.precision, out.kv_precision) -- validates model and precisions
  return out
end

--- One line describing a workload.
function M.workload_text(w)
  local shape = infer.model_shape(w.model, w.precision, w.kv_precision)
  return ("%s, %s weights, %s KV cache, batch %d per replica, %d prompt + %d output tokens, tensor-parallel " ..
    "over %d chips; output tokens/s per chip = batch x output tokens / (prefill + output x decode step) / %d " ..
    "(roofline model, efficiencies %s of peak bandwidth and %s of peak FLOPS)"):format(shape.name, w.precision,
    w.kv_precision, w.batch, w.prompt_tokens, w.output_tokens, w.tp, w.tp,
    util.num(w.eff_mem or infer.DEFAULTS.eff_mem), util.num(w.eff_compute or infer.DEFAULTS.eff_compute))
end

-- How far a chip's serving software may fall short of, or exceed, the
-- efficiency the roofline assumes for the H100 (a per-chip low/central/high
-- multiplier of its tokens/s). NVIDIA chips run the H100's software stack:
-- no relative spread. Others: 0.6 to 1.1.
M.RELATIVE_EFFICIENCY = {
  same_stack = { low = 1, central = 1, high = 1,
    note = "runs the H100's software stack (CUDA): no relative efficiency spread" },
  other = { low = 0.6, central = 1, high = 1.1,
    note = "another software stack: 0.6 to 1.1 of the roofline's efficiency relative to the H100 [derived]: " ..
      "MLCommons MLPerf Inference v4.1 (closed), Llama-2-70B Offline, 8 x AMD MI300X (vLLM/ROCm) reached " ..
      "23,514.8 tokens/s against 24,524.9 for 8 x H100-SXM (TensorRT-LLM), 0.61 of the 1.58 bandwidth ratio; " ..
      "Huawei's CloudMatrix384 (Zuo et al., arXiv 2506.12708) reports 1,943 decode tokens/s per Ascend 910C " ..
      "against DeepSeek's 1,850 per H800 (DeepSeek, 'Day 6: DeepSeek-V3/R1 Inference System Overview', " ..
      "2025-03-01), about 1.1 of the bandwidth ratio" },
}

local serving_cache = {}

--- The adapter: output tokens/s of one chip on a workload, central / low /
-- high, or nil and the reason. Today it calls the roofline model
-- (tpp.infer.estimate); low/high apply the relative efficiency above.
function M.serving_tokens_per_s(chip, workload)
  local c = chips.must(chip)
  local w = workload or M.DEFAULT_WORKLOAD
  local key = (c.data.id or c.data.name or tostring(c)) .. "|" .. w.model .. "|" .. w.precision .. "|" ..
    w.kv_precision .. "|" .. w.batch .. "|" .. w.prompt_tokens .. "|" .. w.output_tokens .. "|" .. w.tp .. "|" ..
    tostring(w.eff_mem) .. "|" .. tostring(w.eff_compute)
  local hit = serving_cache[key]
  if hit then return hit[1], hit[2] end
  local r = infer.estimate(c, w.model, { precision = w.precision, kv_precision = w.kv_precision, batch = w.batch,
    prompt_tokens = w.prompt_tokens, output_tokens = w.output_tokens, tp = w.tp, eff_mem = w.eff_mem,
    eff_compute = w.eff_compute })
  local out, why
  if r.status ~= "estimated" then
    why = "the serving model lacks " .. table.concat(r.missing or { "an input" }, ", ")
  elseif not r.fits then
    why = ("the workload does not fit in its memory at tp %d (%s)"):format(w.tp, r.assumptions[#r.assumptions])
  else
    local seconds = (r.prefill_ms + w.output_tokens * r.decode_ms) / 1000
    local central = w.batch * w.output_tokens / seconds / w.tp
    local rel = (c.data.vendor == "NVIDIA") and M.RELATIVE_EFFICIENCY.same_stack or M.RELATIVE_EFFICIENCY.other
    out = { central = central, low = central * rel.low, high = central * rel.high, note = rel.note,
            decode_bound = r.decode_bound, prefill_bound = r.prefill_bound }
  end
  serving_cache[key] = { out, why }
  return out, why
end

-- ---- figures and factors ----------------------------------------------------

--- A chip's figure on a basis: value (nil if unknown) and the reason when unknown.
-- serving returns the central tokens/s and, third, the full triple.
function M.figure(chip, basis, workload)
  local c = chips.must(chip)
  local d = c.data
  local name = d.id or d.name or "chip"
  if basis == "tpp" then
    local v = c:metrics().tpp
    if not v then return nil, ("%s has no dense throughput figure, so no TPP"):format(name) end
    return v
  elseif basis == "8bit" then
    local v = max_of(d.dense.int8, d.dense.fp8)
    if not v then return nil, ("%s has no dense INT8 or FP8 figure"):format(name) end
    return v
  elseif basis == "fp16" then
    local v = max_of(d.dense.fp16, d.dense.bf16)
    if not v then return nil, ("%s has no dense FP16 or BF16 figure"):format(name) end
    return v
  elseif basis == "membw" then
    local v = d.memory.bandwidth_gbs
    if not v then return nil, ("%s has no memory bandwidth figure"):format(name) end
    return v
  elseif basis == "serving" then
    local s, why = M.serving_tokens_per_s(c, workload)
    if not s then return nil, ("%s: %s"):format(name, why) end
    return s.central, nil, s
  end
  M.check(basis)
end

--- The H100 reference of a basis: the figure of the database's H100 SXM entry.
-- The one place every H100e divides by.
function M.reference(basis, workload)
  M.check(basis)
  local v, why = M.figure(M.REFERENCE_CHIP, basis, workload)
  if not v then error("tpp.fleet: the H100 reference is unknown on basis " .. basis .. ": " .. tostring(why), 0) end
  return v
end

--- H100e per unit of a chip on a basis: { low, central, high } or nil, reason.
function M.factor(chip, basis, workload)
  local v, why, triple = M.figure(chip, basis, workload)
  if not v then return nil, why end
  local ref = M.reference(basis, workload)
  if triple then
    return { low = triple.low / ref, central = triple.central / ref, high = triple.high / ref, note = triple.note }
  end
  return { low = v / ref, central = v / ref, high = v / ref }
end

--- How the reference was obtained, for every output.
function M.reference_text(basis, workload)
  local ref = M.reference(basis, workload)
  local b = M.BASES[basis]
  if basis == "serving" then
    return ("%s tokens/s: the H100 SXM (%s) on the same workload"):format(util.num(ref), M.REFERENCE_CHIP)
  end
  return ("%s %s: the H100 SXM entry of tpp's chip database (%s)"):format(util.num(ref), b.unit, M.REFERENCE_CHIP)
end

-- ---- families ----------------------------------------------------------------

local FAMILY_PATTERNS = {
  { "^nv_a[18]00", "NVIDIA Ampere (A100/A800)" },
  { "^nv_h20$", "NVIDIA H20" },
  { "^nv_h[18]00", "NVIDIA Hopper (H100/H800)" },
  { "^nv_h200", "NVIDIA H200" },
  { "^nv_g?b%d", "NVIDIA Blackwell" },
  { "^nv_l", "NVIDIA Ada (L-series)" },
  { "^nv_rtx", "NVIDIA RTX" },
  { "^amd_", "AMD Instinct" },
  { "^hw_", "Huawei Ascend" },
  { "^camb_", "Cambricon" },
  { "^goog_", "Google TPU" },
  { "^aws_", "AWS Trainium" },
  { "^intel_", "Intel Gaudi" },
}

--- The family of a chip id (for stacked charts); a database chip outside
-- the patterns takes its vendor's name.
function M.family(id)
  for _, p in ipairs(FAMILY_PATTERNS) do
    if id:match(p[1]) then return p[2] end
  end
  local c = chips.get(id)
  return c and c.data.vendor or id
end

return M
