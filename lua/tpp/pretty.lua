--- tpp.pretty: readable rendering of Lua values for the REPL.
-- Sorted keys, identifiers unquoted, arrays inline when short, a depth limit,
-- cycles marked as <cycle: path>, numbers in their shortest exact form,
-- objects with __tostring (chips, batches) shown through it.
local util = require "tpp.util"

local M = {}

local function key_text(k)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") then return k end
  if type(k) == "string" then return ("[%q]"):format(k) end
  return "[" .. tostring(k) .. "]"
end

local function scalar(v)
  local t = type(v)
  if t == "string" then return ("%q"):format(v):gsub("\\\n", "\\n") end
  if t == "number" then return util.num(v) end
  return tostring(v)
end

local function render(v, opts, depth, path, seen, indent)
  if type(v) ~= "table" then return scalar(v) end
  local mt = getmetatable(v)
  if mt and mt.__tostring and not opts.raw then return tostring(v) end
  if seen[v] then return "<cycle: " .. seen[v] .. ">" end
  if depth >= opts.depth then return "{...}" end
  seen[v] = path
  local n = #v
  local parts, all_scalar = {}, true
  for i = 1, n do
    local x = v[i]
    if type(x) == "table" then all_scalar = false end
    parts[#parts + 1] = render(x, opts, depth + 1, path .. "[" .. i .. "]", seen, indent .. "  ")
  end
  local keys = {}
  for k in pairs(v) do
    if not (type(k) == "number" and k >= 1 and k <= n and k == math.floor(k)) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    if ta == "number" or ta == "string" then return a < b end
    return tostring(a) < tostring(b)
  end)
  for _, k in ipairs(keys) do
    local x = v[k]
    if type(x) == "table" then all_scalar = false end
    parts[#parts + 1] = key_text(k) .. " = " ..
      render(x, opts, depth + 1, path .. "." .. tostring(k), seen, indent .. "  ")
  end
  seen[v] = nil
  if #parts == 0 then return "{}" end
  if opts.max_items and #parts > opts.max_items then
    local more = #parts - opts.max_items
    for i = #parts, opts.max_items + 1, -1 do parts[i] = nil end
    parts[#parts + 1] = ("... %d more"):format(more)
  end
  local inline = "{ " .. table.concat(parts, ", ") .. " }"
  if all_scalar and #inline + #indent <= opts.width then return inline end
  return "{\n" .. indent .. "  " .. table.concat(parts, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
end

--- Render a value. opts: depth (default 4), width (default 78),
-- max_items (default 200), raw (ignore __tostring).
function M.format(v, opts)
  opts = opts or {}
  local o = { depth = opts.depth or 4, width = opts.width or 78, max_items = opts.max_items or 200,
              raw = opts.raw }
  return render(v, o, 0, "<root>", {}, "")
end

return M
