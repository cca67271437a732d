-- attempt: a check() that keeps 200 KB per chip (finding: the limit reset on every call)
-- expect: needs more than
-- phase: check
version { id = "escape", title = "an escape attempt" }
local keep = {}
paragraph { "p", check("hoard", function(chip)
  keep[#keep + 1] = ("x"):rep(200000) .. tostring(chip.id)
  return true
end, "hoards") }
