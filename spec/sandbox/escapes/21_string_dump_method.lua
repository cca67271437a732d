-- attempt: string.dump through a string method
-- expect: string.dump is not available
version { id = "escape", title = "an escape attempt" }
local s = (""):dump(function() end)
