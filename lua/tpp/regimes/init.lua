--- tpp.regimes: dated measures beside the 3A090 rule versions, as data files that
-- read like the regulation: country groups, the part 746 embargoes, an Entity
-- List extract, the 15 CFR 744.23 end-use controls, the foreign-direct-product
-- rules, the BIS GP10 guidance on PRC chips, Validated End Users, the Affiliates
-- rule, and the PRC measures and conflict-of-laws provisions that bear on an
-- AI-chip shipment. Company letters and notices are rule files (lua/tpp/rules/).
--
--   local regimes = require "tpp.regimes"
--   regimes.measure("us-ear-746.7")          --> { id, title, citation, status, dates, ... }
--   regimes.status_at(m, "2025-06-01")       --> "in force"
--   regimes.records("embargo")               --> every embargo { } declaration, in file order
--
-- A file is a list of declarations (measure { }, embargo { }, party { }, ...),
-- each checked against its schema when loaded: an unknown field, a missing one,
-- a bad date or an unknown measure id fails as "file:line: what is wrong".
-- Files run in the rule sandbox (no io, os, require). Not legal advice.
local sandbox = require "tpp.rules.sandbox"
local util = require "tpp.util"

-- LuaJIT: this per-row code exits its traces more than it runs them (closures, varargs);
-- the interpreter is several times faster here, so the JIT stays off for this module.
if rawget(_G, "jit") then jit.off(true, true) end

local M = {}

M.FILES = { "country_groups", "embargoes", "entity_list", "end_uses", "fdp", "guidance", "veu", "affiliates",
  "prc", "conflicts", "tariffs" }

M.STATUSES = {
  ["in force"] = true, superseded = true, ["not enforced"] = true, suspended = true, ["reported-only"] = true,
  proposal = true, guidance = true, statement = true,
}
M.PROVENANCE = { primary = true, secondary = true, reported = true, derived = true, unverified = true }
M.JURISDICTIONS = { US = true, PRC = true }

local DATE_KEYS = { announced = true, published = true, effective = true, suspended = true, resumed = true,
  ended = true, compliance = true, not_enforced = true, reported = true, superseded = true }

-- Field types per declaration; "date" is a YYYY-MM-DD string, "list" a list of strings.
local SCHEMAS = {
  measure = {
    required = { "id", "title", "jurisdiction", "citation", "status", "provenance", "source" },
    fields = { id = "string", title = "string", jurisdiction = "string", instrument = "string",
      citation = "string", status = "string", status_note = "string", dates = "table", provenance = "string",
      source = "string", kind = "string", summary = "string", legal_basis = "string" },
  },
  group = {
    required = { "id", "members", "source", "provenance" },
    fields = { id = "string", members = "list", source = "string", provenance = "string", title = "string" },
  },
  group_change = {
    required = { "id", "group", "change", "date", "source", "provenance" },
    fields = { id = "string", group = "string", change = "string", date = "date", source = "string",
      provenance = "string", modelled = "boolean" },
  },
  region = {
    required = { "id", "name", "country" },
    fields = { id = "string", name = "string", aliases = "list", country = "string", note = "string" },
  },
  embargo = {
    required = { "id", "measure", "outcome", "items", "text", "source", "provenance" },
    fields = { id = "string", measure = "string", from = "date", to = "date", outcome = "string",
      items = "string", ear99 = "string", review = "string", text = "string", source = "string",
      provenance = "string", note = "string" },
  },
  party = {
    required = { "id", "country", "measure", "added", "citation", "licence", "source", "provenance" },
    fields = { id = "string", aliases = "list", keys = "list", country = "string", measure = "string",
      added = "date", citation = "string", footnote = "number", footnote_from = "date", licence = "string",
      review = "string", text = "string", source = "string", provenance = "string", note = "string" },
  },
  end_use = {
    required = { "id", "title", "measure", "items", "scope", "outcome", "text", "source", "provenance" },
    fields = { id = "string", title = "string", measure = "string", items = "list", scope = "table",
      outcome = "string", review = "string", text = "string", source = "string", provenance = "string",
      note = "string", aliases = "list" },
  },
  fdp = {
    required = { "id", "measure", "paragraph", "items", "reach", "text", "source", "provenance" },
    fields = { id = "string", measure = "string", paragraph = "string", items = "list", reach = "table",
      text = "string", source = "string", provenance = "string", from = "date", note = "string" },
  },
  guidance = {
    required = { "id", "measure", "applies", "outcome", "text", "source", "provenance" },
    fields = { id = "string", measure = "string", applies = "table", outcome = "string", text = "string",
      source = "string", provenance = "string", note = "string" },
  },
  tariff_band = {
    required = { "id", "measure", "tpp", "dram_gbs", "source", "provenance" },
    fields = { id = "string", measure = "string", tpp = "table", dram_gbs = "table", source = "string",
      provenance = "string", note = "string" },
  },
  prc_measure = {
    required = { "id", "measure", "applies", "text" },
    fields = { id = "string", measure = "string", applies = "table", text = "string", note = "string" },
  },
  conflict = {
    required = { "id", "measure", "when", "text", "source", "provenance" },
    fields = { id = "string", measure = "string", when = "table", text = "string", source = "string",
      provenance = "string", note = "string" },
  },
}
M.SCHEMAS = SCHEMAS

local loaded -- { measures = { id -> m }, measure_order = {...}, records = { kind -> list } }

local function is_date(s)
  if type(s) ~= "string" then return false end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return false end
  m, d = tonumber(m), tonumber(d)
  local dim = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  return m >= 1 and m <= 12 and d >= 1 and d <= dim[m]
end
M.is_date = is_date

local function read(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local text = f:read("*a")
  f:close()
  return text
end

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

local function fail(chunk, line, fmt, ...)
  error(("%s:%s: %s"):format(chunk, tostring(line or "?"), fmt:format(...)), 0)
end

-- One declaration function per schema: checks the record and appends it.
local function make_api(chunk, state)
  local api = {}
  for kind, schema in pairs(SCHEMAS) do
    api[kind] = function(t)
      local line = debug.getinfo(2, "l").currentline
      if type(t) ~= "table" then fail(chunk, line, "%s expects a table: %s { \"id\", ... }", kind, kind) end
      local rec = { decl = kind, line = line, file = chunk }
      for k, v in pairs(t) do
        if k == 1 then
          rec.id = v
        else
          local want = schema.fields[k]
          if not want then
            local names = util.sorted_keys(schema.fields)
            local hint = type(k) == "string" and util.did_you_mean(k, names) or nil
            fail(chunk, line, "%s: unknown field '%s'%s", kind, tostring(k),
              hint and ("; did you mean '" .. hint .. "'?") or ("; fields: " .. table.concat(names, ", ")))
          end
          if want == "date" then
            if not is_date(v) then fail(chunk, line, "%s: %s = %s; write dates as \"YYYY-MM-DD\"", kind, k, tostring(v)) end
          elseif want == "list" then
            if type(v) ~= "table" then fail(chunk, line, "%s: %s must be a list of strings", kind, k) end
            for i, x in ipairs(v) do
              if type(x) ~= "string" then fail(chunk, line, "%s: %s[%d] must be a string", kind, k, i) end
            end
          elseif type(v) ~= want then
            fail(chunk, line, "%s: field '%s' must be a %s, got %s", kind, k, want, type(v))
          end
          rec[k] = util.deepcopy(v)
        end
      end
      for _, k in ipairs(schema.required) do
        if rec[k] == nil then fail(chunk, line, "%s: '%s' is missing", kind, k) end
      end
      if type(rec.id) ~= "string" or rec.id == "" then fail(chunk, line, "%s: the id comes first", kind) end
      if rec.provenance and not M.PROVENANCE[rec.provenance] then
        fail(chunk, line, "%s '%s': provenance '%s' unknown; use one of %s", kind, rec.id, rec.provenance,
          table.concat(util.sorted_keys(M.PROVENANCE), ", "))
      end
      if kind == "measure" then
        if not M.STATUSES[rec.status] then
          fail(chunk, line, "measure '%s': status '%s' unknown; statuses: %s", rec.id, rec.status,
            table.concat(util.sorted_keys(M.STATUSES), ", "))
        end
        if not M.JURISDICTIONS[rec.jurisdiction] then
          fail(chunk, line, "measure '%s': jurisdiction must be US or PRC", rec.id)
        end
        for k, v in pairs(rec.dates or {}) do
          if not DATE_KEYS[k] then fail(chunk, line, "measure '%s': date '%s' unknown", rec.id, tostring(k)) end
          if not is_date(v) then fail(chunk, line, "measure '%s': dates.%s = %s is not a date", rec.id, k, tostring(v)) end
        end
        rec.dates = rec.dates or {}
      end
      if rec.from and rec.to and rec.to <= rec.from then
        fail(chunk, line, "%s '%s': to (%s) must come after from (%s)", kind, rec.id, rec.to, rec.from)
      end
      state[#state + 1] = rec
    end
  end
  return api
end

local function load_file(name)
  local module = "tpp.regimes." .. name
  local path = search_path(module)
  if not path then error(("tpp.regimes: the data file %s is not on package.path"):format(module), 0) end
  local text = assert(read(path))
  local chunk = "tpp/regimes/" .. name .. ".lua"
  local state = {}
  local fn, err = sandbox.compile(text, chunk, sandbox.environment(make_api(chunk, state)))
  if not fn then error(err, 0) end
  local ok, msg = sandbox.call(fn)
  if not ok then error(tostring(msg), 0) end
  return state
end

local function load()
  if loaded then return loaded end
  local out = { measures = {}, measure_order = {}, records = {} }
  for kind in pairs(SCHEMAS) do out.records[kind] = {} end
  local all = {}
  for _, name in ipairs(M.FILES) do
    for _, rec in ipairs(load_file(name)) do all[#all + 1] = rec end
  end
  for _, rec in ipairs(all) do
    if rec.decl == "measure" then
      if out.measures[rec.id] then fail(rec.file, rec.line, "measure '%s' is declared twice", rec.id) end
      out.measures[rec.id] = rec
      out.measure_order[#out.measure_order + 1] = rec.id
    end
  end
  local ids = {}
  for _, rec in ipairs(all) do
    if rec.decl ~= "measure" then
      if rec.measure and not out.measures[rec.measure] then
        local hint = util.did_you_mean(rec.measure, out.measure_order)
        fail(rec.file, rec.line, "%s '%s': measure '%s' is not declared%s", rec.decl, rec.id, rec.measure,
          hint and ("; did you mean '" .. hint .. "'?") or "")
      end
      local key = rec.decl .. ":" .. rec.id .. ":" .. (rec.from or "") .. ":" .. (rec.group or "")
      if ids[key] then fail(rec.file, rec.line, "%s '%s' is declared twice", rec.decl, rec.id) end
      ids[key] = true
      local list = out.records[rec.decl]
      list[#list + 1] = rec
    end
  end
  loaded = out
  return out
end

--- Every record of a kind ("embargo", "party", ...), in file order. Do not modify them.
function M.records(kind)
  local l = load()
  if not l.records[kind] then
    error(("tpp.regimes: no record kind '%s'; kinds: %s"):format(tostring(kind),
      table.concat(util.sorted_keys(SCHEMAS), ", ")), 2)
  end
  return l.records[kind]
end

--- A measure by id (raises with a suggestion when unknown).
function M.measure(id)
  local l = load()
  local m = l.measures[id]
  if not m then
    local hint = util.did_you_mean(tostring(id), l.measure_order)
    error(("tpp.regimes: no measure '%s'%s"):format(tostring(id), hint and ("; did you mean '" .. hint .. "'?") or ""), 2)
  end
  return m
end

--- Every measure, in file order.
function M.measures()
  local l = load()
  local out = {}
  for i, id in ipairs(l.measure_order) do out[i] = l.measures[id] end
  return out
end

--- The status of a measure on a date: "not yet in force" before its start; "suspended" from
-- `suspended` until the day before `resumed`; "not enforced" from not_enforced; "ended" from
-- ended/superseded; else its status. Every date is the first day of the new status.
function M.status_at(m, date)
  local d = m.dates or {}
  local start = d.effective or d.reported or d.published or d.announced
  if start and date < start then return "not yet in force" end
  if d.superseded and date >= d.superseded then return "superseded" end
  if d.ended and date >= d.ended then return "ended" end
  if d.suspended and date >= d.suspended and (not d.resumed or date < d.resumed) then
    return "suspended"
  end
  if d.not_enforced and date >= d.not_enforced then return "not enforced" end
  return m.status
end

--- True when a dated record (from/to, half-open: from <= date < to) covers the date.
function M.covers(rec, date)
  if rec.from and date < rec.from then return false end
  if rec.to and date >= rec.to then return false end
  return true
end

--- The source of a record or measure as one line: citation, source, provenance tag.
function M.source_line(rec)
  local m = rec.measure and M.measure(rec.measure) or rec
  local parts = {}
  if rec.source then parts[#parts + 1] = rec.source end
  if m ~= rec and m.citation and not (rec.source or ""):find(m.citation, 1, true) then
    parts[#parts + 1] = m.citation
  end
  return table.concat(parts, "; ") .. " [" .. (rec.provenance or m.provenance or "?") .. "]"
end

return M
