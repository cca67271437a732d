--- tpp.ffi_tensor: tensors and tensor-level kernels for the LuaJIT FFI binding.
-- Mirrors csrc/lua/tensor_glue.c: same functions, results and messages. A
-- tensor is a table holding one reference to a tpp_tensor (cdata, released by
-- ffi.gc or :free()), so Lua code sees the very memory the C kernels use.
return function(M, C, ffi)
  local Tensor = {}
  Tensor.__index = Tensor
  M.Tensor = Tensor

  local function errorf(fmt, ...) error("tpp: " .. fmt:format(...), 0) end

  local errbuf = ffi.new("char[384]")
  local function raise(err)
    C.tpp_error_format(err, errbuf, 384)
    error("tpp: " .. ffi.string(errbuf), 0)
  end
  M._raise = raise

  local function typename(v)
    if getmetatable(v) == Tensor then return "tensor" end
    return type(v)
  end

  local function wrap(ptr)
    return setmetatable({ _t = ffi.gc(ptr, C.tpp_tensor_release) }, Tensor)
  end
  M._wrap_tensor = wrap

  local function check(t, fname, idx)
    if getmetatable(t) ~= Tensor then
      errorf("%s: argument %d must be a tensor, got %s", fname, idx or 1, typename(t))
    end
    if t._t == nil then errorf("%s: the tensor was freed", fname) end
    return t._t
  end
  M._check_tensor = check

  local function is_int(v) return type(v) == "number" and v == math.floor(v) and v == v end

  local function check_dtype(name, fname)
    if type(name) ~= "string" then
      error(("bad argument #%d to '%s' (string expected, got %s)"):format(fname == "convert" and 2 or 1,
        fname, type(name)), 0)
    end
    local dt = C.tpp_dtype_from_name(name)
    if dt < 0 then errorf("%s: dtype '%s' is not one of f32, f16, bf16, q8, q4", fname, name) end
    return dt
  end

  local function read_dims(t, what, fname, min)
    if type(t) ~= "table" then errorf("%s: %s must be a list of integers, got %s", fname, what, type(t)) end
    local n = #t
    if n < 1 or n > 4 then errorf("%s: %s has %d entries, expected 1..%d", fname, what, n, 4) end
    local out = ffi.new("int64_t[4]")
    for i = 1, n do
      local v = t[i]
      if type(v) ~= "number" then errorf("%s: %s[%d] must be an integer, got %s", fname, what, i, type(v)) end
      if not is_int(v) or v < min or v > 9.2e18 then
        errorf("%s: %s[%d] = %g, expected an integer >= %d", fname, what, i, v, min)
      end
      out[i - 1] = v
    end
    return out, n
  end

  local function int_or(v, default)
    if v == nil then return default end
    return v
  end

  function M.tensor_new(dtype, shape, group)
    local dt = check_dtype(dtype, "tensor_new")
    local dims, n = read_dims(shape, "shape", "tensor_new", 1)
    local err = ffi.new("tpp_error")
    local t = C.tpp_tensor_new(dt, n, dims, int_or(group, 0), err)
    if t == nil then raise(err) end
    return wrap(t)
  end

  function Tensor:free()
    if self._t ~= nil then
      C.tpp_tensor_release(ffi.gc(self._t, nil))
      self._t = nil
    end
  end
  Tensor.__close = Tensor.free

  function Tensor:is_freed() return self._t == nil end

  function Tensor:dtype() return ffi.string(C.tpp_dtype_name(check(self, "dtype").dtype)) end

  local function dims_table(d, n)
    local out = {}
    for i = 1, n do out[i] = tonumber(d[i - 1]) end
    return out
  end

  function Tensor:shape()
    local t = check(self, "shape")
    return dims_table(t.shape, t.ndim)
  end

  function Tensor:strides()
    local t = check(self, "strides")
    return dims_table(t.stride, t.ndim)
  end

  function Tensor:numel() return tonumber(check(self, "numel").numel) end

  function Tensor:group_size()
    local t = check(self, "group_size")
    if t.group_size > 0 then return t.group_size end
    return nil
  end

  function Tensor:nbytes()
    local t = check(self, "nbytes")
    local es = tonumber(C.tpp_dtype_size(t.dtype))
    if es > 0 then return tonumber(t.numel) * es end
    return tonumber(t.data_bytes + t.scale_bytes)
  end

  function Tensor:is_contiguous() return C.tpp_tensor_is_contiguous(check(self, "is_contiguous")) == 1 end

  local function read_index(t, fname, ...)
    local idx = ffi.new("int64_t[4]")
    for d = 1, t.ndim do
      local v = select(d, ...)
      if type(v) ~= "number" then errorf("%s: index %d must be an integer, got %s", fname, d, type(v)) end
      if not is_int(v) then errorf("%s: index %d must be an integer, got %g", fname, d, v) end
      idx[d - 1] = v - 1
    end
    return idx
  end

  local out1 = ffi.new("double[1]")

  function Tensor:get(...)
    local t = check(self, "get")
    local n = select("#", ...)
    if n ~= t.ndim then errorf("get: %d indices for a %d-D tensor", n, t.ndim) end
    local idx = read_index(t, "get", ...)
    local err = ffi.new("tpp_error")
    if C.tpp_tensor_get(t, idx, out1, err) ~= 0 then raise(err) end
    return out1[0]
  end

  function Tensor:set(...)
    local t = check(self, "set")
    local n = select("#", ...) - 1
    if n ~= t.ndim then errorf("set: %d indices for a %d-D tensor (then the value)", n, t.ndim) end
    local idx = read_index(t, "set", ...)
    local v = select(n + 1, ...)
    if type(v) ~= "number" then errorf("set: the value must be a number, got %s", type(v)) end
    local err = ffi.new("tpp_error")
    if C.tpp_tensor_set(t, idx, v, err) ~= 0 then raise(err) end
  end

  function Tensor:read()
    local t = check(self, "read")
    local n = tonumber(t.numel)
    if n > 2 ^ 26 then errorf("read: %d elements is too many for a Lua table (limit 2^26)", n) end
    local buf = ffi.new("double[?]", n)
    C.tpp_tensor_read_f64(t, buf, n, nil)
    local out = {}
    for i = 1, n do out[i] = buf[i - 1] end
    return out
  end

  function Tensor:write(values)
    local t = check(self, "write")
    if type(values) ~= "table" then errorf("write: values must be a list of numbers, got %s", type(values)) end
    local n = #values
    if n ~= tonumber(t.numel) then
      errorf("write: %d values for a tensor of %d elements", n, tonumber(t.numel))
    end
    local buf = ffi.new("double[?]", n > 0 and n or 1)
    for i = 1, n do
      local v = values[i]
      if type(v) ~= "number" then errorf("write: values[%d] must be a number, got %s", i, type(v)) end
      buf[i - 1] = v
    end
    local err = ffi.new("tpp_error")
    if C.tpp_tensor_write_f64(t, buf, n, err) ~= 0 then raise(err) end
  end

  function Tensor:fill(v)
    local t = check(self, "fill")
    if type(v) ~= "number" then error(("bad argument #1 to 'fill' (number expected, got %s)"):format(type(v)), 0) end
    local err = ffi.new("tpp_error")
    if C.tpp_tensor_fill(t, v, err) ~= 0 then raise(err) end
  end

  function Tensor:fill_random(seed, lo, hi)
    local t = check(self, "fill_random")
    seed = seed or 1
    if type(seed) ~= "number" or seed < 0 or not is_int(seed) then
      errorf("fill_random: seed must be an integer >= 0")
    end
    local err = ffi.new("tpp_error")
    if C.tpp_tensor_fill_random(t, seed, lo or -1, hi or 1, err) ~= 0 then raise(err) end
  end

  function Tensor:view(shape, strides, offset)
    local t = check(self, "view")
    local dims, nd = read_dims(shape, "shape", "view", 1)
    local st, ns = read_dims(strides, "strides", "view", 0)
    if ns ~= nd then errorf("view: %d strides for %d dimensions", ns, nd) end
    offset = offset or 0
    if not is_int(offset) then errorf("view: offset must be an integer") end
    local err = ffi.new("tpp_error")
    local v = C.tpp_tensor_view(t, nd, dims, st, offset, err)
    if v == nil then raise(err) end
    return wrap(v)
  end

  function Tensor:convert(dtype, group)
    local t = check(self, "convert")
    local dt = check_dtype(dtype, "convert")
    local err = ffi.new("tpp_error")
    local out = C.tpp_tensor_convert(t, dt, int_or(group, 0), err)
    if out == nil then raise(err) end
    return wrap(out)
  end

  function Tensor:copy_from(src)
    local d = check(self, "copy_from")
    local s = check(src, "copy_from", 2)
    local err = ffi.new("tpp_error")
    if C.tpp_tensor_copy(d, s, err) ~= 0 then raise(err) end
  end

  function Tensor:handle() return check(self, "handle") end
  function Tensor:offset() return tonumber(C.tpp_tensor_offset(check(self, "offset"))) end

  function Tensor:__tostring()
    local t = self._t
    if t == nil then return "tpp.tensor (freed)" end
    local dims = {}
    for d = 1, t.ndim do dims[d] = tostring(tonumber(t.shape[d - 1])) end
    return ("tpp.tensor %s [%s]"):format(ffi.string(C.tpp_dtype_name(t.dtype)), table.concat(dims, "x"))
  end

  -- ---- kernels ----

  local function call3(fn, fname, a, b, c)
    local err = ffi.new("tpp_error")
    if fn(check(a, fname, 1), check(b, fname, 2), check(c, fname, 3), err) ~= 0 then raise(err) end
  end

  function M.linear(y, x, w) call3(C.tpp_linear, "linear", y, x, w) end
  function M.matmul(c, a, b) call3(C.tpp_matmul, "matmul", c, a, b) end
  function M.swiglu(o, g, u) call3(C.tpp_swiglu, "swiglu", o, g, u) end

  function M.rmsnorm(out, x, w, eps)
    local err = ffi.new("tpp_error")
    if C.tpp_rmsnorm(check(out, "rmsnorm", 1), check(x, "rmsnorm", 2), check(w, "rmsnorm", 3), eps or 1e-5,
      err) ~= 0 then
      raise(err)
    end
  end

  function M.softmax(x)
    local err = ffi.new("tpp_error")
    if C.tpp_softmax(check(x, "softmax"), err) ~= 0 then raise(err) end
  end

  function M.silu(x)
    local err = ffi.new("tpp_error")
    if C.tpp_silu(check(x, "silu"), err) ~= 0 then raise(err) end
  end

  -- the C glue's luaL_checkinteger wording; ffi_model uses it too
  local function checkint(v, n, fname)
    if type(v) ~= "number" then
      error(("bad argument #%d to '%s' (number expected, got %s)")
        :format(n, fname, v == nil and "no value" or type(v)), 0)
    end
    if not is_int(v) then
      error(("bad argument #%d to '%s' (integer expected, got a fraction)"):format(n, fname), 0)
    end
    return v
  end
  M._checkint = checkint

  function M.rope(x, pos, head_size, theta)
    local t = check(x, "rope")
    checkint(pos, 2, "rope")
    checkint(head_size, 3, "rope")
    local err = ffi.new("tpp_error")
    if C.tpp_rope(t, pos, head_size, theta or 10000.0, err) ~= 0 then raise(err) end
  end

  function M.attention(out, q, k, v, pos, n_heads, n_kv_heads)
    local o, qq = check(out, "attention", 1), check(q, "attention", 2)
    local kk, vv = check(k, "attention", 3), check(v, "attention", 4)
    checkint(pos, 5, "attention")
    checkint(n_heads, 6, "attention")
    checkint(n_kv_heads, 7, "attention")
    local err = ffi.new("tpp_error")
    if C.tpp_attention(o, qq, kk, vv, pos, n_heads, n_kv_heads, err) ~= 0 then raise(err) end
  end

  local idx1 = ffi.new("int64_t[1]")
  function M.argmax(x)
    local err = ffi.new("tpp_error")
    if C.tpp_argmax(check(x, "argmax"), idx1, err) ~= 0 then raise(err) end
    return tonumber(idx1[0]) + 1
  end

  function M.isa()
    return ffi.string(C.tpp_isa_name(C.tpp_isa_active())), ffi.string(C.tpp_isa_name(C.tpp_isa_detected()))
  end

  local isa_levels = { scalar = C.TPP_ISA_SCALAR, avx2 = C.TPP_ISA_AVX2, avx512 = C.TPP_ISA_AVX512,
                       ["avx512-vnni"] = C.TPP_ISA_AVX512 }
  function M.isa_set(name)
    local level = -1
    if name ~= nil then
      level = isa_levels[name]
      if not level then errorf("isa_set: '%s' is not scalar, avx2 or avx512", tostring(name)) end
    end
    return ffi.string(C.tpp_isa_name(C.tpp_isa_set(level)))
  end
end
