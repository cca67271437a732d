-- attempt: %b over a long subject, repeated
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local s = "(" .. ("x"):rep(200000)
for i = 1, 1000 do s:find("%b()") end
