-- attempt: module()
-- expect: 'module' is not available
version { id = "escape", title = "an escape attempt" }
module("x")
