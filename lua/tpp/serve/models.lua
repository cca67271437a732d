--- tpp.serve.models: LLM architectures for the serving model.
--
--   local models = require "tpp.serve.models"
--   local arch = models.get("llama-3.1-70b")              -- a preset
--   local arch = models.load("config.json")               -- a Hugging Face config.json or a tpp table
--   local shape = models.shape(arch, "fp8", "bf16")        -- what the C core needs
--
-- An architecture is a plain table (also the tpp JSON/Lua model format):
--   { name, hidden, n_layers, n_heads, n_kv_heads, head_dim, ffn, vocab, tied,
--     moe = { n_experts, experts_per_token, expert_ffn, moe_layers, n_shared, shared_ffn },
--     mla = { q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim },
--     source }
-- Presets are transcribed from each model's published config.json (Hugging
-- Face repository named in `source`).
local json = require "tpp.json"
local util = require "tpp.util"

local M = {}

local HF = "Hugging Face config.json of "

M.PRESETS = {
  ["llama-2-7b"] = { name = "Llama 2 7B", hidden = 4096, n_layers = 32, n_heads = 32, n_kv_heads = 32,
    head_dim = 128, ffn = 11008, vocab = 32000, source = HF .. "meta-llama/Llama-2-7b-hf" },
  ["llama-2-13b"] = { name = "Llama 2 13B", hidden = 5120, n_layers = 40, n_heads = 40, n_kv_heads = 40,
    head_dim = 128, ffn = 13824, vocab = 32000, source = HF .. "meta-llama/Llama-2-13b-hf" },
  ["llama-2-70b"] = { name = "Llama 2 70B", hidden = 8192, n_layers = 80, n_heads = 64, n_kv_heads = 8,
    head_dim = 128, ffn = 28672, vocab = 32000, source = HF .. "meta-llama/Llama-2-70b-hf" },
  ["llama-3.1-8b"] = { name = "Llama 3.1 8B", hidden = 4096, n_layers = 32, n_heads = 32, n_kv_heads = 8,
    head_dim = 128, ffn = 14336, vocab = 128256, source = HF .. "meta-llama/Llama-3.1-8B" },
  ["llama-3.1-70b"] = { name = "Llama 3.1 70B", hidden = 8192, n_layers = 80, n_heads = 64, n_kv_heads = 8,
    head_dim = 128, ffn = 28672, vocab = 128256, source = HF .. "meta-llama/Llama-3.1-70B" },
  ["llama-3.1-405b"] = { name = "Llama 3.1 405B", hidden = 16384, n_layers = 126, n_heads = 128, n_kv_heads = 8,
    head_dim = 128, ffn = 53248, vocab = 128256, source = HF .. "meta-llama/Llama-3.1-405B" },
  ["qwen2.5-72b"] = { name = "Qwen2.5 72B", hidden = 8192, n_layers = 80, n_heads = 64, n_kv_heads = 8,
    head_dim = 128, ffn = 29568, vocab = 152064, source = HF .. "Qwen/Qwen2.5-72B-Instruct" },
  ["mixtral-8x7b"] = { name = "Mixtral 8x7B (MoE)", hidden = 4096, n_layers = 32, n_heads = 32, n_kv_heads = 8,
    head_dim = 128, vocab = 32000,
    moe = { n_experts = 8, experts_per_token = 2, expert_ffn = 14336, moe_layers = 32 },
    source = HF .. "mistralai/Mixtral-8x7B-v0.1" },
  ["mixtral-8x22b"] = { name = "Mixtral 8x22B (MoE)", hidden = 6144, n_layers = 56, n_heads = 48, n_kv_heads = 8,
    head_dim = 128, vocab = 32000,
    moe = { n_experts = 8, experts_per_token = 2, expert_ffn = 16384, moe_layers = 56 },
    source = HF .. "mistralai/Mixtral-8x22B-v0.1" },
  ["qwen3-235b-a22b"] = { name = "Qwen3 235B-A22B (MoE)", hidden = 4096, n_layers = 94, n_heads = 64,
    n_kv_heads = 4, head_dim = 128, vocab = 151936,
    moe = { n_experts = 128, experts_per_token = 8, expert_ffn = 1536, moe_layers = 94 },
    source = HF .. "Qwen/Qwen3-235B-A22B" },
  ["deepseek-v3"] = { name = "DeepSeek-V3 (MoE, MLA)", hidden = 7168, n_layers = 61, n_heads = 128,
    n_kv_heads = 128, ffn = 18432, vocab = 129280,
    moe = { n_experts = 256, experts_per_token = 8, expert_ffn = 2048, moe_layers = 58, n_shared = 1,
            shared_ffn = 2048 },
    mla = { q_lora_rank = 1536, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64,
            v_head_dim = 128 },
    source = HF .. "deepseek-ai/DeepSeek-V3 (the multi-token-prediction layer is not counted)" },
  ["stories260k"] = { name = "stories260K (llama2.c)", hidden = 64, n_layers = 5, n_heads = 8, n_kv_heads = 4,
    head_dim = 8, ffn = 172, vocab = 512, tied = true, source = "karpathy/llama2.c tinyllamas" },
  ["stories15m"] = { name = "stories15M (llama2.c)", hidden = 288, n_layers = 6, n_heads = 6, n_kv_heads = 6,
    head_dim = 48, ffn = 768, vocab = 32000, tied = true, source = "karpathy/llama2.c tinyllamas" },
  ["stories110m"] = { name = "stories110M (llama2.c)", hidden = 768, n_layers = 12, n_heads = 12, n_kv_heads = 12,
    head_dim = 64, ffn = 2048, vocab = 32000, tied = true, source = "karpathy/llama2.c tinyllamas" },
}

-- Other names for the same architecture.
M.ALIASES = {
  ["deepseek-r1"] = "deepseek-v3",
  ["llama-3.3-70b"] = "llama-3.1-70b",
  ["llama-3-70b"] = "llama-3.1-70b",
  ["llama-3-8b"] = "llama-3.1-8b",
  ["qwen3-235b"] = "qwen3-235b-a22b",
}

--- Sorted preset keys.
function M.names()
  return util.sorted_keys(M.PRESETS)
end

--- A preset by name (case-insensitive, aliases allowed); nil, message otherwise.
function M.find(name)
  if type(name) ~= "string" then return nil, "model name expected" end
  local key = name:lower()
  key = M.ALIASES[key] or key
  local a = M.PRESETS[key]
  if a then
    local copy = util.deepcopy(a)
    copy.key = key
    return copy
  end
  local hint = util.did_you_mean(key, M.names())
  return nil, ("no model '%s'%s"):format(name, hint and ("; did you mean '" .. hint .. "'?")
    or ("; presets: " .. table.concat(M.names(), ", ") .. "; or give a config.json with --model-config"))
end

function M.get(name)
  local a, msg = M.find(name)
  if not a then error("tpp.serve: " .. msg, 2) end
  return a
end

-- ---- reading Hugging Face config.json and tpp model tables ----

local function whole(v, field, source, min)
  if type(v) ~= "number" or v ~= math.floor(v) or v < (min or 1) then
    error(("tpp.serve: %s: %s: got %s, expected a whole number >= %d"):format(source, field,
      v == nil and "nothing" or tostring(v), min or 1), 0)
  end
  return v
end

--- An architecture from a decoded Hugging Face config.json (dense, MoE, MLA).
function M.from_hf(cfg, source)
  source = source or "config.json"
  if type(cfg) ~= "table" then error(("tpp.serve: %s: a JSON object expected"):format(source), 0) end
  -- multimodal configs keep the language model under text_config
  if cfg.text_config and cfg.hidden_size == nil then cfg = cfg.text_config end
  local arch_name = type(cfg.architectures) == "table" and cfg.architectures[1] or cfg.model_type
  local a = {
    name = cfg._name_or_path or arch_name or source,
    hidden = whole(cfg.hidden_size or cfg.d_model or cfg.n_embd, "hidden_size", source),
    n_layers = whole(cfg.num_hidden_layers or cfg.n_layer or cfg.num_layers, "num_hidden_layers", source),
    n_heads = whole(cfg.num_attention_heads or cfg.n_head, "num_attention_heads", source),
    vocab = whole(cfg.vocab_size, "vocab_size", source),
    tied = cfg.tie_word_embeddings == true,
    source = source .. (arch_name and (" (" .. tostring(arch_name) .. ")") or ""),
  }
  a.n_kv_heads = whole(cfg.num_key_value_heads or a.n_heads, "num_key_value_heads", source)
  a.head_dim = cfg.head_dim and whole(cfg.head_dim, "head_dim", source) or a.hidden / a.n_heads
  if a.head_dim ~= math.floor(a.head_dim) then
    error(("tpp.serve: %s: hidden_size %d is not a multiple of num_attention_heads %d; give head_dim")
      :format(source, a.hidden, a.n_heads), 0)
  end
  local n_experts = cfg.num_local_experts or cfg.n_routed_experts or cfg.num_experts
  if n_experts and n_experts > 0 then
    whole(n_experts, "num_local_experts / n_routed_experts / num_experts", source)
    local k = whole(cfg.num_experts_per_tok or cfg.moe_topk or cfg.top_k, "num_experts_per_tok", source)
    local expert_ffn = cfg.moe_intermediate_size or cfg.intermediate_size
    whole(expert_ffn, "moe_intermediate_size", source)
    local first_dense = cfg.first_k_dense_replace or 0
    local step = cfg.moe_layer_freq or cfg.decoder_sparse_step or 1
    local only_dense = {}
    for _, l in ipairs(type(cfg.mlp_only_layers) == "table" and cfg.mlp_only_layers or {}) do only_dense[l] = true end
    local moe_layers = 0
    for l = 0, a.n_layers - 1 do
      if l >= first_dense and l % step == 0 and not only_dense[l] then moe_layers = moe_layers + 1 end
    end
    a.moe = { n_experts = n_experts, experts_per_token = k, expert_ffn = expert_ffn, moe_layers = moe_layers,
              n_shared = cfg.n_shared_experts or ((cfg.shared_expert_intermediate_size or 0) > 0 and 1 or 0),
              shared_ffn = cfg.shared_expert_intermediate_size or (cfg.n_shared_experts and expert_ffn) or nil }
    if moe_layers < a.n_layers then
      a.ffn = whole(cfg.intermediate_size, "intermediate_size (dense layers)", source)
    end
  else
    a.ffn = whole(cfg.intermediate_size or cfg.ffn_dim or cfg.n_inner, "intermediate_size", source)
  end
  if cfg.kv_lora_rank then
    a.mla = {
      q_lora_rank = cfg.q_lora_rank ~= json.null and cfg.q_lora_rank or nil,
      kv_lora_rank = whole(cfg.kv_lora_rank, "kv_lora_rank", source),
      qk_nope_head_dim = whole(cfg.qk_nope_head_dim, "qk_nope_head_dim", source),
      qk_rope_head_dim = whole(cfg.qk_rope_head_dim, "qk_rope_head_dim", source),
      v_head_dim = whole(cfg.v_head_dim, "v_head_dim", source),
    }
  end
  return M.check(a, source)
end

local ARCH_KEYS = { name = true, key = true, hidden = true, n_layers = true, n_heads = true, n_kv_heads = true,
                    head_dim = true, ffn = true, vocab = true, tied = true, moe = true, mla = true, source = true,
                    params_b = true }

--- Check a tpp architecture table; returns it (with defaults filled).
function M.check(a, source)
  source = source or "model"
  if type(a) ~= "table" then error(("tpp.serve: %s: a model table expected"):format(source), 0) end
  for k in pairs(a) do
    if not ARCH_KEYS[k] then
      local hint = util.did_you_mean(tostring(k), util.sorted_keys(ARCH_KEYS))
      error(("tpp.serve: %s: unknown field '%s'%s"):format(source, tostring(k),
        hint and ("; did you mean '" .. hint .. "'?") or ""), 0)
    end
  end
  whole(a.hidden, "hidden", source)
  whole(a.n_layers, "n_layers", source)
  whole(a.n_heads, "n_heads", source)
  a.n_kv_heads = a.n_kv_heads or a.n_heads
  whole(a.n_kv_heads, "n_kv_heads", source)
  a.head_dim = a.head_dim or a.hidden / a.n_heads
  whole(a.head_dim, "head_dim", source)
  whole(a.vocab, "vocab", source)
  if a.moe then
    local m = a.moe
    whole(m.n_experts, "moe.n_experts", source)
    whole(m.experts_per_token, "moe.experts_per_token", source)
    if m.experts_per_token > m.n_experts then
      error(("tpp.serve: %s: moe.experts_per_token %d exceeds moe.n_experts %d"):format(source,
        m.experts_per_token, m.n_experts), 0)
    end
    whole(m.expert_ffn, "moe.expert_ffn", source)
    m.moe_layers = m.moe_layers or a.n_layers
    whole(m.moe_layers, "moe.moe_layers", source)
    if m.moe_layers > a.n_layers then
      error(("tpp.serve: %s: moe.moe_layers %d exceeds n_layers %d"):format(source, m.moe_layers, a.n_layers), 0)
    end
    m.n_shared = m.n_shared or 0
    whole(m.n_shared, "moe.n_shared", source, 0)
    if m.n_shared > 0 then whole(m.shared_ffn, "moe.shared_ffn", source) end
    if m.moe_layers < a.n_layers then whole(a.ffn, "ffn (dense layers)", source) end
  else
    whole(a.ffn, "ffn", source)
  end
  if a.mla then
    for _, k in ipairs({ "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim" }) do
      whole(a.mla[k], "mla." .. k, source)
    end
    if a.mla.q_lora_rank ~= nil then whole(a.mla.q_lora_rank, "mla.q_lora_rank", source) end
  end
  return a
end

--- An architecture from a file: a Hugging Face config.json, a tpp JSON model
-- table, or a Lua file returning one. Returns arch or nil, message (file errors).
function M.load(path)
  local f, ferr = io.open(path, "rb")
  if not f then return nil, ("tpp.serve: cannot read model config '%s': %s"):format(path, tostring(ferr)) end
  local text = f:read("*a")
  f:close()
  local cfg
  if path:match("%.lua$") then
    local chunk, lerr = (loadstring or load)(text, "@" .. path)
    if not chunk then error(("tpp.serve: %s: %s"):format(path, lerr), 0) end
    if setfenv then setfenv(chunk, {}) end
    local ok, v = pcall(chunk)
    if not ok then error(("tpp.serve: %s: %s"):format(path, tostring(v)), 0) end
    cfg = v
  else
    local ok, v = pcall(json.decode, text, path)
    if not ok then error(("tpp.serve: %s: not valid JSON (%s)"):format(path, tostring(v)), 0) end
    cfg = v
  end
  if type(cfg) ~= "table" then error(("tpp.serve: %s: a model table expected"):format(path), 0) end
  local source = path:match("[^/]+$") or path
  local a
  if cfg.hidden_size or cfg.num_hidden_layers or cfg.text_config then
    local named = cfg._name_or_path
    a = M.from_hf(cfg, source)
    if not named then a.name = (source:gsub("%.%w+$", "")) .. " (" .. tostring(a.name) .. ")" end
  else
    cfg.source = cfg.source or source
    a = M.check(cfg, source)
  end
  a.key = a.key or (source:gsub("%.%w+$", ""))
  return a
end

-- ---- shapes ----

-- Bytes per weight or cache value. 4-bit formats carry per-block scales
-- (NVFP4, Q4_0/Q4_K: 4.5 bits per weight).
M.BYTES = { fp32 = 4, fp16 = 2, bf16 = 2, fp8 = 1, int8 = 1, fp4 = 4.5 / 8, int4 = 4.5 / 8 }

--- Parameter counts of an architecture (exact from the shapes).
function M.params(a)
  local h, L = a.hidden, a.n_layers
  local attn
  if a.mla then
    local m, nh = a.mla, a.n_heads
    local qk = m.qk_nope_head_dim + m.qk_rope_head_dim
    local q = m.q_lora_rank and (h * m.q_lora_rank + m.q_lora_rank * nh * qk + m.q_lora_rank) or h * nh * qk
    attn = q + h * (m.kv_lora_rank + m.qk_rope_head_dim) + m.kv_lora_rank +
      m.kv_lora_rank * nh * (m.qk_nope_head_dim + m.v_head_dim) + nh * m.v_head_dim * h
  else
    attn = h * a.head_dim * (2 * a.n_heads + 2 * a.n_kv_heads)
  end
  local norms = 2 * h
  local moe_layers = a.moe and a.moe.moe_layers or 0
  local dense_layers = L - moe_layers
  local dense_ffn = dense_layers > 0 and 3 * h * a.ffn or 0
  local per_moe, expert, routed = 0, 0, 0
  if a.moe then
    local m = a.moe
    expert = 3 * h * m.expert_ffn
    per_moe = h * m.n_experts + (m.n_shared or 0) * 3 * h * (m.shared_ffn or 0)
    routed = moe_layers * m.n_experts * expert
  end
  local head = a.vocab * h
  local dense = L * (attn + norms) + dense_layers * dense_ffn + moe_layers * per_moe + h + head
  local resident = dense + (a.tied and 0 or a.vocab * h) + routed
  -- active: what one token uses, counted as model cards count it (input embeddings included)
  local active = dense + (a.tied and 0 or a.vocab * h) + (a.moe and moe_layers * a.moe.experts_per_token * expert or 0)
  return { dense = dense, resident = resident, expert = expert, routed = routed, active = active,
           total = resident }
end

--- KV bytes per token (all layers) at kv_bytes per value, and the attention
-- FLOPs per query token per context token (decode: MLA absorbed; prefill:
-- MLA expanded into heads).
function M.attention(a, kv_bytes)
  local L = a.n_layers
  if a.mla then
    local m, nh = a.mla, a.n_heads
    local latent = m.kv_lora_rank + m.qk_rope_head_dim
    return {
      kv_bytes_per_token = L * latent * kv_bytes,
      decode_flops_per_ctx = L * 2 * nh * (latent + m.kv_lora_rank),
      prefill_flops_per_ctx = L * 2 * nh * (m.qk_nope_head_dim + m.qk_rope_head_dim + m.v_head_dim),
      kv_heads = 0,
    }
  end
  return {
    kv_bytes_per_token = L * 2 * a.n_kv_heads * a.head_dim * kv_bytes,
    decode_flops_per_ctx = L * 4 * a.n_heads * a.head_dim,
    prefill_flops_per_ctx = L * 4 * a.n_heads * a.head_dim,
    kv_heads = a.n_kv_heads,
  }
end

--- What the C core needs for an architecture at a weight and KV precision.
function M.shape(a, precision, kv_precision)
  local wb = M.BYTES[precision]
  if not wb then
    error(("tpp.serve: precision '%s' unknown; expected one of %s"):format(tostring(precision),
      table.concat(util.sorted_keys(M.BYTES), ", ")), 0)
  end
  local kb = M.BYTES[kv_precision]
  if not kb or kb < 1 then
    error(("tpp.serve: KV precision '%s' unsupported; expected one of bf16, fp16, fp8, int8, fp32")
      :format(tostring(kv_precision)), 0)
  end
  local p = M.params(a)
  local att = M.attention(a, kb)
  return {
    dense_params = p.dense, resident_params = p.resident, expert_params = p.expert,
    weight_bytes = wb, kv_bytes_per_token = att.kv_bytes_per_token,
    attn_flops_per_ctx = att.decode_flops_per_ctx, prefill_attn_flops_per_ctx = att.prefill_flops_per_ctx,
    hidden = a.hidden, act_bytes = 2, n_layers = a.n_layers,
    moe_layers = a.moe and a.moe.moe_layers or 0, n_experts = a.moe and a.moe.n_experts or 0,
    experts_per_token = a.moe and a.moe.experts_per_token or 0, kv_heads = att.kv_heads,
  }, p
end

return M
