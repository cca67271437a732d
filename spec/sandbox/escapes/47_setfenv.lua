-- attempt: setfenv
-- expect: 'setfenv' is not available
version { id = "escape", title = "an escape attempt" }
setfenv(1, {})
