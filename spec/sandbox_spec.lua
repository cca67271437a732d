-- The rule sandbox holds. Every attempt in spec/sandbox/escapes/ runs as a
-- user rule file and is refused with a clear error naming the file (or, when
-- marked "loads", is harmless and stays inside the file's own Lua state), in
-- bounded time and memory, and leaves the host state as it was: string
-- metatable, debug hook, math.random sequence, globals, package.loaded and
-- the host's heap.
--
-- An attempt file starts with comment lines:
--   -- attempt: what it tries
--   -- expect: a plain substring of the error ("a | b": either), or "loads"
--   -- phase: load (default), check or compute (the error comes when a chip
--      is classified: check() functions and computed thresholds run then)
-- Beside each attempt (copied in as rule.lua) are fixtures the extends
-- attempts name: fifo.lua (a FIFO), link.lua (a symbolic link to
-- /etc/passwd), big.lua (larger than a rule file may be), dir.lua (a folder).
local rules = require "tpp.rules"
local sandbox = require "tpp.rules.sandbox"
local core = require "tpp.backend"
local tpp = require "tpp"

-- Small budgets keep the corpus quick on every interpreter.
local LIMITS = { memory = 4 * 1048576, instructions = 1e6, seconds = 1, string_bytes = 262144,
                 file_bytes = 65536 }
local BOUND_SECONDS = 10     -- per attempt (each budget stops it within ~1 s)
local HOST_GROWTH_KB = 4096  -- the host's heap after an attempt, after a collection
local CHIPS = 40             -- chips classified in the check and compute phases

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function attempts()
  local list = {}
  local p = io.popen("ls spec/sandbox/escapes/*.lua")
  for path in p:lines() do
    local text = read(path)
    local a = { path = path, name = path:match("([^/]+)%.lua$"), text = text,
                attempt = text:match("%-%- attempt: ([^\n]+)"), phase = text:match("%-%- phase: (%w+)") or "load",
                expect = {} }
    for alt in (text:match("%-%- expect: ([^\n]+)") or ""):gmatch("[^|]+") do
      a.expect[#a.expect + 1] = alt:match("^%s*(.-)%s*$")
    end
    list[#list + 1] = a
  end
  p:close()
  return list
end

local function snapshot()
  local s = { globals = {}, loaded = {}, string_fns = {}, hook = { debug.gethook() } }
  for k, v in pairs(_G) do s.globals[k] = v end
  for k, v in pairs(package.loaded) do s.loaded[k] = v end
  s.string_mt = getmetatable("")
  s.string_index = s.string_mt.__index
  for k, v in pairs(string) do s.string_fns[k] = v end
  return s
end

local function same_table(before, now, what)
  for k, v in pairs(before) do
    assert(rawequal(now[k], v), what .. "." .. tostring(k) .. " changed")
  end
  for k in pairs(now) do assert(before[k] ~= nil, what .. "." .. tostring(k) .. " appeared") end
end

local function assert_host_unchanged(s)
  local g, l, sf = {}, {}, {}
  for k, v in pairs(_G) do g[k] = v end
  for k, v in pairs(package.loaded) do l[k] = v end
  for k, v in pairs(string) do sf[k] = v end
  same_table(s.globals, g, "_G")
  same_table(s.loaded, l, "package.loaded")
  same_table(s.string_fns, sf, "string")
  assert(rawequal(getmetatable(""), s.string_mt), "the string metatable was replaced")
  assert(rawequal(getmetatable("").__index, s.string_index), "the string metatable's __index changed")
  local hook = { debug.gethook() }
  assert(hook[1] == s.hook[1] and hook[2] == s.hook[2] and hook[3] == s.hook[3], "the debug hook changed")
end

local function matches_one(err, expect)
  for _, e in ipairs(expect) do
    if err:find(e, 1, true) then return true end
  end
  return false
end

describe("the rule sandbox", function()
  local saved, dir = {}, nil
  local chips

  setup(function()
    for k, v in pairs(LIMITS) do saved[k] = sandbox.LIMITS[k]; sandbox.LIMITS[k] = v end
    local base = os.tmpname()
    os.remove(base)
    dir = base .. "_escapes"
    assert(os.execute(("mkdir %q && mkfifo %q && ln -s /etc/passwd %q && mkdir %q"):format(dir,
      dir .. "/fifo.lua", dir .. "/link.lua", dir .. "/dir.lua")))
    write(dir .. "/big.lua", ("-- padding\n"):rep(10000))
    chips = {}
    for i, c in ipairs(tpp.chips()) do
      if i <= CHIPS then chips[#chips + 1] = c end
    end
    -- warm up: every module the attempts reach is loaded before the snapshots
    local v = rules.load("examples/rules/escape_hatch.lua")
    rules.classify("H100", { rules = v })
    rules.classify("H20", { rules = "us-prop-2025-08-rtt", as_of = "2025-09-01" })
  end)

  teardown(function()
    for k, v in pairs(saved) do sandbox.LIMITS[k] = v end
    os.execute(("rm -rf %q"):format(dir))
  end)

  local list = attempts()

  it("has an escape corpus of at least 60 attempts, each with what it tries and what it must get", function()
    assert.is_true(#list >= 60, #list .. " attempts")
    for _, a in ipairs(list) do
      assert.is_string(a.attempt, a.name)
      assert.is_true(#a.expect >= 1, a.name)
      assert.is_true(a.phase == "load" or a.phase == "check" or a.phase == "compute", a.name)
    end
  end)

  for _, a in ipairs(list) do
    it(a.name .. ": " .. (a.attempt or "?"), function()
      local path = dir .. "/rule.lua"
      write(path, a.text)
      collectgarbage("collect")
      collectgarbage("collect")
      local host_kb = collectgarbage("count")
      local before = snapshot()
      math.randomseed(4242)
      local r1 = math.random(1, 1e9)
      local r2 = math.random(1, 1e9)
      math.randomseed(4242)
      assert.equal(r1, math.random(1, 1e9))

      local t0 = core.now()
      local ok, err = pcall(rules.load, path)
      if ok and a.phase ~= "load" then
        ok, err = pcall(rules.classify_all, chips, { rules = err })
      elseif ok then
        ok, err = pcall(rules.classify, "H100", { rules = err })
      end
      local elapsed = core.now() - t0

      assert.equal(r2, math.random(1, 1e9), "the host's math.random sequence moved")
      assert_host_unchanged(before)
      assert.is_true(elapsed < BOUND_SECONDS, ("took %.1f s"):format(elapsed))
      local usage = sandbox.last and sandbox.last:usage()
      assert.is_true(usage ~= nil and usage.memory_peak <= LIMITS.memory, "sandbox memory within its limit")
      if a.expect[1] == "loads" then
        assert.is_true(ok, tostring(err))
        assert.equal("NVIDIA H100 SXM5 80GB", tpp.chip("H100").data.name)
      else
        assert.is_false(ok, "the attempt was not refused")
        err = tostring(err)
        assert.is_true(matches_one(err, a.expect), "unexpected message: " .. err:sub(1, 500))
        assert.truthy(err:find("rule.lua", 1, true), "the message names the file: " .. err:sub(1, 500))
        assert.is_true(#err < 4000, "a message of " .. #err .. " bytes")
        assert.falsy(err:find("root:", 1, true), "a line of /etc/passwd in the message")
      end
      sandbox.last = nil
      err = nil -- luacheck: ignore 311
      collectgarbage("collect")
      collectgarbage("collect")
      assert.is_true(collectgarbage("count") - host_kb < HOST_GROWTH_KB,
        ("the host's heap grew by %.0f KB"):format(collectgarbage("count") - host_kb))
    end)
  end

  local function load_text(text)
    local path = dir .. "/rule.lua"
    write(path, text)
    return pcall(rules.load, path)
  end

  it("refuses precompiled bytecode: this interpreter's dump and LuaJIT's header", function()
    local ok, err = load_text(string.dump(function() return 1 end))
    assert.is_false(ok)
    assert.matches("bytecode", err)
    ok, err = load_text("\27LJ\2\0version { }")
    assert.is_false(ok)
    assert.matches("bytecode", err)
  end)

  it("stays on after a file fails to load: a later endless loop still stops (finding)", function()
    local hook = { debug.gethook() }
    assert.is_false((load_text("version { id = 'x' ")))          -- a syntax error
    assert.is_false((load_text("version { id = 'x' }\nerror('boom')\n"))) -- a runtime error
    assert.is_false((load_text("version { id = 'x' }\nos.exit()\n")))     -- a refused name
    local t0 = core.now()
    local ok, err = load_text("version { id = 'x' }\nwhile true do end\n")
    assert.is_false(ok)
    assert.matches("rule code stopped after", err)
    assert.is_true(core.now() - t0 < BOUND_SECONDS)
    local now = { debug.gethook() }
    assert.equal(hook[1], now[1])
    assert.equal(rawget(string, "find"), string.find)
  end)

  it("stops rule code on Ctrl-C and says 'interrupted'", function()
    core.interrupt_raise()
    local ok, err = load_text("version { id = 'x' }\nwhile true do end\n")
    core.interrupt_clear()
    assert.is_false(ok)
    assert.matches("interrupted", err)
    assert.is_true((load_text('version { id = "x" }\nparagraph { "p", test("tpp", ">=", 1) }\n')))
  end)

  it("counts the same file's instructions alike on every interpreter (within a factor of 1.5)", function()
    assert.is_true((load_text('version { id = "x" }\nlocal s = 0\nfor i = 1, 200000 do s = s + i end\n' ..
      'paragraph { "p", test("tpp", ">=", 1) }\n')))
    local steps = sandbox.last:usage().steps_total
    -- two VM instructions per iteration (add, loop) on Lua 5.1, 5.4 and LuaJIT
    assert.is_true(steps >= 3e5 and steps <= 6e5, steps .. " instructions")
  end)

  it("keeps a rule file's memory for its whole life: the limit does not reset per call", function()
    local ok, v = load_text('version { id = "x" }\nlocal keep = {}\nparagraph { "p", check("c", function(chip)\n' ..
      '  keep[#keep + 1] = ("x"):rep(100000) .. #keep; return true end) }\n')
    assert.is_true(ok, tostring(v))
    local box = sandbox.last
    local grown = {}
    for i = 1, 10 do
      rules.classify(chips[i], { rules = v })
      grown[i] = box:usage().memory
    end
    assert.is_true(grown[10] > grown[1] + 8 * 100000, "memory held across calls is counted")
    local ok2, err = pcall(rules.classify_all, chips, { rules = v })
    assert.is_false(ok2)
    assert.matches("needs more than", err)
  end)

  it("gives a rule file the string library's patterns, each step charged to its budget", function()
    local ok, v = load_text([[
version { id = "x" }
local s = "NVIDIA H100 SXM5 80GB"
assert(s:match("^(%u+) (H%d+)") == "NVIDIA")
assert(select(2, s:match("^(%u+) (H%d+)")) == "H100")
assert(s:find("SXM", 1, true) == 13)
assert(s:gsub("%d", "#") == "NVIDIA H### SXM# ##GB")
assert(("a,b,,c"):gsub(",", ";", 2) == "a;b;,c")
local n = 0
for w in s:gmatch("%w+") do n = n + 1 end
assert(n == 4)
assert(("[x]"):find("%b[]") == 1)
assert(("THE (quick) fox"):find("%f[%a]%a+%f[%A]") == 1)
assert(("hello hello"):match("(h%a+) %1") == "hello")
assert(("key = value"):gsub("(%w+) = (%w+)", "%2 = %1") == "value = key")
assert(("abc"):gsub("%w", { a = "1", b = false }) == "1bc")
assert(("abc"):rep(3, "-") == "abc-abc-abc")
assert(math.random(1, 6) >= 1)
paragraph { "p", test("tpp", ">=", 1) }
]])
    assert.is_true(ok, tostring(v))
    local ok2, err = load_text('version { id = "x" }\nlocal s = ("x"):find("[a")\n')
    assert.is_false(ok2)
    assert.matches("malformed pattern", err)
  end)

  it("bounds did-you-mean: no suggestion is computed for a name longer than 64 bytes (finding)", function()
    local util = require "tpp.util"
    local long = ("x"):rep(65)
    assert.is_nil(util.did_you_mean(long, { long, "tpp" }))
    assert.equal(("x"):rep(64), util.did_you_mean(("x"):rep(64), { ("x"):rep(64) }))
    assert.is_nil(util.did_you_mean("tpp", { ("t"):rep(100) }))
    assert.equal("tpp", util.did_you_mean("tpx", { ("t"):rep(100), "tpp" }))
  end)

  it("collects dropped rule files' states once they hold more than 64 MiB together", function()
    local text = 'version { id = "x" }\nlocal keep = {}\nfor i = 1, 30 do keep[i] = ("k"):rep(100000) .. i end\n' ..
      'paragraph { "p", check("c", function(chip) return #keep > 0 end) }\n'
    local saved_memory = sandbox.LIMITS.memory
    sandbox.LIMITS.memory = 8 * 1048576
    local most = 0
    collectgarbage("stop") -- only the sandbox's own trigger may collect here
    for _ = 1, 40 do -- 40 x ~3 MB, none kept
      assert.is_true((load_text(text)))
      most = math.max(most, sandbox.last:usage().live_bytes)
    end
    collectgarbage("restart")
    sandbox.LIMITS.memory = saved_memory
    assert.is_true(most < 64 * 1048576 + 2 * 8 * 1048576, ("%.0f MB held"):format(most / 1048576))
    assert.is_true(most > 3 * 1048576)
  end)

  it("gives every call into a rule file its own instruction budget", function()
    -- each check() uses about 60 % of the budget: ten chips in a row are fine
    local ok, v = load_text('version { id = "x" }\nparagraph { "p", check("c", function(chip)\n' ..
      '  local s = 0 for i = 1, 300000 do s = s + i end return s > 0 end) }\n')
    assert.is_true(ok, tostring(v))
    for i = 1, 10 do
      assert.equal("controlled", rules.classify(chips[i], { rules = v }).status)
    end
  end)
end)
