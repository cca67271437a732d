--- tpp bench host: this CPU's measured peak per precision, turned into its
-- own TPP (and the other chip metrics) by the chip-metric core, so the host
-- can be compared with the chips of the database (tpp.host()).
local host = require "tpp.host"
local lib = require "tpp.benchlib"
local report = require "tpp.report"

local M = {
  summary = "this CPU as a chip: measured peaks per precision and its TPP",
  usage = "tpp bench host [--seconds S] [--threads N] [--json]",
  options = {
    seconds = { arg = "S", help = "time per probe (default 0.5)" },
    threads = { arg = "N", help = "threads (default: all cores)" },
    quick = { flag = true, help = "small sizes: a smoke test, not a peak" },
    ["no-serve"] = { flag = true, help = "skip decode/prefill with tpp's kernels beside the serving model" },
  },
  max_args = 0,
}

function M.run(args)
  lib.threads(args, "host")
  local r = host.measure { seconds = require("tpp.cli").number(args, "seconds", 0.5, "bench host"), fresh = true,
                           quick = args.quick }
  local chip = host.chip()
  local m = chip:metrics()
  local data = {
    host = lib.host_info(), measured = r, chip = host.chip_table(r),
    metrics = { tpp = m.tpp, tpp_precision = m.tpp_precision, pp = m.pp, pd = m.pd, unknown = m.unknown,
                h100e = m.h100e, mem_bw_gbs = m.mem_bw_gbs },
  }
  local rows = {
    { what = "fp64 (OpenBLAS dgemm)", value = r.fp64_gflops, unit = "GFLOP/s",
      tpp = r.fp64_gflops / 1000 * 64 },
    { what = "fp32 (OpenBLAS sgemm)", value = r.fp32_gflops, unit = "GFLOP/s",
      tpp = r.fp32_gflops / 1000 * 32 },
    { what = "int8 (tpp " .. r.isa .. ")", value = r.int8_gops, unit = "GOP/s", tpp = r.int8_gops / 1000 * 8 },
    { what = "memory read", value = r.membw_gbs, unit = "GB/s" },
  }
  local text = lib.header("tpp bench host: this machine as a chip", data.host) ..
    report.table({
      { key = "what", title = "measured" },
      { key = "value", title = "rate", align = "right", fmt = function(v) return lib.f(v) end },
      { key = "unit", title = "unit" },
      { key = "tpp", title = "TPP at this rate", align = "right",
        fmt = function(v) return v and lib.f(v, 2) or "-" end },
    }, rows) ..
    ("\nTPP %s (%s); PP %s; H100-equivalents: %s by TPP, %s by 8-bit OP/s\n"):format(
      lib.f(m.tpp, 2), m.tpp_precision or "-", lib.f(m.pp, 3),
      m.h100e.tpp and ("%.2g"):format(m.h100e.tpp) or "-",
      m.h100e["8bit"] and ("%.2g"):format(m.h100e["8bit"]) or "-") ..
    "performance density: undetermined (die area unknown)\n" ..
    "Measured rates of this software, not the silicon's theoretical peak.\n"
  if not args["no-serve"] then
    -- decode and prefill with tpp's kernels, beside the serving model at these peaks
    local cmp = require("tpp.serve.host").compare { quick = args.quick }
    data.serving = { model = cmp.model, weights = cmp.weights, rows = cmp.rows }
    text = text .. ("\nLLM serving on this host (%s, %s weights): tpp's kernels vs the serving model at the peaks " ..
      "above\n"):format(cmp.model, cmp.weights) .. report.table({
        { key = "phase", title = "phase" },
        { key = "predicted", title = "predicted tok/s", align = "right", fmt = function(v) return lib.f(v) end },
        { key = "measured", title = "measured tok/s", align = "right", fmt = function(v) return lib.f(v) end },
        { key = "efficiency", title = "measured/predicted", align = "right", fmt = function(v) return lib.f(v, 2) end },
      }, cmp.rows)
  end
  return data, text
end

return M
