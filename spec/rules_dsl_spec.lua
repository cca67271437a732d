-- Rule files: the DSL, load-time errors with file:line, and the sandbox.
local tpp = require "tpp"
local rules = tpp.rules
local sandbox = require "tpp.rules.sandbox"

local function write(text)
  local path = require("support").tmpname("_rule.lua")
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

local function load_text(text)
  local path = write(text)
  local ok, v = pcall(rules.load, path)
  os.remove(path)
  if ok then return v end
  return nil, tostring(v), path
end

local HEAD = 'version { id = "my-rule", title = "a test rule" }\n'

describe("a user rule file", function()
  it("loads, is marked a user rule, and classifies", function()
    local v = assert(load_text(HEAD .. [[
threshold { "big.tpp", 10000, provenance = "user", source = "my analysis" }
paragraph { "big", eccn = "BIG", text = "TPP of 10,000 or more", test("tpp", ">=", "big.tpp") }
paragraph { "dense", eccn = "DENSE", range("pd", ">=", 10, "<", 20), test("tpp", ">", 1000) }
precedence { "BIG", "DENSE" }
]]))
    assert.equal("my-rule", v.id)
    assert.equal("user", v.status)
    assert.equal(10000, v.thresholds["big.tpp"].value)
    assert.equal(10, v.thresholds["dense.pd.lo"].value)   -- an inline number gets a name
    assert.equal(20, v.thresholds["dense.pd.hi"].value)
    assert.equal("BIG", rules.classify("H100", { rules = v }).eccn)
    assert.equal("DENSE", rules.classify("biren_br104", { rules = v }).eccn)   -- TPP 8,192, PD 15.3
    assert.equal("not-controlled", rules.classify("hw_910b", { rules = v }).status)  -- PD 9.04 < 10
  end)

  it("is stamped with the SHA-256 of its text", function()
    local text = HEAD .. 'paragraph { "p", test("tpp", ">=", 1) }\n'
    local path = write(text)
    local v = rules.load(path)
    os.remove(path)
    assert.equal(tpp.core.sha256(text), v.hash)
    local r = rules.classify("H20", { rules = v })
    assert.equal(v.hash, r.rules_hash)
    assert.equal("user rule (not law)", require("tpp.rules.dsl").STATUSES[r.rules_status])
  end)

  it("can extend a built-in version and change one threshold", function()
    local v = assert(load_text([[
version { id = "strict-2023", extends = "us-2023-10", title = "3A090 with a lower a.1 line" }
threshold { "3A090.a.1.tpp", 4000, provenance = "user", source = "scenario" }
]]))
    assert.equal(4000, v.thresholds["3A090.a.1.tpp"].value)
    assert.equal(5.92, v.thresholds["3A090.a.2.pd"].value)
    local r = rules.classify("RTX 4090D", { rules = v, as_of = "2024-06-01" })
    assert.equal("not-controlled", r.status)  -- Note 2 still applies (its own 4,800 line)
    assert.equal(2, #v.hashes)
    assert.equal(rules.get("us-2023-10").hash, v.hashes[2].sha256)
  end)

  it("refuses a cycle of extends between files", function()
    local a, b = require("support").tmpname("_a.lua"), require("support").tmpname("_b.lua")
    local fa, fb = assert(io.open(a, "wb")), assert(io.open(b, "wb"))
    fa:write(('version { id = "a", extends = %q }\n'):format(b))
    fb:write(('version { id = "b", extends = %q }\nparagraph { "p", test("tpp", ">=", 1) }\n'):format(a))
    fa:close()
    fb:close()
    local ok, err = pcall(rules.load, a)
    os.remove(a)
    os.remove(b)
    assert.is_false(ok)
    assert.matches("extends itself", err)
  end)

  it("refuses a built-in id", function()
    local v, err = load_text('version { id = "us-2023-10" }\nparagraph { "p", test("tpp", ">=", 1) }\n')
    assert.is_nil(v)
    assert.matches(":1: id 'us%-2023%-10' belongs to a built%-in version", err)
  end)
end)

describe("load errors name file:line and what to fix", function()
  local cases = {
    { "syntax error", HEAD .. 'paragraph { "p", test("tpp", ">=" 1) }\n', ":2:", "syntax error" },
    { "unknown metric",
      HEAD .. 'paragraph { "p",\n  test("tpx", ">=", 1) }\n', ":3: unknown metric 'tpx'; did you mean 'tpp'%?" },
    { "inverted range", HEAD .. 'paragraph { "p",\n\n  range("tpp", ">=", 4800, "<", 2400) }\n',
      ":4: inverted range on tpp: lower bound 4800 %(>=%) is above upper bound 2400 %(<%)" },
    { "empty range", HEAD .. 'paragraph { "p", range("pd", ">=", 3, "<", 3) }\n', ":2: empty range on pd" },
    { "missing id", 'version { title = "no id" }\n', ":1: version: 'id' is missing; add id = " },
    { "no version", 'paragraph { "p", test("tpp", ">=", 1) }\n', ":1: no version { } declaration" },
    { "unknown threshold", HEAD .. 'threshold { "a.tpp", 1 }\nparagraph { "p", test("tpp", ">=", "a.tp") }\n',
      ":3: unknown threshold 'a.tp'; did you mean 'a.tpp'%?" },
    { "flag compared with a number", HEAD .. 'paragraph { "p", test("datacenter", "==", 1) }\n',
      ":2: flag 'datacenter' is compared with true or false" },
    { "equality on a number", HEAD .. 'paragraph { "p", test("tpp", "==", 4800) }\n', ":2: comparator '==' for tpp" },
    { "misspelt field", HEAD .. 'paragraph { "p", eccm = "X", test("tpp", ">=", 1) }\n',
      ":2: paragraph 'p': unknown field 'eccm'; did you mean 'eccn'%?" },
    { "bad status", 'version { id = "x", status = "in-force" }\n',
      ":1: version: status 'in%-force' unknown; did you mean 'in force'%?" },
    { "bad date", 'version { id = "x", dates = { effective = "17/11/2023" } }\n',
      "dates.effective = 17/11/2023; write dates as" },
    { "no tests", HEAD .. 'paragraph { "p", eccn = "X" }\n', ":2: paragraph 'p' has no tests" },
    { "note target",
      HEAD .. 'paragraph { "p", test("tpp", ">=", 1) }\nnote { "n", targets = { "q" }, test("datacenter", "==", false) }\n',
      ":3: note 'n' targets 'q', which no paragraph has" },
    { "precedence", HEAD .. 'paragraph { "p", eccn = "X", test("tpp", ">=", 1) }\nprecedence { "Y" }\n',
      ":3: precedence names 'Y'" },
    { "unknown extends", 'version { id = "x", extends = "us-2023-1" }\n',
      ":1: extends 'us%-2023%-1': tpp.rules: no rule version 'us%-2023%-1'; did you mean 'us%-2023%-10'%?" },
  }
  for _, c in ipairs(cases) do
    it(c[1], function()
      local v, err, path = load_text(c[2])
      assert.is_nil(v)
      assert.truthy(err:find(path, 1, true), "message names the file: " .. err)
      assert.truthy(err:find(c[3]), "message: " .. err)
      if c[4] then assert.truthy(err:find(c[4], 1, true), "message: " .. err) end
    end)
  end
end)

describe("the sandbox", function()
  -- small limits keep the endless-loop cases quick on every interpreter
  local saved
  setup(function()
    saved = { sandbox.LIMITS.instructions, sandbox.LIMITS.memory_kb }
    sandbox.LIMITS.instructions, sandbox.LIMITS.memory_kb = 2e5, 16 * 1024
  end)
  teardown(function()
    sandbox.LIMITS.instructions, sandbox.LIMITS.memory_kb = saved[1], saved[2]
  end)

  local escapes = {
    { "os", 'os.execute("touch /tmp/tpp-escaped")', "'os' is not available in a rule file" },
    { "io", 'io.open("/etc/passwd")', "'io' is not available in a rule file" },
    { "require", 'require("os")', "'require' is not available" },
    { "load", 'load("return 1")', "'load' is not available" },
    { "loadstring", 'loadstring("return 1")', "'loadstring' is not available" },
    { "dofile", 'dofile("/etc/passwd")', "'dofile' is not available" },
    { "debug", 'debug.sethook()', "'debug' is not available" },
    { "getmetatable", 'getmetatable("").__index = {}', "'getmetatable' is not available" },
    { "setmetatable", 'setmetatable({}, { __gc = function() end })', "'setmetatable' is not available" },
    { "string.dump via a method", 'local s = ("").dump(function() end)', "string.dump is not available" },
    { "string.dump", 'string.dump(function() end)', "string.dump is not available" },
    { "pattern matching", 'local s = ("aaaa"):find("a-a-a-b")', "string.find is not available" },
    { "coroutines", 'coroutine.wrap(function() end)()', "'coroutine' is not available" },
    { "pcall", 'pcall(error, "x")', "'pcall' is not available" },
    { "_G", '_G.os = 1', "'_G' is not available" },
    { "endless loop", 'while true do end', "rule code stopped after" },
    { "memory", 'local t = {} for i = 1, 1e8 do t[i] = ("x"):rep(100000) .. i end', "rule code stopped: it holds" },
    { "huge string.rep", 'local s = ("x"):rep(1e9)', "string.rep would build" },
  }
  for _, e in ipairs(escapes) do
    it("stops " .. e[1] .. " with an error, not a crash", function()
      local v, err = load_text(HEAD .. e[2] .. '\nparagraph { "p", test("tpp", ">=", 1) }\n')
      assert.is_nil(v)
      assert.truthy(err:find(e[3], 1, true), err)
    end)
  end

  it("leaves the host's string methods and hooks as they were", function()
    load_text(HEAD .. 'while true do end\n')
    assert.equal(2, ("abc"):find("c") - 1)
    assert.is_function(string.dump)
    assert.is_nil(debug.gethook())
  end)

  it("refuses precompiled bytecode", function()
    local path = require("support").tmpname("_rule.lua")
    local f = assert(io.open(path, "wb"))
    f:write(string.dump(function() return 1 end))
    f:close()
    local ok, err = pcall(rules.load, path)
    os.remove(path)
    assert.is_false(ok)
    assert.matches("bytecode", err)
  end)

  it("runs check() escape-hatch functions under the same limits", function()
    local v = assert(load_text(HEAD .. [[
paragraph { "slow", check("forever", function(chip) while true do end end, "never returns") }
]]))
    local ok, err = pcall(rules.classify, "H20", { rules = v })
    assert.is_false(ok)
    assert.matches("check 'forever'", err)
    assert.matches("rule code stopped after", err)
  end)

  it("a check() sees a copy of the chip and answers true/false/nil", function()
    local v = assert(load_text(HEAD .. [[
paragraph { "hbm-and-big", eccn = "HB",
  check("has-hbm", function(chip) chip.name = "changed"; return chip.hbm end, "the package has HBM"),
  test("tpp", ">=", 10000) }
]]))
    local r = rules.classify("H100", { rules = v })
    assert.equal("HB", r.eccn)
    assert.equal("NVIDIA H100 SXM5 80GB", tpp.chip("H100").data.name)
    assert.equal("undetermined", rules.classify({ id = "x", dense = { fp8 = 2000 } }, { rules = v }).status)
  end)

  it("has limits that can be read", function()
    assert.is_number(sandbox.LIMITS.instructions)
    assert.is_number(sandbox.LIMITS.memory_kb)
  end)
end)
