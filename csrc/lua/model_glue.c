/*
 * model_glue.c - the model ("tpp.model"), tokenizer ("tpp.tokenizer") and
 * sampler ("tpp.sampler") userdata, and checkpoint functions. Token ids are
 * llama2.c's (0-based); positions are 0-based as in run.c. Messages match
 * lua/tpp/ffi_model.lua word for word.
 */
#include "glue.h"

#include <string.h>

#define MODEL_MT "tpp.model"
#define TOKENIZER_MT "tpp.tokenizer"
#define SAMPLER_MT "tpp.sampler"

typedef struct lua_model {
  tpp_model *m;
} lua_model;

typedef struct lua_tokenizer {
  tpp_tokenizer *t;
} lua_tokenizer;

typedef struct lua_sampler {
  tpp_sampler *s;
} lua_sampler;

static tpp_model *check_model(lua_State *L, int idx, const char *fname) {
  lua_model *u = (lua_model *)luaL_testudata(L, idx, MODEL_MT);
  if (!u) {
    tpp_lua_errorf(L, "tpp: %s: argument %d must be a model, got %s", fname, idx, luaL_typename(L, idx));
    return NULL;
  }
  if (!u->m) tpp_lua_errorf(L, "tpp: %s: the model was freed", fname);
  return u->m;
}

static tpp_tokenizer *check_tokenizer(lua_State *L, int idx, const char *fname) {
  lua_tokenizer *u = (lua_tokenizer *)luaL_testudata(L, idx, TOKENIZER_MT);
  if (!u) {
    tpp_lua_errorf(L, "tpp: %s: argument %d must be a tokenizer, got %s", fname, idx,
                   luaL_typename(L, idx));
    return NULL;
  }
  if (!u->t) tpp_lua_errorf(L, "tpp: %s: the tokenizer was freed", fname);
  return u->t;
}

static tpp_sampler *check_sampler(lua_State *L, int idx, const char *fname) {
  lua_sampler *u = (lua_sampler *)luaL_testudata(L, idx, SAMPLER_MT);
  if (!u) {
    tpp_lua_errorf(L, "tpp: %s: argument %d must be a sampler, got %s", fname, idx, luaL_typename(L, idx));
    return NULL;
  }
  if (!u->s) tpp_lua_errorf(L, "tpp: %s: the sampler was freed", fname);
  return u->s;
}

static const char *format_name(int32_t f) {
  return f == TPP_CKPT_Q8 ? "q8" : f == TPP_CKPT_Q4 ? "q4" : "v0";
}

static int32_t check_format(lua_State *L, int idx, const char *fname) {
  const char *s = luaL_checkstring(L, idx);
  if (strcmp(s, "v0") == 0 || strcmp(s, "f32") == 0 || strcmp(s, "fp32") == 0) return TPP_CKPT_V0;
  if (strcmp(s, "q8") == 0 || strcmp(s, "int8") == 0 || strcmp(s, "v2") == 0) return TPP_CKPT_Q8;
  if (strcmp(s, "q4") == 0 || strcmp(s, "int4") == 0) return TPP_CKPT_Q4;
  return tpp_lua_errorf(L, "tpp: %s: format '%s' is not v0, q8 or q4", fname, s);
}

static void push_config(lua_State *L, const tpp_model_config *c) {
  lua_createtable(L, 0, 12);
#define SETI(name)                              \
  tpp_lua_pushint(L, (int64_t)c->name);         \
  lua_setfield(L, -2, #name)
  SETI(dim);
  SETI(hidden_dim);
  SETI(n_layers);
  SETI(n_heads);
  SETI(n_kv_heads);
  SETI(vocab_size);
  SETI(seq_len);
  SETI(file_bytes);
  SETI(n_params);
#undef SETI
  lua_pushboolean(L, c->shared_classifier);
  lua_setfield(L, -2, "shared_classifier");
  if (c->group_size > 0) {
    lua_pushinteger(L, c->group_size);
    lua_setfield(L, -2, "group_size");
  }
  lua_pushstring(L, format_name(c->format));
  lua_setfield(L, -2, "format");
}

static int32_t int_field(lua_State *L, int idx, const char *key, int required, int32_t dflt,
                         const char *fname) {
  lua_Number v;
  lua_getfield(L, idx, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (required) return tpp_lua_errorf(L, "tpp: %s: %s is missing", fname, key);
    return dflt;
  }
  if (lua_type(L, -1) != LUA_TNUMBER)
    return tpp_lua_errorf(L, "tpp: %s: %s must be an integer, got %s", fname, key, luaL_typename(L, -1));
  v = lua_tonumber(L, -1);
  lua_pop(L, 1);
  if (v != (lua_Number)(long long)v || v < -2147483647.0 || v > 2147483647.0)
    return tpp_lua_errorf(L, "tpp: %s: %s = %g must be an integer", fname, key, (double)v);
  return (int32_t)v;
}

static uint64_t check_seed(lua_State *L, int idx, const char *fname) {
  lua_Number s = luaL_optnumber(L, idx, 1);
  if (s < 0 || s != (lua_Number)(long long)s || s > 9007199254740992.0)
    tpp_lua_errorf(L, "tpp: %s: seed must be an integer 0..2^53", fname);
  return (uint64_t)s;
}

/* ---- checkpoints ---- */

static int l_checkpoint_info(lua_State *L) {
  tpp_model_config c;
  tpp_error err;
  if (tpp_checkpoint_info(luaL_checkstring(L, 1), &c, &err)) return tpp_lua_raise(L, &err);
  push_config(L, &c);
  return 1;
}

static int l_model_write_random(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  tpp_model_config c;
  tpp_error err;
  const char *fn = "write_random";
  memset(&c, 0, sizeof c);
  luaL_checktype(L, 2, LUA_TTABLE);
  c.dim = int_field(L, 2, "dim", 1, 0, fn);
  c.hidden_dim = int_field(L, 2, "hidden_dim", 1, 0, fn);
  c.n_layers = int_field(L, 2, "n_layers", 1, 0, fn);
  c.n_heads = int_field(L, 2, "n_heads", 1, 0, fn);
  c.n_kv_heads = int_field(L, 2, "n_kv_heads", 0, c.n_heads, fn);
  c.vocab_size = int_field(L, 2, "vocab_size", 1, 0, fn);
  c.seq_len = int_field(L, 2, "seq_len", 1, 0, fn);
  c.group_size = int_field(L, 2, "group_size", 0, 0, fn);
  lua_getfield(L, 2, "shared_classifier");
  c.shared_classifier = lua_isnil(L, -1) ? 1 : lua_toboolean(L, -1);
  lua_pop(L, 1);
  lua_getfield(L, 2, "format");
  c.format = lua_isnil(L, -1) ? TPP_CKPT_V0 : check_format(L, -1, fn);
  lua_pop(L, 1);
  if (tpp_model_write_random(path, &c, check_seed(L, 3, fn), &err)) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_checkpoint_quantize(lua_State *L) {
  tpp_error err;
  if (tpp_checkpoint_quantize(luaL_checkstring(L, 1), luaL_checkstring(L, 2),
                              check_format(L, 3, "quantize"), (int32_t)luaL_optinteger(L, 4, 0), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

/* ---- model ---- */

static int l_model_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int32_t dtype = -1;
  tpp_error err;
  lua_model *u;
  if (!lua_isnoneornil(L, 2)) {
    const char *s = luaL_checkstring(L, 2);
    dtype = tpp_dtype_from_name(s);
    if (dtype != TPP_DT_F32 && dtype != TPP_DT_Q8 && dtype != TPP_DT_Q4)
      return tpp_lua_errorf(L, "tpp: model_load: weights '%s' must be f32, q8 or q4", s);
  }
  u = (lua_model *)lua_newuserdata(L, sizeof(lua_model));
  u->m = NULL;
  luaL_getmetatable(L, MODEL_MT);
  lua_setmetatable(L, -2);
  u->m = tpp_model_load(path, dtype, (int32_t)luaL_optinteger(L, 3, 0), &err);
  if (!u->m) return tpp_lua_raise(L, &err);
  return 1;
}

static int l_model_free(lua_State *L) {
  lua_model *u = (lua_model *)luaL_checkudata(L, 1, MODEL_MT);
  tpp_model_free(u->m);
  u->m = NULL;
  return 0;
}

static int l_model_config(lua_State *L) {
  tpp_model *m = check_model(L, 1, "config");
  tpp_model_config c;
  tpp_model_config_get(m, &c);
  push_config(L, &c);
  lua_pushstring(L, tpp_dtype_name(tpp_model_weight_dtype(m)));
  lua_setfield(L, -2, "weights");
  if (tpp_model_group_size(m) > 0) {
    lua_pushinteger(L, tpp_model_group_size(m));
    lua_setfield(L, -2, "weight_group_size");
  }
  return 1;
}

static int l_model_forward(lua_State *L) {
  tpp_model *m = check_model(L, 1, "forward");
  lua_Number pos = tpp_checkint(L, 3);
  int32_t n, i, *toks;
  tpp_error err;
  if (lua_type(L, 2) != LUA_TTABLE)
    return tpp_lua_errorf(L, "tpp: forward: tokens must be a list of token ids, got %s", luaL_typename(L, 2));
  n = (int32_t)tpp_rawlen(L, 2);
  if (n < 1) return tpp_lua_errorf(L, "tpp: forward: the token list is empty");
  if (pos < 0 || pos > 2147483647.0) return tpp_lua_errorf(L, "tpp: forward: position %g < 0", (double)pos);
  toks = (int32_t *)lua_newuserdata(L, (size_t)n * sizeof(int32_t));
  for (i = 0; i < n; i++) {
    lua_Number v;
    lua_rawgeti(L, 2, i + 1);
    if (lua_type(L, -1) != LUA_TNUMBER)
      return tpp_lua_errorf(L, "tpp: forward: tokens[%d] must be an integer, got %s", (int)i + 1,
                            luaL_typename(L, -1));
    v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    toks[i] = v == (lua_Number)(int32_t)v ? (int32_t)v : -1;
  }
  if (tpp_model_forward(m, toks, n, (int32_t)pos, &err)) return tpp_lua_raise(L, &err);
  return 0;
}

static int l_model_logits(lua_State *L) {
  tpp_model *m = check_model(L, 1, "logits");
  tpp_model_config c;
  int64_t shape[1];
  tpp_error err;
  tpp_tensor *t;
  tpp_model_config_get(m, &c);
  shape[0] = c.vocab_size;
  t = tpp_tensor_new(TPP_DT_F32, 1, shape, 0, &err);
  if (!t) return tpp_lua_raise(L, &err);
  memcpy(t->data, tpp_model_logits(m), (size_t)c.vocab_size * sizeof(float));
  tpp_lua_pushtensor(L, t);
  return 1;
}

static int l_model_argmax(lua_State *L) {
  tpp_model *m = check_model(L, 1, "argmax");
  tpp_model_config c;
  const float *lg = tpp_model_logits(m);
  int32_t i, best = 0;
  tpp_model_config_get(m, &c);
  for (i = 1; i < c.vocab_size; i++)
    if (lg[i] > lg[best]) best = i;
  lua_pushinteger(L, best);
  return 1;
}

static int l_model_sample(lua_State *L) {
  tpp_model *m = check_model(L, 1, "sample");
  tpp_sampler *s = check_sampler(L, 2, "sample");
  tpp_model_config c;
  tpp_model_config_get(m, &c);
  if (s->vocab_size != c.vocab_size)
    return tpp_lua_errorf(L, "tpp: sample: the sampler is for %d tokens, the model has %d",
                          (int)s->vocab_size, (int)c.vocab_size);
  lua_pushinteger(L, tpp_sampler_sample(s, tpp_model_logits(m)));
  return 1;
}

static int l_model_weight_bytes(lua_State *L) {
  tpp_lua_pushint(L, tpp_model_weight_bytes(check_model(L, 1, "weight_bytes")));
  return 1;
}

static int l_model_kv_bytes(lua_State *L) {
  tpp_model *m = check_model(L, 1, "kv_bytes");
  tpp_lua_pushint(L, tpp_model_kv_bytes(m, (int64_t)tpp_checkint(L, 2)));
  return 1;
}

static int l_model_flops(lua_State *L) {
  tpp_model *m = check_model(L, 1, "flops");
  lua_pushnumber(L, (lua_Number)tpp_model_flops(m, (int64_t)tpp_checkint(L, 2),
                                                (int64_t)luaL_optnumber(L, 3, 0)));
  return 1;
}

static int l_model_tostring(lua_State *L) {
  lua_model *u = (lua_model *)luaL_checkudata(L, 1, MODEL_MT);
  tpp_model_config c;
  if (!u->m) {
    lua_pushliteral(L, "tpp.model (freed)");
    return 1;
  }
  tpp_model_config_get(u->m, &c);
  lua_pushfstring(L, "tpp.model %s (dim %d, %d layers, vocab %d)",
                  tpp_dtype_name(tpp_model_weight_dtype(u->m)), (int)c.dim, (int)c.n_layers,
                  (int)c.vocab_size);
  return 1;
}

/* ---- tokenizer ---- */

static int l_tokenizer_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  lua_Number vocab = tpp_checkint(L, 2);
  tpp_error err;
  lua_tokenizer *u = (lua_tokenizer *)lua_newuserdata(L, sizeof(lua_tokenizer));
  u->t = NULL;
  luaL_getmetatable(L, TOKENIZER_MT);
  lua_setmetatable(L, -2);
  u->t = tpp_tokenizer_load(path, (int32_t)vocab, &err);
  if (!u->t) return tpp_lua_raise(L, &err);
  return 1;
}

static int l_tokenizer_free(lua_State *L) {
  lua_tokenizer *u = (lua_tokenizer *)luaL_checkudata(L, 1, TOKENIZER_MT);
  tpp_tokenizer_free(u->t);
  u->t = NULL;
  return 0;
}

static int l_tokenizer_encode(lua_State *L) {
  tpp_tokenizer *t = check_tokenizer(L, 1, "encode");
  size_t len;
  const char *text = luaL_checklstring(L, 2, &len);
  int bos = lua_isnoneornil(L, 3) ? 1 : lua_toboolean(L, 3);
  int eos = lua_toboolean(L, 4);
  int32_t n = 0, i, *toks;
  tpp_error err;
  if (strlen(text) != len) return tpp_lua_errorf(L, "tpp: encode: the text contains a NUL byte");
  toks = (int32_t *)lua_newuserdata(L, (len + 3) * sizeof(int32_t));
  if (tpp_tokenizer_encode(t, text, bos, eos, toks, (int32_t)(len + 3), &n, &err))
    return tpp_lua_raise(L, &err);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushinteger(L, toks[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

static int l_tokenizer_decode(lua_State *L) {
  tpp_tokenizer *t = check_tokenizer(L, 1, "decode");
  size_t len;
  const char *s = tpp_tokenizer_decode(t, (int32_t)tpp_checkint(L, 2), (int32_t)tpp_checkint(L, 3), &len);
  lua_pushlstring(L, s, len);
  return 1;
}

static int l_tokenizer_vocab_size(lua_State *L) {
  lua_pushinteger(L, tpp_tokenizer_vocab_size(check_tokenizer(L, 1, "vocab_size")));
  return 1;
}

static int l_tokenizer_write_synthetic(lua_State *L) {
  tpp_error err;
  if (tpp_tokenizer_write_synthetic(luaL_checkstring(L, 1), (int32_t)tpp_checkint(L, 2), &err))
    return tpp_lua_raise(L, &err);
  return 0;
}

/* ---- sampler ---- */

static int l_sampler_new(lua_State *L) {
  lua_Number vocab = tpp_checkint(L, 1);
  double temp = (double)luaL_optnumber(L, 2, 1.0), top_p = (double)luaL_optnumber(L, 3, 0.9);
  uint64_t seed = check_seed(L, 4, "sampler_new");
  tpp_error err;
  lua_sampler *u = (lua_sampler *)lua_newuserdata(L, sizeof(lua_sampler));
  u->s = NULL;
  luaL_getmetatable(L, SAMPLER_MT);
  lua_setmetatable(L, -2);
  u->s = tpp_sampler_new((int32_t)vocab, temp, top_p, seed, &err);
  if (!u->s) return tpp_lua_raise(L, &err);
  return 1;
}

static int l_sampler_free(lua_State *L) {
  lua_sampler *u = (lua_sampler *)luaL_checkudata(L, 1, SAMPLER_MT);
  tpp_sampler_free(u->s);
  u->s = NULL;
  return 0;
}

static int l_sampler_sample(lua_State *L) {
  tpp_sampler *s = check_sampler(L, 1, "sample");
  tpp_tensor *t = tpp_lua_checktensor(L, 2, "sample");
  if (t->dtype != TPP_DT_F32 || t->ndim != 1 || t->shape[0] != s->vocab_size ||
      !tpp_tensor_is_contiguous(t))
    return tpp_lua_errorf(L, "tpp: sample: logits must be a contiguous f32 vector of %d", (int)s->vocab_size);
  lua_pushinteger(L, tpp_sampler_sample(s, (float *)t->data));
  return 1;
}

static int l_sampler_random(lua_State *L) {
  lua_pushnumber(L, (lua_Number)tpp_sampler_random(check_sampler(L, 1, "random")));
  return 1;
}

static const luaL_Reg model_methods[] = {
    {"free", l_model_free},
    {"config", l_model_config},
    {"forward", l_model_forward},
    {"logits", l_model_logits},
    {"argmax", l_model_argmax},
    {"sample", l_model_sample},
    {"weight_bytes", l_model_weight_bytes},
    {"kv_bytes", l_model_kv_bytes},
    {"flops", l_model_flops},
    {NULL, NULL}};

static const luaL_Reg tokenizer_methods[] = {
    {"free", l_tokenizer_free},
    {"encode", l_tokenizer_encode},
    {"decode", l_tokenizer_decode},
    {"vocab_size", l_tokenizer_vocab_size},
    {NULL, NULL}};

static const luaL_Reg sampler_methods[] = {
    {"free", l_sampler_free},
    {"sample", l_sampler_sample},
    {"random", l_sampler_random},
    {NULL, NULL}};

static const luaL_Reg model_funcs[] = {
    {"checkpoint_info", l_checkpoint_info},
    {"checkpoint_quantize", l_checkpoint_quantize},
    {"model_write_random", l_model_write_random},
    {"model_load", l_model_load},
    {"tokenizer_load", l_tokenizer_load},
    {"tokenizer_write_synthetic", l_tokenizer_write_synthetic},
    {"sampler_new", l_sampler_new},
    {NULL, NULL}};

static void new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction gc,
                      lua_CFunction tostring) {
  if (luaL_newmetatable(L, name)) {
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__gc");
#ifdef TPP_HAVE_CLOSE
    lua_pushcfunction(L, gc);
    lua_setfield(L, -2, "__close");
#endif
    if (tostring) {
      lua_pushcfunction(L, tostring);
      lua_setfield(L, -2, "__tostring");
    }
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
  }
  lua_pop(L, 1);
}

void tpp_lua_open_model(lua_State *L) {
  new_class(L, MODEL_MT, model_methods, l_model_free, l_model_tostring);
  new_class(L, TOKENIZER_MT, tokenizer_methods, l_tokenizer_free, NULL);
  new_class(L, SAMPLER_MT, sampler_methods, l_sampler_free, NULL);
  luaL_setfuncs(L, model_funcs, 0);
}
