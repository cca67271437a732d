-- tpp.rules: time selection, stamping, what-if, diff regions with witnesses,
-- boxes for the chart (contract with tpp.chart), batches.
local tpp = require "tpp"
local rules = tpp.rules
local core = require "tpp.backend"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

describe("rule time", function()
  local cases = {
    { "2022-12-01", "us-2022-10" }, { "2023-11-16", "us-2022-10" }, { "2023-11-17", "us-2023-10" },
    { "2024-06-01", "us-2024-04" }, { "2024-12-02", "us-2024-12" }, { "2025-03-01", "us-2025-01-diffusion" },
    { "2025-05-13", "us-2024-12" }, { "2025-06-01", "us-2024-12" }, { "2026-03-01", "us-2026-01-h200" },
  }
  for _, c in ipairs(cases) do
    it(c[1] .. " picks " .. c[2], function()
      assert.equal(c[2], rules.at(c[1]).id)
      assert.equal(c[2], rules.classify("H100", { as_of = c[1] }).rules)
    end)
  end
  it("the CFR-text basis keeps the AI Diffusion rule after 2025-05-13", function()
    assert.equal("us-2025-01-diffusion", rules.at("2025-06-01", { basis = "cfr-text" }).id)
  end)
  it("other tracks: the foundry rule and the April 2025 letters", function()
    assert.equal("us-2025-01-foundry", rules.at("2025-06-01", { track = "foundry" }).id)
    assert.equal("us-2025-04-h20", rules.at("2025-06-01", { track = "letter" }).id)
  end)
  it("before the first version is an error that says when it started", function()
    assert.has_error(function() rules.at("2020-01-01") end,
      "tpp.rules: no 3A090 version was in effect on 2020-01-01 (the first, us-2022-10, took effect 2022-10-07)")
    assert.has_error(function() rules.classify("H100", { as_of = "2024-13-01x" }) end)
  end)
  it("status depends on the date", function()
    local v = rules.get("us-2025-01-diffusion")
    assert.equal("not yet in force", v:status_at("2025-01-01"))
    assert.equal("in force", v:status_at("2025-03-01"))
    assert.equal("not enforced", v:status_at("2025-05-13"))
    assert.equal("superseded", rules.get("us-2022-10"):status_at("2023-11-17"))
    assert.equal("proposal", rules.get("us-prop-2026-04-s4456"):status_at("2026-06-01"))
  end)
  it("dated thresholds: the foundry no-HBM limit is 30, 35 (2027, 2028 assumed) and 40 billion", function()
    local v = rules.get("us-2025-01-foundry")
    assert.equal(30, v:resolve("2026-12-31")["foundry.no_hbm.transistors_b"].value)
    assert.equal(35, v:resolve("2027-01-01")["foundry.no_hbm.transistors_b"].value)
    local r28 = v:resolve("2028-06-01")["foundry.no_hbm.transistors_b"]
    assert.equal(35, r28.value)
    assert.matches("the eCFR text gives no figure", r28.note, 1, true)
    assert.equal(40, v:resolve("2029-01-01")["foundry.no_hbm.transistors_b"].value)
    local chip = { id = "x", dense = { fp8 = 100 }, hbm = false, transistors_b = 33 }
    assert.equal("controlled", rules.classify(chip, { rules = v, as_of = "2026-06-01" }).status)
    assert.equal("not-controlled", rules.classify(chip, { rules = v, as_of = "2027-06-01" }).status)
    chip.hbm = true
    assert.equal("controlled", rules.classify(chip, { rules = v, as_of = "2027-06-01" }).status)
  end)
  it("the rolling threshold is computed from the database's best Chinese chip at the date", function()
    local v = rules.get("us-prop-2025-08-rtt")
    local r = v:resolve("2026-06-01")["rtt.tpp"]
    assert.near(16384 * 1.1, r.value, 1e-9)          -- Biren BR100 (2022), TPP 16,384
    assert.matches("biren_br100", r.derivation)
    assert.near(4096 * 1.1, v:resolve("2020-06-01")["rtt.tpp"].value, 1e-9)  -- Ascend 910 (2019)
    local w = rules.whatif(v, { ["rtt.margin"] = 1.5 })
    assert.near(16384 * 1.5, w:resolve("2026-06-01")["rtt.tpp"].value, 1e-9)
    assert.has_error(function() v:resolve("2017-01-01") end)   -- no Chinese chip before 2018 in the database
  end)
end)

describe("stamping", function()
  it("every result names the rule, its status and the SHA-256 of the rule file", function()
    local r = rules.classify("H20", { rules = "us-2023-10", as_of = "2024-06-01" })
    local v = rules.get("us-2023-10")
    local path = package.searchpath and package.searchpath("tpp.rules.us_2023_10", package.path)
      or "./lua/tpp/rules/us_2023_10.lua"
    assert.equal(core.sha256(read(path)), r.rules_hash)
    assert.equal(v.hash, r.rules_hash)
    assert.equal("in force", r.rules_status)
    assert.equal("2024-06-01", r.as_of)
    local r2 = rules.classify("H20", { rules = "us-2026-01-h200", as_of = "2026-03-01" })
    -- us-2026-01-h200 extends us-2024-12, which extends us-2024-04, which extends us-2023-10
    local chain = {}
    for i, h in ipairs(r2.rules_hashes) do chain[i] = h.id end
    assert.same({ "us-2026-01-h200", "us-2024-12", "us-2024-04", "us-2023-10" }, chain)
    assert.equal(v.hash, r2.rules_hashes[4].sha256)
  end)
end)

describe("what-if", function()
  it("overrides a threshold by name and flips the chips near it", function()
    local w = rules.whatif("us-2023-10", { ["3A090.a.1.tpp"] = 4000 })
    assert.equal("us-2023-10+whatif", w.id)
    assert.equal("what-if", w.status)
    assert.equal(4000, w.thresholds["3A090.a.1.tpp"].value)
    assert.equal(4800, rules.get("us-2023-10").thresholds["3A090.a.1.tpp"].value)
    local r = rules.classify("goog_tpuv4", { rules = w, as_of = "2024-06-01" })  -- TPP 4,400, PD unknown
    assert.equal("controlled", r.status)
    assert.same({ ["3A090.a.1.tpp"] = 4000 }, r.overrides)
    assert.matches("What-if: 3A090.a.1.tpp = 4,000", r.explanation, 1, true)
    assert.are_not.equal(rules.get("us-2023-10").hash, r.rules_hash)
  end)
  it("an unknown name is an error with a suggestion", function()
    local ok, err = pcall(rules.whatif, "us-2023-10", { ["3A090.a1.tpp"] = 4000 })
    assert.is_false(ok)
    assert.matches("no threshold '3A090.a1.tpp'; did you mean '3A090.a.1.tpp'?", err, 1, true)
  end)
  it("refuses a value that inverts a range", function()
    local w = rules.whatif("us-2023-10", { ["3A090.b.1.pd.lo"] = 7 })
    assert.has_error(function() rules.classify("H20", { rules = w }) end)
  end)
  it("sets a figure of the AI Diffusion rule for a ledger scenario", function()
    local w = rules.whatif("us-2025-01-diffusion", { ["lpp.tpp_per_consignee_year"] = 30000000 })
    assert.equal(30000000, w.figures["lpp.tpp_per_consignee_year"].value)
    assert.equal(26900000, rules.get("us-2025-01-diffusion").figures["lpp.tpp_per_consignee_year"].value)
  end)
end)

describe("diff", function()
  local d = rules.diff("us-2022-10", "us-2023-10", { as_of = "2024-06-01" })
  it("lists the chips that flip: A800 and H800 caught in 2023, RTX 4090 NAC-eligible", function()
    local by = {}
    for _, f in ipairs(d.flips) do by[f.chip] = f end
    assert.equal("not-controlled", by.nv_a800_sxm.from.status)
    assert.equal("3A090.a", by.nv_a800_sxm.to.eccn)
    assert.equal("3A090.a", by.nv_h800_sxm.to.eccn)
    assert.equal("nac-eligible", by.nv_rtx4090.to.outcome)
    assert.is_nil(by.nv_h100_sxm)     -- controlled under both
    assert.equal(#tpp.chips(), #d.flips + d.unchanged)
  end)
  it("gives a witness chip for every region, confirmed by both compiled programs", function()
    assert.is_true(#d.regions >= 5)
    for _, r in ipairs(d.regions) do
      assert.is_true(r.confirmed, r.summary)
      assert.are_not.equal(r.a.status .. (r.a.class or "") .. (r.a.outcome or ""),
        r.b.status .. (r.b.class or "") .. (r.b.outcome or ""))
    end
  end)
  it("finds the density prong as a new region: TPP in [1600, 4800), PD >= 5.92, datacenter", function()
    local found
    for _, r in ipairs(d.regions) do
      local b = r.box
      if b.pd and b.pd.lo == 5.92 and b.pd.lo_incl and b.tpp and b.tpp.lo == 1600 and b.tpp.hi == 4800
        and not b.tpp.hi_incl then found = r end
    end
    assert.truthy(found)
    assert.equal("not-controlled", found.a.status)
    assert.equal("3A090.a", found.b.eccn)
    assert.is_true(found.witness.datacenter)
  end)
  it("between identical thresholds there are no regions (2023-10 vs 2024-04)", function()
    local d2 = rules.diff("us-2023-10", "us-2024-04", { as_of = "2024-06-01" })
    assert.same({}, d2.regions)
    assert.same({}, d2.flips)
  end)
  it("the H20 letters against 3A090 use the DRAM + I/O sum consistently", function()
    local d3 = rules.diff("us-2023-10", "us-2025-04-h20", { as_of = "2025-06-01", facts = { datacenter = true } })
    for _, r in ipairs(d3.regions) do
      local w = r.witness
      if w.dram_io_sum_gbs then assert.near(w.mem_bw_gbs + w.interconnect_gbs, w.dram_io_sum_gbs, 1e-9) end
      assert.is_true(r.confirmed)
    end
  end)
  it("over a user fleet", function()
    local d4 = rules.diff("us-2022-10", "us-2023-10", { chips = { "A800", "H100" }, as_of = "2024-06-01" })
    assert.equal(1, #d4.flips)
    assert.equal(1, d4.unchanged)
  end)
end)

describe("v:boxes (the chart's contract)", function()
  local function find(boxes, clause)
    for _, b in ipairs(boxes) do if b.clause == clause then return b end end
  end
  it("returns half-open boxes in TPP x PD for datacenter items", function()
    local boxes = rules.get("us-2023-10"):boxes("tpp", "pd", { datacenter = true })
    local a1, b1 = find(boxes, "3A090.a.1"), find(boxes, "3A090.b.1")
    assert.same({ lo = 4800, hi = math.huge, lo_incl = true, hi_incl = false }, a1.x)
    assert.same({ lo = -math.huge, hi = math.huge, lo_incl = false, hi_incl = false }, a1.y)
    assert.equal("3A090.a", a1.eccn)
    assert.equal("controlled", a1.outcome)
    assert.same({ lo = 2400, hi = 4800, lo_incl = true, hi_incl = false }, b1.x)
    assert.same({ lo = 1.6, hi = 5.92, lo_incl = true, hi_incl = false }, b1.y)
    assert.equal("nac-eligible", b1.outcome)
  end)
  it("applies Note 2 and NAC for non-datacenter items", function()
    local boxes = rules.get("us-2023-10"):boxes("tpp", "pd", { datacenter = false })
    for _, b in ipairs(boxes) do
      assert.is_true(b.x.lo >= 4800)
      assert.equal("nac-eligible", b.outcome)
    end
    assert.is_nil(find(boxes, "3A090.b.1"))
  end)
  it("projects the 2026 review policy on TPP x DRAM bandwidth", function()
    local boxes = rules.get("us-2026-01-h200"):boxes("tpp", "mem_bw_gbs", { datacenter = true, pd = 10 })
    local cbc = find(boxes, "742.6(b)(10)(iii)(A)(1) case-by-case")
    assert.equal("policy", cbc.role)
    assert.equal("case-by-case", cbc.outcome)
    assert.same({ lo = -math.huge, hi = 21000, lo_incl = false, hi_incl = false }, cbc.x)
    assert.same({ lo = -math.huge, hi = 6500, lo_incl = false, hi_incl = false }, cbc.y)
  end)
  it("refuses axes the version does not test", function()
    assert.has_error(function() rules.get("us-2022-10"):boxes("tpp", "pd", {}) end,
      "tpp.rules.boxes: us-2022-10 has no test on pd; its metrics are tpp, interconnect_gbs, memory_item")
    assert.has_error(function() rules.get("us-2023-10"):boxes("tpp", "pdd", {}) end)
  end)
end)

describe("batches", function()
  it("classifies the database in one C call, equal to chip-by-chip results", function()
    local chips = tpp.chips()
    local b = rules.batch(chips)
    local info = rules.evaluate_batch(b, { rules = "us-2023-10", as_of = "2024-06-01", clauses = true })
    local codes = { [0] = "not-controlled", [1] = "controlled", [2] = "undetermined" }
    for i, c in ipairs(chips) do
      local r = rules.classify(c, { rules = "us-2023-10", as_of = "2024-06-01" })
      assert.equal(r.status, codes[b:get("rule_status", i)], c.data.id)
      local g = b:get("rule_governing", i)
      assert.equal(r.governing, g and info.paragraphs[g + 1] or nil, c.data.id)
      -- the batch's near column is the C screening flag; classify refines it to
      -- lines whose crossing changes the answer (a subset)
      assert.equal(r.near_screen, b:get("rule_near", i) == 1, c.data.id)
      if r.near_line then assert.equal(1, b:get("rule_near", i), c.data.id) end
      local o = b:get("rule_outcome", i)
      assert.equal(r.status == "controlled" and r.outcome or nil, o and info.outcomes[o + 1] or nil, c.data.id)
    end
    b:free()
  end)
  it("refuses a version with a Lua check()", function()
    local path = require("support").tmpname(".lua")
    local f = assert(io.open(path, "wb"))
    f:write('version { id = "c" }\nparagraph { "p", check("x", function() return true end) }\n')
    f:close()
    local v = rules.load(path)
    os.remove(path)
    local b = rules.batch({ "H20" })
    assert.has_error(function() rules.evaluate_batch(b, { rules = v }) end)
  end)
end)

describe("near the line", function()
  it("flags a figure whose crossing of a nearby line changes the answer", function()
    local h20 = rules.classify("H20", { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.is_true(h20.near_line)
    assert.equal("3A090.b.1", h20.near[1].clause)
    assert.is_true(h20.near[1].decisive)
  end)
  it("does not flag the A100: 4% over the a.1 line, but a.2 would still catch it", function()
    local a100 = rules.classify("A100", { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.is_false(a100.near_line)
    assert.is_true(a100.near_screen)            -- the batch screening flag does
    local t = a100.tests[1]
    assert.is_true(t.near)                      -- within 5% of 4,800 ...
    assert.is_false(t.decisive)                 -- ... but crossing it changes nothing
  end)
  it("takes the margin as an option", function()
    assert.is_false(rules.classify("H20", { rules = "us-2023-10", as_of = "2024-06-01", near = 0.01 }).near_line)
    assert.is_true(rules.classify("H20", { rules = "us-2023-10", as_of = "2024-06-01", near = 0.02 }).near_line)
  end)
end)

describe("licences by destination", function()
  it("are tpp.screen's: classify refuses dest/hq and says where to go", function()
    assert.has_error(function() rules.classify("H100", { rules = "us-2023-10", as_of = "2024-06-01", dest = "CN" }) end,
      "tpp.rules.classify: dest/hq: the licence decision for a destination is made by tpp.screen: " ..
      "tpp.screen { chip = ..., to = COUNTRY, hq = COUNTRY, as_of = DATE }")
  end)
end)
