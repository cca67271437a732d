/*
 * core.c - luaopen_tpp_core: the tpp C module for Lua 5.1-5.4 and LuaJIT.
 * Each glue file registers its functions into the one module table.
 */
#include "glue.h"

#include <string.h>

int tpp_lua_raise(lua_State *L, const tpp_error *err) {
  char buf[384];
  tpp_error_format(err, buf, sizeof buf);
  return luaL_error(L, "tpp: %s", buf);
}

void tpp_lua_pushnum(lua_State *L, double v) {
  if (isnan(v))
    lua_pushnil(L);
  else
    lua_pushnumber(L, (lua_Number)v);
}

double tpp_lua_optfield(lua_State *L, int idx, const char *key, const char *where) {
  double v = NAN;
  lua_getfield(L, idx, key);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    v = (double)lua_tonumber(L, -1);
  } else if (!lua_isnil(L, -1)) {
    const char *tn = luaL_typename(L, -1);
    lua_pop(L, 1);
    luaL_error(L, "tpp: %s%s%s: number expected, got %s", where ? where : "",
               where && *where ? "." : "", key, tn);
    return NAN;
  }
  lua_pop(L, 1);
  return v;
}

static int l_version(lua_State *L) {
  lua_pushstring(L, tpp_version());
  return 1;
}

static int l_cpu_count(lua_State *L) {
  lua_pushinteger(L, tpp_cpu_count());
  return 1;
}

static int l_threads(lua_State *L) {
  if (!lua_isnoneornil(L, 1)) {
    lua_Number n = tpp_checkint(L, 1);
    luaL_argcheck(L, n >= 0 && n <= 256, 1, "thread count 0..256 expected (0 = all cores)");
    tpp_set_threads((int)n);
  }
  lua_pushinteger(L, tpp_get_threads());
  return 1;
}

static int l_now(lua_State *L) {
  lua_pushnumber(L, tpp_now());
  return 1;
}

static int l_isatty(lua_State *L) {
  lua_pushboolean(L, tpp_isatty((int)luaL_checkinteger(L, 1)));
  return 1;
}

/* core.interrupt_catch(on) -> true, or nil and a message */
static int l_interrupt_catch(lua_State *L) {
  if (tpp_interrupt_catch(lua_toboolean(L, 1)) != 0) {
    lua_pushnil(L);
    lua_pushliteral(L, "cannot install the SIGINT handler");
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* core.interrupt_take() -> true when Ctrl-C came since the last call */
static int l_interrupt_take(lua_State *L) {
  lua_pushboolean(L, tpp_interrupt_take());
  return 1;
}

/* core.wait_input(fd [, timeout_ms]) -> 1 input ready, 0 timeout, -1 interrupted */
static int l_wait_input(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1);
  int ms = (int)luaL_optinteger(L, 2, -1);
  lua_pushinteger(L, tpp_wait_input(fd, ms));
  return 1;
}

static const luaL_Reg core_funcs[] = {
    {"wait_input", l_wait_input},
    {"isatty", l_isatty},
    {"interrupt_catch", l_interrupt_catch},
    {"interrupt_take", l_interrupt_take},
    {"version", l_version},
    {"cpu_count", l_cpu_count},
    {"threads", l_threads},
    {"now", l_now},
    {NULL, NULL}};

#if defined(__GNUC__)
__attribute__((visibility("default")))
#endif
int luaopen_tpp_core(lua_State *L) {
  tpp_newlib(L, core_funcs);
  lua_pushliteral(L, "lua-c-api");
  lua_setfield(L, -2, "binding");
  lua_pushstring(L, tpp_version());
  lua_setfield(L, -2, "_VERSION");
  tpp_lua_open_spec(L);
  tpp_lua_open_batch(L);
  tpp_lua_open_serve(L);
  tpp_lua_open_rules(L);
  tpp_lua_open_tensor(L);
  tpp_lua_open_model(L);
  tpp_lua_open_bench(L);
  tpp_lua_open_csv(L);
  tpp_lua_open_out(L);
  tpp_lua_open_screen(L);
  /* further areas register here */
  return 1;
}
