-- attempt: an endless repeat loop
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
repeat local x = 1 until false
