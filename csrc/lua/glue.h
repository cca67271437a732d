/*
 * glue.h - helpers shared by the Lua C API glue files (csrc/lua/ only).
 * Misuse raises a Lua error naming the argument; core status codes become
 * errors through tpp_lua_raise(), which formats the tpp_error first.
 */
#ifndef TPP_LUA_GLUE_H
#define TPP_LUA_GLUE_H

#include "compat.h"
#include "tpp.h"

#include <math.h>

/* The module entry point (csrc/lua/core.c). */
int luaopen_tpp_core(lua_State *L);

/* Raise the core error as a Lua error "tpp: <detail>". */
int tpp_lua_raise(lua_State *L, const tpp_error *err);

/* Push nil for NaN (unknown), else the number. */
void tpp_lua_pushnum(lua_State *L, double v);

/* Read t[key] (t at index idx) as a number; nil -> NaN; another type is an
 * error naming where.key. */
double tpp_lua_optfield(lua_State *L, int idx, const char *key, const char *where);

/* Registration of each glue area into the module table on top of the stack. */
void tpp_lua_open_spec(lua_State *L);
void tpp_lua_open_batch(lua_State *L);
void tpp_lua_open_serve(lua_State *L);
void tpp_lua_open_rules(lua_State *L);
void tpp_lua_open_tensor(lua_State *L);
void tpp_lua_open_model(lua_State *L);
void tpp_lua_open_bench(lua_State *L);
void tpp_lua_open_csv(lua_State *L);
void tpp_lua_open_out(lua_State *L);
void tpp_lua_open_screen(lua_State *L);

/* luaL_error with C's printf formats (%lld, %g), which lua_pushfstring lacks. */
int tpp_lua_errorf(lua_State *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* An integer as a Lua integer on 5.3+, a number on 5.1/LuaJIT. */
void tpp_lua_pushint(lua_State *L, int64_t v);

/* The tensor userdata ("tpp.tensor"): one reference to a tpp_tensor. */
#define TPP_TENSOR_MT "tpp.tensor"
tpp_tensor *tpp_lua_checktensor(lua_State *L, int idx, const char *fname);
/* Push a userdata that takes over the reference t. */
void tpp_lua_pushtensor(lua_State *L, tpp_tensor *t);

/* The batch ("frame") userdata, shared with the glue files that compute on it. */
#define TPP_FRAME_MT "tpp.batch"
enum { TPP_FRAME_MAX_COLS = 256, TPP_FRAME_NAME = 32 };
enum { TPP_COL_F64 = 0, TPP_COL_I8 = 1 };

typedef struct tpp_frame_col {
  char name[TPP_FRAME_NAME];
  int dtype;
  void *data;
} tpp_frame_col;

typedef struct tpp_frame {
  int64_t n;
  int ncols;
  tpp_frame_col cols[TPP_FRAME_MAX_COLS];
} tpp_frame;

tpp_frame *tpp_lua_checkframe(lua_State *L, int idx);
/* Column by name, or NULL when the batch has none. */
tpp_frame_col *tpp_frame_find(tpp_frame *f, const char *name);
/* Column by name, allocated (filled with NaN / -1) when missing; raises on
 * allocation failure or when the column exists with another dtype. */
tpp_frame_col *tpp_frame_ensure(lua_State *L, tpp_frame *f, const char *name,
                                int dtype);

#endif
