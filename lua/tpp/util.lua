--- tpp.util: small helpers shared by the pure-Lua modules.
local M = {}

--- Shortest decimal that reads back as the same double (at most 17 digits).
function M.num(v)
  if v ~= v then return "nan" end
  if v == math.huge then return "inf" end
  if v == -math.huge then return "-inf" end
  if v == math.floor(v) and math.abs(v) < 1e15 then return ("%d"):format(v) end
  for digits = 1, 17 do
    local s = ("%." .. digits .. "g"):format(v)
    if tonumber(s) == v then return s end
  end
  return ("%.17g"):format(v)
end

function M.keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  return out
end

function M.sorted_keys(t)
  local out = M.keys(t)
  table.sort(out, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return ta < tb end
    return a < b
  end)
  return out
end

--- pairs() in sorted key order.
function M.spairs(t)
  local keys, i = M.sorted_keys(t), 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, t[k] end
  end
end

--- A deep copy of plain data. Metatables are not copied, except a JSON
-- array mark (tpp.json.array: a metatable with __jsontype), which is kept.
function M.deepcopy(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local out = {}
  seen[v] = out
  for k, x in pairs(v) do out[M.deepcopy(k, seen)] = M.deepcopy(x, seen) end
  local mt = getmetatable(v)
  if type(mt) == "table" and rawget(mt, "__jsontype") then setmetatable(out, mt) end
  return out
end

function M.levenshtein(a, b)
  local la, lb = #a, #b
  if la == 0 then return lb end
  if lb == 0 then return la end
  local prev, cur = {}, {}
  for j = 0, lb do prev[j] = j end
  for i = 1, la do
    cur[0] = i
    local ca = a:byte(i)
    for j = 1, lb do
      local cost = ca == b:byte(j) and 0 or 1
      local v = prev[j] + 1
      if cur[j - 1] + 1 < v then v = cur[j - 1] + 1 end
      if prev[j - 1] + cost < v then v = prev[j - 1] + cost end
      cur[j] = v
    end
    prev, cur = cur, prev
  end
  return prev[lb]
end

--- The candidate closest to s (case-insensitive), if it is close enough.
function M.did_you_mean(s, candidates, max_distance)
  local best, best_d
  local ls = s:lower()
  -- a candidate that extends what was typed ("die_area" -> "die_area_mm2") wins
  if #ls >= 3 then
    local prefixed
    for _, c in ipairs(candidates) do
      if c:lower():sub(1, #ls) == ls and (not prefixed or #c < #prefixed) then prefixed = c end
    end
    if prefixed then return prefixed end
  end
  for _, c in ipairs(candidates) do
    local d = M.levenshtein(ls, c:lower())
    if not best_d or d < best_d or (d == best_d and c < best) then best, best_d = c, d end
  end
  max_distance = max_distance or math.max(2, math.floor(#s / 3))
  if best_d and best_d <= max_distance then return best end
  return nil
end

--- Integer with thousands separators, or a number with `decimals` places.
function M.fmt(v, decimals)
  if v == nil then return "-" end
  if v ~= v then return "nan" end
  local s = ("%." .. (decimals or 0) .. "f"):format(v)
  local int, frac = s:match("^(-?%d+)(.*)$")
  if not int then return s end
  local sign = ""
  if int:sub(1, 1) == "-" then sign, int = "-", int:sub(2) end
  int = int:reverse():gsub("(%d%d%d)", "%1,"):reverse():gsub("^,", "")
  return sign .. int .. frac
end

function M.trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end

--- Normalized lookup key: lower case, letters and digits only.
function M.squash(s) return (s:lower():gsub("[^%w]", "")) end

-- ---- calendar dates (the one parser every module uses) ----

local DAYS_IN_MONTH = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end

--- Check a "YYYY-MM-DD" calendar date (2024-02-29 yes, 2023-02-29 and
-- 2024-02-30 no). Returns the date, or nil and a message saying what was
-- expected.
function M.check_date(s)
  if type(s) ~= "string" then
    return nil, ("date 'YYYY-MM-DD' expected, got %s"):format(type(s))
  end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return nil, ("'%s' is not a date; expected YYYY-MM-DD"):format(s) end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if y < 1 then return nil, ("'%s': year 0000 does not exist"):format(s) end
  if m < 1 or m > 12 then return nil, ("'%s': month %d is not 01-12"):format(s, m) end
  local dim = DAYS_IN_MONTH[m] + ((m == 2 and leap(y)) and 1 or 0)
  if d < 1 or d > dim then return nil, ("'%s': day %d does not exist in that month"):format(s, d) end
  return s
end

--- "2026-01-01" -> 20260101 for a valid calendar date; nil otherwise.
function M.date_number(s)
  if not M.check_date(s) then return nil end
  return tonumber(s:sub(1, 4)) * 10000 + tonumber(s:sub(6, 7)) * 100 + tonumber(s:sub(9, 10))
end

--- Today (UTC) as YYYY-MM-DD.
function M.today() return os.date("!%Y-%m-%d") end

--- package.searchpath for every interpreter (Lua 5.1 lacks it): the file
-- that would load module name from path, or nil.
function M.searchpath(name, path)
  if package.searchpath then return (package.searchpath(name, path or package.path)) end
  local file = name:gsub("%.", "/")
  for template in (path or package.path):gmatch("[^;]+") do
    local candidate = template:gsub("%?", file)
    local f = io.open(candidate, "r")
    if f then
      f:close()
      return candidate
    end
  end
  return nil
end

--- The whole text of a file, "-" meaning standard input.
-- Returns text, or nil and "cannot read 'PATH': reason".
function M.read_text(path)
  if path == "-" then
    local text = io.stdin:read("*a")
    if text == nil then return nil, "cannot read standard input" end
    return text
  end
  local f, err = io.open(path, "rb")
  if not f then return nil, ("cannot read '%s': %s"):format(path, tostring(err):gsub("^.-: ", "")) end
  local text, rerr = f:read("*a")
  f:close()
  if text == nil then return nil, ("cannot read '%s': %s"):format(path, tostring(rerr)) end
  return text
end

return M
