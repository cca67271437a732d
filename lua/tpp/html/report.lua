--- tpp.html.report: one self-contained HTML page about chips (or a transaction).
--
--   local report = require "tpp.html.report"
--   local page = report.build { chips = { "H20" }, as_of = "2026-03-01" }
--   io.open("h20.html", "wb"):write(page)
--
-- The page needs no network: styles are inline, charts are inline SVG, and a
-- Content-Security-Policy forbids every outside load (a browser reports any
-- attempt as a console error, which the specs look for). Same inputs, same
-- bytes: the date is the rule date (`as_of`), never the wall clock.
local tpp = require "tpp"
local rules = require "tpp.rules"
local chart = require "tpp.chart"
local html = require "tpp.html"
local style = require "tpp.html.style"
local charts = require "tpp.html.figures"
local screen = require "tpp.screen"
local serve = require "tpp.serve"
local util = require "tpp.util"
local chip_sources = require "tpp.chips.sources"

local h = html.el
local M = {}

-- Destinations screened when none are given: the market the rules are about, a Gulf state
-- under the 2025-2026 deals, a South-East Asian transit hub, a large Tier-2 market, an ally.
M.DEFAULT_DESTINATIONS = { "China", "United Arab Emirates", "Malaysia", "India", "Germany" }
-- The serving workloads compared with the H100 (tpp.serve presets).
M.WORKLOADS = {
  { key = "decode", label = "serving: output tokens/s per chip", model = "llama-3.1-70b", chips = 8,
    scenario = "offline", field = "per_chip_output_tokens_per_s" },
  { key = "prefill", label = "serving: prompt tokens/s per chip", model = "llama-3.1-70b", chips = 8,
    scenario = "offline", field = "per_chip_prefill_tokens_per_s" },
  { key = "latency", label = "one user: output tokens/s", model = "llama-3.1-8b", chips = 1,
    scenario = "latency", field = "user_tokens_per_s" },
}

local CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'"

local function fmt(v, decimals)
  if v == nil then return "unknown" end
  return util.fmt(v, decimals or 0)
end

local function tag(prov)
  if not prov then return nil end
  return h("span", { class = "tag tag-" .. prov, title = "provenance: " .. prov }, prov)
end

-- ------------------------------------------------------------ gathering ----

--- The 3A090 versions in date order (not proposals), with the dates each applied.
local function enforced_versions()
  local out = {}
  for _, v in ipairs(rules.list()) do
    if v.track == "3A090" and v.status ~= "proposal" then out[#out + 1] = v end
  end
  return out
end

local function proposals()
  local out = {}
  for _, v in ipairs(rules.list()) do
    if v.status == "proposal" then out[#out + 1] = v end
  end
  return out
end

local function classify_under(chip, v, as_of)
  local ok, r = pcall(rules.classify, chip, { rules = v.id, as_of = as_of })
  if not ok then return { status = "error", error = tostring(r) } end
  return r
end

local STATUS_LABEL = { controlled = "controlled", ["not-controlled"] = "not controlled",
  undetermined = "undetermined" }

--- The lanes of the history chart: the 3A090 version in force (enforced view) in each period,
-- the company letters and notices, and 3A991.p.
function M.history_lanes(chip, as_of)
  local bounds, set = {}, {}
  local first
  for _, v in ipairs(rules.list()) do
    if v.track == "3A090" and v.dates then
      for _, k in ipairs({ "effective", "superseded", "not_enforced" }) do
        local d = v.dates[k]
        if d and d <= as_of and not set[d] then set[d] = true; bounds[#bounds + 1] = d end
      end
      if v.dates.effective and (not first or v.dates.effective < first) then first = v.dates.effective end
    end
  end
  table.sort(bounds)
  local main = { title = "ECCN 3A090", periods = {} }
  for i, d in ipairs(bounds) do
    local r = rules.classify(chip, { as_of = d })
    local p = main.periods[#main.periods]
    local label = ("%s: %s"):format(r.rules, STATUS_LABEL[r.status] or r.status)
    if p and p.label == label then
      p.to = bounds[i + 1]
    else
      main.periods[#main.periods + 1] = { from = d, to = bounds[i + 1], class = r.status, label = label,
        short = (STATUS_LABEL[r.status] or r.status) .. (r.eccn and (" " .. r.eccn) or "") }
    end
  end
  local letters = { title = "letters and notices", periods = {} }
  local at = { title = "ECCN 3A991.p", periods = {} }
  for _, v in ipairs(rules.list()) do
    local from = v.dates and v.dates.effective
    if from and from <= as_of and (v.track == "letter" or v.track == "3A991") then
      local r = rules.classify(chip, { rules = v.id, as_of = from })
      local meets = r.status == "controlled"
      local p = { from = from, to = v.dates.superseded }
      if v.track == "letter" then
        p.class = meets and "licence-required" or (r.status == "undetermined" and "undetermined" or "does-not-apply")
        p.label = ("%s: %s"):format(v.id, meets and "meets its criteria" or
          (r.status == "undetermined" and "undetermined" or "outside its criteria"))
        p.short = meets and ("licence (" .. v.id .. ")") or v.id
        letters.periods[#letters.periods + 1] = p
      else
        p.class = meets and "at-only" or (r.status == "undetermined" and "undetermined" or "does-not-apply")
        p.label = ("%s: %s"):format(v.id, meets and "3A991.p (licence only for embargoed destinations)" or
          STATUS_LABEL[r.status] or r.status)
        p.short = meets and "3A991.p" or "not 3A991.p"
        at.periods[#at.periods + 1] = p
      end
    end
  end
  return { main, letters, at }, first
end

--- The screening of the chip to each destination (tpp.screen: the same path as `tpp screen`).
function M.screening(chip, opts)
  local q = { chip = chip, to = opts.destinations, as_of = opts.as_of, end_user = opts.end_user,
              end_use = opts.end_use, hq = opts.hq, origin = opts.origin }
  return screen.screen(q)
end

--- Serving figures of the chip and of the H100 on the report's workloads.
function M.inference(chip)
  local out = {}
  for _, w in ipairs(M.WORKLOADS) do
    local function eval(c)
      local ok, r = pcall(serve.evaluate, { chip = c, model = w.model, chips = w.chips, scenario = w.scenario })
      if not ok then return { status = "error", reason = tostring(r) } end
      return r
    end
    local a, b = eval(chip), eval("H100")
    local row = { key = w.key, label = w.label, model = w.model, chips = w.chips, scenario = w.scenario,
      status = a.status, reason = a.reason }
    if a.status == "ok" and b.status == "ok" then
      row.chip = a[w.field]; row.chip_low = a[w.field .. "_low"]; row.chip_high = a[w.field .. "_high"]
      row.h100 = b[w.field]
      row.ratio = row.chip / row.h100
      row.ratio_low, row.ratio_high = row.chip_low and row.chip_low / row.h100, row.chip_high and
        row.chip_high / row.h100
      row.efficiency = a.efficiency
      row.precision = a.precision
    end
    out[#out + 1] = row
  end
  return out
end

--- Everything the page shows about one chip, as plain data (also the --json output).
function M.chip_facts(chip, as_of)
  local c = tpp.chip(chip)
  local d, m = c.data, c:metrics()
  local prov = d.provenance or {}
  local figures = {}
  for _, p in ipairs(tpp.PRECISIONS) do
    local v = d.dense and d.dense[p]
    if v then
      figures[#figures + 1] = { field = "dense " .. p, value = v,
        unit = (p:find("int") and "TOPS" or "TFLOPS"), provenance = prov["dense." .. p], key = "dense." .. p }
    end
  end
  local function add(field, v, unit, key)
    if v ~= nil then figures[#figures + 1] = { field = field, value = v, unit = unit, provenance = prov[key],
      key = key } end
  end
  add("memory capacity", d.memory and d.memory.capacity_gb, "GB", "memory.capacity_gb")
  add("memory bandwidth", d.memory and d.memory.bandwidth_gbs, "GB/s", "memory.bandwidth_gbs")
  add("logic die area", d.die_area_mm2, "mm²", "die_area_mm2")
  add("interconnect", d.interconnect_gbs, "GB/s", "interconnect_gbs")
  add("TDP", d.tdp_w, "W", "tdp_w")
  add("transistors", d.transistors_b, "billion", "transistors_b")

  -- each figure's source, numbered in the order the figures cite them
  local cite, cited, by_key = d.cite or {}, {}, {}
  for _, fig in ipairs(figures) do
    local k = cite[fig.key]
    if k and not by_key[k] then
      local rec = chip_sources.get(k)
      cited[#cited + 1] = rec and chip_sources.line(rec) or k
      by_key[k] = #cited
    end
    fig.source = k and by_key[k]
  end
  local in_force = rules.classify(c, { as_of = as_of })
  local history = {}
  for _, v in ipairs(enforced_versions()) do
    local r = classify_under(c, v, as_of)
    history[#history + 1] = { id = v.id, title = v.title, citation = v.citation, status = v.status,
      from = v.dates and (v.dates.effective or v.dates.informed), to = v.dates and v.dates.superseded,
      not_enforced = v.dates and v.dates.not_enforced,
      result = r.status, eccn = r.eccn, governing = r.governing, hash = v.hash }
  end
  local would = {}
  for _, v in ipairs(proposals()) do
    local r = classify_under(c, v, as_of)
    would[#would + 1] = { id = v.id, title = v.title, citation = v.citation, result = r.status, eccn = r.eccn }
  end
  return {
    id = d.id, name = d.name, vendor = d.vendor, form = d.form, process = d.process, year = d.year,
    datacenter = d.datacenter, datacenter_basis = d.datacenter_basis,
    figures = figures,
    metrics = { tpp = m.tpp, tpp_precision = m.tpp_precision, pd = m.pd, area_mm2 = m.area_mm2, mbd = m.mbd,
      h100e = m.h100e, provenance = m.provenance, unknown = m.unknown },
    assumptions = m.assumptions,
    uncertain = d.uncertain, sources = #cited > 0 and cited or d.sources, notes = d.notes,
    classification = { as_of = in_force.as_of, rules = in_force.rules, status = in_force.status,
      eccn = in_force.eccn, governing = in_force.governing, explanation = in_force.explanation,
      near_line = in_force.near_line, missing = in_force.missing, rules_hash = in_force.rules_hash },
    history = history, proposals = would,
  }
end

--- chip_facts plus what depends on the transaction: screening and inference.
local function gather(chip, opts)
  local f = M.chip_facts(chip, opts.as_of)
  local lanes, first = M.history_lanes(chip, opts.as_of)
  f.history_lanes, f.history_start = lanes, first
  f.screening = M.screening(chip, opts).results
  f.inference = M.inference(chip)
  return f
end

-- ------------------------------------------------------------ rendering ----

local STATUS_WORD = {
  controlled = "controlled", ["not-controlled"] = "not controlled", undetermined = "undetermined",
  error = "error",
}

local function status_badge(status, eccn)
  local word = STATUS_WORD[status] or tostring(status)
  return h("span", { class = "badge st-" .. tostring(status) }, eccn and (word .. " · " .. eccn) or word)
end

local function figures_section(f)
  local rows = {}
  for _, x in ipairs(f.figures) do rows[#rows + 1] = x end
  return h("section", { id = "figures-" .. f.id }, {
    h("h3", nil, "Datasheet figures"),
    html.table({
      { key = "field", title = "figure" },
      { key = "value", title = "value", align = "right", fmt = function(v, r)
          return h("span", { class = "val" }, util.num(v) .. " " .. r.unit) end },
      { key = "provenance", title = "provenance", fmt = function(v) return tag(v) or "–" end },
      { key = "source", title = "source", fmt = function(v)
          return v and h("a", { href = "#src-" .. f.id .. "-" .. v }, "[" .. v .. "]") or "–" end },
    }, rows, { class = "figures" }),
    h("p", { class = "small" }, "Throughput figures are dense (never with sparsity). Provenance: vendor = the " ..
      "vendor's datasheet or whitepaper; reported = press or a third party; derived = computed by tpp from " ..
      "other figures."),
  })
end

local function metrics_section(f)
  local m = f.metrics
  local rows = {
    { "Total processing performance (TPP)", m.tpp and (fmt(m.tpp, 0) .. " (set by " ..
      tostring(m.tpp_precision) .. ")") or ("unknown: " .. tostring(m.unknown and m.unknown.tpp)),
      m.provenance and m.provenance.tpp },
    { "Applicable die area", m.area_mm2 and (fmt(m.area_mm2, 0) .. " mm²") or "unknown", nil },
    { "Performance density (TPP per mm²)", m.pd and util.fmt(m.pd, 2) or
      ("unknown: " .. tostring(m.unknown and m.unknown.pd)), m.provenance and m.provenance.pd },
  }
  for _, b in ipairs({ "tpp", "8bit", "fp16" }) do
    local v = m.h100e and m.h100e[b]
    rows[#rows + 1] = { "H100-equivalents (" .. tpp.H100E_BASES[b].label .. ")",
      v and ("%.3f"):format(v) or "unknown", nil }
  end
  local trs = {}
  for _, r in ipairs(rows) do
    trs[#trs + 1] = h("tr", nil, { h("th", { scope = "row" }, r[1]),
      h("td", { class = "num" }, h("span", { class = "val" }, r[2])), h("td", nil, tag(r[3]) or "") })
  end
  return h("section", { id = "metrics-" .. f.id }, {
    h("h3", nil, "Regulatory metrics"),
    h("div", { class = "table-wrap" }, h("table", { class = "metrics" }, h("tbody", nil, trs))),
  })
end

local function history_section(f)
  local rows = {}
  for _, x in ipairs(f.history) do
    rows[#rows + 1] = { version = x.id, from = x.from or "–",
      to = x.not_enforced and ("not enforced from " .. x.not_enforced) or (x.to or "–"),
      result = x.result, eccn = x.eccn, governing = x.governing, citation = x.citation }
  end
  local pr = {}
  for _, x in ipairs(f.proposals) do
    pr[#pr + 1] = h("li", nil, { h("strong", nil, x.id), " (", x.citation, "): ",
      x.result == "controlled" and ("would be controlled if enacted" .. (x.eccn and (" (" .. x.eccn .. ")") or ""))
        or (x.result == "not-controlled" and "would not be controlled" or tostring(x.result)) })
  end
  return h("section", { id = "history-" .. f.id }, {
    h("h3", nil, "Under every US rule version"),
    html.table({
      { key = "version", title = "version" },
      { key = "from", title = "in force from" },
      { key = "to", title = "until" },
      { key = "result", title = "answer", fmt = function(v, r) return status_badge(v, r.eccn) end },
      { key = "citation", title = "source" },
    }, rows, { class = "history" }),
    #pr > 0 and h("h4", nil, "Proposals (not law)") or nil,
    #pr > 0 and h("ul", { class = "small" }, pr) or nil,
  })
end

local function map_section(f, as_of, rules_id)
  local ok, svg_text = pcall(chart.map, { highlight = { f.id }, as_of = as_of, rules = rules_id })
  if not ok then return h("p", { class = "warn" }, "The threshold map could not be drawn: " .. tostring(svg_text)) end
  svg_text = svg_text:gsub("^<%?xml[^>]*>%s*", "")
  return h("section", { id = "map-" .. f.id }, {
    h("h3", nil, "Where it sits on the threshold map"),
    h("figure", { class = "chart" }, { html.raw(svg_text),
      h("figcaption", nil, "TPP (horizontal) against performance density (vertical), with the regions of " ..
        "ECCN 3A090 under " .. tostring(rules_id) .. "; the star marks " .. f.name .. ".") }),
  })
end

local function sources_section(f)
  local items = {}
  for i, s in ipairs(f.sources or {}) do items[#items + 1] = h("li", { id = "src-" .. f.id .. "-" .. i }, s) end
  local unc = {}
  for _, s in ipairs(f.uncertain or {}) do unc[#unc + 1] = h("li", nil, s) end
  local asm = {}
  for _, s in ipairs(f.assumptions or {}) do asm[#asm + 1] = h("li", nil, tostring(s)) end
  return h("section", { id = "sources-" .. f.id }, {
    h("h3", nil, "Sources and assumptions"),
    #items > 0 and h("ol", { class = "sources" }, items) or h("p", nil, "No sources recorded."),
    #unc > 0 and h("h4", nil, "Uncertain figures") or nil,
    #unc > 0 and h("ul", nil, unc) or nil,
    #asm > 0 and h("h4", nil, "Assumptions") or nil,
    #asm > 0 and h("ul", nil, asm) or nil,
  })
end

local DECISION_WORD = { prohibited = "prohibited", ["licence-required"] = "licence required",
  ["no-licence-required"] = "no licence required", undetermined = "undetermined" }

local function decision_badge(d)
  return h("span", { class = "badge d-" .. tostring(d) }, DECISION_WORD[d] or tostring(d))
end

local function glance_section(f)
  local rows = {}
  for _, r in ipairs(f.screening) do
    -- the regimes whose own outcome is the decision (none for "no licence required")
    local deciding = {}
    for _, g in ipairs(r.regimes or {}) do
      if r.decision ~= "no-licence-required" and g.decides and g.outcome == r.decision then
        deciding[#deciding + 1] = g.id
      end
    end
    rows[#rows + 1] = { dest = r.destination and r.destination.name or "?", decision = r.decision,
      policy = r.review_policy, by = table.concat(deciding, ", "),
      missing = #(r.not_screened or {}) }
  end
  return h("section", { id = "glance-" .. f.id, class = "glance" }, {
    h("h3", nil, "May it ship? (on " .. f.classification.as_of .. ")"),
    html.table({
      { key = "dest", title = "destination" },
      { key = "decision", title = "decision", fmt = function(v) return decision_badge(v) end },
      { key = "policy", title = "review policy" },
      { key = "by", title = "decided by" },
      { key = "missing", title = "not screened", align = "right", fmt = function(v)
          return v > 0 and (v .. (v == 1 and " input" or " inputs")) or "–" end },
    }, rows, { class = "stack decisions" }),
    h("p", { class = "small" }, "The decision is the strictest enforced outcome of every regime consulted " ..
      "(the same path as `tpp screen`). \"Not screened\" lists what tpp could not check because an input " ..
      "was not given (the end user, the end use, the buyer's headquarters): a \"no licence required\" " ..
      "speaks for the item only, never for an unscreened party. Details below."),
  })
end

local function screening_section(f)
  local items = {}
  for _, r in ipairs(f.screening) do
    local regs = {}
    for _, g in ipairs(r.regimes or {}) do
      regs[#regs + 1] = { n = #regs + 1, outcome = g.outcome, id = g.id, status = g.status,
        why = g.why, source = g.source, provenance = g.provenance, decides = g.decides }
    end
    local ns = {}
    for _, x in ipairs(r.not_screened or {}) do ns[#ns + 1] = h("li", nil, { h("strong", nil, x.input), ": ",
      x.what or "", x.why and (" (" .. x.why .. ")") or "" }) end
    local prc = {}
    for _, x in ipairs(r.prc or {}) do prc[#prc + 1] = h("li", nil, { h("strong", nil, x.measure or x.id),
      " (", x.status or "?", ", ", x.provenance or "?", "): ", x.status_note or x.legal_basis or "",
      x.citation and (" — " .. x.citation) or "" }) end
    local cf = {}
    for _, x in ipairs(r.conflicts or {}) do cf[#cf + 1] = h("li", nil, { h("strong", nil, x.id or "?"), ": ",
      x.text or "", x.source and (" (" .. x.source .. ")") or "" }) end
    items[#items + 1] = h("details", { class = "screen" }, {
      h("summary", nil, { (r.destination and r.destination.name or "?") .. ": ", decision_badge(r.decision),
        r.review_policy and (" review policy: " .. r.review_policy) or "" }),
      html.table({
        { key = "n", title = "#", align = "right" },
        { key = "outcome", title = "outcome" },
        { key = "id", title = "regime", fmt = function(v, row)
            return row.decides and h("strong", nil, v .. " (decides)") or v end },
        { key = "status", title = "status on the date" },
        { key = "why", title = "why" },
        { key = "source", title = "source", fmt = function(v, row)
            return { v or "–", " ", tag(row.provenance) } end },
      }, regs, { class = "stack regimes" }),
      #ns > 0 and h("h4", nil, "Not screened (inputs not given)") or nil,
      #ns > 0 and h("ul", nil, ns) or nil,
      #prc > 0 and h("h4", nil, "PRC measures on the date") or nil,
      #prc > 0 and h("ul", nil, prc) or nil,
      #cf > 0 and h("h4", nil, "Conflicts of laws") or nil,
      #cf > 0 and h("ul", nil, cf) or nil,
    })
  end
  return h("section", { id = "screening-" .. f.id }, {
    h("h3", nil, "Screening by destination, regime by regime"),
    h("div", nil, items),
  })
end

local function inference_section(f)
  local m = f.metrics
  local h100 = tpp.chip("H100")
  local hm = h100:metrics()
  local rows = {
    { label = "training compute: TPP", value = m.tpp and hm.tpp and m.tpp / hm.tpp, class = "bar-train" },
    { label = "dense FP16 throughput", value = m.h100e and m.h100e.fp16, class = "bar-train" },
  }
  local bw = f.figures
  local mem
  for _, x in ipairs(bw) do if x.field == "memory bandwidth" then mem = x.value end end
  local hbw = h100.data.memory and h100.data.memory.bandwidth_gbs
  rows[#rows + 1] = { label = "memory bandwidth", value = mem and hbw and mem / hbw, class = "bar-mem" }
  local table_rows = {}
  for _, w in ipairs(f.inference) do
    rows[#rows + 1] = { label = w.label, value = w.ratio, low = w.ratio_low, high = w.ratio_high,
      class = "bar-serve" }
    table_rows[#table_rows + 1] = { workload = ("%s, %d chip%s, %s"):format(w.model, w.chips,
      w.chips == 1 and "" or "s", w.scenario), what = w.label, chip = w.chip, h100 = w.h100,
      ratio = w.ratio, low = w.ratio_low, high = w.ratio_high, status = w.status, reason = w.reason }
  end
  local function n(v) return v and util.fmt(v, v < 10 and 2 or 0) or "–" end
  return h("section", { id = "inference-" .. f.id }, {
    h("h3", nil, "Training against inference: ratio to the H100"),
    h("figure", { class = "chart" }, { html.raw(charts.ratios(rows, f.name .. " / H100")),
      h("figcaption", nil, "Grey: what the export rules measure (arithmetic throughput). Blue: memory " ..
        "bandwidth, which bounds decoding. Green: serving speed from tpp's calibrated serving model " ..
        "(whiskers: the range of the chip's fitted efficiency, with the H100 at its central value).") }),
    html.table({
      { key = "workload", title = "workload" },
      { key = "what", title = "figure" },
      { key = "chip", title = f.name, align = "right", fmt = function(v, r)
          return v and n(v) or (r.status .. (r.reason and (": " .. r.reason) or "")) end },
      { key = "h100", title = "H100", align = "right", fmt = function(v) return n(v) end },
      { key = "ratio", title = "ratio", align = "right", fmt = function(v, r)
          return v and (("%.2f (%.2f–%.2f)"):format(v, r.low or v, r.high or v)) or "–" end },
    }, table_rows, { class = "stack serving" }),
    h("p", { class = "small" }, "Serving figures are predictions of a roofline model calibrated on published " ..
      "measurements (MLPerf Inference, vendor and framework reports); `tpp infer --validate` lists them " ..
      "with their errors. Each chip uses its own best 8-bit format where it has one."),
  })
end

local function history_figure(f, as_of)
  return h("figure", { class = "chart" }, { html.raw(charts.history(f.history_lanes, f.history_start, as_of)),
    h("figcaption", nil, "The answer for this chip in each period: the ECCN 3A090 version in force " ..
      "(enforced policy), the company-specific letters and notices, and ECCN 3A991.p. Red: a licence is " ..
      "required to the controlled destinations; green: not controlled; grey: outside a letter's criteria; " ..
      "orange: 3A991.p (a licence only for embargoed destinations); yellow: undetermined.") })
end

local function chip_article(f, opts)
  local c = f.classification
  return h("article", { class = "chip", id = "chip-" .. f.id }, {
    h("h2", nil, f.name),
    h("p", { class = "lede" }, { status_badge(c.status, c.eccn), " ",
      ("under %s, the version in force on %s"):format(c.rules, c.as_of) }),
    h("p", { class = "explain" }, c.explanation),
    glance_section(f),
    metrics_section(f),
    map_section(f, opts.as_of, c.rules),
    h("section", { id = "history-fig-" .. f.id }, { h("h3", nil, "Its classification over time"),
      history_figure(f, opts.as_of) }),
    history_section(f),
    screening_section(f),
    inference_section(f),
    figures_section(f),
    sources_section(f),
  })
end

--- Build the page. opts: chips (names/ids/tables), as_of (YYYY-MM-DD), destinations (list),
-- end_user, end_use, hq, origin (the transaction; see tpp.screen).
-- Returns the HTML text and the gathered data.
function M.build(opts)
  opts = opts or {}
  local o = {
    as_of = opts.as_of or os.date("!%Y-%m-%d"),
    destinations = opts.destinations or M.DEFAULT_DESTINATIONS,
    end_user = opts.end_user, end_use = opts.end_use, hq = opts.hq, origin = opts.origin,
  }
  local facts = {}
  for _, c in ipairs(opts.chips or {}) do facts[#facts + 1] = gather(c, o) end
  if #facts == 0 then error("tpp report: no chip given", 2) end
  local names = {}
  for _, f in ipairs(facts) do names[#names + 1] = f.name end
  local versions = {}
  for _, v in ipairs(rules.list()) do
    versions[#versions + 1] = h("tr", nil, { h("td", nil, v.id), h("td", nil, v.status),
      h("td", { class = "hash" }, v.hash) })
  end
  local party = {}
  if o.end_user then party[#party + 1] = "end user " .. o.end_user end
  if o.end_use then party[#party + 1] = "end use " .. o.end_use end
  if o.hq then party[#party + 1] = "buyer headquartered in " .. o.hq end
  local body = {
    h("header", nil, {
      h("p", { class = "kicker" }, "tpp report · rule date " .. o.as_of),
      h("h1", nil, table.concat(names, ", ")),
      h("p", nil, "Destinations: " .. table.concat(o.destinations, ", ") ..
        (#party > 0 and ("; " .. table.concat(party, ", ")) or "; no end user, end use or headquarters given")),
      h("p", { class = "disclaimer", role = "note" }, tpp.DISCLAIMER),
    }),
  }
  for _, f in ipairs(facts) do body[#body + 1] = chip_article(f, o) end
  body[#body + 1] = h("footer", nil, {
    h("p", nil, ("Made by tpp %s. Every figure carries its provenance; every answer names its rule version " ..
      "and the SHA-256 of the rule file it came from. The sources of the rules and of the serving model are " ..
      "described in tpp's documentation (docs/screening.md, docs/chips.md, docs/serving-model.md)."):format(
      tpp._VERSION)),
    h("details", nil, { h("summary", nil, "Rule files"),
      h("div", { class = "table-wrap" }, h("table", { class = "hashes" }, h("tbody", nil, versions))) }),
    h("p", { class = "disclaimer" }, tpp.DISCLAIMER),
  })
  local page = html.page {
    title = "tpp report: " .. table.concat(names, ", "),
    description = "Export-control metrics, classification and screening of " .. table.concat(names, ", "),
    generator = "tpp " .. tpp._VERSION,
    css = style.CSS,
    csp = CSP,
    body = { h("main", nil, body) },
  }
  return page, { as_of = o.as_of, destinations = o.destinations, end_user = o.end_user, end_use = o.end_use,
    hq = o.hq, chips = facts, tpp_version = tpp._VERSION, disclaimer = tpp.DISCLAIMER }
end

return M
