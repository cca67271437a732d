/*
 * tensor_glue.c - the tensor userdata ("tpp.tensor") and the tensor-level
 * kernels for Lua. A userdata holds one reference to a tpp_tensor; :free(),
 * __gc and (5.4) __close release it once. Indices are 1-based here and
 * 0-based in C. Messages match lua/tpp/ffi_tensor.lua word for word.
 */
#include "glue.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* luaL_error with C's printf (lua_pushfstring has no %lld or %g). */
int tpp_lua_errorf(lua_State *L, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return luaL_error(L, "%s", buf);
}

typedef struct lua_tensor {
  tpp_tensor *t;
} lua_tensor;

tpp_tensor *tpp_lua_checktensor(lua_State *L, int idx, const char *fname) {
  lua_tensor *u = (lua_tensor *)luaL_testudata(L, idx, TPP_TENSOR_MT);
  if (!u) {
    tpp_lua_errorf(L, "tpp: %s: argument %d must be a tensor, got %s", fname, idx,
               luaL_typename(L, idx));
    return NULL;
  }
  if (!u->t) tpp_lua_errorf(L, "tpp: %s: the tensor was freed", fname);
  return u->t;
}

void tpp_lua_pushint(lua_State *L, int64_t v) {
#if LUA_VERSION_NUM >= 503
  lua_pushinteger(L, (lua_Integer)v);
#else
  lua_pushnumber(L, (lua_Number)v);
#endif
}

/* Push a new userdata owning t (steals the reference). */
void tpp_lua_pushtensor(lua_State *L, tpp_tensor *t) {
  lua_tensor *u = (lua_tensor *)lua_newuserdata(L, sizeof(lua_tensor));
  u->t = NULL;
  luaL_getmetatable(L, TPP_TENSOR_MT);
  lua_setmetatable(L, -2);
  u->t = t;
}

static int check_dtype(lua_State *L, int idx, const char *fname) {
  const char *name = luaL_checkstring(L, idx);
  int dt = tpp_dtype_from_name(name);
  if (dt < 0)
    tpp_lua_errorf(L, "tpp: %s: dtype '%s' is not one of f32, f16, bf16, q8, q4", fname, name);
  return dt;
}

/* Read a list of 1..4 integers >= 1 (a shape) or >= 0 (strides). */
static int32_t read_dims(lua_State *L, int idx, int64_t *out, const char *what, const char *fname,
                         int64_t min) {
  int32_t n, i;
  if (lua_type(L, idx) != LUA_TTABLE)
    return tpp_lua_errorf(L, "tpp: %s: %s must be a list of integers, got %s", fname, what,
                      luaL_typename(L, idx));
  n = (int32_t)tpp_rawlen(L, idx);
  if (n < 1 || n > TPP_TENSOR_MAX_DIMS)
    return tpp_lua_errorf(L, "tpp: %s: %s has %d entries, expected 1..%d", fname, what, (int)n,
                      TPP_TENSOR_MAX_DIMS);
  for (i = 0; i < n; i++) {
    lua_Number v;
    lua_rawgeti(L, idx, i + 1);
    if (lua_type(L, -1) != LUA_TNUMBER)
      return tpp_lua_errorf(L, "tpp: %s: %s[%d] must be an integer, got %s", fname, what, (int)i + 1,
                        luaL_typename(L, -1));
    v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (v != (lua_Number)(long long)v || v < (lua_Number)min || v > 9.2e18)
      return tpp_lua_errorf(L, "tpp: %s: %s[%d] = %g, expected an integer >= %d", fname, what,
                        (int)i + 1, (double)v, (int)min);
    out[i] = (int64_t)v;
  }
  return n;
}

static int l_tensor_new(lua_State *L) {
  int dtype = check_dtype(L, 1, "tensor_new");
  int64_t shape[TPP_TENSOR_MAX_DIMS];
  int32_t ndim = read_dims(L, 2, shape, "shape", "tensor_new", 1);
  int32_t group = (int32_t)luaL_optinteger(L, 3, 0);
  tpp_error err;
  tpp_tensor *t;
  lua_tensor *u = (lua_tensor *)lua_newuserdata(L, sizeof(lua_tensor));
  u->t = NULL;
  luaL_getmetatable(L, TPP_TENSOR_MT);
  lua_setmetatable(L, -2);
  t = tpp_tensor_new(dtype, ndim, shape, group, &err);
  if (!t) return tpp_lua_raise(L, &err);
  u->t = t;
  return 1;
}

static int l_tensor_free(lua_State *L) {
  lua_tensor *u = (lua_tensor *)luaL_checkudata(L, 1, TPP_TENSOR_MT);
  tpp_tensor_release(u->t);
  u->t = NULL;
  return 0;
}

static int l_tensor_is_freed(lua_State *L) {
  lua_tensor *u = (lua_tensor *)luaL_checkudata(L, 1, TPP_TENSOR_MT);
  lua_pushboolean(L, u->t == NULL);
  return 1;
}

static int l_tensor_dtype(lua_State *L) {
  lua_pushstring(L, tpp_dtype_name(tpp_lua_checktensor(L, 1, "dtype")->dtype));
  return 1;
}

static void push_dims(lua_State *L, const int64_t *d, int32_t n) {
  int32_t i;
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    tpp_lua_pushint(L, d[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

static int l_tensor_shape(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "shape");
  push_dims(L, t->shape, t->ndim);
  return 1;
}

static int l_tensor_strides(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "strides");
  push_dims(L, t->stride, t->ndim);
  return 1;
}

static int l_tensor_numel(lua_State *L) {
  tpp_lua_pushint(L, tpp_lua_checktensor(L, 1, "numel")->numel);
  return 1;
}

static int l_tensor_group_size(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "group_size");
  if (t->group_size > 0)
    lua_pushinteger(L, t->group_size);
  else
    lua_pushnil(L);
  return 1;
}

static int l_tensor_nbytes(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "nbytes");
  size_t es = tpp_dtype_size(t->dtype);
  tpp_lua_pushint(L, es ? t->numel * (int64_t)es : (int64_t)(t->data_bytes + t->scale_bytes));
  return 1;
}

static int l_tensor_is_contiguous(lua_State *L) {
  lua_pushboolean(L, tpp_tensor_is_contiguous(tpp_lua_checktensor(L, 1, "is_contiguous")));
  return 1;
}

/* Indices from arguments first..first+ndim-1 (1-based) into idx (0-based). */
static void read_index(lua_State *L, tpp_tensor *t, int first, int64_t *idx, const char *fname) {
  int32_t d;
  for (d = 0; d < t->ndim; d++) {
    lua_Number v;
    if (lua_type(L, first + d) != LUA_TNUMBER)
      tpp_lua_errorf(L, "tpp: %s: index %d must be an integer, got %s", fname, (int)d + 1,
                 luaL_typename(L, first + d));
    v = lua_tonumber(L, first + d);
    if (v != (lua_Number)(long long)v)
      tpp_lua_errorf(L, "tpp: %s: index %d must be an integer, got %g", fname, (int)d + 1, (double)v);
    idx[d] = (int64_t)v - 1;
  }
}

static int l_tensor_get(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "get");
  int64_t idx[TPP_TENSOR_MAX_DIMS];
  double v;
  tpp_error err;
  if (lua_gettop(L) - 1 != t->ndim)
    return tpp_lua_errorf(L, "tpp: get: %d indices for a %d-D tensor", lua_gettop(L) - 1, (int)t->ndim);
  read_index(L, t, 2, idx, "get");
  if (tpp_tensor_get(t, idx, &v, &err)) return tpp_lua_raise(L, &err);
  lua_pushnumber(L, (lua_Number)v);
  return 1;
}

static int l_tensor_set(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "set");
  int64_t idx[TPP_TENSOR_MAX_DIMS];
  tpp_error err;
  if (lua_gettop(L) - 2 != t->ndim)
    return tpp_lua_errorf(L, "tpp: set: %d indices for a %d-D tensor (then the value)",
                      lua_gettop(L) - 2, (int)t->ndim);
  read_index(L, t, 2, idx, "set");
  if (lua_type(L, t->ndim + 2) != LUA_TNUMBER)
    return tpp_lua_errorf(L, "tpp: set: the value must be a number, got %s",
                      luaL_typename(L, t->ndim + 2));
  if (tpp_tensor_set(t, idx, (double)lua_tonumber(L, t->ndim + 2), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_tensor_read(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "read");
  int64_t i;
  tpp_error err;
  double *buf;
  if (t->numel > (1 << 26))
    return tpp_lua_errorf(L, "tpp: read: %lld elements is too many for a Lua table (limit 2^26)",
                      (long long)t->numel);
  /* scratch as userdata: nothing leaks if a later allocation raises */
  buf = (double *)lua_newuserdata(L, (size_t)t->numel * sizeof(double));
  tpp_tensor_read_f64(t, buf, t->numel, &err);
  lua_createtable(L, (int)t->numel, 0);
  for (i = 0; i < t->numel; i++) {
    lua_pushnumber(L, (lua_Number)buf[i]);
    lua_rawseti(L, -2, (int)(i + 1));
  }
  return 1;
}

static int l_tensor_write(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "write");
  int64_t n, i;
  double *buf;
  tpp_error err;
  int rc;
  if (lua_type(L, 2) != LUA_TTABLE)
    return tpp_lua_errorf(L, "tpp: write: values must be a list of numbers, got %s",
                      luaL_typename(L, 2));
  n = (int64_t)tpp_rawlen(L, 2);
  if (n != t->numel)
    return tpp_lua_errorf(L, "tpp: write: %lld values for a tensor of %lld elements", (long long)n,
                      (long long)t->numel);
  buf = (double *)lua_newuserdata(L, (size_t)(n > 0 ? n : 1) * sizeof(double));
  for (i = 0; i < n; i++) {
    lua_rawgeti(L, 2, (int)(i + 1));
    if (lua_type(L, -1) != LUA_TNUMBER)
      return tpp_lua_errorf(L, "tpp: write: values[%d] must be a number, got %s", (int)(i + 1),
                        luaL_typename(L, -1));
    buf[i] = (double)lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  rc = tpp_tensor_write_f64(t, buf, n, &err);
  if (rc) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_tensor_fill(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "fill");
  tpp_error err;
  if (tpp_tensor_fill(t, (double)luaL_checknumber(L, 2), &err)) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_tensor_fill_random(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "fill_random");
  lua_Number seed = luaL_optnumber(L, 2, 1);
  double lo = (double)luaL_optnumber(L, 3, -1), hi = (double)luaL_optnumber(L, 4, 1);
  tpp_error err;
  if (seed < 0 || seed != (lua_Number)(long long)seed)
    return tpp_lua_errorf(L, "tpp: fill_random: seed must be an integer >= 0");
  if (tpp_tensor_fill_random(t, (uint64_t)seed, lo, hi, &err)) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_tensor_view(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "view");
  int64_t shape[TPP_TENSOR_MAX_DIMS], stride[TPP_TENSOR_MAX_DIMS];
  int32_t nd = read_dims(L, 2, shape, "shape", "view", 1), ns;
  lua_Number off = luaL_optnumber(L, 4, 0);
  tpp_error err;
  tpp_tensor *v;
  ns = read_dims(L, 3, stride, "strides", "view", 0);
  if (ns != nd)
    return tpp_lua_errorf(L, "tpp: view: %d strides for %d dimensions", (int)ns, (int)nd);
  if (off != (lua_Number)(long long)off)
    return tpp_lua_errorf(L, "tpp: view: offset must be an integer");
  v = tpp_tensor_view(t, nd, shape, stride, (int64_t)off, &err);
  if (!v) return tpp_lua_raise(L, &err);
  tpp_lua_pushtensor(L, v);
  return 1;
}

static int l_tensor_convert(lua_State *L) {
  tpp_tensor *t = tpp_lua_checktensor(L, 1, "convert");
  int dtype = check_dtype(L, 2, "convert");
  int32_t group = (int32_t)luaL_optinteger(L, 3, 0);
  tpp_error err;
  tpp_tensor *out = tpp_tensor_convert(t, dtype, group, &err);
  if (!out) return tpp_lua_raise(L, &err);
  tpp_lua_pushtensor(L, out);
  return 1;
}

static int l_tensor_copy_from(lua_State *L) {
  tpp_tensor *dst = tpp_lua_checktensor(L, 1, "copy_from");
  tpp_tensor *src = tpp_lua_checktensor(L, 2, "copy_from");
  tpp_error err;
  if (tpp_tensor_copy(dst, src, &err)) return tpp_lua_raise(L, &err);
  return 0;
}

/* Addresses for LuaJIT's FFI: the tpp_tensor header (cast it to
 * "tpp_tensor *"); valid while this tensor is not freed. */
static int l_tensor_handle(lua_State *L) {
  lua_pushlightuserdata(L, tpp_lua_checktensor(L, 1, "handle"));
  return 1;
}

static int l_tensor_offset(lua_State *L) {
  tpp_lua_pushint(L, tpp_tensor_offset(tpp_lua_checktensor(L, 1, "offset")));
  return 1;
}

static int l_tensor_tostring(lua_State *L) {
  lua_tensor *u = (lua_tensor *)luaL_checkudata(L, 1, TPP_TENSOR_MT);
  char buf[160];
  size_t used;
  int32_t d;
  if (!u->t) {
    lua_pushliteral(L, "tpp.tensor (freed)");
    return 1;
  }
  used = (size_t)snprintf(buf, sizeof buf, "tpp.tensor %s [", tpp_dtype_name(u->t->dtype));
  for (d = 0; d < u->t->ndim && used < sizeof buf; d++)
    used += (size_t)snprintf(buf + used, sizeof buf - used, d ? "x%lld" : "%lld",
                             (long long)u->t->shape[d]);
  if (used < sizeof buf) snprintf(buf + used, sizeof buf - used, "]");
  lua_pushstring(L, buf);
  return 1;
}

/* ---- kernels ---- */

static int l_linear(lua_State *L) {
  tpp_error err;
  if (tpp_linear(tpp_lua_checktensor(L, 1, "linear"), tpp_lua_checktensor(L, 2, "linear"),
                 tpp_lua_checktensor(L, 3, "linear"), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_matmul(lua_State *L) {
  tpp_error err;
  if (tpp_matmul(tpp_lua_checktensor(L, 1, "matmul"), tpp_lua_checktensor(L, 2, "matmul"),
                 tpp_lua_checktensor(L, 3, "matmul"), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_rmsnorm(lua_State *L) {
  tpp_error err;
  if (tpp_rmsnorm(tpp_lua_checktensor(L, 1, "rmsnorm"), tpp_lua_checktensor(L, 2, "rmsnorm"),
                  tpp_lua_checktensor(L, 3, "rmsnorm"), (double)luaL_optnumber(L, 4, 1e-5), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_softmax(lua_State *L) {
  tpp_error err;
  if (tpp_softmax(tpp_lua_checktensor(L, 1, "softmax"), &err)) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_rope(lua_State *L) {
  tpp_tensor *x = tpp_lua_checktensor(L, 1, "rope");
  lua_Number pos = tpp_checkint(L, 2), hs = tpp_checkint(L, 3);
  tpp_error err;
  if (tpp_rope(x, (int64_t)pos, (int32_t)hs, (double)luaL_optnumber(L, 4, 10000.0), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_silu(lua_State *L) {
  tpp_error err;
  if (tpp_silu(tpp_lua_checktensor(L, 1, "silu"), &err)) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_swiglu(lua_State *L) {
  tpp_error err;
  if (tpp_swiglu(tpp_lua_checktensor(L, 1, "swiglu"), tpp_lua_checktensor(L, 2, "swiglu"),
                 tpp_lua_checktensor(L, 3, "swiglu"), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_attention(lua_State *L) {
  tpp_error err;
  tpp_tensor *o = tpp_lua_checktensor(L, 1, "attention"), *q = tpp_lua_checktensor(L, 2, "attention");
  tpp_tensor *k = tpp_lua_checktensor(L, 3, "attention"), *v = tpp_lua_checktensor(L, 4, "attention");
  lua_Number pos = tpp_checkint(L, 5), nh = tpp_checkint(L, 6), nkv = tpp_checkint(L, 7);
  if (tpp_attention(o, q, k, v, (int64_t)pos, (int32_t)nh, (int32_t)nkv, &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

static int l_argmax(lua_State *L) {
  tpp_error err;
  int64_t i;
  if (tpp_argmax(tpp_lua_checktensor(L, 1, "argmax"), &i, &err)) return tpp_lua_raise(L, &err);
  tpp_lua_pushint(L, i + 1);
  return 1;
}

static int l_isa(lua_State *L) {
  lua_pushstring(L, tpp_isa_name(tpp_isa_active()));
  lua_pushstring(L, tpp_isa_name(tpp_isa_detected()));
  return 2;
}

static int l_isa_set(lua_State *L) {
  int level = -1;
  if (!lua_isnoneornil(L, 1)) {
    const char *s = luaL_checkstring(L, 1);
    if (strcmp(s, "scalar") == 0)
      level = TPP_ISA_SCALAR;
    else if (strcmp(s, "avx2") == 0)
      level = TPP_ISA_AVX2;
    else if (strcmp(s, "avx512") == 0 || strcmp(s, "avx512-vnni") == 0)
      level = TPP_ISA_AVX512;
    else
      return tpp_lua_errorf(L, "tpp: isa_set: '%s' is not scalar, avx2 or avx512", s);
  }
  lua_pushstring(L, tpp_isa_name(tpp_isa_set(level)));
  return 1;
}

static const luaL_Reg tensor_methods[] = {
    {"free", l_tensor_free},
    {"is_freed", l_tensor_is_freed},
    {"dtype", l_tensor_dtype},
    {"shape", l_tensor_shape},
    {"strides", l_tensor_strides},
    {"numel", l_tensor_numel},
    {"group_size", l_tensor_group_size},
    {"nbytes", l_tensor_nbytes},
    {"is_contiguous", l_tensor_is_contiguous},
    {"get", l_tensor_get},
    {"set", l_tensor_set},
    {"read", l_tensor_read},
    {"write", l_tensor_write},
    {"fill", l_tensor_fill},
    {"fill_random", l_tensor_fill_random},
    {"view", l_tensor_view},
    {"convert", l_tensor_convert},
    {"copy_from", l_tensor_copy_from},
    {"handle", l_tensor_handle},
    {"offset", l_tensor_offset},
    {NULL, NULL}};

static const luaL_Reg kernel_funcs[] = {
    {"tensor_new", l_tensor_new},
    {"linear", l_linear},
    {"matmul", l_matmul},
    {"rmsnorm", l_rmsnorm},
    {"softmax", l_softmax},
    {"rope", l_rope},
    {"silu", l_silu},
    {"swiglu", l_swiglu},
    {"attention", l_attention},
    {"argmax", l_argmax},
    {"isa", l_isa},
    {"isa_set", l_isa_set},
    {NULL, NULL}};

void tpp_lua_open_tensor(lua_State *L) {
  if (luaL_newmetatable(L, TPP_TENSOR_MT)) {
    tpp_newlib(L, tensor_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_tensor_free);
    lua_setfield(L, -2, "__gc");
#ifdef TPP_HAVE_CLOSE
    lua_pushcfunction(L, l_tensor_free);
    lua_setfield(L, -2, "__close");
#endif
    lua_pushcfunction(L, l_tensor_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "tpp.tensor");
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
  luaL_setfuncs(L, kernel_funcs, 0);
}
