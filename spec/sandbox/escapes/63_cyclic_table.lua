-- attempt: a declaration that contains itself
-- expect: nested more than
local t = {}
t[1] = t
version { id = "escape", title = "t", dates = t }
paragraph { "p", test("tpp", ">=", 1) }
