-- The README's first example. Run: lua5.4 examples/quickstart.lua (after make)
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/" .. (_VERSION == "Lua 5.4" and "5.4" or "5.1") .. "/?.so;" .. package.cpath

local tpp = require "tpp"
local h20 = tpp.chip "H20"
print(h20:tpp())
print(h20:pd())
print(tpp.h100e(h20, "8bit"))

local mine = tpp.chip { name = "My NPU", datacenter = true,
  dense = { bf16 = 300, fp8 = 600 },
  dies = { { area_mm2 = 420, kind = "logic", planar = false },
           { area_mm2 = 110, kind = "memory" } },
  memory = { bandwidth_gbs = 3200 } }
local m = mine:metrics()
print(m.tpp, m.tpp_precision, m.pd)
