-- attempt: a file that extends itself
-- expect: extends itself
version { id = "escape", title = "t", extends = "rule.lua" }
paragraph { "p", test("tpp", ">=", 1) }
