--- tpp diff ID1 ID2: what changes between two rule versions: the chips whose
-- outcome flips (database or --input fleet) and every region of metric space
-- where the versions disagree, each with a witness chip checked by the C core.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local explain = require "tpp.rules.explain"

local M = {
  summary = "compare two rule versions: chips that flip, and each region of disagreement with a witness",
  usage = "tpp diff ID1 ID2 [--input FILE] [--as-of DATE] [--fact NAME=VALUE ...] [--json]",
  help = "ID1 and ID2 are built-in ids or rule files. The regions are exact: every test is a half-open\n" ..
    "line, so each version is a union of boxes; each region comes with a witness chip whose metrics\n" ..
    "are run through both compiled programs. --fact fixes a metric (e.g. datacenter=1) in the search.",
  options = {
    input = { arg = "FILE", help = "a fleet: chips from JSON or CSV instead of the database" },
    ["as-of"] = { arg = "DATE", help = "date for dated or computed thresholds (default today)" },
    fact = { arg = "NAME=VALUE", multi = true, help = "hold a metric fixed, e.g. datacenter=1 or tpp=4000" },
  },
  min_args = 2, max_args = 2, args = "rules", rows = "flips",
}

local function decision(d)
  if d.status ~= "controlled" then return d.status end
  local s = d.class or d.eccn or "controlled"
  if d.outcome and d.outcome ~= "controlled" then s = s .. " (" .. d.outcome .. ")" end
  if d.review_policy then s = s .. " [" .. d.review_policy .. "]" end
  return s
end

local function box_text(box, dims)
  local parts = {}
  for _, k in ipairs(dims) do
    local i = box[k]
    if i then
      if i.lo == i.hi and (k == "datacenter" or k == "hbm" or k == "memory_item") then
        parts[#parts + 1] = ("%s = %s"):format(k, i.lo == 1 and "yes" or "no")
      else
        parts[#parts + 1] = ("%s in %s"):format(k, input.interval_text(i, explain.number))
      end
    end
  end
  return #parts > 0 and table.concat(parts, ", ") or "everywhere"
end

local function witness_text(w, dims)
  local parts = {}
  for _, k in ipairs(dims) do
    local v = w[k]
    if v ~= nil then
      parts[#parts + 1] = ("%s=%s"):format(k, type(v) == "boolean" and (v and "yes" or "no") or
        (type(v) == "number" and explain.number(v) or tostring(v)))
    end
  end
  return table.concat(parts, " ")
end

function M.text(d)
  local lines = { ("%s -> %s (thresholds as of %s)"):format(d.a, d.b, d.as_of), "" }
  if #d.flips == 0 then
    lines[#lines + 1] = ("No chip flips (%d unchanged)."):format(d.unchanged)
  else
    local rows = {}
    for _, f in ipairs(d.flips) do
      rows[#rows + 1] = { chip = f.chip, from = decision(f.from), to = decision(f.to) }
    end
    lines[#lines + 1] = ("%d chip%s flip, %d unchanged:"):format(#d.flips, #d.flips == 1 and "" or "s", d.unchanged)
    lines[#lines + 1] = report.table({ { key = "chip", title = "chip" }, { key = "from", title = d.a },
      { key = "to", title = d.b } }, rows)
  end
  lines[#lines + 1] = ""
  if d.regions_note and #d.regions == 0 then
    lines[#lines + 1] = "Regions: " .. d.regions_note
  else
    lines[#lines + 1] = ("%d region%s of metric space where they disagree (dimensions: %s):"):format(#d.regions,
      #d.regions == 1 and "" or "s", table.concat(d.dimensions or {}, ", "))
    local rows = {}
    for i, r in ipairs(d.regions) do
      rows[#rows + 1] = { n = i, change = r.summary, box = box_text(r.box, d.dimensions),
                          witness = witness_text(r.witness, d.dimensions), ok = r.confirmed and "yes" or "NO" }
    end
    lines[#lines + 1] = report.table({ { key = "n", title = "#", align = "right" },
      { key = "change", title = "change" }, { key = "box", title = "region" },
      { key = "witness", title = "witness chip" }, { key = "ok", title = "checked" } }, rows)
    if d.regions_note then lines[#lines + 1] = d.regions_note end
  end
  return table.concat(lines, "\n") .. "\n"
end

function M.run(args)
  local rules = require "tpp.rules"
  local cmd = "tpp diff"
  local vs = input.versions({ args[1], args[2] }, cmd)
  local facts = {}
  for name, value in pairs(input.settings(args.fact, cmd)) do
    facts[name] = value
  end
  local opts = { as_of = input.date(args, "as-of", cmd), facts = facts }
  if args.input then opts.chips = input.read_chips(args.input, cmd) end
  local ok, d = pcall(rules.diff, vs[1], vs[2], opts)
  if not ok then error(cmd .. ": " .. tostring(d):gsub("^tpp[%.%w]*: ", ""), 0) end
  for _, f in ipairs(d.flips) do f.explanation_a, f.explanation_b = f.explanation_a, f.explanation_b end
  return input.json_safe(d), M.text(d)
end

return M
