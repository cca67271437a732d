-- The licence answers frozen before the licence scope moved from tpp.dest's if-statements into rule
-- data (spec/golden/licence_grid.txt: chip x country x date x headquarters, both views). Every cell
-- must still agree, except the changes the port made on purpose, each named below with the number of
-- cells it moves; a cell that changes for another reason fails.
local tpp = require "tpp"
local rules = require "tpp.rules"
local dest = require "tpp.dest"
local licence = require "tpp.screen.licence"
local screen = require "tpp.screen"
local grid = require "golden.licence_grid_axes"

local function new_cell(chip, country, date, hq)
  local ok, v = pcall(rules.at, date)
  if not ok then return "E-------" end
  local it = screen.item_facts(chip, date, v)
  local f = licence.facts { as_of = date, dest = dest.destination(country), hq = hq and dest.destination(hq) or nil,
    item = it.par, values = it.values, exported_from_us = true, us_available = it.us_available }
  local e = licence.evaluate(v, date, f, "enforced")
  local cf = licence.evaluate(v, date, f, "cfr-text")
  return grid.cell { licence_required = e.licence_required, review_policy = e.review_policy,
    exceptions = e.exceptions, views = { cfr_text = cf } }
end

-- cell positions: 1 licence, 2 review, 3 NAC, 4 ACA, 5 LPP, 6 HBM, 7 CFR-text licence
local function only(old, new, positions)
  for i = 1, 8 do
    local a, b = old:sub(i, i), new:sub(i, i)
    if a ~= b and not positions[i] then return false end
  end
  return true
end

-- The intended changes: id, why, test(chip, date, country, hq, old, new), cells.
-- luacheck: no unused args
local INTENDED = {
  { "macau-2023-01-17",
    "88 FR 2821 took effect 2023-01-17: Macau's 3A090 licence requirement starts that day, not 2023-01-18",
    function(c, d, k, h, o, n)
      return k == "MO" and d == "2023-01-17" and o:sub(1, 1) == "N" and n:sub(1, 1) == "R" and only(o, n, { true, [7] = true })
    end, 16 },
  { "hbm-2022-not-controlled",
    "a stand-alone HBM stack has no processing unit: not 3A090 under the 2022 text either (licence N, not U)",
    function(c, d, k, h, o, n)
      return c:match("^grid_hbm") and d < "2023-11-17" and o == "U-nnnnU." and n == "N-nnnnN."
    end, 896 },
  { "us-destination-no-exception-needed",
    "to the United States no licence is needed, so every exception is 'not needed' (was left blank)",
    function(c, d, k, h, o, n) return k == "US" and o == "N-uuuuN." and n == "N-nnnnN." end, 1232 },
  { "cfr-text-after-2025-05-13",
    "between 2025-05-13 and 2026-01-14 the CFR-text view now holds the AI Diffusion text (still in the eCFR), " ..
      "as it already did from 2026-01-15: the worldwide 3A090.a requirement from 2025-05-15",
    function(c, d, k, h, o, n)
      return d >= "2025-05-13" and d < "2026-01-15" and o:sub(7, 7) == "N" and n:sub(7, 7) == "R" and only(o, n, { [7] = true })
    end, 168 },
  { "lpp-open-after-2025-05-13",
    "between 2025-05-13 and 2026-01-14 License Exception LPP is an open question in the enforced view (text BIS " ..
      "does not enforce), as it already was from 2026-01-15",
    function(c, d, k, h, o, n)
      return d >= "2025-05-13" and d < "2026-01-15" and o:sub(5, 5) == "n" and n:sub(5, 5) == "u" and
        only(o, n, { [3] = true, [5] = true })
    end, 144 },
  { "exception-cannot-apply",
    "with an unknown datacenter flag, NAC (only for Macau/D:5 destinations or buyers) and ACA (only outside them, " ..
      "and only from 2024-04-04) are 'not available' where they cannot apply, instead of undetermined",
    function(c, d, k, h, o, n)
      if c ~= "grid_nodc" then return false end
      for i = 3, 4 do
        local a, b = o:sub(i, i), n:sub(i, i)
        if a ~= b and not (a == "u" and b == "n") then return false end
      end
      return only(o, n, { [3] = true, [4] = true, [5] = true }) and (o:sub(5, 5) == n:sub(5, 5) or
        (d >= "2025-05-13" and d < "2026-01-15"))
    end, 950 },
  { "h200-us-availability",
    "91 FR 1684's case-by-case review needs a chip commercially available in the US when the rule was published: " ..
      "the China-market A800 stays presumption of denial; chips whose availability is not given are undetermined",
    function(c, d, k, h, o, n)
      if d < "2026-01-15" or o:sub(2, 2) ~= "c" then return false end
      if c == "nv_a800_sxm" then return n:sub(2, 2) == "d" and only(o, n, { [2] = true }) end
      -- grid_nodc's ACA also moves from undetermined to not available (exception-cannot-apply)
      local aca_ok = o:sub(4, 4) == n:sub(4, 4) or (c == "grid_nodc" and o:sub(4, 4) == "u" and n:sub(4, 4) == "n")
      return (c == "grid_nodc" or c == "grid_b") and n:sub(2, 2) == "u" and aca_ok and only(o, n, { [2] = true, [4] = true })
    end, 216 },
}

describe("the frozen licence grid (tpp.dest before the port)", function()
  local frozen = {}
  for line in io.lines("spec/golden/licence_grid.txt") do
    if line:sub(1, 1) ~= "#" then
      local chip, date, rest = line:match("^(%S+) (%S+) (.*)$")
      local cells = {}
      for c in rest:gmatch("%S+") do cells[#cells + 1] = c end
      frozen[chip .. " " .. date] = cells
    end
  end

  it("agrees cell by cell, except the intended changes, each with its count", function()
    local counts, unexplained, total = {}, {}, 0
    for _, spec in ipairs(grid.CHIPS) do
      local chip = tpp.chip(spec)
      local id = chip.data.id
      for _, date in ipairs(grid.DATES) do
        local old_cells = frozen[id .. " " .. date]
        assert.is_table(old_cells, id .. " " .. date)
        local i = 0
        for _, country in ipairs(grid.COUNTRIES) do
          for _, hq in ipairs(grid.HQS) do
            i = i + 1
            total = total + 1
            local old, new = old_cells[i], new_cell(chip, country, date, hq or nil)
            if old ~= new then
              local why
              for _, c in ipairs(INTENDED) do
                if c[3](id, date, country, hq, old, new) then why = c[1]; break end
              end
              if why then
                counts[why] = (counts[why] or 0) + 1
              elseif #unexplained < 20 then
                unexplained[#unexplained + 1] = ("%s %s %s hq=%s: %s -> %s"):format(id, date, country,
                  tostring(hq), old, new)
              end
            end
          end
        end
      end
    end
    assert.same({}, unexplained)
    if os.getenv("TPP_GRID_COUNTS") then for k, v in pairs(counts) do print(k, v) end end
    for _, c in ipairs(INTENDED) do
      assert.equal(c[4], counts[c[1]] or 0, c[1] .. ": " .. c[2])
    end
    assert.equal(#grid.CHIPS * #grid.DATES * #grid.COUNTRIES * #grid.HQS, total)
  end)
end)
