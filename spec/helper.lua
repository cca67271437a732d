-- Loaded by busted before the specs: point package paths at the checkout.
local abi = _VERSION == "Lua 5.4" and "5.4" or (_VERSION == "Lua 5.1" and "5.1") or nil
assert(abi, "tpp specs run under Lua 5.1, 5.4 or LuaJIT, not " .. _VERSION)
package.path = "./lua/?.lua;./lua/?/init.lua;./spec/?.lua;" .. package.path
package.cpath = "./build/" .. abi .. "/?.so;" .. package.cpath
