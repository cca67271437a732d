-- tpp.screen.licence: the licence scope of the rule versions as data (licence { } declarations),
-- evaluated by the compiled rule engine. These are the cases tpp.dest.decide() answered with
-- if-statements before the port, plus the ones that let real bugs through.
local licence = require "tpp.screen.licence"
local rules = require "tpp.rules"
local dest = require "tpp.dest"

-- One licence question: eccn ("3A090.a" | "3A090.b" | "3A090.c" | "none" | nil), datacenter, tpp,
-- dram_bw_gbs, mbd, country, hq, as_of, exported_from_us, us_available, rules (version id).
local function decide(q)
  local v = q.rules and rules.get(q.rules) or rules.at(q.as_of)
  local item
  if q.eccn then item = q.eccn == "none" and "none" or q.eccn:match("^3A090%.([abc])$") end
  local values = { tpp = q.tpp, mem_bw_gbs = q.dram_bw_gbs, mbd = q.mbd }
  if q.datacenter ~= nil then values.datacenter = q.datacenter and 1 or 0 end
  local enforced, cfr = licence.views {
    as_of = q.as_of, version = v, dest = q.country and dest.destination(q.country) or nil,
    hq = q.hq and dest.destination(q.hq) or nil, item = item, values = values,
    exported_from_us = q.exported_from_us, us_available = q.us_available,
  }
  local r = q.basis == "cfr-text" and cfr or enforced
  r.views = { enforced = enforced, cfr_text = cfr }
  r.rules = v.id
  return r
end

local function exc(res, id)
  for _, e in ipairs(res.exceptions) do if e.id == id then return e end end
  error("no exception " .. id)
end

local function has(list, s)
  for _, x in ipairs(list) do if x == s then return true end end
  return false
end

local function any_match(list, pat)
  for _, x in ipairs(list) do if tostring(x):find(pat) then return true end end
  return false
end

describe("licence scope as data", function()
  it("H100 to China in 2024: licence, presumption of denial, no NAC/ACA", function()
    local r = decide { eccn = "3A090.a", datacenter = true, tpp = 15831.2, country = "CN", as_of = "2024-06-01" }
    assert.is_true(r.licence_required)
    assert.equal("us-2024-04", r.rules)
    assert.equal("presumption of denial", r.review_policy)
    assert.is_false(exc(r, "NAC").available)
    assert.is_false(exc(r, "ACA").available)
    assert.is_false(exc(r, "LPP").available)
    assert.is_false(exc(r, "HBM").available)
    assert.is_true(#r.provenance > 0)
    for _, p in ipairs(r.provenance) do assert.is_string(p.source) end
  end)

  it("H100 to Germany: no licence under enforced policy; the CFR text (AI Diffusion) requires one", function()
    local r = decide { eccn = "3A090.a", datacenter = true, country = "Germany", hq = "US", as_of = "2025-06-01" }
    assert.is_false(r.licence_required)
    assert.is_true(r.views.cfr_text.licence_required)
    assert.is_true(any_match(r.views.cfr_text.reasons, "any destination worldwide"))
    local c = decide { eccn = "3A090.a", datacenter = true, country = "Germany", hq = "US", as_of = "2025-06-01",
      basis = "cfr-text" }
    assert.is_true(c.licence_required)
    assert.is_true(exc(c, "LPP").available)
  end)

  it("the CFR worldwide requirement starts at the compliance date 2025-05-15", function()
    local before = decide { eccn = "3A090.a", datacenter = true, country = "DE", hq = "DE", as_of = "2025-05-14",
      basis = "cfr-text" }
    local after = decide { eccn = "3A090.a", datacenter = true, country = "DE", hq = "DE", as_of = "2025-05-15",
      basis = "cfr-text" }
    assert.is_false(before.licence_required)
    assert.is_true(after.licence_required)
  end)

  it("RTX 4090 (not datacenter, 3A090.a) to Vietnam: ACA after the 2024-04-04 split, NAC before", function()
    local r = decide { eccn = "3A090.a", datacenter = false, country = "Vietnam", as_of = "2024-06-01" }
    assert.is_true(r.licence_required)
    assert.is_true(exc(r, "ACA").available)
    assert.is_false(exc(r, "NAC").available)
    assert.equal("presumption of approval", r.review_policy)
    local early = decide { eccn = "3A090.a", datacenter = false, country = "VN", as_of = "2024-01-10" }
    assert.is_true(exc(early, "NAC").available)
    assert.is_false(exc(early, "ACA").available)
    local split = decide { eccn = "3A090.a", datacenter = false, country = "VN", as_of = "2024-04-04" }
    local day_before = decide { eccn = "3A090.a", datacenter = false, country = "VN", as_of = "2024-04-03" }
    assert.is_true(exc(split, "ACA").available)
    assert.is_false(exc(day_before, "ACA").available)
  end)

  it("NAC exists from the 2023 rule's effective date 2023-11-17, not the day before", function()
    local on = decide { eccn = "3A090.a", datacenter = false, country = "CN", as_of = "2023-11-17" }
    assert.equal("us-2023-10", on.rules)
    assert.is_true(on.licence_required)
    assert.is_true(exc(on, "NAC").available)
    local before = decide { eccn = "3A090.a", datacenter = false, country = "CN", as_of = "2023-11-16" }
    assert.equal("us-2022-10", before.rules)
    assert.is_false(exc(before, "NAC").available)
  end)

  it("RTX 4090 to China: NAC with notification", function()
    local r = decide { eccn = "3A090.a", datacenter = false, country = "CN", as_of = "2024-06-01" }
    assert.is_true(exc(r, "NAC").available)
    assert.matches("notification", exc(r, "NAC").why)
    assert.is_false(exc(r, "ACA").available)
  end)

  it("3A090.b datacenter items get NAC/ACA; 3A090.a datacenter items never", function()
    local b = decide { eccn = "3A090.b", datacenter = true, country = "Saudi Arabia", as_of = "2024-06-01" }
    assert.is_true(exc(b, "ACA").available)
    local a = decide { eccn = "3A090.a", datacenter = true, country = "Saudi Arabia", as_of = "2024-06-01" }
    assert.is_false(exc(a, "ACA").available)
  end)

  it("buyer headquartered in China buying in Malaysia: licence worldwide, presumption of denial", function()
    local r = decide { eccn = "3A090.a", datacenter = true, country = "Malaysia", hq = "China", as_of = "2024-06-01" }
    assert.is_true(r.licence_required)
    assert.is_true(any_match(r.reasons, "headquartered"))
    assert.equal("presumption of denial", r.review_policy)
    assert.is_true(decide { eccn = "3A090.a", datacenter = true, country = "Malaysia", hq = "Macau",
      as_of = "2024-06-01" }.licence_required)
    assert.is_false(decide { eccn = "3A090.a", datacenter = true, country = "Malaysia", hq = "US",
      as_of = "2024-06-01" }.licence_required)
    -- the rule does not reach a shipment that stays in the United States
    assert.is_false(decide { eccn = "3A090.a", datacenter = true, country = "US", hq = "China",
      as_of = "2024-06-01" }.licence_required)
  end)

  it("LPP (CFR text) is not for a buyer headquartered in D:5 or Macau, even outside D:5", function()
    local q = { eccn = "3A090.a", datacenter = true, country = "Malaysia", as_of = "2025-06-01", basis = "cfr-text" }
    q.hq = "US"
    assert.is_true(exc(decide(q), "LPP").available)
    q.hq = "China"
    local cn = decide(q)
    assert.is_true(cn.licence_required)
    assert.is_false(exc(cn, "LPP").available)
    q.hq = "Macau"
    assert.is_false(exc(decide(q), "LPP").available)
    q.hq, q.country = "US", "China"
    assert.is_false(exc(decide(q), "LPP").available)
  end)

  it("LPP in the enforced view after 2025-05-13 is an open question (text BIS does not enforce)", function()
    local r = decide { eccn = "3A090.a", datacenter = true, country = "Vietnam", as_of = "2025-06-01" }
    assert.is_true(r.licence_required)
    assert.is_nil(exc(r, "LPP").available)
    assert.is_true(exc(r, "LPP").open_question)
    assert.matches("does not enforce", exc(r, "LPP").why)
  end)

  it("missing datacenter flag: ACA undetermined; NAC, which cannot apply to Vietnam, is not available", function()
    local r = decide { eccn = "3A090.a", country = "Vietnam", as_of = "2024-06-01" }
    assert.is_true(r.licence_required)
    assert.is_nil(exc(r, "ACA").available)
    assert.equal("undetermined", exc(r, "ACA").state)
    assert.is_true(has(r.missing, "datacenter"))
    assert.is_false(exc(r, "NAC").available)
  end)

  it("missing classification: licence undetermined, never 'not required'", function()
    local r = decide { country = "CN", as_of = "2024-06-01" }
    assert.is_nil(r.licence_required)
    assert.is_true(has(r.missing, "eccn"))
  end)

  it("2022 scope: China (and Hong Kong) from the start, Macau from 2023-01-17 (88 FR 2821)", function()
    assert.is_true(decide { eccn = "3A090.a", country = "HK", as_of = "2022-12-01" }.licence_required)
    assert.is_false(decide { eccn = "3A090.a", country = "MO", as_of = "2023-01-16" }.licence_required)
    assert.is_true(decide { eccn = "3A090.a", country = "MO", as_of = "2023-01-17" }.licence_required)
    assert.is_false(decide { eccn = "3A090.a", country = "VN", as_of = "2023-01-18" }.licence_required)
    assert.equal("us-2022-10", decide { eccn = "3A090.a", country = "CN", as_of = "2023-11-16" }.rules)
    assert.equal("us-2023-10", decide { eccn = "3A090.a", country = "CN", as_of = "2023-11-17" }.rules)
  end)

  it("Israel (D:4 and A:6) is outside the 2023 scope, and says why", function()
    local r = decide { eccn = "3A090.a", datacenter = true, country = "Israel", hq = "IL", as_of = "2024-06-01" }
    assert.is_false(r.licence_required)
    assert.is_true(any_match(r.reasons, "A:6"))
  end)

  it("Cambodia: presumption of denial and NAC before 2026-02-04, approval and ACA after", function()
    local before = decide { eccn = "3A090.b", datacenter = true, country = "KH", as_of = "2026-02-03" }
    local after = decide { eccn = "3A090.b", datacenter = true, country = "KH", as_of = "2026-02-04" }
    assert.equal("presumption of denial", before.review_policy)
    assert.is_true(exc(before, "NAC").available)
    assert.equal("presumption of approval", after.review_policy)
    assert.is_true(exc(after, "ACA").available)
  end)

  it("UAE from 2026-07-10: 3A090.b still needs a licence (named in the RS scope), 3A090.a does not", function()
    local b = decide { eccn = "3A090.b", datacenter = true, country = "UAE", hq = "AE", as_of = "2026-07-10" }
    assert.is_true(b.licence_required)
    assert.is_true(any_match(b.reasons, "Emirates"))
    local a = decide { eccn = "3A090.a", datacenter = true, country = "UAE", hq = "AE", as_of = "2026-07-10" }
    assert.is_false(a.licence_required)
    assert.is_true(a.views.cfr_text.licence_required)
    assert.is_true(decide { eccn = "3A090.a", datacenter = true, country = "UAE", hq = "AE",
      as_of = "2026-07-09" }.licence_required)
  end)

  it("3A090.c: Macau or D:5 only, never NAC/ACA, License Exception HBM only below 3.3 GB/s/mm2", function()
    local lo = decide { eccn = "3A090.c", mbd = 3.29, country = "CN", as_of = "2025-03-01" }
    assert.is_true(lo.licence_required)
    assert.is_true(exc(lo, "HBM").available)
    assert.is_false(exc(lo, "NAC").available)
    assert.is_false(exc(lo, "ACA").available)
    assert.is_false(exc(decide { eccn = "3A090.c", mbd = 3.3, country = "MO", as_of = "2025-03-01" }, "HBM").available)
    assert.is_false(decide { eccn = "3A090.c", mbd = 2.5, country = "VN", as_of = "2025-03-01" }.licence_required)
    local nombd = decide { eccn = "3A090.c", country = "CN", as_of = "2025-03-01" }
    assert.is_nil(exc(nombd, "HBM").available)
    assert.is_true(has(nombd.missing, "mbd"))
  end)

  it("91 FR 1684: case-by-case for exports from the US below both lines, if sold in the US", function()
    local q = { eccn = "3A090.a", datacenter = true, country = "CN", as_of = "2026-03-01", tpp = 15831.2,
      dram_bw_gbs = 4800, exported_from_us = true, us_available = true }
    assert.equal("case-by-case", decide(q).review_policy)
    q.tpp = 21000
    assert.equal("presumption of denial", decide(q).review_policy)
    q.tpp, q.dram_bw_gbs = 20999, 6500
    assert.equal("presumption of denial", decide(q).review_policy)
    q.dram_bw_gbs = 6499
    assert.equal("case-by-case", decide(q).review_policy)
    q.exported_from_us = false
    assert.equal("presumption of denial", decide(q).review_policy)
    q.exported_from_us, q.us_available = true, false
    assert.equal("presumption of denial", decide(q).review_policy)
    q.us_available = nil
    local r = decide(q)
    assert.equal("undetermined", r.review_policy)
    assert.is_true(has(r.missing, "us_commercially_available"))
    q.as_of, q.us_available = "2026-01-14", true
    assert.equal("presumption of denial", decide(q).review_policy)
  end)

  it("91 FR 1684 does not reach other D:5 destinations", function()
    local r = decide { eccn = "3A090.a", datacenter = true, country = "Russia", as_of = "2026-03-01",
      tpp = 15831.2, dram_bw_gbs = 4800, exported_from_us = true, us_available = true }
    assert.equal("presumption of denial", r.review_policy)
  end)

  it("a chosen version answers as that version (what-if before its date)", function()
    local r = decide { eccn = "3A090.a", datacenter = true, country = "CN", as_of = "2023-06-01", rules = "us-2023-10" }
    assert.is_true(r.licence_required)
    assert.equal("us-2023-10", r.rules)
  end)
end)
