-- The example rule scripts in examples/ load and do what their comments say.
local tpp = require "tpp"
local rules = tpp.rules

describe("examples/rules", function()
  it("my_rule.lua: a user threshold rule with a flag, an inline line and a carve-out", function()
    local v = rules.load("examples/rules/my_rule.lua")
    assert.equal("analyst-bandwidth-2026", v.id)
    assert.equal(1000, v.thresholds["S.2.tpp"].value)
    assert.equal("SCENARIO.2", rules.classify("H20", { rules = v }).eccn)        -- 4,000 GB/s DRAM
    assert.equal("SCENARIO.1", rules.classify("H100", { rules = v }).eccn)
    assert.equal("not-controlled", rules.classify("RTX 4090", { rules = v }).status)  -- consumer < 6,000
    assert.equal("SCENARIO.1", rules.classify("RTX 5090", { rules = v }).eccn)   -- consumer, 6,704
  end)
  it("strict_3a090.lua: extends us-2024-12 with lower lines", function()
    local v = rules.load("examples/rules/strict_3a090.lua")
    local r = rules.classify("RTX 4090D", { rules = v, as_of = "2025-06-01" })
    assert.equal("3A090.a", r.eccn)                 -- 4,707 >= 4,000 and Note 2 now at 4,000
    assert.equal("nac-eligible", r.outcome)
    assert.equal("strict-3a090", r.rules_hashes[1].id)
    assert.equal("us-2024-12", r.rules_hashes[2].id)
    assert.equal(4, #r.rules_hashes)     -- and us-2024-04, us-2023-10 behind it
  end)
  it("escape_hatch.lua: a Lua check with a reason", function()
    local v = rules.load("examples/rules/escape_hatch.lua")
    local r = rules.classify("H20", { rules = v })   -- 4,000 GB/s over 148 TFLOPS = 27 GB/s per TFLOPS
    assert.equal("SCENARIO.BW", r.eccn)
    assert.matches("27.03 GB/s per dense FP16 TFLOPS", r.tests[1].why, 1, true)
    assert.equal("not-controlled", rules.classify("B200", { rules = v }).status)  -- 7,700 / 2,250 = 3.4
  end)
end)
