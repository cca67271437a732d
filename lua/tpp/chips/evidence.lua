--- tpp.chips.evidence: a third-party chip table read as evidence. Each row is
-- matched to a database chip by id, name or alias; its figures are compared
-- with tpp's, figure by figure, and its TPP with tpp's TPP (a difference is
-- explained by a convention where one reproduces it, as in `tpp chips
-- --check`). The database is never changed: a disagreement is a lead to check
-- against a primary source, not a correction.
--
--   local evidence = require "tpp.chips.evidence"
--   local rep = evidence.compare(evidence.read_epoch("ml_hardware.csv"), "Epoch AI")
--   -- rep.matched[i] = { name, id, line, fields = { { what, theirs, ours, diff_pct, verdict } }, tpp = row }
--   -- rep.unmatched[i] = { name, line, suggestion }
local db = require "tpp.chips"
local import = require "tpp.chips.import"
local check = require "tpp.chips.check"
local util = require "tpp.util"

local M = {}

M.TOLERANCE = 0.01

-- The figures compared, in report order: record path, label, unit.
M.FIELDS = {
  { "dense.fp64", "FP64", "TFLOPS" }, { "fp64_vector", "FP64 vector", "TFLOPS" }, { "dense.fp32", "FP32", "TFLOPS" },
  { "dense.tf32", "TF32", "TFLOPS" }, { "dense.fp16", "FP16/BF16 tensor", "TFLOPS" }, { "dense.fp8", "FP8", "TFLOPS" },
  { "dense.int8", "INT8", "TOPS" }, { "dense.fp6", "FP6", "TFLOPS" }, { "dense.fp4", "FP4", "TFLOPS" },
  { "dense.int4", "INT4", "TOPS" }, { "memory.capacity_gb", "memory", "GB" },
  { "memory.bandwidth_gbs", "memory bandwidth", "GB/s" }, { "interconnect_gbs", "interconnect", "GB/s" },
  { "die_area_mm2", "die area", "mm2" }, { "tdp_w", "TDP", "W" },
}

-- ---- reading Epoch AI's table ----

-- A column of an Epoch-style table: which figure it holds and the factor to
-- tpp's unit. Headers are matched by keywords, so both Epoch's published
-- headers ("Tensor-FP16/BF16 performance (FLOP/s)") and the short ones of
-- copies ("tensor_fp16_bf16_tops") are read; a header in FLOP/s, OP/s or
-- byte/s is scaled to TFLOPS, TOPS or GB/s.
local function classify_header(h)
  local l = h:lower()
  if l == "name" or l:find("hardware name", 1, true) then return "name" end
  if l == "manufacturer" or l == "vendor" or l == "designer" then return "manufacturer" end
  if l:find("release", 1, true) then return "release_date" end
  local per_second = l:find("flop/s", 1, true) or l:find("op/s", 1, true)
  local compute_scale = (per_second and not l:find("tflop", 1, true) and not l:find("top", 1, true)) and 1e-12 or 1
  local function compute(path) return path, compute_scale end
  if l:find("recomputed", 1, true) or l:find("19bit", 1, true) or l:find("if_tf32", 1, true) then return nil end
  if l:find("tpp", 1, true) then return "stated.tpp", 1 end
  if l:find("tf32", 1, true) then return compute("dense.tf32") end
  if (l:find("fp16", 1, true) or l:find("bf16", 1, true)) and l:find("tensor", 1, true) then return compute("dense.fp16") end
  if l:find("fp16", 1, true) or l:find("half precision", 1, true) then return nil end -- vector FP16: not a TPP rate
  if l:find("fp64", 1, true) or l:find("double precision", 1, true) then return compute("fp64_vector") end
  if l:find("fp32", 1, true) or l:find("single precision", 1, true) then return compute("dense.fp32") end
  if l:find("fp8", 1, true) then return compute("dense.fp8") end
  if l:find("fp6", 1, true) then return compute("dense.fp6") end
  if l:find("fp4", 1, true) then return compute("dense.fp4") end
  if l:find("int8", 1, true) then return compute("dense.int8") end
  if l:find("int4", 1, true) then return compute("dense.int4") end
  if l:find("bandwidth", 1, true) and (l:find("mem", 1, true) or l == "mem_bw_gbs") then
    if l:find("byte/s", 1, true) then return "memory.bandwidth_gbs", 1e-9 end
    if l:find("tb/s", 1, true) then return "memory.bandwidth_gbs", 1000 end
    return "memory.bandwidth_gbs", 1
  end
  if l == "mem_bw_gbs" then return "memory.bandwidth_gbs", 1 end
  if l:find("intranode", 1, true) or l:find("interconnect", 1, true) then
    if l:find("byte/s", 1, true) then return "interconnect_gbs", 1e-9 end
    return "interconnect_gbs", 1
  end
  if l:find("memory size", 1, true) or l == "mem_gb" then
    if l:find("(byte)", 1, true) then return "memory.capacity_gb", 1e-9 end
    return "memory.capacity_gb", 1
  end
  if l:find("die", 1, true) then return "die_area_mm2", 1 end
  if l:find("tdp", 1, true) then return "tdp_w", 1 end
  return nil
end

--- Read an Epoch AI hardware table (its CSV, or a copy with short column
-- names). Returns records { name, manufacturer, line, figures = { path = value } }
-- and the list of columns that were not used.
function M.read_epoch(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, ("tpp: cannot read %s: %s"):format(path, tostring(err)) end
  local text = f:read("*a")
  f:close()
  local rows, starts = import.parse_csv(text, path)
  local header = rows[1]
  if not header then return nil, ("tpp: %s: empty file"):format(path) end
  local cols, ignored, has_name = {}, {}, false
  for j, h in ipairs(header) do
    local what, scale = classify_header(util.trim(h))
    cols[j] = { what = what, scale = scale }
    if what == "name" then has_name = true end
    if not what then ignored[#ignored + 1] = h end
  end
  if not has_name then
    return nil, ("tpp: %s:1: no name column (expected 'name' or 'Hardware name')"):format(path)
  end
  local out = {}
  for i = 2, #rows do
    local row = rows[i]
    if not (#row == 1 and row[1] == "") then
      if #row ~= #header then
        return nil, ("tpp: %s:%d: %d fields, expected %d as in the header"):format(path, starts[i], #row, #header)
      end
      local rec = { figures = {}, line = starts[i] }
      for j, cell in ipairs(row) do
        local c = cols[j]
        cell = util.trim(cell)
        if c.what == "name" then rec.name = cell
        elseif c.what == "manufacturer" then rec.manufacturer = cell
        elseif c.what == "release_date" then rec.release_date = cell
        elseif c.what and cell ~= "" then
          local v = tonumber(cell)
          if not v then
            return nil, ("tpp: %s:%d, column '%s': '%s' is not a number"):format(path, starts[i], header[j], cell)
          end
          rec.figures[c.what] = v * c.scale
        end
      end
      if rec.name and rec.name ~= "" then out[#out + 1] = rec end
    end
  end
  return out, ignored
end

--- Read a CSV in tpp's own chip format as evidence records.
function M.read_csv(path)
  local chips, msg = import.read_csv(path)
  if not chips then return nil, msg end
  local out = {}
  for i, c in ipairs(chips) do
    local rec = { name = c.name or c.id, id = c.id, manufacturer = c.vendor, line = i + 1, figures = {} }
    for _, fld in ipairs(M.FIELDS) do
      local v = db.get_path(c, fld[1])
      if v ~= nil then rec.figures[fld[1]] = v end
    end
    if c.dense and c.dense.fp16 == nil and c.dense.bf16 then rec.figures["dense.fp16"] = c.dense.bf16 end
    if c.stated and c.stated.tpp then rec.figures["stated.tpp"] = c.stated.tpp end
    rec.chip = c
    out[#out + 1] = rec
  end
  return out, {}
end

-- ---- matching ----

local STOP = { nvidia = true, amd = true, intel = true, google = true, huawei = true, aws = true, amazon = true,
  instinct = true, radeon = true, habana = true, geforce = true, tesla = true, the = true, gpu = true, tensor = true,
  core = true, accelerator = true, ["data"] = true, center = true, hisilicon = true, labs = true }

local function tokens(s)
  local set, list = {}, {}
  s = s:lower():gsub("(%d+)%s+(gb)", "%1%2")
  for w in s:gmatch("[%w%.]+") do
    w = w:gsub("%.", "")
    if w ~= "" and not STOP[w] and not set[w] then set[w] = true; list[#list + 1] = w end
  end
  table.sort(list)
  return table.concat(list, " ")
end

--- The database id a third-party row names, or nil and a suggestion.
function M.match(name, id)
  if id and db.get(id) then return id end
  local found = db.resolve(name)
  if found then return found end
  local want = tokens(name)
  local hits = {}
  for _, r in ipairs(db.rows()) do
    if tokens(r.name) == want then hits[#hits + 1] = r.id end
  end
  if #hits == 1 then return hits[1] end
  local _, msg = db.resolve(name)
  local hint = msg and msg:match("did you mean '([^']+)' %(([%w_]+)%)")
  local id_hint = msg and msg:match("did you mean '[^']+' %(([%w_]+)%)")
  if #hits > 1 then return nil, "several chips: " .. table.concat(hits, ", ") end
  return nil, id_hint and ("did you mean " .. id_hint .. " ('" .. hint .. "')?") or "no close name"
end

-- ---- comparing ----

local function rel(a, b) return b ~= 0 and math.abs(a - b) / math.abs(b) or (a == 0 and 0 or math.huge) end

--- Compare evidence records with the database; source names who published them.
function M.compare(records, source)
  local tpp = require "tpp"
  local rep = { source = source, matched = {}, unmatched = {},
                counts = { rows = #records, matched = 0, agrees = 0, differs = 0, only_theirs = 0, only_tpp = 0 } }
  for _, rec in ipairs(records) do
    local id, why = M.match(rec.name, rec.id)
    if not id then
      rep.unmatched[#rep.unmatched + 1] = { name = rec.name, line = rec.line, suggestion = why }
    else
      rep.counts.matched = rep.counts.matched + 1
      local chip = tpp.chip(id)
      local d, m = chip.data, chip:metrics()
      local fields = {}
      for _, fld in ipairs(M.FIELDS) do
        local path = fld[1]
        local theirs = rec.figures[path]
        local ours = path == "die_area_mm2" and m.area_mm2 or db.get_path(d, path)
        if path == "dense.fp16" and ours == nil then ours = d.dense.bf16 end
        -- a single FP64 figure elsewhere may be either of tpp's two
        if path == "fp64_vector" and theirs ~= nil and ours == nil then ours = d.dense.fp64 end
        if theirs ~= nil or (ours ~= nil and rec.chip) then
          local tag_path = (path == "dense.fp16" and d.dense.fp16 == nil) and "dense.bf16" or
            ((path == "fp64_vector" and d.fp64_vector == nil) and "dense.fp64" or path)
          local row = { what = fld[2], path = path, unit = fld[3], theirs = theirs, ours = ours,
                        ours_tag = d.provenance and d.provenance[tag_path] }
          if theirs == nil then
            row.verdict = "only tpp"; rep.counts.only_tpp = rep.counts.only_tpp + 1
          elseif ours == nil then
            row.verdict = "only theirs"; rep.counts.only_theirs = rep.counts.only_theirs + 1
          else
            row.diff_pct = ours ~= 0 and (theirs - ours) / ours * 100 or nil
            if rel(theirs, ours) <= M.TOLERANCE then
              row.verdict = "agrees"; rep.counts.agrees = rep.counts.agrees + 1
            else
              row.verdict = "differs"; rep.counts.differs = rep.counts.differs + 1
            end
          end
          fields[#fields + 1] = row
        end
      end
      -- TPP: their stated value, or the one their figures give under tpp's rules
      local their_tpp, basis = rec.figures["stated.tpp"], "stated"
      if their_tpp == nil and rec.chip then
        local ok, c = pcall(tpp.chip, rec.chip)
        if ok then their_tpp, basis = c:tpp(), "computed from their figures" end
      end
      local tpp_row
      if their_tpp then
        tpp_row = check.compare_value(chip, "tpp", their_tpp, { by = source, tpp = their_tpp })
        tpp_row.basis = basis
      end
      rep.matched[#rep.matched + 1] = { name = rec.name, id = id, line = rec.line, fields = fields, tpp = tpp_row,
        evidence = their_tpp and { by = source, tpp = their_tpp } or nil }
    end
  end
  return rep
end

return M
