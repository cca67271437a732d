-- tpp.tensor on every binding: construction, access, views, lifetime, dtypes.
local tensor = require "tpp.tensor"

local function close(a, b, tol) return math.abs(a - b) <= tol end

describe("tpp.tensor", function()
  describe("construction", function()
    it("new() is zero-filled with row-major strides", function()
      local t = tensor.new("f32", { 2, 3, 4 })
      assert.same({ 2, 3, 4 }, t:shape())
      assert.same({ 12, 4, 1 }, t:strides())
      assert.equal(24, t:numel())
      assert.equal("f32", t:dtype())
      assert.equal(0, t:get(2, 3, 4))
      assert.equal(96, t:nbytes())
      assert.is_true(t:is_contiguous())
      t:free()
    end)

    it("from() takes nested lists or a flat list and a shape", function()
      local a = tensor.from({ { 1, 2, 3 }, { 4, 5, 6 } })
      assert.same({ 2, 3 }, a:shape())
      assert.equal(6, a:get(2, 3))
      assert.same({ { 1, 2, 3 }, { 4, 5, 6 } }, a:totable())
      local b = tensor.from({ 1, 2, 3, 4 }, { 2, 2 })
      assert.equal(3, b:get(2, 1))
      assert.has_error(function() tensor.from({ { 1, 2 }, { 3 } }) end,
        "tpp.tensor.from: ragged nesting: 1 entries where 2 were expected at depth 2")
    end)

    it("rand() is reproducible from a seed and stays in [lo, hi)", function()
      local a = tensor.rand({ 5, 7 }, { seed = 9, lo = 2, hi = 3 })
      local b = tensor.rand({ 5, 7 }, { seed = 9, lo = 2, hi = 3 })
      assert.same(a:read(), b:read())
      for _, v in ipairs(a:read()) do assert.is_true(v >= 2 and v < 3) end
      assert.are_not.same(a:read(), tensor.rand({ 5, 7 }, { seed = 10, lo = 2, hi = 3 }):read())
    end)

    it("rejects bad shapes and dtypes with the field named", function()
      assert.has_error(function() tensor.new("f32", { 2, 0 }) end,
        "tpp: tensor_new: shape[2] = 0, expected an integer >= 1")
      assert.has_error(function() tensor.new("f33", { 2 }) end,
        "tpp: tensor_new: dtype 'f33' is not one of f32, f16, bf16, q8, q4")
      assert.has_error(function() tensor.new("f32", { 1, 2, 3, 4, 5 }) end,
        "tpp: tensor_new: shape has 5 entries, expected 1..4")
      assert.has_error(function() tensor.new("f32", { 2.5 }) end,
        "tpp: tensor_new: shape[1] = 2.5, expected an integer >= 1")
      assert.has_error(function() tensor.new("q8", { 2, 3, 4 }) end,
        "tpp: q8 tensors are matrices (1 or 2 dimensions), got 3 dimensions")
      assert.has_error(function() tensor.new("f32", { 2 }, { group = 4 }) end,
        "tpp.tensor.new: unknown option 'group'; did you mean 'group_size'?")
    end)
  end)

  describe("element access", function()
    it("get/set use 1-based indices and name the bad one", function()
      local t = tensor.zeros({ 2, 3 })
      t:set(2, 1, 4.5)
      assert.equal(4.5, t:get(2, 1))
      assert.has_error(function() t:get(3, 1) end, "tpp: index 1 is 3, expected 1..2")
      assert.has_error(function() t:get(1) end, "tpp: get: 1 indices for a 2-D tensor")
      assert.has_error(function() t:set(1, 1, "x") end, "tpp: set: the value must be a number, got string")
      assert.has_error(function() t:write({ 1, 2 }) end, "tpp: write: 2 values for a tensor of 6 elements")
    end)

    it("read/write move whole tensors in row-major order", function()
      local t = tensor.zeros({ 2, 2 })
      t:write({ 1, 2, 3, 4 })
      assert.same({ 1, 2, 3, 4 }, t:read())
      assert.equal(3, t:get(2, 1))
    end)
  end)

  describe("views", function()
    it("transpose, slice, row and reshape share the storage", function()
      local t = tensor.from({ { 1, 2, 3 }, { 4, 5, 6 } })
      local tt = t:T()
      assert.same({ 3, 2 }, tt:shape())
      assert.same({ 1, 3 }, tt:strides())
      assert.is_false(tt:is_contiguous())
      assert.same({ { 1, 4 }, { 2, 5 }, { 3, 6 } }, tt:totable())
      tt:set(3, 1, 30)
      assert.equal(30, t:get(1, 3))
      assert.same({ 4, 5, 30 }, { t:row(2):get(1), t:row(2):get(2), t:get(1, 3) })
      assert.same({ { 2, 30 }, { 5, 6 } }, t:slice(2, 2, 3):totable())
      assert.same({ 1, 2, 30, 4, 5, 6 }, t:reshape({ 6 }):read())
      assert.same({ { 1, 4 }, { 2, 5 }, { 30, 6 } }, tt:contiguous():totable())
    end)

    it("a view keeps its storage alive after the base is freed", function()
      local t = tensor.from({ 1, 2, 3, 4 })
      local v = t:slice(1, 3, 4)
      t:free()
      assert.same({ 3, 4 }, v:read())
    end)

    it("a view past the storage is refused", function()
      local t = tensor.zeros({ 4 })
      assert.has_error(function() t:view({ 3 }, { 2 }, 0) end,
        "tpp: the view reaches element 5 but the storage holds 4")
      assert.has_error(function() t:reshape({ 3 }) end)
    end)
  end)

  describe("lifetime", function()
    it("free() is idempotent and use after free is a clear error", function()
      local t = tensor.zeros({ 3 })
      t:free()
      t:free()
      assert.is_true(t:is_freed())
      assert.has_error(function() t:get(1) end, "tpp: get: the tensor was freed")
      assert.equal("tpp.tensor (freed)", tostring(t))
    end)

    it("is collected by the garbage collector", function()
      local weak = setmetatable({}, { __mode = "v" })
      weak[1] = tensor.zeros({ 1000 })
      collectgarbage()
      collectgarbage()
      assert.is_nil(weak[1])
    end)

    if _VERSION == "Lua 5.4" and not rawget(_G, "jit") then
      it("a <close> variable frees it at the end of the scope (Lua 5.4)", function()
        local chunk = assert(load([[
          local tensor = ...
          local keep
          do
            local t <close> = tensor.zeros({ 3 })
            keep = t
          end
          return keep
        ]]))
        assert.is_true(chunk(tensor):is_freed())
      end)
    end
  end)

  describe("dtypes", function()
    it("f16 and bf16 round to nearest even", function()
      local t = tensor.from({ 1, 65504, 65520, 1 + 2 ^ -11, 1 + 3 * 2 ^ -11, 2 ^ -24 })
      local h = t:to("f16"):read()
      assert.same({ 1, 65504, math.huge, 1, 1 + 2 ^ -10 * 2, 2 ^ -24 }, h)
      local b = tensor.from({ 3.14159, 1 + 2 ^ -8 }):to("bf16"):read()
      assert.same({ 3.140625, 1 }, b)
    end)

    it("q8 and q4 round trips stay within half a step of each group", function()
      local t = tensor.rand({ 9, 37 }, { seed = 4 })
      for _, case in ipairs({ { "q8", 127, 16 }, { "q4", 7, 8 } }) do
        local dtype, qmax, gs = case[1], case[2], case[3]
        local q = t:quantize(dtype, gs)
        assert.equal(dtype, q:dtype())
        assert.equal(gs, q:group_size())
        local worst = 0
        for r = 1, 9 do
          for c0 = 1, 37, gs do
            local amax = 0
            for c = c0, math.min(c0 + gs - 1, 37) do amax = math.max(amax, math.abs(t:get(r, c))) end
            for c = c0, math.min(c0 + gs - 1, 37) do
              worst = math.max(worst, math.abs(q:get(r, c) - t:get(r, c)) / (amax / qmax / 2))
            end
          end
        end
        assert.is_true(worst <= 1 + 1e-5, dtype .. " worst " .. worst)
        assert.is_true(close(q:dequantize():get(3, 5), q:get(3, 5), 0))
      end
      assert.has_error(function() t:quantize("q4", 12) end,
        "tpp: group size 12: q4 needs a multiple of 8 between 8 and 65536")
      assert.has_error(function() t:quantize("q8"):set(1, 1, 0) end)
    end)
  end)

  if rawget(_G, "jit") then
    it("cdata() points at the same memory (LuaJIT)", function()
      local t = tensor.zeros({ 4 })
      local p, h = t:cdata()
      p[2] = 7.25
      assert.equal(7.25, t:get(3))
      assert.equal(4, tonumber(h.numel))
      local v = t:slice(1, 2, 4)
      assert.equal(7.25, (v:cdata())[1])
    end)
  end
end)
