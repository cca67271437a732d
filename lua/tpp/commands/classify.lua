--- tpp classify: chips under a rule version (the one in force on --as-of,
-- or those named by --rules), with every test, its margin and the reasons.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "classify chips under a rule version: status, ECCN, paragraphs, tests and margins",
  usage = "tpp classify [CHIP ...] [--input FILE|-] [--format table|json|jsonl|csv] [--output FILE] " ..
    "[--rules ID|FILE|all] [--as-of DATE] [--dest COUNTRY ...] [--hq COUNTRY] [--near PCT] " ..
    "[--basis enforced|cfr-text] [--explain] [--json]",
  help = "Without chips or --input: every chip of the database. Without --rules: the 3A090 version in\n" ..
    "force on --as-of (default today). --rules takes a built-in id, a rule file (run in the sandbox) or\n" ..
    "'all', and may be repeated. Bills are labelled 'would be ... if enacted'.\n" ..
    "--dest (repeatable) and --hq add the screening decision per destination: the same decision path as\n" ..
    "'tpp screen' (every regime, on the --as-of date).\n" ..
    "--input reads chips from CSV, JSON or JSON Lines (docs/input-formats.md; '-' = standard input).\n" ..
    "--format jsonl or csv writes one record per chip and rule version as it reads, for inputs of any\n" ..
    "size (to --output FILE, default standard output); the table shows at most 1000 chips.",
  options = {
    input = { arg = "FILE", help = "chips from a CSV, JSON or JSON Lines file ('-' = standard input)" },
    ["input-format"] = { arg = "FORMAT", help = "csv, json or jsonl (default: the extension, else the content)" },
    format = { arg = "FORMAT", help = "table (default), json, jsonl or csv" },
    output = { arg = "FILE", help = "write the jsonl/csv records to FILE (written whole or not at all)" },
    rules = { arg = "ID|FILE", multi = true, help = "rule version id, rule file, or 'all' (default: in force)" },
    ["as-of"] = { arg = "DATE", help = "rule time, YYYY-MM-DD (default today)" },
    dest = { arg = "COUNTRY", multi = true, help = "destination for the screening decision (repeatable; as tpp screen)" },
    hq = { arg = "COUNTRY", help = "headquarters (or ultimate parent) of the recipient" },
    near = { arg = "PCT", help = "flag values within PCT % of a line (default 5)" },
    basis = { arg = "BASIS", help = "'enforced' (default) or 'cfr-text' for as-of selection and licences" },
    explain = { flag = true, help = "print the plain-language explanation of every result" },
  },
}

local function num(v, decimals)
  if v == nil then return "-" end
  return util.fmt(v, decimals or 0)
end

--- Results for chips x versions (shared with tpp explain).
function M.results(chips, versions, opts)
  local rules = require "tpp.rules"
  local out = {}
  for _, chip in ipairs(chips) do
    for _, v in ipairs(versions or { false }) do
      local o = { as_of = opts.as_of, near = opts.near, basis = opts.basis }
      if v then o.rules = v end
      local ok, r = pcall(rules.classify, chip, o)
      if not ok then error(("tpp classify: %s"):format(tostring(r):gsub("^tpp[%.%w]*: ", "")), 0) end
      out[#out + 1] = r
    end
  end
  return out
end

--- Screening results (tpp.screen) for each chip to the --dest destinations, keyed by chip id; the
-- same decision path as `tpp screen`.
function M.screenings(chips, opts)
  if not opts.dest or #opts.dest == 0 then return nil end
  local screen = require "tpp.screen"
  local rules = require "tpp.rules"
  local out = {}
  for _, chip in ipairs(chips) do
    local q = { chip = chip, to = opts.dest, hq = opts.hq, as_of = opts.as_of, basis = opts.basis }
    -- a chosen 3A090 version screens under that version (a what-if); other tracks screen by date
    if opts.rules_id then
      local v = rules.get(opts.rules_id)
      if v.track == "3A090" then q.rules = v end
    end
    local ok, res = pcall(screen.screen, q)
    if not ok then
      error({ message = (tostring(res):gsub("^tpp%.screen: ", opts.cmd .. ": ")), exit = 64 }, 0)
    end
    local id = chip.data and (chip.data.id or chip.data.name) or tostring(chip)
    out[#out + 1] = { chip = id, results = res.results }
  end
  return out
end

local function screening_text(s)
  local format = require "tpp.screen.format"
  local lines = {}
  for _, r in ipairs(s.results) do lines[#lines + 1] = "  " .. format.headline(r) end
  return table.concat(lines, "\n")
end

function M.text(results, opts)
  local rows = {}
  for _, r in ipairs(results) do
    rows[#rows + 1] = {
      chip = r.chip, rules = r.rules, status = r.status_text or r.status,
      class = r.status == "controlled" and (r.eccn or r.classification) or
        (r.status == "undetermined" and ("needs " .. table.concat(r.missing, ", ")) or "-"),
      outcome = r.status == "controlled" and r.outcome or nil, by = r.governing,
      tpp = r.values.tpp, pd = r.values.pd, near = r.near_line and "near" or "",
      policy = r.review_policy,
    }
  end
  local cols = {
    { key = "chip", title = "chip" },
    { key = "rules", title = "rules" },
    { key = "status", title = "status" },
    { key = "class", title = "ECCN / class", max = 34 },
    { key = "outcome", title = "outcome" },
    { key = "by", title = "paragraph", max = 30 },
    { key = "tpp", title = "TPP", align = "right", fmt = function(v) return num(v) end },
    { key = "pd", title = "PD", align = "right", fmt = function(v) return num(v, 2) end },
    { key = "near", title = "near" },
  }
  local any_policy = false
  for _, r in ipairs(rows) do any_policy = any_policy or r.policy ~= nil end
  if any_policy then cols[#cols + 1] = { key = "policy", title = "review policy" } end
  local lines = { report.table(cols, rows) }
  local explain = opts.explain or #results <= 3
  for _, r in ipairs(results) do
    if explain then
      lines[#lines + 1] = ""
      lines[#lines + 1] = report.wrap(("%s / %s: %s"):format(r.chip, r.rules, r.explanation), 100, "  ")
      lines[#lines + 1] = ("  rule file sha256 %s"):format(r.rules_hash)
    end
    for _, w in ipairs(r.warnings or {}) do lines[#lines + 1] = report.wrap("  warning: " .. w, 100, "    ") end
    if not explain then
      for _, e in ipairs(r.readings or {}) do
        if e.changes then
          lines[#lines + 1] = report.wrap(("  %s / %s: rests on a reading of the chip's figures; read as %s " ..
            "(%s) it would be '%s'"):format(r.chip, r.rules, e.name, e.text, e.answer), 100, "    ")
        end
      end
    end
  end
  if opts.screenings then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Screening (the decision path of 'tpp screen'; 'tpp screen CHIP --to COUNTRY' shows every regime):"
    for _, sc in ipairs(opts.screenings) do lines[#lines + 1] = screening_text(sc) end
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = ("%d result%s, rule time %s; near = within %s%% of a deciding line. %s"):format(#results,
    #results == 1 and "" or "s", results[1] and results[1].as_of or "-",
    util.num((results[1] and results[1].near_margin or 0.05) * 100), require("tpp.rules").DISCLAIMER)
  return table.concat(lines, "\n") .. "\n"
end

function M.parse_options(args, cmd)
  local near = args.near and tonumber(args.near)
  if args.near and (not near or near < 0) then
    error(("%s: --near: '%s' is not a percentage >= 0"):format(cmd, args.near), 0)
  end
  if args.basis and args.basis ~= "enforced" and args.basis ~= "cfr-text" then
    error(("%s: --basis: '%s'; expected 'enforced' or 'cfr-text'"):format(cmd, args.basis), 0)
  end
  return { as_of = input.date(args, "as-of", cmd), near = near and near / 100, dest = args.dest, hq = args.hq,
           basis = args.basis, explain = args.explain, cmd = cmd,
           rules_id = args.rules and #args.rules == 1 and args.rules[1] ~= "all" and args.rules[1] or nil }
end

M.TABLE_LIMIT = 1000   -- chips shown in a table (the rest: --format jsonl/csv)
M.JSON_LIMIT = 10000   -- chips in one --json document (every result is held in memory)

local FORMATS = { table = true, json = true, jsonl = true, csv = true }
local EXT_FORMAT = { jsonl = "jsonl", ndjson = "jsonl", csv = "csv", json = "json" }

-- jsonl/csv: one compact record per chip and version, streamed.
local function run_stream(args, opts, fmt)
  local cmd = "tpp classify"
  if args.explain then
    error(cmd .. ": --explain prints explanations in the table; with --format " .. fmt .. " use 'tpp explain'", 0)
  end
  if args.dest or args.hq then
    error(cmd .. ": --dest/--hq screen destinations; with --format " .. fmt .. " classify streams the " ..
      "classification only (screen many transactions with 'tpp screen --input')", 0)
  end
  local stream = require "tpp.rules.stream"
  local rules_list
  if args.rules then
    rules_list = {}
    for _, v in ipairs(input.versions(args.rules, cmd)) do rules_list[#rules_list + 1] = v end
  end
  local source = args.input
  if not source then
    -- chips named on the command line, or the database: the same records as a list of rows
    local list = input.chips(args, cmd)
    local text = {}
    for i, c in ipairs(list) do
      local d = require("tpp.util").deepcopy(c.data)
      d.assumptions = nil
      text[i] = d
    end
    source = { text = require("tpp.json").encode(input.json_safe(text)), name = "chips" }
  elseif #args > 0 then
    error(cmd .. ": give chip names or --input, not both, with --format " .. fmt, 0)
  end
  local ok, summary = pcall(stream.classify, source, {
    output = args.output or "-", format = fmt, rules = rules_list, as_of = opts.as_of,
    near = opts.near, basis = opts.basis, input_format = args["input-format"],
  })
  if not ok then
    local reader = require "tpp.io"
    if reader.is_error(summary) then reader.raise(summary, cmd) end
    error(("%s: %s"):format(cmd, tostring(summary):gsub("^tpp[%.%w]*: ", "")), 0)
  end
  if (args.output or "-") == "-" then return nil, nil end
  local parts = {}
  for _, id in ipairs(summary.versions) do
    local c = summary.counts[id]
    parts[#parts + 1] = ("  %s: %s controlled, %s not controlled, %s undetermined, %s near a line"):format(id,
      util.fmt(c.controlled), util.fmt(c.not_controlled), util.fmt(c.undetermined), util.fmt(c.near))
  end
  local text = ("%s chips classified (rule time %s) into %s (%s, %s bytes):\n%s\n%s\n"):format(
    util.fmt(summary.rows), summary.as_of, summary.output, fmt, util.fmt(summary.bytes), table.concat(parts, "\n"),
    require("tpp.rules").DISCLAIMER)
  return input.json_safe(summary), text
end

function M.run(args)
  local opts = M.parse_options(args, "tpp classify")
  local fmt = args.format
  if fmt ~= nil and not FORMATS[fmt] then
    error(("tpp classify: --format: '%s'; expected table, json, jsonl or csv"):format(fmt), 0)
  end
  if args.output and not fmt then
    fmt = EXT_FORMAT[(args.output:lower():match("%.(%w+)$")) or ""]
    if not fmt then
      error(("tpp classify: --output %s: give --format jsonl or csv (the extension does not say)"):format(
        args.output), 0)
    end
  end
  -- --json with --output FILE: the records go to FILE, the summary to stdout as JSON
  if args.json and fmt and fmt ~= "json" and (args.output or "-") == "-" then
    error(("tpp classify: --json and --format %s: choose one"):format(fmt), 0)
  end
  if fmt == "jsonl" or fmt == "csv" then return run_stream(args, opts, fmt) end
  if args.output then
    error("tpp classify: --output writes jsonl or csv records; use --format jsonl or csv", 0)
  end
  if fmt == "json" then args.json = true end
  local limit = args.json and M.JSON_LIMIT or M.TABLE_LIMIT
  local chips, more = input.chips(args, "tpp classify", nil, limit)
  if more and args.json then
    error(("tpp classify: --json holds every result in memory; the input has more than %s chips: use " ..
      "--format jsonl (or csv) with --output FILE"):format(util.fmt(limit)), 0)
  end
  local versions = input.versions(args.rules, "tpp classify")
  local results = M.results(chips, versions, opts)
  opts.screenings = M.screenings(chips, opts)
  local text = M.text(results, opts)
  if more then
    text = text .. ("Showing the first %s chips of %s; the rest were not read. For every chip: " ..
      "--format jsonl (or csv) --output FILE.\n"):format(util.fmt(limit), args.input)
  end
  return input.json_safe({ results = results, count = #results, as_of = results[1] and results[1].as_of,
                           screening = opts.screenings,
                           disclaimer = require("tpp.rules").DISCLAIMER }), text
end

return M
