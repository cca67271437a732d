--- tpp.rules.metrics: the named metrics a rule version can test, what each
-- means, its unit and datasheet equivalents, and how a chip supplies it.
-- A metric a chip cannot supply is nil with a reason ("unknown is not zero").
local util = require "tpp.util"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

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
  tops = {
    kind = "number", title = "processing performance in TOPS (2 x MacTOPS, no bit length)",
    short = "processing performance", unit = "TOPS", column = "tops",
    help = "the largest dense figure of any precision, summed over processing units (3A991.p technical note)",
  },
}

-- Facts of a transaction that licence declarations (licence { } in rule files,
-- letters) test: destination and headquarters country groups on the date, the
-- item's paragraph under the version, the export's origin. tpp.screen fills
-- them; chips never have them. Flags are 1/0, nil when unknown.
local TRANSACTION = {
  dest_d1 = "destination in Country Group D:1 on the date",
  dest_d4 = "destination in Country Group D:4 on the date",
  dest_d5 = "destination in Country Group D:5 on the date",
  dest_a5 = "destination in Country Group A:5 on the date",
  dest_a6 = "destination in Country Group A:6 on the date",
  dest_macau = "destination is Macau",
  dest_china = "destination is China (including Hong Kong)",
  dest_china_macau = "destination is China (including Hong Kong) or Macau",
  dest_d5_macau = "destination in D:5 or Macau",
  dest_d145_macau = "destination in D:1, D:4 or D:5, or Macau",
  dest_uae = "destination is the United Arab Emirates",
  dest_us = "destination is the United States",
  hq_d5_macau = "recipient headquartered (or ultimate parent headquartered) in D:5 or Macau",
  item_a = "the item meets 3A090.a (or 4A090.a) under the version",
  item_b = "the item meets 3A090.b (or 4A090.b) under the version",
  item_c = "the item meets 3A090.c under the version",
  item_ab = "the item meets 3A090.a or 3A090.b under the version",
  exported_from_us = "an export from the United States (not a reexport or in-country transfer)",
  us_available = "commercially available in the United States when the rule was published",
  informed = "the exporter (the chip's vendor) is the party the letter informed",
  dest_listed = "destination in the version's 'destinations' figure (a bill's countries of concern)",
  hq_listed = "headquarters in the version's 'destinations' figure (a bill's countries of concern)",
}
for name, title in pairs(TRANSACTION) do
  M.METRICS[name] = { kind = "flag", title = title, short = title, column = name, domain = "transaction",
                      help = title .. " (a transaction fact: tpp.screen)" }
end
M.METRICS.as_of = { kind = "date", title = "the transaction date", short = "date", column = "as_of",
                    domain = "transaction", help = "the as-of date of the screening (YYYY-MM-DD)" }

M.NAMES = util.sorted_keys(M.METRICS)
-- The order readers expect metrics in (missing inputs, tables).
M.ORDER = { "tpp", "pd", "mem_bw_gbs", "interconnect_gbs", "dram_io_sum_gbs", "mbd", "transistors_b",
            "datacenter", "hbm", "memory_item", "first_marketed", "tops" }
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
  -- 3A991.p processing performance: 2 x MacTOPS (the datasheet TOPS/TFLOPS figure, dense), largest over
  -- precisions; several units add up per precision first
  local per_prec = {}
  local units = d.units or { { dense = d.dense or {} } }
  for _, u in ipairs(units) do
    for p, v in pairs(u.dense or {}) do per_prec[p] = (per_prec[p] or 0) + v end
  end
  for _, v in pairs(per_prec) do
    if values.tops == nil or v > values.tops then values.tops = v end
  end
  if values.tops == nil then why.tops = "no dense throughput figure is known for any precision" end
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
