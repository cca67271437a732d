-- attempt: string.format doubling a string
-- expect: rule code stopped
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(200000)
for i = 1, 50 do s = string.format("%s%s", s, s) end
