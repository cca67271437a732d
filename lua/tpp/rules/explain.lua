--- tpp.rules.explain: a classification result in plain language, for readers
-- who are not engineers: which paragraph decided it, each figure against its
-- line (with the datasheet units people know), what would change the answer,
-- and what cannot be decided from specifications.
local util = require "tpp.util"
local dsl = require "tpp.rules.dsl"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

local NEED = { [">="] = "at least", [">"] = "more than", ["<="] = "at most", ["<"] = "less than" }

--- A number the way a reader wants it: thousands separators, few decimals.
function M.number(v)
  if v == nil then return "unknown" end
  local a = math.abs(v)
  if a >= 100 then
    -- as many decimals (up to 2) as the value has: 989.45 stays 989.45, not 989.5 beside a datasheet 989.4
    for decimals = 0, 1 do
      local scale = 10 ^ decimals
      if math.abs(v * scale - math.floor(v * scale + 0.5)) < 1e-6 then return util.fmt(v, decimals) end
    end
    return util.fmt(v, 2)
  end
  if a == 0 then return "0" end
  if a < 0.01 then return ("%.2g"):format(v) end
  local s = ("%." .. (a < 1 and 3 or 2) .. "f"):format(v)
  return (s:gsub("(%.%d-)0+$", "%1"):gsub("%.$", ""))
end
local number = M.number

local function unit_suffix(rec)
  if rec.unit and rec.unit ~= "" then return " " .. rec.unit end
  return ""
end

local function datasheet_phrase(rec)
  if not rec.datasheet or rec.value == nil then return "" end
  local parts = {}
  for _, u in ipairs(rec.datasheet) do
    parts[#parts + 1] = ("%s %s against %s"):format(number(u.value), u.unit, number(u.threshold))
  end
  return " (that is " .. table.concat(parts, ", or ") .. ")"
end

--- One test against its line: "its TPP of 2,368 is 32 below the 2,400 line (...)".
function M.test_phrase(rec)
  if rec.check then
    if rec.value == nil then return ("'%s' cannot be decided%s"):format(rec.metric_title,
      rec.why and (" (" .. rec.why .. ")") or "") end
    return ("'%s' is %s%s"):format(rec.metric_title, rec.value and "true" or "false",
      rec.why and (" (" .. rec.why .. ")") or "")
  end
  if type(rec.threshold) == "boolean" then
    if rec.value == nil then
      return ("it is not known whether it %s"):format(rec.metric_title:gsub("^is ", "is "))
    end
    local says = rec.metric_title
    if rec.value then return "it " .. (says:find("^is ") and says or ("is " .. says)) end
    return "it " .. (says:find("^is ") and says:gsub("^is ", "is not ") or ("is not " .. says))
  end
  local name = M.metric_name(rec)
  if rec.value == nil then
    return ("its %s is unknown%s, so the %s line cannot be checked"):format(name,
      rec.why and (" (" .. rec.why .. ")") or "", type(rec.threshold) == "string" and rec.threshold or
      (number(rec.threshold) .. unit_suffix(rec)))
  end
  if type(rec.value) == "string" then
    return ("its %s of %s is %s %s"):format(name, rec.value, rec.op == "<" and "before" or
      (rec.op == ">" and "after" or (rec.op == ">=" and "on or after" or "on or before")), rec.threshold)
  end
  local diff = rec.margin or (rec.value - rec.threshold)
  local where
  if diff == 0 then
    where = ("exactly at the %s%s line"):format(number(rec.threshold), unit_suffix(rec))
  else
    where = ("%s %s the %s%s line"):format(number(math.abs(diff)), diff > 0 and "above" or "below",
      number(rec.threshold), unit_suffix(rec))
  end
  return ("its %s of %s%s is %s%s"):format(name, number(rec.value), unit_suffix(rec), where, datasheet_phrase(rec))
end

--- The reader's name of a test's metric ("TPP", "performance density", ...).
function M.metric_name(rec)
  local m = require("tpp.rules.metrics").METRICS[rec.metric]
  return m and m.short or rec.metric_title or rec.metric
end

local function list_words(items)
  if #items == 0 then return "" end
  if #items == 1 then return items[1] end
  return table.concat(items, ", ", 1, #items - 1) .. " and " .. items[#items]
end

local function tests_of(r, clause)
  local out = {}
  for _, t in ipairs(r.tests) do if t.clause == clause then out[#out + 1] = t end end
  return out
end

local function requirement(rec)
  if type(rec.threshold) == "boolean" then
    return (rec.threshold and "" or "not ") .. rec.metric_title
  end
  local name = M.metric_name(rec)
  return ("%s %s %s%s"):format(name, NEED[rec.op] or rec.op, type(rec.threshold) == "string" and rec.threshold
    or number(rec.threshold), unit_suffix(rec))
end

-- The two paragraphs a not-controlled chip came closest to: fewest failing
-- tests, then the smallest relative distance of a failing test to its line.
local function closest(r, version)
  local ranked = {}
  for i, c in ipairs(version.clauses) do
    if c.role == "classify" then
      local dist = math.huge
      local failing = {}
      for _, t in ipairs(tests_of(r, c.id)) do
        if t.state == 0 then
          failing[#failing + 1] = t
          if t.margin_ratio then dist = math.min(dist, math.abs(t.margin_ratio - 1)) end
        end
      end
      if #failing > 0 then ranked[#ranked + 1] = { clause = c, failing = failing, dist = dist, pos = i } end
    end
  end
  table.sort(ranked, function(a, b)
    if #a.failing ~= #b.failing then return #a.failing < #b.failing end
    if a.dist ~= b.dist then return a.dist < b.dist end
    return a.pos < b.pos
  end)
  local second = ranked[2]
  if second and #second.failing > #ranked[1].failing then second = nil end
  return ranked[1], second
end

local function clause_named(version, id)
  for _, c in ipairs(version.clauses) do if c.id == id then return c end end
end

local function describe_clause(c)
  if c.text then return ("%s (%s)"):format(c.id, c.text) end
  return c.id
end

--- The explanation of a result (from Version:evaluate).
function M.text(r, version)
  local chip = r.chip_name or r.chip
  local parts = {}
  local proposal = version.status == "proposal"
  local head = ("Under %s"):format(version.id)
  local ctx = {}
  if version.citation then
    ctx[#ctx + 1] = util.trim(version.citation:match("^[^(;]+") or version.citation)
  end
  ctx[#ctx + 1] = r.rules_status .. " on " .. r.as_of
  head = head .. " (" .. table.concat(ctx, "; ") .. ")"
  local subject = version.subject or (version.track == "3A090" and "ECCN 3A090" or version.title)
  local would = proposal and "would be" or "is"

  if r.status == "controlled" then
    local g = clause_named(version, r.governing)
    local label = r.eccn or r.classification or r.governing
    local s
    if r.eccn then
      s = ("%s, the %s %s controlled as %s"):format(head, chip, would, label)
    else
      s = ("%s, the %s %s caught by %s as '%s'"):format(head, chip, would, subject, label)
    end
    if label ~= r.governing then s = s .. ", by " .. describe_clause(g) end
    local reasons = {}
    for _, t in ipairs(tests_of(r, r.governing)) do reasons[#reasons + 1] = M.test_phrase(t) end
    parts[#parts + 1] = s .. ": " .. list_words(reasons) .. "."
    local others = {}
    for _, id in ipairs(r.paragraphs) do if id ~= r.governing then others[#others + 1] = id end end
    if #others > 0 then
      parts[#parts + 1] = ("It also meets %s; %s governs by precedence."):format(list_words(others), r.governing)
    end
    if r.governing_certain == false and #r.undetermined > 0 then
      parts[#parts + 1] = ("%s could govern instead but cannot be decided (%s)."):format(
        list_words(r.undetermined), list_words(r.missing))
    end
    local applied
    for _, n in ipairs(r.notes) do
      if n.kind == "outcome" and n.state == "applies" then applied = n end
    end
    if r.outcome == "undetermined" then
      parts[#parts + 1] = ("Which licence route applies cannot be decided: %s."):format(
        #r.missing > 0 and ("it depends on " .. list_words(r.missing)) or "a condition is unknown")
    elseif applied then
      parts[#parts + 1] = ("%s applies%s, so: %s."):format(applied.id,
        applied.text and (" (" .. applied.text .. ")") or "", dsl.OUTCOMES[r.outcome] or r.outcome)
    elseif r.outcome then
      parts[#parts + 1] = ("Outcome: %s."):format(dsl.OUTCOMES[r.outcome] or r.outcome)
    end
  elseif r.status == "not-controlled" then
    local s = ("%s, the %s %s not %s under %s"):format(head, chip, proposal and "would" or "is",
      proposal and "be covered" or "controlled", subject)
    if #r.excluded > 0 then
      local n = r.excluded[1]
      local reasons = {}
      for _, t in ipairs(tests_of(r, n.id)) do reasons[#reasons + 1] = M.test_phrase(t) end
      parts[#parts + 1] = ("%s: %s takes it out of %s because %s."):format(s, n.id, list_words(n.paragraphs),
        list_words(reasons))
      if n.text then parts[#parts + 1] = ("(%s: %s)"):format(n.id, n.text) end
    else
      parts[#parts + 1] = s .. ": no paragraph applies."
      local best, second = closest(r, version)
      for i, b in ipairs({ best, second }) do
        local phrases, needs = {}, {}
        for _, t in ipairs(b.failing) do
          phrases[#phrases + 1] = M.test_phrase(t)
          needs[#needs + 1] = requirement(t)
        end
        parts[#parts + 1] = ("%s %s, which needs %s: %s."):format(i == 1 and "Closest is" or "Next is",
          i == 1 and describe_clause(b.clause) or b.clause.id, list_words(needs), list_words(phrases))
      end
    end
  else
    local why = {}
    local metrics_mod = require("tpp.rules.metrics").METRICS
    for _, name in ipairs(r.missing) do
      local m = metrics_mod[name]
      why[#why + 1] = ("its %s is unknown (%s)"):format(m and m.short or name, r.missing_why[name])
    end
    parts[#parts + 1] = ("%s, whether the %s %s %s cannot be decided: %s."):format(head, chip, would,
      proposal and "covered" or "controlled", list_words(why))
    if #r.undetermined > 0 then
      parts[#parts + 1] = ("%s depend%s on it; supply the missing figure%s to decide."):format(
        list_words(r.undetermined), #r.undetermined == 1 and "s" or "", #r.missing == 1 and "" or "s")
    end
  end

  if r.review_policy then
    if r.review_policy == "undetermined" then
      parts[#parts + 1] = ("Review policy: cannot be decided (%s)."):format(list_words(r.missing))
    else
      local reasons = {}
      for _, t in ipairs(tests_of(r, r.policy)) do reasons[#reasons + 1] = M.test_phrase(t) end
      local p = clause_named(version, r.policy)
      parts[#parts + 1] = ("Review policy (%s): %s, because %s%s."):format(p.text or p.id,
        dsl.OUTCOMES[r.review_policy] or r.review_policy, list_words(reasons),
        r.status == "controlled" and "" or "; it matters only where a licence is required")
    end
  end

  local changed = {}
  for _, e in ipairs(r.readings or {}) do
    if e.changes then
      changed[#changed + 1] = ("read as %s (%s), it would be '%s'%s"):format(e.name, e.text, e.answer,
        e.tpp and (" at TPP " .. number(e.tpp)) or "")
    end
  end
  if #changed > 0 then
    parts[#parts + 1] = ("This answer rests on how the chip's figures are read: %s."):format(
      table.concat(changed, "; "))
  end

  if r.near_line and #r.near > 0 then
    local lines, index = {}, {}
    for _, t in ipairs(r.near) do
      local key = ("the %s %s%s line"):format(M.metric_name(t),
        type(t.threshold) == "number" and number(t.threshold) or tostring(t.threshold), unit_suffix(t))
      if not index[key] then
        lines[#lines + 1] = { key = key, clauses = {} }
        index[key] = lines[#lines]
      end
      table.insert(index[key].clauses, t.clause)
    end
    for i, l in ipairs(lines) do lines[i] = ("%s (%s)"):format(l.key, table.concat(l.clauses, ", ")) end
    parts[#parts + 1] = ("Near the line: within %s%% of %s, so a small change in the published figures " ..
      "(rounding, a different datasheet) could change the answer."):format(number(r.near_margin * 100),
      list_words(lines))
  end
  if version.status == "proposal" then
    parts[#parts + 1] = "Note: this is a proposal, not law" ..
      (version.status_note and (" (" .. version.status_note .. ")") or "") .. "."
  elseif r.rules_status ~= "in force" and version.status ~= "user" and version.status ~= "what-if" then
    parts[#parts + 1] = ("Note: this version is %s on %s%s."):format(
      dsl.STATUSES[r.rules_status] and r.rules_status or r.rules_status, r.as_of,
      version.status_note and (" (" .. version.status_note .. ")") or "")
  end
  if r.overrides then
    local o = {}
    for _, k in ipairs(util.sorted_keys(r.overrides)) do o[#o + 1] = k .. " = " .. number(r.overrides[k]) end
    parts[#parts + 1] = ("What-if: %s (not the rule text)."):format(table.concat(o, ", "))
  end
  return table.concat(parts, " ")
end

return M
