/*
 * screen_glue.c - Lua bindings of the screening batch (csrc/screen.c):
 *   core.screen_table(spec) -> userdata holding a tpp_screen_table
 *     spec = { seg_start = {...}, n_chips, n_dests, n_hqs, n_dclasses, n_hclasses,
 *              dest_class = {...}, hq_class = {...}, decision = {...}, review = {...},
 *              regimes = {...} }    (flat lists in the row-major shapes of tpp.h)
 *   core.screen_eval(table, batch, threads)
 *     reads batch columns chip, dest, hq (optional), date; writes int8 decision and
 *     review and the number column regimes.
 */
#include "glue.h"

#include <string.h>

#define TPP_SCREEN_MT "tpp.screen_table"

typedef struct screen_ud {
  tpp_screen_table *t;
} screen_ud;

static int l_table_gc(lua_State *L) {
  screen_ud *u = (screen_ud *)luaL_checkudata(L, 1, TPP_SCREEN_MT);
  tpp_screen_table_free(u->t);
  u->t = NULL;
  return 0;
}

static int l_table_tostring(lua_State *L) {
  screen_ud *u = (screen_ud *)luaL_checkudata(L, 1, TPP_SCREEN_MT);
  if (!u->t) {
    lua_pushliteral(L, "tpp.screen_table (freed)");
  } else {
    lua_pushfstring(L, "tpp.screen_table (%d segments, %d chips, %d destinations)", (int)u->t->n_segments,
                    (int)u->t->n_chips, (int)u->t->n_dests);
  }
  return 1;
}

static int32_t int_field(lua_State *L, const char *key, int32_t lo) {
  lua_Number v;
  lua_getfield(L, 1, key);
  if (lua_type(L, -1) != LUA_TNUMBER)
    return (int32_t)tpp_lua_errorf(L, "tpp: screen_table: %s: number expected", key);
  v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  if (v != (lua_Number)(int32_t)v || v < lo)
    return (int32_t)tpp_lua_errorf(L, "tpp: screen_table: %s: integer >= %d expected, got %g", key, (int)lo,
                                   (double)v);
  return (int32_t)v;
}

/* Copy the flat list spec[key] of `count` numbers into dst through put(). */
static void fill_list(lua_State *L, const char *key, size_t count, void (*put)(void *, size_t, double),
                      void *dst) {
  size_t i;
  lua_getfield(L, 1, key);
  if (!lua_istable(L, -1)) {
    tpp_lua_errorf(L, "tpp: screen_table: %s: list expected", key);
    return;
  }
  if ((size_t)tpp_rawlen(L, -1) != count) {
    tpp_lua_errorf(L, "tpp: screen_table: %s: %.0f entries, expected %.0f", key,
                   (double)tpp_rawlen(L, -1), (double)count);
    return;
  }
  for (i = 0; i < count; i++) {
    lua_rawgeti(L, -1, (int)(i + 1));
    if (lua_type(L, -1) != LUA_TNUMBER) {
      tpp_lua_errorf(L, "tpp: screen_table: %s[%.0f]: number expected", key, (double)i + 1);
      return;
    }
    put(dst, i, (double)lua_tonumber(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void put_i32(void *d, size_t i, double v) { ((int32_t *)d)[i] = (int32_t)v; }
static void put_i16(void *d, size_t i, double v) { ((int16_t *)d)[i] = (int16_t)v; }
static void put_i8(void *d, size_t i, double v) { ((int8_t *)d)[i] = (int8_t)v; }
static void put_u32(void *d, size_t i, double v) { ((uint32_t *)d)[i] = (uint32_t)v; }

static int l_screen_table(lua_State *L) {
  int32_t S, C, D, H, DC, HC;
  size_t cells;
  tpp_error err;
  screen_ud *u;
  luaL_checktype(L, 1, LUA_TTABLE);
  C = int_field(L, "n_chips", 1);
  D = int_field(L, "n_dests", 1);
  H = int_field(L, "n_hqs", 0);
  DC = int_field(L, "n_dclasses", 1);
  HC = int_field(L, "n_hclasses", 1);
  lua_getfield(L, 1, "seg_start");
  if (!lua_istable(L, -1)) return luaL_error(L, "tpp: screen_table: seg_start: list expected");
  S = (int32_t)tpp_rawlen(L, -1);
  lua_pop(L, 1);
  u = (screen_ud *)lua_newuserdata(L, sizeof *u);
  u->t = NULL;
  luaL_getmetatable(L, TPP_SCREEN_MT);
  lua_setmetatable(L, -2);
  u->t = tpp_screen_table_new(S, C, D, H, DC, HC, &err);
  if (!u->t) return tpp_lua_raise(L, &err);
  cells = (size_t)S * (size_t)C * (size_t)DC * (size_t)HC;
  fill_list(L, "seg_start", (size_t)S, put_i32, u->t->seg_start);
  fill_list(L, "dest_class", (size_t)S * (size_t)D, put_i16, u->t->dest_class);
  fill_list(L, "hq_class", (size_t)S * (size_t)(H + 1), put_i16, u->t->hq_class);
  fill_list(L, "decision", cells, put_i8, u->t->decision);
  fill_list(L, "review", cells, put_i8, u->t->review);
  fill_list(L, "regimes", cells, put_u32, u->t->regimes);
  if (tpp_screen_table_check(u->t, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  return 1;
}

static const double *number_column(lua_State *L, tpp_frame *f, const char *name, int required) {
  tpp_frame_col *c = tpp_frame_find(f, name);
  if (!c) {
    if (required) tpp_lua_errorf(L, "tpp: screen_eval: the batch has no '%s' column", name);
    return NULL;
  }
  if (c->dtype != TPP_COL_F64) tpp_lua_errorf(L, "tpp: screen_eval: batch column '%s' is not a number column", name);
  return (const double *)c->data;
}

static int l_screen_eval(lua_State *L) {
  screen_ud *u = (screen_ud *)luaL_checkudata(L, 1, TPP_SCREEN_MT);
  tpp_frame *f = tpp_lua_checkframe(L, 2);
  int threads = (int)luaL_optinteger(L, 3, 0);
  const double *chip, *dest, *hq, *date;
  int8_t *decision, *review;
  double *regimes;
  tpp_error err;
  if (!u->t) return luaL_error(L, "tpp: screen_eval: the screen table was freed");
  chip = number_column(L, f, "chip", 1);
  dest = number_column(L, f, "dest", 1);
  hq = number_column(L, f, "hq", 0);
  date = number_column(L, f, "date", 1);
  decision = (int8_t *)tpp_frame_ensure(L, f, "decision", TPP_COL_I8)->data;
  review = (int8_t *)tpp_frame_ensure(L, f, "review", TPP_COL_I8)->data;
  regimes = (double *)tpp_frame_ensure(L, f, "regimes", TPP_COL_F64)->data;
  if (tpp_screen_batch(u->t, chip, dest, hq, date, f->n, decision, review, regimes, threads, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  return 0;
}

static const luaL_Reg screen_funcs[] = {
    {"screen_table", l_screen_table},
    {"screen_eval", l_screen_eval},
    {NULL, NULL}};

void tpp_lua_open_screen(lua_State *L) {
  if (luaL_newmetatable(L, TPP_SCREEN_MT)) {
    lua_pushcfunction(L, l_table_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, l_table_gc);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, l_table_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, screen_funcs, 0);
}
