--- tpp.rules.version: a loaded rule version. It resolves its thresholds for
-- a date (series, computed values, what-if overrides), compiles its
-- declarative tests into a C rule program, and turns the program's answer for
-- a chip into a result record with every test, margin and reason.
local core = require "tpp.backend"
local metrics = require "tpp.rules.metrics"
local sandbox = require "tpp.rules.sandbox"
local dsl = require "tpp.rules.dsl"
local util = require "tpp.util"
local readings = require "tpp.chips.readings"
local chip_spec = require "tpp.spec"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

local Version = {}
Version.__index = Version
M.Version = Version

M.STATUS_NAMES = { [0] = "not-controlled", [1] = "controlled", [2] = "undetermined" }
local STATE_NAMES = { [0] = "not met", [1] = "met", [2] = "unknown" }
M.STATE_NAMES = STATE_NAMES

-- Statuses of legal instruments, whose status depends on the date.
local LAW = { ["in force"] = true, superseded = true, ["not enforced"] = true, suspended = true }

function M.new(def, meta)
  local v = setmetatable({ def = def }, Version)
  v.id = def.id
  v.title = def.title or def.id
  v.citation = def.citation
  v.jurisdiction = def.jurisdiction
  v.instrument = def.instrument
  v.track = def.track or "user"
  v.status = def.status or "user"
  v.status_note = def.status_note
  v.provenance = def.provenance
  v.dates = def.dates or {}
  v.summary = def.summary
  v.scope = def.scope
  v.source = def.source
  v.subject = def.subject
  v.extends = def.extends
  v.supersedes = def.supersedes
  v.superseded_by = def.superseded_by
  v.file = meta.file
  v.hash = meta.hash
  v.hashes = meta.hashes
  v.builtin = meta.builtin
  v.overrides = {}
  v.figures = def.figures
  v.assumptions = def.assumptions
  v.checklist = def.checklist
  v.informed = def.informed
  v.licence = def.licence
  -- thresholds as the contract shows them: name -> { value, provenance, source, ... }
  v.thresholds = {}
  for _, name in ipairs(def.threshold_order) do
    local th = def.thresholds[name]
    v.thresholds[name] = {
      name = name, value = th.value, unit = th.unit, provenance = th.provenance or def.provenance or "user",
      source = th.source, note = th.note, metric = th.metric, date = th.date, inline = th.inline,
      series = th.series and util.deepcopy(th.series) or nil, computed = th.compute ~= nil,
    }
  end
  v.threshold_names = util.deepcopy(def.threshold_order)
  -- clauses as the contract shows them
  v.clauses = {}
  for i, p in ipairs(def.paragraphs) do
    v.clauses[i] = { id = p.id, eccn = p.eccn, class = p.class, outcome = p.outcome, role = p.role,
                     text = p.text, title = p.title, source = p.source, requires = p.requires,
                     tests = util.deepcopy(p.tests) }
  end
  v.notes = {}
  for i, n in ipairs(def.notes) do
    v.notes[i] = { id = n.id, kind = n.kind, outcome = n.outcome, targets = n.targets, text = n.text,
                   title = n.title, source = n.source, requires = n.requires, tests = util.deepcopy(n.tests) }
  end
  v._programs = {}
  return v
end

function Version:__tostring()
  return ("tpp.rules version %s (%s, %s)"):format(self.id, self.status, self.title)
end

-- ---- dates and status ----

--- The status of this version on a date ("YYYY-MM-DD").
function Version:status_at(date)
  local d = self.dates
  if not LAW[self.status] then
    local start = d.effective or d.informed or d.introduced or d.letter
    if start and date < start then
      return self.status == "proposal" and "not yet introduced" or "not yet issued"
    end
    return self.status
  end
  if d.effective and date < d.effective then return "not yet in force" end
  if d.superseded and date >= d.superseded then return "superseded" end
  if d.not_enforced and date >= d.not_enforced then return "not enforced" end
  if d.suspended and date >= d.suspended and (not d.suspended_until or date < d.suspended_until) then
    return "suspended"
  end
  return "in force"
end

-- ---- thresholds for a date ----

local records_cache

-- The database as plain records for computed thresholds (built once; each
-- caller gets its own copy, so rule code cannot change what the next one sees).
local function chip_records()
  if records_cache then return util.deepcopy(records_cache) end
  local tpp = require "tpp"
  local out = {}
  for _, c in ipairs(tpp.chips()) do
    local m = c:metrics()
    local d = c.data
    out[#out + 1] = { id = d.id, name = d.name, vendor = d.vendor, country = d.country, year = d.year,
                      datacenter = d.datacenter, tpp = m.tpp, pd = m.pd, mem_bw_gbs = m.mem_bw_gbs,
                      interconnect_gbs = m.interconnect_gbs, transistors_b = m.transistors_b,
                      provenance = m.provenance.tpp }
  end
  records_cache = out
  return util.deepcopy(out)
end

--- Every threshold's value on `as_of`: name -> { value, derivation, note }.
-- Overrides (what-if) win; computed thresholds see the overridden values.
function Version:resolve(as_of)
  self._resolved = self._resolved or {}
  if self._resolved[as_of] then return self._resolved[as_of] end
  local def = self.def
  local out, busy = {}, {}
  local function value_of(name)
    if out[name] then return out[name].value end
    local th = def.thresholds[name]
    if not th then
      local hint = util.did_you_mean(name, self.threshold_names)
      error(("tpp.rules: %s: no threshold '%s'%s"):format(self.id, tostring(name),
        hint and ("; did you mean '" .. hint .. "'?") or ""), 0)
    end
    local r = { name = name }
    local override = self.overrides[name]
    if override ~= nil then
      r.value = override
      r.derivation = ("what-if: set to %s (rule text: %s)"):format(util.num(override),
        th.value and util.num(th.value) or (th.series and "a dated series" or "computed"))
    elseif th.value then
      r.value = th.value
    elseif th.series then
      local pick = th.series[1]
      for _, e in ipairs(th.series) do
        if e.from <= as_of then pick = e end
      end
      r.value = pick.value
      r.derivation = ("%s from %s%s"):format(util.num(pick.value), pick.from,
        as_of < th.series[1].from and " (the first value of the series; the date is earlier)" or "")
      r.note = pick.note
    else
      if busy[name] then error(("tpp.rules: %s: threshold '%s' depends on itself"):format(self.id, name), 0) end
      busy[name] = true
      local ctx = {
        as_of = as_of, year = tonumber(as_of:sub(1, 4)),
        value = function(other) return value_of(other) end,
        chips = chip_records,
      }
      local ok, value, derivation = sandbox.call(th.compute, ctx)
      busy[name] = nil
      if not ok then
        error(("tpp.rules: %s: computing threshold '%s' failed: %s"):format(self.id, name, tostring(value)), 0)
      end
      if type(value) ~= "number" or value ~= value or value == math.huge or value == -math.huge then
        error(("tpp.rules: %s: threshold '%s' could not be computed for %s: %s"):format(self.id, name, as_of,
          type(derivation) == "string" and derivation or ("got " .. tostring(value))), 0)
      end
      r.value = value
      r.derivation = type(derivation) == "string" and derivation or nil
    end
    out[name] = r
    return r.value
  end
  if self:needs_database() then chip_records() end -- built outside the sandbox's hook
  for _, name in ipairs(self.threshold_names) do value_of(name) end
  self._resolved[as_of] = out
  return out
end

--- True when a threshold is computed (it may read the chip database).
function Version:needs_database()
  for _, name in ipairs(self.threshold_names) do
    if self.def.thresholds[name].compute then return true end
  end
  return false
end

-- ---- compiling ----

local function check_ranges(self, owner, tests, resolved)
  for i = 1, #tests - 1 do
    local lo, hi = tests[i], tests[i + 1]
    if lo.range == "lo" and hi.range == "hi" and lo.metric == hi.metric and lo.line == hi.line then
      local a, b = resolved[lo.threshold].value, resolved[hi.threshold].value
      if a > b or (a == b and not (lo.op == ">=" and hi.op == "<=")) then
        error(("tpp.rules: %s: %s: the range on %s becomes %s %s and %s %s, which admits no value " ..
          "(check the what-if values of '%s' and '%s')"):format(self.id, owner.id, lo.metric, lo.op,
          util.num(a), hi.op, util.num(b), lo.threshold, hi.threshold), 0)
      end
    end
  end
end

-- Compile clauses (paragraph-shaped: id, class, eccn, role, outcome, tests) and notes
-- (kind, outcome, targets, tests) into one C rule program with the thresholds of
-- `resolved`. A note target names a clause by id, class, ECCN or exception.
local function compile(self, resolved, near, clause_list, note_list)
  local columns, column_index, inputs, input_index = {}, {}, {}, {}
  local function column(name)
    if not column_index[name] then
      columns[#columns + 1] = name
      column_index[name] = #columns
    end
    return column_index[name]
  end
  local function input_for(t)
    local key_in = t.check and ("check:" .. t.check) or t.metric
    if input_index[key_in] then return input_index[key_in] end
    local spec
    if t.check then
      spec = { kind = "column", a = column("check:" .. t.check) }
    else
      local m = metrics.METRICS[t.metric]
      if m.sum then
        spec = { kind = "sum", a = column(m.sum[1]), b = column(m.sum[2]) }
      else
        spec = { kind = "column", a = column(m.column) }
      end
    end
    inputs[#inputs + 1] = spec
    input_index[key_in] = #inputs
    return #inputs
  end
  local outcomes, outcome_code = {}, {}
  local function code(o)
    if not outcome_code[o] then
      outcomes[#outcomes + 1] = o
      outcome_code[o] = #outcomes - 1
    end
    return outcome_code[o]
  end
  local tests, flat = {}, {}
  local function add_tests(owner, kind, list)
    local first = #tests + 1
    for _, t in ipairs(list) do
      local spec = { input = input_for(t), if_unknown = t.if_unknown,
                     no_near = t.metric and metrics.METRICS[t.metric].kind == "date" or nil }
      if t.check then
        spec.op, spec.threshold = "==", 1
      elseif t.flag then
        spec.op, spec.threshold = "==", t.flag
      else
        spec.op, spec.threshold = t.op, resolved[t.threshold].value
      end
      tests[#tests + 1] = spec
      flat[#flat + 1] = { test = t, owner = owner, kind = kind, threshold = spec.threshold }
    end
    return first, #list
  end
  local clauses, notes = {}, {}
  local clause_of = {}
  for i, p in ipairs(clause_list) do
    check_ranges(self, p, p.tests, resolved)
    local first, n = add_tests(p, "paragraph", p.tests)
    clauses[i] = { first = first, n = n, role = p.role == "policy" and "policy" or "classify",
                   outcome = code(p.outcome) }
    clause_of[p.id] = i
  end
  for i, nt in ipairs(note_list) do
    check_ranges(self, nt, nt.tests, resolved)
    local first, n = add_tests(nt, "note", nt.tests)
    local targets = {}
    for ci, p in ipairs(clause_list) do
      for _, target in ipairs(nt.targets) do
        if target == p.id or target == p.class or target == p.eccn or target == p.exception then
          targets[#targets + 1] = ci
          break
        end
      end
    end
    notes[i] = { first = first, n = n, kind = nt.kind, outcome = nt.kind == "outcome" and code(nt.outcome) or nil,
                 targets = targets }
  end
  if #columns > 32 then error(("tpp.rules: %s uses %d input columns; at most 32"):format(self.id, #columns), 0) end
  local prog = core.rule_compile({ columns = #columns, inputs = inputs, tests = tests, clauses = clauses,
                                   notes = notes, near = near })
  return { prog = prog, columns = columns, flat = flat, outcomes = outcomes, resolved = resolved,
           clause_of = clause_of, near = near, inputs = inputs }
end

local function threshold_key(self, resolved, near)
  local key_parts = { tostring(near) }
  for _, name in ipairs(self.threshold_names) do key_parts[#key_parts + 1] = util.num(resolved[name].value) end
  return table.concat(key_parts, "|")
end

--- The compiled program for a date and near-line margin (cached).
function Version:program(as_of, near)
  near = near or 0.05
  local resolved = self:resolve(as_of)
  local key = threshold_key(self, resolved, near)
  local cached = self._programs[key]
  if cached then return cached end
  local compiled = compile(self, resolved, near, self.def.paragraphs, self.def.notes)
  self._programs[key] = compiled
  return compiled
end

--- The licence scope (licence { } and licence_note { } declarations) compiled for a date.
-- sel (optional) chooses what to compile: sel.clauses / sel.notes (default: this version's own),
-- sel.resolved (thresholds of other versions whose clauses are added), sel.name (the cache key).
-- Clauses are ordered by rank (stable). Returns the compiled program with .clauses and .notes
-- (the declarations, in program order).
function Version:licence_program(as_of, sel)
  sel = sel or {}
  local resolved = self:resolve(as_of)
  local key = "licence|" .. (sel.name or "own") .. "|" .. threshold_key(self, resolved, 0)
  local cached = self._programs[key]
  if cached then return cached end
  local lic = self.def.licence or { clauses = {}, notes = {} }
  local clauses, notes = {}, {}
  for _, c in ipairs(sel.clauses or lic.clauses) do clauses[#clauses + 1] = c end
  for _, n in ipairs(sel.notes or lic.notes) do notes[#notes + 1] = n end
  if sel.resolved then
    local merged = {}
    for k, v in pairs(sel.resolved) do merged[k] = v end
    for k, v in pairs(resolved) do merged[k] = v end
    resolved = merged
  end
  local order = {}
  for i, c in ipairs(clauses) do order[i] = { c = c, pos = i } end
  table.sort(order, function(x, y)
    if (x.c.rank or 100) ~= (y.c.rank or 100) then return (x.c.rank or 100) < (y.c.rank or 100) end
    return x.pos < y.pos
  end)
  for i, o in ipairs(order) do clauses[i] = o.c end
  local compiled = compile(self, resolved, 0, clauses, notes)
  compiled.clauses, compiled.notes = clauses, notes
  self._programs[key] = compiled
  return compiled
end

-- ---- evaluating one chip ----

-- The plain record a check() function sees (a copy: rule code cannot change the database).
local function check_view(chip, values)
  local d = chip.data
  local view = util.deepcopy({
    id = d.id, name = d.name, vendor = d.vendor, country = d.country, form = d.form, process = d.process,
    year = d.year, datacenter = d.datacenter, hbm = d.hbm, dense = d.dense, memory = d.memory,
    interconnect_gbs = d.interconnect_gbs, transistors_b = d.transistors_b, tdp_w = d.tdp_w,
    first_marketed = d.first_marketed, market = d.market, designer_hq = d.designer_hq,
  })
  view.metrics = util.deepcopy(values)
  return view
end

--- The values of a program's columns for a chip: list, plus check reasons.
function Version:row(compiled, chip, values)
  local row, check_notes = {}, {}
  for i, name in ipairs(compiled.columns) do
    local check_name = name:match("^check:(.+)$")
    if check_name then
      local c = self.def.checks[check_name]
      local ok, r, why = sandbox.call(c.fn, check_view(chip, values))
      if not ok then
        error(("tpp.rules: %s: check '%s' (%s:%d) failed for %s: %s"):format(self.id, check_name,
          c.file or "?", c.line or 0, chip.data.id or chip.data.name or "chip", tostring(r)), 0)
      end
      if r ~= nil and type(r) ~= "boolean" then
        error(("tpp.rules: %s: check '%s' must return true, false or nil (unknown), got %s"):format(self.id,
          check_name, type(r)), 0)
      end
      if r ~= nil then row[i] = r and 1 or 0 end
      check_notes[check_name] = type(why) == "string" and why or nil
    else
      row[i] = values[name]
    end
  end
  return row, check_notes
end

local function metric_value_display(metric, value)
  local m = metrics.METRICS[metric]
  if value == nil then return nil end
  if m.kind == "flag" then return value == 1 end
  if m.kind == "date" then return metrics.date_string(value) end
  return value
end

-- The answer a detail gives: status, class, outcome, review policy.
local function answer_key(def, compiled, d)
  local parts = { tostring(d.status) }
  if d.governing then
    parts[2] = def.paragraphs[d.governing].class
    parts[3] = d.outcome >= 0 and compiled.outcomes[d.outcome + 1] or tostring(d.outcome)
  end
  if d.policy and d.policy > 0 then parts[4] = def.paragraphs[d.policy].outcome
  elseif d.policy == -2 then parts[4] = "undetermined" end
  return table.concat({ parts[1], parts[2] or "", parts[3] or "", parts[4] or "" }, "|")
end

-- Just below / at / just above a line, on the side that flips the test.
local function across(op, c, now_true)
  local step = math.max(math.abs(c) * 2 ^ -40, 2 ^ -1000)
  if op == ">=" then return now_true and c - step or c end
  if op == ">" then return now_true and c or c + step end
  if op == "<=" then return now_true and c + step or c end
  return now_true and c or c - step -- "<"
end

--- True when moving the figure of test f just across its line changes the
-- answer of the row (every other figure unchanged).
function Version:crosses(compiled, row, f, dt, d)
  local t = f.test
  if t.flag or t.check or dt.state == 2 then return false end
  local m = metrics.METRICS[t.metric]
  local moved = {}
  for i = 1, #compiled.columns do moved[i] = row[i] end
  local target = across(t.op, f.threshold, dt.state == 1)
  if m.sum then
    local a, b
    for i, name in ipairs(compiled.columns) do
      if name == m.sum[1] then a = i elseif name == m.sum[2] then b = i end
    end
    moved[a] = target - moved[b]
  else
    for i, name in ipairs(compiled.columns) do if name == m.column then moved[i] = target end end
  end
  local d2 = core.rule_eval_one(compiled.prog, moved)
  return answer_key(self.def, compiled, d2) ~= answer_key(self.def, compiled, d)
end

-- The answer of a row as a record: status, class, ECCN, outcome.
local function answer_of(def, compiled, d)
  local g = d.governing and def.paragraphs[d.governing] or nil
  return { key = answer_key(def, compiled, d), status = M.STATUS_NAMES[d.status], governing = d.governing,
           class = g and g.class or nil, eccn = g and g.eccn or nil,
           outcome = d.outcome >= 0 and compiled.outcomes[d.outcome + 1] or nil }
end

local function answer_words(a)
  if a.status == "controlled" then return (a.eccn or a.class or "controlled") .. (a.outcome and a.outcome ~= "controlled"
    and (" (" .. a.outcome .. ")") or "") end
  return a.status
end

-- Where the chip data leave a reading open, evaluate the other reading too:
--  * a logic die whose transistor type (planar) is not stated counts toward the applicable die area;
--    if counting it as planar would change the answer, the answer is undetermined and names the input;
--  * several processing units: the technical note can be read as "sum per precision, then maximum" or
--    "sum of each unit's maximum"; if the two readings give different answers, the stricter stands and
--    a warning says so.
function Version:check_readings(compiled, chip, d, r)
  local data = chip.data
  local base = answer_of(self.def, compiled, d)
  r.warnings = r.warnings or {}
  -- planar unknown
  local unknown = {}
  for i, die in ipairs(data.dies or {}) do
    if (die.kind == nil or die.kind == "logic") and die.planar == nil and die.area_mm2 then unknown[#unknown + 1] = i end
  end
  if #unknown > 0 then
    local copy = util.deepcopy(data)
    copy.assumptions = nil
    for _, i in ipairs(unknown) do copy.dies[i].planar = true end
    local alt = require("tpp.spec").new(copy)
    local row2 = self:row(compiled, alt, metrics.of_chip(alt))
    local a2 = answer_of(self.def, compiled, core.rule_eval_one(compiled.prog, row2))
    local names = {}
    for _, i in ipairs(unknown) do names[#names + 1] = ("dies[%d].planar"):format(i) end
    if a2.key ~= base.key then
      r.status, r.governing, r.eccn, r.classification, r.outcome = "undetermined", nil, nil, nil, "undetermined"
      r.outcome_text = dsl.OUTCOMES[r.outcome]
      for _, n in ipairs(names) do
        r.missing[#r.missing + 1] = n
        r.missing_why[n] = ("the transistor type of %s is not stated: counted as non-planar the answer is %s, as " ..
          "planar it is %s"):format(n:match("^[^.]+"), answer_words(base), answer_words(a2))
      end
      r.planar_readings = { non_planar = answer_words(base), planar = answer_words(a2) }
    else
      r.assumptions[#r.assumptions + 1] = { name = "planar-unknown",
        text = ("%s not stated; the answer is the same whether those dies are planar or not"):format(
          table.concat(names, ", ")) }
    end
  end
  -- several processing units: the two readings of the technical note
  if data.units and #data.units > 1 and r.status ~= "undetermined" then
    local v2 = metrics.of_chip(chip, { unit_mode = "sum_of_maxes" })
    local row2 = self:row(compiled, chip, v2)
    local d2 = core.rule_eval_one(compiled.prog, row2)
    local a2 = answer_of(self.def, compiled, d2)
    if a2.key ~= base.key then
      local function rank(a)
        if a.status == "controlled" then return 100 - (a.governing or 50) end
        return a.status == "undetermined" and 1 or 0
      end
      local stricter = rank(a2) > rank(base) and a2 or base
      r.unit_readings = { max_of_sums = answer_words(base), sum_of_maxes = answer_words(a2) }
      r.warnings[#r.warnings + 1] = ("the two readings of the TPP technical note differ for this multi-unit IC: " ..
        "summing per precision and then taking the maximum gives %s (TPP %s); summing each unit's maximum gives %s " ..
        "(TPP %s); tpp answers with the stricter, %s"):format(answer_words(base), util.num(r.values.tpp or 0),
        answer_words(a2), util.num(v2.tpp or 0), answer_words(stricter))
      if stricter == a2 then
        local g = self.def.paragraphs[a2.governing]
        r.status, r.governing, r.eccn, r.classification = a2.status, g and g.id, a2.eccn, a2.class
        r.outcome = a2.outcome
        r.outcome_text = r.outcome and dsl.OUTCOMES[r.outcome] or nil
        r.values.tpp = v2.tpp
        r.values.pd = v2.pd
        r.reading = "sum_of_maxes"
      else
        r.reading = "max_of_sums"
      end
    end
  end
  require("tpp.json").array(r.warnings)
end

--- The answer of a result in one line: status | class | outcome | review policy.
function M.answer_cell(r)
  return table.concat({ r.status, r.classification or "-", r.outcome or "-", r.review_policy or "-" }, " | ")
end

--- Evaluate one chip object (tpp.chip). opts: as_of, near; readings = false
-- skips the readings of the chip's figures; metric_opts go to chip:metrics.
function Version:evaluate(chip, opts)
  opts = require("tpp.io.options").check("tpp.rules Version:evaluate", opts, { as_of = "date", near = "nonnegative",
                                                                             readings = "boolean", metric_opts = "table" })
  local as_of = opts.as_of or os.date("!%Y-%m-%d")
  local compiled = self:program(as_of, opts.near)
  local values, why, metric_notes = metrics.of_chip(chip, opts.metric_opts)
  local row, check_notes = self:row(compiled, chip, values)
  local d = core.rule_eval_one(compiled.prog, row)
  local def = self.def
  local data = chip.data
  local r = {
    chip = data.id or data.name or "chip", chip_name = data.name,
    rules = self.id, rules_title = self.title, rules_status = self:status_at(as_of),
    rules_status_today = self.status, rules_hash = self.hash, rules_hashes = self.hashes,
    rules_citation = self.citation, rules_track = self.track, rules_file = self.file,
    as_of = as_of, near_margin = compiled.near,
    status = M.STATUS_NAMES[d.status],
    paragraphs = {}, undetermined = {}, excluded = {}, notes = {}, tests = {},
    near = {}, missing = {}, missing_why = {}, checklist = {}, assumptions = {},
    thresholds = {}, values = {},
  }
  if next(self.overrides) then r.overrides = util.deepcopy(self.overrides); r.base_rules = self.base end
  for name, res in pairs(compiled.resolved) do r.thresholds[name] = res.value end
  for name, v in pairs(values) do r.values[name] = metric_value_display(name, v) end

  -- paragraphs: matched, undetermined, governing
  for ci, p in ipairs(def.paragraphs) do
    local c = d.clauses[ci]
    if p.role == "classify" then
      if c.state == 1 then r.paragraphs[#r.paragraphs + 1] = p.id
      elseif c.state == 2 then r.undetermined[#r.undetermined + 1] = p.id end
    end
  end
  if d.governing then
    local g = def.paragraphs[d.governing]
    r.governing = g.id
    r.eccn = g.eccn
    r.classification = g.class
    r.governing_certain = d.governing_certain
  end
  if d.outcome >= 0 then
    r.outcome = compiled.outcomes[d.outcome + 1]
  elseif d.outcome == -2 then
    r.outcome = "undetermined"
  end
  if r.outcome then r.outcome_text = dsl.OUTCOMES[r.outcome] end
  if d.policy and d.policy > 0 then
    local p = def.paragraphs[d.policy]
    r.policy = p.id
    r.review_policy = p.outcome
  elseif d.policy == -2 then
    r.review_policy = "undetermined"
  end

  -- notes that acted
  for ni, n in ipairs(def.notes) do
    local st = d.notes[ni].state
    if st ~= 0 then
      local affected = {}
      for ci, p in ipairs(def.paragraphs) do
        for _, target in ipairs(n.targets) do
          if (target == p.id or target == p.class or target == p.eccn) and d.clauses[ci].raw ~= 0 then
            affected[#affected + 1] = p.id
            break
          end
        end
      end
      if #affected > 0 then
        local rec = { id = n.id, kind = n.kind, state = st == 1 and "applies" or "unknown", text = n.text,
                      outcome = n.outcome, paragraphs = affected }
        r.notes[#r.notes + 1] = rec
        if n.kind == "exclude" and st == 1 then r.excluded[#r.excluded + 1] = rec end
      end
    end
  end

  -- a note matters only where a paragraph it targets is met or unknown
  local note_relevant = {}
  for ni, n in ipairs(def.notes) do
    for ci, p in ipairs(def.paragraphs) do
      for _, target in ipairs(n.targets) do
        if (target == p.id or target == p.class or target == p.eccn) and d.clauses[ci].raw ~= 0 then
          note_relevant[ni] = true
        end
      end
    end
  end

  -- every test
  local missing_set = {}
  for ti, f in ipairs(compiled.flat) do
    local t, dt = f.test, d.tests[ti]
    local owner_state = f.kind == "paragraph" and d.clauses[compiled.clause_of[f.owner.id]].state or nil
    if f.kind == "note" then
      for ni, n in ipairs(def.notes) do
        if n == f.owner then owner_state = note_relevant[ni] and d.notes[ni].state or 0 end
      end
    end
    local rec = {
      clause = f.owner.id, kind = f.kind, role = f.owner.role, op = t.check and "==" or t.op,
      state = dt.state, result = STATE_NAMES[dt.state], near = dt.near and true or false, range = t.range,
    }
    if t.check then
      rec.metric = "check:" .. t.check
      rec.metric_title = t.text
      rec.check = t.check
      rec.threshold = true
      local idx
      for i, name in ipairs(compiled.columns) do if name == "check:" .. t.check then idx = i end end
      rec.value = row[idx] ~= nil and row[idx] == 1 or nil
      rec.why = check_notes[t.check]
    else
      local m = metrics.METRICS[t.metric]
      rec.metric = t.metric
      rec.metric_title = m.title
      rec.unit = m.unit
      local raw = values[t.metric]
      rec.value = metric_value_display(t.metric, raw)
      if t.flag then
        rec.threshold = t.flag == 1
      else
        rec.threshold_name = t.threshold
        local th = def.thresholds[t.threshold]
        rec.threshold = m.kind == "date" and metrics.date_string(f.threshold) or f.threshold
        rec.threshold_provenance = th.provenance or def.provenance
        rec.threshold_source = th.source
        rec.threshold_derivation = compiled.resolved[t.threshold].derivation
        if m.kind == "number" and raw ~= nil then
          rec.margin = dt.margin
          rec.margin_ratio = dt.ratio
        end
        if m.datasheet then
          rec.datasheet = {}
          for _, u in ipairs(m.datasheet) do
            rec.datasheet[#rec.datasheet + 1] = {
              unit = u.unit, threshold = f.threshold / u.divisor,
              value = raw and raw / u.divisor or nil, margin = raw and (raw - f.threshold) / u.divisor or nil,
            }
          end
        end
      end
      if dt.state == 2 then
        rec.why = why[t.metric] or (t.metric == "dram_io_sum_gbs" and why.dram_io_sum_gbs) or nil
      end
      if metric_notes[t.metric] and raw ~= nil then rec.assumption = metric_notes[t.metric] end
    end
    if t.if_unknown and values[t.metric] == nil and not t.check then
      rec.if_unknown = t.if_unknown
      rec.unknown_rule = t.unknown_why
    end
    if dt.state == 2 and owner_state == 2 then
      local name = rec.metric
      if not missing_set[name] then
        missing_set[name] = true
        r.missing[#r.missing + 1] = name
        r.missing_why[name] = rec.why or "unknown"
      end
    end
    -- near: within the margin of its line, and moving this one figure just
    -- across the line changes the answer (status, class, outcome or policy)
    if rec.near and not t.check then
      rec.decisive = self:crosses(compiled, row, f, dt, d)
      if rec.decisive then r.near[#r.near + 1] = rec end
    end
    r.tests[#r.tests + 1] = rec
  end
  r.near_line = #r.near > 0
  r.near_screen = d.near
  table.sort(r.missing, function(a, b)
    local ra, rb = metrics.RANK[a] or 99, metrics.RANK[b] or 99
    if ra ~= rb then return ra < rb end
    return a < b
  end)

  -- checklist: the version's, then what matched or may match
  local seen = {}
  local function add(item)
    if item and not seen[item] then seen[item] = true; r.checklist[#r.checklist + 1] = item end
  end
  for _, c in ipairs(def.checklist) do add(c) end
  for ci, p in ipairs(def.paragraphs) do
    if d.clauses[ci].state ~= 0 then for _, q in ipairs(p.requires) do add(q) end end
  end
  for ni, n in ipairs(def.notes) do
    if d.notes[ni].state ~= 0 and note_relevant[ni] then for _, q in ipairs(n.requires) do add(q) end end
  end
  if data.datacenter ~= nil and data.datacenter_basis and values.datacenter ~= nil then
    for _, rec in ipairs(r.tests) do
      if rec.metric == "datacenter" then
        add(("Confirm the datacenter flag (%s): %s"):format(data.datacenter and "designed or marketed for datacenters"
          or "not designed or marketed for datacenters", data.datacenter_basis))
        break
      end
    end
  end

  -- assumptions: the version's named choices, threshold derivations, chip-side ones
  for _, a in ipairs(def.assumptions) do
    r.assumptions[#r.assumptions + 1] = { name = a.name, text = a.text, choice = a.choice,
                                          alternatives = a.alternatives }
  end
  for _, name in ipairs(self.threshold_names) do
    local res = compiled.resolved[name]
    if res.note then r.assumptions[#r.assumptions + 1] = { name = name, text = res.note } end
  end
  local chip_m = chip:metrics(opts.metric_opts)
  r.chip_assumptions = util.deepcopy(chip_m.assumptions)
  for _, rec in ipairs(r.tests) do
    if rec.assumption then r.chip_assumptions[#r.chip_assumptions + 1] = rec.assumption end
  end
  r.provenance = { tpp = chip_m.provenance.tpp, pd = chip_m.provenance.pd,
                   mem_bw_gbs = chip_m.provenance.mem_bw_gbs, interconnect_gbs = chip_m.provenance.interconnect_gbs }
  self:check_readings(compiled, chip, d, r)
  -- readings of the chip's figures (TF32 bits, FP6, die-area estimates, per die):
  -- each is evaluated, and one that changes the answer is a named assumption
  if opts.readings ~= false and chip.data then
    local base = M.answer_cell(r)
    r.readings = readings.effects(chip.data, base, function(alt, mopts)
      local ok, alt_chip = pcall(chip_spec.new, alt)
      if not ok then return "invalid: " .. tostring(alt_chip) end
      -- the same metric values give the same answer: skip the evaluation
      local alt_values = metrics.of_chip(alt_chip, mopts)
      local same = true
      for name in pairs(metrics.METRICS) do
        if alt_values[name] ~= values[name] then same = false; break end
      end
      if same then return base, r end
      local ra = self:evaluate(alt_chip, { as_of = as_of, near = opts.near, readings = false, metric_opts = mopts })
      return M.answer_cell(ra), ra
    end)
    for _, e in ipairs(r.readings) do
      if e.changes then
        r.assumptions[#r.assumptions + 1] = {
          name = "chip reading: " .. e.name, text = e.text, reading = e.name,
          choice = "the chip's data as recorded", alternatives = { "read as " .. e.name .. ": " .. e.answer },
        }
      end
    end
  end
  r.explanation = require("tpp.rules.explain").text(r, self)
  -- lists stay JSON arrays when empty
  local json = require "tpp.json"
  for _, k in ipairs({ "paragraphs", "undetermined", "excluded", "notes", "tests", "near", "missing",
                       "checklist", "assumptions", "chip_assumptions", "readings" }) do
    json.array(r[k])
  end
  return r
end

--- Names of every threshold and figure a what-if may set.
function Version:settable()
  local out = util.deepcopy(self.threshold_names)
  for name in pairs(self.figures) do out[#out + 1] = name end
  table.sort(out)
  return out
end

return M
