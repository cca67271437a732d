--- tpp.fleet.chips: database chips as chip objects, for the fleet modules
-- (which sit below the top-level tpp module and so do not require it).
local db = require "tpp.chips"
local spec = require "tpp.spec"

local M = {}

local cache = {}

--- A chip object from an object, a database id, name or alias; nil and a
-- "did you mean" message for an unknown name.
function M.get(x)
  if spec.is_chip(x) then return x end
  if type(x) == "table" then return spec.new(x) end
  local id, msg = db.resolve(x)
  if not id then return nil, msg end
  local c = cache[id]
  if not c then
    c = spec.new(db.get(id))
    cache[id] = c
  end
  return c
end

--- The same, raising the message.
function M.must(x)
  local c, msg = M.get(x)
  if not c then error("tpp: " .. msg, 0) end
  return c
end

return M
