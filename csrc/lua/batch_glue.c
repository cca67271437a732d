/*
 * batch_glue.c - the batch userdata ("tpp.batch"): n rows held as named
 * columns outside the Lua heap (structure of arrays), and core.spec_eval()
 * which computes every chip metric over it in one call.
 *
 * Column layout: f64[n] (NaN = unknown) or i8[n] (tpp_precision, -1 = none).
 */
#include "glue.h"

#include <stdio.h>
#include <string.h>

tpp_frame *tpp_lua_checkframe(lua_State *L, int idx) {
  tpp_frame *f = (tpp_frame *)luaL_checkudata(L, idx, TPP_FRAME_MT);
  if (f->n < 0) luaL_error(L, "tpp: this batch was freed");
  return f;
}

tpp_frame_col *tpp_frame_find(tpp_frame *f, const char *name) {
  int i;
  for (i = 0; i < f->ncols; i++)
    if (strcmp(f->cols[i].name, name) == 0) return &f->cols[i];
  return NULL;
}

tpp_frame_col *tpp_frame_ensure(lua_State *L, tpp_frame *f, const char *name,
                                int dtype) {
  tpp_frame_col *c = tpp_frame_find(f, name);
  size_t width = dtype == TPP_COL_I8 ? 1 : sizeof(double);
  if (c) {
    if (c->dtype != dtype)
      luaL_error(L, "tpp: batch column '%s' holds %s, not %s", name,
                 c->dtype == TPP_COL_I8 ? "int8" : "double",
                 dtype == TPP_COL_I8 ? "int8" : "double");
    return c;
  }
  if (strlen(name) >= TPP_FRAME_NAME)
    luaL_error(L, "tpp: batch column name '%s' is longer than %d characters", name,
               TPP_FRAME_NAME - 1);
  if (f->ncols >= TPP_FRAME_MAX_COLS)
    luaL_error(L, "tpp: a batch holds at most %d columns", TPP_FRAME_MAX_COLS);
  c = &f->cols[f->ncols];
  c->data = f->n > 0 ? tpp_alloc((size_t)f->n * width) : NULL;
  if (f->n > 0 && !c->data)
    luaL_error(L, "tpp: out of memory allocating batch column '%s' (%lld rows)",
               name, (long long)f->n);
  snprintf(c->name, sizeof c->name, "%s", name);
  c->dtype = dtype;
  f->ncols++;
  if (dtype == TPP_COL_I8)
    memset(c->data, 0xff, (size_t)f->n); /* -1 = none */
  else
    tpp_fill_f64((double *)c->data, f->n, NAN);
  return c;
}

static int col_dtype_for(const char *name) {
  return strcmp(name, "tpp_precision") == 0 ? TPP_COL_I8 : TPP_COL_F64;
}

static int64_t check_row(lua_State *L, tpp_frame *f, int arg) {
  lua_Number i = tpp_checkint(L, arg);
  if (i < 1 || i > (lua_Number)f->n)
    luaL_argerror(L, arg, lua_pushfstring(L, "row 1..%d expected", (int)f->n));
  return (int64_t)i - 1;
}

static int l_batch_new(lua_State *L) {
  lua_Number n = tpp_checkint(L, 1);
  tpp_frame *f;
  luaL_argcheck(L, n >= 0 && n <= 4e9, 1, "row count 0..4e9 expected");
  f = (tpp_frame *)lua_newuserdata(L, sizeof(tpp_frame));
  f->n = (int64_t)n;
  f->ncols = 0;
  luaL_getmetatable(L, TPP_FRAME_MT);
  lua_setmetatable(L, -2);
  return 1;
}

static int l_batch_free(lua_State *L) {
  tpp_frame *f = (tpp_frame *)luaL_checkudata(L, 1, TPP_FRAME_MT);
  int i;
  for (i = 0; i < f->ncols; i++) {
    tpp_free(f->cols[i].data);
    f->cols[i].data = NULL;
  }
  f->ncols = 0;
  f->n = -1;
  return 0;
}

static int l_batch_size(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  lua_pushnumber(L, (lua_Number)f->n);
  return 1;
}

static int l_batch_set(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  int64_t i = check_row(L, f, 3);
  tpp_frame_col *c = tpp_frame_ensure(L, f, name, col_dtype_for(name));
  if (c->dtype == TPP_COL_I8) {
    ((int8_t *)c->data)[i] = (int8_t)(lua_isnil(L, 4) ? -1 : tpp_checkint(L, 4));
  } else {
    ((double *)c->data)[i] = lua_isnoneornil(L, 4) ? NAN : (double)luaL_checknumber(L, 4);
  }
  return 0;
}

static int l_batch_get(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  int64_t i = check_row(L, f, 3);
  tpp_frame_col *c = tpp_frame_find(f, name);
  if (!c) {
    lua_pushnil(L);
  } else if (c->dtype == TPP_COL_I8) {
    int8_t v = ((int8_t *)c->data)[i];
    if (v < 0)
      lua_pushnil(L);
    else
      lua_pushinteger(L, v);
  } else {
    tpp_lua_pushnum(L, ((double *)c->data)[i]);
  }
  return 1;
}

/* batch:set_column(name, values): values[1..n], nil = unknown. */
static int l_batch_set_column(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  tpp_frame_col *c;
  int64_t i;
  luaL_checktype(L, 3, LUA_TTABLE);
  c = tpp_frame_ensure(L, f, name, col_dtype_for(name));
  for (i = 0; i < f->n; i++) {
    lua_rawgeti(L, 3, (int)(i + 1));
    if (c->dtype == TPP_COL_I8) {
      ((int8_t *)c->data)[i] = (int8_t)(lua_isnil(L, -1) ? -1 : lua_tointeger(L, -1));
    } else if (lua_isnil(L, -1)) {
      ((double *)c->data)[i] = NAN;
    } else if (lua_type(L, -1) == LUA_TNUMBER) {
      ((double *)c->data)[i] = (double)lua_tonumber(L, -1);
    } else {
      return luaL_error(L, "tpp: %s[%d]: number expected, got %s", name, (int)(i + 1),
                        luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  return 0;
}

static int l_batch_column(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  tpp_frame_col *c = tpp_frame_find(f, name);
  int64_t i;
  if (!c) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, f->n < 0x7fffffff ? (int)f->n : 0, 0);
  for (i = 0; i < f->n; i++) {
    if (c->dtype == TPP_COL_I8) {
      int8_t v = ((int8_t *)c->data)[i];
      if (v < 0) continue;
      lua_pushinteger(L, v);
    } else {
      double v = ((double *)c->data)[i];
      if (isnan(v)) continue;
      lua_pushnumber(L, v);
    }
    lua_rawseti(L, -2, (int)(i + 1));
  }
  return 1;
}

static int l_batch_has(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  lua_pushboolean(L, tpp_frame_find(f, luaL_checkstring(L, 2)) != NULL);
  return 1;
}

static int l_batch_names(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  int i;
  lua_createtable(L, f->ncols, 0);
  for (i = 0; i < f->ncols; i++) {
    lua_pushstring(L, f->cols[i].name);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

/* batch:fill(name, value): every row; nil = unknown. */
static int l_batch_fill(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  tpp_frame_col *c = tpp_frame_ensure(L, f, name, col_dtype_for(name));
  if (c->dtype == TPP_COL_I8)
    memset(c->data, lua_isnoneornil(L, 3) ? 0xff : (int)tpp_checkint(L, 3), (size_t)f->n);
  else
    tpp_fill_f64((double *)c->data, f->n,
                 lua_isnoneornil(L, 3) ? NAN : (double)luaL_checknumber(L, 3));
  return 0;
}

/* batch:randomize(name, lo, hi, seed[, unknown_fraction]): log-uniform values
 * in [lo, hi) from a xorshift64* stream, a fraction of rows left unknown. For
 * benchmarks and property tests: the same seed gives the same column. */
static int l_batch_randomize(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  double lo = (double)luaL_checknumber(L, 3), hi = (double)luaL_checknumber(L, 4);
  uint64_t seed = (uint64_t)luaL_checknumber(L, 5);
  double unknown = (double)luaL_optnumber(L, 6, 0.0);
  luaL_argcheck(L, lo > 0 && hi > lo, 3, "0 < lo < hi expected");
  luaL_argcheck(L, unknown >= 0 && unknown <= 1, 6, "fraction 0..1 expected");
  tpp_random_loguniform((double *)tpp_frame_ensure(L, f, name, TPP_COL_F64)->data, f->n, lo, hi,
                        unknown, seed);
  return 0;
}

/* core.spec_eval(batch[, tf32_bits[, threads[, outputs]]]): reads the columns fp64 ..
 * int4, area_mm2, mem_bw_gbs, mem_area_mm2; writes tpp, tpp_precision, pd,
 * pp, mbd, h100e_tpp, h100e_8bit, h100e_fp16. */
static int l_spec_eval(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  tpp_spec_options opt;
  tpp_spec_columns in;
  tpp_metric_columns out;
  tpp_error err;
  tpp_frame_col *c;
  lua_Number threads = luaL_optnumber(L, 3, 0);
  int p;
  tpp_spec_options_init(&opt);
  opt.tf32_bits = (int)luaL_optinteger(L, 2, TPP_TF32_EXCLUDED);
  memset(&in, 0, sizeof in);
  in.n = f->n;
  for (p = 0; p < TPP_PREC_COUNT; p++) {
    c = tpp_frame_find(f, tpp_precision_name(p));
    in.dense[p] = c && c->dtype == TPP_COL_F64 ? (const double *)c->data : NULL;
  }
  c = tpp_frame_find(f, "area_mm2");
  in.area_mm2 = c ? (const double *)c->data : NULL;
  c = tpp_frame_find(f, "mem_bw_gbs");
  in.mem_bw_gbs = c ? (const double *)c->data : NULL;
  c = tpp_frame_find(f, "mem_area_mm2");
  in.mem_area_mm2 = c ? (const double *)c->data : NULL;
  memset(&out, 0, sizeof out);
  if (lua_isnoneornil(L, 4)) {
    out.tpp = (double *)tpp_frame_ensure(L, f, "tpp", TPP_COL_F64)->data;
    out.tpp_precision = (int8_t *)tpp_frame_ensure(L, f, "tpp_precision", TPP_COL_I8)->data;
    out.pd = (double *)tpp_frame_ensure(L, f, "pd", TPP_COL_F64)->data;
    out.pp = (double *)tpp_frame_ensure(L, f, "pp", TPP_COL_F64)->data;
    out.mbd = (double *)tpp_frame_ensure(L, f, "mbd", TPP_COL_F64)->data;
    out.h100e_tpp = (double *)tpp_frame_ensure(L, f, "h100e_tpp", TPP_COL_F64)->data;
    out.h100e_8bit = (double *)tpp_frame_ensure(L, f, "h100e_8bit", TPP_COL_F64)->data;
    out.h100e_fp16 = (double *)tpp_frame_ensure(L, f, "h100e_fp16", TPP_COL_F64)->data;
  } else {
    /* only the outputs asked for, e.g. {"tpp", "pd"} */
    int i, n;
    luaL_checktype(L, 4, LUA_TTABLE);
    n = (int)tpp_rawlen(L, 4);
    for (i = 1; i <= n; i++) {
      const char *name;
      lua_rawgeti(L, 4, i);
      name = lua_tostring(L, -1);
      if (!name) return luaL_error(L, "tpp: outputs[%d]: string expected", i);
      if (strcmp(name, "tpp_precision") == 0)
        out.tpp_precision = (int8_t *)tpp_frame_ensure(L, f, name, TPP_COL_I8)->data;
      else {
        double **slot = strcmp(name, "tpp") == 0          ? &out.tpp
                        : strcmp(name, "pd") == 0         ? &out.pd
                        : strcmp(name, "pp") == 0         ? &out.pp
                        : strcmp(name, "mbd") == 0        ? &out.mbd
                        : strcmp(name, "h100e_tpp") == 0  ? &out.h100e_tpp
                        : strcmp(name, "h100e_8bit") == 0 ? &out.h100e_8bit
                        : strcmp(name, "h100e_fp16") == 0 ? &out.h100e_fp16
                                                          : NULL;
        if (!slot)
          return luaL_error(L, "tpp: outputs[%d]: '%s' is not an output; expected tpp, "
                               "tpp_precision, pd, pp, mbd, h100e_tpp, h100e_8bit or h100e_fp16", i, name);
        *slot = (double *)tpp_frame_ensure(L, f, name, TPP_COL_F64)->data;
      }
      lua_pop(L, 1);
    }
  }
  if (tpp_spec_eval_batch(&in, &opt, &out, (int)threads, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  return 0;
}

static const luaL_Reg batch_methods[] = {
    {"size", l_batch_size},
    {"set", l_batch_set},
    {"get", l_batch_get},
    {"set_column", l_batch_set_column},
    {"column", l_batch_column},
    {"has", l_batch_has},
    {"names", l_batch_names},
    {"fill", l_batch_fill},
    {"randomize", l_batch_randomize},
    {"free", l_batch_free},
    {NULL, NULL}};

static int l_batch_tostring(lua_State *L) {
  tpp_frame *f = (tpp_frame *)luaL_checkudata(L, 1, TPP_FRAME_MT);
  if (f->n < 0)
    lua_pushliteral(L, "tpp.batch (freed)");
  else
    lua_pushfstring(L, "tpp.batch (%d rows, %d columns)", (int)f->n, f->ncols);
  return 1;
}

static const luaL_Reg batch_funcs[] = {
    {"batch_new", l_batch_new},
    {"spec_eval", l_spec_eval},
    {NULL, NULL}};

void tpp_lua_open_batch(lua_State *L) {
  if (luaL_newmetatable(L, TPP_FRAME_MT)) {
    lua_newtable(L);
    luaL_setfuncs(L, batch_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_batch_free);
    lua_setfield(L, -2, "__gc");
#ifdef TPP_HAVE_CLOSE
    lua_pushcfunction(L, l_batch_free);
    lua_setfield(L, -2, "__close");
#endif
    lua_pushcfunction(L, l_batch_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushcfunction(L, l_batch_size);
    lua_setfield(L, -2, "__len");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, batch_funcs, 0);
}
