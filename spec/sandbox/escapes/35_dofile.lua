-- attempt: dofile of /etc/passwd
-- expect: 'dofile' is not available
version { id = "escape", title = "an escape attempt" }
dofile("/etc/passwd")
