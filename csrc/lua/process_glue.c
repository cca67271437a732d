/*
 * process_glue.c - files and processes for Lua (lua/tpp/ffi_process.lua mirrors it):
 *   core.interrupt_install()   SIGINT sets tpp's flag (and still reaches the interpreter)
 *   core.interrupted()         -> true once SIGINT arrived
 *   core.interrupt_clear(), core.interrupt_raise()
 *   core.read_regular_file(path, max_bytes[, no_follow]) -> contents
 *   core.temp_file([dir[, prefix[, suffix]]]) -> path of a new empty file
 *   core.check_threads(n, what) -> n, or an error naming what, n and 1..256
 */
#include "glue.h"

#include <string.h>

static int l_interrupt_install(lua_State *L) {
  lua_pushboolean(L, tpp_interrupt_install() == 0);
  return 1;
}

static int l_interrupted(lua_State *L) {
  lua_pushboolean(L, tpp_interrupted());
  return 1;
}

static int l_interrupt_clear(lua_State *L) {
  (void)L;
  tpp_interrupt_clear();
  return 0;
}

static int l_interrupt_raise(lua_State *L) {
  (void)L;
  tpp_interrupt_raise();
  return 0;
}

static int l_read_regular_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Number max = luaL_checknumber(L, 2);
  int no_follow = lua_toboolean(L, 3);
  char *data = NULL;
  int64_t size = 0;
  tpp_error err;
  if (!(max >= 0 && max <= 1e15)) return luaL_argerror(L, 2, "a byte count 0 .. 1e15 expected");
  if (tpp_read_regular_file(path, (int64_t)max, no_follow, &data, &size, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  lua_pushlstring(L, data, (size_t)size);
  tpp_free(data);
  return 1;
}

static int l_temp_file(lua_State *L) {
  char path[4096];
  tpp_error err;
  if (tpp_temp_file(luaL_optstring(L, 1, NULL), luaL_optstring(L, 2, "tpp-"),
                    luaL_optstring(L, 3, ""), path, sizeof path, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  lua_pushstring(L, path);
  return 1;
}

static int l_check_threads(lua_State *L) {
  const char *what = luaL_optstring(L, 2, "threads");
  tpp_error err;
  if (lua_type(L, 1) != LUA_TNUMBER)
    return luaL_error(L, "tpp: %s: got %s, expected an integer from 1 to %d", what,
                      lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : luaL_typename(L, 1),
                      (int)TPP_MAX_THREADS);
  if (tpp_check_threads((double)lua_tonumber(L, 1), what, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  lua_pushvalue(L, 1);
  return 1;
}

static const luaL_Reg process_funcs[] = {
    {"interrupt_install", l_interrupt_install},
    {"interrupted", l_interrupted},
    {"interrupt_clear", l_interrupt_clear},
    {"interrupt_raise", l_interrupt_raise},
    {"read_regular_file", l_read_regular_file},
    {"temp_file", l_temp_file},
    {"check_threads", l_check_threads},
    {NULL, NULL}};

void tpp_lua_open_process(lua_State *L) {
  luaL_setfuncs(L, process_funcs, 0);
}
