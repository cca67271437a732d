/*
 * fleet_glue.c - the fleet Monte Carlo (csrc/fleet.c) for Lua:
 *   core.fleet_simulate(rows, factors, opts) -> draws  (userdata "tpp.fleet_draws")
 *   draws:summary(probs[, threshold]) -> t[basis][group] = { q = {...}, mean =, p_above = }
 *   draws:get(basis, group, i), draws:size() -> draws, bases, groups, draws:free()
 *   core.fleet_ratio(a, basis_a, group_a, b, basis_b, group_b, probs[, threshold])
 *   core.dist_fit(kind, low, central, high[, coverage]) -> table
 *   core.dist_quantile(kind, low, central, high, coverage, p), core.dist_mean(...)
 *   core.normal_quantile(p)
 * Lists are 1-based (groups and chips too); group groups + 1 is the fleet total.
 * lua/tpp/ffi_fleet.lua mirrors every function, result and message.
 */
#include "glue.h"

#include <string.h>

#define DRAWS_MT "tpp.fleet_draws"

typedef struct fleet_draws {
  double *buf;      /* [bases][groups + 1][draws] */
  int64_t draws;
  int32_t bases, groups;
} fleet_draws;

static fleet_draws *check_draws(lua_State *L, int idx) {
  fleet_draws *d = (fleet_draws *)luaL_checkudata(L, idx, DRAWS_MT);
  if (!d->buf) luaL_error(L, "tpp: the fleet draws were freed");
  return d;
}

/* t[key] as a list of n numbers (n < 0: its length sets n) in a buffer that
 * is a userdata left on the stack (collected by Lua even when a later check
 * raises); nil entries are NaN when allow_nil, else an error naming
 * where.key[i]. Returns NULL (nothing pushed) for an absent optional list. */
static double *read_numbers(lua_State *L, int t, const char *where, const char *key, int64_t *n, int allow_nil,
                            int required) {
  double *out;
  int64_t i, len;
  luaL_checkstack(L, 4, "fleet columns");
  lua_getfield(L, t, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (required) luaL_error(L, "tpp: %s.%s: list of numbers expected, got nil", where, key);
    return NULL;
  }
  if (!lua_istable(L, -1)) luaL_error(L, "tpp: %s.%s: list of numbers expected, got %s", where, key, luaL_typename(L, -1));
  len = (int64_t)tpp_rawlen(L, -1);
  if (*n < 0) *n = len;
  else if (len > *n) tpp_lua_errorf(L, "tpp: %s.%s: %lld entries, expected %lld", where, key, (long long)len, (long long)*n);
  out = (double *)lua_newuserdata(L, (size_t)(*n > 0 ? *n : 1) * sizeof(double));
  for (i = 0; i < *n; i++) {
    lua_rawgeti(L, -2, (int)(i + 1));
    if (lua_type(L, -1) == LUA_TNUMBER) {
      out[i] = (double)lua_tonumber(L, -1);
    } else if (lua_isnil(L, -1) && allow_nil) {
      out[i] = NAN;
    } else {
      tpp_lua_errorf(L, "tpp: %s.%s[%lld]: number expected, got %s", where, key, (long long)i + 1,
                     luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  lua_remove(L, -2); /* the list; the buffer stays */
  return out;
}

static double opt_number(lua_State *L, int t, const char *key, double dflt) {
  double v = tpp_lua_optfield(L, t, key, "opts");
  return isnan(v) ? dflt : v;
}

static int l_fleet_simulate(lua_State *L) {
  tpp_fleet_rows rows;
  tpp_fleet_factors f;
  tpp_fleet_options o;
  tpp_error err;
  double *cols[11] = {0};
  int8_t *kind;
  int32_t *group, *chip;
  int64_t n = -1, nf, i;
  double draws, seed, stream, groups, threads, bytes;
  fleet_draws *d;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  draws = opt_number(L, 3, "draws", 100000);
  seed = opt_number(L, 3, "seed", 1);
  stream = opt_number(L, 3, "stream", 0);
  groups = opt_number(L, 3, "groups", 1);
  threads = opt_number(L, 3, "threads", 0);
  if (draws < 1 || draws != floor(draws) || draws > 1e9)
    return tpp_lua_errorf(L, "tpp: opts.draws: a whole number 1..1e9 expected, got %g", draws);
  if (seed < 0 || seed != floor(seed) || seed > 9007199254740992.0)
    return tpp_lua_errorf(L, "tpp: opts.seed: a whole number 0..2^53 expected, got %g", seed);
  if (stream < 0 || stream != floor(stream) || stream > 9007199254740992.0)
    return tpp_lua_errorf(L, "tpp: opts.stream: a whole number 0..2^53 expected, got %g", stream);
  if (groups < 1 || groups != floor(groups) || groups > 1e6)
    return tpp_lua_errorf(L, "tpp: opts.groups: a whole number 1..1e6 expected, got %g", groups);
  if (threads < 0 || threads > 256 || threads != floor(threads))
    return tpp_lua_errorf(L, "tpp: opts.threads: 0..256 expected (0 = all cores), got %g", threads);
  {
    double nb = tpp_lua_optfield(L, 2, "n_bases", "factors"), nc = tpp_lua_optfield(L, 2, "n_chips", "factors");
    if (!(nb >= 1 && nc >= 1) || nb != floor(nb) || nc != floor(nc) || nb * nc > 1e8)
      return luaL_error(L, "tpp: factors.n_bases and factors.n_chips: whole numbers >= 1 expected");
    f.n_bases = (int32_t)nb;
    f.n_chips = (int32_t)nc;
    nf = (int64_t)nb * (int64_t)nc;
  }
  cols[0] = read_numbers(L, 1, "rows", "low", &n, 0, 1);
  cols[1] = read_numbers(L, 1, "rows", "central", &n, 0, 1);
  cols[2] = read_numbers(L, 1, "rows", "high", &n, 0, 1);
  cols[3] = read_numbers(L, 1, "rows", "kind", &n, 0, 0);
  cols[4] = read_numbers(L, 1, "rows", "coverage", &n, 0, 0);
  cols[5] = read_numbers(L, 1, "rows", "group", &n, 0, 0);
  cols[6] = read_numbers(L, 1, "rows", "chip", &n, 0, 1);
  cols[7] = read_numbers(L, 2, "factors", "low", &nf, 1, 1);
  cols[8] = read_numbers(L, 2, "factors", "central", &nf, 1, 1);
  cols[9] = read_numbers(L, 2, "factors", "high", &nf, 1, 1);
  cols[10] = read_numbers(L, 2, "factors", "coverage", &nf, 1, 0);
  kind = (int8_t *)lua_newuserdata(L, (size_t)(n > 0 ? n : 1));
  group = (int32_t *)lua_newuserdata(L, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
  chip = (int32_t *)lua_newuserdata(L, (size_t)(n > 0 ? n : 1) * sizeof(int32_t));
  for (i = 0; i < n; i++) {
    double k = cols[3] ? cols[3][i] : TPP_DIST_QUANTILES;
    double g = cols[5] ? cols[5][i] : 1, h = cols[6][i];
    if (k != 0 && k != 1 && k != 2)
      return tpp_lua_errorf(L, "tpp: rows.kind[%lld]: 0 (point), 1 (quantiles) or 2 (bounds) expected, got %g",
                            (long long)i + 1, k);
    if (g != floor(g) || g < 1 || g > groups)
      return tpp_lua_errorf(L, "tpp: rows.group[%lld]: a whole number 1..%g expected, got %g", (long long)i + 1,
                            groups, g);
    if (h != floor(h) || h < 1 || h > f.n_chips)
      return tpp_lua_errorf(L, "tpp: rows.chip[%lld]: a whole number 1..%d expected, got %g", (long long)i + 1,
                            (int)f.n_chips, h);
    kind[i] = (int8_t)k;
    group[i] = (int32_t)g - 1;
    chip[i] = (int32_t)h - 1;
  }
  rows.n = n;
  rows.low = cols[0];
  rows.central = cols[1];
  rows.high = cols[2];
  rows.kind = kind;
  rows.coverage = cols[4];
  rows.group = group;
  rows.chip = chip;
  f.low = cols[7];
  f.central = cols[8];
  f.high = cols[9];
  f.coverage = cols[10];
  o.draws = (int64_t)draws;
  o.seed = (uint64_t)seed;
  o.stream = (uint64_t)stream;
  o.n_groups = (int32_t)groups;
  o.threads = (int32_t)threads;
  d = (fleet_draws *)lua_newuserdata(L, sizeof *d);
  memset(d, 0, sizeof *d);
  luaL_getmetatable(L, DRAWS_MT);
  lua_setmetatable(L, -2);
  bytes = (double)f.n_bases * (groups + 1) * draws * sizeof(double);
  d->buf = bytes < 1.6e10 ? (double *)tpp_alloc((size_t)bytes) : NULL;
  if (!d->buf)
    return tpp_lua_errorf(L, "tpp: the draws need %.0f MB (%d bases x (%g groups + total) x %g draws); "
                          "use fewer draws or groups", bytes / 1e6, (int)f.n_bases, groups, draws);
  d->draws = (int64_t)draws;
  d->bases = f.n_bases;
  d->groups = (int32_t)groups;
  if (tpp_fleet_simulate(&rows, &f, &o, d->buf, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  return 1;
}

static int l_draws_free(lua_State *L) {
  fleet_draws *d = (fleet_draws *)luaL_checkudata(L, 1, DRAWS_MT);
  tpp_free(d->buf);
  d->buf = NULL;
  return 0;
}

static int l_draws_size(lua_State *L) {
  fleet_draws *d = check_draws(L, 1);
  tpp_lua_pushint(L, d->draws);
  lua_pushinteger(L, d->bases);
  lua_pushinteger(L, d->groups);
  return 3;
}

static const double *series_of(lua_State *L, fleet_draws *d, int arg) {
  lua_Number b = tpp_checkint(L, arg), g = tpp_checkint(L, arg + 1);
  luaL_argcheck(L, b >= 1 && b <= d->bases, arg, "basis index out of range");
  luaL_argcheck(L, g >= 1 && g <= d->groups + 1, arg + 1, "group index out of range (groups + 1 = total)");
  return d->buf + (((int64_t)b - 1) * (d->groups + 1) + ((int64_t)g - 1)) * d->draws;
}

static int l_draws_get(lua_State *L) {
  fleet_draws *d = check_draws(L, 1);
  const double *x = series_of(L, d, 2);
  lua_Number i = tpp_checkint(L, 4);
  luaL_argcheck(L, i >= 1 && i <= d->draws, 4, "draw index out of range");
  lua_pushnumber(L, x[(int64_t)i - 1]);
  return 1;
}

/* probs at index idx: a list of numbers; returns k, fills p (max 64). */
static int32_t read_probs(lua_State *L, int idx, double *p) {
  int32_t k, i;
  luaL_checktype(L, idx, LUA_TTABLE);
  k = (int32_t)tpp_rawlen(L, idx);
  if (k > 64) luaL_argerror(L, idx, "at most 64 probabilities");
  for (i = 0; i < k; i++) {
    lua_rawgeti(L, idx, i + 1);
    if (lua_type(L, -1) != LUA_TNUMBER) luaL_argerror(L, idx, "list of numbers expected");
    p[i] = (double)lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  return k;
}

static void push_summary(lua_State *L, const double *q, int32_t k, double mean, double p_above) {
  int32_t j;
  lua_createtable(L, 0, 3);
  lua_createtable(L, k, 0);
  for (j = 0; j < k; j++) {
    lua_pushnumber(L, q[j]);
    lua_rawseti(L, -2, j + 1);
  }
  lua_setfield(L, -2, "q");
  lua_pushnumber(L, mean);
  lua_setfield(L, -2, "mean");
  tpp_lua_pushnum(L, p_above);
  lua_setfield(L, -2, "p_above");
}

static int l_draws_summary(lua_State *L) {
  fleet_draws *d = check_draws(L, 1);
  double p[64], threshold = luaL_optnumber(L, 3, NAN);
  int32_t k = read_probs(L, 2, p), b, g;
  int64_t n_series = (int64_t)d->bases * (d->groups + 1);
  double *q = (double *)tpp_alloc((size_t)(n_series * (k > 0 ? k : 1) + 2 * n_series) * sizeof(double));
  double *means, *pa;
  tpp_error err;
  if (!q) return luaL_error(L, "tpp: out of memory");
  means = q + n_series * (k > 0 ? k : 1);
  pa = means + n_series;
  if (tpp_series_summarize(d->buf, n_series, d->draws, p, k, threshold, q, means, pa, 0, &err) != TPP_OK) {
    tpp_free(q);
    return tpp_lua_raise(L, &err);
  }
  lua_createtable(L, d->bases, 0);
  for (b = 0; b < d->bases; b++) {
    lua_createtable(L, d->groups + 1, 0);
    for (g = 0; g <= d->groups; g++) {
      int64_t s = (int64_t)b * (d->groups + 1) + g;
      push_summary(L, q + s * k, k, means[s], pa[s]);
      lua_rawseti(L, -2, g + 1);
    }
    lua_rawseti(L, -2, b + 1);
  }
  tpp_free(q);
  return 1;
}

static int l_fleet_ratio(lua_State *L) {
  fleet_draws *a = check_draws(L, 1), *b = check_draws(L, 4);
  const double *num = series_of(L, a, 2), *den = series_of(L, b, 5);
  double p[64], q[64], mean, pa, threshold = luaL_optnumber(L, 8, NAN), *r;
  int32_t k = read_probs(L, 7, p);
  tpp_error err;
  if (a->draws != b->draws)
    return tpp_lua_errorf(L, "tpp: fleet_ratio: %lld draws against %lld; simulate both with the same draws",
                          (long long)a->draws, (long long)b->draws);
  r = (double *)tpp_alloc((size_t)a->draws * sizeof(double));
  if (!r) return luaL_error(L, "tpp: out of memory");
  if (tpp_series_ratio(num, den, a->draws, r, &err) != TPP_OK ||
      tpp_series_summary(r, a->draws, p, k, threshold, q, &mean, &pa, &err) != TPP_OK) {
    tpp_free(r);
    return tpp_lua_raise(L, &err);
  }
  tpp_free(r);
  push_summary(L, q, k, mean, pa);
  return 1;
}

static int l_draws_tostring(lua_State *L) {
  fleet_draws *d = (fleet_draws *)luaL_checkudata(L, 1, DRAWS_MT);
  if (!d->buf)
    lua_pushliteral(L, "tpp.fleet_draws (freed)");
  else
    lua_pushfstring(L, "tpp.fleet_draws (%d draws x %d bases x %d groups + total)", (int)d->draws, (int)d->bases,
                    (int)d->groups);
  return 1;
}

static int read_dist(lua_State *L, int first, tpp_dist *d) {
  lua_Number kind = tpp_checkint(L, first);
  double low = luaL_checknumber(L, first + 1), central = luaL_checknumber(L, first + 2);
  double high = luaL_checknumber(L, first + 3), coverage = luaL_optnumber(L, first + 4, 0.90);
  tpp_error err;
  if (tpp_dist_fit((int32_t)kind, low, central, high, coverage, d, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_dist_fit(lua_State *L) {
  tpp_dist d;
  read_dist(L, 1, &d);
  lua_createtable(L, 0, 9);
#define SETN(k) (lua_pushnumber(L, (lua_Number)d.k), lua_setfield(L, -2, #k))
  SETN(kind);
  SETN(low);
  SETN(central);
  SETN(high);
  SETN(coverage);
  SETN(mu);
  SETN(sigma_low);
  SETN(sigma_high);
  SETN(mode_cdf);
#undef SETN
  lua_pushnumber(L, tpp_dist_mean(&d));
  lua_setfield(L, -2, "mean");
  return 1;
}

static int l_dist_quantile(lua_State *L) {
  tpp_dist d;
  double p = luaL_checknumber(L, 6);
  read_dist(L, 1, &d);
  luaL_argcheck(L, p >= 0 && p <= 1, 6, "probability in [0, 1] expected");
  lua_pushnumber(L, tpp_dist_quantile(&d, p));
  return 1;
}

static int l_normal_quantile(lua_State *L) {
  double p = luaL_checknumber(L, 1);
  luaL_argcheck(L, p > 0 && p < 1, 1, "probability in (0, 1) expected");
  lua_pushnumber(L, tpp_normal_quantile(p));
  return 1;
}

static const luaL_Reg draws_methods[] = {
    {"free", l_draws_free},
    {"size", l_draws_size},
    {"get", l_draws_get},
    {"summary", l_draws_summary},
    {NULL, NULL}};

static const luaL_Reg fleet_funcs[] = {
    {"fleet_simulate", l_fleet_simulate},
    {"fleet_ratio", l_fleet_ratio},
    {"dist_fit", l_dist_fit},
    {"dist_quantile", l_dist_quantile},
    {"normal_quantile", l_normal_quantile},
    {NULL, NULL}};

void tpp_lua_open_fleet(lua_State *L) {
  if (luaL_newmetatable(L, DRAWS_MT)) {
    lua_newtable(L);
    luaL_setfuncs(L, draws_methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_draws_free);
    lua_setfield(L, -2, "__gc");
#ifdef TPP_HAVE_CLOSE
    lua_pushcfunction(L, l_draws_free);
    lua_setfield(L, -2, "__close");
#endif
    lua_pushcfunction(L, l_draws_tostring);
    lua_setfield(L, -2, "__tostring");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, fleet_funcs, 0);
}
