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
-- serving_tokens_per_s(), over tpp's calibrated serving model (tpp.serve).
local serve = require "tpp.serve"
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
              means = "output tokens per second per chip on the declared workload (tpp.serve)" },
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

--- The workload of the serving basis (tpp.serve's options). Every field is
-- stated in the output; precision nil = each chip's own 8-bit format where it
-- has one (tpp.serve's default), kv_precision nil = tpp.serve's default.
M.DEFAULT_WORKLOAD = {
  model = "llama-3.1-70b", scenario = "offline", chips = 8, input_tokens = 1024, output_tokens = 256,
}
local WORKLOAD_KEYS = { model = "string", scenario = "string", chips = "number", input_tokens = "number",
                        output_tokens = "number", precision = "string", kv_precision = "string",
                        tpot_ms = "number", ttft_ms = "number" }
M.WORKLOAD_KEYS = WORKLOAD_KEYS

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
  if not serve.SCENARIOS[out.scenario] then
    error(("tpp.fleet: workload.scenario: '%s'; expected offline, server, latency or batch"):format(out.scenario), 0)
  end
  for _, k in ipairs({ "chips", "input_tokens", "output_tokens", "tpot_ms", "ttft_ms" }) do
    serve.check_option(k, out[k], "workload." .. k)
  end
  if out.precision and not serve.models.BYTES[out.precision] then
    error(("tpp.fleet: workload.precision: '%s' is not a precision tpp.serve knows"):format(out.precision), 0)
  end
  serve.model(out.model) -- a model preset or file it can read
  return out
end

--- One line describing a workload.
function M.workload_text(w)
  local m = serve.model(w.model)
  return ("%s, %s scenario, %d chips per deployment, %d input + %d output tokens, weights %s, KV cache %s%s; " ..
    "output tokens/s per chip from tpp's calibrated serving model (tpp.serve), its low/high the one-sigma range " ..
    "of the efficiency table"):format(m.name or w.model, w.scenario, w.chips, w.input_tokens, w.output_tokens,
    w.precision or "at each chip's own 8-bit format where it has one", w.kv_precision or serve.DEFAULTS.kv_precision,
    (w.tpot_ms or w.ttft_ms) and (", targets TPOT %s ms, TTFT %s ms"):format(tostring(w.tpot_ms or "-"),
      tostring(w.ttft_ms or "-")) or "")
end

-- The range tpp.serve gives is one sigma (value x exp(+-u)): a p68 interval.
M.SERVING_COVERAGE = 0.6827

local serving_cache = {}

--- The adapter: output tokens/s per chip on a workload, central / low /
-- high, or nil and the reason (tpp.serve.throughput).
function M.serving_tokens_per_s(chip, workload)
  local c = chips.must(chip)
  local w = workload or M.DEFAULT_WORKLOAD
  local parts = { c.data.id or c.data.name or tostring(c) }
  for _, k in ipairs(util.sorted_keys(WORKLOAD_KEYS)) do parts[#parts + 1] = tostring(w[k]) end
  local key = table.concat(parts, "|")
  local hit = serving_cache[key]
  if hit then return hit[1], hit[2] end
  local t = serve.throughput({ chip = c, model = w.model, scenario = w.scenario, chips = w.chips,
    input_tokens = w.input_tokens, output_tokens = w.output_tokens, precision = w.precision,
    kv_precision = w.kv_precision, tpot_ms = w.tpot_ms, ttft_ms = w.ttft_ms })
  local out, why
  if t.status ~= "ok" or not t.central then
    why = ("the serving model finds it %s: %s"):format(t.status or "undetermined", tostring(t.reason))
  else
    local e = t.efficiency
    out = { central = t.central, low = t.low or t.central, high = t.high or t.central, plan = t.plan,
            efficiency_keys = e and (e.decode.key .. "/" .. e.prefill.key .. "/" .. e.stack) or "?",
            precision = t.result and t.result.precision }
  end
  serving_cache[key] = { out, why }
  return out, why
end

-- The H100e triple of a chip on the serving basis: the chip's tokens/s over
-- the H100's. Chips on the H100's own efficiency entries move with it (the
-- ratio's range is theirs over the H100's, the H100 itself exactly 1); other
-- chips' errors are independent of the H100's, so the log-ranges add in
-- quadrature.
local function serving_ratio(c, h)
  local r = c.central / h.central
  if c.efficiency_keys == h.efficiency_keys then
    return { low = c.low / h.low, central = r, high = c.high / h.high }
  end
  local function l(a, b) return math.log(a / b) end
  local down = math.sqrt(l(c.central, c.low) ^ 2 + l(h.high, h.central) ^ 2)
  local up = math.sqrt(l(c.high, c.central) ^ 2 + l(h.central, h.low) ^ 2)
  return { low = r * math.exp(-down), central = r, high = r * math.exp(up) }
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

--- H100e per unit of a chip on a basis: { low, central, high[, coverage] } or
-- nil and the reason it is unknown.
function M.factor(chip, basis, workload)
  local v, why, triple = M.figure(chip, basis, workload)
  if not v then return nil, why end
  if triple then
    local _, _, h = M.figure(M.REFERENCE_CHIP, basis, workload)
    local f = serving_ratio(triple, h)
    f.coverage = M.SERVING_COVERAGE
    return f
  end
  local ref = M.reference(basis, workload)
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
