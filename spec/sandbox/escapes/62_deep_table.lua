-- attempt: a declaration nested 100 tables deep
-- expect: nested more than
local t = {}
for i = 1, 100 do t = { t } end
version { id = "escape", title = "t", dates = t }
paragraph { "p", test("tpp", ">=", 1) }
