--- tpp.host: this machine as a chip. Its peaks are measured (OpenBLAS dgemm
-- and sgemm, tpp's int8 kernel, read bandwidth) and turned into TPP and the
-- other metrics by the same chip-metric core as every database chip.
--
--   local host = tpp.host()          -- measures once per process (~5 s)
--   print(host:tpp())                -- e.g. 6.2, "int8"
--
-- These are achieved rates of this software on this machine, not the
-- silicon's theoretical peak, so they understate a datasheet TPP; the die
-- area is not known, so performance density stays undetermined.
local core = require "tpp.backend"
local spec = require "tpp.spec"

local M = {}

local cached = {} -- [quick] = measurements of this process

local function int8_gops(seconds, sizes)
  local tensor = require "tpp.tensor"
  local lib = require "tpp.benchlib"
  local best = 0
  for _, n in ipairs(sizes) do
    local x, w = tensor.rand({ n, n }, { seed = 1 }), tensor.rand({ n, n }, { seed = 2 })
    local q, y = w:quantize("q8", 64), tensor.zeros({ n, n })
    local t = lib.best_time(function() core.linear(y, x, q) end, seconds)
    best = math.max(best, 2 * n * n * n / t / 1e9)
    for _, v in ipairs({ x, w, q, y }) do v:free() end
  end
  return best
end

--- Measure the peaks (GFLOP/s, GOP/s, GB/s). opts.seconds per probe (default
-- 0.5); opts.fresh = true measures again instead of reusing this process's;
-- opts.quick uses small sizes (a smoke test, not a peak).
function M.measure(opts)
  opts = require("tpp.io.options").check("tpp.host.measure", opts, { seconds = "positive", fresh = "boolean",
                                                                     quick = "boolean" })
  local key = opts.quick and "quick" or "full"
  if cached[key] and not opts.fresh then return cached[key] end
  local progress = require "tpp.progress"
  local s = opts.seconds or 0.5
  local sizes = opts.quick and { 128, 256 } or { 1024, 2048 }
  local r = { cpu = core.cpu_name(), cores = core.cpu_count(), threads = core.threads(),
              isa = (core.isa()), blas = core.blas_info() }
  progress.update("host: fp64 dgemm", 0, 4)
  r.fp64_gflops = math.max(core.bench_dgemm(sizes[1], sizes[1], sizes[1], s),
    core.bench_dgemm(sizes[2], sizes[2], sizes[2], s))
  progress.update("host: fp32 sgemm", 1, 4)
  r.fp32_gflops = math.max(core.bench_sgemm(sizes[1], sizes[1], sizes[1], s),
    core.bench_sgemm(sizes[2], sizes[2], sizes[2], s))
  progress.update("host: int8 (tpp kernel)", 2, 4)
  r.int8_gops = int8_gops(s, opts.quick and { 64, 128 } or { 512, 1024 })
  progress.update("host: memory bandwidth", 3, 4)
  r.membw_gbs = core.bench_membw((opts.quick and 8 or 1024) * 1048576, 0, s)
  r.quick = opts.quick or nil
  progress.done()
  r.date = os.date("!%Y-%m-%d")
  cached[key] = r
  return r
end

--- The chip table of this host (dense figures in TOPS, as in the database).
function M.chip_table(r)
  return {
    id = "host",
    name = ("this host: %s (%d threads)"):format(r.cpu, r.threads),
    form = "CPU (measured)",
    dense = { fp64 = r.fp64_gflops / 1000, fp32 = r.fp32_gflops / 1000, int8 = r.int8_gops / 1000 },
    memory = { bandwidth_gbs = r.membw_gbs },
    provenance = { ["dense.fp64"] = "measured", ["dense.fp32"] = "measured", ["dense.int8"] = "measured",
                   ["memory.bandwidth_gbs"] = "measured" },
    sources = { ("tpp bench host %s: cblas_dgemm and cblas_sgemm (%s), tpp's %s int8 kernel, " ..
      "read bandwidth of a 1 GiB buffer; %d threads"):format(r.date, r.blas, r.isa, r.threads) },
    notes = "Measured throughput of this software on this machine, not the theoretical peak; " ..
      "the die area is not known, so performance density is undetermined.",
  }
end

--- This host as a chip object (tpp.chip), from measurements (cached per
-- process unless opts.fresh).
function M.chip(opts)
  return spec.new(M.chip_table(M.measure(opts)))
end

return M
