-- attempt: gsub whose replacement function returns a long string for every match
-- expect: string.gsub would build more than
version { id = "escape", title = "an escape attempt" }
local big = ("y"):rep(100000)
local s = ("x"):rep(1000):gsub("x", function() return big end)
