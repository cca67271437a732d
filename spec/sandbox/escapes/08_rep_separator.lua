-- attempt: string.rep whose separator makes it huge
-- expect: string.rep would build
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(1e7, ("y"):rep(100))
