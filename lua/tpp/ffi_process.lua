--- tpp.ffi_process: files and processes for the LuaJIT FFI binding; mirrors
-- csrc/lua/process_glue.c (same functions, results and messages). The rule
-- sandbox is a Lua state of its own, which only the Lua C API can create: both
-- bindings get sandbox_new from the C module (csrc/lua/sandbox_glue.c).
return function(M, C, ffi)
  local raise = M._raise

  function M.interrupt_install() return C.tpp_interrupt_install() == 0 end
  function M.interrupted() return C.tpp_interrupted() ~= 0 end
  function M.interrupt_clear() C.tpp_interrupt_clear() end
  function M.interrupt_raise() C.tpp_interrupt_raise() end

  function M.read_regular_file(path, max_bytes, no_follow)
    if type(path) ~= "string" then
      error(("bad argument #1 to 'read_regular_file' (string expected, got %s)"):format(type(path)), 2)
    end
    if type(max_bytes) ~= "number" or not (max_bytes >= 0 and max_bytes <= 1e15) then
      error("bad argument #2 to 'read_regular_file' (a byte count 0 .. 1e15 expected)", 2)
    end
    local data = ffi.new("char *[1]")
    local size = ffi.new("int64_t[1]")
    local err = ffi.new("tpp_error")
    if C.tpp_read_regular_file(path, max_bytes, no_follow and 1 or 0, data, size, err) ~= C.TPP_OK then
      raise(err)
    end
    local s = ffi.string(data[0], size[0])
    C.tpp_free(data[0])
    return s
  end

  function M.temp_file(dir, prefix, suffix)
    local buf = ffi.new("char[4096]")
    local err = ffi.new("tpp_error")
    if C.tpp_temp_file(dir, prefix or "tpp-", suffix or "", buf, 4096, err) ~= C.TPP_OK then raise(err) end
    return ffi.string(buf)
  end

  function M.check_threads(n, what)
    what = what or "threads"
    if type(n) ~= "number" then
      error(("tpp: %s: got %s, expected an integer from 1 to %d"):format(what,
        type(n) == "string" and n or type(n), C.TPP_MAX_THREADS), 0)
    end
    local err = ffi.new("tpp_error")
    if C.tpp_check_threads(n, what, err) ~= C.TPP_OK then raise(err) end
    return n
  end

  M.sandbox_new = require("tpp.core").sandbox_new
end
