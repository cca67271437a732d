-- gen-cdef.lua: extract the FFI regions of include/tpp.h into a Lua module.
-- Usage: lua bin/gen-cdef.lua include/tpp.h > lua/tpp/cdef.lua
-- Regions run from "/* TPP_FFI_BEGIN name */" to "/* TPP_FFI_END name */"
-- and must hold declarations only; a preprocessor line there is an error.
local path = assert(arg[1], "usage: gen-cdef.lua include/tpp.h")
local f = assert(io.open(path, "rb"))
local text = f:read("*a")
f:close()

local parts, n = {}, 0
for name, body in text:gmatch("/%*%s*TPP_FFI_BEGIN%s+(%w+)%s*%*/(.-)/%*%s*TPP_FFI_END%s+%1%s*%*/") do
  n = n + 1
  local lineno = 0
  for line in body:gmatch("([^\n]*)\n?") do
    lineno = lineno + 1
    if line:match("^%s*#") then
      io.stderr:write(("%s: region '%s' line %d: preprocessor lines are not allowed in an FFI region\n")
        :format(path, name, lineno))
      os.exit(1)
    end
  end
  -- Drop comments so the cdef is compact; LuaJIT's parser accepts them anyway.
  body = body:gsub("/%*.-%*/", ""):gsub("//[^\n]*", "")
  body = body:gsub("[ \t]+\n", "\n"):gsub("\n\n+", "\n")
  parts[#parts + 1] = ("-- region: %s\n%s"):format(name, body)
end
if n == 0 then
  io.stderr:write(path .. ": no TPP_FFI_BEGIN/TPP_FFI_END regions found\n")
  os.exit(1)
end

local out = {}
out[#out + 1] = "-- Generated from include/tpp.h by bin/gen-cdef.lua; do not edit."
out[#out + 1] = "-- Regenerate with: make cdef"
out[#out + 1] = "return [==["
for _, p in ipairs(parts) do
  -- keep the region markers as C comments inside the cdef string
  out[#out + 1] = (p:gsub("^%-%- region: (%w+)", "/* region %1 */"))
end
out[#out + 1] = "]==]"
io.write(table.concat(out, "\n"), "\n")
