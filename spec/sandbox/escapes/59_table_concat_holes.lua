-- attempt: table.concat over 10^9 absent indices
-- expect: at index 1
version { id = "escape", title = "an escape attempt" }
local s = table.concat({}, "", 1, 1e9)
