--- tpp.ffi_out: the LuaJIT FFI side of csrc/lua/out_glue.c (derived rule
-- inputs, missing inputs of undetermined rows, output files and row
-- templates). Same function names, results and messages.
return function(M, C, ffi)
  local Batch = M.Batch

  local function check_batch(b, fname, arg)
    if getmetatable(b) ~= Batch then
      error(("bad argument #%d to '%s' (tpp.batch expected, got %s)"):format(arg, fname, type(b)), 3)
    end
    if b._n < 0 then error("tpp: this batch was freed", 3) end
  end

  local function f64(b, name)
    local c = b._cols[name]
    return (c and c.dtype == "f64") and c.ptr or nil
  end

  local function ensure_f64(b, name)
    if not b._cols[name] then b:fill(name, nil) end
    return b._cols[name].ptr
  end

  function M.chip_rule_inputs(b)
    check_batch(b, "chip_rule_inputs", 1)
    local c = ffi.new("tpp_chip_rule_columns")
    c.n = b._n
    c.fp64_vector = f64(b, "fp64_vector")
    if c.fp64_vector ~= nil then c.fp64 = ensure_f64(b, "fp64") end
    c.hbm_from_type = f64(b, "hbm_from_type")
    if c.hbm_from_type ~= nil then c.hbm = ensure_f64(b, "hbm") end
    c.form_memory = f64(b, "form_memory")
    c.tpp = f64(b, "tpp")
    c.memory_item = ensure_f64(b, "memory_item")
    c.year = f64(b, "year")
    if c.year ~= nil then c.first_marketed = ensure_f64(b, "first_marketed") end
    local err = ffi.new("tpp_error")
    if C.tpp_chip_rule_inputs(c, err) ~= C.TPP_OK then M._raise(err) end
  end

  function M.rule_missing(prog, b, names, prefix, n)
    if type(prog) ~= "table" or not prog.cdata then
      error("bad argument #1 to 'rule_missing' (tpp.rule_program expected, got " .. type(prog) .. ")", 2)
    end
    check_batch(b, "rule_missing", 2)
    if type(names) ~= "table" then error("bad argument #3 to 'rule_missing' (table expected)", 2) end
    if type(prefix) ~= "string" then error("bad argument #4 to 'rule_missing' (string expected)", 2) end
    n = n or b._n
    if n < 0 or n > b._n then error("bad argument #5 to 'rule_missing' (row count 0..batch size expected)", 2) end
    local p = prog.cdata
    if #names ~= p.n_columns then
      error(("tpp: rule_missing: %d column names for a program of %d columns"):format(#names, p.n_columns), 0)
    end
    local cols = ffi.new("const double*[?]", C.TPP_RULE_MAX_COLUMNS)
    for i = 1, p.n_columns do cols[i - 1] = type(names[i]) == "string" and f64(b, names[i]) or nil end
    local st, nr = b._cols[prefix .. "status"], b._cols[prefix .. "near"]
    if not st or st.dtype ~= "i8" then
      error(("tpp: rule_missing: no column '%sstatus' (run rule_eval first)"):format(prefix), 0)
    end
    local counts = ffi.new("int64_t[4]")
    local err = ffi.new("tpp_error")
    local masks = ensure_f64(b, prefix .. "missing")
    if C.tpp_rule_missing(p, cols, n, st.ptr, (nr and nr.dtype == "i8") and nr.ptr or nil, masks, counts,
        err) ~= C.TPP_OK then
      M._raise(err)
    end
    return { not_controlled = tonumber(counts[0]), controlled = tonumber(counts[1]),
             undetermined = tonumber(counts[2]), near = tonumber(counts[3]) }
  end

  local Writer = {}
  Writer.__index = Writer
  Writer.__tostring = function() return "tpp.writer" end

  local function format_error(err)
    local buf = ffi.new("char[384]")
    C.tpp_error_format(err, buf, 384)
    return ffi.string(buf)
  end

  function M.writer_open(path, avoid)
    if type(path) ~= "string" then
      error("bad argument #1 to 'writer_open' (string expected, got " .. type(path) .. ")", 2)
    end
    local err = ffi.new("tpp_error")
    local o = C.tpp_writer_open(path, avoid, err)
    if o == nil then return nil, format_error(err), err.code == C.TPP_E_ARG and "input" or "io" end
    return setmetatable({ ptr = ffi.gc(o, C.tpp_writer_close) }, Writer)
  end

  local function live(self)
    if getmetatable(self) ~= Writer then error("bad argument #1 (tpp.writer expected)", 3) end
    if self.ptr == nil then error("tpp: this output was closed", 3) end
    return self.ptr
  end

  function Writer:write(s)
    local o = live(self)
    if type(s) ~= "string" then error("bad argument #2 to 'write' (string expected, got " .. type(s) .. ")", 2) end
    local err = ffi.new("tpp_error")
    if C.tpp_writer_write(o, s, #s, err) ~= C.TPP_OK then return nil, format_error(err) end
    return true
  end

  function Writer:commit()
    local o = live(self)
    local err = ffi.new("tpp_error")
    if C.tpp_writer_commit(o, err) ~= C.TPP_OK then return nil, format_error(err) end
    return true
  end

  function Writer:close()
    if getmetatable(self) ~= Writer then error("bad argument #1 to 'close' (tpp.writer expected)", 2) end
    if self.ptr ~= nil then
      C.tpp_writer_close(ffi.gc(self.ptr, nil))
      self.ptr = nil
    end
  end
  Writer.__close = Writer.close

  function Writer:bytes() return tonumber(C.tpp_writer_bytes(live(self))) end

  local KINDS = { const = C.TPP_PART_CONST, select = C.TPP_PART_SELECT, number = C.TPP_PART_NUMBER,
                  text = C.TPP_PART_TEXT, row = C.TPP_PART_ROW, mask = C.TPP_PART_MASK, flag = C.TPP_PART_FLAG }
  local QUOTES = { json = C.TPP_QUOTE_JSON, csv = C.TPP_QUOTE_CSV, none = C.TPP_QUOTE_NONE }

  function Writer:rows(b, reader, n, parts, threads)
    local o = live(self)
    check_batch(b, "rows", 2)
    local rptr = nil
    if reader ~= nil then
      if getmetatable(reader) ~= M.CsvReader then error("bad argument #3 to 'rows' (tpp.csv expected)", 2) end
      rptr = reader.ptr
    end
    if type(n) ~= "number" or n < 0 or n > b._n or n ~= math.floor(n) then
      error("bad argument #4 to 'rows' (row count 0..batch size expected)", 2)
    end
    if type(parts) ~= "table" then error("bad argument #5 to 'rows' (table expected)", 2) end
    local np = #parts
    local cparts = ffi.new("tpp_out_part[?]", math.max(np, 1))
    local anchors = {}
    local function strings(list)
      local arr = ffi.new("const char*[?]", #list + 1)
      for j, s in ipairs(list) do
        if type(s) ~= "string" then error(("tpp: out parts: string expected, got %s"):format(type(s)), 0) end
        arr[j - 1] = s
      end
      anchors[#anchors + 1] = arr
      anchors[#anchors + 1] = list
      return arr, #list
    end
    for i, e in ipairs(parts) do
      if type(e) ~= "table" then error(("tpp: out parts[%d]: table expected"):format(i), 0) end
      local p = cparts[i - 1]
      local k = KINDS[e.kind]
      if not k then error(("tpp: out parts[%d].kind: '%s' unknown"):format(i, tostring(e.kind)), 0) end
      p.kind = k
      local text = e.text or (k == C.TPP_PART_MASK and e.sep or e.prefix)
      if text then anchors[#anchors + 1] = text; p.text = text end
      if e.null then anchors[#anchors + 1] = e.null; p.null_text = e.null end
      p.offset = e.offset or 0
      p.slot = e.slot or 0
      p.quote = QUOTES[e.quote or "none"] or C.TPP_QUOTE_NONE
      if e.column then
        local c = b._cols[e.column]
        if not c then error(("tpp: out parts[%d]: the batch has no column '%s'"):format(i, e.column), 0) end
        if c.dtype == "i8" then p.i8 = c.ptr else p.f64 = c.ptr end
      end
      local list = k == C.TPP_PART_MASK and e.names or e.choices
      if type(list) == "table" then p.choices, p.n_choices = strings(list) end
      if k == C.TPP_PART_MASK then
        local order = e.order or {}
        if #order ~= p.n_choices then error(("tpp: out parts[%d]: order needs one bit per name"):format(i), 0) end
        local arr = ffi.new("int32_t[?]", #order + 1)
        for j, bit in ipairs(order) do arr[j - 1] = bit end
        anchors[#anchors + 1] = arr
        p.order = arr
      end
    end
    local err = ffi.new("tpp_error")
    local st = C.tpp_writer_rows(o, cparts, np, rptr, n, threads or 0, err)
    local _ = anchors -- alive until the call returned
    if st ~= C.TPP_OK then M._raise(err) end
  end

  function M.batch_i8(b, name, n)
    check_batch(b, "batch_i8", 1)
    if type(n) ~= "number" or n < 0 or n > b._n then
      error("bad argument #3 to 'batch_i8' (row count 0..batch size expected)", 2)
    end
    local c = b._cols[name]
    if not c or c.dtype ~= "i8" then error(("tpp: batch_i8: no int8 column '%s'"):format(tostring(name)), 0) end
    local out = {}
    for i = 0, n - 1 do out[i + 1] = c.ptr[i] end
    return out
  end

  function M.temp_dir(prefix)
    if type(prefix) ~= "string" then error("bad argument #1 to 'temp_dir' (string expected)", 2) end
    local buf = ffi.new("char[4096]")
    local err = ffi.new("tpp_error")
    if C.tpp_temp_dir(prefix, buf, 4096, err) ~= C.TPP_OK then return nil, format_error(err) end
    return ffi.string(buf)
  end

  function M.children_peak_kb() return tonumber(C.tpp_children_peak_kb()) end

  function M.format_double(v)
    if type(v) ~= "number" then error("bad argument #1 to 'format_double' (number expected)", 2) end
    local buf = ffi.new("char[40]")
    local len = C.tpp_format_double(v, buf)
    return ffi.string(buf, len)
  end
end
