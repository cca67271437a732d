/*
 * serve_glue.c - the serving model (csrc/serve.c) for Lua:
 *   core.serve_eval(config)            -> result table
 *   core.serve_search(config, target)  -> result table
 *   core.serve_sweep(base, chips, models, plans, batches[, threads[, collect]]) -> summary
 * A config is { chip = {...}, model = {...}, plan = {...}, work = {...},
 * eff = {...} } with the field names of the C structs; a missing field keeps
 * its default (tpp_serve_config_init), an unknown one is an error.
 */
#include "glue.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef struct field {
  const char *name;
  size_t offset;
  char type; /* 'd' double, 'i' int32_t */
} field;

#define FD(S, f) {#f, offsetof(S, f), 'd'}
#define FI(S, f) {#f, offsetof(S, f), 'i'}

static const field chip_fields[] = {
    FD(tpp_serve_chip, gemm_tflops), FD(tpp_serve_chip, attn_tflops), FD(tpp_serve_chip, mem_bw_gbs),
    FD(tpp_serve_chip, mem_gb), FD(tpp_serve_chip, scaleup_gbs), FD(tpp_serve_chip, scaleout_gbs),
    FD(tpp_serve_chip, scaleup_us), FD(tpp_serve_chip, scaleout_us), FI(tpp_serve_chip, scaleup_size),
    {NULL, 0, 0}};
static const field model_fields[] = {
    FD(tpp_serve_model, dense_params), FD(tpp_serve_model, resident_params),
    FD(tpp_serve_model, expert_params), FD(tpp_serve_model, weight_bytes),
    FD(tpp_serve_model, kv_bytes_per_token), FD(tpp_serve_model, attn_flops_per_ctx),
    FD(tpp_serve_model, prefill_attn_flops_per_ctx),
    FD(tpp_serve_model, hidden), FD(tpp_serve_model, act_bytes), FI(tpp_serve_model, n_layers),
    FI(tpp_serve_model, moe_layers), FI(tpp_serve_model, n_experts),
    FI(tpp_serve_model, experts_per_token), FI(tpp_serve_model, kv_heads), {NULL, 0, 0}};
static const field plan_fields[] = {FI(tpp_serve_plan, tp), FI(tpp_serve_plan, pp), FI(tpp_serve_plan, ep),
                                    {NULL, 0, 0}};
static const field work_fields[] = {
    FI(tpp_serve_workload, batch), FI(tpp_serve_workload, input_tokens),
    FI(tpp_serve_workload, output_tokens), FI(tpp_serve_workload, mode),
    FI(tpp_serve_workload, spec_tokens), FD(tpp_serve_workload, spec_accept),
    FD(tpp_serve_workload, prefix_hit), {NULL, 0, 0}};
static const field eff_fields[] = {
    FD(tpp_serve_eff, mem), FD(tpp_serve_eff, compute), FD(tpp_serve_eff, gemm_m_half), FD(tpp_serve_eff, roofline_p), FD(tpp_serve_eff, step_us),
    FD(tpp_serve_eff, overlap), FD(tpp_serve_eff, mem_reserve), FD(tpp_serve_eff, dispatch_bytes),
    FD(tpp_serve_eff, moe_imbalance), {NULL, 0, 0}};
static const field target_fields[] = {
    FI(tpp_serve_target, kind), FI(tpp_serve_target, max_batch), FD(tpp_serve_target, ttft_ms),
    FD(tpp_serve_target, tpot_ms), {NULL, 0, 0}};

static const struct {
  const char *name;
  const field *fields;
  size_t offset;
} sections[] = {{"chip", chip_fields, offsetof(tpp_serve_config, chip)},
                {"model", model_fields, offsetof(tpp_serve_config, model)},
                {"plan", plan_fields, offsetof(tpp_serve_config, plan)},
                {"work", work_fields, offsetof(tpp_serve_config, work)},
                {"eff", eff_fields, offsetof(tpp_serve_config, eff)},
                {NULL, NULL, 0}};

/* A positive stack index for idx (lua_absindex is 5.2+). */
static int abs_index(lua_State *L, int idx) {
  return idx > 0 || idx <= LUA_REGISTRYINDEX ? idx : lua_gettop(L) + idx + 1;
}

static void field_names(const field *fs, char *buf, size_t n) {
  size_t used = 0;
  buf[0] = 0;
  for (; fs->name; fs++) {
    int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", fs->name);
    if (w < 0 || (size_t)w >= n - used) break;
    used += (size_t)w;
  }
}

/* Read the table at idx into the struct at base; where names it in errors. */
static void read_fields(lua_State *L, int idx, const field *fs, void *base, const char *where) {
  const field *f;
  idx = abs_index(L, idx);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    for (f = fs; key && f->name; f++)
      if (strcmp(f->name, key) == 0) break;
    if (!key || !f->name) {
      char names[256];
      field_names(fs, names, sizeof names);
      tpp_lua_errorf(L, "tpp: %s.%s: unknown field; expected one of %s", where,
                     key ? key : luaL_typename(L, -2), names);
    }
    lua_pop(L, 1);
  }
  for (f = fs; f->name; f++) {
    double v = tpp_lua_optfield(L, idx, f->name, where);
    if (isnan(v)) continue;
    if (f->type == 'd') {
      memcpy((char *)base + f->offset, &v, sizeof v);
    } else {
      int32_t iv;
      if (v != floor(v) || v < -2147483648.0 || v > 2147483647.0)
        tpp_lua_errorf(L, "tpp: %s.%s: got %.17g, expected a whole number", where, f->name, v);
      iv = (int32_t)v;
      memcpy((char *)base + f->offset, &iv, sizeof iv);
    }
  }
}

static void read_config(lua_State *L, int idx, tpp_serve_config *cfg, const char *fname) {
  int i;
  if (lua_type(L, idx) != LUA_TTABLE)
    tpp_lua_errorf(L, "bad argument #%d to '%s' (table expected, got %s)", idx, fname,
                   luaL_typename(L, idx));
  tpp_serve_config_init(cfg);
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
    for (i = 0; key && sections[i].name; i++)
      if (strcmp(sections[i].name, key) == 0) break;
    if (!key || !sections[i].name)
      tpp_lua_errorf(L, "tpp: config.%s: unknown section; expected chip, model, plan, work or eff",
                     key ? key : luaL_typename(L, -2));
    lua_pop(L, 1);
  }
  for (i = 0; sections[i].name; i++) {
    char where[32];
    lua_getfield(L, idx, sections[i].name);
    if (!lua_isnil(L, -1)) {
      if (lua_type(L, -1) != LUA_TTABLE)
        tpp_lua_errorf(L, "tpp: config.%s: table expected, got %s", sections[i].name, luaL_typename(L, -1));
      snprintf(where, sizeof where, "config.%s", sections[i].name);
      read_fields(L, -1, sections[i].fields, (char *)cfg + sections[i].offset, where);
    }
    lua_pop(L, 1);
  }
}

static const char *status_name(int s) {
  switch (s) {
  case TPP_SERVE_OK: return "ok";
  case TPP_SERVE_WEIGHTS_DO_NOT_FIT: return "weights_do_not_fit";
  case TPP_SERVE_BATCH_DOES_NOT_FIT: return "batch_does_not_fit";
  case TPP_SERVE_TP_EXCEEDS_DOMAIN: return "tp_exceeds_domain";
  case TPP_SERVE_NEEDS_SCALEOUT: return "needs_scaleout";
  case TPP_SERVE_LATENCY_UNMET: return "latency_unmet";
  default: return "bad_plan";
  }
}

static const char *bound_name(int b) {
  switch (b) {
  case TPP_SERVE_BOUND_COMPUTE: return "compute";
  case TPP_SERVE_BOUND_COMM: return "communication";
  case TPP_SERVE_BOUND_OVERHEAD: return "overhead";
  default: return "memory";
  }
}

static void push_result(lua_State *L, const tpp_serve_result *r) {
  lua_createtable(L, 0, 24);
  lua_pushstring(L, status_name(r->status));
  lua_setfield(L, -2, "status");
  lua_pushstring(L, bound_name(r->decode_bound));
  lua_setfield(L, -2, "decode_bound");
  lua_pushstring(L, bound_name(r->prefill_bound));
  lua_setfield(L, -2, "prefill_bound");
#define SETI(k) (tpp_lua_pushint(L, r->k), lua_setfield(L, -2, #k))
#define SETN(k) (tpp_lua_pushnum(L, r->k), lua_setfield(L, -2, #k))
  SETI(batch);
  SETI(max_batch);
  SETI(chips_per_replica);
  SETN(step_ms);
  SETN(tpot_ms);
  SETN(ttft_ms);
  SETN(prefill_ms);
  SETN(per_chip_output_tokens_per_s);
  SETN(per_chip_prefill_tokens_per_s);
  SETN(user_tokens_per_s);
  SETN(decode_weight_bytes);
  SETN(decode_kv_bytes);
  SETN(decode_flops);
  SETN(allreduce_bytes);
  SETN(allreduce_count);
  SETN(alltoall_bytes);
  SETN(comm_ms);
  SETN(mem_ms);
  SETN(compute_ms);
  SETN(weights_gb);
  SETN(kv_gb);
#undef SETI
#undef SETN
}

static int l_serve_eval(lua_State *L) {
  tpp_serve_config cfg;
  tpp_serve_result r;
  tpp_error err;
  read_config(L, 1, &cfg, "serve_eval");
  if (tpp_serve_eval(&cfg, &r, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  push_result(L, &r);
  return 1;
}

static int l_serve_search(lua_State *L) {
  tpp_serve_config cfg;
  tpp_serve_target t;
  tpp_serve_result r;
  tpp_error err;
  read_config(L, 1, &cfg, "serve_search");
  if (lua_type(L, 2) != LUA_TTABLE)
    tpp_lua_errorf(L, "bad argument #2 to 'serve_search' (table expected, got %s)", luaL_typename(L, 2));
  memset(&t, 0, sizeof t);
  read_fields(L, 2, target_fields, &t, "target");
  if (tpp_serve_search(&cfg, &t, &r, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  push_result(L, &r);
  return 1;
}

/* Read list arg (a sequence of tables) into n structs of size sz. */
static void *read_list(lua_State *L, int arg, const field *fs, size_t sz, const void *dflt,
                       const char *what, int64_t *n) {
  int64_t i, len;
  char *out;
  luaL_checktype(L, arg, LUA_TTABLE);
  len = (int64_t)tpp_rawlen(L, arg);
  if (len < 1) tpp_lua_errorf(L, "tpp: serve_sweep: %s: a non-empty list expected", what);
  out = (char *)lua_newuserdata(L, (size_t)len * sz); /* freed with the call's stack */
  for (i = 0; i < len; i++) {
    char where[48];
    memcpy(out + i * (int64_t)sz, dflt, sz);
    lua_rawgeti(L, arg, (int)(i + 1));
    if (lua_type(L, -1) != LUA_TTABLE)
      tpp_lua_errorf(L, "tpp: serve_sweep: %s[%lld]: table expected, got %s", what, (long long)(i + 1),
                     luaL_typename(L, -1));
    snprintf(where, sizeof where, "%s[%lld]", what, (long long)(i + 1));
    read_fields(L, -1, fs, out + i * (int64_t)sz, where);
    lua_pop(L, 1);
  }
  *n = len;
  return out;
}

static int l_serve_sweep(lua_State *L) {
  tpp_serve_config base;
  tpp_serve_plan plan1 = {1, 1, 1};
  tpp_serve_chip *chips;
  tpp_serve_model *models;
  tpp_serve_plan *plans;
  int32_t *batches;
  int64_t nc, nm, np, nb, n, i, feasible = 0, best_i = -1;
  double *tok, *tpot, sum = 0, best = -1;
  int32_t *status;
  int threads, collect;
  tpp_error err;
  read_config(L, 1, &base, "serve_sweep");
  chips = (tpp_serve_chip *)read_list(L, 2, chip_fields, sizeof *chips, &base.chip, "chips", &nc);
  models = (tpp_serve_model *)read_list(L, 3, model_fields, sizeof *models, &base.model, "models", &nm);
  plans = (tpp_serve_plan *)read_list(L, 4, plan_fields, sizeof *plans, &plan1, "plans", &np);
  luaL_checktype(L, 5, LUA_TTABLE);
  nb = (int64_t)tpp_rawlen(L, 5);
  if (nb < 1) return tpp_lua_errorf(L, "tpp: serve_sweep: batches: a non-empty list expected");
  batches = (int32_t *)lua_newuserdata(L, (size_t)nb * sizeof *batches);
  for (i = 0; i < nb; i++) {
    double v;
    lua_rawgeti(L, 5, (int)(i + 1));
    v = lua_tonumber(L, -1);
    if (lua_type(L, -1) != LUA_TNUMBER || v != floor(v) || v < 1 || v > 1073741824.0)
      tpp_lua_errorf(L, "tpp: serve_sweep: batches[%lld]: a whole number in 1..2^30 expected",
                     (long long)(i + 1));
    batches[i] = (int32_t)v;
    lua_pop(L, 1);
  }
  threads = (int)luaL_optinteger(L, 6, 0);
  collect = lua_toboolean(L, 7);
  if (nc > INT64_MAX / nm / np / nb) return luaL_error(L, "tpp: serve_sweep: sweep too large");
  n = nc * nm * np * nb;
  tok = (double *)malloc((size_t)n * sizeof *tok);
  tpot = (double *)malloc((size_t)n * sizeof *tpot);
  status = (int32_t *)malloc((size_t)n * sizeof *status);
  if (!tok || !tpot || !status) {
    free(tok);
    free(tpot);
    free(status);
    return luaL_error(L, "tpp: serve_sweep: out of memory for %lld configurations", (long long)n);
  }
  if (tpp_serve_sweep(&base, chips, nc, models, nm, plans, np, batches, nb, tok, tpot, status, threads,
                      &err) != TPP_OK) {
    free(tok);
    free(tpot);
    free(status);
    return tpp_lua_raise(L, &err);
  }
  for (i = 0; i < n; i++) {
    if (status[i] != TPP_SERVE_OK) continue;
    feasible++;
    sum += tok[i];
    if (tok[i] > best) best = tok[i], best_i = i;
  }
  lua_createtable(L, 0, 8);
  tpp_lua_pushint(L, n);
  lua_setfield(L, -2, "n");
  tpp_lua_pushint(L, feasible);
  lua_setfield(L, -2, "feasible");
  lua_pushnumber(L, sum);
  lua_setfield(L, -2, "sum_tokens_per_s");
  tpp_lua_pushnum(L, best_i >= 0 ? best : NAN);
  lua_setfield(L, -2, "best_tokens_per_s");
  if (best_i >= 0) {
    tpp_lua_pushint(L, best_i + 1);
    lua_setfield(L, -2, "best_index");
  }
  if (collect) {
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) (tpp_lua_pushnum(L, tok[i]), lua_rawseti(L, -2, (int)(i + 1)));
    lua_setfield(L, -2, "tokens_per_s");
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) (tpp_lua_pushnum(L, tpot[i]), lua_rawseti(L, -2, (int)(i + 1)));
    lua_setfield(L, -2, "tpot_ms");
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) (lua_pushstring(L, status_name(status[i])), lua_rawseti(L, -2, (int)(i + 1)));
    lua_setfield(L, -2, "status");
  }
  free(tok);
  free(tpot);
  free(status);
  return 1;
}

static const luaL_Reg serve_funcs[] = {
    {"serve_eval", l_serve_eval}, {"serve_search", l_serve_search}, {"serve_sweep", l_serve_sweep},
    {NULL, NULL}};

void tpp_lua_open_serve(lua_State *L) {
  luaL_setfuncs(L, serve_funcs, 0);
}
