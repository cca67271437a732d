--- tpp.charts.fleet: a fleet's stock over time as SVG, stacked by chip family
-- (or holder), with the total's uncertainty band, one panel per basis (by
-- default a compute basis beside an inference basis, so a stock of H20s shows
-- both faces). Drawn in the threshold map's style (tpp.chart).
--
--   local svg_text, info = require("tpp.charts.fleet").draw { fleets = { "china-compute" } }
--
-- Stacked layers are the groups' MEAN H100e (means add up to the total's
-- mean; medians do not); the band is the total's 5th-95th percentile and the
-- line its median, all from the same Monte Carlo draws at each date.
local fleet = require "tpp.fleet"
local bases = require "tpp.fleet.bases"
local dates = require "tpp.fleet.dates"
local svg = require "tpp.svg"
local util = require "tpp.util"

local M = {}

M.SUMMARY = "stacked compute stock over time by chip family or holder, with the uncertainty band"
M.DEFAULT_FLEET = "china-compute"
M.DEFAULT_BASES = { "tpp", "membw" }
M.DEFAULT_FROM, M.DEFAULT_TO = "2023-03-31", "2025-12-31"
M.DEFAULT_DRAWS = 20000

-- Options `tpp chart fleet` takes (merged into the chart command's options).
M.OPTIONS = {
  fleet = { arg = "FLEET", multi = true, help = "fleet: scenario or file (default china-compute)" },
  by = { arg = "family|holder|...", help = "fleet: stack by (default family)" },
  basis = { arg = "B[,B]", help = "fleet: one or two bases, a panel each (default tpp,membw)" },
  from = { arg = "DATE", help = "fleet: first date (default 2023-03-31)" },
  to = { arg = "DATE", help = "fleet: last date (default 2025-12-31)" },
  step = { arg = "quarter|month|year", help = "fleet: spacing of the dates (default quarter)" },
  draws = { arg = "N", help = "fleet: Monte Carlo draws per date (default 20,000)" },
  seed = { arg = "S", help = "fleet: random seed (default 1)" },
  ["retire-after"] = { arg = "YEARS", help = "fleet: chips retire after YEARS" },
}

-- Okabe-Ito colours (the map's palette), then greys.
M.COLORS = { "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
             "#8C8C8C", "#BDBDBD" }

local CSS = [[
.title{font-size:18px;font-weight:bold;fill:#1a1a1a}
.subtitle{font-size:12px;fill:#444}
.axis{stroke:#333;stroke-width:1;fill:none}
.tick{stroke:#333;stroke-width:1}
.grid{stroke:#d9d9d9;stroke-width:0.6}
.ticklabel{font-size:10.5px;fill:#333}
.axistitle{font-size:12px;fill:#1a1a1a}
.paneltitle{font-size:13px;font-weight:bold;fill:#1a1a1a}
.layer{stroke:#ffffff;stroke-width:0.6}
.band{fill:#1a1a1a;fill-opacity:0.13;stroke:none}
.bandedge{stroke:#1a1a1a;stroke-width:0.9;stroke-dasharray:4 3;fill:none}
.median{stroke:#1a1a1a;stroke-width:1.8;fill:none}
.pt{fill:#ffffff;stroke:#1a1a1a;stroke-width:1.2}
.legend-title{font-size:11.5px;font-weight:bold;fill:#1a1a1a}
.legend{font-size:10.5px;fill:#1a1a1a}
.foot{font-size:9.5px;fill:#444}
.frame{fill:none;stroke:#333;stroke-width:1}
.panel{fill:#fafafa;stroke:#d0d0d0;stroke-width:1}
]]

local function fail(msg) error("tpp chart fleet: " .. msg, 0) end

--- The dates from..to (inclusive) at ends of months, quarters or years.
function M.dates(from, to, step)
  local d0, m0 = dates.parse_date(from)
  if not d0 then fail("--from: " .. m0) end
  local d1, m1 = dates.parse_date(to)
  if not d1 then fail("--to: " .. m1) end
  if d1 < d0 then fail(("--to %s is before --from %s"):format(to, from)) end
  local months = ({ month = 1, quarter = 3, year = 12 })[step or "quarter"]
  if not months then fail(("--step: '%s' is not month, quarter or year"):format(tostring(step))) end
  local out = {}
  local y, m = tonumber(from:sub(1, 4)), tonumber(from:sub(6, 7))
  m = math.ceil(m / months) * months -- the period containing `from` ends with month m
  -- ends of periods: the last day of month m, then every `months` months
  while true do
    local ny, nm = y, m + 1
    if nm > 12 then ny, nm = y + 1, 1 end
    local last = dates.day_number(ny, nm, 1) - 1
    if last > d1 then break end
    if last >= d0 then out[#out + 1] = dates.date_of(last) end
    m = m + months
    while m > 12 do y, m = y + 1, m - 12 end
    if #out > 240 then fail("more than 240 dates; use a longer --step") end
  end
  if #out < 2 then fail(("fewer than two dates from %s to %s; widen the range or shorten --step"):format(from, to)) end
  return out
end

local function year_frac(date)
  local z = dates.parse_date(date)
  local y = tonumber(date:sub(1, 4))
  local y0, y1 = dates.day_number(y, 1, 1), dates.day_number(y + 1, 1, 1)
  return y + (z + 1 - y0) / (y1 - y0)
end

local function wrap_px(text, width, size)
  local out, line = {}, ""
  for word in text:gmatch("%S+") do
    local cand = line == "" and word or (line .. " " .. word)
    if svg.text_width(cand, size) > width and line ~= "" then
      out[#out + 1] = line
      line = word
    else
      line = cand
    end
  end
  if line ~= "" then out[#out + 1] = line end
  return out
end

local function short(v)
  if v == 0 then return "0" end
  local a = math.abs(v)
  if a >= 1e6 then return svg.label(v / 1e6, 3) .. "M" end
  if a >= 1e3 then return svg.label(v / 1e3, 3) .. "k" end
  return svg.label(v, 3)
end

-- One panel: stacked means, the band, the median line.
local function draw_panel(doc, B, tl, basis, groups, color_of, x, id)
  local pts = tl.points
  local ymax = 0
  for _, p in ipairs(pts) do
    local t = p.totals[basis]
    ymax = math.max(ymax, t.p95 or 0, t.mean or 0)
  end
  if ymax <= 0 then ymax = 1 end
  local y = svg.linear_scale(0, ymax * 1.08, B[4], B[2])
  local yt = y.ticks(6)
  local grid = svg.el("g", { class = "grid-lines" })
  doc:add(grid)
  local axes = svg.el("g", { class = "axes" })
  doc:add(axes)
  for _, t in ipairs(yt) do
    local py = y(t.value)
    if py >= B[2] - 0.5 then
      grid:add(svg.el("line", { x1 = B[1], y1 = py, x2 = B[3], y2 = py, class = "grid" }))
      axes:add(svg.el("line", { x1 = B[1] - 5, y1 = py, x2 = B[1], y2 = py, class = "tick" }))
      axes:add(svg.el("text", { x = B[1] - 8, y = py + 3.5, class = "ticklabel", ["text-anchor"] = "end" },
        short(t.value)))
    end
  end
  local y0, y1 = tonumber(pts[1].date:sub(1, 4)), tonumber(pts[#pts].date:sub(1, 4))
  for yr = y0, y1 + 1 do
    local px = x(yr)
    if px >= B[1] - 0.5 and px <= B[3] + 0.5 then
      grid:add(svg.el("line", { x1 = px, y1 = B[2], x2 = px, y2 = B[4], class = "grid" }))
      axes:add(svg.el("line", { x1 = px, y1 = B[4], x2 = px, y2 = B[4] + 5, class = "tick" }))
      axes:add(svg.el("text", { x = px, y = B[4] + 17, class = "ticklabel", ["text-anchor"] = "middle" },
        tostring(yr)))
    end
  end
  local b = bases.BASES[basis]
  axes:add(svg.el("text", { x = (B[1] + B[3]) / 2, y = B[2] - 10, class = "paneltitle", ["text-anchor"] = "middle" },
    ("%s: %s"):format(b.label, bases.USE_LABEL[b.use])))
  local ymid = (B[2] + B[4]) / 2
  axes:add(svg.el("text", { x = B[1] - 48, y = ymid, class = "axistitle", ["text-anchor"] = "middle",
    transform = ("rotate(-90 %s %s)"):format(svg.num(B[1] - 48), svg.num(ymid)) }, "H100-equivalents"))
  -- stacked layers (means), first group at the bottom
  local clip = doc:clip_rect("clip-" .. id, B[1], B[2], B[3] - B[1], B[4] - B[2])
  local layers = svg.el("g", { class = "layers", ["clip-path"] = clip })
  doc:add(layers)
  local base = {}
  for i = 1, #pts do base[i] = 0 end
  for _, g in ipairs(groups) do
    local top = {}
    for i, p in ipairs(pts) do
      local v = 0
      for _, pg in ipairs(p.groups) do
        if pg.name == g then v = pg.totals[basis].mean or 0 end
      end
      top[i] = base[i] + v
    end
    local poly = {}
    for i, p in ipairs(pts) do poly[#poly + 1] = { x(year_frac(p.date)), y(top[i]) } end
    for i = #pts, 1, -1 do poly[#poly + 1] = { x(year_frac(pts[i].date)), y(base[i]) } end
    layers:add(svg.el("path", { d = svg.path(poly, true), class = "layer", fill = color_of[g] },
      { svg.el("title", nil, ("%s: mean %s H100e at %s"):format(g, short(top[#pts] - base[#pts]),
        pts[#pts].date)) }))
    base = top
  end
  -- the band and the median of the total
  local band, hi, lo, med = {}, {}, {}, {}
  for _, p in ipairs(pts) do
    local t = p.totals[basis]
    local px = x(year_frac(p.date))
    hi[#hi + 1] = { px, y(t.p95) }
    lo[#lo + 1] = { px, y(t.p5) }
    med[#med + 1] = { px, y(t.p50) }
  end
  for _, q in ipairs(hi) do band[#band + 1] = q end
  for i = #lo, 1, -1 do band[#band + 1] = lo[i] end
  layers:add(svg.el("path", { d = svg.path(band, true), class = "band" }))
  layers:add(svg.el("path", { d = svg.path(hi), class = "bandedge" }))
  layers:add(svg.el("path", { d = svg.path(lo), class = "bandedge" }))
  layers:add(svg.el("path", { d = svg.path(med), class = "median" }))
  for i, p in ipairs(pts) do
    local t = p.totals[basis]
    layers:add(svg.el("circle", { cx = med[i][1], cy = med[i][2], r = 2.6, class = "pt" },
      { svg.el("title", nil, ("%s: total p50 %s (p5 %s, p95 %s) H100e%s"):format(p.date, short(t.p50), short(t.p5),
        short(t.p95), t.partial and "; partial: rows without a figure left out" or "")) }))
  end
  doc:add(svg.el("rect", { x = B[1], y = B[2], width = B[3] - B[1], height = B[4] - B[2], class = "frame" }))
  -- the last total, labelled at the right edge
  local last = pts[#pts].totals[basis]
  doc:add(svg.el("text", { x = B[3] - 4, y = math.max(B[2] + 12, y(last.p95) - 6), class = "legend",
    ["text-anchor"] = "end" }, ("%s: %s (%s-%s)"):format(pts[#pts].date, short(last.p50), short(last.p5),
    short(last.p95))))
end

--- Draw. opts: fleets (list of scenario ids or fleets; default china-compute),
-- by ("family"), bases (one or two; default tpp, membw), from, to, step,
-- draws, seed, retire (years). Returns the SVG text and what was drawn.
function M.draw(opts)
  opts = opts or {}
  local specs = opts.fleets or { M.DEFAULT_FLEET }
  local f = fleet.new(nil)
  for _, s in ipairs(specs) do
    if type(s) == "string" and not fleet.scenarios.exists(s) then
      f = f:combine(require("tpp.fleet.load").file(s))
    else
      f = f:combine(s)
    end
  end
  local names = {}
  for _, s in ipairs(specs) do names[#names + 1] = type(s) == "string" and s or tostring(s.name) end
  f.name = table.concat(names, " + ")
  local by = opts.by or "family"
  local list = opts.bases or M.DEFAULT_BASES
  if #list < 1 or #list > 2 then fail("give one or two bases (--basis tpp,membw)") end
  for _, b in ipairs(list) do bases.check(b, "--basis") end
  local when = M.dates(opts.from or M.DEFAULT_FROM, opts.to or M.DEFAULT_TO, opts.step)
  local tl = fleet.timeline(f, { dates = when, by = by, bases = list, draws = opts.draws or M.DEFAULT_DRAWS,
    seed = opts.seed, retire = opts.retire and { default = opts.retire } or nil })
  -- groups ordered by their mean at the last date on the first basis, largest at the bottom
  local seen, groups = {}, {}
  local last = {}
  for _, p in ipairs(tl.points) do
    for _, g in ipairs(p.groups) do
      if not seen[g.name] then seen[g.name] = true; groups[#groups + 1] = g.name end
      last[g.name] = g.totals[list[1]].mean or 0
    end
  end
  table.sort(groups, function(a, b)
    if (last[a] or 0) ~= (last[b] or 0) then return (last[a] or 0) > (last[b] or 0) end
    return a < b
  end)
  local color_of = {}
  for i, g in ipairs(groups) do color_of[g] = M.COLORS[(i - 1) % #M.COLORS + 1] end

  local W = 1180
  local panels = {}
  if #list == 1 then
    panels[1] = { 96, 118, 900, 520 }
  else
    panels[1] = { 96, 118, 480, 520 }
    panels[2] = { 560, 118, 944, 520 }
  end
  local title = ("Compute stock over time: %s, stacked by %s"):format(f.name, by)
  local desc = ("tpp chart fleet. Fleet %s at %d dates from %s to %s; stacked layers are each %s's mean " ..
    "H100-equivalents; the band is the total's 5th-95th percentile and the line its median over %s Monte Carlo " ..
    "draws per date. %s"):format(f.name, #when, when[1], when[#when], by, util.fmt(opts.draws or M.DEFAULT_DRAWS),
    fleet.DISCLAIMER)
  local doc = svg.document { width = W, height = 800, css = CSS, background = "#ffffff", title = title, desc = desc }
  doc:add(svg.el("text", { x = 40, y = 30, class = "title" }, title))
  doc:add(svg.el("text", { x = 40, y = 49, class = "subtitle" },
    "Stacked: each group's mean H100e (means add up); grey band: the total's 5th-95th percentile; line: its median."))
  doc:add(svg.el("text", { x = 40, y = 65, class = "subtitle" },
    ("Stock held at the end of each date: shipments and production arrive evenly over their periods; orders are " ..
     "not counted%s."):format(opts.retire and (", chips retire after " .. util.num(opts.retire) .. " years") or
     ", no retirements")))
  local x = svg.linear_scale(year_frac(when[1]), year_frac(when[#when]), 0, 1)
  for i, basis in ipairs(list) do
    local B = panels[i]
    local xs = svg.linear_scale(x.d0, x.d1, B[1], B[3])
    draw_panel(doc, B, tl, basis, groups, color_of, xs, basis)
  end
  -- legend panel
  local LX, LY, LW = 964, 118, W - 964 - 10
  local ly = LY + 18
  local panel = svg.el("rect", { x = LX, y = LY, width = LW, height = 10, rx = 4, class = "panel" })
  doc:add(panel)
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, by:sub(1, 1):upper() .. by:sub(2)))
  ly = ly + 16
  for i = #groups, 1, -1 do -- top of the stack first, as drawn
    local g = groups[i]
    doc:add(svg.el("rect", { x = LX + 10, y = ly - 9, width = 14, height = 11, fill = color_of[g], stroke = "#888",
      ["stroke-width"] = 0.5 }))
    local lines = wrap_px(g, LW - 40, 10.5)
    for k, line in ipairs(lines) do
      doc:add(svg.el("text", { x = LX + 30, y = ly + (k - 1) * 12, class = "legend" }, line))
    end
    ly = ly + 12 * #lines + 5
  end
  ly = ly + 6
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, "Total"))
  ly = ly + 16
  doc:add(svg.el("rect", { x = LX + 10, y = ly - 9, width = 14, height = 11, class = "band" }))
  doc:add(svg.el("text", { x = LX + 30, y = ly, class = "legend" }, "p5-p95"))
  ly = ly + 17
  doc:add(svg.el("line", { x1 = LX + 10, y1 = ly - 4, x2 = LX + 24, y2 = ly - 4, class = "median" }))
  doc:add(svg.el("text", { x = LX + 30, y = ly, class = "legend" }, "median"))
  ly = ly + 8
  panel.attrs.height = ly - LY
  -- footnotes: references, what is left out, sources, assumptions
  local e = tl.last
  local notes = {}
  local refs = {}
  for _, b in ipairs(e.bases) do
    if b.reference then
      local r = b.reference
      refs[#refs + 1] = ("%s %s %s"):format(b.label, util.fmt(r, r == math.floor(r) and 0 or 1), b.unit)
    end
  end
  notes[#notes + 1] = "1 H100e = the H100 SXM entry of tpp's chip database: " .. table.concat(refs, "; ") .. "."
  local unknown, excluded = {}, {}
  for _, p in ipairs(tl.points) do
    for _, u in ipairs(p.unknown) do unknown[u.row] = u.chip .. " (" .. table.concat(u.bases, ", ") .. ")" end
    for _, x2 in ipairs(p.excluded) do
      if x2.reason:match("order") then excluded[x2.row] = x2.reason end
    end
  end
  local ul = {}
  for _, k in ipairs(util.sorted_keys(unknown)) do ul[#ul + 1] = k .. ": " .. unknown[k] end
  if #ul > 0 then
    notes[#notes + 1] = "Unknown on a basis, left out of it (never zero): " .. table.concat(ul, "; ") .. "."
  end
  local el = util.sorted_keys(excluded)
  if #el > 0 then notes[#notes + 1] = "Orders, not counted: " .. table.concat(el, ", ") .. "." end
  local src = {}
  for _, s in ipairs(e.sources) do src[#src + 1] = ("%s [%s]: %s"):format(s.row, s.provenance, s.source) end
  notes[#notes + 1] = "Sources: " .. table.concat(src, " | ")
  for _, a in ipairs(e.assumptions) do notes[#notes + 1] = "Assumption: " .. a end
  notes[#notes + 1] = fleet.DISCLAIMER
  local fy = math.max(panels[1][4] + 44, ly + 20)
  for _, para in ipairs(notes) do
    for _, line in ipairs(wrap_px(para, W - 80, 9.5)) do
      doc:add(svg.el("text", { x = 40, y = fy, class = "foot" }, line))
      fy = fy + 12
    end
    fy = fy + 2
  end
  doc:resize(W, math.ceil(fy + 8))
  local info = { chart = "fleet", fleet = f.name, by = by, bases = list, dates = when, groups = groups,
                 points = {}, plotted = groups, rules = "none", as_of = when[#when] }
  for _, p in ipairs(tl.points) do
    local row = { date = p.date }
    for _, b in ipairs(list) do
      local t = p.totals[b]
      row[b] = { p5 = t.p5, p50 = t.p50, p95 = t.p95, mean = t.mean }
    end
    info.points[#info.points + 1] = row
  end
  info.summary = ("fleet chart of %s, %d dates from %s to %s, stacked by %s, bases %s"):format(f.name, #when,
    when[1], when[#when], by, table.concat(list, ", "))
  return doc:render(), info
end

--- Chart options from the command's parsed arguments.
function M.opts(args)
  local list
  if args.basis then
    list = {}
    for b in args.basis:gmatch("[^,%s]+") do list[#list + 1] = b end
  end
  local function num(name)
    local v = args[name]
    if v == nil then return nil end
    local n = tonumber(v)
    if not n or n < 0 then fail(("--%s: '%s' is not a number >= 0"):format(name, tostring(v))) end
    return n
  end
  if args.by then
    local ok = false
    for _, g in ipairs(fleet.GROUP_BY) do if g == args.by then ok = true end end
    if not ok then
      local hint = util.did_you_mean(args.by, fleet.GROUP_BY)
      fail(("--by: '%s' is not a grouping%s"):format(args.by, hint and ("; did you mean '" .. hint .. "'?") or ""))
    end
  end
  return { fleets = args.fleet, by = args.by, bases = list, from = args.from, to = args["to"], step = args.step,
           draws = num("draws"), seed = num("seed"), retire = num("retire-after") }
end

return M
