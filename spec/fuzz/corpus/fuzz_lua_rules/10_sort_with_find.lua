-- attempt: string.find as table.sort's comparator (finding: guards bypassed by table.sort)
-- expect: rule code stopped after
version { id = "escape", title = "an escape attempt" }
local t = {}
for i = 1, 8 do t[#t + 1] = ("a"):rep(3000) end
for i = 1, 8 do t[#t + 1] = ("a-"):rep(20) .. "b" end
table.sort(t, string.find)
