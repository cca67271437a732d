-- A model in tpp's own format (also accepted as JSON): a made-up 64-expert MoE
-- with grouped-query attention. tpp infer --model-config examples/models/my-moe.lua
return {
  name = "example MoE 60B-A8B", hidden = 4096, n_layers = 48, n_heads = 32, n_kv_heads = 4, head_dim = 128,
  vocab = 131072, ffn = 12288,
  moe = { n_experts = 64, experts_per_token = 6, expert_ffn = 1536, moe_layers = 46, n_shared = 1, shared_ffn = 3072 },
  source = "example",
}
