-- attempt: string.pack reached through a string method
-- expect: string.pack is not available
version { id = "escape", title = "an escape attempt" }
local s = ("").pack("i4", 1)
