/*
 * spec_glue.c - chip metrics for Lua: core.chip_metrics(chip) and the tables
 * of precisions and H100e bases. The chip table is the normalized form built
 * by lua/tpp/spec.lua: units = { {fp8 = 296, ...}, ... }, dies = { {area_mm2,
 * kind, planar}, ... } or area_mm2, memory figures, options.
 */
#include "glue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_die_kind(lua_State *L, int idx, int i) {
  const char *kind;
  int k = TPP_DIE_LOGIC;
  lua_getfield(L, idx, "kind");
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return TPP_DIE_LOGIC;
  }
  kind = lua_tostring(L, -1);
  if (!kind || lua_type(L, -1) != LUA_TSTRING)
    return luaL_error(L, "tpp: dies[%d].kind: string expected, got %s", i,
                      luaL_typename(L, -1));
  if (strcmp(kind, "logic") == 0)
    k = TPP_DIE_LOGIC;
  else if (strcmp(kind, "memory") == 0 || strcmp(kind, "hbm") == 0)
    k = TPP_DIE_MEMORY;
  else if (strcmp(kind, "other") == 0 || strcmp(kind, "dummy") == 0)
    k = TPP_DIE_OTHER;
  else
    luaL_error(L, "tpp: dies[%d].kind: got '%s', expected 'logic', 'memory' or 'other'",
               i, kind);
  lua_pop(L, 1);
  return k;
}

/* Both arrays live in one userdata on the Lua stack, so an error raised while
 * reading the table cannot leak them. */
static int l_chip_metrics(lua_State *L) {
  tpp_chip chip;
  tpp_spec_options opt;
  tpp_metrics m;
  tpp_error err;
  tpp_unit *units;
  tpp_die *dies = NULL;
  int n_units, n_dies, i, p;
  luaL_checktype(L, 1, LUA_TTABLE);
  tpp_spec_options_init(&opt);
  memset(&chip, 0, sizeof chip);

  lua_getfield(L, 1, "units");
  luaL_argcheck(L, lua_istable(L, -1), 1, "field 'units' (list of tables) expected");
  n_units = (int)tpp_rawlen(L, -1);
  luaL_argcheck(L, n_units >= 1, 1, "'units' must list at least one processing unit");
  lua_getfield(L, 1, "dies");
  n_dies = lua_istable(L, -1) ? (int)tpp_rawlen(L, -1) : 0;
  units = (tpp_unit *)lua_newuserdata(
      L, sizeof(tpp_unit) * (size_t)n_units + sizeof(tpp_die) * (size_t)(n_dies + 1));
  if (n_dies > 0) dies = (tpp_die *)(units + n_units);
  /* stack: chip, units, dies, scratch */
  for (i = 0; i < n_units; i++) {
    char where[32];
    lua_rawgeti(L, -3, i + 1);
    if (!lua_istable(L, -1))
      return luaL_error(L, "tpp: units[%d]: table expected, got %s", i + 1,
                        luaL_typename(L, -1));
    snprintf(where, sizeof where, "units[%d]", i + 1);
    for (p = 0; p < TPP_PREC_COUNT; p++)
      units[i].dense[p] = tpp_lua_optfield(L, -1, tpp_precision_name(p), where);
    lua_pop(L, 1);
  }
  for (i = 0; i < n_dies; i++) {
    char where[32];
    lua_rawgeti(L, -2, i + 1);
    if (!lua_istable(L, -1))
      return luaL_error(L, "tpp: dies[%d]: table expected, got %s", i + 1,
                        luaL_typename(L, -1));
    snprintf(where, sizeof where, "dies[%d]", i + 1);
    dies[i].area_mm2 = tpp_lua_optfield(L, -1, "area_mm2", where);
    dies[i].kind = parse_die_kind(L, lua_gettop(L), i + 1);
    lua_getfield(L, -1, "planar");
    dies[i].planar = lua_toboolean(L, -1);
    lua_pop(L, 2);
  }
  chip.units = units;
  chip.n_units = n_units;
  chip.dies = dies;
  chip.n_dies = n_dies;
  chip.area_mm2 = tpp_lua_optfield(L, 1, "area_mm2", "");
  chip.mem_bw_gbs = tpp_lua_optfield(L, 1, "mem_bw_gbs", "");
  chip.mem_area_mm2 = tpp_lua_optfield(L, 1, "mem_area_mm2", "");
  chip.interconnect_gbs = tpp_lua_optfield(L, 1, "interconnect_gbs", "");
  {
    double tf = tpp_lua_optfield(L, 1, "tf32_bits", "");
    if (!isnan(tf)) {
      if (tf != 0 && tf != 19 && tf != 32)
        return luaL_error(L, "tpp: tf32_bits: got %f, expected 0 (excluded), 19 or 32", tf);
      opt.tf32_bits = (int)tf;
    }
  }
  lua_getfield(L, 1, "unit_mode");
  if (!lua_isnil(L, -1)) {
    const char *mode = lua_tostring(L, -1);
    if (mode && strcmp(mode, "max_of_sums") == 0)
      opt.unit_mode = TPP_UNITS_MAX_OF_SUMS;
    else if (mode && strcmp(mode, "sum_of_maxes") == 0)
      opt.unit_mode = TPP_UNITS_SUM_OF_MAXES;
    else
      return luaL_error(L, "tpp: unit_mode: got '%s', expected 'max_of_sums' or 'sum_of_maxes'",
                        mode ? mode : luaL_typename(L, -1));
  }
  lua_pop(L, 1);

  if (tpp_chip_metrics(&chip, &opt, &m, &err) != TPP_OK) return tpp_lua_raise(L, &err);

  lua_createtable(L, 0, 12);
  tpp_lua_pushnum(L, m.tpp);
  lua_setfield(L, -2, "tpp");
  if (m.tpp_precision >= 0) {
    lua_pushstring(L, tpp_precision_name(m.tpp_precision));
    lua_setfield(L, -2, "tpp_precision");
  }
  tpp_lua_pushnum(L, m.area_mm2);
  lua_setfield(L, -2, "area_mm2");
  tpp_lua_pushnum(L, m.pd);
  lua_setfield(L, -2, "pd");
  tpp_lua_pushnum(L, m.pp);
  lua_setfield(L, -2, "pp");
  tpp_lua_pushnum(L, m.mbd);
  lua_setfield(L, -2, "mbd");
  tpp_lua_pushnum(L, m.h100e[TPP_H100E_TPP]);
  lua_setfield(L, -2, "h100e_tpp");
  tpp_lua_pushnum(L, m.h100e[TPP_H100E_8BIT]);
  lua_setfield(L, -2, "h100e_8bit");
  tpp_lua_pushnum(L, m.h100e[TPP_H100E_FP16]);
  lua_setfield(L, -2, "h100e_fp16");
  if (m.missing_die >= 0) {
    lua_pushinteger(L, m.missing_die + 1);
    lua_setfield(L, -2, "missing_die");
  }
  return 1;
}

/* core.precisions() -> { {name = "fp64", bits = 64}, ... } in index order. */
static int l_precisions(lua_State *L) {
  int p;
  lua_createtable(L, TPP_PREC_COUNT, 0);
  for (p = 0; p < TPP_PREC_COUNT; p++) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, tpp_precision_name(p));
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, tpp_precision_bits(p, TPP_TF32_EXCLUDED));
    lua_setfield(L, -2, "bits");
    lua_rawseti(L, -2, p + 1);
  }
  return 1;
}

/* core.h100e_bases() -> { {name = "tpp", reference = 15832}, ... } */
static int l_h100e_bases(lua_State *L) {
  int b;
  lua_createtable(L, TPP_H100E_COUNT, 0);
  for (b = 0; b < TPP_H100E_COUNT; b++) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, tpp_h100e_basis_name(b));
    lua_setfield(L, -2, "name");
    lua_pushnumber(L, tpp_h100e_reference(b));
    lua_setfield(L, -2, "reference");
    lua_rawseti(L, -2, b + 1);
  }
  return 1;
}

static const luaL_Reg spec_funcs[] = {
    {"chip_metrics", l_chip_metrics},
    {"precisions", l_precisions},
    {"h100e_bases", l_h100e_bases},
    {NULL, NULL}};

void tpp_lua_open_spec(lua_State *L) {
  luaL_setfuncs(L, spec_funcs, 0);
}
