--- tpp.ffi_rules: the LuaJIT FFI side of csrc/lua/rule_glue.c (compiled rule
-- programs, batch rule evaluation, random flag columns, SHA-256). Same
-- function names, results and error messages as the C module.
return function(M, C, ffi)
  local NaN = 0 / 0
  local OPS = { [">="] = C.TPP_OP_GE, [">"] = C.TPP_OP_GT, ["<="] = C.TPP_OP_LE,
                ["<"] = C.TPP_OP_LT, ["=="] = C.TPP_OP_EQ }
  local OP_LIST = "'>=', '>', '<=', '<', '=='"
  local UNKNOWN = { undetermined = 0, ["true"] = 1, ["false"] = 2 }
  local UNKNOWN_LIST = "'undetermined', 'true', 'false'"
  local KINDS = { column = 0, sum = 1 }
  local ROLES = { classify = 0, policy = 1 }
  local NOTE_KINDS = { exclude = 0, outcome = 1 }
  local MAX = { inputs = C.TPP_RULE_MAX_INPUTS, tests = C.TPP_RULE_MAX_TESTS,
                clauses = C.TPP_RULE_MAX_CLAUSES, notes = C.TPP_RULE_MAX_NOTES }

  local Program = {}
  Program.__index = Program
  Program.__tostring = function(self)
    local p = self.cdata
    return ("tpp.rule_program (%d tests, %d clauses, %d notes)"):format(p.n_tests, p.n_clauses, p.n_notes)
  end

  local function raise(err)
    local buf = ffi.new("char[384]")
    C.tpp_error_format(err, buf, 384)
    error("tpp: " .. ffi.string(buf), 0)
  end

  local function opt_name(t, key, names, list, def, where, i)
    local v = t[key]
    if v == nil then return def end
    if type(v) == "string" and names[v] ~= nil then return names[v] end
    local shown = (type(v) == "string" or type(v) == "number") and tostring(v) or type(v)
    error(("tpp: rule program: %s[%d].%s: got %s, expected one of %s"):format(where, i, key, shown, list), 0)
  end

  local function need_int(t, key, lo, hi, base, where, i)
    local v = t[key]
    if type(v) ~= "number" then
      error(("tpp: rule program: %s[%d].%s: number expected, got %s"):format(where, i, key,
        type(v)), 0)
    end
    if v ~= math.floor(v) or v < lo or v > hi then
      local shown = v == math.floor(v) and ("%d"):format(v) or ("%f"):format(v)
      error(("tpp: rule program: %s[%d].%s: got %s, expected an integer %d..%d"):format(where, i, key,
        shown, lo, hi), 0)
    end
    return v - base
  end

  local function list(spec, key)
    local l = spec[key]
    if l == nil then return {}, 0 end
    if type(l) ~= "table" then
      error(("tpp: rule program: '%s' must be a list, got %s"):format(key, type(l)), 0)
    end
    if #l > MAX[key] then
      error(("tpp: rule program: %d %s, at most %d are supported"):format(#l, key, MAX[key]), 0)
    end
    return l, #l
  end

  local function check_table(v, what)
    if type(v) ~= "table" then
      error(("bad argument #1 to 'rule_compile' (%s[i] must be tables)"):format(what), 3)
    end
  end

  function M.rule_compile(spec)
    if type(spec) ~= "table" then
      error("bad argument #1 to 'rule_compile' (table expected, got " .. type(spec) .. ")", 2)
    end
    local p = ffi.new("tpp_rule_program")
    C.tpp_rule_init(p)
    p.n_columns = need_int(spec, "columns", 0, C.TPP_RULE_MAX_COLUMNS, 0, "spec", 0)
    if spec.near ~= nil then
      if type(spec.near) ~= "number" then
        error("bad argument #-1 to 'rule_compile' (number expected, got " .. type(spec.near) .. ")", 2)
      end
      p.near = spec.near
    end
    local inputs, n = list(spec, "inputs")
    for i = 1, n do
      local t = inputs[i]
      check_table(t, "inputs")
      local in_ = p.inputs[i - 1]
      in_.kind = opt_name(t, "kind", KINDS, "'column', 'sum'", 0, "inputs", i)
      in_.a = need_int(t, "a", 1, p.n_columns, 1, "inputs", i)
      if in_.kind == C.TPP_RULE_INPUT_SUM then in_.b = need_int(t, "b", 1, p.n_columns, 1, "inputs", i) end
    end
    p.n_inputs = n
    local tests
    tests, n = list(spec, "tests")
    for i = 1, n do
      local t = tests[i]
      check_table(t, "tests")
      local ct = p.tests[i - 1]
      ct.input = need_int(t, "input", 1, p.n_inputs, 1, "tests", i)
      local op = opt_name(t, "op", OPS, OP_LIST, -1, "tests", i)
      if op < 0 then error(("tpp: rule program: tests[%d].op is missing"):format(i), 0) end
      ct.op = op
      local thr = t.threshold
      if thr ~= nil and type(thr) ~= "number" then
        error(("tpp: rule program: tests[i].threshold: number expected, got %s"):format(type(thr)), 0)
      end
      ct.threshold = thr == nil and NaN or thr
      ct.if_unknown = opt_name(t, "if_unknown", UNKNOWN, UNKNOWN_LIST, 0, "tests", i)
      ct.no_near = (t.no_near ~= nil and t.no_near ~= false) and 1 or 0
    end
    p.n_tests = n
    local clauses
    clauses, n = list(spec, "clauses")
    for i = 1, n do
      local t = clauses[i]
      check_table(t, "clauses")
      local c = p.clauses[i - 1]
      c.first_test = need_int(t, "first", 1, C.TPP_RULE_MAX_TESTS + 1, 1, "clauses", i)
      c.n_tests = need_int(t, "n", 0, C.TPP_RULE_MAX_TESTS, 0, "clauses", i)
      c.role = opt_name(t, "role", ROLES, "'classify', 'policy'", 0, "clauses", i)
      c.outcome = need_int(t, "outcome", 0, 127, 0, "clauses", i)
    end
    p.n_clauses = n
    local notes
    notes, n = list(spec, "notes")
    for i = 1, n do
      local t = notes[i]
      check_table(t, "notes")
      local note = p.notes[i - 1]
      note.first_test = need_int(t, "first", 1, C.TPP_RULE_MAX_TESTS + 1, 1, "notes", i)
      note.n_tests = need_int(t, "n", 0, C.TPP_RULE_MAX_TESTS, 0, "notes", i)
      note.kind = opt_name(t, "kind", NOTE_KINDS, "'exclude', 'outcome'", 0, "notes", i)
      if note.kind == C.TPP_NOTE_OUTCOME then note.outcome = need_int(t, "outcome", 0, 127, 0, "notes", i) end
      if type(t.targets) ~= "table" then
        error(("tpp: rule program: notes[%d].targets: list of clause indices expected"):format(i), 0)
      end
      local mask = 0ULL
      for k, c in ipairs(t.targets) do
        if type(c) ~= "number" or c < 1 or c > p.n_clauses or c ~= math.floor(c) then
          error(("tpp: rule program: notes[%d].targets[%d]: clause index 1..%d expected"):format(i, k, p.n_clauses), 0)
        end
        mask = bit.bor(mask, bit.lshift(1ULL, c - 1))
      end
      note.targets = mask
    end
    p.n_notes = n
    local err = ffi.new("tpp_error")
    if C.tpp_rule_check(p, err) ~= C.TPP_OK then raise(err) end
    return setmetatable({ cdata = p }, Program)
  end

  local function check_program(prog, fname)
    if getmetatable(prog) ~= Program then
      error(("bad argument #1 to '%s' (tpp.rule_program expected, got %s)"):format(fname, type(prog)), 3)
    end
    return prog.cdata
  end

  local function num(v)
    if v ~= v then return nil end
    return tonumber(v)
  end

  function M.rule_eval_one(prog, values)
    local p = check_program(prog, "rule_eval_one")
    if type(values) ~= "table" then
      error("bad argument #2 to 'rule_eval_one' (table expected, got " .. type(values) .. ")", 2)
    end
    local cols = ffi.new("double[?]", C.TPP_RULE_MAX_COLUMNS)
    for i = 1, p.n_columns do
      local v = values[i]
      if v == nil then cols[i - 1] = NaN
      elseif type(v) == "number" then cols[i - 1] = v
      else error(("tpp: rule row: values[%d]: number expected, got %s"):format(i, type(v)), 0) end
    end
    local d = ffi.new("tpp_rule_detail")
    local err = ffi.new("tpp_error")
    if C.tpp_rule_eval_one(p, cols, d, err) ~= C.TPP_OK then raise(err) end
    local r = {
      status = d.status, governing_certain = d.governing_certain ~= 0, outcome = d.outcome,
      policy = d.policy >= 0 and d.policy + 1 or d.policy, near = d.near ~= 0,
      inputs = {}, tests = {}, clauses = {}, notes = {},
    }
    if d.governing >= 0 then r.governing = d.governing + 1 end
    for i = 0, p.n_inputs - 1 do r.inputs[i + 1] = num(d.input_value[i]) end
    for i = 0, p.n_tests - 1 do
      r.tests[i + 1] = { state = d.test_state[i], near = d.test_near[i] ~= 0,
                         margin = num(d.test_margin[i]), ratio = num(d.test_ratio[i]) }
    end
    for i = 0, p.n_clauses - 1 do
      r.clauses[i + 1] = { raw = d.clause_raw[i], state = d.clause_state[i],
                           outcome = d.clause_outcome[i], near = d.clause_near[i] ~= 0 }
    end
    for i = 0, p.n_notes - 1 do
      r.notes[i + 1] = { state = d.note_state[i], near = d.note_near[i] ~= 0 }
    end
    return r
  end

  -- int8 result columns in an FFI batch (the same layout tpp.ffi gives its own).
  local Batch = M.Batch
  local function ensure_i8(b, name)
    local c = b._cols[name]
    if c then
      if c.dtype ~= "i8" then
        error(("tpp: batch column '%s' holds double, not int8"):format(name), 0)
      end
      return c
    end
    if #name > 31 then
      error(("tpp: batch column name '%s' is longer than 31 characters"):format(name), 0)
    end
    if #b._order >= 256 then error("tpp: a batch holds at most 256 columns", 0) end
    local ptr
    if b._n > 0 then
      local raw = C.tpp_alloc(b._n)
      if raw == nil then
        error(("tpp: out of memory allocating batch column '%s' (%d rows)"):format(name, b._n), 0)
      end
      ptr = ffi.gc(ffi.cast("int8_t*", raw), C.tpp_free)
      ffi.fill(ptr, b._n, 0xff)
    end
    c = { ptr = ptr, dtype = "i8" }
    b._cols[name] = c
    b._order[#b._order + 1] = name
    return c
  end

  M._ensure_i8 = ensure_i8

  local function check_batch(b, fname, arg)
    if getmetatable(b) ~= Batch then
      error(("bad argument #%d to '%s' (tpp.batch expected, got %s)"):format(arg, fname, type(b)), 3)
    end
    if b._n < 0 then error("tpp: this batch was freed", 3) end
  end

  local OUTPUTS = { "status", "governing", "outcome", "policy", "near" }

  function M.rule_eval(prog, b, names, prefix, clause_names, threads)
    local p = check_program(prog, "rule_eval")
    check_batch(b, "rule_eval", 2)
    if type(names) ~= "table" then
      error("bad argument #3 to 'rule_eval' (table expected, got " .. type(names) .. ")", 2)
    end
    if type(prefix) ~= "string" then
      error("bad argument #4 to 'rule_eval' (string expected, got " .. type(prefix) .. ")", 2)
    end
    if #names ~= p.n_columns then
      error(("tpp: rule_eval: %d column names for a program of %d columns"):format(#names, p.n_columns), 0)
    end
    local cols = ffi.new("const double*[?]", C.TPP_RULE_MAX_COLUMNS)
    for i = 1, p.n_columns do
      local c = type(names[i]) == "string" and b._cols[names[i]] or nil
      if c and c.dtype ~= "f64" then
        error(("tpp: rule_eval: batch column '%s' is not a number column"):format(names[i]), 0)
      end
      cols[i - 1] = c and c.ptr or nil
    end
    local out = ffi.new("tpp_rule_outputs")
    for _, o in ipairs(OUTPUTS) do out[o] = ensure_i8(b, prefix .. o).ptr end
    if type(clause_names) == "table" then
      if #clause_names ~= p.n_clauses then
        error(("tpp: rule_eval: %d clause column names for %d clauses"):format(#clause_names, p.n_clauses), 0)
      end
      for i, name in ipairs(clause_names) do out.clause_state[i - 1] = ensure_i8(b, name).ptr end
    end
    local err = ffi.new("tpp_error")
    if C.tpp_rule_eval_batch(p, cols, b._n, out, threads or 0, err) ~= C.TPP_OK then raise(err) end
  end

  function M.random_flags(b, name, p_true, seed, unknown)
    check_batch(b, "random_flags", 1)
    unknown = unknown or 0
    if type(p_true) ~= "number" or p_true < 0 or p_true > 1 then
      error("bad argument #3 to 'random_flags' (probability 0..1 expected)", 2)
    end
    if unknown < 0 or unknown > 1 then
      error("bad argument #5 to 'random_flags' (fraction 0..1 expected)", 2)
    end
    -- a number column, created the way tpp.ffi's batch creates its own
    b:fill(name, nil)
    local c = b._cols[name]
    if c.dtype ~= "f64" then error(("tpp: batch column '%s' holds int8, not double"):format(name), 0) end
    C.tpp_random_flags(c.ptr, b._n, p_true, unknown, seed)
  end

  function M.sha256(s)
    if type(s) ~= "string" then
      error("bad argument #1 to 'sha256' (string expected, got " .. type(s) .. ")", 2)
    end
    local hex = ffi.new("char[65]")
    C.tpp_sha256_hex(s, #s, hex)
    return ffi.string(hex, 64)
  end
end
