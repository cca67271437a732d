-- attempt: extends naming a directory beside the file
-- expect: a directory
version { id = "escape", title = "t", extends = "dir.lua" }
paragraph { "p", test("tpp", ">=", 1) }
