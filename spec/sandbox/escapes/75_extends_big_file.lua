-- attempt: extends naming a file larger than a rule file may be
-- expect: bytes allowed
version { id = "escape", title = "t", extends = "big.lua" }
paragraph { "p", test("tpp", ">=", 1) }
