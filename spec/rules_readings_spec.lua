-- Classification defects an independent reference found: an unknown input that could change the
-- answer makes it undetermined and is named; the real question is named when PD is undefined; a
-- stand-alone HBM stack is outside the 2022 text; the two readings of the multi-unit technical note.
local rules = require "tpp.rules"

local function classify(c, id) return rules.classify(c, { rules = id or "us-2023-10", as_of = "2024-06-01" }) end

describe("unknown planar flag", function()
  local two_dies = function(planar2)
    return { id = "pd_probe", datacenter = true, dense = { fp16 = 125 }, -- TPP 2,000
      dies = { { area_mm2 = 400, kind = "logic", planar = false }, { area_mm2 = 400, kind = "logic", planar = planar2 } } }
  end

  it("settled both ways when known: PD 2.5 outside 3A090, PD 5.0 is 3A090.b.2", function()
    local np = classify(two_dies(false))
    assert.equal("not-controlled", np.status)
    local p = classify(two_dies(true))
    assert.equal("controlled", p.status)
    assert.equal("3A090.b", p.eccn)
    assert.equal("3A090.b.2", p.governing)
  end)

  it("unknown where it could change the answer: undetermined, naming dies[2].planar", function()
    local r = classify(two_dies(nil))
    assert.equal("undetermined", r.status)
    assert.same({ "dies[2].planar" }, r.missing)
    assert.matches("not%-controlled", r.missing_why["dies[2].planar"])
    assert.matches("3A090.b", r.missing_why["dies[2].planar"])
    assert.is_nil(r.eccn)
  end)

  it("unknown where it cannot change the answer: settled, with the assumption named", function()
    local big = { id = "big", datacenter = true, dense = { fp16 = 400 }, -- TPP 6,400: 3A090.a.1 whatever PD
      dies = { { area_mm2 = 400, kind = "logic", planar = false }, { area_mm2 = 400, kind = "logic" } } }
    local r = classify(big)
    assert.equal("controlled", r.status)
    assert.equal("3A090.a", r.eccn)
    local found = false
    for _, a in ipairs(r.assumptions) do found = found or a.name == "planar-unknown" end
    assert.is_true(found)
  end)
end)

describe("all logic dies planar", function()
  it("names the real question: no applicable die area under the technical note", function()
    local r = classify { id = "planar", datacenter = true, dense = { fp16 = 125 },
      dies = { { area_mm2 = 400, kind = "logic", planar = true }, { area_mm2 = 400, kind = "logic", planar = true } } }
    assert.equal("undetermined", r.status)
    assert.same({ "pd" }, r.missing)
    assert.matches("every logic die is planar", r.missing_why.pd)
    assert.is_nil(r.missing_why.pd:find("die_area_mm2", 1, true))
  end)
end)

describe("stand-alone HBM stack", function()
  local hbm = { id = "hbm_stack", form = "HBM stack", memory = { bandwidth_gbs = 250, package_area_mm2 = 100 } }
  it("is not controlled under the October 2022 text (no processing unit)", function()
    local r = classify(hbm, "us-2022-10")
    assert.equal("not-controlled", r.status)
  end)
  it("is 3A090.c from the December 2024 text", function()
    assert.equal("3A090.c", classify(hbm, "us-2024-12").eccn)
  end)
  it("leaves no impossible region in tpp diff us-2022-10 us-2023-10 (a memory item with a TPP)", function()
    local d = rules.diff("us-2022-10", "us-2023-10")
    assert.equal(6, #d.regions)
    for _, reg in ipairs(d.regions) do
      assert.is_not_equal(true, reg.witness.memory_item, reg.summary)
    end
  end)
end)

describe("several processing units", function()
  it("when the two readings differ, the stricter stands and a warning says so", function()
    local mu = { id = "multi", datacenter = true, die_area_mm2 = 1000,
      units = { { name = "a", dense = { fp16 = 150 } }, { name = "b", dense = { int8 = 300 } } } }
    local r = classify(mu)
    assert.equal("controlled", r.status)
    assert.equal("3A090.a", r.eccn)          -- sum of each unit's maximum: TPP 4,800
    assert.equal("sum_of_maxes", r.reading)
    assert.equal("3A090.b (nac-eligible)", r.unit_readings.max_of_sums) -- sum per precision, then max: TPP 2,400
    assert.equal(1, #r.warnings)
    assert.matches("two readings", r.warnings[1])
  end)
  it("when they agree, no warning", function()
    local mu = { id = "multi2", datacenter = true, die_area_mm2 = 1000,
      units = { { name = "a", dense = { fp16 = 400 } }, { name = "b", dense = { int8 = 800 } } } }
    local r = classify(mu)
    assert.equal("3A090.a", r.eccn)
    assert.same({}, r.warnings)
  end)
end)
