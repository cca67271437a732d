--- tpp.io: the one strict reader of tabular input (CSV with a header, JSON,
-- JSON Lines, standard input), for every kind of file tpp reads.
--
--   local reader = require "tpp.io"
--   local t, err = reader.read("ships.csv", { schema = ledger.SCHEMA })
--   if not t then error(err, 0) end            -- err.message, err.exit_code (65 or 66)
--   for i, rec in ipairs(t.records) do print(t.rows[i], t.lines[i], rec.chip, rec.count) end
--
-- source: a path, "-" for standard input, { text = "...", name = "x.csv" }
-- for text in memory, or a Lua list of tables (validated like JSON objects).
-- opts:
--   schema      a tpp.io.schema (required): the known columns, their types and ranges
--   format      "csv" | "json" | "jsonl"; default: the file extension (.csv, .json,
--               .jsonl, .ndjson), else the content (a first line opening '[' is JSON,
--               a complete '{...}' line is JSON Lines, anything else CSV)
--   max_errors  problems reported before giving up (default 20; 1 = the first only)
--   collect     true: bad rows are left out and listed in t.issues (the caller
--               reports them) instead of failing the whole input
--   name        the input's name in messages (default: the path)
--   allow_empty true: no data rows is not an error
--   objects     function(obj, row, line) for JSON objects in a shape the columns do
--               not describe (nested chip tables): return a record to keep the object
--               as it is, false and a message to refuse it, nil to check it against
--               the schema's columns
--
-- Result t: records (tables keyed by the schema's column names, values typed:
-- numbers, booleans, "YYYY-MM-DD" dates, enum values, strings; empty = nil),
-- rows and lines (the data row number and the line of each record), issues
-- (collect mode), rows_total (good and bad rows), columns (the schema columns
-- present, in input order), format, name.
--
-- Failure: nil, err, where err is a tpp.io error object: err.message (names
-- the file, row, line, column, value and what was expected; up to max_errors
-- problems), err.exit_code (66: missing or unreadable; 65: bad data),
-- err.issues (each { row, line, column, value, message }). tostring(err) is
-- the message; error(err, 0) keeps the exit code for the command line.
--
-- Strictness: unknown columns are refused with "did you mean"; a column or key
-- given twice is refused; every value is parsed and range-checked; numbers are
-- plain decimals (no 0x10, inf, nan); an input without data rows is an error
-- (never "use everything"); a UTF-8 byte-order mark is skipped; a directory,
-- a missing or an unreadable file are exit 66.
local json = require "tpp.json"
local util = require "tpp.util"
local schema_mod = require "tpp.io.schema"
local options = require "tpp.io.options"

local M = {}

M.EXIT_DATA = 65      -- bad input data
M.EXIT_NOINPUT = 66   -- input missing or unreadable
M.DEFAULT_MAX_ERRORS = 20
M.CHUNK = 4096        -- rows per CSV chunk when building records

-- ---- errors ----

local Error = {}
Error.__index = Error
Error.__tostring = function(e) return e.message end
M.Error = Error

--- A reader error object: message, exit_code, issues.
function M.error(message, exit_code, issues)
  local code = exit_code or M.EXIT_DATA
  -- exit: the field the command line reads (as { message, exit = 64 } errors do)
  return setmetatable({ message = message, exit_code = code, exit = code, issues = issues or {} }, Error)
end

function M.is_error(x) return getmetatable(x) == Error end

local function where(row, line)
  if row and row > 0 then return line and ("row %d (line %d)"):format(row, line) or ("row %d"):format(row) end
  return line and ("line %d"):format(line) or nil
end
M.where = where

local function issue(row, line, column, value, message)
  local w = where(row, line)
  return { row = row, line = line, column = column, value = value, where = w,
           message = (w and (w .. ": ") or "") .. (column and (column .. ": ") or "") .. message }
end
M.issue = issue

--- The error for a list of issues: "NAME: first" or "NAME: N problems ...".
local function data_error(name, issues, more)
  if #issues == 1 and not more then
    return M.error(("%s: %s"):format(name, issues[1].message), M.EXIT_DATA, issues)
  end
  local lines = { ("%s: %d problem%s%s:"):format(name, #issues, #issues == 1 and "" or "s",
    more and (" (the first " .. #issues .. "; fix them and run again to see more)") or "") }
  for _, i in ipairs(issues) do lines[#lines + 1] = "  " .. i.message end
  return M.error(table.concat(lines, "\n"), M.EXIT_DATA, issues)
end
M.data_error = data_error

-- ---- sources ----

local FORMATS = { csv = true, json = true, jsonl = true }
local EXTENSIONS = { csv = "csv", json = "json", jsonl = "jsonl", ndjson = "jsonl" }

--- A path that can be read: true, or nil and why (missing, directory, permissions).
function M.check_readable(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, (tostring(err):gsub("^" .. path:gsub("%p", "%%%0") .. ": ", "")) end
  local ok, rerr = f:read(0)
  f:close()
  if ok == nil and rerr then return nil, (tostring(rerr):gsub("^" .. path:gsub("%p", "%%%0") .. ": ", "")) end
  return true
end

local function format_of_name(name)
  local ext = name:lower():match("%.([%w]+)$")
  return ext and EXTENSIONS[ext]
end

--- The format of a first line of input (BOM and blank lines skipped).
function M.sniff(first, wrapper)
  first = first:gsub("^\239\187\191", ""):gsub("^%s+", "")
  local c = first:sub(1, 1)
  if c == "[" then return "json" end
  if c == "{" then
    local line = first:match("^[^\n]*")
    local ok, v = pcall(json.decode, line)
    if ok and type(v) == "table" then
      if wrapper and v[wrapper] ~= nil then return "json" end
      return "jsonl"
    end
    return "json"
  end
  return "csv"
end

-- Opened input: { name, format, text (JSON), path or stdin prefix (CSV) }.
local function open_source(source, opts)
  if type(source) == "table" and source.text == nil then
    return { name = opts.name or "rows", format = "records", list = source }
  end
  if type(source) == "table" then
    if type(source.text) ~= "string" then error("tpp.io.read: source.text must be a string", 3) end
    local name = opts.name or source.name or "input"
    local fmt = opts.format or (source.name and format_of_name(source.name)) or
      M.sniff(source.text:match("^%s*[^\n]*") or "", opts.schema.wrapper)
    return { name = name, format = fmt, text = source.text }
  end
  if type(source) ~= "string" then
    error("tpp.io.read: a path, '-', { text = ... } or a list of rows expected, got " .. type(source), 3)
  end
  local name = opts.name or (source == "-" and "standard input" or source)
  if source == "-" then
    -- the first line decides the format; it is handed back to the CSV reader
    local first = io.stdin:read("*l")
    local more = first ~= nil
    first = first and (first .. "\n") or ""
    local fmt = opts.format
    if not fmt then
      local probe = first
      while probe:match("^%s*$") and more do
        local l = io.stdin:read("*l")
        if not l then break end
        first = first .. l .. "\n"
        probe = l
      end
      fmt = M.sniff(probe, opts.schema.wrapper)
    end
    if fmt ~= "csv" then
      local rest = io.stdin:read("*a") or ""
      return { name = name, format = fmt, text = first .. rest }
    end
    return { name = name, format = "csv", stdin_prefix = first }
  end
  local ok, why = M.check_readable(source)
  if not ok then return nil, M.error(("cannot read %s: %s"):format(name, why), M.EXIT_NOINPUT) end
  local fmt = opts.format or format_of_name(source)
  if not fmt then
    local f = io.open(source, "rb")
    local head = f:read(65536) or ""
    f:close()
    fmt = M.sniff(head, opts.schema.wrapper)
  end
  if fmt ~= "csv" then
    local f = io.open(source, "rb")
    local text, rerr = f:read("*a")
    f:close()
    if not text then return nil, M.error(("cannot read %s: %s"):format(name, tostring(rerr)), M.EXIT_NOINPUT) end
    return { name = name, format = fmt, text = text }
  end
  return { name = name, format = "csv", path = source }
end

-- ---- CSV ----

local ISSUE_WORDS = {
  fields = true, quote = true, unclosed = true, too_long = true, utf16 = true, empty = true,
}

-- A C reader issue as a tpp.io issue (names and words from the schema).
local function csv_issue(ci, names, cols, schema)
  local code = ci.code
  local field = ci.field
  local col = field and cols and cols[field]
  local column = col and col.name or (field and names[field]) or (ISSUE_WORDS[code] and "row" or nil)
  local msg
  if code == "fields" then
    local n, want = ci.n_fields, #names
    msg = n > want and ("%d more field(s) than the header has columns (unquoted comma?)"):format(n - want)
      or ("%d field(s) fewer than the header's %d columns"):format(want - n, want)
  elseif code == "quote" then
    column = field and (col and col.name or names[field]) or "row"
    msg = "a quote inside an unquoted field, or text after a closing quote; quote the whole field " ..
      "and double the quotes inside it (\"5\"\" disk\")"
  elseif code == "unclosed" then
    column = nil
    msg = "a quoted field is not closed"
  elseif code == "too_long" then
    msg = "a row longer than 4 MB (a quote left open?)"
  elseif code == "utf16" then
    column = nil
    msg = "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
  elseif code == "empty" then
    column = nil
    msg = ("empty file; expected a header line with the %s columns (%s)"):format(schema.kind,
      table.concat(#schema.required > 0 and schema.required or schema.names, ","))
  elseif code == "io" then
    column = nil
    msg = "the input could not be read"
  elseif col then
    msg = schema_mod.problem(col, code, ci.text, ci.value)
  else
    msg = schema_mod.problem({ type = "string" }, code, ci.text, ci.value)
  end
  local row = ci.row
  if code == "unclosed" or code == "utf16" or code == "empty" then row = nil end
  return issue(row, ci.line, column, ci.text ~= "" and ci.text or nil, msg)
end
M.csv_issue = csv_issue

--- Open a CSV input and resolve its header. Returns { reader, names, cols,
-- header_line } or nil, err. (The classify fast path builds its own plan.)
function M.open_csv(src, schema)
  local core = require "tpp.backend"
  local r, msg
  if src.path then
    r, msg = core.csv_open(src.path)
    if not r then return nil, M.error(("cannot read %s: %s"):format(src.name, msg), M.EXIT_NOINPUT) end
  elseif src.stdin_prefix then
    r = core.csv_open_stdin(src.stdin_prefix)
  else
    r = core.csv_open_string(src.text)
  end
  local names, line, fatal = r:header()
  if not names then
    r:close()
    local is = csv_issue(line, {}, nil, schema)
    return nil, M.error(("%s: %s"):format(src.name, is.message), fatal == "io" and M.EXIT_NOINPUT or M.EXIT_DATA,
      { is })
  end
  local cols, why = schema:resolve(names)
  if not cols then
    r:close()
    local is = issue(nil, line, nil, nil, why)
    return nil, M.error(("%s: %s"):format(src.name, is.message), M.EXIT_DATA, { is })
  end
  return { reader = r, names = names, cols = cols, header_line = line }
end

-- A CSV stream: records chunk by chunk through the C reader.
local function csv_stream(src, opts)
  local h, err = M.open_csv(src, opts.schema)
  if not h then return nil, err end
  local r, names, cols = h.reader, h.names, h.cols
  local core = require "tpp.backend"
  -- numbers, dates and flags go to batch columns f1..fn; text and enums to slots
  local plan, slot_of, batch_cols = {}, {}, {}
  local n_slots, n_batch = 0, 0
  for i, col in ipairs(cols) do
    local e = schema_mod.plan_entry(col)
    if e.kind == "text" or e.kind == "enum" then
      e.slot = n_slots
      slot_of[i] = n_slots
      n_slots = n_slots + 1
    else
      n_batch = n_batch + 1
      e.column = "f" .. i
      batch_cols[i] = e.column
    end
    plan[i] = e
  end
  if n_batch > 200 then
    r:close()
    return nil, M.error(("%s: more than 200 number, date and flag columns"):format(src.name), M.EXIT_DATA)
  end
  local size = opts.chunk or M.CHUNK
  local batch = core.batch_new(size)
  local s = { format = "csv", name = src.name, columns = cols, header_line = h.header_line, reader = r,
              names = names, budget = opts.budget }
  function s.next_chunk()
    if s.done then return nil end
    local n, issues, fatal = r:read(batch, plan, size, math.max(s.budget, 1))
    local chunk = { records = {}, rows = {}, lines = {}, issues = {} }
    for _, ci in ipairs(issues) do
      chunk.issues[#chunk.issues + 1] = csv_issue(ci, names, cols, opts.schema)
    end
    s.budget = s.budget - #issues
    if n > 0 then
      local rows, lines = r:rows(n)
      local values = {}
      for i in ipairs(cols) do
        if slot_of[i] then values[i] = r:texts(slot_of[i], n)
        elseif batch_cols[i] then values[i] = batch:column(batch_cols[i]) end
      end
      for k = 1, n do
        local rec, bad = {}, false
        for i, col in ipairs(cols) do
          local v = values[i][k]
          if v == "" then v = nil end
          if v ~= nil and col.check then
            -- a column with its own check (a partial date, ...): done here, after the C reader
            local ok, expected = col.check(v)
            if not ok and s.budget > 0 then
              chunk.issues[#chunk.issues + 1] = issue(rows[k], lines[k], col.name, v,
                schema_mod.problem(col, "check", v, expected))
              s.budget = s.budget - 1
            end
            bad = bad or not ok
          end
          rec[col.name] = schema_mod.from_column(col, v)
        end
        if not bad then
          local j = #chunk.records + 1
          chunk.records[j], chunk.rows[j], chunk.lines[j] = rec, rows[k], lines[k]
        end
      end
    end
    s.rows_total = r:rows_seen()
    if fatal or s.budget <= 0 or n < size then
      s.done = true
      s.more = s.budget <= 0 and not r:at_end()
      s.fatal = fatal
    end
    return chunk
  end
  function s.close_source()
    r:close()
    batch:free()
  end
  return s
end

--- The rows of a CSV without a schema (a third party's table): a list
-- whose first entry is the header, each a list of strings, and the line each
-- starts on. The same tokenizer and checks as every CSV (quoting, UTF-8, the
-- same number of fields in every row). source: a path, "-", or
-- { text = ..., name = ... }. Returns rows, lines, or nil and an error object.
function M.csv_rows(source)
  local core = require "tpp.backend"
  local r, msg, name
  if type(source) == "table" then
    name = source.name or "input"
    r = core.csv_open_string(source.text)
  elseif source == "-" then
    name = "standard input"
    r = core.csv_open_stdin("")
  else
    name = source
    local ok, why = M.check_readable(source)
    if not ok then return nil, M.error(("cannot read %s: %s"):format(name, why), M.EXIT_NOINPUT) end
    r, msg = core.csv_open(source)
    if not r then return nil, M.error(("cannot read %s: %s"):format(name, msg), M.EXIT_NOINPUT) end
  end
  local header, line, fatal = r:header()
  if not header then
    r:close()
    local is = csv_issue(line, {}, nil, { kind = "table", required = {}, names = {} })
    return nil, M.error(("%s: %s"):format(name, is.message), fatal == "io" and M.EXIT_NOINPUT or M.EXIT_DATA, { is })
  end
  local rows, lines = { header }, { line }
  local plan = {}
  for i = 1, #header do plan[i] = { kind = "text", slot = i - 1 } end
  local batch = core.batch_new(M.CHUNK)
  local problems
  repeat
    local n, issues
    n, issues, fatal = r:read(batch, plan, M.CHUNK, 1)
    if #issues > 0 then
      problems = { csv_issue(issues[1], header, nil, { kind = "table", required = {}, names = header }) }
      break
    end
    if n > 0 then
      local _, starts = r:rows(n)
      local cols = {}
      for i = 1, #header do cols[i] = r:texts(i - 1, n) end
      for k = 1, n do
        local row = {}
        for i = 1, #header do row[i] = cols[i][k] end
        rows[#rows + 1], lines[#lines + 1] = row, starts[k]
      end
    end
  until fatal or n < M.CHUNK
  r:close()
  batch:free()
  if problems then return nil, data_error(name, problems) end
  if fatal == "io" then return nil, M.error(("cannot read %s: a read error"):format(name), M.EXIT_NOINPUT) end
  return rows, lines
end

-- ---- JSON, JSON Lines and Lua tables ----

--- Check one object against the schema: a record, or nil and issues added.
function M.check_object(obj, schema, row, line, issues, budget)
  if type(obj) ~= "table" or getmetatable(obj) == json.array_mt or (obj[1] ~= nil) then
    issues[#issues + 1] = issue(row, line, "row", nil, ("expected an object with the %s fields (%s), got %s"):format(
      schema.kind, table.concat(#schema.required > 0 and schema.required or schema.names, ", "),
      type(obj) == "table" and "a list" or type(obj)))
    return nil
  end
  local rec, bad, seen = {}, false, {}
  local keys = {}
  for k in pairs(obj) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  for _, k in ipairs(keys) do
    if #issues >= budget then return nil end
    local v = obj[k]
    local col, why
    if type(k) == "string" then col, why = schema:lookup(k) else why = "not a field name" end
    if not col then
      local shown = tostring(k)
      issues[#issues + 1] = issue(row, line, #shown > 64 and (shown:sub(1, 64) .. "...") or shown, nil,
        (why:gsub("^unknown column '[^\n]-'", "unknown field")))
      bad = true
    elseif seen[col.name] then
      issues[#issues + 1] = issue(row, line, col.name, nil, ("given twice (as '%s' and '%s'); keep one"):format(
        seen[col.name], k))
      bad = true
    else
      seen[col.name] = k
      if v == json.null then v = nil end
      local val, code, text, num = schema_mod.check_value(col, v)
      if code then
        issues[#issues + 1] = issue(row, line, col.name, text, schema_mod.problem(col, code, text, num))
        bad = true
      else
        rec[col.name] = val
      end
    end
  end
  for _, col in ipairs(schema.columns) do
    if col.required and not seen[col.name] and #issues < budget then
      issues[#issues + 1] = issue(row, line, col.name, nil, schema_mod.problem(col, "required"))
      bad = true
    end
  end
  -- two fields giving the same value (fp8 and dense.fp8 style aliases of different columns)
  local filled = {}
  for _, col in ipairs(schema.columns) do
    if seen[col.name] and not col.fallback then
      for _, f in ipairs(col.fills) do
        if filled[f] and #issues < budget then
          issues[#issues + 1] = issue(row, line, col.name, nil, ("'%s' and '%s' both give %s; keep one"):format(
            seen[filled[f]], seen[col.name], f))
          bad = true
        end
        filled[f] = col.name
      end
    end
  end
  if bad then return nil end
  return rec
end

local function object_chunk(list, schema, lines_of, per_index, hook, s)
  local chunk = { records = {}, rows = {}, lines = {}, issues = {} }
  for i, obj in ipairs(list) do
    if s.budget <= 0 then s.more = true; break end
    local line = lines_of and lines_of[obj] or (per_index and per_index[i]) or nil
    local before = #chunk.issues
    local rec, why
    if hook then rec, why = hook(obj, i, line) end
    if rec == false then
      chunk.issues[#chunk.issues + 1] = issue(i, line, nil, nil, tostring(why))
      rec = nil
    elseif rec == nil then
      rec = M.check_object(obj, schema, i, line, chunk.issues, before + s.budget)
    end
    s.budget = s.budget - (#chunk.issues - before)
    if rec then
      local k = #chunk.records + 1
      chunk.records[k], chunk.rows[k], chunk.lines[k] = rec, i, line
    end
  end
  s.rows_total = #list
  return chunk
end

local function json_list(src, schema)
  local lines = {}
  local ok, data = pcall(json.decode, src.text:gsub("^\239\187\191", ""), src.name, { lines = lines })
  if not ok then
    return nil, M.error(tostring(data):gsub("^tpp%.json: ", ""), M.EXIT_DATA,
      { issue(nil, nil, nil, nil, tostring(data):gsub("^tpp%.json: ", "")) })
  end
  if type(data) == "table" and getmetatable(data) ~= json.array_mt and schema.wrapper and data[schema.wrapper] ~= nil then
    local keys = util.keys(data)
    if #keys > 1 then
      table.sort(keys)
      return nil, M.error(("%s: expected { \"%s\": [...] } alone, got the keys %s"):format(src.name, schema.wrapper,
        table.concat(keys, ", ")), M.EXIT_DATA)
    end
    data = data[schema.wrapper]
  end
  if type(data) ~= "table" or getmetatable(data) ~= json.array_mt then
    return nil, M.error(("%s: expected a JSON list of %s objects%s"):format(src.name, schema.kind,
      schema.wrapper and (" (or { \"" .. schema.wrapper .. "\": [...] })") or ""), M.EXIT_DATA)
  end
  return data, lines
end

local function jsonl_list(src)
  local list, line_of = {}, {}
  local n = 0
  local text = src.text:gsub("^\239\187\191", "")
  for line in (text .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if not line:match("^%s*$") then
      local ok, v = pcall(json.decode, line, ("%s:%d"):format(src.name, n))
      if not ok then
        local msg = tostring(v):gsub("^tpp%.json: ", ""):gsub("^(.-):(%d+):1:(%d+):", "%1:%2:%3:")
        return nil, M.error(msg, M.EXIT_DATA, { issue(#list + 1, n, nil, nil, msg) })
      end
      list[#list + 1] = v
      line_of[#list] = n
    end
  end
  return list, line_of
end

-- ---- the entry points ----

local READ_OPTIONS = { schema = "table", format = "string", max_errors = "positive", collect = "boolean",
                       name = "string", allow_empty = "boolean", objects = "function", chunk = "positive" }

local Stream = {}
Stream.__index = Stream
M.Stream = Stream

--- Open an input as a stream of chunks (CSV: opts.chunk rows at a time,
-- default 4096, memory bounded; JSON and JSON Lines: decoded whole, one
-- chunk). Options as read(). Returns a stream, or nil and an error object.
--   local s = assert(reader.open("big.csv", { schema = S }))
--   while true do
--     local chunk, err = s:next()          -- { records, rows, lines, issues }
--     if err then error(err, 0) end
--     if not chunk then break end
--     ...
--   end
--   s:close()
-- s:next() returns nil at the end, or nil and an error object when the input
-- had problems (strict mode: after collecting up to max_errors of them; an
-- input without data rows is an error too). s.format, s.name, s.columns,
-- s.rows_total (rows seen so far).
function M.open(source, opts)
  opts = options.check("tpp.io.open", opts, READ_OPTIONS)
  if getmetatable(opts.schema) ~= schema_mod.Schema then
    error("tpp.io: opts.schema must be a tpp.io.schema (tpp.io.schema.new{...})", 2)
  end
  if opts.format and not FORMATS[opts.format] then
    error(("tpp.io: format '%s' unknown; expected csv, json or jsonl"):format(opts.format), 2)
  end
  local src, err = open_source(source, opts)
  if not src then return nil, err end
  local max = opts.max_errors or M.DEFAULT_MAX_ERRORS
  local budget = opts.collect and math.max(max, 100000) or max
  local s
  if src.format == "csv" then
    local o = {}
    for k, v in pairs(opts) do o[k] = v end
    o.budget = budget
    s, err = csv_stream(src, o)
    if not s then return nil, err end
  else
    local list, lines, per_row
    if src.format == "records" then
      list = src.list
    elseif src.format == "json" then
      list, lines = json_list(src, opts.schema)
      if not list then return nil, lines end
    else
      list, per_row = jsonl_list(src)
      if not list then return nil, per_row end
    end
    s = { format = src.format, name = src.name, budget = budget }
    function s.next_chunk()
      if s.done then return nil end
      s.done = true
      local chunk = object_chunk(list, opts.schema, lines, per_row, opts.objects, s)
      local present, cols = {}, {}
      for _, rec in ipairs(chunk.records) do for k in pairs(rec) do present[k] = true end end
      for _, col in ipairs(opts.schema.columns) do if present[col.name] then cols[#cols + 1] = col end end
      s.columns = cols
      return chunk
    end
    function s.close_source() end
  end
  s.opts, s.good, s.issues = opts, 0, {}
  return setmetatable(s, Stream)
end

function Stream:next()
  while true do
    local chunk = self.next_chunk()
    if not chunk then
      if self.failed then return nil, self.failed end
      if #self.issues > 0 and not self.opts.collect then
        self.failed = data_error(self.name, self.issues, self.more)
        return nil, self.failed
      end
      if self.fatal then
        self.failed = self.fatal == "io" and
          M.error(("cannot read %s: a read error"):format(self.name), M.EXIT_NOINPUT, self.issues) or
          data_error(self.name, self.issues, false)
        return nil, self.failed
      end
      if self.good == 0 and #self.issues == 0 and not self.opts.allow_empty then
        local what = self.format == "csv" and "has a header but no data rows" or
          (self.format == "jsonl" and "has no JSON lines" or "is an empty list")
        self.failed = M.error(("%s: %s; there is nothing to read (an empty input is never 'everything')"):format(
          self.name, what), M.EXIT_DATA)
        return nil, self.failed
      end
      return nil
    end
    for _, is in ipairs(chunk.issues) do self.issues[#self.issues + 1] = is end
    self.good = self.good + #chunk.records
    if self.fatal and not self.opts.collect then
      -- the rows cannot be split past a fatal fault: nothing more is usable
      self.done = true
    elseif #self.issues == 0 or self.opts.collect then
      if #chunk.records > 0 or #chunk.issues > 0 then return chunk end
    end
    -- strict mode after a problem: keep reading only to collect more problems
  end
end

function Stream:close()
  if self.close_source then self.close_source() end
  self.close_source = nil
end

function M.read(source, opts)
  local s, err = M.open(source, opts)
  if not s then return nil, err end
  local out = { records = {}, rows = {}, lines = {}, issues = {}, format = s.format, name = s.name }
  while true do
    local chunk, cerr = s:next()
    if cerr then
      s:close()
      return nil, cerr
    end
    if not chunk then break end
    for k, rec in ipairs(chunk.records) do
      local i = #out.records + 1
      out.records[i], out.rows[i], out.lines[i] = rec, chunk.rows[k], chunk.lines[k]
    end
  end
  s:close()
  out.issues = s.issues
  out.rows_total = s.rows_total
  out.columns = s.columns
  out.header_line = s.header_line
  if s.fatal then return nil, data_error(s.name, s.issues, false) end
  return out
end

--- Raise a reader error for a command: "PREFIX: message", exit code kept.
function M.raise(err, prefix)
  if not M.is_error(err) then error(err, 0) end
  error(M.error((prefix and (prefix .. ": ") or "") .. err.message, err.exit_code, err.issues), 0)
end

--- read() that raises the error object instead of returning it.
function M.load(source, opts)
  local t, err = M.read(source, opts)
  if not t then error(err, 2) end
  return t
end

M.open_source = open_source

return M
