-- attempt: recursion until the stack is exhausted
-- expect: stack overflow | needs more than
version { id = "escape", title = "an escape attempt" }
local function f(n) return 1 + f(n + 1) end
f(1)
