-- Golden screening cases (spec/golden/screen_cases.lua): the regulation's answer for each
-- transaction, with its source, including both sides of every date boundary tpp encodes.
local screen = require "tpp.screen"
local cases = require "golden.screen_cases"

local function ids(list, key)
  local set = {}
  for _, x in ipairs(list) do set[type(x) == "table" and x[key] or x] = true end
  return set
end

describe("golden screening cases", function()
  it("are at least 60", function() assert.is_true(#cases >= 60, #cases .. " cases") end)
  for _, c in ipairs(cases) do
    it(c.id, function()
      assert.is_string(c.source)
      local r = screen.one(c.q)
      local ctx = ("%s: %s"):format(c.id, require("tpp.screen.format").headline(r))
      if c.decision then assert.equal(c.decision, r.decision, ctx) end
      if c.review ~= nil then assert.equal(c.review or nil, r.review_policy, ctx) end
      local regs = {}
      for _, g in ipairs(r.regimes) do regs[g.id] = g.outcome end
      for id, o in pairs(c.regimes or {}) do assert.equal(o, regs[id], ctx .. " / " .. id) end
      for _, id in ipairs(c.no_regimes or {}) do assert.is_nil(regs[id], ctx .. " / " .. id) end
      local missing = ids(r.missing)
      for _, m in ipairs(c.missing or {}) do assert.is_true(missing[m] == true, ctx .. " missing " .. m) end
      local ns = ids(r.not_screened, "input")
      for _, m in ipairs(c.not_screened or {}) do assert.is_true(ns[m] == true, ctx .. " not_screened " .. m) end
      for _, m in ipairs(c.no_not_screened or {}) do assert.is_nil(ns[m], ctx .. " not_screened " .. m) end
      local prc = ids(r.prc, "id")
      for _, m in ipairs(c.prc or {}) do assert.is_true(prc[m] == true, ctx .. " prc " .. m) end
      for _, m in ipairs(c.no_prc or {}) do assert.is_nil(prc[m], ctx .. " prc " .. m) end
      local cf = ids(r.conflicts, "id")
      for _, m in ipairs(c.conflicts or {}) do assert.is_true(cf[m] == true, ctx .. " conflict " .. m) end
      for _, m in ipairs(c.no_conflicts or {}) do assert.is_nil(cf[m], ctx .. " conflict " .. m) end
      if c.exceptions then assert.same(c.exceptions, r.licence_exceptions, ctx) end
      if c.authorizations then assert.equal(c.authorizations, #r.authorizations, ctx) end
      assert.matches("not legal advice", r.disclaimer)
      for _, g in ipairs(r.regimes) do
        assert.is_string(g.source, ctx .. " " .. g.id)
        assert.is_string(g.status, ctx .. " " .. g.id)
        if g.proposal then assert.is_false(g.decides) end
      end
    end)
  end
end)
