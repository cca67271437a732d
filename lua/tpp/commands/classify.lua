--- tpp classify: chips under a rule version (the one in force on --as-of,
-- or those named by --rules), with every test, its margin and the reasons.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"
local cli = require "tpp.cli"

local M = {
  summary = "classify chips under a rule version: status, ECCN, margins",
  usage = "tpp classify [CHIP ...] [-i FILE|-] [--rules ID|FILE|all] [--as-of DATE] " ..
    "[--dest COUNTRY ...] [--hq COUNTRY] [--near PCT] [--view enforced|cfr-text] [--explain] " ..
    "[-f table|json|jsonl|csv] [-o FILE]",
  help = "Without chips or --input: every chip of the database. Without --rules: the 3A090 version in\n" ..
    "force on --as-of (default today). --rules takes a built-in id, a rule file (run in the sandbox) or\n" ..
    "'all', and may be repeated. Bills are labelled 'would be ... if enacted'.\n" ..
    "--dest (repeatable) and --hq add the screening decision per destination: the same decision path as\n" ..
    "'tpp screen' (every regime, on the --as-of date).\n" ..
    "--input reads chips from CSV, JSON or JSON Lines (docs/input-formats.md; '-' = standard input).\n" ..
    "-f jsonl or csv writes one record per chip and rule version as it reads, for inputs of any\n" ..
    "size (to -o FILE, default standard output); the table shows at most 1000 chips.\n" ..
    "The exit status is the strictest result, so a script can gate on it: 1 when any chip is\n" ..
    "controlled (with --dest: any licence required or prohibited), else 2 when any is undetermined,\n" ..
    "else 0.",
  options = {
    input = { arg = "FILE", short = "i", file = true,
              help = "chips from a CSV, JSON or JSON Lines file ('-' = standard input)" },
    ["input-format"] = { arg = "FORMAT", choices = { "csv", "json", "jsonl" },
                         help = "csv, json or jsonl (default: the extension, else the content)" },
    output = { arg = "FILE", short = "o",
               help = "write the jsonl/csv records to FILE (written whole or not at all)" },
    rules = { arg = "ID|FILE", short = "r", multi = true,
              help = "rule version id, rule file, or 'all' (default: in force)" },
    ["as-of"] = { arg = "DATE", help = "rule time, YYYY-MM-DD (default today)" },
    dest = { arg = "COUNTRY", multi = true, help = "destination for the screening decision (repeatable; as tpp screen)" },
    hq = { arg = "COUNTRY", help = "headquarters (or ultimate parent) of the recipient" },
    near = { arg = "PCT", help = "flag values within PCT % of a line (default 5)" },
    view = { arg = "VIEW", choices = { "enforced", "cfr-text" },
             help = "'enforced' policy (default) or the 'cfr-text' (with rules not enforced), for the " ..
               "as-of selection and licences" },
    basis = { arg = "VIEW", alias = "view", deprecated = true, choices = { "enforced", "cfr-text" },
              help = "the old name of --view" },
    explain = { flag = true, help = "print the plain-language explanation of every result" },
  },
  args = "chip", rows = "results",
  columns = { "chip", "rules", "status", "eccn", "classification", "outcome", "governing", "values.tpp",
              "values.pd", "near_line", "missing", "review_policy", "as_of", "rules_status", "rules_hash" },
  exit_status = {
    { 0, "every chip is not controlled" },
    { 1, "at least one chip is controlled" },
    { 2, "none controlled, at least one undetermined (a figure is missing)" },
    { 64, "a bad flag, chip name, date or rule id" },
    { 65, "a bad chip file or rule file" },
    { 66, "an input file is missing" },
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
      error(require("tpp.errors").usage((tostring(res):gsub("^tpp%.screen: ", opts.cmd .. ": "))), 0)
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
  -- decisive columns first; the rule version once above the table when every row shares it
  local one_rules = #rows > 0
  for _, r in ipairs(rows) do one_rules = one_rules and r.rules == rows[1].rules end
  local cols = {
    { key = "chip", title = "chip", wrap = false },
    { key = "status", title = "status", fmt = function(v) return (v:gsub("-", " ")) end },
    { key = "class", title = "ECCN / class", max = 34 },
    { key = "tpp", title = "TPP", align = "right", fmt = function(v) return num(v) end },
    { key = "pd", title = "PD", align = "right", fmt = function(v) return num(v, 2) end, priority = 2 },
    { key = "near", title = "near", priority = 2 },
    { key = "outcome", title = "outcome", priority = 4 },
    { key = "by", title = "paragraph", max = 30, priority = 3 },
  }
  if not one_rules then table.insert(cols, 2, { key = "rules", title = "rules", wrap = false }) end
  local any_policy, any_licence = false, false
  for _, r in ipairs(rows) do
    any_policy = any_policy or r.policy ~= nil
    any_licence = any_licence or r.licence ~= nil
  end
  if any_policy then cols[#cols + 1] = { key = "policy", title = "review policy", priority = 3 } end
  if any_licence then cols[#cols + 1] = { key = "licence", title = "licence", priority = 2 } end
  local width = report.width()
  local lines = {}
  if one_rules then
    local r1 = results[1]
    lines[#lines + 1] = report.wrap(("Rules %s (%s on %s)"):format(r1.rules, tostring(r1.rules_status), r1.as_of),
      width)
    lines[#lines + 1] = ""
  end
  lines[#lines + 1] = report.table(cols, rows)
  local explain = opts.explain or #results <= 3
  for _, r in ipairs(results) do
    if explain then
      lines[#lines + 1] = ""
      lines[#lines + 1] = report.wrap(("%s / %s: %s"):format(r.chip, r.rules, r.explanation), width, "  ")
      lines[#lines + 1] = ("  rule sha256 %s"):format(r.rules_hash)
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
  lines[#lines + 1] = report.wrap(("%d result%s, rule time %s; near = within %s%% of a deciding line. %s"):format(
    #results, #results == 1 and "" or "s", results[1] and results[1].as_of or "-",
    util.num((results[1] and results[1].near_margin or 0.05) * 100), require("tpp.rules").DISCLAIMER), width)
  return table.concat(lines, "\n") .. "\n"
end

function M.parse_options(args, cmd)
  local near = args.near and tonumber(args.near)
  if args.near and (not near or near < 0) then
    error(("%s: --near: '%s' is not a percentage >= 0"):format(cmd, args.near), 0)
  end
  -- the view (enforced policy or CFR text) is called basis inside tpp.rules and tpp.dest
  local view = args.view
  if view == nil and args.basis ~= nil then view = args.basis end -- a command without the alias option
  if view and view ~= "enforced" and view ~= "cfr-text" then
    error(("%s: --view: '%s'; expected 'enforced' or 'cfr-text'"):format(cmd, view), 0)
  end
  return { as_of = input.date(args, "as-of", cmd), near = near and near / 100, dest = args.dest, hq = args.hq,
           basis = view, explain = args.explain, cmd = cmd,
           rules_id = args.rules and #args.rules == 1 and args.rules[1] ~= "all" and args.rules[1] or nil }
end

M.TABLE_LIMIT = 1000   -- chips shown in a table (the rest: --format jsonl/csv)
M.JSON_LIMIT = 10000   -- chips in one --json document (every result is held in memory)

local FORMATS = { table = true, json = true, jsonl = true, csv = true }
local EXT_FORMAT = { jsonl = "jsonl", ndjson = "jsonl", csv = "csv", json = "json" }

-- jsonl/csv: one compact record per chip and version, streamed.
local function run_stream(args, opts, fmt, summary_json)
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
  -- the exit status, as for the table: any controlled -> 1, else any undetermined -> 2
  local status = 0
  for _, id in ipairs(summary.versions) do
    local c = summary.counts[id]
    if c.controlled > 0 then status = 1 elseif c.undetermined > 0 and status == 0 then status = 2 end
  end
  if (args.output or "-") == "-" then return nil, nil, status end
  local parts = {}
  for _, id in ipairs(summary.versions) do
    local c = summary.counts[id]
    parts[#parts + 1] = ("  %s: %s controlled, %s not controlled, %s undetermined, %s near a line"):format(id,
      util.fmt(c.controlled), util.fmt(c.not_controlled), util.fmt(c.undetermined), util.fmt(c.near))
  end
  local text = ("%s chips classified (rule time %s) into %s (%s, %s bytes):\n%s\n%s\n"):format(
    util.fmt(summary.rows), summary.as_of, summary.output, fmt, util.fmt(summary.bytes), table.concat(parts, "\n"),
    require("tpp.rules").DISCLAIMER)
  if summary_json then return input.json_safe(summary), text, status end
  io.stdout:write(text)
  return nil, nil, status
end

function M.run(args)
  local opts = M.parse_options(args, "tpp classify")
  -- with -o FILE the records go to FILE (format from -f jsonl|csv or the extension) and the
  -- summary to standard output, as a table or (-j) as JSON
  local fmt = args.format
  local summary_json = false
  if args.output and (fmt == "table" or fmt == "json") then
    summary_json = fmt == "json"
    fmt = nil
  end
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
  if fmt == "jsonl" or fmt == "csv" then return run_stream(args, opts, fmt, summary_json) end
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
  -- the exit status gates a pipeline: the screening decisions when destinations were given,
  -- else the classifications
  local statuses = {}
  if opts.screenings then
    for _, sc in ipairs(opts.screenings) do
      for _, r in ipairs(sc.results) do statuses[#statuses + 1] = r.decision end
    end
  else
    for i, r in ipairs(results) do statuses[i] = r.status end
  end
  return input.json_safe({ results = results, count = #results, as_of = results[1] and results[1].as_of,
                           screening = opts.screenings,
                           disclaimer = require("tpp.rules").DISCLAIMER }), text,
    cli.decision_status(statuses)
end

return M
