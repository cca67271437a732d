-- The command line: argument parsing, and the chips/show commands end to end.
local cli = require "tpp.cli"
local json = require "tpp.json"


local tpp_cmd = require("support").tpp_cmd

describe("tpp.cli.parse()", function()
  local spec = { options = { rules = { arg = "ID" }, set = { arg = "N=V", multi = true }, quick = { flag = true } },
                 usage = "tpp x" }

  it("reads flags, values (both forms), repeats and positionals", function()
    local a = cli.parse({ "H20", "--rules", "us-2023-10", "--set=a=1", "--set", "b=2", "--quick", "--json", "B200" },
      spec, "x")
    assert.same({ "H20", "B200" }, { a[1], a[2] })
    assert.equal("us-2023-10", a.rules)
    assert.same({ "a=1", "b=2" }, a.set)
    assert.is_true(a.quick)
    assert.is_true(a.json)
  end)

  it("rejects an unknown option with a suggestion", function()
    local ok, err = pcall(cli.parse, { "--rule", "x" }, spec, "x")
    assert.is_false(ok)
    assert.matches("unknown option %-%-rule; did you mean %-%-rules", err)
  end)

  it("rejects a missing value and a value on a flag", function()
    assert.has_error(function() cli.parse({ "--rules" }, spec, "x") end, "tpp x: option --rules needs a value (ID)")
    assert.has_error(function() cli.parse({ "--quick=1" }, spec, "x") end, "tpp x: option --quick takes no value")
  end)

  it("enforces argument counts", function()
    assert.has_error(function() cli.parse({}, { min_args = 1, usage = "tpp show CHIP" }, "show") end)
    assert.has_error(function() cli.parse({ "a", "b" }, { max_args = 1, usage = "tpp show CHIP" }, "show") end)
  end)
end)

describe("tpp chips / show (bin/tpp)", function()
  it("lists 114 chips with the H20 at 2,368 and PD 2.91", function()
    local out, rc = tpp_cmd("chips", { COLUMNS = 200 })
    assert.equal(0, rc)
    assert.matches("nv_h20%s+NVIDIA H20 %(HGX%)%s+2,368%s+[%w=]+%s+2%.91", out)
    assert.matches("114 chips", out)
    assert.matches("not legal advice", out)
  end)

  it("fits 80 columns keeping the decisive columns (id, name, TPP, PD, H100e)", function()
    local out = tpp_cmd("chips")
    local head = out:match("^[^\n]+")
    for _, col in ipairs({ "id", "name", "TPP", "PD", "H100e" }) do assert.matches("%f[%w]" .. col .. "%f[%W]", head) end
    assert.is_nil(head:find("set by", 1, true))
    assert.matches("left out to fit 80 columns: ", out, 1, true)
    for line in out:gmatch("[^\n]+") do assert.is_true(#line <= 80, line) end
  end)

  it("prints stable JSON with the figures and the H100e basis", function()
    local out, rc = tpp_cmd("chips --json")
    assert.equal(0, rc)
    local d = json.decode(out)
    assert.equal(114, #d.chips)
    local by = {}
    for _, c in ipairs(d.chips) do by[c.id] = c end
    assert.near(15831.2, by.nv_h100_sxm.tpp, 1e-9)
    assert.near(5284.8, by.nv_rtx4090.tpp, 1e-9)
    assert.equal(2368, by.nv_h20.tpp)
    assert.near(2368 / 814, by.nv_h20.pd, 1e-15)
    assert.equal(4000, by.nv_h20.mem_bw_gbs)
    assert.matches("15,831.2", d.h100e_basis, 1, true)
    assert.equal(out, (tpp_cmd("chips --json"))) -- deterministic
  end)

  it("sorts and filters", function()
    local d = json.decode((tpp_cmd("chips --vendor huawei --sort tpp --json")))
    assert.equal(10, #d.chips)
    assert.equal("hw_910c", d.chips[1].id)
  end)

  it("shows one chip with provenance, datasheet units and sources", function()
    local out, rc = tpp_cmd("show 'Ascend 910C'")
    assert.equal(0, rc)
    assert.matches("TPP%s+12,032 %(set by", out)
    assert.matches("= TPP / 16%s+752 dense FP16 TFLOPS%-equivalent", out)
    assert.matches("CloudMatrix384", out)
  end)

  it("fails cleanly on an unknown chip, command or option", function()
    local out, rc = tpp_cmd("show H2O")
    assert.equal(64, rc)
    assert.matches("^tpp: no chip named 'H2O' in the database; did you mean 'h20'", out)
    out, rc = tpp_cmd("chipz")
    assert.equal(64, rc)
    assert.matches("did you mean 'chips'", out)
    out, rc = tpp_cmd("chips --sort nope")
    assert.equal(64, rc)
    assert.matches("%-%-sort: 'nope' is not one of tpp, pd, name, year, id", out)
  end)

  it("has help for every command", function()
    local out, rc = tpp_cmd("help")
    assert.equal(0, rc)
    assert.matches("chips", out)
    out = tpp_cmd("show --help")
    assert.matches("usage: tpp show CHIP", out)
  end)
end)

describe("examples", function()
  it("examples/quickstart.lua prints what the README says", function()
    local p = io.popen((rawget(_G, "jit") and "luajit" or (_VERSION == "Lua 5.4" and "lua5.4" or "lua5.1")) ..
      " examples/quickstart.lua")
    local out = p:read("*a")
    p:close()
    assert.matches("^2368%.?0?%s+fp16\n2%.9090909090909\n0%.14957804841073%s+dense 8%-bit", out)
    assert.matches("4800%.?0?%s+bf16%s+11%.428571428571", out)
  end)
end)
