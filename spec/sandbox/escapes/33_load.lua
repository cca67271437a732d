-- attempt: load of source text
-- expect: 'load' is not available
version { id = "escape", title = "an escape attempt" }
load("return 1")
