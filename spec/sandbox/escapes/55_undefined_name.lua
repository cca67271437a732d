-- attempt: a name that does not exist
-- expect: 'frobnicate' is not defined
version { id = "escape", title = "an escape attempt" }
frobnicate()
