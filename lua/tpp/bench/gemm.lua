--- tpp bench gemm: matrix products by precision and size, called from Lua,
-- beside raw OpenBLAS cblas_sgemm called from C in the same run.
--
--   f32   tpp.kernels.matmul (OpenBLAS sgemm through the binding), GFLOP/s
--   q8    tpp.kernels.linear with int8 weights (tpp's VNNI/AVX2 kernel), GOP/s
--   q4    the same with 4-bit weights (int8 multiply-adds), GOP/s
-- Square n x n x n; q8/q4 count 2 n^3 operations including the on-the-fly
-- quantization of the activations. Matrix-vector rows compare tpp's f32
-- matvec with OpenBLAS sgemv on matrices streamed from memory.
local core = require "tpp.backend"
local lib = require "tpp.benchlib"
local progress = require "tpp.progress"
local report = require "tpp.report"
local tensor = require "tpp.tensor"

local M = {
  summary = "GFLOP/s and GOP/s by precision and size, beside raw OpenBLAS sgemm",
  usage = "tpp bench gemm [--sizes N,...] [--seconds S] [--threads N] [--json]",
  options = {
    sizes = { arg = "N,...", help = "square sizes (default 256,512,1024,2048)" },
    seconds = { arg = "S", help = "time per size and kernel (default 0.6)" },
    threads = { arg = "N", help = "threads (default: all cores)" },
    group = { arg = "G", help = "q8/q4 group size (default 64)" },
    ["matvec-mb"] = { arg = "MB", help = "f32 matrices streamed per matvec timing (default 256)" },
  },
  max_args = 0,
}

local ROUNDS = 3

--- Best GOP/s of each kernel at size n, alternating with raw sgemm.
function M.measure_size(n, seconds, group)
  local a = tensor.rand({ n, n }, { seed = 1 })
  local b = tensor.rand({ n, n }, { seed = 2 })
  local c = tensor.zeros({ n, n })
  local w8 = b:quantize("q8", group)
  local w4 = b:quantize("q4", group)
  local ops = 2 * n * n * n
  local best = { raw = 0, f32 = 0, q8 = 0, q4 = 0 }
  local slice = seconds / ROUNDS
  for _ = 1, ROUNDS do
    best.raw = math.max(best.raw, core.bench_sgemm(n, n, n, slice) * 1e9)
    local t = lib.best_time(function() core.matmul(c, a, b) end, slice)
    best.f32 = math.max(best.f32, ops / t)
    t = lib.best_time(function() core.linear(c, a, w8) end, slice)
    best.q8 = math.max(best.q8, ops / t)
    t = lib.best_time(function() core.linear(c, a, w4) end, slice)
    best.q4 = math.max(best.q4, ops / t)
  end
  for _, x in ipairs({ a, b, c, w8, w4 }) do x:free() end
  return {
    n = n, raw_sgemm_gflops = best.raw / 1e9, f32_gflops = best.f32 / 1e9, q8_gops = best.q8 / 1e9,
    q4_gops = best.q4 / 1e9, f32_vs_raw = best.f32 / best.raw, q8_vs_sgemm = best.q8 / best.raw,
    q4_vs_sgemm = best.q4 / best.raw,
  }
end

--- Matrix-vector bandwidth: tpp's f32 matvec vs OpenBLAS sgemv (GB/s).
function M.measure_matvec(n, k, seconds, mb)
  local per = n * k * 4
  local count = math.floor((mb or 256) * 1048576 / per) + 1
  local ws = {}
  for i = 1, count do ws[i] = tensor.rand({ n, k }, { seed = i }) end
  local x, y = tensor.rand({ k }, { seed = 99 }), tensor.zeros({ n })
  local raw, own = 0, 0
  for _ = 1, ROUNDS do
    raw = math.max(raw, core.bench_sgemv(n, k, math.floor((mb or 256) * 1048576), seconds / ROUNDS))
    local t = lib.best_time(function()
      for i = 1, count do core.linear(y, x, ws[i]) end
    end, seconds / ROUNDS)
    own = math.max(own, per * count / t / 1e9)
  end
  for i = 1, count do ws[i]:free() end
  return { n = n, k = k, openblas_sgemv_gbs = raw, tpp_matvec_gbs = own, tpp_vs_openblas = own / raw }
end

function M.run(args)
  local threads = lib.threads(args, "gemm")
  local sizes = lib.numbers(args, "sizes", { 256, 512, 1024, 2048 }, "gemm")
  local seconds = require("tpp.cli").number(args, "seconds", 0.6, "bench gemm")
  local group = require("tpp.cli").number(args, "group", 64, "bench gemm")
  local mb = require("tpp.cli").number(args, "matvec-mb", 256, "bench gemm")
  local rows = {}
  for i, n in ipairs(sizes) do
    progress.update(("gemm n = %d"):format(n), i - 1, #sizes + 2)
    rows[i] = M.measure_size(n, seconds, group)
  end
  local mv = {}
  for i, s in ipairs({ { 768, 768 }, { 4096, 768 } }) do
    progress.update(("matvec %dx%d"):format(s[1], s[2]), #sizes + i - 1, #sizes + 2)
    mv[i] = M.measure_matvec(s[1], s[2], seconds, mb)
  end
  progress.done()
  local info = lib.host_info()
  local data = { host = info, threads = threads, group_size = group, gemm = rows, matvec = mv,
                 notes = "best of repetitions; raw sgemm is cblas_sgemm timed in C in the same run" }
  local f1 = function(v) return lib.f(v) end
  local f2 = function(v) return lib.f(v, 2) .. "x" end
  local text = lib.header("tpp bench gemm: n x n x n products (f32 GFLOP/s, q8/q4 GOP/s)", info) ..
    report.table({
      { key = "n", title = "n", align = "right" },
      { key = "raw_sgemm_gflops", title = "raw sgemm (C)", align = "right", fmt = f1 },
      { key = "f32_gflops", title = "f32 (Lua)", align = "right", fmt = f1 },
      { key = "f32_vs_raw", title = "f32/raw", align = "right", fmt = f2 },
      { key = "q8_gops", title = "q8 GOP/s", align = "right", fmt = f1 },
      { key = "q8_vs_sgemm", title = "q8/sgemm", align = "right", fmt = f2 },
      { key = "q4_gops", title = "q4 GOP/s", align = "right", fmt = f1 },
      { key = "q4_vs_sgemm", title = "q4/sgemm", align = "right", fmt = f2 },
    }, rows) .. "\nmatrix-vector (decode), f32 weights streamed from memory, GB/s:\n" ..
    report.table({
      { key = "shape", title = "matrix", align = "right", fmt = function(_, r) return r.n .. "x" .. r.k end },
      { key = "openblas_sgemv_gbs", title = "OpenBLAS sgemv", align = "right", fmt = f1 },
      { key = "tpp_matvec_gbs", title = "tpp matvec", align = "right", fmt = f1 },
      { key = "tpp_vs_openblas", title = "ratio", align = "right", fmt = f2 },
    }, mv)
  return data, text
end

return M
