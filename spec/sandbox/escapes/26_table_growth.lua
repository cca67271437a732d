-- attempt: a table grown without end
-- expect: rule code stopped
version { id = "escape", title = "an escape attempt" }
local t = {}
for i = 1, 1e9 do t[i] = i end
