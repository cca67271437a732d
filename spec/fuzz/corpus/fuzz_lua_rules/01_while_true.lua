-- attempt: an endless loop
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
while true do end
