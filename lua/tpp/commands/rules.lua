--- tpp rules [ID]: the rule versions with status and dates, which one is in
-- force on a date; with ID, its thresholds, paragraphs, notes and figures.
local input = require "tpp.rules.input"
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "list rule versions with status and dates, or show one version's thresholds and paragraphs",
  usage = "tpp rules [ID|FILE] [--as-of DATE] [--json]",
  options = { ["as-of"] = { arg = "DATE", help = "show status on DATE and the version in force (default today)" } },
  max_args = 1, args = "rules",
  rows = function(data) return data.versions end,
}

local function dates_text(d)
  local parts = {}
  for _, k in ipairs(require("tpp.rules.dsl").DATE_KEYS) do
    if d[k] then parts[#parts + 1] = k:gsub("_", " ") .. " " .. d[k] end
  end
  return table.concat(parts, ", ")
end

local function show(v, as_of)
  local lines = { ("%s: %s"):format(v.id, v.title),
    ("  %s; %s on %s (%s today)"):format(v.citation or "-", v:status_at(as_of), as_of, v.status),
    "  dates: " .. dates_text(v.dates), "  track: " .. v.track .. (v.extends and ("; extends " .. v.extends) or ""),
    "  file: " .. tostring(v.file) .. "  sha256 " .. tostring(v.hash) }
  if v.status_note then lines[#lines + 1] = report.wrap("  note: " .. v.status_note, 100, "    ") end
  lines[#lines + 1] = ""
  local resolved = v:resolve(as_of)
  local rows = {}
  for _, name in ipairs(v.threshold_names) do
    local th = v.thresholds[name]
    rows[#rows + 1] = { name = name, value = util.num(resolved[name].value), unit = th.unit,
      prov = th.provenance, source = resolved[name].derivation or th.source }
  end
  lines[#lines + 1] = "Thresholds (names for tpp whatif --set):"
  lines[#lines + 1] = report.table({ { key = "name", title = "name", wrap = false },
    { key = "value", title = "value", align = "right" }, { key = "unit", title = "unit", priority = 2 },
    { key = "prov", title = "provenance", priority = 1 }, { key = "source", title = "source", note = true, priority = 1 } },
    rows)
  lines[#lines + 1] = ""
  lines[#lines + 1] = "Paragraphs, in precedence order:"
  local compiled = v:program(as_of)
  for _, c in ipairs(v.clauses) do
    local tests = {}
    for _, f in ipairs(compiled.flat) do
      if f.owner.id == c.id then
        local t = f.test
        tests[#tests + 1] = t.check and ("check " .. t.check) or (t.flag and ("%s is %s"):format(t.metric,
          t.flag == 1 and "true" or "false") or ("%s %s %s"):format(t.metric, t.op, util.num(f.threshold)))
      end
    end
    lines[#lines + 1] = ("  %-40s %-22s %-22s %s"):format(c.id, c.eccn or c.class, c.role == "policy" and
      ("policy: " .. c.outcome) or c.outcome, table.concat(tests, " and "))
  end
  if #v.notes > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Notes:"
    for _, n in ipairs(v.notes) do
      lines[#lines + 1] = report.wrap(("  %s (%s on %s): %s"):format(n.id, n.kind, table.concat(n.targets, ", "),
        n.text or ""), 100, "    ")
    end
  end
  local names = util.sorted_keys(v.figures)
  if #names > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Figures:"
    for _, name in ipairs(names) do
      local f = v.figures[name]
      local value = type(f.value) == "table" and table.concat(f.value, ", ") or tostring(f.value)
      lines[#lines + 1] = report.wrap(("  %s = %s %s [%s] %s"):format(name, value, f.unit or "", f.provenance or "-",
        f.source or ""), 100, "    ")
    end
  end
  return table.concat(lines, "\n") .. "\n"
end

function M.run(args)
  local rules = require "tpp.rules"
  local as_of = input.date(args, "as-of", "tpp rules") or os.date("!%Y-%m-%d")
  if args[1] then
    local v = input.versions({ args[1] }, "tpp rules")[1]
    local resolved = v:resolve(as_of)
    local data = {
      id = v.id, title = v.title, citation = v.citation, status = v.status, status_on = v:status_at(as_of),
      as_of = as_of, dates = v.dates, track = v.track, file = v.file, hash = v.hash, hashes = v.hashes,
      thresholds = {}, paragraphs = v.clauses, notes = v.notes, figures = v.figures, checklist = v.checklist,
      assumptions = v.assumptions,
    }
    for name, th in pairs(v.thresholds) do
      data.thresholds[name] = { value = resolved[name].value, unit = th.unit, provenance = th.provenance,
                                source = th.source, derivation = resolved[name].derivation }
    end
    return input.json_safe(data), show(v, as_of)
  end
  local list = rules.list()
  local in_force = {}
  for _, track in ipairs({ "3A090", "foundry", "letter" }) do
    local ok, v = pcall(rules.at, as_of, { track = track })
    if ok then in_force[v.id] = true end
  end
  local rows = {}
  for _, r in ipairs(list) do
    local v = rules.get(r.id)
    r.status_on = v:status_at(as_of)
    r.selected = in_force[r.id] or false
    rows[#rows + 1] = { id = r.id, status = r.status, on = r.status_on, sel = r.selected and "*" or "",
      track = r.track, eff = rules.effective_of(v), cite = r.citation, hash = r.hash:sub(1, 12) }
  end
  local text = report.table({ { key = "sel", title = "", priority = 1 }, { key = "id", title = "id", wrap = false },
    { key = "track", title = "track", priority = 3 }, { key = "status", title = "status", priority = 2 },
    { key = "on", title = "on " .. as_of, priority = 1 }, { key = "eff", title = "from", priority = 2 },
    { key = "cite", title = "citation", note = true, priority = 1 },
    { key = "hash", title = "sha256", priority = 4 } }, rows)
  text = text .. ("\n* = the version each track uses on %s (enforced policy). 'tpp rules ID' shows one version.\n")
    :format(as_of)
  return input.json_safe({ versions = list, as_of = as_of }), text
end

return M
