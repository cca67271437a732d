-- The rule commands end to end: tpp classify / explain / diff / whatif / rules.
local json = require "tpp.json"


local tpp_cmd = require("support").tpp_cmd

local function write(name, text)
  local path = require("support").tmpname(name)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

describe("tpp classify", function()
  it("prints the JSON fields of the contract per chip and rule version", function()
    local out, rc = tpp_cmd("classify H20 'RTX 4090D' --rules us-2023-10 --as-of 2024-06-01 --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    assert.equal(2, #d.results)
    local r = d.results[1]
    for _, k in ipairs({ "chip", "rules", "status", "paragraphs", "tests", "near_line", "explanation",
                         "rules_hash", "rules_status", "as_of", "checklist", "missing" }) do
      assert.is_not_nil(r[k], k)
    end
    assert.equal("nv_h20", r.chip)
    assert.equal("not-controlled", r.status)
    assert.equal(json.null, r.eccn == nil and json.null or r.eccn)
    local t = r.tests[4]
    assert.equal("tpp", t.metric)
    assert.equal(">=", t.op)
    assert.equal(2400, t.threshold)
    assert.equal(2368, t.value)
    assert.equal(-32, t.margin)
    assert.equal("nv_rtx4090d", d.results[2].chip)
    assert.equal("Note 2 to 3A090", d.results[2].excluded[1].id)
  end)

  it("reads chips from JSON and CSV files; a bad row names the file and row", function()
    local jpath = write(".json", json.encode({
      { id = "mine", name = "My accelerator", datacenter = true, dense = { fp8 = 700 }, die_area_mm2 = 400 },
      { id = "tiny", dense = { fp16 = 50 }, die_area_mm2 = 100, datacenter = true },
    }))
    local out, rc = tpp_cmd("classify --input " .. jpath .. " --rules us-2023-10 --json")
    assert.equal(1, rc, out) -- exit status 1: a chip is controlled
    local d = json.decode(out)
    assert.equal("3A090.a", d.results[1].eccn)       -- 5,600 TPP
    assert.equal("not-controlled", d.results[2].status)  -- 800 TPP
    local bad = write(".json", '[{"id": "x", "dense": {"fp9": 1}}]')
    out, rc = tpp_cmd("classify --input " .. bad)
    assert.equal(65, rc)
    assert.matches("row 1 (line 1): chip 'x', dense.fp9", out, 1, true)
    assert.matches("dense.fp9: not a precision tpp knows", out, 1, true)
    -- two rows of the reference table (chips.csv layout): H20 and L4
    out, rc = tpp_cmd("classify --input spec/fixtures/rules_chips.csv --rules us-2023-10 --as-of 2024-06-01 --json")
    assert.equal(1, rc, out) -- the L4 is controlled
    d = json.decode(out)
    assert.equal("nv_h20", d.results[1].chip)
    assert.equal("not-controlled", d.results[1].status)
    assert.equal("3A090.a.2", d.results[2].governing)
    os.remove(jpath)
    os.remove(bad)
  end)

  it("runs a user rule file given with --rules, and refuses a bad one with file:line", function()
    local good = write("_rule.lua", 'version { id = "mine" }\nparagraph { "big", eccn = "BIG", test("tpp", ">=", 10000) }\n')
    local out, rc = tpp_cmd("classify H100 H20 --rules " .. good .. " --json")
    assert.equal(1, rc, out)
    local d = json.decode(out)
    assert.equal("BIG", d.results[1].eccn)
    assert.equal("user", d.results[1].rules_status)
    local bad = write("_rule.lua", 'version { id = "mine" }\nparagraph { "big",\n  test("tpx", ">=", 1) }\n')
    out, rc = tpp_cmd("classify H100 --rules " .. bad)
    assert.equal(65, rc)
    assert.truthy(out:find(bad .. ":3: unknown metric 'tpx'; did you mean 'tpp'?", 1, true), out)
    os.remove(good)
    os.remove(bad)
  end)

  it("adds the screening decision with --dest, for several destinations", function()
    local out, rc = tpp_cmd("classify H100 --rules us-2023-10 --as-of 2024-06-01 --dest CN --dest Japan --json")
    assert.equal(1, rc) -- a licence is required for one destination
    local s = json.decode(out).screening[1]
    assert.equal("nv_h100_sxm", s.chip)
    assert.equal("licence-required", s.results[1].decision)
    assert.equal("no-licence-required", s.results[2].decision)
    assert.equal("us-2023-10", s.results[1].rules.id)
  end)

  it("prints a table and the explanation in text mode", function()
    local out, rc = tpp_cmd("classify MI325X B200 --rules us-2026-01-h200 --as-of 2026-03-01", { COLUMNS = 160 })
    assert.equal(1, rc)
    assert.matches("Rules us%-2026%-01%-h200 %(in force on 2026%-03%-01%)", out)
    assert.matches("amd_mi325x%s+controlled%s+3A090.a", out)
    assert.matches("case%-by%-case", out)
    assert.matches("presumption%-of%-denial", out)
    assert.matches("sha256", out)
  end)

  it("names a bad date or chip clearly", function()
    local out, rc = tpp_cmd("classify H100 --as-of 2024-02-30")
    assert.equal(64, rc)
    assert.matches("%-%-as%-of: '2024%-02%-30': day 30 does not exist in that month", out)
    out, rc = tpp_cmd("classify H1OO")
    assert.equal(64, rc)
    assert.matches("did you mean", out)
  end)
end)

describe("tpp explain", function()
  it("explains the H20 in plain language with datasheet units", function()
    local out, rc = tpp_cmd("explain H20 --rules us-2023-10 --as-of 2024-06-01")
    assert.equal(0, rc)
    out = out:gsub("%s+", " ")   -- the text is wrapped
    assert.matches("TPP of 2,368 is 32 below the 2,400 line", out, 1, true)
    assert.matches("148 dense FP16 TFLOPS against 150", out, 1, true)
    assert.matches("Not computable from specifications", out, 1, true)
    assert.matches("Named assumptions", out, 1, true)
  end)
end)

describe("tpp diff / whatif / rules", function()
  it("diff lists flips and regions with witnesses", function()
    local out, rc = tpp_cmd("diff us-2022-10 us-2023-10 --as-of 2024-06-01 --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    assert.is_true(#d.flips >= 5)
    assert.is_true(#d.regions >= 5)
    for _, r in ipairs(d.regions) do assert.is_true(r.confirmed) end
    out = tpp_cmd("diff us-2022-10 us-2023-10 --as-of 2024-06-01")
    assert.matches("nv_a800_sxm%s+not%-controlled%s+3A090.a", out)
    assert.matches("witness chip", out)
  end)

  it("whatif moves a threshold and names an unknown one with a suggestion", function()
    local out, rc = tpp_cmd("whatif us-2023-10 --set 3A090.a.1.tpp=4000 --as-of 2024-06-01 --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    assert.equal(4000, d.overrides["3A090.a.1.tpp"])
    assert.is_true(#d.regions >= 1)
    out, rc = tpp_cmd("whatif us-2023-10 --set 3A090.a.1.tp=4000")
    assert.equal(64, rc)
    assert.matches("did you mean '3A090.a.1.tpp'", out, 1, true)
  end)

  it("rules lists versions with status on a date, and shows one version", function()
    local out, rc = tpp_cmd("rules --as-of 2025-06-01 --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    local by = {}
    for _, v in ipairs(d.versions) do by[v.id] = v end
    assert.equal("not enforced", by["us-2025-01-diffusion"].status_on)
    assert.is_true(by["us-2024-12"].selected)
    assert.equal(64, #by["us-2023-10"].hash)
    out, rc = tpp_cmd("rules us-2025-01-diffusion")
    assert.equal(0, rc)
    assert.matches("lpp.tpp_per_consignee_year = 26900000", out, 1, true)
    assert.matches("3A090.a.1.tpp", out, 1, true)
  end)
end)

describe("tpp bench rules", function()
  it("runs small, reports both rates and their ratio, and both paths agree", function()
    local out, rc = tpp_cmd("bench rules --n 20000 --sample 5000 --repeat 1 --json")
    assert.equal(0, rc, out)
    local d = json.decode(out)
    assert.is_true(d.agree)
    assert.equal(0, d.mismatches)
    assert.is_number(d.ratio)
    assert.is_number(d.compiled.evaluations_per_second)
    assert.is_number(d.lua_function.evaluations_per_second)
    assert.equal("us-2023-10", d.rules)
  end)
end)
