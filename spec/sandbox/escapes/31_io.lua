-- attempt: io.open of /etc/passwd
-- expect: 'io' is not available in a rule file
version { id = "escape", title = "an escape attempt" }
io.open("/etc/passwd")
