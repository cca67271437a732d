-- attempt: a busy loop under pcall that swallows the limit
-- expect: 'pcall' is not available
version { id = "escape", title = "an escape attempt" }
pcall(function() while true do end end)
