--- tpp show CHIP: every figure of one chip with its provenance, the metrics,
-- the datasheet-unit equivalents, assumptions and sources.
local tpp = require "tpp"
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "show one chip: figures with provenance, metrics, assumptions, sources",
  usage = "tpp show CHIP [--tf32-bits 0|19|32] [--json]",
  options = { ["tf32-bits"] = { arg = "BITS", help = "count TF32 at 19 or 32 bits (default 0: excluded)" } },
  min_args = 1, max_args = 1, args = "chip",
}

function M.run(args)
  local c = tpp.chip(args[1])
  local tf = tonumber(args["tf32-bits"] or "0")
  local m = c:metrics(tf ~= 0 and { tf32_bits = tf } or nil)
  local d = c.data
  local prov, cite = d.provenance or {}, d.cite or {}
  local function tagged(v, key, unit)
    if v == nil then return "-" end
    local tag = prov[key] and (prov[key] .. (cite[key] and (": " .. cite[key]) or "")) or nil
    return report.exact(v) .. (unit and (" " .. unit) or "") .. (tag and ("  [" .. tag .. "]") or "")
  end
  local lines = {}
  lines[#lines + 1] = ("%s (%s)"):format(d.name or "unnamed chip", d.id or "-")
  lines[#lines + 1] = ("%s, %s, %s, %s"):format(d.vendor or "?", d.form or "?", d.process or "process n/d",
    d.year and tostring(d.year) or "year n/d")
  lines[#lines + 1] = "datacenter: " .. (d.datacenter == nil and "not stated" or (d.datacenter and "yes" or "no")) ..
    (d.datacenter_basis and (" (" .. d.datacenter_basis .. ")") or "")
  if d.family or d.designer then
    lines[#lines + 1] = ("designer: %s (origin %s); family %s%s"):format(d.designer or "?", d.origin or "?",
      d.family or "?", d.variant_of and (", variant of " .. d.variant_of) or "")
  end
  local dates = {}
  for _, k in ipairs({ "announced", "first_shipped", "us_available" }) do
    if d[k] then dates[#dates + 1] = ("%s %s"):format(k:gsub("_", " "), d[k]) end
  end
  if #dates > 0 then lines[#lines + 1] = table.concat(dates, "; ") end
  lines[#lines + 1] = ""
  lines[#lines + 1] = "Dense throughput (TFLOPS / TOPS):"
  for _, p in ipairs(tpp.PRECISIONS) do
    local v = d.dense and d.dense[p]
    if v then lines[#lines + 1] = ("  %-5s %s"):format(p, tagged(v, "dense." .. p)) end
  end
  lines[#lines + 1] = ""
  local kv = {
    { "TPP", m.tpp and (report.exact(m.tpp) .. " (set by " .. (m.tpp_ties and table.concat(m.tpp_ties, " = ") or
      m.tpp_precision) .. ")  [" .. tostring(m.provenance.tpp) .. "]") or ("unknown: " .. m.unknown.tpp) },
    -- the TPP in datasheet units, unrounded: it may differ from the chip's own FP16 figure
    -- (the H100's TPP is set by its 8-bit rate, 1,978.9 x 8 = 15,831.2 = 989.45 x 16, not 989.4 x 16)
    { "  = TPP / 16", m.tpp and (report.exact(m.tpp / 16) .. " dense FP16 TFLOPS-equivalent") or "-" },
    { "  = TPP / 8", m.tpp and (report.exact(m.tpp / 8) .. " dense 8-bit TOPS-equivalent") or "-" },
    { "applicable die area", m.area_mm2 and (util.fmt(m.area_mm2, 1) .. " mm2  [" .. tostring(prov.die_area_mm2) ..
      "]" .. (d.die_note and ("  " .. d.die_note) or "")) or "unknown" },
    { "PD", m.pd and (util.fmt(m.pd, 3) .. "  [" .. tostring(m.provenance.pd) .. "]") or
      ("unknown: " .. m.unknown.pd) },
    { "3A991.p perf. (TOPS)", m.pp and util.fmt(m.pp, 1) or "-" },
    { "memory", d.memory and d.memory.capacity_gb and (util.num(d.memory.capacity_gb) .. " GB " ..
      (d.memory.type or "")) or "-" },
    { "memory bandwidth", tagged(d.memory and d.memory.bandwidth_gbs, "memory.bandwidth_gbs", "GB/s") },
    { "interconnect", tagged(d.interconnect_gbs, "interconnect_gbs", "GB/s") ..
      (d.interconnect_dir and ("  (" .. d.interconnect_dir .. ")") or "") },
    { "transistors", tagged(d.transistors_b, "transistors_b", "billion") },
    { "TDP", tagged(d.tdp_w, "tdp_w", "W") },
  }
  for _, b in ipairs({ "tpp", "8bit", "fp16" }) do
    kv[#kv + 1] = { "H100e (" .. b .. ")", m.h100e[b] and (("%.3f"):format(m.h100e[b]) .. "  " ..
      tpp.H100E_BASES[b].label) or "unknown" }
  end
  lines[#lines + 1] = report.kv(kv)
  if d.stated then
    lines[#lines + 1] = ("Stated publicly: TPP %s, PD %s"):format(d.stated.tpp and util.num(d.stated.tpp) or "-",
      d.stated.pd and util.num(d.stated.pd) or "-")
  end
  if #m.assumptions > 0 or d.uncertain then
    lines[#lines + 1] = "Assumptions and uncertain figures:"
    for _, a in ipairs(d.uncertain or {}) do lines[#lines + 1] = report.wrap("  * " .. a, 78, "    ") end
    for _, a in ipairs(m.assumptions) do lines[#lines + 1] = report.wrap("  - " .. a, 78, "    ") end
  end
  if d.notes then lines[#lines + 1] = report.wrap("Notes: " .. d.notes, 78, "  ") end
  if d.derivation then
    lines[#lines + 1] = "Derived figures:"
    for _, k in ipairs(util.sorted_keys(d.derivation)) do
      lines[#lines + 1] = report.wrap(("  - %s: %s"):format(k, d.derivation[k]), 78, "    ")
    end
  end
  if d.sources then
    lines[#lines + 1] = "Sources:"
    local reg = d.cite and require("tpp.chips.sources") or nil
    local keys = {}
    if reg then
      for _, k in pairs(cite) do keys[k] = true end
      for _, k in ipairs(util.sorted_keys(keys)) do
        local src = reg.get(k)
        if src then lines[#lines + 1] = report.wrap(("  [%s] %s"):format(k, reg.line(src)), 78, "    ") end
      end
    else
      for _, s in ipairs(d.sources) do lines[#lines + 1] = report.wrap("  - " .. s, 78, "    ") end
    end
  end
  local aliases = d.id and require("tpp.chips").aliases_of(d.id) or {}
  if #aliases > 0 then lines[#lines + 1] = "Also found as: " .. table.concat(aliases, ", ") end
  lines[#lines + 1] = tpp.DISCLAIMER
  local data = {
    chip = util.deepcopy(d),
    metrics = {
      tpp = m.tpp, tpp_precision = m.tpp_precision, tpp_ties = m.tpp_ties, pd = m.pd, area_mm2 = m.area_mm2,
      pp = m.pp, mbd = m.mbd, fp16_tflops_equivalent = m.tpp and m.tpp / 16,
      int8_tops_equivalent = m.tpp and m.tpp / 8, tf32_bits = m.tf32_bits,
      h100e = { tpp = m.h100e.tpp, ["8bit"] = m.h100e["8bit"], fp16 = m.h100e.fp16 },
      h100e_basis = { tpp = tpp.H100E_BASES.tpp.label, ["8bit"] = tpp.H100E_BASES["8bit"].label,
                      fp16 = tpp.H100E_BASES.fp16.label },
      provenance = m.provenance, unknown = m.unknown, assumptions = m.assumptions,
    },
    disclaimer = tpp.DISCLAIMER,
  }
  return data, table.concat(lines, "\n") .. "\n"
end

return M
