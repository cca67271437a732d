-- Tensors and kernels from Lua: a quantized linear layer checked against its
-- f32 version, and (under LuaJIT) the same memory seen as an FFI pointer.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;" .. package.cpath

local tpp = require "tpp"
local tensor, K = tpp.tensor, tpp.kernels

local x = tensor.rand({ 4, 768 }, { seed = 1 })             -- 4 tokens
local w = tensor.rand({ 2048, 768 }, { seed = 2, lo = -0.05, hi = 0.05 })
local y32 = K.linear(x, w)                                   -- OpenBLAS sgemm
for _, dtype in ipairs({ "q8", "q4" }) do
  local wq = w:quantize(dtype, 64)
  local y = K.linear(x, wq)                                  -- tpp's integer kernel
  print(("%s: %d bytes of weights (f32: %d), max |y - y_f32| = %.4g"):format(
    dtype, wq:nbytes(), w:nbytes(), y:max_abs_diff(y32)))
end

local t = tensor.from({ { 1, 2, 3 }, { 4, 5, 6 } })
print(t:T():totable()[3][2])                                 -- 6: a transposed view, no copy
if rawget(_G, "jit") then
  local p = t:cdata()                                        -- float* over the same memory
  p[0] = 10
  print(t:get(1, 1))                                         -- 10
end
