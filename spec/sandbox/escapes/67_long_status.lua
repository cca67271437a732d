-- attempt: a 200 KB status given to did-you-mean
-- expect: status
version { id = "escape", title = "t", status = ("a"):rep(200000) }
paragraph { "p", test("tpp", ">=", 1) }
