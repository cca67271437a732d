-- The chip database: its records, its check against stated values and
-- third-party evidence, the readings that change answers, CSV in and out.
local tpp = require "tpp"
local db = require "tpp.chips"
local check = require "tpp.chips.check"
local sources = require "tpp.chips.sources"
local rules = tpp.rules

describe("tpp.chips database", function()
  local chips = tpp.chips()

  it("holds 114 accelerators with unique ids", function()
    assert.equal(114, #chips)
    local seen = {}
    for _, c in ipairs(chips) do
      assert.is_nil(seen[c.id], c.id)
      seen[c.id] = true
    end
  end)

  it("passes its own check: every stated value explained, every record complete", function()
    local rep = check.run(chips)
    assert.same({}, rep.problems)
    assert.equal(0, rep.counts.unexplained)
    assert.is_true(rep.ok)
    assert.equal(78, rep.counts.values)
    -- figure citations whose document was read from a copy (the verification
    -- pass raised this from 346 of 1,312); changes when sources are re-read or added
    assert.equal(1347, rep.counts.citations)
    assert.equal(548, rep.counts.checked_citations)
  end)

  it("cites a source of the registry for every figure, with the tag its kind gives", function()
    local n = { vendor = 0, reported = 0, derived = 0 }
    for _, c in ipairs(chips) do
      local d = c.data
      for _, path in ipairs(db.FIGURE_PATHS) do
        if db.get_path(d, path) ~= nil then
          local key = d.cite[path]
          assert.is_string(key, c.id .. " " .. path)
          local s = sources.get(key)
          assert.is_table(s, c.id .. " " .. path .. " cites " .. tostring(key))
          local tag = d.provenance[path]
          if tag ~= "derived" then assert.equal(sources.tag_of(key), tag, c.id .. " " .. path) end
          n[tag] = n[tag] + 1
        end
      end
    end
    -- the count changes only when figures are added, removed or re-sourced
    assert.same({ vendor = 869, reported = 346, derived = 132 }, n)
  end)

  it("links variants to a chip of the same family and gives designer and origin", function()
    local origins = {}
    for _, c in ipairs(chips) do
      local d = c.data
      assert.is_string(d.family, c.id)
      assert.is_string(d.designer, c.id)
      origins[d.origin] = (origins[d.origin] or 0) + 1
      if d.variant_of then assert.equal(d.family, db.get(d.variant_of).family, c.id) end
    end
    assert.equal(31, origins.prc)
    assert.equal(83, origins.us)
    assert.equal("prc", tpp.chip("Ascend 910C").origin)
    assert.equal("nv_h100_sxm", tpp.chip("H800 PCIe").variant_of)
  end)

  it("keeps dates as precise as their sources and marks China-only SKUs as not sold in the US", function()
    assert.equal("2022-03-22", tpp.chip("H100").announced)
    assert.equal("2024-11-18", tpp.chip("H200 NVL").announced)
    for _, id in ipairs({ "nv_h20", "nv_h800_sxm", "nv_a800_sxm", "nv_rtx4090d", "intel_gaudi3_cn", "amd_mi308x" }) do
      assert.equal("no", tpp.chip(id).us_available, id)
    end
  end)

  it("marks consumer and workstation parts as not designed for datacenters, with the basis", function()
    for _, id in ipairs({ "nv_rtx4090", "nv_rtx4090d", "nv_rtx5090", "nv_rtx3090", "nv_rtx4080", "amd_rx7900xtx" }) do
      assert.is_false(tpp.chip(id).datacenter, id)
      assert.matches("consumer", tpp.chip(id).datacenter_basis)
    end
    assert.is_false(tpp.chip("nv_rtxpro6000_ws").datacenter)
    assert.is_true(tpp.chip("nv_rtxpro6000_srv").datacenter)
    assert.is_true(tpp.chip("H20").datacenter)
  end)

  it("computes the TPP of the new rows from their figures", function()
    local cases = {
      nv_h100_nvl = 13368, nv_b100 = 28000, nv_gb200 = 40000, nv_l40 = 2896.8, nv_rtx6000ada = 5828,
      nv_v100_sxm2 = 2000, amd_mi300a = 15689.6, aws_trn3 = 20136, aws_inf2 = 3040, goog_tpuv3 = 1968,
      intel_max1550 = 13422.4, ms_maia100 = 18000, meta_mtia_v2 = 2832, groq_lpu_v1 = 6000, camb_mlu290 = 4096,
    }
    for id, want in pairs(cases) do assert.near(want, (tpp.chip(id):tpp()), 0.05, id) end
    assert.is_nil((tpp.chip("metax_c500"):tpp()))   -- no figure could be sourced: unknown, not zero
  end)

  it("resolves the four questioned figures as recorded", function()
    -- Ascend 910C: Huawei's paper figure, with the rounded 800 as a reading
    assert.equal(752, tpp.chip("910C").dense.fp16)
    assert.equal("vendor", tpp.chip("910C"):provenance("dense.fp16"))
    -- Gaudi 3: the OAM SKU at 1,835; Epoch's 1,678 is another SKU
    assert.equal(29360, (tpp.chip("Gaudi 3"):tpp()))
    -- MI355X: FP6 at 6 bits sets TPP; the peers' reading is 40,264
    local v, p = tpp.chip("MI355X"):tpp()
    assert.equal(60396, v)
    assert.equal("fp6", p)
    -- MI300X: tpp's area estimate and the trackers' 1,017 are both recorded
    assert.equal(2400, tpp.chip("MI300X").die_area_mm2)
    assert.equal("derived", tpp.chip("MI300X"):provenance("die_area_mm2"))
  end)

  it("resolves ids, names, aliases and unique name tails; lists the chips an ambiguous name matches", function()
    local cases = { H20 = "nv_h20", h100 = "nv_h100_sxm", ["Ascend 910C"] = "hw_910c", ["NVIDIA H20 (HGX)"] = "nv_h20",
                    ["mi300x"] = "amd_mi300x", ["RTX-4090"] = "nv_rtx4090", nv_l4 = "nv_l4", ["TPU v7"] = "goog_tpuv7",
                    MI210 = "amd_mi210", ["H100 NVL"] = "nv_h100_nvl", Trainium3 = "aws_trn3", ["Max 1550"] = "intel_max1550" }
    for name, id in pairs(cases) do assert.equal(id, (db.resolve(name)), name) end
    local id, msg = db.resolve("RTX PRO 6000")
    assert.is_nil(id)
    assert.matches("nv_rtxpro6000_ws, nv_rtxpro6000_srv", msg, 1, true)
  end)

  it("suggests the closest name for an unknown one", function()
    local id, msg = db.resolve("H21")
    assert.is_nil(id)
    assert.matches("did you mean", msg)
  end)
end)

describe("tpp.chips.check", function()
  local function chip(extra)
    local t = { id = "probe", name = "Probe", datacenter = true, dense = { fp16 = 100, tf32 = 50 }, die_area_mm2 = 400 }
    for k, v in pairs(extra) do t[k] = v end
    return tpp.chip(t)
  end
  local function verdict(c) return check.values(c)[1] end

  it("agrees within 1 % and calls the rest rounding", function()
    local r = verdict(chip({ stated = { tpp = 1610 } }))    -- TPP 1,600
    assert.equal("agrees", r.verdict)
    assert.matches("rounding", r.reason)
    assert.equal("unexplained", verdict(chip({ stated = { tpp = 1617 } })).verdict)   -- 1.06 %
  end)

  it("reproduces the TF32 19-bit and 32-bit conventions and sparsity", function()
    assert.equal("explained", verdict(chip({ evidence = { { by = "x", tpp = 3200 } } })).verdict)  -- sparse
    local r = verdict(chip({ dense = { fp16 = 10, tf32 = 100 }, evidence = { { by = "x", tpp = 1900 } } }))
    assert.equal("explained", r.verdict)
    assert.matches("tf32%-19%-bits", r.reason)
    r = verdict(chip({ dense = { fp16 = 10, tf32 = 100 }, evidence = { { by = "x", tpp = 3200 } } }))
    assert.matches("tf32%-32%-bits", r.reason)
  end)

  it("accepts a declared reason only with a note, and refuses a declared convention that does not reproduce", function()
    assert.equal("unexplained", verdict(chip({ evidence = { { by = "x", tpp = 1400, reason = "sku" } } })).verdict)
    local noted = { { by = "x", tpp = 1400, reason = "sku", note = "PCIe card" } }
    assert.equal("explained", verdict(chip({ evidence = noted })).verdict)
    local r = verdict(chip({ evidence = { { by = "x", tpp = 3200, reason = "tf32" } } }))   -- reproduced by sparsity
    assert.equal("unexplained", r.verdict)
  end)

  it("explains a PD from another die area and flags an incomplete record", function()
    local r = check.values(chip({ evidence = { { by = "x", pd = 2, die_area_mm2 = 800 } } }))[1]
    assert.equal("explained", r.verdict)
    assert.matches("800 mm2", r.reason)
    local p = check.record({ id = "x", provenance = { ["dense.fp8"] = "vendor" }, cite = {} }, {})
    assert.matches("dense.fp8 %(vendor%) cites no source", p[1])
    p = check.record({ id = "x", dense = { fp8 = 1 }, provenance = { ["dense.fp8"] = "vendor" },
      cite = { ["dense.fp8"] = "epoch-hw" }, family = "f", designer = "d", origin = "us", datacenter_basis = "b" }, {})
    assert.same({ "x: dense.fp8 is tagged vendor but cites a third-party source (epoch-hw)" }, p)
    p = check.record({ id = "x", dense = { fp8 = 1 }, provenance = { ["dense.fp8"] = "derived" },
      cite = { ["dense.fp8"] = "epoch-hw" }, family = "f", designer = "d", origin = "us", datacenter_basis = "b" }, {})
    assert.same({ "x: dense.fp8 is derived but no derivation says how" }, p)
    p = check.record({ id = "x", dense = { fp8 = 1 }, provenance = { ["dense.fp8"] = "reported" },
      cite = { ["dense.fp8"] = "nv-h100-ds" }, family = "f", designer = "d", origin = "us", datacenter_basis = "b" }, {})
    assert.same({ "x: dense.fp8 is tagged reported but cites a vendor source (nv-h100-ds); tag it vendor" }, p)
  end)

  it("fails the command on an unexplained value and passes on the database", function()
    local cmd = require "tpp.commands.chips"
    local data, text, rc = cmd.check({ vendor = "aws" })
    assert.equal(0, rc)
    assert.is_true(data.ok)
    assert.matches("Check passed", text)
    local run = check.run
    check.run = function(list)          -- the same command over a database with one bad value
      local bad = tpp.chip({ id = "bad", name = "Bad", datacenter = true, dense = { fp8 = 100 },
        family = "f", designer = "d", origin = "us", datacenter_basis = "b",
        provenance = { ["dense.fp8"] = "vendor" }, cite = { ["dense.fp8"] = "nv-h100-ds" },
        evidence = { { by = "x", tpp = 1000 } } })
      local all = {}
      for _, c in ipairs(list) do all[#all + 1] = c end
      all[#all + 1] = bad
      return run(all)
    end
    local ok, d2, t2, rc2 = pcall(cmd.check, { vendor = "aws" })
    check.run = run
    assert.is_true(ok, tostring(d2))
    assert.equal(1, rc2)
    assert.is_false(d2.ok)
    assert.equal(1, d2.counts.unexplained)
    assert.same({}, d2.problems)                 -- complete record: only the value fails
    assert.matches("Check FAILED", t2)
  end)
end)

describe("figures corrected or added in the verification pass", function()
  local function cls(id, ver) return rules.classify(id, { rules = ver or "us-2023-10", as_of = "2026-03-01" }) end
  local function reading(r, name)
    for _, e in ipairs(r.readings) do if e.name == name then return e end end
  end

  it("counts a citation as checked only when its document has a read record", function()
    local data = { dense = { fp16 = 1, int8 = 2 }, cite = { ["dense.fp16"] = "aws-neuron-trn3", ["dense.int8"] = "nv-t4-ds" } }
    assert.is_string(sources.get("aws-neuron-trn3").read)
    assert.is_nil(sources.get("nv-t4-ds").read)
    local checked, total = check.citations(data)
    assert.equal(1, checked)
    assert.equal(2, total)
  end)

  it("MI250: 6 Infinity Fabric links, 600 GB/s, still at the October 2022 I/O line", function()
    assert.equal(600, tpp.chip("amd_mi250").interconnect_gbs)
    assert.equal("controlled", cls("amd_mi250", "us-2022-10").status)
  end)

  it("two-chip cards are judged per chip, the card totals kept as a reading", function()
    for id, want in pairs({ hw_atlas300i_duo = 1120, camb_mlu370x8 = 1024 }) do
      local c = tpp.chip(id)
      assert.near(want, c:metrics().tpp, 1e-9, id)
      local r = cls(id)
      assert.equal("not-controlled", r.status, id)
      local e = reading(r, "per-card")
      assert.is_true(e.changes, id)
      assert.near(2 * want, e.tpp, 1e-9, id)
    end
  end)

  it("Ascend 910B3 and 910B4: cube plus vector units; the 910B4's PD sits on the 5.92 line", function()
    local b3 = tpp.chip("hw_910b3"):metrics()
    assert.near(5012.8, b3.tpp, 1e-9)
    assert.equal("3A090.a.1", cls("hw_910b3").governing)
    local b4 = tpp.chip("hw_910b4"):metrics()
    assert.near(4177.6, b4.tpp, 1e-9)
    assert.near(6.2765, b4.pd, 1e-3)
    local r = cls("hw_910b4")
    assert.equal("3A090.a.2", r.governing)
    local e = reading(r, "cube-only")
    assert.is_true(e.changes)                          -- PD 3,932.8 / 665.6 = 5.909 < 5.92
    assert.matches("3A090.b", e.answer)
    assert.near(376.0, tpp.chip("hw_910b").dense.fp16, 0.05)
  end)

  it("MTT S4000: the listing figures put TPP under the 1,600 floor the launch figures sit on", function()
    local r = cls("mt_s4000")
    assert.equal("undetermined", r.status)             -- TPP 1,600, die area unknown
    local e = reading(r, "fp16-98")
    assert.is_true(e.changes)
    assert.near(1568, e.tpp, 1e-9)
    assert.matches("not%-controlled", e.answer)
  end)

  it("RTX 5080: GB203 378 mm2 gives a PD; a consumer part under 4,800 stays outside 3A090", function()
    local m = tpp.chip("nv_rtx5080"):metrics()
    assert.near(3602 / 378, m.pd, 1e-9)
    assert.equal("not-controlled", cls("nv_rtx5080").status)
  end)
end)

describe("readings that change an answer are named", function()
  it("Trainium2 is case-by-case under the January 2026 policy, denial if TF32 counts at 32 bits", function()
    local r = rules.classify("Trainium2", { rules = "us-2026-01-h200", as_of = "2026-03-01" })
    assert.equal("case-by-case", r.review_policy)
    local named
    for _, a in ipairs(r.assumptions) do if a.name == "chip reading: tf32-32-bits" then named = a end end
    assert.is_table(named)
    assert.matches("presumption%-of%-denial", named.alternatives[1])
    assert.matches("read as tf32%-32%-bits", r.explanation)
    local by = {}
    for _, e in ipairs(r.readings) do by[e.name] = e end
    assert.is_true(by["tf32-32-bits"].changes)
    assert.is_false(by["tf32-19-bits"].changes)
    assert.near(21344, by["tf32-32-bits"].tpp, 1e-9)
  end)

  it("the MI355X FP6 reading and the MI300X area reading change nothing, so no assumption is named", function()
    for _, id in ipairs({ "MI355X", "MI300X" }) do
      local r = rules.classify(id, { rules = "us-2026-01-h200", as_of = "2026-03-01" })
      for _, a in ipairs(r.assumptions) do assert.is_nil(a.name:match("^chip reading"), id .. " " .. a.name) end
      assert.is_true(#r.readings >= 1)
    end
    local r = rules.classify("MI355X", { rules = "us-2023-10", as_of = "2026-03-01" })
    local fp6
    for _, e in ipairs(r.readings) do if e.name == "fp6-not-counted" then fp6 = e end end
    assert.near(40265.6, fp6.tpp, 1e-9)        -- FP8 5,033.2 x 8
    assert.is_false(fp6.changes)
  end)

  it("a user chip whose die area matters names the per-chip reading", function()
    local c = { id = "probe", datacenter = true, dense = { fp8 = 300 }, die_area_mm2 = 400,
                readings = { { name = "die-area-450", text = "die area read as 450 mm2", figures = { die_area_mm2 = 450 } } } }
    local r = rules.classify(c, { rules = "us-2023-10", as_of = "2024-06-01" })
    assert.equal("3A090.a.2", r.governing)                  -- TPP 2,400, PD 6.0
    local e = r.readings[1]
    assert.is_true(e.changes)                               -- PD 5.33 < 5.92: 3A090.b.1
    assert.matches("3A090.b", e.answer)
  end)
end)

describe("tpp.chips.import (tpp's CSV chip format)", function()
  local import = require "tpp.chips.import"

  it("parses quoted CSV fields with commas, quotes and newlines", function()
    local rows, lines = import.parse_csv('a,b\n"x, y","say ""hi""\nthere"\nc,d\n')
    assert.same({ { "a", "b" }, { "x, y", 'say "hi"\nthere' }, { "c", "d" } }, rows)
    assert.same({ 1, 2, 4 }, lines)
  end)

  it("reports an unclosed quote with its line", function()
    local ok, err = pcall(import.parse_csv, 'a\n"oops\n', "f.csv")
    assert.is_false(ok)
    assert.matches("f.csv: line 2: a quoted field is not closed", err)
  end)

  it("converts a row with provenance tags; the older one-column layouts still read", function()
    local c = import.row_to_chip({ id = "x", name = "X", vendor = "V", year = "2024", year_src = "V", fp8 = "100",
      fp8_src = "T", die_area_mm2 = "50", die_area_mm2_src = "E", mem_type = "GDDR6", sources = "a; b",
      datacenter = "no" }, "test")
    assert.equal(100, c.dense.fp8)
    assert.equal("reported", c.provenance["dense.fp8"])
    assert.equal("derived", c.provenance.die_area_mm2)
    assert.is_false(c.hbm)
    assert.is_false(c.datacenter)
    assert.same({ "a", "b" }, c.sources)
    assert.equal(16, tpp.chip(c):pd())
    c = import.row_to_chip({ id = "nv_b300", fp16_bf16 = "2250", fp4_int4 = "14000" }, "test")
    assert.equal(2250, c.dense.bf16)
    assert.equal(14000, c.dense.fp4)      -- the database's B300 runs FP4
    c = import.row_to_chip({ id = "zz", fp4_int4 = "100" }, "test")
    assert.equal(100, c.dense.int4)
  end)

  it("rejects a non-numeric figure, a bad tag and an unknown column, naming them", function()
    local ok, err = pcall(import.row_to_chip, { id = "x", fp8 = "lots" }, "f.csv:3")
    assert.is_false(ok)
    assert.matches("f.csv:3, column fp8: 'lots' is not a plain decimal number", err, 1, true)
    ok, err = pcall(import.row_to_chip, { id = "x", fp8 = "1", fp8_src = "Q" }, "f.csv:3")
    assert.is_false(ok)
    assert.matches("fp8_src: 'Q' is not one of V, T, E", err, 1, true)
    assert.matches("column 'fp88' is not a column", import.check_header({ "id", "fp88" }, "f.csv:1"))
  end)

  it("writes the database as CSV and reads it back to the same TPP and PD for every chip", function()
    local path = os.tmpname()
    local f = assert(io.open(path, "w"))
    f:write(import.write_csv(tpp.chips()))
    f:close()
    local rows = assert(import.read_csv(path))
    os.remove(path)
    assert.equal(114, #rows)
    for i, c in ipairs(tpp.chips()) do
      local r = tpp.chip(rows[i])
      assert.equal(c:tpp(), (r:tpp()), c.id)
      assert.equal(c:pd(), (r:pd()), c.id)
      assert.equal(c.data.provenance["dense.fp16"], rows[i].provenance["dense.fp16"], c.id)
    end
  end)
end)

describe("tpp.chips.evidence (tpp import)", function()
  local evidence = require "tpp.chips.evidence"

  it("reads an Epoch-format excerpt, matches rows and explains the TF32 convention", function()
    local recs = assert(evidence.read_epoch("spec/fixtures/epoch_excerpt.csv"))
    local rep = evidence.compare(recs, "Epoch excerpt")
    assert.equal(6, rep.counts.rows)
    assert.equal(5, rep.counts.matched)
    assert.equal("NVIDIA Tesla P100 SXM2", rep.unmatched[1].name)
    local by = {}
    for _, m in ipairs(rep.matched) do by[m.id] = m end
    assert.equal("NVIDIA HGX H20", by.nv_h20.name)             -- same words, another order
    assert.equal("explained", by.aws_trn2.tpp.verdict)
    assert.matches("tf32%-19%-bits", by.aws_trn2.tpp.reason)
    assert.equal("agrees", by.nv_h100_sxm.tpp.verdict)
    local fp8
    for _, f in ipairs(by.amd_mi355x.fields) do if f.path == "dense.fp8" then fp8 = f end end
    assert.equal("differs", fp8.verdict)
    assert.equal(4600, fp8.theirs)
    assert.equal(5033.2, fp8.ours)
    assert.equal(296, tpp.chip("H20").dense.fp8)                  -- the database is unchanged
  end)

  it("scales Epoch's FLOP/s and byte/s headers", function()
    local recs = assert(evidence.read_epoch("spec/fixtures/epoch_verbose.csv"))
    assert.near(242.5, recs[1].figures["dense.int8"], 1e-9)
    assert.near(300, recs[1].figures["memory.bandwidth_gbs"], 1e-9)
    local rep = evidence.compare(recs, "x")
    assert.equal(0, rep.counts.differs)
    assert.equal(10, rep.counts.agrees)
  end)

  it("tpp import: a table in tpp's format, an unknown format, a missing file", function()
    local cmd = require "tpp.commands.import"
    local data, text = cmd.run({ "csv", "spec/fixtures/chips_tpp_format.csv" })
    assert.equal(1, data.counts.matched)
    assert.equal("Example NPU 1000", data.unmatched[1].name)
    assert.matches("FP8", text)
    assert.matches("database is unchanged", text)
    assert.has_error(function() cmd.run({ "xls", "f" }) end, "tpp import: format 'xls' unknown; expected epoch or csv")
    assert.has_error(function() cmd.run({ "epoch", "/nonexistent.csv" }) end, "tpp import: cannot read /nonexistent.csv")
  end)
end)

describe("the commands from the command line", function()
  local tpp_cmd = require("support").tpp_cmd

  it("tpp chips --check passes on the database", function()
    local out, rc = tpp_cmd("chips --check")
    assert.equal(0, rc, out)
    assert.matches("114 chips, 78 stated values: 47 agree, 23 explained, 0 unexplained", out, 1, true)
  end)

  it("tpp import epoch reads the excerpt and names the TF32 convention", function()
    local out, rc = tpp_cmd("import epoch spec/fixtures/epoch_excerpt.csv")
    assert.equal(0, rc, out)
    assert.matches("aws_trn2 TPP (stated): TF32 bit length (tf32-19-bits)", out, 1, true)
    assert.matches("line 6 'NVIDIA Tesla P100 SXM2'", out, 1, true)
    out, rc = tpp_cmd("import xls spec/fixtures/epoch_excerpt.csv")
    assert.equal(64, rc) -- a usage error
    assert.matches("format 'xls' unknown", out)
  end)
end)
