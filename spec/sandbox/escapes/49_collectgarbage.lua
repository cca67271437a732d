-- attempt: stopping the collector
-- expect: 'collectgarbage' is not available
version { id = "escape", title = "an escape attempt" }
collectgarbage("stop")
