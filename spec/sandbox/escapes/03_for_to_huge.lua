-- attempt: a numeric for to math.huge
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
for i = 1, math.huge do end
