--- tpp.html.figures: the two small charts of the report, as SVG text.
--
--   figures.history(lanes, as_of)  -- one lane per kind of measure, a bar per period, coloured
--                                  -- by the chip's answer in that period
--   figures.ratios(rows)           -- ratio to the H100 on several yardsticks (log scale),
--                                  -- with low-high whiskers where the figure is uncertain
--
-- Both are deterministic (tpp.svg) and sized by their viewBox, so the page
-- scales them to any screen width.
local svg = require "tpp.svg"

local M = {}

local CSS = [[
.axis{stroke:#57606a;stroke-width:1}
.grid{stroke:#d0d7de;stroke-width:1}
.one{stroke:#1b1f24;stroke-width:1.5;stroke-dasharray:4 3}
.t{font-size:12px;fill:#1b1f24}
.s{font-size:11px;fill:#57606a}
.lane{font-size:12px;fill:#1b1f24;font-weight:600}
.controlled{fill:#d1242f}
.licence-required{fill:#d1242f}
.not-controlled{fill:#2da44e}
.does-not-apply{fill:#afb8c1}
.undetermined{fill:#d4a72c}
.nac-eligible{fill:#8250df}
.at-only{fill:#bc4c00}
.today{stroke:#1b1f24;stroke-width:2}
.bar-train{fill:#57606a}
.bar-mem{fill:#0969da}
.bar-serve{fill:#1a7f37}
.whisker{stroke:#1b1f24;stroke-width:1.5}
]]

-- days since 1970-01-01 of "YYYY-MM-DD" (proleptic Gregorian)
local function days(date)
  local y, m, d = date:match("^(%d+)%-(%d+)%-(%d+)$")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
M.days = days

--- lanes: list of { title, periods = { { from, to (exclusive, or nil = as_of), class, label } } }.
-- start: first date drawn; as_of: the rule date, marked with a line.
function M.history(lanes, start, as_of)
  local W, left, right, top, lane_h = 960, 190, 20, 34, 34
  local H = top + #lanes * lane_h + 40
  local last = days(as_of) + 45
  local x = svg.linear_scale(days(start), last, left, W - right)
  local doc = svg.document { width = W, height = H, css = CSS,
    title = "The chip's answer under each measure over time",
    desc = "One lane per kind of measure; each bar is a period, coloured by the answer for this chip." }
  -- years
  local y0, y1 = tonumber(start:sub(1, 4)), tonumber(as_of:sub(1, 4)) + 1
  for yr = y0, y1 do
    local d = days(("%04d-01-01"):format(yr))
    if d >= days(start) and d <= last then
      doc:add(svg.el("line", { x1 = x(d), x2 = x(d), y1 = top - 8, y2 = H - 30, class = "grid" }))
      doc:add(svg.el("text", { x = x(d), y = H - 14, class = "s", ["text-anchor"] = "middle" }, tostring(yr)))
    end
  end
  for i, lane in ipairs(lanes) do
    local y = top + (i - 1) * lane_h
    doc:add(svg.el("text", { x = left - 8, y = y + 17, class = "lane", ["text-anchor"] = "end" }, lane.title))
    for _, p in ipairs(lane.periods) do
      local a = math.max(days(p.from), days(start))
      local b = p.to and days(p.to) or last
      if b > a then
        local rect = svg.el("rect", { x = x(a), y = y + 4, width = math.max(1, x(b) - x(a)), height = lane_h - 10,
          class = p.class })
        rect:add(svg.el("title", nil, ("%s: %s to %s"):format(p.label, p.from, p.to or "today")))
        doc:add(rect)
        local wpx = x(b) - x(a)
        local text = p.short or p.label
        if svg.text_width(text, 11) + 8 < wpx then
          doc:add(svg.el("text", { x = x(a) + 4, y = y + 21, class = "s", fill = "#fff",
            style = "fill:#fff" }, text))
        end
      end
    end
  end
  local t = days(as_of)
  doc:add(svg.el("line", { x1 = x(t), x2 = x(t), y1 = top - 12, y2 = H - 30, class = "today" }))
  doc:add(svg.el("text", { x = x(t), y = top - 16, class = "t", ["text-anchor"] = "middle" }, as_of))
  return doc:render()
end

--- rows: list of { label, value, low, high, class } (ratios to the H100; nil value = unknown).
function M.ratios(rows, title)
  local W, left, right, top, row_h = 960, 300, 70, 30, 30
  local H = top + #rows * row_h + 46
  local lo, hi = 0.05, 10
  local x = svg.log_scale(lo, hi, left, W - right)
  local doc = svg.document { width = W, height = H, css = CSS, title = title or "Ratio to the H100",
    desc = "Each bar is the chip's figure divided by the H100's; 1 means equal (dashed line)." }
  for _, v in ipairs({ 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10 }) do
    doc:add(svg.el("line", { x1 = x(v), x2 = x(v), y1 = top - 6, y2 = H - 36, class = v == 1 and "one" or "grid" }))
    doc:add(svg.el("text", { x = x(v), y = H - 20, class = "s", ["text-anchor"] = "middle" },
      svg.label(v) .. "×"))
  end
  local function clamp(v) return math.min(hi, math.max(lo, v)) end
  for i, r in ipairs(rows) do
    local y = top + (i - 1) * row_h
    doc:add(svg.el("text", { x = left - 8, y = y + 17, class = "t", ["text-anchor"] = "end" }, r.label))
    if r.value then
      local v = clamp(r.value)
      local x0, x1 = x(math.min(1, v)), x(math.max(1, v))
      local bar = svg.el("rect", { x = x0, y = y + 5, width = math.max(1, x1 - x0), height = row_h - 12,
        class = r.class })
      bar:add(svg.el("title", nil, ("%s: %s× the H100"):format(r.label, svg.label(r.value, 3))))
      doc:add(bar)
      if r.low and r.high then
        local a, b = x(clamp(r.low)), x(clamp(r.high))
        local cy = y + row_h / 2 - 1
        doc:add(svg.el("line", { x1 = a, x2 = b, y1 = cy, y2 = cy, class = "whisker" }))
        doc:add(svg.el("line", { x1 = a, x2 = a, y1 = cy - 5, y2 = cy + 5, class = "whisker" }))
        doc:add(svg.el("line", { x1 = b, x2 = b, y1 = cy - 5, y2 = cy + 5, class = "whisker" }))
      end
      doc:add(svg.el("text", { x = math.max(x1, r.high and x(clamp(r.high)) or x1) + 6, y = y + 17, class = "t" },
        svg.label(r.value, 2) .. "×"))
    else
      doc:add(svg.el("text", { x = x(1) + 6, y = y + 17, class = "s" }, "unknown"))
    end
  end
  return doc:render()
end

return M
