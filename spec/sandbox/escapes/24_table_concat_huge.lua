-- attempt: table.concat building gigabytes in one C call (finding: memory limit passed by one C call)
-- expect: needs more than
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(200000)
local t = {}
for i = 1, 100 do t[i] = s end
local r = table.concat(t, s)
