-- The input findings of issue 9, each as the user met it: a chip file with a
-- mistake, a misspelled option, an impossible date. Each gave a silent wrong
-- answer (or an internal error) before the strict reader.
local support = require "support"
local tpp = require "tpp"

local function write(suffix, text)
  local path = support.tmpname(suffix)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

local function classify_file(text, suffix, extra)
  local p = write(suffix or ".csv", text)
  local out, rc = support.tpp_cmd("classify --input " .. p .. " --rules us-2023-10 --as-of 2024-06-01 --json " ..
    (extra or ""))
  os.remove(p)
  return out, rc
end

describe("issue 9: chip files", function()
  it("a consumer card from CSV is not 3A090.a: the datacenter column is honoured", function()
    local out, rc = classify_file("id,fp8,die_area_mm2,datacenter\ncard,588.4,608.5,false\n")
    assert.equal(0, rc, out)
    local d = require("tpp.json").decode(out)
    assert.equal("not-controlled", d.results[1].status)
  end)

  it("an empty list and a header-only CSV are errors, not the whole database", function()
    local out, rc = classify_file("[]", ".json")
    assert.equal(65, rc)
    assert.matches("empty list", out)
    out, rc = classify_file("id,fp8,die_area_mm2\n")
    assert.equal(65, rc)
    assert.matches("no data rows", out)
  end)

  it("a duplicated CSV column or JSON key is refused (it turned the H20 controlled)", function()
    local out, rc = classify_file("id,fp8,die_area_mm2,fp8\nnv_h20,296,814,2960\n")
    assert.equal(65, rc)
    assert.matches("column 'fp8' appears twice", out, 1, true)
    out, rc = classify_file('[{"id":"nv_h20","dense":{"fp8":296,"fp8":2960},"die_area_mm2":814}]', ".json")
    assert.equal(65, rc)
    assert.matches("duplicate key 'fp8'", out, 1, true)
  end)

  it("an unknown column is refused with a suggestion, not dropped", function()
    local out, rc = classify_file("id,fp8,die_area\nx,296,814\n")
    assert.equal(65, rc)
    assert.matches("unknown column 'die_area'; did you mean 'die_area_mm2'?", out, 1, true)
  end)

  it("a byte-order mark is read, not reported as a bad header", function()
    local out, rc = classify_file("\239\187\191id,fp8,die_area_mm2,datacenter\nx,296,814,true\n")
    assert.equal(0, rc, out)
  end)

  it("0x10, 1e308 and a tiny die area are refused instead of read as 16 or infinity", function()
    local out, rc = classify_file("id,fp8\nx,0x10\n")
    assert.equal(65, rc)
    assert.matches("row 1 (line 2): fp8: '0x10' is not a plain decimal number", out, 1, true)
    out, rc = classify_file("id,fp8\nx,1e308\n")
    assert.equal(65, rc)
    assert.matches("outside the plausible range", out, 1, true)
    out, rc = classify_file("id,fp8,die_area_mm2\nx,100,1e-300\n")
    assert.equal(65, rc)
    assert.matches("die_area_mm2", out, 1, true)
    assert.has_error(function() tpp.chip { dense = { fp8 = 1e308 } } end)
    assert.has_error(function() tpp.chip { dense = { fp8 = 1 }, die_area_mm2 = 1e-300 } end)
  end)

  it("a directory or a missing file is a clear error with exit status 66", function()
    local out, rc = support.tpp_cmd("classify --input spec/fixtures")
    assert.equal(66, rc)
    assert.matches("cannot read spec/fixtures: Is a directory", out, 1, true)
    out, rc = support.tpp_cmd("classify --input spec/fixtures/none.csv")
    assert.equal(66, rc)
    assert.matches("No such file", out, 1, true)
  end)
end)

describe("issue 9: options and dates", function()
  it("a repeated single-valued flag is refused, not silently used instead of the first", function()
    -- (--dest itself is repeatable now: every destination is screened)
    local out, rc = support.tpp_cmd("classify H100 --hq China --hq Vietnam")
    assert.are_not.equal(0, rc)
    assert.matches("--hq given twice ('China', then 'Vietnam')", out, 1, true)
    out, rc = support.tpp_cmd("classify H100 --as-of 2024-01-01 --as-of 2025-01-01")
    assert.are_not.equal(0, rc)
    assert.matches("--as-of given twice", out, 1, true)
  end)

  it("tpp.rules.classify(chip, { asof = ... }) names asof and suggests as_of", function()
    local ok, err = pcall(tpp.rules.classify, "H20", { asof = "2024-01-01" })
    assert.is_false(ok)
    assert.matches("unknown option 'asof'; did you mean 'as_of'?", err, 1, true)
  end)

  it("as_of = 2024-02-30 is refused everywhere", function()
    local ok, err = pcall(tpp.rules.classify, "H20", { as_of = "2024-02-30" })
    assert.is_false(ok)
    assert.matches("day 30 does not exist in that month", err, 1, true)
    assert.has_error(function() tpp.rules.at("2023-02-29") end)
    local util = require "tpp.util"
    assert.is_nil(util.check_date("1900-02-29"))                     -- a century is not a leap year
    assert.equal("2000-02-29", util.check_date("2000-02-29"))        -- unless divisible by 400
    assert.equal("2024-02-29", util.check_date("2024-02-29"))
    assert.is_nil(util.check_date("2024-13-01"))
    assert.is_nil(util.check_date("2024-04-31"))
    assert.is_nil(require("tpp.rules.metrics").date_number("2024-02-31"))
    assert.has_error(function() tpp.chip { dense = { fp8 = 1 }, first_marketed = "2024-02-30" } end)
    local out, rc = support.tpp_cmd("rules --as-of 2023-02-29")
    assert.are_not.equal(0, rc)
    assert.matches("day 29 does not exist", out, 1, true)
  end)

  it("negative thresholds in whatif are refused (API and --set)", function()
    local ok, err = pcall(tpp.rules.whatif, "us-2023-10", { ["3A090.a.1.tpp"] = -0.5 })
    assert.is_false(ok)
    assert.matches("cannot be negative", err, 1, true)
    local out, rc = support.tpp_cmd("whatif us-2023-10 --set 3A090.a.1.tpp=-1")
    assert.are_not.equal(0, rc)
    assert.matches("cannot be negative", out, 1, true)
    out, rc = support.tpp_cmd("whatif us-2023-10 --set 3A090.a.1.tpp=0x10")
    assert.are_not.equal(0, rc)
    assert.matches("is not a number", out, 1, true)
  end)

  it("every options table of the Lua API refuses unknown keys with a suggestion", function()
    local cases = {
      { function() tpp.rules.at("2024-01-01", { trak = "3A090" }) end, "'trak'; did you mean 'track'" },
      { function() tpp.rules.evaluate_batch(tpp.batch(1), { as_off = "2024-01-01" }) end, "'as_off'" },
      { function() tpp.rules.whatif("us-2023-10", {}, { idd = "x" }) end, "'idd'; did you mean 'id'" },
      { function() tpp.rules.diff("us-2022-10", "us-2023-10", { chip = {} }) end, "'chip'; did you mean 'chips'" },
      { function() tpp.rules.boxes("us-2023-10", "tpp", "pd", {}, { asof = "2024-01-01" }) end, "'asof'" },
      { function() tpp.rules.explain("H20", { rule = "us-2023-10" }) end, "'rule'; did you mean 'rules'" },
      { function() tpp.chip("H20"):metrics { tf32 = 19 } end, "'tf32'; did you mean 'tf32_bits'" },
      { function() tpp.h100e("H20", "tpp", { unit = "max_of_sums" }) end, "'unit'; did you mean 'unit_mode'" },
      { function() tpp.batch({ "H20" }, { thread = 1 }) end, "'thread'; did you mean 'threads'" },
      { function() tpp.ledger.check({}, { asof = "2025-01-01" }) end, "'asof'; did you mean 'as_of'" },
      { function() tpp.tensor.new("f32", { 2 }, { group = 4 }) end, "'group'; did you mean 'group_size'" },
      { function() tpp.kernels.sampler { vocab = 5 } end, "'vocab'; did you mean 'vocab_size'" },
      { function() tpp.model.load("x.bin", { weight = "q8" }) end, "'weight'; did you mean 'weights'" },
      { function() tpp.rules.classify("H20", { near = -1 }) end, "option near: got -1" },
      { function() tpp.rules.classify("H20", { basis = "text" }) end, "'enforced' or 'cfr-text'" },
    }
    for i, case in ipairs(cases) do
      local ok, err = pcall(case[1])
      assert.is_false(ok, "case " .. i)
      assert.matches(case[2], tostring(err), 1, true)
    end
  end)
end)
