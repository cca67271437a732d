-- attempt: ten million threshold declarations
-- expect: rule code stopped
version { id = "escape", title = "an escape attempt" }
for i = 1, 1e7 do threshold { "t" .. i, i } end
