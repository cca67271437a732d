--- tpp.chart: the charts of the field as deterministic SVG.
--
--   local chart = require "tpp.chart"
--   local svg_text, info = chart.map { rules = "us-2023-10", as_of = "2026-01-01" }
--
-- map: the 3A090 threshold map, TPP x performance density on log-log axes,
--   regions drawn from the rule engine's compiled boxes
--   (v:boxes("tpp", "pd", {datacenter = true})), threshold guides, lines of
--   constant die area, datasheet-unit ticks, labelled chip points (identical
--   coordinates grouped), legend and a footnote with rule version, as-of
--   date, sources and the disclaimer.
-- bandwidth: DRAM x interconnect bandwidth under the April-2025 criteria
--   (reported-only) that the bills put in numbers.
-- timeline: release year x TPP with the rule lines and rule dates.
local svg = require "tpp.svg"
local util = require "tpp.util"
local dest = require "tpp.dest"

local M = {}

M.DISCLAIMER = dest.DISCLAIMER

-- China-specific SKUs in the database (CHIPS.md notes: designed to sit under
-- a US line for the China market).
M.CHINA_SKUS = {
  nv_a800_sxm = true, nv_h800_sxm = true, nv_h20 = true, nv_b30a = true, nv_rtx6000d = true, nv_l20 = true,
  nv_l2 = true, nv_rtx4090d = true, nv_rtx5090d = true, nv_rtx5090dv2 = true, amd_mi308x = true,
  intel_gaudi3_cn = true,
}

-- Short labels for the database; other chips use a trimmed name.
M.SHORT = {
  nv_a100_sxm80 = "A100 SXM", nv_a100_pcie80 = "A100 PCIe", nv_a800_sxm = "A800", nv_h100_sxm = "H100 SXM",
  nv_h100_pcie = "H100 PCIe", nv_h800_sxm = "H800", nv_h20 = "H20", nv_h200_sxm = "H200", nv_b200 = "B200",
  nv_b300 = "B300", nv_gb300 = "GB300", nv_b30a = "B30A", nv_l20 = "L20", nv_l40s = "L40S", nv_l4 = "L4",
  nv_l2 = "L2", nv_rtx4090 = "RTX 4090", nv_rtx4090d = "RTX 4090D", nv_rtx5090 = "RTX 5090",
  nv_rtx5090d = "RTX 5090D", nv_rtx5090dv2 = "RTX 5090D V2", nv_rtx6000d = "RTX PRO 6000D",
  amd_mi250x = "MI250X", amd_mi300x = "MI300X", amd_mi308x = "MI308X", amd_mi325x = "MI325X",
  amd_mi355x = "MI355X", intel_gaudi2 = "Gaudi 2", intel_gaudi3 = "Gaudi 3", intel_gaudi3_cn = "Gaudi 3 China",
  goog_tpuv4 = "TPU v4", goog_tpuv5e = "TPU v5e", goog_tpuv5p = "TPU v5p", goog_tpuv6e = "TPU v6e",
  goog_tpuv7 = "TPU v7", aws_trn1 = "Trainium", aws_trn2 = "Trainium2", hw_910 = "Ascend 910",
  hw_910b = "Ascend 910B", hw_910c = "Ascend 910C", hw_950pr = "Ascend 950PR", hw_950dt = "Ascend 950DT",
  camb_mlu370x8 = "MLU370-X8", camb_mlu590 = "MLU590", biren_br100 = "BR100", biren_br104 = "BR104",
  hygon_z100 = "DCU Z100", hygon_k100ai = "K100-AI", hygon_bw1000 = "BW1000", mt_s4000 = "MTT S4000",
  metax_c500 = "C500", iluvatar_biv100 = "BI-V100", iluvatar_mrv100 = "MR-V100", enflame_t21 = "T21",
  thead_ppu = "T-Head PPU",
}

function M.short_name(c)
  local d = c.data or c
  if d.id and M.SHORT[d.id] then return M.SHORT[d.id] end
  local n = d.name or d.id or "chip"
  n = n:gsub("%s*%b()", ""):gsub("^NVIDIA GeForce ", ""):gsub("^NVIDIA ", ""):gsub("^AMD Instinct ", "")
  return util.trim(n)
end

-- Colours (Okabe-Ito, colour-blind safe) and the outcome classes.
M.CLASSES = {
  licence = { color = "#D55E00", label = "licence required (3A090.a for datacenter items: no NAC/ACA)" },
  nac = { color = "#E69F00", label = "licence exception NAC/ACA possible (3A090.b; 3A090.a not datacenter)" },
  none = { color = "#0072B2", label = "not controlled by 3A090" },
  unknown = { color = "#8C8C8C", label = "undetermined" },
}

local CSS = [[
.title{font-size:18px;font-weight:bold;fill:#1a1a1a}
.subtitle{font-size:12px;fill:#444}
.axis{stroke:#333;stroke-width:1;fill:none}
.tick{stroke:#333;stroke-width:1}
.grid{stroke:#d9d9d9;stroke-width:0.6}
.grid-major{stroke:#bdbdbd;stroke-width:0.8}
.ticklabel{font-size:10.5px;fill:#333}
.ticklabel2{font-size:9.5px;fill:#555}
.axistitle{font-size:12px;fill:#1a1a1a}
.axisnote{font-size:10px;fill:#555}
.region-licence{fill:#f7d9c6}
.region-nac{fill:#f9e3b0}
.region-none{fill:#e9f3fa}
.region-other{fill:#e6e6e6}
.hatch{stroke:#D55E00;stroke-width:1;stroke-opacity:0.35}
.clause{font-size:10px;font-style:italic;fill:#6b3a1a;fill-opacity:0.85}
.regionlabel{font-size:13px;font-weight:bold;fill-opacity:0.75}
.guide{stroke:#222;stroke-width:1.1;stroke-dasharray:6 4;fill:none}
.guide-2026{stroke:#7b3294;stroke-width:1.1;stroke-dasharray:2 3;fill:none}
.guidelabel{font-size:10px;fill:#222;font-weight:bold}
.guidelabel-2026{font-size:10px;fill:#7b3294;font-weight:bold}
.iso{stroke:#6d6d6d;stroke-width:0.9;stroke-dasharray:1.5 3;fill:none}
.isolabel{font-size:9.5px;fill:#555;font-style:italic}
.pt{stroke:#1a1a1a;stroke-width:0.9}
.pt-licence{fill:#D55E00}
.pt-nac{fill:#E69F00}
.pt-none{fill:#0072B2}
.pt-unknown{fill:#8C8C8C}
.count{font-size:9px;font-weight:bold;fill:#ffffff}
.ptlabel{font-size:10.5px;fill:#1a1a1a;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}
.ptlabel .num{fill:#555}
.leader{stroke:#777;stroke-width:0.7;fill:none}
.legend-title{font-size:11.5px;font-weight:bold;fill:#1a1a1a}
.legend{font-size:10.5px;fill:#1a1a1a}
.legend-small{font-size:9.5px;fill:#444}
.foot{font-size:9.5px;fill:#444}
.frame{fill:none;stroke:#333;stroke-width:1}
.panel{fill:#fafafa;stroke:#d0d0d0;stroke-width:1}
.highlight{fill:#ffffff;stroke:#000;stroke-width:1.5}
]]

-- ------------------------------------------------------------- boxes ----

-- The 3A090.a/.b thresholds of 88 FR 73458 (RULES.md §4.2), used only when
-- the rule engine (tpp.rules) is not installed. Half-open boxes in TPP x PD,
-- in the shape of v:boxes(); the specs compare them with the engine's.
local INF = math.huge
local function box(clause, eccn, outcome, xlo, xhi, ylo, yhi)
  return { clause = clause, eccn = eccn, outcome = outcome,
    x = { lo = xlo, hi = xhi, lo_incl = xlo ~= -INF, hi_incl = false },
    y = { lo = ylo, hi = yhi, lo_incl = ylo ~= -INF, hi_incl = false } }
end

M.FALLBACK_FAMILY = {
  ["us-2023-10"] = true, ["us-2024-12"] = true, ["us-2025-01-diffusion"] = true, ["us-2025-01-foundry"] = true,
  ["us-2026-01-h200"] = true, ["us-2026-02-cambodia"] = true, ["us-2026-07-uae"] = true,
}

function M.fallback_boxes(facts)
  if facts and facts.datacenter == false then
    -- Note 2: not designed or marketed for datacenters and TPP < 4,800 -> outside 3A090;
    -- TPP >= 4,800 stays 3A090.a/.b but NAC/ACA-eligible.
    return {
      box("3A090.a.1", "3A090.a", "nac-eligible", 4800, INF, -INF, INF),
      box("Note 2", nil, "not-controlled", -INF, 4800, -INF, INF),
    }
  end
  return {
    box("3A090.a.1", "3A090.a", "controlled", 4800, INF, -INF, INF),
    box("3A090.a.2", "3A090.a", "controlled", 1600, INF, 5.92, INF),
    box("3A090.b.1", "3A090.b", "nac-eligible", 2400, 4800, 1.6, 5.92),
    box("3A090.b.2", "3A090.b", "nac-eligible", 1600, INF, 3.2, 5.92),
  }
end

local function engine()
  local ok, rules = pcall(require, "tpp.rules")
  if ok and type(rules) == "table" and type(rules.get) == "function" then return rules end
  return nil
end

-- The rule id in force on a date: from the engine when it can say, else tpp.dest's registry.
local function id_in_force(rules, as_of)
  if rules then
    for _, fname in ipairs({ "in_force", "at", "select" }) do
      if type(rules[fname]) == "function" then
        local ok, v = pcall(rules[fname], as_of)
        if ok and type(v) == "table" and v.id then return v.id end
        if ok and type(v) == "string" then return v end
      end
    end
  end
  local v = dest.version_in_force(as_of)
  return v and v.id or nil
end

-- Classify a box's outcome into a drawing class.
local function class_of_box(b)
  local o = tostring(b.outcome or ""):lower()
  if o:find("nac", 1, true) or o:find("exception", 1, true) then return "nac" end
  if o:find("not", 1, true) then return "none" end
  if o:find("undetermined", 1, true) then return "unknown" end
  if o:find("control", 1, true) or o:find("licen", 1, true) then
    if b.eccn and tostring(b.eccn):find("%.b") then return "nac" end
    return "licence"
  end
  return "other"
end
M.class_of_box = class_of_box

local function inside(iv, v)
  if iv.lo ~= nil and iv.lo ~= -INF then
    if iv.lo_incl == false then
      if v <= iv.lo then return false end
    elseif v < iv.lo then return false end
  end
  if iv.hi ~= nil and iv.hi ~= INF then
    if iv.hi_incl then
      if v > iv.hi then return false end
    elseif v >= iv.hi then return false end
  end
  return true
end

local PRIORITY = { licence = 4, nac = 3, other = 2, unknown = 1, none = 0 }

--- The class of a point from boxes: the strongest box containing it;
-- "none" when no box does. Returns class, box.
function M.classify_point(boxes, x, y)
  local best, best_box = "none", nil
  for _, b in ipairs(boxes) do
    if inside(b.x, x) and inside(b.y, y) then
      local c = class_of_box(b)
      if PRIORITY[c] > PRIORITY[best] or best_box == nil and c == "none" then best, best_box = c, b end
    end
  end
  return best, best_box
end

--- Boxes for a map: from the engine (v:boxes) when installed, else the
-- fallback for the 2023 family. Returns boxes_dc, boxes_non_dc, meta.
function M.boxes(rules_id, as_of, x_metric, y_metric)
  x_metric, y_metric = x_metric or "tpp", y_metric or "pd"
  local rules = engine()
  local id = rules_id or id_in_force(rules, as_of)
  if not id then error("tpp chart: no rule version in force on " .. as_of, 0) end
  if rules then
    local ok, v = pcall(rules.get, id)
    if not ok then error("tpp chart: " .. tostring(v):gsub("^tpp[%.%w]*: ", ""), 0) end
    if type(v.boxes) == "function" then
      local okb, dc = pcall(v.boxes, v, x_metric, y_metric, { datacenter = true })
      if not okb then error(("tpp chart: %s has no %s x %s projection: %s"):format(id, x_metric, y_metric,
        tostring(dc)), 0) end
      local okn, ndc = pcall(v.boxes, v, x_metric, y_metric, { datacenter = false })
      return dc, okn and ndc or dc, { id = v.id or id, status = v.status, hash = v.hash, title = v.title,
        source = ("regions from the rule engine: v:boxes(\"%s\", \"%s\", {datacenter = true})"):format(
          x_metric, y_metric), engine = rules, version = v }
    end
  end
  if x_metric == "tpp" and y_metric == "pd" and M.FALLBACK_FAMILY[id] then
    local known = dest.VERSIONS
    local status
    for _, k in ipairs(known) do if k.id == id then status = k.status end end
    return M.fallback_boxes { datacenter = true }, M.fallback_boxes { datacenter = false },
      { id = id, status = status, source = "regions from tpp.chart's fallback boxes of the 3A090.a/.b " ..
        "thresholds (88 FR 73458); the rule engine is not installed", fallback = true, engine = rules }
  end
  error(("tpp chart: %s has no TPP x performance-density regions to draw%s"):format(id,
    rules and "" or " (the rule engine tpp.rules is not installed; built-in regions cover us-2023-10 and later)"), 0)
end

-- ------------------------------------------------------------ points ----

local function market_of(c)
  local d = c.data
  if d.datacenter == false then return "consumer" end
  if d.id and M.CHINA_SKUS[d.id] then return "china-sku" end
  if d.country and tostring(d.country):find("^China") then return "prc" end
  if d.datacenter == nil then return "unknown" end
  return "global"
end

M.SHAPES = { global = "circle", ["china-sku"] = "diamond", prc = "square", consumer = "triangle",
  unknown = "triangle-down" }
M.MARKET_LABELS = {
  global = "datacenter item", ["china-sku"] = "China-specific SKU (datacenter)",
  prc = "PRC-designed (datacenter)", consumer = "not datacenter (consumer; 3A090 Note 2)",
  unknown = "datacenter flag unknown",
}

local function resolve_chips(list)
  local tpp = require "tpp"
  if list == nil then return tpp.chips() end
  local out = {}
  for _, x in ipairs(list) do
    if type(x) == "string" then
      for name in x:gmatch("[^,]+") do
        local n = util.trim(name)
        if n ~= "" then out[#out + 1] = tpp.chip(n) end
      end
    else
      out[#out + 1] = tpp.chip(x)
    end
  end
  return out
end

-- ------------------------------------------------------ label placing ----

-- Label placement: every label has candidate positions around its marker
-- (8 directions, rings of growing distance) that stay inside the bounds and
-- clear of fixed obstacles and other markers. Each label starts at its
-- nearest candidate; sweeps then move labels that overlap others to the
-- candidate with the lowest cost (distance + overlaps), until nothing moves.
-- Deterministic: fixed candidate order, ties keep the earlier candidate.
local DIRS = { { 1, 0, 0 }, { -1, 0, 1 }, { 1, -1, 2 }, { 1, 1, 2 }, { -1, -1, 3 }, { -1, 1, 3 },
  { 0, -1, 4 }, { 0, 1, 4 } }
local RINGS = { 3, 11, 21, 33, 48, 66, 88 }

local function nearest_on(b, x, y)
  return math.max(b[1], math.min(x, b[3])), math.max(b[2], math.min(y, b[4]))
end

-- Does the segment (x0,y0)-(x1,y1) pass through box b? (sampled; labels are small)
local function segment_hits(x0, y0, x1, y1, b)
  for k = 1, 15 do
    local t = k / 16
    local px, py = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
    if px > b[1] and px < b[3] and py > b[2] and py < b[4] then return true end
  end
  return false
end

-- segments: fixed lines labels should avoid (soft cost).
local function place_labels(items, obstacles, bounds, segments)
  segments = segments or {}
  local function candidate(it, dir, dist)
    local w, h = it.w, it.h
    local x0, y0
    if dir[1] > 0 then x0 = it.x + dist elseif dir[1] < 0 then x0 = it.x - dist - w else x0 = it.x - w / 2 end
    if dir[2] > 0 then y0 = it.y + dist * 0.6 elseif dir[2] < 0 then y0 = it.y - dist * 0.6 - h
    else y0 = it.y - h / 2 end
    if dir[2] ~= 0 and dir[1] ~= 0 then
      -- diagonal: start the text at the marker's edge, not a full box away
      if dir[1] > 0 then x0 = it.x + dist * 0.5 else x0 = it.x - dist * 0.5 - w end
    end
    return { x0, y0, x0 + w, y0 + h }
  end
  local function blocked(b, owner)
    if b[1] < bounds[1] or b[3] > bounds[3] or b[2] < bounds[2] or b[4] > bounds[4] then return true end
    for _, o in ipairs(obstacles) do
      if o.owner ~= owner and svg.overlaps(b, o.box, 1) then return true end
    end
    return false
  end
  for _, it in ipairs(items) do
    it.cands = {}
    for ring, d in ipairs(RINGS) do
      for _, dir in ipairs(DIRS) do
        local b = candidate(it, dir, it.r + d)
        if not blocked(b, it.owner) then
          local c = { box = b, cost = (ring - 1) * 10 + dir[3], dist = it.r + d }
          if c.dist > it.r + 8 then
            c.lx, c.ly = nearest_on(b, it.x, it.y)
            -- a leader must not run through another marker
            for _, o in ipairs(obstacles) do
              if o.owner ~= it.owner and o.owner and segment_hits(it.x, it.y, c.lx, c.ly, o.box) then
                c.cost = c.cost + 200
              end
            end
          end
          for _, sg in ipairs(segments) do
            if segment_hits(sg[1], sg[2], sg[3], sg[4], b) then c.cost = c.cost + 40 end
          end
          it.cands[#it.cands + 1] = c
        end
      end
    end
    if #it.cands == 0 then
      it.cands[1] = { box = candidate(it, DIRS[1], it.r + 3), cost = 1000, dist = it.r + 3, forced = true }
    end
    table.sort(it.cands, function(a, b)
      if a.cost ~= b.cost then return a.cost < b.cost end
      return a.dist < b.dist
    end)
    it.choice = 1
  end
  -- cost of item i at candidate c, given the others' current choices
  local function conflicts(i, c)
    local n = 0
    for j, other in ipairs(items) do
      if j ~= i then
        local oc = other.cands[other.choice]
        if svg.overlaps(c.box, oc.box, 2) then n = n + 500 end
        if c.lx and segment_hits(items[i].x, items[i].y, c.lx, c.ly, oc.box) then n = n + 150 end
        if oc.lx and segment_hits(other.x, other.y, oc.lx, oc.ly, c.box) then n = n + 150 end
      end
    end
    return n
  end
  for _ = 1, 30 do
    local moved = false
    for i, it in ipairs(items) do
      local cur = it.cands[it.choice]
      local cur_cost = cur.cost + conflicts(i, cur)
      if cur_cost > it.cands[1].cost then
        local best, best_cost = it.choice, cur_cost
        for k, c in ipairs(it.cands) do
          if c.cost < best_cost then
            local cost = c.cost + conflicts(i, c)
            if cost < best_cost then best, best_cost = k, cost end
          end
        end
        if best ~= it.choice then it.choice, moved = best, true end
      end
    end
    if not moved then break end
  end
  for i, it in ipairs(items) do
    local c = it.cands[it.choice]
    it.box = c.box
    it.leader = c.dist > it.r + 8
    it.crowded = c.forced or conflicts(i, c) >= 500
  end
  return items
end

-- Nearest point of box b to (x, y), for leader lines.
local function nearest_on_box(b, x, y)
  local nx = math.max(b[1], math.min(x, b[3]))
  local ny = math.max(b[2], math.min(y, b[4]))
  return nx, ny
end

-- Wrap text into lines of at most width px at a font size.
local function wrap_px(text, width, size)
  local lines, line = {}, ""
  for word in text:gmatch("%S+") do
    local try = line == "" and word or (line .. " " .. word)
    if svg.text_width(try, size) > width and line ~= "" then
      lines[#lines + 1] = line
      line = word
    else
      line = try
    end
  end
  if line ~= "" then lines[#lines + 1] = line end
  return lines
end
M.wrap_px = wrap_px

-- ---------------------------------------------------------------- map ----

local function fmt_tpp(v) return svg.label(math.floor(v + 0.5)) end

-- Pixel rectangle of a box in a plot with scales xs, ys and bounds
-- {X0, Y0, X1, Y1}; open or out-of-range sides reach past the bounds.
local function px_box(b, xs, ys, B)
  local xlo, xhi = math.min(xs.d0, xs.d1), math.max(xs.d0, xs.d1)
  local ylo, yhi = math.min(ys.d0, ys.d1), math.max(ys.d0, ys.d1)
  local function cx(v, lo_side)
    if v == nil or v == -INF or v <= xlo then return lo_side and B[1] - 2 or B[1] - 2 end
    if v == INF or v >= xhi then return B[3] + 2 end
    return xs(v)
  end
  local function cy(v)
    if v == nil or v == -INF or v <= ylo then return B[4] + 2 end
    if v == INF or v >= yhi then return B[2] - 2 end
    return ys(v)
  end
  local x0, x1 = cx(b.x.lo, true), cx(b.x.hi)
  if b.x.hi == nil or b.x.hi == INF then x1 = B[3] + 2 end
  return x0, cy(b.y.hi == nil and INF or b.y.hi), x1, cy(b.y.lo == nil and -INF or b.y.lo)
end

local function range_text(iv, name)
  local lo = (iv.lo and iv.lo ~= -INF) and (svg.label(iv.lo) .. (iv.lo_incl == false and " < " or " <= ")) or ""
  local hi = (iv.hi and iv.hi ~= INF) and ((iv.hi_incl and " <= " or " < ") .. svg.label(iv.hi)) or ""
  if lo == "" and hi == "" then return nil end
  return lo .. name .. hi
end

local DRAW_ORDER = { none = 1, unknown = 2, other = 2, nac = 3, licence = 4 }

local function sorted_boxes(boxes)
  local sorted = {}
  for i, b in ipairs(boxes) do sorted[#sorted + 1] = { b = b, i = i, c = class_of_box(b) } end
  table.sort(sorted, function(a, b)
    if DRAW_ORDER[a.c] ~= DRAW_ORDER[b.c] then return DRAW_ORDER[a.c] < DRAW_ORDER[b.c] end
    return a.i < b.i
  end)
  return sorted
end

-- Opaque fills, drawn weakest first, so where boxes overlap the strongest
-- outcome is what shows (a.1 over b.2 above TPP 4,800).
local function draw_regions(parent, sorted, xs, ys, B, with_titles)
  parent:add(svg.el("rect", { x = B[1], y = B[2], width = B[3] - B[1], height = B[4] - B[2], class = "region-none" },
    with_titles and { svg.el("title", nil, "not controlled by 3A090 (no paragraph matches)") } or nil))
  for _, s in ipairs(sorted) do
    local b, c = s.b, s.c
    local x0, y0, x1, y1 = px_box(b, xs, ys, B)
    if x1 > x0 and y1 > y0 then
      local title
      if with_titles then
        local parts = { b.clause or "?" }
        if b.eccn then parts[#parts + 1] = "(" .. b.eccn .. ")" end
        parts[#parts + 1] = ":"
        parts[#parts + 1] = range_text(b.x, "TPP")
        local yr = range_text(b.y, "PD")
        if yr then parts[#parts + 1] = "and " .. yr end
        parts[#parts + 1] = "-> " .. (b.outcome or c)
        title = svg.el("title", nil, table.concat(parts, " "))
      end
      parent:add(svg.el("rect", { x = x0, y = y0, width = x1 - x0, height = y1 - y0, class = "region-" .. c,
        ["data-clause"] = b.clause }, title))
      if c == "licence" then
        parent:add(svg.el("rect", { x = x0, y = y0, width = x1 - x0, height = y1 - y0, fill = "url(#hatch-licence)" }))
      end
    end
  end
end

--- A compact label for chips at one point: "A100 SXM", "A100 PCIe", "A800"
-- -> "A100 SXM/PCIe, A800"; "RTX 5090D", "RTX 5090D V2" -> "RTX 5090D/V2".
function M.group_label(names)
  local out, chain = {}, nil
  for _, n in ipairs(names) do
    local toks = {}
    for t in n:gmatch("%S+") do toks[#toks + 1] = t end
    local common = 0
    if chain then
      while common < #chain and common < #toks and chain[common + 1] == toks[common + 1] do common = common + 1 end
    end
    if chain and common >= 1 and common < #toks then
      out[#out] = out[#out] .. "/" .. table.concat(toks, " ", common + 1)
    else
      out[#out + 1] = n
      chain = toks
    end
  end
  return table.concat(out, ", ")
end

-- Marker geometry for groups in a plot; returns the list of groups inside.
local function layout_points(groups, xs, ys, B, radius)
  local out = {}
  local xlo, xhi = math.min(xs.d0, xs.d1), math.max(xs.d0, xs.d1)
  local ylo, yhi = math.min(ys.d0, ys.d1), math.max(ys.d0, ys.d1)
  for _, g in ipairs(groups) do
    if g.tpp >= xlo and g.tpp <= xhi and g.pd >= ylo and g.pd <= yhi then
      out[#out + 1] = { g = g, px = xs(g.tpp), py = ys(g.pd), r = #g.members > 1 and radius + 2.5 or radius }
    end
  end
  -- keep them inside the frame
  for _, p in ipairs(out) do
    p.px = math.max(B[1] + p.r, math.min(B[3] - p.r, p.px))
    p.py = math.max(B[2] + p.r, math.min(B[4] - p.r, p.py))
  end
  return out
end

local function point_title(g, rule_id)
  local tips = {}
  for _, mbr in ipairs(g.members) do
    local m, d = mbr.m, mbr.chip.data
    tips[#tips + 1] = ("%s: TPP %s (%s%s), PD %s (%s), applicable die area %s mm2; %s; %s under %s%s"):format(
      d.name or mbr.name, fmt_tpp(m.tpp), m.tpp_precision or "?",
      m.provenance.tpp and (", " .. m.provenance.tpp) or "", svg.num(m.pd, 2), m.provenance.pd or "?",
      m.area_mm2 and svg.label(m.area_mm2) or "?", M.MARKET_LABELS[mbr.market],
      mbr.box and ((mbr.box.clause or mbr.box.eccn or "") .. " " .. (mbr.box.outcome or "")) or "not controlled",
      rule_id, mbr.highlight and " (highlighted)" or "")
  end
  return table.concat(tips, "\n")
end

-- Draw markers (and, where labelled, labels with leader lines) for laid-out points.
local function draw_points(parent, pts, obstacles, B, rule_id, id_prefix, size, segments)
  local items = {}
  for i, p in ipairs(pts) do
    obstacles[#obstacles + 1] = { box = { p.px - p.r - 1, p.py - p.r - 1, p.px + p.r + 1, p.py + p.r + 1 }, owner = i }
  end
  for i, p in ipairs(pts) do
    local n = 0
    for j, q in ipairs(pts) do
      if i ~= j and math.abs(p.px - q.px) < 70 and math.abs(p.py - q.py) < 30 then n = n + 1 end
    end
    p.crowd, p.index = n, i
  end
  local placing = {}
  for _, p in ipairs(pts) do if not p.no_label then placing[#placing + 1] = p end end
  table.sort(placing, function(a, b)
    if a.crowd ~= b.crowd then return a.crowd > b.crowd end
    return a.index < b.index
  end)
  for _, p in ipairs(placing) do
    local names = {}
    for _, mbr in ipairs(p.g.members) do names[#names + 1] = mbr.name end
    p.name_text = M.group_label(names)
    p.num_text = fmt_tpp(p.g.tpp)
    local w = svg.text_width(p.name_text .. " " .. p.num_text, size)
    items[#items + 1] = { x = p.px, y = p.py, r = p.r, w = w + 2, h = size + 1.5, p = p, owner = p.index }
  end
  place_labels(items, obstacles, { B[1] + 2, B[2] + 2, B[3] - 2, B[4] - 2 }, segments)

  local leaders, markers, labels = svg.el("g", {}), svg.el("g", {}), svg.el("g", {})
  parent:add(leaders)
  parent:add(markers)
  parent:add(labels)
  -- bigger markers first so small ones stay visible on top
  local draw = {}
  for _, p in ipairs(pts) do draw[#draw + 1] = p end
  table.sort(draw, function(a, b)
    if a.r ~= b.r then return a.r > b.r end
    return a.index < b.index
  end)
  for _, p in ipairs(draw) do
    local g = p.g
    local top_cls = "none"
    for c in pairs(g.classes) do if PRIORITY[c] > PRIORITY[top_cls] then top_cls = c end end
    local shape = #g.members > 1 and "circle" or M.SHAPES[g.members[1].market]
    local pg = svg.el("g", { id = id_prefix .. util.squash(g.members[1].id), class = "point",
      ["data-tpp"] = svg.num(g.tpp, 1), ["data-pd"] = svg.num(g.pd, 3), ["data-class"] = top_cls,
      ["data-count"] = #g.members })
    pg:add(svg.el("title", nil, point_title(g, rule_id)))
    pg:add(svg.marker(shape, p.px, p.py, p.r, { class = "pt pt-" .. top_cls }))
    if #g.members > 1 then
      pg:add(svg.el("text", { x = p.px, y = p.py + 3.2, class = "count", ["text-anchor"] = "middle" },
        tostring(#g.members)))
    end
    for _, mbr in ipairs(g.members) do
      if mbr.highlight then
        pg:add(svg.marker("star", p.px + p.r + 4, p.py - p.r - 3, 4, { class = "highlight" }))
      end
    end
    markers:add(pg)
  end
  local crowded = 0
  for _, it in ipairs(items) do
    local p, b = it.p, it.box
    if it.leader then
      local nx, ny = nearest_on_box(b, p.px, p.py)
      local dx, dy = nx - p.px, ny - p.py
      local len = math.sqrt(dx * dx + dy * dy)
      if len > p.r + 1 then
        leaders:add(svg.el("line", { x1 = p.px + dx / len * (p.r + 1), y1 = p.py + dy / len * (p.r + 1),
          x2 = nx, y2 = ny, class = "leader" }))
      end
    end
    if it.crowded then crowded = crowded + 1 end
    labels:add(svg.text({ x = b[1] + 1, y = b[4] - 2.5, class = "ptlabel", ["font-size"] = size },
      { p.name_text .. " ", { p.num_text, { class = "num" } } }))
  end
  return crowded
end

-- The magnified window: the crowd of chips around TPP 4,800 / PD 6.
M.DETAIL = { x0 = 3800, x1 = 7000, y0 = 3.8, y1 = 10.5 }

--- tpp.chart.map(opts) -> svg text, info.
-- opts: rules (id), as_of (YYYY-MM-DD, default today), chips (list of names,
-- comma lists or chip tables; default the database), highlight (list of
-- names drawn as stars), boxes = { dc, non_dc, meta } to draw given boxes,
-- detail (false to leave out the magnified inset).
function M.map(opts)
  opts = opts or {}
  local as_of = opts.as_of or dest.today()
  local okd, msg = dest.check_date(as_of)
  if not okd then error("tpp chart: --as-of: " .. msg, 0) end
  local boxes_dc, boxes_ndc, meta
  if opts.boxes then
    boxes_dc, boxes_ndc, meta = opts.boxes[1], opts.boxes[2] or opts.boxes[1], opts.boxes[3] or {}
  else
    boxes_dc, boxes_ndc, meta = M.boxes(opts.rules, as_of, "tpp", "pd")
  end
  local rule_id = meta.id or opts.rules or "?"

  -- canvas and main plot
  local W, H = 1120, 770
  local PL, PR, PT, PB = 84, 804, 122, 626
  local B = { PL, PT, PR, PB }
  local XMIN, XMAX, YMIN, YMAX = 100, 2e5, 0.1, 100
  local x = svg.log_scale(XMIN, XMAX, PL, PR)
  local y = svg.log_scale(YMIN, YMAX, PB, PT)

  -- chips -> groups of identical coordinates
  local chips = resolve_chips(opts.chips)
  local highlight = {}
  for _, c in ipairs(resolve_chips(opts.highlight or {})) do highlight[c.data.id or c.data.name] = true end
  local groups, by_key, unknown_pd, unknown_tpp, outside = {}, {}, {}, {}, {}
  for _, c in ipairs(chips) do
    local m = c:metrics()
    local id = c.data.id or c.data.name or "chip"
    if m.tpp == nil then
      unknown_tpp[#unknown_tpp + 1] = M.short_name(c)
    elseif m.pd == nil then
      unknown_pd[#unknown_pd + 1] = ("%s (TPP %s)"):format(M.short_name(c), fmt_tpp(m.tpp))
    else
      local cls, bx = M.classify_point(c.data.datacenter == false and boxes_ndc or boxes_dc, m.tpp, m.pd)
      local key = ("%.6g|%.6g"):format(m.tpp, m.pd)
      local g = by_key[key]
      if not g then
        g = { tpp = m.tpp, pd = m.pd, members = {}, classes = {} }
        by_key[key] = g
        groups[#groups + 1] = g
      end
      g.members[#g.members + 1] = { chip = c, id = id, name = M.short_name(c), cls = cls, box = bx,
        market = market_of(c), m = m, highlight = highlight[id] }
      g.classes[cls] = true
      if m.tpp < XMIN or m.tpp > XMAX or m.pd < YMIN or m.pd > YMAX then
        outside[#outside + 1] = ("%s (TPP %s, PD %s)"):format(M.short_name(c), fmt_tpp(m.tpp), svg.label(m.pd))
      end
    end
  end
  table.sort(unknown_pd)
  table.sort(unknown_tpp)

  local doc = svg.document {
    width = W, height = H, css = CSS, background = "#ffffff",
    title = ("3A090 threshold map: TPP x performance density under %s, as of %s"):format(rule_id, as_of),
    desc = ("tpp chart map. Rule version: %s (%s)%s. As of %s. %s. Axes: x = TPP (log), y = performance " ..
      "density = TPP / applicable die area in mm2 (log). H100e basis: TPP / 15,832 (H100 SXM). Chip figures: " ..
      "tpp's chip database (vendor datasheets, reported and derived figures, each with provenance). Sources: " ..
      "88 FR 73458 (3A090.a/.b thresholds), 91 FR 1684 (TPP 21,000 China review line). %s"):format(
      rule_id, meta.status or "status unknown", meta.hash and (", hash " .. tostring(meta.hash)) or "", as_of,
      meta.source or "", M.DISCLAIMER),
  }
  local clip = doc:clip_rect("plot-clip", PL, PT, PR - PL, PB - PT)
  doc:def(svg.el("pattern", { id = "hatch-licence", width = 7, height = 7, patternUnits = "userSpaceOnUse",
    patternTransform = "rotate(45)" }, { svg.el("line", { x1 = 0, y1 = 0, x2 = 0, y2 = 7, class = "hatch" }) }))

  doc:add(svg.el("text", { x = PL, y = 30, class = "title" },
    "Where AI chips sit under the 3A090 thresholds (TPP x performance density)"))
  doc:add(svg.el("text", { x = PL, y = 49, class = "subtitle" },
    ("Rules %s (%s), datacenter items; as of %s; log-log axes; regions from %s."):format(rule_id,
      meta.status or "status unknown", as_of, meta.fallback and "built-in 3A090 boxes (rule engine not installed)"
        or "the compiled rule boxes")))

  -- regions
  local sorted = sorted_boxes(boxes_dc)
  local plot = svg.el("g", { ["clip-path"] = clip, class = "regions" })
  doc:add(plot)
  draw_regions(plot, sorted, x, y, B, true)
  local fixed = {} -- label obstacles: boxes of text already placed
  local pts = layout_points(groups, x, y, B, 5)
  -- the detail window and its inset (lower right, an empty part of the plot)
  local D = M.DETAIL
  local detail = opts.detail ~= false
  local IB = { 466, 382, PR - 8, PB - 8 }
  if detail then
    local n = 0
    for _, g in ipairs(groups) do
      if g.tpp >= D.x0 and g.tpp <= D.x1 and g.pd >= D.y0 and g.pd <= D.y1 then n = n + 1 end
    end
    detail = n > 1
  end
  if detail then fixed[#fixed + 1] = { IB[1] - 4, IB[2] - 4, IB[3] + 4, IB[4] + 4 } end
  -- clause names in a corner of each box's visible part that no marker covers
  for si, s in ipairs(sorted) do
    local b = s.b
    local x0, y0, x1, y1 = px_box(b, x, y, B)
    x0, y0, x1, y1 = math.max(x0, PL), math.max(y0, PT), math.min(x1, PR), math.min(y1, PB)
    if b.clause and s.c ~= "none" and x1 - x0 > 18 and y1 - y0 > 14 then
      local label = tostring(b.clause):gsub("^3A090%.", "")
      local w = svg.text_width(label, 10)
      local corners = {}
      for _, dx in ipairs({ 3, 16, 30, 46 }) do
        corners[#corners + 1] = { x0 + dx, y1 - 4 }
        corners[#corners + 1] = { x0 + dx, y0 + 12 }
      end
      for _, corner in ipairs(corners) do
        local bb = { corner[1] - 1, corner[2] - 9, corner[1] + w + 1, corner[2] + 2 }
        local free = bb[3] < x1 - 1
        for _, p in ipairs(pts) do
          if svg.overlaps(bb, { p.px - p.r, p.py - p.r, p.px + p.r, p.py + p.r }, 2) then free = false end
        end
        for _, f in ipairs(fixed) do if svg.overlaps(bb, f, 1) then free = false end end
        -- not where a box drawn later (another outcome) covers this one
        for k = si + 1, #sorted do
          if sorted[k].c ~= s.c then
            local a0, b0, a1, b1 = px_box(sorted[k].b, x, y, B)
            if svg.overlaps(bb, { a0, b0, a1, b1 }, 0) then free = false end
          end
        end
        if free then
          doc:add(svg.el("text", { x = corner[1], y = corner[2], class = "clause" }, label))
          fixed[#fixed + 1] = bb
          break
        end
      end
    end
  end

  -- grid
  local grid = svg.el("g", { class = "grid-lines" })
  doc:add(grid)
  for _, t in ipairs(x.ticks({ 1, 2, 3, 4, 5, 6, 7, 8, 9 })) do
    grid:add(svg.el("line", { x1 = x(t.value), y1 = PT, x2 = x(t.value), y2 = PB,
      class = t.major and "grid-major" or "grid" }))
  end
  for _, t in ipairs(y.ticks({ 1, 2, 3, 4, 5, 6, 7, 8, 9 })) do
    grid:add(svg.el("line", { x1 = PL, y1 = y(t.value), x2 = PR, y2 = y(t.value),
      class = t.major and "grid-major" or "grid" }))
  end

  -- lines of constant die area: PD = TPP / area, 45-degree-like diagonals on log-log
  local iso = svg.el("g", { ["clip-path"] = clip, class = "iso-area" })
  doc:add(iso)
  local angle = math.deg(math.atan((y(10) - y(1)) / (x(10) - x(1))))
  for _, area in ipairs({ 100, 400, 800, 1600 }) do
    iso:add(svg.el("line", { x1 = x(XMIN), y1 = y(XMIN / area), x2 = x(XMAX), y2 = y(XMAX / area), class = "iso" },
      { svg.el("title", nil, ("constant die area %s mm2: PD = TPP / %s"):format(svg.label(area), svg.label(area))) }))
    local pd_at = math.min(62, XMAX * 0.6 / area)
    local lx, ly = x(pd_at * area), y(pd_at)
    local text = svg.label(area) .. " mm²"
    doc:add(svg.el("text", { x = lx, y = ly - 3, class = "isolabel", ["text-anchor"] = "middle",
      transform = ("rotate(%s %s %s)"):format(svg.num(angle), svg.num(lx), svg.num(ly)) }, text))
    local half = svg.text_width(text, 9.5) / 2
    fixed[#fixed + 1] = { lx - half * 0.8 - 4, ly - half * 0.62 - 9, lx + half * 0.8 + 4, ly + half * 0.62 }
  end

  -- threshold guides
  local guides = svg.el("g", { class = "guides" })
  doc:add(guides)
  for _, g in ipairs({ { 1600, "TPP 1,600" }, { 2400, "TPP 2,400" }, { 4800, "TPP 4,800" } }) do
    local px = x(g[1])
    guides:add(svg.el("line", { x1 = px, y1 = PT, x2 = px, y2 = PB, class = "guide" }, { svg.el("title", nil, g[2]) }))
    local ty = PB - 44
    doc:add(svg.el("text", { x = px - 3, y = ty, class = "guidelabel",
      transform = ("rotate(-90 %s %s)"):format(svg.num(px - 3), svg.num(ty)) }, g[2]))
    fixed[#fixed + 1] = { px - 14, ty - svg.text_width(g[2], 10, true), px - 2, ty }
  end
  do -- the January-2026 China review line, labelled at the top
    local px = x(21000)
    guides:add(svg.el("line", { x1 = px, y1 = PT, x2 = px, y2 = PB, class = "guide-2026" },
      { svg.el("title", nil, "TPP 21,000: with total DRAM bandwidth < 6,500 GB/s, case-by-case review for " ..
        "exports from the US to China/Macau (91 FR 1684, 2026-01-15)") }))
    local text = "TPP 21,000"
    doc:add(svg.el("text", { x = px + 4, y = PT + 13, class = "guidelabel-2026" }, text))
    fixed[#fixed + 1] = { px + 3, PT + 3, px + 5 + svg.text_width(text, 10, true), PT + 15 }
  end
  for _, g in ipairs({ { 1.6, "PD 1.6" }, { 3.2, "PD 3.2" }, { 5.92, "PD 5.92" } }) do
    local py = y(g[1])
    guides:add(svg.el("line", { x1 = PL, y1 = py, x2 = PR, y2 = py, class = "guide" }, { svg.el("title", nil, g[2]) }))
    doc:add(svg.el("text", { x = PL + 6, y = py - 4, class = "guidelabel" }, g[2]))
    fixed[#fixed + 1] = { PL + 5, py - 14, PL + 7 + svg.text_width(g[2], 10, true), py - 1 }
  end

  -- region names in open space
  local function region_label(text, tx, ty, anchor, cls)
    local w = svg.text_width(text, 13, true)
    local x0 = anchor == "end" and tx - w or tx
    doc:add(svg.el("text", { x = tx, y = ty, class = "regionlabel", fill = M.CLASSES[cls].color,
      ["text-anchor"] = anchor }, text))
    fixed[#fixed + 1] = { x0, ty - 12, x0 + w, ty + 3 }
  end
  region_label("not controlled", PL + 8, PB - 14, "start", "none")

  doc:add(svg.el("rect", { x = PL, y = PT, width = PR - PL, height = PB - PT, class = "frame" }))

  -- axes: TPP (bottom), PD (left), datasheet units (top)
  local axes = svg.el("g", { class = "axes" })
  doc:add(axes)
  for _, t in ipairs(x.ticks()) do
    local px = x(t.value)
    axes:add(svg.el("line", { x1 = px, y1 = PB, x2 = px, y2 = PB + (t.major and 6 or 4), class = "tick" }))
    axes:add(svg.el("text", { x = px, y = PB + 18, class = "ticklabel", ["text-anchor"] = "middle" },
      svg.label(t.value)))
  end
  axes:add(svg.el("text", { x = (PL + PR) / 2, y = PB + 40, class = "axistitle", ["text-anchor"] = "middle" },
    "TPP: total processing performance = 2 x dense MacTOPS x bit length (max over precisions)"))
  for _, t in ipairs(y.ticks()) do
    local py = y(t.value)
    axes:add(svg.el("line", { x1 = PL - (t.major and 6 or 4), y1 = py, x2 = PL, y2 = py, class = "tick" }))
    axes:add(svg.el("text", { x = PL - 9, y = py + 3.5, class = "ticklabel", ["text-anchor"] = "end" },
      svg.label(t.value)))
  end
  local ymid = (PT + PB) / 2
  axes:add(svg.el("text", { x = 22, y = ymid, class = "axistitle", ["text-anchor"] = "middle",
    transform = ("rotate(-90 22 %s)"):format(svg.num(ymid)) },
    "performance density PD = TPP / applicable die area (mm²)"))
  local fp16 = svg.log_scale(XMIN / 16, XMAX / 16, PL, PR)
  for _, t in ipairs(fp16.ticks()) do
    local px = fp16(t.value)
    axes:add(svg.el("line", { x1 = px, y1 = PT - 5, x2 = px, y2 = PT, class = "tick" }))
    axes:add(svg.el("text", { x = px, y = PT - 8, class = "ticklabel2", ["text-anchor"] = "middle" },
      svg.label(t.value)))
    axes:add(svg.el("text", { x = px, y = PT - 21, class = "ticklabel2", ["text-anchor"] = "middle" },
      svg.label(t.value * 2)))
  end
  axes:add(svg.el("text", { x = PL - 9, y = PT - 8, class = "ticklabel2", ["text-anchor"] = "end" }, "FP16 TFLOPS"))
  axes:add(svg.el("text", { x = PL - 9, y = PT - 21, class = "ticklabel2", ["text-anchor"] = "end" }, "8-bit TOPS"))
  axes:add(svg.el("text", { x = (PL + PR) / 2, y = PT - 38, class = "axisnote", ["text-anchor"] = "middle" },
    "datasheet units (dense): TPP / 16 = FP16 TFLOPS, TPP / 8 = 8-bit TOPS (BIS example: 4,800 = 300 FP16 " ..
    "TFLOPS = 600 INT8 TOPS)"))

  local wx0, wy0, wx1, wy1 = x(D.x0), y(D.y1), x(D.x1), y(D.y0)
  if detail then
    region_label("3A090.a: licence required", PR - 8, IB[2] - 30, "end", "licence")
    fixed[#fixed + 1] = { wx0 - 1, wy0 - 1, wx1 + 1, wy1 + 1 }
  else
    region_label("3A090.a: licence required", PR - 8, PB - 14, "end", "licence")
  end

  -- main points (those in the detail window are labelled in the inset)
  if detail then
    for _, p in ipairs(pts) do
      if p.g.tpp >= D.x0 and p.g.tpp <= D.x1 and p.g.pd >= D.y0 and p.g.pd <= D.y1 then p.no_label = true end
    end
  end
  local obstacles = {}
  for _, b in ipairs(fixed) do obstacles[#obstacles + 1] = { box = b } end
  local layer = svg.el("g", { class = "points" })
  doc:add(layer)
  local connector = detail and { wx1, wy1, IB[1], IB[2] } or nil
  local crowded = draw_points(layer, pts, obstacles, B, rule_id, "pt-", 10.5, { connector })

  if detail then
    local ix = svg.log_scale(D.x0, D.x1, IB[1], IB[3])
    local iy = svg.log_scale(D.y0, D.y1, IB[4], IB[2])
    local inset = svg.el("g", { class = "detail" })
    doc:add(inset)
    -- window in the main plot, connectors to the inset
    inset:add(svg.el("rect", { x = wx0, y = wy0, width = wx1 - wx0, height = wy1 - wy0, fill = "none",
      stroke = "#333", ["stroke-width"] = 1, ["stroke-dasharray"] = "3 2" }))
    inset:add(svg.el("line", { x1 = wx1, y1 = wy1, x2 = IB[1], y2 = IB[2], class = "leader" }))
    local iclip = doc:clip_rect("detail-clip", IB[1], IB[2], IB[3] - IB[1], IB[4] - IB[2])
    local ireg = svg.el("g", { ["clip-path"] = iclip })
    inset:add(svg.el("rect", { x = IB[1] - 3, y = IB[2] - 3, width = IB[3] - IB[1] + 6, height = IB[4] - IB[2] + 6,
      fill = "#ffffff", stroke = "#333", ["stroke-width"] = 1 }))
    inset:add(ireg)
    draw_regions(ireg, sorted, ix, iy, IB, false)
    local igrid = svg.el("g", { ["clip-path"] = iclip })
    inset:add(igrid)
    local iobst = {}
    for _, v in ipairs({ 4000, 5000, 6000, 7000 }) do
      igrid:add(svg.el("line", { x1 = ix(v), y1 = IB[2], x2 = ix(v), y2 = IB[4], class = "grid" }))
      if v < D.x1 then
        inset:add(svg.el("text", { x = ix(v) + 2, y = IB[4] - 3, class = "ticklabel2" }, svg.label(v)))
        iobst[#iobst + 1] = { ix(v) + 1, IB[4] - 12, ix(v) + 3 + svg.text_width(svg.label(v), 9.5), IB[4] }
      end
    end
    for _, v in ipairs({ 4, 5, 6, 8, 10 }) do
      igrid:add(svg.el("line", { x1 = IB[1], y1 = iy(v), x2 = IB[3], y2 = iy(v), class = "grid" }))
      inset:add(svg.el("text", { x = IB[1] + 3, y = iy(v) - 2, class = "ticklabel2" }, svg.label(v)))
      iobst[#iobst + 1] = { IB[1] + 2, iy(v) - 11, IB[1] + 4 + svg.text_width(svg.label(v), 9.5), iy(v) }
    end
    igrid:add(svg.el("line", { x1 = ix(4800), y1 = IB[2], x2 = ix(4800), y2 = IB[4], class = "guide" }))
    igrid:add(svg.el("line", { x1 = IB[1], y1 = iy(5.92), x2 = IB[3], y2 = iy(5.92), class = "guide" }))
    local cap = ("detail: TPP %s-%s, PD %s-%s"):format(svg.label(D.x0), svg.label(D.x1), svg.label(D.y0),
      svg.label(D.y1))
    inset:add(svg.el("text", { x = IB[3] - 4, y = IB[2] + 12, class = "legend-small", ["text-anchor"] = "end",
      ["font-weight"] = "bold" }, cap))
    local cw = svg.text_width(cap, 9.5, true)
    iobst[#iobst + 1] = { IB[3] - 6 - cw, IB[2] + 1, IB[3], IB[2] + 15 }
    local ipts = layout_points(groups, ix, iy, IB, 5)
    local iobstacles = {}
    for _, b in ipairs(iobst) do iobstacles[#iobstacles + 1] = { box = b } end
    crowded = crowded + draw_points(inset, ipts, iobstacles, IB, rule_id, "detail-", 10)
  end

  -- legend panel
  local LX, LY, LW = 834, PT - 2, W - 834 - 10
  local legend = svg.el("g", { class = "legend-panel" })
  doc:add(legend)
  local ly = LY + 18
  local panel = svg.el("rect", { x = LX, y = LY, width = LW, height = 10, rx = 4, class = "panel" })
  legend:add(panel)
  local function ltitle(t)
    legend:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, t))
    ly = ly + 16
  end
  local function lrow(draw, text)
    draw(LX + 18, ly - 4)
    local lines = wrap_px(text, LW - 44, 10.5)
    for i, line in ipairs(lines) do
      legend:add(svg.el("text", { x = LX + 34, y = ly + (i - 1) * 12, class = "legend" }, line))
    end
    ly = ly + 12 * #lines + 5
  end
  ltitle("Regions (datacenter items)")
  for _, c in ipairs({ "licence", "nac", "none" }) do
    lrow(function(px, py)
      legend:add(svg.el("rect", { x = px - 8, y = py - 6, width = 16, height = 12, class = "region-" .. c,
        stroke = "#888", ["stroke-width"] = 0.5 }))
      if c == "licence" then
        legend:add(svg.el("rect", { x = px - 8, y = py - 6, width = 16, height = 12, fill = "url(#hatch-licence)" }))
      end
    end, M.CLASSES[c].label)
  end
  ly = ly + 4
  ltitle("Chips: colour = outcome")
  for _, c in ipairs({ "licence", "nac", "none" }) do
    lrow(function(px, py) legend:add(svg.marker("circle", px, py, 5, { class = "pt pt-" .. c })) end,
      ({ licence = "licence required", nac = "NAC/ACA-eligible", none = "not controlled" })[c])
  end
  ly = ly + 4
  ltitle("Chips: shape = market")
  for _, mk in ipairs({ "global", "china-sku", "prc", "consumer" }) do
    lrow(function(px, py) legend:add(svg.marker(M.SHAPES[mk], px, py, 5, { class = "pt", fill = "#ffffff" })) end,
      M.MARKET_LABELS[mk])
  end
  lrow(function(px, py)
    legend:add(svg.marker("circle", px, py, 7.5, { class = "pt", fill = "#777777" }))
    legend:add(svg.el("text", { x = px, y = py + 3.2, class = "count", ["text-anchor"] = "middle" }, "3"))
  end, "identical TPP and PD: one marker, count inside")
  if next(highlight) then
    lrow(function(px, py) legend:add(svg.marker("star", px, py, 4, { class = "highlight" })) end, "highlighted chip")
  end
  ly = ly + 4
  ltitle("Lines")
  lrow(function(px, py)
    legend:add(svg.el("line", { x1 = px - 10, y1 = py, x2 = px + 10, y2 = py, class = "guide" }))
  end,
    "3A090 thresholds (TPP, PD)")
  lrow(function(px, py)
    legend:add(svg.el("line", { x1 = px - 10, y1 = py, x2 = px + 10, y2 = py, class = "guide-2026" }))
  end, "TPP 21,000: China/Macau review line of 91 FR 1684 (with DRAM < 6,500 GB/s)")
  lrow(function(px, py)
    legend:add(svg.el("line", { x1 = px - 10, y1 = py + 5, x2 = px + 10, y2 = py - 5, class = "iso" }))
  end, "constant die area: PD = TPP / area")
  -- entries do not break across lines: spaces inside an entry are no-break spaces
  local function keep(list)
    local out = {}
    for i, e in ipairs(list) do out[i] = e:gsub(" ", "\194\160") end
    return out
  end
  local notes = {}
  if #unknown_pd > 0 then
    notes[#notes + 1] = "PD unknown (no applicable die area), not plotted: " .. table.concat(keep(unknown_pd), ", ") .. "."
  end
  if #unknown_tpp > 0 then
    notes[#notes + 1] = "TPP unknown, not plotted: " .. table.concat(keep(unknown_tpp), ", ") .. "."
  end
  if #outside > 0 then notes[#notes + 1] = "Outside the axes: " .. table.concat(keep(outside), ", ") .. "." end
  if #notes > 0 then
    ly = ly + 4
    ltitle("Not on the chart")
    for _, n in ipairs(notes) do
      for _, line in ipairs(wrap_px(n, LW - 20, 9.5)) do
        legend:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-small" }, line))
        ly = ly + 11.5
      end
      ly = ly + 4
    end
  end
  panel.attrs.height = ly - LY

  -- footnote
  local foot = {
    ("Rule version %s (%s)%s; as of %s; %s."):format(rule_id, meta.status or "status unknown",
      meta.hash and (", rule-file hash " .. tostring(meta.hash):sub(1, 12)) or "", as_of, meta.source or ""),
    "Sources: 3A090.a/.b thresholds of 88 FR 73458 (in force; unchanged in the eCFR of 2026-07-23) [secondary]; " ..
      "TPP 21,000 line of 91 FR 1684 [primary]; chip figures from tpp's database with provenance (vendor " ..
      "datasheets, reported and derived figures: 'tpp show CHIP'). Points are coloured by the boxes they fall in; " ..
      "not-datacenter chips use the Note 2 boxes (outside 3A090 below TPP 4,800, NAC/ACA-eligible above). " ..
      "Labels: short name and TPP.",
    M.DISCLAIMER,
  }
  local fy = math.max(PB + 66, ly + 16)
  for _, para in ipairs(foot) do
    for _, line in ipairs(wrap_px(para, W - PL - 20, 9.5)) do
      doc:add(svg.el("text", { x = PL, y = fy, class = "foot" }, line))
      fy = fy + 12
    end
  end
  doc:resize(W, math.ceil(fy + 6))

  local info = { rules = rule_id, rules_status = meta.status, as_of = as_of, fallback = meta.fallback or false,
    plotted = {}, unknown_pd = unknown_pd, unknown_tpp = unknown_tpp, outside = outside,
    crowded_labels = crowded, source = meta.source, detail = detail }
  for _, g in ipairs(groups) do
    for _, mbr in ipairs(g.members) do
      info.plotted[#info.plotted + 1] = { id = mbr.id, name = mbr.name, tpp = g.tpp, pd = g.pd, class = mbr.cls,
        clause = mbr.box and mbr.box.clause or nil, market = mbr.market, group_size = #g.members }
    end
  end
  return doc:render(), info
end

return M
