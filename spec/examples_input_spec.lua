-- The example input files shipped in examples/ read and classify as documented
-- (docs/input-formats.md).
local support = require "support"
local json = require "tpp.json"

describe("examples/ input files", function()
  local rules = require "tpp.rules"
  local input = require "tpp.rules.input"

  local function by_id(list)
    local out = {}
    for _, c in ipairs(list) do out[c.data.id] = c end
    return out
  end

  it("examples/chips.csv: every chip classifies as documented under us-2023-10", function()
    local chips = by_id(input.read_chips("examples/chips.csv", "test"))
    local function status(id) return rules.classify(chips[id], { rules = "us-2023-10", as_of = "2024-06-01" }) end
    assert.equal("3A090.a.1", status("nv_h100_sxm").governing)
    assert.equal("not-controlled", status("nv_h20").status)
    assert.equal("3A090.a.2", status("nv_l4").governing)
    -- a consumer card: Note 2 (not datacenter, TPP < 4800)
    local r = status("nv_rtx4090d")
    assert.equal("not-controlled", r.status)
    assert.equal("Note 2 to 3A090", r.excluded[1].id)
    -- the datacenter flag left empty: undetermined, naming it
    r = status("my_card")
    assert.equal("undetermined", r.status)
    assert.same({ "datacenter" }, r.missing)
    assert.equal("vendor", chips.nv_h100_sxm:metrics().provenance.tpp)
    assert.equal(15831.2, chips.nv_h100_sxm:tpp())
  end)

  it("examples/chips.jsonl: rows and nested chip tables give the CSV's figures", function()
    local csv = by_id(input.read_chips("examples/chips.csv", "test"))
    local jl = by_id(input.read_chips("examples/chips.jsonl", "test"))
    for _, id in ipairs({ "nv_h20", "nv_rtx4090d", "my_card" }) do
      local a, b = csv[id]:metrics(), jl[id]:metrics()
      assert.equal(a.tpp, b.tpp, id)
      assert.equal(a.pd, b.pd, id)
    end
  end)

  it("examples/ledger.csv checks clean", function()
    local out, rc = support.tpp_cmd("ledger examples/ledger.csv --as-of 2025-12-31 --json")
    assert.equal(0, rc, out)
    local rep = json.decode(out)
    assert.equal(3, rep.rows_total)
    assert.equal(0, rep.rows_rejected)
    assert.equal(1000, rep.rows[1].count)
  end)
end)
