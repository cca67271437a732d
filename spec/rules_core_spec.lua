-- The rule-program and SHA-256 functions of the core binding (C API or FFI):
-- same results and messages on every interpreter.
local core = require "tpp.backend"

local function us_2023_10_spec()
  -- columns: tpp, pd, datacenter; clauses a.1, a.2, b.1, b.2; Note 2; NAC
  return {
    columns = 3, near = 0.05,
    inputs = { { a = 1 }, { a = 2 }, { a = 3 } },
    tests = {
      { input = 1, op = ">=", threshold = 4800 },
      { input = 1, op = ">=", threshold = 1600 }, { input = 2, op = ">=", threshold = 5.92 },
      { input = 1, op = ">=", threshold = 2400 }, { input = 1, op = "<", threshold = 4800 },
      { input = 2, op = ">=", threshold = 1.6 }, { input = 2, op = "<", threshold = 5.92 },
      { input = 1, op = ">=", threshold = 1600 }, { input = 2, op = ">=", threshold = 3.2 },
      { input = 2, op = "<", threshold = 5.92 },
      { input = 3, op = "==", threshold = 0 }, { input = 1, op = "<", threshold = 4800 },
      { input = 3, op = "==", threshold = 0 },
    },
    clauses = {
      { first = 1, n = 1, outcome = 0 }, { first = 2, n = 2, outcome = 0 },
      { first = 4, n = 4, outcome = 1 }, { first = 8, n = 3, outcome = 1 },
    },
    notes = {
      { first = 11, n = 2, kind = "exclude", targets = { 1, 2, 3, 4 } },
      { first = 13, n = 1, kind = "outcome", outcome = 1, targets = { 1, 2 } },
    },
  }
end

describe("core.sha256", function()
  it("matches the FIPS 180-4 examples", function()
    assert.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", core.sha256(""))
    assert.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", core.sha256("abc"))
    assert.equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
      core.sha256(("a"):rep(1000000)))
  end)
  it("hashes bytes, including NUL", function()
    assert.are_not.equal(core.sha256("a\0b"), core.sha256("a"))
    assert.equal(64, #core.sha256("a\0b"))
  end)
end)

describe("core.rule_compile / rule_eval_one", function()
  local prog = core.rule_compile(us_2023_10_spec())

  it("classifies the H20 as outside 3A090, 32 below the 2,400 line", function()
    local d = core.rule_eval_one(prog, { 2368, 2368 / 814, 1 })
    assert.equal(0, d.status)
    assert.is_nil(d.governing)
    assert.equal(-1, d.outcome)
    assert.equal(0, d.tests[4].state)
    assert.equal(-32, d.tests[4].margin)
    assert.near(2368 / 2400, d.tests[4].ratio, 1e-15)
    assert.is_true(d.near)
    assert.equal(0, d.clauses[4].state) -- not 3A090.b.2
  end)

  it("governs by precedence and rewrites the outcome for non-datacenter items", function()
    local d = core.rule_eval_one(prog, { 5284.8, 8.685, 0 })
    assert.equal(1, d.status)
    assert.equal(1, d.governing)
    assert.equal(1, d.outcome)
    assert.equal(1, d.clauses[2].state)
  end)

  it("missing inputs make the result undetermined, not free", function()
    local d = core.rule_eval_one(prog, { 3000, nil, 1 })
    assert.equal(2, d.status)
    assert.equal(-2, d.outcome)
    assert.equal(2, d.clauses[2].state)
  end)

  it("refuses malformed programs with the field named", function()
    local spec = us_2023_10_spec()
    spec.tests[3].op = "=>"
    assert.has_error(function() core.rule_compile(spec) end,
      "tpp: rule program: tests[3].op: got =>, expected one of '>=', '>', '<=', '<', '=='")
    spec = us_2023_10_spec()
    spec.inputs[2].a = 5
    assert.has_error(function() core.rule_compile(spec) end,
      "tpp: rule program: inputs[2].a: got 5, expected an integer 1..3")
    spec = us_2023_10_spec()
    spec.notes[1].targets = { 9 }
    assert.has_error(function() core.rule_compile(spec) end,
      "tpp: rule program: notes[1].targets[1]: clause index 1..4 expected")
    spec = us_2023_10_spec()
    spec.tests[1].threshold = 0 / 0
    assert.has_error(function() core.rule_compile(spec) end, "tpp: test 0: threshold must be a finite number")
  end)
end)

describe("core.rule_eval over a batch", function()
  it("agrees with rule_eval_one row by row", function()
    local prog = core.rule_compile(us_2023_10_spec())
    local n = 3000
    local b = core.batch_new(n)
    b:randomize("tpp", 500, 20000, 11, 0.05)
    b:randomize("pd", 0.5, 30, 12, 0.05)
    core.random_flags(b, "dc", 0.7, 13, 0.05)
    core.rule_eval(prog, b, { "tpp", "pd", "dc" }, "r_", { "a1", "a2", "b1", "b2" }, 2)
    local bad = 0
    for i = 1, n do
      local d = core.rule_eval_one(prog, { b:get("tpp", i), b:get("pd", i), b:get("dc", i) })
      if d.status ~= b:get("r_status", i) or (d.governing and d.governing - 1 or nil) ~= b:get("r_governing", i)
        or (d.outcome >= 0 and d.outcome or nil) ~= b:get("r_outcome", i)
        or (d.near and 1 or 0) ~= b:get("r_near", i) then
        bad = bad + 1
      end
      local st = d.clauses[2].state
      if st == 2 then st = nil end
      if st ~= b:get("a2", i) then bad = bad + 1 end
    end
    assert.equal(0, bad)
    b:free()
  end)

  it("names a wrong column count", function()
    local prog = core.rule_compile(us_2023_10_spec())
    local b = core.batch_new(2)
    assert.has_error(function() core.rule_eval(prog, b, { "tpp" }, "r_") end,
      "tpp: rule_eval: 1 column names for a program of 3 columns")
  end)
end)
