--- tpp.ffi_bench: host probes for the LuaJIT FFI binding; mirrors
-- csrc/lua/bench_glue.c (same functions, results and messages).
return function(M, C, ffi)
  local raise = M._raise

  local function checkint(v, n, fname)
    if type(v) ~= "number" then
      error(("bad argument #%d to '%s' (number expected, got %s)")
        :format(n, fname, v == nil and "no value" or type(v)), 0)
    end
    if v ~= math.floor(v) then
      error(("bad argument #%d to '%s' (integer expected, got a fraction)"):format(n, fname), 0)
    end
    return v
  end

  local out = ffi.new("double[1]")
  function M.bench_membw(bytes, threads, seconds)
    checkint(bytes, 1, "bench_membw")
    local err = ffi.new("tpp_error")
    if C.tpp_bench_membw(bytes, threads or 0, seconds or 0.5, out, err) ~= 0 then raise(err) end
    return out[0]
  end

  local function gemm(fn, name, m, n, k, seconds)
    checkint(m, 1, name)
    checkint(n, 2, name)
    checkint(k, 3, name)
    local err = ffi.new("tpp_error")
    if fn(m, n, k, seconds or 0.5, out, err) ~= 0 then raise(err) end
    return out[0]
  end

  function M.bench_sgemm(m, n, k, seconds) return gemm(C.tpp_bench_sgemm, "bench_sgemm", m, n, k, seconds) end
  function M.bench_dgemm(m, n, k, seconds) return gemm(C.tpp_bench_dgemm, "bench_dgemm", m, n, k, seconds) end
  function M.bench_sgemv(m, n, bytes, seconds)
    checkint(m, 1, "bench_sgemv")
    checkint(n, 2, "bench_sgemv")
    checkint(bytes, 3, "bench_sgemv")
    local err = ffi.new("tpp_error")
    if C.tpp_bench_sgemv(m, n, bytes, seconds or 0.5, out, err) ~= 0 then raise(err) end
    return out[0]
  end

  function M.blas_info() return ffi.string(C.tpp_blas_info()) end
  function M.cpu_name() return ffi.string(C.tpp_cpu_name()) end
end
