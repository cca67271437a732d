-- tpp.svg: deterministic SVG writer.
local svg = require "tpp.svg"

describe("tpp.svg numbers", function()
  it("num(): two decimals at most, trailing zeros dropped, no -0", function()
    assert.equal("12", svg.num(12))
    assert.equal("12.5", svg.num(12.5))
    assert.equal("0.13", svg.num(0.125)) -- a binary tie rounds up on every interpreter
    assert.equal("608.5", svg.num(608.5))
    assert.equal("0", svg.num(-0.001))
    assert.equal("-1.25", svg.num(-1.25))
    assert.equal("3.142", svg.num(math.pi, 3))
    assert.has_error(function() svg.num(0 / 0) end)
    assert.has_error(function() svg.num(math.huge) end)
  end)

  it("label(): thousands separators for integers, 3 significant digits otherwise", function()
    assert.equal("4,800", svg.label(4800))
    assert.equal("200,000", svg.label(2e5))
    assert.equal("5.92", svg.label(5.92))
    assert.equal("0.1", svg.label(0.1))
    assert.equal("609", svg.label(608.5))
    assert.equal("1,235", svg.label(1234.5))
    assert.equal("2.91", svg.label(2368 / 814))
  end)
end)

describe("tpp.svg escaping", function()
  it("escapes markup characters and drops control characters", function()
    assert.equal("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;", svg.escape("a & b <c> \"d\" 'e'"))
    assert.equal("ab", svg.escape("a\1b"))
    local doc = svg.document { width = 10, height = 10, title = "R&D <x>" }
    assert.matches("<title>R&amp;D &lt;x&gt;</title>", doc:render(), 1, true)
  end)
end)

describe("tpp.svg scales", function()
  it("log scale maps decades linearly and ticks 1-2-5 per decade", function()
    local e = svg.log_scale(100, 1e5, 0, 300)
    assert.near(0, e(100), 1e-9)
    assert.near(100, e(1000), 1e-9)
    assert.near(300, e(1e5), 1e-9)
    local x = svg.log_scale(100, 2e5, 0, 330.1)
    local vals = {}
    for _, t in ipairs(x.ticks()) do vals[#vals + 1] = t.value end
    assert.same({ 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000 }, vals)
    local y = svg.log_scale(0.1, 100, 500, 0)
    vals = {}
    for _, t in ipairs(y.ticks()) do vals[#vals + 1] = t.value end
    assert.same({ 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100 }, vals)
    assert.is_true(y.ticks()[1].major)
    assert.is_false(y.ticks()[2].major)
    assert.near(10, y.invert(y(10)), 1e-9)
    assert.has_error(function() svg.log_scale(0, 10, 0, 1) end)
  end)

  it("linear scale ticks on a 1-2-5 step", function()
    local s = svg.linear_scale(0, 8000, 0, 800)
    local vals = {}
    local ticks, step = s.ticks(8)
    for _, t in ipairs(ticks) do vals[#vals + 1] = t.value end
    assert.equal(1000, step)
    assert.same({ 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000 }, vals)
    assert.near(400, s(4000), 1e-9)
  end)
end)

describe("tpp.svg documents", function()
  local function build()
    local doc = svg.document { width = 200, height = 100, title = "t", desc = "d", css = ".a{fill:red}" }
    local clip = doc:clip_rect("c", 10, 10, 180, 80)
    local g = doc:add(svg.el("g", { ["clip-path"] = clip }))
    g:add(svg.el("rect", { x = 10, y = 10, width = 50, height = 20, class = "a" }))
    g:add(svg.marker("diamond", 50, 50, 4, { class = "a" }))
    doc:add(svg.text({ x = 1, y = 2 }, { "H20 ", { "2,368", { class = "num" } } }))
    return doc:render()
  end

  it("renders well-formed XML with sorted attributes, CSS in CDATA, clipPath", function()
    local s = build()
    assert.is_true(svg.check_xml(s))
    assert.matches('<rect class="a" height="20" width="50" x="10" y="10"/>', s, 1, true)
    assert.matches("<![CDATA[", s, 1, true)
    assert.matches('<clipPath id="c">', s, 1, true)
    assert.matches('<text x="1" y="2">H20 <tspan class="num">2,368</tspan></text>', s, 1, true)
    assert.matches("<desc>d</desc>", s, 1, true)
  end)

  it("is deterministic", function()
    assert.equal(build(), build())
  end)

  it("refuses duplicate ids", function()
    local doc = svg.document { width = 1, height = 1 }
    doc:clip_rect("x", 0, 0, 1, 1)
    assert.has_error(function() doc:clip_rect("x", 0, 0, 1, 1) end, "tpp.svg: duplicate id 'x'")
  end)

  it("every marker shape draws; an unknown one is an error", function()
    for _, shape in ipairs({ "circle", "square", "diamond", "triangle", "triangle-down", "star" }) do
      local e = svg.marker(shape, 10, 10, 5, { class = "p" })
      assert.equal("p", e.attrs.class)
    end
    assert.has_error(function() svg.marker("hexagon", 0, 0, 1) end)
  end)
end)

describe("tpp.svg.check_xml", function()
  it("finds the usual breakages", function()
    assert.is_true(svg.check_xml('<a x="1"><b/>t &amp; u</a>'))
    assert.is_nil((svg.check_xml("<a><b></a>")))
    assert.is_nil((svg.check_xml("<a>x & y</a>")))
    assert.is_nil((svg.check_xml('<a x="1" x="2"/>')))
    assert.is_nil((svg.check_xml('<a x="1>')))
    assert.is_nil((svg.check_xml("<a/><b/>")))
    local ok, msg = svg.check_xml("<a>\n<b>\n</a>")
    assert.is_nil(ok)
    assert.matches("line 3", msg)
  end)
end)

describe("tpp.svg.text_width", function()
  it("grows with the text and the font size", function()
    assert.is_true(svg.text_width("H100 SXM", 10) > svg.text_width("H20", 10))
    assert.near(2 * svg.text_width("TPP 4,800", 10), svg.text_width("TPP 4,800", 20), 1e-9)
    assert.is_true(svg.text_width("mm²", 10) > svg.text_width("mm", 10))
  end)
end)
