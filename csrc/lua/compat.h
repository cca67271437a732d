/*
 * compat.h - the few Lua C API differences between Lua 5.1, 5.2-5.4 and
 * LuaJIT that the glue needs, kept in one place.
 */
#ifndef TPP_LUA_COMPAT_H
#define TPP_LUA_COMPAT_H

#include <lauxlib.h>
#include <lua.h>

#if defined(__GNUC__)
#define TPP_UNUSED __attribute__((unused))
#else
#define TPP_UNUSED
#endif

#if LUA_VERSION_NUM == 501 && !defined(LUAJIT_VERSION_NUM)
/* PUC Lua 5.1 lacks luaL_setfuncs and luaL_testudata (LuaJIT has both). */
TPP_UNUSED static void luaL_setfuncs(lua_State *L, const luaL_Reg *l, int nup) {
  luaL_checkstack(L, nup + 1, "too many upvalues");
  for (; l->name; l++) {
    int i;
    for (i = 0; i < nup; i++) lua_pushvalue(L, -nup);
    lua_pushcclosure(L, l->func, nup);
    lua_setfield(L, -(nup + 2), l->name);
  }
  lua_pop(L, nup);
}

TPP_UNUSED static void *luaL_testudata(lua_State *L, int ud, const char *tname) {
  void *p = lua_touserdata(L, ud);
  if (p && lua_getmetatable(L, ud)) {
    luaL_getmetatable(L, tname);
    if (!lua_rawequal(L, -1, -2)) p = NULL;
    lua_pop(L, 2);
    return p;
  }
  return NULL;
}
#endif

#if LUA_VERSION_NUM == 501
#define tpp_rawlen(L, i) lua_objlen(L, (i))
#define tpp_newlib(L, l) (lua_newtable(L), luaL_setfuncs(L, (l), 0))
#else
#define tpp_rawlen(L, i) lua_rawlen(L, (i))
#define tpp_newlib(L, l) luaL_newlib(L, (l))
#endif

#if LUA_VERSION_NUM >= 504
#define TPP_HAVE_CLOSE 1
#endif

/* Integers: 5.3+ distinguish them; 5.1/LuaJIT only have numbers. */
TPP_UNUSED static lua_Number tpp_checkint(lua_State *L, int arg) {
  lua_Number v = luaL_checknumber(L, arg);
  if (v != (lua_Number)(long long)v)
    luaL_argerror(L, arg, "integer expected, got a fraction");
  return v;
}

#endif
