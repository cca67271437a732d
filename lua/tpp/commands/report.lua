--- tpp report CHIP... : one self-contained HTML page for people (figures with
-- provenance, the threshold map, the classification over time, the screening
-- by destination, training against inference, sources and the disclaimer).
local report = require "tpp.html.report"
local input = require "tpp.rules.input"
local errors = require "tpp.errors"

local M = {
  summary = "write a self-contained HTML report on chips or a transaction (opens offline, prints to PDF)",
  usage = "tpp report CHIP... [--to COUNTRY ...] [--as-of DATE] [--end-user NAME] [--end-use USE] " ..
    "[--hq COUNTRY] [--origin us|foreign] [-o FILE.html]",
  help = "The page holds, per chip: the decision per destination (the path of 'tpp screen'), the regulatory\n" ..
    "metrics, the threshold map with the chip starred, its classification over time under every US rule\n" ..
    "version and letter, the screening regime by regime, the training-versus-inference comparison with\n" ..
    "the H100 (tpp's serving model), every datasheet figure with its provenance and source, and the rule\n" ..
    "files' SHA-256. Without --to: China, United Arab Emirates, Malaysia, India and Germany.\n" ..
    "It needs no network (styles and charts inline). -f json prints the gathered data instead.\n" ..
    "tpp is not legal advice.",
  options = {
    to = { arg = "COUNTRY", multi = true, help = "destination to screen (repeatable)" },
    dest = { arg = "COUNTRY", multi = true, alias = "to", help = "the same as --to" },
    ["as-of"] = { arg = "DATE", help = "rule and transaction date, YYYY-MM-DD (default today)" },
    ["end-user"] = { arg = "NAME", help = "buyer or end user (matched against tpp's Entity List extract)" },
    ["end-use"] = { arg = "USE", help = "end use (as tpp screen)" },
    hq = { arg = "COUNTRY", help = "headquarters (or ultimate parent) country of the buyer" },
    origin = { arg = "us|foreign", choices = { "us", "foreign" }, help = "US-origin or foreign-produced item" },
  },
  min_args = 1, args = "chip", raw_text = true,
  exit_status = {
    { 0, "the report was written" },
    { 64, "a bad chip name, country, date or flag" },
  },
}

function M.run(args)
  local cmd = "tpp report"
  local chips = {}
  for i = 1, #args do chips[i] = args[i] end
  local ok, page, data = pcall(report.build, {
    chips = chips, as_of = input.date(args, "as-of", cmd), destinations = args.to,
    end_user = args["end-user"], end_use = args["end-use"], hq = args.hq, origin = args.origin,
  })
  if not ok then
    if errors.is_error(page) then error(errors.wrap(page, cmd .. ": "), 0) end
    error(errors.usage(cmd .. ": " .. tostring(page):gsub("^[^\n]-:%d+: ", ""):gsub("^tpp[%.%w ]*: ", "")), 0)
  end
  if args.format == "json" then return input.json_safe(data), nil end
  return nil, page
end

return M
