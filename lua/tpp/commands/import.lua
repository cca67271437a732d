--- tpp import epoch|csv FILE: read a third-party chip table as evidence and
-- show, per chip, where it agrees and disagrees with tpp's database. Nothing in
-- the database changes: a disagreement is a lead to check against a primary
-- source.
local report = require "tpp.report"
local util = require "tpp.util"

local M = {
  summary = "compare a third-party chip table (Epoch AI, or tpp's CSV format) with the database",
  usage = "tpp import epoch|csv FILE [--chip ID] [--all] [--json]",
  help = "epoch reads Epoch AI's machine-learning hardware table (its CSV, or a copy with short column names: " ..
    "headers are matched by keyword and FLOP/s, OP/s, byte/s are scaled to TFLOPS, TOPS, GB/s). csv reads tpp's " ..
    "own CSV chip format (docs/chips.md). Each row is matched to a database chip by id, name, alias or the same " ..
    "words in its name; unmatched rows are listed with the closest name. Every figure is compared (within 1 % " ..
    "agrees), and the row's TPP (stated, or computed from its figures) is checked like `tpp chips --check`: a " ..
    "convention that reproduces the difference (TF32 bits, FP6, sparsity, per die) is named. The database is " ..
    "never changed.",
  options = {
    chip = { arg = "ID", help = "only rows matched to this chip (id, name or alias)" },
    all = { flag = true, help = "list agreeing figures too, not only differences" },
  },
  min_args = 2, max_args = 2,
}

local FORMATS = { epoch = "read_epoch", csv = "read_csv" }
local LABEL = { epoch = "Epoch AI table", csv = "CSV table" }

local function num(v, unit)
  if v == nil then return "-" end
  local a = math.abs(v)
  local s = a >= 100 and util.fmt(v, 0) or (a >= 1 and util.fmt(v, 1) or ("%.3g"):format(v))
  return s .. (unit and (" " .. unit) or "")
end

function M.run(args)
  local fmt, path = args[1], args[2]
  if not FORMATS[fmt] then
    error(("tpp import: format '%s' unknown; expected epoch or csv"):format(tostring(fmt)), 0)
  end
  local f = io.open(path, "rb")
  if not f then error(("tpp import: cannot read %s"):format(path), 0) end
  f:close()
  local evidence = require "tpp.chips.evidence"
  local ok, records, ignored = pcall(evidence[FORMATS[fmt]], path)
  if not ok then error(("tpp import: %s"):format(tostring(records):gsub("^tpp: ", "")), 0) end
  if not records then error(("tpp import: %s"):format(tostring(ignored):gsub("^tpp: ", "")), 0) end
  local source = ("%s %s"):format(LABEL[fmt], path:match("[^/]+$") or path)
  local rep = evidence.compare(records, source)
  local only
  if args.chip then
    local id, msg = require("tpp.chips").resolve(args.chip)
    if not id then error("tpp import: --chip: " .. msg, 0) end
    only = id
  end
  local rows, notes = {}, {}
  local kept = {}
  for _, mrec in ipairs(rep.matched) do
    if not only or mrec.id == only then
      kept[#kept + 1] = mrec
      for _, fld in ipairs(mrec.fields) do
        if args.all or fld.verdict ~= "agrees" then
          rows[#rows + 1] = { id = mrec.id, what = fld.what, theirs = num(fld.theirs), ours = num(fld.ours),
            unit = fld.unit, diff = fld.diff_pct, verdict = fld.verdict, tag = fld.ours_tag }
        end
      end
      local t = mrec.tpp
      if t and (args.all or t.verdict ~= "agrees") then
        rows[#rows + 1] = { id = mrec.id, what = "TPP", theirs = num(t.stated), ours = num(t.computed), unit = "",
          diff = t.diff_pct, verdict = t.verdict == "agrees" and "agrees" or (t.verdict == "explained" and "explained" or
            (t.verdict == "not comparable" and "only theirs" or "differs")) }
        if t.reason and t.verdict ~= "agrees" then
          notes[#notes + 1] = ("%s TPP (%s): %s"):format(mrec.id, t.basis, (t.reason:gsub(" and no reason is recorded", "")))
        end
      end
      if mrec.name and util.squash(mrec.name) ~= util.squash(require("tpp").chip(mrec.id).data.name) then
        notes[#notes + 1] = ("%s matched row %d '%s'"):format(mrec.id, mrec.line, mrec.name)
      end
    end
  end
  local lines = {}
  lines[#lines + 1] = report.table({
    { key = "verdict", title = "verdict" },
    { key = "id", title = "chip" },
    { key = "what", title = "figure" },
    { key = "theirs", title = "theirs", align = "right" },
    { key = "ours", title = "tpp", align = "right" },
    { key = "unit", title = "unit" },
    { key = "diff", title = "diff", align = "right", fmt = function(v) return v and ("%+.1f %%"):format(v) or "-" end },
    { key = "tag", title = "tpp tag" },
  }, rows)
  for _, n in ipairs(notes) do lines[#lines + 1] = report.wrap("  " .. n, 100, "    ") end
  if #rep.unmatched > 0 and not only then
    lines[#lines + 1] = ""
    lines[#lines + 1] = ("Rows not matched to a database chip (%d):"):format(#rep.unmatched)
    for _, u in ipairs(rep.unmatched) do
      lines[#lines + 1] = report.wrap(("  line %d '%s': %s"):format(u.line, u.name, u.suggestion or "-"), 100, "    ")
    end
  end
  local c = rep.counts
  lines[#lines + 1] = ""
  lines[#lines + 1] = ("%d rows, %d matched: %d figures agree, %d differ, %d only theirs, %d only tpp. " ..
    "tpp's database is unchanged: a difference is a lead to check against a primary source."):format(
    c.rows, c.matched, c.agrees, c.differs, c.only_theirs, c.only_tpp)
  local json = require "tpp.json"
  local data = { source = source, format = fmt, counts = c, matched = kept, unmatched = rep.unmatched,
                 ignored_columns = ignored or {} }
  json.array(data.matched); json.array(data.unmatched); json.array(data.ignored_columns)
  for _, mrec in ipairs(kept) do json.array(mrec.fields) end
  return data, table.concat(lines, "\n") .. "\n"
end

return M
