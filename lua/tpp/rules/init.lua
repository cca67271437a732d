--- tpp.rules: US export-control rule versions as data, evaluated by the C core.
--
--   local rules = require "tpp.rules"          -- or tpp.rules
--   rules.list()                               -- every built-in version with status and dates
--   local r = rules.classify("H20", { rules = "us-2023-10" })
--   print(r.status, r.eccn, r.explanation)
--   rules.classify("H100", { as_of = "2022-12-01" })   -- the version in force that day
--   rules.whatif("us-2023-10", { ["3A090.a.1.tpp"] = 4000 })
--   rules.diff("us-2022-10", "us-2023-10")     -- chips that flip, and witness chips per region
--   rules.load("./my_rule.lua")                -- a user rule file, sandboxed
--
-- Not legal advice: results are computed from published figures and public
-- rule texts; each result names the rule version, its status and file hash.
local core = require "tpp.backend"
local dsl = require "tpp.rules.dsl"
local version_mod = require "tpp.rules.version"
local util = require "tpp.util"
local options = require "tpp.io.options"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

M.Version = version_mod.Version
M.DISCLAIMER = "Not legal advice: computed from published figures and public rule texts; " ..
  "check the official text and take counsel before relying on a result."

-- Built-in versions in date order: id -> module file under lua/tpp/rules/.
M.BUILTIN = {
  "us-2022-10", "us-2023-10-notice", "us-2023-10", "us-2024-04", "us-2024-12", "us-2025-01-diffusion",
  "us-2025-01-foundry", "us-2025-04-h20", "us-2026-01-h200", "us-2023-11-3a991",
  "us-prop-2025-08-rtt", "us-prop-2025-11-gain", "us-prop-2025-12-overwatch", "us-prop-2026-04-s4456",
}
local BUILTIN_SET = {}
for _, id in ipairs(M.BUILTIN) do BUILTIN_SET[id] = true end

M.DEFAULT_TRACK = "3A090"

local cache, loading = {}, {}

local function search_path(module)
  local name = module:gsub("%.", "/")
  for template in package.path:gmatch("[^;]+") do
    local path = template:gsub("%?", name)
    local f = io.open(path, "rb")
    if f then
      f:close()
      return path
    end
  end
  return nil
end

local function read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  return text
end

local function today() return os.date("!%Y-%m-%d") end

local get

local function build(text, chunkname, file, builtin)
  local hash = core.sha256(text)
  local parent_v
  local def = dsl.load(text, {
    name = chunkname,
    parent = function(id)
      parent_v = get(id)
      return parent_v.def
    end,
  })
  if not builtin then
    if BUILTIN_SET[def.id] then
      error(("%s:%d: id '%s' belongs to a built-in version; choose another id (write extends = \"%s\" " ..
        "to build on it)"):format(chunkname, def.version_line, def.id, def.id), 0)
    end
    def.status = def.status or "user"
    def.track = def.track or "user"
  end
  local hashes = { { id = def.id, file = file, sha256 = hash } }
  if parent_v then
    for _, h in ipairs(parent_v.hashes) do hashes[#hashes + 1] = h end
  end
  return version_mod.new(def, { file = file, hash = hash, hashes = hashes, builtin = builtin })
end

local function load_builtin(id)
  local module = "tpp.rules." .. id:gsub("[%-%.]", "_")
  local path = search_path(module)
  if not path then
    error(("tpp.rules: the file of built-in version '%s' (%s) is not on package.path"):format(id, module), 0)
  end
  local text = assert(read(path))
  local rel = "tpp/rules/" .. id:gsub("[%-%.]", "_") .. ".lua"
  local v = build(text, rel, rel, true)
  if v.id ~= id then
    error(("tpp.rules: %s declares id '%s', expected '%s'"):format(rel, v.id, id), 0)
  end
  return v
end

--- A user rule file (sandboxed). Errors name file:line and what to fix.
function M.load(path)
  if type(path) ~= "string" then error("tpp.rules.load: file path expected, got " .. type(path), 2) end
  local text, err = read(path)
  if not text then error(("tpp.rules.load: cannot read %s: %s"):format(path, tostring(err)), 0) end
  if loading[path] then error(("tpp.rules: %s extends itself (a cycle of extends)"):format(path), 0) end
  loading[path] = true
  local ok, v = pcall(build, text, path, path, false)
  loading[path] = nil
  if not ok then error(v, 0) end
  return v
end

--- A rule version by built-in id, file path (ends in .lua or names a file),
-- or a version object (returned as is).
function get(x)
  if getmetatable(x) == version_mod.Version then return x end
  if type(x) ~= "string" then
    error("tpp.rules: rule version id, file path or version expected, got " .. type(x), 0)
  end
  if cache[x] then return cache[x] end
  if BUILTIN_SET[x] then
    if loading[x] then error(("tpp.rules: version '%s' extends itself (a cycle)"):format(x), 0) end
    loading[x] = true
    local ok, v = pcall(load_builtin, x)
    loading[x] = nil
    if not ok then error(v, 0) end
    cache[x] = v
    return v
  end
  if x:match("%.lua$") or x:find("/", 1, true) then return M.load(x) end
  local hint = util.did_you_mean(x, M.BUILTIN)
  error(("tpp.rules: no rule version '%s'%s; 'tpp rules' lists them"):format(x,
    hint and ("; did you mean '" .. hint .. "'?") or ""), 0)
end
M.get = get

local function record(v)
  return { id = v.id, title = v.title, citation = v.citation, status = v.status, status_note = v.status_note,
           track = v.track, dates = util.deepcopy(v.dates), provenance = v.provenance, file = v.file,
           hash = v.hash, extends = v.extends, jurisdiction = v.jurisdiction, instrument = v.instrument }
end

--- Every built-in version: { id, title, citation, status, track, dates, ... }.
function M.list()
  local out = {}
  for _, id in ipairs(M.BUILTIN) do out[#out + 1] = record(get(id)) end
  return out
end

local function effective_of(v)
  local d = v.dates
  return d.effective or d.informed or d.letter or d.introduced or d.published or "0000-00-00"
end
M.effective_of = effective_of

-- A YYYY-MM-DD calendar date (2024-02-30 is not one).
local function check_date(s, what)
  local ok, msg = util.check_date(s)
  if not ok then error(("tpp.rules: %s: %s"):format(what, msg), 0) end
  return s
end

-- Options of the public functions (checked: a misspelled key is an error).
local BASIS = function(v)
  if v == "enforced" or v == "cfr-text" then return true end
  return nil, "'enforced' or 'cfr-text'"
end
local AT_OPTIONS = { track = "string", basis = BASIS, proposals = "boolean" }
local CLASSIFY_OPTIONS = options.merge(AT_OPTIONS, {
  rules = "string|table", as_of = "date", near = "nonnegative",
})
M.CLASSIFY_OPTIONS = CLASSIFY_OPTIONS

--- The version of a track in effect on as_of (rule time). opts.track
-- (default "3A090"); opts.basis = "enforced" (default: a version BIS said it
-- will not enforce is skipped) or "cfr-text" (the text in the CFR counts).
function M.at(as_of, opts)
  opts = options.check("tpp.rules.at", opts, AT_OPTIONS)
  as_of = check_date(as_of or today(), "as_of")
  local track = opts.track or M.DEFAULT_TRACK
  local basis = opts.basis or "enforced"
  local best, first
  for _, id in ipairs(M.BUILTIN) do
    local v = get(id)
    if v.track == track then
      local st = v:status_at(as_of)
      local ok = st == "in force" or (basis == "cfr-text" and st == "not enforced") or
        (v.status == "reported-only" and st == "reported-only") or (opts.proposals and st == "proposal")
      if ok and (not best or effective_of(v) >= effective_of(best)) then best = v end
      if not first or effective_of(v) < effective_of(first) then first = v end
    end
  end
  if not best then
    if not first then error(("tpp.rules: no rule versions in track '%s'"):format(track), 0) end
    error(("tpp.rules: no %s version was in effect on %s (the first, %s, took effect %s)"):format(track, as_of,
      first.id, effective_of(first)), 0)
  end
  return best
end

local function as_chip(x)
  local tpp = require "tpp"
  return tpp.chip(x)
end

--- Classify one chip (object, database name or chip table).
-- opts: rules (id, path or version; default: the version in effect on as_of),
-- as_of ("YYYY-MM-DD", default today), track, basis, near (default 0.05).
-- A licence decision for a destination is tpp.screen's (tpp.screen { chip = ..., to = ... }).
function M.classify(x, opts)
  if type(opts) == "table" and (opts.dest ~= nil or opts.hq ~= nil) then
    error("tpp.rules.classify: dest/hq: the licence decision for a destination is made by tpp.screen: " ..
      "tpp.screen { chip = ..., to = COUNTRY, hq = COUNTRY, as_of = DATE }", 0)
  end
  opts = options.check("tpp.rules.classify", opts, CLASSIFY_OPTIONS)
  local as_of = check_date(opts.as_of or today(), "as_of")
  local v
  if opts.rules then v = get(opts.rules)
  else v = M.at(as_of, { track = opts.track, basis = opts.basis, proposals = opts.proposals }) end
  local chip = as_chip(x)
  local near = opts.near
  if near ~= nil and (type(near) ~= "number" or near < 0 or near ~= near) then
    error(("tpp.rules: near must be a number >= 0 (a fraction: 0.05 = 5%%), got %s"):format(tostring(near)), 0)
  end
  local r = v:evaluate(chip, { as_of = as_of, near = near })
  r.selected_by = opts.rules and "rules" or "as_of"
  r.disclaimer = M.DISCLAIMER
  -- a bill is not law: its outcome is what it would be if enacted
  if v.status == "proposal" then
    r.enacted = false
    r.status_text = r.status == "not-controlled" and "would not be controlled if enacted" or
      ("would be %s if enacted"):format(r.status)
  else
    r.status_text = r.status
  end
  return r
end

--- Classify many chips; returns a list of results in order.
function M.classify_all(list, opts)
  options.check("tpp.rules.classify_all", opts, CLASSIFY_OPTIONS)
  local out = {}
  for i, x in ipairs(list) do out[i] = M.classify(x, opts) end
  return out
end

--- The plain-language explanation of one chip under a version.
function M.explain(x, opts)
  options.check("tpp.rules.explain", opts, CLASSIFY_OPTIONS)
  return M.classify(x, opts).explanation
end

--- A what-if version: the same rules with thresholds (or figures) set by
-- name. Unknown names raise with a suggestion.
function M.whatif(id, overrides, opts)
  opts = options.check("tpp.rules.whatif", opts, { id = "string" })
  local base = get(id)
  if type(overrides) ~= "table" then error("tpp.rules.whatif: table of name = value expected", 2) end
  local settable = base:settable()
  local known = {}
  for _, n in ipairs(settable) do known[n] = true end
  local clean = {}
  for name, value in pairs(overrides) do
    if not known[name] then
      local hint = type(name) == "string" and util.did_you_mean(name, settable, math.max(3, #name / 3)) or nil
      error(("tpp.rules.whatif: %s has no threshold '%s'%s; thresholds: %s"):format(base.id, tostring(name),
        hint and ("; did you mean '" .. hint .. "'?") or "", table.concat(settable, ", ")), 0)
    end
    if type(value) == "string" and value:match("^%d%d%d%d%-%d%d%-%d%d$") then
      value = require("tpp.rules.metrics").date_number(value)
    end
    if type(value) ~= "number" or value ~= value or value == math.huge or value == -math.huge then
      error(("tpp.rules.whatif: %s = %s: a finite number is expected"):format(name, tostring(value)), 0)
    end
    -- every threshold and figure is a quantity, a count or a date: none is negative
    if value < 0 then
      error(("tpp.rules.whatif: %s = %s: a threshold cannot be negative"):format(name, util.num(value)), 0)
    end
    clean[name] = value
  end
  local v = {}
  for k, val in pairs(base) do v[k] = val end
  setmetatable(v, version_mod.Version)
  v.base = base.id
  v.id = (opts and opts.id) or (base.id .. "+whatif")
  v.status = "what-if"
  v.overrides = {}
  for k, val in pairs(base.overrides) do v.overrides[k] = val end
  v.figures = util.deepcopy(base.figures)
  for k, val in pairs(clean) do
    if base.def.thresholds[k] then v.overrides[k] = val else v.figures[k].value = val; v.figures[k].whatif = true end
  end
  v.thresholds = util.deepcopy(base.thresholds)
  for k, val in pairs(clean) do
    if v.thresholds[k] then v.thresholds[k].value = val; v.thresholds[k].whatif = true end
  end
  local parts = {}
  for _, k in ipairs(util.sorted_keys(v.overrides)) do parts[#parts + 1] = k .. "=" .. util.num(v.overrides[k]) end
  for _, k in ipairs(util.sorted_keys(clean)) do
    if not base.def.thresholds[k] then parts[#parts + 1] = k .. "=" .. util.num(clean[k]) end
  end
  v.hash = core.sha256(base.hash .. "\n" .. table.concat(parts, "\n"))
  v.title = base.title .. " (what-if: " .. table.concat(parts, ", ") .. ")"
  v._programs = {}
  v._resolved = {}
  return v
end

-- ---- batches of chips ----

--- A tpp.batch holding every metric column a rule program reads, for a list
-- of chips (objects, names or tables). The ids are in batch.ids.
function M.batch(list)
  local tpp = require "tpp"
  local metrics = require "tpp.rules.metrics"
  local b = tpp.batch(#list)
  local cols = {}
  for _, m in pairs(metrics.METRICS) do
    if m.column and m.domain ~= "transaction" then cols[m.column] = {} end
  end
  for i, x in ipairs(list) do
    local c = tpp.chip(x)
    b.ids[i] = c.data.id or c.data.name
    local values = metrics.of_chip(c)
    for name in pairs(cols) do cols[name][i] = values[name] end
  end
  for name, values in pairs(cols) do b:set_column(name, values) end
  return b
end

--- Evaluate a version over a batch in the C core. Writes int8 columns
-- <prefix>status (0 not controlled, 1 controlled, 2 undetermined), governing,
-- outcome, policy, near. near is the C core's screening flag (a line within
-- the margin alone decides a paragraph or note); tpp.rules.classify refines it
-- to the lines whose crossing changes the answer (result.near_line). Returns a summary { controlled, not_controlled,
-- undetermined, near, by_governing = { [paragraph] = n } } and the compiled
-- program's outcome list. opts: rules, as_of, near, prefix, threads, clauses
-- (true: one column per paragraph: 1 met, 0 not met, nil unknown).
function M.evaluate_batch(batch, opts)
  opts = options.check("tpp.rules.evaluate_batch", opts, options.merge(AT_OPTIONS, {
    rules = "string|table", as_of = "date", near = "nonnegative", prefix = "string", threads = "integer",
    clauses = "boolean" }))
  local as_of = check_date(opts.as_of or today(), "as_of")
  local v = opts.rules and get(opts.rules) or
    M.at(as_of, { track = opts.track, basis = opts.basis, proposals = opts.proposals })
  local compiled = v:program(as_of, opts.near)
  for _, name in ipairs(compiled.columns) do
    if name:match("^check:") then
      error(("tpp.rules: %s uses a Lua check(); batches run only declarative tests (classify chips " ..
        "one by one instead)"):format(v.id), 0)
    end
  end
  local raw = batch.raw or batch
  local prefix = opts.prefix or "rule_"
  local clause_cols
  if opts.clauses then
    clause_cols = {}
    for i in ipairs(v.def.paragraphs) do clause_cols[i] = prefix .. i end
  end
  core.rule_eval(compiled.prog, raw, compiled.columns, prefix, clause_cols, opts.threads or 0)
  -- a column the batch lacks is unknown for every row: say which
  local absent = {}
  for _, name in ipairs(compiled.columns) do
    if not raw:has(name) then absent[#absent + 1] = name end
  end
  return { version = v.id, as_of = as_of, outcomes = compiled.outcomes, columns = compiled.columns,
           missing_columns = absent,
           paragraphs = (function()
             local ids = {}
             for i, p in ipairs(v.def.paragraphs) do ids[i] = p.id end
             return ids
           end)() }
end

--- Regions where two versions disagree, and chips that flip (tpp.rules.region).
function M.diff(a, b, opts)
  options.check("tpp.rules.diff", opts, { chips = "table", as_of = "date", facts = "table",
                                          max_regions = "positive" })
  return require("tpp.rules.region").diff(get(a), get(b), opts)
end

--- Boxes of a version in a 2-D projection (see Version:boxes).
function M.boxes(id, x, y, facts, opts)
  options.check("tpp.rules.boxes", opts, { as_of = "date" })
  return get(id):boxes(x, y, facts, opts)
end

function M.Version:boxes(x, y, facts, opts)
  return require("tpp.rules.region").boxes(self, x, y, facts, opts)
end

return M
