--- tpp.backend: picks the binding of the C core.
-- Default: the Lua C API module tpp.core. With TPP_BINDING=ffi (LuaJIT only):
-- tpp.ffi, which calls the same shared object through LuaJIT's FFI.
local want = os.getenv("TPP_BINDING")

if want == "ffi" then
  if not rawget(_G, "jit") then
    error("tpp: TPP_BINDING=ffi needs LuaJIT; this is " .. _VERSION, 0)
  end
  return require "tpp.ffi"
elseif want ~= nil and want ~= "" and want ~= "c" then
  error(("tpp: TPP_BINDING=%s is not a binding; use 'c' (default) or 'ffi'"):format(want), 0)
end

local ok, core = pcall(require, "tpp.core")
if not ok then
  error("tpp: the C core tpp.core did not load (" .. tostring(core) ..
        "); build it with 'make' or install with 'luarocks make'", 0)
end
return core
