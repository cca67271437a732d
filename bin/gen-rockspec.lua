-- gen-rockspec.lua: rewrite the C source list and the Lua module list of
-- rockspec/tpp-scm-1.rockspec from the files in the tree, so the rockspec
-- builds exactly what the Makefile builds; then write the released rockspec
-- rockspec/tpp-VERSION-1.rockspec (VERSION from include/tpp.h) from it, with
-- the release tarball of `make dist` as its source.
-- Usage: lua bin/gen-rockspec.lua
local path = arg[1] or "rockspec/tpp-scm-1.rockspec"
local f = assert(io.open(path, "rb"))
local text = f:read("*a")
f:close()

local function list(cmd)
  local out, p = {}, assert(io.popen(cmd))
  for line in p:lines() do out[#out + 1] = line end
  p:close()
  table.sort(out)
  return out
end

local sources = list("ls csrc/*.c csrc/kernels/*.c csrc/lua/*.c 2>/dev/null")
local src_lines = {}
for i = 1, #sources, 3 do
  local row = {}
  for j = i, math.min(i + 2, #sources) do row[#row + 1] = ('"%s",'):format(sources[j]) end
  src_lines[#src_lines + 1] = "        " .. table.concat(row, " ")
end
local new_sources = "sources = {\n" .. table.concat(src_lines, "\n") .. "\n      },"

local mods = {}
for _, file in ipairs(list("find lua/tpp -name '*.lua'")) do
  local mod = file:gsub("^lua/", ""):gsub("%.lua$", ""):gsub("/", "."):gsub("%.init$", "")
  mods[#mods + 1] = ('    ["%s"] = "%s",'):format(mod, file)
end

local n
text, n = text:gsub("sources = {.-\n      },", function() return new_sources end, 1)
assert(n == 1, "no sources block found")
-- the module block: every "lua/tpp/..." entry after the tpp.core table, up to
-- the end of `modules` (replacing all of them, so no stale or duplicate entry stays)
text, n = text:gsub('(\n    },)\n    %["tpp[^\n]-"%] = "lua/tpp/.-\n  },\n  install', function(core_end)
  return core_end .. "\n" .. table.concat(mods, "\n") .. "\n  },\n  install"
end, 1)
assert(n == 1, "no module block found")
f = assert(io.open(path, "wb"))
f:write(text)
f:close()
print(("%s: %d C sources, %d Lua modules"):format(path, #sources, #mods))

-- the released rockspec: the same build, version and source of the release
local h = assert(io.open("include/tpp.h", "rb")):read("*a")
local version = table.concat({ h:match(
  "TPP_VERSION_MAJOR = (%d+),%s+TPP_VERSION_MINOR = (%d+),%s+TPP_VERSION_PATCH = (%d+)") }, ".")
assert(version:match("^%d+%.%d+%.%d+$"), "no TPP_VERSION_* in include/tpp.h")
local release = text:gsub('\nversion = "scm%-1"\n', ('\nversion = "%s-1"\n'):format(version), 1)
  :gsub("%-%- Offline from a checkout:.-\nrockspec_format", ("-- Release %s, built from the tarball `make dist` writes:\n" ..
    "--   make dist && cd build && luarocks build ../rockspec/tpp-%s-1.rockspec\nrockspec_format"):format(version, version), 1)
  :gsub('\nsource = { url = "%." }\n', ('\nsource = { url = "tpp-%s.tar.gz", dir = "tpp-%s" }\n'):format(version, version), 1)
local rpath = ("rockspec/tpp-%s-1.rockspec"):format(version)
f = assert(io.open(rpath, "wb"))
f:write(release)
f:close()
print(rpath .. ": released rockspec of " .. version)
