-- tpp.dest: countries, regions, dated country groups (regime data), AI Diffusion tiers.
local dest = require "tpp.dest"

local function any_match(list, pat)
  for _, x in ipairs(list) do if tostring(x):find(pat) then return true end end
  return false
end

describe("tpp.dest.country()", function()
  it("resolves codes, names and aliases to one record", function()
    assert.equal("CN", dest.country("PRC").code)
    assert.equal("CN", dest.country("cn").code)
    assert.equal("China", dest.country("People's Republic of China").name)
    assert.equal("AE", dest.country("UAE").code)
    assert.equal("MM", dest.country("Myanmar").code)
    assert.equal("TR", dest.country("Turkey").code)
  end)

  it("Hong Kong keeps its own code but is treated as China under the EAR", function()
    local hk = dest.country("Hong Kong")
    assert.equal("HK", hk.code)
    assert.equal("CN", hk.ear_as)
    assert.matches("treated as part of China", hk.ear_note)
  end)

  it("Macau and Macao are one country, separate from China", function()
    assert.equal("MO", dest.country("Macao").code)
    assert.equal("MO", dest.country("Macau").code)
    assert.is_nil(dest.country("Macau").ear_as)
  end)

  it("an unknown name raises with a did-you-mean", function()
    assert.has_error(function() dest.country("Malaysa") end,
      "tpp.dest: unknown country 'Malaysa'; did you mean 'Malaysia' (MY)?")
    local rec, msg = dest.resolve_country("Vietnan")
    assert.is_nil(rec)
    assert.matches("did you mean 'Vietnam' %(VN%)", msg)
  end)

  it("an ambiguous name is refused with both choices", function()
    local rec, msg = dest.resolve_country("Korea")
    assert.is_nil(rec)
    assert.equal("country 'Korea' is ambiguous: 'South Korea' (KR) or 'North Korea' (KP)?", msg)
  end)

  it("a non-string is a clear error", function()
    assert.has_error(function() dest.country(42) end,
      "tpp.dest: country name or ISO code (string) expected, got number")
  end)
end)

describe("tpp.dest.groups()", function()
  local function list(c, d) return table.concat(dest.group_list((dest.groups(c, d))), ",") end

  it("China is D:1, D:4 and D:5; Israel D:4 and A:6; Germany A:5; Taiwan A:6", function()
    assert.equal("D:1,D:4,D:5", list("CN", "2024-06-01"))
    assert.equal("A:6,D:4", list("Israel", "2024-06-01"))
    assert.equal("A:5", list("Germany", "2024-06-01"))
    assert.equal("A:6", list("Taiwan", "2024-06-01"))
    assert.equal("", list("Malaysia", "2024-06-01"))
  end)

  it("Hong Kong has China's groups", function()
    assert.equal("D:1,D:4,D:5", list("HK", "2024-06-01"))
  end)

  it("Macau is D:1 and D:4 but never D:5", function()
    assert.equal("D:1,D:4", list("MO", "2024-06-01"))
    local _, info = dest.groups("MO", "2024-06-01")
    assert.is_true(any_match(info.notes, "Macau is not in D:5"))
  end)

  it("Cambodia leaves D:5 on 2026-02-04 (91 FR 5091) and stays in D:1", function()
    assert.equal("D:1,D:5", list("KH", "2026-02-03"))
    assert.equal("D:1", list("KH", "2026-02-04"))
  end)

  it("the UAE leaves D:4 and joins A:5 on 2026-07-10 (91 FR 43034)", function()
    assert.equal("D:4", list("AE", "2026-07-09"))
    assert.equal("A:5", list("AE", "2026-07-10"))
  end)

  it("every membership carries provenance", function()
    local _, info = dest.groups("AE", "2026-07-10")
    assert.is_true(#info.provenance >= 2)
    for _, p in ipairs(info.provenance) do
      assert.is_string(p.source)
      assert.is_true(p.tag == "primary" or p.tag == "secondary")
    end
  end)

  it("a bad date is an error naming the field", function()
    assert.has_error(function() dest.groups("CN", "2026-13-01") end,
      "tpp.dest.groups: as_of: '2026-13-01': month 13 is not 01-12")
    assert.has_error(function() dest.groups("CN", "1/2/2026") end,
      "tpp.dest.groups: as_of: '1/2/2026' is not a date; expected YYYY-MM-DD")
  end)
end)

describe("tpp.dest.tier()", function()
  it("Tier 3 = D:5 + Macau, by date", function()
    assert.equal(3, (dest.tier("CN", "2025-03-01")))
    assert.equal(3, (dest.tier("Macau", "2025-03-01")))
    assert.equal(3, (dest.tier("Hong Kong", "2025-03-01")))
    assert.equal(3, (dest.tier("Cambodia", "2026-02-03")))
    assert.equal(2, (dest.tier("Cambodia", "2026-02-04")))
  end)

  it("Tier 1 = US + 18, marked unverified; Tier 2 the rest", function()
    local t, info = dest.tier("Germany", "2025-03-01")
    assert.equal(1, t)
    assert.is_false(info.verified)
    assert.matches("not verified", info.basis)
    assert.equal("rule file us-2025-01-diffusion, figure 'tier1.countries'", info.list_source)
    assert.equal(2, (dest.tier("India", "2025-03-01")))
    assert.equal(2, (dest.tier("Malaysia", "2025-03-01")))
  end)

  it("reads every Tier 1 member from the rule file, Taiwan included", function()
    local list = dest.tier1_list()
    assert.equal(19, #list)
    local want = { "US", "AU", "BE", "CA", "DK", "FI", "FR", "DE", "IE", "IT", "JP", "NL", "NZ", "NO", "KR", "ES",
      "SE", "TW", "GB" }
    for _, c in ipairs(want) do
      assert.equal(1, (dest.tier(c, "2025-03-01")), c .. " is Tier 1")
    end
    assert.equal(1, (dest.tier("Taiwan", "2025-03-01")))
    assert.equal(2, (dest.tier("Singapore", "2025-03-01")))   -- A:6 but not in the 18
  end)
end)

describe("tpp.dest regions", function()
  it("Crimea and the so-called DNR/LNR are destinations of their own", function()
    assert.equal("UA-CRIMEA", dest.destination("Crimea").code)
    assert.equal("UA-CRIMEA", dest.destination("sevastopol").code)
    assert.equal("UA-DNR", dest.destination("Donetsk People's Republic").code)
    assert.equal("UA-LNR", dest.destination("LNR").code)
    assert.is_true(dest.destination("Crimea").region)
    assert.equal("UA", dest.destination("Ukraine").code)
  end)
  it("an unknown destination is an error with a suggestion", function()
    local rec, msg = dest.resolve_destination("Atlantis")
    assert.is_nil(rec)
    assert.matches("unknown country 'Atlantis'", msg)
  end)
  it("E:1 and E:2 are modelled from the regime data", function()
    assert.equal("D:4,D:5,E:1", table.concat(dest.group_list((dest.groups("IR", "2025-01-01"))), ","))
    assert.equal("D:5,E:2", table.concat(dest.group_list((dest.groups("CU", "2025-01-01"))), ","))
  end)
end)

