--- tpp chart serving: the throughput-latency curves of several chips from
-- the serving model, in the style of the threshold map: tokens/s per chip
-- (y, log) against tokens/s per user (x, log), one curve per chip over the
-- batch, a band for the efficiency range, the batch marked along each curve.
-- Where a curve lies higher, the chip serves more users per chip at that
-- speed per user; a reader sees at a glance where the H20 beats or trails
-- the H100.
local svg = require "tpp.svg"
local serve = require "tpp.serve"
local tpp = require "tpp"

local M = {}

M.DEFAULT_CHIPS = { "nv_h100_sxm", "nv_h20", "nv_h200_sxm", "nv_b200", "amd_mi300x", "hw_910c" }
M.COLORS = { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C8C8C", "#F0E442" }
M.SHAPES = { "circle", "diamond", "square", "triangle", "triangle-down", "star", "circle", "diamond" }
M.BATCHES = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048 }

local CSS = [[
.title{font-size:18px;font-weight:bold;fill:#1a1a1a}
.subtitle{font-size:12px;fill:#444}
.axis{stroke:#333;stroke-width:1;fill:none}
.tick{stroke:#333;stroke-width:1}
.grid{stroke:#d9d9d9;stroke-width:0.6}
.grid-major{stroke:#bdbdbd;stroke-width:0.8}
.ticklabel{font-size:10.5px;fill:#333}
.axistitle{font-size:12px;fill:#1a1a1a}
.frame{fill:none;stroke:#333;stroke-width:1}
.plotbg{fill:#fafcfe}
.curve{fill:none;stroke-width:2.2;stroke-linejoin:round}
.band{stroke:none;fill-opacity:0.16}
.pt{stroke:#1a1a1a;stroke-width:0.8}
.ptlabel{font-size:10.5px;fill:#1a1a1a;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}
.batchlabel{font-size:8.5px;fill:#555;paint-order:stroke;stroke:#ffffff;stroke-width:2.5px}
.legend-title{font-size:11.5px;font-weight:bold;fill:#1a1a1a}
.legend{font-size:10.5px;fill:#1a1a1a}
.legend-small{font-size:9.5px;fill:#444}
.panel{fill:#fafafa;stroke:#d0d0d0;stroke-width:1}
.foot{font-size:9.5px;fill:#444}
]]

local function wrap_px(text, width, size)
  local lines, line = {}, ""
  for word in text:gmatch("%S+") do
    local cand = line == "" and word or (line .. " " .. word)
    if svg.text_width(cand, size) > width and line ~= "" then
      lines[#lines + 1] = line
      line = word
    else
      line = cand
    end
  end
  if line ~= "" then lines[#lines + 1] = line end
  return lines
end

local function fmt_num(v)
  if v >= 1000 then return svg.label(v) end
  if v >= 1 then return svg.label(v) end
  return ("%g"):format(v)
end

local function short(c)
  local name = c.data.name or c.data.id
  return (name:gsub("^NVIDIA ", ""):gsub("^AMD Instinct ", ""):gsub("^Huawei ", ""):gsub("^Intel ", ""))
end

-- Curves: per chip, the points of serve.sweep in the deployment asked for.
function M.curves(opts)
  local list = opts.chips
  if not list or #list == 0 then list = M.DEFAULT_CHIPS end
  local names = {}
  for _, item in ipairs(list) do
    for part in tostring(item):gmatch("[^,]+") do names[#names + 1] = part end
  end
  local out = {}
  for i, name in ipairs(names) do
    local c = tpp.chip(name)
    local s = serve.sweep { chip = c, model = opts.model, chips = opts.n_chips, input_tokens = opts.input_tokens,
                            output_tokens = opts.output_tokens, precision = opts.precision, batches = M.BATCHES }
    out[#out + 1] = { chip = c, id = c.data.id, name = short(c), color = M.COLORS[(i - 1) % #M.COLORS + 1],
                      shape = M.SHAPES[(i - 1) % #M.SHAPES + 1], points = s.points, status = s.status,
                      reason = s.reason or (s.missing and ("missing " .. table.concat(s.missing, ", "))),
                      result = s.result }
  end
  return out
end

--- Draw the chart. opts: chips (names), model, n_chips (deployment size,
-- default 8), input_tokens, output_tokens, precision. Returns svg text, info.
function M.chart(opts)
  opts = opts or {}
  opts.model = opts.model or "llama-3.1-70b"
  opts.n_chips = opts.n_chips or 8
  opts.input_tokens = opts.input_tokens or 1024
  opts.output_tokens = opts.output_tokens or 256
  local arch = serve.model(opts.model)
  local curves = M.curves(opts)
  local xs_all, ys_all = {}, {}
  for _, c in ipairs(curves) do
    for _, p in ipairs(c.points) do
      xs_all[#xs_all + 1] = p.user_tokens_per_s_low
      xs_all[#xs_all + 1] = p.user_tokens_per_s_high
      ys_all[#ys_all + 1] = p.per_chip_output_tokens_per_s_low
      ys_all[#ys_all + 1] = p.per_chip_output_tokens_per_s_high
    end
  end
  if #xs_all == 0 then error("tpp chart serving: no chip could serve " .. (arch.name or opts.model) .. " on " ..
    opts.n_chips .. " chips", 0) end
  local function bounds(list)
    local lo, hi = math.huge, 0
    for _, v in ipairs(list) do lo, hi = math.min(lo, v), math.max(hi, v) end
    return 10 ^ math.floor(math.log(lo) / math.log(10)), 10 ^ math.ceil(math.log(hi) / math.log(10))
  end
  local x0, x1 = bounds(xs_all)
  local y0, y1 = bounds(ys_all)
  local W = 1120
  local B = { 96, 96, 800, 600 }
  local title = ("Serving %s: tokens/s per chip against tokens/s per user"):format(arch.name or opts.model)
  local doc = svg.document { width = W, height = 820, css = CSS, background = "#ffffff", title = title,
    desc = ("tpp chart serving. x = output tokens/s per user (1 / TPOT, log), y = output tokens/s per chip " ..
      "(log), one curve per chip over the batch (1 to 2048 per replica), %d chips, %d input + %d output tokens; " ..
      "bands = the efficiency range. %s"):format(opts.n_chips, opts.input_tokens, opts.output_tokens,
      tpp.DISCLAIMER) }
  doc:add(svg.el("text", { x = B[1] - 40, y = 30, class = "title" }, title))
  doc:add(svg.el("text", { x = B[1] - 40, y = 49, class = "subtitle" },
    ("%d chips per deployment; each curve: the best plan and batch for each speed per user (Pareto frontier); " ..
      "%d input + %d output tokens"):format(opts.n_chips, opts.input_tokens, opts.output_tokens)))
  doc:add(svg.el("text", { x = B[1] - 40, y = 66, class = "subtitle" },
    "Up = more tokens per chip (cheaper serving); right = faster for each user. Numbers along a curve: batch."))
  local x = svg.log_scale(x0, x1, B[1], B[3])
  local y = svg.log_scale(y0, y1, B[4], B[2])
  doc:add(svg.el("rect", { x = B[1], y = B[2], width = B[3] - B[1], height = B[4] - B[2], class = "plotbg" }))
  local grid = svg.el("g", { class = "grid-lines" })
  local axes = svg.el("g", { class = "axes" })
  doc:add(grid)
  doc:add(axes)
  for _, t in ipairs(x.ticks()) do
    local px = x(t.value)
    grid:add(svg.el("line", { x1 = px, y1 = B[2], x2 = px, y2 = B[4], class = t.major and "grid-major" or "grid" }))
    axes:add(svg.el("line", { x1 = px, y1 = B[4], x2 = px, y2 = B[4] + 5, class = "tick" }))
    axes:add(svg.el("text", { x = px, y = B[4] + 17, class = "ticklabel", ["text-anchor"] = "middle" },
      fmt_num(t.value)))
  end
  for _, t in ipairs(y.ticks()) do
    local py = y(t.value)
    grid:add(svg.el("line", { x1 = B[1], y1 = py, x2 = B[3], y2 = py, class = t.major and "grid-major" or "grid" }))
    axes:add(svg.el("line", { x1 = B[1] - 5, y1 = py, x2 = B[1], y2 = py, class = "tick" }))
    axes:add(svg.el("text", { x = B[1] - 8, y = py + 3.5, class = "ticklabel", ["text-anchor"] = "end" },
      fmt_num(t.value)))
  end
  axes:add(svg.el("text", { x = (B[1] + B[3]) / 2, y = B[4] + 38, class = "axistitle", ["text-anchor"] = "middle" },
    "output tokens/s per user (interactivity; 1000 / TPOT ms), log"))
  local ymid = (B[2] + B[4]) / 2
  axes:add(svg.el("text", { x = B[1] - 56, y = ymid, class = "axistitle", ["text-anchor"] = "middle",
    transform = ("rotate(-90 %s %s)"):format(svg.num(B[1] - 56), svg.num(ymid)) },
    "output tokens/s per chip (throughput), log"))
  local clip = doc:clip_rect("serving-clip", B[1], B[2], B[3] - B[1], B[4] - B[2])
  local layer = svg.el("g", { ["clip-path"] = clip })
  doc:add(layer)
  local labels = svg.el("g", { class = "labels" })
  local info = { chart = "serving", model = arch.key or opts.model, chips = opts.n_chips, curves = {} }
  for _, c in ipairs(curves) do
    local pts = c.points
    if #pts > 0 then
      -- band: the high edge forward, the low edge back
      local band = {}
      for _, p in ipairs(pts) do
        band[#band + 1] = { x(p.user_tokens_per_s_high), y(p.per_chip_output_tokens_per_s_high) }
      end
      for i = #pts, 1, -1 do
        local p = pts[i]
        band[#band + 1] = { x(p.user_tokens_per_s_low), y(p.per_chip_output_tokens_per_s_low) }
      end
      layer:add(svg.el("path", { d = svg.path(band, true), class = "band", fill = c.color }))
      local line = {}
      for _, p in ipairs(pts) do line[#line + 1] = { x(p.user_tokens_per_s), y(p.per_chip_output_tokens_per_s) } end
      layer:add(svg.el("path", { d = svg.path(line), class = "curve", stroke = c.color,
        ["data-chip"] = c.id }))
      for i, p in ipairs(pts) do
        local px, py = line[i][1], line[i][2]
        local mk = svg.marker(c.shape, px, py, 3.6, { class = "pt", fill = c.color })
        mk:add(svg.el("title", nil, ("%s, batch %d: %s tok/s per chip, %s tok/s per user (%s)"):format(c.name,
          p.batch, svg.label(p.per_chip_output_tokens_per_s), ("%.3g"):format(p.user_tokens_per_s), p.parallelism)))
        layer:add(mk)
        if p.batch == 1 or p.batch == 16 or p.batch == 256 or i == #pts then
          labels:add(svg.el("text", { x = px + 5, y = py - 5, class = "batchlabel" }, tostring(p.batch)))
        end
      end
      -- chip name near the fastest-per-user end, moved clear of the names already placed
      c.anchor = line[1]
    end
    local ci = { id = c.id, status = c.status, reason = c.reason, points = {} }
    for _, p in ipairs(pts) do
      ci.points[#ci.points + 1] = { batch = p.batch, per_chip_output_tokens_per_s = p.per_chip_output_tokens_per_s,
        user_tokens_per_s = p.user_tokens_per_s }
    end
    info.curves[#info.curves + 1] = ci
  end
  local placed = {}
  local function free(box)
    for _, o in ipairs(placed) do
      if svg.overlaps(box, o, 2) then return false end
    end
    return box[1] >= B[1] and box[3] <= B[3] and box[2] >= B[2] and box[4] <= B[4]
  end
  for _, c in ipairs(curves) do
    if c.anchor then
      local w = svg.text_width(c.name, 10.5)
      local ax, ay = c.anchor[1], c.anchor[2]
      local spot
      for step = 0, 40 do
        for _, cand in ipairs({ { ax + 8, ay + 14 + 12 * step }, { ax - 8 - w, ay + 14 + 12 * step },
                                { ax + 8, ay - 6 - 12 * step }, { ax - 8 - w, ay - 6 - 12 * step } }) do
          local box = { cand[1], cand[2] - 10, cand[1] + w, cand[2] + 2 }
          if free(box) then spot = cand; placed[#placed + 1] = box; break end
        end
        if spot then break end
      end
      spot = spot or { ax + 8, ay + 14 }
      if math.abs(spot[2] - ay) > 20 then
        labels:add(svg.el("line", { x1 = ax, y1 = ay, x2 = spot[1] + (spot[1] > ax and 0 or w), y2 = spot[2] - 4,
          stroke = c.color, ["stroke-width"] = 0.7 }))
      end
      labels:add(svg.el("text", { x = spot[1], y = spot[2], class = "ptlabel", fill = c.color }, c.name))
    end
  end
  doc:add(labels)
  doc:add(svg.el("rect", { x = B[1], y = B[2], width = B[3] - B[1], height = B[4] - B[2], class = "frame" }))
  -- legend panel
  local LX, LY, LW = 820, B[2], W - 820 - 10
  local ly = LY + 20
  local panel = svg.el("rect", { x = LX, y = LY, width = LW, height = 10, rx = 4, class = "panel" })
  doc:add(panel)
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, "Chip (efficiency basis)"))
  ly = ly + 18
  for _, c in ipairs(curves) do
    doc:add(svg.el("line", { x1 = LX + 10, y1 = ly - 4, x2 = LX + 30, y2 = ly - 4, stroke = c.color,
      ["stroke-width"] = 2.2 }))
    doc:add(svg.marker(c.shape, LX + 20, ly - 4, 3.6, { class = "pt", fill = c.color }))
    doc:add(svg.el("text", { x = LX + 38, y = ly, class = "legend" }, c.name))
    ly = ly + 13
    local r = c.result
    local basis = (#c.points == 0) and ("not plotted: " .. tostring(c.reason or c.status)) or
      (r and r.efficiency and ("%s; decode %s"):format(r.efficiency.stack, r.efficiency.decode.basis)) or ""
    for _, l in ipairs(wrap_px(basis, LW - 48, 9.5)) do
      doc:add(svg.el("text", { x = LX + 38, y = ly, class = "legend-small" }, l))
      ly = ly + 11.5
    end
    ly = ly + 6
  end
  ly = ly + 4
  doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-title" }, "Reading the chart"))
  ly = ly + 16
  for _, l in ipairs(wrap_px("Each curve is the frontier over every plan and batch: from batch 1 on the widest " ..
    "tensor-parallel plan (right: fastest per user) to the largest batch that fits (left, top: most tokens per " ..
    "chip). Weights in each chip's 8-bit format. The shaded band spans the efficiency table's range.",
    LW - 20, 9.5)) do
    doc:add(svg.el("text", { x = LX + 10, y = ly, class = "legend-small" }, l))
    ly = ly + 11.5
  end
  panel.attrs.height = ly - LY + 4
  -- footnotes
  local notes = {
    ("Model: %s (%s). Deployment: %d chips; every plan (tensor, pipeline, expert parallelism) at every batch, " ..
      "reduced to the frontier; continuous batching with chunked prefill. Figures from tpp's serving model " ..
      "calibrated on published measurements ('tpp infer --validate' lists them and the model's error)."):format(
      arch.name or opts.model, arch.source or "preset", opts.n_chips),
    tpp.DISCLAIMER,
  }
  local fy = math.max(B[4] + 62, ly + 20)
  for _, para in ipairs(notes) do
    for _, l in ipairs(wrap_px(para, W - B[1], 9.5)) do
      doc:add(svg.el("text", { x = B[1] - 40, y = fy, class = "foot" }, l))
      fy = fy + 12
    end
  end
  doc:resize(W, math.ceil(fy + 6))
  info.plotted = {}
  for _, c in ipairs(curves) do if #c.points > 0 then info.plotted[#info.plotted + 1] = c.id end end
  info.rules = "-"
  info.as_of = "-"
  return doc:render(), info
end

return M
