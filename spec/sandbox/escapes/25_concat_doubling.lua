-- attempt: a string doubled until memory runs out
-- expect: needs more than
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(100000)
while true do s = s .. s end
