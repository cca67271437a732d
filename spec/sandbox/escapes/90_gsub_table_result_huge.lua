-- attempt: gsub whose replacement table maps every match to a long string
-- expect: string.gsub would build more than
version { id = "escape", title = "an escape attempt" }
local s = ("x"):rep(1000):gsub("x", { x = ("y"):rep(100000) })
