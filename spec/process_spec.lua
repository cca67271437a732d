-- Files and processes: Ctrl-C, temporary files, writing over inputs, files
-- read on a user's behalf, non-finite checkpoint weights and thread counts.
local core = require "tpp.backend"
local model = require "tpp.model"
local support = require "support"
local tpp = require "tpp"

local function read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("*a")
  f:close()
  return s
end

local function write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1; echo \"rc=$?\"")
  local out = p:read("*a")
  p:close()
  return (out:gsub("rc=%d+%s*$", "")), tonumber(out:match("rc=(%d+)%s*$"))
end

local function tempdir()
  local base = os.tmpname()
  os.remove(base)
  assert(os.execute(("mkdir %q"):format(base .. "_d")))
  return base .. "_d"
end

local function ls(dir)
  local out = sh(("ls -A %q"):format(dir))
  local names = {}
  for name in out:gmatch("[^\n]+") do names[#names + 1] = name end
  return names
end

local SMALL = { dim = 48, hidden_dim = 128, n_layers = 2, n_heads = 6, n_kv_heads = 2, vocab_size = 400,
                seq_len = 64 }

local function write_model(path)
  local t = { path = path, seed = 5 }
  for k, v in pairs(SMALL) do t[k] = v end
  return model.write_random(t)
end

describe("temporary files", function()
  it("are new files made exclusively, mode 0600, in the folder asked for", function()
    local dir = tempdir()
    local a = core.temp_file(dir, "x-", ".bin")
    local b = core.temp_file(dir, "x-", ".bin")
    assert.are_not.equal(a, b)
    assert.matches("^" .. dir:gsub("%p", "%%%0") .. "/x%-[%w][%w][%w][%w][%w][%w]%.bin$", a)
    assert.equal("", read(a))
    assert.equal("600", (sh(("stat -c %%a %q"):format(a)):match("%d+")))
    os.execute(("rm -rf %q"):format(dir))
  end)

  it("go to $TMPDIR when no folder is given", function()
    local dir = tempdir()
    local lua = support.interpreter()
    local code = "package.path='lua/?.lua;lua/?/init.lua;'..package.path; " ..
      "package.cpath='build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;'..package.cpath; " ..
      "io.write(require('tpp.backend').temp_file())"
    local binding = os.getenv("TPP_BINDING")
    local out = sh(("TMPDIR=%q %s %s -e %q"):format(dir, binding and ("TPP_BINDING=" .. binding) or "", lua, code))
    assert.equal(dir, out:match("^(.*)/tpp%-[%w]+$"), out)
    os.execute(("rm -rf %q"):format(dir))
  end)

  it("of a benchmark are removed when it fails or is interrupted", function()
    local lib = require "tpp.benchlib"
    local made
    local run = lib.guard(function()
      made = lib.tmp("scratch.bin")
      write(made, "data")
      error("boom", 0)
    end)
    local ok, err = pcall(run)
    assert.is_false(ok)
    assert.equal("boom", err)
    assert.is_nil(read(made))
    -- a benchmark that ends normally leaves nothing in $TMPDIR either
    local dir = tempdir()
    local out, rc = sh(("TMPDIR=%q TPP_LUA=%s %s bin/tpp bench decode --models stories260K --weights f32 " ..
      "--steps 4"):format(dir, support.interpreter(),
      os.getenv("TPP_BINDING") and ("TPP_BINDING=" .. os.getenv("TPP_BINDING")) or ""))
    assert.equal(0, rc, out)
    assert.same({}, ls(dir))
    os.execute(("rm -rf %q"):format(dir))
  end)
end)

describe("Ctrl-C", function()
  local function run_interrupted(args, when, env)
    -- a child tpp whose `when` function sends SIGINT to its own process on
    -- its third call (a real signal, at a point that does not depend on timing)
    local lua = support.interpreter()
    local binding = os.getenv("TPP_BINDING")
    local code = ([[
package.path = 'lua/?.lua;lua/?/init.lua;' .. package.path
package.cpath = 'build/%s/?.so;' .. package.cpath
local mod, fname = %q, %q
local m = require(mod)
local real, calls = m[fname], 0
m[fname] = function(...)
  calls = calls + 1
  if calls == 3 then
    local pid = io.open('/proc/self/stat'):read('*l'):match('^%%d+')
    local p = io.popen('kill -INT ' .. pid)
    p:close()
  end
  return real(...)
end
os.exit(require('tpp.cli').main({ %s }))
]]):format(_VERSION == "Lua 5.4" and "5.4" or "5.1", when[1], when[2], args)
    local path = support.tmpname("_child.lua")
    write(path, code)
    local out, rc = sh(("%s %s %s %q"):format(env or "", binding and ("TPP_BINDING=" .. binding) or "", lua, path))
    os.remove(path)
    return out, rc
  end

  it("during classify is reported as 'interrupted' with exit 130, not as a rule failure (finding)", function()
    local out, rc = run_interrupted('"classify", "--rules", "examples/rules/escape_hatch.lua"',
      { "tpp.rules", "classify" })
    assert.equal(130, rc, out)
    assert.matches("tpp: interrupted", out)
    assert.falsy(out:find("tpp classify:", 1, true), out)
  end)

  it("in any command exits 130", function()
    local out, rc = run_interrupted('"chips"', { "tpp.util", "fmt" })
    assert.equal(130, rc, out)
    assert.matches("tpp: interrupted", out)
  end)

  it("during a benchmark removes its scratch files", function()
    local dir = tempdir()
    local out, rc = run_interrupted('"bench", "decode", "--models", "stories260K", "--weights", "f32,q8,q4", ' ..
      '"--steps", "4"', { "tpp.model", "load" }, ("TMPDIR=%q"):format(dir))
    assert.equal(130, rc, out)
    assert.matches("tpp: interrupted", out)
    assert.same({}, ls(dir))
    os.execute(("rm -rf %q"):format(dir))
  end)

  it("stops the C batch loops with an error that says so", function()
    local b = tpp.batch({ "H100", "H20", "B200" })
    core.interrupt_raise()
    local ok, err = pcall(function() b:eval() end)
    core.interrupt_clear()
    assert.is_false(ok)
    assert.matches("interrupted", err)
    b:eval()
    assert.is_true(b:column("tpp")[1] > 0)
  end)
end)

describe("tpp.model.quantize", function()
  it("refuses to write over its input and leaves the input intact (finding)", function()
    local p = write_model(support.tmpname("_m.bin"))
    local before = read(p)
    local ok, err = pcall(model.quantize, p, p, { format = "q8" })
    assert.is_false(ok)
    assert.matches("is the input file", err)
    assert.equal(before, read(p))
    -- the same file under another name (a symbolic link) too
    local link = p .. ".link"
    os.execute(("ln -s %q %q"):format(p, link))
    assert.is_false((pcall(model.quantize, p, link, { format = "q8" })))
    assert.equal(before, read(p))
    os.remove(link)
    os.remove(p)
  end)

  it("writes through a new file beside the destination: a failure leaves the destination as it was", function()
    local dir = tempdir()
    local p = write_model(dir .. "/m.bin")
    local out = dir .. "/m.q8.bin"
    write(out, "the previous file")
    core.interrupt_raise()
    local ok, err = pcall(model.quantize, p, out, { format = "q8" })
    core.interrupt_clear()
    assert.is_false(ok)
    assert.matches("interrupted", err)
    assert.equal("the previous file", read(out))
    assert.same({ "m.bin", "m.q8.bin" }, (function() local l = ls(dir); table.sort(l); return l end)())
    model.quantize(p, out, { format = "q8" })
    assert.equal("q8", model.info(out).format == 2 and "q8" or tostring(model.info(out).format))
    os.execute(("rm -rf %q"):format(dir))
  end)
end)

describe("checkpoints with NaN or infinite weights", function()
  -- v0 layout: 28-byte header, token_embedding_table [400][48], rms_att_weight
  -- [2][48], wq [2][48][48], ... (float32, little-endian)
  local EMB, RMS = 400 * 48 * 4, 2 * 48 * 4
  local function poke(path, offset, bytes)
    local f = assert(io.open(path, "r+b"))
    f:seek("set", offset)
    f:write(bytes)
    f:close()
  end

  it("are refused, naming the tensor and the element (finding: they generated text)", function()
    local p = write_model(support.tmpname("_nan.bin"))
    poke(p, 28 + EMB + RMS + 50 * 4, "\0\0\192\127") -- NaN at wq layer 0, element 50
    local ok, err = pcall(model.load, p)
    assert.is_false(ok)
    assert.matches("wq %(layer 0%) element 50 %(row 1, column 2%) is NaN", err)
    local okq, errq = pcall(model.quantize, p, p .. ".q8", { format = "q8" })
    assert.is_false(okq)
    assert.matches("quantize: wq %(layer 0%) element 50", errq)
    assert.is_nil(read(p .. ".q8"))
    os.remove(p)
    p = write_model(support.tmpname("_inf.bin"))
    poke(p, 28 + EMB + 48 * 4 + 7 * 4, "\0\0\128\127") -- +Inf at rms_att_weight layer 1, element 7
    ok, err = pcall(model.load, p, { weights = "q8" })
    assert.is_false(ok)
    assert.matches("rms_att_weight %(layer 1%) element 7 %(row 0, column 7%) is infinite", err)
    os.remove(p)
  end)
end)

describe("files read on a user's behalf", function()
  it("are regular files: a FIFO, a device or a folder is refused without blocking", function()
    local dir = tempdir()
    os.execute(("mkfifo %q"):format(dir .. "/fifo"))
    for _, c in ipairs({ { dir .. "/fifo", "FIFO" }, { "/dev/zero", "character device" }, { dir, "directory" },
                         { dir .. "/missing", "No such file" } }) do
      local ok, err = pcall(core.read_regular_file, c[1], 1000)
      assert.is_false(ok, c[1])
      assert.truthy(err:find(c[2], 1, true), err)
    end
    os.execute(("rm -rf %q"):format(dir))
  end)

  it("are size-capped before reading, and may be refused as symbolic links", function()
    local p = support.tmpname("_f.txt")
    write(p, ("x"):rep(5000))
    assert.equal(5000, #core.read_regular_file(p, 5000))
    local ok, err = pcall(core.read_regular_file, p, 4999)
    assert.is_false(ok)
    assert.matches("5000 bytes, more than the 4999 bytes allowed", err)
    os.execute(("ln -s %q %q"):format(p, p .. ".link"))
    assert.equal(5000, #core.read_regular_file(p .. ".link", 5000))
    ok, err = pcall(core.read_regular_file, p .. ".link", 5000, true)
    assert.is_false(ok)
    assert.matches("symbolic link", err)
    os.remove(p .. ".link")
    os.remove(p)
  end)
end)

describe("thread counts", function()
  local bad = { 0, -1, 10000, 2.5, 0 / 0 }

  it("are refused by tpp.threads when outside 1..256, naming the value and the range", function()
    local before = tpp.threads()
    for _, n in ipairs(bad) do
      local ok, err = pcall(tpp.threads, n)
      assert.is_false(ok, tostring(n))
      assert.matches("tpp%.threads: got .*, expected an integer from 1 to 256", err)
    end
    assert.is_false((pcall(tpp.threads, "4")))
    assert.equal(before, tpp.threads())
    assert.equal(1, tpp.threads(1))
    assert.equal(256, tpp.threads(256))
    tpp.threads(before)
  end)

  it("are refused by the batch paths of the Lua API", function()
    local b = tpp.batch({ "H100" })
    local rules = require "tpp.rules"
    for _, n in ipairs(bad) do
      local ok, err = pcall(b.eval, b, { threads = n })
      assert.is_false(ok)
      assert.matches("batch:eval: .*threads: got", err)
      ok, err = pcall(rules.evaluate_batch, rules.batch({ "H100" }), { rules = "us-2023-10", threads = n })
      assert.is_false(ok)
      assert.matches("evaluate_batch: .*threads: got", err)
    end
    b:eval { threads = 2 }
    assert.is_true(b:column("tpp")[1] > 0)
  end)

  it("are refused by the C API (where 0 means all cores)", function()
    for _, n in ipairs({ -1, 10000 }) do
      local ok, err = pcall(core.bench_membw, 1048576, n, 0.01)
      assert.is_false(ok)
      assert.matches("threads", err)
    end
  end)

  it("are refused on the command line, naming --threads, the value and the range", function()
    for _, n in ipairs({ "0", "-1", "10000" }) do
      local out, rc = support.tpp_cmd("bench batch --n 1000 --threads " .. n)
      assert.are_not.equal(0, rc)
      assert.matches("%-%-threads: got " .. n:gsub("%-", "%%-") .. ", expected an integer from 1 to 256", out)
    end
  end)
end)
