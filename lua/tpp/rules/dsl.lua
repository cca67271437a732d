--- tpp.rules.dsl: the language rule files are written in, and its checks.
-- literal-ok-comments: the examples below show the rule-file syntax with the numbers of 88 FR 73458.
--
-- A rule file is a sequence of declarations that reads like the regulation:
--
--   version { id = "us-2023-10", title = "...", citation = "88 FR 73458", status = "in force",
--             dates = { published = "2023-10-25", effective = "2023-11-17" }, ... }
--   threshold { "3A090.a.1.tpp", 4800, provenance = "secondary", source = "3A090.a.1" }
--   paragraph { "3A090.a.1", eccn = "3A090.a", outcome = "controlled",
--               text = "TPP of 4800 or more",
--               test("tpp", ">=", "3A090.a.1.tpp") }
--   paragraph { "3A090.b.1", eccn = "3A090.b", outcome = "nac-eligible",
--               range("tpp", ">=", 2400, "<", 4800),      -- a half-open range, both bounds explicit
--               range("pd", ">=", 1.6, "<", 5.92) }
--   note { "Note 2 to 3A090", kind = "exclude", targets = { "3A090.a", "3A090.b" },
--          test("datacenter", "==", false), test("tpp", "<", 4800) }
--   precedence { "3A090.a", "3A090.b" }
--   checklist { "end use and end user (part 744)" }
--   assumption { "datacenter-flag", "the datacenter flag is a judgement ..." }
--
-- Every declaration records the line it was made on, so a mistake (unknown
-- metric, inverted range, missing id, unknown threshold name, ...) fails at
-- load as "file:line: what is wrong; what to do".
local metrics = require "tpp.rules.metrics"
local util = require "tpp.util"
local json = require "tpp.json"

local M = {}

M.STATUSES = {
  ["in force"] = "in force", superseded = "superseded (replaced by a later version)",
  ["not enforced"] = "not enforced (text still in the CFR; enforcement stopped by announcement)",
  suspended = "suspended", ["reported-only"] = "reported only (known from company disclosures or press, not in the FR)",
  proposal = "proposal (a bill or letter, not law)", guidance = "guidance (an agency statement, not a rule)",
  user = "user rule (not law)", ["what-if"] = "what-if scenario (not law)",
}
M.PROVENANCE = {
  primary = "regulatory or filing text", secondary = "faithful reproduction of primary text",
  reported = "news or analyst report", derived = "arithmetic from stated figures",
  assumption = "a documented assumption", user = "given by the user",
}
M.OUTCOMES = {
  controlled = "licence required; License Exceptions NAC/ACA not available",
  ["nac-eligible"] = "controlled, but License Exception NAC or ACA may be used",
  ["hbm-eligible"] = "controlled, but License Exception HBM may be used",
  ["licence-required"] = "licence required",
  presumed = "presumed 3A090.a and designed for datacenters (binds front-end fabricators and OSATs)",
  covered = "would be covered",
  restricted = "would be restricted",
  denied = "would not be allowed",
  ["case-by-case"] = "licence applications reviewed case-by-case",
  ["presumption-of-denial"] = "licence applications reviewed with a presumption of denial",
  ["presumption-of-approval"] = "licence applications reviewed with a presumption of approval",
}
M.DATE_KEYS = {
  "announced", "informed", "introduced", "published", "effective", "compliance", "corrected",
  "superseded", "not_enforced", "suspended", "suspended_until", "expires", "letter",
}
local DATE_SET = {}
for _, k in ipairs(M.DATE_KEYS) do DATE_SET[k] = true end

local VERSION_KEYS = {
  id = "string", title = "string", citation = "string", jurisdiction = "string", instrument = "string",
  track = "string", status = "string", provenance = "string", dates = "table", supersedes = "string",
  superseded_by = "string", source = "string", summary = "string", scope = "string", extends = "string",
  status_note = "string", subject = "string", informed = "table",
}
local THRESHOLD_KEYS = { unit = "string", provenance = "string", source = "string", note = "string",
                         series = "table", compute = "function", metric = "string", id = "string" }
local FIGURE_KEYS = { unit = "string", provenance = "string", source = "string", note = "string", id = "string" }
local PARAGRAPH_KEYS = { id = "string", eccn = "string", class = "string", outcome = "string",
                         role = "string", text = "string", source = "string", requires = "table",
                         title = "string" }
local NOTE_KEYS = { id = "string", kind = "string", targets = "table", outcome = "string", text = "string",
                    source = "string", requires = "table", title = "string" }
local LICENCE_KEYS = { id = "string", kind = "string", outcome = "string", exception = "string", view = "string",
                       rank = "number", text = "string", source = "string", provenance = "string",
                       title = "string", requires = "table" }
local LICENCE_NOTE_KEYS = { id = "string", targets = "table", view = "string", text = "string", source = "string",
                            provenance = "string" }
M.LICENCE_KINDS = { requirement = true, exception = true, review = true }
-- What an exception clause says when its tests hold: the exception is available, or
-- whether it is available is an open question (text the sources do not settle).
M.EXCEPTION_OUTCOMES = { available = true, open = true }
local ASSUMPTION_KEYS = { text = "string", alternatives = "table", choice = "string", id = "string",
                          applies_to = "table" }

M.LIMITS = { paragraphs = 64, tests = 256, notes = 32 }

local OPS_NUMBER = { [">="] = true, [">"] = true, ["<="] = true, ["<"] = true }
local OP_WORDS = { [">="] = "at or above", [">"] = "above", ["<="] = "at or below", ["<"] = "below",
                   ["=="] = "equal to" }
M.OP_WORDS = OP_WORDS

local function is_date(s) return metrics.date_number(s) ~= nil end

local function keys_list(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return out
end

--- A new loading state; `name` is the chunk name used in messages.
local function new_state(name)
  return {
    name = name, thresholds = {}, threshold_order = {}, figures = {}, figure_order = {},
    paragraphs = {}, notes = {}, checklist = {}, assumptions = {}, removed = {}, checks = {},
    licence = {}, licence_notes = {},
  }
end

local function fail(S, line, fmt, ...)
  error(("%s:%s: %s"):format(S.name, tostring(line or "?"), fmt:format(...)), 0)
end

-- An error at a declared item, in the file that declared it (inherited
-- items come from the parent's file).
local function fail_at(S, item, fmt, ...)
  error(("%s:%s: %s"):format(item.file or S.name, tostring(item.line or "?"), fmt:format(...)), 0)
end

local function check_keys(S, line, what, t, allowed, skip_array)
  for k, v in pairs(t) do
    local array_item = type(k) == "number" and skip_array -- handled by the caller
    if not array_item and (type(k) ~= "string" or not allowed[k]) then
      local hint = type(k) == "string" and util.did_you_mean(k, keys_list(allowed)) or nil
      fail(S, line, "%s: unknown field '%s'%s", what, tostring(k),
        hint and ("; did you mean '" .. hint .. "'?") or ("; fields: " .. table.concat(keys_list(allowed), ", ")))
    elseif not array_item and type(v) ~= allowed[k] then
      fail(S, line, "%s: field '%s' must be a %s, got %s", what, k, allowed[k], type(v))
    end
  end
end

local function check_provenance(S, line, what, p)
  if p ~= nil and not M.PROVENANCE[p] then
    fail(S, line, "%s: provenance '%s' unknown; use one of %s", what, tostring(p),
      table.concat(keys_list(M.PROVENANCE), ", "))
  end
end

local function string_list(S, line, what, t)
  local out = json.array {}
  for i, v in ipairs(t or {}) do
    if type(v) ~= "string" then fail(S, line, "%s[%d] must be a string, got %s", what, i, type(v)) end
    out[i] = v
  end
  return out
end

-- ---- constructors for tests (they go inside paragraph { } and note { }) ----

local function make_test_api(S)
  local api = {}

  local function check_metric(line, metric, op)
    local m, msg = metrics.lookup(metric)
    if not m then fail(S, line, "%s", msg) end
    if m.kind == "flag" then
      if op ~= "==" then
        fail(S, line, "'%s' is a flag: test it with test(\"%s\", \"==\", true) or false", metric, metric)
      end
    elseif not OPS_NUMBER[op] then
      fail(S, line, "comparator '%s' for %s: use '>=', '>', '<=' or '<' (thresholds are lines, " ..
        "equality is for flags)", tostring(op), metric)
    end
    return m
  end

  --- test(metric, op, threshold[, opts]): threshold is a number, the name of
  -- a threshold { }, a "YYYY-MM-DD" date (date metrics) or true/false (flags).
  -- opts.if_unknown = "true" | "false": what an unknown value counts as (default: undetermined).
  function api.test(metric, op, ref, opts)
    local line = debug.getinfo(2, "l").currentline
    local m = check_metric(line, metric, op)
    if m.kind == "flag" and type(ref) ~= "boolean" then
      fail(S, line, "flag '%s' is compared with true or false, got %s", metric, tostring(ref))
    elseif m.kind ~= "flag" and type(ref) ~= "number" and type(ref) ~= "string" then
      fail(S, line, "test on %s: threshold must be a number or a threshold name, got %s", metric, type(ref))
    end
    if type(ref) == "number" and (ref ~= ref or ref == math.huge or ref == -math.huge) then
      fail(S, line, "test on %s: threshold must be a finite number, got %s", metric, tostring(ref))
    end
    local if_unknown
    if opts ~= nil then
      if type(opts) ~= "table" then fail(S, line, "test options must be a table, got %s", type(opts)) end
      for k in pairs(opts) do
        if k ~= "if_unknown" and k ~= "why" then
          fail(S, line, "test option '%s' unknown; options: if_unknown, why", tostring(k))
        end
      end
      if opts.if_unknown ~= nil and opts.if_unknown ~= "true" and opts.if_unknown ~= "false" then
        fail(S, line, "if_unknown must be \"true\" or \"false\", got %s", tostring(opts.if_unknown))
      end
      if_unknown = opts.if_unknown
    end
    return { _kind = "test", metric = metric, op = op, ref = ref, line = line, file = S.name,
             if_unknown = if_unknown, unknown_why = opts and opts.why }
  end

  --- range(metric, ">=" | ">", low, "<" | "<=", high): a bounded interval,
  -- e.g. range("tpp", ">=", 2400, "<", 4800) is 2400 <= TPP < 4800.
  function api.range(metric, op_lo, lo, op_hi, hi)
    local line = debug.getinfo(2, "l").currentline
    local m = check_metric(line, metric, op_lo)
    if m.kind == "flag" then fail(S, line, "range() needs a number metric; '%s' is a flag", metric) end
    if op_lo ~= ">=" and op_lo ~= ">" then
      fail(S, line, "range on %s: the lower bound comes first, with '>=' or '>' (got '%s')", metric, tostring(op_lo))
    end
    if op_hi ~= "<" and op_hi ~= "<=" then
      fail(S, line, "range on %s: the upper bound comes second, with '<' or '<=' (got '%s')", metric, tostring(op_hi))
    end
    for _, r in ipairs({ lo, hi }) do
      if type(r) ~= "number" and type(r) ~= "string" then
        fail(S, line, "range on %s: bounds must be numbers or threshold names, got %s", metric, type(r))
      end
    end
    return { _kind = "range", metric = metric, line = line, file = S.name,
             lower = { op = op_lo, ref = lo }, upper = { op = op_hi, ref = hi } }
  end

  --- check(name, fn, text): the escape hatch, a Lua test the compiled program
  -- cannot express. fn(chip) gets a plain table of the chip's metrics and
  -- data and returns true, false or nil (unknown) [, reason]. It runs in the
  -- sandbox, once per chip, so it is much slower than a declarative test.
  function api.check(name, fn, text)
    local line = debug.getinfo(2, "l").currentline
    if type(name) ~= "string" or not name:match("^[%w_%-%.]+$") then
      fail(S, line, "check: the first argument is a name (letters, digits, '_', '-', '.'), got %s", tostring(name))
    end
    if type(fn) ~= "function" then
      fail(S, line, "check '%s': a function is expected second, got %s", name, type(fn))
    end
    if text ~= nil and type(text) ~= "string" then
      fail(S, line, "check '%s': the third argument (text) must be a string", name)
    end
    return { _kind = "check", name = name, fn = fn, text = text or name, line = line, file = S.name }
  end
  return api
end

-- ---- declarations ----

local function make_api(S)
  local api = make_test_api(S)

  function api.version(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "version expects a table: version { id = \"...\", ... }") end
    if S.version then fail(S, line, "version { } is declared twice (first at line %d)", S.version.line) end
    check_keys(S, line, "version", t, VERSION_KEYS)
    if t.id == nil then
      fail(S, line, "version: 'id' is missing; add id = \"my-rule-1\" (letters, digits, '-', '.')")
    end
    if not t.id:match("^[%w][%w%-%._]*$") then
      fail(S, line, "version: id '%s' may hold only letters, digits, '-', '.' and '_'", t.id)
    end
    if t.status ~= nil and not M.STATUSES[t.status] then
      local hint = util.did_you_mean(t.status, keys_list(M.STATUSES))
      fail(S, line, "version: status '%s' unknown%s; statuses: %s", t.status,
        hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(keys_list(M.STATUSES), ", "))
    end
    check_provenance(S, line, "version", t.provenance)
    local dates = {}
    for k, v in pairs(t.dates or {}) do
      if not DATE_SET[k] then
        local hint = type(k) == "string" and util.did_you_mean(k, M.DATE_KEYS) or nil
        fail(S, line, "version: date '%s' unknown%s; dates: %s", tostring(k),
          hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(M.DATE_KEYS, ", "))
      end
      if not is_date(v) then
        fail(S, line, "version: dates.%s = %s; write dates as \"YYYY-MM-DD\"", k, tostring(v))
      end
      dates[k] = v
    end
    local v = util.deepcopy(t)
    v.dates = dates
    v.line = line
    S.version = v
  end

  function api.threshold(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "threshold expects a table: threshold { \"name\", value, ... }") end
    local name = t[1] or t.id
    if type(name) ~= "string" or name == "" then
      -- literal-ok: a syntax example in the message
      fail(S, line, "threshold: the name comes first, e.g. threshold { \"3A090.a.1.tpp\", 4800, ... }") -- literal-ok: syntax
    end
    check_keys(S, line, "threshold '" .. name .. "'", t, THRESHOLD_KEYS, true)
    if S.thresholds[name] then
      fail(S, line, "threshold '%s' is declared twice (first at line %d)", name, S.thresholds[name].line)
    end
    local value = t[2]
    local kinds = (value ~= nil and 1 or 0) + (t.series and 1 or 0) + (t.compute and 1 or 0)
    if kinds ~= 1 then
      fail(S, line, "threshold '%s': give exactly one of a value, series = { ... } or compute = function", name)
    end
    if value ~= nil and (type(value) ~= "number" or value ~= value or value == math.huge or value == -math.huge) then
      fail(S, line, "threshold '%s': value must be a finite number, got %s", name, tostring(value))
    end
    local series
    if t.series then
      series = {}
      for i, e in ipairs(t.series) do
        if type(e) ~= "table" or not is_date(e[1]) or type(e[2]) ~= "number" then
          fail(S, line, "threshold '%s': series[%d] must be { \"YYYY-MM-DD\", value [, note = ...] }", name, i)
        end
        if i > 1 and e[1] <= series[i - 1].from then
          fail(S, line, "threshold '%s': series dates must increase (%s after %s)", name, e[1], series[i - 1].from)
        end
        series[i] = { from = e[1], value = e[2], note = e.note }
      end
      if #series == 0 then fail(S, line, "threshold '%s': series is empty", name) end
    end
    check_provenance(S, line, "threshold '" .. name .. "'", t.provenance)
    S.thresholds[name] = { name = name, value = value, series = series, compute = t.compute, unit = t.unit,
                           provenance = t.provenance, source = t.source, note = t.note, line = line,
                           metric = t.metric }
    S.threshold_order[#S.threshold_order + 1] = name
  end

  function api.figure(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "figure expects a table: figure { \"name\", value, ... }") end
    local name = t[1] or t.id
    if type(name) ~= "string" or name == "" then fail(S, line, "figure: the name comes first") end
    check_keys(S, line, "figure '" .. name .. "'", t, FIGURE_KEYS, true)
    if S.figures[name] then fail(S, line, "figure '%s' is declared twice", name) end
    local value = t[2]
    if type(value) ~= "number" and type(value) ~= "table" and type(value) ~= "string" then
      fail(S, line, "figure '%s': value must be a number, a string or a table", name)
    end
    check_provenance(S, line, "figure '" .. name .. "'", t.provenance)
    S.figures[name] = { name = name, value = util.deepcopy(value), unit = t.unit, provenance = t.provenance,
                        source = t.source, note = t.note, line = line }
    S.figure_order[#S.figure_order + 1] = name
  end

  local function collect_tests(line, what, t)
    local tests = {}
    for i = 2, #t do
      local item = t[i]
      if type(item) ~= "table" or not item._kind then
        fail(S, line, "%s: item %d is not a test; write test(...), range(...) or check(...)", what, i - 1)
      end
      tests[#tests + 1] = item
    end
    return tests
  end

  function api.paragraph(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "paragraph expects a table: paragraph { \"3A090.a.1\", ... }") end
    local id = t[1]
    if type(id) ~= "string" then id = t.id end
    if type(id) ~= "string" or id == "" then
      fail(S, line, "paragraph: the paragraph id comes first, e.g. paragraph { \"3A090.a.1\", eccn = ..., test(...) }")
    end
    check_keys(S, line, "paragraph '" .. id .. "'", t, PARAGRAPH_KEYS, true)
    for _, p in ipairs(S.paragraphs) do
      if p.id == id then fail(S, line, "paragraph '%s' is declared twice (first at line %d)", id, p.line) end
    end
    local role = t.role or "classify"
    if role ~= "classify" and role ~= "policy" then
      fail(S, line, "paragraph '%s': role must be \"classify\" or \"policy\", got '%s'", id, role)
    end
    local outcome = t.outcome
    if outcome == nil and role == "classify" then outcome = "controlled" end
    if outcome == nil then fail(S, line, "paragraph '%s': a policy paragraph needs outcome = ...", id) end
    if not outcome:match("^[a-z][a-z0-9%-]*$") then
      fail(S, line, "paragraph '%s': outcome '%s' must be a lower-case word such as 'controlled'", id, outcome)
    end
    local tests = collect_tests(line, "paragraph '" .. id .. "'", t)
    if #tests == 0 then
      fail(S, line, "paragraph '%s' has no tests; add test(metric, op, threshold) items", id)
    end
    S.paragraphs[#S.paragraphs + 1] = {
      id = id, eccn = t.eccn, class = t.class or t.eccn or id, outcome = outcome, role = role,
      text = t.text, title = t.title, source = t.source,
      requires = string_list(S, line, "paragraph '" .. id .. "'.requires", t.requires),
      tests = tests, line = line, file = S.name,
    }
  end

  function api.note(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "note expects a table: note { \"Note 2\", kind = ..., ... }") end
    local id = t[1]
    if type(id) ~= "string" then id = t.id end
    if type(id) ~= "string" or id == "" then fail(S, line, "note: the note id comes first") end
    check_keys(S, line, "note '" .. id .. "'", t, NOTE_KEYS, true)
    local kind = t.kind or "exclude"
    if kind ~= "exclude" and kind ~= "outcome" then
      fail(S, line, "note '%s': kind must be \"exclude\" or \"outcome\", got '%s'", id, kind)
    end
    if kind == "outcome" and type(t.outcome) ~= "string" then
      fail(S, line, "note '%s': an outcome note needs outcome = \"...\"", id)
    end
    if type(t.targets) ~= "table" or #t.targets == 0 then
      fail(S, line, "note '%s': targets = { \"3A090.a\", ... } lists the paragraphs or ECCNs it acts on", id)
    end
    local tests = collect_tests(line, "note '" .. id .. "'", t)
    if #tests == 0 then fail(S, line, "note '%s' has no tests", id) end
    for _, n in ipairs(S.notes) do
      if n.id == id then fail(S, line, "note '%s' is declared twice", id) end
    end
    S.notes[#S.notes + 1] = {
      id = id, kind = kind, outcome = t.outcome, text = t.text, title = t.title, source = t.source,
      targets = string_list(S, line, "note '" .. id .. "'.targets", t.targets),
      requires = string_list(S, line, "note '" .. id .. "'.requires", t.requires),
      tests = tests, line = line, file = S.name,
    }
  end

  function api.precedence(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "precedence expects a list: precedence { \"3A090.a\", \"3A090.b\" }") end
    S.precedence = string_list(S, line, "precedence", t)
    S.precedence_line = line
  end

  function api.checklist(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "checklist expects a list of strings") end
    for _, s in ipairs(string_list(S, line, "checklist", t)) do S.checklist[#S.checklist + 1] = s end
  end

  function api.assumption(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "assumption expects a table: assumption { \"name\", \"text\" }") end
    local name = t[1] or t.id
    local text = t[2] or t.text
    if type(name) ~= "string" or type(text) ~= "string" then
      fail(S, line, "assumption: give a name and a text: assumption { \"name\", \"what is assumed\" }")
    end
    check_keys(S, line, "assumption '" .. name .. "'", t, ASSUMPTION_KEYS, true)
    S.assumptions[#S.assumptions + 1] = {
      name = name, text = text, choice = t.choice, line = line,
      alternatives = string_list(S, line, "assumption '" .. name .. "'.alternatives", t.alternatives),
      applies_to = string_list(S, line, "assumption '" .. name .. "'.applies_to", t.applies_to),
    }
  end

  --- licence { "id", kind = "requirement" | "exception" | "review", ... tests }: the licence scope as data.
  -- A requirement clause that holds makes a licence required; an exception clause that holds makes
  -- License Exception `exception` available (outcome "available") or an open question (outcome "open");
  -- review clauses give the licence review policy (outcome), the first that holds in rank order.
  -- view = "cfr-text": text BIS does not enforce; it counts only in the CFR-text view.
  -- Tests read transaction facts (dest_d5, hq_d5_macau, item_a, exported_from_us, as_of, ...) and chip
  -- metrics (datacenter, tpp, mem_bw_gbs, mbd).
  function api.licence(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "licence expects a table: licence { \"id\", kind = ..., test(...) }") end
    local id = t[1]
    if type(id) ~= "string" then id = t.id end
    if type(id) ~= "string" or id == "" then fail(S, line, "licence: the clause id comes first") end
    check_keys(S, line, "licence '" .. id .. "'", t, LICENCE_KEYS, true)
    for _, c in ipairs(S.licence) do
      if c.id == id then fail(S, line, "licence clause '%s' is declared twice (first at line %d)", id, c.line) end
    end
    local kind = t.kind or "requirement"
    if not M.LICENCE_KINDS[kind] then
      fail(S, line, "licence '%s': kind must be \"requirement\", \"exception\" or \"review\", got '%s'", id, kind)
    end
    local outcome = t.outcome
    if kind == "requirement" then
      outcome = outcome or "licence-required"
    elseif kind == "exception" then
      if type(t.exception) ~= "string" then
        fail(S, line, "licence '%s': an exception clause names its License Exception: exception = \"NAC\"", id)
      end
      outcome = outcome or "available"
      if not M.EXCEPTION_OUTCOMES[outcome] then
        fail(S, line, "licence '%s': an exception clause's outcome is \"available\" or \"open\", got '%s'", id,
          tostring(outcome))
      end
    elseif type(outcome) ~= "string" then
      fail(S, line, "licence '%s': a review clause needs outcome = \"presumption-of-denial\" (or another policy)", id)
    end
    if t.view ~= nil and t.view ~= "cfr-text" then
      fail(S, line, "licence '%s': view is \"cfr-text\" or left out, got '%s'", id, t.view)
    end
    check_provenance(S, line, "licence '" .. id .. "'", t.provenance)
    local tests = collect_tests(line, "licence '" .. id .. "'", t)
    if #tests == 0 then fail(S, line, "licence '%s' has no tests", id) end
    S.licence[#S.licence + 1] = {
      id = id, class = id, kind = kind, outcome = outcome, exception = t.exception, view = t.view,
      rank = t.rank or 100, text = t.text, source = t.source, provenance = t.provenance, title = t.title,
      requires = string_list(S, line, "licence '" .. id .. "'.requires", t.requires),
      role = kind == "review" and "policy" or "classify",
      tests = tests, line = line, file = S.name,
    }
  end

  --- licence_note { "id", targets = { clause ids or exception names }, tests }: excludes the clauses
  -- it targets where its tests hold (like an exclusion note of 3A090).
  function api.licence_note(t)
    local line = debug.getinfo(2, "l").currentline
    if type(t) ~= "table" then fail(S, line, "licence_note expects a table") end
    local id = t[1]
    if type(id) ~= "string" then id = t.id end
    if type(id) ~= "string" or id == "" then fail(S, line, "licence_note: the note id comes first") end
    check_keys(S, line, "licence_note '" .. id .. "'", t, LICENCE_NOTE_KEYS, true)
    if type(t.targets) ~= "table" or #t.targets == 0 then
      fail(S, line, "licence_note '%s': targets = { ... } lists the licence clauses or exceptions it excludes", id)
    end
    if t.view ~= nil and t.view ~= "cfr-text" then
      fail(S, line, "licence_note '%s': view is \"cfr-text\" or left out", id)
    end
    for _, n in ipairs(S.licence_notes) do
      if n.id == id then fail(S, line, "licence_note '%s' is declared twice", id) end
    end
    local tests = collect_tests(line, "licence_note '" .. id .. "'", t)
    if #tests == 0 then fail(S, line, "licence_note '%s' has no tests", id) end
    S.licence_notes[#S.licence_notes + 1] = {
      id = id, kind = "exclude", view = t.view, text = t.text, source = t.source, provenance = t.provenance,
      targets = string_list(S, line, "licence_note '" .. id .. "'.targets", t.targets),
      tests = tests, line = line, file = S.name,
    }
  end

  --- remove "3A090.x": drop an inherited paragraph or note (with extends).
  function api.remove(id)
    local line = debug.getinfo(2, "l").currentline
    if type(id) ~= "string" then fail(S, line, "remove expects a paragraph or note id") end
    S.removed[id] = line
  end

  return api
end

-- ---- finishing: inheritance, names, checks ----

local function merge_by_id(parent_list, child_list, removed)
  local out, index = {}, {}
  for _, p in ipairs(parent_list) do
    if not removed[p.id] then
      out[#out + 1] = p
      index[p.id] = #out
    end
  end
  for _, c in ipairs(child_list) do
    if index[c.id] then out[index[c.id]] = c else out[#out + 1] = c; index[c.id] = #out end
  end
  return out
end

-- Static value of a threshold for range checks (nil when computed).
local function static_values(th)
  if th.value then return { th.value } end
  if th.series then
    local vals = {}
    for i, e in ipairs(th.series) do vals[i] = e.value end
    return vals
  end
  return nil
end

local function finish(S, parent)
  if not S.version then
    fail(S, 1, "no version { } declaration; start the file with version { id = \"my-rule\", title = \"...\" }")
  end
  local v = S.version
  local def = {
    thresholds = {}, threshold_order = {}, figures = {}, figure_order = {}, checklist = {},
    assumptions = {}, checks = {},
  }
  for k, val in pairs(v) do def[k] = val end
  def.version_line = v.line
  def.line = nil
  if parent then
    def.track = def.track or parent.track
    def.jurisdiction = def.jurisdiction or parent.jurisdiction
    def.provenance = def.provenance or parent.provenance
    def.subject = def.subject or parent.subject
    for _, name in ipairs(parent.threshold_order) do
      def.thresholds[name] = util.deepcopy(parent.thresholds[name])
      def.thresholds[name].compute = parent.thresholds[name].compute
      def.threshold_order[#def.threshold_order + 1] = name
    end
    for _, name in ipairs(parent.figure_order) do
      def.figures[name] = util.deepcopy(parent.figures[name])
      def.figure_order[#def.figure_order + 1] = name
    end
    for _, c in ipairs(parent.checklist) do def.checklist[#def.checklist + 1] = c end
  end
  for _, name in ipairs(S.threshold_order) do
    if not def.thresholds[name] then def.threshold_order[#def.threshold_order + 1] = name end
    def.thresholds[name] = S.thresholds[name]
  end
  for _, name in ipairs(S.figure_order) do
    if not def.figures[name] then def.figure_order[#def.figure_order + 1] = name end
    def.figures[name] = S.figures[name]
  end
  local seen = {}
  for _, c in ipairs(def.checklist) do seen[c] = true end
  for _, c in ipairs(S.checklist) do
    if not seen[c] then def.checklist[#def.checklist + 1] = c; seen[c] = true end
  end
  local paragraphs = merge_by_id(parent and parent.source_paragraphs or {}, S.paragraphs, S.removed)
  local notes = merge_by_id(parent and parent.source_notes or {}, S.notes, S.removed)
  local assumptions = {}
  do
    local idx = {}
    for _, a in ipairs(parent and parent.assumptions or {}) do
      assumptions[#assumptions + 1] = a
      idx[a.name] = #assumptions
    end
    for _, a in ipairs(S.assumptions) do
      if idx[a.name] then assumptions[idx[a.name]] = a else assumptions[#assumptions + 1] = a end
    end
  end
  def.assumptions = assumptions
  def.precedence = S.precedence or (parent and parent.precedence) or {}
  for id, line in pairs(S.removed) do
    local found = false
    for _, p in ipairs(parent and parent.source_paragraphs or {}) do found = found or p.id == id end
    for _, n in ipairs(parent and parent.source_notes or {}) do found = found or n.id == id end
    for _, c in ipairs(parent and parent.source_licence or {}) do found = found or c.id == id end
    for _, n in ipairs(parent and parent.source_licence_notes or {}) do found = found or n.id == id end
    if not found then fail(S, line, "remove '%s': no inherited paragraph or note has that id", id) end
  end
  -- keep the unexpanded declarations for versions that extend this one
  def.source_paragraphs = paragraphs
  def.source_notes = notes
  local licence = merge_by_id(parent and parent.source_licence or {}, S.licence, S.removed)
  local licence_notes = merge_by_id(parent and parent.source_licence_notes or {}, S.licence_notes, S.removed)
  def.source_licence = licence
  def.source_licence_notes = licence_notes

  if #paragraphs == 0 then fail(S, v.line, "version '%s' has no paragraph { } declarations", v.id) end
  if #paragraphs > M.LIMITS.paragraphs then
    fail(S, paragraphs[M.LIMITS.paragraphs + 1].line, "more than %d paragraphs", M.LIMITS.paragraphs)
  end
  if #notes > M.LIMITS.notes then fail(S, notes[M.LIMITS.notes + 1].line, "more than %d notes", M.LIMITS.notes) end

  local provenance_default = v.provenance or "user"
  local inline_source = function(line) return ("%s, line %d"):format(S.name, line) end

  -- Expand one declared test item into engine tests (ranges become two).
  local function expand(owner, item, out, auto_names)
    if item._kind == "check" then
      if def.checks[item.name] and def.checks[item.name].line ~= item.line then
        fail_at(S, item, "check '%s' is declared twice", item.name)
      end
      def.checks[item.name] = item
      out[#out + 1] = { check = item.name, line = item.line, text = item.text }
      return
    end
    local m = metrics.METRICS[item.metric]
    local parts
    if item._kind == "range" then
      parts = { { op = item.lower.op, ref = item.lower.ref, part = "lo" },
                { op = item.upper.op, ref = item.upper.ref, part = "hi" } }
    else
      parts = { { op = item.op, ref = item.ref } }
    end
    local resolved = {}
    for _, p in ipairs(parts) do
      local t = { metric = item.metric, op = p.op, line = item.line, range = p.part,
                  if_unknown = item.if_unknown, unknown_why = item.unknown_why }
      if m.kind == "flag" then
        t.flag = p.ref and 1 or 0
      elseif type(p.ref) == "string" and m.kind == "date" and is_date(p.ref) then
        local name = owner.id .. "." .. item.metric .. (p.part and ("." .. p.part) or "")
        def.thresholds[name] = { name = name, value = metrics.date_number(p.ref), date = p.ref,
                                 provenance = provenance_default, source = inline_source(item.line),
                                 line = item.line, inline = true, metric = item.metric }
        def.threshold_order[#def.threshold_order + 1] = name
        t.threshold = name
      elseif type(p.ref) == "string" then
        if not def.thresholds[p.ref] then
          local hint = util.did_you_mean(p.ref, def.threshold_order)
          fail_at(S, item, "unknown threshold '%s'%s; declare it with threshold { \"%s\", value, " ..
            "provenance = ..., source = ... } or write the number", p.ref,
            hint and ("; did you mean '" .. hint .. "'?") or "", p.ref)
        end
        t.threshold = p.ref
      else
        local base = owner.id .. "." .. item.metric .. (p.part and ("." .. p.part) or "")
        local name, k = base, 1
        while auto_names[name] or (def.thresholds[name] and not def.thresholds[name].inline) do
          k = k + 1
          name = base .. "#" .. k
        end
        auto_names[name] = true
        def.thresholds[name] = { name = name, value = p.ref, provenance = provenance_default,
                                 source = inline_source(item.line), line = item.line, inline = true,
                                 metric = item.metric }
        local present = false
        for _, n in ipairs(def.threshold_order) do present = present or n == name end
        if not present then def.threshold_order[#def.threshold_order + 1] = name end
        t.threshold = name
      end
      if t.threshold and not def.thresholds[t.threshold].metric then
        def.thresholds[t.threshold].metric = item.metric
      end
      resolved[#resolved + 1] = t
      out[#out + 1] = t
    end
    if item._kind == "range" then
      local lo_vals = static_values(def.thresholds[resolved[1].threshold])
      local hi_vals = static_values(def.thresholds[resolved[2].threshold])
      if lo_vals and hi_vals then
        for _, lo in ipairs(lo_vals) do
          for _, hi in ipairs(hi_vals) do
            if lo > hi then
              fail_at(S, item, "inverted range on %s: lower bound %s (%s) is above upper bound %s (%s); " ..
                "write range(\"%s\", \">=\", low, \"<\", high) with low < high", item.metric, util.num(lo),
                item.lower.op, util.num(hi), item.upper.op, item.metric)
            elseif lo == hi and not (item.lower.op == ">=" and item.upper.op == "<=") then
              fail_at(S, item, "empty range on %s: %s %s and %s %s admit no value; widen it or " ..
                "use test() for a single line", item.metric, item.lower.op, util.num(lo), item.upper.op,
                util.num(hi))
            end
          end
        end
      end
    end
  end

  local function expand_all(owner)
    local out, auto_names = {}, {}
    for _, item in ipairs(owner.tests) do expand(owner, item, out, auto_names) end
    return out
  end

  -- classes (ECCN or label) and ids that notes and precedence may name
  local known = {}
  for _, p in ipairs(paragraphs) do known[p.id] = true; known[p.class] = true end
  local known_list = keys_list(known)

  local function rank_of(p)
    for i, key in ipairs(def.precedence) do
      if key == p.id or key == p.class or key == p.eccn then return i end
    end
    return #def.precedence + 1
  end
  for _, key in ipairs(def.precedence) do
    if not known[key] then
      local hint = util.did_you_mean(key, known_list)
      fail(S, S.precedence_line or v.line, "precedence names '%s', which no paragraph has as id or ECCN%s",
        key, hint and ("; did you mean '" .. hint .. "'?") or "")
    end
  end

  local ordered = {}
  for i, p in ipairs(paragraphs) do ordered[i] = { p = p, rank = rank_of(p), pos = i } end
  table.sort(ordered, function(a, b)
    if a.rank ~= b.rank then return a.rank < b.rank end
    return a.pos < b.pos
  end)

  def.paragraphs = {}
  local n_tests = 0
  for i, o in ipairs(ordered) do
    local p = util.deepcopy(o.p)
    p.tests = expand_all(o.p)
    n_tests = n_tests + #p.tests
    def.paragraphs[i] = p
  end
  def.notes = {}
  for i, n0 in ipairs(notes) do
    local n = util.deepcopy(n0)
    for _, target in ipairs(n.targets) do
      if not known[target] then
        local hint = util.did_you_mean(target, known_list)
        fail_at(S, n, "note '%s' targets '%s', which no paragraph has as id or ECCN%s", n.id, target,
          hint and ("; did you mean '" .. hint .. "'?") or "")
      end
    end
    n.tests = expand_all(n0)
    n_tests = n_tests + #n.tests
    def.notes[i] = n
  end
  if n_tests > M.LIMITS.tests then
    fail(S, v.line, "version '%s' has %d tests; at most %d are supported", v.id, n_tests, M.LIMITS.tests)
  end
  -- licence scope: clauses in rank order (stable), notes whose targets must exist
  local lorder = {}
  for i, c in ipairs(licence) do lorder[i] = { c = c, pos = i } end
  table.sort(lorder, function(a, b)
    if a.c.rank ~= b.c.rank then return a.c.rank < b.c.rank end
    return a.pos < b.pos
  end)
  def.licence = { clauses = {}, notes = {} }
  local lknown = {}
  for i, o in ipairs(lorder) do
    local c = util.deepcopy(o.c)
    c.tests = expand_all(o.c)
    def.licence.clauses[i] = c
    lknown[c.id] = true
    if c.exception then lknown[c.exception] = true end
  end
  for i, n0 in ipairs(licence_notes) do
    local n = util.deepcopy(n0)
    for _, target in ipairs(n.targets) do
      if not lknown[target] then
        local hint = util.did_you_mean(target, keys_list(lknown))
        fail_at(S, n, "licence_note '%s' targets '%s', which no licence clause has as id or exception%s", n.id,
          target, hint and ("; did you mean '" .. hint .. "'?") or "")
      end
    end
    n.tests = expand_all(n0)
    def.licence.notes[i] = n
  end
  if #def.licence.clauses > M.LIMITS.paragraphs then
    fail(S, v.line, "version '%s' has %d licence clauses; at most %d", v.id, #def.licence.clauses, M.LIMITS.paragraphs)
  end
  return def
end

--- Load a rule file's text. opts.name: chunk name for messages; opts.parent:
-- function(id) -> parent definition (for extends); opts.run: the sandbox
-- runner (tpp.rules.sandbox). Returns the definition table.
function M.load(text, opts)
  local sandbox = require "tpp.rules.sandbox"
  local S = new_state(opts.name)
  local env = sandbox.environment(make_api(S))
  local fn, err = sandbox.compile(text, opts.name, env)
  if not fn then error(err, 0) end
  local ok, msg = sandbox.call(fn)
  if not ok then
    msg = tostring(msg)
    if not msg:find(opts.name, 1, true) then msg = opts.name .. ": " .. msg end
    error(msg, 0)
  end
  local parent
  if S.version and S.version.extends then
    if not opts.parent then fail(S, S.version.line, "extends is not available here") end
    local okp, p = pcall(opts.parent, S.version.extends)
    if not okp then
      fail(S, S.version.line, "extends '%s': %s", S.version.extends, tostring(p))
    end
    parent = p
  end
  return finish(S, parent)
end

return M
