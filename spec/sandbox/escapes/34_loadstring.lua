-- attempt: loadstring
-- expect: 'loadstring' is not available
version { id = "escape", title = "an escape attempt" }
loadstring("return 1")
