-- attempt: a 200 KB field name given to did-you-mean (finding: unbounded suggestion)
-- expect: unknown field
version { id = "escape", title = "t", [("z"):rep(200000)] = 1 }
paragraph { "p", test("tpp", ">=", 1) }
