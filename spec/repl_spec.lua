-- The REPL's pieces: input compilation, evaluation, printing, completion.
local repl = require "tpp.repl"
local pretty = require "tpp.pretty"

local function env()
  return setmetatable({ tpp = require "tpp" }, { __index = _G })
end

describe("tpp.repl", function()
  it("evaluates expressions and prints them prettily", function()
    local e = env()
    assert.equal("3", (repl.eval("1 + 2", e)))
    assert.equal('2368\t"fp16"', ((repl.eval("tpp.chip('H20'):tpp()", e)):gsub("%.0\t", "\t")))
  end)

  it("keeps variables across inputs without touching _G", function()
    local e = env()
    assert.equal("", (repl.eval("x = 41", e)))
    assert.equal("42", (repl.eval("x + 1", e)))
    assert.is_nil(rawget(_G, "x"))
  end)

  it("asks for more input when a statement is unfinished", function()
    local fn, err = repl.compile_input("for i = 1, 2 do", env())
    assert.is_nil(fn)
    assert.equal("incomplete", err)
  end)

  it("reports errors without dying", function()
    local text, err = repl.eval("tpp.chip('nope')", env())
    assert.is_nil(text)
    assert.matches("no chip named 'nope'", err)
    text, err = repl.eval("1 +* 2", env())
    assert.is_nil(text)
    assert.matches("unexpected symbol", err)
  end)

  it("completes fields, and only methods after ':'", function()
    local e = env()
    repl.eval("c = tpp.chip 'H20'", e)
    assert.same({ "tpp.chip", "tpp.chips" }, repl.complete("tpp.chi", e))
    local m = repl.complete("c:me", e)
    assert.same({ "c:metrics" }, m)
    assert.is_true(#repl.complete("c.na", e) >= 1)
  end)
end)

describe("tpp.pretty", function()
  it("sorts keys, quotes only what needs it, and inlines short tables", function()
    assert.equal('{ 1, 2, a = "x", ["b c"] = true }', pretty.format({ 1, 2, a = "x", ["b c"] = true }))
  end)

  it("marks cycles and limits depth", function()
    local t = { name = "t" }
    t.self = t
    assert.matches("<cycle: <root>>", pretty.format(t))
    local s = pretty.format({ a = { b = { c = { d = 1 } } } }, { depth = 2 })
    assert.matches("b = {...}", s, 1, true)
    assert.not_matches("d = 1", s, 1, true)
  end)

  it("prints numbers exactly and objects through __tostring", function()
    assert.equal("0.1", pretty.format(0.1))
    assert.matches("^tpp.chip nv_h20", pretty.format(require("tpp").chip("H20")))
  end)
end)
