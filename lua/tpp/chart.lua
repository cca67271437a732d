--- tpp.chart: the charts of the field as deterministic SVG.
--
--   local chart = require "tpp.chart"
--   local svg_text, info = chart.map { rules = "us-2023-10", as_of = "2026-01-01" }
--
-- map: the 3A090 threshold map, TPP x performance density on log-log axes:
--   regions computed from the rule file's paragraphs (the compiled boxes of
--   the chosen version), its threshold lines and review-policy lines only,
--   lines of constant die area, datasheet-unit ticks, labelled chip points
--   (identical coordinates grouped), legend and a footnote with rule
--   version, as-of date, sources and the disclaimer.
-- bandwidth: DRAM x interconnect bandwidth under the April-2025 letter
--   criteria (reported-only) and TPP x DRAM bandwidth under the January-2026
--   China review policy, both with the numbers of their rule files.
-- timeline: the date each chip was announced (or first shipped) x TPP, with
--   the chosen version's TPP lines and the dates of the rule versions.
-- Every number a line is drawn at comes from a rule file (tpp.rules); a chip
-- is drawn where its own figures put it, whatever else is drawn.
local svg = require "tpp.svg"
local util = require "tpp.util"
local rules = require "tpp.rules"

local M = {}

M.DISCLAIMER = rules.DISCLAIMER

-- China-specific SKUs in the database: parts designed to sit under a US line
-- for the China market (each chip's notes and sources say so).
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
.region-denial{fill:#efc7d6}
.hatch{stroke:#D55E00;stroke-width:1;stroke-opacity:0.35}
.clause{font-size:10px;font-style:italic;fill:#6b3a1a;fill-opacity:0.85}
.regionlabel{font-size:13px;font-weight:bold;fill-opacity:0.75}
.guide{stroke:#222;stroke-width:1.1;stroke-dasharray:6 4;fill:none}
.guide-2026{stroke:#7b3294;stroke-width:1.1;stroke-dasharray:2 3;fill:none}
.guidelabel{font-size:10px;fill:#222;font-weight:bold;paint-order:stroke;stroke:#ffffff;stroke-width:3px}
.guidelabel-2026{font-size:10px;fill:#7b3294;font-weight:bold;paint-order:stroke;stroke:#ffffff;stroke-width:3px}
.iso{stroke:#6d6d6d;stroke-width:0.9;stroke-dasharray:1.5 3;fill:none}
.isolabel{font-size:9.5px;fill:#555;font-style:italic;paint-order:stroke;stroke:#ffffff;stroke-width:3px}
.pt{stroke:#1a1a1a;stroke-width:0.9}
.pt-licence{fill:#D55E00}
.pt-nac{fill:#E69F00}
.pt-none{fill:#0072B2}
.pt-unknown{fill:#8C8C8C}
.pt-other{fill:#CC79A7}
.pt-denial{fill:#882255}
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
.highlight{stroke:#000;stroke-width:1.6}
.ptnum{font-weight:bold}
]]

-- ------------------------------------------------------------- boxes ----

local INF = math.huge

local function today() return os.date("!%Y-%m-%d") end

local function check_date(s)
  local ok, msg = util.check_date(s)
  if not ok then error("tpp chart: --as-of: " .. msg, 0) end
  return s
end

-- Classify a box's outcome into a drawing class.
local function class_of_box(b)
  local o = tostring(b.outcome or ""):lower()
  if o:find("nac", 1, true) or o:find("exception", 1, true) then return "nac" end
  if o:find("not", 1, true) or o:find("exclu", 1, true) then return "none" end
  if o:find("undetermined", 1, true) then return "unknown" end
  if o:find("control", 1, true) or o:find("licen", 1, true) or o:find("cover", 1, true) then
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

local PRIORITY = { denial = 5, licence = 4, nac = 3, other = 2, unknown = 1, none = 0 }

--- Drawing class of a tpp.rules.classify result.
function M.class_of_result(r)
  if r.status == "not-controlled" then return "none" end
  if r.status ~= "controlled" then return "unknown" end
  local o = tostring(r.outcome or ""):lower()
  if o:find("nac", 1, true) or o:find("exception", 1, true) then return "nac" end
  return "licence"
end

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

--- Boxes for a map: the regions of rule version rules_id (default: the one
-- in force on as_of) projected on x_metric x y_metric (v:boxes). Returns
-- boxes_dc, boxes_non_dc (classification paragraphs only) and meta = { id,
-- status, hash, title, citation, file, version, policy (the review-policy
-- boxes for datacenter items), source (a sentence for footnotes) }.
function M.boxes(rules_id, as_of, x_metric, y_metric)
  x_metric, y_metric = x_metric or "tpp", y_metric or "pd"
  local ok, v
  if rules_id then ok, v = pcall(rules.get, rules_id) else ok, v = pcall(rules.at, as_of) end
  if not ok then error("tpp chart: " .. tostring(v):gsub("^tpp[%.%w]*: ", ""), 0) end
  local okb, dc = pcall(v.boxes, v, x_metric, y_metric, { datacenter = true })
  if not okb then
    error(("tpp chart: %s has no %s x %s regions to draw (%s)"):format(v.id, x_metric, y_metric,
      tostring(dc):gsub("^tpp[%.%w]*: ", "")), 0)
  end
  local okn, ndc = pcall(v.boxes, v, x_metric, y_metric, { datacenter = false })
  if not okn then ndc = dc end
  -- classification paragraphs are regions; review-policy paragraphs (role "policy", e.g. the
  -- 91 FR 1684 case-by-case test) say how an application is reviewed, and are drawn as lines
  local function split(list)
    local classify, policy = {}, {}
    for _, b in ipairs(list) do
      if b.role == "policy" then policy[#policy + 1] = b else classify[#classify + 1] = b end
    end
    return classify, policy
  end
  local classify_dc, policy_dc = split(dc)
  local classify_ndc = split(ndc)
  return classify_dc, classify_ndc, { id = v.id, status = v:status_at(as_of), hash = v.hash, title = v.title,
    citation = v.citation, file = v.file, version = v, policy = policy_dc,
    source = ("regions and lines computed from the rule file %s (sha256 %s)"):format(tostring(v.file or v.id),
      tostring(v.hash):sub(1, 12)) }
end

--- A condition of a box (metric, operator, number) in words ("DRAM bandwidth < N GB/s").
function M.condition_text(c)
  local metric, op, value = tostring(c):match("^(%S+)%s+(%S+)%s+(%S+)$")
  local m = metric and require("tpp.rules.metrics").lookup(metric)
  if not m then return tostring(c) end
  local n = tonumber(value)
  return ("%s %s %s%s"):format(m.short or m.title or metric, op, n and svg.label(n) or value,
    m.unit and m.unit ~= "" and (" " .. m.unit) or "")
end

local function conditions_text(list)
  local out = {}
  for i, c in ipairs(list or {}) do out[i] = M.condition_text(c) end
  return table.concat(out, ", ")
end

--- The lines a version draws on an axis: every finite edge of its boxes,
-- sorted (a box with an off-axis condition still has its on-axis edges).
function M.edges(boxes, axis)
  local seen, out = {}, {}
  for _, b in ipairs(boxes) do
    local iv = b[axis]
    for _, v in ipairs({ iv and iv.lo, iv and iv.hi }) do
      if v and v ~= INF and v ~= -INF and not seen[v] then
        seen[v] = true
        out[#out + 1] = v
      end
    end
  end
  table.sort(out)
  return out
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

-- Footnote sentences for the points labelled by a number, and those with no label at all.
local function numbered_notes(list)
  local keys, hidden = {}, {}
  for _, e in ipairs(list) do
    if e.hidden then hidden[#hidden + 1] = e.text:gsub(" ", "\194\160")
    else keys[#keys + 1] = (e.num .. " " .. e.text):gsub(" ", "\194\160") end
  end
  local out = {}
  if #keys > 0 then out[#out + 1] = "Numbered points (no room for a label): " .. table.concat(keys, ", ") .. "." end
  if #hidden > 0 then
    out[#out + 1] = "Points without a label (no room even for a number): " .. table.concat(hidden, ", ") .. "."
  end
  return out
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
  local out, chain, seen = {}, nil, {}
  local unique = {}
  for _, n in ipairs(names) do
    if not seen[n] then seen[n] = true; unique[#unique + 1] = n end -- two variants with one short name
  end
  names = unique
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
    local gx, gy = g.xv or g.tpp, g.yv or g.pd
    if gx >= xlo and gx <= xhi and gy >= ylo and gy <= yhi then
      out[#out + 1] = { g = g, px = xs(gx), py = ys(gy), r = #g.members > 1 and radius + 2.5 or radius }
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
      mbr.result and ((mbr.result.governing and (mbr.result.governing .. ", ") or "") ..
        tostring(mbr.result.outcome_text or mbr.result.status))
      or (mbr.box and ((mbr.box.clause or mbr.box.eccn or "") .. " " .. (mbr.box.outcome or "")) or "not controlled"),
      rule_id, mbr.highlight and " (highlighted)" or "")
  end
  return table.concat(tips, "\n")
end

-- Draw markers (and, where labelled, labels with leader lines) for laid-out points.
-- style (optional): title(g) -> tooltip text, number(g) -> text after the
-- name (default TPP), attrs(g) -> extra data attributes.
-- numbering (optional, shared by the plots of one chart): { list = {} }; a
-- point whose label finds no free place gets a number instead, listed there.
-- Returns the number of labels that could be placed neither way.
local function draw_points(parent, pts, obstacles, B, rule_id, id_prefix, size, segments, style, numbering)
  style = style or {}
  numbering = numbering or { list = {} }
  local items = {}
  for i, p in ipairs(pts) do
    local r = p.r
    for _, mbr in ipairs(p.g.members) do
      if mbr.highlight then r = math.ceil((p.r + 2) * 1.5) end -- the star over the marker reaches 1.5 x its radius
    end
    p.hr = r
    obstacles[#obstacles + 1] = { box = { p.px - r - 1, p.py - r - 1, p.px + r + 1, p.py + r + 1 }, owner = i }
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
  local bounds = { B[1] + 2, B[2] + 2, B[3] - 2, B[4] - 2 }
  for _, p in ipairs(placing) do
    local names = {}
    for _, mbr in ipairs(p.g.members) do names[#names + 1] = mbr.name end
    p.name_text = M.group_label(names)
    if style.number then p.num_text = style.number(p.g) else p.num_text = fmt_tpp(p.g.tpp) end
    local w = svg.text_width(p.name_text .. (p.num_text and (" " .. p.num_text) or ""), size)
    items[#items + 1] = { x = p.px, y = p.py, r = p.hr, w = w + 2, h = size + 1.5, p = p, owner = p.index }
  end
  place_labels(items, obstacles, bounds, segments)
  -- labels with no free place: the name alone, then a number (each placed in a further
  -- pass around the labels that did fit; numbers are explained in the footnote)
  local placed, short = {}, {}
  local function around(list)
    local obst = {}
    for _, o in ipairs(obstacles) do obst[#obst + 1] = o end
    for _, it in ipairs(list) do obst[#obst + 1] = { box = it.box } end
    return obst
  end
  local retry = {}
  for _, it in ipairs(items) do
    if it.crowded and it.p.num_text then
      retry[#retry + 1] = { x = it.x, y = it.y, r = it.r, w = svg.text_width(it.p.name_text, size) + 2,
        h = it.h, p = it.p, owner = it.owner, name_only = true }
    elseif it.crowded then short[#short + 1] = it else placed[#placed + 1] = it end
  end
  if #retry > 0 then
    place_labels(retry, around(placed), bounds, segments)
    for _, it in ipairs(retry) do
      if it.crowded then short[#short + 1] = it else
        it.p.num_text = nil
        placed[#placed + 1] = it
      end
    end
  end
  local unplaced = 0
  if #short > 0 then
    local obst2 = around(placed)
    local items2 = {}
    for _, it in ipairs(short) do
      local num = #numbering.list + 1
      numbering.list[num] = { num = num, text = it.p.name_text .. (it.p.num_text and (" " .. it.p.num_text) or "") }
      it.p.name_text, it.p.num_text = tostring(num), nil
      items2[#items2 + 1] = { x = it.x, y = it.y, r = it.r, w = svg.text_width(tostring(num), size, true) + 2,
        h = size + 1.5, p = it.p, owner = it.owner, numbered = true }
    end
    place_labels(items2, obst2, bounds, segments)
    for _, it in ipairs(items2) do
      if it.crowded then
        -- no room even for a number: no label (never one drawn over another); listed as such
        unplaced = unplaced + 1
        numbering.list[tonumber(it.p.name_text)].hidden = true
      else
        placed[#placed + 1] = it
      end
    end
  end
  items = placed

  local leaders, markers, stars, labels = svg.el("g", {}), svg.el("g", {}), svg.el("g", {}), svg.el("g", {})
  parent:add(leaders)
  parent:add(markers)
  parent:add(stars)
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
    local pattrs = { id = id_prefix .. util.squash(g.members[1].id), class = "point", ["data-class"] = top_cls,
      ["data-count"] = #g.members }
    if style.attrs then
      for k, v in pairs(style.attrs(g)) do pattrs[k] = v end
    else
      pattrs["data-tpp"], pattrs["data-pd"] = svg.num(g.tpp, 1), svg.num(g.pd, 3)
    end
    local pg = svg.el("g", pattrs)
    pg:add(svg.el("title", nil, style.title and style.title(g) or point_title(g, rule_id)))
    pg:add(svg.marker(shape, p.px, p.py, p.r, { class = "pt pt-" .. top_cls }))
    local starred = false
    for _, mbr in ipairs(g.members) do starred = starred or mbr.highlight end
    if starred then
      -- the star sits on the point itself, over its marker, in the point's colour
      stars:add(svg.marker("star", p.px, p.py, p.r + 2, { class = "highlight pt-" .. top_cls,
        ["data-star"] = pattrs.id }))
    end
    if #g.members > 1 then
      (starred and stars or pg):add(svg.el("text", { x = p.px, y = p.py + 3.2, class = "count",
        ["text-anchor"] = "middle" }, tostring(#g.members)))
    end
    markers:add(pg)
  end
  for _, it in ipairs(items) do
    local p, b = it.p, it.box
    if it.leader then
      local nx, ny = nearest_on_box(b, p.px, p.py)
      local dx, dy = nx - p.px, ny - p.py
      local len = math.sqrt(dx * dx + dy * dy)
      if len > p.hr + 1 then
        leaders:add(svg.el("line", { x1 = p.px + dx / len * (p.hr + 1), y1 = p.py + dy / len * (p.hr + 1),
          x2 = nx, y2 = ny, class = "leader" }))
      end
    end
    if it.numbered then
      labels:add(svg.el("text", { x = b[1] + 1, y = b[4] - 2.5, class = "ptlabel ptnum", ["font-size"] = size },
        p.name_text))
    elseif p.num_text then
      labels:add(svg.text({ x = b[1] + 1, y = b[4] - 2.5, class = "ptlabel", ["font-size"] = size },
        { p.name_text .. " ", { p.num_text, { class = "num" } } }))
    else
      labels:add(svg.el("text", { x = b[1] + 1, y = b[4] - 2.5, class = "ptlabel", ["font-size"] = size },
        p.name_text))
    end
  end
  return unplaced
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
  local as_of = check_date(opts.as_of or today())
  local boxes_dc, boxes_ndc, meta
  if opts.boxes then
    boxes_dc, boxes_ndc, meta = opts.boxes[1], opts.boxes[2] or opts.boxes[1], opts.boxes[3] or {}
  else
    boxes_dc, boxes_ndc, meta = M.boxes(opts.rules, as_of, "tpp", "pd")
  end
  local rule_id = meta.id or opts.rules or "?"

  -- canvas and main plot
  local W, H = 1190, 770
  local PL, PR, PT, PB = 84, 804, 122, 626
  local B = { PL, PT, PR, PB }
  local XMIN, XMAX, YMIN, YMAX = 100, 2e5, 0.1, 100
  local x = svg.log_scale(XMIN, XMAX, PL, PR)
  local y = svg.log_scale(YMIN, YMAX, PB, PT)

  -- chips -> groups of identical coordinates
  local chips = resolve_chips(opts.chips)
  local highlight = {}
  for _, c in ipairs(resolve_chips(opts.highlight or {})) do highlight[c.data.id or c.data.name] = true end
  local groups, by_key, unknown_pd, unknown_tpp, outside, disagree = {}, {}, {}, {}, {}, {}
  for _, c in ipairs(chips) do
    local m = c:metrics()
    local id = c.data.id or c.data.name or "chip"
    if m.tpp == nil then
      unknown_tpp[#unknown_tpp + 1] = M.short_name(c)
    elseif m.pd == nil then
      unknown_pd[#unknown_pd + 1] = ("%s (TPP %s)"):format(M.short_name(c), fmt_tpp(m.tpp))
    else
      local cls, bx = M.classify_point(c.data.datacenter == false and boxes_ndc or boxes_dc, m.tpp, m.pd)
      local via
      if meta.version and not opts.boxes then
        -- the engine's own classification: it also sees tests off these axes (bandwidths, ...)
        local okc, r = pcall(rules.classify, c, { rules = meta.version, as_of = as_of })
        if okc and type(r) == "table" then
          local ec = M.class_of_result(r)
          if ec ~= cls then disagree[#disagree + 1] = id end
          cls, via = ec, r
        end
      end
      if m.tpp < XMIN or m.tpp > XMAX or m.pd < YMIN or m.pd > YMAX then
        -- not drawn at the frame's edge, where it would look like a chip with other figures
        outside[#outside + 1] = ("%s (TPP %s, PD %s)"):format(M.short_name(c), fmt_tpp(m.tpp), svg.label(m.pd))
      else
        local key = ("%.17g|%.17g"):format(m.tpp, m.pd)
        local g = by_key[key]
        if not g then
          g = { tpp = m.tpp, pd = m.pd, members = {}, classes = {} }
          by_key[key] = g
          groups[#groups + 1] = g
        end
        g.members[#g.members + 1] = { chip = c, id = id, name = M.short_name(c), cls = cls, box = bx,
          market = market_of(c), m = m, highlight = highlight[id], result = via }
        g.classes[cls] = true
      end
    end
  end
  table.sort(unknown_pd)
  table.sort(unknown_tpp)

  local doc = svg.document {
    width = W, height = H, css = CSS, background = "#ffffff",
    title = ("3A090 threshold map: TPP x performance density under %s, as of %s"):format(rule_id, as_of),
    desc = ("tpp chart map. Rule version: %s (%s; %s)%s. As of %s. %s. Axes: x = TPP (log), y = performance " ..
      "density = TPP / applicable die area in mm2 (log). Chip figures: tpp's chip database (vendor datasheets, " ..
      "reported and derived figures, each with provenance). %s"):format(
      rule_id, meta.status or "status unknown", meta.citation or "citation unknown",
      meta.hash and (", sha256 " .. tostring(meta.hash)) or "", as_of, meta.source or "", M.DISCLAIMER),
  }
  local clip = doc:clip_rect("plot-clip", PL, PT, PR - PL, PB - PT)
  doc:def(svg.el("pattern", { id = "hatch-licence", width = 7, height = 7, patternUnits = "userSpaceOnUse",
    patternTransform = "rotate(45)" }, { svg.el("line", { x1 = 0, y1 = 0, x2 = 0, y2 = 7, class = "hatch" }) }))

  doc:add(svg.el("text", { x = PL, y = 30, class = "title" },
    "Where AI chips sit on the TPP x performance-density thresholds"))
  doc:add(svg.el("text", { x = PL, y = 49, class = "subtitle" },
    ("Rules %s (%s on %s), datacenter items; log-log axes. Sources and notes below the chart."):format(rule_id,
      meta.status or "status unknown", as_of)))

  -- regions
  -- boxes whose test includes a metric off these axes (open conditions) are not regions of this map
  local drawn, off_axis = {}, {}
  for _, b in ipairs(boxes_dc) do
    if type(b.conditions) == "table" and #b.conditions > 0 then
      off_axis[#off_axis + 1] = ("%s (%s)"):format(tostring(b.clause or "?"), conditions_text(b.conditions))
    else
      drawn[#drawn + 1] = b
    end
  end
  local sorted = sorted_boxes(drawn)
  local plot = svg.el("g", { ["clip-path"] = clip, class = "regions" })
  doc:add(plot)
  draw_regions(plot, sorted, x, y, B, true)
  local fixed = {} -- label obstacles: boxes of text already placed
  local pts = layout_points(groups, x, y, B, 5)
  -- the detail window (its inset goes beside the plot, under the legend)
  local D = M.DETAIL
  local detail = opts.detail ~= false
  local IB
  if detail then
    local n = 0
    for _, g in ipairs(groups) do
      if g.tpp >= D.x0 and g.tpp <= D.x1 and g.pd >= D.y0 and g.pd <= D.y1 then n = n + 1 end
    end
    detail = n > 1
  end
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
  for _, area in ipairs({ 100, 400, 800, 1600 }) do -- literal-ok: die areas in mm2, not rule numbers
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

  -- threshold guides: the edges of the drawn regions (the version's own lines)
  local guides = svg.el("g", { class = "guides" })
  doc:add(guides)
  local x_lines, y_lines = M.edges(drawn, "x"), M.edges(drawn, "y")
  for _, v in ipairs(x_lines) do
    if v >= XMIN and v <= XMAX then
      local px, text = x(v), "TPP " .. fmt_tpp(v)
      guides:add(svg.el("line", { x1 = px, y1 = PT, x2 = px, y2 = PB, class = "guide" }, { svg.el("title", nil, text) }))
      local ty = PB - 44
      doc:add(svg.el("text", { x = px - 3, y = ty, class = "guidelabel",
        transform = ("rotate(-90 %s %s)"):format(svg.num(px - 3), svg.num(ty)) }, text))
      fixed[#fixed + 1] = { px - 14, ty - svg.text_width(text, 10, true), px - 2, ty }
    end
  end
  -- review-policy lines of this version (how licence applications are reviewed), labelled at the top
  local policy_lines = {}
  for _, b in ipairs(meta.policy or {}) do
    for _, v in ipairs(M.edges({ b }, "x")) do
      if not policy_lines[v] then
        policy_lines[v] = b
        policy_lines[#policy_lines + 1] = v
      end
    end
  end
  table.sort(policy_lines)
  for _, v in ipairs(policy_lines) do
    local b = policy_lines[v]
    if v >= XMIN and v <= XMAX then
      local px, text = x(v), "TPP " .. fmt_tpp(v)
      guides:add(svg.el("line", { x1 = px, y1 = PT, x2 = px, y2 = PB, class = "guide-2026" },
        { svg.el("title", nil, ("TPP %s: review policy of %s (%s)%s"):format(fmt_tpp(v), rule_id,
          tostring(b.clause), #b.conditions > 0 and (", with " .. conditions_text(b.conditions)) or "")) }))
      doc:add(svg.el("text", { x = px + 4, y = PT + 13, class = "guidelabel-2026" }, text))
      fixed[#fixed + 1] = { px + 3, PT + 3, px + 5 + svg.text_width(text, 10, true), PT + 15 }
    end
  end
  for _, v in ipairs(y_lines) do
    if v >= YMIN and v <= YMAX then
      local py, text = y(v), "PD " .. svg.label(v)
      guides:add(svg.el("line", { x1 = PL, y1 = py, x2 = PR, y2 = py, class = "guide" }, { svg.el("title", nil, text) }))
      doc:add(svg.el("text", { x = PL + 6, y = py - 4, class = "guidelabel" }, text))
      fixed[#fixed + 1] = { PL + 5, py - 14, PL + 7 + svg.text_width(text, 10, true), py - 1 }
    end
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
  local lic_name = "licence required"
  for _, srt in ipairs(sorted) do
    if srt.c == "licence" then
      lic_name = (srt.b.eccn and (tostring(srt.b.eccn) .. ": ") or "") .. "licence required"
      break
    end
  end
  region_label(lic_name, PR - 8, PB - 14, "end", "licence")
  if detail then fixed[#fixed + 1] = { wx0 - 1, wy0 - 1, wx1 + 1, wy1 + 1 } end

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
  local is_3a090 = false
  for _, srt in ipairs(sorted) do
    if srt.b.eccn and tostring(srt.b.eccn):find("^[34]A090") then is_3a090 = true end
  end
  local GENERIC = { licence = "licence required under this version", nac = "licence exception possible",
    none = "not covered by this version's TPP/PD tests" }
  for _, c in ipairs({ "licence", "nac", "none" }) do
    lrow(function(px, py)
      legend:add(svg.el("rect", { x = px - 8, y = py - 6, width = 16, height = 12, class = "region-" .. c,
        stroke = "#888", ["stroke-width"] = 0.5 }))
      if c == "licence" then
        legend:add(svg.el("rect", { x = px - 8, y = py - 6, width = 16, height = 12, fill = "url(#hatch-licence)" }))
      end
    end, is_3a090 and M.CLASSES[c].label or GENERIC[c])
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
    lrow(function(px, py) legend:add(svg.marker("star", px, py, 7, { class = "highlight", fill = "#ffffff" })) end,
      "highlighted chip (the star is on its point)")
  end
  ly = ly + 4
  ltitle("Lines")
  lrow(function(px, py)
    legend:add(svg.el("line", { x1 = px - 10, y1 = py, x2 = px + 10, y2 = py, class = "guide" }))
  end, "thresholds of " .. rule_id .. " (TPP, PD)")
  for _, v in ipairs(policy_lines) do
    local b = policy_lines[v]
    lrow(function(px, py)
      legend:add(svg.el("line", { x1 = px - 10, y1 = py, x2 = px + 10, y2 = py, class = "guide-2026" }))
    end, ("TPP %s: review policy of %s (below: %s%s)"):format(fmt_tpp(v), rule_id, tostring(b.outcome or b.clause),
      #b.conditions > 0 and (" with " .. conditions_text(b.conditions)) or ""))
  end
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
  if #outside > 0 then notes[#notes + 1] = "Outside the axes, not plotted: " .. table.concat(keep(outside), ", ") .. "." end
  panel.attrs.height = ly - LY

  -- the inset: in the right column under the legend, where it hides no point
  IB = { LX + 6, ly + 34, W - 16, ly + 34 + 250 }
  if detail then ly = IB[4] end

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
  local numbering = { list = {} }
  local numbered = numbering.list
  local crowded = draw_points(layer, pts, obstacles, B, rule_id, "pt-", 10.5, { connector }, nil, numbering)

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
    for _, v in ipairs(x_lines) do
      if v > D.x0 and v < D.x1 then
        igrid:add(svg.el("line", { x1 = ix(v), y1 = IB[2], x2 = ix(v), y2 = IB[4], class = "guide" }))
      end
    end
    for _, v in ipairs(y_lines) do
      if v > D.y0 and v < D.y1 then
        igrid:add(svg.el("line", { x1 = IB[1], y1 = iy(v), x2 = IB[3], y2 = iy(v), class = "guide" }))
      end
    end
    local cap = ("detail: TPP %s-%s, PD %s-%s"):format(svg.label(D.x0), svg.label(D.x1), svg.label(D.y0),
      svg.label(D.y1))
    inset:add(svg.el("text", { x = IB[1] - 3, y = IB[2] - 8, class = "legend-small", ["font-weight"] = "bold" }, cap))
    local ipts = layout_points(groups, ix, iy, IB, 5)
    local iobstacles = {}
    for _, b in ipairs(iobst) do iobstacles[#iobstacles + 1] = { box = b } end
    crowded = crowded + draw_points(inset, ipts, iobstacles, IB, rule_id, "detail-", 10, nil, nil, numbering)
  end


  -- footnote: what is not on the chart, then sources
  local foot = {}
  for _, n in ipairs(notes) do foot[#foot + 1] = n end
  for _, n in ipairs(numbered_notes(numbered)) do foot[#foot + 1] = n end
  foot[#foot + 1] = ("Rule version %s (%s on %s; %s); %s."):format(rule_id, meta.status or "status unknown", as_of,
    meta.citation or "citation unknown", meta.source or "regions as given")
  foot[#foot + 1] = "Chip figures from tpp's database with provenance (vendor datasheets, reported and derived " ..
    "figures: 'tpp show CHIP'). " .. (meta.version and not opts.boxes and "Points are coloured by the rule " ..
      "engine's classification of each chip under " .. rule_id .. "; " or "Points are coloured by the boxes " ..
      "they fall in; ") .. "chips not designed or marketed for datacenters are classified with that fact. " ..
    "Labels: short name and TPP."
  if #off_axis > 0 then
    foot[#foot + 1] = "Not drawn as regions (they test metrics off these axes, so a chip anywhere on the map may " ..
      "meet them): " .. table.concat(off_axis, "; ") .. "."
  end
  foot[#foot + 1] = M.DISCLAIMER
  local fy = math.max(PB + 66, ly + 24)
  for _, para in ipairs(foot) do
    for _, line in ipairs(wrap_px(para, W - PL - 20, 9.5)) do
      doc:add(svg.el("text", { x = PL, y = fy, class = "foot" }, line))
      fy = fy + 12
    end
  end
  doc:resize(W, math.ceil(fy + 6))

  local json = require "tpp.json"
  local info = { rules = rule_id, rules_status = meta.status, as_of = as_of, numbered = json.array(numbered),
    plotted = json.array {}, unknown_pd = json.array(unknown_pd), unknown_tpp = json.array(unknown_tpp),
    outside = json.array(outside),
    crowded_labels = crowded, source = meta.source, detail = detail, off_axis = json.array(off_axis),
    engine_vs_boxes_disagree = json.array(disagree) }
  for _, g in ipairs(groups) do
    for _, mbr in ipairs(g.members) do
      info.plotted[#info.plotted + 1] = { id = mbr.id, name = mbr.name, tpp = g.tpp, pd = g.pd, class = mbr.cls,
        clause = mbr.box and mbr.box.clause or nil, market = mbr.market, group_size = #g.members }
    end
  end
  return doc:render(), info
end

-- ------------------------------------------------- shared chart pieces ----

-- 3A090 class of a chip under the boxes; with PD unknown the class is used
-- only when every PD gives the same answer (TPP >= 4,800 or < 1,600).
local function class_3a090(c, boxes_dc, boxes_ndc)
  local m = c:metrics()
  if m.tpp == nil then return "unknown" end
  local boxes = c.data.datacenter == false and boxes_ndc or boxes_dc
  if m.pd then return (M.classify_point(boxes, m.tpp, m.pd)) end
  local lo = M.classify_point(boxes, m.tpp, 1e-9)
  local hi = M.classify_point(boxes, m.tpp, 1e9)
  if lo == hi then return lo end
  return "unknown"
end
M.class_3a090 = class_3a090

local function new_doc(W, H, title, desc)
  local doc = svg.document { width = W, height = H, css = CSS, background = "#ffffff", title = title, desc = desc }
  doc:def(svg.el("pattern", { id = "hatch-licence", width = 7, height = 7, patternUnits = "userSpaceOnUse",
    patternTransform = "rotate(45)" }, { svg.el("line", { x1 = 0, y1 = 0, x2 = 0, y2 = 7, class = "hatch" }) }))
  return doc
end

-- Axis ticks, labels and titles for a plot box B with scales xs, ys.
local function draw_axes(doc, B, xs, ys, xticks, yticks, xtitle, ytitle, xfmt, yfmt)
  local axes = svg.el("g", { class = "axes" })
  doc:add(axes)
  local grid = svg.el("g", { class = "grid-lines" })
  doc:add(grid)
  for _, t in ipairs(xticks) do
    local px = xs(t.value)
    grid:add(svg.el("line", { x1 = px, y1 = B[2], x2 = px, y2 = B[4], class = t.major and "grid-major" or "grid" }))
    axes:add(svg.el("line", { x1 = px, y1 = B[4], x2 = px, y2 = B[4] + 5, class = "tick" }))
    axes:add(svg.el("text", { x = px, y = B[4] + 17, class = "ticklabel", ["text-anchor"] = "middle" },
      (xfmt or svg.label)(t.value)))
  end
  for _, t in ipairs(yticks) do
    local py = ys(t.value)
    grid:add(svg.el("line", { x1 = B[1], y1 = py, x2 = B[3], y2 = py, class = t.major and "grid-major" or "grid" }))
    axes:add(svg.el("line", { x1 = B[1] - 5, y1 = py, x2 = B[1], y2 = py, class = "tick" }))
    axes:add(svg.el("text", { x = B[1] - 8, y = py + 3.5, class = "ticklabel", ["text-anchor"] = "end" },
      (yfmt or svg.label)(t.value)))
  end
  axes:add(svg.el("text", { x = (B[1] + B[3]) / 2, y = B[4] + 38, class = "axistitle", ["text-anchor"] = "middle" },
    xtitle))
  local ymid = (B[2] + B[4]) / 2
  local yx = B[1] - 52
  axes:add(svg.el("text", { x = yx, y = ymid, class = "axistitle", ["text-anchor"] = "middle",
    transform = ("rotate(-90 %s %s)"):format(svg.num(yx), svg.num(ymid)) }, ytitle))
  return grid
end

local function add_footnote(doc, x0, y0, width, paras)
  local fy = y0
  for _, para in ipairs(paras) do
    for _, line in ipairs(wrap_px(para, width, 9.5)) do
      doc:add(svg.el("text", { x = x0, y = fy, class = "foot" }, line))
      fy = fy + 12
    end
  end
  return fy
end

-- A one-line legend: items { draw = function(x, y), text = "..." } laid left to right, wrapping.
local function legend_row(doc, x0, y0, width, items)
  local x, y = x0, y0
  for _, it in ipairs(items) do
    local w = 26 + svg.text_width(it.text, 10.5) + 16
    if x + w > x0 + width and x > x0 then x, y = x0, y + 18 end
    it.draw(x + 10, y - 4)
    doc:add(svg.el("text", { x = x + 24, y = y, class = "legend" }, it.text))
    x = x + w
  end
  return y + 18
end

local function swatch(doc, cls)
  return function(px, py)
    doc:add(svg.el("rect", { x = px - 8, y = py - 6, width = 16, height = 12, class = "region-" .. cls,
      stroke = "#888", ["stroke-width"] = 0.5 }))
    if cls == "licence" then
      doc:add(svg.el("rect", { x = px - 8, y = py - 6, width = 16, height = 12, fill = "url(#hatch-licence)" }))
    end
  end
end

local function dot(doc, cls, shape)
  return function(px, py) doc:add(svg.marker(shape or "circle", px, py, 5, { class = "pt pt-" .. cls })) end
end

local function shape_items(doc)
  local items = {}
  for _, mk in ipairs({ "global", "china-sku", "prc", "consumer" }) do
    items[#items + 1] = { draw = function(px, py)
      doc:add(svg.marker(M.SHAPES[mk], px, py, 5, { class = "pt", fill = "#ffffff" }))
    end, text = M.MARKET_LABELS[mk] }
  end
  items[#items + 1] = { draw = function(px, py)
    doc:add(svg.marker("circle", px, py, 7.5, { class = "pt", fill = "#777777" }))
    doc:add(svg.el("text", { x = px, y = py + 3.2, class = "count", ["text-anchor"] = "middle" }, "2"))
  end, text = "identical coordinates grouped" }
  return items
end

-- Group chips at identical (xv, yv).
local function group_by(list)
  local groups, by_key = {}, {}
  for _, e in ipairs(list) do
    local key = ("%.6g|%.6g"):format(e.xv, e.yv)
    local g = by_key[key]
    if not g then
      g = { xv = e.xv, yv = e.yv, members = {}, classes = {}, tpp = e.m.tpp, pd = e.m.pd }
      by_key[key] = g
      groups[#groups + 1] = g
    end
    g.members[#g.members + 1] = e
    g.classes[e.cls] = true
  end
  return groups
end

-- ---------------------------------------------------------- bandwidth ----

-- The rule files whose numbers the bandwidth chart draws: the April-2025 'is
-- informed' letters (criteria that appear in the GAIN AI Act and AI OVERWATCH
-- Act texts; reported-only as the letters' criteria) and the January-2026
-- China/Macau review policy of 91 FR 1684.
M.LETTER_RULES, M.REVIEW_RULES = "us-2025-04-h20", "us-2026-01-h200"

local function threshold_of(v, name, as_of)
  local r = v:resolve(as_of)[name]
  if not (r and type(r.value) == "number") then
    error(("tpp chart: rule file %s has no threshold %s"):format(v.id, name), 0)
  end
  return r.value
end

--- The numbers of both panels, read from their rule files:
-- { letter = { dram, interconnect, sum, version }, review = { tpp, dram, version } }.
function M.bandwidth_lines(as_of)
  local lv, rv = rules.get(M.LETTER_RULES), rules.get(M.REVIEW_RULES)
  return {
    letter = { dram = threshold_of(lv, "h20.dram_gbs", as_of), interconnect = threshold_of(lv, "h20.io_gbs", as_of),
               sum = threshold_of(lv, "h20.sum_gbs", as_of), version = lv },
    review = { tpp = threshold_of(rv, "h200.tpp", as_of), dram = threshold_of(rv, "h200.dram_gbs", as_of),
               version = rv },
  }
end

--- Class of a point under the letter criteria: "licence" (criteria met),
-- "none" (inside the no-licence polygon) or "unknown". L: the letter lines
-- (default: read from the rule file today).
function M.letter_class(dram, ic, L)
  L = L or M.bandwidth_lines(today()).letter
  if (dram and dram >= L.dram) or (ic and ic >= L.interconnect) or (dram and ic and dram + ic >= L.sum) then
    return "licence"
  end
  if dram and ic then return "none" end
  return "unknown"
end

--- tpp.chart.bandwidth(opts) -> svg text, info. Two panels: the April-2025
-- letter criteria (DRAM x interconnect bandwidth, reported-only) and the
-- January-2026 China/Macau review line (TPP x DRAM bandwidth, 91 FR 1684).
-- opts: as_of, rules (for the 3A090 status in panel B), chips, highlight.
function M.bandwidth(opts)
  opts = opts or {}
  local as_of = check_date(opts.as_of or today())
  local boxes_dc, boxes_ndc, meta = M.boxes(opts.rules, as_of, "tpp", "pd")
  local rule_id = meta.id
  local lines = M.bandwidth_lines(as_of)
  local L, R = lines.letter, lines.review
  local W = 1200
  local A = { 96, 112, 560, 552 }   -- panel A plot box
  local Bp = { 700, 112, 1164, 552 } -- panel B plot box
  local doc = new_doc(W, 800,
    ("Bandwidth rule maps: April-2025 letter criteria and the January-2026 China review line, as of %s"):format(as_of),
    ("tpp chart bandwidth. Panel A: DRAM x interconnect bandwidth (GB/s, log) with the criteria of rule file %s " ..
     "(the April-2025 'is informed' letters, H20 and MI308; %s): licence for China incl. Hong Kong/Macau, D:5 and " ..
     "entities headquartered there if DRAM >= %s, interconnect >= %s or their sum >= %s GB/s; reported-only. " ..
     "Panel B: TPP (log) x total DRAM bandwidth (TB/s) with the review policy of rule file %s (%s): TPP < %s and " ..
     "DRAM < %s GB/s: case-by-case for exports from the US to China/Macau. 3A090 status under %s. As of %s. %s")
     :format(L.version.id, L.version.citation, svg.label(L.dram), svg.label(L.interconnect), svg.label(L.sum),
       R.version.id, R.version.citation, svg.label(R.tpp), svg.label(R.dram), rule_id, as_of, M.DISCLAIMER))
  doc:add(svg.el("text", { x = A[1] - 56, y = 30, class = "title" },
    "Bandwidth lines: the April-2025 letters and the January-2026 China review policy"))
  doc:add(svg.el("text", { x = A[1] - 56, y = 49, class = "subtitle" },
    ("Chips from tpp's database; 3A090 status under %s (%s); as of %s."):format(rule_id, meta.status or "?", as_of)))

  local chips = resolve_chips(opts.chips)
  local highlight = {}
  for _, c in ipairs(resolve_chips(opts.highlight or {})) do highlight[c.data.id or c.data.name] = true end
  local ea, eb, missing_a, missing_b = {}, {}, {}, {}
  for _, c in ipairs(chips) do
    local m = c:metrics()
    local id = c.data.id or c.data.name or "chip"
    local base = { chip = c, id = id, name = M.short_name(c), market = market_of(c), m = m, highlight = highlight[id] }
    local dram, ic = m.mem_bw_gbs, m.interconnect_gbs
    if dram and ic then
      local e = {}
      for k, v in pairs(base) do e[k] = v end
      e.xv, e.yv, e.cls = dram, ic, M.letter_class(dram, ic, L)
      ea[#ea + 1] = e
    else
      missing_a[#missing_a + 1] = base.name
    end
    if m.tpp and dram then
      local e = {}
      for k, v in pairs(base) do e[k] = v end
      local c3 = class_3a090(c, boxes_dc, boxes_ndc)
      e.xv, e.yv = m.tpp, dram / 1000
      -- panel B's own classes (own colours): a denial is not panel A's licence
      if c3 == "none" then e.cls = "none"
      elseif c3 == "unknown" then e.cls = "unknown"
      elseif m.tpp < R.tpp and dram < R.dram then e.cls = "nac"
      else e.cls = "denial" end
      e.c3 = c3
      eb[#eb + 1] = e
    else
      missing_b[#missing_b + 1] = base.name
    end
  end
  table.sort(missing_a)
  table.sort(missing_b)

  -- panel A
  -- log-log, so the many small parts near the origin stay apart
  local ax = svg.log_scale(200, 10000, A[1], A[3])
  local ay = svg.log_scale(40, 3000, A[4], A[2])
  local clipA = doc:clip_rect("clip-a", A[1], A[2], A[3] - A[1], A[4] - A[2])
  local regA = svg.el("g", { ["clip-path"] = clipA })
  doc:add(regA)
  regA:add(svg.el("rect", { x = A[1], y = A[2], width = A[3] - A[1], height = A[4] - A[2], class = "region-licence" },
    { svg.el("title", nil, "licence per the letter criteria (reported-only) for China/D:5 destinations " ..
      "and entities headquartered there") }))
  regA:add(svg.el("rect", { x = A[1], y = A[2], width = A[3] - A[1], height = A[4] - A[2],
    fill = "url(#hatch-licence)" }))
  -- the no-licence polygon; its sum edge (DRAM + interconnect = L.sum) is a curve on log axes
  local poly = { { ax(200), ay(40) }, { ax(L.dram), ay(40) } }
  local sum_edge = {}
  for k = 0, 40 do
    local d = L.dram - (L.dram - (L.sum - L.interconnect)) * k / 40
    sum_edge[#sum_edge + 1] = { ax(d), ay(L.sum - d) }
    poly[#poly + 1] = { ax(d), ay(L.sum - d) }
  end
  poly[#poly + 1] = { ax(200), ay(L.interconnect) }
  regA:add(svg.el("path", { d = svg.path(poly, true), class = "region-none", stroke = "#0072B2",
    ["stroke-width"] = 1.2 }, { svg.el("title", nil, ("no licence under the letter criteria: DRAM < %s and " ..
      "interconnect < %s and DRAM + interconnect < %s GB/s"):format(svg.label(L.dram), svg.label(L.interconnect),
      svg.label(L.sum))) }))
  draw_axes(doc, A, ax, ay, ax.ticks(), ay.ticks(), "DRAM (memory) bandwidth, GB/s (log)",
    "interconnect (I/O) bandwidth, GB/s (log)")
  local gA = svg.el("g", { class = "guides" })
  doc:add(gA)
  gA:add(svg.el("line", { x1 = ax(L.dram), y1 = A[2], x2 = ax(L.dram), y2 = A[4], class = "guide" }))
  gA:add(svg.el("line", { x1 = A[1], y1 = ay(L.interconnect), x2 = A[3], y2 = ay(L.interconnect), class = "guide" }))
  gA:add(svg.el("path", { d = svg.path(sum_edge), class = "guide" }))
  local fixedA = {}
  local function glabel(text, x, y, rot, anchor)
    local attrs = { x = x, y = y, class = "guidelabel", ["text-anchor"] = anchor }
    if rot then attrs.transform = ("rotate(%s %s %s)"):format(svg.num(rot), svg.num(x), svg.num(y)) end
    doc:add(svg.el("text", attrs, text))
    local w = svg.text_width(text, 10, true)
    if rot then fixedA[#fixedA + 1] = { x - 12, y - w, x + 2, y + 2 }
    else fixedA[#fixedA + 1] = { anchor == "end" and x - w or x, y - 11, anchor == "end" and x or x + w, y + 2 } end
  end
  local dram_text = "DRAM " .. svg.label(L.dram) .. " GB/s"
  glabel(dram_text, ax(L.dram) - 4, A[2] + 8 + svg.text_width(dram_text, 10, true), -90)
  glabel("interconnect " .. svg.label(L.interconnect) .. " GB/s", A[1] + 6, ay(L.interconnect) - 5, nil, "start")
  glabel("DRAM + interconnect", A[1] + 6, ay(L.interconnect) + 14, nil, "start")
  glabel("< " .. svg.label(L.sum) .. " GB/s: no licence", A[1] + 6, ay(L.interconnect) + 27, nil, "start")
  doc:add(svg.el("text", { x = A[1], y = A[2] - 10, class = "legend-title" },
    "A. April-2025 'is informed' letters (reported-only criteria)"))
  doc:add(svg.el("rect", { x = A[1], y = A[2], width = A[3] - A[1], height = A[4] - A[2], class = "frame" }))
  local groupsA = group_by(ea)
  local ptsA = layout_points(groupsA, ax, ay, A, 5)
  local obstA = {}
  for _, b in ipairs(fixedA) do obstA[#obstA + 1] = { box = b } end
  local layerA = svg.el("g", { class = "points" })
  doc:add(layerA)
  local styleA = {
    number = function() return nil end,
    attrs = function(g) return { ["data-dram"] = svg.num(g.xv, 1), ["data-interconnect"] = svg.num(g.yv, 1) } end,
    title = function(g)
      local t = {}
      for _, e in ipairs(g.members) do
        t[#t + 1] = ("%s: DRAM %s GB/s, interconnect %s GB/s (sum %s): %s"):format(e.chip.data.name or e.name,
          svg.label(e.xv), svg.label(e.yv), svg.label(e.xv + e.yv),
          e.cls == "licence" and "meets the letter criteria" or "below the letter criteria")
      end
      return table.concat(t, "\n")
    end,
  }
  local numbering = { list = {} }
  local crowded = draw_points(layerA, ptsA, obstA, A, rule_id, "a-", 10, nil, styleA, numbering)

  -- panel B
  local bx = svg.log_scale(1000, 100000, Bp[1], Bp[3])
  local by = svg.log_scale(0.2, 10, Bp[4], Bp[2])
  local clipB = doc:clip_rect("clip-b", Bp[1], Bp[2], Bp[3] - Bp[1], Bp[4] - Bp[2])
  local regB = svg.el("g", { ["clip-path"] = clipB })
  doc:add(regB)
  regB:add(svg.el("rect", { x = Bp[1], y = Bp[2], width = Bp[3] - Bp[1], height = Bp[4] - Bp[2],
    class = "region-denial" }, { svg.el("title", nil, "presumption of denial (" .. R.version.id .. ")") }))
  regB:add(svg.el("rect", { x = Bp[1], y = by(R.dram / 1000), width = bx(R.tpp) - Bp[1],
    height = Bp[4] - by(R.dram / 1000), class = "region-nac" },
    { svg.el("title", nil, ("case-by-case review for exports from the US to China/Macau: TPP < %s and total " ..
      "DRAM bandwidth < %s GB/s, with conditions (%s)"):format(svg.label(R.tpp), svg.label(R.dram),
      R.version.id)) }))
  draw_axes(doc, Bp, bx, by, bx.ticks(), by.ticks(), "TPP (log)", "total DRAM bandwidth, TB/s (log)")
  local gB = svg.el("g", { class = "guides" })
  doc:add(gB)
  gB:add(svg.el("line", { x1 = bx(R.tpp), y1 = Bp[2], x2 = bx(R.tpp), y2 = Bp[4], class = "guide-2026" }))
  gB:add(svg.el("line", { x1 = Bp[1], y1 = by(R.dram / 1000), x2 = Bp[3], y2 = by(R.dram / 1000),
    class = "guide-2026" }))
  local fixedB = {}
  local t1 = "TPP " .. svg.label(R.tpp)
  doc:add(svg.el("text", { x = bx(R.tpp) + 4, y = Bp[4] - 8, class = "guidelabel-2026" }, t1))
  fixedB[#fixedB + 1] = { bx(R.tpp) + 3, Bp[4] - 19, bx(R.tpp) + 6 + svg.text_width(t1, 10, true), Bp[4] - 5 }
  local t2 = svg.label(R.dram / 1000) .. " TB/s"
  doc:add(svg.el("text", { x = Bp[3] - 6, y = by(R.dram / 1000) - 5, class = "guidelabel-2026",
    ["text-anchor"] = "end" }, t2))
  fixedB[#fixedB + 1] = { Bp[3] - 8 - svg.text_width(t2, 10, true), by(R.dram / 1000) - 16, Bp[3] - 4,
    by(R.dram / 1000) - 2 }
  doc:add(svg.el("text", { x = Bp[1], y = Bp[2] - 10, class = "legend-title" },
    ("B. China/Macau licence review from %s (%s)"):format(R.version.dates.effective,
      (tostring(R.version.citation):match("^[^;(]+") or ""):gsub("%s+$", ""))))
  doc:add(svg.el("rect", { x = Bp[1], y = Bp[2], width = Bp[3] - Bp[1], height = Bp[4] - Bp[2], class = "frame" }))
  local groupsB = group_by(eb)
  local ptsB = layout_points(groupsB, bx, by, Bp, 5)
  local obstB = {}
  for _, b in ipairs(fixedB) do obstB[#obstB + 1] = { box = b } end
  local layerB = svg.el("g", { class = "points" })
  doc:add(layerB)
  local styleB = {
    number = function() return nil end,
    attrs = function(g) return { ["data-tpp"] = svg.num(g.xv, 1), ["data-dram-tbs"] = svg.num(g.yv, 3) } end,
    title = function(g)
      local t = {}
      for _, e in ipairs(g.members) do
        local status = ({ none = "not 3A090 under " .. rule_id .. ": no 3A090 licence needed",
          unknown = "3A090 status undetermined (PD unknown)",
          nac = "3A090; from the US to China/Macau: case-by-case (with conditions)",
          denial = "3A090; China/Macau: presumption of denial" })[e.cls] or e.cls
        t[#t + 1] = ("%s: TPP %s, DRAM %s GB/s; %s"):format(e.chip.data.name or e.name, fmt_tpp(e.xv),
          svg.label(e.m.mem_bw_gbs), status)
      end
      return table.concat(t, "\n")
    end,
  }
  crowded = crowded + draw_points(layerB, ptsB, obstB, Bp, rule_id, "b-", 10, nil, styleB, numbering)

  -- legend and footnote
  -- one legend per panel: their colours mean different outcomes, so no colour is shared
  -- between a licence (A) and a denial (B); blue is "no licence from this measure" in both
  local lyA = legend_row(doc, A[1] - 40, A[4] + 62, A[3] - A[1] + 40, {
    { draw = swatch(doc, "licence"), text = "A: licence required (criteria met)" },
    { draw = swatch(doc, "none"), text = "A: no licence from the letters" },
    { draw = dot(doc, "licence"), text = "meets the criteria" },
    { draw = dot(doc, "none"), text = "below them" },
  })
  local lyB = legend_row(doc, Bp[1] - 40, Bp[4] + 62, Bp[3] - Bp[1] + 40, {
    { draw = swatch(doc, "denial"), text = "B: presumption of denial" },
    { draw = swatch(doc, "nac"), text = "B: case-by-case (from the US)" },
    { draw = dot(doc, "denial"), text = "denial" },
    { draw = dot(doc, "nac"), text = "case-by-case" },
    { draw = dot(doc, "none"), text = "not 3A090: no licence" },
    { draw = dot(doc, "unknown"), text = "undetermined" },
  })
  local ly = legend_row(doc, A[1] - 40, math.max(lyA, lyB) + 4, W - A[1], shape_items(doc))
  local notes = {}
  if #missing_a > 0 then
    notes[#notes + 1] = "Not in panel A (DRAM or interconnect bandwidth unknown): " .. table.concat(missing_a, ", ") .. "."
  end
  if #missing_b > 0 then
    notes[#notes + 1] = "Not in panel B (TPP or DRAM bandwidth unknown): " .. table.concat(missing_b, ", ") .. "."
  end
  for _, n in ipairs(numbered_notes(numbering.list)) do notes[#notes + 1] = n end
  notes[#notes + 1] = ("Panel A: the numbers of rule file %s (%s; %s): they appear in the GAIN AI Act and AI " ..
    "OVERWATCH Act texts; that they are the April-2025 letters' criteria is unconfirmed (reported-only); the " ..
    "letters name the H20 and chips reaching its memory bandwidth, interconnect bandwidth or a combination. " ..
    "Panel B: the review policy of rule file %s (%s), for licence applications for exports from the United " ..
    "States to China and Macau (reexports and D:5/Macau-headquartered buyers elsewhere stay presumption of " ..
    "denial); 3A090 status under %s."):format(L.version.id, L.version.citation, L.version:status_at(as_of),
    R.version.id, R.version.citation, rule_id)
  notes[#notes + 1] = M.DISCLAIMER
  local fy = add_footnote(doc, A[1] - 56, ly + 4, W - A[1] + 40, notes)
  doc:resize(W, math.ceil(fy + 6))
  local info = { chart = "bandwidth", rules = rule_id, as_of = as_of, crowded_labels = crowded,
    numbered = require("tpp.json").array(numbering.list),
    panel_a = {}, panel_b = {}, missing_a = missing_a, missing_b = missing_b }
  for _, e in ipairs(ea) do
    info.panel_a[#info.panel_a + 1] = { id = e.id, dram_gbs = e.xv, interconnect_gbs = e.yv, class = e.cls }
  end
  for _, e in ipairs(eb) do
    info.panel_b[#info.panel_b + 1] = { id = e.id, tpp = e.xv, dram_tbs = e.yv, class = e.cls }
  end
  info.plotted = info.panel_a
  return doc:render(), info
end

-- ----------------------------------------------------------- timeline ----

--- The date a chip is placed at on the timeline: its announcement date, else
-- its first shipment, known at least to the month; with which one it is and
-- its provenance. nil (and why) when the chip data has no such date: the chip
-- is then left off the timeline, never placed at a guessed month.
function M.chip_date(c)
  local d = c.data or c
  local prov = d.provenance or {}
  for _, k in ipairs({ { "announced", "announced" }, { "first_shipped", "first shipped" } }) do
    local v = d[k[1]]
    if type(v) == "string" and v:match("^%d%d%d%d%-%d%d") then return v, k[2], prov[k[1]] end
  end
  if d.announced or d.first_shipped then return nil, "date known to the year only" end
  return nil, "no date"
end

-- A date as a fractional year: YYYY-MM-DD at its day; YYYY-MM (a date known
-- to the month) at the middle of its month.
local function year_frac(date)
  local y, m, d = date:match("^(%d+)-(%d+)-?(%d*)$")
  y, m = tonumber(y), tonumber(m)
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  local month_days = { 31, leap and 29 or 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  local before = 0
  for i = 1, m - 1 do before = before + month_days[i] end
  local days = leap and 366 or 365
  if d == "" then return y + (before + month_days[m] / 2) / days end
  return y + (before + tonumber(d) - 1) / days
end
M.year_frac = year_frac

--- The rule versions drawn as dates on the timeline: every version of the
-- 3A090 track and the letters, at the date it took effect (from its file).
function M.rule_dates()
  local out = {}
  for _, r in ipairs(rules.list()) do
    if r.track == "3A090" or r.track == "letter" then
      local v = rules.get(r.id)
      out[#out + 1] = { id = r.id, date = rules.effective_of(v), status = r.status, citation = r.citation }
    end
  end
  table.sort(out, function(a, b)
    if a.date ~= b.date then return a.date < b.date end
    return a.id < b.id
  end)
  return out
end

--- tpp.chart.timeline(opts) -> svg text, info: the date each chip was
-- announced (or first shipped) x TPP (log), with the TPP lines of the chosen
-- rule version and the dates the rule versions took effect; chips coloured
-- by their status under that version. opts: rules, as_of, chips, highlight.
function M.timeline(opts)
  opts = opts or {}
  local as_of = check_date(opts.as_of or today())
  local boxes_dc, _, meta = M.boxes(opts.rules, as_of, "tpp", "pd")
  local rule_id = meta.id
  local W = 1120
  local B = { 96, 150, 840, 620 }
  local chips = resolve_chips(opts.chips)
  local highlight = {}
  for _, c in ipairs(resolve_chips(opts.highlight or {})) do highlight[c.data.id or c.data.name] = true end
  local entries, missing = {}, {}
  local lo_year, hi_year = 2019, tonumber(as_of:sub(1, 4)) + 1
  for _, c in ipairs(chips) do
    local m = c:metrics()
    local id = c.data.id or c.data.name or "chip"
    local date, what, prov = M.chip_date(c)
    if m.tpp and date then
      local okc, r = pcall(rules.classify, c, { rules = meta.version, as_of = as_of })
      local e = { chip = c, id = id, name = M.short_name(c), market = market_of(c), m = m, highlight = highlight[id],
        cls = okc and M.class_of_result(r) or "unknown", date = date, date_kind = what, date_provenance = prov,
        xv = year_frac(date), yv = m.tpp }
      entries[#entries + 1] = e
      lo_year = math.min(lo_year, math.floor(e.xv))
      hi_year = math.max(hi_year, math.floor(e.xv) + 1)
    else
      missing[#missing + 1] = M.short_name(c) .. (m.tpp and (what == "no date" and "" or (" (" .. what .. ")")) or
        " (TPP unknown)")
    end
  end
  table.sort(missing)
  local doc = new_doc(W, 800, ("Design to the threshold: AI chips by date and TPP, status under %s as of %s"):format(
    rule_id, as_of), ("tpp chart timeline. x = the date each chip was announced (or first shipped, where marked), " ..
    "from the chip data with provenance; chips without a date are listed, not placed. y = TPP (log). Lines: the " ..
    "TPP thresholds of %s (%s) and its review-policy lines; vertical lines: the dates the 3A090 rule versions " ..
    "and letters took effect. Status under %s as of %s. %s"):format(rule_id, meta.citation or "?", rule_id, as_of,
    M.DISCLAIMER))
  doc:add(svg.el("text", { x = B[1] - 40, y = 30, class = "title" },
    "Design to the threshold: AI chips by date and TPP"))
  doc:add(svg.el("text", { x = B[1] - 40, y = 49, class = "subtitle" },
    ("Colour = status under %s (%s on %s); x = announcement date (or first shipment) from the chip data."):format(
      rule_id, meta.status or "?", as_of)))
  local x = svg.linear_scale(lo_year, hi_year, B[1], B[3])
  local y = svg.log_scale(200, 100000, B[4], B[2])
  local clip = doc:clip_rect("plot-clip", B[1], B[2], B[3] - B[1], B[4] - B[2])
  local bg = svg.el("g", { ["clip-path"] = clip })
  doc:add(bg)
  bg:add(svg.el("rect", { x = B[1], y = B[2], width = B[3] - B[1], height = B[4] - B[2], class = "region-none" }))
  local xt = {}
  for yr = lo_year, hi_year do xt[#xt + 1] = { value = yr, major = true } end
  draw_axes(doc, B, x, y, xt, y.ticks(), "date announced (ticks: 1 January of each year)", "TPP (log)",
    function(v) return tostring(math.floor(v)) end)
  local fixed = {}
  local guides = svg.el("g", { class = "guides" })
  doc:add(guides)
  -- the TPP lines of the chosen version (the edges of its regions) and its review-policy lines
  local hlines = {}
  for _, v in ipairs(M.edges(boxes_dc, "x")) do hlines[#hlines + 1] = { v, "TPP " .. fmt_tpp(v), "guide" } end
  for _, b in ipairs(meta.policy or {}) do
    for _, v in ipairs(M.edges({ b }, "x")) do
      local dup = false
      for _, h in ipairs(hlines) do dup = dup or h[1] == v end
      if not dup then hlines[#hlines + 1] = { v, "TPP " .. fmt_tpp(v) .. " (review policy)", "guide-2026" } end
    end
  end
  for _, g in ipairs(hlines) do
    if g[1] >= 200 and g[1] <= 100000 then
      local py = y(g[1])
      guides:add(svg.el("line", { x1 = B[1], y1 = py, x2 = B[3], y2 = py, class = g[3] }))
      doc:add(svg.el("text", { x = B[1] + 6, y = py - 4, class = g[3] == "guide" and "guidelabel" or
        "guidelabel-2026" }, g[2]))
      fixed[#fixed + 1] = { B[1] + 5, py - 14, B[1] + 7 + svg.text_width(g[2], 10, true), py - 1 }
    end
  end
  -- rule dates: lines through the plot, labels in rows above it; a label goes to the first
  -- row where it clears every label already there (so none overlap)
  local rows = {}
  local dates = M.rule_dates()
  for _, r in ipairs(dates) do
    local xv = year_frac(r.date)
    if xv >= lo_year and xv <= hi_year then
      local px = x(xv)
      local text = r.date .. " " .. r.id .. (r.status ~= "in force" and r.status ~= "superseded" and
        (" (" .. r.status .. ")") or "")
      local w = svg.text_width(text, 9.5)
      local x0 = math.min(px - 2, B[3] - w)
      local row = 1
      while rows[row] and rows[row] > x0 - 6 do row = row + 1 end
      rows[row] = x0 + w
      local ty = B[2] - 8 - (row - 1) * 13
      guides:add(svg.el("line", { x1 = px, y1 = B[2], x2 = px, y2 = B[4], class = "iso" },
        { svg.el("title", nil, ("%s: %s took effect (%s; %s)"):format(r.date, r.id, r.citation or "?", r.status)) }))
      doc:add(svg.el("text", { x = x0, y = ty, class = "isolabel" }, text))
      guides:add(svg.el("line", { x1 = px, y1 = ty + 2, x2 = px, y2 = B[2], class = "iso" }))
    end
  end
  doc:add(svg.el("rect", { x = B[1], y = B[2], width = B[3] - B[1], height = B[4] - B[2], class = "frame" }))
  local groups = group_by(entries)
  local pts = layout_points(groups, x, y, B, 5)
  local obst = {}
  for _, b in ipairs(fixed) do obst[#obst + 1] = { box = b } end
  local layer = svg.el("g", { class = "points" })
  doc:add(layer)
  local numbering = { list = {} }
  local STATUS = { licence = "licence required", nac = "NAC/ACA-eligible", none = "not controlled",
    unknown = "undetermined" }
  local crowded = draw_points(layer, pts, obst, B, rule_id, "pt-", 10, nil, {
    number = function() return nil end,
    attrs = function(g) return { ["data-tpp"] = svg.num(g.yv, 1), ["data-date"] = g.members[1].date } end,
    title = function(g)
      local t = {}
      for _, e in ipairs(g.members) do
        t[#t + 1] = ("%s: %s %s [%s]; TPP %s; %s under %s"):format(e.chip.data.name or e.name, e.date_kind, e.date,
          tostring(e.date_provenance or "provenance not stated"), fmt_tpp(e.m.tpp), STATUS[e.cls] or e.cls, rule_id)
      end
      return table.concat(t, "\n")
    end,
  }, numbering)
  if #entries == 0 then
    doc:add(svg.el("text", { x = (B[1] + B[3]) / 2, y = B[2] + 40, class = "axistitle ptlabel",
      ["text-anchor"] = "middle" }, "No chip here has an announcement or first-shipment date in its data."))
  end
  -- legend panel at the right
  local LX, LY, LW = 856, B[2], W - 856 - 10
  local ly = LY + 18
  local panel = svg.el("rect", { x = LX, y = LY, width = LW, height = 10, rx = 4, class = "panel" })
  doc:add(panel)
  local function lrow(draw, text)
    draw(LX + 18, ly - 4)
    local lines = wrap_px(text, LW - 44, 10.5)
    for i, line in ipairs(lines) do
      doc:add(svg.el("text", { x = LX + 34, y = ly + (i - 1) * 12, class = "legend" }, line))
    end
    ly = ly + 12 * #lines + 5
  end
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, "Status under " .. rule_id))
  ly = ly + 16
  for _, c in ipairs({ "licence", "nac", "none", "unknown" }) do lrow(dot(doc, c), STATUS[c]) end
  ly = ly + 4
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, "Market (shape)"))
  ly = ly + 16
  for _, it in ipairs(shape_items(doc)) do lrow(it.draw, it.text) end
  ly = ly + 4
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, "Lines"))
  ly = ly + 16
  lrow(function(px, py) doc:add(svg.el("line", { x1 = px - 10, y1 = py, x2 = px + 10, y2 = py, class = "guide" }))
  end, "TPP thresholds of " .. rule_id)
  lrow(function(px, py) doc:add(svg.el("line", { x1 = px, y1 = py - 7, x2 = px, y2 = py + 7, class = "iso" }))
  end, "a rule version takes effect")
  panel.attrs.height = ly - LY
  local notes = {}
  if #missing > 0 then
    local keep = {}
    for i, e in ipairs(missing) do keep[i] = e:gsub(" ", "\194\160") end
    notes[#notes + 1] = "Not on the timeline (no announcement or first-shipment date in the chip data): " ..
      table.concat(keep, ", ") .. "."
  end
  for _, n in ipairs(numbered_notes(numbering.list)) do notes[#notes + 1] = n end
  notes[#notes + 1] = ("Status: the rule engine's classification of each chip under %s (%s; %s), %s. Dates " ..
    "from the chip data, each with its provenance ('tpp show CHIP'); a chip is placed at its announcement, or at " ..
    "its first shipment where it has no announcement date; a date known to the month sits at mid-month. " ..
    "China-specific SKUs (diamonds) sit just under the " ..
    "line of the rule they were designed for."):format(rule_id, meta.citation or "?", meta.status or "?",
    meta.source or "")
  notes[#notes + 1] = M.DISCLAIMER
  local fy = add_footnote(doc, B[1] - 40, math.max(B[4] + 62, ly + 16), W - B[1], notes)
  doc:resize(W, math.ceil(fy + 6))
  local json = require "tpp.json"
  local info = { chart = "timeline", rules = rule_id, as_of = as_of, crowded_labels = crowded,
    plotted = json.array {}, missing = json.array(missing), numbered = json.array(numbering.list) }
  for _, e in ipairs(entries) do
    info.plotted[#info.plotted + 1] = { id = e.id, date = e.date, date_kind = e.date_kind,
      date_provenance = e.date_provenance, tpp = e.m.tpp, class = e.cls }
  end
  return doc:render(), info
end

return M
