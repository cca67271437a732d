--- tpp.rules.region: rule versions as regions of metric space.
--
-- Every test is a half-open or closed half-line, so each version is a finite
-- union of boxes. This module works on those boxes exactly, with interval
-- arithmetic and no solver:
--   boxes(v, x, y, facts)  the boxes of each paragraph projected on two
--                          metrics, other metrics fixed by facts (the chart)
--   diff(a, b, opts)       chips whose outcome flips between two versions, and
--                          every region of metric space where the versions
--                          disagree, each with a witness chip that the
--                          compiled C programs confirm
--
-- An interval is { lo, hi, lo_incl, hi_incl } with lo = -math.huge or
-- hi = math.huge for an open side.
local core = require "tpp.backend"
local metrics = require "tpp.rules.metrics"
local util = require "tpp.util"

local M = {}

local INF = math.huge
local T, F, U = 1, 0, 2

-- Domains of the metrics for the diff (values a real chip can have).
local DOMAIN = {
  tpp = { 0, INF, false, false }, pd = { 0, INF, false, false }, mbd = { 0, INF, false, false },
  mem_bw_gbs = { 0, INF, true, false }, interconnect_gbs = { 0, INF, true, false },
  dram_io_sum_gbs = { 0, INF, true, false }, transistors_b = { 0, INF, false, false },
  first_marketed = { 19000101, 21001231, true, true },
}

local function interval(lo, hi, lo_incl, hi_incl)
  return { lo = lo, hi = hi, lo_incl = lo_incl and lo ~= -INF, hi_incl = hi_incl and hi ~= INF }
end
M.interval = interval

local function full(metric)
  local m = metrics.METRICS[metric]
  if m.kind == "flag" then return interval(0, 1, true, true) end
  local d = DOMAIN[metric]
  return interval(d[1], d[2], d[3], d[4])
end

local function empty(i)
  return i.lo > i.hi or (i.lo == i.hi and not (i.lo_incl and i.hi_incl))
end

local function intersect(a, b)
  local lo, lo_incl, hi, hi_incl
  if a.lo > b.lo then lo, lo_incl = a.lo, a.lo_incl
  elseif b.lo > a.lo then lo, lo_incl = b.lo, b.lo_incl
  else lo, lo_incl = a.lo, a.lo_incl and b.lo_incl end
  if a.hi < b.hi then hi, hi_incl = a.hi, a.hi_incl
  elseif b.hi < a.hi then hi, hi_incl = b.hi, b.hi_incl
  else hi, hi_incl = a.hi, a.hi_incl and b.hi_incl end
  return { lo = lo, hi = hi, lo_incl = lo_incl, hi_incl = hi_incl }
end
M.intersect = intersect

-- The set where `value op c` holds, as an interval (EQ on flags: a point).
local function half_line(op, c)
  if op == ">=" then return interval(c, INF, true, false) end
  if op == ">" then return interval(c, INF, false, false) end
  if op == "<=" then return interval(-INF, c, false, true) end
  if op == "<" then return interval(-INF, c, false, false) end
  return interval(c, c, true, true)
end

-- The complement of a half-line (for EQ on a flag in {0, 1}: the other point).
local function other_side(op, c)
  if op == ">=" then return half_line("<", c) end
  if op == ">" then return half_line("<=", c) end
  if op == "<=" then return half_line(">", c) end
  if op == "<" then return half_line(">=", c) end
  return interval(1 - c, 1 - c, true, true)
end

-- T if every value of i passes, F if none does, else U (mixed).
local function test_on(i, op, c)
  if empty(intersect(i, half_line(op, c))) then return F end
  if empty(intersect(i, other_side(op, c))) then return T end
  return U
end

local function and3(a, b)
  if a == F or b == F then return F end
  if a == U or b == U then return U end
  return T
end
local function not3(a) return a == T and F or (a == F and T or U) end

-- ---- a version's tests in plain form ----

-- { metric, op, c } for every test of a paragraph or note, or nil and a
-- reason when a test is a Lua check() (which no interval can describe).
local function plain_tests(v, owner, resolved)
  local out = {}
  for _, t in ipairs(owner.tests) do
    if t.check then return nil, ("%s uses the Lua check '%s'"):format(v.id, t.check) end
    if t.flag then
      out[#out + 1] = { metric = t.metric, op = "==", c = t.flag }
    else
      out[#out + 1] = { metric = t.metric, op = t.op, c = resolved[t.threshold].value }
    end
  end
  return out
end

local function targets_of(v, note)
  local out = {}
  for ci, p in ipairs(v.def.paragraphs) do
    for _, target in ipairs(note.targets) do
      if target == p.id or target == p.class or target == p.eccn then out[ci] = true break end
    end
  end
  return out
end

-- A version prepared for box work: paragraphs and notes with plain tests.
local function prepare(v, as_of)
  local resolved = v:resolve(as_of)
  local P = { version = v, paragraphs = {}, notes = {}, metrics = {} }
  for i, p in ipairs(v.def.paragraphs) do
    local tests, why = plain_tests(v, p, resolved)
    if not tests then return nil, why end
    P.paragraphs[i] = { id = p.id, class = p.class, eccn = p.eccn, outcome = p.outcome, role = p.role,
                        tests = tests }
    for _, t in ipairs(tests) do P.metrics[t.metric] = true end
  end
  for i, n in ipairs(v.def.notes) do
    local tests, why = plain_tests(v, n, resolved)
    if not tests then return nil, why end
    P.notes[i] = { id = n.id, kind = n.kind, outcome = n.outcome, targets = targets_of(v, n), tests = tests }
    for _, t in ipairs(tests) do P.metrics[t.metric] = true end
  end
  return P
end

-- ---- evaluating a version over a box ----

local function conj(tests, box)
  local s = T
  for _, t in ipairs(tests) do
    s = and3(s, test_on(box[t.metric], t.op, t.c))
    if s == F then return F end
  end
  return s
end

-- The version's decision over the whole box, or nil and the first test that
-- is mixed (true for part of the box) when the box must be split.
local function decide(P, box)
  local raw, eff, outc = {}, {}, {}
  for ci, p in ipairs(P.paragraphs) do
    raw[ci] = conj(p.tests, box)
    eff[ci] = raw[ci]
    outc[ci] = p.outcome
  end
  local und = {}
  for _, n in ipairs(P.notes) do
    local ns = conj(n.tests, box)
    for ci in pairs(n.targets) do
      if n.kind == "exclude" then
        eff[ci] = and3(eff[ci], not3(ns))
      elseif ns == T then
        outc[ci] = n.outcome
        und[ci] = nil
      elseif ns == U and n.outcome ~= outc[ci] then
        und[ci] = true
      end
    end
  end
  local governing, policy, blocked = nil, nil, false
  for ci, p in ipairs(P.paragraphs) do
    if p.role == "classify" then
      if not governing then
        if eff[ci] == T then governing = ci elseif eff[ci] == U then return nil end
      end
    elseif not policy and not blocked then
      if eff[ci] == T then policy = ci elseif eff[ci] == U then blocked = true end
    end
  end
  if blocked then return nil end
  if governing and und[governing] then return nil end
  local d = { status = governing and "controlled" or "not-controlled" }
  if governing then
    local g = P.paragraphs[governing]
    d.class, d.eccn, d.outcome, d.paragraph = g.class, g.eccn, outc[governing], g.id
  end
  if policy then d.review_policy, d.policy_paragraph = P.paragraphs[policy].outcome, P.paragraphs[policy].id end
  d.key = table.concat({ d.status, d.class or "", d.outcome or "", d.review_policy or "" }, "|")
  return d
end

-- The first test whose truth is mixed over the box (to split on).
local function mixed_test(P, box)
  for _, p in ipairs(P.paragraphs) do
    for _, t in ipairs(p.tests) do
      if test_on(box[t.metric], t.op, t.c) == U then return t end
    end
  end
  for _, n in ipairs(P.notes) do
    for _, t in ipairs(n.tests) do
      if test_on(box[t.metric], t.op, t.c) == U then return t end
    end
  end
end

-- ---- witnesses ----

-- A value inside a non-empty interval: the line itself when it is included,
-- else a point well inside.
local function pick(i, metric)
  local m = metrics.METRICS[metric]
  if m.kind == "flag" then return i.lo end
  if i.lo_incl and i.lo > -INF then return i.lo end
  if i.hi_incl and i.hi < INF then return i.hi end
  if i.lo > -INF and i.hi < INF then return (i.lo + i.hi) / 2 end
  if i.lo > -INF then return i.lo > 0 and i.lo * 1.25 or i.lo + 1 end
  if i.hi < INF then return i.hi > 0 and i.hi * 0.75 or i.hi - 1 end
  return 1
end

local function add_intervals(a, b)
  return { lo = a.lo + b.lo, hi = a.hi + b.hi, lo_incl = a.lo_incl and b.lo_incl, hi_incl = a.hi_incl and b.hi_incl }
end

-- DRAM + interconnect must equal the sum metric: the feasible sums.
local function sum_range(box)
  local s = box.dram_io_sum_gbs
  if not s then return nil end
  local d = box.mem_bw_gbs or full("mem_bw_gbs")
  local i = box.interconnect_gbs or full("interconnect_gbs")
  return intersect(s, add_intervals(d, i)), d, i
end

local function feasible(box)
  for _, i in pairs(box) do if empty(i) then return false end end
  local s = sum_range(box)
  if s and empty(s) then return false end
  return true
end

--- A witness chip's metric values for a box (consistent sums).
function M.witness(box)
  local w = {}
  for metric, i in pairs(box) do w[metric] = pick(i, metric) end
  local s, d, i = sum_range(box)
  if s then
    local sum = pick(s, "dram_io_sum_gbs")
    -- d in D and sum - d in I: d in D intersected with [sum - I.hi, sum - I.lo]
    local dd = intersect(d, { lo = sum - i.hi, hi = sum - i.lo, lo_incl = i.hi_incl, hi_incl = i.lo_incl })
    local dv = pick(dd, "mem_bw_gbs")
    w.dram_io_sum_gbs, w.mem_bw_gbs, w.interconnect_gbs = sum, dv, sum - dv
  end
  return w
end

-- ---- the chart: boxes of one version in two dimensions ----

local function subtract(a, b, x, y)
  -- a minus b for boxes over the two axes; up to four pieces
  local out = {}
  local bx, by = b[x], b[y]
  local left = intersect(a[x], other_side(bx.lo_incl and ">=" or ">", bx.lo))
  local right = intersect(a[x], other_side(bx.hi_incl and "<=" or "<", bx.hi))
  local mid = intersect(a[x], bx)
  if bx.lo == -INF then left = { lo = 1, hi = 0 } end
  if bx.hi == INF then right = { lo = 1, hi = 0 } end
  if not empty(left) then out[#out + 1] = { [x] = left, [y] = a[y] } end
  if not empty(right) then out[#out + 1] = { [x] = right, [y] = a[y] } end
  if not empty(mid) then
    local below = intersect(a[y], other_side(by.lo_incl and ">=" or ">", by.lo))
    local above = intersect(a[y], other_side(by.hi_incl and "<=" or "<", by.hi))
    if by.lo == -INF then below = { lo = 1, hi = 0 } end
    if by.hi == INF then above = { lo = 1, hi = 0 } end
    if not empty(below) then out[#out + 1] = { [x] = mid, [y] = below } end
    if not empty(above) then out[#out + 1] = { [x] = mid, [y] = above } end
  end
  return out
end

local function describe(t)
  local m = metrics.METRICS[t.metric]
  if m.kind == "flag" then return ("%s %s"):format(t.c == 1 and "is" or "is not", m.title) end
  return ("%s %s %s"):format(t.metric, t.op, util.num(t.c))
end

-- Project tests on (x, y) under facts: a box, or nil when a fact makes it
-- false; conditions lists tests on metrics the facts leave open.
local function project(tests, x, y, facts)
  local box = { [x] = interval(-INF, INF, false, false), [y] = interval(-INF, INF, false, false) }
  local conditions = {}
  for _, t in ipairs(tests) do
    if t.metric == x or t.metric == y then
      box[t.metric] = intersect(box[t.metric], half_line(t.op, t.c))
    else
      local f = facts[t.metric]
      if f == nil then
        conditions[#conditions + 1] = describe(t)
      else
        local v = type(f) == "boolean" and (f and 1 or 0) or f
        local ok = ({ [">="] = v >= t.c, [">"] = v > t.c, ["<="] = v <= t.c, ["<"] = v < t.c,
                      ["=="] = v == t.c })[t.op]
        if not ok then return nil end
      end
    end
  end
  if empty(box[x]) or empty(box[y]) then return nil end
  return box, conditions
end

--- Boxes of a version projected on metrics x and y (e.g. "tpp", "pd"), other
-- metrics fixed by facts ({ datacenter = true }; memory_item defaults to
-- false: the chart is of processors). opts.as_of picks dated thresholds.
-- Each box: { clause, eccn, class, outcome, role, x = interval, y = interval,
-- conditions = {...} (tests the facts leave open), notes = {...} }.
function M.boxes(v, x, y, facts, opts)
  opts = opts or {}
  for _, name in ipairs({ x, y }) do
    local _, msg = metrics.lookup(name)
    if msg then error("tpp.rules.boxes: " .. msg, 0) end
    if metrics.METRICS[name].kind == "flag" then
      error(("tpp.rules.boxes: '%s' is a flag; project on number metrics and fix flags in facts"):format(name), 0)
    end
  end
  if x == y then error("tpp.rules.boxes: x and y must be different metrics", 0) end
  local f = { memory_item = false }
  for k, val in pairs(facts or {}) do
    local _, msg = metrics.lookup(k)
    if msg then error("tpp.rules.boxes: facts: " .. msg, 0) end
    f[k] = val
  end
  local P, why = prepare(v, opts.as_of or os.date("!%Y-%m-%d"))
  if not P then error("tpp.rules.boxes: " .. why .. "; its region cannot be drawn", 0) end
  for _, name in ipairs({ x, y }) do
    if not P.metrics[name] then
      local used = {}
      for _, m in ipairs(metrics.ORDER) do if P.metrics[m] then used[#used + 1] = m end end
      error(("tpp.rules.boxes: %s has no test on %s; its metrics are %s"):format(v.id, name,
        table.concat(used, ", ")), 0)
    end
  end
  local out = {}
  local function with(list, extra)
    local l = util.deepcopy(list or {})
    l[#l + 1] = extra
    return l
  end
  for ci, p in ipairs(P.paragraphs) do
    local box, conditions = project(p.tests, x, y, f)
    if box then
      local pieces = { { box = box, outcome = p.outcome, notes = {}, conditions = conditions } }
      for _, n in ipairs(P.notes) do
        local nbox, ncond = nil, nil
        if n.targets[ci] then nbox, ncond = project(n.tests, x, y, f) end
        if nbox then
          local open = #ncond > 0 and table.concat(ncond, " and ") or nil
          local next_pieces = {}
          for _, piece in ipairs(pieces) do
            for _, r in ipairs(subtract(piece.box, nbox, x, y)) do
              next_pieces[#next_pieces + 1] = { box = r, outcome = piece.outcome, notes = piece.notes,
                                                 conditions = piece.conditions }
            end
            local inside = { [x] = intersect(piece.box[x], nbox[x]), [y] = intersect(piece.box[y], nbox[y]) }
            if not empty(inside[x]) and not empty(inside[y]) then
              -- where the note applies
              if n.kind == "outcome" then
                next_pieces[#next_pieces + 1] = {
                  box = inside, outcome = n.outcome, notes = with(piece.notes, n.id),
                  conditions = open and with(piece.conditions, ("if %s (%s)"):format(open, n.id)) or piece.conditions }
              end
              -- where its open conditions fail, the piece stands as it was
              if open then
                next_pieces[#next_pieces + 1] = {
                  box = inside, outcome = piece.outcome, notes = piece.notes,
                  conditions = with(piece.conditions, ("unless %s (%s)"):format(open, n.id)) }
              end
            end
          end
          pieces = next_pieces
        end
      end
      for _, piece in ipairs(pieces) do
        out[#out + 1] = { clause = p.id, eccn = p.eccn, class = p.class, outcome = piece.outcome, role = p.role,
                          x = piece.box[x], y = piece.box[y], conditions = piece.conditions, notes = piece.notes }
      end
    end
  end
  return out
end

-- ---- diff ----

local function same_except(a, b, dims, k)
  for _, d in ipairs(dims) do
    if d ~= k then
      local i, j = a[d], b[d]
      if i.lo ~= j.lo or i.hi ~= j.hi or i.lo_incl ~= j.lo_incl or i.hi_incl ~= j.hi_incl then return false end
    end
  end
  return true
end

-- Merge boxes that touch along one dimension and agree on the others.
local function merge(regions, dims)
  local changed = true
  while changed do
    changed = false
    for a = 1, #regions do
      for b = a + 1, #regions do
        local ra, rb = regions[a], regions[b]
        if ra and rb and ra.key == rb.key then
          for _, k in ipairs(dims) do
            if same_except(ra.box, rb.box, dims, k) then
              local i, j = ra.box[k], rb.box[k]
              local joined
              if i.hi == j.lo and (i.hi_incl ~= j.lo_incl) then
                joined = { lo = i.lo, lo_incl = i.lo_incl, hi = j.hi, hi_incl = j.hi_incl }
              elseif j.hi == i.lo and (j.hi_incl ~= i.lo_incl) then
                joined = { lo = j.lo, lo_incl = j.lo_incl, hi = i.hi, hi_incl = i.hi_incl }
              end
              if joined then
                ra.box[k] = joined
                regions[b] = false
                changed = true
                break
              end
            end
          end
        end
      end
    end
    local kept = {}
    for _, r in ipairs(regions) do if r then kept[#kept + 1] = r end end
    regions = kept
  end
  return regions
end

local function decision_of(v, detail, compiled)
  local def = v.def
  local d = { status = ({ [0] = "not-controlled", [1] = "controlled", [2] = "undetermined" })[detail.status] }
  if detail.governing then
    local g = def.paragraphs[detail.governing]
    d.class = g.class
    d.outcome = detail.outcome >= 0 and compiled.outcomes[detail.outcome + 1] or "undetermined"
  end
  if detail.policy and detail.policy > 0 then d.review_policy = def.paragraphs[detail.policy].outcome end
  d.key = table.concat({ d.status, d.class or "", d.outcome or "", d.review_policy or "" }, "|")
  return d
end

-- Run a witness through a version's compiled C program.
local function confirm(v, compiled, w)
  local row = {}
  for i, name in ipairs(compiled.columns) do row[i] = w[name] end
  return decision_of(v, core.rule_eval_one(compiled.prog, row), compiled)
end

local function public_box(box, dims)
  local out = {}
  for _, d in ipairs(dims) do
    local i, dom = box[d], full(d)
    if not (i.lo == dom.lo and i.hi == dom.hi and i.lo_incl == dom.lo_incl and i.hi_incl == dom.hi_incl) then
      out[d] = { lo = i.lo, hi = i.hi, lo_incl = i.lo_incl, hi_incl = i.hi_incl }
    end
  end
  return out
end

local function short(d)
  if d.status ~= "controlled" then return d.status end
  local s = d.class or "controlled"
  if d.outcome and d.outcome ~= "controlled" then s = s .. " (" .. d.outcome .. ")" end
  return s
end

--- Differences between versions a and b.
-- opts.chips: list of chips (objects, names or tables; default: the database);
-- opts.as_of: date for dated or computed thresholds (default today);
-- opts.facts: metrics to hold fixed in the region search ({ datacenter = true });
-- opts.max_regions (default 500).
-- Returns { a, b, flips = {...}, unchanged, regions = {...}, regions_note }.
function M.diff(a, b, opts)
  opts = opts or {}
  local as_of = opts.as_of or os.date("!%Y-%m-%d")
  local rules = require "tpp.rules"
  local tpp = require "tpp"
  local out = { a = a.id, b = b.id, as_of = as_of, flips = {}, unchanged = 0, regions = {},
                a_hash = a.hash, b_hash = b.hash }
  local chips = opts.chips or tpp.chips()
  for _, x in ipairs(chips) do
    local chip = tpp.chip(x)
    local r1 = rules.classify(chip, { rules = a, as_of = as_of })
    local r2 = rules.classify(chip, { rules = b, as_of = as_of })
    local k1 = table.concat({ r1.status, r1.classification or "", r1.outcome or "", r1.review_policy or "" }, "|")
    local k2 = table.concat({ r2.status, r2.classification or "", r2.outcome or "", r2.review_policy or "" }, "|")
    if k1 ~= k2 then
      out.flips[#out.flips + 1] = {
        chip = r1.chip, chip_name = r1.chip_name,
        from = { status = r1.status, eccn = r1.eccn, class = r1.classification, outcome = r1.outcome,
                 review_policy = r1.review_policy, paragraphs = r1.paragraphs },
        to = { status = r2.status, eccn = r2.eccn, class = r2.classification, outcome = r2.outcome,
               review_policy = r2.review_policy, paragraphs = r2.paragraphs },
        explanation_a = r1.explanation, explanation_b = r2.explanation,
      }
    else
      out.unchanged = out.unchanged + 1
    end
  end

  -- regions
  local Pa, why_a = prepare(a, as_of)
  local Pb, why_b = prepare(b, as_of)
  if not Pa or not Pb then
    out.regions_note = (why_a or why_b) .. "; regions are computed for declarative tests only"
    require("tpp.json").array(out.flips)
    require("tpp.json").array(out.regions)
    return out
  end
  local dims_set = {}
  for m in pairs(Pa.metrics) do dims_set[m] = true end
  for m in pairs(Pb.metrics) do dims_set[m] = true end
  local dims = {}
  for _, m in ipairs(metrics.ORDER) do if dims_set[m] then dims[#dims + 1] = m end end
  local start = {}
  for _, d in ipairs(dims) do start[d] = full(d) end
  for k, val in pairs(opts.facts or {}) do
    local _, msg = metrics.lookup(k)
    if msg then error("tpp.rules.diff: facts: " .. msg, 0) end
    local num = type(val) == "boolean" and (val and 1 or 0) or val
    start[k] = interval(num, num, true, true)
    if not dims_set[k] then dims[#dims + 1] = k end
  end
  local max_regions = opts.max_regions or 500
  local raw, boxes_seen = {}, 0
  local truncated = false
  local function explore(box)
    if #raw >= max_regions then truncated = true return end
    boxes_seen = boxes_seen + 1
    if not feasible(box) then return end
    local da, db = decide(Pa, box), decide(Pb, box)
    if da and db then
      if da.key ~= db.key then raw[#raw + 1] = { box = box, a = da, b = db, key = da.key .. "=>" .. db.key } end
      return
    end
    local t = (not da and mixed_test(Pa, box)) or mixed_test(Pb, box) or mixed_test(Pa, box)
    if not t then return end
    for _, side in ipairs({ half_line(t.op, t.c), other_side(t.op, t.c) }) do
      local part = {}
      for k, i in pairs(box) do part[k] = i end
      part[t.metric] = intersect(box[t.metric], side)
      explore(part)
    end
  end
  explore(start)
  local merged = merge(raw, dims)
  local ca, cb = a:program(as_of), b:program(as_of)
  for _, r in ipairs(merged) do
    local w = M.witness(r.box)
    local wa, wb = confirm(a, ca, w), confirm(b, cb, w)
    local witness = {}
    for k, val in pairs(w) do
      local kind = metrics.METRICS[k].kind
      if kind == "flag" then witness[k] = val == 1
      elseif kind == "date" then witness[k] = metrics.date_string(val)
      else witness[k] = val end
    end
    out.regions[#out.regions + 1] = {
      box = public_box(r.box, dims),
      a = { status = r.a.status, class = r.a.class, eccn = r.a.eccn, outcome = r.a.outcome,
            review_policy = r.a.review_policy, paragraph = r.a.paragraph },
      b = { status = r.b.status, class = r.b.class, eccn = r.b.eccn, outcome = r.b.outcome,
            review_policy = r.b.review_policy, paragraph = r.b.paragraph },
      summary = short(r.a) .. " -> " .. short(r.b),
      witness = witness,
      confirmed = wa.key == r.a.key and wb.key == r.b.key,
    }
  end
  out.dimensions = dims
  out.boxes_examined = boxes_seen
  local json = require "tpp.json"
  json.array(out.flips)
  json.array(out.regions)
  if truncated then out.regions_note = ("stopped after %d regions (max_regions)"):format(max_regions) end
  return out
end

M.decide = decide
M.prepare = prepare
M.test_on = test_on

return M
