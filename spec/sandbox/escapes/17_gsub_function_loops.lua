-- attempt: gsub with a replacement function that never returns
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local s = ("abc"):gsub(".", function() while true do end end)
