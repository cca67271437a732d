--- tpp.tensor: tensors outside the Lua heap, shared with the C kernels.
--
--   local tensor = require "tpp.tensor"
--   local a = tensor.rand({256, 512}, { seed = 1 })       -- f32, uniform [-1, 1)
--   local q = a:quantize("q8", 64)                         -- int8, per-group scales
--   print(a:get(1, 2), q:get(1, 2))                        -- 1-based indices
--   local at = a:T()                                       -- a view, no copy
--   a:free()                                               -- or let __gc / <close> do it
--
-- dtypes: f32, f16, bf16 (any layout, up to 4-D, views share storage) and
-- q8, q4 (2-D matrices, symmetric per-group scales; see include/tpp.h).
-- Under LuaJIT, t:cdata() is a typed pointer to the same memory (no copy);
-- it is valid only while the tensor is alive.
local core = require "tpp.backend"

local M = {}

M.DTYPES = { "f32", "f16", "bf16", "q8", "q4" }

-- Methods written here are added to the class of the binding's tensors, so
-- they work the same on C userdata and on FFI objects.
local probe = core.tensor_new("f32", { 1 })
local class = getmetatable(probe)
local methods = class.__index
probe:free()
assert(type(methods) == "table", "tpp.tensor: the core's tensor class has no method table")

function M.is_tensor(x) return getmetatable(x) == class end

-- Options are checked by the shared helper: an unknown key is refused with
-- a suggestion (allowed: name -> true, or a type as tpp.io.options takes).
local function check_opts(opts, fname, allowed)
  local spec = {}
  for k, v in pairs(allowed) do spec[k] = v == true and "any" or v end
  return require("tpp.io.options").check("tpp.tensor." .. fname, opts, spec)
end

--- A zero-filled tensor. opts.group_size for q8/q4 (default 64).
function M.new(dtype, shape, opts)
  opts = check_opts(opts, "new", { group_size = true })
  return core.tensor_new(dtype, shape, opts.group_size)
end

function M.zeros(shape, dtype) return core.tensor_new(dtype or "f32", shape) end

--- Uniform random values in [lo, hi) (default [-1, 1)) from a seed.
function M.rand(shape, opts)
  opts = check_opts(opts, "rand", { seed = true, lo = true, hi = true, dtype = true })
  local t = core.tensor_new(opts.dtype or "f32", shape)
  t:fill_random(opts.seed or 1, opts.lo or -1, opts.hi or 1)
  return t
end

local function flatten(v, shape, depth, out)
  if type(v) == "table" then
    local n = #v
    if shape[depth] == nil then shape[depth] = n
    elseif shape[depth] ~= n then
      error(("tpp.tensor.from: ragged nesting: %d entries where %d were expected at depth %d")
        :format(n, shape[depth], depth), 0)
    end
    for i = 1, n do flatten(v[i], shape, depth + 1, out) end
  elseif type(v) == "number" then
    out[#out + 1] = v
  else
    error("tpp.tensor.from: numbers or nested lists expected, got " .. type(v), 0)
  end
end

--- A tensor from nested lists ({{1, 2}, {3, 4}}) or a flat list with a shape.
function M.from(values, shape, dtype)
  if type(values) ~= "table" then error("tpp.tensor.from: a list expected, got " .. type(values), 2) end
  local flat, s = {}, {}
  if shape then
    for i = 1, #values do flat[i] = values[i] end
    s = shape
  else
    flatten(values, s, 1, flat)
  end
  local t = core.tensor_new(dtype or "f32", s)
  t:write(flat)
  return t
end

-- ---- methods ----

function methods:ndim() return #self:shape() end

--- Quantize (q8/q4) or convert (f32/f16/bf16) into a new tensor.
function methods:quantize(dtype, group_size) return self:convert(dtype or "q8", group_size) end
function methods:dequantize() return self:convert("f32") end
function methods:to(dtype) return self:convert(dtype) end

--- A contiguous copy (same dtype).
function methods:contiguous()
  if self:is_contiguous() then return self end
  return self:convert(self:dtype())
end

--- Swap two dimensions (default the last two): a view, no copy.
function methods:transpose(d1, d2)
  local shape, strides = self:shape(), self:strides()
  local n = #shape
  d1, d2 = d1 or n - 1, d2 or n
  if n < 2 and d1 == 0 then error("tpp.tensor: transpose needs at least 2 dimensions", 2) end
  shape[d1], shape[d2] = shape[d2], shape[d1]
  strides[d1], strides[d2] = strides[d2], strides[d1]
  return self:view(shape, strides, 0)
end
methods.T = methods.transpose

--- The same elements with another shape (contiguous tensors only).
function methods:reshape(shape)
  if not self:is_contiguous() then
    error("tpp.tensor: reshape needs a contiguous tensor; call :contiguous() first", 2)
  end
  local n, strides = 1, {}
  for i = #shape, 1, -1 do
    strides[i] = n
    n = n * shape[i]
  end
  if n ~= self:numel() then
    error(("tpp.tensor: cannot reshape %d elements into %s"):format(self:numel(), table.concat(shape, "x")), 2)
  end
  return self:view(shape, strides, 0)
end

--- Elements first..last (1-based, inclusive) along dimension dim: a view.
function methods:slice(dim, first, last)
  local shape, strides = self:shape(), self:strides()
  if dim < 1 or dim > #shape then error(("tpp.tensor: slice dimension %d of a %d-D tensor"):format(dim, #shape), 2) end
  last = last or shape[dim]
  if first < 1 or last > shape[dim] or first > last then
    error(("tpp.tensor: slice %d..%d of a dimension of %d"):format(first, last, shape[dim]), 2)
  end
  shape[dim] = last - first + 1
  return self:view(shape, strides, (first - 1) * strides[dim])
end

--- Row i of a 2-D tensor (a 1-D view).
function methods:row(i)
  local shape, strides = self:shape(), self:strides()
  if #shape ~= 2 then error("tpp.tensor: row() needs a 2-D tensor", 2) end
  if i < 1 or i > shape[1] then error(("tpp.tensor: row %d of %d"):format(i, shape[1]), 2) end
  return self:view({ shape[2] }, { strides[2] }, (i - 1) * strides[1])
end

--- Nested Lua lists of the values (dequantized for q8/q4).
function methods:totable()
  local flat, shape = self:read(), self:shape()
  local pos = 0
  local function build(d)
    local out = {}
    for i = 1, shape[d] do
      if d == #shape then
        pos = pos + 1
        out[i] = flat[pos]
      else
        out[i] = build(d + 1)
      end
    end
    return out
  end
  return build(1)
end

--- Largest |a - b| over all elements (same shape).
function methods:max_abs_diff(other)
  local a, b = self:read(), other:read()
  if #a ~= #b then error(("tpp.tensor: max_abs_diff of %d and %d elements"):format(#a, #b), 2) end
  local d = 0
  for i = 1, #a do
    local x = math.abs(a[i] - b[i])
    if x > d or x ~= x then d = x end
  end
  return d
end

local ffi_ok, ffi = pcall(require, "ffi")
local cdef_done = false
local PTR = { f32 = "float *", f16 = "uint16_t *", bf16 = "uint16_t *", q8 = "uint8_t *", q4 = "uint8_t *" }

--- LuaJIT only: a typed pointer to the elements (float* for f32, uint16_t*
-- for f16/bf16, uint8_t* for the blocked q8/q4 bytes) and the tpp_tensor
-- header. No copy: valid while the tensor is alive.
function methods:cdata()
  if not ffi_ok then error("tpp.tensor: cdata() needs LuaJIT's FFI", 2) end
  if not cdef_done then
    if not pcall(ffi.typeof, "tpp_tensor") then ffi.cdef(require "tpp.cdef") end
    cdef_done = true
  end
  local h = ffi.cast("tpp_tensor *", self:handle())
  return ffi.cast(PTR[self:dtype()], h.data), h
end

return M
