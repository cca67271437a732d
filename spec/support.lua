-- Helpers shared by the specs (not a spec itself: no _spec suffix).
local M = {}

--- The command that runs the interpreter running the specs.
function M.interpreter()
  if rawget(_G, "jit") then return "luajit" end
  return _VERSION == "Lua 5.4" and "lua5.4" or "lua5.1"
end

--- Run bin/tpp ARGS with the same interpreter and binding; returns output
-- (stdout and stderr) and the exit status. env: extra variables, e.g.
-- { COLUMNS = 200 }; without COLUMNS, tables fit 80 columns (not a terminal).
function M.tpp_cmd(args, env_vars)
  local binding = os.getenv("TPP_BINDING")
  local env = "TPP_LUA=" .. M.interpreter() .. (binding and (" TPP_BINDING=" .. binding) or "")
  for k, v in pairs(env_vars or {}) do env = env .. " " .. k .. "=" .. tostring(v) end
  if not (env_vars and env_vars.COLUMNS) then env = "COLUMNS= " .. env end
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
