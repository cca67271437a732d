--- tpp explain CHIP: one chip under a rule version, in plain language, with
-- every test against its line and what cannot be decided from specifications.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"
local explain = require "tpp.rules.explain"
local classify = require "tpp.commands.classify"

local M = {
  summary = "explain one chip's classification in plain language, test by test",
  usage = "tpp explain CHIP [--rules ID|FILE] [--as-of DATE] [--dest COUNTRY] [--hq COUNTRY] [--near PCT] " ..
    "[--view enforced|cfr-text] [-f FORMAT]",
  options = {
    rules = { arg = "ID|FILE", multi = true, help = "rule version id or rule file (default: in force on --as-of)" },
    ["as-of"] = { arg = "DATE", help = "rule time, YYYY-MM-DD (default today)" },
    dest = { arg = "COUNTRY", help = "destination country for the licence decision" },
    hq = { arg = "COUNTRY", help = "headquarters (or ultimate parent) of the recipient" },
    near = { arg = "PCT", help = "flag values within PCT % of a line (default 5)" },
    view = { arg = "VIEW", choices = { "enforced", "cfr-text" },
             help = "'enforced' policy (default) or the 'cfr-text' (with rules not enforced)" },
    basis = { arg = "VIEW", alias = "view", deprecated = true, choices = { "enforced", "cfr-text" },
              help = "the old name of --view" },
  },
  rows = function(data) return data.results or { data } end,
  min_args = 1, max_args = 1, args = "chip",
}

local function value_text(t)
  if t.value == nil then return "unknown" end
  if type(t.value) == "boolean" then return t.value and "yes" or "no" end
  if type(t.value) == "string" then return t.value end
  return explain.number(t.value)
end

local function threshold_text(t)
  if type(t.threshold) == "boolean" then return t.threshold and "yes" or "no" end
  if type(t.threshold) == "string" then return t.threshold end
  return explain.number(t.threshold)
end

function M.text(r)
  local lines = { report.wrap(r.explanation, 100) , "" }
  local rows = {}
  for _, t in ipairs(r.tests) do
    local units = {}
    for _, u in ipairs(t.datasheet or {}) do
      if u.value then units[#units + 1] = ("%s/%s %s"):format(explain.number(u.value), explain.number(u.threshold),
        u.unit:gsub("^dense ", "")) end
    end
    rows[#rows + 1] = {
      clause = t.clause, metric = explain.metric_name(t), op = t.op, threshold = threshold_text(t),
      value = value_text(t), result = t.result, margin = t.margin and explain.number(t.margin) or "",
      ratio = t.margin_ratio and ("%.4f"):format(t.margin_ratio) or "", near = t.near and "near" or "",
      units = table.concat(units, "; "),
    }
  end
  lines[#lines + 1] = report.table({
    { key = "clause", title = "paragraph / note", max = 36 }, { key = "metric", title = "metric", max = 26 },
    { key = "op", title = "op" }, { key = "threshold", title = "line", align = "right" },
    { key = "value", title = "value", align = "right" }, { key = "result", title = "result" },
    { key = "margin", title = "margin", align = "right" }, { key = "ratio", title = "ratio", align = "right" },
    { key = "near", title = "" }, { key = "units", title = "datasheet units (value/line)" },
  }, rows)
  if #r.checklist > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Not computable from specifications (check by hand):"
    for _, c in ipairs(r.checklist) do lines[#lines + 1] = report.wrap("  - " .. c, 100, "    ") end
  end
  if #r.assumptions > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Named assumptions of this rule version:"
    for _, a in ipairs(r.assumptions) do
      lines[#lines + 1] = report.wrap(("  - %s: %s"):format(a.name, a.text), 100, "    ")
    end
  end
  if r.licence then
    lines[#lines + 1] = ""
    if r.licence.available == false then
      lines[#lines + 1] = "Licence: " .. r.licence.reason
    else
      local ok, dest = pcall(require, "tpp.dest")
      lines[#lines + 1] = ok and dest.format and dest.format(r.licence) or ("Licence: " .. tostring(r.licence.licence))
    end
  end
  lines[#lines + 1] = ""
  lines[#lines + 1] = ("Rule %s (%s on %s), file %s, sha256 %s"):format(r.rules, r.rules_status, r.as_of,
    r.rules_file or "-", r.rules_hash)
  lines[#lines + 1] = require("tpp.rules").DISCLAIMER
  return table.concat(lines, "\n") .. "\n"
end

function M.run(args)
  local opts = classify.parse_options(args, "tpp explain")
  local chips = input.chips(args, "tpp explain")
  local versions = input.versions(args.rules, "tpp explain")
  local results = classify.results(chips, versions, opts)
  local texts = {}
  for _, r in ipairs(results) do texts[#texts + 1] = M.text(r) end
  local data = #results == 1 and results[1] or { results = results }
  return input.json_safe(data), table.concat(texts, "\n")
end

M._util = util
return M
