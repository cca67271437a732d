-- attempt: output
-- expect: 'print' is not available
version { id = "escape", title = "an escape attempt" }
print("hi")
