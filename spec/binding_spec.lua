-- Both bindings (Lua C API and LuaJIT FFI) expose one API from one header.
local core = require "tpp.backend"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

describe("bindings", function()
  it("picks the binding asked for by TPP_BINDING", function()
    local want = os.getenv("TPP_BINDING") == "ffi" and "ffi" or "lua-c-api"
    assert.equal(want, core.binding)
  end)

  it("lua/tpp/cdef.lua is generated from the current include/tpp.h", function()
    local lua = _VERSION == "Lua 5.4" and "lua5.4" or (rawget(_G, "jit") and "luajit" or "lua5.1")
    local p = io.popen(lua .. " bin/gen-cdef.lua include/tpp.h")
    local fresh = p:read("*a")
    p:close()
    assert.equal(read("lua/tpp/cdef.lua"), fresh)
  end)

  it("the generated declarations parse in LuaJIT's FFI", function()
    if not rawget(_G, "jit") then
      pending("LuaJIT only")
      return
    end
    local ffi = require "ffi"
    require "tpp.ffi" -- runs ffi.cdef on the generated text
    assert.is_true(pcall(function() return ffi.typeof("tpp_chip") end))
    assert.is_true(ffi.sizeof("tpp_error") > 256)
  end)

  it("reports the version of include/tpp.h (its one definition)", function()
    local major, minor, patch = read("include/tpp.h"):match(
      "TPP_VERSION_MAJOR = (%d+),%s+TPP_VERSION_MINOR = (%d+),%s+TPP_VERSION_PATCH = (%d+)")
    assert.equal(("%s.%s.%s"):format(major, minor, patch), core._VERSION)
  end)

  it("the rockspec builds exactly the C sources the Makefile builds", function()
    local rs = read("rockspec/tpp-scm-1.rockspec")
    local listed = {}
    for f in rs:match('%["tpp.core"%]%s*=%s*{%s*sources%s*=%s*(%b{})'):gmatch('"([^"]+%.c)"') do listed[f] = true end
    local p = io.popen("ls csrc/*.c csrc/kernels/*.c csrc/lua/*.c 2>/dev/null")
    local n = 0
    for f in p:lines() do
      assert.is_true(listed[f] ~= nil, f .. " is built by the Makefile but missing from the rockspec")
      listed[f] = nil
      n = n + 1
    end
    p:close()
    assert.is_nil(next(listed), "rockspec lists a file that does not exist")
    assert.is_true(n >= 5)
  end)

  it("the rockspec installs every Lua module of lua/tpp", function()
    local rs = read("rockspec/tpp-scm-1.rockspec")
    local p = io.popen("find lua/tpp -name '*.lua' | sort")
    for f in p:lines() do
      assert.is_truthy(rs:find('"' .. f .. '"', 1, true), f .. " is not installed by the rockspec")
    end
    p:close()
  end)

  it("require 'tpp' adds no globals", function()
    local before = {}
    for k in pairs(_G) do before[k] = true end
    package.loaded.tpp = nil
    require "tpp"
    for k in pairs(_G) do assert.is_true(before[k] ~= nil, "new global: " .. tostring(k)) end
  end)

  it("misuse of the core raises an error naming the argument", function()
    assert.has_error(function() core.chip_metrics("x") end)
    assert.has_error(function() core.chip_metrics({ units = {} }) end)
    local ok, err = pcall(core.chip_metrics, { units = { { fp8 = "x" } } })
    assert.is_false(ok)
    assert.matches("units%[1%]%.fp8: number expected, got string", err)
    ok, err = pcall(core.chip_metrics, { units = { { fp8 = -2 } } })
    assert.is_false(ok)
    assert.matches("dense.fp8: got %-2, expected a number >= 0", err)
    ok, err = pcall(core.chip_metrics, { units = { { fp8 = 1 } }, dies = { { area_mm2 = 5, kind = "sram" } } })
    assert.is_false(ok)
    assert.matches("dies%[1%]%.kind: got 'sram'", err)
  end)
end)

describe("batches", function()
  local tpp = require "tpp"

  it("evaluates the database in one call, row for row equal to the scalar path", function()
    local chips = tpp.chips()
    local b = tpp.batch(chips)
    assert.equal(114, b:size())
    for i, c in ipairs(chips) do
      local m = c:metrics()
      local r = b:row(i)
      assert.equal(m.tpp, r.tpp, c.id)
      assert.equal(m.pd, r.pd, c.id)
      assert.equal(m.h100e["8bit"], r.h100e_8bit, c.id)
      if m.tpp then assert.is_string(r.tpp_precision) end
    end
    b:free()
    b:free() -- idempotent
    assert.has_error(function() b:size() end, "tpp: this batch was freed")
  end)

  it("reports the first bad row and field", function()
    local b = tpp.batch(3)
    b:set_column("fp8", { 1, 2, 3 })
    b:set("int8", 2, -5)
    local ok, err = pcall(b.eval, b)
    assert.is_false(ok)
    assert.matches("row 2, dense.int8: got %-5, expected a number >= 0", err)
  end)

  it("keeps unknown as unknown", function()
    local b = tpp.batch(2)
    b:set("fp16", 1, 100)
    b:set("area_mm2", 1, 400)
    b:eval()
    assert.equal(1600, b:get("tpp", 1))
    assert.equal(4, b:get("pd", 1))
    assert.is_nil(b:get("tpp", 2))
    assert.is_nil(b:get("pd", 2))
    assert.same({ "fp16" }, b:column("tpp_precision"))
  end)

  it("randomizes columns reproducibly in both bindings", function()
    local b = tpp.batch(1000)
    b:randomize("fp8", 1, 1000, 7, 0.25)
    local col = b:column("fp8")
    local known, lo, hi = 0, math.huge, 0
    for i = 1, 1000 do
      local v = col[i]
      if v then
        known = known + 1
        lo, hi = math.min(lo, v), math.max(hi, v)
      end
    end
    assert.is_true(known > 650 and known < 850)
    assert.is_true(lo >= 1 and hi < 1000)
    -- the same seed gives the same stream (golden value shared by both bindings)
    local b2 = tpp.batch(1000)
    b2:randomize("fp8", 1, 1000, 7, 0.25)
    assert.same(col, b2:column("fp8"))
  end)

  it("computes only the outputs asked for", function()
    local b = tpp.batch(2)
    b:set("fp8", 1, 10)
    core.spec_eval(b.raw, 0, 1, { "tpp" })
    assert.is_true(b:has("tpp"))
    assert.is_false(b:has("pd"))
    assert.has_error(function() core.spec_eval(b.raw, 0, 1, { "tppp" }) end)
  end)
end)
