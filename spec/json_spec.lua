local json = require "tpp.json"

describe("tpp.json", function()
  it("encodes with sorted keys and shortest exact numbers", function()
    assert.equal('{"a":1,"b":[1,2.5,"x"],"c":{"d":true}}',
      json.encode({ c = { d = true }, b = { 1, 2.5, "x" }, a = 1 }))
    assert.equal("0.1", json.encode(0.1))
    assert.equal("15831.2", json.encode(15831.2))
    assert.equal("9007199254740992", json.encode(2 ^ 53)) -- integral values print as integers
    assert.equal("0.30000000000000004", json.encode(0.1 + 0.2))
  end)

  it("round-trips doubles exactly (up to 17 significant digits)", function()
    for _, v in ipairs({ 1 / 3, 2 / 3, 1e-300, 123456.789e10, 2.909090909090909, -0.5 }) do
      assert.equal(v, json.decode(json.encode(v)))
    end
  end)

  it("refuses NaN and infinity", function()
    assert.has_error(function() json.encode(0 / 0) end)
    assert.has_error(function() json.encode(math.huge) end)
  end)

  it("escapes strings", function()
    assert.equal('"a\\"b\\\\c\\n\\u0001"', json.encode('a"b\\c\n\1'))
  end)

  it("decodes objects, arrays, literals and unicode escapes", function()
    local v = json.decode('{"x": [1, -2.5e3, true, false, null], "s": "\\u00e9\\n"}')
    assert.same({ 1, -2500, true, false }, { v.x[1], v.x[2], v.x[3], v.x[4] })
    assert.equal(json.null, v.x[5])
    assert.equal("\195\169\n", v.s)
  end)

  it("reports line and column of a syntax error", function()
    local ok, err = pcall(json.decode, '{\n  "a": 1,\n  "b": ]\n}', "f.json")
    assert.is_false(ok)
    assert.matches("f.json:3:8", err)
  end)

  it("rejects trailing garbage and cycles", function()
    assert.has_error(function() json.decode("[1] x") end)
    local t = {}
    t.t = t
    assert.has_error(function() json.encode(t) end)
  end)

  it("pretty-prints with indentation", function()
    assert.equal('{\n  "a": [\n    1\n  ]\n}', json.encode({ a = { 1 } }, { indent = 2 }))
  end)
end)

describe("lists in tpp's JSON output", function()
  local cli = require "tpp.cli"

  -- Run a command line in this process; returns what it printed.
  local function run(argv)
    local out = {}
    local saved = io.stdout
    rawset(io, "stdout", { write = function(self, ...)
      for _, s in ipairs({ ... }) do out[#out + 1] = s end
      return self
    end })
    local ok, code = pcall(cli.main, argv)
    rawset(io, "stdout", saved)
    assert(ok, code)
    return table.concat(out), code
  end

  it("is an array in every output, [] when empty, never {} (checked over every command)", function()
    local kinds = {}
    local function walk(v, path)
      if type(v) ~= "table" or v == json.null then return end
      local list = getmetatable(v) == json.array_mt
      local key = path:gsub("%[%d+%]", "[]")
      kinds[key] = kinds[key] or {}
      kinds[key][list and "array" or "object"] = true
      for k, x in pairs(v) do walk(x, path .. (list and ("[" .. k .. "]") or ("." .. k))) end
    end
    for _, argv in ipairs({
      { "chips" }, { "show", "H100" }, { "show", "thead_ppu" }, { "show", "nv_rtx6000d" },
      { "classify", "--rules", "all" }, { "classify", "H20", "A800", "--dest", "China" },
      { "explain", "H20" }, { "explain", "thead_ppu" }, { "rules" }, { "rules", "us-2023-10" },
      { "rules", "us-2026-01-h200" }, { "diff", "us-2022-10", "us-2023-10" },
      { "whatif", "us-2023-10", "--set", "3A090.a.1.tpp=4000" },
      { "ledger", "spec/fixtures/ledger_small.json" }, { "ledger", "spec/fixtures/ledger_bad.csv" },
      { "chart", "map" }, { "chart", "timeline" }, { "chart", "bandwidth" }, { "infer", "H100", "thead_ppu" },
      { "compare", "H100", "H20", "thead_ppu" },
    }) do
      argv[#argv + 1] = "--json"
      local text = run(argv)
      walk(json.decode(text), argv[1])
    end
    local mixed = {}
    for key, k in pairs(kinds) do
      if k.array and k.object then mixed[#mixed + 1] = key end
    end
    table.sort(mixed)
    assert.same({}, mixed)
    assert.is_true(kinds["show.metrics.assumptions"].array) -- an empty list there once printed {}
    assert.is_nil(kinds["show.metrics.assumptions"].object)
  end)

  it("keeps the array mark through util.deepcopy and json_safe", function()
    local copy = require("tpp.util").deepcopy({ list = json.array {}, obj = {} })
    assert.equal('{"list":[],"obj":{}}', json.encode(copy))
    assert.equal('{"list":[],"obj":{}}', json.encode(require("tpp.rules.input").json_safe(copy)))
  end)
end)
