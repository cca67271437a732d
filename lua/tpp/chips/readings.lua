--- tpp.chips.readings: the readings of a chip's figures that can change an
-- answer. A published figure is sometimes read in more than one defensible
-- way: TF32 counted at 19 or 32 bits (or left out), FP6 counted at 6 bits or
-- not at all, an estimated die area against another estimate, a dual-die part
-- judged per package or per die. tpp answers on one reading (the chip's data)
-- and names every other reading that would give a different answer.
--
--   local readings = require "tpp.chips.readings"
--   for _, r in ipairs(readings.of(chip)) do print(r.name, r.text) end
--   local alt = readings.apply(chip.data, r)        -- a chip table read the other way
--
-- A reading is { name, text, figures = { ["dense.fp6"] = false, die_area_mm2 = 1017, ... },
-- tf32_bits = 19|32 }: figures replace (a number) or drop (false) figures of the
-- chip; tf32_bits is a metric option. The TF32 and FP6 readings are added for
-- every chip that has those figures; the others come from the chip's data.
local util = require "tpp.util"

local M = {}

M.TF32_TEXT = "tpp leaves TF32 out of the maximum (19 significant bits in a 32-bit container; the TPP " ..
  "definition gives it no bit length)"

-- The readings tpp considers for a chip table (the database row or a user's
-- chip): automatic ones first, then the chip's own.
function M.of(data)
  local out = {}
  local dense = data.dense or {}
  local has_tf32 = dense.tf32 ~= nil
  for _, u in ipairs(data.units or {}) do has_tf32 = has_tf32 or (u.dense and u.dense.tf32 ~= nil) end
  if has_tf32 then
    out[#out + 1] = { name = "tf32-19-bits", tf32_bits = 19, auto = true,
      text = "TF32 counted at 19 bits, as Epoch AI does; " .. M.TF32_TEXT }
    out[#out + 1] = { name = "tf32-32-bits", tf32_bits = 32, auto = true,
      text = "TF32 counted at its 32-bit container width; " .. M.TF32_TEXT }
  end
  if dense.fp6 ~= nil then
    out[#out + 1] = { name = "fp6-not-counted", figures = { ["dense.fp6"] = false }, auto = true,
      text = "FP6 left out of the maximum; tpp counts FP6 at its literal 6-bit length" }
  end
  for _, r in ipairs(data.readings or {}) do out[#out + 1] = r end
  return out
end

local function set_path(t, path, v)
  local head, rest = path:match("^([^%.]+)%.(.+)$")
  if head then
    t[head] = t[head] or {}
    return set_path(t[head], rest, v)
  end
  if v == false then t[path] = nil else t[path] = v end
end

--- A copy of the chip table with the reading's figures applied (the reading's
-- own options, such as tf32_bits, are returned as the second value).
function M.apply(data, reading)
  local c = util.deepcopy(data)
  c.readings, c.evidence, c.assumptions = nil, nil, nil
  for path, v in util.spairs(reading.figures or {}) do
    set_path(c, path, v)
    if c.provenance then c.provenance[path] = v == false and nil or "derived" end
  end
  -- a replaced total area cannot stand beside a die list
  if reading.figures and reading.figures.die_area_mm2 then c.dies = nil end
  local opts = reading.tf32_bits and { tf32_bits = reading.tf32_bits } or nil
  return c, opts
end

--- Evaluate every reading. answer(alt_chip_table, metric_opts) returns the
-- answer under that reading as a comparable string plus a result table;
-- base is the answer on the chip's own reading. Returns a list of
-- { name, text, answer, changes, tpp, pd } in reading order.
function M.effects(data, base, answer)
  local out = {}
  for _, r in ipairs(M.of(data)) do
    local alt, opts = M.apply(data, r)
    local key, res = answer(alt, opts)
    out[#out + 1] = {
      name = r.name, text = r.text, answer = key, changes = key ~= base,
      tpp = res and res.values and res.values.tpp, pd = res and res.values and res.values.pd,
    }
  end
  return out
end

return M
