--- tpp bench membw: read bandwidth of this host, one thread and all threads.
-- Each thread sums its slice of a buffer with the widest vector loads the CPU
-- has; the best of repeated passes is reported (GB = 1e9 bytes).
local core = require "tpp.backend"
local lib = require "tpp.benchlib"
local progress = require "tpp.progress"
local report = require "tpp.report"

local M = {
  summary = "memory read bandwidth, 1 thread and all threads",
  usage = "tpp bench membw [--sizes MB,...] [--seconds S] [--threads N] [--json]",
  help = "Buffers larger than the last-level cache measure DRAM; smaller ones measure caches.",
  options = {
    sizes = { arg = "MB,...", help = "buffer sizes in MiB (default 16,256,1024)" },
    seconds = { arg = "S", help = "time per measurement (default 0.5)" },
    threads = { arg = "N", help = "the 'all threads' count (default: all cores)" },
  },
  max_args = 0,
}

--- Measure; returns the data table (also used by tpp.host and decode).
function M.measure(opts)
  opts = opts or {}
  local sizes = opts.sizes or { 16, 256, 1024 }
  local seconds = opts.seconds or 0.5
  local all = core.threads()
  local rows, n, total = {}, 0, #sizes * (all > 1 and 2 or 1)
  for _, mb in ipairs(sizes) do
    local bytes = math.floor(mb * 1048576)
    local counts = all > 1 and { 1, all } or { 1 }
    for _, t in ipairs(counts) do
      n = n + 1
      progress.update(("membw %d MiB, %d thread%s"):format(mb, t, t > 1 and "s" or ""), n - 1, total)
      rows[#rows + 1] = { mib = mb, bytes = bytes, threads = t, gbs = core.bench_membw(bytes, t, seconds) }
    end
  end
  progress.done()
  return rows
end

function M.run(args)
  local threads = lib.threads(args, "membw")
  local sizes = lib.numbers(args, "sizes", { 16, 256, 1024 }, "membw")
  local seconds = require("tpp.cli").number(args, "seconds", 0.5, "bench membw")
  local rows = M.measure { sizes = sizes, seconds = seconds }
  local info = lib.host_info()
  local peak = 0
  for _, r in ipairs(rows) do
    if r.threads == threads and r.mib == sizes[#sizes] then peak = r.gbs end
  end
  local data = { host = info, results = rows, dram_gbs = peak, unit = "GB/s (1e9 bytes/s)" }
  local text = lib.header("tpp bench membw: read bandwidth", info) .. report.table({
    { key = "mib", title = "buffer MiB", align = "right" },
    { key = "threads", title = "threads", align = "right" },
    { key = "gbs", title = "GB/s", align = "right", fmt = function(v) return lib.f(v) end },
  }, rows) .. ("\nlargest buffer, %d threads: %.1f GB/s\n"):format(threads, peak)
  return data, text
end

return M
