-- tpp.chart and `tpp chart`: the charts as SVG (and PNG).
-- Golden facts: the 3A090.a/.b boxes of 88 FR 73458 (TPP 4,800; 1,600 with
-- PD 5.92; 2,400-4,800 with PD 1.6-5.92; 1,600 with PD 3.2-5.92), H20
-- 2,368 / 2.91, A100/A800 4,992 / 6.04, H100/H800/H200 15,831.2 / 19.45.
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
    for _, label in ipairs({ "TPP 1,600", "TPP 2,400", "TPP 4,800", "PD 1.6", "PD 3.2", "PD 5.92",
      "100 mm²", "400 mm²", "800 mm²", "1,600 mm²" }) do
      assert.matches(">" .. label .. "<", doc, 1, true)
    end
    assert.matches("stroke-dasharray:6 4", doc, 1, true)
  end)

  it("draws the lines of the chosen version only: no 2026 review line under us-2023-10", function()
    assert.is_nil(doc:find("21,000", 1, true))
    assert.is_nil(doc:find('class="guide-2026"', 1, true))
    local s = chart.map { rules = "us-2026-01-h200", as_of = AS_OF }
    assert.matches('<line class="guide%-2026"', s)
    assert.matches(">TPP 21,000<", s, 1, true)
    assert.matches("DRAM bandwidth &lt; 6,500 GB/s", s, 1, true)
    -- a review policy is a line, not a region or a classification threshold
    assert.is_nil(s:find('data-clause="742.6', 1, true))
    assert.is_nil(s:find('<line class="guide" [^>]*>%s*<title>TPP 21,000</title>'))
  end)

  it("reads its lines from the rule file: a what-if version moves them", function()
    local rules = require "tpp.rules"
    local v = rules.whatif("us-2023-10", { ["3A090.a.1.tpp"] = 4000, ["3A090.b.1.tpp.hi"] = 4000 })
    local dc = v:boxes("tpp", "pd", { datacenter = true })
    local s = chart.map { as_of = AS_OF, boxes = { dc, dc, { id = v.id, status = "what-if" } } }
    assert.matches(">TPP 4,000<", s, 1, true)
    assert.is_nil(s:find(">TPP 4,800<", 1, true))
    assert.same({ 1600, 2400, 4000 }, chart.edges(dc, "x"))
    assert.same({ 1.6, 3.2, 5.92 }, chart.edges(dc, "y"))
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
    assert.matches("Rule version us-2023-10 (in force on " .. AS_OF, doc, 1, true)
    assert.matches("Not legal advice", doc, 1, true)
    local desc = doc:match("<desc>(.-)</desc>")
    assert.matches("us%-2023%-10", desc)
    assert.matches(AS_OF, desc, 1, true)
    assert.matches("88 FR 73458", desc, 1, true)
    -- footers name rule files and citations, never code
    assert.is_nil(doc:find("boxes(", 1, true))
    assert.is_nil(doc:find("v:", 1, true))
    assert.matches("regions and lines computed from the rule file tpp/rules/us_2023_10.lua", doc, 1, true)
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
    assert.matches('class="highlight', s, 1, true)
    assert.matches("My NPU: TPP 3,200", s, 1, true)
    assert.is_true(svg.check_xml(s))
    -- the star is centred on the H20's own marker (a diamond): both paths start at their top
    -- point, straight above the centre
    local g = s:match('<g[^>]-id="pt%-nvh20"[^>]*>.-</g>')
    local mx, my = g:match('<path class="pt[^"]*" d="M([%d.]+) ([%d.]+)')
    local sx, sy = s:match('<path class="highlight[^"]*" d="M([%d.]+) ([%d.]+)[^"]*" data%-star="pt%-nvh20"')
    assert.truthy(mx and sx, "a diamond and a star")
    assert.near(tonumber(mx), tonumber(sx), 0.02)
    assert.is_true(tonumber(sy) < tonumber(my)) -- the star is the bigger of the two
  end)

  it("places a chip where its figures put it, whatever else is drawn", function()
    local function pos(text, id)
      local g = text:match('<g[^>]-id="pt%-' .. id .. '"[^>]*>.-</g>')
      return g and g:match('<title>.-</title>%s*<(.-)/>')
    end
    local alone = chart.map { rules = "us-2023-10", as_of = AS_OF, chips = { "H20" } }
    local crowd = chart.map { rules = "us-2023-10", as_of = AS_OF }
    assert.equal(pos(alone, "nvh20"), pos(crowd, "nvh20"))
  end)

  it("stays legible with 120 chips: no two labels overlap, the rest are numbered and listed", function()
    local list = require("fixtures.synthetic_chips").list(120)
    local s, inf = chart.map { rules = "us-2023-10", as_of = AS_OF, chips = list }
    assert.is_true(svg.check_xml(s))
    local boxes = {}
    for x0, y0, text in s:gmatch('<text class="ptlabel[^"]*" font%-size="[%d.]+" x="([%d.]+)" y="([%d.]+)">(.-)</text>') do
      local plain = text:gsub("<[^>]+>", "")
      local w = svg.text_width(plain, 10.5)
      boxes[#boxes + 1] = { tonumber(x0), tonumber(y0) - 10, tonumber(x0) + w, tonumber(y0) + 2, plain }
    end
    assert.is_true(#boxes > 60, #boxes .. " labels")
    local overlaps = 0
    for i = 1, #boxes do
      for j = i + 1, #boxes do
        if svg.overlaps(boxes[i], boxes[j], -1.5) then overlaps = overlaps + 1 end
      end
    end
    assert.equal(0, overlaps)
    assert.is_true(#inf.numbered > 0)
    -- before a label becomes a number it drops its TPP: some labels are names alone
    local names_alone = 0
    for text in s:gmatch('<text class="ptlabel" font%-size="[%d.]+" x="[%d.]+" y="[%d.]+">([^<]+)</text>') do
      if not text:match("^%d+$") then names_alone = names_alone + 1 end
    end
    assert.is_true(names_alone > 0)
    assert.matches("Numbered points (no room for a label): 1\194\160", s, 1, true)
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
  it("the map's boxes are the rule engine's: points classify as the engine does", function()
    local rules = require "tpp.rules"
    local dc = chart.boxes("us-2023-10", AS_OF)
    for _, t in ipairs({ 1000, 1599, 1600, 2399, 2400, 4799, 4800, 20000 }) do
      for _, p in ipairs({ 0.5, 1.59, 1.6, 3.19, 3.2, 5.91, 5.92, 30 }) do
        local chip = { id = "probe", datacenter = true, dense = { int8 = t / 8 }, die_area_mm2 = t / p }
        local r = rules.classify(chip, { rules = "us-2023-10", as_of = AS_OF })
        local c = chart.classify_point(dc, t / 8 * 8, (t / 8 * 8) / (t / p))
        assert.equal(chart.class_of_result(r), c, ("TPP %s PD %s"):format(t, p))
      end
    end
  end)

  it("half-open boxes: exactly on a line is in the upper box", function()
    local b = chart.boxes("us-2023-10", AS_OF)
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
    assert.equal("GH200 Grace Hopper", chart.group_label { "GH200 Grace Hopper", "GH200 Grace Hopper" })
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
    assert.matches("^tpp chart: us%-2022%-10 has no tpp x pd regions", tostring(err))
    ok, err = pcall(cmd.run, { "map", width = "50" })
    assert.is_false(ok)
    assert.matches("%-%-width: '50'", tostring(err))
  end)

  it("writes PNG through rsvg-convert at --width, and says so when rsvg-convert is missing", function()
    local has = io.popen("command -v rsvg-convert"):read("*a") ~= ""
    if has then
      local name = os.tmpname()
      local data = cmd.run { "map", rules = "us-2023-10", ["as-of"] = AS_OF, output = name, png = true,
        width = "800", format = "table" }
      local f = assert(io.open(name, "rb"))
      local head = f:read(24)
      f:close()
      os.remove(name)
      assert.equal("\137PNG\r\n\26\n", head:sub(1, 8))
      local w = head:byte(17) * 16777216 + head:byte(18) * 65536 + head:byte(19) * 256 + head:byte(20)
      assert.equal(800, w)
      assert.equal("png", data.format)
    end
    -- without rsvg-convert on the PATH: a usage error that names the package
    local dir = require("support").tmpname("_bin")
    os.execute("mkdir -p " .. dir)
    for _, prog in ipairs({ "lua5.4", "lua5.1", "luajit", "sh", "stty" }) do
      os.execute(("p=$(command -v %s) && ln -s \"$p\" %s/%s"):format(prog, dir, prog))
    end
    local interp = require("support").interpreter()
    local p = io.popen(("PATH=%s TPP_LUA=%s bin/tpp chart map --png -o /dev/null 2>&1; echo rc=$?"):format(dir,
      interp))
    local out = p:read("*a")
    p:close()
    os.execute("rm -rf " .. dir)
    assert.matches("needs rsvg%-convert, which is not installed %(Debian package librsvg2%-bin%)", out)
    assert.matches("rc=64", out)
  end)

  it("scales an SVG to --width without changing its drawing", function()
    local data, text = cmd.run { "map", rules = "us-2023-10", ["as-of"] = AS_OF, width = "595" }
    assert.matches('width="595"', text:match("<svg [^>]+>"), 1, true)
    assert.matches('viewBox="0 0 1190 ', text, 1, true)
    assert.equal(595, data.width)
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
    assert.equal("denial", find(inf.panel_b, "nv_b200").class)
    assert.equal("none", find(inf.panel_b, "nv_h20").class)
  end)

  it("reads its numbers from the rule files, and gives the panels' outcomes different colours", function()
    local lines = chart.bandwidth_lines(AS_OF)
    local rules = require "tpp.rules"
    assert.equal(rules.get("us-2025-04-h20").thresholds["h20.dram_gbs"].value, lines.letter.dram)
    assert.equal(rules.get("us-2026-01-h200").thresholds["h200.tpp"].value, lines.review.tpp)
    assert.equal(1400, lines.letter.dram)
    assert.equal(6500, lines.review.dram)
    -- a denial (panel B) is drawn in another colour than a licence (panel A)
    local css = s:match("<style.-</style>")
    local lic = css:match("%.pt%-licence{fill:(#%x+)}")
    local den = css:match("%.pt%-denial{fill:(#%x+)}")
    assert.truthy(lic and den)
    assert.are_not.equal(lic, den)
    assert.matches('data%-class="denial"', s)
    assert.is_nil(s:find("Proclamation 11002", 1, true)) -- no number that is not in a rule file
  end)

  it("names the chips it could not place", function()
    local found = false
    for _, n in ipairs(inf.missing_a) do found = found or n == "MI308X" end
    assert.is_true(found)
    assert.matches("Not in panel A", s, 1, true)
  end)
end)

describe("tpp.chart.timeline()", function()
  local dated = {
    { id = "a", name = "Chip A", datacenter = true, dense = { int8 = 700 }, die_area_mm2 = 600,
      announced = "2023-03-21", provenance = { announced = "reported" } },
    { id = "b", name = "Chip B", datacenter = true, dense = { int8 = 290 }, die_area_mm2 = 800,
      first_shipped = "2024-06-30", provenance = { first_shipped = "vendor" } },
    { id = "c", name = "Chip C", datacenter = true, dense = { int8 = 290 }, die_area_mm2 = 800, year = 2022 },
  }
  local s, inf = chart.timeline { rules = "us-2023-10", as_of = AS_OF, chips = dated }

  it("is well-formed, deterministic, with the rule dates and the chosen version's lines", function()
    assert.is_true(svg.check_xml(s))
    assert.equal(s, (chart.timeline { rules = "us-2023-10", as_of = AS_OF, chips = dated }))
    for _, t in ipairs({ "2022-10-07", "2023-11-17", "2026-01-15", "TPP 1,600", "TPP 4,800" }) do
      assert.matches(t, s, 1, true)
    end
    assert.is_nil(s:find("TPP 21,000", 1, true)) -- us-2023-10 has no review line
  end)

  it("places a chip at its own date, never an invented one, and lists the undated", function()
    local function find(id) for _, p in ipairs(inf.plotted) do if p.id == id then return p end end end
    assert.equal("2023-03-21", find("a").date)
    assert.equal("announced", find("a").date_kind)
    assert.equal("reported", find("a").date_provenance)
    assert.equal("2024-06-30", find("b").date)
    assert.equal("first shipped", find("b").date_kind)
    assert.is_nil(find("c"))
    assert.same({ "Chip C" }, inf.missing)
    assert.matches("Not on the timeline (no announcement or first-shipment date in the chip data): Chip", s, 1, true)
    -- x is the exact day: 21 March 2023 is day 80 of the year
    assert.near(2023 + 79 / 365, chart.year_frac("2023-03-21"), 1e-12)
    assert.near(2024 + 181 / 366, chart.year_frac("2024-06-30"), 1e-12)
    -- and the point's pixel does not depend on the other chips
    local alone = chart.timeline { rules = "us-2023-10", as_of = AS_OF, chips = { dated[1] } }
    local function px(text) return text:match('id="pt%-a".-<title>.-</title>%s*<(.-)/>') end
    assert.equal(px(s), px(alone))
  end)

  it("stays legible with 120 dated chips: no two point labels overlap", function()
    local list = require("fixtures.synthetic_chips").list(120)
    local t, ti = chart.timeline { rules = "us-2023-10", as_of = AS_OF, chips = list }
    local boxes = {}
    for x0, y0, text in t:gmatch('<text class="ptlabel[^"]*" font%-size="[%d.]+" x="([%d.]+)" y="([%d.]+)">(.-)</text>') do
      boxes[#boxes + 1] = { tonumber(x0), tonumber(y0) - 10, tonumber(x0) + svg.text_width(text, 10), tonumber(y0) + 2 }
    end
    assert.is_true(#boxes > 60, #boxes .. " labels")
    for i = 1, #boxes do
      for j = i + 1, #boxes do assert.is_false(svg.overlaps(boxes[i], boxes[j], -1.5), i .. " and " .. j) end
    end
    assert.equal(#list - #ti.missing, #ti.plotted) -- every dated chip is drawn
  end)

  it("does not overlap the rule-date labels", function()
    local boxes = {}
    for x0, y0, text in s:gmatch('<text class="isolabel" x="([%d.]+)" y="([%d.]+)">(.-)</text>') do
      boxes[#boxes + 1] = { tonumber(x0), tonumber(y0) - 9, tonumber(x0) + svg.text_width(text, 9.5), tonumber(y0) + 2 }
    end
    assert.is_true(#boxes >= 6)
    for i = 1, #boxes do
      for j = i + 1, #boxes do assert.is_false(svg.overlaps(boxes[i], boxes[j], -0.5), i .. " and " .. j) end
    end
  end)
end)
