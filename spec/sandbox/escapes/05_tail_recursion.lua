-- attempt: an endless chain of proper tail calls
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local function f(n) return f(n + 1) end
f(1)
