-- attempt: string.rep of an empty string 2^52 times, in a loop
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local n = 0
while true do n = n + #(""):rep(2 ^ 52) end
