-- attempt: swapping the string metatable's __index
-- expect: 'getmetatable' is not available
version { id = "escape", title = "an escape attempt" }
getmetatable("").__index = {}
