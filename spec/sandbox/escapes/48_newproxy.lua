-- attempt: newproxy (a userdata with a metatable)
-- expect: 'newproxy' is not available
version { id = "escape", title = "an escape attempt" }
newproxy(true)
