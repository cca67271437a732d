--- tpp.fleet.scenarios: named, sourced fleets shipped with tpp. Each is data
-- (rows with their source and provenance, or a list of other scenarios);
-- `tpp fleet --scenarios` lists them, and any of them can be combined,
-- changed (--set ID.FIELD=VALUE, --drop ID) or copied into a file.
local util = require "tpp.util"

local M = {}

M.FILES = { "china_imports", "china_domestic", "smuggling", "orders", "companies", "aggregates", "debate" }

local by_id, order

local function load()
  if by_id then return end
  by_id, order = {}, {}
  for _, f in ipairs(M.FILES) do
    for _, s in ipairs(require("tpp.fleet.scenarios." .. f)) do
      assert(not by_id[s.id], "scenario id used twice: " .. s.id)
      s.file = f
      by_id[s.id] = s
      order[#order + 1] = s.id
    end
  end
end

--- Every scenario id, in catalogue order.
function M.ids()
  load()
  return util.deepcopy(order)
end

--- Is `name` a scenario id?
function M.exists(name)
  load()
  return by_id[name] ~= nil
end

--- A scenario (a copy) by id; an unknown id raises with a suggestion.
function M.get(id)
  load()
  local s = by_id[id]
  if not s then
    local hint = util.did_you_mean(tostring(id), order)
    error(("tpp.fleet: no scenario '%s'%s; 'tpp fleet --scenarios' lists them"):format(tostring(id),
      hint and ("; did you mean '" .. hint .. "'?") or ""), 0)
  end
  return util.deepcopy(s)
end

--- The rows of a scenario with its includes expanded (each row tagged with
-- the scenario it comes from), and the assumptions met on the way.
function M.expand(id, seen, rows, assumptions)
  seen, rows, assumptions = seen or {}, rows or {}, assumptions or {}
  if seen[id] then return rows, assumptions end
  seen[id] = true
  local s = M.get(id)
  for _, a in ipairs(s.assumptions or {}) do assumptions[#assumptions + 1] = id .. ": " .. a end
  for _, inc in ipairs(s.includes or {}) do M.expand(inc, seen, rows, assumptions) end
  for _, r in ipairs(s.rows or {}) do rows[#rows + 1] = { row = r, scenario = id } end
  return rows, assumptions
end

--- One line per scenario: id, title, rows (after includes), includes.
function M.list()
  load()
  local out = {}
  for _, id in ipairs(order) do
    local s = by_id[id]
    local rows = M.expand(id)
    out[#out + 1] = { id = id, title = s.title, rows = #rows, includes = s.includes and util.deepcopy(s.includes) }
  end
  return out
end

return M
