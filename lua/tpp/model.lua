--- tpp.model: llama2.c checkpoints, generation and quantization.
--
--   local model = require "tpp.model"
--   model.write_random { path = "/tmp/m.bin", shape = "stories15M", tokenizer = "/tmp/tok.bin" }
--   local m = model.load("/tmp/m.bin", { tokenizer = "/tmp/tok.bin", weights = "q8" })
--   local text, stats = m:generate { prompt = "Once upon a time", steps = 64, temperature = 0 }
--   print(text, stats.decode_tok_s)
--   m:quantize { path = "/tmp/m.q4.bin", format = "q4" }   -- fp32 checkpoints only
--
-- Formats: "v0" (llama2.c legacy fp32), "q8" (llama2.c version 2, Q8_0) and
-- "q4" (tpp's 4-bit file; see include/tpp.h). Token ids are llama2.c's
-- (0-based); steps counts generated tokens.
local core = require "tpp.backend"

local M = {}

--- The published llama2.c model shapes (the stories models of Karpathy's
-- llama2.c README and their export configurations).
M.SHAPES = {
  stories260K = { dim = 64, hidden_dim = 172, n_layers = 5, n_heads = 8, n_kv_heads = 4,
                  vocab_size = 512, seq_len = 512 },
  stories15M = { dim = 288, hidden_dim = 768, n_layers = 6, n_heads = 6, n_kv_heads = 6,
                 vocab_size = 32000, seq_len = 256 },
  stories42M = { dim = 512, hidden_dim = 1376, n_layers = 8, n_heads = 8, n_kv_heads = 8,
                 vocab_size = 32000, seq_len = 1024 },
  stories110M = { dim = 768, hidden_dim = 2048, n_layers = 12, n_heads = 12, n_kv_heads = 12,
                  vocab_size = 32000, seq_len = 1024 },
}

local SHAPE_KEYS = { "dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len" }

local function fail(fname, msg, level) error(("tpp.model.%s: %s"):format(fname, msg), level or 3) end

-- Options are checked by the shared helper: an unknown key is refused with
-- a suggestion (allowed: name -> true, or a type as tpp.io.options takes).
local function check_opts(opts, fname, allowed)
  local spec = {}
  for k, v in pairs(allowed) do spec[k] = v == true and "any" or v end
  return require("tpp.io.options").check("tpp.model." .. fname, opts, spec)
end

local function exists(path)
  local f = io.open(path, "rb")
  if f then f:close() end
  return f ~= nil
end

--- The validated header of a checkpoint (no weights are read).
function M.info(path) return core.checkpoint_info(path) end

--- Write a checkpoint with random weights (any shape) and, when asked, a
-- matching synthetic tokenizer. Keys: path, shape (a name of M.SHAPES) or the
-- seven dimensions, shared_classifier (default true), format ("v0", "q8",
-- "q4"), group_size, seed, tokenizer (a path). Returns the path.
function M.write_random(t)
  local allowed = { path = true, shape = true, shared_classifier = true, format = true, group_size = true,
                    seed = true, tokenizer = true }
  for _, k in ipairs(SHAPE_KEYS) do allowed[k] = true end
  t = check_opts(t, "write_random", allowed)
  if type(t.path) ~= "string" then fail("write_random", "path (a string) is required") end
  local cfg = {}
  if t.shape ~= nil then
    local s = M.SHAPES[t.shape]
    if not s then
      local names = {}
      for k in pairs(M.SHAPES) do names[#names + 1] = k end
      table.sort(names)
      fail("write_random", ("unknown shape '%s' (known: %s)"):format(tostring(t.shape), table.concat(names, ", ")))
    end
    for k, v in pairs(s) do cfg[k] = v end
  end
  for _, k in ipairs(SHAPE_KEYS) do
    if t[k] ~= nil then cfg[k] = t[k] end
  end
  cfg.shared_classifier = t.shared_classifier
  cfg.format = t.format
  cfg.group_size = t.group_size
  core.model_write_random(t.path, cfg, t.seed or 1)
  if t.tokenizer then core.tokenizer_write_synthetic(t.tokenizer, cfg.vocab_size) end
  return t.path
end

--- Convert an fp32 (v0) checkpoint file to q8 or q4 without loading it whole.
function M.quantize(in_path, out_path, opts)
  opts = check_opts(opts, "quantize", { format = true, group_size = true })
  core.checkpoint_quantize(in_path, out_path, opts.format or "q8", opts.group_size or 0)
  return out_path
end

-- ---- the model object ----

local Model = {}
Model.__index = Model
M.Model = Model

--- Load a checkpoint. opts: weights ("f32", "q8", "q4": quantize an fp32
-- checkpoint while loading; default as stored), group_size, tokenizer (a
-- path; default tokenizer.bin next to the model when present; false = none).
function M.load(path, opts)
  opts = check_opts(opts, "load", { weights = true, group_size = true, tokenizer = true })
  if type(path) ~= "string" then fail("load", "a checkpoint path expected, got " .. type(path)) end
  local raw = core.model_load(path, opts.weights, opts.group_size or 0)
  local self = setmetatable({ raw = raw, path = path }, Model)
  self.cfg = raw:config()
  local tok = opts.tokenizer
  if tok == nil then
    local dir = path:match("^(.*)/[^/]*$") or "."
    if exists(dir .. "/tokenizer.bin") then tok = dir .. "/tokenizer.bin" end
  end
  if tok then
    local ok, t = pcall(core.tokenizer_load, tok, self.cfg.vocab_size)
    if not ok then
      raw:free()
      error(t, 2)
    end
    self.tokenizer = t
    self.tokenizer_path = tok
  end
  return self
end

function Model:config() return self.raw:config() end

--- Run tokens (ids) at positions pos, pos+1, ... (0-based) in one batch.
function Model:forward(tokens, pos) self.raw:forward(tokens, pos or 0) end

--- The logits of the last token run, as a new f32 tensor.
function Model:logits() return self.raw:logits() end

function Model:weight_bytes() return self.raw:weight_bytes() end
function Model:kv_bytes(pos) return self.raw:kv_bytes(pos) end
function Model:flops(n, pos) return self.raw:flops(n, pos or 0) end

local function need_tokenizer(self, fname)
  if not self.tokenizer then
    fail(fname, "this model has no tokenizer; load it with { tokenizer = path } (llama2.c's tokenizer.bin, " ..
      "or one written by tpp.model.write_random)", 4)
  end
  return self.tokenizer
end

--- Token ids of text (BOS first unless bos == false).
function Model:encode(text, bos)
  return need_tokenizer(self, "encode"):encode(text, bos ~= false, false)
end

--- The text of a list of token ids.
function Model:decode(tokens)
  local tok = need_tokenizer(self, "decode")
  local out, prev = {}, 1
  for i, t in ipairs(tokens) do
    if i > 1 or t ~= 1 then out[#out + 1] = tok:decode(prev, t) end
    prev = t
  end
  return table.concat(out)
end

--- Generate text. opts: prompt (text) or prompt_tokens (ids), steps (tokens
-- to generate, default 256, capped by the context), temperature (default
-- 1.0; 0 = greedy), top_p (default 0.9), seed, on_token(piece, id) called as
-- tokens arrive. Stops early when the model emits BOS (as llama2.c does).
-- Returns the generated text (nil without a tokenizer) and stats.
function Model:generate(opts)
  opts = check_opts(opts, "generate", { prompt = true, prompt_tokens = true, steps = true, temperature = true,
                                        top_p = true, seed = true, on_token = true })
  local cfg = self.cfg
  local prompt = opts.prompt_tokens
  if prompt == nil then
    prompt = need_tokenizer(self, "generate"):encode(opts.prompt or "", true, false)
  elseif opts.prompt ~= nil then
    fail("generate", "give prompt or prompt_tokens, not both")
  end
  if #prompt == 0 then prompt = { 1 } end
  if #prompt >= cfg.seq_len then
    fail("generate", ("the prompt has %d tokens; the context (seq_len) is %d"):format(#prompt, cfg.seq_len))
  end
  local steps = opts.steps or 256
  if type(steps) ~= "number" or steps < 0 or steps ~= math.floor(steps) then
    fail("generate", "steps must be an integer >= 0, got " .. tostring(steps))
  end
  if #prompt + steps > cfg.seq_len then steps = cfg.seq_len - #prompt end
  local sampler = core.sampler_new(cfg.vocab_size, opts.temperature or 1.0, opts.top_p or 0.9, opts.seed or 1)
  local tok = self.tokenizer
  local pieces, generated = {}, {}
  local now = core.now
  local t0 = now()
  self.raw:forward(prompt, 0) -- batched prefill
  local t1 = now()
  local prev, pos = prompt[#prompt], #prompt
  local stopped = false
  for _ = 1, steps do
    local next_tok = self.raw:sample(sampler)
    if next_tok == 1 then
      stopped = true
      break
    end
    generated[#generated + 1] = next_tok
    if tok then
      local piece = tok:decode(prev, next_tok)
      pieces[#pieces + 1] = piece
      if opts.on_token then opts.on_token(piece, next_tok) end
    elseif opts.on_token then
      opts.on_token(nil, next_tok)
    end
    prev = next_tok
    if #generated < steps then
      self.raw:forward({ next_tok }, pos)
      pos = pos + 1
    end
  end
  local t2 = now()
  sampler:free()
  local decoded = math.max(#generated - 1, 0) -- forwards after the prefill
  local stats = {
    prompt_tokens = #prompt, generated_tokens = #generated, stopped_at_bos = stopped,
    prefill_s = t1 - t0, decode_s = t2 - t1,
    prefill_tok_s = (t1 - t0) > 0 and #prompt / (t1 - t0) or nil,
    decode_tok_s = (decoded > 0 and t2 > t1) and decoded / (t2 - t1) or nil,
    weights = cfg.weights or self.raw:config().weights,
    tokens = generated,
  }
  return tok and table.concat(pieces) or nil, stats
end

--- Write this model's checkpoint file as q8 or q4. opts: path (output),
-- format ("q8" default, "q4"), group_size. The source must be fp32 (v0).
function Model:quantize(opts)
  opts = check_opts(opts, "quantize", { path = true, format = true, group_size = true })
  if type(opts.path) ~= "string" then fail("quantize", "path (the output file) is required") end
  return M.quantize(self.path, opts.path, { format = opts.format, group_size = opts.group_size })
end

function Model:free()
  if self.raw then self.raw:free() end
  if self.tokenizer then self.tokenizer:free() end
end
Model.__close = Model.free

function Model:__tostring()
  return ("tpp.model %s: %s, dim %d, %d layers, %d heads (%d KV), vocab %d, context %d"):format(
    self.path, self.cfg.weights, self.cfg.dim, self.cfg.n_layers, self.cfg.n_heads, self.cfg.n_kv_heads,
    self.cfg.vocab_size, self.cfg.seq_len)
end

return M
