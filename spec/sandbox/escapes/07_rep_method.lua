-- attempt: a 1.5 GB string.rep through a string method
-- expect: string.rep would build
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(1.5e9)
