-- attempt: gsub with a pattern that backtracks exponentially
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local s = ("a"):rep(3000):gsub(("a-"):rep(15) .. "b", "")
