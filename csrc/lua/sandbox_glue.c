/*
 * sandbox_glue.c - a rule file's own lua_State (the rule sandbox):
 *
 *   core.sandbox_new(limits, reasons) -> sandbox ("tpp.sandbox")
 *   sb:record(declarations, items)    -- recorder functions as the file's globals
 *   sb:compile(text, chunkname)       -> the file as a function (source text only)
 *   sb:records()                      -> what the recorders saw, copied out
 *   sb:usage()                        -> { memory, memory_peak, memory_limit, steps, ... }
 *   sb:close()
 *
 * The state is created here with tpp_budget_realloc as its allocator (a hard
 * byte limit for its whole life) and a count hook charging tpp_budget_charge
 * (instructions and wall-clock time per call, and Ctrl-C). Its globals are a
 * whitelist built for it: assert, error, ipairs, next, pairs, select, tonumber,
 * tostring, type, rawequal, rawget, rawset, unpack and the libraries string
 * (byte char format len lower upper reverse sub, and rep find match gmatch gsub
 * implemented here under the budget), table (concat insert remove sort unpack)
 * and math (with its own random generator). Nothing else exists in the state:
 * no io, os, load, debug, coroutines, metatables or string.dump; on LuaJIT
 * its compiler is switched off so the hook sees every instruction.
 *
 * Nothing is shared with the host state. Values cross as copies of plain data
 * (nil, booleans, numbers, strings, tables of those), bounded in depth, count
 * and bytes. A function of the rule file crosses as a host function (a proxy)
 * that runs it in the rule file's state under the budget; a host function
 * passed in an argument becomes a callback valid for that call only.
 *
 * Every operation that can raise an error in the rule state runs inside a
 * protected call of that state, and every allocation in the host state during
 * such a call runs inside a protected call of the host state, so an error
 * never unwinds through the other state's frames.
 */
#define _GNU_SOURCE 1 /* RTLD_DEFAULT */
#include "glue.h"
#include "sandbox.h"

#include <dlfcn.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#define SANDBOX_MT "tpp.sandbox"

enum {
  HOOK_EVERY = 1000,       /* VM instructions between budget checks */
  MAX_VALUES_IN_CALL = 64, /* arguments or results of one call */
  MESSAGE_MAX = 1024,      /* longest error message taken from rule code */
  MIN_MEMORY = 256 * 1024, /* a state with its libraries needs about 40 KB */
  MAX_NESTING = 8,         /* rule code -> tpp -> rule code ... */
  PATTERN_MAX = 4096,      /* longest pattern */
  BYTES_PER_STEP = 16,     /* bytes a string function builds per charged step */
  LIVE_COLLECT_BYTES = 64 * 1024 * 1024
};

enum { MODE_SETUP, MODE_RECORDER, MODE_COMPILE, MODE_RECORDS, MODE_CALL };

typedef struct sandbox {
  tpp_budget budget;   /* first member: the allocator's ud is the sandbox */
  lua_State *S;        /* the rule file's state; NULL once closed */
  lua_State *H;        /* the host thread of the call in progress */
  int depth;           /* calls in progress (a callback may call back in) */
  int generation;      /* of the callback table; a new one per outermost call */
  int callbacks_ref;   /* host registry: { [fn] = id, [id] = fn } */
  int copyout_ref;     /* host registry: h_copyout */
  int dispatch_ref;    /* host registry: h_dispatch */
  int fns_ref;         /* rule registry: exported functions { [id] = fn, [fn] = id } */
  int log_ref;         /* rule registry: the recorder's log */
  int n_fns, n_callbacks;
  size_t string_bytes; /* longest string rep/gsub may build */
  int copy_depth;      /* nesting of copied tables */
  int copy_values;     /* values per copy */
  size_t copy_bytes;   /* string bytes per copy */
  size_t gc_mark;      /* memory held after the last full collection */
  uint64_t rng;        /* math.random's state */
} sandbox;

typedef struct copy_count {
  int values;
  size_t bytes;
} copy_count;

typedef struct call_ctx {
  sandbox *sb;
  lua_State *H;
  int mode;
  const char *text; /* MODE_COMPILE */
  size_t text_len;
  const char *chunkname;
  int fn_id;        /* MODE_CALL */
  int arg_first;    /* host stack: arguments of the call */
  int arg_n;
  int result_base;  /* rule stack: results start after this index */
  int nresults;
  int h_status;     /* status of the host-side copy-out */
  char message[MESSAGE_MAX];
} call_ctx;

static sandbox *of_state(lua_State *S) {
  void *ud = NULL;
  lua_getallocf(S, &ud);
  return (sandbox *)ud;
}

static int absindex(lua_State *L, int idx) {
  return (idx > 0 || idx <= LUA_REGISTRYINDEX) ? idx : lua_gettop(L) + idx + 1;
}

/* Run f(ud) protected in L; the error value is on top when it fails. */
static int protect(lua_State *L, lua_CFunction f, void *ud) {
#if LUA_VERSION_NUM == 501
  return lua_cpcall(L, f, ud);
#else
  lua_pushcfunction(L, f); /* a light C function: no allocation */
  lua_pushlightuserdata(L, ud);
  return lua_pcall(L, 1, 0, 0);
#endif
}

/* The message of the error value on top of L, bounded, into buf. */
static void take_message(lua_State *L, char *buf, size_t size) {
  if (lua_type(L, -1) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (len >= size) {
      memcpy(buf, s, size - 4);
      memcpy(buf + size - 4, "...", 4);
    } else {
      memcpy(buf, s, len);
      buf[len] = '\0';
    }
  } else {
    snprintf(buf, size, "(an error object of type %s, not a message)", luaL_typename(L, -1));
  }
}

/* level 1: where the C function running now was called from; level 0: the
 * Lua function running now (in the hook). */
static void raise_stop_at(lua_State *S, sandbox *sb, int why, int level) {
  char msg[256];
  tpp_budget_message(&sb->budget, why, msg, sizeof msg);
  luaL_where(S, level);
  lua_pushstring(S, msg);
  lua_concat(S, 2);
  lua_error(S);
}

static void raise_stop(lua_State *S, sandbox *sb, int why) {
  raise_stop_at(S, sb, why, 1);
}

/* Charge the work of building `bytes` bytes in a C function. */
static void charge_bytes(lua_State *S, sandbox *sb, size_t bytes) {
  int why = tpp_budget_charge(&sb->budget, (int64_t)(bytes / BYTES_PER_STEP) + 1);
  if (why != TPP_BUDGET_OK) raise_stop(S, sb, why);
}

/* ---- the budget's hook ---- */

static void count_hook(lua_State *S, lua_Debug *ar) {
  sandbox *sb = of_state(S);
  tpp_budget *b = &sb->budget;
  int why;
  (void)ar;
  /* collect early when garbage fills the budget (Lua 5.1 would rather fail
   * an allocation than collect first) */
  if (b->memory_used > b->memory_limit / 2 && b->memory_used > sb->gc_mark + b->memory_limit / 8) {
    lua_gc(S, LUA_GCCOLLECT, 0);
    sb->gc_mark = b->memory_used;
  }
  why = tpp_budget_charge(b, HOOK_EVERY);
  if (why != TPP_BUDGET_OK) raise_stop_at(S, sb, why, 0);
}

/* ---- copying values between the states ---- */

static void copy_s_to_h(sandbox *sb, lua_State *S, int sidx, lua_State *H, int ud_index);

/* Check a rule-state value before it is copied out, and give each function
 * in it an id (so the copy can make proxies). Runs protected in S. */
static void prepare_s(sandbox *sb, lua_State *S, int idx, int depth, copy_count *cc,
                      int functions_allowed) {
  int t = lua_type(S, idx);
  idx = absindex(S, idx);
  if (++cc->values > sb->copy_values)
    luaL_error(S, "rule code's data has more than %d values (the sandbox's copy limit)",
               sb->copy_values);
  switch (t) {
  case LUA_TNIL:
  case LUA_TBOOLEAN:
  case LUA_TNUMBER:
    return;
  case LUA_TSTRING: {
    size_t len;
    lua_tolstring(S, idx, &len);
    cc->bytes += len;
    if (cc->bytes > sb->copy_bytes)
      luaL_error(S, "rule code's data holds more than %d bytes of text (the sandbox's copy limit)",
                 (int)sb->copy_bytes);
    return;
  }
  case LUA_TTABLE:
    if (depth >= sb->copy_depth)
      luaL_error(S, "rule code's data is nested more than %d tables deep (a cycle?)", sb->copy_depth);
    luaL_checkstack(S, 4, "copying rule data");
    lua_pushnil(S);
    while (lua_next(S, idx)) {
      int kt = lua_type(S, -2);
      if (kt != LUA_TSTRING && kt != LUA_TNUMBER && kt != LUA_TBOOLEAN)
        luaL_error(S, "rule code's data has a table key of type %s; keys are strings, numbers or "
                      "booleans", lua_typename(S, kt));
      prepare_s(sb, S, -2, depth + 1, cc, functions_allowed);
      prepare_s(sb, S, -1, depth + 1, cc, functions_allowed);
      lua_pop(S, 1);
    }
    return;
  case LUA_TFUNCTION:
    if (!functions_allowed) luaL_error(S, "rule code cannot pass a function to tpp here");
    lua_rawgeti(S, LUA_REGISTRYINDEX, sb->fns_ref);
    lua_pushvalue(S, idx);
    lua_rawget(S, -2);
    if (lua_isnil(S, -1)) {
      int id = ++sb->n_fns;
      lua_pushvalue(S, idx);
      lua_pushnumber(S, (lua_Number)id);
      lua_rawset(S, -4);
      lua_pushvalue(S, idx);
      lua_rawseti(S, -3, id);
    }
    lua_pop(S, 2);
    return;
  default:
    luaL_error(S, "rule code cannot pass a %s to tpp", lua_typename(S, t));
  }
}

static int l_proxy(lua_State *H);

/* Build in H the copy of a prepared rule-state value. Runs protected in H;
 * reads of S never raise (no conversion, no allocation, stack reserved). */
static void copy_s_to_h(sandbox *sb, lua_State *S, int sidx, lua_State *H, int ud_index) {
  sidx = absindex(S, sidx);
  switch (lua_type(S, sidx)) {
  case LUA_TBOOLEAN:
    lua_pushboolean(H, lua_toboolean(S, sidx));
    return;
  case LUA_TNUMBER:
#if LUA_VERSION_NUM >= 503
    if (lua_isinteger(S, sidx)) {
      lua_pushinteger(H, lua_tointeger(S, sidx));
      return;
    }
#endif
    lua_pushnumber(H, lua_tonumber(S, sidx));
    return;
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(S, sidx, &len);
    lua_pushlstring(H, s, len);
    return;
  }
  case LUA_TTABLE:
    luaL_checkstack(H, 4, "copying rule data");
    lua_newtable(H);
    lua_pushnil(S);
    while (lua_next(S, sidx)) {
      copy_s_to_h(sb, S, -2, H, ud_index);
      copy_s_to_h(sb, S, -1, H, ud_index);
      lua_rawset(H, -3);
      lua_pop(S, 1);
    }
    return;
  case LUA_TFUNCTION: {
    lua_Number id;
    lua_rawgeti(S, LUA_REGISTRYINDEX, sb->fns_ref);
    lua_pushvalue(S, sidx);
    lua_rawget(S, -2);
    id = lua_tonumber(S, -1);
    lua_pop(S, 2);
    if (ud_index == 0 || id <= 0) {
      lua_pushnil(H); /* prepare_s refused it; not reached */
      return;
    }
    lua_pushvalue(H, ud_index);
    lua_pushnumber(H, id);
    lua_pushcclosure(H, l_proxy, 2);
    return;
  }
  default:
    lua_pushnil(H);
    return;
  }
}

/* Register the host functions in a call's arguments as callbacks (runs in
 * the host, before the rule state is entered; may raise there). */
static void prepare_h(sandbox *sb, lua_State *H, int idx, int depth, copy_count *cc) {
  idx = absindex(H, idx);
  if (++cc->values > sb->copy_values)
    luaL_error(H, "tpp: more than %d values passed to rule code", sb->copy_values);
  switch (lua_type(H, idx)) {
  case LUA_TSTRING: {
    size_t len;
    lua_tolstring(H, idx, &len);
    cc->bytes += len;
    if (cc->bytes > sb->copy_bytes)
      luaL_error(H, "tpp: more than %d bytes of text passed to rule code", (int)sb->copy_bytes);
    return;
  }
  case LUA_TTABLE:
    if (depth >= sb->copy_depth)
      luaL_error(H, "tpp: a value passed to rule code is nested more than %d tables deep",
                 sb->copy_depth);
    luaL_checkstack(H, 4, "tpp: copying into rule code");
    lua_pushnil(H);
    while (lua_next(H, idx)) {
      prepare_h(sb, H, -2, depth + 1, cc);
      prepare_h(sb, H, -1, depth + 1, cc);
      lua_pop(H, 1);
    }
    return;
  case LUA_TFUNCTION:
    lua_rawgeti(H, LUA_REGISTRYINDEX, sb->callbacks_ref);
    lua_pushvalue(H, idx);
    lua_rawget(H, -2);
    if (lua_isnil(H, -1)) {
      int id = ++sb->n_callbacks;
      lua_pushvalue(H, idx);
      lua_pushnumber(H, (lua_Number)id);
      lua_rawset(H, -4);
      lua_pushvalue(H, idx);
      lua_rawseti(H, -3, id);
    }
    lua_pop(H, 2);
    return;
  default:
    return;
  }
}

static int s_callback(lua_State *S);

/* Push onto S the copy of host value hidx. Runs protected in S; reads of H
 * never raise (strings are only read as strings; the stack is reserved). */
static void copy_h_to_s(sandbox *sb, lua_State *H, int hidx, lua_State *S, int depth,
                        copy_count *cc) {
  hidx = absindex(H, hidx);
  if (++cc->values > sb->copy_values)
    luaL_error(S, "tpp passed more than %d values to rule code", sb->copy_values);
  switch (lua_type(H, hidx)) {
  case LUA_TNIL:
  case LUA_TNONE:
    lua_pushnil(S);
    return;
  case LUA_TBOOLEAN:
    lua_pushboolean(S, lua_toboolean(H, hidx));
    return;
  case LUA_TNUMBER:
#if LUA_VERSION_NUM >= 503
    if (lua_isinteger(H, hidx)) {
      lua_pushinteger(S, lua_tointeger(H, hidx));
      return;
    }
#endif
    lua_pushnumber(S, lua_tonumber(H, hidx));
    return;
  case LUA_TSTRING: {
    size_t len;
    const char *s = lua_tolstring(H, hidx, &len);
    cc->bytes += len;
    if (cc->bytes > sb->copy_bytes)
      luaL_error(S, "tpp passed more than %d bytes of text to rule code", (int)sb->copy_bytes);
    lua_pushlstring(S, s, len);
    return;
  }
  case LUA_TTABLE:
    if (depth >= sb->copy_depth)
      luaL_error(S, "a value passed to rule code is nested more than %d tables deep", sb->copy_depth);
    luaL_checkstack(S, 4, "copying into rule code");
    lua_newtable(S);
    lua_pushnil(H);
    while (lua_next(H, hidx)) {
      int kt = lua_type(H, -2);
      if (kt == LUA_TSTRING || kt == LUA_TNUMBER || kt == LUA_TBOOLEAN) {
        copy_h_to_s(sb, H, -2, S, depth + 1, cc);
        copy_h_to_s(sb, H, -1, S, depth + 1, cc);
        lua_rawset(S, -3);
      }
      lua_pop(H, 1);
    }
    return;
  case LUA_TFUNCTION: {
    lua_Number id;
    lua_rawgeti(H, LUA_REGISTRYINDEX, sb->callbacks_ref);
    lua_pushvalue(H, hidx);
    lua_rawget(H, -2);
    id = lua_tonumber(H, -1);
    lua_pop(H, 2);
    if (id <= 0) luaL_error(S, "tpp cannot give rule code a function here");
    lua_pushnumber(S, id);
    lua_pushnumber(S, (lua_Number)sb->generation);
    lua_pushcclosure(S, s_callback, 2);
    return;
  }
  default:
    luaL_error(S, "tpp cannot pass a %s to rule code", luaL_typename(H, hidx));
  }
}

/* ---- callbacks: rule code calling a host function it was given ---- */

typedef struct callback_ctx {
  sandbox *sb;
  int id;
  int nargs;
} callback_ctx;

/* In H (protected): copy the arguments out of S, call the host function. */
static int h_dispatch(lua_State *H) {
  callback_ctx *cb = (callback_ctx *)lua_touserdata(H, 1);
  sandbox *sb = cb->sb;
  int i;
  luaL_checkstack(H, cb->nargs + 8, "tpp: callback arguments");
  lua_rawgeti(H, LUA_REGISTRYINDEX, sb->callbacks_ref);
  lua_rawgeti(H, -1, cb->id);
  lua_remove(H, -2);
  for (i = 1; i <= cb->nargs; i++) copy_s_to_h(sb, sb->S, i, H, 0);
  lua_call(H, cb->nargs, LUA_MULTRET);
  /* room to read the results from S's side without growing the stack */
  luaL_checkstack(H, 3 * sb->copy_depth + 8, "tpp: callback results");
  return lua_gettop(H) - 1;
}

static int s_callback(lua_State *S) {
  sandbox *sb = of_state(S);
  lua_State *H = sb->H;
  callback_ctx cb;
  copy_count cc = {0, 0};
  int i, h_top, status, nres;
  if (H == NULL || (int)lua_tonumber(S, lua_upvalueindex(2)) != sb->generation)
    return luaL_error(S, "a function tpp gave to rule code can only be called during that call");
  cb.sb = sb;
  cb.id = (int)lua_tonumber(S, lua_upvalueindex(1));
  cb.nargs = lua_gettop(S);
  if (cb.nargs > MAX_VALUES_IN_CALL) return luaL_error(S, "too many arguments to a tpp function");
  for (i = 1; i <= cb.nargs; i++) prepare_s(sb, S, i, 0, &cc, 0);
  luaL_checkstack(S, 3 * sb->copy_depth + 8, "copying rule data");
  h_top = lua_gettop(H);
  lua_rawgeti(H, LUA_REGISTRYINDEX, sb->dispatch_ref);
  lua_pushlightuserdata(H, &cb);
  status = lua_pcall(H, 1, LUA_MULTRET, 0);
  if (status != 0) {
    char msg[MESSAGE_MAX];
    take_message(H, msg, sizeof msg);
    lua_settop(H, h_top);
    return luaL_error(S, "%s", msg);
  }
  nres = lua_gettop(H) - h_top;
  if (nres > MAX_VALUES_IN_CALL) {
    lua_settop(H, h_top);
    return luaL_error(S, "a tpp function returned too many values");
  }
  luaL_checkstack(S, nres + 4, "results of a tpp function");
  cc.values = 0;
  cc.bytes = 0;
  for (i = 1; i <= nres; i++) copy_h_to_s(sb, H, h_top + i, S, 0, &cc);
  lua_settop(H, h_top);
  return nres;
}

/* ---- the whitelist ---- */

/* __index of the globals: every name not in the whitelist is an error. */
static int s_undefined(lua_State *S) {
  const char *name = lua_type(S, 2) == LUA_TSTRING ? lua_tostring(S, 2) : "?";
  lua_pushvalue(S, 2);
  lua_rawget(S, lua_upvalueindex(1));
  if (lua_type(S, -1) == LUA_TSTRING)
    return luaL_error(S, "'%s' is not available in a rule file (sandbox: %s)", name,
                      lua_tostring(S, -1));
  return luaL_error(S, "'%s' is not defined (a misspelt name? rule files see only the rule DSL "
                       "and the string, math and table libraries)", name);
}

/* __index of the string table: functions left out say why. */
static int s_string_missing(lua_State *S) {
  const char *name = lua_type(S, 2) == LUA_TSTRING ? lua_tostring(S, 2) : "?";
  lua_pushfstring(S, "string.%s", name);
  lua_rawget(S, lua_upvalueindex(1));
  return luaL_error(S, "string.%s is not available in a rule file (%s)", name,
                    lua_type(S, -1) == LUA_TSTRING ? lua_tostring(S, -1)
                                                  : "not part of the sandbox's string library");
}

static int s_rep(lua_State *S) {
  sandbox *sb = of_state(S);
  size_t l, lsep = 0;
  const char *s = luaL_checklstring(S, 1, &l);
  lua_Number n = luaL_checknumber(S, 2);
  const char *sep = luaL_optlstring(S, 3, "", &lsep);
  double total;
  luaL_Buffer b;
  long long i, count;
  if (!(n >= 1) || (l == 0 && lsep == 0)) { /* also NaN */
    lua_pushliteral(S, "");
    return 1;
  }
  total = (double)l * n + (double)lsep * (n - 1);
  if (total > (double)sb->string_bytes)
    return tpp_lua_errorf(S, "string.rep would build %.0f bytes; rule code may build strings of "
                             "at most %.0f bytes", total, (double)sb->string_bytes);
  charge_bytes(S, sb, (size_t)total);
  count = (long long)n;
  luaL_buffinit(S, &b);
  for (i = 0; i < count; i++) {
    luaL_addlstring(&b, s, l);
    if (i + 1 < count && lsep) luaL_addlstring(&b, sep, lsep);
  }
  luaL_pushresult(&b);
  return 1;
}

/* 1-based position relative to the end when negative, as Lua's string library. */
static size_t start_offset(lua_Number pos, size_t len) {
  if (pos > 0) return pos > (lua_Number)len + 1 ? len + 1 : (size_t)pos;
  if (pos == 0) return 1;
  if (-pos > (lua_Number)len) return 1;
  return len + (size_t)pos + 1;
}

static void pattern_failed(lua_State *S, sandbox *sb, tpp_pattern *m, int r) {
  if (r == TPP_PATTERN_MALFORMED) luaL_error(S, "%s", m->message);
  raise_stop(S, sb, sb->budget.stopped != TPP_BUDGET_OK ? sb->budget.stopped : TPP_BUDGET_STEPS);
}

static void push_capture(lua_State *S, tpp_pattern *m, int i, size_t start, size_t end) {
  if (i >= m->level) {
    if (i != 0) luaL_error(S, "invalid capture index %%%d", i + 1);
    lua_pushlstring(S, m->src + start, end - start);
    return;
  }
  if (m->capture[i].len == TPP_CAPTURE_POSITION)
    lua_pushinteger(S, (lua_Integer)m->capture[i].start + 1);
  else if (m->capture[i].len == TPP_CAPTURE_UNCLOSED)
    luaL_error(S, "unfinished capture in pattern");
  else
    lua_pushlstring(S, m->src + m->capture[i].start, (size_t)m->capture[i].len);
}

/* Push the captures (or the whole match when there are none and whole). */
static int push_captures(lua_State *S, tpp_pattern *m, size_t start, size_t end, int whole) {
  int i, n = (m->level == 0 && whole) ? 1 : m->level;
  luaL_checkstack(S, n, "too many captures");
  for (i = 0; i < n; i++) push_capture(S, m, i, start, end);
  return n;
}

static const char *check_pattern(lua_State *S, int arg, size_t *len) {
  const char *p = luaL_checklstring(S, arg, len);
  if (*len > PATTERN_MAX)
    luaL_error(S, "pattern of %d bytes; rule code may use patterns of at most %d bytes", (int)*len,
               PATTERN_MAX);
  return p;
}

static int find_or_match(lua_State *S, int find) {
  sandbox *sb = of_state(S);
  size_t ls, lp;
  const char *s = luaL_checklstring(S, 1, &ls);
  const char *p = check_pattern(S, 2, &lp);
  size_t init = start_offset(luaL_optnumber(S, 3, 1), ls) - 1; /* 0-based */
  if (init > ls) {
    lua_pushnil(S);
    return 1;
  }
  if (find && (lua_toboolean(S, 4) || tpp_pattern_is_plain(p, lp))) {
    size_t pos;
    for (pos = init; pos + lp <= ls; pos++) {
      int why = tpp_budget_charge(&sb->budget, 1 + (int64_t)(lp / BYTES_PER_STEP));
      if (why != TPP_BUDGET_OK) raise_stop(S, sb, why);
      if (memcmp(s + pos, p, lp) == 0) {
        lua_pushinteger(S, (lua_Integer)pos + 1);
        lua_pushinteger(S, (lua_Integer)(pos + lp));
        return 2;
      }
    }
  } else {
    tpp_pattern m;
    int anchored = lp > 0 && p[0] == '^';
    size_t pos = init, end = 0;
    tpp_pattern_init(&m, s, ls, p, lp, &sb->budget);
    do {
      int r = tpp_pattern_at(&m, pos, anchored ? 1 : 0, &end);
      if (r == TPP_PATTERN_MATCH) {
        if (tpp_pattern_flush(&m)) pattern_failed(S, sb, &m, TPP_PATTERN_STOPPED);
        if (find) {
          lua_pushinteger(S, (lua_Integer)pos + 1);
          lua_pushinteger(S, (lua_Integer)end);
          return push_captures(S, &m, pos, end, 0) + 2;
        }
        return push_captures(S, &m, pos, end, 1);
      }
      if (r != TPP_PATTERN_NOMATCH) pattern_failed(S, sb, &m, r);
    } while (pos++ < ls && !anchored);
    if (tpp_pattern_flush(&m)) pattern_failed(S, sb, &m, TPP_PATTERN_STOPPED);
  }
  lua_pushnil(S);
  return 1;
}

static int s_find(lua_State *S) { return find_or_match(S, 1); }
static int s_match(lua_State *S) { return find_or_match(S, 0); }

/* gmatch's iterator; upvalues: subject, pattern, next offset, end of the last match + 1. */
static int s_gmatch_next(lua_State *S) {
  sandbox *sb = of_state(S);
  size_t ls, lp, pos, end = 0;
  const char *s = lua_tolstring(S, lua_upvalueindex(1), &ls);
  const char *p = lua_tolstring(S, lua_upvalueindex(2), &lp);
  lua_Number last = lua_tonumber(S, lua_upvalueindex(4));
  tpp_pattern m;
  tpp_pattern_init(&m, s, ls, p, lp, &sb->budget);
  for (pos = (size_t)lua_tonumber(S, lua_upvalueindex(3)); pos <= ls; pos++) {
    int r = tpp_pattern_at(&m, pos, 0, &end);
    if (r == TPP_PATTERN_MATCH && (lua_Number)end + 1 != last) {
      if (tpp_pattern_flush(&m)) pattern_failed(S, sb, &m, TPP_PATTERN_STOPPED);
      lua_pushnumber(S, (lua_Number)end);
      lua_replace(S, lua_upvalueindex(3));
      lua_pushnumber(S, (lua_Number)end + 1);
      lua_replace(S, lua_upvalueindex(4));
      return push_captures(S, &m, pos, end, 1);
    }
    if (r < 0) pattern_failed(S, sb, &m, r);
  }
  if (tpp_pattern_flush(&m)) pattern_failed(S, sb, &m, TPP_PATTERN_STOPPED);
  lua_pushnumber(S, (lua_Number)ls + 1);
  lua_replace(S, lua_upvalueindex(3));
  return 0;
}

static int s_gmatch(lua_State *S) {
  size_t lp;
  luaL_checkstring(S, 1);
  check_pattern(S, 2, &lp);
  lua_settop(S, 2);
  lua_pushnumber(S, 0);
  lua_pushnumber(S, -1);
  lua_pushcclosure(S, s_gmatch_next, 4);
  return 1;
}

/* gsub: the replacement of one match into the buffer; *built counts bytes. */
static void add_replacement(lua_State *S, sandbox *sb, luaL_Buffer *b, tpp_pattern *m,
                            size_t start, size_t end, size_t *built) {
  int rt = lua_type(S, 3);
  size_t before = *built;
  if (rt == LUA_TSTRING || rt == LUA_TNUMBER) {
    size_t lr, i;
    const char *r = lua_tolstring(S, 3, &lr);
    for (i = 0; i < lr; i++) {
      if (r[i] != '%') {
        luaL_addchar(b, r[i]);
        (*built)++;
      } else {
        char d;
        i++;
        d = i < lr ? r[i] : '\0';
        if (d == '%') {
          luaL_addchar(b, '%');
          (*built)++;
        } else if (d >= '0' && d <= '9') {
          size_t len;
          if (d == '0')
            lua_pushlstring(S, m->src + start, end - start);
          else
            push_capture(S, m, d - '1', start, end);
          lua_tolstring(S, -1, &len);
          *built += len;
          if (*built > sb->string_bytes) {
            lua_pop(S, 1); /* the buffer's stack stays balanced */
            break;
          }
          luaL_addvalue(b);
        } else {
          luaL_error(S, "invalid use of '%%' in replacement string");
        }
      }
      if (*built > sb->string_bytes) break;
    }
  } else {
    size_t len;
    if (rt == LUA_TFUNCTION) {
      int n;
      lua_pushvalue(S, 3);
      n = push_captures(S, m, start, end, 1);
      lua_call(S, n, 1);
    } else if (rt == LUA_TTABLE) {
      push_capture(S, m, 0, start, end);
      lua_rawget(S, 3);
    } else {
      luaL_error(S, "bad argument #3 to 'gsub' (string, number, table or function expected)");
    }
    if (!lua_toboolean(S, -1)) { /* nil or false: keep the match */
      lua_pop(S, 1);
      lua_pushlstring(S, m->src + start, end - start);
    } else if (lua_type(S, -1) != LUA_TSTRING && lua_type(S, -1) != LUA_TNUMBER) {
      luaL_error(S, "invalid replacement value (a %s)", luaL_typename(S, -1));
    }
    lua_tolstring(S, -1, &len);
    *built += len;
    if (*built <= sb->string_bytes)
      luaL_addvalue(b);
    else
      lua_pop(S, 1); /* the buffer's stack stays balanced */
  }
  if (*built > sb->string_bytes)
    luaL_error(S, "string.gsub would build more than %d bytes; rule code may build strings of at "
                  "most %d bytes", (int)sb->string_bytes, (int)sb->string_bytes);
  charge_bytes(S, sb, *built - before);
}

static int s_gsub(lua_State *S) {
  sandbox *sb = of_state(S);
  size_t ls, lp, pos = 0, built = 0;
  const char *s = luaL_checklstring(S, 1, &ls);
  const char *p = check_pattern(S, 2, &lp);
  lua_Number max_n = luaL_optnumber(S, 4, (lua_Number)ls + 1);
  int anchored = lp > 0 && p[0] == '^';
  long long n = 0;
  size_t last_end = (size_t)-1;
  tpp_pattern m;
  luaL_Buffer b;
  int rt = lua_type(S, 3);
  luaL_argcheck(S, rt == LUA_TNUMBER || rt == LUA_TSTRING || rt == LUA_TFUNCTION || rt == LUA_TTABLE,
                3, "string, number, table or function expected");
  lua_settop(S, 3);
  tpp_pattern_init(&m, s, ls, p, lp, &sb->budget);
  luaL_buffinit(S, &b);
  while (n < max_n) {
    size_t end = 0;
    int r = tpp_pattern_at(&m, pos, anchored ? 1 : 0, &end);
    if (r < 0) pattern_failed(S, sb, &m, r);
    if (r == TPP_PATTERN_MATCH && end != last_end) {
      n++;
      add_replacement(S, sb, &b, &m, pos, end, &built);
      pos = last_end = end;
    } else if (pos < ls) {
      luaL_addchar(&b, s[pos++]);
      if (++built > sb->string_bytes)
        luaL_error(S, "string.gsub would build more than %d bytes", (int)sb->string_bytes);
    } else {
      break;
    }
    if (anchored) break;
  }
  if (tpp_pattern_flush(&m)) pattern_failed(S, sb, &m, TPP_PATTERN_STOPPED);
  if (built + (ls - pos) > sb->string_bytes)
    luaL_error(S, "string.gsub would build more than %d bytes", (int)sb->string_bytes);
  luaL_addlstring(&b, s + pos, ls - pos);
  charge_bytes(S, sb, ls - pos);
  luaL_pushresult(&b);
  lua_pushinteger(S, (lua_Integer)n);
  return 2;
}

static int s_random(lua_State *S) {
  sandbox *sb = of_state(S);
  double r = tpp_sandbox_rng_f64(&sb->rng), lo = 1, hi;
  switch (lua_gettop(S)) {
  case 0:
    lua_pushnumber(S, (lua_Number)r);
    return 1;
  case 1:
    hi = luaL_checknumber(S, 1);
    break;
  case 2:
    lo = luaL_checknumber(S, 1);
    hi = luaL_checknumber(S, 2);
    break;
  default:
    return luaL_error(S, "wrong number of arguments to 'random'");
  }
  lo = ceil(lo);
  hi = floor(hi);
  if (!(lo <= hi)) return luaL_error(S, "bad argument to 'random' (interval is empty)");
  if (hi - lo >= 9007199254740992.0)
    return luaL_error(S, "bad argument to 'random' (interval too large)");
  lua_pushnumber(S, (lua_Number)(lo + floor(r * (hi - lo + 1))));
  return 1;
}

static int s_randomseed(lua_State *S) {
  tpp_sandbox_rng_seed(&of_state(S)->rng, (double)luaL_optnumber(S, 1, 0));
  return 0;
}

static const char *const base_names[] = {"assert",   "error",  "ipairs", "next",   "pairs",
                                         "select",   "tonumber", "tostring", "type", "rawequal",
                                         "rawget",   "rawset", "_VERSION", NULL};
static const char *const string_names[] = {"byte", "char", "format", "len", "lower",
                                           "upper", "reverse", "sub", NULL};
static const char *const table_names[] = {"concat", "insert", "remove", "sort", NULL};

static void open_lib(lua_State *S, const char *name, lua_CFunction f) {
#if LUA_VERSION_NUM >= 502
  luaL_requiref(S, name, f, 1);
  lua_pop(S, 1);
#else
  lua_pushcfunction(S, f);
  lua_pushstring(S, name);
  lua_call(S, 1, 0);
#endif
}

/* dst[name] = src[name] for each name (tables at absolute indices). */
static void copy_fields(lua_State *S, int dst, int src, const char *const *names) {
  for (; *names; names++) {
    lua_getfield(S, src, *names);
    lua_setfield(S, dst, *names);
  }
}

/* Build the whitelist as the state's globals. Stack: 1 ctx; the reasons
 * table (name -> why it is left out) is copied from the host's argument. */
static void setup_state(lua_State *S, call_ctx *c) {
  sandbox *sb = c->sb;
  copy_count cc = {0, 0};
  int old_g, g, reasons, str, tbl, mth;
  open_lib(S, "_G", luaopen_base);
  open_lib(S, LUA_STRLIBNAME, luaopen_string);
  open_lib(S, LUA_TABLIBNAME, luaopen_table);
  open_lib(S, LUA_MATHLIBNAME, luaopen_math);
#if LUA_VERSION_NUM >= 502
  lua_pushglobaltable(S);
#else
  lua_pushvalue(S, LUA_GLOBALSINDEX);
#endif
  old_g = lua_gettop(S);
  copy_h_to_s(sb, c->H, c->arg_first, S, 0, &cc);
  reasons = lua_gettop(S);

  lua_newtable(S);
  g = lua_gettop(S);
  copy_fields(S, g, old_g, base_names);

  /* string */
  lua_newtable(S);
  str = lua_gettop(S);
  lua_getfield(S, old_g, "string");
  copy_fields(S, str, lua_gettop(S), string_names);
  lua_pop(S, 1);
  lua_pushcfunction(S, s_rep);
  lua_setfield(S, str, "rep");
  lua_pushcfunction(S, s_find);
  lua_setfield(S, str, "find");
  lua_pushcfunction(S, s_match);
  lua_setfield(S, str, "match");
  lua_pushcfunction(S, s_gmatch);
  lua_setfield(S, str, "gmatch");
  lua_pushcfunction(S, s_gsub);
  lua_setfield(S, str, "gsub");
  lua_newtable(S);
  lua_pushvalue(S, reasons);
  lua_pushcclosure(S, s_string_missing, 1);
  lua_setfield(S, -2, "__index");
  lua_setmetatable(S, str);
  lua_pushvalue(S, str);
  lua_setfield(S, g, "string");
  /* ("").method resolves through the state's own string metatable */
  lua_pushliteral(S, "");
  if (lua_getmetatable(S, -1)) {
    lua_pushvalue(S, str);
    lua_setfield(S, -2, "__index");
    lua_pop(S, 1);
  }
  lua_pop(S, 1);

  /* table, and unpack in both places */
  lua_newtable(S);
  tbl = lua_gettop(S);
  lua_getfield(S, old_g, "table");
  copy_fields(S, tbl, lua_gettop(S), table_names);
  lua_getfield(S, -1, "unpack");
  if (lua_isnil(S, -1)) {
    lua_pop(S, 1);
    lua_getfield(S, old_g, "unpack");
  }
  lua_pushvalue(S, -1);
  lua_setfield(S, tbl, "unpack");
  lua_setfield(S, g, "unpack");
  lua_pop(S, 1);
  lua_setfield(S, g, "table");

  /* math: everything but the shared generator */
  lua_newtable(S);
  mth = lua_gettop(S);
  lua_getfield(S, old_g, "math");
  lua_pushnil(S);
  while (lua_next(S, -2)) {
    lua_pushvalue(S, -2);
    lua_insert(S, -2);
    lua_rawset(S, mth);
  }
  lua_pop(S, 1);
  lua_pushcfunction(S, s_random);
  lua_setfield(S, mth, "random");
  lua_pushcfunction(S, s_randomseed);
  lua_setfield(S, mth, "randomseed");
  lua_setfield(S, g, "math");

  /* unknown names are errors that say why */
  lua_newtable(S);
  lua_pushvalue(S, reasons);
  lua_pushcclosure(S, s_undefined, 1);
  lua_setfield(S, -2, "__index");
  lua_pushboolean(S, 0);
  lua_setfield(S, -2, "__metatable");
  lua_setmetatable(S, g);

  lua_newtable(S);
  sb->fns_ref = luaL_ref(S, LUA_REGISTRYINDEX);

  lua_pushvalue(S, g);
#if LUA_VERSION_NUM >= 502
  lua_rawseti(S, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
#else
  lua_replace(S, LUA_GLOBALSINDEX);
#endif
}

/* ---- the recorder: declarations as data ---- */

static int caller_line(lua_State *S) {
  lua_Debug ar;
  if (lua_getstack(S, 1, &ar) && lua_getinfo(S, "l", &ar)) return ar.currentline;
  return -1;
}

/* { kind = name, line = n, args = { n = count, ... } } on top of S. */
static void push_record(lua_State *S, const char *field, int name_upvalue) {
  int i, n = lua_gettop(S);
  int line = caller_line(S);
  lua_createtable(S, 0, 3);
  lua_pushvalue(S, lua_upvalueindex(name_upvalue));
  lua_setfield(S, -2, field);
  lua_pushinteger(S, (lua_Integer)line);
  lua_setfield(S, -2, "line");
  lua_createtable(S, n, 1);
  for (i = 1; i <= n; i++) {
    lua_pushvalue(S, i);
    lua_rawseti(S, -2, i);
  }
  lua_pushinteger(S, (lua_Integer)n);
  lua_setfield(S, -2, "n");
  lua_setfield(S, -2, "args");
}

/* A declaration (version { }, threshold { }, ...): appended to the log. */
static int s_declare(lua_State *S) {
  push_record(S, "kind", 1);
  lua_rawseti(S, lua_upvalueindex(2), (int)tpp_rawlen(S, lua_upvalueindex(2)) + 1);
  return 0;
}

/* An item (test(...), range(...), check(...)): returned for a declaration. */
static int s_item(lua_State *S) {
  push_record(S, "_item", 1);
  return 1;
}

/* Stack: 1 ctx. Host arguments: the declaration names, the item names. */
static void setup_recorder(lua_State *S, call_ctx *c) {
  sandbox *sb = c->sb;
  lua_State *H = c->H;
  int k;
#if LUA_VERSION_NUM >= 502
  lua_rawgeti(S, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
#else
  lua_pushvalue(S, LUA_GLOBALSINDEX);
#endif
  lua_newtable(S);
  lua_pushvalue(S, -1);
  sb->log_ref = luaL_ref(S, LUA_REGISTRYINDEX);
  for (k = 0; k < 2; k++) {
    int i;
    for (i = 1;; i++) {
      const char *name;
      lua_rawgeti(H, c->arg_first + k, i);
      if (lua_type(H, -1) != LUA_TSTRING) {
        lua_pop(H, 1);
        break;
      }
      name = lua_tostring(H, -1);
      lua_pushstring(S, name);
      if (k == 0) {
        lua_pushvalue(S, -2); /* the log */
        lua_pushcclosure(S, s_declare, 2);
      } else {
        lua_pushcclosure(S, s_item, 1);
      }
      lua_setfield(S, -3, name);
      lua_pop(H, 1);
    }
  }
  lua_pop(S, 2);
}

/* ---- calls into the state ---- */

static int s_run(lua_State *S) {
  call_ctx *c = (call_ctx *)lua_touserdata(S, 1);
  sandbox *sb = c->sb;
  copy_count cc = {0, 0};
  int i, base = lua_gettop(S), n = 0;
  switch (c->mode) {
  case MODE_SETUP:
    setup_state(S, c);
    lua_settop(S, base);
    break;
  case MODE_RECORDER:
    setup_recorder(S, c);
    break;
  case MODE_COMPILE: {
    char name[512];
    int status;
    snprintf(name, sizeof name, "@%s", c->chunkname);
#if LUA_VERSION_NUM >= 502
    status = luaL_loadbufferx(S, c->text, c->text_len, name, "t");
#else
    status = luaL_loadbuffer(S, c->text, c->text_len, name);
#endif
    if (status != 0) lua_error(S);
    n = 1;
    break;
  }
  case MODE_RECORDS:
    lua_rawgeti(S, LUA_REGISTRYINDEX, sb->log_ref);
    n = 1;
    break;
  case MODE_CALL:
    luaL_checkstack(S, c->arg_n + 4, "arguments of rule code");
    lua_rawgeti(S, LUA_REGISTRYINDEX, sb->fns_ref);
    lua_rawgeti(S, -1, c->fn_id);
    lua_remove(S, -2);
    for (i = 0; i < c->arg_n; i++) copy_h_to_s(sb, c->H, c->arg_first + i, S, 0, &cc);
    lua_call(S, c->arg_n, LUA_MULTRET);
    n = lua_gettop(S) - base;
    if (n > MAX_VALUES_IN_CALL)
      luaL_error(S, "rule code returned %d values; at most %d", n, MAX_VALUES_IN_CALL);
    break;
  }
  /* results at base+1 .. base+n: check them, name their functions, reserve
   * the stack the copy reads with, then copy them out in the host */
  cc.values = 0;
  cc.bytes = 0;
  for (i = 1; i <= n; i++) prepare_s(sb, S, base + i, 0, &cc, 1);
  luaL_checkstack(S, 3 * sb->copy_depth + 8, "copying rule data");
  c->result_base = base;
  c->nresults = n;
  c->h_status = lua_pcall(c->H, 2, 1, 0); /* h_copyout, pushed by run_call */
  return 0;
}

/* In the host (protected): a table of the results on S's stack. */
static int h_copyout(lua_State *H) {
  call_ctx *c = (call_ctx *)lua_touserdata(H, 1);
  int i;
  lua_createtable(H, c->nresults, 0);
  for (i = 1; i <= c->nresults; i++) {
    copy_s_to_h(c->sb, c->sb->S, c->result_base + i, H, 2);
    lua_rawseti(H, -2, i);
  }
  return 1;
}

static sandbox *check_sandbox(lua_State *H, int idx) {
  sandbox *sb = (sandbox *)luaL_checkudata(H, idx, SANDBOX_MT);
  if (sb->S == NULL) luaL_error(H, "tpp: this rule file's sandbox is closed");
  return sb;
}

/* Run a call; its results (if any) are left on H's stack; returns their count. */
static int run_call(lua_State *H, int sb_index, call_ctx *c) {
  sandbox *sb = c->sb;
  lua_State *S = sb->S;
  lua_State *prev_h = sb->H;
  int status, h_top, s_top, outer = sb->depth == 0, i;
  c->H = H;
  if (sb->depth >= MAX_NESTING)
    luaL_error(H, "tpp: rule code and tpp call each other more than %d levels deep", MAX_NESTING);
  sb_index = absindex(H, sb_index);
  luaL_checkstack(H, 3 * sb->copy_depth + MAX_VALUES_IN_CALL + 32, "tpp: calling rule code");
  if (outer) { /* callbacks of an earlier call stop working */
    luaL_unref(H, LUA_REGISTRYINDEX, sb->callbacks_ref);
    lua_newtable(H);
    sb->callbacks_ref = luaL_ref(H, LUA_REGISTRYINDEX);
    sb->generation++;
    sb->n_callbacks = 0;
  }
  if (c->arg_n > MAX_VALUES_IN_CALL) luaL_error(H, "tpp: too many arguments for rule code");
  {
    copy_count cc = {0, 0};
    for (i = 0; i < c->arg_n; i++) prepare_h(sb, H, c->arg_first + i, 0, &cc);
  }
  h_top = lua_gettop(H);
  lua_rawgeti(H, LUA_REGISTRYINDEX, sb->copyout_ref);
  lua_pushlightuserdata(H, c);
  lua_pushvalue(H, sb_index);
  s_top = lua_gettop(S);
  sb->H = H;
  sb->depth++;
  if (outer) tpp_budget_start(&sb->budget);
  c->h_status = -1;
  status = protect(S, s_run, c);
  sb->depth--;
  sb->H = prev_h;
  if (status != 0) {
    if (status == LUA_ERRMEM || sb->budget.memory_refused)
      tpp_budget_message(&sb->budget, -1, c->message, sizeof c->message);
    else
      take_message(S, c->message, sizeof c->message);
    sb->budget.memory_refused = 0;
    lua_settop(S, s_top);
    lua_settop(H, h_top);
    lua_pushstring(H, c->message);
    return lua_error(H);
  }
  sb->budget.memory_refused = 0;
  lua_settop(S, s_top);
  if (c->h_status != 0) { /* the copy failed in the host: its message is on top */
    if (c->h_status == -1) lua_pushliteral(H, "tpp: rule sandbox: the copy-out did not run");
    return lua_error(H);
  }
  /* the results table is at h_top + 1 */
  luaL_checkstack(H, c->nresults + 2, "tpp: results of rule code");
  for (i = 1; i <= c->nresults; i++) lua_rawgeti(H, h_top + 1, i);
  lua_remove(H, h_top + 1);
  return c->nresults;
}

static int l_proxy(lua_State *H) {
  sandbox *sb = check_sandbox(H, lua_upvalueindex(1));
  call_ctx *c = (call_ctx *)lua_newuserdata(H, sizeof(call_ctx));
  int n = lua_gettop(H) - 1;
  memset(c, 0, sizeof *c);
  c->sb = sb;
  c->mode = MODE_CALL;
  c->fn_id = (int)lua_tonumber(H, lua_upvalueindex(2));
  c->arg_first = 1;
  c->arg_n = n;
  return run_call(H, lua_upvalueindex(1), c);
}

static call_ctx *new_ctx(lua_State *H, sandbox *sb, int mode) {
  call_ctx *c = (call_ctx *)lua_newuserdata(H, sizeof(call_ctx));
  memset(c, 0, sizeof *c);
  c->sb = sb;
  c->mode = mode;
  return c;
}

static int l_record(lua_State *H) {
  sandbox *sb = check_sandbox(H, 1);
  call_ctx *c;
  luaL_checktype(H, 2, LUA_TTABLE);
  luaL_checktype(H, 3, LUA_TTABLE);
  if (sb->log_ref != LUA_NOREF) return luaL_error(H, "tpp: the sandbox already records");
  c = new_ctx(H, sb, MODE_RECORDER);
  c->arg_first = 2;
  run_call(H, 1, c);
  return 0;
}

static int l_compile(lua_State *H) {
  sandbox *sb = check_sandbox(H, 1);
  size_t len;
  const char *text = luaL_checklstring(H, 2, &len);
  const char *name = luaL_checkstring(H, 3);
  call_ctx *c;
  if (len > 0 && text[0] == '\033')
    return luaL_error(H, "%s: a precompiled (bytecode) file; rule files must be Lua source text",
                      name);
  c = new_ctx(H, sb, MODE_COMPILE);
  c->text = text;
  c->text_len = len;
  c->chunkname = name;
  return run_call(H, 1, c);
}

static int l_records(lua_State *H) {
  sandbox *sb = check_sandbox(H, 1);
  if (sb->log_ref == LUA_NOREF) return luaL_error(H, "tpp: the sandbox does not record");
  return run_call(H, 1, new_ctx(H, sb, MODE_RECORDS));
}

static int l_usage(lua_State *H) {
  sandbox *sb = (sandbox *)luaL_checkudata(H, 1, SANDBOX_MT);
  lua_createtable(H, 0, 6);
  lua_pushnumber(H, (lua_Number)sb->budget.memory_used);
  lua_setfield(H, -2, "memory");
  lua_pushnumber(H, (lua_Number)sb->budget.memory_peak);
  lua_setfield(H, -2, "memory_peak");
  lua_pushnumber(H, (lua_Number)sb->budget.memory_limit);
  lua_setfield(H, -2, "memory_limit");
  lua_pushnumber(H, (lua_Number)sb->budget.steps_used);
  lua_setfield(H, -2, "steps");
  lua_pushnumber(H, (lua_Number)sb->budget.steps_total);
  lua_setfield(H, -2, "steps_total");
  lua_pushnumber(H, (lua_Number)sb->budget.steps_limit);
  lua_setfield(H, -2, "steps_limit");
  lua_pushnumber(H, (lua_Number)sb->budget.seconds_limit);
  lua_setfield(H, -2, "seconds_limit");
  lua_pushboolean(H, sb->S == NULL);
  lua_setfield(H, -2, "closed");
  lua_pushnumber(H, (lua_Number)tpp_budget_live_bytes());
  lua_setfield(H, -2, "live_bytes");
  return 1;
}

static int l_close(lua_State *H) {
  sandbox *sb = (sandbox *)luaL_checkudata(H, 1, SANDBOX_MT);
  if (sb->depth > 0) return luaL_error(H, "tpp: a sandbox cannot be closed during a call into it");
  if (sb->S) {
    lua_close(sb->S);
    sb->S = NULL;
  }
  luaL_unref(H, LUA_REGISTRYINDEX, sb->callbacks_ref);
  luaL_unref(H, LUA_REGISTRYINDEX, sb->copyout_ref);
  luaL_unref(H, LUA_REGISTRYINDEX, sb->dispatch_ref);
  sb->callbacks_ref = sb->copyout_ref = sb->dispatch_ref = LUA_NOREF;
  return 0;
}

/* A limit from the limits table: a positive finite number (default when nil). */
static double limit_field(lua_State *H, const char *key, double def, double lo, double hi) {
  double v = def;
  lua_getfield(H, 1, key);
  if (!lua_isnil(H, -1)) {
    if (lua_type(H, -1) != LUA_TNUMBER)
      tpp_lua_errorf(H, "tpp: sandbox limit %s: a number expected, got %s", key, luaL_typename(H, -1));
    v = (double)lua_tonumber(H, -1);
    if (!(v >= lo && v <= hi))
      tpp_lua_errorf(H, "tpp: sandbox limit %s: got %g, expected %g .. %g", key, v, lo, hi);
  }
  lua_pop(H, 1);
  return v;
}

typedef int (*jit_setmode_fn)(lua_State *L, int idx, int mode);

/* LuaJIT: no compiled traces in the sandbox's state (they would not call the
 * hook). The 5.1-ABI module cannot see luajit.h, so the symbol is looked up
 * in the running interpreter; PUC Lua has none. */
static void jit_off(lua_State *S) {
  void *sym = dlsym(RTLD_DEFAULT, "luaJIT_setmode");
  if (sym) {
    jit_setmode_fn f;
    memcpy(&f, &sym, sizeof f);
    f(S, 0, 0); /* LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF */
  }
}

static int l_sandbox_new(lua_State *H) {
  sandbox *sb;
  call_ctx *c;
  double memory, steps, seconds;
  luaL_checktype(H, 1, LUA_TTABLE);
  luaL_checktype(H, 2, LUA_TTABLE);
  memory = limit_field(H, "memory", 16.0 * 1048576, MIN_MEMORY, 1e12);
  steps = limit_field(H, "instructions", 1e7, HOOK_EVERY, 1e15);
  /* rule states dropped by the host are closed by its collector, which does
   * not count their memory: collect when they hold more than 64 MiB */
  if (tpp_budget_live_bytes() > LIVE_COLLECT_BYTES) lua_gc(H, LUA_GCCOLLECT, 0);
  seconds = limit_field(H, "seconds", 2.0, 1e-3, 1e6);
  sb = (sandbox *)lua_newuserdata(H, sizeof *sb);
  memset(sb, 0, sizeof *sb);
  sb->callbacks_ref = sb->copyout_ref = sb->dispatch_ref = LUA_NOREF;
  sb->fns_ref = sb->log_ref = LUA_NOREF;
  luaL_getmetatable(H, SANDBOX_MT);
  lua_setmetatable(H, -2);
  tpp_budget_init(&sb->budget, (size_t)memory, (int64_t)steps, seconds);
  sb->string_bytes = (size_t)limit_field(H, "string_bytes", 1048576, 16, 1e12);
  sb->copy_depth = (int)limit_field(H, "copy_depth", 32, 1, 200);
  sb->copy_values = (int)limit_field(H, "copy_values", 200000, 1, 1e9);
  sb->copy_bytes = (size_t)limit_field(H, "copy_bytes", 16.0 * 1048576, 1, 1e12);
  tpp_sandbox_rng_seed(&sb->rng, 0);
  lua_pushcfunction(H, h_copyout);
  sb->copyout_ref = luaL_ref(H, LUA_REGISTRYINDEX);
  lua_pushcfunction(H, h_dispatch);
  sb->dispatch_ref = luaL_ref(H, LUA_REGISTRYINDEX);
  lua_newtable(H);
  sb->callbacks_ref = luaL_ref(H, LUA_REGISTRYINDEX);
  sb->S = lua_newstate(tpp_budget_realloc, sb);
  if (sb->S == NULL)
    return luaL_error(H, "tpp: cannot create the rule sandbox's Lua state (this interpreter does "
                         "not accept a custom allocator, or %d bytes are too few)",
                      (int)memory);
  jit_off(sb->S);
  lua_sethook(sb->S, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
  c = new_ctx(H, sb, MODE_SETUP);
  c->arg_first = 2;
  run_call(H, 3, c);
  lua_pop(H, 1); /* the ctx */
  return 1;
}

static const luaL_Reg sandbox_methods[] = {
    {"record", l_record}, {"compile", l_compile},   {"records", l_records},
    {"usage", l_usage},   {"close", l_close}, {NULL, NULL}};

static const luaL_Reg sandbox_funcs[] = {{"sandbox_new", l_sandbox_new}, {NULL, NULL}};

void tpp_lua_open_sandbox(lua_State *L) {
  if (luaL_newmetatable(L, SANDBOX_MT)) {
    lua_newtable(L);
    luaL_setfuncs(L, sandbox_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_close);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, sandbox_funcs, 0);
}
