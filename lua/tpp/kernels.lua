--- tpp.kernels: inference kernels over tpp.tensor values.
--
--   local K, tensor = require "tpp.kernels", require "tpp.tensor"
--   local x = tensor.rand({8, 768})
--   local w = tensor.rand({2048, 768}):quantize("q8", 64)
--   local y = K.linear(x, w)                 -- y = x . w^T (nn.Linear), 8 x 2048
--
-- f32 matrix products run on OpenBLAS (cblas_sgemm); matrix-vector products,
-- q8/q4 products (AVX-512 VNNI, AVX2 or scalar, chosen at run time) and the
-- rest are tpp's own. K.threads(n) sets tpp's threads and OpenBLAS's together.
local core = require "tpp.backend"
local tensor = require "tpp.tensor"

local M = {}

local function need(x, name, fname)
  if not tensor.is_tensor(x) then
    error(("tpp.kernels.%s: %s must be a tensor, got %s"):format(fname, name, type(x)), 3)
  end
end

local function rows_of(x)
  local s = x:shape()
  if #s == 1 then return 1, s[1] end
  return s[1], s[2]
end

--- y[m][n] = x[m][k] . w[n][k]^T; w f32, q8 or q4. Allocates y when not given.
function M.linear(x, w, y)
  need(x, "x", "linear")
  need(w, "w", "linear")
  if not y then
    local m = rows_of(x)
    local n = w:shape()[1]
    y = tensor.zeros(#x:shape() == 1 and { n } or { m, n })
  end
  core.linear(y, x, w)
  return y
end

--- c[m][n] = a[m][k] . b[k][n] (f32, OpenBLAS); transposed views cost nothing.
function M.matmul(a, b, c)
  need(a, "a", "matmul")
  need(b, "b", "matmul")
  if not c then c = tensor.zeros({ a:shape()[1], b:shape()[2] }) end
  core.matmul(c, a, b)
  return c
end

--- out = x * w / sqrt(mean(x^2) + eps), row by row (eps default 1e-5).
function M.rmsnorm(x, w, opts)
  opts = require("tpp.io.options").check("tpp.kernels.rmsnorm", opts, { out = "any", eps = "positive" })
  need(x, "x", "rmsnorm")
  local out = opts.out or tensor.zeros(x:shape())
  core.rmsnorm(out, x, w, opts.eps or 1e-5)
  return out
end

--- In place over each row; returns x.
function M.softmax(x)
  core.softmax(x)
  return x
end

--- Rotary embedding in place: row t of x is at position pos + t (0-based).
function M.rope(x, pos, head_size, theta)
  core.rope(x, pos, head_size, theta or 10000.0)
  return x
end

function M.silu(x)
  core.silu(x)
  return x
end

--- out = silu(gate) * up.
function M.swiglu(gate, up, out)
  need(gate, "gate", "swiglu")
  out = out or tensor.zeros(gate:shape())
  core.swiglu(out, gate, up)
  return out
end

--- Causal grouped-query attention of q [T][n_heads*hs] over caches
-- [S][n_kv_heads*hs] whose rows 0..pos+T-1 are filled (pos 0-based).
function M.attention(q, k_cache, v_cache, pos, n_heads, n_kv_heads, out)
  need(q, "q", "attention")
  out = out or tensor.zeros(q:shape())
  core.attention(out, q, k_cache, v_cache, pos, n_heads, n_kv_heads or n_heads)
  return out
end

--- 1-based index of the largest element of a vector.
function M.argmax(x) return core.argmax(x) end

--- A sampler with llama2.c's semantics: temperature 0 = greedy; top_p in
-- (0, 1) = nucleus sampling; xorshift64* seeded with seed.
function M.sampler(opts)
  opts = require("tpp.io.options").check("tpp.kernels.sampler", opts, { vocab_size = "any",
    temperature = "any", top_p = "any", seed = "any" })  -- values: checked by the core
  if type(opts.vocab_size) ~= "number" then error("tpp.kernels.sampler: vocab_size is required", 2) end
  return core.sampler_new(opts.vocab_size, opts.temperature or 1.0, opts.top_p or 0.9, opts.seed or 1)
end

--- The instruction-set path in use and the best this CPU has
-- ("avx512-vnni", "avx2" or "scalar").
function M.isa() return core.isa() end

--- Cap the path ("scalar", "avx2", "avx512"; nil = back to the best).
function M.set_isa(name) return core.isa_set(name) end

--- Threads for tpp's kernels and OpenBLAS (0 = all cores); returns the count.
function M.threads(n) return core.threads(n) end

return M
