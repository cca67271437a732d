--- tpp bench decode: tokens/s of token-by-token generation on random
-- checkpoints of llama2.c's shapes, fp32, q8 and q4, each beside its
-- memory-bandwidth roofline measured in the same run.
--
-- Roofline: decode reads every weight once per token, so tokens/s <=
-- bandwidth / (weight bytes + KV-cache bytes). The bandwidth is measured on a
-- buffer as large as the weights (small models partly fit in cache, and the
-- roofline then says so), alternating with the timed decode segments; each
-- figure is the best of its repetitions.
local core = require "tpp.backend"
local lib = require "tpp.benchlib"
local model = require "tpp.model"
local progress = require "tpp.progress"
local report = require "tpp.report"

local M = {
  summary = "decode tokens/s (fp32, q8, q4) beside the memory-bandwidth roofline",
  usage = "tpp bench decode [--models stories15M,stories110M] [--weights f32,q8,q4] [--steps N] " ..
    "[--threads N] [--json]",
  options = {
    models = { arg = "NAME,...", help = "llama2.c shapes (default stories15M,stories110M)" },
    weights = { arg = "f32,q8,q4", help = "precisions (default all three)" },
    steps = { arg = "N", help = "tokens timed per model (default 48)" },
    threads = { arg = "N", help = "threads (default: all cores)" },
  },
  max_args = 0,
}

M.REFERENCE = "llama2.c run.c (-Ofast -fopenmp -march=native), random stories110M fp32: about 20 tok/s " ..
  "on 1 thread, 35-42 on 2, on this kind of 2-core machine (issue 4; not measured here)"

local PROMPT = { 1, 403, 2501, 263, 931, 29892, 727, 471 }

--- Decode tokens/s of one loaded model (greedy): the best of four timed
-- segments, two by two; `between()` (the bandwidth probe) runs after each
-- pair, so decode and roofline sample the same stretch of a machine whose
-- load may change. Two untimed tokens follow every probe, which evicts the
-- weights from the caches.
function M.decode_rate(m, steps, between)
  local raw = m.raw
  local vocab = m.cfg.vocab_size
  local greedy = core.sampler_new(vocab, 0, 0, 1)
  local prompt = {}
  for i, t in ipairs(PROMPT) do prompt[i] = t % vocab end
  raw:forward(prompt, 0)
  local pos = #prompt
  local tok = raw:sample(greedy)
  local seg = math.max(1, math.floor(steps / 4))
  local best = 0
  for _ = 1, 2 do
    for _ = 1, 2 do -- warm up
      raw:forward({ tok }, pos)
      pos, tok = pos + 1, raw:sample(greedy)
    end
    for _ = 1, 2 do
      local t0 = core.now()
      for _ = 1, seg do
        raw:forward({ tok }, pos)
        pos, tok = pos + 1, raw:sample(greedy)
      end
      best = math.max(best, seg / (core.now() - t0))
    end
    if between then between() end
  end
  greedy:free()
  return best, pos
end

function M.measure(shape, weights, steps)
  local path = lib.model_file(shape)
  local m = model.load(path, { weights = weights ~= "f32" and weights or nil, tokenizer = false })
  local wbytes = m:weight_bytes()
  local bw = 0
  local tok_s, end_pos = M.decode_rate(m, steps, function()
    bw = math.max(bw, core.bench_membw(math.max(wbytes, 4 * 1048576), core.threads(), 0.2))
  end)
  local bytes = wbytes + m:kv_bytes(math.floor(end_pos / 2))
  m:free()
  local roof = bw * 1e9 / bytes
  return {
    model = shape, weights = weights, tok_s = tok_s, weight_mb = wbytes / 1e6, bytes_per_token = bytes,
    membw_gbs = bw, roofline_tok_s = roof, roofline_fraction = tok_s / roof,
    effective_gbs = tok_s * bytes / 1e9,
  }
end

M.run = lib.guard(function(args)
  local threads = lib.threads(args, "decode")
  local models = lib.names(args, "models", { "stories15M", "stories110M" }, model.SHAPES, "decode")
  local weights = lib.names(args, "weights", { "f32", "q8", "q4" }, { f32 = true, q8 = true, q4 = true }, "decode")
  local steps = require("tpp.cli").number(args, "steps", 48, "bench decode")
  local rows, total, n = {}, #models * (#weights + 1), 0
  for _, shape in ipairs(models) do
    n = n + 1
    progress.update(("decode: writing %s"):format(shape), n - 1, total)
    lib.model_file(shape)
    local f32_rate
    for _, w in ipairs(weights) do
      n = n + 1
      progress.update(("decode %s %s"):format(shape, w), n - 1, total)
      local r = M.measure(shape, w, steps)
      if w == "f32" then f32_rate = r.tok_s end
      r.vs_f32 = f32_rate and r.tok_s / f32_rate or nil
      rows[#rows + 1] = r
    end
  end
  progress.done()
  lib.cleanup()
  local info = lib.host_info()
  local data = { host = info, threads = threads, steps = steps, results = rows, reference = M.REFERENCE }
  local f1 = function(v) return lib.f(v) end
  local text = lib.header("tpp bench decode: token-by-token generation, random llama2.c-shaped checkpoints", info) ..
    report.table({
      { key = "model", title = "model" },
      { key = "weights", title = "weights" },
      { key = "weight_mb", title = "weights MB", align = "right", fmt = f1 },
      { key = "tok_s", title = "tok/s", align = "right", fmt = f1 },
      { key = "membw_gbs", title = "membw GB/s", align = "right", fmt = f1 },
      { key = "roofline_tok_s", title = "roofline tok/s", align = "right", fmt = f1 },
      { key = "roofline_fraction", title = "of roofline", align = "right",
        fmt = function(v) return v and ("%.0f%%"):format(v * 100) or "-" end },
      { key = "vs_f32", title = "vs f32", align = "right",
        fmt = function(v) return v and ("%.2fx"):format(v) or "-" end },
    }, rows) .. "\nreference: " .. M.REFERENCE .. "\n"
  return data, text
end)

return M
