-- attempt: plain find of a long needle in a long haystack, repeated
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local s = ("a"):rep(200000)
local p = ("a"):rep(1000) .. "b"
for i = 1, 100 do s:find(p, 1, true) end
