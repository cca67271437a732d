-- attempt: a 100 KB extends given to did-you-mean
-- expect: no rule version
version { id = "escape", title = "t", extends = ("a"):rep(100000) }
paragraph { "p", test("tpp", ">=", 1) }
