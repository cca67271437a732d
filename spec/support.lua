-- Helpers shared by the specs (not a spec itself: no _spec suffix).
local M = {}

--- The command that runs the interpreter running the specs.
function M.interpreter()
  if rawget(_G, "jit") then return "luajit" end
  return _VERSION == "Lua 5.4" and "lua5.4" or "lua5.1"
end

--- Run bin/tpp ARGS with the same interpreter and binding; returns output
-- (stdout and stderr) and the exit status.
function M.tpp_cmd(args)
  local binding = os.getenv("TPP_BINDING")
  local env = "TPP_LUA=" .. M.interpreter() .. (binding and (" TPP_BINDING=" .. binding) or "")
  local p = io.popen(env .. " bin/tpp " .. args .. " 2>&1; echo \"rc=$?\"")
  local out = p:read("*a")
  p:close()
  local rc = tonumber(out:match("rc=(%d+)%s*$"))
  return (out:gsub("rc=%d+%s*$", "")), rc
end

--- A fresh temporary path ending in suffix. os.tmpname() creates an empty
-- placeholder file; remove it so specs leave nothing behind.
function M.tmpname(suffix)
  local base = os.tmpname()
  os.remove(base)
  return base .. (suffix or "")
end

return M
