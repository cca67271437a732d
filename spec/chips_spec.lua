-- The chip database against the team's reference table (chips.csv).
local tpp = require "tpp"
local db = require "tpp.chips"

describe("tpp.chips database", function()
  local chips = tpp.chips()

  it("holds all 55 accelerators with unique ids", function()
    assert.equal(55, #chips)
    local seen = {}
    for _, c in ipairs(chips) do
      assert.is_nil(seen[c.id], c.id)
      seen[c.id] = true
    end
  end)

  it("keeps every computed TPP of the reference within 1 (rounded inputs)", function()
    local checked = 0
    for _, c in ipairs(chips) do
      local ref = c.data.reference.tpp
      local t = c:tpp()
      if ref then
        assert.is_number(t, c.id)
        assert.is_true(math.abs(t - ref) <= 1, ("%s: %s vs reference %s"):format(c.id, tostring(t), ref))
        checked = checked + 1
      else
        assert.is_nil(t, c.id .. " has no reference TPP, so its TPP must stay unknown")
      end
    end
    assert.equal(49, checked) -- CHIPS.md §1: computed TPP for 49 rows
  end)

  it("keeps every computed PD of the reference within 0.01", function()
    local checked = 0
    for _, c in ipairs(chips) do
      local ref = c.data.reference.pd
      if ref then
        local pd = c:pd()
        assert.is_true(math.abs(pd - ref) <= 0.011, ("%s: %s vs %s"):format(c.id, tostring(pd), ref))
        checked = checked + 1
      end
    end
    assert.equal(29, checked) -- CHIPS.md §1: computed PD for 29 rows
  end)

  it("tags every figure with a provenance", function()
    for _, c in ipairs(chips) do
      for p, v in pairs(c.data.dense) do
        assert.is_string(c.data.provenance["dense." .. p], c.id .. " dense." .. p)
        assert.is_number(v)
      end
      if c.data.die_area_mm2 then assert.is_string(c.data.provenance.die_area_mm2, c.id) end
      if c.data.memory.bandwidth_gbs then assert.is_string(c.data.provenance["memory.bandwidth_gbs"], c.id) end
    end
  end)

  it("counts the reference's provenance tags (330 vendor, 182 reported, 23 derived)", function()
    local n = { vendor = 0, reported = 0, derived = 0 }
    for _, c in ipairs(chips) do
      for k, tag in pairs(c.data.provenance) do
        -- bf16 mirrors the single fp16_bf16 column of the reference
        if k ~= "dense.bf16" then n[tag] = n[tag] + 1 end
      end
    end
    assert.same({ vendor = 330, reported = 182, derived = 23 }, n)
  end)

  it("marks consumer GeForce parts as not designed for datacenters, with the basis", function()
    for _, id in ipairs({ "nv_rtx4090", "nv_rtx4090d", "nv_rtx5090", "nv_rtx5090d", "nv_rtx5090dv2" }) do
      assert.is_false(tpp.chip(id).datacenter, id)
      assert.matches("consumer", tpp.chip(id).datacenter_basis)
    end
    assert.is_true(tpp.chip("H20").datacenter)
    assert.matches("judgement", tpp.chip("H20").datacenter_basis)
  end)

  it("keeps uncertain figures marked (CHIPS.md §6)", function()
    assert.matches("leaked", tpp.chip("H20").uncertain[1])
    assert.matches("assumption", tpp.chip("B200").uncertain[1])
    assert.is_nil(tpp.chip("H100").uncertain)
  end)

  it("resolves ids, names and aliases", function()
    local cases = { H20 = "nv_h20", h100 = "nv_h100_sxm", ["Ascend 910C"] = "hw_910c", ["NVIDIA H20 (HGX)"] = "nv_h20",
                    ["mi300x"] = "amd_mi300x", ["RTX-4090"] = "nv_rtx4090", nv_l4 = "nv_l4", ["TPU v7"] = "goog_tpuv7" }
    for name, id in pairs(cases) do assert.equal(id, (db.resolve(name)), name) end
  end)

  it("suggests the closest name for an unknown one", function()
    local id, msg = db.resolve("H21")
    assert.is_nil(id)
    assert.matches("did you mean", msg)
    id, msg = db.resolve("Ascend 910X")
    assert.is_nil(id)
    assert.matches("hw_910", msg)
  end)

  it("maps the 4-bit column to FP4 for Blackwell and INT4 for Ampere/Ada", function()
    assert.equal(14000, tpp.chip("B300").dense.fp4)
    assert.is_nil(tpp.chip("B300").dense.int4)
    assert.equal(1248, tpp.chip("A100").dense.int4)
  end)
end)

describe("tpp.chips.import", function()
  local import = require "tpp.chips.import"
  local support = require "support"

  local function write(text)
    local path = support.tmpname(".csv")
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    return path
  end

  it("reads a row of the extended layout with provenance tags through the strict reader", function()
    local path = write("id,name,vendor,country,form,process,year,year_src,fp8,fp8_src,die_area_mm2," ..
      "die_area_mm2_src,mem_type,sources\n" ..
      'x,X,V,US,,,2024,V,100,T,50,E,GDDR6,"a; b"\n')
    local rows = assert(import.read_csv(path))
    os.remove(path)
    local c = rows[1]
    assert.equal(100, c.dense.fp8)
    assert.equal("reported", c.provenance["dense.fp8"])
    assert.equal("derived", c.provenance.die_area_mm2)
    assert.is_false(c.hbm)
    assert.same({ "a", "b" }, c.sources)
    assert.equal(16, tpp.chip(c):pd())
    -- the database judgement applies where the file has no datacenter column
    assert.is_true(c.datacenter)
  end)

  it("reports an unclosed quote with its line, and a bad figure with row, line and column", function()
    local path = write('id,fp8\n"oops,1\n')
    local rows, err = import.read_csv(path)
    assert.is_nil(rows)
    assert.matches("line 2: a quoted field is not closed", tostring(err), 1, true)
    os.remove(path)
    path = write("id,fp8,year\nx,1,\ny,lots,\n")
    rows, err = import.read_csv(path)
    assert.is_nil(rows)
    assert.matches("row 2 (line 3): fp8: 'lots' is not a plain decimal number", tostring(err), 1, true)
    assert.equal(65, err.exit_code)
    os.remove(path)
  end)
end)
