/*
 * out_glue.c - csrc/out.c and csrc/classify.c for Lua:
 *
 *   core.chip_rule_inputs(batch)          derived rule inputs (fp64, hbm, memory_item,
 *                                          first_marketed) over the whole batch
 *   core.rule_missing(prog, batch, names, prefix[, n])
 *                                          -> { not_controlled, controlled, undetermined, near }
 *                                          counts over rows 1..n; writes <prefix>missing
 *   local o, msg = core.writer_open(path[, avoid])   "-" = stdout; nil, msg when it cannot be made
 *   o:write(s); o:rows(batch, reader, n, parts[, threads]); o:commit() -> true | nil, msg
 *   o:close(); o:bytes()
 *
 * parts: { kind = "const", text } | { kind = "select", column, offset, choices }
 *   | { kind = "flag", column, choices = { no, yes } } | { kind = "number", column, null }
 *   | { kind = "text", slot, quote = "json"|"csv"|"none", prefix } | { kind = "row" }
 *   | { kind = "mask", column, names, order (0-based bits), sep }
 */
#include "glue.h"

#include <stdlib.h>
#include <string.h>

#define TPP_OUT_MT "tpp.writer"
#define TPP_CSV_MT "tpp.csv"

typedef struct out_ud {
  tpp_writer *o;
} out_ud;

static double *find_f64(tpp_frame *f, const char *name) {
  tpp_frame_col *c = tpp_frame_find(f, name);
  return c && c->dtype == TPP_COL_F64 ? (double *)c->data : NULL;
}

static int l_chip_rule_inputs(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  tpp_chip_rule_columns c;
  tpp_error err;
  memset(&c, 0, sizeof c);
  c.n = f->n;
  c.fp64_vector = find_f64(f, "fp64_vector");
  if (c.fp64_vector) c.fp64 = (double *)tpp_frame_ensure(L, f, "fp64", TPP_COL_F64)->data;
  c.hbm_from_type = find_f64(f, "hbm_from_type");
  if (c.hbm_from_type) c.hbm = (double *)tpp_frame_ensure(L, f, "hbm", TPP_COL_F64)->data;
  c.form_memory = find_f64(f, "form_memory");
  c.tpp = find_f64(f, "tpp");
  c.memory_item = (double *)tpp_frame_ensure(L, f, "memory_item", TPP_COL_F64)->data;
  c.year = find_f64(f, "year");
  if (c.year) c.first_marketed = (double *)tpp_frame_ensure(L, f, "first_marketed", TPP_COL_F64)->data;
  if (tpp_chip_rule_inputs(&c, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_rule_missing(lua_State *L) {
  tpp_rule_program *p = (tpp_rule_program *)luaL_checkudata(L, 1, "tpp.rule_program");
  tpp_frame *f = tpp_lua_checkframe(L, 2);
  const char *prefix = luaL_checkstring(L, 4);
  lua_Number n = luaL_optnumber(L, 5, (lua_Number)f->n);
  const double *cols[TPP_RULE_MAX_COLUMNS];
  char name[TPP_FRAME_NAME + 16];
  tpp_frame_col *st, *nr;
  int64_t counts[4] = {0, 0, 0, 0};
  tpp_error err;
  int i;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_argcheck(L, n >= 0 && n <= (lua_Number)f->n, 5, "row count 0..batch size expected");
  if ((int)tpp_rawlen(L, 3) != p->n_columns)
    return luaL_error(L, "tpp: rule_missing: %d column names for a program of %d columns",
                      (int)tpp_rawlen(L, 3), (int)p->n_columns);
  for (i = 0; i < p->n_columns; i++) {
    lua_rawgeti(L, 3, i + 1);
    cols[i] = lua_type(L, -1) == LUA_TSTRING ? find_f64(f, lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
  }
  snprintf(name, sizeof name, "%sstatus", prefix);
  st = tpp_frame_find(f, name);
  snprintf(name, sizeof name, "%snear", prefix);
  nr = tpp_frame_find(f, name);
  if (!st || st->dtype != TPP_COL_I8)
    return luaL_error(L, "tpp: rule_missing: no column '%sstatus' (run rule_eval first)", prefix);
  snprintf(name, sizeof name, "%smissing", prefix);
  if (tpp_rule_missing(p, cols, (int64_t)n, (const int8_t *)st->data,
                       nr && nr->dtype == TPP_COL_I8 ? (const int8_t *)nr->data : NULL,
                       (double *)tpp_frame_ensure(L, f, name, TPP_COL_F64)->data, counts, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  lua_createtable(L, 0, 4);
  tpp_lua_pushint(L, counts[0]);
  lua_setfield(L, -2, "not_controlled");
  tpp_lua_pushint(L, counts[1]);
  lua_setfield(L, -2, "controlled");
  tpp_lua_pushint(L, counts[2]);
  lua_setfield(L, -2, "undetermined");
  tpp_lua_pushint(L, counts[3]);
  lua_setfield(L, -2, "near");
  return 1;
}

static out_ud *check_out(lua_State *L, int idx) {
  out_ud *u = (out_ud *)luaL_checkudata(L, idx, TPP_OUT_MT);
  if (!u->o) luaL_error(L, "tpp: this output was closed");
  return u;
}

static int l_writer_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *avoid = luaL_optstring(L, 2, NULL);
  tpp_error err;
  tpp_writer *o = tpp_writer_open(path, avoid, &err);
  out_ud *u;
  if (!o) {
    char buf[384];
    tpp_error_format(&err, buf, sizeof buf);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    lua_pushstring(L, err.code == TPP_E_ARG ? "input" : "io");
    return 3;
  }
  u = (out_ud *)lua_newuserdata(L, sizeof *u);
  u->o = o;
  luaL_getmetatable(L, TPP_OUT_MT);
  lua_setmetatable(L, -2);
  return 1;
}

static int l_out_write(lua_State *L) {
  out_ud *u = check_out(L, 1);
  size_t len;
  const char *s = luaL_checklstring(L, 2, &len);
  tpp_error err;
  if (tpp_writer_write(u->o, s, len, &err) != TPP_OK) {
    char buf[384];
    tpp_error_format(&err, buf, sizeof buf);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int l_out_commit(lua_State *L) {
  out_ud *u = check_out(L, 1);
  tpp_error err;
  if (tpp_writer_commit(u->o, &err) != TPP_OK) {
    char buf[384];
    tpp_error_format(&err, buf, sizeof buf);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

static int l_out_close(lua_State *L) {
  out_ud *u = (out_ud *)luaL_checkudata(L, 1, TPP_OUT_MT);
  tpp_writer_close(u->o);
  u->o = NULL;
  return 0;
}

static int l_out_bytes(lua_State *L) {
  tpp_lua_pushint(L, tpp_writer_bytes(check_out(L, 1)->o));
  return 1;
}

static const char *const PART_KINDS[] = {"const", "select", "number", "text", "row", "mask", "flag", NULL};

/* A list of strings (t[key]) as a const char* array in scratch memory. */
static const char *const *string_list(lua_State *L, int t, const char *key, int32_t *n, int anchor) {
  const char **arr;
  int i, len;
  lua_getfield(L, t, key);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    *n = 0;
    return NULL;
  }
  len = (int)tpp_rawlen(L, -1);
  arr = (const char **)lua_newuserdata(L, (size_t)(len + 1) * sizeof *arr);
  for (i = 0; i < len; i++) {
    lua_rawgeti(L, -2, i + 1);
    arr[i] = lua_tostring(L, -1);
    if (!arr[i]) luaL_error(L, "tpp: out parts: %s[%d]: string expected", key, i + 1);
    lua_pop(L, 1);
  }
  /* the anchor table keeps the array alive until the call returns */
  lua_rawseti(L, anchor, (int)tpp_rawlen(L, anchor) + 1);
  lua_pop(L, 1);
  *n = len;
  return arr;
}

/* o:rows(batch, reader, n, parts[, threads]) */
static int l_out_rows(lua_State *L) {
  out_ud *u = check_out(L, 1);
  tpp_frame *f = tpp_lua_checkframe(L, 2);
  /* the CSV reader userdata holds its tpp_csv* first (csv_glue.c) */
  void *rud = lua_isnoneornil(L, 3) ? NULL : luaL_checkudata(L, 3, TPP_CSV_MT);
  const tpp_csv *reader = rud ? *(tpp_csv **)rud : NULL;
  lua_Number n = tpp_checkint(L, 4);
  int threads = (int)luaL_optinteger(L, 6, 0);
  int np, i, anchor;
  tpp_out_part *parts;
  tpp_error err;
  luaL_checktype(L, 5, LUA_TTABLE);
  luaL_argcheck(L, n >= 0 && n <= (lua_Number)f->n, 4, "row count 0..batch size expected");
  np = (int)tpp_rawlen(L, 5);
  parts = (tpp_out_part *)lua_newuserdata(L, (size_t)(np > 0 ? np : 1) * sizeof *parts);
  memset(parts, 0, (size_t)(np > 0 ? np : 1) * sizeof *parts);
  /* scratch arrays live in this table during the call */
  lua_newtable(L);
  anchor = lua_gettop(L);
  for (i = 0; i < np; i++) {
    tpp_out_part *p = &parts[i];
    int e, k;
    const char *kind, *col, *q;
    lua_rawgeti(L, 5, i + 1);
    if (!lua_istable(L, -1)) return luaL_error(L, "tpp: out parts[%d]: table expected", i + 1);
    e = lua_gettop(L);
    lua_getfield(L, e, "kind");
    kind = lua_tostring(L, -1);
    lua_pop(L, 1);
    for (k = 0; PART_KINDS[k]; k++)
      if (kind && strcmp(kind, PART_KINDS[k]) == 0) break;
    if (!PART_KINDS[k]) return luaL_error(L, "tpp: out parts[%d].kind: '%s' unknown", i + 1, kind ? kind : "nil");
    p->kind = k;
    lua_getfield(L, e, "text");
    p->text = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (!p->text) {
      lua_getfield(L, e, p->kind == TPP_PART_MASK ? "sep" : "prefix");
      p->text = lua_tostring(L, -1);
      lua_pop(L, 1);
    }
    lua_getfield(L, e, "null");
    p->null_text = lua_tostring(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, e, "offset");
    p->offset = (int32_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, e, "slot");
    p->slot = (int32_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, e, "quote");
    q = lua_tostring(L, -1);
    p->quote = !q ? TPP_QUOTE_NONE : strcmp(q, "json") == 0 ? TPP_QUOTE_JSON
                                   : strcmp(q, "csv") == 0  ? TPP_QUOTE_CSV
                                                            : TPP_QUOTE_NONE;
    lua_pop(L, 1);
    lua_getfield(L, e, "column");
    col = lua_tostring(L, -1);
    if (col) {
      tpp_frame_col *c = tpp_frame_find(f, col);
      if (!c) return luaL_error(L, "tpp: out parts[%d]: the batch has no column '%s'", i + 1, col);
      if (c->dtype == TPP_COL_I8) p->i8 = (const int8_t *)c->data;
      else p->f64 = (const double *)c->data;
    }
    lua_pop(L, 1);
    p->choices = string_list(L, e, p->kind == TPP_PART_MASK ? "names" : "choices", &p->n_choices, anchor);
    if (p->kind == TPP_PART_MASK) {
      int len, j;
      int32_t *order;
      lua_getfield(L, e, "order");
      len = lua_istable(L, -1) ? (int)tpp_rawlen(L, -1) : 0;
      if (len != p->n_choices) return luaL_error(L, "tpp: out parts[%d]: order needs one bit per name", i + 1);
      order = (int32_t *)lua_newuserdata(L, (size_t)(len + 1) * sizeof *order);
      for (j = 0; j < len; j++) {
        lua_rawgeti(L, -2, j + 1);
        order[j] = (int32_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
      }
      lua_rawseti(L, anchor, (int)tpp_rawlen(L, anchor) + 1);
      lua_pop(L, 1);
      p->order = order;
    }
    lua_pop(L, 1);
  }
  if (tpp_writer_rows(u->o, parts, np, reader, (int64_t)n, threads, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  return 0;
}

/* core.batch_i8(batch, name, n): rows 1..n of an int8 column as numbers,
 * negative codes included (batch:column drops them as "none"). */
static int l_batch_i8(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  lua_Number n = tpp_checkint(L, 3);
  tpp_frame_col *c = tpp_frame_find(f, name);
  int64_t i;
  luaL_argcheck(L, n >= 0 && n <= (lua_Number)f->n && n <= 0x7fffffff, 3, "row count 0..batch size expected");
  if (!c || c->dtype != TPP_COL_I8) return luaL_error(L, "tpp: batch_i8: no int8 column '%s'", name);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < (int64_t)n; i++) {
    lua_pushinteger(L, ((const int8_t *)c->data)[i]);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

/* core.temp_dir(prefix) -> path | nil, msg */
static int l_temp_dir(lua_State *L) {
  char buf[4096];
  tpp_error err;
  if (tpp_temp_dir(luaL_checkstring(L, 1), buf, sizeof buf, &err) != TPP_OK) {
    char msg[384];
    tpp_error_format(&err, msg, sizeof msg);
    lua_pushnil(L);
    lua_pushstring(L, msg);
    return 2;
  }
  lua_pushstring(L, buf);
  return 1;
}

static int l_children_peak_kb(lua_State *L) {
  tpp_lua_pushint(L, tpp_children_peak_kb());
  return 1;
}

static int l_format_double(lua_State *L) {
  char buf[40];
  size_t len = tpp_format_double((double)luaL_checknumber(L, 1), buf);
  lua_pushlstring(L, buf, len);
  return 1;
}

static const luaL_Reg out_methods[] = {{"write", l_out_write}, {"commit", l_out_commit},
                                       {"rows", l_out_rows},
                                       {"close", l_out_close}, {"bytes", l_out_bytes},
                                       {NULL, NULL}};

static const luaL_Reg out_funcs[] = {{"chip_rule_inputs", l_chip_rule_inputs},
                                     {"rule_missing", l_rule_missing},
                                     {"writer_open", l_writer_open},
                                     {"format_double", l_format_double},
                                     {"batch_i8", l_batch_i8},
                                     {"temp_dir", l_temp_dir},
                                     {"children_peak_kb", l_children_peak_kb},
                                     {NULL, NULL}};

void tpp_lua_open_out(lua_State *L) {
  if (luaL_newmetatable(L, TPP_OUT_MT)) {
    lua_newtable(L);
    luaL_setfuncs(L, out_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_out_close);
    lua_setfield(L, -2, "__gc");
#ifdef TPP_HAVE_CLOSE
    lua_pushcfunction(L, l_out_close);
    lua_setfield(L, -2, "__close");
#endif
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, out_funcs, 0);
}
