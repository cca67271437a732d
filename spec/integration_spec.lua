-- The rule engine and the screening together: tpp.rules classifies, tpp.screen decides.
local screen = require "tpp.screen"

local function regime(r, id)
  for _, g in ipairs(r.regimes) do if g.id == id then return g end end
  error("no regime " .. id)
end

describe("screening with a destination", function()
  it("H20 to China on 2025-06-01: a licence under the April-2025 letter, no 3A090 licence", function()
    local r = screen.one { chip = "H20", to = "China", as_of = "2025-06-01" }
    assert.equal("licence-required", r.decision)
    assert.equal("licence-required", regime(r, "us-2025-04-h20").outcome)
    assert.equal("no-licence-required", regime(r, "us-2024-12:licence").outcome)
    assert.same({}, r.licence_exceptions)
  end)

  it("H100 to China in 2024: licence, presumption of denial, no NAC (datacenter 3A090.a)", function()
    local r = screen.one { chip = "H100", to = "China", as_of = "2024-06-01" }
    assert.equal("licence-required", r.decision)
    assert.equal("presumption of denial", r.review_policy)
    assert.same({}, r.licence_exceptions)
  end)

  it("RTX 4090 to Vietnam: licence required, ACA available", function()
    local r = screen.one { chip = "RTX 4090", to = "Vietnam", as_of = "2024-06-01" }
    assert.equal("licence-required", r.decision)
    assert.same({ "ACA" }, r.licence_exceptions)
  end)
end)
