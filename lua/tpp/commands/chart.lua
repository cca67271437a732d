--- tpp chart KIND: charts as SVG on standard output (or --output FILE).
local chart = require "tpp.chart"
local dest = require "tpp.dest"
local fleet_chart = require "tpp.charts.fleet"

local KINDS = {
  map = "TPP x performance-density threshold map with the 3A090 regions (PEERS.md §5.1)",
  bandwidth = "DRAM x interconnect bandwidth under the April-2025 letter criteria (reported-only)",
  timeline = "release year x TPP with the rule lines and rule dates",
  fleet = fleet_chart.SUMMARY,
}

local M = {
  summary = "draw a chart as SVG: map (TPP x PD threshold map), bandwidth, timeline",
  usage = "tpp chart map|bandwidth|timeline [--rules ID] [--as-of DATE] [--chips LIST] [--highlight CHIP] " ..
    "[--output FILE] [--json] > chart.svg",
  help = "map: the 3A090 regions drawn from the rule engine's compiled boxes, threshold guides, lines of\n" ..
    "constant die area, datasheet-unit ticks and every database chip with known TPP and PD.\n" ..
    "bandwidth: DRAM x interconnect bandwidth with the no-licence polygon of the April-2025 criteria.\n" ..
    "timeline: release year x TPP with the 1,600 / 4,800 / 21,000 lines and the rule dates.\n" ..
    "The SVG goes to standard output unless --output is given; --json prints what was drawn instead.",
  options = {
    rules = { arg = "ID", help = "rule version (default: the one in force on the as-of date)" },
    ["as-of"] = { arg = "DATE", help = "YYYY-MM-DD (default today)" },
    chips = { arg = "LIST", multi = true, help = "chips to draw (names, comma-separated; default the database)" },
    highlight = { arg = "CHIP", multi = true, help = "mark a chip with a star" },
    output = { arg = "FILE", help = "write the SVG to FILE and print a summary" },
    ["no-detail"] = { flag = true, help = "map: leave out the magnified inset" },
  },
  min_args = 1, max_args = 1,
}
for k, v in pairs(fleet_chart.OPTIONS) do M.options[k] = v end

function M.list()
  local out = {}
  for k in pairs(KINDS) do out[#out + 1] = k end
  table.sort(out)
  return out
end

function M.run(args)
  local kind = args[1]
  if not KINDS[kind] then
    local hint = require("tpp.util").did_you_mean(kind, M.list())
    error(("tpp chart: unknown chart '%s'%s"):format(kind,
      hint and ("; did you mean '" .. hint .. "'?") or ("; charts: " .. table.concat(M.list(), ", "))), 0)
  end
  if args["as-of"] then
    local ok, msg = dest.check_date(args["as-of"])
    if not ok then error("tpp chart: --as-of: " .. msg, 0) end
  end
  local ok, text, info = pcall(kind == "fleet" and fleet_chart.draw or chart[kind], kind == "fleet" and
    fleet_chart.opts(args) or {
    rules = args.rules, as_of = args["as-of"], chips = args.chips, highlight = args.highlight,
    detail = not args["no-detail"],
  })
  if not ok then
    local msg = tostring(text)
    if not msg:match("^tpp") then msg = "tpp chart: " .. msg end
    error(msg, 0)
  end
  info.chart = kind
  if args.output then
    local f, err = io.open(args.output, "wb")
    if not f then error(("tpp chart: cannot write '%s': %s"):format(args.output, tostring(err)), 0) end
    f:write(text)
    f:close()
    info.output = args.output
    return info, info.summary and ("wrote %s (%s)\n"):format(args.output, info.summary) or
      ("wrote %s (%s chart, rules %s, as of %s, %d chips drawn)\n"):format(args.output, kind,
      tostring(info.rules), info.as_of, #info.plotted)
  end
  return info, text
end

return M
