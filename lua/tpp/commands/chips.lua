--- tpp chips: the chip database as a table.
local tpp = require "tpp"
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "the chip database: TPP, PD, bandwidth, H100-equivalents",
  usage = "tpp chips [--vendor NAME] [--sort tpp|pd|name|year] [--basis tpp|8bit|fp16] [--tf32-bits 0|19|32] " ..
    "[-f FORMAT]",
  options = {
    vendor = { arg = "NAME", help = "only chips whose vendor contains NAME" },
    sort = { arg = "KEY", choices = { "tpp", "pd", "name", "year", "id" },
             help = "sort by tpp, pd, name, year or id (default: database order)" },
    basis = { arg = "BASIS", help = "H100-equivalent basis: tpp (default), 8bit or fp16" },
    ["tf32-bits"] = { arg = "BITS", choices = { "0", "19", "32" },
                      help = "count TF32 at 19 or 32 bits (default 0: excluded)" },
  },
  max_args = 0,
  rows = "chips",
  columns = { "id", "name", "vendor", "year", "datacenter", "tpp", "tpp_precision", "pd", "mem_bw_gbs",
              "interconnect_gbs", "h100e", "h100e_basis", "provenance" },
}

function M.run(args)
  local basis = args.basis or "tpp"
  if not tpp.H100E_BASES[basis] then
    error(("tpp chips: --basis '%s' unknown; expected tpp, 8bit or fp16"):format(basis), 0)
  end
  local tf = tonumber(args["tf32-bits"] or "0")
  local opts = tf and tf ~= 0 and { tf32_bits = tf } or nil
  local rows = {}
  for _, c in ipairs(tpp.chips()) do
    local d = c.data
    if not args.vendor or d.vendor:lower():find(args.vendor:lower(), 1, true) then
      local m = c:metrics(opts)
      rows[#rows + 1] = {
        id = d.id, name = d.name, vendor = d.vendor, year = d.year, datacenter = d.datacenter,
        tpp = m.tpp, tpp_precision = m.tpp_precision, tpp_ties = m.tpp_ties,
        pd = m.pd, mem_bw_gbs = m.mem_bw_gbs, interconnect_gbs = m.interconnect_gbs,
        h100e = m.h100e[basis], h100e_basis = tpp.H100E_BASES[basis].label,
        provenance = m.provenance.tpp, uncertain = d.uncertain ~= nil,
      }
    end
  end
  local key = args.sort
  if key then
    if not ({ tpp = 1, pd = 1, name = 1, year = 1, id = 1 })[key] then
      error(("tpp chips: --sort '%s' unknown; expected tpp, pd, name, year or id"):format(key), 0)
    end
    table.sort(rows, function(a, b)
      local x, y = a[key], b[key]
      if x == nil or y == nil then
        if x == y then return a.id < b.id end
        return y == nil
      end
      if x == y then return a.id < b.id end
      if type(x) == "number" then return x > y end
      return x < y
    end)
  end
  local text = report.table({
    { key = "id", title = "id", wrap = false },
    { key = "name", title = "name", max = 38, priority = 2 },
    { key = "tpp", title = "TPP", align = "right", fmt = report.int },
    { key = "tpp_precision", title = "set by", priority = 5,
      fmt = function(v, r) return r.tpp_ties and table.concat(r.tpp_ties, "=") or v end },
    { key = "pd", title = "PD", align = "right", fmt = report.fixed(2) },
    { key = "mem_bw_gbs", title = "mem GB/s", align = "right", fmt = report.int, priority = 3 },
    { key = "h100e", title = "H100e", align = "right", fmt = report.fixed(2), priority = 2 },
    { key = "datacenter", title = "DC", fmt = function(v) return v and "yes" or "no" end, priority = 4 },
    { key = "provenance", title = "source", priority = 3,
      fmt = function(v, r) return (v or "-") .. (r.uncertain and "*" or "") end },
  }, rows)
  text = text .. "\n" .. report.wrap(("%d chips. TPP = 2 x dense MacTOPS x bit length (max over precisions); " ..
    "PD = TPP / mm2 of logic die. H100e basis: %s. '-' = unknown. * = figures not confirmed against a primary " ..
    "source ('tpp show ID'). %s"):format(#rows, tpp.H100E_BASES[basis].label, tpp.DISCLAIMER)) .. "\n"
  for _, r in ipairs(rows) do r.uncertain = nil end
  return { chips = rows, h100e_basis = tpp.H100E_BASES[basis].label, disclaimer = tpp.DISCLAIMER,
           count = #rows, tf32_bits = tf or 0 }, text
end

M._util = util
return M
