-- attempt: match with nested greedy quantifiers
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local s = ("a"):rep(5000):match(("a*"):rep(20) .. "b")
