-- attempt: xpcall with a handler
-- expect: 'xpcall' is not available
version { id = "escape", title = "an escape attempt" }
xpcall(function() end, function() end)
