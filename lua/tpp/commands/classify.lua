--- tpp classify: chips under a rule version (the one in force on --as-of,
-- or those named by --rules), with every test, its margin and the reasons.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"
local cli = require "tpp.cli"

local M = {
  summary = "classify chips under a rule version: status, ECCN, margins",
  usage = "tpp classify [CHIP ...] [-i FILE] [--rules ID|FILE|all] [--as-of DATE] " ..
    "[--dest COUNTRY ...] [--hq COUNTRY] [--near PCT] [--view enforced|cfr-text] [--explain] [-f FORMAT]",
  help = "Without chips or --input: every chip of the database. Without --rules: the 3A090 version in\n" ..
    "force on --as-of (default today). --rules takes a built-in id, a rule file (run in the sandbox) or\n" ..
    "'all', and may be repeated. Bills are labelled 'would be ... if enacted'.\n" ..
    "--dest (repeatable) and --hq add the screening decision per destination: the same decision path as\n" ..
    "'tpp screen' (every regime, on the --as-of date).\n" ..
    "The exit status is the strictest result, so a script can gate on it: 1 when any chip is\n" ..
    "controlled (with --dest: any licence required or prohibited), else 2 when any is undetermined,\n" ..
    "else 0.",
  options = {
    input = { arg = "FILE", short = "i", file = true,
              help = "chips from a JSON list of chip tables (as in the README) or a CSV with a header" },
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

function M.run(args)
  local opts = M.parse_options(args, "tpp classify")
  local chips = input.chips(args, "tpp classify")
  local versions = input.versions(args.rules, "tpp classify")
  local results = M.results(chips, versions, opts)
  opts.screenings = M.screenings(chips, opts)
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
                           disclaimer = require("tpp.rules").DISCLAIMER }), M.text(results, opts),
    cli.decision_status(statuses)
end

return M
