--- tpp classify: chips under a rule version (the one in force on --as-of,
-- or those named by --rules), with every test, its margin and the reasons.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "classify chips under a rule version: status, ECCN, paragraphs, tests and margins",
  usage = "tpp classify [CHIP ...] [--input FILE.json|.csv] [--rules ID|FILE|all] [--as-of DATE] " ..
    "[--dest COUNTRY] [--hq COUNTRY] [--near PCT] [--basis enforced|cfr-text] [--explain] [--json]",
  help = "Without chips or --input: every chip of the database. Without --rules: the 3A090 version in\n" ..
    "force on --as-of (default today). --rules takes a built-in id, a rule file (run in the sandbox) or\n" ..
    "'all', and may be repeated. --dest/--hq add the licence decision (tpp.dest).",
  options = {
    input = { arg = "FILE", help = "chips from a JSON list (DESIGN.md shape) or a CSV in the chips.csv layout" },
    rules = { arg = "ID|FILE", multi = true, help = "rule version id, rule file, or 'all' (default: in force)" },
    ["as-of"] = { arg = "DATE", help = "rule time, YYYY-MM-DD (default today)" },
    dest = { arg = "COUNTRY", help = "destination country for the licence decision" },
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
      local o = { as_of = opts.as_of, near = opts.near, dest = opts.dest, hq = opts.hq, basis = opts.basis }
      if v then o.rules = v end
      local ok, r = pcall(rules.classify, chip, o)
      if not ok then error(("tpp classify: %s"):format(tostring(r):gsub("^tpp[%.%w]*: ", "")), 0) end
      out[#out + 1] = r
    end
  end
  return out
end

local function licence_text(r)
  local l = r.licence
  if not l then return nil end
  if l.available == false then return "  licence: " .. l.reason end
  local parts = { ("  licence (%s%s): %s"):format(l.country and l.country.name or "-",
    l.hq and (", HQ " .. l.hq.name) or "", l.outcome or l.licence or "-") }
  if l.review_policy then parts[#parts + 1] = "    review policy: " .. l.review_policy end
  for _, e in ipairs(l.exceptions or {}) do
    parts[#parts + 1] = ("    %s: %s%s"):format(e.id, e.state or tostring(e.available), e.why and (" - " .. e.why) or "")
  end
  for _, m in ipairs(l.missing or {}) do parts[#parts + 1] = "    missing: " .. tostring(m) end
  for _, c in ipairs(l.checklist or {}) do parts[#parts + 1] = "    check: " .. tostring(c) end
  for _, n in ipairs(l.notes or {}) do parts[#parts + 1] = "    note: " .. tostring(n) end
  return table.concat(parts, "\n")
end

function M.text(results, opts)
  local rows = {}
  for _, r in ipairs(results) do
    rows[#rows + 1] = {
      chip = r.chip, rules = r.rules, status = r.status,
      class = r.status == "controlled" and (r.eccn or r.classification) or
        (r.status == "undetermined" and ("needs " .. table.concat(r.missing, ", ")) or "-"),
      outcome = r.status == "controlled" and r.outcome or nil, by = r.governing,
      tpp = r.values.tpp, pd = r.values.pd, near = r.near_line and "near" or "",
      policy = r.review_policy, licence = r.licence and (r.licence.licence or "n/a") or nil,
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
  local any_policy, any_licence = false, false
  for _, r in ipairs(rows) do
    any_policy = any_policy or r.policy ~= nil
    any_licence = any_licence or r.licence ~= nil
  end
  if any_policy then cols[#cols + 1] = { key = "policy", title = "review policy" } end
  if any_licence then cols[#cols + 1] = { key = "licence", title = "licence" } end
  local lines = { report.table(cols, rows) }
  local explain = opts.explain or #results <= 3
  for _, r in ipairs(results) do
    if explain then
      lines[#lines + 1] = ""
      lines[#lines + 1] = report.wrap(("%s / %s: %s"):format(r.chip, r.rules, r.explanation), 100, "  ")
      lines[#lines + 1] = ("  rule file sha256 %s"):format(r.rules_hash)
    end
    if not explain then
      for _, e in ipairs(r.readings or {}) do
        if e.changes then
          lines[#lines + 1] = report.wrap(("  %s / %s: rests on a reading of the chip's figures; read as %s " ..
            "(%s) it would be '%s'"):format(r.chip, r.rules, e.name, e.text, e.answer), 100, "    ")
        end
      end
    end
    local l = licence_text(r)
    if l then lines[#lines + 1] = l end
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
           basis = args.basis, explain = args.explain }
end

function M.run(args)
  local opts = M.parse_options(args, "tpp classify")
  local chips = input.chips(args, "tpp classify")
  local versions = input.versions(args.rules, "tpp classify")
  local results = M.results(chips, versions, opts)
  return input.json_safe({ results = results, count = #results, as_of = results[1] and results[1].as_of,
                           disclaimer = require("tpp.rules").DISCLAIMER }), M.text(results, opts)
end

return M
