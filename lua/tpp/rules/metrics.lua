--- tpp.rules.metrics: the named metrics a rule version can test, what each
-- means, its unit and datasheet equivalents, and how a chip supplies it.
-- A metric a chip cannot supply is nil with a reason ("unknown is not zero").
local util = require "tpp.util"

local M = {}

-- kind: "number" (>=, >, <, <= against a threshold), "flag" (== true/false),
-- "date" (compared as YYYYMMDD numbers, written "YYYY-MM-DD" in rule files).
-- column: the batch column the compiled program reads; sum: a derived input.
M.METRICS = {
  tpp = {
    kind = "number", title = "total processing performance (TPP)", short = "TPP", unit = "",
    column = "tpp",
    datasheet = {
      { key = "fp16_tflops", divisor = 16, unit = "dense FP16 TFLOPS" },
      { key = "int8_tops", divisor = 8, unit = "dense 8-bit TOPS" },
    },
    help = "2 x MacTOPS x bit length, the maximum over precisions (3A090 Technical Note)",
  },
  pd = {
    kind = "number", title = "performance density (PD)", short = "performance density", unit = "TPP/mm2",
    column = "pd", decimals = 2,
    help = "TPP / applicable die area in mm2 (non-planar logic dies)",
  },
  mem_bw_gbs = {
    kind = "number", title = "total DRAM bandwidth", short = "DRAM bandwidth", unit = "GB/s",
    column = "mem_bw_gbs",
    help = "memory.bandwidth_gbs of the chip",
  },
  interconnect_gbs = {
    kind = "number", title = "aggregate bidirectional interconnect (I/O) bandwidth",
    short = "interconnect bandwidth", unit = "GB/s", column = "interconnect_gbs",
    help = "interconnect_gbs of the chip (to ICs other than volatile memory)",
  },
  dram_io_sum_gbs = {
    kind = "number", title = "DRAM bandwidth plus interconnect bandwidth",
    short = "DRAM + interconnect bandwidth", unit = "GB/s",
    sum = { "mem_bw_gbs", "interconnect_gbs" },
    help = "mem_bw_gbs + interconnect_gbs (unknown if either is)",
  },
  mbd = {
    kind = "number", title = "memory bandwidth density", short = "memory bandwidth density",
    unit = "GB/s/mm2", column = "mbd", decimals = 2,
    help = "memory bandwidth / package or stack area (3A090.c)",
  },
  transistors_b = {
    kind = "number", title = "aggregated approximated transistor count", short = "transistor count",
    unit = "billion", column = "transistors_b",
    help = "transistors_b of the chip, in billions",
  },
  datacenter = {
    kind = "flag", title = "designed or marketed for use in datacenters", short = "datacenter",
    column = "datacenter",
    help = "chip.datacenter (true/false); the rule text draws no bright line (a judgement on datasheets and marketing)",
  },
  hbm = {
    kind = "flag", title = "has high-bandwidth memory in the package", short = "HBM", column = "hbm",
    help = "chip.hbm (true/false)",
  },
  memory_item = {
    kind = "flag", title = "is a stand-alone memory device (e.g. an HBM stack), not a processor",
    short = "stand-alone memory", column = "memory_item",
    help = "false for chips with compute figures; true when form names an HBM/DRAM stack",
  },
  first_marketed = {
    kind = "date", title = "date first marketed", short = "first marketed", column = "first_marketed",
    help = "chip.first_marketed (YYYY-MM-DD), else mid-year of chip.year (an assumption)",
  },
}

M.NAMES = util.sorted_keys(M.METRICS)
-- The order readers expect metrics in (missing inputs, tables).
M.ORDER = { "tpp", "pd", "mem_bw_gbs", "interconnect_gbs", "dram_io_sum_gbs", "mbd", "transistors_b",
            "datacenter", "hbm", "memory_item", "first_marketed" }
M.RANK = {}
for i, name in ipairs(M.ORDER) do M.RANK[name] = i end

--- "2026-01-01" -> 20260101 for a calendar date; nil for anything else
-- (2024-02-30 too).
M.date_number = util.date_number

--- 20260101 -> "2026-01-01".
function M.date_string(n)
  return ("%04d-%02d-%02d"):format(math.floor(n / 10000), math.floor(n / 100) % 100, n % 100)
end

--- A metric name check: the metric record, or nil and a message with a suggestion.
function M.lookup(name)
  local m = M.METRICS[name]
  if m then return m end
  local hint = type(name) == "string" and util.did_you_mean(name, M.NAMES) or nil
  return nil, ("unknown metric '%s'%s; metrics are: %s"):format(tostring(name),
    hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(M.NAMES, ", "))
end

local function flag(v)
  if v == nil then return nil end
  return v and 1 or 0
end

--- Every metric of a chip object (tpp.chip): values[name] (nil unknown),
-- why[name] (the reason a value is unknown), notes (assumptions made here).
-- opts go to chip:metrics (tf32_bits: a reading of the chip's figures).
function M.of_chip(chip, opts)
  local m = chip:metrics(opts)
  local d = chip.data
  local values, why, notes = {}, {}, {}
  values.tpp, why.tpp = m.tpp, m.unknown.tpp
  values.pd, why.pd = m.pd, m.unknown.pd
  values.mem_bw_gbs, why.mem_bw_gbs = m.mem_bw_gbs, m.unknown.mem_bw_gbs
  values.interconnect_gbs, why.interconnect_gbs = m.interconnect_gbs, m.unknown.interconnect_gbs
  if values.mem_bw_gbs and values.interconnect_gbs then
    values.dram_io_sum_gbs = values.mem_bw_gbs + values.interconnect_gbs
  else
    why.dram_io_sum_gbs = "needs both memory bandwidth and interconnect bandwidth"
  end
  values.mbd, why.mbd = m.mbd, m.unknown.mbd
  values.transistors_b = m.transistors_b
  if values.transistors_b == nil then why.transistors_b = "transistor count (transistors_b) not given" end
  values.datacenter = flag(d.datacenter)
  if d.datacenter == nil then
    why.datacenter = "not stated whether the chip is designed or marketed for datacenters (chip.datacenter)"
  end
  values.hbm = flag(d.hbm)
  if d.hbm == nil then why.hbm = "not stated whether the package has HBM (chip.hbm)" end
  local form = type(d.form) == "string" and d.form:lower() or ""
  if form:find("hbm", 1, true) or form:find("dram stack", 1, true) or form:find("memory stack", 1, true) then
    values.memory_item = 1
  elseif m.tpp ~= nil then
    values.memory_item = 0
  else
    why.memory_item = "neither compute figures nor a memory form factor (form = 'HBM stack') are given"
  end
  local fm = M.date_number(d.first_marketed)
  if fm then
    values.first_marketed = fm
  elseif d.year then
    values.first_marketed = d.year * 10000 + 701
    notes.first_marketed = ("first-marketed date taken as %d-07-01 (mid-year of chip.year; " ..
      "no first_marketed date given)"):format(d.year)
  else
    why.first_marketed = "neither first_marketed nor year is given"
  end
  return values, why, notes
end

return M
