-- The axes of the frozen licence grid (spec/golden/licence_grid.txt) and the
-- code of one cell. A cell is 8 characters:
--   1 licence required: R yes, N no, U undetermined, E no rule on the date
--   2 review policy: d denial, a approval, c case-by-case, u undetermined, - none
--   3-6 License Exceptions NAC, ACA, LPP, HBM: y available, n not, u undetermined
--   7 the CFR-text view's licence: R, N, U
--   8 '.' (reserved)
local M = {}

M.HEADER = "chip date then, per country x hq, the cell code of licence_grid_axes.lua"

-- Database chips by class, and made-up chips for the classes the database lacks.
M.CHIPS = {
  "nv_h100_sxm",        -- 3A090.a datacenter; H200 review lines
  "nv_h200_sxm",        -- 3A090.a datacenter, below the 91 FR 1684 lines
  "nv_b200",            -- above the 91 FR 1684 lines
  "nv_a800_sxm",        -- 3A090.a from 2023-11-17; not controlled in 2022 (I/O < 600)
  "nv_h20",             -- outside 3A090
  "nv_rtx4090",         -- 3A090.a not datacenter (NAC/ACA)
  "nv_rtx4090d",        -- outside 3A090 (Note 2)
  { id = "grid_b", name = "grid 3A090.b.1", datacenter = true, dense = { fp16 = 187.5 },
    die_area_mm2 = 1500, memory = { bandwidth_gbs = 2000 }, interconnect_gbs = 200 },
  { id = "grid_nodc", name = "grid unknown datacenter flag", dense = { fp16 = 312.5 },
    die_area_mm2 = 800, memory = { bandwidth_gbs = 2000 }, interconnect_gbs = 700 },
  { id = "grid_hbm_lo", name = "grid HBM stack 2.5", form = "HBM stack",
    memory = { bandwidth_gbs = 250, package_area_mm2 = 100 } },
  { id = "grid_hbm_hi", name = "grid HBM stack 3.5", form = "HBM stack",
    memory = { bandwidth_gbs = 350, package_area_mm2 = 100 } },
}

M.COUNTRIES = { "CN", "HK", "MO", "VN", "SA", "AE", "IL", "DE", "TW", "MY", "IN", "KH", "RU", "IR", "US", "BR",
  "SG" }
M.HQS = { false, "CN", "US", "MO" }

-- Every date boundary the rules and the groups knew of, and the day before.
M.DATES = {
  "2022-10-07", "2023-01-16", "2023-01-17", "2023-01-18", "2023-10-22", "2023-10-23", "2023-11-16",
  "2023-11-17", "2024-04-03", "2024-04-04", "2024-12-01", "2024-12-02", "2024-12-31", "2025-01-12",
  "2025-01-13", "2025-01-15", "2025-04-09", "2025-05-12", "2025-05-13", "2025-05-14", "2025-05-15",
  "2026-01-14", "2026-01-15", "2026-02-03", "2026-02-04", "2026-07-09", "2026-07-10", "2026-12-07",
}

local function tri(v) if v == nil then return "U" end return v and "R" or "N" end
local function avail(e) if e == nil or e.available == nil then return "u" end return e.available and "y" or "n" end
local POLICY = { ["presumption of denial"] = "d", ["presumption of approval"] = "a", ["case-by-case"] = "c" }

--- The cell of a licence record in the shape of tpp.dest.decide's result.
function M.cell(l)
  local ex = {}
  for _, e in ipairs(l.exceptions or {}) do ex[e.id] = e end
  local p = l.review_policy
  local pc = p == nil and "-" or (POLICY[p] or "u")
  local cfr = l.views and l.views.cfr_text and l.views.cfr_text.licence_required
  if l.views == nil then cfr = l.licence_required end
  return tri(l.licence_required) .. pc .. avail(ex.NAC) .. avail(ex.ACA) .. avail(ex.LPP) .. avail(ex.HBM) ..
    tri(cfr) .. "."
end

--- The function that answers one cell with the current code.
function M.answer_function()
  local ok_screen, screen = pcall(require, "tpp.screen")
  if ok_screen and screen.licence_cell then
    return function(chip, country, date, hq) return screen.licence_cell(chip, country, date, hq or nil) end
  end
  local rules = require "tpp.rules"
  return function(chip, country, date, hq)
    local ok, r = pcall(rules.classify, chip, { as_of = date, dest = country, hq = hq or nil })
    if not ok then return "E-------" end
    return M.cell(r.licence)
  end
end

return M
