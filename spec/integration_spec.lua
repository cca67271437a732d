-- Rules engine and destinations together (tpp.rules -> tpp.dest.decide).
local rules = require "tpp.rules"

describe("classify with a destination", function()
  it("H20 to China under the April-2025 letter: licence, and no NAC/ACA (not a 3A090 item)", function()
    local r = rules.classify("H20", { rules = "us-2025-04-h20", as_of = "2025-06-01", dest = "China" })
    assert.equal("controlled", r.status)
    assert.is_true(r.licence.licence_required)
    local ex = {}
    for _, e in ipairs(r.licence.exceptions) do ex[e.id] = e end
    assert.is_false(ex.NAC.available)
    assert.matches("not a letter", ex.NAC.why)
    assert.same({}, r.licence.missing or {})
  end)

  it("H20 to China under the enforced 3A090 rules: no licence, with a note on the letter", function()
    local r = rules.classify("H20", { as_of = "2025-06-01", dest = "China" })
    assert.equal("not-controlled", r.status)
    assert.is_false(r.licence.licence_required)
    assert.matches("us%-2025%-04%-h20", table.concat(r.licence.notes, " "))
  end)

  it("H100 to China in 2024: licence, presumption of denial, no NAC (datacenter 3A090.a)", function()
    local r = rules.classify("H100", { as_of = "2024-06-01", dest = "China" })
    assert.equal("3A090.a", r.eccn)
    assert.is_true(r.licence.licence_required)
    assert.equal("presumption of denial", r.licence.review_policy)
  end)

  it("RTX 4090 to Vietnam: controlled, ACA available", function()
    local r = rules.classify("RTX 4090", { as_of = "2024-06-01", dest = "Vietnam" })
    local ex = {}
    for _, e in ipairs(r.licence.exceptions) do ex[e.id] = e end
    assert.is_true(ex.ACA.available)
  end)
end)
