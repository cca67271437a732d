-- tpp.infer, kept working on top of tpp.serve, and tpp compare's inference rows.
local infer = require "tpp.infer"
local serve = require "tpp.serve"

describe("tpp.infer (compatibility)", function()
  it("estimates one replica at a fixed batch with the old fields", function()
    local h100 = infer.estimate("H100", "llama-3.1-8b", { precision = "fp8" })
    local h20 = infer.estimate("H20", "llama-3.1-8b", { precision = "fp8" })
    assert.equal("estimated", h100.status)
    for _, k in ipairs({ "prefill_ms", "decode_ms", "user_tokens_per_s", "decode_tokens_per_s", "decode_bytes",
                         "decode_flops", "max_batch" }) do
      assert.is_number(h100[k], k)
    end
    -- the H20's bandwidth decodes faster at batch 1; its compute prefills far slower
    assert.is_true(h20.decode_ms < h100.decode_ms)
    assert.is_true(h20.prefill_ms > 4 * h100.prefill_ms)
    assert.equal("compute", h20.prefill_bound)
    local s = infer.model_shape("llama-3.1-8b", "int4")
    assert.equal(s.params * 4.5 / 8, s.weight_bytes)
  end)

  it("keeps unknown as unknown and refuses bad options", function()
    local r = infer.estimate("thead_ppu", "llama-3.1-8b")
    assert.equal("undetermined", r.status)
    assert.matches("memory.bandwidth_gbs", table.concat(r.missing, " "))
    assert.has_error(function() infer.estimate("H100", "llama-3.1-8b", { batch = 0 }) end,
      "tpp.infer: batch: got 0, expected a whole number >= 1")
    local ok, err = pcall(infer.estimate, "H100", "llama-3.1-8b", { bacth = 2 })
    assert.is_false(ok)
    assert.matches("option 'bacth' unknown; did you mean 'batch'", err)
  end)

  it("multiplies per-chip throughput by the tensor-parallel chips of the replica", function()
    local r = infer.estimate("H100", "llama-3.1-70b", { precision = "fp8", tp = 2, batch = 16 })
    assert.is_true(r.fits)
    local e = r.serve
    assert.equal(2, e.chips)
    assert.equal(e.per_chip_output_tokens_per_s * 2, r.decode_tokens_per_s)
  end)
end)

describe("tpp compare", function()
  it("puts the regulated metrics and the serving speed side by side", function()
    local cmd = require "tpp.commands.compare"
    local data, text = cmd.run({ "H100", "H20", "910C" })
    assert.equal(3, #data.chips)
    local h100, h20, a910c = data.chips[1], data.chips[2], data.chips[3]
    assert.near(2368 / 15831.2, h20.tpp / h100.tpp, 1e-12)
    assert.is_true(h20.inference.user_tokens_per_s > h100.inference.user_tokens_per_s)
    assert.is_true(h20.inference.prefill_ms > h100.inference.prefill_ms)
    -- one precision rule with tpp infer: the chip's 8-bit format
    assert.equal(serve.default_precision("H100"), h100.inference.precision)
    assert.equal("fp8", h100.inference.precision)
    assert.equal("int8", a910c.inference.precision)
    assert.equal("not-controlled", h20.status)
    assert.matches("memory bandwidth GB/s%s+3,350 %(1%.00x%)%s+4,000 %(1%.19x%)", text)
  end)

  it("shows unknown inference figures as unknown, not zero", function()
    local data, text = require("tpp.commands.compare").run({ "H100", "thead_ppu" })
    assert.equal("undetermined", data.chips[2].inference.status)
    assert.matches("unknown", text)
  end)
end)
