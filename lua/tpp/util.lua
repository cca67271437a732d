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

function M.deepcopy(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local out = {}
  seen[v] = out
  for k, x in pairs(v) do out[M.deepcopy(k, seen)] = M.deepcopy(x, seen) end
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

M.SUGGEST_MAX = 64 -- longest name (and candidate) a suggestion is computed for

--- The candidate closest to s (case-insensitive), if it is close enough.
function M.did_you_mean(s, candidates, max_distance)
  -- the edit distance costs #s x #candidate: a name of a megabyte (from a
  -- rule file or an input file) gets no suggestion rather than minutes of work
  if type(s) ~= "string" or #s > M.SUGGEST_MAX then return nil end
  local best, best_d
  local ls = s:lower()
  -- a candidate that extends what was typed ("die_area" -> "die_area_mm2") wins
  if #ls >= 3 then
    local prefixed
    for _, c in ipairs(candidates) do
      if c:sub(1, #ls):lower() == ls and (not prefixed or #c < #prefixed) then prefixed = c end
    end
    if prefixed then return prefixed end
  end
  for _, c in ipairs(candidates) do
    local d = #c <= M.SUGGEST_MAX and M.levenshtein(ls, c:lower()) or math.huge
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

return M
