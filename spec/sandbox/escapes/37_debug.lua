-- attempt: debug.sethook
-- expect: 'debug' is not available
version { id = "escape", title = "an escape attempt" }
debug.sethook()
