/*
 * fuzz_lua_rules.c - libFuzzer target for the rule sandbox and loader: the
 * fuzzed bytes are the text of a rule file, loaded as a user's file is
 * (tpp.rules.dsl: compiled and run in its own sandboxed lua_State, the
 * declarations copied out and rebuilt in the host) and, when it loads,
 * used to classify a chip (its check() functions and computed thresholds run
 * in the sandbox again). Any text must give a rule or a Lua error message:
 * never a crash, a read out of bounds or undefined behaviour, and the host's
 * string metatable is never touched.
 *
 * Runs with Lua 5.4 as the host (a fuzz_lua_* target links the C glue and
 * liblua5.4), from the repository root so that lua/ is on package.path.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int luaopen_tpp_core(lua_State *L);

static const char *const setup =
    "package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path\n"
    "local sandbox = require 'tpp.rules.sandbox'\n"
    "sandbox.LIMITS.instructions = 200000\n"
    "sandbox.LIMITS.seconds = 0.5\n"
    "sandbox.LIMITS.memory = 2 * 1048576\n"
    "sandbox.LIMITS.string_bytes = 65536\n"
    "local dsl, version, rules = require 'tpp.rules.dsl', require 'tpp.rules.version', require 'tpp.rules'\n"
    "local string_index = getmetatable('').__index\n"
    "rules.classify('H100', { rules = 'us-2023-10' })\n"
    "function FUZZ(text)\n"
    "  local ok, def = pcall(dsl.load, text, { name = 'fuzz.lua', parent = function(id)\n"
    "    return rules.get(id).def end })\n"
    "  if ok then\n"
    "    local okv, v = pcall(version.new, def, { file = 'fuzz.lua', hash = 'x', hashes = {} })\n"
    "    if okv then pcall(rules.classify, 'H100', { rules = v, as_of = '2025-01-01' }) end\n"
    "  elseif type(def) ~= 'string' then\n"
    "    error('a load error that is not a message: ' .. type(def))\n"
    "  end\n"
    "  if getmetatable('').__index ~= string_index then error('the host string metatable changed') end\n"
    "end\n";

static lua_State *L;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static unsigned runs;
  if (!L) {
    L = luaL_newstate();
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, luaopen_tpp_core);
    lua_setfield(L, -2, "tpp.core");
    lua_pop(L, 2);
    if (luaL_dostring(L, setup) != LUA_OK) {
      fprintf(stderr, "fuzz_lua_rules: setup failed: %s\n", lua_tostring(L, -1));
      abort();
    }
  }
  if (size > 65536) return 0;
  lua_getglobal(L, "FUZZ");
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    fprintf(stderr, "fuzz_lua_rules: %s\n", lua_tostring(L, -1));
    abort();
  }
  if (++runs % 64 == 0) lua_gc(L, LUA_GCCOLLECT, 0);
  return 0;
}
