-- attempt: a table shared 2^25 ways (a tree of copies)
-- expect: values
local t = { 1 }
for i = 1, 25 do t = { t, t } end
version { id = "escape", title = "t", dates = t }
paragraph { "p", test("tpp", ">=", 1) }
