/*
 * csv_glue.c - the strict CSV reader (csrc/csv.c) as a userdata "tpp.csv".
 *
 *   local r, msg = core.csv_open(path)            -- "-" = stdin; nil, msg when unreadable
 *   local r = core.csv_open_string(text)
 *   local names, line = r:header()                -- or nil, issue
 *   local n, issues, fatal = r:read(batch, plan, max_rows, max_issues)
 *   r:texts(slot, n), r:rows(n), r:at_end(), r:rows_seen(), r:close()
 *   core.parse_number(s[, thousands]) -> number | nil, "format" | "range"
 *
 * A plan is a list, one entry per header field (false = skip):
 *   { kind = "number"|"flag"|"date"|"text"|"enum"|"skip", column = NAME, column2 = NAME,
 *     required, integer, thousands, min_exclusive = bool, min, max = number,
 *     choices = "a|b", slot = 0..4095 }
 * Columns are f64 batch columns (created when missing); the batch needs at
 * least max_rows rows. An issue is { code, row, line, field (1-based or nil),
 * n_fields, value, text }.
 */
#include "glue.h"

#include <stdlib.h>
#include <string.h>

#define TPP_CSV_MT "tpp.csv"

typedef struct csv_ud {
  tpp_csv *r;
} csv_ud;

static const char *const KIND_NAMES[] = {"skip", "number", "flag", "date", "text", "enum", NULL};

static const char *const ISSUE_NAMES[] = {
    "ok",       "number",   "range",  "integer", "required", "flag",  "date",  "enum",
    "fields",   "quote",    "unclosed", "utf8",  "too_long", "utf16", "empty", NULL};

static csv_ud *check_csv(lua_State *L, int idx) {
  csv_ud *u = (csv_ud *)luaL_checkudata(L, idx, TPP_CSV_MT);
  if (!u->r) luaL_error(L, "tpp: this CSV reader was closed");
  return u;
}

static void push_reader(lua_State *L, tpp_csv *r) {
  csv_ud *u = (csv_ud *)lua_newuserdata(L, sizeof *u);
  u->r = r;
  luaL_getmetatable(L, TPP_CSV_MT);
  lua_setmetatable(L, -2);
}

static int l_csv_open(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  tpp_error err;
  tpp_csv *r = tpp_csv_open(path, &err);
  if (!r) {
    char buf[384];
    tpp_error_format(&err, buf, sizeof buf);
    lua_pushnil(L);
    lua_pushstring(L, buf);
    return 2;
  }
  push_reader(L, r);
  return 1;
}

static int l_csv_open_string(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  tpp_error err;
  tpp_csv *r = tpp_csv_open_bytes((const uint8_t *)s, len, &err);
  if (!r) return tpp_lua_raise(L, &err);
  push_reader(L, r);
  return 1;
}

static int l_csv_open_stdin(lua_State *L) {
  size_t len;
  const char *s = luaL_optlstring(L, 1, "", &len);
  tpp_error err;
  tpp_csv *r = tpp_csv_open_stdin((const uint8_t *)s, len, &err);
  if (!r) return tpp_lua_raise(L, &err);
  push_reader(L, r);
  return 1;
}

static int l_csv_close(lua_State *L) {
  csv_ud *u = (csv_ud *)luaL_checkudata(L, 1, TPP_CSV_MT);
  tpp_csv_close(u->r);
  u->r = NULL;
  return 0;
}

static void push_issue(lua_State *L, const tpp_csv_issue *is) {
  lua_createtable(L, 0, 7);
  lua_pushstring(L, is->code >= 0 && is->code <= TPP_CSV_E_EMPTY ? ISSUE_NAMES[is->code] : "io");
  lua_setfield(L, -2, "code");
  tpp_lua_pushint(L, is->row);
  lua_setfield(L, -2, "row");
  tpp_lua_pushint(L, is->line);
  lua_setfield(L, -2, "line");
  if (is->field >= 0) {
    tpp_lua_pushint(L, (int64_t)is->field + 1);
    lua_setfield(L, -2, "field");
  }
  if (is->code == TPP_CSV_E_FIELDS) {
    tpp_lua_pushint(L, is->n_fields);
    lua_setfield(L, -2, "n_fields");
  }
  if (is->value == is->value) {
    lua_pushnumber(L, (lua_Number)is->value);
    lua_setfield(L, -2, "value");
  }
  lua_pushstring(L, is->text);
  lua_setfield(L, -2, "text");
}

static const char *fatal_name(int st) {
  return st == TPP_E_IO ? "io" : st == TPP_E_NOMEM ? "memory" : "format";
}

static int l_csv_header(lua_State *L) {
  csv_ud *u = check_csv(L, 1);
  tpp_csv_issue issue;
  tpp_error err;
  int32_t n = 0, i;
  int st = tpp_csv_header(u->r, &n, &issue, &err);
  if (st == TPP_E_ARG) return tpp_lua_raise(L, &err);
  if (st != TPP_OK) {
    lua_pushnil(L);
    push_issue(L, &issue);
    lua_pushstring(L, fatal_name(st));
    return 3;
  }
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, tpp_csv_field_name(u->r, i));
    lua_rawseti(L, -2, i + 1);
  }
  tpp_lua_pushint(L, tpp_csv_header_line(u->r));
  return 2;
}

static int flag_field(lua_State *L, int idx, const char *key) {
  int v;
  lua_getfield(L, idx, key);
  v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

static double num_field(lua_State *L, int idx, const char *key) {
  double v = NAN;
  lua_getfield(L, idx, key);
  if (lua_type(L, -1) == LUA_TNUMBER) v = (double)lua_tonumber(L, -1);
  else if (!lua_isnil(L, -1)) luaL_error(L, "tpp: csv plan: %s: number expected", key);
  lua_pop(L, 1);
  return v;
}

/* r:read(batch, plan, max_rows, max_issues) */
static int l_csv_read(lua_State *L) {
  csv_ud *u = check_csv(L, 1);
  tpp_frame *f = tpp_lua_checkframe(L, 2);
  lua_Number max_rows = tpp_checkint(L, 4);
  lua_Number max_issues = luaL_optnumber(L, 5, 1);
  int32_t nf = 0, i, n_issues = 0;
  int64_t n_rows = 0;
  tpp_csv_column *plan;
  tpp_csv_issue *issues;
  tpp_error err;
  int st;
  luaL_checktype(L, 3, LUA_TTABLE);
  luaL_argcheck(L, max_rows >= 0 && max_rows <= (lua_Number)f->n, 4,
                "row count 0..batch size expected");
  luaL_argcheck(L, max_issues >= 1 && max_issues <= 100000, 5, "issue count 1..100000 expected");
  while (tpp_csv_field_name(u->r, nf)) nf++;
  if (nf == 0) return luaL_error(L, "tpp: csv read: read the header first");
  if ((int32_t)tpp_rawlen(L, 3) > nf)
    return luaL_error(L, "tpp: csv plan: %d entries for %d header fields", (int)tpp_rawlen(L, 3),
                      (int)nf);
  /* scratch memory as userdata: collected even when an error is raised below */
  plan = (tpp_csv_column *)lua_newuserdata(L, (size_t)nf * sizeof *plan);
  memset(plan, 0, (size_t)nf * sizeof *plan);
  issues = (tpp_csv_issue *)lua_newuserdata(L, (size_t)max_issues * sizeof *issues);
  for (i = 0; i < nf; i++) {
    tpp_csv_column *c = &plan[i];
    c->text_slot = -1;
    c->min = c->max = NAN;
    lua_rawgeti(L, 3, i + 1);
    if (lua_istable(L, -1)) {
      int e = lua_gettop(L);
      const char *kind, *col;
      int k;
      lua_getfield(L, e, "kind");
      kind = lua_tostring(L, -1);
      lua_pop(L, 1);
      for (k = 0; KIND_NAMES[k]; k++)
        if (kind && strcmp(kind, KIND_NAMES[k]) == 0) break;
      if (!KIND_NAMES[k])
        return luaL_error(L, "tpp: csv plan[%d].kind: '%s' unknown", (int)i + 1, kind ? kind : "nil");
      c->kind = k;
      c->required = flag_field(L, e, "required");
      c->integer = flag_field(L, e, "integer");
      c->thousands = flag_field(L, e, "thousands");
      c->min_exclusive = flag_field(L, e, "min_exclusive");
      c->min = num_field(L, e, "min");
      c->max = num_field(L, e, "max");
      lua_getfield(L, e, "choices");
      c->choices = lua_tostring(L, -1); /* anchored by the plan table */
      lua_pop(L, 1);
      lua_getfield(L, e, "slot");
      c->text_slot = lua_isnumber(L, -1) ? (int32_t)lua_tointeger(L, -1) : -1;
      lua_pop(L, 1);
      lua_getfield(L, e, "column");
      col = lua_tostring(L, -1);
      if (col) c->out = (double *)tpp_frame_ensure(L, f, col, TPP_COL_F64)->data;
      lua_pop(L, 1);
      lua_getfield(L, e, "column2");
      col = lua_tostring(L, -1);
      if (col) c->out2 = (double *)tpp_frame_ensure(L, f, col, TPP_COL_F64)->data;
      lua_pop(L, 1);
    } else if (!lua_isnil(L, -1) && !(lua_isboolean(L, -1) && !lua_toboolean(L, -1))) {
      return luaL_error(L, "tpp: csv plan[%d]: table or false expected", (int)i + 1);
    }
    lua_pop(L, 1);
  }
  st = tpp_csv_read(u->r, plan, (int64_t)max_rows, &n_rows, issues, (int32_t)max_issues, &n_issues,
                    &err);
  if (st == TPP_E_ARG) return tpp_lua_raise(L, &err);
  tpp_lua_pushint(L, n_rows);
  lua_createtable(L, n_issues, 0);
  for (i = 0; i < n_issues; i++) {
    push_issue(L, &issues[i]);
    lua_rawseti(L, -2, i + 1);
  }
  if (st == TPP_OK)
    lua_pushnil(L);
  else
    lua_pushstring(L, fatal_name(st));
  return 3;
}

static int l_csv_texts(lua_State *L) {
  csv_ud *u = check_csv(L, 1);
  int32_t slot = (int32_t)tpp_checkint(L, 2);
  int64_t n = (int64_t)tpp_checkint(L, 3), i;
  luaL_argcheck(L, n >= 0 && n <= 0x7fffffff, 3, "row count expected");
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    size_t len;
    const char *s = tpp_csv_text(u->r, slot, i, &len);
    if (!s) return luaL_error(L, "tpp: csv texts: slot %d row %d not read", (int)slot, (int)i + 1);
    lua_pushlstring(L, s, len);
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 1;
}

static int l_csv_rows(lua_State *L) {
  csv_ud *u = check_csv(L, 1);
  int64_t n = (int64_t)tpp_checkint(L, 2), i;
  luaL_argcheck(L, n >= 0 && n <= 0x7fffffff, 2, "row count expected");
  lua_createtable(L, (int)n, 0);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    tpp_lua_pushint(L, tpp_csv_row_number(u->r, i));
    lua_rawseti(L, -3, (int)i + 1);
    tpp_lua_pushint(L, tpp_csv_row_line(u->r, i));
    lua_rawseti(L, -2, (int)i + 1);
  }
  return 2;
}

static int l_csv_at_end(lua_State *L) {
  lua_pushboolean(L, tpp_csv_at_end(check_csv(L, 1)->r));
  return 1;
}

static int l_csv_rows_seen(lua_State *L) {
  tpp_lua_pushint(L, tpp_csv_rows_seen(check_csv(L, 1)->r));
  return 1;
}

static int l_parse_number(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  double v;
  int st = tpp_parse_number(s, len, lua_toboolean(L, 2), &v);
  if (st == TPP_OK) {
    lua_pushnumber(L, (lua_Number)v);
    return 1;
  }
  lua_pushnil(L);
  lua_pushstring(L, st == TPP_E_ARG ? "range" : "format");
  return 2;
}

static const luaL_Reg csv_methods[] = {
    {"header", l_csv_header},   {"read", l_csv_read},         {"texts", l_csv_texts},
    {"rows", l_csv_rows},       {"at_end", l_csv_at_end},     {"rows_seen", l_csv_rows_seen},
    {"close", l_csv_close},     {NULL, NULL}};

static const luaL_Reg csv_funcs[] = {{"csv_open", l_csv_open},
                                     {"csv_open_string", l_csv_open_string},
                                     {"csv_open_stdin", l_csv_open_stdin},
                                     {"parse_number", l_parse_number},
                                     {NULL, NULL}};

void tpp_lua_open_csv(lua_State *L) {
  if (luaL_newmetatable(L, TPP_CSV_MT)) {
    lua_newtable(L);
    luaL_setfuncs(L, csv_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_csv_close);
    lua_setfield(L, -2, "__gc");
#ifdef TPP_HAVE_CLOSE
    lua_pushcfunction(L, l_csv_close);
    lua_setfield(L, -2, "__close");
#endif
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, csv_funcs, 0);
}
