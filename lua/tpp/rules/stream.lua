--- tpp.rules.stream: classify a chip file of any size, writing one compact
-- record per chip and rule version (JSON Lines or CSV) as it goes.
--
--   local stream = require "tpp.rules.stream"
--   local summary = stream.classify("chips.csv", { output = "out.jsonl", format = "jsonl",
--                                                   rules = { "us-2023-10" }, as_of = "2024-06-01" })
--
-- Three paths give the same records (a spec compares them):
--   csv     a CSV input: the C reader parses rows into a structure-of-arrays
--           batch 65,536 rows at a time, the metric and rule kernels classify the
--           chunk on every core, a C template writes the rows; memory stays
--           bounded whatever the input size.
--   batch   JSON or JSON Lines input: chips are validated one by one (tpp.chip),
--           classified by the same compiled programs over batches.
--   chip    a rule version with a Lua check(): tpp.rules.classify for each
--           chip (slower, complete).
-- The record (sorted keys in JSON):
--   row, chip, rules, as_of, status, eccn, classification, governing, outcome,
--   review_policy, tpp, pd, near (a figure within the near margin of a line
--   that alone decides: the screening flag), missing (what an undetermined
--   answer waits for).
local json = require "tpp.json"
local util = require "tpp.util"
local reader = require "tpp.io"
local schema = require "tpp.io.schema"
local chips_schema = require "tpp.chips.schema"
local options = require "tpp.io.options"
local metrics = require "tpp.rules.metrics"

local M = {}

M.CHUNK = 65536
M.FIELDS = { "row", "chip", "rules", "as_of", "status", "eccn", "classification", "governing", "outcome",
             "review_policy", "tpp", "pd", "near", "missing" }
M.STATUS = { [0] = "not-controlled", "controlled", "undetermined" }

-- ---- records ----

local function null(v) if v == nil then return json.null end return v end

--- The compact record of a classification result (tpp.rules.classify).
function M.compact(r, row)
  local rec = {
    row = row, chip = r.chip, rules = r.rules, as_of = r.as_of, status = r.status,
    eccn = null(r.eccn), classification = null(r.classification), governing = null(r.governing),
    outcome = null(r.outcome), review_policy = null(r.review_policy),
    tpp = null(r.values.tpp), pd = null(r.values.pd), near = r.near_screen and true or false,
    missing = json.array(r.status == "undetermined" and util.deepcopy(r.missing) or {}),
  }
  return rec
end

local function csv_field(v)
  if v == json.null or v == nil then return "" end
  if type(v) == "boolean" then return tostring(v) end
  if type(v) == "number" then return util.num(v) end
  if type(v) == "table" then v = table.concat(v, ";") end
  local s = tostring(v)
  if s:find('[,"\r\n]') or s:sub(1, 1) == " " or s:sub(-1) == " " then
    return '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

function M.csv_header()
  return table.concat(M.FIELDS, ",") .. "\n"
end

--- One output line of a record.
function M.line(rec, format)
  if format == "jsonl" then return json.encode(rec) .. "\n" end
  local parts = {}
  for i, k in ipairs(M.FIELDS) do parts[i] = csv_field(rec[k]) end
  return table.concat(parts, ",") .. "\n"
end

-- ---- what each version needs ----

-- Metric names of a compiled program's inputs, in input order (tests add
-- inputs in order, one per metric; see Version:program).
local function input_metrics(compiled)
  local out, seen = {}, {}
  for _, f in ipairs(compiled.flat) do
    local key = f.test.check and ("check:" .. f.test.check) or f.test.metric
    if not seen[key] then
      seen[key] = true
      out[#out + 1] = key
    end
  end
  return out
end

-- The rule inputs the csv path computes over a chunk, and the batch column
-- each is in (3A991.p's "tops" is spec_eval's pp: the largest dense figure).
local CSV_COLUMNS = {
  tpp = "tpp", pd = "pd", mbd = "mbd", tops = "pp", mem_bw_gbs = "mem_bw_gbs",
  interconnect_gbs = "interconnect_gbs", transistors_b = "transistors_b", datacenter = "datacenter",
  hbm = "hbm", memory_item = "memory_item", first_marketed = "first_marketed",
}

local function prepare(v, as_of, near, k)
  local compiled = v:program(as_of, near)
  local declarative, csv_ok, batch_columns = true, true, {}
  for i, name in ipairs(compiled.columns) do
    if name:match("^check:") then declarative = false end
    -- a column the chunk does not compute (a transaction fact): the csv path cannot run it
    if not CSV_COLUMNS[name] then csv_ok = false end
    batch_columns[i] = CSV_COLUMNS[name] or name
  end
  local def = v.def
  local gov = { [0] = { json.null, json.null, json.null } }
  for c, p in ipairs(def.paragraphs) do gov[c] = { null(p.class), null(p.eccn), null(p.id) } end
  local inputs = input_metrics(compiled)
  local order = {}
  for bit, name in ipairs(inputs) do order[#order + 1] = { bit = bit - 1, name = name } end
  table.sort(order, function(a, b)
    local ra, rb = metrics.RANK[a.name] or 99, metrics.RANK[b.name] or 99
    if ra ~= rb then return ra < rb end
    return a.name < b.name
  end)
  return { version = v, compiled = compiled, declarative = declarative, csv_ok = csv_ok,
           batch_columns = batch_columns, prefix = ("v%d_"):format(k),
           governing = gov, inputs = inputs, order = order, outcomes = compiled.outcomes, def = def }
end

local function outcome_of(p, o)
  if o == -2 then return "undetermined" end
  if o and o >= 0 then return p.outcomes[o + 1] end
  return json.null
end

local function policy_of(p, c)
  if c == -2 then return "undetermined" end
  if c and c >= 0 then return null(p.def.paragraphs[c + 1].outcome) end
  return json.null
end

-- ---- the C template of the csv path ----

local function enc(v) return json.encode(v) end

local function parts_for(p, as_of, format)
  local pre = p.prefix
  local names, order = {}, {}
  for i, o in ipairs(p.order) do
    names[i] = format == "jsonl" and enc(o.name) or o.name
    order[i] = o.bit
  end
  local gov, outc, pol = {}, {}, {}
  for c = 0, #p.def.paragraphs do
    local g = p.governing[c]
    if format == "jsonl" then
      gov[c + 1] = (',"classification":%s,"eccn":%s,"governing":%s'):format(enc(g[1]), enc(g[2]), enc(g[3]))
    else
      gov[c + 1] = ("%s,%s,%s"):format(csv_field(g[2]), csv_field(g[1]), csv_field(g[3]))
    end
  end
  for o = -2, #p.outcomes - 1 do
    local v = outcome_of(p, o)
    outc[o + 3] = format == "jsonl" and enc(v) or csv_field(v)
  end
  for c = -2, #p.def.paragraphs - 1 do
    local v = policy_of(p, c)
    pol[c + 3] = format == "jsonl" and enc(v) or csv_field(v)
  end
  local status = {}
  for s = 0, 2 do status[s + 1] = format == "jsonl" and enc(M.STATUS[s]) or M.STATUS[s] end
  local id = p.version.id
  if format == "jsonl" then
    return {
      { kind = "const", text = '{"as_of":' .. enc(as_of) .. ',"chip":' },
      { kind = "text", slot = 0, quote = "json", prefix = "row" },
      { kind = "select", column = pre .. "governing", offset = 1, choices = gov },
      { kind = "const", text = ',"missing":[' },
      { kind = "mask", column = pre .. "missing", names = names, order = order, sep = "," },
      { kind = "const", text = '],"near":' },
      { kind = "flag", column = pre .. "near", choices = { "false", "true" } },
      { kind = "const", text = ',"outcome":' },
      { kind = "select", column = pre .. "outcome", offset = 2, choices = outc },
      { kind = "const", text = ',"pd":' },
      { kind = "number", column = "pd", null = "null" },
      { kind = "const", text = ',"review_policy":' },
      { kind = "select", column = pre .. "policy", offset = 2, choices = pol },
      { kind = "const", text = ',"row":' },
      { kind = "row" },
      { kind = "const", text = ',"rules":' .. enc(id) .. ',"status":' },
      { kind = "select", column = pre .. "status", offset = 0, choices = status },
      { kind = "const", text = ',"tpp":' },
      { kind = "number", column = "tpp", null = "null" },
      { kind = "const", text = "}\n" },
    }
  end
  return {
    { kind = "row" },
    { kind = "const", text = "," },
    { kind = "text", slot = 0, quote = "csv", prefix = "row" },
    { kind = "const", text = "," .. csv_field(id) .. "," .. csv_field(as_of) .. "," },
    { kind = "select", column = pre .. "status", offset = 0, choices = status },
    { kind = "const", text = "," },
    { kind = "select", column = pre .. "governing", offset = 1, choices = gov },
    { kind = "const", text = "," },
    { kind = "select", column = pre .. "outcome", offset = 2, choices = outc },
    { kind = "const", text = "," },
    { kind = "select", column = pre .. "policy", offset = 2, choices = pol },
    { kind = "const", text = "," },
    { kind = "number", column = "tpp", null = "" },
    { kind = "const", text = "," },
    { kind = "number", column = "pd", null = "" },
    { kind = "const", text = "," },
    { kind = "flag", column = pre .. "near", choices = { "false", "true" } },
    { kind = "const", text = "," },
    { kind = "mask", column = pre .. "missing", names = names, order = order, sep = ";" },
    { kind = "const", text = "\n" },
  }
end

-- CSV columns of the chip schema that the batch needs, and where they go.
local PRECISIONS = require("tpp.spec").PRECISIONS
local TARGET = {
  fp64_vector = "fp64_vector", fp16_bf16 = { "fp16", "bf16" }, fp4_int4 = "int4", die_area_mm2 = "area_mm2",
  mem_bw_gbs = "mem_bw_gbs", mem_area_mm2 = "mem_area_mm2", interconnect_gbs = "interconnect_gbs",
  transistors_b = "transistors_b", datacenter = "datacenter", hbm = "hbm", year = "year",
  first_marketed = "first_marketed",
}
for _, p in ipairs(PRECISIONS) do TARGET[p] = p end
-- text columns the rules read through a derived flag (see tpp.rules.metrics.of_chip)
local MATCH = { mem_type = { column = "hbm_from_type", choices = "hbm" },
                form = { column = "form_memory", choices = "hbm|dram stack|memory stack" } }

local function csv_plan(cols)
  local plan, checked, slot = {}, {}, 1
  for i, col in ipairs(cols) do
    local e = schema.plan_entry(col)
    local t = TARGET[col.name]
    if type(t) == "table" then
      e.column, e.column2 = t[1], t[2]
    elseif t then
      e.column = t
    end
    if MATCH[col.name] then
      e.column, e.choices = MATCH[col.name].column, MATCH[col.name].choices
    end
    if col.name == "id" then
      e.slot = 0
    elseif col.check then
      -- checked in Lua after each chunk (partial dates and the like)
      e.slot = slot
      checked[#checked + 1] = { col = col, slot = slot }
      slot = slot + 1
    end
    plan[i] = e
  end
  return plan, checked
end

-- ---- the paths ----

local function fail_output(out, err)
  if out then out:close() end
  error(err, 0)
end

local function write_or_fail(out, s)
  local ok, err = out:write(s)
  if not ok then fail_output(out, reader.error("tpp: " .. err, reader.EXIT_NOINPUT)) end
end

local function csv_path(src, prepared, as_of, opts, out, summary)
  local core = require "tpp.backend"
  local h, err = reader.open_csv(src, chips_schema.SCHEMA)
  if not h then fail_output(out, err) end
  local r = h.reader
  local plan, checked = csv_plan(h.cols)
  local size = opts.chunk or M.CHUNK
  local batch = core.batch_new(size)
  local parts = {}
  for _, p in ipairs(prepared) do
    for _, part in ipairs(parts_for(p, as_of, opts.format)) do parts[#parts + 1] = part end
  end
  local threads = opts.threads or 0
  -- columns chip_rule_inputs fills in place where the file has none: reset per
  -- chunk, or a value derived for an earlier chunk would stay
  local written, reset = {}, {}
  for _, e in ipairs(plan) do
    if e.column then written[e.column] = true end
    if e.column2 then written[e.column2] = true end
  end
  for _, name in ipairs({ "fp64", "hbm", "first_marketed" }) do
    if not written[name] then reset[#reset + 1] = name end
  end
  local issues, budget = {}, opts.max_errors or reader.DEFAULT_MAX_ERRORS
  local fatal
  local ok, perr = pcall(function()
    repeat
      local n, chunk_issues
      n, chunk_issues, fatal = r:read(batch, plan, size, budget)
      for _, ci in ipairs(chunk_issues) do
        issues[#issues + 1] = reader.csv_issue(ci, h.names, h.cols, chips_schema.SCHEMA)
      end
      budget = budget - #chunk_issues
      if n > 0 and #checked > 0 then
        local rows, lines = r:rows(n)
        for _, c in ipairs(checked) do
          for k, v in ipairs(r:texts(c.slot, n)) do
            if v ~= "" and budget > 0 then
              local ok, expected = c.col.check(v)
              if not ok then
                issues[#issues + 1] = reader.issue(rows[k], lines[k], c.col.name, v,
                  schema.problem(c.col, "check", v, expected))
                budget = budget - 1
              end
            end
          end
        end
      end
      if n > 0 and #issues == 0 then
        for _, name in ipairs(reset) do batch:fill(name, nil) end
        core.chip_rule_inputs(batch)          -- fp64 from fp64_vector before the metrics
        core.spec_eval(batch, 0, threads, { "tpp", "pd", "mbd", "pp" })
        core.chip_rule_inputs(batch)          -- memory_item needs TPP
        for _, p in ipairs(prepared) do
          core.rule_eval(p.compiled.prog, batch, p.batch_columns, p.prefix, nil, threads)
          local c = core.rule_missing(p.compiled.prog, batch, p.batch_columns, p.prefix, n)
          local s = summary.counts[p.version.id]
          for k, v in pairs(c) do s[k] = s[k] + v end
        end
        out:rows(batch, r, n, parts, threads)
        summary.rows = summary.rows + n
      end
    until fatal or budget <= 0 or n < size
  end)
  summary.rows_total = r:rows_seen()
  local more = budget <= 0 and not r:at_end()
  r:close()
  batch:free()
  if not ok then fail_output(out, perr) end
  if fatal == "io" then
    fail_output(out, reader.error(("cannot read %s: a read error"):format(src.name), reader.EXIT_NOINPUT))
  end
  if #issues > 0 then fail_output(out, reader.data_error(src.name, issues, more)) end
end

-- JSON / JSON Lines (or a rule with a Lua check()): chip objects chunk by chunk.
local function chip_chunks(source, opts, fn)
  local s, err = reader.open(source, { schema = chips_schema.SCHEMA, format = opts.input_format,
    max_errors = opts.max_errors, chunk = 4096, objects = chips_schema.object_hook })
  if not s then return nil, err end
  local tpp = require "tpp"
  while true do
    local chunk, cerr = s:next()
    if cerr then
      s:close()
      return nil, cerr
    end
    if not chunk then break end
    local list = {}
    for i, rec in ipairs(chunk.records) do
      local c = rec._chip
      if c and c.id == nil and c.name == nil then
        c = util.deepcopy(c)
        c.id = ("row%d"):format(chunk.rows[i])
      end
      c = c or chips_schema.to_chip(rec, { row = chunk.rows[i], source = s.name })
      local ok, chip = pcall(tpp.chip, c)
      if not ok then
        s:close()
        local is = reader.issue(chunk.rows[i], chunk.lines[i], nil, nil, ("chip %s: %s"):format(
          tostring(c.id or c.name), tostring(chip):gsub("^tpp: ", "")))
        return nil, reader.data_error(s.name, { is })
      end
      list[i] = chip
    end
    fn(list, chunk.rows)
  end
  s:close()
  return true
end

local function batch_path(source, prepared, as_of, opts, out, summary)
  local rules = require "tpp.rules"
  local core = require "tpp.backend"
  local ok, err = chip_chunks(source, opts, function(list, rows)
    local b = rules.batch(list)
    local raw = b.raw
    local tpp_col, pd_col = {}, {}
    local ids = {}
    for i, chip in ipairs(list) do
      local m = chip:metrics()
      tpp_col[i], pd_col[i] = m.tpp, m.pd
      ids[i] = chip.data.id or chip.data.name
    end
    local results = {}
    for k, p in ipairs(prepared) do
      core.rule_eval(p.compiled.prog, raw, p.compiled.columns, p.prefix, nil, opts.threads or 0)
      local c = core.rule_missing(p.compiled.prog, raw, p.compiled.columns, p.prefix, #list)
      local s = summary.counts[p.version.id]
      for key, v in pairs(c) do s[key] = s[key] + v end
      local n = #list
      results[k] = { status = core.batch_i8(raw, p.prefix .. "status", n),
                     governing = core.batch_i8(raw, p.prefix .. "governing", n),
                     outcome = core.batch_i8(raw, p.prefix .. "outcome", n),
                     policy = core.batch_i8(raw, p.prefix .. "policy", n),
                     near = core.batch_i8(raw, p.prefix .. "near", n), missing = raw:column(p.prefix .. "missing") }
    end
    local lines = {}
    for i = 1, #list do
      for k, p in ipairs(prepared) do
        local res = results[k]
        local g = res.governing[i]
        local gv = p.governing[g + 1] or p.governing[0]
        local st = res.status[i]
        local mask = res.missing[i] or 0 -- bits of p.inputs
        local missing = {}
        for _, o in ipairs(p.order) do
          if math.floor(mask / 2 ^ o.bit) % 2 == 1 then missing[#missing + 1] = o.name end
        end
        local rec = {
          row = rows[i], chip = ids[i], rules = p.version.id, as_of = as_of, status = M.STATUS[st],
          classification = gv[1], eccn = gv[2], governing = gv[3],
          outcome = outcome_of(p, res.outcome[i]), review_policy = policy_of(p, res.policy[i]),
          tpp = null(tpp_col[i]), pd = null(pd_col[i]), near = res.near[i] > 0, missing = json.array(missing),
        }
        lines[#lines + 1] = M.line(rec, opts.format)
      end
    end
    write_or_fail(out, table.concat(lines))
    summary.rows = summary.rows + #list
    b:free()
  end)
  if not ok then fail_output(out, err) end
end

local function chip_path(source, versions, as_of, opts, out, summary)
  local rules = require "tpp.rules"
  local ok, err = chip_chunks(source, opts, function(list, rows)
    local lines = {}
    for i, chip in ipairs(list) do
      for _, v in ipairs(versions) do
        local r = rules.classify(chip, { rules = v, as_of = as_of, near = opts.near, basis = opts.basis })
        local s = summary.counts[v.id]
        local key = r.status == "controlled" and "controlled" or
          (r.status == "undetermined" and "undetermined" or "not_controlled")
        s[key] = s[key] + 1
        if r.near_screen then s.near = s.near + 1 end
        lines[#lines + 1] = M.line(M.compact(r, rows[i]), opts.format)
      end
    end
    write_or_fail(out, table.concat(lines))
    summary.rows = summary.rows + #list
  end)
  if not ok then fail_output(out, err) end
end

local CLASSIFY_OPTIONS = {
  output = "string", format = "string", rules = "table", as_of = "date", near = "nonnegative",
  basis = "string", threads = "integer", chunk = "positive",
  input_format = "string", max_errors = "positive", path = "string",
}

--- Classify every chip of a file; returns a summary { rows, path, format,
-- output, bytes, versions, as_of, counts = { [version] = { controlled,
-- not_controlled, undetermined, near } } }. Raises a tpp.io error object on
-- bad input (exit 65) or an unreadable file (66); the output is then not
-- created (a file) or ends early (standard output).
-- opts: output (path, "-" = standard output, default "-"), format ("jsonl"
-- or "csv"), rules (list of ids, files or versions; default: the version in
-- force on as_of), as_of, near (fraction), basis, threads, chunk,
-- input_format, max_errors, path ("csv", "batch", "chip": force a path).
function M.classify(source, opts)
  opts = options.check("tpp.rules.stream.classify", opts, CLASSIFY_OPTIONS)
  local rules = require "tpp.rules"
  local fmt = opts.format or "jsonl"
  if fmt ~= "jsonl" and fmt ~= "csv" then
    error(("tpp.rules.stream.classify: format '%s'; expected jsonl or csv"):format(fmt), 2)
  end
  local o = {}
  for k, v in pairs(opts) do o[k] = v end
  o.format = fmt
  local as_of = opts.as_of or util.today()
  local versions = {}
  if opts.rules then
    for i, x in ipairs(opts.rules) do versions[i] = rules.get(x) end
  else
    versions[1] = rules.at(as_of, { basis = opts.basis })
  end
  local prepared, declarative, csv_ok = {}, true, true
  for k, v in ipairs(versions) do
    prepared[k] = prepare(v, as_of, opts.near, k)
    declarative = declarative and prepared[k].declarative
    csv_ok = csv_ok and prepared[k].csv_ok
  end
  local src, serr = reader.open_source(source, { schema = chips_schema.SCHEMA, format = opts.input_format })
  if not src then error(serr, 0) end
  local path = opts.path
  if not path then
    if not declarative then path = "chip"
    elseif src.format == "csv" and csv_ok then path = "csv"
    else path = "batch" end
  end
  if path == "csv" and src.format ~= "csv" then error("tpp.rules.stream.classify: path 'csv' needs a CSV input", 2) end
  if path == "csv" and not declarative then
    error("tpp.rules.stream.classify: a rule version with a Lua check() needs path 'chip'", 2)
  end
  if path == "csv" and not csv_ok then
    error("tpp.rules.stream.classify: a rule version reads inputs the csv path does not compute; use path " ..
      "'batch'", 2)
  end
  local out, oerr, why = require("tpp.backend").writer_open(opts.output or "-", type(source) == "string" and
    source ~= "-" and source or nil)
  if not out then
    error(reader.error(oerr, why == "input" and 64 or reader.EXIT_NOINPUT), 0)
  end
  local summary = { rows = 0, path = path, format = fmt, output = opts.output or "-", as_of = as_of,
                    versions = {}, counts = {} }
  for _, v in ipairs(versions) do
    summary.versions[#summary.versions + 1] = v.id
    summary.counts[v.id] = { controlled = 0, not_controlled = 0, undetermined = 0, near = 0 }
  end
  if fmt == "csv" then write_or_fail(out, M.csv_header()) end
  if path == "csv" then
    csv_path(src, prepared, as_of, o, out, summary)
  else
    -- the source was opened to choose the path; the chip reader opens it again
    -- (standard input: from the text already taken)
    local again = src.text and { text = src.text, name = src.name } or
      (src.stdin_prefix and { text = src.stdin_prefix .. (io.stdin:read("*a") or ""), name = src.name }) or
      source
    if path == "batch" then batch_path(again, prepared, as_of, o, out, summary)
    else chip_path(again, versions, as_of, o, out, summary) end
  end
  if summary.rows == 0 then
    fail_output(out, reader.error(("%s: no chips to classify"):format(src.name), reader.EXIT_DATA))
  end
  summary.bytes = out:bytes()
  local ok, cerr = out:commit()
  if not ok then fail_output(out, reader.error("tpp: " .. cerr, reader.EXIT_NOINPUT)) end
  out:close()
  return summary
end

return M
