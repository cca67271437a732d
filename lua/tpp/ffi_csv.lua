--- tpp.ffi_csv: the LuaJIT FFI side of csrc/lua/csv_glue.c (the strict CSV
-- reader of csrc/csv.c). Same function names, results and messages.
return function(M, C, ffi)
  local NaN = 0 / 0
  local KINDS = { skip = C.TPP_CSV_SKIP, number = C.TPP_CSV_NUMBER, flag = C.TPP_CSV_FLAG,
                  date = C.TPP_CSV_DATE, text = C.TPP_CSV_TEXT, enum = C.TPP_CSV_ENUM }
  local ISSUE_NAMES = { [0] = "ok", "number", "range", "integer", "required", "flag", "date", "enum",
                        "fields", "quote", "unclosed", "utf8", "too_long", "utf16", "empty" }
  local Batch = M.Batch

  local Reader = {}
  Reader.__index = Reader
  Reader.__tostring = function() return "tpp.csv" end

  local function wrap(ptr)
    return setmetatable({ ptr = ffi.gc(ptr, C.tpp_csv_close) }, Reader)
  end

  local function check(self, fname)
    if getmetatable(self) ~= Reader then
      error(("bad argument #1 to '%s' (tpp.csv expected, got %s)"):format(fname, type(self)), 3)
    end
    if self.ptr == nil then error("tpp: this CSV reader was closed", 3) end
    return self.ptr
  end

  local function format_error(err)
    local buf = ffi.new("char[384]")
    C.tpp_error_format(err, buf, 384)
    return ffi.string(buf)
  end

  function M.csv_open(path)
    if type(path) ~= "string" then
      error("bad argument #1 to 'csv_open' (string expected, got " .. type(path) .. ")", 2)
    end
    local err = ffi.new("tpp_error")
    local r = C.tpp_csv_open(path, err)
    if r == nil then return nil, format_error(err) end
    return wrap(r)
  end

  function M.csv_open_string(s)
    if type(s) ~= "string" then
      error("bad argument #1 to 'csv_open_string' (string expected, got " .. type(s) .. ")", 2)
    end
    local err = ffi.new("tpp_error")
    local r = C.tpp_csv_open_bytes(s, #s, err)
    if r == nil then M._raise(err) end
    return wrap(r)
  end

  function M.csv_open_stdin(prefix)
    prefix = prefix or ""
    if type(prefix) ~= "string" then
      error("bad argument #1 to 'csv_open_stdin' (string expected, got " .. type(prefix) .. ")", 2)
    end
    local err = ffi.new("tpp_error")
    local r = C.tpp_csv_open_stdin(prefix, #prefix, err)
    if r == nil then M._raise(err) end
    return wrap(r)
  end

  function Reader:close()
    if getmetatable(self) ~= Reader then error("bad argument #1 to 'close' (tpp.csv expected)", 2) end
    if self.ptr ~= nil then
      C.tpp_csv_close(ffi.gc(self.ptr, nil))
      self.ptr = nil
    end
  end
  Reader.__close = Reader.close
  Reader.__gc = nil

  local function issue_table(is)
    local t = { code = ISSUE_NAMES[is.code] or "io", row = tonumber(is.row), line = tonumber(is.line),
                text = ffi.string(is.text) }
    if is.field >= 0 then t.field = is.field + 1 end
    if is.code == C.TPP_CSV_E_FIELDS then t.n_fields = is.n_fields end
    if is.value == is.value then t.value = is.value end
    return t
  end

  local function fatal_name(st)
    if st == C.TPP_E_IO then return "io" end
    if st == C.TPP_E_NOMEM then return "memory" end
    return "format"
  end

  function Reader:header()
    local r = check(self, "header")
    local n = ffi.new("int32_t[1]")
    local issue = ffi.new("tpp_csv_issue")
    local err = ffi.new("tpp_error")
    local st = C.tpp_csv_header(r, n, issue, err)
    if st == C.TPP_E_ARG then M._raise(err) end
    if st ~= C.TPP_OK then return nil, issue_table(issue), fatal_name(st) end
    local names = {}
    for i = 0, n[0] - 1 do names[i + 1] = ffi.string(C.tpp_csv_field_name(r, i)) end
    return names, tonumber(C.tpp_csv_header_line(r))
  end

  local function column_ptr(b, name)
    if not b._cols[name] then b:fill(name, nil) end
    local c = b._cols[name]
    if c.dtype ~= "f64" then error(("tpp: batch column '%s' holds int8, not double"):format(name), 0) end
    return c.ptr
  end

  function Reader:read(b, plan, max_rows, max_issues)
    local r = check(self, "read")
    if getmetatable(b) ~= Batch then
      error("bad argument #2 to 'read' (tpp.batch expected, got " .. type(b) .. ")", 2)
    end
    if b._n < 0 then error("tpp: this batch was freed", 2) end
    if type(plan) ~= "table" then error("bad argument #3 to 'read' (table expected, got " .. type(plan) .. ")", 2) end
    if type(max_rows) ~= "number" or max_rows ~= math.floor(max_rows) then
      error("bad argument #4 to 'read' (number expected, got " .. type(max_rows) .. ")", 2)
    end
    if max_rows < 0 or max_rows > b._n then error("bad argument #4 to 'read' (row count 0..batch size expected)", 2) end
    max_issues = max_issues or 1
    if max_issues < 1 or max_issues > 100000 then
      error("bad argument #5 to 'read' (issue count 1..100000 expected)", 2)
    end
    local nf = 0
    while C.tpp_csv_field_name(r, nf) ~= nil do nf = nf + 1 end
    if nf == 0 then error("tpp: csv read: read the header first", 0) end
    if #plan > nf then error(("tpp: csv plan: %d entries for %d header fields"):format(#plan, nf), 0) end
    local cplan = ffi.new("tpp_csv_column[?]", nf)
    local anchors = {}
    for i = 1, nf do
      local c = cplan[i - 1]
      c.text_slot = -1
      c.min, c.max = NaN, NaN
      local e = plan[i]
      if type(e) == "table" then
        local k = KINDS[e.kind]
        if not k then error(("tpp: csv plan[%d].kind: '%s' unknown"):format(i, tostring(e.kind)), 0) end
        c.kind = k
        c.required = e.required and 1 or 0
        c.integer = e.integer and 1 or 0
        c.thousands = e.thousands and 1 or 0
        c.min_exclusive = e.min_exclusive and 1 or 0
        for _, key in ipairs({ "min", "max" }) do
          local v = e[key]
          if v ~= nil and type(v) ~= "number" then error(("tpp: csv plan: %s: number expected"):format(key), 0) end
          if v ~= nil then c[key] = v end
        end
        if e.choices then anchors[#anchors + 1] = e.choices; c.choices = e.choices end
        if type(e.slot) == "number" then c.text_slot = e.slot end
        if e.column then c.out = column_ptr(b, e.column) end
        if e.column2 then c.out2 = column_ptr(b, e.column2) end
      elseif e ~= nil and e ~= false then
        error(("tpp: csv plan[%d]: table or false expected"):format(i), 0)
      end
    end
    local issues = ffi.new("tpp_csv_issue[?]", max_issues)
    local n_rows = ffi.new("int64_t[1]")
    local n_issues = ffi.new("int32_t[1]")
    local err = ffi.new("tpp_error")
    local st = C.tpp_csv_read(r, cplan, max_rows, n_rows, issues, max_issues, n_issues, err)
    if st == C.TPP_E_ARG then M._raise(err) end
    local list = {}
    for i = 0, n_issues[0] - 1 do list[i + 1] = issue_table(issues[i]) end
    local _ = anchors -- the choices strings stay alive until the call returned
    return tonumber(n_rows[0]), list, st ~= C.TPP_OK and fatal_name(st) or nil
  end

  function Reader:texts(slot, n)
    local r = check(self, "texts")
    local len = ffi.new("size_t[1]")
    local out = {}
    for i = 0, n - 1 do
      local s = C.tpp_csv_text(r, slot, i, len)
      if s == nil then error(("tpp: csv texts: slot %d row %d not read"):format(slot, i + 1), 0) end
      out[i + 1] = ffi.string(s, len[0])
    end
    return out
  end

  function Reader:rows(n)
    local r = check(self, "rows")
    local rows, lines = {}, {}
    for i = 0, n - 1 do
      rows[i + 1] = tonumber(C.tpp_csv_row_number(r, i))
      lines[i + 1] = tonumber(C.tpp_csv_row_line(r, i))
    end
    return rows, lines
  end

  function Reader:at_end() return C.tpp_csv_at_end(check(self, "at_end")) ~= 0 end
  function Reader:rows_seen() return tonumber(C.tpp_csv_rows_seen(check(self, "rows_seen"))) end

  function M.parse_number(s, thousands)
    if type(s) ~= "string" then
      error("bad argument #1 to 'parse_number' (string expected, got " .. type(s) .. ")", 2)
    end
    local v = ffi.new("double[1]")
    local st = C.tpp_parse_number(s, #s, thousands and 1 or 0, v)
    if st == C.TPP_OK then return v[0] end
    return nil, st == C.TPP_E_ARG and "range" or "format"
  end

  M.CsvReader = Reader
end
