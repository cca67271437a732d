-- How fast do chips serve an LLM? The serving model from Lua.
-- Run: lua5.4 examples/serving.lua (from the checkout, after make)
package.path = "./lua/?.lua;./lua/?/init.lua;" .. package.path
package.cpath = "./build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;" .. package.cpath
local tpp = require "tpp"

-- Offline throughput of Llama 3.1 70B on an 8-chip node, per chip, with the range
-- the efficiency table's uncertainty gives.
for _, chip in ipairs({ "H100", "H20", "H200" }) do
  local r = tpp.serve.evaluate { chip = chip, model = "llama-3.1-70b", scenario = "offline", chips = 8 }
  print(("%-12s %6.0f tok/s per chip (%.0f-%.0f), plan %s, batch %d, TPOT %.1f ms"):format(r.chip,
    r.per_chip_output_tokens_per_s, r.per_chip_output_tokens_per_s_low, r.per_chip_output_tokens_per_s_high,
    r.parallelism.text, r.batch, r.tpot_ms))
end

-- A latency target: the most tokens per chip with every user above 20 tokens/s.
local s = tpp.serve.evaluate { chip = "H20", model = "llama-3.1-70b", scenario = "server", tpot_ms = 50, chips = 8 }
print(("H20 at TPOT <= 50 ms: %.0f tok/s per chip, %s"):format(s.per_chip_output_tokens_per_s, s.parallelism.text))

-- An impossible deployment is answered as such, with the nearest that works.
local bad = tpp.serve.evaluate { chip = "H100", model = "llama-3.1-405b", precision = "bf16", chips = 4 }
print(bad.status .. ": " .. bad.reason .. "; nearest: " .. bad.nearest.text)

-- The serving-capacity basis: one chip's tokens/s on a declared workload, over the H100's.
local h20 = tpp.serve.throughput { chip = "H20", model = "deepseek-r1", scenario = "offline", chips = 16 }
local h100 = tpp.serve.throughput { chip = "H100", model = "deepseek-r1", scenario = "offline", chips = 16 }
print(("DeepSeek-R1 offline, 16 chips: one H20 = %.2f H100 (%.2f-%.2f)"):format(h20.central / h100.central,
  h20.low / h100.high, h20.high / h100.low))
