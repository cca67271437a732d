--- tpp.serve: how fast a deployment of chips serves an LLM, calibrated on
-- published measurements (the successor of tpp.infer).
--
--   local serve = require "tpp.serve"              -- or tpp.serve
--   local r = serve.evaluate{ chip = "H20", model = "llama-3.1-70b", scenario = "offline", chips = 8 }
--   print(r.per_chip_output_tokens_per_s, r.per_chip_output_tokens_per_s_low, r.ttft_ms)
--   local t = serve.throughput{ chip = "H100", model = "deepseek-r1", scenario = "server", tpot_ms = 50 }
--   print(t.central, t.low, t.high)                -- output tokens/s per chip
--
-- Every figure comes with low/high from the efficiency table's uncertainty,
-- the efficiency entries used (with the measurements they were fitted on),
-- the parallelism plan, and the assumptions. An impossible deployment comes
-- back with status "infeasible", the reason, and the nearest feasible
-- configuration, never with a number; a chip lacking an input is
-- "undetermined", naming it. docs/serving-model.md has the method.
local core = require "tpp.backend"
local tpp = require "tpp"
local util = require "tpp.util"
local json = require "tpp.json"
local models = require "tpp.serve.models"
local links = require "tpp.serve.links"
local stacks = require "tpp.serve.stacks"
local efficiency = require "tpp.serve.efficiency"

local M = {}

M.models = models
M.links = links
M.stacks = stacks
M.efficiency = efficiency

M.SCENARIOS = { offline = true, server = true, latency = true, batch = true }
M.KV_PRECISIONS = { bf16 = true, fp16 = true, fp8 = true, int8 = true, fp32 = true }
M.DEFAULTS = { input_tokens = 1024, output_tokens = 256, kv_precision = "bf16", scenario = "offline" }
-- prompt tokens a prefill pass takes at most (chunked prefill), per replica
M.PREFILL_PASS_TOKENS = 16384
-- chips considered when no --chips is given (a replica never needs more)
M.MAX_AUTO_CHIPS = 64

local MODE = { aggregated = 0, decode = 1, prefill = 2 }
local KIND = { fixed = 0, offline = 1, server = 2 }

-- ---- option checks (shared with the CLI, which names its flags) ----

-- name -> { kind, min, max, open }; kind int: whole number; frac: (0,1] or [0,1) when open
M.RANGES = {
  batch = { "int", 1 }, input_tokens = { "int", 1 }, output_tokens = { "int", 1 }, chips = { "int", 1 },
  tp = { "int", 1 }, pp = { "int", 1 }, ep = { "int", 1 }, spec_tokens = { "int", 0, 64 },
  prefill_chips = { "int", 1 }, decode_chips = { "int", 1 }, max_batch = { "int", 1 },
  eff_mem = { "frac" }, eff_compute = { "frac" }, prefix_hit = { "frac", open = true },
  spec_accept = { "num", 0 }, ttft_ms = { "pos" }, tpot_ms = { "pos" },
}

--- Check one numeric option; label names it in the message (e.g. "--batch").
function M.check_option(name, v, label)
  local r = M.RANGES[name]
  label = label or name
  if not r or v == nil then return v end
  local kind = r[1]
  local function bad(expected)
    error(("tpp.serve: %s: got %s, expected %s"):format(label, tostring(v), expected), 0)
  end
  if type(v) ~= "number" or v ~= v then bad("a number") end
  if kind == "int" then
    if v ~= math.floor(v) or v < r[2] or (r[3] and v > r[3]) or v > 2 ^ 30 then
      bad(r[3] and ("a whole number in %d..%d"):format(r[2], r[3]) or ("a whole number >= %d"):format(r[2]))
    end
  elseif kind == "frac" then
    if r.open and not (v >= 0 and v < 1) then bad("a fraction in [0, 1)") end
    if not r.open and not (v > 0 and v <= 1) then bad("a fraction in (0, 1]") end
  elseif kind == "pos" then
    if v <= 0 or v == math.huge then bad("a number > 0") end
  elseif kind == "num" then
    if v < r[2] or v == math.huge then bad(("a number >= %s"):format(tostring(r[2]))) end
  end
  return v
end

-- ---- chips ----

--- The precision tpp uses when none is given: the chip's 8-bit format when it
-- computes at 8 bits (fp8, else int8 = W8A8), else 16-bit. One rule for
-- `tpp infer`, `tpp compare` and the API.
function M.default_precision(chip)
  local d = tpp.chip(chip).data
  local dense = d.dense or {}
  if dense.fp8 then return "fp8" end
  if dense.int8 then return "int8" end
  if dense.bf16 then return "bf16" end
  if dense.fp16 then return "fp16" end
  return "fp32"
end

local GEMM = { fp32 = { "fp32" }, fp16 = { "fp16", "bf16" }, bf16 = { "bf16", "fp16" }, fp8 = { "fp8" },
               int8 = { "int8" }, fp4 = { "fp4", "fp8", "int8" }, int4 = { "int4", "int8", "fp8" } }

--- Peaks and memory the model needs from a chip; nil, missing inputs when absent.
function M.hardware(chip, precision, kv_precision)
  local d = tpp.chip(chip).data
  local dense = {}
  for k, v in pairs(d.dense or {}) do
    if type(v) == "number" and v > 0 then dense[k] = v end -- a zero rate is no rate
  end
  local notes, missing = {}, {}
  local name = d.name or d.id or "chip"
  local gemm, gemm_p
  for i, p in ipairs(GEMM[precision] or {}) do
    if dense[p] then
      gemm, gemm_p = dense[p], p
      if i > 1 then notes[#notes + 1] = ("%s has no %s rate: %s weights with %s math"):format(name, precision,
        precision, p) end
      break
    end
  end
  if not gemm then
    for _, p in ipairs({ "bf16", "fp16", "fp32" }) do
      if dense[p] then
        gemm, gemm_p = dense[p], p
        notes[#notes + 1] = ("%s has no %s rate: weights stored at %s, math at %s (weight-only quantization)")
          :format(name, precision, precision, p)
        break
      end
    end
  end
  if not gemm then missing[#missing + 1] = "dense." .. precision .. " (or a 16-bit rate)" end
  local attn, attn_p
  if kv_precision == "fp8" and dense.fp8 then
    attn, attn_p = dense.fp8, "fp8"
  else
    for _, p in ipairs({ "bf16", "fp16", "fp32" }) do
      if dense[p] then attn, attn_p = dense[p], p; break end
    end
  end
  if not attn then missing[#missing + 1] = "dense.bf16 (attention math)" end
  local mem = d.memory or {}
  if not (mem.bandwidth_gbs and mem.bandwidth_gbs > 0) then missing[#missing + 1] = "memory.bandwidth_gbs" end
  if not (mem.capacity_gb and mem.capacity_gb > 0) then missing[#missing + 1] = "memory.capacity_gb" end
  if #missing > 0 then return nil, missing end
  local prov = d.provenance or {}
  for _, k in ipairs({ "dense." .. gemm_p, "memory.bandwidth_gbs", "memory.capacity_gb" }) do
    local p = prov[k]
    if p and p ~= "vendor" and p ~= "measured" then
      notes[#notes + 1] = ("%s %s is %s, not a vendor figure"):format(name, k, p)
    end
  end
  return { gemm_tflops = gemm, gemm_precision = gemm_p, attn_tflops = attn, attn_precision = attn_p,
           mem_bw_gbs = mem.bandwidth_gbs, mem_gb = mem.capacity_gb, notes = notes }
end

-- ---- models ----

--- An architecture from a preset name, an architecture table, or a file.
function M.model(x)
  if type(x) == "table" then
    local a = util.deepcopy(x)
    a.key = a.key or a.name or "model"
    return models.check(a, "model")
  end
  if type(x) == "string" and (x:match("%.json$") or x:match("%.lua$") or x:find("/", 1, true)) then
    local a, err = models.load(x)
    if not a then error(err, 0) end
    return a
  end
  return models.get(x)
end

-- ---- plans ----

local function pow2_upto(n)
  local out, v = {}, 1
  while v <= n do out[#out + 1] = v; v = v * 2 end
  return out
end

--- Candidate plans for a model on up to max_chips chips in domains of size D.
function M.plans(arch, max_chips, D, fixed)
  fixed = fixed or {}
  local out = {}
  local tps = fixed.tp and { fixed.tp } or pow2_upto(math.min(D, max_chips))
  local pps = fixed.pp and { fixed.pp } or pow2_upto(math.min(16, max_chips, arch.n_layers))
  for _, tp in ipairs(tps) do
    for _, pp in ipairs(pps) do
      local eps
      if fixed.ep then eps = { fixed.ep }
      elseif arch.moe then
        eps = { 1 }
        local e = tp * 2
        while e * pp <= max_chips do eps[#eps + 1] = e; e = e * 2 end
        if tp > 1 then eps[#eps + 1] = tp end
      else eps = { 1 } end
      for _, ep in ipairs(eps) do
        local S = math.max(tp, ep)
        if S * pp <= max_chips then out[#out + 1] = { tp = tp, pp = pp, ep = ep } end
      end
    end
  end
  return out
end

local function plan_text(p)
  local parts = { "tp " .. p.tp }
  if p.pp > 1 then parts[#parts + 1] = "pp " .. p.pp end
  if p.ep > 1 then parts[#parts + 1] = "ep " .. p.ep end
  return table.concat(parts, ", ")
end
M.plan_text = plan_text

--- Parse "tp=2,pp=1,ep=8" (or a table) into a complete plan: a plan string
-- names the whole plan, so a degree it leaves out is 1 ("ep=16" = tp 1, pp 1,
-- ep 16). The tp/pp/ep options instead fix one degree and search the rest.
function M.parse_plan(s, label)
  if s == nil or s == "auto" then return nil end
  if type(s) == "table" then return s end
  local p = {}
  for k, v in tostring(s):gmatch("(%a+)%s*=%s*([^,%s]+)") do
    if k ~= "tp" and k ~= "pp" and k ~= "ep" then
      error(("tpp.serve: %s: '%s' is not tp, pp or ep"):format(label or "plan", k), 0)
    end
    p[k] = M.check_option(k, tonumber(v), (label or "plan") .. " " .. k)
  end
  if next(p) == nil then
    error(("tpp.serve: %s: got '%s', expected e.g. tp=2,pp=1,ep=8"):format(label or "plan", tostring(s)), 0)
  end
  p.tp, p.pp, p.ep = p.tp or 1, p.pp or 1, p.ep or 1
  return p
end

-- ---- evaluation ----

local OPTIONS = {
  chip = true, model = true, scenario = true, batch = true, chips = true, tp = true, pp = true, ep = true,
  plan = true, precision = true, kv_precision = true, input_tokens = true, output_tokens = true,
  ttft_ms = true, tpot_ms = true, stack = true, system = true, eff_mem = true, eff_compute = true,
  prefix_hit = true, spec_tokens = true, spec_accept = true, efficiency = true, pool = true,
  prefill_chips = true, decode_chips = true, prefill_plan = true, decode_plan = true, max_batch = true,
}

local function normalize(o)
  if type(o) ~= "table" then error("tpp.serve: an options table expected", 3) end
  for k in pairs(o) do
    if not OPTIONS[k] then
      local hint = util.did_you_mean(tostring(k), util.sorted_keys(OPTIONS))
      error(("tpp.serve: option '%s' unknown%s"):format(tostring(k), hint and ("; did you mean '" .. hint .. "'?")
        or ""), 0)
    end
  end
  local n = {}
  for k, v in pairs(o) do n[k] = v end
  for k in pairs(M.RANGES) do
    if n[k] ~= nil then
      if type(n[k]) == "string" then n[k] = tonumber(n[k]) or n[k] end
      M.check_option(k, n[k])
    end
  end
  if n.chip == nil then error("tpp.serve: chip: required", 0) end
  if n.model == nil then error("tpp.serve: model: required (a preset name, a table or a config.json path)", 0) end
  n.input_tokens = n.input_tokens or M.DEFAULTS.input_tokens
  n.output_tokens = n.output_tokens or M.DEFAULTS.output_tokens
  if n.scenario == nil then n.scenario = n.batch and "batch" or M.DEFAULTS.scenario end
  if not M.SCENARIOS[n.scenario] then
    error(("tpp.serve: scenario: got '%s', expected offline, server, latency or batch"):format(tostring(n.scenario)), 0)
  end
  if n.scenario == "latency" then n.batch = n.batch or 1 end
  if n.scenario == "batch" and not n.batch then error("tpp.serve: scenario 'batch' needs batch", 0) end
  if n.scenario == "server" and not (n.ttft_ms or n.tpot_ms) then
    error("tpp.serve: scenario 'server' needs a latency target: ttft_ms and/or tpot_ms", 0)
  end
  if n.kv_precision ~= nil and not M.KV_PRECISIONS[n.kv_precision] then
    error(("tpp.serve: kv_precision: got '%s', expected one of bf16, fp16, fp8, int8, fp32"):format(
      tostring(n.kv_precision)), 0)
  end
  if n.precision ~= nil and not models.BYTES[n.precision] then
    error(("tpp.serve: precision: got '%s', expected one of %s"):format(tostring(n.precision),
      table.concat(util.sorted_keys(models.BYTES), ", ")), 0)
  end
  if n.spec_accept and n.spec_accept > (n.spec_tokens or 0) then
    error(("tpp.serve: spec_accept: got %s, expected 0..spec_tokens (%d)"):format(tostring(n.spec_accept),
      n.spec_tokens or 0), 0)
  end
  if n.pool ~= nil and n.pool ~= "decode" and n.pool ~= "prefill" then
    error(("tpp.serve: pool: got '%s', expected decode or prefill"):format(tostring(n.pool)), 0)
  end
  if (n.prefill_chips == nil) ~= (n.decode_chips == nil) then
    error("tpp.serve: a disaggregated deployment needs both prefill_chips and decode_chips", 0)
  end
  local fixed = M.parse_plan(n.plan) or {}
  fixed.tp, fixed.pp, fixed.ep = n.tp or fixed.tp, n.pp or fixed.pp, n.ep or fixed.ep
  n.fixed = fixed
  return n
end

-- value, low, high of a field over three results (low/high are numeric bounds)
local function spread(c, lo, hi, key)
  local v, a, b = c and c[key], lo and lo[key], hi and hi[key]
  if v == nil then return nil end
  local l, h = v, v
  for _, x in ipairs({ a, b }) do
    if x ~= nil then l, h = math.min(l, x), math.max(h, x) end
  end
  return v, l, h
end

local STATUS_TEXT = {
  weights_do_not_fit = "the weights do not fit in memory",
  batch_does_not_fit = "the KV cache of this batch does not fit in memory",
  tp_exceeds_domain = "tensor parallelism is wider than the scale-up domain",
  needs_scaleout = "the plan spans several scale-up domains and the scale-out link is unknown",
  latency_unmet = "no batch meets the latency target",
  bad_plan = "the expert-parallel group does not split into tensor-parallel groups",
}
M.STATUS_TEXT = STATUS_TEXT

-- Build the C config for a chip, model shape, plan and efficiency values.
local function config(ctx, plan, mem, compute, mode)
  return {
    chip = ctx.chip_cfg, model = ctx.model_cfg, plan = plan,
    work = { batch = 1, input_tokens = ctx.o.input_tokens, output_tokens = ctx.o.output_tokens,
             mode = MODE[mode or "aggregated"], spec_tokens = ctx.o.spec_tokens or 0,
             spec_accept = ctx.o.spec_accept or 0, prefix_hit = ctx.o.prefix_hit or 0 },
    eff = { mem = mem, compute = compute, gemm_m_half = ctx.gemm_m_half, roofline_p = ctx.roofline_p,
            step_us = ctx.stack.step_us,
            overlap = ctx.stack.overlap,
            mem_reserve = 0.1, dispatch_bytes = ctx.stack.dispatch_bytes, moe_imbalance = 1 },
  }
end

-- The target of a scenario for the C search.
local function target(ctx, mode, plan)
  local o = ctx.o
  -- engines schedule per attention group: data-parallel attention multiplies the limit
  local cap = (o.max_batch or ctx.stack.max_batch) * (math.max(plan.tp, plan.ep) / plan.tp)
  if mode == "prefill" then
    cap = math.max(1, math.floor(M.PREFILL_PASS_TOKENS / o.input_tokens))
    if o.ttft_ms then return { kind = KIND.server, max_batch = cap, ttft_ms = o.ttft_ms, tpot_ms = 0 } end
    return { kind = KIND.offline, max_batch = cap, ttft_ms = 0, tpot_ms = 0 }
  end
  if o.scenario == "offline" then return { kind = KIND.offline, max_batch = cap, ttft_ms = 0, tpot_ms = 0 } end
  if o.scenario == "server" then
    return { kind = KIND.server, max_batch = cap, ttft_ms = mode == "decode" and 0 or (o.ttft_ms or 0),
             tpot_ms = o.tpot_ms or 0 }
  end
  return { kind = KIND.fixed, max_batch = 0, ttft_ms = 0, tpot_ms = 0 }
end

local function run(ctx, plan, mode, mem, compute, batch)
  local cfg = config(ctx, plan, mem, compute, mode)
  local t = target(ctx, mode, plan)
  if t.kind == KIND.fixed or batch then cfg.work.batch = batch or ctx.o.batch; t = { kind = KIND.fixed } end
  return core.serve_search(cfg, t)
end

-- The figure a plan is judged by.
local function score(ctx, r, mode, n_chips)
  if r.status ~= "ok" then return nil end
  if ctx.o.scenario == "latency" and mode ~= "prefill" then return -r.tpot_ms end
  local pc = mode == "prefill" and r.per_chip_prefill_tokens_per_s or r.per_chip_output_tokens_per_s
  if not n_chips then return pc end
  local replicas = math.floor(n_chips / r.chips_per_replica)
  return replicas * r.chips_per_replica * pc / n_chips
end

-- Search the plans of one pool (or an aggregated deployment) for the best.
local function best_plan(ctx, mode, n_chips, fixed)
  local D = ctx.links.size
  local max_chips = n_chips or math.max(M.MAX_AUTO_CHIPS, D)
  local plans = M.plans(ctx.arch, max_chips, D, fixed)
  local best, best_s, tried = nil, nil, {}
  for _, p in ipairs(plans) do
    local needs_links = p.tp > 1 or p.ep > 1
    if not needs_links or ctx.chip_cfg.scaleup_gbs > 0 then
      local r = run(ctx, p, mode, ctx.eff.mem, ctx.eff.compute)
      r.plan = p
      tried[#tried + 1] = r
      local s = score(ctx, r, mode, n_chips)
      if s and (not best_s or s > best_s + 1e-9 * math.abs(best_s) or
                (math.abs(s - best_s) <= 1e-9 * math.abs(best_s) and r.chips_per_replica < best.chips_per_replica)) then
        best, best_s = r, s
      end
    end
  end
  return best, tried
end

-- Why nothing ran, and the nearest configuration that does.
local function diagnose(ctx, tried, mode, n_chips)
  local counts, first = {}, {}
  for _, r in ipairs(tried) do
    counts[r.status] = (counts[r.status] or 0) + 1
    first[r.status] = first[r.status] or r
  end
  local o = ctx.o
  local reason, nearest
  if #tried == 0 then
    return "no plan can run: this chip has no chip-to-chip link data and one chip is not enough", nil
  end
  if counts.latency_unmet then
    local lowest
    for _, r in ipairs(tried) do
      if r.status == "latency_unmet" and (not lowest or r.tpot_ms < lowest.tpot_ms) then lowest = r end
    end
    reason = ("no batch meets the latency target (TPOT <= %s ms%s): the lowest TPOT is %.3g ms%s"):format(
      tostring(o.tpot_ms or "-"), o.ttft_ms and (", TTFT <= " .. o.ttft_ms .. " ms") or "", lowest.tpot_ms,
      lowest.ttft_ms and (", TTFT %.3g ms"):format(lowest.ttft_ms) or "")
    nearest = { plan = lowest.plan, batch = 1, tpot_ms = lowest.tpot_ms, ttft_ms = lowest.ttft_ms,
                chips = lowest.chips_per_replica,
                text = ("%s at batch 1 (TPOT %.3g ms%s)"):format(plan_text(lowest.plan), lowest.tpot_ms,
                  lowest.ttft_ms and (", TTFT %.3g ms"):format(lowest.ttft_ms) or "") }
    return reason, nearest
  end
  if counts.batch_does_not_fit and o.batch then
    local r = first.batch_does_not_fit
    local best
    for _, x in ipairs(tried) do
      if x.status == "batch_does_not_fit" and (not best or x.max_batch > best.max_batch) then best = x end
    end
    r = best or r
    reason = ("the KV cache of batch %d does not fit: at most %d sequences fit per replica (%s)"):format(o.batch,
      r.max_batch, plan_text(r.plan))
    nearest = { plan = r.plan, batch = r.max_batch, chips = r.chips_per_replica,
                text = ("%s at batch %d"):format(plan_text(r.plan), r.max_batch) }
    return reason, nearest
  end
  if counts.tp_exceeds_domain and ctx.o.fixed.tp then
    local D = ctx.links.size
    reason = ("tensor parallelism %d is wider than the %d-chip scale-up domain (%s)"):format(ctx.o.fixed.tp, D,
      ctx.links.system_name)
    local pp = math.max(1, math.ceil(ctx.o.fixed.tp / D))
    nearest = { plan = { tp = D, pp = pp, ep = 1 }, text = ("tp %d with pp %d (the same chips)"):format(D, pp) }
    return reason, nearest
  end
  if counts.needs_scaleout and not counts.ok then
    reason = "the plan needs more than one scale-up domain and this chip's scale-out bandwidth is unknown"
    nearest = { text = ("plans within one %d-chip domain, or give the scale-out link"):format(ctx.links.size) }
    return reason, nearest
  end
  if counts.bad_plan then
    reason = STATUS_TEXT.bad_plan
    local p = first.bad_plan.plan
    nearest = { plan = { tp = p.tp, pp = p.pp, ep = math.max(p.tp, math.floor(p.ep / p.tp) * p.tp) } }
    nearest.text = plan_text(nearest.plan)
    return reason, nearest
  end
  -- weights: find the smallest deployment that fits, ignoring the chip count
  local smallest
  local D = ctx.links.size
  local wgb
  for _, r in ipairs(tried) do wgb = (not wgb or r.weights_gb < wgb) and r.weights_gb or wgb end
  if mode ~= "prefill" then
    for _, p in ipairs(M.plans(ctx.arch, 4096, D, {})) do
      local R = math.max(p.tp, p.ep) * p.pp
      -- the fewest chips; among those, the widest tensor parallelism (the usual deployment)
      local better = not smallest or R < smallest.R or (R == smallest.R and p.tp > smallest.plan.tp)
      if better and (p.tp <= 1 and p.ep <= 1 or ctx.chip_cfg.scaleup_gbs > 0) then
        local r = run(ctx, p, mode, ctx.eff.mem, ctx.eff.compute, 1)
        if r.status == "ok" then smallest = { R = R, plan = p } end
      end
    end
  end
  reason = ("the weights do not fit: %.4g GB per chip at best on %s, %.4g GB usable per chip"):format(
    wgb or 0, n_chips and (n_chips .. " chip(s)") or "one scale-up domain", ctx.chip_cfg.mem_gb * 0.9)
  if smallest then
    nearest = { plan = smallest.plan, chips = smallest.R,
                text = ("%d chips (%s)"):format(smallest.R, plan_text(smallest.plan)) }
  end
  return reason, nearest
end

local function eff_entry(ctx, phase, override)
  local e = ctx.effs[phase]
  if override then
    return { value = override, u = 0, low = override, high = override, level = "given",
             basis = "given by the caller", fitted_on = {}, source = "caller" }
  end
  return e
end

-- Evaluate one pool or aggregated deployment: the best plan (or the given
-- one), then the same plan at the low and high efficiencies.
local function evaluate_pool(ctx, mode, n_chips, fixed)
  local best, tried = best_plan(ctx, mode, n_chips, fixed)
  if not best then return nil, tried end
  local dm, pc = ctx.eff_entries.decode, ctx.eff_entries.prefill
  local lo = run(ctx, best.plan, mode, dm.low, pc.low)
  local hi = run(ctx, best.plan, mode, dm.high, pc.high)
  if lo.status ~= "ok" then lo = nil end
  if hi.status ~= "ok" then hi = nil end
  return { central = best, low = lo, high = hi, plan = best.plan }, tried
end

local FIGURES = { "per_chip_output_tokens_per_s", "per_chip_prefill_tokens_per_s", "ttft_ms", "tpot_ms",
                  "user_tokens_per_s" }

--- Evaluate a deployment. Options (all but chip and model optional):
--   chip, model (preset, architecture table or config path), scenario
--   ("offline" | "server" | "latency" | "batch"), batch, chips (N),
--   tp/pp/ep or plan ("tp=2,ep=8"), precision, kv_precision, input_tokens,
--   output_tokens, ttft_ms, tpot_ms (server targets), stack, system (scale-up
--   domain), eff_mem / eff_compute (override the table), prefix_hit,
--   spec_tokens / spec_accept (speculative or MTP decoding), pool ("decode" |
--   "prefill": one pool of a disaggregated deployment), prefill_chips +
--   decode_chips (+ prefill_plan / decode_plan) for a disaggregated
--   deployment, max_batch, efficiency (a tpp.serve.efficiency table).
function M.evaluate(opts)
  local o = normalize(opts)
  local chip = tpp.chip(o.chip)
  local d = chip.data
  local arch = M.model(o.model)
  local precision = o.precision or M.default_precision(chip)
  local kv = o.kv_precision or M.DEFAULTS.kv_precision
  local res = {
    chip = d.id or d.name, chip_name = d.name, model = arch.key, model_name = arch.name,
    scenario = o.scenario, precision = precision, kv_precision = kv,
    workload = { input_tokens = o.input_tokens, output_tokens = o.output_tokens, prefix_hit = o.prefix_hit or 0,
                 spec_tokens = o.spec_tokens or 0, spec_accept = o.spec_accept or 0, batch = o.batch,
                 ttft_ms = o.ttft_ms, tpot_ms = o.tpot_ms },
    assumptions = json.array({}),
  }
  local function note(s) res.assumptions[#res.assumptions + 1] = s end
  local shape, params = models.shape(arch, precision, kv)
  res.params_b = params.total / 1e9
  res.active_params_b = params.active / 1e9
  res.kv_bytes_per_token = shape.kv_bytes_per_token
  local hw, missing = M.hardware(chip, precision, kv)
  if not hw then
    res.status, res.missing = "undetermined", missing
    res.reason = "the chip lacks " .. table.concat(missing, ", ")
    return res
  end
  for _, s in ipairs(hw.notes) do note(s) end
  local lk = links.of(chip, { system = o.system })
  for _, s in ipairs(lk.assumed) do note(s) end
  local stack_id = o.stack or stacks.DEFAULT_BY_VENDOR[efficiency.vendor_of(d)] or "generic"
  local stack = stacks.get(stack_id)
  local tbl = o.efficiency or efficiency.default()
  local effs = tbl:for_chip(d, stack_id, precision)
  local ctx = { o = o, arch = arch, links = lk, stack = stack, effs = effs, gemm_m_half = tbl:gemm_m_half(),
                roofline_p = tbl:roofline_p() }
  ctx.eff_entries = { decode = eff_entry(ctx, "decode", o.eff_mem), prefill = eff_entry(ctx, "prefill", o.eff_compute) }
  ctx.eff = { mem = ctx.eff_entries.decode.value, compute = ctx.eff_entries.prefill.value }
  ctx.chip_cfg = { gemm_tflops = hw.gemm_tflops, attn_tflops = hw.attn_tflops, mem_bw_gbs = hw.mem_bw_gbs,
                   mem_gb = hw.mem_gb, scaleup_gbs = lk.scaleup_gbs or 0, scaleout_gbs = lk.scaleout_gbs or 0,
                   scaleup_us = lk.scaleup_us, scaleout_us = lk.scaleout_us, scaleup_size = lk.size }
  ctx.model_cfg = shape
  res.hardware = { gemm_tflops = hw.gemm_tflops, gemm_precision = hw.gemm_precision, attn_tflops = hw.attn_tflops,
                   attn_precision = hw.attn_precision, mem_bw_gbs = hw.mem_bw_gbs, mem_gb = hw.mem_gb,
                   scaleup_gbs = lk.scaleup_gbs, scaleout_gbs = lk.scaleout_gbs, system = lk.system,
                   domain_size = lk.size, links_source = lk.source }
  local function eff_out(e)
    return { value = e.value, low = e.low, high = e.high, u = e.u, level = e.level, key = e.key,
             basis = e.basis, source = e.source, fitted_on = e.fitted_on or {}, date = e.date }
  end
  res.efficiency = {
    stack = stack_id, stack_name = stack.name,
    decode = eff_out(ctx.eff_entries.decode), prefill = eff_out(ctx.eff_entries.prefill),
    step_us = stack.step_us, overlap = stack.overlap, dispatch_bytes = stack.dispatch_bytes,
    source = ("decode: %s; prefill: %s"):format(ctx.eff_entries.decode.basis, ctx.eff_entries.prefill.basis),
  }
  note(("efficiency (%s): decode %.3g of peak bandwidth (%s), compute %.3g of peak FLOPS (%s)"):format(
    stack_id, ctx.eff.mem, ctx.eff_entries.decode.basis, ctx.eff.compute, ctx.eff_entries.prefill.basis))
  note(("%s assumptions: step overhead %s us, %d%% of communication overlapped (%s)"):format(stack.name,
    tostring(stack.step_us), math.floor(stack.overlap * 100 + 0.5), stack.basis))
  note(("decode attends to the mean context: prompt + half the output (%d tokens)"):format(
    o.input_tokens + math.floor(o.output_tokens / 2)))
  if precision == "fp4" or precision == "int4" then note("4-bit weights at 4.5 bits each (block scales included)") end

  if o.prefill_chips then
    return M._disaggregated(ctx, res)
  end
  local mode = o.pool or "aggregated"
  local pool, tried = evaluate_pool(ctx, mode, o.chips, o.fixed)
  if not pool then
    res.status = "infeasible"
    res.reason, res.nearest = diagnose(ctx, tried, mode, o.chips)
    return res
  end
  local c = pool.central
  local n_chips = o.chips or c.chips_per_replica
  local replicas = math.floor(n_chips / c.chips_per_replica)
  local used = replicas * c.chips_per_replica
  res.status = "ok"
  res.chips = n_chips
  res.batch = c.batch
  res.pool = o.pool
  res.parallelism = { tp = pool.plan.tp, pp = pool.plan.pp, ep = pool.plan.ep,
                      chips_per_replica = c.chips_per_replica, replicas = replicas, text = plan_text(pool.plan),
                      mode = o.pool and (o.pool .. " pool") or "aggregated (continuous batching, chunked prefill)" }
  if used < n_chips then
    note(("%d of %d chips idle: %d replicas of %d chips"):format(n_chips - used, n_chips, replicas,
      c.chips_per_replica))
  end
  for _, k in ipairs(FIGURES) do
    local v, l, h = spread(c, pool.low, pool.high, k)
    if k == "per_chip_output_tokens_per_s" or k == "per_chip_prefill_tokens_per_s" then
      local f = used / n_chips
      v, l, h = v and v * f, l and l * f, h and h * f
    end
    res[k], res[k .. "_low"], res[k .. "_high"] = v, l, h
  end
  local v, l, h = res.per_chip_output_tokens_per_s, res.per_chip_output_tokens_per_s_low,
    res.per_chip_output_tokens_per_s_high
  res.system_output_tokens_per_s = v and v * n_chips
  res.system_output_tokens_per_s_low = l and l * n_chips
  res.system_output_tokens_per_s_high = h and h * n_chips
  res.memory = { weights_gb = c.weights_gb, kv_gb = c.kv_gb, max_batch = c.max_batch }
  res.bound = { decode = c.decode_bound, prefill = c.prefill_bound }
  if mode ~= "prefill" and c.step_ms and c.step_ms > 0 then
    -- what a step achieves depends on the batch: overhead, compute and communication share the step
    local stage_s = c.step_ms / pool.plan.pp * 1e-3
    local share = (c.decode_weight_bytes + c.decode_kv_bytes) / stage_s / (hw.mem_bw_gbs * 1e9)
    res.achieved_bandwidth_fraction = share
    note(("at batch %d a decode step moves %.0f%% of peak memory bandwidth (the efficiency is the ceiling; " ..
      "the achieved share depends on the batch)"):format(c.batch, share * 100))
  end
  res.detail = { step_ms = c.step_ms, prefill_ms = c.prefill_ms, comm_ms = c.comm_ms, mem_ms = c.mem_ms,
                 compute_ms = c.compute_ms,
                 decode_weight_bytes = c.decode_weight_bytes, decode_kv_bytes = c.decode_kv_bytes,
                 decode_flops = c.decode_flops, allreduce_bytes = c.allreduce_bytes,
                 alltoall_bytes = c.alltoall_bytes }
  return res
end

-- KV hand-over from a prefill chip to a decode chip: one prompt's cache over
-- the scale-out link (ms).
local function kv_transfer_ms(ctx)
  local bytes = ctx.o.input_tokens * ctx.model_cfg.kv_bytes_per_token
  local bw = ctx.chip_cfg.scaleout_gbs > 0 and ctx.chip_cfg.scaleout_gbs or nil
  if not bw then return nil end
  return (ctx.chip_cfg.scaleout_us * 1e-6 + bytes / (bw * 1e9)) * 1e3
end

function M._disaggregated(ctx, res)
  local o = ctx.o
  local pf_fixed = M.parse_plan(o.prefill_plan, "prefill_plan") or {}
  local dc_fixed = M.parse_plan(o.decode_plan, "decode_plan") or {}
  local pf, pf_tried = evaluate_pool(ctx, "prefill", o.prefill_chips, pf_fixed)
  local dc, dc_tried = evaluate_pool(ctx, "decode", o.decode_chips, dc_fixed)
  if not pf or not dc then
    res.status = "infeasible"
    local r1, n1, r2, n2
    if not pf then r1, n1 = diagnose(ctx, pf_tried, "prefill", o.prefill_chips) end
    if not dc then r2, n2 = diagnose(ctx, dc_tried, "decode", o.decode_chips) end
    res.reason = table.concat({ r1 and ("prefill pool: " .. r1) or nil, r2 and ("decode pool: " .. r2) or nil }, "; ")
    res.nearest = n1 or n2
    return res
  end
  local N = o.prefill_chips + o.decode_chips
  local ratio = o.output_tokens / o.input_tokens
  local xfer = kv_transfer_ms(ctx)
  local function system(which)
    local p = pf[which] or pf.central
    local d = dc[which] or dc.central
    local p_rate = p.per_chip_prefill_tokens_per_s * o.prefill_chips
    local d_rate = d.per_chip_output_tokens_per_s * o.decode_chips
    return math.min(d_rate, p_rate * ratio), p_rate * ratio < d_rate and "prefill" or "decode", p, d
  end
  local sys, limiter, p, d = system("central")
  local sys_lo = system("low")
  local sys_hi = system("high")
  res.status = "ok"
  res.chips = N
  res.batch = d.batch
  res.parallelism = {
    mode = "disaggregated prefill and decode pools", limited_by = limiter,
    prefill = { chips = o.prefill_chips, tp = pf.plan.tp, pp = pf.plan.pp, ep = pf.plan.ep,
                prompts_per_pass = p.batch, text = plan_text(pf.plan) },
    decode = { chips = o.decode_chips, tp = dc.plan.tp, pp = dc.plan.pp, ep = dc.plan.ep, batch = d.batch,
               text = plan_text(dc.plan) },
  }
  res.system_output_tokens_per_s, res.system_output_tokens_per_s_low, res.system_output_tokens_per_s_high =
    sys, math.min(sys, sys_lo, sys_hi), math.max(sys, sys_lo, sys_hi)
  res.per_chip_output_tokens_per_s = sys / N
  res.per_chip_output_tokens_per_s_low = res.system_output_tokens_per_s_low / N
  res.per_chip_output_tokens_per_s_high = res.system_output_tokens_per_s_high / N
  res.per_chip_prefill_tokens_per_s = sys / ratio / N
  res.per_chip_prefill_tokens_per_s_low = res.system_output_tokens_per_s_low / ratio / N
  res.per_chip_prefill_tokens_per_s_high = res.system_output_tokens_per_s_high / ratio / N
  local t, tl, th = spread(dc.central, dc.low, dc.high, "tpot_ms")
  res.tpot_ms, res.tpot_ms_low, res.tpot_ms_high = t, tl, th
  res.user_tokens_per_s, res.user_tokens_per_s_low, res.user_tokens_per_s_high =
    spread(dc.central, dc.low, dc.high, "user_tokens_per_s")
  local f, fl, fh = spread(pf.central, pf.low, pf.high, "ttft_ms")
  local add = xfer or 0
  res.ttft_ms, res.ttft_ms_low, res.ttft_ms_high = f + add, fl + add, fh + add
  if xfer then
    res.assumptions[#res.assumptions + 1] = ("TTFT = prefill pass + KV hand-over of one prompt over the " ..
      "scale-out link (%.3g ms); queueing not modelled"):format(xfer)
  else
    res.assumptions[#res.assumptions + 1] = "TTFT excludes the KV hand-over: the scale-out link is unknown"
  end
  res.memory = { weights_gb = d.weights_gb, kv_gb = d.kv_gb, max_batch = d.max_batch }
  res.bound = { decode = d.decode_bound, prefill = p.prefill_bound }
  return res
end

--- Per-chip output tokens/s of a deployment with low/central/high: the
-- serving-capacity basis (a fleet's tokens/s on a declared model and workload
-- over the H100's). Same options as evaluate(). Returns { central, low, high,
-- unit, status, reason, chip, model, scenario, plan, batch, efficiency }.
function M.throughput(opts)
  local r = M.evaluate(opts)
  return {
    central = r.per_chip_output_tokens_per_s, low = r.per_chip_output_tokens_per_s_low,
    high = r.per_chip_output_tokens_per_s_high, unit = "output tokens/s per chip",
    status = r.status, reason = r.reason, missing = r.missing, chip = r.chip, model = r.model,
    scenario = r.scenario, plan = r.parallelism and r.parallelism.text, batch = r.batch,
    efficiency = r.efficiency, result = r,
  }
end

--- The throughput-latency curve of a chip: every plan at every batch (powers
-- of two up to opts.max_batch or 4096 per replica, or opts.batches), reduced
-- to the Pareto frontier of tokens/s per chip against tokens/s per user: for
-- each speed per user, the most tokens per chip any configuration gives.
-- opts as evaluate() (chips = the deployment, default one scale-up domain).
-- Returns { status, points = frontier (fastest per user first), all, result }.
function M.sweep(opts)
  local o = {}
  for k, v in pairs(opts) do o[k] = v end -- shallow: chip objects and tables pass through
  local list = o.batches
  o.batches = nil
  if not list then
    list = {}
    local b = 1
    while b <= (o.max_batch or 4096) do list[#list + 1] = b; b = b * 2 end
  end
  local chip = tpp.chip(o.chip)
  local arch = M.model(o.model)
  o.chip, o.model = chip, arch
  local lk = links.of(chip, { system = o.system })
  local n = o.chips or lk.size
  local fixed = M.parse_plan(o.plan) or {}
  fixed.tp, fixed.pp, fixed.ep = o.tp or fixed.tp, o.pp or fixed.pp, o.ep or fixed.ep
  o.plan, o.tp, o.pp, o.ep = nil, nil, nil, nil
  o.scenario, o.chips = "batch", n
  local all, first = {}, nil
  for _, plan in ipairs(M.plans(arch, n, lk.size, fixed)) do
    for _, b in ipairs(list) do
      o.batch, o.plan = b, plan
      local r = M.evaluate(o)
      first = first or r
      if r.status == "undetermined" then
        return { status = "undetermined", missing = r.missing, reason = r.reason, points = {}, all = {}, result = r }
      end
      if r.status == "ok" then
        all[#all + 1] = {
          batch = b, per_chip_output_tokens_per_s = r.per_chip_output_tokens_per_s,
          per_chip_output_tokens_per_s_low = r.per_chip_output_tokens_per_s_low,
          per_chip_output_tokens_per_s_high = r.per_chip_output_tokens_per_s_high,
          user_tokens_per_s = r.user_tokens_per_s, user_tokens_per_s_low = r.user_tokens_per_s_low,
          user_tokens_per_s_high = r.user_tokens_per_s_high, tpot_ms = r.tpot_ms, ttft_ms = r.ttft_ms,
          parallelism = r.parallelism.text, chips_per_replica = r.parallelism.chips_per_replica,
          result = r,
        }
      else
        break -- a larger batch does not fit either
      end
    end
  end
  table.sort(all, function(p, q)
    if p.user_tokens_per_s ~= q.user_tokens_per_s then return p.user_tokens_per_s > q.user_tokens_per_s end
    return p.per_chip_output_tokens_per_s > q.per_chip_output_tokens_per_s
  end)
  local frontier, best = {}, -1
  for _, p in ipairs(all) do
    if p.per_chip_output_tokens_per_s > best * (1 + 1e-9) then
      frontier[#frontier + 1] = p
      best = p.per_chip_output_tokens_per_s
    end
  end
  local result = frontier[1] and frontier[1].result or first
  for _, p in ipairs(all) do p.result = nil end
  return { status = #frontier > 0 and "ok" or "infeasible", points = frontier, all = all, result = result,
           chips = n, reason = #frontier == 0 and first and first.reason or nil }
end

return M
