--- tpp.ffi: the LuaJIT FFI binding of the tpp C core.
-- It offers exactly the functions of the C module tpp.core (same names, same
-- results, same error messages), calling the same shared object through
-- declarations generated from include/tpp.h (lua/tpp/cdef.lua).
-- Select it with TPP_BINDING=ffi; require "tpp" then uses it.
local ffi = require "ffi"

local M = {}

ffi.cdef(require "tpp.cdef")

-- Load the very .so of the C module so both bindings run the same code.
local function load_core()
  local path = package.searchpath and package.searchpath("tpp.core", package.cpath)
  if not path then
    for template in package.cpath:gmatch("[^;]+") do
      local candidate = template:gsub("%?", "tpp/core")
      local f = io.open(candidate, "rb")
      if f then
        f:close()
        path = candidate
        break
      end
    end
  end
  if not path then
    error("tpp.ffi: the tpp C core (tpp/core.so) is not on package.cpath; build it with 'make'", 3)
  end
  return ffi.load(path)
end

local C = load_core()
local NaN = 0 / 0
local PREC_COUNT = C.TPP_PREC_COUNT

M.binding = "ffi"
M._VERSION = ffi.string(C.tpp_version())

local prec_names = {}
for p = 0, PREC_COUNT - 1 do prec_names[p] = ffi.string(C.tpp_precision_name(p)) end

local function raise(err)
  local buf = ffi.new("char[384]")
  C.tpp_error_format(err, buf, 384)
  error("tpp: " .. ffi.string(buf), 0)
end

local function num_or_nan(v, where, key)
  if v == nil then return NaN end
  if type(v) ~= "number" then
    error(("tpp: %s%s%s: number expected, got %s"):format(where, where ~= "" and "." or "", key, type(v)), 0)
  end
  return v
end

local function tonum(v)
  if v ~= v then return nil end
  return tonumber(v)
end

function M.version() return ffi.string(C.tpp_version()) end
function M.cpu_count() return C.tpp_cpu_count() end
function M.now() return C.tpp_now() end
function M.isatty(fd) return C.tpp_isatty(fd) == 1 end
function M.interrupt_catch(on)
  if C.tpp_interrupt_catch(on and 1 or 0) ~= 0 then return nil, "cannot install the SIGINT handler" end
  return true
end
function M.interrupt_take() return C.tpp_interrupt_take() == 1 end
function M.wait_input(fd, ms) return tonumber(C.tpp_wait_input(fd, ms or -1)) end

function M.threads(n)
  if n ~= nil then
    if type(n) ~= "number" or n ~= math.floor(n) or n < 0 or n > 256 then
      error("bad argument #1 to 'threads' (thread count 0..256 expected (0 = all cores))", 2)
    end
    C.tpp_set_threads(n)
  end
  return C.tpp_get_threads()
end

local die_kinds = { logic = C.TPP_DIE_LOGIC, memory = C.TPP_DIE_MEMORY, hbm = C.TPP_DIE_MEMORY,
                    other = C.TPP_DIE_OTHER, dummy = C.TPP_DIE_OTHER }

function M.chip_metrics(t)
  if type(t) ~= "table" then
    error("bad argument #1 to 'chip_metrics' (table expected, got " .. type(t) .. ")", 2)
  end
  local units = t.units
  if type(units) ~= "table" then
    error("bad argument #1 to 'chip_metrics' (field 'units' (list of tables) expected)", 2)
  end
  local n_units = #units
  if n_units < 1 then
    error("bad argument #1 to 'chip_metrics' ('units' must list at least one processing unit)", 2)
  end
  local cunits = ffi.new("tpp_unit[?]", n_units)
  for i = 1, n_units do
    local u = units[i]
    if type(u) ~= "table" then
      error(("tpp: units[%d]: table expected, got %s"):format(i, type(u)), 0)
    end
    local where = ("units[%d]"):format(i)
    for p = 0, PREC_COUNT - 1 do cunits[i - 1].dense[p] = num_or_nan(u[prec_names[p]], where, prec_names[p]) end
  end
  local dies = type(t.dies) == "table" and t.dies or {}
  local n_dies = #dies
  local cdies = ffi.new("tpp_die[?]", n_dies + 1)
  for i = 1, n_dies do
    local d = dies[i]
    if type(d) ~= "table" then
      error(("tpp: dies[%d]: table expected, got %s"):format(i, type(d)), 0)
    end
    cdies[i - 1].area_mm2 = num_or_nan(d.area_mm2, ("dies[%d]"):format(i), "area_mm2")
    local kind = d.kind
    if kind == nil then
      cdies[i - 1].kind = C.TPP_DIE_LOGIC
    elseif type(kind) ~= "string" then
      error(("tpp: dies[%d].kind: string expected, got %s"):format(i, type(kind)), 0)
    elseif die_kinds[kind] == nil then
      error(("tpp: dies[%d].kind: got '%s', expected 'logic', 'memory' or 'other'"):format(i, kind), 0)
    else
      cdies[i - 1].kind = die_kinds[kind]
    end
    cdies[i - 1].planar = d.planar and 1 or 0
  end
  local chip = ffi.new("tpp_chip")
  chip.units = cunits
  chip.n_units = n_units
  chip.dies = n_dies > 0 and cdies or nil
  chip.n_dies = n_dies
  chip.area_mm2 = num_or_nan(t.area_mm2, "", "area_mm2")
  chip.mem_bw_gbs = num_or_nan(t.mem_bw_gbs, "", "mem_bw_gbs")
  chip.mem_area_mm2 = num_or_nan(t.mem_area_mm2, "", "mem_area_mm2")
  chip.interconnect_gbs = num_or_nan(t.interconnect_gbs, "", "interconnect_gbs")
  local opt = ffi.new("tpp_spec_options")
  C.tpp_spec_options_init(opt)
  local tf = num_or_nan(t.tf32_bits, "", "tf32_bits")
  if tf == tf then
    if tf ~= 0 and tf ~= 19 and tf ~= 32 then
      error(("tpp: tf32_bits: got %f, expected 0 (excluded), 19 or 32"):format(tf), 0)
    end
    opt.tf32_bits = tf
  end
  if t.unit_mode ~= nil then
    if t.unit_mode == "max_of_sums" then
      opt.unit_mode = C.TPP_UNITS_MAX_OF_SUMS
    elseif t.unit_mode == "sum_of_maxes" then
      opt.unit_mode = C.TPP_UNITS_SUM_OF_MAXES
    else
      error(("tpp: unit_mode: got '%s', expected 'max_of_sums' or 'sum_of_maxes'"):format(tostring(t.unit_mode)), 0)
    end
  end
  local m = ffi.new("tpp_metrics")
  local err = ffi.new("tpp_error")
  if C.tpp_chip_metrics(chip, opt, m, err) ~= C.TPP_OK then raise(err) end
  return {
    tpp = tonum(m.tpp),
    tpp_precision = m.tpp_precision >= 0 and prec_names[m.tpp_precision] or nil,
    area_mm2 = tonum(m.area_mm2),
    pd = tonum(m.pd),
    pp = tonum(m.pp),
    mbd = tonum(m.mbd),
    h100e_tpp = tonum(m.h100e[C.TPP_H100E_TPP]),
    h100e_8bit = tonum(m.h100e[C.TPP_H100E_8BIT]),
    h100e_fp16 = tonum(m.h100e[C.TPP_H100E_FP16]),
    missing_die = m.missing_die >= 0 and m.missing_die + 1 or nil,
  }
end

function M.precisions()
  local out = {}
  for p = 0, PREC_COUNT - 1 do
    out[p + 1] = { name = prec_names[p], bits = C.tpp_precision_bits(p, C.TPP_TF32_EXCLUDED) }
  end
  return out
end

function M.h100e_bases()
  local out = {}
  for b = 0, C.TPP_H100E_COUNT - 1 do
    out[b + 1] = { name = ffi.string(C.tpp_h100e_basis_name(b)), reference = C.tpp_h100e_reference(b) }
  end
  return out
end

-- ---- batch: named columns in tpp_alloc'd memory (f64[n], or i8[n] for tpp_precision) ----

local Batch = {}
Batch.__index = Batch
local MAX_COLS, NAME_MAX = 256, 31

local function check_live(self)
  if self._n < 0 then error("tpp: this batch was freed", 3) end
end

local function dtype_for(name) return name == "tpp_precision" and "i8" or "f64" end

local function ensure(self, name, dtype)
  local c = self._cols[name]
  if c then
    if c.dtype ~= dtype then
      error(("tpp: batch column '%s' holds %s, not %s"):format(name,
        c.dtype == "i8" and "int8" or "double", dtype == "i8" and "int8" or "double"), 0)
    end
    return c
  end
  if #name > NAME_MAX then
    error(("tpp: batch column name '%s' is longer than %d characters"):format(name, NAME_MAX), 0)
  end
  if #self._order >= MAX_COLS then error(("tpp: a batch holds at most %d columns"):format(MAX_COLS), 0) end
  local n = self._n
  local ctype = dtype == "i8" and "int8_t*" or "double*"
  local ptr
  if n > 0 then
    local raw = C.tpp_alloc(n * (dtype == "i8" and 1 or 8))
    if raw == nil then
      error(("tpp: out of memory allocating batch column '%s' (%d rows)"):format(name, n), 0)
    end
    ptr = ffi.gc(ffi.cast(ctype, raw), C.tpp_free)
    if dtype == "i8" then ffi.fill(ptr, n, 0xff) else C.tpp_fill_f64(ptr, n, NaN) end
  end
  c = { ptr = ptr, dtype = dtype }
  self._cols[name] = c
  self._order[#self._order + 1] = name
  return c
end

local function check_row(self, i, fname)
  if type(i) ~= "number" or i ~= math.floor(i) then
    error(("bad argument #2 to '%s' (number expected, got %s)"):format(fname, type(i)), 3)
  end
  if i < 1 or i > self._n then
    error(("bad argument #2 to '%s' (row 1..%d expected)"):format(fname, self._n), 3)
  end
  return i - 1
end

function M.batch_new(n)
  if type(n) ~= "number" or n ~= math.floor(n) then
    error("bad argument #1 to 'batch_new' (number expected, got " .. type(n) .. ")", 2)
  end
  if n < 0 or n > 4e9 then error("bad argument #1 to 'batch_new' (row count 0..4e9 expected)", 2) end
  return setmetatable({ _n = n, _cols = {}, _order = {} }, Batch)
end

function Batch:size() check_live(self); return self._n end
Batch.__len = Batch.size

function Batch:set(name, i, v)
  check_live(self)
  local r = check_row(self, i, "set")
  local c = ensure(self, name, dtype_for(name))
  if c.dtype == "i8" then c.ptr[r] = v == nil and -1 or v
  else
    if v ~= nil and type(v) ~= "number" then
      error(("bad argument #3 to 'set' (number expected, got %s)"):format(type(v)), 2)
    end
    c.ptr[r] = v == nil and NaN or v
  end
end

function Batch:get(name, i)
  check_live(self)
  local r = check_row(self, i, "get")
  local c = self._cols[name]
  if not c then return nil end
  local v = c.ptr[r]
  if c.dtype == "i8" then return v >= 0 and tonumber(v) or nil end
  return tonum(v)
end

function Batch:set_column(name, values)
  check_live(self)
  if type(values) ~= "table" then
    error("bad argument #2 to 'set_column' (table expected, got " .. type(values) .. ")", 2)
  end
  local c = ensure(self, name, dtype_for(name))
  local ptr = c.ptr
  for i = 1, self._n do
    local v = values[i]
    if c.dtype == "i8" then ptr[i - 1] = v == nil and -1 or v
    elseif v == nil then ptr[i - 1] = NaN
    elseif type(v) == "number" then ptr[i - 1] = v
    else error(("tpp: %s[%d]: number expected, got %s"):format(name, i, type(v)), 0) end
  end
end

function Batch:column(name)
  check_live(self)
  local c = self._cols[name]
  if not c then return nil end
  local out, ptr = {}, c.ptr
  for i = 0, self._n - 1 do
    local v = ptr[i]
    if c.dtype == "i8" then
      if v >= 0 then out[i + 1] = tonumber(v) end
    elseif v == v then
      out[i + 1] = v
    end
  end
  return out
end

function Batch:has(name) check_live(self); return self._cols[name] ~= nil end

function Batch:names()
  check_live(self)
  local out = {}
  for i, n in ipairs(self._order) do out[i] = n end
  return out
end

function Batch:fill(name, v)
  check_live(self)
  local c = ensure(self, name, dtype_for(name))
  if self._n == 0 then return end
  if c.dtype == "i8" then ffi.fill(c.ptr, self._n, v == nil and 0xff or v)
  else C.tpp_fill_f64(c.ptr, self._n, v == nil and NaN or v) end
end

-- The C core's generator, so a seed gives the same data in both bindings.
function Batch:randomize(name, lo, hi, seed, unknown)
  check_live(self)
  unknown = unknown or 0
  if not (lo > 0 and hi > lo) then error("bad argument #2 to 'randomize' (0 < lo < hi expected)", 2) end
  if unknown < 0 or unknown > 1 then error("bad argument #5 to 'randomize' (fraction 0..1 expected)", 2) end
  local c = ensure(self, name, "f64")
  C.tpp_random_loguniform(c.ptr, self._n, lo, hi, unknown, seed)
end

function Batch:free()
  for _, c in pairs(self._cols) do c.ptr = nil end
  self._cols, self._order, self._n = {}, {}, -1
end

function Batch:__tostring()
  if self._n < 0 then return "tpp.batch (freed)" end
  return ("tpp.batch (%d rows, %d columns)"):format(self._n, #self._order)
end

M.Batch = Batch

local OUTPUTS = { tpp = "f64", tpp_precision = "i8", pd = "f64", pp = "f64", mbd = "f64",
                  h100e_tpp = "f64", h100e_8bit = "f64", h100e_fp16 = "f64" }
local OUTPUT_ORDER = { "tpp", "tpp_precision", "pd", "pp", "mbd", "h100e_tpp", "h100e_8bit", "h100e_fp16" }

function M.spec_eval(b, tf32_bits, threads, outputs)
  if getmetatable(b) ~= Batch then
    error("bad argument #1 to 'spec_eval' (tpp.batch expected, got " .. type(b) .. ")", 2)
  end
  check_live(b)
  local opt = ffi.new("tpp_spec_options")
  C.tpp_spec_options_init(opt)
  opt.tf32_bits = tf32_bits or 0
  local cin = ffi.new("tpp_spec_columns")
  cin.n = b._n
  for p = 0, PREC_COUNT - 1 do
    local c = b._cols[prec_names[p]]
    cin.dense[p] = (c and c.dtype == "f64") and c.ptr or nil
  end
  local function col(name) local c = b._cols[name]; return c and c.ptr or nil end
  cin.area_mm2, cin.mem_bw_gbs, cin.mem_area_mm2 = col("area_mm2"), col("mem_bw_gbs"), col("mem_area_mm2")
  local out = ffi.new("tpp_metric_columns")
  local wanted = outputs
  if wanted == nil then wanted = OUTPUT_ORDER
  elseif type(wanted) ~= "table" then error("bad argument #4 to 'spec_eval' (table expected)", 2) end
  for i, name in ipairs(wanted) do
    if type(name) ~= "string" then error(("tpp: outputs[%d]: string expected"):format(i), 0) end
    if not OUTPUTS[name] then
      error(("tpp: outputs[%d]: '%s' is not an output; expected tpp, tpp_precision, pd, pp, mbd, " ..
        "h100e_tpp, h100e_8bit or h100e_fp16"):format(i, name), 0)
    end
    out[name] = ensure(b, name, OUTPUTS[name]).ptr
  end
  local err = ffi.new("tpp_error")
  if C.tpp_spec_eval_batch(cin, opt, out, threads or 0, err) ~= C.TPP_OK then raise(err) end
end

M.C = C

-- Further areas add their FFI functions to M: require("tpp.ffi_<area>")(M, C, ffi)
M._raise = raise
require("tpp.ffi_serve")(M, C, ffi)
require("tpp.ffi_rules")(M, C, ffi)
require("tpp.ffi_tensor")(M, C, ffi)
require("tpp.ffi_model")(M, C, ffi)
require("tpp.ffi_bench")(M, C, ffi)
require("tpp.ffi_csv")(M, C, ffi)
require("tpp.ffi_out")(M, C, ffi)
require("tpp.ffi_screen")(M, C, ffi)

return M
