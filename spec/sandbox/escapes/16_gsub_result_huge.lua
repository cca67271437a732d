-- attempt: gsub whose replacement multiplies the subject
-- expect: string.gsub would build more than
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(100000)
s = s:gsub("x", ("y"):rep(100))
