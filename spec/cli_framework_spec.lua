-- The command-line framework: parsing (short flags, --, -, choices, aliases),
-- tables that fit a width, the row formats, error kinds and exit statuses,
-- help, man page and shell completion generated from the definitions.
local cli = require "tpp.cli"
local report = require "tpp.report"
local errors = require "tpp.errors"
local format = require "tpp.cli.format"
local json = require "tpp.json"
local support = require "support"
local tpp_cmd = support.tpp_cmd

local function max_width(text)
  local w = 0
  for line in text:gmatch("[^\n]*") do w = math.max(w, report.len(line)) end
  return w
end

local function kind_of(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok)
  return (errors.classify(err)), tostring(err)
end

describe("tpp.cli.parse()", function()
  local spec = { usage = "tpp x", options = {
    rules = { arg = "ID", short = "r", multi = true }, as = { arg = "DATE" },
    quick = { flag = true, short = "q" }, sort = { arg = "KEY", choices = { "tpp", "pd" } },
    old = { arg = "V", alias = "as", deprecated = true },
  } }

  it("reads short options: -j, -o FILE, -oFILE, bundles, and the global ones", function()
    local a = cli.parse({ "-jq", "-r", "a", "-rb", "-o", "out.txt", "CHIP" }, spec, "x")
    assert.is_true(a.json)
    assert.equal("json", a.format)
    assert.is_true(a.quick)
    assert.same({ "a", "b" }, a.rules)
    assert.equal("out.txt", a.output)
    assert.equal("CHIP", a[1])
    a = cli.parse({ "-f", "csv" }, spec, "x")
    assert.equal("csv", a.format)
    assert.is_false(a.json)
    assert.equal("table", cli.parse({}, spec, "x").format)
  end)

  it("ends options at --, and keeps - (standard input) as an argument", function()
    local a = cli.parse({ "-", "--", "-q", "--as" }, spec, "x")
    assert.same({ "-", "-q", "--as" }, { a[1], a[2], a[3] })
    assert.is_nil(a.quick)
  end)

  it("refuses a single-valued option given twice, an unknown value, a bad short flag", function()
    local kind, msg = kind_of(function() cli.parse({ "--as", "2024-01-01", "--as=2025-01-01" }, spec, "x") end)
    assert.equal("usage", kind)
    assert.matches("--as given twice ('2024-01-01', then '2025-01-01')", msg, 1, true)
    kind, msg = kind_of(function() cli.parse({ "--sort", "tp" }, spec, "x") end)
    assert.equal("usage", kind)
    assert.matches("--sort: 'tp' is not one of tpp, pd; did you mean 'tpp'?", msg, 1, true)
    kind, msg = kind_of(function() cli.parse({ "-z" }, spec, "x") end)
    assert.equal("usage", kind)
    assert.matches("unknown option -z", msg, 1, true)
    kind, msg = kind_of(function() cli.parse({ "-j", "--format", "csv" }, spec, "x") end)
    assert.equal("usage", kind)
    assert.matches("--json and --format csv disagree", msg, 1, true)
  end)

  it("maps a deprecated alias to its new name", function()
    local a = cli.parse({ "--old", "v" }, spec, "x")
    assert.equal("v", a.as)
    assert.is_nil(a.old)
  end)

  it("gives the strictest decision of a list of statuses", function()
    assert.equal(0, cli.decision_status({ "not-controlled", "not-controlled" }))
    assert.equal(2, cli.decision_status({ "not-controlled", "undetermined" }))
    assert.equal(1, cli.decision_status({ "undetermined", "controlled", "not-controlled" }))
    assert.equal(1, cli.decision_status({ "controlled", "undetermined" })) -- controlled wins, in any order
    assert.equal(0, cli.decision_status({}))
  end)
end)

describe("tpp.errors", function()
  it("carries a kind through a prefix and maps kinds to exit statuses", function()
    local e = errors.wrap(errors.data("tpp: row 3: bad"), "tpp x: ")
    assert.equal("tpp x: row 3: bad", tostring(e))
    assert.same({ "data", 65 }, { errors.classify(e) })
    assert.same({ "usage", 64 }, { errors.classify(errors.usage("whatever")) })
    assert.same({ "input", 66 }, { errors.classify("tpp ledger: cannot read 'x.csv': No such file or directory") })
    assert.same({ "input", 66 }, { errors.classify("tpp x: cannot read standard input") })
    assert.same({ "data", 65 }, { errors.classify("tpp classify: f.json: chip 2 (x): dense.fp9: not a precision") })
    assert.same({ "usage", 64 }, { errors.classify("tpp: no chip named 'H2O'") })
    assert.same({ "internal", 70 }, { errors.classify("lua/tpp/x.lua:3: attempt to index a nil value") })
    assert.same({ "interrupted", 130 }, { errors.classify("interrupted!") })
  end)
end)

describe("tpp.report.table()", function()
  local citation = "15 CFR 742.6(b)(10)(iii)(A)(1) and 91 FR 1684 (pp. 1684-1689; FR Doc 2026-00789, RIN 0694-AK43)"
  local rows = {
    { id = "nv_h20", name = "NVIDIA H20 (HGX) with a long descriptive name", tpp = 2368, pd = 2.909, src = citation,
      extra = "low priority" },
    { id = "nv_b200", name = "NVIDIA B200", tpp = 36000, pd = 22.5, src = "88 FR 73458", extra = "x" },
  }
  local cols = {
    { key = "id", title = "id", wrap = false },
    { key = "name", title = "name" },
    { key = "tpp", title = "TPP", align = "right", fmt = report.int },
    { key = "pd", title = "PD", align = "right", priority = 2 },
    { key = "src", title = "citation", note = true },
    { key = "extra", title = "extra", priority = 5 },
  }

  it("fits the width: notes for citations, then wrapping, then low-priority columns left out", function()
    for _, width in ipairs({ 40, 60, 80 }) do
      local info = {}
      local text = report.table(cols, rows, { width = width, info = info })
      assert.is_true(max_width(text) <= width, width .. ": " .. text)
      -- the citation is never cut: all of it is below the table, every word in order
      local flat = text:gsub("%s+", " ")
      assert.truthy(flat:find(citation, 1, true), text)
      assert.matches("%[1%]", text)
      if width < 80 then assert.equal("extra", info.dropped[1], text) end -- priority 5 goes first
    end
    local wide = report.table(cols, rows, { width = 300 })
    assert.matches("nv_h20%s+NVIDIA H20 %(HGX%) with a long descriptive name%s+2,368%s+2.909%s+15 CFR", wide)
    assert.is_nil(wide:find("left out", 1, true))
  end)

  it("keeps every word of wrapped cells and never breaks a no-wrap column", function()
    local text = report.table(cols, rows, { width = 50 })
    assert.matches("\nnv_h20 ", text)
    local flat = text:gsub("%s+", " ")
    assert.truthy(flat:find("long descriptive", 1, true) or flat:find("long", 1, true), text)
    for word in ("NVIDIA H20 (HGX) with a long descriptive name"):gmatch("%S+") do
      assert.truthy(text:find(word, 1, true), word)
    end
  end)

  it("leaves out the rightmost columns first when a table declares no priorities", function()
    local plain = { { key = "a", title = "a" }, { key = "b", title = "b" }, { key = "c", title = "c" },
                    { key = "d", title = "d" } }
    local info = {}
    report.table(plain, { { a = ("x"):rep(10), b = ("y"):rep(10), c = ("z"):rep(10), d = ("w"):rep(10) } },
      { width = 30, info = info })
    assert.same({ "d", "c" }, info.dropped)
  end)

  it("prints numbers exactly as stored, with separators", function()
    assert.equal("1,978.9", report.exact(1978.9))
    assert.equal("989.45", report.exact(15831.2 / 16))
    assert.equal("-12,032", report.exact(-12032))
    assert.equal("-", report.exact(nil))
  end)

  it("wraps text to the width, keeping the first line's indentation", function()
    local t = report.wrap("    check: " .. ("word "):rep(30), 40, "      ")
    assert.is_true(max_width(t) <= 40)
    assert.matches("^    check: word", t)
    assert.matches("\n      word", t)
  end)
end)

describe("tpp.cli.format", function()
  it("writes CSV with quoting, dotted columns for objects and joined lists", function()
    local text = format.csv({
      { id = "a", name = 'say "hi", twice', h = { tpp = 1.5 }, tags = { "x", "y" } },
      { id = "b", name = "line\nbreak", h = { tpp = 2 }, tags = json.array {} },
    })
    assert.equal('h.tpp,id,name,tags\n1.5,a,"say ""hi"", twice",x; y\n2,b,"line\nbreak",\n', text)
    assert.equal("id,h.tpp\na,1.5\n", format.csv({ { id = "a", h = { tpp = 1.5 } } }, { "id", "h.tpp" }))
  end)

  it("writes one JSON object per line", function()
    local text = format.jsonl({ { a = 1 }, { a = 2, b = json.array {} } })
    assert.equal('{"a":1}\n{"a":2,"b":[]}\n', text)
  end)
end)

describe("formats and exit statuses (bin/tpp)", function()
  it("prints csv and jsonl rows for a command that declares them", function()
    local n_huawei = #json.decode((tpp_cmd("chips -j --vendor huawei"))).chips
    assert.is_true(n_huawei >= 5)
    local out, rc = tpp_cmd("chips -f csv --vendor huawei")
    assert.equal(0, rc)
    local lines = {}
    for l in out:gmatch("[^\n]+") do lines[#lines + 1] = l end
    assert.matches("^id,name,vendor,year,datacenter,tpp,", lines[1])
    assert.equal(n_huawei + 1, #lines) -- a header, then one line per chip
    out, rc = tpp_cmd("chips -f jsonl --vendor huawei")
    assert.equal(0, rc)
    local n = 0
    for l in out:gmatch("[^\n]+") do
      n = n + 1
      assert.is_string(json.decode(l).id)
    end
    assert.equal(n_huawei, n)
  end)

  it("refuses csv for a command without rows (usage error 64)", function()
    local out, rc = tpp_cmd("show H20 -f csv")
    assert.equal(64, rc)
    assert.matches("not a list of rows", out)
  end)

  it("classify exits 1 controlled, 2 undetermined, 0 not controlled", function()
    local _, rc = tpp_cmd("classify H100 --rules us-2023-10 --as-of 2024-06-01 -j")
    assert.equal(1, rc)
    _, rc = tpp_cmd("classify H20 --rules us-2023-10 --as-of 2024-06-01 -j")
    assert.equal(0, rc)
    local out
    out, rc = tpp_cmd("classify thead_ppu --rules us-2023-10 --as-of 2024-06-01 -j")
    assert.equal("undetermined", json.decode(out).results[1].status)
    assert.equal(2, rc)
    _, rc = tpp_cmd("classify thead_ppu H20 --rules us-2023-10 --as-of 2024-06-01 -j")
    assert.equal(2, rc)
    _, rc = tpp_cmd("classify thead_ppu H100 --rules us-2023-10 --as-of 2024-06-01 -j")
    assert.equal(1, rc)
  end)

  it("exits 64 on a bad flag, 66 on a missing file, 65 on bad data", function()
    local out, rc = tpp_cmd("chips --nope")
    assert.equal(64, rc)
    assert.matches("unknown option %-%-nope", out)
    out, rc = tpp_cmd("classify -i /nonexistent/chips.json")
    assert.equal(66, rc, out)
    local bad = support.tmpname(".json")
    local f = assert(io.open(bad, "wb"))
    f:write('[{"id": "x", "dense": {"fp16": -1}}]')
    f:close()
    out, rc = tpp_cmd("classify -i " .. bad)
    assert.equal(65, rc, out)
    os.remove(bad)
  end)

  it("reads chips from standard input with -i -", function()
    local out, rc = tpp_cmd([[classify -i - --rules us-2023-10 --as-of 2024-06-01 -f jsonl < spec/fixtures/rules_chips.csv]])
    assert.equal(1, rc, out) -- H20 not controlled, L4 controlled
    local ids = {}
    for line in out:gmatch("[^\n]+") do ids[#ids + 1] = json.decode(line).chip end
    assert.same({ "nv_h20", "nv_l4" }, ids)
    local path = support.tmpname(".json")
    local f = assert(io.open(path, "wb"))
    f:write('[{"id": "mine", "datacenter": true, "dense": {"fp8": 700}, "die_area_mm2": 400}]')
    f:close()
    out, rc = tpp_cmd("classify -i - --rules us-2023-10 --as-of 2024-06-01 -f jsonl < " .. path)
    os.remove(path)
    assert.equal(1, rc, out)
    assert.equal("3A090.a", json.decode(out).eccn)
  end)

  it("writes the output to a file with -o", function()
    local path = support.tmpname(".json")
    local out, rc = tpp_cmd("show H20 -j -o " .. path)
    assert.equal(0, rc)
    assert.equal("", out)
    local f = assert(io.open(path, "rb"))
    assert.equal("nv_h20", json.decode(f:read("*a")).chip.id)
    f:close()
    os.remove(path)
  end)

  it("runs an internal error to exit 70 with a one-line message", function()
    package.preload["spec_boom_command"] = function()
      return { summary = "x", run = function() local t = nil; return t.x end }
    end
    table.insert(cli.COMMANDS, { "boom", "spec_boom_command" })
    local saved_err = io.stderr
    local captured = {}
    rawset(io, "stderr", { write = function(_, ...) for _, s in ipairs({ ... }) do captured[#captured + 1] = s end end })
    local ok, code = pcall(cli.main, { "boom" })
    rawset(io, "stderr", saved_err)
    table.remove(cli.COMMANDS)
    assert.is_true(ok)
    assert.equal(70, code)
    assert.matches("^tpp: internal error: .*attempt to index", table.concat(captured))
  end)
end)

describe("help, man page and completion", function()
  it("fits every help text in 80 columns, even on a wide terminal", function()
    local out = tpp_cmd("help", { COLUMNS = 200 })
    assert.is_true(max_width(out) <= 80, out)
    for _, name in ipairs(cli.available()) do
      local text = cli.help_text(cli.command_module(name), name)
      assert.is_true(max_width(text) <= 80, name .. ":\n" .. text)
      assert.matches("%-f, %-%-format FORMAT", text)
    end
  end)

  it("generates a man page with every command and option", function()
    local page = require("tpp.cli.man").page(cli, { date = "2026-01-01" })
    assert.matches('^%.TH TPP 1 "2026%-01%-01" "tpp %d+%.%d+%.%d+"', page)
    for _, name in ipairs(cli.available()) do
      local mod = cli.command_module(name)
      assert.truthy(page:find('.SS "' .. name .. '"', 1, true), name)
      for oname in pairs(mod.options or {}) do
        assert.truthy(page:find("\\-\\-" .. oname:gsub("%-", "\\-"), 1, true), name .. " --" .. oname)
      end
    end
    assert.matches("\n%.B 130\ninterrupted", page)
    if os.execute("command -v groff >/dev/null 2>&1") == 0 or os.execute("command -v groff >/dev/null 2>&1") == true then
      local path = support.tmpname(".1")
      local f = assert(io.open(path, "wb"))
      f:write(page)
      f:close()
      local p = io.popen("groff -man -Tutf8 -ww -z " .. path .. " 2>&1")
      local warnings = p:read("*a")
      p:close()
      os.remove(path)
      assert.equal("", warnings)
    end
  end)

  local function bash_complete(words)
    local script = support.tmpname(".bash")
    local f = assert(io.open(script, "wb"))
    f:write((tpp_cmd("completion bash")))
    local list = {}
    for w in words:gmatch("%S+") do list[#list + 1] = "'" .. w .. "'" end
    if words:sub(-1) == " " then list[#list + 1] = "''" end
    f:write(("COMP_WORDS=(%s)\nCOMP_CWORD=%d\n_tpp\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n"):format(
      table.concat(list, " "), #list - 1))
    f:close()
    local p = io.popen(("PATH=$PWD/bin:$PATH TPP_LUA=%s bash %s"):format(support.interpreter(), script))
    local out = p:read("*a")
    p:close()
    os.remove(script)
    return out
  end

  it("completes commands, options, option values and chip names in bash", function()
    assert.matches("^show\n", bash_complete("tpp sh"))
    assert.matches("%-%-sort", bash_complete("tpp chips --so"))
    assert.equal("tpp\n", bash_complete("tpp chips --sort tp"))
    assert.matches("csv\n", bash_complete("tpp classify -f c"))
    assert.matches("nv_h20\n", bash_complete("tpp show nv_h2"))
    assert.matches("timeline", bash_complete("tpp chart t"))
  end)

  it("writes a zsh script that zsh reads", function()
    local script = support.tmpname("_tpp")
    local f = assert(io.open(script, "wb"))
    local text = tpp_cmd("completion zsh")
    f:write(text)
    f:close()
    assert.matches("^#compdef tpp\n", text)
    assert.matches("'%(%-f %-%-format%)'{%-f,%-%-format}'%[", text)
    local has_zsh = io.popen("command -v zsh"):read("*a") ~= ""
    if has_zsh then
      local p = io.popen("zsh -n " .. script .. " 2>&1; echo rc=$?")
      local out = p:read("*a")
      p:close()
      assert.matches("^rc=0", out)
    end
    os.remove(script)
  end)
end)

describe("util.check_date()", function()
  local util = require "tpp.util"
  it("knows leap years and month lengths", function()
    assert.equal("2024-02-29", util.check_date("2024-02-29"))
    assert.is_nil(util.check_date("2023-02-29"))
    assert.is_nil(util.check_date("1900-02-29"))
    assert.equal("2000-02-29", util.check_date("2000-02-29"))
    assert.equal("2026-04-30", util.check_date("2026-04-30"))
    assert.is_nil(util.check_date("2026-04-31"))
    assert.is_nil(util.check_date("2026-13-01"))
    assert.is_nil(util.check_date("2026-1-01"))
  end)
end)
