--- tpp.ffi_screen: the LuaJIT FFI binding of the screening batch (csrc/screen.c), the same
-- functions, results and errors as csrc/lua/screen_glue.c: screen_table(spec), screen_eval(table,
-- batch, threads).
return function(M, C, ffi)
  local raise = M._raise
  local Batch = M.Batch

  local Table = {}
  Table.__index = Table
  function Table:__tostring()
    if self.t == nil then return "tpp.screen_table (freed)" end
    return ("tpp.screen_table (%d segments, %d chips, %d destinations)"):format(self.t.n_segments, self.t.n_chips,
      self.t.n_dests)
  end

  local function int_field(spec, key, lo)
    local v = spec[key]
    if type(v) ~= "number" then error(("tpp: screen_table: %s: number expected"):format(key), 0) end
    if v ~= math.floor(v) or v < lo then
      error(("tpp: screen_table: %s: integer >= %d expected, got %g"):format(key, lo, v), 0)
    end
    return v
  end

  local function fill(spec, key, count, ptr)
    local list = spec[key]
    if type(list) ~= "table" then error(("tpp: screen_table: %s: list expected"):format(key), 0) end
    if #list ~= count then
      error(("tpp: screen_table: %s: %d entries, expected %d"):format(key, #list, count), 0)
    end
    for i = 1, count do
      local v = list[i]
      if type(v) ~= "number" then error(("tpp: screen_table: %s[%d]: number expected"):format(key, i), 0) end
      ptr[i - 1] = v
    end
  end

  function M.screen_table(spec)
    if type(spec) ~= "table" then
      error("bad argument #1 to 'screen_table' (table expected, got " .. type(spec) .. ")", 2)
    end
    local nc, nd = int_field(spec, "n_chips", 1), int_field(spec, "n_dests", 1)
    local nh = int_field(spec, "n_hqs", 0)
    local ndc, nhc = int_field(spec, "n_dclasses", 1), int_field(spec, "n_hclasses", 1)
    if type(spec.seg_start) ~= "table" then error("tpp: screen_table: seg_start: list expected", 0) end
    local ns = #spec.seg_start
    local err = ffi.new("tpp_error")
    local t = C.tpp_screen_table_new(ns, nc, nd, nh, ndc, nhc, err)
    if t == nil then raise(err) end
    t = ffi.gc(t, C.tpp_screen_table_free)
    local cells = ns * nc * ndc * nhc
    fill(spec, "seg_start", ns, t.seg_start)
    fill(spec, "dest_class", ns * nd, t.dest_class)
    fill(spec, "hq_class", ns * (nh + 1), t.hq_class)
    fill(spec, "decision", cells, t.decision)
    fill(spec, "review", cells, t.review)
    fill(spec, "regimes", cells, t.regimes)
    if C.tpp_screen_table_check(t, err) ~= C.TPP_OK then raise(err) end
    return setmetatable({ t = t }, Table)
  end

  local function column(b, name, required)
    local c = b._cols[name]
    if not c then
      if required then error(("tpp: screen_eval: the batch has no '%s' column"):format(name), 0) end
      return nil
    end
    if c.dtype ~= "f64" then error(("tpp: screen_eval: batch column '%s' is not a number column"):format(name), 0) end
    return c.ptr
  end

  function M.screen_eval(tbl, b, threads)
    if getmetatable(tbl) ~= Table then
      error("bad argument #1 to 'screen_eval' (tpp.screen_table expected, got " .. type(tbl) .. ")", 2)
    end
    if getmetatable(b) ~= Batch then
      error("bad argument #2 to 'screen_eval' (tpp.batch expected, got " .. type(b) .. ")", 2)
    end
    if tbl.t == nil then error("tpp: screen_eval: the screen table was freed", 0) end
    local chip, dest = column(b, "chip", true), column(b, "dest", true)
    local hq, date = column(b, "hq", false), column(b, "date", true)
    -- outputs created the way tpp.ffi's batch creates its own columns
    b:fill("regimes", nil)
    local decision, review = M._ensure_i8(b, "decision").ptr, M._ensure_i8(b, "review").ptr
    local err = ffi.new("tpp_error")
    if C.tpp_screen_batch(tbl.t, chip, dest, hq, date, b._n, decision, review, b._cols.regimes.ptr, threads or 0,
        err) ~= C.TPP_OK then
      raise(err)
    end
  end
end
