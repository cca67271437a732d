-- tpp.screen and `tpp screen`: shape of the answer, bad input, exit codes, the text for people.
local screen = require "tpp.screen"
local json = require "tpp.json"
local support = require "support"

describe("tpp.screen answers", function()
  it("one result per chip and destination, each with every regime's status, outcome, why and source", function()
    local r = screen.screen { chips = { "H20", "H100" }, to = { "China", "Germany" }, as_of = "2025-06-01" }
    assert.equal(4, #r.results)
    assert.equal("2025-06-01", r.as_of)
    for _, t in ipairs(r.results) do
      assert.truthy(screen.RANK[t.decision])
      assert.is_true(#t.regimes >= 6)
      for _, g in ipairs(t.regimes) do
        assert.is_string(g.id); assert.is_string(g.status); assert.is_string(g.outcome)
        assert.is_string(g.why); assert.is_string(g.source); assert.is_string(g.provenance)
        assert.is_boolean(g.decides)
      end
      assert.matches("not legal advice", t.disclaimer)
    end
    assert.equal("licence-required", r.results[1].decision)   -- H20 -> China (letter)
    assert.equal("no-licence-required", r.results[2].decision) -- H20 -> Germany
  end)

  it("one version name for one date: classification and licence scope name the same version", function()
    for _, d in ipairs({ "2025-01-15", "2025-05-13", "2025-06-01", "2026-03-01" }) do
      local t = screen.one { chip = "H100", to = "China", as_of = d }
      local scope, class
      for _, g in ipairs(t.regimes) do
        if g.id:match(":licence$") then scope = g.id:gsub(":licence$", "") end
        if g.outcome == "classified" and g.id:match("^us%-20") and not g.id:match("3a991") then class = g.id end
      end
      assert.equal(t.rules.id, scope, d)
      assert.equal(t.rules.id, class, d)
    end
    -- the Diffusion rule is in force (not "not enforced") on 2025-01-15, not enforced from 2025-05-13
    assert.equal("in force", screen.one { chip = "H100", to = "China", as_of = "2025-01-15" }.rules.status)
    assert.equal("us-2025-01-diffusion", screen.one { chip = "H100", to = "China", as_of = "2025-01-15" }.rules.id)
    assert.equal("us-2024-12", screen.one { chip = "H100", to = "China", as_of = "2025-05-13" }.rules.id)
  end)

  it("a 'no licence required' never hides an unscreened party", function()
    local t = screen.one { chip = "H20", to = "Germany", as_of = "2025-06-01" }
    assert.equal("no-licence-required", t.decision)
    local ns = {}
    for _, n in ipairs(t.not_screened) do ns[n.input] = n end
    assert.is_table(ns.end_user)
    assert.is_table(ns.end_use)
    assert.is_table(ns.hq)
  end)

  it("the exit code is the worst decision: licence 1 beats undetermined 2 beats none 0", function()
    assert.equal(0, screen.exit_code { { decision = "no-licence-required" } })
    assert.equal(2, screen.exit_code { { decision = "no-licence-required" }, { decision = "undetermined" } })
    assert.equal(1, screen.exit_code { { decision = "undetermined" }, { decision = "prohibited" } })
    assert.equal(1, screen.exit_code { { decision = "licence-required" }, { decision = "undetermined" } })
  end)
end)

describe("tpp.screen bad input", function()
  local function err(q)
    local ok, e = pcall(screen.screen, q)
    assert.is_false(ok)
    return e
  end
  it("names the field, the value and what was expected", function()
    assert.equal("tpp.screen: to: unknown destination 'Atlantis'; expected a country name, an ISO 3166 alpha-2 " ..
      "code (e.g. 'CN', 'Malaysia') or a region such as 'Crimea'", err { chip = "H20", to = "Atlantis" })
    assert.matches("to: unknown destination 'Chna'; did you mean 'China' %(CN%)%?", err { chip = "H20", to = "Chna" })
    assert.matches("^tpp.screen: end_use: unknown end use 'supercomputr'; did you mean 'supercomputer'%?",
      err { chip = "H20", to = "CN", end_use = "supercomputr" })
    assert.equal("tpp.screen: as_of: '2025-02-30': day 30 does not exist in that month",
      err { chip = "H20", to = "CN", as_of = "2025-02-30" })
    assert.equal("tpp.screen: as_of: '2021-06-01' is before 2022-10-07, the first date tpp's rules cover (ECCN " ..
      "3A090, 87 FR 62186); expected a date from 2022-10-07 on", err { chip = "H20", to = "CN", as_of = "2021-06-01" })
    assert.matches("^tpp.screen: chip: no chip named 'H2O'", err { chip = "H2O", to = "CN" })
    assert.matches("^tpp.screen: origin: got 'usa', expected 'us'", err { chip = "H20", to = "CN", origin = "usa" })
    assert.matches("^tpp.screen: tp: unknown input; did you mean 'to'%?", err { chip = "H20", tp = "CN" })
    assert.matches("^tpp.screen: hq: 'Crimea' is a region", err { chip = "H20", to = "CN", hq = "Crimea" })
    assert.matches("^tpp.screen: us_tech: false contradicts origin 'us'",
      err { chip = "H20", to = "CN", origin = "us", us_tech = false })
    assert.matches("^tpp.screen: end_user: is empty", err { chip = "H20", to = "CN", end_user = "  " })
    assert.matches("^tpp.screen: to: no destination given", err { chip = "H20" })
    assert.matches("^tpp.screen: rules: 'us%-2025%-04%-h20' is a letter measure",
      err { chip = "H20", to = "CN", rules = "us-2025-04-h20" })
  end)
  it("Macau as destination and headquarters is fine", function()
    local t = screen.one { chip = "H100", to = "Macau", hq = "Macau", as_of = "2024-06-01" }
    assert.equal("licence-required", t.decision)
  end)
  it("did you mean for parties", function()
    local t = screen.one { chip = "RTX 4090D", to = "China", end_user = "Sopgho", as_of = "2025-06-01" }
    local el
    for _, g in ipairs(t.regimes) do if g.id == "us-ear-entity-list" then el = g end end
    assert.equal("not-found", el.outcome)
    assert.matches("did you mean 'Sophgo'", el.why)
    assert.matches("not a clearance", el.why)
  end)
end)

describe("tpp screen (command line)", function()
  it("licence required exits 1 and prints the decision first", function()
    local out, rc = support.tpp_cmd("screen H20 --to China --as-of 2025-07-15")
    assert.equal(1, rc)
    assert.matches("^NVIDIA H20 %(HGX%) %-> China, 2025%-07%-15: LICENCE REQUIRED", out)
    assert.matches("not legal advice", out)
    assert.matches("NVIDIA 8%-K", out)
  end)
  it("no licence required exits 0; undetermined exits 2", function()
    local _, rc = support.tpp_cmd("screen H20 --to Germany --as-of 2025-07-15")
    assert.equal(0, rc)
    local _, rc2 = support.tpp_cmd("screen 'Ascend 910B' --to China --as-of 2025-05-12")
    assert.equal(2, rc2)
  end)
  it("several destinations, JSON with stable keys", function()
    local out, rc = support.tpp_cmd("screen H20 'RTX 4090D' --to Iran --to Crimea --as-of 2025-07-15 --json")
    assert.equal(1, rc)
    local d = json.decode(out)
    assert.equal(4, #d.results)
    for _, t in ipairs(d.results) do
      assert.truthy(t.decision == "prohibited" or t.decision == "licence-required")
      assert.is_table(t.not_screened)
      assert.is_table(t.prc)
      assert.is_table(t.conflicts)
    end
  end)
  it("bad input is a usage error (64) naming the field", function()
    local out, rc = support.tpp_cmd("screen H20 --to Atlantis")
    assert.equal(64, rc)
    assert.matches("tpp screen: to: unknown destination 'Atlantis'", out)
    out, rc = support.tpp_cmd("screen H20 --to China --as-of 2025-13-01")
    assert.equal(64, rc)
    assert.matches("as%-of", out)
    out, rc = support.tpp_cmd("screen H20")
    assert.equal(64, rc)
    assert.matches("%-%-to: a destination is required", out)
  end)
  it("long citations are wrapped, never cut", function()
    local out = support.tpp_cmd("screen H20 --to China --as-of 2025-07-15")
    for line in out:gmatch("[^\n]+") do assert.is_true(#line <= 100, line) end
    assert.is_nil(out:find("~", 1, true))
  end)
  it("classify and explain --dest give the same decision as screen", function()
    local s = json.decode((support.tpp_cmd("screen A800 --to China --to Vietnam --as-of 2026-03-01 --json")))
    local c = json.decode((support.tpp_cmd("classify A800 --dest China --dest Vietnam --as-of 2026-03-01 --json")))
    local e = json.decode((support.tpp_cmd("explain A800 --dest China --dest Vietnam --as-of 2026-03-01 --json")))
    for i = 1, 2 do
      assert.equal(s.results[i].decision, c.screening[1].results[i].decision)
      assert.equal(s.results[i].decision, e.screening[i].decision)
      assert.equal(s.results[i].review_policy, e.screening[i].review_policy)
    end
  end)
end)

describe("tpp explain without a destination", function()
  it("mentions the company letters in force on the date that the chip meets", function()
    local out, rc = support.tpp_cmd("explain H20 --as-of 2025-07-15")
    assert.equal(0, rc)
    assert.matches("Also in force on 2025%-07%-15: us%-2025%-04%-h20", out)
    assert.matches("NVIDIA, AMD", out)
    local before = support.tpp_cmd("explain H20 --as-of 2025-04-08")
    assert.is_nil(before:find("Also in force", 1, true))
    local notice = support.tpp_cmd("explain A800 --as-of 2023-10-23")
    assert.matches("us%-2023%-10%-notice", notice)
  end)
end)

describe("dated records are half-open: from <= date < to", function()
  local function syria(date)
    local t = screen.one { chip = "RTX 4090D", to = "Syria", as_of = date }
    local list = {}
    for _, g in ipairs(t.regimes) do if g.id == "us-ear-746.9" then list[#list + 1] = g end end
    return list
  end
  it("on the day the 2025 Syria rule takes effect only the new record applies", function()
    local before, on = syria("2025-09-01"), syria("2025-09-02")
    assert.equal(1, #before)
    assert.equal("general policy of denial", before[1].review_policy)
    assert.equal(1, #on)
    assert.matches("^case%-by%-case", on[1].review_policy)
  end)
end)

describe("tpp screen --input (thin CSV reader until the shared one lands)", function()
  it("screens each row; the options fill empty cells; exit is the worst decision", function()
    local path = support.tmpname(".csv")
    local f = assert(io.open(path, "w"))
    f:write("chip,to,as_of,end_user\nH20,China,2025-07-15,\n\"RTX 4090D\",Iran,,\nH100,Malaysia,2025-06-01,SOPHGO\n")
    f:close()
    local out, rc = support.tpp_cmd("screen --input " .. path .. " --as-of 2025-07-15 --json")
    os.remove(path)
    assert.equal(1, rc)
    local d = json.decode(out)
    assert.equal(3, #d.results)
    assert.equal("licence-required", d.results[1].decision)
    assert.equal("prohibited", d.results[2].decision)
    assert.equal("2025-07-15", d.results[2].as_of)
    assert.equal("licence-required", d.results[3].decision)   -- Sophgo is listed (2025-01-16)
  end)
  it("bad rows name the line and column (65); a missing file is 66", function()
    local path = support.tmpname(".csv")
    local f = assert(io.open(path, "w"))
    f:write("chip,to\nH20,China\nH20,Atlantis\n")
    f:close()
    local out, rc = support.tpp_cmd("screen --input " .. path)
    assert.equal(65, rc)
    assert.matches("line 3: to: unknown destination 'Atlantis'", out)
    f = assert(io.open(path, "w"))
    f:write("chip,dest\nH20,China\n")
    f:close()
    out, rc = support.tpp_cmd("screen --input " .. path)
    assert.equal(65, rc)
    assert.matches("line 1: column 'dest' unknown", out)
    os.remove(path)
    local _, rc2 = support.tpp_cmd("screen --input /nonexistent/tx.csv")
    assert.equal(66, rc2)
  end)
end)
