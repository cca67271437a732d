-- attempt: string.pack with a huge count (finding: 5.4 string.pack past the memory limit)
-- expect: string.pack is not available
version { id = "escape", title = "an escape attempt" }
local s = string.pack("c2000000000", "")
