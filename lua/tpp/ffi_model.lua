--- tpp.ffi_model: models, tokenizers, samplers and checkpoints for the LuaJIT
-- FFI binding. Mirrors csrc/lua/model_glue.c: same functions, results and
-- messages. Token ids are llama2.c's (0-based), positions 0-based.
return function(M, C, ffi)
  local raise, wrap_tensor, check_tensor = M._raise, M._wrap_tensor, M._check_tensor

  local function errorf(fmt, ...) error("tpp: " .. fmt:format(...), 0) end
  local function is_int(v) return type(v) == "number" and v == math.floor(v) and v == v end

  local Model, Tokenizer, Sampler = {}, {}, {}
  Model.__index, Tokenizer.__index, Sampler.__index = Model, Tokenizer, Sampler

  local function checkstring(v, n, fname)
    if type(v) == "number" then return tostring(v) end
    if type(v) ~= "string" then
      error(("bad argument #%d to '%s' (string expected, got %s)")
        :format(n, fname, v == nil and "no value" or type(v)), 0)
    end
    return v
  end

  local checkint = M._checkint -- from tpp.ffi_tensor, loaded first

  local function check_obj(o, mt, what, fname, idx)
    if getmetatable(o) ~= mt then
      errorf("%s: argument %d must be a %s, got %s", fname, idx or 1, what, type(o))
    end
    if o._p == nil then errorf("%s: the %s was freed", fname, what) end
    return o._p
  end

  local formats = { v0 = C.TPP_CKPT_V0, f32 = C.TPP_CKPT_V0, fp32 = C.TPP_CKPT_V0,
                    q8 = C.TPP_CKPT_Q8, int8 = C.TPP_CKPT_Q8, v2 = C.TPP_CKPT_Q8,
                    q4 = C.TPP_CKPT_Q4, int4 = C.TPP_CKPT_Q4 }
  local function check_format(v, n, fname)
    local s = checkstring(v, n, fname)
    local f = formats[s]
    if not f then errorf("%s: format '%s' is not v0, q8 or q4", fname, s) end
    return f
  end

  local function format_name(f)
    if f == C.TPP_CKPT_Q8 then return "q8" elseif f == C.TPP_CKPT_Q4 then return "q4" end
    return "v0"
  end

  local function config_table(c)
    local t = {
      dim = c.dim, hidden_dim = c.hidden_dim, n_layers = c.n_layers, n_heads = c.n_heads,
      n_kv_heads = c.n_kv_heads, vocab_size = c.vocab_size, seq_len = c.seq_len,
      file_bytes = tonumber(c.file_bytes), n_params = tonumber(c.n_params),
      shared_classifier = c.shared_classifier ~= 0, format = format_name(c.format),
    }
    if c.group_size > 0 then t.group_size = c.group_size end
    return t
  end

  local function seed_of(v, fname)
    if v == nil then return 1 end
    if type(v) ~= "number" or v < 0 or not is_int(v) or v > 2 ^ 53 then
      errorf("%s: seed must be an integer 0..2^53", fname)
    end
    return v
  end

  -- ---- checkpoints ----

  function M.checkpoint_info(path)
    local c, err = ffi.new("tpp_model_config"), ffi.new("tpp_error")
    if C.tpp_checkpoint_info(checkstring(path, 1, "checkpoint_info"), c, err) ~= 0 then raise(err) end
    return config_table(c)
  end

  local function int_field(t, key, required, default, fname)
    local v = t[key]
    if v == nil then
      if required then errorf("%s: %s is missing", fname, key) end
      return default
    end
    if type(v) ~= "number" then errorf("%s: %s must be an integer, got %s", fname, key, type(v)) end
    if not is_int(v) or v < -2147483647 or v > 2147483647 then
      errorf("%s: %s = %g must be an integer", fname, key, v)
    end
    return v
  end

  function M.model_write_random(path, cfg, seed)
    local fn = "write_random"
    path = checkstring(path, 1, fn)
    if type(cfg) ~= "table" then
      error(("bad argument #2 to '%s' (table expected, got %s)")
        :format(fn, cfg == nil and "no value" or type(cfg)), 0)
    end
    local c = ffi.new("tpp_model_config")
    c.dim = int_field(cfg, "dim", true, 0, fn)
    c.hidden_dim = int_field(cfg, "hidden_dim", true, 0, fn)
    c.n_layers = int_field(cfg, "n_layers", true, 0, fn)
    c.n_heads = int_field(cfg, "n_heads", true, 0, fn)
    c.n_kv_heads = int_field(cfg, "n_kv_heads", false, c.n_heads, fn)
    c.vocab_size = int_field(cfg, "vocab_size", true, 0, fn)
    c.seq_len = int_field(cfg, "seq_len", true, 0, fn)
    c.group_size = int_field(cfg, "group_size", false, 0, fn)
    if cfg.shared_classifier == nil then c.shared_classifier = 1
    else c.shared_classifier = cfg.shared_classifier and 1 or 0 end
    c.format = cfg.format == nil and C.TPP_CKPT_V0 or check_format(cfg.format, -1, fn)
    local err = ffi.new("tpp_error")
    if C.tpp_model_write_random(path, c, seed_of(seed, fn), err) ~= 0 then raise(err) end
  end

  function M.checkpoint_quantize(inp, out, format, group)
    local err = ffi.new("tpp_error")
    local a, b = checkstring(inp, 1, "quantize"), checkstring(out, 2, "quantize")
    if C.tpp_checkpoint_quantize(a, b, check_format(format, 3, "quantize"), group or 0, err) ~= 0 then
      raise(err)
    end
  end

  -- ---- model ----

  local dtypes = { f32 = C.TPP_DT_F32, fp32 = C.TPP_DT_F32, q8 = C.TPP_DT_Q8, int8 = C.TPP_DT_Q8,
                   q4 = C.TPP_DT_Q4, int4 = C.TPP_DT_Q4 }

  function M.model_load(path, weights, group)
    path = checkstring(path, 1, "model_load")
    local dt = -1
    if weights ~= nil then
      local s = checkstring(weights, 2, "model_load")
      dt = dtypes[s]
      if not dt then errorf("model_load: weights '%s' must be f32, q8 or q4", s) end
    end
    local err = ffi.new("tpp_error")
    local m = C.tpp_model_load(path, dt, group or 0, err)
    if m == nil then raise(err) end
    return setmetatable({ _p = ffi.gc(m, C.tpp_model_free) }, Model)
  end

  local function free(self, destroy)
    if self._p ~= nil then
      destroy(ffi.gc(self._p, nil))
      self._p = nil
    end
  end

  function Model:free() free(self, C.tpp_model_free) end
  Model.__close = Model.free

  function Model:config()
    local m = check_obj(self, Model, "model", "config")
    local c = ffi.new("tpp_model_config")
    C.tpp_model_config_get(m, c)
    local t = config_table(c)
    t.weights = ffi.string(C.tpp_dtype_name(C.tpp_model_weight_dtype(m)))
    local g = C.tpp_model_group_size(m)
    if g > 0 then t.weight_group_size = g end
    return t
  end

  function Model:forward(tokens, pos)
    local m = check_obj(self, Model, "model", "forward")
    checkint(pos, 3, "forward")
    if type(tokens) ~= "table" then errorf("forward: tokens must be a list of token ids, got %s", type(tokens)) end
    local n = #tokens
    if n < 1 then errorf("forward: the token list is empty") end
    if pos < 0 or pos > 2147483647 then errorf("forward: position %g < 0", pos) end
    local toks = ffi.new("int32_t[?]", n)
    for i = 1, n do
      local v = tokens[i]
      if type(v) ~= "number" then errorf("forward: tokens[%d] must be an integer, got %s", i, type(v)) end
      toks[i - 1] = (is_int(v) and v >= -2147483648 and v <= 2147483647) and v or -1
    end
    local err = ffi.new("tpp_error")
    if C.tpp_model_forward(m, toks, n, pos, err) ~= 0 then raise(err) end
  end

  local function vocab_of(m)
    local c = ffi.new("tpp_model_config")
    C.tpp_model_config_get(m, c)
    return c.vocab_size
  end

  function Model:logits()
    local m = check_obj(self, Model, "model", "logits")
    local v = vocab_of(m)
    local shape, err = ffi.new("int64_t[1]", v), ffi.new("tpp_error")
    local t = C.tpp_tensor_new(C.TPP_DT_F32, 1, shape, 0, err)
    if t == nil then raise(err) end
    ffi.copy(t.data, C.tpp_model_logits(m), v * 4)
    return wrap_tensor(t)
  end

  function Model:argmax()
    local m = check_obj(self, Model, "model", "argmax")
    local lg, v = C.tpp_model_logits(m), vocab_of(m)
    local best = 0
    for i = 1, v - 1 do
      if lg[i] > lg[best] then best = i end
    end
    return best
  end

  function Model:sample(sampler)
    local m = check_obj(self, Model, "model", "sample")
    local s = check_obj(sampler, Sampler, "sampler", "sample", 2)
    local v = vocab_of(m)
    if s.vocab_size ~= v then
      errorf("sample: the sampler is for %d tokens, the model has %d", s.vocab_size, v)
    end
    return C.tpp_sampler_sample(s, C.tpp_model_logits(m))
  end

  function Model:weight_bytes()
    return tonumber(C.tpp_model_weight_bytes(check_obj(self, Model, "model", "weight_bytes")))
  end

  function Model:kv_bytes(pos)
    local m = check_obj(self, Model, "model", "kv_bytes")
    return tonumber(C.tpp_model_kv_bytes(m, checkint(pos, 2, "kv_bytes")))
  end

  function Model:flops(n, pos)
    local m = check_obj(self, Model, "model", "flops")
    return C.tpp_model_flops(m, checkint(n, 2, "flops"), pos or 0)
  end

  function Model:__tostring()
    if self._p == nil then return "tpp.model (freed)" end
    local c = ffi.new("tpp_model_config")
    C.tpp_model_config_get(self._p, c)
    return ("tpp.model %s (dim %d, %d layers, vocab %d)"):format(
      ffi.string(C.tpp_dtype_name(C.tpp_model_weight_dtype(self._p))), c.dim, c.n_layers, c.vocab_size)
  end

  -- ---- tokenizer ----

  function M.tokenizer_load(path, vocab)
    path = checkstring(path, 1, "tokenizer_load")
    checkint(vocab, 2, "tokenizer_load")
    local err = ffi.new("tpp_error")
    local t = C.tpp_tokenizer_load(path, vocab, err)
    if t == nil then raise(err) end
    return setmetatable({ _p = ffi.gc(t, C.tpp_tokenizer_free) }, Tokenizer)
  end

  function M.tokenizer_write_synthetic(path, vocab)
    local err = ffi.new("tpp_error")
    if C.tpp_tokenizer_write_synthetic(checkstring(path, 1, "tokenizer_write_synthetic"),
      checkint(vocab, 2, "tokenizer_write_synthetic"), err) ~= 0 then
      raise(err)
    end
  end

  function Tokenizer:free() free(self, C.tpp_tokenizer_free) end
  Tokenizer.__close = Tokenizer.free

  function Tokenizer:encode(text, bos, eos)
    local t = check_obj(self, Tokenizer, "tokenizer", "encode")
    text = checkstring(text, 2, "encode")
    if text:find("\0", 1, true) then errorf("encode: the text contains a NUL byte") end
    local cap = #text + 3
    local toks, n, err = ffi.new("int32_t[?]", cap), ffi.new("int32_t[1]"), ffi.new("tpp_error")
    if bos == nil then bos = true end
    if C.tpp_tokenizer_encode(t, text, bos and 1 or 0, eos and 1 or 0, toks, cap, n, err) ~= 0 then
      raise(err)
    end
    local out = {}
    for i = 1, n[0] do out[i] = toks[i - 1] end
    return out
  end

  local len1 = ffi.new("size_t[1]")
  function Tokenizer:decode(prev, token)
    local t = check_obj(self, Tokenizer, "tokenizer", "decode")
    local s = C.tpp_tokenizer_decode(t, checkint(prev, 2, "decode"), checkint(token, 3, "decode"), len1)
    return ffi.string(s, len1[0])
  end

  function Tokenizer:vocab_size()
    return C.tpp_tokenizer_vocab_size(check_obj(self, Tokenizer, "tokenizer", "vocab_size"))
  end

  -- ---- sampler ----

  function M.sampler_new(vocab, temperature, top_p, seed)
    checkint(vocab, 1, "sampler_new")
    local err = ffi.new("tpp_error")
    local s = C.tpp_sampler_new(vocab, temperature or 1.0, top_p or 0.9, seed_of(seed, "sampler_new"), err)
    if s == nil then raise(err) end
    return setmetatable({ _p = ffi.gc(s, C.tpp_sampler_free) }, Sampler)
  end

  function Sampler:free() free(self, C.tpp_sampler_free) end
  Sampler.__close = Sampler.free

  function Sampler:sample(logits)
    local s = check_obj(self, Sampler, "sampler", "sample")
    local t = check_tensor(logits, "sample", 2)
    if t.dtype ~= C.TPP_DT_F32 or t.ndim ~= 1 or t.shape[0] ~= s.vocab_size or
        C.tpp_tensor_is_contiguous(t) == 0 then
      errorf("sample: logits must be a contiguous f32 vector of %d", s.vocab_size)
    end
    return C.tpp_sampler_sample(s, ffi.cast("float *", t.data))
  end

  function Sampler:random() return C.tpp_sampler_random(check_obj(self, Sampler, "sampler", "random")) end
end
