/*
 * infer_glue.c - core.infer_eval(hw, model, scenario) for the analytic
 * inference model (csrc/roofline.c). Tables in, a result table out.
 */
#include "glue.h"

#include <string.h>

static double req(lua_State *L, int idx, const char *key, const char *where) {
  double v = tpp_lua_optfield(L, idx, key, where);
  if (isnan(v)) luaL_error(L, "tpp: %s.%s: number expected, got nil", where, key);
  return v;
}

static double opt(lua_State *L, int idx, const char *key, const char *where, double dflt) {
  double v = tpp_lua_optfield(L, idx, key, where);
  return isnan(v) ? dflt : v;
}

static const char *bound_name(int b) {
  return b == TPP_BOUND_COMPUTE ? "compute" : b == TPP_BOUND_COMM ? "communication" : "memory";
}

static int l_infer_eval(lua_State *L) {
  tpp_infer_hw hw;
  tpp_infer_model m;
  tpp_infer_scenario sc;
  tpp_infer_result r;
  tpp_error err;
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checktype(L, 3, LUA_TTABLE);
  hw.peak_tflops = req(L, 1, "peak_tflops", "hw");
  hw.mem_bw_gbs = req(L, 1, "mem_bw_gbs", "hw");
  hw.mem_gb = req(L, 1, "mem_gb", "hw");
  hw.link_gbs = opt(L, 1, "link_gbs", "hw", 0);
  m.weight_bytes = req(L, 2, "weight_bytes", "model");
  m.dense_weight_bytes = opt(L, 2, "dense_weight_bytes", "model", 0);
  m.expert_bytes = opt(L, 2, "expert_bytes", "model", 0);
  m.active_params = req(L, 2, "active_params", "model");
  m.kv_bytes_per_token = req(L, 2, "kv_bytes_per_token", "model");
  m.attn_flops_per_ctx = opt(L, 2, "attn_flops_per_ctx", "model", 0);
  m.hidden_bytes = opt(L, 2, "hidden_bytes", "model", 0);
  m.n_layers = (int32_t)req(L, 2, "n_layers", "model");
  m.n_experts = (int32_t)opt(L, 2, "n_experts", "model", 0);
  m.experts_per_token = (int32_t)opt(L, 2, "experts_per_token", "model", 0);
  m.moe_layers = (int32_t)opt(L, 2, "moe_layers", "model", 0);
  tpp_infer_scenario_init(&sc);
  sc.batch = (int32_t)opt(L, 3, "batch", "scenario", sc.batch);
  sc.prompt_tokens = (int32_t)opt(L, 3, "prompt_tokens", "scenario", sc.prompt_tokens);
  sc.output_tokens = (int32_t)opt(L, 3, "output_tokens", "scenario", sc.output_tokens);
  sc.tp = (int32_t)opt(L, 3, "tp", "scenario", sc.tp);
  sc.eff_compute = opt(L, 3, "eff_compute", "scenario", sc.eff_compute);
  sc.eff_mem = opt(L, 3, "eff_mem", "scenario", sc.eff_mem);
  sc.allreduce_us = opt(L, 3, "allreduce_us", "scenario", sc.allreduce_us);
  sc.step_overhead_us = opt(L, 3, "step_overhead_us", "scenario", sc.step_overhead_us);
  sc.mem_reserve = opt(L, 3, "mem_reserve", "scenario", sc.mem_reserve);
  if (tpp_infer_eval(&hw, &m, &sc, &r, &err) != TPP_OK) return tpp_lua_raise(L, &err);
  lua_createtable(L, 0, 20);
#define SETN(k) (lua_pushnumber(L, (lua_Number)r.k), lua_setfield(L, -2, #k))
  SETN(prefill_ms);
  SETN(decode_ms);
  SETN(decode_tokens_per_s);
  SETN(user_tokens_per_s);
  SETN(prefill_tokens_per_s);
  SETN(decode_bytes);
  SETN(decode_flops);
  SETN(prefill_flops);
  SETN(weights_gb);
  SETN(kv_gb);
  SETN(intensity);
  SETN(ridge);
  SETN(comm_ms);
  SETN(max_batch);
#undef SETN
  lua_pushstring(L, bound_name(r.decode_bound));
  lua_setfield(L, -2, "decode_bound");
  lua_pushstring(L, bound_name(r.prefill_bound));
  lua_setfield(L, -2, "prefill_bound");
  lua_pushboolean(L, r.fits);
  lua_setfield(L, -2, "fits");
  return 1;
}

static const luaL_Reg infer_funcs[] = {{"infer_eval", l_infer_eval}, {NULL, NULL}};

void tpp_lua_open_infer(lua_State *L) {
  luaL_setfuncs(L, infer_funcs, 0);
}
