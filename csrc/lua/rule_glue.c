/*
 * rule_glue.c - compiled rule programs and SHA-256 for Lua:
 *   core.rule_compile(spec)                   -> program userdata ("tpp.rule_program")
 *   core.rule_eval_one(program, values)       -> detail table for one row
 *   core.rule_eval(program, batch, names, prefix[, clause_names[, threads]])
 *                                             -> int8 result columns in the batch
 *   core.random_flags(batch, name, p_true, seed[, unknown])
 *   core.sha256(string)                       -> 64 hex digits
 * The spec table is built by lua/tpp/rules/version.lua; indices are 1-based
 * there and 0-based in the C program. lua/tpp/ffi_rules.lua mirrors this file.
 */
#include "glue.h"

#include <stdio.h>
#include <string.h>

#define TPP_RULE_MT "tpp.rule_program"

static const char *const op_names[] = {">=", ">", "<=", "<", "==", NULL};
static const char *const unknown_names[] = {"undetermined", "true", "false", NULL};
static const char *const input_kinds[] = {"column", "sum", NULL};
static const char *const role_names[] = {"classify", "policy", NULL};
static const char *const note_kinds[] = {"exclude", "outcome", NULL};

/* t[key] at stack index idx as an option of names[] (default when nil). */
static int opt_name(lua_State *L, int idx, const char *key, const char *const *names,
                    int def, const char *where, int i) {
  const char *s;
  int k;
  lua_getfield(L, idx, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return def;
  }
  s = lua_tostring(L, -1);
  if (lua_type(L, -1) == LUA_TSTRING)
    for (k = 0; names[k]; k++)
      if (strcmp(s, names[k]) == 0) {
        lua_pop(L, 1);
        return k;
      }
  {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (k = 0; names[k]; k++) {
      if (k) luaL_addstring(&b, ", ");
      luaL_addchar(&b, '\'');
      luaL_addstring(&b, names[k]);
      luaL_addchar(&b, '\'');
    }
    luaL_pushresult(&b);
  }
  return luaL_error(L, "tpp: rule program: %s[%d].%s: got %s, expected one of %s", where, i,
                    key, lua_type(L, -2) == LUA_TSTRING ? s : luaL_typename(L, -2),
                    lua_tostring(L, -1));
}

/* t[key] as an integer in [lo, hi]; `base` is subtracted (1-based -> 0-based). */
static int32_t need_int(lua_State *L, int idx, const char *key, int lo, int hi, int base,
                        const char *where, int i) {
  lua_Number v;
  lua_getfield(L, idx, key);
  if (lua_type(L, -1) != LUA_TNUMBER)
    return luaL_error(L, "tpp: rule program: %s[%d].%s: number expected, got %s", where, i,
                      key, luaL_typename(L, -1));
  v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  if (v != (lua_Number)(long long)v || v < lo || v > hi) {
    if (v == (lua_Number)(long long)v && v > -1e9 && v < 1e9)
      return luaL_error(L, "tpp: rule program: %s[%d].%s: got %d, expected an integer %d..%d",
                        where, i, key, (int)v, lo, hi);
    return luaL_error(L, "tpp: rule program: %s[%d].%s: got %f, expected an integer %d..%d",
                      where, i, key, (double)v, lo, hi);
  }
  return (int32_t)(v - base);
}

/* List t[key] (at idx) pushed on the stack; returns its length. */
static int push_list(lua_State *L, int idx, const char *key, int max) {
  int n;
  lua_getfield(L, idx, key);
  if (lua_isnil(L, -1)) return 0;
  if (!lua_istable(L, -1))
    return luaL_error(L, "tpp: rule program: '%s' must be a list, got %s", key,
                      luaL_typename(L, -1));
  n = (int)tpp_rawlen(L, -1);
  if (n > max)
    return luaL_error(L, "tpp: rule program: %d %s, at most %d are supported", n, key, max);
  return n;
}

static int l_rule_compile(lua_State *L) {
  tpp_rule_program *p;
  tpp_error err;
  int i, n, list;
  luaL_checktype(L, 1, LUA_TTABLE);
  p = (tpp_rule_program *)lua_newuserdata(L, sizeof *p);
  tpp_rule_init(p);
  luaL_getmetatable(L, TPP_RULE_MT);
  lua_setmetatable(L, -2);
  p->n_columns = need_int(L, 1, "columns", 0, TPP_RULE_MAX_COLUMNS, 0, "spec", 0);
  lua_getfield(L, 1, "near");
  if (!lua_isnil(L, -1)) p->near = (double)luaL_checknumber(L, -1);
  lua_pop(L, 1);

  n = push_list(L, 1, "inputs", TPP_RULE_MAX_INPUTS);
  list = lua_gettop(L);
  for (i = 1; i <= n; i++) {
    tpp_rule_input *in = &p->inputs[i - 1];
    lua_rawgeti(L, list, i);
    luaL_argcheck(L, lua_istable(L, -1), 1, "inputs[i] must be tables");
    in->kind = opt_name(L, -1, "kind", input_kinds, TPP_RULE_INPUT_COLUMN, "inputs", i);
    in->a = need_int(L, -1, "a", 1, p->n_columns, 1, "inputs", i);
    if (in->kind == TPP_RULE_INPUT_SUM) in->b = need_int(L, -1, "b", 1, p->n_columns, 1, "inputs", i);
    lua_pop(L, 1);
  }
  p->n_inputs = n;
  lua_settop(L, 2);

  n = push_list(L, 1, "tests", TPP_RULE_MAX_TESTS);
  list = lua_gettop(L);
  for (i = 1; i <= n; i++) {
    tpp_rule_test *t = &p->tests[i - 1];
    lua_rawgeti(L, list, i);
    luaL_argcheck(L, lua_istable(L, -1), 1, "tests[i] must be tables");
    t->input = need_int(L, -1, "input", 1, p->n_inputs, 1, "tests", i);
    t->op = opt_name(L, -1, "op", op_names, -1, "tests", i);
    if (t->op < 0) return luaL_error(L, "tpp: rule program: tests[%d].op is missing", i);
    t->threshold = tpp_lua_optfield(L, -1, "threshold", "rule program: tests[i]");
    t->if_unknown = opt_name(L, -1, "if_unknown", unknown_names, TPP_IF_UNKNOWN_UNDETERMINED,
                             "tests", i);
    lua_getfield(L, -1, "no_near");
    t->no_near = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_pop(L, 1);
  }
  p->n_tests = n;
  lua_settop(L, 2);

  n = push_list(L, 1, "clauses", TPP_RULE_MAX_CLAUSES);
  list = lua_gettop(L);
  for (i = 1; i <= n; i++) {
    tpp_rule_clause *c = &p->clauses[i - 1];
    lua_rawgeti(L, list, i);
    luaL_argcheck(L, lua_istable(L, -1), 1, "clauses[i] must be tables");
    c->first_test = need_int(L, -1, "first", 1, TPP_RULE_MAX_TESTS + 1, 1, "clauses", i);
    c->n_tests = need_int(L, -1, "n", 0, TPP_RULE_MAX_TESTS, 0, "clauses", i);
    c->role = opt_name(L, -1, "role", role_names, TPP_ROLE_CLASSIFY, "clauses", i);
    c->outcome = need_int(L, -1, "outcome", 0, 127, 0, "clauses", i);
    lua_pop(L, 1);
  }
  p->n_clauses = n;
  lua_settop(L, 2);

  n = push_list(L, 1, "notes", TPP_RULE_MAX_NOTES);
  list = lua_gettop(L);
  for (i = 1; i <= n; i++) {
    tpp_rule_note *note = &p->notes[i - 1];
    int k, nt;
    lua_rawgeti(L, list, i);
    luaL_argcheck(L, lua_istable(L, -1), 1, "notes[i] must be tables");
    note->first_test = need_int(L, -1, "first", 1, TPP_RULE_MAX_TESTS + 1, 1, "notes", i);
    note->n_tests = need_int(L, -1, "n", 0, TPP_RULE_MAX_TESTS, 0, "notes", i);
    note->kind = opt_name(L, -1, "kind", note_kinds, TPP_NOTE_EXCLUDE, "notes", i);
    if (note->kind == TPP_NOTE_OUTCOME)
      note->outcome = need_int(L, -1, "outcome", 0, 127, 0, "notes", i);
    lua_getfield(L, -1, "targets");
    if (!lua_istable(L, -1))
      return luaL_error(L, "tpp: rule program: notes[%d].targets: list of clause indices expected", i);
    nt = (int)tpp_rawlen(L, -1);
    for (k = 1; k <= nt; k++) {
      lua_Number c;
      lua_rawgeti(L, -1, k);
      c = lua_tonumber(L, -1);
      if (lua_type(L, -1) != LUA_TNUMBER || c < 1 || c > p->n_clauses || c != (int)c)
        return luaL_error(L, "tpp: rule program: notes[%d].targets[%d]: clause index 1..%d expected",
                          i, k, (int)p->n_clauses);
      note->targets |= (uint64_t)1 << ((int)c - 1);
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
  }
  p->n_notes = n;
  lua_settop(L, 2);
  if (tpp_rule_check(p, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  return 1;
}

static tpp_rule_program *check_program(lua_State *L, int idx) {
  return (tpp_rule_program *)luaL_checkudata(L, idx, TPP_RULE_MT);
}

static void push_state(lua_State *L, int8_t s, const char *key) {
  lua_pushinteger(L, s);
  lua_setfield(L, -2, key);
}

/* rule_eval_one(program, values): values[1..n_columns], nil = unknown. */
static int l_rule_eval_one(lua_State *L) {
  tpp_rule_program *p = check_program(L, 1);
  double cols[TPP_RULE_MAX_COLUMNS];
  tpp_rule_detail *d;
  tpp_error err;
  int i;
  luaL_checktype(L, 2, LUA_TTABLE);
  for (i = 0; i < p->n_columns; i++) {
    lua_rawgeti(L, 2, i + 1);
    if (lua_isnil(L, -1))
      cols[i] = NAN;
    else if (lua_type(L, -1) == LUA_TNUMBER)
      cols[i] = (double)lua_tonumber(L, -1);
    else
      return luaL_error(L, "tpp: rule row: values[%d]: number expected, got %s", i + 1,
                        luaL_typename(L, -1));
    lua_pop(L, 1);
  }
  /* the detail is large; keep it in a userdata so an error cannot leak it */
  d = (tpp_rule_detail *)lua_newuserdata(L, sizeof *d);
  if (tpp_rule_eval_one(p, cols, d, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  lua_createtable(L, 0, 12);
  lua_pushinteger(L, d->status);
  lua_setfield(L, -2, "status");
  if (d->governing >= 0) {
    lua_pushinteger(L, d->governing + 1);
    lua_setfield(L, -2, "governing");
  }
  lua_pushboolean(L, d->governing_certain);
  lua_setfield(L, -2, "governing_certain");
  lua_pushinteger(L, d->outcome);
  lua_setfield(L, -2, "outcome");
  lua_pushinteger(L, d->policy >= 0 ? d->policy + 1 : d->policy);
  lua_setfield(L, -2, "policy");
  lua_pushboolean(L, d->near);
  lua_setfield(L, -2, "near");
  lua_createtable(L, p->n_inputs, 0);
  for (i = 0; i < p->n_inputs; i++) {
    tpp_lua_pushnum(L, d->input_value[i]);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "inputs");
  lua_createtable(L, p->n_tests, 0);
  for (i = 0; i < p->n_tests; i++) {
    lua_createtable(L, 0, 4);
    push_state(L, d->test_state[i], "state");
    lua_pushboolean(L, d->test_near[i]);
    lua_setfield(L, -2, "near");
    tpp_lua_pushnum(L, d->test_margin[i]);
    lua_setfield(L, -2, "margin");
    tpp_lua_pushnum(L, d->test_ratio[i]);
    lua_setfield(L, -2, "ratio");
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "tests");
  lua_createtable(L, p->n_clauses, 0);
  for (i = 0; i < p->n_clauses; i++) {
    lua_createtable(L, 0, 4);
    push_state(L, d->clause_raw[i], "raw");
    push_state(L, d->clause_state[i], "state");
    push_state(L, d->clause_outcome[i], "outcome");
    lua_pushboolean(L, d->clause_near[i]);
    lua_setfield(L, -2, "near");
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "clauses");
  lua_createtable(L, p->n_notes, 0);
  for (i = 0; i < p->n_notes; i++) {
    lua_createtable(L, 0, 2);
    push_state(L, d->note_state[i], "state");
    lua_pushboolean(L, d->note_near[i]);
    lua_setfield(L, -2, "near");
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -2, "notes");
  return 1;
}

/* rule_eval(program, batch, column_names, prefix[, clause_names[, threads]]):
 * reads the named f64 columns (a missing column is unknown for every row) and
 * writes int8 columns prefix.."status", "governing", "outcome", "policy",
 * "near", plus one per clause when clause_names is given. */
static int l_rule_eval(lua_State *L) {
  tpp_rule_program *p = check_program(L, 1);
  tpp_frame *f = tpp_lua_checkframe(L, 2);
  const char *prefix = luaL_checkstring(L, 4);
  const double *cols[TPP_RULE_MAX_COLUMNS];
  tpp_rule_outputs out;
  tpp_error err;
  char name[TPP_FRAME_NAME + 16];
  static const char *const outputs[] = {"status", "governing", "outcome", "policy", "near"};
  int8_t **slots[5];
  int i, threads;
  luaL_checktype(L, 3, LUA_TTABLE);
  threads = (int)luaL_optinteger(L, 6, 0);
  if ((int)tpp_rawlen(L, 3) != p->n_columns)
    return luaL_error(L, "tpp: rule_eval: %d column names for a program of %d columns",
                      (int)tpp_rawlen(L, 3), (int)p->n_columns);
  for (i = 0; i < p->n_columns; i++) {
    tpp_frame_col *c;
    lua_rawgeti(L, 3, i + 1);
    c = lua_type(L, -1) == LUA_TSTRING ? tpp_frame_find(f, lua_tostring(L, -1)) : NULL;
    if (c && c->dtype != TPP_COL_F64)
      return luaL_error(L, "tpp: rule_eval: batch column '%s' is not a number column",
                        lua_tostring(L, -1));
    cols[i] = c ? (const double *)c->data : NULL;
    lua_pop(L, 1);
  }
  memset(&out, 0, sizeof out);
  slots[0] = &out.status;
  slots[1] = &out.governing;
  slots[2] = &out.outcome;
  slots[3] = &out.policy;
  slots[4] = &out.near;
  for (i = 0; i < 5; i++) {
    snprintf(name, sizeof name, "%s%s", prefix, outputs[i]);
    *slots[i] = (int8_t *)tpp_frame_ensure(L, f, name, TPP_COL_I8)->data;
  }
  if (lua_istable(L, 5)) {
    int n = (int)tpp_rawlen(L, 5);
    if (n != p->n_clauses)
      return luaL_error(L, "tpp: rule_eval: %d clause column names for %d clauses", n,
                        (int)p->n_clauses);
    for (i = 0; i < n; i++) {
      lua_rawgeti(L, 5, i + 1);
      out.clause_state[i] =
          (int8_t *)tpp_frame_ensure(L, f, luaL_checkstring(L, -1), TPP_COL_I8)->data;
      lua_pop(L, 1);
    }
  }
  if (tpp_rule_eval_batch(p, cols, f->n, &out, threads, &err) != TPP_OK)
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_random_flags(lua_State *L) {
  tpp_frame *f = tpp_lua_checkframe(L, 1);
  const char *name = luaL_checkstring(L, 2);
  double p_true = (double)luaL_checknumber(L, 3);
  uint64_t seed = (uint64_t)luaL_checknumber(L, 4);
  double unknown = (double)luaL_optnumber(L, 5, 0.0);
  luaL_argcheck(L, p_true >= 0 && p_true <= 1, 3, "probability 0..1 expected");
  luaL_argcheck(L, unknown >= 0 && unknown <= 1, 5, "fraction 0..1 expected");
  tpp_random_flags((double *)tpp_frame_ensure(L, f, name, TPP_COL_F64)->data, f->n, p_true,
                   unknown, seed);
  return 0;
}

static int l_sha256(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  char hex[65];
  tpp_sha256_hex(s, len, hex);
  lua_pushstring(L, hex);
  return 1;
}

static int l_program_tostring(lua_State *L) {
  tpp_rule_program *p = check_program(L, 1);
  lua_pushfstring(L, "tpp.rule_program (%d tests, %d clauses, %d notes)", (int)p->n_tests,
                  (int)p->n_clauses, (int)p->n_notes);
  return 1;
}

static const luaL_Reg rule_funcs[] = {
    {"rule_compile", l_rule_compile},
    {"rule_eval_one", l_rule_eval_one},
    {"rule_eval", l_rule_eval},
    {"random_flags", l_random_flags},
    {"sha256", l_sha256},
    {NULL, NULL}};

void tpp_lua_open_rules(lua_State *L) {
  if (luaL_newmetatable(L, TPP_RULE_MT)) {
    lua_pushcfunction(L, l_program_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, rule_funcs, 0);
}
