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
local util = require "tpp.util"

local h = html.el
local M = {}

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
        unit = (p:find("int") and "TOPS" or "TFLOPS"), provenance = prov["dense." .. p] }
    end
  end
  local function add(field, v, unit, key)
    if v ~= nil then figures[#figures + 1] = { field = field, value = v, unit = unit, provenance = prov[key] } end
  end
  add("memory capacity", d.memory and d.memory.capacity_gb, "GB", "memory.capacity_gb")
  add("memory bandwidth", d.memory and d.memory.bandwidth_gbs, "GB/s", "memory.bandwidth_gbs")
  add("logic die area", d.die_area_mm2, "mm²", "die_area_mm2")
  add("interconnect", d.interconnect_gbs, "GB/s", "interconnect_gbs")
  add("TDP", d.tdp_w, "W", "tdp_w")
  add("transistors", d.transistors_b, "billion", "transistors_b")

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
    uncertain = d.uncertain, sources = d.sources, notes = d.notes,
    classification = { as_of = in_force.as_of, rules = in_force.rules, status = in_force.status,
      eccn = in_force.eccn, governing = in_force.governing, explanation = in_force.explanation,
      near_line = in_force.near_line, missing = in_force.missing, rules_hash = in_force.rules_hash },
    history = history, proposals = would,
  }
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
  for _, s in ipairs(f.sources or {}) do items[#items + 1] = h("li", nil, s) end
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

local function chip_article(f, as_of)
  local c = f.classification
  return h("article", { class = "chip", id = "chip-" .. f.id }, {
    h("h2", nil, f.name),
    h("p", { class = "lede" }, { status_badge(c.status, c.eccn), " ",
      ("under %s, the version in force on %s"):format(c.rules, c.as_of) }),
    h("p", { class = "explain" }, c.explanation),
    metrics_section(f),
    map_section(f, as_of, c.rules),
    history_section(f),
    figures_section(f),
    sources_section(f),
  })
end

--- Build the page. opts: chips (names/ids/tables), as_of (YYYY-MM-DD).
-- Returns the HTML text and the gathered data.
function M.build(opts)
  opts = opts or {}
  local as_of = opts.as_of or os.date("!%Y-%m-%d")
  local facts = {}
  for _, c in ipairs(opts.chips or {}) do facts[#facts + 1] = M.chip_facts(c, as_of) end
  if #facts == 0 then error("tpp report: no chip given", 2) end
  local names = {}
  for _, f in ipairs(facts) do names[#names + 1] = f.name end
  local versions = {}
  for _, v in ipairs(rules.list()) do
    versions[#versions + 1] = h("tr", nil, { h("td", nil, v.id), h("td", nil, v.status),
      h("td", { class = "hash" }, v.hash) })
  end
  local body = {
    h("header", nil, {
      h("p", { class = "kicker" }, "tpp report · rule date " .. as_of),
      h("h1", nil, table.concat(names, ", ")),
      h("p", { class = "disclaimer", role = "note" }, tpp.DISCLAIMER),
    }),
  }
  for _, f in ipairs(facts) do body[#body + 1] = chip_article(f, as_of) end
  body[#body + 1] = h("footer", nil, {
    h("p", nil, ("Made by tpp %s. Every figure carries its provenance; every answer names its rule version " ..
      "and the SHA-256 of the rule file it came from."):format(tpp._VERSION)),
    h("details", nil, { h("summary", nil, "Rule files"),
      h("div", { class = "table-wrap" }, h("table", { class = "hashes" }, h("tbody", nil, versions))) }),
    h("p", { class = "disclaimer" }, tpp.DISCLAIMER),
  })
  local page = html.page {
    title = "tpp report: " .. table.concat(names, ", "),
    description = "Export-control metrics and classification of " .. table.concat(names, ", "),
    generator = "tpp " .. tpp._VERSION,
    css = style.CSS,
    csp = CSP,
    body = { h("main", nil, body) },
  }
  return page, { as_of = as_of, chips = facts, tpp_version = tpp._VERSION }
end

return M
