-- attempt: getfenv
-- expect: 'getfenv' is not available
version { id = "escape", title = "an escape attempt" }
getfenv(0)
