-- attempt: keys of 200 KB each
-- expect: needs more than
version { id = "escape", title = "an escape attempt" }
local s = ("k"):rep(200000)
local t = {}
for i = 1, 100 do t[s .. i] = i end
