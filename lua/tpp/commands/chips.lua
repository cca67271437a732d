--- tpp chips: the chip database as a table.
local tpp = require "tpp"
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "the chip database: TPP, PD, bandwidth, H100-equivalents",
  usage = "tpp chips [--vendor NAME] [--sort tpp|pd|name|year] [--basis tpp|8bit|fp16] [--tf32-bits 0|19|32] " ..
    "[-f FORMAT]\n" ..
    "       tpp chips --check [--all] [--vendor NAME] [-f FORMAT]",
  help = "--check recomputes TPP and PD of every chip from its figures and compares them with every value a " ..
    "vendor or a third party stated (the chip's 'stated' and 'evidence' records). A difference over 1 % must be " ..
    "reproduced by a convention (TF32 bit length, FP6 counting, sparsity, per die vs per package, another die " ..
    "area) or carry a declared reason (another SKU or clock, an error in the other table) with a note. It also " ..
    "checks that every figure cites a source of the registry with a fitting tag. Exit status 1 when anything " ..
    "is unexplained or a record is incomplete.",
  options = {
    check = { flag = true,
      help = "recompute TPP and PD and compare them with every stated value; exit 1 on an unexplained difference" },
    all = { flag = true, help = "with --check: list agreeing values too, not only differences" },
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

local function pct(v) return v and ("%+.1f %%"):format(v) or "-" end

function M.check(args)
  local check = require "tpp.chips.check"
  local chips = tpp.chips(args.vendor and function(c)
    return c.data.vendor:lower():find(args.vendor:lower(), 1, true) ~= nil end or nil)
  local rep = check.run(chips)
  local rows = {}
  for _, c in ipairs(rep.chips) do
    for _, r in ipairs(c.rows) do
      if args.all or r.verdict ~= "agrees" then
        rows[#rows + 1] = { id = c.id, what = r.what:upper(), stated = r.stated, computed = r.computed,
          diff = r.diff_pct, verdict = r.verdict, by = r.by, reason = r.reason, note = r.note }
      end
    end
  end
  local fmtv = function(v, r) return v and (r.what == "PD" and util.fmt(v, 2) or util.fmt(v, 0)) or "-" end
  local text = report.table({
    { key = "verdict", title = "verdict" },
    { key = "id", title = "chip" },
    { key = "what", title = "value" },
    { key = "stated", title = "stated", align = "right", fmt = fmtv },
    { key = "computed", title = "tpp", align = "right", fmt = fmtv },
    { key = "diff", title = "diff", align = "right", fmt = pct },
    { key = "by", title = "stated by", max = 22 },
  }, rows)
  local lines = { text }
  for _, r in ipairs(rows) do
    if r.reason or r.note then
      lines[#lines + 1] = report.wrap(("%s %s (%s): %s%s"):format(r.id, r.what, r.by or "-", r.reason or "",
        r.note and ((r.reason and "; " or "") .. r.note) or ""), 100, "    ")
    end
  end
  if #rep.problems > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = ("Record problems (%d):"):format(#rep.problems)
    for _, p in ipairs(rep.problems) do lines[#lines + 1] = report.wrap("  " .. p, 100, "    ") end
  end
  local n = rep.counts
  lines[#lines + 1] = ""
  lines[#lines + 1] = ("%d chips, %d stated values: %d agree, %d explained, %d unexplained, %d not comparable; " ..
    "%d record problems. %s"):format(n.chips, n.values, n.agrees, n.explained, n.unexplained, n["not comparable"],
    #rep.problems, rep.ok and "Check passed." or "Check FAILED.")
  local data = { ok = rep.ok, counts = n, values = rows, problems = rep.problems }
  require("tpp.json").array(data.values)
  require("tpp.json").array(data.problems)
  return data, table.concat(lines, "\n") .. "\n", rep.ok and 0 or 1
end

function M.run(args)
  if args.check then return M.check(args) end
  if args.all then error("tpp chips: --all goes with --check", 0) end
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
        family = d.family, variant_of = d.variant_of, designer = d.designer, origin = d.origin,
        announced = d.announced, first_shipped = d.first_shipped, us_available = d.us_available,
        mem_gb = m.mem_gb,
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
