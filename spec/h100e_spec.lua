-- H100-equivalents: one basis per metric, taken from the database's own H100
-- SXM entry, so that 1,000 H100s are exactly 1,000 H100e on every basis, and
-- `tpp show H100` prints figures that agree with each other.
local tpp = require "tpp"
local core = require "tpp.backend"
local tpp_cmd = require("support").tpp_cmd

describe("H100e bases", function()
  local h100 = tpp.chip "nv_h100_sxm"
  local d, m = h100.data, h100:metrics()

  it("are the H100 SXM entry's TPP, best dense 8-bit and best dense FP16 figures", function()
    assert.equal(m.tpp, tpp.H100E_BASES.tpp.reference)
    assert.equal(math.max(d.dense.fp8, d.dense.int8), tpp.H100E_BASES["8bit"].reference)
    assert.equal(math.max(d.dense.fp16, d.dense.bf16), tpp.H100E_BASES.fp16.reference)
    for _, b in ipairs(core.h100e_bases()) do
      assert.equal(b.reference, tpp.H100E_BASES[b.name].reference) -- one constant, the C core's
    end
  end)

  it("count one H100 as exactly 1 and 1,000 H100s as exactly 1,000", function()
    for _, basis in ipairs(require("tpp.spec").H100E_ORDER) do
      assert.equal(1, (tpp.h100e(h100, basis)))
    end
    local b = tpp.batch({ "H100", "H100", "H20" })
    for i = 1, 2 do
      assert.equal(1, b:row(i).h100e_tpp)
      assert.equal(1, b:row(i).h100e_8bit)
      assert.equal(1, b:row(i).h100e_fp16)
    end
    local total = 0
    for _ = 1, 1000 do total = total + tpp.h100e(h100, "tpp") end
    assert.equal(1000, total)
    assert.equal(1000, 1000 * m.tpp / tpp.H100E_BASES.tpp.reference)
  end)

  it("print the reference they divide by", function()
    assert.equal("TPP / 15,831.2 (the H100 SXM's TPP)", tpp.H100E_BASES.tpp.label)
    assert.matches("/ 1,978.9 TOPS", tpp.H100E_BASES["8bit"].label, 1, true)
    assert.matches("/ 989.4 TFLOPS", tpp.H100E_BASES.fp16.label, 1, true)
  end)
end)

describe("tpp show H100", function()
  it("prints each figure once, unrounded, and labels TPP / 16 as an equivalent", function()
    local out, rc = tpp_cmd("show H100")
    assert.equal(0, rc)
    assert.matches("fp16%s+989%.4 ", out)
    assert.matches("fp8%s+1,978%.9 ", out)
    assert.matches("TPP%s+15,831%.2 %(set by fp8 = int8%)", out)
    assert.matches("= TPP / 16%s+989%.45 dense FP16 TFLOPS%-equivalent", out)
    assert.matches("= TPP / 8%s+1,978%.9 dense 8%-bit TOPS%-equivalent", out)
    assert.is_nil(out:find("989.5", 1, true))
    assert.matches("H100e %(tpp%)%s+1%.000", out)
  end)

  it("explains the H100's TPP in datasheet units without rounding it onto another figure", function()
    local out = tpp_cmd("explain H100 --rules us-2023-10 --as-of 2024-06-01", { COLUMNS = 200 })
    assert.matches("that is 989.45 dense FP16 TFLOPS against 300", out, 1, true)
    assert.matches("its TPP of 15,831.2 is 11,031.2 above the 4,800 line", out, 1, true)
    assert.is_nil(out:find("989.5", 1, true))
  end)
end)
