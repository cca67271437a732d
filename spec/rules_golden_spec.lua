-- Golden vectors for the rule versions: every database chip under every
-- version, the peers' known mistakes (PEERS.md §0.2, §1.3), the cases RULES.md
-- §9 spells out, and the line of every threshold (just below, at, above).
local tpp = require "tpp"
local rules = tpp.rules
local golden = require "golden.rules_classification"
local core = require "tpp.backend"
local function core_eval(prog, row) return core.rule_eval_one(prog, row) end

local function cell(r)
  return table.concat({ r.status, r.classification or "-", r.outcome or "-", r.review_policy or "-" }, " | ")
end

describe("golden table: every database chip under every version", function()
  it("covers every chip and every built-in version", function()
    local n = 0
    for _ in pairs(golden.chips) do n = n + 1 end
    assert.equal(#tpp.chips(), n)
    assert.same(rules.BUILTIN, golden.versions)
  end)
  for _, id in ipairs(golden.versions) do
    it(id, function()
      local wrong = {}
      for _, c in ipairs(tpp.chips()) do
        local got = cell(rules.classify(c, { rules = id, as_of = golden.as_of }))
        local want = golden.chips[c.data.id][id]
        if got ~= want then wrong[#wrong + 1] = ("%s: got '%s', want '%s'"):format(c.data.id, got, want) end
      end
      assert.same({}, wrong)
    end)
  end
end)

describe("the peers' known mistakes", function()
  it("the H20 is not 3A090.b.2 on its published figures (PD 2.91 < 3.2) nor b.1 (TPP 2,368 < 2,400)", function()
    local r = rules.classify("H20", { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal("not-controlled", r.status)
    assert.is_nil(r.eccn)
    assert.same({}, r.paragraphs)
    local b1, b2
    for _, t in ipairs(r.tests) do
      if t.clause == "3A090.b.1" and t.threshold_name == "3A090.b.1.tpp.lo" then b1 = t end
      if t.clause == "3A090.b.2" and t.threshold_name == "3A090.b.2.pd.lo" then b2 = t end
    end
    assert.equal("not met", b1.result)
    assert.equal(-32, b1.margin)
    assert.near(2368 / 2400, b1.margin_ratio, 1e-15)
    assert.equal(148, b1.datasheet[1].value)     -- dense FP16 TFLOPS
    assert.equal(150, b1.datasheet[1].threshold)
    assert.equal(296, b1.datasheet[2].value)     -- dense 8-bit TOPS
    assert.equal("not met", b2.result)
    assert.near(2368 / 814 - 3.2, b2.margin, 1e-12)
    assert.is_true(r.near_line)
    assert.matches("TPP of 2,368 is 32 below the 2,400 line", r.explanation, 1, true)
    assert.matches("148 dense FP16 TFLOPS against 150", r.explanation, 1, true)
  end)

  it("the H100 is 15,831.2 TPP, not 31,648 (no doubling), and is 3A090.a.1", function()
    local r = rules.classify("H100", { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal(15831.2, r.values.tpp)
    assert.equal("3A090.a.1", r.governing)
    assert.equal("3A090.a", r.eccn)
    assert.equal("controlled", r.outcome)
    assert.same({ "3A090.a.1", "3A090.a.2" }, r.paragraphs)
  end)
end)

describe("cases from RULES.md §9 and PEERS.md §1.3", function()
  it("A800 escaped us-2022-10 (interconnect 400 < 600) and is 3A090.a under us-2023-10", function()
    local r22 = rules.classify("A800", { rules = "us-2022-10", as_of = "2023-01-01" })
    assert.equal("not-controlled", r22.status)
    local io
    for _, t in ipairs(r22.tests) do if t.metric == "interconnect_gbs" then io = t end end
    assert.equal(400, io.value)
    assert.equal(600, io.threshold)
    assert.equal(-200, io.margin)
    assert.equal("in force", r22.rules_status)
    local r23 = rules.classify("A800", { rules = "us-2023-10", as_of = "2024-01-01" })
    assert.equal("controlled", r23.status)
    assert.equal("3A090.a", r23.eccn)
    assert.equal("3A090.a.1", r23.governing)
    assert.equal("superseded", rules.classify("A800", { rules = "us-2022-10", as_of = "2024-01-01" }).rules_status)
  end)

  it("RTX 4090 (not datacenter, TPP >= 4800) is 3A090.a but NAC/ACA-eligible", function()
    local r = rules.classify("RTX 4090", { rules = "us-2024-04", as_of = "2024-06-01" })
    assert.equal("controlled", r.status)
    assert.equal("3A090.a", r.eccn)
    assert.equal("nac-eligible", r.outcome)
    assert.equal("NAC (15 CFR 740.8)", r.notes[#r.notes].id)
  end)

  it("RTX 4090D (TPP 4,707) is outside 3A090 under Note 2", function()
    local r = rules.classify("RTX 4090D", { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal("not-controlled", r.status)
    assert.equal("Note 2 to 3A090", r.excluded[1].id)
    assert.same({ "3A090.a.2" }, r.excluded[1].paragraphs)   -- PD 7.7 would be a.2 without the note
    assert.near(4707.2, r.values.tpp, 1e-9)
    assert.is_true(r.near_line)
  end)

  it("the same 4090D with the datacenter flag unknown is undetermined, naming the flag", function()
    local d = require("tpp.chips").get("nv_rtx4090d")
    local chip = {}
    for k, v in pairs(d) do chip[k] = v end
    chip.datacenter, chip.datacenter_basis, chip.id = nil, nil, "my_4090d"
    local r = rules.classify(chip, { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal("undetermined", r.status)
    assert.same({ "datacenter" }, r.missing)
  end)

  it("L4 is caught by the density prong (3A090.a.2: TPP 1,940, PD 6.59)", function()
    local r = rules.classify("L4", { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal("3A090.a.2", r.governing)
    assert.same({ "3A090.a.2" }, r.paragraphs)
    assert.near(1940 / 294.5, r.values.pd, 1e-12)
  end)

  it("MI325X is inside the us-2026-01-h200 case-by-case zone, 80.8 TPP under 21,000; B200 is not", function()
    local r = rules.classify("MI325X", { rules = "us-2026-01-h200", as_of = "2026-03-01" })
    assert.equal("case-by-case", r.review_policy)
    assert.equal("742.6(b)(10)(iii)(A)(1) case-by-case", r.policy)
    local t
    for _, x in ipairs(r.tests) do if x.threshold_name == "h200.tpp" and x.op == "<" then t = x end end
    assert.near(-80.8, t.margin, 1e-9)
    assert.is_true(r.near_line)
    local b = rules.classify("B200", { rules = "us-2026-01-h200", as_of = "2026-03-01" })
    assert.equal("presumption-of-denial", b.review_policy)
    assert.equal("controlled", b.status)
    assert.equal("3A090.a", b.eccn)
  end)

  it("H200 is case-by-case (4.8 TB/s < 6.5 TB/s; TPP 15,831 < 21,000)", function()
    assert.equal("case-by-case", rules.classify("H200", { rules = "us-2026-01-h200" }).review_policy)
  end)

  it("the H20 is caught by the April 2025 letter criteria (DRAM 4,000 GB/s >= 1,400)", function()
    local r = rules.classify("H20", { rules = "us-2025-04-h20" })
    assert.equal("controlled", r.status)
    assert.equal("H20 letter: DRAM bandwidth", r.governing)
    assert.equal("in force", r.rules_status)   -- company-specific letters, in force from 2025-04-09
    assert.is_nil(r.eccn)
  end)
end)

describe("unknown is not zero", function()
  it("a chip with missing fields classifies as undetermined, naming what is missing", function()
    local r = rules.classify({ id = "mystery", name = "Mystery accelerator", dense = { fp8 = 400 } },
      { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal("undetermined", r.status)
    assert.equal("undetermined", r.outcome)
    assert.same({ "pd", "datacenter" }, r.missing)
    assert.matches("die area", r.missing_why.pd)
    assert.matches("cannot be decided", r.explanation)
  end)
  it("no compute figures at all: undetermined under every 3A090 version, never not-controlled", function()
    for _, id in ipairs({ "us-2022-10", "us-2023-10", "us-2024-12", "us-2026-01-h200" }) do
      local r = rules.classify("nv_rtx6000d", { rules = id, as_of = "2026-03-01" })
      assert.equal("undetermined", r.status, id)
      assert.equal("tpp", r.missing[1], id)
    end
  end)
  it("a transistor count that cannot be confirmed keeps the foundry presumption", function()
    local r = rules.classify({ id = "x", dense = { fp16 = 100 }, hbm = true, datacenter = true },
      { rules = "us-2025-01-foundry", as_of = "2026-03-01" })
    assert.equal("controlled", r.status)
    assert.equal("presumed", r.outcome)
    local t = r.tests[1]
    assert.equal("unknown", r.tests[1].value == nil and "unknown" or "known")
    assert.equal("true", t.if_unknown)
  end)
end)

-- ---- every line: just below, at, just above ----

local EXPECT = {  -- below, at, above
  [">="] = { false, true, true }, [">"] = { false, false, true },
  ["<"] = { true, false, false }, ["<="] = { true, true, false },
}

describe("every threshold of every version, at its line", function()
  for _, id in ipairs(rules.BUILTIN) do
    it(id, function()
      local v = rules.get(id)
      local compiled = v:program("2026-06-01")
      local bad = {}
      for ti, f in ipairs(compiled.flat) do
        local t = f.test
        if t.op and not t.flag and not t.check then
          local c = f.threshold
          local eps = math.max(math.abs(c) * 1e-9, 1e-9)
          local column
          local m = require("tpp.rules.metrics").METRICS[t.metric]
          for i, name in ipairs(compiled.columns) do if name == (m.column or "mem_bw_gbs") then column = i end end
          for k, value in ipairs({ c - eps, c, c + eps }) do
            local row = {}
            if m.sum then
              for i, name in ipairs(compiled.columns) do
                if name == m.sum[1] then row[i] = value - 100 elseif name == m.sum[2] then row[i] = 100 end
              end
            else
              row[column] = value
            end
            local d = core_eval(compiled.prog, row)
            local want = EXPECT[t.op][k]
            local got = d.tests[ti].state == 1
            if got ~= want then
              bad[#bad + 1] = ("%s %s %s %s at %s: got %s"):format(f.owner.id, t.metric, t.op, tostring(c),
                ({ "below", "at", "above" })[k], tostring(got))
            end
          end
        end
      end
      assert.same({}, bad)
    end)
  end
end)

describe("lines at the chip level (classification just below, at and above)", function()
  local function chip(fp8, area, extra)
    local c = { id = "probe", datacenter = true, dense = { fp8 = fp8 }, die_area_mm2 = area }
    for k, v in pairs(extra or {}) do c[k] = v end
    return c
  end
  local function gov(c, id, as_of)
    local r = rules.classify(c, { rules = id or "us-2023-10", as_of = as_of or "2024-06-01" })
    return r.governing or r.status, r
  end

  it("3A090.a.1: TPP >= 4800 (600 dense 8-bit TOPS)", function()
    assert.equal("3A090.a.1", gov(chip(600, 4000)))           -- TPP 4,800, PD 1.2
    assert.equal("not-controlled", gov(chip(599.99, 4000)))   -- TPP 4,799.92
  end)
  it("3A090.a.2: PD >= 5.92 (TPP 2,960 on 500 mm2 is exactly 5.92)", function()
    assert.equal("3A090.a.2", gov(chip(370, 500)))
    assert.equal("3A090.b.1", gov(chip(369.99, 500)))         -- PD 5.9198: b.1's half-open top
  end)
  it("3A090.b.1: TPP >= 2400 but < 4800, PD >= 1.6 but < 5.92", function()
    assert.equal("3A090.b.1", gov(chip(300, 1500)))           -- TPP 2,400, PD 1.6: both lower bounds included
    assert.equal("not-controlled", gov(chip(300, 1500.01)))   -- PD just under 1.6
    assert.equal("not-controlled", gov(chip(299.99, 1400)))   -- TPP just under 2,400, PD 1.71 < 3.2
  end)
  it("3A090.b.2: PD >= 3.2 (TPP 1,600 on 500 mm2)", function()
    assert.equal("3A090.b.2", gov(chip(200, 500)))            -- TPP 1,600, PD 3.2
    assert.equal("not-controlled", gov(chip(199.99, 500)))
  end)
  it("Note 2: TPP < 4800 for non-datacenter items", function()
    assert.equal("not-controlled", gov(chip(599.99, 500, { datacenter = false })))
    local g, r = gov(chip(600, 500, { datacenter = false }))
    assert.equal("3A090.a.1", g)
    assert.equal("nac-eligible", r.outcome)
  end)
  it("us-2022-10: I/O >= 600 GB/s and TPP >= 4800", function()
    assert.equal("3A090.a", gov(chip(600, 800, { interconnect_gbs = 600 }), "us-2022-10", "2023-01-01"))
    assert.equal("not-controlled", gov(chip(600, 800, { interconnect_gbs = 599.9 }), "us-2022-10", "2023-01-01"))
  end)
  it("3A090.c: memory bandwidth density > 2 (not at 2); License Exception HBM below 3.3 (not at it)", function()
    local function stack(bw)
      return { id = "hbm", form = "HBM3E stack", datacenter = true, memory = { bandwidth_gbs = bw, package_area_mm2 = 1000 } }
    end
    local g, r = gov(stack(2000), "us-2024-12", "2025-06-01")
    assert.equal("not-controlled", g)
    assert.same({}, r.missing)
    g, r = gov(stack(2000.5), "us-2024-12", "2025-06-01")
    assert.equal("3A090.c", g)
    assert.equal("hbm-eligible", r.outcome)
    local _, r33 = gov(stack(3300), "us-2024-12", "2025-06-01")
    assert.equal("controlled", r33.outcome)        -- 3.3 is not below 3.3
    assert.equal("undetermined", rules.classify({ id = "x", form = "HBM3E stack", memory = { bandwidth_gbs = 2000 } },
      { rules = "us-2024-12", as_of = "2025-06-01" }).status)   -- package area unknown
  end)
  it("us-2026-01-h200: case-by-case below 21,000 TPP and 6,500 GB/s (strict), denial at the lines", function()
    local function h(fp8, bw) return chip(fp8, 1000, { memory = { bandwidth_gbs = bw } }) end
    local p = function(c) return rules.classify(c, { rules = "us-2026-01-h200", as_of = "2026-03-01" }).review_policy end
    assert.equal("case-by-case", p(h(2624.99, 6499.99)))
    assert.equal("presumption-of-denial", p(h(2625, 6000)))   -- TPP 21,000
    assert.equal("presumption-of-denial", p(h(2000, 6500)))   -- DRAM 6,500 GB/s
  end)
  it("us-2025-04-h20: DRAM >= 1,400 or I/O >= 1,100 or their sum >= 1,700", function()
    local function c(bw, io) return chip(100, 500, { memory = { bandwidth_gbs = bw }, interconnect_gbs = io }) end
    local s = function(x) return rules.classify(x, { rules = "us-2025-04-h20", as_of = "2025-06-01" }).status end
    assert.equal("controlled", s(c(1400, 0)))
    assert.equal("controlled", s(c(0, 1100)))
    assert.equal("controlled", s(c(1000, 700)))               -- sum 1,700
    assert.equal("not-controlled", s(c(1000, 699.9)))
  end)
  it("S. 4456: first marketed after 2026-01-01 (strictly)", function()
    local function c(date) return chip(600, 4000, { first_marketed = date }) end
    local k = function(x) return rules.classify(x, { rules = "us-prop-2026-04-s4456", as_of = "2026-06-01" }).classification end
    assert.equal("covered IC (S. 4456)", k(c("2026-01-01")))
    assert.equal("restricted IC (S. 4456)", k(c("2026-01-02")))
  end)
end)
