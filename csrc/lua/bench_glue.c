/*
 * bench_glue.c - host probes for the Lua benchmarks (lua/tpp/bench/):
 * read bandwidth and raw OpenBLAS GEMMs timed in C, and what BLAS and CPU
 * this is. Messages match lua/tpp/ffi_bench.lua.
 */
#include "glue.h"

static int l_bench_membw(lua_State *L) {
  lua_Number bytes = tpp_checkint(L, 1);
  int threads = (int)luaL_optinteger(L, 2, 0);
  double seconds = (double)luaL_optnumber(L, 3, 0.5), gbs = 0;
  tpp_error err;
  if (tpp_bench_membw((int64_t)bytes, threads, seconds, &gbs, &err)) return tpp_lua_raise(L, &err);
  lua_pushnumber(L, (lua_Number)gbs);
  return 1;
}

static int gemm(lua_State *L, int dbl) {
  lua_Number m = tpp_checkint(L, 1), n = tpp_checkint(L, 2), k = tpp_checkint(L, 3);
  double seconds = (double)luaL_optnumber(L, 4, 0.5), gf = 0;
  tpp_error err;
  int rc = dbl ? tpp_bench_dgemm((int64_t)m, (int64_t)n, (int64_t)k, seconds, &gf, &err)
               : tpp_bench_sgemm((int64_t)m, (int64_t)n, (int64_t)k, seconds, &gf, &err);
  if (rc) return tpp_lua_raise(L, &err);
  lua_pushnumber(L, (lua_Number)gf);
  return 1;
}

static int l_bench_sgemm(lua_State *L) {
  return gemm(L, 0);
}

static int l_bench_dgemm(lua_State *L) {
  return gemm(L, 1);
}

static int l_blas_info(lua_State *L) {
  lua_pushstring(L, tpp_blas_info());
  return 1;
}

static int l_cpu_name(lua_State *L) {
  lua_pushstring(L, tpp_cpu_name());
  return 1;
}

static int l_bench_sgemv(lua_State *L) {
  lua_Number m = tpp_checkint(L, 1), n = tpp_checkint(L, 2), bytes = tpp_checkint(L, 3);
  double seconds = (double)luaL_optnumber(L, 4, 0.5), gbs = 0;
  tpp_error err;
  if (tpp_bench_sgemv((int64_t)m, (int64_t)n, (int64_t)bytes, seconds, &gbs, &err))
    return tpp_lua_raise(L, &err);
  lua_pushnumber(L, (lua_Number)gbs);
  return 1;
}

static const luaL_Reg bench_funcs[] = {
    {"bench_sgemv", l_bench_sgemv},
    {"bench_membw", l_bench_membw},
    {"bench_sgemm", l_bench_sgemm},
    {"bench_dgemm", l_bench_dgemm},
    {"blas_info", l_blas_info},
    {"cpu_name", l_cpu_name},
    {NULL, NULL}};

void tpp_lua_open_bench(lua_State *L) {
  luaL_setfuncs(L, bench_funcs, 0);
}
