-- tpp report: the self-contained HTML page, checked as text and in a real browser
-- (headless Chromium: no console message, key numbers in the DOM, a screenshot and a PDF).
local tpp = require "tpp"
local report = require "tpp.html.report"
local support = require "support"
local browser = require "browser"

local AS_OF = "2025-07-15"
local DESTS = { "China", "Iran", "Germany" }

local function build(opts)
  opts.as_of = opts.as_of or AS_OF
  return report.build(opts)
end

local function write(text, suffix)
  local path = support.tmpname(suffix or ".html")
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path
end

local page, data = build { chips = { "H20" }, destinations = DESTS }
local h20 = data.chips[1]

describe("tpp report (the page)", function()
  it("states the H20's metrics from the database", function()
    local m = tpp.chip("H20"):metrics()
    assert.equal(m.tpp, h20.metrics.tpp)
    assert.truthy(page:find("2,368 (set by fp16)", 1, true))
    assert.truthy(page:find(require("tpp.util").fmt(m.pd, 2), 1, true))
  end)

  it("gives the screening decision per destination, as tpp.screen does, with what decided it", function()
    local want = { China = "licence-required", Iran = "prohibited", Germany = "no-licence-required" }
    assert.equal(3, #h20.screening)
    for _, r in ipairs(h20.screening) do
      assert.equal(want[r.destination.name], r.decision, r.destination.name)
    end
    -- the table's "decided by" names the April 2025 letter for China and part 746 for Iran
    assert.truthy(page:find('data%-label="decided by">us%-2025%-04%-h20<'))
    assert.truthy(page:find('data%-label="decided by">us%-ear%-746%.7<'))
    -- nothing decides "no licence required": the cell stays empty rather than naming a regime
    assert.truthy(page:find('data%-label="decided by"></td>'))
  end)

  it("names the unscreened inputs, and screens the parties when they are given", function()
    assert.truthy(page:find("not given", 1, true))
    local _, d2 = build { chips = { "H20" }, destinations = { "Germany" }, end_user = "Huawei" }
    local r = d2.chips[1].screening[1]
    assert.equal("licence-required", r.decision)
    local by_entity = false
    for _, g in ipairs(r.regimes) do by_entity = by_entity or (g.id == "us-ear-entity-list" and g.decides) end
    assert.is_true(by_entity)
  end)

  it("draws the classification over time: the letter's licence period from 2025-04-09", function()
    local lanes = h20.history_lanes
    assert.equal("ECCN 3A090", lanes[1].title)
    assert.equal("2022-10-07", lanes[1].periods[1].from)
    assert.equal("not-controlled", lanes[1].periods[1].class)
    local letter
    for _, p in ipairs(lanes[2].periods) do if p.from == "2025-04-09" then letter = p end end
    assert.is_not_nil(letter)
    assert.equal("licence-required", letter.class)
    -- the 2023 notice did not reach the H20 (its TPP is under the notice's line)
    assert.equal("2023-10-23", lanes[2].periods[1].from)
    assert.equal("does-not-apply", lanes[2].periods[1].class)
    assert.equal("2023-11-17", lanes[2].periods[1].to)
  end)

  it("compares serving with the H100 using tpp.serve's own figures", function()
    for _, w in ipairs(h20.inference) do
      local a = tpp.serve.evaluate { chip = "H20", model = w.model, chips = w.chips, scenario = w.scenario }
      local b = tpp.serve.evaluate { chip = "H100", model = w.model, chips = w.chips, scenario = w.scenario }
      local field = ({ decode = "per_chip_output_tokens_per_s", prefill = "per_chip_prefill_tokens_per_s",
                       latency = "user_tokens_per_s" })[w.key]
      assert.near(a[field] / b[field], w.ratio, 1e-12 * w.ratio)
      assert.near(a[field .. "_low"] / b[field], w.ratio_low, 1e-12 * w.ratio)
    end
    -- the paradox the page is about: one user decodes faster on the H20, the TPP is far below
    local lat
    for _, w in ipairs(h20.inference) do if w.key == "latency" then lat = w end end
    assert.is_true(lat.ratio > 1)
    assert.is_true(h20.metrics.tpp / tpp.chip("H100"):metrics().tpp < 0.2)
  end)

  it("numbers each figure's source and lists it", function()
    local fp8
    for _, fig in ipairs(h20.figures) do if fig.key == "dense.fp8" then fp8 = fig end end
    local src = require("tpp.chips.sources")
    local want = src.line(src.get(tpp.chip("H20").data.cite["dense.fp8"]))
    assert.equal(want, h20.sources[fp8.source])
    assert.truthy(page:find('id="src-nv_h20-' .. fp8.source .. '"', 1, true))
  end)

  it("loads nothing from outside: a CSP forbids it and no element points out", function()
    assert.truthy(page:find('http-equiv="Content-Security-Policy"', 1, true))
    assert.truthy(page:find("default-src &#39;none&#39;", 1, true))
    for attr, url in page:gmatch('(%a+)="([^"]*)"') do
      if attr == "src" or attr == "href" then
        assert.truthy(url:sub(1, 1) == "#", attr .. "=" .. url)
      end
    end
  end)

  it("carries the disclaimer, the tpp version and every rule file's hash", function()
    assert.truthy(page:find(tpp.DISCLAIMER, 1, true))
    assert.truthy(page:find("tpp " .. tpp._VERSION, 1, true))
    for _, v in ipairs(tpp.rules.list()) do assert.truthy(page:find(v.hash, 1, true), v.id) end
  end)

  it("is the same bytes for the same inputs, and moves with the date", function()
    assert.equal(page, (build { chips = { "H20" }, destinations = DESTS }))
    local later = build { chips = { "H20" }, destinations = DESTS, as_of = "2025-07-16" }
    assert.are_not.equal(page, later)
  end)

  it("keeps an unknown figure unknown (a chip without a die area)", function()
    local mine = { id = "my_npu", name = "My NPU", datacenter = true, dense = { fp8 = 300 },
      memory = { bandwidth_gbs = 3000 } }
    local p2, d2 = build { chips = { mine }, destinations = { "China" } }
    assert.is_nil(d2.chips[1].metrics.pd)
    assert.truthy(p2:find("unknown:", 1, true))
    assert.equal("undetermined", d2.chips[1].classification.status)
  end)
end)

describe("tpp report (the command)", function()
  it("writes the page to -o FILE and refuses a bad chip or country with exit 64", function()
    local out = support.tmpname(".html")
    local text, rc = support.tpp_cmd("report H20 --to China --as-of 2025-07-15 -o " .. out)
    assert.equal(0, rc, text)
    local f = assert(io.open(out, "rb"))
    local body = f:read("*a")
    f:close()
    os.remove(out)
    assert.truthy(body:find("^<!DOCTYPE html>"))
    assert.truthy(body:find("licence required", 1, true))
    text, rc = support.tpp_cmd("report H2O")
    assert.equal(64, rc)
    assert.matches("did you mean", text)
    text, rc = support.tpp_cmd("report H20 --to Atlantis")
    assert.equal(64, rc)
    assert.matches("Atlantis", text)
  end)
end)

-- The browser part needs Chromium (Debian package chromium, installed by the Makefile's deps).
local has_browser = browser.path() ~= nil
describe("tpp report in headless Chromium", function()
  local path
  setup(function() path = write(page) end)
  teardown(function() if path then os.remove(path) end end)

  it("finds Chromium (the Makefile installs the chromium package)", function()
    assert.is_true(has_browser, "no chromium: apt-get install chromium")
  end)

  if not has_browser then return end

  it("renders without a console message, with the key numbers in the DOM", function()
    local dom, console = browser.load(path)
    assert.same({}, console)
    assert.truthy(dom:find("2,368 (set by fp16)", 1, true))
    assert.truthy(dom:find("licence required", 1, true))
    assert.truthy(dom:find("prohibited", 1, true))
    assert.truthy(dom:find("<svg", 1, true))
  end)

  it("makes a desktop and a phone screenshot (build/test/report-*.png)", function()
    os.execute("mkdir -p build/test")
    for _, s in ipairs({ { "desktop", 1200, 2400 }, { "phone", 390, 2400 } }) do
      local png = "build/test/report-" .. s[1] .. ".png"
      os.remove(png)
      assert.same({}, browser.screenshot(path, png, s[2], s[3]))
      local f = assert(io.open(png, "rb"), png)
      local head = f:read(24)
      f:close()
      assert.equal("\137PNG", head:sub(1, 4))
      -- the IHDR width is the window's: the page did not force a wider layout
      local w = head:byte(17) * 16777216 + head:byte(18) * 65536 + head:byte(19) * 256 + head:byte(20)
      assert.equal(s[2], w)
    end
  end)

  it("prints to PDF on several pages", function()
    local pdf = support.tmpname(".pdf")
    assert.same({}, browser.pdf(path, pdf))
    local f = assert(io.open(pdf, "rb"))
    local bytes = f:read("*a")
    f:close()
    os.remove(pdf)
    assert.equal("%PDF", bytes:sub(1, 4))
    local pages = 0
    for _ in bytes:gmatch("/Type%s*/Page[^s]") do pages = pages + 1 end
    assert.is_true(pages >= 2, "pages: " .. pages)
  end)
end)
