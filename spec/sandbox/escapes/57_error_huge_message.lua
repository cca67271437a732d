-- attempt: an error message of 200 KB
-- expect: xxxxxxxxxx...
version { id = "escape", title = "an escape attempt" }
error(("x"):rep(200000), 0)
