-- luacheck configuration: code must run on Lua 5.1, 5.4 and LuaJIT.
std = "max"
max_line_length = 130
codes = true
ignore = { "212/self" } -- unused self in methods is normal
files["spec"] = { std = "+busted" }
files["bin/tpp"] = { ignore = { "631" } }
globals = {}
read_globals = { "jit", "unpack", "setfenv", "loadstring" }
-- generated data files: long source strings are kept on one line
files["lua/tpp/chips"] = { max_line_length = false }
