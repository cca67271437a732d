--- tpp explain CHIP: one chip under a rule version, in plain language, with
-- every test against its line and what cannot be decided from specifications.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"
local explain = require "tpp.rules.explain"
local classify = require "tpp.commands.classify"

local M = {
  summary = "explain one chip's classification in plain language, test by test",
  usage = "tpp explain CHIP [--rules ID|FILE] [--as-of DATE] [--dest COUNTRY ...] [--hq COUNTRY] [--near PCT] " ..
    "[--view enforced|cfr-text] [-f FORMAT]",
  help = "--dest (repeatable) adds the screening of 'tpp screen' for each destination: every regime,\n" ..
    "its status on the date, its outcome, why and its source.",
  options = {
    rules = { arg = "ID|FILE", multi = true, help = "rule version id or rule file (default: in force on --as-of)" },
    ["as-of"] = { arg = "DATE", help = "rule time, YYYY-MM-DD (default today)" },
    dest = { arg = "COUNTRY", multi = true, help = "destination for the screening (repeatable; as tpp screen)" },
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

-- Company letters and notices in force on the date whose criteria the chip meets: they can require a
-- licence although the 3A090 classification does not (screen with --dest to see where).
function M.letters(chip, as_of)
  local rules = require "tpp.rules"
  local out = {}
  for _, id in ipairs(rules.BUILTIN) do
    local v = rules.get(id)
    if v.track == "letter" and v:status_at(as_of) == "in force" then
      local r = rules.classify(chip, { rules = v, as_of = as_of })
      if r.status ~= "not-controlled" then
        out[#out + 1] = { id = v.id, title = v.title, status = r.status, paragraph = r.governing, scope = v.scope,
                          citation = v.citation, informed = v.informed }
      end
    end
  end
  return out
end

function M.text(r, screening, letters)
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
  for _, l in ipairs(letters or {}) do
    lines[#lines + 1] = ""
    lines[#lines + 1] = report.wrap(("Also in force on %s: %s (%s). This chip %s its criteria (%s); the companies " ..
      "it informed (%s) need a licence for %s. 'tpp screen %s --to COUNTRY' (or --dest) gives the decision per " ..
      "destination."):format(r.as_of, l.id, l.citation, l.status == "controlled" and "meets" or "may meet",
      l.paragraph or "criteria unknown", table.concat(l.informed or {}, ", "), l.scope or "its destinations", r.chip),
      100, "  ")
  end
  if screening then
    local format = require "tpp.screen.format"
    for _, t in ipairs(screening.results) do
      lines[#lines + 1] = ""
      lines[#lines + 1] = "Screening (as tpp screen):"
      lines[#lines + 1] = format.transaction(t)
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
  local screenings = classify.screenings(chips, opts)
  local texts = {}
  local letters = {}
  for i, r in ipairs(results) do
    letters[i] = M.letters(chips[math.min(i, #chips)], r.as_of)
    texts[#texts + 1] = M.text(r, screenings and screenings[i], letters[i])
  end
  local data = #results == 1 and results[1] or { results = results }
  if #results == 1 then data.letters = letters[1] end
  if screenings then
    if #results == 1 then data.screening = screenings[1].results else data.screening = screenings end
  end
  return input.json_safe(data), table.concat(texts, "\n")
end

M._util = util
return M
