--- FFI side of the serving model: core.serve_eval(config),
-- core.serve_search(config, target), core.serve_sweep(base, chips, models,
-- plans, batches[, threads[, collect]]); the same names, results and
-- messages as csrc/lua/serve_glue.c.
return function(M, C, ffi)
  -- field lists in the order of the C structs; "i" = int32_t, "d" = double
  local FIELDS = {
    chip = { { "gemm_tflops", "d" }, { "attn_tflops", "d" }, { "mem_bw_gbs", "d" }, { "mem_gb", "d" },
             { "scaleup_gbs", "d" }, { "scaleout_gbs", "d" }, { "scaleup_us", "d" }, { "scaleout_us", "d" },
             { "scaleup_size", "i" } },
    model = { { "dense_params", "d" }, { "resident_params", "d" }, { "expert_params", "d" },
              { "weight_bytes", "d" }, { "kv_bytes_per_token", "d" }, { "attn_flops_per_ctx", "d" },
              { "prefill_attn_flops_per_ctx", "d" },
              { "hidden", "d" }, { "act_bytes", "d" }, { "n_layers", "i" }, { "moe_layers", "i" },
              { "n_experts", "i" }, { "experts_per_token", "i" }, { "kv_heads", "i" } },
    plan = { { "tp", "i" }, { "pp", "i" }, { "ep", "i" } },
    work = { { "batch", "i" }, { "input_tokens", "i" }, { "output_tokens", "i" }, { "mode", "i" },
             { "spec_tokens", "i" }, { "spec_accept", "d" }, { "prefix_hit", "d" } },
    eff = { { "mem", "d" }, { "compute", "d" }, { "gemm_m_half", "d" }, { "roofline_p", "d" }, { "step_us", "d" },
            { "overlap", "d" }, { "mem_reserve", "d" }, { "dispatch_bytes", "d" }, { "moe_imbalance", "d" } },
    target = { { "kind", "i" }, { "max_batch", "i" }, { "ttft_ms", "d" }, { "tpot_ms", "d" } },
  }
  local SECTIONS = { "chip", "model", "plan", "work", "eff" }
  local IS_SECTION = {}
  for _, s in ipairs(SECTIONS) do IS_SECTION[s] = true end

  local STATUS = { [0] = "ok", "weights_do_not_fit", "batch_does_not_fit", "tp_exceeds_domain", "needs_scaleout",
                   "latency_unmet", "bad_plan" }
  local BOUND = { [0] = "memory", "compute", "communication", "overhead" }

  local function names(fs)
    local out = {}
    for i, f in ipairs(fs) do out[i] = f[1] end
    return table.concat(out, ", ")
  end

  local function read_fields(t, fs, dst, where)
    local known = {}
    for _, f in ipairs(fs) do known[f[1]] = true end
    for k in pairs(t) do
      if type(k) ~= "string" or not known[k] then
        error(("tpp: %s.%s: unknown field; expected one of %s"):format(where,
          type(k) == "string" and k or type(k), names(fs)), 0)
      end
    end
    for _, f in ipairs(fs) do
      local v = t[f[1]]
      if v ~= nil then
        if type(v) ~= "number" then
          error(("tpp: %s.%s: number expected, got %s"):format(where, f[1], type(v)), 0)
        end
        if v == v then
          if f[2] == "i" then
            if v ~= math.floor(v) or v < -2147483648 or v > 2147483647 then
              error(("tpp: %s.%s: got %.17g, expected a whole number"):format(where, f[1], v), 0)
            end
          end
          dst[f[1]] = v
        end
      end
    end
  end

  local function read_config(t, argn, fname)
    if type(t) ~= "table" then
      error(("bad argument #%d to '%s' (table expected, got %s)"):format(argn, fname,
        t == nil and "no value" or type(t)), 0)
    end
    local cfg = ffi.new("tpp_serve_config")
    C.tpp_serve_config_init(cfg)
    for k in pairs(t) do
      if type(k) ~= "string" or not IS_SECTION[k] then
        error(("tpp: config.%s: unknown section; expected chip, model, plan, work or eff")
          :format(type(k) == "string" and k or type(k)), 0)
      end
    end
    for _, s in ipairs(SECTIONS) do
      local sub = t[s]
      if sub ~= nil then
        if type(sub) ~= "table" then error(("tpp: config.%s: table expected, got %s"):format(s, type(sub)), 0) end
        read_fields(sub, FIELDS[s], cfg[s], "config." .. s)
      end
    end
    return cfg
  end

  local function num(v)
    v = tonumber(v)
    if v ~= v then return nil end
    return v
  end

  local function result(r)
    return {
      status = STATUS[r.status] or "bad_plan", decode_bound = BOUND[r.decode_bound] or "memory",
      prefill_bound = BOUND[r.prefill_bound] or "memory",
      batch = tonumber(r.batch), max_batch = tonumber(r.max_batch), chips_per_replica = tonumber(r.chips_per_replica),
      step_ms = num(r.step_ms), tpot_ms = num(r.tpot_ms), ttft_ms = num(r.ttft_ms), prefill_ms = num(r.prefill_ms),
      per_chip_output_tokens_per_s = num(r.per_chip_output_tokens_per_s),
      per_chip_prefill_tokens_per_s = num(r.per_chip_prefill_tokens_per_s),
      user_tokens_per_s = num(r.user_tokens_per_s),
      decode_weight_bytes = num(r.decode_weight_bytes), decode_kv_bytes = num(r.decode_kv_bytes),
      decode_flops = num(r.decode_flops), allreduce_bytes = num(r.allreduce_bytes),
      allreduce_count = num(r.allreduce_count), alltoall_bytes = num(r.alltoall_bytes), comm_ms = num(r.comm_ms),
      mem_ms = num(r.mem_ms), compute_ms = num(r.compute_ms),
      weights_gb = num(r.weights_gb), kv_gb = num(r.kv_gb),
    }
  end

  function M.serve_eval(t)
    local cfg = read_config(t, 1, "serve_eval")
    local r, err = ffi.new("tpp_serve_result"), ffi.new("tpp_error")
    if C.tpp_serve_eval(cfg, r, err) ~= C.TPP_OK then M._raise(err) end
    return result(r)
  end

  function M.serve_search(t, target)
    local cfg = read_config(t, 1, "serve_search")
    if type(target) ~= "table" then
      error(("bad argument #2 to 'serve_search' (table expected, got %s)"):format(
        target == nil and "no value" or type(target)), 0)
    end
    local tg = ffi.new("tpp_serve_target")
    read_fields(target, FIELDS.target, tg, "target")
    local r, err = ffi.new("tpp_serve_result"), ffi.new("tpp_error")
    if C.tpp_serve_search(cfg, tg, r, err) ~= C.TPP_OK then M._raise(err) end
    return result(r)
  end

  local function read_list(list, fs, ctype, dflt, what)
    if type(list) ~= "table" then error(("tpp: serve_sweep: %s: a non-empty list expected"):format(what), 0) end
    local n = #list
    if n < 1 then error(("tpp: serve_sweep: %s: a non-empty list expected"):format(what), 0) end
    local arr = ffi.new(ctype .. "[?]", n)
    for i = 1, n do
      if dflt then arr[i - 1] = dflt end
      local t = list[i]
      if type(t) ~= "table" then
        error(("tpp: serve_sweep: %s[%d]: table expected, got %s"):format(what, i, type(t)), 0)
      end
      read_fields(t, fs, arr[i - 1], ("%s[%d]"):format(what, i))
    end
    return arr, n
  end

  function M.serve_sweep(base, chips, models, plans, batches, threads, collect)
    local cfg = read_config(base, 1, "serve_sweep")
    local ca, nc = read_list(chips, FIELDS.chip, "tpp_serve_chip", cfg.chip, "chips")
    local ma, nm = read_list(models, FIELDS.model, "tpp_serve_model", cfg.model, "models")
    local one = ffi.new("tpp_serve_plan", { 1, 1, 1 })
    local pa, np = read_list(plans, FIELDS.plan, "tpp_serve_plan", one, "plans")
    if type(batches) ~= "table" or #batches < 1 then
      error("tpp: serve_sweep: batches: a non-empty list expected", 0)
    end
    local nb = #batches
    local ba = ffi.new("int32_t[?]", nb)
    for i = 1, nb do
      local v = batches[i]
      if type(v) ~= "number" or v ~= math.floor(v) or v < 1 or v > 1073741824 then
        error(("tpp: serve_sweep: batches[%d]: a whole number in 1..2^30 expected"):format(i), 0)
      end
      ba[i - 1] = v
    end
    local n = nc * nm * np * nb
    local tok, tpot, st = ffi.new("double[?]", n), ffi.new("double[?]", n), ffi.new("int32_t[?]", n)
    local err = ffi.new("tpp_error")
    if C.tpp_serve_sweep(cfg, ca, nc, ma, nm, pa, np, ba, nb, tok, tpot, st, threads or 0, err) ~= C.TPP_OK then
      M._raise(err)
    end
    local feasible, sum, best, best_i = 0, 0, -1, nil
    for i = 0, n - 1 do
      if st[i] == 0 then
        feasible = feasible + 1
        local v = tok[i]
        sum = sum + v
        if v > best then best, best_i = v, i end
      end
    end
    local out = { n = n, feasible = feasible, sum_tokens_per_s = sum,
                  best_tokens_per_s = best_i and best or nil, best_index = best_i and best_i + 1 or nil }
    if collect then
      out.tokens_per_s, out.tpot_ms, out.status = {}, {}, {}
      for i = 0, n - 1 do
        out.tokens_per_s[i + 1] = num(tok[i])
        out.tpot_ms[i + 1] = num(tpot[i])
        out.status[i + 1] = STATUS[st[i]] or "bad_plan"
      end
    end
    return out
  end
end
