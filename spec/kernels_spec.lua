-- tpp.kernels against plain double-precision references written here in Lua,
-- on odd shapes, on every instruction-set path this CPU has.
-- Bounds (u = 2^-24): f32 dot products of length k: (k + 4) u sum|a b|;
-- q8/q4 products add the activation rounding, sum_g (max|x_g| / 127 / 2) sum|w_g|.
local tensor = require "tpp.tensor"
local K = require "tpp.kernels"

local U = 2 ^ -24

local function paths()
  local _, best = K.isa()
  local out = { "scalar" }
  if best == "avx2" or best == "avx512-vnni" then out[#out + 1] = "avx2" end
  if best == "avx512-vnni" then out[#out + 1] = "avx512" end
  return out
end

-- worst |got - ref| / bound over y[m][n] = x[m][k] . w[n][k]^T (wd = dequantized w)
local function check_linear(x, wd, y, m, n, k, group)
  local xs, ws, ys = x:read(), wd:read(), y:read()
  local worst = 0
  for t = 0, m - 1 do
    for r = 0, n - 1 do
      local ref, abs, act = 0, 0, 0
      for c = 0, k - 1 do
        local p = xs[t * k + c + 1] * ws[r * k + c + 1]
        ref, abs = ref + p, abs + math.abs(p)
      end
      if group then
        for c0 = 0, k - 1, group do
          local amax, wabs = 0, 0
          for c = c0, math.min(c0 + group, k) - 1 do
            amax = math.max(amax, math.abs(xs[t * k + c + 1]))
            wabs = wabs + math.abs(ws[r * k + c + 1])
          end
          act = act + amax / 127 / 2 * wabs
        end
      end
      local bound = act * (1 + 1e-6) + (k + 4) * U * abs * (group and 2 or 1) + 1e-30
      worst = math.max(worst, math.abs(ys[t * n + r + 1] - ref) / bound)
    end
  end
  return worst
end

describe("tpp.kernels", function()
  after_each(function() K.set_isa(nil) end)

  describe("linear()", function()
    it("f32: matvec (tpp) and matmul (OpenBLAS) within (k+4)u sum|xw|", function()
      for _, isa in ipairs(paths()) do
        K.set_isa(isa)
        for _, s in ipairs({ { 1, 37, 83 }, { 1, 5, 3 }, { 7, 19, 67 } }) do
          local m, n, k = s[1], s[2], s[3]
          local x = tensor.rand({ m, k }, { seed = m + k })
          local w = tensor.rand({ n, k }, { seed = n * k })
          local y = K.linear(x, w)
          assert.same({ m, n }, y:shape())
          local worst = check_linear(x, w, y, m, n, k)
          assert.is_true(worst <= 1, ("%s %dx%dx%d worst %.3f"):format(isa, m, n, k, worst))
        end
      end
    end)

    it("q8 and q4: within the activation-rounding bound on every path", function()
      for _, isa in ipairs(paths()) do
        K.set_isa(isa)
        for _, s in ipairs({ { 1, 17, 40, 8 }, { 5, 20, 72, 16 }, { 9, 3, 33, 8 } }) do
          local m, n, k, g = s[1], s[2], s[3], s[4]
          local x = tensor.rand({ m, k }, { seed = 3 * m + k })
          local wf = tensor.rand({ n, k }, { seed = n + 7 * k, lo = -0.5, hi = 0.5 })
          for _, dt in ipairs({ "q8", "q4" }) do
            local w = wf:quantize(dt, g)
            local y = K.linear(x, w)
            local worst = check_linear(x, w:dequantize(), y, m, n, k, g)
            assert.is_true(worst <= 1, ("%s %s %dx%dx%d G%d worst %.3f"):format(isa, dt, m, n, k, g, worst))
          end
        end
      end
    end)

    it("all paths agree to f32 rounding", function()
      local x = tensor.rand({ 3, 96 }, { seed = 1 })
      local w = tensor.rand({ 33, 96 }, { seed = 2 }):quantize("q8", 32)
      local first
      for _, isa in ipairs(paths()) do
        K.set_isa(isa)
        local y = K.linear(x, w):read()
        if first then
          for i = 1, #y do assert.is_true(math.abs(y[i] - first[i]) <= 1e-5 * (1 + math.abs(first[i]))) end
        end
        first = y
      end
    end)

    it("names both shapes when they do not fit", function()
      assert.has_error(function() K.linear(tensor.zeros({ 2, 5 }), tensor.zeros({ 3, 4 })) end,
        "tpp: linear (y = x . w^T, w is [n][k]): x has shape 2x5 but w has shape 3x4")
      assert.has_error(function() K.linear(tensor.zeros({ 2, 4 }), "w") end,
        "tpp.kernels.linear: w must be a tensor, got string")
      assert.has_error(function() K.linear(tensor.zeros({ 2, 4 }), tensor.zeros({ 3, 4 }), tensor.zeros({ 2, 2 })) end,
        "tpp: linear (y[m][n] = x[m][k] . w[n][k]^T): y has shape 2x2 but x has shape 2x4")
    end)
  end)

  it("matmul() takes transposed views without copies", function()
    local a = tensor.rand({ 13, 7 }, { seed = 5 })
    local b = tensor.rand({ 11, 13 }, { seed = 6 })
    local c = K.matmul(a:T(), b:T())
    assert.same({ 7, 11 }, c:shape())
    local worst = 0
    for i = 1, 7 do
      for j = 1, 11 do
        local s, abs = 0, 0
        for l = 1, 13 do
          local p = a:get(l, i) * b:get(j, l)
          s, abs = s + p, abs + math.abs(p)
        end
        worst = math.max(worst, math.abs(c:get(i, j) - s) / ((13 + 4) * U * abs))
      end
    end
    assert.is_true(worst <= 1)
  end)

  it("rmsnorm, softmax, silu, swiglu match their definitions", function()
    local x = tensor.rand({ 2, 29 }, { seed = 8, lo = -3, hi = 3 })
    local w = tensor.rand({ 29 }, { seed = 9, lo = 0.5, hi = 1.5 })
    local out = K.rmsnorm(x, w)
    for r = 1, 2 do
      local ss = 0
      for c = 1, 29 do ss = ss + x:get(r, c) ^ 2 end
      for c = 1, 29 do
        local ref = x:get(r, c) * w:get(c) / math.sqrt(ss / 29 + 1e-5)
        assert.is_true(math.abs(out:get(r, c) - ref) <= 1e-5 * math.abs(ref) + 1e-7)
      end
    end
    local s = K.softmax(tensor.from({ { 1, 2, 3 }, { 1000, 1000, -1000 } }))
    local e = math.exp
    assert.is_true(math.abs(s:get(1, 3) - e(3) / (e(1) + e(2) + e(3))) < 1e-7)
    assert.is_true(math.abs(s:get(2, 1) - 0.5) < 1e-7)
    local g = tensor.from({ -2, 0, 3 })
    local u = tensor.from({ 1, 5, 2 })
    local sw = K.swiglu(g, u):read()
    for i, gv in ipairs({ -2, 0, 3 }) do
      local ref = gv / (1 + math.exp(-gv)) * ({ 1, 5, 2 })[i]
      assert.is_true(math.abs(sw[i] - ref) <= 1e-6)
    end
    assert.is_true(math.abs(K.silu(tensor.from({ 1 })):get(1) - 1 / (1 + math.exp(-1))) < 1e-7)
  end)

  it("rope rotates pairs (i, i+1) by pos * 10000^(-i/head_size)", function()
    local x = tensor.rand({ 2, 12 }, { seed = 12 })
    local orig = x:totable()
    K.rope(x, 5, 6)
    for t = 1, 2 do
      local pos = 5 + t - 1
      for h = 0, 6, 6 do
        for i = 0, 4, 2 do
          local a = pos / 10000 ^ (i / 6)
          local v0, v1 = orig[t][h + i + 1], orig[t][h + i + 2]
          assert.is_true(math.abs(x:get(t, h + i + 1) - (v0 * math.cos(a) - v1 * math.sin(a))) < 1e-6)
          assert.is_true(math.abs(x:get(t, h + i + 2) - (v0 * math.sin(a) + v1 * math.cos(a))) < 1e-6)
        end
      end
    end
    assert.has_error(function() K.rope(x, 0, 5) end, "tpp: rope: head_size 5 must be even and divide the row length 12")
  end)

  it("attention: causal, grouped-query, over a KV cache, on every path", function()
    local T, pos, nh, nkv, hs = 3, 4, 6, 2, 5
    local S = pos + T + 2
    local q = tensor.rand({ T, nh * hs }, { seed = 21 })
    local k = tensor.rand({ S, nkv * hs }, { seed = 22 })
    local v = tensor.rand({ S, nkv * hs }, { seed = 23 })
    local Q, Kc, Vc = q:totable(), k:totable(), v:totable()
    for _, isa in ipairs(paths()) do
      K.set_isa(isa)
      local out = K.attention(q, k, v, pos, nh, nkv)
      for t = 1, T do
        for h = 0, nh - 1 do
          local g = math.floor(h / (nh / nkv))
          local n_keys = pos + t
          local sc, mx = {}, -math.huge
          for j = 1, n_keys do
            local s = 0
            for d = 1, hs do s = s + Q[t][h * hs + d] * Kc[j][g * hs + d] end
            sc[j] = s / math.sqrt(hs)
            mx = math.max(mx, sc[j])
          end
          local sum = 0
          for j = 1, n_keys do
            sc[j] = math.exp(sc[j] - mx)
            sum = sum + sc[j]
          end
          for d = 1, hs do
            local ref = 0
            for j = 1, n_keys do ref = ref + sc[j] / sum * Vc[j][g * hs + d] end
            assert.is_true(math.abs(out:get(t, h * hs + d) - ref) < 2e-6, isa)
          end
        end
      end
    end
    assert.has_error(function() K.attention(q, k, v, S - 1, nh, nkv) end,
      "tpp: attention: positions 8..10 are outside the cache of 9 rows")
  end)

  it("argmax is 1-based and takes the first maximum", function()
    assert.equal(2, K.argmax(tensor.from({ 1, 5, 5, -1 })))
  end)

  it("samplers: greedy at temperature 0, reproducible from a seed", function()
    local logits = { math.log(0.1), math.log(0.6), math.log(0.3) }
    local function draw(seed, temperature, top_p, n)
      local s = K.sampler { vocab_size = 3, temperature = temperature, top_p = top_p, seed = seed }
      local out = {}
      for i = 1, n do out[i] = s:sample(tensor.from(logits)) end
      return out
    end
    assert.same({ 1, 1, 1 }, draw(1, 0, 0.9, 3))
    assert.same(draw(42, 1, 0.9, 20), draw(42, 1, 0.9, 20))
    local counts = { [0] = 0, 0, 0 }
    for _, v in ipairs(draw(7, 1, 1, 3000)) do counts[v] = counts[v] + 1 end
    assert.is_true(math.abs(counts[1] / 3000 - 0.6) < 0.05)
    for _, v in ipairs(draw(7, 1, 0.5, 50)) do assert.equal(1, v) end
    assert.has_error(function() K.sampler { vocab_size = 3, temperature = -1 } end,
      "tpp: temperature -1: expected a finite number >= 0 (0 = greedy)")
  end)

  it("threads() sets the pool size; results do not depend on it", function()
    local before = K.threads()
    local x = tensor.rand({ 4, 300 }, { seed = 1 })
    local w = tensor.rand({ 200, 300 }, { seed = 2 }):quantize("q8", 64)
    K.threads(1)
    local one = K.linear(x, w):read()
    K.threads(require("tpp.backend").cpu_count())
    assert.same(one, K.linear(x, w):read())
    K.threads(before)
  end)
end)
