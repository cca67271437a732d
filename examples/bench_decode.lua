-- Decode speed of a stories15M-shaped model at three precisions, beside the
-- memory-bandwidth roofline measured in the same run. Public API only.
--
--   lua5.4 examples/bench_decode.lua [stories15M|stories42M|stories110M] [steps]
--
-- (tpp bench decode does the same with more care: best of segments, JSON.)
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;" .. package.cpath

local tpp = require "tpp"

local shape, steps = arg[1] or "stories15M", tonumber(arg[2] or "32")
local tmp = os.tmpname() -- creates an empty file: use its name, remove it
os.remove(tmp)
local path = tmp .. "_" .. shape .. ".bin"
tpp.model.write_random { path = path, shape = shape, seed = 1 }

local base
print(("%s, %d threads, kernels %s"):format(shape, tpp.threads(), (tpp.kernels.isa())))
for _, weights in ipairs({ "f32", "q8", "q4" }) do
  local m = tpp.model.load(path, { weights = weights, tokenizer = false })
  m:generate { prompt_tokens = { 1 }, steps = 4, temperature = 0 } -- warm up
  local _, stats = m:generate { prompt_tokens = { 1 }, steps = steps, temperature = 0 }
  local tok_s = stats.decode_tok_s
  local bytes = m:weight_bytes()
  local gbs = tpp.core.bench_membw(bytes, 0, 0.3)
  local roof = gbs * 1e9 / bytes
  base = base or tok_s
  print(("%-4s %7.1f MB  %8.1f tok/s  roofline %8.1f tok/s (%3.0f%%)  %.2fx f32"):format(
    weights, bytes / 1e6, tok_s, roof, 100 * tok_s / roof, tok_s / base))
  m:free()
end
os.remove(path)
