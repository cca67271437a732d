-- attempt: gmatch with a pattern that backtracks
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
for x in ("a"):rep(3000):gmatch(("a-"):rep(12) .. "b") do end
