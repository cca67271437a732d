-- attempt: string.dump of a function
-- expect: string.dump is not available
version { id = "escape", title = "an escape attempt" }
local s = string.dump(function() end)
