-- attempt: loadfile
-- expect: 'loadfile' is not available
version { id = "escape", title = "an escape attempt" }
loadfile("/etc/passwd")
