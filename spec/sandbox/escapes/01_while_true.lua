-- attempt: an endless loop
-- expect: instructions (limit 1000000 per call)
version { id = "escape", title = "an escape attempt" }
while true do end
