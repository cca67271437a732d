-- attempt: a function as a table key in a declaration
-- expect: a table key of type function
version { id = "escape", title = "t", dates = { [function() end] = 1 } }
paragraph { "p", test("tpp", ">=", 1) }
