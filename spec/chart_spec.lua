-- tpp.chart and `tpp chart`: the TPP x PD threshold map as SVG.
-- Golden facts: RULES.md §4.2 (3A090.a/.b boxes), §9 (H20 2,368 / 2.91;
-- A100/A800 4,992 / 6.04; H100/H800/H200 15,832 / 19.45; RTX 4090 consumer).
local chart = require "tpp.chart"
local svg = require "tpp.svg"
local cmd = require "tpp.commands.chart"

local AS_OF = "2026-08-01"
-- The 55 chips this layout was tuned on (the database has grown since; the
-- legibility of the full set is checked where the chart code lives).
local LAYOUT_CHIPS = { "nv_a100_sxm80", "nv_a100_pcie80", "nv_a800_sxm", "nv_h100_sxm", "nv_h100_pcie", "nv_h800_sxm",
  "nv_h20", "nv_h200_sxm", "nv_b200", "nv_b300", "nv_gb300", "nv_b30a", "nv_rtx6000d", "nv_l20", "nv_l40s", "nv_l4",
  "nv_l2", "nv_rtx4090", "nv_rtx4090d", "nv_rtx5090", "nv_rtx5090d", "nv_rtx5090dv2", "amd_mi250x", "amd_mi300x",
  "amd_mi308x", "amd_mi325x", "amd_mi355x", "intel_gaudi2", "intel_gaudi3", "intel_gaudi3_cn", "goog_tpuv4",
  "goog_tpuv5e", "goog_tpuv5p", "goog_tpuv6e", "goog_tpuv7", "aws_trn1", "aws_trn2", "hw_910", "hw_910b", "hw_910c",
  "hw_950pr", "hw_950dt", "camb_mlu370x8", "camb_mlu590", "biren_br100", "biren_br104", "hygon_z100", "hygon_k100ai",
  "hygon_bw1000", "mt_s4000", "metax_c500", "iluvatar_biv100", "iluvatar_mrv100", "enflame_t21", "thead_ppu" }
local doc, info = chart.map { rules = "us-2023-10", as_of = AS_OF, chips = LAYOUT_CHIPS }

local function xmllint()
  local p = io.popen("command -v xmllint 2>/dev/null")
  local path = p and p:read("*l")
  if p then p:close() end
  return path and path ~= "" and path or nil
end

-- the <g class="point" ...> element of a chip id, as text
local function point(id, prefix)
  local want = ((prefix or "pt-") .. id):gsub("%-", "%%-")
  local s = doc:match('<g[^>]-id="' .. want .. '"[^>]*>.-</g>')
  return s
end

local function attr(s, name) return s and s:match(" " .. name:gsub("%-", "%%-") .. '="([^"]*)"') end

local function plotted(id)
  for _, p in ipairs(info.plotted) do if p.id == id then return p end end
end

describe("tpp.chart.map()", function()
  it("is well-formed XML (own checker; xmllint too when installed)", function()
    assert.is_true(svg.check_xml(doc))
    local lint = xmllint()
    if not lint then
      pending("xmllint not installed; checked with tpp.svg.check_xml only")
      return
    end
    local name = os.tmpname()
    local f = assert(io.open(name, "wb"))
    f:write(doc)
    f:close()
    local ok = os.execute(lint .. " --noout " .. name .. " 2>/dev/null")
    os.remove(name)
    assert.is_true(ok == true or ok == 0)
  end)

  it("is deterministic: same input, same bytes", function()
    local again = chart.map { rules = "us-2023-10", as_of = AS_OF, chips = LAYOUT_CHIPS }
    assert.equal(doc, again)
  end)

  it("draws the 3A090 regions from the boxes, licence regions last", function()
    local order = {}
    for clause in doc:gmatch('data%-clause="([^"]+)"') do order[#order + 1] = clause end
    assert.same({ "3A090.b.1", "3A090.b.2", "3A090.a.1", "3A090.a.2" }, { order[1], order[2], order[3], order[4] })
    assert.matches('class="region-licence" data-clause="3A090.a.1"', doc, 1, true)
    assert.matches('class="region-nac" data-clause="3A090.b.1"', doc, 1, true)
    assert.matches("<title>3A090.b.1 (3A090.b) : 2,400 &lt;= TPP &lt; 4,800 and 1.6 &lt;= PD &lt; 5.92 " ..
      "-&gt; nac-eligible</title>", doc, 1, true)
  end)

  it("has dashed, labelled guide lines and labelled die-area diagonals", function()
    for _, label in ipairs({ "TPP 1,600", "TPP 2,400", "TPP 4,800", "TPP 21,000", "PD 1.6", "PD 3.2", "PD 5.92",
      "100 mm²", "400 mm²", "800 mm²", "1,600 mm²" }) do
      assert.matches(">" .. label .. "<", doc, 1, true)
    end
    assert.matches("stroke-dasharray:6 4", doc, 1, true)
  end)

  it("has datasheet-unit tick labels (TPP/16 FP16 TFLOPS, TPP/8 8-bit TOPS)", function()
    assert.matches(">FP16 TFLOPS<", doc, 1, true)
    assert.matches(">8-bit TOPS<", doc, 1, true)
    -- TPP 1,600 sits under 100 FP16 TFLOPS and 200 8-bit TOPS
    local x1600 = tonumber(doc:match('<line class="guide" x1="([%d.]+)"[^>]*>%s*<title>TPP 1,600</title>'))
    local x100 = tonumber(doc:match('<text class="ticklabel2" text%-anchor="middle" x="([%d.]+)" y="114">100<'))
    assert.near(x1600, x100, 0.02)
  end)

  it("H20 is a point left of the 2,400 line and below PD 3.2: not controlled", function()
    local g = point("nvh20")
    assert.truthy(g)
    assert.matches("<title>NVIDIA H20 %(HGX%): TPP 2,368", g)
    assert.equal("none", attr(g, "data-class"))
    local x2400 = tonumber(doc:match('<line class="guide" x1="([%d.]+)"[^>]*>%s*<title>TPP 2,400</title>'))
    local hx = tonumber(g:match(' d="M([%d.]+) '))
    assert.is_true(hx < x2400)
    assert.is_true(tonumber(attr(g, "data-tpp")) < 2400)
    assert.is_true(tonumber(attr(g, "data-pd")) < 3.2)
  end)

  it("groups identical points into one marker with a count", function()
    local a100 = point("nva100sxm80")
    assert.equal("3", attr(a100, "data-count"))
    assert.matches("NVIDIA A800", a100)
    assert.matches(">3</text>", a100, 1, true)
    local h100 = point("nvh100sxm")
    assert.equal("3", attr(h100, "data-count"))
    assert.matches("NVIDIA H200 SXM", h100)
    assert.matches("NVIDIA H800", h100)
    assert.equal(3, plotted("nv_h800_sxm").group_size)
  end)

  it("colours by the box a chip falls in; consumer chips use the Note 2 boxes", function()
    assert.equal("licence", plotted("nv_h100_sxm").class)
    assert.equal("3A090.a.2", plotted("nv_l4").clause)       -- TPP 1,940, PD 6.59
    assert.equal("none", plotted("nv_l20").class)            -- PD 3.14 < 3.2, TPP < 2,400
    assert.equal("nac", plotted("nv_rtx4090").class)         -- not datacenter, TPP >= 4,800
    assert.equal("none", plotted("nv_rtx4090d").class)       -- not datacenter, TPP 4,707
    assert.equal("licence", plotted("amd_mi250x").class)     -- TPP 6,128 -> a.1
  end)

  it("shape by market: China-specific SKU diamond, consumer triangle, PRC square", function()
    assert.equal("china-sku", plotted("nv_h20").market)
    assert.equal("consumer", plotted("nv_rtx4090").market)
    assert.equal("prc", plotted("hw_910c").market)
    assert.equal("global", plotted("nv_b200").market)
  end)

  it("lists chips with unknown PD or TPP instead of dropping them", function()
    assert.matches("PD unknown", doc, 1, true)
    assert.matches("Gaudi\194\1603\194\160(TPP\194\16029,360)", doc, 1, true) -- kept on one line
    assert.matches("TPP unknown, not plotted", doc, 1, true)
    assert.matches("MI308X", doc, 1, true)
    local found = false
    for _, s in ipairs(info.unknown_pd) do found = found or s:find("Gaudi 3", 1, true) ~= nil end
    assert.is_true(found)
  end)

  it("has a legend, a footnote with rule version, as-of date and the disclaimer, and <desc> metadata", function()
    assert.matches("Chips: shape = market", doc, 1, true)
    assert.matches("Rule version us-2023-10", doc, 1, true)
    assert.matches("as of " .. AS_OF, doc, 1, true)
    assert.matches("not legal advice", doc, 1, true)
    local desc = doc:match("<desc>(.-)</desc>")
    assert.matches("us%-2023%-10", desc)
    assert.matches(AS_OF, desc, 1, true)
    assert.matches("H100e basis", desc)
  end)

  it("puts the crowd around TPP 4,800 in a labelled detail inset", function()
    assert.is_true(info.detail)
    assert.truthy(point("nvrtx4090", "detail-"))
    assert.matches("detail: TPP 3,800-7,000", doc, 1, true)
    assert.equal(0, info.crowded_labels)
  end)

  it("highlights a chip with a star, and draws a user's chip table", function()
    local s = chart.map { rules = "us-2023-10", as_of = AS_OF, highlight = { "H20" },
      chips = { "H20", "H100", { id = "mine", name = "My NPU", datacenter = true, dense = { int8 = 400 },
        die_area_mm2 = 300 } } }
    assert.matches('class="highlight"', s, 1, true)
    assert.matches("My NPU: TPP 3,200", s, 1, true)
    assert.is_true(svg.check_xml(s))
  end)

  it("draws given boxes (the shape of v:boxes)", function()
    local boxes = { { clause = "X.1", eccn = "3A090.a", outcome = "controlled",
      x = { lo = 1000, hi = math.huge, lo_incl = true, hi_incl = false },
      y = { lo = -math.huge, hi = math.huge, lo_incl = false, hi_incl = false } } }
    local s, inf = chart.map { as_of = AS_OF, boxes = { boxes, boxes, { id = "what-if", status = "what-if" } },
      chips = { "H20", "L4" } }
    assert.matches('data-clause="X.1"', s, 1, true)
    assert.equal("what-if", inf.rules)
    for _, p in ipairs(inf.plotted) do assert.equal("licence", p.class) end
  end)

  it("errors clearly on bad input", function()
    assert.has_error(function() chart.map { rules = "us-2023-10", as_of = "2026-02-30" } end,
      "tpp chart: --as-of: '2026-02-30': day 30 does not exist in that month")
    assert.has_error(function() chart.map { rules = "us-2023-10", as_of = AS_OF, chips = { "H2O" } } end)
  end)
end)

describe("chart boxes", function()
  it("the lines drawn are read from the rule files: a what-if moves them", function()
    local lines = chart.lines()
    local rules = require "tpp.rules"
    assert.same({ rules.get("us-2023-10").thresholds["3A090.a.2.tpp"].value,
      rules.get("us-2023-10").thresholds["3A090.b.1.tpp.lo"].value,
      rules.get("us-2023-10").thresholds["3A090.a.1.tpp"].value }, lines.tpp)
    assert.equal(rules.get("us-2026-01-h200").thresholds["h200.tpp"].value, chart.REVIEW.tpp)
    assert.equal(rules.get("us-2025-04-h20").thresholds["h20.sum_gbs"].value, chart.LETTER.sum)
    local svg_text = chart.map { rules = "us-2023-10", as_of = AS_OF }
    assert.truthy(svg_text:find("TPP " .. require("tpp.svg").label(lines.a1_tpp), 1, true))
  end)

  it("half-open boxes: exactly on a line is in the upper box", function()
    local b = require("tpp.rules").get("us-2023-10"):boxes("tpp", "pd", { datacenter = true })
    assert.equal("licence", (chart.classify_point(b, 4800, 1)))
    assert.equal("none", (chart.classify_point(b, 4799.999, 1)))
    assert.equal("nac", (chart.classify_point(b, 2400, 1.6)))
    assert.equal("none", (chart.classify_point(b, 2400, 1.5999)))
    assert.equal("licence", (chart.classify_point(b, 1600, 5.92)))
    assert.equal("nac", (chart.classify_point(b, 1600, 5.9199)))
  end)

  it("group labels are compact", function()
    assert.equal("A100 SXM/PCIe, A800", chart.group_label { "A100 SXM", "A100 PCIe", "A800" })
    assert.equal("RTX 5090D/V2", chart.group_label { "RTX 5090D", "RTX 5090D V2" })
    assert.equal("H100 SXM, H800, H200", chart.group_label { "H100 SXM", "H800", "H200" })
  end)
end)

describe("tpp chart (command)", function()
  it("prints SVG; --json-style data says what was drawn", function()
    local data, text = cmd.run { "map", rules = "us-2023-10", ["as-of"] = AS_OF }
    assert.matches("^<%?xml", text)
    assert.equal("map", data.chart)
    assert.equal("us-2023-10", data.rules)
  end)

  it("writes --output and summarises", function()
    local name = os.tmpname()
    local _, text = cmd.run { "map", rules = "us-2023-10", ["as-of"] = AS_OF, output = name }
    local f = assert(io.open(name, "rb"))
    local s = f:read("*a")
    f:close()
    os.remove(name)
    assert.equal((chart.map { rules = "us-2023-10", as_of = AS_OF }), s)   -- the whole database
    assert.matches("^wrote ", text)
  end)

  it("unknown chart kinds and rule versions without PD regions are clear errors", function()
    assert.has_error(function() cmd.run { "mpa" } end, "tpp chart: unknown chart 'mpa'; did you mean 'map'?")
    local ok, err = pcall(cmd.run, { "map", rules = "us-2022-10", ["as-of"] = AS_OF })
    assert.is_false(ok)
    assert.matches("^tpp chart: ", err)
  end)
end)

describe("tpp.chart.bandwidth()", function()
  local s, inf = chart.bandwidth { rules = "us-2023-10", as_of = AS_OF }
  local function find(list, id)
    for _, p in ipairs(list) do if p.id == id then return p end end
  end

  it("is well-formed and deterministic", function()
    assert.is_true(svg.check_xml(s))
    assert.equal(s, (chart.bandwidth { rules = "us-2023-10", as_of = AS_OF }))
  end)

  it("the letter criteria: H20 (4,000 GB/s DRAM) is caught, L20 and RTX 4090 are not", function()
    assert.equal("licence", find(inf.panel_a, "nv_h20").class)
    assert.equal("none", find(inf.panel_a, "nv_l20").class)
    assert.equal("none", find(inf.panel_a, "nv_rtx4090").class)
    assert.equal("licence", chart.letter_class(1000, 700))   -- sum 1,700
    assert.equal("none", chart.letter_class(1000, 699))
    assert.equal("licence", chart.letter_class(nil, 1100))
    assert.equal("unknown", chart.letter_class(1000, nil))
    assert.matches("reported-only", s, 1, true)
  end)

  it("the 91 FR 1684 box: H200 and MI325X case-by-case, B200 over, H20 not 3A090", function()
    assert.equal("nac", find(inf.panel_b, "nv_h200_sxm").class)
    assert.equal("nac", find(inf.panel_b, "amd_mi325x").class)
    assert.equal("licence", find(inf.panel_b, "nv_b200").class)
    assert.equal("none", find(inf.panel_b, "nv_h20").class)
    assert.matches("Proclamation 11002", s, 1, true)
  end)

  it("names the chips it could not place", function()
    local found = false
    for _, n in ipairs(inf.missing_a) do found = found or n == "MI308X" end
    assert.is_true(found)
    assert.matches("Not in panel A", s, 1, true)
  end)
end)

describe("tpp.chart.timeline()", function()
  local s, inf = chart.timeline { rules = "us-2023-10", as_of = AS_OF }

  it("is well-formed, deterministic, with the rule dates and lines", function()
    assert.is_true(svg.check_xml(s))
    assert.equal(s, (chart.timeline { rules = "us-2023-10", as_of = AS_OF }))
    for _, t in ipairs({ "2022-10-07", "2023-11-17", "2026-01-15", "TPP 1,600", "TPP 4,800", "TPP 21,000" }) do
      assert.matches(t, s, 1, true)
    end
  end)

  it("status needs PD only between the lines: unknown PD at TPP 29,360 is still licence", function()
    local function find(id) for _, p in ipairs(inf.plotted) do if p.id == id then return p end end end
    assert.equal("licence", find("intel_gaudi3").class)   -- TPP 29,360, PD unknown
    assert.equal("unknown", find("enflame_t21").class)    -- TPP 3,072, PD unknown
    assert.equal("none", find("nv_h20").class)
    assert.equal(2024, find("nv_h20").year)
  end)
end)
