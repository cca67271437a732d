--- tpp.rules.sandbox: run rule files (and the Lua functions they define) with
-- no access to io, os, require, load, debug, coroutines or metatables, and
-- with bounded instructions and memory.
--
-- How: the file is compiled as text only (bytecode is refused) with an
-- environment that holds the rule DSL and copies of the harmless parts of the
-- standard library; every call into rule code runs under a count hook
-- (debug.sethook, installed here before the rule code starts) that stops it
-- after M.LIMITS.instructions VM instructions or once the Lua heap has grown by
-- more than M.LIMITS.memory_kb. Pattern matching (string.find/match/gsub) is
-- left out because it runs in C where the hook cannot stop it; string.rep is
-- capped. While rule code runs, the string metatable points at the sandboxed
-- string table, so ("").dump and friends are not reachable either. On LuaJIT
-- the compiler is switched off for rule code so the hook fires in loops.
local M = {}

M.LIMITS = {
  instructions = 2e6,   -- per load or per call into rule code (a rule file needs far fewer)
  memory_kb = 64 * 1024,
  hook_every = 1,       -- VM instructions between checks (1: a check per instruction)
  rep_bytes = 1e6,      -- longest string string.rep may build
}

local unpack_ = table.unpack or unpack
local jit_ = rawget(_G, "jit")

local function copy(src, names)
  local t = {}
  for _, k in ipairs(names) do t[k] = src[k] end
  return t
end

-- Sources ("@chunkname") of compiled rule files: a string method called from
-- one of them is rule code; called from tpp's own modules it is not.
local rule_sources = {}

local function rep_checked(s, n, sep)
  local count = tonumber(n) or 0
  local len = #tostring(s) * count + (sep and #tostring(sep) * count or 0)
  if len > M.LIMITS.rep_bytes then
    error(("string.rep would build %d bytes; rule files are limited to %d"):format(len, M.LIMITS.rep_bytes), 3)
  end
  return string.rep(s, n, sep)
end

local unavailable_string = { find = true, match = true, gmatch = true, gsub = true, dump = true }
local function refusal(k)
  return ("string.%s is not available in a rule file (%s)"):format(k,
    k == "dump" and "no bytecode" or "pattern matching runs outside the instruction limit")
end

-- What rule code gets as `string`: the harmless functions only.
local safe_string = copy(string, { "byte", "char", "format", "len", "lower", "upper", "sub", "reverse" })
safe_string.rep = function(s, n, sep) return rep_checked(s, n, sep) end
setmetatable(safe_string, { __index = function(_, k)
  if unavailable_string[k] then error(refusal(k), 2) end
end })

-- What ("").method resolves to while rule code runs: every string function,
-- but the unsafe ones refuse when the caller is rule code.
local guarded_string = {}
for k, f in pairs(string) do guarded_string[k] = f end
for k in pairs(unavailable_string) do
  local real = string[k]
  guarded_string[k] = function(...)
    local info = debug.getinfo(2, "S")
    if info and rule_sources[info.source] then error(refusal(k), 2) end
    return real(...)
  end
end
guarded_string.rep = function(s, n, sep)
  local info = debug.getinfo(2, "S")
  if info and rule_sources[info.source] then return rep_checked(s, n, sep) end
  return string.rep(s, n, sep)
end

local function fresh_libs()
  local str = {}
  for k, v in pairs(safe_string) do str[k] = v end
  setmetatable(str, getmetatable(safe_string))
  local mth = {}
  for k, v in pairs(math) do mth[k] = v end
  local tbl = copy(table, { "concat", "insert", "remove", "sort" })
  tbl.unpack = unpack_
  return str, mth, tbl
end

local function pack(...) return { n = select("#", ...), ... } end

local BLOCKED = {
  io = "no file access", os = "no operating-system access", require = "no modules",
  load = "no loading of code", loadstring = "no loading of code", dofile = "no file access",
  loadfile = "no file access", debug = "no debug library", coroutine = "no coroutines",
  getmetatable = "no metatables", setmetatable = "no metatables", collectgarbage = "no GC control",
  package = "no modules", pcall = "errors cannot be caught", xpcall = "errors cannot be caught",
  getfenv = "no environments", setfenv = "no environments", module = "no modules",
  jit = "no JIT control", ffi = "no FFI", _G = "no global table", newproxy = "no userdata",
  print = "no output; return data instead",
}

--- A fresh environment holding `api` (the DSL) over the safe library.
function M.environment(api)
  local env = {
    assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, select = select,
    tonumber = tonumber, tostring = tostring, type = type, rawequal = rawequal, rawget = rawget,
    rawset = rawset, unpack = unpack_, _VERSION = _VERSION,
  }
  -- copies per environment: one rule file cannot change what another sees
  env.string, env.math, env.table = fresh_libs()
  for k, v in pairs(api or {}) do env[k] = v end
  return setmetatable(env, {
    __index = function(_, k)
      local why = BLOCKED[k]
      if why then
        error(("'%s' is not available in a rule file (sandbox: %s)"):format(tostring(k), why), 2)
      end
      error(("'%s' is not defined (a misspelt name? rule files see only the rule DSL and " ..
        "string, math, table)"):format(tostring(k)), 2)
    end,
    __metatable = false,
  })
end

-- The state of the one sandboxed call in progress (calls do not nest: a rule
-- function cannot reach the engine).
local active = false

--- Call fn(...) under the limits. Returns true, results... or false, message.
function M.call(fn, ...)
  if active then return pcall(fn, ...) end
  local limits = M.LIMITS
  local string_mt = getmetatable("")
  local saved_index = string_mt.__index
  local saved_hook = { debug.gethook() }
  local budget = limits.instructions
  local base_kb = collectgarbage("count")
  local steps = 0
  -- The hook raises once: rule code cannot catch errors (no pcall), so the
  -- error reaches the pcall below; raising again would hit the few host
  -- instructions that run before the hook is removed.
  local tripped = false
  local function hook()
    if tripped then return end
    steps = steps + limits.hook_every
    if steps > budget then
      tripped = true
      error(("rule code stopped after %d instructions (limit %d): an endless loop?"):format(steps, budget), 0)
    end
    if collectgarbage("count") - base_kb > limits.memory_kb then
      collectgarbage("collect")
      local grown = collectgarbage("count") - base_kb
      if grown > limits.memory_kb then
        tripped = true
        error(("rule code stopped: it holds %d KB more than when it started (limit %d KB)")
          :format(math.floor(grown), limits.memory_kb), 0)
      end
    end
  end
  active = true
  string_mt.__index = guarded_string
  debug.sethook(hook, "", limits.hook_every)
  local results = pack(pcall(fn, ...))
  if type(saved_hook[1]) == "function" then
    debug.sethook(saved_hook[1], saved_hook[2], saved_hook[3])
  else
    debug.sethook()
  end
  string_mt.__index = saved_index
  active = false
  return unpack_(results, 1, results.n)
end

--- Compile rule source text (never bytecode) with env. Returns the function,
-- or nil and a message "chunkname:line: ..." saying what to fix.
function M.compile(text, chunkname, env)
  if text:sub(1, 1) == "\27" then
    return nil, chunkname .. ": a precompiled (bytecode) file; rule files must be Lua source text"
  end
  local fn, err
  rule_sources["@" .. chunkname] = true
  if rawget(_G, "setfenv") then
    fn, err = loadstring(text, "@" .. chunkname)
    if fn then setfenv(fn, env) end
  else
    fn, err = load(text, "@" .. chunkname, "t", env)
  end
  if not fn then
    return nil, tostring(err) .. " (a Lua syntax error: check brackets, commas between table " ..
      "entries and quotes on the line shown)"
  end
  -- LuaJIT: compiled traces do not call hooks, so rule code stays interpreted.
  if jit_ then jit_.off(fn, true) end
  return fn
end

return M
