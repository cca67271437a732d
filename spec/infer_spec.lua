-- The analytic inference model (csrc/roofline.c through tpp.infer).
local infer = require "tpp.infer"
local core = require "tpp.backend"

describe("tpp.infer model shapes", function()
  it("reproduces published parameter counts and KV sizes", function()
    local cases = { ["llama-3.1-8b"] = { 8.03, 131072 }, ["llama-3.3-70b"] = { 70.55, 327680 },
                    ["llama-2-70b"] = { 68.98, 327680 }, ["llama-2-13b"] = { 13.02, 819200 } }
    for k, want in pairs(cases) do
      local s = infer.model_shape(k)
      assert.near(want[1], s.params / 1e9, 0.01, k)
      assert.equal(want[2], s.kv_bytes_per_token, k)
    end
    local ds = infer.model_shape("deepseek-v3")
    assert.equal(70272, ds.kv_bytes_per_token) -- MLA: 576 values x 61 layers x 2 bytes
    assert.near(37.5, ds.active_params / 1e9, 0.1)
    assert.near(22.1, infer.model_shape("qwen3-235b-a22b").active_params / 1e9, 0.1)
  end)

  it("scales bytes with the precision, 4-bit with its block scales", function()
    local a, b = infer.model_shape("llama-3.1-8b", "fp16"), infer.model_shape("llama-3.1-8b", "fp4")
    assert.near(a.weight_bytes * 4.5 / 16, b.weight_bytes, 1)
    assert.has_error(function() infer.model_shape("llama-3.1-8b", "fp12") end)
    assert.has_error(function() infer.model_shape("llama-9") end)
  end)
end)

describe("tpp.infer.estimate()", function()
  it("with perfect efficiency, decode is exactly bytes / bandwidth (memory bound)", function()
    local r = infer.estimate({ dense = { fp16 = 312 }, memory = { bandwidth_gbs = 1555, capacity_gb = 40 } },
      "llama-2-13b", { eff_mem = 1, eff_compute = 1, prompt_tokens = 1, output_tokens = 1 })
    local s = infer.model_shape("llama-2-13b")
    local bytes = s.weight_bytes + 1.5 * s.kv_bytes_per_token
    assert.near(bytes / 1555e9 * 1e3, r.decode_ms, 1e-9)
    assert.equal("memory", r.decode_bound)
  end)

  it("the H20 decodes faster than the H100 but prefills far slower (INFERENCE.md §2.4)", function()
    local h100 = infer.estimate("H100", "llama-3.1-8b", { precision = "fp8" })
    local h20 = infer.estimate("H20", "llama-3.1-8b", { precision = "fp8" })
    assert.is_true(h20.decode_ms < h100.decode_ms)
    assert.is_true(h20.prefill_ms > 5 * h100.prefill_ms)
    assert.equal("compute", h20.prefill_bound)
  end)

  it("MoE decode at batch 1 reads only the experts a token touches", function()
    local r1 = infer.estimate("H200", "deepseek-v3", { precision = "fp8", tp = 8 })
    local r64 = infer.estimate("H200", "deepseek-v3", { precision = "fp8", tp = 8, batch = 64 })
    local s = infer.model_shape("deepseek-v3", "fp8")
    assert.is_true(r1.decode_bytes * 8 < 0.1 * s.weight_bytes)
    assert.is_true(r64.decode_bytes > 5 * r1.decode_bytes)
  end)

  it("checks memory fit and the largest batch", function()
    local r = infer.estimate("H100", "llama-3.3-70b", { precision = "fp16" })
    assert.is_false(r.fits)
    assert.equal(0, r.max_batch)
    r = infer.estimate("H200", "llama-3.3-70b", { precision = "fp8", batch = 1 })
    assert.is_true(r.fits)
    local per_seq = (1024 + 256) * 327680
    assert.equal(math.floor((141e9 * 0.9 - 70.553706496e9) / per_seq), r.max_batch)
  end)

  it("tensor parallelism adds all-reduce latency per layer", function()
    local r = infer.estimate("H100", "llama-3.3-70b", { precision = "fp8", tp = 2 })
    assert.is_true(r.comm_ms >= 2 * 80 * 8e-3)
  end)

  it("unknown is not zero: a chip without figures is undetermined, naming them", function()
    local r = infer.estimate("thead_ppu", "llama-3.1-8b")
    assert.equal("undetermined", r.status)
    assert.is_nil(r.decode_ms)
    assert.matches("memory.bandwidth_gbs", table.concat(r.missing, " "))
  end)

  it("states the weight-only fallback when a chip lacks the precision", function()
    local r = infer.estimate("A100", "llama-3.1-8b", { precision = "fp8" })
    assert.equal("bf16", r.hardware.compute_precision)
    assert.matches("weight%-only", table.concat(r.assumptions, " "))
  end)

  it("rejects bad options with a clear message", function()
    assert.has_error(function() infer.estimate("H100", "llama-3.1-8b", { batch = 0 }) end,
      "tpp.infer: batch: got 0, expected a whole number >= 1")
    assert.has_error(function() infer.estimate("H100", "llama-3.1-8b", { bacth = 2 }) end,
      "tpp.infer: option 'bacth' unknown; did you mean 'batch'?")
    local ok, err = pcall(infer.estimate, "H100", "llama-3.1-8b", { eff_mem = 1.5 })
    assert.is_false(ok)
    assert.matches("efficiencies must be in %(0, 1%]", err)
  end)

  it("the C core rejects missing and bad inputs naming the field", function()
    local ok, err = pcall(core.infer_eval, { peak_tflops = 1, mem_bw_gbs = -1, mem_gb = 1 },
      { weight_bytes = 1, active_params = 1, kv_bytes_per_token = 0, n_layers = 1 }, {})
    assert.is_false(ok)
    assert.matches("mem_bw_gbs: got %-1", err)
    ok, err = pcall(core.infer_eval, { peak_tflops = 1, mem_gb = 1 }, {}, {})
    assert.is_false(ok)
    assert.matches("hw.mem_bw_gbs: number expected, got nil", err)
  end)
end)

describe("tpp.infer.validate()", function()
  it("stays within 35% of every published anchor with the default efficiencies", function()
    for _, a in ipairs(infer.validate()) do
      assert.is_true(math.abs(a.error) < 0.35, ("%s: predicted %.2f vs measured %.2f"):format(a.id, a.predicted, a.measured))
    end
  end)
end)

describe("tpp compare", function()
  it("puts the regulated metrics and the serving speed side by side", function()
    local cmd = require "tpp.commands.compare"
    local data, text = cmd.run({ "H100", "H20" })
    assert.equal(2, #data.chips)
    local h100, h20 = data.chips[1], data.chips[2]
    assert.near(2368 / 15831.2, h20.tpp / h100.tpp, 1e-12)
    assert.is_true(h20.inference.user_tokens_per_s > h100.inference.user_tokens_per_s)
    assert.is_true(h20.inference.prefill_ms > h100.inference.prefill_ms)
    assert.equal("not-controlled", h20.status)
    assert.equal("3A090.a", h100.eccn)
    assert.matches("memory bandwidth GB/s%s+3,350 %(1%.00x%)%s+4,000 %(1%.19x%)", text)
  end)

  it("shows unknown inference figures as unknown, not zero", function()
    local data, text = require("tpp.commands.compare").run({ "H100", "thead_ppu" })
    assert.equal("undetermined", data.chips[2].inference.status)
    assert.matches("unknown", text)
  end)
end)
