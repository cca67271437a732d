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

describe("tpp.repl.run()", function()
  local support = require "support"

  local function session(text, opts)
    local path = support.tmpname(".lua")
    local f = assert(io.open(path, "wb"))
    f:write(text)
    f:close()
    local out, err = {}, {}
    local function sink(t) return { write = function(self, ...)
      for _, s in ipairs({ ... }) do t[#t + 1] = s end
      return self
    end, flush = function() end } end
    opts = opts or {}
    opts.input = assert(io.open(path, "rb"))
    opts.output, opts.errout = sink(out), sink(err)
    local code = repl.run(opts)
    opts.input:close()
    os.remove(path)
    return table.concat(out), table.concat(err), code
  end

  it("prints no banner or prompt when input is not a terminal, and errors on stderr with the line", function()
    local out, err, code = session("1 + 1\nx = 2 +\n 3\nx\ntpp.chip('H2O')\n")
    assert.equal("2\n5\n", out)
    assert.equal("tpp: line 5: tpp: no chip named 'H2O' in the database; did you mean 'h20' (nv_h20)?\n", err)
    assert.equal(64, code)
    out, err, code = session("error('boom')\n1\n")
    assert.equal("1\n", out)
    assert.matches("^tpp: line 1: [%w:]*%s?boom\n$", err)
    assert.equal(65, code) -- an error in the user's own code
    assert.equal(0, select(3, session("1\n")))
  end)

  it("summarizes: a classification as its table, a chip as a card; :full and :json give everything", function()
    local out = session('r = tpp.rules.classify("H100", {rules = "us-2023-10", as_of = "2024-06-01"})\n')
    assert.equal("", out) -- an assignment prints nothing
    out = session('tpp.rules.classify("H100", {rules = "us-2023-10", as_of = "2024-06-01"})\n')
    assert.matches("^Rules us%-2023%-10 %(in force on 2024%-06%-01%)", out)
    assert.matches("nv_h100_sxm%s+controlled%s+3A090.a", out)
    local lines = select(2, out:gsub("\n", ""))
    assert.is_true(lines < 40, out)
    out = session('tpp.rules.classify("H100", {rules = "us-2023-10", as_of = "2024-06-01"})\n:json\n')
    local json_text = out:match("\n(%{\n.*)$")
    assert.equal("nv_h100_sxm", require("tpp.json").decode(json_text).chip)
    out = session('tpp.chip "H20"\n')
    assert.matches("^NVIDIA H20 %(HGX%) %(nv_h20%): NVIDIA, 2024, datacenter\n  TPP 2,368 ", out)
    out = session('{ a = { b = { c = { d = "deep" } } } }\n:full\n')
    assert.matches("b = {...}", out, 1, true)
    assert.matches("%(:full shows all of it%)", out)
    assert.matches('d = "deep"', out)
  end)

  it("writes the history after every line", function()
    local hist = support.tmpname(".hist")
    session("1 + 1\n:help\n2 + 2\n", { interactive = true, plain = true, history = hist })
    local f = assert(io.open(hist, "rb"))
    assert.equal("1 + 1\n:help\n2 + 2\n", f:read("*a"))
    f:close()
    os.remove(hist)
  end)
end)

describe("the REPL in a terminal (script(1) gives it a pty)", function()
  local support = require "support"
  local has_script = io.popen("command -v script"):read("*a") ~= ""

  -- Type into bin/tpp as a person would: each step waits until a text has
  -- appeared n times on the screen (up to 20 s), then types keys; \3 is
  -- Ctrl-C, \4 is Ctrl-D.
  local function drive(steps, env_vars)
    local dir = support.tmpname("_pty")
    assert(os.execute("mkdir -p " .. dir .. " && mkfifo " .. dir .. "/in"))
    local sh = { "cd " .. os.getenv("PWD"), "exec 3<>" .. dir .. "/in",
      ("HOME=%s TPP_LUA=%s %s script -qfec bin/tpp /dev/null <%s/in >%s/out 2>&1 &"):format(
        dir, support.interpreter(), env_vars or "", dir, dir),
      "pid=$!",
      "esc=$(printf '\\033')",
      "seen() { [ \"$(tr -d '\\r' <" .. dir .. "/out | sed \"s/${esc}\\[[0-9;?]*[a-zA-Z]//g\" | " ..
        "grep -c -- \"$1\")\" -ge \"$2\" ]; }",
      "wait_for() { i=0; while ! seen \"$1\" \"$2\"; do sleep 0.1; i=$((i+1)); " ..
        "if [ $i -gt 200 ]; then echo \"TIMEOUT waiting for $1 x $2\" >>" .. dir .. "/out; return 1; fi; done; }",
      "finish() { printf '\\004' >&3; sleep 0.5; kill $pid 2>/dev/null; wait $pid; echo $? >" .. dir .. "/rc; exit; }" }
    for _, s in ipairs(steps) do
      sh[#sh + 1] = ("wait_for %q %d || finish"):format(s[1], s[2])
      -- keys as printf octal escapes in single quotes (no shell quoting surprises)
      sh[#sh + 1] = ("printf '%s' >&3"):format((s[3]:gsub("[^%w %.,=+<>()]", function(c)
        return ("\\%03o"):format(c:byte())
      end)))
    end
    sh[#sh + 1] = "wait $pid; echo $? >" .. dir .. "/rc"
    local script = dir .. "/drive.sh"
    local f = assert(io.open(script, "wb"))
    f:write(table.concat(sh, "\n"), "\n")
    f:close()
    os.execute("sh " .. script)
    local function read(name)
      local h = io.open(dir .. "/" .. name, "rb")
      local s = h and h:read("*a") or ""
      if h then h:close() end
      return s
    end
    local out, rc, hist = read("out"), read("rc"), read(".tpp_history")
    os.execute("rm -rf " .. dir)
    return (out:gsub("\27%[[%d;?]*%a", ""):gsub("\r", "")), tonumber(rc), hist
  end

  local steps = {
    { "tpp> ", 1, "half a line" }, { "half a line", 1, "\3" },      -- Ctrl-C drops the line
    { "tpp> ", 2, "10 + 32\n" }, { "^42$", 1, "for i = 1, 2 do\n" },
    { ">> ", 1, "\3" },                                              -- and an unfinished statement
    { "tpp> ", 4, "x = 0; while true do x = x + 1 end\n" },
    { "x = 0; while", 1, "\3" },                                     -- and a running loop
    { "interrupted", 1, "x > 0\n" }, { "^true$", 1, "\4" },         -- the session goes on; Ctrl-D leaves
    { "tpp> ", 6, "" },
  }

  for _, mode in ipairs({ { "with lua-readline", "" }, { "without readline", "TPP_NO_READLINE=1" } }) do
    it("Ctrl-C cancels the line or the running code and keeps the session, " .. mode[1], function()
      if not has_script then pending("script(1) is not installed") return end
      local out, rc, hist = drive(steps, mode[2])
      assert.is_nil(out:find("TIMEOUT", 1, true), out)
      assert.equal(0, rc, out)
      assert.matches("%(interrupted%)", out)
      assert.matches("\ntrue\n", out)
      assert.equal("10 + 32\nfor i = 1, 2 do\nx = 0; while true do x = x + 1 end\nx > 0\n", hist)
    end)
  end
end)
