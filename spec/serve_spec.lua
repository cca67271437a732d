-- The serving model (csrc/serve.c through both bindings, tpp.serve, tpp
-- calibrate, tpp infer). Exact cases are hand-computed in the comments from
-- the equations in csrc/serve.c; the calibration cases check the shipped
-- table against the shipped measurements.
local core = require "tpp.backend"
local serve = require "tpp.serve"
local models = require "tpp.serve.models"
local cal = require "tpp.serve.calibrate"
local support = require "support"

local rows = assert(cal.read())

-- The C tests' dense case: round numbers, 4-bit weights, TP 2, batch 8.
local function dense_case()
  return {
    chip = { gemm_tflops = 100, attn_tflops = 50, mem_bw_gbs = 1000, mem_gb = 100, scaleup_gbs = 100,
             scaleup_us = 10, scaleup_size = 8 },
    model = { dense_params = 1e9, resident_params = 1.2e9, weight_bytes = 4.5 / 8, kv_bytes_per_token = 1000,
              attn_flops_per_ctx = 1e6, hidden = 1000, act_bytes = 2, n_layers = 10, kv_heads = 4 },
    plan = { tp = 2 },
    work = { batch = 8, input_tokens = 100, output_tokens = 20, mode = 1 },
    eff = { mem = 0.5, compute = 0.5, mem_reserve = 0 },
  }
end

local function near(want, got, rel, what)
  assert(got ~= nil, what .. ": got nil")
  local tol = (rel or 1e-12) * math.max(1, math.abs(want))
  assert(math.abs(got - want) <= tol, ("%s: want %.17g, got %.17g"):format(what, want, got))
end

describe("serve core (" .. core.binding .. ")", function()
  it("computes a decode step at batch 8 with TP 2 exactly", function()
    local r = core.serve_eval(dense_case())
    assert.equal("ok", r.status)
    near(2.8125e8, r.decode_weight_bytes, nil, "int4 weights at 4.5 bits per parameter, split by TP")
    near(8 * 110 * 1000 * 0.5, r.decode_kv_bytes, nil, "KV: 8 sequences x 110 context x 1000 B x 1/2")
    near(8e9 + 4.4e8, r.decode_flops, nil, "2 x 1e9 x 8 / 2 + 8 x 110 x 1e6 / 2")
    near(8 * 1000 * 2, r.allreduce_bytes, nil, "all-reduce message: 8 tokens x 1000 x 2 B")
    near(20, r.allreduce_count, nil, "two all-reduces per layer")
    near(0.2032, r.comm_ms, nil, "20 x (10 us + 2 (2-1)/2 x 16000 / 100e9)")
    near(0.7833, r.step_ms, nil, "5.625e-4 + 1.76e-5 + 2.032e-4 s")
    near(8 / 0.7833e-3 / 2, r.per_chip_output_tokens_per_s, nil, "tokens/s per chip")
    assert.equal(1661041, r.max_batch)
    assert.equal("memory", r.decode_bound)
  end)

  it("scales KV bytes and the all-reduce message with the batch, not the weights", function()
    local c = dense_case()
    c.work.batch = 1
    local r1 = core.serve_eval(c)
    c.work.batch = 5
    local r5 = core.serve_eval(c)
    near(5 * r1.decode_kv_bytes, r5.decode_kv_bytes, nil, "KV x5")
    near(5 * r1.allreduce_bytes, r5.allreduce_bytes, nil, "message x5")
    near(r1.decode_weight_bytes, r5.decode_weight_bytes, nil, "weights once")
  end)

  it("spreads MoE experts over an EP group with an exact all-to-all", function()
    local c = dense_case()
    c.model.weight_bytes = 1
    c.model.n_experts, c.model.experts_per_token, c.model.expert_params, c.model.moe_layers = 8, 2, 1e8, 10
    c.model.resident_params = 1e9 + 8 * 10 * 1e8
    c.model.kv_heads = 0
    c.plan = { tp = 1, ep = 4 }
    c.eff.dispatch_bytes = 1
    local r = core.serve_eval(c)
    -- 2 tokens per chip x 2 experts x 1000 values, 1 B dispatch + 2 B combine, 3 of 4 peers remote, 10 layers
    near(90000, r.alltoall_bytes, nil, "all-to-all bytes per chip")
    near(1e9 + 10 * 8 * (1 - 0.75 ^ 8) * 1e8 / 4, r.decode_weight_bytes, nil, "touched experts over 4 chips")
    near(220000, r.decode_kv_bytes, nil, "latent KV kept whole per attention group")
  end)

  it("reports impossible deployments as a status, bad input as an error naming the field", function()
    local c = dense_case()
    c.plan.tp = 16
    assert.equal("tp_exceeds_domain", core.serve_eval(c).status)
    assert.is_nil(core.serve_eval(c).per_chip_output_tokens_per_s)
    c = dense_case()
    c.eff.mem = 2
    local ok, err = pcall(core.serve_eval, c)
    assert.is_false(ok)
    assert.matches("eff.mem: got 2, expected a fraction in %(0, 1%]", err)
    for _, case in ipairs({ { { work = { bacth = 1 } }, "config.work.bacth: unknown field" },
                            { { plan = { tp = 1.5 } }, "config.plan.tp: got 1.5, expected a whole number" },
                            { { chip = { mem_gb = "80" } }, "config.chip.mem_gb: number expected, got string" } }) do
      ok, err = pcall(core.serve_eval, case[1])
      assert.is_false(ok)
      assert.matches(case[2], err)
    end
  end)

  it("searches the largest batch under a TPOT target", function()
    local c = dense_case()
    c.chip.mem_gb = 0.3375 + 0.00601
    local r = core.serve_search(c, { kind = 2, tpot_ms = 0.8 })
    assert.equal("ok", r.status)
    c.work.batch = r.batch
    local a = core.serve_eval(c)
    c.work.batch = r.batch + 1
    local b = core.serve_eval(c)
    assert.is_true(a.tpot_ms <= 0.8 and b.tpot_ms > 0.8)
    assert.equal(100, core.serve_search(c, { kind = 1 }).batch)
    assert.equal("latency_unmet", core.serve_search(c, { kind = 2, tpot_ms = 0.5 }).status)
  end)

  it("sweeps chips x models x plans x batches exactly as single evaluations", function()
    local c = dense_case()
    local chips = { c.chip, { gemm_tflops = 100, attn_tflops = 50, mem_bw_gbs = 2000, mem_gb = 100,
                              scaleup_gbs = 100, scaleup_us = 10, scaleup_size = 8 } }
    local plans = { { tp = 1 }, { tp = 2 }, { tp = 16 } }
    local batches = { 1, 8 }
    local s = core.serve_sweep(c, chips, { c.model }, plans, batches, 2, true)
    assert.equal(12, s.n)
    assert.equal(8, s.feasible)
    local i = 0
    for ci = 1, 2 do
      for pi = 1, 3 do
        for bi = 1, 2 do
          i = i + 1
          local one = dense_case()
          one.chip, one.plan, one.work.batch = chips[ci], plans[pi], batches[bi]
          local r = core.serve_eval(one)
          assert.equal(r.status, s.status[i])
          assert.equal(r.per_chip_output_tokens_per_s, s.tokens_per_s[i])
        end
      end
    end
  end)
end)

describe("tpp.serve.models", function()
  it("reproduces published parameter counts and KV sizes", function()
    -- totals and active parameters from the model cards (billions)
    local want = { ["llama-2-7b"] = { 6.74 }, ["llama-2-13b"] = { 13.02 }, ["llama-2-70b"] = { 68.98 },
                   ["llama-3.1-8b"] = { 8.03 }, ["llama-3.1-70b"] = { 70.55 }, ["llama-3.1-405b"] = { 405.85 },
                   ["qwen2.5-72b"] = { 72.71 }, ["mixtral-8x7b"] = { 46.70, 12.88 },
                   ["mixtral-8x22b"] = { 140.62, 39.15 }, ["deepseek-v3"] = { 671.03, 37.55 },
                   ["qwen3-235b-a22b"] = { 235.09, 22.19 } }
    for k, w in pairs(want) do
      local p = models.params(models.get(k))
      assert.is_true(math.abs(p.total / 1e9 - w[1]) < 0.006, k .. " total " .. p.total)
      if w[2] then assert.is_true(math.abs(p.active / 1e9 - w[2]) < 0.006, k .. " active " .. p.active) end
    end
    local kv = { ["llama-2-70b"] = 327680, ["llama-3.1-8b"] = 131072, ["deepseek-v3"] = 70272,
                 ["qwen3-235b-a22b"] = 94 * 2 * 4 * 128 * 2, ["llama-2-7b"] = 32 * 2 * 32 * 128 * 2 }
    for k, bytes in pairs(kv) do
      assert.equal(bytes, models.attention(models.get(k), 2).kv_bytes_per_token, k)
    end
    assert.equal(70272 / 2, models.attention(models.get("deepseek-r1"), 1).kv_bytes_per_token)
  end)

  it("sizes 4-bit weights at 4.5 bits and 8-bit at one byte", function()
    local a = models.get("llama-3.1-8b")
    local s4 = models.shape(a, "int4", "bf16")
    local s8 = models.shape(a, "fp8", "fp8")
    assert.equal(4.5 / 8, s4.weight_bytes)
    assert.equal(1, s8.weight_bytes)
    assert.equal(65536, s8.kv_bytes_per_token)
    local r = serve.evaluate { chip = "H100", model = "llama-3.1-8b", precision = "int4", scenario = "batch",
                               batch = 1, chips = 1, tp = 1, pp = 1 }
    near(models.params(a).total * 4.5 / 8 / 1e9, r.memory.weights_gb, 1e-12, "int4 weights per chip")
  end)

  it("reads Hugging Face config.json files of each family into the presets' shapes", function()
    for _, f in ipairs({ "llama-3.1-8b", "mixtral-8x7b", "deepseek-v3", "qwen3-235b-a22b" }) do
      local a = assert(models.load("spec/fixtures/hf/" .. f .. ".json"))
      local got, want = models.shape(a, "fp8", "bf16"), models.shape(models.get(f), "fp8", "bf16")
      for k, v in pairs(want) do assert.equal(v, got[k], f .. " " .. k) end
    end
    local ds = models.load("spec/fixtures/hf/deepseek-v3.json")
    assert.equal(58, ds.moe.moe_layers) -- first_k_dense_replace = 3
    assert.is_truthy(ds.mla)
  end)

  it("reads tpp's own model tables (Lua or JSON) and refuses bad ones naming the field", function()
    local a = assert(models.load("examples/models/my-moe.lua"))
    assert.equal(46, a.moe.moe_layers)
    local path = support.tmpname(".json")
    local f = assert(io.open(path, "w"))
    f:write('{"hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 32000, "intermediate_size": 1}')
    f:close()
    local ok, err = pcall(models.load, path)
    assert.is_false(ok)
    assert.matches("num_hidden_layers: got nothing, expected a whole number", err)
    f = assert(io.open(path, "w"))
    f:write("{ not json")
    f:close()
    ok, err = pcall(models.load, path)
    assert.is_false(ok)
    assert.matches("not valid JSON", err)
    os.remove(path)
    ok, err = pcall(models.check, { hidden = 64, n_layers = 2, n_heads = 2, vocab = 10, ffn = 8, layer = 3 })
    assert.is_false(ok)
    assert.matches("unknown field 'layer'", err)
    assert.is_nil(models.load("/nonexistent/config.json"))
  end)
end)

describe("tpp.serve.evaluate", function()
  it("returns the documented keys with low/high beside each figure", function()
    local r = serve.evaluate { chip = "H100", model = "llama-3.1-70b", chips = 8 }
    assert.equal("ok", r.status)
    for _, k in ipairs({ "system_output_tokens_per_s", "per_chip_output_tokens_per_s",
                         "per_chip_prefill_tokens_per_s", "ttft_ms", "tpot_ms" }) do
      assert.is_number(r[k], k)
      assert.is_true(r[k .. "_low"] <= r[k] and r[k] <= r[k .. "_high"], k)
    end
    assert.is_true(r.per_chip_output_tokens_per_s_low < r.per_chip_output_tokens_per_s_high)
    assert.equal(8, r.chips)
    assert.is_number(r.batch)
    assert.is_number(r.parallelism.tp)
    assert.is_string(r.efficiency.source)
    near(r.per_chip_output_tokens_per_s * 8, r.system_output_tokens_per_s, 1e-12, "system = per chip x chips")
  end)

  it("states the bandwidth share a decode step achieves, below the efficiency ceiling", function()
    local r = serve.evaluate { chip = "H100", model = "llama-3.1-8b", scenario = "latency", chips = 1 }
    local e = r.efficiency.decode.value
    assert.is_true(r.achieved_bandwidth_fraction < e and r.achieved_bandwidth_fraction > 0.5 * e)
    assert.matches("at batch 1 a decode step moves", table.concat(r.assumptions, "\n"))
  end)

  it("counts idle chips: 3 chips of 2-chip replicas run one replica", function()
    local two = serve.evaluate { chip = "H100", model = "llama-3.1-70b", chips = 2, tp = 2, pp = 1 }
    local three = serve.evaluate { chip = "H100", model = "llama-3.1-70b", chips = 3, tp = 2, pp = 1 }
    near(two.system_output_tokens_per_s, three.system_output_tokens_per_s, 1e-12, "same system throughput")
    near(two.per_chip_output_tokens_per_s * 2 / 3, three.per_chip_output_tokens_per_s, 1e-12, "per chip over 3")
  end)

  it("meets a server target, and offline throughput is at least the server's", function()
    local s = serve.evaluate { chip = "H200", model = "llama-3.1-8b", scenario = "server", tpot_ms = 15,
                               chips = 1 }
    local o = serve.evaluate { chip = "H200", model = "llama-3.1-8b", scenario = "offline", chips = 1 }
    assert.is_true(s.tpot_ms <= 15)
    assert.is_true(o.per_chip_output_tokens_per_s >= s.per_chip_output_tokens_per_s)
    local l = serve.evaluate { chip = "H200", model = "llama-3.1-8b", scenario = "latency", chips = 1 }
    assert.equal(1, l.batch)
    assert.is_true(l.tpot_ms < s.tpot_ms)
  end)

  it("answers impossible deployments with the reason and the nearest feasible one", function()
    local r = serve.evaluate { chip = "H100", model = "llama-3.1-405b", precision = "bf16", chips = 1 }
    assert.equal("infeasible", r.status)
    assert.matches("do not fit", r.reason)
    assert.is_nil(r.per_chip_output_tokens_per_s)
    assert.equal(16, r.nearest.chips) -- 811 GB of bf16 weights over 80 GB x 0.9 usable
    r = serve.evaluate { chip = "H100", model = "llama-3.1-8b", tp = 16, chips = 16 }
    assert.equal("infeasible", r.status)
    assert.matches("wider than the 8%-chip scale%-up domain", r.reason)
    assert.equal(8, r.nearest.plan.tp)
    r = serve.evaluate { chip = "H100", model = "llama-3.1-70b", scenario = "server", tpot_ms = 1, chips = 8 }
    assert.equal("infeasible", r.status)
    assert.matches("lowest TPOT is", r.reason)
    assert.is_true(r.nearest.tpot_ms > 1)
    r = serve.evaluate { chip = "H100", model = "llama-3.1-8b", scenario = "batch", batch = 100000, chips = 1,
                         tp = 1, pp = 1 }
    assert.equal("infeasible", r.status)
    assert.is_true(r.nearest.batch > 0 and r.nearest.batch < 100000)
  end)

  it("says undetermined, naming the input, when a chip lacks one (unknown is not zero)", function()
    local r = serve.evaluate { chip = "thead_ppu", model = "llama-3.1-8b" }
    assert.equal("undetermined", r.status)
    assert.matches("memory.bandwidth_gbs", table.concat(r.missing, " "))
    assert.is_nil(r.per_chip_output_tokens_per_s)
  end)

  it("refuses out-of-range options naming the option, the value and the range", function()
    local cases = {
      { { batch = 0 }, "batch: got 0, expected a whole number >= 1" },
      { { eff_mem = 2 }, "eff_mem: got 2, expected a fraction in %(0, 1%]" },
      { { kv_precision = "fp4" }, "kv_precision: got 'fp4'" },
      { { prefix_hit = 1 }, "prefix_hit: got 1, expected a fraction in %[0, 1%)" },
      { { scenario = "fast" }, "scenario: got 'fast'" },
      { { bacth = 2 }, "option 'bacth' unknown; did you mean 'batch'" },
      { { scenario = "server" }, "needs a latency target" },
    }
    for _, c in ipairs(cases) do
      local o = { chip = "H100", model = "llama-3.1-8b" }
      for k, v in pairs(c[1]) do o[k] = v end
      local ok, err = pcall(serve.evaluate, o)
      assert.is_false(ok)
      assert.matches(c[2], err)
    end
  end)

  it("keeps an MLA latent cache whole under TP, splits GQA heads", function()
    -- a small MLA model (DeepSeek-V2-Lite's attention) so one chip holds it
    local mla = { name = "small MLA", hidden = 2048, n_layers = 27, n_heads = 16, n_kv_heads = 16, vocab = 102400,
                  ffn = 10944, mla = { kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64,
                                       v_head_dim = 128 } }
    local function kv(model, tp)
      return serve.evaluate { chip = "H200", model = model, scenario = "batch", batch = 8, chips = tp, tp = tp,
                              pp = 1, ep = 1 }.detail.decode_kv_bytes
    end
    near(kv(mla, 1), kv(mla, 8), 1e-12, "MLA: every rank holds the latent")
    near(kv("llama-3.1-70b", 1) / 8, kv("llama-3.1-70b", 8), 1e-12, "GQA: 8 KV heads over 8 ranks")
  end)

  it("models a disaggregated deployment as the slower of its pools", function()
    local o = { chip = "H100", model = "deepseek-v3", input_tokens = 2000, output_tokens = 500, scenario = "server",
                tpot_ms = 100, prefill_chips = 32, decode_chips = 72, prefill_plan = "ep=32", decode_plan = "ep=72",
                stack = "sglang" }
    local r = serve.evaluate(o)
    assert.equal("ok", r.status)
    local d = serve.evaluate { chip = "H100", model = "deepseek-v3", input_tokens = 2000, output_tokens = 500,
                               scenario = "server", tpot_ms = 100, pool = "decode", plan = "ep=72", chips = 72,
                               stack = "sglang" }
    local p = serve.evaluate { chip = "H100", model = "deepseek-v3", input_tokens = 2000, output_tokens = 500,
                               scenario = "offline", pool = "prefill", plan = "ep=32", chips = 32, stack = "sglang" }
    local want = math.min(d.system_output_tokens_per_s, p.per_chip_prefill_tokens_per_s * 32 * 500 / 2000)
    near(want, r.system_output_tokens_per_s, 1e-9, "min of the pools")
    near(d.tpot_ms, r.tpot_ms, 1e-12, "TPOT of the decode pool")
  end)

  it("speeds decoding up with speculative tokens accepted", function()
    local base = { chip = "H100", model = "llama-3.1-8b", scenario = "batch", batch = 16, chips = 1 }
    local a = serve.evaluate(base)
    base.spec_tokens, base.spec_accept = 1, 0.8
    local b = serve.evaluate(base)
    assert.is_true(b.tpot_ms < a.tpot_ms)
  end)

  it("falls back to the architecture, then the vendor, then the global entry, and says so", function()
    local r = serve.evaluate { chip = "MI325X", model = "llama-2-70b", chips = 8 }
    assert.matches("architecture %(cdna3%)", r.efficiency.decode.basis)
    local own = serve.evaluate { chip = "MI300X", model = "llama-2-70b", chips = 8 }
    r = serve.evaluate { chip = "MI300X", model = "llama-2-70b", chips = 8, stack = "sglang" }
    assert.equal("this chip on another stack", r.efficiency.decode.basis)
    assert.equal(own.efficiency.decode.value, r.efficiency.decode.value)
    assert.is_true(r.efficiency.decode.u > own.efficiency.decode.u, "a wider range off its own stack")
    local t = { id = "acme_x1", name = "Acme X1", vendor = "Acme", dense = { bf16 = 500, fp8 = 1000 },
                memory = { bandwidth_gbs = 4000, capacity_gb = 96 } }
    r = serve.evaluate { chip = t, model = "llama-3.1-8b", chips = 1 }
    assert.equal("ok", r.status)
    assert.matches("global fallback", r.efficiency.decode.basis)
    assert.is_true(r.efficiency.decode.high / r.efficiency.decode.low > 2, "wide range for a guess")
  end)

  it("keeps tpp.serve.throughput as the serving-capacity basis", function()
    local h = serve.throughput { chip = "H100", model = "llama-3.1-70b", scenario = "offline", chips = 8 }
    assert.equal("ok", h.status)
    assert.is_true(h.low < h.central and h.central < h.high)
    assert.equal("output tokens/s per chip", h.unit)
  end)

  it("traces the throughput-latency curve over batches", function()
    local s = serve.sweep { chip = "H20", model = "llama-3.1-8b", chips = 1, batches = { 1, 4, 16, 64 } }
    assert.equal(4, #s.points)
    for i = 2, #s.points do
      assert.is_true(s.points[i].per_chip_output_tokens_per_s > s.points[i - 1].per_chip_output_tokens_per_s)
      assert.is_true(s.points[i].user_tokens_per_s < s.points[i - 1].user_tokens_per_s)
    end
  end)
end)

describe("calibration", function()
  local fresh = cal.calibrate(rows)

  it("ships the table a fresh fit of the shipped measurements gives", function()
    local shipped = serve.efficiency.default().data
    assert.equal(#fresh.table.entries, #shipped.entries)
    near(fresh.table.roofline_p, shipped.roofline_p, 1e-3, "roofline_p")
    for i, e in ipairs(fresh.table.entries) do
      local s = shipped.entries[i]
      assert.equal(e.key, s.key)
      assert.equal(e.phase, s.phase)
      near(e.value, s.value, 2e-3, e.key .. " " .. e.phase)
    end
  end)

  it("predicts at least 75% of the held-out measurements within +-30%", function()
    local h = fresh.report.holdout
    assert.is_true(h.n >= 20)
    assert.is_true(h.share_within_30 >= 0.75, ("%d of %d"):format(h.within_30, h.n))
  end)

  it("orders the chips as the measurements do", function()
    assert.is_true(#fresh.report.orders >= 10)
    for _, o in ipairs(fresh.report.orders) do
      assert.is_true(o.right_order, ("%s: measured %.2f, predicted %.2f"):format(o.what, o.measured_ratio,
        o.predicted_ratio))
    end
  end)

  it("refuses a bad measurements file naming the line and the field", function()
    local text = table.concat(cal.COLUMNS, ",") .. "\n" ..
      "x1,fit,nv_h100_sxm,1,,llama-3.1-8b,fp8,,batch,,,1,128,128,,,,,,tpot_ms,abc,src,2025,,\n"
    local ok, err = pcall(cal.parse, text, "mine.csv")
    assert.is_false(ok)
    assert.matches("mine.csv:2: value: 'abc' is not a number", err)
    text = table.concat(cal.COLUMNS, ",") .. "\n" ..
      "x1,maybe,nv_h100_sxm,1,,llama-3.1-8b,fp8,,batch,,,1,128,128,,,,,,tpot_ms,5,src,2025,,\n"
    ok, err = pcall(cal.parse, text, "mine.csv")
    assert.is_false(ok)
    assert.matches("use: got 'maybe', expected fit or holdout", err)
  end)
end)

describe("tpp infer and tpp calibrate (command line)", function()
  it("refuses out-of-range flags naming flag, value and range, with a non-zero exit", function()
    for _, c in ipairs({ { "--eff-mem 2", "%-%-eff%-mem: got 2, expected a fraction in %(0, 1%]" },
                         { "--batch 0", "%-%-batch: got 0, expected a whole number >= 1" },
                         { "--kv fp4", "%-%-kv: got 'fp4'" } }) do
      local out, rc = support.tpp_cmd("infer H100 " .. c[1])
      assert.matches(c[2], out)
      assert.is_true(rc ~= 0)
    end
  end)

  it("names the token counts --input-tokens and --output-tokens", function()
    local json = require "tpp.json"
    local out, rc = support.tpp_cmd("infer H100 --model llama-3.1-8b --input-tokens 512 --output-tokens 64 " ..
      "--chips 2 --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    local r = d.results[1]
    assert.equal(512, r.workload.input_tokens)
    assert.equal(64, r.workload.output_tokens)
    assert.equal(2, r.chips)
    assert.is_number(r.per_chip_output_tokens_per_s_low)
  end)

  it("--validate --json lists every measurement with predicted, measured, error and use", function()
    local json = require "tpp.json"
    local out, rc = support.tpp_cmd("infer --validate --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    assert.equal(#rows, #d.measurements)
    for _, m in ipairs(d.measurements) do
      assert.is_true(m.use == "fit" or m.use == "holdout")
      assert.is_number(m.measured)
      assert.is_string(m.source)
    end
    assert.is_true(d.holdout.share_within_30 >= 0.75)
  end)

  it("calibrates on a user's file and writes a table infer can use", function()
    local csv = support.tmpname(".csv")
    local f = assert(io.open(csv, "w"))
    f:write(table.concat(cal.COLUMNS, ","), "\n",
      "a,fit,nv_h100_sxm,2,trt-llm,llama-3.1-70b,fp8,fp8,batch,,tp=2,1,5000,500,,,,,,tpot_ms,18.6,NIM,2025,,\n",
      "b,fit,nv_h100_sxm,2,trt-llm,llama-3.1-70b,fp8,fp8,batch,,tp=2,1,5000,500,,,,,,ttft_ms,407,NIM,2025,,\n",
      "c,holdout,nv_h100_sxm,2,trt-llm,llama-3.1-70b,fp8,fp8,batch,,tp=2,50,5000,500,,,,,,tpot_ms,59.7,NIM,2025,,\n")
    f:close()
    local tbl = support.tmpname(".lua")
    local out, rc = support.tpp_cmd("calibrate " .. csv .. " --write " .. tbl)
    assert.equal(0, rc, out)
    assert.matches("Fitted 2 measurements, predicted 1 held out", out)
    out, rc = support.tpp_cmd("infer H100 --model llama-3.1-70b --chips 2 --efficiency " .. tbl)
    assert.equal(0, rc, out)
    os.remove(csv)
    os.remove(tbl)
  end)
end)

describe("tpp chart serving", function()
  it("draws one frontier per chip: the H20 ahead per user at batch 1, far behind per chip at scale", function()
    local chart = require "tpp.charts.serving"
    local text, info = chart.chart { chips = { "H100", "H20" }, model = "llama-3.1-70b", n_chips = 8 }
    assert.is_true(require("tpp.svg").check_xml(text))
    assert.same({ "nv_h100_sxm", "nv_h20" }, info.plotted)
    local h100, h20 = info.curves[1].points, info.curves[2].points
    assert.is_true(h20[1].user_tokens_per_s > h100[1].user_tokens_per_s)
    local function top(pts)
      local m = 0
      for _, p in ipairs(pts) do m = math.max(m, p.per_chip_output_tokens_per_s) end
      return m
    end
    assert.is_true(top(h100) > 3 * top(h20))
    -- a frontier: faster per user always means fewer tokens per chip
    for i = 2, #h100 do
      assert.is_true(h100[i].user_tokens_per_s < h100[i - 1].user_tokens_per_s)
      assert.is_true(h100[i].per_chip_output_tokens_per_s > h100[i - 1].per_chip_output_tokens_per_s)
    end
    assert.matches("data%-chip=\"nv_h20\"", text)
  end)
end)

describe("the host as a calibration point", function()
  it("predicts decode from the measured bandwidth at efficiency 1", function()
    local host = require "tpp.serve.host"
    local peaks = { cpu = "test cpu", threads = 1, cores = 1, isa = "scalar", blas = "none", date = "2025-01-01",
                    fp64_gflops = 10, fp32_gflops = 100, int8_gops = 1000, membw_gbs = 10 }
    local p = host.predict(peaks, "stories110m", "q8", 48)
    -- 109.5 M weights at 1 byte (tied head) + KV, over 10 GB/s: about 91 tokens/s
    local params = models.params(models.get("stories110m")).dense
    local kv = models.attention(models.get("stories110m"), 4).kv_bytes_per_token * (8 + 24)
    local roof = 10e9 / (params + kv)
    assert.is_true(p.decode_tok_s < roof and p.decode_tok_s > 0.97 * roof, tostring(p.decode_tok_s))
    assert.equal("memory", p.decode_bound)
    assert.equal("compute", p.prefill_bound)
  end)
end)

describe("the 910C claim", function()
  it("is answered per workload, with ranges", function()
    local c = cal.claim_910c(serve.efficiency.default())
    assert.equal(5, #c.rows)
    for _, r in ipairs(c.rows) do
      assert.is_number(r.ratio, r.what)
      assert.is_true(r.low < r.ratio and r.ratio < r.high, r.what)
    end
    -- dense serving on 8 chips: about two thirds of an H100 (bandwidth 3.2 vs 3.35 TB/s, and a lower fitted efficiency)
    assert.is_true(c.rows[2].ratio > 0.5 and c.rows[2].ratio < 0.8, tostring(c.rows[2].ratio))
  end)
end)

describe("examples/serving.lua", function()
  it("runs and prints what its comments say", function()
    local p = io.popen(support.interpreter() .. " examples/serving.lua 2>&1")
    local out = p:read("*a")
    p:close()
    assert.matches("tok/s per chip", out)
    assert.matches("infeasible: the weights do not fit", out)
    assert.matches("one H20 = %d%.%d%d H100", out)
  end)
end)
