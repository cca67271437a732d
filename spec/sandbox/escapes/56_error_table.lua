-- attempt: an error object that is a table
-- expect: an error object of type table
version { id = "escape", title = "an escape attempt" }
error({})
