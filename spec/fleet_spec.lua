-- tpp.fleet: fleets in H100-equivalents with uncertainty (csrc/fleet.c through
-- the binding selected by TPP_BINDING, so the same cases run on the Lua C API
-- and on the LuaJIT FFI).
--
-- H100e basis: every basis divides by the H100 SXM entry of tpp's database,
-- so the TPP reference is 15,831.2 (8 x 1,978.9 dense 8-bit TOPS), not the
-- rounded 15,832 of some publications: 1,000,000 H20 are 1,000,000 x 2,368 /
-- 15,831.2 = 149,578.048... H100e by TPP (with 15,832 it would be 149,570.5).
local core = require "tpp.backend"
local fleet = require "tpp.fleet"
local bases = require "tpp.fleet.bases"
local dates = require "tpp.fleet.dates"
local rowmod = require "tpp.fleet.row"
local scenarios = require "tpp.fleet.scenarios"

local H100_TPP, H20_TPP = 15831.2, 2368
local QUICK = { draws = 20000, seed = 7 }

local function row(t)
  local r = { holder = "test", chip = "H20", period = "2024", kind = "shipment", provenance = "user",
              source = "spec" }
  for k, v in pairs(t) do r[k] = v end
  return r
end

local function err_of(fn)
  local ok, e = pcall(fn)
  assert.is_false(ok, "expected an error")
  return tostring(e)
end

describe("fleet bases", function()
  it("1,000,000 H20 on the TPP basis is 1,000,000 x 2,368 / 15,831.2 H100e in every draw", function()
    local e = fleet.new({ row { units = 1000000 } }):estimate(QUICK)
    local want = 1000000 * H20_TPP / H100_TPP
    assert.near(149578.04841073, want, 1e-6)
    for _, k in ipairs({ "p5", "p50", "p95", "mean", "central" }) do
      assert.near(want, e.totals.tpp[k], 1e-6, k)
    end
    assert.near(1000000 * 4000 / 3350, e.totals.membw.p50, 1e-6)
    assert.near(1000000 * 148 / 989.4, e.totals.fp16.p50, 1e-6)
    assert.near(1000000 * 296 / 1978.9, e.totals["8bit"].p50, 1e-6)
    assert.equal(1000000, e.totals.units.p50)
  end)

  it("1,000 H100s are exactly 1,000 H100e on every basis", function()
    local e = fleet.new({ row { chip = "nv_h100_sxm", units = 1000 } }):estimate(QUICK)
    for _, b in ipairs(bases.ORDER) do
      assert.equal(1000, e.totals[b].p5, b)
      assert.equal(1000, e.totals[b].p95, b)
    end
  end)

  it("the H100 reference is the database entry's own figure on each basis", function()
    assert.equal(H100_TPP, bases.reference("tpp"))
    assert.equal(1978.9, bases.reference("8bit"))
    assert.equal(989.4, bases.reference("fp16"))
    assert.equal(3350, bases.reference("membw"))
  end)

  it("serving: the H100 is exactly 1; another chip's range combines its own and the H100's", function()
    local w = bases.workload()
    local h = bases.factor("nv_h100_sxm", "serving", w)
    assert.same({ 1, 1, 1 }, { h.low, h.central, h.high })
    local s = bases.serving_tokens_per_s("hw_910c", w)
    local ref = bases.serving_tokens_per_s("nv_h100_sxm", w)
    local c = bases.factor("hw_910c", "serving", w)
    assert.near(s.central / ref.central, c.central, 1e-12)
    assert.near(s.central / ref.central, s.central / bases.reference("serving", w), 1e-12)
    local down = math.sqrt(math.log(s.central / s.low) ^ 2 + math.log(ref.high / ref.central) ^ 2)
    local up = math.sqrt(math.log(s.high / s.central) ^ 2 + math.log(ref.central / ref.low) ^ 2)
    assert.near(c.central * math.exp(-down), c.low, 1e-12)
    assert.near(c.central * math.exp(up), c.high, 1e-12)
    assert.near(0.6827, c.coverage, 1e-9) -- tpp.serve's range is one sigma
  end)

  it("a mix's H100e per unit is the share-weighted mean of its chips", function()
    local e = fleet.new({ row { chip = "A800*0.5+H800*0.5", units = 1000 } }):estimate(QUICK)
    assert.near(1000 * (0.5 * 4992 + 0.5 * 15831.2) / H100_TPP, e.totals.tpp.p50, 1e-9)
  end)

  it("an aggregate in H100e counts on its basis only and is named unknown on the others", function()
    local e = fleet.new({ row { chip = "h100e:fp16", units = 5000 } }):estimate(QUICK)
    assert.equal(5000, e.totals.fp16.p50)
    assert.equal(1, e.totals.tpp.unknown_rows)
    assert.is_true(e.totals.tpp.partial)
    assert.equal(0, e.totals.tpp.central)
    assert.equal(1, #e.unknown)
  end)

  it("a chip without a figure is unknown on that basis, named, never zero", function()
    local e = fleet.new({ row { chip = "amd_mi308x", units = 125000, id = "mi" }, row { units = 100 } }):estimate(QUICK)
    assert.equal(1, e.totals.tpp.unknown_rows)
    assert.equal(125000, e.totals.tpp.unknown_units)
    assert.near(100 * H20_TPP / H100_TPP, e.totals.tpp.p50, 1e-9)
    assert.near(125100, e.totals.units.p50, 1e-9) -- the chips are still counted
    assert.near(100 * 4000 / 3350 + 125000 * 5300 / 3350, e.totals.membw.p50, 1e-6)
    assert.equal("mi", e.unknown[1].row)
    assert.matches("no dense throughput", e.unknown[1].reasons.tpp)
  end)
end)

describe("fleet uncertainty (Monte Carlo in the C core)", function()
  it("the fitted distribution's quantiles are the triple", function()
    assert.near(200000, core.dist_quantile(1, 200000, 300000, 805000, 0.90, 0.05), 1e-6)
    assert.near(300000, core.dist_quantile(1, 200000, 300000, 805000, 0.90, 0.5), 1e-6)
    assert.near(805000, core.dist_quantile(1, 200000, 300000, 805000, 0.90, 0.95), 1e-6)
    assert.near(1600, core.dist_quantile(1, 1600, 18000, 200000, 0.95, 0.025), 1e-6)
    assert.equal(307000, core.dist_quantile(2, 307000, 383000, 460000, 0.9, 0))
    assert.equal(460000, core.dist_quantile(2, 307000, 383000, 460000, 0.9, 1))
    assert.near(1.959963984540054, core.normal_quantile(0.975), 1e-14)
  end)

  it("one row's drawn p5/p50/p95 land on its triple", function()
    local e = fleet.new({ row { units_low = 200000, units_central = 300000, units_high = 805000 } })
      :estimate({ draws = 100000, seed = 3 })
    assert.near(200000, e.totals.units.p5, 200000 * 0.01)
    assert.near(300000, e.totals.units.p50, 300000 * 0.01)
    assert.near(805000, e.totals.units.p95, 805000 * 0.015)
  end)

  it("a degenerate triple is a point mass", function()
    local e = fleet.new({ row { units_low = 5000, units_central = 5000, units_high = 5000 } }):estimate(QUICK)
    assert.equal(5000, e.totals.units.p5)
    assert.equal(5000, e.totals.units.p95)
  end)

  it("the p50 of a sum of symmetric triples is the sum of centrals (seed 11, within 0.2%)", function()
    local rows = {}
    for i = 1, 100 do rows[i] = row { units_low = 900, units_central = 1000, units_high = 1100, interval = "bounds" } end
    local e = fleet.new(rows):estimate({ draws = 50000, seed = 11 })
    assert.near(100000, e.totals.units.p50, 100000 * 0.002)
    -- and far narrower than summing the bounds (90,000 - 110,000)
    assert.is_true(e.totals.units.p95 - e.totals.units.p5 < 0.2 * 20000)
  end)

  it("the same seed gives the same totals; another seed other totals", function()
    local f = fleet.new("huawei-2025")
    local a, b = f:estimate({ draws = 10000, seed = 5 }), f:estimate({ draws = 10000, seed = 5 })
    local c = f:estimate({ draws = 10000, seed = 6 })
    assert.equal(a.totals.tpp.p50, b.totals.tpp.p50)
    assert.are_not.equal(a.totals.tpp.p50, c.totals.tpp.p50)
  end)

  it("groups add up to the total in every draw (means are additive)", function()
    local e = fleet.new("china-compute"):estimate({ draws = 20000, seed = 2, by = "family" })
    local sum = 0
    for _, g in ipairs(e.groups) do sum = sum + g.totals.fp16.mean end
    assert.near(e.totals.fp16.mean, sum, e.totals.fp16.mean * 1e-9)
  end)

  it("A / B is taken draw by draw: 1,000,000 H20 / 1,000 H100 = 149.578 by TPP", function()
    local c = fleet.compare("h20-million", { row { chip = "H100", units = 1000 } }, QUICK)
    assert.near(1000 * H20_TPP / H100_TPP, c.ratio.tpp.p50, 1e-9)
    assert.near(1000 * 4000 / 3350, c.ratio.membw.p5, 1e-9)
  end)

  it("the worked comparison: one million H20 against Huawei's 2025 output", function()
    local c = fleet.compare("h20-million", "huawei-2025", { draws = 100000, seed = 1 })
    -- Huawei 2025: 200k / 300k / 805k Ascend, half 910B (TPP 6,016), half 910C (12,032)
    local per = (0.5 * 6016 + 0.5 * 12032) / H100_TPP
    assert.near(300000 * per, c.b.totals.tpp.p50, 300000 * per * 0.01)
    assert.near(149578.048 / (300000 * per), c.ratio.tpp.p50, 0.02)
    -- the basis decides: under 1x by TPP at the median, several times by memory bandwidth
    assert.is_true(c.ratio.tpp.p50 < 1 and c.ratio.membw.p50 > 5)
    assert.is_true(c.ratio.membw.p5 > 2 and c.ratio.tpp.p95 > 1)
  end)
end)

describe("fleet rows: bad input is refused with the field, the value and what was expected", function()
  it("negative and non-integer counts", function()
    assert.matches("units: got %-5, expected a whole number", err_of(function() fleet.new({ row { units = -5 } }) end))
    assert.matches("units_low: got 1.5, expected a whole number of units",
      err_of(function() fleet.new({ row { units_low = 1.5, units_central = 2, units_high = 3 } }) end))
  end)

  it("a triple out of order, or partial", function()
    assert.matches("out of order", err_of(function()
      fleet.new({ row { units_low = 10, units_central = 5, units_high = 20 } }) end))
    assert.matches("units_high: missing", err_of(function()
      fleet.new({ row { units_low = 10, units_central = 15 } }) end))
    assert.matches("either units", err_of(function()
      fleet.new({ row { units = 4, units_low = 1, units_central = 2, units_high = 3 } }) end))
  end)

  it("a zero low read as a percentile", function()
    assert.matches("interval = bounds", err_of(function()
      fleet.new({ row { units_low = 0, units_central = 5, units_high = 9 } }) end))
    assert.equal(1, fleet.new({ row { units_low = 0, units_central = 5, units_high = 9, interval = "bounds" } }):size())
  end)

  it("unknown chips with a suggestion; mixes that do not add up", function()
    assert.matches("did you mean 'h20'", err_of(function() fleet.new({ row { chip = "H2O", units = 1 } }) end))
    assert.matches("must sum to 1", err_of(function() fleet.new({ row { chip = "H20*0.5+H100*0.4", units = 1 } }) end))
    assert.matches("is not a basis", err_of(function() fleet.new({ row { chip = "h100e:fp61", units = 1 } }) end))
  end)

  it("unknown columns, kinds and provenance with a suggestion", function()
    assert.matches("unknown column; did you mean 'units_central'",
      err_of(function() fleet.new({ row { units = 1, unit_central = 3 } }) end))
    assert.matches("did you mean 'shipment'", err_of(function() fleet.new({ row { units = 1, kind = "shipments" } }) end))
    assert.matches("provenance: missing", err_of(function() fleet.new({ row { units = 1, provenance = "" } }) end))
  end)

  it("dates and periods out of range or impossible", function()
    assert.matches("year 2150 is out of range", err_of(function() fleet.new({ row { units = 1, period = "2150" } }) end))
    assert.matches("day 30 does not exist", err_of(function() fleet.new({ row { units = 1, period = "2024-02-30" } }) end))
    assert.matches("quarter 5", err_of(function() fleet.new({ row { units = 1, period = "2024-Q5" } }) end))
    assert.matches("ends before it starts", err_of(function() fleet.new({ row { units = 1, period = "2025..2024" } }) end))
    assert.is_nil(dates.parse_date("2023-02-29"))
    assert.is_not_nil(dates.parse_date("2024-02-29"))
  end)

  it("--add strings", function()
    local f = fleet.new():add("H20=1000000"):add("910C=200000:300000:800000")
    local rows = f:rows()
    assert.equal(1000000, rows[1].units.central)
    assert.equal(800000, rows[2].units.high)
    assert.matches("LOW:CENTRAL:HIGH", err_of(function() fleet.new():add("H20=1:2") end))
    assert.matches("not a number", err_of(function() fleet.new():add("H20=lots") end))
  end)

  it("--set changes a row and checks it again; --drop removes it and says so", function()
    local f = fleet.new("huawei-2025")
    f:set("hw-2025", "units_central", "400000")
    assert.equal(400000, f:row("hw-2025").units.central)
    assert.matches("out of order", err_of(function() f:set("hw-2025", "units_central", "900000") end))
    assert.matches("did you mean 'hw%-2025'", err_of(function() f:set("hw-2052", "units", 1) end))
    f:drop("hw-2025")
    assert.equal(0, f:size())
    assert.matches("dropped", f.assumptions[#f.assumptions])
  end)
end)

describe("fleet stocks as of a date", function()
  it("a shipment spread over a period counts the part that has arrived", function()
    local f = fleet.new({ row { units = 1000, period = "2024-01..2024-04" } }) -- 121 days (leap year)
    local s = f:at("2024-02-29") -- 60 days in
    assert.near(1000 * 60 / 121, s:rows()[1].units.central, 1e-9)
    assert.equal(1000, f:at("2024-04-30"):rows()[1].units.central)
    assert.equal(0, f:at("2023-12-31"):size())
    assert.matches("not yet", f:at("2023-12-31").excluded[1].reason)
  end)

  it("orders are not stock and are named; stock rows count from their date", function()
    local f = fleet.new({ row { id = "o", units = 5, kind = "order" }, row { id = "s", units = 7, kind = "stock",
      period = "2025-01-15" } })
    local s = f:at("2025-06-30")
    assert.equal(1, s:size())
    assert.equal("o", s.excluded[1].row)
    assert.matches("order", s.excluded[1].reason)
    assert.equal(0, f:at("2025-01-14"):size())
    assert.equal(1, f:at("2025-01-15"):size())
    assert.equal(2, f:at("2025-06-30", { include_orders = true }):size())
  end)

  it("chips retire after the stated age", function()
    local f = fleet.new({ row { units = 365, period = "2020" } })
    assert.equal(365, f:at("2023-12-31"):rows()[1].units.central)
    -- 4.5 years before the end of 2024-12-31 is 2020-07-02 12:00: the units of 2020 after it remain
    local r = f:at("2024-12-31", { retire = 4.5 }):rows()[1]
    assert.near(365 * (dates.day_number(2021, 1, 1) - (dates.day_number(2025, 1, 1) - 4.5 * 365.25)) / 366,
      r.units.central, 1e-9)
    assert.equal(0, f:at("2024-12-31", { retire = 4 }):size()) -- 4 x 365.25 days reach back to 2021-01-01
    assert.matches("retired", f:at("2024-12-31", { retire = 4 }).excluded[1].reason)
    assert.equal(0, f:at("2026-01-01", { retire = 4 }):size())
    local per_chip = f:at("2024-12-31", { retire = { nv_h20 = 1, default = 10 } })
    assert.equal(0, per_chip:size())
  end)
end)

describe("what each rule version would have allowed", function()
  local f = fleet.new("china-nvidia-legal")

  it("the Oct-2022 rule allowed the A800 and the H20; Oct-2023 removes the A800; the H20 letters the H20", function()
    local g22 = f:allowed_under("us-2022-10")
    assert.equal(0, #g22.removed)
    local g23 = f:allowed_under("us-2023-10")
    assert.equal("nv_a800_sxm", g23.removed[1].chip)
    for _, r in ipairs(g23:rows()) do assert.are_not.equal("nv_a800_sxm", r.chip_key) end
    local g25 = f:allowed_under("us-2025-04-h20")
    local removed = {}
    for _, x in ipairs(g25.removed) do removed[x.chip] = true end
    assert.is_true(removed.nv_h20)
  end)

  it("a mix keeps its allowed part, scaled by its share", function()
    local g = fleet.new({ row { chip = "A800*0.5+H20*0.5", units = 1000 } }):allowed_under("us-2023-10")
    local r = g:rows()[1]
    assert.equal(500, r.units.central)
    assert.equal("nv_h20", r.components[1].id)
  end)

  it("a chip the rule leaves undetermined is listed, not counted as allowed", function()
    local g = fleet.new({ row { id = "mi", chip = "MI308X", units = 100 }, row { units = 10 } }):allowed_under("us-2023-10")
    assert.equal(1, g:size())
    assert.equal("amd_mi308x", g.undetermined[1].chip)
    assert.equal(0, #g.removed)
  end)

  it("aggregates cannot be judged and are listed as undetermined", function()
    local g = fleet.new("china-stock-2026-04-epoch"):allowed_under("us-2023-10")
    assert.equal(0, g:size())
    assert.equal(1, #g.undetermined)
  end)

  it("the sweep gives one estimate per version", function()
    local s = fleet.rules_sweep(f, { draws = 5000, seed = 1, bases = { "tpp" } })
    assert.equal(#fleet.SWEEP_RULES, #s.versions)
    assert.is_true(s.versions[1].totals.tpp.p50 > s.versions[2].totals.tpp.p50)
  end)
end)

describe("the rolling technical threshold on fleets", function()
  local rtt = require "tpp.fleet.rtt"

  it("the line from production data: the best Chinese chip made at scale, times the rule's margin", function()
    local l = rtt.line({ as_of = "2025-12-31", draws = 20000, seed = 1 })
    assert.equal("hw_910c", l.reference_chip)
    assert.near(12032 * 1.10, l.line_tpp, 1e-9)
    assert.is_true(l.database_line.tpp > l.line_tpp) -- the database alone takes a chip made at no known scale
  end)

  it("only Chinese chips set the line; other production rows are skipped and named", function()
    local prod = fleet.new({ "huawei-2025", { row { id = "us-fab", chip = "H100", units = 5000000, kind = "production",
      period = "2025" } } })
    local l = rtt.line({ as_of = "2025-12-31", production = prod, draws = 2000 })
    assert.equal("hw_910c", l.reference_chip)
    assert.equal("us-fab", l.skipped[1].row)
  end)

  it("a chip qualifies when its median production reaches the volume exactly (>=)", function()
    local l = rtt.line({ as_of = "2025-12-31", production = "cambricon-2025", volume = 142000, draws = 2000 })
    assert.equal("camb_mlu590", l.reference_chip)
    assert.near(4096 * 1.10, l.line_tpp, 1e-9)
    local above = rtt.line({ as_of = "2025-12-31", production = "cambricon-2025", volume = 142001, draws = 2000 })
    assert.is_nil(above.line_tpp)
  end)

  it("a higher volume threshold can leave no chip at scale: the line is undetermined, not invented", function()
    local l = rtt.line({ as_of = "2025-12-31", volume = 5000000, draws = 5000, seed = 1 })
    assert.is_nil(l.line_tpp)
    assert.matches("undetermined", l.derivation)
  end)

  it("the cap: China / US on a declared basis, with the share of draws over it", function()
    local c = rtt.cap({ draws = 20000, seed = 1 })
    assert.equal(0.10, c.cap_share)
    assert.equal("under", c.verdict)
    assert.near(1050000 / 14200000, c.ratio.p50, 0.01)
    local over = rtt.cap({ china = { row { chip = "h100e:fp16", units = 2000000 } }, draws = 20000, seed = 1 })
    assert.equal("over", over.verdict)
    assert.is_true(over.p_over > 0.99)
  end)
end)

describe("shipped scenarios", function()
  it("every scenario loads, every row has a source and a provenance", function()
    for _, id in ipairs(scenarios.ids()) do
      local f = fleet.new(id)
      assert.is_true(f:size() > 0, id)
      for _, r in ipairs(f:rows()) do
        assert.is_true(#r.source > 10, id .. "/" .. r.id)
        assert.is_not_nil(r.provenance)
      end
    end
  end)

  it("cite publications, never the team's notes", function()
    local dir = "lua/tpp/fleet/scenarios/"
    for _, name in ipairs(scenarios.FILES) do
      local fh = assert(io.open(dir .. name .. ".lua", "rb"))
      local text = fh:read("*a")
      fh:close()
      for _, bad in ipairs({ "FLEETS%.md", "fleets%.csv", "stocks_h100e", "RULES%.md", "INFERENCE%.md" }) do
        assert.is_nil(text:find(bad), name .. " cites " .. bad)
      end
    end
  end)

  it("an unknown scenario gets a suggestion", function()
    assert.matches("did you mean 'huawei%-2025'", err_of(function() fleet.new("huawei-2O25") end))
  end)

  it("a scenario reached twice through includes counts once, and says so", function()
    local f = fleet.new({ "china-compute", "h20-2024" })
    local n = 0
    for _, r in ipairs(f:rows()) do if r.id == "h20-2024" then n = n + 1 end end
    assert.equal(1, n)
  end)
end)

describe("the fleet binding (" .. core.binding .. ")", function()
  local rows = { low = { 1 }, central = { 2 }, high = { 3 }, chip = { 1 } }
  local factors = { n_bases = 1, n_chips = 1, low = { 1 }, central = { 1 }, high = { 1 } }

  it("refuses malformed columns with the same messages in both bindings", function()
    assert.matches("rows.central%[1%]: number expected, got string", err_of(function()
      core.fleet_simulate({ low = { 1 }, central = { "x" }, high = { 3 }, chip = { 1 } }, factors, {}) end))
    assert.matches("rows.chip%[1%]: a whole number 1..1 expected, got 2", err_of(function()
      core.fleet_simulate({ low = { 1 }, central = { 2 }, high = { 3 }, chip = { 2 } }, factors, {}) end))
    assert.matches("row 1: units: the triple is out of order", err_of(function()
      core.fleet_simulate({ low = { 3 }, central = { 2 }, high = { 1 }, chip = { 1 } }, factors, {}) end))
    assert.matches("opts.draws", err_of(function() core.fleet_simulate(rows, factors, { draws = 0 }) end))
  end)

  it("draws objects: size, get, free (twice is fine), then an error", function()
    local d = core.fleet_simulate(rows, factors, { draws = 100, seed = 1, groups = 1 })
    local n, b, g = d:size()
    assert.same({ 100, 1, 1 }, { n, b, g })
    local v = d:get(1, 2, 50)
    assert.is_true(v >= 1 and v <= 3)
    d:free()
    d:free()
    assert.matches("freed", err_of(function() d:size() end))
  end)

  it("a ratio with a zero denominator is refused, naming the draw", function()
    local z = core.fleet_simulate({ low = { 0 }, central = { 0 }, high = { 0 }, chip = { 1 } }, factors,
      { draws = 10, groups = 1 })
    local a = core.fleet_simulate(rows, factors, { draws = 10, groups = 1 })
    assert.matches("draw 1: the denominator is 0", err_of(function() core.fleet_ratio(a, 1, 2, z, 1, 2, { 0.5 }) end))
  end)
end)

describe("fleet rows as plain fields", function()
  it("round-trip through the schema's fields", function()
    local r = rowmod.normalize(row { units_low = 1, units_central = 2, units_high = 3, interval = "p95", id = "x" })
    local again = rowmod.normalize(rowmod.fields(r))
    assert.same(r.units, again.units)
    assert.equal("p95", again.interval)
  end)
end)
