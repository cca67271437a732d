-- The inference benchmarks run end to end on tiny sizes (smoke tests: they
-- check the shape of the reports, never a timing).
local cli_json = require "tpp.json"

local function run(target, args)
  local mod = require("tpp.bench." .. target)
  local data, text = mod.run(args)
  assert.is_table(data)
  assert.is_string(text)
  assert.is_table(cli_json.decode(cli_json.encode(data)))
  return data, text
end

describe("tpp bench (smoke)", function()
  it("membw reports GB/s for 1 and all threads", function()
    local data, text = run("membw", { sizes = "1", seconds = "0.01" })
    assert.is_true(#data.results >= 1)
    assert.is_true(data.results[1].gbs > 0)
    assert.matches("GB/s", text)
  end)

  it("gemm reports every precision beside raw sgemm", function()
    local data = run("gemm", { sizes = "48", seconds = "0.01", ["matvec-mb"] = "1" })
    local r = data.gemm[1]
    assert.equal(48, r.n)
    for _, k in ipairs({ "raw_sgemm_gflops", "f32_gflops", "q8_gops", "q4_gops", "f32_vs_raw" }) do
      assert.is_true(r[k] > 0, k)
    end
    assert.is_true(data.matvec[1].tpp_matvec_gbs > 0)
  end)

  it("decode reports tokens/s beside the roofline", function()
    local data = run("decode", { models = "stories260K", steps = "3" })
    assert.equal(3, #data.results)
    for _, r in ipairs(data.results) do
      assert.is_true(r.tok_s > 0 and r.roofline_tok_s > 0 and r.roofline_fraction > 0)
    end
    assert.equal("q4", data.results[3].weights)
  end)

  it("prefill reports tokens/s and the batch speedup", function()
    local data = run("prefill", { models = "stories260K", weights = "q8", tokens = "8", ["peak-sizes"] = "64" })
    assert.equal(8, data.results[1].tokens)
    assert.is_true(data.results[1].batch_speedup > 0)
    assert.is_true(data.sgemm_peak_gflops > 0)
  end)

  it("host turns measured peaks into a chip with a TPP (tpp.host)", function()
    -- the decode/prefill comparison is left out here (seconds of timing); spec/serve_spec.lua
    -- checks its prediction exactly and the decode and prefill benchmarks run above
    local data = run("host", { seconds = "0.01", quick = true, ["no-serve"] = true })
    assert.is_nil(data.serving)
    assert.is_true(data.metrics.tpp > 0)
    assert.is_nil(data.metrics.pd)
    local chip = require("tpp").host { quick = true }
    assert.equal("host", chip.data.id)
    assert.equal("measured", chip.data.provenance["dense.int8"])
  end)

  it("infer sweeps configurations in C and checks them against a per-configuration loop", function()
    local data = run("infer", { n = "3000", sample = "200", ["repeat"] = "1" })
    assert.is_true(data.configurations >= 3000)
    assert.equal(data.chips * data.models * data.plans * data.batches, data.configurations)
    assert.is_true(data.sample_agrees)
    assert.is_true(data.feasible > 0 and data.feasible < data.configurations)
  end)

  it("rejects unknown model shapes by name", function()
    assert.has_error(function() require("tpp.bench.decode").run { models = "stories7B" } end,
      "tpp bench decode: --models: 'stories7B' is not one of stories110M, stories15M, stories260K, stories42M")
  end)
end)
