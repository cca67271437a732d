-- Freezes the licence answers of 3A090 destination scope (chip x country x
-- date x headquarters) as a text grid, so that porting the licence logic from
-- code to rule data can be checked block by block. Run from the checkout:
--   lua5.4 spec/golden/licence_grid_make.lua > spec/golden/licence_grid.txt
-- The grid written on 2026-12-08 froze tpp.dest.decide() as called by
-- `tpp classify --dest` before the port; later runs of this script use
-- tpp.screen's licence stage (spec/licence_grid_spec.lua names every
-- intended difference).
package.path = "./lua/?.lua;./lua/?/init.lua;./spec/?.lua;" .. package.path
package.cpath = "./build/5.4/?.so;" .. package.cpath
local grid = require "golden.licence_grid_axes"
local answer = grid.answer_function()
local out = { "# " .. grid.HEADER }
for _, chip in ipairs(grid.CHIPS) do
  for _, date in ipairs(grid.DATES) do
    local cells = {}
    for _, country in ipairs(grid.COUNTRIES) do
      for _, hq in ipairs(grid.HQS) do
        cells[#cells + 1] = answer(chip, country, date, hq)
      end
    end
    out[#out + 1] = ("%s %s %s"):format(chip.id or chip, date, table.concat(cells, " "))
  end
end
io.write(table.concat(out, "\n"), "\n")
