-- tpp.ledger and `tpp ledger`: AI Diffusion caps and the LPP allowance.
-- Figures: RULES.md §5.3 (LPP 26,900,000 TPP per consignee per year
-- [reported]; country cap about 790,000,000 TPP [derived]); chip TPP from
-- the database (H100 15,831.2; B200 36,000).
local ledger = require "tpp.ledger"
local cmd = require "tpp.commands.ledger"

local H100 = 15831.2

local function find(list, pred)
  for _, x in ipairs(list) do if pred(x) then return x end end
end

local function errors_of(rep)
  local out = {}
  for _, e in ipairs(rep.errors) do out[#out + 1] = e.message end
  return out
end

describe("tpp.ledger.check()", function()
  local rep = ledger.check("spec/fixtures/ledger_over.csv", { as_of = "2026-12-31" })

  it("validates and counts every row", function()
    assert.equal(7, rep.rows_total)
    assert.equal(0, rep.rows_rejected)
    assert.equal(5, rep.rows_counted)
  end)

  it("LPP: 1,000 + 700 H100 to one consignee in 2025 is 13,040 TPP over 26,900,000", function()
    local c = find(rep.consignees, function(x) return x.consignee == "Acme KL" and x.year == "2025" end)
    assert.near(1700 * H100, c.lpp_tpp, 1e-6)
    assert.near(26913040, c.lpp_tpp, 1e-6)
    assert.near(13040, c.over_tpp, 1e-6)
    assert.near(13040 / 15831.2, c.over_h100e, 1e-12)
    assert.equal("OVER", c.status)
    assert.equal(2, c.crossing_row)
  end)

  it("the LPP allowance is per calendar year", function()
    local c = find(rep.consignees, function(x) return x.consignee == "Acme KL" and x.year == "2026" end)
    assert.near(1000 * H100, c.lpp_tpp, 1e-6)
    assert.equal("ok", c.status)
    assert.near(26900000 - 15831200, c.remaining, 1e-6)
  end)

  it("LPP shipments do not count against the country cap", function()
    local my = find(rep.countries, function(x) return x.country == "MY" end)
    -- 20,000 B200 x 36,000 + 10,000 H200 x 15,831.2; none of the LPP rows
    assert.near(720000000 + 158312000, my.counted_tpp, 1e-6)
    assert.same({ 4, 5 }, my.rows)
  end)

  it("country cap: Malaysia is 88,312,000 TPP over 790,000,000, crossed at row 5", function()
    local my = find(rep.countries, function(x) return x.country == "MY" end)
    assert.equal(790000000, my.cap)
    assert.near(88312000, my.over_tpp, 1e-6)
    assert.near(88312000 / 15831.2, my.over_h100e, 1e-9)
    assert.equal(5, my.crossing_row)
    local f = find(rep.findings, function(x) return x.kind == "over-cap" end)
    assert.matches("Malaysia is over its country cap by 88,312,000 TPP", f.message, 1, true)
  end)

  it("Tier 1 has no cap; Tier 3 (Hong Kong as China) is flagged, not counted", function()
    local de = find(rep.rows, function(x) return x.country == "DE" end)
    assert.equal(1, de.tier)
    assert.equal("none", de.counts_against)
    local hk = find(rep.rows, function(x) return x.country == "HK" end)
    assert.equal(3, hk.tier)
    assert.equal("none", hk.counts_against)
    assert.truthy(find(rep.findings, function(x) return x.kind == "tier3" and x.row == 7 end))
    assert.is_true(rep.over)
  end)

  it("reported and derived figures are listed as assumptions, with the rule's status", function()
    local txt = table.concat(rep.assumptions, "\n")
    assert.matches("26,900,000 TPP per ultimate consignee per calendar year %[reported%]", txt)
    assert.matches("790,000,000 TPP .* %[derived%]", txt)
    assert.matches("not verified", txt)
    assert.matches("not enforced since 2025%-05%-13", rep.rule_status)
    assert.matches("not legal advice", rep.disclaimer)
  end)

  it("--as-of leaves later shipments out", function()
    local r = ledger.check("spec/fixtures/ledger_over.csv", { as_of = "2025-12-31" })
    local my = find(r.countries, function(x) return x.country == "MY" end)
    assert.near(720000000, my.counted_tpp, 1e-6)
    assert.equal("ok", my.status)
    assert.near(70000000, my.remaining, 1e-6)
    assert.is_true(find(r.notes, function(n) return n:find("after the as%-of date") ~= nil end) ~= nil)
  end)

  it("a government-to-government arrangement doubles the cap", function()
    local r = ledger.check("spec/fixtures/ledger_over.csv", { as_of = "2026-12-31", g2g = { "Malaysia" } })
    local my = find(r.countries, function(x) return x.country == "MY" end)
    assert.equal(2 * r.figures.country_cap_tpp.value, my.cap)
    assert.equal(1580000000, my.cap)
    assert.equal("ok", my.status)
  end)

  it("rows without authorization use LPP while it fits, then the country cap", function()
    local r = ledger.check({
      { chip = "H100", count = 1000, consignee = "X", country = "India", date = "2025-06-01" },
      { chip = "H100", count = 1000, consignee = "X", country = "India", date = "2025-07-01" },
      { chip = "H100", count = 699, consignee = "X", country = "India", date = "2025-08-01" },
    }, { as_of = "2026-01-01" })
    assert.equal("lpp", r.rows[1].counts_against)
    assert.equal("cap", r.rows[2].counts_against)
    assert.equal("lpp", r.rows[3].counts_against)
    local c = find(r.consignees, function(x) return x.consignee == "X" end)
    assert.near(1699 * H100, c.lpp_tpp, 1e-6)
    assert.equal("ok", c.status)
    assert.is_true(find(r.assumptions, function(a) return a:find("assigned automatically") ~= nil end) ~= nil)
  end)

  it("LPP to Macau is refused; 3A090.b and EAR99 rows do not count", function()
    local r = ledger.check({
      { chip = "H100", count = 10, consignee = "M", country = "Macao", date = "2025-06-01", authorization = "LPP" },
      { chip = "H20", count = 10, consignee = "V", country = "Vietnam", date = "2025-06-01", eccn = "EAR99" },
      { chip = "H100", count = 10, consignee = "V", country = "Vietnam", date = "2025-06-01", eccn = "3A090.b" },
      { chip = "H100", count = 10, consignee = "V", country = "Vietnam", date = "2024-06-01", eccn = "3A090.a" },
    }, { as_of = "2026-01-01" })
    assert.equal("LPP (not available)", r.rows[1].authorization)
    assert.equal("none", r.rows[2].counts_against)
    assert.matches("not 3A090", r.rows[2].status)
    assert.equal("none", r.rows[3].counts_against)
    assert.matches("before the AI Diffusion rule", r.rows[4].status)
    assert.equal(0, r.rows_counted)
  end)
end)

describe("bad ledger rows", function()
  local rep = ledger.check("spec/fixtures/ledger_bad.csv", { as_of = "2026-12-31" })
  local msgs = errors_of(rep)

  it("every bad row is reported with its row and line number; none is dropped", function()
    assert.equal(9, rep.rows_total)
    assert.equal(8, rep.rows_rejected)
    assert.equal(1, rep.rows_counted)
    assert.same({
      "row 2 (line 3): chip: no chip named 'H10O' in the database; did you mean 'h100' (nv_h100_sxm)?",
      "row 3 (line 4): count: got -3; a count cannot be negative (record returns as their own entries, " ..
        "not as negative shipments)",
      "row 4 (line 5): count: got 2.5; expected a whole number of chips",
      "row 5 (line 6): country: unknown country 'Malaysa'; did you mean 'Malaysia' (MY)?",
      "row 6 (line 7): date: '2025-02-30': day 30 does not exist in that month",
      "row 7 (line 8): consignee: missing",
      "row 7 (line 8): date: '03/06/2025' is not a date; expected YYYY-MM-DD",
      "row 8 (line 9): chip: 'nv_rtx6000d' (nv_rtx6000d) has no known TPP (no dense throughput figure is " ..
        "known for any precision); it cannot be counted against caps",
      "row 9 (line 11): row: 1 more field(s) than the header has columns (unquoted comma?)",
    }, msgs)
    assert.matches("lower bounds", table.concat(rep.notes, "\n"))
  end)

  it("a bad header is an error naming the column", function()
    assert.has_error(function() ledger.parse_csv("chip,count,consignee,contry,date\n", "x.csv") end,
      "tpp.ledger: x.csv: line 1: unknown column 'contry'; did you mean 'country'?")
    assert.has_error(function() ledger.parse_csv("chip,count,consignee,date\n", "x.csv") end,
      "tpp.ledger: x.csv: line 1: the header has no 'country' column; expected chip,count,consignee,country,date")
    assert.has_error(function() ledger.parse_csv("", "x.csv") end)
    assert.has_error(function() ledger.parse_csv('chip,count,consignee,country,date\n"H100,1', "x.csv") end,
      "tpp.ledger: x.csv: line 2: a quoted field is not closed")
  end)

  it("quoted CSV fields may hold commas and quotes; CRLF and a BOM are fine", function()
    local rows = ledger.parse_csv('\239\187\191chip,count,consignee,country,date\r\n' ..
      'H100,"1,000","Acme ""KL"", Sdn Bhd",MY,2025-03-01\r\n', "x.csv")
    assert.equal(1, #rows.records)
    assert.equal(1000, rows.records[1].count)
    assert.equal('Acme "KL", Sdn Bhd', rows.records[1].consignee)
    assert.equal(2, rows.lines[1])
    local r = ledger.check(rows, { as_of = "2026-01-01" })
    assert.equal(1000, r.rows[1].count)
  end)

  it("JSON ledgers: unknown keys and wrong types are row errors", function()
    local rows = ledger.parse_json('[{"chip":"H100","count":2,"consignee":"A","country":"MY","date":"2025-03-01"},' ..
      '{"chip":"H100","cuont":2,"consignee":"A","country":"MY","date":"2025-03-01"},' ..
      '{"chip":"H100","count":true,"consignee":"A","country":"MY","date":"2025-03-01"}, 5]', "x.json")
    local r = ledger.check(rows, { as_of = "2026-01-01" })
    local m = errors_of(r)
    assert.equal(3, r.rows_rejected)
    assert.equal("row 2 (line 1): count: missing", m[1])
    assert.equal("row 2 (line 1): cuont: unknown field; did you mean 'count'?", m[2])
    assert.equal("row 3 (line 1): count: got boolean; expected a decimal number, <= 1,000,000,000 chips", m[3])
    assert.matches("row 4: row: expected an object", m[4])
  end)

  it("invalid JSON reports line and column", function()
    assert.has_error(function() ledger.parse_json('[{"chip": }]', "x.json") end)
    local ok, err = pcall(ledger.parse_json, '[\n{"chip": }]', "x.json")
    assert.is_false(ok)
    assert.matches("x.json:2:10: unexpected '}'", tostring(err), 1, true)
    assert.equal(65, err.exit_code)
  end)
end)

describe("tpp ledger (command)", function()
  it("returns the report, a table and exit status 2 when over", function()
    local data, text, code = cmd.run { "spec/fixtures/ledger_over.csv", ["as-of"] = "2026-12-31" }
    assert.equal(2, code)
    assert.equal(7, data.rows_total)
    assert.matches("OVER Malaysia is over its country cap", text, 1, true)
    assert.matches("not legal advice", text)
  end)

  it("exit status 65 (bad input data) when rows are rejected", function()
    local _, text, code = cmd.run { "spec/fixtures/ledger_bad.csv", ["as-of"] = "2026-12-31" }
    assert.equal(65, code)
    assert.matches("Rejected rows", text)
  end)

  it("a missing file and a bad --as-of are clear errors", function()
    assert.has_error(function() cmd.run { "spec/fixtures/nope.csv" } end)
    local ok, err = pcall(cmd.run, { "spec/fixtures/nope.csv" })
    assert.is_false(ok)
    assert.matches("^tpp ledger: cannot read spec/fixtures/nope.csv: No such file", tostring(err))
    assert.equal(66, err.exit_code)
    assert.has_error(function() cmd.run { "spec/fixtures/ledger_over.csv", ["as-of"] = "2026-02-30" } end,
      "tpp ledger: --as-of: '2026-02-30': day 30 does not exist in that month")
  end)

  it("the JSON report encodes", function()
    local data = cmd.run { "spec/fixtures/ledger_over.csv", ["as-of"] = "2026-12-31" }
    local s = require("tpp.json").encode(data)
    assert.matches('"over_tpp":88312000', s, 1, true)
  end)
end)

describe("JSON ledger files", function()
  it("reads { shipments = [...] }, checks the same arithmetic and reports bad rows by index", function()
    local rep = ledger.check("spec/fixtures/ledger_small.json", { as_of = "2025-12-31" })
    assert.equal("json", rep.format)
    assert.equal(3, rep.rows_total)
    assert.equal(1, rep.rows_rejected)
    assert.matches("^row 3 %(line %d+%): chip: no chip named 'H10'", rep.errors[1].message)
    local c = rep.consignees[1]
    assert.near(13040, c.over_tpp, 1e-6)
  end)
end)
