-- attempt: string.rep reached through a tail call (finding: guards bypassed by tail calls)
-- expect: string.rep would build
version { id = "escape", title = "an escape attempt" }
local rep = string.rep
local function f() return rep("x", 2 ^ 31) end
f()
