-- gen-man.lua: write the tpp(1) man page, generated from the command
-- definitions (the same ones `tpp CMD --help` prints). The date is the one of
-- this version's entry in CHANGELOG.md, so the page is reproducible.
-- Usage (from the checkout, after make): lua5.4 bin/gen-man.lua [OUT]
local abi = _VERSION == "Lua 5.4" and "5.4" or "5.1"
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
package.cpath = "build/" .. abi .. "/?.so;" .. package.cpath

local cli = require "tpp.cli"
local version = require("tpp.backend")._VERSION
local date
local f = io.open("CHANGELOG.md", "r")
if f then
  for line in f:lines() do
    local v, d = line:match("^## %[?([%d.]+)%]? %- (%d%d%d%d%-%d%d%-%d%d)")
    if v == version then date = d break end
  end
  f:close()
end
if not date then
  io.stderr:write(("gen-man.lua: CHANGELOG.md has no entry '## %s - YYYY-MM-DD'\n"):format(version))
  os.exit(1)
end
local page = require("tpp.cli.man").page(cli, { date = date })
if arg[1] then
  local out = assert(io.open(arg[1], "wb"))
  out:write(page)
  out:close()
else
  io.write(page)
end
