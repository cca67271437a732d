-- attempt: unpack of 10^8 values
-- expect: too many results
version { id = "escape", title = "an escape attempt" }
local t = {}
local a = unpack(t, 1, 1e8)
