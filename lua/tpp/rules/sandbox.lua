--- tpp.rules.sandbox: where rule files run.
--
-- Every rule file runs in a Lua state of its own, created by tpp's C core
-- (csrc/lua/sandbox_glue.c), never in the state that loads it:
--
--   * memory: the state's allocator refuses to hold more than LIMITS.memory
--     bytes, for the state's whole life (a check() that keeps data across
--     chips runs into the same limit);
--   * time: a count hook on that state stops each call into it after
--     LIMITS.instructions VM instructions or LIMITS.seconds seconds; string
--     functions that loop in C (rep, find, match, gmatch, gsub) are tpp's own
--     and charge the same budget, so no tail call or table.sort comparator
--     gets around it; Ctrl-C stops it too;
--   * what it sees: the rule DSL and a whitelist built for that state (no io,
--     os, load, require, debug, coroutines, metatables, string.dump; its own
--     math.random); nothing of the host's state is reachable from it.
--
-- The file's declarations (version { }, threshold { }, paragraph { }, ...)
-- are recorded there as plain data with their line numbers and copied out;
-- tpp.rules.dsl then checks and builds the rule from that data in the host. A
-- Lua function in a rule file (check(), a computed threshold) stays in the
-- file's state and is called through a proxy, with its arguments and results
-- copied as plain data. The limits and the reasoning are in docs/sandbox.md.
local core = require "tpp.backend"

local M = {}

M.LIMITS = {
  memory = 16 * 1048576,  -- bytes a rule file's state may hold, for its whole life
  instructions = 1e7,     -- VM instructions (and string-function steps) per call into it
  seconds = 2,            -- wall-clock seconds per call into it
  string_bytes = 1048576, -- the longest string string.rep or string.gsub may build
  file_bytes = 1048576,   -- the largest rule file tpp reads
  extends_depth = 8,      -- files extending files
}

-- Why a name is not there (the message a rule file gets when it uses it).
M.REASONS = {
  io = "no file access", os = "no operating-system access", require = "no modules",
  load = "no loading of code", loadstring = "no loading of code", dofile = "no file access",
  loadfile = "no file access", debug = "no debug library", coroutine = "no coroutines",
  getmetatable = "no metatables", setmetatable = "no metatables", collectgarbage = "no GC control",
  package = "no modules", pcall = "errors cannot be caught", xpcall = "errors cannot be caught",
  getfenv = "no environments", setfenv = "no environments", module = "no modules",
  jit = "no JIT control", ffi = "no FFI", _G = "no global table", newproxy = "no userdata",
  print = "no output; return data instead", gcinfo = "no GC control", rawlen = "use #",
  ["string.dump"] = "no bytecode", ["string.pack"] = "no binary packing",
  ["string.unpack"] = "no binary packing", ["string.packsize"] = "no binary packing",
  ["string.gfind"] = "Lua 5.0's name for string.gmatch",
}

--- A new sandbox whose globals also hold recorders for the names in
-- `declarations` (appended to its log) and `items` (returned as data).
function M.open(declarations, items)
  local L = M.LIMITS
  local sb = core.sandbox_new({ memory = L.memory, instructions = L.instructions, seconds = L.seconds,
                                string_bytes = L.string_bytes }, M.REASONS)
  sb:record(declarations, items)
  M.last = sb -- the latest sandbox, for its usage() (the specs check its peak memory)
  return sb
end

--- Call a rule file's function (a proxy): true, results... or false, message.
function M.call(fn, ...)
  return pcall(fn, ...)
end

return M
