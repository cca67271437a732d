--- tpp chart KIND: charts as SVG (or PNG through rsvg-convert) on standard
-- output or into -o FILE.
local chart = require "tpp.chart"
local svg = require "tpp.svg"
local util = require "tpp.util"
local errors = require "tpp.errors"

local KINDS = {
  map = "TPP x performance-density map with the regions of a rule version",
  bandwidth = "DRAM x interconnect bandwidth (April-2025 letters) and TPP x DRAM (January-2026 review)",
  timeline = "announcement date x TPP with the TPP lines and the dates of the rule versions",
  serving = "tokens/s per chip x tokens/s per user from the serving model, one curve per chip",
}

local M = {
  summary = "draw a chart (SVG or PNG): map, bandwidth, timeline, serving",
  usage = "tpp chart map|bandwidth|timeline|serving [--rules ID] [--as-of DATE] [--chips LIST] [-i FILE] " ..
    "[--highlight CHIP] [--png] [--width PX] [-o FILE]",
  help = "map: the regions of a rule version (its compiled paragraphs), its threshold and review-policy\n" ..
    "lines, lines of constant die area, datasheet-unit ticks and every chip with known TPP and PD.\n" ..
    "bandwidth: DRAM x interconnect bandwidth under the April-2025 letter criteria (reported-only), and\n" ..
    "TPP x DRAM bandwidth under the January-2026 China/Macau review policy.\n" ..
    "timeline: each chip at the date it was announced (or first shipped), from the chip data; chips\n" ..
    "without a date are listed below the chart, not placed.\n" ..
    "Every line is drawn at the number its rule file holds. The chart goes to standard output unless -o\n" ..
    "is given; --png renders it with rsvg-convert (Debian package librsvg2-bin); --width sets the width\n" ..
    "in pixels; -f json prints what was drawn instead.",
  options = {
    rules = { arg = "ID|FILE", short = "r", help = "rule version (default: the one in force on the as-of date)" },
    ["as-of"] = { arg = "DATE", help = "YYYY-MM-DD (default today)" },
    chips = { arg = "LIST", multi = true, help = "chips to draw (names, comma-separated; default the database)" },
    input = { arg = "FILE", short = "i", file = true, help = "chips to draw from a JSON or CSV file" },
    highlight = { arg = "CHIP", multi = true, help = "mark a chip with a star on its point" },
    output = { arg = "FILE", short = "o", help = "write the chart to FILE and print a summary" },
    png = { flag = true, help = "PNG instead of SVG (needs rsvg-convert)" },
    width = { arg = "PX", help = "width in pixels (default: the chart's own, about 1,100-1,200)" },
    ["no-detail"] = { flag = true, help = "map: leave out the magnified inset" },
    model = { arg = "NAME", help = "serving: model preset or config file (default llama-3.1-70b)" },
    ["per-deployment"] = { arg = "N", help = "serving: chips per deployment (default 8)" },
  },
  min_args = 1, max_args = 1, raw_text = true,
  rows = "plotted",
}

function M.list()
  local out = {}
  for k in pairs(KINDS) do out[#out + 1] = k end
  table.sort(out)
  return out
end

--- PNG bytes of svg_text at width px, through rsvg-convert.
function M.png(svg_text, width)
  local probe = io.popen("command -v rsvg-convert 2>/dev/null")
  local path = probe and probe:read("*l")
  if probe then probe:close() end
  if not path or path == "" then
    error(errors.usage("tpp chart: --png needs rsvg-convert, which is not installed (Debian package " ..
      "librsvg2-bin); without --png the chart is written as SVG"), 0)
  end
  local base = os.tmpname()
  local src, dst = base .. ".svg", base .. ".png"
  local f = assert(io.open(src, "wb"))
  f:write(svg_text)
  f:close()
  local ok = os.execute(("rsvg-convert -w %d -f png -o %q %q 2>/dev/null"):format(math.floor(width + 0.5), dst, src))
  local g = io.open(dst, "rb")
  local bytes = g and g:read("*a")
  if g then g:close() end
  os.remove(src)
  os.remove(dst)
  os.remove(base)
  if not (ok == true or ok == 0) or not bytes or bytes:sub(2, 4) ~= "PNG" then
    error(errors.internal("tpp chart: rsvg-convert did not write a PNG"), 0)
  end
  return bytes
end

function M.run(args)
  local kind = args[1]
  if not KINDS[kind] then
    local hint = util.did_you_mean(kind, M.list())
    error(errors.usage(("tpp chart: unknown chart '%s'%s"):format(kind,
      hint and ("; did you mean '" .. hint .. "'?") or ("; charts: " .. table.concat(M.list(), ", ")))), 0)
  end
  if args["as-of"] then
    local ok, msg = util.check_date(args["as-of"])
    if not ok then error(errors.usage("tpp chart: --as-of: " .. msg), 0) end
  end
  local width
  if args.width then
    width = tonumber(args.width)
    if not width or width < 100 or width > 20000 or width ~= math.floor(width) then
      error(errors.usage(("tpp chart: --width: '%s'; expected a whole number of pixels, 100 to 20000")
        :format(args.width)), 0)
    end
  end
  local chips = args.chips
  if args.input then
    chips = chips or {}
    for _, c in ipairs(require("tpp.rules.input").read_chips(args.input, "tpp chart")) do chips[#chips + 1] = c end
  end
  local draw = kind == "serving" and require("tpp.charts.serving").chart or chart[kind]
  local ok, text, info = pcall(draw, {
    rules = args.rules, as_of = args["as-of"], chips = chips, highlight = args.highlight,
    detail = not args["no-detail"], model = args.model, n_chips = tonumber(args["per-deployment"]),
  })
  if not ok then error(errors.wrap(text, "tpp chart: "), 0) end
  info.chart = kind
  local natural = tonumber(text:match('<svg [^>]-viewBox="0 0 ([%d.]+)'))
  if width then text = svg.scale(text, width) end
  local out, format = text, "SVG"
  if args.png then
    out, format = M.png(text, width or natural), "PNG"
  end
  info.format = format:lower()
  info.width = width or natural
  if args.output then
    local f, err = io.open(args.output, "wb")
    if not f then error(errors.usage(("tpp chart: cannot write '%s': %s"):format(args.output, tostring(err))), 0) end
    f:write(out)
    f:close()
    info.output = args.output
    return info, ("wrote %s (%s %s chart, %d px wide, rules %s, as of %s, %d chips drawn)\n"):format(args.output,
      format, kind, math.floor(info.width + 0.5), tostring(info.rules), info.as_of, #info.plotted)
  end
  if args.png and args.format == "table" and require("tpp.backend").isatty(1) then
    error(errors.usage("tpp chart: --png writes binary data: give -o FILE or redirect standard output"), 0)
  end
  return info, out
end

return M
