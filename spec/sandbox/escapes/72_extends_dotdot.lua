-- attempt: extends climbing out of the folder
-- expect: no '..'
version { id = "escape", title = "t", extends = "../rule.lua" }
paragraph { "p", test("tpp", ">=", 1) }
