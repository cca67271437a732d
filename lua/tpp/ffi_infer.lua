--- FFI side of the analytic inference model: core.infer_eval(hw, model, scenario).
return function(M, C, ffi)
  local NaN = 0 / 0

  local function field(t, key, where, default, required)
    local v = t[key]
    if v == nil then
      if required then error(("tpp: %s.%s: number expected, got nil"):format(where, key), 0) end
      return default
    end
    if type(v) ~= "number" then
      error(("tpp: %s.%s: number expected, got %s"):format(where, key, type(v)), 0)
    end
    if v ~= v then return default end
    return v
  end

  local bound = { [C.TPP_BOUND_MEMORY] = "memory", [C.TPP_BOUND_COMPUTE] = "compute",
                  [C.TPP_BOUND_COMM] = "communication" }
  local NUMERIC = { "prefill_ms", "decode_ms", "decode_tokens_per_s", "user_tokens_per_s",
                    "prefill_tokens_per_s", "decode_bytes", "decode_flops", "prefill_flops", "weights_gb",
                    "kv_gb", "intensity", "ridge", "comm_ms", "max_batch" }

  function M.infer_eval(hw, model, sc)
    for i, t in ipairs({ hw, model, sc }) do
      if type(t) ~= "table" then
        error(("bad argument #%d to 'infer_eval' (table expected, got %s)"):format(i, type(t)), 2)
      end
    end
    local h = ffi.new("tpp_infer_hw")
    h.peak_tflops = field(hw, "peak_tflops", "hw", NaN, true)
    h.mem_bw_gbs = field(hw, "mem_bw_gbs", "hw", NaN, true)
    h.mem_gb = field(hw, "mem_gb", "hw", NaN, true)
    h.link_gbs = field(hw, "link_gbs", "hw", 0)
    local m = ffi.new("tpp_infer_model")
    m.weight_bytes = field(model, "weight_bytes", "model", NaN, true)
    m.dense_weight_bytes = field(model, "dense_weight_bytes", "model", 0)
    m.expert_bytes = field(model, "expert_bytes", "model", 0)
    m.active_params = field(model, "active_params", "model", NaN, true)
    m.kv_bytes_per_token = field(model, "kv_bytes_per_token", "model", NaN, true)
    m.attn_flops_per_ctx = field(model, "attn_flops_per_ctx", "model", 0)
    m.hidden_bytes = field(model, "hidden_bytes", "model", 0)
    m.n_layers = field(model, "n_layers", "model", NaN, true)
    m.n_experts = field(model, "n_experts", "model", 0)
    m.experts_per_token = field(model, "experts_per_token", "model", 0)
    m.moe_layers = field(model, "moe_layers", "model", 0)
    local s = ffi.new("tpp_infer_scenario")
    C.tpp_infer_scenario_init(s)
    for _, k in ipairs({ "batch", "prompt_tokens", "output_tokens", "tp", "eff_compute", "eff_mem",
                         "allreduce_us", "step_overhead_us", "mem_reserve" }) do
      s[k] = field(sc, k, "scenario", s[k])
    end
    local r = ffi.new("tpp_infer_result")
    local err = ffi.new("tpp_error")
    if C.tpp_infer_eval(h, m, s, r, err) ~= C.TPP_OK then M._raise(err) end
    local out = {}
    for _, k in ipairs(NUMERIC) do out[k] = tonumber(r[k]) end
    out.decode_bound = bound[r.decode_bound]
    out.prefill_bound = bound[r.prefill_bound]
    out.fits = r.fits ~= 0
    return out
  end
end
