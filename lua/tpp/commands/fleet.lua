--- tpp fleet: fleets and national compute stocks in H100-equivalents, on every
-- basis, for training and inference side by side, with p5/p50/p95 from a
-- Monte Carlo in the C core, and the source of every row.
local fleet = require "tpp.fleet"
local bases = require "tpp.fleet.bases"
local dates = require "tpp.fleet.dates"
local report = require "tpp.report"
local util = require "tpp.util"
local cli = require "tpp.cli"
local json = require "tpp.json"

local M = {
  summary = "fleets and national compute stocks in H100-equivalents, with uncertainty",
  usage = "tpp fleet [FLEET ...] [--add CHIP=COUNT|CHIP=LOW:CENTRAL:HIGH] [--vs FLEET] [--as-of DATE] " ..
    "[--by holder|country|chip|family|kind|scenario|row] [--basis B,...] [--rules ID|all] [--rtt] " ..
    "[--set ID.FIELD=VALUE] [--drop ID] [--draws N] [--seed S] [--scenarios] [--rows] [--json]",
  help = "FLEET is a shipped scenario (tpp fleet --scenarios lists them) or a fleet file;\n" ..
    "several are combined. Totals are in H100-equivalents on five bases: TPP, dense\n" ..
    "8-bit, dense FP16 (compute, training), memory bandwidth and serving capacity\n" ..
    "(inference), each against the H100 SXM entry of tpp's chip database. Ranges are\n" ..
    "drawn by Monte Carlo (100,000 draws): p50 with p5 and p95.\n" ..
    "\n" ..
    " tpp fleet h20-million --vs huawei-2025    1M H20 against Huawei's 2025 output\n" ..
    " tpp fleet china-compute --as-of 2025-12-31 --by family\n" ..
    " tpp fleet china-nvidia-legal --rules all  what each rule version allowed\n" ..
    " tpp fleet --rtt --rtt-volume 200000       rolling threshold and its 10% cap\n" ..
    " tpp fleet --add H20=1000000 --add 910C=200000:300000:800000\n" ..
    "\n" ..
    "A chip without a figure on a basis is unknown there: its rows are named and\n" ..
    "left out of that basis's total, never counted as zero. Orders are not counted\n" ..
    "in stocks (--as-of). Exit status: 0 done; 2 when --rtt finds China's stock over\n" ..
    "the cap at the median. Not legal advice.",
  options = {
    add = { arg = "CHIP=COUNT", multi = true, help = "add a row: CHIP=COUNT or CHIP=LOW:CENTRAL:HIGH (p5/p50/p95)" },
    vs = { arg = "FLEET", multi = true, help = "compare: the ratio FLEET ... / this FLEET, draw by draw" },
    ["as-of"] = { arg = "DATE", help = "the stock held at the end of DATE (YYYY-MM-DD)" },
    ["retire-after"] = { arg = "YEARS", help = "with --as-of: chips retire after YEARS" },
    retire = { arg = "CHIP=YEARS", multi = true, help = "with --as-of: a retirement age for one chip" },
    ["include-orders"] = { flag = true, help = "with --as-of: count orders as if delivered" },
    by = { arg = "GROUP", help = "totals per holder, country, chip, family, kind, scenario or row" },
    basis = { arg = "B,...", help = "bases to show: tpp, 8bit, fp16, membw, serving (default all)" },
    rules = { arg = "ID|all", help = "what a rule version (or each: all) would have allowed" },
    rtt = { flag = true, help = "the rolling technical threshold: a line from production data, and the cap" },
    ["rtt-volume"] = { arg = "N", help = "with --rtt: units a year that count as commercial scale (100,000)" },
    production = { arg = "FLEET", multi = true, help = "with --rtt: production rows (default china-production)" },
    set = { arg = "ID.FIELD=VALUE", multi = true, help = "change a row's field (e.g. hw-2025.units_central=400000)" },
    drop = { arg = "ID", multi = true, help = "remove a row" },
    draws = { arg = "N", help = "Monte Carlo draws (default 100,000)" },
    seed = { arg = "S", help = "random seed (default 1)" },
    threads = { arg = "N", help = "threads for the Monte Carlo (default all cores)" },
    model = { arg = "NAME", help = "serving basis: model preset (default llama-3.1-70b)" },
    scenario = { arg = "S", help = "serving basis: offline, server, latency or batch (default offline)" },
    chips = { arg = "N", help = "serving basis: chips in the deployment (default 8)" },
    ["input-tokens"] = { arg = "N", help = "serving basis: prompt tokens (default 1024)" },
    ["output-tokens"] = { arg = "N", help = "serving basis: generated tokens (default 256)" },
    precision = { arg = "P", help = "serving basis: weights (default: the chip's 8-bit format)" },
    kv = { arg = "P", help = "serving basis: KV cache (default bf16)" },
    ["tpot-ms"] = { arg = "X", help = "serving basis, server scenario: time per output token target" },
    scenarios = { flag = true, help = "list the shipped scenarios" },
    rows = { flag = true, help = "list the fleet's rows with their sources instead of totals" },
  },
}

-- CSV / JSON Lines: one record per table line of the report.
function M.rows(data) return data.records end

local function usage(msg) error("tpp fleet: " .. msg, 0) end

-- ---- numbers for people ----------------------------------------------------------

local function sig(v)
  if v == nil then return "-" end
  local a = math.abs(v)
  if a >= 1e9 then return ("%.3gB"):format(v / 1e9) end
  if a >= 1e6 then return ("%.3gM"):format(v / 1e6) end
  if a >= 1e4 then return ("%.3gk"):format(v / 1e3) end
  if a >= 1000 then return util.fmt(tonumber(("%.3g"):format(v))) end
  if a == 0 then return "0" end
  if v == math.floor(v) then return tostring(math.floor(v)) end
  return (("%#.3g"):format(v):gsub("%.$", ""))
end
M.sig = sig

-- An exact total prints in full; an uncertain one with 3 significant digits.
local function cell(t, key)
  if not t or t.unknown then return "unknown" end
  local v = t[key]
  if v == nil then return "-" end
  if t.p5 == t.p95 and math.abs(v) >= 1 then return util.fmt(v) end
  return sig(v)
end

-- Wrap at the terminal width; the text's leading spaces stay on the first
-- line, continuation lines get `indent` (default: two more than the first).
local function wrap(text, indent)
  local width = math.max(40, (tonumber(os.getenv("COLUMNS") or "") or 80) - 1)
  local lead = text:match("^(%s*)")
  indent = indent or (lead .. "  ")
  local out, line = {}, lead
  for word in text:gmatch("%S+") do
    if #line + #word + 1 > width and #line > #lead and line ~= indent then
      out[#out + 1] = line
      line = indent .. word
    else
      line = (line == lead or line == indent) and (line .. word) or (line .. " " .. word)
    end
  end
  out[#out + 1] = line
  return table.concat(out, "\n")
end

local function basis_title(b)
  if b.id == "units" then return "chips (count)" end
  return ("%s (%s)"):format(b.label, b.use == "inference" and "inference" or "compute")
end

-- ---- arguments ---------------------------------------------------------------------

local function parse_number(args, name, integer)
  local v = cli.number(args, name, nil, "fleet")
  if v ~= nil and integer and (v ~= math.floor(v) or v < 0) then
    usage(("--%s: '%s' is not a whole number >= 0"):format(name, args[name]))
  end
  return v
end

local function workload_of(args)
  local w = {}
  w.model, w.scenario, w.precision, w.kv_precision = args.model, args.scenario, args.precision, args.kv
  for _, k in ipairs({ { "chips", "chips" }, { "input-tokens", "input_tokens" },
                       { "output-tokens", "output_tokens" } }) do
    local v = parse_number(args, k[1], true)
    if v ~= nil and v < 1 then usage(("--%s: expected a whole number >= 1"):format(k[1])) end
    w[k[2]] = v
  end
  w.tpot_ms = parse_number(args, "tpot-ms")
  return w
end

local function estimate_opts(args)
  local o = { draws = parse_number(args, "draws", true), seed = parse_number(args, "seed", true),
              threads = parse_number(args, "threads", true), by = args.by, workload = workload_of(args) }
  if args.basis then
    o.bases = {}
    for b in args.basis:gmatch("[^,%s]+") do
      if not bases.BASES[b] then
        local hint = util.did_you_mean(b, bases.ORDER)
        usage(("--basis: '%s' is not a basis%s; bases: %s"):format(b, hint and ("; did you mean '" .. hint .. "'?")
          or "", table.concat(bases.ORDER, ", ")))
      end
      o.bases[#o.bases + 1] = b
    end
  end
  return o
end

-- A FLEET argument: a scenario id or a file.
local function load_spec(name)
  if fleet.scenarios.exists(name) then return fleet.new(name) end
  -- a path (or "-"): the reader says whether it is missing (66) or bad (65)
  if name == "-" or name:find("[/\\.]") then return require("tpp.fleet.load").file(name) end
  local hint = util.did_you_mean(name, fleet.scenarios.ids())
  usage(("'%s' is neither a scenario nor a readable file%s; 'tpp fleet --scenarios' lists the scenarios")
    :format(name, hint and ("; did you mean '" .. hint .. "'?") or ""))
end

local function build(list, args, with_edits)
  local f = fleet.new(nil)
  local parts = {}
  for _, name in ipairs(list) do
    f = f:combine(load_spec(name))
    parts[#parts + 1] = name
  end
  if with_edits then
    for _, a in ipairs(args.add or {}) do
      f:add(a)
      parts[#parts + 1] = "--add " .. a
    end
    for _, s in ipairs(args.set or {}) do
      local id, field, value = s:match("^([^=]-)%.([%w_]+)%s*=%s*(.*)$")
      if not id then usage(("--set '%s': write ID.FIELD=VALUE (e.g. hw-2025.units_central=400000)"):format(s)) end
      f:set(id, field, value)
    end
    for _, id in ipairs(args.drop or {}) do f:drop(id) end
  end
  f.name = #parts > 0 and table.concat(parts, " + ") or "empty fleet"
  return f
end

local function retire_of(args)
  local retire
  if args["retire-after"] then
    local y = cli.number(args, "retire-after", nil, "fleet")
    if y <= 0 then usage("--retire-after: a number of years > 0 expected") end
    retire = { default = y }
  end
  for _, s in ipairs(args.retire or {}) do
    local chip, y = s:match("^(.-)=([%d%.]+)$")
    if not chip then usage(("--retire '%s': write CHIP=YEARS"):format(s)) end
    local c, msg = require("tpp.fleet.chips").get(chip)
    if not c then usage("--retire: " .. msg) end
    retire = retire or {}
    retire[c.data.id] = tonumber(y)
  end
  return retire
end

local function at(f, args)
  if not args["as-of"] then
    if args["retire-after"] or args.retire or args["include-orders"] then
      usage("--retire-after, --retire and --include-orders need --as-of DATE")
    end
    return f
  end
  local ok, msg = dates.parse_date(args["as-of"])
  if not ok then usage("--as-of: " .. msg) end
  return f:at(args["as-of"], { retire = retire_of(args), include_orders = args["include-orders"] })
end

-- ---- text ----------------------------------------------------------------------------

-- Per fleet: what is unknown, left out, removed; sources; assumptions.
local function notes(lines, e, label)
  local function head(t) lines[#lines + 1] = ""; lines[#lines + 1] = (label and (label .. ": ") or "") .. t end
  if #e.unknown > 0 then
    head("unknown (left out of those bases' totals, never counted as zero):")
    for _, u in ipairs(e.unknown) do
      local why = {}
      for _, b in ipairs(u.bases) do why[#why + 1] = b .. ": " .. u.reasons[b] end
      lines[#lines + 1] = wrap(("  %s (%s, %s units): %s"):format(u.row, u.chip, util.fmt(u.units_central),
        table.concat(why, "; ")))
    end
  end
  if #e.excluded > 0 then
    head("not in the stock:")
    for _, x in ipairs(e.excluded) do
      lines[#lines + 1] = wrap(("  %s (%s, %s units): %s"):format(x.row, x.chip, util.fmt(x.units_central), x.reason))
    end
  end
  if e.removed and #e.removed > 0 then
    head("removed (controlled under the rule version):")
    for _, x in ipairs(e.removed) do
      lines[#lines + 1] = wrap(("  %s: %s, %s units: %s"):format(x.row, x.chip, util.fmt(x.units_central), x.reason))
    end
  end
  if e.undetermined and #e.undetermined > 0 then
    head("undetermined (not counted as allowed):")
    for _, x in ipairs(e.undetermined) do
      lines[#lines + 1] = wrap(("  %s: %s, %s units: %s"):format(x.row, x.chip, util.fmt(x.units_central), x.reason))
    end
  end
  head("sources:")
  for _, s in ipairs(e.sources) do
    local u = s.units
    local units = u.low == u.high and util.fmt(u.central) or
      ("%s / %s / %s (%s)"):format(util.fmt(u.low), util.fmt(u.central), util.fmt(u.high), s.interval)
    lines[#lines + 1] = wrap(("  %s [%s] %s; %s; %s; %s%s; units %s. %s%s"):format(s.row, s.provenance, s.holder,
      s.chip, s.period, s.kind, s.held_fraction and ("; " .. ("%.0f%%"):format(s.held_fraction * 100) .. " held")
      or "", units, s.source, s.note and (". " .. s.note) or ""))
  end
  if #e.assumptions > 0 then
    head("assumptions:")
    for _, a in ipairs(e.assumptions) do lines[#lines + 1] = wrap("  - " .. a, "    ") end
  end
end

-- Once per output: the references, the serving workload, the Monte Carlo.
local function method(lines, e)
  lines[#lines + 1] = ""
  lines[#lines + 1] = "1 H100e on each basis (the H100 SXM entry of tpp's chip database, nv_h100_sxm):"
  for _, b in ipairs(e.bases) do
    if b.reference then
      local r = b.reference
      lines[#lines + 1] = wrap(("  %s: %s %s%s"):format(b.label, util.fmt(r, r == math.floor(r) and 0 or 1),
        b.unit, b.id == "serving" and " on the serving workload" or ""))
    end
  end
  for _, b in ipairs(e.bases) do
    if b.id == "serving" then lines[#lines + 1] = wrap("  serving workload: " .. e.workload_text, "    ") end
  end
  lines[#lines + 1] = wrap(("  uncertainty: %s draws, seed %d; %s; %s; %s; %s."):format(util.fmt(e.draws), e.seed,
    e.distributions.p, e.distributions.bounds, e.distributions.exact, e.distributions.method), "    ")
end

local function footer(lines, e)
  method(lines, e)
  notes(lines, e)
  lines[#lines + 1] = ""
  lines[#lines + 1] = wrap(e.disclaimer, "")
end

local TOTAL_COLUMNS = {
  { key = "basis", title = "basis" },
  { key = "p50", title = "p50", align = "right" },
  { key = "p5", title = "p5", align = "right" },
  { key = "p95", title = "p95", align = "right" },
  { key = "unknown", title = "unknown rows", align = "right" },
}

local function totals_table(e)
  local rows, records = {}, {}
  for _, b in ipairs(e.bases) do
    local t = e.totals[b.id]
    rows[#rows + 1] = { basis = basis_title(b), p50 = cell(t, "p50"), p5 = cell(t, "p5"), p95 = cell(t, "p95"),
                        unknown = t.unknown_rows > 0 and tostring(t.unknown_rows) or "" }
    records[#records + 1] = { fleet = e.fleet.name, group = "total", basis = b.id, use = b.use, p5 = t.p5,
                              p50 = t.p50, p95 = t.p95, mean = t.mean, central = t.central,
                              unknown_rows = t.unknown_rows, partial = t.partial }
  end
  return report.table(TOTAL_COLUMNS, rows), records
end

local function groups_table(e, records)
  local cols = { { key = "name", title = e.by, max = 34 } }
  for _, b in ipairs(e.bases) do
    cols[#cols + 1] = { key = b.id, title = b.id == "units" and "chips" or b.id, align = "right" }
  end
  local rows = {}
  for _, g in ipairs(e.groups) do
    local row = { name = g.name }
    for _, b in ipairs(e.bases) do
      row[b.id] = sig(g.totals[b.id].p50)
      local t = g.totals[b.id]
      records[#records + 1] = { fleet = e.fleet.name, group = g.name, basis = b.id, p5 = t.p5, p50 = t.p50,
                                p95 = t.p95, mean = t.mean }
    end
    rows[#rows + 1] = row
  end
  return "By " .. e.by .. " (p50; groups' p50s do not add up to the total's):\n" .. report.table(cols, rows)
end

local function header(e, title)
  local f = e.fleet
  local when = f.as_of and (", stock as of " .. f.as_of) or ""
  return ("%s: %s (%d row%s%s)\n"):format(title or "Fleet", f.name, f.rows, f.rows == 1 and "" or "s", when) ..
    "H100-equivalents; p50 with p5 and p95 over the Monte Carlo draws.\n\n"
end

local function text_estimate(e)
  local t, records = totals_table(e)
  local lines = { header(e) .. t:gsub("\n$", "") }
  if e.by then lines[#lines + 1] = "\n" .. groups_table(e, records) end
  footer(lines, e)
  return table.concat(lines, "\n") .. "\n", records
end

local function text_compare(c)
  local rows, records = {}, {}
  local an, bn = c.a.fleet.name, c.b.fleet.name
  for _, b in ipairs(c.a.bases) do
    local ta, tb, r = c.a.totals[b.id], c.b.totals[b.id], c.ratio[b.id]
    rows[#rows + 1] = { basis = basis_title(b), which = "A", p50 = cell(ta, "p50"), p5 = cell(ta, "p5"),
                        p95 = cell(ta, "p95"), unknown = ta.unknown_rows > 0 and tostring(ta.unknown_rows) or "" }
    rows[#rows + 1] = { basis = "", which = "B", p50 = cell(tb, "p50"), p5 = cell(tb, "p5"), p95 = cell(tb, "p95"),
                        unknown = tb.unknown_rows > 0 and tostring(tb.unknown_rows) or "" }
    rows[#rows + 1] = { basis = "", which = "A / B", p50 = cell(r, "p50"), p5 = cell(r, "p5"), p95 = cell(r, "p95"),
                        unknown = r.partial and "partial" or "" }
    records[#records + 1] = { basis = b.id, use = b.use, a_p5 = ta.p5, a_p50 = ta.p50, a_p95 = ta.p95,
                              b_p5 = tb.p5, b_p50 = tb.p50, b_p95 = tb.p95, ratio_p5 = r.p5, ratio_p50 = r.p50,
                              ratio_p95 = r.p95, ratio_unknown = r.unknown }
  end
  local lines = {
    ("A: %s (%d row%s)\nB: %s (%d row%s)%s\n"):format(an, c.a.fleet.rows, c.a.fleet.rows == 1 and "" or "s",
      bn, c.b.fleet.rows, c.b.fleet.rows == 1 and "" or "s",
      c.a.fleet.as_of and ("\nstock as of " .. c.a.fleet.as_of) or "") ..
    "H100-equivalents; p50 with p5 and p95; A / B is taken draw by draw.\n\n" ..
    report.table({ { key = "basis", title = "basis" }, { key = "which", title = "" },
      { key = "p50", title = "p50", align = "right" }, { key = "p5", title = "p5", align = "right" },
      { key = "p95", title = "p95", align = "right" }, { key = "unknown", title = "unknown", align = "right" } },
      rows):gsub("\n$", ""),
  }
  method(lines, c.a)
  notes(lines, c.a, "A")
  notes(lines, c.b, "B")
  lines[#lines + 1] = ""
  lines[#lines + 1] = wrap(c.method .. ".", "")
  lines[#lines + 1] = wrap(c.disclaimer, "")
  return table.concat(lines, "\n") .. "\n", records
end

local function text_sweep(s)
  local cols = { { key = "rule", title = "rule version" }, { key = "status", title = "status" },
                 { key = "units", title = "chips p50", align = "right" } }
  for _, b in ipairs(s.all.bases) do
    if b.id ~= "units" then cols[#cols + 1] = { key = b.id, title = b.id .. " p50", align = "right" } end
  end
  local rows, records = {}, {}
  local function add(name, status, totals, removed)
    local row = { rule = name, status = status, units = sig(totals.units.p50) }
    local rec = { rule = name, status = status, removed_rows = removed }
    for _, b in ipairs(s.all.bases) do
      row[b.id] = b.id ~= "units" and sig(totals[b.id].p50) or row.units
      rec[b.id .. "_p5"], rec[b.id .. "_p50"], rec[b.id .. "_p95"] = totals[b.id].p5, totals[b.id].p50,
        totals[b.id].p95
    end
    rows[#rows + 1] = row
    records[#records + 1] = rec
  end
  add("(no rule: the whole fleet)", "", s.all.totals, 0)
  for _, v in ipairs(s.versions) do add(v.rule.id, v.rule.status, v.totals, #v.removed) end
  local lines = { ("What each rule version would have allowed of %s (H100e p50):\n\n"):format(s.fleet) ..
    report.table(cols, rows) }
  for _, v in ipairs(s.versions) do
    if #v.removed > 0 or #v.undetermined > 0 then
      local parts = {}
      for _, x in ipairs(v.removed) do parts[#parts + 1] = ("%s (%s)"):format(x.chip, x.row) end
      local und = {}
      for _, x in ipairs(v.undetermined) do und[#und + 1] = ("%s (%s)"):format(x.chip, x.row) end
      lines[#lines + 1] = wrap(("  %s removes %s%s"):format(v.rule.id, #parts > 0 and table.concat(parts, ", ") or
        "nothing", #und > 0 and ("; undetermined: " .. table.concat(und, ", ")) or ""))
    end
  end
  lines[#lines + 1] = wrap("Each version is read on its effective date: a chip it controls needed a licence for " ..
    "China and is removed; 'undetermined' chips are not counted as allowed.", "")
  footer(lines, s.all)
  return table.concat(lines, "\n") .. "\n", records
end

local function text_rtt(line, allowed, cap)
  local lines = { ("Rolling technical threshold (%s, a proposal), as of %s"):format(line.rule, line.as_of), "" }
  lines[#lines + 1] = wrap(("Line from the database alone: TPP %s (%s)."):format(util.fmt(line.database_line.tpp, 1),
    tostring(line.database_line.derivation)), "  ")
  if line.line_tpp then
    lines[#lines + 1] = wrap(("Line from production data: TPP %s = %s."):format(util.fmt(line.line_tpp, 1),
      line.derivation), "  ")
  else
    lines[#lines + 1] = wrap("Line from production data: undetermined; " .. line.derivation, "  ")
  end
  lines[#lines + 1] = ""
  local rows = {}
  for _, c in ipairs(line.chips) do
    rows[#rows + 1] = { chip = c.name, tpp = c.tpp and util.fmt(c.tpp) or "unknown", p50 = sig(c.p50),
                        p5 = sig(c.p5), p95 = sig(c.p95), q = c.qualifies and "yes" or "no" }
  end
  lines[#lines + 1] = ("Chinese chips produced from %s to %s (units):"):format(line.window.from, line.as_of)
  lines[#lines + 1] = report.table({ { key = "chip", title = "chip" }, { key = "tpp", title = "TPP", align = "right" },
    { key = "p50", title = "p50", align = "right" }, { key = "p5", title = "p5", align = "right" },
    { key = "p95", title = "p95", align = "right" }, { key = "q", title = "at scale" } }, rows)
  if allowed then
    local names = {}
    for _, a in ipairs(allowed) do names[#names + 1] = ("%s (%s)"):format(a.chip, util.fmt(a.tpp or 0)) end
    lines[#lines + 1] = wrap("Non-Chinese data-centre chips at or under the production-based line: " ..
      (#names > 0 and table.concat(names, ", ") or "none"), "  ")
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = ("Cap on China's aggregate compute: %s%% of the US's (%s basis)"):format(util.num(cap.cap_share * 100),
    cap.basis)
  lines[#lines + 1] = ("  China: %s: p50 %s (p5 %s, p95 %s) H100e"):format(cap.china.name, cell(cap.china.total, "p50"),
    cell(cap.china.total, "p5"), cell(cap.china.total, "p95"))
  lines[#lines + 1] = ("  US:    %s: p50 %s (p5 %s, p95 %s) H100e"):format(cap.us.name, cell(cap.us.total, "p50"),
    cell(cap.us.total, "p5"), cell(cap.us.total, "p95"))
  lines[#lines + 1] = wrap(("  Verdict: %s. %s"):format(cap.verdict, cap.reason or ""), "    ")
  lines[#lines + 1] = ""
  lines[#lines + 1] = "Assumptions:"
  for _, a in ipairs(line.assumptions) do lines[#lines + 1] = wrap("  - " .. a) end
  for _, a in ipairs(cap.assumptions) do lines[#lines + 1] = wrap("  - " .. a) end
  lines[#lines + 1] = "Sources:"
  for _, side in ipairs({ "china", "us" }) do
    for _, s in ipairs(cap.sources[side]) do
      lines[#lines + 1] = wrap(("  %s [%s]: %s%s"):format(s.row, s.provenance, s.source, s.note and (". " .. s.note) or ""))
    end
  end
  lines[#lines + 1] = wrap("  Production rows: see 'tpp fleet " .. (line.production or "china-production") ..
    " --rows'.")
  lines[#lines + 1] = ""
  lines[#lines + 1] = wrap(fleet.DISCLAIMER .. " The rolling technical threshold is a proposal in a letter, not law.", "")
  return table.concat(lines, "\n") .. "\n"
end

local function text_scenarios(list)
  local rows = {}
  for _, s in ipairs(list) do
    rows[#rows + 1] = { id = s.id, rows = s.rows, title = s.title,
                        includes = s.includes and table.concat(s.includes, ", ") or "" }
  end
  return report.table({ { key = "id", title = "scenario" }, { key = "rows", title = "rows", align = "right" },
    { key = "title", title = "what" } }, rows) ..
    "\nCombine them (tpp fleet A B), change a row (--set ID.FIELD=VALUE), drop one (--drop ID);\n" ..
    "'tpp fleet NAME --rows' shows a scenario's rows and sources.\n"
end

local function text_rows(f)
  local rows, records = {}, {}
  for _, r in ipairs(f:rows()) do
    local u = r.units
    rows[#rows + 1] = { id = r.id, chip = r.chip_label, units = u.low == u.high and util.fmt(u.central) or
      ("%s/%s/%s"):format(sig(u.low), sig(u.central), sig(u.high)), period = r.period.text, kind = r.kind,
      prov = r.provenance }
    records[#records + 1] = require("tpp.fleet.row").fields(r)
    records[#records].scenario = r.scenario
  end
  local lines = { report.table({ { key = "id", title = "row" }, { key = "chip", title = "chip", max = 30 },
    { key = "units", title = "units", align = "right" }, { key = "period", title = "period" },
    { key = "kind", title = "kind" }, { key = "prov", title = "provenance" } }, rows), "Sources:" }
  for _, r in ipairs(f:rows()) do
    lines[#lines + 1] = wrap(("  %s: %s%s"):format(r.id, r.source, r.note and (". " .. r.note) or ""))
  end
  return table.concat(lines, "\n") .. "\n", records
end

-- ---- run ------------------------------------------------------------------------------

local run

function M.run(args)
  local ok, data, text, code = pcall(run, args)
  if not ok then
    -- the domain's "tpp.fleet: ..." reads "tpp fleet: ..." here; error objects keep their kind
    if type(data) == "string" then
      data = data:gsub("^tpp%.fleet[%.%w_]*: ", "tpp fleet: ")
    elseif type(data) == "table" and type(data.message) == "string" then
      data.message = data.message:gsub("^tpp%.fleet[%.%w_]*: ", "tpp fleet: ")
    end
    error(data, 0)
  end
  return data, text, code
end

function run(args)
  if args.by then
    local ok = false
    for _, g in ipairs(fleet.GROUP_BY) do if g == args.by then ok = true end end
    if not ok then
      local hint = util.did_you_mean(args.by, fleet.GROUP_BY)
      usage(("--by: '%s' is not a grouping%s; groupings: %s"):format(args.by, hint and ("; did you mean '" ..
        hint .. "'?") or "", table.concat(fleet.GROUP_BY, ", ")))
    end
  end
  if args.scenarios then
    local list = fleet.scenarios.list()
    return { scenarios = list, records = list }, text_scenarios(list)
  end
  local opts = estimate_opts(args)
  if args.rtt then
    local line = require("tpp.fleet.rtt").line({ as_of = args["as-of"], volume = parse_number(args, "rtt-volume"),
      production = args.production and build(args.production, {}, false) or nil, draws = opts.draws, seed = opts.seed })
    line.production = args.production and table.concat(args.production, " ") or nil
    local allowed = line.line_tpp and require("tpp.fleet.rtt").allowed_chips(line.line_tpp, line.as_of) or nil
    local cn = (#args > 0 or args.add) and build(args, args, true) or nil
    local us = args.vs and build(args.vs, {}, false) or nil
    local basis = opts.bases and opts.bases[1] or nil
    if opts.bases and #opts.bases > 1 then usage("--rtt checks the cap on one basis: give --basis B") end
    local cap = require("tpp.fleet.rtt").cap({ china = cn, us = us, basis = basis, draws = opts.draws,
      seed = opts.seed, workload = opts.workload })
    local data = { line = line, allowed = allowed, cap = cap, records = json.array({}) }
    local code = cap.verdict:match("^over") and 2 or 0
    return data, text_rtt(line, allowed, cap), code
  end
  if #args == 0 and not args.add then
    usage("give a FLEET (a scenario or a file) or --add CHIP=COUNT; 'tpp fleet --scenarios' lists the scenarios")
  end
  local f = at(build(args, args, true), args)
  if args.rows then
    local text, records = text_rows(f)
    return { fleet = f.name, rows = f:rows(), records = records }, text
  end
  if args.vs then
    if args.rules then usage("--vs and --rules do not combine; run them one at a time") end
    local b = at(build(args.vs, args, false), args)
    local c = fleet.compare(f, b, opts)
    local text, records = text_compare(c)
    c.records = records
    return c, text
  end
  if args.rules then
    if args.rules == "all" then
      local sw = fleet.rules_sweep(f, opts)
      local text, records = text_sweep(sw)
      sw.records = records
      return sw, text
    end
    local g = f:allowed_under(args.rules)
    local e = g:estimate(opts)
    local text, records = text_estimate(e)
    e.records = records
    return e, ("Allowed under %s (%s, read on %s):\n"):format(g.rule.id, g.rule.status, g.rule.read_on) .. text
  end
  local e = f:estimate(opts)
  local text, records = text_estimate(e)
  e.records = records
  return e, text
end

return M
