-- The compiled batch path (csrc/screen.c over tables compiled from the regime data) against the Lua
-- decision path, row by row, on a grid holding every date boundary and the day before it.
local tpp = require "tpp"
local batch = require "tpp.screen.batch"

local function day_before(s)
  local y, m, d = s:match("^(%d+)-(%d+)-(%d+)$")
  return os.date("!%Y-%m-%d", os.time { year = tonumber(y), month = tonumber(m), day = tonumber(d), hour = 12 } - 86400)
end

describe("screening batches (C tables) agree with tpp.screen", function()
  local compiled = batch.compile { chips = { "H20", "A800", "Ascend 910B" },
    dests = { "China", "Macau", "Germany", "UAE", "Iran", "Syria", "Crimea", "United States", "Malaysia" },
    hqs = { "China" } }

  it("on every date boundary and the day before, with and without a headquarters", function()
    local dates = {}
    for i, d in ipairs(compiled.segments) do
      dates[#dates + 1] = d
      if i > 1 then dates[#dates + 1] = day_before(d) end
    end
    local rows = {}
    for c = 1, #compiled.chips do
      for d = 1, #compiled.dests do
        for _, h in ipairs({ false, 1 }) do
          for _, date in ipairs(dates) do rows[#rows + 1] = { chip = c, dest = d, hq = h or nil, date = date } end
        end
      end
    end
    local b = batch.rows(compiled, rows)
    batch.run(compiled, b)
    local wrong, seen = {}, {}
    for i, r in ipairs(rows) do
      local code, review = batch.lua_row(compiled, r.chip, r.dest, r.hq, r.date)
      local got = b:get("decision", i)
      local rc = b:get("review", i)
      local got_review = rc and compiled.reviews[rc] or nil
      seen[code] = true
      if got ~= code or got_review ~= review then
        if #wrong < 10 then
          wrong[#wrong + 1] = ("%s -> %s%s %s: C %s/%s, Lua %s/%s"):format(compiled.chips[r.chip].data.id,
            compiled.dests[r.dest].code, r.hq and " (hq CN)" or "", r.date, tostring(got), tostring(got_review),
            tostring(code), tostring(review))
        end
      end
    end
    assert.same({}, wrong)
    -- the grid exercises every decision but "undetermined" at least
    assert.is_true(seen[0] and seen[1] and seen[2] and seen[3])
  end)

  it("names the first bad row, its field and value", function()
    local b = batch.rows(compiled, { { chip = 1, dest = 1, date = "2025-01-01" }, { chip = 9, dest = 1, date = "2025-01-01" } })
    assert.has_error(function() batch.run(compiled, b) end,
      "tpp: row 2: chip 8, expected an index 0..2")
    local early = batch.rows(compiled, { { chip = 1, dest = 1, date = "2020-01-01" } })
    assert.has_error(function() batch.run(compiled, early) end,
      "tpp: row 1: date 20200101 is before 20221007, the first date the tables cover")
    local raw = tpp.batch(1).raw
    raw:set_column("chip", { 0 }); raw:set_column("dest", { 0 }); raw:set_column("date", { 20250231 })
    assert.has_error(function() batch.run(compiled, raw) end, "tpp: row 1: date 20250231 is not a YYYYMMDD date")
  end)
end)
