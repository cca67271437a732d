-- Chip metrics through the public API (lua/tpp/spec.lua over the C core).
local tpp = require "tpp"

describe("tpp.chip():metrics()", function()
  it("H100 SXM: TPP 15,831.2 from dense FP8 x 8, PD 19.45", function()
    local h100 = tpp.chip "H100"
    local t, p = h100:tpp()
    assert.near(15831.2, t, 1e-9)
    assert.equal("fp8", p)
    assert.near(15831.2 / 814, (h100:pd()), 1e-12)
    assert.same({ "fp8", "int8" }, h100:metrics().tpp_ties)
  end)

  it("H20: TPP 2,368 and PD 2.91, below both 3A090.b lines", function()
    local t = tpp.chip("H20"):tpp()
    assert.equal(2368, t)
    assert.near(2.909, (tpp.chip("H20"):pd()), 1e-3)
  end)

  it("RTX 4090: TPP 5,284.8 (about 5,285)", function()
    assert.near(5284.8, (tpp.chip("RTX 4090"):tpp()), 1e-9)
  end)

  it("the H100 is not 31,648 (a peer doubled every TPP)", function()
    assert.is_true(tpp.chip("nv_h100_sxm"):tpp() < 16000)
  end)

  it("TF32 is excluded unless asked; 19 or 32 bits on request (Trainium)", function()
    local trn = tpp.chip "aws_trn1"
    assert.equal(3040, (trn:tpp()))
    assert.equal(3610, (trn:tpp { tf32_bits = 19 }))
    assert.equal(6080, (trn:tpp { tf32_bits = 32 }))
    local found = false
    for _, a in ipairs(trn:metrics().assumptions) do found = found or a:find("TF32 left out") ~= nil end
    assert.is_true(found)
    assert.has_error(function() trn:tpp { tf32_bits = 18 } end,
      "tpp: option tf32_bits: got 18, expected 0 (TF32 excluded), 19 or 32")
  end)

  it("FP6 counts at 6 bits (MI355X 60,396)", function()
    local t, p = tpp.chip("MI355X"):tpp()
    assert.equal(60396, t)
    assert.equal("fp6", p)
  end)

  it("H100-equivalents on three bases, each with its basis", function()
    local b300 = tpp.chip "B300"
    local v, basis = tpp.h100e(b300, "tpp")
    assert.near(56000 / 15831.2, v, 1e-12)
    assert.matches("15,831.2", basis, 1, true)
    v = tpp.h100e(b300, "8bit")
    assert.near(4500 / 1978.9, v, 1e-12)
    v = tpp.h100e(b300, "fp16")
    assert.near(2250 / 989.4, v, 1e-12)
    assert.has_error(function() tpp.h100e(b300, "fp12") end)
  end)

  it("unknown stays unknown: no compute figures -> TPP nil, with a reason", function()
    local m = tpp.chip("nv_rtx6000d"):metrics()
    assert.is_nil(m.tpp)
    assert.is_nil(m.pd)
    assert.is_string(m.unknown.tpp)
    assert.equal(1398, m.mem_bw_gbs)
  end)

  it("PD unknown when the die area is unknown", function()
    local m = tpp.chip("intel_gaudi3"):metrics()
    assert.equal(29360, m.tpp)
    assert.is_nil(m.pd)
    assert.matches("die area", m.unknown.pd)
  end)

  it("computed TPP inherits the provenance of the figure that set it", function()
    assert.equal("vendor", tpp.chip("H100"):metrics().provenance.tpp)
    assert.equal("reported", tpp.chip("H20"):metrics().provenance.tpp)
    assert.equal("derived", tpp.chip("B200"):metrics().provenance.pd)
  end)
end)

describe("chip tables from users", function()
  it("computes from a minimal table", function()
    local c = tpp.chip { dense = { bf16 = 300 }, die_area_mm2 = 600 }
    assert.equal(4800, (c:tpp()))
    assert.equal(8, (c:pd()))
  end)

  it("sums non-planar logic dies and leaves memory out", function()
    local c = tpp.chip { dense = { fp16 = 256 }, dies = {
      { area_mm2 = 456, kind = "logic", planar = false },
      { area_mm2 = 168, kind = "logic", planar = false },
      { area_mm2 = 90, kind = "memory" },
      { area_mm2 = 40, kind = "logic", planar = true } } }
    assert.equal(624, c:metrics().area_mm2)
  end)

  it("a die without area makes PD unknown and says which", function()
    local c = tpp.chip { dense = { fp16 = 256 }, dies = { { area_mm2 = 400, planar = false }, { planar = false } } }
    local pd, why = c:pd()
    assert.is_nil(pd)
    assert.matches("die 2 has no area", why)
  end)

  it("processing units sum per precision (max of sums), or each at its best", function()
    local c = tpp.chip { units = { { name = "tensor", dense = { fp8 = 200 } },
                                   { name = "vector", dense = { fp32 = 40, fp8 = 10 } } } }
    assert.equal(1680, (c:tpp()))
    assert.equal(2880, (c:tpp { unit_mode = "sum_of_maxes" }))
  end)

  it("sparse-only figures are refused unless halved on request", function()
    assert.has_error(function() tpp.chip { sparse = { fp8 = 3958 } } end)
    local c = tpp.chip { sparse = { fp8 = 3957.8 }, halve_sparse = true }
    assert.near(15831.2, (c:tpp()), 1e-9)
    assert.equal("derived", c:metrics().provenance.tpp)
  end)

  local bad = {
    { { dense = { fp8 = -1 } }, "dense.fp8: got %-1, expected a number >= 0" },
    { { dense = { fp8 = 0 / 0 } }, "dense.fp8: got NaN" },
    { { dense = { fp8 = math.huge } }, "dense.fp8: got inf" },
    { { dense = { fp8 = "296" } }, "dense.fp8: number expected, got string" },
    { { dense = { fp12 = 3 } }, "dense.fp12: not a precision" },
    { { dense = { fp8 = 1 }, die_area_mm2 = 0 }, "die_area_mm2: got 0, expected a number > 0" },
    { { dense = { fp8 = 1 }, dies = { { area_mm2 = -3 } } }, "dies%[1%]%.area_mm2" },
    { { dense = { fp8 = 1 }, dies = { { kind = "sram" } } }, "dies%[1%]%.kind: got 'sram'" },
    { { dense = { fp8 = 1 }, die_area = 800 }, "die_area: unknown field; did you mean 'die_area_mm2'" },
    { { dense = { fp8 = 1 }, memory = { bandwidth = 4 } }, "memory.bandwidth: unknown field" },
  }
  for _, case in ipairs(bad) do
    it("rejects bad input: " .. case[2], function()
      local ok, err = pcall(tpp.chip, case[1])
      assert.is_false(ok)
      assert.matches(case[2], err)
    end)
  end

  it("an unknown database name suggests the closest", function()
    local ok, err = pcall(tpp.chip, "H2O")
    assert.is_false(ok)
    assert.matches("did you mean 'h20'", err)
  end)
end)
