-- attempt: table.sort with a comparator that never returns
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local t = {3, 1, 2}
table.sort(t, function(a, b) while true do end end)
