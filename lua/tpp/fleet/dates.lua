--- tpp.fleet.dates: periods of fleet rows and stocks as of a date.
--
-- A row's period is a day ("2025-01-31"), a year ("2024"), a half ("2025-H1"),
-- a quarter ("2025-Q1"), a month ("2025-02"), a range of those ("2025-02..2025-04",
-- both ends included), or "undated" (counted at every date). Internally a
-- period is a half-open range of day numbers [start, finish).
--
-- Stock as of a date D (the whole of day D counts): a flow row (shipment,
-- production, smuggled) arrives evenly over its period, so the part of it
-- before the end of D counts; a stock row counts from its period's start
-- (what was held before the observation is not known). With a retirement age
-- of A years, only units that arrived within the A years before the end of D
-- remain. Orders are not deliveries and are left out of stocks (named).
local M = {}

M.MIN_YEAR, M.MAX_YEAR = 1990, 2100
M.DAYS_PER_YEAR = 365.25

local function is_leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end

local MONTH_DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

--- Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
-- days_from_civil, in integer arithmetic).
function M.day_number(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end

--- The date "YYYY-MM-DD" of a day number.
function M.date_of(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return ("%04d-%02d-%02d"):format(y, m, d)
end

local function check_year(y, text)
  if y < M.MIN_YEAR or y > M.MAX_YEAR then
    return nil, ("'%s': year %d is out of range (%d..%d)"):format(text, y, M.MIN_YEAR, M.MAX_YEAR)
  end
  return true
end

--- A calendar date "YYYY-MM-DD" -> day number, or nil and a message.
function M.parse_date(s)
  if type(s) ~= "string" then return nil, ("date expected (YYYY-MM-DD), got %s"):format(type(s)) end
  local y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return nil, ("'%s' is not a date; write YYYY-MM-DD"):format(s) end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local ok, msg = check_year(y, s)
  if not ok then return nil, msg end
  if m < 1 or m > 12 then return nil, ("'%s': month %d does not exist"):format(s, m) end
  local dim = MONTH_DAYS[m] + ((m == 2 and is_leap(y)) and 1 or 0)
  if d < 1 or d > dim then return nil, ("'%s': day %d does not exist in that month"):format(s, d) end
  return M.day_number(y, m, d)
end

-- One end of a period: start and finish day numbers of a single unit.
local function unit_range(s)
  local y = s:match("^(%d%d%d%d)$")
  if y then
    y = tonumber(y)
    local ok, msg = check_year(y, s)
    if not ok then return nil, msg end
    return M.day_number(y, 1, 1), M.day_number(y + 1, 1, 1)
  end
  local yq, q = s:match("^(%d%d%d%d)%-[Qq](%d)$")
  if yq then
    yq, q = tonumber(yq), tonumber(q)
    local ok, msg = check_year(yq, s)
    if not ok then return nil, msg end
    if q < 1 or q > 4 then return nil, ("'%s': quarter %d does not exist (Q1..Q4)"):format(s, q) end
    local m0 = 3 * (q - 1) + 1
    return M.day_number(yq, m0, 1), q == 4 and M.day_number(yq + 1, 1, 1) or M.day_number(yq, m0 + 3, 1)
  end
  local yh, h = s:match("^(%d%d%d%d)%-[Hh](%d)$")
  if yh then
    yh, h = tonumber(yh), tonumber(h)
    local ok, msg = check_year(yh, s)
    if not ok then return nil, msg end
    if h < 1 or h > 2 then return nil, ("'%s': half %d does not exist (H1, H2)"):format(s, h) end
    return h == 1 and M.day_number(yh, 1, 1) or M.day_number(yh, 7, 1),
      h == 1 and M.day_number(yh, 7, 1) or M.day_number(yh + 1, 1, 1)
  end
  local ym, mm = s:match("^(%d%d%d%d)%-(%d%d)$")
  if ym then
    ym, mm = tonumber(ym), tonumber(mm)
    local ok, msg = check_year(ym, s)
    if not ok then return nil, msg end
    if mm < 1 or mm > 12 then return nil, ("'%s': month %d does not exist"):format(s, mm) end
    return M.day_number(ym, mm, 1), mm == 12 and M.day_number(ym + 1, 1, 1) or M.day_number(ym, mm + 1, 1)
  end
  if s:match("^%d%d%d%d%-%d%d%-%d%d$") then
    local z, msg = M.parse_date(s)
    if not z then return nil, msg end
    return z, z + 1
  end
  return nil, ("'%s' is not a period; write YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, YYYY-MM-DD, " ..
    "FROM..TO of those, or 'undated'"):format(s)
end

--- A period string -> { text, start, finish } (day numbers, finish exclusive),
-- { text = "undated" } for an undated row, or nil and a message.
function M.parse_period(s)
  if type(s) ~= "string" then return nil, ("period expected (text), got %s"):format(type(s)) end
  s = s:gsub("^%s+", ""):gsub("%s+$", "")
  if s == "undated" then return { text = "undated" } end
  local a, b = s:match("^(.-)%s*%.%.%s*(.-)$")
  local start, finish, msg
  if a then
    local s1, f1 = unit_range(a)
    if not s1 then return nil, f1 end
    local s2, f2 = unit_range(b)
    if not s2 then return nil, f2 end
    if s2 < s1 then return nil, ("'%s': the range ends before it starts"):format(s) end
    start, finish = s1, f2
  else
    start, finish = unit_range(s)
    if not start then return nil, finish end
  end
  msg = nil
  return { text = s, start = start, finish = finish, first = M.date_of(start), last = M.date_of(finish - 1) }, msg
end

local FLOW = { shipment = true, production = true, smuggled = true }
M.FLOW = FLOW

--- The fraction of a row's units held at the end of day `as_of_day`, with an
-- optional retirement age (years); nil and a reason when the row does not
-- count (an order).
function M.held_fraction(kind, period, as_of_day, retire_years, include_orders)
  if kind == "order" and not include_orders then return nil, "an order, not a delivery" end
  if not period.start then return 1 end -- undated: counted at every date
  local stop = as_of_day + 1
  local start, finish = period.start, period.finish
  if kind == "stock" and not FLOW[kind] then finish = start + 1 end -- held from its date
  local lo = start
  if retire_years then lo = math.max(start, stop - retire_years * M.DAYS_PER_YEAR) end
  local hi = math.min(finish, stop)
  if hi <= lo then return 0 end
  return (hi - lo) / (finish - start)
end

return M
