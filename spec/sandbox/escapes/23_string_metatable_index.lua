-- attempt: the string metatable's __index reached through a string
-- expect: string.__index is not available
version { id = "escape", title = "an escape attempt" }
local idx = ("").__index
