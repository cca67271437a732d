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
